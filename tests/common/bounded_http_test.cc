// The bounded HTTP servers against real sockets: what a hostile client
// sends is refused at the limits, and ordinary requests are served as
// cpp-httplib serves them (plain and TLS).

#include "services/common/bounded_http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>

#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"

namespace fazhi {
namespace {

using Clock = std::chrono::steady_clock;

constexpr HttpLimits kTestLimits{.max_header_bytes = 1024,
                                 .max_body_bytes = 4096,
                                 .io_timeout_seconds = 1,
                                 .request_deadline_seconds = 2};

void AddRoutes(httplib::Server& server) {
  server.Get("/hello", [](const httplib::Request& request, httplib::Response& response) {
    response.set_content("hello " + request.remote_addr, "text/plain");
  });
  server.Post("/echo", [](const httplib::Request& request, httplib::Response& response) {
    response.set_content(request.body, "text/plain");
  });
}

// Runs `server` on a free loopback port for the test's life.
class Running {
 public:
  explicit Running(httplib::Server& server) : server_(server) {
    AddRoutes(server_);
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~Running() {
    server_.stop();
    thread_.join();
  }
  int port() const { return port_; }

 private:
  httplib::Server& server_;
  int port_ = -1;
  std::thread thread_;
};

int Connect(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  return fd;
}

// Sends `chunk` over and over until the server stops taking it (at most
// `limit` bytes), then reads what the server answered.
struct Exchange {
  size_t sent = 0;
  std::string answer;
};

Exchange SendUntilRefused(int fd, const std::string& head, const std::string& chunk, size_t limit) {
  Exchange exchange;
  send(fd, head.data(), head.size(), MSG_NOSIGNAL);
  while (exchange.sent < limit) {
    pollfd entry{fd, POLLOUT | POLLIN, 0};
    if (poll(&entry, 1, 3000) <= 0 || (entry.revents & (POLLIN | POLLERR | POLLHUP))) break;
    const ssize_t bytes = send(fd, chunk.data(), chunk.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (bytes <= 0) break;
    exchange.sent += static_cast<size_t>(bytes);
  }
  char buffer[4096];
  for (;;) {
    pollfd entry{fd, POLLIN, 0};
    if (poll(&entry, 1, 5000) <= 0) break;
    const ssize_t bytes = recv(fd, buffer, sizeof(buffer), 0);
    if (bytes <= 0) break;
    exchange.answer.append(buffer, static_cast<size_t>(bytes));
  }
  close(fd);
  return exchange;
}

TEST(BoundedHttpServerTest, ServesAnOrdinaryRequestWithThePeerAddress) {
  BoundedHttpServer server(kTestLimits);
  Running running(server);
  httplib::Client client("127.0.0.1", running.port());
  auto hello = client.Get("/hello");
  ASSERT_TRUE(hello);
  EXPECT_EQ(hello->status, 200);
  EXPECT_EQ(hello->body, "hello 127.0.0.1");
  EXPECT_EQ(hello->get_header_value("Connection"), "close");

  auto echo = client.Post("/echo", std::string(4000, 'x'), "text/plain");
  ASSERT_TRUE(echo);
  EXPECT_EQ(echo->status, 200);
  EXPECT_EQ(echo->body.size(), 4000u);
}

TEST(BoundedHttpServerTest, AnEndlessHeaderLineIsRefusedAtTheLimit) {
  BoundedHttpServer server(kTestLimits);
  Running running(server);
  const Exchange exchange =
      SendUntilRefused(Connect(running.port()),
                       "GET /hello HTTP/1.1\r\nX-Long: ", std::string(16 * 1024, 'a'), 64 << 20);
  EXPECT_EQ(exchange.answer.rfind("HTTP/1.1 431 ", 0), 0u) << exchange.answer;
  EXPECT_NE(exchange.answer.find("larger than 1024 bytes"), std::string::npos);
  // The server stopped reading long before the client's 64 MiB.
  EXPECT_LT(exchange.sent, 8u << 20);
}

TEST(BoundedHttpServerTest, AnEndlessRequestLineIsRefusedToo) {
  BoundedHttpServer server(kTestLimits);
  Running running(server);
  const Exchange exchange =
      SendUntilRefused(Connect(running.port()), "GET /", std::string(4096, 'a'), 64 << 20);
  EXPECT_EQ(exchange.answer.rfind("HTTP/1.1 431 ", 0), 0u) << exchange.answer;
}

TEST(BoundedHttpServerTest, ManyShortHeadersCountTogether) {
  BoundedHttpServer server(kTestLimits);
  Running running(server);
  std::string head = "GET /hello HTTP/1.1\r\n";
  for (int i = 0; i < 200; ++i) head += "X-H" + std::to_string(i) + ": v\r\n";
  head += "\r\n";
  const Exchange exchange = SendUntilRefused(Connect(running.port()), head, "", 0);
  EXPECT_EQ(exchange.answer.rfind("HTTP/1.1 431 ", 0), 0u) << exchange.answer;
}

TEST(BoundedHttpServerTest, ASlowClientIsCutAtTheRequestDeadline) {
  BoundedHttpServer server(kTestLimits);
  Running running(server);
  const int fd = Connect(running.port());
  const auto start = Clock::now();
  const std::string head = "GET /hello HTTP/1.1\r\n";
  send(fd, head.data(), head.size(), MSG_NOSIGNAL);
  std::string answer;
  // One header byte every 300 ms: each read is within the 1 s timeout,
  // the whole is not within the 2 s deadline.
  for (int i = 0; i < 40 && answer.empty(); ++i) {
    send(fd, "a", 1, MSG_NOSIGNAL);
    pollfd entry{fd, POLLIN, 0};
    if (poll(&entry, 1, 300) > 0) {
      char buffer[1024];
      const ssize_t bytes = recv(fd, buffer, sizeof(buffer), 0);
      if (bytes > 0) answer.assign(buffer, static_cast<size_t>(bytes));
    }
  }
  close(fd);
  EXPECT_EQ(answer.rfind("HTTP/1.1 408 ", 0), 0u) << answer;
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(5));
}

TEST(BoundedHttpServerTest, ABodyBeyondItsLengthIsNotReadAsAnotherRequest) {
  BoundedHttpServer server(kTestLimits);
  Running running(server);
  const std::string head =
      "POST /echo HTTP/1.1\r\nContent-Length: 3\r\nContent-Type: text/plain\r\n\r\nabc";
  const Exchange exchange =
      SendUntilRefused(Connect(running.port()), head, "GET /hello HTTP/1.1\r\n\r\n", 64);
  EXPECT_EQ(exchange.answer.rfind("HTTP/1.1 200 ", 0), 0u) << exchange.answer;
  // One answer: the bytes after the body were not served as a request.
  EXPECT_EQ(exchange.answer.find("HTTP/1.1", 1), std::string::npos) << exchange.answer;
  EXPECT_NE(exchange.answer.find("\r\n\r\nabc"), std::string::npos);
}

// Writes a self-signed certificate for localhost and its key as PEM files.
void WriteSelfSigned(const std::string& cert_file, const std::string& key_file) {
  EVP_PKEY* key = EVP_RSA_gen(2048);
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  X509_sign(cert, key, EVP_sha256());
  FILE* out = fopen(cert_file.c_str(), "w");
  PEM_write_X509(out, cert);
  fclose(out);
  out = fopen(key_file.c_str(), "w");
  PEM_write_PrivateKey(out, key, nullptr, nullptr, 0, nullptr, nullptr);
  fclose(out);
  X509_free(cert);
  EVP_PKEY_free(key);
}

class BoundedHttpsServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WriteSelfSigned(dir_.path() + "/cert.pem", dir_.path() + "/key.pem");
    server_ = std::make_unique<BoundedHttpsServer>(kTestLimits, (dir_.path() + "/cert.pem").c_str(),
                                                   (dir_.path() + "/key.pem").c_str());
    ASSERT_TRUE(server_->is_valid());
    running_ = std::make_unique<Running>(*server_);
  }
  void TearDown() override { running_.reset(); }

  fazhi::testing::TempDir dir_;
  std::unique_ptr<BoundedHttpsServer> server_;
  std::unique_ptr<Running> running_;
};

TEST_F(BoundedHttpsServerTest, ServesOverTls) {
  httplib::SSLClient client("127.0.0.1", running_->port());
  client.enable_server_certificate_verification(false);
  auto hello = client.Get("/hello");
  ASSERT_TRUE(hello) << httplib::to_string(hello.error());
  EXPECT_EQ(hello->status, 200);
  EXPECT_EQ(hello->body, "hello 127.0.0.1");
  auto echo = client.Post("/echo", std::string(3000, 'y'), "text/plain");
  ASSERT_TRUE(echo);
  EXPECT_EQ(echo->body, std::string(3000, 'y'));
}

TEST_F(BoundedHttpsServerTest, AnEndlessHeaderLineIsRefusedOverTls) {
  httplib::SSLClient client("127.0.0.1", running_->port());
  client.enable_server_certificate_verification(false);
  httplib::Headers headers{{"X-Long", std::string(64 * 1024, 'a')}};
  auto answer = client.Get("/hello", headers);
  ASSERT_TRUE(answer) << httplib::to_string(answer.error());
  EXPECT_EQ(answer->status, 431);
}

TEST_F(BoundedHttpsServerTest, AStalledHandshakeIsCutAtTheDeadline) {
  const int fd = Connect(running_->port());
  const auto start = Clock::now();
  // A ClientHello's first bytes, then nothing more: the handshake waits,
  // and the server closes at its deadline.
  send(fd, "\x16\x03\x01", 3, MSG_NOSIGNAL);
  pollfd entry{fd, POLLIN, 0};
  ASSERT_GT(poll(&entry, 1, 6000), 0);
  char buffer[64];
  EXPECT_LE(recv(fd, buffer, sizeof(buffer), 0), 0);
  close(fd);
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(4));
}

}  // namespace
}  // namespace fazhi
