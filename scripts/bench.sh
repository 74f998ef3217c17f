#!/usr/bin/env bash
# make bench: measures the pipeline on this machine's real servers and writes bench/results/latest.{md,json}.
# Not part of make test. Stages: the outbox alone; then the whole stack (make run's machinery): API load with wrk,
# pgbench on the same transaction, a 20,000-send end-to-end drain, memory and start-up time of each service.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

"$ROOT_DIR/scripts/infra.sh" up
export SMSR_TEST_RUN="b$$x$(date +%s)"
export SMSR_TEST_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=$PG_USER;Password=$PG_PASSWORD;Database=postgres"
export SMSR_TEST_RABBIT_MANAGEMENT="http://guest:guest@127.0.0.1:$RABBIT_MGMT_PORT/"
export SMSR_TEST_RABBIT_AMQP="127.0.0.1:$RABBIT_PORT"

EVENTS="${BENCH_OUTBOX_EVENTS:-20000}"
WRITERS="${BENCH_OUTBOX_WRITERS:-32}"
results="$ROOT_DIR/bench/results"
mkdir -p "$results"

log "Building (Release)..."
dotnet build "$ROOT_DIR/bench/OutboxLatency" -c Release --nologo -v quiet -clp:ErrorsOnly >/dev/null
log "Outbox: $EVENTS events from $WRITERS concurrent writers..."
outbox_json="$(mktemp)"
dotnet "$ROOT_DIR/bench/OutboxLatency/bin/Release/net10.0/SmsRemarketing.OutboxLatency.dll" "$EVENTS" "$WRITERS" "$outbox_json" >/dev/null


# ---- The whole stack: API load, the database's ceiling, the end-to-end drain, memory and start-up ----------------
command -v wrk >/dev/null || { as_root || die "wrk is missing: apt-get install wrk"; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
rm -f "$RUN_DIR/startup.tsv"
log "Starting the stack fresh (start-up times are measured)..."
# Policy limits off for a capacity measurement: the per-key rate limit and Twilio's per-sender pacing.
Api__RateLimitPerSecond=1000000 Api__RateLimitBurst=1000000 Dispatcher__SenderMessagesPerSecond=100000 \
  "$ROOT_DIR/scripts/stack.sh" restart >/dev/null
set -a; . "$RUN_DIR/stack.env"; set +a

rss_mb() { awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$(cat "$PID_DIR/$1.pid")/status"; }
rss_json() { printf '{'; local sep=""; for s in api dispatcher scheduler twilio-emulator; do printf '%s"%s":%s' "$sep" "$s" "$(rss_mb "$s")"; sep=","; done; printf '}'; }
psql_stack() { PGPASSWORD="$PG_PASSWORD" psql -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d "$PG_DB" -v ON_ERROR_STOP=1 -qAt "$@"; }

log "Seeding a client with credits and 1,000 leads..."
client="$(curl -fsS -X POST "$API_URL/clients" -H "X-Admin-Key: $ADMIN_KEY" -H 'Content-Type: application/json' -d '{"name":"Bench","email":"bench@bench.test"}')"
client_id="$(echo "$client" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
export API_KEY="$(echo "$client" | python3 -c 'import json,sys; print(json.load(sys.stdin)["api_key"])')"
curl -fsS -o /dev/null -X POST "$API_URL/credits/add" -H "X-Admin-Key: $ADMIN_KEY" -H 'Content-Type: application/json' \
  -d "{\"client_id\":\"$client_id\",\"amount\":10000000,\"reference\":\"bench-$client_id\"}"
psql_stack -c "INSERT INTO leads (id, client_id, phone, first_name, custom_fields, created_at, updated_at)
  SELECT gen_random_uuid(), '$client_id', '+1415' || lpad((5550000 + i)::text, 7, '0'), 'Lead' || i, '{}', now(), now()
  FROM generate_series(1, 1000) i" >/dev/null
export LEADS="$(psql_stack -c "SELECT string_agg(id::text, ',') FROM leads WHERE client_id = '$client_id'")"
rss_idle="$(rss_json)"

drain() { # wait until no message of the bench client is queued or sending
  local deadline=$((SECONDS + ${1:-300}))
  until [ "$(psql_stack -c "SELECT count(*) FROM messages WHERE client_id = '$client_id' AND status IN ('queued','sending')")" = 0 ]; do
    [ "$SECONDS" -lt "$deadline" ] || { log "warning: backlog not drained in time"; return 0; }
    sleep 1
  done
}

log "API: POST /messages/send, 32 connections, 30 s..."
export LIMIT=0
api="$(wrk -t2 -c32 -d30s -s "$ROOT_DIR/bench/send.lua" "$API_URL" | tail -n 1)"
log "  $api"
log "Draining the backlog..."
drain 600

log "pgbench: the same transaction, 32 clients, 30 s..."
bench_db="smsr_pgbench"
psql_admin -c "DROP DATABASE IF EXISTS $bench_db WITH (FORCE)" >/dev/null
ConnectionStrings__Database="Host=127.0.0.1;Port=$PG_PORT;Database=$bench_db;Username=$PG_USER;Password=$PG_PASSWORD" \
  dotnet "$ROOT_DIR/tools/Migrator/bin/Release/net10.0/SmsRemarketing.Migrator.dll" >/dev/null
pg_client="$(PGPASSWORD=$PG_PASSWORD psql -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d $bench_db -qAt -c "INSERT INTO clients (id, name, email, api_key_prefix, api_key_hash, is_active, timezone, credit_balance, created_at, updated_at) VALUES (gen_random_uuid(), 'pg', 'pg@pg.test', 'sk_pgbench', '\x00', true, 'UTC', 0, now(), now()) RETURNING id")"
pg_lead="$(PGPASSWORD=$PG_PASSWORD psql -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d $bench_db -qAt -c "INSERT INTO leads (id, client_id, phone, custom_fields, created_at, updated_at) VALUES (gen_random_uuid(), '$pg_client', '+14155550000', '{}', now(), now()) RETURNING id")"
pgbench_out="$(PGPASSWORD=$PG_PASSWORD "$PG_BIN/pgbench" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -n -M prepared -c 32 -j 2 -T 30 \
  -D client="$pg_client" -D lead="$pg_lead" -f "$ROOT_DIR/bench/send.pgbench" $bench_db 2>&1)"
pgbench_tps="$(echo "$pgbench_out" | awk -F'= ' '/^tps/ {split($2, a, " "); print a[1]; exit}')"
psql_admin -c "DROP DATABASE IF EXISTS $bench_db WITH (FORCE)" >/dev/null
log "  pgbench tps: $pgbench_tps"

log "End to end: 20,000 sends accepted, emulator at 10 ms latency..."
curl -fsS -o /dev/null -X DELETE "$TWILIO_BASE_URL/_emulator/messages"
faults="$(curl -fsS "$TWILIO_BASE_URL/_emulator/faults" | python3 -c 'import json,sys; f=json.load(sys.stdin); f["latencyMs"]=10; print(json.dumps(f))')"
curl -fsS -o /dev/null -X PUT "$TWILIO_BASE_URL/_emulator/faults" -H 'Content-Type: application/json' -d "$faults"
mark="$(psql_stack -c "SELECT clock_timestamp()")"
started=$(date +%s.%N)
export LIMIT=10000   # per wrk thread: 2 threads, 20,000 sends
accept="$(wrk -t2 -c32 -d300s -s "$ROOT_DIR/bench/send.lua" "$API_URL" | tail -n 1)"
accepted="$(psql_stack -c "SELECT count(*) FROM messages WHERE client_id = '$client_id' AND created_at >= '$mark'")"
deadline=$((SECONDS + 600))
until [ "$(curl -fsS "$TWILIO_BASE_URL/_emulator/requests" | python3 -c 'import json,sys; print(json.load(sys.stdin)["created"])')" -ge "$accepted" ]; do
  [ "$SECONDS" -lt "$deadline" ] || { log "warning: the emulator did not receive every message in time"; break; }
  sleep 0.5
done
e2e_seconds="$(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }')"
drain 120
stages="$(psql_stack -c "
  WITH m AS (
    SELECT extract(epoch FROM o.published_at - o.created_at) * 1000 AS commit_to_publish,
           extract(epoch FROM m.last_attempt_at - o.published_at) * 1000 AS publish_to_consume,
           extract(epoch FROM m.sent_at - m.last_attempt_at) * 1000 AS consume_to_twilio
    FROM messages m JOIN outbox_messages o ON (o.body::jsonb ->> 'messageId')::uuid = m.id
    WHERE m.client_id = '$client_id' AND m.created_at >= '$mark' AND m.sent_at IS NOT NULL)
  SELECT json_build_object(
    'commit_to_publish_p50_ms', round(percentile_cont(0.5) WITHIN GROUP (ORDER BY commit_to_publish)::numeric, 1),
    'commit_to_publish_p99_ms', round(percentile_cont(0.99) WITHIN GROUP (ORDER BY commit_to_publish)::numeric, 1),
    'publish_to_consume_p50_ms', round(percentile_cont(0.5) WITHIN GROUP (ORDER BY publish_to_consume)::numeric, 1),
    'publish_to_consume_p99_ms', round(percentile_cont(0.99) WITHIN GROUP (ORDER BY publish_to_consume)::numeric, 1),
    'consume_to_twilio_p50_ms', round(percentile_cont(0.5) WITHIN GROUP (ORDER BY consume_to_twilio)::numeric, 1),
    'consume_to_twilio_p99_ms', round(percentile_cont(0.99) WITHIN GROUP (ORDER BY consume_to_twilio)::numeric, 1),
    'sent', count(*)) FROM m")"
rss_after="$(rss_json)"
startup="$(awk -F'\t' 'BEGIN {printf "{"} {printf "%s\"%s\":%s", (NR>1?",":""), $1, $2} END {printf "}"}' "$RUN_DIR/startup.tsv")"

commit="$(git -C "$ROOT_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)"
date="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
cores="$(nproc)"
memory_gib="$(awk '/MemTotal/ {printf "%.0f", $2/1048576}' /proc/meminfo)"
python3 - "$outbox_json" "$results" "$commit" "$date" "$cores" "$memory_gib" "$api" "$pgbench_tps" "$accept" "$accepted" "$e2e_seconds" "$stages" "$rss_idle" "$rss_after" "$startup" <<'PY'
import json, sys
(outbox_path, results, commit, date, cores, memory, api, pgbench_tps, accept, accepted, e2e_seconds,
 stages, rss_idle, rss_after, startup) = sys.argv[1:]
outbox, api, accept, stages = json.load(open(outbox_path)), json.loads(api), json.loads(accept), json.loads(stages)
pgbench_tps = float(pgbench_tps or 0)
e2e = round(int(accepted) / float(e2e_seconds), 1)
latest = {
    "commit": commit, "date": date, "machine": {"cores": int(cores), "memory_gib": int(memory)},
    "api_rps": api["rps"], "api_p50_ms": api["p50_ms"], "api_p95_ms": api["p95_ms"], "api_p99_ms": api["p99_ms"],
    "api_errors": api["socket_errors"] + api["non_202"],
    "pgbench_tps": round(pgbench_tps, 1),
    "api_share_of_pgbench": round(api["rps"] / pgbench_tps, 3) if pgbench_tps else None,
    "e2e_sms_per_s": e2e, "e2e_accepted": int(accepted), "e2e_seconds": float(e2e_seconds), "e2e_accept": accept,
    "commit_to_publish_p99_ms": stages.get("commit_to_publish_p99_ms"), "stages": stages,
    "sweep_enqueue_s": None, "sweep_send_s": None,
    "rss_mb": json.loads(rss_after), "rss_idle_mb": json.loads(rss_idle), "startup_s": json.loads(startup),
    "outbox": outbox,
}
json.dump(latest, open(f"{results}/latest.json", "w"), indent=2)
def table(d): return "\n".join(f"| {k} | {v} |" for k, v in d.items())
targets = [
    ("API requests/s (≥ 1,500)", api["rps"]), ("API p50 / p95 / p99 ms (p99 ≤ 25)", f'{api["p50_ms"]} / {api["p95_ms"]} / {api["p99_ms"]}'),
    ("API errors", latest["api_errors"]), ("pgbench tps, same transaction", pgbench_tps),
    ("API share of pgbench (≥ 60%)", f'{latest["api_share_of_pgbench"]:.0%}' if latest["api_share_of_pgbench"] else "n/a"),
    ("End to end SMS/s, 20,000 sends (≥ 1,000)", e2e), ("commit → published p99 ms (≤ 50)", stages.get("commit_to_publish_p99_ms")),
    ("lead_age sweep", "not measured yet (issue 6)"),
]
open(f"{results}/latest.md", "w").write(f"""# Benchmark results

Commit `{commit}`, {date}, {cores} cores, {memory} GiB; command: `make bench`. PostgreSQL, RabbitMQ, the emulator
and the three services all on this machine; fsync and synchronous_commit on. The per-key rate limit and the
per-sender pacing are lifted for the run (they are policies, not capacity).

## Summary

| measure | value |
|---|---|
{table(dict(targets))}

## End to end, per stage (of the 20,000)

| stage | value |
|---|---|
{table(stages)}

## Memory (RSS, MB) and start-up (s)

| service | idle | after load | start-up |
|---|---|---|---|
""" + "\n".join(f"| {s} | {json.loads(rss_idle).get(s)} | {json.loads(rss_after).get(s)} | {json.loads(startup).get(s)} |" for s in json.loads(rss_after)) + f"""

## Transactional outbox alone

Writers commit one event per transaction through the outbox interceptor (as the Api does) while the relay publishes
with publisher confirms and a consumer receives; commit → published is `published_at − created_at` of each row.

| measure | value |
|---|---|
{table(outbox)}
""")
print(open(f"{results}/latest.md").read())
PY
rm -f "$outbox_json"
