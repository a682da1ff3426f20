//===- Nesting.h - Bound the bracket nesting of MLIR text -------*- C++ -*-===//
#ifndef TESSEL_SUPPORT_NESTING_H
#define TESSEL_SUPPORT_NESTING_H

#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/SourceMgr.h"
#include <algorithm>
#include <optional>

namespace tessel {

/// The deepest bracket nesting a module may have (tools run on a stack far
/// deeper than it needs: tessel/Support/DeepStack.h).
constexpr size_t kMaxNesting = 1000;

/// Where `text` nests brackets ({, ( or [, outside strings and comments)
/// deeper than kMaxNesting, or nothing. The parser, the verifier and the
/// passes recurse once per level: a bound turns a stack overflow on hostile
/// input into an error.
inline std::optional<size_t> findTooDeepNesting(llvm::StringRef text) {
  size_t depth = 0;
  for (size_t i = 0, e = text.size(); i < e; ++i) {
    switch (text[i]) {
    case '"': // a string: skip to its unescaped end
      for (++i; i < e && text[i] != '"'; ++i)
        if (text[i] == '\\')
          ++i;
      break;
    case '/':
      if (i + 1 < e && text[i + 1] == '/')
        i = std::min(text.find('\n', i), e);
      break;
    case '{':
    case '(':
    case '[':
      if (++depth > kMaxNesting)
        return i;
      break;
    case '}':
    case ')':
    case ']':
      depth -= depth > 0;
      break;
    }
  }
  return std::nullopt;
}

/// Prints a located error to `os` and returns true when buffer `id` of
/// `sourceMgr` nests brackets deeper than kMaxNesting.
inline bool reportTooDeepNesting(const llvm::SourceMgr &sourceMgr, unsigned id,
                                 llvm::raw_ostream &os) {
  const llvm::MemoryBuffer *buffer = sourceMgr.getMemoryBuffer(id);
  std::optional<size_t> at = findTooDeepNesting(buffer->getBuffer());
  if (!at)
    return false;
  sourceMgr.PrintMessage(
      os, llvm::SMLoc::getFromPointer(buffer->getBufferStart() + *at),
      llvm::SourceMgr::DK_Error,
      "brackets nest deeper than " + llvm::Twine(kMaxNesting) +
          " levels; Tessel reads modules up to that depth");
  return true;
}

} // namespace tessel

#endif // TESSEL_SUPPORT_NESTING_H
