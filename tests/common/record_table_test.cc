// RecordTable on both drivers: the shared wording of its errors, the
// idempotent create with its check, and the import by external id.

#include "services/common/sql/record_table.h"

#include <memory>
#include <string>
#include <vector>

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

INSTANTIATE_TEST_SUITE_P(Drivers, RecordTableTest,
                         ::testing::Values(Driver::kSqlite, Driver::kPostgres),
                         fazhi::testing::DriverParamName<::testing::TestParamInfo<Driver>>);

}  // namespace
}  // namespace fazhi::sql
