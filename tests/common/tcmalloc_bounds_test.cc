// Built only with FAZHI_ALLOCATOR=tcmalloc, linked as a server is
// (fazhi_server): the allocator is tcmalloc, its thread caches bounded.

#include <gperftools/malloc_extension.h>

#include <cstddef>
#include <cstdlib>
#include <memory>

#include "gtest/gtest.h"

namespace {

TEST(TcmallocBoundsTest, TheServersAllocateWithTcmalloc) {
  size_t before = 0;
  ASSERT_TRUE(
      MallocExtension::instance()->GetNumericProperty("generic.current_allocated_bytes", &before));
  auto block = std::make_unique<char[]>(size_t{1} << 20);
  block[0] = 1;
  size_t during = 0;
  ASSERT_TRUE(
      MallocExtension::instance()->GetNumericProperty("generic.current_allocated_bytes", &during));
  EXPECT_GE(during, before + (size_t{1} << 20));  // glibc's blocks would not count
}

TEST(TcmallocBoundsTest, ThreadCachesAreBoundedBeforeTheFirstCall) {
  if (std::getenv("TCMALLOC_MAX_TOTAL_THREAD_CACHE_BYTES") != nullptr) {
    GTEST_SKIP() << "tcmalloc's own variable is set and wins";
  }
  size_t bound = 0;
  ASSERT_TRUE(MallocExtension::instance()->GetNumericProperty(
      "tcmalloc.max_total_thread_cache_bytes", &bound));
  EXPECT_EQ(bound, size_t{4} << 20);  // tcmalloc's default is 32 MiB
}

}  // namespace
