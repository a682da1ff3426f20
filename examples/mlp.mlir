// One layer of a small network, stated as specs: y = relu(x * W + b), then a
// softmax over each row. Tessel's synthesis decides how to compute each one.
func.func @layer(%x: memref<32x256xf32>, %w: memref<256x128xf32>, %b: memref<1x128xf32>,
                 %y: memref<32x128xf32>, %p: memref<32x128xf32>) {
  spec.matmul %y = %x * %w : memref<32x256xf32> * memref<256x128xf32> -> memref<32x128xf32>
  spec.add %y = add(%y, %b) : memref<32x128xf32>, memref<1x128xf32> -> memref<32x128xf32>
  spec.relu %y = relu(%y) : memref<32x128xf32> -> memref<32x128xf32>
  spec.softmax %p = softmax(%y) along 1 : memref<32x128xf32> -> memref<32x128xf32>
  return
}

// The same weights, stored packed as [n/16][k][16] for vector loads.
func.func @packed_layer(%x: memref<32x256xf32>,
                        %w: memref<256x128xf32, #spec.layout<[d1 floordiv 16, d0, d1 mod 16]>>,
                        %y: memref<32x128xf32>) {
  spec.fill %y = zero : memref<32x128xf32>
  spec.matmul %y += %x * %w : memref<32x256xf32> * memref<256x128xf32, #spec.layout<[d1 floordiv 16, d0, d1 mod 16]>> -> memref<32x128xf32>
  return
}
