//===- Progress.h - Report long searches while they run ---------*- C++ -*-===//
//
// A search that runs for more than a second reports how far it got, about
// every quarter second, to the handler installed (process-wide) when it
// began: the driver draws a line on a terminal, the C API calls its
// caller's callback. Searches that finish within a second say nothing.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_SYNTHESIS_PROGRESS_H
#define TESSEL_SYNTHESIS_PROGRESS_H

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>

namespace tessel::synth {

struct SearchProgress {
  uint64_t specsSolved = 0, specsExpanded = 0, memoHits = 0;
  double seconds = 0;
  /// The last report of a search (it reported before).
  bool finished = false;
};
using ProgressHandler = std::function<void(const SearchProgress &)>;

/// Sends the reports of searches that begin while it lives to `handler`;
/// the innermost live scope wins.
class ScopedProgressHandler {
public:
  explicit ScopedProgressHandler(ProgressHandler handler);
  ~ScopedProgressHandler();
  ScopedProgressHandler(const ScopedProgressHandler &) = delete;
  ScopedProgressHandler &operator=(const ScopedProgressHandler &) = delete;

private:
  std::shared_ptr<const ProgressHandler> previous;
};

/// One search's reports: to the handler current at construction.
class ProgressReporter {
public:
  ProgressReporter();
  /// Cheap when called often from any thread: reports `now()` if a second
  /// has passed since construction and a quarter since the last report.
  template <typename Snapshot> void tick(Snapshot now) {
    if (handler &&
        std::chrono::steady_clock::now().time_since_epoch().count() >=
            nextReport.load(std::memory_order_relaxed))
      report(now(), /*finished=*/false);
  }
  /// The closing report, if there were others.
  template <typename Snapshot> void finish(Snapshot now) {
    if (handler && reported)
      report(now(), /*finished=*/true);
  }

private:
  void report(SearchProgress progress, bool finished);
  std::shared_ptr<const ProgressHandler> handler;
  std::chrono::steady_clock::time_point start;
  /// steady_clock ticks of the next report (atomic: read by every thread).
  std::atomic<std::chrono::steady_clock::rep> nextReport;
  std::mutex mutex;
  bool reported = false;
};

} // namespace tessel::synth

#endif // TESSEL_SYNTHESIS_PROGRESS_H
