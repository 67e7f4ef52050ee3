// What every SQL driver must do, run against SQLite and PostgreSQL.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <limits>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/common/sql/database.h"
#include "services/common/status_macros.h"
#include "tests/testing/test_database.h"

namespace fazhi::sql {
namespace {

using fazhi::testing::Driver;

class DatabaseContractTest : public ::testing::TestWithParam<Driver> {
 public:
  Database& db() { return test_->db(); }

  int64_t Scalar(const std::string& sql) {
    int64_t value = -1;
    EXPECT_TRUE(db().Transact(TxMode::kReadOnly,
                              [&](Transaction& tx) -> absl::Status {
                                ASSIGN_OR_RETURN(auto rows, tx.Query(sql));
                                value = rows.at(0).Int(0);
                                return absl::OkStatus();
                              })
                    .ok());
    return value;
  }

 protected:
  void SetUp() override {
    FAZHI_SETUP_TEST_DATABASE(GetParam(), test_);
    ASSERT_TRUE(
        db().Transact(
                TxMode::kReadWrite,
                [](Transaction& tx) {
                  return tx.ExecuteScript(
                      "CREATE TABLE t (k TEXT PRIMARY KEY, n BIGINT, d DOUBLE PRECISION, s TEXT)");
                })
            .ok());
  }

  std::vector<Row> Rows(const std::string& sql) {
    std::vector<Row> rows;
    EXPECT_TRUE(db().Transact(TxMode::kReadOnly,
                              [&](Transaction& tx) -> absl::Status {
                                ASSIGN_OR_RETURN(rows, tx.Query(sql));
                                return absl::OkStatus();
                              })
                    .ok());
    return rows;
  }

  std::unique_ptr<fazhi::testing::TestDatabase> test_;
};

TEST_P(DatabaseContractTest, BindsDollarParametersByNumberInAnyOrder) {
  ASSERT_TRUE(
      db().Transact(TxMode::kReadWrite,
                    [](Transaction& tx) {
                      return tx
                          .Execute("INSERT INTO t (s, k, n, d) VALUES ($3, $1, $2, $4)",
                                   {Value("key"), Value(int64_t{4}), Value("民法典"), Value(6.5)})
                          .status();
                    })
          .ok());
  std::vector<Row> rows;
  ASSERT_TRUE(db().Transact(TxMode::kReadOnly,
                            [&](Transaction& tx) -> absl::Status {
                              ASSIGN_OR_RETURN(
                                  rows,
                                  tx.Query("SELECT k, n, d, s, NULL FROM t WHERE k = $1 AND n = $2",
                                           {Value("key"), Value(int64_t{4})}));
                              return absl::OkStatus();
                            })
                  .ok());
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Text(0), "key");
  EXPECT_EQ(rows[0].Int(1), 4);
  EXPECT_DOUBLE_EQ(rows[0].Double(2), 6.5);
  EXPECT_EQ(rows[0].Text(3), "民法典");
  EXPECT_TRUE(rows[0].IsNull(4));
}

TEST_P(DatabaseContractTest, NullParametersAndChangedRowCounts) {
  absl::StatusOr<int64_t> changed;
  ASSERT_TRUE(
      db().Transact(
              TxMode::kReadWrite,
              [&](Transaction& tx) -> absl::Status {
                RETURN_IF_ERROR(
                    tx.Execute("INSERT INTO t (k, s) VALUES ('a', $1)", {Null()}).status());
                RETURN_IF_ERROR(tx.Execute("INSERT INTO t (k, s) VALUES ('b', 'x')").status());
                changed = tx.Execute("UPDATE t SET n = 1 WHERE s IS NULL OR s = $1", {Value("x")});
                return changed.status();
              })
          .ok());
  EXPECT_EQ(*changed, 2);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM t WHERE s IS NULL"), 1);
}

TEST_P(DatabaseContractTest, FailedBodyRollsBackEverything) {
  absl::Status status = db().Transact(TxMode::kReadWrite, [](Transaction& tx) -> absl::Status {
    RETURN_IF_ERROR(tx.Execute("INSERT INTO t (k) VALUES ('a')").status());
    RETURN_IF_ERROR(tx.Execute("INSERT INTO t (k) VALUES ('b')").status());
    return absl::InternalError("changed my mind");
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kInternal);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM t"), 0);
}

TEST_P(DatabaseContractTest, UniqueViolationIsAlreadyExistsAndRollsBack) {
  absl::Status status = db().Transact(TxMode::kReadWrite, [](Transaction& tx) -> absl::Status {
    RETURN_IF_ERROR(tx.Execute("INSERT INTO t (k) VALUES ('a')").status());
    return tx.Execute("INSERT INTO t (k) VALUES ('a')").status();
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM t"), 0);
}

TEST_P(DatabaseContractTest, AFailedStatementSpoilsTheTransaction) {
  // The same on both drivers, so code tested on SQLite cannot rely on
  // carrying on after an error that PostgreSQL would not allow.
  absl::Status later;
  absl::Status status = db().Transact(TxMode::kReadWrite, [&](Transaction& tx) -> absl::Status {
    RETURN_IF_ERROR(tx.Execute("INSERT INTO t (k) VALUES ('a')").status());
    EXPECT_FALSE(tx.Execute("INSERT INTO t (k) VALUES ('a')").ok());
    later = tx.Query("SELECT COUNT(*) FROM t").status();
    return absl::OkStatus();  // wrongly: commit must still fail or roll back
  });
  EXPECT_FALSE(later.ok());
  EXPECT_FALSE(status.ok());                       // the transaction reports the failure…
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM t"), 0);  // …and kept nothing
}

TEST_P(DatabaseContractTest, SingleReadRunsOneSelectAndRefusesAnythingElse) {
  ASSERT_TRUE(
      db().Transact(TxMode::kReadWrite,
                    [](Transaction& tx) {
                      return tx.Execute("INSERT INTO t (k, n) VALUES ('a', 1), ('b', 2)").status();
                    })
          .ok());
  std::vector<Row> rows;
  ASSERT_TRUE(db().Transact(TxMode::kSingleRead,
                            [&](Transaction& tx) -> absl::Status {
                              ASSIGN_OR_RETURN(
                                  rows, tx.Query("SELECT n FROM t WHERE k = $1", {Value("b")}));
                              return absl::OkStatus();
                            })
                  .ok());
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Int(0), 2);

  // A second statement would see another snapshot: refused.
  absl::Status second = db().Transact(TxMode::kSingleRead, [](Transaction& tx) -> absl::Status {
    RETURN_IF_ERROR(tx.Query("SELECT n FROM t").status());
    return tx.Query("SELECT k FROM t").status();
  });
  EXPECT_EQ(second.code(), absl::StatusCode::kFailedPrecondition) << second;
  // Writes, through Execute or a query that changes rows: refused, nothing changed.
  absl::Status write = db().Transact(TxMode::kSingleRead, [](Transaction& tx) {
    return tx.Execute("UPDATE t SET n = 9").status();
  });
  EXPECT_EQ(write.code(), absl::StatusCode::kFailedPrecondition) << write;
  absl::Status returning = db().Transact(TxMode::kSingleRead, [](Transaction& tx) {
    return tx.Query("DELETE FROM t RETURNING k").status();
  });
  EXPECT_EQ(returning.code(), absl::StatusCode::kFailedPrecondition) << returning;
  EXPECT_EQ(Scalar("SELECT SUM(n) FROM t"), 3);

  // A failed single read leaves the connection usable for the next caller.
  EXPECT_FALSE(db().Transact(TxMode::kSingleRead,
                             [](Transaction& tx) {
                               return tx.Query("SELECT no_such_column FROM t").status();
                             })
                   .ok());
  for (int i = 0; i < 8; ++i) {  // every pooled connection
    EXPECT_TRUE(db().Transact(TxMode::kSingleRead,
                              [](Transaction& tx) { return tx.Query("SELECT k FROM t").status(); })
                    .ok());
  }
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM t"), 2);
}

TEST_P(DatabaseContractTest, BadSqlIsAnErrorNotACrash) {
  absl::Status status = db().Transact(TxMode::kReadOnly, [](Transaction& tx) {
    return tx.Query("SELECT no_such_column FROM t").status();
  });
  EXPECT_FALSE(status.ok());
}

TEST_P(DatabaseContractTest, ConcurrentReadModifyWriteLosesNoUpdate) {
  // Each writer reads the counter and writes it back plus one. The drivers
  // must make that safe: SQLite by one writer at a time, PostgreSQL by
  // SERIALIZABLE transactions retried on conflict.
  ASSERT_TRUE(
      db().Transact(TxMode::kReadWrite,
                    [](Transaction& tx) {
                      return tx.Execute("INSERT INTO t (k, n) VALUES ('counter', 0)").status();
                    })
          .ok());
  constexpr int kThreads = 6, kIncrements = 15;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kIncrements; ++i) {
        absl::Status s = db().Transact(TxMode::kReadWrite, [](Transaction& tx) -> absl::Status {
          ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT n FROM t WHERE k = 'counter'"));
          return tx.Execute("UPDATE t SET n = $1 WHERE k = 'counter'", {Value(rows[0].Int(0) + 1)})
              .status();
        });
        if (!s.ok()) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(Scalar("SELECT n FROM t WHERE k = 'counter'"), kThreads * kIncrements);
}

TEST_P(DatabaseContractTest, ALongWriterIsNotStarvedByShortOnes) {
  // One long transaction (an import batch: reads what it matches, then
  // writes, slowly) among short writers that keep reading and writing the
  // same rows. On PostgreSQL the long one loses the serialization race
  // nearly every time; the driver must still get it through.
  ASSERT_TRUE(
      db().Transact(TxMode::kReadWrite,
                    [](Transaction& tx) {
                      return tx.Execute("INSERT INTO t (k, n) VALUES ('counter', 0)").status();
                    })
          .ok());
  std::atomic<bool> done{false};
  std::atomic<int> short_failures{0}, short_commits{0};
  std::vector<std::thread> writers;
  for (int t = 0; t < 3; ++t) {
    writers.emplace_back([&] {
      while (!done) {
        absl::Status s = db().Transact(TxMode::kReadWrite, [](Transaction& tx) -> absl::Status {
          ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT n FROM t WHERE k = 'counter'"));
          return tx.Execute("UPDATE t SET n = $1 WHERE k = 'counter'", {Value(rows[0].Int(0) + 1)})
              .status();
        });
        if (s.ok()) {
          ++short_commits;
        } else {
          ++short_failures;
        }
      }
    });
  }
  int attempts = 0;
  absl::Status long_one = db().Transact(TxMode::kReadWrite, [&](Transaction& tx) -> absl::Status {
    ++attempts;
    ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT n FROM t WHERE k = 'counter'"));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    RETURN_IF_ERROR(
        tx.Execute("UPDATE t SET n = $1 WHERE k = 'counter'", {Value(rows[0].Int(0) + 1000)})
            .status());
    return tx.Execute("INSERT INTO t (k, n) VALUES ('long', $1)", {Value(int64_t{attempts})})
        .status();
  });
  done = true;
  for (auto& w : writers) w.join();
  EXPECT_TRUE(long_one.ok()) << long_one << " after " << attempts << " attempts";
  EXPECT_EQ(short_failures, 0);
  // Every increment counted: the long one's 1000 and each short commit's 1.
  EXPECT_EQ(Scalar("SELECT n FROM t WHERE k = 'counter'"), 1000 + short_commits.load());
}

TEST_P(DatabaseContractTest, ASecondHandleSeesCommittedWrites) {
  ASSERT_TRUE(db().Transact(TxMode::kReadWrite,
                            [](Transaction& tx) {
                              return tx.Execute("INSERT INTO t (k) VALUES ('seen')").status();
                            })
                  .ok());
  auto other = test_->OpenAnother();
  ASSERT_TRUE(other->Open().ok());
  int64_t count = 0;
  ASSERT_TRUE(other
                  ->Transact(TxMode::kReadOnly,
                             [&](Transaction& tx) -> absl::Status {
                               ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT COUNT(*) FROM t"));
                               count = rows[0].Int(0);
                               return absl::OkStatus();
                             })
                  .ok());
  EXPECT_EQ(count, 1);
}

// Stores `count` rows holding values COPY's text format and JSON must
// escape, NULL, unicode, extreme integers and fractions, and checks each
// reads back as given. With `taken_key`, the batch also holds a row whose
// key is already stored (PostgreSQL: then not COPYed straight into the
// table), which is skipped.
void InsertRowsAndReadThemBack(Database& db, int count, bool taken_key = false) {
  const std::vector<std::string> tricky = {
      "tab\there", "line\nbreak",   "cr\rhere",     "back\\slash",   "\\N", "\\.", "民法典 ✓ 𝄞",
      "",          "quote\"d \\\"", "{\"k\": [1]}", "\\u0041 \u2028"};
  const std::vector<int64_t> extremes = {std::numeric_limits<int64_t>::max(),
                                         std::numeric_limits<int64_t>::min()};
  BulkRows rows{"t", {"k", "n", "d", "s"}, {}};
  const std::string padding(200, 'x');
  rows.values.reserve(count * rows.columns.size());
  auto number = [&](int i) { return i < 2 ? extremes[i] : int64_t{i} - 500; };
  auto fraction = [](int i) { return i * 0.1 - 3.3; };
  for (int i = 0; i < count; ++i) {
    rows.values.push_back(Value(absl::StrCat("k", i)));
    if (i % 7 == 6) {
      rows.values.push_back(Null());
    } else {
      rows.values.emplace_back(number(i));
    }
    rows.values.emplace_back(fraction(i));
    if (i % 11 == 10) {
      rows.values.push_back(Null());
    } else {
      rows.values.push_back(Value(absl::StrCat(tricky[i % tricky.size()], padding)));
    }
  }
  if (taken_key) {
    ASSERT_TRUE(db.Transact(TxMode::kReadWrite, [](Transaction& tx) {
                    return tx.Execute("INSERT INTO t (k, s) VALUES ('taken', 'stored')").status();
                  }).ok());
    rows.values.insert(rows.values.end(), {Value("taken"), Null(), Null(), Value("new")});
  }
  ASSERT_EQ(rows.size(), static_cast<size_t>(count + (taken_key ? 1 : 0)));
  absl::StatusOr<std::vector<std::string>> inserted;
  ASSERT_TRUE(db.Transact(TxMode::kReadWrite, [&](Transaction& tx) {
                  inserted = tx.InsertRows(rows, "k");
                  return inserted.status();
                }).ok());
  EXPECT_EQ(inserted->size(), static_cast<size_t>(count));
  std::vector<Row> stored;
  ASSERT_TRUE(db.Transact(TxMode::kReadOnly, [&](Transaction& tx) -> absl::Status {
                  ASSIGN_OR_RETURN(stored, tx.Query("SELECT k, n, d, s FROM t WHERE k <> 'taken'"));
                  return absl::OkStatus();
                }).ok());
  ASSERT_EQ(stored.size(), static_cast<size_t>(count));
  int checked = 0;
  for (const Row& row : stored) {
    int i = 0;
    ASSERT_TRUE(absl::SimpleAtoi(row.Text(0).substr(1), &i));
    EXPECT_EQ(row.IsNull(1), i % 7 == 6);
    if (i % 7 != 6) {
      EXPECT_EQ(row.Int(1), number(i));
    }
    EXPECT_EQ(row.Double(2), fraction(i)) << "row " << i;
    EXPECT_EQ(row.IsNull(3), i % 11 == 10);
    if (i % 11 != 10) {
      EXPECT_EQ(row.Text(3), absl::StrCat(tricky[i % tricky.size()], padding));
    }
    ++checked;
  }
  EXPECT_EQ(checked, count);
}

// More rows than one COPY piece (64 KiB) or one multi-row INSERT holds
// (PostgreSQL: COPYed straight into the table; with a key taken, through a
// temporary table).
TEST_P(DatabaseContractTest, InsertRowsStoresEveryValueAsGiven) {
  InsertRowsAndReadThemBack(db(), 1000);
}
TEST_P(DatabaseContractTest, InsertRowsWithAKeyTakenStoresEveryValueAsGiven) {
  InsertRowsAndReadThemBack(db(), 1000, /*taken_key=*/true);
}

// Fewer rows (PostgreSQL: 40 COPYed straight into the table, or from one
// JSON parameter with a key taken; 12 from JSON).
TEST_P(DatabaseContractTest, InsertRowsOfAFewRowsStoresEveryValueAsGiven) {
  InsertRowsAndReadThemBack(db(), 40);
}
TEST_P(DatabaseContractTest, InsertRowsOfAFewRowsWithAKeyTakenStoresEveryValueAsGiven) {
  InsertRowsAndReadThemBack(db(), 40, /*taken_key=*/true);
}
TEST_P(DatabaseContractTest, InsertRowsOfVeryFewRowsStoresEveryValueAsGiven) {
  InsertRowsAndReadThemBack(db(), 12);
}

// A batch of `extra` + 4 rows: "a" (stored before), "b" twice, "c" and
// `extra` more. The stored and the repeated key are skipped, the others
// inserted, and the transaction goes on.
void InsertRowsSkipsTakenKeys(DatabaseContractTest& test, int extra) {
  Database& db = test.db();
  ASSERT_TRUE(db.Transact(TxMode::kReadWrite, [](Transaction& tx) {
                  return tx.Execute("INSERT INTO t (k, s) VALUES ('a', 'stored')").status();
                }).ok());
  BulkRows rows{"t",
                {"k", "s"},
                {Value("a"), Value("1"), Value("b"), Value("2"), Value("b"), Value("3"), Value("c"),
                 Value("4")}};
  std::vector<std::string> expected = {"b", "c"};
  for (int i = 0; i < extra; ++i) {
    rows.values.insert(rows.values.end(), {Value(absl::StrCat("k", i)), Value("new")});
    expected.push_back(absl::StrCat("k", i));
  }
  absl::StatusOr<std::vector<std::string>> inserted;
  ASSERT_TRUE(db.Transact(TxMode::kReadWrite, [&](Transaction& tx) -> absl::Status {
                  inserted = tx.InsertRows(rows, "k");
                  // A skipped row does not spoil the transaction.
                  return tx.Execute("UPDATE t SET n = 1").status();
                }).ok());
  ASSERT_TRUE(inserted.ok()) << inserted.status();
  std::vector<std::string> keys = *inserted;
  std::sort(keys.begin(), keys.end());
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(keys, expected);
  EXPECT_EQ(test.Scalar("SELECT COUNT(*) FROM t WHERE n = 1"), 3 + extra);
  EXPECT_EQ(test.Scalar("SELECT COUNT(*) FROM t WHERE k = 'a' AND s = 'stored'"), 1);
  EXPECT_EQ(test.Scalar("SELECT COUNT(*) FROM t WHERE k = 'b' AND s = '2'"), 1);
}

TEST_P(DatabaseContractTest, InsertRowsSkipsRowsWhoseKeyIsTaken) {
  InsertRowsSkipsTakenKeys(*this, 0);
}

// Many rows (PostgreSQL: COPY, refused straight into the table, then
// through a temporary table).
TEST_P(DatabaseContractTest, InsertRowsOfManySkipsRowsWhoseKeyIsTaken) {
  InsertRowsSkipsTakenKeys(*this, 300);
}

// Batches whose keys overlap, inserted at once (PostgreSQL: both try the
// direct COPY; the one that finds a key taken falls back and skips it):
// every key is stored once and reported inserted by exactly one batch.
TEST_P(DatabaseContractTest, ConcurrentBatchesOfOverlappingKeysInsertEachKeyOnce) {
  constexpr int kThreads = 3, kRounds = 4, kRows = 150, kStep = 50;
  for (int round = 0; round < kRounds; ++round) {
    std::vector<std::vector<std::string>> inserted(kThreads);
    std::vector<absl::Status> outcomes(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        BulkRows rows{"t", {"k", "n"}, {}};
        for (int i = t * kStep; i < t * kStep + kRows; ++i) {
          rows.values.insert(rows.values.end(),
                             {Value(absl::StrCat("r", round, "-", i)), Value(int64_t{t})});
        }
        outcomes[t] = db().Transact(TxMode::kReadWrite, [&](Transaction& tx) -> absl::Status {
          ASSIGN_OR_RETURN(inserted[t], tx.InsertRows(rows, "k"));
          return absl::OkStatus();
        });
      });
    }
    for (std::thread& thread : threads) thread.join();
    std::vector<std::string> all;
    for (int t = 0; t < kThreads; ++t) {
      EXPECT_TRUE(outcomes[t].ok()) << outcomes[t];
      all.insert(all.end(), inserted[t].begin(), inserted[t].end());
    }
    std::sort(all.begin(), all.end());
    const int keys = (kThreads - 1) * kStep + kRows;
    EXPECT_EQ(all.size(), static_cast<size_t>(keys)) << "round " << round;
    EXPECT_TRUE(std::adjacent_find(all.begin(), all.end()) == all.end()) << "round " << round;
    EXPECT_EQ(Scalar(absl::StrCat("SELECT COUNT(*) FROM t WHERE k LIKE 'r", round, "-%'")), keys);
  }
}

// Many new rows, then a second batch in the same transaction, then a body
// that fails: nothing of either batch stays.
TEST_P(DatabaseContractTest, InsertRowsOfManyRollBackWithTheTransaction) {
  auto batch = [](int from) {
    BulkRows rows{"t", {"k", "n"}, {}};
    for (int i = from; i < from + 200; ++i) {
      rows.values.insert(rows.values.end(), {Value(absl::StrCat("k", i)), Value(int64_t{i})});
    }
    return rows;
  };
  absl::StatusOr<std::vector<std::string>> first, second;
  EXPECT_TRUE(absl::IsInternal(db().Transact(TxMode::kReadWrite, [&](Transaction& tx) {
    first = tx.InsertRows(batch(0), "k");
    second = tx.InsertRows(batch(200), "k");
    EXPECT_EQ(tx.Query("SELECT COUNT(*) FROM t").value_or(std::vector<Row>{}).at(0).Int(0), 400);
    return absl::InternalError("changed my mind");
  })));
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(first->size(), 200u);
  EXPECT_EQ(second->size(), 200u);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM t"), 0);
  // And the same batches kept when the body succeeds.
  ASSERT_TRUE(db().Transact(TxMode::kReadWrite,
                            [&](Transaction& tx) -> absl::Status {
                              RETURN_IF_ERROR(tx.InsertRows(batch(0), "k").status());
                              return tx.InsertRows(batch(200), "k").status();
                            })
                  .ok());
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM t"), 400);
  EXPECT_EQ(Scalar("SELECT SUM(n) FROM t"), 399 * 400 / 2);
}

TEST_P(DatabaseContractTest, UpdateRowsReplacesTheRowsItsKeysFind) {
  BulkRows rows{"t", {"k", "n", "s"}, {}};
  for (int i = 0; i < 300; ++i) {
    rows.values.insert(rows.values.end(),
                       {Value(absl::StrCat("k", i)), Value(int64_t{i}), Value("old")});
  }
  ASSERT_TRUE(db().Transact(TxMode::kReadWrite,
                            [&](Transaction& tx) { return tx.InsertRows(rows, "k").status(); })
                  .ok());
  // Twice in one transaction: the second sees only its own rows.
  BulkRows first{"t", {"k", "s"}, {Value("k1"), Value("新\t一"), Value("k2"), Value("二")}};
  BulkRows second{"t", {"k", "s"}, {Value("k3"), Value("三"), Value("missing"), Value("x")}};
  absl::StatusOr<int64_t> changed_first, changed_second;
  ASSERT_TRUE(db().Transact(TxMode::kReadWrite,
                            [&](Transaction& tx) -> absl::Status {
                              changed_first = tx.UpdateRows(first, 1);
                              changed_second = tx.UpdateRows(second, 1);
                              return absl::OkStatus();
                            })
                  .ok());
  EXPECT_EQ(changed_first.value_or(-1), 2);
  EXPECT_EQ(changed_second.value_or(-1), 1);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM t WHERE s = 'old'"), 297);
  EXPECT_EQ(Scalar("SELECT n FROM t WHERE k = 'k2' AND s = '二'"), 2);
  const std::vector<Row> k1 = Rows("SELECT s, n FROM t WHERE k = 'k1'");
  ASSERT_EQ(k1.size(), 1u);
  EXPECT_EQ(k1[0].Text(0), "新\t一");
  EXPECT_EQ(k1[0].Int(1), 1);  // a column the update does not name keeps its value

  // A failed transaction leaves the rows as they were.
  EXPECT_FALSE(db().Transact(TxMode::kReadWrite,
                             [&](Transaction& tx) -> absl::Status {
                               RETURN_IF_ERROR(tx.UpdateRows(first, 1).status());
                               return absl::InternalError("changed my mind");
                             })
                   .ok());
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM t WHERE s = 'old'"), 297);
}

TEST_P(DatabaseContractTest, SingleReadRefusesBulkWrites) {
  BulkRows rows{"t", {"k"}, {Value("a")}};
  EXPECT_EQ(db().Transact(TxMode::kSingleRead,
                          [&](Transaction& tx) { return tx.InsertRows(rows, "k").status(); })
                .code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(db().Transact(TxMode::kSingleRead,
                          [&](Transaction& tx) { return tx.UpdateRows(rows, 1).status(); })
                .code(),
            absl::StatusCode::kFailedPrecondition);
}

// PostgreSQL: a statement run many times on one connection is prepared
// afresh now and then (its plan cache's history starts again), keeps
// answering, and leaves one prepared statement behind, not one per round.
TEST_P(DatabaseContractTest, PostgresPreparesAStatementAfreshAfterManyRuns) {
  if (GetParam() != Driver::kPostgres) GTEST_SKIP() << "PostgreSQL's prepared statements";
  ASSERT_TRUE(db().Transact(TxMode::kReadWrite,
                            [](Transaction& tx) {
                              return tx.Execute("INSERT INTO t (k, n) VALUES ('a', 7)").status();
                            })
                  .ok());
  const std::string sql = "SELECT n FROM t WHERE k = $1";
  std::vector<std::string> names;
  ASSERT_TRUE(
      db().Transact(TxMode::kReadOnly,
                    [&](Transaction& tx) -> absl::Status {
                      for (int run = 0; run < 250; ++run) {
                        ASSIGN_OR_RETURN(auto rows, tx.Query(sql, {Value("a")}));
                        if (rows.size() != 1 || rows[0].Int(0) != 7) {
                          return absl::InternalError(absl::StrCat("run ", run, " answered wrong"));
                        }
                        ASSIGN_OR_RETURN(auto prepared,
                                         tx.Query("SELECT name FROM pg_prepared_statements "
                                                  "WHERE statement = $1",
                                                  {Value(sql)}));
                        if (prepared.size() != 1) {
                          return absl::InternalError(
                              absl::StrCat(prepared.size(), " statements prepared at run ", run));
                        }
                        if (names.empty() || names.back() != prepared[0].Text(0)) {
                          names.push_back(prepared[0].Text(0));
                        }
                      }
                      return absl::OkStatus();
                    })
          .ok());
  EXPECT_EQ(names.size(), 3u);  // prepared at runs 1, 102 and 203
}

INSTANTIATE_TEST_SUITE_P(Drivers, DatabaseContractTest,
                         ::testing::Values(Driver::kSqlite, Driver::kPostgres),
                         fazhi::testing::DriverParamName<::testing::TestParamInfo<Driver>>);

}  // namespace
}  // namespace fazhi::sql
