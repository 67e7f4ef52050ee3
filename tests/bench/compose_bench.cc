// fazhi-compose-bench: ComposeReport latency next to plain unary round trips
// to the backends, measured in one run against running services. Calls go one
// at a time (latency, not throughput). The series take turns call by call,
// and each round starts with a different series, so a noisy neighbour slows
// every series alike and the ratios stay meaningful on a shared machine.
//
//   fazhi-compose-bench --gateway=127.0.0.1:7100 --study=127.0.0.1:7101
//       --duty=127.0.0.1:7102 --report=127.0.0.1:7103 --org=lushan-minzheng --year=2024
//
// (the defaults are the demo's ports, scripts/demo.sh).
//
// Series: report GetOrganization (the plain round trip the ratios divide by:
// one record read through a store); the other three calls of the gateway's
// parallel fan-out, report GetReport, study GetStudySummary and duty
// GetDutySummary; and ComposeReport with no renderings and with all four
// (docx, html, md, txt).
// Every answer is checked (sections present, renderings as asked, nothing
// missing), so a fast error never passes for a fast call.

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <numeric>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "fazhi/duty/v1/duty.grpc.pb.h"
#include "fazhi/gateway/v1/gateway.grpc.pb.h"
#include "fazhi/report/v1/report.grpc.pb.h"
#include "fazhi/study/v1/study.grpc.pb.h"
#include "nlohmann/json.hpp"

ABSL_FLAG(std::string, gateway, "127.0.0.1:7100", "gateway address");
ABSL_FLAG(std::string, study, "127.0.0.1:7101", "study service address");
ABSL_FLAG(std::string, duty, "127.0.0.1:7102", "duty service address");
ABSL_FLAG(std::string, report, "127.0.0.1:7103", "report service address");
ABSL_FLAG(std::string, org, "lushan-minzheng", "organization whose report is composed");
ABSL_FLAG(int, year, 2024, "report year");
ABSL_FLAG(int, rounds, 500, "measured rounds (one call of every series each)");
ABSL_FLAG(int, warmup, 20, "unmeasured rounds before them");
ABSL_FLAG(std::string, label, "", "name printed with the results");
ABSL_FLAG(std::string, json_out, "", "also write the figures to this file as JSON");

namespace {

namespace gateway = fazhi::gateway::v1;
namespace report = fazhi::report::v1;
namespace study = fazhi::study::v1;
namespace duty = fazhi::duty::v1;

constexpr char kPlain[] = "report GetOrganization";
constexpr char kComposeNone[] = "ComposeReport (no formats)";
constexpr char kComposeAll[] = "ComposeReport (docx,html,md,txt)";

struct Series {
  std::string name;
  std::function<absl::Status()> call;
  std::vector<double> latencies_us;
};

struct Figures {
  double p50 = 0, p90 = 0, mean = 0;
};

Figures Summarize(std::vector<double> us) {
  Figures f;
  if (us.empty()) return f;
  std::sort(us.begin(), us.end());
  auto at = [&](double p) { return us[static_cast<size_t>(p * (us.size() - 1) + 0.5)]; };
  f.p50 = at(0.50);
  f.p90 = at(0.90);
  f.mean = std::accumulate(us.begin(), us.end(), 0.0) / us.size();
  return f;
}

void SetDeadline(grpc::ClientContext& context) {
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
}

absl::Status Failed(absl::string_view what, const grpc::Status& status) {
  return absl::UnknownError(
      absl::StrCat(what, " failed: code ", status.error_code(), ": ", status.error_message()));
}

// Checks a composed report: the structure is there, the renderings are the
// ones asked for and not empty, and no backend was left out.
absl::Status CheckComposed(const gateway::ComposedReport& composed, size_t formats) {
  if (composed.sections_size() == 0) return absl::InternalError("composed report has no sections");
  if (composed.missing_backends_size() > 0) {
    return absl::InternalError(absl::StrCat("backends missing: ",
                                            absl::StrJoin(composed.missing_backends(), ", ")));
  }
  if (static_cast<size_t>(composed.renderings_size()) != formats) {
    return absl::InternalError(
        absl::StrCat(composed.renderings_size(), " renderings instead of ", formats));
  }
  for (const auto& r : composed.renderings()) {
    if (r.content().empty()) return absl::InternalError(absl::StrCat(r.format(), " rendering is empty"));
  }
  return absl::OkStatus();
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage("ComposeReport latency against a plain unary round trip");
  absl::ParseCommandLine(argc, argv);
  const std::string org = absl::StrCat("orgs/", absl::GetFlag(FLAGS_org));
  const int year = absl::GetFlag(FLAGS_year);
  const int rounds = std::max(1, absl::GetFlag(FLAGS_rounds));
  const int warmup = std::max(0, absl::GetFlag(FLAGS_warmup));

  auto channel = [](const std::string& target) {
    return grpc::CreateChannel(target, grpc::InsecureChannelCredentials());
  };
  auto gateway_stub = gateway::AnnualReportService::NewStub(channel(absl::GetFlag(FLAGS_gateway)));
  auto study_stub = study::StudyService::NewStub(channel(absl::GetFlag(FLAGS_study)));
  auto duty_stub = duty::DutyService::NewStub(channel(absl::GetFlag(FLAGS_duty)));
  auto report_stub = report::ReportService::NewStub(channel(absl::GetFlag(FLAGS_report)));

  report::GetOrganizationRequest get_org;
  get_org.set_name(org);
  report::GetReportRequest get_report;
  get_report.set_name(absl::StrCat(org, "/reports/", year));
  study::GetStudySummaryRequest study_summary;
  study_summary.set_org(org);
  study_summary.set_year(year);
  duty::GetDutySummaryRequest duty_summary;
  duty_summary.set_org(org);
  duty_summary.set_year(year);
  gateway::ComposeReportRequest compose_none;
  compose_none.set_org(org);
  compose_none.set_year(year);
  gateway::ComposeReportRequest compose_all = compose_none;
  for (const char* f : {"docx", "html", "md", "txt"}) compose_all.add_formats(f);

  // What one composed report holds, printed once so the figures can be
  // related to the size of the work.
  std::string composed_shape;

  std::vector<Series> series;
  series.push_back({kPlain, [&]() -> absl::Status {
                      grpc::ClientContext context;
                      SetDeadline(context);
                      report::Organization response;
                      grpc::Status s = report_stub->GetOrganization(&context, get_org, &response);
                      if (!s.ok()) return Failed("GetOrganization", s);
                      if (response.name() != org) return absl::InternalError("another organization");
                      return absl::OkStatus();
                    }});
  series.push_back({"report GetReport", [&]() -> absl::Status {
                      grpc::ClientContext context;
                      SetDeadline(context);
                      report::Report response;
                      grpc::Status s = report_stub->GetReport(&context, get_report, &response);
                      return s.ok() ? absl::OkStatus() : Failed("GetReport", s);
                    }});
  series.push_back({"study GetStudySummary", [&]() -> absl::Status {
                      grpc::ClientContext context;
                      SetDeadline(context);
                      study::StudySummary response;
                      grpc::Status s = study_stub->GetStudySummary(&context, study_summary, &response);
                      return s.ok() ? absl::OkStatus() : Failed("GetStudySummary", s);
                    }});
  series.push_back({"duty GetDutySummary", [&]() -> absl::Status {
                      grpc::ClientContext context;
                      SetDeadline(context);
                      duty::DutySummary response;
                      grpc::Status s = duty_stub->GetDutySummary(&context, duty_summary, &response);
                      return s.ok() ? absl::OkStatus() : Failed("GetDutySummary", s);
                    }});
  series.push_back({kComposeNone, [&]() -> absl::Status {
                      grpc::ClientContext context;
                      SetDeadline(context);
                      gateway::ComposedReport response;
                      grpc::Status s = gateway_stub->ComposeReport(&context, compose_none, &response);
                      if (!s.ok()) return Failed("ComposeReport", s);
                      return CheckComposed(response, 0);
                    }});
  series.push_back({kComposeAll, [&]() -> absl::Status {
                      grpc::ClientContext context;
                      SetDeadline(context);
                      gateway::ComposedReport response;
                      grpc::Status s = gateway_stub->ComposeReport(&context, compose_all, &response);
                      if (!s.ok()) return Failed("ComposeReport", s);
                      if (absl::Status c = CheckComposed(response, 4); !c.ok()) return c;
                      if (composed_shape.empty()) {
                        int findings = 0;
                        for (const auto& f : response.findings()) findings += f.suppressed() ? 0 : 1;
                        std::vector<std::string> sizes;
                        for (const auto& r : response.renderings()) {
                          sizes.push_back(absl::StrCat(r.format(), " ", r.content().size(), " B"));
                        }
                        composed_shape = absl::StrCat(response.sections_size(), " sections, ", findings,
                                                      " findings; ", absl::StrJoin(sizes, ", "));
                      }
                      return absl::OkStatus();
                    }});

  const int n = static_cast<int>(series.size());
  for (int round = 0; round < warmup + rounds; ++round) {
    for (int k = 0; k < n; ++k) {
      Series& s = series[(round + k) % n];
      const absl::Time start = absl::Now();
      const absl::Status status = s.call();
      const absl::Time end = absl::Now();
      if (!status.ok()) {
        std::cerr << "fazhi-compose-bench: " << s.name << ": " << status.message() << "\n";
        return 1;
      }
      if (round >= warmup) s.latencies_us.push_back(absl::ToDoubleMicroseconds(end - start));
    }
  }

  const std::string label = absl::GetFlag(FLAGS_label);
  std::printf("== %s%s%s %d: %d rounds after %d warm-up, calls one at a time\n", label.c_str(),
              label.empty() ? "" : ": ", org.c_str(), year, rounds, warmup);
  std::printf("   composed: %s\n", composed_shape.c_str());
  nlohmann::ordered_json json = {{"label", label}, {"org", org}, {"year", year}, {"rounds", rounds}};
  std::vector<Figures> figures;
  for (const Series& s : series) {
    const Figures f = Summarize(s.latencies_us);
    figures.push_back(f);
    std::printf("   %-34s p50 %8.0f us   p90 %8.0f us   mean %8.0f us\n", s.name.c_str(), f.p50, f.p90,
                f.mean);
    json["series"][s.name] = {{"p50_us", f.p50}, {"p90_us", f.p90}, {"mean_us", f.mean}};
  }
  const Figures& plain = figures[0];
  const Figures& none = figures[n - 2];
  const Figures& all = figures[n - 1];
  std::printf("   ratio compose/%s (p50): %.1f with no formats, %.1f with all four\n", kPlain,
              none.p50 / plain.p50, all.p50 / plain.p50);
  json["ratio_p50"] = {{kComposeNone, none.p50 / plain.p50}, {kComposeAll, all.p50 / plain.p50}};

  if (const std::string path = absl::GetFlag(FLAGS_json_out); !path.empty()) {
    std::ofstream(path) << json.dump(2) << "\n";
  }
  return 0;
}
