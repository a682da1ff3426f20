func.func @a(%x: memref<16x32xf32>, %w: memref<32x48xf32>, %y: memref<16x48xf32>) {
  spec.matmul %y = %x * %w : memref<16x32xf32> * memref<32x48xf32> -> memref<16x48xf32>
  return
}
