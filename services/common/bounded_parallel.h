#ifndef FAZHI_SERVICES_COMMON_BOUNDED_PARALLEL_H_
#define FAZHI_SERVICES_COMMON_BOUNDED_PARALLEL_H_

#include <cstddef>
#include <functional>

namespace fazhi {

// Calls `work(i)` once for every i in [0, count), at most `workers` at a
// time, and returns when all are done. For fan-outs whose size comes from
// the data (a supervisor's thousands of organizations): a thread per item
// would exhaust the process and flood the services it calls.
void ForEachBounded(size_t count, size_t workers, const std::function<void(size_t)>& work);

}  // namespace fazhi

#endif  // FAZHI_SERVICES_COMMON_BOUNDED_PARALLEL_H_
