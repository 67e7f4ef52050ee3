#!/usr/bin/env python3
"""End-to-end test of fazhi-duty: starts the real binary and drives it over gRPC.

Run through ctest (tests/e2e/CMakeLists.txt), or by hand:

  /usr/bin/python3 tests/e2e/duty_e2e_test.py \
      --binary build/bin/fazhi-duty --stubs build/tests/e2e/pystubs [-v] [Class.test_name]

Stubs, servers, stores and the work folder: see harness.py.
"""

import os

import harness


ARGS, UNITTEST_ARGV = harness.parse_args(__doc__, binary="duty", postgres=True)

import grpc  # noqa: E402
from google.protobuf import field_mask_pb2  # noqa: E402
from google.protobuf import json_format  # noqa: E402
from google.rpc import code_pb2  # noqa: E402
from google.type import date_pb2  # noqa: E402

from fazhi.duty.v1 import duty_pb2 as pb  # noqa: E402
from fazhi.duty.v1 import duty_pb2_grpc  # noqa: E402
from fazhi.type.v1 import import_pb2  # noqa: E402

RPC_TIMEOUT = 10 * harness.SLOWDOWN  # seconds, every call
SERVICE_NAME = "fazhi.duty.v1.DutyService"
C = grpc.StatusCode

WORKDIR = None  # temporary folder of this run
SERVER = None  # the server most tests share


# --------------------------------------------------------------------------
# The server process.


def duty_server(label):
    """One fazhi-duty process on a free port (HTTP side off), over a new
    database: a SQLite file, or with --postgres a PostgreSQL database."""
    db = harness.new_database(WORKDIR, label, postgres=ARGS.postgres)
    return harness.ServerProcess(ARGS.binary, label, WORKDIR, db=db,
                                 stub_class=duty_pb2_grpc.DutyServiceStub)


def setUpModule():
    global WORKDIR, SERVER
    WORKDIR = harness.make_workdir("fazhi-e2e-", keep=ARGS.keep)
    SERVER = duty_server("duty").start_for_module()


def tearDownModule():
    """Stops the shared server the way an orchestrator would: SIGTERM."""
    harness.stop_servers(SERVER)


# --------------------------------------------------------------------------
# Helpers.


def date(y, m, d):
    return date_pb2.Date(year=y, month=m, day=d)


def date_key(d):
    return (d.year, d.month, d.day)


DEMO = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "deploy", "demo",
                    "lushan-minzheng")


def power(code, domain="殡葬", type_=pb.POWER_TYPE_PENALTY, **fields):
    fields.setdefault("item_name", f"事项 {code}")
    return pb.Power(code=code, type=type_, domain=domain, **fields)


def officer(person_id, domains=("殡葬",), legal=False, expiry=(2027, 6, 30), status=None,
            established=True, hours=64, **fields):
    cert = pb.Certificate(number=f"ZF-{person_id}", issued_date=date(2021, 1, 1),
                          expiry_date=date(*expiry),
                          status=status or pb.CERTIFICATE_STATUS_VALID)
    return pb.Officer(person_id=person_id, display_name=f"执法员{person_id}", certificate=cert,
                      domains=list(domains), legal_qualification=legal, established=established,
                      training=[pb.TrainingHours(year=2024, hours=hours)], **fields)


def load_jsonl(path, message_type):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                rows.append(json_format.Parse(line, message_type()))
    return rows


class E2ETestCase(harness.RpcTestCase):
    rpc_timeout = RPC_TIMEOUT

    @property
    def stub(self):
        return SERVER.stub()

    def list_all(self, method, request, field, page_size=1000):
        """Every item of a List call, following page tokens; also the page count."""
        items, token, pages = [], "", 0
        for _ in range(1000):
            request.page_size = page_size
            request.page_token = token
            reply = method(request, timeout=RPC_TIMEOUT)
            pages += 1
            items.extend(getattr(reply, field))
            token = reply.next_page_token
            if not token:
                return items, pages
        self.fail("the list never ended")

    def assignments(self, org):
        items, _ = self.list_all(self.stub.ListAssignments,
                                 pb.ListAssignmentsRequest(parent=f"{org}/powers/-"), "assignments")
        return items

    def create_power(self, org, p):
        return self.stub.CreatePower(pb.CreatePowerRequest(parent=org, power=p), timeout=RPC_TIMEOUT)

    def create_officer(self, org, o):
        return self.stub.CreateOfficer(pb.CreateOfficerRequest(parent=org, officer=o),
                                       timeout=RPC_TIMEOUT)

    def allocate(self, org, dry_run, as_of=(2024, 12, 31)):
        return self.stub.AllocateDuties(
            pb.AllocateDutiesRequest(parent=org, dry_run=dry_run, as_of=date(*as_of)),
            timeout=RPC_TIMEOUT)


# --------------------------------------------------------------------------
# Tests.


class HealthTest(E2ETestCase):

    def test_server_and_service_serving(self):
        for service in ("", SERVICE_NAME):
            self.assertEqual(harness.health_status(SERVER.channel, service, RPC_TIMEOUT), "SERVING",
                             service)

    def test_reflection_lists_the_service(self):
        self.assertIn(SERVICE_NAME, harness.listed_services(SERVER.channel, RPC_TIMEOUT))


class CrudTest(E2ETestCase):
    ORG = "orgs/e2e-crud"

    def test_power_lifecycle(self):
        created = self.create_power(self.ORG, power(
            "000217004000", item_name="对违反规定建设殡葬设施的行政处罚",
            setting_basis=["《殡葬管理条例》第十八条"], needs_legal_review=True,
            stages=[pb.ResponsibilityStage(stage=s) for s in ("受理", "审查", "决定", "送达", "事后监管")],
            accountability_cases=["不履行或者不正确履行职责"], external_id="bz-1"))
        self.assertRegex(created.name, r"^orgs/e2e-crud/powers/[0-9a-f]{20}$")
        self.assertEqual([s.stage for s in created.stages], ["受理", "审查", "决定", "送达", "事后监管"])
        got = self.stub.GetPower(pb.GetPowerRequest(name=created.name), timeout=RPC_TIMEOUT)
        self.assertEqual(got, created)

        updated = self.stub.UpdatePower(pb.UpdatePowerRequest(
            power=pb.Power(name=created.name, etag=created.etag, required_officers=3),
            update_mask=field_mask_pb2.FieldMask(paths=["required_officers"])), timeout=RPC_TIMEOUT)
        self.assertEqual(updated.required_officers, 3)
        self.assertEqual(updated.code, "000217004000")
        self.assertNotEqual(updated.etag, created.etag)
        self.assertRpcFails(C.ABORTED, self.stub.UpdatePower, pb.UpdatePowerRequest(
            power=pb.Power(name=created.name, etag=created.etag, required_officers=4),
            update_mask=field_mask_pb2.FieldMask(paths=["required_officers"])))
        error = self.assertRpcFails(C.INVALID_ARGUMENT, self.stub.UpdatePower, pb.UpdatePowerRequest(
            power=pb.Power(name=created.name, required_officers=1),
            update_mask=field_mask_pb2.FieldMask(paths=["required_officers"])))
        self.assertInvalidFields(error, "power.required_officers")
        self.assertRpcFails(C.ALREADY_EXISTS, self.stub.CreatePower,
                            pb.CreatePowerRequest(parent=self.ORG, power=power("000217004000")))

        self.stub.DeletePower(pb.DeletePowerRequest(name=created.name), timeout=RPC_TIMEOUT)
        self.assertRpcFails(C.NOT_FOUND, self.stub.GetPower, pb.GetPowerRequest(name=created.name))

    def test_post_and_officer(self):
        post = self.stub.CreatePost(pb.CreatePostRequest(
            parent=self.ORG, post_id="shzz-zf", post=pb.Post(
                display_name="社会组织执法岗", unit="社会组织管理股", domains=["社会组织"],
                standards="持证上岗，两人以上执法", procedures="受理→审查→决定→送达", capacity=3)),
            timeout=RPC_TIMEOUT)
        self.assertEqual(post.name, "orgs/e2e-crud/posts/shzz-zf")
        o = self.create_officer(self.ORG, officer("HR-77", domains=["社会组织"], post=post.name,
                                                  legal=True))
        self.assertEqual(o.post, post.name)
        self.assertEqual(o.certificate.status, pb.CERTIFICATE_STATUS_VALID)
        listed, _ = self.list_all(self.stub.ListOfficers,
                                  pb.ListOfficersRequest(parent=self.ORG, post=post.name), "officers")
        self.assertEqual([x.name for x in listed], [o.name])
        error = self.assertRpcFails(C.FAILED_PRECONDITION, self.stub.DeletePost,
                                    pb.DeletePostRequest(name=post.name))
        self.assertIn("officers", error.details())
        # A post of another organization, or one that does not exist.
        error = self.assertRpcFails(C.INVALID_ARGUMENT, self.stub.CreateOfficer, pb.CreateOfficerRequest(
            parent=self.ORG, officer=officer("HR-78", post="orgs/elsewhere/posts/x")))
        self.assertInvalidFields(error, "officer.post")
        self.assertRpcFails(C.FAILED_PRECONDITION, self.stub.CreateOfficer, pb.CreateOfficerRequest(
            parent=self.ORG, officer=officer("HR-79", post="orgs/e2e-crud/posts/none")))

    def test_paging_with_filters(self):
        org = "orgs/e2e-page"
        for i in range(23):
            self.create_power(org, power(f"P{i:03d}", domain="慈善" if i % 3 else "殡葬",
                                         type_=pb.POWER_TYPE_INSPECTION if i % 2 else pb.POWER_TYPE_PENALTY))
        items, pages = self.list_all(self.stub.ListPowers, pb.ListPowersRequest(parent=org), "powers",
                                     page_size=5)
        self.assertEqual(pages, 5)
        self.assertEqual([p.code for p in items], [f"P{i:03d}" for i in range(23)])
        charity, _ = self.list_all(self.stub.ListPowers, pb.ListPowersRequest(
            parent=org, domain="慈善", type=pb.POWER_TYPE_INSPECTION), "powers", page_size=2)
        self.assertEqual([p.code for p in charity],
                         [f"P{i:03d}" for i in range(23) if i % 3 and i % 2])
        first = self.stub.ListPowers(pb.ListPowersRequest(parent=org, page_size=5), timeout=RPC_TIMEOUT)
        error = self.assertRpcFails(C.INVALID_ARGUMENT, self.stub.ListPowers, pb.ListPowersRequest(
            parent=org, page_size=5, page_token=first.next_page_token, domain="殡葬"))
        self.assertInvalidFields(error, "page_token")
        error = self.assertRpcFails(C.INVALID_ARGUMENT, self.stub.ListPowers,
                                    pb.ListPowersRequest(parent=org, page_size=1001, type=77))
        self.assertInvalidFields(error, "page_size", "type")


class ValidationTest(E2ETestCase):

    def test_power_names_every_bad_field(self):
        error = self.assertRpcFails(C.INVALID_ARGUMENT, self.stub.CreatePower, pb.CreatePowerRequest(
            parent="orgs/e2e-val", power=pb.Power(code="带空格 code", type=99, required_officers=1)))
        fields = self.assertInvalidFields(error, "power.code", "power.item_name", "power.type",
                                          "power.domain", "power.required_officers")
        self.assertEqual(len(harness.bad_request_fields(error)), 5, fields)

    def test_officer_names_every_bad_field(self):
        bad = officer("HR-1", expiry=(2020, 1, 1), hours=-3)
        bad.certificate.number = "x!"
        bad.certificate.issued_date.CopyFrom(date(2021, 2, 30))
        bad.max_load = 5000
        bad.established = False
        bad.post = "orgs/e2e-val/posts/p"
        error = self.assertRpcFails(C.INVALID_ARGUMENT, self.stub.CreateOfficer,
                                    pb.CreateOfficerRequest(parent="orgs/e2e-val", officer=bad))
        self.assertInvalidFields(error, "officer.certificate.number", "officer.certificate.issued_date",
                                 "officer.training[0].hours", "officer.max_load", "officer.post")

    def test_certificate_fields_without_a_number(self):
        o = officer("HR-2")
        o.certificate.number = ""
        error = self.assertRpcFails(C.INVALID_ARGUMENT, self.stub.CreateOfficer,
                                    pb.CreateOfficerRequest(parent="orgs/e2e-val", officer=o))
        self.assertInvalidFields(error, "officer.certificate.issued_date",
                                 "officer.certificate.expiry_date", "officer.certificate.status")

    def test_coverage_and_allocation_requests(self):
        error = self.assertRpcFails(C.INVALID_ARGUMENT, self.stub.GetCoverage, pb.GetCoverageRequest(
            org="orgs/BAD", as_of=date(2024, 2, 30), expiring_within_days=99999,
            required_training_hours=-1))
        self.assertInvalidFields(error, "org", "as_of", "expiring_within_days", "required_training_hours")
        error = self.assertRpcFails(C.INVALID_ARGUMENT, self.stub.AllocateDuties,
                                    pb.AllocateDutiesRequest(parent="nope", as_of=date(1800, 1, 1)))
        self.assertInvalidFields(error, "parent", "as_of")


class ImportTest(E2ETestCase):
    ORG = "orgs/e2e-imp"

    def test_import_powers_and_officers_with_bad_rows(self):
        rows = [power("000117001000", domain="社会组织"),
                power("bad code"),                                  # row 1
                power("000217001000", domain="社会组织"),
                pb.Power(code="000617001000", item_name="检查", domain="社会组织"),  # row 3: no type
                power("000117001000", domain="社会组织")]           # row 4: duplicate code
        report = self.stub.ImportPowers(iter([
            pb.ImportPowersRequest(parent=self.ORG, powers=rows[:3]),
            pb.ImportPowersRequest(powers=rows[3:])]), timeout=RPC_TIMEOUT)
        self.assertEqual((report.rows_received, report.rows_stored, report.rows_rejected), (5, 2, 3))
        results = {r.row: r for r in report.results}
        self.assertEqual(sorted(results), [1, 3, 4])
        self.assertEqual([e.field for e in results[1].field_errors], ["code"])
        self.assertEqual([e.field for e in results[3].field_errors], ["type"])
        self.assertEqual(results[4].code, code_pb2.ALREADY_EXISTS)
        self.assertEqual(results[4].batch, 1)

        # UPSERT matches by code when there is no external id.
        report = self.stub.ImportPowers(iter([pb.ImportPowersRequest(
            parent=self.ORG, mode=import_pb2.IMPORT_MODE_UPSERT, report_stored_rows=True,
            powers=[power("000117001000", domain="社会组织", needs_legal_review=True)])]),
            timeout=RPC_TIMEOUT)
        self.assertTrue(report.results[0].replaced)
        stored, _ = self.list_all(self.stub.ListPowers, pb.ListPowersRequest(parent=self.ORG), "powers")
        self.assertEqual([(p.code, p.needs_legal_review) for p in stored],
                         [("000117001000", True), ("000217001000", False)])

        officers = [officer("HR-1"), officer("HR-2", expiry=(2020, 1, 1)),   # row 1: expiry < issued
                    officer("HR-3")]
        officers[2].certificate.number = "ZF-HR-1"                           # row 2: cert taken
        report = self.stub.ImportOfficers(iter([pb.ImportOfficersRequest(
            parent=self.ORG, officers=officers)]), timeout=RPC_TIMEOUT)
        self.assertEqual((report.rows_stored, report.rows_rejected), (1, 2))
        results = {r.row: r for r in report.results}
        self.assertEqual([e.field for e in results[1].field_errors], ["certificate.expiry_date"])
        self.assertEqual(results[2].code, code_pb2.ALREADY_EXISTS)
        self.assertIn("certificate number", results[2].message)


class AssignmentTest(E2ETestCase):
    ORG = "orgs/e2e-asg"

    def test_hand_made_assignments_and_references(self):
        p = self.create_power(self.ORG, power("BZ-1"))
        good = self.create_officer(self.ORG, officer("HR-1"))
        expired = self.create_officer(self.ORG, officer("HR-2", expiry=(2024, 6, 30)))
        elsewhere = self.create_officer(self.ORG, officer("HR-3", domains=["婚姻登记"]))
        for o, why in ((expired, "expired on 2024-06-30"), (elsewhere, 'domain "殡葬"')):
            error = self.assertRpcFails(C.FAILED_PRECONDITION, self.stub.CreateAssignment,
                                        pb.CreateAssignmentRequest(parent=p.name, officer=o.name))
            self.assertIn(why, error.details())
        a = self.stub.CreateAssignment(pb.CreateAssignmentRequest(
            parent=p.name, officer=good.name,
            assignment=pb.Assignment(role=pb.ASSIGNMENT_ROLE_LEAD)), timeout=RPC_TIMEOUT)
        self.assertEqual(a.name, p.name + "/assignments/" + good.name.split("/")[-1])
        self.assertEqual((a.role, a.origin), (pb.ASSIGNMENT_ROLE_LEAD, pb.ASSIGNMENT_ORIGIN_PINNED))

        for method, request in ((self.stub.DeletePower, pb.DeletePowerRequest(name=p.name)),
                                (self.stub.DeleteOfficer, pb.DeleteOfficerRequest(name=good.name))):
            error = self.assertRpcFails(C.FAILED_PRECONDITION, method, request)
            self.assertIn("referenced by 1 assignments", error.details())
        self.stub.GetPower(pb.GetPowerRequest(name=p.name), timeout=RPC_TIMEOUT)

        unpinned = self.stub.UpdateAssignment(pb.UpdateAssignmentRequest(
            assignment=pb.Assignment(name=a.name, etag=a.etag, role=pb.ASSIGNMENT_ROLE_ASSISTANT),
            update_mask=field_mask_pb2.FieldMask(paths=["role"])), timeout=RPC_TIMEOUT)
        self.assertEqual(unpinned.role, pb.ASSIGNMENT_ROLE_ASSISTANT)
        self.stub.DeleteAssignment(pb.DeleteAssignmentRequest(name=a.name), timeout=RPC_TIMEOUT)
        self.stub.DeletePower(pb.DeletePowerRequest(name=p.name), timeout=RPC_TIMEOUT)


class AllocationTest(E2ETestCase):

    def test_two_officer_rule(self):
        org = "orgs/e2e-art42"
        p = self.create_power(org, power("BZ-1", required_officers=0))
        self.create_officer(org, officer("HR-1"))
        plan = self.allocate(org, dry_run=False)
        self.assertEqual(plan.stats.staffed_powers, 0)
        self.assertEqual(len(plan.unstaffed), 1)
        u = plan.unstaffed[0]
        self.assertEqual((u.power, u.reason, u.required_officers, u.qualified_officers),
                         (p.name, pb.UNSTAFFED_REASON_NO_QUALIFIED_OFFICER, 2, 1))
        self.assertEqual(self.assignments(org), [], "one officer alone is never assigned")
        second = self.create_officer(org, officer("HR-2"))
        plan = self.allocate(org, dry_run=False)
        self.assertEqual(plan.stats.staffed_powers, 1)
        self.assertEqual(len(plan.allocations[0].officers), 2)
        roles = sorted(o.role for o in plan.allocations[0].officers)
        self.assertEqual(roles, [pb.ASSIGNMENT_ROLE_LEAD, pb.ASSIGNMENT_ROLE_ASSISTANT])
        self.assertEqual(len(self.assignments(org)), 2)
        # The day matters: on 2028-01-01 both certificates have expired.
        plan = self.allocate(org, dry_run=True, as_of=(2028, 1, 1))
        self.assertEqual(plan.unstaffed[0].reason, pb.UNSTAFFED_REASON_CERTIFICATES_NOT_VALID)
        self.assertIn(second.name, {a.officer for a in self.assignments(org)})

    def test_dry_run_then_commit_keeps_pins(self):
        org = "orgs/e2e-alloc"
        powers = [self.create_power(org, power(f"SZ-{i}", domain="社会组织",
                                               needs_legal_review=(i == 0))) for i in range(6)]
        officers = [self.create_officer(org, officer(f"HR-{i}", domains=["社会组织"], legal=(i == 3)))
                    for i in range(4)]
        pin = self.stub.CreateAssignment(pb.CreateAssignmentRequest(
            parent=powers[1].name, officer=officers[0].name), timeout=RPC_TIMEOUT)

        dry = self.allocate(org, dry_run=True)
        self.assertFalse(dry.committed)
        self.assertEqual(dry.stats.staffed_powers, 6)
        self.assertEqual([a.name for a in self.assignments(org)], [pin.name])
        self.assertIn("NetworkSimplex", dry.method)
        # 12 places over 4 officers: 3 each.
        self.assertEqual(sorted(l.load for l in dry.loads), [3, 3, 3, 3])
        reviewed = next(a for a in dry.allocations if a.power == powers[0].name)
        self.assertIn(officers[3].name, [o.officer for o in reviewed.officers])

        done = self.allocate(org, dry_run=False)
        self.assertTrue(done.committed)
        stored = self.assignments(org)
        self.assertEqual(len(stored), 12)
        by_name = {a.name: a for a in stored}
        self.assertEqual(by_name[pin.name].origin, pb.ASSIGNMENT_ORIGIN_PINNED)
        self.assertEqual(by_name[pin.name].etag, pin.etag)
        self.assertEqual(sum(a.origin == pb.ASSIGNMENT_ORIGIN_COMPUTED for a in stored), 11)
        again = self.allocate(org, dry_run=False)
        self.assertEqual((again.stats.kept, again.stats.added, again.stats.removed), (11, 0, 0))

        # An officer's certificate is revoked: only their work moves.
        moved = officers[1]
        self.stub.UpdateOfficer(pb.UpdateOfficerRequest(
            officer=pb.Officer(name=moved.name, certificate=pb.Certificate(
                number=moved.certificate.number, issued_date=moved.certificate.issued_date,
                expiry_date=moved.certificate.expiry_date, status=pb.CERTIFICATE_STATUS_REVOKED)),
            update_mask=field_mask_pb2.FieldMask(paths=["certificate"])), timeout=RPC_TIMEOUT)
        after = self.allocate(org, dry_run=False)
        self.assertEqual(after.stats.staffed_powers, 6)
        self.assertNotIn(moved.name, {a.officer for a in self.assignments(org)})
        self.assertEqual(after.stats.removed, 3)


class CoverageTest(E2ETestCase):
    """The county civil-affairs bureau's demo data shows its own weakness."""
    ORG = "orgs/e2e-lushan"

    @classmethod
    def setUpClass(cls):
        stub = SERVER.stub()
        report = stub.ImportPowers(iter([pb.ImportPowersRequest(
            parent=cls.ORG, powers=load_jsonl(os.path.join(DEMO, "powers.jsonl"), pb.Power))]),
            timeout=RPC_TIMEOUT)
        assert report.rows_rejected == 0, report
        report = stub.ImportOfficers(iter([pb.ImportOfficersRequest(
            parent=cls.ORG, officers=load_jsonl(os.path.join(DEMO, "officers.jsonl"), pb.Officer))]),
            timeout=RPC_TIMEOUT)
        assert report.rows_rejected == 0, report
        cls.plan = stub.AllocateDuties(pb.AllocateDutiesRequest(
            parent=cls.ORG, as_of=date(2024, 12, 31)), timeout=RPC_TIMEOUT)
        cls.coverage = stub.GetCoverage(pb.GetCoverageRequest(org=cls.ORG, as_of=date(2024, 12, 31)),
                                        timeout=RPC_TIMEOUT)

    def test_every_staffed_power_has_two_valid_officers(self):
        self.assertTrue(self.plan.committed)
        for p in self.coverage.powers:
            if p.staffed:
                self.assertGreaterEqual(p.valid_certified_officers, 2, p.code)
            else:
                self.assertEqual(p.assigned_officers, 0, p.code)
        self.assertEqual(self.coverage.totals.staffed_powers, self.plan.stats.staffed_powers)

    def test_totals(self):
        t = self.coverage.totals
        powers = load_jsonl(os.path.join(DEMO, "powers.jsonl"), pb.Power)
        officers = load_jsonl(os.path.join(DEMO, "officers.jsonl"), pb.Officer)
        self.assertEqual(t.powers, len(powers))
        self.assertEqual(t.officers, len(officers))
        self.assertEqual(t.powers_needing_legal_review, sum(p.needs_legal_review for p in powers))
        # Training counts enforcement officers only: established, with a
        # certificate valid on the coverage's day.
        def enforcing(o):
            c = o.certificate
            day = (self.coverage.as_of.year, self.coverage.as_of.month, self.coverage.as_of.day)
            return (o.established and c.number and c.status == pb.CERTIFICATE_STATUS_VALID and
                    (c.issued_date.year, c.issued_date.month, c.issued_date.day) <= day <=
                    (c.expiry_date.year, c.expiry_date.month, c.expiry_date.day))
        self.assertEqual(t.training_officers, sum(enforcing(o) for o in officers))
        self.assertEqual(t.training_hours,
                         sum(x.hours for o in officers if enforcing(o) for x in o.training if x.year == 2024))
        by_domain = {d.domain: d.powers for d in t.powers_by_domain}
        for domain in ("社会组织", "养老服务", "殡葬", "区划地名", "慈善", "社会救助", "婚姻登记"):
            self.assertEqual(by_domain[domain], sum(p.domain == domain for p in powers))
        self.assertEqual(sum(x.powers for x in t.powers_by_type), t.powers)

    def test_the_weakness_shows(self):
        gaps = self.coverage.gaps
        no_reviewer = {g.domain for g in gaps if g.type == pb.GAP_TYPE_DOMAIN_WITHOUT_LEGAL_REVIEWER}
        self.assertEqual(no_reviewer, {"社会组织", "养老服务", "殡葬", "慈善"})
        unassigned = {g.domain for g in gaps if g.type == pb.GAP_TYPE_POWER_UNASSIGNED}
        self.assertTrue({"社会组织", "养老服务", "殡葬", "慈善"} <= unassigned, unassigned)
        self.assertFalse(unassigned & {"社会救助", "婚姻登记"})
        expired = [g for g in gaps if g.type == pb.GAP_TYPE_CERTIFICATE_EXPIRED]
        self.assertEqual(len(expired), 1)
        self.assertEqual((expired[0].date.year, expired[0].date.month, expired[0].date.day),
                         (2024, 6, 30))
        self.assertTrue(expired[0].officer.startswith(self.ORG + "/officers/"))
        expiring = [g for g in gaps if g.type == pb.GAP_TYPE_CERTIFICATE_EXPIRING]
        self.assertEqual([g.days for g in expiring], [59])
        short = [g for g in gaps if g.type == pb.GAP_TYPE_TRAINING_HOURS_SHORT]
        self.assertTrue(all(g.actual < g.required == 60 for g in short))
        reasons = {u.domain: u.reason for u in self.plan.unstaffed}
        self.assertEqual(reasons["养老服务"], pb.UNSTAFFED_REASON_NO_QUALIFIED_OFFICER)
        self.assertEqual(reasons["殡葬"], pb.UNSTAFFED_REASON_CERTIFICATES_NOT_VALID)
        self.assertEqual(reasons["慈善"], pb.UNSTAFFED_REASON_NO_LEGAL_REVIEWER)
        # Coverage says why a power is unassigned, as the allocation did.
        by_power = {u.power: u.reason for u in self.plan.unstaffed}
        unassigned = [g for g in gaps if g.type == pb.GAP_TYPE_POWER_UNASSIGNED]
        self.assertEqual({g.power for g in unassigned}, set(by_power))
        for g in unassigned:
            self.assertEqual(g.reason, by_power[g.power], g.power_code)

    def test_summary_of_the_year(self):
        summary = self.stub.GetDutySummary(pb.GetDutySummaryRequest(org=self.ORG, year=2024),
                                           timeout=RPC_TIMEOUT)
        self.assertEqual((summary.as_of.year, summary.as_of.month, summary.as_of.day), (2024, 12, 31))
        self.assertEqual(summary.totals, self.coverage.totals)
        self.assertEqual(list(summary.gaps), list(self.coverage.gaps))


class DurabilityTest(E2ETestCase):
    """A committed plan survives kill -9."""

    def test_committed_plan_survives_sigkill(self):
        server = duty_server("durability").start()
        try:
            stub = server.stub()
            org = "orgs/e2e-dur"
            for i in range(2):
                stub.CreateOfficer(pb.CreateOfficerRequest(parent=org, officer=officer(f"D{i}")),
                                   timeout=RPC_TIMEOUT)
            stub.CreatePower(pb.CreatePowerRequest(parent=org, power=power("D-1")), timeout=RPC_TIMEOUT)
            plan = stub.AllocateDuties(pb.AllocateDutiesRequest(parent=org, as_of=date(2025, 1, 1)),
                                       timeout=RPC_TIMEOUT)
            self.assertEqual(plan.stats.added, 2)
            server.kill()
            server.start()
            stored = server.stub().ListAssignments(
                pb.ListAssignmentsRequest(parent=f"{org}/powers/-"), timeout=RPC_TIMEOUT)
            self.assertEqual(len(stored.assignments), 2)
            self.assertEqual(server.terminate(close_channel=True), 0, server.log_tail())
        finally:
            if server.proc.poll() is None:
                server.kill()


if __name__ == "__main__":
    harness.run_tests("duty e2e", UNITTEST_ARGV, postgres=ARGS.postgres)
