#ifndef FAZHI_SERVICES_CLI_KEYS_COMMANDS_H_
#define FAZHI_SERVICES_CLI_KEYS_COMMANDS_H_

// `fazhi keys create|list|revoke`: edits the keys file the services read
// (--keys_file, else $FAZHI_KEYS_FILE). Services pick changes up on SIGHUP.

#include "services/cli/cli_util.h"

namespace fazhi::cli {

int KeysCreate(const Flags& flags);
int KeysList(const Flags& flags);
int KeysRevoke(const Flags& flags);

}  // namespace fazhi::cli

#endif  // FAZHI_SERVICES_CLI_KEYS_COMMANDS_H_
