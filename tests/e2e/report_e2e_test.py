#!/usr/bin/env python3
"""End-to-end test of fazhi-report: starts the real binary and drives it over gRPC.

Run through ctest (tests/e2e/CMakeLists.txt), or by hand:

  /usr/bin/python3 tests/e2e/report_e2e_test.py \
      --binary build/bin/fazhi-report --stubs build/tests/e2e/pystubs \
      [--cli build/bin/fazhi --demo deploy/demo] [-v] [Class.test_name]

Stubs, servers, stores and the work folder: see harness.py.
Published documents are checked with Python's own hashlib, not the server's.
With --cli and --demo, the demo data is loaded through the `fazhi` CLI.
"""

import concurrent.futures
import datetime
import hashlib
import json
import os
import subprocess
import unittest

import harness


ARGS, UNITTEST_ARGV = harness.parse_args(
    __doc__, binary="report", postgres=True,
    cli="the fazhi CLI executable (for the demo data test)",
    demo="the deploy/demo folder (for the demo data test)")

import grpc  # noqa: E402
from google.protobuf import field_mask_pb2  # noqa: E402
from google.type import date_pb2  # noqa: E402

from fazhi.report.v1 import report_pb2 as pb  # noqa: E402
from fazhi.report.v1 import report_pb2_grpc  # noqa: E402

RPC_TIMEOUT = 10 * harness.SLOWDOWN  # seconds, every call
SERVICE_NAME = "fazhi.report.v1.ReportService"
C = grpc.StatusCode

WORKDIR = None  # temporary folder of this run
SERVER = None  # the server most tests share


# --------------------------------------------------------------------------
# The server process.


def report_server(label):
    """One fazhi-report process on a free port, over a new database: a
    SQLite file, or with --postgres a PostgreSQL database."""
    db = harness.new_database(WORKDIR, label, postgres=ARGS.postgres)
    return harness.ServerProcess(ARGS.binary, label, WORKDIR, db=db, http=True,
                                 stub_class=report_pb2_grpc.ReportServiceStub)


def setUpModule():
    global WORKDIR, SERVER
    WORKDIR = harness.make_workdir("fazhi-e2e-report-", keep=ARGS.keep)
    SERVER = report_server("report").start_for_module()


def tearDownModule():
    """Stops the shared server the way an orchestrator would: SIGTERM."""
    harness.stop_servers(SERVER)


# --------------------------------------------------------------------------
# Helpers.

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CHINA = datetime.timezone(datetime.timedelta(hours=8))


def date(y, m, d):
    return date_pb2.Date(year=y, month=m, day=d)


def organization(full_name, supervisors=("orgs/e2e-office",), credit_code="", two_person=True):
    return pb.Organization(
        full_name=full_name, region="河南省平顶山市鲁山县", supervisors=list(supervisors),
        credit_code=credit_code, two_person_approval=two_person,
        contacts=[pb.Contact(name="法规股", phone="0375-5012345", email="fgg@example.org")])


def binary_document(size, seed):
    """Bytes of every value, NUL included, like a zipped DOCX."""
    return bytes((i * 131 + seed) % 256 for i in range(size))


class E2ETestCase(harness.RpcTestCase):
    rpc_timeout = RPC_TIMEOUT

    @property
    def stub(self):
        return SERVER.stub()

    def create_org(self, org_id, **kwargs):
        return self.stub.CreateOrganization(pb.CreateOrganizationRequest(
            organization_id=org_id, organization=organization(f"鲁山县{org_id}", **kwargs),
            actor="e2e-admin"), timeout=RPC_TIMEOUT)

    def create_report(self, org_id, year, report=None, actor="clerk"):
        return self.stub.CreateReport(pb.CreateReportRequest(
            parent=f"orgs/{org_id}", year=year, report=report or pb.Report(), actor=actor),
            timeout=RPC_TIMEOUT)

    def step(self, method, name, actor, comment="", etag=""):
        request_type = {
            "SubmitReport": pb.SubmitReportRequest, "ApproveReport": pb.ApproveReportRequest,
            "RejectReport": pb.RejectReportRequest, "CreateRevision": pb.CreateRevisionRequest,
        }[method]
        return getattr(self.stub, method)(
            request_type(name=name, actor=actor, comment=comment, etag=etag), timeout=RPC_TIMEOUT)

    def publish(self, name, documents, actor="office", comment="", etag=""):
        return self.stub.PublishReport(pb.PublishReportRequest(
            name=name, actor=actor, comment=comment, etag=etag, documents=documents),
            timeout=RPC_TIMEOUT)

    def history(self, parent, resource="", page_size=2):
        entries, token = [], ""
        for _ in range(200):
            reply = self.stub.ListHistory(pb.ListHistoryRequest(
                parent=parent, resource=resource, page_size=page_size, page_token=token),
                timeout=RPC_TIMEOUT)
            entries.extend(reply.entries)
            token = reply.next_page_token
            if not token:
                return entries
        self.fail("ListHistory never ended")


# --------------------------------------------------------------------------
# Tests.


class HealthAndReflectionTest(E2ETestCase):

    def test_serving_and_listed(self):
        for service in ("", SERVICE_NAME):
            self.assertEqual(harness.health_status(SERVER.channel, service, RPC_TIMEOUT), "SERVING",
                             service)
        self.assertIn(SERVICE_NAME, harness.listed_services(SERVER.channel, RPC_TIMEOUT))


class OrganizationTest(E2ETestCase):

    def test_bad_credit_code_is_refused_and_nothing_stored(self):
        org = organization("鲁山县民政局", credit_code="11410423005703518A")
        error = self.assertRpcFails(C.INVALID_ARGUMENT, self.stub.CreateOrganization,
                                    pb.CreateOrganizationRequest(organization_id="e2e-badcode",
                                                                 organization=org, actor="x"))
        fields = self.assertInvalidFields(error, "organization.credit_code")
        self.assertIn("check character", fields["organization.credit_code"])
        org.credit_code = "1141042300570351"  # 16 characters
        error = self.assertRpcFails(C.INVALID_ARGUMENT, self.stub.CreateOrganization,
                                    pb.CreateOrganizationRequest(organization_id="e2e-badcode",
                                                                 organization=org, actor="x"))
        self.assertInvalidFields(error, "organization.credit_code")
        self.assertRpcFails(C.NOT_FOUND, self.stub.GetOrganization,
                            pb.GetOrganizationRequest(name="orgs/e2e-badcode"))
        self.assertEqual(self.history("orgs/e2e-badcode"), [])

    def test_crud_with_etag(self):
        created = self.create_org("e2e-orgcrud", credit_code="91110108551385082q")
        self.assertEqual(created.name, "orgs/e2e-orgcrud")
        self.assertEqual(created.credit_code, "91110108551385082Q")
        got = self.stub.GetOrganization(pb.GetOrganizationRequest(name=created.name),
                                        timeout=RPC_TIMEOUT)
        self.assertEqual(got, created)
        # The same code for another organization is ALREADY_EXISTS.
        error = self.assertRpcFails(C.ALREADY_EXISTS, self.stub.CreateOrganization,
                                    pb.CreateOrganizationRequest(
                                        organization_id="e2e-orgcrud-2",
                                        organization=organization("x", credit_code=created.credit_code),
                                        actor="x"))
        self.assertIn("orgs/e2e-orgcrud", error.details())

        update = pb.UpdateOrganizationRequest(
            organization=pb.Organization(name=created.name, etag=created.etag, region="鲁山县"),
            update_mask=field_mask_pb2.FieldMask(paths=["region"]), actor="e2e-admin")
        updated = self.stub.UpdateOrganization(update, timeout=RPC_TIMEOUT)
        self.assertEqual(updated.region, "鲁山县")
        self.assertEqual(updated.full_name, created.full_name)
        self.assertNotEqual(updated.etag, created.etag)
        self.assertRpcFails(C.ABORTED, self.stub.UpdateOrganization, update)  # stale etag

        self.stub.DeleteOrganization(pb.DeleteOrganizationRequest(
            name=created.name, etag=updated.etag, actor="e2e-admin"), timeout=RPC_TIMEOUT)
        self.assertRpcFails(C.NOT_FOUND, self.stub.GetOrganization,
                            pb.GetOrganizationRequest(name=created.name))
        methods = [e.method for e in self.history(created.name)]
        self.assertEqual(methods, ["CreateOrganization", "UpdateOrganization",
                                   "DeleteOrganization"])

    def test_list_by_supervisor_pages(self):
        for i in range(5):
            self.create_org(f"e2e-list-{i}", supervisors=["orgs/e2e-list-office"])
        names, token = [], ""
        for _ in range(10):
            reply = self.stub.ListOrganizations(pb.ListOrganizationsRequest(
                supervisor="orgs/e2e-list-office", page_size=2, page_token=token),
                timeout=RPC_TIMEOUT)
            names.extend(o.name for o in reply.organizations)
            token = reply.next_page_token
            if not token:
                break
        self.assertEqual(names, [f"orgs/e2e-list-{i}" for i in range(5)])
        error = self.assertRpcFails(C.INVALID_ARGUMENT, self.stub.ListOrganizations,
                                    pb.ListOrganizationsRequest(page_size=5000))
        self.assertInvalidFields(error, "page_size")


class ReportEditTest(E2ETestCase):

    @classmethod
    def setUpClass(cls):
        SERVER.stub().CreateOrganization(pb.CreateOrganizationRequest(
            organization_id="e2e-edit", organization=organization("鲁山县编辑局"),
            actor="e2e-admin"), timeout=RPC_TIMEOUT)

    def test_create_defaults_then_update_with_etag(self):
        created = self.create_report("e2e-edit", 2024)
        self.assertEqual(created.title, "鲁山县编辑局关于2024年法治政府建设情况的报告")
        self.assertEqual(created.state, pb.REPORT_STATE_DRAFT)
        self.assertEqual(created.layout.preset, pb.LAYOUT_PRESET_REGULATION)
        self.assertEqual([e.item for e in created.layout.entries],
                         [pb.CONTENT_ITEM_MEASURES, pb.CONTENT_ITEM_SHORTCOMINGS,
                          pb.CONTENT_ITEM_HEAD_DUTY, pb.CONTENT_ITEM_NEXT_YEAR_PLAN,
                          pb.CONTENT_ITEM_OTHER])
        self.assertEqual((created.due_dates.submit_before.year, created.due_dates.submit_before.month,
                          created.due_dates.submit_before.day), (2025, 3, 1))

        edit = pb.Report(name=created.name, etag=created.etag,
                         layout=pb.Layout(preset=pb.LAYOUT_PRESET_HEAD_FIRST),
                         sections=[pb.Section(item=pb.CONTENT_ITEM_MEASURES, items=[pb.SectionItem(
                             heading="领导班子学法", paragraphs=["全年学法{{study.leadership.sessions}}次。"])])])
        request = pb.UpdateReportRequest(
            report=edit, update_mask=field_mask_pb2.FieldMask(paths=["layout", "sections"]),
            actor="clerk")
        updated = self.stub.UpdateReport(request, timeout=RPC_TIMEOUT)
        self.assertEqual(updated.layout.entries[0].item, pb.CONTENT_ITEM_HEAD_DUTY)
        self.assertEqual(updated.layout.entries[0].heading,
                         "{{year}}年度党政主要负责人履行推进法治建设第一责任人职责，加强法治政府建设的有关情况")
        self.assertEqual(updated.sections[0].items[0].paragraphs[0], "全年学法{{study.leadership.sessions}}次。")
        # Another writer still holding the first etag loses, loudly.
        self.assertRpcFails(C.ABORTED, self.stub.UpdateReport, request)
        request.report.etag = ""
        self.assertInvalidFields(self.assertRpcFails(C.INVALID_ARGUMENT, self.stub.UpdateReport,
                                                     request), "report.etag")
        got = self.stub.GetReport(pb.GetReportRequest(name=created.name), timeout=RPC_TIMEOUT)
        self.assertEqual(got, updated)

    def test_placeholder_syntax_error_is_named_by_field_and_position(self):
        report = pb.Report(
            preamble=["正常的一段。"],
            sections=[pb.Section(item=pb.CONTENT_ITEM_MEASURES, items=[
                pb.SectionItem(paragraphs=["共开展{{study.sessions.all_staff}}次"]),
                pb.SectionItem(heading="宣传", paragraphs=["第一段", "展板{{study.publicity.boards 块"])])],
            plan_items=[pb.PlanItem(heading="执法{{ duty..officers }}")])
        error = self.assertRpcFails(C.INVALID_ARGUMENT, self.stub.CreateReport, pb.CreateReportRequest(
            parent="orgs/e2e-edit", year=2023, report=report, actor="clerk"))
        fields = self.assertInvalidFields(error, "report.sections[0].items[1].paragraphs[1]",
                                          "report.plan_items[0].heading")
        self.assertEqual(fields["report.sections[0].items[1].paragraphs[1]"],
                         "at character 3: unclosed placeholder: this \"{{\" has no matching \"}}\"")
        self.assertTrue(fields["report.plan_items[0].heading"].startswith("at character 11:"),
                        fields["report.plan_items[0].heading"])
        self.assertNotIn("report.sections[0].items[0].paragraphs[0]", fields)
        self.assertRpcFails(C.NOT_FOUND, self.stub.GetReport,
                            pb.GetReportRequest(name="orgs/e2e-edit/reports/2023"))

    def test_over_long_text_and_bad_utf8_are_invalid(self):
        name = self.create_report("e2e-edit", 2022).name
        current = self.stub.GetReport(pb.GetReportRequest(name=name), timeout=RPC_TIMEOUT)
        long = pb.UpdateReportRequest(
            report=pb.Report(name=name, etag=current.etag, title="题" * 201),
            update_mask=field_mask_pb2.FieldMask(paths=["title"]), actor="clerk")
        fields = self.assertInvalidFields(
            self.assertRpcFails(C.INVALID_ARGUMENT, self.stub.UpdateReport, long), "report.title")
        self.assertIn("at most 200 characters", fields["report.title"])

        request = pb.UpdateReportRequest(
            report=pb.Report(name=name, etag=current.etag, title="QZ"),
            update_mask=field_mask_pb2.FieldMask(paths=["title"]), actor="clerk")
        raw = request.SerializeToString()
        self.assertEqual(raw.count(b"QZ"), 1)
        raw = raw.replace(b"QZ", b"\xff\xfe")  # same length: the framing stays right
        update = SERVER.channel.unary_unary("/fazhi.report.v1.ReportService/UpdateReport",
                                            request_serializer=None, response_deserializer=None)
        with self.assertRaises(grpc.RpcError) as caught:
            update(raw, timeout=RPC_TIMEOUT)
        self.assertInvalidFields(caught.exception, "report.title")
        after = self.stub.GetReport(pb.GetReportRequest(name=name), timeout=RPC_TIMEOUT)
        self.assertEqual(after, current)  # nothing half-written

    def test_output_only_fields_cannot_be_masked(self):
        created = self.create_report("e2e-edit", 2021)
        error = self.assertRpcFails(C.INVALID_ARGUMENT, self.stub.UpdateReport, pb.UpdateReportRequest(
            report=pb.Report(name=created.name, etag=created.etag, state=pb.REPORT_STATE_PUBLISHED),
            update_mask=field_mask_pb2.FieldMask(paths=["state"]), actor="clerk"))
        self.assertInvalidFields(error, "update_mask.paths[0]")


class LifeCycleTest(E2ETestCase):
    """Draft to publication, with a rejection, the two-person rule and a correction."""

    def test_full_life_cycle(self):
        self.create_org("e2e-life")  # two people required
        name = self.create_report("e2e-life", 2024).name

        error = self.assertRpcFails(C.FAILED_PRECONDITION, self.stub.PublishReport,
                                    pb.PublishReportRequest(name=name, actor="office", documents=[
                                        pb.DocumentUpload(format="txt", media_type="text/plain",
                                                          content=b"x")]))
        self.assertIn("DRAFT report cannot be published", error.details())

        submitted = self.step("SubmitReport", name, "zhang", "请审核")
        self.assertEqual(submitted.state, pb.REPORT_STATE_SUBMITTED)
        error = self.assertRpcFails(C.FAILED_PRECONDITION, self.stub.UpdateReport,
                                    pb.UpdateReportRequest(
                                        report=pb.Report(name=name, etag=submitted.etag, title="改"),
                                        update_mask=field_mask_pb2.FieldMask(paths=["title"]),
                                        actor="zhang"))
        self.assertIn("SUBMITTED and cannot be edited", error.details())
        error = self.assertRpcFails(C.FAILED_PRECONDITION, self.stub.ApproveReport,
                                    pb.ApproveReportRequest(name=name, actor="zhang"))
        self.assertIn("two people", error.details())

        rejected = self.step("RejectReport", name, "li", "执法人员人数与台账不一致")
        self.assertEqual(rejected.state, pb.REPORT_STATE_REJECTED)
        self.assertEqual(rejected.lifecycle.last_transition.comment, "执法人员人数与台账不一致")
        redrafted = self.stub.UpdateReport(pb.UpdateReportRequest(
            report=pb.Report(name=name, etag=rejected.etag, preamble=["已核实人数。"]),
            update_mask=field_mask_pb2.FieldMask(paths=["preamble"]), actor="zhang"),
            timeout=RPC_TIMEOUT)
        self.assertEqual(redrafted.state, pb.REPORT_STATE_DRAFT)

        self.step("SubmitReport", name, "zhang")
        approved = self.step("ApproveReport", name, "li", "同意")
        self.assertEqual(approved.state, pb.REPORT_STATE_APPROVED)
        self.assertEqual(approved.lifecycle.approved_by, "li")

        docx = binary_document(1_500_000, 7)
        text = "鲁山县民政局关于2024年法治政府建设情况的报告\n".encode()
        published = self.publish(name, [
            pb.DocumentUpload(format="docx", media_type=DOCX, content=docx,
                              sha256=hashlib.sha256(docx).hexdigest()),
            pb.DocumentUpload(format="txt", media_type="text/plain; charset=utf-8", content=text)],
            comment="经保密审查后公开", etag=approved.etag)
        self.assertEqual(published.state, pb.REPORT_STATE_PUBLISHED)
        self.assertEqual(published.published_revision, 1)

        for fmt, content in (("docx", docx), ("txt", text)):
            doc = self.stub.GetReportDocument(pb.GetReportDocumentRequest(
                name=f"{name}/revisions/1/documents/{fmt}"), timeout=RPC_TIMEOUT)
            self.assertEqual(doc.content, content)
            self.assertEqual(doc.sha256, hashlib.sha256(content).hexdigest())
            self.assertEqual(hashlib.sha256(doc.content).hexdigest(), doc.sha256)
            self.assertEqual(doc.size_bytes, len(content))

        revision = self.stub.GetReportRevision(pb.GetReportRevisionRequest(
            name=f"{name}/revisions/1"), timeout=RPC_TIMEOUT)
        self.assertEqual(revision.published_by, "office")
        self.assertEqual(revision.comment, "经保密审查后公开")
        self.assertEqual([d.format for d in revision.documents], ["docx", "txt"])
        self.assertEqual(revision.documents[0].content, b"")
        self.assertEqual(revision.report.preamble, ["已核实人数。"])

        # A published report never changes; a correction is a new revision.
        self.assertRpcFails(C.FAILED_PRECONDITION, self.stub.UpdateReport, pb.UpdateReportRequest(
            report=pb.Report(name=name, etag=published.etag, title="改"),
            update_mask=field_mask_pb2.FieldMask(paths=["title"]), actor="zhang"))
        correction = self.step("CreateRevision", name, "zhang", "更正集中学习次数")
        self.assertEqual((correction.revision, correction.state, correction.published_revision),
                         (2, pb.REPORT_STATE_DRAFT, 1))
        self.stub.UpdateReport(pb.UpdateReportRequest(
            report=pb.Report(name=name, etag=correction.etag, preamble=["更正后的开头。"]),
            update_mask=field_mask_pb2.FieldMask(paths=["preamble"]), actor="zhang"),
            timeout=RPC_TIMEOUT)
        self.step("SubmitReport", name, "zhang")
        self.step("ApproveReport", name, "li")
        corrected = b"corrected"
        self.publish(name, [pb.DocumentUpload(format="txt", media_type="text/plain",
                                              content=corrected)])

        revisions = self.stub.ListReportRevisions(pb.ListReportRevisionsRequest(parent=name),
                                                  timeout=RPC_TIMEOUT).revisions
        self.assertEqual([r.revision for r in revisions], [1, 2])
        self.assertEqual(revisions[0].superseded_by, 2)
        self.assertEqual(revisions[1].superseded_by, 0)
        self.assertEqual(revisions[1].correction_reason, "更正集中学习次数")
        self.assertEqual(revisions[0].report.preamble, ["已核实人数。"])  # the old one, intact
        old = self.stub.GetReportDocument(pb.GetReportDocumentRequest(
            name=f"{name}/revisions/1/documents/txt"), timeout=RPC_TIMEOUT)
        self.assertEqual(old.content, text)

        entries = self.history("orgs/e2e-life", resource=name)
        self.assertEqual([e.method for e in entries], [
            "CreateReport", "SubmitReport", "RejectReport", "UpdateReport", "SubmitReport",
            "ApproveReport", "PublishReport", "CreateRevision", "UpdateReport", "SubmitReport",
            "ApproveReport", "PublishReport"])
        self.assertEqual(entries[2].actor, "li")
        self.assertEqual(entries[2].comment, "执法人员人数与台账不一致")
        self.assertEqual((entries[2].from_state, entries[2].to_state),
                         (pb.REPORT_STATE_SUBMITTED, pb.REPORT_STATE_REJECTED))
        self.assertEqual([e.sequence for e in entries], sorted(e.sequence for e in entries))
        self.assertEqual(entries[-1].revision, 2)

    def test_document_limits(self):
        self.create_org("e2e-limits", two_person=False)
        name = self.create_report("e2e-limits", 2024).name
        self.step("SubmitReport", name, "x")
        self.step("ApproveReport", name, "x")  # one person may do both here
        too_big = b"x" * (3 * 1024 * 1024 + 1)
        error = self.assertRpcFails(C.INVALID_ARGUMENT, self.stub.PublishReport, pb.PublishReportRequest(
            name=name, actor="x", documents=[pb.DocumentUpload(format="pdf",
                                                               media_type="application/pdf",
                                                               content=too_big)]))
        self.assertInvalidFields(error, "documents[0].content")
        # Past the server's 4 MiB message limit gRPC itself refuses.
        self.assertRpcFails(C.RESOURCE_EXHAUSTED, self.stub.PublishReport, pb.PublishReportRequest(
            name=name, actor="x", documents=[
                pb.DocumentUpload(format="a", media_type="text/plain", content=b"a" * 3_000_000),
                pb.DocumentUpload(format="b", media_type="text/plain", content=b"b" * 3_000_000)]))
        error = self.assertRpcFails(C.INVALID_ARGUMENT, self.stub.PublishReport, pb.PublishReportRequest(
            name=name, actor="x", documents=[pb.DocumentUpload(
                format="txt", media_type="text/plain", content=b"abc", sha256="0" * 64)]))
        self.assertInvalidFields(error, "documents[0].sha256")
        self.assertEqual(self.stub.GetReport(pb.GetReportRequest(name=name), timeout=RPC_TIMEOUT).state,
                         pb.REPORT_STATE_APPROVED)
        # Exactly 3 MiB goes through and comes back whole.
        largest = binary_document(3 * 1024 * 1024, 3)
        self.publish(name, [pb.DocumentUpload(format="pdf", media_type="application/pdf",
                                              content=largest)])
        doc = self.stub.GetReportDocument(pb.GetReportDocumentRequest(
            name=f"{name}/revisions/1/documents/pdf"), timeout=RPC_TIMEOUT)
        self.assertEqual(hashlib.sha256(doc.content).hexdigest(), hashlib.sha256(largest).hexdigest())


class OverdueTest(E2ETestCase):

    def test_supervisor_sees_missing_and_late_reports(self):
        # The year now running, judged next spring: records made now count as
        # made before the judging day.
        year = datetime.datetime.now(CHINA).year
        office = "orgs/e2e-overdue-office"
        self.create_org("e2e-od-done", supervisors=[office], two_person=False)
        self.create_org("e2e-od-draft", supervisors=[office])
        self.create_org("e2e-od-none", supervisors=[office])
        self.create_org("e2e-od-other", supervisors=["orgs/e2e-elsewhere"])
        done = self.create_report("e2e-od-done", year).name
        self.step("SubmitReport", done, "x")
        self.step("ApproveReport", done, "x")
        self.publish(done, [pb.DocumentUpload(format="txt", media_type="text/plain", content=b"ok")])
        self.create_report("e2e-od-draft", year)

        reply = self.stub.ListOverdueReports(pb.ListOverdueReportsRequest(
            supervisor=office, year=year, as_of=date(year + 1, 4, 2)), timeout=RPC_TIMEOUT)
        self.assertEqual(reply.supervised_organizations, 3)
        by_org = {r.organization: r for r in reply.reports}
        self.assertEqual(sorted(by_org), ["orgs/e2e-od-draft", "orgs/e2e-od-none"])
        self.assertEqual(list(by_org["orgs/e2e-od-draft"].reasons),
                         [pb.OVERDUE_REASON_SUBMISSION_OVERDUE, pb.OVERDUE_REASON_PUBLICATION_OVERDUE])
        self.assertEqual(by_org["orgs/e2e-od-draft"].state, pb.REPORT_STATE_DRAFT)
        none = by_org["orgs/e2e-od-none"]
        self.assertEqual(none.report, "")
        self.assertEqual(list(none.reasons)[0], pb.OVERDUE_REASON_NOT_STARTED)
        self.assertEqual((none.submit_before.year, none.submit_before.month), (year + 1, 3))

        # Before the due dates only the missing report shows.
        early = self.stub.ListOverdueReports(pb.ListOverdueReportsRequest(
            supervisor=office, year=year, as_of=date(year + 1, 2, 1)), timeout=RPC_TIMEOUT)
        self.assertEqual([(r.organization, list(r.reasons)) for r in early.reports],
                         [("orgs/e2e-od-none", [pb.OVERDUE_REASON_NOT_STARTED])])
        error = self.assertRpcFails(C.INVALID_ARGUMENT, self.stub.ListOverdueReports,
                                    pb.ListOverdueReportsRequest(supervisor="office", year=1800))
        self.assertInvalidFields(error, "supervisor", "year")


class ConcurrencyTest(E2ETestCase):

    def test_parallel_edits_with_one_etag(self):
        self.create_org("e2e-conc")
        created = self.create_report("e2e-conc", 2024)

        def edit(i):
            try:
                self.stub.UpdateReport(pb.UpdateReportRequest(
                    report=pb.Report(name=created.name, etag=created.etag, preamble=[f"作者{i}"]),
                    update_mask=field_mask_pb2.FieldMask(paths=["preamble"]), actor=f"w{i}"),
                    timeout=RPC_TIMEOUT)
                return "ok"
            except grpc.RpcError as e:
                return e.code()

        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            outcomes = list(pool.map(edit, range(8)))
        self.assertEqual(outcomes.count("ok"), 1, outcomes)
        self.assertEqual(outcomes.count(C.ABORTED), 7, outcomes)
        final = self.stub.GetReport(pb.GetReportRequest(name=created.name), timeout=RPC_TIMEOUT)
        winner = [e for e in self.history("orgs/e2e-conc") if e.method == "UpdateReport"]
        self.assertEqual(len(winner), 1)
        self.assertEqual(final.preamble, [f"作者{winner[0].actor[1:]}"])


class DurabilityTest(E2ETestCase):

    def test_published_document_survives_sigkill(self):
        server = report_server("durability").start()
        try:
            stub = server.stub()
            stub.CreateOrganization(pb.CreateOrganizationRequest(
                organization_id="e2e-dur", organization=organization("鲁山县持久局", two_person=False),
                actor="x"), timeout=RPC_TIMEOUT)
            name = stub.CreateReport(pb.CreateReportRequest(parent="orgs/e2e-dur", year=2024,
                                                            actor="x"), timeout=RPC_TIMEOUT).name
            for method, request in (("SubmitReport", pb.SubmitReportRequest),
                                    ("ApproveReport", pb.ApproveReportRequest)):
                getattr(stub, method)(request(name=name, actor="x"), timeout=RPC_TIMEOUT)
            content = binary_document(200_000, 11)
            stub.PublishReport(pb.PublishReportRequest(name=name, actor="x", documents=[
                pb.DocumentUpload(format="docx", media_type=DOCX, content=content)]),
                timeout=RPC_TIMEOUT)
            server.kill()
            server.start()
            doc = server.stub().GetReportDocument(pb.GetReportDocumentRequest(
                name=f"{name}/revisions/1/documents/docx"), timeout=RPC_TIMEOUT)
            self.assertEqual(hashlib.sha256(doc.content).hexdigest(), hashlib.sha256(content).hexdigest())
            self.assertEqual(server.terminate(close_channel=True), 0, server.log_tail())
        finally:
            if server.proc.poll() is None:
                server.kill()


@unittest.skipUnless(ARGS.cli and ARGS.demo, "needs --cli and --demo")
class DemoDataTest(E2ETestCase):
    """The demo organizations and reports load through the fazhi CLI."""

    def fazhi(self, *args):
        env = dict(harness.client_env(report=SERVER.target), FAZHI_ACTOR="e2e-demo")
        done = subprocess.run([ARGS.cli, *args], env=env, capture_output=True, timeout=60)
        self.assertEqual(done.returncode, 0, done.stderr.decode(errors="replace"))
        return done.stdout.decode()

    def test_demo_loads_and_reports_status(self):
        for org in ("lushan-minzheng", "lushan-shijianju"):
            folder = os.path.join(ARGS.demo, org)
            self.fazhi("report", "put-org", f"--file={folder}/org.json")
            self.fazhi("report", "put", f"--org={org}", "--year=2024",
                       f"--file={folder}/report-2024.json")
        # A second put replaces the content in place.
        self.fazhi("report", "put", "--org=lushan-minzheng", "--year=2024",
                   f"--file={ARGS.demo}/lushan-minzheng/report-2024.json")

        report = self.stub.GetReport(pb.GetReportRequest(
            name="orgs/lushan-minzheng/reports/2024"), timeout=RPC_TIMEOUT)
        self.assertEqual(report.title, "鲁山县民政局关于2024年法治政府建设情况的报告")
        self.assertEqual(report.layout.preset, pb.LAYOUT_PRESET_HEAD_FIRST)
        self.assertEqual(report.layout.entries[0].item, pb.CONTENT_ITEM_HEAD_DUTY)
        # The staffing shortfall is no longer typed in: the findings prove it.
        self.assertEqual(len(report.shortcomings), 2)
        self.assertEqual(list(report.warnings), [])  # no number typed by hand
        self.assertTrue(all(s.cause and s.rectification for s in report.shortcomings))
        self.assertEqual(len(report.plan_items), 3)
        self.assertEqual(report.signatory.title, "局长")
        text = json.dumps(json.loads(open(f"{ARGS.demo}/lushan-minzheng/report-2024.json").read()),
                          ensure_ascii=False)
        for fact in ("study.all_staff.sessions", "study.leadership.laws", "study.publicity.places",
                     "study.all_staff.attendances"):
            self.assertIn("{{" + fact, text)
        self.assertEqual([e.method for e in self.history("orgs/lushan-minzheng")],
                         ["CreateOrganization", "CreateReport", "UpdateReport"])
        market = self.stub.GetReport(pb.GetReportRequest(
            name="orgs/lushan-shijianju/reports/2024"), timeout=RPC_TIMEOUT)
        self.assertEqual(market.layout.preset, pb.LAYOUT_PRESET_REGULATION)

        status = self.fazhi("report", "status", "--org=lushan-minzheng", "--year=2024")
        self.assertIn("鲁山县民政局关于2024年法治政府建设情况的报告", status)
        self.assertIn("DRAFT", status)
        overdue = self.fazhi("report", "overdue", "--supervisor=lushan-yifazhixian", "--year=2024",
                             "--as-of=2025-02-01")
        self.assertIn("督促 2 个单位", overdue)


# --------------------------------------------------------------------------


if __name__ == "__main__":
    harness.run_tests("report e2e", UNITTEST_ARGV, postgres=ARGS.postgres)
