#!/usr/bin/env bash
# Coverage-guided fuzzing (Jazzer, libFuzzer) of what reads untrusted bytes: the VRRP receive path
# (IP header -> precheck -> Demux -> VirtualRouter), the netlink decoders, the config file loader
# and the keepalived.conf converter. Each @FuzzTest runs in fuzzing mode for SECONDS, one JVM per
# target, niced; prints executions and findings per target and exits 1 on any finding.
#
#   hack/fuzz.sh [--no-build] [SECONDS_PER_TARGET (default 60)] [TARGET...]
#
# Targets: vrrp netlink config convert (default: all). The corpus grows in target/fuzz/NAME/corpus
# (seeded from src/test/resources/**/<Test>Inputs/<method>/, which `./mvnw verify` replays as
# regression tests); a crashing input lands in target/fuzz/NAME/findings/: copy it into that Inputs
# directory, fix the cause, and it stays a regression test. Logs: target/fuzz/NAME/log.
# FUZZ_NICE (default 10) sets the niceness, FUZZ_JOBS (default 1) how many targets run at once,
# FUZZ_TIMEOUT (default 300 s: on a loaded machine the first input, which loads and instruments
# every class, took over 60 s) what counts as a hang. libFuzzer's slow-unit-* files (inputs that
# took over 10 s) are listed, not counted as findings.
set -euo pipefail
cd "$(dirname "$0")/.."

build=1
if [ "${1:-}" = --no-build ]; then
  build=0
  shift
fi
seconds=${1:-60}
shift || true
case $seconds in '' | *[!0-9]*)
  echo "usage: hack/fuzz.sh [--no-build] [SECONDS_PER_TARGET] [vrrp|netlink|config|convert ...]" >&2
  exit 2
  ;;
esac

declare -A TARGETS=(
  [vrrp]=dev.floatip.dataplane.linux.VrrpReceiveFuzzTest:receive
  [netlink]=dev.floatip.dataplane.linux.NetlinkFuzzTest:datagram
  [config]=dev.floatip.config.ConfigFileFuzzTest:parse
  [convert]=dev.floatip.convert.ConvertFuzzTest:convert
)
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(vrrp netlink config convert)
for n in "${names[@]}"; do
  [ -n "${TARGETS[$n]:-}" ] || {
    echo "fuzz: unknown target $n (known: ${!TARGETS[*]})" >&2
    exit 2
  }
done

. hack/setup.sh
floatip_setup
if [ $build = 1 ] || [ ! -s target/test-classpath.txt ]; then
  "$MVN" -B -q -ntp process-test-classes
fi
cp="target/test-classes:target/classes:$(cat target/test-classpath.txt)"

run() { # NAME CLASS:METHOD
  local name=$1 class=${2%%:*} method=${2##*:} dir=target/fuzz/$1
  mkdir -p "$dir/corpus" "$dir/findings"
  # -rss_limit_mb: the JVM's own footprint is ~1 GB here; -Xmx bounds the heap so that an
  # allocation sized by a length field is an OutOfMemoryError finding, not a slow machine
  nice -n "${FUZZ_NICE:-10}" java -Xmx1g -XX:+EnableDynamicAgentLoading \
    --enable-native-access=ALL-UNNAMED -cp "$cp" com.code_intelligence.jazzer.Jazzer \
    --target_class="$class" --target_method="$method" \
    --instrumentation_includes='dev.floatip.**' --custom_hook_includes='dev.floatip.**' \
    --keep_going=50 -max_total_time="$seconds" -timeout="${FUZZ_TIMEOUT:-300}" -rss_limit_mb=4096 \
    -artifact_prefix="$dir/findings/" "$dir/corpus" >"$dir/log" 2>&1 || true
}

start=$(date +%s)
pids=()
for n in "${names[@]}"; do
  rm -f "target/fuzz/$n/findings/"*
  run "$n" "${TARGETS[$n]}" &
  pids+=($!)
  if [ ${#pids[@]} -ge "${FUZZ_JOBS:-1}" ]; then
    wait "${pids[0]}"
    pids=("${pids[@]:1}")
  fi
done
for p in "${pids[@]}"; do wait "$p"; done

total=0
found=0
printf '%-8s %12s %8s %10s %9s  %s\n' target executions seconds exec/s findings corpus
for n in "${names[@]}"; do
  log=target/fuzz/$n/log
  # libFuzzer's last line: "Done N runs in S second(s)"; else (it stopped on a finding) the last
  # status line "#N ..."
  execs= secs=
  read -r execs secs < <(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1 \2/p' "$log" | tail -1) || true
  if [ -z "${execs:-}" ]; then
    execs=$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#' || true)
    secs=-
  fi
  execs=${execs:-0}
  findings=$(find "target/fuzz/$n/findings" -type f ! -name 'slow-unit-*' | wc -l)
  corpus=$(find "target/fuzz/$n/corpus" -type f | wc -l)
  rate=-
  if [ "$secs" != - ] && [ "$secs" -gt 0 ]; then rate=$((execs / secs)); fi
  printf '%-8s %12s %8s %10s %9s  %s\n' "$n" "$execs" "$secs" "$rate" "$findings" "$corpus"
  total=$((total + execs))
  found=$((found + findings))
  if [ "$(ls "target/fuzz/$n/findings")" ]; then
    grep -a -h -A3 '^== Java Exception\|ERROR: libFuzzer' "$log" | sed 's/^/    /' | head -40 || true
    ls "target/fuzz/$n/findings" | sed 's/^/    finding: /'
  fi
done
printf '%-8s %12s %8s\n' total "$total" "$(($(date +%s) - start))"
if [ $found -gt 0 ]; then
  echo "fuzz: $found finding(s); logs in target/fuzz/*/log" >&2
  exit 1
fi
