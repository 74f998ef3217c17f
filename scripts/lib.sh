# Shared settings of the local stack: sourced by the other scripts, never run alone.
# Everything lives under $RUN_DIR (git-ignored); every port is on loopback and can be moved by environment.
set -euo pipefail

ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN_DIR="${SMSR_RUN_DIR:-$ROOT_DIR/.run}"
LOG_DIR="$RUN_DIR/logs"
PID_DIR="$RUN_DIR/pids"

PG_PORT="${SMSR_PG_PORT:-54329}"
PG_USER="smsr"
PG_PASSWORD="smsr"
PG_DB="${SMSR_PG_DB:-smsremarketing}"
PG_DATA="$RUN_DIR/postgres/data"
PG_BIN="${SMSR_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}"

RABBIT_PORT="${SMSR_RABBIT_PORT:-56729}"
RABBIT_MGMT_PORT="${SMSR_RABBIT_MGMT_PORT:-15679}"
RABBIT_DIST_PORT="${SMSR_RABBIT_DIST_PORT:-25679}"
RABBIT_EPMD_PORT="${SMSR_RABBIT_EPMD_PORT:-43699}"
# A second stack on one machine (make chaos) needs its own node name, epmd and distribution ports too.
RABBIT_NODE="${SMSR_RABBIT_NODE:-smsr@localhost}"
RABBIT_DIR="$RUN_DIR/rabbitmq"
RABBIT_BIN="/usr/lib/rabbitmq/bin"

API_PORT="${SMSR_API_PORT:-5080}"
DISPATCHER_PORT="${SMSR_DISPATCHER_PORT:-5081}"
SCHEDULER_PORT="${SMSR_SCHEDULER_PORT:-5082}"
EMULATOR_PORT="${SMSR_EMULATOR_PORT:-5090}"

DATABASE_CONNECTION="Host=127.0.0.1;Port=$PG_PORT;Database=$PG_DB;Username=$PG_USER;Password=$PG_PASSWORD"
DATABASE_URL="postgresql://$PG_USER:$PG_PASSWORD@127.0.0.1:$PG_PORT/$PG_DB"
RABBITMQ_URL="amqp://guest:guest@127.0.0.1:$RABBIT_PORT/"

log() { printf '%s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

as_root() { [ "$(id -u)" -eq 0 ]; }

# Wait until a command succeeds, up to $1 seconds.
wait_for() {
  local seconds="$1"; shift
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.3
  done
}

# The rabbitmq* commands of a private node: its own epmd port, cookie (HOME) and files.
rabbit_env() {
  export ERL_EPMD_PORT="$RABBIT_EPMD_PORT"
  export RABBITMQ_NODENAME="$RABBIT_NODE"
  export RABBITMQ_DIST_PORT="$RABBIT_DIST_PORT"
  export RABBITMQ_CONFIG_FILE="$RABBIT_DIR/rabbitmq.conf"
  export RABBITMQ_ENABLED_PLUGINS_FILE="$RABBIT_DIR/enabled_plugins"
  export RABBITMQ_MNESIA_BASE="$RABBIT_DIR/mnesia"
  export RABBITMQ_LOG_BASE="$RABBIT_DIR/log"
  export RABBITMQ_PID_FILE="$RABBIT_DIR/rabbitmq.pid"
  export HOME="$RABBIT_DIR/home"
}

rabbitmqctl() { ( rabbit_env; "$RABBIT_BIN/rabbitmqctl" -n "$RABBIT_NODE" "$@" ); }

psql_admin() { PGPASSWORD="$PG_PASSWORD" psql -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres -v ON_ERROR_STOP=1 -qAt "$@"; }
# The stack's own database ($PG_DB), for the measurement scripts' queries.
psql_stack() { PGPASSWORD="$PG_PASSWORD" psql -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d "$PG_DB" -v ON_ERROR_STOP=1 -qAt "$@"; }

# wrk, the HTTP load generator of make bench and make abuse: installed from Debian's packages when missing.
ensure_wrk() {
  command -v wrk >/dev/null && return 0
  as_root || die "wrk is missing: apt-get install wrk"
  # A fresh machine's package lists may be empty or stale: read them once, then install.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; } \
    || die "could not install wrk"
}
