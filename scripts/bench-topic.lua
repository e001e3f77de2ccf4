-- wrk script for scripts/bench: GET /t/<random topic id> over ids 1..TOPICS.
--
-- Environment:
--   TOPICS        number of topics in the seeded database (required, >= 1)
--   BENCH_RESULT  optional file; done() writes one "key=value ..." line there
--   BENCH_QUIET   if set and non-empty, done() prints nothing (warm-up runs)

local counter = 0

-- setup runs once per thread in the main Lua state, before init.
function setup(thread)
   counter = counter + 1
   thread:set("thread_id", counter)
end

-- init runs inside each thread's own Lua state.
function init(args)
   topics = tonumber(os.getenv("TOPICS") or "")
   if topics == nil or topics < 1 then
      io.stderr:write("bench-topic.lua: TOPICS must be set to the number of topics (>= 1)\n")
      os.exit(2)
   end
   topics = math.floor(topics)
   -- Topic pages are for members: send the signed-in session.
   local cookie = os.getenv("BENCH_COOKIE")
   if cookie ~= nil and cookie ~= "" then
      wrk.headers["Cookie"] = cookie
   end
   math.randomseed(os.time() * 1000 + (thread_id or 0) * 7919)
   -- Discard the first values; LuaJIT's first draws after seeding are poorly mixed.
   for _ = 1, 10 do math.random() end
end

function request()
   return wrk.format("GET", "/t/" .. math.random(1, topics))
end

function done(summary, latency, requests)
   local seconds = summary.duration / 1e6
   local e = summary.errors
   local errors = e.connect + e.read + e.write + e.status + e.timeout
   local rps = summary.requests / seconds
   local p50 = latency:percentile(50) / 1000
   local p90 = latency:percentile(90) / 1000
   local p99 = latency:percentile(99) / 1000
   local max = latency.max / 1000

   local path = os.getenv("BENCH_RESULT")
   if path and path ~= "" then
      local f = assert(io.open(path, "w"))
      f:write(string.format(
         "rps=%.1f p50=%.2fms p90=%.2fms p99=%.2fms max=%.2fms requests=%d errors=%d " ..
         "connect=%d read=%d write=%d status=%d timeout=%d\n",
         rps, p50, p90, p99, max, summary.requests, errors,
         e.connect, e.read, e.write, e.status, e.timeout))
      f:close()
   end

   local quiet = os.getenv("BENCH_QUIET")
   if quiet and quiet ~= "" then
      return
   end
   io.write("------------------------------------------------------------\n")
   io.write(string.format("  requests      %d in %.1f s\n", summary.requests, seconds))
   io.write(string.format("  requests/s    %.1f\n", rps))
   io.write(string.format("  latency p50   %.2f ms\n", p50))
   io.write(string.format("  latency p90   %.2f ms\n", p90))
   io.write(string.format("  latency p99   %.2f ms\n", p99))
   io.write(string.format("  latency max   %.2f ms\n", max))
   io.write(string.format("  errors        %d (connect %d, read %d, write %d, status %d, timeout %d)\n",
      errors, e.connect, e.read, e.write, e.status, e.timeout))
   io.write("------------------------------------------------------------\n")
end
