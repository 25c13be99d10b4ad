#!/usr/bin/env bash
# diagnose throughput against ripgrep on a large realistic syslog.
#
# Generates a syslog of SIZE_MB (default 1024) with benches/gen_syslog.py, gives ripgrep the
# very patterns diagnose scans for (`ipsec-doctor diagnose --patterns`, used as `rg -c -f`),
# times both three times, and prints the medians, their ratio, and diagnose's peak memory.
# Needs ripgrep (`apt-get install ripgrep`) and GNU time (`/usr/bin/time`).
set -euo pipefail
cd "$(dirname "$0")/.."
size_mb=${1:-1024}
work=${BENCH_DIR:-target/bench}
mkdir -p "$work"
log="$work/syslog-${size_mb}m.log"
command -v rg >/dev/null || { echo "ripgrep is needed: apt-get install ripgrep" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "GNU time is needed: apt-get install time" >&2; exit 2; }
cargo build --release --quiet
bin=target/release/ipsec-doctor
[ -f "$log" ] || python3 benches/gen_syslog.py "$log" "$size_mb"
"$bin" diagnose --patterns > "$work/patterns.txt"
# Warm the page cache so both read from memory.
cat "$log" > /dev/null

median() { sort -n | sed -n '2p'; }
rg_times=(); dx_times=(); dx_mem=()
for _ in 1 2 3; do
  rg_times+=("$( { /usr/bin/time -f '%e' rg -c -f "$work/patterns.txt" "$log" > /dev/null; } 2>&1 )")
  out=$( { /usr/bin/time -f '%e %M' "$bin" diagnose "$log" > /dev/null; } 2>&1 | tail -n 1)
  dx_times+=("${out% *}"); dx_mem+=("${out#* }")
done
rg_med=$(printf '%s\n' "${rg_times[@]}" | median)
dx_med=$(printf '%s\n' "${dx_times[@]}" | median)
mem_max=$(printf '%s\n' "${dx_mem[@]}" | sort -n | tail -n 1)
echo "input:            $log ($(du -m "$log" | cut -f1) MiB, $(wc -l < "$work/patterns.txt") patterns)"
echo "rg -c -f:         median ${rg_med} s  (runs: ${rg_times[*]})"
echo "ipsec-doctor:     median ${dx_med} s  (runs: ${dx_times[*]})"
echo "ratio:            $(python3 -c "print(f'{$dx_med / $rg_med:.2f}')")x (target: at most 1.5x)"
echo "peak memory:      $((mem_max / 1024)) MiB (target: under 64 MiB)"
