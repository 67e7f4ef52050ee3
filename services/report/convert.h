#ifndef FAZHI_SERVICES_REPORT_CONVERT_H_
#define FAZHI_SERVICES_REPORT_CONVERT_H_

// Protobuf ↔ domain conversions of the report service. Inputs are assumed
// validated (validate.h).

#include "fazhi/report/v1/report.pb.h"
#include "services/common/names.h"
#include "services/report/model.h"
#include "services/report/schedule.h"

namespace fazhi::report {

// meta is left empty; supervisors become slugs, the credit code capitals.
Organization FromProto(const v1::Organization& proto);
v1::Organization ToProto(const Organization& org);

// The author-written fields of `proto`; due dates not given are the
// defaults for `year`. The title and a preset's entries are filled later
// (ApplyContentDefaults), when the organization is known.
ReportContent ContentFromProto(const v1::Report& proto, int year);
// With its narrative warnings (AddNarrativeWarnings).
v1::Report ToProto(const Report& report);
// Sets Report.warnings: every number typed by hand into the narrative.
void AddNarrativeWarnings(v1::Report& report);

// Document content is copied only when `with_content`.
v1::Document ToProto(const Document& doc, const RevisionName& revision, bool with_content);
v1::ReportRevision ToProto(const Revision& revision);

v1::HistoryEntry ToProto(const HistoryEntry& entry);

v1::OverdueReport ToProto(const Organization& org, int year, const ReportTimeliness& timeliness);

}  // namespace fazhi::report

#endif  // FAZHI_SERVICES_REPORT_CONVERT_H_
