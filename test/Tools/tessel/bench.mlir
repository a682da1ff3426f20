// tessel bench checks each function, then times it: matmuls in GFLOP/s
// against the core's measured peak, memory-bound kinds in GB/s. (Only the
// report's form is tested; speed is measured in bench/.)
// RUN: tessel bench %s --threads=1 --samples=1 | FileCheck %s

// CHECK: peak (one core, measured): {{[0-9.]+}} GFLOP/s
// CHECK: gemm: {{[0-9.]+}} us, {{[0-9.]+}} GFLOP/s
// CHECK: bias_relu: {{[0-9.]+}} us, {{[0-9.]+}} GB/s (each operand read or written once)
// CHECK: row_max: {{[0-9.]+}} us, {{[0-9.]+}} GB/s
func.func @gemm(%a: memref<16x16xf32>, %b: memref<16x16xf32>, %c: memref<16x16xf32>) {
  spec.matmul %c = %a * %b : memref<16x16xf32> * memref<16x16xf32> -> memref<16x16xf32>
  return
}
func.func @bias_relu(%x: memref<8x40xf32>, %bias: memref<1x40xf32>, %y: memref<8x40xf32>) {
  spec.add %y = add(%x, %bias) : memref<8x40xf32>, memref<1x40xf32> -> memref<8x40xf32>
  spec.relu %y = relu(%y) : memref<8x40xf32> -> memref<8x40xf32>
  return
}
func.func @row_max(%x: memref<8x40xbf16>, %m: memref<8x1xf32>) {
  spec.reduce %m = max(%x) along 1 : memref<8x40xbf16> -> memref<8x1xf32>
  return
}
