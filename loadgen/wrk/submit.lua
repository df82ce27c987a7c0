-- wrk script: people posting the public opinion form, as a browser does, counting only the
-- submissions whose receipt code was shown. Used by run.sh (read it first); by hand:
--
--   MINSHENG_CSRF=<token> wrk -t 2 -c 64 -d 20s -s loadgen/wrk/submit.lua http://127.0.0.1:PORT
--
-- The portal must run with -captcha=off. One CSRF pair (the ms_csrf cookie and the form's _csrf
-- field carry the same token), fetched once with GET /submit, serves every post.
--
-- An acknowledgement is the page that carries the receipt code, which the portal sends only
-- after the opinion's COMMIT: normally POST /submit answers 303 to /submit/done with a ticket
-- cookie (ms_receipt) and the GET of that page shows the code; when the portal already holds as
-- many receipts as it keeps (10 000 for ten minutes), the POST's own answer is the receipt page.
-- Either way only a 200 page with id="receipt-code" and a code in it counts. A receipt's GET
-- goes out on the thread's next request, on whichever of its connections is free: the ticket
-- cookie is all the state there is, as in a browser.
--
local csrf = os.getenv("MINSHENG_CSRF") or error("set MINSHENG_CSRF to the token of GET /submit")

local function enc(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local threads = {}
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("id", next_id)
  table.insert(threads, thread)
end

-- per thread
local form = "_csrf=" .. enc(csrf) .. "&type=suggestion&unit=county-hospital&dept=" .. enc("门诊") ..
  "&submitter=patient&website=&confirm_personal=1&content="
local text = enc("压力测试留言：门诊排队太久，希望增加窗口，也希望候诊区多放几把椅子。编号 ")
local post_headers = { ["Content-Type"] = "application/x-www-form-urlencoded", ["Cookie"] = "ms_csrf=" .. csrf }
local n = 0          -- posts sent by this thread
local tickets = {}   -- receipt tickets waiting for their GET, oldest first
acked, acked_held, acked_inline, refused_busy, failed = 0, 0, 0, 0, 0

function request()
  if #tickets > 0 then
    return wrk.format("GET", "/submit/done", { ["Cookie"] = "ms_receipt=" .. table.remove(tickets, 1) })
  end
  n = n + 1
  -- A unique text per post, starting with letters so it never reads as a phone number.
  return wrk.format("POST", "/submit", post_headers, form .. text .. string.format("t%dk%d", id, n))
end

local function shows_code(body)
  return body and body:match('id="receipt%-code"[^>]*><span class="code%-group">%w') ~= nil
end

function response(status, headers, body)
  if status == 303 and headers["Location"] == "/submit/done" then
    local ticket = (headers["Set-Cookie"] or ""):match("ms_receipt=([^;]+)")
    if ticket then table.insert(tickets, ticket) else failed = failed + 1 end
    return
  end
  if status == 200 and shows_code(body) then
    acked = acked + 1
    -- Only the page of a kept receipt offers to forget it; the one a full portal sends in
    -- answer to the POST itself does not.
    if body:find("/submit/done/forget", 1, true) then acked_held = acked_held + 1 else acked_inline = acked_inline + 1 end
  elseif status == 503 then
    refused_busy = refused_busy + 1
  else
    failed = failed + 1
    if failed <= 3 then io.stderr:write(string.format("thread %d: answered %d\n", id, status)) end
  end
end

function done(summary, latency, requests)
  local t = { acked = 0, acked_held = 0, acked_inline = 0, refused_busy = 0, failed = 0 }
  for _, th in ipairs(threads) do
    for k in pairs(t) do t[k] = t[k] + th:get(k) end
  end
  local secs = summary.duration / 1e6
  io.write(string.format("ACKED %d\nACK_RATE %.1f\nHELD %d\nINLINE %d\nBUSY_503 %d\nFAILED %d\nSOCKET_ERRORS %d\nSECONDS %.2f\n",
    t.acked, t.acked / secs, t.acked_held, t.acked_inline, t.refused_busy, t.failed,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, secs))
end
