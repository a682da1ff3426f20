func.func @b(%x: memref<24x16xf32>, %w: memref<16x32xf32>, %y: memref<24x32xf32>) {
  spec.matmul %y = %x * %w : memref<24x16xf32> * memref<16x32xf32> -> memref<24x32xf32>
  return
}
