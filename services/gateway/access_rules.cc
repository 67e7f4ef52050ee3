#include "services/gateway/access_rules.h"

namespace fazhi::gateway {

auth::AccessRules AccessRules() {
  using auth::OrgFrom;
  using auth::Permission;
  return {
      {"ComposeReport", {Permission::kRead, OrgFrom::kName, "org"}},
      {"GetFacts", {Permission::kRead, OrgFrom::kName, "org"}},
      {"PublishReport", {Permission::kApprove, OrgFrom::kName, "org"}},
      {"GetDashboard", {Permission::kRead, OrgFrom::kName, "supervisor"}},
      {"ApproveReport", {Permission::kApprove, OrgFrom::kName, "org"}},
      {"RejectReport", {Permission::kApprove, OrgFrom::kName, "org"}},
  };
}

}  // namespace fazhi::gateway
