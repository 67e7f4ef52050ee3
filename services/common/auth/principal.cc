#include "services/common/auth/principal.h"

#include <algorithm>

namespace fazhi::auth {

absl::string_view RoleName(Role role) {
  switch (role) {
    case Role::kReader:
      return "reader";
    case Role::kEditor:
      return "editor";
    case Role::kApprover:
      return "approver";
    case Role::kSupervisor:
      return "supervisor";
    case Role::kAdmin:
      return "admin";
  }
  return "unknown";
}

std::optional<Role> ParseRole(absl::string_view name) {
  for (Role role :
       {Role::kReader, Role::kEditor, Role::kApprover, Role::kSupervisor, Role::kAdmin}) {
    if (RoleName(role) == name) return role;
  }
  return std::nullopt;
}

absl::string_view PermissionName(Permission permission) {
  switch (permission) {
    case Permission::kRead:
      return "read";
    case Permission::kWrite:
      return "write";
    case Permission::kApprove:
      return "approve";
    case Permission::kAudit:
      return "audit";
    case Permission::kAdminister:
      return "administer";
  }
  return "unknown";
}

bool RoleGrants(Role role, Permission permission) {
  switch (role) {
    case Role::kAdmin:
      return true;
    case Role::kReader:
      return permission == Permission::kRead;
    case Role::kEditor:
      return permission == Permission::kRead || permission == Permission::kWrite;
    case Role::kApprover:
      return permission == Permission::kRead || permission == Permission::kApprove;
    case Role::kSupervisor:
      return permission == Permission::kRead || permission == Permission::kAudit;
  }
  return false;
}

bool Principal::Can(Permission permission, absl::string_view org) const {
  if (org.empty()) return false;
  for (const RoleBinding& binding : bindings) {
    if (!RoleGrants(binding.role, permission)) continue;
    for (const std::string& bound : binding.orgs) {
      if (bound == kAnyOrg || bound == org) return true;
    }
  }
  return false;
}

bool Principal::CanSomewhere(Permission permission) const {
  return std::any_of(bindings.begin(), bindings.end(), [&](const RoleBinding& b) {
    return RoleGrants(b.role, permission) && !b.orgs.empty();
  });
}

Principal DevelopmentPrincipal() {
  return Principal{"dev", "dev", {RoleBinding{Role::kAdmin, {kAnyOrg}}}, false};
}

}  // namespace fazhi::auth
