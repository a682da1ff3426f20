// An op whose operands total at least the target's
// memory.streaming-stores-from writes its elementwise outputs in main
// memory with streaming stores (the kernel's `streaming`); a smaller one,
// a target that never streams, and outputs that are not elementwise keep
// ordinary stores. The threshold steers code, not the search: the program
// is the same either way.
// RUN: rm -rf %t && mkdir -p %t
// RUN: sed 's/^memory.streaming-stores-from .*/memory.streaming-stores-from 64K/' %tessel_src_root/targets/zen5.target > %t/stream.target
// RUN: tessel-opt %s --tessel-synthesize="target=%t/stream.target threads=1" | FileCheck %s
// RUN: sed 's/^memory.streaming-stores-from .*/memory.streaming-stores-from 0/' %tessel_src_root/targets/zen5.target > %t/never.target
// RUN: tessel-opt %s --tessel-synthesize="target=%t/never.target threads=1" | FileCheck %s --check-prefix=NEVER
// RUN: tessel-opt %s --tessel-synthesize="target=%t/stream.target threads=1" | sed "s/ streaming//" > %t/stream.mlir
// RUN: tessel-opt %s --tessel-synthesize="target=%t/never.target threads=1" > %t/never.mlir
// RUN: diff %t/stream.mlir %t/never.mlir

// 2 x 128 x 64 floats: 64 KiB.
// CHECK-LABEL: func.func private @large_exp
// CHECK:         ukernel.elementwise "exp"({{.*}} along 1 streaming
// NEVER-LABEL:   func.func private @large_exp
// NEVER-NOT:     streaming
func.func @large(%x: memref<128x64xf32>, %y: memref<128x64xf32>) {
  spec.exp %y = exp(%x) : memref<128x64xf32> -> memref<128x64xf32>
  return
}

// 2 x 127 x 64 floats: less.
// CHECK-LABEL: func.func private @small_exp
// CHECK-NOT:     streaming
// CHECK:         return
func.func @small(%x: memref<127x64xf32>, %y: memref<127x64xf32>) {
  spec.exp %y = exp(%x) : memref<127x64xf32> -> memref<127x64xf32>
  return
}

// In place, each line is read before it is written: streaming gains
// nothing, and the buffer counts once (64 KiB with the bias).
// CHECK-LABEL: func.func private @in_place_add
// CHECK-NOT:     streaming
// CHECK:         return
func.func @in_place(%x: memref<256x64xf32>, %b: memref<1x64xf32>) {
  spec.add %x = add(%x, %b) : memref<256x64xf32>, memref<1x64xf32> -> memref<256x64xf32>
  return
}

// Through the whole pipeline: aligned vmovntps, one sfence before the
// function returns.
// RUN: tessel compile %s --target=%t/stream.target --threads=1 -o %t/stream.o
// RUN: llvm-objdump -d --no-show-raw-insn %t/stream.o | FileCheck %s --check-prefix=ASM
// ASM-LABEL: <large>:
// ASM-DAG:     vmovntps %zmm
// ASM-DAG:     sfence
// ASM-LABEL: <small>:
// ASM-NOT:     vmovntps
// ASM-NOT:     sfence
// ASM:         ret
