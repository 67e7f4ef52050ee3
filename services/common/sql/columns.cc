#include "services/common/sql/columns.h"

#include <simdjson.h>

#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "services/kernel/dates.h"

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

// The strings of `array`; other elements are skipped.
std::vector<std::string> StringsOf(simdjson::dom::array array) {
  std::vector<std::string> items;
  items.reserve(array.size());
  for (simdjson::dom::element element : array) {
    std::string_view item;
    if (element.get_string().get(item) == simdjson::SUCCESS) items.emplace_back(item);
  }
  return items;
}

// The member `key` of `object`; none of the empty object (nullptr).
simdjson::simdjson_result<simdjson::dom::element> At(const simdjson::dom::object* object,
                                                     std::string_view key) {
  if (object == nullptr) return simdjson::NO_SUCH_FIELD;
  return object->at_key(key);
}

void ForEachObjectOf(simdjson::dom::array array, absl::FunctionRef<void(const JsonObject&)> each) {
  for (simdjson::dom::element element : array) {
    simdjson::dom::object object;
    if (element.get_object().get(object) == simdjson::SUCCESS) each(JsonObject(object));
  }
}

}  // namespace

void AppendJsonString(absl::string_view text, std::string* out) {
  out->push_back('"');
  // Runs of characters that need no escape are copied whole: an import
  // encodes every row's text this way, and a byte at a time was a visible
  // share of it.
  size_t run = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool plain = static_cast<unsigned char>(c) >= 0x20 && c != '"' && c != '\\';
    if (plain) continue;  // UTF-8 passes through: the API checked it
    out->append(text.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      default:
        absl::StrAppendFormat(out, "\\u%04x", static_cast<unsigned char>(c));
    }
  }
  out->append(text.data() + run, text.size() - run);
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
  if (text == "[]") return {};  // most lists: no parser, no padded copy
  ParserLease lease;
  simdjson::dom::array array;
  if (lease.parser().parse(text).get_array().get(array) != simdjson::SUCCESS) return {};
  return StringsOf(array);
}

std::string JsonObject::Text(std::string_view key, std::string_view fallback) const {
  std::string_view value;
  if (At(object_, key).get_string().get(value) != simdjson::SUCCESS) return std::string(fallback);
  return std::string(value);
}

bool JsonObject::Bool(std::string_view key, bool fallback) const {
  bool value;
  if (At(object_, key).get_bool().get(value) != simdjson::SUCCESS) return fallback;
  return value;
}

int64_t JsonObject::Int(std::string_view key, int64_t fallback) const {
  int64_t value;
  if (At(object_, key).get_int64().get(value) != simdjson::SUCCESS) return fallback;
  return value;
}

std::vector<std::string> JsonObject::Texts(std::string_view key) const {
  simdjson::dom::array array;
  if (At(object_, key).get_array().get(array) != simdjson::SUCCESS) return {};
  return StringsOf(array);
}

std::vector<int64_t> JsonObject::Ints(std::string_view key) const {
  std::vector<int64_t> items;
  simdjson::dom::array array;
  if (At(object_, key).get_array().get(array) != simdjson::SUCCESS) return items;
  for (simdjson::dom::element element : array) {
    int64_t item;
    if (element.get_int64().get(item) == simdjson::SUCCESS) items.push_back(item);
  }
  return items;
}

std::optional<absl::CivilDay> JsonObject::Day(std::string_view key) const {
  absl::CivilDay day;
  if (!kernel::ParseDate(Text(key), &day)) return std::nullopt;
  return day;
}

std::optional<absl::Time> JsonObject::Time(std::string_view key) const {
  int64_t micros;
  if (At(object_, key).get_int64().get(micros) != simdjson::SUCCESS) return std::nullopt;
  return absl::FromUnixMicros(micros);
}

bool JsonObject::Object(std::string_view key,
                        absl::FunctionRef<void(const JsonObject&)> read) const {
  simdjson::dom::object object;
  if (At(object_, key).get_object().get(object) != simdjson::SUCCESS) {
    read(JsonObject());
    return false;
  }
  read(JsonObject(object));
  return true;
}

void JsonObject::ForEachObject(std::string_view key,
                               absl::FunctionRef<void(const JsonObject&)> each) const {
  simdjson::dom::array array;
  if (At(object_, key).get_array().get(array) == simdjson::SUCCESS) ForEachObjectOf(array, each);
}

bool ReadJsonObject(const std::string& text, absl::FunctionRef<void(const JsonObject&)> read) {
  ParserLease lease;
  simdjson::dom::object object;
  if (lease.parser().parse(text).get_object().get(object) != simdjson::SUCCESS) return false;
  read(JsonObject(object));
  return true;
}

void ForEachJsonObject(const std::string& text, absl::FunctionRef<void(const JsonObject&)> each) {
  if (text == "[]") return;
  ParserLease lease;
  simdjson::dom::array array;
  if (lease.parser().parse(text).get_array().get(array) != simdjson::SUCCESS) return;
  ForEachObjectOf(array, each);
}

JsonObjectWriter& JsonObjectWriter::Put(std::string_view key, std::string json) {
  members_.insert_or_assign(std::string(key), std::move(json));
  return *this;
}

JsonObjectWriter& JsonObjectWriter::Text(std::string_view key, absl::string_view value) {
  std::string json;
  AppendJsonString(value, &json);
  return Put(key, std::move(json));
}

JsonObjectWriter& JsonObjectWriter::Int(std::string_view key, int64_t value) {
  return Put(key, absl::StrCat(value));
}

JsonObjectWriter& JsonObjectWriter::Bool(std::string_view key, bool value) {
  return Put(key, value ? "true" : "false");
}

JsonObjectWriter& JsonObjectWriter::Null(std::string_view key) { return Put(key, "null"); }

JsonObjectWriter& JsonObjectWriter::Texts(std::string_view key,
                                          const std::vector<std::string>& values) {
  return Put(key, ListToJson(values));
}

JsonObjectWriter& JsonObjectWriter::Ints(std::string_view key, absl::Span<const int64_t> values) {
  return Put(key, absl::StrCat("[", absl::StrJoin(values, ","), "]"));
}

JsonObjectWriter& JsonObjectWriter::Day(std::string_view key,
                                        const std::optional<absl::CivilDay>& day) {
  if (!day) return Null(key);
  return Text(key, kernel::FormatDate(*day));
}

JsonObjectWriter& JsonObjectWriter::Time(std::string_view key,
                                         const std::optional<absl::Time>& time) {
  if (!time) return Null(key);
  return Int(key, absl::ToUnixMicros(*time));
}

JsonObjectWriter& JsonObjectWriter::Object(std::string_view key, const JsonObjectWriter& object) {
  return Put(key, object.ToJson());
}

std::string JsonObjectWriter::ToJson() const {
  std::string json = "{";
  for (const auto& [key, value] : members_) {
    if (json.size() > 1) json.push_back(',');
    AppendJsonString(key, &json);
    json.push_back(':');
    json.append(value);
  }
  json.push_back('}');
  return json;
}

absl::CivilDay DayFromText(const std::string& text) {
  absl::CivilDay day;
  kernel::ParseDate(text, &day);
  return day;
}

Value OptionalText(const std::string& text) { return text.empty() ? Null() : Value(text); }

}  // namespace fazhi::sql
