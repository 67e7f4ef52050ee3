#include "services/common/bounded_http.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <string>

#include "absl/strings/str_cat.h"

namespace fazhi {

namespace {

using Clock = std::chrono::steady_clock;

// After the response, what the client still sends is read and dropped for
// a moment before the socket closes: closing with unread bytes makes the
// kernel reset the connection, which can discard the response (a refusal
// the client has not read yet) on the client's side.
constexpr size_t kLingerBytes = 256 * 1024;
constexpr auto kLinger = std::chrono::seconds(1);

// One socket operation's result: bytes moved (0 the end of the stream, -1
// failure), or the readiness to wait for before trying again.
struct IoStep {
  ssize_t bytes = -1;
  short wait_for = 0;
};

// Waits until `fd` is ready for `events`, at most `cap` and never past
// `deadline`.
bool WaitReady(int fd, short events, Clock::time_point deadline, std::chrono::seconds cap) {
  for (;;) {
    const auto left = std::min<Clock::duration>(deadline - Clock::now(), cap);
    if (left <= Clock::duration::zero()) return false;
    pollfd entry{fd, events, 0};
    const int millis = static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(left).count());
    const int ready = poll(&entry, 1, millis);
    if (ready > 0) return true;
    if (ready == 0) return false;
    if (errno != EINTR) return false;
  }
}

// Repeats `step` while it would block, waiting for the socket in between.
template <typename Step>
ssize_t Transfer(int fd, Clock::time_point deadline, std::chrono::seconds cap, Step step) {
  for (;;) {
    const IoStep result = step();
    if (result.wait_for == 0) return result.bytes;
    if (!WaitReady(fd, result.wait_for, deadline, cap)) return -1;
  }
}

IoStep FromErrno(ssize_t bytes, short wait_for) {
  if (bytes >= 0) return {bytes, 0};
  if (errno == EAGAIN || errno == EWOULDBLOCK) return {-1, wait_for};
  if (errno == EINTR) return {-1, wait_for};
  return {-1, 0};
}

IoStep FromSsl(SSL* ssl, int result) {
  if (result > 0) return {result, 0};
  switch (SSL_get_error(ssl, result)) {
    case SSL_ERROR_WANT_READ:
      return {-1, POLLIN};
    case SSL_ERROR_WANT_WRITE:
      return {-1, POLLOUT};
    case SSL_ERROR_ZERO_RETURN:
      return {0, 0};
    default:
      return {-1, 0};
  }
}

const char* StatusText(int status) {
  return status == 431 ? "Request Header Fields Too Large" : "Request Timeout";
}

void AddressOf(const sockaddr_storage& address, std::string& ip, int& port) {
  char text[INET6_ADDRSTRLEN] = {};
  if (address.ss_family == AF_INET) {
    const auto& v4 = reinterpret_cast<const sockaddr_in&>(address);
    inet_ntop(AF_INET, &v4.sin_addr, text, sizeof(text));
    port = ntohs(v4.sin_port);
  } else if (address.ss_family == AF_INET6) {
    const auto& v6 = reinterpret_cast<const sockaddr_in6&>(address);
    inet_ntop(AF_INET6, &v6.sin6_addr, text, sizeof(text));
    port = ntohs(v6.sin6_port);
  }
  ip = text;
}

// The stream cpp-httplib reads one request from and writes its response
// to, over a non-blocking socket (and TLS when `ssl` is set).
class BoundedStream : public httplib::Stream {
 public:
  BoundedStream(int fd, SSL* ssl, const HttpLimits& limits, Clock::time_point accepted)
      : fd_(fd),
        ssl_(ssl),
        limits_(limits),
        accepted_(accepted),
        deadline_(accepted + std::chrono::seconds(limits.request_deadline_seconds)),
        io_cap_(std::chrono::seconds(limits.io_timeout_seconds)) {}

  void AllowLargerBody(size_t max_body_bytes, time_t deadline_seconds) {
    limits_.max_body_bytes = std::max(limits_.max_body_bytes, max_body_bytes);
    deadline_ = std::max(deadline_, accepted_ + std::chrono::seconds(deadline_seconds));
  }

  bool is_readable() const override {
    if (refused_) return false;
    if (begin_ < end_ || (ssl_ != nullptr && SSL_pending(ssl_) > 0)) return true;
    return WaitReady(fd_, POLLIN, deadline_, io_cap_);
  }

  bool is_writable() const override {
    return !refused_ && WaitReady(fd_, POLLOUT, Clock::time_point::max(), io_cap_);
  }

  ssize_t read(char* ptr, size_t size) override {
    if (refused_) return -1;
    if (begin_ == end_) {
      const ssize_t filled = Fill();
      if (filled <= 0) return filled;
    }
    size_t count = std::min(size, end_ - begin_);
    if (in_headers_) {
      count = TakeHeaderBytes(count);
      if (refused_) return -1;
    } else {
      if (body_bytes_ + count > limits_.max_body_bytes) return -1;
      body_bytes_ += count;
    }
    std::copy_n(buffer_ + begin_, count, ptr);
    begin_ += count;
    return static_cast<ssize_t>(count);
  }

  ssize_t write(const char* ptr, size_t size) override {
    // After a refusal the library may still answer the broken request:
    // the refusal was the answer.
    if (refused_) return static_cast<ssize_t>(size);
    return Send(ptr, size);
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage address{};
    socklen_t length = sizeof(address);
    if (getpeername(fd_, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
      AddressOf(address, ip, port);
    }
  }

  void get_local_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage address{};
    socklen_t length = sizeof(address);
    if (getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
      AddressOf(address, ip, port);
    }
  }

  socket_t socket() const override { return fd_; }

 private:
  // Reads what the socket has into the buffer; a silence past the read
  // timeout or the request's deadline is answered 408.
  ssize_t Fill() {
    begin_ = end_ = 0;
    const ssize_t bytes = Transfer(fd_, deadline_, io_cap_, [&] {
      if (ssl_ != nullptr) {
        return FromSsl(ssl_, SSL_read(ssl_, buffer_, static_cast<int>(sizeof(buffer_))));
      }
      return FromErrno(recv(fd_, buffer_, sizeof(buffer_), 0), POLLIN);
    });
    if (bytes < 0 && Clock::now() >= deadline_) {
      Refuse(408, absl::StrCat("the request did not arrive within ",
                               limits_.request_deadline_seconds, " seconds"));
    } else if (bytes < 0 && in_headers_ && header_bytes_ > 0) {
      Refuse(408, absl::StrCat("nothing arrived for ", limits_.io_timeout_seconds, " seconds"));
    }
    if (bytes > 0) end_ = static_cast<size_t>(bytes);
    return bytes;
  }

  // Of the next `count` buffered bytes, those up to the end of the headers
  // (the first empty line); refuses once they pass the header limit.
  size_t TakeHeaderBytes(size_t count) {
    for (size_t i = 0; i < count; ++i) {
      tail_ = (tail_ << 8) | static_cast<unsigned char>(buffer_[begin_ + i]);
      if (++header_bytes_ > limits_.max_header_bytes) {
        Refuse(431, absl::StrCat("the request line and headers are larger than ",
                                 limits_.max_header_bytes, " bytes"));
        return 0;
      }
      if (tail_ == 0x0d0a0d0a) {  // "\r\n\r\n"
        in_headers_ = false;
        return i + 1;
      }
    }
    return count;
  }

  ssize_t Send(const char* ptr, size_t size) {
    return Transfer(fd_, Clock::time_point::max(), io_cap_, [&] {
      if (ssl_ != nullptr) {
        return FromSsl(ssl_, SSL_write(ssl_, ptr, static_cast<int>(size)));
      }
      return FromErrno(send(fd_, ptr, size, MSG_NOSIGNAL), POLLOUT);
    });
  }

  void Refuse(int status, const std::string& message) {
    const std::string body = message + "\n";
    const std::string response =
        absl::StrCat("HTTP/1.1 ", status, " ", StatusText(status),
                     "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ", body.size(),
                     "\r\nConnection: close\r\n\r\n", body);
    size_t sent = 0;
    while (sent < response.size()) {
      const ssize_t bytes = Send(response.data() + sent, response.size() - sent);
      if (bytes <= 0) break;
      sent += static_cast<size_t>(bytes);
    }
    refused_ = true;
  }

  const int fd_;
  SSL* const ssl_;
  HttpLimits limits_;
  const Clock::time_point accepted_;
  Clock::time_point deadline_;
  const std::chrono::seconds io_cap_;
  char buffer_[4096];
  size_t begin_ = 0;
  size_t end_ = 0;
  bool in_headers_ = true;
  uint32_t tail_ = 0;
  size_t header_bytes_ = 0;
  size_t body_bytes_ = 0;
  bool refused_ = false;
};

// The stream this thread is serving, for AllowLargerBody.
thread_local BoundedStream* current_stream = nullptr;

// Serves one request from `stream`, which AllowLargerBody may widen.
template <typename Process>
bool ProcessWith(BoundedStream& stream, Process process) {
  current_stream = &stream;
  const bool served = process();
  current_stream = nullptr;
  return served;
}

void SetNonBlocking(int fd) { fcntl(fd, F_SETFL, fcntl(fd, F_GETFL, 0) | O_NONBLOCK); }

// Stops sending, drops what the client still sends (bounded), and closes.
void LingerAndClose(int fd) {
  shutdown(fd, SHUT_WR);
  const auto until = Clock::now() + kLinger;
  char sink[4096];
  size_t dropped = 0;
  while (dropped < kLingerBytes) {
    const ssize_t bytes = Transfer(fd, until, std::chrono::seconds(1), [&] {
      return FromErrno(recv(fd, sink, sizeof(sink), 0), POLLIN);
    });
    if (bytes <= 0) break;
    dropped += static_cast<size_t>(bytes);
  }
  close(fd);
}

}  // namespace

void AllowLargerBody(size_t max_body_bytes, time_t deadline_seconds) {
  if (current_stream != nullptr) current_stream->AllowLargerBody(max_body_bytes, deadline_seconds);
}

bool BoundedHttpServer::process_and_close_socket(socket_t sock) {
  const auto accepted = Clock::now();
  SetNonBlocking(sock);
  bool served = false;
  {
    BoundedStream stream(sock, nullptr, limits_, accepted);
    bool connection_closed = false;
    served = ProcessWith(stream, [&] {
      return process_request(stream, /*close_connection=*/true, connection_closed, nullptr);
    });
  }
  LingerAndClose(sock);
  return served;
}

bool BoundedHttpsServer::process_and_close_socket(socket_t sock) {
  // OpenSSL writes with write(2): a client gone mid-response must give
  // this thread EPIPE, not the process SIGPIPE.
  sigset_t pipe;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe, nullptr);

  const auto accepted = Clock::now();
  const auto deadline = accepted + std::chrono::seconds(limits_.request_deadline_seconds);
  const auto io_cap = std::chrono::seconds(limits_.io_timeout_seconds);
  SetNonBlocking(sock);
  bool served = false;
  SSL* ssl = SSL_new(ssl_context());
  if (ssl != nullptr && SSL_set_fd(ssl, sock) == 1) {
    const bool handshake =
        Transfer(sock, deadline, io_cap, [&] { return FromSsl(ssl, SSL_accept(ssl)); }) > 0;
    if (handshake) {
      BoundedStream stream(sock, ssl, limits_, accepted);
      bool connection_closed = false;
      served = ProcessWith(stream, [&] {
        return process_request(stream, /*close_connection=*/true, connection_closed,
                               [ssl](httplib::Request& request) { request.ssl = ssl; });
      });
      SSL_shutdown(ssl);
    }
  }
  if (ssl != nullptr) SSL_free(ssl);
  LingerAndClose(sock);
  return served;
}

}  // namespace fazhi
