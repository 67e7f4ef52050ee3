#!/usr/bin/env bash
# Configures (once) and builds everything into build/.
#   --no-tests   the servers and the CLI only, with only the build packages
#                (the container image's build stage)
set -euo pipefail
cd "$(dirname "$0")/.."
tests=ON
groups=(build test)
if [ "${1:-}" = "--no-tests" ]; then
  tests=OFF
  groups=(build)
fi
bash scripts/install-deps.sh "${groups[@]}"
if [ ! -f build/build.ninja ] || ! grep -q "^FAZHI_BUILD_TESTS:BOOL=$tests\$" build/CMakeCache.txt; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFAZHI_BUILD_TESTS=$tests >/dev/null
fi
cmake --build build
