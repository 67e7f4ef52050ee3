// The stores' JSON columns: any list of strings written is read back the
// same, and any text read (a damaged row) never crashes.

#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "services/common/sql/columns.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  (void)fazhi::sql::ListFromJson(text);
  fazhi::sql::ForEachJsonObject(text, [](const fazhi::sql::JsonObject& o) {
    (void)o.Text("name");
    (void)o.Bool("head");
    (void)o.Int("n");
  });
  // Split the input into items at '|' and round-trip them. JSON strings
  // are UTF-8; the API rejects any other field before it reaches a store.
  std::vector<std::string> items(1);
  for (char c : text) {
    if (c == '|') {
      items.emplace_back();
    } else {
      items.back().push_back(c);
    }
  }
  for (const auto& item : items) {
    if (!simdjson::validate_utf8(item.data(), item.size())) return 0;
  }
  if (fazhi::sql::ListFromJson(fazhi::sql::ListToJson(items)) != items) __builtin_trap();
  return 0;
}
