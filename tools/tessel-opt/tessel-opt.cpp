//===- tessel-opt.cpp - Upstream MLIR plus Tessel -------------------------===//

#include "tessel/InitAllTessel.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/Support/thread.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  tessel::registerAllPasses();
  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  tessel::registerAllDialects(registry);
  // A deep stack: parsing and verifying recurse once per nesting level, and
  // hostile inputs nest thousands deep.
  mlir::LogicalResult result = mlir::failure();
  llvm::thread worker(std::optional<unsigned>(1u << 30), [&] {
    result = mlir::MlirOptMain(
        argc, argv, "Tessel: upstream MLIR dialects and passes plus Tessel's\n",
        registry);
  });
  worker.join();
  return mlir::asMainReturnCode(result);
}
