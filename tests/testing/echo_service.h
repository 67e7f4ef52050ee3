#ifndef FAZHI_TESTS_TESTING_ECHO_SERVICE_H_
#define FAZHI_TESTS_TESTING_ECHO_SERVICE_H_

#include "fazhi/testing/v1/echo.grpc.pb.h"
#include "services/common/rpc.h"

namespace fazhi::testing {

class EchoServiceImpl final
    : public CallbackMethods<fazhi::testing::v1::EchoService::Service,
                             fazhi::testing::v1::EchoService::WithCallbackMethod_Echo> {
 public:
  explicit EchoServiceImpl(const CallHandler* calls) : calls_(calls) {}

  grpc::ServerUnaryReactor* Echo(grpc::CallbackServerContext* context,
                                 const fazhi::testing::v1::EchoRequest* request,
                                 fazhi::testing::v1::EchoResponse* response) override;

 private:
  const CallHandler* calls_;
};

}  // namespace fazhi::testing

#endif  // FAZHI_TESTS_TESTING_ECHO_SERVICE_H_
