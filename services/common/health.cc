#include "services/common/health.h"

#include <chrono>

namespace fazhi {

using grpc::health::v1::HealthCheckResponse;

void HealthService::AddService(const std::string& name) {
  std::lock_guard<std::mutex> lock(mutex_);
  statuses_.emplace(name, HealthCheckResponse::NOT_SERVING);
}

void HealthService::SetAll(bool serving) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& [name, status] : statuses_) {
      status = serving ? HealthCheckResponse::SERVING : HealthCheckResponse::NOT_SERVING;
    }
  }
  changed_.notify_all();
}

void HealthService::Shutdown() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    shutdown_ = true;
    for (auto& [name, status] : statuses_) status = HealthCheckResponse::NOT_SERVING;
  }
  changed_.notify_all();
}

HealthService::ServingStatus HealthService::StatusOf(const std::string& name) const {
  auto it = statuses_.find(name);
  return it == statuses_.end() ? HealthCheckResponse::SERVICE_UNKNOWN : it->second;
}

grpc::Status HealthService::Check(grpc::ServerContext*,
                                  const grpc::health::v1::HealthCheckRequest* request,
                                  HealthCheckResponse* response) {
  std::lock_guard<std::mutex> lock(mutex_);
  ServingStatus status = StatusOf(request->service());
  if (status == HealthCheckResponse::SERVICE_UNKNOWN) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND, "unknown service");
  }
  response->set_status(status);
  return grpc::Status::OK;
}

grpc::Status HealthService::Watch(grpc::ServerContext* context,
                                  const grpc::health::v1::HealthCheckRequest* request,
                                  grpc::ServerWriter<HealthCheckResponse>* writer) {
  std::unique_lock<std::mutex> lock(mutex_);
  bool first = true;
  ServingStatus last = HealthCheckResponse::UNKNOWN;
  while (!context->IsCancelled()) {
    ServingStatus now = StatusOf(request->service());
    if (first || now != last) {
      HealthCheckResponse response;
      response.set_status(now);
      lock.unlock();
      const bool written = writer->Write(response);
      lock.lock();
      if (!written) break;
      first = false;
      last = now;
    }
    if (shutdown_) break;
    // Wake up now and then to notice a cancelled caller.
    changed_.wait_for(lock, std::chrono::milliseconds(500));
  }
  return grpc::Status::OK;
}

}  // namespace fazhi
