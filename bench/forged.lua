-- wrk: GET /credits with a new random, well-formed API key each request (sk_ and 43 URL-safe characters), so no cache
-- can recognise it; from X-Forwarded-For FORGER_ADDRESS (the Api trusts loopback as its proxy). Prints the count of
-- each status as JSON. Set by abuse.sh: FORGER_ADDRESS.
local address = os.getenv("FORGER_ADDRESS")
local alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
end

local function random_key()
  local chars = {}
  for i = 1, 43 do
    local n = math.random(#alphabet)
    chars[i] = alphabet:sub(n, n)
  end
  -- 43 characters of 32 bytes: the last one carries 4 bits (its low 2 are zero), as a real key's does.
  local last = "AEIMQUYcgkosw048"
  local n = math.random(#last)
  chars[43] = last:sub(n, n)
  return "sk_" .. table.concat(chars)
end

function request()
  return wrk.format("GET", "/credits", { ["X-API-Key"] = random_key(), ["X-Forwarded-For"] = address })
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local totals = {}
  for _, t in ipairs(threads) do
    for status, n in pairs(t:get("statuses")) do totals[status] = (totals[status] or 0) + n end
  end
  local parts = {}
  for status, n in pairs(totals) do parts[#parts + 1] = string.format('"%d":%d', status, n) end
  io.write(string.format('{"requests":%d,"duration_s":%.3f,"rps":%.1f,"p99_ms":%.2f,"statuses":{%s}}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(99) / 1000, table.concat(parts, ",")))
end
