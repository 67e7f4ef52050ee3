#include "services/sheets/import_sheets.h"

#include <cstring>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "fazhi/duty/v1/duty.pb.h"
#include "fazhi/study/v1/study.pb.h"
#include "services/kernel/dates.h"
#include "services/sheets/xlsx_writer.h"

namespace fazhi::sheets {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;

std::vector<ImportSheet> MakeSheets() {
  return {
      {"sessions",
       "学法记录",
       fazhi::study::v1::Session::descriptor(),
       {{"external_id", "编号", "XF-2024-001", 14},
        {"date", "日期", "2024-03-08", 12},
        {"kind", "类型", "党组（中心组）学法", 20},
        {"title", "主题", "党组会议学法：行政复议法", 30},
        {"laws", "所学法律", "行政复议法；行政处罚法", 24},
        {"duration_minutes", "时长（分钟）", "60", 10},
        {"location", "地点", "局机关三楼会议室", 18},
        {"attendee_count", "参加人数", "12", 10},
        {"head_attended", "主要负责人参加", "是", 10},
        {"evidence", "佐证材料", "会议纪要2024年第3期", 20},
        {"notes", "备注", "", 20}}},
      {"events",
       "普法宣传活动",
       fazhi::study::v1::PublicityEvent::descriptor(),
       {{"external_id", "编号", "PF-2024-001", 14},
        {"date", "日期", "2024-12-04", 12},
        {"kind", "类型", "国家宪法日", 16},
        {"title", "活动名称", "国家宪法日集中宣传", 26},
        {"place", "地点", "尧山广场", 16},
        {"laws", "宣传的法律", "宪法", 20},
        {"display_boards", "展板（块）", "6", 10},
        {"leaflets", "宣传资料（份）", "500", 12},
        {"people_reached", "受众（人次）", "800", 12},
        {"consultations", "法律咨询（人次）", "35", 12},
        {"evidence", "佐证材料", "活动照片6张", 20},
        {"notes", "备注", "", 20}}},
      {"powers",
       "权责清单",
       fazhi::duty::v1::Power::descriptor(),
       {{"code", "权力编码", "330217001000", 16},
        {"item_name", "事项名称", "对社会团体未按规定办理变更登记的处罚", 30},
        {"sub_item_name", "子项名称", "", 20},
        {"type", "权力类型", "行政处罚", 12},
        {"domain", "执法领域", "社会组织", 14},
        {"setting_basis", "设定依据", "《社会团体登记管理条例》第二十九条", 30},
        {"implementing_basis", "实施依据", "", 24},
        {"implementing_unit", "实施科室", "社会组织管理科", 16},
        {"accountability_cases", "追责情形", "", 24},
        {"required_officers", "所需执法人员（人）", "2", 12},
        {"needs_legal_review", "需法制审核", "是", 10},
        {"external_id", "编号", "QZ-001", 12},
        {"notes", "备注", "", 20}}},
      {"officers",
       "执法人员",
       fazhi::duty::v1::Officer::descriptor(),
       {{"person_id", "人员编号", "P0001", 12},
        {"display_name", "姓名", "张三", 10},
        {"certificate.number", "执法证号", "HN-000123", 16},
        {"certificate.issued_date", "发证日期", "2023-01-01", 12},
        {"certificate.expiry_date", "有效期至", "2028-12-31", 12},
        {"certificate.status", "证件状态", "有效", 10},
        {"domains", "执法领域", "社会组织；殡葬", 18},
        {"legal_qualification", "法律职业资格", "否", 12},
        {"established", "在编在岗", "是", 10},
        {"max_load", "承担事项上限", "30", 12},
        {"external_id", "编号", "RY-001", 12},
        {"notes", "备注", "", 20}}},
  };
}

// The field at a dotted path, or nullptr.
const FieldDescriptor* FieldAt(const Descriptor& type, absl::string_view path) {
  const std::vector<absl::string_view> parts = absl::StrSplit(path, absl::MaxSplits('.', 1));
  const FieldDescriptor* field = type.FindFieldByName(std::string(parts[0]));
  if (field == nullptr || parts.size() == 1) return field;
  if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) return nullptr;
  return FieldAt(*field->message_type(), parts[1]);
}

bool IsDate(const FieldDescriptor* field) {
  return field != nullptr && field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
         field->message_type()->full_name() == "google.type.Date";
}

bool IsNumber(const FieldDescriptor* field) {
  if (field == nullptr || field->is_repeated()) return false;
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
    case FieldDescriptor::CPPTYPE_INT64:
    case FieldDescriptor::CPPTYPE_UINT32:
    case FieldDescriptor::CPPTYPE_UINT64:
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT:
      return true;
    default:
      return false;
  }
}

// The Chinese names the import takes for enum values (as reports and the
// CLI's own output name them).
const std::vector<std::pair<std::string, std::string>>& EnumValueLabels() {
  static const auto* const kLabels = new std::vector<std::pair<std::string, std::string>>{
      {"STUDY_KIND_LEADERSHIP_GROUP", "党组（中心组）学法"},
      {"STUDY_KIND_PRE_MEETING", "会前学法"},
      {"STUDY_KIND_ALL_STAFF", "集中学习"},
      {"STUDY_KIND_LECTURE", "专题法治讲座"},
      {"STUDY_KIND_TRAINING", "业务培训"},
      {"STUDY_KIND_CONSTITUTIONAL_OATH", "宪法宣誓"},
      {"STUDY_KIND_LAW_EXAM", "学法考试"},
      {"STUDY_KIND_DUTY_STATEMENT", "述法"},
      {"STUDY_KIND_OTHER", "其他学法活动"},
      {"PUBLICITY_KIND_CONSTITUTION_DAY", "国家宪法日"},
      {"PUBLICITY_KIND_CONSTITUTION_WEEK", "宪法宣传周"},
      {"PUBLICITY_KIND_CIVIL_CODE_MONTH", "民法典宣传月"},
      {"PUBLICITY_KIND_SERVICE_SITE", "进机构宣传"},
      {"PUBLICITY_KIND_PUBLIC_SPACE", "广场社区宣传"},
      {"PUBLICITY_KIND_ONLINE", "网络宣传"},
      {"PUBLICITY_KIND_OTHER", "其他宣传活动"},
      {"POWER_TYPE_LICENSING", "行政许可"},
      {"POWER_TYPE_PENALTY", "行政处罚"},
      {"POWER_TYPE_COERCION", "行政强制"},
      {"POWER_TYPE_LEVY", "行政征收"},
      {"POWER_TYPE_PAYMENT", "行政给付"},
      {"POWER_TYPE_INSPECTION", "行政检查"},
      {"POWER_TYPE_CONFIRMATION", "行政确认"},
      {"POWER_TYPE_REWARD", "行政奖励"},
      {"POWER_TYPE_ADJUDICATION", "行政裁决"},
      {"POWER_TYPE_OTHER", "其他行政权力"},
      {"CERTIFICATE_STATUS_VALID", "有效"},
      {"CERTIFICATE_STATUS_SUSPENDED", "暂扣"},
      {"CERTIFICATE_STATUS_REVOKED", "吊销或注销"},
  };
  return *kLabels;
}

// What a column takes, for the template's 填写说明.
std::string ColumnHint(const FieldDescriptor* field) {
  if (field == nullptr) return "";
  if (IsDate(field)) return "日期，如 2024-03-08（日期单元格或文本）";
  if (field->cpp_type() == FieldDescriptor::CPPTYPE_ENUM) {
    return absl::StrCat("填其一：", absl::StrJoin(EnumLabels(*field->enum_type()), "、"),
                        "（或英文值名）");
  }
  if (field->is_repeated()) return "可填多项，以“；”或“、”分隔";
  if (field->cpp_type() == FieldDescriptor::CPPTYPE_BOOL) return "是 或 否";
  if (IsNumber(field)) return "整数";
  return "文本";
}

// One CSV field (RFC 4180): quoted when it holds a comma, quote or newline.
std::string CsvField(absl::string_view text) {
  if (text.find_first_of(",\"\r\n") == absl::string_view::npos) return std::string(text);
  return absl::StrCat("\"", absl::StrReplaceAll(text, {{"\"", "\"\""}}), "\"");
}

}  // namespace

const std::vector<ImportSheet>& ImportSheets() {
  static const auto* const kSheets = new std::vector<ImportSheet>(MakeSheets());
  return *kSheets;
}

const ImportSheet* FindImportSheet(absl::string_view kind) {
  for (const ImportSheet& sheet : ImportSheets()) {
    if (sheet.kind == kind) return &sheet;
  }
  return nullptr;
}

const ImportSheet* ImportSheetFor(const Descriptor& type) {
  for (const ImportSheet& sheet : ImportSheets()) {
    if (sheet.type == &type) return &sheet;
  }
  return nullptr;
}

std::string EnumValueOfLabel(const google::protobuf::EnumDescriptor& type,
                             absl::string_view label) {
  label = absl::StripAsciiWhitespace(label);
  for (const auto& [value, name] : EnumValueLabels()) {
    if (name == label && type.FindValueByName(value) != nullptr) return value;
  }
  return "";
}

std::vector<std::string> EnumLabels(const google::protobuf::EnumDescriptor& type) {
  std::vector<std::string> labels;
  for (int i = 0; i < type.value_count(); ++i) {
    for (const auto& [value, name] : EnumValueLabels()) {
      if (value == type.value(i)->name()) labels.push_back(name);
    }
  }
  return labels;
}

std::string HeaderOf(const ImportColumn& column) {
  return absl::StrCat(column.label, "（", column.path, "）");
}

std::string FieldPathOfHeader(const Descriptor& type, absl::string_view header) {
  header = absl::StripAsciiWhitespace(header);
  // A label first: some hold parentheses of their own ("时长（分钟）").
  if (const ImportSheet* sheet = ImportSheetFor(type)) {
    for (const ImportColumn& column : sheet->columns) {
      if (column.label == header) return column.path;
    }
  }
  for (const auto& [open, close] : {std::pair{"（", "）"}, std::pair{"(", ")"}}) {
    if (!absl::EndsWith(header, close)) continue;
    const size_t at = header.rfind(open);
    if (at == absl::string_view::npos) continue;
    const size_t start = at + strlen(open);
    return std::string(
        absl::StripAsciiWhitespace(header.substr(start, header.size() - strlen(close) - start)));
  }
  return std::string(header);
}

std::string TemplateCsv(const ImportSheet& sheet) {
  std::vector<std::string> headers, samples;
  for (const ImportColumn& column : sheet.columns) {
    headers.push_back(CsvField(HeaderOf(column)));
    samples.push_back(CsvField(column.sample));
  }
  return absl::StrCat("\xEF\xBB\xBF", absl::StrJoin(headers, ","), "\r\n",
                      absl::StrJoin(samples, ","), "\r\n");
}

absl::StatusOr<std::string> TemplateXlsx(const ImportSheet& sheet) {
  Sheet out{sheet.title, "", {}, {{}}, 0};
  for (const ImportColumn& column : sheet.columns) {
    const FieldDescriptor* field = FieldAt(*sheet.type, column.path);
    out.columns.push_back({HeaderOf(column), column.width, !IsDate(field) && !IsNumber(field)});
    Cell cell = column.sample;
    absl::CivilDay day;
    double number;
    if (column.sample.empty()) {
      cell = std::monostate();
    } else if (IsDate(field) && kernel::ParseDate(column.sample, &day)) {
      cell = day;
    } else if (IsNumber(field) && absl::SimpleAtod(column.sample, &number)) {
      cell = number;
    }
    out.rows.front().push_back(cell);
  }
  Sheet hints{"填写说明",
              absl::StrCat(sheet.title, "导入模板：第一个工作表的第一行是表头，每行一条记录"),
              {{"列", 30}, {"填写", 60}, {"示例", 30}},
              {},
              0};
  for (const ImportColumn& column : sheet.columns) {
    hints.rows.push_back(
        {HeaderOf(column), ColumnHint(FieldAt(*sheet.type, column.path)), column.sample});
  }
  return WriteWorkbook({out, hints}, absl::StrCat(sheet.title, "导入模板"));
}

}  // namespace fazhi::sheets
