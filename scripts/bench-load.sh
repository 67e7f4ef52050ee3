#!/usr/bin/env bash
# Unary read throughput of the study service (GetSession through the SQLite
# store) against two baselines, in the same rounds:
#   echo       the bare echo service on the project's server runtime
#              (fazhi-echo: CallHandler, metrics, log line; no store)
#   grpc-echo  a bare echo on gRPC's own callback API (fazhi-grpc-echo: none
#              of the project's runtime, no store, no authentication)
#   grpc-study study's GetSession the same bare way (fazhi-grpc-echo's
#              study service: the same answer, kept in memory), so
#              grpc-study/grpc-echo is what the answer's shape alone costs and
#              study/grpc-study what the project's runtime and store cost
#   grpc-sqlite the same bare GetSession read through SQLite (fazhi-grpc-echo
#              --sqlite: the answer in one column, one prepared statement per
#              thread, a read transaction begun and ended for each call), so
#              grpc-sqlite/echo is what a bare service reading SQLite for each
#              call reaches here, and study/grpc-sqlite what the project's
#              runtime and store make of such a read (its kept snapshots save
#              the transaction, so it can pass 1)
# fazhi-loadgen takes the five servers in turn, round after round in a
# rotating order, so a busy machine slows each alike. Each round prints
# every server's throughput and CPU time per call (from /proc/PID/stat over
# the measured part; it moves much less than throughput when other work
# shares the machine) with the load average; the summary gives each ratio's
# median and range over the rounds. Extra arguments go to every
# fazhi-loadgen run (e.g. --duration=20s --inflight=128).
#
#   bash scripts/bench-load.sh [--rounds=3] [--db=postgresql://…] [loadgen flags]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh >/dev/null

db="" rounds=3
args=()
for a in "$@"; do
  case "$a" in
    --db=*) db="${a#--db=}" ;;
    --rounds=*) rounds="${a#--rounds=}" ;;
    *) args+=("$a") ;;
  esac
done
work=$(mktemp -d /tmp/fazhi-bench-XXXXXX)
[ -n "$db" ] || db="sqlite:$work/study.db"
log_level=${FAZHI_BENCH_LOG_LEVEL:-info}

source scripts/bench-lib.sh
trap 'bench_stop; rm -rf "$work"' EXIT
bench_start study build/bin/fazhi-study --http_listen= --db="$db"
bench_start echo build/bin/fazhi-echo
bench_start_bare grpc-echo build/bin/fazhi-grpc-echo --api=callback
bench_start_bare grpc-study build/bin/fazhi-grpc-echo --api=callback
bench_start_bare grpc-sqlite build/bin/fazhi-grpc-echo --api=callback --sqlite="$work/bare.db"
names=(study echo grpc-echo grpc-study grpc-sqlite)
bench_method=([study]=study.GetSession [echo]=echo [grpc-echo]=echo
  [grpc-study]=study.GetSession [grpc-sqlite]=study.GetSession)
for name in "${names[@]}"; do bench_ready "$name"; done

echo "== study GetSession, fazhi echo, bare gRPC echo, bare gRPC GetSession from memory and from SQLite: $rounds rounds, ${args[*]:-loadgen defaults}"
bench_rotate "$rounds" "${names[@]}" -- "${args[@]}" | /usr/bin/python3 -c '
import collections, re, statistics, sys
tick = 1e6 / int(sys.argv[1])
NAMES = tuple(sys.argv[2].split())  # the servers, in the order of names above
rate, cpu, load = collections.defaultdict(dict), collections.defaultdict(dict), {}
for line in sys.stdin:
    r, name, ticks, loadavg, rest = line.split(" ", 4)
    calls = int(re.search(r": (\d+) calls in", rest).group(1))
    rate[r][name] = float(re.search(r"= (\d+) calls/s", rest).group(1))
    cpu[r][name] = int(ticks) * tick / max(1, calls)
    load[r] = max(load.get(r, 0.0), float(loadavg))
    if len(rate[r]) == len(NAMES):
        print(f"   round {r} (load average {load[r]:.1f}): " + "; ".join(
            f"{n} {rate[r][n]:.0f} calls/s, {cpu[r][n]:.1f} us CPU/call"
            for n in NAMES), flush=True)
def spread(values):
    return f"{statistics.median(values):.2f} ({min(values):.2f}-{max(values):.2f})"
rounds = [r for r in rate if len(rate[r]) == len(NAMES)]
S, E, G, B, Q = NAMES
def ratio(table, a, b):
    return spread([table[r][a] / table[r][b] for r in rounds])
print(f"   throughput study/echo {ratio(rate, S, E)}, "
      f"study/grpc-echo {ratio(rate, S, G)}")
print(f"   throughput grpc-study/grpc-echo {ratio(rate, B, G)} (the answer), "
      f"study/grpc-study {ratio(rate, S, B)} (runtime and store)")
print(f"   throughput grpc-sqlite/echo {ratio(rate, Q, E)}, grpc-sqlite/grpc-echo "
      f"{ratio(rate, Q, G)} (a bare SQLite read), study/grpc-sqlite {ratio(rate, S, Q)}")
print(f"   CPU per call echo/study {ratio(cpu, E, S)}, "
      f"grpc-echo/study {ratio(cpu, G, S)}, grpc-study/study {ratio(cpu, B, S)}, "
      f"grpc-sqlite/study {ratio(cpu, Q, S)}")
print(f"   load average {min(load.values()):.1f}-{max(load.values()):.1f}; "
      "median (lowest-highest) over the rounds")
' "$(getconf CLK_TCK)" "${names[*]}"
