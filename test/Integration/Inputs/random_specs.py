#!/usr/bin/env python3
"""Writes a module of random spec functions for differential testing
(`tessel run` checks each against the reference interpreter): the
matmul family (default) or, with --family, unary and binary elementwise
ops, reductions, softmaxes (with a few scalar ops) or convolutions (also of
small images under many channels).

Shapes mix 1s, primes, odd sizes and multiples of the vector width; operands
take every layout a function boundary can carry (row-major, transposed,
padded leading dimensions); element types are mostly f32 and bf16 x bf16 -> f32,
with f16 -> f32, bf16 -> bf16, f16 -> f16 and i8/i16/i32 -> i32;
specs are plain, accumulating, batched, vector-matrix and matrix-vector
products, plus moves (copies, transposes, bf16 -> f32 casts) and fills.
"""
import argparse
import random

SIZES = [1, 2, 3, 5, 7, 8, 11, 13, 16, 17, 19, 23, 29, 31, 32, 33, 37, 47,
         48, 64, 65, 96]


def memref(shape, dtype, layout):
    """A memref type of `shape`; layout: 'row', 'col' (last two dims
    swapped in memory) or 'pad' (row-major with a padded leading dim)."""
    dims = "x".join(str(s) for s in shape)
    if layout == "row" or len(shape) < 2:
        return f"memref<{dims}x{dtype}>"
    rows, cols = shape[-2], shape[-1]
    batch = shape[0] if len(shape) == 3 else None
    if layout == "col":
        inner = [1, rows]
        outer = rows * cols
    else:  # pad
        inner = [cols + 3, 1]
        outer = rows * (cols + 3)
    strides = ([outer] if batch else []) + inner
    return f"memref<{dims}x{dtype}, strided<[{', '.join(map(str, strides))}]>>"


# (input, output) element types: mostly the vector kernels' f32 and
# bf16 -> f32, and every other accumulation spec.matmul admits.
ACCUMULATIONS = ([("f32", "f32")] * 6 + [("bf16", "f32")] * 3 +
                 [("f16", "f32"), ("bf16", "bf16"), ("f16", "f16"),
                  ("i8", "i32"), ("i16", "i32"), ("i32", "i32")])


def matmul(i, rng):
    form = rng.choice(["mm", "mm", "mm", "vecmat", "matvec", "batched"])
    m, k, n = (rng.choice(SIZES) for _ in range(3))
    if form == "vecmat":
        m = 1
    if form == "matvec":
        n = 1
    batch = [rng.choice([1, 2, 3])] if form == "batched" else []
    dtype, out_type = rng.choice(ACCUMULATIONS)
    if dtype == "bf16" and out_type == "f32" and rng.random() < 0.5:
        k = 2 * rng.choice([1, 4, 8, 16, 32])  # pair-packable reductions
    layouts = [rng.choice(["row", "row", "col", "pad"]) for _ in range(2)]
    a = memref(batch + [m, k], dtype, layouts[0])
    b = memref(batch + [k, n], dtype, layouts[1])
    c = memref(batch + [m, n], out_type, rng.choice(["row", "row", "pad"]))
    op = "+=" if rng.random() < 0.4 else "="
    return (f"func.func @matmul{i}(%a: {a}, %b: {b}, %c: {c}) {{\n"
            f"  spec.matmul %c {op} %a * %b : {a} * {b} -> {c}\n"
            f"  return\n}}\n")


def move(i, rng):
    shape = [rng.choice(SIZES), rng.choice(SIZES)]
    src_type = rng.choice(["f32", "bf16"])
    dst_type = "f32" if src_type == "f32" else rng.choice(["bf16", "f32"])
    src = memref(shape, src_type, rng.choice(["row", "col", "pad"]))
    dst = memref(shape, dst_type, rng.choice(["row", "col", "pad"]))
    return (f"func.func @move{i}(%s: {src}, %d: {dst}) {{\n"
            f"  spec.move %d = %s : {src} -> {dst}\n  return\n}}\n")


def fill(i, rng):
    shape = [rng.choice(SIZES), rng.choice(SIZES)]
    t = memref(shape, rng.choice(["f32", "bf16"]), rng.choice(["row", "pad"]))
    value = rng.choice(["zero", "neg_inf", "min"])
    return (f"func.func @fill{i}(%d: {t}) {{\n"
            f"  spec.fill %d = {value} : {t}\n  return\n}}\n")


UNARY = ["relu", "neg", "abs", "exp", "tanh", "sigmoid", "gelu", "gelu_tanh",
         "reciprocal"]
BINARY = ["add", "sub", "mul", "div", "max", "min"]


def elementwise(i, rng):
    """A unary or binary op of rank 1 to 3; inputs broadcast along random
    dims; f32 or bf16 inputs, f32 output, any layout, sometimes in place;
    sometimes a spec.broadcast along some dims."""
    rank = rng.choice([1, 2, 2, 2, 3])
    sizes = SIZES if rank < 3 else [1, 2, 3, 5, 7, 8, 16, 17]
    shape = [rng.choice(sizes) for _ in range(rank)]
    if rng.random() < 0.08:
        dims = sorted(rng.sample(range(rank), rng.randint(1, rank)))
        x = memref([1 if d in dims else s for d, s in enumerate(shape)], "f32",
                   rng.choice(["row", "col", "pad"]))
        out = memref(shape, "f32", rng.choice(["row", "col", "pad"]))
        along = ", ".join(map(str, dims))
        return (f"func.func @broadcast{i}(%x: {x}, %o: {out}) {{\n"
                f"  spec.broadcast %o = broadcast(%x) along [{along}] : {x} -> {out}\n"
                f"  return\n}}\n")
    dtype = rng.choice(["f32", "f32", "bf16"])
    binary = rng.random() < 0.5
    fn = rng.choice(BINARY if binary else UNARY)
    out = memref(shape, "f32", rng.choice(["row", "row", "col", "pad"]))
    inputs = []
    for _ in range(2 if binary else 1):
        s = [1 if rng.random() < 0.25 else d for d in shape]
        inputs.append(memref(s, dtype, rng.choice(["row", "row", "col", "pad"])))
    # In place: the output is the first input (same shape and type).
    in_place = dtype == "f32" and rng.random() < 0.3
    if in_place:
        out = memref(shape, "f32", rng.choice(["row", "col", "pad"]))
        inputs[0] = out
    names = ["%x", "%y"][:len(inputs)]
    args = [f"{n}: {t}" for n, t in zip(names, inputs)]
    if not in_place:
        args.append(f"%o: {out}")
    target = "%x" if in_place else "%o"
    types = ", ".join(inputs)
    # A binary op's epilogue: a unary function of its result.
    then = f" then {rng.choice(UNARY)}" if binary and rng.random() < 0.3 else ""
    return (f"func.func @{fn}{i}({', '.join(args)}) {{\n"
            f"  spec.{fn} {target} = {fn}({', '.join(names)}){then} : {types} -> {out}\n"
            f"  return\n}}\n")


def reduce(i, rng):
    """A sum, maximum or minimum along one dim of rank 1 to 3 (the dim kept as 1),
    overwriting or accumulating, f32 or bf16 input, any layout."""
    rank = rng.choice([1, 2, 2, 3])
    sizes = SIZES if rank < 3 else [1, 2, 3, 5, 7, 8, 16, 17]
    shape = [rng.choice(sizes) for _ in range(rank)]
    dim = rng.randrange(rank)
    out_shape = [1 if d == dim else s for d, s in enumerate(shape)]
    x = memref(shape, rng.choice(["f32", "f32", "bf16"]),
               rng.choice(["row", "col", "pad"]))
    out = memref(out_shape, "f32", rng.choice(["row", "col", "pad"]))
    kind = rng.choice(["sum", "max", "min"])
    op = rng.choice(["=", "+="])
    return (f"func.func @reduce{i}(%x: {x}, %o: {out}) {{\n"
            f"  spec.reduce %o {op} {kind}(%x) along {dim} : {x} -> {out}\n"
            f"  return\n}}\n")


def softmax(i, rng):
    """A softmax along one dim of rank 1 to 3, any layout of input and
    output; now and then a scalar (rank-0) fill or elementwise op."""
    if rng.random() < 0.1:
        fn = rng.choice(["add", "mul", "max"])
        return (f"func.func @scalar{i}(%x: memref<f32>, %y: memref<f32>) {{\n"
                f"  spec.{fn} %y = {fn}(%x, %x) : memref<f32>, memref<f32> "
                f"-> memref<f32>\n  return\n}}\n")
    rank = rng.choice([1, 2, 2, 3])
    sizes = SIZES if rank < 3 else [1, 2, 3, 5, 7, 8, 16, 17]
    shape = [rng.choice(sizes) for _ in range(rank)]
    dim = rng.randrange(rank)
    x = memref(shape, "f32", rng.choice(["row", "col", "pad"]))
    y = memref(shape, "f32", rng.choice(["row", "col", "pad"]))
    return (f"func.func @softmax{i}(%x: {x}, %y: {y}) {{\n"
            f"  spec.softmax %y = softmax(%x) along {dim} : {x} -> {y}\n"
            f"  return\n}}\n")


def padded4(shape, dtype, pad):
    """A memref type (4-D, or 3-D depthwise filters), its innermost dim's
    rows `pad` elements apart beyond their extent (pad 0: dense)."""
    dims = "x".join(str(s) for s in shape)
    if not pad:
        return f"memref<{dims}x{dtype}>"
    strides, stride = [], 1
    for i, size in reversed(list(enumerate(shape))):
        strides.insert(0, stride)
        stride *= size + (pad if i == len(shape) - 1 else 0)
    return f"memref<{dims}x{dtype}, strided<[{', '.join(map(str, strides))}]>>"


def conv(i, rng, small_image=False):
    """2-D convolutions: every format (depthwise too), 1x1 to 7x7 filters, strides and
    dilations up to 3 and 2, zero padding, batches, one input channel, rows
    the windows do not reach, padded operand strides, f32 and bf16,
    overwriting and accumulating. With `small_image`: padded images of a
    few pixels under many channels (what is convolved tap by tap)."""
    fmt = rng.choice(["nchw_fchw", "nhwc_hwcf", "nhwc_hwcf", "nhwc_fhwc",
                      "nhwc_hwc", "nchw_chw"])
    if small_image:
        fmt = rng.choice(["nchw_fchw", "nhwc_hwcf", "nhwc_fhwc"])
    depthwise = fmt in ("nhwc_hwc", "nchw_chw")
    n = rng.choice([1, 1, 1, 2, 3])
    c = rng.choice([1, 2, 3, 5, 8, 16, 17, 32])
    f = rng.choice([1, 3, 7, 16, 17, 32, 33])
    if small_image:
        c, f = rng.choice([32, 33, 48, 64]), rng.choice([32, 33, 48, 64])
    elif fmt == "nchw_fchw":  # searched longer: vectors along x only
        c, f = min(c, 8), min(f, 7)
    if depthwise:  # one filter per channel
        f = c = rng.choice([1, 3, 16, 17, 32, 48])
    r, s = (rng.choice([1, 1, 2, 3, 3, 5, 7]) for _ in range(2))
    stride = [rng.choice([1, 1, 2, 3]) for _ in range(2)]
    dilation = [rng.choice([1, 1, 1, 2]) for _ in range(2)]
    out = [rng.choice([1, 2, 3, 5, 7, 11, 14]) for _ in range(2)]
    if small_image:
        r, s = (rng.choice([2, 3, 3, 5]) for _ in range(2))
        out = [rng.choice([1, 2, 3]) for _ in range(2)]
    # Zero padding [top, left, bottom, right] on some: up to 3 per side, so
    # some outputs see only padding; none where the image would vanish.
    pads = ([rng.choice([0, 1, 1, 2, 3]) for _ in range(4)]
            if small_image or rng.random() < 0.4 else [0] * 4)
    image = []
    for d, (o, st, k, dl) in enumerate(zip(out, stride, (r, s), dilation)):
        padded = (o - 1) * st + (k - 1) * dl + 1 + rng.randrange(st)
        if padded - pads[d] - pads[2 + d] < 1:
            pads[d] = pads[2 + d] = 0
        image.append(padded - pads[d] - pads[2 + d])
    dtype = rng.choice(["f32", "f32", "f32", "bf16"])
    nhwc = fmt.startswith("nhwc")
    img_shape = [n, *image, c] if nhwc else [n, c, *image]
    out_shape = [n, *out, f] if nhwc else [n, f, *out]
    filt_shape = {"fchw": [f, c, r, s], "hwcf": [r, s, c, f],
                  "fhwc": [f, r, s, c], "hwc": [r, s, c],
                  "chw": [c, r, s]}[fmt[5:]]
    pad = lambda: rng.choice([0, 0, 0, 3])  # noqa: E731
    x = padded4(img_shape, dtype, pad())
    w = padded4(filt_shape, dtype, pad())
    o = padded4(out_shape, "f32", pad())
    op = "+=" if rng.random() < 0.3 else "="
    attrs = (f'{{format = "{fmt}", strides = array<i64: {stride[0]}, '
             f'{stride[1]}>, dilations = array<i64: {dilation[0]}, '
             f'{dilation[1]}>')
    if any(pads):
        symmetric = pads[:2] == pads[2:] and rng.random() < 0.5
        attrs += (", padding = array<i64: " +
                  ", ".join(map(str, pads[:2] if symmetric else pads)) + ">")
    attrs += "}"
    return (f"func.func @conv{i}(%x: {x}, %w: {w}, %o: {o}) {{\n"
            f"  spec.conv2d %o {op} conv(%x, %w) {attrs} : {x}, {w} -> {o}\n"
            f"  return\n}}")


FAMILIES = {"elementwise": elementwise, "reduce": reduce, "softmax": softmax,
            "conv": conv,
            "small-image-conv": lambda i, rng: conv(i, rng, small_image=True)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--every", type=int, default=1,
                        help="print every N-th of the --count cases")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--family", choices=["matmul", *FAMILIES],
                        default="matmul")
    args = parser.parse_args()
    if args.every < 1:
        parser.error("--every needs a count of 1 or more")
    rng = random.Random(args.seed)
    for i in range(args.count):
        if args.family != "matmul":
            case = FAMILIES[args.family](i, rng)
        else:
            r = rng.random()
            gen = matmul if r < 0.8 else move if r < 0.9 else fill
            case = gen(i, rng)
        if i % args.every == 0:
            print(case)


if __name__ == "__main__":
    main()
