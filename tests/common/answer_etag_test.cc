#include "services/common/answer_etag.h"

#include "gmock/gmock.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/type/date.pb.h"
#include "gtest/gtest.h"

namespace fazhi {
namespace {

google::protobuf::FieldMask Mask(std::initializer_list<const char*> paths) {
  google::protobuf::FieldMask mask;
  for (const char* p : paths) mask.add_paths(p);
  return mask;
}

TEST(AnswerEtagTest, NamesTheRequestTheDayAndTheData) {
  const absl::CivilDay day(2024, 5, 6);
  const std::string etag = AnswerEtag(Mask({"a", "b"}), day, "life.7");
  EXPECT_EQ(etag.size(), 32u);
  EXPECT_EQ(AnswerEtag(Mask({"a", "b"}), day, "life.7"), etag);
  for (const std::string& other :
       {AnswerEtag(Mask({"a"}), day, "life.7"), AnswerEtag(Mask({"a", "b"}), day + 1, "life.7"),
        AnswerEtag(Mask({"a", "b"}), day, "life.8"),
        AnswerEtag(Mask({"a", "b"}), day, "other.7")}) {
    EXPECT_NE(other, etag);
  }
  // Another message type with the same bytes is another question.
  google::type::Date date;
  google::protobuf::FieldMask empty;
  EXPECT_NE(AnswerEtag(date, day, "v"), AnswerEtag(empty, day, "v"));
}

TEST(AnswerEtagTest, NoneWithoutAVersionSoNeverNotModified) {
  EXPECT_EQ(AnswerEtag(Mask({"a"}), absl::CivilDay(2024, 5, 6), std::nullopt), "");
  struct Answer {
    std::string etag;
    bool not_modified = false;
    bool cleared = false;
    void Clear() { cleared = true; }
    void set_answer_etag(const std::string& e) { etag = e; }
    void set_not_modified(bool n) { not_modified = n; }
  } a;
  EXPECT_FALSE(AnswerNotModified("", "", a));
  EXPECT_FALSE(AnswerNotModified("abc", "abd", a));
  EXPECT_FALSE(a.cleared);
  EXPECT_TRUE(AnswerNotModified("abc", "abc", a));
  EXPECT_TRUE(a.cleared);
  EXPECT_TRUE(a.not_modified);
  EXPECT_EQ(a.etag, "abc");
}

TEST(AnswerEtagTest, IfNoneMatchIsBounded) {
  FieldViolations ok;
  CheckIfNoneMatch(std::string(128, 'e'), ok);
  EXPECT_TRUE(ok.empty());
  FieldViolations too_long;
  CheckIfNoneMatch(std::string(129, 'e'), too_long);
  EXPECT_FALSE(too_long.empty());
}

}  // namespace
}  // namespace fazhi
