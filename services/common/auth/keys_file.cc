#include "services/common/auth/keys_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "nlohmann/json.hpp"
#include "services/common/resource.h"

namespace fazhi::auth {
namespace {

using nlohmann::json;

bool ValidCallerName(absl::string_view name) {
  if (name.empty() || name.size() > 63) return false;
  for (char c : name) {
    if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c) && c != '-' && c != '.' && c != '_') {
      return false;
    }
  }
  return true;
}

bool ValidSha256Hex(absl::string_view hex) {
  if (hex.size() != 64) return false;
  for (char c : hex) {
    if (!absl::ascii_isxdigit(c) || absl::ascii_isupper(c)) return false;
  }
  return true;
}

std::string StringAt(const json& object, const char* key, const std::string& where,
                     std::vector<std::string>& problems) {
  auto it = object.find(key);
  if (it == object.end()) return "";
  if (!it->is_string()) {
    problems.push_back(absl::StrCat(where, ".", key, ": must be a string"));
    return "";
  }
  return it->get<std::string>();
}

std::vector<std::string> StringsAt(const json& object, const char* key, const std::string& where,
                                   std::vector<std::string>& problems) {
  std::vector<std::string> out;
  auto it = object.find(key);
  if (it == object.end()) return out;
  if (!it->is_array()) {
    problems.push_back(absl::StrCat(where, ".", key, ": must be a list of strings"));
    return out;
  }
  for (const json& item : *it) {
    if (!item.is_string()) {
      problems.push_back(absl::StrCat(where, ".", key, ": must be a list of strings"));
      return {};
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

void ParseCaller(const json& item, const std::string& where, CallerEntry& caller,
                 std::vector<std::string>& problems) {
  if (!item.is_object()) {
    problems.push_back(absl::StrCat(where, ": must be an object"));
    return;
  }
  caller.name = StringAt(item, "name", where, problems);
  if (!ValidCallerName(caller.name)) {
    problems.push_back(
        absl::StrCat(where, ".name: \"", caller.name, "\" must be 1-63 of a-z 0-9 . _ -"));
  }
  if (auto roles = item.find("roles"); roles != item.end()) {
    if (!roles->is_array()) problems.push_back(absl::StrCat(where, ".roles: must be a list"));
    for (size_t r = 0; roles->is_array() && r < roles->size(); ++r) {
      const json& binding = (*roles)[r];
      const std::string at = absl::StrCat(where, ".roles[", r, "]");
      if (!binding.is_object()) {
        problems.push_back(absl::StrCat(at, ": must be an object"));
        continue;
      }
      const std::string role_name = StringAt(binding, "role", at, problems);
      std::optional<Role> role = ParseRole(role_name);
      if (!role) {
        problems.push_back(absl::StrCat(at, ".role: \"", role_name,
                                        "\" is not reader, editor, approver, supervisor or admin"));
      }
      std::vector<std::string> orgs = StringsAt(binding, "orgs", at, problems);
      if (orgs.empty())
        problems.push_back(absl::StrCat(at, ".orgs: name at least one organization or \"*\""));
      for (const std::string& org : orgs) {
        if (org != kAnyOrg && !IsValidOrgId(org)) {
          problems.push_back(absl::StrCat(at, ".orgs: \"", org, "\" is not an organization id"));
        }
      }
      if (role) caller.roles.push_back(RoleBinding{*role, std::move(orgs)});
    }
  }
  caller.certificate_names = StringsAt(item, "certificate_names", where, problems);
  if (auto delegate = item.find("delegate"); delegate != item.end()) {
    if (!delegate->is_boolean())
      problems.push_back(absl::StrCat(where, ".delegate: must be true or false"));
    else
      caller.delegate = delegate->get<bool>();
  }
  if (auto keys = item.find("keys"); keys != item.end()) {
    if (!keys->is_array()) problems.push_back(absl::StrCat(where, ".keys: must be a list"));
    for (size_t k = 0; keys->is_array() && k < keys->size(); ++k) {
      const json& key = (*keys)[k];
      const std::string at = absl::StrCat(where, ".keys[", k, "]");
      if (!key.is_object()) {
        problems.push_back(absl::StrCat(at, ": must be an object"));
        continue;
      }
      KeyEntry entry;
      entry.id = StringAt(key, "id", at, problems);
      entry.sha256 = StringAt(key, "sha256", at, problems);
      entry.created = StringAt(key, "created", at, problems);
      entry.revoked = StringAt(key, "revoked", at, problems);
      if (entry.id.size() != 16) problems.push_back(absl::StrCat(at, ".id: must be 16 hex digits"));
      if (!ValidSha256Hex(entry.sha256)) {
        problems.push_back(absl::StrCat(at, ".sha256: must be 64 lowercase hex digits"));
      }
      caller.keys.push_back(std::move(entry));
    }
  }
}

}  // namespace

CallerEntry* KeysFile::FindCaller(absl::string_view name) {
  for (CallerEntry& caller : callers) {
    if (caller.name == name) return &caller;
  }
  return nullptr;
}

const CallerEntry* KeysFile::FindCaller(absl::string_view name) const {
  return const_cast<KeysFile*>(this)->FindCaller(name);
}

absl::StatusOr<KeysFile> ParseKeysFile(absl::string_view text) {
  json root = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded() || !root.is_object()) {
    return absl::InvalidArgumentError("keys file: not a JSON object");
  }
  std::vector<std::string> problems;
  KeysFile file;
  auto callers = root.find("callers");
  if (callers == root.end() || !callers->is_array()) {
    return absl::InvalidArgumentError("keys file: \"callers\" must be a list");
  }
  std::set<std::string> names, key_ids, cert_names;
  for (size_t i = 0; i < callers->size(); ++i) {
    const std::string where = absl::StrCat("callers[", i, "]");
    CallerEntry caller;
    ParseCaller((*callers)[i], where, caller, problems);
    if (!caller.name.empty() && !names.insert(caller.name).second) {
      problems.push_back(absl::StrCat(where, ".name: \"", caller.name, "\" appears twice"));
    }
    for (const KeyEntry& key : caller.keys) {
      if (!key.id.empty() && !key_ids.insert(key.id).second) {
        problems.push_back(absl::StrCat(where, ": key id ", key.id, " appears twice"));
      }
    }
    for (const std::string& cert : caller.certificate_names) {
      if (cert.empty() || !cert_names.insert(cert).second) {
        problems.push_back(absl::StrCat(where, ".certificate_names: \"", cert,
                                        "\" is empty or belongs to two callers"));
      }
    }
    file.callers.push_back(std::move(caller));
  }
  if (!problems.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("keys file: ", absl::StrJoin(problems, "; ")));
  }
  return file;
}

absl::StatusOr<KeysFile> LoadKeysFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read keys file ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  absl::StatusOr<KeysFile> file = ParseKeysFile(buffer.str());
  if (!file.ok()) {
    return absl::Status(file.status().code(), absl::StrCat(path, ": ", file.status().message()));
  }
  return file;
}

std::string SerializeKeysFile(const KeysFile& file) {
  json callers = json::array();
  for (const CallerEntry& caller : file.callers) {
    json roles = json::array();
    for (const RoleBinding& binding : caller.roles) {
      roles.push_back({{"role", std::string(RoleName(binding.role))}, {"orgs", binding.orgs}});
    }
    json keys = json::array();
    for (const KeyEntry& key : caller.keys) {
      json entry = {{"id", key.id}, {"sha256", key.sha256}, {"created", key.created}};
      if (!key.revoked.empty()) entry["revoked"] = key.revoked;
      keys.push_back(std::move(entry));
    }
    json item = {{"name", caller.name}, {"roles", roles}, {"keys", keys}};
    if (!caller.certificate_names.empty()) item["certificate_names"] = caller.certificate_names;
    if (caller.delegate) item["delegate"] = true;
    callers.push_back(std::move(item));
  }
  return json({{"callers", callers}}).dump(2) + "\n";
}

absl::Status SaveKeysFile(const std::string& path, const KeysFile& file) {
  const std::string text = SerializeKeysFile(file);
  const std::string temp = path + ".tmp";
  // A new file only, never through a link someone put there.
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0 && errno == EEXIST) {
    return absl::UnavailableError(
        absl::StrCat("cannot write ", temp,
                     ": it exists (another `fazhi keys` is writing, or one was "
                     "interrupted: remove it)"));
  }
  if (fd < 0)
    return absl::UnavailableError(absl::StrCat("cannot write ", temp, ": ", std::strerror(errno)));
  size_t written = 0;
  while (written < text.size()) {
    ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int error = errno;
      ::close(fd);
      ::unlink(temp.c_str());
      return absl::UnavailableError(
          absl::StrCat("cannot write ", temp, ": ", std::strerror(error)));
    }
    written += static_cast<size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced || ::rename(temp.c_str(), path.c_str()) != 0) {
    const int error = errno;
    ::unlink(temp.c_str());
    return absl::UnavailableError(
        absl::StrCat("cannot replace ", path, ": ", std::strerror(error)));
  }
  return absl::OkStatus();
}

}  // namespace fazhi::auth
