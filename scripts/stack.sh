#!/usr/bin/env bash
# make run / make stop: the whole stack as local processes, no Docker.
#   scripts/stack.sh up | down | status | migrate | restart | stop-services | start <name> [port] | stop <name>
# up: PostgreSQL + RabbitMQ (scripts/infra.sh), a Release build, migrations, the Twilio emulator (unless
# TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are set), the Api, the Dispatcher and the Scheduler; waits for each
# health check; writes .run/stack.env. Running it again on a running stack changes nothing.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SERVICES=(twilio-emulator api dispatcher scheduler)
CONFIGURATION="${SMSR_CONFIGURATION:-Release}"   # make chaos in CI reuses make test's Debug build
EMULATOR_ACCOUNT_SID="AC00000000000000000000000000000001"
EMULATOR_AUTH_TOKEN="emulator-auth-token"

# Extra instances (make chaos's scale-out) are named after their service: api-2, dispatcher-3 run the api and
# dispatcher builds on the port given when they were started.
base_of() { echo "${1%-[0-9]*}"; }

dll_of() {
  case "$(base_of "$1")" in
    api) echo "$ROOT_DIR/src/Api/bin/$CONFIGURATION/net10.0/SmsRemarketing.Api.dll" ;;
    dispatcher) echo "$ROOT_DIR/src/Dispatcher/bin/$CONFIGURATION/net10.0/SmsRemarketing.Dispatcher.dll" ;;
    scheduler) echo "$ROOT_DIR/src/Scheduler/bin/$CONFIGURATION/net10.0/SmsRemarketing.Scheduler.dll" ;;
    twilio-emulator) echo "$ROOT_DIR/tools/TwilioEmulator/bin/$CONFIGURATION/net10.0/SmsRemarketing.TwilioEmulator.dll" ;;
    migrator) echo "$ROOT_DIR/tools/Migrator/bin/$CONFIGURATION/net10.0/SmsRemarketing.Migrator.dll" ;;
  esac
}

port_of() {
  if [ -s "$PID_DIR/$1.port" ]; then cat "$PID_DIR/$1.port"; return; fi
  case "$1" in
    api) echo "$API_PORT" ;; dispatcher) echo "$DISPATCHER_PORT" ;;
    scheduler) echo "$SCHEDULER_PORT" ;; twilio-emulator) echo "$EMULATOR_PORT" ;;
  esac
}

health_url_of() {
  case "$(base_of "$1")" in
    twilio-emulator) echo "http://127.0.0.1:$EMULATOR_PORT/health" ;;
    *) echo "http://127.0.0.1:$(port_of "$1")/health/ready" ;;
  esac
}

running() { local pid; pid="$(cat "$PID_DIR/$1.pid" 2>/dev/null)" && kill -0 "$pid" 2>/dev/null; }
healthy() { curl -fsS -o /dev/null --max-time 2 "$(health_url_of "$1")"; }

admin_key() {
  local file="$RUN_DIR/admin_key"
  if [ -n "${ADMIN_KEY:-}" ]; then echo "$ADMIN_KEY"; return; fi
  [ -s "$file" ] || { printf 'adm_%s\n' "$(head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 40)" > "$file"; chmod 600 "$file"; }
  cat "$file"
}

use_real_twilio() { [ -n "${TWILIO_ACCOUNT_SID:-}" ] && [ -n "${TWILIO_AUTH_TOKEN:-}" ]; }

twilio_settings() {
  if use_real_twilio; then
    TW_SID="$TWILIO_ACCOUNT_SID"; TW_TOKEN="$TWILIO_AUTH_TOKEN"; TW_URL="${TWILIO_BASE_URL:-https://api.twilio.com}"
  else
    TW_SID="$EMULATOR_ACCOUNT_SID"; TW_TOKEN="$EMULATOR_AUTH_TOKEN"; TW_URL="http://127.0.0.1:$EMULATOR_PORT"
  fi
}

build() {
  log "Building ($CONFIGURATION)..."
  # The projects make run and make chaos start (a solution filter), not the test projects: half the build time.
  dotnet build "$ROOT_DIR/SmsRemarketing.Stack.slnf" -c "$CONFIGURATION" --nologo -v quiet -clp:ErrorsOnly >"$LOG_DIR/build.log" 2>&1 \
    || { tail -n 30 "$LOG_DIR/build.log" >&2; die "build failed (see $LOG_DIR/build.log)"; }
}

migrate() {
  log "Applying migrations to $PG_DB..."
  ConnectionStrings__Database="$DATABASE_CONNECTION" dotnet "$(dll_of migrator)" | sed 's/^/  /' >&2
}

start_service() {
  local name="$1"
  if running "$name" && healthy "$name"; then log "$name: already running"; return 0; fi
  running "$name" && kill "$(cat "$PID_DIR/$name.pid")" 2>/dev/null || true
  local dll; dll="$(dll_of "$name")"
  [ -f "$dll" ] || die "$dll is missing: the build did not produce it"
  log "$name: starting on 127.0.0.1:$(port_of "$name") (log: $LOG_DIR/$name.log)"
  (
    cd "$(dirname "$dll")"
    export ASPNETCORE_URLS="http://127.0.0.1:$(port_of "$name")"
    export DOTNET_ENVIRONMENT=Production ASPNETCORE_ENVIRONMENT=Production
    export ConnectionStrings__Database="$DATABASE_CONNECTION" RabbitMq__Url="$RABBITMQ_URL"
    export Api__AdminKey="$ADMIN" Api__PublicBaseUrl="${API_PUBLIC_URL:-http://127.0.0.1:$API_PORT}"
    export Twilio__AccountSid="$TW_SID" Twilio__AuthToken="$TW_TOKEN" Twilio__BaseUrl="$TW_URL"
    export Twilio__StatusCallbackUrl="${TWILIO_STATUS_CALLBACK_URL:-http://127.0.0.1:$API_PORT/webhooks/twilio/status}"
    export Twilio__DefaultFrom="${TWILIO_FROM_NUMBER:-+15005550006}"
    export Emulator__AccountSid="$EMULATOR_ACCOUNT_SID" Emulator__AuthToken="$EMULATOR_AUTH_TOKEN"
    date +%s.%N > "$PID_DIR/$name.started"
    nohup setsid dotnet "$dll" >>"$LOG_DIR/$name.log" 2>&1 &
    echo $! > "$PID_DIR/$name.pid"
  )
}

wait_healthy() {
  local name="$1"
  # 60 s, or SMSR_HEALTH_TIMEOUT: make chaos restarts services while the machine is under its heaviest load.
  wait_for "${SMSR_HEALTH_TIMEOUT:-60}" healthy "$name" || { tail -n 20 "$LOG_DIR/$name.log" >&2; die "$name did not become healthy at $(health_url_of "$name")"; }
  # Start-up time (process start to healthy), for make bench.
  if [ -f "$PID_DIR/$name.started" ]; then
    awk -v start="$(cat "$PID_DIR/$name.started")" -v now="$(date +%s.%N)" -v n="$name" 'BEGIN { printf "%s\t%.2f\n", n, now - start }' >> "$RUN_DIR/startup.tsv"
    rm -f "$PID_DIR/$name.started"
  fi
}

write_env() {
  cat > "$RUN_DIR/stack.env" <<ENV
API_URL=http://127.0.0.1:$API_PORT
ADMIN_KEY=$ADMIN
DATABASE_URL=$DATABASE_URL
RABBITMQ_URL=$RABBITMQ_URL
RABBITMQ_MANAGEMENT_URL=http://127.0.0.1:$RABBIT_MGMT_PORT
TWILIO_BASE_URL=$TW_URL
TWILIO_ACCOUNT_SID=$TW_SID
TWILIO_AUTH_TOKEN=$TW_TOKEN
ENV
  chmod 600 "$RUN_DIR/stack.env"
}

up() {
  mkdir -p "$LOG_DIR" "$PID_DIR"
  "$ROOT_DIR/scripts/infra.sh" up
  ADMIN="$(admin_key)"
  twilio_settings
  local all_up=1
  for name in "${SERVICES[@]}"; do
    [ "$name" = twilio-emulator ] && use_real_twilio && continue
    running "$name" && healthy "$name" || all_up=0
  done
  if [ "$all_up" -eq 0 ]; then build; migrate; fi
  for name in "${SERVICES[@]}"; do
    [ "$name" = twilio-emulator ] && use_real_twilio && continue
    start_service "$name"
  done
  for name in "${SERVICES[@]}"; do
    [ "$name" = twilio-emulator ] && use_real_twilio && continue
    wait_healthy "$name"
  done
  write_env
  cat <<MSG

SmsRemarketing is running.
  Api:              http://127.0.0.1:$API_PORT   (API reference: http://127.0.0.1:$API_PORT/scalar)
  Dispatcher:       http://127.0.0.1:$DISPATCHER_PORT/health/ready
  Scheduler:        http://127.0.0.1:$SCHEDULER_PORT/health/ready
  Twilio:           $TW_URL$(use_real_twilio && echo " (real Twilio)" || echo " (emulator; inspect at /_emulator/messages)")
  PostgreSQL:       $DATABASE_URL
  RabbitMQ:         $RABBITMQ_URL  (management UI http://127.0.0.1:$RABBIT_MGMT_PORT, guest/guest)
  Admin key:        $ADMIN
  Everything above: $RUN_DIR/stack.env  (source it: set -a; . .run/stack.env; set +a)
  Logs:             $LOG_DIR/<service>.log
Stop it with: make stop
MSG
}

stop_service() {
  local name="$1" pid
  pid="$(cat "$PID_DIR/$name.pid" 2>/dev/null)" || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    log "$name: stopped"
  fi
  rm -f "$PID_DIR/$name.pid" "$PID_DIR/$name.port"
}

# Every process this run directory started: the four of make run, then any extra instance.
stop_all_services() {
  local file
  for name in scheduler dispatcher api twilio-emulator; do stop_service "$name"; done
  for file in "$PID_DIR"/*.pid; do [ -e "$file" ] && stop_service "$(basename "$file" .pid)"; done
  return 0
}

# One service (or an extra instance of one, on its own port) against the running stack.
start_one() {
  local name="$1" port="${2:-}"
  mkdir -p "$LOG_DIR" "$PID_DIR"
  [ -n "$(dll_of "$name")" ] || die "unknown service $name"
  [ -n "$port" ] && echo "$port" > "$PID_DIR/$name.port"
  [ -n "$(port_of "$name")" ] || die "$name needs a port: $0 start $name <port>"
  ADMIN="$(admin_key)"
  twilio_settings
  start_service "$name"
  wait_healthy "$name"
}

down() {
  stop_all_services
  "$ROOT_DIR/scripts/infra.sh" down
}

status() {
  "$ROOT_DIR/scripts/infra.sh" status
  for name in "${SERVICES[@]}"; do
    if running "$name"; then
      healthy "$name" && echo "$name: up ($(health_url_of "$name"))" || echo "$name: running, not healthy"
    else
      echo "$name: down"
    fi
  done
}

case "${1:-up}" in
  up) up ;;
  down) down ;;
  status) status ;;
  migrate) "$ROOT_DIR/scripts/infra.sh" up; build; migrate ;;
  restart) stop_all_services; up ;;
  stop-services) stop_all_services ;;
  start) [ -n "${2:-}" ] || die "usage: $0 start <name> [port]"; start_one "$2" "${3:-}" ;;
  stop) [ -n "${2:-}" ] || die "usage: $0 stop <name>"; stop_service "$2" ;;
  *) die "usage: $0 up|down|status|migrate|restart|stop-services|start <name> [port]|stop <name>" ;;
esac
