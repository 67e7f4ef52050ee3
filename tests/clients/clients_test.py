#!/usr/bin/env python3
"""The client kit's example of one language against the four real binaries.

Run through ctest (tests/clients/CMakeLists.txt: clients_java, clients_node,
clients_python; label clients), or by hand:

  /usr/bin/python3 tests/clients/clients_test.py --language=java \\
      --study build/bin/fazhi-study --duty build/bin/fazhi-duty \\
      --report build/bin/fazhi-report --gateway build/bin/fazhi-gateway \\
      --cli build/bin/fazhi --stubs build/tests/e2e/pystubs \\
      --work build/tests/clients [--keep] [-v]

Makes a throwaway CA and a server certificate (openssl), a keys file with
`fazhi keys create` (an admin, and the county OA system as an editor of one
department), and starts study, duty, report and the gateway with the keys
file and TLS. Then builds the example as its README says (Java: build.sh,
protoc and javac against Debian's jars; Node.js: `npm ci` of
clients/node/package-lock.json into WORK/node, once per lock file; Python:
generate.sh with Debian's grpc_tools) and runs it as a county system would,
over TLS with the CA file and the OA system's key:

  import    a JSON Lines file of sessions in batches of 3, one row bad: the
            row and its fields named, the rest stored (checked over gRPC);
            a second run changes nothing (upsert by external id);
  summary   the year's totals equal those of the rows imported;
  list      pages of 3 until the last: every stored session exactly once;
  compose   the DOCX saved is a zip whose word/document.xml holds the
            department's name, its SHA-256 the one printed;
  errors    the status and every BadRequest field (bad year, page size,
            organization), a wrong key, another department, and a CA that
            did not sign the server's certificate.
"""

import collections
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

LANGUAGES = ("java", "node", "python")


def _client_args(parser):
    parser.add_argument("--language", required=True, choices=LANGUAGES)
    parser.add_argument("--work", required=True,
                        help="folder for the built example (classes, node_modules, stubs); kept")
    parser.add_argument("--node", default=shutil.which("node") or "/usr/bin/node")
    parser.add_argument("--npm", default=shutil.which("npm") or "/usr/bin/npm")


ARGS, UNITTEST_ARGV = harness.parse_args(__doc__, ("study", "duty", "report", "gateway"),
                                         cli=True, extra=_client_args)

import grpc  # noqa: E402

from fazhi.report.v1 import report_pb2 as rp  # noqa: E402
from fazhi.report.v1 import report_pb2_grpc  # noqa: E402
from fazhi.study.v1 import study_pb2 as st  # noqa: E402
from fazhi.study.v1 import study_pb2_grpc  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
CLIENTS = os.path.join(ROOT, "clients")
ORG = "lushan-sifaju"
ORG_NAME = "鲁山县司法局"
OTHER_ORG = "lushan-minzheng"
YEAR = 2024
RPC_TIMEOUT = 30 * harness.SLOWDOWN
RUN_TIMEOUT = 120 * harness.SLOWDOWN
BUILD_TIMEOUT = 480  # build.sh took about two minutes on the busy 2-core machine

Row = collections.namedtuple("Row", "external_id date kind title law minutes count head")
GOOD = [
    Row("oa-2024-01", (2024, 1, 12), "STUDY_KIND_LEADERSHIP_GROUP", "学习行政复议法", "行政复议法",
        60, 9, True),
    Row("oa-2024-02", (2024, 2, 20), "STUDY_KIND_ALL_STAFF", "民法典总则编", "民法典", 90, 41, True),
    Row("oa-2024-03", (2024, 3, 8), "STUDY_KIND_PRE_MEETING", "会前学法：行政处罚法", "行政处罚法",
        30, 12, False),
    Row("oa-2024-04", (2024, 4, 16), "STUDY_KIND_LECTURE", "法治讲座：法律援助法", "法律援助法",
        120, 38, True),
    Row("oa-2024-06", (2024, 6, 3), "STUDY_KIND_TRAINING", "人民调解业务培训", "人民调解法",
        180, 25, False),
    Row("oa-2024-07", (2024, 7, 19), "STUDY_KIND_LEADERSHIP_GROUP", "学习宪法", "宪法", 60, 9, True),
    Row("oa-2024-09", (2024, 9, 24), "STUDY_KIND_ALL_STAFF", "社区矫正法", "社区矫正法", 90, 40, False),
    Row("oa-2024-11", (2024, 11, 5), "STUDY_KIND_LAW_EXAM", "年度学法考试", "宪法", 45, 43, True),
]
# Row 4 of the file has no date and no title; the others are stored.
BAD_ROW = 4
BAD_EXTERNAL_ID = "oa-2024-05"


def session_rows():
    """The rows the OA system exports: proto3 JSON, one session a line."""
    rows = [{"externalId": r.external_id, "date": dict(zip(("year", "month", "day"), r.date)),
             "kind": r.kind, "title": r.title, "laws": [r.law], "durationMinutes": r.minutes,
             "location": "局机关会议室", "attendeeCount": r.count, "headAttended": r.head}
            for r in GOOD]
    rows.insert(BAD_ROW, {"externalId": BAD_EXTERNAL_ID, "kind": "STUDY_KIND_ALL_STAFF",
                          "durationMinutes": 60})
    return rows


WORKDIR = None
SERVERS = {}
KEYS = {}
TLS = None
CLIENT = []  # the example's command line, without the command and flags
CLIENT_ENV = {}


def create_key(caller, roles):
    KEYS[caller] = harness.create_key(ARGS.cli, os.path.join(WORKDIR, "keys.json"), caller, roles)


def start_servers():
    """study, duty and report with the keys file and TLS, the gateway over
    them (TLS to the backends, checked against the same CA)."""
    keys_file = os.path.join(WORKDIR, "keys.json")
    tls = [f"--tls_cert_file={TLS}/server.pem", f"--tls_key_file={TLS}/server.key"]
    with open(os.path.join(TLS, "ca.pem"), "rb") as f:
        credentials = grpc.ssl_channel_credentials(f.read())
    flags = [f"--keys_file={keys_file}", "--log_format=json", *tls]
    for name in ("study", "duty", "report"):
        SERVERS[name] = harness.ServerProcess(
            getattr(ARGS, name), name, WORKDIR, db=harness.new_database(WORKDIR, name), flags=flags,
            credentials=credentials).start_for_module()
    SERVERS["gateway"] = harness.ServerProcess(
        ARGS.gateway, "gateway", WORKDIR, flags=flags, credentials=credentials,
        extra_args=[f"--backend_ca_file={TLS}/ca.pem", "--backend_server_name=localhost",
                    *(f"--{n}_target={SERVERS[n].target}" for n in ("study", "duty", "report"))]
    ).start_for_module()


def create_organizations():
    stub = report_pb2_grpc.ReportServiceStub(SERVERS["report"].channel)
    for org, name in ((ORG, ORG_NAME), (OTHER_ORG, "鲁山县民政局")):
        stub.CreateOrganization(
            rp.CreateOrganizationRequest(organization=rp.Organization(full_name=name),
                                         organization_id=org, actor="test"),
            metadata=harness.bearer(KEYS["admin"]), timeout=RPC_TIMEOUT)


def run(command, *cmd_args):
    """A build step's stdout, or AssertionError with its output."""
    done = subprocess.run(command + list(cmd_args), capture_output=True, timeout=BUILD_TIMEOUT)
    if done.returncode != 0:
        raise AssertionError(f"{' '.join(command)} {' '.join(cmd_args)}: {done.returncode}\n"
                             f"{done.stdout.decode()}\n{done.stderr.decode()}")
    return done.stdout.decode()


# Debian 12's nodejs; every package of the lock file must run on it.
OLDEST_NODE = 18


def node_accepts(engines):
    """Whether an `engines.node` range such as ">=12.10.0" or
    "6.* || 8.* || >= 10.*" admits Node.js OLDEST_NODE."""
    for alternative in (engines or ">=0").split("||"):
        alternative = alternative.strip()
        at_least = re.fullmatch(r">=\s*(\d+)(?:\.[\d*]+)*", alternative)
        if at_least and int(at_least.group(1)) <= OLDEST_NODE:
            return True
        if re.fullmatch(rf"{OLDEST_NODE}(?:\.[\d*x]+)*", alternative):
            return True
    return False


def build_node(work):
    """npm ci of clients/node's lock file into WORK/node, once per lock file;
    the example copied beside its node_modules."""
    source = os.path.join(CLIENTS, "node")
    with open(os.path.join(source, "package-lock.json"), "rb") as f:
        lock = f.read()
    for name, package in json.loads(lock)["packages"].items():
        wanted = package.get("engines", {}).get("node")
        if not node_accepts(wanted):
            raise RuntimeError(f"clients/node/package-lock.json: {name} wants node {wanted!r}; "
                               f"Debian 12's nodejs is {OLDEST_NODE}")
    os.makedirs(work, exist_ok=True)
    want = hashlib.sha256(lock).hexdigest()
    if read_stamp(work) != want or not os.path.isdir(os.path.join(work, "node_modules")):
        for name in ("package.json", "package-lock.json"):
            shutil.copyfile(os.path.join(source, name), os.path.join(work, name))
        run([ARGS.npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"], "--prefix", work)
        write_stamp(work, want)
    shutil.copyfile(os.path.join(source, "fazhi_client.mjs"),
                    os.path.join(work, "fazhi_client.mjs"))
    return [ARGS.node, os.path.join(work, "fazhi_client.mjs"), f"--protos={ROOT}/protos"]


def stamp_of(folders):
    """SHA-256 over the names and contents of every file in `folders`."""
    digest = hashlib.sha256()
    for folder in folders:
        for parent, dirs, files in sorted(os.walk(folder)):
            dirs[:] = sorted(d for d in dirs if d not in ("out", "node_modules"))
            for name in sorted(files):
                path = os.path.join(parent, name)
                digest.update(path.encode() + b"\0")
                with open(path, "rb") as f:
                    digest.update(hashlib.sha256(f.read()).digest())
    return digest.hexdigest()


STAMP = ".fazhi-inputs-sha256"


def read_stamp(folder):
    try:
        with open(os.path.join(folder, STAMP)) as f:
            return f.read().strip()
    except OSError:
        return None


def write_stamp(folder, value):
    with open(os.path.join(folder, STAMP), "w") as f:
        f.write(value + "\n")


def build_client():
    """The example built as its README says; its command line and environment."""
    work = os.path.join(ARGS.work, ARGS.language)
    if ARGS.language == "java":
        # javac takes minutes on a busy machine: build again only when an
        # input changed.
        inputs = [os.path.join(ROOT, "protos"), os.path.join(CLIENTS, "java")]
        if stamp_of(inputs) != read_stamp(work):
            run(["bash", os.path.join(CLIENTS, "java", "build.sh"), work])
            write_stamp(work, stamp_of(inputs))
        return ["bash", os.path.join(CLIENTS, "java", "run.sh"), "--out", work], {}
    if ARGS.language == "node":
        return build_node(work), {}
    run(["bash", os.path.join(CLIENTS, "python", "generate.sh"), work])
    return ["/usr/bin/python3", os.path.join(CLIENTS, "python", "fazhi_client.py")], \
        {"PYTHONPATH": work}


def setUpModule():
    global WORKDIR, TLS, CLIENT, CLIENT_ENV
    WORKDIR = harness.make_workdir(f"fazhi-clients-{ARGS.language}-", keep=ARGS.keep)
    unittest.addModuleCleanup(lambda: [s.stop() for s in reversed(list(SERVERS.values()))])
    CLIENT, CLIENT_ENV = build_client()
    TLS = os.path.join(WORKDIR, "tls")
    harness.make_test_certificates(TLS)
    harness.make_test_certificates(os.path.join(WORKDIR, "other-ca"))
    create_key("admin", "admin:*")
    create_key("oa-system", f"editor:{ORG}")
    start_servers()
    create_organizations()
    with open(os.path.join(WORKDIR, "sessions.jsonl"), "w", encoding="utf-8") as f:
        for row in session_rows():
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def example(command, *flags, key=None, ca=None, expect_error=False):
    """Runs the example's `command` as the OA system (its key in
    $FAZHI_API_KEY) over TLS; its stdout. An error exits 1 and prints it."""
    env = dict(os.environ, **CLIENT_ENV, FAZHI_API_KEY=key or KEYS["oa-system"])
    args = [command, f"--study=localhost:{SERVERS['study'].port}",
            f"--gateway=localhost:{SERVERS['gateway'].port}",
            f"--ca_file={ca or os.path.join(TLS, 'ca.pem')}", *flags]
    done = subprocess.run(CLIENT + args, env=env, capture_output=True, timeout=RUN_TIMEOUT)
    out = done.stdout.decode()
    print(f"\n$ {ARGS.language} example {command} {' '.join(flags)}\n{out}", end="")
    expected = 1 if expect_error else 0
    if done.returncode != expected:
        raise AssertionError(f"{ARGS.language} example {' '.join(args)} exited with "
                             f"{done.returncode}, not {expected}:\n{out}\n{done.stderr.decode()}")
    return out


def stored_sessions():
    """{name: session} of ORG's sessions, read by the test over gRPC."""
    stub = study_pb2_grpc.StudyServiceStub(SERVERS["study"].channel)
    reply = stub.ListSessions(st.ListSessionsRequest(parent=f"orgs/{ORG}", page_size=1000),
                              metadata=harness.bearer(KEYS["admin"]), timeout=RPC_TIMEOUT)
    return {s.name: s for s in reply.sessions}


class A_Import(unittest.TestCase):
    def test_rows_streamed_in_batches_bad_row_named_with_its_fields(self):
        out = example("import", f"--org={ORG}", f"--file={WORKDIR}/sessions.jsonl", "--batch=3")
        self.assertIn(f"row {BAD_ROW} (external id {BAD_EXTERNAL_ID}): INVALID_ARGUMENT", out)
        fields = re.findall(r"^  field (\S+): ", out, re.M)
        self.assertIn("date", " ".join(fields), out)
        self.assertIn("title", " ".join(fields), out)
        self.assertEqual(len(re.findall(r"^row ", out, re.M)), 1, out)
        self.assertIn("imported: 9 received, 8 stored, 1 rejected in 3 batches", out)
        stored = stored_sessions()
        self.assertEqual(sorted(s.external_id for s in stored.values()),
                         sorted(r.external_id for r in GOOD))
        # The same file again: upserted by external id, nothing new.
        out = example("import", f"--org={ORG}", f"--file={WORKDIR}/sessions.jsonl", "--batch=3")
        self.assertIn("imported: 9 received, 8 stored, 1 rejected in 3 batches", out)
        self.assertEqual(set(stored_sessions()), set(stored))


class B_Summary(unittest.TestCase):
    def test_year_totals_are_those_of_the_rows_imported(self):
        out = example("summary", f"--org={ORG}", f"--year={YEAR}")
        minutes = sum(r.minutes for r in GOOD)
        attendances = sum(r.count for r in GOOD)
        heads = sum(1 for r in GOOD if r.head)
        self.assertIn(f"summary orgs/{ORG} {YEAR}: {len(GOOD)} sessions, {minutes} minutes, "
                      f"{attendances} attendances, head attended {heads}", out)
        kinds = collections.Counter(r.kind for r in GOOD)
        for kind, count in kinds.items():
            kind_minutes = sum(r.minutes for r in GOOD if r.kind == kind)
            self.assertIn(f"  {kind}: {count} sessions, {kind_minutes} minutes", out)


class C_List(unittest.TestCase):
    def test_pages_to_the_end_every_session_exactly_once(self):
        out = example("list", f"--org={ORG}", f"--year={YEAR}", "--page_size=3")
        listed = re.findall(r"^session (\S+) (\d{4}-\d\d-\d\d) (.*)$", out, re.M)
        stored = stored_sessions()
        names = collections.Counter(name for name, _, _ in listed)
        self.assertEqual(set(names), set(stored), out)
        self.assertEqual(max(names.values()), 1, out)
        for name, date, title in listed:
            d = stored[name].date
            self.assertEqual(date, f"{d.year:04}-{d.month:02}-{d.day:02}")
            self.assertEqual(title, stored[name].title)
        pages = re.findall(r"^page \d+: (\d+) sessions$", out, re.M)
        self.assertGreaterEqual(len(pages), 3, out)
        self.assertTrue(all(int(n) <= 3 for n in pages), out)
        self.assertIn(f"listed {len(GOOD)} sessions in {len(pages)} pages", out)


class D_Compose(unittest.TestCase):
    def test_docx_saved_is_the_report_of_the_department(self):
        path = os.path.join(WORKDIR, f"report-{ARGS.language}.docx")
        key_file = os.path.join(WORKDIR, "oa.key")
        with open(key_file, "w") as f:
            f.write(KEYS["oa-system"] + "\n")
        # The key from a file this time: --api_key_file wins over the environment.
        out = example("compose", f"--org={ORG}", f"--year={YEAR}", f"--out={path}",
                      f"--api_key_file={key_file}", key="fz_wrong")
        with open(path, "rb") as f:
            content = f.read()
        self.assertIn(f"sha256 {hashlib.sha256(content).hexdigest()}", out)
        self.assertIn(f"saved {path}: {len(content)} bytes", out)
        self.assertIn(f"report orgs/{ORG}/reports/{YEAR}: ", out)
        with zipfile.ZipFile(path) as docx:
            self.assertIsNone(docx.testzip())
            document = docx.read("word/document.xml").decode("utf-8")
        self.assertIn(ORG_NAME, document)


class E_Errors(unittest.TestCase):
    def assertViolations(self, out, code, *fields):
        self.assertRegex(out, rf"^error: {code}: ", out)
        named = re.findall(r"^  violation (\S+): \S", out, re.M)
        for field in fields:
            self.assertIn(field, named, out)

    def test_field_violations_decoded_from_the_status_details(self):
        out = example("summary", f"--org={ORG}", "--year=1800", expect_error=True)
        self.assertViolations(out, "INVALID_ARGUMENT", "year")
        out = example("list", f"--org={ORG}", "--page_size=5000", expect_error=True)
        self.assertViolations(out, "INVALID_ARGUMENT", "page_size")
        out = example("import", "--org=Bad_Org", f"--file={WORKDIR}/sessions.jsonl",
                      expect_error=True)
        self.assertViolations(out, "INVALID_ARGUMENT", "parent")

    def test_wrong_key_and_another_department(self):
        out = example("summary", f"--org={ORG}", f"--year={YEAR}", key="fz_0000000000000000_wrong",
                      expect_error=True)
        self.assertViolations(out, "UNAUTHENTICATED")
        out = example("summary", f"--org={OTHER_ORG}", f"--year={YEAR}", expect_error=True)
        self.assertViolations(out, "PERMISSION_DENIED")

    def test_server_certificate_checked_against_the_ca_file(self):
        out = example("summary", f"--org={ORG}", f"--year={YEAR}",
                      ca=os.path.join(WORKDIR, "other-ca", "ca.pem"), expect_error=True)
        self.assertViolations(out, "UNAVAILABLE")


if __name__ == "__main__":
    harness.run_tests(f"clients ({ARGS.language})", UNITTEST_ARGV)
