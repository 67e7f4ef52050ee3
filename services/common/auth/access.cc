#include "services/common/auth/access.h"

#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "google/protobuf/descriptor.h"
#include "services/common/logging.h"
#include "services/common/names.h"
#include "services/common/resource.h"
#include "services/common/status_macros.h"
#include "services/common/validation.h"
#include "spdlog/spdlog.h"

namespace fazhi::auth {
namespace {

// The fields a dotted path names in messages of `type`, resolved once per
// type and path (a lookup by name for every call was a fifth of the
// policy's time); empty when the path names no string field of `type`.
// The reference holds until the thread's next call.
const std::vector<const google::protobuf::FieldDescriptor*>& ResolvedPath(
    const google::protobuf::Descriptor* type, absl::string_view path) {
  using Fields = std::vector<const google::protobuf::FieldDescriptor*>;
  // Per thread, so no lock: a handful of (request type, rule) pairs each.
  thread_local absl::flat_hash_map<const google::protobuf::Descriptor*,
                                   absl::flat_hash_map<std::string, Fields>>
      resolved;
  absl::flat_hash_map<std::string, Fields>& of_type = resolved[type];
  if (auto it = of_type.find(path); it != of_type.end()) return it->second;
  Fields fields;
  const google::protobuf::Descriptor* current = type;
  const std::vector<absl::string_view> parts = absl::StrSplit(path, '.');
  for (size_t i = 0; i < parts.size(); ++i) {
    const google::protobuf::FieldDescriptor* field =
        current == nullptr ? nullptr : current->FindFieldByName(std::string(parts[i]));
    const bool last = i + 1 == parts.size();
    if (field == nullptr || field->is_repeated() ||
        field->type() != (last ? google::protobuf::FieldDescriptor::TYPE_STRING
                               : google::protobuf::FieldDescriptor::TYPE_MESSAGE)) {
      fields.clear();
      break;
    }
    fields.push_back(field);
    current = field->message_type();
  }
  return of_type.emplace(std::string(path), std::move(fields)).first->second;
}

// The string at a dotted field path, or nullopt when the path names no
// string field of the message.
std::optional<std::string> StringAtPath(const google::protobuf::Message& message,
                                        absl::string_view path) {
  const auto& fields = ResolvedPath(message.GetDescriptor(), path);
  if (fields.empty()) return std::nullopt;
  const google::protobuf::Message* current = &message;
  for (size_t i = 0; i + 1 < fields.size(); ++i) {
    current = &current->GetReflection()->GetMessage(*current, fields[i]);
  }
  return current->GetReflection()->GetString(*current, fields.back());
}

// Whether the caller reached this service through a delegate (the
// authenticator's credential for an x-fazhi-on-behalf-of call), or in
// development mode.
bool ThroughDelegate(const Principal& who) {
  return who.credential == "dev" || absl::StartsWith(who.credential, "delegated via ");
}

bool IsDenial(const absl::Status& status) {
  return status.code() == absl::StatusCode::kUnauthenticated ||
         status.code() == absl::StatusCode::kPermissionDenied;
}

absl::Status Refuse(const Principal& who, Permission permission, absl::string_view org,
                    absl::string_view method) {
  return absl::PermissionDeniedError(
      org == "-" || org.empty()
          ? absl::StrCat("caller ", who.caller, " may not ", PermissionName(permission),
                         " any organization (", method, ")")
          : absl::StrCat("caller ", who.caller, " may not ", PermissionName(permission),
                         " organization ", org, " (", method, ")"));
}

}  // namespace

absl::StatusOr<RequestTarget> TargetOf(const google::protobuf::Message& request,
                                       const MethodRule& rule) {
  RequestTarget target;
  if (rule.from == OrgFrom::kAcrossOrgs || rule.from == OrgFrom::kStream) {
    target.org = "-";
    return target;
  }
  std::optional<std::string> value = StringAtPath(request, rule.field);
  if (!value) {
    return absl::InternalError(absl::StrCat("access rule names no string field ", rule.field));
  }
  target.resource = *value;
  FieldViolations v;
  if (rule.from == OrgFrom::kId) {
    if (IsValidOrgId(*value))
      target.org = *value;
    else
      v.Add(rule.field, "must be an organization id: 2-63 of a-z 0-9 -, starting with a letter");
  } else {
    target.org = OrgOfName(*value, /*allow_every=*/true).value_or("");
    if (target.org.empty())
      v.Add(rule.field, "must be a resource name that starts with orgs/{org}");
  }
  RETURN_IF_ERROR(v.ToStatus());
  return target;
}

AuthPolicy::AuthPolicy(const Authenticator* authenticator, AccessRules rules, AuditLog* audit)
    : authenticator_(authenticator), rules_(std::move(rules)), audit_(audit) {}

namespace {

bool IsMutation(const CallInfo& call) {
  return call.permission.has_value() && *call.permission != Permission::kRead &&
         *call.permission != Permission::kAudit;
}

AuditRecord RecordOf(const CallInfo& call, const absl::Status& status) {
  AuditRecord record;
  record.time = absl::Now();
  if (call.principal) {
    record.caller = call.principal->caller;
    record.credential = call.principal->credential;
  }
  // An anonymous caller names any organization it likes: its refusals go
  // under none (admins list them with orgs/-), so nobody can fill an
  // organization's trail without a key.
  record.org = call.org == "-" || !call.principal ? "" : call.org;
  record.method = std::string(call.method);
  record.resource = call.resource;
  record.outcome = absl::StatusCodeToString(status.code());
  // Bounded (and cut on a character boundary) where it is written.
  record.message = std::string(status.message());
  record.request_id = CurrentRequestId();
  // Asked here, not for every call: only audited calls need it.
  if (call.context != nullptr) record.peer = call.context->peer();
  return record;
}

// Between Admit and Finish of an admitted mutation: the record that goes
// into the first transaction the handler commits, and the hook it
// replaced on this thread.
struct PendingAudit {
  PendingAudit(AuditLog* log, const CallInfo* call)
      : hook(log, [call] { return RecordOf(*call, absl::OkStatus()); }) {}
  AuditOnCommit hook;
  sql::CommitHook* previous_hook = nullptr;
};

}  // namespace

absl::Status AuthPolicy::Admit(CallInfo& call) {
  RETURN_IF_ERROR(Check(call));
  // The handler runs on this thread: its committing transaction carries
  // the call's audit record (a crash cannot keep the change and lose it).
  if (audit_ != nullptr && audit_->AppendsInTransaction() && IsMutation(call)) {
    auto pending = std::make_shared<PendingAudit>(audit_, &call);
    pending->previous_hook = sql::SetThreadCommitHook(&pending->hook);
    call.policy_state = std::move(pending);
  }
  return absl::OkStatus();
}

absl::Status AuthPolicy::Check(CallInfo& call) {
  auto rule = rules_.find(call.method);
  if (rule != rules_.end()) {
    call.permission = rule->second.permission;
    // Read the target first, so a denied call's audit record names it.
    if (call.request != nullptr) {
      absl::StatusOr<RequestTarget> target = TargetOf(*call.request, rule->second);
      if (target.ok()) {
        call.org = target->org;
        call.resource = target->resource;
      } else if (target.status().code() != absl::StatusCode::kInvalidArgument) {
        return target.status();
      } else {
        // A malformed organization field: the handler's validation rejects
        // it together with every other bad field, so the caller sees them
        // all. It touches no data; the caller still needs the permission
        // somewhere.
        call.org = "-";
      }
    } else {
      call.org = "-";
    }
  }
  ASSIGN_OR_RETURN(Principal who, authenticator_->Authenticate(*call.context));
  call.principal = std::move(who);
  if (rule == rules_.end()) {
    return absl::PermissionDeniedError(
        absl::StrCat(call.method, " has no access rule, so nobody may call it"));
  }
  const MethodRule& r = rule->second;
  const bool across = call.org == "-";
  if (across ? !call.principal->CanSomewhere(r.permission)
             : !call.principal->Can(r.permission, call.org)) {
    return Refuse(*call.principal, r.permission, call.org, call.method);
  }
  if (r.via_delegate && !ThroughDelegate(*call.principal)) {
    return absl::PermissionDeniedError(absl::StrCat(
        call.method, " is taken only from the gateway, which composes what it carries; caller ",
        call.principal->caller, " called directly: publish through the gateway"));
  }
  return absl::OkStatus();
}

void AuthPolicy::Finish(const CallInfo& call, const absl::Status& status) {
  if (call.policy_state != nullptr) {
    auto& pending = *static_cast<PendingAudit*>(call.policy_state.get());
    sql::SetThreadCommitHook(pending.previous_hook);
    // A successful change's record was stored with it.
    if (status.ok() && pending.hook.written()) return;
  }
  if (audit_ == nullptr || !(IsMutation(call) || IsDenial(status))) return;
  const AuditRecord record = RecordOf(call, status);
  if (absl::Status appended = audit_->Append(record); !appended.ok()) {
    // The call's outcome stands; the operators must see the gap.
    spdlog::error("audit record of {} {} not written: {}", call.method, record.outcome,
                  appended.ToString());
  }
}

const Principal* CurrentPrincipal() {
  const CallInfo* call = CurrentCall();
  return call != nullptr && call->principal ? &*call->principal : nullptr;
}

bool CallerMay(Permission permission, absl::string_view org) {
  const Principal* who = CurrentPrincipal();
  return who == nullptr || who->Can(permission, org);
}

std::optional<std::vector<std::string>> OrgsCallerMay(Permission permission) {
  const Principal* who = CurrentPrincipal();
  if (who == nullptr) return std::nullopt;
  std::vector<std::string> orgs;
  for (const RoleBinding& binding : who->bindings) {
    if (!RoleGrants(binding.role, permission)) continue;
    for (const std::string& org : binding.orgs) {
      if (org == kAnyOrg) return std::nullopt;
      orgs.push_back(org);
    }
  }
  return orgs;
}

absl::Status AuthorizeStreamOrg(absl::string_view org) {
  CallInfo* call = CurrentCall();
  if (call == nullptr || !call->principal) return absl::OkStatus();
  call->org = std::string(org);
  call->resource = OrgName(org);
  if (call->permission && !call->principal->Can(*call->permission, org)) {
    call->denied = true;
    return Refuse(*call->principal, *call->permission, org, call->method);
  }
  return absl::OkStatus();
}

std::string ActingCaller(absl::string_view requested_actor) {
  const Principal* who = CurrentPrincipal();
  if (who == nullptr || (who->credential == "dev" && !requested_actor.empty())) {
    return std::string(requested_actor);
  }
  return who->caller;
}

}  // namespace fazhi::auth
