#include "services/sheets/xlsx_writer.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"

namespace fazhi::sheets {
namespace {

// libxlsxwriter 1.1.4 (Debian 12) writes only to a file: a private one in
// the temporary directory, removed once read.
class TempFile {
 public:
  TempFile() {
    std::error_code error;
    std::filesystem::path dir = std::filesystem::temp_directory_path(error);
    if (error) dir = "/tmp";
    dir_ = dir.string();
    std::string pattern = (dir / "fazhi-xlsx-XXXXXX").string();
    const int fd = mkstemp(pattern.data());
    if (fd < 0) return;
    close(fd);
    path_ = pattern;
  }
  ~TempFile() {
    if (!path_.empty()) std::remove(path_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  const std::string& path() const { return path_; }
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_, path_;
};

struct Formats {
  lxw_format* title;
  lxw_format* header;
  lxw_format* date;
  lxw_format* text;
};

Formats AddFormats(lxw_workbook* workbook) {
  Formats f{workbook_add_format(workbook), workbook_add_format(workbook),
            workbook_add_format(workbook), workbook_add_format(workbook)};
  format_set_bold(f.title);
  format_set_font_size(f.title, 14);
  format_set_bold(f.header);
  format_set_bg_color(f.header, 0xDDEBF7);
  format_set_border(f.header, LXW_BORDER_THIN);
  format_set_text_wrap(f.header);
  format_set_align(f.header, LXW_ALIGN_VERTICAL_CENTER);
  format_set_num_format(f.date, "yyyy-mm-dd");
  format_set_num_format(f.text, "@");
  return f;
}

absl::Status Check(lxw_error error, const std::string& what) {
  if (error == LXW_NO_ERROR) return absl::OkStatus();
  return absl::InternalError(absl::StrCat("xlsx: ", what, ": ", lxw_strerror(error)));
}

absl::Status WriteSheet(lxw_workbook* workbook, const Formats& formats, const Sheet& sheet) {
  lxw_worksheet* ws = workbook_add_worksheet(workbook, sheet.name.c_str());
  if (ws == nullptr) return absl::InternalError(absl::StrCat("xlsx: bad sheet name ", sheet.name));
  const lxw_col_t last_column = sheet.columns.empty() ? 0 : sheet.columns.size() - 1;
  lxw_row_t row = 0;
  if (!sheet.title.empty()) {
    if (last_column > 0) {
      absl::Status merged =
          Check(worksheet_merge_range(ws, 0, 0, 0, last_column, sheet.title.c_str(), formats.title),
                "title");
      if (!merged.ok()) return merged;
    } else {
      worksheet_write_string(ws, 0, 0, sheet.title.c_str(), formats.title);
    }
    worksheet_set_row(ws, 0, 24, nullptr);
    ++row;
  }
  const lxw_row_t header_row = row;
  for (lxw_col_t c = 0; c < sheet.columns.size(); ++c) {
    const Column& column = sheet.columns[c];
    worksheet_set_column(ws, c, c, column.width, column.text ? formats.text : nullptr);
    worksheet_write_string(ws, header_row, c, column.header.c_str(), formats.header);
  }
  worksheet_freeze_panes(ws, header_row + 1, sheet.frozen_columns);
  for (const std::vector<Cell>& cells : sheet.rows) {
    ++row;
    for (lxw_col_t c = 0; c < cells.size(); ++c) {
      lxw_error error = LXW_NO_ERROR;
      if (const auto* text = std::get_if<std::string>(&cells[c]); text && !text->empty()) {
        error = worksheet_write_string(ws, row, c, text->c_str(), nullptr);
      } else if (const auto* number = std::get_if<double>(&cells[c])) {
        error = worksheet_write_number(ws, row, c, *number, nullptr);
      } else if (const auto* day = std::get_if<absl::CivilDay>(&cells[c])) {
        lxw_datetime when{static_cast<int>(day->year()), day->month(), day->day(), 0, 0, 0};
        error = worksheet_write_datetime(ws, row, c, &when, formats.date);
      }
      if (absl::Status s = Check(error, sheet.name); !s.ok()) return s;
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> WriteWorkbook(const std::vector<Sheet>& sheets,
                                          const std::string& title) {
  TempFile file;
  if (file.path().empty()) {
    return absl::InternalError(absl::StrCat("xlsx: cannot create a file in ", file.dir()));
  }
  lxw_workbook_options options{};
  options.tmpdir = const_cast<char*>(file.dir().c_str());
  lxw_workbook* workbook = workbook_new_opt(file.path().c_str(), &options);
  if (workbook == nullptr) return absl::InternalError("xlsx: cannot start a workbook");
  lxw_doc_properties properties{};
  properties.title = const_cast<char*>(title.c_str());
  workbook_set_properties(workbook, &properties);
  const Formats formats = AddFormats(workbook);
  absl::Status written = absl::OkStatus();
  for (const Sheet& sheet : sheets) {
    written = WriteSheet(workbook, formats, sheet);
    if (!written.ok()) break;
  }
  // Closing writes the file and frees the workbook, also after a failure.
  const absl::Status closed = Check(workbook_close(workbook), "close");
  if (!written.ok()) return written;
  if (!closed.ok()) return closed;
  std::ifstream in(file.path(), std::ios::binary);
  if (!in.is_open())
    return absl::InternalError(absl::StrCat("xlsx: cannot read back ", file.path()));
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace fazhi::sheets
