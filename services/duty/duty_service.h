#ifndef FAZHI_SERVICES_DUTY_DUTY_SERVICE_H_
#define FAZHI_SERVICES_DUTY_DUTY_SERVICE_H_

// gRPC handlers of fazhi.duty.v1.DutyService: validate the request,
// convert it, call the store or the allocation/coverage logic, convert back.

#include "absl/time/civil_time.h"
#include "fazhi/duty/v1/duty.grpc.pb.h"
#include "services/common/auth/audit.h"
#include "services/common/rpc.h"
#include "services/duty/duty_store.h"
#include "services/kernel/dates.h"

namespace fazhi::duty {

class DutyServiceImpl final
    : public CallbackMethods<v1::DutyService::Service, v1::DutyService::WithCallbackMethod_GetPower,
                             v1::DutyService::WithCallbackMethod_ListPowers,
                             v1::DutyService::WithCallbackMethod_GetPost,
                             v1::DutyService::WithCallbackMethod_ListPosts,
                             v1::DutyService::WithCallbackMethod_GetOfficer,
                             v1::DutyService::WithCallbackMethod_ListOfficers,
                             v1::DutyService::WithCallbackMethod_GetAssignment,
                             v1::DutyService::WithCallbackMethod_ListAssignments,
                             v1::DutyService::WithCallbackMethod_GetCoverage,
                             v1::DutyService::WithCallbackMethod_GetDutySummary,
                             v1::DutyService::WithCallbackMethod_ListAuditRecords> {
 public:
  using Clock = kernel::Clock;

  // `store` and `calls` must outlive the service. `today` gives the civil
  // date in China (UTC+8) by default; tests pass a fixed one.
  DutyServiceImpl(DutyStore* store, const CallHandler* calls, Clock today = nullptr);

  using Context = grpc::ServerContext;                  // writes and imports
  using CallbackContext = grpc::CallbackServerContext;  // reads
  using Empty = google::protobuf::Empty;
  using Report = fazhi::type::v1::ImportReport;

  grpc::ServerUnaryReactor* GetPower(CallbackContext* c, const v1::GetPowerRequest* r,
                                     v1::Power* out) override;
  grpc::ServerUnaryReactor* ListPowers(CallbackContext* c, const v1::ListPowersRequest* r,
                                       v1::ListPowersResponse* out) override;
  grpc::Status CreatePower(Context* c, const v1::CreatePowerRequest* r, v1::Power* out) override;
  grpc::Status UpdatePower(Context* c, const v1::UpdatePowerRequest* r, v1::Power* out) override;
  grpc::Status DeletePower(Context* c, const v1::DeletePowerRequest* r, Empty* out) override;
  grpc::Status ImportPowers(Context* c, grpc::ServerReader<v1::ImportPowersRequest>* reader,
                            Report* out) override;

  grpc::ServerUnaryReactor* GetPost(CallbackContext* c, const v1::GetPostRequest* r,
                                    v1::Post* out) override;
  grpc::ServerUnaryReactor* ListPosts(CallbackContext* c, const v1::ListPostsRequest* r,
                                      v1::ListPostsResponse* out) override;
  grpc::Status CreatePost(Context* c, const v1::CreatePostRequest* r, v1::Post* out) override;
  grpc::Status UpdatePost(Context* c, const v1::UpdatePostRequest* r, v1::Post* out) override;
  grpc::Status DeletePost(Context* c, const v1::DeletePostRequest* r, Empty* out) override;

  grpc::ServerUnaryReactor* GetOfficer(CallbackContext* c, const v1::GetOfficerRequest* r,
                                       v1::Officer* out) override;
  grpc::ServerUnaryReactor* ListOfficers(CallbackContext* c, const v1::ListOfficersRequest* r,
                                         v1::ListOfficersResponse* out) override;
  grpc::Status CreateOfficer(Context* c, const v1::CreateOfficerRequest* r,
                             v1::Officer* out) override;
  grpc::Status UpdateOfficer(Context* c, const v1::UpdateOfficerRequest* r,
                             v1::Officer* out) override;
  grpc::Status DeleteOfficer(Context* c, const v1::DeleteOfficerRequest* r, Empty* out) override;
  grpc::Status ImportOfficers(Context* c, grpc::ServerReader<v1::ImportOfficersRequest>* reader,
                              Report* out) override;

  grpc::ServerUnaryReactor* GetAssignment(CallbackContext* c, const v1::GetAssignmentRequest* r,
                                          v1::Assignment* out) override;
  grpc::ServerUnaryReactor* ListAssignments(CallbackContext* c, const v1::ListAssignmentsRequest* r,
                                            v1::ListAssignmentsResponse* out) override;
  grpc::Status CreateAssignment(Context* c, const v1::CreateAssignmentRequest* r,
                                v1::Assignment* out) override;
  grpc::Status UpdateAssignment(Context* c, const v1::UpdateAssignmentRequest* r,
                                v1::Assignment* out) override;
  grpc::Status DeleteAssignment(Context* c, const v1::DeleteAssignmentRequest* r,
                                Empty* out) override;

  grpc::Status AllocateDuties(Context* c, const v1::AllocateDutiesRequest* r,
                              v1::AllocateDutiesResponse* out) override;
  grpc::ServerUnaryReactor* GetCoverage(CallbackContext* c, const v1::GetCoverageRequest* r,
                                        v1::Coverage* out) override;
  grpc::ServerUnaryReactor* GetDutySummary(CallbackContext* c, const v1::GetDutySummaryRequest* r,
                                           v1::DutySummary* out) override;

  grpc::ServerUnaryReactor* ListAuditRecords(
      grpc::CallbackServerContext* context, const fazhi::type::v1::ListAuditRecordsRequest* request,
      fazhi::type::v1::ListAuditRecordsResponse* response) override;

  // Where ListAuditRecords reads; set by main (absent: UNIMPLEMENTED).
  void set_audit_log(auth::AuditLog* audit) { audit_ = audit; }

 private:
  DutyStore* store_;
  const CallHandler* calls_;
  auth::AuditLog* audit_ = nullptr;
  Clock today_;
};

}  // namespace fazhi::duty

#endif  // FAZHI_SERVICES_DUTY_DUTY_SERVICE_H_
