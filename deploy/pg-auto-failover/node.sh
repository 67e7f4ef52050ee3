#!/usr/bin/env bash
# One pg_auto_failover node of the compose profile "postgres-ha":
#   fazhi-pg-node monitor        the monitor (decides failovers)
#   fazhi-pg-node data NAME      a data node; the first to register is the
#                                primary, the next its synchronous standby
# The data directory is created once (the volume keeps it); a restarted node
# rejoins in whatever role the monitor gives it. On the primary the fazhi
# role and the three service databases are created once (postgres-init.sql).
set -euo pipefail
host=$(hostname)
case "$1" in
  monitor)
    if [ ! -f "$PGDATA/PG_VERSION" ]; then
      pg_autoctl create monitor --pgdata "$PGDATA" --hostname "$host" --auth trust --no-ssl \
        --skip-pg-hba
      # The compose network is internal: the nodes' keepers may connect.
      echo "host pg_auto_failover autoctl_node samenet trust" >>"$PGDATA/pg_hba.conf"
    fi
    exec pg_autoctl run --pgdata "$PGDATA"
    ;;
  data)
    if [ ! -f "$PGDATA/PG_VERSION" ]; then
      pg_autoctl create postgres --pgdata "$PGDATA" --hostname "$host" --name "$2" \
        --monitor "postgresql://autoctl_node@pg-monitor/pg_auto_failover?sslmode=disable" \
        --auth trust --no-ssl --skip-pg-hba --replication-quorum true
      {
        echo "host replication pgautofailover_replicator samenet trust"
        echo "host all pgautofailover_replicator samenet trust"
        echo "host all pgautofailover_monitor samenet trust"
        echo "host all fazhi samenet scram-sha-256"
      } >>"$PGDATA/pg_hba.conf"
    fi
    (
      # Once this node is a writable primary: the application role and databases.
      until [ "$(psql -qAtX -d postgres -c 'SELECT NOT pg_is_in_recovery()' 2>/dev/null)" = t ]; do
        sleep 2
      done
      psql -qX -d postgres -v password="${FAZHI_POSTGRES_PASSWORD:-fazhi-local}" <<'SQL' || true
SELECT 'CREATE ROLE fazhi LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'fazhi') \gexec
ALTER ROLE fazhi PASSWORD :'password';
SQL
      psql -qX -d postgres -f /etc/fazhi/postgres-init.sql 2>/dev/null || true
    ) &
    exec pg_autoctl run --pgdata "$PGDATA"
    ;;
  *) echo "usage: fazhi-pg-node monitor | data NAME" >&2; exit 2 ;;
esac
