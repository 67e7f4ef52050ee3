// Handler tests: the real service on an in-process server, a real generated
// client, a real SQLite file.

#include "services/study/study_service.h"

#include <grpcpp/grpcpp.h>

#include <functional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "services/common/grpc_status.h"
#include "services/common/proto_dates.h"
#include "services/common/sql/sqlite_database.h"
#include "services/kernel/dates.h"
#include "services/study/sql_study_store.h"
#include "tests/testing/service_test.h"
#include "tests/testing/temp_dir.h"

namespace fazhi::study {
namespace {

using ::fazhi::testing::BadFields;
using ::fazhi::testing::Date;
using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

v1::Session ValidSession(const std::string& title = "党组会议学法") {
  v1::Session s;
  *s.mutable_date() = Date(2024, 3, 12);
  s.set_kind(v1::STUDY_KIND_LEADERSHIP_GROUP);
  s.set_title(title);
  s.add_laws("《民法典》");
  s.set_duration_minutes(40);
  auto* head = s.add_attendees();
  head->set_person_id("p-head");
  head->set_display_name("局长");
  head->set_is_head(true);
  return s;
}

class StudyServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::make_unique<sql::SqliteDatabase>(dir_.File("study.db"));
    store_ = std::make_unique<SqlStudyStore>(db_.get());
    service_ = std::make_unique<StudyServiceImpl>(store_.get(), server_.calls(),
                                                  [] { return absl::CivilDay(2026, 11, 28); });
    ASSERT_TRUE(server_.Start(service_.get(), v1::StudyService::service_full_name()).ok());
    channel_ = server_.NewChannel();
    stub_ = v1::StudyService::NewStub(channel_);
    if (open_store_) Ready();
  }

  void Ready() {
    ASSERT_TRUE(fazhi::testing::OpenAndMigrate(*db_, Migrations()).ok());
    server_.MarkServing();
  }

  void TearDown() override { server_.Drain(); }

  v1::Session Create(const v1::Session& session, const std::string& parent = "orgs/org-a") {
    grpc::ClientContext context;
    v1::CreateSessionRequest request;
    request.set_parent(parent);
    *request.mutable_session() = session;
    v1::Session response;
    grpc::Status status = stub_->CreateSession(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  int CountSessions(const std::string& parent = "orgs/org-a") {
    grpc::ClientContext context;
    v1::ListSessionsRequest request;
    request.set_parent(parent);
    request.set_page_size(1000);
    v1::ListSessionsResponse response;
    EXPECT_TRUE(stub_->ListSessions(&context, request, &response).ok());
    return response.sessions_size();
  }

  bool open_store_ = true;
  fazhi::testing::TempDir dir_;
  std::unique_ptr<sql::SqliteDatabase> db_;
  fazhi::testing::InProcessServer server_;
  std::unique_ptr<SqlStudyStore> store_;
  std::unique_ptr<StudyServiceImpl> service_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::StudyService::Stub> stub_;
};

TEST_F(StudyServiceTest, CreateThenGetNormalizesLawsAndMarksHead) {
  v1::Session created = Create(ValidSession());
  EXPECT_THAT(created.name(), ::testing::StartsWith("orgs/org-a/sessions/"));
  EXPECT_EQ(created.etag(), "W/\"1\"");
  EXPECT_THAT(created.laws(), ElementsAre("民法典"));
  EXPECT_TRUE(created.head_attended());
  EXPECT_GT(created.create_time().seconds(), 0);

  grpc::ClientContext context;
  v1::GetSessionRequest request;
  request.set_name(created.name());
  v1::Session got;
  ASSERT_TRUE(stub_->GetSession(&context, request, &got).ok());
  EXPECT_EQ(got.SerializeAsString(), created.SerializeAsString());
}

TEST_F(StudyServiceTest, InvalidCreateNamesEveryFieldAndStoresNothing) {
  v1::Session bad = ValidSession("");
  *bad.mutable_date() = Date(2024, 2, 30);
  bad.set_duration_minutes(-5);
  bad.set_kind(static_cast<v1::StudyKind>(99));
  bad.add_laws("《》");
  grpc::ClientContext context;
  v1::CreateSessionRequest request;
  request.set_parent("orgs/Bad_Org");
  *request.mutable_session() = bad;
  request.set_session_id("Not Valid");
  v1::Session response;
  grpc::Status status = stub_->CreateSession(&context, request, &response);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(status),
              UnorderedElementsAre("parent", "session.date", "session.kind", "session.title",
                                   "session.laws[1]", "session.duration_minutes", "session_id"));
  EXPECT_EQ(CountSessions(), 0);
}

// Every refused attendee is named, in order, with what is wrong; the rest
// pass without a word.
TEST_F(StudyServiceTest, EveryRefusedAttendeeIsNamedInOrder) {
  v1::Session s = ValidSession();  // attendees[0]: p-head
  auto add = [&](const std::string& id, const std::string& name) {
    auto* a = s.add_attendees();
    a->set_person_id(id);
    a->set_display_name(name);
  };
  add("", "");                          // [1] neither
  add("p-head", "李四");                // [2] listed twice
  add("p-3", std::string("王\x01五"));  // [3] a control character
  add("p-4", std::string(65, 'x'));     // [4] 65 characters
  add("p-5", "赵六");                   // [5] fine
  add(std::string("p-\x7f"), "钱七");   // [6] a control character in the id
  grpc::ClientContext context;
  v1::CreateSessionRequest request;
  request.set_parent("orgs/org-a");
  *request.mutable_session() = s;
  v1::Session response;
  grpc::Status status = stub_->CreateSession(&context, request, &response);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(status),
              ElementsAre("session.attendees[1].person_id", "session.attendees[2].person_id",
                          "session.attendees[3].display_name", "session.attendees[4].display_name",
                          "session.attendees[6].person_id"));
  EXPECT_EQ(fazhi::testing::BadDescription(status, "session.attendees[1].person_id"),
            "a named attendee needs a person_id or display_name");
  EXPECT_EQ(fazhi::testing::BadDescription(status, "session.attendees[2].person_id"),
            "\"p-head\" is listed twice");
  EXPECT_THAT(fazhi::testing::BadDescription(status, "session.attendees[4].display_name"),
              ::testing::HasSubstr("64"));
  EXPECT_EQ(CountSessions(), 0);
}

TEST_F(StudyServiceTest, OversizedTitleIsInvalid) {
  grpc::ClientContext context;
  v1::CreateSessionRequest request;
  request.set_parent("orgs/org-a");
  *request.mutable_session() = ValidSession(std::string(201 * 3, 'x'));
  v1::Session response;
  grpc::Status status = stub_->CreateSession(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(status), ElementsAre("session.title"));
}

TEST_F(StudyServiceTest, UpdateWithMaskAndEtag) {
  v1::Session created = Create(ValidSession());
  v1::UpdateSessionRequest request;
  request.mutable_session()->set_name(created.name());
  request.mutable_session()->set_etag(created.etag());
  request.mutable_session()->set_title("改后的题目");
  request.mutable_update_mask()->add_paths("title");
  v1::Session updated;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(stub_->UpdateSession(&context, request, &updated).ok());
  }
  EXPECT_EQ(updated.title(), "改后的题目");
  EXPECT_EQ(updated.duration_minutes(), 40);
  EXPECT_EQ(updated.etag(), "W/\"2\"");
  {
    grpc::ClientContext context;  // the old etag is stale now
    v1::Session ignored;
    EXPECT_EQ(stub_->UpdateSession(&context, request, &ignored).error_code(),
              grpc::StatusCode::ABORTED);
  }
  {
    grpc::ClientContext context;  // a change that breaks a rule is refused
    request.mutable_session()->set_etag(updated.etag());
    request.mutable_session()->set_title("");
    v1::Session ignored;
    grpc::Status status = stub_->UpdateSession(&context, request, &ignored);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(BadFields(status), ElementsAre("session.title"));
  }
  {
    grpc::ClientContext context;
    request.mutable_update_mask()->set_paths(0, "create_time");
    v1::Session ignored;
    grpc::Status status = stub_->UpdateSession(&context, request, &ignored);
    EXPECT_THAT(BadFields(status), ElementsAre("update_mask.paths[0]"));
  }
}

TEST_F(StudyServiceTest, HeadAttendanceFollowsNamedAttendees) {
  v1::Session created = Create(ValidSession());
  ASSERT_TRUE(created.head_attended());
  v1::UpdateSessionRequest request;
  request.mutable_session()->set_name(created.name());
  auto* deputy = request.mutable_session()->add_attendees();
  deputy->set_person_id("p-deputy");
  request.mutable_update_mask()->add_paths("attendees");
  v1::Session updated;
  grpc::ClientContext context;
  ASSERT_TRUE(stub_->UpdateSession(&context, request, &updated).ok());
  EXPECT_FALSE(updated.head_attended());

  v1::Session count_only = ValidSession();
  count_only.clear_attendees();
  count_only.set_attendee_count(30);
  count_only.set_head_attended(true);
  EXPECT_TRUE(Create(count_only).head_attended());
}

TEST_F(StudyServiceTest, DeleteThenGetIsNotFound) {
  v1::Session created = Create(ValidSession());
  {
    grpc::ClientContext context;
    v1::DeleteSessionRequest request;
    request.set_name(created.name());
    google::protobuf::Empty empty;
    ASSERT_TRUE(stub_->DeleteSession(&context, request, &empty).ok());
  }
  grpc::ClientContext context;
  v1::GetSessionRequest request;
  request.set_name(created.name());
  v1::Session got;
  EXPECT_EQ(stub_->GetSession(&context, request, &got).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(StudyServiceTest, PagingWalksEveryRowOnceAndTokensAreBoundToFilters) {
  for (int day = 1; day <= 7; ++day) {
    v1::Session s = ValidSession();
    *s.mutable_date() = Date(2024, 5, day);
    Create(s);
  }
  std::vector<std::string> seen;
  std::string token;
  int pages = 0;
  do {
    grpc::ClientContext context;
    v1::ListSessionsRequest request;
    request.set_parent("orgs/org-a");
    request.set_page_size(3);
    request.set_year(2024);
    request.set_page_token(token);
    v1::ListSessionsResponse response;
    ASSERT_TRUE(stub_->ListSessions(&context, request, &response).ok());
    for (const auto& s : response.sessions()) seen.push_back(s.name());
    token = response.next_page_token();
    ++pages;
  } while (!token.empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen.size(), 7u);

  // Reusing a token with another filter is refused.
  grpc::ClientContext first_context;
  v1::ListSessionsRequest request;
  request.set_parent("orgs/org-a");
  request.set_page_size(3);
  v1::ListSessionsResponse response;
  ASSERT_TRUE(stub_->ListSessions(&first_context, request, &response).ok());
  grpc::ClientContext context;
  request.set_page_token(response.next_page_token());
  request.set_year(2023);
  grpc::Status status = stub_->ListSessions(&context, request, &response);
  EXPECT_THAT(BadFields(status), ElementsAre("page_token"));

  grpc::ClientContext too_big;
  request.set_page_token("");
  request.set_page_size(5000);
  EXPECT_THAT(BadFields(stub_->ListSessions(&too_big, request, &response)),
              ElementsAre("page_size"));
}

TEST_F(StudyServiceTest, RequestIdMakesCreateIdempotent) {
  v1::CreateSessionRequest request;
  request.set_parent("orgs/org-a");
  *request.mutable_session() = ValidSession();
  request.set_request_id("retry-me");
  v1::Session first, second, third;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(stub_->CreateSession(&context, request, &first).ok());
  }
  {
    grpc::ClientContext context;
    ASSERT_TRUE(stub_->CreateSession(&context, request, &second).ok());
  }
  EXPECT_EQ(first.name(), second.name());
  EXPECT_EQ(CountSessions(), 1);
  request.mutable_session()->set_title("different");
  grpc::ClientContext context;
  EXPECT_EQ(stub_->CreateSession(&context, request, &third).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
}

TEST_F(StudyServiceTest, ImportReportsBadRowsAndStoresGoodOnes) {
  grpc::ClientContext context;
  fazhi::type::v1::ImportReport report;
  auto writer = stub_->ImportSessions(&context, &report);
  v1::ImportSessionsRequest batch;
  batch.set_parent("orgs/org-a");
  *batch.add_sessions() = ValidSession("a");
  *batch.add_sessions() = ValidSession("");  // row 1: bad
  ASSERT_TRUE(writer->Write(batch));
  batch.Clear();
  v1::Session dated = ValidSession("c");
  *dated.mutable_date() = Date(2024, 13, 1);  // row 2: bad
  *batch.add_sessions() = dated;
  *batch.add_sessions() = ValidSession("d");
  ASSERT_TRUE(writer->Write(batch));
  writer->WritesDone();
  ASSERT_TRUE(writer->Finish().ok());
  EXPECT_EQ(report.rows_received(), 4);
  EXPECT_EQ(report.rows_stored(), 2);
  EXPECT_EQ(report.rows_rejected(), 2);
  EXPECT_EQ(report.batches_committed(), 2);
  ASSERT_EQ(report.results_size(), 2);
  EXPECT_EQ(report.results(0).row(), 1);
  EXPECT_EQ(report.results(0).field_errors(0).field(), "title");
  EXPECT_EQ(report.results(1).row(), 2);
  EXPECT_EQ(report.results(1).batch(), 1);
  EXPECT_EQ(report.results(1).field_errors(0).field(), "date");
  EXPECT_EQ(CountSessions(), 2);
}

TEST_F(StudyServiceTest, StoreFailureMidImportKeepsWholeBatchesAndSaysWhich) {
  // The store refuses the second batch (a trigger stands in for a failing
  // disk): the first batch stays, nothing of the second is stored, and the
  // error carries the report saying so.
  ASSERT_TRUE(
      db_->Transact(sql::TxMode::kReadWrite,
                    [](sql::Transaction& tx) {
                      return tx.ExecuteScript(
                          "CREATE TRIGGER refuse BEFORE INSERT ON sessions WHEN NEW.title = 'boom' "
                          "BEGIN SELECT RAISE(ABORT, 'disk on fire'); END;");
                    })
          .ok());
  grpc::ClientContext context;
  fazhi::type::v1::ImportReport report;
  auto writer = stub_->ImportSessions(&context, &report);
  v1::ImportSessionsRequest batch;
  batch.set_parent("orgs/org-a");
  *batch.add_sessions() = ValidSession("a");
  *batch.add_sessions() = ValidSession("b");
  ASSERT_TRUE(writer->Write(batch));
  batch.Clear();
  *batch.add_sessions() = ValidSession("c");
  *batch.add_sessions() = ValidSession("boom");
  writer->Write(batch);
  writer->WritesDone();
  grpc::Status status = writer->Finish();
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(status.error_message(), ::testing::HasSubstr("batch 1 was not stored"));
  fazhi::type::v1::ImportReport partial;
  ASSERT_TRUE(ReadDetail(FromGrpcStatus(status), partial));
  EXPECT_EQ(partial.batches_committed(), 1);
  EXPECT_EQ(partial.rows_stored(), 2);
  EXPECT_EQ(CountSessions(), 2);
}

TEST_F(StudyServiceTest, ImportWithBadParentIsRefusedWhole) {
  grpc::ClientContext context;
  fazhi::type::v1::ImportReport report;
  auto writer = stub_->ImportSessions(&context, &report);
  v1::ImportSessionsRequest batch;
  batch.set_parent("nonsense");
  *batch.add_sessions() = ValidSession("a");
  writer->Write(batch);
  writer->WritesDone();
  grpc::Status status = writer->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(status), ElementsAre("parent"));
}

TEST_F(StudyServiceTest, PlanUpsertAndSummary) {
  v1::UpdateStudyPlanRequest plan_request;
  auto* plan = plan_request.mutable_study_plan();
  plan->set_name("orgs/org-a/studyPlans/2024");
  auto* rule = plan->add_rules();
  rule->set_kind(v1::STUDY_KIND_LEADERSHIP_GROUP);
  rule->set_period(v1::RULE_PERIOD_QUARTER);
  rule->set_min_sessions(1);
  plan->set_eligible_staff(2);
  plan_request.set_allow_missing(true);
  v1::StudyPlan stored;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(stub_->UpdateStudyPlan(&context, plan_request, &stored).ok());
  }
  EXPECT_EQ(stored.etag(), "W/\"1\"");
  {
    grpc::ClientContext context;  // without allow_missing a missing plan is NOT_FOUND
    plan_request.set_allow_missing(false);
    plan_request.mutable_study_plan()->set_name("orgs/org-a/studyPlans/2025");
    v1::StudyPlan ignored;
    EXPECT_EQ(stub_->UpdateStudyPlan(&context, plan_request, &ignored).error_code(),
              grpc::StatusCode::NOT_FOUND);
  }
  Create(ValidSession());  // Q1 leadership study with the head

  grpc::ClientContext context;
  v1::GetStudySummaryRequest request;
  request.set_org("orgs/org-a");
  request.set_year(2024);
  v1::StudySummary summary;
  ASSERT_TRUE(stub_->GetStudySummary(&context, request, &summary).ok());
  EXPECT_EQ(summary.total_sessions(), 1);
  EXPECT_EQ(summary.head_attended_sessions(), 1);
  EXPECT_THAT(summary.leadership_quarters_missed(), ElementsAre(2, 3, 4));
  ASSERT_EQ(summary.rules_size(), 1);
  EXPECT_THAT(summary.rules(0).periods_missed(), ElementsAre(2, 3, 4));
  EXPECT_FALSE(summary.plan_fulfilled());
  EXPECT_EQ(summary.as_of().year(), 2024);
  EXPECT_EQ(summary.as_of().month(), 12);
  EXPECT_TRUE(summary.has_records());
  ASSERT_EQ(summary.by_kind_size(), 1);
  EXPECT_EQ(summary.attendances(), summary.by_kind(0).attendances());
  EXPECT_GT(summary.attendances(), 0);
  EXPECT_EQ(summary.by_kind(0).session_names_size(), 0);  // only when asked

  grpc::ClientContext with_records;
  request.set_include_records(true);
  ASSERT_TRUE(stub_->GetStudySummary(&with_records, request, &summary).ok());
  ASSERT_EQ(summary.by_kind(0).session_names_size(), 1);
  EXPECT_THAT(summary.by_kind(0).session_names(0), ::testing::StartsWith("orgs/org-a/sessions/"));

  grpc::ClientContext before;
  request.set_year(2023);
  ASSERT_TRUE(stub_->GetStudySummary(&before, request, &summary).ok());
  EXPECT_FALSE(summary.has_records());  // no baseline for 同比
}

// The year before in the same answer, as a summary of its own asked for as
// of its 31 December would be, without records.
TEST_F(StudyServiceTest, SummaryWithTheYearBefore) {
  Create(ValidSession());  // 2024
  v1::GetStudySummaryRequest request;
  request.set_org("orgs/org-a");
  request.set_year(2025);
  request.set_include_records(true);
  v1::StudySummary summary;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(stub_->GetStudySummary(&context, request, &summary).ok());
    EXPECT_FALSE(summary.has_previous_year());  // only when asked
    EXPECT_FALSE(summary.previous_year_answered());
  }
  v1::StudySummary alone;
  {
    grpc::ClientContext context;
    v1::GetStudySummaryRequest before = request;
    before.set_year(2024);
    before.set_include_records(false);
    *before.mutable_as_of() = ToDate(absl::CivilDay(2024, 12, 31));
    ASSERT_TRUE(stub_->GetStudySummary(&context, before, &alone).ok());
    ASSERT_EQ(alone.total_sessions(), 1);
    EXPECT_FALSE(alone.answer_etag().empty());
    alone.clear_answer_etag();  // an answer's own; the year inside one has none
  }
  request.set_include_previous_year(true);
  {
    grpc::ClientContext context;
    ASSERT_TRUE(stub_->GetStudySummary(&context, request, &summary).ok());
  }
  EXPECT_EQ(summary.year(), 2025);
  EXPECT_EQ(summary.total_sessions(), 0);
  EXPECT_TRUE(summary.previous_year_answered());
  ASSERT_TRUE(summary.has_previous_year());
  EXPECT_EQ(summary.previous_year().SerializeAsString(), alone.SerializeAsString());
  EXPECT_EQ(summary.previous_year().by_kind(0).session_names_size(), 0);

  // No year before the earliest accepted: answered, and unset.
  request.set_year(kernel::kMinRecordYear);
  {
    grpc::ClientContext context;
    ASSERT_TRUE(stub_->GetStudySummary(&context, request, &summary).ok());
  }
  EXPECT_TRUE(summary.previous_year_answered());
  EXPECT_FALSE(summary.has_previous_year());
}

// Conditional reads: the same question about unchanged records is answered
// "not modified" (and nothing else) to the etag of the earlier answer; any
// write, or another question, gets a full answer.
TEST_F(StudyServiceTest, SummaryIsNotModifiedUntilSomethingIsWritten) {
  Create(ValidSession());
  auto ask = [&](const v1::GetStudySummaryRequest& request) {
    grpc::ClientContext context;
    v1::StudySummary summary;
    grpc::Status status = stub_->GetStudySummary(&context, request, &summary);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return summary;
  };
  v1::GetStudySummaryRequest request;
  request.set_org("orgs/org-a");
  request.set_year(2024);
  request.set_include_records(true);
  request.set_include_previous_year(true);
  const v1::StudySummary first = ask(request);
  ASSERT_EQ(first.total_sessions(), 1);
  ASSERT_EQ(first.answer_etag().size(), 32u);
  EXPECT_FALSE(first.not_modified());
  EXPECT_EQ(ask(request).answer_etag(), first.answer_etag());

  request.set_if_none_match(first.answer_etag());
  v1::StudySummary only_the_etag;
  only_the_etag.set_answer_etag(first.answer_etag());
  only_the_etag.set_not_modified(true);
  EXPECT_EQ(ask(request).SerializeAsString(), only_the_etag.SerializeAsString());

  // Another question about the same records: a full answer of its own.
  for (auto change : std::vector<std::function<void(v1::GetStudySummaryRequest&)>>{
           [](auto& r) { *r.mutable_as_of() = Date(2024, 6, 30); },
           [](auto& r) { r.set_include_records(false); },
           [](auto& r) { r.set_include_previous_year(false); },
           [](auto& r) { r.set_org("orgs/org-b"); }, [](auto& r) { r.set_year(2023); }}) {
    v1::GetStudySummaryRequest other = request;
    change(other);
    const v1::StudySummary answer = ask(other);
    EXPECT_FALSE(answer.not_modified()) << other.ShortDebugString();
    EXPECT_NE(answer.answer_etag(), first.answer_etag()) << other.ShortDebugString();
  }
  // The default day spelled out is the same question.
  v1::GetStudySummaryRequest spelled = request;
  *spelled.mutable_as_of() = Date(2024, 12, 31);
  EXPECT_TRUE(ask(spelled).not_modified());

  // A write, of any organization: a full answer, then "not modified" again.
  Create(ValidSession("第二次学法"), "orgs/org-b");
  v1::StudySummary after = ask(request);
  EXPECT_FALSE(after.not_modified());
  EXPECT_EQ(after.total_sessions(), 1);
  EXPECT_NE(after.answer_etag(), first.answer_etag());
  Create(ValidSession("第三次学法"));
  request.set_if_none_match(after.answer_etag());
  after = ask(request);
  EXPECT_FALSE(after.not_modified());
  EXPECT_EQ(after.total_sessions(), 2);
  request.set_if_none_match(after.answer_etag());
  EXPECT_TRUE(ask(request).not_modified());

  request.set_if_none_match("an etag of some other answer");
  EXPECT_EQ(ask(request).total_sessions(), 2);
  request.set_if_none_match(std::string(129, 'e'));
  grpc::ClientContext context;
  v1::StudySummary summary;
  EXPECT_THAT(BadFields(stub_->GetStudySummary(&context, request, &summary)),
              ElementsAre("if_none_match"));
}

TEST_F(StudyServiceTest, SummaryValidatesItsRequest) {
  grpc::ClientContext context;
  v1::GetStudySummaryRequest request;
  request.set_org("orgs/");
  v1::StudySummary summary;
  grpc::Status status = stub_->GetStudySummary(&context, request, &summary);
  EXPECT_THAT(BadFields(status), UnorderedElementsAre("org", "year"));
}

TEST_F(StudyServiceTest, RequestIdIsEchoed) {
  grpc::ClientContext context;
  context.AddMetadata("x-request-id", "trace-123");
  v1::GetSessionRequest request;
  request.set_name("orgs/org-a/sessions/none");
  v1::Session got;
  EXPECT_EQ(stub_->GetSession(&context, request, &got).error_code(), grpc::StatusCode::NOT_FOUND);
  auto it = context.GetServerInitialMetadata().find("x-request-id");
  ASSERT_NE(it, context.GetServerInitialMetadata().end());
  EXPECT_EQ(std::string(it->second.data(), it->second.size()), "trace-123");
}

class StartingStudyServiceTest : public StudyServiceTest {
 protected:
  StartingStudyServiceTest() { open_store_ = false; }
};

TEST_F(StartingStudyServiceTest, NotServingUntilTheStoreIsReady) {
  auto health = grpc::health::v1::Health::NewStub(channel_);
  auto check = [&] {
    grpc::ClientContext context;
    grpc::health::v1::HealthCheckRequest request;
    grpc::health::v1::HealthCheckResponse response;
    EXPECT_TRUE(health->Check(&context, request, &response).ok());
    return response.status();
  };
  EXPECT_EQ(check(), grpc::health::v1::HealthCheckResponse::NOT_SERVING);
  {
    grpc::ClientContext context;
    v1::GetSessionRequest request;
    request.set_name("orgs/org-a/sessions/x");
    v1::Session got;
    EXPECT_EQ(stub_->GetSession(&context, request, &got).error_code(),
              grpc::StatusCode::UNAVAILABLE);
  }
  Ready();
  EXPECT_EQ(check(), grpc::health::v1::HealthCheckResponse::SERVING);
  server_.Drain();
}

}  // namespace
}  // namespace fazhi::study
