#include "services/common/record_errors.h"

#include "absl/strings/str_cat.h"
#include "services/common/resource.h"

namespace fazhi {
namespace {

std::string WithAdvice(std::string message, absl::string_view advice) {
  if (!advice.empty()) absl::StrAppend(&message, "; ", advice);
  return message;
}

}  // namespace

absl::Status NotFoundError(absl::string_view noun, absl::string_view name) {
  return absl::NotFoundError(absl::StrCat(noun, " ", name, " does not exist"));
}

absl::Status AlreadyExistsError(absl::string_view noun, absl::string_view name,
                                absl::string_view advice) {
  return absl::AlreadyExistsError(
      WithAdvice(absl::StrCat(noun, " ", name, " already exists"), advice));
}

absl::Status TakenError(absl::string_view what, absl::string_view holder,
                        absl::string_view advice) {
  return absl::AlreadyExistsError(
      WithAdvice(absl::StrCat(what, " is already used by ", holder), advice));
}

absl::Status StaleEtagError(absl::string_view noun, int64_t expected_revision,
                            int64_t current_revision) {
  return absl::AbortedError(absl::StrCat("etag ", MakeEtag(expected_revision), " is stale: the ",
                                         noun, " is now at ", MakeEtag(current_revision),
                                         "; read it again and retry"));
}

absl::Status CheckExpectedRevision(absl::string_view noun, std::optional<int64_t> expected,
                                   int64_t current) {
  if (expected && *expected != current) return StaleEtagError(noun, *expected, current);
  return absl::OkStatus();
}

absl::Status RequestIdReusedError() {
  return absl::AlreadyExistsError(
      "request_id was already used for a different request; use a new request_id");
}

}  // namespace fazhi
