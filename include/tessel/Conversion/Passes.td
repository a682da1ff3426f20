//===- Passes.td - Tessel's conversion passes --------------*- tablegen -*-===//

#ifndef TESSEL_CONVERSION_PASSES_TD
#define TESSEL_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def TesselImportLinalg : Pass<"tessel-import-linalg"> {
  let summary = "Turn linalg contractions, fills, moves, elementwise ops and reductions on memrefs or tensors into spec ops";
  let description = [{
    Rewrites, on statically shaped memrefs:

    * `linalg.matmul` and `linalg.batch_matmul` into an accumulating
      `spec.matmul` (`+=`: linalg contractions add into their output);
      operands read transposed through `indexing_maps` (what
      `matmul_transpose_a/b` used to be) become `memref.transpose` views,
      whose strided layouts the spec op takes as they are;
    * `linalg.matvec` and `linalg.vecmat` into a `spec.matmul` with N = 1 or
      M = 1, viewing vectors as `K x 1` / `1 x K` matrices through
      `memref.expand_shape`;
    * `linalg.fill` of a constant zero, negative infinity or the element
      type's lowest value into `spec.fill`; a zero fill followed by a matmul
      into the same buffer (only views between them) becomes one
      overwriting `spec.matmul` (`=`), whose program starts its
      accumulators at zero instead of reading C.
    * elementwise ops (all loops parallel, one or two inputs read through
      permutations that may drop loops, i.e. broadcast) into the spec
      elementwise op their body computes: named ops (`linalg.add`,
      `linalg.exp`, ...), `linalg.elementwise`, `linalg.map` and generics
      alike. A body is recognised by evaluating it on sample points against
      each function of the catalog (add, sub, mul, div, max, min, relu, neg,
      abs, exp, tanh, sigmoid, gelu, gelu_tanh, reciprocal; inputs in either
      order), or for two inputs a binary function then a unary one (a bias
      add and its ReLU in one body: `spec.add ... then relu`), so ReLU as
      `maximumf(x, 0)` or as `cmpf` + `select`, and GELU as
      `0.5 * x * (1 + erf(x / sqrt 2))` in any arrangement, all import. Inputs
      are f32 or bf16, the output f32; broadcast inputs get unit dimensions
      through `memref.expand_shape`.
    * copies, transposes and casts (`linalg.copy`, `linalg.transpose` and
      generics of one input read through a permutation whose body yields
      it, as it is or through `extf`/`truncf`/`extsi`) into `spec.move`;
      such a copy that adds dimensions without a cast (`linalg.broadcast`,
      a bias broadcast over an image's channels) into `spec.broadcast`;
    * reductions (`linalg.reduce` and generics with one reduced loop and
      one input read through a permutation of the loops) whose body computes
      `acc + x` or `max(acc, x)` (recognised the same way) into an
      accumulating `spec.reduce`, the output viewed with a unit dimension
      where the reduced loop is.

    Strides and offsets may be dynamic (one-shot bufferization gives tensor
    function arguments `strided<[?, ?], offset: ?>`). Where the stride of an
    operand's last non-unit dimension is only known at run time, the op is
    imported behind a check: `scf.if` every such stride is 1, the spec op
    runs on operands `memref.cast` to a unit innermost stride; otherwise the
    original op runs, left to upstream lowering. Dynamic outer strides need
    no check: the engine assumes padded rows for them.

    Matrix products (2-D operands whose last dimension has static stride 1)
    may have dynamic sizes: they become loops over static blocks, each an
    accumulating `spec.matmul`. A dynamic M or N dimension is cut into
    blocks of 256, then 64, then 16, and K into blocks of 512, then 128,
    then 16 (each block along K reads and writes C's block once more), the
    last one maybe sticking out past the end (then computed on zero-padded
    copies); a static one into blocks of 256 (K: 512) and an exact
    remainder; so an op has at most 27 block specs (and a 28th with a
    likely-size hint) whatever the run-time sizes. Blocks are views (the
    search decides what to copy); B's loops are outermost, and the loop
    over blocks of rows is an `scf.forall`
    (its spec ops get serial programs; with one core it runs as a plain
    loop).
    A zero `linalg.fill` of the output just before folds in: each block's
    first step along K overwrites instead (the fill stays, behind `K == 0`,
    only when K is a run-time value).

    Size hints, on the linalg op, one entry per loop (`m, n, k` for
    `linalg.matmul`): `tessel.likely_sizes = array<i64: ...>` adds a static
    program for exactly those sizes, run when the run-time sizes match
    (`scf.if`), the blocks serving every other size; `tessel.max_sizes`
    gives upper bounds, and blocks larger than a bound are not made.
    linalg's value-bounds analysis adds the bounds it proves (a size from
    `affine.min` of a tile, for instance). A hint that is not an array of
    one positive size per loop is an error at the op.

    On statically shaped tensors (before bufferization) the same ops become
    spec ops with tensor semantics, which one-shot bufferization turns into
    spec ops on buffers (in place on the output's buffer; a buffer with a
    run-time innermost stride is cast behind a run-time check, or copied to
    a contiguous one when the stride is not 1). Operands read transposed
    have no tensor view: such ops import after bufferization.

    Everything else is left alone: ops on tensors with dynamic sizes (they
    import after bufferization), other ops with dynamic sizes, empty operands (nothing to compute), element types or
    mixed precisions the spec dialect does not support, unsigned casts,
    other fill values. With `report`, each linalg op left alone gets a
    remark saying why (naming the operand), at its location;
    `--tessel-to-llvm` then lowers it with upstream's loops.
  }];
  let options = [
    Option<"report", "report", "bool", /*default=*/"false",
           "Remark on every linalg op left alone, with the reason">,
  ];
  let dependentDialects = [
    "::tessel::spec::SpecDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def TesselSynthesize : Pass<"tessel-synthesize", "::mlir::ModuleOp"> {
  let summary = "Replace each spec op by the fastest program the search finds";
  let description = [{
    For every `spec` op, asks the synthesis engine for the cheapest program
    on the target (see docs/search.md and docs/cost-model.md) and emits it.
    Ops the engine has no kind for are first decomposed into ops it has:
    `spec.softmax` (f32) into a row maximum, a subtract with an exp
    epilogue, a row sum, its reciprocal and a multiply, with the row
    statistics in scratch buffers and the intermediates in the output (in
    blocks, in parallel when there are several); a padded `spec.conv2d`
    into unpadded ones (by regions, per filter tap or on a zero-bordered
    copy, docs/convolution.md; the choice reads the target's L2); rank-0
    operands into one-element vectors. A unary op in place on the f32
    buffer the binary op just before it wrote becomes that op's epilogue
    (`then`): one pass.


    * the op becomes a `func.call` of a private function holding its program
      (`tessel.spec` names the spec it implements); an operand whose offset
      is a run-time value (a subview in a loop) is passed as its base buffer
      and offset, so the call also works with bare-pointer conventions;
    * loops over tiles become `scf.for`, parallel tiles `scf.forall` whose
      body is a function of its own (so each thread's buffers live in its
      own stack frame); every loop carries `tessel.spec` (the sub-spec it
      implements) and `tessel.action`; a loop whose kernels are all scalar
      also carries an `llvm.loop_annotation` that disables LLVM's
      vectorization and unrolling of it (the search priced it one element
      at a time; unrolled, a small strided copy becomes thousands of
      instructions that take LLVM seconds to schedule);
    * moves into faster memory become aligned buffers (`memref.alloca` at
      function entry, `memref.alloc` beyond 64 KiB) filled and drained by
      microkernels; register tiles are small stack buffers indexed by
      constants, which LLVM keeps in registers;
    * leaves become `ukernel` ops on `memref.subview` boxes.

    Operands must be memrefs in main memory with static shapes, and static
    strides or run-time outer strides around a static unit one (any
    dimension order; function arguments or views of them); a spec op still
    on tensors is an error that says to bufferize first, and a spec the
    engine cannot state or implement gets an error naming the op and the
    reason.
  }];
  let options = [
    Option<"targetName", "target", "std::string", /*default=*/"\"host\"",
           "Target CPU: host (its calibration, else avx512/avx2), avx512, avx2, zen5, sapphire-rapids or a .target file">,
    Option<"threads", "threads", "unsigned", /*default=*/"0",
           "Cores the program is synthesized for (0: all of the host's); "
           "1 gives a serial program">,
    Option<"searchThreads", "search-threads", "unsigned", /*default=*/"0",
           "Threads of the search itself (0: all cores); any count gives the "
           "same program">,
    Option<"searchBudget", "search-budget", "uint64_t",
           /*default=*/"::tessel::synth::SearchOptions::kDefaultBudget",
           "Specs the search may expand per op (0: no limit); past it, the "
           "program is the best among blocks of 256, with a warning">,
    Option<"dbPath", "db", "std::string", /*default=*/"\"\"",
           "Memo database to read and update (docs/memo-format.md); empty: "
           "a memo in memory for this run">,
    Option<"dbIgnoreMismatch", "db-ignore-mismatch", "bool",
           /*default=*/"false",
           "Replace a database made for another target or cost model, or a "
           "damaged one, with a warning instead of failing">,
  ];
  let dependentDialects = [
    "::tessel::ukernel::UkernelDialect",
    "::mlir::affine::AffineDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::func::FuncDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect"
  ];
}

def TesselLowerMicrokernels : Pass<"tessel-lower-microkernels"> {
  let summary = "Expand ukernel ops into vector and x86vector code";
  let description = [{
    Each `ukernel` op becomes straight-line vector code over its register
    tile: `vector.load`/`vector.store` of rows, `vector.broadcast` +
    `vector.fma` for `broadcast_fma`, `x86vector.avx512.dot` (vdpbf16ps) for
    `dot_bf16`, `arith.extf` for widening, `vector.interleave` for bf16 pair
    packing. Accumulators stay in SSA values across the k loop (`scf.for`
    with iter_args). Copies and fills of more than 64 vectors keep loops
    over their outer dimensions instead of unrolling. `elementwise` applies
    its function to vector rows in f32; exp becomes a range reduction, a
    polynomial and 2^k (with `avx512`, of 16 f32 lanes,
    `x86vector.avx512.mask.scalef`, i.e. vscalefps; else two powers of two
    built in the exponent bits), tanh upstream's polynomial approximation,
    erf (in GELU) a rational function fitted for Tessel (no libm calls). `reduce`
    keeps four independent accumulators along long reductions.
  }];
  let options = [
    Option<"avx512", "avx512", "bool", /*default=*/"false",
           "The code runs on a CPU with AVX-512F: exp uses vscalefps "
           "(`--tessel-to-llvm` sets it when its target's ISA is AVX-512)">
  ];
  let dependentDialects = [
    "::mlir::affine::AffineDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::math::MathDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect",
    "::mlir::x86vector::X86VectorDialect"
  ];
}

def TesselCheckBuffers : Pass<"tessel-check-buffers", "::mlir::ModuleOp"> {
  let summary = "Fail on ops that still work on tensors";
  let description = [{
    The first pass of `--tessel-to-llvm`: the pipeline lowers buffers, so an
    op with a tensor operand or result (say a `linalg.matmul` of dynamic
    size that the import left on tensors) gets a located error saying to
    bufferize first (`--one-shot-bufferize`), before the pipeline's
    conversions would rewrite the insides of ops they cannot lower. With
    `bare-ptr-call-conv` (set by `--tessel-to-llvm=bare-ptr-call-conv`), a
    called function with a memref argument that a bare pointer cannot carry
    (a dynamic shape, stride or offset) gets a located error too: upstream's
    conversion gives such a function memref descriptors and then fails at
    the calls to it.
  }];
  let options = [
    Option<"barePtrCallConv", "bare-ptr-call-conv", "bool",
           /*default=*/"false",
           "Also check that the memref arguments of every called function "
           "can be passed as bare pointers">
  ];
}

def TesselLegalizeBf16 : Pass<"tessel-legalize-bf16"> {
  let summary = "bf16 code that needs no AVX512-BF16 or runtime support";
  let description = [{
    `arith.truncf` to bf16 (rounding to nearest even, NaN kept quiet) and
    `arith.extf` from bf16 become bitcasts, shifts and adds, and masked
    loads and stores of bf16 vectors (`llvm.intr.masked.load/store`) move
    their lanes as i16. Without AVX512-BF16, LLVM would lower both through
    calls of `__truncsfbf2`, which the JIT and Debian 12's libgcc do not
    provide. `--tessel-to-llvm` runs it after the vector conversion and
    `arith-emulate-unsupported-floats` (bf16 arithmetic in f32) unless its
    target has AVX512-BF16 and `avx512-instructions` and
    `bf16-instructions` are on (then LLVM uses `vcvtneps2bf16` and
    `vmovdqu16`).
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::LLVM::LLVMDialect"];
}

def TesselLoopAnnotations : Pass<"tessel-loop-annotations"> {
  let summary = "Loop hints on llvm.br as the translation to LLVM IR reads them";
  let description = [{
    Moves the `llvm.loop_annotation` attribute that `convert-scf-to-cf` and
    `convert-cf-to-llvm` leave on a loop's back edge (`llvm.br` or
    `llvm.cond_br`) into the branch's `loop_annotation`, which becomes the
    loop's `!llvm.loop` metadata; the translation ignores the former.
    `--tessel-to-llvm` runs it after the control-flow conversion, so that a
    loop `--tessel-synthesize` marks (scalar kernels: no vectorization or
    unrolling by LLVM) stays as the search priced it.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

def TesselCheckLowered : Pass<"tessel-check-lowered", "::mlir::ModuleOp"> {
  let summary = "Fail on any op left outside the llvm and omp dialects";
  let description = [{
    The last pass of `--tessel-to-llvm`: a module is lowered completely or
    the pipeline fails. Every op outside the `llvm` and `omp` dialects (and
    the module itself) gets a located error naming it, e.g. a
    `linalg.generic` on tensors that neither Tessel nor the upstream
    lowering in the pipeline handles, so `mlir-translate` is never handed a
    half-lowered module.
  }];
}

#endif // TESSEL_CONVERSION_PASSES_TD
