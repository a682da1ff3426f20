//===- TesselPlugin.cpp - Tessel as a plugin for mlir-opt -----------------===//
//
//   mlir-opt --load-dialect-plugin=TesselPlugin.so input.mlir
//
//===----------------------------------------------------------------------===//

#include "tessel/InitAllTessel.h"

#include "mlir/Tools/Plugins/DialectPlugin.h"
#include "llvm/Config/llvm-config.h"

extern "C" LLVM_ATTRIBUTE_WEAK mlir::DialectPluginLibraryInfo
mlirGetDialectPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "Tessel", LLVM_VERSION_STRING,
          [](mlir::DialectRegistry *registry) {
            tessel::registerAllDialects(*registry);
          }};
}
