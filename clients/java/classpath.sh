# The classpath of the Java example: exactly these jars, all from Debian 12
# packages (no Maven download). Sourced by build.sh and run.sh.
#
#   libgrpc-java       grpc-api, -context, -core, -netty (the transport, TLS),
#                      -protobuf, -protobuf-lite, -stub
#   libprotobuf-java   protobuf (messages), protobuf-util (JsonFormat: the
#                      JSON Lines rows)
#   libguava-java      guava, which grpc and protobuf-util use throughout
#   libgoogle-gson-java    gson: grpc-core's service config, JsonFormat
#   libperfmark-java   perfmark-api: grpc-core's tracing hooks
#   libnetty-java      the netty modules grpc-netty runs on (HTTP/2, TLS,
#                      proxy support it links against), and jctools-core
#                      (libjctools-java), netty's queues; netty-tcnative
#                      (libnetty-tcnative-java): TLS with ALPN through OpenSSL
debian_java=${DEBIAN_JAVA_DIR:-/usr/share/java}
fazhi_jars=(
  grpc-api grpc-context grpc-core grpc-netty grpc-protobuf grpc-protobuf-lite grpc-stub
  protobuf protobuf-util
  guava gson perfmark-api
  netty-buffer netty-codec netty-codec-http netty-codec-http2 netty-codec-socks netty-common
  netty-handler netty-handler-proxy netty-resolver netty-transport netty-tcnative jctools-core
)
FAZHI_JAVA_CLASSPATH=""
for jar in "${fazhi_jars[@]}"; do
  FAZHI_JAVA_CLASSPATH+="${FAZHI_JAVA_CLASSPATH:+:}$debian_java/$jar.jar"
done

# Compiling only: the grpc-java plugin of Debian 12 marks each service class
# @javax.annotation.Generated, which Java 11+ no longer ships
# (libgeronimo-annotation-1.3-spec-java).
FAZHI_JAVA_COMPILE_CLASSPATH="$FAZHI_JAVA_CLASSPATH:$debian_java/geronimo-annotation-1.3-spec.jar"
