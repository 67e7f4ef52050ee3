#include "services/common/http_json/path_template.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace fazhi::http_json {
namespace {

bool IsIdentifier(absl::string_view word) {
  if (word.empty() || !(absl::ascii_isalpha(word[0]) || word[0] == '_')) return false;
  for (char c : word) {
    if (!absl::ascii_isalnum(c) && c != '_') return false;
  }
  return true;
}

bool IsFieldPath(absl::string_view path) {
  for (absl::string_view part : absl::StrSplit(path, '.')) {
    if (!IsIdentifier(part)) return false;
  }
  return true;
}

// A literal segment or verb: no characters the grammar gives a meaning.
bool IsLiteral(absl::string_view segment) {
  if (segment.empty()) return false;
  for (char c : segment) {
    if (c == '{' || c == '}' || c == '=' || c == '*' || c == '/' || c == ':') return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<PathTemplate> PathTemplate::Parse(absl::string_view text) {
  auto bad = [&](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat("path template \"", text, "\": ", why));
  };
  if (!absl::StartsWith(text, "/")) return bad("does not start with '/'");
  PathTemplate parsed;
  parsed.text_ = std::string(text);
  absl::string_view rest = text.substr(1);
  // The verb follows the last ':' outside braces after the last '/'.
  const size_t last_slash = rest.rfind('/');
  const size_t last_brace = rest.rfind('}');
  const size_t colon = rest.rfind(':');
  if (colon != absl::string_view::npos &&
      (last_slash == absl::string_view::npos || colon > last_slash) &&
      (last_brace == absl::string_view::npos || colon > last_brace)) {
    parsed.verb_ = std::string(rest.substr(colon + 1));
    if (!IsLiteral(parsed.verb_)) return bad("the verb is not a literal");
    rest = rest.substr(0, colon);
  }
  while (!rest.empty()) {
    if (rest.front() == '{') {
      const size_t close = rest.find('}');
      if (close == absl::string_view::npos) return bad("'{' without '}'");
      const absl::string_view inside = rest.substr(1, close - 1);
      const size_t equals = inside.find('=');
      Variable variable;
      variable.field_path = std::string(inside.substr(0, equals));
      if (!IsFieldPath(variable.field_path)) return bad("a variable's field path is not valid");
      const absl::string_view pattern =
          equals == absl::string_view::npos ? "*" : inside.substr(equals + 1);
      variable.first = parsed.segments_.size();
      for (absl::string_view segment : absl::StrSplit(pattern, '/')) {
        if (segment != "*" && segment != "**" && !IsLiteral(segment)) {
          return bad("a variable's pattern is not valid");
        }
        parsed.segments_.emplace_back(segment);
      }
      variable.end = parsed.segments_.size();
      parsed.variables_.push_back(std::move(variable));
      rest = rest.substr(close + 1);
    } else {
      const size_t end = rest.find('/');
      const absl::string_view segment = rest.substr(0, end);
      if (segment != "*" && segment != "**" && !IsLiteral(segment)) {
        return bad(absl::StrCat("segment \"", segment, "\" is not valid"));
      }
      parsed.segments_.emplace_back(segment);
      rest = end == absl::string_view::npos ? absl::string_view() : rest.substr(end);
    }
    if (rest.empty()) break;
    if (rest.front() != '/' || rest.size() == 1) return bad("segments must be joined by '/'");
    rest = rest.substr(1);
  }
  for (size_t i = 0; i + 1 < parsed.segments_.size(); ++i) {
    if (parsed.segments_[i] == "**") return bad("\"**\" may only come last");
  }
  if (parsed.segments_.empty()) return bad("no segments");
  return parsed;
}

std::optional<std::vector<PathBinding>> PathTemplate::Match(absl::string_view path) const {
  if (!absl::ConsumePrefix(&path, "/")) return std::nullopt;
  if (!verb_.empty() && !absl::ConsumeSuffix(&path, absl::StrCat(":", verb_))) return std::nullopt;
  const std::vector<absl::string_view> parts = absl::StrSplit(path, '/');
  const bool rest = segments_.back() == "**";
  if (rest ? parts.size() < segments_.size() : parts.size() != segments_.size()) {
    return std::nullopt;
  }
  for (size_t i = 0; i < segments_.size(); ++i) {
    if (parts[i].empty()) return std::nullopt;
    if (segments_[i] != "*" && segments_[i] != "**" && segments_[i] != parts[i]) {
      return std::nullopt;
    }
  }
  for (size_t i = segments_.size(); i < parts.size(); ++i) {
    if (parts[i].empty()) return std::nullopt;
  }
  std::vector<PathBinding> bindings;
  for (const Variable& variable : variables_) {
    const size_t end = variable.end == segments_.size() && rest ? parts.size() : variable.end;
    bindings.emplace_back(variable.field_path,
                          absl::StrJoin(parts.begin() + variable.first, parts.begin() + end, "/"));
  }
  return bindings;
}

std::string PathTemplate::Shape() const {
  return absl::StrCat("/", absl::StrJoin(segments_, "/"), verb_.empty() ? "" : ":", verb_);
}

std::vector<std::string> PathTemplate::FieldPaths() const {
  std::vector<std::string> paths;
  for (const Variable& variable : variables_) paths.push_back(variable.field_path);
  return paths;
}

}  // namespace fazhi::http_json
