#!/usr/bin/env bash
# make bench: measures on this machine's real servers and writes bench/results/latest.{md,json}.
# So far: the transactional outbox (commit → published → consumed). Not part of make test.
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

commit="$(git -C "$ROOT_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)"
date="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
cores="$(nproc)"
memory_gib="$(awk '/MemTotal/ {printf "%.0f", $2/1048576}' /proc/meminfo)"
python3 - "$outbox_json" "$results" "$commit" "$date" "$cores" "$memory_gib" <<'PY'
import json, sys
outbox_path, results, commit, date, cores, memory = sys.argv[1:]
outbox = json.load(open(outbox_path))
latest = {"commit": commit, "date": date, "machine": {"cores": int(cores), "memory_gib": int(memory)},
          "commit_to_publish_p50_ms": outbox["commit_to_publish_p50_ms"],
          "commit_to_publish_p99_ms": outbox["commit_to_publish_p99_ms"],
          "outbox": outbox}
json.dump(latest, open(f"{results}/latest.json", "w"), indent=2)
rows = "\n".join(f"| {k} | {v} |" for k, v in outbox.items())
open(f"{results}/latest.md", "w").write(f"""# Benchmark results

Commit `{commit}`, {date}, {cores} cores, {memory} GiB; command: `make bench`.

## Transactional outbox

Writers commit one event per transaction through the outbox interceptor (as the Api does), while the relay
publishes with publisher confirms and a consumer receives. commit → published is `published_at − created_at`
of each row; commit → consumed is measured in process.

| measure | value |
|---|---|
{rows}
""")
print(open(f"{results}/latest.md").read())
PY
rm -f "$outbox_json"
