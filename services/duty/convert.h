#ifndef FAZHI_SERVICES_DUTY_CONVERT_H_
#define FAZHI_SERVICES_DUTY_CONVERT_H_

// Protobuf <-> domain conversions of the duty service. Inputs are assumed
// validated (validate.h).

#include <string>

#include "fazhi/duty/v1/duty.pb.h"
#include "services/duty/allocate.h"
#include "services/duty/coverage.h"
#include "services/duty/model.h"

namespace fazhi::duty {

Power FromProto(const v1::Power& proto);
v1::Power ToProto(const Power& power);

Post FromProto(const v1::Post& proto);
v1::Post ToProto(const Post& post);

Officer FromProto(const v1::Officer& proto);
v1::Officer ToProto(const Officer& officer);

// role and origin default to ASSISTANT and PINNED.
Assignment FromProto(const v1::Assignment& proto);
v1::Assignment ToProto(const Assignment& assignment);

v1::AllocateDutiesResponse ToProto(const std::string& org, absl::CivilDay as_of,
                                   const DutySnapshot& snapshot, const AllocationPlan& plan,
                                   bool committed);
void ToProto(const std::string& org, const DutySnapshot& snapshot, const CoverageReport& report,
             v1::Coverage* out);
// With include_records, every power's coverage and every officer's standing
// too.
void ToProto(const std::string& org, int32_t year, const DutySnapshot& snapshot,
             const CoverageReport& report, bool include_records, v1::DutySummary* out);

}  // namespace fazhi::duty

#endif  // FAZHI_SERVICES_DUTY_CONVERT_H_
