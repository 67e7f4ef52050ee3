#ifndef FAZHI_SERVICES_STUDY_CONVERT_H_
#define FAZHI_SERVICES_STUDY_CONVERT_H_

// Protobuf ↔ domain conversions of the study service. Inputs are assumed
// validated (validate.h).

#include "fazhi/study/v1/study.pb.h"
#include "services/study/model.h"
#include "services/study/summary.h"

namespace fazhi::study {

Session FromProto(const v1::Session& proto);
v1::Session ToProto(const Session& session);

PublicityEvent FromProto(const v1::PublicityEvent& proto);
v1::PublicityEvent ToProto(const PublicityEvent& event);

StudyPlan FromProto(const v1::StudyPlan& proto);
v1::StudyPlan ToProto(const StudyPlan& plan);

// With include_records, the names of the sessions and events behind the
// totals too.
v1::StudySummary ToProto(const YearSummary& summary, bool include_records = false);

}  // namespace fazhi::study

#endif  // FAZHI_SERVICES_STUDY_CONVERT_H_
