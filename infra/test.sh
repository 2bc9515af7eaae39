#!/usr/bin/env bash
# Command 2 of the README: install what the tests need, build, and run every test.
# Prints a last line "N passed, N failed" from the test results. Exits non-zero if any test failed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

RESULTS="$ROOT/.build/test-results"
rm -rf "$RESULTS"
mkdir -p "$RESULTS"

"$ROOT/infra/install-test-deps.sh"

echo "== build"
if ! dotnet build "$ROOT/Mesos.EventSourced.slnx" -c Release --nologo -v q; then
  echo "the build failed" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

echo "== test"
# Two test projects: Mesos.Tests, and Mesos.UiTests (headless Chromium). Their counts add up to the last line.
status=0
for project in Mesos.Tests Mesos.UiTests; do
  set +e
  dotnet test "$ROOT/$project/$project.csproj" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$project.trx" --logger "console;verbosity=normal" \
    --results-directory "$RESULTS" \
    --blame-hang --blame-hang-timeout 10m
  code=$?
  set -e
  if [[ $code -ne 0 ]]; then status=$code; fi
  if [[ ! -f "$RESULTS/$project.trx" ]]; then
    echo "no test results were written for $project" >&2
    missing=1
  fi
done

count() {
  local value
  value="$(sed -n "s/.* $2=\"\([0-9]*\)\".*/\1/p" <<<"$1")"
  echo "${value:-0}"
}
passed=0
failed=${missing:-0}
for trx in "$RESULTS"/*.trx; do
  [[ -f "$trx" ]] || continue
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n1)"
  passed=$(( passed + $(count "$counters" passed) ))
  failed=$(( failed + $(count "$counters" failed) + $(count "$counters" error) + $(count "$counters" timeout) + $(count "$counters" aborted) ))
done

if [[ $status -ne 0 && $failed -eq 0 ]]; then
  # A runner failed without counting a failed test (a crash, a hang): count it as a failure.
  failed=1
fi

echo "${passed} passed, ${failed} failed"
[[ $failed -eq 0 ]]
