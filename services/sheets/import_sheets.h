#ifndef FAZHI_SERVICES_SHEETS_IMPORT_SHEETS_H_
#define FAZHI_SERVICES_SHEETS_IMPORT_SHEETS_H_

// The import sheets people fill in: for sessions, publicity events, powers
// and officers, the columns with their Chinese headers, the fields they
// fill and one sample row, and the templates made of them (CSV and XLSX).
// The CLI's import reads a header cell as the field's name ("date"), its
// Chinese header ("日期"), or both as a template writes them
// ("日期（date）").

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"

namespace fazhi::sheets {

struct ImportColumn {
  std::string path;    // the field, dotted for nested ones: "certificate.number"
  std::string label;   // the Chinese header: "执法证号"
  std::string sample;  // the sample row's cell, as typed into a CSV
  double width = 14;   // in characters
};

struct ImportSheet {
  std::string kind;   // "sessions", "events", "powers", "officers"
  std::string title;  // "学法记录"
  const google::protobuf::Descriptor* type;
  std::vector<ImportColumn> columns;
};

const std::vector<ImportSheet>& ImportSheets();
// nullptr when there is none.
const ImportSheet* FindImportSheet(absl::string_view kind);
const ImportSheet* ImportSheetFor(const google::protobuf::Descriptor& type);

// The enum value a Chinese name stands for in an import cell ("集中学习" →
// "STUDY_KIND_ALL_STAFF"), or "" when `label` names none of `type`'s.
std::string EnumValueOfLabel(const google::protobuf::EnumDescriptor& type, absl::string_view label);
// The Chinese names of `type`'s values, in the enum's order.
std::vector<std::string> EnumLabels(const google::protobuf::EnumDescriptor& type);

// "日期（date）": how a template heads the column.
std::string HeaderOf(const ImportColumn& column);

// The field path a header cell names for `type`: the path in "标签（path）"
// or "标签 (path)", a column's Chinese label, else the cell itself.
std::string FieldPathOfHeader(const google::protobuf::Descriptor& type, absl::string_view header);

// A template: the header row and the sample row. CSV in UTF-8 with a
// byte-order mark (so Excel reads it as UTF-8); XLSX with the sample typed
// (dates as dates, numbers as numbers), text columns formatted as text, and
// a second sheet 填写说明 saying what each column takes.
std::string TemplateCsv(const ImportSheet& sheet);
absl::StatusOr<std::string> TemplateXlsx(const ImportSheet& sheet);

}  // namespace fazhi::sheets

#endif  // FAZHI_SERVICES_SHEETS_IMPORT_SHEETS_H_
