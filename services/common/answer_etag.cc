#include "services/common/answer_etag.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "services/kernel/digest.h"

namespace fazhi {

std::string AnswerEtag(const google::protobuf::Message& understood, absl::CivilDay today,
                       const std::optional<std::string>& data_version) {
  if (!data_version) return "";
  std::string bytes;
  {
    // Deterministic: equal requests give equal bytes whatever their maps.
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream out(&stream);
    out.SetSerializationDeterministic(true);
    understood.SerializeToCodedStream(&out);
  }
  // The message's type too: two methods' requests may share their bytes.
  absl::StrAppend(&bytes, "|", understood.GetDescriptor()->full_name(), "|",
                  absl::FormatCivilTime(today), "|", *data_version);
  // Half a SHA-256: as unlikely to collide, and short to send back.
  return kernel::Sha256Hex(bytes).substr(0, 32);
}

void CheckIfNoneMatch(absl::string_view if_none_match, FieldViolations& v) {
  v.CheckText("if_none_match", if_none_match, kMaxIfNoneMatchChars);
}

}  // namespace fazhi
