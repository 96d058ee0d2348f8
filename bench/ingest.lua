-- wrk script for bench/ingest.sh: every request POSTs a new tile (form body, as the PHP SDK sends it).
local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  counter = 0
  tags = os.getenv("TAGS") or ""
  succeeded = 0
end

function request()
  counter = counter + 1
  local body = "name=Bench+fan&message=Bench+post+" .. id .. "-" .. counter .. "+%23bench&image_url=https%3A%2F%2Fcdn.example.com%2Fi%2F"
    .. id .. "-" .. counter .. ".jpg&tags=" .. tags
  return wrk.format("POST", nil, { ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
end

function response(status, headers, body)
  if status == 200 then
    succeeded = succeeded + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("succeeded")
  end
  io.write(string.format("tiles acknowledged with 200: %d\n", total))
end
