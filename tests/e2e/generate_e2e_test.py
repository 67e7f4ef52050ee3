#!/usr/bin/env python3
"""End-to-end test of fazhi-generate, the province loader: the real study,
duty and report services, loaded through their public RPCs by the real loader
with each service's share on workers of its own; every organization's records
are then counted back through the services' List calls.

Run through ctest (tests/e2e/CMakeLists.txt), or by hand:

  /usr/bin/python3 tests/e2e/generate_e2e_test.py --study build/bin/fazhi-study \
      --duty build/bin/fazhi-duty --report build/bin/fazhi-report \
      --generate build/bin/fazhi-generate --stubs build/tests/e2e/pystubs [-v]

Stubs, servers, stores and the work folder: see harness.py.
"""

import collections
import re
import subprocess

import harness


def _extra(parser):
    parser.add_argument("--generate", required=True, help="the fazhi-generate executable")


ARGS, UNITTEST_ARGV = harness.parse_args(__doc__, binaries=("study", "duty", "report"),
                                         postgres=True, extra=_extra)

from fazhi.duty.v1 import duty_pb2  # noqa: E402
from fazhi.duty.v1 import duty_pb2_grpc  # noqa: E402
from fazhi.report.v1 import report_pb2  # noqa: E402
from fazhi.report.v1 import report_pb2_grpc  # noqa: E402
from fazhi.study.v1 import study_pb2  # noqa: E402
from fazhi.study.v1 import study_pb2_grpc  # noqa: E402

RPC_TIMEOUT = 10 * harness.SLOWDOWN  # seconds, every call
LOAD_TIMEOUT = 120 * harness.SLOWDOWN  # seconds, one run of the loader

# A small province: what every organization gets, by the loader's flags.
ORGS, YEARS, LAST_YEAR = 5, 2, 2024
SESSIONS_PER_YEAR, EVENTS_PER_YEAR = 7, 3
POWERS, OFFICERS, POSTS = 6, 4, 2

WORKDIR = None
SERVERS = {}


def setUpModule():
    global WORKDIR
    WORKDIR = harness.make_workdir("fazhi-e2e-generate-", keep=ARGS.keep)
    stubs = {"study": study_pb2_grpc.StudyServiceStub, "duty": duty_pb2_grpc.DutyServiceStub,
             "report": report_pb2_grpc.ReportServiceStub}
    for name, stub_class in stubs.items():
        db = harness.new_database(WORKDIR, name, postgres=ARGS.postgres)
        SERVERS[name] = harness.ServerProcess(getattr(ARGS, name), name, WORKDIR, db=db,
                                              stub_class=stub_class).start_for_module()


def tearDownModule():
    harness.stop_servers(*SERVERS.values())


def load(*extra):
    """Runs the loader over the three services; its stdout."""
    command = [ARGS.generate, f"--orgs={ORGS}", f"--years={YEARS}", f"--last_year={LAST_YEAR}",
               f"--sessions_per_year={SESSIONS_PER_YEAR}",
               f"--events_per_year={EVENTS_PER_YEAR}", f"--powers={POWERS}",
               f"--officers={OFFICERS}", f"--posts={POSTS}", "--jobs=2",
               f"--study_target={SERVERS['study'].target}",
               f"--duty_target={SERVERS['duty'].target}",
               f"--report_target={SERVERS['report'].target}", *extra]
    done = subprocess.run(command, capture_output=True, text=True, timeout=LOAD_TIMEOUT)
    if done.returncode != 0:
        raise AssertionError(f"fazhi-generate exited {done.returncode}:\n{done.stderr[-3000:]}")
    return done.stdout


def list_all(call, request, field):
    """Every item of a paginated List call."""
    items = []
    while True:
        response = call(request, timeout=RPC_TIMEOUT)
        items.extend(getattr(response, field))
        if not response.next_page_token:
            return items
        request.page_token = response.next_page_token


class GenerateTest(harness.RpcTestCase):
    @classmethod
    def setUpClass(cls):
        cls.first_output = load()

    def count_back(self):
        """{org name: {collection: count}} as the services list them."""
        report = SERVERS["report"].stub()
        study = SERVERS["study"].stub()
        duty = SERVERS["duty"].stub()
        orgs = list_all(report.ListOrganizations,
                        report_pb2.ListOrganizationsRequest(page_size=100), "organizations")
        counts = {}
        for org in orgs:
            name = org.name
            sessions = list_all(study.ListSessions,
                                study_pb2.ListSessionsRequest(parent=name, page_size=100),
                                "sessions")
            counts[name] = collections.Counter({
                "reports": len(list_all(report.ListReports,
                                        report_pb2.ListReportsRequest(parent=name),
                                        "reports")),
                "plans": len(list_all(study.ListStudyPlans,
                                      study_pb2.ListStudyPlansRequest(parent=name),
                                      "study_plans")),
                "sessions": len(sessions),
                "distinct sessions": len({s.name for s in sessions}),
                "events": len(list_all(study.ListPublicityEvents,
                                       study_pb2.ListPublicityEventsRequest(parent=name,
                                                                            page_size=100),
                                       "publicity_events")),
                "posts": len(list_all(duty.ListPosts, duty_pb2.ListPostsRequest(parent=name),
                                      "posts")),
                "powers": len(list_all(duty.ListPowers,
                                       duty_pb2.ListPowersRequest(parent=name, page_size=100),
                                       "powers")),
                "officers": len(list_all(duty.ListOfficers,
                                         duty_pb2.ListOfficersRequest(parent=name),
                                         "officers")),
            })
        return counts

    def test_every_organization_gets_all_of_each_share_once(self):
        expected = collections.Counter({
            "reports": YEARS, "plans": YEARS, "sessions": YEARS * SESSIONS_PER_YEAR,
            "distinct sessions": YEARS * SESSIONS_PER_YEAR, "events": YEARS * EVENTS_PER_YEAR,
            "posts": POSTS, "powers": POWERS, "officers": OFFICERS})
        counts = self.count_back()
        self.assertEqual(len(counts), ORGS, sorted(counts))
        for name, got in counts.items():
            self.assertEqual(got, expected, name)
        # The totals the loader printed: every row it sent, as listed back.
        rows_sent = int(re.search(r": ([\d,]+) rows in", self.first_output).group(1)
                        .replace(",", ""))
        listed = sum(c["reports"] + c["plans"] + c["sessions"] + c["events"] + c["posts"]
                     + c["powers"] + c["officers"] for c in counts.values())
        self.assertEqual(rows_sent, listed + ORGS)  # and one organization each
        self.assertIn(f"loaded {ORGS} organizations (1-{ORGS})", self.first_output)

    def test_resume_finds_everything_there_and_adds_nothing(self):
        before = self.count_back()
        output = load("--resume")
        self.assertRegex(output, r"\(([\d,]+) already there\)")
        self.assertEqual(self.count_back(), before)


if __name__ == "__main__":
    harness.run_tests("generate e2e", UNITTEST_ARGV, postgres=ARGS.postgres)
