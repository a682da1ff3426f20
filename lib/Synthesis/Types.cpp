//===- Types.cpp ----------------------------------------------------------===//
#include "tessel/Synthesis/Types.h"
#include "llvm/Support/ErrorHandling.h"

namespace tessel::synth {

unsigned dtypeBytes(Dtype t) {
  switch (t) {
  case Dtype::F32:
  case Dtype::I32:
    return 4;
  case Dtype::BF16:
  case Dtype::F16:
  case Dtype::I16:
    return 2;
  case Dtype::I8:
    return 1;
  }
  llvm_unreachable("bad dtype");
}

llvm::StringRef dtypeName(Dtype t) {
  switch (t) {
  case Dtype::F32:
    return "f32";
  case Dtype::BF16:
    return "bf16";
  case Dtype::F16:
    return "f16";
  case Dtype::I8:
    return "i8";
  case Dtype::I16:
    return "i16";
  case Dtype::I32:
    return "i32";
  }
  llvm_unreachable("bad dtype");
}

bool isWideningCast(Dtype from, Dtype to) {
  if (from == to)
    return false;
  switch (to) {
  case Dtype::F32:
    return from == Dtype::BF16 || from == Dtype::F16;
  case Dtype::I32:
    return from == Dtype::I8 || from == Dtype::I16;
  case Dtype::I16:
    return from == Dtype::I8;
  default:
    return false;
  }
}

llvm::StringRef levelName(MemoryLevel l) {
  switch (l) {
  case MemoryLevel::GL:
    return "GL";
  case MemoryLevel::L2:
    return "L2";
  case MemoryLevel::L1:
    return "L1";
  case MemoryLevel::VRF:
    return "VRF";
  case MemoryLevel::RF:
    return "RF";
  }
  llvm_unreachable("bad level");
}

} // namespace tessel::synth
