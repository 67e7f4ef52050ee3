// Store tests on real SQLite files.

#include "services/report/sql_report_store.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/sql/sqlite_database.h"
#include "services/common/status_macros.h"
#include "services/kernel/digest.h"
#include "services/report/content.h"
#include "services/report/lifecycle.h"
#include "services/report/sql_report_rows.h"
#include "tests/report/earlier_rows.h"
#include "tests/testing/test_database.h"

namespace fazhi::report {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

HistoryEntry By(const std::string& actor, const std::string& method) {
  HistoryEntry h;
  h.actor = actor;
  h.method = method;
  h.request_id = "req-" + method;
  return h;
}

Organization NewOrg(const std::string& id, std::vector<std::string> supervisors = {},
                    const std::string& credit_code = "") {
  Organization o;
  o.meta.id = id;
  o.full_name = "鲁山县" + id;
  o.region = "河南省平顶山市鲁山县";
  o.supervisors = std::move(supervisors);
  o.credit_code = credit_code;
  o.contacts = {{"王某", "0375-5012345", "fzb@example.org"}};
  o.two_person_approval = true;
  o.finding_remedies = {
      {"duty.staff_short", "编制所限，“执法”岗位空缺", "{{next_year}}年补充", "人事股", 0, 9, 30},
      {"duty.training.short", "", "", "", 2025, 4, 30}};
  o.addressee = "县委依法治县办";
  return o;
}

Report NewReport(const std::string& org, int year) {
  Report r;
  r.meta.org = org;
  r.year = year;
  r.content.submit_before = DefaultSubmitBefore(year);
  r.content.publish_before = DefaultPublishBefore(year);
  return r;
}

// The prepare step the service uses: defaults from the organization.
absl::Status Prepare(const Organization& org, Report& r, absl::Time) {
  ApplyContentDefaults(r.content, org.full_name, r.year);
  return absl::OkStatus();
}

ReportChange StepChange(Step step, const std::string& actor, const std::string& comment = "") {
  return [=](const Organization& org, Report& r, absl::Time now) {
    StepRequest request{step, "Test", actor, comment, now, org.two_person_approval};
    return ApplyStep(r, request);
  };
}

// The store contract, run on both drivers.
class SqlReportStoreTest : public ::testing::TestWithParam<fazhi::testing::Driver> {
 protected:
  void SetUp() override {
    FAZHI_SETUP_TEST_DATABASE(GetParam(), test_);
    Open();
  }

  // (Re)opens the database as a restarted process would.
  void Open() {
    store_.reset();
    db_ = test_->OpenAnother();
    ASSERT_TRUE(db_->Open().ok());
    ASSERT_TRUE(sql::ApplyMigrations(*db_, Migrations()).ok());
    store_ = std::make_unique<SqlReportStore>(db_.get());
  }

  Report CreateReport(const std::string& org, int year) {
    auto created = store_->CreateReport(NewReport(org, year), Prepare, By("clerk", "CreateReport"));
    EXPECT_TRUE(created.ok()) << created.status();
    return created.value_or(Report{});
  }

  // Submit, approve, publish with the given documents.
  absl::StatusOr<Report> PublishWith(const std::string& org, int year, std::vector<Document> docs) {
    for (auto [step, actor] :
         {std::pair{Step::kSubmit, "clerk"}, std::pair{Step::kApprove, "head"}}) {
      RETURN_IF_ERROR(
          store_->ChangeReport(org, year, std::nullopt, StepChange(step, actor), By(actor, "Step"))
              .status());
    }
    return store_->PublishReport(org, year, std::nullopt, StepChange(Step::kPublish, "office"),
                                 std::move(docs), By("office", "PublishReport"));
  }

  int HistoryCount(const std::string& org) {
    auto entries = store_->ListHistory(org, "", 0, 0);
    EXPECT_TRUE(entries.ok());
    return entries.ok() ? static_cast<int>(entries->size()) : -1;
  }

  std::unique_ptr<fazhi::testing::TestDatabase> test_;
  std::unique_ptr<sql::Database> db_;
  std::unique_ptr<SqlReportStore> store_;
};

TEST_P(SqlReportStoreTest, OrganizationRoundTripsAndSurvivesReopen) {
  ASSERT_TRUE(store_
                  ->CreateOrganization(
                      NewOrg("minzheng", {"yifazhixian", "shi-minzheng"}, "11410423005703518N"),
                      By("admin", "CreateOrganization"))
                  .ok());
  Open();
  auto got = store_->GetOrganization("minzheng");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->meta.revision, 1);
  EXPECT_EQ(got->full_name, "鲁山县minzheng");
  EXPECT_EQ(got->region, "河南省平顶山市鲁山县");
  EXPECT_THAT(got->supervisors, ElementsAre("yifazhixian", "shi-minzheng"));
  EXPECT_EQ(got->credit_code, "11410423005703518N");
  ASSERT_EQ(got->contacts.size(), 1u);
  EXPECT_EQ(got->contacts[0].phone, "0375-5012345");
  EXPECT_TRUE(got->two_person_approval);
  ASSERT_EQ(got->finding_remedies.size(), 2u);
  const FindingRemedy& r = got->finding_remedies[0];
  EXPECT_EQ(r.finding, "duty.staff_short");
  EXPECT_EQ(r.cause, "编制所限，“执法”岗位空缺");
  EXPECT_EQ(r.rectification, "{{next_year}}年补充");
  EXPECT_EQ(r.owner, "人事股");
  EXPECT_EQ(std::tuple(r.due_year, r.due_month, r.due_day), std::tuple(0, 9, 30));
  const FindingRemedy& dated = got->finding_remedies[1];
  EXPECT_EQ(std::tuple(dated.due_year, dated.due_month, dated.due_day), std::tuple(2025, 4, 30));
  EXPECT_EQ(dated.cause, "");
  EXPECT_EQ(got->addressee, "县委依法治县办");
}

TEST_P(SqlReportStoreTest, DuplicateIdOrCreditCodeIsAlreadyExists) {
  ASSERT_TRUE(store_->CreateOrganization(NewOrg("a", {}, "9144030071526726XG"), By("x", "C")).ok());
  auto same_id = store_->CreateOrganization(NewOrg("a"), By("x", "C"));
  EXPECT_EQ(same_id.status().code(), absl::StatusCode::kAlreadyExists);
  auto same_code = store_->CreateOrganization(NewOrg("b", {}, "9144030071526726XG"), By("x", "C"));
  EXPECT_EQ(same_code.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(same_code.status().message(), HasSubstr("registered to orgs/a"));
  EXPECT_EQ(HistoryCount("a"), 1);
  EXPECT_EQ(HistoryCount("b"), 0);  // refused changes leave no history
}

TEST_P(SqlReportStoreTest, SupervisorFilterFollowsUpdates) {
  ASSERT_TRUE(store_->CreateOrganization(NewOrg("a", {"office"}), By("x", "C")).ok());
  ASSERT_TRUE(store_->CreateOrganization(NewOrg("b", {"office", "city"}), By("x", "C")).ok());
  ASSERT_TRUE(store_->CreateOrganization(NewOrg("c", {"city"}), By("x", "C")).ok());
  auto names = [&](const std::string& supervisor, const std::string& after = "") {
    std::vector<std::string> ids;
    auto listed = store_->ListOrganizations(supervisor, after, 10);
    EXPECT_TRUE(listed.ok()) << listed.status();
    if (!listed.ok()) return ids;
    for (const auto& o : *listed) ids.push_back(o.meta.id);
    return ids;
  };
  EXPECT_THAT(names("office"), ElementsAre("a", "b"));
  EXPECT_THAT(names("city"), ElementsAre("b", "c"));
  EXPECT_THAT(names(""), ElementsAre("a", "b", "c"));
  EXPECT_THAT(names("", "a"), ElementsAre("b", "c"));

  Organization b = store_->GetOrganization("b").value();
  b.supervisors = {"city"};
  auto updated = store_->UpdateOrganization(b, b.meta.revision, By("x", "U"));
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->meta.revision, 2);
  EXPECT_THAT(names("office"), ElementsAre("a"));
  // The old revision is stale now.
  EXPECT_EQ(store_->UpdateOrganization(b, b.meta.revision, By("x", "U")).status().code(),
            absl::StatusCode::kAborted);
}

TEST_P(SqlReportStoreTest, OrganizationWithReportsCannotBeDeleted) {
  ASSERT_TRUE(store_->CreateOrganization(NewOrg("a"), By("x", "C")).ok());
  CreateReport("a", 2024);
  auto refused = store_->DeleteOrganization("a", std::nullopt, By("x", "D"));
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(store_
                  ->DeleteReport("a", 2024, std::nullopt, StepChange(Step::kDelete, "x"),
                                 By("x", "DeleteReport"))
                  .ok());
  ASSERT_TRUE(store_->DeleteOrganization("a", std::nullopt, By("x", "D")).ok());
  EXPECT_EQ(store_->GetOrganization("a").status().code(), absl::StatusCode::kNotFound);
  // History outlives the organization: create, report, delete report, delete.
  EXPECT_EQ(HistoryCount("a"), 4);
}

TEST_P(SqlReportStoreTest, ReportNeedsItsOrganizationAndOneReportPerYear) {
  auto orphan = store_->CreateReport(NewReport("nobody", 2024), Prepare, By("x", "C"));
  EXPECT_EQ(orphan.status().code(), absl::StatusCode::kNotFound);
  ASSERT_TRUE(store_->CreateOrganization(NewOrg("a"), By("x", "C")).ok());
  Report created = CreateReport("a", 2024);
  EXPECT_EQ(created.content.title, "鲁山县a关于2024年法治政府建设情况的报告");
  EXPECT_EQ(created.content.layout.entries.size(), 5u);
  EXPECT_EQ(created.state, ReportState::kDraft);
  auto again = store_->CreateReport(NewReport("a", 2024), Prepare, By("x", "C"));
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists);
}

TEST_P(SqlReportStoreTest, AnOrganizationsYearIsItsRecordAndItsReportWhenStarted) {
  EXPECT_EQ(store_->GetOrganizationYear("nobody", 2024).status().code(),
            absl::StatusCode::kNotFound);
  ASSERT_TRUE(store_->CreateOrganization(NewOrg("a"), By("x", "C")).ok());
  auto unstarted = store_->GetOrganizationYear("a", 2024);
  ASSERT_TRUE(unstarted.ok()) << unstarted.status();
  EXPECT_EQ(unstarted->organization.meta.id, "a");
  EXPECT_EQ(unstarted->organization.full_name, store_->GetOrganization("a")->full_name);
  EXPECT_FALSE(unstarted->report.has_value());

  Report created = CreateReport("a", 2024);
  auto started = store_->GetOrganizationYear("a", 2024);
  ASSERT_TRUE(started.ok()) << started.status();
  ASSERT_TRUE(started->report.has_value());
  EXPECT_EQ(started->report->meta.revision, created.meta.revision);
  EXPECT_EQ(started->report->content.title, created.content.title);
  EXPECT_EQ(started->report->year, 2024);
  EXPECT_FALSE(store_->GetOrganizationYear("a", 2025)->report.has_value());
}

TEST_P(SqlReportStoreTest, ReportContentRoundTripsEveryField) {
  ASSERT_TRUE(store_->CreateOrganization(NewOrg("a"), By("x", "C")).ok());
  Report r = NewReport("a", 2024);
  ReportContent& c = r.content;
  c.title = "标题";
  c.layout.preset = LayoutPreset::kCustom;
  c.layout.entries = {{ContentItem::kHeadDuty, "一把手"},
                      {ContentItem::kMeasures, "{{year}}年举措"}};
  c.preamble = {"开头第一段", "第二段"};
  c.sections = {{ContentItem::kMeasures, {{"（一）学法", {"共{{study.sessions.all_staff}}次"}}}}};
  c.shortcomings = {{"执法力量不足", "缺少法律专业人才", "招录并培训", "政策法规股",
                     absl::CivilDay(2025, 6, 30), RectificationStatus::kInProgress}};
  c.plan_items = {{"分解执法职责", {"落实到岗位"}, "执法科", std::nullopt}};
  c.signatory = {"张三", "局长"};
  c.report_date = absl::CivilDay(2025, 2, 20);
  c.submit_before = absl::CivilDay(2025, 2, 25);
  c.suppressed_findings = {"study.lecture.short", "duty.certificates.lapsed"};
  c.suppression_reasons = {{"study.lecture.short", "讲座\"时长\"已说明"}};
  c.document_number = "鲁民〔2025〕3号";
  ASSERT_TRUE(store_->CreateReport(r, Prepare, By("x", "C")).ok());
  Open();
  Report got = store_->GetReport("a", 2024).value();
  EXPECT_EQ(got.content.title, "标题");
  EXPECT_EQ(got.content.layout.preset, LayoutPreset::kCustom);
  ASSERT_EQ(got.content.layout.entries.size(), 2u);
  EXPECT_EQ(got.content.layout.entries[1].heading, "{{year}}年举措");
  EXPECT_THAT(got.content.preamble, ElementsAre("开头第一段", "第二段"));
  ASSERT_EQ(got.content.sections.size(), 1u);
  EXPECT_EQ(got.content.sections[0].items[0].paragraphs[0], "共{{study.sessions.all_staff}}次");
  ASSERT_EQ(got.content.shortcomings.size(), 1u);
  EXPECT_EQ(got.content.shortcomings[0].cause, "缺少法律专业人才");
  EXPECT_EQ(got.content.shortcomings[0].due_date, absl::CivilDay(2025, 6, 30));
  EXPECT_EQ(got.content.shortcomings[0].status, RectificationStatus::kInProgress);
  ASSERT_EQ(got.content.plan_items.size(), 1u);
  EXPECT_EQ(got.content.plan_items[0].due_date, std::nullopt);
  EXPECT_EQ(got.content.signatory.title, "局长");
  EXPECT_EQ(got.content.report_date, absl::CivilDay(2025, 2, 20));
  EXPECT_EQ(got.content.submit_before, absl::CivilDay(2025, 2, 25));
  EXPECT_EQ(got.content.publish_before, absl::CivilDay(2025, 4, 1));
  EXPECT_THAT(got.content.suppressed_findings,
              ElementsAre("study.lecture.short", "duty.certificates.lapsed"));
  EXPECT_THAT(got.content.suppression_reasons,
              ElementsAre(Pair("study.lecture.short", "讲座\"时长\"已说明")));
  EXPECT_EQ(got.content.document_number, "鲁民〔2025〕3号");
}

TEST_P(SqlReportStoreTest, AFailedChangeWritesNothing) {
  ASSERT_TRUE(store_->CreateOrganization(NewOrg("a"), By("x", "C")).ok());
  Report created = CreateReport("a", 2024);
  const int before = HistoryCount("a");
  auto refused = store_->ChangeReport("a", 2024, std::nullopt, StepChange(Step::kApprove, "head"),
                                      By("head", "ApproveReport"));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  auto stale = store_->ChangeReport("a", 2024, created.meta.revision + 1,
                                    StepChange(Step::kSubmit, "clerk"), By("clerk", "Submit"));
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(store_->GetReport("a", 2024)->meta.revision, created.meta.revision);
  EXPECT_EQ(HistoryCount("a"), before);
}

TEST_P(SqlReportStoreTest, TwoPersonRuleRunsOnTheStoredOrganization) {
  ASSERT_TRUE(store_->CreateOrganization(NewOrg("a"), By("x", "C")).ok());  // two people
  CreateReport("a", 2024);
  ASSERT_TRUE(store_
                  ->ChangeReport("a", 2024, std::nullopt, StepChange(Step::kSubmit, "zhang"),
                                 By("zhang", "SubmitReport"))
                  .ok());
  auto self = store_->ChangeReport("a", 2024, std::nullopt, StepChange(Step::kApprove, "zhang"),
                                   By("zhang", "ApproveReport"));
  EXPECT_EQ(self.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(store_
                  ->ChangeReport("a", 2024, std::nullopt, StepChange(Step::kApprove, "li"),
                                 By("li", "ApproveReport"))
                  .ok());
}

TEST_P(SqlReportStoreTest, PublishedDocumentsReadBackByteForByte) {
  ASSERT_TRUE(store_->CreateOrganization(NewOrg("a"), By("x", "C")).ok());
  CreateReport("a", 2024);
  std::string binary;
  for (int i = 0; i < 70000; ++i) binary.push_back(static_cast<char>(i * 7 % 256));  // NULs too
  Document docx{"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                binary};
  Document txt{"txt", "text/plain; charset=utf-8", "鲁山县民政局\n"};
  auto published = PublishWith("a", 2024, {docx, txt});
  ASSERT_TRUE(published.ok()) << published.status();
  EXPECT_EQ(published->state, ReportState::kPublished);
  EXPECT_EQ(published->published_revision, 1);

  Open();
  auto doc = store_->GetDocument("a", 2024, 1, "docx");
  ASSERT_TRUE(doc.ok()) << doc.status();
  EXPECT_EQ(doc->content, binary);
  EXPECT_EQ(doc->sha256, kernel::Sha256Hex(binary));
  EXPECT_EQ(doc->size_bytes, 70000);
  EXPECT_EQ(store_->GetDocument("a", 2024, 1, "pdf").status().code(), absl::StatusCode::kNotFound);

  auto revision = store_->GetRevision("a", 2024, 1);
  ASSERT_TRUE(revision.ok()) << revision.status();
  EXPECT_EQ(revision->published_by, "office");
  EXPECT_EQ(revision->report.state, ReportState::kPublished);
  EXPECT_EQ(revision->report.content.title, published->content.title);
  ASSERT_EQ(revision->documents.size(), 2u);
  EXPECT_EQ(revision->documents[0].format, "docx");
  EXPECT_TRUE(revision->documents[0].content.empty());  // metadata only
  EXPECT_EQ(revision->documents[1].sha256, kernel::Sha256Hex("鲁山县民政局\n"));
  EXPECT_EQ(revision->superseded_by, 0);
}

TEST_P(SqlReportStoreTest, TamperedDocumentIsDataLoss) {
  ASSERT_TRUE(store_->CreateOrganization(NewOrg("a"), By("x", "C")).ok());
  CreateReport("a", 2024);
  ASSERT_TRUE(PublishWith("a", 2024, {{"txt", "text/plain", "原文"}}).ok());
  ASSERT_TRUE(
      db_->Transact(sql::TxMode::kReadWrite,
                    [](sql::Transaction& tx) {
                      return tx.Execute("UPDATE report_documents SET content = 'YWJj'").status();
                    })
          .ok());
  EXPECT_EQ(store_->GetDocument("a", 2024, 1, "txt").status().code(), absl::StatusCode::kDataLoss);
}

TEST_P(SqlReportStoreTest, ACorrectionSupersedesTheOldRevisionWhichStaysReadable) {
  ASSERT_TRUE(store_->CreateOrganization(NewOrg("a"), By("x", "C")).ok());
  CreateReport("a", 2024);
  ASSERT_TRUE(PublishWith("a", 2024, {{"txt", "text/plain", "第一版"}}).ok());
  auto draft = store_->ChangeReport("a", 2024, std::nullopt,
                                    StepChange(Step::kCreateRevision, "clerk", "更正学习次数"),
                                    By("clerk", "CreateRevision"));
  ASSERT_TRUE(draft.ok()) << draft.status();
  EXPECT_EQ(draft->revision, 2);
  EXPECT_EQ(draft->state, ReportState::kDraft);
  EXPECT_EQ(store_->GetRevision("a", 2024, 2).status().code(), absl::StatusCode::kNotFound);
  ASSERT_TRUE(PublishWith("a", 2024, {{"txt", "text/plain", "第二版"}}).ok());

  auto revisions = store_->ListRevisions("a", 2024, 0, 10);
  ASSERT_TRUE(revisions.ok());
  ASSERT_EQ(revisions->size(), 2u);
  EXPECT_EQ((*revisions)[0].superseded_by, 2);
  EXPECT_TRUE((*revisions)[0].supersede_time.has_value());
  EXPECT_EQ((*revisions)[1].superseded_by, 0);
  EXPECT_EQ((*revisions)[1].correction_reason, "更正学习次数");
  EXPECT_EQ(store_->GetDocument("a", 2024, 1, "txt")->content, "第一版");
  EXPECT_EQ(store_->GetDocument("a", 2024, 2, "txt")->content, "第二版");
  auto after_first = store_->ListRevisions("a", 2024, 1, 10);
  ASSERT_EQ(after_first->size(), 1u);
  EXPECT_EQ((*after_first)[0].number, 2);
}

TEST_P(SqlReportStoreTest, HistoryRecordsEveryStepInOrderAndFilters) {
  ASSERT_TRUE(store_->CreateOrganization(NewOrg("a"), By("admin", "CreateOrganization")).ok());
  CreateReport("a", 2024);
  CreateReport("a", 2025);
  ASSERT_TRUE(PublishWith("a", 2024, {{"txt", "text/plain", "x"}}).ok());
  auto all = store_->ListHistory("a", "", 0, 0);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 6u);
  for (size_t i = 0; i < all->size(); ++i) EXPECT_EQ((*all)[i].sequence, static_cast<int>(i) + 1);
  EXPECT_EQ((*all)[0].resource, "orgs/a");
  EXPECT_EQ((*all)[0].request_id, "req-CreateOrganization");
  const HistoryEntry& publish = (*all)[5];
  EXPECT_EQ(publish.method, "PublishReport");
  EXPECT_EQ(publish.actor, "office");
  EXPECT_EQ(publish.resource, "orgs/a/reports/2024");
  EXPECT_EQ(publish.from_state, ReportState::kApproved);
  EXPECT_EQ(publish.to_state, ReportState::kPublished);
  EXPECT_EQ(publish.revision, 1);

  auto report_2024 = store_->ListHistory("a", "orgs/a/reports/2024", 0, 0);
  EXPECT_EQ(report_2024->size(), 4u);  // create, submit, approve, publish
  auto page = store_->ListHistory("a", "orgs/a/reports/2024", (*report_2024)[1].sequence, 1);
  ASSERT_EQ(page->size(), 1u);
  EXPECT_EQ((*page)[0].sequence, (*report_2024)[2].sequence);
  EXPECT_TRUE(store_->ListHistory("b", "", 0, 0)->empty());
}

TEST_P(SqlReportStoreTest, LoadSupervisedPairsOrganizationsWithTheirReport) {
  ASSERT_TRUE(store_->CreateOrganization(NewOrg("a", {"office"}), By("x", "C")).ok());
  ASSERT_TRUE(store_->CreateOrganization(NewOrg("b", {"office"}), By("x", "C")).ok());
  ASSERT_TRUE(store_->CreateOrganization(NewOrg("c", {"elsewhere"}), By("x", "C")).ok());
  CreateReport("b", 2024);
  CreateReport("b", 2023);
  CreateReport("c", 2024);
  auto supervised = store_->LoadSupervised("office", 2024);
  ASSERT_TRUE(supervised.ok()) << supervised.status();
  ASSERT_EQ(supervised->size(), 2u);
  EXPECT_EQ((*supervised)[0].organization.meta.id, "a");
  EXPECT_FALSE((*supervised)[0].report.has_value());
  EXPECT_EQ((*supervised)[1].organization.meta.id, "b");
  ASSERT_TRUE((*supervised)[1].report.has_value());
  EXPECT_EQ((*supervised)[1].report->year, 2024);
  EXPECT_TRUE(store_->LoadSupervised("nobody", 2024)->empty());
}

// RichOrganization() and RichReport(), published as revision 2, in rows as
// an earlier version stored them.
absl::Status InsertEarlierRows(sql::Transaction& tx) {
  const Organization org = RichOrganization();
  const Report report = RichReport();
  RETURN_IF_ERROR(tx.Execute("INSERT INTO organizations (org, id, revision, create_time, "
                             "update_time, full_name, region, supervisors, credit_code, contacts, "
                             "two_person_approval, finding_remedies, addressee) "
                             "VALUES ($1, $1, 1, 0, 0, $2, $3, $4, $5, $6, 1, $7, $8)",
                             {sql::Value(org.meta.id), sql::Value(org.full_name),
                              sql::Value(org.region), sql::Value(kEarlierSupervisors),
                              sql::Value(org.credit_code), sql::Value(kEarlierContacts),
                              sql::Value(kEarlierRemedies), sql::Value(org.addressee)})
                      .status());
  RETURN_IF_ERROR(tx.Execute("INSERT INTO reports (org, id, revision, create_time, update_time, "
                             "year, state, report_revision, published_revision, title, content, "
                             "submit_before, publish_before, correction_reason, lifecycle) "
                             "VALUES ($1, '2024', 7, 1735689600123456, 1740000000654321, 2024, 4, "
                             "2, 2, $2, $3, '2025-02-25', '2025-04-01', $4, $5)",
                             {sql::Value(org.meta.id), sql::Value(report.content.title),
                              sql::Value(kEarlierContent), sql::Value(report.correction_reason),
                              sql::Value(kEarlierLifecycle)})
                      .status());
  return tx
      .Execute(
          "INSERT INTO report_revisions (org, year, revision, published_by, publish_time, "
          "comment, correction_reason, report, superseded_by, supersede_time) "
          "VALUES ($1, 2024, 2, 'office', 1739200000000003, '', $2, $3, 0, NULL)",
          {sql::Value(org.meta.id), sql::Value(report.correction_reason),
           sql::Value(EarlierSnapshot())})
      .status();
}

TEST_P(SqlReportStoreTest, RowsWrittenByEarlierVersionsReadTheSameAndKeepTheirBytes) {
  ASSERT_TRUE(db_->Transact(sql::TxMode::kReadWrite, InsertEarlierRows).ok());
  Open();

  auto org = store_->GetOrganization("minzheng");
  ASSERT_TRUE(org.ok()) << org.status();
  EXPECT_EQ(OrganizationCodec::Values(*org), OrganizationCodec::Values(RichOrganization()));
  ASSERT_EQ(org->finding_remedies.size(), 3u);
  EXPECT_EQ(org->finding_remedies[1].due_year, 2025);
  auto report = store_->GetReport("minzheng", 2024);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(ReportCodec::Values(*report), ReportCodec::Values(RichReport()));
  EXPECT_EQ(report->content.shortcomings.at(0).due_date, absl::CivilDay(2025, 6, 30));
  ASSERT_TRUE(report->life.last_transition.has_value());
  EXPECT_EQ(report->life.last_transition->actor, "office");
  auto revision = store_->GetRevision("minzheng", 2024, 2);
  ASSERT_TRUE(revision.ok()) << revision.status();
  EXPECT_EQ(SnapshotJson(revision->report), SnapshotJson(RichReport()));
  EXPECT_EQ(revision->report.content.document_number, "鲁民〔2025〕3号");

  // Written again unchanged, the rows keep their bytes.
  ASSERT_TRUE(store_->UpdateOrganization(*org, org->meta.revision, By("x", "U")).ok());
  auto unchanged = [](const Organization&, Report&, absl::Time) { return absl::OkStatus(); };
  ASSERT_TRUE(store_->ChangeReport("minzheng", 2024, std::nullopt, unchanged, By("x", "C")).ok());
  auto first_row = [&](const std::string& query) {
    std::vector<std::string> texts;
    auto read = [&](sql::Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(auto rows, tx.Query(query));
      for (size_t i = 0; i < rows.at(0).size(); ++i) texts.push_back(rows[0].Text(i));
      return absl::OkStatus();
    };
    EXPECT_TRUE(db_->Transact(sql::TxMode::kReadOnly, read).ok());
    return texts;
  };
  EXPECT_THAT(first_row("SELECT revision, supervisors, contacts, finding_remedies "
                        "FROM organizations"),
              ElementsAre("2", kEarlierSupervisors, kEarlierContacts, kEarlierRemedies));
  EXPECT_THAT(first_row("SELECT revision, content, lifecycle FROM reports"),
              ElementsAre("8", kEarlierContent, kEarlierLifecycle));
}

INSTANTIATE_TEST_SUITE_P(
    Drivers, SqlReportStoreTest,
    ::testing::Values(fazhi::testing::Driver::kSqlite, fazhi::testing::Driver::kPostgres),
    fazhi::testing::DriverParamName<::testing::TestParamInfo<fazhi::testing::Driver>>);

}  // namespace
}  // namespace fazhi::report
