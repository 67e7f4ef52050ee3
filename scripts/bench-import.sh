#!/usr/bin/env bash
# ImportSessions into SQLite against SQLite's own load of the same rows
# (fazhi-province-bench --mode=import), several rounds, each on a fresh
# study service and fresh database files: the ratio of one run moves with
# the machine as much as with the build, so this prints every round and the
# median and range. With --baseline_bin=DIR the rounds alternate between
# DIR's fazhi-study (another build's bin/) and this build's, and the summary
# gives both. Each round also shows the study service's CPU per imported row
# (/proc/PID/stat) and the bytes it wrote (/proc/PID/io: WAL and
# checkpoints), which tell the builds apart more steadily than rows/s.
#
#   bash scripts/bench-import.sh [--rounds=5] [--rows=100000] [--streams=2]
#       [--baseline_bin=DIR]
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=5 rows=100000 streams=2 baseline_bin=""
for a in "$@"; do
  case "$a" in
    --rounds=*) rounds="${a#--rounds=}" ;;
    --rows=*) rows="${a#--rows=}" ;;
    --streams=*) streams="${a#--streams=}" ;;
    --baseline_bin=*) baseline_bin="${a#--baseline_bin=}" ;;
    *) echo "bench-import: unknown argument $a" >&2; exit 2 ;;
  esac
done
bash scripts/build.sh >/dev/null
work=$(mktemp -d -t fazhi-import-XXXXXX)
log_level=warn
source scripts/bench-lib.sh
trap 'bench_stop; rm -rf "$work"' EXIT

builds=("this build:build/bin")
[ -z "$baseline_bin" ] || builds+=("baseline:$baseline_bin")
echo "== ImportSessions / SQLite's own load: $rounds rounds of $rows rows over $streams streams"
for r in $(seq "$rounds"); do
  for k in $(seq 0 $(( ${#builds[@]} - 1 ))); do
    entry=${builds[$(( (k + r) % ${#builds[@]} ))]}
    label=${entry%%:*} bin=${entry#*:}
    dir="$work/r$r-$k"
    mkdir -p "$dir"
    bench_start "study-$r-$k" "$bin/fazhi-study" --http_listen= --db="sqlite:$dir/study.db"
    bench_ready "study-$r-$k"
    pid=${bench_pid[study-$r-$k]}
    ticks_before=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
    bytes_before=$(awk '/^write_bytes/ { print $2 }' "/proc/$pid/io")
    build/bin/fazhi-province-bench --mode=import --target="${bench_target[study-$r-$k]}" \
      --service_db="sqlite:$dir/study.db" --native_db="sqlite:$dir/native.db" --rows="$rows" \
      --streams="$streams" --json_out="$dir/result.json" >"$dir/bench.txt" 2>&1 \
      || { cat "$dir/bench.txt" >&2; exit 1; }
    ticks=$(( $(awk '{ print $14 + $15 }' "/proc/$pid/stat") - ticks_before ))
    bytes=$(( $(awk '/^write_bytes/ { print $2 }' "/proc/$pid/io") - bytes_before ))
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    echo "$r|$label|$ticks|$bytes|$(cut -d' ' -f1 /proc/loadavg)|$(tr -d '\n' <"$dir/result.json")"
    rm -f "$dir"/*.db*
  done
done | /usr/bin/python3 -c '
import collections, json, statistics, sys
tick_us = 1e6 / int(sys.argv[1])
by = collections.defaultdict(lambda: collections.defaultdict(list))
loads = []
for line in sys.stdin:
    r, label, ticks, written, load, result = line.rstrip("\n").split("|", 5)
    j = json.loads(result)
    cpu = int(ticks) * tick_us / j["rows"]
    mib = int(written) / 2**20
    loads.append(float(load))
    for key, value in (("ratio", j["ratio"]), ("rows/s", j["rpc_rows_per_second"]),
                       ("own load rows/s", j["native_rows_per_second"]),
                       ("study CPU us/row", cpu), ("MiB written", mib)):
        by[label][key].append(value)
    rate, own, ratio = j["rpc_rows_per_second"], j["native_rows_per_second"], j["ratio"]
    print(f"   round {r} {label}: {rate:,.0f} rows/s, own load {own:,.0f} rows/s, "
          f"ratio {ratio:.2f}; study {cpu:.0f} us CPU a row, wrote {mib:,.0f} MiB; "
          f"load average {load}", flush=True)
formats = {"ratio": ".2f", "study CPU us/row": ".1f"}
for label, figures in by.items():
    def spread(key, v):
        f = formats.get(key, ",.0f")
        return f"{key} {statistics.median(v):{f}} ({min(v):{f}}-{max(v):{f}})"
    print(f"-- {label}: " + "; ".join(spread(key, v) for key, v in figures.items()))
print(f"   load average {min(loads):.1f}-{max(loads):.1f}; median (lowest-highest) over the rounds")
' "$(getconf CLK_TCK)"
