#!/usr/bin/env bash
# A local streaming replica of the machine's PostgreSQL cluster, for the replica-read tests:
# Debian's cluster "replica" on port 5433, made by pg_basebackup from the primary on 5432.
# Idempotent: does nothing when the replica already answers. Needs root (pg_createcluster).
set -euo pipefail
PORT="${REPLICA_PORT:-5433}"
port_open() { python3 "$(dirname "$0")/port_open.py" 127.0.0.1 "$1"; }

if port_open "$PORT"; then
  exit 0
fi
VERSION=$(ls /etc/postgresql | sort -n | tail -1)
PRIMARY_HBA="/etc/postgresql/$VERSION/main/pg_hba.conf"
# The replica connects over loopback for replication: allow it as the primary allows clients.
if ! grep -Eq '^host[[:space:]]+replication[[:space:]]+all[[:space:]]+127\.0\.0\.1/32' "$PRIMARY_HBA"; then
  echo "host replication all 127.0.0.1/32 trust" >> "$PRIMARY_HBA"
  pg_ctlcluster --skip-systemctl-redirect "$VERSION" main reload
fi
if [ ! -d "/etc/postgresql/$VERSION/replica" ]; then
  pg_createcluster "$VERSION" replica --port "$PORT" -- --auth-local=trust --auth-host=trust >/dev/null
fi
DATA="/var/lib/postgresql/$VERSION/replica"
rm -rf "$DATA"
install -d -o postgres -g postgres -m 700 "$DATA"
# -R writes standby.signal and primary_conninfo: the copy starts as a hot standby that follows.
runuser -u postgres -- pg_basebackup -h 127.0.0.1 -p 5432 -U postgres -D "$DATA" -R -X stream --checkpoint=fast
pg_ctlcluster --skip-systemctl-redirect "$VERSION" replica start
for _ in $(seq 1 30); do port_open "$PORT" && exit 0; sleep 1; done
echo "ERROR: the replica did not start on port $PORT" >&2
exit 1
