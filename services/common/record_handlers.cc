#include "services/common/record_handlers.h"

namespace fazhi {

IdempotencyKey IdempotencyKeyOf(const google::protobuf::Message& request,
                                const std::string& request_id) {
  if (request_id.empty()) return {};
  std::unique_ptr<google::protobuf::Message> copy(request.New());
  copy->CopyFrom(request);
  copy->GetReflection()->ClearField(copy.get(),
                                    copy->GetDescriptor()->FindFieldByName("request_id"));
  return IdempotencyKey{request_id, Fingerprint(copy->SerializeAsString())};
}

}  // namespace fazhi
