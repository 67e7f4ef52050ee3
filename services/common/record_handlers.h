#ifndef FAZHI_SERVICES_COMMON_RECORD_HANDLERS_H_
#define FAZHI_SERVICES_COMMON_RECORD_HANDLERS_H_

// The handlers of a tenant-scoped record (AIP-131..135): get, list page,
// create with a request id, update with an etag and a field mask, delete,
// import. A service describes each record type once in a traits struct and
// calls these from thin handlers:
//
//   struct SessionTraits : ProtoRecord<v1::Session, Session, ToProto, FromProto> {
//     static constexpr absl::string_view kCollection = "sessions";  // in names
//     static constexpr absl::string_view kField = "session";        // in requests
//     static constexpr absl::string_view kNoun = "session";         // in messages
//     static constexpr auto kGet = &StudyStore::GetSession;        // (org, id)
//     static constexpr auto kCreate = &StudyStore::CreateSession;  // (record, key)
//     static constexpr auto kUpdate = &StudyStore::UpdateSession;  // (record, revision)
//     static constexpr auto kDelete = &StudyStore::DeleteSession;  // (org, id, revision)
//     static constexpr auto kImport = &StudyStore::ImportSessions; // (org, rows, mode)
//     static void Validate(const Proto&, absl::string_view prefix, const std::string& org,
//                          FieldViolations&);   // org: empty for import rows
//   };
//
// Each handler instantiates only the members it uses (a type without
// import has no kImport).

#include <grpcpp/support/sync_stream.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "fazhi/type/v1/import.pb.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/message.h"
#include "services/common/field_mask.h"
#include "services/common/import.h"
#include "services/common/record.h"
#include "services/common/record_errors.h"
#include "services/common/resource.h"
#include "services/common/status_macros.h"
#include "services/common/validation.h"
#include "services/kernel/utf8.h"

namespace fazhi {

// The proto of a record (with name and etag), the record (with RecordMeta
// meta) and the conversions between them.
template <typename P, typename R, P (*kToProto)(const R&), R (*kFromProto)(const P&)>
struct ProtoRecord {
  using Proto = P;
  using Record = R;
  static Proto ToProto(const Record& record) { return kToProto(record); }
  static Record FromProto(const Proto& proto) { return kFromProto(proto); }
};

// The idempotency key of a create: `request_id` and the fingerprint of
// `request` without its request_id field, so a retry matches. No request
// id: no key.
IdempotencyKey IdempotencyKeyOf(const google::protobuf::Message& request,
                                const std::string& request_id);

// Answers one page of a list: `fetch(limit)` returns the records after
// the page token's position, asked for one more than the page to tell
// whether another page exists; they are converted with `to_proto` into
// `items` (FillPage: the page may end early at kMaxPageBytes), and the next
// page's token carries `position(last record taken)`.
template <typename Fetch, typename ToProto, typename Position, typename Items>
absl::Status AnswerPage(int page_size, absl::string_view query, Fetch fetch, ToProto to_proto,
                        Position position, Items* items, std::string* next_page_token) {
  ASSIGN_OR_RETURN(auto records, fetch(page_size + 1));
  bool more = false;
  const size_t taken = FillPage(records, page_size, items, to_proto, &more);
  if (more) *next_page_token = EncodePageToken(query, position(records[taken - 1]));
  return absl::OkStatus();
}

template <typename T, typename Store>
absl::Status GetRecord(Store& store, const std::string& name, typename T::Proto* out) {
  FieldViolations v;
  auto parsed = ParseChildName(name, T::kCollection, "name", v);
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(auto record, std::invoke(T::kGet, store, parsed->org, parsed->id));
  *out = T::ToProto(record);
  return absl::OkStatus();
}

// `id` is the caller's choice of id (empty: the server picks one);
// `request` the whole request, for the idempotency fingerprint.
template <typename T, typename Store>
absl::Status CreateRecord(Store& store, const std::string& parent, const typename T::Proto& proto,
                          const std::string& id, const std::string& request_id,
                          const google::protobuf::Message& request, typename T::Proto* out) {
  FieldViolations v;
  auto org = ParseOrgName(parent, "parent", v);
  T::Validate(proto, absl::StrCat(T::kField, "."), org.value_or(""), v);
  if (!id.empty() && !IsValidResourceId(id)) {
    v.Add(absl::StrCat(T::kField, "_id"), "must be 1-63 of a-z, 0-9 and '-', not ending in '-'");
  }
  if (request_id.size() > 128 || kernel::Utf8Length(request_id) < 0) {
    v.Add("request_id", "must be at most 128 characters of valid UTF-8");
  }
  RETURN_IF_ERROR(v.ToStatus());

  typename T::Record record = T::FromProto(proto);
  record.meta.org = *org;
  record.meta.id = id.empty() ? NewResourceId() : id;
  ASSIGN_OR_RETURN(auto stored, std::invoke(T::kCreate, store, std::move(record),
                                            IdempotencyKeyOf(request, request_id)));
  *out = T::ToProto(stored);
  return absl::OkStatus();
}

// Replaces the fields `mask` names of the stored record with those of
// `proto`, whose etag, when given, must be the stored one.
template <typename T, typename Store>
absl::Status UpdateRecord(Store& store, const typename T::Proto& proto,
                          const google::protobuf::FieldMask& mask, typename T::Proto* out) {
  FieldViolations v;
  auto parsed = ParseChildName(proto.name(), T::kCollection, absl::StrCat(T::kField, ".name"), v);
  auto expected = ParseEtagField(proto.etag(), absl::StrCat(T::kField, ".etag"), v);
  RETURN_IF_ERROR(v.ToStatus());

  ASSIGN_OR_RETURN(auto current, std::invoke(T::kGet, store, parsed->org, parsed->id));
  RETURN_IF_ERROR(CheckExpectedRevision(T::kNoun, expected, current.meta.revision));
  typename T::Proto merged = T::ToProto(current);
  ApplyFieldMask(proto, mask, "update_mask", merged, v);
  RETURN_IF_ERROR(v.ToStatus());
  T::Validate(merged, absl::StrCat(T::kField, "."), parsed->org, v);
  RETURN_IF_ERROR(v.ToStatus());

  typename T::Record record = T::FromProto(merged);
  record.meta = current.meta;
  ASSIGN_OR_RETURN(auto stored,
                   std::invoke(T::kUpdate, store, std::move(record), current.meta.revision));
  *out = T::ToProto(stored);
  return absl::OkStatus();
}

template <typename T, typename Store>
absl::Status DeleteRecord(Store& store, const std::string& name, const std::string& etag) {
  FieldViolations v;
  auto parsed = ParseChildName(name, T::kCollection, "name", v);
  auto expected = ParseEtagField(etag, "etag", v);
  RETURN_IF_ERROR(v.ToStatus());
  return std::invoke(T::kDelete, store, parsed->org, parsed->id, expected);
}

// The client-streaming import (RunImport); `rows_of(request)` is the
// request's repeated row field.
template <typename T, typename Store, typename Request, typename RowsOf>
absl::Status ImportRecords(Store& store, grpc::ServerReaderInterface<Request>* reader,
                           RowsOf rows_of, fazhi::type::v1::ImportReport* report) {
  return RunImport(
      reader, T::kCollection, rows_of,
      [](const typename T::Proto& row, FieldViolations& v) { T::Validate(row, "", "", v); },
      [](const typename T::Proto& row) { return T::FromProto(row); },
      [&store](const std::string& org, std::vector<typename T::Record> rows, ImportMode mode) {
        return std::invoke(T::kImport, store, org, std::move(rows), mode);
      },
      report);
}

}  // namespace fazhi

#endif  // FAZHI_SERVICES_COMMON_RECORD_HANDLERS_H_
