//===- UkernelOps.td - Microkernel operations ---------------*- tablegen -*-===//
//
// The leaves of synthesized programs. Each op is one microkernel of the
// engine's catalog (include/tessel/Synthesis/Kernels.h) applied to small,
// statically shaped boxes of memory.
//
// Operands are physical boxes: memrefs whose dimensions are the physical
// entries of the operand's layout (e.g. `[n/16][k][16]` for a packed
// right-hand side). Each operand has an affine map from the op's logical
// index space (`sizes`) to indices of its box, e.g.
// `(k, n) -> (n floordiv 16, k, n mod 16)`. Register tiles are boxes too
// (stack buffers indexed by constants, which LLVM keeps in registers).
//
//===----------------------------------------------------------------------===//

#ifndef TESSEL_DIALECT_UKERNEL_IR_UKERNELOPS_TD
#define TESSEL_DIALECT_UKERNEL_IR_UKERNELOPS_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/CommonAttrConstraints.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Ukernel_Dialect : Dialect {
  let name = "ukernel";
  let cppNamespace = "::tessel::ukernel";
  let summary = "Microkernels: the leaves of synthesized programs";
  let description = [{
    `--tessel-synthesize` emits one `ukernel` op per microkernel leaf of the
    chosen program; `--tessel-lower-microkernels` expands each into `vector`,
    `x86vector`, `memref`, `arith` and `scf` ops, unrolled over the register
    tile.
  }];
}

def Ukernel_Box : StaticShapeMemRefOf<[AnyType]>;

class Ukernel_Op<string mnemonic, list<Trait> traits = []>
    : Op<Ukernel_Dialect, mnemonic, traits> {
  let hasVerifier = 1;
}

// A contraction tile: c[m, n] += a[m, k] * b[k, n]. Tiles with a k loop of
// register-tile steps (`withPrefetch`) can also prefetch cache lines of other
// boxes, spread over that loop: lines [first, first + lines) of each.
class Ukernel_TileOp<string mnemonic, bit withPrefetch = 0>
    : Ukernel_Op<mnemonic, !if(withPrefetch, [AttrSizedOperandSegments], [])> {
  dag tileArguments = (ins Arg<Ukernel_Box, "lhs box", [MemRead]>:$lhs,
                           Arg<Ukernel_Box, "rhs box", [MemRead]>:$rhs,
                           Arg<Ukernel_Box, "accumulator box",
                               [MemRead, MemWrite]>:$acc);
  dag tileAttributes = (ins AffineMapAttr:$lhsMap, AffineMapAttr:$rhsMap,
                            AffineMapAttr:$accMap, DenseI64ArrayAttr:$sizes,
                            I64Attr:$lanes);
  let arguments = !if(withPrefetch,
      !con(tileArguments,
           (ins Variadic<AnyStridedMemRef>:$prefetch,
                Variadic<Index>:$prefetchFirst),
           tileAttributes,
           (ins DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$prefetchLines)),
      !con(tileArguments, tileAttributes));
  let assemblyFormat = !if(withPrefetch, [{
    $lhs `[` $lhsMap `]` `*` $rhs `[` $rhsMap `]` `into` $acc `[` $accMap `]`
    `sizes` $sizes `lanes` $lanes
    (`prefetch` $prefetch^ `[` $prefetchFirst `]` `lines` $prefetchLines `:`
     type($prefetch))?
    attr-dict `:` type($lhs) `,` type($rhs) `->` type($acc)
  }], [{
    $lhs `[` $lhsMap `]` `*` $rhs `[` $rhsMap `]` `into` $acc `[` $accMap `]`
    `sizes` $sizes `lanes` $lanes attr-dict `:` type($lhs) `,` type($rhs) `->`
    type($acc)
  }]);
  let extraClassDeclaration = [{
    int64_t getM() { return getSizes()[0]; }
    int64_t getK() { return getSizes()[1]; }
    int64_t getN() { return getSizes()[2]; }
  }];
}

def Ukernel_BroadcastFmaOp : Ukernel_TileOp<"broadcast_fma", 1> {
  let summary = "Register-tile multiply-add with broadcast lhs elements";
  let description = [{
    `acc[m, n] += lhs[m, k] * rhs[k, n]` over `sizes = [M, K, N]`, in
    vectors of `lanes` f32 elements along n. Per k: load the ceil(N/lanes)
    vectors of an rhs row, broadcast each of the M lhs elements,
    multiply-add into the accumulator vectors (held in registers across the
    whole k loop). lhs and rhs are f32 or bf16 (widened as loaded); acc is
    f32. When lanes do not divide N, the last vector of a row is partial:
    masked where a box ends (zeros read past it, nothing written), so a
    register tile whose box is padded to whole vectors is accessed whole.

    An optional `prefetch %box[%first] lines [count]` (one entry per box)
    asks the kernel to fetch lines [first, first + count) of each box into
    L2 while it runs, spread over its k loop. A box's lines are numbered row
    by row along its innermost dimension, each row starting a 64-byte line;
    lines past the box are skipped. `dot_bf16` takes the same clause.

    ```mlir
    ukernel.broadcast_fma %a[affine_map<(m, k, n) -> (m, k)>]
        * %b[affine_map<(m, k, n) -> (k, n)>] into %c[affine_map<(m, k, n) -> (m, n)>]
        sizes [4, 64, 32] lanes 16 : memref<4x64xf32, strided<[64, 1], offset: ?>>,
        memref<64x32xf32>, memref<4x32xf32>
    ```
  }];
}

def Ukernel_DotBf16Op : Ukernel_TileOp<"dot_bf16", 1> {
  let summary = "bf16 register-tile multiply-add with pairwise dot products";
  let description = [{
    `acc[m, n] += lhs[m, k] * rhs[k, n]` over `sizes = [M, K, N]` for bf16
    lhs and rhs and an f32 acc, K even. rhs is pair-packed: the map sends
    `(k, n)` to `(..., n, k mod 2)` with the last two box dimensions
    contiguous, so one vector load reads the pairs of 16 columns. Lowers to
    `x86vector.avx512.dot` (vdpbf16ps).
  }];
}

def Ukernel_DotReduceOp : Ukernel_TileOp<"dot_reduce"> {
  let summary = "Multiply-add of dot products along k, reduced horizontally";
  let description = [{
    `acc[m, n] += sum_k lhs[m, k] * rhs[k, n]` over `sizes = [M, K, N]`,
    for lhs rows and rhs columns that are contiguous along k (rhs stored
    n-major, as in `A * B^T`). Keeps M x N accumulator vectors of `lanes` f32
    partial sums along k in registers; each k step loads M lhs and N rhs
    vectors and multiply-adds every pair. A K that is not a multiple of
    `lanes` ends with one masked step. At the end each accumulator is summed
    horizontally and added to its (scalar) acc element. lhs and rhs are f32
    or bf16 (widened as loaded); acc is f32.

    ```mlir
    ukernel.dot_reduce %a[affine_map<(m, k, n) -> (m, k)>]
        * %b[affine_map<(m, k, n) -> (n, k)>] into %c[affine_map<(m, k, n) -> (m, n)>]
        sizes [1, 100, 4] lanes 16 : memref<1x100xf32>, memref<4x100xf32>,
        memref<1x4xf32>
    ```
  }];
}

def Ukernel_ScalarFmaOp : Ukernel_TileOp<"scalar_fma"> {
  let summary = "One scalar multiply-add, widening the inputs if needed";
  let description = [{
    `acc[0, 0] += lhs[0, 0] * rhs[0, 0]` (`sizes = [1, 1, 1]`, `lanes` 0):
    the universal fallback leaf. Accumulates whatever `spec.matmul` admits
    (`spec::isValidAccumulation`, each input on its own): f32 from f32, bf16
    or f16 (widened); bf16 or f16 from its own type (computed in f32,
    rounded after each step); i32 from i8, i16 or i32 and i8/i16 from their
    own type (sign-extended, wrapping).
  }];
}

def Ukernel_CopyOp : Ukernel_Op<"copy"> {
  let summary = "Copy a box in vector rows (or elements), widening if asked";
  let description = [{
    `dst[i] = src[i]` for every index of `sizes`. With `lanes` > 0, the
    innermost logical dimension of both maps is copied in vectors of
    `lanes` elements (both boxes contiguous along it; a row's partial last
    vector is masked on each side where that box ends); with `lanes` = 0,
    element by element. A bf16/f16 source with an f32 destination is
    widened, and so is an integer source with a wider integer destination
    (sign-extended).
  }];
  let arguments = (ins Arg<Ukernel_Box, "source box", [MemRead]>:$src,
                       Arg<Ukernel_Box, "destination box", [MemWrite]>:$dst,
                       AffineMapAttr:$srcMap, AffineMapAttr:$dstMap,
                       DenseI64ArrayAttr:$sizes, I64Attr:$lanes, I64Attr:$dim);
  let assemblyFormat = [{
    $src `[` $srcMap `]` `to` $dst `[` $dstMap `]` `sizes` $sizes `lanes` $lanes
    `along` $dim attr-dict `:` type($src) `->` type($dst)
  }];
}

def Ukernel_PackBf16PairsOp : Ukernel_Op<"pack_bf16_pairs"> {
  let summary = "Interleave two bf16 rows into (k, k+1) pairs";
  let description = [{
    For `sizes = [2, N]`: `dst[k, n] = src[k, n]` where dst stores the two
    rows interleaved as pairs (`(k, n) -> (n, k)` with both box dimensions
    contiguous), the layout `ukernel.dot_bf16` reads.
  }];
  let arguments = (ins Arg<Ukernel_Box, "source box", [MemRead]>:$src,
                       Arg<Ukernel_Box, "destination box", [MemWrite]>:$dst,
                       AffineMapAttr:$srcMap, AffineMapAttr:$dstMap,
                       DenseI64ArrayAttr:$sizes, I64Attr:$lanes);
  let assemblyFormat = [{
    $src `[` $srcMap `]` `to` $dst `[` $dstMap `]` `sizes` $sizes `lanes` $lanes
    attr-dict `:` type($src) `->` type($dst)
  }];
}

def Ukernel_FillOp : Ukernel_Op<"fill"> {
  let summary = "Fill a box with a constant, in vector rows or elements";
  let arguments = (ins Arg<Ukernel_Box, "destination box", [MemWrite]>:$dst,
                       AffineMapAttr:$dstMap, DenseI64ArrayAttr:$sizes,
                       TypedAttrInterface:$value, I64Attr:$lanes, I64Attr:$dim);
  let assemblyFormat = [{
    $value `to` $dst `[` $dstMap `]` `sizes` $sizes `lanes` $lanes `along` $dim
    attr-dict `:` type($dst)
  }];
}

def Ukernel_ElementwiseOp : Ukernel_Op<"elementwise"> {
  let summary = "out = fn(inputs) on a box, in vector rows or elements";
  let description = [{
    `out[i] = fn(inputs[0][i], ...)` for every index `i` of `sizes`, in f32
    (bf16 inputs widen). `fn` is one of the engine's elementwise functions
    (include/tessel/Synthesis/Elementwise.h): `add`, `sub`, `mul`, `div`,
    `max`, `min` (two inputs); `relu`, `neg`, `abs`, `exp`, `tanh`,
    `sigmoid`, `gelu`, `gelu_tanh`, `reciprocal`, `broadcast` (the input
    as it is) (one); `muladd` (three: `a * b + c`, a
    fused multiply-add; a depthwise convolution's tap passes its output as
    `c` and as `out`, so each point accumulates). `then` names a function
    of one input applied to the result before it is stored (a binary op's
    epilogue: `"add" then "relu"`). An input whose map does
    not use an index is broadcast along it. With `lanes` > 0, dimension `dim` runs in
    vectors (out and the inputs that use `dim` contiguous along it; a row's
    partial last vector is masked; an input that does not use `dim` is one
    element broadcast to a vector; an input whose innermost box dimension,
    indexed by `dim`, is strided has its vectors gathered: at stride 2 the
    even lanes of two contiguous loads, else element by element); with
    `lanes` = 0, element by element.

    `streaming` says the output is not read again before it would leave the
    caches (it is larger than they are): its whole cache lines are stored
    with non-temporal stores (`vmovntps`), which write lines to memory
    without reading them first. Each row's head up to the first line
    boundary and its tail are masked ordinary stores; one `sfence` at the
    end of the enclosing parallel loop's body (else before the function
    returns) orders the streaming stores for whoever reads the output next.
    It applies to rows of at least two lines along the output's contiguous
    innermost dimension, in vectors that tile a line, with inputs
    contiguous or broadcast there, from an output whose base is
    element-aligned; elsewhere the op stores as usual.

    ```mlir
    ukernel.elementwise add(%x, %bias) maps [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>]
        to %y[affine_map<(d0, d1) -> (d0, d1)>] sizes [4, 64] lanes 16 along 1
        : memref<4x64xf32>, memref<64xf32> -> memref<4x64xf32>
    ```
  }];
  let arguments = (ins Arg<Variadic<Ukernel_Box>, "input boxes", [MemRead]>:$inputs,
                       Arg<Ukernel_Box, "output box", [MemWrite]>:$out,
                       AffineMapArrayAttr:$inputMaps, AffineMapAttr:$outMap,
                       DenseI64ArrayAttr:$sizes, StrAttr:$fn, I64Attr:$lanes,
                       I64Attr:$dim, OptionalAttr<StrAttr>:$epilogue,
                       UnitAttr:$streaming);
  let assemblyFormat = [{
    $fn (`then` $epilogue^)? `(` $inputs `)` `maps` $inputMaps `to` $out `[`
    $outMap `]` `sizes` $sizes `lanes` $lanes `along` $dim (`streaming`
    $streaming^)? attr-dict `:` type($inputs) `->` type($out)
  }];
}

def Ukernel_ReduceOp : Ukernel_Op<"reduce"> {
  let summary = "out (fn)= x along one index of the box, in vectors";
  let description = [{
    `out[i] = fn(out[i], x[i, r])` over index `reduced` of `sizes` (`out`'s
    map does not use it), in f32 (bf16 x widens); `fn` is `sum` or `max`.
    With `lanes` > 0, index `dim` runs in vectors along x's contiguous
    innermost box dimension: when it is the reduced index, per-lane
    accumulators are reduced horizontally at the end of each row (the
    partial last vector masked with the identity); otherwise out's rows,
    contiguous along `dim` too, accumulate x's rows vector by vector. With
    `lanes` = 0, element by element.
  }];
  let arguments = (ins Arg<Ukernel_Box, "input box", [MemRead]>:$x,
                       Arg<Ukernel_Box, "accumulator box",
                           [MemRead, MemWrite]>:$out,
                       AffineMapAttr:$xMap, AffineMapAttr:$outMap,
                       DenseI64ArrayAttr:$sizes, StrAttr:$fn, I64Attr:$reduced,
                       I64Attr:$lanes, I64Attr:$dim);
  let assemblyFormat = [{
    $fn `(` $x `[` $xMap `]` `)` `into` $out `[` $outMap `]` `sizes` $sizes
    `reducing` $reduced `lanes` $lanes `along` $dim attr-dict `:` type($x)
    `->` type($out)
  }];
}

#endif // TESSEL_DIALECT_UKERNEL_IR_UKERNELOPS_TD
