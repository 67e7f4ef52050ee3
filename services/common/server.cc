#include "services/common/server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/resource_quota.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>
#include <grpcpp/support/channel_arguments.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <string_view>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "services/common/client_tls.h"
#include "services/common/parse_errors.h"
#include "services/common/status_macros.h"
#include "spdlog/spdlog.h"

namespace fazhi {

namespace {

// The longest a drain waits for health watchers to hear NOT_SERVING.
constexpr absl::Duration kWatcherHold = absl::Seconds(2);

// Reflection streams need no key and each holds a call thread of the
// synchronous server while open: at most kMaxReflectionStreams at once
// (kPerConnection from one connection); one beyond is cancelled before its
// handler reads anything, so it gives its thread back at once.
class ReflectionGate : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  static constexpr int kMaxReflectionStreams = 16;
  static constexpr int kPerConnection = 4;

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    if (std::string_view(info->method()).rfind("/grpc.reflection.", 0) != 0) return nullptr;
    return new Counted(this, info);
  }

 private:
  class Counted : public grpc::experimental::Interceptor {
   public:
    Counted(ReflectionGate* gate, grpc::experimental::ServerRpcInfo* info)
        : gate_(gate), info_(info) {}
    ~Counted() override {
      if (!counted_) return;
      absl::MutexLock lock(&gate_->mutex_);
      --gate_->total_;
      if (--gate_->per_peer_[peer_] <= 0) gate_->per_peer_.erase(peer_);
    }
    void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
      using grpc::experimental::InterceptionHookPoints;
      if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA) &&
          !checked_) {
        checked_ = true;
        peer_ = info_->server_context()->peer();
        bool admitted;
        {
          absl::MutexLock lock(&gate_->mutex_);
          admitted =
              gate_->total_ < kMaxReflectionStreams && gate_->per_peer_[peer_] < kPerConnection;
          if (admitted) {
            ++gate_->total_;
            ++gate_->per_peer_[peer_];
            counted_ = true;
          } else if (gate_->per_peer_[peer_] == 0) {
            gate_->per_peer_.erase(peer_);
          }
        }
        if (!admitted) info_->server_context()->TryCancel();
      }
      methods->Proceed();
    }

   private:
    ReflectionGate* gate_;
    grpc::experimental::ServerRpcInfo* info_;
    std::string peer_;
    bool checked_ = false;
    bool counted_ = false;
  };

  absl::Mutex mutex_;
  int total_ ABSL_GUARDED_BY(mutex_) = 0;
  std::map<std::string, int> per_peer_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentialsFor(const TlsFiles& tls) {
  if (tls.cert_file.empty()) return grpc::InsecureServerCredentials();
  grpc::SslServerCredentialsOptions options;
  grpc::SslServerCredentialsOptions::PemKeyCertPair pair;
  ASSIGN_OR_RETURN(pair.cert_chain, ReadPemFile(tls.cert_file, "tls_cert_file"));
  ASSIGN_OR_RETURN(pair.private_key, ReadPemFile(tls.key_file, "tls_key_file"));
  options.pem_key_cert_pairs.push_back(std::move(pair));
  if (!tls.client_ca_file.empty()) {
    ASSIGN_OR_RETURN(options.pem_root_certs, ReadPemFile(tls.client_ca_file, "tls_client_ca_file"));
    // Optional unless required: API-key callers need no certificate.
    options.client_certificate_request =
        tls.require_client_cert ? GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY
                                : GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  return grpc::SslServerCredentials(options);
}

Server::Server(ServerOptions options) : options_(std::move(options)) {
  if (!options_.http_listen.empty()) {
    http_ = std::make_unique<HttpServer>(options_.http_listen, &readiness_, options_.tls);
  }
}

Server::~Server() { Drain(); }

void Server::AddService(grpc::Service* service, const std::string& service_name) {
  services_.emplace_back(service, service_name);
}

absl::Status Server::Start() {
  // Debian's Abseil is built with assertions, which turns on the Mutex
  // deadlock detector: every lock of every gRPC mutex then also takes the
  // detector's one global lock. A release server does not pay for that.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  ASSIGN_OR_RETURN(std::shared_ptr<grpc::ServerCredentials> credentials,
                   ServerCredentialsFor(options_.tls));
  builder.AddListeningPort(options_.listen, credentials, &port_);
  // No SO_REUSEPORT: a second process on a taken port must fail, not
  // silently share the port with the first.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.SetMaxReceiveMessageSize(options_.max_message_bytes);
  builder.SetMaxSendMessageSize(options_.max_message_bytes);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, options_.max_concurrent_streams);
  grpc::ResourceQuota quota("fazhi-server");
  quota.SetMaxThreads(options_.max_threads);
  builder.SetResourceQuota(quota);
  // The synchronous server's threads: by default gRPC keeps one or two
  // idle pollers and ends every other thread when its call is done, so
  // under load nearly every call started a thread (listing the server's
  // threads during a GetSession load found hundreds of new ones a second;
  // docs/performance.md). Keeping a few idle pollers per core stops most of
  // that. Pollers count against --max_threads, so
  // they take at most a quarter of it.
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const int poller_share = std::max(1, options_.max_threads / 4);
  const int min_pollers = std::min(std::max(2, 2 * cores), poller_share);
  const int max_pollers = std::max(min_pollers, std::min(16 * cores, poller_share));
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MIN_POLLERS, min_pollers);
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MAX_POLLERS, max_pollers);
  // Keepalive: ping idle connections every 2 minutes, and let clients ping
  // every 20 s so load balancers do not cut quiet streams.
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, 120000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 20000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 20000);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
  // A server-side bound on every stream, whoever opened it: a connection
  // is told to go away after max_connection_age (clients reconnect for new
  // calls), and what still runs on it is cancelled the grace later. By
  // default long enough for an import of a million rows.
  builder.AddChannelArgument(
      GRPC_ARG_MAX_CONNECTION_AGE_MS,
      static_cast<int>(absl::ToInt64Milliseconds(options_.max_connection_age)));
  builder.AddChannelArgument(
      GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS,
      static_cast<int>(absl::ToInt64Milliseconds(options_.max_connection_age_grace)));

  InstallProtobufLogBridge();
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(std::make_unique<ParseErrorInterceptorFactory>());
  interceptors.push_back(std::make_unique<ReflectionGate>());
  builder.experimental().SetInterceptorCreators(std::move(interceptors));

  health_.AddService("");
  builder.RegisterService(&health_);
  for (auto& [service, name] : services_) {
    health_.AddService(name);
    builder.RegisterService(service);
  }
  server_ = builder.BuildAndStart();
  if (server_ == nullptr || port_ == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", options_.listen));
  }
  spdlog::info("listening on {} (port {}) over {}, not serving until the store is ready",
               options_.listen, port_,
               options_.tls.cert_file.empty()         ? "plaintext"
               : options_.tls.require_client_cert     ? "mTLS"
               : !options_.tls.client_ca_file.empty() ? "TLS, client certificates accepted"
                                                      : "TLS");
  if (options_.tls.cert_file.empty() && !IsLoopbackAddress(options_.listen)) {
    spdlog::warn(
        "plaintext on {}, which is not a loopback address: API keys and data cross the "
        "network unencrypted; serve with --tls_cert_file/--tls_key_file",
        options_.listen);
  }
  grpc::ChannelArguments in_process_args;
  in_process_args.SetMaxReceiveMessageSize(options_.max_message_bytes);
  in_process_args.SetMaxSendMessageSize(options_.max_message_bytes);
  in_process_ = server_->InProcessChannel(in_process_args);
  if (http_ != nullptr) return http_->Start();
  return absl::OkStatus();
}

void Server::MarkServing() {
  readiness_.Set(Readiness::State::kServing);
  health_.SetAll(true);
  spdlog::info("serving");
}

void Server::SetStoreReachable(bool reachable) {
  const Readiness::State state = readiness_.state();
  if (state != Readiness::State::kServing && state != Readiness::State::kStoreUnreachable) return;
  const Readiness::State wanted =
      reachable ? Readiness::State::kServing : Readiness::State::kStoreUnreachable;
  if (state == wanted) return;
  readiness_.Set(wanted);
  health_.SetAll(reachable);
  if (reachable) {
    spdlog::info("store reachable again: serving");
  } else {
    spdlog::warn("store unreachable (no writable database server): health NOT_SERVING");
  }
}

void Server::Drain() {
  if (drained_ || server_ == nullptr) return;
  drained_ = true;
  const auto deadline =
      std::chrono::system_clock::now() + absl::ToChronoMilliseconds(options_.shutdown_grace);
  readiness_.Set(Readiness::State::kDraining);
  health_.Shutdown();
  // Health watchers (load balancers, clients' health checking) must hear
  // NOT_SERVING while the server still takes calls, not race the GOAWAY of
  // Shutdown (on a slow machine a watcher lost it). Every open Watch is sent
  // it and ends; wait for that, within the grace and never long.
  const HealthService::Watchers watchers =
      health_.AwaitWatchers(std::min(options_.shutdown_grace, kWatcherHold));
  spdlog::info(
      "draining: health NOT_SERVING sent to {} watchers ({} not ended); in-flight calls "
      "have {} to finish",
      watchers.told, watchers.still_open, absl::FormatDuration(options_.shutdown_grace));
  server_->Shutdown(deadline);
  server_->Wait();
  if (http_ != nullptr) http_->Stop();
  spdlog::info("stopped");
}

namespace {

sigset_t HandledSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  return set;
}

}  // namespace

void BlockTerminationSignals() {
  sigset_t set = HandledSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int WaitForTerminationSignal(const std::function<void()>& on_hangup) {
  sigset_t set = HandledSignals();
  while (true) {
    int signal = 0;
    sigwait(&set, &signal);
    if (signal != SIGHUP) return signal;
    if (on_hangup) on_hangup();
  }
}

}  // namespace fazhi
