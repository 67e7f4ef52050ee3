#include "services/study/access_rules.h"

namespace fazhi::study {

auth::AccessRules AccessRules() {
  using auth::OrgFrom;
  using auth::Permission;
  return {
      {"GetSession", {Permission::kRead, OrgFrom::kName, "name"}},
      {"ListSessions", {Permission::kRead, OrgFrom::kName, "parent"}},
      {"CreateSession", {Permission::kWrite, OrgFrom::kName, "parent"}},
      {"UpdateSession", {Permission::kWrite, OrgFrom::kName, "session.name"}},
      {"DeleteSession", {Permission::kWrite, OrgFrom::kName, "name"}},
      {"ImportSessions", {Permission::kWrite, OrgFrom::kStream, ""}},
      {"GetPublicityEvent", {Permission::kRead, OrgFrom::kName, "name"}},
      {"ListPublicityEvents", {Permission::kRead, OrgFrom::kName, "parent"}},
      {"CreatePublicityEvent", {Permission::kWrite, OrgFrom::kName, "parent"}},
      {"UpdatePublicityEvent", {Permission::kWrite, OrgFrom::kName, "publicity_event.name"}},
      {"DeletePublicityEvent", {Permission::kWrite, OrgFrom::kName, "name"}},
      {"ImportPublicityEvents", {Permission::kWrite, OrgFrom::kStream, ""}},
      {"GetStudyPlan", {Permission::kRead, OrgFrom::kName, "name"}},
      {"ListStudyPlans", {Permission::kRead, OrgFrom::kName, "parent"}},
      {"UpdateStudyPlan", {Permission::kWrite, OrgFrom::kName, "study_plan.name"}},
      {"DeleteStudyPlan", {Permission::kWrite, OrgFrom::kName, "name"}},
      {"GetStudySummary", {Permission::kRead, OrgFrom::kName, "org"}},
      {"ListAuditRecords", {Permission::kAudit, OrgFrom::kName, "parent"}},
  };
}

}  // namespace fazhi::study
