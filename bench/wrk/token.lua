-- Token requests for wrk against any OAuth2 token endpoint (RFC 6749 sections 4.3 and 6): password grants, refresh
-- grants with rotation, or a mix. bench/run drives it through `Bench load`; alone:
--
--   BENCH_SCENARIO=refresh BENCH_CLIENT_ID=bench-client BENCH_USERNAME='user{n}' BENCH_USERS=4 BENCH_PASSWORD=... \
--     wrk -t 8 -c 8 -d 20s --timeout 60s -s bench/wrk/token.lua http://127.0.0.1:18080/bench/connect/token
--
-- Environment:
--   BENCH_SCENARIO        password | refresh | mix (default password)
--   BENCH_CLIENT_ID       client_id of every request; BENCH_CLIENT_SECRET too when set
--   BENCH_USERNAME        username; {n} becomes the thread's user number, 1 to BENCH_USERS (default 1)
--   BENCH_PASSWORD        the users' password
--   BENCH_SCOPE           scope of the logins; not sent when empty (default "meshy.api offline_access", as MeshyDB's
--                         SDKs ask; Keycloak's ordinary refresh tokens come without offline_access)
--   BENCH_REFRESH_PERCENT share of refreshes in the mix (default 80)
--   BENCH_TOKENS          a file with one refresh token per line, line i for thread i, to start the chains with
--   BENCH_JSON            where done() writes the run's figures as JSON
--
-- Run one connection per thread (-t C -c C): a thread's state holds its client's one refresh token, and response()
-- does not say which connection an answer came on. Each refresh token is sent once and replaced by the rotated one
-- from the answer; a thread without one (no BENCH_TOKENS line, or its last answer an error) logs in first.
-- request() only chooses and builds: wrk calls it once more than it sends, to check the script. A token whose
-- answer was still in flight when wrk stopped is spent, so chains do not carry over from one wrk run to the next:
-- `Bench load` logs every thread in afresh (BENCH_TOKENS) before a measured run.

local scenario = os.getenv("BENCH_SCENARIO") or "password"
local threads = {}

local function encode(value)
  return (value:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", c:byte()) end))
end

local function form(fields)
  local parts = {}
  for _, field in ipairs(fields) do
    if field[2] ~= nil and field[2] ~= "" then
      parts[#parts + 1] = encode(field[1]) .. "=" .. encode(field[2])
    end
  end
  return table.concat(parts, "&")
end

function setup(thread)
  threads[#threads + 1] = thread
  thread:set("id", #threads)
  local file = os.getenv("BENCH_TOKENS")
  if file and file ~= "" then
    local n = 0
    for line in io.lines(file) do
      n = n + 1
      if n == #threads and line ~= "" then
        thread:set("token", line)
      end
    end
  end
end

function init(args)
  if scenario ~= "password" and scenario ~= "refresh" and scenario ~= "mix" then
    error("BENCH_SCENARIO must be password, refresh or mix, was " .. scenario)
  end
  local users = tonumber(os.getenv("BENCH_USERS") or "1")
  local client_id = os.getenv("BENCH_CLIENT_ID")
  local client_secret = os.getenv("BENCH_CLIENT_SECRET")
  local username = (os.getenv("BENCH_USERNAME") or ""):gsub("{n}", tostring((id - 1) % users + 1))
  local scope = os.getenv("BENCH_SCOPE") or "meshy.api offline_access"
  refresh_percent = tonumber(os.getenv("BENCH_REFRESH_PERCENT") or "80")
  math.randomseed(id * 7919 + os.time())
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Accept"] = "application/json"
  -- the thread's user never changes: its login is built once
  login = wrk.format(nil, nil, nil, form({{"grant_type", "password"}, {"client_id", client_id},
    {"client_secret", client_secret}, {"username", username}, {"password", os.getenv("BENCH_PASSWORD")},
    {"scope", scope}}))
  refresh_prefix = form({{"grant_type", "refresh_token"}, {"client_id", client_id}, {"client_secret", client_secret}})
    .. "&refresh_token="
  statuses = {}
  grants = {password = 0, refresh_token = 0}
end

function request()
  local refresh = token ~= nil and (scenario == "refresh"
    or (scenario == "mix" and math.random(100) <= refresh_percent))
  if not refresh then
    sent = "password"
    return login
  end
  sent = "refresh_token"
  return wrk.format(nil, nil, nil, refresh_prefix .. encode(token))
end

function response(status, headers, body)
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
  grants[sent] = grants[sent] + 1
  if status == 200 then
    token = body:match('"refresh_token"%s*:%s*"([^"]+)"')
  else
    token = nil
  end
end

function done(summary, latency, requests)
  local path = os.getenv("BENCH_JSON")
  if not path or path == "" then
    return
  end
  local all_statuses, all_grants = {}, {password = 0, refresh_token = 0}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses") or {}) do
      all_statuses[status] = (all_statuses[status] or 0) + count
    end
    for grant, count in pairs(thread:get("grants") or {}) do
      all_grants[grant] = all_grants[grant] + count
    end
  end
  local statuses_json = {}
  for status, count in pairs(all_statuses) do
    statuses_json[#statuses_json + 1] = string.format('"%s": %d', status, count)
  end
  local ms = function(micros) return micros / 1000.0 end
  local file = assert(io.open(path, "w"))
  file:write(string.format('{"threads": %d, "seconds": %.6f, "requests": %d, "bytes": %d, '
    .. '"errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d}, "statuses": {%s}, '
    .. '"grants": {"password": %d, "refresh_token": %d}, '
    .. '"latencyMs": {"p50": %.3f, "p90": %.3f, "p99": %.3f, "max": %.3f, "mean": %.3f}}\n',
    #threads, summary.duration / 1e6, summary.requests, summary.bytes,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout,
    table.concat(statuses_json, ", "), all_grants.password, all_grants.refresh_token,
    ms(latency:percentile(50)), ms(latency:percentile(90)), ms(latency:percentile(99)), ms(latency.max),
    ms(latency.mean)))
  file:close()
end
