#include "services/common/validation.h"

#include "absl/strings/match.h"

#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "services/common/grpc_status.h"
#include "tests/testing/service_test.h"

namespace fazhi {
namespace {

using ::fazhi::testing::Date;
using ::testing::ElementsAre;
using ::testing::Field;

TEST(Utf8LengthTest, CountsCodePointsAndRejectsMalformed) {
  EXPECT_EQ(Utf8Length(""), 0);
  EXPECT_EQ(Utf8Length("abc"), 3);
  EXPECT_EQ(Utf8Length("民法典"), 3);
  EXPECT_EQ(Utf8Length("😀"), 1);
  EXPECT_EQ(Utf8Length("\xff"), -1);
  EXPECT_EQ(Utf8Length("\xe6\xb0"), -1);        // truncated 民
  EXPECT_EQ(Utf8Length("\xc0\xaf"), -1);        // overlong '/'
  EXPECT_EQ(Utf8Length("\xed\xa0\x80"), -1);    // surrogate
  EXPECT_EQ(Utf8Length("\xf4\x90\x80\x80"), -1);  // past U+10FFFF
}

TEST(FieldViolationsTest, EmptyIsOk) {
  FieldViolations v;
  EXPECT_TRUE(v.ToStatus().ok());
}

TEST(FieldViolationsTest, StatusNamesEveryFieldInBadRequestDetails) {
  FieldViolations v;
  v.CheckText("session.title", "", 200, /*required=*/true);
  v.CheckDate("session.date", Date(2024, 2, 30), true);
  v.CheckRange("session.duration_minutes", -5, 1, 1440);
  absl::Status status = v.ToStatus();
  ASSERT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), ::testing::HasSubstr("session.title"));
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(ReadDetail(status, bad_request));
  std::vector<std::string> fields;
  for (const auto& fv : bad_request.field_violations()) fields.push_back(fv.field());
  EXPECT_THAT(fields, ElementsAre("session.title", "session.date", "session.duration_minutes"));
}

TEST(FieldViolationsTest, TextRules) {
  FieldViolations v;
  v.CheckText("a", "好好好", 3);
  v.CheckText("b", "好好好好", 3);
  v.CheckText("c", "line\nbreak", 100);
  v.CheckText("d", "line\nbreak", 100, false, /*multiline=*/true);
  v.CheckText("e", "\xff", 100);
  v.CheckText("f", "   ", 100, /*required=*/true);
  std::vector<std::string> fields;
  for (const auto& violation : v.violations()) fields.push_back(violation.field);
  EXPECT_THAT(fields, ElementsAre("b", "c", "e", "f"));
}

TEST(FieldViolationsTest, DateRules) {
  FieldViolations v;
  v.CheckDate("ok", Date(2024, 2, 29), true);
  v.CheckDate("not_leap", Date(2023, 2, 29), true);
  v.CheckDate("month", Date(2024, 13, 1), true);
  v.CheckDate("too_old", Date(1800, 1, 1), true);
  v.CheckDate("missing", google::type::Date(), true);
  v.CheckDate("optional", google::type::Date(), false);
  std::vector<std::string> fields;
  for (const auto& violation : v.violations()) fields.push_back(violation.field);
  EXPECT_THAT(fields, ElementsAre("not_leap", "month", "too_old", "missing"));
}

TEST(DateTextTest, RoundTrips) {
  absl::CivilDay day;
  ASSERT_TRUE(ParseDate("2024-12-04", &day));
  EXPECT_EQ(day, absl::CivilDay(2024, 12, 4));
  EXPECT_EQ(FormatDate(day), "2024-12-04");
  EXPECT_FALSE(ParseDate("2024-02-30", &day));
  EXPECT_FALSE(ParseDate("2024-2-3", &day));
  EXPECT_FALSE(ParseDate("2024-+2-29", &day));  // found by the names_and_tokens fuzzer
  EXPECT_FALSE(ParseDate("+024-02-29", &day));
}

TEST(TruncateUtf8Test, CutsOnACharacterBoundaryAndMarksTheCut) {
  EXPECT_EQ(TruncateUtf8("short", 500), "short");
  // "x" then three-byte characters: every cut lands between characters.
  std::string text = "x";
  for (int i = 0; i < 400; ++i) text += "中";
  for (size_t max = 4; max < 40; ++max) {
    const std::string cut = TruncateUtf8(text, max);
    EXPECT_LE(cut.size(), max);
    EXPECT_GE(Utf8Length(cut), 1) << max;  // valid UTF-8
    EXPECT_TRUE(absl::EndsWith(cut, "…"));
  }
  EXPECT_EQ(TruncateUtf8(text, 2), "");
}

TEST(FieldViolationsTest, TextRefusesWhatXmlForbidsAndBidiOverrides) {
  for (const char* bad : {"a\xEF\xBF\xBF", "a\xEF\xBF\xBE", "a\xE2\x80\xAE", "a\xE2\x80\xAA",
                          "a\xE2\x81\xA6", "a\xE2\x81\xA9", "a\x0B", "a\x7F"}) {
    FieldViolations v;
    v.CheckText("notes", bad, 100, false, /*multiline=*/true);
    ASSERT_EQ(v.violations().size(), 1u) << bad;
    EXPECT_EQ(v.violations()[0].field, "notes");
  }
  FieldViolations ok;
  ok.CheckText("notes", "第一行\n第二行\t（U+FFFD: \xEF\xBF\xBD，U+200F: \xE2\x80\x8F）", 100, false, true);
  EXPECT_TRUE(ok.empty());
  EXPECT_FALSE(IsAllowedTextCodePoint(0xFFFF));
  EXPECT_FALSE(IsAllowedTextCodePoint(0x202E));
  EXPECT_TRUE(IsAllowedTextCodePoint(0x10000));
  EXPECT_TRUE(IsAllowedTextCodePoint(0xFFFD));
}

}  // namespace
}  // namespace fazhi
