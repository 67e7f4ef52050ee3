#include "services/common/parse_errors.h"

#include "fazhi/study/v1/study.pb.h"
#include "gtest/gtest.h"

namespace fazhi {
namespace {

TEST(FieldPathInRequestTest, FindsTheFieldUnderTheRequest) {
  // Link the study descriptors into the generated pool.
  fazhi::study::v1::CreateSessionRequest unused;
  (void)unused;
  EXPECT_EQ(FieldPathInRequest("/fazhi.study.v1.StudyService/CreateSession",
                               "fazhi.study.v1.Session.title"),
            "session.title");
  EXPECT_EQ(FieldPathInRequest("/fazhi.study.v1.StudyService/CreateSession",
                               "fazhi.study.v1.CreateSessionRequest.parent"),
            "parent");
  EXPECT_EQ(FieldPathInRequest("/fazhi.study.v1.StudyService/CreateSession",
                               "fazhi.study.v1.Attendee.display_name"),
            "session.attendees.display_name");
  EXPECT_EQ(FieldPathInRequest("/no.Such/Method", "fazhi.study.v1.Session.title"),
            "fazhi.study.v1.Session.title");
}

}  // namespace
}  // namespace fazhi
