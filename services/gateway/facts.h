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
  std::string text;                 // as it reads in the report
  std::optional<double> number;     // numbers also as numbers
  std::vector<std::string> items;   // lists also as items
  std::string unit;                 // e.g. "次"
  std::string service, method, resource;  // where it came from
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
};

class FactCatalogue {
 public:
  const Fact* Find(const std::string& name) const;
  const std::map<std::string, Fact>& facts() const { return facts_; }

  void Add(Fact fact);
  void AddNumber(const std::string& name, double value, const std::string& unit,
                 const std::string& description, const Fact& source);
  void AddText(const std::string& name, const std::string& value, const std::string& description,
               const Fact& source);
  void AddList(const std::string& name, std::vector<std::string> items,
               const std::string& description, const Fact& source);

 private:
  std::map<std::string, Fact> facts_;
};

FactCatalogue BuildFacts(const YearInputs& inputs);

// "2025年1月15日"
std::string ChineseDate(int year, int month, int day);
// "第三季度"
std::string QuarterName(int quarter);

}  // namespace fazhi::gateway

#endif  // FAZHI_SERVICES_GATEWAY_FACTS_H_
