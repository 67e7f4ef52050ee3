#ifndef FAZHI_TESTS_BENCH_BENCH_CLIENT_H_
#define FAZHI_TESTS_BENCH_BENCH_CLIENT_H_

// How the benchmark tools reach the services: the one place that opens a
// channel and prepares a call, so transport security and the API key
// metadata are added here once for every tool.

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/time/time.h"

namespace fazhi::bench {

// A channel to HOST:PORT. `index` > 0 makes a distinct channel (its own
// connection) to the same target, to spread concurrent streams.
std::shared_ptr<grpc::Channel> Connect(const std::string& target, int index = 0);

// Prepares a call: deadline and the metadata every call carries.
void PrepareCall(grpc::ClientContext& context, absl::Duration deadline = absl::Seconds(60));

// "CODE: message", and the first bad fields of an INVALID_ARGUMENT.
std::string Describe(const grpc::Status& status);

}  // namespace fazhi::bench

#endif  // FAZHI_TESTS_BENCH_BENCH_CLIENT_H_
