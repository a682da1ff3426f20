func.func @gemm(%a: memref<128x128xf32>, %b: memref<128x128xf32>, %c: memref<128x128xf32>) {
  spec.matmul %c = %a * %b : memref<128x128xf32> * memref<128x128xf32> -> memref<128x128xf32>
  return
}
