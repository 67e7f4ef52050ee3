#include "services/common/auth/authenticator.h"

#include <grpc/grpc_security_constants.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/common/auth/api_key.h"

namespace fazhi::auth {
namespace {

std::optional<std::string> Metadata(const grpc::ServerContextBase& context, const char* key) {
  auto it = context.client_metadata().find(key);
  if (it == context.client_metadata().end()) return std::nullopt;
  return std::string(it->second.data(), it->second.size());
}

}  // namespace

PresentedCredentials CredentialsOf(const grpc::ServerContextBase& context) {
  PresentedCredentials presented;
  presented.authorization = Metadata(context, kAuthorizationHeader);
  presented.on_behalf_of = Metadata(context, kOnBehalfOfHeader);
  std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
  // Peer identity properties exist only for a verified client certificate.
  if (auth != nullptr && auth->IsPeerAuthenticated()) {
    // The common name and DNS names only, as docs/security.md promises: a URI,
    // e-mail or IP SAN that happens to equal a caller's name is no sign-in.
    for (const char* property : {GRPC_X509_CN_PROPERTY_NAME, GRPC_PEER_DNS_PROPERTY_NAME}) {
      for (const grpc::string_ref& value : auth->FindPropertyValues(property)) {
        presented.certificate_names.emplace_back(value.data(), value.size());
      }
    }
  }
  return presented;
}

absl::StatusOr<std::unique_ptr<Authenticator>> Authenticator::Create(const Options& options) {
  KeysFile file;
  if (!options.keys_file.empty()) {
    absl::StatusOr<KeysFile> loaded = LoadKeysFile(options.keys_file);
    if (!loaded.ok()) return loaded.status();
    file = *std::move(loaded);
  } else if (!options.development_mode) {
    return absl::InvalidArgumentError("no keys file: pass --keys_file (or --insecure_dev_mode)");
  }
  auto authenticator = std::make_unique<Authenticator>(std::move(file), options.development_mode);
  authenticator->options_ = options;
  return authenticator;
}

Authenticator::Authenticator(KeysFile file, bool development_mode)
    : index_(BuildIndex(std::move(file))) {
  options_.development_mode = development_mode;
}

std::shared_ptr<const Authenticator::Index> Authenticator::BuildIndex(KeysFile file) {
  auto index = std::make_shared<Index>();
  index->file = std::move(file);
  for (const CallerEntry& caller : index->file.callers) {
    for (const KeyEntry& key : caller.keys) index->keys[key.id] = {&caller, &key};
    for (const std::string& name : caller.certificate_names) index->certificates[name] = &caller;
  }
  return index;
}

std::shared_ptr<const Authenticator::Index> Authenticator::Current() const {
  std::lock_guard<std::mutex> lock(mu_);
  return index_;
}

absl::Status Authenticator::Reload() {
  if (options_.keys_file.empty()) return absl::OkStatus();
  absl::StatusOr<KeysFile> loaded = LoadKeysFile(options_.keys_file);
  if (!loaded.ok()) return loaded.status();
  std::shared_ptr<const Index> fresh = BuildIndex(*std::move(loaded));
  std::lock_guard<std::mutex> lock(mu_);
  index_ = std::move(fresh);
  return absl::OkStatus();
}

std::pair<int, int> Authenticator::Size() const {
  std::shared_ptr<const Index> index = Current();
  int keys = 0;
  for (const auto& [id, entry] : index->keys) keys += entry.second->revoked.empty() ? 1 : 0;
  return {static_cast<int>(index->file.callers.size()), keys};
}

Principal Authenticator::PrincipalOf(const CallerEntry& caller, std::string credential) {
  return Principal{caller.name, std::move(credential), caller.roles, caller.delegate};
}

absl::StatusOr<Principal> Authenticator::Authenticate(const PresentedCredentials& presented) const {
  std::shared_ptr<const Index> index = Current();
  std::optional<Principal> principal;
  if (presented.authorization) {
    absl::string_view value = *presented.authorization;
    if (!absl::ConsumePrefix(&value, "Bearer ")) {
      return absl::UnauthenticatedError("the authorization header must be \"Bearer <API key>\"");
    }
    std::optional<std::string> id = ApiKeyId(value);
    auto it = id ? index->keys.find(*id) : index->keys.end();
    // One message for unknown ids and wrong secrets: no probing for ids.
    if (it == index->keys.end() || !HashesEqual(HashApiKey(value), it->second.second->sha256)) {
      return absl::UnauthenticatedError("the API key is not valid");
    }
    if (!it->second.second->revoked.empty()) {
      return absl::UnauthenticatedError(absl::StrCat("API key ", *id, " was revoked"));
    }
    principal = PrincipalOf(*it->second.first, absl::StrCat("key:", *id));
  } else {
    for (const std::string& name : presented.certificate_names) {
      auto it = index->certificates.find(name);
      if (it != index->certificates.end()) {
        principal = PrincipalOf(*it->second, absl::StrCat("cert:", name));
        break;
      }
    }
    if (!principal && !presented.certificate_names.empty()) {
      return absl::UnauthenticatedError(absl::StrCat("the client certificate of \"",
                                                     presented.certificate_names.front(),
                                                     "\" belongs to no caller"));
    }
  }
  if (!principal) {
    if (options_.development_mode) return DevelopmentPrincipal();
    return absl::UnauthenticatedError(
        "no credentials: send \"authorization: Bearer <API key>\" or a client certificate");
  }
  if (presented.on_behalf_of) {
    if (!principal->delegate) {
      return absl::PermissionDeniedError(
          absl::StrCat("caller ", principal->caller, " may not act on behalf of another caller"));
    }
    const CallerEntry* other = index->file.FindCaller(*presented.on_behalf_of);
    if (other == nullptr) {
      return absl::UnauthenticatedError(
          absl::StrCat("on behalf of: no caller named \"", *presented.on_behalf_of, "\""));
    }
    const std::string via = principal->caller;
    principal = PrincipalOf(*other, absl::StrCat("delegated via ", via));
  }
  return *principal;
}

}  // namespace fazhi::auth
