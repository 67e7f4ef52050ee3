#include "services/common/http_json/generic_call.h"

#include <grpcpp/support/byte_buffer.h>

#include <chrono>

namespace fazhi::http_json {

GenericCall::GenericCall(const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
                         const std::vector<std::pair<std::string, std::string>>& metadata,
                         absl::Duration deadline)
    : stub_(channel) {
  context_.set_deadline(absl::ToChronoTime(absl::Now() + deadline));
  for (const auto& [key, value] : metadata) context_.AddMetadata(key, value);
  call_ = stub_.PrepareCall(&context_, method, &queue_);
  call_->StartCall(this);
  open_ = Await();
}

GenericCall::~GenericCall() {
  if (!finished_) {
    context_.TryCancel();
    grpc::Status ignored;
    call_->Finish(&ignored, this);
    Await();
  }
  queue_.Shutdown();
  void* tag = nullptr;
  bool ok = false;
  while (queue_.Next(&tag, &ok)) {
  }
}

bool GenericCall::Await() {
  void* tag = nullptr;
  bool ok = false;
  return queue_.Next(&tag, &ok) && ok;
}

bool GenericCall::Write(const google::protobuf::Message& request) {
  if (!open_) return false;
  const std::string bytes = request.SerializeAsString();
  grpc::Slice slice(bytes);
  grpc::ByteBuffer buffer(&slice, 1);
  call_->Write(buffer, this);
  open_ = Await();
  return open_;
}

grpc::Status GenericCall::Finish(google::protobuf::Message& response) {
  bool answered = false;
  grpc::ByteBuffer buffer;
  if (open_) {
    call_->WritesDone(this);
    if (Await()) {
      call_->Read(&buffer, this);
      answered = Await();
    }
  }
  grpc::Status status;
  call_->Finish(&status, this);
  Await();
  finished_ = true;
  if (!status.ok()) return status;
  std::vector<grpc::Slice> slices;
  std::string bytes;
  if (answered && buffer.Dump(&slices).ok()) {
    for (const grpc::Slice& slice : slices) {
      bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
    }
  }
  if (!answered || !response.ParseFromString(bytes)) {
    return grpc::Status(grpc::StatusCode::INTERNAL, "the server's answer could not be read");
  }
  return status;
}

}  // namespace fazhi::http_json
