/* Uses Tessel through its C interface only: compiles a matmul and a ReLU,
 * calls them on its own buffers (one transposed, so a copy happens), checks
 * the results against plain C loops, and checks that every kind of bad
 * call is refused with the right error kind. Prints one line per check;
 * exits 1 on the first failure. */
#include "tessel-c/Tessel.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define M 13
#define K 7
#define N 5

static const char *kSource =
    "func.func @gemm(%a: memref<13x7xf32>, %b: memref<7x5xf32>,\n"
    "                %c: memref<13x5xf32>) {\n"
    "  spec.matmul %c = %a * %b : memref<13x7xf32> * memref<7x5xf32>\n"
    "      -> memref<13x5xf32>\n"
    "  return\n"
    "}\n"
    "func.func @relu(%x: memref<8xf32>, %y: memref<8xf32>) {\n"
    "  linalg.map ins(%x : memref<8xf32>) outs(%y : memref<8xf32>)\n"
    "    (%v: f32, %init: f32) {\n"
    "      %z = arith.constant 0.0 : f32\n"
    "      %r = arith.maximumf %v, %z : f32\n"
    "      linalg.yield %r : f32\n"
    "    }\n"
    "  return\n"
    "}\n";

static int failures = 0;
static void check(int ok, const char *what) {
  printf("%s: %s\n", ok ? "ok" : "FAILED", what);
  if (!ok)
    failures++;
}

static int expectError(TesselError e, TesselErrorKind kind, const char *text) {
  if (tesselErrorIsNull(e))
    return 0;
  TesselStringRef m = tesselErrorGetMessage(e);
  int ok = tesselErrorGetKind(e) == kind &&
           strstr(m.data, text) != NULL;
  if (!ok)
    printf("  unexpected error (kind %d): %.*s\n", tesselErrorGetKind(e),
           (int)m.length, m.data);
  tesselErrorDestroy(e);
  return ok;
}

static void collect(TesselStringRef piece, void *userData) {
  size_t *total = (size_t *)userData;
  *total += piece.length;
  if (strstr(piece.data, "spec.matmul"))
    *total += 1000000;
}

int main(void) {
  TesselCompileOptions options;
  tesselCompileOptionsInit(&options);
  options.threads = 1;
  TesselModule module;
  TesselError e = tesselModuleCompile(
      tesselStringRefCreateFromCString(kSource),
      tesselStringRefCreateFromCString("demo.mlir"), &options, &module);
  if (!tesselErrorIsNull(e)) {
    TesselStringRef m = tesselErrorGetMessage(e);
    printf("compile failed: %.*s\n", (int)m.length, m.data);
    return 1;
  }
  check(tesselModuleGetNumFunctions(module) == 2, "two functions");
  TesselFunction gemm = tesselModuleLookupFunction(
      module, tesselStringRefCreateFromCString("gemm"));
  check(!tesselFunctionIsNull(gemm), "gemm found");
  check(tesselFunctionIsNull(tesselModuleLookupFunction(
            module, tesselStringRefCreateFromCString("nope"))),
        "unknown function is null");
  check(tesselFunctionGetNumArguments(gemm) == 3, "gemm takes 3 arguments");
  TesselArgument out = tesselFunctionGetArgument(gemm, 2);
  check(out.written && out.rank == 2 && out.shape[0] == M &&
            out.shape[1] == N && out.dtype == TESSEL_DTYPE_F32,
        "gemm's output described");
  check(!tesselFunctionGetArgument(gemm, 0).written, "gemm's input is read");
  check(tesselFunctionGetFlops(gemm) == 2.0 * M * N * K, "gemm's flops");

  /* A stored transposed (column-major): the call copies it into place. */
  static float a[K][M], b[K][N], c[M][N];
  srand(7);
  for (int i = 0; i < M; i++)
    for (int k = 0; k < K; k++)
      a[k][i] = (float)((double)rand() / RAND_MAX - 0.5);
  for (int k = 0; k < K; k++)
    for (int j = 0; j < N; j++)
      b[k][j] = (float)((double)rand() / RAND_MAX - 0.5);
  int64_t aShape[] = {M, K}, aStrides[] = {4, 4 * M};
  int64_t bShape[] = {K, N}, bStrides[] = {4 * N, 4};
  int64_t cShape[] = {M, N}, cStrides[] = {4 * N, 4};
  TesselBuffer args[3] = {
      {a, TESSEL_DTYPE_F32, 2, aShape, aStrides, true},
      {b, TESSEL_DTYPE_F32, 2, bShape, bStrides, true},
      {c, TESSEL_DTYPE_F32, 2, cShape, cStrides, false}};
  e = tesselFunctionCall(gemm, args, 3);
  check(tesselErrorIsNull(e), "gemm called");
  double worst = 0;
  for (int i = 0; i < M; i++)
    for (int j = 0; j < N; j++) {
      double want = 0;
      for (int k = 0; k < K; k++)
        want += (double)a[k][i] * b[k][j];
      worst = fmax(worst, fabs(want - c[i][j]));
    }
  check(worst < 1e-5, "gemm matches C loops");

  /* Bad calls. */
  check(expectError(tesselFunctionCall(gemm, args, 2), TESSEL_ERROR_VALUE,
                    "takes 3 arguments"),
        "too few arguments refused");
  TesselBuffer bad[3];
  memcpy(bad, args, sizeof bad);
  bad[1].dtype = TESSEL_DTYPE_BF16;
  check(expectError(tesselFunctionCall(gemm, bad, 3), TESSEL_ERROR_TYPE,
                    "argument #1"),
        "wrong dtype refused");
  memcpy(bad, args, sizeof bad);
  int64_t wrongShape[] = {M, N + 1};
  bad[2].shape = wrongShape;
  check(expectError(tesselFunctionCall(gemm, bad, 3), TESSEL_ERROR_VALUE,
                    "has shape 13x5"),
        "wrong shape refused");
  memcpy(bad, args, sizeof bad);
  bad[2].readonly = true;
  check(expectError(tesselFunctionCall(gemm, bad, 3), TESSEL_ERROR_VALUE,
                    "read-only"),
        "read-only output refused");

  /* In place: y aliases x; the input is copied first. */
  TesselFunction relu = tesselModuleGetFunction(module, 1);
  float x[8] = {-1, 2, -3, 4, -5, 6, -7, 8};
  int64_t xShape[] = {8}, xStrides[] = {4};
  TesselBuffer inPlace[2] = {{x, TESSEL_DTYPE_F32, 1, xShape, xStrides, false},
                             {x, TESSEL_DTYPE_F32, 1, xShape, xStrides, false}};
  check(tesselErrorIsNull(tesselFunctionCall(relu, inPlace, 2)) && x[0] == 0 &&
            x[1] == 2 && x[6] == 0 && x[7] == 8,
        "relu in place");

  double seconds = 0;
  check(tesselErrorIsNull(tesselFunctionBench(gemm, NULL, 0, 2, &seconds)) &&
            seconds > 0 && seconds < 1,
        "bench on its own buffers");

  size_t explained = 0;
  check(tesselErrorIsNull(tesselExplain(
            tesselStringRefCreateFromCString(kSource),
            tesselStringRefCreateFromCString("demo.mlir"), &options, collect,
            &explained)) &&
            explained > 1000000,
        "explain prints the matmul");

  TesselModule broken;
  check(expectError(tesselModuleCompile(
                        tesselStringRefCreateFromCString("func.func @f( {"),
                        tesselStringRefCreateFromCString("broken.mlir"),
                        &options, &broken),
                    TESSEL_ERROR_COMPILE, "broken.mlir:1:"),
        "garbage source refused with a located error");
  check(broken.ptr == NULL, "no module from garbage");

  tesselModuleDestroy(module);
  printf("%d failed\n", failures);
  return failures ? 1 : 0;
}
