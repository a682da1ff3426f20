func.func @f(%x: memref<4x8xbf16>, %y: memref<4x8xbf16>) {
  spec.softmax %y = softmax(%x) along 1 : memref<4x8xbf16> -> memref<4x8xbf16>
  return
}
