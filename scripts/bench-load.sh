#!/usr/bin/env bash
# Unary read throughput of the study service (GetSession through the SQLite
# store) against the bare echo service with the same server runtime, in one
# run. The ratio is the figure. Each server's CPU time per call (from
# /proc/PID/stat over the measured part) is printed too: it moves much less
# than throughput when other work shares the machine. Extra arguments go to
# both fazhi-loadgen runs (e.g. --duration=20s --inflight=128).
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

source scripts/bench-lib.sh
trap 'bench_stop; rm -rf "$work"' EXIT
bench_start study build/bin/fazhi-study --http_listen= --db="$db"
bench_start echo build/bin/fazhi-echo
bench_ready study
bench_ready echo
study=${bench_pid[study]}
echo_pid=${bench_pid[echo]}

warmup=2
for a in "${args[@]}"; do
  case "$a" in --warmup=*s) warmup="${a#--warmup=}"; warmup="${warmup%s}" ;; esac
done
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# Runs fazhi-loadgen against a server and prints its line and the server's
# CPU ticks over the measured part (after the warm-up).
measure() {  # pid, loadgen flags…
  local pid=$1
  shift
  (sleep "$warmup"; cpu_ticks "$pid" >"$work/ticks") &
  local line
  line=$(build/bin/fazhi-loadgen "$@" "${args[@]}")
  local end
  end=$(cpu_ticks "$pid")
  wait
  echo "$line|$(( end - $(cat "$work/ticks") ))"
}
s=$(measure $study --target=${bench_target[study]} --method=study.GetSession --label="study GetSession")
e=$(measure $echo_pid --target=${bench_target[echo]} --method=echo --label="bare echo")
echo "${s%|*}"
echo "${e%|*}"
/usr/bin/python3 - "$s" "$e" "$(getconf CLK_TCK)" <<'PY'
import re, sys
def parse(arg):
    line, ticks = arg.rsplit("|", 1)
    calls = int(re.search(r": (\d+) calls in", line).group(1))
    rate = float(re.search(r"= (\d+) calls/s", line).group(1))
    return rate, int(ticks) / float(sys.argv[3]) * 1e6 / max(1, calls)
(s_rate, s_cpu), (e_rate, e_cpu) = parse(sys.argv[1]), parse(sys.argv[2])
print(f"server CPU per call: study {s_cpu:.0f} us, echo {e_cpu:.0f} us")
print(f"ratio study/echo throughput: {s_rate / e_rate:.2f}; echo/study CPU per call: {e_cpu / s_cpu:.2f}")
PY
