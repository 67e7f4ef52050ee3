#ifndef FAZHI_SERVICES_CLI_IMPORT_STREAM_H_
#define FAZHI_SERVICES_CLI_IMPORT_STREAM_H_

// The `import-*` commands of every service: an import file streamed in
// batches over the service's client-streaming Import RPC, then its report.

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "fazhi/type/v1/import.pb.h"
#include "services/cli/cli_util.h"
#include "services/cli/json_rows.h"
#include "services/common/grpc_status.h"
#include "services/common/names.h"

namespace fazhi::cli {

// Flags: --org, --file, --batch (rows per message, 1–1000), --mode
// (create|upsert). `make_stub(flags)` makes the service's stub;
// `open(stub, context, report)` opens the stream; `add_rows(request)` adds
// one row to a request message. Progress goes to stderr, the report to
// stdout: totals, every rejected row, and how many row results the server
// left out of a report too large for one message.
template <typename Request, typename Row, typename MakeStub, typename Open, typename AddRows>
int StreamImport(const Flags& flags, MakeStub make_stub, Open open, AddRows add_rows) {
  const std::string org = Flag(flags, "org"), file = Flag(flags, "file");
  if (org.empty() || file.empty()) return Usage("--org and --file are required");
  int batch_size = 500;
  if (flags.count("batch") && (!absl::SimpleAtoi(Flag(flags, "batch"), &batch_size) ||
                               batch_size < 1 || batch_size > 1000)) {
    return Usage("--batch must be between 1 and 1000");
  }
  const std::string mode = Flag(flags, "mode", "create");
  if (mode != "create" && mode != "upsert") return Usage("--mode must be create or upsert");

  auto read = ReadImportFile<Row>(file);
  if (!read.ok()) {
    std::cerr << "fazhi: " << file << ": " << read.status().message() << "\n";
    return kExitUsage;
  }
  const std::vector<Row> rows = *std::move(read);

  grpc::ClientContext context;
  SetDeadline(context, 600);
  fazhi::type::v1::ImportReport report;
  auto stub = make_stub(flags);
  auto writer = open(*stub, context, report);
  // The first message names the organization and the mode; it is sent even
  // for an empty file, so the report says "received 0".
  for (size_t start = 0; start < rows.size() || start == 0; start += batch_size) {
    Request request;
    if (start == 0) {
      request.set_parent(OrgName(org));
      request.set_mode(mode == "upsert" ? fazhi::type::v1::IMPORT_MODE_UPSERT
                                        : fazhi::type::v1::IMPORT_MODE_CREATE_ONLY);
    }
    const size_t end = std::min(rows.size(), start + batch_size);
    for (size_t i = start; i < end; ++i) *add_rows(request) = rows[i];
    if (!writer->Write(request)) break;
    std::cerr << "\r" << file << ": sent " << end << "/" << rows.size() << " rows" << std::flush;
    if (rows.empty()) break;
  }
  std::cerr << "\n";
  writer->WritesDone();
  grpc::Status status = writer->Finish();
  if (!status.ok()) {
    std::cerr << "fazhi: import failed: " << Describe(status) << "\n";
    ReadDetail(FromGrpcStatus(status), report);
    std::cerr << "stored before the failure: " << report.rows_stored() << " rows in "
              << report.batches_committed() << " batches\n";
    return kExitCallFailed;
  }
  std::cout << file << ": received " << report.rows_received() << ", stored "
            << report.rows_stored() << ", rejected " << report.rows_rejected() << "\n";
  for (const auto& result : report.results()) {
    if (result.code() == 0) continue;
    std::cout << "  row " << result.row()
              << (result.external_id().empty() ? "" : " (" + result.external_id() + ")") << ": "
              << result.message() << "\n";
  }
  if (report.results_omitted() > 0) {
    std::cout << "  (" << report.results_omitted()
              << " row results left out of the report to keep it within one message; the "
                 "counts above are complete)\n";
  }
  return report.rows_rejected() > 0 ? kExitRowsRejected : kExitOk;
}

}  // namespace fazhi::cli

#endif  // FAZHI_SERVICES_CLI_IMPORT_STREAM_H_
