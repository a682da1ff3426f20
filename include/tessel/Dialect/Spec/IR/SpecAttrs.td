//===- SpecAttrs.td - Attributes of the spec dialect -------*- tablegen -*-===//

#ifndef TESSEL_DIALECT_SPEC_IR_SPECATTRS_TD
#define TESSEL_DIALECT_SPEC_IR_SPECATTRS_TD

include "tessel/Dialect/Spec/IR/SpecDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"
include "mlir/IR/EnumAttr.td"

//===----------------------------------------------------------------------===//
// Enums
//===----------------------------------------------------------------------===//

def Spec_MemoryLevel : I32EnumAttr<"MemoryLevel", "a level of the memory hierarchy", [
    I32EnumAttrCase<"Global", 0, "gl">,
    I32EnumAttrCase<"L2", 1, "l2">,
    I32EnumAttrCase<"L1", 2, "l1">,
    I32EnumAttrCase<"VectorRegisters", 3, "vrf">,
    I32EnumAttrCase<"ScalarRegisters", 4, "rf">
  ]> {
  let cppNamespace = "::tessel::spec";
  let genSpecializedAttr = 0;
}

def Spec_FillValue : I32EnumAttr<"FillValue", "the value a fill writes", [
    I32EnumAttrCase<"Zero", 0, "zero">,
    I32EnumAttrCase<"NegInf", 1, "neg_inf">,
    I32EnumAttrCase<"Min", 2, "min">,
    I32EnumAttrCase<"Inf", 3, "inf">
  ]> {
  let cppNamespace = "::tessel::spec";
}

// The unary elementwise functions (spec.relu, ...), as a binary op's
// epilogue names them.
def Spec_UnaryFn : I32EnumAttr<"UnaryFn", "a unary elementwise function", [
    I32EnumAttrCase<"Relu", 0, "relu">,
    I32EnumAttrCase<"Neg", 1, "neg">,
    I32EnumAttrCase<"Abs", 2, "abs">,
    I32EnumAttrCase<"Exp", 3, "exp">,
    I32EnumAttrCase<"Tanh", 4, "tanh">,
    I32EnumAttrCase<"Sigmoid", 5, "sigmoid">,
    I32EnumAttrCase<"Gelu", 6, "gelu">,
    I32EnumAttrCase<"GeluTanh", 7, "gelu_tanh">,
    I32EnumAttrCase<"Reciprocal", 8, "reciprocal">
  ]> {
  let cppNamespace = "::tessel::spec";
}

def Spec_ReductionKind : I32EnumAttr<"ReductionKind", "how a reduction combines", [
    I32EnumAttrCase<"Sum", 0, "sum">,
    I32EnumAttrCase<"Max", 1, "max">,
    I32EnumAttrCase<"Min", 2, "min">
  ]> {
  let cppNamespace = "::tessel::spec";
}

//===----------------------------------------------------------------------===//
// Attributes
//===----------------------------------------------------------------------===//

class Spec_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<Spec_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

def Spec_MemoryAttr : Spec_Attr<"Memory", "memory"> {
  let summary = "Memory level of a buffer, used as a memref memory space";
  let description = [{
    Where a buffer lives: `gl` (global memory, the default when a memref has
    no memory space), `l2`, `l1`, `vrf` (vector registers) or `rf` (scalar
    registers). A buffer in vector registers states how many elements one
    vector holds:

    ```mlir
    memref<64x64xf32, #spec.memory<l1>>
    memref<4x16xf32, #spec.memory<vrf, vector = 16>>
    ```
  }];
  let parameters = (ins "MemoryLevel":$level, "int64_t":$vectorSize);
  let builders = [
    AttrBuilder<(ins "MemoryLevel":$level), [{
      return $_get($_ctxt, level, 0);
    }]>
  ];
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    bool isRegisterFile() const {
      return getLevel() == MemoryLevel::VectorRegisters ||
             getLevel() == MemoryLevel::ScalarRegisters;
    }
  }];
}

def Spec_LayoutAttr : Spec_Attr<"Layout", "layout",
    [DeclareAttrInterfaceMethods<MemRefLayoutAttrInterface,
        ["isIdentity", "verifyLayout", "getStridesAndOffset"]>]> {
  let summary = "Permuted and packed (blocked) buffer layouts";
  let description = [{
    A memref layout listing the buffer's physical dimensions from the
    slowest to the fastest varying, each in terms of a logical dimension
    `dI` of the memref's shape:

    * `dI` — all of logical dimension I (or what inner blocks leave of it);
    * `dI / N` — the outer part of dimension I, counting blocks of N;
    * `dI % M` — an inner block: the position within blocks of M;
    * `dI % M / N` — a middle block: blocks of N within blocks of M.

    Every logical dimension appears; its outermost entry carries no `%`;
    each `/ N` equals the product of the inner blocks of the same dimension.
    Block sizes must divide the dimension they block.

    ```mlir
    // Column-major 64x32.
    memref<64x32xf32, #spec.layout<[d1, d0]>>
    // B of a matmul (k x n) packed as [n/16][k][16].
    memref<256x512xf32, #spec.layout<[d1 / 16, d0, d1 % 16]>>
    ```

    The layout's affine map is `(d0, d1) -> (d1 floordiv 16, d0, d1 mod 16)`
    for the last example; permutations also have strides, so they lower like
    any strided memref.
  }];
  // One entry per physical dimension: the logical dimension it indexes and
  // its block size, or 0 for the outermost entry that spans what is left.
  let parameters = (ins ArrayRefParameter<"int64_t">:$dims,
                        ArrayRefParameter<"int64_t">:$blocks);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Rank of the logical shape this layout applies to.
    unsigned getLogicalRank() const;
    /// Product of the blocks of `dim` at physical positions after `pos`.
    int64_t getInnerBlockProduct(unsigned pos) const;
    /// True when the layout only permutes dimensions (it is strided).
    bool isPermutation() const;
    /// The row-major (identity) or column-major layout for a rank.
    static LayoutAttr getPermutation(::mlir::MLIRContext *ctx,
                                     ::llvm::ArrayRef<int64_t> order);
  }];
}

#endif // TESSEL_DIALECT_SPEC_IR_SPECATTRS_TD
