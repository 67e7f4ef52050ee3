#ifndef FAZHI_SERVICES_GATEWAY_FINDINGS_H_
#define FAZHI_SERVICES_GATEWAY_FINDINGS_H_

// Shortcomings the data proves by itself: a quarter without leadership-group
// study, plan targets missed, powers with fewer than two valid certified
// officers, domains without a legal reviewer, lapsed certificates, training
// short. Each carries a stable id (authors may turn it off) and evidence.

#include <set>
#include <string>
#include <vector>

#include "fazhi/gateway/v1/gateway.pb.h"
#include "services/gateway/facts.h"

namespace fazhi::gateway {

struct Finding {
  std::string id;
  fazhi::gateway::v1::FindingType type;
  std::string text;
  std::vector<std::string> evidence;
  bool suppressed = false;
};

// In the order the report lists them: study, then duty.
std::vector<Finding> DeriveFindings(const YearInputs& inputs,
                                    const std::set<std::string>& suppressed);

}  // namespace fazhi::gateway

#endif  // FAZHI_SERVICES_GATEWAY_FINDINGS_H_
