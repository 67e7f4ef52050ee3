#ifndef FAZHI_TESTS_TESTING_SERVICE_TEST_H_
#define FAZHI_TESTS_TESTING_SERVICE_TEST_H_

// What the handler tests of the services share: the service on an
// in-process gRPC server as its binary runs it, and readers of the rich
// errors its calls answer with.

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "google/type/date.pb.h"
#include "services/common/rpc.h"
#include "services/common/server.h"
#include "services/common/sql/database.h"
#include "services/common/sql/migrations.h"

namespace fazhi::testing {

google::type::Date Date(int year, int month, int day);

// Field paths of every google.rpc.BadRequest violation a failed call
// carries, in order.
std::vector<std::string> BadFields(const grpc::Status& status);

// The description of the violation naming `field` ("" when none does).
std::string BadDescription(const grpc::Status& status, const std::string& field);

// Opens `db` and applies `migrations`, as a service does before it serves.
absl::Status OpenAndMigrate(sql::Database& db, const std::vector<sql::Migration>& migrations);

// A service under test on an in-process gRPC server on a free loopback
// port: Start() listens, calls answer UNAVAILABLE until MarkServing().
class InProcessServer {
 public:
  InProcessServer();
  InProcessServer(const InProcessServer&) = delete;
  InProcessServer& operator=(const InProcessServer&) = delete;

  // For the service's constructor.
  const CallHandler* calls() const { return &calls_; }

  // Adds `service` (health reports it under `full_name`) and listens.
  absl::Status Start(grpc::Service* service, const std::string& full_name);
  void MarkServing() { server_.MarkServing(); }
  void Drain() { server_.Drain(); }

  // A client channel of its own to the server.
  std::shared_ptr<grpc::Channel> NewChannel() const;

 private:
  Server server_;
  CallHandler calls_;
};

}  // namespace fazhi::testing

#endif  // FAZHI_TESTS_TESTING_SERVICE_TEST_H_
