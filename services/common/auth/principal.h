#ifndef FAZHI_SERVICES_COMMON_AUTH_PRINCIPAL_H_
#define FAZHI_SERVICES_COMMON_AUTH_PRINCIPAL_H_

// Who is calling and what they may do: roles bound to organizations.
// Pure logic, no gRPC: the policy (access.h) and the handlers ask a
// Principal whether a permission holds for an organization.

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace fazhi::auth {

// Roles a caller holds on a set of organizations.
//   reader      reads its organizations' records, reports and facts
//   editor      reader + writes records, drafts and submits reports
//   approver    reader + approves, rejects and publishes reports
//   supervisor  reads the organizations it supervises (dashboards,
//               reports, facts) and their audit records
//   admin       everything, including organizations and audit records
enum class Role { kReader, kEditor, kApprover, kSupervisor, kAdmin };

enum class Permission {
  kRead,        // any Get/List/summary/composition
  kWrite,       // records, drafts, submission
  kApprove,     // approve, reject, publish
  kAudit,       // list audit records
  kAdminister,  // create, change or delete organizations
};

absl::string_view RoleName(Role role);
std::optional<Role> ParseRole(absl::string_view name);
absl::string_view PermissionName(Permission permission);
bool RoleGrants(Role role, Permission permission);

// The wildcard organization: every organization, present and future.
inline constexpr char kAnyOrg[] = "*";

struct RoleBinding {
  Role role;
  std::vector<std::string> orgs;  // organization ids, or "*"
};

struct Principal {
  std::string caller;      // the caller's name in the keys file
  std::string credential;  // how it proved it: "key:ID", "cert:NAME", "dev"
  std::vector<RoleBinding> bindings;
  bool delegate = false;  // may act on behalf of another caller (the gateway)

  bool Can(Permission permission, absl::string_view org) const;
  // True when some binding grants `permission` on some organization; list
  // calls across organizations then filter their rows with Can.
  bool CanSomewhere(Permission permission) const;
};

// The principal of local development mode: admin on every organization.
Principal DevelopmentPrincipal();

}  // namespace fazhi::auth

#endif  // FAZHI_SERVICES_COMMON_AUTH_PRINCIPAL_H_
