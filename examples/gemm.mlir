// Specs the synthesis engine solves today: `tessel explain examples/gemm.mlir`
// prints the program it picks for each.
func.func @gemm(%a: memref<256x256xf32>, %b: memref<256x256xf32>, %c: memref<256x256xf32>) {
  spec.matmul %c = %a * %b : memref<256x256xf32> * memref<256x256xf32> -> memref<256x256xf32>
  return
}

// bf16 x bf16 -> f32 vector-matrix product with pre-packed weights.
func.func @vecmat(%x: memref<1x2048xbf16>, %w: memref<2048x4096xbf16, #spec.layout<[d1 floordiv 16, d0, d1 mod 16]>>,
                  %y: memref<1x4096xf32>) {
  spec.matmul %y = %x * %w : memref<1x2048xbf16> * memref<2048x4096xbf16, #spec.layout<[d1 floordiv 16, d0, d1 mod 16]>> -> memref<1x4096xf32>
  return
}
