#ifndef FAZHI_SERVICES_COMMON_HTTP_JSON_GENERIC_CALL_H_
#define FAZHI_SERVICES_COMMON_HTTP_JSON_GENERIC_CALL_H_

// One call of any RPC by its descriptor, without generated stubs: the
// request messages are written one by one as they come (a unary RPC takes
// exactly one), then the response and the status are read. Blocking; for
// the HTTP side's worker threads.

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>
#include <grpcpp/completion_queue.h>
#include <grpcpp/generic/generic_stub.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "google/protobuf/message.h"

namespace fazhi::http_json {

class GenericCall {
 public:
  // Starts `method` ("/fazhi.study.v1.StudyService/GetSession") on
  // `channel` with `metadata` (lowercase keys) and `deadline` from now.
  GenericCall(const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
              const std::vector<std::pair<std::string, std::string>>& metadata,
              absl::Duration deadline);
  // Cancels a call not finished.
  ~GenericCall();
  GenericCall(const GenericCall&) = delete;
  GenericCall& operator=(const GenericCall&) = delete;

  // False when the call has ended (the server answered early, or it
  // failed): Finish then says why.
  bool Write(const google::protobuf::Message& request);
  // Ends the requests, reads the response into `response` and returns the
  // call's status.
  grpc::Status Finish(google::protobuf::Message& response);
  // Abandons the call (the server sees it cancelled).
  void Cancel() { context_.TryCancel(); }

 private:
  // Waits for the operation just started; its outcome.
  bool Await();

  grpc::ClientContext context_;
  grpc::CompletionQueue queue_;
  grpc::GenericStub stub_;
  std::unique_ptr<grpc::GenericClientAsyncReaderWriter> call_;
  bool open_ = false;
  bool finished_ = false;
};

}  // namespace fazhi::http_json

#endif  // FAZHI_SERVICES_COMMON_HTTP_JSON_GENERIC_CALL_H_
