#include "services/common/auth/audit_records.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "services/common/auth/access.h"
#include "services/common/names.h"
#include "services/common/status_macros.h"
#include "services/common/validation.h"

namespace fazhi::auth {

absl::Status ListAuditRecords(AuditLog* log,
                              const fazhi::type::v1::ListAuditRecordsRequest& request,
                              fazhi::type::v1::ListAuditRecordsResponse* response) {
  if (log == nullptr) return absl::UnimplementedError("this server keeps no audit log");
  FieldViolations v;
  std::optional<std::string> org;
  if (request.parent() != kEveryOrgName) org = ParseOrgName(request.parent(), "parent", v);
  const int page_size =
      ResolvePageSize(request.page_size() == 0 ? 100 : request.page_size(), "page_size", v);
  const std::string query_key =
      absl::StrCat(request.parent(), "|", request.caller(), "|", request.denied_only());
  std::vector<std::string> position =
      DecodePageToken(request.page_token(), query_key, "page_token", v);
  RETURN_IF_ERROR(v.ToStatus());

  AuditQuery query;
  query.limit = page_size;
  query.caller = request.caller();
  query.denied_only = request.denied_only();
  if (org) {
    query.orgs = std::vector<std::string>{*org};
  } else {
    query.orgs = OrgsCallerMay(Permission::kAudit);
  }
  if (position.size() == 2) query.before = std::make_pair(position[0], position[1]);
  ASSIGN_OR_RETURN(AuditPage page, log->List(query));
  for (const AuditRecord& r : page.records) {
    fazhi::type::v1::AuditRecord* out = response->add_audit_records();
    const int64_t micros = absl::ToUnixMicros(r.time);
    out->mutable_time()->set_seconds(micros / 1000000);
    out->mutable_time()->set_nanos(static_cast<int32_t>(micros % 1000000) * 1000);
    out->set_caller(r.caller);
    out->set_credential(r.credential);
    out->set_org(r.org);
    out->set_method(r.method);
    out->set_resource(r.resource);
    out->set_outcome(r.outcome);
    out->set_message(r.message);
    out->set_request_id(r.request_id);
    out->set_peer(r.peer);
  }
  if (page.next) {
    response->set_next_page_token(
        EncodePageToken(query_key, {page.next->first, page.next->second}));
  }
  return absl::OkStatus();
}

}  // namespace fazhi::auth
