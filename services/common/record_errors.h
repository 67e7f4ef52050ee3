#ifndef FAZHI_SERVICES_COMMON_RECORD_ERRORS_H_
#define FAZHI_SERVICES_COMMON_RECORD_ERRORS_H_

// One wording for each condition a record operation meets, the same in
// every service and layer (handler or store), so a caller reads one
// sentence per condition whichever service answers.

#include <cstdint>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace fazhi {

// NOT_FOUND: "<noun> <name> does not exist".
absl::Status NotFoundError(absl::string_view noun, absl::string_view name);

// ALREADY_EXISTS: "<noun> <name> already exists[; <advice>]".
absl::Status AlreadyExistsError(absl::string_view noun, absl::string_view name,
                                absl::string_view advice = "");

// ALREADY_EXISTS for a unique value another record holds:
// "<what> is already used by <holder>[; <advice>]", e.g. what
// `code "C-1"`, holder "orgs/a/powers/p1".
absl::Status TakenError(absl::string_view what, absl::string_view holder,
                        absl::string_view advice = "");

// ABORTED: "etag <expected> is stale: the <noun> is now at <current>; read
// it again and retry".
absl::Status StaleEtagError(absl::string_view noun, int64_t expected_revision,
                            int64_t current_revision);

// StaleEtagError when the caller named a revision that is not `current`.
absl::Status CheckExpectedRevision(absl::string_view noun, std::optional<int64_t> expected,
                                   int64_t current);

// ALREADY_EXISTS: a request id used before for a request with another
// fingerprint (AIP-155).
absl::Status RequestIdReusedError();

}  // namespace fazhi

#endif  // FAZHI_SERVICES_COMMON_RECORD_ERRORS_H_
