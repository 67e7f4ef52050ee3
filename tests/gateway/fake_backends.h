#ifndef FAZHI_TESTS_GATEWAY_FAKE_BACKENDS_H_
#define FAZHI_TESTS_GATEWAY_FAKE_BACKENDS_H_

// The study, duty and report services as the gateway sees them, on one
// in-process gRPC server at a free port: each RPC the gateway uses answers
// from a settable script and counts its attempts and the metadata it got.

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "fazhi/duty/v1/duty.grpc.pb.h"
#include "fazhi/report/v1/report.grpc.pb.h"
#include "fazhi/study/v1/study.grpc.pb.h"
#include "gtest/gtest.h"

namespace fazhi::gateway::fakes {

namespace sv1 = fazhi::study::v1;
namespace dv1 = fazhi::duty::v1;
namespace rv1 = fazhi::report::v1;

// What every fake RPC shares: attempts per method, the last metadata, and
// a script that may fail or slow the next calls.
class Script {
 public:
  // `answer` runs for each attempt of `method`; a non-OK status is returned
  // as the call's status.
  void On(const std::string& method, std::function<grpc::Status(int attempt)> answer) {
    std::lock_guard<std::mutex> lock(mu_);
    answers_[method] = std::move(answer);
  }
  // Fails the first `times` attempts with `code`.
  void FailFirst(const std::string& method, int times, grpc::StatusCode code) {
    On(method, [times, code](int attempt) {
      return attempt <= times ? grpc::Status(code, "scripted failure") : grpc::Status::OK;
    });
  }
  int Attempts(const std::string& method) const {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = attempts_.find(method);
    return it == attempts_.end() ? 0 : it->second;
  }
  // The value of `header` in the last call of `method`.
  std::string Metadata(const std::string& method, const std::string& header) const {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = metadata_.find(method + "|" + header);
    return it == metadata_.end() ? "" : it->second;
  }

  grpc::Status Attempt(const grpc::ServerContext* context, const std::string& method) {
    std::function<grpc::Status(int)> answer;
    int attempt = 0;
    {
      std::lock_guard<std::mutex> lock(mu_);
      attempt = ++attempts_[method];
      for (const auto& [key, value] : context->client_metadata()) {
        metadata_[method + "|" + std::string(key.data(), key.size())] =
            std::string(value.data(), value.size());
      }
      if (auto it = answers_.find(method); it != answers_.end()) answer = it->second;
    }
    return answer ? answer(attempt) : grpc::Status::OK;
  }

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::function<grpc::Status(int)>> answers_;
  std::map<std::string, int> attempts_;
  std::map<std::string, std::string> metadata_;
};

class FakeStudy final : public sv1::StudyService::Service {
 public:
  explicit FakeStudy(Script* script) : script_(script) {}
  // Summaries by year; a year without one is an empty summary.
  std::map<int, sv1::StudySummary> summaries;
  // Years refused as out of range (INVALID_ARGUMENT).
  std::set<int> refused_years;
  // Whether include_previous_year is understood (a service that predates it
  // ignores it).
  bool answers_previous_year = false;

  grpc::Status GetStudySummary(grpc::ServerContext* context,
                               const sv1::GetStudySummaryRequest* request,
                               sv1::StudySummary* response) override {
    grpc::Status status = script_->Attempt(context, "GetStudySummary");
    if (!status.ok()) return status;
    if (refused_years.count(request->year()) > 0) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "year: out of range");
    }
    if (auto it = summaries.find(request->year()); it != summaries.end()) *response = it->second;
    response->set_org(request->org());
    response->set_year(request->year());
    if (answers_previous_year && request->include_previous_year()) {
      const int before = request->year() - 1;
      if (refused_years.count(before) == 0) {
        sv1::StudySummary* previous = response->mutable_previous_year();
        if (auto it = summaries.find(before); it != summaries.end()) *previous = it->second;
        previous->set_org(request->org());
        previous->set_year(before);
      }
      response->set_previous_year_answered(true);
    }
    return grpc::Status::OK;
  }

 private:
  Script* script_;
};

class FakeDuty final : public dv1::DutyService::Service {
 public:
  explicit FakeDuty(Script* script) : script_(script) {}
  dv1::DutySummary summary;

  grpc::Status GetDutySummary(grpc::ServerContext* context,
                              const dv1::GetDutySummaryRequest* request,
                              dv1::DutySummary* response) override {
    grpc::Status status = script_->Attempt(context, "GetDutySummary");
    if (!status.ok()) return status;
    *response = summary;
    response->set_org(request->org());
    return grpc::Status::OK;
  }

 private:
  Script* script_;
};

class FakeReport final : public rv1::ReportService::Service {
 public:
  explicit FakeReport(Script* script) : script_(script) {}
  std::vector<rv1::Organization> organizations;
  // The report of every organization and year; absent: NOT_FOUND.
  std::optional<rv1::Report> report;
  rv1::ListOverdueReportsResponse overdue;
  // The last write's request.
  rv1::ApproveReportRequest approved;
  rv1::PublishReportRequest published;

  grpc::Status GetOrganization(grpc::ServerContext* context,
                               const rv1::GetOrganizationRequest* request,
                               rv1::Organization* response) override {
    grpc::Status status = script_->Attempt(context, "GetOrganization");
    if (!status.ok()) return status;
    for (const auto& o : organizations) {
      if (o.name() == request->name()) {
        *response = o;
        return grpc::Status::OK;
      }
    }
    return grpc::Status(grpc::StatusCode::NOT_FOUND, request->name() + " not found");
  }
  grpc::Status GetReport(grpc::ServerContext* context, const rv1::GetReportRequest* request,
                         rv1::Report* response) override {
    grpc::Status status = script_->Attempt(context, "GetReport");
    if (!status.ok()) return status;
    if (!report) return grpc::Status(grpc::StatusCode::NOT_FOUND, request->name() + " not found");
    *response = *report;
    response->set_name(request->name());
    return grpc::Status::OK;
  }
  // A service that predates GetReportInputs answers it UNIMPLEMENTED.
  std::atomic<bool> answers_inputs{true};
  std::atomic<int> refused_inputs{0};
  grpc::Status GetReportInputs(grpc::ServerContext* context,
                               const rv1::GetReportInputsRequest* request,
                               rv1::ReportInputs* response) override {
    if (!answers_inputs) {
      ++refused_inputs;
      return rv1::ReportService::Service::GetReportInputs(context, request, response);
    }
    grpc::Status status = script_->Attempt(context, "GetReportInputs");
    if (!status.ok()) return status;
    const std::string& name = request->name();
    const std::string org_name = name.substr(0, name.find("/reports/"));
    for (const auto& o : organizations) {
      if (o.name() != org_name) continue;
      *response->mutable_organization() = o;
      if (report) {
        *response->mutable_report() = *report;
        response->mutable_report()->set_name(name);
      }
      return grpc::Status::OK;
    }
    return grpc::Status(grpc::StatusCode::NOT_FOUND, org_name + " not found");
  }
  grpc::Status ListOrganizations(grpc::ServerContext* context,
                                 const rv1::ListOrganizationsRequest* /*request*/,
                                 rv1::ListOrganizationsResponse* response) override {
    grpc::Status status = script_->Attempt(context, "ListOrganizations");
    if (!status.ok()) return status;
    for (const auto& o : organizations) *response->add_organizations() = o;
    return grpc::Status::OK;
  }
  grpc::Status ListOverdueReports(grpc::ServerContext* context,
                                  const rv1::ListOverdueReportsRequest* /*request*/,
                                  rv1::ListOverdueReportsResponse* response) override {
    grpc::Status status = script_->Attempt(context, "ListOverdueReports");
    if (!status.ok()) return status;
    *response = overdue;
    return grpc::Status::OK;
  }
  grpc::Status ApproveReport(grpc::ServerContext* context, const rv1::ApproveReportRequest* request,
                             rv1::Report* response) override {
    grpc::Status status = script_->Attempt(context, "ApproveReport");
    if (!status.ok()) return status;
    approved = *request;
    response->set_name(request->name());
    response->set_state(rv1::REPORT_STATE_APPROVED);
    return grpc::Status::OK;
  }
  grpc::Status PublishReport(grpc::ServerContext* context, const rv1::PublishReportRequest* request,
                             rv1::Report* response) override {
    grpc::Status status = script_->Attempt(context, "PublishReport");
    if (!status.ok()) return status;
    published = *request;
    response->set_name(request->name());
    response->set_state(rv1::REPORT_STATE_PUBLISHED);
    return grpc::Status::OK;
  }

 private:
  Script* script_;
};

// The three fakes on one server at a free loopback port.
class FakeBackends {
 public:
  FakeBackends() : study(&script), duty(&script), report(&script) {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(&study);
    builder.RegisterService(&duty);
    builder.RegisterService(&report);
    server_ = builder.BuildAndStart();
  }
  ~FakeBackends() { server_->Shutdown(std::chrono::system_clock::now()); }

  std::string target() const { return "127.0.0.1:" + std::to_string(port_); }

  Script script;
  FakeStudy study;
  FakeDuty duty;
  FakeReport report;

 private:
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
};

}  // namespace fazhi::gateway::fakes

#endif  // FAZHI_TESTS_GATEWAY_FAKE_BACKENDS_H_
