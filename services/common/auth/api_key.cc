#include "services/common/auth/api_key.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/kernel/digest.h"

namespace fazhi::auth {
namespace {

constexpr absl::string_view kPrefix = "fz_";
constexpr size_t kIdBytes = 8;
constexpr size_t kSecretBytes = 32;
constexpr size_t kSecretChars = 43;  // base64url of 32 bytes, unpadded

absl::StatusOr<std::string> RandomBytes(size_t n) {
  std::string bytes(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(n)) != 1) {
    return absl::InternalError("the system random source failed");
  }
  return bytes;
}

}  // namespace

absl::StatusOr<NewApiKey> GenerateApiKey() {
  absl::StatusOr<std::string> id = RandomBytes(kIdBytes);
  if (!id.ok()) return id.status();
  absl::StatusOr<std::string> secret = RandomBytes(kSecretBytes);
  if (!secret.ok()) return secret.status();
  NewApiKey key;
  key.id = absl::BytesToHexString(*id);
  key.key = absl::StrCat(kPrefix, key.id, "_", absl::WebSafeBase64Escape(*secret));
  key.sha256 = HashApiKey(key.key);
  return key;
}

std::optional<std::string> ApiKeyId(absl::string_view key) {
  if (!absl::StartsWith(key, kPrefix)) return std::nullopt;
  key.remove_prefix(kPrefix.size());
  if (key.size() != kIdBytes * 2 + 1 + kSecretChars || key[kIdBytes * 2] != '_')
    return std::nullopt;
  absl::string_view id = key.substr(0, kIdBytes * 2);
  for (char c : id) {
    if (!absl::ascii_isxdigit(c) || absl::ascii_isupper(c)) return std::nullopt;
  }
  for (char c : key.substr(kIdBytes * 2 + 1)) {
    if (!absl::ascii_isalnum(c) && c != '-' && c != '_') return std::nullopt;
  }
  return std::string(id);
}

std::string HashApiKey(absl::string_view key) { return kernel::Sha256Hex(key); }

bool HashesEqual(absl::string_view a, absl::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace fazhi::auth
