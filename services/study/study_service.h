#ifndef FAZHI_SERVICES_STUDY_STUDY_SERVICE_H_
#define FAZHI_SERVICES_STUDY_STUDY_SERVICE_H_

// gRPC handlers of fazhi.study.v1.StudyService: validate the request,
// convert it, call the store or the summary logic, convert back.

#include "absl/time/civil_time.h"
#include "fazhi/study/v1/study.grpc.pb.h"
#include "services/common/auth/audit.h"
#include "services/common/rpc.h"
#include "services/kernel/dates.h"
#include "services/study/study_store.h"

namespace fazhi::study {

class StudyServiceImpl final
    : public CallbackMethods<v1::StudyService::Service,
                             v1::StudyService::WithCallbackMethod_GetSession,
                             v1::StudyService::WithCallbackMethod_ListSessions,
                             v1::StudyService::WithCallbackMethod_GetPublicityEvent,
                             v1::StudyService::WithCallbackMethod_ListPublicityEvents,
                             v1::StudyService::WithCallbackMethod_GetStudyPlan,
                             v1::StudyService::WithCallbackMethod_ListStudyPlans,
                             v1::StudyService::WithCallbackMethod_GetStudySummary,
                             v1::StudyService::WithCallbackMethod_ListAuditRecords> {
 public:
  using Clock = kernel::Clock;

  // `store` and `calls` must outlive the service. `today` gives the civil
  // date in China (UTC+8) by default; tests pass a fixed one.
  StudyServiceImpl(StudyStore* store, const CallHandler* calls, Clock today = nullptr);

  grpc::ServerUnaryReactor* GetSession(grpc::CallbackServerContext* context,
                                       const v1::GetSessionRequest* request,
                                       v1::Session* response) override;
  grpc::ServerUnaryReactor* ListSessions(grpc::CallbackServerContext* context,
                                         const v1::ListSessionsRequest* request,
                                         v1::ListSessionsResponse* response) override;
  grpc::Status CreateSession(grpc::ServerContext* context, const v1::CreateSessionRequest* request,
                             v1::Session* response) override;
  grpc::Status UpdateSession(grpc::ServerContext* context, const v1::UpdateSessionRequest* request,
                             v1::Session* response) override;
  grpc::Status DeleteSession(grpc::ServerContext* context, const v1::DeleteSessionRequest* request,
                             google::protobuf::Empty* response) override;
  grpc::Status ImportSessions(grpc::ServerContext* context,
                              grpc::ServerReader<v1::ImportSessionsRequest>* reader,
                              fazhi::type::v1::ImportReport* response) override;

  grpc::ServerUnaryReactor* GetPublicityEvent(grpc::CallbackServerContext* context,
                                              const v1::GetPublicityEventRequest* request,
                                              v1::PublicityEvent* response) override;
  grpc::ServerUnaryReactor* ListPublicityEvents(grpc::CallbackServerContext* context,
                                                const v1::ListPublicityEventsRequest* request,
                                                v1::ListPublicityEventsResponse* response) override;
  grpc::Status CreatePublicityEvent(grpc::ServerContext* context,
                                    const v1::CreatePublicityEventRequest* request,
                                    v1::PublicityEvent* response) override;
  grpc::Status UpdatePublicityEvent(grpc::ServerContext* context,
                                    const v1::UpdatePublicityEventRequest* request,
                                    v1::PublicityEvent* response) override;
  grpc::Status DeletePublicityEvent(grpc::ServerContext* context,
                                    const v1::DeletePublicityEventRequest* request,
                                    google::protobuf::Empty* response) override;
  grpc::Status ImportPublicityEvents(grpc::ServerContext* context,
                                     grpc::ServerReader<v1::ImportPublicityEventsRequest>* reader,
                                     fazhi::type::v1::ImportReport* response) override;

  grpc::ServerUnaryReactor* GetStudyPlan(grpc::CallbackServerContext* context,
                                         const v1::GetStudyPlanRequest* request,
                                         v1::StudyPlan* response) override;
  grpc::ServerUnaryReactor* ListStudyPlans(grpc::CallbackServerContext* context,
                                           const v1::ListStudyPlansRequest* request,
                                           v1::ListStudyPlansResponse* response) override;
  grpc::Status UpdateStudyPlan(grpc::ServerContext* context,
                               const v1::UpdateStudyPlanRequest* request,
                               v1::StudyPlan* response) override;
  grpc::Status DeleteStudyPlan(grpc::ServerContext* context,
                               const v1::DeleteStudyPlanRequest* request,
                               google::protobuf::Empty* response) override;

  grpc::ServerUnaryReactor* GetStudySummary(grpc::CallbackServerContext* context,
                                            const v1::GetStudySummaryRequest* request,
                                            v1::StudySummary* response) override;

  grpc::ServerUnaryReactor* ListAuditRecords(
      grpc::CallbackServerContext* context, const fazhi::type::v1::ListAuditRecordsRequest* request,
      fazhi::type::v1::ListAuditRecordsResponse* response) override;

  // Where ListAuditRecords reads; set by main (absent: UNIMPLEMENTED).
  void set_audit_log(auth::AuditLog* audit) { audit_ = audit; }

 private:
  StudyStore* store_;
  const CallHandler* calls_;
  auth::AuditLog* audit_ = nullptr;
  Clock today_;
};

}  // namespace fazhi::study

#endif  // FAZHI_SERVICES_STUDY_STUDY_SERVICE_H_
