#include "services/study/summary.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace fazhi::study {
namespace {

int QuarterOf(absl::CivilDay day) { return (day.month() - 1) / 3 + 1; }

// Last day of a 1-based period of `year`.
absl::CivilDay PeriodEnd(RulePeriod period, int32_t year, int index) {
  switch (period) {
    case RulePeriod::kMonth:
      return absl::CivilDay(absl::CivilMonth(year, index) + 1) - 1;
    case RulePeriod::kQuarter:
      return absl::CivilDay(absl::CivilMonth(year, index * 3) + 1) - 1;
    default:
      return absl::CivilDay(year, 12, 31);
  }
}

int PeriodCount(RulePeriod period) {
  switch (period) {
    case RulePeriod::kMonth:
      return 12;
    case RulePeriod::kQuarter:
      return 4;
    default:
      return 1;
  }
}

int PeriodIndex(RulePeriod period, absl::CivilDay day) {
  switch (period) {
    case RulePeriod::kMonth:
      return day.month();
    case RulePeriod::kQuarter:
      return QuarterOf(day);
    default:
      return 1;
  }
}

double RoundTo(double value, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale;
}

}  // namespace

absl::CivilDay DefaultAsOf(int32_t year, absl::CivilDay today) {
  const absl::CivilDay year_end(year, 12, 31);
  return today.year() == year ? today : year_end;
}

RuleCompliance CheckRule(const StudyRule& rule, int32_t year, absl::CivilDay as_of,
                         const std::vector<Session>& sessions) {
  RuleCompliance result;
  result.rule = rule;
  const int periods = PeriodCount(rule.period);
  result.counts.assign(periods, 0);
  for (const Session& session : sessions) {
    if (session.date.year() != year || session.kind != rule.kind) continue;
    if (session.duration_minutes < rule.min_minutes) continue;
    ++result.counts[PeriodIndex(rule.period, session.date) - 1];
  }
  for (int index = 1; index <= periods; ++index) {
    if (result.counts[index - 1] >= rule.min_sessions) continue;
    if (PeriodEnd(rule.period, year, index) <= as_of) {
      result.periods_missed.push_back(index);
    } else {
      result.periods_pending.push_back(index);
    }
  }
  result.satisfied = result.periods_missed.empty();
  return result;
}

YearSummary Summarize(const std::string& org, int32_t year, absl::CivilDay as_of,
                      const std::vector<Session>& all_sessions,
                      const std::vector<PublicityEvent>& all_events, const StudyPlan* plan) {
  YearSummary summary;
  summary.org = org;
  summary.year = year;
  summary.as_of = as_of;

  std::vector<Session> sessions;
  for (const Session& s : all_sessions) {
    if (s.date.year() == year) sessions.push_back(s);
  }
  // By date, so that "first studied" and the record lists read in order.
  std::stable_sort(sessions.begin(), sessions.end(),
                   [](const Session& a, const Session& b) { return a.date < b.date; });
  // Per kind: law -> (sessions, order first studied).
  std::map<StudyKind, std::map<std::string, std::pair<int32_t, int32_t>>> kind_laws;

  std::map<StudyKind, KindTotal> kinds;
  for (int q = 1; q <= 4; ++q) summary.by_quarter.push_back(QuarterTotal{q});
  std::map<std::string, LawTotal> laws;
  std::set<std::string> oath_people;
  int32_t unnamed_oath_takers = 0;

  for (const Session& s : sessions) {
    const int64_t staff_minutes = int64_t{s.duration_minutes} * s.HeadCount();
    const int quarter = QuarterOf(s.date);
    ++summary.total_sessions;
    summary.total_minutes += s.duration_minutes;
    summary.staff_minutes += staff_minutes;
    summary.attendances += s.HeadCount();
    if (s.head_attended) ++summary.head_attended_sessions;

    KindTotal& kind = kinds.try_emplace(s.kind, KindTotal{s.kind}).first->second;
    ++kind.sessions;
    kind.minutes += s.duration_minutes;
    kind.staff_minutes += staff_minutes;
    kind.attendances += s.HeadCount();
    kind.session_ids.push_back(s.meta.id);
    ++kind.sessions_by_quarter[quarter - 1];
    if (s.head_attended) ++kind.head_attended_sessions;
    if (s.head_attended) kind.head_attended_session_ids.push_back(s.meta.id);
    // In the record's order, each law once: "first studied" within a
    // session is the order its record lists them.
    auto& studied = kind_laws[s.kind];
    std::set<std::string> seen;
    for (const std::string& law : s.laws) {
      if (!seen.insert(law).second) continue;
      auto [it, first] = studied.try_emplace(law, 0, static_cast<int32_t>(studied.size()));
      ++it->second.first;
    }

    QuarterTotal& q = summary.by_quarter[quarter - 1];
    ++q.sessions;
    if (s.kind == StudyKind::kLeadershipGroup) ++q.leadership_group_sessions;

    // A law studied twice in one session counts once for it.
    for (const std::string& law : std::set<std::string>(s.laws.begin(), s.laws.end())) {
      LawTotal& total = laws.try_emplace(law, LawTotal{law}).first->second;
      ++total.sessions;
    }

    if (s.kind == StudyKind::kConstitutionalOath) {
      ++summary.oath_sessions;
      bool named = false;
      for (const Attendee& a : s.attendees) {
        if (!a.person_id.empty()) {
          oath_people.insert(a.person_id);
          named = true;
        }
      }
      if (!named) unnamed_oath_takers += s.HeadCount();
    }
  }
  for (auto& [kind, total] : kinds) {
    std::vector<std::pair<std::string, std::pair<int32_t, int32_t>>> studied(
        kind_laws[kind].begin(), kind_laws[kind].end());
    std::sort(studied.begin(), studied.end(), [](const auto& a, const auto& b) {
      if (a.second.first != b.second.first) return a.second.first > b.second.first;
      return a.second.second < b.second.second;
    });
    for (auto& [law, order] : studied) total.laws.push_back(law);
    summary.by_kind.push_back(total);
  }
  summary.staff_hours = RoundTo(static_cast<double>(summary.staff_minutes) / 60.0, 1);

  for (const QuarterTotal& q : summary.by_quarter) {
    const absl::CivilDay quarter_end = PeriodEnd(RulePeriod::kQuarter, year, q.quarter);
    if (q.leadership_group_sessions == 0 && quarter_end <= as_of) {
      summary.leadership_quarters_missed.push_back(q.quarter);
    }
  }

  // Publicity.
  PublicityTotals& pub = summary.publicity;
  std::map<PublicityKind, int32_t> pub_kinds;
  std::map<std::string, PlaceTotal> places;
  std::set<std::string> pub_laws;
  std::vector<const PublicityEvent*> events;
  for (const PublicityEvent& e : all_events) {
    if (e.date.year() == year) events.push_back(&e);
  }
  std::stable_sort(
      events.begin(), events.end(),
      [](const PublicityEvent* a, const PublicityEvent* b) { return a->date < b->date; });
  for (const PublicityEvent* event : events) {
    const PublicityEvent& e = *event;
    ++pub.events;
    pub.event_ids.push_back(e.meta.id);
    ++pub_kinds[e.kind];
    pub.display_boards += e.display_boards;
    pub.leaflets += e.leaflets;
    pub.people_reached += e.people_reached;
    pub.consultations += e.consultations;
    if (!e.place.empty()) {
      PlaceTotal& place = places.try_emplace(e.place, PlaceTotal{e.place}).first->second;
      ++place.events;
      place.people_reached += e.people_reached;
    }
    for (const std::string& law : std::set<std::string>(e.laws.begin(), e.laws.end())) {
      pub_laws.insert(law);
      LawTotal& total = laws.try_emplace(law, LawTotal{law}).first->second;
      ++total.publicity_events;
    }
  }
  for (auto& [kind, count] : pub_kinds) pub.by_kind.emplace_back(kind, count);
  for (auto& [name, place] : places) pub.places.push_back(place);
  std::stable_sort(pub.places.begin(), pub.places.end(),
                   [](const PlaceTotal& a, const PlaceTotal& b) { return a.events > b.events; });
  pub.laws.assign(pub_laws.begin(), pub_laws.end());

  for (auto& [name, law] : laws) summary.laws.push_back(law);
  std::stable_sort(summary.laws.begin(), summary.laws.end(),
                   [](const LawTotal& a, const LawTotal& b) {
                     return a.sessions + a.publicity_events > b.sessions + b.publicity_events;
                   });

  // Plan.
  summary.oath_takers = static_cast<int32_t>(oath_people.size()) + unnamed_oath_takers;
  summary.has_records = summary.total_sessions > 0 || pub.events > 0 || plan != nullptr;
  if (plan != nullptr) {
    summary.has_plan = true;
    if (plan->has_adopted_date) {
      summary.plan_adopted_date = plan->adopted_date;
      summary.plan_adopted_in_first_quarter =
          plan->adopted_date.year() == year && plan->adopted_date.month() <= 3;
    }
    summary.plan_fulfilled = true;
    for (const StudyRule& rule : plan->rules) {
      summary.rules.push_back(CheckRule(rule, year, as_of, sessions));
      summary.plan_fulfilled = summary.plan_fulfilled && summary.rules.back().satisfied;
    }
    for (const std::string& law : plan->planned_laws) {
      if (laws.find(law) == laws.end()) summary.planned_laws_not_studied.push_back(law);
    }
    summary.eligible_staff = plan->eligible_staff;
    if (plan->eligible_staff > 0) {
      summary.oath_coverage_percent =
          RoundTo(std::min(100.0, 100.0 * summary.oath_takers / plan->eligible_staff), 1);
    }
  }
  return summary;
}

}  // namespace fazhi::study
