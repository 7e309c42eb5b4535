-- The request mix of bench.load, for wrk (run by bench/load.py; by hand:
--   wrk -t1 -c50 -d20s --timeout 60s -s bench/load.lua http://127.0.0.1:PORT -- TOKEN FIRST_BUILDER LAST_BUILDER [POST_SHARE])
-- Three requests in four GET a list page (builders, communities, homes, jobs; pages 1-5), one in four
-- POST …/builders/{id}/collect on a random builder of the range (an optional fourth argument sets that share). done() prints the answers by status
-- and the latency percentiles as "key value" lines that bench/load.py reads.

local api = "/api/v1/admin"
local lists = { "builders", "communities", "properties", "collection-jobs" }
local threads = {}
local headers = {}
local first_builder, last_builder, post_share

-- Runs in the main state once per thread: number the threads so each draws its own requests.
function setup(thread)
   thread:set("id", #threads + 1)
   table.insert(threads, thread)
end

-- Runs in each thread's own state.
function init(args)
   headers["Authorization"] = "Bearer " .. args[1]
   headers["Content-Type"] = "application/json"
   first_builder, last_builder = tonumber(args[2]), tonumber(args[3])
   post_share = tonumber(args[4] or "0.25")
   math.randomseed(id)
   statuses = {}  -- global: done() reads it with thread:get
end

function request()
   if math.random() < post_share then
      local builder = math.random(first_builder, last_builder)
      return wrk.format("POST", api .. "/builders/" .. builder .. "/collect", headers, '{"researcher": "web"}')
   end
   local path = lists[math.random(#lists)]
   return wrk.format("GET", api .. "/" .. path .. "?page=" .. math.random(5) .. "&per_page=20", headers)
end

function response(status, _headers, _body)
   statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, _requests)
   local totals = {}
   for _, thread in ipairs(threads) do
      for status, count in pairs(thread:get("statuses")) do
         totals[status] = (totals[status] or 0) + count
      end
   end
   for status, count in pairs(totals) do
      io.write(string.format("status %d %d\n", status, count))
   end
   io.write(string.format("requests %d\n", summary.requests))
   io.write(string.format("duration_us %d\n", summary.duration))
   for _, kind in ipairs({ "connect", "read", "write", "timeout" }) do
      io.write(string.format("error_%s %d\n", kind, summary.errors[kind]))
   end
   for _, q in ipairs({ 50, 90, 99 }) do
      io.write(string.format("p%d_us %d\n", q, latency:percentile(q)))
   end
   io.write(string.format("max_us %d\n", latency.max))
end
