// Kernels a C program calls through `tessel compile`'s header.
func.func @gemm(%a: memref<67x45xf32>, %b: memref<45x50xf32>, %c: memref<67x50xf32>) {
  spec.matmul %c = %a * %b : memref<67x45xf32> * memref<45x50xf32> -> memref<67x50xf32>
  return
}
func.func @vecmat_bf16(%x: memref<1x128xbf16>, %w: memref<128x96xbf16, strided<[1, 128]>>, %y: memref<1x96xf32>) {
  spec.matmul %y += %x * %w : memref<1x128xbf16> * memref<128x96xbf16, strided<[1, 128]>> -> memref<1x96xf32>
  return
}
// Spec ops on subviews inside loops (offsets known only at run time), as a
// compiler that tiles before calling Tessel emits them: C[:, j:j+16] =
// A[:, 0:20] * B[0:20, j:j+16] + A[:, 20:41] * B[20:41, j:j+16].
func.func @tiled_gemm(%a: memref<29x41xf32>, %b: memref<41x48xf32>, %c: memref<29x48xf32>) {
  %c0 = arith.constant 0 : index
  %c16 = arith.constant 16 : index
  %c48 = arith.constant 48 : index
  scf.for %j = %c0 to %c48 step %c16 {
    %cj = memref.subview %c[0, %j] [29, 16] [1, 1] : memref<29x48xf32> to memref<29x16xf32, strided<[48, 1], offset: ?>>
    %a0 = memref.subview %a[0, 0] [29, 20] [1, 1] : memref<29x41xf32> to memref<29x20xf32, strided<[41, 1]>>
    %b0 = memref.subview %b[0, %j] [20, 16] [1, 1] : memref<41x48xf32> to memref<20x16xf32, strided<[48, 1], offset: ?>>
    spec.matmul %cj = %a0 * %b0 : memref<29x20xf32, strided<[41, 1]>> * memref<20x16xf32, strided<[48, 1], offset: ?>> -> memref<29x16xf32, strided<[48, 1], offset: ?>>
    %a1 = memref.subview %a[0, 20] [29, 21] [1, 1] : memref<29x41xf32> to memref<29x21xf32, strided<[41, 1], offset: 20>>
    %b1 = memref.subview %b[20, %j] [21, 16] [1, 1] : memref<41x48xf32> to memref<21x16xf32, strided<[48, 1], offset: ?>>
    spec.matmul %cj += %a1 * %b1 : memref<29x21xf32, strided<[41, 1], offset: 20>> * memref<21x16xf32, strided<[48, 1], offset: ?>> -> memref<29x16xf32, strided<[48, 1], offset: ?>>
  }
  return
}
