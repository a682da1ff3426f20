//===- SpecInterfaces.td - What every spec op answers ------*- tablegen -*-===//
//
// Questions tools ask of any spec op, answered by the op (so `tessel run`,
// `tessel bench` and the benchmarks do not switch over op classes).
//
//===----------------------------------------------------------------------===//

#ifndef TESSEL_DIALECT_SPEC_IR_SPECINTERFACES_TD
#define TESSEL_DIALECT_SPEC_IR_SPECINTERFACES_TD

include "mlir/IR/OpBase.td"

def Spec_SpecOpInterface : OpInterface<"SpecOpInterface"> {
  let description = [{
    Implemented by every spec op: the work and the traffic of one run, for
    the GFLOP/s and GB/s that `tessel bench` reports.
  }];
  let cppNamespace = "::tessel::spec";
  let methods = [
    InterfaceMethod<
      /*desc=*/[{Floating-point operations of one run, a multiply-add
        counting two. Ops that move data or apply an elementwise function
        count none: their speed is reported in bytes.}],
      /*retTy=*/"double", /*methodName=*/"getFlopCount", /*args=*/(ins),
      /*methodBody=*/"", /*defaultImplementation=*/[{ return 0; }]>,
    InterfaceMethod<
      /*desc=*/[{Bytes of all operands (the least a run moves: each read or
        written once).}],
      /*retTy=*/"double", /*methodName=*/"getOperandBytes", /*args=*/(ins),
      /*methodBody=*/"",
      /*defaultImplementation=*/[{ return ::tessel::spec::operandBytes($_op); }]>
  ];
}

#endif // TESSEL_DIALECT_SPEC_IR_SPECINTERFACES_TD
