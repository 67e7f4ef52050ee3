#include "services/common/import.h"

namespace fazhi {

void AddImportResult(fazhi::type::v1::ImportReport& report, int row, int batch,
                     const absl::Status& status, const std::vector<Violation>& violations,
                     const std::string& name, const std::string& external_id, bool replaced,
                     bool report_stored, size_t& result_bytes) {
  if (status.ok() && !report_stored) return;
  if (result_bytes > kMaxImportResultBytes) {
    report.set_results_omitted(report.results_omitted() + 1);
    return;
  }
  auto* result = report.add_results();
  result->set_row(row);
  result->set_batch(batch);
  result->set_code(static_cast<int>(status.code()));
  result->set_message(std::string(status.message()));
  for (const Violation& v : violations) {
    auto* error = result->add_field_errors();
    error->set_field(v.field);
    error->set_description(v.description);
  }
  result->set_name(name);
  result->set_external_id(external_id);
  result->set_replaced(replaced);
  result_bytes += result->ByteSizeLong() + 4;  // and its tag and length in the report
}

fazhi::type::v1::ImportReport FailedImportReport(const fazhi::type::v1::ImportReport& report) {
  fazhi::type::v1::ImportReport counts = report;
  counts.set_results_omitted(report.results_omitted() + report.results_size());
  counts.clear_results();
  return counts;
}

}  // namespace fazhi
