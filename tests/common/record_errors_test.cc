#include "services/common/record_errors.h"

#include "gtest/gtest.h"

namespace fazhi {
namespace {

TEST(RecordErrorsTest, OneWordingPerCondition) {
  EXPECT_EQ(NotFoundError("report", "orgs/a/reports/2024"),
            absl::NotFoundError("report orgs/a/reports/2024 does not exist"));
  EXPECT_EQ(AlreadyExistsError("organization", "orgs/a"),
            absl::AlreadyExistsError("organization orgs/a already exists"));
  EXPECT_EQ(AlreadyExistsError("report", "orgs/a/reports/2024", "update it"),
            absl::AlreadyExistsError("report orgs/a/reports/2024 already exists; update it"));
  EXPECT_EQ(TakenError("code \"C-1\"", "orgs/a/powers/p1"),
            absl::AlreadyExistsError("code \"C-1\" is already used by orgs/a/powers/p1"));
  EXPECT_EQ(TakenError("external_id \"e\"", "orgs/a/sessions/s", "import with mode UPSERT"),
            absl::AlreadyExistsError(
                "external_id \"e\" is already used by orgs/a/sessions/s; import with mode UPSERT"));
  EXPECT_EQ(StaleEtagError("publicity event", 3, 5),
            absl::AbortedError("etag W/\"3\" is stale: the publicity event is now at W/\"5\"; "
                               "read it again and retry"));
  EXPECT_EQ(RequestIdReusedError().code(), absl::StatusCode::kAlreadyExists);
}

TEST(RecordErrorsTest, CheckExpectedRevisionPassesNoneAndTheCurrentOne) {
  EXPECT_TRUE(CheckExpectedRevision("post", std::nullopt, 4).ok());
  EXPECT_TRUE(CheckExpectedRevision("post", 4, 4).ok());
  EXPECT_EQ(CheckExpectedRevision("post", 3, 4), StaleEtagError("post", 3, 4));
}

}  // namespace
}  // namespace fazhi
