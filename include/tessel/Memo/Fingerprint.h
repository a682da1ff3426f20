//===- Fingerprint.h - What a memo database's answers depend on -*- C++ -*-===//
//
// A stored answer is only right for the target, cost model and action space
// that produced it. The engine fingerprint covers all three:
//   * Target::fingerprint() (every constant of the target);
//   * kEngineRevision, bumped by hand when the meaning of a Spec or Action
//     field changes in a way probing cannot see;
//   * a probe: every action enumerated for a fixed set of small specs, each
//     applied, hashed with its children, base cost, allocations and the cost
//     it combines to, plus the specs' lower bounds. Any change to the action
//     enumeration, kernel costs or cost combination changes it without anyone
//     remembering to bump a number.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_MEMO_FINGERPRINT_H
#define TESSEL_MEMO_FINGERPRINT_H

#include "tessel/Synthesis/Target.h"
#include <cstdint>

namespace tessel::memo {

/// Bump when Spec/Action/Cost fields change meaning (see above).
constexpr uint32_t kEngineRevision = 11;

/// Fingerprint of target + cost model + action space (deterministic across
/// processes and machines; takes well under a millisecond).
uint64_t engineFingerprint(const synth::Target &target);

} // namespace tessel::memo

#endif // TESSEL_MEMO_FINGERPRINT_H
