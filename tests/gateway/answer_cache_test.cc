#include "services/gateway/answer_cache.h"

#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/field_mask.pb.h"
#include "gtest/gtest.h"

namespace fazhi::gateway {
namespace {

using ::testing::HasSubstr;
using Mask = google::protobuf::FieldMask;

std::shared_ptr<const Mask> MaskOf(size_t bytes) {
  auto mask = std::make_shared<Mask>();
  mask->add_paths(std::string(bytes, 'p'));
  return mask;
}

// What Put counts for a mask of MaskOf(bytes) under a one-byte key and a
// one-byte etag.
size_t Cost(size_t bytes) { return MaskOf(bytes)->ByteSizeLong() + 2; }

TEST(AnswerCacheTest, HoldsTheLatestAnswerAndItsEtagByKey) {
  AnswerCache cache(1 << 20);
  std::string etag;
  EXPECT_EQ(cache.Get<Mask>("k", &etag), nullptr);
  cache.Put("k", "1", MaskOf(10));
  cache.Put("k", "2", MaskOf(20));
  auto held = cache.Get<Mask>("k", &etag);
  ASSERT_NE(held, nullptr);
  EXPECT_EQ(etag, "2");
  EXPECT_EQ(held->paths(0).size(), 20u);
  EXPECT_EQ(cache.counts().entries, 1);
  EXPECT_EQ(cache.counts().bytes, static_cast<int64_t>(Cost(20)));
}

TEST(AnswerCacheTest, DropsTheLeastRecentlyUsedPastTheBudget) {
  AnswerCache cache(3 * Cost(100));
  cache.Put("a", "e", MaskOf(100));
  cache.Put("b", "e", MaskOf(100));
  cache.Put("c", "e", MaskOf(100));
  std::string etag;
  ASSERT_NE(cache.Get<Mask>("a", &etag), nullptr);  // a used: b is the oldest now
  cache.Put("d", "e", MaskOf(100));
  EXPECT_NE(cache.Get<Mask>("a", &etag), nullptr);
  EXPECT_EQ(cache.Get<Mask>("b", &etag), nullptr);
  EXPECT_NE(cache.Get<Mask>("c", &etag), nullptr);
  EXPECT_NE(cache.Get<Mask>("d", &etag), nullptr);
  EXPECT_LE(cache.counts().bytes, static_cast<int64_t>(3 * Cost(100)));
  // One answer over the whole budget is not held, and takes nothing out.
  cache.Put("big", "e", MaskOf(4 * 100));
  EXPECT_EQ(cache.Get<Mask>("big", &etag), nullptr);
  EXPECT_EQ(cache.counts().entries, 3);
}

TEST(AnswerCacheTest, ABudgetOfNothingHoldsNothing) {
  AnswerCache cache(0);
  cache.Put("k", "e", MaskOf(1));
  std::string etag;
  EXPECT_EQ(cache.Get<Mask>("k", &etag), nullptr);
  EXPECT_EQ(cache.counts().entries, 0);
  EXPECT_EQ(cache.counts().bytes, 0);
}

TEST(AnswerCacheTest, KeysNameTheTypeAndTheRequest) {
  Mask a, b;
  a.add_paths("x");
  b.add_paths("y");
  EXPECT_EQ(AnswerCache::KeyFor(a), AnswerCache::KeyFor(a));
  EXPECT_NE(AnswerCache::KeyFor(a), AnswerCache::KeyFor(b));
  EXPECT_THAT(AnswerCache::KeyFor(a), ::testing::StartsWith("google.protobuf.FieldMask|"));
}

TEST(AnswerCacheTest, ManyThreadsStayWithinTheBudget) {
  AnswerCache cache(50 * Cost(100));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&cache, t] {
      std::string etag;
      for (int i = 0; i < 2000; ++i) {
        const std::string key(1, static_cast<char>('a' + (i * 7 + t) % 26));
        cache.Put(key + std::to_string(i % 90), "e", MaskOf(100));
        cache.Get<Mask>(key, &etag);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_LE(cache.counts().bytes, static_cast<int64_t>(50 * Cost(100)));
  EXPECT_GT(cache.counts().entries, 0);
}

TEST(AnswerCacheTest, CountsInPrometheusText) {
  AnswerCache answers(1 << 20), composed(1 << 20);
  answers.Put("k", "e", MaskOf(10));
  answers.CountReuse();
  answers.CountReuse();
  const std::string text =
      AnswerCache::PrometheusText({{"answers", &answers}, {"composed", &composed}});
  EXPECT_THAT(text, HasSubstr("fazhi_gateway_held_entries{cache=\"answers\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("fazhi_gateway_held_entries{cache=\"composed\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("fazhi_gateway_held_reused_total{cache=\"answers\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE fazhi_gateway_held_bytes gauge\n"));
}

}  // namespace
}  // namespace fazhi::gateway
