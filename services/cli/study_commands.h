#ifndef FAZHI_SERVICES_CLI_STUDY_COMMANDS_H_
#define FAZHI_SERVICES_CLI_STUDY_COMMANDS_H_

// `fazhi study …` commands.

#include "services/cli/cli_util.h"

namespace fazhi::cli {

int StudyImportSessions(const Flags& flags);
int StudyImportEvents(const Flags& flags);
int StudyPutPlan(const Flags& flags);
int StudySummary(const Flags& flags);

}  // namespace fazhi::cli

#endif  // FAZHI_SERVICES_CLI_STUDY_COMMANDS_H_
