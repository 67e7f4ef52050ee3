#ifndef FAZHI_SERVICES_CLI_TEMPLATE_COMMANDS_H_
#define FAZHI_SERVICES_CLI_TEMPLATE_COMMANDS_H_

// `fazhi study template-sessions`, `study template-events`, `duty
// template-powers`, `duty template-officers`: the import template of a
// kind (sheets/import_sheets.h) as CSV or XLSX, by --out's extension.

#include <string>

#include "services/cli/cli_util.h"

namespace fazhi::cli {

// `kind`: "sessions", "events", "powers" or "officers".
int WriteImportTemplate(const Flags& flags, const std::string& kind);

}  // namespace fazhi::cli

#endif  // FAZHI_SERVICES_CLI_TEMPLATE_COMMANDS_H_
