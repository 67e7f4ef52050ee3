// fazhi: the command line for staff and ops. Talks to the services over gRPC.

#include <grpcpp/grpcpp.h>

#include <cstdlib>
#include <iostream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "fazhi/study/v1/study.grpc.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/error_details.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "services/cli/cli_util.h"
#include "services/cli/duty_commands.h"
#include "services/cli/gateway_commands.h"
#include "services/cli/keys_commands.h"
#include "services/cli/report_commands.h"
#include "services/cli/study_commands.h"
#include "services/cli/template_commands.h"
#include "services/common/grpc_status.h"

namespace fazhi::cli {
namespace {

constexpr char kUsage[] = R"(fazhi — command line for the fazhi services

usage: fazhi <command> [--flag=value ...]

commands:
  wait-ready            wait until a service reports SERVING
                        [--target=HOST:PORT] [--timeout=SECONDS (30)]
  study import-sessions --org=ORG --file=FILE [--mode=create|upsert] [--batch=500]
  study import-events   --org=ORG --file=FILE [--mode=create|upsert] [--batch=500]
                        FILE: CSV (*.csv) or the first sheet of an XLSX workbook
                        (*.xlsx) with a header row (field names or the templates'
                        Chinese headers; lists split on ; or 、, dates YYYY-MM-DD
                        or date cells, dotted headers for nested fields), or a JSON
                        array / JSON Lines of Session / PublicityEvent objects
                        (protobuf JSON mapping)
  study template-sessions --out=FILE.xlsx|FILE.csv
  study template-events   --out=FILE.xlsx|FILE.csv
                        an import template: the Chinese and English headers and
                        one sample row
  study put-plan        --org=ORG --year=YEAR --file=PLAN.json
  study summary         --org=ORG --year=YEAR [--as-of=YYYY-MM-DD] [--format=text|json]
  report put-org        --file=ORG.json [--actor=NAME]
                        creates or replaces the organization named in the file
  report put            --org=ORG --year=YEAR --file=REPORT.json [--actor=NAME]
                        creates the year's report or replaces its content (DRAFT only)
  report status         --org=ORG --year=YEAR [--format=text|json]
  report overdue        --supervisor=ORG --year=YEAR [--as-of=YYYY-MM-DD] [--format=text|json]

  duty import-powers    --org=ORG --file=FILE [--mode=create|upsert] [--batch=500]
  duty import-officers  --org=ORG --file=FILE [--mode=create|upsert] [--batch=500]
                        FILE: CSV, XLSX (as for study import-sessions), or a
                        JSON array or JSON Lines of Power / Officer objects
  duty template-powers    --out=FILE.xlsx|FILE.csv
  duty template-officers  --out=FILE.xlsx|FILE.csv   import templates, as above
  duty allocate         --org=ORG [--as-of=YYYY-MM-DD] [--commit] [--format=text|json]
                        without --commit the plan is computed and shown, not stored
  duty coverage         --org=ORG [--as-of=YYYY-MM-DD] [--expiring-days=90]
                        [--training-hours=60] [--format=text|json]
  compose               --org=ORG --year=YEAR [--formats=docx,html,md,txt] [--out=DIR]
                        [--partial]   the annual report, composed by the gateway
  facts                 --org=ORG --year=YEAR [--records]
                        every fact the report may quote, its year before,
                        where the narrative quotes it and its records
  publish               --org=ORG --year=YEAR [--actor=NAME]   an APPROVED report
  dashboard             --supervisor=ORG --year=YEAR [--as-of=YYYY-MM-DD]

  keys create           --caller=NAME [--roles="ROLE:ORG[,ORG] ..."] [--certificate=NAME]
                        [--delegate] [--no_key] [--replace_roles]   adds the caller, or a
                        new key for it; other roles of an existing one need --replace_roles
                        (key rotation); prints the key once on stdout
  keys list             callers, roles, key ids (never keys or hashes)
  keys revoke           --key_id=ID | --caller=NAME
                        keys commands take --keys_file, else $FAZHI_KEYS_FILE;
                        ROLE: reader, editor, approver, supervisor, admin; ORG: id or *

--target defaults to $FAZHI_STUDY_TARGET, else 127.0.0.1:7101 (study commands
and wait-ready); $FAZHI_DUTY_TARGET, else 127.0.0.1:7102 (duty commands);
$FAZHI_REPORT_TARGET, else 127.0.0.1:7103 (report commands);
$FAZHI_GATEWAY_TARGET, else 127.0.0.1:7100 (compose, facts, publish, dashboard).
--actor defaults to $FAZHI_ACTOR, else $USER (used only by servers in development
mode; otherwise the change is recorded under the authenticated caller).
Credentials: the API key from $FAZHI_API_KEY or --api_key_file=FILE (never a flag
value); TLS: --ca_file / $FAZHI_CA_FILE, client certificate --client_cert_file and
--client_key_file ($FAZHI_CLIENT_CERT_FILE, $FAZHI_CLIENT_KEY_FILE), --server_name
/ $FAZHI_SERVER_NAME. Without a CA file the connection is plaintext.
A flag without a value (--commit) means --commit=true.
exit codes: 0 done, 1 some rows rejected, 2 usage error, 3 the call failed.
)";

int WaitReady(const Flags& flags) {
  int timeout = 30;
  if (flags.count("timeout") && !absl::SimpleAtoi(Flag(flags, "timeout"), &timeout)) {
    return Usage("--timeout must be a number of seconds");
  }
  const std::string target = Target(flags, "FAZHI_STUDY_TARGET", "127.0.0.1:7101");
  auto health = grpc::health::v1::Health::NewStub(ConnectRetryingQuickly(target));
  const absl::Time give_up = absl::Now() + absl::Seconds(timeout);
  std::string last = "no answer";
  while (absl::Now() < give_up) {
    grpc::ClientContext context;
    SetDeadline(context, 2);
    // Wait for the connection rather than fail fast: a call failing fast
    // on a server not yet listening abandoned the channel's next attempt,
    // and the server was seen seconds after it started serving.
    context.set_wait_for_ready(true);
    grpc::health::v1::HealthCheckRequest request;
    grpc::health::v1::HealthCheckResponse response;
    grpc::Status status = health->Check(&context, request, &response);
    if (status.ok() && response.status() == grpc::health::v1::HealthCheckResponse::SERVING) {
      std::cerr << target << " is serving\n";
      return 0;
    }
    last = status.ok() ? "NOT_SERVING" : status.error_message();
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  std::cerr << "fazhi: " << target << " not serving after " << timeout << " s (" << last << ")\n";
  return 3;
}

}  // namespace
}  // namespace fazhi::cli

int main(int argc, char** argv) {
  using namespace fazhi::cli;  // NOLINT: the entry point of this namespace's program
  std::vector<std::string> words;
  Flags flags;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    }
    if (absl::StartsWith(arg, "--")) {
      auto eq = arg.find('=');
      if (eq == std::string::npos) {
        flags[arg.substr(2)] = "true";
      } else {
        flags[arg.substr(2, eq - 2)] = arg.substr(eq + 1);
      }
    } else {
      words.push_back(arg);
    }
  }
  const std::string command = absl::StrJoin(words, " ");
  if (command == "keys create") return KeysCreate(flags);
  if (command == "keys list") return KeysList(flags);
  if (command == "keys revoke") return KeysRevoke(flags);
  // Templates call no server.
  if (command == "study template-sessions") return WriteImportTemplate(flags, "sessions");
  if (command == "study template-events") return WriteImportTemplate(flags, "events");
  if (command == "duty template-powers") return WriteImportTemplate(flags, "powers");
  if (command == "duty template-officers") return WriteImportTemplate(flags, "officers");
  if (absl::Status configured = ConfigureClient(flags); !configured.ok()) {
    return Usage(std::string(configured.message()));
  }
  if (command == "wait-ready") return WaitReady(flags);
  if (command == "study import-sessions") return StudyImportSessions(flags);
  if (command == "study import-events") return StudyImportEvents(flags);
  if (command == "study put-plan") return StudyPutPlan(flags);
  if (command == "study summary") return StudySummary(flags);
  if (command == "report put-org") return ReportPutOrg(flags);
  if (command == "report put") return ReportPut(flags);
  if (command == "report status") return ReportStatus(flags);
  if (command == "report overdue") return ReportOverdue(flags);
  if (command == "compose") return GatewayCompose(flags);
  if (command == "facts") return GatewayFacts(flags);
  if (command == "publish") return GatewayPublish(flags);
  if (command == "dashboard") return GatewayDashboard(flags);
  if (command == "duty import-powers") return DutyImportPowers(flags);
  if (command == "duty import-officers") return DutyImportOfficers(flags);
  if (command == "duty allocate") return DutyAllocate(flags);
  if (command == "duty coverage") return DutyCoverage(flags);
  return Usage(command.empty() ? "no command given" : "unknown command \"" + command + "\"");
}
