#ifndef FAZHI_SERVICES_COMMON_AUTH_KEYS_FILE_H_
#define FAZHI_SERVICES_COMMON_AUTH_KEYS_FILE_H_

// The keys file: every caller, its roles, its API keys (as SHA-256 hashes
// only) and the client-certificate names that identify it. Ops mount it as
// a secret; services reload it on SIGHUP; `fazhi keys` edits it.
//
// {
//   "callers": [{
//     "name": "minzheng-editor",
//     "roles": [{"role": "editor", "orgs": ["lushan-minzheng"]}],
//     "certificate_names": ["oa.minzheng.example"],
//     "delegate": false,
//     "keys": [{"id": "3f9a…", "sha256": "…", "created": "2026-…Z", "revoked": ""}]
//   }]
// }

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/common/auth/principal.h"

namespace fazhi::auth {

struct KeyEntry {
  std::string id;
  std::string sha256;
  std::string created;  // RFC 3339
  std::string revoked;  // RFC 3339; empty while the key is valid
};

struct CallerEntry {
  std::string name;
  std::vector<RoleBinding> roles;
  // Common names or DNS subject alternative names of client certificates
  // (verified by the server's client CA) that authenticate this caller.
  std::vector<std::string> certificate_names;
  // May name another caller in x-fazhi-on-behalf-of (the gateway does this
  // for callers it authenticated by certificate).
  bool delegate = false;
  std::vector<KeyEntry> keys;
};

struct KeysFile {
  std::vector<CallerEntry> callers;

  CallerEntry* FindCaller(absl::string_view name);
  const CallerEntry* FindCaller(absl::string_view name) const;
};

// Parses and checks a keys file: unique caller names, known roles, valid
// organization ids, unique key ids, well-formed hashes, unique certificate
// names. Every problem is listed in the error.
absl::StatusOr<KeysFile> ParseKeysFile(absl::string_view json);
absl::StatusOr<KeysFile> LoadKeysFile(const std::string& path);

std::string SerializeKeysFile(const KeysFile& file);
// Writes atomically (temporary file, fsync, rename) with mode 0600.
absl::Status SaveKeysFile(const std::string& path, const KeysFile& file);

}  // namespace fazhi::auth

#endif  // FAZHI_SERVICES_COMMON_AUTH_KEYS_FILE_H_
