"""Writes COUNT other organizations' records for scripts/bench-compose.sh.

Each organization bench-org-NNN gets, made deterministically from the demo
organization's files (so every row is one the services accept):
  org.json          the organization, with a valid unified social credit code
  report-2024.json  the demo's report narrative
  plan-2024.json    the demo's study plan
  sessions.jsonl    60 study sessions (two copies of the demo's year in 2024,
                    one in 2023), dates varied by organization
  events.jsonl      the demo's 3 publicity events
  powers.jsonl      the demo's 30 powers
  officers.jsonl    10 officers (the demo's 9 and one more)

  /usr/bin/python3 tests/bench/make_orgs.py DEMO_DIR OUT_DIR COUNT
"""

import copy
import json
import os
import sys

CREDIT_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def credit_code(index):
    """An 18-character code: 12 (institution), a 6-digit division, 9 digits, check."""
    first17 = "12" + "410423" + "%09d" % (500000000 + index)
    total, weight = 0, 1
    for c in first17:
        total = (total + CREDIT_CHARSET.index(c) * weight) % 31
        weight = weight * 3 % 31
    return first17 + CREDIT_CHARSET[(31 - total) % 31]


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def write_lines(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def write_json(path, value):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, ensure_ascii=False, indent=1)


def main():
    demo, out, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with open(os.path.join(demo, "org.json"), encoding="utf-8") as f:
        org_template = json.load(f)
    with open(os.path.join(demo, "report-2024.json"), encoding="utf-8") as f:
        report = json.load(f)
    with open(os.path.join(demo, "plan-2024.json"), encoding="utf-8") as f:
        plan = json.load(f)
    sessions = read_lines(os.path.join(demo, "sessions.jsonl"))
    events = read_lines(os.path.join(demo, "events.jsonl"))
    powers = read_lines(os.path.join(demo, "powers.jsonl"))
    officers = read_lines(os.path.join(demo, "officers.jsonl"))

    for i in range(1, count + 1):
        org = "bench-org-%03d" % i
        where = os.path.join(out, org)
        os.makedirs(where, exist_ok=True)

        o = copy.deepcopy(org_template)
        o["name"] = "orgs/" + org
        o["fullName"] = "基准测试单位%03d" % i
        o["supervisors"] = ["orgs/bench-supervisor"]
        o["creditCode"] = credit_code(i)
        o["contacts"][0]["email"] = "fgg@%s.example.org" % org
        write_json(os.path.join(where, "org.json"), o)
        write_json(os.path.join(where, "report-2024.json"), report)
        write_json(os.path.join(where, "plan-2024.json"), plan)

        rows = []
        for copy_index, year in enumerate((2024, 2024, 2023)):
            for s in sessions:
                s = copy.deepcopy(s)
                s["externalId"] = "%s-%d-%s" % (org, copy_index, s["externalId"])
                s["date"]["year"] = year
                s["date"]["day"] = 1 + (s["date"]["day"] + i + copy_index * 7) % 28
                rows.append(s)
        write_lines(os.path.join(where, "sessions.jsonl"), rows)

        rows = []
        for e in events:
            e = copy.deepcopy(e)
            e["externalId"] = "%s-%s" % (org, e["externalId"])
            rows.append(e)
        write_lines(os.path.join(where, "events.jsonl"), rows)

        rows = []
        for p in powers:
            p = copy.deepcopy(p)
            p["externalId"] = "%s-%s" % (org, p["externalId"])
            rows.append(p)
        write_lines(os.path.join(where, "powers.jsonl"), rows)

        rows = []
        for n, officer in enumerate(officers + officers[:1]):
            officer = copy.deepcopy(officer)
            officer["externalId"] = "%s-zfry-%02d" % (org, n)
            officer["personId"] = "%s-HR-%02d" % (org.upper(), n)
            if "certificate" in officer:
                officer["certificate"]["number"] = "41%05d%02d0%06d" % (i, n, 2019001 + n)
            rows.append(officer)
        write_lines(os.path.join(where, "officers.jsonl"), rows)


if __name__ == "__main__":
    main()
