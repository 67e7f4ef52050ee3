#include "services/gateway/dashboard.h"

#include <map>

#include "services/common/proto_dates.h"

namespace fazhi::gateway {
namespace {

namespace rv1 = fazhi::report::v1;
namespace dv1 = fazhi::duty::v1;

int32_t GapCount(const dv1::DutySummary& duty, dv1::GapType type) {
  for (const auto& c : duty.gap_counts()) {
    if (c.type() == type) return c.count();
  }
  return 0;
}

void SetReportColumns(const std::optional<rv1::Report>& report, const rv1::OverdueReport* overdue,
                      v1::DashboardRow& row) {
  row.set_started(report.has_value());
  if (report) {
    row.set_state(report->state());
    *row.mutable_submit_before() = report->due_dates().submit_before();
    *row.mutable_publish_before() = report->due_dates().publish_before();
  }
  if (overdue == nullptr) return;
  for (int reason : overdue->reasons()) {
    // NOT_STARTED alone is no delay: the report service adds
    // SUBMISSION_OVERDUE to it once the due date has passed.
    if (reason == rv1::OVERDUE_REASON_SUBMISSION_OVERDUE) row.set_submission_overdue(true);
    if (reason == rv1::OVERDUE_REASON_PUBLICATION_OVERDUE) row.set_publication_overdue(true);
  }
  if (!report) {
    *row.mutable_submit_before() = overdue->submit_before();
    *row.mutable_publish_before() = overdue->publish_before();
  }
}

// Quarters due are those ended by `as_of`; covered counts every quarter
// with leadership-group study, as the dashboard always has (the summary's
// leadership_quarters_missed looks at due quarters only).
void SetStudyColumns(const fazhi::study::v1::StudySummary& study, int year, absl::CivilDay as_of,
                     v1::DashboardRow& row) {
  row.set_study_sessions(study.total_sessions());
  int due = 0, covered = 0;
  for (const auto& q : study.by_quarter()) {
    row.add_sessions_by_quarter(q.sessions());
    const absl::CivilDay quarter_end =
        absl::CivilDay(absl::CivilMonth(year, q.quarter() * 3) + 1) - 1;
    if (quarter_end <= as_of) ++due;
    if (q.leadership_group_sessions() > 0) ++covered;
  }
  row.set_leadership_quarters_due(due);
  row.set_leadership_quarters_covered(covered);
}

void SetDutyColumns(const dv1::DutySummary& duty, v1::DashboardRow& row, v1::Dashboard& dashboard) {
  row.set_powers(duty.totals().powers());
  row.set_powers_understaffed(duty.totals().powers() - duty.totals().staffed_powers());
  row.set_certificates_lapsed(GapCount(duty, dv1::GAP_TYPE_CERTIFICATE_EXPIRED) +
                              GapCount(duty, dv1::GAP_TYPE_CERTIFICATE_NOT_VALID));
  row.set_domains_without_legal_reviewer(
      GapCount(duty, dv1::GAP_TYPE_DOMAIN_WITHOUT_LEGAL_REVIEWER));
  for (const auto& d : duty.domains()) {
    if (d.staffed_powers() < d.powers()) {
      (*dashboard.mutable_understaffed_by_domain())[d.domain()] += d.powers() - d.staffed_powers();
    }
  }
}

}  // namespace

v1::Dashboard BuildDashboard(const DashboardInputs& inputs) {
  std::map<std::string, const rv1::OverdueReport*> overdue_by_org;
  for (const auto& o : inputs.overdue.reports()) overdue_by_org[o.organization()] = &o;

  v1::Dashboard dashboard;
  dashboard.set_supervisor(inputs.supervisor);
  dashboard.set_year(inputs.year);
  *dashboard.mutable_as_of() = ToDate(inputs.as_of);
  for (size_t i = 0; i < inputs.organizations.size(); ++i) {
    const rv1::Organization& o = inputs.organizations[i];
    v1::DashboardRow& row = *dashboard.add_rows();
    row.set_org(o.name());
    row.set_org_name(o.full_name());
    const absl::StatusOr<ComposeInput>& fetched = inputs.years[i];
    if (!fetched.ok()) {
      row.add_facts_missing(std::string(fetched.status().message()));
      continue;
    }
    const YearInputs& in = fetched->inputs;
    auto overdue = overdue_by_org.find(o.name());
    SetReportColumns(in.report, overdue == overdue_by_org.end() ? nullptr : overdue->second, row);
    for (const auto& m : fetched->missing_backends) row.add_facts_missing(m);
    if (in.study) SetStudyColumns(*in.study, inputs.year, inputs.as_of, row);
    if (in.duty) SetDutyColumns(*in.duty, row, dashboard);
  }
  return dashboard;
}

}  // namespace fazhi::gateway
