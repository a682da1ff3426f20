//===- TesselPlugin.cpp - Tessel as a plugin for mlir-opt -----------------===//
//
//   mlir-opt --load-dialect-plugin=TesselPlugin.so input.mlir
//   mlir-opt --load-dialect-plugin=TesselPlugin.so \
//            --load-pass-plugin=TesselPlugin.so \
//            --pass-pipeline='builtin.module(tessel-import-linalg)' input.mlir
//
// Passes from a pass plugin are registered after the command line is parsed,
// so they can be named in --pass-pipeline but not as --flags.
//
//===----------------------------------------------------------------------===//

#include "tessel/InitAllTessel.h"

#include "mlir/Tools/Plugins/DialectPlugin.h"
#include "mlir/Tools/Plugins/PassPlugin.h"
#include "llvm/Config/llvm-config.h"

extern "C" LLVM_ATTRIBUTE_WEAK mlir::DialectPluginLibraryInfo
mlirGetDialectPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "Tessel", LLVM_VERSION_STRING,
          [](mlir::DialectRegistry *registry) {
            tessel::registerAllDialects(*registry);
          }};
}

extern "C" LLVM_ATTRIBUTE_WEAK mlir::PassPluginLibraryInfo
mlirGetPassPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "Tessel", LLVM_VERSION_STRING,
          [] { tessel::registerAllPasses(); }};
}
