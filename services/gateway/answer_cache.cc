#include "services/gateway/answer_cache.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace fazhi::gateway {

std::shared_ptr<const google::protobuf::Message> AnswerCache::Find(const std::string& key,
                                                                   std::string* etag) {
  std::lock_guard<std::mutex> lock(mu_);
  auto found = by_key_.find(key);
  if (found == by_key_.end()) return nullptr;
  recent_.splice(recent_.begin(), recent_, found->second);
  *etag = found->second->etag;
  return found->second->message;
}

void AnswerCache::Put(const std::string& key, std::string etag,
                      std::shared_ptr<const google::protobuf::Message> message) {
  // The key counts too: a request's bytes can be most of a small answer's.
  const size_t bytes = message->ByteSizeLong() + key.size() + etag.size();
  std::lock_guard<std::mutex> lock(mu_);
  if (auto found = by_key_.find(key); found != by_key_.end()) DropLocked(found->second);
  if (bytes > max_bytes_) return;
  while (bytes_ + bytes > max_bytes_) DropLocked(std::prev(recent_.end()));
  recent_.push_front(Entry{key, std::move(etag), std::move(message), bytes});
  by_key_[key] = recent_.begin();
  bytes_ += bytes;
}

void AnswerCache::DropLocked(std::list<Entry>::iterator it) {
  bytes_ -= it->bytes;
  by_key_.erase(it->key);
  recent_.erase(it);
}

std::string AnswerCache::KeyFor(const google::protobuf::Message& request) {
  std::string key = absl::StrCat(request.GetDescriptor()->full_name(), "|");
  {
    google::protobuf::io::StringOutputStream stream(&key);  // appends
    google::protobuf::io::CodedOutputStream out(&stream);
    out.SetSerializationDeterministic(true);
    request.SerializeToCodedStream(&out);
  }
  return key;
}

void AnswerCache::CountReuse() {
  std::lock_guard<std::mutex> lock(mu_);
  ++reused_;
}

AnswerCache::Counts AnswerCache::counts() const {
  std::lock_guard<std::mutex> lock(mu_);
  return Counts{static_cast<int64_t>(by_key_.size()), static_cast<int64_t>(bytes_), reused_};
}

std::string AnswerCache::PrometheusText(
    const std::vector<std::pair<std::string, const AnswerCache*>>& caches) {
  struct Metric {
    const char* name;
    const char* type;
    const char* help;
    int64_t Counts::*value;
  };
  static constexpr Metric kMetrics[] = {
      {"fazhi_gateway_held_entries", "gauge",
       "Backend answers and composed reports held to use again.", &Counts::entries},
      {"fazhi_gateway_held_bytes", "gauge", "Their bytes, against --answer_cache_mib.",
       &Counts::bytes},
      {"fazhi_gateway_held_reused_total", "counter",
       "Held ones used again, the backends having said nothing changed.", &Counts::reused},
  };
  std::vector<std::pair<std::string, Counts>> counted;
  for (const auto& [name, cache] : caches) counted.emplace_back(name, cache->counts());
  std::string out;
  for (const Metric& m : kMetrics) {
    absl::StrAppend(&out, "# HELP ", m.name, " ", m.help, "\n# TYPE ", m.name, " ", m.type, "\n");
    for (const auto& [name, c] : counted) {
      absl::StrAppend(&out, m.name, "{cache=\"", name, "\"} ", c.*m.value, "\n");
    }
  }
  return out;
}

}  // namespace fazhi::gateway
