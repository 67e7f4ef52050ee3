#!/usr/bin/env python3
"""Browser end-to-end test of the gateway's web page: real services, real Chromium.

Run through ctest (tests/web/CMakeLists.txt), or by hand:

  /usr/bin/python3 tests/web/web_e2e_test.py --study build/bin/fazhi-study \
      --duty build/bin/fazhi-duty --report build/bin/fazhi-report \
      --gateway build/bin/fazhi-gateway --cli build/bin/fazhi \
      --stubs build/tests/e2e/pystubs --demo deploy/demo \
      --work build/tests/web [--keep] [-v]

Starts the four real binaries with a keys file made by `fazhi keys create`
(admin, an editor, an approver and a reader of lushan-minzheng, and the
county office supervising lushan-yifazhixian and both demo departments),
loads the demo data with the CLI as scripts/demo.sh does (the second
department, lushan-shijianju, with fewer sessions and officers and its
report left as a draft, overdue for 2024), and has the editor submit
lushan-minzheng's 2024 report over gRPC. Then Debian's chromium, driven
headless by playwright-core (installed by `npm ci` from tests/web's
package-lock.json into the work folder; no browser download), goes through
web_test.mjs phase by phase:

  reader     signs in, opens the report: the printed rendering (its style
             allowed by the page's policy), status, due dates, findings with
             evidence, facts with sources; downloads the DOCX (PK, the
             route's very bytes, a zip of the report);
             sees no approval buttons, and when it presses one anyway the
             API's 403 and the server's message are shown;
  reject     the approver rejects: first without a comment (the server's
             field violation is shown), then with one;
  (the editor submits again over gRPC)
  approve    the approver approves and publishes;
  dashboard  the county office's dashboard: the overdue department marked,
             the published one not, the charts drawn from the same data;
  desk       (desk_phases.mjs) the editor does 2025 in the page: three
             sessions by form (one refused, the server's field shown at its
             input), a CSV with one bad row (the row's line and field in the
             table, the table downloaded), the report started and written
             with placeholders inserted from the facts panel (a wrong one
             shown on the spot and by the server), the preview showing the
             number, a second tab's save making this one's stale (shown, not
             overwritten), a finding left out with a reason, the checklist
             and due dates, a tablet's width; submitted;
  desk-approve  the approver approves it;
  desk-reader   a reader finds no editing control, and the API refuses each
             write (403).

Screenshots of every page go to WORK/screenshots/. Afterwards: no log of any
service and no browser console line holds a key, the report's history names
who did what, the gateway audited the reader's refusal, and the HTTP side's
headers (policy, nosniff, no-store) and JSON errors are as documented.
"""

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import unittest
import zipfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import harness  # noqa: E402


def _web_args(parser):
    parser.add_argument("--work", required=True,
                        help="folder for node_modules, screenshots and downloads (kept)")
    parser.add_argument("--chromium", default="/usr/bin/chromium", help="the browser")
    parser.add_argument("--node", default=shutil.which("node") or "/usr/bin/node")
    parser.add_argument("--npm", default=shutil.which("npm") or "/usr/bin/npm")


ARGS, UNITTEST_ARGV = harness.parse_args(__doc__, ("study", "duty", "report", "gateway"),
                                         cli=True, demo=True, extra=_web_args)

import grpc  # noqa: E402

from fazhi.report.v1 import report_pb2 as rp  # noqa: E402
from fazhi.report.v1 import report_pb2_grpc  # noqa: E402
from fazhi.study.v1 import study_pb2 as sp  # noqa: E402
from fazhi.study.v1 import study_pb2_grpc  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
RPC_TIMEOUT = 30
PHASE_TIMEOUT = 90
OWN = "lushan-minzheng"
OTHER = "lushan-shijianju"
OFFICE = "lushan-yifazhixian"
YEAR = 2024
REPORT = f"orgs/{OWN}/reports/{YEAR}"
# The year the editor writes in the page (desk_phases.mjs).
DESK_YEAR = 2025
DESK_REPORT = f"orgs/{OWN}/reports/{DESK_YEAR}"

WORKDIR = None
SCREENSHOTS = None
SERVERS = {}
KEYS = {}  # caller -> API key


def start_server(name):
    """fazhi-<name> with the keys file; the gateway with its HTTP side and its own key."""
    keyed = [f"--keys_file={os.path.join(WORKDIR, 'keys.json')}", "--allow_plaintext",
             "--log_format=json"]
    if name == "gateway":
        extra_args = [f"--gateway_key_file={os.path.join(WORKDIR, 'gateway.key')}",
                      *(f"--{b}_target={SERVERS[b].target}" for b in ("study", "duty", "report"))]
        server = harness.ServerProcess(ARGS.gateway, name, WORKDIR, http=True,
                                       extra_args=extra_args, flags=keyed)
    else:
        server = harness.ServerProcess(getattr(ARGS, name), name, WORKDIR, flags=keyed,
                                       db=harness.new_database(WORKDIR, name))
    SERVERS[name] = server
    return server.start()


def fazhi(*args, key=None):
    targets = {n: s.target for n, s in SERVERS.items()}
    env = harness.client_env(keys_file=os.path.join(WORKDIR, "keys.json"), api_key=key, **targets)
    return harness.run_cli(ARGS.cli, env, *args)


def create_key(caller, roles):
    KEYS[caller] = harness.create_key(ARGS.cli, os.path.join(WORKDIR, "keys.json"), caller, roles)


def report_stub():
    return report_pb2_grpc.ReportServiceStub(grpc.insecure_channel(SERVERS["report"].target))


def study_stub():
    return study_pb2_grpc.StudyServiceStub(grpc.insecure_channel(SERVERS["study"].target))


def md(caller):
    return harness.bearer(KEYS[caller])


def submit_as_editor():
    """The editor's part, which the page does not offer: submit for approval."""
    stub = report_stub()
    report = stub.GetReport(rp.GetReportRequest(name=REPORT), metadata=md("minzheng-editor"),
                            timeout=RPC_TIMEOUT)
    stub.SubmitReport(rp.SubmitReportRequest(name=REPORT, etag=report.etag, comment="请审核"),
                      metadata=md("minzheng-editor"), timeout=RPC_TIMEOUT)


def subset(path, keep, name):
    """Writes the lines of a JSON Lines file that `keep(index)` selects."""
    out = os.path.join(WORKDIR, name)
    with open(path, encoding="utf-8") as f, open(out, "w", encoding="utf-8") as o:
        lines = [line for line in f if line.strip()]
        o.writelines(line for i, line in enumerate(lines) if keep(i))
    return out


def load_demo():
    admin = KEYS["admin"]
    demo = os.path.join(ARGS.demo, OWN)
    # The second department gets a part of the same kinds of records, so
    # that the dashboard's rows and charts differ.
    records = {
        OWN: {k: os.path.join(demo, f"{k}.jsonl") for k in ("sessions", "events", "powers", "officers")},
        OTHER: {
            "sessions": subset(os.path.join(demo, "sessions.jsonl"), lambda i: i % 2 == 0, "other-sessions.jsonl"),
            "events": os.path.join(demo, "events.jsonl"),
            "powers": os.path.join(demo, "powers.jsonl"),
            "officers": subset(os.path.join(demo, "officers.jsonl"), lambda i: i not in (0, 3, 5),
                               "other-officers.jsonl"),
        },
    }
    for org in (OWN, OTHER):
        fazhi("report", "put-org", f"--file={os.path.join(ARGS.demo, org, 'org.json')}", key=admin)
        fazhi("report", "put", f"--org={org}", f"--year={YEAR}",
              f"--file={os.path.join(ARGS.demo, org, 'report-2024.json')}", key=admin)
        fazhi("study", "put-plan", f"--org={org}", f"--year={YEAR}", f"--file={demo}/plan-2024.json", key=admin)
        fazhi("study", "import-sessions", f"--org={org}", f"--file={records[org]['sessions']}", key=admin)
        fazhi("study", "import-events", f"--org={org}", f"--file={records[org]['events']}", key=admin)
        fazhi("duty", "import-powers", f"--org={org}", f"--file={records[org]['powers']}", key=admin)
        fazhi("duty", "import-officers", f"--org={org}", f"--file={records[org]['officers']}", key=admin)
        fazhi("duty", "allocate", f"--org={org}", f"--as-of={YEAR}-12-31", "--commit", key=admin)


# Debian 12's nodejs; a driver pinned in the lock file must run on it.
OLDEST_NODE = 18


def check_lock_engines(lock):
    """Every package in the lock file accepts Node.js OLDEST_NODE."""
    for name, package in json.loads(lock)["packages"].items():
        wanted = package.get("engines", {}).get("node")
        m = re.fullmatch(r">=\s*(\d+)(?:\.\d+)*", wanted or ">=0")
        if not m or int(m.group(1)) > OLDEST_NODE:
            raise RuntimeError(f"tests/web/package-lock.json: {name or 'the package'} wants node "
                               f"{wanted!r}; Debian 12's nodejs is {OLDEST_NODE}")


def ensure_playwright():
    """npm ci of tests/web's lock file into WORK/npm, once per lock file."""
    npm_dir = os.path.join(ARGS.work, "npm")
    os.makedirs(npm_dir, exist_ok=True)
    with open(os.path.join(HERE, "package-lock.json"), "rb") as f:
        lock = f.read()
    check_lock_engines(lock)
    stamp = os.path.join(npm_dir, "node_modules", ".fazhi-lock-sha256")
    want = hashlib.sha256(lock).hexdigest()
    if os.path.exists(stamp):
        with open(stamp) as f:
            if f.read().strip() == want:
                return npm_dir
    for name in ("package.json", "package-lock.json"):
        shutil.copyfile(os.path.join(HERE, name), os.path.join(npm_dir, name))
    done = subprocess.run([ARGS.npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"], cwd=npm_dir,
                          capture_output=True, timeout=180)
    if done.returncode != 0:
        raise RuntimeError(f"npm ci: {done.returncode}\n{done.stdout.decode()}\n{done.stderr.decode()}")
    with open(stamp, "w") as f:
        f.write(want + "\n")
    return npm_dir


NODE_OUTPUT = []


def browser(phase):
    """Runs one phase of web_test.mjs; its output is kept to look for keys."""
    env = dict(os.environ,
               FAZHI_WEB_URL=f"http://127.0.0.1:{SERVERS['gateway'].http_port}/",
               FAZHI_WEB_PHASE=phase,
               FAZHI_WEB_SCREENSHOTS=SCREENSHOTS,
               FAZHI_WEB_DOWNLOADS=os.path.join(ARGS.work, "downloads"),
               FAZHI_WEB_CHROMIUM=ARGS.chromium,
               FAZHI_WEB_KEYS=json.dumps(KEYS))
    # The script imports playwright-core from the work folder's node_modules.
    script = os.path.join(NPM_DIR, "web_test.mjs")
    for name in ("web_test.mjs", "desk_phases.mjs"):
        shutil.copyfile(os.path.join(HERE, name), os.path.join(NPM_DIR, name))
    done = subprocess.run([ARGS.node, script], env=env, capture_output=True, timeout=PHASE_TIMEOUT)
    output = done.stdout.decode(errors="replace") + done.stderr.decode(errors="replace")
    NODE_OUTPUT.append(output)
    if done.returncode != 0:
        raise AssertionError(f"browser phase {phase} failed ({done.returncode}):\n{output}"
                             f"\n--- gateway log (tail) ---\n{SERVERS['gateway'].log_text()[-4000:]}")
    return output


def http(path, key=None, body=None, content_type="application/json"):
    """(status, headers, body bytes) of one request to the gateway's HTTP side."""
    return harness.http_request(
        SERVERS["gateway"].http_port, "GET" if body is None else "POST", path, key=key,
        body=None if body is None else body.encode(),
        headers=None if body is None else {"Content-Type": content_type}, timeout=RPC_TIMEOUT)


NPM_DIR = None


def setUpModule():
    global WORKDIR, SCREENSHOTS, NPM_DIR
    for tool in (ARGS.chromium, ARGS.node, ARGS.npm):
        if not os.path.exists(tool):
            raise RuntimeError(f"{tool} is missing: run scripts/install-deps.sh test")
    os.makedirs(ARGS.work, exist_ok=True)
    SCREENSHOTS = os.path.join(ARGS.work, "screenshots")
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    shutil.rmtree(os.path.join(ARGS.work, "downloads"), ignore_errors=True)
    os.makedirs(SCREENSHOTS)
    NPM_DIR = ensure_playwright()
    WORKDIR = harness.make_workdir("fazhi-e2e-web-", keep=ARGS.keep)
    unittest.addModuleCleanup(lambda: [s.stop() for s in reversed(list(SERVERS.values()))])
    create_key("admin", "admin:*")
    create_key("minzheng-editor", f"editor:{OWN}")
    create_key("minzheng-approver", f"approver:{OWN}")
    create_key("minzheng-reader", f"reader:{OWN}")
    create_key("county-office", f"supervisor:{OFFICE},{OWN},{OTHER}")
    # The gateway's own caller, which publishes on the approver's behalf.
    harness.write_gateway_key(ARGS.cli, os.path.join(WORKDIR, "keys.json"),
                              os.path.join(WORKDIR, "gateway.key"))
    for name in ("study", "duty", "report", "gateway"):
        start_server(name)
    load_demo()
    submit_as_editor()


class WebPage(unittest.TestCase):
    """One story, in order: the phases build on each other."""

    def test_1_reader_reads_downloads_and_is_refused(self):
        out = browser("reader")
        self.assertIn("reader: ok", out)
        docx = os.path.join(ARGS.work, "downloads", f"{OWN}-{YEAR}.docx")
        with open(docx, "rb") as f:
            data = f.read()
        self.assertEqual(data[:4], b"PK\x03\x04")
        # What the browser saved is the download route's document, byte for
        # byte, and a DOCX of the report (the demo's deflates to about 7 kB).
        status, headers, served = http(f"/orgs/{OWN}/reports/{YEAR}.docx", KEYS["minzheng-reader"])
        self.assertEqual(status, 200)
        self.assertEqual(hashlib.sha256(data).hexdigest(), headers["X-Content-SHA256"])
        self.assertEqual(data, served)
        with zipfile.ZipFile(docx) as z:
            self.assertGreater(sum(i.file_size for i in z.infolist()), 10 * 1024)
            self.assertIn("鲁山县民政局", z.read("word/document.xml").decode())

    def test_2_approver_rejects_with_a_comment(self):
        self.assertIn("reject: ok", browser("reject"))
        report = report_stub().GetReport(rp.GetReportRequest(name=REPORT), metadata=md("admin"),
                                         timeout=RPC_TIMEOUT)
        self.assertEqual(report.state, rp.REPORT_STATE_REJECTED)
        self.assertEqual(report.lifecycle.last_transition.actor, "minzheng-approver")
        self.assertIn("第四季度", report.lifecycle.last_transition.comment)

    def test_3_approver_approves_and_publishes(self):
        submit_as_editor()
        self.assertIn("approve: ok", browser("approve"))
        report = report_stub().GetReport(rp.GetReportRequest(name=REPORT), metadata=md("admin"),
                                         timeout=RPC_TIMEOUT)
        self.assertEqual(report.state, rp.REPORT_STATE_PUBLISHED)
        self.assertEqual(report.lifecycle.approved_by, "minzheng-approver")
        self.assertEqual(report.lifecycle.published_by, "minzheng-approver")
        history = report_stub().ListHistory(rp.ListHistoryRequest(parent=f"orgs/{OWN}", page_size=200),
                                            metadata=md("admin"), timeout=RPC_TIMEOUT)
        steps = [(h.method, h.actor) for h in history.entries
                 if h.method in ("SubmitReport", "ApproveReport", "RejectReport", "PublishReport")]
        self.assertEqual(steps, [("SubmitReport", "minzheng-editor"), ("RejectReport", "minzheng-approver"),
                                 ("SubmitReport", "minzheng-editor"), ("ApproveReport", "minzheng-approver"),
                                 ("PublishReport", "minzheng-approver")])

    def test_4_supervisor_dashboard(self):
        self.assertIn("dashboard: ok", browser("dashboard"))
        for name in ("01-signin", "01b-home", "02-report-reader", "02b-report-findings", "02c-report-facts",
                     "03-reader-refused", "04-rejected",
                     "05-approved", "06-published", "07-dashboard", "08-draft-report"):
            path = os.path.join(SCREENSHOTS, f"{name}.png")
            self.assertTrue(os.path.getsize(path) > 10000, path)

    def test_4a_editor_does_the_year_in_the_page(self):
        out = browser("desk")
        self.assertIn("desk: ok", out)
        suppressed = re.search(r"suppressed: (\S+)", out).group(1)
        stub = report_stub()
        report = stub.GetReport(rp.GetReportRequest(name=DESK_REPORT), metadata=md("admin"),
                                timeout=RPC_TIMEOUT)
        self.assertEqual(report.state, rp.REPORT_STATE_SUBMITTED)
        self.assertEqual(report.lifecycle.submitted_by, "minzheng-editor")
        self.assertEqual(list(report.suppressed_findings), [suppressed])
        self.assertEqual(dict(report.suppression_reasons),
                         {suppressed: "该季度学法已在县委依法治县办专项督查中说明"})
        self.assertIn(f"{suppressed}：该季度学法已在县委依法治县办专项督查中说明",
                      report.lifecycle.last_transition.comment)
        measures = [s for s in report.sections if s.item == rp.CONTENT_ITEM_MEASURES][0]
        self.assertEqual(measures.items[0].heading, "学法用法")
        self.assertEqual(list(measures.items[0].paragraphs), [
            "全年共开展学法{{study.sessions.total}}次，其中党组学法{{study.leadership.sessions}}次。",
            "各科室分别组织学习{{study.laws}}等法律法规。"])
        # Three by form, three of four CSV rows, one deleted; the bad row
        # stored nothing.
        sessions = study_stub().ListSessions(sp.ListSessionsRequest(parent=f"orgs/{OWN}", year=DESK_YEAR),
                                             metadata=md("admin"), timeout=RPC_TIMEOUT).sessions
        self.assertEqual(sorted(s.external_id for s in sessions if s.external_id),
                         ["lm-2025-csv-01", "lm-2025-csv-03"])
        self.assertEqual(len(sessions), 5)
        lead = [s for s in sessions if s.title == "党组会议学习行政复议法"][0]
        self.assertEqual([(a.person_id, a.is_head) for a in lead.attendees],
                         [("LM-HR-0101", True), ("LM-HR-0102", False)])
        self.assertTrue(lead.head_attended)
        # Who did what: the page's calls are the editor's own.
        history = stub.ListHistory(rp.ListHistoryRequest(parent=f"orgs/{OWN}", resource=DESK_REPORT,
                                                         page_size=200),
                                   metadata=md("admin"), timeout=RPC_TIMEOUT).entries
        self.assertEqual({(h.method, h.actor) for h in history},
                         {("CreateReport", "minzheng-editor"), ("UpdateReport", "minzheng-editor"),
                          ("SubmitReport", "minzheng-editor")})

    def test_4b_approver_approves_the_written_year(self):
        self.assertIn("desk-approve: ok", browser("desk-approve"))
        report = report_stub().GetReport(rp.GetReportRequest(name=DESK_REPORT), metadata=md("admin"),
                                         timeout=RPC_TIMEOUT)
        self.assertEqual(report.state, rp.REPORT_STATE_APPROVED)
        self.assertEqual(report.lifecycle.approved_by, "minzheng-approver")

    def test_4c_reader_has_no_editing(self):
        self.assertIn("desk-reader: ok", browser("desk-reader"))
        for name in ("10-records-empty", "11-session-refused", "12-import", "13-sessions", "14-desk-new",
                     "15-desk-placeholder-error", "16-desk-preview", "17-desk-conflict", "18-desk-checklist",
                     "19-desk-tablet", "20-desk-submitted", "21-desk-approved", "22-reader-records"):
            path = os.path.join(SCREENSHOTS, f"{name}.png")
            self.assertTrue(os.path.getsize(path) > 5000, path)

    def test_5_http_side_headers_and_errors(self):
        status, headers, body = http("/")
        self.assertEqual(status, 200)
        csp = headers["Content-Security-Policy"]
        self.assertIn("default-src 'self'", csp)
        self.assertIn("script-src 'self';", csp)
        self.assertNotIn("unsafe-inline", csp)
        self.assertNotIn("unsafe-eval", csp)
        self.assertEqual(headers["X-Content-Type-Options"], "nosniff")
        self.assertIn(b'<script type="module" src="/web/app.js">', body)
        self.assertNotIn(b"<script>", body)  # no inline script
        status, headers, body = http("/web/app.js")
        self.assertEqual(status, 200)
        self.assertTrue(headers["Content-Type"].startswith("text/javascript"))
        # The API: no key → 401 JSON, never cached.
        request = json.dumps({"org": f"orgs/{OWN}", "year": YEAR})
        status, headers, body = http("/api/v1/facts", body=request)
        self.assertEqual(status, 401)
        self.assertEqual(headers["Cache-Control"], "no-store")
        self.assertEqual(json.loads(body)["error"]["status"], "UNAUTHENTICATED")
        status, headers, body = http("/api/v1/facts", KEYS["minzheng-reader"], request)
        self.assertEqual(status, 200)
        self.assertEqual(headers["Cache-Control"], "no-store")
        self.assertEqual(headers["X-Content-Type-Options"], "nosniff")
        facts = json.loads(body)["facts"]
        self.assertTrue(any(f["source"]["method"] == "GetStudySummary" for f in facts))
        # Another department: 403 with the server's message.
        status, _, body = http("/api/v1/facts", KEYS["minzheng-reader"],
                               json.dumps({"org": f"orgs/{OTHER}", "year": YEAR}))
        self.assertEqual(status, 403)
        error = json.loads(body)["error"]
        self.assertEqual(error["status"], "PERMISSION_DENIED")
        self.assertIn("minzheng-reader", error["message"])
        # A bad request: 400 naming every bad field as a BadRequest.
        status, _, body = http("/api/v1/compose", KEYS["minzheng-reader"],
                               json.dumps({"org": f"orgs/{OWN}", "year": 1, "formats": ["pdf"]}))
        self.assertEqual(status, 400)
        error = json.loads(body)["error"]
        self.assertEqual(error["status"], "INVALID_ARGUMENT")
        fields = {v["field"] for d in error["details"] for v in d.get("fieldViolations", [])}
        self.assertEqual(fields, {"year", "formats[0]"})
        status, _, body = http("/api/v1/facts", KEYS["minzheng-reader"], "{\"org\": 5}")
        self.assertEqual(status, 400)
        status, _, body = http("/api/v1/facts", KEYS["minzheng-reader"], request, content_type="text/plain")
        self.assertEqual(status, 400)
        status, _, body = http("/api/v1/nothing", KEYS["minzheng-reader"])
        self.assertEqual(status, 404)
        self.assertEqual(json.loads(body)["error"]["status"], "NOT_FOUND")

    def test_6_no_key_in_any_log_and_refusals_audited(self):
        logs = {name: s.log_text() for name, s in SERVERS.items()}
        for caller, key in KEYS.items():
            # fz_<id>_<secret>: the secret is base64url and may itself hold "_".
            secret = key.split("_", 2)[2]
            self.assertGreaterEqual(len(secret), 40, key)
            for name, text in logs.items():
                self.assertNotIn(secret, text, f"{caller}'s key in the {name} log")
            for output in NODE_OUTPUT:
                self.assertNotIn(secret, output, f"{caller}'s key in the browser's output")
        audits = [json.loads(line[line.index("{"):]) for line in
                  (json.loads(raw).get("msg", "") for raw in logs["gateway"].splitlines() if raw.startswith("{"))
                  if line.startswith("audit ")]
        refused = [a for a in audits if a.get("caller") == "minzheng-reader" and
                   a.get("method") == "HTTP POST /api/v1/approve"]
        self.assertTrue(refused, audits)
        self.assertEqual(refused[0]["outcome"], "PERMISSION_DENIED")
        self.assertTrue(refused[0]["peer"].startswith("127.0.0.1:"))


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], *UNITTEST_ARGV])
