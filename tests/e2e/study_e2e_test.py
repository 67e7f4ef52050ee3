#!/usr/bin/env python3
"""End-to-end test of fazhi-study: starts the real binary and drives it over gRPC.

Run through ctest (tests/e2e/CMakeLists.txt), or by hand:

  /usr/bin/python3 tests/e2e/study_e2e_test.py \
      --binary build/bin/fazhi-study --stubs build/tests/e2e/pystubs [-v] [Class.test_name]

Stubs, servers, stores and the work folder: see harness.py.
"""

import concurrent.futures
import json
import random
import signal
import time

import harness


ARGS, UNITTEST_ARGV = harness.parse_args(__doc__, binary="study", postgres=True)

import grpc  # noqa: E402
from google.protobuf import empty_pb2  # noqa: E402
from google.protobuf import field_mask_pb2  # noqa: E402
from google.rpc import code_pb2  # noqa: E402
from google.type import date_pb2  # noqa: E402
from grpc.health.v1 import health_pb2  # noqa: E402
from grpc.health.v1 import health_pb2_grpc  # noqa: E402

from fazhi.study.v1 import study_pb2 as pb  # noqa: E402
from fazhi.study.v1 import study_pb2_grpc  # noqa: E402
from fazhi.type.v1 import import_pb2  # noqa: E402

RPC_TIMEOUT = 10 * harness.SLOWDOWN  # seconds, every call
STOP_TIMEOUT = harness.STOP_TIMEOUT
SERVICE_NAME = "fazhi.study.v1.StudyService"
C = grpc.StatusCode

WORKDIR = None  # temporary folder of this run
SERVER = None  # the server most tests share


# --------------------------------------------------------------------------
# The server process.


def new_database(label):
    """A SQLite file in the work folder, or a fresh PostgreSQL database with --postgres."""
    return harness.new_database(WORKDIR, label, postgres=ARGS.postgres)


def study_server(db_url, label):
    """One fazhi-study process on a free port, over a given database."""
    return harness.ServerProcess(ARGS.binary, label, WORKDIR, db=db_url, http=True,
                                 stub_class=study_pb2_grpc.StudyServiceStub)


def setUpModule():
    global WORKDIR, SERVER
    WORKDIR = harness.make_workdir("fazhi-e2e-", keep=ARGS.keep)
    SERVER = study_server(new_database("study"), "study").start_for_module()


def tearDownModule():
    """Stops the shared server the way an orchestrator would: SIGTERM."""
    harness.stop_servers(SERVER)


# --------------------------------------------------------------------------
# Helpers.


def date(y, m, d):
    return date_pb2.Date(year=y, month=m, day=d)


def date_key(d):
    return (d.year, d.month, d.day)


def session(title, on, kind=pb.STUDY_KIND_ALL_STAFF, minutes=60, **fields):
    return pb.Session(title=title, date=on, kind=kind, duration_minutes=minutes, **fields)


class E2ETestCase(harness.RpcTestCase):
    rpc_timeout = RPC_TIMEOUT

    @property
    def stub(self):
        return SERVER.stub()

    def list_all(self, parent, **filters):
        """Every session of `parent`, following page tokens."""
        sessions, token = [], ""
        for _ in range(100):
            reply = self.stub.ListSessions(
                pb.ListSessionsRequest(parent=parent, page_size=1000, page_token=token, **filters),
                timeout=RPC_TIMEOUT)
            sessions.extend(reply.sessions)
            token = reply.next_page_token
            if not token:
                return sessions
        self.fail("ListSessions never ended")

    def import_sessions(self, messages):
        return self.stub.ImportSessions(iter(messages), timeout=RPC_TIMEOUT)


# --------------------------------------------------------------------------
# Tests.


class HealthTest(E2ETestCase):

    def setUp(self):
        self.health = health_pb2_grpc.HealthStub(SERVER.channel)

    def test_server_and_service_serving(self):
        for service in ("", SERVICE_NAME):
            self.assertEqual(harness.health_status(SERVER.channel, service, RPC_TIMEOUT), "SERVING",
                             service)

    def test_unknown_service_not_found(self):
        self.assertRpcFails(C.NOT_FOUND, self.health.Check,
                            health_pb2.HealthCheckRequest(service="fazhi.nope.v1.NoService"))


class HttpSideTest(E2ETestCase):

    def get(self, path):
        status, _, body = harness.http_request(SERVER.http_port, "GET", path, timeout=5)
        return status, body.decode("utf-8")

    def test_healthz(self):
        self.assertEqual(self.get("/healthz"), (200, "serving\n"))

    def test_metrics_count_calls_by_method_and_code(self):
        self.assertRpcFails(C.NOT_FOUND, self.stub.GetSession,
                            pb.GetSessionRequest(name="orgs/e2e-metrics/sessions/none"))
        status, text = self.get("/metrics")
        self.assertEqual(status, 200)
        self.assertRegex(text, r'fazhi_rpc_requests_total\{service="study",method="GetSession",'
                               r'code="NOT_FOUND"\} [1-9]')
        self.assertIn('fazhi_rpc_duration_seconds_bucket{service="study",method="GetSession",le="+Inf"}',
                      text)


class ReflectionTest(E2ETestCase):

    def test_lists_services(self):
        names = harness.listed_services(SERVER.channel, RPC_TIMEOUT)
        self.assertIn(SERVICE_NAME, names)
        self.assertIn("grpc.health.v1.Health", names)


class RequestIdTest(E2ETestCase):

    def test_request_id_generated(self):
        _, call = self.stub.ListSessions.with_call(
            pb.ListSessionsRequest(parent="orgs/e2e-reqid"), timeout=RPC_TIMEOUT)
        headers = dict(call.initial_metadata())
        self.assertIn("x-request-id", headers)
        self.assertRegex(headers["x-request-id"], r"^[0-9a-f]{16}$")

    def test_request_id_echoed(self):
        _, call = self.stub.ListSessions.with_call(
            pb.ListSessionsRequest(parent="orgs/e2e-reqid"),
            metadata=(("x-request-id", "e2e-echo-0001"),), timeout=RPC_TIMEOUT)
        self.assertEqual(dict(call.initial_metadata()).get("x-request-id"), "e2e-echo-0001")

    def test_unusable_request_id_replaced(self):
        for sent in ("has spaces", "x" * 65):
            _, call = self.stub.ListSessions.with_call(
                pb.ListSessionsRequest(parent="orgs/e2e-reqid"),
                metadata=(("x-request-id", sent),), timeout=RPC_TIMEOUT)
            self.assertRegex(dict(call.initial_metadata()).get("x-request-id", ""),
                             r"^[0-9a-f]{16}$", sent)

    def test_request_id_on_errors_and_in_json_log(self):
        error = self.assertRpcFails(
            C.NOT_FOUND, self.stub.GetSession,
            pb.GetSessionRequest(name="orgs/e2e-reqid/sessions/0000000000000000"),
            metadata=(("x-request-id", "e2e-log-probe-42"),))
        self.assertEqual(dict(error.initial_metadata()).get("x-request-id"), "e2e-log-probe-42")
        # --log_format=json: the call's log line carries the request id.
        deadline = time.monotonic() + 5
        while True:
            records = []
            for line in SERVER.log_text().splitlines():
                if line.startswith("{"):
                    records.append(json.loads(line))
            mine = [r for r in records if r.get("request_id") == "e2e-log-probe-42"]
            if mine or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        self.assertTrue(mine, "no JSON log line with request_id e2e-log-probe-42")
        self.assertIn("GetSession", mine[-1]["msg"])
        self.assertEqual(mine[-1]["service"], "study")


class SessionCrudTest(E2ETestCase):
    PARENT = "orgs/e2e-org"

    def test_create_get_update_delete(self):
        draft = pb.Session(
            date=date(2024, 3, 15), kind=pb.STUDY_KIND_LEADERSHIP_GROUP,
            title="党组会议学法：民法典与行政处罚法", laws=["民法典", "《行政处罚法》"],
            duration_minutes=75, location="三楼会议室",
            attendees=[pb.Attendee(person_id="p-001", display_name="张局长", is_head=True),
                       pb.Attendee(person_id="p-002", display_name="李副局长")],
            attendee_count=9, external_id="oa-2024-031", evidence=["minutes/2024-03-15.pdf"],
            notes="第一季度")
        created = self.stub.CreateSession(
            pb.CreateSessionRequest(parent=self.PARENT, session=draft), timeout=RPC_TIMEOUT)

        self.assertRegex(created.name, r"^orgs/e2e-org/sessions/[0-9a-f]{20}$")
        self.assertTrue(created.etag)
        self.assertTrue(created.HasField("create_time"))
        self.assertEqual(created.create_time, created.update_time)
        self.assertEqual(list(created.laws), ["民法典", "行政处罚法"])  # 《》 stripped
        self.assertTrue(created.head_attended)  # an attendee is_head
        expected = pb.Session()
        expected.CopyFrom(draft)
        del expected.laws[:]
        expected.laws.extend(["民法典", "行政处罚法"])
        expected.head_attended = True
        expected.name = created.name
        expected.etag = created.etag
        expected.create_time.CopyFrom(created.create_time)
        expected.update_time.CopyFrom(created.update_time)
        self.assertEqual(created, expected)

        got = self.stub.GetSession(pb.GetSessionRequest(name=created.name), timeout=RPC_TIMEOUT)
        self.assertEqual(got, created)
        self.assertEqual([s.name for s in self.list_all(self.PARENT)], [created.name])

        # Update one field under the current etag.
        updated = self.stub.UpdateSession(
            pb.UpdateSessionRequest(
                session=pb.Session(name=created.name, etag=created.etag, title="新标题",
                                   duration_minutes=1),  # not in the mask: ignored
                update_mask=field_mask_pb2.FieldMask(paths=["title"])),
            timeout=RPC_TIMEOUT)
        self.assertEqual(updated.title, "新标题")
        self.assertNotEqual(updated.etag, created.etag)
        self.assertEqual(updated.create_time, created.create_time)
        self.assertGreaterEqual(updated.update_time.ToNanoseconds(),
                                created.update_time.ToNanoseconds())
        kept = pb.Session()
        kept.CopyFrom(updated)
        kept.title = created.title
        kept.etag = created.etag
        kept.update_time.CopyFrom(created.update_time)
        self.assertEqual(kept, created, "fields outside the mask changed")
        self.assertEqual(
            self.stub.GetSession(pb.GetSessionRequest(name=created.name), timeout=RPC_TIMEOUT),
            updated)

        # The old etag is stale now.
        self.assertRpcFails(
            C.ABORTED, self.stub.UpdateSession,
            pb.UpdateSessionRequest(
                session=pb.Session(name=created.name, etag=created.etag, title="过期的写"),
                update_mask=field_mask_pb2.FieldMask(paths=["title"])))
        self.assertRpcFails(C.ABORTED, self.stub.DeleteSession,
                            pb.DeleteSessionRequest(name=created.name, etag=created.etag))
        self.assertEqual(
            self.stub.GetSession(pb.GetSessionRequest(name=created.name), timeout=RPC_TIMEOUT),
            updated)

        reply = self.stub.DeleteSession(
            pb.DeleteSessionRequest(name=created.name, etag=updated.etag), timeout=RPC_TIMEOUT)
        self.assertEqual(reply, empty_pb2.Empty())
        self.assertRpcFails(C.NOT_FOUND, self.stub.GetSession,
                            pb.GetSessionRequest(name=created.name))
        self.assertRpcFails(C.NOT_FOUND, self.stub.DeleteSession,
                            pb.DeleteSessionRequest(name=created.name))
        self.assertEqual(self.list_all(self.PARENT), [])


class ValidationTest(E2ETestCase):
    PARENT = "orgs/e2e-val"

    def test_invalid_session_names_every_field(self):
        bad = pb.Session(title="", date=date(2024, 2, 30), duration_minutes=-5, kind=99)
        error = self.assertRpcFails(C.INVALID_ARGUMENT, self.stub.CreateSession,
                                    pb.CreateSessionRequest(parent=self.PARENT, session=bad))
        self.assertInvalidFields(error, "session.title", "session.date",
                                 "session.duration_minutes", "session.kind")
        self.assertEqual(self.list_all(self.PARENT), [])

    def test_page_size_too_large(self):
        error = self.assertRpcFails(C.INVALID_ARGUMENT, self.stub.ListSessions,
                                    pb.ListSessionsRequest(parent=self.PARENT, page_size=5000))
        self.assertInvalidFields(error, "page_size")

    def test_garbage_page_token(self):
        for token in ("garbage", "not a token!", "cDEfZm9v"):
            error = self.assertRpcFails(
                C.INVALID_ARGUMENT, self.stub.ListSessions,
                pb.ListSessionsRequest(parent=self.PARENT, page_token=token))
            self.assertInvalidFields(error, "page_token")

    def test_bad_parent(self):
        error = self.assertRpcFails(
            C.INVALID_ARGUMENT, self.stub.CreateSession,
            pb.CreateSessionRequest(parent="Orgs/BAD",
                                    session=session("标题", date(2024, 5, 1))))
        self.assertInvalidFields(error, "parent")
        error = self.assertRpcFails(C.INVALID_ARGUMENT, self.stub.ListSessions,
                                    pb.ListSessionsRequest(parent="Orgs/BAD"))
        self.assertInvalidFields(error, "parent")

    def test_invalid_utf8_title(self):
        parent = "orgs/e2e-utf8"
        request = pb.CreateSessionRequest(
            parent=parent, session=session("QZ", date(2024, 5, 1), notes="x"))
        good = request.SerializeToString()
        self.assertEqual(good.count(b"QZ"), 1)
        raw = good.replace(b"QZ", b"\xff\xfe")  # same length: the framing stays right
        create = SERVER.channel.unary_unary("/fazhi.study.v1.StudyService/CreateSession",
                                            request_serializer=None, response_deserializer=None)
        with self.assertRaises(grpc.RpcError) as caught:
            create(raw, timeout=RPC_TIMEOUT)
        # The C++ parser rejects it before any handler runs; the server turns
        # that into the same INVALID_ARGUMENT a bad field gets, naming it.
        self.assertEqual(caught.exception.code(), C.INVALID_ARGUMENT)
        self.assertInvalidFields(caught.exception, "session.title")
        self.assertEqual(self.list_all(parent), [])
        # And the server still works.
        self.stub.CreateSession(request, timeout=RPC_TIMEOUT)
        self.assertEqual(len(self.list_all(parent)), 1)


class PagingTest(E2ETestCase):
    PARENT = "orgs/e2e-page"

    def test_pages_cover_everything_in_order(self):
        # 23 sessions over 21 dates of 2024; three share 2024-04-10, which
        # falls on the boundary of the first and second page, so the keyset
        # (date, name) has to break the tie.
        dates = [date(2024, 1 + i // 2, 5 + (i % 2) * 10) for i in range(20)]
        dates = dates[:9] + [date(2024, 4, 10)] * 3 + dates[9:]
        self.assertEqual(len(dates), 23)
        order = list(range(23))
        random.Random(23).shuffle(order)
        created = []
        for i in order:
            created.append(self.stub.CreateSession(
                pb.CreateSessionRequest(parent=self.PARENT,
                                        session=session(f"分页 {i:02d}", dates[i])),
                timeout=RPC_TIMEOUT))
        expected = [s.name for s in sorted(created, key=lambda s: (date_key(s.date), s.name))]

        pages, token = [], ""
        while True:
            reply = self.stub.ListSessions(
                pb.ListSessionsRequest(parent=self.PARENT, year=2024, page_size=10,
                                       page_token=token), timeout=RPC_TIMEOUT)
            pages.append([s.name for s in reply.sessions])
            token = reply.next_page_token
            if not token or len(pages) > 5:
                break
        self.assertEqual([len(p) for p in pages], [10, 10, 3])
        self.assertEqual([n for p in pages for n in p], expected)

        # A token only works for the query it was issued for.
        first = self.stub.ListSessions(
            pb.ListSessionsRequest(parent=self.PARENT, year=2024, page_size=10),
            timeout=RPC_TIMEOUT)
        self.assertTrue(first.next_page_token)
        error = self.assertRpcFails(
            C.INVALID_ARGUMENT, self.stub.ListSessions,
            pb.ListSessionsRequest(parent=self.PARENT, year=2023, page_size=10,
                                   page_token=first.next_page_token))
        self.assertInvalidFields(error, "page_token")
        error = self.assertRpcFails(
            C.INVALID_ARGUMENT, self.stub.ListSessions,
            pb.ListSessionsRequest(parent="orgs/e2e-page-other", year=2024, page_size=10,
                                   page_token=first.next_page_token))
        self.assertInvalidFields(error, "page_token")
        # Page size may change between pages.
        rest = self.stub.ListSessions(
            pb.ListSessionsRequest(parent=self.PARENT, year=2024, page_size=100,
                                   page_token=first.next_page_token), timeout=RPC_TIMEOUT)
        self.assertEqual([s.name for s in rest.sessions], expected[10:])
        self.assertEqual(rest.next_page_token, "")


class IdempotencyTest(E2ETestCase):
    PARENT = "orgs/e2e-idem"

    def test_request_id_and_session_id(self):
        request = pb.CreateSessionRequest(
            parent=self.PARENT, session=session("会前学法", date(2024, 6, 3), pb.STUDY_KIND_PRE_MEETING),
            request_id="e2e-req-0001")
        first = self.stub.CreateSession(request, timeout=RPC_TIMEOUT)
        retry = self.stub.CreateSession(request, timeout=RPC_TIMEOUT)
        self.assertEqual(retry.name, first.name)
        self.assertEqual(retry, first)
        self.assertEqual([s.name for s in self.list_all(self.PARENT)], [first.name])

        changed = pb.CreateSessionRequest()
        changed.CopyFrom(request)
        changed.session.title = "会前学法（改）"
        self.assertRpcFails(C.ALREADY_EXISTS, self.stub.CreateSession, changed)
        self.assertEqual(len(self.list_all(self.PARENT)), 1)

        chosen = pb.CreateSessionRequest(
            parent=self.PARENT, session=session("专题讲座", date(2024, 6, 4), pb.STUDY_KIND_LECTURE),
            session_id="lecture-2024-06")
        made = self.stub.CreateSession(chosen, timeout=RPC_TIMEOUT)
        self.assertEqual(made.name, "orgs/e2e-idem/sessions/lecture-2024-06")
        self.assertRpcFails(C.ALREADY_EXISTS, self.stub.CreateSession, chosen)
        self.assertEqual(len(self.list_all(self.PARENT)), 2)


class ImportTest(E2ETestCase):
    PARENT = "orgs/e2e-imp"

    def test_import_mixed_rows(self):
        def row(title, on, ext=""):
            return session(title, on, external_id=ext, attendee_count=20)

        batches = [
            [row("导入 0", date(2024, 1, 8), "imp-1"),
             row("", date(2024, 1, 9), "imp-2"),                  # row 1: no title
             row("导入 2", date(2024, 1, 10), "imp-3")],
            [row("导入 3", date(2024, 13, 1), "imp-4"),           # row 3: bad date
             row("导入 4", date(2024, 2, 1), "imp-5"),
             row("导入 5", date(2024, 2, 2), "imp-1")],           # row 5: duplicate
            [row("导入 6", date(2024, 3, 1)),
             row("导入 7", date(2024, 3, 2), "imp-7"),
             row(" ", date(2023, 2, 29), "imp-8")],               # row 8: two bad fields
        ]
        messages = [pb.ImportSessionsRequest(parent=self.PARENT if i == 0 else "", sessions=rows)
                    for i, rows in enumerate(batches)]
        report = self.import_sessions(messages)

        self.assertEqual(report.rows_received, 9)
        self.assertEqual(report.rows_stored, 5)
        self.assertEqual(report.rows_rejected, 4)
        self.assertEqual(report.batches_received, 3)
        self.assertEqual(report.batches_committed, 3)
        self.assertFalse(report.validate_only)
        results = {r.row: r for r in report.results}
        self.assertEqual(sorted(results), [1, 3, 5, 8], "results are for the rejected rows only")
        fields = {r.row: sorted(e.field for e in r.field_errors) for r in report.results}
        self.assertEqual(results[1].code, code_pb2.INVALID_ARGUMENT)
        self.assertEqual(fields[1], ["title"])
        self.assertEqual((results[1].batch, results[1].external_id), (0, "imp-2"))
        self.assertEqual(results[3].code, code_pb2.INVALID_ARGUMENT)
        self.assertEqual(fields[3], ["date"])
        self.assertEqual(results[3].batch, 1)
        self.assertEqual(results[5].code, code_pb2.ALREADY_EXISTS)
        self.assertEqual((results[5].batch, results[5].external_id), (1, "imp-1"))
        self.assertEqual(results[8].code, code_pb2.INVALID_ARGUMENT)
        self.assertEqual(fields[8], ["date", "title"])
        self.assertEqual(results[8].batch, 2)
        for r in report.results:
            self.assertEqual(r.name, "")

        stored = self.list_all(self.PARENT)
        self.assertEqual([s.title for s in stored], ["导入 0", "导入 2", "导入 4", "导入 6", "导入 7"])
        self.assertEqual([s.external_id for s in stored], ["imp-1", "imp-3", "imp-5", "", "imp-7"])
        by_ext = {s.external_id: s for s in stored}

        # UPSERT replaces the row with the same external_id, in place.
        report = self.import_sessions([pb.ImportSessionsRequest(
            parent=self.PARENT, mode=import_pb2.IMPORT_MODE_UPSERT, report_stored_rows=True,
            sessions=[row("导入 0（更正）", date(2024, 1, 8), "imp-1"),
                      row("导入 9", date(2024, 3, 9), "imp-9")])])
        self.assertEqual((report.rows_received, report.rows_stored, report.rows_rejected),
                         (2, 2, 0))
        results = {r.row: r for r in report.results}
        self.assertEqual(sorted(results), [0, 1])
        self.assertEqual(results[0].code, code_pb2.OK)
        self.assertTrue(results[0].replaced)
        self.assertEqual(results[0].name, by_ext["imp-1"].name)
        self.assertFalse(results[1].replaced)
        self.assertRegex(results[1].name, r"^orgs/e2e-imp/sessions/[0-9a-f]{20}$")
        replaced = self.stub.GetSession(pb.GetSessionRequest(name=by_ext["imp-1"].name),
                                        timeout=RPC_TIMEOUT)
        self.assertEqual(replaced.title, "导入 0（更正）")
        self.assertNotEqual(replaced.etag, by_ext["imp-1"].etag)
        self.assertEqual(replaced.create_time, by_ext["imp-1"].create_time)
        self.assertEqual(len(self.list_all(self.PARENT)), 6)

        # CREATE_ONLY (the default) leaves an existing external_id alone.
        report = self.import_sessions([pb.ImportSessionsRequest(
            parent=self.PARENT, sessions=[row("导入 3 again", date(2024, 1, 10), "imp-3")])])
        self.assertEqual((report.rows_stored, report.rows_rejected), (0, 1))
        self.assertEqual(report.results[0].code, code_pb2.ALREADY_EXISTS)

        # validate_only checks and reports, and stores nothing.
        before = self.list_all(self.PARENT)
        report = self.import_sessions([pb.ImportSessionsRequest(
            parent=self.PARENT, validate_only=True,
            sessions=[row("只校验 1", date(2024, 4, 1), "val-1"),
                      row("只校验 2", date(2024, 4, 2), "val-2"),
                      row("只校验 3", date(2024, 4, 31), "val-3")])])
        self.assertTrue(report.validate_only)
        self.assertEqual((report.rows_received, report.rows_stored, report.rows_rejected),
                         (3, 0, 1))
        self.assertEqual(report.batches_committed, 0)
        self.assertEqual([(r.row, [e.field for e in r.field_errors]) for r in report.results],
                         [(2, ["date"])])
        self.assertEqual(self.list_all(self.PARENT), before)

    def test_import_without_parent_fails(self):
        error = self.assertRpcFails(
            C.INVALID_ARGUMENT, self.stub.ImportSessions,
            iter([pb.ImportSessionsRequest(sessions=[session("x", date(2024, 1, 1))])]))
        self.assertInvalidFields(error, "parent")


class SummaryTest(E2ETestCase):
    ORG = "orgs/e2e-sum"
    LG, ALL, OATH = (pb.STUDY_KIND_LEADERSHIP_GROUP, pb.STUDY_KIND_ALL_STAFF,
                     pb.STUDY_KIND_CONSTITUTIONAL_OATH)

    @classmethod
    def setUpClass(cls):
        stub = SERVER.stub()
        leaders = [pb.Attendee(person_id="h-1", display_name="王书记", is_head=True),
                   pb.Attendee(person_id="d-2", display_name="赵副局长"),
                   pb.Attendee(person_id="d-3", display_name="钱副局长")]
        sessions = [
            # Leadership-group study in Q1, Q2 and Q4 only: 60 min, 3 named.
            session("党组学法 一季度", date(2024, 2, 6), cls.LG, 60, attendees=leaders,
                    laws=["宪法", "民法典"]),
            session("党组学法 二季度", date(2024, 5, 7), cls.LG, 60, attendees=leaders,
                    laws=["《民法典》"]),
            session("党组学法 四季度", date(2024, 11, 5), cls.LG, 60, attendees=leaders,
                    laws=["行政复议法", "行政处罚法"]),
            # Constitutional oath, three named takers.
            session("宪法宣誓", date(2024, 1, 12), cls.OATH, 30, laws=["宪法"],
                    attendees=[pb.Attendee(person_id="s-1", display_name="孙"),
                               pb.Attendee(person_id="s-2", display_name="周"),
                               pb.Attendee(person_id="s-3", display_name="吴")]),
            # Outside the year: must not count.
            session("党组学法 次年", date(2025, 1, 3), cls.LG, 60, attendees=leaders,
                    laws=["宪法"]),
        ]
        # All staff, once a month, 90 minutes, 40 people.
        for month in range(1, 13):
            sessions.append(session(f"集中学法 {month} 月", date(2024, month, 20), cls.ALL, 90,
                                    attendee_count=40,
                                    laws=["民法典"] if month % 2 else ["安全生产法"]))
        report = stub.ImportSessions(
            iter([pb.ImportSessionsRequest(parent=cls.ORG, sessions=sessions[:8]),
                  pb.ImportSessionsRequest(sessions=sessions[8:])]), timeout=RPC_TIMEOUT)
        assert (report.rows_stored, report.rows_rejected) == (len(sessions), 0), report

        events = [
            pb.PublicityEvent(date=date(2024, 12, 4), kind=pb.PUBLICITY_KIND_CONSTITUTION_DAY,
                              title="国家宪法日宣传", place="尧山广场", laws=["宪法"],
                              display_boards=6, leaflets=500, people_reached=300,
                              consultations=20),
            pb.PublicityEvent(date=date(2024, 6, 12), kind=pb.PUBLICITY_KIND_SERVICE_SITE,
                              title="普法进救助站", place="县救助站", laws=["民法典"],
                              display_boards=2, leaflets=100, people_reached=50,
                              consultations=5),
            pb.PublicityEvent(date=date(2024, 9, 10), kind=pb.PUBLICITY_KIND_SERVICE_SITE,
                              title="普法进救助站（二）", place="县救助站", laws=["反家庭暴力法"],
                              display_boards=1, leaflets=60, people_reached=30,
                              consultations=3),
            pb.PublicityEvent(date=date(2024, 3, 8), kind=pb.PUBLICITY_KIND_SERVICE_SITE,
                              title="婚姻登记处普法", place="婚姻登记处",
                              laws=["民法典", "《反家庭暴力法》"],
                              display_boards=1, leaflets=80, people_reached=40,
                              consultations=8),
        ]
        report = stub.ImportPublicityEvents(
            iter([pb.ImportPublicityEventsRequest(parent=cls.ORG, publicity_events=events)]),
            timeout=RPC_TIMEOUT)
        assert (report.rows_stored, report.rows_rejected) == (4, 0), report

        cls.plan = stub.UpdateStudyPlan(pb.UpdateStudyPlanRequest(
            allow_missing=True,
            study_plan=pb.StudyPlan(
                name="orgs/e2e-sum/studyPlans/2024", adopted_date=date(2024, 1, 5),
                title="2024 年度学法计划", eligible_staff=4,
                planned_laws=["民法典", "《宪法》", "长江保护法"],
                rules=[pb.StudyRule(kind=cls.LG, period=pb.RULE_PERIOD_QUARTER, min_sessions=1),
                       pb.StudyRule(kind=cls.ALL, period=pb.RULE_PERIOD_MONTH,
                                    min_sessions=1)])), timeout=RPC_TIMEOUT)

    def test_plan_created(self):
        self.assertEqual(self.plan.name, "orgs/e2e-sum/studyPlans/2024")
        self.assertEqual(list(self.plan.planned_laws), ["民法典", "宪法", "长江保护法"])
        got = self.stub.GetStudyPlan(pb.GetStudyPlanRequest(name=self.plan.name),
                                     timeout=RPC_TIMEOUT)
        self.assertEqual(got, self.plan)

    def test_summary_2024(self):
        s = self.stub.GetStudySummary(pb.GetStudySummaryRequest(org=self.ORG, year=2024),
                                      timeout=RPC_TIMEOUT)
        self.assertEqual(s.org, self.ORG)
        self.assertEqual(s.year, 2024)
        self.assertEqual(s.as_of, date(2024, 12, 31))  # a past year: its last day

        # 3 leadership + 12 all-staff + 1 oath.
        self.assertEqual(s.total_sessions, 16)
        self.assertEqual(s.total_minutes, 3 * 60 + 12 * 90 + 30)
        staff_minutes = 3 * 60 * 3 + 12 * 90 * 40 + 30 * 3  # = 43830
        self.assertEqual(s.staff_minutes, staff_minutes)
        self.assertAlmostEqual(s.staff_hours, 730.5)
        self.assertEqual(s.head_attended_sessions, 3)

        by_kind = [(k.kind, k.sessions, k.minutes, k.staff_minutes, list(k.sessions_by_quarter),
                    k.head_attended_sessions) for k in s.by_kind]
        self.assertEqual(by_kind, [
            (self.LG, 3, 180, 540, [1, 1, 0, 1], 3),
            (self.ALL, 12, 1080, 43200, [3, 3, 3, 3], 0),
            (self.OATH, 1, 30, 90, [1, 0, 0, 0], 0),
        ])
        self.assertEqual([(q.quarter, q.sessions, q.leadership_group_sessions)
                          for q in s.by_quarter],
                         [(1, 5, 1), (2, 4, 1), (3, 3, 0), (4, 4, 1)])
        self.assertEqual(list(s.leadership_quarters_missed), [3])

        # By sessions + events, then name: 民法典 2 LG + 6 all-staff + 2 events;
        # 安全生产法 6; 宪法 LG Q1 + oath + constitution day; 反家庭暴力法 2
        # events; 行政处罚法 and 行政复议法 one each (处 U+5904 < 复 U+590D).
        self.assertEqual([(l.law, l.sessions, l.publicity_events) for l in s.laws], [
            ("民法典", 8, 2), ("安全生产法", 6, 0), ("宪法", 2, 1), ("反家庭暴力法", 0, 2),
            ("行政处罚法", 1, 0), ("行政复议法", 1, 0)])

        self.assertTrue(s.has_plan)
        self.assertEqual(s.plan_adopted_date, date(2024, 1, 5))
        self.assertTrue(s.plan_adopted_in_first_quarter)
        self.assertEqual(len(s.rules), 2)
        lg, monthly = s.rules
        self.assertEqual(lg.rule, pb.StudyRule(kind=self.LG, period=pb.RULE_PERIOD_QUARTER,
                                               min_sessions=1))
        self.assertEqual(list(lg.counts), [1, 1, 0, 1])
        self.assertEqual(list(lg.periods_missed), [3])
        self.assertEqual(list(lg.periods_pending), [])
        self.assertFalse(lg.satisfied)
        self.assertEqual(monthly.rule.period, pb.RULE_PERIOD_MONTH)
        self.assertEqual(list(monthly.counts), [1] * 12)
        self.assertEqual(list(monthly.periods_missed), [])
        self.assertEqual(list(monthly.periods_pending), [])
        self.assertTrue(monthly.satisfied)
        self.assertFalse(s.plan_fulfilled)
        self.assertEqual(list(s.planned_laws_not_studied), ["长江保护法"])

        self.assertEqual(s.oath_sessions, 1)
        self.assertEqual(s.oath_takers, 3)
        self.assertEqual(s.eligible_staff, 4)
        self.assertEqual(s.oath_coverage_percent, 75.0)

        p = s.publicity
        self.assertEqual(p.events, 4)
        self.assertEqual([(k.kind, k.events) for k in p.by_kind],
                         [(pb.PUBLICITY_KIND_CONSTITUTION_DAY, 1),
                          (pb.PUBLICITY_KIND_SERVICE_SITE, 3)])
        # By events, then name (县 U+53BF < 婚 U+5A5A < 尧 U+5C27).
        self.assertEqual([(pl.place, pl.events, pl.people_reached) for pl in p.places],
                         [("县救助站", 2, 80), ("婚姻登记处", 1, 40), ("尧山广场", 1, 300)])
        self.assertEqual(p.display_boards, 10)
        self.assertEqual(p.leaflets, 740)
        self.assertEqual(p.people_reached, 420)
        self.assertEqual(p.consultations, 36)
        self.assertEqual(sorted(p.laws), sorted(["宪法", "民法典", "反家庭暴力法"]))

    def test_summary_as_of_mid_year(self):
        s = self.stub.GetStudySummary(
            pb.GetStudySummaryRequest(org=self.ORG, year=2024, as_of=date(2024, 6, 30)),
            timeout=RPC_TIMEOUT)
        self.assertEqual(list(s.leadership_quarters_missed), [])
        lg, monthly = s.rules
        self.assertEqual(list(lg.periods_missed), [])
        # Pending lists the periods not yet due that are still short: Q3 has
        # no leadership session, Q4 already has its (later-dated) one.
        self.assertEqual(list(lg.periods_pending), [3])
        self.assertTrue(lg.satisfied)
        self.assertEqual(list(monthly.periods_missed), [])
        self.assertEqual(list(monthly.periods_pending), [])
        self.assertTrue(monthly.satisfied)
        self.assertEqual(s.total_sessions, 16)  # as_of does not filter records

    def test_empty_year(self):
        s = self.stub.GetStudySummary(pb.GetStudySummaryRequest(org=self.ORG, year=2023),
                                      timeout=RPC_TIMEOUT)
        self.assertEqual(s.as_of, date(2023, 12, 31))
        self.assertEqual((s.total_sessions, s.total_minutes, s.staff_minutes, s.staff_hours,
                          s.head_attended_sessions), (0, 0, 0, 0.0, 0))
        self.assertEqual(list(s.by_kind), [])
        self.assertEqual([(q.quarter, q.sessions, q.leadership_group_sessions)
                          for q in s.by_quarter], [(1, 0, 0), (2, 0, 0), (3, 0, 0), (4, 0, 0)])
        self.assertEqual(list(s.leadership_quarters_missed), [1, 2, 3, 4])
        self.assertEqual(list(s.laws), [])
        self.assertFalse(s.has_plan)
        self.assertEqual(list(s.rules), [])
        self.assertEqual((s.oath_sessions, s.oath_takers, s.eligible_staff,
                          s.oath_coverage_percent), (0, 0, 0, 0.0))
        self.assertEqual(s.publicity, pb.PublicityTotals())

    def test_summary_validation(self):
        error = self.assertRpcFails(C.INVALID_ARGUMENT, self.stub.GetStudySummary,
                                    pb.GetStudySummaryRequest(org=self.ORG))
        self.assertInvalidFields(error, "year")


class ConcurrencyTest(E2ETestCase):
    """Many callers at once: every write lands, retries stay idempotent."""

    def test_parallel_creates(self):
        parent = "orgs/e2e-conc"

        def create(worker):
            names = []
            for i in range(6):
                names.append(self.stub.CreateSession(
                    pb.CreateSessionRequest(parent=parent, session=session(
                        f"并发 {worker}-{i}", date(2024, 1 + worker, 1 + i))),
                    timeout=RPC_TIMEOUT).name)
                self.stub.ListSessions(pb.ListSessionsRequest(parent=parent, page_size=5),
                                       timeout=RPC_TIMEOUT)
            return names

        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            names = [n for batch in pool.map(create, range(8)) for n in batch]
        self.assertEqual(len(set(names)), 48)
        self.assertEqual(sorted(s.name for s in self.list_all(parent)), sorted(names))

    def test_parallel_retries_of_one_request(self):
        parent = "orgs/e2e-conc-idem"
        request = pb.CreateSessionRequest(
            parent=parent, session=session("同一请求", date(2024, 8, 8)),
            request_id="e2e-parallel-retry")
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            replies = list(pool.map(
                lambda _: self.stub.CreateSession(request, timeout=RPC_TIMEOUT), range(16)))
        self.assertEqual({r.name for r in replies}, {replies[0].name})
        self.assertEqual([s.name for s in self.list_all(parent)], [replies[0].name])


class DurabilityTest(E2ETestCase):
    """An acknowledged create survives kill -9."""

    def test_acknowledged_create_survives_sigkill(self):
        db = new_database("durability")
        server = study_server(db, "durability").start()
        try:
            created = server.stub().CreateSession(
                pb.CreateSessionRequest(parent="orgs/e2e-dur",
                                        session=session("断电前的学法", date(2024, 7, 1))),
                timeout=RPC_TIMEOUT)
            server.kill()
            self.assertEqual(server.proc.returncode, -signal.SIGKILL)

            server.start()  # same database file, a fresh port
            got = server.stub().GetSession(pb.GetSessionRequest(name=created.name),
                                           timeout=RPC_TIMEOUT)
            self.assertEqual(got, created)

            # SIGTERM: the health watcher hears NOT_SERVING before the
            # server stops taking calls, and the stream then ends cleanly
            # (the signal comes right after the watcher heard SERVING, while
            # the server's thread may still be in that write); the process
            # exits 0.
            watch = health_pb2_grpc.HealthStub(server.channel).Watch(
                health_pb2.HealthCheckRequest(service=SERVICE_NAME), timeout=STOP_TIMEOUT)
            self.assertEqual(next(watch).status, health_pb2.HealthCheckResponse.SERVING)
            server.proc.send_signal(signal.SIGTERM)
            seen = []
            try:
                seen.extend(r.status for r in watch)
            except grpc.RpcError as e:
                self.fail(f"the watch ended with {e.code()} after {seen}\n{server.log_tail()}")
            self.assertEqual(seen, [health_pb2.HealthCheckResponse.NOT_SERVING], server.log_tail())
            self.assertEqual(server.terminate(close_channel=True), 0, server.log_tail())
            # The server's word that it was told before Shutdown began.
            self.assertIn("health NOT_SERVING sent to 1 watchers (0 not ended)", server.log_text())
        finally:
            if server.proc.poll() is None:
                server.kill()


# --------------------------------------------------------------------------


if __name__ == "__main__":
    harness.run_tests("study e2e", UNITTEST_ARGV, postgres=ARGS.postgres)
