// Calls `_mlir_ciface_gemm` with MLIR's rank-2 memref descriptors, as any C
// program calls an MLIR-compiled function, and checks the result.
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct {
  float *allocated, *aligned;
  int64_t offset, sizes[2], strides[2];
} Memref2D;

void _mlir_ciface_gemm(Memref2D *a, Memref2D *b, Memref2D *c);

int main(void) {
  enum { M = 40, K = 24, N = 48 };
  static float a[M * K], bt[N * K], c[M * N];
  for (int i = 0; i < M * K; ++i)
    a[i] = (float)((i * 7) % 13) - 6.0f;
  for (int i = 0; i < N * K; ++i)
    bt[i] = (float)((i * 5) % 11) - 5.0f;
  Memref2D da = {a, a, 0, {M, K}, {K, 1}};
  Memref2D db = {bt, bt, 0, {K, N}, {1, K}}; // B stored transposed
  Memref2D dc = {c, c, 0, {M, N}, {N, 1}};
  _mlir_ciface_gemm(&da, &db, &dc);
  for (int m = 0; m < M; ++m)
    for (int n = 0; n < N; ++n) {
      float want = 0; // small integers: exact in f32
      for (int k = 0; k < K; ++k)
        want += a[m * K + k] * bt[n * K + k];
      if (c[m * N + n] != want) {
        printf("c[%d][%d] = %g, expected %g\n", m, n, c[m * N + n], want);
        return 1;
      }
    }
  puts("OK");
  return 0;
}
