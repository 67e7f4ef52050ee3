#!/usr/bin/env bash
# The province-scale benchmarks, each a ratio measured in this one run:
#
#   load      fazhi-generate loads the province (default 2,000 organizations
#             × 5 years: 1,000,000 study sessions with attendance, 120,000
#             publicity events, 100,000 powers, 40,000 officers, their
#             allocation, 2,000 organizations with 10,000 reports) through the
#             public RPCs; its time and rows/s
#   plans     the query plans of the statements composing a report, the List
#             pages, the dashboard and the import run (fazhi-query-plans)
#   compose   ComposeReport for one organization at province scale against
#             the same organization alone in an otherwise empty set of
#             services, calls interleaved (fazhi-compose-bench); first two
#             sets that both hold it alone, to show the machine's noise
#   import    the ImportSessions RPC against the database's own fastest load
#             of the same rows (SQLite: one transaction of prepared INSERTs;
#             PostgreSQL: COPY), into an empty study service
#   list      ListSessions: a page at the end of the million rows the import
#             left in one organization against the first page
#   memory    peak resident memory (VmHWM) of every service
#
#   bash scripts/bench-province.sh [--db=sqlite|postgres] [--orgs=2000] [--years=5]
#       [--import_rows=1000000] [--rounds=300] [--jobs=2] [--keep]
#
# --db=postgres runs everything on a throwaway PostgreSQL cluster
# (scripts/with-postgres.sh). --keep leaves the work folder (databases and
# logs) in place. Figures go to stdout and to the work folder's *.json.
set -euo pipefail
cd "$(dirname "$0")/.."

db=sqlite orgs=2000 years=5 import_rows=1000000 rounds=300 jobs=2 keep=0
for a in "$@"; do
  case "$a" in
    --db=*) db="${a#--db=}" ;;
    --orgs=*) orgs="${a#--orgs=}" ;;
    --years=*) years="${a#--years=}" ;;
    --import_rows=*) import_rows="${a#--import_rows=}" ;;
    --rounds=*) rounds="${a#--rounds=}" ;;
    --jobs=*) jobs="${a#--jobs=}" ;;
    --keep) keep=1 ;;
    *) echo "bench-province: unknown argument $a" >&2; exit 2 ;;
  esac
done
case "$db" in
  sqlite) ;;
  postgres)
    if [ -z "${FAZHI_TEST_POSTGRES_URL:-}" ]; then
      exec bash scripts/with-postgres.sh bash "$0" "$@"
    fi ;;
  *) echo "bench-province: --db is sqlite or postgres" >&2; exit 2 ;;
esac

bash scripts/build.sh >/dev/null
work=$(mktemp -d -t fazhi-province-XXXXXX)
log_level=${FAZHI_BENCH_LOG_LEVEL:-info}
last_year=2024
org=c001-minzheng           # organization 1 of the generator
supervisor=c001-yifazhi
run_started=$(date +%s)
echo "bench-province: --db=$db --orgs=$orgs --years=$years --import_rows=$import_rows; work folder $work"

source scripts/bench-lib.sh
declare -A url
stop() {
  bench_stop
  if [ "$keep" = 1 ]; then echo "bench-province: kept $work"; else rm -rf "$work"; fi
}
trap stop EXIT

# The database URL of a set's service: a SQLite file, or a new database in
# the throwaway cluster.
db_url() {  # set, service
  local name="${1,,}_$2"  # PostgreSQL folds names to lower case
  if [ "$db" = sqlite ]; then
    echo "sqlite:$work/$name.db"
  else
    psql -q -v ON_ERROR_STOP=1 "$FAZHI_TEST_POSTGRES_URL" -c "CREATE DATABASE $name" >/dev/null
    echo "${FAZHI_TEST_POSTGRES_URL%/*}/$name"
  fi
}

# The database fazhi-query-plans reads for a set's service. Its import is a
# write (rolled back), and one process writes a SQLite file, so on SQLite it
# gets a copy of the running service's file (the sqlite3 backup API: a
# consistent copy, the same rows and indexes, so the same plans).
plans_url() {  # set_service key
  if [ "$db" = sqlite ]; then
    local copy="$work/plans_$1.db"
    rm -f "$copy"
    /usr/bin/python3 -c 'import sqlite3, sys
src, dst = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
src.backup(dst)
dst.close()
src.close()' "${url[$1]#sqlite:}" "$copy"
    echo "sqlite:$copy"
  else
    echo "${url[$1]}"
  fi
}

start_service() {  # set, service
  local key="$1_$2"
  url[$key]=$(db_url "$1" "$2")
  bench_start "$key" "build/bin/fazhi-$2" --http_listen= --db="${url[$key]}"
  bench_ready "$key"
}
start_set() {  # set: study, duty, report and a gateway over them
  local s=$1
  for service in study duty report; do start_service "$s" "$service"; done
  bench_start "${s}_gateway" build/bin/fazhi-gateway --http_listen= \
    --study_target="${bench_target[${s}_study]}" --duty_target="${bench_target[${s}_duty]}" \
    --report_target="${bench_target[${s}_report]}"
  bench_ready "${s}_gateway"
}
generate() {  # set, fazhi-generate flags…
  local s=$1
  shift
  build/bin/fazhi-generate --study_target="${bench_target[${s}_study]}" --duty_target="${bench_target[${s}_duty]}" \
    --report_target="${bench_target[${s}_report]}" --last_year=$last_year --jobs="$jobs" "$@"
}
hwm() {  # key → peak resident memory in MB
  awk '/^VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/${bench_pid[$1]}/status"
}
rss() {
  awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/${bench_pid[$1]}/status"
}
memory() {  # label, keys…
  local label=$1
  shift
  echo "-- peak resident memory (VmHWM; VmRSS now) $label"
  for k in "$@"; do printf "   %-16s %6s MB  (%s MB)\n" "$k" "$(hwm "$k")" "$(rss "$k")"; done
}
elapsed() { echo "$(( $(date +%s) - $1 ))"; }

echo
echo "== start: sets P (province), E and F (organization $org alone), I (study only, for import and list)"
for s in P E F; do start_set $s; done
start_service I study
for s in E F; do generate $s --orgs=1 --years="$years" >"$work/load-$s.txt"; done

echo
echo "== load: $orgs organizations × $years years into P through the public RPCs (progress on stderr)"
started=$(date +%s)
generate P --orgs="$orgs" --years="$years" --json_out="$work/load.json" | tee "$work/load-P.txt"
echo "   load took $(elapsed "$started") s"
memory "after the load" P_study P_duty P_report P_gateway
if [ "$db" = postgres ]; then
  # Fresh statistics, as autovacuum would gather after such a load.
  started=$(date +%s)
  for service in study duty report; do psql -q "${url[P_$service]}" -c "VACUUM ANALYZE" >/dev/null; done
  echo "   VACUUM ANALYZE of P's databases took $(elapsed "$started") s"
fi
if [ "$db" = sqlite ]; then
  du -m "$work"/p_*.db* | awk '{ s += $1 } END { printf "   P SQLite files: %d MB\n", s }'
fi

echo
echo "== plans: statements of $org's $last_year at province scale"
build/bin/fazhi-query-plans --study_db="$(plans_url P_study)" --duty_db="$(plans_url P_duty)" \
  --report_db="$(plans_url P_report)" --org="$org" --supervisor="$supervisor" --year=$last_year | tee "$work/plans.txt"

compose() {  # measured set, label, compared set, label
  build/bin/fazhi-compose-bench --org="$org" --year=$last_year --rounds="$rounds" \
    --gateway="${bench_target[$1_gateway]}" --study="${bench_target[$1_study]}" --duty="${bench_target[$1_duty]}" \
    --report="${bench_target[$1_report]}" --label="$2" \
    --compare="${bench_target[$3_gateway]},${bench_target[$3_study]},${bench_target[$3_duty]},${bench_target[$3_report]}" \
    --compare_label="$4" --json_out="$work/compose-$1$3.json"
}
echo
echo "== compose, baseline: F and E both hold $org alone"
compose F "F alone" E "E alone"
echo
echo "== compose: P (the province) against E ($org alone)"
compose P "P province" E "E alone"
memory "after composing" P_study P_duty P_report P_gateway

echo
echo "== import and list, on I (an empty study service)"
build/bin/fazhi-province-bench --mode=import --target="${bench_target[I_study]}" --service_db="${url[I_study]}" \
  --native_db="$(db_url N study)" --rows="$import_rows" --streams="$jobs" --json_out="$work/import.json"
build/bin/fazhi-province-bench --mode=list --target="${bench_target[I_study]}" --list_org="$org" \
  --rounds="$rounds" --json_out="$work/list.json"
echo "-- the List statements on that organization's $import_rows sessions"
build/bin/fazhi-query-plans --study_db="$(plans_url I_study)" --org="$org" --year=$last_year \
  | sed -n '/ListSessions/,/ListPublicityEvents/p' | sed '$d'

echo
memory "at the end" P_study P_duty P_report P_gateway E_study E_duty E_report E_gateway I_study
echo "bench-province: whole run $(elapsed "$run_started") s"
