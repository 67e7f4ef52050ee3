#include "services/cli/template_commands.h"

#include <fstream>
#include <iostream>

#include "absl/strings/match.h"
#include "services/sheets/import_sheets.h"

namespace fazhi::cli {

int WriteImportTemplate(const Flags& flags, const std::string& kind) {
  const std::string out = Flag(flags, "out");
  const bool csv = absl::EndsWithIgnoreCase(out, ".csv");
  if (!csv && !absl::EndsWithIgnoreCase(out, ".xlsx")) {
    return Usage("--out must name a .csv or .xlsx file");
  }
  const sheets::ImportSheet* sheet = sheets::FindImportSheet(kind);
  if (sheet == nullptr) return Usage("no import template for " + kind);
  absl::StatusOr<std::string> bytes =
      csv ? absl::StatusOr<std::string>(sheets::TemplateCsv(*sheet)) : sheets::TemplateXlsx(*sheet);
  if (!bytes.ok()) {
    std::cerr << "fazhi: " << bytes.status().message() << "\n";
    return kExitCallFailed;
  }
  std::ofstream file(out, std::ios::binary | std::ios::trunc);
  file << *bytes;
  file.close();
  if (!file) {
    std::cerr << "fazhi: cannot write " << out << "\n";
    return kExitUsage;
  }
  std::cerr << "wrote " << out << ": " << sheet->title << ", " << sheet->columns.size()
            << " columns and a sample row\n";
  return kExitOk;
}

}  // namespace fazhi::cli
