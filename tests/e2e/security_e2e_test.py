#!/usr/bin/env python3
"""End-to-end test of who may do what: keys, roles, organizations, TLS, audit.

Run through ctest (tests/e2e/CMakeLists.txt), or by hand:

  /usr/bin/python3 tests/e2e/security_e2e_test.py --study build/bin/fazhi-study \
      --duty build/bin/fazhi-duty --report build/bin/fazhi-report \
      --gateway build/bin/fazhi-gateway --cli build/bin/fazhi \
      --stubs build/tests/e2e/pystubs --demo deploy/demo [-v]

The four real binaries run with a keys file made by the real `fazhi keys`
command. One caller per role (reader, editor, approver, supervisor, admin) is
bound to the demo's civil-affairs bureau (OWN); the market regulator (OTHER)
holds the same kinds of records. Then:

- every RPC of every service (read off the generated descriptors, so a new
  RPC without an expectation fails here) is called by each role on OWN and
  on OTHER and without credentials; the status must be exactly
  UNAUTHENTICATED / PERMISSION_DENIED where the role or organization does
  not allow it, and the denied calls must change nothing (every record of
  both organizations listed before and after) and be in the audit trail;
- lists across organizations and the supervisor's dashboard show OWN only;
- the report life takes "who" from the key, and two-person approval holds;
- a new key works and a revoked one stops working after SIGHUP, no restart;
- the HTTP download needs a key with read on the organization;
- TLS on the public side, mTLS between gateway and backends, a caller known
  by its client certificate (forwarded by the gateway as a delegate), with
  certificates made by openssl here;
- no log line holds a key or certificate material.
"""

import os
import signal
import sqlite3
import sys
import time
import unittest

import harness

ARGS, UNITTEST_ARGV = harness.parse_args(__doc__, ("study", "duty", "report", "gateway"),
                                         cli=True, demo=True)

import grpc  # noqa: E402

from fazhi.duty.v1 import duty_pb2 as dt  # noqa: E402
from fazhi.duty.v1 import duty_pb2_grpc  # noqa: E402
from fazhi.gateway.v1 import gateway_pb2 as gw  # noqa: E402
from fazhi.gateway.v1 import gateway_pb2_grpc  # noqa: E402
from fazhi.report.v1 import report_pb2 as rp  # noqa: E402
from fazhi.report.v1 import report_pb2_grpc  # noqa: E402
from fazhi.study.v1 import study_pb2 as st  # noqa: E402
from fazhi.study.v1 import study_pb2_grpc  # noqa: E402
from fazhi.type.v1 import audit_pb2  # noqa: E402

C = grpc.StatusCode
RPC_TIMEOUT = 30
OWN = "lushan-minzheng"
OTHER = "lushan-shijianju"
OFFICE = "lushan-yifazhixian"  # supervises both in the demo's org.json
ROLES = ("reader", "editor", "approver", "supervisor", "admin")
GRANTS = {  # what each role may do, as the issue defines it
    "reader": {"read"},
    "editor": {"read", "write"},
    "approver": {"read", "approve"},
    "supervisor": {"read", "audit"},
    "admin": {"read", "write", "approve", "audit", "administer"},
}

# Every RPC: (permission, field naming the organization, its value with
# {org}); "stream" for client streams (parent of the first message);
# "across" for calls that span organizations.
N = "name"
RULES = {
    "study": {
        "GetSession": ("read", N, "orgs/{org}/sessions/{session}"),
        "ListSessions": ("read", "parent", "orgs/{org}"),
        "CreateSession": ("write", "parent", "orgs/{org}"),
        "UpdateSession": ("write", "session.name", "orgs/{org}/sessions/{session}"),
        "DeleteSession": ("write", N, "orgs/{org}/sessions/{session}"),
        "ImportSessions": ("write", "stream", "orgs/{org}"),
        "GetPublicityEvent": ("read", N, "orgs/{org}/publicityEvents/{event}"),
        "ListPublicityEvents": ("read", "parent", "orgs/{org}"),
        "CreatePublicityEvent": ("write", "parent", "orgs/{org}"),
        "UpdatePublicityEvent": ("write", "publicity_event.name", "orgs/{org}/publicityEvents/{event}"),
        "DeletePublicityEvent": ("write", N, "orgs/{org}/publicityEvents/{event}"),
        "ImportPublicityEvents": ("write", "stream", "orgs/{org}"),
        "GetStudyPlan": ("read", N, "orgs/{org}/studyPlans/2024"),
        "ListStudyPlans": ("read", "parent", "orgs/{org}"),
        "UpdateStudyPlan": ("write", "study_plan.name", "orgs/{org}/studyPlans/2024"),
        "DeleteStudyPlan": ("write", N, "orgs/{org}/studyPlans/2024"),
        "GetStudySummary": ("read", "org", "orgs/{org}"),
        "ListAuditRecords": ("audit", "parent", "orgs/{org}"),
    },
    "duty": {
        "GetPower": ("read", N, "orgs/{org}/powers/{power}"),
        "ListPowers": ("read", "parent", "orgs/{org}"),
        "CreatePower": ("write", "parent", "orgs/{org}"),
        "UpdatePower": ("write", "power.name", "orgs/{org}/powers/{power}"),
        "DeletePower": ("write", N, "orgs/{org}/powers/{power}"),
        "ImportPowers": ("write", "stream", "orgs/{org}"),
        "GetPost": ("read", N, "orgs/{org}/posts/p-x"),
        "ListPosts": ("read", "parent", "orgs/{org}"),
        "CreatePost": ("write", "parent", "orgs/{org}"),
        "UpdatePost": ("write", "post.name", "orgs/{org}/posts/p-x"),
        "DeletePost": ("write", N, "orgs/{org}/posts/p-x"),
        "GetOfficer": ("read", N, "orgs/{org}/officers/{officer}"),
        "ListOfficers": ("read", "parent", "orgs/{org}"),
        "CreateOfficer": ("write", "parent", "orgs/{org}"),
        "UpdateOfficer": ("write", "officer.name", "orgs/{org}/officers/{officer}"),
        "DeleteOfficer": ("write", N, "orgs/{org}/officers/{officer}"),
        "ImportOfficers": ("write", "stream", "orgs/{org}"),
        "GetAssignment": ("read", N, "orgs/{org}/powers/{power}/assignments/{officer}"),
        "ListAssignments": ("read", "parent", "orgs/{org}/powers/{power}"),
        "CreateAssignment": ("write", "parent", "orgs/{org}/powers/{power}"),
        "UpdateAssignment": ("write", "assignment.name", "orgs/{org}/powers/{power}/assignments/{officer}"),
        "DeleteAssignment": ("write", N, "orgs/{org}/powers/{power}/assignments/{officer}"),
        "AllocateDuties": ("write", "parent", "orgs/{org}"),
        "GetCoverage": ("read", "org", "orgs/{org}"),
        "GetDutySummary": ("read", "org", "orgs/{org}"),
        "ListAuditRecords": ("audit", "parent", "orgs/{org}"),
    },
    "report": {
        "CreateOrganization": ("administer", "organization_id", "{org}"),
        "GetOrganization": ("read", N, "orgs/{org}"),
        "ListOrganizations": ("read", "across", ""),
        "UpdateOrganization": ("administer", "organization.name", "orgs/{org}"),
        "DeleteOrganization": ("administer", N, "orgs/{org}"),
        "CreateReport": ("write", "parent", "orgs/{org}"),
        "GetReport": ("read", N, "orgs/{org}/reports/2024"),
        "GetReportInputs": ("read", N, "orgs/{org}/reports/2024"),
        "ListReports": ("read", "parent", "orgs/{org}"),
        "UpdateReport": ("write", "report.name", "orgs/{org}/reports/2024"),
        "DeleteReport": ("write", N, "orgs/{org}/reports/2024"),
        "SubmitReport": ("write", N, "orgs/{org}/reports/2024"),
        "ApproveReport": ("approve", N, "orgs/{org}/reports/2024"),
        "RejectReport": ("approve", N, "orgs/{org}/reports/2024"),
        "PublishReport": ("approve", N, "orgs/{org}/reports/2024"),
        "CreateRevision": ("write", N, "orgs/{org}/reports/2024"),
        "GetReportRevision": ("read", N, "orgs/{org}/reports/2024/revisions/1"),
        "ListReportRevisions": ("read", "parent", "orgs/{org}/reports/2024"),
        "GetReportDocument": ("read", N, "orgs/{org}/reports/2024/revisions/1/documents/docx"),
        "ListOverdueReports": ("read", "supervisor", "orgs/{org}"),
        "ListHistory": ("read", "parent", "orgs/{org}"),
        "ListAuditRecords": ("audit", "parent", "orgs/{org}"),
    },
    "gateway": {
        "ComposeReport": ("read", "org", "orgs/{org}"),
        "GetFacts": ("read", "org", "orgs/{org}"),
        "PublishReport": ("approve", "org", "orgs/{org}"),
        "GetDashboard": ("read", "supervisor", "orgs/{org}"),
        "ApproveReport": ("approve", "org", "orgs/{org}"),
        "RejectReport": ("approve", "org", "orgs/{org}"),
    },
}
SERVICES = {
    "study": (st, study_pb2_grpc.StudyServiceStub, "StudyService"),
    "duty": (dt, duty_pb2_grpc.DutyServiceStub, "DutyService"),
    "report": (rp, report_pb2_grpc.ReportServiceStub, "ReportService"),
    "gateway": (gw, gateway_pb2_grpc.AnnualReportServiceStub, "AnnualReportService"),
}

WORKDIR = None
SERVERS = {}
KEYS = {}  # caller name -> API key
NAMES = {}  # org -> {"session": id, ...} of real records


def server(name, flags, db=None, http=False, extra_args=(), credentials=None):
    """fazhi-<name> on a free loopback port with exactly `flags` (a keys file, TLS)."""
    return harness.ServerProcess(getattr(ARGS, name), name, WORKDIR, db=db, http=http,
                                 extra_args=extra_args, flags=flags, credentials=credentials)


def fazhi(*args, key=None, check=True):
    targets = {n: SERVERS[n].target for n in ("study", "duty", "report", "gateway") if n in SERVERS}
    env = harness.client_env(keys_file=os.path.join(WORKDIR, "keys.json"), api_key=key, **targets)
    return harness.cli_process(ARGS.cli, env, *args, check=check)


def create_key(caller, roles=None, extra=()):
    key = harness.create_key(ARGS.cli, os.path.join(WORKDIR, "keys.json"), caller, roles, extra)
    KEYS[caller] = key
    return key


md = harness.bearer


def stub(service, server=None):
    module, stub_class, _ = SERVICES[service]
    server = server or SERVERS[service]
    channel = server.new_channel()
    return stub_class(channel), channel


def call(service, method, request, key, server=None):
    """(code, response-or-None) of one call; streams send `request` once."""
    s, channel = stub(service, server)
    try:
        fn = getattr(s, method)
        if isinstance(request, list):
            reply = fn(iter(request), metadata=md(key), timeout=RPC_TIMEOUT)
        else:
            reply = fn(request, metadata=md(key), timeout=RPC_TIMEOUT)
        return C.OK, reply
    except grpc.RpcError as e:
        return e.code(), e.details()
    finally:
        channel.close()


def set_path(message, path, value):
    parts = path.split(".")
    for part in parts[:-1]:
        message = getattr(message, part)
    setattr(message, parts[-1], value)


def request_for(service, method, org):
    """A request of `method` naming `org` (records of that org where real ones exist)."""
    module, _, service_name = SERVICES[service]
    descriptor = module.DESCRIPTOR.services_by_name[service_name].methods_by_name[method]
    permission, field, template = RULES[service][method]
    message_class = getattr(module, descriptor.input_type.name, None)
    if message_class is None:  # a shared type (fazhi.type.v1)
        message_class = audit_pb2.ListAuditRecordsRequest
    message = message_class()
    value = template.format(org=org, **NAMES.get(org, {}))
    if field == "stream":
        message.parent = value
        return [message]
    if field != "across":
        set_path(message, field, value)
    if "year" in message.DESCRIPTOR.fields_by_name:
        message.year = 2024
    return message


def snapshot():
    """Every record of both organizations, as the admin lists them."""
    admin = KEYS["admin"]
    seen = {}
    for org in (OWN, OTHER):
        for service, method, field in (
                ("study", "ListSessions", "sessions"), ("study", "ListPublicityEvents", "publicity_events"),
                ("study", "ListStudyPlans", "study_plans"), ("duty", "ListPowers", "powers"),
                ("duty", "ListPosts", "posts"), ("duty", "ListOfficers", "officers"),
                ("report", "ListReports", "reports")):
            module = SERVICES[service][0]
            req = getattr(module, method + "Request")(parent=f"orgs/{org}", page_size=1000)
            code, reply = call(service, method, req, admin)
            assert code == C.OK, (method, code, reply)
            seen[(org, method)] = sorted(x.SerializeToString(deterministic=True)
                                         for x in getattr(reply, field))
        code, reply = call("report", "GetOrganization", rp.GetOrganizationRequest(name=f"orgs/{org}"), admin)
        assert code == C.OK, reply
        seen[(org, "org")] = reply.SerializeToString(deterministic=True)
    return seen


def audit_count(service, key, org, denied_only=True):
    total, token = 0, ""
    while True:
        code, reply = call(service, "ListAuditRecords", audit_pb2.ListAuditRecordsRequest(
            parent=f"orgs/{org}", page_size=1000, page_token=token, denied_only=denied_only), key)
        assert code == C.OK, reply
        total += len(reply.audit_records)
        token = reply.next_page_token
        if not token:
            return total


def load_demo():
    admin = KEYS["admin"]
    demo = os.path.join(ARGS.demo, OWN)
    for org in (OWN, OTHER):
        fazhi("report", "put-org", f"--file={os.path.join(ARGS.demo, org)}/org.json", key=admin)
        fazhi("report", "put", f"--org={org}", "--year=2024",
              f"--file={os.path.join(ARGS.demo, org)}/report-2024.json", key=admin)
        fazhi("study", "put-plan", f"--org={org}", "--year=2024", f"--file={demo}/plan-2024.json", key=admin)
        fazhi("study", "import-sessions", f"--org={org}", f"--file={demo}/sessions.jsonl", key=admin)
        fazhi("study", "import-events", f"--org={org}", f"--file={demo}/events.jsonl", key=admin)
        fazhi("duty", "import-powers", f"--org={org}", f"--file={demo}/powers.jsonl", key=admin)
        fazhi("duty", "import-officers", f"--org={org}", f"--file={demo}/officers.jsonl", key=admin)
        fazhi("duty", "allocate", f"--org={org}", "--as-of=2024-12-31", "--commit", key=admin)
        names = {}
        for service, method, field, label in (("study", "ListSessions", "sessions", "session"),
                                              ("study", "ListPublicityEvents", "publicity_events", "event"),
                                              ("duty", "ListPowers", "powers", "power"),
                                              ("duty", "ListOfficers", "officers", "officer")):
            module = SERVICES[service][0]
            code, reply = call(service, method, getattr(module, method + "Request")(
                parent=f"orgs/{org}", page_size=1), admin)
            assert code == C.OK, reply
            names[label] = getattr(reply, field)[0].name.rsplit("/", 1)[1]
        NAMES[org] = names


def setUpModule():
    global WORKDIR
    WORKDIR = harness.make_workdir("fazhi-e2e-security-", keep=ARGS.keep)
    unittest.addModuleCleanup(lambda: [s.stop() for s in SERVERS.values()])
    # Keys first (the services refuse to start without them).
    create_key("admin", "admin:*")
    for role in ROLES[:-1]:
        create_key(role, f"{role}:{OWN}")
    create_key("office", f"supervisor:{OFFICE},{OWN}")
    create_key("clerk", f"editor:{OWN} approver:{OWN}")  # may submit and approve: two-person rule
    # The gateway's own caller: publishes on the approver's behalf.
    gateway_key = os.path.join(WORKDIR, "gateway.key")
    keys_file = os.path.join(WORKDIR, "keys.json")
    harness.write_gateway_key(ARGS.cli, keys_file, gateway_key)
    keyed = [f"--keys_file={keys_file}", "--allow_plaintext", "--log_format=json"]
    for name in ("study", "duty", "report"):
        SERVERS[name] = server(name, keyed, db=harness.new_database(WORKDIR, name)).start()
    SERVERS["gateway"] = server("gateway", keyed, http=True, extra_args=[
        f"--gateway_key_file={gateway_key}",
        *(f"--{n}_target={SERVERS[n].target}" for n in ("study", "duty", "report"))]).start()
    load_demo()


class A_RoleTable(unittest.TestCase):
    def test_every_rpc_is_in_the_table(self):
        for service, (module, _, service_name) in SERVICES.items():
            methods = set(module.DESCRIPTOR.services_by_name[service_name].methods_by_name)
            self.assertEqual(methods, set(RULES[service]), service)

    def test_denied_calls_get_the_exact_status_change_nothing_and_are_audited(self):
        before = snapshot()
        audited_before = {s: audit_count(s, KEYS["admin"], o) for s in ("study", "duty", "report")
                          for o in (OWN,)}
        denied = {"study": 0, "duty": 0, "report": 0}
        checked = 0
        for service, rules in RULES.items():
            for method, (permission, field, _) in rules.items():
                for org in (OWN, OTHER):
                    if field == "across":
                        continue
                    request = request_for(service, method, org)
                    code, detail = call(service, method, request, None)
                    self.assertEqual(code, C.UNAUTHENTICATED, f"{service}.{method} without a key: {detail}")
                    # A refused stream never read its first message, so its
                    # audit record names no organization: not counted here;
                    # nor a call without a key, filed under no organization.
                    counted = org == OWN and service != "gateway" and field != "stream"
                    for role in ROLES:
                        allowed = permission in GRANTS[role] and (org == OWN or role == "admin")
                        if allowed:
                            continue  # allowed calls run last (they may change OWN)
                        code, detail = call(service, method, request_for(service, method, org), KEYS[role])
                        self.assertEqual(code, C.PERMISSION_DENIED,
                                         f"{role} {service}.{method} on {org}: {code} {detail}")
                        checked += 1
                        denied[service] = denied.get(service, 0) + (1 if counted else 0)
        self.assertGreater(checked, 300)
        self.assertEqual(snapshot(), before, "a denied call changed something")
        for service in ("study", "duty", "report"):
            # Denied calls on OWN are in its audit trail (the ones on OTHER in OTHER's).
            self.assertEqual(audit_count(service, KEYS["admin"], OWN) - audited_before[service],
                             denied[service], service)

    def test_lists_across_organizations_show_only_the_callers(self):
        for role in ROLES[:-1]:
            code, reply = call("report", "ListOrganizations", rp.ListOrganizationsRequest(), KEYS[role])
            self.assertEqual(code, C.OK, reply)
            self.assertEqual([o.name for o in reply.organizations], [f"orgs/{OWN}"], role)
        code, reply = call("report", "ListOrganizations", rp.ListOrganizationsRequest(), KEYS["admin"])
        self.assertEqual({o.name for o in reply.organizations}, {f"orgs/{OWN}", f"orgs/{OTHER}"})
        # The office supervises both in the data, but its key covers OWN only.
        code, reply = call("gateway", "GetDashboard", gw.GetDashboardRequest(
            supervisor=f"orgs/{OFFICE}", year=2024), KEYS["office"])
        self.assertEqual(code, C.OK, reply)
        self.assertEqual([r.org for r in reply.rows], [f"orgs/{OWN}"])
        code, reply = call("report", "ListOverdueReports", rp.ListOverdueReportsRequest(
            supervisor=f"orgs/{OFFICE}", year=2024), KEYS["office"])
        self.assertEqual(code, C.OK, reply)
        self.assertTrue(all(r.organization == f"orgs/{OWN}" for r in reply.reports), reply)

    def test_supervisor_reads_audit_of_its_organizations_only(self):
        code, reply = call("study", "ListAuditRecords", audit_pb2.ListAuditRecordsRequest(
            parent="orgs/-"), KEYS["office"])
        self.assertEqual(code, C.OK, reply)
        self.assertTrue(reply.audit_records)
        self.assertEqual({r.org for r in reply.audit_records}, {OWN})
        code, _ = call("study", "ListAuditRecords", audit_pb2.ListAuditRecordsRequest(
            parent=f"orgs/{OTHER}"), KEYS["office"])
        self.assertEqual(code, C.PERMISSION_DENIED)
        record = reply.audit_records[0]
        self.assertTrue(record.caller and record.method and record.request_id and record.peer)


class B_ReportLife(unittest.TestCase):
    def test_who_comes_from_the_key_and_two_people_approve(self):
        org = f"orgs/{OWN}/reports/2024"
        code, report = call("report", "GetReport", rp.GetReportRequest(name=org), KEYS["clerk"])
        self.assertEqual(code, C.OK, report)
        code, report = call("report", "SubmitReport", rp.SubmitReportRequest(
            name=org, etag=report.etag, actor="someone-else"), KEYS["clerk"])
        self.assertEqual(code, C.OK, report)
        code, detail = call("report", "ApproveReport", rp.ApproveReportRequest(
            name=org, etag=report.etag), KEYS["clerk"])
        self.assertIn(code, (C.FAILED_PRECONDITION, C.PERMISSION_DENIED), detail)
        self.assertIn("clerk", detail)
        code, report = call("report", "ApproveReport", rp.ApproveReportRequest(
            name=org, etag=report.etag), KEYS["approver"])
        self.assertEqual(code, C.OK, report)
        code, published = call("gateway", "PublishReport", gw.PublishReportRequest(
            org=f"orgs/{OWN}", year=2024, formats=["txt"]), KEYS["approver"])
        self.assertEqual(code, C.OK, published)
        code, history = call("report", "ListHistory", rp.ListHistoryRequest(
            parent=f"orgs/{OWN}", page_size=100), KEYS["reader"])
        self.assertEqual(code, C.OK, history)
        actors = {(h.method, h.actor) for h in history.entries}
        self.assertIn(("SubmitReport", "clerk"), actors)
        self.assertIn(("ApproveReport", "approver"), actors)
        self.assertIn(("PublishReport", "approver"), actors)
        self.assertNotIn("someone-else", {a for _, a in actors})
        # Each change is audited once, with the change (same transaction);
        # the refused approval once, with its reason.
        code, audit = call("report", "ListAuditRecords", audit_pb2.ListAuditRecordsRequest(
            parent=f"orgs/{OWN}", page_size=1000), KEYS["admin"])
        self.assertEqual(code, C.OK, audit)
        seen = [(r.method, r.caller, r.outcome) for r in audit.audit_records
                if r.method in ("SubmitReport", "ApproveReport")]
        self.assertEqual(seen.count(("SubmitReport", "clerk", "OK")), 1, seen)
        self.assertEqual(seen.count(("ApproveReport", "approver", "OK")), 1, seen)
        self.assertEqual(len([s for s in seen if s[:2] == ("ApproveReport", "clerk")]), 1, seen)
        self.assertNotIn(("ApproveReport", "clerk", "OK"), seen)


class C_Keys(unittest.TestCase):
    def test_rotation_and_revocation_without_restart(self):
        old = KEYS["reader"]
        request = st.GetStudySummaryRequest(org=f"orgs/{OWN}", year=2024)
        new = create_key("reader")  # a second key for the same caller
        code, _ = call("study", "GetStudySummary", request, new)
        self.assertEqual(code, C.UNAUTHENTICATED)  # not reloaded yet
        pids = [s.proc.pid for s in SERVERS.values()]
        for s in SERVERS.values():
            s.proc.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 10
        while call("study", "GetStudySummary", request, new)[0] != C.OK:
            self.assertLess(time.monotonic(), deadline, SERVERS["study"].log_tail())
            time.sleep(0.1)
        self.assertEqual(call("study", "GetStudySummary", request, old)[0], C.OK)
        old_id = old.split("_")[1]
        fazhi("keys", "revoke", f"--key_id={old_id}")
        listing = fazhi("keys", "list").stdout.decode()
        self.assertIn(f"key {old_id}", listing)
        self.assertIn("REVOKED", listing)
        self.assertNotIn(old, listing)
        for s in SERVERS.values():
            s.proc.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 10
        while call("study", "GetStudySummary", request, old)[0] != C.UNAUTHENTICATED:
            self.assertLess(time.monotonic(), deadline)
            time.sleep(0.1)
        self.assertEqual(call("study", "GetStudySummary", request, new)[0], C.OK)
        self.assertEqual([s.proc.pid for s in SERVERS.values()], pids)  # no restart
        KEYS["reader"] = new

    def test_http_download_needs_a_key_with_read(self):
        def get(org, key):
            status, _, body = harness.http_request(
                SERVERS["gateway"].http_port, "GET", f"/orgs/{org}/reports/2024.txt", key=key,
                timeout=RPC_TIMEOUT)
            return status, body.decode()

        self.assertEqual(get(OWN, None)[0], 401)
        self.assertEqual(get(OWN, "fz_0000000000000000_" + "A" * 43)[0], 401)
        self.assertEqual(get(OTHER, KEYS["editor"])[0], 403)
        status, body = get(OWN, KEYS["editor"])
        self.assertEqual(status, 200, body)
        self.assertIn("法治政府建设", body)


class D_Tls(unittest.TestCase):
    def test_tls_public_side_mtls_backends_and_certificate_callers(self):
        tls = os.path.join(WORKDIR, "tls")
        harness.make_test_certificates(tls, clients=(("gateway", "gateway.fazhi.test"),
                                                     ("oa", "oa.minzheng.test")))
        # The gateway's certificate makes it a delegate; the OA system's
        # certificate is a reader of OWN.
        create_key("gateway-svc", f"reader:{OWN}", ["--certificate=gateway.fazhi.test", "--delegate",
                                                     "--no_key"])
        create_key("oa-system", f"reader:{OWN}", ["--certificate=oa.minzheng.test", "--no_key"])
        keys_file = os.path.join(WORKDIR, "keys.json")
        p = lambda name: os.path.join(tls, name)  # noqa: E731
        server_tls = [f"--tls_cert_file={p('server.pem')}", f"--tls_key_file={p('server.key')}",
                      f"--tls_client_ca_file={p('ca.pem')}"]
        def read(name):
            with open(p(name), "rb") as f:
                return f.read()

        ca_only = grpc.ssl_channel_credentials(read("ca.pem"))
        backends = {}
        for name in ("study", "duty", "report"):
            # The module's servers still run on their files (one process
            # writes a SQLite file): these get copies of what they hold.
            copy = os.path.join(WORKDIR, f"{name}-tls.db")
            with sqlite3.connect(os.path.join(WORKDIR, f"{name}.db")) as src, \
                    sqlite3.connect(copy) as dst:
                src.backup(dst)
            s = server(name, [f"--keys_file={keys_file}", "--log_format=json", *server_tls,
                              "--tls_require_client_cert"],
                       db=f"sqlite:{copy}",
                       credentials=grpc.ssl_channel_credentials(read("ca.pem"), read("oa.key"),
                                                                read("oa.pem")))
            SERVERS[f"tls-{name}"] = s
            backends[name] = s.start()
        gateway = server("gateway", [f"--keys_file={keys_file}", "--log_format=json",
                                     *server_tls, f"--backend_ca_file={p('ca.pem')}",
                                     f"--backend_cert_file={p('gateway.pem')}",
                                     f"--backend_key_file={p('gateway.key')}",
                                     "--backend_server_name=localhost",
                                     *(f"--{n}_target={backends[n].target}" for n in backends)],
                         credentials=ca_only)
        SERVERS["tls-gateway"] = gateway
        gateway.start()
        facts = gw.GetFactsRequest(org=f"orgs/{OWN}", year=2024)

        # An API key over TLS, forwarded over mTLS.
        code, reply = call("gateway", "GetFacts", facts, KEYS["editor"], server=gateway)
        self.assertEqual(code, C.OK, reply)
        # A caller known by its client certificate; the gateway forwards it as
        # a delegate, and the backends check it again.
        oa = grpc.ssl_channel_credentials(read("ca.pem"), read("oa.key"), read("oa.pem"))
        with gateway.new_channel(oa) as channel:
            s = gateway_pb2_grpc.AnnualReportServiceStub(channel)
            self.assertTrue(s.GetFacts(facts, timeout=RPC_TIMEOUT).facts)
            with self.assertRaises(grpc.RpcError) as denied:
                s.GetFacts(gw.GetFactsRequest(org=f"orgs/{OTHER}", year=2024), timeout=RPC_TIMEOUT)
            self.assertEqual(denied.exception.code(), C.PERMISSION_DENIED)
        # Without a key or certificate: UNAUTHENTICATED over TLS too.
        self.assertEqual(call("gateway", "GetFacts", facts, None, server=gateway)[0], C.UNAUTHENTICATED)
        # A backend refuses a client without a certificate (mTLS) and a
        # plaintext client.
        study = backends["study"]
        for creds in (ca_only, None):
            with (study.new_channel(creds) if creds else grpc.insecure_channel(study.target)) as channel:
                with self.assertRaises(grpc.RpcError) as refused:
                    study_pb2_grpc.StudyServiceStub(channel).GetStudySummary(
                        st.GetStudySummaryRequest(org=f"orgs/{OWN}", year=2024),
                        metadata=md(KEYS["admin"]), timeout=5)
                self.assertEqual(refused.exception.code(), C.UNAVAILABLE)
        # The OA certificate alone works on the backend too (mTLS + mapping).
        code, _ = call("study", "GetStudySummary", st.GetStudySummaryRequest(org=f"orgs/{OWN}", year=2024),
                       None, server=study)
        self.assertEqual(code, C.OK)


class E_AllowedAndLogs(unittest.TestCase):
    def test_allowed_calls_are_not_refused(self):
        allowed = 0
        for service, rules in RULES.items():
            for method, (permission, field, _) in rules.items():
                for role in ROLES:
                    if permission not in GRANTS[role] or method in ("DeleteOrganization",):
                        continue
                    if (service, method) == ("report", "PublishReport"):
                        continue  # only through the gateway: test_direct_publish_is_refused
                    code, detail = call(service, method, request_for(service, method, OWN), KEYS[role])
                    self.assertNotIn(code, (C.UNAUTHENTICATED, C.PERMISSION_DENIED),
                                     f"{role} {service}.{method}: {detail}")
                    allowed += 1
        self.assertGreater(allowed, 100)

    def test_direct_publish_is_refused(self):
        # Documents the gateway did not compose: even an approver (or an
        # admin) may not hand them to the report service itself.
        for role in ("approver", "admin"):
            code, detail = call("report", "PublishReport", request_for("report", "PublishReport", OWN),
                                KEYS[role])
            self.assertEqual(code, C.PERMISSION_DENIED, f"{role}: {detail}")
            self.assertIn("only from the gateway", detail)

    def test_logs_hold_no_keys_or_certificate_material(self):
        for name in os.listdir(WORKDIR):
            if not name.endswith(".log"):
                continue
            with open(os.path.join(WORKDIR, name), encoding="utf-8", errors="replace") as f:
                text = f.read()
            for caller, key in KEYS.items():
                if key:
                    self.assertNotIn(key.split("_", 2)[2], text, f"{caller}'s key in {name}")
            self.assertNotIn("BEGIN", text, name)
            self.assertNotIn("PRIVATE KEY", text, name)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], *UNITTEST_ARGV])
