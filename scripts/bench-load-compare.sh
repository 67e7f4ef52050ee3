#!/usr/bin/env bash
# Two builds' fazhi-study (GetSession) and fazhi-echo under the same load,
# in one run: all four servers run at once, and fazhi-loadgen takes them in
# turn, round after round, in a rotating order, so a busy machine slows
# every series alike. Prints each series' median throughput and server CPU
# per call (from /proc/PID/stat), the ratio study/echo of each build, and
# new/old of each binary, as medians of per-round ratios. --writers=N: while
# a study server's reads are measured, N more calls in flight write to it
# (study CreateSession), to see reads beside slow writes.
#
#   git worktree add ../old <commit> && (cd ../old && bash scripts/build.sh)
#   bash scripts/bench-load-compare.sh ../old/build/bin [build/bin] [--rounds=8] [--seconds=4]
#     [--writers=N]
set -euo pipefail
cd "$(dirname "$0")/.."

old="" new=build/bin rounds=8 seconds=4 writers=0
for a in "$@"; do
  case "$a" in
    --rounds=*) rounds="${a#--rounds=}" ;;
    --seconds=*) seconds="${a#--seconds=}" ;;
    --writers=*) writers="${a#--writers=}" ;;
    -*) echo "bench-load-compare: unknown flag $a" >&2; exit 2 ;;
    *) if [ -z "$old" ]; then old="$a"; else new="$a"; fi ;;
  esac
done
[ -n "$old" ] || { echo "usage: bench-load-compare.sh OLD_BIN_DIR [NEW_BIN_DIR] [--rounds=N] [--seconds=S]" >&2; exit 2; }
bash scripts/build.sh >/dev/null
work=$(mktemp -d -t fazhi-bench-XXXXXX)
log_level=${FAZHI_BENCH_LOG_LEVEL:-info}

source scripts/bench-lib.sh
trap 'bench_stop; rm -rf "$work"' EXIT
declare -A method
names=()
start() {  # name, binary, extra flags…
  bench_start "$@"
  names+=("$1")
}
start study-old "$old/fazhi-study" --http_listen= --db="sqlite:$work/old.db"
start study-new "$new/fazhi-study" --http_listen= --db="sqlite:$work/new.db"
start echo-old "$old/fazhi-echo"
start echo-new "$new/fazhi-echo"
for name in "${names[@]}"; do
  case $name in study*) method[$name]=study.GetSession ;; *) method[$name]=echo ;; esac
  bench_ready "$name" 30
done

echo "== ${#names[@]} servers, $rounds rounds of $seconds s each (after 1 s warm-up); old: $old, new: $new" \
  "$([ "$writers" -eq 0 ] || echo "; $writers writes in flight beside study's reads")"
for r in $(seq "$rounds"); do
  for k in $(seq 0 $(( ${#names[@]} - 1 ))); do
    name=${names[$(( (k + r) % ${#names[@]} ))]}
    if [ "$writers" -gt 0 ] && [ "${method[$name]}" = study.GetSession ]; then
      build/bin/fazhi-loadgen --target=${bench_target[$name]} --method=study.CreateSession \
        --inflight="$writers" --channels=1 --warmup=0s --duration="$(( seconds + 2 ))s" \
        >"$work/writes" &
    fi
    (sleep 1; bench_cpu_ticks "${bench_pid[$name]}" >"$work/ticks") &
    line=$(build/bin/fazhi-loadgen --target=${bench_target[$name]} --method=${method[$name]} \
      --label="$name" --warmup=1s --duration="${seconds}s")
    end=$(bench_cpu_ticks "${bench_pid[$name]}")
    wait
    echo "$r $name $(( end - $(cat "$work/ticks") )) $line"
  done
done | /usr/bin/python3 -c '
import collections, re, statistics, sys
tick = 1e6 / int(sys.argv[1])
rate, cpu, per_round = collections.defaultdict(list), collections.defaultdict(list), collections.defaultdict(dict)
p99 = collections.defaultdict(list)
for line in sys.stdin:
    r, name, ticks, rest = line.split(" ", 3)
    calls = int(re.search(r": (\d+) calls in", rest).group(1))
    rate[name].append(float(re.search(r"= (\d+) calls/s", rest).group(1)))
    cpu[name].append(int(ticks) * tick / max(1, calls))
    p99[name].append(int(re.search(r"p99 (\d+) us", rest).group(1)))
    per_round[r][name] = rate[name][-1]
for name in sorted(rate):
    print(f"   {name:10s} {statistics.median(rate[name]):8.0f} calls/s   server CPU {statistics.median(cpu[name]):6.1f} us/call"
          f"   p99 {statistics.median(p99[name]):6.0f} us")
def ratio(a, b):
    return statistics.median([v[a] / v[b] for v in per_round.values()])
for build in ("old", "new"):
    study, echo = "study-" + build, "echo-" + build
    print(f"   {build}: study/echo throughput {ratio(study, echo):.2f}, "
          f"echo/study CPU per call {statistics.median(cpu[echo]) / statistics.median(cpu[study]):.2f}")
for kind in ("study", "echo"):
    new, old = kind + "-new", kind + "-old"
    print(f"   {kind}: new/old throughput {ratio(new, old):.2f}, "
          f"CPU per call {statistics.median(cpu[new]) / statistics.median(cpu[old]):.2f}")
' "$(getconf CLK_TCK)"
