#include "services/gateway/render/gongwen.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <string_view>
#include <tuple>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "services/kernel/utf8.h"

namespace fazhi::render {
namespace {

struct Glyph {
  size_t begin = 0;  // byte offset
  char32_t code = 0;
  int halves = 2;
};

// UTF-8 into glyphs; a malformed byte is a glyph of its own, as wide as
// a character outside ASCII.
std::vector<Glyph> Decode(absl::string_view text) {
  std::vector<Glyph> glyphs;
  for (size_t i = 0; i < text.size();) {
    uint32_t code = static_cast<unsigned char>(text[i]);  // kept when malformed
    const size_t length = kernel::DecodeUtf8At(text, i, &code);
    glyphs.push_back({i, code, code < 0x80 ? 1 : 2});
    i += length == 0 ? 1 : length;
  }
  return glyphs;
}

bool IsAsciiAlnum(char32_t c) { return c < 0x80 && absl::ascii_isalnum(static_cast<char>(c)); }

bool IsIn(char32_t c, std::u32string_view set) { return set.find(c) != std::u32string_view::npos; }

// Marks that may not start a line, and marks that may not end one (避头尾).
constexpr std::u32string_view kNoLineStart = U"，。、；：？！）》」』〕】”’…—·%,.;:?!)]";
constexpr std::u32string_view kNoLineEnd = U"（《「『〔【“‘([";

// Words the titles of these reports are built from: a break at their edges
// reads well, one inside them does not.
constexpr const char* kTitleWords[] = {
    "关于", "年度", "法治政府",   "法治",     "政府",       "建设", "情况",
    "工作", "报告", "推进",       "依法行政", "行政",       "执法", "落实",
    "责任", "履行", "第一责任人", "职责",     "主要负责人", "开展", "年度报告"};

constexpr int kPenaltyUnknown = 15;     // between characters of unknown words
constexpr int kPenaltySubword = 10;     // between two words of a compound (法治|政府)
constexpr int kPenaltyInsideWord = 40;  // inside a word
constexpr int kPenaltyKeepWhole = 200;  // inside the organ's name
constexpr int kForbidden = -1;

// Penalty of a break before glyph b, or kForbidden.
std::vector<int> BreakPenalties(absl::string_view text, const std::vector<Glyph>& g,
                                absl::string_view keep_whole) {
  const size_t n = g.size();
  std::vector<int> penalty(n + 1, kPenaltyUnknown);
  std::vector<bool> edge(n + 1, false), inside(n + 1, false), whole(n + 1, false);
  // Byte offset → glyph index.
  std::map<size_t, size_t> at;
  for (size_t i = 0; i < n; ++i) at[g[i].begin] = i;
  at[text.size()] = n;
  auto mark = [&](absl::string_view word, std::vector<bool>* inner) {
    if (word.empty()) return;
    for (size_t pos = text.find(word); pos != absl::string_view::npos;
         pos = text.find(word, pos + 1)) {
      auto first = at.find(pos), last = at.find(pos + word.size());
      if (first == at.end() || last == at.end()) continue;
      edge[first->second] = edge[last->second] = true;
      for (size_t b = first->second + 1; b < last->second; ++b) (*inner)[b] = true;
    }
  };
  for (const char* word : kTitleWords) mark(word, &inside);
  mark(keep_whole, &whole);
  // A number with its unit (2024年) is one word.
  for (size_t b = 1; b < n; ++b) {
    const bool digit_before = IsAsciiAlnum(g[b - 1].code);
    if (digit_before != IsAsciiAlnum(g[b].code)) edge[b] = true;
    if (digit_before && IsIn(g[b].code, U"年月日号")) edge[b + 1] = true;
  }
  for (size_t b = 1; b < n; ++b) {
    if (edge[b])
      penalty[b] = inside[b] ? kPenaltySubword : 0;
    else if (inside[b])
      penalty[b] = kPenaltyInsideWord;
    if (whole[b]) penalty[b] = kPenaltyKeepWhole;
    const char32_t before = g[b - 1].code, after = g[b].code;
    if ((IsAsciiAlnum(before) && IsAsciiAlnum(after)) ||
        (IsAsciiAlnum(before) && IsIn(after, U"年月日号")) || IsIn(after, kNoLineStart) ||
        IsIn(before, kNoLineEnd)) {
      penalty[b] = kForbidden;
    }
  }
  return penalty;
}

// Dynamic programme over (first glyph of the line, lines left, width of the
// line above, whether the shape already narrows): the least sum of squared
// deviations from the mean width plus break penalties.
class TitleBreaker {
 public:
  TitleBreaker(const std::vector<Glyph>& glyphs, std::vector<int> penalties, int max_halves,
               int lines)
      : g_(glyphs), penalty_(std::move(penalties)), max_(max_halves), lines_(lines) {
    prefix_.push_back(0);
    for (const Glyph& glyph : g_) prefix_.push_back(prefix_.back() + glyph.halves);
    mean_ = static_cast<double>(prefix_.back()) / lines;
  }

  // Break positions (glyph indexes where lines 2… start), or empty when no
  // breaking into this many lines meets the rules.
  std::vector<size_t> Solve() {
    if (Best(0, lines_, -1, false) >= kInfinity) return {};
    std::vector<size_t> breaks;
    size_t start = 0;
    int above = -1;
    bool narrowing = false;
    for (int left = lines_; left > 1; --left) {
      const auto& [cost, next] = memo_[{start, left, above, narrowing}];
      (void)cost;
      const int width = Width(start, next);
      narrowing = Narrowing(above, width, narrowing);
      above = width;
      breaks.push_back(next);
      start = next;
    }
    return breaks;
  }

 private:
  static constexpr double kInfinity = std::numeric_limits<double>::infinity();

  int Width(size_t from, size_t to) const { return prefix_[to] - prefix_[from]; }
  double Deviation(int width) const { return (width - mean_) * (width - mean_); }

  // Trapezoid or diamond: widths rise (or stay), then fall (or stay); half
  // a character of difference is no change. Returns whether the shape
  // narrows after a line of `width`, or sets shape_ok_ false.
  bool Narrowing(int above, int width, bool narrowing) {
    shape_ok_ = true;
    if (above < 0) return false;
    if (narrowing) {
      shape_ok_ = width <= above + 1;
      return true;
    }
    return width < above - 1;
  }

  double Best(size_t start, int left, int above, bool narrowing) {
    const auto key = std::make_tuple(start, left, above, narrowing);
    if (auto it = memo_.find(key); it != memo_.end()) return it->second.first;
    double best = kInfinity;
    size_t best_next = 0;
    const size_t n = g_.size();
    if (left == 1) {
      const int width = Width(start, n);
      Narrowing(above, width, narrowing);
      if (width <= max_ && n - start >= 4 && shape_ok_) best = Deviation(width);
    } else {
      for (size_t next = start + 1; next < n && Width(start, next) <= max_; ++next) {
        if (penalty_[next] == kForbidden) continue;
        const int width = Width(start, next);
        const bool now_narrowing = Narrowing(above, width, narrowing);
        if (!shape_ok_) continue;
        const double cost =
            Deviation(width) + penalty_[next] + Best(next, left - 1, width, now_narrowing);
        if (cost < best) {
          best = cost;
          best_next = next;
        }
      }
    }
    memo_[key] = {best, best_next};
    return best;
  }

  const std::vector<Glyph>& g_;
  std::vector<int> penalty_;
  std::vector<int> prefix_;
  const int max_;
  const int lines_;
  double mean_ = 0;
  bool shape_ok_ = true;
  std::map<std::tuple<size_t, int, int, bool>, std::pair<double, size_t>> memo_;
};

}  // namespace

int HalfWidths(absl::string_view text) {
  int halves = 0;
  for (const Glyph& g : Decode(text)) halves += g.halves;
  return halves;
}

std::vector<std::string> BreakTitle(absl::string_view title, int max_chars,
                                    absl::string_view keep_whole) {
  std::vector<std::string> lines;
  if (title.find('\n') != absl::string_view::npos) {
    for (absl::string_view line : absl::StrSplit(title, '\n')) {
      line = absl::StripAsciiWhitespace(line);
      if (!line.empty()) lines.emplace_back(line);
    }
    return lines;
  }
  const std::vector<Glyph> glyphs = Decode(title);
  const int max_halves = 2 * max_chars;
  const int total = HalfWidths(title);
  if (total <= max_halves) return {std::string(title)};
  const std::vector<int> penalties = BreakPenalties(title, glyphs, keep_whole);
  const int fewest = (total + max_halves - 1) / max_halves;
  for (int count = fewest; count <= fewest + 2; ++count) {
    std::vector<size_t> breaks = TitleBreaker(glyphs, penalties, max_halves, count).Solve();
    if (breaks.empty()) continue;
    size_t from = 0;
    breaks.push_back(glyphs.size());
    for (size_t to : breaks) {
      const size_t end = to < glyphs.size() ? glyphs[to].begin : title.size();
      lines.emplace_back(title.substr(glyphs[from].begin, end - glyphs[from].begin));
      from = to;
    }
    return lines;
  }
  return {std::string(title)};  // unbreakable by the rules: the renderer wraps it
}

SignatureGeometry LayOutSignature(int signature_width, int date_width, int line_width,
                                  int char_width) {
  const int s = signature_width, t = date_width, two = 2 * char_width;
  SignatureGeometry g;
  g.long_date = t > s;
  if (s > 0 && !g.long_date) {
    g.signature_right = two;
    g.signature_left = line_width - two - s;
    if (t > 0) {
      g.date_left = g.signature_left + two;
      g.date_right = line_width - g.date_left - t;
    }
  } else if (t > 0) {
    g.date_right = two;
    g.date_left = line_width - two - t;
    if (s > 0) {
      g.signature_left = g.date_left - two;
      g.signature_right = line_width - g.signature_left - s;
    }
  }
  g.signature_left = std::max(g.signature_left, 0);
  g.date_left = std::max(g.date_left, 0);
  return g;
}

std::string AddresseeLine(absl::string_view addressee) {
  addressee = absl::StripAsciiWhitespace(addressee);
  if (!absl::ConsumeSuffix(&addressee, "：")) absl::ConsumeSuffix(&addressee, ":");
  if (addressee.empty()) return "";
  return absl::StrCat(addressee, "：");
}

bool HasHeader(const Document& document) { return !document.document_number.empty(); }

bool OrganAboveTitle(const Document& document) {
  if (HasHeader(document) || document.organ.empty()) return false;
  const std::string title = absl::StrReplaceAll(document.title, {{"\n", ""}});
  return title.find(document.organ) == std::string::npos;
}

Layout LayOut(const Document& document) {
  Layout layout;
  layout.has_header = HasHeader(document);
  layout.organ_above_title = OrganAboveTitle(document);
  layout.title_lines = BreakTitle(document.title, kTitleLineChars, document.organ);
  layout.addressee_line = AddresseeLine(document.addressee);
  if (layout.has_header) {
    layout.header_mark_halves = HalfWidths(absl::StrCat(document.organ, "文件"));
    layout.document_number_halves = HalfWidths(document.document_number);
  }
  layout.signature_halves = HalfWidths(document.signature);
  layout.date_halves = HalfWidths(document.date);
  layout.signature = LayOutSignature(layout.signature_halves, layout.date_halves);
  return layout;
}

}  // namespace fazhi::render
