#include "services/gateway/gateway_service.h"

#include <map>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "services/common/auth/access.h"
#include "services/common/bounded_parallel.h"
#include "services/common/grpc_status.h"
#include "services/common/names.h"
#include "services/common/proto_dates.h"
#include "services/common/resource.h"
#include "services/common/status_macros.h"
#include "services/common/validation.h"
#include "services/gateway/compose.h"
#include "services/gateway/dashboard.h"
#include "services/gateway/facts.h"
#include "services/gateway/fill.h"
#include "services/gateway/render/renderer.h"
#include "services/kernel/digest.h"

namespace fazhi::gateway {
namespace {

namespace rv1 = fazhi::report::v1;

constexpr int kMaxDashboardOrganizations = 1000;
// Organizations whose year the dashboard fetches at the same time (each
// fetch is itself a few concurrent backend calls).
constexpr size_t kDashboardFetchers = 8;

Forward ForwardOf(const grpc::ServerContextBase* context) {
  Forward forward{RequestIdFor(*context), "", ""};
  auto it = context->client_metadata().find(auth::kAuthorizationHeader);
  if (it != context->client_metadata().end()) {
    forward.authorization.assign(it->second.data(), it->second.size());
  } else if (const auth::Principal* who = auth::CurrentPrincipal();
             who != nullptr && absl::StartsWith(who->credential, "cert:")) {
    forward.on_behalf_of = who->caller;
  }
  return forward;
}

void CheckFormats(const google::protobuf::RepeatedPtrField<std::string>& formats,
                  FieldViolations& v) {
  if (formats.size() > 8) v.Add("formats", "at most 8 formats");
  for (int i = 0; i < formats.size(); ++i) {
    if (fazhi::render::RendererFor(formats[i]) == nullptr) {
      v.Add(absl::StrCat("formats[", i, "]"),
            absl::StrCat("unknown format \"", formats[i], "\"; use txt, md, html or docx"));
    }
  }
}

std::optional<absl::CivilDay> AsOf(const google::type::Date& date) {
  if (!IsSet(date)) return std::nullopt;
  return ToCivilDay(date);
}

void FactToProto(const Fact& f, v1::Fact& p) {
  p.set_name(f.name);
  p.set_description(f.description);
  p.set_text(f.text);
  if (f.number) {
    p.set_number(*f.number);
    p.set_is_number(true);
  }
  for (const auto& item : f.items) p.add_items(item);
  p.set_unit(f.unit);
  p.mutable_source()->set_service(f.service);
  p.mutable_source()->set_method(f.method);
  p.mutable_source()->set_resource(f.resource);
  for (const auto& record : f.records) p.add_records(record);
  p.set_has_previous(f.has_previous);
  p.set_previous_on_record(f.previous_on_record);
  p.set_previous_number(f.previous);
}

// The draft's narrative in place of the stored one's. What the report
// service keeps of its own (state, revision, life cycle, due dates, etag)
// stays the stored report's: nothing of the draft is stored.
void UseDraft(const rv1::Report& draft, ComposeInput& input) {
  rv1::Report narrative = draft;
  if (input.inputs.report) {
    const rv1::Report& stored = *input.inputs.report;
    *narrative.mutable_due_dates() = stored.due_dates();
    narrative.set_state(stored.state());
    narrative.set_revision(stored.revision());
    narrative.set_published_revision(stored.published_revision());
    *narrative.mutable_lifecycle() = stored.lifecycle();
    narrative.set_correction_reason(stored.correction_reason());
    narrative.set_etag(stored.etag());
    *narrative.mutable_create_time() = stored.create_time();
    *narrative.mutable_update_time() = stored.update_time();
  }
  narrative.set_name(ReportName{input.inputs.org, input.inputs.year}.Format());
  narrative.set_year(input.inputs.year);
  input.inputs.report = std::move(narrative);
  input.narrative_field = "draft";
}

}  // namespace

AnnualReportServiceImpl::AnnualReportServiceImpl(Backends* backends, const CallHandler* calls,
                                                 Clock today)
    : backends_(backends), calls_(calls), today_(kernel::ClockOrToday(std::move(today))) {
  SetMessageAllocatorFor_GetFacts(&facts_messages_);
}

absl::StatusOr<v1::ComposedReport> AnnualReportServiceImpl::ComposeFor(
    const std::string& org, int year, const std::vector<std::string>& formats, bool allow_partial,
    std::optional<absl::CivilDay> as_of, const Forward& forward, const rv1::Report* draft) {
  ASSIGN_OR_RETURN(ComposeInput input,
                   backends_->FetchYear(org, year, as_of,
                                        Backends::FetchOptions::ForReport(allow_partial), forward));
  const std::string answers_etag = input.answers_etag;
  return ComposeFrom(
      answers_etag, [&input] { return std::move(input); }, org, year, formats, allow_partial, as_of,
      draft);
}

absl::StatusOr<v1::ComposedReport> AnnualReportServiceImpl::ComposeFrom(
    const std::string& answers_etag, absl::FunctionRef<absl::StatusOr<ComposeInput>()> fetched,
    const std::string& org, int year, const std::vector<std::string>& formats, bool allow_partial,
    std::optional<absl::CivilDay> as_of, const rv1::Report* draft) {
  // The same request composed from the same answers is the same report
  // (composing reads no clock but the day, which the key holds).
  std::string key;
  if (draft == nullptr && !answers_etag.empty()) {
    key = absl::StrCat(org, "|", year, "|", as_of ? absl::FormatCivilTime(*as_of) : "-", "|",
                       absl::StrJoin(formats, ","), "|", allow_partial, "|",
                       absl::FormatCivilTime(today_()));
    std::string etag;
    if (auto held = backends_->composed().Get<v1::ComposedReport>(key, &etag);
        held != nullptr && etag == answers_etag) {
      backends_->composed().CountReuse();
      return *held;
    }
  }
  ASSIGN_OR_RETURN(ComposeInput input, fetched());
  if (!input.missing_backends.empty()) key.clear();  // a partial draft is never held
  if (draft != nullptr) UseDraft(*draft, input);
  const FactCatalogue facts = BuildFacts(input.inputs);
  ASSIGN_OR_RETURN(v1::ComposedReport composed, Compose(input, facts));
  if (input.inputs.study) *composed.mutable_as_of() = input.inputs.study->as_of();
  if (input.inputs.report) {
    *composed.mutable_due_dates() = input.inputs.report->due_dates();
    *composed.mutable_lifecycle() = input.inputs.report->lifecycle();
    composed.set_etag(input.inputs.report->etag());
    composed.set_revision(input.inputs.report->revision());
  }
  const fazhi::render::Document document = ToDocument(composed);
  const fazhi::render::Layout layout = fazhi::render::LayOut(document);  // once for every format
  for (const std::string& format : formats) {
    auto renderer = fazhi::render::RendererFor(format);
    ASSIGN_OR_RETURN(std::string bytes, renderer->Render(document, layout));
    auto* rendering = composed.add_renderings();
    rendering->set_format(renderer->format());
    rendering->set_media_type(renderer->media_type());
    rendering->set_sha256(kernel::Sha256Hex(bytes));
    rendering->set_content(std::move(bytes));
  }
  if (!key.empty()) {
    backends_->composed().Put(key, input.answers_etag,
                              std::make_shared<const v1::ComposedReport>(composed));
  }
  return composed;
}

grpc::ServerUnaryReactor* AnnualReportServiceImpl::ComposeReport(
    grpc::CallbackServerContext* context, const v1::ComposeReportRequest* request,
    v1::ComposedReport* response) {
  return calls_->RunThen(context, "ComposeReport", *request, [&](CallHandler::CallEnd end) {
    FieldViolations v;
    auto org = ParseOrgName(request->org(), "org", v);
    v.CheckYear("year", request->year(), /*required=*/true);
    v.CheckDate("as_of", request->as_of(), false);
    CheckFormats(request->formats(), v);
    const bool has_draft = request->has_draft();
    if (has_draft && org && !request->draft().name().empty() &&
        request->draft().name() != ReportName{*org, request->year()}.Format()) {
      v.Add("draft.name", absl::StrCat("a draft of ", ReportName{*org, request->year()}.Format(),
                                       " is named so or left empty"));
    }
    if (absl::Status invalid = v.ToStatus(); !invalid.ok()) return end(std::move(invalid));
    const std::optional<absl::CivilDay> as_of = AsOf(request->as_of());
    // Composed on the callback thread that took the last answer; `request`
    // and `response` stand until the call ends.
    Backends::FetchOptions options = Backends::FetchOptions::ForReport(request->allow_partial());
    options.share_held = true;  // a report held from the same answers takes none of them
    backends_->FetchYearThen(
        *org, request->year(), as_of, options, ForwardOf(context),
        [this, request, response, end, org = *org, as_of](Backends::FetchedYear fetched) {
          absl::StatusOr<v1::ComposedReport> composed = ComposeFrom(
              fetched.AnswersEtag(), [&fetched] { return fetched.Input(); }, org, request->year(),
              {request->formats().begin(), request->formats().end()}, request->allow_partial(),
              as_of, request->has_draft() ? &request->draft() : nullptr);
          if (!composed.ok()) return end(composed.status());
          *response = *std::move(composed);
          end(absl::OkStatus());
        });
  });
}

grpc::ServerUnaryReactor* AnnualReportServiceImpl::GetFacts(grpc::CallbackServerContext* context,
                                                            const v1::GetFactsRequest* request,
                                                            v1::FactCatalogue* response) {
  return calls_->RunThen(context, "GetFacts", *request, [&](CallHandler::CallEnd end) {
    FieldViolations v;
    auto org = ParseOrgName(request->org(), "org", v);
    v.CheckYear("year", request->year(), true);
    v.CheckDate("as_of", request->as_of(), false);
    if (absl::Status invalid = v.ToStatus(); !invalid.ok()) return end(std::move(invalid));
    backends_->FetchYearThen(*org, request->year(), AsOf(request->as_of()),
                             Backends::FetchOptions::ForReport(request->allow_partial()),
                             ForwardOf(context),
                             [request, response, end](Backends::FetchedYear fetched) {
                               absl::StatusOr<ComposeInput> input = fetched.Input();
                               if (!input.ok()) return end(input.status());
                               ListFacts(*input, *request, *response);
                               end(absl::OkStatus());
                             });
  });
}

void AnnualReportServiceImpl::ListFacts(const ComposeInput& input,
                                        const v1::GetFactsRequest& request,
                                        v1::FactCatalogue& response) {
  const FactCatalogue facts = BuildFacts(input.inputs);
  response.set_org(request.org());
  response.set_year(request.year());
  if (input.inputs.study) *response.mutable_as_of() = input.inputs.study->as_of();
  const std::map<std::string, std::vector<std::string>> uses =
      input.inputs.report ? FactUses(*input.inputs.report)
                          : std::map<std::string, std::vector<std::string>>();
  for (const auto& [name, fact] : facts.facts()) {
    v1::Fact* out = response.add_facts();
    FactToProto(fact, *out);
    if (auto it = uses.find(name); it != uses.end()) {
      for (const std::string& field : it->second) out->add_used_in(field);
    }
  }
  for (const auto& m : input.missing_backends) response.add_missing_backends(m);
  if (input.inputs.report) *response.mutable_warnings() = input.inputs.report->warnings();
}

grpc::Status AnnualReportServiceImpl::PublishReport(grpc::ServerContext* context,
                                                    const v1::PublishReportRequest* request,
                                                    v1::PublishReportResponse* response) {
  return calls_->Run(context, "PublishReport", *request, [&]() -> absl::Status {
    FieldViolations v;
    auto org = ParseOrgName(request->org(), "org", v);
    v.CheckYear("year", request->year(), true);
    // The report service records the authenticated caller; the actor field
    // counts only in development mode.
    const std::string actor = auth::ActingCaller(request->actor());
    v.CheckText("actor", actor, 100, /*required=*/true);
    CheckFormats(request->formats(), v);
    RETURN_IF_ERROR(v.ToStatus());
    std::vector<std::string> formats(request->formats().begin(), request->formats().end());
    if (formats.empty()) formats = fazhi::render::SupportedFormats();
    const Forward forward = ForwardOf(context);
    ASSIGN_OR_RETURN(
        v1::ComposedReport composed,
        ComposeFor(*org, request->year(), formats, /*allow_partial=*/false, std::nullopt, forward));
    if (composed.state() != rv1::REPORT_STATE_APPROVED) {
      return absl::FailedPreconditionError(
          absl::StrCat(composed.report(), " is ", rv1::ReportState_Name(composed.state()),
                       "; only an APPROVED report can be published"));
    }
    rv1::PublishReportRequest publish;
    publish.set_name(composed.report());
    publish.set_actor(actor);
    for (const auto& r : composed.renderings()) {
      auto* doc = publish.add_documents();
      doc->set_format(r.format());
      doc->set_media_type(r.media_type());
      doc->set_content(r.content());
      doc->set_sha256(r.sha256());
      auto* summary = response->add_renderings();
      *summary = r;
      summary->clear_content();
    }
    // As the gateway on the caller's behalf: the report service takes
    // documents only from the gateway, which composed them just now.
    const auth::Principal* who = auth::CurrentPrincipal();
    ASSIGN_OR_RETURN(*response->mutable_report(),
                     backends_->report().Publish(
                         publish, AsDelegate(forward, backends_->config().own_authorization,
                                             who != nullptr ? who->caller : "")));
    return absl::OkStatus();
  });
}

grpc::Status AnnualReportServiceImpl::GetDashboard(grpc::ServerContext* context,
                                                   const v1::GetDashboardRequest* request,
                                                   v1::Dashboard* response) {
  return calls_->Run(context, "GetDashboard", *request, [&]() -> absl::Status {
    FieldViolations v;
    ParseOrgName(request->supervisor(), "supervisor", v);
    v.CheckYear("year", request->year(), true);
    v.CheckDate("as_of", request->as_of(), false);
    RETURN_IF_ERROR(v.ToStatus());
    const absl::CivilDay as_of = IsSet(request->as_of()) ? ToCivilDay(request->as_of()) : today_();
    const Forward forward = ForwardOf(context);

    // The supervised organizations, every page.
    std::vector<rv1::Organization> organizations;
    std::string token;
    do {
      ASSIGN_OR_RETURN(
          rv1::ListOrganizationsResponse page,
          backends_->report().ListOrganizations(request->supervisor(), 1000, token, forward));
      organizations.insert(organizations.end(), page.organizations().begin(),
                           page.organizations().end());
      token = page.next_page_token();
    } while (!token.empty() && organizations.size() < kMaxDashboardOrganizations);

    ASSIGN_OR_RETURN(rv1::ListOverdueReportsResponse overdue,
                     backends_->report().ListOverdueReports(request->supervisor(), request->year(),
                                                            as_of, forward));
    // The report service already listed only what the caller may read;
    // check again here, where the rows are assembled.
    std::erase_if(organizations, [](const rv1::Organization& o) {
      const std::optional<std::string> org = OrgOfName(o.name());
      return !org || !auth::CallerMay(auth::Permission::kRead, *org);
    });

    // Each organization's year, a few at a time.
    DashboardInputs inputs{
        request->supervisor(), request->year(), as_of, std::move(organizations), {},
        std::move(overdue)};
    inputs.years.assign(inputs.organizations.size(), absl::UnknownError("not fetched"));
    ForEachBounded(inputs.organizations.size(), kDashboardFetchers, [&](size_t i) {
      inputs.years[i] = backends_->FetchYear(
          OrgOfName(inputs.organizations[i].name()).value_or(""), request->year(), as_of,
          Backends::FetchOptions{.allow_partial = true}, forward);
    });
    *response = BuildDashboard(inputs);
    return absl::OkStatus();
  });
}

absl::Status AnnualReportServiceImpl::Decide(bool approve, const std::string& org_field, int year,
                                             const std::string& etag, const std::string& comment,
                                             const std::string& requested_actor,
                                             const Forward& forward, rv1::Report* response) {
  FieldViolations v;
  auto org = ParseOrgName(org_field, "org", v);
  v.CheckYear("year", year, true);
  v.CheckText("etag", etag, 200);
  v.CheckText("comment", comment, 2000, /*required=*/!approve, /*multiline=*/true);
  // The report service records the authenticated caller; the actor field
  // counts only in development mode.
  const std::string actor = auth::ActingCaller(requested_actor);
  v.CheckText("actor", actor, 100, /*required=*/true);
  RETURN_IF_ERROR(v.ToStatus());
  const std::string name = ReportName{*org, year}.Format();
  std::string current_etag = etag;
  if (current_etag.empty()) {
    ASSIGN_OR_RETURN(rv1::Report report, backends_->report().GetReport(name, forward));
    current_etag = report.etag();
  }
  if (approve) {
    rv1::ApproveReportRequest request;
    request.set_name(name);
    request.set_etag(current_etag);
    request.set_actor(actor);
    request.set_comment(comment);
    ASSIGN_OR_RETURN(*response, backends_->report().Approve(request, forward));
  } else {
    rv1::RejectReportRequest request;
    request.set_name(name);
    request.set_etag(current_etag);
    request.set_actor(actor);
    request.set_comment(comment);
    ASSIGN_OR_RETURN(*response, backends_->report().Reject(request, forward));
  }
  return absl::OkStatus();
}

grpc::Status AnnualReportServiceImpl::ApproveReport(grpc::ServerContext* context,
                                                    const v1::ApproveReportRequest* request,
                                                    rv1::Report* response) {
  return calls_->Run(context, "ApproveReport", *request, [&]() -> absl::Status {
    return Decide(/*approve=*/true, request->org(), request->year(), request->etag(),
                  request->comment(), request->actor(), ForwardOf(context), response);
  });
}

grpc::Status AnnualReportServiceImpl::RejectReport(grpc::ServerContext* context,
                                                   const v1::RejectReportRequest* request,
                                                   rv1::Report* response) {
  return calls_->Run(context, "RejectReport", *request, [&]() -> absl::Status {
    return Decide(/*approve=*/false, request->org(), request->year(), request->etag(),
                  request->comment(), request->actor(), ForwardOf(context), response);
  });
}

}  // namespace fazhi::gateway
