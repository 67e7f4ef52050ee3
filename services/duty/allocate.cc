#include "services/duty/allocate.h"

#include <utility>

#include "services/duty/allocate_steps.h"

namespace fazhi::duty {

using allocation::Group;
using allocation::Grouping;
using allocation::Holdings;
using allocation::PowerOutcome;
using allocation::Staffing;

const char* AllocationMethod() {
  return "max flow (LEMON Preflow) to choose the staffed powers, then min-cost flow (LEMON "
         "NetworkSimplex) minimising the sum of squared officer loads, then changes";
}

bool EligibleFor(const Officer& officer, const Power& power, absl::CivilDay as_of) {
  return officer.established && officer.certificate.ValidOn(as_of) &&
         officer.QualifiedFor(power.domain) &&
         (power.post_id.empty() || officer.post_id == power.post_id);
}

StaffingDiagnosis DiagnoseStaffing(const Power& power, const std::vector<Officer>& officers,
                                   absl::CivilDay as_of) {
  StaffingDiagnosis d;
  d.required = power.RequiredOfficers();
  for (const Officer& officer : officers) {
    if (!officer.established || !officer.QualifiedFor(power.domain) ||
        (!power.post_id.empty() && officer.post_id != power.post_id)) {
      continue;
    }
    ++d.qualified;
    if (!officer.certificate.ValidOn(as_of)) continue;
    ++d.eligible;
    if (officer.legal_qualification) ++d.eligible_legal;
  }
  if (d.qualified < d.required) {
    d.reason = UnstaffedReason::kNoQualifiedOfficer;
  } else if (d.eligible < d.required) {
    d.reason = UnstaffedReason::kCertificatesNotValid;
  } else if (power.needs_legal_review && d.eligible_legal == 0) {
    d.reason = UnstaffedReason::kNoLegalReviewer;
  } else {
    d.reason = UnstaffedReason::kAllAtCapacity;
  }
  return d;
}

AllocationPlan Allocate(const DutySnapshot& snapshot, absl::CivilDay as_of) {
  return Allocate(snapshot, as_of, AllocationTuning{});
}

AllocationPlan Allocate(const DutySnapshot& snapshot, absl::CivilDay as_of,
                        const AllocationTuning& tuning) {
  const Holdings holdings = allocation::ReadAssignments(snapshot);
  Grouping grouping = allocation::GroupPowers(snapshot, as_of, holdings);
  std::vector<Group>& groups = grouping.groups;
  allocation::IncludeInitialArcs(groups, holdings.officers, tuning.initial_extra_candidates);
  allocation::ChooseStaffedGroups(groups, holdings.officers);
  const std::vector<std::vector<int64_t>> units = allocation::SolvePlan(groups, holdings.officers);
  const Staffing staffing =
      allocation::OfficersByPower(groups, units, holdings.officers, grouping.staffed_by_pins);

  AllocationPlan plan;
  plan.loads = allocation::PlanLoads(holdings.officers, staffing.chosen);
  for (size_t p = 0; p < snapshot.powers.size(); ++p) {
    PowerOutcome outcome = allocation::PlanPower(snapshot, p, holdings.pins[p],
                                                 holdings.existing[p], staffing.chosen[p]);
    for (Assignment& a : outcome.computed) plan.computed.push_back(std::move(a));
    for (std::string& id : outcome.removed) plan.removed.push_back(std::move(id));
    if (staffing.staffed[p]) {
      plan.staffed.push_back(PowerPlan{p, std::move(outcome.officers)});
      continue;
    }
    UnstaffedPower unstaffed = allocation::DescribeUnstaffed(snapshot, p, as_of);
    unstaffed.pinned = std::move(outcome.officers);
    plan.unstaffed.push_back(std::move(unstaffed));
  }
  plan.stats = allocation::Statistics(snapshot, as_of, plan);
  return plan;
}

}  // namespace fazhi::duty
