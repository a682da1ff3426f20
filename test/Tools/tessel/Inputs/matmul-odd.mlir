func.func @odd(%a: memref<300x37xf32>, %b: memref<37x270xf32>, %c: memref<300x270xf32>) {
  spec.matmul %c = %a * %b : memref<300x37xf32> * memref<37x270xf32> -> memref<300x270xf32>
  return
}
