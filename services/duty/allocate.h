#ifndef FAZHI_SERVICES_DUTY_ALLOCATE_H_
#define FAZHI_SERVICES_DUTY_ALLOCATE_H_

// Duty allocation: which officers enforce which power. Pure logic, no gRPC
// and no SQL.
//
// Hard rules (a plan never breaks them): every staffed power has at least
// its required number of officers, never fewer than two (《行政处罚法》
// 第四十二条); each of them is established staff (在编在岗), holds a
// certificate VALID on `as_of` (issued <= as_of <= expiry), is qualified for
// the power's domain and, when the power names a post, holds that post; no
// officer exceeds their maximum load; a power that needs 法制审核 has at
// least one legally qualified officer; PINNED assignments stay as they are.
// Pinned officers count towards a power only while they meet the rules.
//
// Method: network flows solved by LEMON (a proven library, not a hand-made
// loop).
//  1. Which powers are staffed: maximum flow (lemon::Preflow, push-relabel)
//     in  source -> power -> eligible officer -> sink,  power capacity = the
//     officers it still needs, officer capacity = remaining load. A power
//     that needs 法制审核 gets two entry nodes, one unit that only legally
//     qualified officers can take and the rest, joined per (power, officer)
//     so that nobody is counted twice. Powers the flow fills only partly
//     are released, the least filled half at a time, and the flow solved
//     again; powers left out are reported with their reason.
//  2. The plan: minimum-cost flow (lemon::NetworkSimplex) on the same
//     network with the staffed powers' demands fixed. Each officer reaches
//     the sink through unit arcs of increasing cost W*(2k-1) for their k-th
//     power, so the cost of a plan is W * (sum of squared loads) plus one
//     for every assignment that did not exist before. W exceeds any
//     possible number of changes, so load comes first.
//
// Guarantees: if a lawful plan staffing every power exists, the allocator
// finds one. For the set of powers it staffs, the plan's loads are
// decreasingly minimal — the smallest possible maximum load, then the most
// even spread (minimum sum of squares; on the integral load vectors of a
// flow these coincide: Frank & Murota, "Discrete decreasing minimization")
// — and among such plans it changes the fewest
// existing assignments (a min-cost flow is an exact optimum). When officers
// are too few to staff everything, which powers go unstaffed follows the
// maximum flow and is not guaranteed to be the largest possible set.
//
// Scale: powers that are interchangeable (same domain, post, officers
// needed, legal-review need, and no pinned or kept assignment) are merged
// into one node whose arcs carry as many units as it has powers; the merged
// flow is split back into per-power officer sets by filling the powers
// round-robin, which keeps each power's officers distinct and puts a legally
// qualified officer on each. This is exact (any plan maps to a merged flow
// of the same cost and back), and keeps a province-sized fresh allocation
// to tens of thousands of arcs. A power with pinned or kept assignments is
// its own node; it starts with arcs to its kept officers and a few of the
// least loaded others, and pricing adds the rest only where they matter:
// an arc crossing the max flow's minimum cut, or one with negative reduced
// cost under the min-cost flow's optimal potentials (LP duality: with none
// left, the flow is optimal for the network with every arc).

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "services/duty/model.h"

namespace fazhi::duty {

// Values match fazhi.duty.v1.UnstaffedReason.
enum class UnstaffedReason {
  kUnspecified = 0,
  kNoQualifiedOfficer = 1,
  kCertificatesNotValid = 2,
  kNoLegalReviewer = 3,
  kAllAtCapacity = 4,
  // Enough eligible officers with room to take it: it is simply not
  // allocated yet (coverage only; an allocation never leaves one so).
  kNotAllocated = 5,
};

struct PlannedOfficer {
  size_t officer;  // index into DutySnapshot::officers
  AssignmentRole role = AssignmentRole::kAssistant;
  AssignmentOrigin origin = AssignmentOrigin::kComputed;
  bool kept = false;  // a computed assignment that existed before
};

struct PowerPlan {
  size_t power;                          // index into DutySnapshot::powers
  std::vector<PlannedOfficer> officers;  // lead first, then by person_id
};

struct UnstaffedPower {
  size_t power;
  UnstaffedReason reason = UnstaffedReason::kUnspecified;
  std::string detail;
  int32_t required = 0;
  int32_t qualified = 0;
  int32_t eligible = 0;
  int32_t eligible_legal = 0;
  std::vector<PlannedOfficer> pinned;  // pins stay even when the power is unstaffed
};

struct AllocationStats {
  int32_t powers = 0;
  int32_t staffed_powers = 0;
  int32_t unstaffed_powers = 0;
  int32_t assignments = 0;
  int32_t kept = 0;
  int32_t added = 0;
  int32_t removed = 0;
  int32_t max_load = 0;
  int32_t min_load = 0;
  int64_t load_sum_of_squares = 0;
  int32_t officers_used = 0;
  int32_t eligible_officers = 0;
};

struct AllocationPlan {
  std::vector<PowerPlan> staffed;         // by power code
  std::vector<UnstaffedPower> unstaffed;  // by power code
  // Per officer (snapshot order): powers held in the plan, pinned included.
  std::vector<int32_t> loads;
  // The computed assignments of the plan, ready to store (no meta.org).
  std::vector<Assignment> computed;
  // Ids of existing computed assignments the plan drops.
  std::vector<std::string> removed;
  AllocationStats stats;
};

// Eligibility of an officer for a power on a day, apart from load.
bool EligibleFor(const Officer& officer, const Power& power, absl::CivilDay as_of);

// Who could lawfully enforce a power on a day, counted step by step, and
// the first rule that leaves too few: the cause a report states when the
// power is not staffed.
struct StaffingDiagnosis {
  // kNoQualifiedOfficer, kCertificatesNotValid or kNoLegalReviewer when a
  // rule leaves too few; kAllAtCapacity when enough eligible officers exist.
  UnstaffedReason reason = UnstaffedReason::kUnspecified;
  int32_t required = 0;
  int32_t qualified = 0;       // established, qualified for the domain (and post)
  int32_t eligible = 0;        // of them, with a certificate valid on the day
  int32_t eligible_legal = 0;  // of them, legally qualified
};
StaffingDiagnosis DiagnoseStaffing(const Power& power, const std::vector<Officer>& officers,
                                   absl::CivilDay as_of);

// Computes the plan for `snapshot` on `as_of`. Deterministic.
AllocationPlan Allocate(const DutySnapshot& snapshot, absl::CivilDay as_of);

// How many officers beyond those it needs a power modelled on its own (one
// with pinned or kept assignments) starts with in the network; pricing adds
// any other that could change the result, so the plan's optimality does
// not depend on it, only the time. Tests and benchmarks change it.
struct AllocationTuning {
  int32_t initial_extra_candidates = 2;
};
AllocationPlan Allocate(const DutySnapshot& snapshot, absl::CivilDay as_of,
                        const AllocationTuning& tuning);

// Human-readable name of the method, for responses and logs.
const char* AllocationMethod();

}  // namespace fazhi::duty

#endif  // FAZHI_SERVICES_DUTY_ALLOCATE_H_
