#include "services/common/http_json/request_binding.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/json_util.h"
#include "nlohmann/json.hpp"
#include "services/common/field_mask.h"

namespace fazhi::http_json {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using Json = nlohmann::json;

// The key `field` has in `object`: the spelling already there, else its
// JSON name.
std::string KeyOf(const Json& object, const FieldDescriptor& field) {
  if (object.is_object() && field.name() != field.json_name() && object.contains(field.name())) {
    return field.name();
  }
  return field.json_name();
}

// google.type.Date from "YYYY-MM-DD", the spelling every fazhi date has.
absl::StatusOr<Json> DateJson(absl::string_view text) {
  const std::vector<absl::string_view> parts = absl::StrSplit(text, '-');
  int year = 0, month = 0, day = 0;
  if (parts.size() != 3 || !absl::SimpleAtoi(parts[0], &year) ||
      !absl::SimpleAtoi(parts[1], &month) || !absl::SimpleAtoi(parts[2], &day)) {
    return absl::InvalidArgumentError("is not a date YYYY-MM-DD");
  }
  return Json{{"year", year}, {"month", month}, {"day", day}};
}

// The JSON value of `text` for `field`. Numbers stay strings (the JSON
// mapping accepts quoted numbers, and its parser names a bad one).
absl::StatusOr<Json> ValueJson(const FieldDescriptor& field, absl::string_view text) {
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_BOOL:
      if (text == "true" || text == "1") return Json(true);
      if (text == "false" || text == "0") return Json(false);
      return absl::InvalidArgumentError("is not true or false");
    case FieldDescriptor::CPPTYPE_ENUM: {
      int number = 0;
      if (absl::SimpleAtoi(text, &number)) return Json(number);
      return Json(std::string(text));
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:
      if (field.message_type()->full_name() == "google.type.Date") return DateJson(text);
      // The well-known types written as one string: FieldMask, Timestamp,
      // Duration, wrappers.
      if (field.message_type()->file()->name().rfind("google/protobuf/", 0) == 0) {
        return Json(std::string(text));
      }
      return absl::InvalidArgumentError(
          absl::StrCat("is a message: set its fields (", field.name(), ".FIELD=…)"));
    default:
      return Json(std::string(text));
  }
}

// Sets the field `dotted_path` names under `root` to `text`; a repeated
// field gets one more element.
absl::Status Bind(const Descriptor& type, absl::string_view dotted_path, absl::string_view text,
                  absl::string_view origin, Json& root) {
  auto bad = [&](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat(origin, " \"", dotted_path, "\" ", why));
  };
  const std::vector<absl::string_view> names = absl::StrSplit(dotted_path, '.');
  const Descriptor* message = &type;
  Json* object = &root;
  for (size_t i = 0; i < names.size(); ++i) {
    const FieldDescriptor* field = FieldByProtoOrJsonName(*message, names[i]);
    if (field == nullptr) {
      return bad(absl::StrCat("is not a field of ", message->full_name()));
    }
    if (!object->is_object()) object->operator=(Json::object());
    Json& slot = (*object)[KeyOf(*object, *field)];
    if (i + 1 < names.size()) {
      if (field->is_repeated() || field->message_type() == nullptr) {
        return bad(absl::StrCat("goes through ", field->name(), ", which is not a message"));
      }
      message = field->message_type();
      object = &slot;
      continue;
    }
    absl::StatusOr<Json> value = ValueJson(*field, text);
    if (!value.ok()) return bad(value.status().message());
    if (field->is_repeated()) {
      if (!slot.is_array()) slot = Json::array();
      slot.push_back(*std::move(value));
    } else {
      slot = *std::move(value);
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status BindRequest(const RequestParts& parts, google::protobuf::Message& request) {
  const Descriptor& type = *request.GetDescriptor();
  Json root = Json::object();
  const bool has_body = !absl::StripAsciiWhitespace(parts.body).empty();
  if (!parts.body_field.empty() && has_body) {
    Json body = Json::parse(parts.body, nullptr, /*allow_exceptions=*/false);
    if (body.is_discarded()) return absl::InvalidArgumentError("the body is not JSON");
    if (parts.body_field == "*") {
      if (!body.is_object()) return absl::InvalidArgumentError("the body is not a JSON object");
      root = std::move(body);
    } else {
      const FieldDescriptor* field = FieldByProtoOrJsonName(type, parts.body_field);
      if (field == nullptr) {
        return absl::InternalError(
            absl::StrCat("body field ", parts.body_field, " not in ", type.full_name()));
      }
      root[field->json_name()] = std::move(body);
    }
  } else if (parts.body_field.empty() && has_body) {
    return absl::InvalidArgumentError("this route takes no body: send the fields as parameters");
  }
  if (parts.body_field == "*" && !parts.query.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("query parameter \"", parts.query.front().first,
                                                   "\": this route takes every field in the body"));
  }
  for (const auto& [name, value] : parts.query) {
    for (const PathBinding& bound : parts.path) {
      if (bound.first == name) {
        return absl::InvalidArgumentError(
            absl::StrCat("query parameter \"", name, "\" is set by the path"));
      }
    }
    if (absl::Status s = Bind(type, name, value, "query parameter", root); !s.ok()) return s;
  }
  for (const auto& [field_path, value] : parts.path) {
    if (absl::Status s = Bind(type, field_path, value, "path variable", root); !s.ok()) return s;
  }
  request.Clear();
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const std::string json = root.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  const auto parsed = google::protobuf::util::JsonStringToMessage(json, &request, options);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("the request is not a ", type.full_name(),
                                                   " in JSON: ", std::string(parsed.message())));
  }
  return absl::OkStatus();
}

}  // namespace fazhi::http_json
