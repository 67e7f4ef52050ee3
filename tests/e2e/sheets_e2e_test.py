#!/usr/bin/env python3
"""End-to-end test of the spreadsheets: XLSX downloads, import templates, XLSX import.

Run through ctest (tests/e2e/CMakeLists.txt), or by hand:

  /usr/bin/python3 tests/e2e/sheets_e2e_test.py --study build/bin/fazhi-study \
      --duty build/bin/fazhi-duty --report build/bin/fazhi-report \
      --gateway build/bin/fazhi-gateway --cli build/bin/fazhi \
      --stubs build/tests/e2e/pystubs --demo deploy/demo [--keep] [-v]

Starts the four real binaries with a keys file (an admin, the county office
supervising both demo departments, a reader of lushan-minzheng) and the demo
data loaded by the CLI. Then:

- the dashboard and the facts download as XLSX from the gateway's HTTP side
  behind the RPCs' own rules (no key 401, a caller without the right 403);
  LibreOffice (soffice --headless --convert-to csv) reads back the title,
  the Chinese headers and rows equal to what this test computes itself from
  GetDashboard's and GetFacts' answers;
- every import template (CLI and gateway alike) round-trips: its sample row
  filled with ids of its own, imported by the CLI as XLSX and as CSV, and
  both records exist with the same fields;
- an XLSX sheet with a bad row gives the CLI's very error of the same CSV,
  for a cell the CLI cannot read and for a row the service rejects.

Needs grpcio and protobuf (Debian python3-grpcio, python3-protobuf) and
LibreOffice Calc (libreoffice-calc-nogui).
"""

import csv
import io
import os
import re
import shutil
import subprocess
import unittest
import zipfile

import harness

ARGS, UNITTEST_ARGV = harness.parse_args(
    __doc__, ("study", "duty", "report", "gateway"), cli=True, demo=True, postgres=True)

import grpc  # noqa: E402
from google.type import date_pb2  # noqa: E402

from fazhi.duty.v1 import duty_pb2, duty_pb2_grpc  # noqa: E402
from fazhi.gateway.v1 import gateway_pb2 as gw  # noqa: E402
from fazhi.gateway.v1 import gateway_pb2_grpc  # noqa: E402
from fazhi.report.v1 import report_pb2 as rp  # noqa: E402
from fazhi.study.v1 import study_pb2, study_pb2_grpc  # noqa: E402

RPC_TIMEOUT = 30 * harness.SLOWDOWN
OWN = "lushan-minzheng"
OTHER = "lushan-shijianju"
OFFICE = "lushan-yifazhixian"
YEAR = 2024
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

WORKDIR = None
SERVERS = {}
KEYS = {}

# What this test expects, written out here rather than taken from the code.
STATE_NAMES = {
    rp.REPORT_STATE_DRAFT: "草稿", rp.REPORT_STATE_SUBMITTED: "已报送，待审核",
    rp.REPORT_STATE_APPROVED: "已审核，待发布", rp.REPORT_STATE_PUBLISHED: "已发布",
    rp.REPORT_STATE_REJECTED: "已退回",
}
DASHBOARD_HEADERS = [
    "单位", "单位标识", "报告状态", "报送截止", "公开截止", "逾期未报送", "逾期未公开", "学法次数",
    "第一季度学法", "第二季度学法", "第三季度学法", "第四季度学法", "党组学法覆盖季度", "应覆盖季度",
    "执法事项", "不足两名持证人员的事项", "证件失效", "无法制审核人员的领域", "数据缺失"]
FACTS_HEADERS = ["名称", "说明", "报告中的写法", "数值", "单位", "上年数值", "来源服务", "来源接口",
                 "来源资源", "记录数", "报告引用处", "记录"]
# Per template: the CLI commands, and the sample values that identify a record.
TEMPLATES = {
    "sessions": ("study", "import-sessions", "template-sessions", ["XF-2024-001"]),
    "events": ("study", "import-events", "template-events", ["PF-2024-001"]),
    "powers": ("duty", "import-powers", "template-powers", ["330217001000", "QZ-001"]),
    "officers": ("duty", "import-officers", "template-officers", ["P0001", "RY-001", "HN-000123"]),
}


def start_server(name):
    keyed = [f"--keys_file={os.path.join(WORKDIR, 'keys.json')}", "--allow_plaintext",
             "--log_format=json"]
    if name == "gateway":
        extra = [f"--gateway_key_file={os.path.join(WORKDIR, 'gateway.key')}",
                 *(f"--{b}_target={SERVERS[b].target}" for b in ("study", "duty", "report"))]
        server = harness.ServerProcess(ARGS.gateway, name, WORKDIR, http=True, extra_args=extra,
                                       flags=keyed)
    else:
        server = harness.ServerProcess(
            getattr(ARGS, name), name, WORKDIR, flags=keyed,
            db=harness.new_database(WORKDIR, name, postgres=ARGS.postgres))
    SERVERS[name] = server
    server.start()


def env(key="admin"):
    return harness.client_env(keys_file=os.path.join(WORKDIR, "keys.json"), api_key=KEYS[key],
                              **{n: s.target for n, s in SERVERS.items()})


def fazhi(*args, check=True):
    return harness.cli_process(ARGS.cli, env(), *args, check=check)


def http(path, key=None):
    return harness.http_request(SERVERS["gateway"].http_port, "GET", path,
                                key=KEYS[key] if key else None, timeout=RPC_TIMEOUT)


def metadata(key):
    return harness.bearer(KEYS[key])


def soffice_rows(xlsx_bytes, name):
    """The first sheet as LibreOffice Calc reads it, exported to CSV (UTF-8)."""
    folder = os.path.join(WORKDIR, "soffice")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, f"{name}.xlsx")
    with open(path, "wb") as f:
        f.write(xlsx_bytes)
    done = subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{folder}/profile",
         "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", folder, path],
        cwd=folder, env=dict(os.environ, HOME=folder), capture_output=True, timeout=180)
    out = os.path.join(folder, f"{name}.csv")
    if not os.path.exists(out):
        raise AssertionError(done.stdout.decode(errors="replace") + done.stderr.decode(errors="replace"))
    with open(out, encoding="utf-8") as f:
        return list(csv.reader(f))


def iso(date):
    return f"{date.year:04d}-{date.month:02d}-{date.day:02d}" if date.year else ""


def number(value):
    """A number as Calc writes a General cell to CSV: 15 significant digits."""
    return "%.15g" % value


def trim(row):
    while row and row[-1] == "":
        row = row[:-1]
    return row


def setUpModule():
    global WORKDIR
    if shutil.which("soffice") is None:
        raise RuntimeError("soffice is missing: run scripts/install-deps.sh test")
    WORKDIR = harness.make_workdir("fazhi-e2e-sheets-", keep=ARGS.keep)
    unittest.addModuleCleanup(lambda: [s.stop() for s in reversed(list(SERVERS.values()))])
    keys = os.path.join(WORKDIR, "keys.json")
    for caller, roles in (("admin", "admin:*"), ("office", f"supervisor:{OFFICE},{OWN},{OTHER}"),
                          ("reader", f"reader:{OWN}")):
        KEYS[caller] = harness.create_key(ARGS.cli, keys, caller, roles)
    harness.write_gateway_key(ARGS.cli, keys, os.path.join(WORKDIR, "gateway.key"))
    for name in ("study", "duty", "report", "gateway"):
        start_server(name)
    harness.load_demo(ARGS.cli, ARGS.demo, env())


class Downloads(unittest.TestCase):
    def test_dashboard_xlsx_reads_back_as_the_rpc(self):
        path = f"/orgs/{OFFICE}/dashboard/{YEAR}.xlsx?as_of=2025-06-30"
        status, headers, body = http(path, "office")
        self.assertEqual(status, 200, body[:300])
        self.assertEqual(headers["Content-Type"], XLSX_TYPE)
        self.assertIn(f'filename="{OFFICE}-{YEAR}-dashboard.xlsx"', headers["Content-Disposition"])
        self.assertIn("no-store", headers["Cache-Control"])
        self.assertTrue(body.startswith(b"PK"))
        board = gateway_pb2_grpc.AnnualReportServiceStub(SERVERS["gateway"].channel).GetDashboard(
            gw.GetDashboardRequest(supervisor=f"orgs/{OFFICE}", year=YEAR,
                                   as_of=date_pb2.Date(year=2025, month=6, day=30)),
            metadata=metadata("office"), timeout=RPC_TIMEOUT)
        self.assertEqual(len(board.rows), 2)
        expected = []
        for r in board.rows:
            quarters = list(r.sessions_by_quarter) + [0] * (4 - len(r.sessions_by_quarter))
            expected.append(trim([
                r.org_name, r.org.split("/")[-1],
                STATE_NAMES.get(r.state, "未开始") if r.started else "未开始",
                iso(r.submit_before), iso(r.publish_before),
                "是" if r.submission_overdue else "否", "是" if r.publication_overdue else "否",
                number(r.study_sessions), *(number(q) for q in quarters),
                number(r.leadership_quarters_covered), number(r.leadership_quarters_due),
                number(r.powers), number(r.powers_understaffed), number(r.certificates_lapsed),
                number(r.domains_without_legal_reviewer), "；".join(r.facts_missing)]))
        rows = soffice_rows(body, "dashboard")
        self.assertIn(OFFICE, rows[0][0])
        self.assertIn(f"{YEAR}年度", rows[0][0])
        self.assertIn("截至2025年6月30日", rows[0][0])
        self.assertEqual(rows[1], DASHBOARD_HEADERS)
        self.assertEqual([trim(r) for r in rows[2:]], expected)
        # Some numbers are not zero, or the comparison would prove little.
        self.assertTrue(any(r.study_sessions > 0 for r in board.rows))
        self.assertTrue(any(r.powers > 0 for r in board.rows))

    def test_dashboard_xlsx_behind_the_rpcs_rule(self):
        path = f"/orgs/{OFFICE}/dashboard/{YEAR}.xlsx"
        status, headers, _ = http(path)
        self.assertEqual(status, 401)
        self.assertEqual(headers["WWW-Authenticate"], "Bearer")
        status, _, body = http(path, "reader")
        self.assertEqual(status, 403, body)
        status, _, body = http(path + "?as_of=2025-13-01", "office")
        self.assertEqual(status, 400)
        self.assertIn(b"as_of", body)
        status, _, body = http(f"/orgs/{OFFICE}/dashboard/1800.xlsx", "office")
        self.assertEqual(status, 400, body)  # the RPC's own validation
        self.assertIn(b"year", body)

    def test_facts_xlsx_reads_back_as_the_rpc(self):
        status, headers, body = http(f"/orgs/{OWN}/reports/{YEAR}/facts.xlsx", "reader")
        self.assertEqual(status, 200, body[:300])
        self.assertEqual(headers["Content-Type"], XLSX_TYPE)
        self.assertIn(f'filename="{OWN}-{YEAR}-facts.xlsx"', headers["Content-Disposition"])
        catalogue = gateway_pb2_grpc.AnnualReportServiceStub(SERVERS["gateway"].channel).GetFacts(
            gw.GetFactsRequest(org=f"orgs/{OWN}", year=YEAR), metadata=metadata("reader"),
            timeout=RPC_TIMEOUT)
        expected = []
        full_name = ""
        for f in catalogue.facts:
            if f.name == "org.name":
                full_name = f.text
            expected.append(trim([
                f.name, f.description, f.text, number(f.number) if f.is_number else "", f.unit,
                number(f.previous_number) if f.has_previous and f.previous_on_record else "",
                f.source.service, f.source.method, f.source.resource, number(len(f.records)),
                "；".join(f.used_in), "；".join(f.records)]))
        rows = soffice_rows(body, "facts")
        self.assertTrue(full_name)
        self.assertIn(full_name, rows[0][0])
        self.assertIn(f"{YEAR}年度", rows[0][0])
        self.assertEqual(rows[1], FACTS_HEADERS)
        self.assertEqual([trim(r) for r in rows[2:]], expected)
        self.assertGreater(len(expected), 20)
        self.assertTrue(any(f.is_number and f.number > 0 for f in catalogue.facts))

    def test_facts_xlsx_behind_the_rpcs_rule(self):
        status, _, _ = http(f"/orgs/{OWN}/reports/{YEAR}/facts.xlsx")
        self.assertEqual(status, 401)
        status, _, body = http(f"/orgs/{OTHER}/reports/{YEAR}/facts.xlsx", "reader")
        self.assertEqual(status, 403, body)
        status, _, _ = http(f"/orgs/{OTHER}/reports/{YEAR}/facts.xlsx", "office")
        self.assertEqual(status, 200)


def filled_xlsx(data, replacements):
    """The XLSX with the strings of its sheet replaced (the sample row filled in)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename in ("xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"):
                text = content.decode("utf-8")
                for old, new in replacements:
                    text = text.replace(f">{old}<", f">{new}<")
                content = text.encode("utf-8")
            target.writestr(item, content)
    return out.getvalue()


def filled_csv(data, replacements):
    text = data.decode("utf-8")
    header, sample = text.split("\r\n")[:2]
    cells = next(csv.reader([sample]))
    for old, new in replacements:
        cells = [new if c == old else c for c in cells]
    line = io.StringIO()
    csv.writer(line, lineterminator="\r\n").writerow(cells)
    return f"{header}\r\n{line.getvalue()}".encode("utf-8")


def records(kind):
    """The records of `kind` in OTHER, as the services list them."""
    md = metadata("admin")
    parent = f"orgs/{OTHER}"
    if kind == "sessions":
        stub = study_pb2_grpc.StudyServiceStub(SERVERS["study"].channel)
        return list(stub.ListSessions(study_pb2.ListSessionsRequest(parent=parent, page_size=1000),
                                      metadata=md, timeout=RPC_TIMEOUT).sessions)
    if kind == "events":
        stub = study_pb2_grpc.StudyServiceStub(SERVERS["study"].channel)
        return list(stub.ListPublicityEvents(
            study_pb2.ListPublicityEventsRequest(parent=parent, page_size=1000), metadata=md,
            timeout=RPC_TIMEOUT).publicity_events)
    stub = duty_pb2_grpc.DutyServiceStub(SERVERS["duty"].channel)
    if kind == "powers":
        return list(stub.ListPowers(duty_pb2.ListPowersRequest(parent=parent, page_size=1000),
                                    metadata=md, timeout=RPC_TIMEOUT).powers)
    return list(stub.ListOfficers(duty_pb2.ListOfficersRequest(parent=parent, page_size=1000),
                                  metadata=md, timeout=RPC_TIMEOUT).officers)


def identity(kind, record):
    return record.person_id if kind == "officers" else \
        record.code if kind == "powers" else record.external_id


def comparable(record):
    """The record's fields but its name, ids and times."""
    copy = type(record)()
    copy.CopyFrom(record)
    for field in ("name", "external_id", "code", "person_id", "etag", "create_time",
                  "update_time"):
        if any(f.name == field for f in copy.DESCRIPTOR.fields):
            copy.ClearField(field)
    if copy.DESCRIPTOR.name == "Officer":
        copy.certificate.ClearField("number")
    return copy


class Templates(unittest.TestCase):
    def template(self, kind, extension):
        service, _, command, _ = TEMPLATES[kind]
        path = os.path.join(WORKDIR, f"template-{kind}.{extension}")
        fazhi(service, command, f"--out={path}")
        with open(path, "rb") as f:
            return f.read()

    def test_gateway_serves_the_cli_templates(self):
        for kind in TEMPLATES:
            status, headers, body = http(f"/templates/{kind}.csv")
            self.assertEqual(status, 200)
            self.assertEqual(body, self.template(kind, "csv"))
            self.assertEqual(headers["Content-Type"], "text/csv; charset=utf-8")
            status, headers, body = http(f"/templates/{kind}.xlsx")
            self.assertEqual(status, 200)
            self.assertEqual(headers["Content-Type"], XLSX_TYPE)
            with zipfile.ZipFile(io.BytesIO(body)) as package:
                ours = zipfile.ZipFile(io.BytesIO(self.template(kind, "xlsx")))
                for part in ("xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/styles.xml"):
                    self.assertEqual(package.read(part), ours.read(part), part)
        self.assertEqual(http("/templates/plans.csv")[0], 404)

    def test_every_template_round_trips_through_import(self):
        for kind, (service, command, _, ids) in TEMPLATES.items():
            with self.subTest(kind=kind):
                imported = {}
                for extension in ("xlsx", "csv"):
                    replacements = [(value, f"{value}-{extension}") for value in ids]
                    data = self.template(kind, extension)
                    filled = (filled_xlsx if extension == "xlsx" else filled_csv)(data, replacements)
                    path = os.path.join(WORKDIR, f"{kind}-filled.{extension}")
                    with open(path, "wb") as f:
                        f.write(filled)
                    done = fazhi(service, command, f"--org={OTHER}", f"--file={path}")
                    self.assertIn("received 1, stored 1, rejected 0", done.stdout.decode())
                    wanted = f"{ids[0]}-{extension}"
                    found = [r for r in records(kind) if identity(kind, r) == wanted]
                    self.assertEqual(len(found), 1, f"{kind}: no record {wanted}")
                    imported[extension] = found[0]
                self.assertEqual(comparable(imported["xlsx"]), comparable(imported["csv"]))
                if kind == "officers":
                    self.assertEqual(imported["xlsx"].certificate.expiry_date.year, 2028)
                    self.assertEqual(list(imported["xlsx"].domains), ["社会组织", "殡葬"])
                if kind == "sessions":
                    self.assertEqual(imported["xlsx"].date.month, 3)
                    self.assertEqual(imported["xlsx"].duration_minutes, 60)

    def import_both(self, xlsx, csv_bytes, name):
        """The CLI's exit code and output for the same rows as XLSX and as CSV,
        with the file names made alike."""
        results = []
        for extension, data in (("xlsx", xlsx), ("csv", csv_bytes)):
            path = os.path.join(WORKDIR, f"{name}.{extension}")
            with open(path, "wb") as f:
                f.write(data)
            done = fazhi("study", "import-sessions", f"--org={OTHER}", f"--file={path}",
                         check=False)
            output = (done.stdout + done.stderr).decode().replace(path, "FILE")
            results.append((done.returncode, re.sub(r"\r?FILE: sent \d+/\d+ rows\n", "", output)))
        self.assertEqual(results[0], results[1])
        return results[0]

    def test_a_bad_row_gives_the_csv_error(self):
        xlsx, csv_bytes = self.template("sessions", "xlsx"), self.template("sessions", "csv")
        # A date the CLI cannot read: the cell becomes the text "2024-13-01".
        with zipfile.ZipFile(io.BytesIO(xlsx)) as package:
            sheet = package.read("xl/worksheets/sheet1.xml").decode()
        self.assertRegex(sheet, r'<c r="B2" s="\d+"><v>45359</v></c>')  # 2024-03-08, a date cell
        bad_date_xlsx = replace_in_sheet(
            xlsx, r'<c r="B2" s="\d+"><v>45359</v></c>',
            '<c r="B2" t="inlineStr"><is><t>2024-13-01</t></is></c>')
        code, output = self.import_both(bad_date_xlsx, csv_bytes.replace(b"2024-03-08", b"2024-13-01"),
                                        "bad-date")
        self.assertEqual(code, 2)
        self.assertIn('row 2, column "日期（date）": not a date (YYYY-MM-DD)', output)
        # A row the service rejects: 0 minutes.
        zero_xlsx = replace_in_sheet(xlsx, r'(<c r="F2"[^>]*>)<v>60</v>', r'\g<1><v>0</v>')
        zero_csv = csv_bytes.replace(b",60,", b",0,")
        code, output = self.import_both(zero_xlsx, zero_csv, "zero-minutes")
        self.assertEqual(code, 1, output)
        self.assertIn("received 1, stored 0, rejected 1", output)
        self.assertIn("duration_minutes", output)


def replace_in_sheet(data, pattern, replacement):
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text, count = re.subn(pattern, replacement, content.decode("utf-8"))
                assert count == 1, f"{pattern} not in the sheet"
                content = text.encode("utf-8")
            target.writestr(item, content)
    return out.getvalue()


if __name__ == "__main__":
    harness.run_tests("sheets end-to-end", UNITTEST_ARGV, postgres=ARGS.postgres)
