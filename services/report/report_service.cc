#include "services/report/report_service.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "services/common/answer_etag.h"
#include "services/common/auth/access.h"
#include "services/common/auth/audit_records.h"
#include "services/common/field_mask.h"
#include "services/common/logging.h"
#include "services/common/proto_dates.h"
#include "services/common/record_handlers.h"
#include "services/common/resource.h"
#include "services/common/status_macros.h"
#include "services/common/validation.h"
#include "services/kernel/dates.h"
#include "services/report/content.h"
#include "services/report/convert.h"
#include "services/report/lifecycle.h"
#include "services/report/schedule.h"
#include "services/report/validate.h"

namespace fazhi::report {

using kernel::FormatDate;

namespace {

// Who a change is recorded as: the authenticated caller, whatever the
// request's actor field says (development mode: the actor field).
template <typename Request>
std::string Actor(const Request& request) {
  return auth::ActingCaller(request.actor());
}

// Report fields only the server sets, besides name/etag/create_time/
// update_time (which ApplyFieldMask refuses itself).
const std::vector<std::string>& ReportOutputOnly() {
  static const auto* fields = new std::vector<std::string>{
      "year",    "state", "revision", "published_revision", "lifecycle", "correction_reason",
      "warnings"};
  return *fields;
}

// A mask that changes suppressed_findings but not the reasons drops the
// reasons of the findings turned back on, which would otherwise dangle.
void DropReasonsOfUnsuppressed(const google::protobuf::FieldMask& mask, v1::Report& merged) {
  const auto& paths = mask.paths();
  if (paths.empty() ||
      std::find(paths.begin(), paths.end(), "suppression_reasons") != paths.end()) {
    return;
  }
  const std::set<std::string> ids(merged.suppressed_findings().begin(),
                                  merged.suppressed_findings().end());
  auto& reasons = *merged.mutable_suppression_reasons();
  for (auto it = reasons.begin(); it != reasons.end();) {
    it = ids.count(it->first) ? std::next(it) : reasons.erase(it);
  }
}

HistoryEntry Record(absl::string_view method, const std::string& actor,
                    const std::string& comment = "") {
  HistoryEntry h;
  h.method = std::string(method);
  h.actor = actor;
  h.comment = comment;
  h.request_id = CurrentRequestId();
  return h;
}

ReportChange StepChange(Step step, absl::string_view method, const std::string& actor,
                        const std::string& comment) {
  return [step, method = std::string(method), actor, comment](const Organization& org, Report& r,
                                                              absl::Time now) {
    return ApplyStep(r, StepRequest{step, method, actor, comment, now, org.two_person_approval});
  };
}

// The one-number position of a page token (a year, a revision, a sequence).
std::optional<int64_t> DecodeNumberToken(absl::string_view token, absl::string_view query,
                                         FieldViolations& v) {
  int64_t number = 0;
  DecodePagePosition(token, query, 1, v, [&number](const std::vector<std::string>& position) {
    return absl::SimpleAtoi(position[0], &number);
  });
  if (!v.empty()) return std::nullopt;
  return number;
}

// Content checks that need the converted content: due-date order.
void CheckDueDates(const ReportContent& content, absl::string_view prefix, FieldViolations& v) {
  if (content.publish_before < content.submit_before) {
    v.Add(absl::StrCat(prefix, "due_dates.publish_before"),
          absl::StrCat("must not be before submit_before (", FormatDate(content.submit_before),
                       "; got ", FormatDate(content.publish_before), ")"));
  }
}

// A life-cycle step: SubmitReport, ApproveReport, RejectReport,
// CreateRevision.
template <typename Request>
absl::Status RunStep(ReportStore& store, const Request& request, Step step,
                     absl::string_view method, bool comment_required, v1::Report* out) {
  FieldViolations v;
  auto name = ReportName::Parse(request.name(), "name", v);
  auto expected = ParseEtagField(request.etag(), "etag", v);
  CheckActor(Actor(request), v);
  CheckComment(request.comment(), comment_required, v);
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(Report stored,
                   store.ChangeReport(name->org, name->year, expected,
                                      StepChange(step, method, Actor(request), request.comment()),
                                      Record(method, Actor(request), request.comment())));
  *out = ToProto(stored);
  return absl::OkStatus();
}

// The organization as callers see it, with the addressee its reports use:
// its own, else the first supervisor's full name when that one is
// registered here (names seen are kept in `names` across a page).
absl::StatusOr<v1::Organization> Presented(ReportStore& store, const Organization& org,
                                           std::map<std::string, std::string>& names) {
  v1::Organization p = ToProto(org);
  std::string addressee = org.addressee;
  if (addressee.empty() && !org.supervisors.empty()) {
    const std::string& supervisor = org.supervisors.front();
    auto known = names.find(supervisor);
    if (known == names.end()) {
      absl::StatusOr<Organization> found = store.GetOrganization(supervisor);
      if (!found.ok() && !absl::IsNotFound(found.status())) return found.status();
      known = names.emplace(supervisor, found.ok() ? found->full_name : "").first;
    }
    addressee = known->second;
  }
  p.set_effective_addressee(addressee);
  return p;
}

absl::StatusOr<v1::Organization> Presented(ReportStore& store, const Organization& org) {
  std::map<std::string, std::string> names;
  return Presented(store, org, names);
}

}  // namespace

ReportServiceImpl::ReportServiceImpl(ReportStore* store, const CallHandler* calls, Clock today)
    : store_(store), calls_(calls), today_(kernel::ClockOrToday(std::move(today))) {}

// ---------------------------------------------------------------------------
// Organizations.

grpc::Status ReportServiceImpl::CreateOrganization(grpc::ServerContext* context,
                                                   const v1::CreateOrganizationRequest* request,
                                                   v1::Organization* response) {
  return calls_->Run(context, "CreateOrganization", *request, [&]() -> absl::Status {
    FieldViolations v;
    const std::string& id = request->organization_id();
    if (!IsValidOrgId(id)) {
      v.Add("organization_id", id.empty() ? "is required (the slug, e.g. lushan-minzheng)"
                                          : "must be a lowercase slug: a-z first, then a-z, 0-9 "
                                            "and '-', at most 63, not ending in '-'");
    }
    ValidateOrganization(request->organization(), "organization.", id, v);
    CheckActor(Actor(*request), v);
    RETURN_IF_ERROR(v.ToStatus());
    Organization org = FromProto(request->organization());
    org.meta.id = id;
    ASSIGN_OR_RETURN(
        Organization stored,
        store_->CreateOrganization(std::move(org), Record("CreateOrganization", Actor(*request))));
    ASSIGN_OR_RETURN(*response, Presented(*store_, stored));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* ReportServiceImpl::GetOrganization(
    grpc::CallbackServerContext* context, const v1::GetOrganizationRequest* request,
    v1::Organization* response) {
  return calls_->Run(context, "GetOrganization", *request, [&]() -> absl::Status {
    FieldViolations v;
    auto id = ParseOrgName(request->name(), "name", v);
    RETURN_IF_ERROR(v.ToStatus());
    ASSIGN_OR_RETURN(Organization org, store_->GetOrganization(*id));
    ASSIGN_OR_RETURN(*response, Presented(*store_, org));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* ReportServiceImpl::ListOrganizations(
    grpc::CallbackServerContext* context, const v1::ListOrganizationsRequest* request,
    v1::ListOrganizationsResponse* response) {
  return calls_->Run(context, "ListOrganizations", *request, [&]() -> absl::Status {
    FieldViolations v;
    const int page_size = ResolvePageSize(request->page_size(), "page_size", v);
    std::string supervisor;
    if (!request->supervisor().empty()) {
      supervisor = ParseOrgName(request->supervisor(), "supervisor", v).value_or("");
    }
    RETURN_IF_ERROR(v.ToStatus());
    const std::string query = absl::StrCat("orgs|", supervisor);
    std::vector<std::string> position = DecodePagePosition(request->page_token(), query, 1, v);
    RETURN_IF_ERROR(v.ToStatus());
    const std::string after = position.empty() ? "" : position[0];
    // Only the organizations the caller may read; fetch on until the page
    // is full or the store has no more.
    std::vector<Organization> page;
    bool more = false;
    std::string cursor = after;
    while (!more) {
      ASSIGN_OR_RETURN(auto batch, store_->ListOrganizations(supervisor, cursor, page_size + 1));
      for (Organization& o : batch) {
        if (!auth::CallerMay(auth::Permission::kRead, o.meta.id)) continue;
        if (static_cast<int>(page.size()) == page_size) {
          more = true;
          break;
        }
        page.push_back(o);
      }
      if (static_cast<int>(batch.size()) <= page_size) break;
      cursor = batch.back().meta.id;
    }
    std::map<std::string, std::string> names;
    for (const Organization& o : page) {
      ASSIGN_OR_RETURN(*response->add_organizations(), Presented(*store_, o, names));
    }
    if (more) response->set_next_page_token(EncodePageToken(query, {page.back().meta.id}));
    return absl::OkStatus();
  });
}

grpc::Status ReportServiceImpl::UpdateOrganization(grpc::ServerContext* context,
                                                   const v1::UpdateOrganizationRequest* request,
                                                   v1::Organization* response) {
  return calls_->Run(context, "UpdateOrganization", *request, [&]() -> absl::Status {
    FieldViolations v;
    const v1::Organization& proto = request->organization();
    auto id = ParseOrgName(proto.name(), "organization.name", v);
    auto expected = ParseEtagField(proto.etag(), "organization.etag", v, /*required=*/true);
    CheckActor(Actor(*request), v);
    CheckMaskNamesNoOutputOnly(request->update_mask(), {"effective_addressee"}, v);
    RETURN_IF_ERROR(v.ToStatus());
    ASSIGN_OR_RETURN(Organization current, store_->GetOrganization(*id));
    RETURN_IF_ERROR(CheckExpectedRevision("organization", expected, current.meta.revision));
    v1::Organization merged = ToProto(current);
    ApplyFieldMask(proto, request->update_mask(), "update_mask", merged, v);
    RETURN_IF_ERROR(v.ToStatus());
    ValidateOrganization(merged, "organization.", *id, v);
    RETURN_IF_ERROR(v.ToStatus());
    Organization org = FromProto(merged);
    org.meta = current.meta;
    ASSIGN_OR_RETURN(Organization stored,
                     store_->UpdateOrganization(std::move(org), *expected,
                                                Record("UpdateOrganization", Actor(*request))));
    ASSIGN_OR_RETURN(*response, Presented(*store_, stored));
    return absl::OkStatus();
  });
}

grpc::Status ReportServiceImpl::DeleteOrganization(grpc::ServerContext* context,
                                                   const v1::DeleteOrganizationRequest* request,
                                                   google::protobuf::Empty*) {
  return calls_->Run(context, "DeleteOrganization", *request, [&]() -> absl::Status {
    FieldViolations v;
    auto id = ParseOrgName(request->name(), "name", v);
    auto expected = ParseEtagField(request->etag(), "etag", v);
    CheckActor(Actor(*request), v);
    RETURN_IF_ERROR(v.ToStatus());
    return store_->DeleteOrganization(*id, expected, Record("DeleteOrganization", Actor(*request)));
  });
}

// ---------------------------------------------------------------------------
// Reports.

grpc::Status ReportServiceImpl::CreateReport(grpc::ServerContext* context,
                                             const v1::CreateReportRequest* request,
                                             v1::Report* response) {
  return calls_->Run(context, "CreateReport", *request, [&]() -> absl::Status {
    FieldViolations v;
    auto org = ParseOrgName(request->parent(), "parent", v);
    v.CheckYear("year", request->year(), /*required=*/true);
    ValidateReportContent(request->report(), "report.", v);
    CheckNewSuppressionsHaveReasons({}, request->report(), "report.", v);
    CheckActor(Actor(*request), v);
    RETURN_IF_ERROR(v.ToStatus());
    Report report;
    report.meta.org = *org;
    report.year = request->year();
    report.content = ContentFromProto(request->report(), request->year());
    CheckDueDates(report.content, "report.", v);
    RETURN_IF_ERROR(v.ToStatus());
    ReportChange prepare = [](const Organization& o, Report& r, absl::Time) {
      ApplyContentDefaults(r.content, o.full_name, r.year);
      return absl::OkStatus();
    };
    ASSIGN_OR_RETURN(Report stored, store_->CreateReport(std::move(report), prepare,
                                                         Record("CreateReport", Actor(*request))));
    *response = ToProto(stored);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* ReportServiceImpl::GetReport(grpc::CallbackServerContext* context,
                                                       const v1::GetReportRequest* request,
                                                       v1::Report* response) {
  return calls_->Run(context, "GetReport", *request, [&]() -> absl::Status {
    FieldViolations v;
    auto name = ReportName::Parse(request->name(), "name", v);
    RETURN_IF_ERROR(v.ToStatus());
    ASSIGN_OR_RETURN(Report report, store_->GetReport(name->org, name->year));
    *response = ToProto(report);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* ReportServiceImpl::GetReportInputs(
    grpc::CallbackServerContext* context, const v1::GetReportInputsRequest* request,
    v1::ReportInputs* response) {
  return calls_->Run(context, "GetReportInputs", *request, [&]() -> absl::Status {
    FieldViolations v;
    auto name = ReportName::Parse(request->name(), "name", v);
    CheckIfNoneMatch(request->if_none_match(), v);
    RETURN_IF_ERROR(v.ToStatus());
    // Taken before the records are read: a write in between only changes
    // the next etag.
    v1::GetReportInputsRequest understood = *request;
    understood.clear_if_none_match();
    const std::string etag = AnswerEtag(understood, today_(), store_->DataVersion());
    if (AnswerNotModified(etag, request->if_none_match(), *response)) return absl::OkStatus();
    ASSIGN_OR_RETURN(ReportStore::OrganizationYear found,
                     store_->GetOrganizationYear(name->org, name->year));
    ASSIGN_OR_RETURN(*response->mutable_organization(), Presented(*store_, found.organization));
    if (found.report) *response->mutable_report() = ToProto(*found.report);
    response->set_answer_etag(etag);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* ReportServiceImpl::ListReports(grpc::CallbackServerContext* context,
                                                         const v1::ListReportsRequest* request,
                                                         v1::ListReportsResponse* response) {
  return calls_->Run(context, "ListReports", *request, [&]() -> absl::Status {
    FieldViolations v;
    auto org = ParseOrgName(request->parent(), "parent", v);
    const int page_size = ResolvePageSize(request->page_size(), "page_size", v);
    RETURN_IF_ERROR(v.ToStatus());
    const std::string query = absl::StrCat("reports|", *org);
    std::optional<int64_t> after = DecodeNumberToken(request->page_token(), query, v);
    RETURN_IF_ERROR(v.ToStatus());
    // Reports are the largest records: the page may end early (FillPage).
    return AnswerPage(
        page_size, query,
        [&](int limit) { return store_->ListReports(*org, static_cast<int32_t>(*after), limit); },
        [](const Report& r) { return ToProto(r); },
        [](const Report& r) { return std::vector<std::string>{absl::StrCat(r.year)}; },
        response->mutable_reports(), response->mutable_next_page_token());
  });
}

grpc::Status ReportServiceImpl::UpdateReport(grpc::ServerContext* context,
                                             const v1::UpdateReportRequest* request,
                                             v1::Report* response) {
  return calls_->Run(context, "UpdateReport", *request, [&]() -> absl::Status {
    FieldViolations v;
    const v1::Report& proto = request->report();
    auto name = ReportName::Parse(proto.name(), "report.name", v);
    auto expected = ParseEtagField(proto.etag(), "report.etag", v, /*required=*/true);
    CheckActor(Actor(*request), v);
    CheckMaskNamesNoOutputOnly(request->update_mask(), ReportOutputOnly(), v);
    RETURN_IF_ERROR(v.ToStatus());

    ASSIGN_OR_RETURN(Report current, store_->GetReport(name->org, name->year));
    RETURN_IF_ERROR(CheckExpectedRevision("report", expected, current.meta.revision));
    // Say early when the report cannot be edited at all; the store checks
    // again inside its transaction.
    Report probe = current;
    RETURN_IF_ERROR(ApplyStep(
        probe, StepRequest{Step::kEdit, "UpdateReport", Actor(*request), "", absl::Now(), false}));

    v1::Report merged = ToProto(current);
    ApplyFieldMask(proto, request->update_mask(), "update_mask", merged, v);
    RETURN_IF_ERROR(v.ToStatus());
    DropReasonsOfUnsuppressed(request->update_mask(), merged);
    ValidateReportContent(merged, "report.", v);
    CheckNewSuppressionsHaveReasons(current.content.suppressed_findings, merged, "report.", v);
    RETURN_IF_ERROR(v.ToStatus());
    ReportContent content = ContentFromProto(merged, name->year);
    CheckDueDates(content, "report.", v);
    RETURN_IF_ERROR(v.ToStatus());

    const std::string actor = Actor(*request);
    ReportChange change = [&content, actor](const Organization& org, Report& r, absl::Time now) {
      RETURN_IF_ERROR(ApplyStep(
          r, StepRequest{Step::kEdit, "UpdateReport", actor, "", now, org.two_person_approval}));
      r.content = content;
      ApplyContentDefaults(r.content, org.full_name, r.year);
      return absl::OkStatus();
    };
    ASSIGN_OR_RETURN(Report stored, store_->ChangeReport(name->org, name->year, expected, change,
                                                         Record("UpdateReport", actor)));
    *response = ToProto(stored);
    return absl::OkStatus();
  });
}

grpc::Status ReportServiceImpl::DeleteReport(grpc::ServerContext* context,
                                             const v1::DeleteReportRequest* request,
                                             google::protobuf::Empty*) {
  return calls_->Run(context, "DeleteReport", *request, [&]() -> absl::Status {
    FieldViolations v;
    auto name = ReportName::Parse(request->name(), "name", v);
    auto expected = ParseEtagField(request->etag(), "etag", v);
    CheckActor(Actor(*request), v);
    RETURN_IF_ERROR(v.ToStatus());
    return store_->DeleteReport(name->org, name->year, expected,
                                StepChange(Step::kDelete, "DeleteReport", Actor(*request), ""),
                                Record("DeleteReport", Actor(*request)));
  });
}

// ---------------------------------------------------------------------------
// Life cycle.

grpc::Status ReportServiceImpl::SubmitReport(grpc::ServerContext* context,
                                             const v1::SubmitReportRequest* request,
                                             v1::Report* response) {
  return calls_->Run(context, "SubmitReport", *request, [&] {
    return RunStep(*store_, *request, Step::kSubmit, "SubmitReport", false, response);
  });
}

grpc::Status ReportServiceImpl::ApproveReport(grpc::ServerContext* context,
                                              const v1::ApproveReportRequest* request,
                                              v1::Report* response) {
  return calls_->Run(context, "ApproveReport", *request, [&] {
    return RunStep(*store_, *request, Step::kApprove, "ApproveReport", false, response);
  });
}

grpc::Status ReportServiceImpl::RejectReport(grpc::ServerContext* context,
                                             const v1::RejectReportRequest* request,
                                             v1::Report* response) {
  return calls_->Run(context, "RejectReport", *request, [&] {
    return RunStep(*store_, *request, Step::kReject, "RejectReport", true, response);
  });
}

grpc::Status ReportServiceImpl::CreateRevision(grpc::ServerContext* context,
                                               const v1::CreateRevisionRequest* request,
                                               v1::Report* response) {
  return calls_->Run(context, "CreateRevision", *request, [&] {
    return RunStep(*store_, *request, Step::kCreateRevision, "CreateRevision", true, response);
  });
}

grpc::Status ReportServiceImpl::PublishReport(grpc::ServerContext* context,
                                              const v1::PublishReportRequest* request,
                                              v1::Report* response) {
  return calls_->Run(context, "PublishReport", *request, [&]() -> absl::Status {
    FieldViolations v;
    auto name = ReportName::Parse(request->name(), "name", v);
    auto expected = ParseEtagField(request->etag(), "etag", v);
    CheckActor(Actor(*request), v);
    CheckComment(request->comment(), false, v);
    ValidateDocuments(request->documents(), v);
    RETURN_IF_ERROR(v.ToStatus());
    std::vector<Document> documents;
    for (const auto& d : request->documents()) {
      Document doc;
      doc.format = d.format();
      doc.media_type = d.media_type();
      doc.content = d.content();
      documents.push_back(std::move(doc));
    }
    ASSIGN_OR_RETURN(
        Report stored,
        store_->PublishReport(
            name->org, name->year, expected,
            StepChange(Step::kPublish, "PublishReport", Actor(*request), request->comment()),
            std::move(documents), Record("PublishReport", Actor(*request), request->comment())));
    *response = ToProto(stored);
    return absl::OkStatus();
  });
}

// ---------------------------------------------------------------------------
// Revisions.

grpc::ServerUnaryReactor* ReportServiceImpl::GetReportRevision(
    grpc::CallbackServerContext* context, const v1::GetReportRevisionRequest* request,
    v1::ReportRevision* response) {
  return calls_->Run(context, "GetReportRevision", *request, [&]() -> absl::Status {
    FieldViolations v;
    auto name = RevisionName::Parse(request->name(), "name", v);
    RETURN_IF_ERROR(v.ToStatus());
    ASSIGN_OR_RETURN(Revision revision, store_->GetRevision(name->org, name->year, name->revision));
    *response = ToProto(revision);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* ReportServiceImpl::ListReportRevisions(
    grpc::CallbackServerContext* context, const v1::ListReportRevisionsRequest* request,
    v1::ListReportRevisionsResponse* response) {
  return calls_->Run(context, "ListReportRevisions", *request, [&]() -> absl::Status {
    FieldViolations v;
    auto name = ReportName::Parse(request->parent(), "parent", v);
    const int page_size = ResolvePageSize(request->page_size(), "page_size", v);
    RETURN_IF_ERROR(v.ToStatus());
    const std::string query = absl::StrCat("revisions|", request->parent());
    std::optional<int64_t> after = DecodeNumberToken(request->page_token(), query, v);
    RETURN_IF_ERROR(v.ToStatus());
    ASSIGN_OR_RETURN(
        auto revisions,
        store_->ListRevisions(name->org, name->year, static_cast<int32_t>(*after), page_size + 1));
    const bool more = static_cast<int>(revisions.size()) > page_size;
    if (more) revisions.resize(page_size);
    for (const Revision& r : revisions) *response->add_revisions() = ToProto(r);
    if (more) {
      response->set_next_page_token(
          EncodePageToken(query, {absl::StrCat(revisions.back().number)}));
    }
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* ReportServiceImpl::GetReportDocument(
    grpc::CallbackServerContext* context, const v1::GetReportDocumentRequest* request,
    v1::Document* response) {
  return calls_->Run(context, "GetReportDocument", *request, [&]() -> absl::Status {
    FieldViolations v;
    auto name = DocumentName::Parse(request->name(), "name", v);
    RETURN_IF_ERROR(v.ToStatus());
    ASSIGN_OR_RETURN(Document doc,
                     store_->GetDocument(name->org, name->year, name->revision, name->format));
    *response = ToProto(doc, name->revision_name(), true);
    return absl::OkStatus();
  });
}

// ---------------------------------------------------------------------------
// Supervision and history.

grpc::ServerUnaryReactor* ReportServiceImpl::ListOverdueReports(
    grpc::CallbackServerContext* context, const v1::ListOverdueReportsRequest* request,
    v1::ListOverdueReportsResponse* response) {
  return calls_->Run(context, "ListOverdueReports", *request, [&]() -> absl::Status {
    FieldViolations v;
    auto supervisor = ParseOrgName(request->supervisor(), "supervisor", v);
    v.CheckYear("year", request->year(), /*required=*/true);
    v.CheckDate("as_of", request->as_of(), /*required=*/false);
    RETURN_IF_ERROR(v.ToStatus());
    const absl::CivilDay as_of = IsSet(request->as_of()) ? ToCivilDay(request->as_of()) : today_();
    ASSIGN_OR_RETURN(auto supervised, store_->LoadSupervised(*supervisor, request->year()));
    *response->mutable_as_of() = ToDate(as_of);
    // Rows (and the count) cover only organizations the caller may read.
    std::erase_if(supervised, [](const SupervisedReport& s) {
      return !auth::CallerMay(auth::Permission::kRead, s.organization.meta.id);
    });
    response->set_supervised_organizations(static_cast<int32_t>(supervised.size()));
    for (const SupervisedReport& s : supervised) {
      ReportTimeliness t = JudgeTimeliness(request->year(), s.report ? &*s.report : nullptr, as_of);
      if (!t.reasons.empty())
        *response->add_reports() = ToProto(s.organization, request->year(), t);
    }
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* ReportServiceImpl::ListHistory(grpc::CallbackServerContext* context,
                                                         const v1::ListHistoryRequest* request,
                                                         v1::ListHistoryResponse* response) {
  return calls_->Run(context, "ListHistory", *request, [&]() -> absl::Status {
    FieldViolations v;
    auto org = ParseOrgName(request->parent(), "parent", v);
    const int page_size = ResolvePageSize(request->page_size(), "page_size", v);
    if (org && !request->resource().empty()) {
      const std::string own = OrgName(*org);
      const std::string& resource = request->resource();
      const bool inside =
          resource == own || (resource.rfind(own + "/", 0) == 0 &&
                              resource.size() > own.size() + 1 && resource.back() != '/');
      v.CheckText("resource", resource, 300);
      if (!inside) v.Add("resource", absl::StrCat("must be ", own, " or a resource under it"));
    }
    RETURN_IF_ERROR(v.ToStatus());
    const std::string query = absl::StrCat("history|", *org, "|", request->resource());
    std::optional<int64_t> after = DecodeNumberToken(request->page_token(), query, v);
    RETURN_IF_ERROR(v.ToStatus());
    ASSIGN_OR_RETURN(auto entries,
                     store_->ListHistory(*org, request->resource(), *after, page_size + 1));
    const bool more = static_cast<int>(entries.size()) > page_size;
    if (more) entries.resize(page_size);
    for (const HistoryEntry& e : entries) *response->add_entries() = ToProto(e);
    if (more) {
      response->set_next_page_token(
          EncodePageToken(query, {absl::StrCat(entries.back().sequence)}));
    }
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* ReportServiceImpl::ListAuditRecords(
    grpc::CallbackServerContext* context, const fazhi::type::v1::ListAuditRecordsRequest* request,
    fazhi::type::v1::ListAuditRecordsResponse* response) {
  return calls_->Run(context, "ListAuditRecords", *request, [&]() -> absl::Status {
    return auth::ListAuditRecords(audit_, *request, response);
  });
}

}  // namespace fazhi::report
