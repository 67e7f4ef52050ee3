#ifndef FAZHI_SERVICES_GATEWAY_ANSWER_H_
#define FAZHI_SERVICES_GATEWAY_ANSWER_H_

// A backend's answer in a fan-out's slot: the answer received, an error, or
// an answer held from before (shared with the answer cache) that the backend
// said is still current. A held answer is read where it is held and copied
// only when taken, so a report given again from held answers copies none.

#include <memory>
#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace fazhi::gateway {

template <typename T>
class Answer {
 public:
  // Not answered (yet): an error until a call fills it.
  Answer() : status_(absl::UnknownError("no answer")) {}
  Answer(T received) : own_(std::move(received)) {}          // NOLINT: as StatusOr
  Answer(absl::Status error) : status_(std::move(error)) {}  // NOLINT: as StatusOr
  static Answer Held(std::shared_ptr<const T> held) {
    Answer answer;
    answer.status_ = absl::OkStatus();
    answer.held_ = std::move(held);
    return answer;
  }

  bool ok() const { return status_.ok(); }
  const absl::Status& status() const { return status_; }
  bool held() const { return held_ != nullptr; }
  // Only when ok().
  const T& operator*() const { return held_ ? *held_ : *own_; }
  const T* operator->() const { return &**this; }
  // The answer as a value (a held one copied), or the error.
  absl::StatusOr<T> Take() && {
    if (!ok()) return status_;
    if (held_) return *held_;
    return *std::move(own_);
  }

  // A part of the answer, moved out of a received one or shared with a
  // held one: `part` and `mutable_part` are the message's accessors of it.
  template <typename U>
  Answer<U> Part(const U& (T::*part)() const, U* (T::*mutable_part)()) {
    if (!ok()) return Answer<U>(status_);
    if (held_) return Answer<U>::Held(std::shared_ptr<const U>(held_, &((*held_).*part)()));
    return Answer<U>(std::move(*((*own_).*mutable_part)()));
  }

 private:
  absl::Status status_;
  std::optional<T> own_;
  std::shared_ptr<const T> held_;
};

}  // namespace fazhi::gateway

#endif  // FAZHI_SERVICES_GATEWAY_ANSWER_H_
