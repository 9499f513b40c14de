-- Mixed traffic for wrk (bench/load.sh): the map, lists, hub pages, feeds and the dashboard.
-- Each request takes the next path of the list; wrk counts the answers that are not 2xx/3xx.

-- HUB_SLUGS (space-separated) and HUB_ID name published hubs of the database (load.sh).
local paths = {
  "/",
  "/api/v1/hubs.geojson",
  "/hubs/",
  "/hubs/?territory=dep:59",
  "/hubs/?page=20",
  "/api/v1/hubs.geojson?bbox=2.5,50.2,3.7,50.8",
  "/api/v1/hubs/" .. os.getenv("HUB_ID") .. ".json",
  "/events/",
  "/api/v1/events.ics",
  "/funding/",
  "/funding/?territory=dep:59",
  "/api/v1/hubs.csv?territory=dep:59",
  "/healthz",
}
for slug in string.gmatch(os.getenv("HUB_SLUGS"), "%S+") do
  table.insert(paths, "/hubs/" .. slug .. "/")
end
local counter = 0

request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end

done = function(summary, latency, requests)
  io.write(string.format("requests: %d in %.1f s, %.1f/s\n", summary.requests, summary.duration / 1e6,
    summary.requests / (summary.duration / 1e6)))
  io.write(string.format("latency p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000))
  local socket_errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  io.write(string.format("errors: %d responses not 2xx/3xx, %d socket errors\n",
    summary.errors.status, socket_errors))
end
