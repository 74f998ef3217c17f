#!/usr/bin/env bash
# make chaos: the fault scenarios of issue 10 (tools/Chaos), each with a campaign draining through its fault (issue 18),
# against a PRIVATE stack — its own PostgreSQL cluster,
# RabbitMQ node (own node name, epmd and distribution ports, cookie), emulator and services, on their own ports, with
# everything under .run/chaos. Scenarios stop and kill these servers, so they must never be the shared ones that
# make run and make test use: every port below differs from lib.sh's defaults, and the run refuses otherwise.
#   CHAOS_SENDS=5000 CHAOS_SCENARIOS=rabbitmq-outage,api-kill CHAOS_SEED=1 scripts/chaos.sh
#   CHAOS_LONG_OUTAGE_SECONDS=300 (default 120): how long postgres-long-outage keeps PostgreSQL stopped.
#   CHAOS_CAMPAIGN_RECIPIENTS=300 (the default): the size of each scenario's campaign.
# SMSR_CONFIGURATION=Debug uses make test's build instead of a Release build (CI).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

export SMSR_RUN_DIR="$ROOT/.run/chaos"
export SMSR_PG_PORT="${CHAOS_PG_PORT:-54339}" SMSR_PG_DB=smsr_chaos
export SMSR_RABBIT_PORT="${CHAOS_RABBIT_PORT:-56739}" SMSR_RABBIT_MGMT_PORT="${CHAOS_RABBIT_MGMT_PORT:-15689}"
export SMSR_RABBIT_DIST_PORT="${CHAOS_RABBIT_DIST_PORT:-25689}" SMSR_RABBIT_EPMD_PORT="${CHAOS_RABBIT_EPMD_PORT:-43709}"
export SMSR_RABBIT_NODE="chaos@localhost"
export SMSR_HEALTH_TIMEOUT=300
export SMSR_API_PORT=5180 SMSR_DISPATCHER_PORT=5181 SMSR_SCHEDULER_PORT=5182 SMSR_EMULATOR_PORT=5190
export CHAOS_EXTRA_API_PORTS=5183 CHAOS_EXTRA_DISPATCHER_PORTS=5184,5185 CHAOS_EXTRA_SCHEDULER_PORTS=5186
# The emulator, never real Twilio, whatever this shell holds.
unset TWILIO_ACCOUNT_SID TWILIO_AUTH_TOKEN TWILIO_BASE_URL TWILIO_STATUS_CALLBACK_URL ADMIN_KEY API_PUBLIC_URL
source "$ROOT/scripts/lib.sh"

for port in "$PG_PORT" "$RABBIT_PORT" "$RABBIT_MGMT_PORT" "$RABBIT_DIST_PORT" "$RABBIT_EPMD_PORT"; do
  case "$port" in 54329|56729|15679|25679|43699) die "port $port belongs to the shared servers; chaos stops its servers" ;; esac
done

# Policies lifted and clocks shortened so a scenario ends in minutes (not capacities or guarantees):
# - the per-key Api limit and Twilio's per-sender pacing (make bench lifts them too);
# - a message left 'sending' by a killed Dispatcher is taken over after 20 s instead of 5 min; 20 s is still far
#   above one attempt (a request, at most 10 s of backoff, the 2 s wait before asking Twilio);
# - the lead_age sweep time is midnight, so an active trigger is due at once, and the Scheduler looks every 2 s.
export Api__RateLimitPerSecond=1000000 Api__RateLimitBurst=1000000
export Dispatcher__SenderMessagesPerSecond=100000 Dispatcher__StuckAfter=00:00:20 Dispatcher__ReconcileInterval=00:00:02
export Dispatcher__ReconcileDelay=00:00:02
export Scheduler__SweepCron="0 0 0 * * ?" Scheduler__PlanInterval=00:00:02
# - a message queued for a minute gets its event again (not 5 min), a sweep unfinished for 2 min is run again (not
#   30 min): the copies meet the claim's guard and the firings, and must still send nothing twice.
export Scheduler__RedriveAfter=00:01:00 Scheduler__RedriveInterval=00:00:05 Scheduler__ResweepAfter=00:02:00
# - the campaign pass runs every second (its default, said here so a change of default cannot slow the run) and keeps at
#   most 20 of a campaign's messages queued (not 2,000), so a campaign of a few hundred drains in waves over the fault
#   instead of in one burst before it.
export Scheduler__Campaigns__Interval=00:00:01 Scheduler__Campaigns__LaneBacklog=20

# A fresh stack each time: whatever an interrupted run left is stopped (it is ours: same directory and ports).
"$ROOT/scripts/stack.sh" down >/dev/null 2>&1 || true
rm -rf "$SMSR_RUN_DIR"
mkdir -p "$SMSR_RUN_DIR"

status=1
finish() {
  "$ROOT/scripts/stack.sh" down >&2 || true
  if [ "$status" -eq 0 ]; then
    rm -rf "$SMSR_RUN_DIR/postgres" "$SMSR_RUN_DIR/rabbitmq" "$SMSR_RUN_DIR/logs" "$SMSR_RUN_DIR/pids"
  else
    log "chaos failed: logs and data kept under $SMSR_RUN_DIR (services: logs/<service>.log)"
  fi
}
trap finish EXIT

started=$SECONDS
"$ROOT/scripts/stack.sh" up >"$SMSR_RUN_DIR/stack-up.log" || { cat "$SMSR_RUN_DIR/stack-up.log" >&2; exit 1; }
set -a; . "$SMSR_RUN_DIR/stack.env"; set +a
export SMSR_ROOT_DIR="$ROOT" CHAOS_DATABASE="$DATABASE_CONNECTION"
log "chaos: private stack up in $((SECONDS - started)) s (PostgreSQL :$PG_PORT, RabbitMQ :$RABBIT_PORT, Api :$API_PORT)"

status=0
dotnet "$ROOT/tools/Chaos/bin/${SMSR_CONFIGURATION:-Release}/net10.0/SmsRemarketing.Chaos.dll" | tee "$SMSR_RUN_DIR/results.txt" || status=$?
log "chaos: $((SECONDS - started)) s in all"
exit "$status"
