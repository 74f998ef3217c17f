"""Writes make abuse's figures (scripts/abuse.sh passes them in ABUSE_* variables) to bench/results/abuse.{json,md}."""
import json
import os

env = os.environ
alone = json.loads(env["ABUSE_ALONE"])
runs = {}
for name in ("limited", "unlimited"):
    tenant = json.loads(env[f"ABUSE_{name.upper()}_TENANT"])
    forger = json.loads(env[f"ABUSE_{name.upper()}_FORGER"])
    lookups = int(env[f"ABUSE_{name.upper()}_LOOKUPS"])
    runs[name] = {
        "tenant": tenant,
        "forger": forger,
        "key_lookups": lookups,
        "lookups_per_forged_request": round(lookups / forger["requests"], 4) if forger["requests"] else None,
        "tenant_throughput_lost": round(1 - tenant["rps"] / alone["rps"], 3) if alone["rps"] else None,
    }

result = {
    "commit": env["ABUSE_COMMIT"],
    "date": env["ABUSE_DATE"],
    "cores": int(env["ABUSE_CORES"]),
    "seconds": int(env["ABUSE_SECONDS"]),
    "forger_connections": int(env["ABUSE_FORGERS"]),
    "tenant_alone": alone,
    "flood_refused_per_address": runs["limited"],
    "flood_refusal_off": runs["unlimited"],
}
out = env["ABUSE_RESULTS"]
with open(os.path.join(out, "abuse.json"), "w", encoding="utf-8") as f:
    json.dump(result, f, indent=2)
    f.write("\n")


def row(label, tenant, run=None):
    if run is None:
        return f"| {label} | {tenant['rps']:.0f} | {tenant['p99_ms']:.1f} | — | — | — |"
    forger = run["forger"]
    statuses = ", ".join(f"{status}: {count}" for status, count in sorted(forger["statuses"].items()))
    return (f"| {label} | {tenant['rps']:.0f} | {tenant['p99_ms']:.1f} | {run['tenant_throughput_lost']:.0%} | "
            f"{forger['rps']:.0f} ({statuses}) | {run['key_lookups']} |")


lines = [
    "# make abuse",
    "",
    f"Commit `{result['commit']}`, {result['date']}, {result['cores']} cores; the Api, PostgreSQL, RabbitMQ and both wrk "
    f"processes on this machine. The tenant: GET /credits, 4 connections, {result['seconds']} s. The forger: random "
    f"well-formed keys, {result['forger_connections']} connections, from one address (X-Forwarded-For).",
    "",
    "| run | tenant req/s | tenant p99 ms | tenant throughput lost | forger req/s (statuses) | key look-ups |",
    "|---|---|---|---|---|---|",
    row("tenant alone", alone),
    row("flood, refused per address (the Api as shipped)", runs["limited"]["tenant"], runs["limited"]),
    row("flood, refusal off (every forged key looked up)", runs["unlimited"]["tenant"], runs["unlimited"]),
    "",
]
with open(os.path.join(out, "abuse.md"), "w", encoding="utf-8") as f:
    f.write("\n".join(lines))
print("\n".join(lines))
