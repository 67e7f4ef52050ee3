#include "services/gateway/http_auth.h"

#include <httplib.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/common/resource.h"

namespace fazhi::gateway {
namespace {

// Writes the audit record of a refused HTTP request.
void AuditRefusal(const httplib::Request& request, auth::AuditLog& audit,
                  const absl::StatusOr<auth::Principal>& who, const absl::Status& refused,
                  const std::string& org, const std::string& request_id) {
  auth::AuditRecord record;
  record.time = absl::Now();
  if (who.ok()) {
    record.caller = who->caller;
    record.credential = who->credential;
  }
  record.org = org;
  record.method = absl::StrCat("HTTP ", request.method, " ", request.path);
  record.resource = org.empty() ? "" : OrgName(org);
  record.outcome = absl::StatusCodeToString(refused.code());
  record.message = std::string(refused.message());
  record.request_id = request_id;
  record.peer = absl::StrCat(request.remote_addr, ":", request.remote_port);
  audit.Append(record).IgnoreError();
}

absl::StatusOr<auth::Principal> Authenticate(const httplib::Request& request,
                                             const auth::Authenticator& authenticator) {
  auth::PresentedCredentials presented;
  if (request.has_header("Authorization"))
    presented.authorization = request.get_header_value("Authorization");
  return authenticator.Authenticate(presented);
}

}  // namespace

absl::StatusOr<auth::Principal> AuthenticateHttp(const httplib::Request& request,
                                                 const auth::Authenticator& authenticator,
                                                 auth::AuditLog& audit,
                                                 const std::string& request_id) {
  absl::StatusOr<auth::Principal> who = Authenticate(request, authenticator);
  if (!who.ok()) AuditRefusal(request, audit, who, who.status(), "", request_id);
  return who;
}

absl::StatusOr<auth::Principal> AuthorizeHttp(const httplib::Request& request,
                                              const auth::Authenticator& authenticator,
                                              auth::AuditLog& audit, auth::Permission permission,
                                              const std::string& org,
                                              const std::string& request_id) {
  absl::StatusOr<auth::Principal> who = Authenticate(request, authenticator);
  absl::Status refused = who.status();
  if (who.ok() && !who->Can(permission, org)) {
    refused = absl::PermissionDeniedError(absl::StrCat("caller ", who->caller, " may not ",
                                                       auth::PermissionName(permission),
                                                       " organization ", org));
  }
  if (refused.ok()) return who;
  AuditRefusal(request, audit, who, refused, org, request_id);
  return refused;
}

}  // namespace fazhi::gateway
