#ifndef FAZHI_SERVICES_KERNEL_PLACEHOLDER_H_
#define FAZHI_SERVICES_KERNEL_PLACEHOLDER_H_

// The placeholder syntax of report narrative text. Pure: no gRPC, no SQL;
// safe on any bytes, including invalid UTF-8 (a fuzzing target).
//
//   text        := (literal | placeholder)*
//   placeholder := "{{" ws name ws ("|" ws filter ws)* "}}"
//   name        := segment ("." segment)*
//   segment     := [a-z] [a-z0-9_]*
//   filter      := one or more characters other than whitespace, control
//                  characters, "{", "}" and "|"
//   ws          := (" " | "\t")*
//
// "{{" always opens a placeholder; "}}" outside one is an error; single
// braces are literal text. Whether a name is a known fact is not checked
// here (the gateway knows the facts).

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace fazhi::kernel {

inline constexpr size_t kMaxPlaceholderNameBytes = 128;
inline constexpr size_t kMaxFilterChars = 32;
inline constexpr size_t kMaxFilters = 4;

struct Placeholder {
  std::string name;                  // e.g. "study.sessions.all_staff"
  std::vector<std::string> filters;  // e.g. {"人"}
  size_t position = 0;               // 1-based character of its "{{"
};

// A template is literal text and placeholders, alternating in source order.
struct TemplateSegment {
  bool is_placeholder = false;
  std::string text;  // literal text when !is_placeholder
  Placeholder placeholder;
};

struct TemplateError {
  size_t position = 0;     // 1-based character (code point) the error is at
  size_t byte_offset = 0;  // 0-based byte of the same character
  std::string message;
};

struct ParsedTemplate {
  std::vector<TemplateSegment> segments;  // complete only when !error
  std::optional<TemplateError> error;

  bool ok() const { return !error.has_value(); }
  std::vector<Placeholder> placeholders() const;
};

ParsedTemplate ParseTemplate(absl::string_view text);

// "at character 12: unclosed placeholder …", for a field violation.
std::string DescribeTemplateError(const TemplateError& error);

// A number typed by hand into a template's literal text: a run of digits
// (ASCII or full-width) that is not a placeholder's value, a date (2025年,
// 2025年3月1日, 3月, 12日, 2025-03-01, “12·4”), an article number (第42条)
// or part of a law's name (inside 《》). Nothing proves such a number; the
// report service warns about it. Empty for a template that does not parse.
struct TypedNumber {
  std::string text;     // e.g. "46"
  size_t position = 0;  // 1-based character
};
std::vector<TypedNumber> HandTypedNumbers(absl::string_view text);

}  // namespace fazhi::kernel

#endif  // FAZHI_SERVICES_KERNEL_PLACEHOLDER_H_
