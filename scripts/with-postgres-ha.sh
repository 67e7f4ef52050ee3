#!/usr/bin/env bash
# Runs a command with a throwaway highly available PostgreSQL 15 cluster run
# by pg_auto_failover: a monitor and two data nodes (primary and synchronous
# standby) on free loopback ports in a temporary folder, as the postgres
# user when started as root. Failover timeouts are shortened from the
# production defaults (see docs/postgres-ha.md) so a test sees a failover
# within seconds. Exports for the command:
#
#   FAZHI_TEST_POSTGRES_HA_URL       multi-host URL, target_session_attrs=read-write
#   FAZHI_TEST_POSTGRES_HA_READ_URL  the same hosts, target_session_attrs=prefer-standby
#   FAZHI_PG_HA_DIR                  the cluster's folder (node1/, node2/, monitor/, logs)
#   FAZHI_PG_HA_NODES                "node1:PORT node2:PORT"
#   FAZHI_PG_HA_MONITOR_URL          the monitor's database (pgautofailover.node)
#   FAZHI_PG_HA_CTL                  "$FAZHI_PG_HA_DIR/ctl": state | start NODE | autoctl ARGS
#
# and stops and removes everything afterwards, whatever the command's outcome.
#
#   bash scripts/with-postgres-ha.sh python3 tests/reliability/failover_test.py
set -euo pipefail

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
autoctl=$(command -v pg_autoctl || true)
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/pg_ctl" ] || [ -z "$autoctl" ]; then
  echo "with-postgres-ha: needs PostgreSQL and pg_auto_failover" \
    "(apt-get install postgresql postgresql-15-auto-failover)" >&2
  # 77: ctest's skip, unless the run says PostgreSQL tests must run.
  if [ -n "${FAZHI_REQUIRE_POSTGRES:-}" ]; then exit 2; fi
  exit 77
fi

dir=$(mktemp -d /tmp/fazhi-pg-ha-XXXXXX)
chmod 755 "$dir"
free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
monitor_port=$(free_port)
node1_port=$(free_port)
node2_port=$(free_port)
while [ "$node2_port" = "$node1_port" ] || [ "$node2_port" = "$monitor_port" ]; do node2_port=$(free_port); done
while [ "$node1_port" = "$monitor_port" ]; do node1_port=$(free_port); done

# pg_autoctl keeps its configuration, state and pid files under the XDG
# folders: point them into the cluster's folder so nothing outlives it.
cat >"$dir/ctl" <<EOF
#!/usr/bin/env bash
# Controls this throwaway cluster (written by with-postgres-ha.sh).
#   ctl autoctl ARGS...  pg_autoctl as the cluster's owner
#   ctl start NODE       runs NODE's keeper (and so its PostgreSQL) in the background
#   ctl state            the monitor's view: name, port, reported and goal state
set -euo pipefail
export PATH="$pg_bin:\$PATH" XDG_CONFIG_HOME="$dir/xdg/config" XDG_DATA_HOME="$dir/xdg/data" \\
  XDG_RUNTIME_DIR="$dir/xdg/run" PG_CONFIG="$pg_bin/pg_config"
as_owner() {
  if [ "\$(id -u)" -eq 0 ]; then
    su postgres -s /bin/bash -c "export PATH='\$PATH' XDG_CONFIG_HOME='\$XDG_CONFIG_HOME' \\
      XDG_DATA_HOME='\$XDG_DATA_HOME' XDG_RUNTIME_DIR='\$XDG_RUNTIME_DIR' PG_CONFIG='\$PG_CONFIG'; \$*"
  else
    bash -c "\$*"
  fi
}
case "\$1" in
  autoctl) shift; as_owner "$autoctl \$*" ;;
  start)
    # Its own session, so that killing the node's process group is the
    # machine dying: keeper and PostgreSQL together.
    as_owner "setsid $autoctl run --pgdata '$dir/\$2' >>'$dir/\$2.log' 2>&1 </dev/null &" ;;
  state)
    "$pg_bin/psql" -qAtX "postgresql://autoctl_node@127.0.0.1:$monitor_port/pg_auto_failover" -c \\
      "SELECT nodename, nodeport, reportedstate, goalstate FROM pgautofailover.node ORDER BY nodeid" ;;
  *) echo "ctl: unknown command \$1" >&2; exit 2 ;;
esac
EOF
chmod 755 "$dir/ctl"
mkdir -p "$dir/xdg/config" "$dir/xdg/data" "$dir/xdg/run"
chmod 700 "$dir/xdg/run"
if [ "$(id -u)" -eq 0 ]; then chown -R postgres "$dir"; fi
ctl="$dir/ctl"

cleanup() {
  for node in node1 node2 monitor; do
    "$ctl" autoctl stop --pgdata "'$dir/$node'" --immediate >/dev/null 2>&1 || true
  done
  # Whatever survived (a server left stopped by SIGSTOP, say): every process
  # working in the cluster's folder, as PostgreSQL's all do.
  for proc in /proc/[0-9]*; do
    case "$(readlink "$proc/cwd" 2>/dev/null)" in
      "$dir"/*) kill -KILL "${proc#/proc/}" 2>/dev/null || true ;;
    esac
  done
  rm -rf "$dir"
}
trap cleanup EXIT

fail() {
  echo "with-postgres-ha: $1" >&2
  for f in "$dir"/*.log; do echo "== $f" >&2; tail -n 30 "$f" >&2; done
  exit 2
}

common=(--pgctl "$pg_bin/pg_ctl" --hostname 127.0.0.1 --auth trust --no-ssl)
"$ctl" autoctl create monitor --pgdata "'$dir/monitor'" --pgport "$monitor_port" "${common[*]}" \
  >"$dir/create-monitor.log" 2>&1 || fail "creating the monitor failed"
# Health checks every second; a node silent for 4 s is failed over; the old
# primary is given 4 s to demote itself (production defaults: 5 s, 20 s, 30 s).
cat >>"$dir/monitor/postgresql.conf" <<'EOF'
pgautofailover.health_check_period = 1000
pgautofailover.health_check_timeout = 1000
pgautofailover.health_check_max_retries = 1
pgautofailover.health_check_retry_delay = 500
pgautofailover.node_considered_unhealthy_timeout = 4000
pgautofailover.primary_demote_timeout = 4000
pgautofailover.startup_grace_period = 2000
EOF
"$ctl" start monitor
monitor_url="postgresql://autoctl_node@127.0.0.1:$monitor_port/pg_auto_failover?sslmode=disable"
for _ in $(seq 1 100); do
  "$pg_bin/psql" -qAtX "$monitor_url" -c "SELECT 1 FROM pgautofailover.formation" >/dev/null 2>&1 && break
  sleep 0.2
done

create_node() {  # NAME PORT
  "$ctl" autoctl create postgres --pgdata "'$dir/$1'" --pgport "$2" --name "$1" --dbname fazhi \
    --monitor "'$monitor_url'" --listen 127.0.0.1 --username postgres "${common[*]}" \
    >"$dir/create-$1.log" 2>&1 || fail "creating $1 failed"
  # Keeper timeouts: a primary cut off from monitor and standby demotes
  # itself after 4 s (default 20 s).
  "$ctl" autoctl config set --pgdata "'$dir/$1'" timeout.network_partition_timeout 4 >/dev/null
  "$ctl" start "$1"
}
wait_states() {  # the wanted "state state …", ordered by node id
  local want="$1" got=""
  for _ in $(seq 1 300); do
    got=$("$ctl" state 2>/dev/null | awk -F'|' '$3 == $4 {print $3} $3 != $4 {print $3 "->" $4}' | xargs)
    [ "$got" = "$want" ] && return 0
    sleep 0.2
  done
  fail "cluster did not reach \"$want\" (now \"$got\")"
}
create_node node1 "$node1_port"
wait_states "single"
create_node node2 "$node2_port"
wait_states "primary secondary"

hosts="127.0.0.1:$node1_port,127.0.0.1:$node2_port"
export FAZHI_TEST_POSTGRES_HA_URL="postgresql://postgres@$hosts/fazhi?target_session_attrs=read-write&connect_timeout=2"
export FAZHI_TEST_POSTGRES_HA_READ_URL="postgresql://postgres@$hosts/fazhi?target_session_attrs=prefer-standby&connect_timeout=2"
export FAZHI_PG_HA_DIR="$dir" FAZHI_PG_HA_CTL="$ctl" FAZHI_PG_HA_MONITOR_URL="$monitor_url"
export FAZHI_PG_HA_NODES="node1:$node1_port node2:$node2_port"
echo "with-postgres-ha: pg_auto_failover monitor on 127.0.0.1:$monitor_port," \
  "primary node1 on :$node1_port, standby node2 on :$node2_port" >&2
set +e
"$@"
status=$?
set -e
exit $status
