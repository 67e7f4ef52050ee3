// Handler tests: the real service on an in-process server, a real generated
// client, a real SQLite file.

#include "services/report/report_service.h"

#include <google/protobuf/util/message_differencer.h>
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/sql/sqlite_database.h"
#include "services/kernel/dates.h"
#include "services/kernel/digest.h"
#include "services/report/schedule.h"
#include "services/report/sql_report_store.h"
#include "tests/testing/service_test.h"
#include "tests/testing/temp_dir.h"

namespace fazhi::report {
namespace {

using ::fazhi::testing::BadDescription;
using ::fazhi::testing::BadFields;
using ::fazhi::testing::Date;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

v1::Organization ValidOrg(const std::string& full_name = "鲁山县民政局") {
  v1::Organization o;
  o.set_full_name(full_name);
  o.set_region("河南省平顶山市鲁山县");
  o.add_supervisors("orgs/lushan-yifazhixian");
  o.add_supervisors("orgs/pingdingshan-minzheng");
  o.set_credit_code("11410423005703518N");
  auto* contact = o.add_contacts();
  contact->set_name("王敏");
  contact->set_phone("0375-5012345");
  contact->set_email("fazhi@example.org");
  o.set_two_person_approval(true);
  return o;
}

class ReportServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::make_unique<sql::SqliteDatabase>(dir_.File("report.db"));
    ASSERT_TRUE(fazhi::testing::OpenAndMigrate(*db_, Migrations()).ok());
    store_ = std::make_unique<SqlReportStore>(db_.get());
    service_ = std::make_unique<ReportServiceImpl>(store_.get(), server_.calls(),
                                                   [this] { return Today(); });
    ASSERT_TRUE(server_.Start(service_.get(), v1::ReportService::service_full_name()).ok());
    server_.MarkServing();
    stub_ = v1::ReportService::NewStub(server_.NewChannel());
  }

  void TearDown() override { server_.Drain(); }

  template <typename Request, typename Response, typename Method>
  grpc::Status Call(Method method, const Request& request, Response* response) {
    grpc::ClientContext context;
    return (stub_.get()->*method)(&context, request, response);
  }

  v1::Organization CreateOrg(const std::string& id, v1::Organization org = ValidOrg()) {
    v1::CreateOrganizationRequest request;
    request.set_organization_id(id);
    *request.mutable_organization() = org;
    request.set_actor("admin");
    v1::Organization out;
    grpc::Status status = Call(&v1::ReportService::Stub::CreateOrganization, request, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return out;
  }

  grpc::Status TryCreateReport(const std::string& org, int year, const v1::Report& report,
                               v1::Report* out) {
    v1::CreateReportRequest request;
    request.set_parent("orgs/" + org);
    request.set_year(year);
    *request.mutable_report() = report;
    request.set_actor("clerk");
    return Call(&v1::ReportService::Stub::CreateReport, request, out);
  }

  v1::Report CreateReport(const std::string& org, int year, const v1::Report& report = {}) {
    v1::Report out;
    grpc::Status status = TryCreateReport(org, year, report, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return out;
  }

  template <typename Request>
  Request StepRequestFor(const std::string& name, const std::string& actor,
                         const std::string& comment = "") {
    Request request;
    request.set_name(name);
    request.set_actor(actor);
    request.set_comment(comment);
    return request;
  }

  grpc::Status Submit(const std::string& name, const std::string& actor, v1::Report* out) {
    return Call(&v1::ReportService::Stub::SubmitReport,
                StepRequestFor<v1::SubmitReportRequest>(name, actor), out);
  }
  grpc::Status Approve(const std::string& name, const std::string& actor, v1::Report* out) {
    return Call(&v1::ReportService::Stub::ApproveReport,
                StepRequestFor<v1::ApproveReportRequest>(name, actor, "同意报送"), out);
  }
  grpc::Status Publish(const std::string& name,
                       const std::vector<std::pair<std::string, std::string>>& docs,
                       v1::Report* out) {
    v1::PublishReportRequest request = StepRequestFor<v1::PublishReportRequest>(name, "office");
    for (const auto& [format, content] : docs) {
      auto* d = request.add_documents();
      d->set_format(format);
      d->set_media_type(format == "txt" ? "text/plain; charset=utf-8" : "application/octet-stream");
      d->set_content(content);
    }
    return Call(&v1::ReportService::Stub::PublishReport, request, out);
  }

  std::vector<v1::HistoryEntry> History(const std::string& org, const std::string& resource = "") {
    std::vector<v1::HistoryEntry> all;
    std::string token;
    for (int page = 0; page < 100; ++page) {
      v1::ListHistoryRequest request;
      request.set_parent("orgs/" + org);
      request.set_resource(resource);
      request.set_page_size(3);
      request.set_page_token(token);
      v1::ListHistoryResponse response;
      grpc::Status status = Call(&v1::ReportService::Stub::ListHistory, request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      all.insert(all.end(), response.entries().begin(), response.entries().end());
      token = response.next_page_token();
      if (token.empty()) break;
    }
    return all;
  }

  // The service's "today". Records carry the real time of the test run.
  // The handler reads the day on a server thread: a test that changes it
  // hands it over under a mutex (the hand-over through gRPC is invisible to
  // ThreadSanitizer, as Debian's gRPC is not instrumented).
  absl::CivilDay Today() {
    std::lock_guard<std::mutex> lock(today_mutex_);
    return today_;
  }
  void SetToday(absl::CivilDay day) {
    std::lock_guard<std::mutex> lock(today_mutex_);
    today_ = day;
  }
  std::mutex today_mutex_;
  absl::CivilDay today_ = kernel::DayInChina(absl::Now());
  fazhi::testing::TempDir dir_;
  std::unique_ptr<sql::SqliteDatabase> db_;
  fazhi::testing::InProcessServer server_;
  std::unique_ptr<SqlReportStore> store_;
  std::unique_ptr<ReportServiceImpl> service_;
  std::unique_ptr<v1::ReportService::Stub> stub_;
};

using Stub = v1::ReportService::Stub;

// ---------------------------------------------------------------------------
// Organizations.

TEST_F(ReportServiceTest, OrganizationCreateGetAndCreditCodeNormalized) {
  v1::Organization org = ValidOrg();
  org.set_credit_code(" 11410423005703518n ");
  v1::Organization created = CreateOrg("lushan-minzheng", org);
  EXPECT_EQ(created.name(), "orgs/lushan-minzheng");
  EXPECT_EQ(created.credit_code(), "11410423005703518N");
  EXPECT_EQ(created.etag(), "W/\"1\"");
  v1::GetOrganizationRequest get;
  get.set_name("orgs/lushan-minzheng");
  v1::Organization got;
  ASSERT_TRUE(Call(&Stub::GetOrganization, get, &got).ok());
  EXPECT_EQ(got.SerializeAsString(), created.SerializeAsString());
  EXPECT_THAT(got.supervisors(),
              ElementsAre("orgs/lushan-yifazhixian", "orgs/pingdingshan-minzheng"));
}

TEST_F(ReportServiceTest, BadOrganizationNamesEveryFieldAndStoresNothing) {
  v1::Organization org = ValidOrg("");
  org.set_credit_code("11410423005703518A");  // wrong check character
  org.add_supervisors("lushan-yifazhixian");  // not a name
  org.add_supervisors("orgs/bad-org");        // itself
  org.mutable_contacts(0)->set_email("not-an-address");
  org.mutable_contacts(0)->set_phone("call me");
  v1::CreateOrganizationRequest request;
  request.set_organization_id("bad-org");
  *request.mutable_organization() = org;
  v1::Organization out;
  grpc::Status status = Call(&Stub::CreateOrganization, request, &out);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(status),
              UnorderedElementsAre("organization.full_name", "organization.credit_code",
                                   "organization.supervisors[2]", "organization.supervisors[3]",
                                   "organization.contacts[0].email",
                                   "organization.contacts[0].phone", "actor"));
  EXPECT_THAT(BadDescription(status, "organization.credit_code"), HasSubstr("check character"));
  v1::GetOrganizationRequest get;
  get.set_name("orgs/bad-org");
  EXPECT_EQ(Call(&Stub::GetOrganization, get, &out).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_TRUE(History("bad-org").empty());

  request.set_organization_id("Bad_Org");
  EXPECT_THAT(BadFields(Call(&Stub::CreateOrganization, request, &out)),
              ::testing::Contains("organization_id"));
}

TEST_F(ReportServiceTest, FindingRemediesAreCheckedAndKept) {
  v1::Organization org = ValidOrg();
  auto* good = org.add_finding_remedies();
  good->set_finding("duty.staff_short");
  good->set_cause("编制所限");
  good->set_rectification("{{next_year}}年补充执法人员");
  good->set_owner("人事股");
  good->mutable_due_date()->set_month(6);  // year 0: the year after the report's
  good->mutable_due_date()->set_day(30);
  v1::Organization created = CreateOrg("lushan-minzheng", org);
  ASSERT_EQ(created.finding_remedies_size(), 1);
  EXPECT_EQ(created.finding_remedies(0).SerializeAsString(), good->SerializeAsString());

  auto* unknown = org.add_finding_remedies();
  unknown->set_finding("duty.understaffed");
  auto* repeated = org.add_finding_remedies();
  repeated->set_finding("duty.staff_short");
  repeated->set_cause("{{unclosed");
  repeated->mutable_due_date()->set_month(2);
  repeated->mutable_due_date()->set_day(29);  // not in every year
  v1::CreateOrganizationRequest request;
  request.set_organization_id("other");
  request.set_actor("admin");
  *request.mutable_organization() = org;
  v1::Organization out;
  grpc::Status status = Call(&Stub::CreateOrganization, request, &out);
  EXPECT_THAT(BadFields(status), UnorderedElementsAre("organization.finding_remedies[1].finding",
                                                      "organization.finding_remedies[2].finding",
                                                      "organization.finding_remedies[2].cause",
                                                      "organization.finding_remedies[2].due_date"));
  EXPECT_THAT(BadDescription(status, "organization.finding_remedies[1].finding"),
              HasSubstr("duty.staff_short"));
}

// A remedy's owner is a unit or a person, like a shortcoming's: up to 100
// characters, as the proto says.
TEST_F(ReportServiceTest, FindingRemedyOwnerTakesAHundredCharacters) {
  v1::Organization org = ValidOrg();
  auto* remedy = org.add_finding_remedies();
  remedy->set_finding("duty.staff_short");
  std::string owner;
  for (int i = 0; i < 100; ++i) owner += "股";
  remedy->set_owner(owner);
  v1::Organization created = CreateOrg("lushan-minzheng", org);
  EXPECT_EQ(created.finding_remedies(0).owner(), owner);

  org.mutable_finding_remedies(0)->set_owner(owner + "股");
  v1::CreateOrganizationRequest request;
  request.set_organization_id("other");
  request.set_actor("admin");
  *request.mutable_organization() = org;
  v1::Organization out;
  EXPECT_THAT(BadFields(Call(&Stub::CreateOrganization, request, &out)),
              UnorderedElementsAre("organization.finding_remedies[0].owner"));
}

TEST_F(ReportServiceTest, NumbersTypedByHandAreWarnedAboutNotRefused) {
  CreateOrg("lushan-minzheng");
  v1::Report report;
  report.add_preamble("{{year}}年，全局组织学习12次。");
  auto* item = report.add_sections();
  item->set_item(v1::CONTENT_ITEM_MEASURES);
  item->add_items()->add_paragraphs(
      "围绕“12·4”国家宪法日，依照《行政处罚法》第42条，参加{{study.oath.takers}}人。");
  report.add_shortcomings()->set_problem("持证人员仅5人");
  v1::Report created = CreateReport("lushan-minzheng", 2024, report);
  std::vector<std::string> fields;
  for (const auto& w : created.warnings()) fields.push_back(w.field());
  EXPECT_THAT(fields, ElementsAre("report.preamble[0]", "report.shortcomings[0].problem"));
  EXPECT_THAT(created.warnings(0).description(), HasSubstr("\"12\""));
  // Every read says it again.
  v1::GetReportRequest get;
  get.set_name("orgs/lushan-minzheng/reports/2024");
  v1::Report got;
  ASSERT_TRUE(Call(&Stub::GetReport, get, &got).ok());
  EXPECT_EQ(got.warnings_size(), 2);
}

TEST_F(ReportServiceTest, AddresseeIsItsOwnElseTheFirstRegisteredSupervisors) {
  // ValidOrg names orgs/lushan-yifazhixian first: not registered yet.
  EXPECT_EQ(CreateOrg("lushan-minzheng").effective_addressee(), "");
  v1::Organization office = ValidOrg("中共鲁山县委全面依法治县委员会办公室");
  office.clear_supervisors();
  office.clear_credit_code();
  CreateOrg("lushan-yifazhixian", office);
  v1::GetOrganizationRequest get;
  get.set_name("orgs/lushan-minzheng");
  v1::Organization got;
  ASSERT_TRUE(Call(&Stub::GetOrganization, get, &got).ok());
  EXPECT_EQ(got.addressee(), "");
  EXPECT_EQ(got.effective_addressee(), "中共鲁山县委全面依法治县委员会办公室");
  v1::ListOrganizationsRequest list;
  v1::ListOrganizationsResponse listed;
  ASSERT_TRUE(Call(&Stub::ListOrganizations, list, &listed).ok());
  ASSERT_EQ(listed.organizations_size(), 2);
  EXPECT_EQ(listed.organizations(0).effective_addressee(), "中共鲁山县委全面依法治县委员会办公室");

  // Its own addressee wins, and is stored.
  v1::UpdateOrganizationRequest update;
  update.mutable_organization()->set_name("orgs/lushan-minzheng");
  update.mutable_organization()->set_etag(got.etag());
  update.mutable_organization()->set_addressee("县委依法治县办");
  update.mutable_update_mask()->add_paths("addressee");
  update.set_actor("admin");
  v1::Organization updated;
  ASSERT_TRUE(Call(&Stub::UpdateOrganization, update, &updated).ok());
  EXPECT_EQ(updated.addressee(), "县委依法治县办");
  EXPECT_EQ(updated.effective_addressee(), "县委依法治县办");
  ASSERT_TRUE(Call(&Stub::GetOrganization, get, &got).ok());
  EXPECT_EQ(got.addressee(), "县委依法治县办");
  // It is computed, not set.
  update.mutable_organization()->set_etag(got.etag());
  update.mutable_update_mask()->add_paths("effective_addressee");
  EXPECT_THAT(BadFields(Call(&Stub::UpdateOrganization, update, &updated)),
              ElementsAre("update_mask.paths[1]"));
}

TEST_F(ReportServiceTest, AddresseeAndDocumentNumberAreValidated) {
  v1::Organization org = ValidOrg();
  org.set_addressee("县委\n县政府");
  v1::CreateOrganizationRequest request;
  request.set_organization_id("a");
  *request.mutable_organization() = org;
  request.set_actor("admin");
  v1::Organization out;
  EXPECT_THAT(BadFields(Call(&Stub::CreateOrganization, request, &out)),
              ElementsAre("organization.addressee"));
  request.mutable_organization()->set_addressee(std::string(101, 'x'));
  EXPECT_THAT(BadFields(Call(&Stub::CreateOrganization, request, &out)),
              ElementsAre("organization.addressee"));

  CreateOrg("a");
  v1::Report report;
  report.set_document_number("鲁民[2025]03号");
  v1::Report created;
  grpc::Status status = TryCreateReport("a", 2024, report, &created);
  EXPECT_THAT(BadFields(status), ElementsAre("report.document_number"));
  EXPECT_THAT(BadDescription(status, "report.document_number"), HasSubstr("〔〕"));
  report.set_document_number("鲁民〔2025〕3号");
  created = CreateReport("a", 2024, report);
  EXPECT_EQ(created.document_number(), "鲁民〔2025〕3号");
}

TEST_F(ReportServiceTest, OrganizationUpdateNeedsAFreshEtag) {
  v1::Organization created = CreateOrg("a");
  v1::UpdateOrganizationRequest request;
  request.mutable_organization()->set_name("orgs/a");
  request.mutable_organization()->set_region("鲁山县");
  request.mutable_update_mask()->add_paths("region");
  request.set_actor("admin");
  v1::Organization out;
  grpc::Status missing = Call(&Stub::UpdateOrganization, request, &out);
  EXPECT_THAT(BadFields(missing), ElementsAre("organization.etag"));

  request.mutable_organization()->set_etag(created.etag());
  ASSERT_TRUE(Call(&Stub::UpdateOrganization, request, &out).ok());
  EXPECT_EQ(out.region(), "鲁山县");
  EXPECT_EQ(out.full_name(), "鲁山县民政局");  // not in the mask
  EXPECT_EQ(out.etag(), "W/\"2\"");
  EXPECT_EQ(Call(&Stub::UpdateOrganization, request, &out).error_code(), grpc::StatusCode::ABORTED);

  request.mutable_organization()->set_etag("W/\"2\"");
  request.mutable_organization()->set_credit_code("91110000802100433C");
  request.mutable_update_mask()->set_paths(0, "credit_code");
  EXPECT_THAT(BadFields(Call(&Stub::UpdateOrganization, request, &out)),
              ElementsAre("organization.credit_code"));
}

TEST_F(ReportServiceTest, ListOrganizationsPagesAndFiltersBySupervisor) {
  for (const char* id : {"a", "b", "c"}) {
    v1::Organization org = ValidOrg(std::string("局") + id);
    org.clear_credit_code();
    if (std::string(id) == "c") org.clear_supervisors();
    CreateOrg(id, org);
  }
  std::vector<std::string> seen;
  std::string token;
  for (int i = 0; i < 10; ++i) {
    v1::ListOrganizationsRequest request;
    request.set_supervisor("orgs/lushan-yifazhixian");
    request.set_page_size(1);
    request.set_page_token(token);
    v1::ListOrganizationsResponse response;
    ASSERT_TRUE(Call(&Stub::ListOrganizations, request, &response).ok());
    for (const auto& o : response.organizations()) seen.push_back(o.name());
    token = response.next_page_token();
    if (token.empty()) break;
  }
  EXPECT_THAT(seen, ElementsAre("orgs/a", "orgs/b"));

  v1::ListOrganizationsRequest first;
  first.set_page_size(1);
  v1::ListOrganizationsResponse response;
  ASSERT_TRUE(Call(&Stub::ListOrganizations, first, &response).ok());
  v1::ListOrganizationsRequest other_filter;
  other_filter.set_page_token(response.next_page_token());
  other_filter.set_supervisor("orgs/lushan-yifazhixian");
  EXPECT_THAT(BadFields(Call(&Stub::ListOrganizations, other_filter, &response)),
              ElementsAre("page_token"));
}

// ---------------------------------------------------------------------------
// Reports.

TEST_F(ReportServiceTest, NewReportGetsDefaultTitleLayoutAndDueDates) {
  CreateOrg("lushan-minzheng");
  v1::Report created = CreateReport("lushan-minzheng", 2024);
  EXPECT_EQ(created.name(), "orgs/lushan-minzheng/reports/2024");
  EXPECT_EQ(created.title(), "鲁山县民政局关于2024年法治政府建设情况的报告");
  EXPECT_EQ(created.layout().preset(), v1::LAYOUT_PRESET_REGULATION);
  ASSERT_EQ(created.layout().entries_size(), 5);
  EXPECT_EQ(created.layout().entries(0).item(), v1::CONTENT_ITEM_MEASURES);
  EXPECT_EQ(created.due_dates().submit_before().month(), 3);
  EXPECT_EQ(created.due_dates().publish_before().year(), 2025);
  EXPECT_EQ(created.state(), v1::REPORT_STATE_DRAFT);
  EXPECT_EQ(created.revision(), 1);
  EXPECT_EQ(created.published_revision(), 0);

  v1::Report out;
  EXPECT_EQ(TryCreateReport("lushan-minzheng", 2024, {}, &out).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(TryCreateReport("nobody", 2024, {}, &out).error_code(), grpc::StatusCode::NOT_FOUND);
}

// GetReportInputs answers what GetOrganization and GetReport answer, in one
// call; a report not started is simply absent.
TEST_F(ReportServiceTest, ReportInputsAreTheOrganizationAndTheReportOfTheYear) {
  using google::protobuf::util::MessageDifferencer;
  CreateOrg("lushan-minzheng");
  v1::Organization office = ValidOrg("中共鲁山县委全面依法治县委员会办公室");
  office.clear_supervisors();
  office.clear_credit_code();
  CreateOrg("lushan-yifazhixian", office);
  v1::GetOrganizationRequest get_org;
  get_org.set_name("orgs/lushan-minzheng");
  v1::Organization org;
  ASSERT_TRUE(Call(&Stub::GetOrganization, get_org, &org).ok());

  v1::GetReportInputsRequest request;
  request.set_name("orgs/lushan-minzheng/reports/2024");
  v1::ReportInputs inputs;
  ASSERT_TRUE(Call(&Stub::GetReportInputs, request, &inputs).ok());
  EXPECT_TRUE(MessageDifferencer::Equals(inputs.organization(), org));
  EXPECT_EQ(inputs.organization().effective_addressee(), "中共鲁山县委全面依法治县委员会办公室");
  EXPECT_FALSE(inputs.has_report());

  CreateReport("lushan-minzheng", 2024);
  v1::GetReportRequest get_report;
  get_report.set_name("orgs/lushan-minzheng/reports/2024");
  v1::Report report;
  ASSERT_TRUE(Call(&Stub::GetReport, get_report, &report).ok());
  ASSERT_TRUE(Call(&Stub::GetReportInputs, request, &inputs).ok());
  EXPECT_TRUE(MessageDifferencer::Equals(inputs.organization(), org));
  ASSERT_TRUE(inputs.has_report());
  EXPECT_TRUE(MessageDifferencer::Equals(inputs.report(), report));

  request.set_name("orgs/lushan-minzheng/reports/2025");  // another year: not started
  ASSERT_TRUE(Call(&Stub::GetReportInputs, request, &inputs).ok());
  EXPECT_FALSE(inputs.has_report());

  request.set_name("orgs/nobody/reports/2024");
  grpc::Status missing = Call(&Stub::GetReportInputs, request, &inputs);
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(missing.error_message(), HasSubstr("orgs/nobody"));
  for (const char* bad : {"orgs/lushan-minzheng", "orgs/lushan-minzheng/reports/twenty", ""}) {
    request.set_name(bad);
    EXPECT_THAT(BadFields(Call(&Stub::GetReportInputs, request, &inputs)), ElementsAre("name"))
        << bad;
  }
}

// Conditional reads: "not modified" to the earlier answer's etag until a
// write (here the report started) changes what the answer would be.
TEST_F(ReportServiceTest, ReportInputsAreNotModifiedUntilSomethingIsWritten) {
  CreateOrg("lushan-minzheng");
  v1::GetReportInputsRequest request;
  request.set_name("orgs/lushan-minzheng/reports/2024");
  v1::ReportInputs first;
  ASSERT_TRUE(Call(&Stub::GetReportInputs, request, &first).ok());
  ASSERT_FALSE(first.answer_etag().empty());
  EXPECT_FALSE(first.has_report());

  request.set_if_none_match(first.answer_etag());
  v1::ReportInputs unchanged;
  ASSERT_TRUE(Call(&Stub::GetReportInputs, request, &unchanged).ok());
  EXPECT_TRUE(unchanged.not_modified());
  EXPECT_EQ(unchanged.answer_etag(), first.answer_etag());
  EXPECT_FALSE(unchanged.has_organization());

  v1::GetReportInputsRequest other = request;
  other.set_name("orgs/lushan-minzheng/reports/2025");
  v1::ReportInputs another;
  ASSERT_TRUE(Call(&Stub::GetReportInputs, other, &another).ok());
  EXPECT_FALSE(another.not_modified());
  EXPECT_TRUE(another.has_organization());

  CreateReport("lushan-minzheng", 2024);
  v1::ReportInputs after;
  ASSERT_TRUE(Call(&Stub::GetReportInputs, request, &after).ok());
  EXPECT_FALSE(after.not_modified());
  EXPECT_TRUE(after.has_report());
  EXPECT_NE(after.answer_etag(), first.answer_etag());

  request.set_if_none_match(std::string(129, 'e'));
  EXPECT_THAT(BadFields(Call(&Stub::GetReportInputs, request, &after)),
              ElementsAre("if_none_match"));
}

TEST_F(ReportServiceTest, PlaceholderSyntaxErrorsAreNamedByFieldAndPosition) {
  CreateOrg("a");
  v1::Report report;
  report.set_title("{{org.name}}关于{{year}}年的报告");  // fine
  auto* section = report.add_sections();
  section->set_item(v1::CONTENT_ITEM_MEASURES);
  section->add_items()->add_paragraphs("全年开展{{study.sessions.all_staff}}次学习");
  auto* bad = section->add_items();
  bad->set_heading("（二）普法");
  bad->add_paragraphs("制作展板{{study.publicity.display_boards");
  report.add_shortcomings()->set_problem("执法人员仅{{duty.Officers}}名");
  report.add_plan_items()->set_heading("{{}}");
  v1::Report out;
  grpc::Status status = TryCreateReport("a", 2024, report, &out);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(status), UnorderedElementsAre("report.sections[0].items[1].paragraphs[0]",
                                                      "report.shortcomings[0].problem",
                                                      "report.plan_items[0].heading"));
  EXPECT_EQ(BadDescription(status, "report.sections[0].items[1].paragraphs[0]"),
            "at character 5: unclosed placeholder: this \"{{\" has no matching \"}}\"");
  EXPECT_THAT(BadDescription(status, "report.shortcomings[0].problem"),
              HasSubstr("at character 13: placeholder names are lowercase"));
  v1::GetReportRequest get;
  get.set_name("orgs/a/reports/2024");
  EXPECT_EQ(Call(&Stub::GetReport, get, &out).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(ReportServiceTest, SuppressionReasonsAreStoredAndRequiredForNewIds) {
  CreateOrg("a");
  v1::Report report;
  report.add_suppressed_findings("study.lecture.short");
  v1::Report out;
  grpc::Status status = TryCreateReport("a", 2024, report, &out);
  EXPECT_THAT(BadFields(status),
              ElementsAre("report.suppression_reasons[\"study.lecture.short\"]"));
  (*report.mutable_suppression_reasons())["study.lecture.short"] = "讲座时长已另行说明";
  (*report.mutable_suppression_reasons())["duty.none"] = "不在列表中";
  status = TryCreateReport("a", 2024, report, &out);
  EXPECT_THAT(BadFields(status), ElementsAre("report.suppression_reasons[\"duty.none\"]"));
  report.mutable_suppression_reasons()->erase("duty.none");
  const v1::Report created = CreateReport("a", 2024, report);
  EXPECT_EQ(created.suppression_reasons().at("study.lecture.short"), "讲座时长已另行说明");

  // Adding an id needs its reason; an empty reason is refused; nothing changes.
  auto update = [&](const v1::Report& r, std::vector<std::string> paths, v1::Report* got) {
    v1::UpdateReportRequest request;
    *request.mutable_report() = r;
    request.mutable_report()->set_name(created.name());
    request.mutable_report()->set_etag(created.etag());
    for (auto& p : paths) request.mutable_update_mask()->add_paths(p);
    request.set_actor("clerk");
    return Call(&v1::ReportService::Stub::UpdateReport, request, got);
  };
  v1::Report change;
  change.add_suppressed_findings("study.lecture.short");
  change.add_suppressed_findings("duty.certificates.lapsed");
  EXPECT_THAT(BadFields(update(change, {"suppressed_findings"}, &out)),
              ElementsAre("report.suppression_reasons[\"duty.certificates.lapsed\"]"));
  (*change.mutable_suppression_reasons())["duty.certificates.lapsed"] = "";
  EXPECT_THAT(BadFields(update(change, {"suppressed_findings", "suppression_reasons"}, &out)),
              ElementsAre("report.suppression_reasons[\"duty.certificates.lapsed\"]"));
  EXPECT_THAT(BadDescription(update(change, {"suppressed_findings", "suppression_reasons"}, &out),
                             "report.suppression_reasons[\"duty.certificates.lapsed\"]"),
              HasSubstr("required"));
  (*change.mutable_suppression_reasons())["duty.certificates.lapsed"] = "证件已续期";
  (*change.mutable_suppression_reasons())["study.lecture.short"] = "讲座时长已另行说明";
  ASSERT_TRUE(update(change, {"suppressed_findings", "suppression_reasons"}, &out).ok());
  EXPECT_EQ(out.suppression_reasons_size(), 2);

  // Turning one back on through suppressed_findings alone drops its reason.
  v1::Report back;
  back.add_suppressed_findings("duty.certificates.lapsed");
  v1::UpdateReportRequest request;
  *request.mutable_report() = back;
  request.mutable_report()->set_name(out.name());
  request.mutable_report()->set_etag(out.etag());
  request.mutable_update_mask()->add_paths("suppressed_findings");
  request.set_actor("clerk");
  v1::Report after;
  ASSERT_TRUE(Call(&v1::ReportService::Stub::UpdateReport, request, &after).ok());
  EXPECT_EQ(after.suppression_reasons_size(), 1);
  EXPECT_EQ(after.suppression_reasons().at("duty.certificates.lapsed"), "证件已续期");
  v1::GetReportRequest get;
  get.set_name(created.name());
  v1::Report read;
  ASSERT_TRUE(Call(&v1::ReportService::Stub::GetReport, get, &read).ok());
  EXPECT_EQ(read.suppression_reasons().at("duty.certificates.lapsed"), "证件已续期");
}

TEST_F(ReportServiceTest, LayoutRulesAndLimits) {
  CreateOrg("a");
  v1::Report report;
  report.mutable_layout()->set_preset(v1::LAYOUT_PRESET_CUSTOM);
  auto* entry = report.mutable_layout()->add_entries();
  entry->set_item(v1::CONTENT_ITEM_MEASURES);
  entry->set_heading("举措{{year");
  auto* twice = report.mutable_layout()->add_entries();
  twice->set_item(v1::CONTENT_ITEM_MEASURES);
  twice->set_heading("再来一次");
  auto* other = report.add_sections();
  other->set_item(v1::CONTENT_ITEM_OTHER);  // not in this layout
  other->add_items()->add_paragraphs(std::string(5001, 'x'));
  report.add_suppressed_findings("Bad Id");
  (*report.mutable_suppression_reasons())["Bad Id"] = "已说明";
  *report.mutable_due_dates()->mutable_submit_before() = Date(2025, 2, 30);
  v1::Report out;
  grpc::Status status = TryCreateReport("a", 2024, report, &out);
  EXPECT_THAT(
      BadFields(status),
      UnorderedElementsAre("report.layout.entries[0].heading", "report.layout.entries[1].item",
                           "report.layout.entries", "report.sections[0].item",
                           "report.sections[0].items[0].paragraphs[0]",
                           "report.suppressed_findings[0]", "report.due_dates.submit_before"));
  EXPECT_THAT(BadDescription(status, "report.sections[0].items[0].paragraphs[0]"),
              HasSubstr("at most 5000 characters"));
  EXPECT_THAT(BadDescription(status, "report.layout.entries"),
              HasSubstr("lacks CONTENT_ITEM_SHORTCOMINGS, CONTENT_ITEM_HEAD_DUTY, "
                        "CONTENT_ITEM_NEXT_YEAR_PLAN"));

  v1::Report order;
  *order.mutable_due_dates()->mutable_submit_before() = Date(2025, 3, 10);
  *order.mutable_due_dates()->mutable_publish_before() = Date(2025, 3, 9);
  EXPECT_THAT(BadFields(TryCreateReport("a", 2024, order, &out)),
              ElementsAre("report.due_dates.publish_before"));
}

TEST_F(ReportServiceTest, UpdateUsesMaskAndEtagAndNeverLosesAnEdit) {
  CreateOrg("a");
  v1::Report created = CreateReport("a", 2024);
  v1::UpdateReportRequest request;
  request.mutable_report()->set_name(created.name());
  request.mutable_report()->set_etag(created.etag());
  request.mutable_report()->mutable_layout()->set_preset(v1::LAYOUT_PRESET_HEAD_FIRST);
  request.mutable_report()->add_preamble("{{year}}年，我局坚持依法行政。");
  request.mutable_update_mask()->add_paths("layout");
  request.mutable_update_mask()->add_paths("preamble");
  request.set_actor("clerk");
  v1::Report updated;
  ASSERT_TRUE(Call(&Stub::UpdateReport, request, &updated).ok());
  EXPECT_EQ(updated.layout().entries(0).item(), v1::CONTENT_ITEM_HEAD_DUTY);
  EXPECT_THAT(updated.preamble(), ElementsAre("{{year}}年，我局坚持依法行政。"));
  EXPECT_EQ(updated.title(), created.title());
  EXPECT_EQ(updated.etag(), "W/\"2\"");

  // A second writer with the old etag is refused, not silently applied.
  v1::Report ignored;
  EXPECT_EQ(Call(&Stub::UpdateReport, request, &ignored).error_code(), grpc::StatusCode::ABORTED);
  request.mutable_report()->clear_etag();
  EXPECT_THAT(BadFields(Call(&Stub::UpdateReport, request, &ignored)), ElementsAre("report.etag"));
  request.mutable_report()->set_etag(updated.etag());
  request.mutable_update_mask()->add_paths("state");
  EXPECT_THAT(BadFields(Call(&Stub::UpdateReport, request, &ignored)),
              ElementsAre("update_mask.paths[2]"));
}

TEST_F(ReportServiceTest, ConcurrentEditsWithOneEtagLetExactlyOneWin) {
  CreateOrg("a");
  v1::Report created = CreateReport("a", 2024);
  std::atomic<int> won{0}, aborted{0};
  std::vector<std::thread> writers;
  for (int i = 0; i < 6; ++i) {
    writers.emplace_back([&, i] {
      v1::UpdateReportRequest request;
      request.mutable_report()->set_name(created.name());
      request.mutable_report()->set_etag(created.etag());
      request.mutable_report()->add_preamble("作者" + std::to_string(i));
      request.mutable_update_mask()->add_paths("preamble");
      request.set_actor("writer-" + std::to_string(i));
      v1::Report out;
      grpc::ClientContext context;
      grpc::Status status = stub_->UpdateReport(&context, request, &out);
      if (status.ok()) ++won;
      if (status.error_code() == grpc::StatusCode::ABORTED) ++aborted;
    });
  }
  for (auto& t : writers) t.join();
  EXPECT_EQ(won.load(), 1);
  EXPECT_EQ(aborted.load(), 5);
  int updates = 0;
  for (const auto& e : History("a")) updates += e.method() == "UpdateReport";
  EXPECT_EQ(updates, 1);
}

// ---------------------------------------------------------------------------
// Life cycle.

TEST_F(ReportServiceTest, FullLifeCycleWithRejectionAndTwoPersonRule) {
  CreateOrg("a");  // two people required
  const std::string name = CreateReport("a", 2024).name();
  v1::Report r;

  grpc::Status publish_draft = Publish(name, {{"txt", "x"}}, &r);
  EXPECT_EQ(publish_draft.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(publish_draft.error_message(), HasSubstr("DRAFT report cannot be published"));

  ASSERT_TRUE(Submit(name, "zhang", &r).ok());
  EXPECT_EQ(r.state(), v1::REPORT_STATE_SUBMITTED);
  EXPECT_EQ(r.lifecycle().submitted_by(), "zhang");

  v1::UpdateReportRequest edit;
  edit.mutable_report()->set_name(name);
  edit.mutable_report()->set_etag(r.etag());
  edit.mutable_report()->set_title("改标题");
  edit.set_actor("zhang");
  v1::Report ignored;
  grpc::Status locked = Call(&Stub::UpdateReport, edit, &ignored);
  EXPECT_EQ(locked.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(locked.error_message(), HasSubstr("SUBMITTED and cannot be edited"));

  grpc::Status self = Approve(name, "zhang", &ignored);
  EXPECT_EQ(self.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(self.error_message(), HasSubstr("two people"));

  v1::RejectReportRequest reject = StepRequestFor<v1::RejectReportRequest>(name, "li");
  EXPECT_THAT(BadFields(Call(&Stub::RejectReport, reject, &ignored)), ElementsAre("comment"));
  reject.set_comment("执法人员数量需核实");
  ASSERT_TRUE(Call(&Stub::RejectReport, reject, &r).ok());
  EXPECT_EQ(r.state(), v1::REPORT_STATE_REJECTED);
  EXPECT_EQ(r.lifecycle().last_transition().comment(), "执法人员数量需核实");
  EXPECT_EQ(r.lifecycle().last_transition().actor(), "li");

  edit.mutable_report()->set_etag(r.etag());
  ASSERT_TRUE(Call(&Stub::UpdateReport, edit, &r).ok());
  EXPECT_EQ(r.state(), v1::REPORT_STATE_DRAFT);
  EXPECT_EQ(r.title(), "改标题");

  ASSERT_TRUE(Submit(name, "zhang", &r).ok());
  ASSERT_TRUE(Approve(name, "li", &r).ok());
  EXPECT_EQ(r.state(), v1::REPORT_STATE_APPROVED);
  EXPECT_EQ(r.lifecycle().approved_by(), "li");

  // A stale etag on a step is ABORTED too.
  v1::PublishReportRequest stale = StepRequestFor<v1::PublishReportRequest>(name, "office");
  stale.set_etag("W/\"1\"");
  auto* d = stale.add_documents();
  d->set_format("txt");
  d->set_media_type("text/plain");
  d->set_content("x");
  EXPECT_EQ(Call(&Stub::PublishReport, stale, &ignored).error_code(), grpc::StatusCode::ABORTED);

  ASSERT_TRUE(Publish(name, {{"txt", "正文"}}, &r).ok());
  EXPECT_EQ(r.state(), v1::REPORT_STATE_PUBLISHED);
  EXPECT_EQ(r.published_revision(), 1);

  std::vector<std::string> steps;
  for (const auto& e : History("a", name)) steps.push_back(e.method());
  EXPECT_THAT(steps, ElementsAre("CreateReport", "SubmitReport", "RejectReport", "UpdateReport",
                                 "SubmitReport", "ApproveReport", "PublishReport"));
}

TEST_F(ReportServiceTest, PublishedDocumentsReadBackIdenticalWithTheirHash) {
  v1::Organization org = ValidOrg();
  org.set_two_person_approval(false);
  CreateOrg("a", org);
  const std::string name = CreateReport("a", 2024).name();
  v1::Report r;
  ASSERT_TRUE(Submit(name, "zhang", &r).ok());
  ASSERT_TRUE(Approve(name, "zhang", &r).ok());  // one person may do both here

  std::string docx;
  for (int i = 0; i < 200000; ++i) docx.push_back(static_cast<char>((i * 131) % 256));
  v1::PublishReportRequest request = StepRequestFor<v1::PublishReportRequest>(name, "office");
  auto* d = request.add_documents();
  d->set_format("docx");
  d->set_media_type("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  d->set_content(docx);
  d->set_sha256(kernel::Sha256Hex(docx));
  auto* wrong = request.add_documents();
  wrong->set_format("txt");
  wrong->set_media_type("text/plain");
  wrong->set_content("正文");
  wrong->set_sha256(std::string(64, 'a'));
  grpc::Status mismatch = Call(&Stub::PublishReport, request, &r);
  EXPECT_THAT(BadFields(mismatch), ElementsAre("documents[1].sha256"));
  wrong->clear_sha256();
  ASSERT_TRUE(Call(&Stub::PublishReport, request, &r).ok());

  v1::GetReportDocumentRequest get;
  get.set_name(name + "/revisions/1/documents/docx");
  v1::Document doc;
  ASSERT_TRUE(Call(&Stub::GetReportDocument, get, &doc).ok());
  EXPECT_EQ(doc.content(), docx);
  EXPECT_EQ(doc.sha256(), kernel::Sha256Hex(docx));
  EXPECT_EQ(doc.size_bytes(), 200000);

  v1::GetReportRevisionRequest revision_request;
  revision_request.set_name(name + "/revisions/1");
  v1::ReportRevision revision;
  ASSERT_TRUE(Call(&Stub::GetReportRevision, revision_request, &revision).ok());
  ASSERT_EQ(revision.documents_size(), 2);
  EXPECT_TRUE(revision.documents(0).content().empty());
  EXPECT_EQ(revision.documents(1).name(), name + "/revisions/1/documents/txt");
  EXPECT_EQ(revision.documents(1).sha256(), kernel::Sha256Hex("正文"));
  EXPECT_EQ(revision.report().state(), v1::REPORT_STATE_PUBLISHED);
}

TEST_F(ReportServiceTest, DocumentLimits) {
  CreateOrg("a");
  const std::string name = CreateReport("a", 2024).name();
  v1::PublishReportRequest request = StepRequestFor<v1::PublishReportRequest>(name, "office");
  auto* big = request.add_documents();
  big->set_format("pdf");
  big->set_media_type("application/pdf");
  big->set_content(std::string((3 << 20) + 1, 'x'));
  auto* twice = request.add_documents();
  twice->set_format("pdf");
  twice->set_media_type("not a type");
  auto* odd = request.add_documents();
  odd->set_format("DOCX");
  odd->set_media_type("text/plain");
  odd->set_content("x");
  v1::Report r;
  grpc::Status status = Call(&Stub::PublishReport, request, &r);
  EXPECT_THAT(
      BadFields(status),
      UnorderedElementsAre("documents[0].content", "documents[1].format", "documents[1].media_type",
                           "documents[1].content", "documents[2].format"));
  request.clear_documents();
  EXPECT_THAT(BadFields(Call(&Stub::PublishReport, request, &r)), ElementsAre("documents"));
}

TEST_F(ReportServiceTest, RevisionCorrectsAPublishedReport) {
  v1::Organization org = ValidOrg();
  org.set_two_person_approval(false);
  CreateOrg("a", org);
  const std::string name = CreateReport("a", 2024).name();
  v1::Report r;
  ASSERT_TRUE(Submit(name, "x", &r).ok());
  ASSERT_TRUE(Approve(name, "x", &r).ok());
  ASSERT_TRUE(Publish(name, {{"txt", "第一版"}}, &r).ok());

  v1::CreateRevisionRequest revise = StepRequestFor<v1::CreateRevisionRequest>(name, "x");
  v1::Report ignored;
  EXPECT_THAT(BadFields(Call(&Stub::CreateRevision, revise, &ignored)), ElementsAre("comment"));
  revise.set_comment("更正执法人员人数");
  ASSERT_TRUE(Call(&Stub::CreateRevision, revise, &r).ok());
  EXPECT_EQ(r.state(), v1::REPORT_STATE_DRAFT);
  EXPECT_EQ(r.revision(), 2);
  EXPECT_EQ(r.published_revision(), 1);
  EXPECT_EQ(r.correction_reason(), "更正执法人员人数");
  EXPECT_EQ(Call(&Stub::CreateRevision, revise, &ignored).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  ASSERT_TRUE(Submit(name, "x", &r).ok());
  ASSERT_TRUE(Approve(name, "x", &r).ok());
  ASSERT_TRUE(Publish(name, {{"txt", "第二版"}}, &r).ok());
  EXPECT_EQ(r.published_revision(), 2);

  v1::ListReportRevisionsRequest list;
  list.set_parent(name);
  list.set_page_size(1);
  v1::ListReportRevisionsResponse page;
  ASSERT_TRUE(Call(&Stub::ListReportRevisions, list, &page).ok());
  ASSERT_EQ(page.revisions_size(), 1);
  EXPECT_EQ(page.revisions(0).superseded_by(), 2);
  ASSERT_FALSE(page.next_page_token().empty());
  list.set_page_token(page.next_page_token());
  ASSERT_TRUE(Call(&Stub::ListReportRevisions, list, &page).ok());
  ASSERT_EQ(page.revisions_size(), 1);
  EXPECT_EQ(page.revisions(0).revision(), 2);
  EXPECT_EQ(page.revisions(0).correction_reason(), "更正执法人员人数");
  EXPECT_TRUE(page.next_page_token().empty());

  v1::GetReportDocumentRequest old;
  old.set_name(name + "/revisions/1/documents/txt");
  v1::Document doc;
  ASSERT_TRUE(Call(&Stub::GetReportDocument, old, &doc).ok());
  EXPECT_EQ(doc.content(), "第一版");
}

TEST_F(ReportServiceTest, DeleteOnlyNeverPublishedDrafts) {
  CreateOrg("a");
  const std::string name = CreateReport("a", 2024).name();
  v1::Report r;
  ASSERT_TRUE(Submit(name, "x", &r).ok());
  v1::DeleteReportRequest del;
  del.set_name(name);
  del.set_actor("x");
  google::protobuf::Empty empty;
  EXPECT_EQ(Call(&Stub::DeleteReport, del, &empty).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  v1::DeleteOrganizationRequest del_org;
  del_org.set_name("orgs/a");
  del_org.set_actor("admin");
  EXPECT_EQ(Call(&Stub::DeleteOrganization, del_org, &empty).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

// ---------------------------------------------------------------------------
// Supervision and history.

TEST_F(ReportServiceTest, OverdueListShowsLateAndMissingReports) {
  // Reports are for the year now running, judged next spring: the records
  // are made now, so they count as made before the judging day. Late
  // submissions are covered by the schedule logic tests.
  const int year = static_cast<int>(kernel::DayInChina(absl::Now()).year());
  v1::Organization single = ValidOrg("甲局");
  single.clear_credit_code();
  single.set_two_person_approval(false);
  CreateOrg("jia", single);  // submits in time
  v1::Organization idle = single;
  idle.set_full_name("乙局");
  CreateOrg("yi", idle);  // never starts
  v1::Organization drafting = single;
  drafting.set_full_name("丙局");
  CreateOrg("bing", drafting);  // a draft only
  v1::Organization elsewhere = single;
  elsewhere.set_full_name("丁局");
  elsewhere.clear_supervisors();
  elsewhere.add_supervisors("orgs/other-office");
  CreateOrg("ding", elsewhere);  // someone else's

  v1::Report r;
  const std::string jia = CreateReport("jia", year).name();
  ASSERT_TRUE(Submit(jia, "x", &r).ok());
  CreateReport("bing", year);

  SetToday(absl::CivilDay(year + 1, 3, 15));
  v1::ListOverdueReportsRequest request;
  request.set_supervisor("orgs/lushan-yifazhixian");
  request.set_year(year);
  v1::ListOverdueReportsResponse response;
  ASSERT_TRUE(Call(&Stub::ListOverdueReports, request, &response).ok());
  EXPECT_EQ(response.as_of().day(), 15);  // the service's today
  EXPECT_EQ(response.supervised_organizations(), 3);
  ASSERT_EQ(response.reports_size(), 2);  // jia submitted in time
  EXPECT_EQ(response.reports(0).organization(), "orgs/bing");
  EXPECT_EQ(response.reports(0).report(), absl::StrCat("orgs/bing/reports/", year));
  EXPECT_THAT(response.reports(0).reasons(), ElementsAre(v1::OVERDUE_REASON_SUBMISSION_OVERDUE));
  EXPECT_EQ(response.reports(0).state(), v1::REPORT_STATE_DRAFT);
  EXPECT_EQ(response.reports(0).submit_before().month(), 3);
  EXPECT_EQ(response.reports(1).organization(), "orgs/yi");
  EXPECT_EQ(response.reports(1).full_name(), "乙局");
  EXPECT_TRUE(response.reports(1).report().empty());
  EXPECT_THAT(response.reports(1).reasons(),
              ElementsAre(v1::OVERDUE_REASON_NOT_STARTED, v1::OVERDUE_REASON_SUBMISSION_OVERDUE));

  *request.mutable_as_of() = Date(year + 1, 4, 2);
  ASSERT_TRUE(Call(&Stub::ListOverdueReports, request, &response).ok());
  ASSERT_EQ(response.reports_size(), 3);
  EXPECT_EQ(response.reports(1).organization(), "orgs/jia");
  EXPECT_THAT(response.reports(1).reasons(), ElementsAre(v1::OVERDUE_REASON_PUBLICATION_OVERDUE));
  EXPECT_EQ(response.reports(1).state(), v1::REPORT_STATE_SUBMITTED);
  EXPECT_EQ(response.reports(1).submitted_on().year(), year);

  request.set_supervisor("lushan");
  request.set_year(0);
  EXPECT_THAT(BadFields(Call(&Stub::ListOverdueReports, request, &response)),
              UnorderedElementsAre("supervisor", "year"));
}

TEST_F(ReportServiceTest, HistoryListsEveryMutationWithWhoWhatAndWhy) {
  CreateOrg("a");
  const std::string name = CreateReport("a", 2024).name();
  v1::Report r;
  grpc::ClientContext context;
  context.AddMetadata("x-request-id", "trace-submit");
  v1::SubmitReportRequest submit = StepRequestFor<v1::SubmitReportRequest>(name, "zhang", "请审核");
  ASSERT_TRUE(stub_->SubmitReport(&context, submit, &r).ok());

  std::vector<v1::HistoryEntry> all = History("a");
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].method(), "CreateOrganization");
  EXPECT_EQ(all[0].resource(), "orgs/a");
  EXPECT_EQ(all[0].actor(), "admin");
  EXPECT_EQ(all[2].method(), "SubmitReport");
  EXPECT_EQ(all[2].actor(), "zhang");
  EXPECT_EQ(all[2].comment(), "请审核");
  EXPECT_EQ(all[2].from_state(), v1::REPORT_STATE_DRAFT);
  EXPECT_EQ(all[2].to_state(), v1::REPORT_STATE_SUBMITTED);
  EXPECT_EQ(all[2].request_id(), "trace-submit");
  EXPECT_GT(all[2].time().seconds(), 0);
  EXPECT_EQ(History("a", name).size(), 2u);

  v1::ListHistoryRequest foreign;
  foreign.set_parent("orgs/a");
  foreign.set_resource("orgs/b/reports/2024");
  v1::ListHistoryResponse response;
  EXPECT_THAT(BadFields(Call(&Stub::ListHistory, foreign, &response)), ElementsAre("resource"));
}

TEST_F(ReportServiceTest, MutationsNeedAnActor) {
  CreateOrg("a");
  const std::string name = CreateReport("a", 2024).name();
  v1::Report r;
  EXPECT_THAT(BadFields(Submit(name, "", &r)), ElementsAre("actor"));
  EXPECT_THAT(BadFields(Submit("orgs/a/reports/24", "x", &r)), ElementsAre("name"));
}

}  // namespace
}  // namespace fazhi::report
