#!/usr/bin/env python3
"""End-to-end test of fazhi-gateway: the four real binaries, the demo data, the report.

Run through ctest (tests/e2e/CMakeLists.txt), or by hand:

  /usr/bin/python3 tests/e2e/gateway_e2e_test.py --study build/bin/fazhi-study \
      --duty build/bin/fazhi-duty --report build/bin/fazhi-report \
      --gateway build/bin/fazhi-gateway --cli build/bin/fazhi \
      --stubs build/tests/e2e/pystubs --demo deploy/demo [--keep] [-v] [Class.test_name]

Starts fazhi-study, fazhi-duty and fazhi-report (their HTTP side off) and
fazhi-gateway (HTTP downloads on) on free ports of 127.0.0.1, each backend on
its own SQLite file in a temporary folder, loads the demo organizations with
the real `fazhi` CLI exactly as scripts/demo.sh does, and then checks the
composed report, its renderings (hashes by Python's hashlib; the DOCX opened
by LibreOffice), the facts, the HTTP download, a narrative naming an unknown
fact, a killed and restarted study backend, the second organization's
layout and its comparisons with the year before (同比; refused on a fact
without one), publication through the report service's life cycle and the
supervisor's dashboard. golden_demo_test.py recomputes every number of the
demo reports from the files. The tests share one set of servers and run in the
order of their names; each step builds on the one before.

Needs grpcio and protobuf (Debian python3-grpcio, python3-protobuf),
LibreOffice (libreoffice-writer) and poppler-utils (pdftotext, pdfinfo).
"""

import contextlib
import datetime
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import threading
import time
import unittest
import urllib.error
import urllib.request

import harness


ARGS, UNITTEST_ARGV = harness.parse_args(
    __doc__, ("study", "duty", "report", "gateway"), cli=True, demo=True, postgres=True)

import grpc  # noqa: E402
from google.protobuf import field_mask_pb2  # noqa: E402
from google.type import date_pb2  # noqa: E402

from fazhi.gateway.v1 import gateway_pb2 as gw  # noqa: E402
from fazhi.gateway.v1 import gateway_pb2_grpc  # noqa: E402
from fazhi.report.v1 import report_pb2 as rp  # noqa: E402
from fazhi.report.v1 import report_pb2_grpc  # noqa: E402
from fazhi.study.v1 import study_pb2 as st  # noqa: E402
from fazhi.study.v1 import study_pb2_grpc  # noqa: E402

RPC_TIMEOUT = 30 * harness.SLOWDOWN  # seconds, every call (a compose renders a DOCX)
BACKEND_DEADLINE = 2 * harness.SLOWDOWN  # seconds, the gateway's --backend_deadline
C = grpc.StatusCode

ORG = "lushan-minzheng"
MARKET = "lushan-shijianju"
SUPERVISOR = "orgs/lushan-yifazhixian"  # first supervisor in the demo's org.json
FORMATS = ["txt", "md", "html", "docx"]
CHINA = datetime.timezone(datetime.timedelta(hours=8))

WORKDIR = None
STUDY = DUTY = REPORT = GATEWAY = None
SHARED = {}  # what one step hands to a later one


# --------------------------------------------------------------------------
# The server processes.


def client_env():
    return dict(harness.client_env(study=STUDY.target, duty=DUTY.target, report=REPORT.target,
                                   gateway=GATEWAY.target), FAZHI_ACTOR="e2e-demo")


def fazhi(*args):
    """Runs the real fazhi CLI against the servers; its stdout."""
    return harness.run_cli(ARGS.cli, client_env(), *args)


def setUpModule():
    global WORKDIR, STUDY, DUTY, REPORT, GATEWAY
    WORKDIR = harness.make_workdir("fazhi-e2e-gateway-", keep=ARGS.keep)
    servers = harness.start_demo_stack(ARGS, WORKDIR, http_gateway=True,
                                       gateway_args=[f"--backend_deadline={BACKEND_DEADLINE}s"])
    STUDY, DUTY, REPORT, GATEWAY = (servers[n] for n in ("study", "duty", "report", "gateway"))
    harness.load_demo(ARGS.cli, ARGS.demo, client_env())


def tearDownModule():
    """Every server must still be up and stop cleanly on SIGTERM."""
    harness.stop_servers(GATEWAY, STUDY, DUTY, REPORT, close_channel=True)


# --------------------------------------------------------------------------
# Helpers.


def date(y, m, d):
    return date_pb2.Date(year=y, month=m, day=d)


def gateway():
    return gateway_pb2_grpc.AnnualReportServiceStub(GATEWAY.channel)


def report_service():
    return report_pb2_grpc.ReportServiceStub(REPORT.channel)


def compose(org=ORG, formats=(), allow_partial=False, timeout=RPC_TIMEOUT):
    return gateway().ComposeReport(gw.ComposeReportRequest(
        org=f"orgs/{org}", year=2024, formats=list(formats), allow_partial=allow_partial),
        timeout=timeout)


def items(composed):
    return [s.item for s in composed.sections]


def section(composed, item):
    for s in composed.sections:
        if s.item == item:
            return s
    raise AssertionError(f"no section {rp.ContentItem.Name(item)}")


def section_text(composed, item):
    s = section(composed, item)
    return "\n".join([s.heading] + [b.text for b in s.blocks])


def renderings(composed):
    return {r.format: r for r in composed.renderings}


def compact(text):
    """Text without white space: pdftotext spaces out CJK set on a grid."""
    return "".join(text.split())


def demo_records(org, what, year, kind=None):
    """The rows of deploy/demo/<org>/<what>.jsonl dated in `year` (of `kind`)."""
    path = os.path.join(ARGS.demo, org, f"{what}.jsonl")
    with open(path, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return [r for r in rows if r["date"]["year"] == year and (kind is None or r["kind"] == kind)]


@contextlib.contextmanager
def narrative_paragraph_added(org, paragraph):
    """The org's report with `paragraph` added to its first item, restored
    afterwards; yields the field the paragraph is."""
    name = f"orgs/{org}/reports/2024"
    stub = report_service()
    original = stub.GetReport(rp.GetReportRequest(name=name), timeout=RPC_TIMEOUT)
    edited = rp.Report()
    edited.CopyFrom(original)
    edited.sections[0].items[0].paragraphs.append(paragraph)
    mask = field_mask_pb2.FieldMask(paths=["sections"])
    updated = stub.UpdateReport(rp.UpdateReportRequest(
        report=rp.Report(name=name, etag=original.etag, sections=edited.sections),
        update_mask=mask, actor="e2e-editor"), timeout=RPC_TIMEOUT)
    try:
        yield f"report.sections[0].items[0].paragraphs[{len(edited.sections[0].items[0].paragraphs) - 1}]"
    finally:
        stub.UpdateReport(rp.UpdateReportRequest(
            report=rp.Report(name=name, etag=updated.etag, sections=original.sections),
            update_mask=mask, actor="e2e-editor"), timeout=RPC_TIMEOUT)


class GatewayE2ETest(unittest.TestCase):
    maxDiff = None

    def assertRpcFails(self, code, call, *args, **kwargs):
        with self.assertRaises(grpc.RpcError) as caught:
            call(*args, **kwargs)
        self.assertEqual(caught.exception.code(), code, caught.exception.details())
        return caught.exception

    # ----------------------------------------------------------------------
    # The demo bureau's report.

    def test_01_composes_the_demo_report_with_the_seeds_facts(self):
        composed = compose(formats=FORMATS)
        SHARED["composed"] = composed
        self.assertEqual(composed.report, f"orgs/{ORG}/reports/2024")
        self.assertEqual(composed.state, rp.REPORT_STATE_DRAFT)
        self.assertEqual(composed.title, "鲁山县民政局关于2024年法治政府建设情况的报告")
        self.assertEqual(list(composed.missing_backends), [])
        self.assertEqual((composed.as_of.year, composed.as_of.month, composed.as_of.day), (2024, 12, 31))
        # The seed's layout (head first) and the five items, OTHER last.
        self.assertEqual(items(composed), [
            rp.CONTENT_ITEM_HEAD_DUTY, rp.CONTENT_ITEM_MEASURES, rp.CONTENT_ITEM_SHORTCOMINGS,
            rp.CONTENT_ITEM_NEXT_YEAR_PLAN, rp.CONTENT_ITEM_OTHER])
        self.assertEqual([s.number for s in composed.sections], ["一、", "二、", "三、", "四、", "五、"])
        self.assertIn("2024年，鲁山县民政局坚持以习近平法治思想为引领", composed.preamble[0])
        self.assertEqual(composed.date, "2025年2月20日")
        # 主送机关 from the organization; a 版头 with the report's 发文字号 and
        # its signatory as 签发人 (a report sent upward).
        self.assertEqual(composed.addressee, "县委依法治县办")
        self.assertEqual((composed.document_number, composed.issuer), ("鲁民〔2025〕3号", "王建华"))

        # Each number belongs to the activity its sentence names: the head's
        # own sessions, the leadership group's, the all-staff sessions' 学时
        # and 人次 (tests/e2e/golden_demo_test.py recomputes every one).
        head = section_text(composed, rp.CONTENT_ITEM_HEAD_DUTY)
        self.assertIn("全年参加各类学法活动18次，并带头参加国家宪法日宪法宣誓", head)
        # The leadership group's four sessions are told once, under the measures.
        self.assertNotIn("党组（中心组）学法4次", head)
        self.assertIn("全年组织集中学习12次、18学时，参学552人次", head)
        # A study session is not a meeting that deliberated rule-of-law work.
        self.assertNotIn("专题研究法治工作", head)
        measures = section_text(composed, rp.CONTENT_ITEM_MEASURES)
        # The laws of the leadership group's own four sessions, in order.
        self.assertIn("全年班子集体学法4次，四个季度均有安排，重点学习了"
                      "《民法典》《老年人权益保障法》《行政许可法》《行政处罚法》，", measures)
        self.assertIn("举办专题法治讲座2次", measures)
        self.assertIn("参学96人次", measures)
        self.assertIn("参训38人次", measures)
        self.assertIn("尧山广场", measures)
        self.assertIn("摆放展板15块", measures)
        self.assertIn("参加宣誓46人", measures)
        self.assertNotIn("{{", measures)
        heads = [b for b in section(composed, rp.CONTENT_ITEM_MEASURES).blocks
                 if b.kind == gw.BLOCK_KIND_HEADING]
        self.assertEqual([(b.number, b.text) for b in heads],
                         [("（一）", "领导班子学法常态化"), ("（二）", "拓展学法形式"),
                          ("（三）", "把普法融入民政服务"), ("（四）", "深入开展宪法学习宣传")])

        # The shortcomings the duty data proves: one finding per cause, its
        # id the kind, with 原因, 整改, owner and due date.
        self.assertEqual([(f.id, f.kind, f.type) for f in composed.findings], [
            ("duty.staff_short", "duty.staff_short", gw.FINDING_TYPE_POWER_UNDERSTAFFED),
            ("duty.no_legal_reviewer", "duty.no_legal_reviewer", gw.FINDING_TYPE_NO_LEGAL_REVIEWER),
            ("duty.certificates.lapsed", "duty.certificates.lapsed", gw.FINDING_TYPE_CERTIFICATE_LAPSED),
            ("duty.training.short", "duty.training.short", gw.FINDING_TYPE_TRAINING_SHORT)])
        for f in composed.findings:
            self.assertTrue(f.evidence and f.records and f.cause and f.rectification and f.owner, f.id)
            self.assertEqual(f.due_date.year, 2025, f.id)
            self.assertFalse(f.suppressed)
        short = composed.findings[0]
        self.assertEqual(short.text, "养老服务、殡葬2个领域共9项执法事项持有效执法证的执法人员不足两人，"
                                     "不能落实两人以上执法的要求")
        self.assertEqual(short.cause, "养老服务领域具备执法资格的在编在岗人员仅1人；"
                                      "殡葬领域具备执法资格的2人中持有效执法证的仅1人；"
                                      "其中3项需法制审核的事项所在领域也没有具备法律职业资格的执法人员")
        self.assertEqual(len(short.records), 9)
        self.assertTrue(all(r.startswith(f"orgs/{ORG}/powers/") for r in short.records), short.records)
        self.assertEqual(len(short.evidence), 9)
        self.assertTrue(composed.findings[1].text.startswith("慈善、社会组织2个领域共4项需法制审核的执法事项"))
        self.assertEqual(composed.findings[2].cause, "1个执法证于2024年6月30日到期后未换领新证")
        self.assertEqual(composed.findings[3].cause, "上述人员全年培训分别为40、48学时")

        # In the document they continue the authored 一是、二是 sequence;
        # no heading of their own.
        shortcomings = section(composed, rp.CONTENT_ITEM_SHORTCOMINGS)
        text = section_text(composed, rp.CONTENT_ITEM_SHORTCOMINGS)
        self.assertNotIn("数据核查发现的问题", text)
        self.assertEqual([b.kind for b in shortcomings.blocks if b.kind == gw.BLOCK_KIND_HEADING], [])
        self.assertIn("一是运用法治思维的自觉性有待提高。原因：日常业务任务重", text)
        self.assertIn("整改：2025年起每季度安排一次专题研讨", text)
        self.assertIn("二是普法宣传方式比较单一。", text)
        findings = [b.text for b in shortcomings.blocks if b.origin == "finding"]
        self.assertEqual(len(findings), len(composed.findings))
        for ordinal, f, block in zip(("三是", "四是", "五是", "六是"), composed.findings, findings):
            self.assertTrue(block.startswith(f"{ordinal}{f.text}。原因：{f.cause}。整改：{f.rectification}。"),
                            block)
            self.assertIn(f"（责任：{f.owner}，{f.due_date.year}年{f.due_date.month}月{f.due_date.day}日前完成）",
                          block)
        other = section(composed, rp.CONTENT_ITEM_OTHER)
        self.assertEqual([(b.origin, b.text) for b in other.blocks],
                         [("generated", "无其他需要报告的情况。")])

    def test_02_renderings_carry_their_sha256(self):
        composed = SHARED["composed"]
        self.assertEqual([r.format for r in composed.renderings], FORMATS)
        for r in composed.renderings:
            self.assertEqual(r.sha256, hashlib.sha256(r.content).hexdigest(), r.format)
            self.assertGreater(len(r.content), 1000, r.format)
        by_format = renderings(composed)
        self.assertTrue(by_format["docx"].content.startswith(b"PK\x03\x04"))
        self.assertEqual(by_format["docx"].media_type,
                         "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        for fmt in ("txt", "md", "html"):
            text = by_format[fmt].content.decode("utf-8")
            # The title may be broken over centred lines.
            flat = re.sub(r"<br>|[\u3000 \n]", "", text)
            self.assertIn("鲁山县民政局关于2024年法治政府建设情况的报告", flat, fmt)
            self.assertIn("县委依法治县办：", text, fmt)
            self.assertIn("全年组织集中学习12次", text, fmt)
        self.assertIn("<html", by_format["html"].content.decode())
        # The same composition gives the same bytes.
        again = renderings(compose(formats=["docx"]))["docx"]
        self.assertEqual(again.sha256, by_format["docx"].sha256)

    def test_03_docx_opens_in_libreoffice(self):
        for tool in ("libreoffice", "pdftotext", "pdfinfo"):
            self.assertIsNotNone(shutil.which(tool), f"{tool} is not installed")
        folder = os.path.join(WORKDIR, "libreoffice")
        os.makedirs(folder)
        with open(os.path.join(folder, "report.docx"), "wb") as f:
            f.write(renderings(SHARED["composed"])["docx"].content)
        # A profile of its own, so parallel runs and a desktop session don't clash.
        env = dict(os.environ, HOME=folder)
        done = subprocess.run(
            ["libreoffice", "--headless", f"-env:UserInstallation=file://{folder}/profile",
             "--convert-to", "pdf", "report.docx"],
            cwd=folder, env=env, capture_output=True, timeout=180)
        pdf = os.path.join(folder, "report.pdf")
        self.assertTrue(os.path.exists(pdf), done.stdout.decode(errors="replace") +
                        done.stderr.decode(errors="replace"))
        info = subprocess.run(["pdfinfo", pdf], capture_output=True, check=True, timeout=60).stdout.decode()
        pages = int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))
        self.assertGreaterEqual(pages, 2, info)
        text = compact(subprocess.run(["pdftotext", pdf, "-"], capture_output=True, check=True,
                                      timeout=60).stdout.decode())
        self.assertIn("鲁山县民政局关于2024年法治政府建设情况的报告", text)
        self.assertIn("全年组织集中学习12次", text)
        for page in range(1, pages + 1):
            self.assertIn(f"—{page}—", text)

    def test_04_facts_with_their_sources(self):
        catalogue = gateway().GetFacts(gw.GetFactsRequest(org=f"orgs/{ORG}", year=2024),
                                       timeout=RPC_TIMEOUT)
        names = [f.name for f in catalogue.facts]
        self.assertEqual(names, sorted(names))
        self.assertEqual(list(catalogue.missing_backends), [])
        facts = {f.name: f for f in catalogue.facts}
        for f in catalogue.facts:
            self.assertIn(f.source.service, ("study", "duty", "report", "gateway"), f.name)
            self.assertTrue(f.source.method and f.source.resource, f.name)
        all_staff = facts["study.sessions.all_staff"]
        self.assertEqual((all_staff.text, all_staff.number, all_staff.is_number, all_staff.unit),
                         ("12", 12, True, "次"))
        self.assertEqual((all_staff.source.service, all_staff.source.method),
                         ("study", "GetStudySummary"))
        self.assertEqual(facts["study.leadership.sessions"].text, "4")
        # Scoped facts: the leadership group's laws are those of its own
        # sessions, fewer than the year's.
        self.assertEqual(list(facts["study.leadership.laws"].items),
                         ["民法典", "老年人权益保障法", "行政许可法", "行政处罚法"])
        self.assertEqual(len(facts["study.leadership.laws"].records), 4)
        self.assertGreater(len(facts["study.laws"].items), 4)
        self.assertEqual((facts["study.all_staff.hours"].text, facts["study.all_staff.hours"].unit),
                         ("18", "学时"))
        self.assertEqual(facts["study.all_staff.attendances"].text, "552")
        # The demo narrative quotes facts and types no number by hand.
        self.assertEqual(list(catalogue.warnings), [])
        self.assertEqual(list(facts["study.all_staff.sessions"].used_in),
                         ["report.sections[0].items[1].paragraphs[0]"])
        self.assertTrue({"民法典", "老年人权益保障法", "行政许可法", "行政处罚法"}
                        <= set(facts["study.laws"].items))
        self.assertIn("尧山广场", facts["study.publicity.places"].items)
        self.assertEqual(facts["duty.powers"].text, "30")
        self.assertEqual(facts["duty.officers.valid"].source.service, "duty")
        self.assertTrue({"养老服务", "殡葬"} <= set(facts["duty.domains.understaffed"].items))
        org = facts["org.name"]
        self.assertEqual((org.text, org.source.service, org.source.method, org.source.resource),
                         ("鲁山县民政局", "report", "GetOrganization", f"orgs/{ORG}"))
        error = self.assertRpcFails(C.INVALID_ARGUMENT, gateway().GetFacts,
                                    gw.GetFactsRequest(org="lushan", year=1800), timeout=RPC_TIMEOUT)
        self.assertTrue({"org", "year"} <= set(harness.bad_request(error)), harness.bad_request(error))

    def test_05_http_download_of_the_docx(self):
        url = f"http://127.0.0.1:{GATEWAY.http_port}/orgs/{ORG}/reports/2024.docx"
        with urllib.request.urlopen(url, timeout=RPC_TIMEOUT) as reply:
            body = reply.read()
            header = reply.headers["X-Content-SHA256"]
            disposition = reply.headers["Content-Disposition"]
            self.assertEqual(reply.status, 200)
        self.assertEqual(header, hashlib.sha256(body).hexdigest())
        self.assertEqual(header, renderings(SHARED["composed"])["docx"].sha256)
        self.assertIn(f"{ORG}-2024.docx", disposition)
        with self.assertRaises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(
                f"http://127.0.0.1:{GATEWAY.http_port}/orgs/no-such-org/reports/2024.txt",
                timeout=RPC_TIMEOUT)
        self.assertEqual(caught.exception.code, 404)
        self.assertIn("report backend", caught.exception.read().decode())
        with self.assertRaises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(
                f"http://127.0.0.1:{GATEWAY.http_port}/orgs/{ORG}/reports/1800.md", timeout=RPC_TIMEOUT)
        self.assertEqual(caught.exception.code, 400)
        self.assertIn("year", caught.exception.read().decode())

    def test_06_an_unknown_fact_in_the_narrative_is_named(self):
        name = f"orgs/{ORG}/reports/2024"
        stub = report_service()
        original = stub.GetReport(rp.GetReportRequest(name=name), timeout=RPC_TIMEOUT)
        edited = rp.Report()
        edited.CopyFrom(original)
        self.assertEqual(edited.sections[0].item, rp.CONTENT_ITEM_HEAD_DUTY)
        edited.sections[0].items[0].paragraphs.append("全年还开展了{{study.no_such_fact}}次活动。")
        mask = field_mask_pb2.FieldMask(paths=["sections"])
        updated = stub.UpdateReport(rp.UpdateReportRequest(
            report=rp.Report(name=name, etag=original.etag, sections=edited.sections),
            update_mask=mask, actor="e2e-editor"), timeout=RPC_TIMEOUT)
        try:
            error = self.assertRpcFails(C.INVALID_ARGUMENT, compose, formats=["txt"])
            self.assertIn("study.no_such_fact", error.details())
            fields = harness.bad_request(error)
            self.assertEqual(list(fields), ["report.sections[0].items[0].paragraphs[1]"])
            self.assertIn('unknown fact "study.no_such_fact"',
                          fields["report.sections[0].items[0].paragraphs[1]"])
        finally:
            stub.UpdateReport(rp.UpdateReportRequest(
                report=rp.Report(name=name, etag=updated.etag, sections=original.sections),
                update_mask=mask, actor="e2e-editor"), timeout=RPC_TIMEOUT)
        # Restored: the same document as before.
        self.assertEqual(renderings(compose(formats=["docx"]))["docx"].sha256,
                         renderings(SHARED["composed"])["docx"].sha256)

    def test_07_a_killed_study_backend_is_named_then_survived(self):
        STUDY.kill()
        started = time.monotonic()
        with self.assertRaises(grpc.RpcError) as caught:
            compose(formats=["txt"])
        elapsed = time.monotonic() - started
        error = caught.exception
        self.assertIn(error.code(), (C.UNAVAILABLE, C.DEADLINE_EXCEEDED), error.details())
        self.assertIn("study backend", error.details())
        self.assertLess(elapsed, 10 * harness.SLOWDOWN)

        started = time.monotonic()
        draft = compose(formats=["txt"], allow_partial=True)
        self.assertLess(time.monotonic() - started, 10 * harness.SLOWDOWN)
        self.assertEqual(list(draft.missing_backends), ["study"])
        self.assertEqual(items(draft), items(SHARED["composed"]))
        head = section_text(draft, rp.CONTENT_ITEM_HEAD_DUTY)
        self.assertIn("全年组织集中学习〔待补：study服务数据缺失〕次", head)
        # The duty facts and findings are still there; no study finding is claimed.
        self.assertTrue(any(f.type == gw.FINDING_TYPE_POWER_UNDERSTAFFED for f in draft.findings))
        self.assertFalse([f.id for f in draft.findings if f.id.startswith("study.")])
        self.assertIn("〔待补：study服务数据缺失〕", renderings(draft)["txt"].content.decode())

        # Back on the same port and database: the gateway reconnects.
        STUDY.start(port=STUDY.port)
        deadline = time.monotonic() + 10
        while True:
            try:
                again = compose(formats=["docx"], timeout=5 * harness.SLOWDOWN)
                break
            except grpc.RpcError as e:
                if time.monotonic() > deadline:
                    self.fail(f"no compose 10 s after the restart: {e.code()}: {e.details()}")
                time.sleep(0.25)
        self.assertEqual(list(again.missing_backends), [])
        self.assertEqual(renderings(again)["docx"].sha256, renderings(SHARED["composed"])["docx"].sha256)

    def test_07b_a_hung_backend_holds_no_thread_of_the_gateway(self):
        """ComposeReport waits for the backends without holding one of gRPC's
        callback threads: with the study service stopped (SIGSTOP) and more
        composes waiting on it than the gateway has callback threads, its
        health (a callback service too) and GetFacts' validation still
        answer at once; the composes end at the backend deadline, naming it."""
        harness.stop_process(STUDY.proc, 10 * harness.SLOWDOWN)
        try:
            outcomes = []

            def waiting_compose():
                try:
                    compose(formats=["txt"])
                    outcomes.append("composed")
                except grpc.RpcError as e:
                    outcomes.append((e.code(), e.details()))

            waiting = [threading.Thread(target=waiting_compose) for _ in range(6)]
            for t in waiting:
                t.start()
            time.sleep(0.5 * harness.SLOWDOWN)  # all six waiting on the study service
            started = time.monotonic()
            self.assertEqual(harness.health_status(GATEWAY.channel, timeout=1), "SERVING")
            self.assertRpcFails(C.INVALID_ARGUMENT, gateway().GetFacts,
                                gw.GetFactsRequest(org=f"orgs/{ORG}"), timeout=1)
            self.assertLess(time.monotonic() - started, 1)
            self.assertEqual(outcomes, [])
        finally:
            os.kill(STUDY.proc.pid, signal.SIGCONT)
        for t in waiting:
            t.join()
        self.assertEqual(len(outcomes), 6)
        for outcome in outcomes:
            if outcome != "composed":  # the deadline may not have passed on a fast resume
                self.assertEqual(outcome[0], C.DEADLINE_EXCEEDED, outcome)
                self.assertIn("study backend", outcome[1])

    # ----------------------------------------------------------------------
    # The second organization: the regulation's layout, little narrative.

    def test_08_the_market_bureau_uses_the_regulations_layout(self):
        composed = compose(MARKET, formats=["txt"])
        self.assertEqual(composed.title, "鲁山县市场监督管理局关于2024年法治政府建设情况的报告")
        self.assertEqual(items(composed), [
            rp.CONTENT_ITEM_MEASURES, rp.CONTENT_ITEM_SHORTCOMINGS, rp.CONTENT_ITEM_HEAD_DUTY,
            rp.CONTENT_ITEM_NEXT_YEAR_PLAN, rp.CONTENT_ITEM_OTHER])
        # The regulation's words, with the years written as years.
        self.assertEqual([s.heading for s in composed.sections], [
            "2024年推进法治政府建设的主要举措和成效", "2024年推进法治政府建设存在的不足和原因",
            "2024年党政主要负责人履行推进法治建设第一责任人职责，加强法治政府建设的有关情况",
            "2025年推进法治政府建设的主要安排", "其他需要报告的情况"])
        # Its first supervisor is not registered here: no addressee.
        self.assertEqual(composed.addressee, "")
        # Its narrative, filled from two years of study records: 同比 compares
        # (golden_demo_test.py works out every phrase from the files).
        measures = section_text(composed, rp.CONTENT_ITEM_MEASURES)
        self.assertIn("全年组织集中学习12次，同比增加2次", measures)
        self.assertIn("举办专题法治讲座2次，同比下降33.3%", measures)
        head = section_text(composed, rp.CONTENT_ITEM_HEAD_DUTY)
        self.assertIn("党组（中心组）集体学法4次，与上年持平", head)
        self.assertNotIn("专题研究法治工作", head)
        self.assertNotIn("上年无记录", measures + head)
        # Nobody wrote OTHER: a generated paragraph.
        other = section(composed, rp.CONTENT_ITEM_OTHER)
        self.assertTrue(other.blocks)
        self.assertEqual({b.origin for b in other.blocks}, {"generated"})
        # No study plan recorded: the data says so.
        self.assertIn("study.plan.missing", [f.id for f in composed.findings])
        self.assertEqual([f.id for f in composed.findings], ["study.plan.missing"])
        self.assertIn("二是未制订2024年度学法计划。原因：", section_text(composed, rp.CONTENT_ITEM_SHORTCOMINGS))
        self.assertEqual(composed.date, "")

    def test_08b_year_on_year_needs_a_year_before_on_record(self):
        def facts(org):
            catalogue = gateway().GetFacts(gw.GetFactsRequest(org=f"orgs/{org}", year=2024),
                                           timeout=RPC_TIMEOUT)
            return {f.name: f for f in catalogue.facts}

        # The bureau has no record of 2023: comparable, but a first year.
        civil = facts(ORG)
        self.assertEqual(demo_records(ORG, "sessions", 2023) + demo_records(ORG, "events", 2023), [])
        f = civil["study.all_staff.sessions"]
        self.assertEqual((f.has_previous, f.previous_on_record, f.previous_number), (True, False, 0))
        # The market bureau's 2023, counted from its files.
        market = facts(MARKET)
        for name, kind in (("study.all_staff.sessions", "STUDY_KIND_ALL_STAFF"),
                           ("study.lecture.sessions", "STUDY_KIND_LECTURE"),
                           ("study.leadership.sessions", "STUDY_KIND_LEADERSHIP_GROUP")):
            f = market[name]
            self.assertEqual((f.has_previous, f.previous_on_record), (True, True), name)
            self.assertEqual(f.previous_number, len(demo_records(MARKET, "sessions", 2023, kind)), name)
            self.assertEqual(f.number, len(demo_records(MARKET, "sessions", 2024, kind)), name)
        self.assertEqual(market["study.all_staff.sessions"].previous_number, 10)
        events = market["study.publicity.events"]
        self.assertEqual((events.number, events.previous_number),
                         (len(demo_records(MARKET, "events", 2024)), len(demo_records(MARKET, "events", 2023))))
        # Duty facts are a state on a day, not dated records: no year before.
        self.assertFalse(market["duty.powers"].has_previous)
        self.assertFalse(civil["duty.powers"].has_previous)

        # 同比 in a narrative of an organization without a year before on record.
        with narrative_paragraph_added(
                ORG, "全年集中学习{{study.all_staff.sessions}}次，{{study.all_staff.sessions | 同比}}，"
                     "上年{{study.all_staff.sessions | 上年}}。"):
            head = section_text(compose(), rp.CONTENT_ITEM_HEAD_DUTY)
            self.assertIn("全年集中学习12次，上年无记录，不作同比，上年上年无记录。", head)
        self.assertEqual(renderings(compose(formats=["docx"]))["docx"].sha256,
                         renderings(SHARED["composed"])["docx"].sha256)

        # A duty fact has no year before: 同比 on it is refused, naming the field.
        for comparison in ("同比", "同比幅度", "上年"):
            with narrative_paragraph_added(MARKET, f"梳理执法事项{{{{duty.powers | {comparison}}}}}。") as field:
                error = self.assertRpcFails(C.INVALID_ARGUMENT, compose, MARKET, formats=["txt"])
                violations = harness.bad_request(error)
                self.assertEqual(list(violations), [field], error.details())
                self.assertIn('fact "duty.powers" has no value for the year before', violations[field])
                self.assertIn(f'"{comparison}"', violations[field])
        self.assertIn("同比增加2次", section_text(compose(MARKET), rp.CONTENT_ITEM_MEASURES))

    # ----------------------------------------------------------------------
    # Supervision and publication.

    def test_09_dashboard_before_anything_was_submitted(self):
        def dashboard(as_of):
            return gateway().GetDashboard(gw.GetDashboardRequest(
                supervisor=SUPERVISOR, year=2024, as_of=as_of), timeout=RPC_TIMEOUT)

        # Before 1 March nothing is overdue yet, though (as that day saw it)
        # no report had been started.
        early = dashboard(date(2025, 2, 1))
        self.assertEqual([r.org for r in early.rows], [f"orgs/{ORG}", f"orgs/{MARKET}"])
        for row in early.rows:
            self.assertFalse(row.submission_overdue, row.org)
            self.assertFalse(row.publication_overdue, row.org)

        board = dashboard(date(2025, 3, 15))
        self.assertEqual(board.supervisor, SUPERVISOR)
        self.assertEqual((board.as_of.year, board.as_of.month, board.as_of.day), (2025, 3, 15))
        rows = {r.org: r for r in board.rows}
        self.assertEqual([r.org for r in board.rows], [f"orgs/{ORG}", f"orgs/{MARKET}"])
        demo = rows[f"orgs/{ORG}"]
        self.assertEqual(demo.org_name, "鲁山县民政局")
        self.assertTrue(demo.started)
        self.assertEqual(demo.state, rp.REPORT_STATE_DRAFT)
        self.assertTrue(demo.submission_overdue)
        self.assertFalse(demo.publication_overdue)  # due before 1 April
        self.assertEqual((demo.submit_before.year, demo.submit_before.month, demo.submit_before.day),
                         (2025, 3, 1))
        self.assertEqual(demo.study_sessions, 20)
        self.assertEqual(list(demo.facts_missing), [])
        self.assertEqual((demo.leadership_quarters_covered, demo.leadership_quarters_due), (4, 4))
        self.assertEqual(demo.powers, 30)
        self.assertGreater(demo.powers_understaffed, 0)
        market = rows[f"orgs/{MARKET}"]
        self.assertEqual(market.org_name, "鲁山县市场监督管理局")
        self.assertTrue(market.submission_overdue)
        # Its 2024 sessions (not 2023's); no duty records.
        self.assertEqual(market.study_sessions, len(demo_records(MARKET, "sessions", 2024)))
        self.assertEqual(market.study_sessions, 22)
        self.assertEqual(market.powers, 0)
        self.assertEqual(market.leadership_quarters_covered, 4)
        self.assertGreater(board.understaffed_by_domain["养老服务"], 0)
        self.assertGreater(board.understaffed_by_domain["殡葬"], 0)
        self.assertEqual(sum(board.understaffed_by_domain.values()), demo.powers_understaffed)

    def test_10_publish_needs_approval_then_freezes_the_renderings(self):
        name = f"orgs/{ORG}/reports/2024"
        publish = gw.PublishReportRequest(org=f"orgs/{ORG}", year=2024, actor="e2e-office")
        error = self.assertRpcFails(C.FAILED_PRECONDITION, gateway().PublishReport, publish,
                                    timeout=RPC_TIMEOUT)
        self.assertIn("DRAFT", error.details())

        # The demo bureau requires two people: one submits, another approves.
        stub = report_service()
        stub.SubmitReport(rp.SubmitReportRequest(name=name, actor="zhang"), timeout=RPC_TIMEOUT)
        self.assertRpcFails(C.FAILED_PRECONDITION, stub.ApproveReport,
                            rp.ApproveReportRequest(name=name, actor="zhang"), timeout=RPC_TIMEOUT)
        stub.ApproveReport(rp.ApproveReportRequest(name=name, actor="li"), timeout=RPC_TIMEOUT)

        published = gateway().PublishReport(publish, timeout=RPC_TIMEOUT)
        self.assertEqual(published.report.state, rp.REPORT_STATE_PUBLISHED)
        self.assertEqual(published.report.published_revision, 1)
        self.assertEqual(sorted(r.format for r in published.renderings), sorted(FORMATS))
        for r in published.renderings:
            self.assertEqual(r.content, b"", r.format)  # the bytes went to the report service
            doc = stub.GetReportDocument(rp.GetReportDocumentRequest(
                name=f"{name}/revisions/1/documents/{r.format}"), timeout=RPC_TIMEOUT)
            self.assertEqual(hashlib.sha256(doc.content).hexdigest(), r.sha256, r.format)
            self.assertEqual(doc.sha256, r.sha256, r.format)
        # What was frozen is what was reviewed.
        self.assertEqual({r.format: r.sha256 for r in published.renderings},
                         {r.format: r.sha256 for r in SHARED["composed"].renderings})
        self.assertEqual(compose().state, rp.REPORT_STATE_PUBLISHED)
        self.assertRpcFails(C.FAILED_PRECONDITION, gateway().PublishReport, publish, timeout=RPC_TIMEOUT)

    def test_11_dashboard_after_publication(self):
        today = datetime.datetime.now(CHINA).date()
        dashboard = gateway().GetDashboard(gw.GetDashboardRequest(
            supervisor=SUPERVISOR, year=2024, as_of=date(today.year, today.month, today.day)),
            timeout=RPC_TIMEOUT)
        rows = {r.org: r for r in dashboard.rows}
        demo = rows[f"orgs/{ORG}"]
        self.assertEqual(demo.state, rp.REPORT_STATE_PUBLISHED)
        # Submitted and published (late, but done): nothing outstanding.
        self.assertFalse(demo.submission_overdue)
        self.assertFalse(demo.publication_overdue)
        market = rows[f"orgs/{MARKET}"]
        self.assertEqual(market.state, rp.REPORT_STATE_DRAFT)
        self.assertTrue(market.submission_overdue)
        self.assertTrue(market.publication_overdue)

    # ----------------------------------------------------------------------
    # Answers held and asked for again.

    def held_reused(self):
        """The gateway's fazhi_gateway_held_reused_total by cache, from /metrics."""
        status, _, body = harness.http_request(GATEWAY.http_port, "GET", "/metrics", timeout=5)
        self.assertEqual(status, 200)
        found = dict(re.findall(r'^fazhi_gateway_held_reused_total\{cache="(\w+)"\} (\d+)$',
                                body.decode("utf-8"), re.M))
        self.assertEqual(set(found), {"answers", "composed"})
        return {cache: int(n) for cache, n in found.items()}

    def test_12_held_answers_compose_what_a_gateway_holding_none_composes(self):
        """The gateway holds the backends' answers and its composed reports,
        and asks again with if_none_match: after every change of records or
        narrative its report is, byte for byte, the one a gateway that holds
        nothing composes. On SQLite the backends say "not modified" while
        nothing changed; on PostgreSQL (no version of the data) never."""
        study = study_pb2_grpc.StudyServiceStub(STUDY.channel)
        ask = st.GetStudySummaryRequest(org=f"orgs/{MARKET}", year=2024)
        answer = study.GetStudySummary(ask, timeout=RPC_TIMEOUT)
        ask.if_none_match = answer.answer_etag or "no etag"
        again = study.GetStudySummary(ask, timeout=RPC_TIMEOUT)
        if ARGS.postgres:
            self.assertEqual(answer.answer_etag, "")
            self.assertFalse(again.not_modified)
            self.assertEqual(again.total_sessions, answer.total_sessions)
        else:
            self.assertRegex(answer.answer_etag, r"^[0-9a-f]{32}$")
            self.assertEqual(again, st.StudySummary(answer_etag=answer.answer_etag,
                                                    not_modified=True))

        fresh = harness.ServerProcess(
            ARGS.gateway, "gateway-holding-none", WORKDIR,
            extra_args=[f"--study_target={STUDY.target}", f"--duty_target={DUTY.target}",
                        f"--report_target={REPORT.target}",
                        f"--backend_deadline={BACKEND_DEADLINE}s",
                        "--answer_cache_mib=0"]).start_for_module()
        holding_none = gateway_pb2_grpc.AnnualReportServiceStub(fresh.channel)
        request = gw.ComposeReportRequest(org=f"orgs/{MARKET}", year=2024, formats=FORMATS)

        def composed():
            held = gateway().ComposeReport(request, timeout=RPC_TIMEOUT)
            self.assertEqual(held, holding_none.ComposeReport(request, timeout=RPC_TIMEOUT))
            return held

        first = composed()
        before = self.held_reused()
        self.assertEqual(composed(), first)
        after = self.held_reused()
        if ARGS.postgres:
            self.assertEqual(after, before)
        else:
            self.assertEqual(after["composed"], before["composed"] + 1)
            self.assertEqual(after["answers"], before["answers"] + 3)  # study, duty, report

        # A study record more: another report, the same from both gateways;
        # taken away again: the first report again.
        session = study.CreateSession(st.CreateSessionRequest(
            parent=f"orgs/{MARKET}", session=st.Session(
                date=date(2024, 11, 20), kind=st.STUDY_KIND_LEADERSHIP_GROUP,
                title="党组会议专题学法", duration_minutes=60,
                attendees=[st.Attendee(person_id="p-held", display_name="局长", is_head=True)])),
            timeout=RPC_TIMEOUT)
        with_session = composed()
        self.assertNotEqual(renderings(with_session)["txt"].sha256, renderings(first)["txt"].sha256)
        study.DeleteSession(st.DeleteSessionRequest(name=session.name, etag=session.etag),
                            timeout=RPC_TIMEOUT)
        self.assertEqual(composed(), first)

        # The narrative edited and restored.
        paragraph = "本年度另行组织执法人员专题培训一次。"
        with narrative_paragraph_added(MARKET, paragraph):
            edited = composed()
            self.assertIn(paragraph, renderings(edited)["txt"].content.decode("utf-8"))
        restored, expected = composed(), gw.ComposedReport()
        expected.CopyFrom(first)
        self.assertNotEqual(restored.etag, first.etag)  # two edits, stored
        for report in (restored, expected):
            for field in ("etag", "revision", "lifecycle"):  # what the edits moved on
                report.ClearField(field)
        self.assertEqual(restored, expected)


# --------------------------------------------------------------------------


if __name__ == "__main__":
    harness.run_tests("gateway e2e", UNITTEST_ARGV, postgres=ARGS.postgres)
