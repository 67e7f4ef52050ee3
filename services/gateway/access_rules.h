#ifndef FAZHI_SERVICES_GATEWAY_ACCESS_RULES_H_
#define FAZHI_SERVICES_GATEWAY_ACCESS_RULES_H_

#include "services/common/auth/access.h"

namespace fazhi::gateway {

// Who may call each RPC of the gateway service: composing and facts need read, publishing,
// approving and rejecting need approve, the dashboard needs read on the supervising office and
// shows only rows the caller may read.
auth::AccessRules AccessRules();

}  // namespace fazhi::gateway

#endif  // FAZHI_SERVICES_GATEWAY_ACCESS_RULES_H_
