#ifndef FAZHI_SERVICES_DUTY_ACCESS_RULES_H_
#define FAZHI_SERVICES_DUTY_ACCESS_RULES_H_

#include "services/common/auth/access.h"

namespace fazhi::duty {

// Who may call each RPC of the duty service: readers read, editors write (allocation included),
// supervisors and admins audit.
auth::AccessRules AccessRules();

}  // namespace fazhi::duty

#endif  // FAZHI_SERVICES_DUTY_ACCESS_RULES_H_
