#!/bin/sh
# Run once by the official postgres image on the primary's first start (docker-entrypoint-initdb.d):
# a role that may stream the WAL, a physical slot for the replica, and a pg_hba line that lets the
# role connect for replication from the compose network (scram-sha-256: the password is required).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v password="$FINSAM_REPLICATION_PASSWORD" <<'SQL'
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD :'password';
SELECT pg_create_physical_replication_slot('finsam_replica');
SQL
echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
