#!/usr/bin/env python3
"""Golden test of the demo: every number the composed report states, computed again from deploy/demo.

Run through ctest (tests/e2e/CMakeLists.txt), or by hand:

  /usr/bin/python3 tests/e2e/golden_demo_test.py --study build/bin/fazhi-study \
      --duty build/bin/fazhi-duty --report build/bin/fazhi-report \
      --gateway build/bin/fazhi-gateway --cli build/bin/fazhi \
      --stubs build/tests/e2e/pystubs --demo deploy/demo [--keep] [-v] [Class.test_name]

Starts the four real binaries, loads the demo with the real `fazhi` CLI as
scripts/demo.sh does (harness.load_demo), and composes each demo
department's 2024 report. Then, section by section, it checks the text
against numbers this file computes with plain Python from the JSON and JSON
Lines files in deploy/demo/<org>/ — never from a service's answer:

* the narrative: every placeholder is filled again here from the records
  (次 = sessions, 人次 = the sum of head counts, 学时 = minutes / 60 rounded
  half up, 同比 against the year before's records) and each paragraph must
  read exactly so;
* the shortcomings: the authored ones, then one finding per cause, whose
  domains, counts and reasons are worked out here per power and per officer
  from powers.jsonl and officers.jsonl on 31 December;
* no number the text states is left unexplained: every digit run of each
  section (dates and years aside) must be one this file computed for it.

The services' List RPCs are used only to translate resource names into the
files' externalId, so that a finding's or a fact's `records` can be checked
against the powers, officers and sessions computed here.

Needs grpcio and protobuf (Debian python3-grpcio, python3-protobuf).
"""

import datetime
import itertools
import json
import os
import re
import unittest

import harness


ARGS, UNITTEST_ARGV = harness.parse_args(
    __doc__, ("study", "duty", "report", "gateway"), cli=True, demo=True, postgres=True)

from fazhi.duty.v1 import duty_pb2, duty_pb2_grpc  # noqa: E402
from fazhi.gateway.v1 import gateway_pb2 as gw  # noqa: E402
from fazhi.gateway.v1 import gateway_pb2_grpc  # noqa: E402
from fazhi.report.v1 import report_pb2 as rp  # noqa: E402
from fazhi.study.v1 import study_pb2, study_pb2_grpc  # noqa: E402

RPC_TIMEOUT = 30 * harness.SLOWDOWN
YEAR = 2024
AS_OF = datetime.date(YEAR, 12, 31)  # the report's day: the end of its year
CIVIL = harness.DEMO_ORG  # 鲁山县民政局: study and duty records, one year
MARKET = harness.DEMO_OTHER_ORG  # 鲁山县市场监督管理局: study records of two years

WORKDIR = None
SERVERS = {}


# --------------------------------------------------------------------------
# The records, read from deploy/demo/<org>/ and counted here.

# Placeholder key of each study kind (as the fact names spell it).
KINDS = {
    "leadership": "STUDY_KIND_LEADERSHIP_GROUP", "pre_meeting": "STUDY_KIND_PRE_MEETING",
    "all_staff": "STUDY_KIND_ALL_STAFF", "lecture": "STUDY_KIND_LECTURE",
    "training": "STUDY_KIND_TRAINING", "oath": "STUDY_KIND_CONSTITUTIONAL_OATH",
    "law_exam": "STUDY_KIND_LAW_EXAM", "duty_statement": "STUDY_KIND_DUTY_STATEMENT",
    "other": "STUDY_KIND_OTHER",
}
# The unit each kind of number is counted in (what "同比增加N…" says).
UNITS = {"sessions": "次", "hours": "学时", "attendances": "人次", "head_attended": "次",
         "laws.count": "部", "sessions.total": "次", "quarters_covered": "个季度", "takers": "人",
         "events": "场", "display_boards": "块", "leaflets": "份", "people_reached": "人次",
         "consultations": "人次"}


def unit_of(name):
    """"study.all_staff.hours" → 学时, "study.publicity.events" → 场."""
    parts = name.split(".")
    for i in range(1, len(parts)):
        if ".".join(parts[i:]) in UNITS:
            return UNITS[".".join(parts[i:])]
    raise AssertionError(f"no unit for {name}")
REQUIRED_TRAINING_HOURS = 60  # 学时 a year: the rule the report quotes ("未达到60学时的要求")
NUMERALS = "零一二三四五六七八九"


def chinese_numeral(n):
    """1-99 in Chinese numerals (四, 十二, 二十)."""
    assert 1 <= n <= 99, n
    tens, ones = divmod(n, 10)
    if tens == 0:
        return NUMERALS[ones]
    return ("" if tens == 1 else NUMERALS[tens]) + "十" + (NUMERALS[ones] if ones else "")


def read_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def read_jsonl(path):
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def day(d):
    return datetime.date(d["year"], d["month"], d["day"])


def whole_hours(minutes):
    """学时: minutes / 60, rounded half up, a whole number."""
    return (minutes + 30) // 60


def head_count(session):
    """人: the head count, or the number of named attendees without one."""
    return session.get("attendeeCount") or len(session.get("attendees", []))


def head_attended(session):
    """Named attendees decide; a record with only a head count says so itself."""
    if session.get("attendees"):
        return any(a.get("isHead") for a in session["attendees"])
    return bool(session.get("headAttended"))


def quarter(date):
    return (date.month - 1) // 3 + 1


class Value:
    """A fact as this test computed it: a number with its unit, or a list."""

    def __init__(self, number=None, unit="", items=None, previous=None, orders=None):
        self.number = number
        self.unit = unit
        self.items = items
        self.previous = previous  # the year before's number; None: no record that year
        # Every order of a list the records allow (ties in their ordering).
        self.orders = orders if orders is not None else [items]

    def text(self):
        if self.items is not None:
            return "、".join(self.items) if self.items else "无"
        return str(self.number)


class Department:
    """One demo department's files and what they add up to."""

    def __init__(self, org):
        self.org = org
        self.folder = os.path.join(ARGS.demo, org)
        self.organization = read_json(os.path.join(self.folder, "org.json"))
        self.report = read_json(os.path.join(self.folder, f"report-{YEAR}.json"))
        self.sessions = read_jsonl(os.path.join(self.folder, "sessions.jsonl"))
        self.events = read_jsonl(os.path.join(self.folder, "events.jsonl"))
        self.powers = read_jsonl(os.path.join(self.folder, "powers.jsonl"))
        self.officers = read_jsonl(os.path.join(self.folder, "officers.jsonl"))
        plan = os.path.join(self.folder, f"plan-{YEAR}.json")
        self.plan = read_json(plan) if os.path.exists(plan) else None
        self.plans = {YEAR} if self.plan else set()

    # ---- study -----------------------------------------------------------

    def sessions_of(self, year, kind=None):
        found = [s for s in self.sessions if s["date"]["year"] == year and
                 (kind is None or s["kind"] == kind)]
        return sorted(found, key=lambda s: day(s["date"]))

    def events_of(self, year):
        return sorted((e for e in self.events if e["date"]["year"] == year), key=lambda e: day(e["date"]))

    def on_record(self, year):
        """A year with a session, a publicity event or a plan: a baseline for 同比."""
        return bool(self.sessions_of(year) or self.events_of(year) or year in self.plans)

    @staticmethod
    def laws_in_order(sessions):
        """Each law once: most studied first, then the one studied first.
        Returns the laws and every order that rule allows: laws first
        studied in the same session tie, and the rule leaves their order
        open."""
        count, first = {}, {}
        for s in sessions:
            for law in set(s.get("laws", [])):
                count[law] = count.get(law, 0) + 1
                first.setdefault(law, day(s["date"]))
        keys = {law: (-count[law], first[law]) for law in count}
        laws = sorted(count, key=lambda law: keys[law])
        orders = [[]]
        for key in sorted(set(keys.values())):
            tied = [law for law in laws if keys[law] == key]
            orders = [o + list(p) for o in orders for p in itertools.permutations(tied)]
        return laws, orders

    def study_numbers(self, year):
        """Every study and publicity number of `year`, by fact name."""
        n = {}
        for key, kind in KINDS.items():
            sessions = self.sessions_of(year, kind)
            n[f"study.{key}.sessions"] = len(sessions)
            n[f"study.{key}.hours"] = whole_hours(sum(s["durationMinutes"] for s in sessions))
            n[f"study.{key}.attendances"] = sum(head_count(s) for s in sessions)
            n[f"study.{key}.head_attended"] = sum(1 for s in sessions if head_attended(s))
            n[f"study.{key}.laws.count"] = len(self.laws_in_order(sessions)[0])
        sessions = self.sessions_of(year)
        n["study.sessions.total"] = len(sessions)
        n["study.hours"] = whole_hours(sum(s["durationMinutes"] for s in sessions))
        n["study.attendances"] = sum(head_count(s) for s in sessions)
        n["study.head_attended"] = sum(1 for s in sessions if head_attended(s))
        n["study.leadership.quarters_covered"] = len(
            {quarter(day(s["date"])) for s in self.sessions_of(year, KINDS["leadership"])})
        oath = self.sessions_of(year, KINDS["oath"])
        named = {a["personId"] for s in oath for a in s.get("attendees", []) if a.get("personId")}
        n["study.oath.takers"] = len(named) + sum(
            head_count(s) for s in oath if not any(a.get("personId") for a in s.get("attendees", [])))
        events = self.events_of(year)
        n["study.publicity.events"] = len(events)
        for fact, field in (("display_boards", "displayBoards"), ("leaflets", "leaflets"),
                            ("people_reached", "peopleReached"), ("consultations", "consultations")):
            n[f"study.publicity.{fact}"] = sum(e.get(field, 0) for e in events)
        return n

    def facts(self):
        """The facts a narrative may quote, as this test computes them."""
        now, before = self.study_numbers(YEAR), self.study_numbers(YEAR - 1)
        previous_on_record = self.on_record(YEAR - 1)
        facts = {
            "year": Value(YEAR, "年"), "next_year": Value(YEAR + 1, "年"),
            "previous_year": Value(YEAR - 1, "年"),
            "org.name": Value(items=[self.organization["fullName"]]),
        }
        for name, number in now.items():
            facts[name] = Value(number, unit_of(name), previous=before[name] if previous_on_record else None)
        for key, kind in KINDS.items():
            laws, orders = self.laws_in_order(self.sessions_of(YEAR, kind))
            facts[f"study.{key}.laws"] = Value(items=laws, orders=orders)
        # Places: most events first, then by name.
        places = {}
        for e in self.events_of(YEAR):
            places[e["place"]] = places.get(e["place"], 0) + 1
        facts["study.publicity.places"] = Value(items=sorted(places, key=lambda p: (-places[p], p)))
        return facts

    def study_findings(self):
        """The kinds of study shortcoming the records prove (none, or which)."""
        kinds = set()
        if len({quarter(day(s["date"])) for s in self.sessions_of(YEAR, KINDS["leadership"])}) < 4:
            kinds.add("study.leadership.quarter_missed")
        if self.plan is None:
            return kinds | {"study.plan.missing"}
        if day(self.plan["adoptedDate"]) > datetime.date(YEAR, 3, 31):
            kinds.add("study.plan.late")
        for rule in self.plan.get("rules", []):
            periods = {"RULE_PERIOD_MONTH": 12, "RULE_PERIOD_QUARTER": 4, "RULE_PERIOD_YEAR": 1}[rule["period"]]
            counts = [0] * periods
            for s in self.sessions_of(YEAR, rule["kind"]):
                if s["durationMinutes"] < rule.get("minMinutes", 0):
                    continue
                d = day(s["date"])
                index = {12: d.month, 4: quarter(d), 1: 1}[periods]
                counts[index - 1] += 1
            if any(c < rule["minSessions"] for c in counts):
                kinds.add("study.plan.rule")
        studied = {law for s in self.sessions_of(YEAR) for law in s.get("laws", [])}
        studied |= {law for e in self.events_of(YEAR) for law in e.get("laws", [])}
        if set(self.plan.get("plannedLaws", [])) - studied:
            kinds.add("study.plan.laws_not_studied")
        eligible = self.plan.get("eligibleStaff", 0)
        if eligible and self.study_numbers(YEAR)["study.oath.takers"] < eligible:
            kinds.add("study.oath.coverage")
        return kinds

    # ---- duty ------------------------------------------------------------

    @staticmethod
    def certificate_valid(officer, on=AS_OF):
        c = officer.get("certificate")
        return bool(c) and c.get("status") == "CERTIFICATE_STATUS_VALID" and \
            day(c["issuedDate"]) <= on <= day(c["expiryDate"])

    def duty_analysis(self):
        """Per power: who may enforce it on AS_OF, and the one cause that
        keeps it from being staffed lawfully."""
        for p in self.powers:
            assert not p.get("post"), "this test does not model posts; the demo has none"
        established = [o for o in self.officers if o.get("established")]
        result = {"short": [], "no_reviewer": [], "staffable": [], "domains": {}}
        for p in self.powers:
            domain = p["domain"]
            qualified = [o for o in established if domain in o.get("domains", [])]
            valid = [o for o in qualified if self.certificate_valid(o)]
            legal = [o for o in valid if o.get("legalQualification")]
            required = max(2, p.get("requiredOfficers", 0) or 2)
            result["domains"][domain] = (len(qualified), len(valid), len(legal))
            # The precedence gateway.proto gives FindingType: a power short of
            # certified officers is understaffed; one with enough of them,
            # none legally qualified, where it needs 法制审核, lacks a reviewer.
            if len(valid) < required:
                result["short"].append(p)
            elif p.get("needsLegalReview") and not legal:
                result["no_reviewer"].append(p)
            else:
                result["staffable"].append(p)
        result["lapsed"] = [o for o in self.officers if o.get("certificate") and not self.certificate_valid(o)]
        result["training_short"] = [
            (o, hours) for o in established if self.certificate_valid(o)
            for hours in [sum(t["hours"] for t in o.get("training", []) if t["year"] == YEAR)]
            if hours < REQUIRED_TRAINING_HOURS]
        result["capacity_binds"] = not self.staffable_within_loads(result["staffable"], established)
        return result

    def staffable_within_loads(self, powers, established):
        """Whether every staffable power can get its officers (one legally
        qualified where it needs review) without anyone over maxLoad: a
        small maximum flow, source → officer (maxLoad) → officer×power (1) →
        the power's legal slot or open slots → sink."""
        graph = {}

        def arc(a, b, capacity):
            graph.setdefault(a, {}).setdefault(b, 0)
            graph[a][b] += capacity
            graph.setdefault(b, {}).setdefault(a, 0)

        demand = 0
        for p in powers:
            required = max(2, p.get("requiredOfficers", 0) or 2)
            legal_slots = 1 if p.get("needsLegalReview") else 0
            arc(("legal", p["externalId"]), "sink", legal_slots)
            arc(("open", p["externalId"]), "sink", required - legal_slots)
            demand += required
            for o in established:
                if p["domain"] not in o.get("domains", []) or not self.certificate_valid(o):
                    continue
                pair = ("pair", o["externalId"], p["externalId"])
                arc(("officer", o["externalId"]), pair, 1)
                arc(pair, ("open", p["externalId"]), 1)
                if o.get("legalQualification"):
                    arc(pair, ("legal", p["externalId"]), 1)
        for o in established:
            arc("source", ("officer", o["externalId"]), o.get("maxLoad", 0))
        flow = 0
        while True:  # Edmonds–Karp
            parents, queue = {"source": None}, ["source"]
            while queue and "sink" not in parents:
                node = queue.pop(0)
                for nxt, capacity in graph.get(node, {}).items():
                    if capacity > 0 and nxt not in parents:
                        parents[nxt] = node
                        queue.append(nxt)
            if "sink" not in parents:
                return flow == demand
            path, node = [], "sink"
            while parents[node] is not None:
                path.append((parents[node], node))
                node = parents[node]
            push = min(graph[a][b] for a, b in path)
            for a, b in path:
                graph[a][b] -= push
                graph[b][a] += push
            flow += push


# --------------------------------------------------------------------------
# Filling a narrative again, from this test's facts.

PLACEHOLDER = re.compile(r"\{\{\s*([a-z0-9_.]+)\s*((?:\|[^|}]*)*)\}\}")


def decimal(value):
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def year_on_year(value, percent, unit):
    if value.previous is None:
        return "上年无记录，不作同比"
    now, before = value.number, value.previous
    if now == before:
        return "与上年持平"
    change = abs(now - before)
    if percent and before != 0:
        return ("同比增长" if now > before else "同比下降") + decimal(100 * change / before) + "%"
    words = ("同比增加" if now > before else "同比减少") + decimal(change) + unit
    return words + (f"（上年为0{unit}）" if percent else "")


class Filled:
    """A template filled from this test's facts: the text (or, where the
    records leave a list's order open, every text they allow) and the
    numbers it states."""

    def __init__(self, texts, numbers):
        self.texts = texts
        self.numbers = numbers

    @property
    def text(self):
        assert len(self.texts) == 1, f"the records leave the wording open: {self.texts}"
        return self.texts[0]

    def matches(self, actual):
        return actual in self.texts


def fill_one(v, filters, numbers):
    """One placeholder's alternatives (one unless a list's order is open)."""
    unit, comparison, list_filter, chinese = "", None, None, False
    for f in filters:
        if f in ("书名号", "顿号", "逗号"):
            list_filter = f
        elif f == "中文数字":
            chinese = True
        elif f in ("同比", "同比幅度", "上年"):
            comparison = f
        else:
            unit = f
    if comparison in ("同比", "同比幅度"):
        if v.previous is not None and v.number != v.previous:
            change = abs(v.number - v.previous)
            numbers.append(decimal(100 * change / v.previous) if comparison == "同比幅度" and v.previous
                           else decimal(change))
        return [year_on_year(v, comparison == "同比幅度", unit or v.unit)]
    if comparison == "上年":
        if v.previous is None:
            return ["上年无记录"]
        numbers.append(decimal(v.previous))
        return [decimal(v.previous) + unit]
    if v.items is not None:
        out = []
        for items in v.orders:
            if list_filter == "书名号":
                out.append("".join(f"《{i}》" for i in items) + unit)
            else:
                out.append(("，" if list_filter == "逗号" else "、").join(items) + unit if items else "无" + unit)
        return out
    if chinese:
        return [chinese_numeral(v.number) + unit]
    numbers.append(str(v.number))
    return [str(v.number) + unit]


def fill(template, facts):
    """The template with each placeholder replaced by this test's value."""
    numbers, texts, at = [], [""], 0
    for match in PLACEHOLDER.finditer(template):
        name = match.group(1)
        if name not in facts:
            raise AssertionError(f"the narrative quotes {{{{{name}}}}}, which this golden test does "
                                 f"not compute: teach it how the records give that number")
        filters = [f.strip() for f in match.group(2).split("|") if f.strip()]
        literal = template[at:match.start()]
        texts = [t + literal + value for t in texts for value in fill_one(facts[name], filters, numbers)]
        at = match.end()
    return Filled([t + template[at:] for t in texts], numbers)


def ordinal(n):
    return chinese_numeral(n) + "是"


def sentence(text):
    return text if text.endswith(("。", "！", "？", "；")) else text + "。"


def chinese_date(d):
    return f"{d.year}年{d.month}月{d.day}日"


# What is a number the report states: a digit run that is not a date, a
# year, a month-and-day name such as “12·4”, or part of a law's name.
NOT_A_QUANTITY = re.compile(
    r"\d{4}年\d{1,2}月\d{1,2}日|\d{4}年|“\d{1,2}·\d{1,2}”|\d{1,2}月\d{1,2}日|《[^》]*》")
DIGITS = re.compile(r"\d+(?:\.\d+)?")


def stated_numbers(text):
    return DIGITS.findall(NOT_A_QUANTITY.sub("", text))


# --------------------------------------------------------------------------
# Servers.


def setUpModule():
    global WORKDIR
    WORKDIR = harness.make_workdir("fazhi-e2e-golden-", keep=ARGS.keep)
    SERVERS.update(harness.start_demo_stack(ARGS, WORKDIR, db_prefix="golden_"))
    harness.load_demo(ARGS.cli, ARGS.demo, harness.stack_env(SERVERS, "golden"))


def tearDownModule():
    harness.stop_servers(*SERVERS.values(), close_channel=True)


def gateway():
    return gateway_pb2_grpc.AnnualReportServiceStub(SERVERS["gateway"].channel)


def external_ids(org):
    """Resource name → externalId of every session, event, power and officer
    of `org` (the List RPCs, only to translate names)."""
    study = study_pb2_grpc.StudyServiceStub(SERVERS["study"].channel)
    duty = duty_pb2_grpc.DutyServiceStub(SERVERS["duty"].channel)
    names = {}
    for method, request, field in (
            (study.ListSessions, study_pb2.ListSessionsRequest, "sessions"),
            (study.ListPublicityEvents, study_pb2.ListPublicityEventsRequest, "publicity_events"),
            (duty.ListPowers, duty_pb2.ListPowersRequest, "powers"),
            (duty.ListOfficers, duty_pb2.ListOfficersRequest, "officers")):
        token = ""
        while True:
            reply = method(request(parent=f"orgs/{org}", page_size=1000, page_token=token),
                           timeout=RPC_TIMEOUT)
            for record in getattr(reply, field):
                names[record.name] = record.external_id
            token = reply.next_page_token
            if not token:
                break
    return names


class GoldenCase(unittest.TestCase):
    maxDiff = None
    ORG = None
    composed = catalogue = dept = facts = names = None

    @classmethod
    def setUpClass(cls):
        cls.dept = Department(cls.ORG)
        cls.facts = cls.dept.facts()
        cls.composed = gateway().ComposeReport(gw.ComposeReportRequest(
            org=f"orgs/{cls.ORG}", year=YEAR, formats=["txt"]), timeout=RPC_TIMEOUT)
        cls.catalogue = gateway().GetFacts(gw.GetFactsRequest(org=f"orgs/{cls.ORG}", year=YEAR),
                                           timeout=RPC_TIMEOUT)
        cls.names = external_ids(cls.ORG)

    # ---- helpers ---------------------------------------------------------

    def section(self, item):
        for s in self.composed.sections:
            if s.item == item:
                return s
        self.fail(f"no section {rp.ContentItem.Name(item)}")

    def narrative_items(self, item):
        """The authored items of a section, filled here: [(kind, Filled)]
        and the numbers they state."""
        items = []
        for section in self.dept.report.get("sections", []):
            if section["item"] == rp.ContentItem.Name(item):
                items += section.get("items", [])
        return self.filled_blocks(items)

    def filled_blocks(self, items):
        blocks, numbers = [], []
        for it in items:
            if it.get("heading"):
                blocks.append((gw.BLOCK_KIND_HEADING, fill(it["heading"], self.facts)))
            for paragraph in it.get("paragraphs", []):
                blocks.append((gw.BLOCK_KIND_PARAGRAPH, fill(paragraph, self.facts)))
        for _, filled in blocks:
            numbers += filled.numbers
        return blocks, numbers

    def assertBlocks(self, blocks, expected):
        """The blocks read as the narrative filled here, one by one."""
        self.assertEqual(len(blocks), len(expected), [b.text for b in blocks])
        for b, (kind, filled) in zip(blocks, expected):
            self.assertEqual(b.kind, kind, b.text)
            self.assertTrue(filled.matches(b.text),
                            f"the report says\n  {b.text}\nthe records give\n  " + "\n  or ".join(filled.texts))

    def assertStatesOnly(self, text, computed, where):
        """Every number `text` states is one of `computed`."""
        computed = {str(c) for c in computed}
        unexplained = [n for n in stated_numbers(text) if n not in computed]
        self.assertEqual(unexplained, [], f"{where} states numbers this test did not compute "
                                          f"(computed: {sorted(computed)}):\n{text}")

    def section_text(self, s):
        return "\n".join([s.heading] + [b.text for b in s.blocks])

    def check_narrative_section(self, item):
        """An authored section reads exactly as its narrative filled from
        the records, and states no other number."""
        s = self.section(item)
        expected, numbers = self.narrative_items(item)
        self.assertTrue(expected, f"the demo narrative writes {rp.ContentItem.Name(item)}")
        self.assertBlocks(s.blocks, expected)
        self.assertEqual({b.origin for b in s.blocks}, {"narrative"})
        self.assertStatesOnly(self.section_text(s), numbers, rp.ContentItem.Name(item))
        return numbers

    def authored_shortcomings(self):
        """The authored shortcomings as the report must state them, in order."""
        out, numbers = [], []
        for n, sc in enumerate(self.dept.report.get("shortcomings", []), 1):
            problem, cause, rectification = (fill(sc.get(field, ""), self.facts)
                                             for field in ("problem", "cause", "rectification"))
            numbers += problem.numbers + cause.numbers + rectification.numbers
            problem, cause, rectification = problem.text, cause.text, rectification.text
            text = ordinal(n) + sentence(problem)
            if cause:
                text += "原因：" + sentence(cause)
            if rectification:
                text += "整改：" + sentence(rectification)
            who = []
            if sc.get("owner"):
                who.append("责任：" + sc["owner"])
            if sc.get("dueDate"):
                who.append(chinese_date(day(sc["dueDate"])) + "前完成")
            if who:
                text += "（" + "，".join(who) + "）"
            out.append(text)
        return out, numbers

    def check_common(self):
        c = self.composed
        self.assertEqual(c.title, f"{self.dept.organization['fullName']}关于{YEAR}年法治政府建设情况的报告")
        self.assertEqual(list(c.missing_backends), [])
        expected = [fill(p, self.facts).text for p in self.dept.report.get("preamble", [])]
        self.assertEqual(list(c.preamble), expected)
        for p in c.preamble:
            self.assertStatesOnly(p, [], "the preamble")
        date = self.dept.report.get("reportDate")
        self.assertEqual(c.date, chinese_date(day(date)) if date else "")
        # The text rendering states the same as the structure, section by section.
        txt = next(r.content.decode("utf-8") for r in c.renderings if r.format == "txt")
        for s in c.sections:
            self.assertIn(s.number + s.heading, txt)
            for b in s.blocks:
                self.assertIn((b.number or "") + b.text, txt)

    def check_facts(self):
        """No number typed by hand; each number the narrative quotes rests
        on records, and on the records this test counted."""
        self.assertEqual([(w.field, w.description) for w in self.catalogue.warnings], [])
        used = [f for f in self.catalogue.facts if f.used_in]
        self.assertTrue(used)
        for f in used:
            if f.source.service == "gateway":
                self.assertIn(f.name, ("year", "next_year", "previous_year"))  # the calendar
                continue
            if f.is_number or f.items:
                self.assertTrue(f.records, f"{f.name} is quoted but rests on no record")
        for f in used:
            records = sorted(self.names.get(r, r) for r in f.records)
            m = re.fullmatch(r"study\.([a-z_]+)\.(sessions|hours|attendances|laws|laws\.count|"
                             r"quarters_covered|takers)", f.name)
            if m and m.group(1) in KINDS:
                kind = KINDS[m.group(1)]
                self.assertEqual(records, sorted(s["externalId"] for s in self.dept.sessions_of(YEAR, kind)),
                                 f.name)
            elif f.name.startswith("study.publicity."):
                self.assertEqual(records, sorted(e["externalId"] for e in self.dept.events_of(YEAR)), f.name)
            elif f.name.endswith("head_attended"):
                # The sessions the head attended are among them.
                kind = f.name.split(".")[1]
                sessions = self.dept.sessions_of(YEAR, KINDS.get(kind))
                self.assertLessEqual({s["externalId"] for s in sessions if head_attended(s)}, set(records),
                                     f.name)
            if f.is_number and f.name in self.facts and self.facts[f.name].number is not None:
                self.assertEqual(f.number, self.facts[f.name].number, f.name)


# --------------------------------------------------------------------------


class CivilAffairsGoldenTest(GoldenCase):
    """鲁山县民政局: study, publicity and enforcement duties of 2024."""

    ORG = CIVIL

    def test_1_preamble_title_date_and_the_text_rendering(self):
        self.check_common()

    def test_2_head_duty_section(self):
        numbers = self.check_narrative_section(rp.CONTENT_ITEM_HEAD_DUTY)
        n = self.dept.study_numbers(YEAR)
        # What this section is about, said outright (the narrative quotes them).
        self.assertEqual(n["study.head_attended"], 18)
        self.assertEqual((n["study.all_staff.sessions"], n["study.all_staff.hours"],
                          n["study.all_staff.attendances"]), (12, 18, 552))
        self.assertTrue({"18", "12", "552"} <= set(numbers), numbers)

    def test_3_measures_section(self):
        self.check_narrative_section(rp.CONTENT_ITEM_MEASURES)
        text = self.section_text(self.section(rp.CONTENT_ITEM_MEASURES))
        laws = self.facts["study.leadership.laws"].items
        self.assertIn(f"全年班子集体学法{self.facts['study.leadership.sessions'].number}次", text)
        # The laws the leadership group studied: those of its own sessions, in order.
        self.assertIn("重点学习了" + "".join(f"《{x}》" for x in laws) + "，", text)
        self.assertEqual(laws, ["民法典", "老年人权益保障法", "行政许可法", "行政处罚法"])
        self.assertIn(f"参加宣誓{self.facts['study.oath.takers'].number}人", text)

    def test_4_shortcomings_section(self):
        s = self.section(rp.CONTENT_ITEM_SHORTCOMINGS)
        intro, numbers = self.narrative_items(rp.CONTENT_ITEM_SHORTCOMINGS)
        authored, more = self.authored_shortcomings()
        numbers += more
        blocks = list(s.blocks)
        self.assertBlocks(blocks[:len(intro)], intro)
        blocks = blocks[len(intro):]
        self.assertEqual([b.text for b in blocks[:len(authored)]], authored)
        self.assertEqual({b.origin for b in blocks[:len(authored)]}, {"narrative"})
        findings = blocks[len(authored):]
        self.assertEqual({b.origin for b in findings}, {"finding"})
        # One sequence 一是, 二是, … through the findings.
        for n, b in enumerate(findings, len(authored) + 1):
            self.assertTrue(b.text.startswith(ordinal(n)), b.text)
        shown = [f for f in self.composed.findings if not f.suppressed]
        self.assertEqual(len(shown), len(findings))
        by_kind = {}
        for n, (f, b) in enumerate(zip(shown, findings), len(authored) + 1):
            self.assertTrue(b.text.startswith(ordinal(n) + f.text), (b.text, f.text))
            by_kind[f.kind] = b.text

        duty = self.dept.duty_analysis()
        self.assertFalse(duty["capacity_binds"], "the demo's loads leave room: no at-capacity finding")
        expected_kinds = self.dept.study_findings()
        if duty["short"]:
            expected_kinds.add("duty.staff_short")
        if duty["no_reviewer"]:
            expected_kinds.add("duty.no_legal_reviewer")
        if duty["lapsed"]:
            expected_kinds.add("duty.certificates.lapsed")
        if duty["training_short"]:
            expected_kinds.add("duty.training.short")
        self.assertEqual(set(by_kind), expected_kinds)
        self.assertEqual(expected_kinds, {"duty.staff_short", "duty.no_legal_reviewer",
                                          "duty.certificates.lapsed", "duty.training.short"})

        # Powers short of two officers with a valid certificate, and why.
        short_domains = sorted({p["domain"] for p in duty["short"]})
        text = by_kind["duty.staff_short"]
        m = re.search(r"是(.+?)(?:(\d+)个领域共|领域)(\d+)项执法事项持有效执法证的执法人员不足两人", text)
        self.assertIsNotNone(m, text)
        self.assertEqual(sorted(m.group(1).split("、")), short_domains)
        if m.group(2):
            self.assertEqual(int(m.group(2)), len(short_domains))
        self.assertEqual(int(m.group(3)), len(duty["short"]))
        numbers += [len(short_domains), len(duty["short"])]
        for domain in short_domains:
            qualified, valid, _ = duty["domains"][domain]
            if qualified < 2:
                self.assertIn(f"{domain}领域具备执法资格的在编在岗人员仅{qualified}人", text)
                numbers.append(qualified)
            else:
                self.assertIn(f"{domain}领域具备执法资格的{qualified}人中持有效执法证的仅{valid}人", text)
                numbers += [qualified, valid]
        # Of these, the powers that need 法制审核 in a domain where no valid
        # certified officer is legally qualified: said in the cause too.
        unreviewed = sum(1 for p in duty["short"]
                         if p.get("needsLegalReview") and duty["domains"][p["domain"]][2] == 0)
        if unreviewed:
            self.assertIn(f"其中{unreviewed}项需法制审核的事项所在领域也没有具备法律职业资格的执法人员", text)
            numbers.append(unreviewed)
        else:
            self.assertNotIn("需法制审核的事项所在领域", text)

        # Powers needing 法制审核 whose certified officers hold no legal qualification.
        review_domains = sorted({p["domain"] for p in duty["no_reviewer"]})
        text = by_kind["duty.no_legal_reviewer"]
        m = re.search(r"是(.+?)(?:(\d+)个领域共|领域)(\d+)项需法制审核的执法事项没有具备法律职业资格的执法人员", text)
        self.assertIsNotNone(m, text)
        self.assertEqual(sorted(m.group(1).split("、")), review_domains)
        if m.group(2):
            self.assertEqual(int(m.group(2)), len(review_domains))
        self.assertEqual(int(m.group(3)), len(duty["no_reviewer"]))
        numbers += [len(review_domains), len(duty["no_reviewer"])]
        for domain in review_domains:
            valid = duty["domains"][domain][1]
            self.assertIn(f"{domain}领域{valid}人", text)
            numbers.append(valid)

        # Lapsed certificates: how many, whose domains, since when.
        lapsed = duty["lapsed"]
        text = by_kind["duty.certificates.lapsed"]
        m = re.search(r"是(\d+)名执法人员的执法证已过期或失效，涉及(.+?)领域", text)
        self.assertIsNotNone(m, text)
        self.assertEqual(int(m.group(1)), len(lapsed))
        self.assertEqual(sorted(m.group(2).split("、")), sorted({d for o in lapsed for d in o["domains"]}))
        expired = sorted(day(o["certificate"]["expiryDate"]) for o in lapsed
                         if day(o["certificate"]["expiryDate"]) < AS_OF)
        self.assertEqual(len(expired), 1)
        self.assertIn(f"1个执法证于{chinese_date(expired[0])}到期后未换领新证", text)
        numbers += [len(lapsed), len(expired)]

        # Established officers, certified on the day, short of the year's hours.
        short = sorted(hours for _, hours in duty["training_short"])
        text = by_kind["duty.training.short"]
        self.assertIn(f"是{len(short)}名持证执法人员年度培训学时未达到{REQUIRED_TRAINING_HOURS}学时的要求", text)
        self.assertIn("全年培训分别为" + "、".join(str(h) for h in short) + "学时", text)
        numbers += [len(short), REQUIRED_TRAINING_HOURS] + short

        self.assertStatesOnly(self.section_text(s), numbers, "the shortcomings")

    def test_5_findings_name_exactly_the_records_computed_here(self):
        duty = self.dept.duty_analysis()
        expected = {
            "duty.staff_short": sorted(p["externalId"] for p in duty["short"]),
            "duty.no_legal_reviewer": sorted(p["externalId"] for p in duty["no_reviewer"]),
            "duty.certificates.lapsed": sorted(o["externalId"] for o in duty["lapsed"]),
            "duty.training.short": sorted(o["externalId"] for o, _ in duty["training_short"]),
        }
        got = {f.kind: sorted(self.names[r] for r in f.records) for f in self.composed.findings}
        self.assertEqual(got, expected)
        for f in self.composed.findings:
            self.assertEqual(f.id, f.kind)
            self.assertTrue(f.cause and f.rectification and f.owner and f.due_date.year, f.kind)
            self.assertFalse(f.suppressed)
        # The demo, said outright.
        self.assertEqual(sorted(p["domain"] for p in duty["short"]), ["养老服务"] * 5 + ["殡葬"] * 4)
        self.assertEqual(sorted(p["domain"] for p in duty["no_reviewer"]), ["慈善"] + ["社会组织"] * 3)
        self.assertEqual([o["displayName"] for o in duty["lapsed"]], ["刘芳"])
        self.assertEqual(sorted((o["displayName"], h) for o, h in duty["training_short"]),
                         [("吴静", 40), ("陈刚", 48)])

    def test_6_plan_and_other_sections(self):
        s = self.section(rp.CONTENT_ITEM_NEXT_YEAR_PLAN)
        expected, numbers = self.filled_blocks(self.dept.report.get("planItems", []))
        self.assertBlocks(s.blocks, expected)
        self.assertStatesOnly(self.section_text(s), numbers, "the plan")
        other = self.section(rp.CONTENT_ITEM_OTHER)
        self.assertStatesOnly(self.section_text(other), [], "the other section")

    def test_7_facts_rest_on_records_and_nothing_is_typed_by_hand(self):
        self.check_facts()
        facts = {f.name: f for f in self.catalogue.facts}
        # No records of the year before: a first year, not a comparison with 0.
        self.assertFalse(self.dept.on_record(YEAR - 1))
        all_staff = facts["study.all_staff.sessions"]
        self.assertEqual((all_staff.has_previous, all_staff.previous_on_record), (True, False))


class MarketRegulationGoldenTest(GoldenCase):
    """鲁山县市场监督管理局: study records of 2023 and 2024, so that 同比 compares."""

    ORG = MARKET

    def test_1_preamble_title_date_and_the_text_rendering(self):
        self.check_common()

    def test_2_measures_and_head_duty_sections_with_year_on_year(self):
        self.assertTrue(self.dept.on_record(YEAR - 1))
        measures = self.check_narrative_section(rp.CONTENT_ITEM_MEASURES)
        head = self.check_narrative_section(rp.CONTENT_ITEM_HEAD_DUTY)
        self.assertTrue(measures and head)
        text = "\n".join(self.section_text(self.section(i))
                         for i in (rp.CONTENT_ITEM_MEASURES, rp.CONTENT_ITEM_HEAD_DUTY))
        now, before = self.dept.study_numbers(YEAR), self.dept.study_numbers(YEAR - 1)
        # An increase, a decrease (with a percentage) and no change, each
        # phrase worked out here from the two years' records.
        n, b = now["study.all_staff.sessions"], before["study.all_staff.sessions"]
        self.assertGreater(n, b)
        self.assertIn(f"全年组织集中学习{n}次，同比增加{n - b}次", text)
        n, b = now["study.all_staff.attendances"], before["study.all_staff.attendances"]
        self.assertIn(f"参学{n}人次，同比增长{decimal(100 * (n - b) / b)}%", text)
        n, b = now["study.lecture.sessions"], before["study.lecture.sessions"]
        self.assertLess(n, b)
        self.assertIn(f"举办专题法治讲座{n}次，同比下降{decimal(100 * (b - n) / b)}%", text)
        n, b = now["study.training.attendances"], before["study.training.attendances"]
        self.assertIn(f"参训{n}人次，同比增长{decimal(100 * (n - b) / b)}%", text)
        n, b = now["study.publicity.events"], before["study.publicity.events"]
        self.assertIn(f"普法宣传{n}场，同比增加{n - b}场", text)
        n, b = now["study.leadership.sessions"], before["study.leadership.sessions"]
        self.assertEqual(n, b)
        self.assertIn(f"集体学法{n}次，与上年持平", text)
        # The demo's choice of numbers, said outright.
        self.assertIn("同比下降33.3%", text)
        self.assertIn("同比增长12.5%", text)
        self.assertIn("共16学时", text)  # 930 minutes: 15.5, rounded half up

    def test_3_shortcomings_section(self):
        s = self.section(rp.CONTENT_ITEM_SHORTCOMINGS)
        authored, numbers = self.authored_shortcomings()
        self.assertEqual([b.text for b in s.blocks[:len(authored)]], authored)
        findings = s.blocks[len(authored):]
        self.assertEqual(self.dept.study_findings(), {"study.plan.missing"})
        self.assertEqual([f.kind for f in self.composed.findings], ["study.plan.missing"])
        self.assertEqual([b.origin for b in findings], ["finding"])
        self.assertTrue(findings[0].text.startswith(ordinal(len(authored) + 1) + f"未制订{YEAR}年度学法计划"))
        self.assertStatesOnly(self.section_text(s), numbers, "the shortcomings")

    def test_4_facts_rest_on_records_and_compare_with_the_year_before(self):
        self.check_facts()
        before = self.dept.study_numbers(YEAR - 1)
        for f in self.catalogue.facts:
            if f.name in before:
                self.assertTrue(f.has_previous and f.previous_on_record, f.name)
                self.assertEqual(f.previous_number, before[f.name], f.name)


if __name__ == "__main__":
    harness.run_tests("golden demo e2e", UNITTEST_ARGV, postgres=ARGS.postgres)
