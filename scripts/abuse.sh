#!/usr/bin/env bash
# make abuse: issue 27's measurement. One tenant reads GET /credits with 4 connections, alone and then while one
# address floods the Api with random, well-formed API keys from 64 connections; the same flood again with the
# refusals switched off (Api:FailedAuthenticationBurst and Api:GlobalFailedAuthenticationBurst lifted), which is how
# the Api answered before them.
# Counts the database's key look-ups during each flood (pg_stat_statements). The two callers are told apart by
# X-Forwarded-For (loopback is the Api's trusted proxy), as a proxy in front would tell them.
# Writes bench/results/abuse.{md,json}. Not part of make test. Knobs: ABUSE_SECONDS (15), ABUSE_FORGER_CONNECTIONS (64).
export SMSR_PG_DB="${SMSR_ABUSE_DB:-smsr_abuse}"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SECONDS_EACH="${ABUSE_SECONDS:-15}"
FORGERS="${ABUSE_FORGER_CONNECTIONS:-64}"
results="$ROOT_DIR/bench/results"
mkdir -p "$results"

"$ROOT_DIR/scripts/infra.sh" up
ensure_wrk
# The tenant's own allowance is lifted (Api:RateLimit*): what is measured is what the forger costs it, not its quota.
# The refusal of failing addresses keeps its defaults.
export Api__RateLimitPerSecond=1000000 Api__RateLimitBurst=1000000
"$ROOT_DIR/scripts/stack.sh" stop-services >/dev/null
psql_admin -c "DROP DATABASE IF EXISTS \"$PG_DB\" WITH (FORCE)" >/dev/null
"$ROOT_DIR/scripts/stack.sh" up >/dev/null
set -a; . "$RUN_DIR/stack.env"; set +a
# The Dispatcher and Scheduler have nothing to do here; stopped, they leave the cores to the Api and wrk.
"$ROOT_DIR/scripts/stack.sh" stop dispatcher >/dev/null
"$ROOT_DIR/scripts/stack.sh" stop scheduler >/dev/null

psql_stack -c "SHOW shared_preload_libraries" | grep -q pg_stat_statements || die "pg_stat_statements is not loaded (scripts/infra.sh)"
psql_stack -c "SET client_min_messages = warning; CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null
lookups_reset() { psql_stack -c "SELECT pg_stat_statements_reset()" >/dev/null; }
# Statements that find a client by its key's prefix: one per key the Api looked up.
lookups() {
  psql_stack -c "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements
    WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query ILIKE '%api_key_prefix%'"
}

client="$(curl -fsS -X POST "$API_URL/clients" -H "X-Admin-Key: $ADMIN_KEY" -H 'Content-Type: application/json' \
  -d '{"name":"Abuse","email":"abuse@bench.test"}')"
export API_KEY="$(echo "$client" | sed -n 's/.*"api_key": *"\([^"]*\)".*/\1/p')"
export TENANT_ADDRESS=198.51.100.7
[ -n "$API_KEY" ] || die "no API key in: $client"

tenant() { wrk -t1 -c4 -d"$SECONDS_EACH"s -s "$ROOT_DIR/bench/credits.lua" "$API_URL" | tail -n 1; }
# The forger runs 4 s longer than the tenant, which starts 2 s into it: the tenant is measured inside the flood.
flood() { # $1: the forger's address; prints the tenant's line, then the forger's
  local forger_file; forger_file="$(mktemp)"
  FORGER_ADDRESS="$1" wrk -t1 -c"$FORGERS" -d"$((SECONDS_EACH + 4))"s -s "$ROOT_DIR/bench/forged.lua" "$API_URL" \
    | tail -n 1 > "$forger_file" &
  local forger_pid=$!
  sleep 2
  tenant
  wait "$forger_pid"
  cat "$forger_file"
  rm -f "$forger_file"
}

log "Warm-up: the tenant's reads and a short flood from another address (both paths JIT-compiled)..."
wrk -t1 -c4 -d10s -s "$ROOT_DIR/bench/credits.lua" "$API_URL" >/dev/null
FORGER_ADDRESS=192.0.2.1 wrk -t1 -c"$FORGERS" -d5s -s "$ROOT_DIR/bench/forged.lua" "$API_URL" >/dev/null

log "The tenant alone: GET /credits, 4 connections, $SECONDS_EACH s..."
alone="$(tenant)"
log "  $alone"

log "The same, while 203.0.113.9 sends random keys from $FORGERS connections..."
lookups_reset
mapfile -t limited < <(flood 203.0.113.9)
limited_lookups="$(lookups)"
log "  tenant: ${limited[0]}"
log "  forger: ${limited[1]} (key look-ups: $limited_lookups)"

log "The same with the refusals off (the per-address and global allowances lifted: every forged key is looked up)..."
"$ROOT_DIR/scripts/stack.sh" stop api >/dev/null
Api__FailedAuthenticationBurst=1000000 Api__GlobalFailedAuthenticationBurst=10000000 "$ROOT_DIR/scripts/stack.sh" start api >/dev/null
wrk -t1 -c4 -d10s -s "$ROOT_DIR/bench/credits.lua" "$API_URL" >/dev/null
FORGER_ADDRESS=192.0.2.2 wrk -t1 -c"$FORGERS" -d5s -s "$ROOT_DIR/bench/forged.lua" "$API_URL" >/dev/null
lookups_reset
mapfile -t unlimited < <(flood 203.0.113.10)
unlimited_lookups="$(lookups)"
log "  tenant: ${unlimited[0]}"
log "  forger: ${unlimited[1]} (key look-ups: $unlimited_lookups)"

commit="$(git -C "$ROOT_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)"
ABUSE_COMMIT="$commit" ABUSE_DATE="$(date -u +%Y-%m-%dT%H:%M:%SZ)" ABUSE_CORES="$(nproc)" ABUSE_SECONDS="$SECONDS_EACH" \
ABUSE_FORGERS="$FORGERS" ABUSE_ALONE="$alone" ABUSE_LIMITED_TENANT="${limited[0]}" ABUSE_LIMITED_FORGER="${limited[1]}" \
ABUSE_LIMITED_LOOKUPS="$limited_lookups" ABUSE_UNLIMITED_TENANT="${unlimited[0]}" ABUSE_UNLIMITED_FORGER="${unlimited[1]}" \
ABUSE_UNLIMITED_LOOKUPS="$unlimited_lookups" ABUSE_RESULTS="$results" python3 "$ROOT_DIR/bench/abuse_report.py"

# The services ran on this run's database and settings: stopped, so that make run starts them as usual.
"$ROOT_DIR/scripts/stack.sh" stop-services >/dev/null
log "The services are stopped (they ran on $PG_DB); make run starts them as usual."
