#!/usr/bin/env bash
# Runs every benchmark scenario against the chat server and the reference server, in the same run, on loopback.
#
#   docs/bench/run-scenarios.sh                  # everything (idle-max is slow: see docs/benchmarks.md)
#   SCENARIOS="fanout-n100 idle-5000" docs/bench/run-scenarios.sh
#   TARGETS=reference docs/bench/run-scenarios.sh  # only the reference (before the chat server exists)
#   TARGETS="chat-irc ngircd" SCENARIOS="fanout-n100 fanout-n1000" docs/bench/run-scenarios.sh   # IRC fan-out
#
# Servers (TARGETS, default "chat reference"): chat = the chat server on one event loop (CHAT_TCP_INSTANCES=1), like
# the reference; chat-default = the chat server as it starts by default (one event loop per two processors, at least one);
# chat-2nodes = two clustered chat nodes, the fan-out's senders on one and its readers on the other (needs curl);
# chat-nohistory = chat with history.lines 0; chat-2nodes-base = chat-2nodes running BASE_JAR (a jar of an earlier
# commit, e.g. one without the cluster-wide room order), for comparing a change within one run.
# IRC (the generator's --protocol irc): chat-irc = the chat server's IRC listener (one event loop, line and web
# listeners idle); ngircd = ngIRCd from the distribution's package (apt-get install ngircd), flood limits relaxed, the
# baseline of the tables when no reference runs.
# Knobs (environment): SCENARIOS, TARGETS, WARMUP (10), DURATION (20), REPEAT (3: runs of each traffic scenario, the
# servers taking turns), PIN (1: the generator on the last CPU, when taskset exists and there are two CPUs or more;
# 0: no pinning), CLIENT_THREADS (1), SERVER_HEAP (-Xmx for both servers, default 2g), IDLE_MAX_ROOMS (200),
# OUT (bench-results/<time>), BASELINE (label the tables compare with: reference, or ngircd when only IRC targets run),
# BASE_JAR (for chat-2nodes-base).
# Results: one JSON per server, scenario and run in $OUT, plus summary.md (tables with ratios, and the median ratio
# of each traffic scenario) and latency PNGs.
set -euo pipefail

cd "$(dirname "$0")/../.."
JAR=target/chat-server.jar
BENCH_JAR=bench/target/chat-bench.jar
OUT=${OUT:-bench-results/$(date +%Y%m%d-%H%M%S)}
TARGETS=${TARGETS:-chat reference}
WARMUP=${WARMUP:-10}
DURATION=${DURATION:-20}
REPEAT=${REPEAT:-3}
PIN=${PIN:-1}
CLIENT_THREADS=${CLIENT_THREADS:-1}
SERVER_HEAP=${SERVER_HEAP:-2g}
ALL_SCENARIOS="fanout-n100 fanout-n1000 open-n1000-r100 open-n1000-r500 open-n1000-r2000 idle-5000 idle-max storm-2000"
SCENARIOS=${SCENARIOS:-$ALL_SCENARIOS}
if [[ " $TARGETS " == *" reference "* || " $TARGETS " != *" ngircd "* ]]; then
  BASELINE=${BASELINE:-reference}
else
  BASELINE=${BASELINE:-ngircd}
fi

log() { printf '[run-scenarios] %s\n' "$*" >&2; }

build_if_needed() {
  if [[ ! -f $JAR ]] || [[ -n $(find src pom.xml -newer "$JAR" -print -quit) ]]; then
    log "building $JAR"
    mvn -q -DskipTests package
  fi
  if [[ ! -f $BENCH_JAR ]] || [[ -n $(find bench/src bench/pom.xml -newer "$BENCH_JAR" -print -quit) ]]; then
    log "building $BENCH_JAR"
    mvn -q -f bench/pom.xml -DskipTests package
  fi
}

free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 20000))
    if ! ss -Htln "sport = :$port" | grep -q .; then
      echo "$port"
      return
    fi
  done
}

wait_listening() {
  local port=$1 pid=$2
  for _ in $(seq 1 300); do
    if ss -Htln "sport = :$port" | grep -q .; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then return 1; fi
    sleep 0.2
  done
  return 1
}

PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

# The generator pinned to the last CPU leaves the others to the server, so the two do not take turns on one core and
# runs vary less. The server itself is not pinned: a JVM that sees one CPU picks the Serial collector and fewer
# compiler threads, which is not how it runs in production.
CLIENT_CPU=()
if [[ $PIN == 1 ]] && command -v taskset >/dev/null && (( $(nproc) >= 2 )); then
  CLIENT_CPU=(taskset -c "$(( $(nproc) - 1 ))")
fi

# One clustered chat node on loopback, on one event loop; $1 chat port, $2 ops port, $3 its cluster port, $4 the other's,
# $5 the jar.
start_node() {
  CHAT_TCP_PORT=$1 CHAT_TCP_HOST=127.0.0.1 CHAT_HTTP_PORT=$2 CHAT_LIMITS_LINES_PER_SECOND=0 \
  CHAT_LIMITS_SEND_QUEUE_BYTES=$((16 * 1024 * 1024)) CHAT_LOCALE=ko CHAT_TCP_INSTANCES=1 \
  CHAT_WEB_ENABLED=false CHAT_IRC_ENABLED=false \
  CHAT_CLUSTER_ENABLED=true CHAT_CLUSTER_HOST=127.0.0.1 CHAT_CLUSTER_PORT=$3 \
  CHAT_CLUSTER_MEMBERS=127.0.0.1:$3,127.0.0.1:$4 \
    java -Xmx"$SERVER_HEAP" -jar "$5" >"$OUT/server-chat-2nodes-$1.log" 2>&1 &
}

wait_ready() {
  for _ in $(seq 1 300); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/health/ready") == 200 ]] && return 0
    sleep 0.5
  done
  return 1
}

# What each server's users speak: the generator's --protocol.
protocol_of() {
  case $1 in
    chat-irc|ngircd) echo irc ;;
    *) echo line ;;
  esac
}

# Registrations under way at once (--in-flight): ngIRCd listens with a backlog of 10 (compiled in), and 200 clients
# connecting at once overflow it; connections whose handshake the kernel dropped are reset later.
in_flight_of() {
  case $1 in
    ngircd) echo 8 ;;
    *) echo 200 ;;
  esac
}

declare -A PORT SERVER_PID SENDER_PORT
start_server() {
  local label=$1 port instances history
  port=$(free_port)
  case $label in
    chat|chat-default|chat-nohistory)
      instances=1 history=100
      [[ $label == chat-default ]] && instances=0
      [[ $label == chat-nohistory ]] && history=0
      CHAT_TCP_PORT=$port CHAT_TCP_HOST=127.0.0.1 CHAT_HTTP_PORT=$(free_port) CHAT_LIMITS_LINES_PER_SECOND=0 \
      CHAT_LIMITS_SEND_QUEUE_BYTES=$((16 * 1024 * 1024)) CHAT_LOCALE=ko CHAT_TCP_INSTANCES=$instances \
      CHAT_WEB_ENABLED=false CHAT_IRC_ENABLED=false CHAT_HISTORY_LINES=$history \
        java -Xmx"$SERVER_HEAP" -jar "$JAR" >"$OUT/server-$label.log" 2>&1 &
      ;;
    # Two clustered nodes: the fan-out's senders connect to node A, its readers to node B (whose CPU is reported).
    chat-2nodes|chat-2nodes-base)
      local a_port a_http b_http a_cluster b_cluster jar=$JAR
      [[ $label == chat-2nodes-base ]] && jar=${BASE_JAR:?set BASE_JAR to the jar to compare with}
      a_port=$(free_port) a_http=$(free_port) b_http=$(free_port) a_cluster=$(free_port) b_cluster=$(free_port)
      start_node "$a_port" "$a_http" "$a_cluster" "$b_cluster" "$jar"
      PIDS+=("$!")
      start_node "$port" "$b_http" "$b_cluster" "$a_cluster" "$jar"
      if ! wait_ready "$a_http" || ! wait_ready "$b_http"; then
        log "the two nodes did not become ready (see $OUT/server-chat-2nodes-*.log)"
      fi
      SENDER_PORT[$label]=$a_port
      ;;
    reference)
      java -Xmx"$SERVER_HEAP" -jar "$BENCH_JAR" reference --port "$port" >"$OUT/server-reference.log" 2>&1 &
      ;;
    # The IRC listener under test; the line listener is on too (it cannot be turned off) but idle. The IRC listener
    # shares the limits.* settings, so flood control is off for it as for the line protocol.
    chat-irc)
      CHAT_IRC_PORT=$port CHAT_IRC_ENABLED=true CHAT_IRC_SERVER_NAME=chat.bench \
      CHAT_TCP_PORT=$(free_port) CHAT_TCP_HOST=127.0.0.1 CHAT_HTTP_PORT=$(free_port) CHAT_LIMITS_LINES_PER_SECOND=0 \
      CHAT_LIMITS_SEND_QUEUE_BYTES=$((16 * 1024 * 1024)) CHAT_LOCALE=ko CHAT_TCP_INSTANCES=1 CHAT_WEB_ENABLED=false \
        java -Xmx"$SERVER_HEAP" -jar "$JAR" >"$OUT/server-$label.log" 2>&1 &
      ;;
    # ngIRCd in the foreground on a configuration of its own (bench ngircd-config writes it and prints the command).
    ngircd)
      local command
      if ! command=$(java -jar "$BENCH_JAR" ngircd-config --port "$port" --dir "$OUT/ngircd"); then
        log "could not write the ngircd configuration"
        return 0
      fi
      if [[ ! -x ${command%% *} ]]; then
        log "ngircd is not installed (apt-get install ngircd); skipping it"
        return 0
      fi
      $command >"$OUT/server-ngircd.log" 2>&1 &
      ;;
    *)
      log "unknown server $label"
      return 0
      ;;
  esac
  local pid=$!
  PIDS+=("$pid")
  if wait_listening "$port" "$pid"; then
    PORT[$label]=$port
    SERVER_PID[$label]=$pid
    log "$label server: pid $pid, port $port"
  else
    log "$label server did not start listening (see $OUT/server-$label.log); skipping it"
    kill "$pid" 2>/dev/null || true
  fi
}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# A server may still be working after a run (thousands of leave lines to broadcast): wait until it idles.
wait_quiet() {
  local pid=$1 before after
  for _ in $(seq 1 300); do
    before=$(cpu_ticks "$pid") || return 0
    sleep 1
    after=$(cpu_ticks "$pid") || return 0
    (( after - before <= 5 )) && return 0
  done
  log "server $pid still busy after 300 s"
}

bench() {
  local label=$1 name=$2 senders=()
  shift 2
  [[ -n ${PORT[$label]:-} ]] || return 0
  [[ -n ${SENDER_PORT[$label]:-} && $1 == fanout ]] && senders=(--sender-port "${SENDER_PORT[$label]}")
  wait_quiet "${SERVER_PID[$label]}"
  log "$label: $name"
  "${CLIENT_CPU[@]}" java -jar "$BENCH_JAR" "$@" "${senders[@]}" --port "${PORT[$label]}" \
    --server-pid "${SERVER_PID[$label]}" --protocol "$(protocol_of "$label")" \
    $([[ $1 == storm ]] || echo --in-flight "$(in_flight_of "$label")") \
    --label "$label" --client-threads "$CLIENT_THREADS" --out "$OUT/$label-$name.json" \
    2> >(tee "$OUT/$label-$name.log" >&2) || log "$label $name reported a failure (see $OUT/$label-$name.log)"
}

# $3: the run's suffix in file names (-run1, -run2, ... for traffic scenarios).
scenario() {
  local label=$1 name=$2 run=${3:-} fd_max
  fd_max=$(( $(ulimit -n) - 200 ))
  case $name in
    fanout-n100) bench "$label" "$name$run" fanout --clients 100 --senders 10 --window 8 --warmup "$WARMUP" --duration "$DURATION" ;;
    fanout-n1000) bench "$label" "$name$run" fanout --clients 1000 --senders 10 --window 8 --warmup "$WARMUP" --duration "$DURATION" ;;
    open-n1000-r*) bench "$label" "$name$run" fanout --clients 1000 --senders 100 --rate "${name##*-r}" --warmup "$WARMUP" --duration "$DURATION" ;;
    idle-5000) bench "$label" "$name" idle --clients 5000 ;;
    # In one room, C registrations broadcast C²/2 join lines (2·10⁸ at 20,000), which takes the reference
    # about 10 minutes here; the chat server spreads its users over rooms, which it supports and the reference
    # does not. The heap per connection is what is compared.
    idle-max)
      local rooms=0
      [[ $label == chat ]] && rooms=${IDLE_MAX_ROOMS:-200}
      bench "$label" "$name" idle --clients $(( fd_max < 20000 ? fd_max : 20000 )) --rooms "$rooms" --register-timeout 1800 ;;
    storm-2000) bench "$label" "$name" storm --clients 2000 --in-flight 500 ;;
    *) log "unknown scenario $name" ;;
  esac
}

mkdir -p "$OUT"
ulimit -n "$(ulimit -Hn)"
log "results in $OUT; open-file limit $(ulimit -n); load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
if awk '{ exit !($1 > 0.5) }' /proc/loadavg; then
  log "WARNING: the machine is not idle; numbers will be noisy"
fi
build_if_needed
for label in $TARGETS; do start_server "$label"; done

# Servers run one at a time through each scenario, so the two never compete for the two cores; traffic scenarios run
# REPEAT times with the servers taking turns, since one run on a shared machine can be off by 20 %.
for name in $SCENARIOS; do
  case $name in
    fanout-*|open-*)
      for run in $(seq 1 "$REPEAT"); do
        for label in $TARGETS; do scenario "$label" "$name" "-run$run"; done
      done
      ;;
    *) for label in $TARGETS; do scenario "$label" "$name"; done ;;
  esac
done

java -jar "$BENCH_JAR" compare --baseline "$BASELINE" "$OUT" >"$OUT/summary.md"
shopt -s nullglob
open_runs=("$OUT"/*-open-*-run1.json)
closed_runs=("$OUT"/*-fanout-*-run1.json)
((${#open_runs[@]})) && java -jar "$BENCH_JAR" plot --x offered --title "N=1000 open loop" \
  --out "$OUT/latency-open.png" "${open_runs[@]}"
((${#closed_runs[@]})) && java -jar "$BENCH_JAR" plot --x deliveries --title "Closed-loop fan-out" \
  --out "$OUT/latency-closed.png" "${closed_runs[@]}"
cat "$OUT/summary.md"
