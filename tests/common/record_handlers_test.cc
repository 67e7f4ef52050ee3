// The shared record handlers against an in-memory store: what each handler
// checks before the store, what it hands the store, and what it answers.

#include "services/common/record_handlers.h"

#include <deque>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "fazhi/study/v1/study.pb.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "services/common/grpc_status.h"

namespace fazhi {
namespace {

using ::testing::HasSubstr;
namespace v1 = fazhi::study::v1;

struct Note {
  RecordMeta meta;
  std::string title;
  std::string external_id;
};

// A store of notes keyed by (org, id) that records what it was asked.
class NoteStore {
 public:
  absl::StatusOr<Note> Get(const std::string& org, const std::string& id) {
    auto it = notes_.find({org, id});
    if (it == notes_.end()) return NotFoundError("note", ChildResourceName(org, "notes", id));
    return it->second;
  }
  absl::StatusOr<Note> Create(Note note, const IdempotencyKey& key) {
    keys.push_back(key);
    note.meta.revision = 1;
    notes_[{note.meta.org, note.meta.id}] = note;
    return note;
  }
  absl::StatusOr<Note> Update(Note note, int64_t revision) {
    update_revisions.push_back(revision);
    note.meta.revision = revision + 1;
    notes_[{note.meta.org, note.meta.id}] = note;
    return note;
  }
  absl::Status Delete(const std::string& org, const std::string& id,
                      std::optional<int64_t> revision) {
    delete_revisions.push_back(revision);
    notes_.erase({org, id});
    return absl::OkStatus();
  }
  absl::StatusOr<std::vector<ImportOutcome>> Import(const std::string& org, std::vector<Note> rows,
                                                    ImportMode mode) {
    imported.push_back({org, rows.size(), mode});
    std::vector<ImportOutcome> outcomes;
    for (const Note& row : rows) outcomes.push_back({absl::OkStatus(), "id-" + row.external_id});
    return outcomes;
  }

  struct Batch {
    std::string org;
    size_t rows;
    ImportMode mode;
  };
  std::vector<IdempotencyKey> keys;
  std::vector<int64_t> update_revisions;
  std::vector<std::optional<int64_t>> delete_revisions;
  std::vector<Batch> imported;

 private:
  std::map<std::pair<std::string, std::string>, Note> notes_;
};

v1::Session NoteToProto(const Note& n) {
  v1::Session p;
  p.set_name(ChildResourceName(n.meta.org, "notes", n.meta.id));
  p.set_etag(MakeEtag(n.meta.revision));
  p.set_title(n.title);
  p.set_external_id(n.external_id);
  return p;
}

Note NoteFromProto(const v1::Session& p) { return Note{{}, p.title(), p.external_id()}; }

struct NoteTraits : ProtoRecord<v1::Session, Note, NoteToProto, NoteFromProto> {
  static constexpr absl::string_view kCollection = "notes";
  static constexpr absl::string_view kField = "note";
  static constexpr absl::string_view kNoun = "note";
  static constexpr auto kGet = &NoteStore::Get;
  static constexpr auto kCreate = &NoteStore::Create;
  static constexpr auto kUpdate = &NoteStore::Update;
  static constexpr auto kDelete = &NoteStore::Delete;
  static constexpr auto kImport = &NoteStore::Import;
  // A title is required; "org:" titles must name the organization.
  static void Validate(const Proto& p, absl::string_view prefix, const std::string& org,
                       FieldViolations& v) {
    if (p.title().empty()) v.Add(absl::StrCat(prefix, "title"), "is required");
    if (p.title() == "org:" + org) v.Add(absl::StrCat(prefix, "title"), "names the org");
  }
};

// The fields an INVALID_ARGUMENT names in its BadRequest, in order.
std::vector<std::string> ViolatedFields(const absl::Status& status) {
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  google::rpc::BadRequest bad_request;
  ReadDetail(status, bad_request);
  std::vector<std::string> fields;
  for (const auto& v : bad_request.field_violations()) fields.push_back(v.field());
  return fields;
}

class RecordHandlersTest : public ::testing::Test {
 protected:
  v1::Session Create(const std::string& title, const std::string& id = "n1") {
    v1::CreateSessionRequest request;
    request.set_parent("orgs/a");
    request.mutable_session()->set_title(title);
    v1::Session out;
    EXPECT_TRUE(
        CreateRecord<NoteTraits>(store_, request.parent(), request.session(), id, "", request, &out)
            .ok());
    return out;
  }

  NoteStore store_;
};

TEST_F(RecordHandlersTest, GetParsesTheNameAndConvertsTheRecord) {
  Create("一");
  v1::Session out;
  ASSERT_TRUE(GetRecord<NoteTraits>(store_, "orgs/a/notes/n1", &out).ok());
  EXPECT_EQ(out.title(), "一");
  EXPECT_EQ(out.etag(), "W/\"1\"");

  absl::Status malformed = GetRecord<NoteTraits>(store_, "orgs/a/sessions/n1", &out);
  EXPECT_EQ(malformed.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(malformed), ::testing::ElementsAre("name"));
  EXPECT_EQ(GetRecord<NoteTraits>(store_, "orgs/a/notes/n2", &out),
            NotFoundError("note", "orgs/a/notes/n2"));
}

TEST_F(RecordHandlersTest, CreateValidatesEveryFieldBeforeTheStore) {
  v1::CreateSessionRequest request;
  request.set_parent("org/a");
  v1::Session out;
  absl::Status status = CreateRecord<NoteTraits>(store_, request.parent(), request.session(),
                                                 "Bad-", std::string(129, 'r'), request, &out);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(status),
              ::testing::ElementsAre("parent", "note.title", "note_id", "request_id"));
  EXPECT_TRUE(store_.keys.empty());

  // The organization reaches Validate.
  request.set_parent("orgs/a");
  request.mutable_session()->set_title("org:a");
  status =
      CreateRecord<NoteTraits>(store_, request.parent(), request.session(), "", "", request, &out);
  EXPECT_THAT(status.message(), HasSubstr("names the org"));
}

TEST_F(RecordHandlersTest, CreatePicksAnIdUnlessGivenAndKeysTheRequestWithoutItsRequestId) {
  const v1::Session chosen = Create("一", "chosen");
  EXPECT_EQ(chosen.name(), "orgs/a/notes/chosen");
  const v1::Session picked = Create("二", "");
  EXPECT_TRUE(IsValidResourceId(picked.name().substr(std::string("orgs/a/notes/").size())));
  EXPECT_EQ(store_.keys.back().request_id, "");

  v1::CreateSessionRequest first;
  first.set_parent("orgs/a");
  first.mutable_session()->set_title("三");
  first.set_request_id("r-1");
  v1::CreateSessionRequest retry = first;
  retry.set_request_id("r-2");
  v1::CreateSessionRequest other = first;
  other.mutable_session()->set_title("四");
  EXPECT_EQ(IdempotencyKeyOf(first, "r-1").fingerprint, IdempotencyKeyOf(retry, "r-2").fingerprint);
  EXPECT_NE(IdempotencyKeyOf(first, "r-1").fingerprint, IdempotencyKeyOf(other, "r-1").fingerprint);
  EXPECT_EQ(IdempotencyKeyOf(first, "").request_id, "");

  v1::Session out;
  ASSERT_TRUE(
      CreateRecord<NoteTraits>(store_, first.parent(), first.session(), "", "r-1", first, &out)
          .ok());
  EXPECT_EQ(store_.keys.back().request_id, "r-1");
  EXPECT_EQ(store_.keys.back().fingerprint, IdempotencyKeyOf(first, "r-1").fingerprint);
}

TEST_F(RecordHandlersTest, UpdateMergesTheMaskUnderTheCurrentEtag) {
  const v1::Session created = Create("一");
  v1::Session change;
  change.set_name(created.name());
  change.set_etag(created.etag());
  change.set_title("二");
  change.set_external_id("ignored");
  google::protobuf::FieldMask mask;
  mask.add_paths("title");
  v1::Session out;
  ASSERT_TRUE(UpdateRecord<NoteTraits>(store_, change, mask, &out).ok());
  EXPECT_EQ(out.title(), "二");
  EXPECT_EQ(out.external_id(), "");
  EXPECT_EQ(out.etag(), "W/\"2\"");
  EXPECT_THAT(store_.update_revisions, ::testing::ElementsAre(1));

  // The old etag is stale now; nothing reaches the store.
  EXPECT_EQ(UpdateRecord<NoteTraits>(store_, change, mask, &out), StaleEtagError("note", 1, 2));
  // No etag: the current revision.
  change.clear_etag();
  ASSERT_TRUE(UpdateRecord<NoteTraits>(store_, change, mask, &out).ok());
  EXPECT_THAT(store_.update_revisions, ::testing::ElementsAre(1, 2));
}

TEST_F(RecordHandlersTest, UpdateRefusesForeignEtagsBadMasksAndInvalidResults) {
  const v1::Session created = Create("一");
  v1::Session change;
  change.set_name(created.name());
  change.set_etag("3");
  v1::Session out;
  absl::Status status = UpdateRecord<NoteTraits>(store_, change, {}, &out);
  EXPECT_THAT(ViolatedFields(status), ::testing::ElementsAre("note.etag"));

  change.clear_etag();
  google::protobuf::FieldMask mask;
  mask.add_paths("etag");
  status = UpdateRecord<NoteTraits>(store_, change, mask, &out);
  EXPECT_THAT(ViolatedFields(status), ::testing::ElementsAre("update_mask.paths[0]"));

  // Clearing the title leaves an invalid note.
  mask.set_paths(0, "title");
  status = UpdateRecord<NoteTraits>(store_, change, mask, &out);
  EXPECT_THAT(ViolatedFields(status), ::testing::ElementsAre("note.title"));
  EXPECT_TRUE(store_.update_revisions.empty());
}

TEST_F(RecordHandlersTest, DeleteHandsTheEtagsRevisionToTheStore) {
  Create("一");
  ASSERT_TRUE(DeleteRecord<NoteTraits>(store_, "orgs/a/notes/n1", "W/\"7\"").ok());
  ASSERT_TRUE(DeleteRecord<NoteTraits>(store_, "orgs/a/notes/n1", "").ok());
  EXPECT_THAT(store_.delete_revisions, ::testing::ElementsAre(7, std::nullopt));
  absl::Status status = DeleteRecord<NoteTraits>(store_, "orgs/a/notes/", "x");
  EXPECT_THAT(ViolatedFields(status), ::testing::ElementsAre("name", "etag"));
}

// Reads the requests of a client stream from a list.
class ListReader : public grpc::ServerReaderInterface<v1::ImportSessionsRequest> {
 public:
  explicit ListReader(std::deque<v1::ImportSessionsRequest> requests)
      : requests_(std::move(requests)) {}
  void SendInitialMetadata() override {}
  bool NextMessageSize(uint32_t* size) override {
    *size = requests_.empty() ? 0 : static_cast<uint32_t>(requests_.front().ByteSizeLong());
    return !requests_.empty();
  }
  bool Read(v1::ImportSessionsRequest* request) override {
    if (requests_.empty()) return false;
    *request = std::move(requests_.front());
    requests_.pop_front();
    return true;
  }

 private:
  std::deque<v1::ImportSessionsRequest> requests_;
};

TEST_F(RecordHandlersTest, ImportValidatesRowsAndStoresTheRestThroughTheTraits) {
  v1::ImportSessionsRequest request;
  request.set_parent("orgs/a");
  request.set_mode(fazhi::type::v1::IMPORT_MODE_UPSERT);
  request.set_report_stored_rows(true);
  auto* good = request.add_sessions();
  good->set_title("一");
  good->set_external_id("e1");
  request.add_sessions()->set_external_id("e2");  // no title
  ListReader reader({request});
  fazhi::type::v1::ImportReport report;
  ASSERT_TRUE(ImportRecords<NoteTraits>(
                  store_, &reader,
                  [](const v1::ImportSessionsRequest& r) -> const auto& { return r.sessions(); },
                  &report)
                  .ok());
  ASSERT_EQ(store_.imported.size(), 1u);
  EXPECT_EQ(store_.imported[0].org, "a");
  EXPECT_EQ(store_.imported[0].rows, 1u);
  EXPECT_EQ(store_.imported[0].mode, ImportMode::kUpsert);
  EXPECT_EQ(report.rows_stored(), 1);
  EXPECT_EQ(report.rows_rejected(), 1);
  ASSERT_EQ(report.results_size(), 2);
  EXPECT_EQ(report.results(0).field_errors(0).field(), "title");
  EXPECT_EQ(report.results(1).name(), "orgs/a/notes/id-e1");
}

TEST(AnswerPageTest, FetchesOneMoreThanThePageToTellWhetherAnotherExists) {
  auto fetch_of = [](int stored) {
    return [stored](int limit) -> absl::StatusOr<std::vector<int>> {
      std::vector<int> records;
      for (int i = 0; i < std::min(stored, limit); ++i) records.push_back(i);
      return records;
    };
  };
  auto to_proto = [](int i) {
    v1::Session p;
    p.set_title(absl::StrCat(i));
    return p;
  };
  auto position = [](int i) { return std::vector<std::string>{absl::StrCat(i)}; };

  google::protobuf::RepeatedPtrField<v1::Session> items;
  std::string next;
  ASSERT_TRUE(AnswerPage(2, "q", fetch_of(5), to_proto, position, &items, &next).ok());
  EXPECT_EQ(items.size(), 2);
  FieldViolations v;
  EXPECT_THAT(DecodePagePosition(next, "q", 1, v), ::testing::ElementsAre("1"));

  items.Clear();
  next.clear();
  ASSERT_TRUE(AnswerPage(2, "q", fetch_of(2), to_proto, position, &items, &next).ok());
  EXPECT_EQ(items.size(), 2);
  EXPECT_EQ(next, "");

  auto failing = [](int) -> absl::StatusOr<std::vector<int>> {
    return absl::UnavailableError("down");
  };
  EXPECT_EQ(AnswerPage(2, "q", failing, to_proto, position, &items, &next).code(),
            absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace fazhi
