func.func @softmax(%x: memref<4096x1024xf32, #spec.layout<[d1 floordiv 16, d0, d1 mod 16]>>, %o: memref<4096x1024xf32>) {
  spec.softmax %o = softmax(%x) along 1 : memref<4096x1024xf32, #spec.layout<[d1 floordiv 16, d0, d1 mod 16]>> -> memref<4096x1024xf32>
  return
}
func.func @padded_conv(%x: memref<1x14x14x256xbf16>, %w: memref<3x3x256x256xbf16, #spec.layout<[d0, d1, d2 floordiv 2, d3, d2 mod 2]>>, %o: memref<1x14x14x256xf32>) {
  spec.conv2d %o = conv(%x, %w) {format = "nhwc_hwcf", padding = array<i64: 1, 1>} : memref<1x14x14x256xbf16>, memref<3x3x256x256xbf16, #spec.layout<[d0, d1, d2 floordiv 2, d3, d2 mod 2]>> -> memref<1x14x14x256xf32>
  return
}
