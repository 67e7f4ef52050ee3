#include "services/report/credit_code.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace fazhi::report {
namespace {

using ::testing::HasSubstr;

// Published codes of well-known companies (registration authority 9,
// 工商) and the demo organs of this repository (1 = 机构编制, 1 = 机关).
TEST(CreditCodeTest, RealCodesPass) {
  for (const char* code : {"9144030071526726XG", "91330100716105852F", "914403001922038216",
                           "91110000802100433B", "91110108551385082Q", "91350100M000100Y43"}) {
    EXPECT_EQ(CreditCodeProblem(code), "") << code;
  }
}

TEST(CreditCodeTest, CheckCharacterFollowsTheStandard) {
  // Weights 3^i mod 31: 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28.
  EXPECT_EQ(CreditCodeCheckChar("9144030071526726X"), 'G');
  EXPECT_EQ(CreditCodeCheckChar("91110000802100433"), 'B');
  // Σ c_i·w_i ≡ 0 (mod 31) gives 31 - 0 = 31, which the standard maps to 0.
  EXPECT_EQ(CreditCodeCheckChar("00000000000000000"), '0');
  EXPECT_EQ(CreditCodeCheckChar("0000000000000000"), std::nullopt);   // 16 characters
  EXPECT_EQ(CreditCodeCheckChar("I0000000000000000"), std::nullopt);  // I is not used
}

TEST(CreditCodeTest, ChangingOneCharacterChangesTheCheck) {
  // Changing one character changes the check character: the sum moves by a
  // non-zero multiple of a weight that is invertible mod 31.
  const std::string base = "11410423005703518";
  const char check = *CreditCodeCheckChar(base);
  for (char c : std::string(kCreditCodeCharset)) {
    if (c == base[9]) continue;
    std::string changed = base;
    changed[9] = c;
    EXPECT_NE(CreditCodeCheckChar(changed), check) << changed;
  }
}

TEST(CreditCodeTest, MistypedCodesAreRefusedWithTheReason) {
  EXPECT_THAT(CreditCodeProblem("9144030071526726XA"), HasSubstr("check character"));
  EXPECT_THAT(CreditCodeProblem("9144030071526762XG"), HasSubstr("check character"));  // swap
  EXPECT_THAT(CreditCodeProblem("9144030071526726X"), HasSubstr("18 characters"));
  EXPECT_THAT(CreditCodeProblem("9144030071526726XGG"), HasSubstr("18 characters"));
  EXPECT_THAT(CreditCodeProblem("91440300715267I6XG"), HasSubstr("character 15 is 'I'"));
  EXPECT_THAT(CreditCodeProblem("91440300715267O6XG"), HasSubstr("character 15 is 'O'"));
  EXPECT_THAT(CreditCodeProblem("9144030071526726xg"), HasSubstr("character 17 is 'x'"));
  EXPECT_THAT(CreditCodeProblem("91A4030071526726XG"), HasSubstr("division code"));
}

TEST(CreditCodeTest, NormalizeTrimsAndCapitalizes) {
  EXPECT_EQ(NormalizeCreditCode(" 9144030071526726xg "), "9144030071526726XG");
  EXPECT_EQ(CreditCodeProblem(NormalizeCreditCode("9144030071526726xg")), "");
}

}  // namespace
}  // namespace fazhi::report
