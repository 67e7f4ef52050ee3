#include "services/gateway/render/document.h"

#include <array>

#include "absl/strings/str_cat.h"

namespace fazhi::render {

std::string ChineseNumeral(int n) {
  static constexpr std::array<const char*, 10> kDigits = {"零", "一", "二", "三", "四",
                                                          "五", "六", "七", "八", "九"};
  if (n <= 0 || n > 999) return absl::StrCat(n);
  const int hundreds = n / 100, tens = (n / 10) % 10, ones = n % 10;
  std::string out;
  if (hundreds > 0) {
    absl::StrAppend(&out, kDigits[hundreds], "百");
    if (tens == 0 && ones > 0) absl::StrAppend(&out, "零");
  }
  if (tens > 0) {
    // 十一 rather than 一十一, but 一百一十一.
    if (!(tens == 1 && hundreds == 0)) absl::StrAppend(&out, kDigits[tens]);
    absl::StrAppend(&out, "十");
  }
  if (ones > 0) absl::StrAppend(&out, kDigits[ones]);
  return out;
}

std::string HeadingLabel(int level, int n) {
  switch (level) {
    case 1:
      return absl::StrCat(ChineseNumeral(n), "、");
    case 2:
      return absl::StrCat("（", ChineseNumeral(n), "）");
    case 3:
      return absl::StrCat(n, ".");
    default:
      return absl::StrCat("（", n, "）");
  }
}

void NumberHeadings(Document& document) {
  std::array<int, 5> counters{};
  for (Block& block : document.body) {
    if (block.kind != BlockKind::kHeading) continue;
    const int level = std::clamp(block.level, 1, 4);
    ++counters[level];
    for (int deeper = level + 1; deeper <= 4; ++deeper) counters[deeper] = 0;
    block.number = HeadingLabel(level, counters[level]);
  }
}

}  // namespace fazhi::render
