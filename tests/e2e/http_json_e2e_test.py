#!/usr/bin/env python3
"""End-to-end test of HTTP/JSON for every RPC (docs/http-json.md).

The four real binaries run with a keys file; every RPC family is called over
HTTP/JSON through the gateway (its own RPCs in-process, the backends' RPCs
forwarded with the caller's key) and on the study service's own HTTP side:
get, list with paging, create with a request id, update with an etag (stale:
409 ABORTED), delete, an import over JSON Lines with a bad row, field
violations, 401 and 403; errors are google.rpc.Status JSON with the request
id. And every RPC of the descriptors has a route the servers know.
"""

import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

ARGS, UNITTEST_ARGV = harness.parse_args(
    __doc__, binaries=("study", "duty", "report", "gateway"), cli=True, postgres=True)

OWN = "acme"
OTHER = "zenith"
WORKDIR = None
SERVERS = {}
KEYS = {}


def http(server, method, path, key="admin", body=None, content_type="application/json"):
    """(status, JSON answer, headers) of one request; `key` names a caller."""
    headers = {"Content-Type": content_type} if body is not None else {}
    if isinstance(body, (dict, list)):
        body = json.dumps(body)
    status, answer_headers, raw = harness.http_request(
        SERVERS[server].http_port, method, path, key=KEYS.get(key), body=body, headers=headers)
    json_answer = answer_headers.get("Content-Type", "").startswith("application/json")
    return status, json.loads(raw) if json_answer else raw, answer_headers


def session(day, title="民法典专题讲座", external_id=None):
    row = {"date": {"year": 2024, "month": 3, "day": day}, "kind": "STUDY_KIND_LECTURE",
           "title": title, "durationMinutes": 60, "attendeeCount": 12, "laws": ["民法典"]}
    if external_id:
        row["externalId"] = external_id
    return row


def setUpModule():
    global WORKDIR
    WORKDIR = harness.make_workdir("fazhi-e2e-http-json-", keep=ARGS.keep)
    unittest.addModuleCleanup(lambda: [s.stop() for s in SERVERS.values()])
    keys_file = os.path.join(WORKDIR, "keys.json")
    for caller, roles in (("admin", "admin:*"), ("editor", f"editor:{OWN}"),
                          ("reader", f"reader:{OWN}")):
        KEYS[caller] = harness.create_key(ARGS.cli, keys_file, caller, roles)
    gateway_key = os.path.join(WORKDIR, "gateway.key")
    harness.write_gateway_key(ARGS.cli, keys_file, gateway_key)
    keyed = [f"--keys_file={keys_file}", "--allow_plaintext", "--log_format=json"]
    for name in ("study", "duty", "report"):
        SERVERS[name] = harness.ServerProcess(
            getattr(ARGS, name), name, WORKDIR, http=(name == "study"), flags=keyed,
            db=harness.new_database(WORKDIR, name, postgres=ARGS.postgres)).start_for_module()
    SERVERS["gateway"] = harness.ServerProcess(
        ARGS.gateway, "gateway", WORKDIR, http=True, flags=keyed, extra_args=[
            f"--gateway_key_file={gateway_key}",
            *(f"--{n}_target={SERVERS[n].target}" for n in ("study", "duty", "report"))]
    ).start_for_module()
    for org in (OWN, OTHER):
        status, answer, _ = http("gateway", "POST", f"/v1/orgs?organizationId={org}&actor=test",
                                 body={"fullName": f"{org} 局", "region": "鲁山县"})
        assert status == 200, answer


class HttpJsonCase(unittest.TestCase):
    def assertStatus(self, reply, http_status, code=None, fields=()):
        status, answer, headers = reply
        self.assertEqual(status, http_status, answer)
        if http_status == 200:
            return answer
        self.assertEqual(answer["code"], code, answer)
        self.assertTrue(answer["message"])
        details = {d["@type"].rsplit(".", 1)[1]: d for d in answer.get("details", [])}
        self.assertEqual(details["RequestInfo"]["requestId"], headers["X-Request-Id"])
        if fields:
            violations = [v["field"] for v in details["BadRequest"]["fieldViolations"]]
            self.assertEqual(sorted(violations), sorted(fields), answer)
        return answer


class A_Records(HttpJsonCase):
    """One record family after another, on the gateway (forwarded) and on
    the study service's own HTTP side."""

    def crud(self, server):
        base = f"/v1/orgs/{OWN}/sessions"
        # Create with a request id: a retry returns the first session.
        created = self.assertStatus(
            http(server, "POST", f"{base}?requestId=r-{server}", "editor", session(1)), 200)
        again = self.assertStatus(
            http(server, "POST", f"{base}?requestId=r-{server}", "editor", session(1)), 200)
        self.assertEqual(created["name"], again["name"])
        self.assertEqual(created["kind"], "STUDY_KIND_LECTURE")
        path = "/v1/" + created["name"]
        # Get.
        self.assertEqual(self.assertStatus(http(server, "GET", path, "reader"), 200), created)
        # List with paging.
        for day in (2, 3):
            self.assertStatus(http(server, "POST", base, "editor", session(day)), 200)
        names, token = [], ""
        while True:
            page = self.assertStatus(
                http(server, "GET", f"{base}?pageSize=2&year=2024&pageToken={token}", "reader"),
                200)
            self.assertLessEqual(len(page["sessions"]), 2)
            names += [s["name"] for s in page["sessions"]]
            token = page["nextPageToken"]
            if not token:
                break
        self.assertIn(created["name"], names)
        self.assertEqual(len(names), len(set(names)))
        # Update with the etag; the old etag is stale: 409 ABORTED.
        updated = self.assertStatus(http(server, "PATCH", f"{path}?updateMask=title", "editor",
                                         {"title": "宪法学习", "etag": created["etag"]}), 200)
        self.assertEqual(updated["title"], "宪法学习")
        self.assertNotEqual(updated["etag"], created["etag"])
        self.assertStatus(http(server, "PATCH", f"{path}?updateMask=title", "editor",
                               {"title": "x", "etag": created["etag"]}), 409, 10)
        # Delete; then it is gone.
        self.assertStatus(http(server, "DELETE", f"{path}?etag={updated['etag']}", "editor"), 200)
        self.assertStatus(http(server, "GET", path, "reader"), 404, 5)

    def test_sessions_through_the_gateway(self):
        self.crud("gateway")

    def test_sessions_on_the_study_service(self):
        self.crud("study")

    def test_field_violations_name_every_bad_field(self):
        for server in ("gateway", "study"):
            self.assertStatus(
                http(server, "POST", f"/v1/orgs/{OWN}/sessions", "editor", {"title": ""}), 400, 3,
                ["session.date", "session.kind", "session.title", "session.duration_minutes"])
        # What the JSON mapping cannot read is INVALID_ARGUMENT too.
        self.assertStatus(http("gateway", "GET", f"/v1/orgs/{OWN}/sessions?pageSize=many"),
                          400, 3)
        self.assertStatus(http("gateway", "GET", f"/v1/orgs/{OWN}/sessions?nothing=1"), 400, 3)
        self.assertStatus(http("gateway", "POST", f"/v1/orgs/{OWN}/sessions", "editor", "{"),
                          400, 3)

    def test_duty_and_report_records_through_the_gateway(self):
        post = self.assertStatus(http("gateway", "POST", f"/v1/orgs/{OWN}/posts?postId=inspect",
                                      "admin", {"displayName": "执法岗", "unit": "执法股", "capacity": 5}), 200)
        self.assertEqual(post["name"], f"orgs/{OWN}/posts/inspect")
        listed = self.assertStatus(http("gateway", "GET", f"/v1/orgs/{OWN}/posts", "reader"), 200)
        self.assertEqual([p["name"] for p in listed["posts"]], [post["name"]])
        report = self.assertStatus(
            http("gateway", "POST", f"/v1/orgs/{OWN}/reports?year=2024&actor=test", "editor",
                 {}), 200)
        self.assertEqual(report["name"], f"orgs/{OWN}/reports/2024")
        submitted = self.assertStatus(
            http("gateway", "POST", f"/v1/orgs/{OWN}/reports/2024:submit", "editor",
                 {"etag": report["etag"], "actor": "test"}), 200)
        self.assertEqual(submitted["state"], "REPORT_STATE_SUBMITTED")
        # What composing reads from the report service, in one call.
        inputs = self.assertStatus(
            http("gateway", "GET", f"/v1/orgs/{OWN}/reports/2024:inputs", "reader"), 200)
        self.assertEqual(inputs["organization"]["name"], f"orgs/{OWN}")
        self.assertEqual(inputs["report"]["state"], "REPORT_STATE_SUBMITTED")
        unstarted = self.assertStatus(
            http("gateway", "GET", f"/v1/orgs/{OWN}/reports/2023:inputs", "reader"), 200)
        self.assertNotIn("report", unstarted)
        # Submitted twice: the report's state refuses it, 409 FAILED_PRECONDITION.
        self.assertStatus(http("gateway", "POST", f"/v1/orgs/{OWN}/reports/2024:submit",
                               "editor", {"actor": "test"}), 409, 9)
        # The gateway's own RPCs, in-process.
        facts = self.assertStatus(
            http("gateway", "GET", f"/v1/orgs/{OWN}/reports/2024/facts", "reader"), 200)
        self.assertTrue(facts["facts"])
        organization = self.assertStatus(http("gateway", "GET", f"/v1/orgs/{OWN}", "reader"), 200)
        self.assertEqual(organization["fullName"], f"{OWN} 局")
        # ComposeReport's POST binding carries a draft, composed and not stored.
        composed = self.assertStatus(
            http("gateway", "POST", f"/v1/orgs/{OWN}/reports/2024:compose", "reader",
                 {"draft": {"preamble": ["草稿：{{year}}年。"]}}), 200)
        self.assertEqual(composed["preamble"], ["草稿：2024年。"])
        stored = self.assertStatus(http("gateway", "GET", f"/v1/orgs/{OWN}/reports/2024", "reader"),
                                   200)
        self.assertEqual(stored["preamble"], [])
        self.assertStatus(
            http("gateway", "POST", f"/v1/orgs/{OWN}/reports/2024:compose", "reader",
                 {"draft": {"preamble": ["{{study.nothing}}"]}}), 400, 3, ["draft.preamble[0]"])


class B_Import(HttpJsonCase):
    def test_json_lines_import_reports_the_bad_row(self):
        for server in ("gateway", "study"):
            lines = [json.dumps({"sessions": [session(10, external_id=f"{server}-a"),
                                              session(11, title="", external_id=f"{server}-b")]}),
                     "",
                     json.dumps({"sessions": [session(12, external_id=f"{server}-c")]})]
            report = self.assertStatus(
                http(server, "POST", f"/v1/orgs/{OWN}/sessions:import", "editor",
                     "\n".join(lines) + "\n", "application/x-ndjson"), 200)
            self.assertEqual((report["rowsReceived"], report["rowsStored"],
                              report["rowsRejected"], report["batchesReceived"]), (3, 2, 1, 2))
            [bad] = report["results"]
            self.assertEqual((bad["row"], bad["externalId"], bad["code"]), (1, f"{server}-b", 3))
            self.assertEqual([e["field"] for e in bad["fieldErrors"]], ["title"])

    def test_many_rows_stream_past_the_small_body_limit(self):
        rows = [session(1 + i % 28, external_id=f"bulk-{i}") for i in range(3000)]
        lines = "\n".join(json.dumps({"sessions": rows[i:i + 500]}) for i in range(0, 3000, 500))
        self.assertGreater(len(lines), 64 * 1024 * 10)
        report = self.assertStatus(http("gateway", "POST", f"/v1/orgs/{OWN}/sessions:import",
                                        "editor", lines, "application/x-ndjson"), 200)
        self.assertEqual((report["rowsStored"], report["batchesCommitted"]), (3000, 6))
        # Other routes keep the small limit.
        status, _, _ = http("gateway", "POST", f"/v1/orgs/{OWN}/sessions", "editor", lines)
        self.assertEqual(status, 413)

    def test_a_line_that_is_not_a_request_is_refused_by_number(self):
        lines = json.dumps({"sessions": [session(5, title="")]}) + "\n{\"sessions\": 7}\n"
        answer = self.assertStatus(http("gateway", "POST", f"/v1/orgs/{OWN}/sessions:import",
                                        "editor", lines, "application/x-ndjson"), 400, 3)
        self.assertIn("line 2", answer["message"])


class C_Access(HttpJsonCase):
    def test_no_or_unknown_key_is_401(self):
        KEYS["nobody"] = "fz_0000000000000000_unknown"
        for server in ("gateway", "study"):
            for key in (None, "nobody"):
                self.assertStatus(http(server, "GET", f"/v1/orgs/{OWN}/sessions", key), 401, 16)
            _, _, headers = http(server, "GET", f"/v1/orgs/{OWN}/sessions", None)
            self.assertEqual(headers["WWW-Authenticate"], "Bearer")

    def test_another_organization_or_role_is_403(self):
        for server in ("gateway", "study"):
            self.assertStatus(http(server, "GET", f"/v1/orgs/{OTHER}/sessions", "reader"), 403, 7)
            self.assertStatus(http(server, "POST", f"/v1/orgs/{OWN}/sessions", "reader",
                                   session(4)), 403, 7)
        # The audit trail is for admins and supervisors.
        self.assertStatus(http("gateway", "GET", f"/v1/orgs/{OWN}/reportAuditRecords?deniedOnly=true",
                               "reader"), 403, 7)

    def test_unknown_routes_and_methods(self):
        self.assertStatus(http("gateway", "GET", "/v1/orgs/acme/nothing"), 404, 5)
        status, answer, headers = http("gateway", "PUT", f"/v1/orgs/{OWN}", body={})
        self.assertEqual(status, 405, answer)
        self.assertEqual(headers["Allow"], "GET, PATCH, DELETE")
        # The study service serves only its own RPCs.
        self.assertStatus(http("study", "GET", f"/v1/orgs/{OWN}/posts"), 404, 5)


class D_EveryRpc(unittest.TestCase):
    def test_every_rpc_has_a_route_that_a_server_answers(self):
        """Calls every route of every RPC with an empty request: the answer
        is the RPC's own (validation or access), never "no route"."""
        import re
        from fazhi.duty.v1 import duty_pb2
        from fazhi.gateway.v1 import gateway_pb2
        from fazhi.report.v1 import report_pb2
        from fazhi.study.v1 import study_pb2
        from google.api import annotations_pb2
        count = 0
        for module in (gateway_pb2, study_pb2, duty_pb2, report_pb2):
            for service in module.DESCRIPTOR.services_by_name.values():
                for method in service.methods:
                    rule = method.GetOptions().Extensions[annotations_pb2.http]
                    verb = rule.WhichOneof("pattern")
                    self.assertIsNotNone(verb, method.full_name)
                    template = getattr(rule, verb)
                    path = re.sub(r"\{([\w.]+)(=([^}]*))?\}",
                                  lambda m: (m.group(3) or "2024").replace("*", OTHER), template)
                    body = "{}" if rule.body else None
                    status, answer, _ = http("gateway", verb.upper(), path, "reader", body,
                                             "application/x-ndjson" if method.client_streaming
                                             else "application/json")
                    self.assertNotIn("no route", answer.get("message", ""), method.full_name)
                    self.assertIn(status, (200, 400, 403, 404), (method.full_name, answer))
                    count += 1
        self.assertGreater(count, 60)


if __name__ == "__main__":
    harness.run_tests("HTTP/JSON end to end", UNITTEST_ARGV, postgres=ARGS.postgres)
