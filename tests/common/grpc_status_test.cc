#include "services/common/grpc_status.h"

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "services/common/validation.h"

namespace fazhi {
namespace {

TEST(GrpcStatusTest, OkMapsToOk) { EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok()); }

TEST(GrpcStatusTest, CodesAndMessagesCarryOver) {
  grpc::Status status = ToGrpcStatus(absl::AbortedError("stale etag"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ABORTED);
  EXPECT_EQ(status.error_message(), "stale etag");
  EXPECT_TRUE(status.error_details().empty());
}

TEST(GrpcStatusTest, BadRequestTravelsAsRichStatusDetails) {
  FieldViolations v;
  v.Add("session.title", "is required");
  grpc::Status status = ToGrpcStatus(v.ToStatus());
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  google::rpc::Status rich;
  ASSERT_TRUE(rich.ParseFromString(status.error_details()));
  EXPECT_EQ(rich.code(), static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
  ASSERT_EQ(rich.details_size(), 1);
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(rich.details(0).UnpackTo(&bad_request));
  ASSERT_EQ(bad_request.field_violations_size(), 1);
  EXPECT_EQ(bad_request.field_violations(0).field(), "session.title");

  // And back again, as a client (the gateway) reads it.
  absl::Status round_trip = FromGrpcStatus(status);
  google::rpc::BadRequest again;
  ASSERT_TRUE(ReadDetail(round_trip, again));
  EXPECT_EQ(again.field_violations(0).field(), "session.title");
}

}  // namespace
}  // namespace fazhi
