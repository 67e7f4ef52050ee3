#!/usr/bin/env bash
# What a handler's own time costs a unary server's throughput on this
# machine: the bare gRPC echo (fazhi-grpc-echo, gRPC's callback API and
# nothing else) with each call spinning --work_us microseconds on the CPU
# before it answers, one server for each amount, measured the way
# bench-load.sh measures (fazhi-loadgen, 64 in flight, the servers in a
# rotating order round after round). For each amount: calls/s, its ratio to
# the echo that does no work in the same round, the server's CPU a call, and
# the whole machine's time a call (cores / calls a second: the server, the
# load generator and the kernel share the cores). Read a throughput goal
# against it: a ratio of 0.9 to an echo leaves a handler the extra time at
# which this curve crosses 0.9.
#
#   bash scripts/bench-handler-cost.sh [--rounds=3] [--work_us=0,2,4,6,8,10] [loadgen flags]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh >/dev/null

rounds=3 work_list=0,2,4,6,8,10
args=()
for a in "$@"; do
  case "$a" in
    --rounds=*) rounds="${a#--rounds=}" ;;
    --work_us=*) work_list="${a#--work_us=}" ;;
    *) args+=("$a") ;;
  esac
done
IFS=, read -r -a works <<<"$work_list"
[[ " ${works[*]} " == *" 0 "* ]] || works=(0 "${works[@]}")  # the ratios' divisor
work=$(mktemp -d /tmp/fazhi-bench-XXXXXX)
log_level=${FAZHI_BENCH_LOG_LEVEL:-info}

source scripts/bench-lib.sh
trap 'bench_stop; rm -rf "$work"' EXIT
names=()
for us in "${works[@]}"; do
  bench_start_bare "work-$us" build/bin/fazhi-grpc-echo --api=callback --work_us="$us"
  bench_method[work-$us]=echo
  names+=("work-$us")
done
for name in "${names[@]}"; do bench_ready "$name"; done

echo "== the bare gRPC echo spending ${works[*]} us a call, $rounds rounds, ${args[*]:-loadgen defaults}"
bench_rotate "$rounds" "${names[@]}" -- "${args[@]}" | /usr/bin/python3 -c '
import collections, re, statistics, sys
tick, cores, names = 1e6 / int(sys.argv[1]), int(sys.argv[2]), sys.argv[3].split()
rate, cpu, load = collections.defaultdict(dict), collections.defaultdict(dict), []
for line in sys.stdin:
    r, name, ticks, loadavg, rest = line.split(" ", 4)
    calls = int(re.search(r": (\d+) calls in", rest).group(1))
    rate[name][r] = float(re.search(r"= (\d+) calls/s", rest).group(1))
    cpu[name][r] = int(ticks) * tick / max(1, calls)
    load.append(float(loadavg))
def spread(values, digits):
    return (f"{statistics.median(values):.{digits}f} "
            f"({min(values):.{digits}f}-{max(values):.{digits}f})")
base = "work-0"
for name in names:
    rounds = sorted(rate[name])
    ratios = [rate[name][r] / rate[base][r] for r in rounds if r in rate[base]]
    print(f"   {name:8s} {spread(list(rate[name].values()), 0)} calls/s, "
          f"{spread(ratios, 2)} of work-0, "
          f"server CPU {statistics.median(cpu[name].values()):.1f} us a call, machine "
          f"{statistics.median(cores * 1e6 / v for v in rate[name].values()):.1f} us a call")
print(f"   load average {min(load):.1f}-{max(load):.1f}; median (lowest-highest) over the rounds")
' "$(getconf CLK_TCK)" "$(nproc)" "${names[*]}"
