// fazhi-province-bench: two measurements at province scale, each a ratio
// measured in one run (scripts/bench-province.sh runs both).
//
// --mode=import: rows/s of the ImportSessions RPC into an empty study
// service against the database's own fastest load of the very same rows.
// The rows (one organization's sessions, --rows of them, made by
// tests/bench/province_data) are serialized before the clock starts and
// streamed over --streams concurrent calls of --batch_rows rows a message.
// Then the rows the service stored are read back from its database and
// loaded into an empty copy of the schema (the study migrations) by the
// database alone: SQLite, one transaction of one prepared INSERT stepped for
// every row, with the service's WAL and synchronous=FULL; PostgreSQL, COPY
// FROM STDIN. Only the load is timed.
//
//   fazhi-province-bench --mode=import --target=127.0.0.1:7101
//       --service_db=sqlite:study.db --native_db=sqlite:native.db --rows=1000000
//
// --mode=list: ListSessions pages at the end of a long list against pages at
// its start. It walks the organization's whole list (--walk_page_size rows
// a page), timing every page, and keeps the token of the last full page;
// then it asks for the first page and for that last page in alternation,
// --rounds times, at page sizes 50 (the default) and 1000 (the largest).
// Keyset pagination makes both cost the same; an OFFSET would make the end
// cost the whole list.
//
//   fazhi-province-bench --mode=list --target=127.0.0.1:7101 --org=c001-minzheng

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/impl/codegen/sync_stream.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "fazhi/study/v1/study.grpc.pb.h"
#include "nlohmann/json.hpp"
#include "services/common/sql/database.h"
#include "services/common/sql/migrations.h"
#include "services/common/status_macros.h"
#include "services/study/sql_study_store.h"
#include "tests/bench/bench_client.h"
#include "tests/bench/province_data.h"

ABSL_FLAG(std::string, mode, "import", "import or list");
ABSL_FLAG(std::string, target, "127.0.0.1:7101", "study service address");
ABSL_FLAG(std::string, service_db, "",
          "import: the database URL the study service at --target uses");
ABSL_FLAG(std::string, native_db, "", "import: an empty database for the database's own load");
ABSL_FLAG(int64_t, rows, 1000000, "import: sessions to import");
ABSL_FLAG(int, org, 1, "import: index of the organization the rows belong to");
ABSL_FLAG(int, years, 5, "import: years the rows spread over");
ABSL_FLAG(uint64_t, seed, 1, "import: data seed");
ABSL_FLAG(int, streams, 2, "import: concurrent ImportSessions calls");
ABSL_FLAG(int, batch_rows, 1000, "import: rows per message (one transaction each)");
ABSL_FLAG(std::string, list_org, "c001-minzheng",
          "list: organization slug whose sessions are listed");
ABSL_FLAG(int, walk_page_size, 1000, "list: page size of the walk through the whole list");
ABSL_FLAG(int, rounds, 200, "list: calls of each series");
ABSL_FLAG(std::string, json_out, "", "also write the figures to this file as JSON");

namespace {

namespace study = fazhi::study::v1;
using fazhi::bench::PrepareCall;

std::string Thousands(int64_t n) {
  std::string digits = absl::StrCat(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

double Mean(const std::vector<double>& v, size_t from, size_t to) {
  to = std::min(to, v.size());
  if (from >= to) return 0;
  return std::accumulate(v.begin() + from, v.begin() + to, 0.0) / (to - from);
}

// ---------------------------------------------------------------------------
// Import.

// The study ImportSessions method, written with pre-serialized messages.
std::unique_ptr<grpc::ClientWriter<grpc::ByteBuffer>> OpenImport(
    grpc::Channel* channel, grpc::ClientContext* context, fazhi::type::v1::ImportReport* report) {
  static const auto* method = new grpc::internal::RpcMethod(
      "/fazhi.study.v1.StudyService/ImportSessions", grpc::internal::RpcMethod::CLIENT_STREAMING);
  return std::unique_ptr<grpc::ClientWriter<grpc::ByteBuffer>>(
      grpc::internal::ClientWriterFactory<grpc::ByteBuffer>::Create(channel, *method, context,
                                                                    report));
}

grpc::ByteBuffer Serialize(const google::protobuf::Message& message) {
  const std::string bytes = message.SerializeAsString();
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

struct Load {
  int64_t rows = 0;
  double seconds = 0;
  double rate() const { return seconds > 0 ? rows / seconds : 0; }
};

// Streams the batches over `streams` calls; every row must be stored.
absl::StatusOr<Load> ImportThroughRpc(const std::string& target,
                                      std::vector<std::vector<grpc::ByteBuffer>> per_stream,
                                      int64_t rows) {
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (size_t i = 0; i < per_stream.size(); ++i)
    channels.push_back(fazhi::bench::Connect(target, static_cast<int>(i)));
  for (auto& c : channels)
    c->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(10));
  std::vector<std::string> errors(per_stream.size());
  std::vector<int64_t> stored(per_stream.size(), 0);
  const absl::Time start = absl::Now();
  std::vector<std::thread> threads;
  for (size_t i = 0; i < per_stream.size(); ++i) {
    threads.emplace_back([&, i] {
      grpc::ClientContext context;
      PrepareCall(context, absl::Hours(2));
      fazhi::type::v1::ImportReport report;
      auto writer = OpenImport(channels[i].get(), &context, &report);
      for (const grpc::ByteBuffer& message : per_stream[i]) {
        if (!writer->Write(message)) break;
      }
      writer->WritesDone();
      const grpc::Status status = writer->Finish();
      if (!status.ok()) {
        errors[i] = fazhi::bench::Describe(status);
      } else if (report.rows_rejected() > 0) {
        errors[i] = absl::StrCat(report.rows_rejected(),
                                 " rows rejected, first: ", report.results(0).message());
      }
      stored[i] = report.rows_stored();
    });
  }
  for (auto& t : threads) t.join();
  Load load;
  load.seconds = absl::ToDoubleSeconds(absl::Now() - start);
  for (size_t i = 0; i < errors.size(); ++i) {
    if (!errors[i].empty()) return absl::InternalError(absl::StrCat("ImportSessions: ", errors[i]));
    load.rows += stored[i];
  }
  if (load.rows != rows)
    return absl::InternalError(absl::StrCat(load.rows, " of ", rows, " rows stored"));
  return load;
}

absl::Status Migrate(const std::string& url) {
  ASSIGN_OR_RETURN(auto db, fazhi::sql::CreateDatabase(url));
  RETURN_IF_ERROR(db->Open());
  return fazhi::sql::ApplyMigrations(*db, fazhi::study::Migrations());
}

std::string SqlitePath(const std::string& url) { return url.substr(std::string("sqlite:").size()); }

absl::Status SqliteCheck(sqlite3* db, int rc, absl::string_view what) {
  if (rc == SQLITE_OK || rc == SQLITE_DONE || rc == SQLITE_ROW) return absl::OkStatus();
  return absl::InternalError(absl::StrCat(what, ": ", sqlite3_errmsg(db)));
}

using SqliteValue = std::variant<std::monostate, int64_t, double, std::string>;

// The org's stored session rows, every column, in the order they were stored.
absl::StatusOr<std::vector<std::vector<SqliteValue>>> ReadSqliteRows(const std::string& path,
                                                                     const std::string& org) {
  sqlite3* db = nullptr;
  std::unique_ptr<sqlite3, decltype(&sqlite3_close)> closer(nullptr, &sqlite3_close);
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  closer.reset(db);
  RETURN_IF_ERROR(SqliteCheck(db, rc, "open"));
  sqlite3_stmt* stmt = nullptr;
  RETURN_IF_ERROR(
      SqliteCheck(db,
                  sqlite3_prepare_v2(db, "SELECT * FROM sessions WHERE org = ? ORDER BY rowid", -1,
                                     &stmt, nullptr),
                  "prepare"));
  sqlite3_bind_text(stmt, 1, org.c_str(), -1, SQLITE_TRANSIENT);
  std::vector<std::vector<SqliteValue>> rows;
  const int columns = sqlite3_column_count(stmt);
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    std::vector<SqliteValue> row;
    row.reserve(columns);
    for (int c = 0; c < columns; ++c) {
      switch (sqlite3_column_type(stmt, c)) {
        case SQLITE_INTEGER:
          row.emplace_back(static_cast<int64_t>(sqlite3_column_int64(stmt, c)));
          break;
        case SQLITE_FLOAT:
          row.emplace_back(sqlite3_column_double(stmt, c));
          break;
        case SQLITE_NULL:
          row.emplace_back(std::monostate{});
          break;
        default:
          row.emplace_back(std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, c)),
                                       sqlite3_column_bytes(stmt, c)));
      }
    }
    rows.push_back(std::move(row));
  }
  sqlite3_finalize(stmt);
  RETURN_IF_ERROR(SqliteCheck(db, rc, "read"));
  return rows;
}

// One transaction of one prepared INSERT, with the service's durability.
absl::StatusOr<Load> SqliteNativeLoad(const std::string& path,
                                      const std::vector<std::vector<SqliteValue>>& rows) {
  if (rows.empty()) return absl::InvalidArgumentError("no rows");
  sqlite3* db = nullptr;
  std::unique_ptr<sqlite3, decltype(&sqlite3_close)> closer(nullptr, &sqlite3_close);
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr);
  closer.reset(db);
  RETURN_IF_ERROR(SqliteCheck(db, rc, "open"));
  RETURN_IF_ERROR(SqliteCheck(db,
                              sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
                                           nullptr, nullptr, nullptr),
                              "pragma"));
  std::string sql = "INSERT INTO sessions VALUES (";
  for (size_t c = 0; c < rows[0].size(); ++c) absl::StrAppend(&sql, c ? ", ?" : "?");
  sql += ")";
  const absl::Time start = absl::Now();
  RETURN_IF_ERROR(
      SqliteCheck(db, sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), "begin"));
  sqlite3_stmt* stmt = nullptr;
  RETURN_IF_ERROR(
      SqliteCheck(db, sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), "prepare"));
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size(); ++c) {
      const int i = static_cast<int>(c) + 1;
      const SqliteValue& v = row[c];
      if (const auto* n = std::get_if<int64_t>(&v)) {
        sqlite3_bind_int64(stmt, i, *n);
      } else if (const auto* d = std::get_if<double>(&v)) {
        sqlite3_bind_double(stmt, i, *d);
      } else if (const auto* s = std::get_if<std::string>(&v)) {
        sqlite3_bind_text64(stmt, i, s->data(), s->size(), SQLITE_STATIC, SQLITE_UTF8);
      } else {
        sqlite3_bind_null(stmt, i);
      }
    }
    rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    if (rc != SQLITE_DONE) {
      sqlite3_finalize(stmt);
      return SqliteCheck(db, rc, "insert");
    }
  }
  sqlite3_finalize(stmt);
  RETURN_IF_ERROR(SqliteCheck(db, sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), "commit"));
  Load load;
  load.seconds = absl::ToDoubleSeconds(absl::Now() - start);
  load.rows = static_cast<int64_t>(rows.size());
  return load;
}

using PgConn = std::unique_ptr<PGconn, decltype(&PQfinish)>;

absl::StatusOr<PgConn> PgConnect(const std::string& url) {
  PgConn conn(PQconnectdb(url.c_str()), &PQfinish);
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    return absl::UnavailableError(absl::StrCat("connect: ", PQerrorMessage(conn.get())));
  }
  return conn;
}

absl::Status PgResult(PGconn* conn, PGresult* result, ExecStatusType want, absl::string_view what) {
  const bool ok = PQresultStatus(result) == want;
  std::string message = ok ? "" : absl::StrCat(what, ": ", PQerrorMessage(conn));
  PQclear(result);
  return ok ? absl::OkStatus() : absl::InternalError(message);
}

// The org's stored rows in COPY text format, one line each.
absl::StatusOr<std::vector<std::string>> ReadPgRows(const std::string& url,
                                                    const std::string& org) {
  ASSIGN_OR_RETURN(PgConn conn, PgConnect(url));
  std::string escaped(org.size() * 2 + 1, '\0');
  escaped.resize(PQescapeStringConn(conn.get(), escaped.data(), org.c_str(), org.size(), nullptr));
  RETURN_IF_ERROR(PgResult(
      conn.get(),
      PQexec(conn.get(),
             absl::StrCat("COPY (SELECT * FROM sessions WHERE org = '", escaped, "') TO STDOUT")
                 .c_str()),
      PGRES_COPY_OUT, "copy out"));
  std::vector<std::string> lines;
  char* buffer = nullptr;
  int n;
  while ((n = PQgetCopyData(conn.get(), &buffer, 0)) > 0) {
    lines.emplace_back(buffer, n);
    PQfreemem(buffer);
  }
  RETURN_IF_ERROR(PgResult(conn.get(), PQgetResult(conn.get()), PGRES_COMMAND_OK, "copy out end"));
  return lines;
}

// COPY FROM STDIN, in one transaction (the statement's own).
absl::StatusOr<Load> PgNativeLoad(const std::string& url, const std::vector<std::string>& lines) {
  ASSIGN_OR_RETURN(PgConn conn, PgConnect(url));
  const absl::Time start = absl::Now();
  RETURN_IF_ERROR(PgResult(conn.get(), PQexec(conn.get(), "COPY sessions FROM STDIN"),
                           PGRES_COPY_IN, "copy in"));
  std::string chunk;
  for (const std::string& line : lines) {
    chunk += line;
    if (chunk.size() > (1 << 20)) {
      if (PQputCopyData(conn.get(), chunk.data(), static_cast<int>(chunk.size())) != 1) {
        return absl::InternalError(absl::StrCat("copy data: ", PQerrorMessage(conn.get())));
      }
      chunk.clear();
    }
  }
  if (!chunk.empty() &&
      PQputCopyData(conn.get(), chunk.data(), static_cast<int>(chunk.size())) != 1) {
    return absl::InternalError(absl::StrCat("copy data: ", PQerrorMessage(conn.get())));
  }
  if (PQputCopyEnd(conn.get(), nullptr) != 1) return absl::InternalError("copy end");
  RETURN_IF_ERROR(PgResult(conn.get(), PQgetResult(conn.get()), PGRES_COMMAND_OK, "copy in end"));
  Load load;
  load.seconds = absl::ToDoubleSeconds(absl::Now() - start);
  load.rows = static_cast<int64_t>(lines.size());
  return load;
}

int RunImport() {
  const std::string service_db = absl::GetFlag(FLAGS_service_db);
  const std::string native_db = absl::GetFlag(FLAGS_native_db);
  if (service_db.empty() || native_db.empty() ||
      absl::StartsWith(service_db, "sqlite:") != absl::StartsWith(native_db, "sqlite:")) {
    std::cerr << "fazhi-province-bench: --mode=import needs --service_db and --native_db of the "
                 "same kind\n";
    return 2;
  }
  const bool sqlite = absl::StartsWith(service_db, "sqlite:");
  const int64_t rows = absl::GetFlag(FLAGS_rows);
  const int streams = std::max(1, absl::GetFlag(FLAGS_streams));
  const int batch = std::clamp(absl::GetFlag(FLAGS_batch_rows), 1, 1000);
  fazhi::bench::ProvinceShape shape;
  shape.orgs = 1;
  shape.years = std::max(1, absl::GetFlag(FLAGS_years));
  shape.seed = absl::GetFlag(FLAGS_seed);
  shape.sessions_per_year = static_cast<int>((rows + shape.years - 1) / shape.years);
  const int org = absl::GetFlag(FLAGS_org);
  const std::string parent = fazhi::bench::OrgName(org);

  // The messages, serialized before the clock starts; stream i gets a
  // contiguous share of them.
  const absl::Time made_from = absl::Now();
  std::vector<std::vector<grpc::ByteBuffer>> per_stream(streams);
  int64_t made = 0, message_count = 0;
  uint64_t bytes = 0;
  const int64_t messages_total = (rows + batch - 1) / batch;
  study::ImportSessionsRequest request;
  auto flush = [&] {
    if (request.sessions_size() == 0) return;
    request.set_parent(parent);
    const size_t stream = static_cast<size_t>(message_count * streams / messages_total);
    grpc::ByteBuffer message = Serialize(request);
    bytes += message.Length();
    per_stream[std::min(stream, per_stream.size() - 1)].push_back(std::move(message));
    ++message_count;
    request.Clear();
  };
  for (int year = shape.first_year(); year <= shape.last_year && made < rows; ++year) {
    for (auto& s : fazhi::bench::MakeSessions(shape, org, year)) {
      if (made == rows) break;
      *request.add_sessions() = std::move(s);
      ++made;
      if (request.sessions_size() == batch) flush();
    }
  }
  flush();
  std::printf(
      "== import: %s sessions of %s (%s MB serialized, %.0f B a row), %d streams of %d-row "
      "messages; "
      "made in %.1f s\n",
      Thousands(made).c_str(), parent.c_str(), Thousands(static_cast<int64_t>(bytes >> 20)).c_str(),
      static_cast<double>(bytes) / std::max<int64_t>(1, made), streams, batch,
      absl::ToDoubleSeconds(absl::Now() - made_from));
  std::fflush(stdout);

  absl::StatusOr<Load> rpc =
      ImportThroughRpc(absl::GetFlag(FLAGS_target), std::move(per_stream), made);
  if (!rpc.ok()) {
    std::cerr << "fazhi-province-bench: " << rpc.status() << "\n";
    return 1;
  }
  std::printf("   ImportSessions RPC:            %s rows in %7.1f s = %8s rows/s\n",
              Thousands(rpc->rows).c_str(), rpc->seconds,
              Thousands(static_cast<int64_t>(rpc->rate())).c_str());
  std::fflush(stdout);

  if (absl::Status s = Migrate(native_db); !s.ok()) {
    std::cerr << "fazhi-province-bench: migrating " << native_db << ": " << s << "\n";
    return 1;
  }
  absl::StatusOr<Load> native;
  std::string how;
  const std::string slug = fazhi::bench::OrgSlug(org);
  if (sqlite) {
    auto stored = ReadSqliteRows(SqlitePath(service_db), slug);
    if (!stored.ok()) {
      std::cerr << "fazhi-province-bench: reading the stored rows: " << stored.status() << "\n";
      return 1;
    }
    native = SqliteNativeLoad(SqlitePath(native_db), *stored);
    how = "SQLite, 1 transaction of prepared INSERTs";
  } else {
    auto stored = ReadPgRows(service_db, slug);
    if (!stored.ok()) {
      std::cerr << "fazhi-province-bench: reading the stored rows: " << stored.status() << "\n";
      return 1;
    }
    native = PgNativeLoad(native_db, *stored);
    how = "PostgreSQL COPY FROM STDIN";
  }
  if (!native.ok()) {
    std::cerr << "fazhi-province-bench: native load: " << native.status() << "\n";
    return 1;
  }
  if (native->rows != rpc->rows) {
    std::cerr << "fazhi-province-bench: the database holds " << native->rows << " rows, not "
              << rpc->rows << "\n";
    return 1;
  }
  std::printf("   %-31s%s rows in %7.1f s = %8s rows/s\n", (how + ":").c_str(),
              Thousands(native->rows).c_str(), native->seconds,
              Thousands(static_cast<int64_t>(native->rate())).c_str());
  const double ratio = rpc->rate() / native->rate();
  std::printf("   ratio ImportSessions RPC / %s: %.2f\n", sqlite ? "SQLite's own load" : "COPY",
              ratio);
  if (const std::string path = absl::GetFlag(FLAGS_json_out); !path.empty()) {
    nlohmann::ordered_json json = {{"rows", rpc->rows},
                                   {"streams", streams},
                                   {"batch_rows", batch},
                                   {"rpc_seconds", rpc->seconds},
                                   {"rpc_rows_per_second", rpc->rate()},
                                   {"native", how},
                                   {"native_seconds", native->seconds},
                                   {"native_rows_per_second", native->rate()},
                                   {"ratio", ratio}};
    std::ofstream(path) << json.dump(2) << "\n";
  }
  return 0;
}

// ---------------------------------------------------------------------------
// List.

struct Page {
  double micros = 0;
  int rows = 0;
  std::string next;
};

absl::StatusOr<Page> ListPage(study::StudyService::Stub& stub, const std::string& parent, int size,
                              const std::string& token) {
  grpc::ClientContext context;
  PrepareCall(context);
  study::ListSessionsRequest request;
  request.set_parent(parent);
  request.set_page_size(size);
  request.set_page_token(token);
  study::ListSessionsResponse response;
  const absl::Time start = absl::Now();
  const grpc::Status status = stub.ListSessions(&context, request, &response);
  Page page;
  page.micros = absl::ToDoubleMicroseconds(absl::Now() - start);
  if (!status.ok())
    return absl::InternalError(absl::StrCat("ListSessions: ", fazhi::bench::Describe(status)));
  page.rows = response.sessions_size();
  page.next = response.next_page_token();
  return page;
}

int RunList() {
  const std::string parent = absl::StrCat("orgs/", absl::GetFlag(FLAGS_list_org));
  const int walk_size = std::clamp(absl::GetFlag(FLAGS_walk_page_size), 1, 1000);
  const int rounds = std::max(1, absl::GetFlag(FLAGS_rounds));
  auto stub = study::StudyService::NewStub(fazhi::bench::Connect(absl::GetFlag(FLAGS_target)));

  // The walk: every page once, in order.
  std::vector<double> walk;
  std::string token, last_full_token;
  int64_t rows = 0, last_full_from = 0;
  const absl::Time start = absl::Now();
  do {
    auto page = ListPage(*stub, parent, walk_size, token);
    if (!page.ok()) {
      std::cerr << "fazhi-province-bench: " << page.status() << "\n";
      return 1;
    }
    walk.push_back(page->micros);
    rows += page->rows;
    if (page->rows == walk_size && !token.empty()) {
      last_full_token = token;
      last_full_from = rows - page->rows;
    }
    token = page->next;
  } while (!token.empty());
  const double walk_seconds = absl::ToDoubleSeconds(absl::Now() - start);
  std::printf("== list: %s holds %s sessions: walked in %s pages of %d in %.1f s\n", parent.c_str(),
              Thousands(rows).c_str(), Thousands(static_cast<int64_t>(walk.size())).c_str(),
              walk_size, walk_seconds);
  std::printf("   mean page time: first 10 pages %.0f us, last 10 pages %.0f us (ratio %.2f)\n",
              Mean(walk, 0, 10), Mean(walk, walk.size() > 10 ? walk.size() - 10 : 0, walk.size()),
              Mean(walk, walk.size() > 10 ? walk.size() - 10 : 0, walk.size()) /
                  std::max(1.0, Mean(walk, 0, 10)));
  if (last_full_token.empty()) {
    std::cerr << "fazhi-province-bench: the list is too short for a page at its end\n";
    return 1;
  }

  nlohmann::ordered_json json = {{"org", parent},
                                 {"rows", rows},
                                 {"walk_pages", walk.size()},
                                 {"walk_seconds", walk_seconds},
                                 {"end_page_from_row", last_full_from}};
  // The start and the end in alternation, so a busy machine slows both alike.
  for (int size : {50, 1000}) {
    std::vector<double> first, last;
    for (int r = 0; r < rounds + 5; ++r) {
      auto a = ListPage(*stub, parent, size, "");
      auto b = ListPage(*stub, parent, size, last_full_token);
      if (!a.ok() || !b.ok()) {
        std::cerr << "fazhi-province-bench: " << (a.ok() ? b.status() : a.status()) << "\n";
        return 1;
      }
      if (r < 5) continue;  // warm-up
      first.push_back(a->micros);
      last.push_back(b->micros);
    }
    const double p50_first = Median(first), p50_last = Median(last);
    std::printf(
        "   page of %4d rows: from row 0 p50 %7.0f us, from row %s p50 %7.0f us: ratio end/start "
        "%.2f\n",
        size, p50_first, Thousands(last_full_from).c_str(), p50_last, p50_last / p50_first);
    json[absl::StrCat("page_", size)] = {
        {"first_p50_us", p50_first}, {"end_p50_us", p50_last}, {"ratio", p50_last / p50_first}};
  }
  if (const std::string path = absl::GetFlag(FLAGS_json_out); !path.empty()) {
    std::ofstream(path) << json.dump(2) << "\n";
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage("bulk import and list pagination at province scale");
  absl::ParseCommandLine(argc, argv);
  const std::string mode = absl::GetFlag(FLAGS_mode);
  if (mode == "import") return RunImport();
  if (mode == "list") return RunList();
  std::cerr << "fazhi-province-bench: --mode is import or list\n";
  return 2;
}
