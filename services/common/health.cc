#include "services/common/health.h"

#include <functional>
#include <optional>
#include <utility>
#include <vector>

namespace fazhi {

using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

namespace {

// A Watch refused at once (too many watchers).
class RefusedWatch : public grpc::ServerWriteReactor<HealthCheckResponse> {
 public:
  explicit RefusedWatch(grpc::Status status) { Finish(std::move(status)); }
  void OnDone() override { delete this; }
};

}  // namespace

// One Watch stream. Its state changes under the service's mutex; gRPC is
// called outside it (a reaction may run on the calling thread). A write in
// flight or a Finish not yet called keeps the reactor alive, so the
// decisions taken under the lock stay valid until they are carried out.
class HealthService::Watcher : public grpc::ServerWriteReactor<HealthCheckResponse> {
 public:
  Watcher(HealthService* service, std::string name, std::string peer)
      : service_(service), name_(std::move(name)), peer_(std::move(peer)) {}

  // What to do with gRPC once the lock is released.
  using Action = std::function<void()>;

  // Needs service_->mutex_. Sends the newest status when it changed; once
  // the service shuts down, sends NOT_SERVING (if not yet heard) and ends.
  Action UpdateLocked() {
    if (finished_ || writing_) return nullptr;  // OnWriteDone comes back here
    if (cancelled_) return FinishLocked(grpc::Status::CANCELLED);
    const ServingStatus now = service_->StatusOf(name_);
    if (sent_ && now == last_) {
      if (!service_->shutdown_) return nullptr;
      ++service_->told_;  // NOT_SERVING has been written: end the stream
      return FinishLocked(grpc::Status::OK);
    }
    writing_ = true;
    sent_ = true;
    last_ = now;
    response_.set_status(now);
    return [this] { StartWrite(&response_); };
  }

  void OnWriteDone(bool ok) override {
    Action action;
    {
      std::lock_guard<std::mutex> lock(service_->mutex_);
      writing_ = false;
      if (!ok) cancelled_ = true;
      action = UpdateLocked();
    }
    if (action) action();
  }

  void OnCancel() override {
    Action action;
    {
      std::lock_guard<std::mutex> lock(service_->mutex_);
      cancelled_ = true;
      action = UpdateLocked();
    }
    if (action) action();
  }

  void OnDone() override {
    {
      std::lock_guard<std::mutex> lock(service_->mutex_);
      service_->watchers_.erase(this);
      if (--service_->watchers_per_peer_[peer_] <= 0) service_->watchers_per_peer_.erase(peer_);
    }
    service_->ended_.notify_all();
    delete this;
  }

 private:
  // Needs service_->mutex_ and no write in flight.
  Action FinishLocked(grpc::Status status) {
    if (finished_) return nullptr;
    finished_ = true;
    return [this, status = std::move(status)] { Finish(status); };
  }

  HealthService* service_;
  const std::string name_;
  const std::string peer_;
  HealthCheckResponse response_;
  ServingStatus last_ = HealthCheckResponse::UNKNOWN;
  bool sent_ = false;
  bool writing_ = false;
  bool finished_ = false;
  bool cancelled_ = false;
};

HealthService::~HealthService() { Shutdown(); }

void HealthService::AddService(const std::string& name) {
  std::lock_guard<std::mutex> lock(mutex_);
  statuses_.emplace(name, HealthCheckResponse::NOT_SERVING);
}

void HealthService::SetAll(bool serving) {
  std::vector<Watcher::Action> actions;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& [name, status] : statuses_) {
      status = serving ? HealthCheckResponse::SERVING : HealthCheckResponse::NOT_SERVING;
    }
    for (Watcher* watcher : watchers_) {
      if (Watcher::Action action = watcher->UpdateLocked()) actions.push_back(std::move(action));
    }
  }
  for (auto& action : actions) action();
}

void HealthService::Shutdown() {
  std::vector<Watcher::Action> actions;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (shutdown_) return;
    shutdown_ = true;
    for (auto& [name, status] : statuses_) status = HealthCheckResponse::NOT_SERVING;
    for (Watcher* watcher : watchers_) {
      if (Watcher::Action action = watcher->UpdateLocked()) actions.push_back(std::move(action));
    }
  }
  for (auto& action : actions) action();
}

HealthService::Watchers HealthService::AwaitWatchers(absl::Duration limit) {
  std::unique_lock<std::mutex> lock(mutex_);
  ended_.wait_for(lock, absl::ToChronoMilliseconds(limit), [this] { return watchers_.empty(); });
  return {told_, static_cast<int>(watchers_.size())};
}

HealthService::ServingStatus HealthService::StatusOf(const std::string& name) const {
  auto it = statuses_.find(name);
  return it == statuses_.end() ? HealthCheckResponse::SERVICE_UNKNOWN : it->second;
}

grpc::ServerUnaryReactor* HealthService::Check(grpc::CallbackServerContext* context,
                                               const HealthCheckRequest* request,
                                               HealthCheckResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  ServingStatus status;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    status = StatusOf(request->service());
  }
  if (status == HealthCheckResponse::SERVICE_UNKNOWN) {
    reactor->Finish(grpc::Status(grpc::StatusCode::NOT_FOUND, "unknown service"));
  } else {
    response->set_status(status);
    reactor->Finish(grpc::Status::OK);
  }
  return reactor;
}

grpc::ServerWriteReactor<HealthCheckResponse>* HealthService::Watch(
    grpc::CallbackServerContext* context, const HealthCheckRequest* request) {
  const std::string peer = context->peer();
  Watcher* watcher = nullptr;
  Watcher::Action action;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (static_cast<int>(watchers_.size()) >= kMaxWatchers ||
        watchers_per_peer_[peer] >= kMaxWatchersPerConnection) {
      if (watchers_per_peer_[peer] == 0) watchers_per_peer_.erase(peer);
      return new RefusedWatch(
          grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "too many health Watch streams open"));
    }
    watcher = new Watcher(this, request->service(), peer);
    watchers_.insert(watcher);
    ++watchers_per_peer_[peer];
    action = watcher->UpdateLocked();
  }
  if (action) action();
  return watcher;
}

}  // namespace fazhi
