#ifndef FAZHI_SERVICES_GATEWAY_COMPOSE_H_
#define FAZHI_SERVICES_GATEWAY_COMPOSE_H_

// Composition: the report's narrative, its layout and the facts become the
// structured annual report. Placeholders are filled, findings go into the
// shortcomings section, a section nobody wrote gets a factual first draft,
// and the regulation's five items are always there. Pure logic.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "fazhi/gateway/v1/gateway.pb.h"
#include "services/gateway/facts.h"
#include "services/gateway/findings.h"
#include "services/gateway/render/document.h"

namespace fazhi::gateway {

struct ComposeInput {
  YearInputs inputs;
  std::vector<std::string> missing_backends;  // "study", "duty", "report"
  // The request field the narrative came from, named in template problems:
  // "report" (stored), or "draft" (ComposeReportRequest.draft).
  std::string narrative_field = "report";
  // The etags of the answers the inputs came in (study/duty/report), which
  // name them: the same etags, the same inputs. Empty unless every input
  // came in one answer with an etag.
  std::string answers_etag;
};

// INVALID_ARGUMENT naming every unknown fact (and where it is used) when the
// narrative quotes facts the catalogue lacks.
absl::StatusOr<fazhi::gateway::v1::ComposedReport> Compose(const ComposeInput& input,
                                                           const FactCatalogue& facts);

// The document the renderers lay out.
fazhi::render::Document ToDocument(const fazhi::gateway::v1::ComposedReport& report);

}  // namespace fazhi::gateway

#endif  // FAZHI_SERVICES_GATEWAY_COMPOSE_H_
