#!/usr/bin/env bash
# Are the machine-readable outputs on the samples byte-identical to those of another commit?
# For a change that should not change behaviour (a re-layout, a refactoring):
#   bash benchmarks/same_outputs.sh d6443db
# checks that commit out beside the repository (git worktree), runs validate, rollup and trend
# with --format json and csv on sample_returns/ in each, and compares them byte for byte.
# Exit 0 when all are the same. Run with the project's virtualenv active.
set -euo pipefail
ref=${1:?"usage: bash benchmarks/same_outputs.sh COMMIT"}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'git -C "$root" worktree remove --force "$work/before" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git -C "$root" worktree add -q --detach "$work/before" "$ref"
run() {  # in a checkout (python -m runs the code of the current folder): outputs into $1
  local out=$1
  mkdir -p "$out"
  local v=(sample_returns/2020Q4 --period 2020Q4 --previous sample_returns/2020Q3)
  python -m shuangfu_cli validate "${v[@]}" --format json >"$out/validate.json" || true
  python -m shuangfu_cli validate "${v[@]}" --format csv >"$out/validate.csv" || true
  python -m shuangfu_cli rollup "${v[@]}" --format json >"$out/rollup.json" || true
  python -m shuangfu_cli rollup sample_returns/2020Q3 --period 2020Q3 --format csv >"$out/rollup.csv" || true
  python -m shuangfu_cli trend sample_returns --format json >"$out/trend.json" || true
  python -m shuangfu_cli trend sample_returns --format csv >"$out/trend.csv" || true
}
(cd "$work/before" && run "$work/out-before")
(cd "$root" && run "$work/out-now")
status=0
for f in "$work"/out-before/*; do
  name=$(basename "$f")
  if cmp -s "$f" "$work/out-now/$name"; then
    echo "same       $name ($(wc -c <"$f") bytes)"
  else
    echo "DIFFERENT  $name"; status=1
  fi
done
exit $status
