#include "services/kernel/utf8.h"

#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace fazhi::kernel {
namespace {

TEST(DecodeUtf8AtTest, DecodesOneCharacterAndItsLength) {
  uint32_t c = 0;
  EXPECT_EQ(DecodeUtf8At("a", 0, &c), 1u);
  EXPECT_EQ(c, 'a');
  EXPECT_EQ(DecodeUtf8At("x民", 1, &c), 3u);
  EXPECT_EQ(c, 0x6C11u);
  EXPECT_EQ(DecodeUtf8At("😀", 0, &c), 4u);
  EXPECT_EQ(c, 0x1F600u);
  EXPECT_EQ(DecodeUtf8At("\xC2\xA0", 0, &c), 2u);
  EXPECT_EQ(c, 0xA0u);
}

TEST(DecodeUtf8AtTest, RefusesWhatIsNotUtf8) {
  uint32_t c = 0x41;
  for (const std::string bad :
       {"\xff", "\x80", "\xe6\xb0", "\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
        "\xf8\x88\x80\x80\x80", "\xe6\x61\xb0"}) {
    EXPECT_EQ(DecodeUtf8At(bad, 0, &c), 0u) << bad;
  }
  EXPECT_EQ(c, 0x41u);  // untouched on failure
}

TEST(Utf8LengthTest, CountsCodePointsAndRejectsMalformed) {
  EXPECT_EQ(Utf8Length(""), 0);
  EXPECT_EQ(Utf8Length("abc"), 3);
  EXPECT_EQ(Utf8Length("民法典"), 3);
  EXPECT_EQ(Utf8Length("😀"), 1);
  EXPECT_EQ(Utf8Length("\xff"), -1);
  EXPECT_EQ(Utf8Length("\xe6\xb0"), -1);          // truncated 民
  EXPECT_EQ(Utf8Length("\xc0\xaf"), -1);          // overlong '/'
  EXPECT_EQ(Utf8Length("\xed\xa0\x80"), -1);      // surrogate
  EXPECT_EQ(Utf8Length("\xf4\x90\x80\x80"), -1);  // past U+10FFFF
  EXPECT_EQ(Utf8Length("ok\xe6\xb0"), -1);        // bad at the end
}

TEST(TruncateUtf8Test, CutsOnACharacterBoundaryAndMarksTheCut) {
  EXPECT_EQ(TruncateUtf8("short", 500), "short");
  // "x" then three-byte characters: every cut lands between characters.
  std::string text = "x";
  for (int i = 0; i < 400; ++i) text += "中";
  for (size_t max = 4; max < 40; ++max) {
    const std::string cut = TruncateUtf8(text, max);
    EXPECT_LE(cut.size(), max);
    EXPECT_GE(Utf8Length(cut), 1) << max;  // valid UTF-8
    EXPECT_TRUE(absl::EndsWith(cut, "…"));
  }
  EXPECT_EQ(TruncateUtf8(text, 2), "");
}

TEST(IsAllowedTextCodePointTest, RefusesWhatXmlForbidsAndBidiOverrides) {
  EXPECT_TRUE(IsAllowedTextCodePoint('\t'));
  EXPECT_TRUE(IsAllowedTextCodePoint('\r'));
  EXPECT_FALSE(IsAllowedTextCodePoint(0x0B));
  EXPECT_FALSE(IsAllowedTextCodePoint(0x7F));
  EXPECT_FALSE(IsAllowedTextCodePoint(0xD800));
  EXPECT_FALSE(IsAllowedTextCodePoint(0xFFFF));
  EXPECT_FALSE(IsAllowedTextCodePoint(0x202E));
  EXPECT_FALSE(IsAllowedTextCodePoint(0x2066));
  EXPECT_TRUE(IsAllowedTextCodePoint(0x10000));
  EXPECT_TRUE(IsAllowedTextCodePoint(0xFFFD));
  EXPECT_FALSE(IsAllowedTextCodePoint(0x110000));
}

}  // namespace
}  // namespace fazhi::kernel
