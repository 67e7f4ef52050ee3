#!/usr/bin/env python3
"""The rooms of services/ depend one way (ARCHITECTURE.md).

Reads every #include "services/..." under services/ and checks:
- no header reaches itself through includes;
- each room includes only the rooms below it (RULES), so no two rooms
  include each other;
- services/common/sql/ includes no API header (no protos, no validation.h).

Run by ctest (tests/arch/CMakeLists.txt) or by hand from the repository root:
  /usr/bin/python3 tests/arch/include_rules_test.py [ROOT]
"""

import os
import re
import sys
import unittest

ROOT = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                       os.path.join(os.path.dirname(__file__), "..", ".."))
INCLUDE = re.compile(r'^#include "((?:services|fazhi)/[^"]+)"', re.M)

# services/common/ holds three floors: the vocabulary every room speaks
# (names, records, violations, status macros, logging), the stores' sql/
# and auth/ on it, and the call runtime that serves RPCs on all of them.
COMMON_RUNTIME = {"rpc", "server", "service_main", "import", "record_handlers", "health",
                  "http_server", "bounded_http", "http_json"}


# The room of a path: services/<room>/..., with common split as above.
def room(path):
    parts = path.split("/")
    if parts[0] == "fazhi":
        return "protos"
    if parts[1] == "common":
        if len(parts) > 3 and parts[2] in ("auth", "sql"):
            return "common/" + parts[2]
        if re.sub(r"\.(h|cc)$", "", parts[2]) in COMMON_RUNTIME:
            return "common/runtime"
    return parts[1]

# Which rooms each room may include (besides itself). Read top-down: a
# room never includes one above it.
COMMON = {"kernel", "protos", "common", "common/sql", "common/auth", "common/runtime"}
RULES = {
    "kernel": set(),
    "common": {"kernel", "protos"},
    "common/sql": {"kernel", "common"},
    "common/auth": {"kernel", "protos", "common", "common/sql"},
    "common/runtime": {"kernel", "protos", "common", "common/sql", "common/auth"},
    "study": COMMON,
    "duty": COMMON,
    "report": COMMON,
    # The gateway and the CLI keep no store.
    "gateway": COMMON - {"common/sql"},
    "cli": COMMON - {"common/sql"},
}


def sources():
    base = os.path.join(ROOT, "services")
    for directory, _, files in os.walk(base):
        for name in files:
            if name.endswith((".h", ".cc")):
                full = os.path.join(directory, name)
                yield os.path.relpath(full, ROOT), full


def includes():
    graph = {}
    for path, full in sources():
        with open(full, encoding="utf-8") as f:
            graph[path] = INCLUDE.findall(f.read())
    return graph


class IncludeRules(unittest.TestCase):
    def setUp(self):
        self.graph = includes()

    def test_no_header_reaches_itself(self):
        edges = {}
        for path, targets in self.graph.items():
            if path.endswith(".h"):
                edges[path] = {t for t in targets if t.startswith("services/")}
        cycles = []
        state = {}

        def visit(node, stack):
            state[node] = "open"
            stack.append(node)
            for nxt in sorted(edges.get(node, ())):
                if state.get(nxt) == "open":
                    cycles.append(stack[stack.index(nxt):] + [nxt])
                elif nxt not in state:
                    visit(nxt, stack)
            stack.pop()
            state[node] = "done"

        for node in sorted(edges):
            if node not in state:
                visit(node, [])
        self.assertEqual(cycles, [], "include loops:\n" + "\n".join(" -> ".join(c) for c in cycles))

    def test_rooms_include_only_rooms_below(self):
        wrong = []
        for path, targets in self.graph.items():
            own = room(path)
            allowed = RULES.get(own)
            self.assertIsNotNone(allowed, f"{path}: room {own} has no rule in RULES")
            for target in targets:
                other = room(target)
                if other != own and other not in allowed:
                    wrong.append(f"{path} includes {target} ({own} -> {other})")
        self.assertEqual(wrong, [], "\n".join(wrong))

    def test_sql_includes_no_api_header(self):
        wrong = [f"{path} includes {target}" for path, targets in self.graph.items()
                 if path.startswith("services/common/sql/") for target in targets
                 if target.startswith("fazhi/") or target == "services/common/validation.h"]
        self.assertEqual(wrong, [], "\n".join(wrong))


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
