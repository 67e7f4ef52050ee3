#include "services/gateway/backends.h"

#include <condition_variable>
#include <mutex>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/auth/authenticator.h"
#include "services/common/rpc.h"
#include "tests/gateway/fake_backends.h"

namespace fazhi::gateway {
namespace {

using fakes::FakeBackends;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
namespace sv1 = fazhi::study::v1;
namespace dv1 = fazhi::duty::v1;
namespace rv1 = fazhi::report::v1;

class BackendsTest : public ::testing::Test {
 protected:
  BackendsTest() { fake_.report.organizations.push_back(Organization("a")); }

  static rv1::Organization Organization(const std::string& slug) {
    rv1::Organization o;
    o.set_name("orgs/" + slug);
    o.set_full_name("甲局");
    return o;
  }

  BackendConfig Config(absl::Duration deadline = absl::Seconds(5)) const {
    BackendConfig config;
    config.study = config.duty = config.report = fake_.target();
    config.deadline = deadline;
    return config;
  }

  // The study summary of 2024 through the client, waited for.
  static absl::StatusOr<sv1::StudySummary> Summary(Backends& backends,
                                                   const Forward& forward = {}) {
    Answer<sv1::StudySummary> result;
    Fanout fanout;
    backends.study().Summary("orgs/a", 2024, {}, forward, fanout, &result);
    fanout.Wait();
    return std::move(result).Take();
  }

  FakeBackends fake_;
};

TEST_F(BackendsTest, AReadIsRetriedOnUnavailableAndSucceeds) {
  fake_.script.FailFirst("GetStudySummary", 2, grpc::StatusCode::UNAVAILABLE);
  Backends backends(Config());
  absl::StatusOr<sv1::StudySummary> summary = Summary(backends);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->org(), "orgs/a");
  EXPECT_EQ(fake_.script.Attempts("GetStudySummary"), 3);
}

TEST_F(BackendsTest, AReadIsTriedAtMostThreeTimesThenNamesTheBackend) {
  fake_.script.FailFirst("ListOrganizations", 100, grpc::StatusCode::UNAVAILABLE);
  Backends backends(Config());
  auto listed = backends.report().ListOrganizations("orgs/county", 1000, "", {});
  EXPECT_EQ(fake_.script.Attempts("ListOrganizations"), 3);
  ASSERT_FALSE(listed.ok());
  EXPECT_EQ(listed.status().code(), absl::StatusCode::kUnavailable);
  // The caller hears which backend, not where it is.
  EXPECT_EQ(listed.status().message(),
            "report backend: unavailable (the gateway's log has the details)");
}

TEST_F(BackendsTest, OtherFailuresAreNotRetriedAndKeepTheirMessage) {
  fake_.script.FailFirst("GetReport", 100, grpc::StatusCode::FAILED_PRECONDITION);
  Backends backends(Config());
  auto report = backends.report().GetReport("orgs/a/reports/2024", {});
  EXPECT_EQ(fake_.script.Attempts("GetReport"), 1);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(report.status().message(), "report backend: scripted failure");
}

TEST_F(BackendsTest, WritesAreNeverRetried) {
  fake_.script.FailFirst("PublishReport", 1, grpc::StatusCode::UNAVAILABLE);
  fake_.script.FailFirst("ApproveReport", 1, grpc::StatusCode::UNAVAILABLE);
  Backends backends(Config());
  rv1::PublishReportRequest publish;
  publish.set_name("orgs/a/reports/2024");
  auto published = backends.report().Publish(publish, {});
  EXPECT_EQ(published.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(fake_.script.Attempts("PublishReport"), 1);
  rv1::ApproveReportRequest approve;
  approve.set_name("orgs/a/reports/2024");
  EXPECT_EQ(backends.report().Approve(approve, {}).status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(fake_.script.Attempts("ApproveReport"), 1);
}

TEST_F(BackendsTest, ACallWithoutAnAnswerWithinTheDeadlineNamesTheBackend) {
  fake_.script.On("GetDutySummary", [](int) {
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
    return grpc::Status::OK;
  });
  Backends backends(Config(absl::Milliseconds(150)));
  Answer<dv1::DutySummary> summary;
  Fanout fanout;
  backends.duty().Summary("orgs/a", 2024, {}, {}, fanout, &summary);
  fanout.Wait();
  EXPECT_EQ(summary.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(summary.status().message(), "duty backend: no answer within the deadline");
}

TEST_F(BackendsTest, EveryCallForwardsTheRequestIdAndTheCaller) {
  Backends backends(Config());
  ASSERT_TRUE(Summary(backends, Forward{"req-1", "Bearer fz_key", ""}).ok());
  EXPECT_EQ(fake_.script.Metadata("GetStudySummary", kRequestIdHeader), "req-1");
  EXPECT_EQ(fake_.script.Metadata("GetStudySummary", auth::kAuthorizationHeader), "Bearer fz_key");
  rv1::PublishReportRequest publish;
  ASSERT_TRUE(backends.report()
                  .Publish(publish, AsDelegate(Forward{"req-2", "Bearer fz_key", ""},
                                               "Bearer fz_gateway", "office"))
                  .ok());
  EXPECT_EQ(fake_.script.Metadata("PublishReport", kRequestIdHeader), "req-2");
  EXPECT_EQ(fake_.script.Metadata("PublishReport", auth::kAuthorizationHeader),
            "Bearer fz_gateway");
  EXPECT_EQ(fake_.script.Metadata("PublishReport", auth::kOnBehalfOfHeader), "office");
}

TEST_F(BackendsTest, FetchYearGathersEveryBackendAndAReportNotStartedIsAbsent) {
  fake_.study.summaries[2024].set_total_sessions(7);
  fake_.study.summaries[2023].set_total_sessions(5);
  fake_.duty.summary.mutable_totals()->set_powers(3);
  Backends backends(Config());
  auto year = backends.FetchYear("a", 2024, absl::CivilDay(2024, 6, 30),
                                 Backends::FetchOptions::ForReport(false), {});
  ASSERT_TRUE(year.ok()) << year.status();
  EXPECT_EQ(year->inputs.organization->full_name(), "甲局");
  EXPECT_FALSE(year->inputs.report.has_value());
  EXPECT_EQ(year->inputs.study->total_sessions(), 7);
  EXPECT_EQ(year->inputs.study_previous->total_sessions(), 5);
  EXPECT_EQ(year->inputs.duty->totals().powers(), 3);
  EXPECT_THAT(year->missing_backends, IsEmpty());
  EXPECT_EQ(fake_.script.Attempts("GetStudySummary"), 2);  // the year and the year before
}

// A study service that answers include_previous_year gives the year before
// in the year's answer: once it has shown so, a report's fan-out asks it
// once, not twice. One that stops answering it is asked on its own again.
TEST_F(BackendsTest, TheYearBeforeRidesInTheYearsAnswerOnceTheServiceAnswersIt) {
  fake_.study.answers_previous_year = true;
  fake_.study.summaries[2024].set_total_sessions(7);
  fake_.study.summaries[2023].set_total_sessions(5);
  Backends backends(Config());
  auto fetch = [&](int year) {
    const int before = fake_.script.Attempts("GetStudySummary");
    auto fetched =
        backends.FetchYear("a", year, std::nullopt, Backends::FetchOptions::ForReport(false), {});
    EXPECT_TRUE(fetched.ok()) << fetched.status();
    return std::make_pair(*std::move(fetched), fake_.script.Attempts("GetStudySummary") - before);
  };
  auto [first, first_calls] = fetch(2024);  // not yet known: the year before on its own too
  EXPECT_EQ(first_calls, 2);
  EXPECT_EQ(first.inputs.study_previous->total_sessions(), 5);
  auto [second, second_calls] = fetch(2024);
  EXPECT_EQ(second_calls, 1);
  EXPECT_EQ(second.inputs.study->total_sessions(), 7);
  EXPECT_EQ(second.inputs.study_previous->total_sessions(), 5);
  EXPECT_EQ(second.inputs.study_previous->year(), 2023);
  EXPECT_FALSE(second.inputs.study->has_previous_year());  // not carried further

  fake_.study.refused_years.insert(2022);  // no year before 2023: no baseline, no error
  auto [earliest, earliest_calls] = fetch(2023);
  EXPECT_EQ(earliest_calls, 1);
  EXPECT_FALSE(earliest.inputs.study_previous.has_value());

  fake_.study.answers_previous_year = false;  // an older service behind the same address
  auto [older, older_calls] = fetch(2024);
  EXPECT_EQ(older_calls, 2);
  EXPECT_EQ(older.inputs.study_previous->total_sessions(), 5);
  auto [again, again_calls] = fetch(2024);
  EXPECT_EQ(again_calls, 2);
  EXPECT_EQ(again.inputs.study_previous->total_sessions(), 5);
}

// Every backend answers only once all four calls of a report's fan-out
// have reached it: the fetch succeeds only if they are in flight together.
TEST_F(BackendsTest, FetchYearHasEveryCallInFlightAtOnce) {
  std::mutex mu;
  std::condition_variable all_arrived;
  int arrived = 0;
  auto meet = [&](int) {
    std::unique_lock<std::mutex> lock(mu);
    ++arrived;
    all_arrived.notify_all();
    // The wait is only a safety net for a broken fan-out; it never decides.
    return all_arrived.wait_for(lock, std::chrono::seconds(20), [&] { return arrived >= 4; })
               ? grpc::Status::OK
               : grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "calls one after another");
  };
  for (const char* method : {"GetReportInputs", "GetStudySummary", "GetDutySummary"}) {
    fake_.script.On(method, meet);
  }
  fake_.report.report.emplace().set_name("orgs/a/reports/2024");
  Backends backends(Config(absl::Seconds(30)));
  auto year =
      backends.FetchYear("a", 2024, std::nullopt, Backends::FetchOptions::ForReport(false), {});
  ASSERT_TRUE(year.ok()) << year.status();
  EXPECT_EQ(arrived, 4);  // duty, the study year and the year before, the report service
  EXPECT_TRUE(year->inputs.report.has_value());
  EXPECT_TRUE(year->inputs.study_previous.has_value());
}

TEST_F(BackendsTest, TheOrganizationAndItsReportComeInOneCall) {
  fake_.report.report.emplace().set_state(rv1::REPORT_STATE_DRAFT);
  Backends backends(Config());
  auto year =
      backends.FetchYear("a", 2024, std::nullopt, Backends::FetchOptions::ForReport(false), {});
  ASSERT_TRUE(year.ok()) << year.status();
  EXPECT_EQ(year->inputs.organization->full_name(), "甲局");
  ASSERT_TRUE(year->inputs.report.has_value());
  EXPECT_EQ(year->inputs.report->name(), "orgs/a/reports/2024");
  EXPECT_EQ(fake_.script.Attempts("GetReportInputs"), 1);
  EXPECT_EQ(fake_.script.Attempts("GetOrganization"), 0);
  EXPECT_EQ(fake_.script.Attempts("GetReport"), 0);

  fake_.report.report.reset();  // not started: no report, no error
  auto unstarted = backends.FetchYear("a", 2024, std::nullopt, Backends::FetchOptions{}, {});
  ASSERT_TRUE(unstarted.ok()) << unstarted.status();
  EXPECT_FALSE(unstarted->inputs.report.has_value());

  auto unknown = backends.FetchYear("nobody", 2024, std::nullopt, Backends::FetchOptions{}, {});
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(unknown.status().message(), HasSubstr("report backend: orgs/nobody not found"));
}

TEST_F(BackendsTest, AReportServiceWithoutTheOneCallIsAskedTheTwo) {
  fake_.report.answers_inputs = false;  // an older service
  fake_.report.report.emplace().set_state(rv1::REPORT_STATE_DRAFT);
  Backends backends(Config());
  auto first =
      backends.FetchYear("a", 2024, std::nullopt, Backends::FetchOptions::ForReport(false), {});
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->inputs.organization->full_name(), "甲局");
  EXPECT_TRUE(first->inputs.report.has_value());
  EXPECT_EQ(fake_.report.refused_inputs, 1);
  EXPECT_EQ(fake_.script.Attempts("GetOrganization"), 1);
  EXPECT_EQ(fake_.script.Attempts("GetReport"), 1);

  // Not asked again at once: the two calls straight away.
  auto second =
      backends.FetchYear("a", 2024, std::nullopt, Backends::FetchOptions::ForReport(false), {});
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_TRUE(second->inputs.report.has_value());
  EXPECT_EQ(fake_.report.refused_inputs, 1);
  EXPECT_EQ(fake_.script.Attempts("GetOrganization"), 2);
  EXPECT_EQ(fake_.script.Attempts("GetReportInputs"), 0);
}

// Older report and study services behind the same addresses: what each
// first answer lacks is asked in one second round, and nothing is missing.
TEST_F(BackendsTest, BothFallbacksShareOneSecondRound) {
  fake_.study.answers_previous_year = true;
  fake_.study.summaries[2024].set_total_sessions(7);
  fake_.study.summaries[2023].set_total_sessions(5);
  fake_.report.report.emplace().set_state(rv1::REPORT_STATE_DRAFT);
  Backends backends(Config());
  auto learn =
      backends.FetchYear("a", 2024, std::nullopt, Backends::FetchOptions::ForReport(false), {});
  ASSERT_TRUE(learn.ok()) << learn.status();

  fake_.study.answers_previous_year = false;
  fake_.report.answers_inputs = false;
  const int summaries = fake_.script.Attempts("GetStudySummary");
  auto older =
      backends.FetchYear("a", 2024, std::nullopt, Backends::FetchOptions::ForReport(false), {});
  ASSERT_TRUE(older.ok()) << older.status();
  EXPECT_EQ(fake_.script.Attempts("GetStudySummary") - summaries, 2);
  EXPECT_EQ(fake_.script.Attempts("GetOrganization"), 1);
  EXPECT_EQ(fake_.script.Attempts("GetReport"), 1);
  EXPECT_EQ(older->inputs.organization->full_name(), "甲局");
  EXPECT_TRUE(older->inputs.report.has_value());
  EXPECT_EQ(older->inputs.study->total_sessions(), 7);
  EXPECT_EQ(older->inputs.study_previous->total_sessions(), 5);
}

TEST_F(BackendsTest, FetchYearWithoutThePreviousYearAsksForTheYearOnly) {
  Backends backends(Config());
  auto year = backends.FetchYear("a", 2024, std::nullopt, Backends::FetchOptions{}, {});
  ASSERT_TRUE(year.ok()) << year.status();
  EXPECT_FALSE(year->inputs.study_previous.has_value());
  EXPECT_EQ(fake_.script.Attempts("GetStudySummary"), 1);
}

TEST_F(BackendsTest, APartialFetchSkipsAnUnreachableBackendOnly) {
  fake_.script.FailFirst("GetDutySummary", 100, grpc::StatusCode::UNAVAILABLE);
  Backends backends(Config());
  auto partial = backends.FetchYear("a", 2024, std::nullopt,
                                    Backends::FetchOptions{.allow_partial = true}, {});
  ASSERT_TRUE(partial.ok()) << partial.status();
  EXPECT_THAT(partial->missing_backends, ElementsAre("duty"));
  EXPECT_TRUE(partial->inputs.study.has_value());
  EXPECT_FALSE(partial->inputs.duty.has_value());

  auto whole = backends.FetchYear("a", 2024, std::nullopt, Backends::FetchOptions{}, {});
  EXPECT_EQ(whole.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(whole.status().message(), HasSubstr("duty backend"));

  // The caller's mistake is an error even for a partial draft.
  fake_.script.FailFirst("GetStudySummary", 100, grpc::StatusCode::INVALID_ARGUMENT);
  auto refused = backends.FetchYear("a", 2024, std::nullopt,
                                    Backends::FetchOptions{.allow_partial = true}, {});
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.status().message(), "study backend: scripted failure");
}

TEST_F(BackendsTest, AYearBeforeTheServiceAcceptsIsNoBaselineNotAFailure) {
  fake_.study.refused_years = {2023};
  Backends backends(Config());
  auto year =
      backends.FetchYear("a", 2024, std::nullopt, Backends::FetchOptions::ForReport(false), {});
  ASSERT_TRUE(year.ok()) << year.status();
  EXPECT_TRUE(year->inputs.study.has_value());
  EXPECT_FALSE(year->inputs.study_previous.has_value());

  // Unreachable for the year before only: the year's failure all the same.
  fake_.study.refused_years.clear();
  fake_.script.On("GetStudySummary",
                  [](int) { return grpc::Status(grpc::StatusCode::UNAVAILABLE, "down"); });
  EXPECT_EQ(
      backends.FetchYear("a", 2024, std::nullopt, Backends::FetchOptions::ForReport(false), {})
          .status()
          .code(),
      absl::StatusCode::kUnavailable);
}

TEST_F(BackendsTest, AnUnknownOrganizationIsTheReportBackendsAnswer) {
  Backends backends(Config());
  auto year = backends.FetchYear("b", 2024, std::nullopt,
                                 Backends::FetchOptions{.allow_partial = true}, {});
  EXPECT_EQ(year.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(year.status().message(), "report backend: orgs/b not found");
}

}  // namespace
}  // namespace fazhi::gateway
