#!/usr/bin/env bash
# Builds the container image from deploy/Containerfile and runs it, without a
# container engine or a registry: buildah (chroot isolation) on a base image
# made by debootstrap. Then starts the four servers from the image on this
# machine's loopback, checks from outside that they answer gRPC health and
# HTTP /healthz, loads the demo organization with the image's CLI, composes
# its report, downloads the DOCX from the gateway, stops every server with
# SIGTERM expecting a clean drain, and checks they wrote only to their store
# directory and /tmp. Last, two replicas of fazhi-study from the image start
# together on a throwaway PostgreSQL. Slow the first time (a full build
# inside the image): not part of scripts/test.sh.
#
#   bash scripts/container-test.sh [--rebuild-base] [--keep]
#
#   --rebuild-base  make the debootstrap base image again (kept between runs)
#   --keep          keep the working containers and logs for a look afterwards
#
# Env: FAZHI_IMAGE (default localhost/fazhi:test), FAZHI_BASE_IMAGE (default
# localhost/fazhi-base:bookworm; any Debian 12 image in local storage);
# CCACHE_DIR, when set, is mounted into the build stage as its compiler cache.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

rebuild_base=0
keep=0
for arg in "$@"; do
  case "$arg" in
    --rebuild-base) rebuild_base=1 ;;
    --keep) keep=1 ;;
    *) echo "usage: container-test.sh [--rebuild-base] [--keep]" >&2; exit 2 ;;
  esac
done

# The whole test runs beside a throwaway PostgreSQL cluster (for the
# replicas phase).
if [ -z "${FAZHI_TEST_POSTGRES_URL:-}" ]; then
  bash scripts/install-deps.sh container
  exec bash scripts/with-postgres.sh bash scripts/container-test.sh "$@"
fi

image=${FAZHI_IMAGE:-localhost/fazhi:test}
base=${FAZHI_BASE_IMAGE:-localhost/fazhi-base:bookworm}
isolation=(--isolation chroot)

timings=()
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
phase() { phase_start=$(now_ms); phase_name=$1; echo "== $1" >&2; }
phase_end() {
  local ms=$(( $(now_ms) - phase_start ))
  timings+=("$(printf '%-36s %5d.%d s' "$phase_name" $((ms / 1000)) $((ms % 1000 / 100)))")
}

work=$(mktemp -d)
containers=()
pids=()
cleanup() {
  local rc=$?
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$keep" = 1 ] || [ $rc -ne 0 ]; then
    echo "logs: $work" >&2
    [ "$keep" = 1 ] && echo "containers: ${containers[*]}" >&2
  else
    rm -rf "$work"
  fi
  if [ "$keep" = 0 ] && [ ${#containers[@]} -gt 0 ]; then
    buildah rm "${containers[@]}" >/dev/null 2>&1 || true
  fi
  exit $rc
}
trap cleanup EXIT

# ---- base image: Debian 12 minbase from the machine's own Debian mirror ----
if [ "$rebuild_base" = 1 ] || ! podman image exists "$base"; then
  phase "base image (debootstrap)"
  rootfs=$work/rootfs
  # The machine's bookworm repositories, as apt sees them; debootstrap's
  # default mirror where there are none.
  mapfile -t repos < <(apt-get indextargets --format '$(REPO_URI) $(RELEASE)' 'Identifier: Packages' 2>/dev/null |
                       awk '$2 ~ /^bookworm/' | sort -u)
  mirror=""
  for r in "${repos[@]}"; do [ "${r#* }" = bookworm ] && mirror=${r% *}; done
  debootstrap --variant=minbase bookworm "$rootfs" ${mirror:+"$mirror"} >"$work/debootstrap.log" 2>&1 ||
    { tail -n 20 "$work/debootstrap.log" >&2; exit 1; }
  if [ ${#repos[@]} -gt 0 ]; then
    rm -f "$rootfs/etc/apt/sources.list"
    for r in "${repos[@]}"; do
      printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n\n' \
        "${r% *}" "${r#* }"
    done >"$rootfs/etc/apt/sources.list.d/debian.sources"
  fi
  # Slim like Debian's -slim images: no documentation, manuals or
  # translations, now or from later installs.
  printf '%s\n' 'path-exclude=/usr/share/doc/*' 'path-include=/usr/share/doc/*/copyright' \
    'path-exclude=/usr/share/man/*' 'path-exclude=/usr/share/info/*' \
    'path-exclude=/usr/share/locale/*' >"$rootfs/etc/dpkg/dpkg.cfg.d/slim"
  find "$rootfs/usr/share/doc" -mindepth 1 ! -name copyright ! -type d -delete
  rm -rf "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/*
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/cache/apt/*.bin \
    "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/log/*.log
  tar -C "$rootfs" --numeric-owner -c . | podman import --quiet - "$base" >/dev/null
  rm -rf "$rootfs"
  phase_end
fi

# ---- the image ----
phase "image build (buildah bud)"
cache=()
if [ -n "${CCACHE_DIR:-}" ] && [ -d "$CCACHE_DIR" ]; then cache=(--volume "$CCACHE_DIR:/ccache"); fi
buildah bud "${isolation[@]}" --network host --layers --pull=false \
  --build-arg BASE_IMAGE="$base" \
  --file deploy/Containerfile --ignorefile deploy/Containerfile.dockerignore \
  "${cache[@]}" --tag "$image" . >"$work/build.log" 2>&1 ||
  { tail -n 40 "$work/build.log" >&2; exit 1; }
phase_end
size=$(podman image inspect --format '{{.Size}}' "$image")
base_size=$(podman image inspect --format '{{.Size}}' "$base")

# ---- what is in it ----
phase "image contents"
new_container() { buildah from --pull=false --quiet "$image"; }
inspect=$(new_container)
containers+=("$inspect")
in_image() { buildah run "${isolation[@]}" --network host "$inspect" -- "$@"; }
uid=$(in_image id -u)
[ "$uid" != 0 ] || { echo "FAIL: the image runs as root" >&2; exit 1; }
if in_image ldd /usr/local/bin/fazhi-study /usr/local/bin/fazhi-duty /usr/local/bin/fazhi-report \
     /usr/local/bin/fazhi-gateway /usr/local/bin/fazhi | grep 'not found'; then
  echo "FAIL: a library is missing from the runtime image" >&2; exit 1
fi
for tool in gcc g++ cc c++ cmake ninja; do
  if in_image sh -c "command -v $tool" >/dev/null 2>&1; then
    echo "FAIL: the runtime image has $tool" >&2; exit 1
  fi
done
runtime_packages=$(in_image cat /usr/share/fazhi/runtime-packages.txt | sed 's/:.*//' | tr '\n' ' ')
phase_end

# ---- run the servers from the image ----
phase "servers start and answer health"
read -r -a ports < <(/usr/bin/python3 - <<'EOF'
import socket
socks = [socket.socket() for _ in range(8)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
)
declare -A grpc_port=([gateway]=${ports[0]} [study]=${ports[1]} [duty]=${ports[2]} [report]=${ports[3]})
declare -A http_port=([gateway]=${ports[4]} [study]=${ports[5]} [duty]=${ports[6]} [report]=${ports[7]})

# Every flag a server gets from this test, in one place. Binaries that take
# API keys and TLS get the local-only development switches: this test
# listens on loopback.
help=$(in_image fazhi-study --helpfull 2>&1 || true)
local_flags=""
for f in insecure_dev_mode allow_plaintext; do
  if grep -q -- "--$f " <<<"$help"; then local_flags+=" --$f"; fi
done
server_flags() {  # service
  local s=$1
  echo "--listen=127.0.0.1:${grpc_port[$s]} --http_listen=127.0.0.1:${http_port[$s]} --shutdown_grace=5s$local_flags"
  if [ "$s" = gateway ]; then
    echo "--study_target=127.0.0.1:${grpc_port[study]} --duty_target=127.0.0.1:${grpc_port[duty]}"
    echo "--report_target=127.0.0.1:${grpc_port[report]}"
  fi
}
declare -A server_pid server_ctr
for s in study duty report gateway; do
  c=$(new_container)
  containers+=("$c")
  server_ctr[$s]=$c
  # shellcheck disable=SC2046
  buildah run "${isolation[@]}" --network host "$c" -- fazhi-$s $(server_flags $s) >"$work/$s.log" 2>&1 &
  server_pid[$s]=$!
  pids+=($!)
done
probe=()
for s in study duty report gateway; do
  probe+=(--grpc "127.0.0.1:${grpc_port[$s]}" --http "http://127.0.0.1:${http_port[$s]}/healthz")
done
/usr/bin/python3 tests/deploy/health_probe.py --timeout 60 "${probe[@]}" ||
  { tail -n 5 "$work"/*.log >&2; exit 1; }
# The image logs JSON lines by default; /metrics is Prometheus text.
/usr/bin/python3 - "$work/study.log" "http://127.0.0.1:${http_port[study]}/metrics" <<'EOF'
import json, sys, urllib.request
lines = [l for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
assert lines, "the server logged nothing"
for l in lines:
    assert isinstance(json.loads(l), dict), f"not a JSON object: {l!r}"
metrics = urllib.request.urlopen(sys.argv[2]).read().decode()
assert "# TYPE " in metrics, "no Prometheus TYPE line in /metrics"
print(f"ok   {len(lines)} JSON log lines, /metrics {len(metrics)} bytes")
EOF
phase_end

# ---- the image's CLI: the demo organization, composed ----
phase "demo load and compose (image CLI)"
cli=$(new_container)
containers+=("$cli")
out=$work/out
mkdir -p "$out" && chmod 0777 "$out"
fazhi() {
  buildah run "${isolation[@]}" --network host \
    --volume "$root/deploy/demo:/demo:ro" --volume "$out:/out" \
    --env FAZHI_STUDY_TARGET=127.0.0.1:${grpc_port[study]} \
    --env FAZHI_DUTY_TARGET=127.0.0.1:${grpc_port[duty]} \
    --env FAZHI_REPORT_TARGET=127.0.0.1:${grpc_port[report]} \
    --env FAZHI_GATEWAY_TARGET=127.0.0.1:${grpc_port[gateway]} \
    --env FAZHI_ACTOR=container-test "$cli" -- fazhi "$@"
}
demo=/demo/lushan-minzheng
for s in study duty report gateway; do fazhi wait-ready --target=127.0.0.1:${grpc_port[$s]} --timeout=10; done
{
  fazhi study put-plan --org=lushan-minzheng --year=2024 --file=$demo/plan-2024.json
  fazhi study import-sessions --org=lushan-minzheng --file=$demo/sessions.jsonl
  fazhi study import-events --org=lushan-minzheng --file=$demo/events.jsonl
  fazhi duty import-powers --org=lushan-minzheng --file=$demo/powers.jsonl
  fazhi duty import-officers --org=lushan-minzheng --file=$demo/officers.jsonl
  fazhi duty allocate --org=lushan-minzheng --as-of=2024-12-31 --commit
  fazhi report put-org --file=$demo/org.json
  fazhi report put --org=lushan-minzheng --year=2024 --file=$demo/report-2024.json
  fazhi compose --org=lushan-minzheng --year=2024 --formats=docx,txt --out=/out
} >"$work/cli.log" 2>&1 || { tail -n 20 "$work/cli.log" >&2; exit 1; }
/usr/bin/python3 - "$out/lushan-minzheng-2024.docx" "$out/lushan-minzheng-2024.txt" \
  "http://127.0.0.1:${http_port[gateway]}/orgs/lushan-minzheng/reports/2024.docx" <<'EOF'
import io, sys, urllib.request, zipfile
docx, txt, url = sys.argv[1:]
assert "法治政府建设" in open(txt, encoding="utf-8").read(), "report text lacks its title"
for name, data in (("composed", open(docx, "rb").read()), ("downloaded", urllib.request.urlopen(url).read())):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert "word/document.xml" in z.namelist(), f"{name} DOCX has no word/document.xml"
    print(f"ok   {name} DOCX, {len(data)} bytes")
EOF
phase_end

# ---- SIGTERM: every server drains and exits 0 ----
descendant() {  # pid name: the first process named `name` below pid
  local c found
  for c in $(pgrep -P "$1" || true); do
    if [ "$(cat "/proc/$c/comm" 2>/dev/null)" = "$2" ]; then echo "$c"; return; fi
    found=$(descendant "$c" "$2")
    if [ -n "$found" ]; then echo "$found"; return; fi
  done
}
phase "SIGTERM and drain"
for s in study duty report gateway; do
  # The server runs in this PID namespace below buildah run; the signal goes
  # to the server itself, as a kubelet or engine would send it.
  child=$(descendant "${server_pid[$s]}" "fazhi-$s")
  [ -n "$child" ] || { echo "FAIL: no fazhi-$s process under buildah run" >&2; exit 1; }
  kill -TERM "$child"
done
for s in study duty report gateway; do
  if ! timeout 20 tail --pid="${server_pid[$s]}" -f /dev/null; then
    echo "FAIL: fazhi-$s still running 20 s after SIGTERM" >&2; exit 1
  fi
  rc=0
  wait "${server_pid[$s]}" || rc=$?
  [ $rc -eq 0 ] || { echo "FAIL: fazhi-$s exited with $rc after SIGTERM" >&2; tail -n 5 "$work/$s.log" >&2; exit 1; }
  grep -q '"msg":"stopped"' "$work/$s.log" || { echo "FAIL: fazhi-$s did not log its drain" >&2; exit 1; }
done
pids=()
# What a read-only root (Kubernetes) allows: the servers wrote only to the
# store directory and /tmp.
for s in study duty report gateway; do
  owned=$(buildah run "${isolation[@]}" "${server_ctr[$s]}" -- find / -xdev -user 10001 2>/dev/null || true)
  stray=$(grep -v -e '^/var/lib/fazhi$' -e '^/var/lib/fazhi/' -e '^/tmp/' <<<"$owned" || true)
  [ -z "$stray" ] || { echo "FAIL: fazhi-$s wrote outside /var/lib/fazhi and /tmp: $stray" >&2; exit 1; }
  if [ "$s" != gateway ] && ! grep -qx "/var/lib/fazhi/$s.db" <<<"$owned"; then
    echo "FAIL: fazhi-$s has no /var/lib/fazhi/$s.db" >&2; exit 1
  fi
done
phase_end

# ---- PostgreSQL: two replicas of one service start together ----
phase "PostgreSQL: two study replicas"
pg_url=${FAZHI_TEST_POSTGRES_URL%/*}/fazhi_study_ct
PGOPTIONS='-c client_min_messages=warning' psql -q "$FAZHI_TEST_POSTGRES_URL" \
  -c 'DROP DATABASE IF EXISTS fazhi_study_ct' -c 'CREATE DATABASE fazhi_study_ct'
read -r -a pg_ports < <(/usr/bin/python3 -c '
import socket
socks = [socket.socket() for _ in range(2)]
for s in socks: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))')
replica_pids=()
for i in 0 1; do
  c=$(new_container)
  containers+=("$c")
  # Started at once: the migrations run under the advisory lock.
  buildah run "${isolation[@]}" --network host --env FAZHI_DB="$pg_url" "$c" -- \
    fazhi-study --listen=127.0.0.1:${pg_ports[$i]} --http_listen= --shutdown_grace=5s$local_flags \
    >"$work/study-pg-$i.log" 2>&1 &
  replica_pids+=($!)
  pids+=($!)
done
/usr/bin/python3 tests/deploy/health_probe.py --timeout 60 \
  --grpc "127.0.0.1:${pg_ports[0]}" --grpc "127.0.0.1:${pg_ports[1]}" ||
  { tail -n 5 "$work"/study-pg-*.log >&2; exit 1; }
# Written through one replica, read through the other.
fazhi study import-sessions --target=127.0.0.1:${pg_ports[0]} --org=lushan-minzheng \
  --file=$demo/sessions.jsonl >"$work/cli-pg.log" 2>&1 || { cat "$work/cli-pg.log" >&2; exit 1; }
fazhi study summary --target=127.0.0.1:${pg_ports[1]} --org=lushan-minzheng --year=2024 --format=json \
  >"$work/summary-pg.json" 2>>"$work/cli-pg.log"
/usr/bin/python3 - "$work/summary-pg.json" <<'EOF'
import json, sys
summary = json.load(open(sys.argv[1]))
sessions = int(summary.get("total_sessions", 0))
assert sessions > 0, f"the other replica sees no sessions: {summary}"
print(f"ok   imported through one replica, {sessions} sessions seen through the other")
EOF
versions=$(psql -qAt "$pg_url" -c 'SELECT count(*), count(DISTINCT version) FROM schema_migrations')
[ "${versions%|*}" = "${versions#*|}" ] && [ "${versions%|*}" -gt 0 ] ||
  { echo "FAIL: schema_migrations holds $versions (rows|distinct versions)" >&2; exit 1; }
for i in 0 1; do
  kill -TERM "$(descendant "${replica_pids[$i]}" fazhi-study)"
  timeout 20 tail --pid="${replica_pids[$i]}" -f /dev/null
  wait "${replica_pids[$i]}" || { echo "FAIL: replica $i did not stop cleanly" >&2; exit 1; }
done
pids=()
phase_end

echo
echo "container test passed: $image"
printf '  image size: %s MB (base image %s MB)\n' "$((size / 1000000))" "$((base_size / 1000000))"
echo "  runtime packages: $runtime_packages"
printf '  %s\n' "${timings[@]}"
