#!/usr/bin/env bash
# ComposeReport latency for the demo organization next to a plain unary round
# trip to one backend (report GetOrganization), and whether it grows with
# other organizations' data.
#
# Two identical sets of the four services run side by side, A and B, each
# on free ports with its own SQLite files, and both get the demo
# organization. The first fazhi-compose-bench run is the baseline: A and B
# hold the same, so their ratio shows how far this machine's noise goes.
# Then B gets other organizations' records (200 by default, each 60 study
# sessions, 30 powers, 10 officers with their allocation, an organization
# and a report), and the second run measures B against A again. Both runs
# take the two sets call by call in the same rounds, so a busy machine slows
# both alike; "B with others / A" for ComposeReport should stay about 1.
# Extra arguments go to both runs (e.g. --rounds=1000).
#
# Each set also runs a second gateway over its backends that holds no
# answers (--answer_cache_mib=0): the main gateways compose again what has
# not changed from held answers (the backends answering "not modified"),
# the second ones from fresh answers, as after a change ("none held").
#
# With --baseline_bin=DIR set A runs the servers in DIR (another build's
# bin/) and B this build's: the first run is then "this build / baseline"
# on the same data, call by call. --orgs=0 skips the second run.
#
#   bash scripts/bench-compose.sh [--orgs=200] [--baseline_bin=DIR] [fazhi-compose-bench flags]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh >/dev/null

others=200
baseline_bin=
args=()
for a in "$@"; do
  case "$a" in
    --orgs=*) others="${a#--orgs=}" ;;
    --baseline_bin=*) baseline_bin="${a#--baseline_bin=}" ;;
    *) args+=("$a") ;;
  esac
done
declare -A bin=([A]=${baseline_bin:-build/bin} [B]=build/bin)
demo=deploy/demo/lushan-minzheng
work=$(mktemp -d /tmp/fazhi-bench-XXXXXX)
log_level=${FAZHI_BENCH_LOG_LEVEL:-info}
export FAZHI_ACTOR=bench work

source scripts/bench-lib.sh
trap 'bench_stop; rm -rf "$work"' EXIT
declare -A target
start_set() {  # A or B: the four services, each with its own SQLite file
  local s=$1 service
  for service in study duty report; do
    bench_start "$s-$service" "${bin[$s]}/fazhi-$service" --http_listen= --db="sqlite:$work/$s-$service.db"
    target[$s.$service]=${bench_target[$s-$service]}
  done
  local backends=(--http_listen= --study_target="${target[$s.study]}"
    --duty_target="${target[$s.duty]}" --report_target="${target[$s.report]}")
  bench_start "$s-gateway" "${bin[$s]}/fazhi-gateway" "${backends[@]}"
  target[$s.gateway]=${bench_target[$s-gateway]}
  # A build from before held answers holds none anyway, and lacks the flag.
  local none=()
  if [[ "$("${bin[$s]}/fazhi-gateway" --helpfull 2>&1 || true)" == *answer_cache_mib* ]]; then
    none=(--answer_cache_mib=0)
  fi
  bench_start "$s-gateway0" "${bin[$s]}/fazhi-gateway" "${backends[@]}" "${none[@]}"
  target[$s.gateway0]=${bench_target[$s-gateway0]}
  for service in study duty report gateway gateway0; do bench_ready "$s-$service" 30; done
}
use_set() {  # the set the fazhi CLI talks to
  export FAZHI_STUDY_TARGET=${target[$1.study]} FAZHI_DUTY_TARGET=${target[$1.duty]} \
    FAZHI_REPORT_TARGET=${target[$1.report]} FAZHI_GATEWAY_TARGET=${target[$1.gateway]}
}

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

rows() {  # what a set's stores hold, counted from its SQLite files
  /usr/bin/python3 - "$work" "$1" <<'PY'
import sqlite3, sys
def count(service, table):
    c = sqlite3.connect(f"file:{sys.argv[1]}/{sys.argv[2]}-{service}.db?mode=ro", uri=True)
    n = c.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    c.close()
    return f"{n} {table}"
print(f"   set {sys.argv[2]} holds:", ", ".join([count("report", "organizations"),
      count("report", "reports"), count("study", "sessions"), count("duty", "powers"),
      count("duty", "officers"), count("duty", "assignments")]))
PY
}
pids() {  # a set's processes for their CPU time per call: NAME:PID,…
  local s=$1 service out=()
  for service in gateway gateway0 study duty report; do out+=("$service:${bench_pid[$s-$service]}"); done
  (IFS=,; echo "${out[*]}")
}
bench() {  # label of B, label of A
  build/bin/fazhi-compose-bench --org=lushan-minzheng --year=2024 \
    --pids="$(pids B)" --compare_pids="$(pids A)" \
    --gateway="${target[B.gateway]}" --study="${target[B.study]}" --duty="${target[B.duty]}" \
    --report="${target[B.report]}" --gateway_holding_none="${target[B.gateway0]}" --label="$1" \
    --compare="${target[A.gateway]},${target[A.study]},${target[A.duty]},${target[A.report]},${target[A.gateway0]}" \
    --compare_label="$2" "${args[@]}"
}

start_set A
start_set B
for s in A B; do
  use_set $s
  load_org lushan-minzheng "$demo"
done

if [ -n "$baseline_bin" ]; then
  echo "== this build (B) against the baseline build in $baseline_bin (A), the demo organization only"
  bench "this build" "baseline"
else
  echo "== baseline: A and B both hold only the demo organization"
  bench "B" "A"
fi
rows A
rows B
[ "$others" -gt 0 ] || exit 0

echo
echo "== loading $others other organizations' records into B …"
/usr/bin/python3 tests/bench/make_orgs.py "$demo" "$work/orgs" "$others"
use_set B
started=$(date +%s)
ls "$work/orgs" | xargs -P "${FAZHI_BENCH_LOAD_JOBS:-4}" -I{} bash -c 'load_org "$1" "$work/orgs/$1"' _ {}
echo "   loaded in $(( $(date +%s) - started )) s"
rows B

echo
echo "== B with $others other organizations against A with the demo only"
bench "B with $others others" "A alone"
