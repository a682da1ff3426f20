// Kernels a C program calls through `tessel compile`'s header.
func.func @gemm(%a: memref<67x45xf32>, %b: memref<45x50xf32>, %c: memref<67x50xf32>) {
  spec.matmul %c = %a * %b : memref<67x45xf32> * memref<45x50xf32> -> memref<67x50xf32>
  return
}
func.func @vecmat_bf16(%x: memref<1x128xbf16>, %w: memref<128x96xbf16, strided<[1, 128]>>, %y: memref<1x96xf32>) {
  spec.matmul %y += %x * %w : memref<1x128xbf16> * memref<128x96xbf16, strided<[1, 128]>> -> memref<1x96xf32>
  return
}
