// Parses and verifies a spec program with the installed Tessel dialect.
#include "tessel/Dialect/Spec/IR/SpecOps.h"
#include "tessel/InitAllTessel.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/raw_ostream.h"

int main() {
  mlir::DialectRegistry registry;
  registry.insert<mlir::func::FuncDialect>();
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
  return matmuls == 1 ? 0 : 1;
}
