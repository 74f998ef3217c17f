#!/usr/bin/env bash
# make test: start (or reuse) PostgreSQL and RabbitMQ, run every test project against them, print the totals.
# Each test creates its own database and vhost, named after this run, and drops them; leftovers of runs that died
# are dropped here first.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

"$ROOT_DIR/scripts/infra.sh" up

export SMSR_TEST_RUN="r$$x$(date +%s)"
export SMSR_TEST_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=$PG_USER;Password=$PG_PASSWORD;Database=postgres"
export SMSR_TEST_RABBIT_MANAGEMENT="http://guest:guest@127.0.0.1:$RABBIT_MGMT_PORT/"
export SMSR_TEST_RABBIT_AMQP="127.0.0.1:$RABBIT_PORT"

# Leftovers: databases and vhosts whose run's shell (the number after 'smsr_t_r') is gone.
drop_leftovers() {
  local name pid
  for name in $(psql_admin -c "SELECT datname FROM pg_database WHERE datname LIKE 'smsr\_t\_r%'"); do
    pid="${name#smsr_t_r}"; pid="${pid%%x*}"
    kill -0 "$pid" 2>/dev/null || psql_admin -c "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" >/dev/null 2>&1 || true
  done
  local mgmt="http://127.0.0.1:$RABBIT_MGMT_PORT/api/vhosts"
  for name in $(curl -fsS -u guest:guest "$mgmt" 2>/dev/null | python3 -c 'import json,sys; print("\n".join(v["name"] for v in json.load(sys.stdin)))' | grep '^smsr_t_r' || true); do
    pid="${name#smsr_t_r}"; pid="${pid%%x*}"
    kill -0 "$pid" 2>/dev/null || curl -fsS -o /dev/null -u guest:guest -X DELETE "$mgmt/$name" || true
  done
}
drop_leftovers

mkdir -p "$RUN_DIR"
output="$RUN_DIR/test-output-$SMSR_TEST_RUN.log"   # per run: concurrent runs must not sum each other's lines
status=0
dotnet test "$ROOT_DIR/SmsRemarketing.sln" --nologo "$@" 2>&1 | tee "$output" || status=$?
drop_leftovers

# One closing line in the plain 'N passed, N failed' form, summed over the test projects.
passed=$(grep -oE 'Passed: +[0-9]+' "$output" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$output" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -oE 'Skipped: +[0-9]+' "$output" | awk '{s+=$2} END {print s+0}')
echo
echo "tests: $passed passed, $failed failed, $skipped skipped"
rm -f "$output"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
