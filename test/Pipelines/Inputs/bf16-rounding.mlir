func.func @casts(%x: vector<8xf32>) -> vector<8xbf16> {
  %y = arith.truncf %x : vector<8xf32> to vector<8xbf16>
  return %y : vector<8xbf16>
}

// A matmul rounded into a bf16 output of 9x13 (a partial last vector per row).
func.func @rounded(%a: memref<9x40xbf16>, %b: memref<40x13xbf16>, %c: memref<9x13xbf16>) {
  spec.matmul %c = %a * %b : memref<9x40xbf16> * memref<40x13xbf16> -> memref<9x13xbf16>
  return
}
