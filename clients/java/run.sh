#!/usr/bin/env bash
# Runs the Java example built by build.sh:  run.sh [--out OUT] COMMAND [FLAGS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$here/out
if [ "${1:-}" = "--out" ]; then
  out=$2
  shift 2
fi
source "$here/classpath.sh"
exec java -Djava.library.path="$out/jni" -cp "$out/classes:$FAZHI_JAVA_CLASSPATH" \
  fazhi.example.FazhiClient "$@"
