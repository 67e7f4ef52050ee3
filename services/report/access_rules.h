#ifndef FAZHI_SERVICES_REPORT_ACCESS_RULES_H_
#define FAZHI_SERVICES_REPORT_ACCESS_RULES_H_

#include "services/common/auth/access.h"

namespace fazhi::report {

// Who may call each RPC of the report service: readers read, editors draft and submit, approvers
// approve, reject and publish, admins keep the organizations; lists across organizations show only
// the caller's.
auth::AccessRules AccessRules();

}  // namespace fazhi::report

#endif  // FAZHI_SERVICES_REPORT_ACCESS_RULES_H_
