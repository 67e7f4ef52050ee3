// RecordTable on both drivers: the shared wording of its errors, the
// idempotent create with its check, and the import by external id.

#include "services/common/sql/record_table.h"

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/sql/columns.h"
#include "tests/testing/test_database.h"

namespace fazhi::sql {
namespace {

using fazhi::testing::Driver;

struct Note {
  RecordMeta meta;
  std::string title;
  std::string code;
  std::string external_id;
};

template <const char* kCollection>
struct NoteCodec {
  static const RecordTableSpec& Spec() {
    static const auto* spec =
        new RecordTableSpec{"notes", "note", {"title", "code", "external_id"}, kCollection};
    return *spec;
  }
  static std::vector<Value> Values(const Note& n) {
    return {Value(n.title), Value(n.code), OptionalText(n.external_id)};
  }
  static Note FromRow(const Row& row, size_t c) {
    return Note{{}, row.Text(c), row.Text(c + 1), row.Text(c + 2)};
  }
};

constexpr char kNotes[] = "notes";
constexpr char kUnnamed[] = "";
using Notes = RecordTable<Note, NoteCodec<kNotes>>;
using UnnamedNotes = RecordTable<Note, NoteCodec<kUnnamed>>;

Note MakeNote(const std::string& id, const std::string& title, const std::string& external_id = "",
              const std::string& code = "") {
  Note n;
  n.meta.org = "a";
  n.meta.id = id;
  n.title = title;
  n.code = code.empty() ? id : code;
  n.external_id = external_id;
  return n;
}

class RecordTableTest : public ::testing::TestWithParam<Driver> {
 protected:
  void SetUp() override {
    FAZHI_SETUP_TEST_DATABASE(GetParam(), test_);
    ASSERT_TRUE(
        db().Transact(
                TxMode::kReadWrite,
                [](Transaction& tx) {
                  return tx.ExecuteScript(
                      "CREATE TABLE notes (org TEXT NOT NULL, id TEXT NOT NULL, "
                      "revision BIGINT NOT NULL, create_time BIGINT NOT NULL, "
                      "update_time BIGINT NOT NULL, title TEXT NOT NULL, code TEXT NOT NULL, "
                      "external_id TEXT, PRIMARY KEY (org, id));"
                      "CREATE UNIQUE INDEX notes_external_id ON notes (org, external_id);"
                      "CREATE TABLE request_ids (org TEXT NOT NULL, request_id TEXT NOT NULL, "
                      "fingerprint TEXT NOT NULL, resource_id TEXT NOT NULL, "
                      "created_at BIGINT NOT NULL, PRIMARY KEY (org, request_id));");
                })
            .ok());
  }

  Database& db() { return test_->db(); }

  std::vector<Note> All() {
    auto all = ReadOne<std::vector<Note>>(
        db(), [](Transaction& tx) { return Notes::Select(tx, "org = $1", {Value("a")}, "id", 0); });
    EXPECT_TRUE(all.ok()) << all.status();
    return all.value_or(std::vector<Note>{});
  }

  std::unique_ptr<fazhi::testing::TestDatabase> test_;
};

TEST_P(RecordTableTest, ErrorsUseTheSharedWording) {
  EXPECT_EQ(Notes::Get(db(), "a", "x").status(), NotFoundError("note", "orgs/a/notes/x"));
  EXPECT_EQ(UnnamedNotes::Get(db(), "a", "x").status(), NotFoundError("note", "orgs/a/…/x"));

  ASSERT_TRUE(Notes::CreateIdempotent(db(), MakeNote("n1", "一", "e1"), {}).ok());
  EXPECT_EQ(Notes::CreateIdempotent(db(), MakeNote("n1", "二"), {}).status(),
            TakenError("the id or external id", "another note in orgs/a"));
  ASSERT_TRUE(Notes::CreateIdempotent(db(), MakeNote("n2", "二"), {}).ok());
  EXPECT_EQ(Notes::Update(db(), MakeNote("n2", "二", "e1"), 1).status(),
            TakenError("the external id", "another note"));

  absl::StatusOr<Note> updated = Notes::Update(db(), MakeNote("n1", "改"), 1);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->meta.revision, 2);
  EXPECT_EQ(updated->title, "改");
  EXPECT_EQ(Notes::Update(db(), MakeNote("n1", "再改"), 1).status(), StaleEtagError("note", 1, 2));
  EXPECT_EQ(Notes::Delete(db(), "a", "n1", 1), StaleEtagError("note", 1, 2));
  EXPECT_EQ(Notes::Update(db(), MakeNote("n9", "无"), 1).status(),
            NotFoundError("note", "orgs/a/notes/n9"));
  EXPECT_TRUE(Notes::Delete(db(), "a", "n1", 2).ok());
  EXPECT_EQ(Notes::Delete(db(), "a", "n1", std::nullopt), NotFoundError("note", "orgs/a/notes/n1"));
}

TEST_P(RecordTableTest, CheckUniqueNamesTheOtherHolder) {
  ASSERT_TRUE(Notes::CreateIdempotent(db(), MakeNote("n1", "一", "", "c1"), {}).ok());
  ASSERT_TRUE(
      db().Transact(TxMode::kReadOnly,
                    [](Transaction& tx) -> absl::Status {
                      const Note other = MakeNote("n2", "二", "", "c1");
                      EXPECT_EQ(Notes::CheckUnique(tx, other, "code", "code", other.code),
                                TakenError("code \"c1\"", "orgs/a/notes/n1"));
                      // A record does not conflict with itself; an empty value with none.
                      const Note self = MakeNote("n1", "一", "", "c1");
                      EXPECT_TRUE(Notes::CheckUnique(tx, self, "code", "code", self.code).ok());
                      EXPECT_TRUE(
                          Notes::CheckUnique(tx, other, "external_id", "external id", "").ok());
                      return absl::OkStatus();
                    })
          .ok());
}

TEST_P(RecordTableTest, IdempotentCreateChecksBeforeInsertingAndAnswersRetries) {
  const IdempotencyKey key{"r-1", "fp"};
  auto refuse = [](Transaction&, const Note& n) {
    return n.title == "坏" ? absl::FailedPreconditionError("bad title") : absl::OkStatus();
  };
  EXPECT_EQ(Notes::CreateIdempotent(db(), MakeNote("n1", "坏"), key, refuse).status(),
            absl::FailedPreconditionError("bad title"));
  EXPECT_TRUE(All().empty());

  absl::StatusOr<Note> first = Notes::CreateIdempotent(db(), MakeNote("n1", "一"), key, refuse);
  ASSERT_TRUE(first.ok()) << first.status();
  // A retry gets the first result, even with another id.
  absl::StatusOr<Note> retry = Notes::CreateIdempotent(db(), MakeNote("n2", "一"), key, refuse);
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->meta.id, "n1");
  EXPECT_EQ(Notes::CreateIdempotent(db(), MakeNote("n3", "一"), {"r-1", "other"}).status(),
            RequestIdReusedError());
  EXPECT_EQ(All().size(), 1u);
}

TEST_P(RecordTableTest, ImportMatchesByExternalIdAndHonoursTheMode) {
  ASSERT_TRUE(Notes::CreateIdempotent(db(), MakeNote("n1", "一", "e1"), {}).ok());
  std::vector<Note> rows = {MakeNote("", "一改", "e1"), MakeNote("", "二", "e2", "c2"),
                            MakeNote("", "三", "", "c3")};

  auto created = Notes::Import(db(), "a", rows, ImportMode::kCreateOnly);
  ASSERT_TRUE(created.ok()) << created.status();
  ASSERT_EQ(created->size(), 3u);
  EXPECT_EQ((*created)[0].status, TakenError("external_id \"e1\"", "orgs/a/notes/n1",
                                             "import with mode UPSERT to replace it"));
  EXPECT_TRUE((*created)[1].status.ok());
  EXPECT_TRUE(IsValidResourceId((*created)[1].id));
  EXPECT_FALSE((*created)[1].replaced);
  EXPECT_TRUE((*created)[2].status.ok());
  EXPECT_EQ(All().size(), 3u);

  rows.pop_back();  // a row without an external id matches nothing
  auto upserted = Notes::Import(db(), "a", rows, ImportMode::kUpsert);
  ASSERT_TRUE(upserted.ok()) << upserted.status();
  EXPECT_EQ((*upserted)[0].id, "n1");
  EXPECT_TRUE((*upserted)[0].replaced);
  EXPECT_EQ((*upserted)[1].id, (*created)[1].id);
  auto n1 = Notes::Get(db(), "a", "n1");
  ASSERT_TRUE(n1.ok());
  EXPECT_EQ(n1->title, "一改");
  EXPECT_EQ(n1->meta.revision, 2);
  EXPECT_EQ(All().size(), 3u);
}

TEST_P(RecordTableTest, ImportWithAMatchAndACheckRefusesRowsOrTheBatch) {
  ASSERT_TRUE(Notes::CreateIdempotent(db(), MakeNote("n1", "一", "", "c1"), {}).ok());
  auto by_code = [](const Note& row) { return ImportMatch{"code", row.code}; };
  auto check = [](Transaction&, const Note& n) -> absl::Status {
    if (n.title == "拒") return absl::FailedPreconditionError("refused");
    if (n.title == "错") return absl::InternalError("broken");
    return absl::OkStatus();
  };
  std::vector<Note> rows = {MakeNote("", "一改", "", "c1"), MakeNote("", "拒", "", "c2"),
                            MakeNote("", "二", "", "c3")};
  auto outcomes = Notes::Import(db(), "a", rows, ImportMode::kUpsert, by_code, check);
  ASSERT_TRUE(outcomes.ok()) << outcomes.status();
  EXPECT_EQ((*outcomes)[0].id, "n1");
  EXPECT_TRUE((*outcomes)[0].replaced);
  EXPECT_EQ((*outcomes)[1].status, absl::FailedPreconditionError("refused"));
  EXPECT_TRUE((*outcomes)[1].id.empty());
  EXPECT_TRUE((*outcomes)[2].status.ok());
  EXPECT_EQ(All().size(), 2u);

  // Any other error of the check fails the batch: nothing of it is stored.
  rows = {MakeNote("", "四", "", "c4"), MakeNote("", "错", "", "c5")};
  EXPECT_EQ(Notes::Import(db(), "a", rows, ImportMode::kUpsert, by_code, check).status(),
            absl::InternalError("broken"));
  EXPECT_EQ(All().size(), 2u);
}

// The row-by-row path: Import with a match of another type than
// ByExternalId takes it, so both paths can run the same batch.
std::vector<ImportOutcome> ImportRowByRow(Database& db, const std::string& org,
                                          const std::vector<Note>& rows, ImportMode mode) {
  auto by_external_id = [](const Note& row) { return ImportMatch{"external_id", row.external_id}; };
  auto outcomes = Notes::Import(db, org, rows, mode, by_external_id);
  EXPECT_TRUE(outcomes.ok()) << outcomes.status();
  return outcomes.value_or(std::vector<ImportOutcome>{});
}

// What a batch's outcomes say, with the random ids of new records numbered
// in order of appearance and the organization taken out, so two imports
// into two organizations compare.
std::vector<std::string> Describe(const std::vector<ImportOutcome>& outcomes,
                                  const std::string& org) {
  std::vector<std::string> seen, described;
  auto number = [&seen](const std::string& id) {
    if (id.empty() || id == "n1") return id;
    auto it = std::find(seen.begin(), seen.end(), id);
    if (it == seen.end()) it = seen.insert(seen.end(), id);
    return absl::StrCat("#", it - seen.begin());
  };
  for (const ImportOutcome& o : outcomes) {
    std::string message(o.status.message());
    for (const std::string& id : seen) absl::StrReplaceAll({{id, number(id)}}, &message);
    for (const ImportOutcome& other : outcomes) {
      if (!other.id.empty()) absl::StrReplaceAll({{other.id, number(other.id)}}, &message);
    }
    absl::StrReplaceAll({{absl::StrCat("orgs/", org, "/"), "orgs/ORG/"}}, &message);
    described.push_back(absl::StrCat(absl::StatusCodeToString(o.status.code()), " ", message,
                                     " id=", number(o.id), o.replaced ? " replaced" : ""));
  }
  return described;
}

// external id (or title, without one) → title and revision, of every note.
std::map<std::string, std::string> Stored(Database& db, const std::string& org) {
  auto all = ReadOne<std::vector<Note>>(
      db, [&](Transaction& tx) { return Notes::Select(tx, "org = $1", {Value(org)}, "id", 0); });
  EXPECT_TRUE(all.ok()) << all.status();
  std::map<std::string, std::string> stored;
  for (const Note& n : all.value_or(std::vector<Note>{})) {
    stored[n.external_id.empty() ? n.title : n.external_id] =
        absl::StrCat(n.title, " r", n.meta.revision);
  }
  return stored;
}

TEST_P(RecordTableTest, BulkImportResolvesRowsAsRowByRowWould) {
  for (const std::string org : {"a", "b"}) {
    Note n1 = MakeNote("n1", "一", "e1");
    n1.meta.org = org;
    ASSERT_TRUE(Notes::CreateIdempotent(db(), n1, {}).ok());
  }
  // Duplicates within the batch, new and stored records mixed, a row
  // without an external id, unicode external ids.
  const std::vector<Note> upsert = {MakeNote("", "a", "e2"),     MakeNote("", "b", "e1"),
                                    MakeNote("", "c", "e2"),     MakeNote("", "d", ""),
                                    MakeNote("", "e", "e1"),     MakeNote("", "f", "外部-三"),
                                    MakeNote("", "g", "外部-三")};
  auto bulk = Notes::Import(db(), "a", upsert, ImportMode::kUpsert);
  ASSERT_TRUE(bulk.ok()) << bulk.status();
  const auto row_by_row = ImportRowByRow(db(), "b", upsert, ImportMode::kUpsert);
  EXPECT_EQ(Describe(*bulk, "a"), Describe(row_by_row, "b"));
  EXPECT_EQ(Stored(db(), "a"), Stored(db(), "b"));
  EXPECT_EQ(Describe(*bulk, "a"),
            (std::vector<std::string>{"OK  id=#0", "OK  id=n1 replaced", "OK  id=#0 replaced",
                                      "OK  id=#1", "OK  id=n1 replaced", "OK  id=#2",
                                      "OK  id=#2 replaced"}));
  EXPECT_EQ(Stored(db(), "a"),
            (std::map<std::string, std::string>{
                {"d", "d r1"}, {"e1", "e r3"}, {"e2", "c r2"}, {"外部-三", "g r2"}}));

  // CREATE_ONLY: a second row with an external id refers to the first,
  // a row in the middle is refused, the rest stored.
  const std::vector<Note> create = {MakeNote("", "x", "e4"), MakeNote("", "y", "e4"),
                                    MakeNote("", "z", "e1"), MakeNote("", "w", "e5")};
  bulk = Notes::Import(db(), "a", create, ImportMode::kCreateOnly);
  ASSERT_TRUE(bulk.ok()) << bulk.status();
  const auto created_row_by_row = ImportRowByRow(db(), "b", create, ImportMode::kCreateOnly);
  EXPECT_EQ(Describe(*bulk, "a"), Describe(created_row_by_row, "b"));
  EXPECT_EQ((*bulk)[1].status, TakenError("external_id \"e4\"", Notes::Name("a", (*bulk)[0].id),
                                          "import with mode UPSERT to replace it"));
  EXPECT_EQ((*bulk)[2].status, TakenError("external_id \"e1\"", "orgs/a/notes/n1",
                                          "import with mode UPSERT to replace it"));
  EXPECT_TRUE((*bulk)[3].status.ok());
  EXPECT_EQ(Stored(db(), "a"), Stored(db(), "b"));
  EXPECT_EQ(Stored(db(), "a").size(), 6u);
}

// More rows than one COPY piece or one multi-row INSERT, replacing stored
// records and records the batch itself makes.
TEST_P(RecordTableTest, BulkImportOfALargeMixedBatch) {
  const std::string long_title(300, 'x');
  std::vector<Note> stored_rows, batch;
  for (int i = 0; i < 1000; ++i) {
    Note n = MakeNote("", absl::StrCat("法", i, long_title), absl::StrCat("外部-", i));
    if (i % 2 == 0) stored_rows.push_back(n);
    if (i >= 666) continue;
    if (i % 2 == 1) batch.push_back(n);  // new, then replaced by the next row
    n.title = absl::StrCat("改", i, long_title);
    batch.push_back(n);
  }
  ASSERT_EQ(batch.size(), 999u);
  auto stored = Notes::Import(db(), "a", stored_rows, ImportMode::kCreateOnly);
  ASSERT_TRUE(stored.ok()) << stored.status();
  auto replaced = Notes::Import(db(), "a", batch, ImportMode::kUpsert);
  ASSERT_TRUE(replaced.ok()) << replaced.status();
  int replaced_count = 0;
  for (const ImportOutcome& o : *replaced) {
    EXPECT_TRUE(o.status.ok()) << o.status;
    replaced_count += o.replaced ? 1 : 0;
  }
  EXPECT_EQ(replaced_count, 666);
  const auto all = Stored(db(), "a");
  EXPECT_EQ(all.size(), 833u);
  EXPECT_EQ(all.at("外部-0"), absl::StrCat("改0", long_title, " r2"));
  EXPECT_EQ(all.at("外部-1"), absl::StrCat("改1", long_title, " r2"));
  EXPECT_EQ(all.at("外部-998"), absl::StrCat("法998", long_title, " r1"));
}

TEST_P(RecordTableTest, AFailedBulkBatchStoresNothing) {
  ASSERT_TRUE(Notes::CreateIdempotent(db(), MakeNote("n1", "一", "e1"), {}).ok());
  // A replacement, a new row, and a new row whose given id is taken.
  const std::vector<Note> rows = {MakeNote("", "改", "e1"), MakeNote("", "二", "e2"),
                                  MakeNote("n1", "三", "e3")};
  auto outcomes = Notes::Import(db(), "a", rows, ImportMode::kUpsert);
  EXPECT_EQ(outcomes.status(), TakenError("the id or external id", "another note in orgs/a"));
  auto by_external_id = [](const Note& row) { return ImportMatch{"external_id", row.external_id}; };
  EXPECT_EQ(Notes::Import(db(), "a", rows, ImportMode::kUpsert, by_external_id).status(),
            outcomes.status());
  EXPECT_EQ(Stored(db(), "a"), (std::map<std::string, std::string>{{"e1", "一 r1"}}));

  // The next batch, likely on the same connection (whose temporary table
  // the failure rolled back), is stored.
  ASSERT_TRUE(Notes::Import(db(), "a", {MakeNote("", "四", "e4")}, ImportMode::kCreateOnly).ok());
  EXPECT_EQ(Stored(db(), "a"),
            (std::map<std::string, std::string>{{"e1", "一 r1"}, {"e4", "四 r1"}}));
}

INSTANTIATE_TEST_SUITE_P(Drivers, RecordTableTest,
                         ::testing::Values(Driver::kSqlite, Driver::kPostgres),
                         fazhi::testing::DriverParamName<::testing::TestParamInfo<Driver>>);

}  // namespace
}  // namespace fazhi::sql
