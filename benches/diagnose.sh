#!/usr/bin/env bash
# diagnose throughput against ripgrep on two large realistic logs.
#
# 1. A syslog of SIZE_MB (default 1024) from benches/gen_syslog.py: ordinary lines with a
#    few IPsec errors, the plain scanning case (target: within 1.5x of ripgrep).
# 2. The debug log of a hub negotiating with ~500 peers, DEBUG_MB (default 300) from
#    benches/gen_debug.py: nearly every line is IKE debug that diagnose reads, one
#    negotiation in 200 fails. Its cost against ripgrep is reported, and the failures
#    diagnose counts are checked against the generator's OUT.expected.
#
# ripgrep gets the very patterns diagnose scans for (`ipsec-doctor diagnose --patterns`,
# used as `rg -c -f`); both run three times on a warm page cache; the medians, their
# ratio and diagnose's peak memory are printed. BENCH_QUICK=1 makes the default sizes 100
# and 30 MB; BENCH_DEBUG_MB sets the debug log's size.
# Needs ripgrep (`apt-get install ripgrep`) and GNU time (`/usr/bin/time`).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${BENCH_QUICK:-}" ]; then
  size_mb=${1:-100}; debug_mb=${BENCH_DEBUG_MB:-30}
else
  size_mb=${1:-1024}; debug_mb=${BENCH_DEBUG_MB:-300}
fi
work=${BENCH_DIR:-target/bench}
mkdir -p "$work"
log="$work/syslog-${size_mb}m.log"
debug_log="$work/hub-debug-${debug_mb}m.log"
command -v rg >/dev/null || { echo "ripgrep is needed: apt-get install ripgrep" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "GNU time is needed: apt-get install time" >&2; exit 2; }
cargo build --release --quiet
bin=target/release/ipsec-doctor
[ -f "$log" ] || python3 benches/gen_syslog.py "$log" "$size_mb"
[ -f "$debug_log" ] && [ -f "$debug_log.expected" ] || python3 benches/gen_debug.py "$debug_mb" "$debug_log"
"$bin" diagnose --patterns > "$work/patterns.txt"

median() { sort -n | sed -n '2p'; }

# bench LOG TARGET: time rg and diagnose three times each on LOG and print the figures.
bench() {
  local input=$1 target=$2 rg_times=() dx_times=() dx_mem=() out
  # Warm the page cache so both read from memory.
  cat "$input" > /dev/null
  for _ in 1 2 3; do
    rg_times+=("$( { /usr/bin/time -f '%e' rg -c -f "$work/patterns.txt" "$input" > /dev/null; } 2>&1 )")
    out=$( { /usr/bin/time -f '%e %M' "$bin" diagnose "$input" > /dev/null; } 2>&1 | tail -n 1)
    dx_times+=("${out% *}"); dx_mem+=("${out#* }")
  done
  local rg_med dx_med mem_max
  rg_med=$(printf '%s\n' "${rg_times[@]}" | median)
  dx_med=$(printf '%s\n' "${dx_times[@]}" | median)
  mem_max=$(printf '%s\n' "${dx_mem[@]}" | sort -n | tail -n 1)
  echo "input:            $input ($(du -m "$input" | cut -f1) MiB, $(wc -l < "$work/patterns.txt") patterns)"
  echo "rg -c -f:         median ${rg_med} s  (runs: ${rg_times[*]})"
  echo "ipsec-doctor:     median ${dx_med} s  (runs: ${dx_times[*]})"
  echo "ratio:            $(python3 -c "print(f'{$dx_med / $rg_med:.2f}')")x ($target)"
  echo "peak memory:      $((mem_max / 1024)) MiB (target: under 64 MiB)"
}

bench "$log" "target: at most 1.5x"
echo
bench "$debug_log" "debug-dense: most lines are read as negotiation evidence"
# Every planted failure is counted, and nothing else is: the finding's count against the
# generator's side file.
"$bin" diagnose --json "$debug_log" > "$work/hub-debug.json" || true
python3 - "$work/hub-debug.json" "$debug_log.expected" <<'EOF'
import json, sys
report = json.load(open(sys.argv[1]))
expected = {}
for line in open(sys.argv[2]):
    peer, count = line.split("\t")
    expected[peer] = int(count)
finding = next((f for f in report["findings"] if f["id"] == "cause-transform-set-mismatch"), {})
found = finding.get("count", 0)
peers = finding.get("peers", {})
planted = sum(expected.values())
ok = found == planted and peers == expected
verdict = "ok" if ok else "MISMATCH"
print(f"failed negotiations: {found} reported at {len(peers)} peers, {planted} planted at {len(expected)} peers, per peer {'equal' if peers == expected else 'different'} ({verdict})")
sys.exit(0 if ok else 1)
EOF
