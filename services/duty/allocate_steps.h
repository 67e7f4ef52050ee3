#ifndef FAZHI_SERVICES_DUTY_ALLOCATE_STEPS_H_
#define FAZHI_SERVICES_DUTY_ALLOCATE_STEPS_H_

// The steps of Allocate (allocate.h), each a pure function of its inputs so
// that each can be tested on its own. Allocate runs them in this order:
//  1. ReadAssignments: each officer's standing and load, and per power its
//     pins and existing computed assignments.
//  2. GroupPowers: what the flow must add to each power, and which powers it
//     staffs together.
//  3. IncludeInitialArcs: which candidates' arcs the network starts with.
//  4. ChooseStaffedGroups (max flow, ReleaseUnfilled per round): how many
//     members of each group are staffed.
//  5. SolvePlan (min-cost flow): the units each group gives each candidate.
//  6. OfficersByPower: those units as officer sets per power.
//  7. PlanPower, DescribeUnstaffed: each power's entry in the plan.
//  8. Statistics: the plan's counts and loads.
// Officers and powers are indices into the snapshot's vectors throughout.

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/civil_time.h"
#include "services/duty/allocate.h"
#include "services/duty/model.h"

namespace fazhi::duty::allocation {

struct OfficerState {
  bool legal = false;
  int32_t pinned = 0;     // pinned assignments, lawful or not: they are load
  int32_t remaining = 0;  // load left for computed assignments
};

// (officer, pin) in snapshot order.
using Pins = std::vector<std::pair<size_t, const Assignment*>>;
// Existing computed assignments by officer.
using Existing = std::map<size_t, const Assignment*>;

// What the snapshot already holds; the Assignment pointers point into it.
// Assignments naming an unknown power or officer are ignored.
struct Holdings {
  std::vector<OfficerState> officers;  // by officer
  std::vector<Pins> pins;              // by power
  std::vector<Existing> existing;      // by power
};
Holdings ReadAssignments(const DutySnapshot& snapshot);

// Powers the flow staffs together: one power, or several interchangeable
// ones (see allocate.h).
struct Group {
  std::vector<size_t> members;  // power indices, by code
  bool individual = false;
  int32_t need = 0;                  // officers each member needs from the flow
  bool legal = false;                // each member needs a legally qualified one of them
  std::vector<size_t> candidates;    // officer indices
  std::vector<int64_t> change_cost;  // per candidate: 0 kept, 1 new
  // Per candidate: whether its arc is in the network yet (pricing adds the
  // others where they matter).
  std::vector<bool> included;
  int32_t active = 0;  // members currently asked for
};

struct Grouping {
  // The powers lawful pins alone do not staff, grouped: a power with pins or
  // kept assignments is a group of its own, the others merge by (domain,
  // post, need, legal). Candidates are the eligible officers with room, bar
  // the power's pinned ones. Every member starts active; `included` is left
  // to IncludeInitialArcs.
  std::vector<Group> groups;
  std::vector<bool> staffed_by_pins;  // by power
};
Grouping GroupPowers(const DutySnapshot& snapshot, absl::CivilDay as_of, const Holdings& holdings);

// Marks the arcs the network starts with: every arc of a merged group; for a
// group of its own, its kept officers and, beyond the officers it still
// needs, `extra_candidates` more, the least loaded first.
void IncludeInitialArcs(std::vector<Group>& groups, const std::vector<OfficerState>& officers,
                        int32_t extra_candidates);

// Round 1, which powers can be staffed: solves a maximum flow and lets
// ReleaseUnfilled lower the groups' `active` until every remaining demand
// is met; includes the arcs that could raise the flow.
void ChooseStaffedGroups(std::vector<Group>& groups, const std::vector<OfficerState>& officers);

// Round 2, the plan: a minimum-cost flow for the groups' active members;
// includes the arcs that could lower its cost. Returns per group and
// candidate the units the flow gives that officer. Should no flow exist,
// staffs nothing new (every `active` becomes 0).
std::vector<std::vector<int64_t>> SolvePlan(std::vector<Group>& groups,
                                            const std::vector<OfficerState>& officers);

// How many members of a merged group `units` (per candidate) can staff: the
// largest m <= active with sum(min(x, m)) >= need*m and, when legal, at
// least m of it on legally qualified officers.
int32_t StaffableMembers(const Group& group, const std::vector<int64_t>& units,
                         const std::vector<OfficerState>& officers);

// What a flow gives a group: the units it brings in, and (for merged groups)
// the units it gives each candidate.
struct GroupFlow {
  int64_t in = 0;
  std::vector<int64_t> units;
};

// One round's verdict on a flow: a merged group it fills only partly keeps
// the members its units can staff (StaffableMembers); of the groups of their
// own it fills only partly, the least filled half is released (active 0).
// Returns whether any group changed; if not, every active demand is met.
bool ReleaseUnfilled(std::vector<Group>& groups, const std::vector<GroupFlow>& flows,
                     const std::vector<OfficerState>& officers);

// Splits a merged group's units into officer sets for its first `m`
// members: officers (legally qualified first) each repeated as many times
// as their units, dealt to the members in turn.
std::vector<std::vector<size_t>> FillRoundRobin(const Group& group,
                                                const std::vector<int64_t>& units,
                                                const std::vector<OfficerState>& officers,
                                                int32_t m);

struct Staffing {
  std::vector<std::vector<size_t>> chosen;  // by power: computed officers
  std::vector<bool> staffed;                // by power
};
// The flow's units as officer sets per power; staffed are the active
// members and the powers pins staff.
Staffing OfficersByPower(const std::vector<Group>& groups,
                         const std::vector<std::vector<int64_t>>& units,
                         const std::vector<OfficerState>& officers,
                         const std::vector<bool>& staffed_by_pins);

// Per officer: pinned assignments plus the powers chosen for them.
std::vector<int32_t> PlanLoads(const std::vector<OfficerState>& officers,
                               const std::vector<std::vector<size_t>>& chosen);

struct PowerOutcome {
  std::vector<PlannedOfficer> officers;  // lead first, then by person_id
  std::vector<Assignment> computed;      // by seniority, ready to store
  std::vector<std::string> removed;      // ids of existing ones dropped
};
// One power's part of the plan: pins as they are, the chosen officers as
// computed assignments, and the lead: a pinned lead, else a kept lead, else
// the most senior (earliest certificate) of the chosen.
PowerOutcome PlanPower(const DutySnapshot& snapshot, size_t power, const Pins& pins,
                       const Existing& existing, const std::vector<size_t>& chosen);

// Why a power is not staffed (DiagnoseStaffing), with the sentence a report
// shows; `pinned` is left to the caller.
UnstaffedPower DescribeUnstaffed(const DutySnapshot& snapshot, size_t power, absl::CivilDay as_of);

// The plan's statistics from its staffed, unstaffed, removed and loads;
// min, max and sum of squares of the loads run over officers eligible for
// some power or holding one.
AllocationStats Statistics(const DutySnapshot& snapshot, absl::CivilDay as_of,
                           const AllocationPlan& plan);

}  // namespace fazhi::duty::allocation

#endif  // FAZHI_SERVICES_DUTY_ALLOCATE_STEPS_H_
