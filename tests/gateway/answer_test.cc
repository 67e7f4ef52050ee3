#include "services/gateway/answer.h"

#include <memory>

#include "fazhi/report/v1/report.pb.h"
#include "gtest/gtest.h"

namespace fazhi::gateway {
namespace {

namespace rv1 = fazhi::report::v1;

rv1::ReportInputs Inputs() {
  rv1::ReportInputs inputs;
  inputs.mutable_organization()->set_name("orgs/a");
  inputs.mutable_report()->set_name("orgs/a/reports/2024");
  inputs.set_answer_etag("e1");
  return inputs;
}

TEST(AnswerTest, UnansweredIsAnError) {
  Answer<rv1::ReportInputs> answer;
  EXPECT_FALSE(answer.ok());
  EXPECT_FALSE(std::move(answer).Take().ok());
}

TEST(AnswerTest, AnErrorStaysTheError) {
  Answer<rv1::ReportInputs> answer(absl::NotFoundError("report backend: gone"));
  EXPECT_EQ(answer.status(), absl::NotFoundError("report backend: gone"));
  Answer<rv1::Organization> part =
      answer.Part(&rv1::ReportInputs::organization, &rv1::ReportInputs::mutable_organization);
  EXPECT_EQ(part.status(), answer.status());
}

TEST(AnswerTest, AReceivedAnswerIsMovedOutInParts) {
  Answer<rv1::ReportInputs> answer(Inputs());
  EXPECT_TRUE(answer.ok());
  EXPECT_FALSE(answer.held());
  Answer<rv1::Organization> organization =
      answer.Part(&rv1::ReportInputs::organization, &rv1::ReportInputs::mutable_organization);
  EXPECT_EQ(organization->name(), "orgs/a");
  EXPECT_FALSE(organization.held());
  EXPECT_EQ(answer->organization().name(), "");  // moved out
  EXPECT_EQ(std::move(organization).Take()->name(), "orgs/a");
}

TEST(AnswerTest, AHeldAnswerIsSharedNotCopiedUntilTaken) {
  auto held = std::make_shared<const rv1::ReportInputs>(Inputs());
  Answer<rv1::ReportInputs> answer = Answer<rv1::ReportInputs>::Held(held);
  EXPECT_TRUE(answer.ok());
  EXPECT_TRUE(answer.held());
  EXPECT_EQ(&*answer, held.get());

  Answer<rv1::Report> report =
      answer.Part(&rv1::ReportInputs::report, &rv1::ReportInputs::mutable_report);
  EXPECT_TRUE(report.held());
  EXPECT_EQ(&*report, &held->report());  // the held answer's own part
  EXPECT_EQ(held.use_count(), 3);        // the test, the answer, the part

  absl::StatusOr<rv1::Report> taken = std::move(report).Take();
  ASSERT_TRUE(taken.ok());
  EXPECT_EQ(taken->name(), "orgs/a/reports/2024");
  EXPECT_NE(&*taken, &held->report());
  EXPECT_EQ(held->report().name(), "orgs/a/reports/2024");  // still whole
}

}  // namespace
}  // namespace fazhi::gateway
