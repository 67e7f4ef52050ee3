#include "services/duty/allocate.h"

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <tuple>
#include <utility>

#include <lemon/network_simplex.h>
#include <lemon/preflow.h>
#include <lemon/smart_graph.h>

#include "absl/strings/str_cat.h"

namespace fazhi::duty {
namespace {

using Graph = lemon::SmartDigraph;
using Node = Graph::Node;
using Arc = Graph::Arc;
using ArcMap = Graph::ArcMap<int64_t>;

struct OfficerState {
  bool eligible = false;  // established, certificate valid on the day
  bool legal = false;
  int32_t pinned = 0;     // pinned assignments, lawful or not: they are load
  int32_t remaining = 0;  // load left for computed assignments
};

// Powers the flow staffs together: one power, or several interchangeable
// ones (see allocate.h).
struct Group {
  std::vector<size_t> members;  // power indices, by code
  bool individual = false;
  int32_t need = 0;    // officers each member needs from the flow
  bool legal = false;  // each member needs a legally qualified one of them
  std::vector<size_t> candidates;      // officer indices
  std::vector<int64_t> change_cost;    // per candidate: 0 kept, 1 new
  int32_t active = 0;  // members currently asked for
};

// The flow network of the groups' current demands.
struct Network {
  Graph graph;
  Node source, sink;
  std::vector<int64_t> capacity;  // by arc id
  std::vector<int64_t> cost;      // by arc id
  // Per group: arcs leaving the source, and per candidate the arc into the
  // officer's node (INVALID when the candidate is not reachable).
  std::vector<std::vector<Arc>> entry;
  std::vector<std::vector<Arc>> into_officer;
  int64_t demand = 0;

  Arc AddArc(Node from, Node to, int64_t cap, int64_t arc_cost) {
    Arc arc = graph.addArc(from, to);
    capacity.push_back(cap);
    cost.push_back(arc_cost);
    return arc;
  }
};

// With `convex`, each officer reaches the sink through unit arcs of cost
// load_weight*(2k-1) for their k-th power (the min-cost round); otherwise
// through one arc of their remaining load (the max-flow round).
std::unique_ptr<Network> BuildNetwork(const std::vector<Group>& groups,
                                      const std::vector<OfficerState>& officers, bool convex,
                                      int64_t load_weight) {
  auto net = std::make_unique<Network>();
  Graph& g = net->graph;
  net->source = g.addNode();
  net->sink = g.addNode();
  std::vector<Node> officer_node(officers.size(), lemon::INVALID);
  std::vector<int64_t> offered(officers.size(), 0);  // most units an officer could get
  auto node_of = [&](size_t o) {
    if (officer_node[o] == lemon::INVALID) officer_node[o] = g.addNode();
    return officer_node[o];
  };
  net->entry.resize(groups.size());
  net->into_officer.resize(groups.size());
  for (size_t gi = 0; gi < groups.size(); ++gi) {
    const Group& group = groups[gi];
    net->into_officer[gi].assign(group.candidates.size(), lemon::INVALID);
    if (group.active == 0) continue;
    const int64_t m = group.active;
    net->demand += group.need * m;
    if (!group.legal) {
      Node hub = g.addNode();
      net->entry[gi].push_back(net->AddArc(net->source, hub, group.need * m, 0));
      for (size_t k = 0; k < group.candidates.size(); ++k) {
        const size_t o = group.candidates[k];
        net->into_officer[gi][k] = net->AddArc(hub, node_of(o), m, group.change_cost[k]);
        offered[o] += m;
      }
      continue;
    }
    // One unit per member that only legally qualified officers can take,
    // the rest for anyone; a joint node per legally qualified officer keeps
    // them at one unit per member in total.
    Node legal_hub = g.addNode();
    net->entry[gi].push_back(net->AddArc(net->source, legal_hub, m, 0));
    Node rest_hub = lemon::INVALID;
    if (group.need > 1) {
      rest_hub = g.addNode();
      net->entry[gi].push_back(net->AddArc(net->source, rest_hub, (group.need - 1) * m, 0));
    }
    for (size_t k = 0; k < group.candidates.size(); ++k) {
      const size_t o = group.candidates[k];
      if (officers[o].legal) {
        Node joint = g.addNode();
        net->AddArc(legal_hub, joint, m, 0);
        if (rest_hub != lemon::INVALID) net->AddArc(rest_hub, joint, m, 0);
        net->into_officer[gi][k] = net->AddArc(joint, node_of(o), m, group.change_cost[k]);
        offered[o] += m;
      } else if (rest_hub != lemon::INVALID) {
        net->into_officer[gi][k] = net->AddArc(rest_hub, node_of(o), m, group.change_cost[k]);
        offered[o] += m;
      }
    }
  }
  for (size_t o = 0; o < officers.size(); ++o) {
    if (officer_node[o] == lemon::INVALID) continue;
    const int64_t units = std::min<int64_t>(officers[o].remaining, offered[o]);
    if (!convex) {
      net->AddArc(officer_node[o], net->sink, units, 0);
      continue;
    }
    for (int64_t k = 1; k <= units; ++k) {
      const int64_t load = officers[o].pinned + k;
      net->AddArc(officer_node[o], net->sink, 1, load_weight * (2 * load - 1));
    }
  }
  return net;
}

// Flow on every arc of a maximum flow.
std::vector<int64_t> MaxFlow(Network& net) {
  ArcMap capacity(net.graph);
  for (Graph::ArcIt a(net.graph); a != lemon::INVALID; ++a) {
    capacity[a] = net.capacity[net.graph.id(a)];
  }
  lemon::Preflow<Graph, ArcMap> preflow(net.graph, capacity, net.source, net.sink);
  preflow.run();
  std::vector<int64_t> flow(net.capacity.size(), 0);
  for (Graph::ArcIt a(net.graph); a != lemon::INVALID; ++a) flow[net.graph.id(a)] = preflow.flow(a);
  return flow;
}

// Flow on every arc of a minimum-cost flow of net.demand units; empty when
// no such flow exists.
std::vector<int64_t> MinCostFlow(Network& net) {
  ArcMap capacity(net.graph), cost(net.graph);
  for (Graph::ArcIt a(net.graph); a != lemon::INVALID; ++a) {
    capacity[a] = net.capacity[net.graph.id(a)];
    cost[a] = net.cost[net.graph.id(a)];
  }
  lemon::NetworkSimplex<Graph, int64_t, int64_t> simplex(net.graph);
  simplex.upperMap(capacity).costMap(cost).stSupply(net.source, net.sink, net.demand);
  if (simplex.run() != lemon::NetworkSimplex<Graph, int64_t, int64_t>::OPTIMAL) return {};
  std::vector<int64_t> flow(net.capacity.size(), 0);
  for (Graph::ArcIt a(net.graph); a != lemon::INVALID; ++a) flow[net.graph.id(a)] = simplex.flow(a);
  return flow;
}

int64_t FlowOn(const std::vector<int64_t>& flow, const Network& net, Arc arc) {
  return arc == lemon::INVALID ? 0 : flow[net.graph.id(arc)];
}

// Per candidate of a group: units the flow sends to that officer.
std::vector<int64_t> UnitsByCandidate(const std::vector<int64_t>& flow, const Network& net,
                                      size_t gi) {
  std::vector<int64_t> units;
  for (Arc arc : net.into_officer[gi]) units.push_back(FlowOn(flow, net, arc));
  return units;
}

// How many members of a merged group the units can staff: the largest m
// with sum(min(x, m)) >= need*m and, when legal, at least m of it on
// legally qualified officers (then round-robin filling works, see
// FillRoundRobin).
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

// Splits a merged group's units into officer sets for its first `m`
// members: officers (legally qualified first) each repeated as many times
// as their units, dealt to the members in turn. Nobody has more than m
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

const char* ReasonText(UnstaffedReason reason) {
  switch (reason) {
    case UnstaffedReason::kNoQualifiedOfficer: return "too few established officers qualified for";
    case UnstaffedReason::kCertificatesNotValid: return "too few valid certificates among officers of";
    case UnstaffedReason::kNoLegalReviewer: return "no legally qualified eligible officer for";
    case UnstaffedReason::kAllAtCapacity: return "eligible officers are at their maximum load in";
    default: return "";
  }
}

}  // namespace

const char* AllocationMethod() {
  return "max flow (LEMON Preflow) to choose the staffed powers, then min-cost flow (LEMON "
         "NetworkSimplex) minimising the sum of squared officer loads, then changes";
}

bool EligibleFor(const Officer& officer, const Power& power, absl::CivilDay as_of) {
  return officer.established && officer.certificate.ValidOn(as_of) &&
         officer.QualifiedFor(power.domain) &&
         (power.post_id.empty() || officer.post_id == power.post_id);
}

AllocationPlan Allocate(const DutySnapshot& snapshot, absl::CivilDay as_of) {
  const auto& powers = snapshot.powers;
  const auto& officers = snapshot.officers;
  AllocationPlan plan;

  std::map<std::string, size_t> power_index, officer_index;
  for (size_t p = 0; p < powers.size(); ++p) power_index[powers[p].meta.id] = p;
  for (size_t o = 0; o < officers.size(); ++o) officer_index[officers[o].meta.id] = o;

  std::vector<OfficerState> state(officers.size());
  for (size_t o = 0; o < officers.size(); ++o) {
    state[o].eligible = officers[o].established && officers[o].certificate.ValidOn(as_of);
    state[o].legal = officers[o].legal_qualification;
  }
  // Existing assignments per power: pins and computed ones.
  std::vector<std::vector<std::pair<size_t, const Assignment*>>> pins(powers.size());
  std::vector<std::map<size_t, const Assignment*>> existing(powers.size());
  for (const Assignment& a : snapshot.assignments) {
    auto p = power_index.find(a.power_id);
    auto o = officer_index.find(a.officer_id);
    if (p == power_index.end() || o == officer_index.end()) continue;
    if (a.origin == AssignmentOrigin::kPinned) {
      pins[p->second].emplace_back(o->second, &a);
      ++state[o->second].pinned;
    } else {
      existing[p->second][o->second] = &a;
    }
  }
  for (size_t o = 0; o < officers.size(); ++o) {
    state[o].remaining = std::max(0, officers[o].MaxLoad() - state[o].pinned);
  }

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
  std::vector<int> group_of(powers.size(), -1);
  std::vector<bool> staffed_by_pins(powers.size(), false);
  std::vector<Group> groups;
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
      staffed_by_pins[p] = true;
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
      group_of[p] = static_cast<int>(it->second);
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
    group_of[p] = static_cast<int>(groups.size());
    groups.push_back(std::move(group));
  }
  for (Group& group : groups) group.active = static_cast<int32_t>(group.members.size());

  // Round 1: which powers can be staffed. Merged groups shrink to what their
  // units can staff; powers filled only partly are released, half of them
  // (the least filled) at a time, until every remaining demand is met.
  for (size_t round = 0; round <= powers.size() + 1; ++round) {
    auto net = BuildNetwork(groups, state, /*convex=*/false, 0);
    if (net->demand == 0) break;
    const std::vector<int64_t> flow = MaxFlow(*net);
    bool changed = false;
    std::vector<std::pair<int64_t, size_t>> incomplete;  // (flow, group)
    for (size_t gi = 0; gi < groups.size(); ++gi) {
      Group& group = groups[gi];
      if (group.active == 0) continue;
      int64_t in = 0;
      for (Arc arc : net->entry[gi]) in += FlowOn(flow, *net, arc);
      if (in == int64_t{group.need} * group.active) continue;
      if (group.individual) {
        incomplete.emplace_back(in, gi);
        continue;
      }
      group.active = StaffableMembers(group, UnitsByCandidate(flow, *net, gi), state);
      changed = true;
    }
    if (!incomplete.empty()) {
      std::sort(incomplete.begin(), incomplete.end(), [&](const auto& a, const auto& b) {
        if (a.first != b.first) return a.first < b.first;
        return groups[a.second].members[0] > groups[b.second].members[0];
      });
      for (size_t i = 0; i < (incomplete.size() + 1) / 2; ++i) groups[incomplete[i].second].active = 0;
      changed = true;
    }
    if (!changed) break;
  }

  // Round 2: the plan. W exceeds the most changes any plan can make, so
  // load balance always wins over keeping assignments.
  int64_t demand = 0;
  for (const Group& group : groups) demand += int64_t{group.need} * group.active;
  const int64_t load_weight = demand + 1;
  auto net = BuildNetwork(groups, state, /*convex=*/true, load_weight);
  std::vector<int64_t> flow;
  if (net->demand > 0) {
    flow = MinCostFlow(*net);
    if (flow.empty()) {
      // Round 1 left only demands a flow meets, so this does not happen;
      // fail safe by staffing nothing new.
      for (Group& group : groups) group.active = 0;
      net = BuildNetwork(groups, state, /*convex=*/true, load_weight);
    }
  }

  // Officers the flow gives each power.
  std::vector<std::vector<size_t>> chosen(powers.size());
  std::vector<bool> staffed(powers.size(), false);
  for (size_t p = 0; p < powers.size(); ++p) staffed[p] = staffed_by_pins[p];
  for (size_t gi = 0; gi < groups.size(); ++gi) {
    const Group& group = groups[gi];
    if (group.active == 0) continue;
    const std::vector<int64_t> units = UnitsByCandidate(flow, *net, gi);
    if (group.individual) {
      const size_t p = group.members[0];
      for (size_t k = 0; k < units.size(); ++k) {
        if (units[k] > 0) chosen[p].push_back(group.candidates[k]);
      }
      staffed[p] = true;
      continue;
    }
    auto sets = FillRoundRobin(group, units, state, group.active);
    for (int32_t i = 0; i < group.active; ++i) {
      chosen[group.members[i]] = std::move(sets[i]);
      staffed[group.members[i]] = true;
    }
  }

  // Loads, roles, and the stored form of the plan.
  plan.loads.assign(officers.size(), 0);
  for (size_t o = 0; o < officers.size(); ++o) plan.loads[o] = state[o].pinned;
  for (size_t p = 0; p < powers.size(); ++p) {
    for (size_t o : chosen[p]) ++plan.loads[o];
  }
  auto senior = [&](size_t a, size_t b) {
    const Certificate& ca = officers[a].certificate;
    const Certificate& cb = officers[b].certificate;
    if (ca.issued != cb.issued) return ca.issued < cb.issued;
    return officers[a].person_id < officers[b].person_id;
  };
  for (size_t p = 0; p < powers.size(); ++p) {
    std::vector<PlannedOfficer> planned;
    bool has_lead = false;
    for (const auto& [o, a] : pins[p]) {
      planned.push_back({o, a->role, AssignmentOrigin::kPinned, false});
      has_lead = has_lead || a->role == AssignmentRole::kLead;
    }
    std::vector<size_t> computed = chosen[p];
    std::sort(computed.begin(), computed.end(), senior);
    // Lead: a pinned lead, else a kept lead, else the most senior
    // (earliest certificate) of the computed officers.
    std::optional<size_t> lead;
    if (!has_lead) {
      for (size_t o : computed) {
        auto it = existing[p].find(o);
        if (it != existing[p].end() && it->second->role == AssignmentRole::kLead) lead = o;
      }
      if (!lead && !computed.empty()) lead = computed.front();
    }
    for (size_t o : computed) {
      const bool kept = existing[p].count(o) > 0;
      planned.push_back({o, lead == o ? AssignmentRole::kLead : AssignmentRole::kAssistant,
                         AssignmentOrigin::kComputed, kept});
      Assignment a;
      a.meta.id = AssignmentId(powers[p].meta.id, officers[o].meta.id);
      a.power_id = powers[p].meta.id;
      a.officer_id = officers[o].meta.id;
      a.role = planned.back().role;
      a.origin = AssignmentOrigin::kComputed;
      a.post_id = officers[o].post_id;
      plan.computed.push_back(std::move(a));
      if (kept) {
        ++plan.stats.kept;
      } else {
        ++plan.stats.added;
      }
    }
    for (const auto& [o, a] : existing[p]) {
      if (!std::count(computed.begin(), computed.end(), o)) plan.removed.push_back(a->meta.id);
    }
    std::stable_sort(planned.begin(), planned.end(), [&](const PlannedOfficer& a, const PlannedOfficer& b) {
      const bool a_lead = a.role == AssignmentRole::kLead, b_lead = b.role == AssignmentRole::kLead;
      if (a_lead != b_lead) return a_lead;
      return officers[a.officer].person_id < officers[b.officer].person_id;
    });
    plan.stats.assignments += static_cast<int32_t>(planned.size());

    if (staffed[p]) {
      plan.staffed.push_back(PowerPlan{p, std::move(planned)});
      continue;
    }
    // Why not: count who could have done it.
    const Power& power = powers[p];
    UnstaffedPower u;
    u.power = p;
    u.required = power.RequiredOfficers();
    for (size_t o = 0; o < officers.size(); ++o) {
      const Officer& officer = officers[o];
      if (!officer.established || !officer.QualifiedFor(power.domain) ||
          (!power.post_id.empty() && officer.post_id != power.post_id)) {
        continue;
      }
      ++u.qualified;
      if (!officer.certificate.ValidOn(as_of)) continue;
      ++u.eligible;
      if (officer.legal_qualification) ++u.eligible_legal;
    }
    if (u.qualified < u.required) {
      u.reason = UnstaffedReason::kNoQualifiedOfficer;
    } else if (u.eligible < u.required) {
      u.reason = UnstaffedReason::kCertificatesNotValid;
    } else if (power.needs_legal_review && u.eligible_legal == 0) {
      u.reason = UnstaffedReason::kNoLegalReviewer;
    } else {
      u.reason = UnstaffedReason::kAllAtCapacity;
    }
    const std::string where =
        power.post_id.empty() ? absl::StrCat("domain \"", power.domain, "\"")
                              : absl::StrCat("domain \"", power.domain, "\" and post ", power.post_id);
    u.detail = absl::StrCat(ReasonText(u.reason), " ", where, ": needs ", u.required,
                            power.needs_legal_review ? " (one legally qualified)" : "", "; ",
                            u.qualified, " qualified, ", u.eligible, " with a certificate valid on ",
                            absl::FormatCivilTime(as_of), ", ", u.eligible_legal,
                            " of them legally qualified");
    u.pinned = std::move(planned);
    plan.unstaffed.push_back(std::move(u));
  }

  // Stats over officers eligible for some power, or holding one.
  std::map<std::string, std::set<std::string>> posts_by_domain;  // "" : any post
  for (const Power& power : powers) posts_by_domain[power.domain].insert(power.post_id);
  std::vector<bool> counted(officers.size(), false);
  for (size_t o = 0; o < officers.size(); ++o) {
    if (!state[o].eligible) continue;
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
    if (counted[o]) ++plan.stats.eligible_officers;
    if (!counted[o] && plan.loads[o] == 0) continue;
    const int32_t load = plan.loads[o];
    plan.stats.max_load = first ? load : std::max(plan.stats.max_load, load);
    plan.stats.min_load = first ? load : std::min(plan.stats.min_load, load);
    first = false;
    plan.stats.load_sum_of_squares += int64_t{load} * load;
    if (load > 0) ++plan.stats.officers_used;
  }
  plan.stats.powers = static_cast<int32_t>(powers.size());
  plan.stats.staffed_powers = static_cast<int32_t>(plan.staffed.size());
  plan.stats.unstaffed_powers = static_cast<int32_t>(plan.unstaffed.size());
  plan.stats.removed = static_cast<int32_t>(plan.removed.size());
  return plan;
}

}  // namespace fazhi::duty
