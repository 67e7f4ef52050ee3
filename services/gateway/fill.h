#ifndef FAZHI_SERVICES_GATEWAY_FILL_H_
#define FAZHI_SERVICES_GATEWAY_FILL_H_

// Fills the narrative's {{placeholders}} from the fact catalogue.
//
// Filters: 顿号 joins a list with 、 (the default for lists), 逗号 with ，,
// 书名号 wraps each item in 《》 with nothing between, 中文数字 writes a
// number in Chinese numerals; 同比 compares a number with the year before
// in words ("同比增加2次", "同比减少1场", "与上年持平"), 同比幅度 as a
// percentage ("同比增长12.5%", "同比下降20%"), 上年 gives the year
// before's value; for a first year (nothing on record the year before)
// the comparisons say so instead of comparing with zero. Any other filter
// is a unit written after the value ("{{duty.officers.valid | 人}}" →
// "5人").

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "fazhi/report/v1/report.pb.h"
#include "services/gateway/facts.h"

namespace fazhi::gateway {

// A template that names facts the catalogue lacks, or fails to parse.
struct TemplateProblem {
  std::string field;    // e.g. "sections[0].items[1].paragraphs[2]"
  std::string problem;  // e.g. "unknown fact \"study.foo\""
};

// The filled text, or the problems (every unknown name) in `problems`.
// Facts of a `missing` backend ("study", "duty") are marked, not refused.
std::string FillTemplate(const std::string& text, const FactCatalogue& facts,
                         const std::string& field, std::vector<TemplateProblem>& problems,
                         const std::vector<std::string>& missing = {});

// Where the report's narrative quotes each fact: name -> fields.
std::map<std::string, std::vector<std::string>> FactUses(const fazhi::report::v1::Report& report);

// What stands in the text for a fact whose backend failed.
std::string MissingMarker(const std::string& service);

// The value of one fact after its filters; INVALID_ARGUMENT for a
// comparison with the year before on a fact that has none.
absl::StatusOr<std::string> ApplyFilters(const Fact& fact, const std::vector<std::string>& filters);

// "同比增加2次", "同比下降12.5%", "与上年持平", or what a first year says.
std::string YearOnYear(const Fact& fact, bool as_percentage, const std::string& unit);

}  // namespace fazhi::gateway

#endif  // FAZHI_SERVICES_GATEWAY_FILL_H_
