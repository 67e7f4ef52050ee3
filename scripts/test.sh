#!/usr/bin/env bash
# Builds and runs the whole test suite (unit, store, handler and end-to-end),
# with a throwaway PostgreSQL cluster so every store contract test runs on
# both drivers.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
cd build
FAZHI_REQUIRE_POSTGRES=1 bash ../scripts/with-postgres.sh \
  ctest --output-on-failure --timeout 300 -j2
