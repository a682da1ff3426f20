//===- SpecOps.td - Operations of the spec dialect ---------*- tablegen -*-===//

#ifndef TESSEL_DIALECT_SPEC_IR_SPECOPS_TD
#define TESSEL_DIALECT_SPEC_IR_SPECOPS_TD

include "tessel/Dialect/Spec/IR/SpecAttrs.td"
include "tessel/Dialect/Spec/IR/SpecInterfaces.td"
include "mlir/Interfaces/DestinationStyleOpInterface.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

// Spec ops work on statically shaped memrefs, or on statically shaped tensors
// before bufferization (all operands of one op are the one or the other);
// operands are checked further by the op verifiers, which name the operand
// and dimension at fault.
def Spec_Operand : AnyTypeOf<[StaticShapeMemRefOf<[AnyType]>,
                              StaticShapeTensorOf<[AnyType]>]>;

// Each element of the output is computed from the inputs' elements at its
// own index (or, along a broadcast dimension, at index 0) only, so the
// output may be the very buffer of an input of its shape.
def Spec_ComputesInPlace : NativeOpTrait<"ComputesInPlace"> {
  let cppNamespace = "::tessel::spec";
}

// The op applies the function of the engine's elementwise catalog that its
// mnemonic names (spec.add: add, spec.gelu_tanh: gelu_tanh, spec.broadcast:
// the identity), so the bridge and the reference need no list of them.
def Spec_AppliesCatalogFunction : NativeOpTrait<"AppliesCatalogFunction"> {
  let cppNamespace = "::tessel::spec";
}

class Spec_Op<string mnemonic, list<Trait> traits = []>
    : Op<Spec_Dialect, mnemonic, !listconcat(traits, [
        DestinationStyleOpInterface, Spec_SpecOpInterface,
        DeclareOpInterfaceMethods<InferTypeOpInterface>,
        DeclareOpInterfaceMethods<MemoryEffectsOpInterface>])> {
  let hasVerifier = 1;
  // On tensors, the op returns its output's new value (the result type is
  // the output's; on memrefs there is no result).
  let results = (outs Variadic<AnyStaticShapeTensor>:$result);
  // All spec ops have their destination as the last operand, `$out`.
  let extraClassDeclaration = [{
    ::mlir::MutableOperandRange getDpsInitsMutable() { return getOutMutable(); }
  }];
  // Definitions of one op class beyond the ones every spec op shares.
  code specOpDefinition = "";
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *, ::std::optional<::mlir::Location>,
        ::mlir::ValueRange operands, ::mlir::DictionaryAttr,
        ::mlir::OpaqueProperties, ::mlir::RegionRange,
        ::llvm::SmallVectorImpl<::mlir::Type> &types) {
      return inferSpecOpTypes(operands, types);
    }
    void $cppClass::getEffects(::llvm::SmallVectorImpl<
        ::mlir::SideEffects::EffectInstance<::mlir::MemoryEffects::Effect>>
        &effects) {
      getSpecOpEffects(*this, effects);
    }
  }] # specOpDefinition;
}

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

def Spec_MatmulOp : Spec_Op<"matmul"> {
  let summary = "Matrix multiplication, optionally batched and accumulating";
  let description = [{
    `out = lhs * rhs` (or `out += lhs * rhs` when accumulating) for
    `lhs: M x K`, `rhs: K x N`, `out: M x N`, or the batched form with a
    leading batch dimension on all three operands. Matrix-vector and
    vector-matrix products are the shapes with N = 1 and M = 1.

    Element types: `lhs` and `rhs` agree; `out` has the same type, or f32 for
    bf16/f16 inputs, or i32 for i8/i16 inputs.

    ```mlir
    spec.matmul %c = %a * %b : memref<64x32xf32> * memref<32x16xf32> -> memref<64x16xf32>
    spec.matmul %c += %a * %b : memref<1x2048xbf16> * memref<2048x16384xbf16> -> memref<1x16384xf32>
    ```
  }];
  let arguments = (ins Spec_Operand:$lhs, Spec_Operand:$rhs, Spec_Operand:$out,
                       UnitAttr:$accumulate);
  let assemblyFormat = [{
    $out custom<Assignment>($accumulate) $lhs `*` $rhs attr-dict `:`
    type($lhs) `*` type($rhs) `->` type($out)
  }];
  let extraClassDeclaration = [{
    ::mlir::MutableOperandRange getDpsInitsMutable() { return getOutMutable(); }
    /// 2 M N K (times the batch): SpecOpInterface.
    double getFlopCount();
  }];
}

def Spec_Conv2DOp : Spec_Op<"conv2d"> {
  let summary = "2-D convolution (or depthwise) with strides, dilations and padding";
  let description = [{
    `out[n, f, y, x] (+)= sum_{c, r, s} image[n, c, y * sh + r * dh,
    x * sw + s * dw] * filters[f, c, r, s]`, written here for the default
    `format = "nchw_fchw"`; `"nhwc_hwcf"` and `"nhwc_fhwc"` place the same
    dims as their names say (the output follows the image). The depthwise
    formats `"nhwc_hwc"` and `"nchw_chw"` give each channel its own filter:
    `out[n, y, x, c] (+)= sum_{r, s} image[n, y * sh + r * dh, x * sw +
    s * dw, c] * filters[r, s, c]` (the output has the image's channels).
    Strides
    `[sh, sw]` and dilations `[dh, dw]` default to 1. The output's height is
    `(H - (R - 1) * dh - 1) / sh + 1` (rows past the last window are not
    read), likewise its width. Element types follow the rules of
    `spec.matmul`.

    `padding` surrounds the image with zeros without materialising them:
    `[top, left, bottom, right]` (ONNX's order: the starts of height and
    width, then their ends) or `[height, width]` for the same padding on
    both sides. The formulas above then read `H + top + bottom` for `H`,
    and image rows are indexed from `-top`: taps that fall on the padding
    contribute nothing. Synthesis cuts a padded convolution into unpadded
    ones over its border and interior regions (fewer taps at the border)
    or, for a small image under large filters, into one 1x1 convolution
    per tap on the outputs that meet the image there (when the output and
    image fit the target's L2) or one on a zero-bordered copy of the image
    (docs/convolution.md).

    ```mlir
    spec.conv2d %o = conv(%img, %f) : memref<1x64x58x58xf32>, memref<64x64x3x3xf32> -> memref<1x64x56x56xf32>
    spec.conv2d %o = conv(%img, %f) {format = "nhwc_hwcf", strides = array<i64: 2, 2>} : memref<1x57x57x128xf32>, memref<3x3x128x128xf32> -> memref<1x28x28x128xf32>
    spec.conv2d %o = conv(%img, %f) {format = "nhwc_hwcf", padding = array<i64: 1, 1>} : memref<1x56x56x64xf32>, memref<3x3x64x64xf32> -> memref<1x56x56x64xf32>
    spec.conv2d %o = conv(%img, %f) {format = "nhwc_hwc", strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 0, 0>} : memref<1x112x112x32xf32>, memref<3x3x32xf32> -> memref<1x56x56x32xf32>
    ```
  }];
  let arguments = (ins Spec_Operand:$image, Spec_Operand:$filters, Spec_Operand:$out,
                       UnitAttr:$accumulate,
                       DefaultValuedAttr<StrAttr, "\"nchw_fchw\"">:$format,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilations,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0}">:$padding);
  let assemblyFormat = [{
    $out custom<Assignment>($accumulate) `conv` `(` $image `,` $filters `)`
    attr-dict `:` type($image) `,` type($filters) `->` type($out)
  }];
  let extraClassDeclaration = [{
    ::mlir::MutableOperandRange getDpsInitsMutable() { return getOutMutable(); }
    /// For the image, the filters and the output, the position of each of
    /// its logical dims in the operand: image (n, h, w, c), filters
    /// (r, s, c, f), out (n, h, w, f). Assumes a verified format.
    std::array<std::array<int64_t, 4>, 3> getDimPositions();
    /// The image rows and columns the windows reach ((out - 1) * stride +
    /// (filter - 1) * dilation + 1), in logical (h, w) order, counted from
    /// the first row of the padding.
    std::array<int64_t, 2> getImageExtentUsed();
    /// The padding as [top, left, bottom, right] whichever form it was
    /// written in. Assumes a verified op.
    std::array<int64_t, 4> getPads();
    /// Whether each channel has its own filter (format "nhwc_hwc" or
    /// "nchw_chw"): filters (r, s, c), and getDimPositions gives the
    /// filters' c as their f too.
    bool isDepthwise();
    /// Whether any side is padded.
    bool isPadded() {
      return ::llvm::any_of(getPadding(), [](int64_t p) { return p != 0; });
    }
    /// Two per output element and tap of its filter: SpecOpInterface.
    double getFlopCount();
  }];
}

//===----------------------------------------------------------------------===//
// Data movement and initialisation
//===----------------------------------------------------------------------===//

def Spec_MoveOp : Spec_Op<"move", [Spec_ComputesInPlace]> {
  let summary = "Copy, relayout (transpose, packing) or convert a buffer";
  let description = [{
    Copies `source` into `out`, element by element at equal logical indices.
    The two memrefs have the same shape; their layouts and memory levels may
    differ (a transpose, a packing, a move into a faster memory), and so may
    their element types where the conversion is a cast the targets support:
    bf16/f16 to f32 and back, and widening between i8, i16 and i32.

    ```mlir
    spec.move %packed = %b : memref<256x512xf32> -> memref<256x512xf32, #spec.layout<[d1 / 16, d0, d1 % 16]>>
    spec.move %w = %wbf16 : memref<64x64xbf16> -> memref<64x64xf32>
    ```
  }];
  let arguments = (ins Spec_Operand:$source, Spec_Operand:$out);
  let assemblyFormat = [{
    $out `=` $source attr-dict `:` type($source) `->` type($out)
  }];
}

def Spec_FillOp : Spec_Op<"fill"> {
  let summary = "Fill a buffer with zero, negative infinity or the minimum";
  let description = [{
    Writes `zero` (+0 for floating point), `neg_inf` (floating point only)
    or `min` (the lowest finite value of the element type; for integers the
    identity of a `max` reduction) to every element of `out`.

    ```mlir
    spec.fill %c = zero : memref<64x64xf32>
    ```
  }];
  let arguments = (ins Spec_Operand:$out, Spec_FillValue:$value);
  let assemblyFormat = "$out `=` $value attr-dict `:` type($out)";
}

//===----------------------------------------------------------------------===//
// Reductions, softmax and broadcasts
//===----------------------------------------------------------------------===//

def Spec_SoftmaxOp : Spec_Op<"softmax"> {
  let summary = "Softmax along one dimension";
  let description = [{
    `out = exp(input - max) / sum(exp(input - max))` along dimension `dim`;
    `input` and `out` have the same shape and a floating-point element type.

    ```mlir
    spec.softmax %y = softmax(%x) along 1 : memref<32x1024xf32> -> memref<32x1024xf32>
    ```
  }];
  let arguments = (ins Spec_Operand:$input, Spec_Operand:$out,
                       ConfinedAttr<I64Attr, [IntNonNegative]>:$dim);
  let assemblyFormat = [{
    $out `=` `softmax` `(` $input `)` `along` $dim attr-dict `:` type($input)
    `->` type($out)
  }];
}

def Spec_ReduceOp : Spec_Op<"reduce"> {
  let summary = "Sum, maximum or minimum along one dimension, keeping it as size 1";
  let description = [{
    Reduces `input` along dimension `dim` with `sum`, `max` or `min`. `out`
    has the shape of `input` with dimension `dim` set to 1, and its element type, or
    f32 for a bf16 or f16 input (computed in f32). When accumulating (`+=`),
    the result is combined with what `out` holds (added, or the maximum or
    minimum kept).

    ```mlir
    spec.reduce %m = max(%x) along 1 : memref<32x1024xf32> -> memref<32x1xf32>
    ```
  }];
  let arguments = (ins Spec_Operand:$input, Spec_Operand:$out,
                       Spec_ReductionKind:$kind,
                       ConfinedAttr<I64Attr, [IntNonNegative]>:$dim,
                       UnitAttr:$accumulate);
  let assemblyFormat = [{
    $out custom<Assignment>($accumulate) $kind `(` $input `)` `along` $dim
    attr-dict `:` type($input) `->` type($out)
  }];
}

def Spec_BroadcastOp : Spec_Op<"broadcast", [Spec_AppliesCatalogFunction]> {
  let summary = "Repeat a buffer along dimensions of size 1";
  let description = [{
    `out[..., i, ...] = input[..., 0, ...]` along each dimension of `dims`
    (increasing): `input` has the shape of `out` with those dimensions set
    to 1, and the same element type. Synthesized as the elementwise identity
    (`broadcast` in the engine's catalog) with its input broadcast; imported
    from `linalg.broadcast` and copy generics that add dimensions (a bias
    over the channels of an NCHW image, say).

    ```mlir
    spec.broadcast %full = broadcast(%row) along [0] : memref<1x64xf32> -> memref<32x64xf32>
    spec.broadcast %init = broadcast(%bias) along [0, 2, 3] : memref<1x64x1x1xf32> -> memref<2x64x28x28xf32>
    ```
  }];
  let arguments = (ins Spec_Operand:$input, Spec_Operand:$out,
                       DenseI64ArrayAttr:$dims);
  let assemblyFormat = [{
    $out `=` `broadcast` `(` $input `)` `along` $dims attr-dict `:`
    type($input) `->` type($out)
  }];
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

class Spec_ElementwiseBinaryOp<string mnemonic, string math>
    : Spec_Op<mnemonic, [Spec_ComputesInPlace, Spec_AppliesCatalogFunction]> {
  let summary = "Elementwise " # math;
  let description = [{
    `out = }] # math # [{` element by element. `lhs` and `rhs` have the rank
    of `out`, and each of their dimensions equals that of `out` or is 1 (the
    input is then broadcast along it: a bias per row or per column, a
    scalar). The inputs share an element type; `out` has it too, or is f32
    when the inputs are bf16 or f16 (computed in f32). `out` may be the same
    buffer as an input of its shape (in place).

    With `then` and a unary function (`relu`, `exp`, ... as the unary spec
    ops name them; an f32 `out` only), `out` is that function of the result,
    in the same pass: what the binary op followed by the unary
    op in place on `out` computes, without storing and reloading `out`
    between them (a bias add and its ReLU; softmax's subtract and exp).

    ```mlir
    spec.}] # mnemonic # [{ %y = }] # mnemonic # [{(%x, %bias) : memref<32x64xf32>, memref<1x64xf32> -> memref<32x64xf32>
    spec.}] # mnemonic # [{ %y = }] # mnemonic # [{(%x, %bias) then relu : memref<32x64xf32>, memref<1x64xf32> -> memref<32x64xf32>
    ```
  }];
  let arguments = (ins Spec_Operand:$lhs, Spec_Operand:$rhs, Spec_Operand:$out,
                       OptionalAttr<Spec_UnaryFn>:$epilogue);
  let specOpDefinition = [{
    ::llvm::LogicalResult $cppClass::verify() {
      if (::mlir::failed(verifyElementwise(
              *this, {{"lhs", getLhs()}, {"rhs", getRhs()}}, getOut(),
              /*floatOnly=*/getEpilogue().has_value())))
        return ::mlir::failure();
      ::mlir::Type out = ::mlir::getElementTypeOrSelf(getOut().getType());
      if (getEpilogue() && !out.isF32())
        return emitOpError("takes an epilogue ('then') into f32 only; 'out' "
                           "has ") << out;
      return ::mlir::success();
    }
  }];
  let assemblyFormat = [{
    $out `=` `}] # mnemonic # [{` `(` $lhs `,` $rhs `)` (`then` $epilogue^)?
    attr-dict `:` type($lhs) `,` type($rhs) `->` type($out)
  }];
}

def Spec_AddOp : Spec_ElementwiseBinaryOp<"add", "lhs + rhs">;
def Spec_SubOp : Spec_ElementwiseBinaryOp<"sub", "lhs - rhs">;
def Spec_MulOp : Spec_ElementwiseBinaryOp<"mul", "lhs * rhs">;
def Spec_DivOp : Spec_ElementwiseBinaryOp<"div", "lhs / rhs">;
def Spec_MaxOp : Spec_ElementwiseBinaryOp<"max", "max(lhs, rhs)">;
def Spec_MinOp : Spec_ElementwiseBinaryOp<"min", "min(lhs, rhs)">;

// `floatOnly`: the function is defined on floating-point types only.
class Spec_ElementwiseUnaryOp<string mnemonic, string math, bit floatOnly>
    : Spec_Op<mnemonic, [Spec_ComputesInPlace, Spec_AppliesCatalogFunction]> {
  let summary = "Elementwise " # math;
  let description = [{
    `out = }] # math # [{` element by element. `input` has the rank of `out`,
    and each of its dimensions equals that of `out` or is 1 (the input is
    then broadcast along it); `out` has the input's element type, or f32 when it is bf16 or f16
    (computed in f32)}] # !if(floatOnly, [{; the element type is a
    floating-point one}], "") # [{. `out` may be the same buffer as `input`
    (in place).

    ```mlir
    spec.}] # mnemonic # [{ %y = }] # mnemonic # [{(%x) : memref<32x64xf32> -> memref<32x64xf32>
    ```
  }];
  let arguments = (ins Spec_Operand:$input, Spec_Operand:$out);
  let specOpDefinition = [{
    ::llvm::LogicalResult $cppClass::verify() {
      return verifyElementwise(*this, {{"input", getInput()}}, getOut(),
                               /*floatOnly=*/}] # !if(floatOnly, "true", "false") # [{);
    }
  }];
  let assemblyFormat = [{
    $out `=` `}] # mnemonic # [{` `(` $input `)` attr-dict `:` type($input)
    `->` type($out)
  }];
}

def Spec_ReluOp : Spec_ElementwiseUnaryOp<"relu", "max(input, 0)", 0>;
def Spec_NegOp : Spec_ElementwiseUnaryOp<"neg", "-input", 0>;
def Spec_AbsOp : Spec_ElementwiseUnaryOp<"abs", "|input|", 0>;
def Spec_ExpOp : Spec_ElementwiseUnaryOp<"exp", "exp(input)", 1>;
def Spec_ReciprocalOp : Spec_ElementwiseUnaryOp<"reciprocal", "1 / input", 1>;
def Spec_TanhOp : Spec_ElementwiseUnaryOp<"tanh", "tanh(input)", 1>;
def Spec_SigmoidOp
    : Spec_ElementwiseUnaryOp<"sigmoid", "1 / (1 + exp(-input))", 1>;
def Spec_GeluOp
    : Spec_ElementwiseUnaryOp<"gelu", "input / 2 * (1 + erf(input / sqrt(2)))",
                              1>;
def Spec_GeluTanhOp
    : Spec_ElementwiseUnaryOp<"gelu_tanh",
          "input / 2 * (1 + tanh(sqrt(2 / pi) * (input + 0.044715 * input^3)))",
          1>;

#endif // TESSEL_DIALECT_SPEC_IR_SPECOPS_TD
