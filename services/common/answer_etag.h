#ifndef FAZHI_SERVICES_COMMON_ANSWER_ETAG_H_
#define FAZHI_SERVICES_COMMON_ANSWER_ETAG_H_

// Conditional reads (if_none_match, answer_etag, not_modified): an answer's
// etag names what the answer was made from, so a caller that holds it can
// ask again and hear "not modified" instead of the service reading and
// sending the same records again. The gateway asks so on every report it
// composes; a write, a new day or another request changes the etag.

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "google/protobuf/message.h"
#include "services/common/validation.h"

namespace fazhi {

inline constexpr size_t kMaxIfNoneMatchChars = 128;

// The etag of the answer to `understood` (the request with its defaults
// resolved and its if_none_match cleared) made on `today` from the data
// `data_version` names (sql::Database::DataVersion); empty without one,
// and such an answer is never "not modified".
std::string AnswerEtag(const google::protobuf::Message& understood, absl::CivilDay today,
                       const std::optional<std::string>& data_version);

void CheckIfNoneMatch(absl::string_view if_none_match, FieldViolations& v);

// When `if_none_match` is `etag`, makes `answer` the short "not modified"
// one and returns true.
template <typename Answer>
bool AnswerNotModified(const std::string& etag, absl::string_view if_none_match, Answer& answer) {
  if (etag.empty() || if_none_match != etag) return false;
  answer.Clear();
  answer.set_answer_etag(etag);
  answer.set_not_modified(true);
  return true;
}

}  // namespace fazhi

#endif  // FAZHI_SERVICES_COMMON_ANSWER_ETAG_H_
