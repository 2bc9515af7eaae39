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
set +e
dotnet test "$ROOT/Mesos.Tests/Mesos.Tests.csproj" -c Release --no-build --nologo \
  --logger "trx;LogFileName=results.trx" --logger "console;verbosity=normal" \
  --results-directory "$RESULTS" \
  --blame-hang --blame-hang-timeout 10m
status=$?
set -e

trx="$(find "$RESULTS" -name '*.trx' | head -n1)"
if [[ -z "$trx" ]]; then
  echo "no test results were written" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n1)"
count() {
  local value
  value="$(sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters")"
  echo "${value:-0}"
}
passed="$(count passed)"
failed=$(( $(count failed) + $(count error) + $(count timeout) + $(count aborted) ))

if [[ $status -ne 0 && $failed -eq 0 ]]; then
  # The runner failed without counting a failed test (a crash, a hang): count it as a failure.
  failed=1
fi

echo "${passed} passed, ${failed} failed"
[[ $failed -eq 0 ]]
