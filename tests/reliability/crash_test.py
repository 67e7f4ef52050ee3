#!/usr/bin/env python3
"""Crash safety: writes under SIGKILL are acknowledged-and-kept or whole-or-absent.

Run through ctest (tests/reliability/CMakeLists.txt), or by hand:

  /usr/bin/python3 tests/reliability/crash_test.py --study build/bin/fazhi-study \
      --duty build/bin/fazhi-duty --report build/bin/fazhi-report \
      --stubs build/tests/e2e/pystubs [--postgres] [--rounds=4] [--seed=1] [-v]

For each store service, round after round: writer threads (one organization
each) create, update and delete records and stream bulk imports — study
sessions and publicity events, duty powers and officers, report
organizations and the report life cycle up to publication with a document —
while a killer sends SIGKILL at a random moment (seeded: the same --seed
gives the same kill times). The service restarts on the same database and
the test reads everything back:

* every acknowledged write is there, exactly as acknowledged;
* a write whose answer was lost is either wholly there or wholly absent: a
  record has the content sent or its previous content, never a mix; an
  import's batches (one transaction each, see services/common/import.h) are
  each all there or all absent, and the ones there are a prefix of the
  stream; a report step changed the report, its document and its history
  entry together or none of them;
* nothing is there that was never sent;
* a create retried after the crash with its request_id returns the record
  the first attempt made, if it made one (the idempotency key is committed
  with the record).

--postgres runs the services on fresh databases of the cluster of
scripts/with-postgres.sh (exit 77 without one, unless FAZHI_REQUIRE_POSTGRES).
"""

import collections
import hashlib
import os
import random
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import harness  # noqa: E402


ARGS, UNITTEST_ARGV = harness.parse_args(
    __doc__, ("study", "duty", "report"), postgres=True, extra=lambda parser: (
        parser.add_argument("--rounds", type=int, default=4, help="kills per service"),
        parser.add_argument("--writers", type=int, default=4, help="writer threads per round"),
        parser.add_argument("--seed", type=int, default=1,
                            help="seed of the kill times and the writes")))

import grpc  # noqa: E402
from google.protobuf import field_mask_pb2  # noqa: E402
from google.type import date_pb2  # noqa: E402

from fazhi.duty.v1 import duty_pb2  # noqa: E402
from fazhi.duty.v1 import duty_pb2_grpc  # noqa: E402
from fazhi.report.v1 import report_pb2 as rp  # noqa: E402
from fazhi.report.v1 import report_pb2_grpc  # noqa: E402
from fazhi.study.v1 import study_pb2  # noqa: E402
from fazhi.study.v1 import study_pb2_grpc  # noqa: E402

RPC_TIMEOUT = 20 * harness.SLOWDOWN  # seconds; generous, the machine may be busy
KILL_AFTER = (0.3, 1.5)  # seconds of writing before SIGKILL, drawn per round
C = grpc.StatusCode
ABSENT = None
WORKDIR = None


class CallLost(Exception):
    """A write whose answer never came: the server went away during it."""


class Unexpected(AssertionError):
    pass


def date(y, m, d):
    return date_pb2.Date(year=y, month=m, day=d)


def content(message):
    """A record's bytes without what the server sets (name, etag, times)."""
    copy = type(message)()
    copy.CopyFrom(message)
    for field in ("name", "etag", "create_time", "update_time"):
        copy.ClearField(field)
    return copy.SerializeToString(deterministic=True)


# --------------------------------------------------------------------------
# Record collections of study and duty: generic over the four of them.


class Collection:
    """One resource collection: CreateX/UpdateX/DeleteX/ListXs/ImportXs."""

    def __init__(self, pb, singular, plural, field, list_field, make):
        self.pb = pb
        self.singular = singular  # "Session"
        self.plural = plural  # "Sessions"
        self.field = field  # "session"
        self.list_field = list_field  # "sessions"
        self.make = make  # (key, rng) -> message, already in the server's normal form

    def request(self, kind, **fields):
        return getattr(self.pb, kind)(**fields)

    def create(self, stub, parent, message, request_id):
        request = self.request(f"Create{self.singular}Request", parent=parent,
                               request_id=request_id, **{self.field: message})
        return getattr(stub, f"Create{self.singular}")(request, timeout=RPC_TIMEOUT)

    def update_notes(self, stub, current, notes):
        changed = type(current)()
        changed.CopyFrom(current)
        changed.notes = notes
        request = self.request(f"Update{self.singular}Request", **{self.field: changed},
                               update_mask=field_mask_pb2.FieldMask(paths=["notes"]))
        return getattr(stub, f"Update{self.singular}")(request, timeout=RPC_TIMEOUT)

    def delete(self, stub, current):
        request = self.request(f"Delete{self.singular}Request", name=current.name,
                               etag=current.etag)
        getattr(stub, f"Delete{self.singular}")(request, timeout=RPC_TIMEOUT)

    def import_batches(self, stub, parent, batches):
        def messages():
            for i, rows in enumerate(batches):
                yield self.request(f"Import{self.plural}Request", parent=parent if i == 0 else "",
                                   **{self.list_field: rows})
        return getattr(stub, f"Import{self.plural}")(messages(), timeout=RPC_TIMEOUT)

    def list_all(self, stub, parent):
        items, token = [], ""
        while True:
            reply = getattr(stub, f"List{self.plural}")(
                self.request(f"List{self.plural}Request", parent=parent, page_size=1000,
                             page_token=token), timeout=RPC_TIMEOUT)
            items.extend(getattr(reply, self.list_field))
            token = reply.next_page_token
            if not token:
                return items


def make_session(key, rng):
    return study_pb2.Session(
        title=f"学法 {key}", date=date(2024, rng.randint(1, 12), rng.randint(1, 28)),
        kind=rng.choice([study_pb2.STUDY_KIND_ALL_STAFF, study_pb2.STUDY_KIND_LEADERSHIP_GROUP]),
        duration_minutes=rng.randint(30, 180),
        laws=rng.sample(["民法典", "宪法", "行政处罚法"], 2),
        attendee_count=rng.randint(0, 50), external_id=key, notes="v0")


def make_event(key, rng):
    return study_pb2.PublicityEvent(
        title=f"普法 {key}", date=date(2024, rng.randint(1, 12), rng.randint(1, 28)),
        kind=study_pb2.PUBLICITY_KIND_SERVICE_SITE, place="县救助站", laws=["民法典"],
        leaflets=rng.randint(0, 500), people_reached=rng.randint(0, 300), external_id=key,
        notes="v0")


def make_power(key, rng):
    return duty_pb2.Power(code=key, item_name=f"事项 {key}", type=duty_pb2.POWER_TYPE_PENALTY,
                          domain=rng.choice(["殡葬", "养老服务", "慈善"]),
                          required_officers=rng.randint(2, 4), external_id=key, notes="v0")


def make_officer(key, rng):
    cert = duty_pb2.Certificate(number=f"ZF-{key}", issued_date=date(2021, 1, 1),
                                expiry_date=date(2027, 6, rng.randint(1, 30)),
                                status=duty_pb2.CERTIFICATE_STATUS_VALID)
    return duty_pb2.Officer(person_id=key, display_name=f"执法员{key}", certificate=cert,
                            domains=["殡葬"], established=True, max_load=rng.randint(1, 20),
                            training=[duty_pb2.TrainingHours(year=2024, hours=rng.randint(0, 80))],
                            external_id=key, notes="v0")


STUDY_COLLECTIONS = [
    Collection(study_pb2, "Session", "Sessions", "session", "sessions", make_session),
    Collection(study_pb2, "PublicityEvent", "PublicityEvents", "publicity_event",
               "publicity_events", make_event),
]
DUTY_COLLECTIONS = [
    Collection(duty_pb2, "Power", "Powers", "power", "powers", make_power),
    Collection(duty_pb2, "Officer", "Officers", "officer", "officers", make_officer),
]


class RecordModel:
    """What one organization's collection may hold after a crash.

    `expect[key]` lists the acceptable contents of a record (ABSENT: not
    there); `current[key]` is the record as last seen, for updates and
    deletes (its etag); `lost_imports` the batches of imports whose answer
    was lost; `lost_creates` the creates to retry with their request_id."""

    def __init__(self, collection, parent):
        self.collection = collection
        self.parent = parent
        self.expect = {}
        self.current = {}
        self.lost_imports = []
        self.lost_creates = []
        self.lost_keys = set()  # of lost creates, updates and deletes
        self.counts = collections.Counter()

    def live_keys(self):
        return [k for k, v in self.current.items() if v is not None]


def record_writer(stub, model, rng, tag, stop):
    """Writes to one collection of one organization until a call is lost."""
    c = model.collection
    n = 0
    while not stop.is_set():
        n += 1
        op = rng.choices(["create", "update", "delete", "import"], [35, 25, 10, 30])[0]
        live = model.live_keys()
        if op in ("update", "delete") and not live:
            op = "create"
        if op == "create":
            key = f"{tag}-{n}"
            message = c.make(key, rng)
            request_id = f"crash-{key}"
            model.expect[key] = [ABSENT, content(message)]
            try:
                created = c.create(stub, model.parent, message, request_id)
            except grpc.RpcError as e:
                model.lost_creates.append((key, message, request_id))
                model.lost_keys.add(key)
                raise CallLost(e)
            if content(created) != content(message):
                raise Unexpected(f"{key}: the server changed the record on create; the test's "
                                 f"records must be in the server's normal form")
            model.expect[key] = [content(created)]
            model.current[key] = created
        elif op == "update":
            key = rng.choice(live)
            before = model.current[key]
            notes = f"v{n}"
            after = type(before)()
            after.CopyFrom(before)
            after.notes = notes
            model.expect[key] = [content(before), content(after)]
            try:
                updated = c.update_notes(stub, before, notes)
            except grpc.RpcError as e:
                model.current[key] = None  # etag unknown until read back
                model.lost_keys.add(key)
                raise CallLost(e)
            model.expect[key] = [content(updated)]
            model.current[key] = updated
        elif op == "delete":
            key = rng.choice(live)
            before = model.current[key]
            model.expect[key] = [content(before), ABSENT]
            model.current[key] = None
            try:
                c.delete(stub, before)
            except grpc.RpcError as e:
                model.lost_keys.add(key)
                raise CallLost(e)
            model.expect[key] = [ABSENT]
        else:
            batches = []
            for b in range(rng.randint(1, 4)):
                batches.append([c.make(f"{tag}-{n}-b{b}-{i}", rng)
                                for i in range(rng.randint(1, 40))])
            for rows in batches:
                for row in rows:
                    model.expect[row.external_id] = [ABSENT, content(row)]
            try:
                report = c.import_batches(stub, model.parent, batches)
            except grpc.RpcError as e:
                model.lost_imports.append(batches)
                raise CallLost(e)
            rows = sum(len(r) for r in batches)
            if (report.rows_stored, report.rows_rejected) != (rows, 0):
                raise Unexpected(f"import {tag}-{n}: {report}")
            for rows in batches:
                for row in rows:
                    model.expect[row.external_id] = [content(row)]
                    model.current[row.external_id] = None  # name and etag: read back
        model.counts["acked"] += 1


def check_records(test, stub, model):
    """Reads the collection back and checks it against the model; the model
    then holds what was read."""
    c = model.collection
    stored = {}
    for item in c.list_all(stub, model.parent):
        test.assertNotIn(item.external_id, stored, f"{item.external_id} stored twice")
        stored[item.external_id] = item
    unknown = set(stored) - set(model.expect)
    test.assertFalse(unknown, f"{c.plural}: records nobody sent: {sorted(unknown)[:5]}")
    for key, acceptable in model.expect.items():
        got = content(stored[key]) if key in stored else ABSENT
        if key in model.lost_keys and got in acceptable:
            model.counts["applied" if got == acceptable[1] else "not applied"] += 1
        if got not in acceptable:
            what = ("absent" if got is ABSENT else "present with other content")
            want = " or ".join("absent" if a is ABSENT else "as sent" for a in acceptable)
            test.fail(f"{c.plural} {key}: {what}, expected {want}")
    # A lost import: whole batches, a prefix of the stream.
    for batches in model.lost_imports:
        present = []
        for rows in batches:
            there = [row.external_id in stored for row in rows]
            test.assertIn(set(there), ({True}, {False}),
                          f"{c.plural}: batch of {rows[0].external_id} is half stored")
            present.append(there[0])
        test.assertEqual(present, sorted(present, reverse=True),
                         f"{c.plural}: batches stored out of order: {present}")
        model.counts["batches applied"] += sum(present)
        model.counts["batches not applied"] += len(present) - sum(present)
    model.lost_imports = []
    for key in model.expect:
        model.expect[key] = [content(stored[key]) if key in stored else ABSENT]
        model.current[key] = stored.get(key)
    # A lost create, retried with its request_id: the same record, once.
    for key, message, request_id in model.lost_creates:
        first = stored.get(key)
        again = c.create(stub, model.parent, message, request_id)
        if first is not None:
            test.assertEqual(again.name, first.name,
                             f"{c.plural} {key}: the retry made a second record")
        test.assertEqual(content(again), content(message))
        model.expect[key] = [content(again)]
        model.current[key] = again
    model.lost_creates = []
    model.lost_keys = set()


# --------------------------------------------------------------------------
# The report service: organizations and the report life cycle.


STEPS = {"SubmitReport": (rp.SubmitReportRequest, rp.REPORT_STATE_DRAFT, rp.REPORT_STATE_SUBMITTED),
         "ApproveReport": (rp.ApproveReportRequest, rp.REPORT_STATE_SUBMITTED,
                           rp.REPORT_STATE_APPROVED)}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class OrgState:
    """What the test knows of one organization, in the fields it chose:
    the organization's content, each report's (title, state, document
    SHA-256) and the history's methods in order. `snapshot()` is what the
    store must show."""

    def __init__(self, org_id):
        self.org_id = org_id
        self.org = ABSENT  # content of the Organization
        self.reports = {}  # year -> [title, state, sha256 of the published docx or None]
        self.history = []

    def snapshot(self):
        return (self.org, tuple(sorted((y, tuple(r)) for y, r in self.reports.items())),
                tuple(self.history))

    def copy(self):
        other = OrgState(self.org_id)
        other.org = self.org
        other.reports = {y: list(r) for y, r in self.reports.items()}
        other.history = list(self.history)
        return other


def observe_org(stub, org_id):
    state = OrgState(org_id)
    parent = f"orgs/{org_id}"
    try:
        state.org = content(stub.GetOrganization(rp.GetOrganizationRequest(name=parent),
                                                 timeout=RPC_TIMEOUT))
    except grpc.RpcError as e:
        if e.code() != C.NOT_FOUND:
            raise
    if state.org is not ABSENT:
        reply = stub.ListReports(rp.ListReportsRequest(parent=parent, page_size=100),
                                 timeout=RPC_TIMEOUT)
        for r in reply.reports:
            sha = None
            if r.published_revision:
                doc = stub.GetReportDocument(rp.GetReportDocumentRequest(
                    name=f"{r.name}/revisions/{r.published_revision}/documents/docx"),
                    timeout=RPC_TIMEOUT)
                sha = hashlib.sha256(doc.content).hexdigest()
                if sha != doc.sha256:
                    raise Unexpected(f"{r.name}: stored document does not match its SHA-256")
            state.reports[r.year] = [r.title, r.state, sha]
    entries, token = [], ""
    while True:
        reply = stub.ListHistory(rp.ListHistoryRequest(parent=parent, page_size=1000,
                                                       page_token=token), timeout=RPC_TIMEOUT)
        entries.extend(reply.entries)
        token = reply.next_page_token
        if not token:
            break
    if [e.sequence for e in entries] != list(range(1, len(entries) + 1)):
        raise Unexpected(f"{parent}: history sequence {[e.sequence for e in entries]}")
    state.history = [e.method for e in entries]
    return state


class ReportModel:
    def __init__(self, tag):
        self.tag = tag
        self.orgs = {}  # org_id -> [acceptable OrgState…]
        self.etags = {}  # org_id or report name -> etag (None: read back first)
        self.counts = collections.Counter()

    def known(self, org_id):
        """The one state of org_id the test is sure of."""
        states = self.orgs[org_id]
        assert len(states) == 1
        return states[0]


def organization(full_name, region):
    return rp.Organization(full_name=full_name, region=region, supervisors=["orgs/crash-office"],
                           two_person_approval=False,
                           contacts=[rp.Contact(name="法规股", phone="0375-5012345")])


def report_writer(stub, model, rng, tag, stop):
    n = 0
    while not stop.is_set():
        n += 1
        orgs = [o for o, states in model.orgs.items() if states[0].org is not ABSENT]
        op = rng.choices(["create_org", "update_org", "create_report", "update_report", "step"],
                         [15, 15, 20, 25, 25])[0]
        if op != "create_org" and not orgs:
            op = "create_org"
        if op == "create_org":
            org_id = f"{tag}-{n}"
            before = OrgState(org_id)
            org = organization(f"鲁山县崩溃测试局{n}", f"区域{n}")
            after = before.copy()
            after.org = content(org)
            after.history.append("CreateOrganization")
            model.orgs[org_id] = [before, after]

            def call():
                created = stub.CreateOrganization(rp.CreateOrganizationRequest(
                    organization_id=org_id, organization=org, actor="crash"), timeout=RPC_TIMEOUT)
                model.etags[org_id] = created.etag
                return content(created)
        else:
            org_id = rng.choice(orgs)
            before = model.known(org_id)
            after = before.copy()
            parent = f"orgs/{org_id}"
            if op == "update_org":
                region = f"区域{n}"
                changed = rp.Organization()
                changed.ParseFromString(before.org)
                changed.region = region
                after.org = content(changed)
                after.history.append("UpdateOrganization")
                changed.name = parent
                changed.etag = model.etags[org_id]

                def call():
                    updated = stub.UpdateOrganization(rp.UpdateOrganizationRequest(
                        organization=changed,
                        update_mask=field_mask_pb2.FieldMask(paths=["region"]),
                        actor="crash"), timeout=RPC_TIMEOUT)
                    model.etags[org_id] = updated.etag
                    return content(updated)
            elif op == "create_report" or not before.reports:
                year = max(before.reports, default=2015) + 1
                title = f"{year}年报告{n}"
                after.reports[year] = [title, rp.REPORT_STATE_DRAFT, None]
                after.history.append("CreateReport")
                name = f"{parent}/reports/{year}"

                def call():
                    created = stub.CreateReport(rp.CreateReportRequest(
                        parent=parent, year=year, report=rp.Report(title=title), actor="crash"),
                        timeout=RPC_TIMEOUT)
                    model.etags[name] = created.etag
            else:
                year = rng.choice(sorted(before.reports))
                name = f"{parent}/reports/{year}"
                title, state, _ = before.reports[year]
                if op == "update_report" and state == rp.REPORT_STATE_DRAFT:
                    title = f"鲁山县崩溃测试局{year}年法治政府建设情况报告{n}"
                    after.reports[year][0] = title
                    after.history.append("UpdateReport")

                    def call():
                        updated = stub.UpdateReport(rp.UpdateReportRequest(
                            report=rp.Report(name=name, title=title, etag=model.etags[name]),
                            update_mask=field_mask_pb2.FieldMask(paths=["title"]), actor="crash"),
                            timeout=RPC_TIMEOUT)
                        model.etags[name] = updated.etag
                elif state in (rp.REPORT_STATE_DRAFT, rp.REPORT_STATE_SUBMITTED):
                    method = "SubmitReport" if state == rp.REPORT_STATE_DRAFT else "ApproveReport"
                    request_type, _, to_state = STEPS[method]
                    after.reports[year][1] = to_state
                    after.history.append(method)

                    def call():
                        moved = getattr(stub, method)(request_type(name=name, actor="crash"),
                                                      timeout=RPC_TIMEOUT)
                        model.etags[name] = moved.etag
                elif state == rp.REPORT_STATE_APPROVED:
                    document = rng.randbytes(rng.randint(1_000, 300_000))
                    after.reports[year][1] = rp.REPORT_STATE_PUBLISHED
                    after.reports[year][2] = hashlib.sha256(document).hexdigest()
                    after.history.append("PublishReport")

                    def call():
                        stub.PublishReport(rp.PublishReportRequest(
                            name=name, actor="crash", documents=[rp.DocumentUpload(
                                format="docx", media_type=DOCX, content=document)]),
                            timeout=RPC_TIMEOUT)
                else:
                    continue  # published: nothing more to do with it
        model.orgs[org_id] = [before, after]
        try:
            result = call()
        except grpc.RpcError as e:
            raise CallLost(e)
        if op in ("create_org", "update_org") and result != after.org:
            raise Unexpected(f"{org_id}: the server changed the organization on {op}")
        model.orgs[org_id] = [after]
        model.counts["acked"] += 1


def check_reports(test, stub, model):
    for org_id, acceptable in model.orgs.items():
        seen = observe_org(stub, org_id)
        snapshots = [s.snapshot() for s in acceptable]
        if len(snapshots) == 2 and seen.snapshot() in snapshots:
            model.counts["applied" if seen.snapshot() == snapshots[1] else "not applied"] += 1
        if seen.snapshot() not in snapshots:
            test.fail(f"orgs/{org_id}: stored {seen.snapshot()}\nexpected one of "
                      f"{[s.snapshot() for s in acceptable]}")
        model.orgs[org_id] = [seen]
        # Etags changed by a lost call are read back.
        if seen.org is not ABSENT:
            model.etags[org_id] = stub.GetOrganization(
                rp.GetOrganizationRequest(name=f"orgs/{org_id}"), timeout=RPC_TIMEOUT).etag
            for year in seen.reports:
                name = f"orgs/{org_id}/reports/{year}"
                model.etags[name] = stub.GetReport(rp.GetReportRequest(name=name),
                                                   timeout=RPC_TIMEOUT).etag


# --------------------------------------------------------------------------
# The rounds.


def start_server(name, binary, stub_class):
    db = harness.new_database(WORKDIR, f"crash_{name}", postgres=ARGS.postgres)
    return harness.ServerProcess(binary, name, WORKDIR, db=db,
                                 stub_class=stub_class).start_for_module()


class CrashTest(unittest.TestCase):
    maxDiff = None

    def run_rounds(self, server, writers, check):
        """`writers`: [(writer(stub, stop), model)]; `check(stub, model)`."""
        rng = random.Random(f"{ARGS.seed}-{server.name}")
        totals = collections.Counter()
        for round_ in range(ARGS.rounds):
            stop = threading.Event()
            killed = threading.Event()
            stub = server.stub()
            failures = []

            def run(write, model):
                try:
                    write(stub, stop)
                except CallLost as lost:
                    model.counts["lost"] += 1
                    if not killed.is_set():
                        failures.append(f"a call failed before the kill: {lost}")
                except Exception as e:  # noqa: BLE001 - reported below
                    failures.append(f"{type(e).__name__}: {e}")

            threads = [threading.Thread(target=run, args=(w, m)) for w, m in writers]
            for t in threads:
                t.start()
            time.sleep(rng.uniform(*KILL_AFTER))
            killed.set()
            server.proc.kill()  # SIGKILL, while the writers write
            server.proc.wait()
            stop.set()
            for t in threads:
                t.join(timeout=RPC_TIMEOUT + 10)
                self.assertFalse(t.is_alive(), "a writer hung after the kill")
            self.assertEqual(failures, [])
            server.close_channel()
            server.start()
            for _, model in writers:
                check(self, server.stub(), model)
        for _, model in writers:
            totals.update(model.counts)
        print(f"\n  {server.name}: {ARGS.rounds} kills, {totals['acked']} writes acknowledged and "
              f"found; {totals['lost']} answers lost in flight: {totals['applied']} writes found "
              f"whole, {totals['not applied']} absent; of lost imports "
              f"{totals['batches applied']} batches found whole, {totals['batches not applied']} "
              f"absent", file=sys.stderr)
        harness.stop_servers(server)

    def record_writers(self, collections, prefix):
        writers = []
        for w in range(ARGS.writers):
            c = collections[w % len(collections)]
            model = RecordModel(c, f"orgs/crash-{prefix}-w{w}")
            rng = random.Random(f"{ARGS.seed}-{prefix}-{w}")
            counter = iter(range(1 << 30))

            def write(stub, stop, model=model, rng=rng, w=w, counter=counter):
                record_writer(stub, model, rng, f"{prefix}w{w}r{next(counter)}", stop)
            writers.append((write, model))
        return writers

    def test_study(self):
        server = start_server("study", ARGS.study, study_pb2_grpc.StudyServiceStub)
        self.run_rounds(server, self.record_writers(STUDY_COLLECTIONS, "st"), check_records)

    def test_duty(self):
        server = start_server("duty", ARGS.duty, duty_pb2_grpc.DutyServiceStub)
        self.run_rounds(server, self.record_writers(DUTY_COLLECTIONS, "du"), check_records)

    def test_report(self):
        server = start_server("report", ARGS.report, report_pb2_grpc.ReportServiceStub)
        writers = []
        for w in range(ARGS.writers):
            model = ReportModel(f"crash-w{w}")
            rng = random.Random(f"{ARGS.seed}-report-{w}")
            counter = iter(range(1 << 30))

            def write(stub, stop, model=model, rng=rng, w=w, counter=counter):
                report_writer(stub, model, rng, f"crash-w{w}-r{next(counter)}", stop)
            writers.append((write, model))
        self.run_rounds(server, writers, check_reports)


def setUpModule():
    global WORKDIR
    WORKDIR = harness.make_workdir("fazhi-crash-", keep=ARGS.keep)


if __name__ == "__main__":
    harness.run_tests(f"crash ({'PostgreSQL' if ARGS.postgres else 'SQLite'}, seed {ARGS.seed})",
                      UNITTEST_ARGV, postgres=ARGS.postgres)
