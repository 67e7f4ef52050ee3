#ifndef FAZHI_SERVICES_STUDY_SUMMARY_H_
#define FAZHI_SERVICES_STUDY_SUMMARY_H_

// The facts of one organization's study year, computed from its records and
// its plan. Pure logic: the numbers the annual report quotes come from here.

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "services/study/model.h"

namespace fazhi::study {

struct KindTotal {
  StudyKind kind;
  int32_t sessions = 0;
  int64_t minutes = 0;
  int64_t staff_minutes = 0;
  std::array<int32_t, 4> sessions_by_quarter{};
  int32_t head_attended_sessions = 0;
  int64_t attendances = 0;  // 人次: the sum of head counts
  // Studied in sessions of this kind: most sessions first, then first
  // studied first.
  std::vector<std::string> laws;
  std::vector<std::string> session_ids;  // by date
  std::vector<std::string> head_attended_session_ids;
};

struct QuarterTotal {
  int32_t quarter;
  int32_t sessions = 0;
  int32_t leadership_group_sessions = 0;
};

struct LawTotal {
  std::string law;
  int32_t sessions = 0;
  int32_t publicity_events = 0;
};

struct RuleCompliance {
  StudyRule rule;
  std::vector<int32_t> counts;  // per period: 12, 4 or 1
  std::vector<int32_t> periods_missed;
  std::vector<int32_t> periods_pending;
  bool satisfied = true;
};

struct PlaceTotal {
  std::string place;
  int32_t events = 0;
  int32_t people_reached = 0;
};

struct PublicityTotals {
  int32_t events = 0;
  std::vector<std::pair<PublicityKind, int32_t>> by_kind;
  std::vector<PlaceTotal> places;
  int64_t display_boards = 0;
  int64_t leaflets = 0;
  int64_t people_reached = 0;
  int64_t consultations = 0;
  std::vector<std::string> laws;
  std::vector<std::string> event_ids;  // by date
};

struct YearSummary {
  std::string org;
  int32_t year = 0;
  absl::CivilDay as_of;

  int32_t total_sessions = 0;
  int64_t total_minutes = 0;
  int64_t staff_minutes = 0;
  double staff_hours = 0;
  int32_t head_attended_sessions = 0;
  int64_t attendances = 0;  // 人次
  // Any session, event or plan of the year on record.
  bool has_records = false;

  std::vector<KindTotal> by_kind;        // kinds that occurred, in enum order
  std::vector<QuarterTotal> by_quarter;  // always four
  std::vector<int32_t> leadership_quarters_missed;
  std::vector<LawTotal> laws;

  bool has_plan = false;
  std::optional<absl::CivilDay> plan_adopted_date;
  bool plan_adopted_in_first_quarter = false;
  std::vector<RuleCompliance> rules;
  bool plan_fulfilled = false;
  std::vector<std::string> planned_laws_not_studied;

  int32_t oath_sessions = 0;
  int32_t oath_takers = 0;
  int32_t eligible_staff = 0;
  double oath_coverage_percent = 0;

  PublicityTotals publicity;
};

// The day a summary of `year` is taken on when the caller names none: the
// last day of the year, or `today` while the year is still running.
absl::CivilDay DefaultAsOf(int32_t year, absl::CivilDay today);

// Summarises `year` from its sessions and events (records outside the year
// are ignored) and its plan, if any. A period (month, quarter, year) counts
// as missed only when it ended on or before `as_of`.
YearSummary Summarize(const std::string& org, int32_t year, absl::CivilDay as_of,
                      const std::vector<Session>& sessions,
                      const std::vector<PublicityEvent>& events, const StudyPlan* plan);

// Checks one rule against the year's sessions.
RuleCompliance CheckRule(const StudyRule& rule, int32_t year, absl::CivilDay as_of,
                         const std::vector<Session>& sessions);

}  // namespace fazhi::study

#endif  // FAZHI_SERVICES_STUDY_SUMMARY_H_
