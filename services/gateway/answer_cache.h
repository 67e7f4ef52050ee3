#ifndef FAZHI_SERVICES_GATEWAY_ANSWER_CACHE_H_
#define FAZHI_SERVICES_GATEWAY_ANSWER_CACHE_H_

// Answers the gateway holds to ask for again conditionally (if_none_match,
// answer_etag.h): a backend that finds nothing changed answers "not
// modified" and the held answer is used. Also composed reports, by the
// etags of the answers they were composed from. Nothing held is used
// without a backend's word that it still stands.

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "google/protobuf/message.h"

namespace fazhi::gateway {

// Messages with their etags by key (the request, never the etag: a key
// holds one answer, the latest), the least recently used dropped first when
// the held bytes pass the budget. Thread-safe.
class AnswerCache {
 public:
  // A budget of 0 holds nothing.
  explicit AnswerCache(size_t max_bytes) : max_bytes_(max_bytes) {}
  AnswerCache(const AnswerCache&) = delete;
  AnswerCache& operator=(const AnswerCache&) = delete;

  // The message held for `key` and its etag, or null. `Message` must be
  // the type put under it (keys name their message type: KeyFor).
  template <typename Message>
  std::shared_ptr<const Message> Get(const std::string& key, std::string* etag) {
    return std::static_pointer_cast<const Message>(Find(key, etag));
  }
  // Holds `message` and its etag under `key` (replacing what was), unless
  // it alone is over the budget.
  void Put(const std::string& key, std::string etag,
           std::shared_ptr<const google::protobuf::Message> message);

  // A key for `request`'s answer: its type and its bytes, deterministic.
  static std::string KeyFor(const google::protobuf::Message& request);

  // A held message was used again (a backend said "not modified", or a
  // composed report's answers all were).
  void CountReuse();

  struct Counts {
    int64_t entries = 0;
    int64_t bytes = 0;
    int64_t reused = 0;
  };
  Counts counts() const;
  // The caches' counts as Prometheus text, each labelled cache="<name>".
  static std::string PrometheusText(
      const std::vector<std::pair<std::string, const AnswerCache*>>& caches);

 private:
  struct Entry {
    std::string key;
    std::string etag;
    std::shared_ptr<const google::protobuf::Message> message;
    size_t bytes = 0;
  };
  std::shared_ptr<const google::protobuf::Message> Find(const std::string& key, std::string* etag);
  void DropLocked(std::list<Entry>::iterator it);

  const size_t max_bytes_;
  mutable std::mutex mu_;
  std::list<Entry> recent_;  // most recently used first
  absl::flat_hash_map<std::string, std::list<Entry>::iterator> by_key_;
  size_t bytes_ = 0;
  int64_t reused_ = 0;
};

}  // namespace fazhi::gateway

#endif  // FAZHI_SERVICES_GATEWAY_ANSWER_CACHE_H_
