#!/usr/bin/env bash
# Builds the project with a sanitizer into its own folder (build-asan/,
# build-tsan/) and runs the whole test suite under it — unit, store, handler,
# end-to-end and reliability tests, with a throwaway PostgreSQL cluster like
# scripts/test.sh. The Python tests start the sanitized binaries, so a
# report from a server fails the test that started it (the server exits
# non-zero, or dies at once with halt_on_error).
#
#   bash scripts/sanitize.sh asan             # AddressSanitizer + UndefinedBehaviorSanitizer
#   bash scripts/sanitize.sh tsan             # ThreadSanitizer
#   bash scripts/sanitize.sh asan -R e2e      # further arguments go to ctest
#
# Slow: a sanitized build of everything takes long on two cores; ccache is
# used when it is installed (set CCACHE_DIR to share a cache). FAZHI_JOBS sets
# the build's and ctest's parallelism (default 2). Sanitizer reports go to
# stderr and to $dir/sanitizer-logs/. Suppressions (third-party code only,
# each with its reason): tests/sanitizers/.
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:-asan}
shift || true
case "$kind" in
  asan) flags="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" ;;
  tsan) flags="-fsanitize=thread -fno-omit-frame-pointer" ;;
  *) echo "usage: $0 asan|tsan [ctest arguments…]" >&2; exit 2 ;;
esac
jobs=${FAZHI_JOBS:-2}
bash scripts/install-deps.sh
dir=build-$kind
if [ ! -f "$dir/build.ninja" ]; then
  launcher=()
  if command -v ccache >/dev/null; then
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
  fi
  # Warnings stay warnings: the sanitizers' instrumentation makes GCC report
  # false maybe-uninitialized and similar warnings in correct code.
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DFAZHI_WARNINGS_AS_ERRORS=OFF "${launcher[@]}" \
    -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="$flags" \
    -DCMAKE_SHARED_LINKER_FLAGS="$flags" >/dev/null
fi
cmake --build "$dir" -j "$jobs"

supp="$(pwd)/tests/sanitizers"
logs="$(pwd)/$dir/sanitizer-logs"
rm -rf "$logs" && mkdir -p "$logs"
# Every process (test binaries, and the servers the Python tests start)
# writes its reports to $logs/<sanitizer>.<pid> as well as failing: a report
# from a server whose test only sees its exit code is kept there.
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1:log_path=$logs/asan"
export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$logs/ubsan"
export TSAN_OPTIONS="suppressions=$supp/tsan.supp:ignore_noninstrumented_modules=1:halt_on_error=1:second_deadlock_stack=1:exitcode=66:log_path=$logs/tsan"
# Read by the Python tests: timing margins widen, and memory-growth bounds
# (which a sanitizer's quarantine and shadow memory break) are printed but
# not asserted.
export FAZHI_SANITIZER=$kind
cd "$dir"
status=0
FAZHI_REQUIRE_POSTGRES=1 bash ../scripts/with-postgres.sh \
  ctest --output-on-failure --timeout 1800 -j "$jobs" "$@" || status=$?
reports=$(ls "$logs")
if [ -n "$reports" ]; then
  echo "sanitize: $(echo "$reports" | wc -l) report file(s) in $logs:" >&2
  for f in "$logs"/*; do echo "== $f" >&2; head -n 60 "$f" >&2; done
  [ "$status" -ne 0 ] || status=1
fi
exit $status
