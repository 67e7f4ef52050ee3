#ifndef FAZHI_SERVICES_COMMON_ARENA_MESSAGES_H_
#define FAZHI_SERVICES_COMMON_ARENA_MESSAGES_H_

// A callback method's request and answer on one protobuf Arena
// (SetMessageAllocatorFor_<Method>): an answer built field by field — many
// strings and sub-messages — takes one bump allocation for each and is freed
// at once when the call ends, instead of piece by piece on whichever thread
// gRPC ends the call. Worth it for a large answer the handler writes in
// place; an answer assigned from a message elsewhere would be copied onto
// the arena instead of moved.

#include <grpcpp/support/message_allocator.h>

#include "google/protobuf/arena.h"

namespace fazhi {

template <typename Request, typename Response>
class ArenaMessages final : public grpc::MessageAllocator<Request, Response> {
 public:
  grpc::MessageHolder<Request, Response>* AllocateMessages() override { return new Holder; }

 private:
  class Holder final : public grpc::MessageHolder<Request, Response> {
   public:
    Holder() : arena_(Options()) {
      this->set_request(google::protobuf::Arena::CreateMessage<Request>(&arena_));
      this->set_response(google::protobuf::Arena::CreateMessage<Response>(&arena_));
    }
    void Release() override { delete this; }

   private:
    static google::protobuf::ArenaOptions Options() {
      google::protobuf::ArenaOptions options;
      options.start_block_size = 4096;  // a small answer fits in the first block
      options.max_block_size = 65536;
      return options;
    }
    google::protobuf::Arena arena_;
  };
};

}  // namespace fazhi

#endif  // FAZHI_SERVICES_COMMON_ARENA_MESSAGES_H_
