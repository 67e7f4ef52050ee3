#include "services/cli/gateway_commands.h"

#include <filesystem>
#include <fstream>
#include <iostream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "fazhi/gateway/v1/gateway.grpc.pb.h"
#include "services/common/names.h"
#include "services/common/proto_dates.h"
#include "services/common/validation.h"
#include "services/kernel/dates.h"

namespace fazhi::cli {
namespace {

namespace v1 = fazhi::gateway::v1;

std::unique_ptr<v1::AnnualReportService::Stub> GatewayStub(const Flags& flags) {
  return v1::AnnualReportService::NewStub(
      Connect(Target(flags, "FAZHI_GATEWAY_TARGET", "127.0.0.1:7100")));
}

bool OrgAndYear(const Flags& flags, std::string& org, int& year) {
  org = Flag(flags, "org");
  return !org.empty() && absl::SimpleAtoi(Flag(flags, "year"), &year);
}

}  // namespace

int GatewayCompose(const Flags& flags) {
  std::string org;
  int year = 0;
  if (!OrgAndYear(flags, org, year)) return Usage("--org and --year are required");
  v1::ComposeReportRequest request;
  request.set_org(OrgName(org));
  request.set_year(year);
  for (absl::string_view f : absl::StrSplit(Flag(flags, "formats", "docx,html,md,txt"), ',')) {
    request.add_formats(std::string(f));
  }
  request.set_allow_partial(Flag(flags, "partial", "false") == "true");
  grpc::ClientContext context;
  SetDeadline(context, 60);
  v1::ComposedReport report;
  grpc::Status status = GatewayStub(flags)->ComposeReport(&context, request, &report);
  if (!status.ok()) {
    std::cerr << "fazhi: " << Describe(status) << "\n";
    return kExitCallFailed;
  }
  const std::string out = Flag(flags, "out", ".");
  std::filesystem::create_directories(out);
  for (const auto& r : report.renderings()) {
    const std::string path = absl::StrCat(out, "/", org, "-", year, ".", r.format());
    std::ofstream(path, std::ios::binary) << r.content();
    std::cout << "wrote " << path << " (" << r.content().size() << " bytes, sha256 " << r.sha256()
              << ")\n";
  }
  int shown = 0;
  for (const auto& f : report.findings()) shown += f.suppressed() ? 0 : 1;
  std::cout << report.title() << ": " << report.sections_size() << " sections, " << shown
            << " findings from the data";
  if (report.missing_backends_size() > 0) {
    std::cout << "; DRAFT with missing backends:";
    for (const auto& m : report.missing_backends()) std::cout << " " << m;
  }
  std::cout << "\n";
  return kExitOk;
}

int GatewayFacts(const Flags& flags) {
  std::string org;
  int year = 0;
  if (!OrgAndYear(flags, org, year)) return Usage("--org and --year are required");
  v1::GetFactsRequest request;
  request.set_org(OrgName(org));
  request.set_year(year);
  grpc::ClientContext context;
  SetDeadline(context, 30);
  v1::FactCatalogue facts;
  grpc::Status status = GatewayStub(flags)->GetFacts(&context, request, &facts);
  if (!status.ok()) {
    std::cerr << "fazhi: " << Describe(status) << "\n";
    return kExitCallFailed;
  }
  for (const auto& f : facts.facts()) {
    std::cout << f.name() << " = " << f.text() << f.unit() << "  (" << f.description() << "; "
              << f.source().service() << " " << f.source().method();
    if (f.has_previous()) {
      std::cout << "; "
                << (f.previous_on_record() ? absl::StrCat("上年 ", f.previous_number())
                                           : "上年无记录");
    }
    if (f.records_size() > 0) std::cout << "; " << f.records_size() << " records";
    std::cout << ")\n";
    // --records: the records each quoted number rests on.
    if (Flag(flags, "records", "false") == "true" && f.used_in_size() > 0) {
      for (const auto& field : f.used_in()) std::cout << "    quoted in " << field << "\n";
      for (const auto& record : f.records()) std::cout << "    " << record << "\n";
    }
  }
  for (const auto& w : facts.warnings()) {
    std::cerr << "warning: " << w.field() << ": " << w.description() << "\n";
  }
  return kExitOk;
}

int GatewayPublish(const Flags& flags) {
  std::string org;
  int year = 0;
  if (!OrgAndYear(flags, org, year)) return Usage("--org and --year are required");
  v1::PublishReportRequest request;
  request.set_org(OrgName(org));
  request.set_year(year);
  const char* user = std::getenv("FAZHI_ACTOR");
  request.set_actor(Flag(flags, "actor", user ? user : "fazhi-cli"));
  grpc::ClientContext context;
  SetDeadline(context, 60);
  v1::PublishReportResponse response;
  grpc::Status status = GatewayStub(flags)->PublishReport(&context, request, &response);
  if (!status.ok()) {
    std::cerr << "fazhi: " << Describe(status) << "\n";
    return kExitCallFailed;
  }
  std::cout << "published " << response.report().name() << " revision "
            << response.report().published_revision() << "\n";
  for (const auto& r : response.renderings())
    std::cout << "  " << r.format() << " sha256 " << r.sha256() << "\n";
  return kExitOk;
}

int GatewayDashboard(const Flags& flags) {
  const std::string supervisor = Flag(flags, "supervisor");
  int year = 0;
  if (supervisor.empty() || !absl::SimpleAtoi(Flag(flags, "year"), &year)) {
    return Usage("--supervisor and --year are required");
  }
  v1::GetDashboardRequest request;
  request.set_supervisor(OrgName(supervisor));
  request.set_year(year);
  if (flags.count("as-of")) {
    absl::CivilDay day;
    if (!kernel::ParseDate(Flag(flags, "as-of"), &day)) return Usage("--as-of must be YYYY-MM-DD");
    *request.mutable_as_of() = ToDate(day);
  }
  grpc::ClientContext context;
  SetDeadline(context, 60);
  v1::Dashboard dashboard;
  grpc::Status status = GatewayStub(flags)->GetDashboard(&context, request, &dashboard);
  if (!status.ok()) {
    std::cerr << "fazhi: " << Describe(status) << "\n";
    return kExitCallFailed;
  }
  std::cout << "单位 | 状态 | 报送逾期 | 公开逾期 | 学法次数 | 党组学法季度 | 执法事项 | "
               "人员不足事项 | 失效执法证\n";
  for (const auto& r : dashboard.rows()) {
    std::cout << r.org_name() << " | "
              << (r.started() ? fazhi::report::v1::ReportState_Name(r.state()) : "未开始") << " | "
              << (r.submission_overdue() ? "逾期" : "-") << " | "
              << (r.publication_overdue() ? "逾期" : "-") << " | " << r.study_sessions() << " | "
              << r.leadership_quarters_covered() << "/" << r.leadership_quarters_due() << " | "
              << r.powers() << " | " << r.powers_understaffed() << " | " << r.certificates_lapsed()
              << "\n";
  }
  return kExitOk;
}

}  // namespace fazhi::cli
