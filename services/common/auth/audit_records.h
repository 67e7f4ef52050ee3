#ifndef FAZHI_SERVICES_COMMON_AUTH_AUDIT_RECORDS_H_
#define FAZHI_SERVICES_COMMON_AUTH_AUDIT_RECORDS_H_

// The ListAuditRecords RPC every data-owning service shares. Apart from
// audit.h because it asks the access policy which organizations the caller
// may audit, and the access policy writes to the audit log.

#include "absl/status/status.h"
#include "fazhi/type/v1/audit.pb.h"
#include "services/common/auth/audit.h"

namespace fazhi::auth {

// Checks the request, limits the rows to the organizations the current
// caller may audit, pages newest first. UNIMPLEMENTED without a log.
absl::Status ListAuditRecords(AuditLog* log,
                              const fazhi::type::v1::ListAuditRecordsRequest& request,
                              fazhi::type::v1::ListAuditRecordsResponse* response);

}  // namespace fazhi::auth

#endif  // FAZHI_SERVICES_COMMON_AUTH_AUDIT_RECORDS_H_
