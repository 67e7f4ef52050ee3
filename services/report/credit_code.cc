#include "services/report/credit_code.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace fazhi::report {
namespace {

constexpr int kModulus = 31;

int ValueOf(char c) {
  const size_t at = kCreditCodeCharset.find(c);
  return at == absl::string_view::npos ? -1 : static_cast<int>(at);
}

}  // namespace

std::optional<char> CreditCodeCheckChar(absl::string_view first17) {
  if (first17.size() != 17) return std::nullopt;
  int sum = 0;
  int weight = 1;  // 3^i mod 31
  for (char c : first17) {
    const int value = ValueOf(c);
    if (value < 0) return std::nullopt;
    sum = (sum + value * weight) % kModulus;
    weight = weight * 3 % kModulus;
  }
  const int check = (kModulus - sum) % kModulus;  // 31 → 0
  return kCreditCodeCharset[check];
}

std::string CreditCodeProblem(absl::string_view code) {
  if (code.size() != 18) {
    return absl::StrCat("must be 18 characters (got ", code.size(), " bytes)");
  }
  for (size_t i = 0; i < code.size(); ++i) {
    if (ValueOf(code[i]) < 0) {
      const auto byte = static_cast<unsigned char>(code[i]);
      const std::string shown =
          byte >= 0x21 && byte < 0x7F ? absl::StrCat("'", std::string(1, code[i]), "'") : "a byte";
      return absl::StrCat("character ", i + 1, " is ", shown,
                          "; only 0-9 and A-Y without I, O, S, V and Z are used");
    }
  }
  for (size_t i = 2; i < 8; ++i) {
    if (!absl::ascii_isdigit(code[i])) {
      return absl::StrCat(
          "characters 3-8 are the administrative division code and must be digits "
          "(character ",
          i + 1, " is '", std::string(1, code[i]), "')");
    }
  }
  const char expected = *CreditCodeCheckChar(code.substr(0, 17));
  if (code[17] != expected) {
    return absl::StrCat("check character (character 18) is '", std::string(1, code[17]),
                        "' but the first 17 characters give '", std::string(1, expected),
                        "': a character is mistyped");
  }
  return "";
}

std::string NormalizeCreditCode(absl::string_view code) {
  return absl::AsciiStrToUpper(absl::StripAsciiWhitespace(code));
}

}  // namespace fazhi::report
