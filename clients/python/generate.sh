#!/usr/bin/env bash
# Generates the Python stubs of fazhi's protos and of the google.rpc,
# google.type and google.api protos they use, with Debian 12's
# python3-grpc-tools (grpc_tools.protoc: messages and gRPC stubs in one run,
# for /usr/bin/python3's python3-grpcio and python3-protobuf).
#
#   generate.sh [OUT]    stubs in OUT (default: clients/python/out); then
#                        PYTHONPATH=OUT /usr/bin/python3 fazhi_client.py ...
#
# FAZHI_PROTOS (default: the repository's protos/) and FAZHI_GOOGLEAPIS
# (default: Debian's golang-github-gogo-googleapis-dev, as the servers' build)
# say where the protos are.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/out}
protos=${FAZHI_PROTOS:-$here/../../protos}
googleapis=${FAZHI_GOOGLEAPIS:-/usr/share/gocode/src/github.com/gogo/googleapis}

rm -rf "$out"
mkdir -p "$out"
# The google.api protos are there for the HTTP annotations a contract may carry.
mapfile -t sources < <(find "$protos/fazhi" -name '*.proto' | sort)
sources+=("$googleapis"/google/rpc/{status,error_details,code}.proto
          "$googleapis"/google/type/date.proto "$googleapis"/google/api/{annotations,http}.proto)
/usr/bin/python3 -m grpc_tools.protoc -I"$protos" -I"$googleapis" \
  --python_out="$out" --grpc_python_out="$out" "${sources[@]}"
