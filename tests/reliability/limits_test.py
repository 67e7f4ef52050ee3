#!/usr/bin/env python3
"""Limits: what keeps a caller from exhausting a service, and what it sees.

Run through ctest (tests/reliability/CMakeLists.txt), or by hand:

  /usr/bin/python3 tests/reliability/limits_test.py --study build/bin/fazhi-study \
      --stubs build/tests/e2e/pystubs [-v]

Against the real fazhi-study binary (the limits live in services/common and
are the same in every service):

* --max_message_bytes: a larger request is refused with RESOURCE_EXHAUSTED
  before any handler runs;
* page size: at most 1000 records, and a page ends early at 1 MiB, so a
  list of large records still comes back in pages instead of failing;
* imports: at most 1000 rows per message; a stream of any length gets its
  report back (row results beyond 1 MiB are counted, not listed); a failed
  import's error arrives as itself with the counts of what was stored;
* --max_concurrent_streams: calls beyond it on one connection wait in the
  client while another connection is served;
* --max_threads: calls beyond the server's threads fail fast with
  RESOURCE_EXHAUSTED, and the server serves again once they are done.
"""

import os
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import harness  # noqa: E402


ARGS, UNITTEST_ARGV = harness.parse_args(__doc__, ("study",))

import grpc  # noqa: E402
from google.type import date_pb2  # noqa: E402

from fazhi.study.v1 import study_pb2 as pb  # noqa: E402
from fazhi.study.v1 import study_pb2_grpc  # noqa: E402
from fazhi.type.v1 import import_pb2  # noqa: E402

RPC_TIMEOUT = 60 * harness.SLOWDOWN
C = grpc.StatusCode
MiB = 1 << 20
WORKDIR = None
SERVER = None  # default limits


def study(label, *flags):
    server = harness.ServerProcess(ARGS.study, label, WORKDIR,
                                   db=harness.new_database(WORKDIR, label), extra_args=flags,
                                   stub_class=study_pb2_grpc.StudyServiceStub)
    return server.start_for_module()


def setUpModule():
    global WORKDIR, SERVER
    WORKDIR = harness.make_workdir("fazhi-limits-", keep=ARGS.keep)
    SERVER = study("study")


def tearDownModule():
    harness.stop_servers(SERVER)


def session(title, **fields):
    return pb.Session(title=title, date=date_pb2.Date(year=2024, month=3, day=1),
                      kind=pb.STUDY_KIND_ALL_STAFF, duration_minutes=60, **fields)


def attendees(count, tag):
    return [pb.Attendee(person_id=f"{tag}-{i}", display_name="张" * 60) for i in range(count)]


def import_detail(error):
    """The ImportReport in a failed import's status details."""
    status = harness.rich_status(error)
    for detail in status.details if status else ():
        if detail.Is(import_pb2.ImportReport.DESCRIPTOR):
            report = import_pb2.ImportReport()
            detail.Unpack(report)
            return report
    return None


class HeldStream:
    """A client-streaming import that sends one batch and then holds the
    call open (a handler thread blocked in Read) until released."""

    def __init__(self, stub, parent):
        self.release = threading.Event()

        def messages():
            yield pb.ImportSessionsRequest(parent=parent, sessions=[session("held")])
            self.release.wait(RPC_TIMEOUT)

        self.future = stub.ImportSessions.future(messages(), timeout=RPC_TIMEOUT)

    def done(self):
        self.release.set()
        try:
            return self.future.result()
        except grpc.RpcError as e:
            return e


class LimitsTest(harness.RpcTestCase):
    rpc_timeout = RPC_TIMEOUT

    @property
    def stub(self):
        return SERVER.stub()

    def test_request_over_max_message_bytes_is_refused(self):
        server = study("small-messages", "--max_message_bytes=65536")
        try:
            stub = server.stub()
            big = session("大", attendees=attendees(400, "a"))  # ~ 100 KB
            self.assertGreater(big.ByteSize(), 65536)
            error = self.assertRpcFails(C.RESOURCE_EXHAUSTED, stub.CreateSession,
                                        pb.CreateSessionRequest(parent="orgs/limits", session=big))
            self.assertIn("larger than max", error.details())
            small = session("小", attendees=attendees(100, "a"))
            self.assertLess(small.ByteSize(), 65536)
            stub.CreateSession(pb.CreateSessionRequest(parent="orgs/limits", session=small),
                               timeout=RPC_TIMEOUT)
        finally:
            harness.stop_servers(server)

    def test_page_size_is_bounded(self):
        error = self.assertRpcFails(C.INVALID_ARGUMENT, self.stub.ListSessions,
                                    pb.ListSessionsRequest(parent="orgs/limits", page_size=1001))
        self.assertInvalidFields(error, "page_size")
        self.stub.ListSessions(pb.ListSessionsRequest(parent="orgs/limits", page_size=1000),
                               timeout=RPC_TIMEOUT)

    def test_a_page_of_large_records_ends_early_instead_of_failing(self):
        # 25 sessions of ~190 KB: 4.7 MB in all, more than one 4 MiB message.
        parent = "orgs/limits-big"
        created = set()
        for i in range(25):
            created.add(self.stub.CreateSession(pb.CreateSessionRequest(
                parent=parent, session=session(f"大会 {i}", attendees=attendees(1000, i))),
                timeout=RPC_TIMEOUT).name)
        names, pages, token = [], [], ""
        while True:
            reply = self.stub.ListSessions(pb.ListSessionsRequest(
                parent=parent, page_size=1000, page_token=token), timeout=RPC_TIMEOUT)
            names.extend(s.name for s in reply.sessions)
            pages.append(reply.ByteSize())
            token = reply.next_page_token
            if not token:
                break
        self.assertEqual(sorted(names), sorted(created))
        self.assertGreater(len(pages), 1)
        self.assertTrue(all(p <= MiB + 200_000 for p in pages), pages)

    def test_import_rows_per_message_are_bounded(self):
        rows = [session(f"行 {i}") for i in range(1001)]
        with self.assertRaises(grpc.RpcError) as caught:
            self.stub.ImportSessions(iter([pb.ImportSessionsRequest(
                parent="orgs/limits-rows", sessions=rows)]), timeout=RPC_TIMEOUT)
        fields = self.assertInvalidFields(caught.exception, "sessions")
        self.assertIn("at most 1000 rows per message", fields["sessions"])

    def test_failed_import_reports_what_was_stored(self):
        # 1000 rejected rows (each with its field errors) and 500 stored,
        # then a message over the row limit: the error must arrive as
        # itself, with the counts, not as an over-long trailer.
        bad = [session("", external_id=f"bad-{i}") for i in range(1000)]
        good = [session(f"好 {i}") for i in range(500)]
        with self.assertRaises(grpc.RpcError) as caught:
            self.stub.ImportSessions(iter([
                pb.ImportSessionsRequest(parent="orgs/limits-fail", sessions=bad),
                pb.ImportSessionsRequest(sessions=good),
                pb.ImportSessionsRequest(sessions=[session("x")] * 1001)]), timeout=RPC_TIMEOUT)
        error = caught.exception
        self.assertEqual(error.code(), C.INVALID_ARGUMENT, error.details())
        report = import_detail(error)
        self.assertIsNotNone(report, "no ImportReport in the status details")
        self.assertEqual((report.batches_received, report.batches_committed), (3, 2))
        self.assertEqual((report.rows_stored, report.rows_rejected), (500, 1000))
        self.assertEqual((len(report.results), report.results_omitted), (0, 1000))
        stored = self.stub.ListSessions(pb.ListSessionsRequest(
            parent="orgs/limits-fail", page_size=1000), timeout=RPC_TIMEOUT)
        self.assertEqual(len(stored.sessions), 500)

    def test_a_long_import_stream_gets_its_report(self):
        # 80,000 rows with report_stored_rows: the results alone would be
        # ~4.4 MB, over the 4 MiB message limit.
        batches, rows = 80, 1000

        def messages():
            for b in range(batches):
                yield pb.ImportSessionsRequest(
                    parent="orgs/limits-long" if b == 0 else "", report_stored_rows=True,
                    sessions=[session(f"批 {b}-{i}", external_id=f"l-{b}-{i}")
                              for i in range(rows)])

        report = self.stub.ImportSessions(messages(), timeout=300)
        self.assertEqual((report.rows_stored, report.rows_rejected, report.batches_committed),
                         (batches * rows, 0, batches))
        self.assertEqual(len(report.results) + report.results_omitted, batches * rows)
        self.assertGreater(report.results_omitted, 0)
        self.assertLess(report.ByteSize(), MiB + 1000)

    def test_concurrent_streams_per_connection(self):
        server = study("streams", "--max_concurrent_streams=2")
        try:
            held = [HeldStream(server.stub(), f"orgs/limits-held{i}") for i in range(2)]
            time.sleep(0.5 * harness.SLOWDOWN)  # both streams open on the server
            request = pb.ListSessionsRequest(parent="orgs/limits-held0")
            # A third call on the same connection waits for a free stream…
            self.assertRpcFails(C.DEADLINE_EXCEEDED, server.stub().ListSessions, request,
                                timeout=1.5)
            # …while another connection is served.
            other = harness.open_channel(server.target,
                                         options=[("grpc.use_local_subchannel_pool", 1)])
            study_pb2_grpc.StudyServiceStub(other).ListSessions(request,
                                                                timeout=5 * harness.SLOWDOWN)
            other.close()
            for h in held:
                result = h.done()
                self.assertNotIsInstance(result, grpc.RpcError)
                self.assertEqual(result.rows_stored, 1)
            server.stub().ListSessions(request, timeout=5 * harness.SLOWDOWN)
        finally:
            harness.stop_servers(server)

    def test_calls_beyond_the_thread_quota_fail_fast(self):
        server = study("threads", "--max_threads=8")
        try:
            held = [HeldStream(server.stub(), f"orgs/limits-t{i}") for i in range(16)]
            time.sleep(1.5 * harness.SLOWDOWN)
            # The calls that found no thread are already over, refused.
            refused = [h.done() for h in held if h.future.done()]
            served = [h.done() for h in held if not h.future.done()]
            self.assertTrue(refused, "every held call got a thread")
            self.assertTrue(served, "no held call got a thread")
            for e in refused:
                self.assertIsInstance(e, grpc.RpcError)
                self.assertEqual(e.code(), C.RESOURCE_EXHAUSTED, e.details())
            for result in served:
                self.assertNotIsInstance(result, grpc.RpcError)
            # Done: the server serves again.
            server.stub().ListSessions(pb.ListSessionsRequest(parent="orgs/limits-t0"),
                                       timeout=5 * harness.SLOWDOWN)
            print(f"\n    --max_threads=8: {len(served)} of 16 held streams served, "
                  f"{len(refused)} refused at once: {refused[0].details()!r}", file=sys.stderr)
        finally:
            harness.stop_servers(server)


if __name__ == "__main__":
    harness.run_tests("limits", UNITTEST_ARGV)
