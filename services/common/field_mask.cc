#include "services/common/field_mask.h"

#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace fazhi {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

void ApplyFieldMask(const Message& source, const google::protobuf::FieldMask& mask,
                    absl::string_view mask_field, Message& target, FieldViolations& violations) {
  const auto* descriptor = source.GetDescriptor();
  const auto* reflection = source.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  if (mask.paths().empty()) {
    reflection->ListFields(source, &fields);
    std::erase_if(fields,
                  [](const FieldDescriptor* f) { return OutputOnlyFields().count(f->name()); });
  } else {
    bool bad = false;
    for (int i = 0; i < mask.paths_size(); ++i) {
      const std::string& path = mask.paths(i);
      const FieldDescriptor* field = descriptor->FindFieldByName(path);
      const std::string at = absl::StrCat(mask_field, ".paths[", i, "]");
      if (field == nullptr) {
        violations.Add(at, absl::StrCat("\"", path, "\" is not a field of ", descriptor->name()));
        bad = true;
      } else if (OutputOnlyFields().count(path)) {
        violations.Add(at, absl::StrCat("\"", path, "\" is output only"));
        bad = true;
      } else {
        fields.push_back(field);
      }
    }
    if (bad) return;
  }
  // Keep only the masked fields of the source, clear them on the target,
  // then merge: zero values replace too, lists are replaced, not appended.
  std::unique_ptr<Message> partial(source.New());
  for (const FieldDescriptor* field : fields) {
    target.GetReflection()->ClearField(&target, field);
  }
  partial->CopyFrom(source);
  std::vector<const FieldDescriptor*> present;
  partial->GetReflection()->ListFields(*partial, &present);
  for (const FieldDescriptor* field : present) {
    if (std::find(fields.begin(), fields.end(), field) == fields.end()) {
      partial->GetReflection()->ClearField(partial.get(), field);
    }
  }
  target.MergeFrom(*partial);
}

const google::protobuf::FieldDescriptor* FieldByProtoOrJsonName(
    const google::protobuf::Descriptor& type, absl::string_view name) {
  for (int i = 0; i < type.field_count(); ++i) {
    const google::protobuf::FieldDescriptor* field = type.field(i);
    if (field->name() == name || field->json_name() == name) return field;
  }
  return nullptr;
}

}  // namespace fazhi
