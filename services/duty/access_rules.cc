#include "services/duty/access_rules.h"

namespace fazhi::duty {

auth::AccessRules AccessRules() {
  using auth::OrgFrom;
  using auth::Permission;
  return {
      {"GetPower", {Permission::kRead, OrgFrom::kName, "name"}},
      {"ListPowers", {Permission::kRead, OrgFrom::kName, "parent"}},
      {"CreatePower", {Permission::kWrite, OrgFrom::kName, "parent"}},
      {"UpdatePower", {Permission::kWrite, OrgFrom::kName, "power.name"}},
      {"DeletePower", {Permission::kWrite, OrgFrom::kName, "name"}},
      {"ImportPowers", {Permission::kWrite, OrgFrom::kStream, ""}},
      {"GetPost", {Permission::kRead, OrgFrom::kName, "name"}},
      {"ListPosts", {Permission::kRead, OrgFrom::kName, "parent"}},
      {"CreatePost", {Permission::kWrite, OrgFrom::kName, "parent"}},
      {"UpdatePost", {Permission::kWrite, OrgFrom::kName, "post.name"}},
      {"DeletePost", {Permission::kWrite, OrgFrom::kName, "name"}},
      {"GetOfficer", {Permission::kRead, OrgFrom::kName, "name"}},
      {"ListOfficers", {Permission::kRead, OrgFrom::kName, "parent"}},
      {"CreateOfficer", {Permission::kWrite, OrgFrom::kName, "parent"}},
      {"UpdateOfficer", {Permission::kWrite, OrgFrom::kName, "officer.name"}},
      {"DeleteOfficer", {Permission::kWrite, OrgFrom::kName, "name"}},
      {"ImportOfficers", {Permission::kWrite, OrgFrom::kStream, ""}},
      {"GetAssignment", {Permission::kRead, OrgFrom::kName, "name"}},
      {"ListAssignments", {Permission::kRead, OrgFrom::kName, "parent"}},
      {"CreateAssignment", {Permission::kWrite, OrgFrom::kName, "parent"}},
      {"UpdateAssignment", {Permission::kWrite, OrgFrom::kName, "assignment.name"}},
      {"DeleteAssignment", {Permission::kWrite, OrgFrom::kName, "name"}},
      {"AllocateDuties", {Permission::kWrite, OrgFrom::kName, "parent"}},
      {"GetCoverage", {Permission::kRead, OrgFrom::kName, "org"}},
      {"GetDutySummary", {Permission::kRead, OrgFrom::kName, "org"}},
      {"ListAuditRecords", {Permission::kAudit, OrgFrom::kName, "parent"}},
  };
}

}  // namespace fazhi::duty
