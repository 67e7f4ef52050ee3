#include "services/cli/keys_commands.h"

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "services/common/auth/api_key.h"
#include "services/common/auth/keys_file.h"

namespace fazhi::cli {
namespace {

std::string KeysPath(const Flags& flags) {
  const char* env = std::getenv("FAZHI_KEYS_FILE");
  return Flag(flags, "keys_file", env == nullptr ? "" : env);
}

// "editor:org-a,org-b approver:org-a" (spaces or ; between bindings).
absl::StatusOr<std::vector<auth::RoleBinding>> ParseRoles(const std::string& text) {
  std::vector<auth::RoleBinding> bindings;
  for (absl::string_view part : absl::StrSplit(text, absl::ByAnyChar(" ;"), absl::SkipEmpty())) {
    std::vector<std::string> halves = absl::StrSplit(part, absl::MaxSplits(':', 1));
    std::optional<auth::Role> role = auth::ParseRole(halves[0]);
    if (!role || halves.size() != 2 || halves[1].empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--roles: \"", part,
                       "\" must be ROLE:ORG[,ORG...] with ROLE one of reader, editor, "
                       "approver, supervisor, admin and ORG an organization id or *"));
    }
    bindings.push_back({*role, absl::StrSplit(halves[1], ',', absl::SkipEmpty())});
  }
  return bindings;
}

std::string Now() { return absl::FormatTime(absl::RFC3339_sec, absl::Now(), absl::UTCTimeZone()); }

absl::StatusOr<auth::KeysFile> LoadOrEmpty(const std::string& path) {
  if (!std::filesystem::exists(path)) return auth::KeysFile{};
  return auth::LoadKeysFile(path);
}

// Saves after checking the result parses back: never write a file the
// services would refuse.
int Save(const std::string& path, const auth::KeysFile& file) {
  if (absl::StatusOr<auth::KeysFile> check = auth::ParseKeysFile(auth::SerializeKeysFile(file));
      !check.ok()) {
    return Usage(std::string(check.status().message()));
  }
  if (absl::Status saved = auth::SaveKeysFile(path, file); !saved.ok()) {
    std::cerr << "fazhi: " << saved.message() << "\n";
    return kExitCallFailed;
  }
  std::cerr << "saved " << path << "; send SIGHUP to the services (or restart them) to apply\n";
  return kExitOk;
}

}  // namespace

int KeysCreate(const Flags& flags) {
  const std::string path = KeysPath(flags);
  const std::string caller_name = Flag(flags, "caller");
  if (path.empty()) return Usage("keys create needs --keys_file (or $FAZHI_KEYS_FILE)");
  if (caller_name.empty()) return Usage("keys create needs --caller=NAME");
  absl::StatusOr<auth::KeysFile> file = LoadOrEmpty(path);
  if (!file.ok()) return Usage(std::string(file.status().message()));

  auth::CallerEntry* caller = file->FindCaller(caller_name);
  const bool existing = caller != nullptr;
  if (caller == nullptr) {
    if (!flags.count("roles")) return Usage("a new caller needs --roles=ROLE:ORG[,ORG] ...");
    file->callers.push_back(auth::CallerEntry{caller_name, {}, {}, false, {}});
    caller = &file->callers.back();
  }
  if (flags.count("roles")) {
    absl::StatusOr<std::vector<auth::RoleBinding>> roles = ParseRoles(Flag(flags, "roles"));
    if (!roles.ok()) return Usage(std::string(roles.status().message()));
    auto same = [](const std::vector<auth::RoleBinding>& a,
                   const std::vector<auth::RoleBinding>& b) {
      if (a.size() != b.size()) return false;
      for (size_t i = 0; i < a.size(); ++i) {
        if (a[i].role != b[i].role || a[i].orgs != b[i].orgs) return false;
      }
      return true;
    };
    // A key rotation must not change what the caller may do by accident.
    if (existing && !same(caller->roles, *roles) && Flag(flags, "replace_roles") != "true") {
      return Usage(absl::StrCat("caller ", caller_name,
                                " exists with other roles; add --replace_roles to replace them"));
    }
    caller->roles = *std::move(roles);
  }
  if (flags.count("certificate")) {
    for (absl::string_view name :
         absl::StrSplit(Flag(flags, "certificate"), ',', absl::SkipEmpty())) {
      caller->certificate_names.emplace_back(name);
    }
  }
  if (flags.count("delegate")) caller->delegate = Flag(flags, "delegate") == "true";

  std::optional<auth::NewApiKey> key;
  if (Flag(flags, "no_key") != "true") {
    absl::StatusOr<auth::NewApiKey> generated = auth::GenerateApiKey();
    if (!generated.ok()) {
      std::cerr << "fazhi: " << generated.status().message() << "\n";
      return kExitCallFailed;
    }
    key = *generated;
    caller->keys.push_back(auth::KeyEntry{key->id, key->sha256, Now(), ""});
  }
  if (int saved = Save(path, *file); saved != kExitOk) return saved;
  if (key) {
    std::cerr << "API key " << key->id << " for " << caller_name
              << " (shown once; only its hash is stored):\n";
    std::cout << key->key << "\n";
  }
  return kExitOk;
}

int KeysList(const Flags& flags) {
  const std::string path = KeysPath(flags);
  if (path.empty()) return Usage("keys list needs --keys_file (or $FAZHI_KEYS_FILE)");
  absl::StatusOr<auth::KeysFile> file = auth::LoadKeysFile(path);
  if (!file.ok()) return Usage(std::string(file.status().message()));
  for (const auth::CallerEntry& caller : file->callers) {
    std::vector<std::string> roles;
    for (const auth::RoleBinding& b : caller.roles) {
      roles.push_back(absl::StrCat(auth::RoleName(b.role), ":", absl::StrJoin(b.orgs, ",")));
    }
    std::cout << caller.name << "  roles " << absl::StrJoin(roles, " ")
              << (caller.delegate ? "  delegate" : "");
    if (!caller.certificate_names.empty()) {
      std::cout << "  certificates " << absl::StrJoin(caller.certificate_names, ",");
    }
    std::cout << "\n";
    for (const auth::KeyEntry& key : caller.keys) {
      std::cout << "  key " << key.id << "  created " << key.created
                << (key.revoked.empty() ? "" : absl::StrCat("  REVOKED ", key.revoked)) << "\n";
    }
  }
  return kExitOk;
}

int KeysRevoke(const Flags& flags) {
  const std::string path = KeysPath(flags);
  const std::string key_id = Flag(flags, "key_id");
  const std::string caller_name = Flag(flags, "caller");
  if (path.empty()) return Usage("keys revoke needs --keys_file (or $FAZHI_KEYS_FILE)");
  if (key_id.empty() == caller_name.empty()) {
    return Usage("keys revoke needs exactly one of --key_id=ID or --caller=NAME (all its keys)");
  }
  absl::StatusOr<auth::KeysFile> file = auth::LoadKeysFile(path);
  if (!file.ok()) return Usage(std::string(file.status().message()));
  int revoked = 0;
  for (auth::CallerEntry& caller : file->callers) {
    for (auth::KeyEntry& key : caller.keys) {
      const bool match = key_id.empty() ? caller.name == caller_name : key.id == key_id;
      if (match && key.revoked.empty()) {
        key.revoked = Now();
        ++revoked;
      }
    }
  }
  if (revoked == 0) return Usage("no valid key matches");
  std::cerr << "revoked " << revoked << " key(s)\n";
  return Save(path, *file);
}

}  // namespace fazhi::cli
