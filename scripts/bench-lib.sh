# Sourced by the bench scripts: every benchmark starts its servers the same
# way. The caller sets $work (a temporary folder for logs) and $log_level.
#
#   bench_start KEY BINARY [FLAGS…]   a server on a free loopback port, in
#                                     local development mode over plaintext,
#                                     log in $work/KEY.log; its address in
#                                     bench_target[KEY], its PID in bench_pid[KEY]
#   bench_start_bare KEY BINARY [FLAGS…]  the same for a server that takes
#                                     only --listen (fazhi-grpc-echo)
#   bench_ready KEY [SECONDS]         waits until it serves, or shows the
#                                     end of its log and exits
#   bench_stop                        SIGTERM to every server started, waits
#   bench_cpu_ticks PID               the process's user and system CPU so
#                                     far, in clock ticks
#   bench_rotate ROUNDS KEY… [-- LOADGEN FLAGS…]
#                                     fazhi-loadgen (method bench_method[KEY])
#                                     against each KEY in turn, round after
#                                     round in a rotating order, so a busy
#                                     machine slows each alike; a line a run:
#                                     round, key, the server's CPU clock ticks
#                                     after the warm-up (loadgen's --warmup,
#                                     2 s unless given in whole seconds),
#                                     load average, fazhi-loadgen's line

declare -A bench_target bench_pid bench_method
bench_pids=()

bench_free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# The port is chosen here, not read from the server's log: the "listening"
# line is info level and a benchmark may run with --log_level=warn.
bench_start() {
  local key=$1 binary=$2 port
  shift 2
  port=$(bench_free_port)
  "$binary" --listen="127.0.0.1:$port" --insecure_dev_mode --allow_plaintext \
    --log_level="$log_level" "$@" 2>"$work/$key.log" &
  bench_pid[$key]=$!
  bench_pids+=($!)
  bench_target[$key]=127.0.0.1:$port
}

bench_start_bare() {
  local key=$1 binary=$2 port
  shift 2
  port=$(bench_free_port)
  "$binary" --listen="127.0.0.1:$port" "$@" 2>"$work/$key.log" &
  bench_pid[$key]=$!
  bench_pids+=($!)
  bench_target[$key]=127.0.0.1:$port
}

bench_ready() {
  build/bin/fazhi wait-ready --target="${bench_target[$1]}" --timeout="${2:-60}" >/dev/null 2>&1 && return
  echo "$(basename "$0"): $1 did not start:" >&2
  tail -n 5 "$work/$1.log" >&2
  exit 1
}

bench_stop() {
  [ ${#bench_pids[@]} -eq 0 ] || kill -TERM "${bench_pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}

bench_cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

bench_rotate() {
  local rounds=$1
  shift
  local keys=() args=() warmup=2 a r k key pid line end
  while [ $# -gt 0 ] && [ "$1" != -- ]; do keys+=("$1"); shift; done
  [ $# -eq 0 ] || { shift; args=("$@"); }
  for a in "${args[@]}"; do
    case "$a" in --warmup=*s) warmup="${a#--warmup=}"; warmup="${warmup%s}" ;; esac
  done
  for r in $(seq "$rounds"); do
    for k in $(seq 0 $(( ${#keys[@]} - 1 ))); do
      key=${keys[$(( (k + r) % ${#keys[@]} ))]}
      pid=${bench_pid[$key]}
      (sleep "$warmup"; bench_cpu_ticks "$pid" >"$work/ticks") &
      line=$(build/bin/fazhi-loadgen --target="${bench_target[$key]}" \
        --method="${bench_method[$key]}" --label="$key" "${args[@]}")
      end=$(bench_cpu_ticks "$pid")
      wait $!
      echo "$r $key $(( end - $(cat "$work/ticks") )) $(cut -d' ' -f1 /proc/loadavg) $line"
    done
  done
}
