#ifndef FAZHI_SERVICES_COMMON_AUTH_ACCESS_H_
#define FAZHI_SERVICES_COMMON_AUTH_ACCESS_H_

// Authorization for every RPC of every service, declared once per service
// as a table (method → permission and where the organization is named) and
// enforced by AuthPolicy before any handler runs. A method missing from the
// table is refused: new RPCs are closed until someone decides who may call
// them. Handlers of calls that span organizations (lists without a parent,
// dashboards, audit across organizations) filter rows with CallerMay.

#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "services/common/auth/audit.h"
#include "services/common/auth/authenticator.h"
#include "services/common/auth/call_policy.h"
#include "services/common/auth/principal.h"

namespace fazhi::auth {

enum class OrgFrom {
  kName,        // a resource name field: "orgs/{org}" or "orgs/{org}/..."
  kId,          // a plain organization id field (CreateOrganization)
  kStream,      // a client stream: the import driver checks its parent
  kAcrossOrgs,  // no single organization: the handler filters its rows
};

struct MethodRule {
  Permission permission;
  OrgFrom from = OrgFrom::kName;
  // Field path holding the organization, dotted for nested messages
  // ("session.name"). Unused for kStream and kAcrossOrgs.
  std::string field;
  // Only through a delegate (the gateway, on the caller's behalf): for
  // what the gateway makes and a caller must not hand in itself, such as
  // the documents of PublishReport.
  bool via_delegate = false;
};

using AccessRules = absl::flat_hash_map<std::string, MethodRule>;

// The organization a request names per `rule`, and the field's value (the
// resource, for the audit). INVALID_ARGUMENT naming the field when it holds
// no organization. "orgs/-" yields "-" (every organization the caller may).
struct RequestTarget {
  std::string org;
  std::string resource;
};
absl::StatusOr<RequestTarget> TargetOf(const google::protobuf::Message& request,
                                       const MethodRule& rule);

// Authenticates every call, checks the method's rule, and writes the audit
// record of mutations and denied calls. A request whose organization field
// is malformed is let through to the handler (if the caller holds the
// permission somewhere) so that its validation names every bad field at
// once; every handler parses that field before it reads or writes.
class AuthPolicy : public CallPolicy {
 public:
  // `authenticator` and `audit` must outlive the policy; `audit` may be null.
  AuthPolicy(const Authenticator* authenticator, AccessRules rules, AuditLog* audit);

  absl::Status Admit(CallInfo& call) override;
  void Finish(const CallInfo& call, const absl::Status& status) override;

 private:
  // Authentication and the rule table; Admit adds the audit hook.
  absl::Status Check(CallInfo& call);

  const Authenticator* authenticator_;
  AccessRules rules_;
  AuditLog* audit_;
};

// The current call's principal; null when the server runs without a policy
// (unit tests of handlers), which allows everything.
const Principal* CurrentPrincipal();

// Whether the current caller holds `permission` on `org`.
bool CallerMay(Permission permission, absl::string_view org);

// The organizations the current caller holds `permission` on; nullopt for
// every organization.
std::optional<std::vector<std::string>> OrgsCallerMay(Permission permission);

// For client streams: checks the current method's permission on the org
// the stream named, and records it for the audit. PERMISSION_DENIED when
// the caller may not.
absl::Status AuthorizeStreamOrg(absl::string_view org);

// Who a change is recorded as: the authenticated caller; in development
// mode (or without a policy) the `actor` the request named.
std::string ActingCaller(absl::string_view requested_actor);

}  // namespace fazhi::auth

#endif  // FAZHI_SERVICES_COMMON_AUTH_ACCESS_H_
