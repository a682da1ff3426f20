func.func @casts(%x: vector<8xf32>) -> vector<8xbf16> {
  %y = arith.truncf %x : vector<8xf32> to vector<8xbf16>
  return %y : vector<8xbf16>
}

// A matmul rounded into a bf16 output of 9x13 (a partial last vector per row).
func.func @rounded(%a: memref<9x40xbf16>, %b: memref<40x13xbf16>, %c: memref<9x13xbf16>) {
  spec.matmul %c = %a * %b : memref<9x40xbf16> * memref<40x13xbf16> -> memref<9x13xbf16>
  return
}

// bf16 sums in a generic Tessel leaves to upstream's loops.
#id = affine_map<(d0) -> (d0)>
func.func @summed(%x: memref<13xbf16>, %y: memref<13xbf16>) {
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : memref<13xbf16>) outs(%y : memref<13xbf16>) {
  ^bb0(%a: bf16, %b: bf16):
    %s = arith.addf %a, %b : bf16
    linalg.yield %s : bf16
  }
  return
}
