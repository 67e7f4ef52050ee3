#!/usr/bin/env bash
# Installs the Debian 12 packages fazhi builds and tests with. Idempotent:
# does nothing when everything is present. Needs root (or sudo).
#
#   install-deps.sh [GROUP...]   groups: build, test, container (default: build test)
#
# build      what compiling the servers and the CLI needs (the container image's
#            build stage installs only this group)
# test       the test suite on top of build: GoogleTest, PostgreSQL server
#            with pg_auto_failover,
#            LibreOffice (Writer and Calc), Python gRPC, the manifest check's
#            kubectl and YAML, Chromium and Node.js for the web page's browser
#            test, the JDK and Debian's Java gRPC jars for the client kit
# container  the container image test (scripts/container-test.sh): a daemonless
#            builder, a Debian bootstrap for the base image, Python gRPC, PostgreSQL
set -euo pipefail

build_packages=(
  # toolchain; ccache is used only when CMAKE_CXX_COMPILER_LAUNCHER says so
  cmake ninja-build g++ pkg-config ccache
  # gRPC, Protobuf, Abseil, logging, storage, JSON
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libabsl-dev libspdlog-dev libfmt-dev libsqlite3-dev nlohmann-json3-dev
  # the stores' JSON columns, read fast (simdjson)
  libsimdjson-dev
  # PostgreSQL client library for the driver
  libpq-dev
  # the HTTP side (health, metrics, downloads)
  libcpp-httplib-dev
  # DOCX packaging; a document's own part deflated with zlib directly
  libzip-dev zlib1g-dev
  # CSV import files (RFC 4180 parser)
  libcsv-dev
  # the servers' allocator (tcmalloc: per-thread caches, no arena locks)
  libgoogle-perftools-dev
  # XLSX downloads (dashboard, facts) and import templates: libxlsxwriter;
  # XLSX import files read with libzip (above) and expat, a streaming XML
  # parser (Debian 12 packages no XLSX reader)
  libxlsxwriter-dev libexpat1-dev
  # SHA-256 of published report documents (OpenSSL's EVP, libcrypto)
  libssl-dev
  # google.rpc / google.type and grpc.health protos, compiled at build time
  golang-github-gogo-googleapis-dev grpc-proto
  # duty allocation: LEMON's max-flow and min-cost-flow solvers
  liblemon-dev
)

test_packages=(
  # PostgreSQL server for the store tests on the second driver; pg_auto_failover
  # for the failover test's throwaway HA cluster (scripts/with-postgres-ha.sh)
  postgresql postgresql-15-auto-failover
  # LibreOffice + CJK fonts + poppler to prove the DOCX opens and measure its
  # layout; Liberation Serif stands in for the DOCX's Times New Roman digits
  libreoffice-writer-nogui fonts-noto-cjk fonts-liberation2 poppler-utils
  # LibreOffice Calc: the XLSX downloads must open and read back (sheets e2e)
  libreoffice-calc-nogui
  # GoogleTest, the allocation benchmark, and the second-language client
  libgtest-dev libgmock-dev libbenchmark-dev python3 python3-grpcio python3-protobuf
  # deployment manifest check: kustomize rendering (kubectl) and YAML
  kubernetes-client python3-yaml
  # the web page's browser test: headless Chromium driven by playwright-core
  # (npm ci from tests/web/package-lock.json at the test's first run, over
  # TLS: the CA bundle); Debian 12's nodejs is 18, which the lock file allows
  chromium nodejs npm ca-certificates
  # the security test's certificates (a minimal Debian has no openssl command)
  openssl
  # the style check: every C++ file formatted as .clang-format says
  clang-format
  # the client kit's Java example (clients/java): javac and java 17, protoc's
  # grpc-java plugin, and the jars of clients/java/classpath.sh — grpc-java and
  # protobuf-java, the libraries they run on (guava, gson, perfmark, netty,
  # jctools), netty-tcnative for TLS with ALPN (Debian's netty has no ALPN
  # over the JDK's TLS), and javax.annotation.Generated, which the plugin's
  # code names
  default-jdk-headless protobuf-compiler-grpc-java-plugin libgrpc-java libprotobuf-java
  libguava-java libgoogle-gson-java libperfmark-java libnetty-java libjctools-java
  libnetty-tcnative-java libnetty-tcnative-jni libgeronimo-annotation-1.3-spec-java
  # the client kit's Python example: Debian's grpc_tools makes its stubs (its
  # protoc module imports pkg_resources without depending on it); the Node.js
  # example uses nodejs and npm above (npm ci of clients/node/package-lock.json)
  python3-grpc-tools python3-pkg-resources
)

container_packages=(
  # build and run OCI images without a daemon; a Debian rootfs as base image
  buildah podman debootstrap fuse-overlayfs uidmap
  # the health checks from outside the container; PostgreSQL for the replicas
  python3 python3-grpcio postgresql
)

groups=("$@")
if [ ${#groups[@]} -eq 0 ]; then groups=(build test); fi
packages=()
for g in "${groups[@]}"; do
  case "$g" in
    build) packages+=("${build_packages[@]}") ;;
    test) packages+=("${test_packages[@]}") ;;
    container) packages+=("${container_packages[@]}") ;;
    *) echo "install-deps.sh: unknown group '$g' (build, test, container)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  # Any kubectl with a kustomize command will do (some machines carry one
  # from another source, which Debian's package could not overwrite).
  if [ "$p" = kubernetes-client ] && command -v kubectl >/dev/null &&
     kubectl kustomize --help >/dev/null 2>&1; then
    continue
  fi
  # Any Node.js 18+ with its npm will do (some machines carry a newer one
  # from another source, whose nodejs package includes npm).
  if { [ "$p" = nodejs ] || [ "$p" = npm ]; } && command -v npm >/dev/null &&
     node -e 'process.exit(parseInt(process.versions.node) >= 18 ? 0 : 1)' 2>/dev/null; then
    continue
  fi
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
