#ifndef FAZHI_SERVICES_GATEWAY_FACTS_H_
#define FAZHI_SERVICES_GATEWAY_FACTS_H_

// The fact catalogue: every named fact a report may quote, computed from
// what the study, duty and report services returned, each with its source.
// Pure logic over the backends' messages.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "fazhi/duty/v1/duty.pb.h"
#include "fazhi/report/v1/report.pb.h"
#include "fazhi/study/v1/study.pb.h"

namespace fazhi::gateway {

struct Fact {
  std::string name;
  std::string description;
  std::string text;                       // as it reads in the report
  std::optional<double> number;           // numbers also as numbers
  std::vector<std::string> items;         // lists also as items
  std::string unit;                       // e.g. "次"
  std::string service, method, resource;  // where it came from
  std::vector<std::string> records;       // the records behind it, by name
  // The year before (同比): has_previous when the fact rests on dated
  // records that tell it; previous_on_record when that year has any record
  // at all (otherwise it is a first year, not a zero).
  bool has_previous = false;
  bool previous_on_record = false;
  double previous = 0;
};

// What the backends returned for one organization's year. A backend that
// failed (partial composition) leaves its part empty.
struct YearInputs {
  std::string org;  // slug
  int year = 0;
  std::optional<fazhi::report::v1::Organization> organization;
  std::optional<fazhi::report::v1::Report> report;
  std::optional<fazhi::study::v1::StudySummary> study;
  std::optional<fazhi::duty::v1::DutySummary> duty;
  // The study year before, for 同比. The duty service keeps today's list of
  // powers and roster, not their history, so its facts have no year before.
  std::optional<fazhi::study::v1::StudySummary> study_previous;
};

class FactCatalogue {
 public:
  const Fact* Find(const std::string& name) const;
  Fact* FindMutable(const std::string& name);
  const std::map<std::string, Fact>& facts() const { return facts_; }

  // Each returns the fact as stored, for its records to be added.
  Fact& Add(Fact fact);
  Fact& AddNumber(const std::string& name, double value, const std::string& unit,
                  const std::string& description, const Fact& source);
  Fact& AddText(const std::string& name, const std::string& value, const std::string& description,
                const Fact& source);
  Fact& AddList(const std::string& name, std::vector<std::string> items,
                const std::string& description, const Fact& source);

 private:
  std::map<std::string, Fact> facts_;
};

FactCatalogue BuildFacts(const YearInputs& inputs);

// "2025年1月15日"
std::string ChineseDate(int year, int month, int day);
// "第三季度"
std::string QuarterName(int quarter);

// The key of a study kind in fact names: "leadership", "all_staff", "oath"…
std::string StudyKindKey(fazhi::study::v1::StudyKind kind);
// Its name in a report: "党组（中心组）学法", "集中学习"…
std::string StudyKindName(fazhi::study::v1::StudyKind kind);

// Whole 学时 (60 minutes each, rounded half up) of `minutes`.
int64_t WholeHours(int64_t minutes);

}  // namespace fazhi::gateway

#endif  // FAZHI_SERVICES_GATEWAY_FACTS_H_
