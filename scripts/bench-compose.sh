#!/usr/bin/env bash
# ComposeReport latency for the demo organization next to a plain unary round
# trip to one backend (report GetOrganization), measured in one run; then the
# same again after other organizations' records are loaded into the same
# stores. Composing reads only the composed organization's rows, so the
# second figure, "with others / alone", should stay about 1. Extra arguments
# go to both fazhi-compose-bench runs (e.g. --rounds=400).
#
#   bash scripts/bench-compose.sh [--orgs=200] [fazhi-compose-bench flags]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh >/dev/null

others=200
args=()
for a in "$@"; do
  case "$a" in --orgs=*) others="${a#--orgs=}" ;; *) args+=("$a") ;; esac
done
demo=deploy/demo/lushan-minzheng
work=$(mktemp -d /tmp/fazhi-bench-XXXXXX)
log_level=${FAZHI_BENCH_LOG_LEVEL:-info}
export FAZHI_ACTOR=bench

pids=()
stop() { kill -TERM "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap stop EXIT
start() {  # name, flags…: a service on a free port with its own SQLite file
  local name=$1
  shift
  build/bin/fazhi-$name --listen=127.0.0.1:0 --http_listen= --log_level="$log_level" "$@" \
    2>"$work/$name.log" &
  pids+=($!)
}
port_of() {  # the port a server printed in its "listening on … (port N)" line
  for _ in $(seq 100); do
    p=$(grep -o '(port [0-9][0-9]*)' "$1" | head -n1 | tr -dc 0-9 || true)
    [ -n "$p" ] && { echo "$p"; return; }
    sleep 0.1
  done
  echo "no port in $1" >&2
  exit 1
}

start study --db="sqlite:$work/study.db"
start duty --db="sqlite:$work/duty.db"
start report --db="sqlite:$work/report.db"
study_port=$(port_of "$work/study.log")
duty_port=$(port_of "$work/duty.log")
report_port=$(port_of "$work/report.log")
export FAZHI_STUDY_TARGET=127.0.0.1:$study_port FAZHI_DUTY_TARGET=127.0.0.1:$duty_port \
  FAZHI_REPORT_TARGET=127.0.0.1:$report_port
start gateway --study_target="$FAZHI_STUDY_TARGET" --duty_target="$FAZHI_DUTY_TARGET" \
  --report_target="$FAZHI_REPORT_TARGET"
gateway_port=$(port_of "$work/gateway.log")
export FAZHI_GATEWAY_TARGET=127.0.0.1:$gateway_port
for t in "$FAZHI_STUDY_TARGET" "$FAZHI_DUTY_TARGET" "$FAZHI_REPORT_TARGET" "$FAZHI_GATEWAY_TARGET"; do
  build/bin/fazhi wait-ready --target="$t" --timeout=30 2>/dev/null
done

# One organization's records through the CLI, as scripts/demo.sh loads them.
# Any rejected row (exit 1) stops the benchmark: the data must be what it says.
load_org() {  # org, directory
  local org=$1 dir=$2
  {
    build/bin/fazhi report put-org --file="$dir/org.json"
    build/bin/fazhi report put --org="$org" --year=2024 --file="$dir/report-2024.json"
    build/bin/fazhi study put-plan --org="$org" --year=2024 --file="$dir/plan-2024.json"
    build/bin/fazhi study import-sessions --org="$org" --file="$dir/sessions.jsonl"
    build/bin/fazhi study import-events --org="$org" --file="$dir/events.jsonl"
    build/bin/fazhi duty import-powers --org="$org" --file="$dir/powers.jsonl"
    build/bin/fazhi duty import-officers --org="$org" --file="$dir/officers.jsonl"
    build/bin/fazhi duty allocate --org="$org" --as-of=2024-12-31 --commit
  } >"$work/load-$org.log" 2>&1 || { echo "loading $org failed:" >&2; cat "$work/load-$org.log" >&2; return 1; }
}
export -f load_org
export work

bench() {  # label, JSON file
  build/bin/fazhi-compose-bench --gateway="$FAZHI_GATEWAY_TARGET" --study="$FAZHI_STUDY_TARGET" \
    --duty="$FAZHI_DUTY_TARGET" --report="$FAZHI_REPORT_TARGET" --org=lushan-minzheng --year=2024 \
    --label="$1" --json_out="$2" "${args[@]}"
}
rows() {  # what the stores hold, counted from the SQLite files
  /usr/bin/python3 - "$work" <<'PY'
import sqlite3, sys
def count(db, table):
    c = sqlite3.connect(f"file:{sys.argv[1]}/{db}.db?mode=ro", uri=True)
    n = c.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    c.close()
    return f"{n} {table}"
print("   stores hold:", ", ".join([count("report", "organizations"), count("report", "reports"),
      count("study", "sessions"), count("duty", "powers"), count("duty", "officers"),
      count("duty", "assignments")]))
PY
}

load_org lushan-minzheng "$demo"
bench "alone" "$work/alone.json"
rows

echo
echo "== loading $others other organizations' records …"
/usr/bin/python3 tests/bench/make_orgs.py "$demo" "$work/orgs" "$others"
started=$(date +%s)
ls "$work/orgs" | xargs -P "${FAZHI_BENCH_LOAD_JOBS:-4}" -I{} bash -c 'load_org "$1" "$work/orgs/$1"' _ {}
echo "   loaded in $(( $(date +%s) - started )) s"

bench "with $others other organizations" "$work/others.json"
rows

echo
/usr/bin/python3 - "$work/alone.json" "$work/others.json" "$others" <<'PY'
import json, sys
alone, others = (json.load(open(p))["series"] for p in sys.argv[1:3])
print(f"== with {sys.argv[3]} other organizations / alone (p50; about 1 means independent of others' data)")
for name in alone:
    print(f"   {name:<34} {others[name]['p50_us'] / alone[name]['p50_us']:.2f}")
PY
