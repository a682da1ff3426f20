// The main job: C = A * B for 512 x 512 f32 matrices, row-major.
// `tessel run` checks the synthesized program against the reference;
// `tessel bench --peer=openblas` times it beside OpenBLAS in the same run.
func.func @gemm512(%a: memref<512x512xf32>, %b: memref<512x512xf32>, %c: memref<512x512xf32>) {
  spec.matmul %c = %a * %b : memref<512x512xf32> * memref<512x512xf32> -> memref<512x512xf32>
  return
}
