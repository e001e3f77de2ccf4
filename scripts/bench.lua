-- wrk script for scripts/bench. BENCH_MODE picks what each request does:
--   topic    GET /t/<random topic id in 1..TOPICS>
--   board    GET /b/<random slug of BENCH_BOARDS>
--   tag      GET /tags/<random tag of BENCH_TAGS>
--   latest   GET /latest
--   profile  GET /u/<random username of BENCH_MEMBERS>
--   search   GET /search?q=<one of 20 queries a member types, in turn>
--   search1  the same as search; scripts/bench runs it over one connection
--            (-t1 -c1) for the latency a single member sees
--   reply    POST /t/<random topic id>/reply, a short reply with the
--            form's CSRF token (BENCH_CSRF); every connection is a writer
--   ceiling  GET / (the ceiling server answers every path with the page)
--
-- Environment:
--   BENCH_MODE    one of the above (required)
--   TOPICS        number of topics (topic and reply modes)
--   BENCH_BOARDS  comma-separated board slugs (board mode)
--   BENCH_TAGS    comma-separated tags (tag mode)
--   BENCH_MEMBERS comma-separated usernames (profile mode)
--   BENCH_COOKIE  Cookie header to send (the signed-in member's session)
--   BENCH_CSRF    the CSRF token that goes with BENCH_COOKIE (reply mode)
--   BENCH_RESULT  optional file; done() writes one "key=value ..." line there
--   BENCH_QUIET   if set and non-empty, done() prints nothing (warm-up runs)

local counter = 0

-- setup runs once per thread in the main Lua state, before init.
function setup(thread)
   counter = counter + 1
   thread:set("thread_id", counter)
end

-- What members search for over the vocabulary `rounds seed` writes: one to
-- three words, phrases, order:newest and tag: filters.
local queries = {
   "heparin", "sepsis", "vancomycin", "delirium", "hyperkalemia", "ketamine",
   "heparin dosing", "septic shock", "vancomycin trough", "atrial fibrillation", "apixaban renal",
   "ketamine intubation hypotension", "dka insulin potassium",
   "\"septic shock\"", "\"heart failure\" furosemide",
   "order:newest heparin", "order:newest delirium",
   "tag:anticoagulation apixaban", "tag:sepsis tag:antibiotics", "tag:sepsis",
}

local function urlencode(s)
   return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local function fail(msg)
   io.stderr:write("bench.lua: " .. msg .. "\n")
   os.exit(2)
end

-- list reads a comma-separated list from the environment; it must not be empty.
local function list(name, what)
   local items = {}
   for item in string.gmatch(os.getenv(name) or "", "[^,]+") do
      table.insert(items, item)
   end
   if #items == 0 then
      fail(name .. " must list at least one " .. what)
   end
   return items
end

-- init runs inside each thread's own Lua state.
function init(args)
   mode = os.getenv("BENCH_MODE") or ""
   if mode == "topic" or mode == "reply" then
      topics = tonumber(os.getenv("TOPICS") or "")
      if topics == nil or topics < 1 then
         fail("TOPICS must be set to the number of topics (>= 1)")
      end
      topics = math.floor(topics)
   elseif mode == "board" then
      boards = list("BENCH_BOARDS", "board slug")
   elseif mode == "tag" then
      tags = list("BENCH_TAGS", "tag")
   elseif mode == "profile" then
      members = list("BENCH_MEMBERS", "username")
   elseif mode == "search" or mode == "search1" then
      paths = {}
      for i, q in ipairs(queries) do
         paths[i] = "/search?q=" .. urlencode(q)
      end
   elseif mode ~= "ceiling" and mode ~= "latest" then
      fail("BENCH_MODE must be topic, board, tag, latest, profile, search, search1, reply or ceiling, not '" .. mode .. "'")
   end
   if mode == "reply" then
      local csrf = os.getenv("BENCH_CSRF") or ""
      if csrf == "" then
         fail("BENCH_CSRF must be set in reply mode")
      end
      csrf_field = "_csrf=" .. urlencode(csrf)
      wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
   end
   local cookie = os.getenv("BENCH_COOKIE")
   if cookie ~= nil and cookie ~= "" then
      wrk.headers["Cookie"] = cookie
   end
   math.randomseed(os.time() * 1000 + (thread_id or 0) * 7919)
   -- Discard the first values; LuaJIT's first draws after seeding are poorly mixed.
   for _ = 1, 10 do math.random() end
   sent = (thread_id or 0) * 7
end

function request()
   sent = sent + 1
   if mode == "topic" then
      return wrk.format("GET", "/t/" .. math.random(1, topics))
   elseif mode == "board" then
      return wrk.format("GET", "/b/" .. boards[math.random(1, #boards)])
   elseif mode == "tag" then
      return wrk.format("GET", "/tags/" .. urlencode(tags[math.random(1, #tags)]))
   elseif mode == "latest" then
      return wrk.format("GET", "/latest")
   elseif mode == "profile" then
      return wrk.format("GET", "/u/" .. urlencode(members[math.random(1, #members)]))
   elseif mode == "search" or mode == "search1" then
      return wrk.format("GET", paths[(sent % #paths) + 1])
   elseif mode == "reply" then
      local body = csrf_field .. "&body=" .. urlencode(
         "Agree with the plan above. We would recheck the potassium and the creatinine in the morning " ..
         "and review the dose then; reply " .. sent .. " from load thread " .. (thread_id or 0) .. ".")
      return wrk.format("POST", "/t/" .. math.random(1, topics) .. "/reply", nil, body)
   end
   return wrk.format("GET", "/")
end

-- A reply is answered with 303 to the topic; a refusal (a form shown again
-- with a problem, a rate limit) is a 4xx, which wrk counts as an error.
-- No response() hook: it would make wrk parse every answer's headers.

function done(summary, latency, requests)
   local seconds = summary.duration / 1e6
   local e = summary.errors
   local errors = e.connect + e.read + e.write + e.status + e.timeout
   local rps = summary.requests / seconds
   local p50 = latency:percentile(50) / 1000
   local p90 = latency:percentile(90) / 1000
   local p95 = latency:percentile(95) / 1000
   local p99 = latency:percentile(99) / 1000
   local max = latency.max / 1000

   local path = os.getenv("BENCH_RESULT")
   if path and path ~= "" then
      local f = assert(io.open(path, "w"))
      f:write(string.format(
         "rps=%.1f p50=%.2fms p90=%.2fms p95=%.2fms p99=%.2fms max=%.2fms requests=%d errors=%d " ..
         "connect=%d read=%d write=%d status=%d timeout=%d\n",
         rps, p50, p90, p95, p99, max, summary.requests, errors,
         e.connect, e.read, e.write, e.status, e.timeout))
      f:close()
   end

   local quiet = os.getenv("BENCH_QUIET")
   if quiet and quiet ~= "" then
      return
   end
   io.write(string.format("  %-8s %8.1f req/s  p50 %7.2f ms  p90 %7.2f ms  p95 %7.2f ms  p99 %7.2f ms  max %7.2f ms  errors %d (status %d, timeout %d)\n",
      os.getenv("BENCH_MODE") or "?", rps, p50, p90, p95, p99, max, errors, e.status, e.timeout))
end
