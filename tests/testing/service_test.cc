#include "tests/testing/service_test.h"

#include "google/rpc/error_details.pb.h"
#include "services/common/grpc_status.h"

namespace fazhi::testing {
namespace {

google::rpc::BadRequest BadRequestOf(const grpc::Status& status) {
  google::rpc::BadRequest bad_request;
  if (!ReadDetail(FromGrpcStatus(status), bad_request)) bad_request.Clear();
  return bad_request;
}

}  // namespace

google::type::Date Date(int year, int month, int day) {
  google::type::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

std::vector<std::string> BadFields(const grpc::Status& status) {
  const google::rpc::BadRequest bad_request = BadRequestOf(status);
  std::vector<std::string> fields;
  for (const auto& violation : bad_request.field_violations()) {
    fields.push_back(violation.field());
  }
  return fields;
}

std::string BadDescription(const grpc::Status& status, const std::string& field) {
  const google::rpc::BadRequest bad_request = BadRequestOf(status);
  for (const auto& violation : bad_request.field_violations()) {
    if (violation.field() == field) return violation.description();
  }
  return "";
}

absl::Status OpenAndMigrate(sql::Database& db, const std::vector<sql::Migration>& migrations) {
  if (absl::Status opened = db.Open(); !opened.ok()) return opened;
  return sql::ApplyMigrations(db, migrations);
}

// A short drain keeps the tests quick; the message limit is the binaries'.
InProcessServer::InProcessServer()
    : server_(ServerOptions{"127.0.0.1:0", absl::Seconds(2), 4 << 20}),
      calls_(server_.readiness(), nullptr) {}

absl::Status InProcessServer::Start(grpc::Service* service, const std::string& full_name) {
  server_.AddService(service, full_name);
  return server_.Start();
}

std::shared_ptr<grpc::Channel> InProcessServer::NewChannel() const {
  return grpc::CreateChannel("127.0.0.1:" + std::to_string(server_.port()),
                             grpc::InsecureChannelCredentials());
}

}  // namespace fazhi::testing
