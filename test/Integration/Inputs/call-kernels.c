// Calls kernels compiled by `tessel compile` through the generated header and
// checks them against naive loops. Prints OK, or the first mismatch.
#include "kernels.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static float randf(void) { return (float)rand() / RAND_MAX * 2.0f - 1.0f; }

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

int main(void) {
  enum { M = 67, K = 45, N = 50 };
  static float a[M * K], b[K * N], c[M * N];
  static double want[M * N], scale[M * N];
  for (int i = 0; i < M * K; ++i)
    a[i] = randf();
  for (int i = 0; i < K * N; ++i)
    b[i] = randf();
  for (int i = 0; i < M * N; ++i)
    c[i] = 1e9f; // overwritten
  gemm(a, b, c);
  for (int m = 0; m < M; ++m)
    for (int n = 0; n < N; ++n) {
      double s = 0, t = 0;
      for (int k = 0; k < K; ++k) {
        s += (double)a[m * K + k] * b[k * N + n];
        t += fabs((double)a[m * K + k] * b[k * N + n]);
      }
      want[m * N + n] = s;
      scale[m * N + n] = t;
    }
  if (check("gemm", c, want, scale, M * N))
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

  // The same product as gemm's, made of spec ops on subviews in a loop.
  enum { M3 = 29, K3 = 41, N3 = 48 };
  static float a3[M3 * K3], b3[K3 * N3], c3[M3 * N3];
  static double want3[M3 * N3], scale3[M3 * N3];
  for (int i = 0; i < M3 * K3; ++i)
    a3[i] = randf();
  for (int i = 0; i < K3 * N3; ++i)
    b3[i] = randf();
  for (int i = 0; i < M3 * N3; ++i)
    c3[i] = 1e9f; // overwritten
  for (int m = 0; m < M3; ++m)
    for (int n = 0; n < N3; ++n) {
      double s = 0, t = 0;
      for (int k = 0; k < K3; ++k) {
        s += (double)a3[m * K3 + k] * b3[k * N3 + n];
        t += fabs((double)a3[m * K3 + k] * b3[k * N3 + n]);
      }
      want3[m * N3 + n] = s;
      scale3[m * N3 + n] = t;
    }
  tiled_gemm(a3, b3, c3);
  if (check("tiled_gemm", c3, want3, scale3, M3 * N3))
    return 1;
  puts("OK");
  return 0;
}
