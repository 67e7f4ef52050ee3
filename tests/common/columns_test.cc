#include "services/common/sql/columns.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace fazhi::sql {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Optional;

const std::vector<std::string> kAwkward = {
    "",
    "民法典",
    "say \"hi\"",
    "back\\slash",
    "line\nbreak\ttab\r",
    "\b\f",
    std::string("nul\0x", 5),
    "\x01\x1f",
    "😀 emoji",
    "/slash/",
};

TEST(JsonColumnsTest, ListsRoundTrip) {
  EXPECT_EQ(ListFromJson(ListToJson(kAwkward)), kAwkward);
  EXPECT_EQ(ListToJson({}), "[]");
  EXPECT_THAT(ListFromJson("[]"), IsEmpty());
}

TEST(JsonColumnsTest, WrittenTextIsStandardJson) {
  // Another reader (nlohmann, and so PostgreSQL's jsonb or any tool) reads
  // what we write as the same strings.
  const nlohmann::json parsed = nlohmann::json::parse(ListToJson(kAwkward));
  EXPECT_EQ(parsed.get<std::vector<std::string>>(), kAwkward);
}

TEST(JsonColumnsTest, ReadsTextWrittenByTheEarlierEncoder) {
  // Rows stored before this encoder were written by nlohmann::json::dump.
  EXPECT_EQ(ListFromJson(nlohmann::json(kAwkward).dump()), kAwkward);
  EXPECT_THAT(ListFromJson(R"([ "a" , "\u6c11\u6cd5\u5178", "\ud83d\ude00" ])"),
              ElementsAre("a", "民法典", "😀"));
}

TEST(JsonColumnsTest, MalformedOrOtherShapesReadAsEmptyAndNonStringsAreSkipped) {
  EXPECT_THAT(ListFromJson(""), IsEmpty());
  EXPECT_THAT(ListFromJson("[\"unterminated"), IsEmpty());
  EXPECT_THAT(ListFromJson("{\"a\":1}"), IsEmpty());
  EXPECT_THAT(ListFromJson("\"just a string\""), IsEmpty());
  EXPECT_THAT(ListFromJson(R"(["a", 1, null, {"b": 2}, ["c"], "d"])"), ElementsAre("a", "d"));
}

TEST(JsonColumnsTest, AStringIsEscapedExactlyWhereJsonNeedsIt) {
  std::string json = "x";
  AppendJsonString("", &json);
  AppendJsonString("纯文本 plain", &json);
  AppendJsonString("\"q\" \\ \n\r\t\b\f \x01\x1f\x7f end", &json);
  EXPECT_EQ(json, "x\"\"\"纯文本 plain\"\"\\\"q\\\" \\\\ \\n\\r\\t\\b\\f \\u0001\\u001f\x7f end\"");
  // What it writes reads back as the same text.
  for (const std::string text : {"a\"b\\c", "行\n二", "\x02"}) {
    std::string list = "[";
    AppendJsonString(text, &list);
    list += "]";
    EXPECT_THAT(ListFromJson(list), ElementsAre(text));
  }
}

TEST(JsonColumnsTest, ObjectsOfAnArray) {
  std::string json = "[{\"person_id\":";
  AppendJsonString("p\"1", &json);
  json += ",\"name\":\"张三\",\"head\":true,\"n\":7},\"skipped\",{\"name\":\"李四\"}]";
  std::vector<std::string> seen;
  ForEachJsonObject(json, [&](const JsonObject& o) {
    seen.push_back(o.Text("person_id", "-") + "|" + o.Text("name") + "|" +
                   (o.Bool("head") ? "head" : "member") + "|" + std::to_string(o.Int("n", -1)));
  });
  EXPECT_THAT(seen, ElementsAre("p\"1|张三|head|7", "-|李四|member|-1"));
  int calls = 0;
  ForEachJsonObject("not json", [&](const JsonObject&) { ++calls; });
  ForEachJsonObject("{\"a\":1}", [&](const JsonObject&) { ++calls; });
  EXPECT_EQ(calls, 0);
}

TEST(JsonColumnsTest, AListReadInsideAnObjectCallbackLeavesTheOuterDocumentIntact) {
  std::vector<std::string> names;
  ForEachJsonObject(R"([{"name":"a","laws":"[\"x\"]"},{"name":"b"}])", [&](const JsonObject& o) {
    EXPECT_EQ(ListFromJson(R"(["inner", "list"])").size(), 2u);
    names.push_back(o.Text("name"));
  });
  EXPECT_THAT(names, ElementsAre("a", "b"));
}

TEST(JsonObjectWriterTest, WritesWhatNlohmannWroteByteForByte) {
  // Rows stored before this writer came from nlohmann::json::dump, whose
  // objects are sorted maps: the members here are added out of order.
  JsonObjectWriter inner;
  inner.Text("title", "局长").Text("name", "张三");
  JsonObjectWriter w;
  w.Texts("paragraphs", kAwkward)
      .Int("status", 2)
      .Int("negative", -7)
      .Int("big", int64_t{1739200000000003})
      .Bool("head", true)
      .Bool("acting", false)
      .Null("last")
      .Day("due_date", absl::CivilDay(2025, 6, 30))
      .Day("report_date", std::nullopt)
      .Time("publish_time", absl::FromUnixMicros(1739200000000003))
      .Time("submit_time", std::nullopt)
      .Ints("due", {0, 9, 30})
      .Ints("none", {})
      .Object("signatory", inner)
      .Object("empty", JsonObjectWriter())
      .Objects(
          "items", std::vector<int>{1, 2},
          [](int i, JsonObjectWriter& o) { o.Text("heading", std::string(i, 'x')).Int("item", i); })
      .Objects("no_items", std::vector<int>{}, [](int, JsonObjectWriter&) {});
  for (const std::string& text : kAwkward) w.Text(text, text);  // keys are escaped too

  nlohmann::json expected = {
      {"paragraphs", kAwkward},
      {"status", 2},
      {"negative", -7},
      {"big", int64_t{1739200000000003}},
      {"head", true},
      {"acting", false},
      {"last", nullptr},
      {"due_date", "2025-06-30"},
      {"report_date", nullptr},
      {"publish_time", int64_t{1739200000000003}},
      {"submit_time", nullptr},
      {"due", {0, 9, 30}},
      {"none", nlohmann::json::array()},
      {"signatory", {{"name", "张三"}, {"title", "局长"}}},
      {"empty", nlohmann::json::object()},
      {"items", {{{"heading", "x"}, {"item", 1}}, {{"heading", "xx"}, {"item", 2}}}},
      {"no_items", nlohmann::json::array()}};
  for (const std::string& text : kAwkward) expected[text] = text;
  EXPECT_EQ(w.ToJson(), expected.dump());
}

TEST(JsonObjectWriterTest, EmptyObjectsAndArraysAndTheLastValueOfAKey) {
  EXPECT_EQ(JsonObjectWriter().ToJson(), "{}");
  EXPECT_EQ(ObjectsToJson(std::vector<int>{}, [](int, JsonObjectWriter&) {}), "[]");
  EXPECT_EQ(ObjectsToJson(std::vector<int>{1, 2}, [](int, JsonObjectWriter&) {}), "[{},{}]");
  JsonObjectWriter w;
  w.Text("a", "first").Int("b", 1).Int("a", 2);
  EXPECT_EQ(w.ToJson(), R"({"a":2,"b":1})");
}

TEST(JsonObjectTest, ReadsWhatTheWriterWrote) {
  JsonObjectWriter signatory;
  signatory.Text("name", "张三");
  JsonObjectWriter w;
  w.Texts("paragraphs", kAwkward)
      .Ints("due", {2025, -4, 30})
      .Day("due_date", absl::CivilDay(2024, 2, 29))
      .Day("no_date", std::nullopt)
      .Time("time", absl::FromUnixMicros(-1))
      .Time("no_time", std::nullopt)
      .Object("signatory", signatory)
      .Objects("items", std::vector<int>{1, 2},
               [](int i, JsonObjectWriter& o) { o.Int("item", i); });
  std::vector<int64_t> items;
  std::string name;
  const bool read = ReadJsonObject(w.ToJson(), [&](const JsonObject& o) {
    EXPECT_EQ(o.Texts("paragraphs"), kAwkward);
    EXPECT_THAT(o.Ints("due"), ElementsAre(2025, -4, 30));
    EXPECT_THAT(o.Day("due_date"), Optional(absl::CivilDay(2024, 2, 29)));
    EXPECT_EQ(o.Day("no_date"), std::nullopt);
    EXPECT_THAT(o.Time("time"), Optional(absl::FromUnixMicros(-1)));
    EXPECT_EQ(o.Time("no_time"), std::nullopt);
    EXPECT_TRUE(o.Object("signatory", [&](const JsonObject& s) { name = s.Text("name"); }));
    o.ForEachObject("items", [&](const JsonObject& i) { items.push_back(i.Int("item")); });
  });
  EXPECT_TRUE(read);
  EXPECT_EQ(name, "张三");
  EXPECT_THAT(items, ElementsAre(1, 2));
}

TEST(JsonObjectTest, MissingOrMistypedMembersReadAsFallbacks) {
  const std::string json = R"({"list": ["a", 1, null, "b", {"c": 2}], "ints": [1, "2", 3.5, 4],
      "day": "2025-02-30", "text_day": 20250101, "time": "1739200000000003", "float": 1.5,
      "not_object": [1], "objects": [{"n": 1}, "x", [], {"n": 2}], "not_array": {"n": 1}})";
  int reads = 0;
  ASSERT_TRUE(ReadJsonObject(json, [&](const JsonObject& o) {
    ++reads;
    EXPECT_THAT(o.Texts("list"), ElementsAre("a", "b"));
    EXPECT_THAT(o.Ints("ints"), ElementsAre(1, 4));
    EXPECT_THAT(o.Texts("missing"), IsEmpty());
    EXPECT_THAT(o.Texts("not_array"), IsEmpty());
    EXPECT_THAT(o.Ints("day"), IsEmpty());
    EXPECT_EQ(o.Day("day"), std::nullopt);  // no such day
    EXPECT_EQ(o.Day("text_day"), std::nullopt);
    EXPECT_EQ(o.Day("missing"), std::nullopt);
    EXPECT_EQ(o.Time("time"), std::nullopt);
    EXPECT_EQ(o.Time("float"), std::nullopt);
    EXPECT_EQ(o.Int("float", -1), -1);
    std::vector<int64_t> seen;
    o.ForEachObject("objects", [&](const JsonObject& i) { seen.push_back(i.Int("n")); });
    o.ForEachObject("not_array", [&](const JsonObject& i) { seen.push_back(i.Int("n")); });
    EXPECT_THAT(seen, ElementsAre(1, 2));
  }));
  EXPECT_EQ(reads, 1);
}

TEST(JsonObjectTest, AMissingObjectMemberReadsAsAnEmptyObject) {
  ASSERT_TRUE(ReadJsonObject(R"({"layout": {"preset": 4}, "other": [1]})", [](const JsonObject& o) {
    int64_t preset = -1;
    EXPECT_TRUE(o.Object("layout", [&](const JsonObject& l) { preset = l.Int("preset", 1); }));
    EXPECT_EQ(preset, 4);
    for (const char* key : {"missing", "other"}) {
      int calls = 0;
      EXPECT_FALSE(o.Object(key, [&](const JsonObject& empty) {
        ++calls;
        EXPECT_EQ(empty.Int("preset", 1), 1);
        EXPECT_EQ(empty.Text("name", "-"), "-");
        EXPECT_FALSE(empty.Bool("head"));
        EXPECT_THAT(empty.Texts("list"), IsEmpty());
        EXPECT_THAT(empty.Ints("due"), IsEmpty());
        EXPECT_EQ(empty.Day("due_date"), std::nullopt);
        EXPECT_EQ(empty.Time("time"), std::nullopt);
        // Nested in the empty object: empty again.
        EXPECT_FALSE(empty.Object("deeper", [&](const JsonObject&) { ++calls; }));
        empty.ForEachObject("items", [&](const JsonObject&) { calls += 100; });
      }));
      EXPECT_EQ(calls, 2) << key;
    }
  }));
}

TEST(JsonObjectTest, OnlyAnObjectIsReadAsOne) {
  int calls = 0;
  for (const char* text : {"", "not json", "[]", "[{\"a\":1}]", "\"{}\"", "null", "{\"a\":"}) {
    EXPECT_FALSE(ReadJsonObject(text, [&](const JsonObject&) { ++calls; })) << text;
  }
  EXPECT_EQ(calls, 0);
  EXPECT_TRUE(ReadJsonObject(" {} ", [&](const JsonObject&) { ++calls; }));
  EXPECT_EQ(calls, 1);
}

TEST(JsonObjectTest, AnObjectReadInsideAnotherDocumentsCallbackLeavesItIntact) {
  std::vector<std::string> names;
  ForEachJsonObject(R"([{"name":"a"},{"name":"b"}])", [&](const JsonObject& o) {
    EXPECT_TRUE(ReadJsonObject(R"({"inner": true})",
                               [](const JsonObject& inner) { EXPECT_TRUE(inner.Bool("inner")); }));
    names.push_back(o.Text("name"));
  });
  EXPECT_THAT(names, ElementsAre("a", "b"));
}

}  // namespace
}  // namespace fazhi::sql
