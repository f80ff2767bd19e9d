-- wrk script of bench/run.sh's flood scenario: POST <body file> to one webhook URL <path>; with <pace> > 0 each
-- connection sends one request every <pace> ms (a sender at a normal rate), with 0 as fast as it can (a flood).
-- done() prints the same "RESULT ..." line as wrk.lua.
local path, body, pace
local json = { ["Content-Type"] = "application/json" }

function init(args)
  path = args[1]
  local f = assert(io.open(args[2], "rb"))
  body = f:read("*a")
  f:close()
  pace = tonumber(args[3] or "0")
end

function request()
  return wrk.format("POST", path, json, body)
end

function delay()
  return pace
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT requests=%d non2xx=%d socket_errors=%d duration_us=%d p50_us=%d p99_us=%d\n",
    summary.requests, e.status, e.connect + e.read + e.write + e.timeout, summary.duration,
    latency:percentile(50), latency:percentile(99)))
end
