// fazhi-generate: loads a made-up province (tests/bench/province_data.h)
// into running services through their public RPCs only — report
// CreateOrganization and CreateReport, study UpdateStudyPlan and the
// ImportSessions / ImportPublicityEvents streams, duty CreatePost, the
// ImportPowers / ImportOfficers streams and AllocateDuties — exactly as a
// county's systems would. The same --seed gives the same records.
//
//   fazhi-generate --orgs=2000 --years=5 --seed=1
//       --study_target=127.0.0.1:7101 --duty_target=127.0.0.1:7102 --report_target=127.0.0.1:7103
//
// Defaults: 2,000 organizations × 5 years (2020-2024), per organization and
// year 100 study sessions with named attendance and 12 publicity events, per
// organization 50 powers, 20 officers and 3 posts: 1,000,000 sessions,
// 120,000 events, 100,000 powers, 40,000 officers. Progress (rows, rows/s,
// ETA) goes to stderr; the totals to stdout (and --json_out).

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "fazhi/duty/v1/duty.grpc.pb.h"
#include "fazhi/report/v1/report.grpc.pb.h"
#include "fazhi/study/v1/study.grpc.pb.h"
#include "nlohmann/json.hpp"
#include "services/common/status_macros.h"
#include "tests/bench/bench_client.h"
#include "tests/bench/province_data.h"

ABSL_FLAG(int, orgs, 2000, "organizations");
ABSL_FLAG(int, first_org, 1, "index of the first organization (to load a slice)");
ABSL_FLAG(int, years, 5, "years of records, ending with --last_year");
ABSL_FLAG(int, last_year, 2024, "the last year");
ABSL_FLAG(uint64_t, seed, 1, "same seed, same data");
ABSL_FLAG(int, sessions_per_year, 100, "study sessions per organization and year");
ABSL_FLAG(int, events_per_year, 12, "publicity events per organization and year");
ABSL_FLAG(int, powers, 50, "powers per organization");
ABSL_FLAG(int, officers, 20, "officers per organization");
ABSL_FLAG(int, posts, 3, "enforcement posts per organization");
ABSL_FLAG(std::string, study_target, "127.0.0.1:7101", "study service address");
ABSL_FLAG(std::string, duty_target, "127.0.0.1:7102", "duty service address");
ABSL_FLAG(std::string, report_target, "127.0.0.1:7103", "report service address");
ABSL_FLAG(std::string, only, "report,study,duty", "which services to load");
ABSL_FLAG(int, jobs, 2, "organizations each service's share is loaded for at once");
ABSL_FLAG(int, batch_rows, 1000, "rows per import message (one transaction each)");
ABSL_FLAG(bool, allocate, true, "allocate every organization's duties (AllocateDuties, committed)");
ABSL_FLAG(bool, resume, false, "take ALREADY_EXISTS as loaded (continue an interrupted load)");
ABSL_FLAG(std::string, actor, "fazhi-generate", "actor of the report service's writes");
ABSL_FLAG(std::string, json_out, "", "also write the totals to this file as JSON");

namespace {

namespace study = fazhi::study::v1;
namespace duty = fazhi::duty::v1;
namespace report = fazhi::report::v1;
using fazhi::bench::PrepareCall;
using fazhi::bench::ProvinceShape;

constexpr int kAlreadyExists = static_cast<int>(grpc::StatusCode::ALREADY_EXISTS);

// Rows sent so far, by kind; read by the progress line.
struct Progress {
  std::atomic<int64_t> rows{0};
  std::atomic<int64_t> orgs_done{0};
  std::atomic<int64_t> skipped{0};  // already there (--resume)
};

absl::Status Failed(absl::string_view what, const grpc::Status& status) {
  return absl::UnknownError(absl::StrCat(what, ": ", fazhi::bench::Describe(status)));
}

class Loader {
 public:
  Loader(const ProvinceShape& shape, int jobs, Progress* progress)
      : shape_(shape), progress_(progress) {
    const std::vector<std::string> only = absl::StrSplit(absl::GetFlag(FLAGS_only), ',');
    const std::set<std::string> services(only.begin(), only.end());
    load_report_ = services.count("report") > 0;
    load_study_ = services.count("study") > 0;
    load_duty_ = services.count("duty") > 0;
    for (int i = 0; i < jobs; ++i) {
      study_.push_back(study::StudyService::NewStub(
          fazhi::bench::Connect(absl::GetFlag(FLAGS_study_target), i)));
      duty_.push_back(
          duty::DutyService::NewStub(fazhi::bench::Connect(absl::GetFlag(FLAGS_duty_target), i)));
      report_.push_back(report::ReportService::NewStub(
          fazhi::bench::Connect(absl::GetFlag(FLAGS_report_target), i)));
    }
  }

  // One service's share of an organization's records.
  enum class Share { kReport, kStudy, kDuty };

  // The shares this run loads (--only).
  std::vector<Share> shares() const {
    std::vector<Share> out;
    if (load_report_) out.push_back(Share::kReport);
    if (load_study_) out.push_back(Share::kStudy);
    if (load_duty_) out.push_back(Share::kDuty);
    return out;
  }
  bool loads_report() const { return load_report_; }
  bool loads_study() const { return load_study_; }
  bool loads_duty() const { return load_duty_; }

  // Loads one service's share of an organization over its `job`-th channel.
  absl::Status LoadShare(Share share, int job, int org) {
    switch (share) {
      case Share::kReport:
        return LoadReport(job, org);
      case Share::kStudy:
        return LoadStudy(job, org);
      case Share::kDuty:
        return LoadDuty(job, org);
    }
    return absl::InternalError("unknown share");
  }

 private:
  // A unary write: OK, or ALREADY_EXISTS with --resume.
  absl::Status Unary(absl::string_view what, const grpc::Status& status) {
    if (status.ok()) {
      ++progress_->rows;
      return absl::OkStatus();
    }
    if (status.error_code() == grpc::StatusCode::ALREADY_EXISTS && absl::GetFlag(FLAGS_resume)) {
      ++progress_->rows;
      ++progress_->skipped;
      return absl::OkStatus();
    }
    return Failed(what, status);
  }

  absl::Status LoadReport(int job, int org) {
    auto& stub = *report_[job];
    {
      grpc::ClientContext context;
      PrepareCall(context);
      report::CreateOrganizationRequest request;
      *request.mutable_organization() = fazhi::bench::MakeOrganization(shape_, org);
      request.mutable_organization()->clear_name();
      request.set_organization_id(fazhi::bench::OrgSlug(org));
      request.set_actor(absl::GetFlag(FLAGS_actor));
      report::Organization created;
      RETURN_IF_ERROR(Unary(absl::StrCat("CreateOrganization ", fazhi::bench::OrgName(org)),
                            stub.CreateOrganization(&context, request, &created)));
    }
    for (int year = shape_.first_year(); year <= shape_.last_year; ++year) {
      grpc::ClientContext context;
      PrepareCall(context);
      report::CreateReportRequest request;
      request.set_parent(fazhi::bench::OrgName(org));
      request.set_year(year);
      *request.mutable_report() = fazhi::bench::MakeReport(shape_, org, year);
      request.set_actor(absl::GetFlag(FLAGS_actor));
      report::Report created;
      RETURN_IF_ERROR(Unary(absl::StrCat("CreateReport ", fazhi::bench::OrgName(org), " ", year),
                            stub.CreateReport(&context, request, &created)));
    }
    return absl::OkStatus();
  }

  absl::Status LoadStudy(int job, int org) {
    auto& stub = *study_[job];
    const std::string parent = fazhi::bench::OrgName(org);
    std::vector<study::Session> sessions;
    std::vector<study::PublicityEvent> events;
    for (int year = shape_.first_year(); year <= shape_.last_year; ++year) {
      grpc::ClientContext context;
      PrepareCall(context);
      study::UpdateStudyPlanRequest request;
      *request.mutable_study_plan() = fazhi::bench::MakePlan(shape_, org, year);
      request.set_allow_missing(true);
      study::StudyPlan stored;
      RETURN_IF_ERROR(Unary(absl::StrCat("UpdateStudyPlan ", parent, " ", year),
                            stub.UpdateStudyPlan(&context, request, &stored)));
      for (auto& s : fazhi::bench::MakeSessions(shape_, org, year))
        sessions.push_back(std::move(s));
      for (auto& e : fazhi::bench::MakeEvents(shape_, org, year)) events.push_back(std::move(e));
    }
    RETURN_IF_ERROR(Import<study::ImportSessionsRequest>(
        "ImportSessions", parent, std::move(sessions),
        [&](grpc::ClientContext* c, fazhi::type::v1::ImportReport* r) {
          return stub.ImportSessions(c, r);
        },
        [](study::ImportSessionsRequest& r) { return r.mutable_sessions(); }));
    return Import<study::ImportPublicityEventsRequest>(
        "ImportPublicityEvents", parent, std::move(events),
        [&](grpc::ClientContext* c, fazhi::type::v1::ImportReport* r) {
          return stub.ImportPublicityEvents(c, r);
        },
        [](study::ImportPublicityEventsRequest& r) { return r.mutable_publicity_events(); });
  }

  absl::Status LoadDuty(int job, int org) {
    auto& stub = *duty_[job];
    const std::string parent = fazhi::bench::OrgName(org);
    for (duty::Post& post : fazhi::bench::MakePosts(shape_, org)) {
      grpc::ClientContext context;
      PrepareCall(context);
      duty::CreatePostRequest request;
      request.set_parent(parent);
      request.set_post_id(post.name().substr(post.name().rfind('/') + 1));
      post.clear_name();
      *request.mutable_post() = std::move(post);
      duty::Post created;
      RETURN_IF_ERROR(Unary(absl::StrCat("CreatePost ", parent, "/posts/", request.post_id()),
                            stub.CreatePost(&context, request, &created)));
    }
    RETURN_IF_ERROR(Import<duty::ImportPowersRequest>(
        "ImportPowers", parent, fazhi::bench::MakePowers(shape_, org),
        [&](grpc::ClientContext* c, fazhi::type::v1::ImportReport* r) {
          return stub.ImportPowers(c, r);
        },
        [](duty::ImportPowersRequest& r) { return r.mutable_powers(); }));
    RETURN_IF_ERROR(Import<duty::ImportOfficersRequest>(
        "ImportOfficers", parent, fazhi::bench::MakeOfficers(shape_, org),
        [&](grpc::ClientContext* c, fazhi::type::v1::ImportReport* r) {
          return stub.ImportOfficers(c, r);
        },
        [](duty::ImportOfficersRequest& r) { return r.mutable_officers(); }));
    if (!absl::GetFlag(FLAGS_allocate)) return absl::OkStatus();
    grpc::ClientContext context;
    PrepareCall(context);
    duty::AllocateDutiesRequest request;
    request.set_parent(parent);
    request.mutable_as_of()->set_year(shape_.last_year);
    request.mutable_as_of()->set_month(12);
    request.mutable_as_of()->set_day(31);
    duty::AllocateDutiesResponse response;
    grpc::Status status = stub.AllocateDuties(&context, request, &response);
    if (!status.ok()) return Failed(absl::StrCat("AllocateDuties ", parent), status);
    return absl::OkStatus();
  }

  // One client stream carrying `rows` in messages of --batch_rows; every row
  // must be stored (or, with --resume, be there already).
  template <typename Request, typename Row, typename Open, typename RowsOf>
  absl::Status Import(absl::string_view what, const std::string& parent, std::vector<Row> rows,
                      Open open, RowsOf rows_of) {
    if (rows.empty()) return absl::OkStatus();
    const size_t batch = static_cast<size_t>(std::max(1, absl::GetFlag(FLAGS_batch_rows)));
    grpc::ClientContext context;
    PrepareCall(context, absl::Minutes(30));
    fazhi::type::v1::ImportReport result;
    auto writer = open(&context, &result);
    for (size_t start = 0; start < rows.size(); start += batch) {
      Request request;
      request.set_parent(parent);
      const size_t end = std::min(rows.size(), start + batch);
      auto* out = rows_of(request);
      out->Reserve(static_cast<int>(end - start));
      for (size_t i = start; i < end; ++i) *out->Add() = std::move(rows[i]);
      if (!writer->Write(request)) break;  // the server ended the call: Finish says why
      progress_->rows += static_cast<int64_t>(end - start);
    }
    writer->WritesDone();
    const grpc::Status status = writer->Finish();
    if (!status.ok()) return Failed(absl::StrCat(what, " ", parent), status);
    int64_t skipped = 0;
    for (const auto& r : result.results()) {
      if (r.code() == kAlreadyExists && absl::GetFlag(FLAGS_resume)) {
        ++skipped;
        continue;
      }
      if (r.code() != 0) {
        return absl::InternalError(absl::StrCat(what, " ", parent, ": row ", r.row(), " (",
                                                r.external_id(), ") rejected: ", r.message()));
      }
    }
    if (result.rows_stored() + skipped != static_cast<int64_t>(rows.size())) {
      return absl::InternalError(absl::StrCat(what, " ", parent, ": ", result.rows_stored(), " of ",
                                              rows.size(), " rows stored"));
    }
    progress_->skipped += skipped;
    return absl::OkStatus();
  }

  const ProvinceShape shape_;
  Progress* progress_;
  bool load_report_ = true, load_study_ = true, load_duty_ = true;
  std::vector<std::unique_ptr<study::StudyService::Stub>> study_;
  std::vector<std::unique_ptr<duty::DutyService::Stub>> duty_;
  std::vector<std::unique_ptr<report::ReportService::Stub>> report_;
};

std::string Thousands(int64_t n) {
  std::string digits = absl::StrCat(n < 0 ? -n : n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

std::string Clock(double seconds) {
  const int64_t s = static_cast<int64_t>(seconds + 0.5);
  return absl::StrFormat("%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
}

// One progress line: a bar, rows, rows/s (over the last interval and the
// whole run) and the time left at the whole run's pace.
std::string ProgressLine(int64_t done, int64_t total, int64_t orgs_done, int orgs, double elapsed,
                         double recent_rate) {
  constexpr int kWidth = 30;
  const double fraction = total > 0 ? std::min(1.0, static_cast<double>(done) / total) : 1.0;
  const int filled = static_cast<int>(fraction * kWidth);
  const double rate = elapsed > 0 ? done / elapsed : 0;
  const std::string eta = rate > 0 && done < total ? Clock((total - done) / rate) : "-";
  return absl::StrFormat(
      "[%s%s] %5.1f%%  %s/%s rows  %s/%s orgs  %s rows/s (now %s)  elapsed %s  ETA %s",
      std::string(filled, '#'), std::string(kWidth - filled, '.'), 100 * fraction, Thousands(done),
      Thousands(total), Thousands(orgs_done), Thousands(orgs),
      Thousands(static_cast<int64_t>(rate)), Thousands(static_cast<int64_t>(recent_rate)),
      Clock(elapsed), eta);
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage("loads a made-up province through the services' public RPCs");
  absl::ParseCommandLine(argc, argv);
  ProvinceShape shape;
  shape.orgs = absl::GetFlag(FLAGS_orgs);
  shape.years = absl::GetFlag(FLAGS_years);
  shape.last_year = absl::GetFlag(FLAGS_last_year);
  shape.seed = absl::GetFlag(FLAGS_seed);
  shape.sessions_per_year = absl::GetFlag(FLAGS_sessions_per_year);
  shape.events_per_year = absl::GetFlag(FLAGS_events_per_year);
  shape.powers = absl::GetFlag(FLAGS_powers);
  shape.officers = absl::GetFlag(FLAGS_officers);
  shape.posts = absl::GetFlag(FLAGS_posts);
  const int first = absl::GetFlag(FLAGS_first_org);
  const int jobs = std::max(1, absl::GetFlag(FLAGS_jobs));
  if (shape.orgs < 1 || shape.years < 1 || first < 1 || shape.posts > 9 || shape.officers < 1 ||
      shape.sessions_per_year < 0 || shape.events_per_year < 1) {
    std::cerr << "fazhi-generate: need --orgs, --years, --first_org, --officers, --events_per_year "
                 ">= 1 and "
                 "--posts <= 9\n";
    return 2;
  }

  Progress progress;
  Loader loader(shape, jobs, &progress);
  // What this run sends (organizations first_org … first_org + orgs - 1).
  const fazhi::bench::ProvinceCounts counts = fazhi::bench::CountsOf(shape);
  int64_t total = 0;
  if (loader.loads_report()) total += counts.organizations + counts.reports;
  if (loader.loads_study()) total += counts.plans + counts.sessions + counts.events;
  if (loader.loads_duty()) total += counts.posts + counts.powers + counts.officers;

  // Each service's share of the organizations goes through workers of its
  // own, as a county's separate systems (study records, enforcement, the
  // report office) would each load theirs: an organization's three shares
  // are loaded at once, and the slowest service sets the pace instead of
  // the sum of all three. An organization is done when all its shares are.
  const std::vector<Loader::Share> shares = loader.shares();
  std::unique_ptr<std::atomic<int>[]> shares_left(new std::atomic<int>[shape.orgs]);
  for (int i = 0; i < shape.orgs; ++i) shares_left[i] = static_cast<int>(shares.size());
  const absl::Time start = absl::Now();
  std::vector<std::atomic<int>> next(shares.size());
  for (auto& n : next) n = 0;
  std::atomic<bool> failed{false};
  std::mutex error_mutex;
  std::string first_error;
  std::vector<std::thread> workers;
  for (size_t s = 0; s < shares.size(); ++s) {
    for (int job = 0; job < jobs; ++job) {
      workers.emplace_back([&, s, job] {
        for (int i = next[s]++; i < shape.orgs && !failed; i = next[s]++) {
          absl::Status status = loader.LoadShare(shares[s], job, first + i);
          if (!status.ok()) {
            std::lock_guard<std::mutex> lock(error_mutex);
            if (first_error.empty()) first_error = std::string(status.message());
            failed = true;
          } else if (--shares_left[i] == 0) {
            ++progress.orgs_done;
          }
        }
      });
    }
  }

  // Progress: redrawn in place on a terminal, a line every 10 s otherwise.
  const bool tty = isatty(STDERR_FILENO) != 0;
  std::atomic<bool> finished{false};
  std::thread reporter([&] {
    int64_t last_rows = 0;
    absl::Time last = start;
    absl::Time last_line = start;
    while (!finished) {
      absl::SleepFor(absl::Milliseconds(500));
      if (finished) break;  // the final line follows
      const absl::Time now = absl::Now();
      if (!tty && now - last_line < absl::Seconds(10)) continue;
      const int64_t rows = progress.rows;
      const double recent = (rows - last_rows) / std::max(1e-9, absl::ToDoubleSeconds(now - last));
      last_rows = rows;
      last = now;
      last_line = now;
      const std::string line = ProgressLine(rows, total, progress.orgs_done, shape.orgs,
                                            absl::ToDoubleSeconds(now - start), recent);
      std::fprintf(stderr, tty ? "\r%s" : "%s\n", line.c_str());
      std::fflush(stderr);
    }
  });
  for (auto& w : workers) w.join();
  finished = true;
  reporter.join();
  const double elapsed = absl::ToDoubleSeconds(absl::Now() - start);
  const int64_t rows = progress.rows;
  std::fprintf(stderr, tty ? "\r%s\n" : "%s\n",
               ProgressLine(rows, total, progress.orgs_done, shape.orgs, elapsed,
                            rows / std::max(1e-9, elapsed))
                   .c_str());
  if (failed) {
    std::cerr << "fazhi-generate: " << first_error << "\n";
    return 1;
  }

  std::printf(
      "loaded %s organizations (%d-%d), years %d-%d, seed %llu: %s rows in %s (%s rows/s)%s\n",
      Thousands(shape.orgs).c_str(), first, first + shape.orgs - 1, shape.first_year(),
      shape.last_year, static_cast<unsigned long long>(shape.seed), Thousands(rows).c_str(),
      Clock(elapsed).c_str(),
      Thousands(static_cast<int64_t>(rows / std::max(1e-9, elapsed))).c_str(),
      progress.skipped > 0
          ? absl::StrCat(" (", Thousands(progress.skipped), " already there)").c_str()
          : "");
  std::printf("  report: %s organizations, %s reports\n", Thousands(counts.organizations).c_str(),
              Thousands(counts.reports).c_str());
  std::printf("  study:  %s plans, %s sessions, %s publicity events\n",
              Thousands(counts.plans).c_str(), Thousands(counts.sessions).c_str(),
              Thousands(counts.events).c_str());
  std::printf("  duty:   %s posts, %s powers, %s officers%s\n", Thousands(counts.posts).c_str(),
              Thousands(counts.powers).c_str(), Thousands(counts.officers).c_str(),
              absl::GetFlag(FLAGS_allocate) ? ", duties allocated" : "");
  if (const std::string path = absl::GetFlag(FLAGS_json_out); !path.empty()) {
    nlohmann::ordered_json json = {
        {"orgs", shape.orgs},          {"years", shape.years},
        {"seed", shape.seed},          {"rows", rows},
        {"seconds", elapsed},          {"rows_per_second", rows / std::max(1e-9, elapsed)},
        {"sessions", counts.sessions}, {"events", counts.events},
        {"powers", counts.powers},     {"officers", counts.officers}};
    std::ofstream(path) << json.dump(2) << "\n";
  }
  return 0;
}
