#include "services/study/sql_study_store.h"

#include <algorithm>
#include <utility>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/test_database.h"

namespace fazhi::study {
namespace {

using ::testing::ElementsAre;

// The store contract, run on both drivers.
class SqlStudyStoreTest : public ::testing::TestWithParam<fazhi::testing::Driver> {
 protected:
  void SetUp() override {
    FAZHI_SETUP_TEST_DATABASE(GetParam(), test_);
    ASSERT_TRUE(sql::ApplyMigrations(test_->db(), Migrations()).ok());
    store_ = std::make_unique<SqlStudyStore>(&test_->db());
  }

  static Session NewSession(const std::string& org, absl::CivilDay date,
                            std::string external_id = "") {
    Session s;
    s.meta.org = org;
    s.meta.id = NewId();
    s.date = date;
    s.kind = StudyKind::kAllStaff;
    s.title = "集中学习";
    s.laws = {"民法典"};
    s.duration_minutes = 60;
    s.attendees = {{"p1", "张三", true}};
    s.head_attended = true;
    s.external_id = std::move(external_id);
    return s;
  }
  static std::string NewId() {
    static int n = 0;
    return "s" + std::to_string(++n);
  }

  std::unique_ptr<fazhi::testing::TestDatabase> test_;
  std::unique_ptr<SqlStudyStore> store_;
};

TEST_P(SqlStudyStoreTest, CreateGetRoundTripsEveryField) {
  Session s = NewSession("org-a", absl::CivilDay(2024, 3, 1), "oa-1");
  s.evidence = {"minutes.pdf"};
  s.notes = "第一行\n第二行";
  s.attendee_count = 12;
  auto created = store_->CreateSession(s, {});
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->meta.revision, 1);
  auto got = store_->GetSession("org-a", s.meta.id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->date, absl::CivilDay(2024, 3, 1));
  EXPECT_EQ(got->title, "集中学习");
  EXPECT_THAT(got->laws, ElementsAre("民法典"));
  ASSERT_EQ(got->attendees.size(), 1u);
  EXPECT_EQ(got->attendees[0].display_name, "张三");
  EXPECT_TRUE(got->attendees[0].is_head);
  EXPECT_EQ(got->attendee_count, 12);
  EXPECT_EQ(got->external_id, "oa-1");
  EXPECT_EQ(got->notes, "第一行\n第二行");
  EXPECT_THAT(got->evidence, ElementsAre("minutes.pdf"));
}

TEST_P(SqlStudyStoreTest, OrganizationsNeverSeeEachOthersRows) {
  Session s = NewSession("org-a", absl::CivilDay(2024, 3, 1));
  ASSERT_TRUE(store_->CreateSession(s, {}).ok());
  EXPECT_EQ(store_->GetSession("org-b", s.meta.id).status().code(), absl::StatusCode::kNotFound);
  auto listed = store_->ListSessions("org-b", {}, std::nullopt, 10);
  ASSERT_TRUE(listed.ok());
  EXPECT_TRUE(listed->empty());
}

TEST_P(SqlStudyStoreTest, DuplicateIdOrExternalIdIsAlreadyExists) {
  Session s = NewSession("org-a", absl::CivilDay(2024, 3, 1), "oa-1");
  ASSERT_TRUE(store_->CreateSession(s, {}).ok());
  EXPECT_EQ(store_->CreateSession(s, {}).status().code(), absl::StatusCode::kAlreadyExists);
  Session other = NewSession("org-a", absl::CivilDay(2024, 3, 2), "oa-1");
  EXPECT_EQ(store_->CreateSession(other, {}).status().code(), absl::StatusCode::kAlreadyExists);
  // The same external id in another organization is fine.
  Session elsewhere = NewSession("org-b", absl::CivilDay(2024, 3, 2), "oa-1");
  EXPECT_TRUE(store_->CreateSession(elsewhere, {}).ok());
}

TEST_P(SqlStudyStoreTest, IdempotentCreateReturnsTheFirstResult) {
  Session s = NewSession("org-a", absl::CivilDay(2024, 3, 1));
  auto first = store_->CreateSession(s, {"req-1", "fp"});
  ASSERT_TRUE(first.ok());
  Session retry = s;
  retry.meta.id = "another-id";
  auto second = store_->CreateSession(retry, {"req-1", "fp"});
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->meta.id, first->meta.id);
  EXPECT_EQ(store_->CreateSession(retry, {"req-1", "other"}).status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(store_->ListSessions("org-a", {}, std::nullopt, 10)->size(), 1u);
}

TEST_P(SqlStudyStoreTest, UpdateChecksRevision) {
  Session s = NewSession("org-a", absl::CivilDay(2024, 3, 1));
  auto created = store_->CreateSession(s, {});
  ASSERT_TRUE(created.ok());
  Session changed = *created;
  changed.title = "改";
  auto updated = store_->UpdateSession(changed, 1);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->meta.revision, 2);
  EXPECT_EQ(updated->title, "改");
  EXPECT_EQ(store_->UpdateSession(changed, 1).status().code(), absl::StatusCode::kAborted);
  changed.meta.id = "missing";
  EXPECT_EQ(store_->UpdateSession(changed, 1).status().code(), absl::StatusCode::kNotFound);
}

TEST_P(SqlStudyStoreTest, DeleteChecksRevisionWhenGiven) {
  Session s = NewSession("org-a", absl::CivilDay(2024, 3, 1));
  ASSERT_TRUE(store_->CreateSession(s, {}).ok());
  EXPECT_EQ(store_->DeleteSession("org-a", s.meta.id, 7).code(), absl::StatusCode::kAborted);
  EXPECT_TRUE(store_->DeleteSession("org-a", s.meta.id, 1).ok());
  EXPECT_EQ(store_->DeleteSession("org-a", s.meta.id, std::nullopt).code(),
            absl::StatusCode::kNotFound);
}

TEST_P(SqlStudyStoreTest, ListIsKeysetPagedByDateThenIdWithFilters) {
  for (int day = 1; day <= 9; ++day) {
    Session s = NewSession("org-a", absl::CivilDay(2024, 1, day));
    if (day % 3 == 0) s.kind = StudyKind::kLeadershipGroup;
    ASSERT_TRUE(store_->CreateSession(s, {}).ok());
  }
  ASSERT_TRUE(store_->CreateSession(NewSession("org-a", absl::CivilDay(2023, 12, 31)), {}).ok());
  DatedFilter year{absl::CivilDay(2024, 1, 1), absl::CivilDay(2024, 12, 31), 0};
  auto page1 = store_->ListSessions("org-a", year, std::nullopt, 4);
  ASSERT_TRUE(page1.ok());
  ASSERT_EQ(page1->size(), 4u);
  EXPECT_EQ(page1->front().date, absl::CivilDay(2024, 1, 1));
  auto page2 = store_->ListSessions("org-a", year,
                                    DatedPosition{page1->back().date, page1->back().meta.id}, 10);
  ASSERT_EQ(page2->size(), 5u);
  EXPECT_EQ(page2->front().date, absl::CivilDay(2024, 1, 5));

  DatedFilter leadership = year;
  leadership.kind = static_cast<int>(StudyKind::kLeadershipGroup);
  EXPECT_EQ(store_->ListSessions("org-a", leadership, std::nullopt, 10)->size(), 3u);
}

// Pages whose boundary falls among sessions of one day: the keyset position
// is (date, id), so the walk returns every session once, in (date, id)
// order, with and without filters; a position before the start date still
// honours the start date.
TEST_P(SqlStudyStoreTest, KeysetWalkAcrossTiesOfOneDayReturnsEverySessionOnce) {
  std::vector<std::pair<absl::CivilDay, std::string>> expected;
  for (int day : {3, 3, 3, 3, 3, 4, 4, 5}) {
    Session s = NewSession("org-a", absl::CivilDay(2024, 5, day));
    if (expected.size() % 2 == 0) s.kind = StudyKind::kLeadershipGroup;
    ASSERT_TRUE(store_->CreateSession(s, {}).ok());
    expected.emplace_back(s.date, s.meta.id);
  }
  ASSERT_TRUE(store_->CreateSession(NewSession("org-a", absl::CivilDay(2023, 5, 3)), {}).ok());
  std::sort(expected.begin(), expected.end());

  const DatedFilter year{absl::CivilDay(2024, 1, 1), absl::CivilDay(2024, 12, 31), 0};
  std::vector<std::pair<absl::CivilDay, std::string>> walked;
  std::optional<DatedPosition> after;
  for (int page = 0; page < 10; ++page) {
    auto rows = store_->ListSessions("org-a", year, after, 2);
    ASSERT_TRUE(rows.ok()) << rows.status();
    for (const Session& s : *rows) walked.emplace_back(s.date, s.meta.id);
    if (rows->size() < 2) break;
    after = DatedPosition{rows->back().date, rows->back().meta.id};
  }
  EXPECT_EQ(walked, expected);

  DatedFilter leadership = year;
  leadership.kind = static_cast<int>(StudyKind::kLeadershipGroup);
  auto first = store_->ListSessions("org-a", leadership, std::nullopt, 2);
  ASSERT_EQ(first->size(), 2u);
  auto rest = store_->ListSessions("org-a", leadership,
                                   DatedPosition{first->back().date, first->back().meta.id}, 10);
  ASSERT_EQ(rest->size(), 2u);
  for (const Session& s : *rest) EXPECT_EQ(s.kind, StudyKind::kLeadershipGroup);
  EXPECT_GT(std::make_pair(rest->front().date, rest->front().meta.id),
            std::make_pair(first->back().date, first->back().meta.id));

  auto from_start =
      store_->ListSessions("org-a", year, DatedPosition{absl::CivilDay(2023, 1, 1), "z"}, 100);
  ASSERT_EQ(from_start->size(), expected.size());
  EXPECT_EQ(from_start->front().date, absl::CivilDay(2024, 5, 3));
}

TEST_P(SqlStudyStoreTest, ImportIsOneTransactionWithPerRowOutcomes) {
  ASSERT_TRUE(
      store_->CreateSession(NewSession("org-a", absl::CivilDay(2024, 1, 1), "dup"), {}).ok());
  std::vector<Session> rows = {NewSession("", absl::CivilDay(2024, 2, 1), "x1"),
                               NewSession("", absl::CivilDay(2024, 2, 2), "dup"),
                               NewSession("", absl::CivilDay(2024, 2, 3), "x3")};
  auto outcomes = store_->ImportSessions("org-a", rows, ImportMode::kCreateOnly);
  ASSERT_TRUE(outcomes.ok());
  ASSERT_EQ(outcomes->size(), 3u);
  EXPECT_TRUE((*outcomes)[0].status.ok());
  EXPECT_EQ((*outcomes)[1].status.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_TRUE((*outcomes)[2].status.ok());
  EXPECT_EQ(store_->ListSessions("org-a", {}, std::nullopt, 100)->size(), 3u);

  rows[1].title = "替换";
  outcomes = store_->ImportSessions("org-a", {rows[1]}, ImportMode::kUpsert);
  ASSERT_TRUE(outcomes.ok());
  EXPECT_TRUE((*outcomes)[0].replaced);
  auto replaced = store_->GetSession("org-a", (*outcomes)[0].id);
  EXPECT_EQ(replaced->title, "替换");
  EXPECT_EQ(replaced->meta.revision, 2);
}

TEST_P(SqlStudyStoreTest, FailedImportBatchStoresNothing) {
  // Make the third insert fail inside the store: the first two of the
  // batch must not survive.
  ASSERT_TRUE(test_->FailInsertsWhere("sessions", "title", "boom").ok());
  std::vector<Session> rows = {NewSession("", absl::CivilDay(2024, 2, 1)),
                               NewSession("", absl::CivilDay(2024, 2, 2)),
                               NewSession("", absl::CivilDay(2024, 2, 3))};
  rows[2].title = "boom";
  auto outcomes = store_->ImportSessions("org-a", rows, ImportMode::kCreateOnly);
  EXPECT_FALSE(outcomes.ok());
  EXPECT_TRUE(store_->ListSessions("org-a", {}, std::nullopt, 100)->empty());
}

TEST_P(SqlStudyStoreTest, PlansAreKeyedByYear) {
  StudyPlan plan;
  plan.meta.org = "org-a";
  plan.year = 2024;
  plan.rules = {{StudyKind::kLeadershipGroup, RulePeriod::kQuarter, 1, 30}};
  plan.eligible_staff = 40;
  plan.has_adopted_date = true;
  plan.adopted_date = absl::CivilDay(2024, 2, 1);
  ASSERT_TRUE(store_->PutPlan(plan, std::nullopt).ok());
  EXPECT_EQ(store_->PutPlan(plan, std::nullopt).status().code(), absl::StatusCode::kAlreadyExists);
  auto got = store_->GetPlan("org-a", 2024);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->meta.id, "2024");
  ASSERT_EQ(got->rules.size(), 1u);
  EXPECT_EQ(got->rules[0].period, RulePeriod::kQuarter);
  EXPECT_EQ(got->adopted_date, absl::CivilDay(2024, 2, 1));
  plan.year = 2025;
  plan.has_adopted_date = false;
  ASSERT_TRUE(store_->PutPlan(plan, std::nullopt).ok());
  auto listed = store_->ListPlans("org-a", 0, 10);
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_FALSE((*listed)[1].has_adopted_date);
  EXPECT_EQ(store_->ListPlans("org-a", 2024, 10)->size(), 1u);
}

TEST_P(SqlStudyStoreTest, LoadYearReadsOnlyThatYear) {
  ASSERT_TRUE(store_->CreateSession(NewSession("org-a", absl::CivilDay(2024, 1, 1)), {}).ok());
  ASSERT_TRUE(store_->CreateSession(NewSession("org-a", absl::CivilDay(2024, 12, 31)), {}).ok());
  ASSERT_TRUE(store_->CreateSession(NewSession("org-a", absl::CivilDay(2025, 1, 1)), {}).ok());
  auto year = store_->LoadYear("org-a", 2024);
  ASSERT_TRUE(year.ok());
  EXPECT_EQ(year->sessions.size(), 2u);
  EXPECT_FALSE(year->plan.has_value());
}

INSTANTIATE_TEST_SUITE_P(
    Drivers, SqlStudyStoreTest,
    ::testing::Values(fazhi::testing::Driver::kSqlite, fazhi::testing::Driver::kPostgres),
    fazhi::testing::DriverParamName<::testing::TestParamInfo<fazhi::testing::Driver>>);

}  // namespace
}  // namespace fazhi::study
