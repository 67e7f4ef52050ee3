#include "services/common/sql/columns.h"

#include <simdjson.h>

#include <memory>

#include "absl/strings/str_format.h"
#include "services/common/validation.h"

namespace fazhi::sql {
namespace {

// One parser per thread, which keeps its buffers between documents; a
// parse while the thread's parser still holds a document (ListFromJson
// inside ForEachJsonObject's callback) gets a parser of its own.
class ParserLease {
 public:
  ParserLease() {
    if (busy_) {
      own_ = std::make_unique<simdjson::dom::parser>();
    } else {
      busy_ = true;
    }
  }
  ~ParserLease() {
    if (own_ == nullptr) busy_ = false;
  }
  ParserLease(const ParserLease&) = delete;
  ParserLease& operator=(const ParserLease&) = delete;

  simdjson::dom::parser& parser() {
    thread_local simdjson::dom::parser shared;
    return own_ != nullptr ? *own_ : shared;
  }

 private:
  static thread_local bool busy_;
  std::unique_ptr<simdjson::dom::parser> own_;
};

thread_local bool ParserLease::busy_ = false;

}  // namespace

void AppendJsonString(absl::string_view text, std::string* out) {
  out->push_back('"');
  for (const char c : text) {
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      case '\b': out->append("\\b"); break;
      case '\f': out->append("\\f"); break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          absl::StrAppendFormat(out, "\\u%04x", static_cast<unsigned char>(c));
        } else {
          out->push_back(c);  // UTF-8 passes through: the API checked it
        }
    }
  }
  out->push_back('"');
}

std::string ListToJson(const std::vector<std::string>& items) {
  std::string json = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) json.push_back(',');
    AppendJsonString(items[i], &json);
  }
  json.push_back(']');
  return json;
}

std::vector<std::string> ListFromJson(const std::string& text) {
  std::vector<std::string> items;
  ParserLease lease;
  simdjson::dom::array array;
  if (lease.parser().parse(text).get_array().get(array) != simdjson::SUCCESS) return items;
  items.reserve(array.size());
  for (simdjson::dom::element element : array) {
    std::string_view item;
    if (element.get_string().get(item) == simdjson::SUCCESS) items.emplace_back(item);
  }
  return items;
}

std::string JsonObject::Text(std::string_view key, std::string_view fallback) const {
  std::string_view value;
  if (object_.at_key(key).get_string().get(value) != simdjson::SUCCESS) return std::string(fallback);
  return std::string(value);
}

bool JsonObject::Bool(std::string_view key, bool fallback) const {
  bool value;
  if (object_.at_key(key).get_bool().get(value) != simdjson::SUCCESS) return fallback;
  return value;
}

int64_t JsonObject::Int(std::string_view key, int64_t fallback) const {
  int64_t value;
  if (object_.at_key(key).get_int64().get(value) != simdjson::SUCCESS) return fallback;
  return value;
}

void ForEachJsonObject(const std::string& text, absl::FunctionRef<void(const JsonObject&)> each) {
  ParserLease lease;
  simdjson::dom::array array;
  if (lease.parser().parse(text).get_array().get(array) != simdjson::SUCCESS) return;
  for (simdjson::dom::element element : array) {
    simdjson::dom::object object;
    if (element.get_object().get(object) == simdjson::SUCCESS) each(JsonObject(object));
  }
}

absl::CivilDay DayFromText(const std::string& text) {
  absl::CivilDay day;
  ParseDate(text, &day);
  return day;
}

Value OptionalText(const std::string& text) { return text.empty() ? Null() : Value(text); }

}  // namespace fazhi::sql
