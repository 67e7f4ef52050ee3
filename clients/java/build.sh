#!/usr/bin/env bash
# Builds the Java example: protoc's Java output and the grpc-java plugin
# (Debian's protobuf-compiler-grpc-java-plugin) for fazhi's protos and the
# google.rpc/google.type/google.api protos they use, then javac against the
# jars of classpath.sh.
#
#   build.sh [OUT]    classes in OUT/classes, the TLS library in OUT/jni
#                     (default OUT: clients/java/out); run.sh [--out OUT] runs it
#
# FAZHI_PROTOS (default: the repository's protos/) and FAZHI_GOOGLEAPIS
# (default: Debian's golang-github-gogo-googleapis-dev, as the servers' build)
# say where the protos are.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/out}
protos=${FAZHI_PROTOS:-$here/../../protos}
googleapis=${FAZHI_GOOGLEAPIS:-/usr/share/gocode/src/github.com/gogo/googleapis}
source "$here/classpath.sh"

rm -rf "$out/gen" "$out/classes" "$out/jni"
mkdir -p "$out/gen" "$out/classes" "$out/jni"
# The google.api protos are there for the HTTP annotations a contract may carry.
mapfile -t sources < <(find "$protos/fazhi" -name '*.proto' | sort)
sources+=("$googleapis"/google/rpc/{status,error_details,code}.proto
          "$googleapis"/google/type/date.proto "$googleapis"/google/api/{annotations,http}.proto)
protoc -I"$protos" -I"$googleapis" -I/usr/include \
  --java_out="$out/gen" \
  --plugin=protoc-gen-grpc-java=/usr/bin/grpc_java_plugin \
  --grpc-java_out="$out/gen" \
  "${sources[@]}"
find "$out/gen" "$here/src" -name '*.java' >"$out/sources.txt"
javac -encoding UTF-8 -nowarn -d "$out/classes" -cp "$FAZHI_JAVA_COMPILE_CLASSPATH" @"$out/sources.txt"

# TLS: Debian's netty has no ALPN over the JDK's TLS, which HTTP/2 needs, so
# grpc-netty takes OpenSSL through netty-tcnative (libnetty-tcnative-jni).
# netty looks for the library as libnetty_tcnative.so and checks the name it
# was loaded under, so a copy goes under that name.
tcnative=$(find /usr/lib -path '*/jni/libnetty-tcnative.so' -print -quit)
if [ -z "$tcnative" ]; then
  echo "build.sh: libnetty-tcnative.so not found (Debian's libnetty-tcnative-jni)" >&2
  exit 1
fi
cp "$tcnative" "$out/jni/libnetty_tcnative.so"
