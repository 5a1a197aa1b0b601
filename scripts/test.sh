#!/usr/bin/env bash
# `npm test`: start what the suites need (as root, idempotently), type-check, run every test file
# with node's built-in runner. Suites whose peer cannot be had skip with a visible message.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" = 0 ] && [ "${NETPULSE_SKIP_LAB:-0}" != 1 ]; then
  bash scripts/lab/install.sh || echo "npm test: lab install failed — suites that need Redis/OpenSSH/FRR/python3 references will skip" >&2
  bash scripts/lab/start.sh || echo "npm test: lab start failed — suites that need Redis/OpenSSH/FRR will skip" >&2
else
  echo "npm test: not root (or NETPULSE_SKIP_LAB=1): lab not installed/started; suites that need it skip visibly" >&2
fi

echo "npm test: type-checking (tsc --noEmit; the web console with its browser tsconfig)"
npx tsc --noEmit
npx tsc --noEmit -p web

# Lint (Biome, with its import-cycle rule), formatting (Biome) and unused
# files/exports/dependencies (knip).
echo "npm test: linting (biome lint, incl. import cycles)"
npx biome lint --error-on-warnings .
echo "npm test: formatting (biome format; fix with npm run format)"
npx biome format .
echo "npm test: unused files and exports (knip)"
npx knip --no-progress

# SSH host keys and TLS pins of the suites go to a throw-away state directory, never the user's.
export XDG_STATE_HOME="$(mktemp -d -t netpulse-test-state-XXXXXX)"

mapfile -t files < <(find tests -name '*.test.ts' | sort)
echo "npm test: running ${#files[@]} test files"
exec node --import tsx --test --test-concurrency="${NETPULSE_TEST_CONCURRENCY:-2}" "${files[@]}"
