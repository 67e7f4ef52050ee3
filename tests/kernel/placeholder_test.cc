#include "services/kernel/placeholder.h"

#include <random>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace fazhi::kernel {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// The error of a template that must not parse.
TemplateError ErrorOf(const std::string& text) {
  ParsedTemplate parsed = ParseTemplate(text);
  EXPECT_FALSE(parsed.ok()) << "parsed: " << text;
  EXPECT_TRUE(parsed.segments.empty());
  return parsed.error.value_or(TemplateError{});
}

TEST(PlaceholderTest, PlainTextIsOneLiteral) {
  ParsedTemplate parsed = ParseTemplate("全年共开展集中学习活动。");
  ASSERT_TRUE(parsed.ok());
  ASSERT_EQ(parsed.segments.size(), 1u);
  EXPECT_FALSE(parsed.segments[0].is_placeholder);
  EXPECT_EQ(parsed.segments[0].text, "全年共开展集中学习活动。");
  EXPECT_TRUE(parsed.placeholders().empty());
}

TEST(PlaceholderTest, EmptyTextHasNoSegments) {
  ParsedTemplate parsed = ParseTemplate("");
  EXPECT_TRUE(parsed.ok());
  EXPECT_TRUE(parsed.segments.empty());
}

TEST(PlaceholderTest, PlaceholdersBetweenLiterals) {
  ParsedTemplate parsed = ParseTemplate(
      "全年开展{{study.sessions.all_staff}}次集中学习，覆盖{{ duty.officers | 人 }}。");
  ASSERT_TRUE(parsed.ok()) << parsed.error->message;
  ASSERT_EQ(parsed.segments.size(), 5u);
  EXPECT_EQ(parsed.segments[0].text, "全年开展");
  EXPECT_TRUE(parsed.segments[1].is_placeholder);
  EXPECT_EQ(parsed.segments[1].placeholder.name, "study.sessions.all_staff");
  EXPECT_TRUE(parsed.segments[1].placeholder.filters.empty());
  EXPECT_EQ(parsed.segments[1].placeholder.position, 5u);  // characters, not bytes
  EXPECT_EQ(parsed.segments[2].text, "次集中学习，覆盖");
  EXPECT_EQ(parsed.segments[3].placeholder.name, "duty.officers");
  EXPECT_THAT(parsed.segments[3].placeholder.filters, ElementsAre("人"));
  EXPECT_EQ(parsed.segments[4].text, "。");
}

TEST(PlaceholderTest, AdjacentPlaceholdersAndChainedFilters) {
  ParsedTemplate parsed = ParseTemplate("{{a}}{{b_2.c3|percent|0.1}}");
  ASSERT_TRUE(parsed.ok());
  std::vector<Placeholder> found = parsed.placeholders();
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].name, "a");
  EXPECT_EQ(found[1].name, "b_2.c3");
  EXPECT_THAT(found[1].filters, ElementsAre("percent", "0.1"));
  EXPECT_EQ(found[1].position, 6u);
}

TEST(PlaceholderTest, TabsAroundNameAndFilters) {
  ParsedTemplate parsed = ParseTemplate("{{\tyear\t|\t年 }}");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.placeholders()[0].name, "year");
  EXPECT_THAT(parsed.placeholders()[0].filters, ElementsAre("年"));
}

TEST(PlaceholderTest, SingleBracesAreText) {
  ParsedTemplate parsed = ParseTemplate("a{b}c { } {{x}}}");
  ASSERT_TRUE(parsed.ok());
  ASSERT_EQ(parsed.segments.size(), 3u);
  EXPECT_EQ(parsed.segments[0].text, "a{b}c { } ");
  EXPECT_EQ(parsed.segments[1].placeholder.name, "x");
  EXPECT_EQ(parsed.segments[2].text, "}");
}

TEST(PlaceholderTest, UnclosedPointsAtTheOpening) {
  TemplateError e = ErrorOf("共开展{{study.sessions次学习");
  EXPECT_EQ(e.position, 4u);
  EXPECT_EQ(e.byte_offset, 9u);  // three CJK characters of three bytes
  EXPECT_THAT(e.message, HasSubstr("unclosed"));
  EXPECT_EQ(ErrorOf("{{").position, 1u);
  EXPECT_EQ(ErrorOf("x{{a}").position, 2u);
  EXPECT_EQ(ErrorOf("{{a}} and {{b").position, 11u);
}

TEST(PlaceholderTest, StrayClosing) {
  TemplateError e = ErrorOf("学习{study}}次");
  EXPECT_EQ(e.position, 9u);
  EXPECT_THAT(e.message, HasSubstr("without an opening"));
  EXPECT_EQ(ErrorOf("}}").position, 1u);
}

TEST(PlaceholderTest, EmptyNames) {
  EXPECT_THAT(ErrorOf("{{}}").message, HasSubstr("empty placeholder name"));
  EXPECT_EQ(ErrorOf("ab{{  }}").position, 3u);
  EXPECT_THAT(ErrorOf("{{ | 人}}").message, HasSubstr("empty placeholder name"));
}

TEST(PlaceholderTest, EmptySegments) {
  TemplateError e = ErrorOf("{{a..b}}");
  EXPECT_EQ(e.position, 5u);
  EXPECT_THAT(e.message, HasSubstr("empty segment"));
  EXPECT_EQ(ErrorOf("{{.a}}").position, 3u);
  EXPECT_EQ(ErrorOf("{{a.}}").position, 4u);
  EXPECT_EQ(ErrorOf("{{a. b}}").position, 5u);
}

TEST(PlaceholderTest, BadCharactersInNames) {
  TemplateError upper = ErrorOf("{{Study}}");
  EXPECT_EQ(upper.position, 3u);
  EXPECT_THAT(upper.message, HasSubstr("lowercase"));
  EXPECT_EQ(ErrorOf("{{studyX}}").position, 8u);
  TemplateError dash = ErrorOf("{{a-b}}");
  EXPECT_EQ(dash.position, 4u);
  EXPECT_THAT(dash.message, HasSubstr("'-' is not allowed"));
  TemplateError cjk = ErrorOf("{{学习}}");
  EXPECT_EQ(cjk.position, 3u);
  EXPECT_THAT(cjk.message, HasSubstr("'学' is not allowed"));
  EXPECT_THAT(ErrorOf("{{1st}}").message, HasSubstr("start with a lowercase letter"));
  EXPECT_THAT(ErrorOf("{{a._b}}").message, HasSubstr("start with a lowercase letter"));
  TemplateError newline = ErrorOf("{{a\nb}}");
  EXPECT_EQ(newline.position, 4u);
  EXPECT_THAT(newline.message, HasSubstr("U+000A"));
  EXPECT_THAT(ErrorOf("{{a\xe3\x80\x80}}").message, HasSubstr("U+3000"));  // ideographic space
}

TEST(PlaceholderTest, TwoNamesOrNestingAreErrors) {
  TemplateError two = ErrorOf("{{a b}}");
  EXPECT_EQ(two.position, 5u);
  EXPECT_THAT(two.message, HasSubstr("one name"));
  TemplateError nested = ErrorOf("{{a {{b}} }}");
  EXPECT_EQ(nested.position, 5u);
  EXPECT_THAT(nested.message, HasSubstr("nested"));
  EXPECT_EQ(ErrorOf("{{{a}}}").position, 3u);
}

TEST(PlaceholderTest, BadFilters) {
  TemplateError empty = ErrorOf("{{a |}}");
  EXPECT_EQ(empty.position, 5u);
  EXPECT_THAT(empty.message, HasSubstr("empty filter"));
  EXPECT_THAT(ErrorOf("{{a | }}").message, HasSubstr("empty filter"));
  EXPECT_THAT(ErrorOf("{{a || b}}").message, HasSubstr("empty filter"));
  EXPECT_THAT(ErrorOf("{{a | 人 个}}").message, HasSubstr("unexpected '个'"));
  EXPECT_THAT(ErrorOf("{{a | x{y}}").message, HasSubstr("nested"));
  EXPECT_THAT(ErrorOf("{{a | " + std::string(kMaxFilterChars + 1, 'f') + "}}").message,
              HasSubstr("filter longer"));
  EXPECT_THAT(ErrorOf("{{a|b|c|d|e|f}}").message, HasSubstr("at most 4 filters"));
}

TEST(PlaceholderTest, NameLengthLimit) {
  const std::string longest(kMaxPlaceholderNameBytes, 'a');
  EXPECT_TRUE(ParseTemplate("{{" + longest + "}}").ok());
  EXPECT_THAT(ErrorOf("{{" + longest + "a}}").message, HasSubstr("longer than"));
}

TEST(PlaceholderTest, InvalidUtf8IsAnErrorAtItsByte) {
  TemplateError e = ErrorOf("学习\xff{{a}}");
  EXPECT_EQ(e.position, 3u);
  EXPECT_EQ(e.byte_offset, 6u);
  EXPECT_THAT(e.message, HasSubstr("invalid UTF-8"));
  EXPECT_THAT(ErrorOf("\xe5\xad").message, HasSubstr("invalid UTF-8"));          // truncated
  EXPECT_THAT(ErrorOf("\xc0\xaf").message, HasSubstr("invalid UTF-8"));          // overlong '/'
  EXPECT_THAT(ErrorOf("\xed\xa0\x80").message, HasSubstr("invalid UTF-8"));      // surrogate
  EXPECT_THAT(ErrorOf("\xf4\x90\x80\x80").message, HasSubstr("invalid UTF-8"));  // > U+10FFFF
}

TEST(PlaceholderTest, EmbeddedNulIsLiteralOutsideAndAnErrorInside) {
  EXPECT_TRUE(ParseTemplate(std::string("a\0b", 3)).ok());
  EXPECT_THAT(ErrorOf(std::string("{{a\0}}", 6)).message, HasSubstr("U+0000"));
}

TEST(PlaceholderTest, DescribeNamesThePosition) {
  EXPECT_EQ(DescribeTemplateError(ErrorOf("ab{{")),
            "at character 3: unclosed placeholder: this \"{{\" has no matching \"}}\"");
}

// Joining the segments back gives the literal text with placeholders in a
// canonical spelling; parsing that again gives the same segments.
std::string Canonical(const ParsedTemplate& parsed) {
  std::string out;
  for (const TemplateSegment& s : parsed.segments) {
    if (!s.is_placeholder) {
      out += s.text;
      continue;
    }
    out += "{{" + s.placeholder.name;
    for (const std::string& f : s.placeholder.filters) out += "|" + f;
    out += "}}";
  }
  return out;
}

std::vector<std::string> Typed(absl::string_view text) {
  std::vector<std::string> out;
  for (const TypedNumber& n : HandTypedNumbers(text)) out.push_back(n.text);
  return out;
}

TEST(HandTypedNumbersTest, AQuantityTypedByHandIsFound) {
  EXPECT_THAT(Typed("全年组织集中学习12次，参学552人次"), ElementsAre("12", "552"));
  EXPECT_THAT(Typed("累计1201.3人·小时"), ElementsAre("1201.3"));
  EXPECT_THAT(Typed("覆盖率达１００％"), ElementsAre("１００"));  // full-width digits too
  EXPECT_THAT(Typed("近3年"), ElementsAre("3"));                  // a span of years, not a year
  EXPECT_THAT(Typed("发放1,200份"), ElementsAre("1,200"));
  const auto found = HandTypedNumbers("共{{study.sessions.total}}次，其中46人");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].position, 30u);  // characters, not bytes
}

TEST(HandTypedNumbersTest, DatesArticlesLawsAndPlaceholdersAreNot) {
  EXPECT_THAT(Typed("{{next_year}}年起，2025年1月15日前，每年3月、12日"), IsEmpty());
  EXPECT_THAT(Typed("围绕“12·4”国家宪法日和“12.4”宣传周"), IsEmpty());
  EXPECT_THAT(Typed("2025-03-01起施行"), IsEmpty());
  EXPECT_THAT(Typed("依照《行政处罚法》第42条、第58条第1款"), IsEmpty());
  EXPECT_THAT(Typed("学习《中华人民共和国宪法修正案（2018）》"), IsEmpty());
  EXPECT_THAT(Typed("{{duty.officers.valid | 人}}，{{study.all_staff.sessions|同比}}"), IsEmpty());
  // A "date" that is no date is a number.
  EXPECT_THAT(Typed("13月"), ElementsAre("13"));
  EXPECT_THAT(Typed("12.5%"), ElementsAre("12.5"));
  // A template that does not parse is the parser's to report.
  EXPECT_THAT(Typed("{{study 12"), IsEmpty());
}

TEST(PlaceholderTest, RandomInputsNeverCrashAndRoundTrip) {
  // A small in-test fuzz: random strings over the characters that matter.
  const std::vector<std::string> alphabet = {"{", "}", "{{", "}}", "|",  ".",  " ",  "\t",   "a",
                                             "z", "_", "9",  "A",  "学", "人", "\n", "\xff", "-"};
  std::mt19937 rng(20240301);
  int parsed_ok = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    const int length = static_cast<int>(rng() % 12);
    for (int i = 0; i < length; ++i) text += alphabet[rng() % alphabet.size()];
    ParsedTemplate parsed = ParseTemplate(text);
    if (!parsed.ok()) {
      EXPECT_GE(parsed.error->position, 1u) << text;
      EXPECT_LE(parsed.error->byte_offset, text.size()) << text;
      EXPECT_FALSE(parsed.error->message.empty());
      continue;
    }
    ++parsed_ok;
    const std::string canonical = Canonical(parsed);
    ParsedTemplate again = ParseTemplate(canonical);
    ASSERT_TRUE(again.ok()) << text << " → " << canonical;
    EXPECT_EQ(Canonical(again), canonical);
  }
  EXPECT_GT(parsed_ok, 1000);  // the generator reaches valid templates too
}

}  // namespace
}  // namespace fazhi::kernel
