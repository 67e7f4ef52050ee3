#include "services/common/http_json/path_template.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace fazhi::http_json {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

PathTemplate Parsed(absl::string_view text) {
  absl::StatusOr<PathTemplate> parsed = PathTemplate::Parse(text);
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  return *parsed;
}

TEST(PathTemplateTest, BindsAVariableOverSeveralSegments) {
  const PathTemplate path = Parsed("/v1/{name=orgs/*/sessions/*}");
  EXPECT_THAT(*path.Match("/v1/orgs/acme/sessions/s1"),
              ElementsAre(Pair("name", "orgs/acme/sessions/s1")));
  EXPECT_FALSE(path.Match("/v1/orgs/acme/sessions").has_value());
  EXPECT_FALSE(path.Match("/v1/orgs/acme/powers/p1").has_value());
  EXPECT_FALSE(path.Match("/v1/orgs//sessions/s1").has_value());
  EXPECT_FALSE(path.Match("/v1/orgs/acme/sessions/s1/more").has_value());
  EXPECT_EQ(path.Shape(), "/v1/orgs/*/sessions/*");
}

TEST(PathTemplateTest, BindsNestedFieldsAndPlainVariables) {
  const PathTemplate path = Parsed("/v1/{org=orgs/*}/reports/{year}/facts");
  EXPECT_THAT(*path.Match("/v1/orgs/acme/reports/2024/facts"),
              ElementsAre(Pair("org", "orgs/acme"), Pair("year", "2024")));
  EXPECT_THAT(path.FieldPaths(), ElementsAre("org", "year"));
  EXPECT_THAT(*Parsed("/v1/{session.name=orgs/*/sessions/*}").Match("/v1/orgs/a/sessions/b"),
              ElementsAre(Pair("session.name", "orgs/a/sessions/b")));
}

TEST(PathTemplateTest, MatchesACustomVerbOnlyWithIt) {
  const PathTemplate path = Parsed("/v1/{parent=orgs/*}/sessions:import");
  EXPECT_TRUE(path.has_verb());
  EXPECT_THAT(*path.Match("/v1/orgs/acme/sessions:import"),
              ElementsAre(Pair("parent", "orgs/acme")));
  EXPECT_FALSE(path.Match("/v1/orgs/acme/sessions").has_value());
  EXPECT_FALSE(path.Match("/v1/orgs/acme/sessions:export").has_value());
  const PathTemplate submit = Parsed("/v1/{name=orgs/*/reports/*}:submit");
  EXPECT_THAT(*submit.Match("/v1/orgs/a/reports/2024:submit"),
              ElementsAre(Pair("name", "orgs/a/reports/2024")));
  EXPECT_EQ(submit.Shape(), "/v1/orgs/*/reports/*:submit");
}

TEST(PathTemplateTest, LiteralOnlyAndRestOfPath) {
  EXPECT_TRUE(Parsed("/v1/orgs").Match("/v1/orgs").has_value());
  EXPECT_FALSE(Parsed("/v1/orgs").Match("/v1/orgs/a").has_value());
  EXPECT_THAT(*Parsed("/v1/{path=files/**}").Match("/v1/files/a/b/c"),
              ElementsAre(Pair("path", "files/a/b/c")));
}

TEST(PathTemplateTest, RefusesMalformedTemplates) {
  for (absl::string_view bad : {"v1/orgs", "/v1/{name=orgs/*", "/v1/{1name}", "/v1/**/orgs",
                                "/v1//orgs", "/v1/{name=orgs/{x}}", "/v1/orgs:"}) {
    EXPECT_FALSE(PathTemplate::Parse(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace fazhi::http_json
