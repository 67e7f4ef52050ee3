#ifndef FAZHI_SERVICES_COMMON_RESOURCE_H_
#define FAZHI_SERVICES_COMMON_RESOURCE_H_

// Resource names (AIP-122), ids, etags and page tokens shared by every
// service.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/random/bit_gen_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/common/validation.h"

namespace fazhi {

// A name of the form orgs/{org}/{collection}/{id}.
struct ChildName {
  std::string org;
  std::string id;
};

// Org slugs and client-chosen ids: [a-z0-9][a-z0-9-]{0,62}, org starting
// with a letter; neither may end with '-'.
bool IsValidOrgId(absl::string_view id);
bool IsValidResourceId(absl::string_view id);

// Parses "orgs/{org}"; adds a violation for `field` when malformed.
std::optional<std::string> ParseOrgName(absl::string_view name, absl::string_view field,
                                        FieldViolations& violations);
// Parses "orgs/{org}/{collection}/{id}".
std::optional<ChildName> ParseChildName(absl::string_view name, absl::string_view collection,
                                        absl::string_view field, FieldViolations& violations);

std::string OrgName(absl::string_view org);
std::string ChildResourceName(absl::string_view org, absl::string_view collection,
                              absl::string_view id);

// A fresh server-side id: 20 lowercase hex characters that sort in the
// order the ids were made (one process-wide TimeOrderedIds).
std::string NewResourceId();

// Ids ordered by time, as UUIDv7 orders them: 44 bits of Unix milliseconds,
// then 36 bits that start at a random point each millisecond and count up.
// So a new row lands at the right edge of every index keyed by its id
// instead of on a random page: a 1,000-row commit rewrites a few index pages,
// not one for nearly every row. One sequence's ids strictly increase, also
// when the clock steps back; two processes making ids in the same
// millisecond (several replicas on one PostgreSQL) meet only if their
// counters overlap, about 2^-35 a pair of ids.
class TimeOrderedIds {
 public:
  static constexpr int kCounterBits = 36;

  // `counter_bits` below 36 only to test running out of a millisecond.
  explicit TimeOrderedIds(int counter_bits = kCounterBits)
      : counter_end_(uint64_t{1} << counter_bits) {}

  // The next id at `unix_millis`; `gen` draws each millisecond's start.
  std::string Next(int64_t unix_millis, absl::BitGenRef gen);

 private:
  uint64_t counter_end_;
  uint64_t millis_ = 0;
  uint64_t counter_ = 0;
};

// A fresh request id for logs: 16 lowercase hex characters.
std::string NewRequestId();

// Etags are opaque to callers; inside they carry the row's revision.
std::string MakeEtag(int64_t revision);
std::optional<int64_t> ParseEtag(absl::string_view etag);
// The revision an etag field names; an empty etag names none (a violation
// of `field` when `required`), a foreign one is a violation.
std::optional<int64_t> ParseEtagField(absl::string_view etag, absl::string_view field,
                                      FieldViolations& violations, bool required = false);

// A stable 64-bit fingerprint (FNV-1a) of a request, as 16 hex characters;
// the same on every replica and release.
std::string Fingerprint(absl::string_view bytes);

inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 1000;

// 0 → default; negative or above kMaxPageSize → violation.
int ResolvePageSize(int requested, absl::string_view field, FieldViolations& violations);

// A page also ends early rather than outgrow the message limit: once the
// records taken pass kMaxPageBytes (a quarter of the default
// --max_message_bytes) it ends there, and its next_page_token continues
// after its last record. A page holds at least one record, so a record
// that is itself near the limit still comes back alone.
inline constexpr size_t kMaxPageBytes = 1 << 20;

// Converts up to `page_size` of `records` (fetched with one more than the
// page, to tell whether another page exists) with `to_proto` into `items`,
// within kMaxPageBytes. Returns how many it took; `more` says whether a
// next page exists (its position is after records[taken - 1]).
template <typename Records, typename Items, typename ToProto>
size_t FillPage(const Records& records, int page_size, Items* items, ToProto to_proto, bool* more) {
  size_t taken = 0;
  size_t bytes = 0;
  for (const auto& record : records) {
    if (static_cast<int>(taken) == page_size) break;
    auto proto = to_proto(record);
    bytes += proto.ByteSizeLong();
    if (taken > 0 && bytes > kMaxPageBytes) break;
    *items->Add() = std::move(proto);
    ++taken;
  }
  *more = taken < records.size();
  return taken;
}

// A page token binds the position after the last row returned (the sort
// key parts) to the query it came from: a token replayed with different
// filters is rejected.
std::string EncodePageToken(absl::string_view query, const std::vector<std::string>& position);
// Empty token → empty position. Malformed or foreign → violation.
std::vector<std::string> DecodePageToken(absl::string_view token, absl::string_view query,
                                         absl::string_view field, FieldViolations& violations);
// The position of a "page_token" that must have `parts` strings, each
// acceptable to `valid` when given; otherwise a violation (and no
// position).
std::vector<std::string> DecodePagePosition(
    absl::string_view token, absl::string_view query, size_t parts, FieldViolations& violations,
    const std::function<bool(const std::vector<std::string>&)>& valid = nullptr);

}  // namespace fazhi

#endif  // FAZHI_SERVICES_COMMON_RESOURCE_H_
