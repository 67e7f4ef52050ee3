#ifndef FAZHI_SERVICES_REPORT_DIGEST_H_
#define FAZHI_SERVICES_REPORT_DIGEST_H_

// SHA-256 of published documents, from OpenSSL's libcrypto (EVP), not a
// hand-rolled hash.

#include <string>

#include "absl/strings/string_view.h"

namespace fazhi::report {

// Lowercase hex, 64 characters.
std::string Sha256Hex(absl::string_view bytes);

// Whether `text` is 64 lowercase hex characters.
bool IsSha256Hex(absl::string_view text);

}  // namespace fazhi::report

#endif  // FAZHI_SERVICES_REPORT_DIGEST_H_
