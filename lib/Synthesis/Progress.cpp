//===- Progress.cpp - Report long searches while they run -----------------===//

#include "tessel/Synthesis/Progress.h"

#include <utility>

using namespace tessel::synth;
using Clock = std::chrono::steady_clock;

static std::mutex handlerMutex;
static std::shared_ptr<const ProgressHandler> currentHandler;

ScopedProgressHandler::ScopedProgressHandler(ProgressHandler handler) {
  auto installed = std::make_shared<const ProgressHandler>(std::move(handler));
  std::lock_guard<std::mutex> lock(handlerMutex);
  previous = std::exchange(currentHandler, std::move(installed));
}

ScopedProgressHandler::~ScopedProgressHandler() {
  std::lock_guard<std::mutex> lock(handlerMutex);
  currentHandler = std::move(previous);
}

ProgressReporter::ProgressReporter()
    : start(Clock::now()),
      nextReport((start + std::chrono::seconds(1)).time_since_epoch().count()) {
  std::lock_guard<std::mutex> lock(handlerMutex);
  handler = currentHandler;
}

void ProgressReporter::report(SearchProgress progress, bool finished) {
  // One report at a time; a thread that finds another reporting skips.
  std::unique_lock<std::mutex> lock(mutex, std::try_to_lock);
  if (!lock.owns_lock() && !finished)
    return;
  if (!lock.owns_lock())
    lock.lock();
  Clock::time_point now = Clock::now();
  if (!finished && now.time_since_epoch().count() < nextReport.load())
    return;
  nextReport =
      (now + std::chrono::milliseconds(250)).time_since_epoch().count();
  progress.seconds = std::chrono::duration<double>(now - start).count();
  progress.finished = finished;
  reported = true;
  (*handler)(progress);
}
