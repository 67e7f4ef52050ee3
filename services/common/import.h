#ifndef FAZHI_SERVICES_COMMON_IMPORT_H_
#define FAZHI_SERVICES_COMMON_IMPORT_H_

// The client-streaming bulk import every service offers. Each request
// message is one batch: its valid rows are stored in one transaction, its
// invalid rows are reported by position and skipped. When storing a batch
// fails, the call fails and carries the ImportReport (which batches were
// committed) in its status details.
//
// Request messages have: string parent = 1 (orgs/{org}); a repeated row
// field; ImportMode mode; bool validate_only; bool report_stored_rows.

#include <grpcpp/support/sync_stream.h>

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "fazhi/type/v1/import.pb.h"
#include "services/common/auth/access.h"
#include "services/common/grpc_status.h"
#include "services/common/record.h"
#include "services/common/resource.h"
#include "services/common/sql/database.h"
#include "services/common/validation.h"

namespace fazhi {

inline constexpr int kMaxImportBatchRows = 1000;
// Row results listed in an ImportReport; the rest are counted in
// results_omitted. A quarter of the default --max_message_bytes: a stream
// of any length gets its report back (before, a long stream with
// report_stored_rows was stored and then answered RESOURCE_EXHAUSTED).
inline constexpr size_t kMaxImportResultBytes = 1 << 20;

// Adds the outcome of a row to the report; `result_bytes` counts the size of
// the results listed, beyond kMaxImportResultBytes a result is only counted
// in results_omitted.
void AddImportResult(fazhi::type::v1::ImportReport& report, int row, int batch,
                     const absl::Status& status, const std::vector<Violation>& violations,
                     const std::string& name, const std::string& external_id, bool replaced,
                     bool report_stored, size_t& result_bytes);

// The report a failed import carries in its status details: the counts
// only, its row results counted in results_omitted. Status details travel
// in a trailer, which clients refuse beyond a few KiB (gRPC's default
// metadata limit is 8 KiB): with the results the caller would get
// RESOURCE_EXHAUSTED instead of the error and never learn which batches
// were stored.
fazhi::type::v1::ImportReport FailedImportReport(const fazhi::type::v1::ImportReport& report);

// `rows_of(request)` returns the repeated row field; `validate(row, v)`
// checks one row; `to_record(row)` converts it; `store(org, records, mode)`
// stores one batch and returns one ImportOutcome per record.
template <typename Request, typename RowsOf, typename Validate, typename ToRecord, typename Store>
absl::Status RunImport(grpc::ServerReaderInterface<Request>* reader, absl::string_view collection,
                       RowsOf rows_of, Validate validate, ToRecord to_record, Store store,
                       fazhi::type::v1::ImportReport* report) {
  Request request;
  std::string org;
  ImportMode mode = ImportMode::kCreateOnly;
  bool validate_only = false;
  bool report_stored = false;
  int row_index = 0;
  size_t result_bytes = 0;
  for (int batch = 0; reader->Read(&request); ++batch) {
    report->set_batches_received(batch + 1);
    FieldViolations request_violations;
    if (batch == 0) {
      std::optional<std::string> parsed =
          ParseOrgName(request.parent(), "parent", request_violations);
      if (parsed) {
        org = *parsed;
        // The policy saw no request for a stream: the organization is
        // checked here, before any row is read.
        if (absl::Status allowed = auth::AuthorizeStreamOrg(org); !allowed.ok()) return allowed;
      }
      if (!fazhi::type::v1::ImportMode_IsValid(request.mode())) {
        request_violations.Add("mode", "must be CREATE_ONLY or UPSERT");
      }
      mode = request.mode() == fazhi::type::v1::IMPORT_MODE_UPSERT ? ImportMode::kUpsert
                                                                   : ImportMode::kCreateOnly;
      validate_only = request.validate_only();
      report_stored = request.report_stored_rows();
      report->set_validate_only(validate_only);
    } else if (!request.parent().empty() && request.parent() != OrgName(org)) {
      request_violations.Add("parent", "must not change within one import stream");
    }
    const auto& rows = rows_of(request);
    if (rows.size() > kMaxImportBatchRows) {
      request_violations.Add(std::string(collection),
                             absl::StrCat("at most ", kMaxImportBatchRows,
                                          " rows per message (got ", rows.size(), ")"));
    }
    if (!request_violations.empty()) {
      absl::Status status = request_violations.ToStatus();
      AttachDetail(status, FailedImportReport(*report));
      return status;
    }

    using Record = decltype(to_record(rows[0]));
    std::vector<Record> records;
    std::vector<int> positions;  // row index of each record
    records.reserve(rows.size());
    positions.reserve(rows.size());
    for (const auto& row : rows) {
      report->set_rows_received(report->rows_received() + 1);
      FieldViolations v;
      validate(row, v);
      if (!v.empty()) {
        report->set_rows_rejected(report->rows_rejected() + 1);
        AddImportResult(*report, row_index, batch, v.ToStatus(), v.violations(), "",
                        row.external_id(), false, true, result_bytes);
      } else {
        records.push_back(to_record(row));
        positions.push_back(row_index);
      }
      ++row_index;
    }
    if (validate_only || records.empty()) {
      if (!validate_only) report->set_batches_committed(report->batches_committed() + 1);
      continue;
    }
    std::vector<std::string> external_ids;
    external_ids.reserve(records.size());
    for (const Record& r : records) external_ids.push_back(r.external_id);
    absl::StatusOr<std::vector<ImportOutcome>> outcomes = store(org, std::move(records), mode);
    if (!outcomes.ok()) {
      absl::Status status(outcomes.status().code(),
                          absl::StrCat("batch ", batch,
                                       sql::MayHaveCommitted(outcomes.status())
                                           ? " may or may not have been stored ("
                                           : " was not stored (",
                                       outcomes.status().message(), "); batches before it were"));
      AttachDetail(status, FailedImportReport(*report));
      return status;
    }
    report->set_batches_committed(report->batches_committed() + 1);
    for (size_t i = 0; i < outcomes->size(); ++i) {
      const ImportOutcome& outcome = (*outcomes)[i];
      if (outcome.status.ok()) {
        report->set_rows_stored(report->rows_stored() + 1);
      } else {
        report->set_rows_rejected(report->rows_rejected() + 1);
      }
      AddImportResult(*report, positions[i], batch, outcome.status, {},
                      outcome.id.empty() ? "" : ChildResourceName(org, collection, outcome.id),
                      external_ids[i], outcome.replaced, report_stored, result_bytes);
    }
  }
  if (report->batches_received() == 0) {
    FieldViolations v;
    v.Add("parent", "the import stream carried no message");
    return v.ToStatus();
  }
  return absl::OkStatus();
}

}  // namespace fazhi

#endif  // FAZHI_SERVICES_COMMON_IMPORT_H_
