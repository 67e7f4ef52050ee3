#include "services/common/sql/columns.h"

#include "nlohmann/json.hpp"
#include "services/common/validation.h"

namespace fazhi::sql {

std::string ListToJson(const std::vector<std::string>& items) { return nlohmann::json(items).dump(); }

std::vector<std::string> ListFromJson(const std::string& text) {
  nlohmann::json parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  std::vector<std::string> items;
  if (!parsed.is_array()) return items;
  for (const auto& item : parsed) {
    if (item.is_string()) items.push_back(item.get<std::string>());
  }
  return items;
}

absl::CivilDay DayFromText(const std::string& text) {
  absl::CivilDay day;
  ParseDate(text, &day);
  return day;
}

Value OptionalText(const std::string& text) { return text.empty() ? Null() : Value(text); }

}  // namespace fazhi::sql
