"""Writes bench/results/latest.{json,md} from the figures scripts/bench.sh measured (passed as BENCH_* variables)."""
import json
import os

env = os.environ
j = lambda name: json.loads(env[name])
outbox, api, api_mixed = j("BENCH_OUTBOX"), j("BENCH_API"), j("BENCH_API_MIXED")
stages, sweep = j("BENCH_STAGES"), j("BENCH_SWEEP")
rss_idle, rss_after, private_after, startup = j("BENCH_RSS_IDLE"), j("BENCH_RSS_AFTER"), j("BENCH_PRIVATE_AFTER"), j("BENCH_STARTUP")
pgbench_tps = float(env["BENCH_PGBENCH_TPS"] or 0)
accepted = int(env["BENCH_ACCEPTED"])
drain_s = float(stages.get("drain_seconds") or 0)
e2e = round(accepted / drain_s, 1) if drain_s else None
e2e_wall = round(accepted / float(env["BENCH_E2E_WALL"]), 1)

latest = {
    "commit": env["BENCH_COMMIT"], "date": env["BENCH_DATE"],
    "machine": {"cores": int(env["BENCH_CORES"]), "memory_gib": int(env["BENCH_MEMORY"])},
    "api_rps": api["rps"], "api_p50_ms": api["p50_ms"], "api_p95_ms": api["p95_ms"], "api_p99_ms": api["p99_ms"],
    "api_errors": api["socket_errors"] + api["non_202"],
    "api_with_pipeline": api_mixed,
    "pgbench_tps": round(pgbench_tps, 1),
    "api_share_of_pgbench": round(api["rps"] / pgbench_tps, 3) if pgbench_tps else None,
    "e2e_sms_per_s": e2e, "e2e_sms_per_s_wall": e2e_wall, "e2e_accepted": accepted,
    "commit_to_publish_p99_ms": stages.get("commit_to_publish_p99_ms"), "stages": stages,
    "sweep_enqueue_s": sweep.get("enqueue_s"), "sweep_send_s": sweep.get("send_s"), "sweep": sweep,
    "sweep_consumer_peak_rss_mb": int(env["BENCH_SWEEP_HWM"]),
    "rss_mb": rss_after, "rss_idle_mb": rss_idle, "private_mb": private_after, "startup_s": startup,
    "outbox": outbox,
}
results = env["BENCH_RESULTS"]
json.dump(latest, open(f"{results}/latest.json", "w"), indent=2)


def table(rows):
    return "\n".join(f"| {k} | {v} |" for k, v in rows)


summary = [
    ("API requests/s, Dispatcher paused (≥ 1,500)", api["rps"]),
    ("API p50 / p95 / p99 ms (p99 ≤ 25)", f'{api["p50_ms"]} / {api["p95_ms"]} / {api["p99_ms"]}'),
    ("API errors", latest["api_errors"]),
    ("pgbench tps, same transaction", round(pgbench_tps, 1)),
    ("API share of pgbench (≥ 60%)", f'{latest["api_share_of_pgbench"]:.0%}' if latest["api_share_of_pgbench"] else "n/a"),
    ("API requests/s while the pipeline drains at once", f'{api_mixed["rps"]} (p99 {api_mixed["p99_ms"]} ms)'),
    (f"Drain SMS/s, the {accepted:,} sends the Api queued, first claim → last accepted (≥ 1,000)", e2e),
    ("Drain SMS/s, Dispatcher resumed → emulator has all (polled once a second)", e2e_wall),
    ("commit → published p99 ms (≤ 50)", stages.get("commit_to_publish_p99_ms")),
    (f"Sweep: {sweep.get('due'):,} due of {sweep.get('leads'):,}, command → all queued s (≤ 30)", sweep.get("enqueue_s")),
    ("Sweep: command → all sent s", sweep.get("send_s")),
    ("Sweep: Scheduler peak RSS MB (< 200)", latest["sweep_consumer_peak_rss_mb"]),
]
memory_rows = "\n".join(
    f"| {s} | {rss_idle.get(s)} | {rss_after.get(s)} | {private_after.get(s)} | {startup.get(s)} |" for s in rss_after)
open(f"{results}/latest.md", "w").write(f"""# Benchmark results

Commit `{latest["commit"]}`, {latest["date"]}, {latest["machine"]["cores"]} cores, {latest["machine"]["memory_gib"]} GiB;
command: `make bench`. PostgreSQL, RabbitMQ, the emulator and the three services all on this machine; fsync and
synchronous_commit on. The per-key rate limit and the per-sender pacing are lifted for the run (they are policies,
not capacity). What each figure means and what limits it: `bench/README.md`.

## Summary

| measure | value |
|---|---|
{table(summary)}

## The drain, per stage (of the {accepted:,})

| stage | value |
|---|---|
{table(stages.items())}

## Memory (MB) and start-up (s)

RSS counts the mapped runtime and framework files, which the four .NET processes share; "private" is RSS less those
file-backed pages (anonymous + shared-memory pages: the GC heap, JIT code, native allocations).

| service | RSS idle | RSS after the load | private after the load | start-up |
|---|---|---|---|---|
{memory_rows}

## Transactional outbox alone

Writers commit one event per transaction through the outbox interceptor (as the Api does) while the relay publishes
with publisher confirms and a consumer receives; commit → published is `published_at − created_at` of each row.

| measure | value |
|---|---|
{table(outbox.items())}
""")
print(open(f"{results}/latest.md").read())
