#include "services/sheets/xlsx_reader.h"

#include <expat.h>
#include <zip.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"

namespace fazhi::sheets {
namespace {

// Excel's own limits; beyond them the file is not a sheet Excel wrote.
constexpr int64_t kMaxRows = 1048576;
constexpr int64_t kMaxColumns = 16384;
// A part larger than this once inflated is refused (a ZIP bomb).
constexpr zip_uint64_t kMaxPartBytes = 512ull << 20;
constexpr char kNamespaceSeparator = '\x01';

using Attributes = std::map<std::string, std::string, std::less<>>;

// The local name of an expat name: "uri\x01local" → "local", so prefixes
// and the Transitional or Strict namespaces all read alike.
absl::string_view LocalName(const XML_Char* name) {
  absl::string_view full(name);
  const size_t cut = full.rfind(kNamespaceSeparator);
  return cut == absl::string_view::npos ? full : full.substr(cut + 1);
}

// Callbacks of one part's parse.
struct XmlHandler {
  std::function<void(absl::string_view, const Attributes&)> start;
  std::function<void(absl::string_view)> end;
  std::function<void(absl::string_view)> text;
};

class Package {
 public:
  static absl::StatusOr<std::unique_ptr<Package>> Open(absl::string_view bytes) {
    // libzip takes no bytes at all for an empty archive.
    if (bytes.empty()) return absl::InvalidArgumentError("not an XLSX file (the file is empty)");
    if (absl::StartsWith(bytes, "\xD0\xCF\x11\xE0")) {
      return absl::InvalidArgumentError(
          "an Excel 97-2003 workbook (.xls), not XLSX: save it as \"Excel Workbook (*.xlsx)\" or "
          "as CSV");
    }
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
    zip_t* archive = source ? zip_open_from_source(source, ZIP_RDONLY, &error) : nullptr;
    if (archive == nullptr) {
      const std::string why = zip_error_strerror(&error);
      zip_error_fini(&error);
      if (source) zip_source_free(source);
      return absl::InvalidArgumentError(
          absl::StrCat("not an XLSX file (not a ZIP archive: ", why, ")"));
    }
    zip_error_fini(&error);
    return std::unique_ptr<Package>(new Package(archive));
  }
  ~Package() { zip_discard(archive_); }

  bool Has(const std::string& path) const {
    return zip_name_locate(archive_, path.c_str(), 0) >= 0;
  }

  // Streams the part at `path` through expat into `handler`.
  absl::Status Parse(const std::string& path, const XmlHandler& handler) const {
    zip_stat_t stat;
    if (zip_stat(archive_, path.c_str(), 0, &stat) != 0) {
      return absl::InvalidArgumentError(absl::StrCat("not an XLSX workbook: no ", path));
    }
    if ((stat.valid & ZIP_STAT_SIZE) && stat.size > kMaxPartBytes) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, " is larger than ", kMaxPartBytes >> 20, " MiB"));
    }
    zip_file_t* file = zip_fopen(archive_, path.c_str(), 0);
    if (file == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": ", zip_error_strerror(zip_get_error(archive_))));
    }
    XML_Parser parser = XML_ParserCreateNS(nullptr, kNamespaceSeparator);
    XML_SetUserData(parser, const_cast<XmlHandler*>(&handler));
    XML_SetElementHandler(
        parser,
        [](void* data, const XML_Char* name, const XML_Char** attributes) {
          const auto* h = static_cast<const XmlHandler*>(data);
          if (!h->start) return;
          Attributes map;
          for (int i = 0; attributes[i] != nullptr; i += 2) {
            map.emplace(std::string(LocalName(attributes[i])), attributes[i + 1]);
          }
          h->start(LocalName(name), map);
        },
        [](void* data, const XML_Char* name) {
          const auto* h = static_cast<const XmlHandler*>(data);
          if (h->end) h->end(LocalName(name));
        });
    XML_SetCharacterDataHandler(parser, [](void* data, const XML_Char* s, int length) {
      const auto* h = static_cast<const XmlHandler*>(data);
      if (h->text) h->text(absl::string_view(s, length));
    });
    absl::Status status = absl::OkStatus();
    char buffer[64 * 1024];
    zip_uint64_t total = 0;
    while (status.ok()) {
      const zip_int64_t n = zip_fread(file, buffer, sizeof(buffer));
      if (n < 0) {
        status = absl::InvalidArgumentError(
            absl::StrCat(path, ": ", zip_error_strerror(zip_file_get_error(file))));
        break;
      }
      total += n;
      if (total > kMaxPartBytes) {
        status = absl::InvalidArgumentError(
            absl::StrCat(path, " is larger than ", kMaxPartBytes >> 20, " MiB"));
        break;
      }
      if (XML_Parse(parser, buffer, static_cast<int>(n), n == 0) == XML_STATUS_ERROR) {
        status = absl::InvalidArgumentError(
            absl::StrCat(path, ": not well-formed XML at line ", XML_GetCurrentLineNumber(parser),
                         ": ", XML_ErrorString(XML_GetErrorCode(parser))));
      }
      if (n == 0) break;
    }
    XML_ParserFree(parser);
    zip_fclose(file);
    return status;
  }

 private:
  explicit Package(zip_t* archive) : archive_(archive) {}
  zip_t* archive_;
};

// "xl/" + "worksheets/sheet1.xml", or an absolute "/xl/…".
std::string ResolveTarget(absl::string_view target) {
  if (absl::ConsumePrefix(&target, "/")) return std::string(target);
  return absl::StrCat("xl/", target);
}

struct Workbook {
  bool date1904 = false;
  std::vector<std::pair<std::string, std::string>> sheets;  // name, relationship id
  std::map<std::string, std::string> targets;               // relationship id → part
  std::string shared_strings = "xl/sharedStrings.xml", styles = "xl/styles.xml";
};

absl::StatusOr<Workbook> ReadWorkbook(const Package& package) {
  Workbook book;
  XmlHandler workbook;
  workbook.start = [&](absl::string_view name, const Attributes& a) {
    if (name == "workbookPr") {
      auto it = a.find("date1904");
      book.date1904 = it != a.end() && (it->second == "1" || it->second == "true");
    } else if (name == "sheet") {
      auto n = a.find("name"), id = a.find("id");
      if (n != a.end() && id != a.end()) book.sheets.emplace_back(n->second, id->second);
    }
  };
  if (absl::Status s = package.Parse("xl/workbook.xml", workbook); !s.ok()) return s;
  XmlHandler rels;
  rels.start = [&](absl::string_view name, const Attributes& a) {
    if (name != "Relationship") return;
    auto id = a.find("Id"), type = a.find("Type"), target = a.find("Target");
    if (id == a.end() || type == a.end() || target == a.end()) return;
    book.targets[id->second] = ResolveTarget(target->second);
    if (absl::EndsWith(type->second, "/sharedStrings")) {
      book.shared_strings = ResolveTarget(target->second);
    }
    if (absl::EndsWith(type->second, "/styles")) book.styles = ResolveTarget(target->second);
  };
  if (absl::Status s = package.Parse("xl/_rels/workbook.xml.rels", rels); !s.ok()) return s;
  return book;
}

// The text of every <si>, without phonetic runs (<rPh>).
absl::StatusOr<std::vector<std::string>> ReadSharedStrings(const Package& package,
                                                           const std::string& path) {
  std::vector<std::string> strings;
  if (!package.Has(path)) return strings;
  bool in_text = false;
  int phonetic = 0;
  XmlHandler handler;
  handler.start = [&](absl::string_view name, const Attributes&) {
    if (name == "si") strings.emplace_back();
    if (name == "rPh") ++phonetic;
    if (name == "t") in_text = phonetic == 0 && !strings.empty();
  };
  handler.end = [&](absl::string_view name) {
    if (name == "rPh") --phonetic;
    if (name == "t") in_text = false;
  };
  handler.text = [&](absl::string_view s) {
    if (in_text) strings.back().append(s.data(), s.size());
  };
  if (absl::Status s = package.Parse(path, handler); !s.ok()) return s;
  return strings;
}

// Whether a number format shows a date: a built-in date id, or a code
// with a year or day in it outside quotes, brackets and escapes.
bool IsDateFormat(int id, absl::string_view code) {
  if ((id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 31) || id == 36 ||
      (id >= 50 && id <= 58)) {
    return true;
  }
  if (code.empty() || absl::EqualsIgnoreCase(code, "General")) return false;
  bool quoted = false, bracketed = false;
  for (size_t i = 0; i < code.size(); ++i) {
    const char c = code[i];
    if (quoted) {
      quoted = c != '"';
    } else if (bracketed) {
      bracketed = c != ']';
    } else if (c == '"') {
      quoted = true;
    } else if (c == '[') {
      bracketed = true;
    } else if (c == '\\' || c == '_' || c == '*') {
      ++i;  // the next character is literal or padding
    } else if (c == 'y' || c == 'Y' || c == 'd' || c == 'D') {
      return true;
    }
  }
  return false;
}

// For each cell style (the s attribute), whether it shows a date.
absl::StatusOr<std::vector<bool>> ReadDateStyles(const Package& package, const std::string& path) {
  std::vector<bool> date_styles;
  if (!package.Has(path)) return date_styles;
  std::map<int, std::string> codes;
  std::vector<int> style_formats;
  bool in_cell_xfs = false;
  XmlHandler handler;
  handler.start = [&](absl::string_view name, const Attributes& a) {
    int id = 0;
    auto format = a.find("numFmtId");
    const bool has_id = format != a.end() && absl::SimpleAtoi(format->second, &id);
    if (name == "numFmt" && has_id) {
      auto code = a.find("formatCode");
      codes[id] = code == a.end() ? "" : code->second;
    } else if (name == "cellXfs") {
      in_cell_xfs = true;
    } else if (name == "xf" && in_cell_xfs) {
      style_formats.push_back(has_id ? id : 0);
    }
  };
  handler.end = [&](absl::string_view name) {
    if (name == "cellXfs") in_cell_xfs = false;
  };
  if (absl::Status s = package.Parse(path, handler); !s.ok()) return s;
  for (int id : style_formats) {
    auto code = codes.find(id);
    date_styles.push_back(IsDateFormat(id, code == codes.end() ? "" : code->second));
  }
  return date_styles;
}

// "45", "12.5", "1E-3": as a CSV export writes numbers (15 digits).
std::string NumberText(absl::string_view raw) {
  double value;
  if (!absl::SimpleAtod(raw, &value) || !std::isfinite(value)) return std::string(raw);
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    return absl::StrCat(static_cast<int64_t>(value));
  }
  return absl::StrFormat("%.15g", value);
}

// "B12" → column 1, row 12. False on anything else.
bool ParseCellReference(absl::string_view ref, int64_t* column, int64_t* row) {
  size_t i = 0;
  int64_t c = 0;
  while (i < ref.size() && absl::ascii_isalpha(ref[i])) {
    c = c * 26 + (absl::ascii_toupper(ref[i]) - 'A' + 1);
    if (c > kMaxColumns) return false;
    ++i;
  }
  int64_t r = 0;
  if (i == 0 || !absl::SimpleAtoi(ref.substr(i), &r)) return false;
  *column = c - 1;
  *row = r;
  return true;
}

struct SheetReader {
  const std::vector<std::string>& shared;
  const std::vector<bool>& date_styles;
  bool date1904;
  Table table;
  absl::Status status = absl::OkStatus();

  int64_t row = 0, next_column = 0;  // 1-based sheet row; 0-based column
  int64_t column = 0;
  std::string type, value;
  int style = 0;
  bool in_cell = false, in_value = false, in_inline = false, in_text = false;
  int phonetic = 0;

  void Fail(std::string message) {
    if (status.ok()) status = absl::InvalidArgumentError(std::move(message));
  }

  void Start(absl::string_view name, const Attributes& a) {
    if (!status.ok()) return;
    if (name == "row") {
      int64_t r = row + 1;
      if (auto it = a.find("r"); it != a.end() && !absl::SimpleAtoi(it->second, &r)) {
        return Fail(absl::StrCat("row number \"", it->second, "\" is not a number"));
      }
      if (r <= row || r > kMaxRows) return Fail(absl::StrCat("row ", r, " is out of order"));
      row = r;
      next_column = 0;
    } else if (name == "c") {
      in_cell = true;
      column = next_column;
      if (auto it = a.find("r"); it != a.end()) {
        int64_t r = 0;
        if (!ParseCellReference(it->second, &column, &r) || r != row) {
          return Fail(absl::StrCat("cell reference \"", it->second, "\" in row ", row));
        }
      }
      if (row == 0) return Fail("a cell outside any row");
      auto t = a.find("t");
      type = t == a.end() ? "n" : t->second;
      style = 0;
      if (auto s = a.find("s"); s != a.end()) (void)absl::SimpleAtoi(s->second, &style);
      value.clear();
    } else if (in_cell && name == "v") {
      in_value = true;
    } else if (in_cell && name == "is") {
      in_inline = true;
    } else if (in_inline && name == "rPh") {
      ++phonetic;
    } else if (in_inline && name == "t") {
      in_text = phonetic == 0;
    }
  }

  void End(absl::string_view name) {
    if (!status.ok()) return;
    if (name == "v") in_value = false;
    if (name == "t") in_text = false;
    if (name == "rPh" && phonetic > 0) --phonetic;
    if (name == "is") in_inline = false;
    if (name != "c" || !in_cell) return;
    in_cell = false;
    next_column = column + 1;
    std::string text = CellText();
    if (!status.ok() || text.empty()) return;
    if (table.size() < static_cast<size_t>(row)) table.resize(row);
    std::vector<std::string>& cells = table[row - 1];
    if (cells.size() <= static_cast<size_t>(column)) cells.resize(column + 1);
    cells[column] = std::move(text);
  }

  void Text(absl::string_view s) {
    if (in_value || in_text) value.append(s.data(), s.size());
  }

  std::string CellText() {
    if (type == "s") {
      size_t index = 0;
      if (!absl::SimpleAtoi(value, &index) || index >= shared.size()) {
        Fail(absl::StrCat("row ", row, ": shared string ", value, " does not exist"));
        return "";
      }
      return shared[index];
    }
    if (type == "b") return value == "1" ? "TRUE" : value == "0" ? "FALSE" : value;
    if (type == "n" || type.empty()) {
      double serial;
      const bool date =
          style >= 0 && static_cast<size_t>(style) < date_styles.size() && date_styles[style];
      if (date && absl::SimpleAtod(value, &serial) && serial >= 1 && serial < 2958466) {
        return SerialDate(serial, date1904);
      }
      return NumberText(value);
    }
    return value;  // inlineStr, str (a formula's text), e (an error such as #N/A)
  }
};

}  // namespace

std::string SerialDate(double serial, bool date1904) {
  const int64_t days = static_cast<int64_t>(std::floor(serial));
  absl::CivilDay day;
  if (date1904) {
    day = absl::CivilDay(1904, 1, 1) + days;
  } else if (days == 60) {
    return "1900-02-29";  // Lotus 1-2-3's leap day, kept by Excel
  } else {
    day = days < 60 ? absl::CivilDay(1899, 12, 31) + days : absl::CivilDay(1899, 12, 30) + days;
  }
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

absl::StatusOr<Table> ReadXlsxSheet(absl::string_view bytes, absl::string_view sheet) {
  absl::StatusOr<std::unique_ptr<Package>> package = Package::Open(bytes);
  if (!package.ok()) return package.status();
  absl::StatusOr<Workbook> book = ReadWorkbook(**package);
  if (!book.ok()) return book.status();
  std::string path;
  for (const auto& [name, id] : book->sheets) {
    if (!sheet.empty() && name != sheet) continue;
    auto target = book->targets.find(id);
    if (target != book->targets.end()) path = target->second;
    break;
  }
  if (path.empty()) {
    return absl::InvalidArgumentError(
        sheet.empty() ? std::string("the workbook has no sheet")
                      : absl::StrCat("no sheet named \"", sheet, "\" in the workbook"));
  }
  absl::StatusOr<std::vector<std::string>> shared =
      ReadSharedStrings(**package, book->shared_strings);
  if (!shared.ok()) return shared.status();
  absl::StatusOr<std::vector<bool>> date_styles = ReadDateStyles(**package, book->styles);
  if (!date_styles.ok()) return date_styles.status();
  SheetReader reader{*shared, *date_styles, book->date1904};
  XmlHandler handler;
  handler.start = [&](absl::string_view name, const Attributes& a) { reader.Start(name, a); };
  handler.end = [&](absl::string_view name) { reader.End(name); };
  handler.text = [&](absl::string_view s) { reader.Text(s); };
  if (absl::Status s = (*package)->Parse(path, handler); !s.ok()) return s;
  if (!reader.status.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", reader.status.message()));
  }
  return std::move(reader.table);
}

}  // namespace fazhi::sheets
