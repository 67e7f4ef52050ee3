#!/usr/bin/env bash
# The main job: build, start the study service on its embedded SQLite
# store, load the demo county civil-affairs bureau's 2024 records through
# the RPCs, and print that year's study summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh

demo=deploy/demo/lushan-minzheng
var=var/demo
rm -rf "$var" && mkdir -p "$var"
port=${FAZHI_DEMO_STUDY_PORT:-7101}
target=127.0.0.1:$port
export FAZHI_STUDY_TARGET=$target

build/bin/fazhi-study --listen="$target" --db="sqlite:$var/study.db" 2>"$var/study.log" &
study_pid=$!
trap 'kill -TERM $study_pid 2>/dev/null; wait $study_pid 2>/dev/null || true' EXIT

build/bin/fazhi wait-ready --timeout=30
build/bin/fazhi study put-plan --org=lushan-minzheng --year=2024 --file="$demo/plan-2024.json"
build/bin/fazhi study import-sessions --org=lushan-minzheng --file="$demo/sessions.jsonl"
build/bin/fazhi study import-events --org=lushan-minzheng --file="$demo/events.jsonl"
echo
build/bin/fazhi study summary --org=lushan-minzheng --year=2024
echo
echo "Study service log: $var/study.log; database: $var/study.db"

# --- report service (fazhi-report) ------------------------------------------
# Starts the report service on its own SQLite store, loads the bureau and its
# 2024 report narrative, and prints the report's status.
report_target=127.0.0.1:${FAZHI_DEMO_REPORT_PORT:-7103}
export FAZHI_REPORT_TARGET=$report_target
build/bin/fazhi-report --listen="$report_target" --db="sqlite:$var/report.db" 2>"$var/report.log" &
report_pid=$!
trap 'kill -TERM $study_pid $report_pid 2>/dev/null; wait $study_pid $report_pid 2>/dev/null || true' EXIT

build/bin/fazhi wait-ready --target="$report_target" --timeout=30
build/bin/fazhi report put-org --file="$demo/org.json" --actor=demo
build/bin/fazhi report put --org=lushan-minzheng --year=2024 --file="$demo/report-2024.json" --actor=demo
echo
build/bin/fazhi report status --org=lushan-minzheng --year=2024
echo
echo "Report service log: $var/report.log; database: $var/report.db"
# --- end of the report service block -----------------------------------------
# --- duty service (fazhi-duty): powers, officers, allocation, coverage ---
duty_port=${FAZHI_DEMO_DUTY_PORT:-7102}
export FAZHI_DUTY_TARGET=127.0.0.1:$duty_port
build/bin/fazhi-duty --listen="$FAZHI_DUTY_TARGET" --db="sqlite:$var/duty.db" 2>"$var/duty.log" &
duty_pid=$!
trap 'kill -TERM $study_pid $report_pid $duty_pid 2>/dev/null; wait $study_pid $report_pid $duty_pid 2>/dev/null || true' EXIT

build/bin/fazhi wait-ready --target="$FAZHI_DUTY_TARGET" --timeout=30
build/bin/fazhi duty import-powers --org=lushan-minzheng --file="$demo/powers.jsonl"
build/bin/fazhi duty import-officers --org=lushan-minzheng --file="$demo/officers.jsonl"
echo
build/bin/fazhi duty allocate --org=lushan-minzheng --as-of=2024-12-31 --commit
echo
build/bin/fazhi duty coverage --org=lushan-minzheng --as-of=2024-12-31
echo
echo "Duty service log: $var/duty.log; database: $var/duty.db"
