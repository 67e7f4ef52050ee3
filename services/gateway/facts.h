#ifndef FAZHI_SERVICES_GATEWAY_FACTS_H_
#define FAZHI_SERVICES_GATEWAY_FACTS_H_

// The fact catalogue: every named fact a report may quote, computed from
// what the study, duty and report services returned, each with its source.
// Pure logic over the backends' messages.

#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fazhi/duty/v1/duty.pb.h"
#include "fazhi/report/v1/report.pb.h"
#include "fazhi/study/v1/study.pb.h"

namespace fazhi::gateway {

// The names of the records behind a fact: one list shared by every fact
// that rests on the same records (a study kind's sessions stand behind
// seven of its facts), so building the catalogue copies no names.
class RecordNames {
 public:
  using value_type = std::string;
  using const_iterator = std::vector<std::string>::const_iterator;
  using iterator = const_iterator;
  using size_type = size_t;

  RecordNames() = default;
  RecordNames(std::vector<std::string> names)  // NOLINT: a list is its names
      : names_(std::make_shared<const std::vector<std::string>>(std::move(names))) {}
  RecordNames(std::initializer_list<std::string> names)
      : RecordNames(std::vector<std::string>(names)) {}
  template <typename It>
  RecordNames(It first, It last) : RecordNames(std::vector<std::string>(first, last)) {}

  const std::vector<std::string>& list() const { return names_ ? *names_ : Empty(); }
  const_iterator begin() const { return list().begin(); }
  const_iterator end() const { return list().end(); }
  size_t size() const { return list().size(); }
  bool empty() const { return list().empty(); }
  const std::string& operator[](size_t i) const { return list()[i]; }

  friend bool operator==(const RecordNames& a, const RecordNames& b) {
    return a.list() == b.list();
  }
  friend bool operator==(const RecordNames& a, const std::vector<std::string>& b) {
    return a.list() == b;
  }
  friend bool operator==(const std::vector<std::string>& a, const RecordNames& b) {
    return a == b.list();
  }

 private:
  static const std::vector<std::string>& Empty();
  std::shared_ptr<const std::vector<std::string>> names_;
};

struct Fact {
  std::string name;
  std::string description;
  std::string text;                       // as it reads in the report
  std::optional<double> number;           // numbers also as numbers
  std::vector<std::string> items;         // lists also as items
  std::string unit;                       // e.g. "次"
  std::string service, method, resource;  // where it came from
  RecordNames records;                    // the records behind it, by name
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
  FactCatalogue() = default;
  // A catalogue of the numbers alone, each with its name and value (the
  // year before, for 同比): texts and lists are not kept.
  static FactCatalogue NumbersOnly();

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
  bool numbers_only_ = false;
  Fact not_kept_;  // what AddText and AddList return in a NumbersOnly catalogue
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
