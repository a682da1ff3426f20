// Convolutions written as linalg.generic (what generalization, or a
// frontend without named ops, leaves) are recognised through linalg's
// convolution interface, named by upstream's specializer, and imported as
// the named ones are; what synthesis does not convolve stays with a remark
// saying why (as written when its types are not synthesis's, named else).
// RUN: tessel-opt %s --tessel-import-linalg=report -mlir-print-op-on-diagnostic=false 2>&1 | FileCheck %s

// CHECK: remark: left to upstream lowering: synthesis convolves f32 or bf16 inputs into f32
// CHECK: remark: left to upstream lowering: Tessel does not import 'linalg.conv_1d_nwc_wcf'
// CHECK-LABEL: func.func @conv_generics
// CHECK: spec.conv2d %arg2 += conv(%arg0, %arg1) {format = "nhwc_hwcf", strides = array<i64: 2, 1>} : memref<1x9x9x8xf32>, memref<3x3x8x16xf32> -> memref<1x4x7x16xf32>
// CHECK: spec.conv2d %arg5 += conv(%{{.*}}, %arg4) {dilations = array<i64: 2, 2>, format = "nchw_chw"} : memref<1x8x8x8xf32, strided<[648, 81, 9, 1]>>, memref<8x3x3xf32> -> memref<1x8x4x4xf32>
// CHECK: linalg.generic {{.*}} ins(%arg6, %arg7
// CHECK: linalg.conv_1d_nwc_wcf
#map = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1 * 2 + d4, d2 + d5, d6)>
#map1 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d4, d5, d6, d3)>
#map2 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3)>
#map3 = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d3, d1 + d4 * 2, d2 + d5 * 2)>
#map4 = affine_map<(d0, d1, d2, d3, d4, d5) -> (d3, d4, d5)>
#map5 = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d3, d1, d2)>
#map6 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1 + d4, d2 + d5, d6)>
#map7 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1 + d3, d4)>
#map8 = affine_map<(d0, d1, d2, d3, d4) -> (d3, d4, d2)>
#map9 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2)>
module {
  func.func @conv_generics(%arg0: memref<1x9x9x8xf32>, %arg1: memref<3x3x8x16xf32>, %arg2: memref<1x4x7x16xf32>, %arg3: memref<1x8x9x9xf32>, %arg4: memref<8x3x3xf32>, %arg5: memref<1x8x4x4xf32>, %arg6: memref<1x9x9x8xf16>, %arg7: memref<3x3x8x16xf16>, %arg8: memref<1x7x7x16xf16>, %arg9: memref<1x9x8xf32>, %arg10: memref<3x8x16xf32>, %arg11: memref<1x7x16xf32>) {
    linalg.generic {indexing_maps = [#map, #map1, #map2], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%arg0, %arg1 : memref<1x9x9x8xf32>, memref<3x3x8x16xf32>) outs(%arg2 : memref<1x4x7x16xf32>) {
    ^bb0(%in: f32, %in_0: f32, %out: f32):
      %0 = arith.mulf %in, %in_0 : f32
      %1 = arith.addf %out, %0 : f32
      linalg.yield %1 : f32
    }
    linalg.generic {indexing_maps = [#map3, #map4, #map5], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%arg3, %arg4 : memref<1x8x9x9xf32>, memref<8x3x3xf32>) outs(%arg5 : memref<1x8x4x4xf32>) {
    ^bb0(%in: f32, %in_0: f32, %out: f32):
      %0 = arith.mulf %in, %in_0 : f32
      %1 = arith.addf %out, %0 : f32
      linalg.yield %1 : f32
    }
    linalg.generic {indexing_maps = [#map6, #map1, #map2], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%arg6, %arg7 : memref<1x9x9x8xf16>, memref<3x3x8x16xf16>) outs(%arg8 : memref<1x7x7x16xf16>) {
    ^bb0(%in: f16, %in_0: f16, %out: f16):
      %0 = arith.mulf %in, %in_0 : f16
      %1 = arith.addf %out, %0 : f16
      linalg.yield %1 : f16
    }
    linalg.generic {indexing_maps = [#map7, #map8, #map9], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%arg9, %arg10 : memref<1x9x8xf32>, memref<3x8x16xf32>) outs(%arg11 : memref<1x7x16xf32>) {
    ^bb0(%in: f32, %in_0: f32, %out: f32):
      %0 = arith.mulf %in, %in_0 : f32
      %1 = arith.addf %out, %0 : f32
      linalg.yield %1 : f32
    }
    return
  }
}


// An integer convolution generic is not renamed (synthesis would not take
// it, and a named op might cast differently).
// CHECK-LABEL: func.func @integer_generic
// CHECK: linalg.generic
func.func @integer_generic(%x: memref<1x9x9x8xi8>, %w: memref<3x3x8x16xi8>, %o: memref<1x7x7x16xi32>) {
  linalg.generic {indexing_maps = [#map6, #map1, #map2], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%x, %w : memref<1x9x9x8xi8>, memref<3x3x8x16xi8>) outs(%o : memref<1x7x7x16xi32>) {
  ^bb0(%in: i8, %in_0: i8, %out: i32):
    %0 = arith.extui %in : i8 to i32
    %1 = arith.extui %in_0 : i8 to i32
    %2 = arith.muli %0, %1 : i32
    %3 = arith.addi %out, %2 : i32
    linalg.yield %3 : i32
  }
  return
}
