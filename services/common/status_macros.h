#ifndef FAZHI_SERVICES_COMMON_STATUS_MACROS_H_
#define FAZHI_SERVICES_COMMON_STATUS_MACROS_H_

// Debian's Abseil ships no status macros; these are the two every fallible
// call chain needs.

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define FAZHI_STATUS_CONCAT_INNER(a, b) a##b
#define FAZHI_STATUS_CONCAT(a, b) FAZHI_STATUS_CONCAT_INNER(a, b)

// Returns from the enclosing function when `expr` is not OK.
#define RETURN_IF_ERROR(expr)                      \
  do {                                             \
    ::absl::Status fazhi_status_ = (expr);         \
    if (!fazhi_status_.ok()) return fazhi_status_; \
  } while (false)

// `ASSIGN_OR_RETURN(auto x, MakeX());` declares or assigns `x` from the
// value of a StatusOr, or returns its error.
#define ASSIGN_OR_RETURN(lhs, expr) \
  FAZHI_ASSIGN_OR_RETURN_IMPL(FAZHI_STATUS_CONCAT(fazhi_statusor_, __LINE__), lhs, expr)

#define FAZHI_ASSIGN_OR_RETURN_IMPL(statusor, lhs, expr)   \
  auto statusor = (expr);                                  \
  if (!statusor.ok()) return std::move(statusor).status(); \
  lhs = std::move(statusor).value()

#endif  // FAZHI_SERVICES_COMMON_STATUS_MACROS_H_
