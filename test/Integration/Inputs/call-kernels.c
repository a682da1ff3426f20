// Calls kernels compiled by `tessel compile` through the generated header and
// checks them against naive loops. Prints OK, or the first mismatch.
#include "kernels.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static float randf(void) { return (float)rand() / RAND_MAX * 2.0f - 1.0f; }

static void randomize(float *x, int n) {
  for (int i = 0; i < n; ++i)
    x[i] = randf();
}

// bf16 is the upper half of an f32 (inputs here are rounded to it).
static uint16_t toBf16(float f) {
  uint32_t bits;
  memcpy(&bits, &f, 4);
  return (uint16_t)(bits >> 16);
}
static float fromBf16(uint16_t h) {
  uint32_t bits = (uint32_t)h << 16;
  float f;
  memcpy(&f, &bits, 4);
  return f;
}

static int check(const char *name, const float *got, const double *want,
                 const double *scale, int n) {
  for (int i = 0; i < n; ++i)
    if (fabs(got[i] - want[i]) > 1e-5 * scale[i] + 1e-6) {
      printf("%s: element %d is %g, expected %g\n", name, i, got[i], want[i]);
      return 1;
    }
  return 0;
}

// Runs `kernel` (c = a * b, row-major M x K times K x N) on random inputs
// and checks it against double-precision sums, each within a tolerance
// scaled by the sum of the magnitudes.
static int checkProduct(const char *name,
                        void (*kernel)(const float *, const float *, float *),
                        int M, int K, int N) {
  float *a = malloc(sizeof(float) * M * K), *b = malloc(sizeof(float) * K * N);
  float *c = malloc(sizeof(float) * M * N);
  randomize(a, M * K);
  randomize(b, K * N);
  for (int i = 0; i < M * N; ++i)
    c[i] = 1e9f; // overwritten
  kernel(a, b, c);
  int failed = 0;
  for (int m = 0; m < M && !failed; ++m)
    for (int n = 0; n < N && !failed; ++n) {
      double s = 0, t = 0;
      for (int k = 0; k < K; ++k) {
        s += (double)a[m * K + k] * b[k * N + n];
        t += fabs((double)a[m * K + k] * b[k * N + n]);
      }
      if (fabs(c[m * N + n] - s) > 1e-5 * t + 1e-6) {
        printf("%s: element (%d, %d) is %g, expected %g\n", name, m, n,
               c[m * N + n], s);
        failed = 1;
      }
    }
  free(a);
  free(b);
  free(c);
  return failed;
}

int main(void) {
  if (checkProduct("gemm", gemm, 67, 45, 50))
    return 1;

  // y += x * w with w stored transposed (N x K, column k contiguous).
  enum { K2 = 128, N2 = 96 };
  static uint16_t x[K2], w[N2 * K2];
  static float y[N2];
  static double want2[N2], scale2[N2];
  for (int i = 0; i < K2; ++i)
    x[i] = toBf16(randf());
  for (int i = 0; i < N2 * K2; ++i)
    w[i] = toBf16(randf());
  for (int n = 0; n < N2; ++n) {
    y[n] = 0.5f;
    double s = 0.5, t = 0.5;
    for (int k = 0; k < K2; ++k) {
      double p = (double)fromBf16(x[k]) * fromBf16(w[n * K2 + k]);
      s += p;
      t += fabs(p);
    }
    want2[n] = s;
    scale2[n] = t;
  }
  vecmat_bf16(x, w, y);
  if (check("vecmat_bf16", y, want2, scale2, N2))
    return 1;

  // A product made of spec ops on subviews in a loop (kernels.mlir).
  if (checkProduct("tiled_gemm", tiled_gemm, 29, 41, 48))
    return 1;
  puts("OK");
  return 0;
}
