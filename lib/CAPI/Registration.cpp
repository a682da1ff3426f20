//===- Registration.cpp - Tessel in MLIR's C API --------------------------===//

#include "tessel-c/Registration.h"
#include "tessel/InitAllTessel.h"

#include "mlir/CAPI/IR.h"
#include <mutex>

void tesselRegisterAllDialects(MlirDialectRegistry registry) {
  tessel::registerAllDialects(*unwrap(registry));
}

void tesselRegisterAllPasses(void) {
  static std::once_flag once;
  std::call_once(once, [] { tessel::registerAllPasses(); });
}
