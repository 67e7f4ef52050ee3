// fazhi-grpc-echo: the bare echo service on gRPC's own API, with none of the
// project's runtime (no CallHandler, store, authentication, metrics or log
// line). The ceiling that scripts/bench-load.sh sets the services against.
//
//   fazhi-grpc-echo --listen=127.0.0.1:7198 [--api=callback|sync|async]
//
// --api=sync serves the same answer from the synchronous API, and
// --api=async from the asynchronous one, each of --threads threads polling
// a completion queue of its own and running the calls it finds there, so
// the server APIs can be compared with nothing else different.
//
// With --api=callback it also serves study's CreateSession and GetSession
// the bare way: CreateSession keeps the session it is sent in memory (named
// and stamped as the study service would), GetSession answers that copy.
// The same answer as study's, with no store and no runtime: fazhi-loadgen's
// study.GetSession against it shows what the answer's shape alone costs.
//
// With --sqlite=FILE the session is kept in SQLite instead, and GetSession
// reads it from there at the cheapest a read through SQLite can be: the
// serialized answer in one column of a WITHOUT ROWID table keyed by the
// name, one connection and prepared statement per thread (no lock of this
// program, no pool), parsed straight into the answer. What a store read
// costs a server with nothing else around it.

#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>
#include <signal.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <iostream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "fazhi/study/v1/study.grpc.pb.h"
#include "fazhi/testing/v1/echo.grpc.pb.h"
#include "google/protobuf/util/time_util.h"
#include "services/common/resource.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:7198", "address to serve on (plaintext)");
ABSL_FLAG(std::string, api, "callback", "callback, sync or async");
ABSL_FLAG(std::string, sqlite, "",
          "--api=callback: keep study's session in this SQLite file, not in memory");
ABSL_FLAG(int, work_us, 0,
          "--api=callback: microseconds each Echo spends on the CPU before it answers, "
          "standing for a handler's own work (scripts/bench-handler-cost.sh)");
ABSL_FLAG(int, threads, 0,
          "--api=async: threads, each with its own completion queue (0: one a core)");

namespace {

namespace echo = fazhi::testing::v1;
namespace study = fazhi::study::v1;

class CallbackEcho final : public echo::EchoService::CallbackService {
 public:
  explicit CallbackEcho(absl::Duration work) : work_(work) {}

 private:
  grpc::ServerUnaryReactor* Echo(grpc::CallbackServerContext* context,
                                 const echo::EchoRequest* request,
                                 echo::EchoResponse* response) override {
    if (work_ > absl::ZeroDuration()) {
      // Busy, not asleep: a handler's work holds its thread and a core.
      const absl::Time until = absl::Now() + work_;
      while (absl::Now() < until) {
      }
    }
    response->set_message(request->message());
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }

  const absl::Duration work_;
};

// Sessions in a SQLite file (--sqlite): written by one connection, each
// reading thread with a connection and statement of its own.
class SqliteSessions {
 public:
  explicit SqliteSessions(std::string path) : path_(std::move(path)) {}
  ~SqliteSessions() { sqlite3_close(writer_); }

  bool Open() {
    return sqlite3_open(path_.c_str(), &writer_) == SQLITE_OK &&
           sqlite3_exec(writer_,
                        "PRAGMA journal_mode=WAL;"
                        "CREATE TABLE IF NOT EXISTS sessions (name TEXT PRIMARY KEY, "
                        "answer BLOB NOT NULL) WITHOUT ROWID",
                        nullptr, nullptr, nullptr) == SQLITE_OK;
  }
  // One writer: the caller holds its lock.
  bool Put(const study::Session& session) {
    const std::string answer = session.SerializeAsString();
    sqlite3_stmt* put = nullptr;
    bool ok =
        sqlite3_prepare_v2(writer_, "INSERT OR REPLACE INTO sessions VALUES (?, ?)", -1, &put,
                           nullptr) == SQLITE_OK &&
        sqlite3_bind_text(put, 1, session.name().data(), static_cast<int>(session.name().size()),
                          SQLITE_TRANSIENT) == SQLITE_OK &&
        sqlite3_bind_blob(put, 2, answer.data(), static_cast<int>(answer.size()),
                          SQLITE_TRANSIENT) == SQLITE_OK &&
        sqlite3_step(put) == SQLITE_DONE;
    sqlite3_finalize(put);
    return ok;
  }
  // On any thread. NOT_FOUND when no session has the name.
  grpc::Status Get(const std::string& name, study::Session* out) {
    Reader& reader = ReaderForThisThread();
    if (reader.get == nullptr) return grpc::Status(grpc::StatusCode::INTERNAL, "cannot read");
    sqlite3_bind_text(reader.get, 1, name.data(), static_cast<int>(name.size()), SQLITE_STATIC);
    grpc::Status status(grpc::StatusCode::NOT_FOUND, "no such session");
    const int step = sqlite3_step(reader.get);
    if (step == SQLITE_ROW) {
      status = out->ParseFromArray(sqlite3_column_blob(reader.get, 0),
                                   sqlite3_column_bytes(reader.get, 0))
                   ? grpc::Status::OK
                   : grpc::Status(grpc::StatusCode::DATA_LOSS, "unreadable answer");
    } else if (step != SQLITE_DONE) {
      status = grpc::Status(grpc::StatusCode::INTERNAL, sqlite3_errmsg(reader.db));
    }
    sqlite3_reset(reader.get);
    return status;
  }

 private:
  struct Reader {
    sqlite3* db = nullptr;
    sqlite3_stmt* get = nullptr;
    ~Reader() {
      sqlite3_finalize(get);
      sqlite3_close(db);
    }
  };
  // The program has one SqliteSessions, so one reader a thread will do.
  Reader& ReaderForThisThread() {
    thread_local Reader reader;
    if (reader.db == nullptr &&
        sqlite3_open_v2(path_.c_str(), &reader.db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                        nullptr) == SQLITE_OK) {
      sqlite3_prepare_v3(reader.db, "SELECT answer FROM sessions WHERE name = ?", -1,
                         SQLITE_PREPARE_PERSISTENT, &reader.get, nullptr);
    }
    return reader;
  }

  const std::string path_;
  sqlite3* writer_ = nullptr;
};

// Study's two calls that fazhi-loadgen makes, without the study service.
class BareStudy final : public study::StudyService::CallbackService {
 public:
  explicit BareStudy(SqliteSessions* sqlite) : sqlite_(sqlite) {}

 private:
  grpc::ServerUnaryReactor* CreateSession(grpc::CallbackServerContext* context,
                                          const study::CreateSessionRequest* request,
                                          study::Session* response) override {
    auto session = std::make_unique<study::Session>(request->session());
    session->set_name(absl::StrCat(request->parent(), "/sessions/", fazhi::NewResourceId()));
    session->set_etag("W/\"1\"");
    // Microseconds, as the study service stores them.
    *session->mutable_create_time() =
        google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(absl::Now()));
    *session->mutable_update_time() = session->create_time();
    *response = *session;
    {
      std::lock_guard<std::mutex> lock(mu_);
      kept_.push_back(std::move(session));
      latest_.store(kept_.back().get());  // kept until exit: readers hold no lock
      if (sqlite_ != nullptr && !sqlite_->Put(*kept_.back())) {
        grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
        reactor->Finish(grpc::Status(grpc::StatusCode::INTERNAL, "cannot store the session"));
        return reactor;
      }
    }
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }

  grpc::ServerUnaryReactor* GetSession(grpc::CallbackServerContext* context,
                                       const study::GetSessionRequest* request,
                                       study::Session* response) override {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    if (sqlite_ != nullptr) {
      reactor->Finish(sqlite_->Get(request->name(), response));
      return reactor;
    }
    const study::Session* session = latest_.load();
    if (session == nullptr || session->name() != request->name()) {
      reactor->Finish(grpc::Status(grpc::StatusCode::NOT_FOUND, "no such session"));
    } else {
      *response = *session;
      reactor->Finish(grpc::Status::OK);
    }
    return reactor;
  }

  SqliteSessions* const sqlite_;  // null: the sessions are in memory only
  std::mutex mu_;
  std::vector<std::unique_ptr<study::Session>> kept_;
  std::atomic<const study::Session*> latest_{nullptr};
};

class SyncEcho final : public echo::EchoService::Service {
  grpc::Status Echo(grpc::ServerContext*, const echo::EchoRequest* request,
                    echo::EchoResponse* response) override {
    response->set_message(request->message());
    return grpc::Status::OK;
  }
};

// One call on the asynchronous API: asked for, answered, freed; each asks
// for the next call on its own queue as soon as it is handed one.
class AsyncCall {
 public:
  AsyncCall(echo::EchoService::AsyncService* service, grpc::ServerCompletionQueue* queue)
      : service_(service), queue_(queue), responder_(&context_) {
    service_->RequestEcho(&context_, &request_, &responder_, queue_, queue_, this);
  }
  // Advances on the completion of what was last started; ok false when the
  // call was cancelled or the queue is shutting down.
  void Proceed(bool ok) {
    if (answered_ || !ok) {
      delete this;
      return;
    }
    new AsyncCall(service_, queue_);
    response_.set_message(request_.message());
    answered_ = true;
    responder_.Finish(response_, grpc::Status::OK, this);
  }

 private:
  echo::EchoService::AsyncService* service_;
  grpc::ServerCompletionQueue* queue_;
  grpc::ServerContext context_;
  echo::EchoRequest request_;
  echo::EchoResponse response_;
  grpc::ServerAsyncResponseWriter<echo::EchoResponse> responder_;
  bool answered_ = false;
};

void ServeQueue(echo::EchoService::AsyncService* service, grpc::ServerCompletionQueue* queue) {
  new AsyncCall(service, queue);
  void* tag = nullptr;
  bool ok = false;
  while (queue->Next(&tag, &ok)) static_cast<AsyncCall*>(tag)->Proceed(ok);
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage("bare gRPC echo server for load baselines");
  absl::ParseCommandLine(argc, argv);
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  const std::string api = absl::GetFlag(FLAGS_api);
  std::unique_ptr<grpc::Service> service;
  std::unique_ptr<SqliteSessions> sqlite;
  if (const std::string path = absl::GetFlag(FLAGS_sqlite); !path.empty()) {
    // As the project's SQLite driver: no global lock around every allocation.
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    sqlite = std::make_unique<SqliteSessions>(path);
    if (!sqlite->Open()) {
      std::cerr << "fazhi-grpc-echo: cannot open " << path << "\n";
      return 1;
    }
  }
  BareStudy bare_study(sqlite.get());  // registered with the callback echo
  echo::EchoService::AsyncService* async = nullptr;
  if (api == "callback") {
    service = std::make_unique<CallbackEcho>(absl::Microseconds(absl::GetFlag(FLAGS_work_us)));
  } else if (api == "sync") {
    service = std::make_unique<SyncEcho>();
  } else if (api == "async") {
    auto owned = std::make_unique<echo::EchoService::AsyncService>();
    async = owned.get();
    service = std::move(owned);
  } else {
    std::cerr << "fazhi-grpc-echo: unknown --api " << api << "\n";
    return 2;
  }
  // For `fazhi wait-ready`, which asks the standard health service.
  grpc::EnableDefaultHealthCheckService(true);
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(absl::GetFlag(FLAGS_listen), grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(service.get());
  if (api == "callback") builder.RegisterService(&bare_study);
  std::vector<std::unique_ptr<grpc::ServerCompletionQueue>> queues;
  if (async != nullptr) {
    int threads = absl::GetFlag(FLAGS_threads);
    if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    for (int i = 0; i < threads; ++i) queues.push_back(builder.AddCompletionQueue());
  }
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    std::cerr << "fazhi-grpc-echo: cannot listen on " << absl::GetFlag(FLAGS_listen) << "\n";
    return 1;
  }
  std::vector<std::thread> pollers;
  for (auto& queue : queues) pollers.emplace_back(ServeQueue, async, queue.get());
  int signal = 0;
  sigwait(&signals, &signal);
  server->Shutdown();
  for (auto& queue : queues) queue->Shutdown();
  for (std::thread& poller : pollers) poller.join();
  return 0;
}
