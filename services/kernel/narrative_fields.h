#ifndef FAZHI_SERVICES_KERNEL_NARRATIVE_FIELDS_H_
#define FAZHI_SERVICES_KERNEL_NARRATIVE_FIELDS_H_

// Every template of a report's narrative with its field name
// ("report.sections[1].items[0].paragraphs[2]"), in reading order: what the
// report service checks for typed numbers and the gateway searches for the
// facts a report quotes. Header-only, generic over the report message
// (fazhi.report.v1.Report) so that this room needs no protobuf.

#include <string>

#include "absl/strings/str_cat.h"

namespace fazhi::kernel {

// ReportMessage: fazhi::report::v1::Report.
// Visit: void(const std::string& field, const std::string& text).
template <typename ReportMessage, typename Visit>
void ForEachNarrativeField(const ReportMessage& r, Visit visit) {
  visit("report.title", r.title());
  for (int i = 0; i < r.preamble_size(); ++i) {
    visit(absl::StrCat("report.preamble[", i, "]"), r.preamble(i));
  }
  for (int i = 0; i < r.layout().entries_size(); ++i) {
    visit(absl::StrCat("report.layout.entries[", i, "].heading"), r.layout().entries(i).heading());
  }
  for (int si = 0; si < r.sections_size(); ++si) {
    for (int ii = 0; ii < r.sections(si).items_size(); ++ii) {
      const auto& item = r.sections(si).items(ii);
      const std::string at = absl::StrCat("report.sections[", si, "].items[", ii, "]");
      visit(at + ".heading", item.heading());
      for (int pi = 0; pi < item.paragraphs_size(); ++pi) {
        visit(absl::StrCat(at, ".paragraphs[", pi, "]"), item.paragraphs(pi));
      }
    }
  }
  for (int i = 0; i < r.shortcomings_size(); ++i) {
    const auto& s = r.shortcomings(i);
    const std::string at = absl::StrCat("report.shortcomings[", i, "]");
    visit(at + ".problem", s.problem());
    visit(at + ".cause", s.cause());
    visit(at + ".rectification", s.rectification());
  }
  for (int i = 0; i < r.plan_items_size(); ++i) {
    const auto& item = r.plan_items(i);
    const std::string at = absl::StrCat("report.plan_items[", i, "]");
    visit(at + ".heading", item.heading());
    for (int j = 0; j < item.paragraphs_size(); ++j) {
      visit(absl::StrCat(at, ".paragraphs[", j, "]"), item.paragraphs(j));
    }
  }
}

}  // namespace fazhi::kernel

#endif  // FAZHI_SERVICES_KERNEL_NARRATIVE_FIELDS_H_
