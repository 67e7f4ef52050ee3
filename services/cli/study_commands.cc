#include "services/cli/study_commands.h"

#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "fazhi/study/v1/study.grpc.pb.h"
#include "google/protobuf/util/json_util.h"
#include "services/cli/json_rows.h"
#include "services/cli/study_report.h"
#include "services/common/grpc_status.h"
#include "services/common/validation.h"

namespace fazhi::cli {
namespace {

namespace v1 = fazhi::study::v1;

std::string StudyTarget(const Flags& flags) {
  return Target(flags, "FAZHI_STUDY_TARGET", "127.0.0.1:7101");
}

std::unique_ptr<v1::StudyService::Stub> StudyStub(const Flags& flags) {
  return v1::StudyService::NewStub(Connect(StudyTarget(flags)));
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

  auto read = ReadImportFile<Row>(file);
  if (!read.ok()) {
    std::cerr << "fazhi: " << file << ": " << read.status().message() << "\n";
    return kExitUsage;
  }
  std::vector<Row> rows = *std::move(read);

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

}  // namespace

int StudyPutPlan(const Flags& flags) {
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

int StudySummary(const Flags& flags) {
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

int StudyImportSessions(const Flags& flags) {
  return Import<v1::ImportSessionsRequest, v1::Session>(
      flags, [](v1::ImportSessionsRequest& r) { return r.add_sessions(); },
      [](v1::StudyService::Stub& stub, grpc::ClientContext& context,
         fazhi::type::v1::ImportReport& report) { return stub.ImportSessions(&context, &report); });
}

int StudyImportEvents(const Flags& flags) {
  return Import<v1::ImportPublicityEventsRequest, v1::PublicityEvent>(
      flags, [](v1::ImportPublicityEventsRequest& r) { return r.add_publicity_events(); },
      [](v1::StudyService::Stub& stub, grpc::ClientContext& context,
         fazhi::type::v1::ImportReport& report) {
        return stub.ImportPublicityEvents(&context, &report);
      });
}


}  // namespace fazhi::cli
