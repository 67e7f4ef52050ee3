#include "services/common/http_server.h"

#include <httplib.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/bounded_http.h"
#include "services/common/metrics.h"
#include "spdlog/spdlog.h"

namespace fazhi {

namespace {

// Limits of every HTTP side, enforced from the headers before any body
// byte is read: JSON requests are a few fields (web/api_routes.cc,
// http_json/); only the routes AllowStreamedBodies names take more.
constexpr size_t kMaxBodyBytes = 64 * 1024;
// Connections served at once. A slow client holds one worker per
// connection (each read waits at most 5 s, the whole request 20 s), so
// there are enough that a few cannot starve /healthz, the liveness probe
// of the TLS overlay.
constexpr size_t kWorkers = 64;
constexpr HttpLimits kLimits{.max_header_bytes = 16 * 1024,
                             .max_body_bytes = kMaxBodyBytes,
                             .io_timeout_seconds = 5,
                             .request_deadline_seconds = 20};

bool ExpectsBody(const std::string& method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

// Refuses, from the headers alone, a request whose body would be read
// without bound: compressed (the library would inflate it whole), chunked
// or without a length (read to the end of the stream), or over the limit
// (`max_body_bytes`).
httplib::Server::HandlerResponse RefuseUnboundedBody(const httplib::Request& request,
                                                     httplib::Response& response,
                                                     size_t max_body_bytes) {
  auto refuse = [&](int status, const std::string& why) {
    response.status = status;
    response.set_content(why + "\n", "text/plain; charset=utf-8");
    return httplib::Server::HandlerResponse::Handled;
  };
  if (request.has_header("Transfer-Encoding")) {
    return refuse(411, "send the body with a Content-Length, not chunked");
  }
  const bool has_length = request.has_header("Content-Length");
  uint64_t length = 0;
  if (has_length && !absl::SimpleAtoi(request.get_header_value("Content-Length"), &length)) {
    return refuse(400, "bad Content-Length");
  }
  if (length > max_body_bytes) {
    return refuse(413, absl::StrCat("the body is larger than ", max_body_bytes, " bytes"));
  }
  if (!has_length && ExpectsBody(request.method)) {
    return refuse(411, "a Content-Length is required");
  }
  const std::string encoding = request.get_header_value("Content-Encoding");
  if (!encoding.empty() && encoding != "identity") {
    return refuse(415, "compressed request bodies are not accepted");
  }
  return httplib::Server::HandlerResponse::Unhandled;
}

std::unique_ptr<httplib::Server> MakeServer(const TlsFiles& tls) {
  if (tls.cert_file.empty()) return std::make_unique<BoundedHttpServer>(kLimits);
  // Browsers present no client certificates: callers sign in with API keys.
  return std::make_unique<BoundedHttpsServer>(kLimits, tls.cert_file.c_str(), tls.key_file.c_str());
}

}  // namespace

HttpServer::HttpServer(std::string listen, const Readiness* readiness, const TlsFiles& tls)
    : listen_(std::move(listen)),
      readiness_(readiness),
      tls_(!tls.cert_file.empty()),
      server_(MakeServer(tls)) {
  server_->set_pre_routing_handler(
      [this](const httplib::Request& request, httplib::Response& response) {
        const bool bodiless = !request.has_header("Transfer-Encoding") &&
                              (!request.has_header("Content-Length") ||
                               request.get_header_value("Content-Length") == "0");
        if (request.method == "DELETE" && bodiless && deletes_ && deletes_(request, response)) {
          return httplib::Server::HandlerResponse::Handled;
        }
        size_t max_body_bytes = kMaxBodyBytes;
        if (streamed_ && streamed_(request)) {
          max_body_bytes = kMaxStreamedBodyBytes;
          AllowLargerBody(kMaxStreamedBodyBytes, kStreamedRequestSeconds);
        }
        return RefuseUnboundedBody(request, response, max_body_bytes);
      });
  // Each request's own limit is the pre-routing handler's and the bounded
  // stream's; this is the largest any may have.
  server_->set_payload_max_length(kMaxStreamedBodyBytes);
  server_->new_task_queue = [] { return new httplib::ThreadPool(kWorkers); };
  // Timeouts, the header limit and one request per connection are the
  // bounded servers' (bounded_http.h): cpp-httplib 0.11 would read an
  // endless header line, or the unread body of a refused request taken as
  // the next request line, whole.
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

void HttpServer::AllowStreamedBodies(std::function<bool(const httplib::Request&)> streamed) {
  streamed_ = std::move(streamed);
}

void HttpServer::HandleDeletes(
    std::function<bool(const httplib::Request&, httplib::Response&)> handler) {
  deletes_ = std::move(handler);
}

absl::Status HttpServer::Start() {
  const auto colon = listen_.rfind(':');
  int port = -1;
  if (colon == std::string::npos || !absl::SimpleAtoi(listen_.substr(colon + 1), &port)) {
    return absl::InvalidArgumentError(
        absl::StrCat("http_listen: \"", listen_, "\" must be HOST:PORT"));
  }
  std::string host = listen_.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  if (!server_->is_valid()) {
    return absl::InvalidArgumentError("HTTP side: cannot load the TLS certificate or key");
  }
  port_ =
      port == 0 ? server_->bind_to_any_port(host) : (server_->bind_to_port(host, port) ? port : -1);
  if (port_ <= 0)
    return absl::UnavailableError(absl::StrCat("cannot listen for HTTP on ", listen_));
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
