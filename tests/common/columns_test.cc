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

const std::vector<std::string> kAwkward = {
    "",         "民法典",          "say \"hi\"",  "back\\slash", "line\nbreak\ttab\r",
    "\b\f",     std::string("nul\0x", 5), "\x01\x1f", "😀 emoji",   "/slash/",
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

}  // namespace
}  // namespace fazhi::sql
