#ifndef FAZHI_SERVICES_COMMON_FIELD_MASK_H_
#define FAZHI_SERVICES_COMMON_FIELD_MASK_H_

// Update semantics shared by every Update RPC (AIP-134): the mask names
// top-level fields to replace; an empty mask means every field the request
// populated. Output-only fields may not be named.

#include <set>
#include <string>
#include <string_view>

#include "absl/strings/string_view.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/message.h"
#include "services/common/validation.h"

namespace fazhi {

// Fields every resource carries that callers never set.
inline const std::set<std::string>& OutputOnlyFields() {
  static const auto* fields =
      new std::set<std::string>{"name", "etag", "create_time", "update_time"};
  return *fields;
}

// Copies the masked fields of `source` onto `target` (same type): a named
// field is replaced, including by its zero value. Bad paths become
// violations of `mask_field`, and nothing is copied.
void ApplyFieldMask(const google::protobuf::Message& source,
                    const google::protobuf::FieldMask& mask, absl::string_view mask_field,
                    google::protobuf::Message& target, FieldViolations& violations);

// The field of `type` called `name` in the proto (`attendee_count`) or in
// JSON (`attendeeCount`, or a json_name the proto gives), or null. What a
// caller writes in a query string, a JSON body or a sheet's header.
const google::protobuf::FieldDescriptor* FieldByProtoOrJsonName(
    const google::protobuf::Descriptor& type, absl::string_view name);

}  // namespace fazhi

#endif  // FAZHI_SERVICES_COMMON_FIELD_MASK_H_
