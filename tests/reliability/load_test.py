#!/usr/bin/env python3
"""Load: many concurrent callers for a fixed time; no errors, nothing lost, memory flat.

Run through ctest (tests/reliability/CMakeLists.txt, 20 s), or by hand:

  /usr/bin/python3 tests/reliability/load_test.py --study build/bin/fazhi-study \
      --duty build/bin/fazhi-duty --report build/bin/fazhi-report \
      --gateway build/bin/fazhi-gateway --cli build/bin/fazhi \
      --stubs build/tests/e2e/pystubs --demo deploy/demo \
      [--seconds=20] [--callers=16] [--postgres]

The four real services on loopback, the demo data loaded with the `fazhi`
CLI. --callers threads, each with its own organization, call in a closed
loop for --seconds, choosing at random (seeded) among:

  read      study GetSession / ListSessions, duty ListPowers
  write     study CreateSession, duty CreatePower
  import    study ImportSessions, 2 batches of 25 rows
  compose   gateway ComposeReport (md) and GetFacts for the demo organization

Any error fails the test. At the end every acknowledged write and imported
row is read back (each caller's organization must hold exactly those), and
each service's resident memory at the end is compared with its memory at the
end of the warm-up (the first quarter of the run). The figures printed —
calls/s and p50/p99 per kind — are measured with a Python client on the same
machine: they say that nothing degrades, not how fast the services are
(scripts/bench-load.sh measures that).
"""

import os
import random
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import harness  # noqa: E402


ARGS, UNITTEST_ARGV = harness.parse_args(
    __doc__, ("study", "duty", "report", "gateway"), cli=True, demo=True, postgres=True,
    extra=lambda parser: (
        parser.add_argument("--seconds", type=float, default=20, help="length of the run"),
        parser.add_argument("--callers", type=int, default=16, help="concurrent callers"),
        parser.add_argument("--seed", type=int, default=1)))

import grpc  # noqa: E402
from google.type import date_pb2  # noqa: E402

from fazhi.duty.v1 import duty_pb2  # noqa: E402
from fazhi.duty.v1 import duty_pb2_grpc  # noqa: E402
from fazhi.gateway.v1 import gateway_pb2 as gw  # noqa: E402
from fazhi.gateway.v1 import gateway_pb2_grpc  # noqa: E402
from fazhi.study.v1 import study_pb2  # noqa: E402
from fazhi.study.v1 import study_pb2_grpc  # noqa: E402

# Seconds: generous; the test counts errors, it does not time calls.
RPC_TIMEOUT = 30 * harness.SLOWDOWN
ORG = "orgs/lushan-minzheng"
WARMUP = 0.25  # of the run
# RSS at the end against RSS after the warm-up (the first quarter), per
# service. What may still grow after the warm-up is SQLite's page cache of
# the growing tables (2 MiB per pooled connection, 8 MiB for the one that
# writes; not all of it within a 20 s run), and the
# allocator's arenas settling; measured on a 20 s run: +0.4 to +1.6 MiB. A
# leak of 4 KiB per call would exceed the bound (study takes about 3,000
# calls after the warm-up of a 20 s run); scripts/reliability.sh runs
# longer, which makes a smaller leak visible.
RSS_TOLERANCE_KIB = 8 * 1024
SANITIZER = harness.SANITIZER  # set by scripts/sanitize.sh: RSS not asserted
MIX = [  # kind, method, weight
    ("read", "study.GetSession", 20), ("read", "study.ListSessions", 10),
    ("read", "duty.ListPowers", 10), ("write", "study.CreateSession", 20),
    ("write", "duty.CreatePower", 10), ("import", "study.ImportSessions", 8),
    ("compose", "gateway.ComposeReport", 11), ("compose", "gateway.GetFacts", 11),
]

WORKDIR = None
SERVERS = {}


def setUpModule():
    global WORKDIR
    WORKDIR = harness.make_workdir("fazhi-load-", keep=ARGS.keep)
    SERVERS.update(harness.start_demo_stack(ARGS, WORKDIR, db_prefix="load_"))
    harness.load_demo(ARGS.cli, ARGS.demo, harness.stack_env(SERVERS, "load"))


def tearDownModule():
    harness.stop_servers(*SERVERS.values(), close_channel=True)


def rss_kib(pid):
    return harness.memory_kib(pid)


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1, int(p / 100 * len(sorted_values)))]


class Caller:
    """One closed-loop caller with its own organization and its own record
    of what was acknowledged."""

    def __init__(self, index, channels):
        self.org = f"orgs/load-c{index}"
        self.rng = random.Random(f"{ARGS.seed}-{index}")
        self.study = study_pb2_grpc.StudyServiceStub(channels["study"])
        self.duty = duty_pb2_grpc.DutyServiceStub(channels["duty"])
        self.gateway = gateway_pb2_grpc.AnnualReportServiceStub(channels["gateway"])
        self.sessions = []  # names acknowledged by CreateSession
        self.imported = 0  # rows acknowledged by ImportSessions
        self.powers = []
        self.latencies = {}  # method -> [seconds]
        self.errors = []
        self.n = 0

    def session(self):
        self.n += 1
        return study_pb2.Session(
            title=f"负载 {self.n}", kind=study_pb2.STUDY_KIND_ALL_STAFF, duration_minutes=60,
            date=date_pb2.Date(year=2024, month=self.rng.randint(1, 12),
                               day=self.rng.randint(1, 28)),
            laws=["民法典"], attendee_count=10)

    def call(self, method):
        if method == "study.GetSession":
            if not self.sessions:
                return self.call("study.CreateSession")
            self.study.GetSession(study_pb2.GetSessionRequest(name=self.rng.choice(self.sessions)),
                                  timeout=RPC_TIMEOUT)
        elif method == "study.ListSessions":
            self.study.ListSessions(study_pb2.ListSessionsRequest(parent=self.org, page_size=50),
                                    timeout=RPC_TIMEOUT)
        elif method == "duty.ListPowers":
            self.duty.ListPowers(duty_pb2.ListPowersRequest(parent=self.org, page_size=50),
                                 timeout=RPC_TIMEOUT)
        elif method == "study.CreateSession":
            created = self.study.CreateSession(study_pb2.CreateSessionRequest(
                parent=self.org, session=self.session()), timeout=RPC_TIMEOUT)
            self.sessions.append(created.name)
        elif method == "duty.CreatePower":
            self.n += 1
            code = f"L-{self.n}"
            self.duty.CreatePower(duty_pb2.CreatePowerRequest(parent=self.org, power=duty_pb2.Power(
                code=code, item_name=f"负载事项 {code}", type=duty_pb2.POWER_TYPE_PENALTY,
                domain="殡葬")), timeout=RPC_TIMEOUT)
            self.powers.append(code)
        elif method == "study.ImportSessions":
            batches = [[self.session() for _ in range(25)] for _ in range(2)]
            report = self.study.ImportSessions(iter(
                [study_pb2.ImportSessionsRequest(parent=self.org, sessions=batches[0]),
                 study_pb2.ImportSessionsRequest(sessions=batches[1])]), timeout=RPC_TIMEOUT)
            if (report.rows_stored, report.rows_rejected) != (50, 0):
                raise AssertionError(f"import: {report.rows_stored} stored, "
                                     f"{report.rows_rejected} rejected")
            self.imported += 50
        elif method == "gateway.ComposeReport":
            self.gateway.ComposeReport(gw.ComposeReportRequest(org=ORG, year=2024, formats=["md"]),
                                       timeout=RPC_TIMEOUT)
        elif method == "gateway.GetFacts":
            self.gateway.GetFacts(gw.GetFactsRequest(org=ORG, year=2024), timeout=RPC_TIMEOUT)

    def run(self, stop):
        methods = [m for _, m, _ in MIX]
        weights = [w for _, _, w in MIX]
        while not stop.is_set():
            method = self.rng.choices(methods, weights)[0]
            started = time.monotonic()
            try:
                self.call(method)
            except (grpc.RpcError, AssertionError) as e:
                detail = (f"{e.code().name}: {e.details()}" if isinstance(e, grpc.RpcError)
                          else str(e))
                self.errors.append(f"{method}: {detail}")
                continue
            self.latencies.setdefault(method, []).append(time.monotonic() - started)


class LoadTest(unittest.TestCase):
    maxDiff = None

    def test_mixed_load(self):
        channels = {n: harness.open_channel(s.target) for n, s in SERVERS.items()}
        callers = [Caller(i, channels) for i in range(ARGS.callers)]
        stop = threading.Event()
        threads = [threading.Thread(target=c.run, args=(stop,)) for c in callers]
        pids = {n: s.pid for n, s in SERVERS.items()}
        rss = {n: [rss_kib(p)] for n, p in pids.items()}  # before, after warm-up, end
        started = time.monotonic()
        for t in threads:
            t.start()
        time.sleep(ARGS.seconds * WARMUP)
        for n, p in pids.items():
            rss[n].append(rss_kib(p))
        time.sleep(ARGS.seconds * (1 - WARMUP))
        for n, p in pids.items():
            rss[n].append(rss_kib(p))
        stop.set()
        for t in threads:
            t.join(RPC_TIMEOUT + 5)
        elapsed = time.monotonic() - started

        # The figures.
        by_method = {}
        for c in callers:
            for method, values in c.latencies.items():
                by_method.setdefault(method, []).extend(values)
        total = sum(len(v) for v in by_method.values())
        print(f"\n  {ARGS.callers} callers, {elapsed:.1f} s, {total} calls, "
              f"{total / elapsed:.0f} calls/s", file=sys.stderr)
        print(f"  {'kind':8} {'method':24} {'calls':>7} {'calls/s':>8} {'p50 ms':>8} {'p99 ms':>8}",
              file=sys.stderr)
        for kind, method, _ in MIX:
            values = sorted(by_method.get(method, []))
            print(f"  {kind:8} {method:24} {len(values):7} {len(values) / elapsed:8.1f} "
                  f"{percentile(values, 50) * 1000:8.2f} {percentile(values, 99) * 1000:8.2f}",
                  file=sys.stderr)
        for n in pids:
            before, warm, end = rss[n]
            print(f"  {n:8} RSS {before / 1024:6.1f} MiB at start, {warm / 1024:6.1f} after "
                  f"warm-up, {end / 1024:6.1f} at end ({(end - warm) / 1024:+.1f})",
                  file=sys.stderr)

        errors = [e for c in callers for e in c.errors]
        self.assertEqual(errors[:10], [], f"{len(errors)} calls failed")
        for kind, method, _ in MIX:
            self.assertTrue(by_method.get(method), f"no {method} call completed")

        # Nothing acknowledged is lost, nothing else is there.
        study = study_pb2_grpc.StudyServiceStub(channels["study"])
        duty = duty_pb2_grpc.DutyServiceStub(channels["duty"])
        acknowledged = 0
        for c in callers:
            names, token = [], ""
            while True:
                page = study.ListSessions(study_pb2.ListSessionsRequest(
                    parent=c.org, page_size=1000, page_token=token), timeout=RPC_TIMEOUT)
                names.extend(s.name for s in page.sessions)
                token = page.next_page_token
                if not token:
                    break
            self.assertEqual(len(names), len(set(names)))
            self.assertLessEqual(set(c.sessions), set(names),
                                 f"{c.org}: acknowledged sessions lost")
            self.assertEqual(len(names), len(c.sessions) + c.imported, c.org)
            codes, token = [], ""
            while True:
                page = duty.ListPowers(duty_pb2.ListPowersRequest(
                    parent=c.org, page_size=1000, page_token=token), timeout=RPC_TIMEOUT)
                codes.extend(p.code for p in page.powers)
                token = page.next_page_token
                if not token:
                    break
            self.assertEqual(sorted(codes), sorted(c.powers), c.org)
            acknowledged += len(names) + len(codes)
        print(f"  {acknowledged} acknowledged records read back", file=sys.stderr)
        for channel in channels.values():
            channel.close()

        if SANITIZER:
            return  # the sanitizer's quarantine and shadow memory grow by design
        for n in pids:
            _, warm, end = rss[n]
            self.assertLess(end - warm, RSS_TOLERANCE_KIB,
                            f"{n} grew {(end - warm) / 1024:.1f} MiB after the warm-up")


if __name__ == "__main__":
    if ARGS.postgres:
        harness.exit_unless_postgres()
    harness.run_tests(f"load ({ARGS.seconds:g} s, {ARGS.callers} callers)", UNITTEST_ARGV)
