#include "services/common/arena_messages.h"

#include <string>

#include "fazhi/testing/v1/echo.pb.h"
#include "gtest/gtest.h"

namespace fazhi {
namespace {

using testing::v1::EchoRequest;
using testing::v1::EchoResponse;

TEST(ArenaMessagesTest, TheRequestAndTheAnswerShareOneArenaPerCall) {
  ArenaMessages<EchoRequest, EchoResponse> allocator;
  grpc::MessageHolder<EchoRequest, EchoResponse>* first = allocator.AllocateMessages();
  grpc::MessageHolder<EchoRequest, EchoResponse>* second = allocator.AllocateMessages();
  ASSERT_NE(first->request()->GetArena(), nullptr);
  EXPECT_EQ(first->request()->GetArena(), first->response()->GetArena());
  EXPECT_NE(first->response()->GetArena(), second->response()->GetArena());
  // Filled as a handler would, in place; released as gRPC does at the end.
  first->response()->set_message(std::string(10000, 'x'));
  EXPECT_EQ(first->response()->message().size(), 10000u);
  first->Release();
  second->Release();
}

}  // namespace
}  // namespace fazhi
