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

# --- duty service (fazhi-duty): powers, officers, allocation, coverage ---
duty_port=${FAZHI_DEMO_DUTY_PORT:-7102}
export FAZHI_DUTY_TARGET=127.0.0.1:$duty_port
build/bin/fazhi-duty --listen="$FAZHI_DUTY_TARGET" --db="sqlite:$var/duty.db" 2>"$var/duty.log" &
duty_pid=$!
trap 'kill -TERM $study_pid $duty_pid 2>/dev/null; wait $study_pid $duty_pid 2>/dev/null || true' EXIT

build/bin/fazhi wait-ready --target="$FAZHI_DUTY_TARGET" --timeout=30
build/bin/fazhi duty import-powers --org=lushan-minzheng --file="$demo/powers.jsonl"
build/bin/fazhi duty import-officers --org=lushan-minzheng --file="$demo/officers.jsonl"
echo
build/bin/fazhi duty allocate --org=lushan-minzheng --as-of=2024-12-31 --commit
echo
build/bin/fazhi duty coverage --org=lushan-minzheng --as-of=2024-12-31
echo
echo "Duty service log: $var/duty.log; database: $var/duty.db"
