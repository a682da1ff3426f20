// A matmul whose cold search takes a few seconds.
func.func @gemm384(%a: memref<384x384xf32>, %b: memref<384x384xf32>,
                   %c: memref<384x384xf32>) {
  spec.matmul %c = %a * %b : memref<384x384xf32> * memref<384x384xf32>
      -> memref<384x384xf32>
  return
}
