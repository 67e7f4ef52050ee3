#include "services/common/field_mask.h"

#include "fazhi/study/v1/study.pb.h"
#include "gtest/gtest.h"

namespace fazhi {
namespace {

using fazhi::study::v1::Session;

Session Existing() {
  Session s;
  s.set_name("orgs/a/sessions/x");
  s.set_title("old title");
  s.set_location("room 1");
  s.add_laws("民法典");
  s.add_laws("行政许可法");
  s.set_duration_minutes(60);
  return s;
}

TEST(ApplyFieldMaskTest, ReplacesOnlyMaskedFields) {
  Session target = Existing();
  Session source;
  source.set_title("new title");
  source.set_location("ignored");
  google::protobuf::FieldMask mask;
  mask.add_paths("title");
  FieldViolations v;
  ApplyFieldMask(source, mask, "update_mask", target, v);
  EXPECT_TRUE(v.empty());
  EXPECT_EQ(target.title(), "new title");
  EXPECT_EQ(target.location(), "room 1");
  EXPECT_EQ(target.laws_size(), 2);
}

TEST(ApplyFieldMaskTest, MaskedZeroValuesClearAndListsAreReplaced) {
  Session target = Existing();
  Session source;
  source.add_laws("行政处罚法");
  google::protobuf::FieldMask mask;
  mask.add_paths("location");
  mask.add_paths("laws");
  FieldViolations v;
  ApplyFieldMask(source, mask, "update_mask", target, v);
  EXPECT_EQ(target.location(), "");
  ASSERT_EQ(target.laws_size(), 1);
  EXPECT_EQ(target.laws(0), "行政处罚法");
}

TEST(ApplyFieldMaskTest, EmptyMaskMeansPopulatedFieldsExceptOutputOnly) {
  Session target = Existing();
  Session source;
  source.set_name("orgs/a/sessions/other");
  source.set_etag("W/\"9\"");
  source.set_duration_minutes(90);
  FieldViolations v;
  ApplyFieldMask(source, google::protobuf::FieldMask(), "update_mask", target, v);
  EXPECT_TRUE(v.empty());
  EXPECT_EQ(target.duration_minutes(), 90);
  EXPECT_EQ(target.title(), "old title");
  EXPECT_EQ(target.name(), "orgs/a/sessions/x");
}

TEST(ApplyFieldMaskTest, UnknownAndOutputOnlyPathsAreViolations) {
  Session target = Existing();
  google::protobuf::FieldMask mask;
  mask.add_paths("title");
  mask.add_paths("no_such_field");
  mask.add_paths("etag");
  FieldViolations v;
  Session source;
  source.set_title("changed");
  ApplyFieldMask(source, mask, "update_mask", target, v);
  ASSERT_EQ(v.violations().size(), 2u);
  EXPECT_EQ(v.violations()[0].field, "update_mask.paths[1]");
  EXPECT_EQ(v.violations()[1].field, "update_mask.paths[2]");
  EXPECT_EQ(target.title(), "old title");  // nothing applied
}

TEST(FieldByProtoOrJsonNameTest, FindsAFieldByEitherSpellingOnly) {
  const auto& type = *Session::descriptor();
  const auto* by_proto = FieldByProtoOrJsonName(type, "attendee_count");
  ASSERT_NE(by_proto, nullptr);
  EXPECT_EQ(by_proto->name(), "attendee_count");
  EXPECT_EQ(FieldByProtoOrJsonName(type, "attendeeCount"), by_proto);
  EXPECT_EQ(FieldByProtoOrJsonName(type, "AttendeeCount"), nullptr);
  EXPECT_EQ(FieldByProtoOrJsonName(type, "attendee"), nullptr);
  EXPECT_EQ(FieldByProtoOrJsonName(type, ""), nullptr);
}

}  // namespace
}  // namespace fazhi
