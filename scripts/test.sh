#!/usr/bin/env bash
# Builds and runs the whole test suite (unit, store, handler and end-to-end).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
cd build
ctest --output-on-failure --timeout 300 -j2
