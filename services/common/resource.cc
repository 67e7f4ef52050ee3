#include "services/common/resource.h"

#include <algorithm>
#include <array>

#include "absl/base/thread_annotations.h"
#include "absl/random/random.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace fazhi {
namespace {

constexpr absl::string_view kTokenVersion = "p1";
constexpr char kTokenSeparator = '\x1f';

bool IsSlug(absl::string_view id) {
  if (id.empty() || id.size() > 63 || id.back() == '-') return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return id.front() != '-';
}

// Sixteen lowercase hex digits of a random 64-bit number. By hand: every
// call without an x-request-id makes one, and StrFormat was most of that.
std::string RandomHex() {
  static thread_local absl::BitGen gen;
  uint64_t bits = absl::Uniform<uint64_t>(gen);
  std::string hex(16, '0');
  for (int i = 15; i >= 0; --i, bits >>= 4) hex[i] = "0123456789abcdef"[bits & 0xf];
  return hex;
}

// `name` split at '/' into `parts`, when it has exactly that many; without
// a vector, as every read parses its name.
template <size_t N>
bool SplitExactly(absl::string_view name, std::array<absl::string_view, N>& parts) {
  for (size_t i = 0; i + 1 < N; ++i) {
    const size_t slash = name.find('/');
    if (slash == absl::string_view::npos) return false;
    parts[i] = name.substr(0, slash);
    name.remove_prefix(slash + 1);
  }
  if (name.find('/') != absl::string_view::npos) return false;
  parts[N - 1] = name;
  return true;
}

}  // namespace

bool IsValidOrgId(absl::string_view id) {
  return IsSlug(id) && id.front() >= 'a' && id.front() <= 'z';
}
bool IsValidResourceId(absl::string_view id) { return IsSlug(id); }

std::optional<std::string> ParseOrgName(absl::string_view name, absl::string_view field,
                                        FieldViolations& violations) {
  std::array<absl::string_view, 2> parts;
  if (name.empty()) {
    violations.Add(std::string(field), "is required (orgs/{org})");
  } else if (!SplitExactly(name, parts) || parts[0] != "orgs" || !IsValidOrgId(parts[1])) {
    violations.Add(std::string(field),
                   "must be orgs/{org} with {org} a lowercase slug like lushan-minzheng");
  } else {
    return std::string(parts[1]);
  }
  return std::nullopt;
}

std::optional<ChildName> ParseChildName(absl::string_view name, absl::string_view collection,
                                        absl::string_view field, FieldViolations& violations) {
  std::array<absl::string_view, 4> parts;
  if (name.empty()) {
    violations.Add(std::string(field),
                   absl::StrCat("is required (orgs/{org}/", collection, "/{id})"));
  } else if (!SplitExactly(name, parts) || parts[0] != "orgs" || !IsValidOrgId(parts[1]) ||
             parts[2] != collection || !IsValidResourceId(parts[3])) {
    violations.Add(std::string(field), absl::StrCat("must be orgs/{org}/", collection, "/{id}"));
  } else {
    return ChildName{std::string(parts[1]), std::string(parts[3])};
  }
  return std::nullopt;
}

std::string OrgName(absl::string_view org) { return absl::StrCat("orgs/", org); }

std::string ChildResourceName(absl::string_view org, absl::string_view collection,
                              absl::string_view id) {
  return absl::StrCat("orgs/", org, "/", collection, "/", id);
}

std::string TimeOrderedIds::Next(int64_t unix_millis, absl::BitGenRef gen) {
  // The start stays in the lower half, so a millisecond has at least 2^35
  // ids before it must borrow the next one.
  auto draw_start = [&] { return absl::Uniform<uint64_t>(gen, 0, counter_end_ / 2); };
  const uint64_t now = static_cast<uint64_t>(std::max<int64_t>(unix_millis, 0));
  if (now > millis_) {
    millis_ = now;
    counter_ = draw_start();
  } else if (++counter_ == counter_end_) {  // same millisecond or the clock stepped back
    ++millis_;
    counter_ = draw_start();
  }
  return absl::StrFormat("%011x%09x", millis_, counter_);
}

std::string NewResourceId() {
  struct Shared {
    absl::Mutex mu;
    TimeOrderedIds ids ABSL_GUARDED_BY(mu);
    absl::BitGen gen ABSL_GUARDED_BY(mu);
  };
  static Shared* const shared = new Shared;  // never destroyed: ids are made until exit
  const int64_t now = absl::ToUnixMillis(absl::Now());
  absl::MutexLock lock(&shared->mu);
  return shared->ids.Next(now, shared->gen);
}
std::string NewRequestId() { return RandomHex(); }

std::string Fingerprint(absl::string_view bytes) {
  uint64_t hash = 14695981039346656037ULL;
  for (char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  return absl::StrFormat("%016x", hash);
}

std::string MakeEtag(int64_t revision) { return absl::StrCat("W/\"", revision, "\""); }

std::optional<int64_t> ParseEtag(absl::string_view etag) {
  int64_t revision;
  if (etag.size() < 5 || etag.substr(0, 3) != "W/\"" || etag.back() != '"' ||
      !absl::SimpleAtoi(etag.substr(3, etag.size() - 4), &revision)) {
    return std::nullopt;
  }
  return revision;
}

std::optional<int64_t> ParseEtagField(absl::string_view etag, absl::string_view field,
                                      FieldViolations& violations, bool required) {
  if (etag.empty()) {
    if (required) {
      violations.Add(std::string(field),
                     "is required: read the resource and send the etag it carries");
    }
    return std::nullopt;
  }
  std::optional<int64_t> revision = ParseEtag(etag);
  if (!revision) violations.Add(std::string(field), "is not an etag this service issued");
  return revision;
}

int ResolvePageSize(int requested, absl::string_view field, FieldViolations& violations) {
  if (requested == 0) return kDefaultPageSize;
  if (requested < 0 || requested > kMaxPageSize) {
    violations.Add(std::string(field),
                   absl::StrCat("must be between 0 and ", kMaxPageSize, " (got ", requested, ")"));
    return kDefaultPageSize;
  }
  return requested;
}

std::string EncodePageToken(absl::string_view query, const std::vector<std::string>& position) {
  std::string raw = absl::StrCat(kTokenVersion, std::string(1, kTokenSeparator), query,
                                 std::string(1, kTokenSeparator),
                                 absl::StrJoin(position, std::string(1, kTokenSeparator)));
  return absl::WebSafeBase64Escape(raw);
}

std::vector<std::string> DecodePageToken(absl::string_view token, absl::string_view query,
                                         absl::string_view field, FieldViolations& violations) {
  if (token.empty()) return {};
  std::string raw;
  if (token.size() > 4096 || !absl::WebSafeBase64Unescape(token, &raw)) {
    violations.Add(std::string(field), "is not a page token issued by this service");
    return {};
  }
  std::vector<std::string> parts = absl::StrSplit(raw, kTokenSeparator);
  if (parts.size() < 3 || parts[0] != kTokenVersion) {
    violations.Add(std::string(field), "is not a page token issued by this service");
    return {};
  }
  if (parts[1] != query) {
    violations.Add(std::string(field), "was issued for a different query; keep the same filters");
    return {};
  }
  return std::vector<std::string>(parts.begin() + 2, parts.end());
}

std::vector<std::string> DecodePagePosition(
    absl::string_view token, absl::string_view query, size_t parts, FieldViolations& violations,
    const std::function<bool(const std::vector<std::string>&)>& valid) {
  std::vector<std::string> position = DecodePageToken(token, query, "page_token", violations);
  if (token.empty() || !violations.empty()) return position;
  if (position.size() != parts || (valid && !valid(position))) {
    violations.Add("page_token", "is not a page token issued by this service");
    return {};
  }
  return position;
}

}  // namespace fazhi
