#ifndef FAZHI_SERVICES_COMMON_BOUNDED_HTTP_H_
#define FAZHI_SERVICES_COMMON_BOUNDED_HTTP_H_

// cpp-httplib servers whose connections are bounded before the library
// reads them. cpp-httplib 0.11 reads a request line or header line whole
// before it checks its length, and its timeout applies to each read, so a
// client sending one endless line would cost memory at the rate it sends.
// These servers hand the library a stream that stops at the limits below:
// the request line and headers at `max_header_bytes` (answered 431), the
// body at `max_body_bytes`, and the whole request at `request_deadline`
// (answered 408) — one request per connection.

#include <httplib.h>

#include <cstddef>
#include <ctime>

namespace fazhi {

struct HttpLimits {
  size_t max_header_bytes = 16 * 1024;
  size_t max_body_bytes = 64 * 1024;
  // Each read or write of the socket.
  time_t io_timeout_seconds = 5;
  // The TLS handshake, request line, headers and body, from the accept.
  time_t request_deadline_seconds = 20;
};

// From a handler of the request this thread is reading (the pre-routing
// handler, before the body is read): lets this one request carry a body of
// up to `max_body_bytes` and take `deadline_seconds` from its accept. For
// routes that stream a large body (JSON Lines imports); a no-op outside a
// bounded server's thread.
void AllowLargerBody(size_t max_body_bytes, time_t deadline_seconds);

class BoundedHttpServer : public httplib::Server {
 public:
  explicit BoundedHttpServer(const HttpLimits& limits) : limits_(limits) {}

 private:
  bool process_and_close_socket(socket_t sock) override;

  HttpLimits limits_;
};

class BoundedHttpsServer : public httplib::SSLServer {
 public:
  BoundedHttpsServer(const HttpLimits& limits, const char* cert_file, const char* key_file)
      : httplib::SSLServer(cert_file, key_file), limits_(limits) {}

 private:
  bool process_and_close_socket(socket_t sock) override;

  HttpLimits limits_;
};

}  // namespace fazhi

#endif  // FAZHI_SERVICES_COMMON_BOUNDED_HTTP_H_
