#!/usr/bin/env bash
# Installs the Debian 12 packages fazhi builds and tests with. Idempotent:
# does nothing when everything is present. Needs root (or sudo).
set -euo pipefail

packages=(
  # toolchain
  cmake ninja-build g++ pkg-config
  # gRPC, Protobuf, Abseil, logging, storage, JSON
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libabsl-dev libspdlog-dev libfmt-dev libsqlite3-dev nlohmann-json3-dev
  # PostgreSQL: the client library for the driver, the server for its tests
  libpq-dev postgresql
  # the HTTP side (health, metrics, downloads)
  libcpp-httplib-dev
  # DOCX packaging, and LibreOffice + CJK fonts + poppler to prove the DOCX opens
  libzip-dev libreoffice-writer-nogui fonts-noto-cjk poppler-utils
  # CSV import files (RFC 4180 parser)
  libcsv-dev
  # SHA-256 of published report documents (OpenSSL's EVP, libcrypto)
  libssl-dev
  # google.rpc / google.type and grpc.health protos, compiled at build time
  golang-github-gogo-googleapis-dev grpc-proto
  # duty allocation: LEMON's max-flow and min-cost-flow solvers; its benchmark
  liblemon-dev libbenchmark-dev
  # tests: GoogleTest, and the second-language client (Debian's python3)
  libgtest-dev libgmock-dev python3 python3-grpcio python3-protobuf
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "Installing: ${missing[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
