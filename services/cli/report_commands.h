#ifndef FAZHI_SERVICES_CLI_REPORT_COMMANDS_H_
#define FAZHI_SERVICES_CLI_REPORT_COMMANDS_H_

// `fazhi report …` commands.

#include "services/cli/cli_util.h"

namespace fazhi::cli {

int ReportPutOrg(const Flags& flags);
int ReportPut(const Flags& flags);
int ReportStatus(const Flags& flags);
int ReportOverdue(const Flags& flags);

}  // namespace fazhi::cli

#endif  // FAZHI_SERVICES_CLI_REPORT_COMMANDS_H_
