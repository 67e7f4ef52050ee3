#ifndef FAZHI_SERVICES_COMMON_RECORD_H_
#define FAZHI_SERVICES_COMMON_RECORD_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace fazhi {

// Fields every stored, tenant-scoped record carries.
struct RecordMeta {
  std::string org;
  std::string id;
  int64_t revision = 0;  // starts at 1, +1 per update; the etag
  absl::Time create_time;
  absl::Time update_time;
};

// How a bulk import treats a row whose external id already exists.
enum class ImportMode { kCreateOnly, kUpsert };

// What happened to one row of an import batch.
struct ImportOutcome {
  absl::Status status;  // OK when stored
  std::string id;       // id of the stored row
  bool replaced = false;
};

// An idempotent create (AIP-155): a retry with the same request id and
// fingerprint gets the first result; the same id with another fingerprint
// is refused.
struct IdempotencyKey {
  std::string request_id;   // empty: not idempotent
  std::string fingerprint;  // of the request without its request id
};

}  // namespace fazhi

#endif  // FAZHI_SERVICES_COMMON_RECORD_H_
