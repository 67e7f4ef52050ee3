#include "services/duty/sql_duty_store.h"

#include <algorithm>
#include <functional>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/test_database.h"

namespace fazhi::duty {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

Power NewPower(const std::string& org, const std::string& id, const std::string& code,
               const std::string& domain = "社会组织") {
  Power p;
  p.meta.org = org;
  p.meta.id = id;
  p.code = code;
  p.item_name = "对社会团体的行政处罚";
  p.sub_item_name = "未按规定办理变更登记";
  p.type = PowerType::kPenalty;
  p.domain = domain;
  p.setting_basis = {"《社会团体登记管理条例》第二十九条"};
  p.stages = {{"受理", "接收线索"}, {"审查", "调查取证"}, {"决定", "作出决定"}};
  p.accountability_cases = {"不履行或者不正确履行职责"};
  p.needs_legal_review = true;
  return p;
}

Officer NewOfficer(const std::string& org, const std::string& id, const std::string& person,
                   std::vector<std::string> domains = {"社会组织"}) {
  Officer o;
  o.meta.org = org;
  o.meta.id = id;
  o.person_id = person;
  o.display_name = "执法员" + person;
  o.domains = std::move(domains);
  o.established = true;
  o.certificate = {"ZF-" + person, absl::CivilDay(2022, 3, 1), absl::CivilDay(2027, 2, 28),
                   CertificateStatus::kValid};
  o.training = {{2024, 64}, {2023, 40}};
  o.legal_qualification = true;
  o.max_load = 12;
  return o;
}

Assignment NewAssignment(const std::string& org, const std::string& power,
                         const std::string& officer,
                         AssignmentOrigin origin = AssignmentOrigin::kPinned) {
  Assignment a;
  a.meta.org = org;
  a.power_id = power;
  a.officer_id = officer;
  a.origin = origin;
  return a;
}

absl::Status Ok(const AssignmentContext&) { return absl::OkStatus(); }

// The store contract, run on both drivers.
class SqlDutyStoreTest : public ::testing::TestWithParam<fazhi::testing::Driver> {
 protected:
  void SetUp() override {
    FAZHI_SETUP_TEST_DATABASE(GetParam(), test_);
    ASSERT_TRUE(sql::ApplyMigrations(test_->db(), Migrations()).ok());
    store_ = std::make_unique<SqlDutyStore>(&test_->db());
  }

  std::unique_ptr<fazhi::testing::TestDatabase> test_;
  std::unique_ptr<SqlDutyStore> store_;
};

TEST_P(SqlDutyStoreTest, PowerAndOfficerRoundTripEveryField) {
  Post post;
  post.meta = {"org-a", "post-1"};
  post.display_name = "社会组织执法岗";
  post.domains = {"社会组织"};
  post.capacity = 3;
  ASSERT_TRUE(store_->CreatePost(post, {}).ok());
  Power p = NewPower("org-a", "p1", "330217013000");
  p.post_id = "post-1";
  p.required_officers = 3;
  ASSERT_TRUE(store_->CreatePower(p, {}).ok());
  auto got = store_->GetPower("org-a", "p1");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->code, "330217013000");
  EXPECT_EQ(got->sub_item_name, "未按规定办理变更登记");
  EXPECT_EQ(got->type, PowerType::kPenalty);
  ASSERT_EQ(got->stages.size(), 3u);
  EXPECT_EQ(got->stages[1].stage, "审查");
  EXPECT_EQ(got->stages[1].duty, "调查取证");
  EXPECT_THAT(got->setting_basis, ElementsAre("《社会团体登记管理条例》第二十九条"));
  EXPECT_EQ(got->required_officers, 3);
  EXPECT_TRUE(got->needs_legal_review);
  EXPECT_EQ(got->post_id, "post-1");

  Officer o = NewOfficer("org-a", "o1", "HR001");
  o.post_id = "post-1";
  ASSERT_TRUE(store_->CreateOfficer(o, {}).ok());
  auto officer = store_->GetOfficer("org-a", "o1");
  ASSERT_TRUE(officer.ok());
  EXPECT_EQ(officer->certificate.number, "ZF-HR001");
  EXPECT_EQ(officer->certificate.expiry, absl::CivilDay(2027, 2, 28));
  EXPECT_EQ(officer->certificate.status, CertificateStatus::kValid);
  EXPECT_EQ(officer->TrainingHoursIn(2024), 64);
  EXPECT_EQ(officer->TrainingHoursIn(2023), 40);
  EXPECT_TRUE(officer->established);
  EXPECT_TRUE(officer->legal_qualification);
  EXPECT_EQ(officer->max_load, 12);
  EXPECT_EQ(officer->post_id, "post-1");

  Officer without = NewOfficer("org-a", "o2", "HR002");
  without.certificate = {};
  ASSERT_TRUE(store_->CreateOfficer(without, {}).ok());
  EXPECT_FALSE(store_->GetOfficer("org-a", "o2")->certificate.present());
}

TEST_P(SqlDutyStoreTest, KeysAndReferencesAreCheckedWithClearMessages) {
  ASSERT_TRUE(store_->CreatePower(NewPower("org-a", "p1", "C-1"), {}).ok());
  absl::Status dup = store_->CreatePower(NewPower("org-a", "p2", "C-1"), {}).status();
  EXPECT_EQ(dup.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(dup.message(), HasSubstr("code \"C-1\" is already used by orgs/org-a/powers/p1"));
  EXPECT_TRUE(store_->CreatePower(NewPower("org-b", "p2", "C-1"), {}).ok()) << "other org";

  Power with_post = NewPower("org-a", "p3", "C-3");
  with_post.post_id = "missing";
  EXPECT_EQ(store_->CreatePower(with_post, {}).status().code(),
            absl::StatusCode::kFailedPrecondition);

  ASSERT_TRUE(store_->CreateOfficer(NewOfficer("org-a", "o1", "HR1"), {}).ok());
  Officer same_cert = NewOfficer("org-a", "o2", "HR2");
  same_cert.certificate.number = "ZF-HR1";
  absl::Status taken = store_->CreateOfficer(same_cert, {}).status();
  EXPECT_EQ(taken.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(taken.message(), HasSubstr("certificate number"));
  EXPECT_EQ(store_->CreateOfficer(NewOfficer("org-a", "o3", "HR1"), {}).status().code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_P(SqlDutyStoreTest, DeletingWhatAssignmentsReferenceIsRefused) {
  ASSERT_TRUE(store_->CreatePower(NewPower("org-a", "p1", "C-1"), {}).ok());
  ASSERT_TRUE(store_->CreateOfficer(NewOfficer("org-a", "o1", "HR1"), {}).ok());
  ASSERT_TRUE(store_->CreateAssignment(NewAssignment("org-a", "p1", "o1"), Ok).ok());

  absl::Status power = store_->DeletePower("org-a", "p1", std::nullopt);
  EXPECT_EQ(power.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(power.message(), HasSubstr("referenced by 1 assignments"));
  absl::Status officer = store_->DeleteOfficer("org-a", "o1", std::nullopt);
  EXPECT_EQ(officer.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(store_->GetPower("org-a", "p1").ok());
  EXPECT_TRUE(store_->GetOfficer("org-a", "o1").ok());

  ASSERT_TRUE(store_->DeleteAssignment("org-a", AssignmentId("p1", "o1"), std::nullopt).ok());
  EXPECT_TRUE(store_->DeletePower("org-a", "p1", std::nullopt).ok());
  EXPECT_TRUE(store_->DeleteOfficer("org-a", "o1", 1).ok());
}

TEST_P(SqlDutyStoreTest, AssignmentCheckRunsInTheTransactionAndCanRefuse) {
  ASSERT_TRUE(store_->CreatePower(NewPower("org-a", "p1", "C-1"), {}).ok());
  ASSERT_TRUE(store_->CreateOfficer(NewOfficer("org-a", "o1", "HR1"), {}).ok());
  AssignmentContext seen;
  auto refused =
      store_->CreateAssignment(NewAssignment("org-a", "p1", "o1"), [&](const AssignmentContext& c) {
        seen = c;
        return absl::FailedPreconditionError("no");
      });
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(seen.power.code, "C-1");
  EXPECT_EQ(seen.officer.person_id, "HR1");
  EXPECT_TRUE(store_->ListAssignments("org-a", {}, std::nullopt, 10)->empty());

  EXPECT_EQ(store_->CreateAssignment(NewAssignment("org-a", "p1", "nobody"), Ok).status().code(),
            absl::StatusCode::kNotFound);
  auto created = store_->CreateAssignment(NewAssignment("org-a", "p1", "o1"), Ok);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->meta.id, "p1~o1");
  EXPECT_EQ(store_->CreateAssignment(NewAssignment("org-a", "p1", "o1"), Ok).status().code(),
            absl::StatusCode::kAlreadyExists);
}

// Coverage's snapshot is the whole snapshot but for what it never reads of
// an assignment; it comes from the covering index (0003).
TEST_P(SqlDutyStoreTest, CoverageSnapshotHoldsWhatCoverageReads) {
  ASSERT_TRUE(store_->CreatePower(NewPower("org-a", "p1", "C-2"), {}).ok());
  ASSERT_TRUE(store_->CreatePower(NewPower("org-a", "p2", "C-1"), {}).ok());
  ASSERT_TRUE(store_->CreatePower(NewPower("org-b", "p9", "C-9"), {}).ok());
  ASSERT_TRUE(store_->CreateOfficer(NewOfficer("org-a", "o2", "HR1"), {}).ok());
  ASSERT_TRUE(store_->CreateOfficer(NewOfficer("org-a", "o1", "HR2"), {}).ok());
  ASSERT_TRUE(store_->CreateOfficer(NewOfficer("org-b", "o9", "HR9"), {}).ok());
  Assignment lead = NewAssignment("org-a", "p2", "o1", AssignmentOrigin::kComputed);
  lead.role = AssignmentRole::kLead;
  lead.notes = "主办";
  ASSERT_TRUE(store_->CreateAssignment(lead, Ok).ok());
  ASSERT_TRUE(store_->CreateAssignment(NewAssignment("org-a", "p1", "o2"), Ok).ok());
  ASSERT_TRUE(store_->CreateAssignment(NewAssignment("org-a", "p2", "o2"), Ok).ok());
  ASSERT_TRUE(store_->CreateAssignment(NewAssignment("org-b", "p9", "o9"), Ok).ok());

  auto whole = store_->LoadSnapshot("org-a");
  auto coverage = store_->LoadCoverageSnapshot("org-a");
  ASSERT_TRUE(whole.ok()) << whole.status();
  ASSERT_TRUE(coverage.ok()) << coverage.status();
  ASSERT_EQ(coverage->powers.size(), 2u);
  EXPECT_EQ(coverage->powers[0].code, "C-1");
  EXPECT_EQ(coverage->powers[1].stages.size(), whole->powers[1].stages.size());
  ASSERT_EQ(coverage->officers.size(), 2u);
  EXPECT_EQ(coverage->officers[1].certificate.number, whole->officers[1].certificate.number);
  EXPECT_EQ(coverage->posts.size(), whole->posts.size());
  ASSERT_EQ(coverage->assignments.size(), 3u);
  ASSERT_EQ(whole->assignments.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    const Assignment& c = coverage->assignments[i];
    const Assignment& w = whole->assignments[i];
    EXPECT_EQ(c.meta.org, "org-a");
    EXPECT_EQ(c.meta.id, w.meta.id);
    EXPECT_EQ(c.power_id, w.power_id);
    EXPECT_EQ(c.officer_id, w.officer_id);
    EXPECT_EQ(c.role, w.role);
  }
  EXPECT_EQ(coverage->assignments[1].meta.id, "p2~o1");
  EXPECT_EQ(coverage->assignments[1].role, AssignmentRole::kLead);
  EXPECT_EQ(whole->assignments[1].notes, "主办");  // the whole snapshot keeps the rest
}

TEST_P(SqlDutyStoreTest, ListsAreKeysetPagedAndFiltered) {
  for (int i = 0; i < 7; ++i) {
    ASSERT_TRUE(store_
                    ->CreatePower(NewPower("org-a", "p" + std::to_string(i),
                                           "C-" + std::to_string(i), i % 2 ? "殡葬" : "社会组织"),
                                  {})
                    .ok());
  }
  auto page = store_->ListPowers("org-a", {}, "", 3);
  ASSERT_EQ(page->size(), 3u);
  auto next = store_->ListPowers("org-a", {}, page->back().code, 10);
  ASSERT_EQ(next->size(), 4u);
  EXPECT_EQ(next->front().code, "C-3");
  EXPECT_EQ(store_->ListPowers("org-a", {"殡葬", 0, ""}, "", 10)->size(), 3u);
  EXPECT_EQ(store_->ListPowers("org-a", {"", static_cast<int>(PowerType::kLicensing), ""}, "", 10)
                ->size(),
            0u);

  ASSERT_TRUE(store_->CreateOfficer(NewOfficer("org-a", "o1", "A1", {"殡葬", "慈善"}), {}).ok());
  ASSERT_TRUE(store_->CreateOfficer(NewOfficer("org-a", "o2", "A2", {"慈善事业"}), {}).ok());
  Officer suspended = NewOfficer("org-a", "o3", "A3", {"慈善"});
  suspended.certificate.status = CertificateStatus::kSuspended;
  ASSERT_TRUE(store_->CreateOfficer(suspended, {}).ok());
  // "慈善" matches whole list items only, not "慈善事业".
  auto charity = store_->ListOfficers("org-a", {"慈善", 0, ""}, "", 10);
  ASSERT_TRUE(charity.ok()) << charity.status();
  ASSERT_EQ(charity->size(), 2u);
  EXPECT_EQ((*charity)[0].person_id, "A1");
  EXPECT_EQ(store_
                ->ListOfficers(
                    "org-a", {"慈善", static_cast<int>(CertificateStatus::kSuspended), ""}, "", 10)
                ->size(),
            1u);
  EXPECT_EQ(store_->ListOfficers("org-a", {}, "A1", 10)->size(), 2u);
}

TEST_P(SqlDutyStoreTest, ImportMatchesByCodeOrPersonAndReportsPerRow) {
  std::vector<Power> rows = {NewPower("", "", "C-1"), NewPower("", "", "C-2"),
                             NewPower("", "", "C-1")};
  auto outcomes = store_->ImportPowers("org-a", rows, ImportMode::kCreateOnly);
  ASSERT_TRUE(outcomes.ok()) << outcomes.status();
  ASSERT_EQ(outcomes->size(), 3u);
  EXPECT_TRUE((*outcomes)[0].status.ok());
  EXPECT_TRUE((*outcomes)[1].status.ok());
  EXPECT_EQ((*outcomes)[2].status.code(), absl::StatusCode::kAlreadyExists);

  rows[0].item_name = "改名";
  rows[0].post_id = "no-such-post";
  rows[1].item_name = "改名二";
  outcomes = store_->ImportPowers("org-a", {rows[0], rows[1]}, ImportMode::kUpsert);
  ASSERT_TRUE(outcomes.ok());
  EXPECT_EQ((*outcomes)[0].status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE((*outcomes)[1].replaced);
  auto listed = store_->ListPowers("org-a", {}, "", 10);
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].item_name, "对社会团体的行政处罚");
  EXPECT_EQ((*listed)[1].item_name, "改名二");
  EXPECT_EQ((*listed)[1].meta.revision, 2);

  auto officers = store_->ImportOfficers(
      "org-a", {NewOfficer("", "", "HR1"), NewOfficer("", "", "HR1")}, ImportMode::kCreateOnly);
  ASSERT_TRUE(officers.ok());
  EXPECT_TRUE((*officers)[0].status.ok());
  EXPECT_EQ((*officers)[1].status.code(), absl::StatusCode::kAlreadyExists);
}

// The bulk import path against the row-by-row one: the same batches into
// two organizations holding the same records, one store on each path.
class ImportPathsTest : public SqlDutyStoreTest {
 protected:
  void SetUp() override {
    SqlDutyStoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;  // no PostgreSQL here
    row_by_row_ = std::make_unique<SqlDutyStore>(&test_->db(), ImportPath::kRowByRow);
    for (const std::string org : {"org-a", "org-b"}) {
      Post post;
      post.meta = {org, "post-1"};
      post.display_name = "执法岗";
      ASSERT_TRUE(store_->CreatePost(post, {}).ok());
      Power s1 = NewPower(org, "s1", "S1");
      s1.external_id = "E1";
      Power s2 = NewPower(org, "s2", "S2");
      s2.external_id = "E2";
      Power s3 = NewPower(org, "s3", "S3");
      for (const Power& p : {s1, s2, s3}) ASSERT_TRUE(store_->CreatePower(p, {}).ok());
      Officer o1 = NewOfficer(org, "o1", "P1");
      o1.external_id = "OE1";
      for (const Officer& o : {o1, NewOfficer(org, "o2", "P2")}) {
        ASSERT_TRUE(store_->CreateOfficer(o, {}).ok());
      }
    }
  }

  // Runs `rows` through both paths and expects the same outcomes and
  // stored records; returns the outcomes described.
  template <typename T, typename Import, typename Stored>
  std::vector<std::string> ExpectSamePaths(const std::vector<T>& rows, ImportMode mode,
                                           Import import, Stored stored) {
    auto bulk = std::invoke(import, *store_, "org-a", rows, mode);
    auto reference = std::invoke(import, *row_by_row_, "org-b", rows, mode);
    EXPECT_TRUE(bulk.ok()) << bulk.status();
    EXPECT_TRUE(reference.ok()) << reference.status();
    if (!bulk.ok() || !reference.ok()) return {};
    EXPECT_EQ(Describe(*bulk, "org-a"), Describe(*reference, "org-b"));
    EXPECT_EQ(stored(*store_, "org-a"), stored(*row_by_row_, "org-b"));
    return Describe(*bulk, "org-a");
  }

  // What each outcome says, new records' random ids numbered in order of
  // appearance and the organization taken out.
  std::vector<std::string> Describe(const std::vector<ImportOutcome>& outcomes,
                                    const std::string& org) {
    std::vector<std::string> seen, described;
    for (const ImportOutcome& o : outcomes) {
      if (!o.id.empty() && o.id.size() > 2 &&
          std::find(seen.begin(), seen.end(), o.id) == seen.end()) {
        seen.push_back(o.id);
      }
    }
    auto number = [&](std::string text) {
      for (size_t i = 0; i < seen.size(); ++i) {
        absl::StrReplaceAll({{seen[i], absl::StrCat("#", i)}}, &text);
      }
      return absl::StrReplaceAll(text, {{absl::StrCat("orgs/", org, "/"), "orgs/ORG/"}});
    };
    for (const ImportOutcome& o : outcomes) {
      described.push_back(
          number(absl::StrCat(absl::StatusCodeToString(o.status.code()), " ", o.status.message(),
                              " id=", o.id, o.replaced ? " replaced" : "")));
    }
    return described;
  }

  std::unique_ptr<SqlDutyStore> row_by_row_;
};

// code → the power's other keys, post, name and revision.
std::map<std::string, std::string> StoredPowers(SqlDutyStore& store, const std::string& org) {
  std::map<std::string, std::string> stored;
  auto powers = store.ListPowers(org, {}, "", 1000);
  EXPECT_TRUE(powers.ok()) << powers.status();
  for (const Power& p : powers.value_or(std::vector<Power>{})) {
    stored[p.code] = absl::StrCat(p.meta.id.size() <= 2 ? p.meta.id : "new", " ", p.external_id,
                                  " ", p.post_id, " ", p.item_name, " r", p.meta.revision);
  }
  return stored;
}

std::map<std::string, std::string> StoredOfficers(SqlDutyStore& store, const std::string& org) {
  std::map<std::string, std::string> stored;
  auto officers = store.ListOfficers(org, {}, "", 1000);
  EXPECT_TRUE(officers.ok()) << officers.status();
  for (const Officer& o : officers.value_or(std::vector<Officer>{})) {
    stored[o.person_id] = absl::StrCat(o.meta.id.size() <= 2 ? o.meta.id : "new", " ",
                                       o.external_id, " ", o.certificate.number, " ", o.post_id,
                                       " ", o.display_name, " r", o.meta.revision);
  }
  return stored;
}

Power ImportedPower(const std::string& code, const std::string& external_id,
                    const std::string& name, const std::string& post = "") {
  Power p = NewPower("", "", code);
  p.external_id = external_id;
  p.item_name = name;
  p.post_id = post;
  return p;
}

Officer ImportedOfficer(const std::string& person, const std::string& external_id,
                        const std::string& certificate, const std::string& post = "") {
  Officer o = NewOfficer("", "", person);
  o.external_id = external_id;
  o.display_name = absl::StrCat(person, "/", certificate, "/", external_id);
  o.certificate.number = certificate;
  if (certificate.empty()) o.certificate = {};
  o.post_id = post;
  return o;
}

TEST_P(ImportPathsTest, PowersInBulkAsRowByRow) {
  // Duplicates inside the batch, stored and new records, a code freed by
  // an earlier row and taken by a later one, taken keys, missing posts.
  const std::vector<Power> upsert = {
      ImportedPower("N1", "", "1"),           ImportedPower("N1", "", "2"),
      ImportedPower("S1", "E1", "3"),         ImportedPower("N2", "E1", "4"),
      ImportedPower("S1", "", "5"),           ImportedPower("S3", "E9", "6"),
      ImportedPower("N3", "", "7", "post-1"), ImportedPower("N4", "", "8", "nope"),
      ImportedPower("N5", "E5", "9"),         ImportedPower("N6", "E5", "10"),
      ImportedPower("N5", "", "11"),          ImportedPower("N1", "E5", "12")};
  const auto described =
      ExpectSamePaths(upsert, ImportMode::kUpsert, &SqlDutyStore::ImportPowers, StoredPowers);
  ASSERT_EQ(described.size(), upsert.size());
  EXPECT_EQ(described[1], "OK  id=#0 replaced");
  EXPECT_EQ(described[3], "OK  id=s1 replaced");
  EXPECT_EQ(described[4], "OK  id=#1");
  EXPECT_EQ(described[5], "ALREADY_EXISTS code \"S3\" is already used by orgs/ORG/powers/s3 id=");
  EXPECT_THAT(described[7], HasSubstr("FAILED_PRECONDITION post orgs/ORG/posts/nope"));
  EXPECT_EQ(described[11], "ALREADY_EXISTS code \"N1\" is already used by orgs/ORG/powers/#0 id=");
  EXPECT_EQ(StoredPowers(*store_, "org-a").at("N2"), "s1 E1  4 r3");

  const std::vector<Power> create = {
      ImportedPower("S2", "", "a"),        ImportedPower("C1", "E1", "b"),
      ImportedPower("C1", "", "c"),        ImportedPower("C1", "", "d"),
      ImportedPower("C2", "E7", "e"),      ImportedPower("C3", "E7", "f"),
      ImportedPower("C4", "", "g", "nope")};
  const auto created =
      ExpectSamePaths(create, ImportMode::kCreateOnly, &SqlDutyStore::ImportPowers, StoredPowers);
  ASSERT_EQ(created.size(), create.size());
  EXPECT_THAT(created[1], HasSubstr("external_id \"E1\""));
  EXPECT_THAT(created[3], HasSubstr("import with mode UPSERT to replace it"));

  // Two stored powers swap codes through a third: one multi-row UPDATE
  // could trip over a code's old holder, so the batch goes row by row.
  const std::vector<Power> swap = {ImportedPower("TMP", "E1", "x"), ImportedPower("N2", "E2", "y"),
                                   ImportedPower("S2", "E1", "z")};
  ExpectSamePaths(swap, ImportMode::kUpsert, &SqlDutyStore::ImportPowers, StoredPowers);
  EXPECT_EQ(StoredPowers(*store_, "org-a").at("S2"), "s1 E1  z r5");
  EXPECT_EQ(StoredPowers(*store_, "org-a").at("N2"), "s2 E2  y r2");
}

TEST_P(ImportPathsTest, OfficersInBulkAsRowByRow) {
  const std::vector<Officer> upsert = {ImportedOfficer("P3", "", "ZF-P1"),
                                       ImportedOfficer("P3", "", ""),
                                       ImportedOfficer("P4", "OE1", "ZF-P4"),
                                       ImportedOfficer("P1", "", "ZF-P1"),
                                       ImportedOfficer("P2", "", "ZF-X", "post-1"),
                                       ImportedOfficer("P5", "", "", "nope"),
                                       ImportedOfficer("P6", "OE6", "ZF-6"),
                                       ImportedOfficer("P7", "OE6", "ZF-7"),
                                       ImportedOfficer("P8", "", "ZF-7")};
  const auto described =
      ExpectSamePaths(upsert, ImportMode::kUpsert, &SqlDutyStore::ImportOfficers, StoredOfficers);
  ASSERT_EQ(described.size(), upsert.size());
  EXPECT_EQ(described[0],
            "ALREADY_EXISTS certificate number \"ZF-P1\" is already used by "
            "orgs/ORG/officers/o1 id=");
  EXPECT_EQ(described[2], "OK  id=o1 replaced");
  EXPECT_EQ(described[3], "OK  id=#1");
  EXPECT_EQ(described[4], "OK  id=o2 replaced");
  EXPECT_THAT(described[5], HasSubstr("FAILED_PRECONDITION"));
  EXPECT_THAT(described[8], HasSubstr("ALREADY_EXISTS certificate number \"ZF-7\""));
  EXPECT_EQ(StoredOfficers(*store_, "org-a").size(), 5u);

  const std::vector<Officer> create = {
      ImportedOfficer("P2", "", ""), ImportedOfficer("P9", "OE1", ""),
      ImportedOfficer("P9", "", "ZF-X"), ImportedOfficer("P10", "", "ZF-10"),
      ImportedOfficer("P10", "", "ZF-11")};
  const auto created = ExpectSamePaths(create, ImportMode::kCreateOnly,
                                       &SqlDutyStore::ImportOfficers, StoredOfficers);
  ASSERT_EQ(created.size(), create.size());
  EXPECT_THAT(created[0], HasSubstr("person_id \"P2\""));
  EXPECT_THAT(created[1], HasSubstr("external_id \"OE1\""));
  EXPECT_THAT(created[2], HasSubstr("certificate number \"ZF-X\""));
  EXPECT_EQ(created[3], "OK  id=#0");
}

TEST_P(SqlDutyStoreTest, ApplyPlanIsAllOrNothingAndKeepsPins) {
  ASSERT_TRUE(store_->CreatePower(NewPower("org-a", "p1", "C-1"), {}).ok());
  ASSERT_TRUE(store_->CreatePower(NewPower("org-a", "p2", "C-2"), {}).ok());
  for (const char* id : {"o1", "o2", "o3"}) {
    ASSERT_TRUE(store_->CreateOfficer(NewOfficer("org-a", id, std::string("HR-") + id), {}).ok());
  }
  ASSERT_TRUE(store_->CreateAssignment(NewAssignment("org-a", "p1", "o1"), Ok).ok());  // pinned
  ASSERT_TRUE(
      store_->CreateAssignment(NewAssignment("org-a", "p2", "o1", AssignmentOrigin::kComputed), Ok)
          .ok());

  auto computed = [](const std::string& p, const std::string& o, AssignmentRole role) {
    Assignment a;
    a.meta.id = AssignmentId(p, o);
    a.power_id = p;
    a.officer_id = o;
    a.role = role;
    a.origin = AssignmentOrigin::kComputed;
    return a;
  };
  // A plan that fails half-way leaves everything as it was.
  absl::Status failed =
      store_->ApplyPlan("org-a", [&](const DutySnapshot& s) -> absl::StatusOr<AssignmentChanges> {
        EXPECT_EQ(s.assignments.size(), 2u);
        return AssignmentChanges{{computed("p1", "o2", AssignmentRole::kAssistant),
                                  computed("p2", "nobody", AssignmentRole::kLead)},
                                 {AssignmentId("p2", "o1")}};
      });
  EXPECT_FALSE(failed.ok());
  auto all = store_->ListAssignments("org-a", {}, std::nullopt, 100);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[1].meta.id, "p2~o1");

  ASSERT_TRUE(store_
                  ->ApplyPlan("org-a",
                              [&](const DutySnapshot&) -> absl::StatusOr<AssignmentChanges> {
                                return AssignmentChanges{
                                    {computed("p1", "o2", AssignmentRole::kAssistant),
                                     computed("p2", "o2", AssignmentRole::kLead),
                                     computed("p2", "o3", AssignmentRole::kAssistant)},
                                    {AssignmentId("p2", "o1")}};
                              })
                  .ok());
  all = store_->ListAssignments("org-a", {}, std::nullopt, 100);
  ASSERT_EQ(all->size(), 4u);
  EXPECT_EQ((*all)[0].meta.id, "p1~o1");
  EXPECT_EQ((*all)[0].origin, AssignmentOrigin::kPinned);
  EXPECT_EQ((*all)[2].meta.id, "p2~o2");
  EXPECT_EQ((*all)[2].role, AssignmentRole::kLead);

  // A plan may not touch a pin.
  EXPECT_FALSE(store_
                   ->ApplyPlan("org-a",
                               [&](const DutySnapshot&) -> absl::StatusOr<AssignmentChanges> {
                                 return AssignmentChanges{{}, {AssignmentId("p1", "o1")}};
                               })
                   .ok());
  EXPECT_EQ(store_->ListAssignments("org-a", {}, std::nullopt, 100)->size(), 4u);

  // Keyset pages of one row, their boundaries within one power's officers.
  std::vector<std::string> walked;
  std::optional<AssignmentPosition> after;
  for (int page = 0; page < 6; ++page) {
    auto rows = store_->ListAssignments("org-a", {}, after, 1);
    ASSERT_TRUE(rows.ok()) << rows.status();
    if (rows->empty()) break;
    walked.push_back(rows->front().meta.id);
    after = AssignmentPosition{rows->front().power_id, rows->front().officer_id};
  }
  EXPECT_THAT(walked, ::testing::ElementsAre("p1~o1", "p1~o2", "p2~o2", "p2~o3"));
}

INSTANTIATE_TEST_SUITE_P(
    Drivers, SqlDutyStoreTest,
    ::testing::Values(fazhi::testing::Driver::kSqlite, fazhi::testing::Driver::kPostgres),
    fazhi::testing::DriverParamName<::testing::TestParamInfo<fazhi::testing::Driver>>);

INSTANTIATE_TEST_SUITE_P(
    Drivers, ImportPathsTest,
    ::testing::Values(fazhi::testing::Driver::kSqlite, fazhi::testing::Driver::kPostgres),
    fazhi::testing::DriverParamName<::testing::TestParamInfo<fazhi::testing::Driver>>);

}  // namespace
}  // namespace fazhi::duty
