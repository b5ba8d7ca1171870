-- Token requests for wrk against any OAuth2 token endpoint (RFC 6749 sections 4.3, 4.4 and 6): password grants,
-- refresh grants with rotation, a mix of the two, or a confidential client's client_credentials grants.
-- bench/run drives it through `Bench load`; alone:
--
--   BENCH_SCENARIO=refresh BENCH_CLIENT_ID=bench-client BENCH_USERNAME='user{n}' BENCH_USERS=4 BENCH_PASSWORD=... \
--     wrk -t 8 -c 8 -d 20s --timeout 60s -s bench/wrk/token.lua http://127.0.0.1:18080/bench/connect/token
--   BENCH_SCENARIO=client_credentials BENCH_CLIENT_ID=bench-service BENCH_CLIENT_SECRET=... \
--     wrk -t 8 -c 8 -d 20s --timeout 60s -s bench/wrk/token.lua http://127.0.0.1:18080/bench/connect/token
--
-- Environment:
--   BENCH_SCENARIO        password | refresh | mix | client_credentials (default password)
--   BENCH_CLIENT_ID       client_id of every request; BENCH_CLIENT_SECRET too when set: in the form for password
--                         and refresh grants (client_secret_post); for client_credentials, where it is needed, in an
--                         Authorization: Basic header (client_secret_basic, RFC 6749 section 2.3.1, as services
--                         usually send it), or in the form with BENCH_CLIENT_AUTH=post
--   BENCH_CLIENT_AUTH     basic | post: how client_credentials sends the secret (default basic)
--   BENCH_USERNAME        username; {n} becomes the thread's user number, 1 to BENCH_USERS (default 1)
--   BENCH_PASSWORD        the users' password
--   BENCH_SCOPE           scope of the logins; not sent when empty (default "meshy.api offline_access", as MeshyDB's
--                         SDKs ask; Keycloak's ordinary refresh tokens come without offline_access); for
--                         client_credentials the scope asked for (default empty: not sent, the client's own scopes)
--   BENCH_REFRESH_PERCENT share of refreshes in the mix (default 80)
--   BENCH_TOKENS          a file with one refresh token per line, line i for thread i, to start the chains with
--   BENCH_JSON            where done() writes the run's figures as JSON
--
-- Run one connection per thread (-t C -c C): a thread's state holds its client's one refresh token, and response()
-- does not say which connection an answer came on (client_credentials keeps no state: every request is the same).
-- Each refresh token is sent once and replaced by the rotated one
-- from the answer; a thread without one (no BENCH_TOKENS line, or its last answer an error) logs in first.
-- request() only chooses and builds: wrk calls it once more than it sends, to check the script. A token whose
-- answer was still in flight when wrk stopped is spent, so chains do not carry over from one wrk run to the next:
-- `Bench load` logs every thread in afresh (BENCH_TOKENS) before a measured run.

local scenario = os.getenv("BENCH_SCENARIO") or "password"
local threads = {}

local function encode(value)
  return (value:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", c:byte()) end))
end

local base64_alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

-- standard Base64 with padding (RFC 4648 section 4), in arithmetic: no bit library needed
local function base64(data)
  local out = {}
  for i = 1, #data, 3 do
    local a, b, c = data:byte(i, i + 2)
    local n = a * 65536 + (b or 0) * 256 + (c or 0)
    local chars = {}
    for j = 3, 0, -1 do
      local k = math.floor(n / 64 ^ j) % 64
      chars[#chars + 1] = base64_alphabet:sub(k + 1, k + 1)
    end
    if not b then chars[3] = "=" end
    if not c then chars[4] = "=" end
    out[#out + 1] = table.concat(chars)
  end
  return table.concat(out)
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
  if scenario ~= "password" and scenario ~= "refresh" and scenario ~= "mix" and scenario ~= "client_credentials" then
    error("BENCH_SCENARIO must be password, refresh, mix or client_credentials, was " .. scenario)
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
  if scenario == "client_credentials" then
    if not client_id or client_id == "" or not client_secret or client_secret == "" then
      error("client_credentials needs BENCH_CLIENT_ID and BENCH_CLIENT_SECRET (a confidential client)")
    end
    local auth = os.getenv("BENCH_CLIENT_AUTH") or "basic"
    local service_scope = os.getenv("BENCH_SCOPE") or ""
    if auth == "basic" then
      -- RFC 6749 section 2.3.1: the id and the secret are each form-urlencoded, then joined and Base64-encoded
      local headers = {}
      for name, value in pairs(wrk.headers) do headers[name] = value end
      headers["Authorization"] = "Basic " .. base64(encode(client_id) .. ":" .. encode(client_secret))
      service = wrk.format(nil, nil, headers, form({{"grant_type", "client_credentials"}, {"scope", service_scope}}))
    elseif auth == "post" then
      service = wrk.format(nil, nil, nil, form({{"grant_type", "client_credentials"}, {"client_id", client_id},
        {"client_secret", client_secret}, {"scope", service_scope}}))
    else
      error("BENCH_CLIENT_AUTH must be basic or post, was " .. auth)
    end
  end
  statuses = {}
  grants = {password = 0, refresh_token = 0, client_credentials = 0}
end

function request()
  if service then
    sent = "client_credentials"
    return service
  end
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
  local all_statuses, all_grants = {}, {password = 0, refresh_token = 0, client_credentials = 0}
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
    .. '"grants": {"password": %d, "refresh_token": %d, "client_credentials": %d}, '
    .. '"latencyMs": {"p50": %.3f, "p90": %.3f, "p99": %.3f, "max": %.3f, "mean": %.3f}}\n',
    #threads, summary.duration / 1e6, summary.requests, summary.bytes,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout,
    table.concat(statuses_json, ", "), all_grants.password, all_grants.refresh_token,
    all_grants.client_credentials,
    ms(latency:percentile(50)), ms(latency:percentile(90)), ms(latency:percentile(99)), ms(latency.max),
    ms(latency.mean)))
  file:close()
end
