// Linked into every server built with tcmalloc (CMake's fazhi_server), never
// into a library: bounds the allocator's per-thread caches before the first
// call. tcmalloc's default lets them grow to 32 MiB together, which a
// server's resident size then shows as growth under load for minutes
// (tests/reliability/load_test.py bounds that growth, as it would a leak);
// 4 MiB kept the small reads' gain (docs/performance.md, fourteenth round).
// TCMALLOC_MAX_TOTAL_THREAD_CACHE_BYTES, when set, is tcmalloc's own and wins.

#include <gperftools/malloc_extension.h>

#include <cstddef>
#include <cstdlib>

namespace {

constexpr size_t kThreadCacheBytes = size_t{4} << 20;

const bool kThreadCachesBounded = [] {
  if (std::getenv("TCMALLOC_MAX_TOTAL_THREAD_CACHE_BYTES") != nullptr) return false;
  return MallocExtension::instance()->SetNumericProperty("tcmalloc.max_total_thread_cache_bytes",
                                                         kThreadCacheBytes);
}();

}  // namespace
