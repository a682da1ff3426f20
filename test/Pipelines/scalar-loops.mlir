// Loops whose kernels are all scalar keep the shape the search priced:
// --tessel-synthesize marks them (no vectorization or unrolling by LLVM),
// --tessel-loop-annotations moves the mark from the plain attribute that
// the control-flow conversions leave on a loop's back edge into the branch's
// loop_annotation, and the LLVM IR carries it as !llvm.loop metadata.
// Loops of vector kernels are left to LLVM.
// RUN: tessel-opt %s --tessel-synthesize="target=avx2 threads=1" | FileCheck %s --check-prefix=LOOPS
// RUN: tessel-opt %s --tessel-to-llvm="target=avx2 threads=1" \
// RUN:   | mlir-translate --mlir-to-llvmir | FileCheck %s --check-prefix=IR
// RUN: tessel-opt %S/Inputs/carried-loop-annotation.mlir --tessel-loop-annotations \
// RUN:   | FileCheck %s --check-prefix=MOVED --implicit-check-not='llvm.loop_annotation ='

// LOOPS-LABEL: func.func private @scalar_matmul
// LOOPS: ukernel.scalar_fma
// LOOPS-NEXT: } {llvm.loop_annotation = #[[ANNOTATION:.*]], tessel.action = "tile n by 1"
// LOOPS-NEXT: } {llvm.loop_annotation = #[[ANNOTATION]], tessel.action = "split k by 1"
// LOOPS-NEXT: } {llvm.loop_annotation = #[[ANNOTATION]], tessel.action = "tile m by 1"
// LOOPS-LABEL: func.func private @vector_matmul
// LOOPS-NOT: loop_annotation

// IR-LABEL: define void @scalar_matmul
// IR: br label %{{.*}}, !llvm.loop ![[LOOP:[0-9]+]]
// IR-LABEL: define void @vector_matmul
// IR-NOT: !llvm.loop
// IR: ![[LOOP]] = distinct !{![[LOOP]], ![[A:[0-9]+]], ![[B:[0-9]+]]}
// IR-DAG: ![[A]] = !{!"llvm.loop.vectorize.enable", i1 false}
// IR-DAG: ![[B]] = !{!"llvm.loop.unroll.disable"}

func.func @scalar(%a: memref<3x7xi16>, %b: memref<7x19xi16>, %c: memref<3x19xi16>) {
  spec.matmul %c = %a * %b : memref<3x7xi16> * memref<7x19xi16> -> memref<3x19xi16>
  return
}

func.func @vector(%a: memref<64x64xf32>, %b: memref<64x64xf32>, %c: memref<64x64xf32>) {
  spec.matmul %c = %a * %b : memref<64x64xf32> * memref<64x64xf32> -> memref<64x64xf32>
  return
}

// MOVED-LABEL: llvm.func @loop
// MOVED: llvm.cond_br %{{.*}}, ^bb2, ^bb3{{$}}
// MOVED: llvm.br ^bb1(%{{.*}} : i64) {loop_annotation = #[[U:[[:alnum:]_]+]]}
// MOVED-LABEL: llvm.func @do_while
// MOVED: llvm.cond_br %{{.*}}, ^bb1(%{{.*}} : i64), ^bb2 {loop_annotation = #[[U]]}
