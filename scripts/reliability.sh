#!/usr/bin/env bash
# The reliability tests, longer than ctest runs them, on SQLite and on a
# throwaway PostgreSQL cluster: crash safety under SIGKILL (more kills, a
# seed per run), the gateway's dependency faults, the limits, and the mixed
# load for a longer time. Builds first.
#
#   bash scripts/reliability.sh                 # 25 kills per service, 120 s of load
#   ROUNDS=100 LOAD_SECONDS=600 SEED=7 bash scripts/reliability.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
rounds=${ROUNDS:-25}
seconds=${LOAD_SECONDS:-120}
seed=${SEED:-$RANDOM}
py=/usr/bin/python3
b=build/bin
services=(--study "$b/fazhi-study" --duty "$b/fazhi-duty" --report "$b/fazhi-report")
all=("${services[@]}" --gateway "$b/fazhi-gateway" --cli "$b/fazhi"
     --stubs build/tests/e2e/pystubs --demo deploy/demo)
echo "reliability: seed $seed (SEED=$seed repeats the kill times)"
FAZHI_REQUIRE_POSTGRES=1 bash scripts/with-postgres.sh bash -c "
  set -e
  $py tests/reliability/crash_test.py ${services[*]} --stubs build/tests/e2e/pystubs --rounds=$rounds --seed=$seed
  $py tests/reliability/crash_test.py ${services[*]} --stubs build/tests/e2e/pystubs --rounds=$rounds --seed=$seed --postgres
  $py tests/reliability/faults_test.py ${all[*]} --calls=1000
  $py tests/reliability/limits_test.py --study $b/fazhi-study --stubs build/tests/e2e/pystubs
  $py tests/reliability/load_test.py ${all[*]} --seconds=$seconds
  $py tests/reliability/load_test.py ${all[*]} --seconds=$seconds --postgres
"
