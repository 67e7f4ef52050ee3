#include "services/common/auth/call_policy.h"

namespace fazhi {

namespace {

thread_local CallInfo* current_call = nullptr;

}  // namespace

CallInfo* CurrentCall() { return current_call; }

CurrentCallScope::CurrentCallScope(CallInfo* call) : previous_(current_call) {
  current_call = call;
}

CurrentCallScope::~CurrentCallScope() { current_call = previous_; }

}  // namespace fazhi
