#!/bin/sh
# The Temporal schema steps, shared by `npm run cluster` and the production compose file: create
# both databases, then bring each schema to the version this server ships (embedded in the SQL
# tool). Idempotent: a second run changes nothing.
set -eu
: "${SQL_TOOL:=temporal-sql-tool}" "${SQL_PORT:=5432}" "${SQL_HOST:?}" "${SQL_USER:?}" "${SQL_PASSWORD:?}"
export SQL_PASSWORD
for pair in temporal:temporal temporal_visibility:visibility; do
  db=${pair%%:*}
  schema=postgresql/v12/${pair##*:}
  set -- --plugin postgres12 --endpoint "$SQL_HOST" --port "$SQL_PORT" --user "$SQL_USER" --database "$db"
  "$SQL_TOOL" "$@" create-database
  "$SQL_TOOL" "$@" setup-schema -v 0.0
  "$SQL_TOOL" "$@" update-schema --schema-name "$schema"
done
