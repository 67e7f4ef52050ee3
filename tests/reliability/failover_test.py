#!/usr/bin/env python3
"""PostgreSQL failover: writers ride through it, and nothing acknowledged is lost.

Run through ctest (tests/reliability/CMakeLists.txt) inside the throwaway
pg_auto_failover cluster of scripts/with-postgres-ha.sh (monitor, primary,
synchronous standby), or by hand:

  bash scripts/with-postgres-ha.sh /usr/bin/python3 tests/reliability/failover_test.py \
      --study build/bin/fazhi-study --stubs build/tests/e2e/pystubs [-v]

fazhi-study runs on the cluster's multi-host URL (target_session_attrs=
read-write) with a stale-read URL (prefer-standby). Writer threads stream
CreateSession calls (each with a request_id, repeated on UNAVAILABLE as a
client should) and ImportSessions streams (repeated in CREATE_ONLY mode until
one succeeds) while, in turn:

1. the standby's machine dies (SIGKILL of its keeper and PostgreSQL): with
   synchronous replication commits wait until the monitor drops the standby
   from synchronous_standby_names, then carry on — no write fails;
2. the primary's machine dies (SIGKILL) mid-stream: the monitor promotes the
   standby, the service reconnects by itself, health turns NOT_SERVING and
   back; the time from the kill until writes succeed again is printed;
3. the new primary's PostgreSQL stalls (SIGSTOP of the postmaster and its
   backends, as a network stall would look): the monitor fails over within
   its timeouts, the service abandons the stalled connections; SIGCONT, and
   the old primary rejoins as a standby.

After each: every acknowledged write is there exactly once with the content
sent, every record there was sent by a writer, and each import is whole.
Each killed node is restarted and rejoins as the standby before the next.
"""

import argparse
import os
import signal
import subprocess
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import harness  # noqa: E402


def _parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--study", required=True, help="the fazhi-study executable")
    parser.add_argument("--stubs", required=True, help="folder of the generated Python stubs")
    parser.add_argument("--writers", type=int, default=3, help="writer threads")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    return parser.parse_known_args()


ARGS, UNITTEST_ARGV = _parse_args()
harness.use_stubs(ARGS.stubs)

import grpc  # noqa: E402
from google.type import date_pb2  # noqa: E402
from grpc.health.v1 import health_pb2, health_pb2_grpc  # noqa: E402

from fazhi.study.v1 import study_pb2  # noqa: E402
from fazhi.study.v1 import study_pb2_grpc  # noqa: E402
from fazhi.type.v1 import import_pb2  # noqa: E402

C = grpc.StatusCode
ALREADY_EXISTS = 6  # google.rpc.Code
PARENT = "orgs/failover"
RPC_TIMEOUT = 60 * harness.SLOWDOWN  # the driver waits up to 30 s for a new primary
SETTLE_TIMEOUT = 60 * harness.SLOWDOWN  # a node rejoining as standby, a failover
WRITE_BEFORE = 1.5  # seconds of writing before each fault
WRITE_AFTER = 2.0  # seconds of writing after writes succeed again
GIVE_UP = 90 * harness.SLOWDOWN  # a writer repeating one write this long fails the test

CTL = os.environ.get("FAZHI_PG_HA_CTL", "")
CLUSTER_DIR = os.environ.get("FAZHI_PG_HA_DIR", "")
WORKDIR = None
STUDY = None
MEASURED = []  # lines for the closing summary


def exit_unless_cluster():
    if CTL and os.environ.get("FAZHI_TEST_POSTGRES_HA_URL"):
        return
    print("skipped: no HA cluster (run under scripts/with-postgres-ha.sh)", file=sys.stderr)
    sys.exit(1 if os.environ.get("FAZHI_REQUIRE_POSTGRES") else 77)


# --------------------------------------------------------------------------
# The cluster: the monitor's view, and the processes of each node.


def cluster_state():
    """{node: (reported, goal)} as the monitor sees it."""
    out = subprocess.run([CTL, "state"], capture_output=True, text=True, timeout=10).stdout
    state = {}
    for line in out.splitlines():
        name, _port, reported, goal = line.split("|")
        state[name] = (reported, goal)
    return state


def primary_node():
    for name, (reported, goal) in cluster_state().items():
        if reported in ("primary", "wait_primary", "single") and goal == reported:
            return name
    return None


def other_node(name):
    return "node2" if name == "node1" else "node1"


def wait_settled(what):
    """Until one node is primary and the other secondary, both as asked."""
    deadline = time.monotonic() + SETTLE_TIMEOUT
    while True:
        state = cluster_state()
        settled = sorted(reported for reported, goal in state.values() if reported == goal)
        if settled == ["primary", "secondary"]:
            return state
        if time.monotonic() > deadline:
            raise AssertionError(f"cluster not settled after {what}: {state}")
        time.sleep(0.2)


def proc_stat(pid):
    """(ppid, session id) of a process, or None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[1]), int(fields[3])
    except (OSError, IndexError, ValueError):
        return None


def all_pids():
    return [int(p) for p in os.listdir("/proc") if p.isdigit()]


def postmaster_pid(node):
    with open(os.path.join(CLUSTER_DIR, node, "postmaster.pid")) as f:
        return int(f.readline())


def node_machine(node):
    """Every process of the node: its keeper runs in a session of its own
    (with-postgres-ha.sh) with the postmaster; PostgreSQL's other processes
    each start a session of their own, as the postmaster's children."""
    session = proc_stat(postmaster_pid(node))[1]
    return sorted({p for p in all_pids() if (proc_stat(p) or (0, 0))[1] == session} |
                  set(node_postgres(node)))


def node_postgres(node):
    """The postmaster and its children (backends, walsender, checkpointer…)."""
    postmaster = postmaster_pid(node)
    return [postmaster] + [p for p in all_pids() if (proc_stat(p) or (0, 0))[0] == postmaster]


def signal_all(pids, sig):
    for pid in pids:
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass


def restart_node(node):
    subprocess.run([CTL, "start", node], check=True, timeout=30)


# --------------------------------------------------------------------------
# Writers and what they were told.


def make_session(key):
    return study_pb2.Session(
        title=f"容灾 {key}", date=date_pb2.Date(year=2024, month=5, day=1 + hash(key) % 28),
        kind=study_pb2.STUDY_KIND_ALL_STAFF, duration_minutes=60, laws=["宪法"],
        attendee_count=10, external_id=key, notes="failover")


def content(message):
    copy = type(message)()
    copy.CopyFrom(message)
    for field in ("name", "etag", "create_time", "update_time"):
        copy.ClearField(field)
    return copy.SerializeToString(deterministic=True)


class Ledger:
    """What the writers sent and what the service acknowledged."""

    def __init__(self):
        self.lock = threading.Lock()
        self.sent = {}  # external_id -> content
        self.acked = {}  # external_id -> content
        self.ack_times = []  # (started, acknowledged) of every acknowledged call
        self.failures = []  # (time, code, details) of calls repeated
        self.creates = 0
        self.imports = 0


class Writers:
    """Writer threads streaming creates and imports until stopped."""

    def __init__(self, stub, ledger, tag):
        self.stub = stub
        self.ledger = ledger
        self.tag = tag
        self.stop = threading.Event()
        self.errors = []
        self.threads = [threading.Thread(target=self._run, args=(i,), daemon=True)
                        for i in range(ARGS.writers)]

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.threads:
            t.join(timeout=RPC_TIMEOUT * 2)

    def _repeat(self, call):
        """Runs `call` until it succeeds, as a client that was told
        UNAVAILABLE would; returns (first started, acknowledged)."""
        first = time.monotonic()
        while True:
            try:
                call()
                return first, time.monotonic()
            except grpc.RpcError as e:
                with self.ledger.lock:
                    self.ledger.failures.append((time.monotonic(), e.code(), e.details()))
                if e.code() not in (C.UNAVAILABLE, C.DEADLINE_EXCEEDED):
                    raise
                if time.monotonic() - first > GIVE_UP:
                    raise
                time.sleep(0.1)

    def _run(self, index):
        n = 0
        try:
            while not self.stop.is_set():
                n += 1
                base = f"{self.tag}-w{index}-{n}"
                if n % 5 == 0:
                    self._import(base)
                else:
                    self._create(base)
        except Exception as e:  # noqa: BLE001 - reported by the test
            self.errors.append(f"{type(e).__name__}: {e}")

    def _create(self, key):
        session = make_session(key)
        with self.ledger.lock:
            self.ledger.sent[key] = content(session)
        request = study_pb2.CreateSessionRequest(parent=PARENT, session=session,
                                                 request_id=f"rq-{key}")
        times = self._repeat(lambda: self.stub.CreateSession(request, timeout=RPC_TIMEOUT))
        with self.ledger.lock:
            self.ledger.acked[key] = content(session)
            self.ledger.ack_times.append(times)
            self.ledger.creates += 1

    def _import(self, base):
        rows = [make_session(f"{base}-i{i}") for i in range(8)]
        with self.ledger.lock:
            for row in rows:
                self.ledger.sent[row.external_id] = content(row)

        def call():
            def messages():
                for i in range(0, len(rows), 4):  # two messages of four rows
                    yield study_pb2.ImportSessionsRequest(
                        parent=PARENT if i == 0 else "", sessions=rows[i:i + 4],
                        mode=import_pb2.IMPORT_MODE_CREATE_ONLY)
            report = self.stub.ImportSessions(messages(), timeout=RPC_TIMEOUT)
            # A repeat finds the rows of a first try that did commit.
            if report.rows_stored + report.rows_rejected != len(rows):
                raise AssertionError(f"import of {base}: {report}")
            for result in report.results:
                if result.code not in (0, ALREADY_EXISTS):
                    raise AssertionError(f"import of {base} rejected a row: {result}")

        times = self._repeat(call)
        with self.ledger.lock:
            for row in rows:
                self.ledger.acked[row.external_id] = content(row)
            self.ledger.ack_times.append(times)
            self.ledger.imports += 1


class Health:
    """Polls the service's gRPC health every 100 ms, keeping the changes."""

    def __init__(self, channel):
        self.stub = health_pb2_grpc.HealthStub(channel)
        self.changes = []  # (time, status name)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(timeout=10)

    def _run(self):
        last = None
        while not self.stop.wait(0.1):
            try:
                reply = self.stub.Check(health_pb2.HealthCheckRequest(service=""), timeout=1)
                status = health_pb2.HealthCheckResponse.ServingStatus.Name(reply.status)
            except grpc.RpcError as e:
                status = e.code().name
            if status != last:
                self.changes.append((time.monotonic(), status))
                last = status

    def current(self):
        return self.changes[-1][1] if self.changes else None


# --------------------------------------------------------------------------


def setUpModule():
    global WORKDIR, STUDY
    exit_unless_cluster()
    WORKDIR = harness.make_workdir("fazhi-failover-", keep=ARGS.keep)
    STUDY = harness.ServerProcess(
        ARGS.study, "study", WORKDIR, db=os.environ["FAZHI_TEST_POSTGRES_HA_URL"], http=True,
        extra_args=[f"--db_read={os.environ['FAZHI_TEST_POSTGRES_HA_READ_URL']}",
                    "--db_check_interval=500ms"],
        stub_class=study_pb2_grpc.StudyServiceStub)
    STUDY.start()
    unittest.addModuleCleanup(STUDY.kill_if_running)


class FailoverTest(unittest.TestCase):
    ledger = Ledger()

    def ride_through(self, tag, key, fault, writes_may_fail):
        """Writers stream while `fault()` (returning its time) strikes;
        returns (fault time, first acknowledged write started after it, the
        health changes)."""
        stub = STUDY.stub()
        primary_before = primary_node()
        promoted = None
        with Health(STUDY.channel) as health, Writers(stub, self.ledger, key) as writers:
            time.sleep(WRITE_BEFORE)
            failures_before = len(self.ledger.failures)
            struck = fault()
            deadline = time.monotonic() + SETTLE_TIMEOUT
            while True:
                if promoted is None and primary_node() not in (None, primary_before):
                    promoted = time.monotonic() - struck
                with self.ledger.lock:
                    after = [done for started, done in self.ledger.ack_times if started > struck]
                if after or writers.errors:
                    break
                self.assertLess(time.monotonic(), deadline,
                                f"{tag}: no write succeeded {SETTLE_TIMEOUT} s after the fault\n"
                                f"{STUDY.log_tail()}")
                time.sleep(0.05)
            time.sleep(WRITE_AFTER)
        self.assertEqual(writers.errors, [], f"{tag}: a writer gave up\n{STUDY.log_tail()}")
        recovered = min(after) - struck
        with self.ledger.lock:
            pauses = [done - started for started, done in self.ledger.ack_times
                      if done > struck]
            failed = self.ledger.failures[failures_before:]
        if not writes_may_fail:
            self.assertEqual(failed, [], f"{tag}: writes failed")
        codes = sorted({code.name for _, code, _ in failed})
        promotion = f" (standby promoted at {promoted:.1f} s)" if promoted is not None else ""
        MEASURED.append(f"{tag}: writes succeed again {recovered:.1f} s after the fault"
                        f"{promotion}; longest write {max(pauses or [0]):.1f} s; "
                        f"{len(failed)} calls failed"
                        f"{' (' + '/'.join(codes) + ') and were repeated' if codes else ''}")
        for _, code, details in failed[:3]:
            print(f"  {tag}: {code.name}: {details[:200]}", file=sys.stderr)
        return struck, recovered, health.changes

    def check_everything(self, tag):
        """Every acknowledged write is there once, as sent; nothing unsent is."""
        stub = STUDY.stub()
        deadline = time.monotonic() + 15 * harness.SLOWDOWN
        while True:
            # ListSessions is a stale read (the standby's): wait for it to catch up.
            listed, token = [], ""
            while True:
                reply = stub.ListSessions(study_pb2.ListSessionsRequest(
                    parent=PARENT, page_size=1000, page_token=token), timeout=RPC_TIMEOUT)
                listed.extend(reply.sessions)
                token = reply.next_page_token
                if not token:
                    break
            by_key = {}
            for s in listed:
                by_key.setdefault(s.external_id, []).append(s)
            with self.ledger.lock:
                acked, sent = dict(self.ledger.acked), dict(self.ledger.sent)
            missing = [k for k in acked if k not in by_key]
            if not missing or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        self.assertEqual(missing, [], f"{tag}: acknowledged writes missing")
        twice = {k: len(v) for k, v in by_key.items() if len(v) > 1}
        self.assertEqual(twice, {}, f"{tag}: records stored more than once")
        unsent = [k for k in by_key if k not in sent]
        self.assertEqual(unsent, [], f"{tag}: records nobody sent")
        changed = [k for k, v in by_key.items() if content(v[0]) != sent[k]]
        self.assertEqual(changed, [], f"{tag}: records not as sent")
        # An import's rows are all there or none (the writers repeat until one
        # answer says they are all there; a lost answer leaves whole batches).
        imports = {}
        for k in sent:
            if "-i" in k:
                imports.setdefault(k.rsplit("-i", 1)[0], []).append(k in by_key)
        halves = [base for base, present in imports.items()
                  if any(present) and not all(present) and base + "-i0" in acked]
        self.assertEqual(halves, [], f"{tag}: acknowledged imports not whole")
        # The primary's own view agrees: one record read back by name.
        some = next(iter(by_key.values()))[0]
        self.assertEqual(content(stub.GetSession(study_pb2.GetSessionRequest(name=some.name),
                                                 timeout=RPC_TIMEOUT)), sent[some.external_id])
        MEASURED.append(f"{tag}: {len(acked)} acknowledged records checked "
                        f"({self.ledger.creates} creates, {self.ledger.imports} imports of 8 rows "
                        f"so far), {len(listed)} listed, none twice, none unsent")

    def test_1_standby_killed(self):
        wait_settled("start")
        standby = other_node(primary_node())

        def kill_standby():
            signal_all(node_machine(standby), signal.SIGKILL)
            return time.monotonic()

        # Synchronous replication: commits wait for the monitor to take the
        # dead standby out of synchronous_standby_names, then go on.
        self.ride_through("standby killed", "standby", kill_standby, writes_may_fail=False)
        self.check_everything("standby killed")
        restart_node(standby)
        wait_settled("the standby's restart")

    def test_2_primary_killed(self):
        wait_settled("start")
        primary = primary_node()

        def kill_primary():
            signal_all(node_machine(primary), signal.SIGKILL)
            return time.monotonic()

        struck, _, changes = self.ride_through("primary killed", "primary", kill_primary,
                                               writes_may_fail=True)
        self.assertEqual(primary_node(), other_node(primary), "the standby was not promoted")
        after = [status for t, status in changes if t > struck]
        self.assertIn("NOT_SERVING", after, "health never said NOT_SERVING during the failover")
        self.assertEqual(after[-1], "SERVING", "health did not come back to SERVING")
        self.check_everything("primary killed")
        restart_node(primary)
        wait_settled("the old primary's return")

    def test_3_primary_stalled(self):
        wait_settled("start")
        primary = primary_node()
        stalled = []

        def stop_primary():
            stalled.extend(node_postgres(primary))
            signal_all(stalled, signal.SIGSTOP)
            return time.monotonic()

        try:
            self.ride_through("primary stalled (SIGSTOP)", "stall", stop_primary,
                              writes_may_fail=True)
            self.assertEqual(primary_node(), other_node(primary), "the standby was not promoted")
        finally:
            signal_all(stalled, signal.SIGCONT)
        self.check_everything("primary stalled (SIGSTOP)")
        wait_settled("the stalled primary's SIGCONT")


if __name__ == "__main__":
    try:
        harness.run_tests("failover", UNITTEST_ARGV)
    finally:
        print("\n==== measured ====")
        for line in MEASURED:
            print(f"  {line}")
