#include "services/kernel/placeholder.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/kernel/utf8.h"

namespace fazhi::kernel {
namespace {

struct Char {
  uint32_t code_point;
  size_t byte;    // offset in the text
  size_t length;  // bytes
};

// Decodes UTF-8 strictly (DecodeUtf8At). Returns the byte offset of the
// first bad byte, if any.
std::optional<size_t> Decode(absl::string_view text, std::vector<Char>& chars) {
  for (size_t i = 0; i < text.size();) {
    uint32_t code_point;
    const size_t length = DecodeUtf8At(text, i, &code_point);
    if (length == 0) return i;
    chars.push_back(Char{code_point, i, length});
    i += length;
  }
  return std::nullopt;
}

bool IsLower(uint32_t c) { return c >= 'a' && c <= 'z'; }
bool IsDigit(uint32_t c) { return c >= '0' && c <= '9'; }
bool IsNameChar(uint32_t c) { return IsLower(c) || IsDigit(c) || c == '_'; }
bool IsBlank(uint32_t c) { return c == ' ' || c == '\t'; }

// Whitespace and control characters outside ASCII that must not hide in a
// filter (they print as nothing).
bool IsInvisible(uint32_t c) {
  return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0xA0) || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200F) || (c >= 0x2028 && c <= 0x202F) || c == 0x205F ||
         c == 0x3000 || c == 0xFEFF;
}

bool IsFilterChar(uint32_t c) {
  return c != ' ' && !IsInvisible(c) && c != '{' && c != '}' && c != '|';
}

// How a character is shown in a message: quoted when visible, U+XXXX
// otherwise.
std::string Show(absl::string_view text, const Char& c) {
  if (c.code_point == ' ' || IsInvisible(c.code_point)) {
    return absl::StrFormat("U+%04X", c.code_point);
  }
  return absl::StrCat("'", text.substr(c.byte, c.length), "'");
}

class Parser {
 public:
  explicit Parser(absl::string_view text) : text_(text) {}

  ParsedTemplate Run() {
    if (std::optional<size_t> bad = Decode(text_, chars_)) {
      Fail(chars_.size(), absl::StrCat("invalid UTF-8 at byte ", *bad + 1));
      result_.error->byte_offset = *bad;
      return std::move(result_);
    }
    std::string literal;
    size_t i = 0;
    while (i < chars_.size() && ok()) {
      if (Is(i, '{') && Is(i + 1, '{')) {
        if (!literal.empty()) AddLiteral(std::move(literal));
        literal.clear();
        size_t close = i + 2;
        while (close + 1 < chars_.size() && !(Is(close, '}') && Is(close + 1, '}'))) ++close;
        if (close + 1 >= chars_.size()) {
          Fail(i, "unclosed placeholder: this \"{{\" has no matching \"}}\"");
          break;
        }
        ParsePlaceholder(i, close);
        i = close + 2;
      } else if (Is(i, '}') && Is(i + 1, '}')) {
        Fail(i, "\"}}\" without an opening \"{{\"");
      } else {
        literal.append(text_.data() + chars_[i].byte, chars_[i].length);
        ++i;
      }
    }
    if (ok() && !literal.empty()) AddLiteral(std::move(literal));
    if (!ok()) result_.segments.clear();
    return std::move(result_);
  }

 private:
  bool ok() const { return !result_.error.has_value(); }
  bool Is(size_t i, char c) const {
    return i < chars_.size() && chars_[i].code_point == static_cast<unsigned char>(c);
  }

  void Fail(size_t index, std::string message) {
    if (!ok()) return;
    result_.error = TemplateError{
        index + 1, index < chars_.size() ? chars_[index].byte : text_.size(), std::move(message)};
  }

  void AddLiteral(std::string text) {
    TemplateSegment segment;
    segment.text = std::move(text);
    result_.segments.push_back(std::move(segment));
  }

  // Why the character at `k` cannot be part of a name.
  std::string NameCharProblem(size_t k) const {
    const uint32_t c = chars_[k].code_point;
    if (c >= 'A' && c <= 'Z') {
      return absl::StrCat("placeholder names are lowercase (got ", Show(text_, chars_[k]), ")");
    }
    if (c == '{') return "'{' inside a placeholder (a nested \"{{\"?)";
    return absl::StrCat(Show(text_, chars_[k]),
                        " is not allowed in a placeholder name (use a-z, 0-9, '_' and '.')");
  }

  size_t SkipBlanks(size_t k, size_t end) const {
    while (k < end && IsBlank(chars_[k].code_point)) ++k;
    return k;
  }

  // Parses chars_[open + 2, close): the inside of "{{ … }}".
  void ParsePlaceholder(size_t open, size_t close) {
    Placeholder placeholder;
    placeholder.position = open + 1;
    size_t k = SkipBlanks(open + 2, close);
    if (k == close || Is(k, '|')) return Fail(open, "empty placeholder name");

    const size_t name_start = k;
    while (true) {
      if (k == close || IsBlank(chars_[k].code_point) || Is(k, '|') || Is(k, '.')) {
        return Fail(k < close ? k : close - 1,
                    "empty segment in placeholder name (check the dots)");
      }
      const uint32_t c = chars_[k].code_point;
      if (!IsLower(c)) {
        if (IsDigit(c) || c == '_') {
          return Fail(k, absl::StrCat("a name segment must start with a lowercase letter (got ",
                                      Show(text_, chars_[k]), ")"));
        }
        return Fail(k, NameCharProblem(k));
      }
      while (k < close && IsNameChar(chars_[k].code_point)) ++k;
      if (k < close && Is(k, '.')) {
        ++k;
        continue;
      }
      break;
    }
    const size_t name_end = k;
    const size_t name_bytes =
        (name_end < chars_.size() ? chars_[name_end].byte : text_.size()) - chars_[name_start].byte;
    if (name_bytes > kMaxPlaceholderNameBytes) {
      return Fail(name_start, absl::StrCat("placeholder name longer than ",
                                           kMaxPlaceholderNameBytes, " characters"));
    }
    placeholder.name = std::string(text_.substr(chars_[name_start].byte, name_bytes));
    if (k < close && !IsBlank(chars_[k].code_point) && !Is(k, '|')) {
      return Fail(k, NameCharProblem(k));
    }

    k = SkipBlanks(k, close);
    while (k < close && Is(k, '|')) {
      const size_t bar = k;
      k = SkipBlanks(k + 1, close);
      const size_t start = k;
      while (k < close && IsFilterChar(chars_[k].code_point)) ++k;
      if (k == start) {
        if (k < close && !IsBlank(chars_[k].code_point) && !Is(k, '|')) {
          return Fail(k, absl::StrCat(Show(text_, chars_[k]), " is not allowed in a filter"));
        }
        return Fail(bar, "empty filter after '|'");
      }
      if (k - start > kMaxFilterChars) {
        return Fail(start, absl::StrCat("filter longer than ", kMaxFilterChars, " characters"));
      }
      if (placeholder.filters.size() == kMaxFilters) {
        return Fail(bar, absl::StrCat("at most ", kMaxFilters, " filters per placeholder"));
      }
      const size_t end_byte = k < chars_.size() ? chars_[k].byte : text_.size();
      placeholder.filters.emplace_back(
          text_.substr(chars_[start].byte, end_byte - chars_[start].byte));
      k = SkipBlanks(k, close);
    }
    if (k < close) {
      if (Is(k, '{')) return Fail(k, NameCharProblem(k));
      return Fail(k, absl::StrCat("unexpected ", Show(text_, chars_[k]),
                                  ": a placeholder holds one name, then optional '|' filters"));
    }
    TemplateSegment segment;
    segment.is_placeholder = true;
    segment.placeholder = std::move(placeholder);
    result_.segments.push_back(std::move(segment));
  }

  absl::string_view text_;
  std::vector<Char> chars_;
  ParsedTemplate result_;
};

}  // namespace

std::vector<Placeholder> ParsedTemplate::placeholders() const {
  std::vector<Placeholder> out;
  for (const TemplateSegment& s : segments) {
    if (s.is_placeholder) out.push_back(s.placeholder);
  }
  return out;
}

ParsedTemplate ParseTemplate(absl::string_view text) { return Parser(text).Run(); }

namespace {

// 0-9 as ASCII or full width; -1 for anything else.
int DigitValue(uint32_t c) {
  if (c >= '0' && c <= '9') return static_cast<int>(c - '0');
  if (c >= 0xFF10 && c <= 0xFF19) return static_cast<int>(c - 0xFF10);
  return -1;
}

bool IsDateSeparator(uint32_t c) { return c == '.' || c == 0x00B7 || c == 0xFF0E || c == 0x30FB; }

// Whether the digit run chars[begin, end) (digits and separators) is a
// date, an article number or another number that is not a quantity.
bool IsExempt(const std::vector<Char>& chars, size_t begin, size_t end) {
  std::vector<int> groups{0};
  std::vector<int> widths{0};
  std::vector<uint32_t> separators;
  for (size_t i = begin; i < end; ++i) {
    const int d = DigitValue(chars[i].code_point);
    if (d >= 0) {
      groups.back() = groups.back() * 10 + d;
      ++widths.back();
    } else {
      separators.push_back(chars[i].code_point);
      groups.push_back(0);
      widths.push_back(0);
    }
  }
  const uint32_t before = begin > 0 ? chars[begin - 1].code_point : 0;
  const uint32_t after = end < chars.size() ? chars[end].code_point : 0;
  auto is_month = [](int m) { return m >= 1 && m <= 12; };
  auto is_day = [](int d) { return d >= 1 && d <= 31; };
  if (groups.size() == 1) {
    const int n = groups[0];
    if (after == 0x5E74 /* 年 */) return widths[0] == 4;  // a year, not "3年"
    if (after == 0x6708 /* 月 */) return is_month(n);
    if (after == 0x65E5 /* 日 */ || after == 0x53F7 /* 号 */) return is_day(n);
    // 第42条, 第3款: where a law says something.
    if (before == 0x7B2C /* 第 */) {
      for (uint32_t unit : {0x6761u /* 条 */, 0x6B3Eu /* 款 */, 0x9879u /* 项 */, 0x7AE0u /* 章 */,
                            0x8282u /* 节 */}) {
        if (after == unit) return true;
      }
    }
    return false;
  }
  // “12·4”: a day of the year named by month and day.
  if (groups.size() == 2 && is_month(groups[0]) && is_day(groups[1])) {
    return separators[0] != '.' || before == 0x201C || after == 0x201D;
  }
  // 2025-03-01 / 2025.3.1
  return groups.size() == 3 && widths[0] == 4 && is_month(groups[1]) && is_day(groups[2]);
}

}  // namespace

std::vector<TypedNumber> HandTypedNumbers(absl::string_view text) {
  std::vector<TypedNumber> out;
  if (!ParseTemplate(text).ok()) return out;
  std::vector<Char> chars;
  if (Decode(text, chars)) return out;
  int in_title = 0;             // inside 《》
  bool in_placeholder = false;  // the template parsed, so braces pair up
  for (size_t i = 0; i < chars.size();) {
    const uint32_t c = chars[i].code_point;
    if (c == '{' && i + 1 < chars.size() && chars[i + 1].code_point == '{') {
      in_placeholder = true;
    } else if (c == '}' && in_placeholder && i + 1 < chars.size() &&
               chars[i + 1].code_point == '}') {
      in_placeholder = false;
      i += 2;
      continue;
    }
    if (c == 0x300A) ++in_title;                  // 《
    if (c == 0x300B && in_title > 0) --in_title;  // 》
    if (in_placeholder || in_title > 0 || DigitValue(c) < 0) {
      ++i;
      continue;
    }
    // A run: digits, with single separators between digits ("3.5", "12·4",
    // "2025-03-01", "1,200").
    size_t end = i + 1;
    while (end < chars.size()) {
      const uint32_t e = chars[end].code_point;
      if (DigitValue(e) >= 0) {
        ++end;
      } else if ((IsDateSeparator(e) || e == '-' || e == ',') && end + 1 < chars.size() &&
                 DigitValue(chars[end + 1].code_point) >= 0) {
        end += 2;
      } else {
        break;
      }
    }
    if (!IsExempt(chars, i, end)) {
      const size_t from = chars[i].byte, to = chars[end - 1].byte + chars[end - 1].length;
      out.push_back(TypedNumber{std::string(text.substr(from, to - from)), i + 1});
    }
    i = end;
  }
  return out;
}

std::string DescribeTemplateError(const TemplateError& error) {
  return absl::StrCat("at character ", error.position, ": ", error.message);
}

}  // namespace fazhi::kernel
