// Specs the synthesis engine cannot state yet.
func.func @f(%x: memref<32x128xf32>, %y: memref<32x128xf32>, %c: memref<32x64xf32>, %v: memref<32x128xf32, strided<[256, 2]>>,
             %n: memref<128x64xf32, #spec.layout<[d1 floordiv 32, d0, d1 mod 32 floordiv 16, d1 mod 16]>>) {
  spec.softmax %y = softmax(%x) along 1 : memref<32x128xf32> -> memref<32x128xf32>
  spec.matmul %c = %x * %n : memref<32x128xf32> * memref<128x64xf32, #spec.layout<[d1 floordiv 32, d0, d1 mod 32 floordiv 16, d1 mod 16]>> -> memref<32x64xf32>
  spec.move %y = %v : memref<32x128xf32, strided<[256, 2]>> -> memref<32x128xf32>
  return
}
