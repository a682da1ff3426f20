/*===-- tessel-c/Registration.h - Tessel in MLIR's C API ----------*- C -*-===*\
|*                                                                            *|
|* For programs built on MLIR's own C API (mlir-c/): add Tessel's dialects to *|
|* a registry and its passes (and the tessel-to-llvm pipeline) to the global  *|
|* pass registry, so mlirParsePassPipeline and the parser know them.          *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef TESSEL_C_REGISTRATION_H
#define TESSEL_C_REGISTRATION_H

#include "mlir-c/IR.h"
#include "tessel-c/Tessel.h"

#ifdef __cplusplus
extern "C" {
#endif

/// Adds the spec and ukernel dialects to `registry`.
TESSEL_CAPI_EXPORTED void
tesselRegisterAllDialects(MlirDialectRegistry registry);

/// Registers every Tessel pass and pipeline (idempotent).
TESSEL_CAPI_EXPORTED void tesselRegisterAllPasses(void);

#ifdef __cplusplus
}
#endif

#endif // TESSEL_C_REGISTRATION_H
