#ifndef FAZHI_TESTS_SHEETS_XLSX_TEST_FILES_H_
#define FAZHI_TESTS_SHEETS_XLSX_TEST_FILES_H_

// Hand-made XLSX packages for the reader's tests: the parts a workbook
// needs, with the sheet, shared strings and styles each test chooses.

#include <zip.h>

#include <map>
#include <string>

namespace fazhi::sheets::testing {

// A ZIP archive of `parts` (path → content), made with libzip in memory.
inline std::string Zip(const std::map<std::string, std::string>& parts) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  zip_source_keep(buffer);
  zip_t* archive = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
  for (const auto& [path, content] : parts) {
    zip_source_t* source = zip_source_buffer(archive, content.data(), content.size(), 0);
    zip_file_add(archive, path.c_str(), source, ZIP_FL_ENC_UTF_8);
  }
  zip_close(archive);
  zip_stat_t stat;
  std::string bytes;
  if (zip_source_stat(buffer, &stat) == 0 && zip_source_open(buffer) == 0) {
    bytes.resize(stat.size);
    zip_source_read(buffer, bytes.data(), stat.size);
    zip_source_close(buffer);
  }
  zip_source_free(buffer);
  zip_error_fini(&error);
  return bytes;
}

inline constexpr char kMain[] = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

// A workbook with one sheet "数据" holding `sheet_data` (the inside of
// <sheetData>); `shared` the <si> items, `styles` the inside of <styleSheet>.
inline std::string Workbook(const std::string& sheet_data, const std::string& shared = "",
                            const std::string& styles = "", const std::string& workbook_pr = "") {
  const std::string ns = std::string(" xmlns=\"") + kMain + "\"";
  const std::string rel_ns =
      " xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";
  const std::string rel_type =
      "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";
  std::map<std::string, std::string> parts = {
      {"[Content_Types].xml",
       "<?xml version=\"1.0\"?><Types "
       "xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"},
      {"xl/workbook.xml",
       "<?xml version=\"1.0\"?><workbook" + ns + rel_ns + ">" + workbook_pr +
           "<sheets><sheet name=\"数据\" sheetId=\"1\" r:id=\"rId1\"/>"
           "<sheet name=\"说明\" sheetId=\"2\" r:id=\"rId9\"/></sheets></workbook>"},
      {"xl/_rels/workbook.xml.rels",
       "<?xml version=\"1.0\"?><Relationships "
       "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
       "<Relationship Id=\"rId1\" Type=\"" +
           rel_type +
           "worksheet\" Target=\"worksheets/sheet1.xml\"/>"
           "<Relationship Id=\"rId9\" Type=\"" +
           rel_type +
           "worksheet\" Target=\"/xl/worksheets/notes.xml\"/>"
           "<Relationship Id=\"rId2\" Type=\"" +
           rel_type +
           "sharedStrings\" Target=\"sharedStrings.xml\"/>"
           "<Relationship Id=\"rId3\" Type=\"" +
           rel_type +
           "styles\" Target=\"styles.xml\"/>"
           "</Relationships>"},
      {"xl/worksheets/sheet1.xml", "<?xml version=\"1.0\"?><worksheet" + ns + "><sheetData>" +
                                       sheet_data + "</sheetData></worksheet>"},
      {"xl/worksheets/notes.xml", "<?xml version=\"1.0\"?><worksheet" + ns +
                                      "><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is>"
                                      "<t>说明</t></is></c></row></sheetData></worksheet>"},
      {"xl/sharedStrings.xml", "<?xml version=\"1.0\"?><sst" + ns + ">" + shared + "</sst>"},
      {"xl/styles.xml", "<?xml version=\"1.0\"?><styleSheet" + ns + ">" + styles + "</styleSheet>"},
  };
  return Zip(parts);
}

}  // namespace fazhi::sheets::testing

#endif  // FAZHI_TESTS_SHEETS_XLSX_TEST_FILES_H_
