// fazhi: the command line for staff and ops. Talks to the services over gRPC.

#include <grpcpp/grpcpp.h>

#include <cstdlib>
#include <iostream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "fazhi/study/v1/study.grpc.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/error_details.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "services/cli/json_rows.h"
#include "services/cli/study_report.h"
#include "services/common/grpc_status.h"
#include "services/common/validation.h"

namespace fazhi::cli {
namespace {

namespace v1 = fazhi::study::v1;

constexpr char kUsage[] = R"(fazhi — command line for the fazhi services

usage: fazhi <command> [--flag=value ...]

commands:
  wait-ready            wait until a service reports SERVING
                        [--target=HOST:PORT] [--timeout=SECONDS (30)]
  study import-sessions --org=ORG --file=FILE [--mode=create|upsert] [--batch=500]
  study import-events   --org=ORG --file=FILE [--mode=create|upsert] [--batch=500]
                        FILE: a JSON array or JSON Lines of Session / PublicityEvent
                        objects (protobuf JSON mapping)
  study put-plan        --org=ORG --year=YEAR --file=PLAN.json
  study summary         --org=ORG --year=YEAR [--as-of=YYYY-MM-DD] [--format=text|json]

--target defaults to $FAZHI_STUDY_TARGET, else 127.0.0.1:7101.
exit codes: 0 done, 1 some rows rejected, 2 usage error, 3 the call failed.
)";

using Flags = std::map<std::string, std::string>;

int Usage(const std::string& problem) {
  std::cerr << "fazhi: " << problem << "\n\n" << kUsage;
  return 2;
}

std::string Flag(const Flags& flags, const std::string& name, const std::string& fallback = "") {
  auto it = flags.find(name);
  return it == flags.end() ? fallback : it->second;
}

std::string DefaultTarget() {
  const char* env = std::getenv("FAZHI_STUDY_TARGET");
  return env && *env ? env : "127.0.0.1:7101";
}

std::unique_ptr<v1::StudyService::Stub> StudyStub(const Flags& flags) {
  return v1::StudyService::NewStub(grpc::CreateChannel(Flag(flags, "target", DefaultTarget()),
                                                       grpc::InsecureChannelCredentials()));
}

// The status as a person reads it: code, message, and every bad field.
std::string Describe(const grpc::Status& status) {
  std::string text = absl::StrCat(absl::StatusCodeToString(static_cast<absl::StatusCode>(status.error_code())),
                                  ": ", status.error_message());
  google::rpc::BadRequest bad_request;
  if (ReadDetail(FromGrpcStatus(status), bad_request)) {
    for (const auto& fv : bad_request.field_violations()) {
      absl::StrAppend(&text, "\n  ", fv.field(), ": ", fv.description());
    }
  }
  return text;
}

void SetDeadline(grpc::ClientContext& context, int seconds) {
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(seconds));
}

int WaitReady(const Flags& flags) {
  int timeout = 30;
  if (flags.count("timeout") && !absl::SimpleAtoi(Flag(flags, "timeout"), &timeout)) {
    return Usage("--timeout must be a number of seconds");
  }
  const std::string target = Flag(flags, "target", DefaultTarget());
  auto health = grpc::health::v1::Health::NewStub(
      grpc::CreateChannel(target, grpc::InsecureChannelCredentials()));
  const absl::Time give_up = absl::Now() + absl::Seconds(timeout);
  std::string last = "no answer";
  while (absl::Now() < give_up) {
    grpc::ClientContext context;
    SetDeadline(context, 2);
    grpc::health::v1::HealthCheckRequest request;
    grpc::health::v1::HealthCheckResponse response;
    grpc::Status status = health->Check(&context, request, &response);
    if (status.ok() && response.status() == grpc::health::v1::HealthCheckResponse::SERVING) {
      std::cerr << target << " is serving\n";
      return 0;
    }
    last = status.ok() ? "NOT_SERVING" : status.error_message();
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  std::cerr << "fazhi: " << target << " not serving after " << timeout << " s (" << last << ")\n";
  return 3;
}

// Streams the file's records in batches and prints the import report.
template <typename Request, typename Row, typename AddRows, typename Open>
int Import(const Flags& flags, AddRows add_rows, Open open) {
  const std::string org = Flag(flags, "org"), file = Flag(flags, "file");
  if (org.empty() || file.empty()) return Usage("--org and --file are required");
  int batch_size = 500;
  if (flags.count("batch") && (!absl::SimpleAtoi(Flag(flags, "batch"), &batch_size) ||
                               batch_size < 1 || batch_size > 1000)) {
    return Usage("--batch must be between 1 and 1000");
  }
  const std::string mode = Flag(flags, "mode", "create");
  if (mode != "create" && mode != "upsert") return Usage("--mode must be create or upsert");

  auto content = ReadFile(file);
  if (!content.ok()) return Usage(std::string(content.status().message()));
  auto records = SplitJsonRecords(*content);
  if (!records.ok()) return Usage(std::string(records.status().message()));
  std::vector<Row> rows(records->size());
  for (size_t i = 0; i < records->size(); ++i) {
    if (auto s = ParseJsonRecord((*records)[i], i, rows[i]); !s.ok()) {
      std::cerr << "fazhi: " << file << ": " << s.message() << "\n";
      return 2;
    }
  }

  grpc::ClientContext context;
  SetDeadline(context, 600);
  fazhi::type::v1::ImportReport report;
  auto stub = StudyStub(flags);
  auto writer = open(*stub, context, report);
  size_t sent = 0;
  for (size_t start = 0; start < rows.size(); start += batch_size) {
    Request request;
    if (start == 0) {
      request.set_parent("orgs/" + org);
      request.set_mode(mode == "upsert" ? fazhi::type::v1::IMPORT_MODE_UPSERT
                                        : fazhi::type::v1::IMPORT_MODE_CREATE_ONLY);
    }
    const size_t end = std::min(rows.size(), start + batch_size);
    for (size_t i = start; i < end; ++i) *add_rows(request) = rows[i];
    if (!writer->Write(request)) break;
    sent = end;
    std::cerr << "\r" << file << ": sent " << sent << "/" << rows.size() << " rows" << std::flush;
  }
  std::cerr << "\n";
  writer->WritesDone();
  grpc::Status status = writer->Finish();
  if (!status.ok()) {
    std::cerr << "fazhi: import failed: " << Describe(status) << "\n";
    ReadDetail(FromGrpcStatus(status), report);
    std::cerr << "stored before the failure: " << report.rows_stored() << " rows in "
              << report.batches_committed() << " batches\n";
    return 3;
  }
  std::cout << "received " << report.rows_received() << ", stored " << report.rows_stored()
            << ", rejected " << report.rows_rejected() << "\n";
  for (const auto& result : report.results()) {
    if (result.code() == 0) continue;
    std::cout << "  row " << result.row() << (result.external_id().empty() ? "" : " (" + result.external_id() + ")")
              << ": " << result.message() << "\n";
  }
  return report.rows_rejected() > 0 ? 1 : 0;
}

int PutPlan(const Flags& flags) {
  const std::string org = Flag(flags, "org"), file = Flag(flags, "file"), year = Flag(flags, "year");
  if (org.empty() || file.empty() || year.empty()) return Usage("--org, --year and --file are required");
  auto content = ReadFile(file);
  if (!content.ok()) return Usage(std::string(content.status().message()));
  v1::UpdateStudyPlanRequest request;
  if (auto s = ParseJsonRecord(*content, 0, *request.mutable_study_plan()); !s.ok()) {
    std::cerr << "fazhi: " << file << ": " << s.message() << "\n";
    return 2;
  }
  request.mutable_study_plan()->set_name(absl::StrCat("orgs/", org, "/studyPlans/", year));
  request.set_allow_missing(true);
  grpc::ClientContext context;
  SetDeadline(context, 30);
  v1::StudyPlan plan;
  grpc::Status status = StudyStub(flags)->UpdateStudyPlan(&context, request, &plan);
  if (!status.ok()) {
    std::cerr << "fazhi: " << Describe(status) << "\n";
    return 3;
  }
  std::cout << "stored " << plan.name() << " (" << plan.rules_size() << " rules)\n";
  return 0;
}

int Summary(const Flags& flags) {
  const std::string org = Flag(flags, "org");
  int year = 0;
  if (org.empty() || !absl::SimpleAtoi(Flag(flags, "year"), &year)) {
    return Usage("--org and --year are required");
  }
  v1::GetStudySummaryRequest request;
  request.set_org("orgs/" + org);
  request.set_year(year);
  if (flags.count("as-of")) {
    absl::CivilDay day;
    if (!ParseDate(Flag(flags, "as-of"), &day)) return Usage("--as-of must be YYYY-MM-DD");
    *request.mutable_as_of() = ToDate(day);
  }
  grpc::ClientContext context;
  SetDeadline(context, 30);
  v1::StudySummary summary;
  grpc::Status status = StudyStub(flags)->GetStudySummary(&context, request, &summary);
  if (!status.ok()) {
    std::cerr << "fazhi: " << Describe(status) << "\n";
    return 3;
  }
  if (Flag(flags, "format", "text") == "json") {
    std::string json;
    google::protobuf::util::JsonPrintOptions options;
    options.add_whitespace = true;
    options.preserve_proto_field_names = true;
    (void)google::protobuf::util::MessageToJsonString(summary, &json, options);
    std::cout << json << "\n";
  } else {
    std::cout << FormatStudySummary(summary);
  }
  return 0;
}

}  // namespace
}  // namespace fazhi::cli

int main(int argc, char** argv) {
  using namespace fazhi::cli;
  std::vector<std::string> words;
  Flags flags;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    }
    if (absl::StartsWith(arg, "--")) {
      auto eq = arg.find('=');
      if (eq == std::string::npos) return Usage("flags take the form --name=value: " + arg);
      flags[arg.substr(2, eq - 2)] = arg.substr(eq + 1);
    } else {
      words.push_back(arg);
    }
  }
  const std::string command = absl::StrJoin(words, " ");
  if (command == "wait-ready") return WaitReady(flags);
  if (command == "study import-sessions") {
    return Import<v1::ImportSessionsRequest, v1::Session>(
        flags, [](v1::ImportSessionsRequest& r) { return r.add_sessions(); },
        [](v1::StudyService::Stub& stub, grpc::ClientContext& context,
           fazhi::type::v1::ImportReport& report) { return stub.ImportSessions(&context, &report); });
  }
  if (command == "study import-events") {
    return Import<v1::ImportPublicityEventsRequest, v1::PublicityEvent>(
        flags, [](v1::ImportPublicityEventsRequest& r) { return r.add_publicity_events(); },
        [](v1::StudyService::Stub& stub, grpc::ClientContext& context,
           fazhi::type::v1::ImportReport& report) {
          return stub.ImportPublicityEvents(&context, &report);
        });
  }
  if (command == "study put-plan") return PutPlan(flags);
  if (command == "study summary") return Summary(flags);
  return Usage(command.empty() ? "no command given" : "unknown command \"" + command + "\"");
}
