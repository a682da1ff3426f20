/*===-- tessel-c/Tessel.h - Tessel's C interface ------------------*- C -*-===*\
|*                                                                            *|
|* Compile MLIR modules of spec (or linalg) ops for this machine, call their  *|
|* functions on caller-owned buffers, time them, explain the programs the     *|
|* search picks, and read memo databases. The conventions are MLIR's C API's: *|
|* opaque handles passed by value, strings as (pointer, length) pairs that    *|
|* are not necessarily NUL-terminated, output through callbacks, and no call  *|
|* ever aborts: whatever can fail returns a TesselError, null on success.     *|
|*                                                                            *|
|* The header needs only the C standard library; tessel-c/Registration.h adds *|
|* Tessel's dialects and passes to an MLIR C API registry.                    *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef TESSEL_C_TESSEL_H
#define TESSEL_C_TESSEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32)
#define TESSEL_CAPI_EXPORTED __declspec(dllexport)
#else
#define TESSEL_CAPI_EXPORTED __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/*===----------------------------------------------------------------------===*
 * Strings and errors
 *===----------------------------------------------------------------------===*/

/// A string that the callee does not own (need not be NUL-terminated).
typedef struct {
  const char *data;
  size_t length;
} TesselStringRef;

/// The string of a NUL-terminated C string.
TESSEL_CAPI_EXPORTED TesselStringRef
tesselStringRefCreateFromCString(const char *str);

/// Receives output in one or more pieces (as MlirStringCallback does).
typedef void (*TesselStringCallback)(TesselStringRef piece, void *userData);

/// What went wrong, so that a binding can raise the matching exception.
typedef enum {
  /// The source does not parse, verify, synthesize or compile; or an
  /// option or a database is invalid. The message holds every located
  /// diagnostic ("file:line:col: error: ...").
  TESSEL_ERROR_COMPILE = 1,
  /// An argument has the wrong element type (or is not a buffer).
  TESSEL_ERROR_TYPE = 2,
  /// An argument has the wrong rank or shape, is read-only but written, or
  /// overlaps an output; or the call names no such function or passes the
  /// wrong number of arguments.
  TESSEL_ERROR_VALUE = 3,
  /// Memory, files or the machine failed us.
  TESSEL_ERROR_RUNTIME = 4,
} TesselErrorKind;

/// An error; a null `ptr` means success.
typedef struct {
  void *ptr;
} TesselError;

static inline bool tesselErrorIsNull(TesselError error) { return !error.ptr; }
TESSEL_CAPI_EXPORTED TesselErrorKind tesselErrorGetKind(TesselError error);
/// The whole message; valid until the error is destroyed.
TESSEL_CAPI_EXPORTED TesselStringRef tesselErrorGetMessage(TesselError error);
TESSEL_CAPI_EXPORTED void tesselErrorDestroy(TesselError error);

/// "major.minor.patch" of this library.
TESSEL_CAPI_EXPORTED TesselStringRef tesselGetVersion(void);

/*===----------------------------------------------------------------------===*
 * Element types
 *===----------------------------------------------------------------------===*/

typedef enum {
  TESSEL_DTYPE_F32 = 0,
  TESSEL_DTYPE_F64 = 1,
  TESSEL_DTYPE_F16 = 2,
  /// bfloat16: 16-bit storage, the upper half of an f32.
  TESSEL_DTYPE_BF16 = 3,
  TESSEL_DTYPE_I8 = 4,
  TESSEL_DTYPE_I16 = 5,
  TESSEL_DTYPE_I32 = 6,
  TESSEL_DTYPE_I64 = 7,
} TesselDType;

/// "f32", "bf16", ...; "?" for a value outside the enum.
TESSEL_CAPI_EXPORTED TesselStringRef tesselDTypeGetName(TesselDType dtype);
/// Bytes per element (0 for a value outside the enum).
TESSEL_CAPI_EXPORTED size_t tesselDTypeGetSize(TesselDType dtype);

/*===----------------------------------------------------------------------===*
 * Compiling
 *===----------------------------------------------------------------------===*/

/// Progress of a long search, reported about every quarter second once a
/// search has run for a second (from the compiling thread or a search
/// thread, never two at once).
typedef struct {
  uint64_t specsSolved;
  uint64_t specsExpanded;
  uint64_t memoHits;
  double seconds;
} TesselProgress;
typedef void (*TesselProgressCallback)(const TesselProgress *progress,
                                       void *userData);

typedef struct {
  /// "host" (NULL or empty too), "avx512" or "avx2".
  const char *target;
  /// Cores the programs are synthesized for and run on: 0 for all of them
  /// (OMP_NUM_THREADS at run time), 1 for serial code.
  unsigned threads;
  /// Threads of the search (0: all cores); the program is the same for any.
  unsigned searchThreads;
  /// Specs the search may expand per op (0: no limit); past it the program
  /// is the best among blocks of 256, with a warning.
  uint64_t searchBudget;
  /// A memo database to read and update (NULL or empty: none).
  const char *database;
  /// Replace a database made for another target or cost model, or a
  /// damaged one, with a warning instead of failing.
  bool ignoreDatabaseMismatch;
  /// Called while a search runs long (NULL: no reports).
  TesselProgressCallback progress;
  void *progressUserData;
} TesselCompileOptions;

/// The defaults: host, all cores, default budget, no database.
TESSEL_CAPI_EXPORTED void
tesselCompileOptionsInit(TesselCompileOptions *options);

/// A compiled module: its functions, JIT-compiled for this machine.
typedef struct {
  void *ptr;
} TesselModule;

/// Parses `source` (MLIR text; `sourceName` names it in diagnostics),
/// imports its linalg ops (--tessel-import-linalg), synthesizes its spec
/// ops, lowers everything and JIT-compiles it. Each public function with a
/// body that takes statically shaped strided memrefs and returns nothing
/// becomes callable; other public functions are left out with a warning
/// (tesselModuleGetUncallableReason), and a module with none is an error. On
/// success `*result` owns the module; warnings are kept in it
/// (tesselModuleGetDiagnostics).
TESSEL_CAPI_EXPORTED TesselError
tesselModuleCompile(TesselStringRef source, TesselStringRef sourceName,
                    const TesselCompileOptions *options, TesselModule *result);
/// Destroys the module; its functions must not be called any more.
TESSEL_CAPI_EXPORTED void tesselModuleDestroy(TesselModule module);
/// Warnings and remarks the compilation printed (may be empty).
TESSEL_CAPI_EXPORTED TesselStringRef
tesselModuleGetDiagnostics(TesselModule module);

/// Prints each spec op of `source` (after importing linalg) and the program
/// the search picks for it, as `tessel explain` does, to `callback`.
TESSEL_CAPI_EXPORTED TesselError
tesselExplain(TesselStringRef source, TesselStringRef sourceName,
              const TesselCompileOptions *options,
              TesselStringCallback callback, void *userData);

/*===----------------------------------------------------------------------===*
 * Functions and calls
 *===----------------------------------------------------------------------===*/

/// A function of a module; valid while the module lives.
typedef struct {
  const void *ptr;
} TesselFunction;

static inline bool tesselFunctionIsNull(TesselFunction function) {
  return !function.ptr;
}
TESSEL_CAPI_EXPORTED intptr_t tesselModuleGetNumFunctions(TesselModule module);
TESSEL_CAPI_EXPORTED TesselFunction tesselModuleGetFunction(TesselModule module,
                                                            intptr_t index);
/// The function named `name`, or a null one.
TESSEL_CAPI_EXPORTED TesselFunction
tesselModuleLookupFunction(TesselModule module, TesselStringRef name);

/// Why the public function `name` was left out of the module (its
/// signature cannot be called from here); empty if it was not.
TESSEL_CAPI_EXPORTED TesselStringRef
tesselModuleGetUncallableReason(TesselModule module, TesselStringRef name);

TESSEL_CAPI_EXPORTED TesselStringRef
tesselFunctionGetName(TesselFunction function);
/// Floating-point operations of one call (2 per multiply-add); 0 when the
/// function has no spec ops that compute.
TESSEL_CAPI_EXPORTED double tesselFunctionGetFlops(TesselFunction function);
TESSEL_CAPI_EXPORTED intptr_t
tesselFunctionGetNumArguments(TesselFunction function);

/// One memref argument as the function declares it.
typedef struct {
  TesselDType dtype;
  intptr_t rank;
  /// `rank` sizes and strides (in elements), and the offset (in elements)
  /// of element [0, ..., 0] from the memref's base.
  const int64_t *shape;
  const int64_t *strides;
  int64_t offset;
  /// The function writes it: it is an output (maybe also read).
  bool written;
  /// Its MLIR type, e.g. "memref<64x32xf32, strided<[1, 64]>>".
  TesselStringRef type;
} TesselArgument;

/// Argument `index` (0 <= index < tesselFunctionGetNumArguments).
TESSEL_CAPI_EXPORTED TesselArgument
tesselFunctionGetArgument(TesselFunction function, intptr_t index);

/// A caller's buffer: `data` is the address of element [0, ..., 0] and
/// `strides` are in bytes (as numpy's and Python's buffer protocol's).
/// Any strides work: buffers laid out otherwise than the argument are
/// copied in (and outputs back out) around the call.
typedef struct {
  void *data;
  TesselDType dtype;
  intptr_t rank;
  const int64_t *shape;
  const int64_t *strides;
  bool readonly;
} TesselBuffer;

/// Calls `function` with one buffer per argument. Element types, ranks,
/// shapes and writability are checked first (an error names the argument).
/// Inputs that share memory with an output are copied first; two outputs
/// that share memory are refused. Safe to call from several threads at once.
TESSEL_CAPI_EXPORTED TesselError
tesselFunctionCall(TesselFunction function, const TesselBuffer *arguments,
                   intptr_t numArguments);

/// The best time in seconds of one call over `samples` timed batches (after
/// a warm-up), each about 50 ms long. With `arguments` NULL (and
/// `numArguments` 0) the function runs on seeded random buffers of its own.
TESSEL_CAPI_EXPORTED TesselError
tesselFunctionBench(TesselFunction function, const TesselBuffer *arguments,
                    intptr_t numArguments, unsigned samples, double *seconds);

/*===----------------------------------------------------------------------===*
 * Memo databases
 *===----------------------------------------------------------------------===*/

typedef struct {
  /// The target the database was made for, and what wrote it.
  TesselStringRef target;
  TesselStringRef producer;
  uint32_t formatVersion;
  uint64_t tables, specsSolved, boxes, sideEntries;
  /// Bytes of the file.
  uint64_t fileBytes;
} TesselDatabaseStats;

/// Reads the database at `path` (without changing it) and calls `callback`
/// once with its statistics (strings valid during the call).
typedef void (*TesselDatabaseStatsCallback)(const TesselDatabaseStats *stats,
                                            void *userData);
TESSEL_CAPI_EXPORTED TesselError tesselDatabaseGetStats(
    TesselStringRef path, TesselDatabaseStatsCallback callback, void *userData);

#ifdef __cplusplus
}
#endif

#endif // TESSEL_C_TESSEL_H
