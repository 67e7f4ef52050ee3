// The CLI's import-file parsers (JSON and CSV): any bytes must give
// records or an error.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fazhi/study/v1/study.pb.h"
#include "services/cli/csv_rows.h"
#include "services/cli/json_rows.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string content(reinterpret_cast<const char*>(data), size);
  // The same bytes as a CSV import file.
  auto csv = fazhi::cli::CsvToJsonRecords(content, *fazhi::study::v1::Session::descriptor());
  if (csv.ok()) {
    for (size_t i = 0; i < csv->size() && i < 64; ++i) {
      fazhi::study::v1::Session session;
      (void)fazhi::cli::ParseJsonRecord((*csv)[i], i, session);
    }
  }
  auto records = fazhi::cli::SplitJsonRecords(content);
  if (!records.ok()) return 0;
  for (size_t i = 0; i < records->size() && i < 64; ++i) {
    fazhi::study::v1::Session session;
    (void)fazhi::cli::ParseJsonRecord((*records)[i], i, session);
    fazhi::study::v1::PublicityEvent event;
    (void)fazhi::cli::ParseJsonRecord((*records)[i], i, event);
  }
  return 0;
}
