#!/usr/bin/env python3
"""Dependency faults: the gateway with a backend stopped, slow or restarting.

Run through ctest (tests/reliability/CMakeLists.txt), or by hand:

  /usr/bin/python3 tests/reliability/faults_test.py --study build/bin/fazhi-study \
      --duty build/bin/fazhi-duty --report build/bin/fazhi-report \
      --gateway build/bin/fazhi-gateway --cli build/bin/fazhi \
      --stubs build/tests/e2e/pystubs --demo deploy/demo [--calls=200] [-v]

The real study, duty and report services hold the demo data (loaded with the
`fazhi` CLI); the gateway talks to study and duty directly and to report
through a small fault-injecting proxy (Python, in this file) that forwards
every call's bytes and, when told to, fails a method with UNAVAILABLE and
counts the attempts that reach it. The gateway's --backend_deadline is 1 s.

* a backend that is down (SIGKILL): every call fails fast with UNAVAILABLE
  naming the backend and its address; the backend back on its port, the
  gateway recovers by itself;
* a backend that hangs (SIGSTOP: connections open, nothing answers; the
  test waits until every thread of it is stopped and a health check of it
  times out before it calls): every call fails with DEADLINE_EXCEEDED
  naming it, within the deadline plus a margin, and a partial compose
  still answers; SIGCONT, and it recovers;
* a backend restarted again and again under calls: nothing hangs, every
  failure names it, and calls succeed again afterwards;
* after hundreds of failing calls the gateway has no more threads and no
  more memory than after as many successful ones (/proc/PID/status);
* reads are retried on UNAVAILABLE (at most 3 attempts, as the service
  config in services/gateway/backends.cc says), PublishReport is never.
"""

import collections
import concurrent.futures
import os
import re
import signal
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import harness  # noqa: E402


ARGS, UNITTEST_ARGV = harness.parse_args(
    __doc__, ("study", "duty", "report", "gateway"), cli=True, demo=True,
    extra=lambda parser: parser.add_argument("--calls", type=int, default=200,
                                             help="failing calls per growth phase"))

import grpc  # noqa: E402

from fazhi.gateway.v1 import gateway_pb2 as gw  # noqa: E402
from fazhi.gateway.v1 import gateway_pb2_grpc  # noqa: E402
from fazhi.report.v1 import report_pb2 as rp  # noqa: E402
from fazhi.report.v1 import report_pb2_grpc  # noqa: E402

BACKEND_DEADLINE = 1.0 * harness.SLOWDOWN  # seconds, the gateway's --backend_deadline
# A failing call must be back within the deadline plus this: the retries of
# a read (backoff 0.1 s, then up to 0.2 s) fit in it, and so does a busy
# machine's scheduling.
MARGIN = 2.0 * harness.SLOWDOWN
SANITIZER = harness.SANITIZER  # set by scripts/sanitize.sh: RSS growth not asserted
CLIENT_TIMEOUT = 30 * harness.SLOWDOWN  # seconds; a call that needs it has hung
HANG_TIMEOUT = 10 * harness.SLOWDOWN  # seconds for a SIGSTOP to stop every thread
CONCURRENCY = 8
ORG = "lushan-minzheng"
C = grpc.StatusCode

WORKDIR = None
STUDY = DUTY = REPORT = GATEWAY = PROXY = None


# --------------------------------------------------------------------------
# The fault-injecting proxy.


class FaultProxy:
    """Forwards every unary call to `upstream` as bytes; `fail(method, n)`
    makes the next n calls of a method (n < 0: all) fail with UNAVAILABLE
    before they reach upstream. `attempts[method]` counts the calls that
    reached the proxy."""

    def __init__(self, upstream):
        self.upstream = harness.open_channel(upstream)
        self.attempts = collections.Counter()
        self.failing = {}
        self.lock = threading.Lock()
        self.server = grpc.server(concurrent.futures.ThreadPoolExecutor(32))
        self.server.add_generic_rpc_handlers([self])
        self.port = self.server.add_insecure_port("127.0.0.1:0")
        self.server.start()

    @property
    def target(self):
        return f"127.0.0.1:{self.port}"

    def fail(self, method, times):
        with self.lock:
            self.failing[method] = times

    def reset(self):
        with self.lock:
            self.failing.clear()
            self.attempts.clear()

    # grpc.GenericRpcHandler
    def service(self, details):
        method = details.method
        short = method.rsplit("/", 1)[-1]
        forward = self.upstream.unary_unary(method)  # bytes in, bytes out

        def handle(request, context):
            with self.lock:
                self.attempts[short] += 1
                left = self.failing.get(short, 0)
                if left:
                    self.failing[short] = left - 1 if left > 0 else left
            if left:
                context.abort(C.UNAVAILABLE, f"fault proxy: {short} made to fail")
            metadata = [(k, v) for k, v in context.invocation_metadata() if k == "x-request-id"]
            try:
                return forward(request, timeout=context.time_remaining(), metadata=metadata)
            except grpc.RpcError as e:
                context.abort(e.code(), e.details())

        return grpc.unary_unary_rpc_method_handler(handle)

    def stop(self):
        self.server.stop(0)
        self.upstream.close()


# --------------------------------------------------------------------------
# Set-up.


def load_demo():
    env = dict(harness.client_env(study=STUDY.target, duty=DUTY.target, report=REPORT.target),
               FAZHI_ACTOR="faults")
    harness.load_demo(ARGS.cli, ARGS.demo, env)


def setUpModule():
    global WORKDIR, STUDY, DUTY, REPORT, GATEWAY, PROXY
    WORKDIR = harness.make_workdir("fazhi-faults-", keep=ARGS.keep)

    def proxy_to(report_target):
        global PROXY
        PROXY = FaultProxy(report_target)
        unittest.addModuleCleanup(PROXY.stop)
        return PROXY.target

    servers = harness.start_demo_stack(ARGS, WORKDIR, report_target=proxy_to,
                                       gateway_args=[f"--backend_deadline={BACKEND_DEADLINE}s"])
    STUDY, DUTY, REPORT, GATEWAY = (servers[n] for n in ("study", "duty", "report", "gateway"))
    load_demo()


def tearDownModule():
    for backend in (STUDY, DUTY):
        if backend.proc.poll() is None:
            backend.proc.send_signal(signal.SIGCONT)  # in case a test stopped it
    harness.stop_servers(GATEWAY, STUDY, DUTY, REPORT, close_channel=True)


# --------------------------------------------------------------------------
# Helpers.


def gateway():
    return gateway_pb2_grpc.AnnualReportServiceStub(GATEWAY.channel)


def compose(allow_partial=False, timeout=CLIENT_TIMEOUT):
    return gateway().ComposeReport(gw.ComposeReportRequest(
        org=f"orgs/{ORG}", year=2024, allow_partial=allow_partial), timeout=timeout)


def proc_status(pid):
    """Threads and VmRSS (KiB) of a process, from /proc/PID/status."""
    with open(f"/proc/{pid}/status") as f:
        text = f.read()
    return (int(re.search(r"^Threads:\s+(\d+)", text, re.M).group(1)),
            int(re.search(r"^VmRSS:\s+(\d+) kB", text, re.M).group(1)))


def stop_until_hanging(server):
    """SIGSTOP, and return only once the server is known to hang: every
    thread of it stopped (state T), and a health check of it timed out."""
    harness.stop_process(server.proc, HANG_TIMEOUT)
    from grpc.health.v1 import health_pb2, health_pb2_grpc  # generated: after use_stubs()
    with harness.open_channel(server.target) as channel:
        try:
            health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(),
                                                      timeout=BACKEND_DEADLINE)
            raise AssertionError(f"{server.name} answered a health check while stopped")
        except grpc.RpcError as e:
            if e.code() != C.DEADLINE_EXCEEDED:
                raise AssertionError(f"{server.name} stopped: health check {e.code()}, "
                                     f"not DEADLINE_EXCEEDED: {e.details()}")


def timed(call):
    """(seconds, result or the RpcError)."""
    started = time.monotonic()
    try:
        result = call()
    except grpc.RpcError as e:
        result = e
    return time.monotonic() - started, result


def many(call, count, concurrency=CONCURRENCY):
    with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        return list(pool.map(lambda _: timed(call), range(count)))


def wait_until_compose_works(limit=15 * harness.SLOWDOWN):
    """Seconds until a compose succeeds again."""
    started = time.monotonic()
    while True:
        elapsed, result = timed(lambda: compose(timeout=5 * harness.SLOWDOWN))
        if not isinstance(result, grpc.RpcError):
            return time.monotonic() - started
        if time.monotonic() - started > limit:
            raise AssertionError(
                f"no recovery after {limit} s: {result.code()}: {result.details()}")
        time.sleep(0.1)


class FaultsTest(harness.RpcTestCase):
    rpc_timeout = CLIENT_TIMEOUT

    def assertNamedFailures(self, results, backend, target, codes):
        """Every result failed with one of `codes`, naming the backend, in time."""
        for elapsed, result in results:
            self.assertIsInstance(result, grpc.RpcError, "a call succeeded with the backend down")
            self.assertIn(result.code(), codes, result.details())
            self.assertIn(f"{backend} backend:", result.details())
            self.assertNotIn(target, result.details())  # addresses stay in the log
            self.assertLess(elapsed, BACKEND_DEADLINE + MARGIN,
                            f"{result.code()} after {elapsed:.2f} s")

    def baseline(self):
        """Threads and RSS of the gateway after as many successful calls as
        a failing phase makes."""
        ok = many(compose, ARGS.calls)
        self.assertFalse([r for _, r in ok if isinstance(r, grpc.RpcError)][:3])
        return proc_status(GATEWAY.pid)

    def growth(self, base, failing_phase):
        """Two identical phases of failing calls: the gateway's threads and
        RSS against the baseline, and the second phase against the first."""
        first = failing_phase()
        after_first = proc_status(GATEWAY.pid)
        second = failing_phase()
        after_second = proc_status(GATEWAY.pid)
        print(f"\n    gateway threads/RSS: after {ARGS.calls} good calls {base[0]}/{base[1]} KiB, "
              f"after {len(first)} failing {after_first[0]}/{after_first[1]} KiB, after "
              f"{len(second)} more {after_second[0]}/{after_second[1]} KiB", file=sys.stderr)
        # gRPC's synchronous server keeps a thread per call in flight, up to
        # the callers' concurrency, and lets idle ones go: a few more than
        # after the good calls is that pool; a thread per failed call is not.
        self.assertLessEqual(after_first[0], base[0] + 4)
        self.assertLessEqual(after_second[0], base[0] + 4)
        # The second failing phase repeats the first: allocator arenas and
        # channel state are warm by then, so it may not grow the process
        # by more than 4 MiB (about 10 KiB per failed call of the first
        # phase would exceed it).
        if not SANITIZER:
            self.assertLess(after_second[1] - after_first[1], 4096,
                            "the gateway grew during the second phase of failing calls")
        return first + second

    def test_1_backend_down_fails_fast_named_and_recovers(self):
        target = DUTY.target
        base = self.baseline()
        DUTY.kill()
        try:
            results = self.growth(base, lambda: many(compose, ARGS.calls))
            self.assertNamedFailures(results, "duty", target, (C.UNAVAILABLE,))
            worst = max(e for e, _ in results)
            # A partial draft still comes, with duty listed as missing.
            elapsed, draft = timed(lambda: compose(allow_partial=True))
            self.assertNotIsInstance(draft, grpc.RpcError)
            self.assertEqual(list(draft.missing_backends), ["duty"])
            self.assertLess(elapsed, BACKEND_DEADLINE + MARGIN)
        finally:
            DUTY.start(port=DUTY.port)
        recovered = wait_until_compose_works()
        print(f"    duty down: {len(results)} calls failed, slowest {worst:.3f} s; "
              f"recovered {recovered:.2f} s after the restart", file=sys.stderr)

    def test_2_backend_hanging_hits_the_deadline_and_recovers(self):
        target = STUDY.target
        base = self.baseline()
        try:
            # Known to hang before any call: a stop signal takes effect
            # when each thread next runs, which a busy machine delays.
            stop_until_hanging(STUDY)
            calls = max(ARGS.calls // 4, 2 * CONCURRENCY)  # each waits out the deadline
            results = self.growth(base, lambda: many(compose, calls))
            self.assertNamedFailures(results, "study", target, (C.DEADLINE_EXCEEDED,))
            elapsed, draft = timed(lambda: compose(allow_partial=True))
            self.assertNotIsInstance(draft, grpc.RpcError)
            self.assertEqual(list(draft.missing_backends), ["study"])
            self.assertLess(elapsed, BACKEND_DEADLINE + MARGIN)
        finally:
            STUDY.proc.send_signal(signal.SIGCONT)
        recovered = wait_until_compose_works()
        print(f"    study stopped: {len(results)} calls failed at "
              f"{min(e for e, _ in results):.2f}-{max(e for e, _ in results):.2f} s; "
              f"recovered {recovered:.2f} s after SIGCONT", file=sys.stderr)

    def test_3_backend_restarting_under_calls(self):
        target = STUDY.target
        stop = threading.Event()
        results = []

        def caller():
            while not stop.is_set():
                results.append(timed(lambda: compose(timeout=CLIENT_TIMEOUT)))

        callers = [threading.Thread(target=caller) for _ in range(4)]
        for t in callers:
            t.start()
        try:
            for _ in range(3):
                time.sleep(0.5)
                STUDY.kill()
                time.sleep(0.5)
                STUDY.start(port=STUDY.port)
            time.sleep(0.5)
        finally:
            stop.set()
            for t in callers:
                t.join(CLIENT_TIMEOUT + 5)
        failed = [(e, r) for e, r in results if isinstance(r, grpc.RpcError)]
        self.assertNamedFailures(failed, "study", target, (C.UNAVAILABLE, C.DEADLINE_EXCEEDED))
        self.assertLess(max(e for e, _ in results), BACKEND_DEADLINE + MARGIN)
        recovered = wait_until_compose_works()
        again = many(compose, 20)
        self.assertFalse([r for _, r in again if isinstance(r, grpc.RpcError)])
        print(f"    study restarted 3 times: {len(results)} calls, {len(failed)} failed naming "
              f"study, none hung; all good again {recovered:.2f} s after", file=sys.stderr)

    def test_4_reads_retried_publish_never(self):
        # A read that fails once is retried and the compose succeeds.
        PROXY.reset()
        PROXY.fail("GetReportInputs", 1)
        compose()
        self.assertEqual(PROXY.attempts["GetReportInputs"], 2)
        # One that keeps failing: three attempts, then the error, named.
        PROXY.reset()
        PROXY.fail("GetReportInputs", -1)
        error = self.assertRpcFails(C.UNAVAILABLE, gateway().ComposeReport,
                                    gw.ComposeReportRequest(org=f"orgs/{ORG}", year=2024))
        self.assertIn("report backend:", error.details())
        self.assertEqual(PROXY.attempts["GetReportInputs"], 3)

        # PublishReport: an approved report, the write failing with the
        # same retryable code: exactly one attempt reaches the backend.
        report = report_pb2_grpc.ReportServiceStub(REPORT.channel)
        name = f"orgs/{ORG}/reports/2024"
        report.SubmitReport(rp.SubmitReportRequest(name=name, actor="zhang"),
                            timeout=CLIENT_TIMEOUT)
        report.ApproveReport(rp.ApproveReportRequest(name=name, actor="li"), timeout=CLIENT_TIMEOUT)
        PROXY.reset()
        PROXY.fail("PublishReport", -1)
        publish = gw.PublishReportRequest(org=f"orgs/{ORG}", year=2024, actor="faults",
                                          formats=["txt"])
        error = self.assertRpcFails(C.UNAVAILABLE, gateway().PublishReport, publish)
        self.assertIn("report backend:", error.details())
        self.assertEqual(PROXY.attempts["PublishReport"], 1)
        stored = report.GetReport(rp.GetReportRequest(name=name), timeout=CLIENT_TIMEOUT)
        self.assertEqual(stored.state, rp.REPORT_STATE_APPROVED)
        # Let through, it publishes once.
        PROXY.reset()
        published = gateway().PublishReport(publish, timeout=CLIENT_TIMEOUT)
        self.assertEqual(published.report.state, rp.REPORT_STATE_PUBLISHED)
        self.assertEqual(PROXY.attempts["PublishReport"], 1)


if __name__ == "__main__":
    harness.run_tests("faults", UNITTEST_ARGV)
