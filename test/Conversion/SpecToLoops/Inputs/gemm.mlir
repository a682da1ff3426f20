func.func @gemm(%a: memref<48x64xf32>, %b: memref<64x48xf32>, %c: memref<48x48xf32>) {
  spec.matmul %c = %a * %b : memref<48x64xf32> * memref<64x48xf32> -> memref<48x48xf32>
  return
}
