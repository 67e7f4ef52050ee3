// The allocation's two flow rounds (allocate_steps.h) on LEMON networks.

#include <lemon/network_simplex.h>
#include <lemon/preflow.h>
#include <lemon/smart_graph.h>

#include <algorithm>
#include <limits>
#include <memory>
#include <utility>

#include "services/duty/allocate_steps.h"

namespace fazhi::duty::allocation {
namespace {

using Graph = lemon::SmartDigraph;
using Node = Graph::Node;
using Arc = Graph::Arc;
using ArcMap = Graph::ArcMap<int64_t>;

// Arcs pricing adds per power and round (see IncludeCandidates): all that
// are violated. Each round re-solves from scratch, and adding a few at a
// time measured slower on the province benchmark.
constexpr size_t kPricedPerGroup = std::numeric_limits<size_t>::max();

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
        net->into_officer[gi][k] =
            net->AddArc(hub, node_of(group.candidates[k]), m, group.change_cost[k]);
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

}  // namespace

void ChooseStaffedGroups(std::vector<Group>& groups, const std::vector<OfficerState>& officers) {
  // Each round that changes anything lowers some group's active count.
  size_t members = 0;
  for (const Group& group : groups) members += group.members.size();
  for (size_t round = 0; round <= members + 1; ++round) {
    std::unique_ptr<Network> net;
    std::vector<int64_t> flow;
    std::vector<bool> source_side;
    do {
      net = BuildNetwork(groups, officers, /*convex=*/false, 0);
      if (net->demand == 0) break;
      flow = MaxFlow(*net, &source_side);
    } while (IncludeCandidates(
        groups, *net, officers, kPricedPerGroup,
        [&](Node a, Node b, Node officer, int64_t) -> int64_t {
          auto on_source_side = [&](Node n) {
            return n != lemon::INVALID && source_side[net->graph.id(n)];
          };
          return (on_source_side(a) || on_source_side(b)) && !on_source_side(officer) ? -1 : 0;
        }));
    if (net->demand == 0) break;
    std::vector<GroupFlow> flows(groups.size());
    for (size_t gi = 0; gi < groups.size(); ++gi) {
      if (groups[gi].active == 0) continue;
      for (Arc arc : net->entry[gi]) flows[gi].in += FlowOn(flow, *net, arc);
      if (!groups[gi].individual) flows[gi].units = UnitsByCandidate(flow, *net, gi);
    }
    if (!ReleaseUnfilled(groups, flows, officers)) break;
  }
}

std::vector<std::vector<int64_t>> SolvePlan(std::vector<Group>& groups,
                                            const std::vector<OfficerState>& officers) {
  // W exceeds the most changes any plan can make, so load balance always
  // wins over keeping assignments.
  int64_t demand = 0;
  for (const Group& group : groups) demand += int64_t{group.need} * group.active;
  const int64_t load_weight = demand + 1;
  std::unique_ptr<Network> net;
  std::vector<int64_t> flow, potential;
  do {
    net = BuildNetwork(groups, officers, /*convex=*/true, load_weight);
    if (net->demand == 0) break;
    flow = MinCostFlow(*net, &potential);
    if (flow.empty()) {
      // Round 1 left only demands its (included) arcs meet, so this does
      // not happen; fail safe by staffing nothing new.
      for (Group& group : groups) group.active = 0;
      net = BuildNetwork(groups, officers, /*convex=*/true, load_weight);
      break;
    }
  } while (IncludeCandidates(groups, *net, officers, kPricedPerGroup,
                             [&](Node a, Node b, Node officer, int64_t cost) -> int64_t {
                               int64_t from = potential[net->graph.id(a)];
                               if (b != lemon::INVALID)
                                 from = std::min(from, potential[net->graph.id(b)]);
                               return cost + from - potential[net->graph.id(officer)];
                             }));
  std::vector<std::vector<int64_t>> units(groups.size());
  for (size_t gi = 0; gi < groups.size(); ++gi) {
    if (groups[gi].active > 0) units[gi] = UnitsByCandidate(flow, *net, gi);
  }
  return units;
}

}  // namespace fazhi::duty::allocation
