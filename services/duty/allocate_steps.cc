// The allocation's steps apart from the flow rounds (allocate_steps.h).

#include "services/duty/allocate_steps.h"

#include <algorithm>
#include <optional>
#include <set>
#include <tuple>

#include "absl/strings/str_cat.h"

namespace fazhi::duty::allocation {
namespace {

const char* ReasonText(UnstaffedReason reason) {
  switch (reason) {
    case UnstaffedReason::kNoQualifiedOfficer:
      return "too few established officers qualified for";
    case UnstaffedReason::kCertificatesNotValid:
      return "too few valid certificates among officers of";
    case UnstaffedReason::kNoLegalReviewer:
      return "no legally qualified eligible officer for";
    case UnstaffedReason::kAllAtCapacity:
      return "eligible officers are at their maximum load in";
    case UnstaffedReason::kNotAllocated:
      return "eligible officers have room, but it is not allocated, in";
    default:
      return "";
  }
}

}  // namespace

Holdings ReadAssignments(const DutySnapshot& snapshot) {
  const auto& powers = snapshot.powers;
  const auto& officers = snapshot.officers;
  std::map<std::string, size_t> power_index, officer_index;
  for (size_t p = 0; p < powers.size(); ++p) power_index[powers[p].meta.id] = p;
  for (size_t o = 0; o < officers.size(); ++o) officer_index[officers[o].meta.id] = o;

  Holdings holdings;
  std::vector<OfficerState>& state = holdings.officers;
  state.resize(officers.size());
  for (size_t o = 0; o < officers.size(); ++o) state[o].legal = officers[o].legal_qualification;
  holdings.pins.resize(powers.size());
  holdings.existing.resize(powers.size());
  for (const Assignment& a : snapshot.assignments) {
    auto p = power_index.find(a.power_id);
    auto o = officer_index.find(a.officer_id);
    if (p == power_index.end() || o == officer_index.end()) continue;
    if (a.origin == AssignmentOrigin::kPinned) {
      holdings.pins[p->second].emplace_back(o->second, &a);
      ++state[o->second].pinned;
    } else {
      holdings.existing[p->second][o->second] = &a;
    }
  }
  for (size_t o = 0; o < officers.size(); ++o) {
    state[o].remaining = std::max(0, officers[o].MaxLoad() - state[o].pinned);
  }
  return holdings;
}

Grouping GroupPowers(const DutySnapshot& snapshot, absl::CivilDay as_of, const Holdings& holdings) {
  const auto& powers = snapshot.powers;
  const auto& officers = snapshot.officers;
  const std::vector<OfficerState>& state = holdings.officers;
  const std::vector<Pins>& pins = holdings.pins;
  const std::vector<Existing>& existing = holdings.existing;

  // Officers who may take a computed assignment in (domain, post).
  std::map<std::pair<std::string, std::string>, std::vector<size_t>> pool_cache;
  auto pool = [&](const Power& power) -> const std::vector<size_t>& {
    auto key = std::make_pair(power.domain, power.post_id);
    auto it = pool_cache.find(key);
    if (it != pool_cache.end()) return it->second;
    std::vector<size_t> eligible;
    for (size_t o = 0; o < officers.size(); ++o) {
      if (state[o].remaining > 0 && EligibleFor(officers[o], power, as_of)) eligible.push_back(o);
    }
    return pool_cache.emplace(key, std::move(eligible)).first->second;
  };

  // Per power: what the flow must add, and into which group it goes.
  std::vector<int32_t> lawful_pins(powers.size(), 0);
  std::vector<bool> pinned_legal(powers.size(), false);
  Grouping grouping;
  grouping.staffed_by_pins.assign(powers.size(), false);
  std::vector<Group>& groups = grouping.groups;
  std::map<std::tuple<std::string, std::string, int32_t, bool>, size_t> merged;
  for (size_t p = 0; p < powers.size(); ++p) {
    const Power& power = powers[p];
    for (const auto& [o, a] : pins[p]) {
      if (EligibleFor(officers[o], power, as_of)) {
        ++lawful_pins[p];
        if (state[o].legal) pinned_legal[p] = true;
      }
    }
    const bool legal = power.needs_legal_review && !pinned_legal[p];
    int32_t need = std::max(0, power.RequiredOfficers() - lawful_pins[p]);
    if (legal) need = std::max(need, 1);
    if (need == 0) {
      grouping.staffed_by_pins[p] = true;
      continue;
    }
    const std::vector<size_t>& candidates = pool(power);
    bool keeps = false;
    for (const auto& [o, a] : existing[p]) {
      keeps = keeps || std::binary_search(candidates.begin(), candidates.end(), o);
    }
    if (pins[p].empty() && !keeps) {
      auto key = std::make_tuple(power.domain, power.post_id, need, legal);
      auto it = merged.find(key);
      if (it == merged.end()) {
        Group group;
        group.need = need;
        group.legal = legal;
        group.candidates = candidates;
        group.change_cost.assign(candidates.size(), 1);
        it = merged.emplace(key, groups.size()).first;
        groups.push_back(std::move(group));
      }
      groups[it->second].members.push_back(p);
      continue;
    }
    Group group;
    group.individual = true;
    group.members = {p};
    group.need = need;
    group.legal = legal;
    for (size_t o : candidates) {
      bool pinned_here = false;
      for (const auto& [po, a] : pins[p]) pinned_here = pinned_here || po == o;
      if (pinned_here) continue;
      group.candidates.push_back(o);
      group.change_cost.push_back(existing[p].count(o) ? 0 : 1);
    }
    groups.push_back(std::move(group));
  }
  for (Group& group : groups) group.active = static_cast<int32_t>(group.members.size());
  return grouping;
}

void IncludeInitialArcs(std::vector<Group>& groups, const std::vector<OfficerState>& officers,
                        int32_t extra_candidates) {
  std::vector<int64_t> expected_load(officers.size(), 0);
  for (size_t o = 0; o < officers.size(); ++o) expected_load[o] = officers[o].pinned;
  for (const Group& group : groups) {
    for (size_t k = 0; k < group.candidates.size(); ++k) {
      if (group.individual && group.change_cost[k] == 0) ++expected_load[group.candidates[k]];
    }
  }
  for (Group& group : groups) {
    group.included.assign(group.candidates.size(), !group.individual);
    if (!group.individual) continue;
    std::vector<size_t> fresh;
    int32_t kept = 0;
    for (size_t k = 0; k < group.candidates.size(); ++k) {
      if (group.change_cost[k] == 0) {
        group.included[k] = true;
        ++kept;
      } else {
        fresh.push_back(k);
      }
    }
    const size_t wanted =
        static_cast<size_t>(std::max(0, group.need - kept) + std::max(0, extra_candidates));
    const size_t p = group.members[0];
    auto spread = [p](size_t o) { return (o * 2654435761u + p * 40503u) % 65521u; };
    std::sort(fresh.begin(), fresh.end(), [&](size_t a, size_t b) {
      const size_t oa = group.candidates[a], ob = group.candidates[b];
      if (expected_load[oa] != expected_load[ob]) return expected_load[oa] < expected_load[ob];
      return spread(oa) < spread(ob);
    });
    for (size_t i = 0; i < fresh.size() && i < wanted; ++i) group.included[fresh[i]] = true;
  }
}

int32_t StaffableMembers(const Group& group, const std::vector<int64_t>& units,
                         const std::vector<OfficerState>& officers) {
  for (int32_t m = group.active; m > 0; --m) {
    int64_t total = 0, legal = 0;
    for (size_t k = 0; k < units.size(); ++k) {
      const int64_t x = std::min<int64_t>(units[k], m);
      total += x;
      if (officers[group.candidates[k]].legal) legal += x;
    }
    if (total >= int64_t{group.need} * m && (!group.legal || legal >= m)) return m;
  }
  return 0;
}

bool ReleaseUnfilled(std::vector<Group>& groups, const std::vector<GroupFlow>& flows,
                     const std::vector<OfficerState>& officers) {
  bool changed = false;
  std::vector<std::pair<int64_t, size_t>> incomplete;  // (flow, group)
  for (size_t gi = 0; gi < groups.size(); ++gi) {
    Group& group = groups[gi];
    if (group.active == 0) continue;
    const int64_t in = flows[gi].in;
    if (in == int64_t{group.need} * group.active) continue;
    if (group.individual) {
      incomplete.emplace_back(in, gi);
      continue;
    }
    group.active = StaffableMembers(group, flows[gi].units, officers);
    changed = true;
  }
  if (!incomplete.empty()) {
    // Least filled first; among equals, the later power by code.
    std::sort(incomplete.begin(), incomplete.end(), [&](const auto& a, const auto& b) {
      if (a.first != b.first) return a.first < b.first;
      return groups[a.second].members[0] > groups[b.second].members[0];
    });
    for (size_t i = 0; i < (incomplete.size() + 1) / 2; ++i) {
      groups[incomplete[i].second].active = 0;
    }
    changed = true;
  }
  return changed;
}

// Nobody has more than m
// units, so no member gets an officer twice; the first m units are legally
// qualified ones when the group needs them, so every member gets one.
std::vector<std::vector<size_t>> FillRoundRobin(const Group& group,
                                                const std::vector<int64_t>& units,
                                                const std::vector<OfficerState>& officers,
                                                int32_t m) {
  std::vector<std::vector<size_t>> sets(m);
  if (m == 0) return sets;
  std::vector<size_t> order(units.size());
  for (size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return officers[group.candidates[a]].legal && !officers[group.candidates[b]].legal;
  });
  const int64_t slots = int64_t{group.need} * m;
  int64_t slot = 0;
  for (size_t k : order) {
    const int64_t x = std::min<int64_t>(units[k], m);
    for (int64_t i = 0; i < x && slot < slots; ++i, ++slot) {
      sets[slot % m].push_back(group.candidates[k]);
    }
  }
  return sets;
}

Staffing OfficersByPower(const std::vector<Group>& groups,
                         const std::vector<std::vector<int64_t>>& units,
                         const std::vector<OfficerState>& officers,
                         const std::vector<bool>& staffed_by_pins) {
  Staffing staffing;
  staffing.chosen.resize(staffed_by_pins.size());
  staffing.staffed = staffed_by_pins;
  for (size_t gi = 0; gi < groups.size(); ++gi) {
    const Group& group = groups[gi];
    if (group.active == 0) continue;
    if (group.individual) {
      const size_t p = group.members[0];
      for (size_t k = 0; k < units[gi].size(); ++k) {
        if (units[gi][k] > 0) staffing.chosen[p].push_back(group.candidates[k]);
      }
      staffing.staffed[p] = true;
      continue;
    }
    auto sets = FillRoundRobin(group, units[gi], officers, group.active);
    for (int32_t i = 0; i < group.active; ++i) {
      staffing.chosen[group.members[i]] = std::move(sets[i]);
      staffing.staffed[group.members[i]] = true;
    }
  }
  return staffing;
}

std::vector<int32_t> PlanLoads(const std::vector<OfficerState>& officers,
                               const std::vector<std::vector<size_t>>& chosen) {
  std::vector<int32_t> loads(officers.size(), 0);
  for (size_t o = 0; o < officers.size(); ++o) loads[o] = officers[o].pinned;
  for (const std::vector<size_t>& power_officers : chosen) {
    for (size_t o : power_officers) ++loads[o];
  }
  return loads;
}

PowerOutcome PlanPower(const DutySnapshot& snapshot, size_t power_index, const Pins& pins,
                       const Existing& existing, const std::vector<size_t>& chosen) {
  const auto& officers = snapshot.officers;
  const Power& power = snapshot.powers[power_index];
  PowerOutcome outcome;
  std::vector<PlannedOfficer>& planned = outcome.officers;
  auto senior = [&](size_t a, size_t b) {
    const Certificate& ca = officers[a].certificate;
    const Certificate& cb = officers[b].certificate;
    if (ca.issued != cb.issued) return ca.issued < cb.issued;
    return officers[a].person_id < officers[b].person_id;
  };
  bool has_lead = false;
  for (const auto& [o, a] : pins) {
    planned.push_back({o, a->role, AssignmentOrigin::kPinned, false});
    has_lead = has_lead || a->role == AssignmentRole::kLead;
  }
  std::vector<size_t> computed = chosen;
  std::sort(computed.begin(), computed.end(), senior);
  std::optional<size_t> lead;
  if (!has_lead) {
    for (size_t o : computed) {
      auto it = existing.find(o);
      if (it != existing.end() && it->second->role == AssignmentRole::kLead) lead = o;
    }
    if (!lead && !computed.empty()) lead = computed.front();
  }
  for (size_t o : computed) {
    const bool kept = existing.count(o) > 0;
    planned.push_back({o, lead == o ? AssignmentRole::kLead : AssignmentRole::kAssistant,
                       AssignmentOrigin::kComputed, kept});
    Assignment a;
    a.meta.id = AssignmentId(power.meta.id, officers[o].meta.id);
    a.power_id = power.meta.id;
    a.officer_id = officers[o].meta.id;
    a.role = planned.back().role;
    a.origin = AssignmentOrigin::kComputed;
    a.post_id = officers[o].post_id;
    outcome.computed.push_back(std::move(a));
  }
  for (const auto& [o, a] : existing) {
    if (!std::count(computed.begin(), computed.end(), o)) outcome.removed.push_back(a->meta.id);
  }
  std::stable_sort(planned.begin(), planned.end(),
                   [&](const PlannedOfficer& a, const PlannedOfficer& b) {
                     const bool a_lead = a.role == AssignmentRole::kLead;
                     const bool b_lead = b.role == AssignmentRole::kLead;
                     if (a_lead != b_lead) return a_lead;
                     return officers[a.officer].person_id < officers[b.officer].person_id;
                   });
  return outcome;
}

UnstaffedPower DescribeUnstaffed(const DutySnapshot& snapshot, size_t power_index,
                                 absl::CivilDay as_of) {
  const Power& power = snapshot.powers[power_index];
  const StaffingDiagnosis why = DiagnoseStaffing(power, snapshot.officers, as_of);
  UnstaffedPower u;
  u.power = power_index;
  u.reason = why.reason;
  u.required = why.required;
  u.qualified = why.qualified;
  u.eligible = why.eligible;
  u.eligible_legal = why.eligible_legal;
  const std::string where = power.post_id.empty() ? absl::StrCat("domain \"", power.domain, "\"")
                                                  : absl::StrCat("domain \"", power.domain,
                                                                 "\" and post ", power.post_id);
  u.detail = absl::StrCat(ReasonText(u.reason), " ", where, ": needs ", u.required,
                          power.needs_legal_review ? " (one legally qualified)" : "", "; ",
                          u.qualified, " qualified, ", u.eligible, " with a certificate valid on ",
                          absl::FormatCivilTime(as_of), ", ", u.eligible_legal,
                          " of them legally qualified");
  return u;
}

AllocationStats Statistics(const DutySnapshot& snapshot, absl::CivilDay as_of,
                           const AllocationPlan& plan) {
  const auto& powers = snapshot.powers;
  const auto& officers = snapshot.officers;
  AllocationStats stats;
  auto count = [&stats](const std::vector<PlannedOfficer>& planned) {
    stats.assignments += static_cast<int32_t>(planned.size());
    for (const PlannedOfficer& o : planned) {
      if (o.origin != AssignmentOrigin::kComputed) continue;
      if (o.kept) {
        ++stats.kept;
      } else {
        ++stats.added;
      }
    }
  };
  for (const PowerPlan& staffed : plan.staffed) count(staffed.officers);
  for (const UnstaffedPower& unstaffed : plan.unstaffed) count(unstaffed.pinned);

  // Loads over officers eligible for some power, or holding one.
  std::map<std::string, std::set<std::string>> posts_by_domain;  // "" : any post
  for (const Power& power : powers) posts_by_domain[power.domain].insert(power.post_id);
  std::vector<bool> counted(officers.size(), false);
  for (size_t o = 0; o < officers.size(); ++o) {
    if (!officers[o].established || !officers[o].certificate.ValidOn(as_of)) continue;
    for (const std::string& domain : officers[o].domains) {
      auto it = posts_by_domain.find(domain);
      if (it != posts_by_domain.end() &&
          (it->second.count("") || it->second.count(officers[o].post_id))) {
        counted[o] = true;
      }
    }
  }
  bool first = true;
  for (size_t o = 0; o < officers.size(); ++o) {
    if (counted[o]) ++stats.eligible_officers;
    if (!counted[o] && plan.loads[o] == 0) continue;
    const int32_t load = plan.loads[o];
    stats.max_load = first ? load : std::max(stats.max_load, load);
    stats.min_load = first ? load : std::min(stats.min_load, load);
    first = false;
    stats.load_sum_of_squares += int64_t{load} * load;
    if (load > 0) ++stats.officers_used;
  }
  stats.powers = static_cast<int32_t>(powers.size());
  stats.staffed_powers = static_cast<int32_t>(plan.staffed.size());
  stats.unstaffed_powers = static_cast<int32_t>(plan.unstaffed.size());
  stats.removed = static_cast<int32_t>(plan.removed.size());
  return stats;
}

}  // namespace fazhi::duty::allocation
