#ifndef FAZHI_SERVICES_COMMON_AUTH_API_KEY_H_
#define FAZHI_SERVICES_COMMON_AUTH_API_KEY_H_

// API keys: "fz_<id>_<secret>", where id is 8 random bytes in hex (names
// the key in lists and logs) and secret is 32 random bytes (256 bits) in
// unpadded base64url. Only the SHA-256 of the whole key is ever stored: a
// 256-bit random secret cannot be guessed from its hash, so a slow password
// hash would only add cost to every call.

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace fazhi::auth {

struct NewApiKey {
  std::string id;
  std::string key;     // shown once to whoever creates it
  std::string sha256;  // lowercase hex, what the keys file keeps
};

absl::StatusOr<NewApiKey> GenerateApiKey();

// The key's id if `key` has the shape of an API key.
std::optional<std::string> ApiKeyId(absl::string_view key);

std::string HashApiKey(absl::string_view key);

// Compares two hex hashes in constant time.
bool HashesEqual(absl::string_view a, absl::string_view b);

}  // namespace fazhi::auth

#endif  // FAZHI_SERVICES_COMMON_AUTH_API_KEY_H_
