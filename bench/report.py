"""Writes bench/results/latest.{json,md} from the figures scripts/bench.sh measured (passed as BENCH_* variables).
With BENCH_ONLY=campaign, only the campaign's figures, to bench/results/only-campaign.{json,md}."""
import json
import os

env = os.environ
j = lambda name: json.loads(env[name])
results = env["BENCH_RESULTS"]
only = env.get("BENCH_ONLY", "")
rss_idle, rss_after, private_after, startup = j("BENCH_RSS_IDLE"), j("BENCH_RSS_AFTER"), j("BENCH_PRIVATE_AFTER"), j("BENCH_STARTUP")
machine = {"cores": int(env["BENCH_CORES"]), "memory_gib": int(env["BENCH_MEMORY"])}


def table(rows):
    return "\n".join(f"| {k} | {v} |" for k, v in rows)


def verdict(value, target):
    return "n/a" if value is None else ("pass" if value <= target else "**fail**")


# The campaign: BENCH_CAMPAIGN (from the rows), BENCH_CAMPAIGN_TIMES (wall times, memory, the probe), the estimate.
size, campaign, times, estimate = j("BENCH_CAMPAIGN_SIZE"), j("BENCH_CAMPAIGN"), j("BENCH_CAMPAIGN_TIMES"), j("BENCH_CAMPAIGN_ESTIMATE")
CAMPAIGN_ESTIMATE_TARGET_S, CAMPAIGN_ENQUEUE_TARGET_S = 10, 30
drained_s = campaign.get("drained_s") or 0
drain_rate = round(campaign["sent_while_watched"] / drained_s, 1) if drained_s else None
campaign_keys = {
    "campaign_estimate_s": times["estimate_s"], "campaign_enqueue_s": times["enqueue_s"],
    "campaign_schedule_call_s": times["schedule_call_s"],
    "campaign_api_rss_mb": times["api_rss_mb"], "campaign_api_private_mb": times["api_private_mb"],
    "campaign_api_send_p99_ms": times["sends_fanout"]["p99_ms"],
    "campaign_api_send_p99_ms_drain": times["sends_drain"]["p99_ms"],
    "campaign_api_send_p99_ms_idle": times["sends_idle"]["p99_ms"],
    "campaign_welcome_latency_ms": {"idle_p50": campaign["welcome_idle_p50_ms"], "drain_p50": campaign["welcome_drain_p50_ms"],
                                    "drain_max": campaign["welcome_drain_max_ms"]},
    "campaign_drain_sms_per_s": drain_rate, "campaign_completed_s": campaign["completed_s"],
    "campaign": {**size, **campaign, **times, "estimate": estimate},
}
r = campaign["recipients"]
answers = times.get("cancel_answers") or []
if not answers:
    cancel_note = "it was not needed"
elif times["cancel_s"] is not None:
    cancel_note = f'the cancel call took {times["cancel_s"]} s' + (f' (its answers: {", ".join(map(str, answers))})' if len(answers) > 1 else "")
else:
    cancel_note = f'**the cancel failed**, answers {", ".join(map(str, answers))}; the campaign ended {campaign["status"]}'
campaign_md = f"""## Campaign: {r:,} recipients among {size["leads"]:,} leads

A segment (`custom_fields.bench_cohort`), a template with `{{{{first_name}}}}`, sent when scheduled, no throttle. The
schedule call plans and writes every recipient and message inside the request, in the Api process. Single sends
(`POST /messages/send`, ~{times["probe_rate"]}/s from 10 connections that pause between requests) and a `new_lead`
trigger's welcome (lead created → accepted by Twilio) are measured with no campaign, during the schedule call and
while the campaign drains. Drain: sent ÷ time from the schedule's answer to the last sent within the watch (at most
{times["watch_limit_s"]} s; a campaign still sending then is canceled: {cancel_note}).

| measure | target | value | |
|---|---|---|---|
| estimate (recipients {times["estimate_recipients"]:,}) | ≤ {CAMPAIGN_ESTIMATE_TARGET_S} s | {times["estimate_s"]} s | {verdict(times["estimate_s"], CAMPAIGN_ESTIMATE_TARGET_S)} |
| schedule → every message scheduled or queued (`campaign_enqueue_s`) | ≤ {CAMPAIGN_ENQUEUE_TARGET_S} s | {times["enqueue_s"]} s | {verdict(times["enqueue_s"], CAMPAIGN_ENQUEUE_TARGET_S)} |
| the schedule call itself | | {times["schedule_call_s"]} s | |
| Api RSS MB: before / peak (VmHWM) / after the schedule call; once the campaign settled | flat | {times["api_rss_mb"]["before"]} / {times["api_rss_mb"]["peak"]} ({times["api_rss_mb"]["peak_hwm"]}) / {times["api_rss_mb"]["after"]}; {times["api_rss_mb"]["settled"]} | |
| Api private MB: before / peak / after the schedule call; once the campaign settled | flat | {times["api_private_mb"]["before"]} / {times["api_private_mb"]["peak"]} / {times["api_private_mb"]["after"]}; {times["api_private_mb"]["settled"]} | |
| Api peak RSS / private MB during the estimate | | {times["api_rss_mb_estimate_peak"]} / {times["api_private_mb_estimate_peak"]} | |
| single sends p50 / p99 ms: no campaign | | {times["sends_idle"]["p50_ms"]} / {times["sends_idle"]["p99_ms"]} ({times["sends_idle"]["rps"]}/s) | |
| single sends p50 / p99 ms: during the schedule call (`campaign_api_send_p99_ms`) | | {times["sends_fanout"]["p50_ms"]} / {times["sends_fanout"]["p99_ms"]} ({times["sends_fanout"]["rps"]}/s, {times["sends_fanout"]["requests"]} requests) | |
| single sends p50 / p99 ms: while it drains | | {times["sends_drain"]["p50_ms"]} / {times["sends_drain"]["p99_ms"]} ({times["sends_drain"]["rps"]}/s) | |
| welcome ms: no campaign p50 (max) | | {campaign["welcome_idle_p50_ms"]} ({campaign["welcome_idle_max_ms"]}) | |
| welcome ms: while it drains p50 / max ({campaign["welcome_drain_leads"]} leads; unsent {campaign["welcome_unsent"]}) | | {campaign["welcome_drain_p50_ms"]} / {campaign["welcome_drain_max_ms"]} | |
| drain SMS/s ({campaign["sent_while_watched"]:,} sent in {drained_s} s; first release after {campaign["first_release_s"]} s) | | {drain_rate} | |
| schedule → completed | | {f'{campaign["completed_s"]} s' if campaign["completed_s"] is not None else f'not within the watch: {campaign["status"]}'} | |
"""

if only:
    latest = {"commit": env["BENCH_COMMIT"], "date": env["BENCH_DATE"], "machine": machine, "only": only, **campaign_keys}
    json.dump(latest, open(f"{results}/only-campaign.json", "w"), indent=2)
    open(f"{results}/only-campaign.md", "w").write(f"""# Benchmark results: the campaign stage only

Commit `{latest["commit"]}`, {latest["date"]}, {machine["cores"]} cores, {machine["memory_gib"]} GiB;
`BENCH_ONLY=campaign` (a short warm-up, no other stage): for development, not comparable with `latest.md`.

{campaign_md}""")
    print(open(f"{results}/only-campaign.md").read())
    raise SystemExit(0)

outbox, api, api_mixed = j("BENCH_OUTBOX"), j("BENCH_API"), j("BENCH_API_MIXED")
stages, sweep = j("BENCH_STAGES"), j("BENCH_SWEEP")
pgbench_tps = float(env["BENCH_PGBENCH_TPS"] or 0)
accepted = int(env["BENCH_ACCEPTED"])
drain_s = float(stages.get("drain_seconds") or 0)
e2e = round(accepted / drain_s, 1) if drain_s else None
e2e_wall = round(accepted / float(env["BENCH_E2E_WALL"]), 1)

latest = {
    "commit": env["BENCH_COMMIT"], "date": env["BENCH_DATE"],
    "machine": machine,
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
    **campaign_keys,
}
json.dump(latest, open(f"{results}/latest.json", "w"), indent=2)

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
    (f"Campaign: estimate s, {r:,} recipients of {size['leads']:,} (≤ {CAMPAIGN_ESTIMATE_TARGET_S})", times["estimate_s"]),
    (f"Campaign: schedule → all scheduled or queued s (≤ {CAMPAIGN_ENQUEUE_TARGET_S})", times["enqueue_s"]),
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

{campaign_md}
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
