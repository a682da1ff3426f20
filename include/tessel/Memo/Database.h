//===- Database.h - The persistent synthesis database -----------*- C++ -*-===//
//
// A file holding a CompressedMemo (format: docs/memo-format.md), safe to
// share between processes and compilations. For a pass or tool:
//
//   auto db = tessel::memo::Database::open(path, target);
//   if (!db) { report llvm::toString(db.takeError()); fail; }
//   tessel::synth::Search search(target, (*db)->memo(), options);
//   ... search.synthesize(spec) ...
//   if (llvm::Error e = (*db)->save()) { report it; }
//
// open(): a missing file is an empty database. A file made for another
// target, cost model or action space is refused (DatabaseOptions lets the
// caller start empty with a warning instead); a truncated or damaged file
// is refused with a message naming the file, the problem and how to recover.
// save(): takes an advisory lock, merges in whatever other processes saved
// since (so no entry is lost), writes a temporary file and renames it over
// the database (readers see the old or the new file, never half of one).
// Call save() when no search is using memo().
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_MEMO_DATABASE_H
#define TESSEL_MEMO_DATABASE_H

#include "tessel/Memo/CompressedMemo.h"
#include "tessel/Synthesis/Search.h"
#include "tessel/Synthesis/Target.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"
#include <memory>
#include <string>
#include <vector>

namespace tessel::memo {

/// On-disk format version (docs/memo-format.md).
constexpr uint32_t kFormatVersion = 4;

struct DatabaseOptions {
  /// A file made for another target or cost model: warn and start empty
  /// (save() then replaces it) instead of failing.
  bool ignoreMismatch = false;
  /// A damaged or truncated file: warn and start empty (save() then replaces
  /// it) instead of failing.
  bool replaceDamaged = false;
};

/// What a database file says about itself.
struct FileHeader {
  uint32_t version = kFormatVersion;
  uint64_t engineFingerprint = 0;
  uint64_t targetFingerprint = 0;
  std::string targetName;
  std::string producer;
  /// The target's description text (Target::describe()), so that a file
  /// made for a calibrated or file target can be checked without it.
  /// Empty in files written before it was recorded.
  std::string targetDescription;
};

class Database {
public:
  static llvm::Expected<std::unique_ptr<Database>>
  open(llvm::StringRef path, const synth::Target &target,
       DatabaseOptions options = {});

  /// The compressed table, thread-safe; pass it to synth::Search.
  synth::Memo &memo() { return *table; }
  CompressedMemo &compressed() { return *table; }
  /// Lock, merge what other processes saved meanwhile, write atomically.
  llvm::Error save();

  llvm::StringRef path() const { return filePath; }
  /// Warnings from open() (an ignored mismatch or damage), for the caller
  /// to show.
  llvm::ArrayRef<std::string> warnings() const { return warningList; }

  /// Whether it was opened to replace a mismatched or damaged file.
  bool ignoresMismatch() const { return options.ignoreMismatch; }
  /// Forgets every answer, in memory and (at the next save) on disk: for a
  /// database whose answers turned out wrong.
  void discard();

private:
  Database() = default;
  llvm::Error mergeAndWrite();
  bool replaceOnSave = false;
  std::string filePath;
  FileHeader header;
  DatabaseOptions options;
  std::unique_ptr<CompressedMemo> table;
  std::vector<std::string> warningList;
  uint64_t savedChanges = 0;
};

/// What synthesizeFrom found: the programs (best first; none when nothing
/// implements the spec), the search's statistics, and warnings (a spent
/// budget, a discarded database) or an error for the caller to show.
struct Synthesis {
  std::vector<synth::Impl> programs;
  synth::SearchStats stats;
  std::vector<std::string> warnings;
  std::string error;
};

/// Synthesizes `spec` with `db`'s memo (or `memo` without a database). When
/// the database's answers do not rebuild into a program but a search
/// without them finds one (an edited or corrupted database), that is an
/// error, or with the ignore-mismatch option a warning: the database is
/// then discarded (replaced on save) and the new answers kept.
Synthesis synthesizeFrom(const synth::Spec &spec, const synth::Target &target,
                         const synth::SearchOptions &options, Database *db,
                         synth::Memo &memo);

/// The header identifying databases made for `target` by this build.
FileHeader headerFor(const synth::Target &target);

struct LoadedFile {
  FileHeader header;
  std::unique_ptr<CompressedMemo> memo;
  uint64_t bytes = 0;
};

/// Reads and checks every block of a database file (any fingerprint). With
/// `report`, describes each block on it and keeps going past damage (for
/// `tessel db verify`); the Error then summarises. Errors name the file, the
/// problem and its byte offset, and say how to recover.
llvm::Expected<LoadedFile>
readDatabaseFile(llvm::StringRef path, llvm::raw_ostream *report = nullptr);

/// Checks every answer of `file` against the specs it answers, for
/// `target` (the one the file was made for): each box's corner specs and
/// each side entry's spec must take the answer's action and fit its peak.
/// Describes each answer that does not on `report` (if given) and returns
/// how many did not.
size_t verifyAnswers(const LoadedFile &file, const synth::Target &target,
                     llvm::raw_ostream *report = nullptr);

/// Writes `memo` to `path` atomically (temporary file in the same directory,
/// flushed, renamed). Holds no lock: Database::save() does that.
llvm::Error writeDatabaseFile(llvm::StringRef path, const FileHeader &header,
                              const CompressedMemo &memo);

/// The real file a database named `path` lives in (links followed), after
/// checking it can be read and replaced: a regular file (or none yet) that
/// is writable, in a folder that exists and is writable. Checked before any
/// work, so a search never runs only to fail at saving.
llvm::Expected<std::string> resolveDatabasePath(llvm::StringRef path);

/// Runs `fn` holding the advisory lock of the database file `path` (the
/// real path), after removing temporary files that killed saves left.
llvm::Error withDatabaseLock(llvm::StringRef path,
                             llvm::function_ref<llvm::Error()> fn);

/// Why a file's header does not match `expected`, or empty if it does.
std::string mismatchReason(const FileHeader &found, const FileHeader &expected);

} // namespace tessel::memo

#endif // TESSEL_MEMO_DATABASE_H
