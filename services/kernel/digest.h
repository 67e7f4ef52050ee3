#ifndef FAZHI_SERVICES_KERNEL_DIGEST_H_
#define FAZHI_SERVICES_KERNEL_DIGEST_H_

// SHA-256 from OpenSSL's libcrypto (EVP), not a hand-rolled hash: the one
// hash of published documents and of API keys.

#include <string>

#include "absl/strings/string_view.h"

namespace fazhi::kernel {

// Lowercase hex, 64 characters.
std::string Sha256Hex(absl::string_view bytes);

// Whether `text` is 64 lowercase hex characters.
bool IsSha256Hex(absl::string_view text);

}  // namespace fazhi::kernel

#endif  // FAZHI_SERVICES_KERNEL_DIGEST_H_
