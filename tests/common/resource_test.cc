#include "services/common/resource.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace fazhi {
namespace {

TEST(ResourceNameTest, ParsesOrgAndChildNames) {
  FieldViolations v;
  EXPECT_EQ(ParseOrgName("orgs/lushan-minzheng", "parent", v), "lushan-minzheng");
  auto child = ParseChildName("orgs/lushan-minzheng/sessions/abc123", "sessions", "name", v);
  ASSERT_TRUE(child.has_value());
  EXPECT_EQ(child->org, "lushan-minzheng");
  EXPECT_EQ(child->id, "abc123");
  EXPECT_TRUE(v.empty());
}

TEST(ResourceNameTest, RejectsMalformedNames) {
  for (const char* bad :
       {"", "orgs/", "orgs/Lushan", "orgs/1abc", "orgs/a-", "org/a", "orgs/a/b", "orgs/a b"}) {
    FieldViolations v;
    EXPECT_FALSE(ParseOrgName(bad, "parent", v).has_value()) << bad;
    ASSERT_EQ(v.violations().size(), 1u) << bad;
    EXPECT_EQ(v.violations()[0].field, "parent");
  }
  for (const char* bad :
       {"orgs/a/events/x", "orgs/a/sessions/", "orgs/a/sessions/X", "orgs/a/sessions/x/y"}) {
    FieldViolations v;
    EXPECT_FALSE(ParseChildName(bad, "sessions", "name", v).has_value()) << bad;
  }
}

TEST(EtagTest, RoundTripsAndRejectsForeign) {
  EXPECT_EQ(ParseEtag(MakeEtag(42)), 42);
  EXPECT_FALSE(ParseEtag("42").has_value());
  EXPECT_FALSE(ParseEtag("W/\"x\"").has_value());
}

TEST(EtagFieldTest, EmptyIsNoneOrRequiredAndForeignIsAViolation) {
  FieldViolations v;
  EXPECT_EQ(ParseEtagField(MakeEtag(3), "x.etag", v), 3);
  EXPECT_EQ(ParseEtagField("", "x.etag", v), std::nullopt);
  EXPECT_TRUE(v.empty());
  EXPECT_EQ(ParseEtagField("", "x.etag", v, /*required=*/true), std::nullopt);
  EXPECT_EQ(ParseEtagField("3", "etag", v), std::nullopt);
  ASSERT_EQ(v.violations().size(), 2u);
  EXPECT_EQ(v.violations()[0].field, "x.etag");
  EXPECT_EQ(v.violations()[0].description,
            "is required: read the resource and send the etag it carries");
  EXPECT_EQ(v.violations()[1].field, "etag");
  EXPECT_EQ(v.violations()[1].description, "is not an etag this service issued");
}

TEST(PagePositionTest, NeedsTheNumberOfPartsAndWhatValidAccepts) {
  const std::string two = EncodePageToken("q", {"2024-03-01", "abc"});
  FieldViolations v;
  EXPECT_TRUE(DecodePagePosition("", "q", 2, v).empty());
  EXPECT_THAT(DecodePagePosition(two, "q", 2, v), ::testing::ElementsAre("2024-03-01", "abc"));
  EXPECT_TRUE(v.empty());

  auto refused = [&](const std::string& token, size_t parts, auto valid) {
    FieldViolations violations;
    EXPECT_TRUE(DecodePagePosition(token, "q", parts, violations, valid).empty());
    return violations.violations().size() == 1 &&
           violations.violations()[0].field == "page_token" &&
           violations.violations()[0].description == "is not a page token issued by this service";
  };
  const auto any = [](const std::vector<std::string>&) { return true; };
  const auto none = [](const std::vector<std::string>&) { return false; };
  EXPECT_TRUE(refused(two, 1, any));
  EXPECT_TRUE(refused(two, 2, none));
  EXPECT_TRUE(refused("!!", 2, any));
  // A token of another query says so, once.
  FieldViolations other;
  DecodePagePosition(EncodePageToken("p", {"a"}), "q", 1, other);
  ASSERT_EQ(other.violations().size(), 1u);
  EXPECT_EQ(other.violations()[0].description,
            "was issued for a different query; keep the same filters");
}

TEST(PageTokenTest, RoundTripsPosition) {
  FieldViolations v;
  std::string token = EncodePageToken("org|2024", {"2024-03-01", "abc"});
  EXPECT_THAT(DecodePageToken(token, "org|2024", "page_token", v),
              ::testing::ElementsAre("2024-03-01", "abc"));
  EXPECT_TRUE(v.empty());
}

TEST(PageTokenTest, RejectsOtherQueriesAndGarbage) {
  std::string token = EncodePageToken("org|2024", {"2024-03-01", "abc"});
  FieldViolations other;
  EXPECT_TRUE(DecodePageToken(token, "org|2023", "page_token", other).empty());
  EXPECT_EQ(other.violations().size(), 1u);
  FieldViolations garbage;
  EXPECT_TRUE(DecodePageToken("!!not-base64!!", "q", "page_token", garbage).empty());
  EXPECT_EQ(garbage.violations().size(), 1u);
}

TEST(PageSizeTest, DefaultsAndLimits) {
  FieldViolations v;
  EXPECT_EQ(ResolvePageSize(0, "page_size", v), kDefaultPageSize);
  EXPECT_EQ(ResolvePageSize(7, "page_size", v), 7);
  EXPECT_EQ(ResolvePageSize(kMaxPageSize, "page_size", v), kMaxPageSize);
  EXPECT_TRUE(v.empty());
  ResolvePageSize(kMaxPageSize + 1, "page_size", v);
  ResolvePageSize(-1, "page_size", v);
  EXPECT_EQ(v.violations().size(), 2u);
}

TEST(IdTest, NewIdsAreValidAndDistinct) {
  std::string a = NewResourceId(), b = NewResourceId();
  EXPECT_TRUE(IsValidResourceId(a));
  EXPECT_NE(a, b);
  EXPECT_EQ(a.size(), 16u);
}

TEST(FingerprintTest, StableAndSensitive) {
  EXPECT_EQ(Fingerprint("abc"), "e71fa2190541574b");  // FNV-1a 64 of "abc"
  EXPECT_NE(Fingerprint("abc"), Fingerprint("abd"));
}

}  // namespace
}  // namespace fazhi
