/* Tessel inside MLIR's own C API: a registry with Tessel's dialects parses
 * and verifies a spec module, and after tesselRegisterAllPasses the pass
 * pipeline parser knows Tessel's passes. */
#include "mlir-c/Dialect/Func.h"
#include "mlir-c/IR.h"
#include "mlir-c/Pass.h"
#include "tessel-c/Registration.h"

#include <stdio.h>

static const char *kModule =
    "func.func @f(%a: memref<4x4xf32>, %b: memref<4x4xf32>, "
    "%c: memref<4x4xf32>) {\n"
    "  spec.matmul %c = %a * %b : memref<4x4xf32> * memref<4x4xf32> "
    "-> memref<4x4xf32>\n"
    "  return\n"
    "}\n";

static void print(MlirStringRef s, void *userData) {
  (void)userData;
  fwrite(s.data, 1, s.length, stdout);
}

int main(void) {
  MlirDialectRegistry registry = mlirDialectRegistryCreate();
  tesselRegisterAllDialects(registry);
  MlirContext context = mlirContextCreateWithRegistry(registry, false);
  mlirContextSetAllowUnregisteredDialects(context, false);
  mlirContextLoadAllAvailableDialects(context);
  /* func is not Tessel's: without it the module cannot parse. */
  MlirModule module =
      mlirModuleCreateParse(context, mlirStringRefCreateFromCString(kModule));
  printf("parsed without func: %s\n", mlirModuleIsNull(module) ? "no" : "yes");

  MlirDialectHandle func = mlirGetDialectHandle__func__();
  mlirDialectHandleInsertDialect(func, registry);
  mlirContextAppendDialectRegistry(context, registry);
  module =
      mlirModuleCreateParse(context, mlirStringRefCreateFromCString(kModule));
  if (mlirModuleIsNull(module)) {
    printf("FAILED: the spec module does not parse\n");
    return 1;
  }
  printf("verified: %s\n",
         mlirOperationVerify(mlirModuleGetOperation(module)) ? "yes" : "no");

  tesselRegisterAllPasses();
  tesselRegisterAllPasses(); /* idempotent */
  MlirPassManager pm = mlirPassManagerCreate(context);
  MlirOpPassManager opm = mlirPassManagerGetAsOpPassManager(pm);
  MlirLogicalResult parsed = mlirParsePassPipeline(
      opm, mlirStringRefCreateFromCString("builtin.module(tessel-import-linalg)"),
      print, NULL);
  printf("\npipeline parsed: %s\n", mlirLogicalResultIsSuccess(parsed) ? "yes" : "no");

  mlirPassManagerDestroy(pm);
  mlirModuleDestroy(module);
  mlirContextDestroy(context);
  mlirDialectRegistryDestroy(registry);
  return 0;
}
