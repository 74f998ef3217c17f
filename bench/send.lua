-- wrk: POST /messages/send for random leads of one client. Set by bench.sh: API_KEY, LEADS (comma-separated ids),
-- LIMIT (stop each thread after this many responses; 0 = run for the duration), DELAY_MS (optional: each connection
-- waits this long before each request, so that -c connections send about c * 1000 / DELAY_MS requests a second).
local key = os.getenv("API_KEY")
local leads = {}
for id in string.gmatch(os.getenv("LEADS"), "[^,]+") do leads[#leads + 1] = id end
local limit = tonumber(os.getenv("LIMIT") or "0")
local pause = tonumber(os.getenv("DELAY_MS") or "0")
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  count = 0
  non202 = 0
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
end

function request()
  local lead = leads[math.random(#leads)]
  return wrk.format("POST", "/messages/send",
    { ["Content-Type"] = "application/json", ["X-API-Key"] = key },
    '{"lead_id":"' .. lead .. '","body":"Hello from the benchmark, {{first_name|friend}}"}')
end

if pause > 0 then
  function delay()
    return pause
  end
end

function response(status, headers, body)
  count = count + 1
  if status ~= 202 then non202 = non202 + 1 end
  if limit > 0 and count >= limit then wrk.thread:stop() end
end

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  local non = 0
  for _, t in ipairs(threads) do non = non + (t:get("non202") or 0) end
  io.write(string.format(
    '{"requests":%d,"duration_s":%.3f,"rps":%.1f,"p50_ms":%.2f,"p95_ms":%.2f,"p99_ms":%.2f,"socket_errors":%d,"non_202":%d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, errors, non))
end
