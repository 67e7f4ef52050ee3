#include "services/common/validation.h"

#include <google/protobuf/repeated_field.h>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "services/common/grpc_status.h"
#include "services/kernel/placeholder.h"
#include "services/kernel/utf8.h"
#include "tests/testing/service_test.h"

namespace fazhi {
namespace {

using ::fazhi::testing::Date;
using ::testing::ElementsAre;
using ::testing::Field;

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

TEST(FieldViolationsTest, TextMessagesFollowTheOrderOfTheRules) {
  FieldViolations v;
  v.CheckText("invalid_before_control", "a\x01\xff", 100);  // UTF-8 first, wherever it is
  v.CheckText("long_before_control",
              "\x01"
              "bcd",
              3);
  v.CheckText("first_refused", "ok\xE2\x80\xAE\x01", 100);  // U+202E, then a control
  v.CheckText("control", "tab\there", 100);
  std::vector<std::string> messages;
  for (const auto& violation : v.violations()) {
    messages.push_back(violation.field + ": " + violation.description);
  }
  EXPECT_THAT(messages,
              ElementsAre("invalid_before_control: must be valid UTF-8",
                          "long_before_control: must be at most 3 characters (got 4)",
                          "first_refused: must not contain U+202E (at byte 2): not allowed in XML "
                          "1.0 or a bidirectional override",
                          "control: must not contain control characters"));
}

TEST(FieldViolationsTest, AListNamesOnlyTheItemsItRefuses) {
  FieldViolations v;
  v.CheckTextList("laws", {"宪法", " ", "民法典", std::string(5, 'x')}, 10, 4);
  std::vector<std::string> fields;
  for (const auto& violation : v.violations()) fields.push_back(violation.field);
  EXPECT_THAT(fields, ElementsAre("laws[1]", "laws[3]"));
  FieldViolations too_many;
  too_many.CheckTextList("laws", {"a", "b", "c"}, 2, 10);
  ASSERT_EQ(too_many.violations().size(), 1u);
  EXPECT_EQ(too_many.violations()[0].field, "laws");
}

// A field's path is spelled out only in a violation, and the same as the
// string a caller would have built; a list's items and a repeated
// message's members hang off it.
TEST(FieldViolationsTest, FieldPathsNameFieldsAsStrings) {
  EXPECT_EQ(FieldPath("title").Format(), "title");
  EXPECT_EQ(FieldPath("sessions[3].", "title").Format(), "sessions[3].title");
  EXPECT_EQ(FieldPath("sessions[3].", "attendees", 2, "person_id").Format(),
            "sessions[3].attendees[2].person_id");
  EXPECT_EQ(FieldPath("", "stages", 0, "stage").Format(), "stages[0].stage");
  FieldViolations v;
  v.CheckText(FieldPath("sessions[3].", "title"), "ok", 10);
  v.CheckText(FieldPath("sessions[3].", "attendees", 2, "display_name"), "", 10,
              /*required=*/true);
  v.CheckRange(FieldPath("sessions[3].", "duration_minutes"), 0, 1, 10);
  google::protobuf::RepeatedPtrField<std::string> laws;
  laws.Add("宪法");
  laws.Add("");
  v.CheckTextList(FieldPath("sessions[3].", "laws"), laws, 10, 10);
  std::vector<std::string> fields;
  for (const auto& violation : v.violations()) fields.push_back(violation.field);
  EXPECT_THAT(fields, ElementsAre("sessions[3].attendees[2].display_name",
                                  "sessions[3].duration_minutes", "sessions[3].laws[1]"));
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

TEST(FieldViolationsTest, TextRefusesWhatXmlForbidsAndBidiOverrides) {
  for (const char* bad : {"a\xEF\xBF\xBF", "a\xEF\xBF\xBE", "a\xE2\x80\xAE", "a\xE2\x80\xAA",
                          "a\xE2\x81\xA6", "a\xE2\x81\xA9", "a\x0B", "a\x7F"}) {
    FieldViolations v;
    v.CheckText("notes", bad, 100, false, /*multiline=*/true);
    ASSERT_EQ(v.violations().size(), 1u) << bad;
    EXPECT_EQ(v.violations()[0].field, "notes");
  }
  FieldViolations ok;
  ok.CheckText("notes", "第一行\n第二行\t（U+FFFD: \xEF\xBF\xBD，U+200F: \xE2\x80\x8F）", 100,
               false, true);
  EXPECT_TRUE(ok.empty());
}

// Validation and the placeholder parser read text through one decoder
// (kernel::DecodeUtf8At): what one refuses as UTF-8 the other refuses too,
// at the same byte, and both take what it takes.
TEST(FieldViolationsTest, TextAndTemplatesAgreeOnUtf8) {
  const std::string cases[] = {"\xff",
                               "a\x80",
                               "\xe6\xb0",
                               "民\xe6\xb0",
                               "\xc0\xaf",
                               "\xe0\x80\xaf",
                               "\xed\xa0\x80",
                               "\xf4\x90\x80\x80",
                               "\xf8\x88\x80\x80\x80",
                               "\xe6\x61\xb0",
                               "ab\xC2",
                               "民法典",
                               "😀",
                               "\xC2\xA0",
                               "plain"};
  for (const std::string& text : cases) {
    FieldViolations v;
    v.CheckText("t", text, 100);
    const bool refused_by_validation =
        !v.empty() && v.violations()[0].description == "must be valid UTF-8";
    const kernel::ParsedTemplate parsed = kernel::ParseTemplate(text);
    const bool refused_by_parser =
        !parsed.ok() && absl::StrContains(parsed.error->message, "invalid UTF-8");
    EXPECT_EQ(refused_by_validation, refused_by_parser) << text;
    EXPECT_EQ(refused_by_validation, kernel::Utf8Length(text) < 0) << text;
    if (refused_by_parser) {
      // The parser names the first byte the decoder stops at.
      size_t first_bad = 0;
      for (uint32_t c; first_bad < text.size();) {
        const size_t length = kernel::DecodeUtf8At(text, first_bad, &c);
        if (length == 0) break;
        first_bad += length;
      }
      EXPECT_EQ(parsed.error->byte_offset, first_bad) << text;
    }
  }
}

}  // namespace
}  // namespace fazhi
