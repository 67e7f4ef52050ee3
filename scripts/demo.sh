#!/usr/bin/env bash
# The main job: build, start the four services on their embedded SQLite
# stores, load the demo county civil-affairs bureau's 2024 records through
# the RPCs, allocate its enforcement duties, and write its annual
# rule-of-law report as DOCX, HTML, Markdown and text.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh

demo=deploy/demo/lushan-minzheng
var=var/demo
out=${FAZHI_DEMO_OUT:-out}
rm -rf "$var" && mkdir -p "$var" "$out"

export FAZHI_STUDY_TARGET=127.0.0.1:${FAZHI_DEMO_STUDY_PORT:-7101}
export FAZHI_DUTY_TARGET=127.0.0.1:${FAZHI_DEMO_DUTY_PORT:-7102}
export FAZHI_REPORT_TARGET=127.0.0.1:${FAZHI_DEMO_REPORT_PORT:-7103}
export FAZHI_GATEWAY_TARGET=127.0.0.1:${FAZHI_DEMO_GATEWAY_PORT:-7100}
export FAZHI_ACTOR=demo

# Credentials: a keys file with one admin caller; its key is shown once,
# kept in $var/admin.key (mode 600) and used by every command below.
# Plaintext is allowed because everything listens on loopback only.
umask 077
export FAZHI_KEYS_FILE=$var/keys.json
build/bin/fazhi keys create --caller=demo-admin --roles='admin:*' >"$var/admin.key"
# For the web page: a reader and an approver of the bureau, and the county
# rule-of-law office that supervises both demo departments.
build/bin/fazhi keys create --caller=minzheng-reader --roles='reader:lushan-minzheng' >"$var/reader.key"
build/bin/fazhi keys create --caller=minzheng-approver --roles='approver:lushan-minzheng' >"$var/approver.key"
build/bin/fazhi keys create --caller=county-office \
  --roles='supervisor:lushan-yifazhixian,lushan-minzheng,lushan-shijianju' >"$var/office.key"
# The gateway's own caller: the report service takes published documents
# only from it (a delegate, acting on the approver's behalf).
build/bin/fazhi keys create --caller=fazhi-gateway --roles='reader:*' --delegate >"$var/gateway.key"
export FAZHI_API_KEY_FILE=$var/admin.key
umask 022
secure=(--keys_file="$FAZHI_KEYS_FILE" --allow_plaintext)

pids=()
stop() { kill -TERM "${pids[@]}" 2>/dev/null || true; wait "${pids[@]}" 2>/dev/null || true; }
trap stop EXIT
start() {  # name, target, extra flags…
  local name=$1 target=$2
  shift 2
  build/bin/fazhi-$name --listen="$target" --http_listen= "${secure[@]}" "$@" 2>"$var/$name.log" &
  pids+=($!)
}
start study "$FAZHI_STUDY_TARGET" --db="sqlite:$var/study.db"
start duty "$FAZHI_DUTY_TARGET" --db="sqlite:$var/duty.db"
start report "$FAZHI_REPORT_TARGET" --db="sqlite:$var/report.db"
build/bin/fazhi-gateway --listen="$FAZHI_GATEWAY_TARGET" --http_listen=127.0.0.1:${FAZHI_DEMO_HTTP_PORT:-8100} "${secure[@]}" \
  --study_target="$FAZHI_STUDY_TARGET" --duty_target="$FAZHI_DUTY_TARGET" \
  --report_target="$FAZHI_REPORT_TARGET" --gateway_key_file="$var/gateway.key" 2>"$var/gateway.log" &
pids+=($!)
for t in "$FAZHI_STUDY_TARGET" "$FAZHI_DUTY_TARGET" "$FAZHI_REPORT_TARGET" "$FAZHI_GATEWAY_TARGET"; do
  build/bin/fazhi wait-ready --target="$t" --timeout=30
done

echo "== 学法普法 (study)"
build/bin/fazhi study put-plan --org=lushan-minzheng --year=2024 --file="$demo/plan-2024.json"
build/bin/fazhi study import-sessions --org=lushan-minzheng --file="$demo/sessions.jsonl"
build/bin/fazhi study import-events --org=lushan-minzheng --file="$demo/events.jsonl"
echo "== 行政执法职责 (duty)"
build/bin/fazhi duty import-powers --org=lushan-minzheng --file="$demo/powers.jsonl"
build/bin/fazhi duty import-officers --org=lushan-minzheng --file="$demo/officers.jsonl"
build/bin/fazhi duty allocate --org=lushan-minzheng --as-of=2024-12-31 --commit | tail -n 3
echo "== 报告 (report)"
build/bin/fazhi report put-org --file="$demo/org.json"
build/bin/fazhi report put --org=lushan-minzheng --year=2024 --file="$demo/report-2024.json"
# The second department: its study records of 2023 and 2024 (同比 compares
# with the year before) and its draft report (the dashboard's overdue row).
build/bin/fazhi study import-sessions --org=lushan-shijianju --file=deploy/demo/lushan-shijianju/sessions.jsonl
build/bin/fazhi study import-events --org=lushan-shijianju --file=deploy/demo/lushan-shijianju/events.jsonl
build/bin/fazhi report put-org --file=deploy/demo/lushan-shijianju/org.json
build/bin/fazhi report put --org=lushan-shijianju --year=2024 --file=deploy/demo/lushan-shijianju/report-2024.json
echo
echo "== 年度报告 (gateway)"
build/bin/fazhi compose --org=lushan-minzheng --year=2024 --formats=docx,html,md,txt --out="$out"
echo
echo "Open $out/lushan-minzheng-2024.docx (or .html, .md, .txt). While it runs the gateway"
echo "also serves http://127.0.0.1:${FAZHI_DEMO_HTTP_PORT:-8100}/orgs/lushan-minzheng/reports/2024.docx"
echo "to callers sending \"Authorization: Bearer \$(cat $var/admin.key)\"."
echo "Logs and databases: $var/"
if [ "${FAZHI_DEMO_SERVE:-}" = 1 ]; then
  echo
  echo "Web page: http://127.0.0.1:${FAZHI_DEMO_HTTP_PORT:-8100}/ — sign in with the key in"
  echo "$var/reader.key, approver.key, office.key or admin.key. Ctrl-C stops the services."
  wait
fi
