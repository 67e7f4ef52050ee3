// fazhi-compose-bench: ComposeReport latency next to plain unary round trips
// to the backends, measured in one run against running services. Calls go one
// at a time (latency, not throughput). The series take turns call by call,
// in an order shuffled every round (a call runs slower right after a heavy
// one, while that one's processes still clean up), so a noisy neighbour
// slows every series alike and the ratios stay meaningful on a shared
// machine.
//
//   fazhi-compose-bench --gateway=127.0.0.1:7100 --study=127.0.0.1:7101
//       --duty=127.0.0.1:7102 --report=127.0.0.1:7103 --org=lushan-minzheng --year=2024
//
// (the defaults are the demo's ports, scripts/demo.sh).
//
// Series: report GetOrganization (the plain round trip the ratios divide by:
// one record read through a store); the other three calls of the gateway's
// parallel fan-out, report GetReport, study GetStudySummary and duty
// GetDutySummary; the fan-out from here (the three calls the gateway makes
// for a report, started together, all three awaited: with one round trip
// added, about the least a composition through the gateway can take), and
// the same asked with the etags of their answers (answered "not
// modified": the least composing again what has not changed can take);
// gateway GetFacts (the same fan-out and the facts, without
// composing: it tells the fan-out from the composition); and ComposeReport
// with no renderings and with all four (docx, html, md, txt). The gateway
// holds the backends' answers and its composed reports, so those two
// measure composing again what nothing changed since (each backend still
// asked, answering "not modified"); with --gateway_holding_none (a gateway
// started with --answer_cache_mib=0 over the same backends) the two again
// through it: composing from fresh answers, as after a change.
//
// With --compare=GATEWAY,STUDY,DUTY,REPORT a second set of the four services
// holding the same organization (e.g. without other organizations' data) is
// measured in the same rounds, call by call, and every series gets the ratio
// of the two: a comparison that a busy machine cannot skew, as two runs one
// after the other can be.
//
// With --pids=NAME:PID,… (and --compare_pids for the second set) every series
// also gets the CPU time each of those processes spent per call, from
// /proc/PID/stat read before and after each call: clock ticks, so only the
// sum over many calls means anything, and it is not moved by other work on
// the machine as wall time is.
//
// Every answer is checked (sections present, renderings as asked, nothing
// missing), so a fast error never passes for a fast call.

#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <numeric>
#include <optional>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "fazhi/duty/v1/duty.grpc.pb.h"
#include "fazhi/gateway/v1/gateway.grpc.pb.h"
#include "fazhi/report/v1/report.grpc.pb.h"
#include "fazhi/study/v1/study.grpc.pb.h"
#include "nlohmann/json.hpp"
#include "tests/bench/bench_client.h"

ABSL_FLAG(std::string, gateway, "127.0.0.1:7100", "gateway address");
ABSL_FLAG(std::string, study, "127.0.0.1:7101", "study service address");
ABSL_FLAG(std::string, duty, "127.0.0.1:7102", "duty service address");
ABSL_FLAG(std::string, report, "127.0.0.1:7103", "report service address");
ABSL_FLAG(std::string, gateway_holding_none, "",
          "a gateway over the same backends that holds no answers (--answer_cache_mib=0): "
          "the ComposeReport series again through it");
ABSL_FLAG(std::string, label, "measured", "name of these services in the results");
ABSL_FLAG(std::string, compare, "",  // GATEWAY,STUDY,DUTY,REPORT[,GATEWAY_HOLDING_NONE]
          "GATEWAY,STUDY,DUTY,REPORT of a second set of services measured alongside");
ABSL_FLAG(std::string, compare_label, "compared", "name of the second set in the results");
ABSL_FLAG(std::string, org, "lushan-minzheng", "organization whose report is composed");
ABSL_FLAG(int, year, 2024, "report year");
ABSL_FLAG(int, rounds, 500, "measured rounds (one call of every series each)");
ABSL_FLAG(int, warmup, 20, "unmeasured rounds before them");
ABSL_FLAG(std::string, pids, "",
          "NAME:PID,… of the measured set's processes, for their CPU time per call");
ABSL_FLAG(std::string, compare_pids, "", "NAME:PID,… of the second set's processes");
ABSL_FLAG(std::string, only, "",
          "measure only the series whose names contain this (and the plain round trip), "
          "e.g. to profile one of them");
ABSL_FLAG(std::string, json_out, "", "also write the figures to this file as JSON");

namespace {

namespace gateway = fazhi::gateway::v1;
namespace report = fazhi::report::v1;
namespace study = fazhi::study::v1;
namespace duty = fazhi::duty::v1;

constexpr char kPlain[] = "report GetOrganization";
constexpr char kFanOut[] = "fan-out from here (3 calls)";
constexpr char kHeldFanOut[] = "fan-out from here, not modified";
constexpr char kNoneHeldNone[] = "ComposeReport, none held (no formats)";
constexpr char kNoneHeldAll[] = "ComposeReport, none held (docx,html,md,txt)";

// The requests every series sends, built once.
struct Requests {
  report::GetOrganizationRequest get_org;
  report::GetReportRequest get_report;
  study::GetStudySummaryRequest study_summary;
  duty::GetDutySummaryRequest duty_summary;
  gateway::GetFactsRequest get_facts;
  // The gateway's fan-out for a report, as it asks it (FetchYear with
  // FetchOptions::ForReport): records and the year before included.
  study::GetStudySummaryRequest fanout_study;
  duty::GetDutySummaryRequest fanout_duty;
  report::GetReportInputsRequest fanout_report;
  gateway::ComposeReportRequest compose_none;
  gateway::ComposeReportRequest compose_all;

  Requests(const std::string& org, int year) {
    get_org.set_name(org);
    get_report.set_name(absl::StrCat(org, "/reports/", year));
    study_summary.set_org(org);
    study_summary.set_year(year);
    duty_summary.set_org(org);
    duty_summary.set_year(year);
    get_facts.set_org(org);
    get_facts.set_year(year);
    fanout_study = study_summary;
    fanout_study.set_include_records(true);
    fanout_study.set_include_previous_year(true);
    fanout_duty = duty_summary;
    fanout_duty.set_include_records(true);
    fanout_report.set_name(get_report.name());
    compose_none.set_org(org);
    compose_none.set_year(year);
    compose_all = compose_none;
    for (const char* f : {"docx", "html", "md", "txt"}) compose_all.add_formats(f);
  }
};

// A process whose CPU time is counted, and its clock ticks so far.
struct Process {
  std::string name;
  int pid = 0;
};

// User and system time of a process in clock ticks, or -1.
long CpuTicks(int pid) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/stat"));
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // Fields after the command's closing parenthesis: state is field 3,
  // utime 14 and stime 15.
  const size_t close = stat.rfind(')');
  if (close == std::string::npos) return -1;
  std::vector<std::string> fields = absl::StrSplit(stat.substr(close + 2), ' ');
  if (fields.size() < 13) return -1;
  return std::stol(fields[11]) + std::stol(fields[12]);
}

std::vector<Process> ParsePids(const std::string& flag) {
  std::vector<Process> processes;
  for (absl::string_view entry : absl::StrSplit(flag, ',', absl::SkipEmpty())) {
    std::pair<std::string, std::string> kv = absl::StrSplit(entry, ':');
    processes.push_back({kv.first, std::stoi(kv.second)});
  }
  return processes;
}

// One set of the four services.
struct Stack {
  std::string label;
  std::unique_ptr<gateway::AnnualReportService::Stub> gateway;
  std::unique_ptr<study::StudyService::Stub> study;
  std::unique_ptr<duty::DutyService::Stub> duty;
  std::unique_ptr<report::ReportService::Stub> report;
  // A gateway over the same backends holding no answers; may be null.
  std::unique_ptr<gateway::AnnualReportService::Stub> holding_none;
  // What one composed report holds, so the figures can be related to the
  // size of the work (and the two stacks seen to compose the same).
  std::string composed_shape;
  std::vector<Process> processes;  // whose CPU time per call is counted

  Stack(std::string name, const std::string& gateway_target, const std::string& study_target,
        const std::string& duty_target, const std::string& report_target,
        const std::string& holding_none_target)
      : label(std::move(name)),
        gateway(gateway::AnnualReportService::NewStub(Channel(gateway_target))),
        study(study::StudyService::NewStub(Channel(study_target))),
        duty(duty::DutyService::NewStub(Channel(duty_target))),
        report(report::ReportService::NewStub(Channel(report_target))) {
    if (!holding_none_target.empty()) {
      holding_none = gateway::AnnualReportService::NewStub(Channel(holding_none_target));
    }
  }

  static std::shared_ptr<grpc::Channel> Channel(const std::string& target) {
    return fazhi::bench::Connect(target);
  }
};

struct Series {
  std::string name;
  std::function<absl::Status()> call;
  std::vector<double> latencies_us;
  std::vector<long> cpu_ticks;  // per process of the stack, summed over calls
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
  fazhi::bench::PrepareCall(context, absl::Seconds(30));
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
    return absl::InternalError(
        absl::StrCat("backends missing: ", absl::StrJoin(composed.missing_backends(), ", ")));
  }
  if (static_cast<size_t>(composed.renderings_size()) != formats) {
    return absl::InternalError(
        absl::StrCat(composed.renderings_size(), " renderings instead of ", formats));
  }
  for (const auto& r : composed.renderings()) {
    if (r.content().empty())
      return absl::InternalError(absl::StrCat(r.format(), " rendering is empty"));
  }
  return absl::OkStatus();
}

std::string ShapeOf(const gateway::ComposedReport& composed) {
  int findings = 0;
  for (const auto& f : composed.findings()) findings += f.suppressed() ? 0 : 1;
  std::vector<std::string> sizes;
  for (const auto& r : composed.renderings()) {
    sizes.push_back(absl::StrCat(r.format(), " ", r.content().size(), " B"));
  }
  return absl::StrCat(composed.sections_size(), " sections, ", findings, " findings; ",
                      absl::StrJoin(sizes, ", "));
}

// The fan-out's requests, and the same asked if_none_match the etags of
// their answers: the three calls the gateway makes to compose again what
// has not changed (a build without conditional reads answers in full).
struct FanOutRequests {
  study::GetStudySummaryRequest study;
  duty::GetDutySummaryRequest duty;
  report::GetReportInputsRequest report;
};

// The three calls of the gateway's fan-out for a report, started together
// from here on one completion queue and all three awaited: what a
// composition waits for before it composes, without the gateway. With
// `not_modified` the answers must be "not modified".
absl::Status FanOut(Stack& s, const FanOutRequests& r, bool not_modified) {
  grpc::CompletionQueue queue;
  grpc::ClientContext study_context, duty_context, report_context;
  for (grpc::ClientContext* c : {&study_context, &duty_context, &report_context}) SetDeadline(*c);
  study::StudySummary study_answer;
  duty::DutySummary duty_answer;
  report::ReportInputs report_answer;
  grpc::Status statuses[3];
  // Started slowest first, as the gateway starts them.
  auto duty_call = s.duty->AsyncGetDutySummary(&duty_context, r.duty, &queue);
  duty_call->Finish(&duty_answer, &statuses[0], &statuses[0]);
  auto study_call = s.study->AsyncGetStudySummary(&study_context, r.study, &queue);
  study_call->Finish(&study_answer, &statuses[1], &statuses[1]);
  auto report_call = s.report->AsyncGetReportInputs(&report_context, r.report, &queue);
  report_call->Finish(&report_answer, &statuses[2], &statuses[2]);
  void* tag;
  bool ok;
  for (int done = 0; done < 3; ++done) {
    if (!queue.Next(&tag, &ok) || !ok) return absl::InternalError("fan-out: a call was lost");
  }
  queue.Shutdown();
  while (queue.Next(&tag, &ok)) {
  }
  const char* names[] = {"GetDutySummary", "GetStudySummary", "GetReportInputs"};
  for (int i = 0; i < 3; ++i) {
    if (!statuses[i].ok()) return Failed(names[i], statuses[i]);
  }
  if (not_modified) {
    if (!study_answer.not_modified() || !duty_answer.not_modified() ||
        !report_answer.not_modified()) {
      return absl::InternalError("an answer of the not-modified fan-out was modified");
    }
  } else if (!study_answer.has_previous_year()) {
    return absl::InternalError("no year before");
  }
  return absl::OkStatus();
}

// `plain` asked with the etags of its answers now.
absl::StatusOr<FanOutRequests> NotModifiedRequests(Stack& s, FanOutRequests plain) {
  grpc::ClientContext study_context, duty_context, report_context;
  for (grpc::ClientContext* c : {&study_context, &duty_context, &report_context}) SetDeadline(*c);
  study::StudySummary study_answer;
  duty::DutySummary duty_answer;
  report::ReportInputs report_answer;
  if (grpc::Status st = s.study->GetStudySummary(&study_context, plain.study, &study_answer);
      !st.ok()) {
    return Failed("GetStudySummary", st);
  }
  if (grpc::Status st = s.duty->GetDutySummary(&duty_context, plain.duty, &duty_answer); !st.ok()) {
    return Failed("GetDutySummary", st);
  }
  if (grpc::Status st = s.report->GetReportInputs(&report_context, plain.report, &report_answer);
      !st.ok()) {
    return Failed("GetReportInputs", st);
  }
  plain.study.set_if_none_match(study_answer.answer_etag());
  plain.duty.set_if_none_match(duty_answer.answer_etag());
  plain.report.set_if_none_match(report_answer.answer_etag());
  return plain;
}

// The series of one stack, in the order they are printed; the plain round
// trip first, the two ComposeReport series last.
std::vector<Series> SeriesOf(Stack& s, const Requests& r) {
  std::vector<Series> series;
  series.push_back({kPlain, [&s, &r]() -> absl::Status {
                      grpc::ClientContext context;
                      SetDeadline(context);
                      report::Organization response;
                      grpc::Status status =
                          s.report->GetOrganization(&context, r.get_org, &response);
                      if (!status.ok()) return Failed("GetOrganization", status);
                      if (response.name() != r.get_org.name()) {
                        return absl::InternalError("another organization");
                      }
                      return absl::OkStatus();
                    }});
  series.push_back({"report GetReport", [&s, &r]() -> absl::Status {
                      grpc::ClientContext context;
                      SetDeadline(context);
                      report::Report response;
                      grpc::Status status = s.report->GetReport(&context, r.get_report, &response);
                      return status.ok() ? absl::OkStatus() : Failed("GetReport", status);
                    }});
  series.push_back({"study GetStudySummary", [&s, &r]() -> absl::Status {
                      grpc::ClientContext context;
                      SetDeadline(context);
                      study::StudySummary response;
                      grpc::Status status =
                          s.study->GetStudySummary(&context, r.study_summary, &response);
                      return status.ok() ? absl::OkStatus() : Failed("GetStudySummary", status);
                    }});
  series.push_back({"duty GetDutySummary", [&s, &r]() -> absl::Status {
                      grpc::ClientContext context;
                      SetDeadline(context);
                      duty::DutySummary response;
                      grpc::Status status =
                          s.duty->GetDutySummary(&context, r.duty_summary, &response);
                      return status.ok() ? absl::OkStatus() : Failed("GetDutySummary", status);
                    }});
  const FanOutRequests fan_out{r.fanout_study, r.fanout_duty, r.fanout_report};
  series.push_back({kFanOut, [&s, fan_out] { return FanOut(s, fan_out, false); }});
  // Asked with the etags of the answers when the series first runs.
  auto held = std::make_shared<std::optional<FanOutRequests>>();
  series.push_back({kHeldFanOut, [&s, fan_out, held]() -> absl::Status {
                      if (!held->has_value()) {
                        absl::StatusOr<FanOutRequests> asked = NotModifiedRequests(s, fan_out);
                        if (!asked.ok()) return asked.status();
                        *held = *std::move(asked);
                      }
                      // A build without conditional reads: its answers in full.
                      const bool conditional = !(*held)->study.if_none_match().empty();
                      return FanOut(s, **held, conditional);
                    }});
  series.push_back({"gateway GetFacts", [&s, &r]() -> absl::Status {
                      grpc::ClientContext context;
                      SetDeadline(context);
                      gateway::FactCatalogue response;
                      grpc::Status status = s.gateway->GetFacts(&context, r.get_facts, &response);
                      if (!status.ok()) return Failed("GetFacts", status);
                      if (response.facts_size() == 0) return absl::InternalError("no facts");
                      return absl::OkStatus();
                    }});
  if (s.holding_none != nullptr) {
    for (const auto& [name, request, formats] :
         {std::tuple{kNoneHeldNone, &r.compose_none, 0}, {kNoneHeldAll, &r.compose_all, 4}}) {
      series.push_back({name, [&s, request, formats]() -> absl::Status {
                          grpc::ClientContext context;
                          SetDeadline(context);
                          gateway::ComposedReport response;
                          grpc::Status status =
                              s.holding_none->ComposeReport(&context, *request, &response);
                          if (!status.ok()) return Failed("ComposeReport", status);
                          return CheckComposed(response, formats);
                        }});
    }
  }
  series.push_back({"ComposeReport (no formats)", [&s, &r]() -> absl::Status {
                      grpc::ClientContext context;
                      SetDeadline(context);
                      gateway::ComposedReport response;
                      grpc::Status status =
                          s.gateway->ComposeReport(&context, r.compose_none, &response);
                      if (!status.ok()) return Failed("ComposeReport", status);
                      return CheckComposed(response, 0);
                    }});
  series.push_back({"ComposeReport (docx,html,md,txt)", [&s, &r]() -> absl::Status {
                      grpc::ClientContext context;
                      SetDeadline(context);
                      gateway::ComposedReport response;
                      grpc::Status status =
                          s.gateway->ComposeReport(&context, r.compose_all, &response);
                      if (!status.ok()) return Failed("ComposeReport", status);
                      if (absl::Status c = CheckComposed(response, 4); !c.ok()) return c;
                      if (s.composed_shape.empty()) s.composed_shape = ShapeOf(response);
                      return absl::OkStatus();
                    }});
  return series;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage("ComposeReport latency against a plain unary round trip");
  absl::ParseCommandLine(argc, argv);
  const std::string org = absl::StrCat("orgs/", absl::GetFlag(FLAGS_org));
  const int year = absl::GetFlag(FLAGS_year);
  const int rounds = std::max(1, absl::GetFlag(FLAGS_rounds));
  const int warmup = std::max(0, absl::GetFlag(FLAGS_warmup));
  const Requests requests(org, year);

  std::vector<std::unique_ptr<Stack>> stacks;
  stacks.push_back(std::make_unique<Stack>(absl::GetFlag(FLAGS_label), absl::GetFlag(FLAGS_gateway),
                                           absl::GetFlag(FLAGS_study), absl::GetFlag(FLAGS_duty),
                                           absl::GetFlag(FLAGS_report),
                                           absl::GetFlag(FLAGS_gateway_holding_none)));
  if (const std::string compare = absl::GetFlag(FLAGS_compare); !compare.empty()) {
    std::vector<std::string> t = absl::StrSplit(compare, ',');
    // Both sets with a gateway holding none, or neither: the series pair up.
    if (t.size() != (stacks[0]->holding_none != nullptr ? 5u : 4u)) {
      std::cerr << "fazhi-compose-bench: --compare wants GATEWAY,STUDY,DUTY,REPORT and, with "
                   "--gateway_holding_none, the second set's as a fifth\n";
      return 2;
    }
    stacks.push_back(std::make_unique<Stack>(absl::GetFlag(FLAGS_compare_label), t[0], t[1], t[2],
                                             t[3], t.size() > 4 ? t[4] : ""));
  }

  stacks[0]->processes = ParsePids(absl::GetFlag(FLAGS_pids));
  if (stacks.size() > 1) stacks[1]->processes = ParsePids(absl::GetFlag(FLAGS_compare_pids));

  // All calls of a round, of every stack, in a new order each round (fixed
  // seed: runs are comparable), so no series always follows the same one.
  std::vector<std::vector<Series>> series;
  std::vector<Series*> round;
  for (auto& stack : stacks) {
    series.push_back(SeriesOf(*stack, requests));
    if (const std::string only = absl::GetFlag(FLAGS_only); !only.empty()) {
      std::erase_if(series.back(), [&](const Series& s) {
        return s.name != kPlain && !absl::StrContains(s.name, only);
      });
    }
    for (Series& s : series.back()) s.cpu_ticks.assign(stack->processes.size(), 0);
  }
  const size_t per_stack = series[0].size();
  std::map<const Series*, const Stack*> owner;
  for (size_t k = 0; k < stacks.size(); ++k) {
    for (Series& s : series[k]) {
      round.push_back(&s);
      owner[&s] = stacks[k].get();
    }
  }
  std::mt19937 shuffle(20240101);
  for (int r = 0; r < warmup + rounds; ++r) {
    std::shuffle(round.begin(), round.end(), shuffle);
    for (Series* each : round) {
      Series& s = *each;
      const std::vector<Process>& processes = owner[each]->processes;
      std::vector<long> before;
      for (const Process& p : processes) before.push_back(CpuTicks(p.pid));
      const absl::Time start = absl::Now();
      const absl::Status status = s.call();
      const absl::Time end = absl::Now();
      if (r >= warmup) {
        for (size_t i = 0; i < processes.size(); ++i) {
          s.cpu_ticks[i] += CpuTicks(processes[i].pid) - before[i];
        }
      }
      if (!status.ok()) {
        std::cerr << "fazhi-compose-bench: " << s.name << ": " << status.message() << "\n";
        return 1;
      }
      if (r >= warmup) s.latencies_us.push_back(absl::ToDoubleMicroseconds(end - start));
    }
  }

  std::printf("== %s %d: %d rounds after %d warm-up, calls one at a time%s\n", org.c_str(), year,
              rounds, warmup, stacks.size() > 1 ? ", the two sets of services call by call" : "");
  nlohmann::ordered_json json = {{"org", org}, {"year", year}, {"rounds", rounds}};
  std::vector<std::vector<Figures>> figures(stacks.size());
  for (size_t k = 0; k < stacks.size(); ++k) {
    std::printf("-- %s: composed %s\n", stacks[k]->label.c_str(),
                stacks[k]->composed_shape.c_str());
    for (const Series& s : series[k]) {
      const Figures f = Summarize(s.latencies_us);
      figures[k].push_back(f);
      std::printf("   %-44s p50 %8.0f us   p90 %8.0f us   mean %8.0f us\n", s.name.c_str(), f.p50,
                  f.p90, f.mean);
      json["stacks"][stacks[k]->label][s.name] = {
          {"p50_us", f.p50}, {"p90_us", f.p90}, {"mean_us", f.mean}};
      if (stacks[k]->processes.empty()) continue;
      // Ticks to microseconds a call.
      const double us_per_tick = 1e6 / sysconf(_SC_CLK_TCK) / s.latencies_us.size();
      std::vector<std::string> cpu;
      double total = 0;
      for (size_t i = 0; i < stacks[k]->processes.size(); ++i) {
        const double us = s.cpu_ticks[i] * us_per_tick;
        total += us;
        cpu.push_back(absl::StrCat(stacks[k]->processes[i].name, " ", std::lround(us)));
        json["stacks"][stacks[k]->label][s.name]["cpu_us"][stacks[k]->processes[i].name] = us;
      }
      std::printf("   %-44s CPU us/call: %s; sum %ld\n", "", absl::StrJoin(cpu, ", ").c_str(),
                  std::lround(total));
    }
    if (per_stack < 3 || !absl::StartsWith(series[k][per_stack - 2].name, "ComposeReport")) {
      continue;  // --only left the ComposeReport series out
    }
    const Figures& plain = figures[k][0];
    const Figures& none = figures[k][per_stack - 2];
    const Figures& all = figures[k][per_stack - 1];
    std::printf("   ratio compose/%s (p50): %.1f with no formats, %.1f with all four\n", kPlain,
                none.p50 / plain.p50, all.p50 / plain.p50);
    // Composing from fresh answers, when measured: the two series before.
    const Figures* fresh_none = nullptr;
    if (per_stack >= 5 && series[k][per_stack - 4].name == kNoneHeldNone) {
      fresh_none = &figures[k][per_stack - 4];
      const Figures& fresh_all = figures[k][per_stack - 3];
      std::printf(
          "   ratio compose, none held/%s (p50): %.1f with no formats, %.1f with all four\n",
          kPlain, fresh_none->p50 / plain.p50, fresh_all.p50 / plain.p50);
      json["stacks"][stacks[k]->label]["none_held_round_trips"] = {
          {"no_formats", fresh_none->p50 / plain.p50}, {"all_four", fresh_all.p50 / plain.p50}};
    }
    // A fan-out's floor: at least one round trip of the gateway's own on top.
    auto print_floor = [&](const char* fan_out, const char* label, const char* json_key,
                           const Figures& composed) {
      for (size_t i = 0; i < per_stack; ++i) {
        if (series[k][i].name != fan_out) continue;
        const double floor_us = figures[k][i].p50 + plain.p50;
        std::printf(
            "   %s + one round trip (p50s) %.0f us = %.1f round trips; composing took "
            "%.0f us more\n",
            label, floor_us, floor_us / plain.p50, composed.p50 - floor_us);
        json["stacks"][stacks[k]->label][json_key] = floor_us / plain.p50;
      }
    };
    print_floor(kFanOut, "floor: fan-out", "floor_round_trips",
                fresh_none != nullptr ? *fresh_none : none);
    // Composing again what has not changed waits for this at least.
    print_floor(kHeldFanOut, "floor, nothing changed: that fan-out",
                "not_modified_floor_round_trips", none);
  }
  if (stacks.size() > 1) {
    // Besides the ratio of the medians, the median of the ratios of the two
    // calls of each round: those ran moments apart, so even a neighbour that
    // comes and goes during the run hardly moves it.
    std::printf("-- %s / %s, same rounds: ratio of p50s, median of per-round ratios\n",
                stacks[0]->label.c_str(), stacks[1]->label.c_str());
    for (size_t i = 0; i < per_stack; ++i) {
      const double ratio = figures[0][i].p50 / figures[1][i].p50;
      std::vector<double> paired;
      for (size_t r = 0; r < series[0][i].latencies_us.size(); ++r) {
        paired.push_back(series[0][i].latencies_us[r] / series[1][i].latencies_us[r]);
      }
      const double paired_median = Summarize(paired).p50;
      std::printf("   %-44s %.2f   %.2f\n", series[0][i].name.c_str(), ratio, paired_median);
      json["ratio_p50"][series[0][i].name] = ratio;
      json["paired_ratio_median"][series[0][i].name] = paired_median;
    }
  }

  if (const std::string path = absl::GetFlag(FLAGS_json_out); !path.empty()) {
    std::ofstream(path) << json.dump(2) << "\n";
  }
  return 0;
}
