#!/usr/bin/env bash
# examples/hello, the demo service, against real HTTP clients:
#   /, /healthz, /metrics content (counters move, histogram buckets are cumulative, +Inf equals
#   _count, build info, start time; `promtool check metrics` when installed), HEAD/404/405,
#   keep-alive, malformed requests answered 4xx/5xx without a crash, slow clients cannot starve
#   others and get 408, HELLO_FAILURE_RATE / HELLO_STARTUP_DELAY / HELLO_LATENCY, invalid
#   configuration exits 2, SIGTERM finishes the request in flight and exits 0, the binary is
#   statically linked.
#
#   bash tests/integration/hello.sh build/coconut      (hello is $COCONUT_BUILD_DIR/examples/hello/hello)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
it_init "$@"
require_tool curl file timeout

BUILD_DIR="${COCONUT_BUILD_DIR:-$(dirname "$COCONUT")}"
HELLO="$BUILD_DIR/examples/hello/hello"
[[ -x $HELLO ]] || skip_or_fail "hello binary not found at $HELLO (configure with -DCOCONUT_EXAMPLES=ON and build target hello)"

HELLO_PIDS=()
stop_all_hello() {
  local p
  for p in "${HELLO_PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done
  for p in "${HELLO_PIDS[@]}"; do wait "$p" 2>/dev/null; done
  _it_cleanup
}
trap stop_all_hello EXIT

# start_hello NAME [VAR=VALUE...]: starts hello on a free 127.0.0.1 port (PORT=0: the kernel
# picks it, hello logs it); sets HPID, HPORT, HLOG. Fails the suite when it does not come up.
start_hello() {
  local name="$1"
  shift
  HLOG="$WORK/$name.log"
  env PORT=0 HELLO_LISTEN=127.0.0.1 "$@" "$HELLO" 2>"$HLOG" &
  HPID=$!
  HELLO_PIDS+=("$HPID")
  HPORT=""
  local i
  for ((i = 0; i < 100; i++)); do
    HPORT="$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p' "$HLOG")"
    [[ -n $HPORT ]] && return 0
    kill -0 "$HPID" 2>/dev/null || break
    sleep 0.05
  done
  fail "hello ($name) did not start"
  show "$HLOG"
  it_finish
}

hc() { curl --noproxy '*' -sS --max-time 10 "$@"; }

# metric FILE SERIES: the value of one series (exact name and labels), or 0 when absent.
metric() {
  awk -v s="$2" '$1 == s { v = $2; found = 1 } END { print (found ? v : 0) }' "$1"
}

# raw PORT DATA(printf format): sends bytes on a fresh TCP connection, prints the answer.
raw() {
  timeout 5 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 9; printf "$2" >&3; cat <&3' _ "$1" "$2" 2>/dev/null
}

status_of() { head -1 | tr -d '\r'; }

# --- the binary --------------------------------------------------------------------------------
if file "$HELLO" | grep -q 'statically linked'; then
  pass "hello is statically linked"
else
  fail "hello is not statically linked: $(file "$HELLO")"
fi

# --- endpoints ---------------------------------------------------------------------------------
start_hello main HELLO_VERSION=9.9.9-test HELLO_HEADER_TIMEOUT=1 HELLO_IDLE_TIMEOUT=2
MAIN_PID=$HPID
MAIN_PORT=$HPORT
URL="http://127.0.0.1:$MAIN_PORT"

body="$(hc "$URL/")"
[[ $body == "hello from coconut 9.9.9-test" ]] && pass "GET / answers the version" || fail "GET /: '$body'"
code="$(hc -o "$WORK/hz" -w '%{http_code}' "$URL/healthz")"
[[ $code == 200 && $(cat "$WORK/hz") == ok ]] && pass "GET /healthz 200 ok" || fail "GET /healthz: $code '$(cat "$WORK/hz")'"
code="$(hc -o /dev/null -w '%{http_code}' "$URL/nope?x=1")"
[[ $code == 404 ]] && pass "unknown path 404" || fail "unknown path: $code"
code="$(hc -o /dev/null -w '%{http_code}' -X POST -d 'a=b' "$URL/")"
[[ $code == 405 ]] && pass "POST / 405" || fail "POST /: $code"
hc -I "$URL/" >"$WORK/head" 2>&1
if [[ $(status_of <"$WORK/head") == "HTTP/1.1 200 OK" ]] && grep -qi '^content-length: 30' "$WORK/head"; then
  pass "HEAD / 200 with the length of GET's body"
else
  fail "HEAD /"
  show "$WORK/head"
fi
hc -v "$URL/" "$URL/healthz" -o /dev/null -o /dev/null 2>"$WORK/ka"
grep -qi 're-using existing connection' "$WORK/ka" && pass "keep-alive: curl reuses the connection" ||
  { fail "keep-alive: connection not reused"; show "$WORK/ka" 30; }

# --- metrics -----------------------------------------------------------------------------------
ctype="$(hc -o "$WORK/m1" -w '%{content_type}' "$URL/metrics")"
[[ $ctype == "text/plain; version=0.0.4; charset=utf-8" ]] && pass "/metrics content type is exposition 0.0.4" ||
  fail "/metrics content type: '$ctype'"
before="$(metric "$WORK/m1" 'http_requests_total{code="200",path="/"}')"
for _ in 1 2 3; do hc -o /dev/null "$URL/"; done
hc -o "$WORK/m2" "$URL/metrics"
after="$(metric "$WORK/m2" 'http_requests_total{code="200",path="/"}')"
((after == before + 3)) && pass "http_requests_total{code=200,path=/} counted 3 more requests ($before -> $after)" ||
  fail "counter: before $before, after $after (want +3)"
m404="$(metric "$WORK/m2" 'http_requests_total{code="404",path="other"}')"
((m404 == 1)) && pass "404s are counted under path=\"other\"" || fail "404 counter: $m404"
((before >= 1)) && pass "/metrics counts the earlier requests (/ = $before)" || fail "no earlier requests counted"

# Buckets: ascending le, cumulative counts, +Inf == _count == every request counted so far.
hist="$(awk '
  /^http_request_duration_seconds_bucket/ {
    match($0, /le="[^"]*"/); le = substr($0, RSTART + 4, RLENGTH - 5)
    if (le == "+Inf") inf = $2
    else { if (n && (le + 0 <= prev_le || $2 + 0 < prev)) bad = "not cumulative at le=" le; prev_le = le + 0 }
    if ($2 + 0 < prev) bad = "count decreases at le=" le
    prev = $2 + 0; n++
  }
  /^http_request_duration_seconds_count / { count = $2 }
  /^http_requests_total\{/ { total += $2 }
  END {
    if (bad) print bad
    else if (n < 2) print "no buckets"
    else if (inf != count) print "+Inf " inf " != _count " count
    else if (count != total) print "_count " count " != sum of http_requests_total " total
    else print "ok " n " buckets, count " count
  }' "$WORK/m2")"
[[ $hist == ok* ]] && pass "histogram: $hist, +Inf == _count == sum of requests" || fail "histogram: $hist"
grep -q '^http_request_duration_seconds_sum [0-9.e+-]*$' "$WORK/m2" && pass "histogram _sum present" || fail "no _sum"
[[ $(metric "$WORK/m2" 'hello_build_info{version="9.9.9-test"}') == 1 ]] && pass "hello_build_info{version=9.9.9-test} 1" ||
  fail "hello_build_info missing"
start_time="$(metric "$WORK/m2" process_start_time_seconds)"
now="$(date +%s)"
if awk -v s="$start_time" -v n="$now" 'BEGIN { exit !(s > n - 120 && s <= n + 1) }'; then
  pass "process_start_time_seconds is the start time ($start_time)"
else
  fail "process_start_time_seconds $start_time vs now $now"
fi
grep -q '^# TYPE http_requests_total counter$' "$WORK/m2" && grep -q '^# TYPE http_request_duration_seconds histogram$' "$WORK/m2" &&
  pass "TYPE lines for counter and histogram" || fail "TYPE lines missing"
if command -v promtool >/dev/null 2>&1; then
  if promtool check metrics <"$WORK/m2" >"$WORK/promtool.out" 2>&1; then
    pass "promtool check metrics accepts /metrics"
  else
    fail "promtool check metrics"
    show "$WORK/promtool.out"
  fi
elif is_ci; then
  fail "promtool not found (CI=true: install the Debian package prometheus via scripts/setup-deps.sh)"
else
  echo "skipped: promtool (install the Debian package prometheus to lint /metrics)"
fi

# --- malformed requests: an answer, never a crash ---------------------------------------------
check_raw() {
  local want="$1" what="$2" data="$3" got
  got="$(raw "$MAIN_PORT" "$data" | status_of)"
  [[ $got == "HTTP/1.1 $want"* ]] && pass "$what -> $want" || fail "$what: want $want, got '$got'"
}
check_raw 400 "garbage request line" 'GARBAGE\r\n\r\n'
check_raw 400 "HTTP/1.1 without Host" 'GET / HTTP/1.1\r\n\r\n'
check_raw 400 "NUL byte in the request target" 'GET /\000 HTTP/1.1\r\nHost: x\r\n\r\n'
check_raw 400 "header without a colon" 'GET / HTTP/1.1\r\nHost: x\r\nbroken header\r\n\r\n'
check_raw 400 "space before the colon" 'GET / HTTP/1.1\r\nHost : x\r\n\r\n'
check_raw 400 "conflicting Content-Length" 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab'
check_raw 505 "HTTP/2.0 request line" 'GET / HTTP/2.0\r\nHost: x\r\n\r\n'
check_raw 501 "Transfer-Encoding: chunked" 'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'
check_raw 413 "huge Content-Length" 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n'
check_raw 431 "10 KB header" "GET / HTTP/1.1\\r\\nHost: x\\r\\nX-Big: $(head -c 10240 /dev/zero | tr '\0' a)\\r\\n\\r\\n"
check_raw 200 "HTTP/1.0 request" 'GET / HTTP/1.0\r\n\r\n'
check_raw 200 "absolute-form target" 'GET http://example.test/healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
two="$(raw "$MAIN_PORT" 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' | grep -c '^HTTP/1.1 200')"
[[ $two == 2 ]] && pass "two pipelined requests, two answers" || fail "pipelining: $two answers"
head -c 4000 /dev/urandom >"$WORK/junk"
junk_status="$(timeout 5 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"; cat "$2" >&3; printf "\r\n\r\n" >&3; cat <&3' _ "$MAIN_PORT" "$WORK/junk" 2>/dev/null | status_of)"
[[ -z $junk_status || $junk_status == "HTTP/1.1 4"* || $junk_status == "HTTP/1.1 5"* ]] &&
  pass "random bytes: '${junk_status:-connection closed}'" || fail "random bytes answered '$junk_status'"
kill -0 "$MAIN_PID" 2>/dev/null && [[ $(hc "$URL/healthz") == ok ]] && pass "still serving after malformed requests" ||
  fail "hello died or stopped answering after malformed requests"

# --- slow clients --------------------------------------------------------------------------------
# A client that dribbles header lines forever: the 1 s request deadline (HELLO_HEADER_TIMEOUT) is
# counted from its first byte, so it gets 408 after ~1 s however slowly it keeps sending.
(
  exec 3<>"/dev/tcp/127.0.0.1/$MAIN_PORT"
  printf 'GET / HTTP/1.1\r\nHost: x\r\n' >&3
  (for _ in 1 2 3 4 5 6 7 8 9 10; do sleep 0.25; printf 'X-Slow: 1\r\n' >&3 || exit 0; done) 2>/dev/null &
  timeout 5 cat <&3 >"$WORK/slow.out"
) &
slow_pid=$!
idle_fds=()
for _ in $(seq 1 20); do
  exec {fd}<>"/dev/tcp/127.0.0.1/$MAIN_PORT" && idle_fds+=("$fd")
done
sleep 0.2
t0=$(date +%s%N)
code="$(hc -o /dev/null -w '%{http_code}' "$URL/")"
ms=$((($(date +%s%N) - t0) / 1000000))
[[ $code == 200 ]] && ((ms < 1000)) && pass "a slow client and 20 idle connections do not block others (${ms} ms)" ||
  fail "with slow/idle clients: $code after ${ms} ms"
t0=$(date +%s%N)
wait "$slow_pid"
ms=$((($(date +%s%N) - t0) / 1000000))
slow_status="$(status_of <"$WORK/slow.out")"
[[ $slow_status == "HTTP/1.1 408"* ]] && ((ms < 2500)) && pass "dribbling client gets 408 at the header deadline" ||
  fail "slow client: '$slow_status' after ${ms} ms"
for fd in "${idle_fds[@]}"; do exec {fd}>&-; done

# --- failure rate, latency, startup delay -------------------------------------------------------
start_hello fail1 HELLO_FAILURE_RATE=1.0
codes="$(hc -s -o /dev/null -o /dev/null -o /dev/null -o /dev/null -o /dev/null -w '%{http_code}\n' \
  "http://127.0.0.1:$HPORT/"{,,,,} | sort | uniq -c | awk '{print $2 "x" $1}' | tr '\n' ' ')"
[[ $codes == "500x5 " ]] && pass "HELLO_FAILURE_RATE=1.0: every / is 500" || fail "HELLO_FAILURE_RATE=1.0: $codes"
[[ $(hc -o /dev/null -w '%{http_code}' "http://127.0.0.1:$HPORT/healthz") == 200 ]] && pass "failure rate leaves /healthz alone" ||
  fail "/healthz under failure rate"
hc -o "$WORK/mf" "http://127.0.0.1:$HPORT/metrics"
[[ $(metric "$WORK/mf" 'http_requests_total{code="500",path="/"}') == 5 ]] && pass "500s counted as code=\"500\"" ||
  fail "500 counter: $(metric "$WORK/mf" 'http_requests_total{code="500",path="/"}')"

start_hello half HELLO_FAILURE_RATE=0.5
urls=()
for _ in $(seq 1 100); do urls+=("http://127.0.0.1:$HPORT/" -o /dev/null); done
n500="$(hc -s -w '%{http_code}\n' "${urls[@]}" | grep -c '^500$')"
((n500 > 10 && n500 < 90)) && pass "HELLO_FAILURE_RATE=0.5: $n500/100 answered 500" || fail "HELLO_FAILURE_RATE=0.5: $n500/100"

start_hello slow HELLO_LATENCY=0.3
hc -o /dev/null "http://127.0.0.1:$HPORT/"
hc -o "$WORK/ml" "http://127.0.0.1:$HPORT/metrics"
b025="$(metric "$WORK/ml" 'http_request_duration_seconds_bucket{le="0.25"}')"
b05="$(metric "$WORK/ml" 'http_request_duration_seconds_bucket{le="0.5"}')"
[[ $b025 == 0 && $b05 == 1 ]] && pass "HELLO_LATENCY=0.3 lands in the le=0.5 bucket" || fail "latency buckets: le=0.25 $b025, le=0.5 $b05"

start_hello starting HELLO_STARTUP_DELAY=2
code="$(hc -o "$WORK/st" -w '%{http_code}' "http://127.0.0.1:$HPORT/healthz")"
[[ $code == 503 ]] && pass "HELLO_STARTUP_DELAY: /healthz 503 while starting" || fail "startup: first /healthz $code"
hc -o "$WORK/ms" "http://127.0.0.1:$HPORT/metrics"
[[ $(metric "$WORK/ms" hello_ready) == 0 ]] && pass "hello_ready 0 while starting" || fail "hello_ready while starting"
ok_after=""
for ((i = 0; i < 60; i++)); do
  if [[ $(hc -o /dev/null -w '%{http_code}' "http://127.0.0.1:$HPORT/healthz") == 200 ]]; then ok_after=$i; break; fi
  sleep 0.1
done
[[ -n $ok_after ]] && pass "then 200 once the delay is over" || fail "/healthz never became 200"

# --- configuration errors -----------------------------------------------------------------------
expect_rc 2 "HELLO_FAILURE_RATE=2 is rejected" env HELLO_FAILURE_RATE=2 PORT=0 "$HELLO"
grep -q 'HELLO_FAILURE_RATE must be' "$WORK/err" && pass "... with a message naming the variable" || fail "no message: $(cat "$WORK/err")"
expect_rc 2 "PORT=http is rejected" env PORT=http "$HELLO"
expect_rc 2 "HELLO_LISTEN=localhost is rejected (an address is needed)" env PORT=0 HELLO_LISTEN=localhost "$HELLO"
expect_rc 0 "--help" "$HELLO" --help

# --- healthcheck subcommand -----------------------------------------------------------------------
expect_rc 0 "hello healthcheck against a running instance" env PORT="$MAIN_PORT" "$HELLO" healthcheck
expect_rc 1 "hello healthcheck with nothing listening" env PORT=1 "$HELLO" healthcheck

# --- SIGTERM: stop accepting, finish what is in flight, exit 0 ----------------------------------
start_hello term HELLO_LATENCY=2
TERM_PID=$HPID
TERM_PORT=$HPORT
exec {idle}<>"/dev/tcp/127.0.0.1/$TERM_PORT"  # an idle keep-alive connection must not delay exit
hc -o "$WORK/inflight" -w '%{http_code}' "http://127.0.0.1:$TERM_PORT/" >"$WORK/inflight.code" 2>&1 &
curl_pid=$!
sleep 0.7
kill -TERM "$TERM_PID"
sleep 0.2
if hc -o /dev/null "http://127.0.0.1:$TERM_PORT/healthz" 2>/dev/null; then
  fail "a new connection was accepted after SIGTERM"
else
  pass "no new connections after SIGTERM"
fi
wait "$curl_pid"
[[ $(cat "$WORK/inflight.code") == 200 && $(cat "$WORK/inflight") == "hello from coconut 1.0.0" ]] &&
  pass "the request in flight at SIGTERM was answered" || fail "in-flight request: $(cat "$WORK/inflight.code") '$(cat "$WORK/inflight")'"
rc=0
timeout 5 tail --pid="$TERM_PID" -f /dev/null || true
wait "$TERM_PID" || rc=$?
((rc == 0)) && pass "exit code 0 after SIGTERM" || fail "exit code $rc after SIGTERM"
grep -q '1 request(s) in flight' "$HLOG" && pass "log: 1 request in flight at SIGTERM" || { fail "shutdown log"; show "$HLOG"; }
exec {idle}>&-

kill -TERM "$MAIN_PID"
rc=0
wait "$MAIN_PID" || rc=$?
((rc == 0)) && pass "main instance exits 0 on SIGTERM" || fail "main instance exit $rc"

it_finish
