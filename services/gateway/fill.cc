#include "services/gateway/fill.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/gateway/render/document.h"
#include "services/report/placeholder.h"

namespace fazhi::gateway {

std::string ApplyFilters(const Fact& fact, const std::vector<std::string>& filters) {
  std::string value = fact.text;
  std::string unit;
  for (const std::string& filter : filters) {
    if (filter == "顿号") {
      if (!fact.items.empty()) value = absl::StrJoin(fact.items, "、");
    } else if (filter == "逗号") {
      if (!fact.items.empty()) value = absl::StrJoin(fact.items, "，");
    } else if (filter == "书名号") {
      if (!fact.items.empty()) {
        value.clear();
        for (const std::string& item : fact.items) absl::StrAppend(&value, "《", item, "》");
      }
    } else if (filter == "中文数字") {
      if (fact.number && *fact.number >= 1 && *fact.number <= 999 &&
          static_cast<int>(*fact.number) == *fact.number) {
        value = fazhi::render::ChineseNumeral(static_cast<int>(*fact.number));
      }
    } else {
      unit = filter;
    }
  }
  return value + unit;
}

std::string MissingMarker(const std::string& service) {
  return absl::StrCat("〔待补：", service, "服务数据缺失〕");
}

std::string FillTemplate(const std::string& text, const FactCatalogue& facts,
                         const std::string& field, std::vector<TemplateProblem>& problems,
                         const std::vector<std::string>& missing) {
  fazhi::report::ParsedTemplate parsed = fazhi::report::ParseTemplate(text);
  if (!parsed.ok()) {
    problems.push_back({field, fazhi::report::DescribeTemplateError(*parsed.error)});
    return text;
  }
  std::string out;
  for (const auto& segment : parsed.segments) {
    if (!segment.is_placeholder) {
      out += segment.text;
      continue;
    }
    const Fact* fact = facts.Find(segment.placeholder.name);
    const std::string& name = segment.placeholder.name;
    bool from_missing_backend = false;
    for (const std::string& service : missing) {
      if (name.rfind(service + ".", 0) == 0) {
        out += MissingMarker(service);
        from_missing_backend = true;
      }
    }
    if (from_missing_backend) continue;
    if (fact == nullptr) {
      problems.push_back({field, absl::StrCat("unknown fact \"", segment.placeholder.name,
                                              "\" at character ", segment.placeholder.position)});
      continue;
    }
    out += ApplyFilters(*fact, segment.placeholder.filters);
  }
  return out;
}

}  // namespace fazhi::gateway
