#include "services/gateway/fill.h"

#include <cmath>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "services/gateway/render/document.h"
#include "services/kernel/narrative_fields.h"
#include "services/kernel/placeholder.h"

namespace fazhi::gateway {

namespace {

std::string Decimal(double value) {
  std::string text = absl::StrFormat("%.1f", value);
  if (absl::EndsWith(text, ".0")) text.resize(text.size() - 2);
  return text;
}

}  // namespace

std::string YearOnYear(const Fact& fact, bool as_percentage, const std::string& unit) {
  if (!fact.previous_on_record) return "上年无记录，不作同比";
  const double now = fact.number.value_or(0), before = fact.previous;
  if (now == before) return "与上年持平";
  const double change = std::fabs(now - before);
  if (as_percentage && before != 0) {
    return absl::StrCat(now > before ? "同比增长" : "同比下降", Decimal(100.0 * change / before),
                        "%");
  }
  std::string words = absl::StrCat(now > before ? "同比增加" : "同比减少", Decimal(change), unit);
  // A percentage of nothing means nothing: say what the year before was.
  if (as_percentage) absl::StrAppend(&words, "（上年为0", unit, "）");
  return words;
}

absl::StatusOr<std::string> ApplyFilters(const Fact& fact,
                                         const std::vector<std::string>& filters) {
  std::string value = fact.text;
  std::string unit;
  enum class Comparison { kNone, kCount, kPercent, kPrevious } comparison = Comparison::kNone;
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
    } else if (filter == "同比" || filter == "同比幅度" || filter == "上年") {
      if (!fact.has_previous) {
        return absl::InvalidArgumentError(absl::StrCat(
            "fact \"", fact.name, "\" has no value for the year before (filter \"", filter,
            "\"): only study and publicity facts, kept as dated records, can be compared"));
      }
      comparison = filter == "同比"   ? Comparison::kCount
                   : filter == "上年" ? Comparison::kPrevious
                                      : Comparison::kPercent;
    } else {
      unit = filter;
    }
  }
  switch (comparison) {
    case Comparison::kCount:
      return YearOnYear(fact, /*as_percentage=*/false, unit.empty() ? fact.unit : unit);
    case Comparison::kPercent:
      return YearOnYear(fact, /*as_percentage=*/true, unit.empty() ? fact.unit : unit);
    case Comparison::kPrevious:
      if (!fact.previous_on_record) return std::string("上年无记录");
      return absl::StrCat(Decimal(fact.previous), unit);
    default:
      return value + unit;
  }
}

std::map<std::string, std::vector<std::string>> FactUses(const fazhi::report::v1::Report& report) {
  std::map<std::string, std::vector<std::string>> uses;
  kernel::ForEachNarrativeField(report, [&](const std::string& field, const std::string& text) {
    for (const auto& placeholder : kernel::ParseTemplate(text).placeholders()) {
      auto& fields = uses[placeholder.name];
      if (fields.empty() || fields.back() != field) fields.push_back(field);
    }
  });
  return uses;
}

std::string MissingMarker(const std::string& service) {
  return absl::StrCat("〔待补：", service, "服务数据缺失〕");
}

std::string FillTemplate(const std::string& text, const FactCatalogue& facts,
                         const std::string& field, std::vector<TemplateProblem>& problems,
                         const std::vector<std::string>& missing) {
  kernel::ParsedTemplate parsed = kernel::ParseTemplate(text);
  if (!parsed.ok()) {
    problems.push_back({field, kernel::DescribeTemplateError(*parsed.error)});
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
    absl::StatusOr<std::string> value = ApplyFilters(*fact, segment.placeholder.filters);
    if (!value.ok()) {
      problems.push_back({field, absl::StrCat(value.status().message(), " at character ",
                                              segment.placeholder.position)});
      continue;
    }
    out += *value;
  }
  return out;
}

}  // namespace fazhi::gateway
