#!/usr/bin/env bash
# Builds the project with a sanitizer and runs the whole test suite under it
# (with the throwaway PostgreSQL cluster, like scripts/test.sh).
#
#   bash scripts/sanitize.sh asan    # AddressSanitizer + UndefinedBehaviorSanitizer
#   bash scripts/sanitize.sh tsan    # ThreadSanitizer
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:-asan}
case "$kind" in
  asan) flags="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" ;;
  tsan) flags="-fsanitize=thread -fno-omit-frame-pointer" ;;
  *) echo "usage: $0 asan|tsan" >&2; exit 2 ;;
esac
bash scripts/install-deps.sh
dir=build-$kind
if [ ! -f "$dir/build.ninja" ]; then
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="$flags" >/dev/null
fi
cmake --build "$dir"
supp="$(pwd)/tests/sanitizers"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1"
export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export TSAN_OPTIONS="suppressions=$supp/tsan.supp:halt_on_error=1:second_deadlock_stack=1"
cd "$dir"
FAZHI_REQUIRE_POSTGRES=1 bash ../scripts/with-postgres.sh \
  ctest --output-on-failure --timeout 900 -j2
