// A kernel exposed through MLIR's standard C interface (memref descriptors).
func.func @gemm(%a: memref<40x24xf32>, %b: memref<24x48xf32, strided<[1, 24]>>, %c: memref<40x48xf32>) attributes {llvm.emit_c_interface} {
  spec.matmul %c = %a * %b : memref<40x24xf32> * memref<24x48xf32, strided<[1, 24]>> -> memref<40x48xf32>
  return
}
