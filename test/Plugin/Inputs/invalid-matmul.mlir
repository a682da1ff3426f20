// A K mismatch, for tests that expect the verifier's diagnostic.
func.func @f(%a: memref<4x8xf32>, %b: memref<9x4xf32>, %c: memref<4x4xf32>) {
  spec.matmul %c = %a * %b : memref<4x8xf32> * memref<9x4xf32> -> memref<4x4xf32>
  return
}
