// A packed layout whose block does not divide the dimension.
func.func private @f(memref<8x40xf32, #spec.layout<[d1 floordiv 16, d0, d1 mod 16]>>)
