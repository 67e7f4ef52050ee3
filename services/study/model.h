#ifndef FAZHI_SERVICES_STUDY_MODEL_H_
#define FAZHI_SERVICES_STUDY_MODEL_H_

// The study service's records as plain C++ values: what the store keeps and
// the summary logic reads. No protobuf, no SQL.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/common/record.h"

namespace fazhi::study {

using ::fazhi::RecordMeta;

// Values match fazhi.study.v1.StudyKind.
enum class StudyKind {
  kUnspecified = 0,
  kLeadershipGroup = 1,
  kPreMeeting = 2,
  kAllStaff = 3,
  kLecture = 4,
  kTraining = 5,
  kConstitutionalOath = 6,
  kLawExam = 7,
  kDutyStatement = 8,
  kOther = 9,
};
inline constexpr int kStudyKindCount = 10;

// Values match fazhi.study.v1.PublicityKind.
enum class PublicityKind {
  kUnspecified = 0,
  kConstitutionDay = 1,
  kConstitutionWeek = 2,
  kCivilCodeMonth = 3,
  kServiceSite = 4,
  kPublicSpace = 5,
  kOnline = 6,
  kOther = 7,
};
inline constexpr int kPublicityKindCount = 8;

// Values match fazhi.study.v1.RulePeriod.
enum class RulePeriod { kUnspecified = 0, kMonth = 1, kQuarter = 2, kYear = 3 };

struct Attendee {
  std::string person_id;
  std::string display_name;
  bool is_head = false;
};

struct Session {
  RecordMeta meta;
  absl::CivilDay date;
  StudyKind kind = StudyKind::kUnspecified;
  std::string title;
  std::vector<std::string> laws;
  int32_t duration_minutes = 0;
  std::string location;
  std::vector<Attendee> attendees;
  int32_t attendee_count = 0;  // 0: the number of named attendees
  bool head_attended = false;
  std::string external_id;
  std::vector<std::string> evidence;
  std::string notes;

  // Head count used for staff-hours.
  int32_t HeadCount() const {
    return attendee_count > 0 ? attendee_count : static_cast<int32_t>(attendees.size());
  }
};

struct PublicityEvent {
  RecordMeta meta;
  absl::CivilDay date;
  PublicityKind kind = PublicityKind::kUnspecified;
  std::string title;
  std::string place;
  std::vector<std::string> laws;
  int32_t display_boards = 0;
  int32_t leaflets = 0;
  int32_t people_reached = 0;
  int32_t consultations = 0;
  std::string external_id;
  std::vector<std::string> evidence;
  std::string notes;
};

struct StudyRule {
  StudyKind kind = StudyKind::kUnspecified;
  RulePeriod period = RulePeriod::kUnspecified;
  int32_t min_sessions = 0;
  int32_t min_minutes = 0;
};

// The annual plan; meta.id is the year as text.
struct StudyPlan {
  RecordMeta meta;
  int32_t year = 0;
  bool has_adopted_date = false;
  absl::CivilDay adopted_date;
  std::string title;
  std::vector<StudyRule> rules;
  int32_t eligible_staff = 0;
  std::vector<std::string> planned_laws;
  std::string notes;
};

}  // namespace fazhi::study

#endif  // FAZHI_SERVICES_STUDY_MODEL_H_
