// Handler tests: the real service on an in-process server, a real generated
// client, a real SQLite file.

#include "services/duty/duty_service.h"

#include <grpcpp/grpcpp.h>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/sql/sqlite_database.h"
#include "services/duty/sql_duty_store.h"
#include "tests/testing/service_test.h"
#include "tests/testing/temp_dir.h"

namespace fazhi::duty {
namespace {

using ::fazhi::testing::BadFields;
using ::fazhi::testing::Date;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

v1::Power ValidPower(const std::string& code, const std::string& domain = "殡葬") {
  v1::Power p;
  p.set_code(code);
  p.set_item_name("对违法建设殡葬设施的行政处罚");
  p.set_type(v1::POWER_TYPE_PENALTY);
  p.set_domain(domain);
  p.add_setting_basis("《殡葬管理条例》第十八条");
  auto* stage = p.add_stages();
  stage->set_stage("受理");
  stage->set_duty("接收举报");
  return p;
}

v1::Officer ValidOfficer(const std::string& person, const std::string& domain = "殡葬",
                         bool legal = false) {
  v1::Officer o;
  o.set_person_id(person);
  o.set_display_name("执法员" + person);
  o.add_domains(domain);
  o.set_established(true);
  o.set_legal_qualification(legal);
  auto* c = o.mutable_certificate();
  c->set_number("ZF" + person);
  *c->mutable_issued_date() = Date(2021, 1, 1);
  *c->mutable_expiry_date() = Date(2026, 12, 31);
  c->set_status(v1::CERTIFICATE_STATUS_VALID);
  auto* t = o.add_training();
  t->set_year(2024);
  t->set_hours(64);
  return o;
}

class DutyServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::make_unique<sql::SqliteDatabase>(dir_.File("duty.db"));
    ASSERT_TRUE(fazhi::testing::OpenAndMigrate(*db_, Migrations()).ok());
    store_ = std::make_unique<SqlDutyStore>(db_.get());
    service_ = std::make_unique<DutyServiceImpl>(store_.get(), server_.calls(),
                                                 [] { return absl::CivilDay(2025, 3, 1); });
    ASSERT_TRUE(server_.Start(service_.get(), v1::DutyService::service_full_name()).ok());
    server_.MarkServing();
    stub_ = v1::DutyService::NewStub(server_.NewChannel());
  }
  void TearDown() override { server_.Drain(); }

  v1::Power CreatePower(const v1::Power& power) {
    grpc::ClientContext context;
    v1::CreatePowerRequest request;
    request.set_parent("orgs/org-a");
    *request.mutable_power() = power;
    v1::Power response;
    grpc::Status status = stub_->CreatePower(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  v1::Officer CreateOfficer(const v1::Officer& officer) {
    grpc::ClientContext context;
    v1::CreateOfficerRequest request;
    request.set_parent("orgs/org-a");
    *request.mutable_officer() = officer;
    v1::Officer response;
    grpc::Status status = stub_->CreateOfficer(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  grpc::Status Pin(const std::string& power, const std::string& officer, v1::Assignment* out,
                   v1::AssignmentRole role = v1::ASSIGNMENT_ROLE_ASSISTANT) {
    grpc::ClientContext context;
    v1::CreateAssignmentRequest request;
    request.set_parent(power);
    request.set_officer(officer);
    request.mutable_assignment()->set_role(role);
    return stub_->CreateAssignment(&context, request, out);
  }

  v1::AllocateDutiesResponse Allocate(bool dry_run) {
    grpc::ClientContext context;
    v1::AllocateDutiesRequest request;
    request.set_parent("orgs/org-a");
    request.set_dry_run(dry_run);
    *request.mutable_as_of() = Date(2025, 1, 1);
    v1::AllocateDutiesResponse response;
    grpc::Status status = stub_->AllocateDuties(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  std::vector<v1::Assignment> Assignments() {
    grpc::ClientContext context;
    v1::ListAssignmentsRequest request;
    request.set_parent("orgs/org-a/powers/-");
    request.set_page_size(1000);
    v1::ListAssignmentsResponse response;
    EXPECT_TRUE(stub_->ListAssignments(&context, request, &response).ok());
    return {response.assignments().begin(), response.assignments().end()};
  }

  fazhi::testing::TempDir dir_;
  std::unique_ptr<sql::SqliteDatabase> db_;
  fazhi::testing::InProcessServer server_;
  std::unique_ptr<SqlDutyStore> store_;
  std::unique_ptr<DutyServiceImpl> service_;
  std::unique_ptr<v1::DutyService::Stub> stub_;
};

TEST_F(DutyServiceTest, CreateGetUpdatePower) {
  v1::Power created = CreatePower(ValidPower("BZ-001"));
  EXPECT_THAT(created.name(), ::testing::StartsWith("orgs/org-a/powers/"));
  EXPECT_EQ(created.etag(), "W/\"1\"");
  v1::Power got;
  {
    grpc::ClientContext context;
    v1::GetPowerRequest request;
    request.set_name(created.name());
    ASSERT_TRUE(stub_->GetPower(&context, request, &got).ok());
  }
  EXPECT_EQ(got.SerializeAsString(), created.SerializeAsString());

  v1::UpdatePowerRequest update;
  update.mutable_power()->set_name(created.name());
  update.mutable_power()->set_etag(created.etag());
  update.mutable_power()->set_needs_legal_review(true);
  update.mutable_update_mask()->add_paths("needs_legal_review");
  v1::Power updated;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(stub_->UpdatePower(&context, update, &updated).ok());
  }
  EXPECT_TRUE(updated.needs_legal_review());
  EXPECT_EQ(updated.code(), "BZ-001");
  grpc::ClientContext context;  // stale etag
  EXPECT_EQ(stub_->UpdatePower(&context, update, &updated).error_code(), grpc::StatusCode::ABORTED);
}

TEST_F(DutyServiceTest, InvalidPowerNamesEveryField) {
  v1::Power bad = ValidPower("bad code!");
  bad.set_item_name("");
  bad.set_type(static_cast<v1::PowerType>(42));
  bad.set_domain("");
  bad.set_required_officers(1);
  bad.set_post("orgs/other-org/posts/x");
  bad.mutable_stages(0)->set_stage("");
  grpc::ClientContext context;
  v1::CreatePowerRequest request;
  request.set_parent("orgs/org-a");
  *request.mutable_power() = bad;
  v1::Power response;
  grpc::Status status = stub_->CreatePower(&context, request, &response);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(status), UnorderedElementsAre("power.code", "power.item_name", "power.type",
                                                      "power.domain", "power.required_officers",
                                                      "power.post", "power.stages[0].stage"));
}

TEST_F(DutyServiceTest, InvalidOfficerNamesEveryField) {
  v1::Officer bad = ValidOfficer("P1");
  bad.mutable_certificate()->set_number("x");
  *bad.mutable_certificate()->mutable_expiry_date() = Date(2020, 1, 1);
  bad.mutable_certificate()->set_status(static_cast<v1::CertificateStatus>(9));
  bad.set_max_load(-1);
  bad.mutable_training(0)->set_hours(5000);
  bad.add_training()->set_year(2024);
  bad.set_established(false);
  bad.set_post("orgs/org-a/posts/p");
  grpc::ClientContext context;
  v1::CreateOfficerRequest request;
  request.set_parent("orgs/org-a");
  *request.mutable_officer() = bad;
  v1::Officer response;
  grpc::Status status = stub_->CreateOfficer(&context, request, &response);
  EXPECT_THAT(BadFields(status),
              UnorderedElementsAre("officer.post", "officer.certificate.number",
                                   "officer.certificate.expiry_date", "officer.certificate.status",
                                   "officer.training[0].hours", "officer.training[1].year",
                                   "officer.max_load"));
}

TEST_F(DutyServiceTest, HandMadeAssignmentIsRefusedWithTheReason) {
  v1::Power power = CreatePower(ValidPower("BZ-001"));
  v1::Officer other_domain = CreateOfficer(ValidOfficer("P1", "慈善"));
  v1::Officer expired_officer = ValidOfficer("P2");
  *expired_officer.mutable_certificate()->mutable_expiry_date() = Date(2024, 12, 31);
  v1::Officer expired = CreateOfficer(expired_officer);
  v1::Officer good = CreateOfficer(ValidOfficer("P3"));

  v1::Assignment out;
  grpc::Status status = Pin(power.name(), other_domain.name(), &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("not qualified for the domain \"殡葬\""));
  status = Pin(power.name(), expired.name(), &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("expired on 2024-12-31"));

  ASSERT_TRUE(Pin(power.name(), good.name(), &out, v1::ASSIGNMENT_ROLE_LEAD).ok());
  EXPECT_EQ(out.name(),
            power.name() + "/assignments/" + good.name().substr(good.name().rfind('/') + 1));
  EXPECT_EQ(out.origin(), v1::ASSIGNMENT_ORIGIN_PINNED);
  EXPECT_EQ(out.officer(), good.name());
  EXPECT_EQ(Pin(power.name(), good.name(), &out).error_code(), grpc::StatusCode::ALREADY_EXISTS);

  // Only the allocator makes computed assignments.
  grpc::ClientContext context;
  v1::CreateAssignmentRequest request;
  request.set_parent(power.name());
  request.set_officer(expired.name());
  request.mutable_assignment()->set_origin(v1::ASSIGNMENT_ORIGIN_COMPUTED);
  EXPECT_THAT(BadFields(stub_->CreateAssignment(&context, request, &out)),
              ElementsAre("assignment.origin"));
}

TEST_F(DutyServiceTest, DeletingAReferencedPowerOrOfficerSaysSo) {
  v1::Power power = CreatePower(ValidPower("BZ-001"));
  v1::Officer officer = CreateOfficer(ValidOfficer("P1"));
  v1::Assignment a;
  ASSERT_TRUE(Pin(power.name(), officer.name(), &a).ok());
  google::protobuf::Empty empty;
  {
    grpc::ClientContext context;
    v1::DeletePowerRequest request;
    request.set_name(power.name());
    grpc::Status status = stub_->DeletePower(&context, request, &empty);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_THAT(status.error_message(), HasSubstr("referenced by 1 assignments"));
  }
  {
    grpc::ClientContext context;
    v1::DeleteOfficerRequest request;
    request.set_name(officer.name());
    EXPECT_EQ(stub_->DeleteOfficer(&context, request, &empty).error_code(),
              grpc::StatusCode::FAILED_PRECONDITION);
  }
  {
    grpc::ClientContext context;
    v1::DeleteAssignmentRequest request;
    request.set_name(a.name());
    ASSERT_TRUE(stub_->DeleteAssignment(&context, request, &empty).ok());
  }
  grpc::ClientContext context;
  v1::DeletePowerRequest request;
  request.set_name(power.name());
  EXPECT_TRUE(stub_->DeletePower(&context, request, &empty).ok());
}

TEST_F(DutyServiceTest, ImportReportsBadRowsAndStoresGoodOnes) {
  grpc::ClientContext context;
  fazhi::type::v1::ImportReport report;
  auto writer = stub_->ImportPowers(&context, &report);
  v1::ImportPowersRequest batch;
  batch.set_parent("orgs/org-a");
  *batch.add_powers() = ValidPower("BZ-001");
  v1::Power no_type = ValidPower("BZ-002");
  no_type.clear_type();
  *batch.add_powers() = no_type;
  *batch.add_powers() = ValidPower("BZ-001");  // duplicate code
  ASSERT_TRUE(writer->Write(batch));
  writer->WritesDone();
  ASSERT_TRUE(writer->Finish().ok());
  EXPECT_EQ(report.rows_received(), 3);
  EXPECT_EQ(report.rows_stored(), 1);
  ASSERT_EQ(report.results_size(), 2);
  EXPECT_EQ(report.results(0).row(), 1);
  EXPECT_EQ(report.results(0).field_errors(0).field(), "type");
  EXPECT_EQ(report.results(1).row(), 2);
  EXPECT_EQ(report.results(1).code(), static_cast<int>(grpc::StatusCode::ALREADY_EXISTS));
}

TEST_F(DutyServiceTest, DryRunStoresNothingCommitReplacesComputedAndKeepsPins) {
  v1::Power p1 = CreatePower(ValidPower("BZ-001"));
  v1::Power p2 = CreatePower(ValidPower("BZ-002"));
  v1::Officer a = CreateOfficer(ValidOfficer("P1"));
  CreateOfficer(ValidOfficer("P2"));
  CreateOfficer(ValidOfficer("P3"));
  v1::Assignment pin;
  ASSERT_TRUE(Pin(p1.name(), a.name(), &pin, v1::ASSIGNMENT_ROLE_LEAD).ok());

  v1::AllocateDutiesResponse dry = Allocate(/*dry_run=*/true);
  EXPECT_FALSE(dry.committed());
  EXPECT_EQ(dry.stats().staffed_powers(), 2);
  EXPECT_EQ(dry.stats().added(), 3);  // p1: pin + 1, p2: 2
  EXPECT_THAT(dry.method(), HasSubstr("NetworkSimplex"));
  EXPECT_EQ(Assignments().size(), 1u) << "a dry run stores nothing";

  v1::AllocateDutiesResponse committed = Allocate(/*dry_run=*/false);
  EXPECT_TRUE(committed.committed());
  std::vector<v1::Assignment> stored = Assignments();
  ASSERT_EQ(stored.size(), 4u);
  int pinned = 0, leads = 0;
  for (const auto& s : stored) {
    pinned += s.origin() == v1::ASSIGNMENT_ORIGIN_PINNED;
    leads += s.role() == v1::ASSIGNMENT_ROLE_LEAD;
  }
  EXPECT_EQ(pinned, 1);
  EXPECT_EQ(leads, 2);
  bool pin_kept = false;
  for (const auto& s : stored) {
    if (s.name() == pin.name())
      pin_kept = s.origin() == v1::ASSIGNMENT_ORIGIN_PINNED && s.etag() == pin.etag();
  }
  EXPECT_TRUE(pin_kept);

  // Again: nothing to change.
  v1::AllocateDutiesResponse again = Allocate(/*dry_run=*/false);
  EXPECT_EQ(again.stats().kept(), 3);
  EXPECT_EQ(again.stats().added(), 0);
  EXPECT_EQ(again.stats().removed(), 0);
}

TEST_F(DutyServiceTest, OneOfficerIsNeverEnoughAndTheGapShows) {
  v1::Power power = CreatePower(ValidPower("BZ-001"));
  CreateOfficer(ValidOfficer("P1"));
  v1::AllocateDutiesResponse plan = Allocate(/*dry_run=*/false);
  EXPECT_EQ(plan.stats().staffed_powers(), 0);
  ASSERT_EQ(plan.unstaffed_size(), 1);
  EXPECT_EQ(plan.unstaffed(0).reason(), v1::UNSTAFFED_REASON_NO_QUALIFIED_OFFICER);
  EXPECT_EQ(plan.unstaffed(0).required_officers(), 2);
  EXPECT_EQ(plan.unstaffed(0).qualified_officers(), 1);
  EXPECT_TRUE(Assignments().empty());

  grpc::ClientContext context;
  v1::GetCoverageRequest request;
  request.set_org("orgs/org-a");
  *request.mutable_as_of() = Date(2025, 1, 1);
  v1::Coverage coverage;
  ASSERT_TRUE(stub_->GetCoverage(&context, request, &coverage).ok());
  EXPECT_EQ(coverage.totals().powers(), 1);
  EXPECT_EQ(coverage.totals().officers(), 1);
  std::vector<v1::GapType> types;
  for (const auto& gap : coverage.gaps()) types.push_back(gap.type());
  EXPECT_THAT(types, ElementsAre(v1::GAP_TYPE_DOMAIN_WITHOUT_LEGAL_REVIEWER,
                                 v1::GAP_TYPE_TRAINING_HOURS_SHORT, v1::GAP_TYPE_POWER_UNASSIGNED));
  EXPECT_EQ(coverage.gaps(2).power(), power.name());
}

TEST_F(DutyServiceTest, SummaryAndCoverageValidateTheirRequests) {
  grpc::ClientContext context;
  v1::GetDutySummaryRequest request;
  request.set_org("orgs/");
  request.set_expiring_within_days(-1);
  *request.mutable_as_of() = Date(2024, 2, 30);
  v1::DutySummary summary;
  EXPECT_THAT(BadFields(stub_->GetDutySummary(&context, request, &summary)),
              UnorderedElementsAre("org", "year", "as_of", "expiring_within_days"));
  grpc::ClientContext context2;
  v1::AllocateDutiesRequest allocate;
  allocate.set_parent("orgs/org-a");
  *allocate.mutable_as_of() = Date(2024, 13, 1);
  v1::AllocateDutiesResponse response;
  EXPECT_THAT(BadFields(stub_->AllocateDuties(&context2, allocate, &response)),
              ElementsAre("as_of"));
}

TEST_F(DutyServiceTest, SummaryCountsTheYear) {
  CreatePower(ValidPower("BZ-001"));
  CreatePower(ValidPower("CS-001", "慈善"));
  CreateOfficer(ValidOfficer("P1", "殡葬", true));
  CreateOfficer(ValidOfficer("P2"));
  Allocate(/*dry_run=*/false);
  grpc::ClientContext context;
  v1::GetDutySummaryRequest request;
  request.set_org("orgs/org-a");
  request.set_year(2024);
  v1::DutySummary summary;
  ASSERT_TRUE(stub_->GetDutySummary(&context, request, &summary).ok());
  EXPECT_EQ(summary.as_of().year(), 2024);
  EXPECT_EQ(summary.as_of().month(), 12);
  EXPECT_EQ(summary.totals().powers(), 2);
  EXPECT_EQ(summary.totals().staffed_powers(), 1);
  EXPECT_EQ(summary.totals().certified_officers(), 2);
  EXPECT_EQ(summary.totals().certified_legally_qualified_officers(), 1);
  EXPECT_EQ(summary.totals().training_hours(), 128);
  EXPECT_EQ(summary.totals().officers_meeting_training(), 2);
  ASSERT_EQ(summary.totals().powers_by_domain_size(), 2);
  EXPECT_EQ(summary.totals().powers_by_domain(0).domain(), "慈善");
  // Without asking, no record lists; the unstaffed power says why.
  EXPECT_EQ(summary.powers_size(), 0);
  EXPECT_EQ(summary.officers_size(), 0);
  for (const auto& gap : summary.gaps()) {
    if (gap.type() == v1::GAP_TYPE_POWER_UNASSIGNED) {
      EXPECT_EQ(gap.reason(), v1::UNSTAFFED_REASON_NO_QUALIFIED_OFFICER) << gap.power_code();
    }
  }

  grpc::ClientContext with_records;
  request.set_include_records(true);
  ASSERT_TRUE(stub_->GetDutySummary(&with_records, request, &summary).ok());
  ASSERT_EQ(summary.powers_size(), 2);
  EXPECT_THAT(summary.powers(0).power(), ::testing::StartsWith("orgs/org-a/powers/"));
  ASSERT_EQ(summary.officers_size(), 2);
  for (const auto& o : summary.officers()) {
    EXPECT_THAT(o.officer(), ::testing::StartsWith("orgs/org-a/officers/"));
    EXPECT_TRUE(o.certified());
    EXPECT_TRUE(o.training_applies());
  }
}

// Conditional reads (as study's summary): "not modified" to the earlier
// answer's etag until a write or another question.
TEST_F(DutyServiceTest, SummaryIsNotModifiedUntilSomethingIsWritten) {
  CreatePower(ValidPower("BZ-001"));
  CreateOfficer(ValidOfficer("P1", "殡葬", true));
  auto ask = [&](const v1::GetDutySummaryRequest& request) {
    grpc::ClientContext context;
    v1::DutySummary summary;
    grpc::Status status = stub_->GetDutySummary(&context, request, &summary);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return summary;
  };
  v1::GetDutySummaryRequest request;
  request.set_org("orgs/org-a");
  request.set_year(2024);
  request.set_include_records(true);
  const v1::DutySummary first = ask(request);
  ASSERT_EQ(first.totals().powers(), 1);
  ASSERT_FALSE(first.answer_etag().empty());
  request.set_if_none_match(first.answer_etag());
  v1::DutySummary only_the_etag;
  only_the_etag.set_answer_etag(first.answer_etag());
  only_the_etag.set_not_modified(true);
  EXPECT_EQ(ask(request).SerializeAsString(), only_the_etag.SerializeAsString());

  v1::GetDutySummaryRequest other = request;
  other.set_expiring_within_days(30);
  EXPECT_FALSE(ask(other).not_modified());
  other = request;
  *other.mutable_as_of() = Date(2024, 6, 30);
  EXPECT_FALSE(ask(other).not_modified());

  CreatePower(ValidPower("CS-001", "慈善"));
  const v1::DutySummary after = ask(request);
  EXPECT_FALSE(after.not_modified());
  EXPECT_EQ(after.totals().powers(), 2);
  EXPECT_NE(after.answer_etag(), first.answer_etag());
  request.set_if_none_match(after.answer_etag());
  EXPECT_TRUE(ask(request).not_modified());

  request.set_if_none_match(std::string(129, 'e'));
  grpc::ClientContext context;
  v1::DutySummary summary;
  EXPECT_THAT(BadFields(stub_->GetDutySummary(&context, request, &summary)),
              ::testing::ElementsAre("if_none_match"));
}

TEST_F(DutyServiceTest, PagingWalksEveryRowOnce) {
  for (int i = 0; i < 7; ++i) CreatePower(ValidPower("BZ-00" + std::to_string(i)));
  std::vector<std::string> seen;
  std::string token;
  int pages = 0;
  do {
    grpc::ClientContext context;
    v1::ListPowersRequest request;
    request.set_parent("orgs/org-a");
    request.set_page_size(3);
    request.set_domain("殡葬");
    request.set_page_token(token);
    v1::ListPowersResponse response;
    ASSERT_TRUE(stub_->ListPowers(&context, request, &response).ok());
    for (const auto& p : response.powers()) seen.push_back(p.code());
    token = response.next_page_token();
    ++pages;
  } while (!token.empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen.size(), 7u);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));

  grpc::ClientContext context;
  v1::ListPowersRequest request;
  request.set_parent("orgs/org-a");
  request.set_page_size(3);
  v1::ListPowersResponse response;
  ASSERT_TRUE(stub_->ListPowers(&context, request, &response).ok());
  grpc::ClientContext other;
  request.set_page_token(response.next_page_token());
  request.set_domain("慈善");
  EXPECT_THAT(BadFields(stub_->ListPowers(&other, request, &response)), ElementsAre("page_token"));
}

}  // namespace
}  // namespace fazhi::duty
