// Resource names, page tokens, etags, dates and UTF-8 checks on arbitrary
// input: never crash, and accept only what they would produce.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "services/common/resource.h"
#include "services/common/validation.h"
#include "services/kernel/dates.h"
#include "services/kernel/utf8.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  fazhi::FieldViolations v;
  auto org = fazhi::ParseOrgName(input, "parent", v);
  if (org && fazhi::OrgName(*org) != input) std::abort();
  auto child = fazhi::ParseChildName(input, "sessions", "name", v);
  if (child && fazhi::ChildResourceName(child->org, "sessions", child->id) != input) std::abort();
  auto position = fazhi::DecodePageToken(input, "q", "page_token", v);
  if (!position.empty() && fazhi::EncodePageToken("q", position) != input) {
    // Base64 may have more than one spelling; the decoded position must
    // round-trip through a fresh token.
    fazhi::FieldViolations again;
    if (fazhi::DecodePageToken(fazhi::EncodePageToken("q", position), "q", "t", again) !=
        position) {
      std::abort();
    }
  }
  auto revision = fazhi::ParseEtag(input);
  if (revision && fazhi::ParseEtag(fazhi::MakeEtag(*revision)) != revision) std::abort();
  absl::CivilDay day;
  if (fazhi::kernel::ParseDate(input, &day) && fazhi::kernel::FormatDate(day) != input) {
    std::abort();
  }
  (void)fazhi::kernel::Utf8Length(input);
  v.CheckText("t", input, 100);
  return 0;
}
