#!/usr/bin/env python3
"""Hostile callers against the real binaries (issue 16), ctest label `security`.

Run through ctest (tests/e2e/CMakeLists.txt), or by hand:

  /usr/bin/python3 tests/e2e/hostile_e2e_test.py --study build/bin/fazhi-study \
      --report build/bin/fazhi-report --gateway build/bin/fazhi-gateway \
      --cli build/bin/fazhi --stubs build/tests/e2e/pystubs [-v]

Study, report and the gateway run with a keys file made by `fazhi keys`;
what no key may do is tried without one, and the service must stay usable:

- 300 health Watch streams and a flood of reflection streams: an admin's
  call and health Check are still answered within their deadline;
- the HTTP side: a 300 MiB body, a gzip bomb, chunked and length-less
  bodies refused from the headers (413/415/411), and a 300 MiB header line
  refused at 16 KiB (431), with the gateway's resident memory below 100 MB;
  slow connections do not stall /healthz;
- the audit trail: refused calls naming a 3 MiB resource are audited in
  bounded size, cut on a character boundary, and the list stays readable;
  the gateway's audit line is written at --log_level=error and never fails
  the call;
- text that breaks documents (U+FFFF, U+202E) refused naming the field;
- a document an approver hands the report service directly, not through
  the gateway, refused;
- a second service on one database (SQLite; PostgreSQL under
  scripts/with-postgres.sh) refused at start, the first unharmed;
- the text log format cannot be given a forged line; development mode
  checks the address, not a name; `fazhi keys` neither replaces roles
  silently nor writes through a planted link.
"""

import gzip
import json
import os
import select
import socket
import subprocess
import sys
import threading
import time
import unittest
import zlib

import harness

ARGS, UNITTEST_ARGV = harness.parse_args(__doc__, ("study", "report", "gateway"), cli=True)

import grpc  # noqa: E402
from grpc.health.v1 import health_pb2, health_pb2_grpc  # noqa: E402
from grpc.reflection.v1alpha import reflection_pb2, reflection_pb2_grpc  # noqa: E402
from google.type import date_pb2  # noqa: E402

from fazhi.gateway.v1 import gateway_pb2 as gw  # noqa: E402
from fazhi.gateway.v1 import gateway_pb2_grpc  # noqa: E402
from fazhi.report.v1 import report_pb2 as rp  # noqa: E402
from fazhi.report.v1 import report_pb2_grpc  # noqa: E402
from fazhi.study.v1 import study_pb2 as st  # noqa: E402
from fazhi.study.v1 import study_pb2_grpc  # noqa: E402
from fazhi.type.v1 import audit_pb2  # noqa: E402

C = grpc.StatusCode
S = harness.SLOWDOWN
OWN = "lushan-minzheng"
# What an ordinary call must stay within while the server is under attack.
CALL_DEADLINE = 5 * S
# A channel with a connection of its own (grpcio shares them by default).
OWN_CONNECTION = [("grpc.use_local_subchannel_pool", 1)]
WORKDIR = None
SERVERS = {}
KEYS = {}


def server(name, flags, db=None):
    """fazhi-<name> on loopback, its HTTP side on, with exactly `flags` (a
    keys file, no development mode)."""
    return harness.ServerProcess(getattr(ARGS, name), name, WORKDIR, db=db, http=True,
                                 flags=flags)


def fazhi(*args):
    env = harness.client_env(keys_file=os.path.join(WORKDIR, "keys.json"))
    return harness.run_cli(ARGS.cli, env, *args, timeout=60).strip()


md = harness.bearer


def study_stub(channel):
    return study_pb2_grpc.StudyServiceStub(channel)


def setUpModule():
    global WORKDIR
    WORKDIR = harness.make_workdir("fazhi-e2e-hostile-", keep=ARGS.keep)
    unittest.addModuleCleanup(lambda: [s.stop() for s in SERVERS.values()])
    KEYS["admin"] = fazhi("keys", "create", "--caller=admin", "--roles=admin:*")
    KEYS["editor"] = fazhi("keys", "create", "--caller=editor", f"--roles=editor:{OWN}")
    KEYS["approver"] = fazhi("keys", "create", "--caller=approver", f"--roles=approver:{OWN}")
    keys = f"--keys_file={os.path.join(WORKDIR, 'keys.json')}"
    common = [keys, "--allow_plaintext", "--log_format=json"]
    for name in ("study", "report"):
        SERVERS[name] = server(name, common, db=harness.new_database(WORKDIR, name)).start()
    # The gateway logs errors only: its audit trail must not care.
    SERVERS["gateway"] = server("gateway", common + [
        "--log_level=error", f"--study_target={SERVERS['study'].target}",
        f"--duty_target=127.0.0.1:{harness.free_port()}",
        f"--report_target={SERVERS['report'].target}"]).start()


def timed_admin_call():
    """Seconds an admin's ListSessions took (it must succeed)."""
    with grpc.insecure_channel(SERVERS["study"].target) as channel:
        started = time.monotonic()
        study_stub(channel).ListSessions(st.ListSessionsRequest(parent=f"orgs/{OWN}"),
                                         metadata=md(KEYS["admin"]), timeout=CALL_DEADLINE)
        return time.monotonic() - started


class A_UnauthenticatedStreams(unittest.TestCase):
    def test_300_health_watchers_leave_calls_and_check_served(self):
        target = SERVERS["study"].target
        channels = [grpc.insecure_channel(target, options=OWN_CONNECTION) for _ in range(30)]
        streams = []
        try:
            for i in range(300):
                health = health_pb2_grpc.HealthStub(channels[i % len(channels)])
                streams.append(health.Watch(health_pb2.HealthCheckRequest(), timeout=60 * S))
            # Every watcher got its first answer: all 300 are open at once.
            first = [next(stream).status for stream in streams]
            self.assertEqual(set(first), {health_pb2.HealthCheckResponse.SERVING})
            took = timed_admin_call()
            print(f"\n  admin ListSessions with 300 watchers open: {took * 1000:.1f} ms", end=" ")
            self.assertLess(took, CALL_DEADLINE)
            with grpc.insecure_channel(target) as channel:
                reply = health_pb2_grpc.HealthStub(channel).Check(
                    health_pb2.HealthCheckRequest(), timeout=CALL_DEADLINE)
                self.assertEqual(reply.status, health_pb2.HealthCheckResponse.SERVING)
            # The gateway's web API likewise.
            status, _ = http("gateway", "GET", "/api/v1/whoami", key=KEYS["admin"])
            self.assertEqual(status, 200)
        finally:
            for stream in streams:
                stream.cancel()
            for channel in channels:
                channel.close()

    def test_watchers_per_connection_are_bounded(self):
        with grpc.insecure_channel(SERVERS["study"].target) as channel:
            health = health_pb2_grpc.HealthStub(channel)
            streams = [health.Watch(health_pb2.HealthCheckRequest(), timeout=30 * S)
                       for _ in range(40)]
            codes = []
            for stream in streams:
                try:
                    next(stream)
                    codes.append(C.OK)
                except grpc.RpcError as e:
                    codes.append(e.code())
            for stream in streams:
                stream.cancel()
        self.assertIn(C.RESOURCE_EXHAUSTED, codes)
        self.assertLessEqual(codes.count(C.OK), 16)

    def test_reflection_streams_are_bounded(self):
        target = SERVERS["study"].target
        channels = [grpc.insecure_channel(target, options=OWN_CONNECTION) for _ in range(20)]
        open_streams, refused = [], 0
        try:
            for i in range(100):
                stub = reflection_pb2_grpc.ServerReflectionStub(channels[i % len(channels)])
                requests = BlockingRequests()
                call = stub.ServerReflectionInfo(iter(requests), timeout=60 * S)
                requests.put(reflection_pb2.ServerReflectionRequest(list_services=""))
                try:
                    next(call)
                    open_streams.append((call, requests))
                except grpc.RpcError as e:
                    self.assertEqual(e.code(), C.CANCELLED, e.details())
                    refused += 1
            print(f"\n  reflection streams: {len(open_streams)} open, {refused} refused", end=" ")
            self.assertLessEqual(len(open_streams), 16)
            self.assertLess(timed_admin_call(), CALL_DEADLINE)
        finally:
            for call, requests in open_streams:
                requests.close()
                call.cancel()
            for channel in channels:
                channel.close()
        # Once closed, reflection works again.
        with grpc.insecure_channel(target) as channel:
            stub = reflection_pb2_grpc.ServerReflectionStub(channel)
            deadline = time.monotonic() + 10 * S
            while True:
                try:
                    replies = list(stub.ServerReflectionInfo(iter(
                        [reflection_pb2.ServerReflectionRequest(list_services="")]), timeout=10 * S))
                    break
                except grpc.RpcError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)
            self.assertTrue(replies[0].list_services_response.service)


class BlockingRequests:
    """A request iterator that waits for put() until close()."""

    def __init__(self):
        self._items, self._cond, self._closed = [], threading.Condition(), False

    def put(self, item):
        with self._cond:
            self._items.append(item)
            self._cond.notify()

    def close(self):
        with self._cond:
            self._closed = True
            self._cond.notify()

    def __iter__(self):
        return self

    def __next__(self):
        with self._cond:
            while not self._items and not self._closed:
                self._cond.wait()
            if self._items:
                return self._items.pop(0)
            raise StopIteration


def http(server, method, path, key=None, body=None, headers=None):
    """(status, body) of one HTTP request over a fresh connection."""
    status, _, body = harness.http_request(SERVERS[server].http_port, method, path, key=key,
                                           body=body, headers=headers, timeout=CALL_DEADLINE)
    return status, body


def raw_request(port, head, body_prefix=b""):
    """Sends the request head (and the start of a body) and reads the status
    line the server answers with, without sending the rest of the body.

    A server that refuses from the headers answers and closes while the body
    is still on its way: the reply is read before the body is sent (a reset
    caused by unread body bytes would discard it), and a refused send of the
    body is no failure."""
    with socket.create_connection(("127.0.0.1", port), timeout=CALL_DEADLINE) as s:
        s.sendall(head)
        reply = b""
        answered, _, _ = select.select([s], [], [], 1.0 * S)
        if not answered and body_prefix:
            try:
                s.sendall(body_prefix)
            except (BrokenPipeError, ConnectionResetError):
                pass
        try:
            while b"\r\n" not in reply:
                chunk = s.recv(4096)
                if not chunk:
                    break
                reply += chunk
        except ConnectionResetError:
            pass
        return int(reply.split(b" ", 2)[1]) if b" " in reply else None


class B_HttpLimits(unittest.TestCase):
    def head(self, path, extra):
        return (f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                f"{extra}\r\n").encode()

    def test_large_body_refused_before_reading(self):
        gateway = SERVERS["gateway"]
        size = 300 << 20
        status = raw_request(gateway.http_port,
                             self.head("/api/v1/compose", f"Content-Length: {size}\r\n"),
                             b"{" * (1 << 20))
        self.assertEqual(status, 413)
        # Sending it whole anyway: the server stops reading; memory stays flat.
        sent = 0
        with socket.create_connection(("127.0.0.1", gateway.http_port), timeout=5 * S) as s:
            s.sendall(self.head("/api/v1/compose", f"Content-Length: {size}\r\n"))
            chunk = b"A" * (1 << 20)
            try:
                while sent < size:
                    s.sendall(chunk)
                    sent += len(chunk)
            except OSError:
                pass
        peak = gateway.memory_kib("VmHWM")
        print(f"\n  300 MiB body: {sent >> 20} MiB accepted by the socket, gateway peak RSS "
              f"{peak / 1024:.1f} MB", end=" ")
        self.assertLess(peak, 100 * 1024)

    def test_gzip_bomb_refused(self):
        gateway = SERVERS["gateway"]
        compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # gzip framing
        zeros = bytes(1 << 20)
        bomb = b"".join(compressor.compress(zeros) for _ in range(1024)) + compressor.flush()
        self.assertGreater(len(bomb), 512 << 10)  # ~1 MiB inflating to 1 GiB
        status = raw_request(gateway.http_port, self.head(
            "/api/v1/compose", f"Content-Length: {len(bomb)}\r\nContent-Encoding: gzip\r\n"), bomb[:65536])
        self.assertEqual(status, 413)
        small = gzip.compress(bytes(64 << 20))[:60000]
        status = raw_request(gateway.http_port, self.head(
            "/api/v1/compose", f"Content-Length: {len(small)}\r\nContent-Encoding: gzip\r\n"), small)
        self.assertEqual(status, 415)
        peak = gateway.memory_kib("VmHWM")
        print(f"\n  gzip bomb: gateway peak RSS {peak / 1024:.1f} MB", end=" ")
        self.assertLess(peak, 100 * 1024)

    def test_chunked_and_lengthless_bodies_refused(self):
        port = SERVERS["gateway"].http_port
        self.assertEqual(raw_request(port, self.head("/api/v1/compose",
                                                     "Transfer-Encoding: chunked\r\n"), b"5\r\n"), 411)
        self.assertEqual(raw_request(port, self.head("/api/v1/compose", ""), b"{}"), 411)
        for name in ("study", "report"):
            status = raw_request(SERVERS[name].http_port,
                                 self.head("/healthz", f"Content-Length: {1 << 30}\r\n"))
            self.assertEqual(status, 413, name)

    def test_endless_header_line_refused_at_the_limit(self):
        for name in ("gateway", "study"):
            server = SERVERS[name]
            sent, reply = 0, b""
            with socket.create_connection(("127.0.0.1", server.http_port), timeout=5 * S) as s:
                s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Endless: ")
                chunk = b"a" * (1 << 20)
                try:
                    while sent < (300 << 20):
                        _, writable, _ = select.select([], [s], [], 2.0 * S)
                        if not writable:
                            break  # the server stopped reading
                        s.sendall(chunk)
                        sent += len(chunk)
                except OSError:
                    pass
                try:
                    while b"\r\n" not in reply:
                        part = s.recv(4096)
                        if not part:
                            break
                        reply += part
                except OSError:
                    pass
            peak = server.memory_kib("VmHWM")
            print(f"\n  {name}: endless header line, {sent >> 20} MiB taken by the socket, "
                  f"peak RSS {peak / 1024:.1f} MB", end=" ")
            self.assertTrue(reply.startswith(b"HTTP/1.1 431 "), reply[:200])
            self.assertLess(sent, 64 << 20)
            self.assertLess(peak, 100 * 1024)
            # And the side still serves.
            self.assertEqual(http(name, "GET", "/healthz"), (200, b"serving\n"))

    def test_slow_connections_do_not_stall_healthz(self):
        for name in ("gateway", "study"):
            port = SERVERS[name].http_port
            slow = []
            try:
                for _ in range(32):
                    s = socket.create_connection(("127.0.0.1", port), timeout=5 * S)
                    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # never finished
                    slow.append(s)
                started = time.monotonic()
                status, body = http(name, "GET", "/healthz")
                took = time.monotonic() - started
                print(f"\n  {name} /healthz with 32 slow connections: {took * 1000:.1f} ms", end=" ")
                self.assertEqual((status, body), (200, b"serving\n"))
                self.assertLess(took, 2 * S)
            finally:
                for s in slow:
                    s.close()


class C_Audit(unittest.TestCase):
    def test_refusals_naming_megabytes_are_audited_bounded(self):
        study = SERVERS["study"]
        db = os.path.join(WORKDIR, "study.db")
        before = os.path.getsize(db) + os.path.getsize(db + "-wal") if os.path.exists(db + "-wal") \
            else os.path.getsize(db)
        # 3 MiB of a three-byte character, after a one-byte prefix: a cut at
        # any fixed byte count splits a character unless it is made with care.
        name = f"orgs/{OWN}/sessions/x" + "中" * (1 << 20)
        with grpc.insecure_channel(study.target, options=[
                ("grpc.max_send_message_length", 8 << 20)]) as channel:
            stub = study_stub(channel)
            for _ in range(5):
                with self.assertRaises(grpc.RpcError) as caught:
                    stub.GetSession(st.GetSessionRequest(name=name), timeout=CALL_DEADLINE)
                self.assertEqual(caught.exception.code(), C.UNAUTHENTICATED)
            reply = stub.ListAuditRecords(audit_pb2.ListAuditRecordsRequest(
                parent="orgs/-", page_size=1000), metadata=md(KEYS["admin"]), timeout=CALL_DEADLINE)
        after = os.path.getsize(db) + (os.path.getsize(db + "-wal") if os.path.exists(db + "-wal") else 0)
        mine = [r for r in reply.audit_records if r.method == "GetSession"]
        self.assertGreaterEqual(len(mine), 5)
        for record in mine:
            self.assertLessEqual(len(record.resource.encode()), 512)
            self.assertTrue(record.resource.startswith(f"orgs/{OWN}/sessions/x中"))
            self.assertLessEqual(len(record.message.encode()), 500)
            self.assertEqual(record.org, "")  # no key: filed under no organization
        print(f"\n  study.db grew {(after - before) / 1024:.1f} KiB for 5 refusals of 3 MiB names",
              end=" ")
        self.assertLess(after - before, 1 << 20)

    def test_gateway_audits_at_error_level_and_never_fails_the_call(self):
        gateway = SERVERS["gateway"]
        name = "中" * (1 << 20)
        with grpc.insecure_channel(gateway.target, options=[
                ("grpc.max_send_message_length", 8 << 20)]) as channel:
            stub = gateway_pb2_grpc.AnnualReportServiceStub(channel)
            with self.assertRaises(grpc.RpcError) as caught:
                stub.ComposeReport(gw.ComposeReportRequest(org=name, year=2024),
                                   timeout=CALL_DEADLINE)
            self.assertEqual(caught.exception.code(), C.UNAUTHENTICATED)
        status, _ = http("gateway", "POST", "/api/v1/compose", body=b"{}",
                         headers={"Content-Type": "application/json"})
        self.assertEqual(status, 401)
        deadline = time.monotonic() + 5 * S
        while True:
            lines = [json.loads(line) for line in gateway.log_text().splitlines()
                     if line.startswith("{") and '"audit' in line]
            audits = [json.loads(line["msg"][len("audit "):]) for line in lines
                      if line["msg"].startswith("audit ")]
            if len(audits) >= 2 or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        methods = {a["method"] for a in audits}
        self.assertIn("ComposeReport", methods)
        self.assertIn("HTTP POST /api/v1/compose", methods)
        for line in lines:
            self.assertLess(len(line["msg"].encode()), 4096)


class D_Text(unittest.TestCase):
    def test_xml_forbidden_and_bidi_overrides_refused_naming_the_field(self):
        with grpc.insecure_channel(SERVERS["study"].target) as channel:
            stub = study_stub(channel)
            for bad in ("\uffff", "\ufffe", "\u202e", "\u2066", "\x0b"):
                session = st.Session(date=date_pb2.Date(year=2024, month=3, day=1),
                                     kind=st.STUDY_KIND_LEADERSHIP_GROUP,
                                     title=f"学法{bad}会议", duration_minutes=60, attendee_count=5,
                                     notes=f"备注{bad}")
                with self.assertRaises(grpc.RpcError) as caught:
                    stub.CreateSession(st.CreateSessionRequest(parent=f"orgs/{OWN}", session=session),
                                       metadata=md(KEYS["editor"]), timeout=CALL_DEADLINE)
                self.assertEqual(caught.exception.code(), C.INVALID_ARGUMENT, repr(bad))
                fields = harness.bad_request_fields(caught.exception)
                self.assertIn("session.title", fields, repr(bad))
                self.assertIn("session.notes", fields, repr(bad))



class G_Publish(unittest.TestCase):
    def test_direct_publish_by_an_approver_is_refused(self):
        # A "docx" that is HTML with a script, and its true SHA-256: only
        # the gateway's own composition may be published.
        import hashlib
        content = b"<html><script>alert(1)</script></html>"
        request = rp.PublishReportRequest(name=f"orgs/{OWN}/reports/2024", documents=[
            rp.DocumentUpload(format="docx", media_type="text/html", content=content,
                              sha256=hashlib.sha256(content).hexdigest())])
        with grpc.insecure_channel(SERVERS["report"].target) as channel:
            with self.assertRaises(grpc.RpcError) as caught:
                report_pb2_grpc.ReportServiceStub(channel).PublishReport(
                    request, metadata=md(KEYS["approver"]), timeout=CALL_DEADLINE)
        self.assertEqual(caught.exception.code(), C.PERMISSION_DENIED)
        self.assertIn("only from the gateway", caught.exception.details())


class E_SharedDatabase(unittest.TestCase):
    def check_second_service_refused(self, db, second="report",
                                     message="belongs to the study service"):
        keys = f"--keys_file={os.path.join(WORKDIR, 'keys.json')}"
        first = server("study", [keys, "--allow_plaintext"], db=db)
        first.start()
        try:
            refused = server(second, [keys, "--allow_plaintext"], db=db)
            with self.assertRaises(RuntimeError) as caught:
                refused.start()
            refused.stop()
            self.assertIn(message, str(caught.exception))
            self.assertNotEqual(refused.proc.returncode, 0)
            # The first keeps working.
            with grpc.insecure_channel(first.target) as channel:
                study_stub(channel).ListSessions(st.ListSessionsRequest(parent=f"orgs/{OWN}"),
                                                 metadata=md(KEYS["admin"]), timeout=CALL_DEADLINE)
        finally:
            first.stop()

    def test_second_service_on_one_sqlite_file_refused_at_start(self):
        self.check_second_service_refused(f"sqlite:{os.path.join(WORKDIR, 'shared.db')}")

    def test_second_instance_on_one_sqlite_file_refused_at_start(self):
        # One process writes a SQLite file: a second study server on the
        # same file would write behind the first one's kept read snapshots.
        db = f"sqlite:{os.path.join(WORKDIR, 'one-writer.db')}"
        self.check_second_service_refused(db, second="study", message="another process writes")
        # Stopped, the first leaves the file to the next server.
        keys = f"--keys_file={os.path.join(WORKDIR, 'keys.json')}"
        third = server("study", [keys, "--allow_plaintext"], db=db)
        third.start()
        third.stop()

    def test_second_service_on_one_postgres_database_refused_at_start(self):
        if not harness.postgres_url():
            self.skipTest("no PostgreSQL (run under scripts/with-postgres.sh)")
        self.check_second_service_refused(harness.new_database(WORKDIR, "shared", postgres=True))



class F_Smaller(unittest.TestCase):
    def test_dev_mode_checks_the_address_not_a_name_that_looks_like_one(self):
        for listen in (f"127.evil.example:{harness.free_port()}", f"0.0.0.0:{harness.free_port()}"):
            done = subprocess.run(
                [ARGS.study, f"--listen={listen}", "--http_listen=", "--insecure_dev_mode",
                 "--allow_plaintext", f"--db=sqlite:{os.path.join(WORKDIR, 'dev.db')}"],
                capture_output=True, timeout=30 * S)
            self.assertEqual(done.returncode, 2, done.stderr)
            self.assertIn(b"not a loopback address", done.stderr)

    def test_text_log_lines_cannot_be_forged(self):
        forged = "2026-01-01T00:00:00.000000Z E gateway [-] forged"
        gateway = server("gateway", ["--insecure_dev_mode", "--allow_plaintext", "--log_format=text",
                                     f"--study_target={SERVERS['study'].target}",
                                     f"--duty_target={SERVERS['study'].target}",
                                     f"--report_target={SERVERS['report'].target}"])
        gateway.start()
        try:
            with grpc.insecure_channel(gateway.target) as channel:
                with self.assertRaises(grpc.RpcError) as caught:
                    gateway_pb2_grpc.AnnualReportServiceStub(channel).ComposeReport(
                        gw.ComposeReportRequest(org=f"orgs/{OWN}", year=2024,
                                                formats=[f"x\n{forged}"]), timeout=CALL_DEADLINE)
                self.assertEqual(caught.exception.code(), C.INVALID_ARGUMENT)
        finally:
            gateway.stop()
        log = gateway.log_text()
        self.assertIn("x\\n" + forged, log)  # quoted, escaped, on the call's own line
        self.assertFalse([line for line in log.splitlines() if line.startswith(forged)])

    def test_keys_create_does_not_silently_replace_roles(self):
        env = dict(os.environ, FAZHI_KEYS_FILE=os.path.join(WORKDIR, "roles.json"))
        run = lambda *a: subprocess.run([ARGS.cli, "keys", "create", *a], env=env,
                                        capture_output=True, timeout=30)
        self.assertEqual(run("--caller=c", "--roles=reader:x").returncode, 0)
        self.assertEqual(run("--caller=c", "--roles=reader:x").returncode, 0)  # same roles
        refused = run("--caller=c", "--roles=admin:*")
        self.assertNotEqual(refused.returncode, 0)
        self.assertIn(b"--replace_roles", refused.stderr)
        self.assertEqual(run("--caller=c", "--roles=admin:*", "--replace_roles").returncode, 0)

    def test_keys_file_is_not_written_through_a_planted_link(self):
        path = os.path.join(WORKDIR, "linked.json")
        target = os.path.join(WORKDIR, "victim")
        with open(target, "w") as f:
            f.write("keep")
        os.symlink(target, path + ".tmp")
        done = subprocess.run([ARGS.cli, "keys", "create", "--caller=c", "--roles=reader:x"],
                              env=dict(os.environ, FAZHI_KEYS_FILE=path), capture_output=True,
                              timeout=30)
        self.assertNotEqual(done.returncode, 0)
        with open(target) as f:
            self.assertEqual(f.read(), "keep")


if __name__ == "__main__":
    sys.exit(harness.run_tests("hostile callers", UNITTEST_ARGV))
