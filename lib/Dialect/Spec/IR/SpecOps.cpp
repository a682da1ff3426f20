//===- SpecOps.cpp - Operations of the spec dialect -----------------------===//
//
// Verifiers name the operand and the dimension at fault: a spec that reaches
// synthesis is well formed, so the search never sees inconsistent shapes.
//
//===----------------------------------------------------------------------===//

#include "tessel/Dialect/Spec/IR/SpecOps.h"

#include "llvm/ADT/StringExtras.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/Support/CheckedArithmetic.h"

using namespace mlir;
using namespace tessel::spec;

//===----------------------------------------------------------------------===//
// Assembly helpers
//===----------------------------------------------------------------------===//

// `=` writes the output; `+=` accumulates into it.
static ParseResult parseAssignment(OpAsmParser &parser, UnitAttr &accumulate) {
  if (succeeded(parser.parseOptionalPlus()))
    accumulate = parser.getBuilder().getUnitAttr();
  return parser.parseEqual();
}

static void printAssignment(OpAsmPrinter &printer, Operation *,
                            UnitAttr accumulate) {
  printer << (accumulate ? "+=" : "=");
}

//===----------------------------------------------------------------------===//
// Shared operand checks
//===----------------------------------------------------------------------===//

namespace {
/// An operand of a spec op, with the name verifiers use to point at it.
struct Operand {
  StringRef name;
  Value value;
  ShapedType type;

  Operand(StringRef name, Value value)
      : name(name), value(value), type(cast<ShapedType>(value.getType())) {}
  /// The operand's memref type; null for a tensor.
  MemRefType memref() const { return dyn_cast<MemRefType>(type); }
  int64_t rank() const { return type.getRank(); }
  int64_t dim(unsigned i) const { return type.getDimSize(i); }
  Type elementType() const { return type.getElementType(); }
};
} // namespace

bool tessel::spec::isSupportedElementType(Type type) {
  return type.isF32() || type.isBF16() || type.isF16() ||
         type.isSignlessInteger(8) || type.isSignlessInteger(16) ||
         type.isSignlessInteger(32);
}

std::optional<int64_t> tessel::spec::addressedElements(MemRefType type) {
  SmallVector<int64_t> strides;
  int64_t offset = 0;
  std::optional<int64_t> span = 1;
  if (failed(type.getStridesAndOffset(strides, offset))) {
    for (int64_t size : type.getShape())
      if (span && !ShapedType::isDynamic(size))
        span = llvm::checkedMul<int64_t>(*span, size);
    return span;
  }
  if (!ShapedType::isDynamic(offset) && offset < 0)
    return std::nullopt;
  span = ShapedType::isDynamic(offset) ? 0 : offset;
  for (auto [size, stride] : llvm::zip(type.getShape(), strides)) {
    if (ShapedType::isDynamic(stride) || ShapedType::isDynamic(size))
      continue;
    if (stride < 0 || !span)
      return std::nullopt;
    span = llvm::checkedMulAdd<int64_t>(std::max<int64_t>(size - 1, 0), stride,
                                        *span);
  }
  return span ? llvm::checkedAdd<int64_t>(*span, 1) : std::nullopt;
}

LogicalResult tessel::spec::verifyAddressable(
    llvm::function_ref<InFlightDiagnostic()> emitError, const Twine &what,
    MemRefType type) {
  // Negative offsets and strides first, by name.
  SmallVector<int64_t> strides;
  int64_t offset;
  if (succeeded(type.getStridesAndOffset(strides, offset))) {
    if (!ShapedType::isDynamic(offset) && offset < 0)
      return emitError() << what << " has offset " << offset
                         << "; its elements would lie before the start of "
                            "its buffer";
    for (auto [i, stride] : llvm::enumerate(strides))
      if (!ShapedType::isDynamic(stride) && stride < 0)
        return emitError() << what << " has stride " << stride
                           << " in dimension " << i
                           << "; Tessel takes non-negative strides";
  }
  uint64_t elementBytes = llvm::divideCeil(type.getElementTypeBitWidth(), 8);
  std::optional<int64_t> span = addressedElements(type);
  if (!span || uint64_t(*span) > kMaxOperandBytes / elementBytes)
    return emitError() << what << " spans more than 2^47 bytes (128 TiB, "
                       << "the x86-64 address space): " << type;
  return success();
}

/// Element type, layout, memory space and extents every spec operand needs.
static LogicalResult verifyOperand(Operation *op, const Operand &operand) {
  if (!isSupportedElementType(operand.elementType()))
    return op->emitOpError("operand '")
           << operand.name << "' has element type " << operand.elementType()
           << "; spec ops support f32, bf16, f16, i8, i16 and i32";
  for (unsigned i = 0, e = operand.rank(); i < e; ++i)
    if (operand.dim(i) < 1)
      return op->emitOpError("operand '")
             << operand.name << "' has an empty dimension " << i;
  // A tensor is a value: layouts and memories come with bufferization.
  MemRefType type = operand.memref();
  if (!type) {
    if (Attribute encoding = cast<RankedTensorType>(operand.type).getEncoding())
      return op->emitOpError("operand '")
             << operand.name << "' has encoding " << encoding
             << "; spec ops take plain (dense) tensors";
    return success();
  }

  MemRefLayoutAttrInterface layout = type.getLayout();
  if (auto strided = dyn_cast<StridedLayoutAttr>(layout)) {
    // Run-time strides are fine as long as vectors can run along a
    // dimension of static stride 1.
    ArrayRef<int64_t> strides = strided.getStrides();
    bool unitStride =
        llvm::all_of(type.getShape(), [](int64_t size) { return size == 1; });
    for (unsigned d = 0, e = type.getRank(); d < e; ++d)
      unitStride |= type.getDimSize(d) != 1 && strides[d] == 1;
    if (llvm::any_of(strides, ShapedType::isDynamic) && !unitStride)
      return op->emitOpError("operand '")
             << operand.name << "' has dynamic strides and no dimension of "
             << "static stride 1 for vectors to run along";
  } else if (!layout.isIdentity() && !isa<LayoutAttr>(layout)) {
    return op->emitOpError("operand '")
           << operand.name << "' has layout " << layout
           << "; spec ops take the identity, a strided layout or a "
              "#spec.layout";
  }

  if (failed(verifyAddressable([&] { return op->emitOpError(); },
                               "operand '" + operand.name + "'", type)))
    return failure();

  Attribute memorySpace = type.getMemorySpace();
  auto memory = dyn_cast_or_null<MemoryAttr>(memorySpace);
  if (memorySpace && !memory)
    return op->emitOpError("operand '")
           << operand.name << "' has memory space " << memorySpace
           << "; spec ops take none (global memory) or a #spec.memory";
  if (memory && memory.getVectorSize() &&
      type.getNumElements() % memory.getVectorSize() != 0)
    return op->emitOpError("operand '")
           << operand.name << "' holds " << type.getNumElements()
           << " elements, not a multiple of its vector size "
           << memory.getVectorSize();
  return success();
}

static LogicalResult verifyOperands(Operation *op, ArrayRef<Operand> operands) {
  bool tensors = !operands.back().memref();
  for (const Operand &operand : operands)
    if (!operand.memref() != tensors)
      return op->emitOpError("operand '")
             << operand.name << "' is a " << (tensors ? "memref" : "tensor")
             << " but '" << operands.back().name << "' is a "
             << (tensors ? "tensor" : "memref")
             << "; a spec op works on buffers or on tensors, not both";
  for (const Operand &operand : operands)
    if (failed(verifyOperand(op, operand)))
      return failure();
  return success();
}

static LogicalResult verifyRank(Operation *op, const Operand &operand,
                                int64_t rank, StringRef meaning) {
  if (operand.rank() != rank)
    return op->emitOpError("operand '")
           << operand.name << "' has rank " << operand.rank() << "; expected "
           << rank << " (" << meaning << ")";
  return success();
}

/// Dimension `da` of `a` and `db` of `b` are the same extent, `what`.
static LogicalResult verifySameDim(Operation *op, StringRef what,
                                   const Operand &a, unsigned da,
                                   const Operand &b, unsigned db) {
  if (a.dim(da) != b.dim(db))
    return op->emitOpError()
           << what << " mismatch: dimension " << da << " of '" << a.name
           << "' is " << a.dim(da) << " but dimension " << db << " of '"
           << b.name << "' is " << b.dim(db);
  return success();
}

/// `a` and `b` have the same shape.
static LogicalResult verifySameShape(Operation *op, const Operand &a,
                                     const Operand &b) {
  if (a.rank() != b.rank())
    return op->emitOpError("operand '")
           << b.name << "' has rank " << b.rank() << " but '" << a.name
           << "' has rank " << a.rank();
  for (unsigned i = 0, e = a.rank(); i < e; ++i)
    if (a.dim(i) != b.dim(i))
      return op->emitOpError("shape mismatch: dimension ")
             << i << " of '" << b.name << "' is " << b.dim(i)
             << " but dimension " << i << " of '" << a.name << "' is "
             << a.dim(i);
  return success();
}

static LogicalResult verifySameElementType(Operation *op, const Operand &a,
                                           const Operand &b) {
  if (a.elementType() != b.elementType())
    return op->emitOpError("operand '")
           << b.name << "' has element type " << b.elementType() << " but '"
           << a.name << "' has " << a.elementType();
  return success();
}

static LogicalResult verifyDimIndex(Operation *op, int64_t dim,
                                    const Operand &operand) {
  if (dim >= operand.rank())
    return op->emitOpError("dimension ")
           << dim << " is out of range for '" << operand.name << "' of rank "
           << operand.rank();
  return success();
}

/// `reduced` is `full` with dimensions `dims` set to 1.
static LogicalResult
verifyReducedShape(Operation *op, const Operand &full, const Operand &reduced,
                   ArrayRef<int64_t> dims,
                   StringRef what = "the reduced dimension") {
  if (full.rank() != reduced.rank())
    return op->emitOpError("operand '")
           << reduced.name << "' has rank " << reduced.rank() << " but '"
           << full.name << "' has rank " << full.rank();
  for (unsigned i = 0, e = full.rank(); i < e; ++i) {
    bool listed = llvm::is_contained(dims, int64_t(i));
    int64_t expected = listed ? 1 : full.dim(i);
    if (reduced.dim(i) != expected)
      return op->emitOpError("dimension ")
             << i << " of '" << reduced.name << "' is " << reduced.dim(i)
             << "; expected " << expected
             << (listed ? " (" + what.str() + ")"
                        : " (as in '" + full.name.str() + "')");
  }
  return success();
}

/// `out` is not (a view of) a constant global, which lives in read-only
/// memory.
static LogicalResult verifyWritable(Operation *op, const Operand &out) {
  if (!out.memref())
    return success();
  if (memref::GlobalOp global = constantGlobalOf(out.value))
    return op->emitOpError("operand '")
           << out.name << "' is a view of constant global @"
           << global.getSymName() << ", which cannot be written";
  return success();
}

/// Why two operands may overlap: one may be any buffer, or their layouts in
/// one buffer cannot be compared statically.
static void explainMayOverlap(InFlightDiagnostic &diag, const Operand &out,
                              const Operand &in) {
  for (const Operand *operand : {&out, &in}) {
    Value unknown = unknownBufferOf(operand->value);
    if (!unknown)
      continue;
    diag << "('" << operand->name << "' is a view of ";
    if (Operation *op = unknown.getDefiningOp())
      diag << "a result of '" << op->getName() << "'";
    else
      diag << "a block argument of '"
           << cast<BlockArgument>(unknown).getOwner()->getParentOp()->getName()
           << "'";
    diag << ", which may be any buffer)";
    return;
  }
  diag << "(their buffers, or their layouts in one buffer, cannot be told "
          "apart statically)";
}

/// `out` is writable and shares no element with an input; with `inPlace`,
/// it may also be exactly an input (each output element then reads only
/// that input's element at its own position, before writing it).
static LogicalResult verifyNoOverlap(Operation *op, const Operand &out,
                                     ArrayRef<Operand> inputs, bool inPlace) {
  if (!out.memref())
    return success(); // Tensors are values; bufferization keeps them apart.
  if (failed(verifyWritable(op, out)))
    return failure();
  if (sharesElements(out.memref()))
    return op->emitOpError("operand '")
           << out.name << "' has elements that share memory (strides "
           << "that overlap in " << out.type
           << "); an output needs an element per index";
  for (const Operand &in : inputs) {
    Overlap overlap = getOverlap(out.value, in.value);
    if (overlap == Overlap::Disjoint || (inPlace && overlap == Overlap::Same))
      continue;
    InFlightDiagnostic diag = op->emitOpError("operand '") << out.name << "' ";
    if (overlap == Overlap::Same)
      diag << "is operand '" << in.name << "'";
    else if (overlap == Overlap::Partial)
      diag << "overlaps operand '" << in.name << "'";
    else {
      diag << "may overlap operand '" << in.name << "' ";
      explainMayOverlap(diag, out, in);
    }
    diag << "; " << op->getName() << " cannot compute "
         << (inPlace ? "into a partly overlapping output" : "in place")
         << ": give the output its own buffer";
    return diag;
  }
  return success();
}

bool tessel::spec::isValidAccumulation(Type in, Type out) {
  if (in == out)
    return true;
  if ((in.isBF16() || in.isF16()) && out.isF32())
    return true;
  return (in.isSignlessInteger(8) || in.isSignlessInteger(16)) &&
         out.isSignlessInteger(32);
}

static LogicalResult verifyContractionTypes(Operation *op, const Operand &lhs,
                                            const Operand &rhs,
                                            const Operand &out) {
  if (failed(verifySameElementType(op, lhs, rhs)))
    return failure();
  if (!isValidAccumulation(lhs.elementType(), out.elementType()))
    return op->emitOpError("operand '")
           << out.name << "' has element type " << out.elementType()
           << ", which cannot accumulate products of " << lhs.elementType()
           << " (expected " << lhs.elementType()
           << ", f32 for bf16/f16, or i32 for i8/i16)";
  return success();
}

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

LogicalResult MatmulOp::verify() {
  Operand lhs("lhs", getLhs()), rhs("rhs", getRhs()), out("out", getOut());
  if (failed(verifyOperands(*this, {lhs, rhs, out})))
    return failure();
  if (lhs.rank() != 2 && lhs.rank() != 3)
    return emitOpError("operand 'lhs' has rank ")
           << lhs.rank() << "; expected 2 (M x K) or 3 (batch x M x K)";
  bool batched = lhs.rank() == 3;
  if (failed(verifyRank(*this, rhs, lhs.rank(),
                        batched ? "batch x K x N, as 'lhs' is batched"
                                : "K x N")) ||
      failed(
          verifyRank(*this, out, lhs.rank(),
                     batched ? "batch x M x N, as 'lhs' is batched" : "M x N")))
    return failure();
  unsigned b = batched ? 1 : 0; // First non-batch dimension.
  if (batched && (failed(verifySameDim(*this, "batch", lhs, 0, rhs, 0)) ||
                  failed(verifySameDim(*this, "batch", lhs, 0, out, 0))))
    return failure();
  if (failed(verifySameDim(*this, "K", lhs, b + 1, rhs, b)) ||
      failed(verifySameDim(*this, "M", lhs, b, out, b)) ||
      failed(verifySameDim(*this, "N", rhs, b + 1, out, b + 1)))
    return failure();
  if (failed(verifyNoOverlap(*this, out, {lhs, rhs}, /*inPlace=*/false)))
    return failure();
  return verifyContractionTypes(*this, lhs, rhs, out);
}

std::array<std::array<int64_t, 4>, 3> Conv2DOp::getDimPositions() {
  StringRef format = getFormat();
  std::array<int64_t, 4> image = format.starts_with("nhwc")
                                     ? std::array<int64_t, 4>{0, 1, 2, 3}
                                     : std::array<int64_t, 4>{0, 2, 3, 1};
  // A depthwise convolution's filter count is its channel count.
  std::array<int64_t, 4> filters =
      format.ends_with("_hwcf")   ? std::array<int64_t, 4>{0, 1, 2, 3}
      : format.ends_with("_fhwc") ? std::array<int64_t, 4>{1, 2, 3, 0}
      : format.ends_with("_hwc")  ? std::array<int64_t, 4>{0, 1, 2, 2}
      : format.ends_with("_chw")  ? std::array<int64_t, 4>{1, 2, 0, 0}
                                  : std::array<int64_t, 4>{2, 3, 1, 0};
  return {image, filters, image};
}

bool Conv2DOp::isDepthwise() {
  return getFormat().ends_with("_hwc") || getFormat().ends_with("_chw");
}

std::array<int64_t, 2> Conv2DOp::getImageExtentUsed() {
  auto pos = getDimPositions();
  auto filters = cast<ShapedType>(getFilters().getType());
  auto out = cast<ShapedType>(getOut().getType());
  std::array<int64_t, 2> used;
  for (unsigned d = 0; d < 2; ++d)
    used[d] = (out.getDimSize(pos[2][1 + d]) - 1) * getStrides()[d] +
              (filters.getDimSize(pos[1][d]) - 1) * getDilations()[d] + 1;
  return used;
}

std::array<int64_t, 4> Conv2DOp::getPads() {
  ArrayRef<int64_t> p = getPadding();
  if (p.size() == 2)
    return {p[0], p[1], p[0], p[1]};
  return {p[0], p[1], p[2], p[3]};
}

LogicalResult Conv2DOp::verify() {
  StringRef format = getFormat();
  if (!llvm::is_contained(
          {"nchw_fchw", "nhwc_hwcf", "nhwc_fhwc", "nhwc_hwc", "nchw_chw"},
          format))
    return emitOpError("format must be \"nchw_fchw\", \"nhwc_hwcf\", "
                       "\"nhwc_fhwc\" or, depthwise, \"nhwc_hwc\" or "
                       "\"nchw_chw\"; got \"")
           << format << "\"";
  for (auto [name, values] : {std::pair{"strides", getStrides()},
                              std::pair{"dilations", getDilations()}})
    if (values.size() != 2 ||
        llvm::any_of(values, [](int64_t v) { return v < 1; }))
      return emitOpError() << name
                           << " must be two positive integers (height, "
                              "width)";
  ArrayRef<int64_t> padding = getPadding();
  if ((padding.size() != 2 && padding.size() != 4) ||
      llvm::any_of(padding, [](int64_t p) { return p < 0; }))
    return emitOpError("padding must be two (height, width) or four (top, "
                       "left, bottom, right) non-negative integers");
  Operand image("image", getImage()), filters("filters", getFilters()),
      out("out", getOut());
  bool nhwc = format.starts_with("nhwc"), depthwise = isDepthwise();
  std::string filterDims =
      llvm::join(llvm::map_range(format.drop_front(5),
                                 [](char c) -> StringRef {
                                   return c == 'h'   ? "height"
                                          : c == 'w' ? "width"
                                          : c == 'c' ? "channels"
                                                     : "filters";
                                 }),
                 " x ");
  if (failed(verifyOperands(*this, {image, filters, out})) ||
      failed(verifyRank(*this, image, 4,
                        nhwc ? "batch x height x width x channels"
                             : "batch x channels x height x width")) ||
      failed(verifyRank(*this, filters, depthwise ? 3 : 4, filterDims)) ||
      failed(verifyRank(*this, out, 4,
                        nhwc ? "batch x height x width x filters"
                             : "batch x filters x height x width")))
    return failure();
  auto [ip, fp, op] = getDimPositions();
  if (failed(verifySameDim(*this, "batch", image, ip[0], out, op[0])) ||
      failed(verifySameDim(*this, "channel", image, ip[3], filters, fp[2])) ||
      failed(verifySameDim(*this, depthwise ? "channel" : "filter count",
                           filters, fp[3], out, op[3])))
    return failure();
  for (unsigned d = 0; d < 2; ++d) {
    StringRef extent = d == 0 ? "height" : "width";
    int64_t stride = getStrides()[d], dilation = getDilations()[d];
    int64_t size = image.dim(ip[1 + d]);
    std::array<int64_t, 4> pads = getPads();
    std::optional<int64_t> padded = llvm::checkedAdd<int64_t>(size, pads[d]);
    if (padded)
      padded = llvm::checkedAdd<int64_t>(*padded, pads[2 + d]);
    if (!padded)
      return emitOpError("padded image ") << extent << " exceeds 2^63";
    std::string paddedNote =
        *padded == size ? "" : " padded to " + std::to_string(*padded);
    size = *padded;
    // (filter - 1) * dilation + 1, unless it overflows (then it exceeds
    // any image).
    std::optional<int64_t> window =
        llvm::checkedMulAdd<int64_t>(filters.dim(fp[d]) - 1, dilation, 1);
    if (!window || *window > size)
      return emitOpError("filter ")
             << extent << " " << filters.dim(fp[d]) << " (dimension " << fp[d]
             << " of 'filters'"
             << (dilation > 1
                     ? ", dilated to " + (window ? std::to_string(*window)
                                                 : std::string("over 2^63"))
                     : "")
             << ") exceeds the image " << extent << " " << image.dim(ip[1 + d])
             << paddedNote << " (dimension " << ip[1 + d] << " of 'image')";
    int64_t expected = (size - *window) / stride + 1;
    if (out.dim(op[1 + d]) != expected)
      return emitOpError("dimension ")
             << op[1 + d] << " of 'out' is " << out.dim(op[1 + d])
             << "; expected " << expected << " ((image " << extent << " "
             << image.dim(ip[1 + d]) << paddedNote << " - window " << *window
             << ") / stride " << stride << " + 1)";
  }
  if (failed(verifyNoOverlap(*this, out, {image, filters}, /*inPlace=*/false)))
    return failure();
  return verifyContractionTypes(*this, image, filters, out);
}

//===----------------------------------------------------------------------===//
// Data movement and initialisation
//===----------------------------------------------------------------------===//

bool tessel::spec::isSupportedCast(Type from, Type to) {
  if (from == to)
    return true;
  if (from.isF32())
    return to.isBF16() || to.isF16();
  if (from.isBF16() || from.isF16())
    return to.isF32();
  return isa<IntegerType>(from) && isa<IntegerType>(to) &&
         from.getIntOrFloatBitWidth() < to.getIntOrFloatBitWidth();
}

LogicalResult MoveOp::verify() {
  Operand source("source", getSource()), out("out", getOut());
  if (failed(verifyOperands(*this, {source, out})) ||
      failed(verifySameShape(*this, source, out)) ||
      failed(verifyNoOverlap(*this, out, source, /*inPlace=*/true)))
    return failure();
  if (!isSupportedCast(source.elementType(), out.elementType()))
    return emitOpError("cannot convert ")
           << source.elementType() << " to " << out.elementType()
           << "; moves convert between bf16/f16 and f32 and widen integers";
  return success();
}

LogicalResult FillOp::verify() {
  Operand out("out", getOut());
  if (failed(verifyOperand(*this, out)) || failed(verifyWritable(*this, out)))
    return failure();
  if ((getValue() == FillValue::NegInf || getValue() == FillValue::Inf) &&
      !isa<FloatType>(out.elementType()))
    return emitOpError("'")
           << stringifyFillValue(getValue())
           << "' needs a floating-point element type; 'out' has "
           << out.elementType();
  return success();
}

//===----------------------------------------------------------------------===//
// Reductions, softmax and broadcasts
//===----------------------------------------------------------------------===//

LogicalResult SoftmaxOp::verify() {
  Operand input("input", getInput()), out("out", getOut());
  if (failed(verifyOperands(*this, {input, out})) ||
      failed(verifySameShape(*this, input, out)) ||
      failed(verifySameElementType(*this, input, out)) ||
      failed(verifyDimIndex(*this, getDim(), input)) ||
      failed(verifyNoOverlap(*this, out, input, /*inPlace=*/false)))
    return failure();
  if (!isa<FloatType>(input.elementType()))
    return emitOpError("softmax needs a floating-point element type; 'input' "
                       "has ")
           << input.elementType();
  return success();
}

LogicalResult ReduceOp::verify() {
  Operand input("input", getInput()), out("out", getOut());
  if (failed(verifyOperands(*this, {input, out})) ||
      failed(verifyDimIndex(*this, getDim(), input)) ||
      failed(verifyReducedShape(*this, input, out, {int64_t(getDim())})) ||
      failed(verifyNoOverlap(*this, out, input, /*inPlace=*/false)))
    return failure();
  Type in = input.elementType(), result = out.elementType();
  if (in != result && !((in.isBF16() || in.isF16()) && result.isF32()))
    return emitOpError("operand 'out' has element type ")
           << result << "; expected " << in
           << " (as 'input') or f32 for bf16/f16 inputs";
  return success();
}

LogicalResult BroadcastOp::verify() {
  Operand input("input", getInput()), out("out", getOut());
  if (failed(verifyOperands(*this, {input, out})))
    return failure();
  ArrayRef<int64_t> dims = getDims();
  if (dims.empty())
    return emitOpError("broadcasts along no dimension (use spec.move)");
  for (auto [i, dim] : llvm::enumerate(dims)) {
    if (dim < 0)
      return emitOpError("dimension ") << dim << " is negative";
    if (failed(verifyDimIndex(*this, dim, out)))
      return failure();
    if (i > 0 && dim <= dims[i - 1])
      return emitOpError("dimensions must increase; ")
             << dim << " follows " << dims[i - 1];
  }
  if (failed(verifyReducedShape(*this, out, input, dims,
                                "a broadcast dimension")) ||
      failed(verifyNoOverlap(*this, out, input, /*inPlace=*/false)))
    return failure();
  return verifySameElementType(*this, out, input);
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

/// Each input has the rank of `out` and, per dimension, its extent or 1
/// (broadcast); the inputs share an element type, which `out` has too or
/// widens to f32.
static LogicalResult
verifyElementwise(Operation *op,
                  ArrayRef<std::pair<StringRef, Value>> inputValues,
                  Value outValue, bool floatOnly) {
  Operand out("out", outValue);
  SmallVector<Operand> inputs;
  for (auto [name, value] : inputValues)
    inputs.emplace_back(name, value);
  SmallVector<Operand> all(inputs);
  all.push_back(out);
  if (failed(verifyOperands(op, all)))
    return failure();
  for (const Operand &in : inputs) {
    if (in.rank() != out.rank())
      return op->emitOpError("operand '")
             << in.name << "' has rank " << in.rank() << " but 'out' has rank "
             << out.rank();
    for (unsigned i = 0, e = out.rank(); i < e; ++i)
      if (in.dim(i) != out.dim(i) && in.dim(i) != 1)
        return op->emitOpError("dimension ")
               << i << " of '" << in.name << "' is " << in.dim(i)
               << "; expected " << out.dim(i) << " (as in 'out') or 1 "
               << "(broadcast)";
    if (failed(verifySameElementType(op, inputs.front(), in)))
      return failure();
  }
  if (failed(verifyNoOverlap(op, out, inputs, /*inPlace=*/true)))
    return failure();
  Type in = inputs.front().elementType(), result = out.elementType();
  if (floatOnly && !isa<FloatType>(in))
    return op->emitOpError("needs a floating-point element type; '")
           << inputs.front().name << "' has " << in;
  bool widens = (in.isBF16() || in.isF16()) && result.isF32();
  if (in != result && !widens)
    return op->emitOpError("operand 'out' has element type ")
           << result << "; expected " << in << " (as '" << inputs.front().name
           << "') or f32 for bf16/f16 inputs";
  return success();
}

//===----------------------------------------------------------------------===//
// What every spec op shares
//===----------------------------------------------------------------------===//

/// On tensors a spec op returns its output's new value.
static LogicalResult inferSpecOpTypes(ValueRange operands,
                                      SmallVectorImpl<Type> &types) {
  if (!operands.empty() && isa<RankedTensorType>(operands.back().getType()))
    types.push_back(operands.back().getType());
  return success();
}

bool tessel::spec::readsOperand(OpOperand &operand) {
  Operation *op = operand.getOwner();
  return !cast<DestinationStyleOpInterface>(op).isDpsInit(&operand) ||
         op->hasAttr("accumulate");
}

/// Inputs are read and the output written, and read too when accumulating;
/// tensors are values, with no effects.
static void getSpecOpEffects(
    Operation *op,
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  auto dps = cast<DestinationStyleOpInterface>(op);
  for (OpOperand &operand : op->getOpOperands()) {
    if (!isa<MemRefType>(operand.get().getType()))
      continue;
    auto *resource = SideEffects::DefaultResource::get();
    if (readsOperand(operand))
      effects.emplace_back(MemoryEffects::Read::get(), &operand, resource);
    if (dps.isDpsInit(&operand))
      effects.emplace_back(MemoryEffects::Write::get(), &operand, resource);
  }
}

// Last: the elementwise ops' verifiers (defined in ODS) call the helpers above.
#define GET_OP_CLASSES
#include "tessel/Dialect/Spec/IR/SpecOps.cpp.inc"

//===----------------------------------------------------------------------===//
// SpecOpInterface
//===----------------------------------------------------------------------===//

#include "tessel/Dialect/Spec/IR/SpecInterfaces.cpp.inc"

double tessel::spec::operandBytes(Operation *op) {
  double bytes = 0;
  for (Type type : op->getOperandTypes())
    if (auto shaped = dyn_cast<ShapedType>(type))
      bytes += double(shaped.getNumElements()) *
               double(shaped.getElementTypeBitWidth() / 8);
  return bytes;
}

double MatmulOp::getFlopCount() {
  auto out = cast<ShapedType>(getOut().getType());
  int64_t k = cast<ShapedType>(getLhs().getType()).getShape().back();
  return 2.0 * double(out.getNumElements()) * double(k);
}

double Conv2DOp::getFlopCount() {
  // A filter's taps: all its elements but its output channels' extent.
  auto out = cast<ShapedType>(getOut().getType());
  auto filters = cast<ShapedType>(getFilters().getType());
  return 2.0 * double(out.getNumElements()) *
         double(filters.getNumElements() /
                filters.getDimSize(getDimPositions()[1][3]));
}
