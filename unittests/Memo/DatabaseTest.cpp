//===- DatabaseTest.cpp - The database file: round trip, refusal, damage --===//
#include "tessel/Memo/Database.h"
#include "tessel/Memo/Fingerprint.h"
#include "tessel/Synthesis/Search.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include <cstring>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace tessel::synth;
using namespace tessel::memo;

namespace {

class DatabaseTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("tessel-db-test", dir));
    path = (dir + "/memo.tdb").str();
  }
  void TearDown() override { llvm::sys::fs::remove_directories(dir); }

  static Spec matmul(uint32_t m, uint32_t k, uint32_t n, const Target &t) {
    return Spec::matmul(TensorSpec::rowMajor({1, m, k}, Dtype::F32),
                        TensorSpec::rowMajor({1, k, n}, Dtype::F32),
                        TensorSpec::rowMajor({1, m, n}, Dtype::F32), false,
                        fullLimits(t));
  }
  /// Synthesizes `s` into the database at `path` and saves it; returns the
  /// program's explanation.
  std::string synthesizeInto(const Spec &s, const Target &t) {
    auto db = Database::open(path, t);
    EXPECT_TRUE(bool(db)) << (db ? "" : llvm::toString(db.takeError()));
    if (!db)
      return "";
    std::vector<Impl> impls = Search(t, (*db)->memo()).synthesize(s);
    EXPECT_EQ(impls.size(), 1u);
    llvm::Error e = (*db)->save();
    EXPECT_FALSE(bool(e)) << llvm::toString(std::move(e));
    return impls.empty() ? "" : impls[0].explanation(t);
  }
  std::string fileBytes() {
    auto buf = llvm::MemoryBuffer::getFile(path);
    return buf ? (*buf)->getBuffer().str() : "";
  }
  void writeBytes(llvm::StringRef bytes) {
    std::error_code ec;
    llvm::raw_fd_ostream os(path, ec);
    ASSERT_FALSE(ec);
    os << bytes;
  }

  llvm::SmallString<128> dir;
  std::string path;
};

TEST_F(DatabaseTest, MissingFileIsAnEmptyDatabase) {
  auto db = Database::open(path, Target::avx512());
  ASSERT_TRUE(bool(db));
  EXPECT_EQ((*db)->memo().size(), 0u);
  EXPECT_FALSE(llvm::sys::fs::exists(path)); // nothing written until save
}

TEST_F(DatabaseTest, ReopenRoundTrip) {
  Target t = Target::avx512();
  Spec s = matmul(16, 32, 48, t);
  std::string cold = synthesizeInto(s, t);
  ASSERT_FALSE(cold.empty());
  // Everything comes back: the same boxes and answers ...
  auto first = readDatabaseFile(path);
  ASSERT_TRUE(bool(first)) << llvm::toString(first.takeError());
  auto db = Database::open(path, t);
  ASSERT_TRUE(bool(db));
  MemoStats a = first->memo->stats(), b = (*db)->compressed().stats();
  EXPECT_GT(a.boxes, 20u);
  EXPECT_EQ(a.boxes, b.boxes);
  EXPECT_EQ(a.solves, b.solves);
  // ... and a warm synthesis needs no search at all and picks the same.
  Search warm(t, (*db)->memo());
  std::vector<Impl> impls = warm.synthesize(s);
  ASSERT_EQ(impls.size(), 1u);
  EXPECT_EQ(impls[0].explanation(t), cold);
  EXPECT_EQ(warm.stats().specsExpanded, 0u);
  // Saving again without new work writes the same bytes.
  std::string before = fileBytes();
  ASSERT_FALSE(bool((*db)->save()));
  EXPECT_EQ(fileBytes(), before);
}

// A tuned choice (tessel tune's measured fastest) survives the file, and
// synthesis with the database builds the pinned program instead of the
// model's best; without the database, the best.
TEST_F(DatabaseTest, TunedChoiceRoundTripsAndIsBuilt) {
  Target t = Target::avx512();
  Spec s = matmul(48, 64, 96, t);
  std::vector<Alternative> alts;
  {
    auto db = Database::open(path, t);
    ASSERT_TRUE(bool(db));
    Search search(t, (*db)->memo());
    alts = search.alternatives(s, 4);
    ASSERT_EQ(alts.size(), 4u);
    EXPECT_FALSE(alts[0].pin);
    for (unsigned i = 1; i < alts.size(); ++i) {
      ASSERT_TRUE(alts[i].pin);
      // Different trees, ordered by cost, none cheaper than the best.
      EXPECT_NE(alts[i].program.explanation(t), alts[0].program.explanation(t));
      EXPECT_LE(Cost::compare(alts[i - 1].program.cost, alts[i].program.cost),
                0);
      // The pinned program is what synthesizePinned rebuilds.
      std::optional<Impl> again = search.synthesizePinned(s, *alts[i].pin);
      ASSERT_TRUE(again);
      EXPECT_EQ(again->explanation(t), alts[i].program.explanation(t));
    }
    (*db)->compressed().setTuned(s.canonical(), *alts[2].pin);
    // A side entry (a spec outside the box mapping) travels too: its block
    // was once sized for three operands and refused every real file.
    (*db)->compressed().insertSide(alts[1].pin->spec,
                                   {alts[1].pin->action, Cost{}});
    ASSERT_FALSE(bool((*db)->save()));
  }
  auto file = readDatabaseFile(path);
  ASSERT_TRUE(bool(file)) << llvm::toString(file.takeError());
  EXPECT_EQ(file->memo->stats().sideEntries, 1u);
  std::optional<Pin> pin = file->memo->tuned(s.canonical());
  ASSERT_TRUE(pin);
  EXPECT_TRUE(pin->spec == alts[2].pin->spec);
  EXPECT_TRUE(pin->action == alts[2].pin->action);

  auto db = Database::open(path, t);
  ASSERT_TRUE(bool(db));
  HashMemo unused;
  Synthesis tuned = synthesizeFrom(s, t, {}, db->get(), unused);
  ASSERT_EQ(tuned.programs.size(), 1u);
  EXPECT_EQ(tuned.programs[0].explanation(t), alts[2].program.explanation(t));
  HashMemo fresh;
  Synthesis plain = synthesizeFrom(s, t, {}, nullptr, fresh);
  ASSERT_EQ(plain.programs.size(), 1u);
  EXPECT_EQ(plain.programs[0].explanation(t), alts[0].program.explanation(t));
}

TEST_F(DatabaseTest, AnotherTargetIsRefusedOrIgnored) {
  synthesizeInto(matmul(8, 8, 32, Target::avx512()), Target::avx512());
  Target other = Target::avx2();
  auto db = Database::open(path, other);
  ASSERT_FALSE(bool(db));
  std::string msg = llvm::toString(db.takeError());
  EXPECT_NE(msg.find(path), std::string::npos) << msg;
  EXPECT_NE(msg.find("made for target avx512"), std::string::npos) << msg;
  EXPECT_NE(msg.find("avx2"), std::string::npos) << msg;

  DatabaseOptions ignore;
  ignore.ignoreMismatch = true;
  auto empty = Database::open(path, other, ignore);
  ASSERT_TRUE(bool(empty));
  EXPECT_EQ((*empty)->memo().size(), 0u);
  ASSERT_EQ((*empty)->warnings().size(), 1u);
  // Saving replaces the file with one for the new target.
  ASSERT_FALSE(bool((*empty)->save()));
  auto f = readDatabaseFile(path);
  ASSERT_TRUE(bool(f));
  EXPECT_EQ(f->header.engineFingerprint, engineFingerprint(other));
}

TEST_F(DatabaseTest, AnotherCostModelIsRefused) {
  Target t = Target::avx512();
  synthesizeInto(matmul(8, 8, 32, t), t);
  // The same target constants, but as if the cost model or action space had
  // changed: the engine fingerprint differs.
  auto f = readDatabaseFile(path);
  ASSERT_TRUE(bool(f));
  FileHeader h = f->header;
  h.engineFingerprint ^= 1;
  h.producer = "tessel engine revision 0";
  ASSERT_FALSE(bool(writeDatabaseFile(path, h, *f->memo)));
  auto db = Database::open(path, t);
  ASSERT_FALSE(bool(db));
  std::string msg = llvm::toString(db.takeError());
  EXPECT_NE(msg.find("different cost model or action space"), std::string::npos)
      << msg;
}

TEST_F(DatabaseTest, FingerprintSeesCostModelChanges) {
  Target t = Target::avx512();
  uint64_t base = engineFingerprint(t);
  EXPECT_EQ(engineFingerprint(Target::avx512()), base); // deterministic
  Target slower = t;
  slower.loopIterCost += 1;
  EXPECT_NE(engineFingerprint(slower), base);
  Target fewerRegs = t;
  fewerRegs.levels[int(MemoryLevel::VRF)].capacity = 16;
  EXPECT_NE(engineFingerprint(fewerRegs), base);
}

/// Opening a damaged copy fails with a message naming the file and saying
/// how to recover; it never crashes or yields an answer.
void expectRefused(const std::string &path, const Target &t,
                   const std::string &what) {
  auto db = Database::open(path, t);
  ASSERT_FALSE(bool(db)) << what;
  std::string msg = llvm::toString(db.takeError());
  EXPECT_NE(msg.find(path), std::string::npos) << what << ": " << msg;
  EXPECT_NE(msg.find("delete the file"), std::string::npos)
      << what << ": " << msg;
}

TEST_F(DatabaseTest, TruncationIsDetectedAtEveryOffset) {
  Target t = Target::avx512();
  synthesizeInto(matmul(8, 16, 32, t), t);
  std::string good = fileBytes();
  ASSERT_GT(good.size(), 1000u);
  size_t step = std::max<size_t>(1, good.size() / 400);
  for (size_t len = 0; len < good.size(); len += (len < 200 ? 1 : step)) {
    writeBytes(llvm::StringRef(good).take_front(len));
    expectRefused(path, t, "truncated to " + std::to_string(len));
  }
}

TEST_F(DatabaseTest, FlippedBytesAreDetectedAtEveryOffset) {
  Target t = Target::avx512();
  synthesizeInto(matmul(8, 16, 32, t), t);
  std::string good = fileBytes();
  size_t step = std::max<size_t>(1, good.size() / 400);
  for (size_t at = 0; at < good.size(); at += (at < 200 ? 1 : step)) {
    std::string bad = good;
    bad[at] ^= 0x5A;
    writeBytes(bad);
    expectRefused(path, t, "byte " + std::to_string(at) + " flipped");
  }
  // The verifier names the damaged block.
  std::string bad = good;
  bad[good.size() - 5] ^= 1;
  writeBytes(bad);
  std::string report;
  llvm::raw_string_ostream os(report);
  auto f = readDatabaseFile(path, &os);
  EXPECT_FALSE(bool(f));
  llvm::consumeError(f.takeError());
  EXPECT_NE(report.find("checksum mismatch"), std::string::npos) << report;
}

TEST_F(DatabaseTest, DamagedFileCanBeReplacedByOption) {
  Target t = Target::avx512();
  writeBytes("TESSELDB but not really");
  DatabaseOptions replace;
  replace.replaceDamaged = true;
  auto db = Database::open(path, t, replace);
  ASSERT_TRUE(bool(db));
  EXPECT_EQ((*db)->warnings().size(), 1u);
  Search(t, (*db)->memo()).synthesize(matmul(4, 4, 16, t));
  ASSERT_FALSE(bool((*db)->save()));
  EXPECT_TRUE(bool(Database::open(path, t)));
}

TEST_F(DatabaseTest, SaveMergesWhatOthersSavedMeanwhile) {
  // Two users open the same database, solve different specs, save in turn:
  // the second save merges the first one's work instead of overwriting it.
  Target t = Target::avx512();
  Spec s1 = matmul(8, 16, 32, t), s2 = matmul(12, 8, 48, t);
  auto a = Database::open(path, t);
  auto b = Database::open(path, t);
  ASSERT_TRUE(a && b);
  std::string e1 = Search(t, (*a)->memo()).synthesize(s1)[0].explanation(t);
  std::string e2 = Search(t, (*b)->memo()).synthesize(s2)[0].explanation(t);
  ASSERT_FALSE(bool((*a)->save()));
  ASSERT_FALSE(bool((*b)->save()));
  auto c = Database::open(path, t);
  ASSERT_TRUE(bool(c));
  Search warm(t, (*c)->memo());
  std::vector<Impl> i1 = warm.synthesize(s1), i2 = warm.synthesize(s2);
  ASSERT_EQ(i1.size(), 1u);
  ASSERT_EQ(i2.size(), 1u);
  EXPECT_EQ(i1[0].explanation(t), e1);
  EXPECT_EQ(i2[0].explanation(t), e2);
  EXPECT_EQ(warm.stats().specsExpanded, 0u);
}

} // namespace

namespace {
// Saving replaces the file by rename; the new file keeps the old one's mode
// and, where the process may give it (root), its owner and group.
TEST_F(DatabaseTest, SavingKeepsModeAndOwner) {
  Target t = Target::avx512();
  synthesizeInto(matmul(8, 8, 8, t), t);
  ASSERT_EQ(::chmod(path.c_str(), 0640), 0);
  bool root = ::geteuid() == 0;
  uid_t owner = root ? 65534 : ::geteuid();
  gid_t group = root ? 65534 : ::getegid();
  ASSERT_EQ(::chown(path.c_str(), owner, group), 0);
  synthesizeInto(matmul(16, 8, 8, t), t);
  struct stat st;
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
  EXPECT_EQ(st.st_uid, owner);
  EXPECT_EQ(st.st_gid, group);
  auto f = readDatabaseFile(path);
  ASSERT_TRUE(bool(f)) << llvm::toString(f.takeError());
  EXPECT_EQ(f->memo->stats().solves > 0, true);
}
} // namespace

namespace {
// A well-formed database whose answer does not fit its spec (an edit with
// recomputed checksums): `db verify` finds it, synthesis names the database
// instead of blaming the spec, and the ignore-mismatch option recovers.
TEST_F(DatabaseTest, AnswersThatDoNotFitTheirSpecAreFound) {
  Target t = Target::avx512();
  Spec s = matmul(16, 16, 16, t).canonical();
  {
    auto db = Database::open(path, t);
    ASSERT_TRUE(bool(db)) << llvm::toString(db.takeError());
    MemoEntry wrong;
    wrong.action = Action::select(KernelId::BroadcastFmaTile); // needs VRF
    wrong.cost.main = 1;
    (*db)->memo().insert(s, wrong);
    ASSERT_FALSE(bool((*db)->save()));
  }
  auto file = readDatabaseFile(path);
  ASSERT_TRUE(bool(file)) << llvm::toString(file.takeError());
  std::string report;
  llvm::raw_string_ostream os(report);
  EXPECT_EQ(verifyAnswers(*file, t, &os), 1u);
  EXPECT_NE(report.find("does not apply to"), std::string::npos) << report;

  SearchOptions options;
  HashMemo unused;
  {
    auto db = Database::open(path, t);
    ASSERT_TRUE(bool(db));
    Synthesis r = synthesizeFrom(s, t, options, db->get(), unused);
    EXPECT_TRUE(r.programs.empty());
    EXPECT_NE(r.error.find("do not rebuild into a program"), std::string::npos)
        << r.error;
  }
  DatabaseOptions ignore;
  ignore.ignoreMismatch = ignore.replaceDamaged = true;
  {
    auto db = Database::open(path, t, ignore);
    ASSERT_TRUE(bool(db));
    Synthesis r = synthesizeFrom(s, t, options, db->get(), unused);
    ASSERT_EQ(r.programs.size(), 1u);
    EXPECT_TRUE(r.error.empty());
    ASSERT_EQ(r.warnings.size(), 1u);
    EXPECT_NE(r.warnings[0].find("starting empty"), std::string::npos);
    ASSERT_FALSE(bool((*db)->save()));
  }
  auto fixed = readDatabaseFile(path);
  ASSERT_TRUE(bool(fixed));
  EXPECT_EQ(verifyAnswers(*fixed, t), 0u);
  auto db = Database::open(path, t);
  ASSERT_TRUE(bool(db));
  EXPECT_EQ(synthesizeFrom(s, t, options, db->get(), unused).programs.size(),
            1u);
}
} // namespace
