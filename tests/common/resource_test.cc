#include "services/common/resource.h"

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
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
  for (const char* bad : {"", "orgs/", "orgs/Lushan", "orgs/1abc", "orgs/a-", "org/a", "orgs/a/b",
                          "orgs/a b", "orgs", "/orgs/a", "orgs/a/", "orgs//a"}) {
    FieldViolations v;
    EXPECT_FALSE(ParseOrgName(bad, "parent", v).has_value()) << bad;
    ASSERT_EQ(v.violations().size(), 1u) << bad;
    EXPECT_EQ(v.violations()[0].field, "parent");
  }
  for (const char* bad :
       {"orgs/a/events/x", "orgs/a/sessions/", "orgs/a/sessions/X", "orgs/a/sessions/x/y",
        "orgs/a/sessions", "/orgs/a/sessions/x", "orgs/a/sessions/x/", "orgs/a//x",
        "orgs//sessions/x", "orgs/a/sessions//x", "orgs"}) {
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

TEST(IdTest, NewIdsAreHexOfTheMillisecondTheyWereMade) {
  const int64_t before = absl::ToUnixMillis(absl::Now());
  const std::string id = NewResourceId();
  const int64_t after = absl::ToUnixMillis(absl::Now());
  EXPECT_TRUE(IsValidResourceId(id));
  ASSERT_EQ(id.size(), 20u);
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
  uint64_t millis = 0;
  ASSERT_TRUE(absl::SimpleHexAtoi(id.substr(0, 11), &millis)) << id;
  EXPECT_GE(static_cast<int64_t>(millis), before);
  EXPECT_LE(static_cast<int64_t>(millis), after);
}

// Distinct and increasing across threads: the sequence is one per process.
TEST(IdTest, NewIdsFromManyThreadsAreDistinctAndEachThreadsIncrease) {
  constexpr int kThreads = 4, kEach = 20000;
  std::vector<std::vector<std::string>> made(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&made, t] {
      for (int i = 0; i < kEach; ++i) made[t].push_back(NewResourceId());
    });
  }
  for (auto& thread : threads) thread.join();
  std::set<std::string> all;
  for (const auto& ids : made) {
    EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
    EXPECT_EQ(std::adjacent_find(ids.begin(), ids.end()), ids.end());
    all.insert(ids.begin(), ids.end());
  }
  EXPECT_EQ(all.size(), static_cast<size_t>(kThreads * kEach));
}

TEST(RequestIdTest, SixteenHexDigitsEachOfWhichVaries) {
  // Every position takes every digit over a few thousand ids: the whole
  // 64-bit draw is written, none of it lost or fixed.
  std::vector<std::set<char>> seen(16);
  std::set<std::string> ids;
  for (int i = 0; i < 4000; ++i) {
    const std::string id = NewRequestId();
    ASSERT_EQ(id.size(), 16u) << id;
    for (size_t p = 0; p < id.size(); ++p) {
      ASSERT_TRUE((id[p] >= '0' && id[p] <= '9') || (id[p] >= 'a' && id[p] <= 'f')) << id;
      seen[p].insert(id[p]);
    }
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 4000u);
  for (size_t p = 0; p < seen.size(); ++p) EXPECT_EQ(seen[p].size(), 16u) << "position " << p;
}

TEST(TimeOrderedIdsTest, CountsUpWithinAMillisecondFromARandomStart) {
  std::mt19937_64 gen(7);
  TimeOrderedIds ids;
  const std::string first = ids.Next(1000, gen);
  EXPECT_EQ(first.substr(0, 11), "000000003e8");
  uint64_t start = 0;
  ASSERT_TRUE(absl::SimpleHexAtoi(first.substr(11), &start));
  EXPECT_LT(start, uint64_t{1} << (TimeOrderedIds::kCounterBits - 1));
  const std::string second = ids.Next(1000, gen);
  uint64_t next = 0;
  ASSERT_TRUE(absl::SimpleHexAtoi(second.substr(11), &next));
  EXPECT_EQ(next, start + 1);
  EXPECT_EQ(second.substr(0, 11), "000000003e8");
}

TEST(TimeOrderedIdsTest, KeepsIncreasingWhenTheClockStepsBack) {
  std::mt19937_64 gen(7);
  TimeOrderedIds ids;
  std::string last = ids.Next(5000, gen);
  for (int64_t now : {4000, 4999, 5000, 1, 5001, 5001, 3}) {
    const std::string id = ids.Next(now, gen);
    EXPECT_GT(id, last) << "at " << now;
    last = id;
  }
  EXPECT_EQ(last.substr(0, 11), "00000001389");  // still 5001
}

TEST(TimeOrderedIdsTest, BorrowsTheNextMillisecondWhenTheCounterRunsOut) {
  std::mt19937_64 gen(7);
  TimeOrderedIds ids(/*counter_bits=*/4);  // a start below 8, at most 16 ids a millisecond
  std::vector<std::string> made;
  for (int i = 0; i < 40; ++i) made.push_back(ids.Next(42, gen));
  EXPECT_TRUE(std::is_sorted(made.begin(), made.end()));
  EXPECT_EQ(std::adjacent_find(made.begin(), made.end()), made.end());
  EXPECT_EQ(made.front().substr(0, 11), "0000000002a");  // 42
  EXPECT_GE(made.back().substr(0, 11), "0000000002c");   // borrowed 43 and 44
  for (const std::string& id : made) {
    uint64_t counter = 0;
    ASSERT_TRUE(absl::SimpleHexAtoi(id.substr(11), &counter));
    EXPECT_LT(counter, 16u) << id;
  }
  // The clock catching up continues after what was borrowed.
  const std::string caught_up = ids.Next(43, gen);
  EXPECT_GT(caught_up, made.back());
}

TEST(FingerprintTest, StableAndSensitive) {
  EXPECT_EQ(Fingerprint("abc"), "e71fa2190541574b");  // FNV-1a 64 of "abc"
  EXPECT_NE(Fingerprint("abc"), Fingerprint("abd"));
}

}  // namespace
}  // namespace fazhi
