#!/usr/bin/env bash
# The README's Quick start as a new user meets it: a fresh, minimal Debian 12
# (debootstrap --variant=minbase bookworm, from this machine's Debian
# mirror), the repository's HEAD copied in, and the two Quick start commands
# run in it as root, one after the other, with buildah's chroot isolation
# (no network namespace, no capabilities beyond a container's root):
#
#   bash scripts/demo.sh
#   bash scripts/test.sh
#
# Prints both exit codes and how long each took; the logs stay in the work
# folder it names. Not part of scripts/test.sh: slow (every package
# installed, a full build and the whole suite).
#
#   bash scripts/fresh-debian-test.sh [--rebuild-base] [--base-only] [--keep]
#
#   --rebuild-base  make the minbase image again (kept between runs; every
#                   run starts a new container from it)
#   --base-only     make the minbase image (if missing) and stop
#   --keep          keep the container afterwards for a look
#
# Needs buildah, podman and debootstrap (scripts/install-deps.sh container).
# A network that inspects TLS has its CA among this machine's extra
# certificates (/usr/local/share/ca-certificates/): they are copied in, and
# NODE_EXTRA_CA_CERTS names them, as a new machine on the same network would
# have them. Env: FAZHI_FRESH_IMAGE (default localhost/fazhi-fresh:bookworm).
set -euo pipefail
cd "$(dirname "$0")/.."

rebuild_base=0
base_only=0
keep=0
for arg in "$@"; do
  case "$arg" in
    --rebuild-base) rebuild_base=1 ;;
    --base-only) base_only=1 ;;
    --keep) keep=1 ;;
    *) echo "usage: fresh-debian-test.sh [--rebuild-base] [--base-only] [--keep]" >&2; exit 2 ;;
  esac
done
for tool in buildah podman debootstrap; do
  command -v "$tool" >/dev/null ||
    { echo "fresh-debian-test: no $tool (bash scripts/install-deps.sh container)" >&2; exit 2; }
done

image=${FAZHI_FRESH_IMAGE:-localhost/fazhi-fresh:bookworm}
isolation=(--isolation chroot --network host)
work=$(mktemp -d /tmp/fazhi-fresh-XXXXXX)
container=""
cleanup() {
  local rc=$?
  if [ -n "$container" ] && [ "$keep" = 0 ]; then buildah rm "$container" >/dev/null 2>&1 || true; fi
  [ -n "$container" ] && [ "$keep" = 1 ] && echo "container: $container" >&2
  rm -rf "$work/rootfs" "$work/src"
  exit $rc
}
trap cleanup EXIT

# ---- a minimal Debian 12, once ----
if [ "$rebuild_base" = 1 ] || ! podman image exists "$image"; then
  echo "== debootstrap --variant=minbase bookworm" >&2
  rootfs=$work/rootfs
  # The machine's bookworm repositories as apt sees them (the release, its
  # updates and security); debootstrap's default mirror where there are none.
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
  # As Debian's images ship: no package lists yet (the first command's
  # apt-get update fetches them).
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/archives/*.deb
  tar -C "$rootfs" --numeric-owner -c . | podman import --quiet - "$image" >/dev/null
  rm -rf "$rootfs"
fi
[ "$base_only" = 0 ] || exit 0

# ---- a new machine from it, with the repository and the network's CA ----
container=$(buildah from --pull=false --quiet "$image")
mkdir -p "$work/src"
git archive --format=tar HEAD | tar -C "$work/src" -x
buildah copy --quiet "$container" "$work/src" /root/fazhi >/dev/null
env=(--env HOME=/root --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin)
extra=(/usr/local/share/ca-certificates/*.crt)
if [ -e "${extra[0]}" ]; then
  buildah copy --quiet "$container" "${extra[@]}" /usr/local/share/ca-certificates/ >/dev/null
  cat "${extra[@]}" >"$work/extra-ca.pem"
  buildah copy --quiet "$container" "$work/extra-ca.pem" /usr/local/share/extra-ca.pem >/dev/null
  env+=(--env NODE_EXTRA_CA_CERTS=/usr/local/share/extra-ca.pem)
fi

# ---- the README's two commands ----
echo "fresh Debian 12 ($image), $(git rev-parse --short HEAD); logs in $work" >&2
declare -A rc seconds
for step in demo test; do
  echo "== bash scripts/$step.sh" >&2
  start=$(date +%s)
  rc[$step]=0
  buildah run "${isolation[@]}" "${env[@]}" --workingdir /root/fazhi "$container" -- \
    bash "scripts/$step.sh" >"$work/$step.log" 2>&1 || rc[$step]=$?
  seconds[$step]=$(( $(date +%s) - start ))
  tail -n 5 "$work/$step.log" >&2
done

echo
for step in demo test; do
  printf 'bash scripts/%s.sh: exit %d after %dm%02ds\n' "$step" "${rc[$step]}" \
    $((seconds[$step] / 60)) $((seconds[$step] % 60))
done
grep -h -E '^[0-9]+% tests passed|^The following tests FAILED|^[[:space:]]+[0-9]+ - ' "$work/test.log" || true
[ "${rc[demo]}" = 0 ] && [ "${rc[test]}" = 0 ]
