//===- EngineSpec.cpp - spec ops as synthesis-engine specs ----------------===//

#include "tessel/Dialect/Spec/Synthesis/EngineSpec.h"
#include "tessel/Dialect/Spec/IR/CatalogFunctionOps.h"

#include "tessel/Dialect/Spec/IR/SpecOps.h"
#include "tessel/Synthesis/Elementwise.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/TypeUtilities.h"
#include <limits>

using namespace mlir;
using namespace tessel;
using namespace tessel::spec;

static std::optional<synth::Dtype> getDtype(Type type) {
  if (type.isF32())
    return synth::Dtype::F32;
  if (type.isBF16())
    return synth::Dtype::BF16;
  if (type.isF16())
    return synth::Dtype::F16;
  if (type.isSignlessInteger(8))
    return synth::Dtype::I8;
  if (type.isSignlessInteger(16))
    return synth::Dtype::I16;
  if (type.isSignlessInteger(32))
    return synth::Dtype::I32;
  return std::nullopt;
}

bool tessel::spec::synthesizesMove(Type from, Type to) {
  std::optional<synth::Dtype> f = getDtype(from), t = getDtype(to);
  return f && t && (*f == *t || synth::isWideningCast(*f, *t));
}

static synth::MemoryLevel getLevel(MemoryLevel level) {
  switch (level) {
  case MemoryLevel::Global:
    return synth::MemoryLevel::GL;
  case MemoryLevel::L2:
    return synth::MemoryLevel::L2;
  case MemoryLevel::L1:
    return synth::MemoryLevel::L1;
  case MemoryLevel::VectorRegisters:
    return synth::MemoryLevel::VRF;
  case MemoryLevel::ScalarRegisters:
    return synth::MemoryLevel::RF;
  }
  llvm_unreachable("unknown memory level");
}

/// The form of a view whose outer strides are only known at run time: its
/// last non-unit dimension of static stride 1 innermost, the others by
/// decreasing static stride, dynamic ones outermost in declared order. The
/// engine sees padded rows (one element more than each extent inside a
/// dynamic stride), so it never counts on rows being adjacent or aligned.
static std::optional<StridedForm>
getDynamicStridedForm(MemRefType type, ArrayRef<int64_t> strides) {
  StridedForm form;
  form.parent = llvm::to_vector(type.getShape());
  form.runtimePitch.assign(type.getRank(), false);
  SmallVector<int64_t> order;
  for (int64_t d = 0; d < type.getRank(); ++d)
    (type.getDimSize(d) != 1 ? order : form.order).push_back(d);
  auto unit = llvm::find_if(llvm::reverse(order),
                            [&](int64_t d) { return strides[d] == 1; });
  if (!order.empty() && unit == order.rend())
    return std::nullopt;
  if (!order.empty())
    std::rotate(std::prev(unit.base()), unit.base(), order.end());
  auto rank = [&](int64_t d) {
    return ShapedType::isDynamic(strides[d])
               ? std::numeric_limits<int64_t>::max()
               : strides[d];
  };
  std::stable_sort(order.begin(), order.end() - (order.empty() ? 0 : 1),
                   [&](int64_t a, int64_t b) { return rank(a) > rank(b); });
  for (unsigned i = 0; i + 1 < order.size(); ++i) {
    int64_t outer = strides[order[i]], inner = strides[order[i + 1]];
    int64_t size = type.getDimSize(order[i + 1]);
    if (ShapedType::isDynamic(outer) || ShapedType::isDynamic(inner)) {
      form.parent[order[i + 1]] = size + 1;
      form.runtimePitch[order[i + 1]] = true;
      continue;
    }
    if (inner <= 0 || outer % inner != 0 || outer / inner < size)
      return std::nullopt;
    form.parent[order[i + 1]] = outer / inner;
  }
  form.order.append(order);
  return form;
}

std::optional<StridedForm> spec::getStridedForm(MemRefType type) {
  SmallVector<int64_t> strides;
  int64_t offset;
  if (!type.hasStaticShape() ||
      failed(type.getStridesAndOffset(strides, offset)))
    return std::nullopt;
  if (llvm::any_of(strides, ShapedType::isDynamic))
    return getDynamicStridedForm(type, strides);
  StridedForm form;
  form.parent = llvm::to_vector(type.getShape());
  form.runtimePitch.assign(type.getRank(), false);
  SmallVector<int64_t> order, units;
  for (int64_t d = 0; d < type.getRank(); ++d)
    (type.getDimSize(d) != 1 ? order : units).push_back(d);
  llvm::sort(order, [&](int64_t a, int64_t b) {
    return std::make_pair(-strides[a], a) < std::make_pair(-strides[b], b);
  });
  // Unit dimensions are never stepped along, so their strides do not
  // matter: they go outermost, except that one may stand in as the unit-
  // stride innermost dimension of a view whose elements are spaced apart.
  int64_t innermost = order.empty() ? 1 : strides[order.back()];
  if (innermost != 1) {
    if (units.empty() || innermost <= 0)
      return std::nullopt;
    order.push_back(units.pop_back_val());
    form.parent[order.back()] = innermost;
    strides[order.back()] = 1;
  }
  for (unsigned i = 0; i + 1 < order.size(); ++i) {
    int64_t outer = strides[order[i]], inner = strides[order[i + 1]];
    if (inner <= 0 || outer % inner != 0 ||
        outer / inner < type.getDimSize(order[i + 1]))
      return std::nullopt;
    form.parent[order[i + 1]] = outer / inner;
  }
  form.order = units;
  form.order.append(order);
  return form;
}

/// The engine layout of a memref of `rank` dimensions, shifted by `offset`
/// logical dimensions (a leading batch of 1 for unbatched matmuls). Dense
/// strided layouts become permutations; #spec.layout maps entry by entry.
static std::optional<synth::Layout> getLayout(MemRefType type,
                                              unsigned offset) {
  auto shifted = [&](ArrayRef<int64_t> order) {
    SmallVector<unsigned> perm =
        llvm::to_vector(llvm::seq<unsigned>(0, offset));
    for (int64_t dim : order)
      perm.push_back(dim + offset);
    return perm;
  };
  if (auto layout = dyn_cast<LayoutAttr>(type.getLayout())) {
    // The engine has at most one block per dimension, innermost.
    SmallVector<int64_t> order;
    std::optional<unsigned> blockedDim;
    unsigned block = 0;
    for (auto [pos, dim, size] :
         llvm::enumerate(layout.getDims(), layout.getBlocks())) {
      if (!size) {
        order.push_back(dim);
        continue;
      }
      if (blockedDim || pos + 1 != layout.getDims().size())
        return std::nullopt;
      blockedDim = dim;
      block = size;
    }
    if (!blockedDim)
      return synth::Layout::permuted(shifted(order));
    return synth::Layout::packed(shifted(order), *blockedDim + offset, block);
  }
  std::optional<StridedForm> form = getStridedForm(type);
  if (!form)
    return std::nullopt;
  return synth::Layout::permuted(shifted(form->order));
}

/// The engine operand for a value of `type`, with `offset` leading unit
/// dimensions.
static FailureOr<synth::TensorSpec> getTensorSpec(Operation *op, StringRef name,
                                                  MemRefType type,
                                                  const synth::Target &target,
                                                  unsigned offset = 0) {
  std::optional<synth::Dtype> dtype = getDtype(type.getElementType());
  if (!dtype)
    return op->emitError("synthesis does not support element type ")
           << type.getElementType() << " of '" << name << "'";
  if (type.getRank() + offset > synth::kMaxRank)
    return op->emitError("synthesis supports operands of rank up to ")
           << synth::kMaxRank << "; '" << name << "' has rank "
           << type.getRank();
  std::optional<synth::Layout> layout = getLayout(type, offset);
  if (!layout)
    return op->emitError("synthesis does not support the layout of '")
           << name << "', " << type
           << ": it needs a #spec.layout with at most one block, innermost, "
              "or static strides where the innermost is 1 and each outer "
              "stride is a multiple of the next (padded rows are fine; with "
              "dynamic strides, one must be statically 1)";
  SmallVector<uint32_t> shape(offset, 1), parent(offset, 1);
  for (int64_t size : type.getShape())
    shape.push_back(size);
  synth::MemoryLevel level = synth::MemoryLevel::GL;
  unsigned lanes = 0;
  if (auto memory = dyn_cast_or_null<MemoryAttr>(type.getMemorySpace())) {
    level = getLevel(memory.getLevel());
    lanes = memory.getVectorSize();
  }
  if (isa<LayoutAttr>(type.getLayout()))
    return synth::TensorSpec::buffer(shape, *dtype, level, *layout, lanes);
  // A strided view is a tile of the dense buffer with padded rows. A row
  // pitch known only at run time is taken at its worst: a multiple of the
  // L1 alias period, so that every row competes for the same cache sets (as
  // with a leading dimension of 1024 floats) and the search packs where
  // that hurts.
  std::optional<StridedForm> form = getStridedForm(type);
  unsigned elementBytes = synth::dtypeBytes(*dtype);
  uint64_t period = target.level(synth::MemoryLevel::L1).aliasPeriod /
                    std::max(elementBytes, 1u);
  for (auto [size, runtime] : llvm::zip(form->parent, form->runtimePitch))
    parent.push_back(runtime && period ? llvm::alignTo(size, period) : size);
  std::optional<synth::TensorSpec> view =
      synth::TensorSpec::buffer(parent, *dtype, level, *layout, lanes)
          .tile(shape);
  if (!view)
    return op->emitError("synthesis cannot view '")
           << name << "', " << type << ", as a tile of a dense buffer";
  return *view;
}

static FailureOr<synth::TensorSpec> getTensorSpec(Operation *op, StringRef name,
                                                  Value value,
                                                  const synth::Target &target,
                                                  unsigned offset = 0) {
  return getTensorSpec(op, name, cast<MemRefType>(value.getType()), target,
                       offset);
}

MemRefType spec::getPermutedType(MemRefType type, ArrayRef<int64_t> positions) {
  if (llvm::equal(positions, llvm::seq<int64_t>(0, type.getRank())))
    return type;
  SmallVector<int64_t> strides, shape, permutedStrides;
  int64_t offset;
  if (failed(type.getStridesAndOffset(strides, offset)))
    return {};
  for (int64_t p : positions) {
    shape.push_back(type.getDimSize(p));
    permutedStrides.push_back(strides[p]);
  }
  return MemRefType::get(
      shape, type.getElementType(),
      StridedLayoutAttr::get(type.getContext(), offset, permutedStrides),
      type.getMemorySpace());
}

LogicalResult spec::verifySynthesizableConv(Conv2DOp conv) {
  Operation *op = conv;
  Type in = getElementTypeOrSelf(conv.getImage().getType());
  if (!(in.isF32() || in.isBF16()) ||
      !getElementTypeOrSelf(conv.getOut().getType()).isF32())
    return op->emitError("synthesis convolves f32 or bf16 inputs into f32; "
                         "this convolution has ")
           << in << " inputs and a "
           << getElementTypeOrSelf(conv.getOut().getType()) << " output";
  for (auto [name, values] : {std::pair{"strides", conv.getStrides()},
                              std::pair{"dilations", conv.getDilations()}})
    if (llvm::any_of(values, [](int64_t v) { return v > 255; }))
      return op->emitError("synthesis supports ")
             << name << " up to 255; this convolution has " << values[0] << "x"
             << values[1];
  return success();
}

/// A convolution over its operands in the engine's logical dim order,
/// the image cut to the rows and columns its windows reach.
static FailureOr<synth::Spec> getConvSpec(Conv2DOp conv,
                                          const synth::Target &target,
                                          synth::MemoryLimits limits) {
  Operation *op = conv;
  if (conv.isPadded())
    return op->emitError("a padded convolution is synthesized as unpadded "
                         "ones over its regions (spec::decomposeSpecOps); "
                         "decompose it first");
  if (failed(verifySynthesizableConv(conv)))
    return failure();
  auto positions = conv.getDimPositions();
  static const char *names[] = {"image", "filters", "out"};
  std::array<synth::TensorSpec, 3> operands;
  for (unsigned i = 0; i < 3; ++i) {
    auto given = cast<MemRefType>(op->getOperand(i).getType());
    MemRefType type = getPermutedType(
        given, ArrayRef(positions[i]).take_front(given.getRank()));
    if (!type)
      return op->emitError("synthesis does not support the layout of '")
             << names[i] << "', " << op->getOperand(i).getType()
             << ", in a convolution of format \"" << conv.getFormat()
             << "\": it needs a strided layout";
    FailureOr<synth::TensorSpec> t = getTensorSpec(op, names[i], type, target);
    if (failed(t))
      return failure();
    operands[i] = *t;
  }
  auto [h, w] = conv.getImageExtentUsed();
  synth::TensorSpec &image = operands[0];
  std::optional<synth::TensorSpec> used =
      image.tile({image.shape[0], uint32_t(h), uint32_t(w), image.shape[3]});
  if (!used)
    return op->emitError("synthesis cannot view the part of 'image' the "
                         "windows reach as a tile");
  image = *used;
  auto narrow = [](ArrayRef<int64_t> v) {
    return std::array<uint8_t, 2>{uint8_t(v[0]), uint8_t(v[1])};
  };
  auto make =
      conv.isDepthwise() ? synth::Spec::depthwiseConv2d : synth::Spec::conv2d;
  return make(operands[0], operands[1], operands[2], narrow(conv.getStrides()),
              narrow(conv.getDilations()), conv.getAccumulate(), limits,
              /*serial=*/false);
}

std::optional<synth::ElementwiseFn> spec::elementwiseFnOf(Operation *op) {
  if (!op->hasTrait<AppliesCatalogFunction>())
    return std::nullopt;
  return synth::elementwiseFnNamed(op->getName().stripDialect());
}

std::optional<synth::ElementwiseFn> spec::epilogueOf(Operation *op) {
  // The spec dialect names the unary functions as the engine does.
  if (auto then = op->getAttrOfType<UnaryFnAttr>("epilogue"))
    return synth::elementwiseFnNamed(stringifyUnaryFn(then.getValue()));
  return std::nullopt;
}

LogicalResult spec::verifyOnBuffers(Operation *root) {
  WalkResult onTensors = root->walk([](DestinationStyleOpInterface op) {
    if (!isa<SpecOpInterface>(op.getOperation()) || op.hasPureBufferSemantics())
      return WalkResult::advance();
    op->emitOpError("works on tensors; synthesis takes buffers: bufferize "
                    "first (--one-shot-bufferize)");
    return WalkResult::interrupt();
  });
  return failure(onTensors.wasInterrupted());
}

namespace {
/// An elementwise op: its catalog function over its inputs (either may be
/// broadcast), with the binary ops' epilogue.
template <typename OpT>
struct ElementwiseEngineSpec
    : EngineSpecOpInterface::ExternalModel<ElementwiseEngineSpec<OpT>, OpT> {
  FailureOr<synth::Spec> getEngineSpec(Operation *op,
                                       const synth::Target &target,
                                       synth::MemoryLimits limits) const {
    std::optional<synth::ElementwiseFn> named = elementwiseFnOf(op);
    if (!named)
      return op->emitError("synthesis has no elementwise function named '")
             << op->getName().stripDialect() << "'";
    synth::ElementwiseFn fn = *named;
    SmallVector<synth::TensorSpec, 2> inputs;
    unsigned n = op->getNumOperands();
    for (unsigned i = 0; i + 1 < n; ++i) {
      auto in = getTensorSpec(op,
                              n == 2 ? "input"
                              : i    ? "rhs"
                                     : "lhs",
                              op->getOperand(i), target);
      if (failed(in))
        return failure();
      inputs.push_back(*in);
    }
    auto out = getTensorSpec(op, "out", op->getOperand(n - 1), target);
    if (failed(out))
      return failure();
    std::optional<synth::ElementwiseFn> epilogue = epilogueOf(op);
    synth::Spec s = synth::Spec::elementwise(uint8_t(fn), inputs, *out, limits,
                                             /*serial=*/false,
                                             epilogue ? uint8_t(*epilogue) : 0);
    if (!s.isValid() && fn == synth::ElementwiseFn::Broadcast)
      return op->emitError("synthesis broadcasts f32 only; this one is ")
             << s.str(/*withLimits=*/false);
    if (!s.isValid())
      return op->emitError("synthesis supports elementwise ops on f32 or "
                           "bf16 inputs with an f32 output; this one is ")
             << s.str(/*withLimits=*/false);
    return s;
  }
};

struct MatmulEngineSpec
    : EngineSpecOpInterface::ExternalModel<MatmulEngineSpec, MatmulOp> {
  FailureOr<synth::Spec> getEngineSpec(Operation *op,
                                       const synth::Target &target,
                                       synth::MemoryLimits limits) const {
    auto matmul = cast<MatmulOp>(op);
    // The engine's matmul is always batched.
    unsigned offset =
        cast<ShapedType>(matmul.getLhs().getType()).getRank() == 2;
    auto a = getTensorSpec(op, "lhs", matmul.getLhs(), target, offset);
    auto b = getTensorSpec(op, "rhs", matmul.getRhs(), target, offset);
    auto c = getTensorSpec(op, "out", matmul.getOut(), target, offset);
    if (failed(a) || failed(b) || failed(c))
      return failure();
    return synth::Spec::matmul(*a, *b, *c, matmul.getAccumulate(), limits);
  }

  SmallVector<int64_t> getEngineDims(Operation *op, unsigned operand) const {
    SmallVector<int64_t> dims = {-1, 0, 1};
    if (cast<ShapedType>(op->getOperand(operand).getType()).getRank() == 3)
      dims = {0, 1, 2};
    return dims;
  }
};

struct Conv2DEngineSpec
    : EngineSpecOpInterface::ExternalModel<Conv2DEngineSpec, Conv2DOp> {
  FailureOr<synth::Spec> getEngineSpec(Operation *op,
                                       const synth::Target &target,
                                       synth::MemoryLimits limits) const {
    return getConvSpec(cast<Conv2DOp>(op), target, limits);
  }

  /// The engine's logical dim order (getDimPositions).
  SmallVector<int64_t> getEngineDims(Operation *op, unsigned operand) const {
    auto type = cast<ShapedType>(op->getOperand(operand).getType());
    return llvm::to_vector(
        ArrayRef(cast<Conv2DOp>(op).getDimPositions()[operand])
            .take_front(type.getRank()));
  }
};

struct MoveEngineSpec
    : EngineSpecOpInterface::ExternalModel<MoveEngineSpec, MoveOp> {
  FailureOr<synth::Spec> getEngineSpec(Operation *op,
                                       const synth::Target &target,
                                       synth::MemoryLimits limits) const {
    auto move = cast<MoveOp>(op);
    auto src = getTensorSpec(op, "source", move.getSource(), target);
    auto dst = getTensorSpec(op, "out", move.getOut(), target);
    if (failed(src) || failed(dst))
      return failure();
    return synth::Spec::move(*src, *dst, limits);
  }
};

struct ReduceEngineSpec
    : EngineSpecOpInterface::ExternalModel<ReduceEngineSpec, ReduceOp> {
  FailureOr<synth::Spec> getEngineSpec(Operation *op,
                                       const synth::Target &target,
                                       synth::MemoryLimits limits) const {
    auto reduce = cast<ReduceOp>(op);
    auto x = getTensorSpec(op, "input", reduce.getInput(), target);
    auto out = getTensorSpec(op, "out", reduce.getOut(), target);
    if (failed(x) || failed(out))
      return failure();
    // The dialect's and the engine's reductions are numbered alike.
    auto fn = synth::ReduceFn(reduce.getKind());
    return synth::Spec::reduce(uint8_t(fn), reduce.getDim(),
                               /*keepDim=*/true, *x, *out,
                               reduce.getAccumulate(), limits);
  }
};

struct FillEngineSpec
    : EngineSpecOpInterface::ExternalModel<FillEngineSpec, FillOp> {
  FailureOr<synth::Spec> getEngineSpec(Operation *op,
                                       const synth::Target &target,
                                       synth::MemoryLimits limits) const {
    auto fill = cast<FillOp>(op);
    auto dst = getTensorSpec(op, "out", fill.getOut(), target);
    if (failed(dst))
      return failure();
    synth::FillValue value =
        fill.getValue() == FillValue::Zero     ? synth::FillValue::Zero
        : fill.getValue() == FillValue::NegInf ? synth::FillValue::NegInf
        : fill.getValue() == FillValue::Min    ? synth::FillValue::Min
                                               : synth::FillValue::Inf;
    return synth::Spec::fillOf(*dst, value, limits);
  }
};

} // namespace

void spec::registerEngineSpecExternalModels(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *context, SpecDialect *) {
    MatmulOp::attachInterface<MatmulEngineSpec>(*context);
    Conv2DOp::attachInterface<Conv2DEngineSpec>(*context);
    MoveOp::attachInterface<MoveEngineSpec>(*context);
    ReduceOp::attachInterface<ReduceEngineSpec>(*context);
    FillOp::attachInterface<FillEngineSpec>(*context);
    attachToCatalogFunctionOps<ElementwiseEngineSpec>(*context);
  });
}

FailureOr<synth::Spec> spec::getEngineSpec(Operation *op,
                                           const synth::Target &target) {
  if (failed(verifyOnBuffers(op)))
    return failure();
  auto stated = dyn_cast<EngineSpecOpInterface>(op);
  if (!stated)
    return op->emitError("synthesis does not support '")
           << op->getName()
           << "' yet (it supports spec.matmul, spec.conv2d, spec.move, "
              "spec.fill, spec.reduce, spec.softmax and the "
              "elementwise ops)";
  FailureOr<synth::Spec> result =
      stated.getEngineSpec(target, synth::fullLimits(target));
  if (failed(result))
    return failure();
  // Inside a parallel loop the cores are already shared out: a parallel
  // program would only add fork/join.
  if (op->getParentOfType<scf::ForallOp>() ||
      op->getParentOfType<scf::ParallelOp>())
    result->serial = true;
  if (!result->isValid())
    return op->emitError("synthesis cannot state this spec: ")
           << result->str(/*withLimits=*/false);
  return result->canonical();
}

#include "tessel/Dialect/Spec/Synthesis/EngineSpecInterface.cpp.inc"
