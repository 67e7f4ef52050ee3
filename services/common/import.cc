#include "services/common/import.h"

namespace fazhi {

void AddImportResult(fazhi::type::v1::ImportReport& report, int row, int batch,
                     const absl::Status& status, const std::vector<Violation>& violations,
                     const std::string& name, const std::string& external_id, bool replaced,
                     bool report_stored) {
  if (status.ok() && !report_stored) return;
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
}

}  // namespace fazhi
