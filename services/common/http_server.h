#ifndef FAZHI_SERVICES_COMMON_HTTP_SERVER_H_
#define FAZHI_SERVICES_COMMON_HTTP_SERVER_H_

// The HTTP side of a service (cpp-httplib): /healthz (200 while serving,
// 503 otherwise) and /metrics (Prometheus text), plus whatever routes the
// service adds before Start (the gateway's downloads and web pages).

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "services/common/config.h"
#include "services/common/rpc.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace fazhi {

class HttpServer {
 public:
  // A certificate in `tls` makes it HTTPS.
  HttpServer(std::string listen, const Readiness* readiness, const TlsFiles& tls = {});
  ~HttpServer();

  // A body, like a JSON Lines import, larger than other requests may send
  // (they: 64 KiB within 20 s from the accept), still bounded.
  static constexpr size_t kMaxStreamedBodyBytes = 64 << 20;
  static constexpr int kStreamedRequestSeconds = 600;

  // Routes are added on this before Start.
  httplib::Server& routes() { return *server_; }
  // Requests `streamed` accepts, from their request line and headers, get
  // the streamed body limits above. Before Start.
  void AllowStreamedBodies(std::function<bool(const httplib::Request&)> streamed);
  // Answers each DELETE without a body, before cpp-httplib would wait for
  // one (it reads a DELETE without Content-Length to the end of the
  // stream); `handler` returns false for a path it does not serve. Before
  // Start.
  void HandleDeletes(std::function<bool(const httplib::Request&, httplib::Response&)> handler);
  absl::Status Start();
  void Stop();
  int port() const { return port_; }

 private:
  std::string listen_;
  const Readiness* readiness_;
  bool tls_;
  std::unique_ptr<httplib::Server> server_;
  std::function<bool(const httplib::Request&)> streamed_;
  std::function<bool(const httplib::Request&, httplib::Response&)> deletes_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace fazhi

#endif  // FAZHI_SERVICES_COMMON_HTTP_SERVER_H_
