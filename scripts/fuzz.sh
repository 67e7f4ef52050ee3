#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (AddressSanitizer and
# UndefinedBehaviorSanitizer on) and runs each for a bounded time from its
# seed corpus. New inputs go to a scratch corpus, crashes to build-fuzz/.
#
#   bash scripts/fuzz.sh [SECONDS_PER_TARGET (60)] [TARGET ...]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
# render_documents checks the renderings with libxml2.
dpkg -s libxml2-dev >/dev/null 2>&1 || apt-get install -y -qq --no-install-recommends libxml2-dev
seconds=${1:-60}
shift || true
if [ ! -f build-fuzz/build.ninja ]; then
  CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DFAZHI_FUZZ=ON -DFAZHI_WARNINGS_AS_ERRORS=OFF >/dev/null
fi
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=($(ls tests/fuzz/corpus))
fi
cmake --build build-fuzz --target $(printf '%s_fuzzer ' "${targets[@]}")
status=0
for t in "${targets[@]}"; do
  scratch=build-fuzz/corpus/$t
  mkdir -p "$scratch"
  echo "== $t: ${seconds}s"
  (cd build-fuzz && ./fuzz/${t}_fuzzer -max_total_time="$seconds" -max_len=65536 \
      -print_final_stats=1 "corpus/$t" "../tests/fuzz/corpus/$t" 2>&1 | tail -n 12) || status=1
done
exit $status
