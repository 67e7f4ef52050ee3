#ifndef FAZHI_SERVICES_GATEWAY_FINDINGS_H_
#define FAZHI_SERVICES_GATEWAY_FINDINGS_H_

// Shortcomings the records prove by themselves, one finding per kind,
// aggregated ("养老服务、殡葬2个领域共9项执法事项……"), each with the cause the
// data shows, a rectification, an owner and a due date. Kinds
// (services/report/finding_kinds.h): quarters without leadership-group
// study, plan missing or late, plan rules missed, planned laws not studied,
// oath coverage; powers short of certified officers, powers needing
// 法制审核 without a legal reviewer, powers unstaffed because everyone is at
// capacity, powers not allocated, lapsed certificates, training short among
// certified established officers. An organization's own remedies
// (Organization.finding_remedies) replace the defaults. Pure logic.

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "fazhi/gateway/v1/gateway.pb.h"
#include "services/gateway/facts.h"

namespace fazhi::gateway {

struct Finding {
  std::string id;    // the kind, with a suffix where a kind can repeat
  std::string kind;  // e.g. "duty.staff_short"
  fazhi::gateway::v1::FindingType type;
  std::string text;           // the problem, one sentence
  std::string cause;          // 原因 (a template when the organization wrote it)
  std::string rectification;  // 整改 (likewise)
  std::string owner;
  std::optional<absl::CivilDay> due;
  std::vector<std::string> evidence;  // in words
  std::vector<std::string> records;   // resource names
  bool suppressed = false;
  // Field of the organization's remedy used, e.g.
  // "organization.finding_remedies[0]"; empty for the defaults.
  std::string remedy_field;
};

// In the order the report lists them: study, then duty.
std::vector<Finding> DeriveFindings(const YearInputs& inputs,
                                    const std::set<std::string>& suppressed);

}  // namespace fazhi::gateway

#endif  // FAZHI_SERVICES_GATEWAY_FINDINGS_H_
