#include "services/cli/duty_commands.h"

#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "fazhi/duty/v1/duty.grpc.pb.h"
#include "google/protobuf/util/json_util.h"
#include "services/cli/import_stream.h"
#include "services/cli/json_rows.h"
#include "services/common/grpc_status.h"
#include "services/common/names.h"
#include "services/common/proto_dates.h"
#include "services/common/validation.h"
#include "services/kernel/dates.h"

namespace fazhi::cli {
namespace {

namespace v1 = fazhi::duty::v1;

std::unique_ptr<v1::DutyService::Stub> DutyStub(const Flags& flags) {
  return v1::DutyService::NewStub(Connect(Target(flags, "FAZHI_DUTY_TARGET", "127.0.0.1:7102")));
}

std::string Day(const google::type::Date& d) {
  return absl::StrFormat("%04d-%02d-%02d", d.year(), d.month(), d.day());
}

void PrintJson(const google::protobuf::Message& message) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  std::cout << json << "\n";
}

// --as-of=YYYY-MM-DD into `date`; false on a bad value.
bool AsOf(const Flags& flags, google::type::Date* date) {
  if (!flags.count("as-of")) return true;
  absl::CivilDay day;
  if (!kernel::ParseDate(Flag(flags, "as-of"), &day)) return false;
  *date = ToDate(day);
  return true;
}

}  // namespace

std::string PowerTypeName(v1::PowerType type) {
  switch (type) {
    case v1::POWER_TYPE_LICENSING:
      return "行政许可";
    case v1::POWER_TYPE_PENALTY:
      return "行政处罚";
    case v1::POWER_TYPE_COERCION:
      return "行政强制";
    case v1::POWER_TYPE_LEVY:
      return "行政征收";
    case v1::POWER_TYPE_PAYMENT:
      return "行政给付";
    case v1::POWER_TYPE_INSPECTION:
      return "行政检查";
    case v1::POWER_TYPE_CONFIRMATION:
      return "行政确认";
    case v1::POWER_TYPE_REWARD:
      return "行政奖励";
    case v1::POWER_TYPE_ADJUDICATION:
      return "行政裁决";
    case v1::POWER_TYPE_OTHER:
      return "其他行政权力";
    default:
      return "未分类";
  }
}

std::string GapTypeName(v1::GapType type) {
  switch (type) {
    case v1::GAP_TYPE_UNDERSTAFFED_POWER:
      return "执法人员不足两名（或不足所需人数）";
    case v1::GAP_TYPE_DOMAIN_WITHOUT_LEGAL_REVIEWER:
      return "领域内无具备法律职业资格的持证人员";
    case v1::GAP_TYPE_CERTIFICATE_EXPIRED:
      return "执法证已过期";
    case v1::GAP_TYPE_CERTIFICATE_EXPIRING:
      return "执法证即将到期";
    case v1::GAP_TYPE_TRAINING_HOURS_SHORT:
      return "培训学时不足";
    case v1::GAP_TYPE_POWER_UNASSIGNED:
      return "事项未落实到执法人员";
    case v1::GAP_TYPE_CERTIFICATE_NOT_VALID:
      return "执法证暂扣、注销或尚未生效";
    case v1::GAP_TYPE_POWER_WITHOUT_LEGAL_REVIEWER:
      return "需法制审核的事项无法律职业资格人员";
    default:
      return "其他";
  }
}

std::string UnstaffedReasonName(v1::UnstaffedReason reason) {
  switch (reason) {
    case v1::UNSTAFFED_REASON_NO_QUALIFIED_OFFICER:
      return "该领域具备执法资格的在编人员不足";
    case v1::UNSTAFFED_REASON_CERTIFICATES_NOT_VALID:
      return "执法证在当日无效（过期、暂扣、注销）";
    case v1::UNSTAFFED_REASON_NO_LEGAL_REVIEWER:
      return "需法制审核，但无具备法律职业资格的持证人员";
    case v1::UNSTAFFED_REASON_ALL_AT_CAPACITY:
      return "符合条件的人员已达承担事项上限";
    default:
      return "未说明";
  }
}

std::string FormatAllocation(const v1::AllocateDutiesResponse& r) {
  std::string out;
  const auto& s = r.stats();
  absl::StrAppendFormat(&out, "%s 执法职责分配（执法证有效日期以%s为准，%s）\n", r.parent(),
                        Day(r.as_of()), r.committed() ? "已保存" : "试算，未保存");
  absl::StrAppendFormat(
      &out, "事项%d项：已落实%d项，无法落实%d项；分配%d人次（保留%d，新增%d，撤销%d）。\n",
      s.powers(), s.staffed_powers(), s.unstaffed_powers(), s.assignments(), s.kept(), s.added(),
      s.removed());
  absl::StrAppendFormat(&out, "可用执法人员%d人，承担事项的%d人；人均负荷最多%d项、最少%d项。\n",
                        s.eligible_officers(), s.officers_used(), s.max_load(), s.min_load());
  for (const auto& a : r.allocations()) {
    std::vector<std::string> names;
    for (const auto& o : a.officers()) {
      std::string role = o.role() == v1::ASSIGNMENT_ROLE_LEAD ? "主办" : "协办";
      if (o.origin() == v1::ASSIGNMENT_ORIGIN_PINNED) role += "·指定";
      names.push_back(absl::StrCat(o.display_name(), "（", role,
                                   o.legal_qualification() ? "·法律职业资格" : "", "）"));
    }
    absl::StrAppend(&out, "  ", a.code(), " ", a.item_name(), " [", a.domain(), "]：",
                    absl::StrJoin(names, "、"), "\n");
  }
  if (r.unstaffed_size() > 0) absl::StrAppend(&out, "无法落实的事项：\n");
  for (const auto& u : r.unstaffed()) {
    absl::StrAppendFormat(
        &out, "  %s %s [%s]：%s（需%d人；合格%d人，持有效证件%d人，其中法律职业资格%d人）\n",
        u.code(), u.item_name(), u.domain(), UnstaffedReasonName(u.reason()), u.required_officers(),
        u.qualified_officers(), u.eligible_officers(), u.eligible_legal_officers());
  }
  return out;
}

std::string FormatCoverage(const v1::Coverage& c) {
  std::string out;
  const auto& t = c.totals();
  absl::StrAppendFormat(&out, "%s 执法职责落实情况（截至%s）\n", c.org(), Day(c.as_of()));
  std::vector<std::string> types;
  for (const auto& x : t.powers_by_type())
    types.push_back(absl::StrCat(PowerTypeName(x.type()), x.powers(), "项"));
  absl::StrAppendFormat(&out, "权责清单事项%d项（%s），需法制审核%d项，已依法落实%d项。\n",
                        t.powers(), absl::StrJoin(types, "、"), t.powers_needing_legal_review(),
                        t.staffed_powers());
  absl::StrAppendFormat(
      &out,
      "执法人员%d人（在编在岗%d人），持有效执法证%d人，具备法律职业资格%d人（其中持证%d人）。\n",
      t.officers(), t.established_officers(), t.certified_officers(),
      t.legally_qualified_officers(), t.certified_legally_qualified_officers());
  absl::StrAppendFormat(&out, "%d年培训共%d学时，%d人达到%d学时要求。\n", t.training_year(),
                        t.training_hours(), t.officers_meeting_training(),
                        t.required_training_hours());
  absl::StrAppend(&out, "分领域：\n");
  for (const auto& d : c.domains()) {
    absl::StrAppendFormat(
        &out, "  %s：事项%d项（已落实%d），合格人员%d人，持有效证%d人，法律职业资格%d人\n",
        d.domain(), d.powers(), d.staffed_powers(), d.officers(), d.valid_certified_officers(),
        d.legally_qualified_officers());
  }
  if (c.gaps_size() == 0) {
    absl::StrAppend(&out, "未发现问题。\n");
    return out;
  }
  absl::StrAppend(&out, "发现问题", c.gaps_size(), "项：\n");
  for (const auto& g : c.gaps()) {
    std::string subject = !g.power_code().empty()
                              ? absl::StrCat(g.power_code(), " ", g.power_name())
                          : !g.officer_name().empty() ? g.officer_name()
                                                      : g.domain();
    std::string facts;
    switch (g.type()) {
      case v1::GAP_TYPE_UNDERSTAFFED_POWER:
      case v1::GAP_TYPE_POWER_UNASSIGNED:
        facts = absl::StrCat("需", g.required(), "人，现有", g.actual(), "人");
        break;
      case v1::GAP_TYPE_CERTIFICATE_EXPIRED:
        facts = absl::StrCat("证号", g.certificate_number(), "，", Day(g.date()), "到期");
        break;
      case v1::GAP_TYPE_CERTIFICATE_EXPIRING:
        facts = absl::StrCat("证号", g.certificate_number(), "，", Day(g.date()), "到期，剩",
                             g.days(), "天");
        break;
      case v1::GAP_TYPE_TRAINING_HOURS_SHORT:
        facts = absl::StrCat(g.actual(), "/", g.required(), "学时");
        break;
      case v1::GAP_TYPE_DOMAIN_WITHOUT_LEGAL_REVIEWER:
        for (const auto& d : c.domains()) {
          if (d.domain() != g.domain()) continue;
          facts = absl::StrCat("事项", d.powers(), "项（其中需法制审核",
                               d.powers_needing_legal_review(), "项），持有效执法证",
                               d.valid_certified_officers(), "人，均无法律职业资格");
        }
        break;
      case v1::GAP_TYPE_POWER_WITHOUT_LEGAL_REVIEWER:
        facts = "需法制审核，现有持证执法人员均无法律职业资格";
        break;
      case v1::GAP_TYPE_CERTIFICATE_NOT_VALID:
        facts = absl::StrCat("证号", g.certificate_number(), "，", g.detail());
        break;
      default:
        facts = g.detail();
    }
    absl::StrAppend(
        &out, "  [", GapTypeName(g.type()), "] ", subject,
        g.type() == v1::GAP_TYPE_UNDERSTAFFED_POWER || g.type() == v1::GAP_TYPE_POWER_UNASSIGNED
            ? absl::StrCat("（", g.domain(), "）")
            : "",
        "：", facts, "\n");
  }
  return out;
}

int DutyImportPowers(const Flags& flags) {
  return StreamImport<v1::ImportPowersRequest, v1::Power>(
      flags, DutyStub,
      [](v1::DutyService::Stub& stub, grpc::ClientContext& context,
         fazhi::type::v1::ImportReport& report) { return stub.ImportPowers(&context, &report); },
      [](v1::ImportPowersRequest& r) { return r.add_powers(); });
}

int DutyImportOfficers(const Flags& flags) {
  return StreamImport<v1::ImportOfficersRequest, v1::Officer>(
      flags, DutyStub,
      [](v1::DutyService::Stub& stub, grpc::ClientContext& context,
         fazhi::type::v1::ImportReport& report) { return stub.ImportOfficers(&context, &report); },
      [](v1::ImportOfficersRequest& r) { return r.add_officers(); });
}

int DutyAllocate(const Flags& flags) {
  const std::string org = Flag(flags, "org");
  if (org.empty()) return Usage("--org is required");
  v1::AllocateDutiesRequest request;
  request.set_parent(OrgName(org));
  if (!AsOf(flags, request.mutable_as_of())) return Usage("--as-of must be YYYY-MM-DD");
  const std::string commit = Flag(flags, "commit", "false");
  if (commit != "true" && commit != "false")
    return Usage("--commit takes no value other than true");
  request.set_dry_run(commit != "true");
  grpc::ClientContext context;
  SetDeadline(context, 120);
  v1::AllocateDutiesResponse response;
  grpc::Status status = DutyStub(flags)->AllocateDuties(&context, request, &response);
  if (!status.ok()) {
    std::cerr << "fazhi: " << Describe(status) << "\n";
    return kExitCallFailed;
  }
  if (Flag(flags, "format", "text") == "json") {
    PrintJson(response);
  } else {
    std::cout << FormatAllocation(response);
  }
  return kExitOk;
}

int DutyCoverage(const Flags& flags) {
  const std::string org = Flag(flags, "org");
  if (org.empty()) return Usage("--org is required");
  v1::GetCoverageRequest request;
  request.set_org(OrgName(org));
  if (!AsOf(flags, request.mutable_as_of())) return Usage("--as-of must be YYYY-MM-DD");
  int days = 0, hours = 0;
  if (flags.count("expiring-days") && !absl::SimpleAtoi(Flag(flags, "expiring-days"), &days)) {
    return Usage("--expiring-days must be a number");
  }
  if (flags.count("training-hours") && !absl::SimpleAtoi(Flag(flags, "training-hours"), &hours)) {
    return Usage("--training-hours must be a number");
  }
  request.set_expiring_within_days(days);
  request.set_required_training_hours(hours);
  grpc::ClientContext context;
  SetDeadline(context, 60);
  v1::Coverage coverage;
  grpc::Status status = DutyStub(flags)->GetCoverage(&context, request, &coverage);
  if (!status.ok()) {
    std::cerr << "fazhi: " << Describe(status) << "\n";
    return kExitCallFailed;
  }
  if (Flag(flags, "format", "text") == "json") {
    PrintJson(coverage);
  } else {
    std::cout << FormatCoverage(coverage);
  }
  return kExitOk;
}

}  // namespace fazhi::cli
