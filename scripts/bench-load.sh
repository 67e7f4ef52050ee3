#!/usr/bin/env bash
# Unary read throughput of the study service (GetSession through the SQLite
# store) against the bare echo service with the same server runtime, in one
# run. The ratio is the figure. Extra arguments go to both fazhi-loadgen runs
# (e.g. --duration=20s --inflight=128).
#
#   bash scripts/bench-load.sh [--db=postgresql://…] [loadgen flags]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh >/dev/null

db=""
args=()
for a in "$@"; do
  case "$a" in --db=*) db="${a#--db=}" ;; *) args+=("$a") ;; esac
done
work=$(mktemp -d /tmp/fazhi-bench-XXXXXX)
[ -n "$db" ] || db="sqlite:$work/study.db"
log_level=${FAZHI_BENCH_LOG_LEVEL:-info}

build/bin/fazhi-study --listen=127.0.0.1:0 --insecure_dev_mode --allow_plaintext --db="$db" --log_level="$log_level" 2>"$work/study.log" &
study=$!
build/bin/fazhi-echo --listen=127.0.0.1:0 --insecure_dev_mode --allow_plaintext --log_level="$log_level" 2>"$work/echo.log" &
echo_pid=$!
trap 'kill $study $echo_pid 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT

port_of() {  # the port a server printed in its "listening on … (port N)" line
  for _ in $(seq 100); do
    p=$(grep -o '(port [0-9]*)' "$1" | head -n1 | tr -dc '0-9' || true)
    [ -n "$p" ] && { echo "$p"; return; }
    sleep 0.1
  done
  echo "no port in $1" >&2; exit 1
}
study_port=$(port_of "$work/study.log")
echo_port=$(port_of "$work/echo.log")
build/bin/fazhi wait-ready --target=127.0.0.1:$study_port >/dev/null 2>&1
build/bin/fazhi wait-ready --target=127.0.0.1:$echo_port >/dev/null 2>&1

s=$(build/bin/fazhi-loadgen --target=127.0.0.1:$study_port --method=study.GetSession \
      --label="study GetSession" "${args[@]}")
e=$(build/bin/fazhi-loadgen --target=127.0.0.1:$echo_port --method=echo \
      --label="bare echo" "${args[@]}")
echo "$s"
echo "$e"
/usr/bin/python3 - "$s" "$e" <<'PY'
import re, sys
rate = lambda line: float(re.search(r"= (\d+) calls/s", line).group(1))
print(f"ratio study/echo throughput: {rate(sys.argv[1]) / rate(sys.argv[2]):.2f}")
PY
