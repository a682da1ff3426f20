//===- tessel-opt.cpp - Upstream MLIR plus Tessel -------------------------===//

#include "tessel/InitAllTessel.h"
#include "tessel/Support/DeepStack.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  tessel::registerAllPasses();
  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  tessel::registerAllDialects(registry);
  // Hostile inputs nest thousands deep.
  return tessel::runOnDeepStack([&] {
    return mlir::asMainReturnCode(mlir::MlirOptMain(
        argc, argv, "Tessel: upstream MLIR dialects and passes plus Tessel's\n",
        registry));
  });
}
