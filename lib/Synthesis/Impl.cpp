//===- Impl.cpp - Explaining a chosen program -----------------------------===//
#include "tessel/Synthesis/Impl.h"
#include "tessel/Synthesis/Target.h"

namespace tessel::synth {

static llvm::StringRef roleName(ChildRole r) {
  switch (r) {
  case ChildRole::Body:
    return "body";
  case ChildRole::Prologue:
    return "copy in";
  case ChildRole::Epilogue:
    return "copy out";
  case ChildRole::Init:
    return "init";
  }
  return "";
}

void Impl::explain(llvm::raw_ostream &os, const Target &target,
                   unsigned indent) const {
  os.indent(indent);
  spec.print(os, /*withLimits=*/false);
  os << '\n';
  os.indent(indent + 2) << "=> ";
  action.print(os, spec);
  os << "   [";
  cost.print(os);
  os << "]\n";
  for (unsigned i = 0; i < children.size(); ++i) {
    const Child &c = childInfo[i];
    os.indent(indent + 4) << roleName(c.role);
    if (action.kind == ActionKind::TileOut || action.kind == ActionKind::Split) {
      os << " x" << c.count;
      if (c.remainderMask)
        os << " (boundary)";
    }
    os << ":\n";
    children[i].explain(os, target, indent + 6);
  }
}

std::string Impl::explanation(const Target &target) const {
  std::string s;
  llvm::raw_string_ostream os(s);
  explain(os, target);
  return s;
}

static void hottest(const Impl &impl, uint64_t mult, const Impl *&best,
                    uint64_t &bestWeight) {
  if (impl.children.empty()) {
    uint64_t w = mult * impl.cost.main;
    if (!best || w > bestWeight) {
      best = &impl;
      bestWeight = w;
    }
    return;
  }
  for (unsigned i = 0; i < impl.children.size(); ++i)
    hottest(impl.children[i], mult * impl.childInfo[i].count, best,
            bestWeight);
}

const Impl &Impl::hottestLeaf() const {
  const Impl *best = nullptr;
  uint64_t w = 0;
  hottest(*this, 1, best, w);
  return *best;
}

unsigned Impl::height() const {
  unsigned h = 0;
  for (const Impl &c : children)
    h = std::max(h, c.height());
  return h + 1;
}

} // namespace tessel::synth
