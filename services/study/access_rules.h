#ifndef FAZHI_SERVICES_STUDY_ACCESS_RULES_H_
#define FAZHI_SERVICES_STUDY_ACCESS_RULES_H_

#include "services/common/auth/access.h"

namespace fazhi::study {

// Who may call each RPC of the study service: readers read, editors write, supervisors and admins
// audit.
auth::AccessRules AccessRules();

}  // namespace fazhi::study

#endif  // FAZHI_SERVICES_STUDY_ACCESS_RULES_H_
