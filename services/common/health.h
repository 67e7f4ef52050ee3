#ifndef FAZHI_SERVICES_COMMON_HEALTH_H_
#define FAZHI_SERVICES_COMMON_HEALTH_H_

// grpc.health.v1.Health whose answer is true: NOT_SERVING until the server
// marks itself ready (store open and migrated), NOT_SERVING again while it
// drains. gRPC's built-in service starts out SERVING, so it is not used.

#include <condition_variable>
#include <map>
#include <mutex>
#include <string>

#include "grpc/health/v1/health.grpc.pb.h"

namespace fazhi {

class HealthService final : public grpc::health::v1::Health::Service {
 public:
  using ServingStatus = grpc::health::v1::HealthCheckResponse::ServingStatus;

  // Registers a service name ("" is the whole server) as NOT_SERVING.
  void AddService(const std::string& name);
  // Sets every registered name.
  void SetAll(bool serving);
  // Ends open Watch streams (called before the server shuts down).
  void Shutdown();

  grpc::Status Check(grpc::ServerContext* context,
                     const grpc::health::v1::HealthCheckRequest* request,
                     grpc::health::v1::HealthCheckResponse* response) override;
  grpc::Status Watch(grpc::ServerContext* context,
                     const grpc::health::v1::HealthCheckRequest* request,
                     grpc::ServerWriter<grpc::health::v1::HealthCheckResponse>* writer) override;

 private:
  ServingStatus StatusOf(const std::string& name) const;  // needs mutex_

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::string, ServingStatus> statuses_;
  bool shutdown_ = false;
};

}  // namespace fazhi

#endif  // FAZHI_SERVICES_COMMON_HEALTH_H_
