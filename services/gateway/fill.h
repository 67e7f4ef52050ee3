#ifndef FAZHI_SERVICES_GATEWAY_FILL_H_
#define FAZHI_SERVICES_GATEWAY_FILL_H_

// Fills the narrative's {{placeholders}} from the fact catalogue.
//
// Filters: 顿号 joins a list with 、 (the default for lists), 逗号 with ，,
// 书名号 wraps each item in 《》 with nothing between, 中文数字 writes a
// number in Chinese numerals; any other filter is a unit written after the
// value ("{{duty.officers.valid | 人}}" → "5人").

#include <string>
#include <vector>

#include "absl/status/statusor.h"
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

// What stands in the text for a fact whose backend failed.
std::string MissingMarker(const std::string& service);

// The value of one fact after its filters.
std::string ApplyFilters(const Fact& fact, const std::vector<std::string>& filters);

}  // namespace fazhi::gateway

#endif  // FAZHI_SERVICES_GATEWAY_FILL_H_
