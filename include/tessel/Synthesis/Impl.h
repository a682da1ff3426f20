//===- Impl.h - A chosen program --------------------------------*- C++ -*-===//
//
// The result of synthesis: a tree whose nodes are (spec, action, cost) and
// whose children are the applied action's sub-specs, each with its role and
// how often it runs. Everything code generation needs is explicit: loop
// dims and tile sizes (Action::size, Child::remainderMask), moves with their
// destination level/layout/dtype, and kernels with the spec they implement.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_SYNTHESIS_IMPL_H
#define TESSEL_SYNTHESIS_IMPL_H

#include "tessel/Synthesis/Actions.h"
#include "tessel/Synthesis/Cost.h"
#include <vector>

namespace tessel::synth {

struct Impl {
  Spec spec;
  Action action;
  Cost cost;
  /// Parallel to `children`: count, role and remainder mask of each child.
  std::vector<Child> childInfo;
  std::vector<Impl> children;

  /// Tree of actions with each node's spec and cost, one node per line.
  void explain(llvm::raw_ostream &os, const Target &target,
               unsigned indent = 0) const;
  std::string explanation(const Target &target) const;

  /// The innermost kernel leaf reached by always following the body child
  /// with the largest total count (the "hot path").
  const Impl &hottestLeaf() const;
  unsigned height() const;
};

} // namespace tessel::synth

#endif // TESSEL_SYNTHESIS_IMPL_H
