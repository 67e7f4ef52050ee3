#ifndef FAZHI_SERVICES_REPORT_CREDIT_CODE_H_
#define FAZHI_SERVICES_REPORT_CREDIT_CODE_H_

// The unified social credit code (统一社会信用代码) of GB 32100-2015: 18
// characters from "0123456789ABCDEFGHJKLMNPQRTUWXY" (no I, O, S, V, Z):
//   1     registration authority (e.g. 1 = 机构编制, 5 = 民政, 9 = 工商)
//   2     organization type (e.g. 1 = 机关)
//   3-8   administrative division code (digits, e.g. 410423 = 鲁山县)
//   9-17  organization code
//   18    check character: with c_i the value of character i (0-based,
//         i < 17) and w_i = 3^i mod 31, check = 31 - (Σ c_i·w_i mod 31),
//         where 31 becomes 0.
// Pure logic.

#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace fazhi::report {

inline constexpr absl::string_view kCreditCodeCharset = "0123456789ABCDEFGHJKLMNPQRTUWXY";

// The check character for the first 17 characters, or nullopt when they are
// not 17 characters of the charset.
std::optional<char> CreditCodeCheckChar(absl::string_view first17);

// Empty when `code` (already in capitals) is a valid code; otherwise why
// not, naming the character position (1-based) where that helps.
std::string CreditCodeProblem(absl::string_view code);

// Trims ASCII spaces and turns ASCII letters into capitals.
std::string NormalizeCreditCode(absl::string_view code);

}  // namespace fazhi::report

#endif  // FAZHI_SERVICES_REPORT_CREDIT_CODE_H_
