#!/usr/bin/env bash
# make bench: measures the pipeline on this machine's real servers and writes bench/results/latest.{md,json}.
# Not part of make test. Stages: the outbox alone; then the whole stack (make run's machinery): a warm-up, API load
# with wrk (the Dispatcher paused), the end-to-end drain of what it queued (at least 20,000 sends), the API with the
# pipeline running, pgbench on the same transaction, the lead_age sweep, memory and start-up time of each service, and
# a campaign to 100,000 of the sweep's 1,000,000 leads (estimate, schedule, the Api and a welcome trigger meanwhile).
# BENCH_ONLY=campaign runs only the last (with the leads it needs and a shorter warm-up) and writes
# bench/results/only-campaign.{md,json} instead.
# The stack runs on a database of the bench's own, made anew each run: every run starts from the same empty schema,
# and the million leads a run seeds never land in make run's data.
export SMSR_PG_DB="${SMSR_BENCH_DB:-smsr_bench}"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

"$ROOT_DIR/scripts/infra.sh" up
export SMSR_TEST_RUN="b$$x$(date +%s)"
export SMSR_TEST_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=$PG_USER;Password=$PG_PASSWORD;Database=postgres"
export SMSR_TEST_RABBIT_MANAGEMENT="http://guest:guest@127.0.0.1:$RABBIT_MGMT_PORT/"
export SMSR_TEST_RABBIT_AMQP="127.0.0.1:$RABBIT_PORT"

EVENTS="${BENCH_OUTBOX_EVENTS:-20000}"
WRITERS="${BENCH_OUTBOX_WRITERS:-32}"
E2E_SENDS="${BENCH_E2E_SENDS:-20000}"
SWEEP_LEADS="${BENCH_SWEEP_LEADS:-1000000}"
SWEEP_DUE="${BENCH_SWEEP_DUE:-100000}"
SWEEP_PLAN_INTERVAL="00:00:02"
ONLY="${BENCH_ONLY:-}"
CAMPAIGN_RECIPIENTS="${BENCH_CAMPAIGN_RECIPIENTS:-100000}"
CAMPAIGN_DRAIN_S="${BENCH_CAMPAIGN_DRAIN_S:-120}"   # how long the drain is watched; a campaign still sending then is canceled
PROBE_RATE="${BENCH_PROBE_RATE:-50}"                 # single sends a second while the campaign is scheduled and drains
WARMUP_S="${BENCH_WARMUP_S:-$([ "$ONLY" = campaign ] && echo 15 || echo 40)}"
case "$ONLY" in
  "") [ "$CAMPAIGN_RECIPIENTS" -le $((SWEEP_LEADS - SWEEP_DUE)) ] \
        || die "BENCH_CAMPAIGN_RECIPIENTS ($CAMPAIGN_RECIPIENTS) must be at most the sweep's leads not due ($((SWEEP_LEADS - SWEEP_DUE)))" ;;
  campaign) [ "$CAMPAIGN_RECIPIENTS" -le "$SWEEP_LEADS" ] || die "BENCH_CAMPAIGN_RECIPIENTS must be at most BENCH_SWEEP_LEADS" ;;
  *) die "BENCH_ONLY: campaign, or unset for the whole run" ;;
esac
results="$ROOT_DIR/bench/results"
prefix="$([ -z "${BENCH_ONLY:-}" ] && echo latest || echo only)"   # only-*: a partial run never replaces latest.*
mkdir -p "$results"

outbox_json="$(mktemp)"
if [ -z "$ONLY" ]; then
  log "Building (Release)..."
  dotnet build "$ROOT_DIR/bench/OutboxLatency" -c Release --nologo -v quiet -clp:ErrorsOnly >/dev/null
  log "Outbox: $EVENTS events from $WRITERS concurrent writers..."
  dotnet "$ROOT_DIR/bench/OutboxLatency/bin/Release/net10.0/SmsRemarketing.OutboxLatency.dll" "$EVENTS" "$WRITERS" "$outbox_json" >/dev/null
fi


# ---- The whole stack: API load, the database's ceiling, the end-to-end drain, memory and start-up ----------------
ensure_wrk
rm -f "$RUN_DIR/startup.tsv"
log "Starting the stack fresh (start-up times are measured)..."
# Policy limits off for a capacity measurement: the per-key rate limit, Twilio's per-sender pacing and the bench
# clients' quiet hours (the run may fall at night). Sweeps are due from midnight and planned every 2 s, so the
# sweep stage starts when its trigger exists, not at 9 AM.
export Api__RateLimitPerSecond=1000000 Api__RateLimitBurst=1000000 Dispatcher__SenderMessagesPerSecond=100000
export Scheduler__SweepCron="0 0 0 * * ?" Scheduler__PlanInterval="$SWEEP_PLAN_INTERVAL"
"$ROOT_DIR/scripts/stack.sh" stop-services >/dev/null
psql_admin -c "DROP DATABASE IF EXISTS \"$PG_DB\" WITH (FORCE)" >/dev/null
"$ROOT_DIR/scripts/stack.sh" up >/dev/null
set -a; . "$RUN_DIR/stack.env"; set +a

rss_mb() { awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$(cat "$PID_DIR/$1.pid")/status"; }
rss_json() { printf '{'; local sep=""; for s in api dispatcher scheduler twilio-emulator; do printf '%s"%s":%s' "$sep" "$s" "$(rss_mb "$s")"; sep=","; done; printf '}'; }
# RSS less the file-backed pages (the runtime's and framework's mapped assemblies, shared by all four processes).
private_mb() { awk '/RssAnon|RssShmem/ {kb += $2} END {printf "%.0f", kb/1024}' "/proc/$(cat "$PID_DIR/$1.pid")/status"; }
private_json() { printf '{'; local sep=""; for s in api dispatcher scheduler twilio-emulator; do printf '%s"%s":%s' "$sep" "$s" "$(private_mb "$s")"; sep=","; done; printf '}'; }
# A field of a flat JSON answer, by sed: the loops below poll while the services are measured, and an interpreter's
# start-up in a loop (python3 behind a pyenv shim costs ~0.45 s of CPU) took most of a core away from them.
json_field() { sed -n "s/.*\"$1\": *\"\{0,1\}\([^\",}]*\).*/\1/p"; }

log "Seeding a client with credits and 1,000 leads..."
client="$(curl -fsS -X POST "$API_URL/clients" -H "X-Admin-Key: $ADMIN_KEY" -H 'Content-Type: application/json' -d '{"name":"Bench","email":"bench@bench.test","quiet_hours_enabled":false}')"
client_id="$(echo "$client" | json_field id)"
export API_KEY="$(echo "$client" | json_field api_key)"
curl -fsS -o /dev/null -X POST "$API_URL/credits/add" -H "X-Admin-Key: $ADMIN_KEY" -H 'Content-Type: application/json' \
  -d "{\"client_id\":\"$client_id\",\"amount\":10000000,\"reference\":\"bench-$client_id\"}"
psql_stack -c "INSERT INTO leads (id, client_id, phone, first_name, custom_fields, created_at, updated_at)
  SELECT gen_random_uuid(), '$client_id', '+1415' || lpad((5550000 + i)::text, 7, '0'), 'Lead' || i, '{}', now(), now()
  FROM generate_series(1, 1000) i" >/dev/null
export LEADS="$(psql_stack -c "SELECT string_agg(id::text, ',') FROM leads WHERE client_id = '$client_id'")"
rss_idle="$(rss_json)"

# Sends still on their way: outbox rows not yet published, events in RabbitMQ (ready or being consumed), messages
# being sent. Each is cheap to count (two partial indexes, the broker's own figure); counting the bench client's
# queued rows instead read every message of the client, a second of database time per poll once it had 100,000.
backlog() {
  local outbox sending queued
  outbox="$(psql_stack -c "SELECT count(*) FROM outbox_messages WHERE published_at IS NULL")"
  sending="$(psql_stack -c "SELECT count(*) FROM messages WHERE status = 'sending'")"
  queued="$(curl -fsS -u guest:guest "http://127.0.0.1:$RABBIT_MGMT_PORT/api/queues/%2F/send-sms?columns=messages" | json_field messages)"
  echo $((outbox + sending + ${queued:-0}))
}

drain() { # wait until nothing is on its way; the broker's figure lags up to 5 s, so it must read empty twice, 6 s apart
  local deadline=$((SECONDS + ${1:-300})) empty=0
  while [ "$empty" -lt 2 ]; do
    [ "$SECONDS" -lt "$deadline" ] || { log "warning: backlog not drained in time"; return 0; }
    if [ "$(backlog)" != 0 ]; then empty=0; sleep 1; continue; fi
    empty=$((empty + 1))
    if [ "$empty" -lt 2 ]; then sleep 6; fi
  done
}

# What the database spent its time on (pg_stat_statements, loaded by clusters that infra.sh initialised).
statements_loaded() { psql_stack -c "SHOW shared_preload_libraries" | grep -q pg_stat_statements; }
statements_reset() {
  statements_loaded || return 0
  psql_stack -c "SET client_min_messages = warning; CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null
  psql_stack -c "SELECT pg_stat_statements_reset()" >/dev/null
}
statements_write() {
  printf '# Statements by total execution time: %s\n\nCommit `%s`, %s; from pg_stat_statements.\n\n' "$1" "$(git -C "$ROOT_DIR" rev-parse --short HEAD)" "$(date -u +%FT%TZ)"
  statements_loaded || { echo "pg_stat_statements is not loaded in this cluster (see scripts/infra.sh)."; return 0; }
  echo '| calls | total ms | mean ms | rows | statement |'
  echo '|---|---|---|---|---|'
  psql_stack -F ' | ' -c "SELECT calls, round(total_exec_time), round(mean_exec_time::numeric, 3), rows,
      replace(left(regexp_replace(query, '\s+', ' ', 'g'), 160), '|', '\|')
    FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
    ORDER BY total_exec_time DESC LIMIT 12" | sed 's/^/| /; s/$/ |/'
}

# The Dispatcher is paused with SIGSTOP, not stopped: it resumes warm, as a Dispatcher that has been running sends. A
# restarted one would spend its first tens of seconds in the JIT and measure start-up (reported apart, below) instead.
# Whatever it had taken from RabbitMQ waits unacknowledged, or goes back to the queue if the broker drops the connection.
# It is paused only when idle (after a drain): frozen inside a claim, it would hold that claim's row locks.
pause_dispatcher() { kill -STOP "$(cat "$PID_DIR/dispatcher.pid")"; }
resume_dispatcher() { kill -CONT "$(cat "$PID_DIR/dispatcher.pid")"; }

queued_since() { psql_stack -c "SELECT count(*) FROM messages WHERE client_id = '$client_id' AND created_at >= '$1'"; }

export LIMIT=0
# Services run warm: a fresh process spends its first tens of seconds in the JIT (tiered compilation recompiles the
# hot methods with their profile; start-up time is measured below). So first 40 s of the same load with the whole
# pipeline running, which warms the Api, the relay, the Dispatcher and the status callbacks alike.
log "Warm-up: $WARMUP_S s of POST /messages/send with the whole pipeline running..."
wrk -t2 -c32 -d"$WARMUP_S"s -s "$ROOT_DIR/bench/send.lua" "$API_URL" >/dev/null
drain 900

# From here on the emulator answers after 10 ms, and counts what it receives from zero.
curl -fsS -o /dev/null -X DELETE "$TWILIO_BASE_URL/_emulator/messages"
faults="$(curl -fsS "$TWILIO_BASE_URL/_emulator/faults" | python3 -c 'import json,sys; f=json.load(sys.stdin); f["latencyMs"]=10; print(json.dumps(f))')"
curl -fsS -o /dev/null -X PUT "$TWILIO_BASE_URL/_emulator/faults" -H 'Content-Type: application/json' -d "$faults"

if [ -z "$ONLY" ]; then
  # The Api alone: the Dispatcher is paused, so the sends queue in RabbitMQ and the Api (with its outbox relay) has
  # the machine to itself, as pgbench has below. What it accepts is the end-to-end stage's backlog.
  log "API: POST /messages/send, 32 connections, 30 s (Dispatcher paused)..."
  pause_dispatcher
  statements_reset
  mark="$(psql_stack -c "SELECT clock_timestamp()")"
  api="$(wrk -t2 -c32 -d30s -s "$ROOT_DIR/bench/send.lua" "$API_URL" | tail -n 1)"
  log "  $api"
  statements_write "the Api alone, 30 s of POST /messages/send" > "$results/latest-statements.md"
  accepted="$(queued_since "$mark")"
  if [ "$accepted" -lt "$E2E_SENDS" ]; then
    # A slow Api accepted fewer than the drain needs: the rest, at the same load. A wrk thread stops at LIMIT, but wrk
    # itself waits out its duration: stop it (SIGINT prints its summary) once the sends are in.
    log "  topping the backlog up to $E2E_SENDS sends..."
    LIMIT=$(((E2E_SENDS - accepted) / 2 + 1)) wrk -t2 -c32 -d600s -s "$ROOT_DIR/bench/send.lua" "$API_URL" >/dev/null &
    wrk_pid=$!
    until [ "$(queued_since "$mark")" -ge "$E2E_SENDS" ] || ! kill -0 "$wrk_pid" 2>/dev/null; do sleep 0.5; done
    kill -INT "$wrk_pid" 2>/dev/null || true
    wait "$wrk_pid" || true
    accepted="$(queued_since "$mark")"
  fi

  log "End to end: the $accepted sends queued above, drained; emulator at 10 ms latency..."
  started=$(date +%s.%N)
  resume_dispatcher
  deadline=$((SECONDS + 900))
  # Polled once a second (each poll costs the machine a curl); the drain's own figure comes from the rows' timestamps.
  until [ "$(curl -fsS "$TWILIO_BASE_URL/_emulator/requests" | json_field created)" -ge "$accepted" ]; do
    [ "$SECONDS" -lt "$deadline" ] || { log "warning: the emulator did not receive every message in time"; break; }
    sleep 1
  done
  e2e_wall_seconds="$(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }')"
  drain 120
  stages="$(psql_stack -c "
    WITH m AS (
      SELECT extract(epoch FROM o.published_at - o.created_at) * 1000 AS commit_to_publish,
             extract(epoch FROM m.last_attempt_at - o.published_at) * 1000 AS publish_to_consume,
             extract(epoch FROM m.sent_at - m.last_attempt_at) * 1000 AS consume_to_twilio,
             m.last_attempt_at, m.sent_at
      FROM messages m JOIN outbox_messages o ON (o.body::jsonb ->> 'messageId')::uuid = m.id
      WHERE m.client_id = '$client_id' AND m.created_at >= '$mark' AND m.sent_at IS NOT NULL)
    SELECT json_build_object(
      'commit_to_publish_p50_ms', round(percentile_cont(0.5) WITHIN GROUP (ORDER BY commit_to_publish)::numeric, 1),
      'commit_to_publish_p99_ms', round(percentile_cont(0.99) WITHIN GROUP (ORDER BY commit_to_publish)::numeric, 1),
      'publish_to_consume_p50_ms', round(percentile_cont(0.5) WITHIN GROUP (ORDER BY publish_to_consume)::numeric, 1),
      'publish_to_consume_p99_ms', round(percentile_cont(0.99) WITHIN GROUP (ORDER BY publish_to_consume)::numeric, 1),
      'consume_to_twilio_p50_ms', round(percentile_cont(0.5) WITHIN GROUP (ORDER BY consume_to_twilio)::numeric, 1),
      'consume_to_twilio_p99_ms', round(percentile_cont(0.99) WITHIN GROUP (ORDER BY consume_to_twilio)::numeric, 1),
      'drain_seconds', round(extract(epoch FROM max(sent_at) - min(last_attempt_at))::numeric, 2),
      'sent', count(*)) FROM m")"
  log "  $stages"

  log "API: the same load for 20 s while the Dispatcher sends (the whole pipeline on the machine at once)..."
  api_mixed="$(wrk -t2 -c32 -d20s -s "$ROOT_DIR/bench/send.lua" "$API_URL" | tail -n 1)"
  log "  $api_mixed"
  drain 900

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
fi

# ---- lead_age sweep: 1,000,000 leads, 100,000 of them created on the day the trigger is due ----------------------
# The campaign stage below reuses these leads: the last BENCH_CAMPAIGN_RECIPIENTS of them (none due) carry
# custom_fields.bench_cohort = "campaign", its segment. Set in the INSERT: an UPDATE afterwards would rewrite them.
log "Sweep: seeding $SWEEP_LEADS leads ($SWEEP_DUE due today; $CAMPAIGN_RECIPIENTS in the campaign's segment)..."
sweep_client="$(curl -fsS -X POST "$API_URL/clients" -H "X-Admin-Key: $ADMIN_KEY" -H 'Content-Type: application/json' -d '{"name":"Sweep bench","email":"sweep@bench.test","quiet_hours_enabled":false}')"
sweep_client_id="$(echo "$sweep_client" | json_field id)"
sweep_key="$(echo "$sweep_client" | json_field api_key)"
curl -fsS -o /dev/null -X POST "$API_URL/credits/add" -H "X-Admin-Key: $ADMIN_KEY" -H 'Content-Type: application/json' \
  -d "{\"client_id\":\"$sweep_client_id\",\"amount\":10000000,\"reference\":\"bench-$sweep_client_id\"}"
# Valid US numbers (+1 415 200-0001 up): the destination rule refuses numbers libphonenumber places nowhere.
# Leads due: created 30 days ago (UTC, the client's zone); the rest spread over the year before.
psql_stack -c "INSERT INTO leads (id, client_id, phone, first_name, custom_fields, created_at, updated_at)
  SELECT gen_random_uuid(), '$sweep_client_id', '+1415' || (2000000 + i)::text, 'Lead' || i,
         CASE WHEN i > $SWEEP_LEADS - $CAMPAIGN_RECIPIENTS THEN '{\"bench_cohort\": \"campaign\"}' ELSE '{}' END::jsonb,
         CASE WHEN i <= $SWEEP_DUE THEN (now() AT TIME ZONE 'UTC')::date - 30 + make_interval(secs => i % 86400)
              ELSE (now() AT TIME ZONE 'UTC')::date - 31 - (i % 330) + make_interval(secs => i % 86400) END AT TIME ZONE 'UTC',
         now()
  FROM generate_series(1, $SWEEP_LEADS) i" >/dev/null
psql_stack -c "ANALYZE leads" >/dev/null
if [ -z "$ONLY" ]; then
  template_id="$(curl -fsS -X POST "$API_URL/templates" -H "X-API-Key: $sweep_key" -H 'Content-Type: application/json' \
    -d '{"name":"Month","body":"Hi {{first_name}}, it has been a month: 10% off this week."}' | json_field id)"
  hwm_before="$(awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$(cat "$PID_DIR/scheduler.pid")/status")"
  log "Sweep: trigger lead_age 30 days; the Scheduler plans it within ${SWEEP_PLAN_INTERVAL}..."
  trigger_id="$(curl -fsS -X POST "$API_URL/triggers" -H "X-API-Key: $sweep_key" -H 'Content-Type: application/json' \
    -d "{\"name\":\"Month\",\"type\":\"lead_age\",\"days\":30,\"template_id\":\"$template_id\"}" | json_field id)"
  deadline=$((SECONDS + 900))
  until [ "$(psql_stack -c "SELECT count(*) FROM sweep_runs WHERE trigger_id = '$trigger_id' AND completed_at IS NOT NULL")" = 1 ]; do
    [ "$SECONDS" -lt "$deadline" ] || { log "warning: the sweep did not complete in time"; break; }
    sleep 0.5
  done
  drain $((deadline - SECONDS))
  sweep="$(psql_stack -c "
    SELECT json_build_object(
      'leads', $SWEEP_LEADS, 'due', $SWEEP_DUE,
      'queued', (SELECT queued FROM sweep_runs WHERE trigger_id = '$trigger_id'),
      'sent', (SELECT count(*) FROM messages WHERE trigger_id = '$trigger_id' AND sent_at IS NOT NULL),
      'enqueue_s', (SELECT round(extract(epoch FROM completed_at - requested_at)::numeric, 2) FROM sweep_runs WHERE trigger_id = '$trigger_id'),
      'send_s', (SELECT round(extract(epoch FROM max(m.sent_at) - r.requested_at)::numeric, 2)
                 FROM messages m, sweep_runs r WHERE m.trigger_id = '$trigger_id' AND r.trigger_id = m.trigger_id GROUP BY r.requested_at))")"
  sweep_hwm="$(awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$(cat "$PID_DIR/scheduler.pid")/status")"
  log "  $sweep; Scheduler peak RSS $sweep_hwm MB (before the sweep: $hwm_before MB)"
fi

rss_after="$(rss_json)"
private_after="$(private_json)"
startup="$(awk -F'\t' 'BEGIN {printf "{"} {printf "%s\"%s\":%s", (NR>1?",":""), $1, $2} END {printf "}"}' "$RUN_DIR/startup.tsv")"

# ---- Campaign: 100,000 of the sweep's 1,000,000 leads, scheduled through the Api ----------------------------------
# Measured after the figures above (memory "after the load" included), so they stay comparable with earlier runs.
# The schedule call plans and writes the whole audience inside the HTTP request, in the Api process: so the Api's
# memory is sampled around it, and single sends go on at a modest rate to see what the Api answers meanwhile.
# A new_lead trigger's welcome (a lead created by POST /leads → its message accepted by Twilio, from the rows'
# timestamps) is measured with no campaign and while the campaign drains.
log "Campaign: a segment of $CAMPAIGN_RECIPIENTS of the $SWEEP_LEADS leads, a template with {{first_name}}..."
tenant_post() { curl -fsS -X POST "$API_URL$1" -H "X-API-Key: $2" -H 'Content-Type: application/json' -d "$3"; }
segment_id="$(tenant_post /segments "$sweep_key" \
  '{"name":"Bench cohort","filter":{"field":"custom_fields.bench_cohort","op":"eq","value":"campaign"}}' | json_field id)"
# A campaign's own body is sent as written; a template's placeholders are rendered for each recipient.
campaign_template_id="$(tenant_post /templates "$sweep_key" \
  '{"name":"Spring sale","body":"Hi {{first_name}}, our spring sale starts today: 20% off everything in store."}' | json_field id)"
# No send_at (it goes when scheduled) and no throttle_per_minute (none).
campaign_id="$(tenant_post /campaigns "$sweep_key" \
  "{\"name\":\"Bench campaign\",\"segment_id\":\"$segment_id\",\"template_id\":\"$campaign_template_id\"}" | json_field id)"

welcome_client="$(curl -fsS -X POST "$API_URL/clients" -H "X-Admin-Key: $ADMIN_KEY" -H 'Content-Type: application/json' -d '{"name":"Welcome bench","email":"welcome@bench.test","quiet_hours_enabled":false}')"
welcome_client_id="$(echo "$welcome_client" | json_field id)"
welcome_key="$(echo "$welcome_client" | json_field api_key)"
curl -fsS -o /dev/null -X POST "$API_URL/credits/add" -H "X-Admin-Key: $ADMIN_KEY" -H 'Content-Type: application/json' \
  -d "{\"client_id\":\"$welcome_client_id\",\"amount\":100000,\"reference\":\"bench-$welcome_client_id\"}"
welcome_template_id="$(tenant_post /templates "$welcome_key" '{"name":"Welcome","body":"Welcome {{first_name|there}}! Reply STOP to opt out."}' | json_field id)"
welcome_trigger_id="$(tenant_post /triggers "$welcome_key" \
  "{\"name\":\"Welcome\",\"type\":\"new_lead\",\"template_id\":\"$welcome_template_id\"}" | json_field id)"
# Lead k gets +1 415 400-0000 + k: idle ones k < 1000, those during the drain k ≥ 1000.
welcome_lead() { tenant_post /leads "$welcome_key" "{\"phone\":\"+1415$((4000000 + $1))\",\"first_name\":\"New$1\"}" >/dev/null; }

# The probe: single sends (bench/send.lua, the first client's leads) from 10 connections that each pause between
# requests, about PROBE_RATE a second. A closed loop: when the Api slows down the probe sends less, so its p99 is
# what those requests saw, not what an open-loop client would. Stopped with SIGINT, wrk prints its summary.
probe_start() { LIMIT=0 DELAY_MS=$((10 * 1000 / PROBE_RATE)) wrk -t1 -c10 -d600s -s "$ROOT_DIR/bench/send.lua" "$API_URL" > "$1" & probe_pid=$!; }
# Sets probe (the summary's JSON line). Not in a $(…): wait needs the shell that started wrk.
probe_stop() { kill -INT "$probe_pid" 2>/dev/null || true; wait "$probe_pid" || true; probe="$(tail -n 1 "$1")"; }
probe_file="$(mktemp)"

# The Api's memory (MB: RSS, and RSS less file-backed pages) every 0.1 s until the flag file is removed; prints the
# peaks. Read with bash builtins: no process is started per sample.
api_pid="$(cat "$PID_DIR/api.pid")"
memory_peaks() {
  local rss peak_rss=0 private peak_private=0 key value _
  while [ -e "$1" ]; do
    rss=0 private=0
    while read -r key value _; do
      case "$key" in VmRSS:) rss=$value ;; RssAnon:|RssShmem:) private=$((private + value)) ;; esac
    done < "/proc/$api_pid/status"
    [ "$rss" -le "$peak_rss" ] || peak_rss=$rss
    [ "$private" -le "$peak_private" ] || peak_private=$private
    sleep 0.1
  done
  echo "$(((peak_rss + 512) / 1024)) $(((peak_private + 512) / 1024))"
}
memory_flag="$(mktemp)" memory_file="$(mktemp)"
sample_start() { touch "$memory_flag"; memory_peaks "$memory_flag" > "$memory_file" & sampler_pid=$!; }
sample_stop() { rm -f "$memory_flag"; wait "$sampler_pid"; read -r peak_rss peak_private < "$memory_file"; }
now_s() { date +%s.%N; }
elapsed() { awk -v s="$1" -v e="$2" 'BEGIN { printf "%.2f", e - s }'; }

# Lead 0 is not counted: the first new_lead firing of the run compiles its path (the JIT), in every service.
welcome_lead 0
sleep 2
log "Campaign: with no campaign, ~$PROBE_RATE single sends/s for 12 s and a new lead every 2 s..."
probe_start "$probe_file"
for k in 1 2 3 4 5 6; do welcome_lead "$k"; sleep 2; done
probe_stop "$probe_file"; probe_idle="$probe"
log "  sends: $probe_idle"

log "Campaign: estimate..."
estimate_file="$(mktemp)"
sample_start
read -r estimate_code campaign_estimate_s < <(curl -sS -o "$estimate_file" -w '%{http_code} %{time_total}\n' -X POST "$API_URL/campaigns/$campaign_id/estimate" -H "X-API-Key: $sweep_key")
sample_stop; estimate_peak_rss=$peak_rss estimate_peak_private=$peak_private
[ "$estimate_code" = 200 ] || die "the estimate answered $estimate_code: $(cat "$estimate_file")"
campaign_estimate_s="$(printf '%.2f' "$campaign_estimate_s")"
estimate_recipients="$(json_field recipients < "$estimate_file")"
log "  ${campaign_estimate_s} s: $(cat "$estimate_file")"
[ "$estimate_recipients" = "$CAMPAIGN_RECIPIENTS" ] || log "warning: the estimate counts $estimate_recipients recipients, not $CAMPAIGN_RECIPIENTS"

log "Campaign: schedule (the Api plans and writes every recipient and message in the request)..."
rss_before="$(rss_mb api)" private_before="$(private_mb api)"
# Resets the process's VmHWM, so that after the call it is the exact peak RSS during it (the polled one may miss a spike).
echo 5 2>/dev/null > "/proc/$api_pid/clear_refs" || true
statements_reset
probe_start "$probe_file"
sample_start
schedule_file="$(mktemp)"
schedule_started="$(now_s)"
read -r schedule_code campaign_schedule_call_s < <(curl -sS -o "$schedule_file" -w '%{http_code} %{time_total}\n' -X POST "$API_URL/campaigns/$campaign_id/schedule" -H "X-API-Key: $sweep_key")
schedule_answered="$(now_s)"
[ "$schedule_code" = 200 ] || die "the schedule answered $schedule_code: $(cat "$schedule_file")"
recipients="$(json_field recipients < "$schedule_file")"
# Every message of the campaign scheduled or queued (or further on). The schedule commits them all at once, so this
# holds when it answers; checked, not assumed, before anything else is done.
until [ "$(psql_stack -c "SELECT count(*) FROM messages WHERE campaign_id = '$campaign_id'")" -ge "$recipients" ]; do sleep 0.2; done
campaign_enqueue_s="$(elapsed "$schedule_started" "$(now_s)")"
campaign_schedule_call_s="$(printf '%.2f' "$campaign_schedule_call_s")"
sample_stop; rss_peak=$peak_rss private_peak=$peak_private
probe_stop "$probe_file"; probe_fanout="$probe"
rss_hwm="$(awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$api_pid/status")"
rss_after_schedule="$(rss_mb api)" private_after_schedule="$(private_mb api)"
statements_write "the campaign's schedule call ($CAMPAIGN_RECIPIENTS recipients), with ~$PROBE_RATE single sends/s" > "$results/$prefix-campaign-statements.md"
log "  enqueue ${campaign_enqueue_s} s (the call ${campaign_schedule_call_s} s), $recipients recipients; Api RSS $rss_before → peak $rss_peak (VmHWM $rss_hwm) → $rss_after_schedule MB, private $private_before → $private_peak → $private_after_schedule MB"
log "  sends meanwhile: $probe_fanout"

log "Campaign: the drain, watched for at most $CAMPAIGN_DRAIN_S s; ~$PROBE_RATE single sends/s and a new lead every 2 s..."
probe_start "$probe_file"
k=1000
watch_until=$((SECONDS + CAMPAIGN_DRAIN_S))
while [ "$SECONDS" -lt "$watch_until" ]; do
  welcome_lead "$k"; k=$((k + 1))
  [ "$(psql_stack -c "SELECT status FROM campaigns WHERE id = '$campaign_id'")" != completed ] || break
  sleep 2
done
watch_ended="$(now_s)"
probe_stop "$probe_file"; probe_drain="$probe"
log "  sends: $probe_drain"
campaign_status="$(psql_stack -c "SELECT status FROM campaigns WHERE id = '$campaign_id'")"
campaign_cancel_s=null cancel_answers=""
if [ "$campaign_status" != completed ]; then
  log "Campaign: still $campaign_status after $CAMPAIGN_DRAIN_S s: canceled (what is at Twilio finishes)..."
  # Every answer is kept (cancel_answers): a failed cancel is a finding, not something to retry away unseen.
  cancel_file="$(mktemp)"
  for attempt in 1 2 3; do
    read -r cancel_code cancel_time < <(curl -sS -o "$cancel_file" -w '%{http_code} %{time_total}\n' -X POST "$API_URL/campaigns/$campaign_id/cancel" -H "X-API-Key: $sweep_key")
    cancel_answers="$cancel_answers${cancel_answers:+,}$cancel_code"
    [ "$cancel_code" != 200 ] || { campaign_cancel_s="$(printf '%.2f' "$cancel_time")"; break; }
    log "warning: the cancel answered $cancel_code after $cancel_time s: $(head -c 300 "$cancel_file")"
    sleep 1
  done
  rm -f "$cancel_file"
fi
# Settled: completed or canceled, with nothing of it in flight; and every welcome sent (or a minute passed).
deadline=$((SECONDS + 300))
until [ -n "$(psql_stack -c "SELECT settled_at FROM campaigns WHERE id = '$campaign_id'")" ]; do
  [ "$SECONDS" -lt "$deadline" ] || { log "warning: the campaign did not settle in time"; break; }
  sleep 1
done
deadline=$((SECONDS + 60))
until [ "$(psql_stack -c "SELECT count(*) FROM messages WHERE client_id = '$welcome_client_id' AND sent_at IS NOT NULL")" -ge $((7 + k - 1000)) ]; do
  [ "$SECONDS" -lt "$deadline" ] || { log "warning: not every welcome was sent within a minute"; break; }
  sleep 1
done
# The Api's memory once more, the campaign settled: what the schedule call left behind, or gave back.
rss_settled="$(rss_mb api)" private_settled="$(private_mb api)"
campaign="$(psql_stack -c "
  WITH w AS (
    SELECT l.phone < '+14154001000' AS idle, extract(epoch FROM m.sent_at - l.created_at) * 1000 AS ms
    FROM leads l LEFT JOIN messages m ON m.lead_id = l.id AND m.trigger_id = '$welcome_trigger_id'
    WHERE l.client_id = '$welcome_client_id' AND l.phone <> '+14154000000')
  SELECT json_build_object(
    'recipients', c.recipients, 'status', c.status,
    'sent_while_watched', (SELECT count(*) FROM messages WHERE campaign_id = c.id AND sent_at <= to_timestamp($watch_ended)),
    'sent', (SELECT count(*) FROM messages WHERE campaign_id = c.id AND sent_at IS NOT NULL),
    'watched_s', round(($watch_ended - $schedule_answered)::numeric, 2),
    'drained_s', (SELECT round(extract(epoch FROM max(sent_at) - to_timestamp($schedule_answered))::numeric, 2)
                  FROM messages WHERE campaign_id = c.id AND sent_at <= to_timestamp($watch_ended)),
    'first_release_s', (SELECT round(extract(epoch FROM min(queued_at) - to_timestamp($schedule_answered))::numeric, 2) FROM messages WHERE campaign_id = c.id),
    'completed_s', round(extract(epoch FROM c.completed_at - to_timestamp($schedule_started))::numeric, 2),
    'welcome_idle_p50_ms', (SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric) FROM w WHERE idle),
    'welcome_idle_max_ms', (SELECT round(max(ms)::numeric) FROM w WHERE idle),
    'welcome_drain_p50_ms', (SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric) FROM w WHERE NOT idle),
    'welcome_drain_max_ms', (SELECT round(max(ms)::numeric) FROM w WHERE NOT idle),
    'welcome_drain_leads', (SELECT count(*) FROM w WHERE NOT idle),
    'welcome_unsent', (SELECT count(*) FROM w WHERE ms IS NULL))
  FROM campaigns c WHERE c.id = '$campaign_id'")"
log "  $campaign"
export BENCH_CAMPAIGN="$campaign" BENCH_CAMPAIGN_ESTIMATE="$(cat "$estimate_file")" BENCH_CAMPAIGN_TIMES="{
  \"estimate_s\": $campaign_estimate_s, \"estimate_recipients\": $estimate_recipients, \"enqueue_s\": $campaign_enqueue_s,
  \"schedule_call_s\": $campaign_schedule_call_s, \"cancel_s\": $campaign_cancel_s, \"cancel_answers\": [$cancel_answers],
  \"watch_limit_s\": $CAMPAIGN_DRAIN_S,
  \"api_rss_mb\": {\"before\": $rss_before, \"peak\": $rss_peak, \"peak_hwm\": $rss_hwm, \"after\": $rss_after_schedule, \"settled\": $rss_settled},
  \"api_private_mb\": {\"before\": $private_before, \"peak\": $private_peak, \"after\": $private_after_schedule, \"settled\": $private_settled},
  \"api_rss_mb_estimate_peak\": $estimate_peak_rss, \"api_private_mb_estimate_peak\": $estimate_peak_private,
  \"probe_rate\": $PROBE_RATE, \"sends_idle\": $probe_idle, \"sends_fanout\": $probe_fanout, \"sends_drain\": $probe_drain}"
rm -f "$probe_file" "$memory_flag" "$memory_file" "$estimate_file" "$schedule_file"

commit="$(git -C "$ROOT_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)"
date="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
cores="$(nproc)"
memory_gib="$(awk '/MemTotal/ {printf "%.0f", $2/1048576}' /proc/meminfo)"
export BENCH_RSS_IDLE="$rss_idle" BENCH_RSS_AFTER="$rss_after" BENCH_PRIVATE_AFTER="$private_after" BENCH_STARTUP="$startup" \
  BENCH_COMMIT="$commit" BENCH_DATE="$date" BENCH_CORES="$cores" BENCH_MEMORY="$memory_gib" BENCH_RESULTS="$results" \
  BENCH_ONLY="$ONLY" BENCH_CAMPAIGN_SIZE="{\"leads\": $SWEEP_LEADS, \"recipients\": $CAMPAIGN_RECIPIENTS}"
if [ -z "$ONLY" ]; then
  export BENCH_OUTBOX="$(cat "$outbox_json")" BENCH_API="$api" BENCH_API_MIXED="$api_mixed" BENCH_PGBENCH_TPS="$pgbench_tps" \
    BENCH_ACCEPTED="$accepted" BENCH_E2E_WALL="$e2e_wall_seconds" BENCH_STAGES="$stages" \
    BENCH_SWEEP="$sweep" BENCH_SWEEP_HWM="$sweep_hwm"
fi
python3 "$ROOT_DIR/bench/report.py"
rm -f "$outbox_json"
# The services ran with the bench's database and settings: stopped, so that make run starts them as usual.
"$ROOT_DIR/scripts/stack.sh" stop-services >/dev/null
log "The services are stopped (they ran on the bench's database, $PG_DB); make run starts them as usual."
