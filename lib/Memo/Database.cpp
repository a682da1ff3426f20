//===- Database.cpp - The persistent synthesis database -------------------===//
//
// Layout and rationale: docs/memo-format.md. All integers little-endian.
//
//===----------------------------------------------------------------------===//
#include "tessel/Memo/Database.h"
#include "tessel/Memo/Fingerprint.h"
#include "tessel/Synthesis/Actions.h"
#include "tessel/Synthesis/Kind.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/xxhash.h"
#include <mutex>
#include <sys/stat.h>
#include <unistd.h>

using namespace tessel::synth;
namespace endian = llvm::support::endian;

namespace tessel::memo {

namespace {
constexpr char kMagic[8] = {'T', 'E', 'S', 'S', 'E', 'L', 'D', 'B'};
constexpr size_t kHeaderBytes = 48;
constexpr size_t kBlockHeaderBytes = 24;
/// Bytes Writer::layout, answer and spec write (derived from the engine's
/// sizes, so that a wider Spec cannot leave a stale constant behind).
constexpr size_t kLayoutBytes = 1 + kMaxPhys + 2 * kMaxPhys;
constexpr size_t kAnswerBytes =
    8 + kLayoutBytes + 4 * kMaxRank + 8 + 4 * kNumLevels + 4;
constexpr size_t kSpecBytes = 4 + kMaxParams +
                              kMaxOperands * (4 * kMaxRank + kLayoutBytes + 8) +
                              4 * kNumLevels;
static_assert(kAnswerBytes == 72 && kSpecBytes == 272,
              "the file format changed: bump kFormatVersion and update "
              "docs/memo-format.md");
enum BlockType : uint32_t { kInfo = 1, kTable = 2, kSide = 3, kTuned = 4 };

const char *kRecover =
    "the memo is only a cache: delete the file to start afresh (or pass the "
    "option that replaces a damaged database), or restore a copy; "
    "'tessel db verify FILE' lists the damaged blocks";

//===--------------------------------------------------------------------===//
// Encoding
//===--------------------------------------------------------------------===//

struct Writer {
  std::string out;
  void u8(uint8_t v) { out.push_back(char(v)); }
  void u16(uint16_t v) {
    char b[2];
    endian::write16le(b, v);
    out.append(b, 2);
  }
  void u32(uint32_t v) {
    char b[4];
    endian::write32le(b, v);
    out.append(b, 4);
  }
  void u64(uint64_t v) {
    char b[8];
    endian::write64le(b, v);
    out.append(b, 8);
  }
  void str(llvm::StringRef s) {
    u32(s.size());
    out.append(s.begin(), s.end());
  }
  void layout(const Layout &l) {
    u8(l.size());
    for (unsigned i = 0; i < kMaxPhys; ++i)
      u8(i < l.size() ? l.dim(i) : 0);
    for (unsigned i = 0; i < kMaxPhys; ++i)
      u16(i < l.size() ? l.block(i) : 0);
  }
  void answer(const MemoEntry &e) {
    const Action &a = e.action;
    for (uint8_t b : {uint8_t(a.kind), uint8_t(a.kernel), uint8_t(a.parallel),
                      uint8_t(a.moveKind), a.operand, uint8_t(a.dstLevel),
                      uint8_t(a.dstDtype), a.reduction})
      u8(b);
    layout(a.dstLayout);
    for (uint32_t s : a.size)
      u32(s);
    u64(e.cost.main);
    for (uint32_t p : e.cost.peak)
      u32(p);
    u32(e.cost.depth);
  }
  void spec(const Spec &s) {
    for (uint8_t b :
         {uint8_t(s.kind), uint8_t(s.accum), uint8_t(s.serial), s.reserved})
      u8(b);
    for (uint8_t b : s.params)
      u8(b);
    for (const TensorSpec &t : s.operands) {
      for (uint32_t d : t.shape)
        u32(d);
      layout(t.layout);
      for (uint8_t b : {t.rank, uint8_t(t.dtype), uint8_t(t.level), t.contig,
                        t.vectorLanes, t.strideLog2, t.prefetched, t.reserved})
        u8(b);
    }
    for (uint32_t u : s.limits.units)
      u32(u);
  }
};

/// A bounds-checked cursor: every read fails cleanly past the end, and
/// values are range-checked so that nothing read can index out of bounds.
struct Reader {
  const uint8_t *p, *end;
  bool ok = true;
  size_t left() const { return ok ? size_t(end - p) : 0; }
  bool need(size_t n) {
    if (!ok || size_t(end - p) < n)
      ok = false;
    return ok;
  }
  uint8_t u8() { return need(1) ? *p++ : 0; }
  uint16_t u16() {
    if (!need(2))
      return 0;
    uint16_t v = endian::read16le(p);
    p += 2;
    return v;
  }
  uint32_t u32() {
    if (!need(4))
      return 0;
    uint32_t v = endian::read32le(p);
    p += 4;
    return v;
  }
  uint64_t u64() {
    if (!need(8))
      return 0;
    uint64_t v = endian::read64le(p);
    p += 8;
    return v;
  }
  std::string str() {
    uint32_t n = u32();
    if (!need(n))
      return "";
    std::string s(reinterpret_cast<const char *>(p), n);
    p += n;
    return s;
  }
  template <typename E> E enumBelow(unsigned limit) {
    uint8_t v = u8();
    if (v >= limit)
      ok = false;
    return E(v);
  }
  Layout layout(unsigned maxDim) {
    uint8_t n = u8();
    uint8_t dims[kMaxPhys];
    uint16_t blocks[kMaxPhys];
    for (unsigned i = 0; i < kMaxPhys; ++i)
      dims[i] = u8();
    for (unsigned i = 0; i < kMaxPhys; ++i)
      blocks[i] = u16();
    if (n > kMaxPhys) {
      ok = false;
      return Layout();
    }
    for (unsigned i = 0; i < kMaxPhys; ++i)
      if (i < n ? dims[i] >= maxDim : (dims[i] || blocks[i]))
        ok = false;
    std::optional<Layout> l = Layout::fromEntries({dims, n}, {blocks, n});
    return l ? *l : Layout();
  }
  MemoEntry answer() {
    MemoEntry e;
    Action &a = e.action;
    a.kind = enumBelow<ActionKind>(uint8_t(ActionKind::Split) + 1);
    a.kernel = enumBelow<KernelId>(kNumKernels);
    a.parallel = enumBelow<uint8_t>(2);
    a.moveKind = enumBelow<MoveKind>(uint8_t(MoveKind::Copy) + 1);
    a.operand = enumBelow<uint8_t>(kMaxOperands);
    a.dstLevel = enumBelow<MemoryLevel>(kNumLevels);
    a.dstDtype = enumBelow<Dtype>(kNumDtypes);
    a.reduction = enumBelow<uint8_t>(kMaxLoops);
    a.dstLayout = layout(kMaxRank);
    for (uint32_t &s : a.size)
      s = u32();
    e.cost.main = u64();
    for (uint32_t &pk : e.cost.peak)
      pk = u32();
    e.cost.depth = u32();
    return e;
  }
  Spec spec() {
    Spec s;
    s.kind = enumBelow<SpecKind>(kNumKinds);
    s.accum = enumBelow<uint8_t>(2);
    s.serial = enumBelow<uint8_t>(2);
    s.reserved = enumBelow<uint8_t>(1);
    for (uint8_t &b : s.params)
      b = u8();
    for (TensorSpec &t : s.operands) {
      for (uint32_t &d : t.shape)
        d = u32();
      t.layout = layout(kMaxRank);
      t.rank = enumBelow<uint8_t>(kMaxRank + 1);
      t.dtype = enumBelow<Dtype>(kNumDtypes);
      t.level = enumBelow<MemoryLevel>(kNumLevels);
      t.contig = u8();
      t.vectorLanes = u8();
      t.strideLog2 = u8();
      t.prefetched = enumBelow<uint8_t>(2);
      t.reserved = u8();
    }
    for (uint32_t &u : s.limits.units)
      u = u32();
    return s;
  }
};

void block(Writer &file, uint32_t type, const std::string &payload) {
  file.u32(type);
  file.u32(0);
  file.u64(payload.size());
  file.u64(llvm::xxh3_64bits(payload));
  file.out += payload;
}

std::string encodeTable(const TableKey &key, const BoxTable &t) {
  // Answers once each (boxes refer to them by index), then the boxes.
  std::vector<const MemoEntry *> answers;
  llvm::DenseMap<const MemoEntry *, uint32_t> index;
  t.forEach([&](llvm::ArrayRef<uint32_t>, llvm::ArrayRef<uint32_t>,
                const MemoEntry &e, uint32_t) {
    if (index.try_emplace(&e, answers.size()).second)
      answers.push_back(&e);
  });
  Writer w;
  w.out.append(reinterpret_cast<const char *>(key.bytes.data()), kKeyBytes);
  w.u32(t.dims());
  w.u32(answers.size());
  w.u32(t.numBoxes());
  for (const MemoEntry *e : answers)
    w.answer(*e);
  t.forEach([&](llvm::ArrayRef<uint32_t> lo, llvm::ArrayRef<uint32_t> hi,
                const MemoEntry &e, uint32_t solves) {
    for (uint32_t c : lo)
      w.u32(c);
    for (uint32_t c : hi)
      w.u32(c);
    w.u32(index[&e]);
    w.u32(solves);
  });
  return w.out;
}

std::string fileError(llvm::StringRef path, const llvm::Twine &what) {
  return (path + ": " + what).str();
}

/// Decodes one table block into `memo`; returns a description of the damage
/// or "" (on damage nothing of the block is kept).
std::string decodeTable(llvm::ArrayRef<uint8_t> payload, CompressedMemo &memo,
                        size_t &boxesOut) {
  Reader r{payload.data(), payload.data() + payload.size()};
  TableKey key;
  if (!r.need(kKeyBytes))
    return "table block shorter than its key";
  std::copy(r.p, r.p + kKeyBytes, key.bytes.begin());
  r.p += kKeyBytes;
  unsigned dims = key.dims();
  if (!dims)
    return "malformed table key";
  uint32_t storedDims = r.u32(), numAnswers = r.u32(), numBoxes = r.u32();
  if (!r.ok || storedDims != dims)
    return "table dimension count does not match its key";
  uint64_t boxBytes = uint64_t(2 * dims + 2) * 4;
  if (uint64_t(numAnswers) * kAnswerBytes + uint64_t(numBoxes) * boxBytes !=
      r.left())
    return "table block size does not match its counts";
  std::vector<MemoEntry> answers(numAnswers);
  for (MemoEntry &e : answers)
    e = r.answer();
  if (!r.ok)
    return "an answer has out-of-range fields";
  struct RawBox {
    Point lo, hi;
    uint32_t answer, solves;
  };
  std::vector<RawBox> boxes(numBoxes);
  for (RawBox &b : boxes) {
    for (unsigned d = 0; d < dims; ++d)
      b.lo.push_back(r.u32());
    for (unsigned d = 0; d < dims; ++d)
      b.hi.push_back(r.u32());
    b.answer = r.u32();
    b.solves = r.u32();
    if (b.answer >= numAnswers)
      return "a box refers to a missing answer";
    for (unsigned d = 0; d < dims; ++d)
      if (b.lo[d] > b.hi[d])
        return "a box has its lower corner above its upper corner";
    // Both corners must describe specs (codes in range).
    if (!decode(key, b.lo) || !decode(key, b.hi))
      return "a box corner describes no spec";
  }
  // Written merged: added as they are, which keeps loading fast.
  for (const RawBox &b : boxes)
    memo.appendBox(key, b.lo, b.hi, answers[b.answer], b.solves);
  boxesOut += numBoxes;
  return "";
}

std::string decodeSide(llvm::ArrayRef<uint8_t> payload, CompressedMemo &memo,
                       size_t &entries) {
  Reader r{payload.data(), payload.data() + payload.size()};
  uint32_t n = r.u32();
  if (!r.ok || uint64_t(n) * (kSpecBytes + kAnswerBytes) != r.left())
    return "side block size does not match its count";
  std::vector<std::pair<Spec, MemoEntry>> all;
  for (uint32_t i = 0; i < n; ++i) {
    Spec s = r.spec();
    MemoEntry e = r.answer();
    all.push_back({s, e});
  }
  if (!r.ok)
    return "a side entry has out-of-range fields";
  for (auto &[s, e] : all)
    memo.insertSide(s, e);
  entries += n;
  return "";
}

/// Tuned choices: a count, then (root spec, pinned spec, pinned action as
/// an answer with no cost).
std::string decodeTuned(llvm::ArrayRef<uint8_t> payload, CompressedMemo &memo,
                        size_t &entries) {
  Reader r{payload.data(), payload.data() + payload.size()};
  uint32_t n = r.u32();
  if (!r.ok || uint64_t(n) * (2 * kSpecBytes + kAnswerBytes) != r.left())
    return "tuned block size does not match its count";
  std::vector<std::pair<Spec, Pin>> all;
  for (uint32_t i = 0; i < n; ++i) {
    Spec root = r.spec();
    Spec pinned = r.spec();
    MemoEntry e = r.answer();
    all.push_back({root, Pin{pinned, e.action}});
  }
  if (!r.ok)
    return "a tuned choice has out-of-range fields";
  for (auto &[root, pin] : all)
    memo.setTuned(root, pin);
  entries += n;
  return "";
}
} // namespace

FileHeader headerFor(const Target &target) {
  FileHeader h;
  h.engineFingerprint = engineFingerprint(target);
  h.targetFingerprint = target.fingerprint();
  h.targetName = target.name();
  h.targetDescription = target.describe();
  h.producer = "tessel engine revision " + std::to_string(kEngineRevision);
  return h;
}

std::string mismatchReason(const FileHeader &found,
                           const FileHeader &expected) {
  if (found.engineFingerprint == expected.engineFingerprint)
    return "";
  std::string s;
  llvm::raw_string_ostream os(s);
  if (found.targetFingerprint != expected.targetFingerprint)
    os << "it was made for target " << found.targetName << " but this run "
       << "targets " << expected.targetName;
  else
    os << "it was made for the same target (" << found.targetName
       << ") by a different cost model or action space (" << found.producer
       << "; this is " << expected.producer << ")";
  os << " (engine fingerprint " << llvm::format_hex(found.engineFingerprint, 18)
     << ", expected " << llvm::format_hex(expected.engineFingerprint, 18)
     << ")";
  return s;
}

/// Fails unless `path` is a regular file (through links): reading a FIFO
/// would block and a device would never end.
static llvm::Error checkRegularFile(llvm::StringRef path) {
  llvm::sys::fs::file_status st;
  if (std::error_code ec = llvm::sys::fs::status(path, st))
    return llvm::createStringError(
        ec, fileError(path, ec == std::errc::too_many_symbolic_link_levels
                                ? "a loop of symbolic links"
                                : ec.message()));
  using llvm::sys::fs::file_type;
  file_type type = st.type();
  if (type == file_type::regular_file)
    return llvm::Error::success();
  llvm::StringRef what = type == file_type::directory_file   ? "a directory"
                         : type == file_type::fifo_file      ? "a FIFO"
                         : type == file_type::socket_file    ? "a socket"
                         : type == file_type::character_file ? "a device"
                         : type == file_type::block_file     ? "a device"
                                                             : "not a file";
  return llvm::createStringError(
      std::make_error_code(std::errc::invalid_argument),
      fileError(path, "is " + what +
                          ", not a regular file; a memo "
                          "database is a regular file"));
}

llvm::Expected<std::string> resolveDatabasePath(llvm::StringRef path) {
  namespace fs = llvm::sys::fs;
  auto fail = [&](std::errc code, const llvm::Twine &what) {
    return llvm::createStringError(std::make_error_code(code),
                                   fileError(path, what));
  };
  llvm::SmallString<256> real;
  fs::file_status linkStatus;
  bool exists = !fs::status(path, linkStatus, /*follow=*/false);
  if (exists && fs::is_symlink_file(linkStatus) && !fs::exists(path)) {
    // A dangling link, or a loop of them.
    fs::file_status st;
    std::error_code ec = fs::status(path, st);
    return fail(std::errc::invalid_argument,
                ec == std::errc::too_many_symbolic_link_levels
                    ? "a loop of symbolic links"
                    : "a symbolic link to a missing file; create the file "
                      "or point the link at an existing one");
  }
  if (exists) {
    if (llvm::Error e = checkRegularFile(path))
      return std::move(e);
    if (std::error_code ec = fs::real_path(path, real))
      return fail(std::errc::invalid_argument, ec.message());
    // The owner's write bit too: root may write anything, yet a file made
    // read-only says it must not change.
    fs::file_status st;
    if (fs::access(real, fs::AccessMode::Write) || fs::status(real, st) ||
        !(st.permissions() & fs::owner_write))
      return fail(std::errc::permission_denied,
                  "the database is read-only; Tessel saves what it learns "
                  "into the database it uses: make the file writable or use "
                  "a copy");
  } else {
    real = path;
    if (std::error_code ec = fs::make_absolute(real))
      return fail(std::errc::invalid_argument, ec.message());
  }
  llvm::SmallString<256> folder = llvm::sys::path::parent_path(real);
  if (!fs::is_directory(folder))
    return fail(std::errc::no_such_file_or_directory,
                "its folder " + folder +
                    " does not exist (or is not a "
                    "folder)");
  if (fs::access(folder, fs::AccessMode::Write))
    return fail(std::errc::permission_denied,
                "its folder " + folder +
                    " is not writable, and Tessel saves a database by "
                    "writing a new file beside it and renaming it");
  return real.str().str();
}

/// Removes the temporary files that saves killed midway left beside `path`
/// (`FILE.tmp-XXXXXXXX`). Only safe under the lock: every live save holds
/// it while its temporary file exists.
static void removeStaleTemporaries(llvm::StringRef path) {
  llvm::StringRef folder = llvm::sys::path::parent_path(path);
  std::string prefix = (llvm::sys::path::filename(path) + ".tmp-").str();
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(folder.empty() ? "." : folder, ec),
       end;
       it != end && !ec; it.increment(ec)) {
    llvm::StringRef name = llvm::sys::path::filename(it->path());
    if (name.size() == prefix.size() + 8 && name.starts_with(prefix) &&
        llvm::all_of(name.drop_front(prefix.size()),
                     [](char c) { return llvm::isAlnum(c); }))
      llvm::sys::fs::remove(it->path());
  }
}

llvm::Error withDatabaseLock(llvm::StringRef path,
                             llvm::function_ref<llvm::Error()> fn) {
  // File locks are per process (POSIX record locks, released by closing
  // any descriptor of the file): threads of one process take turns here.
  static std::mutex threadsOfThisProcess;
  std::lock_guard<std::mutex> turn(threadsOfThisProcess);
  // Lock a companion file: the database itself is replaced by rename, so a
  // lock on it would be a lock on a file that no longer has the name.
  std::string lockPath = (path + ".lock").str();
  int lockFd;
  if (std::error_code ec = llvm::sys::fs::openFileForReadWrite(
          lockPath, lockFd, llvm::sys::fs::CD_OpenAlways,
          llvm::sys::fs::OF_None))
    return llvm::createStringError(
        ec, fileError(lockPath, "cannot open the lock file: " + ec.message()));
  auto closeLock = llvm::scope_exit([&] { ::close(lockFd); });
  if (std::error_code ec = llvm::sys::fs::lockFile(lockFd))
    return llvm::createStringError(
        ec, fileError(lockPath, "cannot lock: " + ec.message()));
  auto unlock = llvm::scope_exit([&] { llvm::sys::fs::unlockFile(lockFd); });
  removeStaleTemporaries(path);
  return fn();
}

llvm::Expected<LoadedFile> readDatabaseFile(llvm::StringRef path,
                                            llvm::raw_ostream *report) {
  if (llvm::Error e = checkRegularFile(path))
    return std::move(e);
  auto fail = [&](const llvm::Twine &what) {
    return llvm::createStringError(
        std::make_error_code(std::errc::invalid_argument),
        fileError(path, what + "; " + kRecover));
  };
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buf =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (!buf)
    return llvm::createStringError(buf.getError(),
                                   fileError(path, buf.getError().message()));
  llvm::ArrayRef<uint8_t> data(
      reinterpret_cast<const uint8_t *>((*buf)->getBufferStart()),
      (*buf)->getBufferSize());
  LoadedFile out;
  out.bytes = data.size();
  out.memo = std::make_unique<CompressedMemo>();
  if (data.size() < kHeaderBytes)
    return fail("not a Tessel memo database (" + llvm::Twine(data.size()) +
                " bytes, shorter than the header)");
  if (!std::equal(kMagic, kMagic + 8, data.begin()))
    return fail("not a Tessel memo database (bad magic bytes)");
  Reader h{data.data() + 8, data.data() + kHeaderBytes};
  out.header.version = h.u32();
  uint32_t numBlocks = h.u32();
  out.header.engineFingerprint = h.u64();
  out.header.targetFingerprint = h.u64();
  uint64_t bodyBytes = h.u64();
  uint64_t headerHash = h.u64();
  if (headerHash != llvm::xxh3_64bits(data.take_front(40)))
    return fail("the header is damaged (checksum mismatch)");
  // Version 3 is version 4 without the target description and tuned
  // choices: still read.
  if (out.header.version != kFormatVersion && out.header.version != 3)
    return fail("format version " + llvm::Twine(out.header.version) +
                " is not supported (this Tessel reads version " +
                llvm::Twine(kFormatVersion) + ")");
  if (bodyBytes != data.size() - kHeaderBytes)
    return fail("the file is truncated or has trailing bytes (" +
                llvm::Twine(data.size()) + " bytes, the header says " +
                llvm::Twine(bodyBytes + kHeaderBytes) + ")");
  if (report)
    *report << path << ": format " << out.header.version << ", " << numBlocks
            << " blocks, " << data.size() << " bytes, engine fingerprint "
            << llvm::format_hex(out.header.engineFingerprint, 18) << "\n";

  size_t at = kHeaderBytes, damaged = 0, boxes = 0, sideEntries = 0,
         tunedEntries = 0;
  for (uint32_t i = 0; i < numBlocks; ++i) {
    if (data.size() - at < kBlockHeaderBytes)
      return fail("block " + llvm::Twine(i) + " at offset " + llvm::Twine(at) +
                  " runs past the end of the file");
    Reader b{data.data() + at, data.data() + at + kBlockHeaderBytes};
    uint32_t type = b.u32(), reserved = b.u32();
    uint64_t size = b.u64(), hash = b.u64();
    size_t start = at + kBlockHeaderBytes;
    if (size > data.size() - start)
      return fail("block " + llvm::Twine(i) + " at offset " + llvm::Twine(at) +
                  " runs past the end of the file");
    llvm::ArrayRef<uint8_t> payload = data.slice(start, size);
    std::string problem;
    if (reserved != 0 ||
        (type != kInfo && type != kTable && type != kSide && type != kTuned))
      problem = "unknown block type";
    else if (llvm::xxh3_64bits(payload) != hash)
      problem = "checksum mismatch";
    else if (type == kInfo) {
      Reader r{payload.data(), payload.data() + payload.size()};
      out.header.targetName = r.str();
      out.header.producer = r.str();
      if (r.ok && r.left())
        out.header.targetDescription = r.str();
      if (!r.ok || r.left())
        problem = "malformed info block";
    } else if (type == kTable) {
      problem = decodeTable(payload, *out.memo, boxes);
    } else if (type == kSide) {
      problem = decodeSide(payload, *out.memo, sideEntries);
    } else {
      problem = decodeTuned(payload, *out.memo, tunedEntries);
    }
    if (report && !problem.empty())
      *report << "  block " << i << " at offset " << at << ": "
              << (type == kInfo    ? "info"
                  : type == kTable ? "table"
                  : type == kSide  ? "side table"
                  : type == kTuned ? "tuned choices"
                                   : "unknown")
              << ", " << size << " bytes: " << problem << "\n";
    if (!problem.empty()) {
      if (!report)
        return fail("block " + llvm::Twine(i) + " at offset " +
                    llvm::Twine(at) + ": " + problem);
      ++damaged;
    }
    at = start + size;
  }
  if (at != data.size())
    return fail("trailing bytes after the last block");
  if (damaged)
    return fail(llvm::Twine(damaged) + " damaged block(s)");
  if (report)
    *report << path << ": ok: " << numBlocks << " blocks, " << boxes
            << " boxes, " << sideEntries << " side entries, " << tunedEntries
            << " tuned choices\n";
  return std::move(out);
}

size_t verifyAnswers(const LoadedFile &file, const Target &target,
                     llvm::raw_ostream *report) {
  size_t bad = 0;
  // Whether `e` fits `spec`; describes it if not.
  auto fits = [&](const Spec &spec, const MemoEntry &e) {
    if (!e.satisfiable())
      return true; // only a search can tell
    std::optional<Decomposition> d = applyAction(spec, e.action, target);
    bool ok = d.has_value();
    for (unsigned l = 0; ok && l < kNumLevels; ++l)
      ok = e.cost.peak[l] <= spec.limits.units[l];
    if (!ok && report && bad < 20)
      *report << "  answer '" << e.action.str(spec) << "' "
              << (d ? "exceeds the limits of" : "does not apply to") << " "
              << spec.str() << "\n";
    return ok;
  };
  file.memo->forEachTable([&](const TableKey &key, const BoxTable &t) {
    t.forEach([&](llvm::ArrayRef<uint32_t> lo, llvm::ArrayRef<uint32_t> hi,
                  const MemoEntry &e, uint32_t) {
      std::optional<Spec> low = decode(key, lo), high = decode(key, hi);
      if (!(low && fits(*low, e)) || !(high && fits(*high, e)))
        ++bad;
    });
  });
  file.memo->forEachSide([&](const Spec &spec, const MemoEntry &e) {
    if (!fits(spec, e))
      ++bad;
  });
  if (report && bad > 20)
    *report << "  ... and " << bad - 20 << " more\n";
  return bad;
}

llvm::Error writeDatabaseFile(llvm::StringRef path, const FileHeader &header,
                              const CompressedMemo &memo) {
  Writer body;
  uint32_t numBlocks = 0;
  {
    Writer info;
    info.str(header.targetName);
    info.str(header.producer);
    info.str(header.targetDescription);
    block(body, kInfo, info.out);
    ++numBlocks;
  }
  memo.forEachTable([&](const TableKey &key, const BoxTable &t) {
    if (!t.numBoxes())
      return;
    block(body, kTable, encodeTable(key, t));
    ++numBlocks;
  });
  Writer side;
  uint32_t numSide = 0;
  memo.forEachSide([&](const Spec &s, const MemoEntry &e) {
    side.spec(s);
    side.answer(e);
    ++numSide;
  });
  if (numSide) {
    Writer w;
    w.u32(numSide);
    block(body, kSide, w.out + side.out);
    ++numBlocks;
  }
  Writer tuned;
  uint32_t numTuned = 0;
  memo.forEachTuned([&](const Spec &root, const Pin &pin) {
    tuned.spec(root);
    tuned.spec(pin.spec);
    tuned.answer(MemoEntry{pin.action, Cost{}});
    ++numTuned;
  });
  if (numTuned) {
    Writer w;
    w.u32(numTuned);
    block(body, kTuned, w.out + tuned.out);
    ++numBlocks;
  }
  Writer file;
  file.out.append(kMagic, 8);
  file.u32(kFormatVersion);
  file.u32(numBlocks);
  file.u64(header.engineFingerprint);
  file.u64(header.targetFingerprint);
  file.u64(body.out.size());
  file.u64(llvm::xxh3_64bits(file.out));
  file.out += body.out;

  // Temporary file next to the target (same file system, so rename is
  // atomic), flushed to disk before it replaces the old file.
  llvm::SmallString<256> model(path);
  model += ".tmp-%%%%%%%%";
  int fd;
  llvm::SmallString<256> tmp;
  if (std::error_code ec = llvm::sys::fs::createUniqueFile(model, fd, tmp))
    return llvm::createStringError(
        ec, fileError(path, "cannot create a temporary file: " + ec.message()));
  auto removeTmp = llvm::scope_exit([&] { llvm::sys::fs::remove(tmp); });
  // The replacement keeps the permissions and owner the user gave the file.
  struct stat old;
  if (::stat(std::string(path).c_str(), &old) == 0) {
    if (::fchmod(fd, old.st_mode & 07777) != 0 ||
        ((old.st_uid != ::geteuid() || old.st_gid != ::getegid()) &&
         ::fchown(fd, old.st_uid, old.st_gid) != 0)) {
      std::error_code ec(errno, std::generic_category());
      ::close(fd);
      return llvm::createStringError(
          ec, fileError(path, "cannot give the new copy the file's mode and "
                              "owner (" +
                                  ec.message() +
                                  "); not replacing a file owned by another "
                                  "user"));
    }
  }
  {
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/false);
    os << file.out;
    os.flush();
    if (os.has_error() || ::fsync(fd) != 0) {
      ::close(fd);
      std::error_code ec =
          os.has_error() ? os.error()
                         : std::error_code(errno, std::generic_category());
      os.clear_error();
      return llvm::createStringError(
          ec, fileError(path, "cannot write " + tmp + ": " + ec.message()));
    }
  }
  ::close(fd);
  if (std::error_code ec = llvm::sys::fs::rename(tmp, path))
    return llvm::createStringError(
        ec,
        fileError(path, "cannot replace it with " + tmp + ": " + ec.message()));
  removeTmp.release();
  return llvm::Error::success();
}

//===----------------------------------------------------------------------===//
// Database
//===----------------------------------------------------------------------===//

llvm::Expected<std::unique_ptr<Database>>
Database::open(llvm::StringRef path, const Target &target,
               DatabaseOptions options) {
  llvm::Expected<std::string> real = resolveDatabasePath(path);
  if (!real)
    return real.takeError();
  std::unique_ptr<Database> db(new Database());
  db->filePath = std::move(*real);
  path = db->filePath;
  db->header = headerFor(target);
  db->options = options;
  db->table = std::make_unique<CompressedMemo>();
  if (!llvm::sys::fs::exists(path))
    return std::move(db);
  llvm::Expected<LoadedFile> f = readDatabaseFile(path);
  if (!f) {
    if (!options.replaceDamaged)
      return f.takeError();
    db->warningList.push_back(llvm::toString(f.takeError()) +
                              "; starting empty, saving will replace it");
    db->savedChanges = UINT64_MAX; // the next save must replace the file
    return std::move(db);
  }
  std::string why = mismatchReason(f->header, db->header);
  if (!why.empty()) {
    std::string msg = fileError(path, "this database cannot be used: " + why);
    if (!options.ignoreMismatch)
      return llvm::createStringError(
          std::make_error_code(std::errc::invalid_argument),
          msg + "; use a database made for this target and Tessel build, "
                "delete the file, or ignore it (it is then replaced on "
                "save)");
    db->warningList.push_back(msg + "; ignoring it: starting empty, saving "
                                    "will replace it");
    db->savedChanges = UINT64_MAX; // the next save must replace the file
    return std::move(db);
  }
  db->table = std::move(f->memo);
  db->savedChanges = db->table->changes();
  return std::move(db);
}

void Database::discard() {
  table = std::make_unique<CompressedMemo>();
  replaceOnSave = true;
  savedChanges = UINT64_MAX; // the next save must replace the file
}

Synthesis synthesizeFrom(const Spec &spec, const Target &target,
                         const SearchOptions &options, Database *db,
                         Memo &memo) {
  Synthesis out;
  {
    Search search(target, db ? db->memo() : memo, options);
    out.programs = search.synthesize(spec);
    // The program `tessel tune` measured fastest, if it kept one (a pin
    // that no longer applies leaves the model's best).
    if (db && !out.programs.empty())
      if (std::optional<Pin> pin = db->compressed().tuned(spec.canonical()))
        if (std::optional<Impl> tuned = search.synthesizePinned(spec, *pin))
          out.programs.front() = std::move(*tuned);
    out.stats = search.stats();
  }
  if (out.stats.budgetExceeded)
    out.warnings.push_back(budgetWarning(options));
  if (!out.programs.empty() || !db)
    return out;
  // No program: the spec has none, or the database answered wrongly.
  HashMemo fresh;
  Search check(target, fresh, options);
  std::vector<Impl> programs = check.synthesize(spec);
  if (programs.empty())
    return out;
  std::string why = db->path().str() +
                    ": the database's answers for this spec do not rebuild "
                    "into a program (an edited or corrupted database; 'tessel "
                    "db verify' lists them)";
  if (!db->ignoresMismatch()) {
    out.error = why + "; delete it, or pass the option that ignores a "
                      "mismatched database to replace it";
    return out;
  }
  out.warnings.push_back(why + "; starting empty, saving will replace it");
  db->discard();
  fresh.forEach(
      [&](const Spec &s, const MemoEntry &e) { db->memo().insert(s, e); });
  out.programs = std::move(programs);
  out.stats = check.stats();
  return out;
}

llvm::Error Database::save() {
  // Nothing learnt since open (or the last save): the file already holds
  // everything this process knows, so leave it alone.
  if (table->changes() == savedChanges && llvm::sys::fs::exists(filePath))
    return llvm::Error::success();
  return withDatabaseLock(filePath, [&] { return mergeAndWrite(); });
}

llvm::Error Database::mergeAndWrite() {
  // Merge what others saved since we opened (or last saved), unless this
  // process found the file's answers wrong.
  if (llvm::sys::fs::exists(filePath) && !replaceOnSave) {
    llvm::Expected<LoadedFile> disk = readDatabaseFile(filePath);
    if (!disk) {
      if (!options.replaceDamaged)
        return disk.takeError();
      llvm::consumeError(disk.takeError());
    } else if (std::string why = mismatchReason(disk->header, header);
               !why.empty()) {
      if (!options.ignoreMismatch)
        return llvm::createStringError(
            std::make_error_code(std::errc::invalid_argument),
            fileError(filePath, "not saving over it: " + why));
    } else {
      table->mergeFrom(*disk->memo);
    }
  }
  if (llvm::Error e = writeDatabaseFile(filePath, header, *table))
    return e;
  replaceOnSave = false;
  savedChanges = table->changes();
  return llvm::Error::success();
}

} // namespace tessel::memo
