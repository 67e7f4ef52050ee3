#ifndef FAZHI_SERVICES_CLI_STUDY_REPORT_H_
#define FAZHI_SERVICES_CLI_STUDY_REPORT_H_

#include <string>

#include "fazhi/study/v1/study.pb.h"

namespace fazhi::cli {

// Chinese names of the study and publicity kinds.
std::string StudyKindName(fazhi::study::v1::StudyKind kind);
std::string PublicityKindName(fazhi::study::v1::PublicityKind kind);

// The year's study facts as readable Chinese text for a terminal.
std::string FormatStudySummary(const fazhi::study::v1::StudySummary& summary);

}  // namespace fazhi::cli

#endif  // FAZHI_SERVICES_CLI_STUDY_REPORT_H_
