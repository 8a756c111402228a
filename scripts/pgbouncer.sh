#!/usr/bin/env bash
# A local pgbouncer in transaction pool mode in front of the machine's PostgreSQL, for the pooling
# tests (tests/pg/test_pgbouncer.py) and for trying the app behind a pooler (docs/operations.md,
# "Connection pooling (pgbouncer)"): clients on 127.0.0.1:6432, servers on 127.0.0.1:5432.
# Idempotent: does nothing when 6432 already answers. Debian's package (`apt-get install pgbouncer`)
# is installed here when missing and we are root. Its config, pid and log sit in a temporary
# directory (PGBOUNCER_DIR, default /tmp/fawang-pgbouncer); as root it runs as the postgres user.
set -euo pipefail
PORT="${PGBOUNCER_PORT:-6432}"
SERVER_HOST="${PGBOUNCER_SERVER_HOST:-127.0.0.1}"
SERVER_PORT="${PGBOUNCER_SERVER_PORT:-5432}"
DIR="${PGBOUNCER_DIR:-/tmp/fawang-pgbouncer}"
port_open() { python3 "$(dirname "$0")/port_open.py" 127.0.0.1 "$1"; }

if port_open "$PORT"; then
  exit 0
fi
if ! command -v pgbouncer >/dev/null && [ ! -x /usr/sbin/pgbouncer ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "ERROR: pgbouncer is not installed (apt-get install pgbouncer, as root)" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgbouncer >/dev/null
fi
PGBOUNCER=$(command -v pgbouncer || echo /usr/sbin/pgbouncer)

RUN_AS=()
if [ "$(id -u)" = 0 ]; then
  RUN_AS=(runuser -u postgres --)  # pgbouncer refuses to run as root
  install -d -o postgres -g postgres -m 700 "$DIR"
else
  install -d -m 700 "$DIR"
fi

# Trust auth, as the machine's PostgreSQL allows on loopback: the user must still be listed.
cat > "$DIR/userlist.txt" <<'EOF'
"postgres" ""
EOF
# Every database name passes through to the same server ("*"), so the test databases the test
# run creates (test_*, one per xdist worker) are reachable without editing this file.
# A small pool (4 server connections per database), so the tests see many clients served by few
# servers; production sizes: docs/operations.md, "Connection pooling (pgbouncer)". The time zone
# is Django's (UTC), so a new client needs no SET TIME ZONE.
cat > "$DIR/pgbouncer.ini" <<EOF
[databases]
* = host=$SERVER_HOST port=$SERVER_PORT timezone=UTC

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $PORT
unix_socket_dir =
auth_type = trust
auth_file = $DIR/userlist.txt
admin_users = postgres
stats_users = postgres
pool_mode = transaction
max_client_conn = 500
default_pool_size = ${PGBOUNCER_POOL_SIZE:-4}
min_pool_size = 0
reserve_pool_size = 0
server_idle_timeout = 60
server_lifetime = 3600
query_wait_timeout = 30
ignore_startup_parameters = extra_float_digits
logfile = $DIR/pgbouncer.log
pidfile = $DIR/pgbouncer.pid
EOF
if [ "$(id -u)" = 0 ]; then
  chown postgres:postgres "$DIR/userlist.txt" "$DIR/pgbouncer.ini"
fi

"${RUN_AS[@]}" "$PGBOUNCER" -d "$DIR/pgbouncer.ini"
for _ in $(seq 1 30); do port_open "$PORT" && exit 0; sleep 0.5; done
echo "ERROR: pgbouncer did not start on port $PORT (log: $DIR/pgbouncer.log)" >&2
exit 1
