#ifndef FAZHI_SERVICES_CLI_GATEWAY_COMMANDS_H_
#define FAZHI_SERVICES_CLI_GATEWAY_COMMANDS_H_

// `fazhi compose|facts|publish|dashboard`: the annual report through the
// gateway.

#include "services/cli/cli_util.h"

namespace fazhi::cli {

int GatewayCompose(const Flags& flags);
int GatewayFacts(const Flags& flags);
int GatewayPublish(const Flags& flags);
int GatewayDashboard(const Flags& flags);

}  // namespace fazhi::cli

#endif  // FAZHI_SERVICES_CLI_GATEWAY_COMMANDS_H_
