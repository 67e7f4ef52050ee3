#include "services/common/http_server.h"

#include <httplib.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/metrics.h"
#include "spdlog/spdlog.h"

namespace fazhi {

namespace {

std::unique_ptr<httplib::Server> MakeServer(const TlsFiles& tls) {
  if (tls.cert_file.empty()) return std::make_unique<httplib::Server>();
  // Browsers present no client certificates: callers sign in with API keys.
  return std::make_unique<httplib::SSLServer>(tls.cert_file.c_str(), tls.key_file.c_str());
}

}  // namespace

HttpServer::HttpServer(std::string listen, const Readiness* readiness, const TlsFiles& tls)
    : listen_(std::move(listen)), readiness_(readiness), tls_(!tls.cert_file.empty()),
      server_(MakeServer(tls)) {
  server_->Get("/healthz", [this](const httplib::Request&, httplib::Response& response) {
    const bool serving = readiness_->state() == Readiness::State::kServing;
    response.status = serving ? 200 : 503;
    response.set_content(serving ? "serving\n" : "not serving\n", "text/plain; charset=utf-8");
  });
  server_->Get("/metrics", [](const httplib::Request&, httplib::Response& response) {
    response.set_content(Metrics::Global().PrometheusText(), "text/plain; version=0.0.4");
  });
}

HttpServer::~HttpServer() { Stop(); }

absl::Status HttpServer::Start() {
  const auto colon = listen_.rfind(':');
  int port = -1;
  if (colon == std::string::npos || !absl::SimpleAtoi(listen_.substr(colon + 1), &port)) {
    return absl::InvalidArgumentError(absl::StrCat("http_listen: \"", listen_, "\" must be HOST:PORT"));
  }
  std::string host = listen_.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (!server_->is_valid()) {
    return absl::InvalidArgumentError("HTTP side: cannot load the TLS certificate or key");
  }
  port_ = port == 0 ? server_->bind_to_any_port(host) : (server_->bind_to_port(host, port) ? port : -1);
  if (port_ <= 0) return absl::UnavailableError(absl::StrCat("cannot listen for HTTP on ", listen_));
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  spdlog::info("HTTP{} (health, metrics) on {} (port {})", tls_ ? "S" : "", listen_, port_);
  return absl::OkStatus();
}

void HttpServer::Stop() {
  if (thread_.joinable()) {
    server_->stop();
    thread_.join();
  }
}

}  // namespace fazhi
