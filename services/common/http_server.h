#ifndef FAZHI_SERVICES_COMMON_HTTP_SERVER_H_
#define FAZHI_SERVICES_COMMON_HTTP_SERVER_H_

// The HTTP side of a service (cpp-httplib): /healthz (200 while serving,
// 503 otherwise) and /metrics (Prometheus text), plus whatever routes the
// service adds before Start (the gateway's downloads and web pages).

#include <memory>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "services/common/config.h"
#include "services/common/rpc.h"

namespace httplib {
class Server;
}

namespace fazhi {

class HttpServer {
 public:
  // A certificate in `tls` makes it HTTPS.
  HttpServer(std::string listen, const Readiness* readiness, const TlsFiles& tls = {});
  ~HttpServer();

  // Routes are added on this before Start.
  httplib::Server& routes() { return *server_; }
  absl::Status Start();
  void Stop();
  int port() const { return port_; }

 private:
  std::string listen_;
  const Readiness* readiness_;
  bool tls_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace fazhi

#endif  // FAZHI_SERVICES_COMMON_HTTP_SERVER_H_
