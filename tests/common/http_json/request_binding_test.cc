#include "services/common/http_json/request_binding.h"

#include <gtest/gtest.h>

#include "fazhi/study/v1/study.pb.h"

namespace fazhi::http_json {
namespace {

namespace sv1 = fazhi::study::v1;

TEST(RequestBindingTest, QueryParametersSetScalarsEnumsDatesAndRepeatedFields) {
  sv1::ListSessionsRequest request;
  ASSERT_TRUE(BindRequest({"",
                           "",
                           {{"pageSize", "10"},
                            {"page_token", "abc"},
                            {"kind", "STUDY_KIND_LECTURE"},
                            {"start_date", "2024-01-02"},
                            {"endDate.year", "2024"},
                            {"endDate.month", "6"}},
                           {{"parent", "orgs/acme"}}},
                          request)
                  .ok());
  EXPECT_EQ(request.parent(), "orgs/acme");
  EXPECT_EQ(request.page_size(), 10);
  EXPECT_EQ(request.page_token(), "abc");
  EXPECT_EQ(request.kind(), sv1::STUDY_KIND_LECTURE);
  EXPECT_EQ(request.start_date().day(), 2);
  EXPECT_EQ(request.end_date().year(), 2024);
  EXPECT_EQ(request.end_date().month(), 6);

  sv1::GetStudySummaryRequest summary;
  ASSERT_TRUE(
      BindRequest({"", "", {{"includeRecords", "true"}}, {{"org", "orgs/a"}, {"year", "2024"}}},
                  summary)
          .ok());
  EXPECT_EQ(summary.year(), 2024);
  EXPECT_TRUE(summary.include_records());
}

TEST(RequestBindingTest, ABodyFieldTakesTheBodyAndThePathWins) {
  sv1::UpdateSessionRequest request;
  ASSERT_TRUE(
      BindRequest({"session",
                   R"({"name": "orgs/other/sessions/x", "title": "民法典", "laws": ["a", "b"]})",
                   {{"updateMask", "title,laws"}},
                   {{"session.name", "orgs/acme/sessions/s1"}}},
                  request)
          .ok());
  EXPECT_EQ(request.session().name(), "orgs/acme/sessions/s1");
  EXPECT_EQ(request.session().title(), "民法典");
  EXPECT_EQ(request.session().laws_size(), 2);
  ASSERT_EQ(request.update_mask().paths_size(), 2);
  EXPECT_EQ(request.update_mask().paths(0), "title");
}

TEST(RequestBindingTest, TheWholeBody) {
  sv1::ImportSessionsRequest request;
  ASSERT_TRUE(BindRequest({"*",
                           R"({"mode": "IMPORT_MODE_UPSERT", "sessions": [{"title": "t"}]})",
                           {},
                           {{"parent", "orgs/acme"}}},
                          request)
                  .ok());
  EXPECT_EQ(request.parent(), "orgs/acme");
  EXPECT_EQ(request.sessions(0).title(), "t");
  EXPECT_EQ(request.mode(), fazhi::type::v1::IMPORT_MODE_UPSERT);
}

TEST(RequestBindingTest, RefusesWhatDoesNotFit) {
  sv1::ListSessionsRequest list;
  struct Case {
    RequestParts parts;
    std::string says;
  };
  const std::vector<Case> cases = {
      {{"", "", {{"pageSiz", "1"}}, {}}, "\"pageSiz\" is not a field"},
      {{"", "", {{"pageSize", "many"}}, {}}, "page_size"},
      {{"", "", {{"startDate", "2024/01/02"}}, {}}, "is not a date"},
      {{"", "", {{"parent", "orgs/b"}}, {{"parent", "orgs/a"}}}, "is set by the path"},
      {{"", "{\"parent\": \"x\"}", {}, {}}, "takes no body"},
      {{"*", "[1]", {}, {}}, "not a JSON object"},
      {{"*", "{", {}, {}}, "not JSON"},
      {{"*", "{}", {{"pageSize", "1"}}, {}}, "every field in the body"},
      {{"*", R"({"unknown": 1})", {}, {}}, "unknown"},
  };
  for (const Case& c : cases) {
    const absl::Status status = BindRequest(c.parts, list);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.says;
    EXPECT_NE(status.message().find(c.says), absl::string_view::npos) << status;
  }
  sv1::GetStudySummaryRequest summary;
  EXPECT_NE(BindRequest({"", "", {{"includeRecords", "maybe"}}, {}}, summary)
                .message()
                .find("is not true or false"),
            absl::string_view::npos);
}

}  // namespace
}  // namespace fazhi::http_json
