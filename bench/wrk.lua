-- One wrk script for every HTTP scenario of bench/run.sh; the mode is the first argument after "--".
--   get    <ids>               GET a random webhook of the first <ids> seeded ones (100 per domain)
--   search <domains>           search one random domain: state = ENABLED, sort by name, page.limit 100
--   stat   <domain>            stat grouped by state and project_id over one domain
--   ingest <paths file> <body> POST the body file to a random one of the webhook URL paths in the file
--   events_search <domains>    one random domain (events-N) and severity: its newest 20 events
--   events_stat <domain> <day> <next day>  that domain's events of the day counted by severity and hour
-- done() prints one "RESULT ..." line that bench/run.sh parses.
local mode, n, domain, paths, body, day, next_day
local severities = { "CRITICAL", "ERROR", "WARNING", "INFO", "NOT_AVAILABLE" }
-- Management routes carry the bench's token (BENCH_TOKEN, set by bench/run.sh); the receiver is anonymous.
local token = os.getenv("BENCH_TOKEN")
local json = { ["Content-Type"] = "application/json", ["Authorization"] = token and ("Bearer " .. token) or nil }
local authorized = { ["Authorization"] = json["Authorization"] }
local anonymous_json = { ["Content-Type"] = "application/json" }

local function read(file)
  local f = assert(io.open(file, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end

function init(args)
  mode = args[1]
  -- each thread gets its own sequence
  math.randomseed(os.time() * 1000 + (tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000))
  if mode == "get" or mode == "search" or mode == "events_search" then
    n = tonumber(args[2])
  elseif mode == "stat" then
    domain = args[2]
  elseif mode == "events_stat" then
    domain, day, next_day = args[2], args[3], args[4]
  elseif mode == "ingest" then
    paths = {}
    for line in io.lines(args[2]) do
      if #line > 0 then paths[#paths + 1] = line end
    end
    body = read(args[3])
  else
    error("unknown mode " .. tostring(mode))
  end
end

function request()
  if mode == "get" then
    local i = math.random(1, n)
    return wrk.format("GET", string.format("/monitoring/v1/webhook/webhook-%012x?domain_id=domain-%d", i, math.floor((i - 1) / 100)), authorized)
  elseif mode == "search" then
    local d = math.random(0, n - 1)
    return wrk.format("POST", "/monitoring/v1/webhooks/search", json, string.format(
      '{"domain_id":"domain-%d","query":{"filter":[{"k":"state","v":"ENABLED","o":"eq"}],"sort":[{"key":"name"}],"page":{"limit":100}}}', d))
  elseif mode == "stat" then
    return wrk.format("POST", "/monitoring/v1/webhooks/stat", json, string.format(
      '{"domain_id":"%s","query":{"aggregate":[{"group":{"keys":[{"key":"state","name":"state"},{"key":"project_id","name":"project_id"}],"fields":[{"operator":"count","name":"count"}]}}]}}', domain))
  elseif mode == "events_search" then
    return wrk.format("POST", "/monitoring/v1/events/search", json, string.format(
      '{"domain_id":"events-%d","query":{"filter":[{"k":"severity","v":"%s","o":"eq"}],"sort":[{"key":"created_at","desc":true}],"page":{"limit":20}}}',
      math.random(0, n - 1), severities[math.random(1, #severities)]))
  elseif mode == "events_stat" then
    -- the same body bench/run.sh checks before the scenario
    return wrk.format("POST", "/monitoring/v1/events/stat", json, string.format(
      '{"domain_id":"%s","query":{"filter":[{"k":"created_at","v":"%s","o":"datetime_gte"},{"k":"created_at","v":"%s","o":"datetime_lt"}],' ..
      '"aggregate":[{"group":{"keys":[{"key":"severity","name":"severity"},{"key":"created_at","name":"hour","date_format":"%%H"}],' ..
      '"fields":[{"operator":"count","name":"count"}]}}]}}', domain, day, next_day))
  else
    return wrk.format("POST", paths[math.random(1, #paths)], anonymous_json, body)
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT requests=%d non2xx=%d socket_errors=%d duration_us=%d p50_us=%d p99_us=%d\n",
    summary.requests, e.status, e.connect + e.read + e.write + e.timeout, summary.duration,
    latency:percentile(50), latency:percentile(99)))
end
