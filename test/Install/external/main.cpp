// Parses a spec program with the installed Tessel dialects and lowers it to
// the llvm dialect with tessel::buildToLLVMPipeline, as another compiler
// would.
#include "tessel/Dialect/Spec/IR/SpecOps.h"
#include "tessel/InitAllTessel.h"
#include "tessel/Pipelines/Pipelines.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/InitAllDialects.h"
#include "mlir/Pass/PassManager.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/raw_ostream.h"

int main() {
  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  tessel::registerAllDialects(registry);
  mlir::MLIRContext context(registry);
  const char *program = R"mlir(
    func.func @f(%a: memref<4x8xf32>, %b: memref<8x2xf32>, %c: memref<4x2xf32>) {
      spec.matmul %c = %a * %b : memref<4x8xf32> * memref<8x2xf32> -> memref<4x2xf32>
      return
    })mlir";
  auto module = mlir::parseSourceString<mlir::ModuleOp>(program, &context);
  if (!module)
    return 1;
  int matmuls = 0;
  module->walk([&](tessel::spec::MatmulOp) { ++matmuls; });
  llvm::outs() << "verified " << matmuls << " spec.matmul\n";

  mlir::PassManager pm(&context);
  tessel::ToLLVMOptions options;
  options.target = "avx512";
  options.threads = 1;
  tessel::buildToLLVMPipeline(pm, options);
  if (mlir::failed(pm.run(*module)))
    return 1;
  int llvmFuncs = 0;
  module->walk([&](mlir::LLVM::LLVMFuncOp) { ++llvmFuncs; });
  llvm::outs() << "lowered to " << (llvmFuncs > 0 ? "llvm" : "nothing") << "\n";
  return matmuls == 1 && llvmFuncs > 0 ? 0 : 1;
}
