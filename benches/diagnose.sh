#!/usr/bin/env bash
# diagnose throughput against ripgrep on three large realistic inputs (issue 16):
#
# (a) a syslog of SIZE_MB (default 1024) from benches/gen_syslog.py: ordinary lines with a
#     few IPsec errors, the plain scanning case (target: at most 0.8x ripgrep);
# (b) the debug log of a hub negotiating with ~500 peers, DEBUG_MB (default 300) from
#     benches/gen_debug.py: nearly every line is IKE debug that diagnose reads, one
#     negotiation in 200 fails (target: at most 1.5x); the failures diagnose counts are
#     checked against the generator's OUT.expected;
# (c) `show crypto ipsec sa detail` with SAS (default 300000) distinct SAs from
#     benches/gen_sas.py (target: at most 2x).
#
# ripgrep gets the very patterns diagnose scans for (`ipsec-doctor diagnose --patterns`,
# used as `rg -c -f`); each runs three times on a warm page cache; the medians, their
# ratio, diagnose's peak memory (target: at most 64 MiB) and its thread count are printed,
# for the default thread count and for `--threads 1`. BENCH_QUICK=1 makes the default
# sizes 100 MB, 30 MB and 30000 SAs; BENCH_DEBUG_MB and BENCH_SAS set (b) and (c).
# Needs ripgrep (`apt-get install ripgrep`) and GNU time (`/usr/bin/time`).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${BENCH_QUICK:-}" ]; then
  size_mb=${1:-100}; debug_mb=${BENCH_DEBUG_MB:-30}; sas=${BENCH_SAS:-30000}
else
  size_mb=${1:-1024}; debug_mb=${BENCH_DEBUG_MB:-300}; sas=${BENCH_SAS:-300000}
fi
threads=$(nproc)
work=${BENCH_DIR:-target/bench}
mkdir -p "$work"
log="$work/syslog-${size_mb}m.log"
debug_log="$work/hub-debug-${debug_mb}m.log"
sa_log="$work/sas-${sas}.log"
command -v rg >/dev/null || { echo "ripgrep is needed: apt-get install ripgrep" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "GNU time is needed: apt-get install time" >&2; exit 2; }
cargo build --release --quiet
bin=target/release/ipsec-doctor
[ -f "$log" ] || python3 benches/gen_syslog.py "$log" "$size_mb"
[ -f "$debug_log" ] && [ -f "$debug_log.expected" ] || python3 benches/gen_debug.py "$debug_mb" "$debug_log"
[ -f "$sa_log" ] || python3 benches/gen_sas.py "$sas" "$sa_log"
"$bin" diagnose --patterns > "$work/patterns.txt"

median() { sort -n | sed -n '2p'; }

# run THREADS LOG: one timed diagnose run, "seconds peak-KiB".
run() {
  { /usr/bin/time -f '%e %M' "$bin" diagnose --threads "$1" "$2" > /dev/null; } 2>&1 | tail -n 1 || true
}

# bench LOG TARGET: time rg and diagnose (default threads, then one) three times each on
# LOG and print the figures.
bench() {
  local input=$1 target=$2 rg_times=() dx_times=() dx_mem=() one_times=() out
  # Warm the page cache so both read from memory.
  cat "$input" > /dev/null
  for _ in 1 2 3; do
    rg_times+=("$( { /usr/bin/time -f '%e' rg -c -f "$work/patterns.txt" "$input" > /dev/null; } 2>&1 )")
    out=$(run "$threads" "$input"); dx_times+=("${out% *}"); dx_mem+=("${out#* }")
    out=$(run 1 "$input"); one_times+=("${out% *}"); dx_mem+=("${out#* }")
  done
  local rg_med dx_med one_med mem_max
  rg_med=$(printf '%s\n' "${rg_times[@]}" | median)
  dx_med=$(printf '%s\n' "${dx_times[@]}" | median)
  one_med=$(printf '%s\n' "${one_times[@]}" | median)
  mem_max=$(printf '%s\n' "${dx_mem[@]}" | sort -n | tail -n 1)
  echo "input:            $input ($(du -m "$input" | cut -f1) MiB, $(wc -l < "$work/patterns.txt") patterns)"
  echo "rg -c -f:         median ${rg_med} s  (runs: ${rg_times[*]})"
  echo "ipsec-doctor:     median ${dx_med} s with ${threads} threads (runs: ${dx_times[*]}), ${one_med} s with --threads 1 (runs: ${one_times[*]})"
  echo "ratio:            $(python3 -c "print(f'{$dx_med / $rg_med:.2f}')")x ($target; --threads 1: $(python3 -c "print(f'{$one_med / $rg_med:.2f}')")x)"
  echo "peak memory:      $((mem_max / 1024)) MiB (target: at most 64 MiB)"
}

echo "threads:          $threads (nproc)"
bench "$log" "(a) plain syslog, target: at most 0.8x"
echo
bench "$sa_log" "(c) ${sas} distinct SAs, target: at most 2x"
echo
bench "$debug_log" "(b) debug-dense, target: at most 1.5x"
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
