// Specs the synthesis engine cannot state yet.
func.func @f(%x: memref<32x128xf32>, %y: memref<32x128xf32>, %c: memref<32x64xf32>, %v: memref<32x128xf32, strided<[256, 2]>>,
             %n: memref<128x64xf32, #spec.layout<[d1 floordiv 32, d0, d1 mod 32 floordiv 16, d1 mod 16]>>,
             %img: memref<1x64x58x58xf16>, %w: memref<64x64x3x3xf16>, %o: memref<1x64x56x56xf32>) {
  spec.conv2d %o = conv(%img, %w) : memref<1x64x58x58xf16>, memref<64x64x3x3xf16> -> memref<1x64x56x56xf32>
  spec.matmul %c = %x * %n : memref<32x128xf32> * memref<128x64xf32, #spec.layout<[d1 floordiv 32, d0, d1 mod 32 floordiv 16, d1 mod 16]>> -> memref<32x64xf32>
  spec.move %y = %v : memref<32x128xf32, strided<[256, 2]>> -> memref<32x128xf32>
  return
}
