-- wrk script of bench/pages.py: each request goes to the next (cookie, path) pair of the
-- file given after `--`, so many signed-in users' pages are loaded in turn; every
-- answer other than 200 is counted. `done` prints the figures as name=value lines.
--   wrk -t2 -c50 -d15s -s bench/pages.lua http://127.0.0.1:PORT -- targets.txt

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("offset", #threads * 7919)
end

function init(args)
  targets = {}
  for line in io.lines(args[1]) do
    local cookie, path = line:match("^(%S*)%s+(%S+)$")
    table.insert(targets, { cookie, path })
  end
  position = offset
  not_ok = 0
end

function request()
  position = position % #targets + 1
  local target = targets[position]
  local headers = {}
  if target[1] ~= "" then
    headers["Cookie"] = target[1]
  end
  return wrk.format("GET", target[2], headers)
end

function response(status, headers, body)
  if status ~= 200 then
    not_ok = not_ok + 1
  end
end

function done(summary, latency, requests)
  local failed = 0
  for _, thread in ipairs(threads) do
    failed = failed + thread:get("not_ok")
  end
  local errors = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format("requests=%d\n", summary.requests))
  io.write(string.format("seconds=%.2f\n", seconds))
  io.write(string.format("rps=%.1f\n", summary.requests / seconds))
  io.write(string.format("p50_ms=%.1f\n", latency:percentile(50) / 1000))
  io.write(string.format("p95_ms=%.1f\n", latency:percentile(95) / 1000))
  io.write(string.format("p99_ms=%.1f\n", latency:percentile(99) / 1000))
  io.write(string.format("not_ok=%d\n", failed))
  io.write(string.format("socket_errors=%d\n", errors.connect + errors.read + errors.write + errors.timeout))
end
