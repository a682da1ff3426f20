//===- Calibrate.cpp - tessel calibrate: describe this machine ------------===//
//
// Measures the host (tessel/Execution/Calibration.h) and writes its target
// description where target=host finds it, or to -o FILE.
//
//===----------------------------------------------------------------------===//

#include "Driver.h"
#include "tessel/Execution/Calibration.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include <chrono>

using namespace tessel;
using namespace tessel::driver;
namespace cl = llvm::cl;

static cl::SubCommand
    calibrateCommand("calibrate",
                     "Measure this machine and write the target description "
                     "that target=host uses from then on");
static cl::opt<std::string>
    output("o",
           cl::desc("Write the description here instead of the host cache "
                    "($TESSEL_CACHE_DIR or ~/.cache/tessel, one file per CPU)"),
           cl::value_desc("file"), cl::sub(calibrateCommand),
           cl::cat(category()));
static cl::opt<bool> ifNeeded(
    "if-needed",
    cl::desc("Measure only if the cache has no valid description for this "
             "CPU in this Tessel's format"),
    cl::sub(calibrateCommand), cl::cat(category()));
static cl::opt<bool>
    show("show",
         cl::desc("Measure nothing: print the description target=host uses "
                  "now and where it comes from"),
         cl::sub(calibrateCommand), cl::cat(category()));

/// The format of the cached calibration at `path` when it is older than
/// this Tessel's (a constant it lacks is guessed, not measured), else 0.
static unsigned olderFormat(llvm::StringRef path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> file =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!file)
    return 0;
  unsigned format = synth::Target::descriptionFormat((*file)->getBuffer());
  return format < synth::Target::kDescriptionFormat ? format : 0;
}

static int runCalibrate() {
  std::string cache = synth::Target::calibrationPath();
  // Only --show and --if-needed read the cache (measuring replaces it).
  std::optional<synth::Target> calibrated;
  if (show || ifNeeded)
    calibrated = synth::Target::calibration();
  // An older file lacks measurements this Tessel makes.
  unsigned older = calibrated ? olderFormat(cache) : 0;
  if (show) {
    synth::Target host = synth::Target::host();
    llvm::outs() << "# target=host on " << synth::Target::hostCpu() << ": "
                 << (calibrated
                         ? "calibrated, " + cache
                         : "not calibrated (" + cache + "): the shipped " +
                               host.label + " description");
    if (older) {
      llvm::outs() << " (format " << older << ":";
      if (older < 2 && calibrated->hasBf16Dot)
        llvm::outs() << " vdpbf16ps priced as an FMA;";
      llvm::outs() << " no streaming stores; not measured, `tessel "
                      "calibrate` measures them)";
    }
    llvm::outs() << "\n" << host.describe();
    return 0;
  }
  std::string path = output.empty() ? cache : std::string(output);
  if (path.empty()) {
    llvm::errs() << "tessel: no cache directory (set TESSEL_CACHE_DIR or "
                    "HOME), and no -o FILE\n";
    return 1;
  }
  if (ifNeeded && output.empty() && calibrated && !older) {
    llvm::outs() << "tessel: " << path << " describes this CPU already\n";
    return 0;
  }

  // Before measuring: a place it cannot be written is known now.
  llvm::StringRef dir = llvm::sys::path::parent_path(path);
  if (!dir.empty()) {
    std::error_code ec = llvm::sys::fs::create_directories(dir);
    if (!ec && !llvm::sys::fs::is_directory(dir))
      ec = std::make_error_code(std::errc::not_a_directory);
    if (ec) {
      llvm::errs() << "tessel: cannot create " << dir << ": " << ec.message()
                   << "\n";
      return 1;
    }
  }
  auto start = std::chrono::steady_clock::now();
  llvm::Expected<exec::Measurements> m = exec::measureHost(&llvm::errs());
  if (!m) {
    llvm::errs() << "tessel: " << llvm::toString(m.takeError()) << "\n";
    return 1;
  }
  synth::Target target = exec::targetFromMeasurements(*m);
  std::string text = target.describe();
  // What is written must read back as the same target.
  llvm::Expected<synth::Target> check = synth::Target::parse(text, path);
  if (!check) {
    llvm::errs() << "tessel: the measured description does not read back: "
                 << llvm::toString(check.takeError()) << "\n";
    return 1;
  }
  if (check->fingerprint() != target.fingerprint() ||
      check->streamingStoresFrom != target.streamingStoresFrom) {
    llvm::errs() << "tessel: the measured description does not read back "
                    "as the same target\n";
    return 1;
  }
  // Header line first (the format), then what was measured, then the keys.
  auto [header, keys] = llvm::StringRef(text).split('\n');
  std::string file =
      (header + "\n" + exec::describeMeasurements(*m) + keys).str();
  if (llvm::Error e = llvm::writeToOutput(path, [&](llvm::raw_ostream &os) {
        os << file;
        return llvm::Error::success();
      })) {
    llvm::errs() << "tessel: cannot write " << path << ": "
                 << llvm::toString(std::move(e)) << "\n";
    return 1;
  }
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  llvm::outs() << exec::describeMeasurements(*m) << "tessel: wrote " << path
               << " (" << target.name() << ") in "
               << llvm::format("%.1f", seconds) << " s\n";
  return 0;
}

TESSEL_COMMAND(calibrateCommand, runCalibrate);
