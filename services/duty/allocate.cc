#include "services/duty/allocate.h"

#include <algorithm>
#include <limits>
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

// Arcs pricing adds per power and round (see IncludeCandidates): all that
// are violated. Each round re-solves from scratch, and adding a few at a
// time measured slower on the province benchmark.
constexpr size_t kPricedPerGroup = std::numeric_limits<size_t>::max();

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
  // Per candidate: whether its arc is in the network yet (see Price*).
  std::vector<bool> included;
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
  // Per group: the node its officers are reached from (for groups needing
  // a legal reviewer, the legal-only one) and the node of the other units
  // (INVALID when there are none).
  std::vector<Node> hub, rest_hub;
  std::vector<Node> officer_node;  // INVALID for officers no group can use
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
  std::vector<Node>& officer_node = net->officer_node;
  officer_node.assign(officers.size(), lemon::INVALID);
  // Most units an officer could get, counting arcs not yet included so
  // that pricing sees every officer's sink arcs.
  std::vector<int64_t> offered(officers.size(), 0);
  auto node_of = [&](size_t o) {
    if (officer_node[o] == lemon::INVALID) officer_node[o] = g.addNode();
    return officer_node[o];
  };
  net->entry.resize(groups.size());
  net->into_officer.resize(groups.size());
  net->hub.assign(groups.size(), lemon::INVALID);
  net->rest_hub.assign(groups.size(), lemon::INVALID);
  for (size_t gi = 0; gi < groups.size(); ++gi) {
    const Group& group = groups[gi];
    net->into_officer[gi].assign(group.candidates.size(), lemon::INVALID);
    if (group.active == 0) continue;
    const int64_t m = group.active;
    net->demand += group.need * m;
    for (size_t o : group.candidates) {
      node_of(o);
      offered[o] += m;
    }
    if (!group.legal) {
      Node hub = g.addNode();
      net->hub[gi] = hub;
      net->entry[gi].push_back(net->AddArc(net->source, hub, group.need * m, 0));
      for (size_t k = 0; k < group.candidates.size(); ++k) {
        if (!group.included[k]) continue;
        net->into_officer[gi][k] = net->AddArc(hub, node_of(group.candidates[k]), m, group.change_cost[k]);
      }
      continue;
    }
    // One unit per member that only legally qualified officers can take,
    // the rest for anyone; a joint node per legally qualified officer keeps
    // them at one unit per member in total.
    Node legal_hub = g.addNode();
    net->hub[gi] = legal_hub;
    net->entry[gi].push_back(net->AddArc(net->source, legal_hub, m, 0));
    Node rest_hub = lemon::INVALID;
    if (group.need > 1) {
      rest_hub = g.addNode();
      net->rest_hub[gi] = rest_hub;
      net->entry[gi].push_back(net->AddArc(net->source, rest_hub, (group.need - 1) * m, 0));
    }
    for (size_t k = 0; k < group.candidates.size(); ++k) {
      if (!group.included[k]) continue;
      const size_t o = group.candidates[k];
      if (officers[o].legal) {
        Node joint = g.addNode();
        net->AddArc(legal_hub, joint, m, 0);
        if (rest_hub != lemon::INVALID) net->AddArc(rest_hub, joint, m, 0);
        net->into_officer[gi][k] = net->AddArc(joint, node_of(o), m, group.change_cost[k]);
      } else if (rest_hub != lemon::INVALID) {
        net->into_officer[gi][k] = net->AddArc(rest_hub, node_of(o), m, group.change_cost[k]);
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

// Flow on every arc of a maximum flow, and per node whether it is on the
// source side of a minimum cut.
std::vector<int64_t> MaxFlow(Network& net, std::vector<bool>* source_side) {
  ArcMap capacity(net.graph);
  for (Graph::ArcIt a(net.graph); a != lemon::INVALID; ++a) {
    capacity[a] = net.capacity[net.graph.id(a)];
  }
  lemon::Preflow<Graph, ArcMap> preflow(net.graph, capacity, net.source, net.sink);
  preflow.run();
  std::vector<int64_t> flow(net.capacity.size(), 0);
  for (Graph::ArcIt a(net.graph); a != lemon::INVALID; ++a) flow[net.graph.id(a)] = preflow.flow(a);
  source_side->assign(net.graph.maxNodeId() + 1, false);
  for (Graph::NodeIt n(net.graph); n != lemon::INVALID; ++n) {
    (*source_side)[net.graph.id(n)] = preflow.minCut(n);
  }
  return flow;
}

// Column generation for merged-out arcs. A group's arc to a candidate left
// out of the network is added when it could change the answer:
//  - max flow: when it would cross the minimum cut found (a hub on the
//    source side, the officer not); with no such arc, that cut bounds the
//    full network too, so the flow is maximum there as well;
//  - min cost: when its reduced cost under the optimal potentials is
//    negative; with none, those potentials prove the flow optimal for the
//    full network (LP duality).
// `violation(hub, other_hub, officer, cost)` is negative for an arc that
// could change the answer, the more so the more it could. Each group gains
// at most its `per_group` most violated arcs per call, which keeps the
// network small while the potentials are still far from final. Returns
// whether an arc was added.
template <typename Violation>
bool IncludeCandidates(std::vector<Group>& groups, const Network& net,
                       const std::vector<OfficerState>& officers, size_t per_group,
                       Violation violation) {
  bool added = false;
  std::vector<std::pair<int64_t, size_t>> violated;
  for (size_t gi = 0; gi < groups.size(); ++gi) {
    Group& group = groups[gi];
    if (group.active == 0 || !group.individual) continue;
    violated.clear();
    for (size_t k = 0; k < group.candidates.size(); ++k) {
      if (group.included[k]) continue;
      const size_t o = group.candidates[k];
      // The hubs an arc to this officer would leave from.
      Node from_a = group.legal && !officers[o].legal ? net.rest_hub[gi] : net.hub[gi];
      Node from_b = group.legal && officers[o].legal ? net.rest_hub[gi] : lemon::INVALID;
      if (from_a == lemon::INVALID) continue;
      const int64_t v = violation(from_a, from_b, net.officer_node[o], group.change_cost[k]);
      if (v < 0) violated.emplace_back(v, k);
    }
    const size_t take = std::min(per_group, violated.size());
    std::partial_sort(violated.begin(), violated.begin() + take, violated.end());
    for (size_t i = 0; i < take; ++i) group.included[violated[i].second] = true;
    added = added || take > 0;
  }
  return added;
}

// Flow on every arc of a minimum-cost flow of net.demand units; empty when
// no such flow exists. `potential` receives the dual solution by node id.
std::vector<int64_t> MinCostFlow(Network& net, std::vector<int64_t>* potential) {
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
  potential->assign(net.graph.maxNodeId() + 1, 0);
  for (Graph::NodeIt n(net.graph); n != lemon::INVALID; ++n) {
    (*potential)[net.graph.id(n)] = simplex.potential(n);
  }
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
    case UnstaffedReason::kNotAllocated: return "eligible officers have room, but it is not allocated, in";
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

  // Arcs the network starts with: every arc of a merged group; for a power
  // of its own, its kept officers and the few least loaded others. Pricing
  // (IncludeCandidates) adds any other arc that could change the result.
  std::vector<int64_t> expected_load(officers.size(), 0);
  for (size_t o = 0; o < officers.size(); ++o) expected_load[o] = state[o].pinned;
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
    const size_t wanted = static_cast<size_t>(
        std::max(0, group.need - kept) + std::max(0, tuning.initial_extra_candidates));
    const size_t p = group.members[0];
    auto spread = [p](size_t o) { return (o * 2654435761u + p * 40503u) % 65521u; };
    std::sort(fresh.begin(), fresh.end(), [&](size_t a, size_t b) {
      const size_t oa = group.candidates[a], ob = group.candidates[b];
      if (expected_load[oa] != expected_load[ob]) return expected_load[oa] < expected_load[ob];
      return spread(oa) < spread(ob);
    });
    for (size_t i = 0; i < fresh.size() && i < wanted; ++i) group.included[fresh[i]] = true;
  }

  // Round 1: which powers can be staffed. Merged groups shrink to what their
  // units can staff; powers filled only partly are released, half of them
  // (the least filled) at a time, until every remaining demand is met.
  for (size_t round = 0; round <= powers.size() + 1; ++round) {
    std::unique_ptr<Network> net;
    std::vector<int64_t> flow;
    std::vector<bool> source_side;
    do {
      net = BuildNetwork(groups, state, /*convex=*/false, 0);
      if (net->demand == 0) break;
      flow = MaxFlow(*net, &source_side);
    } while (IncludeCandidates(groups, *net, state, kPricedPerGroup,
                               [&](Node a, Node b, Node officer, int64_t) -> int64_t {
      auto on_source_side = [&](Node n) { return n != lemon::INVALID && source_side[net->graph.id(n)]; };
      return (on_source_side(a) || on_source_side(b)) && !on_source_side(officer) ? -1 : 0;
    }));
    if (net->demand == 0) break;
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
  std::unique_ptr<Network> net;
  std::vector<int64_t> flow, potential;
  do {
    net = BuildNetwork(groups, state, /*convex=*/true, load_weight);
    if (net->demand == 0) break;
    flow = MinCostFlow(*net, &potential);
    if (flow.empty()) {
      // Round 1 left only demands its (included) arcs meet, so this does
      // not happen; fail safe by staffing nothing new.
      for (Group& group : groups) group.active = 0;
      net = BuildNetwork(groups, state, /*convex=*/true, load_weight);
      break;
    }
  } while (IncludeCandidates(groups, *net, state, kPricedPerGroup,
                             [&](Node a, Node b, Node officer, int64_t cost) -> int64_t {
    int64_t from = potential[net->graph.id(a)];
    if (b != lemon::INVALID) from = std::min(from, potential[net->graph.id(b)]);
    return cost + from - potential[net->graph.id(officer)];
  }));

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
    const StaffingDiagnosis why = DiagnoseStaffing(power, officers, as_of);
    UnstaffedPower u;
    u.power = p;
    u.reason = why.reason;
    u.required = why.required;
    u.qualified = why.qualified;
    u.eligible = why.eligible;
    u.eligible_legal = why.eligible_legal;
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
