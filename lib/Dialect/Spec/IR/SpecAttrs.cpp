//===- SpecAttrs.cpp - Attributes of the spec dialect ---------------------===//

#include "tessel/Dialect/Spec/IR/SpecAttrs.h"

#include "tessel/Dialect/Spec/IR/SpecDialect.h"

#include "mlir/IR/AffineExpr.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallBitVector.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace tessel::spec;

#include "tessel/Dialect/Spec/IR/SpecEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "tessel/Dialect/Spec/IR/SpecAttrs.cpp.inc"

void SpecDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "tessel/Dialect/Spec/IR/SpecAttrs.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// MemoryAttr
//===----------------------------------------------------------------------===//

// #spec.memory<l1> or #spec.memory<vrf, vector = 16>
Attribute MemoryAttr::parse(AsmParser &parser, Type) {
  SMLoc loc = parser.getCurrentLocation();
  StringRef keyword;
  if (parser.parseLess() || parser.parseKeyword(&keyword))
    return {};
  std::optional<MemoryLevel> level = symbolizeMemoryLevel(keyword);
  if (!level) {
    parser.emitError(loc) << "unknown memory level '" << keyword
                          << "'; expected gl, l2, l1, vrf or rf";
    return {};
  }
  int64_t vectorSize = 0;
  if (succeeded(parser.parseOptionalComma()) &&
      (parser.parseKeyword("vector") || parser.parseEqual() ||
       parser.parseInteger(vectorSize)))
    return {};
  if (parser.parseGreater())
    return {};
  return parser.getChecked<MemoryAttr>(loc, parser.getContext(), *level,
                                       vectorSize);
}

void MemoryAttr::print(AsmPrinter &printer) const {
  printer << '<' << stringifyMemoryLevel(getLevel());
  if (getVectorSize())
    printer << ", vector = " << getVectorSize();
  printer << '>';
}

LogicalResult MemoryAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                 MemoryLevel level, int64_t vectorSize) {
  if (level == MemoryLevel::VectorRegisters && vectorSize <= 0)
    return emitError() << "vector registers need a positive vector size, as "
                          "in #spec.memory<vrf, vector = 16>";
  if (level != MemoryLevel::VectorRegisters && vectorSize != 0)
    return emitError() << "only vector registers (vrf) have a vector size";
  return success();
}

//===----------------------------------------------------------------------===//
// LayoutAttr
//===----------------------------------------------------------------------===//

unsigned LayoutAttr::getLogicalRank() const {
  int64_t maxDim = -1;
  for (int64_t dim : getDims())
    maxDim = std::max(maxDim, dim);
  return maxDim + 1;
}

int64_t LayoutAttr::getInnerBlockProduct(unsigned pos) const {
  int64_t product = 1;
  for (unsigned i = pos + 1, e = getDims().size(); i < e; ++i)
    if (getDims()[i] == getDims()[pos])
      product *= getBlocks()[i];
  return product;
}

bool LayoutAttr::isPermutation() const {
  return llvm::all_of(getBlocks(), [](int64_t b) { return b == 0; });
}

LayoutAttr LayoutAttr::getPermutation(MLIRContext *ctx,
                                      ArrayRef<int64_t> order) {
  SmallVector<int64_t> blocks(order.size(), 0);
  return get(ctx, order, blocks);
}

// Entries: dI, dI floordiv N, dI mod M, dI mod M floordiv N.
Attribute LayoutAttr::parse(AsmParser &parser, Type) {
  SMLoc loc = parser.getCurrentLocation();
  SmallVector<int64_t> dims, blocks, divisors;
  SmallVector<SMLoc> entryLocs;
  auto parseEntry = [&]() -> ParseResult {
    entryLocs.push_back(parser.getCurrentLocation());
    StringRef name;
    int64_t dim;
    if (parser.parseKeyword(&name))
      return failure();
    if (!name.consume_front("d") || name.getAsInteger(10, dim))
      return parser.emitError(entryLocs.back())
             << "expected a logical dimension d0, d1, ...";
    int64_t modulus = 0, divisor = 1;
    if (succeeded(parser.parseOptionalKeyword("mod")) &&
        parser.parseInteger(modulus))
      return failure();
    if (succeeded(parser.parseOptionalKeyword("floordiv")) &&
        parser.parseInteger(divisor))
      return failure();
    if (divisor <= 0 || modulus < 0 || (modulus && modulus % divisor != 0))
      return parser.emitError(entryLocs.back())
             << "the modulus must be a positive multiple of the divisor";
    dims.push_back(dim);
    blocks.push_back(modulus / divisor);
    divisors.push_back(divisor);
    return success();
  };
  if (parser.parseLess() ||
      parser.parseCommaSeparatedList(AsmParser::Delimiter::Square,
                                     parseEntry) ||
      parser.parseGreater())
    return {};
  auto layout =
      parser.getChecked<LayoutAttr>(loc, parser.getContext(), dims, blocks);
  if (!layout)
    return {};
  // The divisor is implied by the inner blocks; the text must agree with it.
  for (auto [pos, divisor] : llvm::enumerate(divisors)) {
    int64_t implied = layout.getInnerBlockProduct(pos);
    if (divisor != implied) {
      parser.emitError(entryLocs[pos])
          << "floordiv " << divisor << " of d" << dims[pos]
          << " must equal the product of its inner blocks (" << implied << ")";
      return {};
    }
  }
  return layout;
}

void LayoutAttr::print(AsmPrinter &printer) const {
  printer << "<[";
  for (unsigned pos = 0, e = getDims().size(); pos < e; ++pos) {
    if (pos)
      printer << ", ";
    printer << 'd' << getDims()[pos];
    int64_t inner = getInnerBlockProduct(pos);
    if (int64_t block = getBlocks()[pos])
      printer << " mod " << block * inner;
    if (inner > 1)
      printer << " floordiv " << inner;
  }
  printer << "]>";
}

LogicalResult LayoutAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                 ArrayRef<int64_t> dims,
                                 ArrayRef<int64_t> blocks) {
  if (dims.empty())
    return emitError() << "a layout needs at least one dimension";
  if (dims.size() != blocks.size())
    return emitError() << "a layout needs one block size per dimension";
  int64_t rank = *llvm::max_element(dims) + 1;
  llvm::SmallBitVector seen(std::max<int64_t>(rank, 0));
  for (auto [dim, block] : llvm::zip(dims, blocks)) {
    if (dim < 0)
      return emitError() << "logical dimensions are d0, d1, ...";
    if (!seen.test(dim)) {
      if (block != 0)
        return emitError() << "the outermost entry of d" << dim
                           << " must span the rest of it (no 'mod')";
      seen.set(dim);
    } else if (block < 2) {
      return emitError() << "an inner block of d" << dim
                         << " must have at least 2 elements";
    }
  }
  if (!seen.all())
    return emitError() << "logical dimension d" << seen.find_first_unset()
                       << " is missing from the layout";
  return success();
}

AffineMap LayoutAttr::getAffineMap() const {
  MLIRContext *ctx = getContext();
  SmallVector<AffineExpr> results;
  for (unsigned pos = 0, e = getDims().size(); pos < e; ++pos) {
    AffineExpr expr = getAffineDimExpr(getDims()[pos], ctx);
    int64_t inner = getInnerBlockProduct(pos);
    if (int64_t block = getBlocks()[pos])
      expr = expr % (block * inner);
    if (inner > 1)
      expr = expr.floorDiv(inner);
    results.push_back(expr);
  }
  return AffineMap::get(getLogicalRank(), /*symbolCount=*/0, results, ctx);
}

bool LayoutAttr::isIdentity() const {
  if (!isPermutation())
    return false;
  for (auto [pos, dim] : llvm::enumerate(getDims()))
    if (dim != static_cast<int64_t>(pos))
      return false;
  return true;
}

LogicalResult
LayoutAttr::verifyLayout(ArrayRef<int64_t> shape,
                         function_ref<InFlightDiagnostic()> emitError) const {
  if (shape.size() != getLogicalRank())
    return emitError() << "layout " << *this << " has " << getLogicalRank()
                       << " logical dimensions but the memref has rank "
                       << shape.size();
  for (auto [pos, dim] : llvm::enumerate(getDims())) {
    // Check each dimension once, at its outermost entry.
    if (getBlocks()[pos] != 0)
      continue;
    int64_t blocked = getInnerBlockProduct(pos);
    if (!ShapedType::isDynamic(shape[dim]) && shape[dim] % blocked != 0)
      return emitError() << "layout blocks of d" << dim << " (" << blocked
                         << " elements) do not divide its size " << shape[dim];
  }
  return success();
}

LogicalResult LayoutAttr::getStridesAndOffset(ArrayRef<int64_t> shape,
                                              SmallVectorImpl<int64_t> &strides,
                                              int64_t &offset) const {
  if (!isPermutation() || shape.size() != getLogicalRank())
    return failure();
  strides.assign(shape.size(), 0);
  int64_t stride = 1;
  for (int64_t dim : llvm::reverse(getDims())) {
    strides[dim] = stride;
    if (ShapedType::isDynamic(stride) || ShapedType::isDynamic(shape[dim]))
      stride = ShapedType::kDynamic;
    else
      stride *= shape[dim];
  }
  offset = 0;
  return success();
}
