#include "services/report/access_rules.h"

namespace fazhi::report {

auth::AccessRules AccessRules() {
  using auth::OrgFrom;
  using auth::Permission;
  return {
      {"CreateOrganization", {Permission::kAdminister, OrgFrom::kId, "organization_id"}},
      {"GetOrganization", {Permission::kRead, OrgFrom::kName, "name"}},
      {"ListOrganizations", {Permission::kRead, OrgFrom::kAcrossOrgs, ""}},
      {"UpdateOrganization", {Permission::kAdminister, OrgFrom::kName, "organization.name"}},
      {"DeleteOrganization", {Permission::kAdminister, OrgFrom::kName, "name"}},
      {"CreateReport", {Permission::kWrite, OrgFrom::kName, "parent"}},
      {"GetReport", {Permission::kRead, OrgFrom::kName, "name"}},
      {"GetReportInputs", {Permission::kRead, OrgFrom::kName, "name"}},
      {"ListReports", {Permission::kRead, OrgFrom::kName, "parent"}},
      {"UpdateReport", {Permission::kWrite, OrgFrom::kName, "report.name"}},
      {"DeleteReport", {Permission::kWrite, OrgFrom::kName, "name"}},
      {"SubmitReport", {Permission::kWrite, OrgFrom::kName, "name"}},
      {"ApproveReport", {Permission::kApprove, OrgFrom::kName, "name"}},
      {"RejectReport", {Permission::kApprove, OrgFrom::kName, "name"}},
      // The documents must be the gateway's composition, not the caller's.
      {"PublishReport", {Permission::kApprove, OrgFrom::kName, "name", /*via_delegate=*/true}},
      {"CreateRevision", {Permission::kWrite, OrgFrom::kName, "name"}},
      {"GetReportRevision", {Permission::kRead, OrgFrom::kName, "name"}},
      {"ListReportRevisions", {Permission::kRead, OrgFrom::kName, "parent"}},
      {"GetReportDocument", {Permission::kRead, OrgFrom::kName, "name"}},
      {"ListOverdueReports", {Permission::kRead, OrgFrom::kName, "supervisor"}},
      {"ListHistory", {Permission::kRead, OrgFrom::kName, "parent"}},
      {"ListAuditRecords", {Permission::kAudit, OrgFrom::kName, "parent"}},
  };
}

}  // namespace fazhi::report
