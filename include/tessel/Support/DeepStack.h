//===- DeepStack.h - Run a tool's work on a deep stack ----------*- C++ -*-===//
#ifndef TESSEL_SUPPORT_DEEPSTACK_H
#define TESSEL_SUPPORT_DEEPSTACK_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/Compiler.h"
#include "llvm/Support/thread.h"
#include <optional>

namespace tessel {

/// The stack a tool's work runs on (reserved, not committed).
constexpr unsigned kToolStackBytes = 1u << 30;

/// Runs `work` on a thread with a kToolStackBytes stack and returns its exit
/// status: parsing, verifying and the passes recurse once per nesting level
/// of a module. AddressSanitizer cannot tear down a thread with a stack size
/// of its own, so instrumented builds run `work` in place.
inline int runOnDeepStack(llvm::function_ref<int()> work) {
#if LLVM_ADDRESS_SANITIZER_BUILD
  return work();
#else
  int status = 1;
  llvm::thread worker(std::optional<unsigned>(kToolStackBytes),
                      [&] { status = work(); });
  worker.join();
  return status;
#endif
}

} // namespace tessel

#endif // TESSEL_SUPPORT_DEEPSTACK_H
