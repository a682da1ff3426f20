//===- Passes.h - Tessel's conversion passes --------------------*- C++ -*-===//

#ifndef TESSEL_CONVERSION_PASSES_H
#define TESSEL_CONVERSION_PASSES_H

#include "tessel/Conversion/LinalgToSpec/LinalgToSpec.h"
#include "tessel/Dialect/Ukernel/IR/UkernelDialect.h"
#include "tessel/Synthesis/Search.h" // the search options' defaults

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/X86Vector/X86VectorDialect.h"

#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Pass/Pass.h"

namespace tessel {

#define GEN_PASS_DECL
#define GEN_PASS_REGISTRATION
#include "tessel/Conversion/Passes.h.inc"

/// Whether the bare-pointer calling convention passes `type`: upstream's
/// rule, a memref of static shape, strides and offset.
bool passesAsBarePointer(mlir::Type type);

/// The first memref argument of `func` that the bare-pointer convention
/// cannot pass, if any.
std::optional<unsigned>
findNonBarePointerArgument(mlir::FunctionOpInterface func);

} // namespace tessel

#endif // TESSEL_CONVERSION_PASSES_H
