// Request validation and conversion of the study service: whatever a
// client sends, validation must not crash, and what passes must convert
// to the domain and back without loss of the validated fields.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "fazhi/study/v1/study.pb.h"
#include "services/common/validation.h"
#include "services/study/convert.h"
#include "services/study/validate.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace v1 = fazhi::study::v1;
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  v1::CreateSessionRequest create;
  if (create.ParseFromString(bytes)) {
    fazhi::FieldViolations v;
    fazhi::study::ValidateSession(create.session(), "session.", v);
    if (v.empty()) {
      auto session = fazhi::study::FromProto(create.session());
      auto back = fazhi::study::ToProto(session);
      if (back.title() != create.session().title() ||
          back.duration_minutes() != create.session().duration_minutes()) {
        std::abort();
      }
    }
    (void)v.ToStatus();
  }
  v1::UpdateStudyPlanRequest plan;
  if (plan.ParseFromString(bytes)) {
    fazhi::FieldViolations v;
    fazhi::study::ValidatePlan(plan.study_plan(), "study_plan.", v);
    if (v.empty()) (void)fazhi::study::ToProto(fazhi::study::FromProto(plan.study_plan()));
  }
  v1::PublicityEvent event;
  if (event.ParseFromString(bytes)) {
    fazhi::FieldViolations v;
    fazhi::study::ValidateEvent(event, "", v);
  }
  return 0;
}
