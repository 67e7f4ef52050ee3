#ifndef FAZHI_SERVICES_COMMON_HEALTH_H_
#define FAZHI_SERVICES_COMMON_HEALTH_H_

// grpc.health.v1.Health whose answer is true: NOT_SERVING until the server
// marks itself ready (store open and migrated), NOT_SERVING again while it
// drains. gRPC's built-in service starts out SERVING, so it is not used.
//
// It needs no key, so it runs on gRPC's callback API, off the synchronous
// server's call threads: a Watch stream holds no thread while it waits, and
// Check answers even when every call thread is busy. Watch streams are
// bounded per connection and in total.

#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <string>

#include "absl/time/time.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace fazhi {

class HealthService final : public grpc::health::v1::Health::CallbackService {
 public:
  using ServingStatus = grpc::health::v1::HealthCheckResponse::ServingStatus;

  static constexpr int kMaxWatchers = 1024;
  static constexpr int kMaxWatchersPerConnection = 16;

  HealthService() = default;
  ~HealthService() override;

  // Registers a service name ("" is the whole server) as NOT_SERVING.
  void AddService(const std::string& name);
  // Sets every registered name.
  void SetAll(bool serving);
  // Turns every name NOT_SERVING for good; each open Watch stream sends
  // that, then ends (called before the server shuts down).
  void Shutdown();
  // After Shutdown: waits until every Watch stream has ended (told
  // NOT_SERVING, or cancelled), or `limit` has passed.
  struct Watchers {
    int told = 0;        // streams that ended with OK after sending NOT_SERVING
    int still_open = 0;  // streams not ended yet
  };
  Watchers AwaitWatchers(absl::Duration limit);

  grpc::ServerUnaryReactor* Check(grpc::CallbackServerContext* context,
                                  const grpc::health::v1::HealthCheckRequest* request,
                                  grpc::health::v1::HealthCheckResponse* response) override;
  grpc::ServerWriteReactor<grpc::health::v1::HealthCheckResponse>* Watch(
      grpc::CallbackServerContext* context,
      const grpc::health::v1::HealthCheckRequest* request) override;

 private:
  class Watcher;
  friend class Watcher;

  ServingStatus StatusOf(const std::string& name) const;  // needs mutex_

  mutable std::mutex mutex_;
  std::map<std::string, ServingStatus> statuses_;
  std::set<Watcher*> watchers_;
  std::map<std::string, int> watchers_per_peer_;
  bool shutdown_ = false;
  int told_ = 0;                   // watchers finished OK after shutdown
  std::condition_variable ended_;  // a watcher's stream is done
};

}  // namespace fazhi

#endif  // FAZHI_SERVICES_COMMON_HEALTH_H_
