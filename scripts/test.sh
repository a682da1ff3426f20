#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (lit tests and the
# GoogleTest unit tests, through one lit run). Ends with one summary line.
#
#   scripts/test.sh              # Release build in build/
#   scripts/test.sh --sanitize   # ASan + UBSan build in build-sanitize/
set -euo pipefail
source "$(dirname "$0")/setup.sh" "$@"

tessel_build all
log="$TESSEL_BUILD_DIR/test-results.log"
set +e
/usr/lib/llvm-22/bin/lit -sv --time-tests "$TESSEL_BUILD_DIR/test" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

count() { # count LABEL: the number after "LABEL:" (lit pads it) in its summary, or 0
  sed -n "s/^ *$1 *: *\([0-9][0-9]*\).*/\1/p" "$log" | tail -n 1 | grep . || echo 0
}
passed=$(( $(count Passed) + $(count "Expectedly Failed") ))
failed=$(( $(count Failed) + $(count Unresolved) + $(count "Timed Out") +
           $(count "Unexpectedly Passed") ))
[ "$status" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
unsupported=$(count Unsupported)
echo "$passed passed, $failed failed" \
  "$([ "$unsupported" -gt 0 ] && echo "($unsupported not supported by this build)")"
[ "$failed" -eq 0 ]
