#include "services/cli/study_commands.h"

#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "fazhi/study/v1/study.grpc.pb.h"
#include "google/protobuf/util/json_util.h"
#include "services/cli/import_stream.h"
#include "services/cli/json_rows.h"
#include "services/cli/study_report.h"
#include "services/common/grpc_status.h"
#include "services/common/names.h"
#include "services/common/proto_dates.h"
#include "services/common/validation.h"
#include "services/kernel/dates.h"

namespace fazhi::cli {
namespace {

namespace v1 = fazhi::study::v1;

std::string StudyTarget(const Flags& flags) {
  return Target(flags, "FAZHI_STUDY_TARGET", "127.0.0.1:7101");
}

std::unique_ptr<v1::StudyService::Stub> StudyStub(const Flags& flags) {
  return v1::StudyService::NewStub(Connect(StudyTarget(flags)));
}

}  // namespace

int StudyPutPlan(const Flags& flags) {
  const std::string org = Flag(flags, "org"), file = Flag(flags, "file"),
                    year = Flag(flags, "year");
  if (org.empty() || file.empty() || year.empty())
    return Usage("--org, --year and --file are required");
  int32_t plan_year = 0;
  if (!absl::SimpleAtoi(year, &plan_year)) return Usage("--year must be a year, e.g. 2024");
  auto content = ReadFile(file);
  if (!content.ok()) return Usage(std::string(content.status().message()));
  v1::UpdateStudyPlanRequest request;
  if (auto s = ParseJsonRecord(*content, 0, *request.mutable_study_plan()); !s.ok()) {
    std::cerr << "fazhi: " << file << ": " << s.message() << "\n";
    return 2;
  }
  request.mutable_study_plan()->set_name(StudyPlanName{org, plan_year}.Format());
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
  request.set_org(OrgName(org));
  request.set_year(year);
  if (flags.count("as-of")) {
    absl::CivilDay day;
    if (!kernel::ParseDate(Flag(flags, "as-of"), &day)) return Usage("--as-of must be YYYY-MM-DD");
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
  return StreamImport<v1::ImportSessionsRequest, v1::Session>(
      flags, StudyStub,
      [](v1::StudyService::Stub& stub, grpc::ClientContext& context,
         fazhi::type::v1::ImportReport& report) { return stub.ImportSessions(&context, &report); },
      [](v1::ImportSessionsRequest& r) { return r.add_sessions(); });
}

int StudyImportEvents(const Flags& flags) {
  return StreamImport<v1::ImportPublicityEventsRequest, v1::PublicityEvent>(
      flags, StudyStub,
      [](v1::StudyService::Stub& stub, grpc::ClientContext& context,
         fazhi::type::v1::ImportReport& report) {
        return stub.ImportPublicityEvents(&context, &report);
      },
      [](v1::ImportPublicityEventsRequest& r) { return r.add_publicity_events(); });
}

}  // namespace fazhi::cli
