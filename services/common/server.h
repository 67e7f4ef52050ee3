#ifndef FAZHI_SERVICES_COMMON_SERVER_H_
#define FAZHI_SERVICES_COMMON_SERVER_H_

// The gRPC server every fazhi service runs: health that tells the truth,
// reflection, keepalive, message limits, and a graceful drain on shutdown.
//
// Start-up order in a main.cc:
//   BlockTerminationSignals();          // before any thread exists
//   Server server(options); server.AddService(&svc); server.Start();
//   open + migrate the store;  server.MarkServing();
//   WaitForTerminationSignal(); server.Drain();

#include <grpcpp/channel.h>
#include <grpcpp/impl/codegen/service_type.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/config.h"
#include "services/common/health.h"
#include "services/common/http_server.h"
#include "services/common/rpc.h"

namespace fazhi {

struct ServerOptions {
  std::string listen = "127.0.0.1:0";
  absl::Duration shutdown_grace = absl::Seconds(10);
  int max_message_bytes = 4 << 20;
  // HTTP side (/healthz, /metrics and service routes); empty: none.
  std::string http_listen;
  // Calls in flight per client connection, and the server's threads for
  // calls over all connections (beyond: RESOURCE_EXHAUSTED).
  int max_concurrent_streams = 100;
  int max_threads = 256;
  // Empty cert_file: plaintext (the configuration checked it was asked for).
  TlsFiles tls;
  // Every connection is told to go away after this age, and its calls still
  // running are cancelled the grace later: no stream outlives the sum.
  // Tests shorten them.
  absl::Duration max_connection_age = absl::Minutes(30);
  absl::Duration max_connection_age_grace = absl::Minutes(30);
};

// gRPC server credentials from the TLS files.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentialsFor(const TlsFiles& tls);

class Server {
 public:
  explicit Server(ServerOptions options);
  ~Server();

  // `service_name` is its full proto name, reported by health checks.
  void AddService(grpc::Service* service, const std::string& service_name);
  // Binds and starts serving; health reports NOT_SERVING and handlers
  // answer UNAVAILABLE until MarkServing.
  absl::Status Start();
  void MarkServing();
  // While serving: health follows whether the store's database answers
  // (NOT_SERVING during a failover), and comes back by itself.
  void SetStoreReachable(bool reachable);
  // Health turns NOT_SERVING, in-flight calls get shutdown_grace to finish,
  // then the rest are cancelled. Idempotent.
  void Drain();

  int port() const { return port_; }
  const Readiness* readiness() const { return &readiness_; }
  // The HTTP side, for routes added before Start; null without http_listen.
  HttpServer* http() { return http_.get(); }
  // A channel to this server's own services without network or TLS, with
  // the same message limits (the gateway's JSON routes call its RPCs
  // through it, so they run the same policy and handlers); null before Start.
  std::shared_ptr<grpc::Channel> InProcessChannel() const { return in_process_; }

 private:
  ServerOptions options_;
  std::vector<std::pair<grpc::Service*, std::string>> services_;
  HealthService health_;
  Readiness readiness_;
  std::unique_ptr<grpc::Server> server_;
  std::shared_ptr<grpc::Channel> in_process_;
  std::unique_ptr<HttpServer> http_;
  int port_ = 0;
  bool drained_ = false;
};

// Blocks SIGINT, SIGTERM and SIGHUP in the calling thread and in every
// thread it starts afterwards, so WaitForTerminationSignal can take them.
void BlockTerminationSignals();
// Waits for SIGINT or SIGTERM and returns which; calls `on_hangup` (if
// any) for each SIGHUP meanwhile.
int WaitForTerminationSignal(const std::function<void()>& on_hangup = {});

}  // namespace fazhi

#endif  // FAZHI_SERVICES_COMMON_SERVER_H_
