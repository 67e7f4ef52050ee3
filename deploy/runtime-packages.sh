#!/usr/bin/env bash
# Prints the Debian packages (NAME=VERSION, one a line) that own the shared
# libraries the given binaries load, as ldd resolves them on this system.
# The image's build stage runs it so the runtime stage installs exactly
# these, at the versions the binaries were linked against.
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: runtime-packages.sh BINARY..." >&2; exit 2; }

# One binary at a time: ldd names each file in a header line otherwise.
libs=$(for bin in "$@"; do ldd "$bin"; done | awk '
  /not found/ { print "MISSING " $1; next }
  $2 == "=>" && $3 ~ /^\// { print $3 }
  $1 ~ /^\// { print $1 }' | sort -u)
if grep -q '^MISSING' <<<"$libs"; then
  echo "runtime-packages.sh: unresolved libraries:" >&2
  grep '^MISSING' <<<"$libs" >&2
  exit 1
fi

# The path ldd prints may be the /usr or the / side of a merged-/usr system,
# or a symlink, while dpkg knows the file under one name only.
owner() {
  local lib=$1 real candidates c
  real=$(readlink -f "$lib")
  candidates=("$lib" "$real")
  for c in "$lib" "$real"; do
    case "$c" in
      /usr/*) candidates+=("${c#/usr}") ;;
      *) candidates+=("/usr$c") ;;
    esac
  done
  for c in "${candidates[@]}"; do
    if out=$(dpkg-query -S "$c" 2>/dev/null); then
      # "pkg:arch: /path" (diversions print other lines first)
      grep -v '^diversion' <<<"$out" | head -n 1 | sed 's/: .*//'
      return 0
    fi
  done
  echo "runtime-packages.sh: no package owns $lib" >&2
  return 1
}

owners=()
for lib in $libs; do
  p=$(owner "$lib") || exit 1
  owners+=("$p")
done
for p in $(printf '%s\n' "${owners[@]}" | sort -u); do
  echo "$p=$(dpkg-query -W -f='${Version}' "$p")"
done
