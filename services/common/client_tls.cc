#include "services/common/client_tls.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/support/client_interceptor.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"

namespace fazhi {

absl::StatusOr<std::string> ReadPemFile(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  if (in) text << in.rdbuf();
  if (!in || text.str().empty()) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": cannot read ", path));
  }
  return text.str();
}

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> ChannelCredentialsFor(
    const ClientTls& tls) {
  if (tls.ca_file.empty()) {
    if (!tls.cert_file.empty()) {
      return absl::InvalidArgumentError("a client certificate needs TLS: give the CA file too");
    }
    return grpc::InsecureChannelCredentials();
  }
  if (tls.cert_file.empty() != tls.key_file.empty()) {
    return absl::InvalidArgumentError("the client certificate and its key go together");
  }
  grpc::SslCredentialsOptions options;
  ASSIGN_OR_RETURN(options.pem_root_certs, ReadPemFile(tls.ca_file, "CA file"));
  if (!tls.cert_file.empty()) {
    ASSIGN_OR_RETURN(options.pem_cert_chain, ReadPemFile(tls.cert_file, "client certificate"));
    ASSIGN_OR_RETURN(options.pem_private_key, ReadPemFile(tls.key_file, "client key"));
  }
  return grpc::SslCredentials(options);
}

void ApplyServerName(const ClientTls& tls, grpc::ChannelArguments& args) {
  if (!tls.server_name.empty()) args.SetSslTargetNameOverride(tls.server_name);
}

namespace {

class ApiKeyInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit ApiKeyInterceptor(const std::string* header) : header_(header) {}
  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            grpc::experimental::InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      methods->GetSendInitialMetadata()->emplace("authorization", *header_);
    }
    methods->Proceed();
  }

 private:
  const std::string* header_;
};

class ApiKeyInterceptorFactory : public grpc::experimental::ClientInterceptorFactoryInterface {
 public:
  explicit ApiKeyInterceptorFactory(const std::string& key) : header_("Bearer " + key) {}
  grpc::experimental::Interceptor* CreateClientInterceptor(
      grpc::experimental::ClientRpcInfo*) override {
    return new ApiKeyInterceptor(&header_);
  }

 private:
  // Lives as long as the channel, which owns the factory.
  std::string header_;
};

std::string Environment(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? "" : value;
}

}  // namespace

absl::StatusOr<ClientSettings> ClientSettingsFromEnvironment() {
  ClientSettings settings;
  settings.api_key = Environment("FAZHI_API_KEY");
  if (const std::string file = Environment("FAZHI_API_KEY_FILE");
      settings.api_key.empty() && !file.empty()) {
    ASSIGN_OR_RETURN(std::string text, ReadPemFile(file, "FAZHI_API_KEY_FILE"));
    settings.api_key = text.substr(0, text.find_first_of("\r\n"));
  }
  settings.tls.ca_file = Environment("FAZHI_CA_FILE");
  settings.tls.cert_file = Environment("FAZHI_CLIENT_CERT_FILE");
  settings.tls.key_file = Environment("FAZHI_CLIENT_KEY_FILE");
  settings.tls.server_name = Environment("FAZHI_SERVER_NAME");
  return settings;
}

absl::StatusOr<std::shared_ptr<grpc::Channel>> CreateClientChannel(const std::string& target,
                                                                   const ClientSettings& settings,
                                                                   grpc::ChannelArguments args) {
  ASSIGN_OR_RETURN(std::shared_ptr<grpc::ChannelCredentials> credentials,
                   ChannelCredentialsFor(settings.tls));
  ApplyServerName(settings.tls, args);
  std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>> interceptors;
  if (!settings.api_key.empty()) {
    interceptors.push_back(std::make_unique<ApiKeyInterceptorFactory>(settings.api_key));
  }
  return grpc::experimental::CreateCustomChannelWithInterceptors(target, credentials, args,
                                                                 std::move(interceptors));
}

}  // namespace fazhi
