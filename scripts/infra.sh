#!/usr/bin/env bash
# Installs (when missing, as root) and starts PostgreSQL and RabbitMQ as processes of this project, on loopback,
# with their data under .run/. Idempotent: a running server is left as it is.
#   scripts/infra.sh up | down | status
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

install_packages() {
  local missing=()
  [ -n "$PG_BIN" ] && [ -x "$PG_BIN/pg_ctl" ] || missing+=(postgresql)
  [ -x "$RABBIT_BIN/rabbitmq-server" ] || missing+=(rabbitmq-server)
  command -v psql >/dev/null || missing+=(postgresql-client)
  [ ${#missing[@]} -eq 0 ] && return 0
  as_root || die "missing packages: ${missing[*]} — install them (apt-get install ${missing[*]}) or run as root"
  log "Installing ${missing[*]} from Debian's packages..."
  # policy-rc.d keeps the packages from starting system-wide services; ours run as the project's own processes.
  local policy=/usr/sbin/policy-rc.d created_policy=0
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod +x "$policy"; created_policy=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  [ "$created_policy" -eq 1 ] && rm -f "$policy"
  PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
}

# PostgreSQL refuses to run as root, so as root it runs as the 'postgres' user. That user must be able to
# reach the data folder: grant traverse (x, not read) on every ancestor that lacks it.
pg_run() {
  if as_root; then runuser -u postgres -- "$@"; else "$@"; fi
}

grant_traverse() {
  as_root || return 0
  local dir="$1"
  while [ "$dir" != "/" ]; do
    dir="$(dirname "$dir")"
    [ -x "$dir" ] && runuser -u postgres -- test -x "$dir" 2>/dev/null && continue
    chmod o+x "$dir"
  done
}

pg_ready() { PGPASSWORD="$PG_PASSWORD" psql -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres -qAtc 'select 1' >/dev/null 2>&1; }

pg_up() {
  if pg_ready; then log "PostgreSQL: already running on 127.0.0.1:$PG_PORT"; return 0; fi
  mkdir -p "$RUN_DIR/postgres" "$LOG_DIR"
  as_root && chown postgres: "$RUN_DIR/postgres"
  grant_traverse "$RUN_DIR/postgres"
  if [ ! -s "$PG_DATA/PG_VERSION" ]; then
    log "PostgreSQL: initialising $PG_DATA"
    local pwfile="$RUN_DIR/postgres/pwfile"
    printf '%s\n' "$PG_PASSWORD" > "$pwfile"
    as_root && chown postgres: "$pwfile"
    pg_run "$PG_BIN/initdb" -D "$PG_DATA" -U "$PG_USER" --pwfile="$pwfile" --auth-host=scram-sha-256 \
      --auth-local=trust -E UTF8 --locale=C.UTF-8 >"$RUN_DIR/postgres/initdb.log" 2>&1 \
      || { cat "$RUN_DIR/postgres/initdb.log" >&2; die "initdb failed"; }
    rm -f "$pwfile"
    # Durability stays on (fsync, synchronous_commit); the rest suits a 2-core development machine.
    cat >> "$PG_DATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = ''
max_connections = 300
shared_buffers = 512MB
max_wal_size = 2GB
log_min_duration_statement = 1000
# Per-statement counts and times (make bench writes the top of it): the first place to look when a figure falls short.
shared_preload_libraries = 'pg_stat_statements'
CONF
  fi
  log "PostgreSQL: starting on 127.0.0.1:$PG_PORT"
  pg_run "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$RUN_DIR/postgres/server.log" -w -t 60 start >/dev/null \
    || { tail -n 20 "$RUN_DIR/postgres/server.log" >&2; die "PostgreSQL did not start"; }
  wait_for 30 pg_ready || die "PostgreSQL does not answer on 127.0.0.1:$PG_PORT"
}

pg_down() {
  [ -s "$PG_DATA/postmaster.pid" ] || { log "PostgreSQL: not running"; return 0; }
  pg_run "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null && log "PostgreSQL: stopped"
}

# Ready = the management API answers on our port. Not rabbitmqctl: it needs this checkout's Erlang cookie, and a
# node started from another checkout of the project (same ports) serves the tests just as well.
rabbit_ready() { curl -fsS -o /dev/null --max-time 3 -u guest:guest "http://127.0.0.1:$RABBIT_MGMT_PORT/api/overview"; }
rabbit_ours() { rabbitmqctl await_startup --timeout 1 >/dev/null 2>&1; }

rabbit_up() {
  mkdir -p "$RABBIT_DIR/home" "$RABBIT_DIR/mnesia" "$RABBIT_DIR/log" "$LOG_DIR"
  if rabbit_ready; then log "RabbitMQ: already running on 127.0.0.1:$RABBIT_PORT"; return 0; fi
  cat > "$RABBIT_DIR/rabbitmq.conf" <<CONF
listeners.tcp.default = 127.0.0.1:$RABBIT_PORT
management.tcp.ip = 127.0.0.1
management.tcp.port = $RABBIT_MGMT_PORT
disk_free_limit.absolute = 100MB
log.file.level = warning
CONF
  echo '[rabbitmq_management].' > "$RABBIT_DIR/enabled_plugins"
  log "RabbitMQ: starting on 127.0.0.1:$RABBIT_PORT (management on :$RABBIT_MGMT_PORT)"
  ( rabbit_env; "$RABBIT_BIN/rabbitmq-server" -detached >"$RABBIT_DIR/log/startup.log" 2>&1 )
  wait_for 90 rabbit_ready || { tail -n 30 "$RABBIT_DIR/log/startup.log" "$RABBIT_DIR/log/$RABBIT_NODE.log" >&2 || true; die "RabbitMQ did not start"; }
}

rabbit_down() {
  rabbit_ours || { log "RabbitMQ: no node of this checkout running"; return 0; }
  rabbitmqctl stop >/dev/null 2>&1 && log "RabbitMQ: stopped"
  # The node started a private epmd on our port: it is ours to stop too.
  ( rabbit_env; epmd -kill >/dev/null 2>&1 || true )
}

# A fast-shutdown restart (make chaos): every connection is cut, the server is back in a few seconds.
pg_restart() {
  [ -s "$PG_DATA/postmaster.pid" ] || die "PostgreSQL of $RUN_DIR is not running"
  pg_run "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 -l "$RUN_DIR/postgres/server.log" restart >/dev/null
  wait_for 30 pg_ready || die "PostgreSQL did not come back on 127.0.0.1:$PG_PORT"
  log "PostgreSQL: restarted"
}

case "${1:-up}" in
  up) install_packages; pg_up; rabbit_up ;;
  down) rabbit_down; pg_down ;;
  rabbit-up) rabbit_up ;;
  rabbit-down) rabbit_down ;;
  pg-restart) pg_restart ;;
  pg-down) pg_down ;;
  pg-up) pg_up ;;
  status)
    pg_ready && echo "postgres: up (127.0.0.1:$PG_PORT)" || echo "postgres: down"
    rabbit_ready && echo "rabbitmq: up (127.0.0.1:$RABBIT_PORT)" || echo "rabbitmq: down" ;;
  *) die "usage: $0 up|down|status|rabbit-up|rabbit-down|pg-restart|pg-down|pg-up" ;;
esac
