-- wrk: GET /credits as one tenant (API_KEY), from X-Forwarded-For TENANT_ADDRESS. Prints throughput, latency and the
-- count of answers other than 200 as JSON. Set by abuse.sh: API_KEY, TENANT_ADDRESS.
local key = os.getenv("API_KEY")
local address = os.getenv("TENANT_ADDRESS")
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non200 = 0
end

function request()
  return wrk.format("GET", "/credits", { ["X-API-Key"] = key, ["X-Forwarded-For"] = address })
end

function response(status, headers, body)
  if status ~= 200 then non200 = non200 + 1 end
end

function done(summary, latency, requests)
  local non = 0
  for _, t in ipairs(threads) do non = non + (t:get("non200") or 0) end
  io.write(string.format('{"requests":%d,"duration_s":%.3f,"rps":%.1f,"p50_ms":%.2f,"p99_ms":%.2f,"non_200":%d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, non))
end
