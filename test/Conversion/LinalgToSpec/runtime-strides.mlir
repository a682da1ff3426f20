// Operands whose innermost stride is only known at run time are imported
// behind an scf.if that checks it is 1; other strides may stay dynamic.
// RUN: tessel-opt %s --tessel-import-linalg --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @tensor_arguments(
// CHECK-SAME: %[[A:.*]]: memref<8x4xf32, strided<[?, ?], offset: ?>>, %[[B:.*]]: memref<4x8xf32, strided<[?, ?], offset: ?>>, %[[C:.*]]: memref<8x8xf32, strided<[?, ?], offset: ?>>)
// CHECK-DAG: %[[ONE:.*]] = arith.constant 1 : index
// CHECK-DAG: %{{.*}}, %{{.*}}, %{{.*}}:2, %[[SA:.*]]:2 = memref.extract_strided_metadata %[[A]]
// CHECK-DAG: %[[UA:.*]] = arith.cmpi eq, %[[SA]]#1, %[[ONE]]
// CHECK-DAG: %{{.*}}, %{{.*}}, %{{.*}}:2, %[[SB:.*]]:2 = memref.extract_strided_metadata %[[B]]
// CHECK-DAG: %[[UB:.*]] = arith.cmpi eq, %[[SB]]#1, %[[ONE]]
// CHECK-DAG: %[[UAB:.*]] = arith.andi %[[UA]], %[[UB]]
// CHECK-DAG: %{{.*}}, %{{.*}}, %{{.*}}:2, %[[SC:.*]]:2 = memref.extract_strided_metadata %[[C]]
// CHECK-DAG: %[[UC:.*]] = arith.cmpi eq, %[[SC]]#1, %[[ONE]]
// CHECK: %[[ALL:.*]] = arith.andi %[[UAB]], %[[UC]]
// CHECK: scf.if %[[ALL]] {
// CHECK:   %[[CA:.*]] = memref.cast %[[A]] : memref<8x4xf32, strided<[?, ?], offset: ?>> to memref<8x4xf32, strided<[?, 1], offset: ?>>
// CHECK:   %[[CB:.*]] = memref.cast %[[B]] : memref<4x8xf32, strided<[?, ?], offset: ?>> to memref<4x8xf32, strided<[?, 1], offset: ?>>
// CHECK:   %[[CC:.*]] = memref.cast %[[C]] : memref<8x8xf32, strided<[?, ?], offset: ?>> to memref<8x8xf32, strided<[?, 1], offset: ?>>
// CHECK:   spec.matmul %[[CC]] += %[[CA]] * %[[CB]]
// CHECK: } else {
// CHECK:   linalg.matmul ins(%[[A]], %[[B]] : {{.*}}) outs(%[[C]] : {{.*}})
// CHECK: }
func.func @tensor_arguments(%a: memref<8x4xf32, strided<[?, ?], offset: ?>>,
                            %b: memref<4x8xf32, strided<[?, ?], offset: ?>>,
                            %c: memref<8x8xf32, strided<[?, ?], offset: ?>>) {
  linalg.matmul ins(%a, %b : memref<8x4xf32, strided<[?, ?], offset: ?>>, memref<4x8xf32, strided<[?, ?], offset: ?>>) outs(%c : memref<8x8xf32, strided<[?, ?], offset: ?>>)
  return
}

// -----

// Only an operand whose innermost stride is unknown is checked; a unit
// dimension does not count as innermost.
// CHECK-LABEL: func.func @mixed(
// CHECK-SAME: %[[A:.*]]: memref<8x1xf32, strided<[?, ?]>>, %[[B:.*]]: memref<1x8xf32, strided<[?, 1], offset: ?>>, %[[C:.*]]: memref<8x8xf32>)
// CHECK: %{{.*}}, %{{.*}}, %{{.*}}:2, %[[SA:.*]]:2 = memref.extract_strided_metadata %[[A]]
// CHECK-NEXT: %[[UA:.*]] = arith.cmpi eq, %[[SA]]#0, %{{.*}}
// CHECK-NEXT: scf.if %[[UA]] {
// CHECK:   %[[CA:.*]] = memref.cast %[[A]] : memref<8x1xf32, strided<[?, ?]>> to memref<8x1xf32, strided<[1, ?]>>
// CHECK:   spec.matmul %[[C]] += %[[CA]] * %[[B]]
// CHECK: } else {
// CHECK:   linalg.matmul
func.func @mixed(%a: memref<8x1xf32, strided<[?, ?]>>,
                 %b: memref<1x8xf32, strided<[?, 1], offset: ?>>,
                 %c: memref<8x8xf32>) {
  linalg.matmul ins(%a, %b : memref<8x1xf32, strided<[?, ?]>>, memref<1x8xf32, strided<[?, 1], offset: ?>>) outs(%c : memref<8x8xf32>)
  return
}

// -----

// Outer strides that are dynamic while the innermost is statically 1 need
// no check; a transposed view of such an operand is taken as it is.
// CHECK-LABEL: func.func @no_check(
// CHECK-NOT: scf.if
// CHECK: %[[T:.*]] = memref.transpose %{{.*}} (d0, d1) -> (d1, d0) : memref<8x4xf32, strided<[?, 1], offset: ?>> to memref<4x8xf32, strided<[1, ?], offset: ?>>
// CHECK: spec.matmul %{{.*}} += %{{.*}} * %[[T]]
func.func @no_check(%a: memref<8x4xf32, strided<[?, 1], offset: ?>>,
                    %b: memref<8x4xf32, strided<[?, 1], offset: ?>>,
                    %c: memref<8x8xf32>) {
  linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>,
                                 affine_map<(m, n, k) -> (n, k)>,
                                 affine_map<(m, n, k) -> (m, n)>]
      ins(%a, %b : memref<8x4xf32, strided<[?, 1], offset: ?>>, memref<8x4xf32, strided<[?, 1], offset: ?>>)
      outs(%c : memref<8x8xf32>)
  return
}

// -----

// A guarded op that cannot be imported anyway (its output is not in main
// memory) is put back as it was, and the check's ops go with the guard.
// CHECK-LABEL: func.func @not_imported(
// CHECK-NOT: memref.extract_strided_metadata
// CHECK-NOT: arith.cmpi
// CHECK-NOT: scf.if
// CHECK: linalg.matmul
// CHECK-NEXT: return
func.func @not_imported(%a: memref<8x4xf32, strided<[?, ?], offset: ?>>,
                        %b: memref<4x8xf32, strided<[?, ?], offset: ?>>,
                        %c: memref<8x8xf32, 1>) {
  linalg.matmul ins(%a, %b : memref<8x4xf32, strided<[?, ?], offset: ?>>, memref<4x8xf32, strided<[?, ?], offset: ?>>) outs(%c : memref<8x8xf32, 1>)
  return
}
