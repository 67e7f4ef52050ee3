#ifndef FAZHI_SERVICES_CLI_DUTY_COMMANDS_H_
#define FAZHI_SERVICES_CLI_DUTY_COMMANDS_H_

// `fazhi duty …` commands.

#include <string>

#include "fazhi/duty/v1/duty.pb.h"
#include "services/cli/cli_util.h"

namespace fazhi::cli {

int DutyImportPowers(const Flags& flags);
int DutyImportOfficers(const Flags& flags);
int DutyAllocate(const Flags& flags);
int DutyCoverage(const Flags& flags);

// Chinese names for terminals.
std::string PowerTypeName(fazhi::duty::v1::PowerType type);
std::string GapTypeName(fazhi::duty::v1::GapType type);
std::string UnstaffedReasonName(fazhi::duty::v1::UnstaffedReason reason);

// The plan and the coverage as readable Chinese text.
std::string FormatAllocation(const fazhi::duty::v1::AllocateDutiesResponse& plan);
std::string FormatCoverage(const fazhi::duty::v1::Coverage& coverage);

}  // namespace fazhi::cli

#endif  // FAZHI_SERVICES_CLI_DUTY_COMMANDS_H_
