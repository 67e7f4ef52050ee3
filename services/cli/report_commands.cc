#include "services/cli/report_commands.h"

#include <cstdlib>
#include <iostream>
#include <set>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "fazhi/report/v1/report.grpc.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"
#include "services/cli/json_rows.h"
#include "services/common/names.h"
#include "services/common/proto_dates.h"
#include "services/common/validation.h"
#include "services/kernel/dates.h"
#include "services/kernel/placeholder.h"

namespace fazhi::cli {
namespace {

namespace v1 = fazhi::report::v1;

// Fields a file replaces as a whole: a put makes the stored resource what
// the file says, including fields the file leaves out.
constexpr const char* kOrganizationFields[] = {"full_name",   "region",   "supervisors",
                                               "credit_code", "contacts", "two_person_approval",
                                               "addressee"};
constexpr const char* kReportFields[] = {"title",
                                         "layout",
                                         "preamble",
                                         "sections",
                                         "shortcomings",
                                         "plan_items",
                                         "signatory",
                                         "report_date",
                                         "due_dates",
                                         "suppressed_findings",
                                         "suppression_reasons",
                                         "document_number"};

std::unique_ptr<v1::ReportService::Stub> ReportStub(const Flags& flags) {
  return v1::ReportService::NewStub(
      Connect(Target(flags, "FAZHI_REPORT_TARGET", "127.0.0.1:7103")));
}

// --actor, else $FAZHI_ACTOR, else $USER.
std::string Actor(const Flags& flags) {
  if (flags.count("actor")) return Flag(flags, "actor");
  for (const char* env : {"FAZHI_ACTOR", "USER"}) {
    const char* value = std::getenv(env);
    if (value && *value) return value;
  }
  return "fazhi-cli";
}

int Failed(const grpc::Status& status) {
  std::cerr << "fazhi: " << Describe(status) << "\n";
  return kExitCallFailed;
}

template <typename M>
int ReadJsonFile(const std::string& file, M& message) {
  auto content = ReadFile(file);
  if (!content.ok()) return Usage(std::string(content.status().message()));
  if (auto s = ParseJsonRecord(*content, 0, message); !s.ok()) {
    std::cerr << "fazhi: " << file << ": " << s.message() << "\n";
    return kExitUsage;
  }
  return kExitOk;
}

std::string StateName(v1::ReportState state) {
  switch (state) {
    case v1::REPORT_STATE_DRAFT:
      return "DRAFT (草稿)";
    case v1::REPORT_STATE_SUBMITTED:
      return "SUBMITTED (已提交审核)";
    case v1::REPORT_STATE_APPROVED:
      return "APPROVED (已审核)";
    case v1::REPORT_STATE_PUBLISHED:
      return "PUBLISHED (已公开)";
    case v1::REPORT_STATE_REJECTED:
      return "REJECTED (已退回)";
    default:
      return "—";
  }
}

std::string ItemName(v1::ContentItem item) {
  switch (item) {
    case v1::CONTENT_ITEM_MEASURES:
      return "主要举措和成效";
    case v1::CONTENT_ITEM_SHORTCOMINGS:
      return "不足和原因";
    case v1::CONTENT_ITEM_HEAD_DUTY:
      return "第一责任人职责";
    case v1::CONTENT_ITEM_NEXT_YEAR_PLAN:
      return "下一年度安排";
    case v1::CONTENT_ITEM_OTHER:
      return "其他";
    default:
      return "?";
  }
}

std::string ReasonName(v1::OverdueReason reason) {
  switch (reason) {
    case v1::OVERDUE_REASON_NOT_STARTED:
      return "未开始";
    case v1::OVERDUE_REASON_SUBMISSION_OVERDUE:
      return "逾期未报送";
    case v1::OVERDUE_REASON_SUBMITTED_LATE:
      return "逾期报送";
    case v1::OVERDUE_REASON_PUBLICATION_OVERDUE:
      return "逾期未公开";
    case v1::OVERDUE_REASON_PUBLISHED_LATE:
      return "逾期公开";
    default:
      return "?";
  }
}

std::string Day(const google::type::Date& d) {
  if (!IsSet(d)) return "—";
  return kernel::FormatDate(absl::CivilDay(d.year(), d.month(), d.day()));
}

// China time, to the minute.
std::string When(const google::protobuf::Timestamp& t) {
  if (t.seconds() == 0 && t.nanos() == 0) return "—";
  return absl::FormatTime("%Y-%m-%d %H:%M", absl::FromUnixSeconds(t.seconds()),
                          absl::FixedTimeZone(8 * 3600));
}

void PrintJson(const google::protobuf::Message& message) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  std::cout << json << "\n";
}

// Every placeholder name of the report's narrative, for a quick look.
std::set<std::string> PlaceholderNames(const v1::Report& r) {
  std::set<std::string> names;
  auto scan = [&](const std::string& text) {
    for (const auto& p : kernel::ParseTemplate(text).placeholders()) names.insert(p.name);
  };
  scan(r.title());
  for (const auto& e : r.layout().entries()) scan(e.heading());
  for (const auto& p : r.preamble()) scan(p);
  for (const auto& s : r.sections()) {
    for (const auto& i : s.items()) {
      scan(i.heading());
      for (const auto& p : i.paragraphs()) scan(p);
    }
  }
  for (const auto& s : r.shortcomings()) {
    scan(s.problem());
    scan(s.cause());
    scan(s.rectification());
  }
  for (const auto& p : r.plan_items()) {
    scan(p.heading());
    for (const auto& t : p.paragraphs()) scan(t);
  }
  return names;
}

}  // namespace

int ReportPutOrg(const Flags& flags) {
  const std::string file = Flag(flags, "file");
  if (file.empty()) return Usage("--file is required");
  v1::Organization org;
  if (int rc = ReadJsonFile(file, org); rc != kExitOk) return rc;
  const std::string name = org.name();
  const std::optional<std::string> org_id = OrgOfName(name);
  if (!org_id) {
    std::cerr << "fazhi: " << file << ": \"name\" must be orgs/{org}, e.g. orgs/lushan-minzheng\n";
    return kExitUsage;
  }
  auto stub = ReportStub(flags);
  v1::Organization current;
  grpc::Status status;
  {
    grpc::ClientContext context;
    SetDeadline(context, 30);
    v1::GetOrganizationRequest get;
    get.set_name(name);
    status = stub->GetOrganization(&context, get, &current);
  }
  v1::Organization stored;
  grpc::ClientContext context;
  SetDeadline(context, 30);
  if (status.error_code() == grpc::StatusCode::NOT_FOUND) {
    v1::CreateOrganizationRequest request;
    request.set_organization_id(*org_id);
    *request.mutable_organization() = org;
    request.mutable_organization()->clear_name();
    request.set_actor(Actor(flags));
    status = stub->CreateOrganization(&context, request, &stored);
  } else if (status.ok()) {
    v1::UpdateOrganizationRequest request;
    *request.mutable_organization() = org;
    request.mutable_organization()->set_etag(current.etag());
    for (const char* field : kOrganizationFields) request.mutable_update_mask()->add_paths(field);
    request.set_actor(Actor(flags));
    status = stub->UpdateOrganization(&context, request, &stored);
  }
  if (!status.ok()) return Failed(status);
  std::cout << "stored " << stored.name() << " (" << stored.full_name() << ", "
            << stored.supervisors_size() << " supervisors, etag " << stored.etag() << ")\n";
  return kExitOk;
}

int ReportPut(const Flags& flags) {
  const std::string org = Flag(flags, "org"), file = Flag(flags, "file");
  int year = 0;
  if (org.empty() || file.empty() || !absl::SimpleAtoi(Flag(flags, "year"), &year)) {
    return Usage("--org, --year and --file are required");
  }
  v1::Report report;
  if (int rc = ReadJsonFile(file, report); rc != kExitOk) return rc;
  const std::string name = ReportName{org, year}.Format();
  auto stub = ReportStub(flags);
  v1::Report current;
  grpc::Status status;
  {
    grpc::ClientContext context;
    SetDeadline(context, 30);
    v1::GetReportRequest get;
    get.set_name(name);
    status = stub->GetReport(&context, get, &current);
  }
  v1::Report stored;
  grpc::ClientContext context;
  SetDeadline(context, 30);
  if (status.error_code() == grpc::StatusCode::NOT_FOUND) {
    v1::CreateReportRequest request;
    request.set_parent(OrgName(org));
    request.set_year(year);
    *request.mutable_report() = report;
    request.set_actor(Actor(flags));
    status = stub->CreateReport(&context, request, &stored);
  } else if (status.ok()) {
    v1::UpdateReportRequest request;
    *request.mutable_report() = report;
    request.mutable_report()->set_name(name);
    request.mutable_report()->set_etag(current.etag());
    for (const char* field : kReportFields) request.mutable_update_mask()->add_paths(field);
    request.set_actor(Actor(flags));
    status = stub->UpdateReport(&context, request, &stored);
  }
  if (!status.ok()) return Failed(status);
  std::cout << "stored " << stored.name() << ": " << stored.title() << " ("
            << StateName(stored.state()) << ", revision " << stored.revision() << ", etag "
            << stored.etag() << ")\n";
  return kExitOk;
}

int ReportStatus(const Flags& flags) {
  const std::string org = Flag(flags, "org");
  int year = 0;
  if (org.empty() || !absl::SimpleAtoi(Flag(flags, "year"), &year)) {
    return Usage("--org and --year are required");
  }
  grpc::ClientContext context;
  SetDeadline(context, 30);
  v1::GetReportRequest request;
  request.set_name(ReportName{org, year}.Format());
  v1::Report r;
  grpc::Status status = ReportStub(flags)->GetReport(&context, request, &r);
  if (!status.ok()) return Failed(status);
  if (Flag(flags, "format", "text") == "json") {
    PrintJson(r);
    return kExitOk;
  }
  const auto& life = r.lifecycle();
  std::cout << r.title() << "\n"
            << "  " << r.name() << "\n"
            << "  状态      " << StateName(r.state()) << ", 第" << r.revision() << "版"
            << (r.published_revision() > 0
                    ? absl::StrCat(" (已公开第", r.published_revision(), "版)")
                    : std::string())
            << "\n"
            << "  报送期限  " << Day(r.due_dates().submit_before()) << " 之前\n"
            << "  公开期限  " << Day(r.due_dates().publish_before()) << " 之前\n";
  if (!life.submitted_by().empty()) {
    std::cout << "  提交      " << life.submitted_by() << " " << When(life.submit_time()) << "\n";
  }
  if (!life.approved_by().empty()) {
    std::cout << "  审核      " << life.approved_by() << " " << When(life.approve_time()) << "\n";
  }
  if (!life.published_by().empty()) {
    std::cout << "  公开      " << life.published_by() << " " << When(life.publish_time()) << "\n";
  }
  if (life.has_last_transition()) {
    const auto& t = life.last_transition();
    std::cout << "  最近一步  " << t.method() << " by " << t.actor() << " " << When(t.time())
              << (t.comment().empty() ? "" : "：" + t.comment()) << "\n";
  }
  std::cout << "  结构      ";
  std::vector<std::string> order;
  for (const auto& e : r.layout().entries()) order.push_back(ItemName(e.item()));
  std::cout << absl::StrJoin(order, " → ") << "\n";
  int paragraphs = static_cast<int>(r.preamble_size());
  for (const auto& s : r.sections()) {
    for (const auto& i : s.items()) paragraphs += i.paragraphs_size();
  }
  std::cout << "  内容      " << r.sections_size() << " 节, " << paragraphs << " 段, "
            << r.shortcomings_size() << " 项不足, " << r.plan_items_size() << " 项下一年度安排\n";
  const std::set<std::string> names = PlaceholderNames(r);
  std::cout << "  数据占位  " << names.size() << " 个";
  if (!names.empty()) std::cout << ": " << absl::StrJoin(names, ", ");
  std::cout << "\n";
  if (!r.signatory().name().empty()) {
    std::cout << "  落款      " << r.signatory().title() << " " << r.signatory().name() << " "
              << Day(r.report_date()) << "\n";
  }
  return kExitOk;
}

int ReportOverdue(const Flags& flags) {
  const std::string supervisor = Flag(flags, "supervisor");
  int year = 0;
  if (supervisor.empty() || !absl::SimpleAtoi(Flag(flags, "year"), &year)) {
    return Usage("--supervisor and --year are required");
  }
  v1::ListOverdueReportsRequest request;
  request.set_supervisor(OrgName(supervisor));
  request.set_year(year);
  if (flags.count("as-of")) {
    absl::CivilDay day;
    if (!kernel::ParseDate(Flag(flags, "as-of"), &day)) return Usage("--as-of must be YYYY-MM-DD");
    *request.mutable_as_of() = ToDate(day);
  }
  grpc::ClientContext context;
  SetDeadline(context, 30);
  v1::ListOverdueReportsResponse response;
  grpc::Status status = ReportStub(flags)->ListOverdueReports(&context, request, &response);
  if (!status.ok()) return Failed(status);
  if (Flag(flags, "format", "text") == "json") {
    PrintJson(response);
    return kExitOk;
  }
  std::cout << OrgName(supervisor) << " 督促 " << response.supervised_organizations() << " 个单位, "
            << year << " 年度报告, 截至 " << Day(response.as_of()) << ": "
            << response.reports_size() << " 个需关注\n";
  for (const auto& o : response.reports()) {
    std::vector<std::string> reasons;
    for (int reason : o.reasons())
      reasons.push_back(ReasonName(static_cast<v1::OverdueReason>(reason)));
    std::cout << "  " << o.full_name() << " (" << o.organization() << ")  "
              << absl::StrJoin(reasons, "、") << "  状态 " << StateName(o.state()) << "  报送 "
              << Day(o.submitted_on()) << " / 期限 " << Day(o.submit_before()) << "  公开 "
              << Day(o.published_on()) << " / 期限 " << Day(o.publish_before()) << "\n";
  }
  return kExitOk;
}

}  // namespace fazhi::cli
