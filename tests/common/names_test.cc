#include "services/common/names.h"

#include "gtest/gtest.h"

namespace fazhi {
namespace {

TEST(OrgOfNameTest, TheOrgOfEveryNameBelowIt) {
  EXPECT_EQ(OrgOfName("orgs/lushan-minzheng"), "lushan-minzheng");
  EXPECT_EQ(OrgOfName("orgs/lushan-minzheng/reports/2024/revisions/1"), "lushan-minzheng");
  EXPECT_EQ(OrgOfName("orgs/Lushan"), std::nullopt);
  EXPECT_EQ(OrgOfName("org/lushan"), std::nullopt);
  EXPECT_EQ(OrgOfName("orgs/"), std::nullopt);
  EXPECT_EQ(OrgOfName("lushan"), std::nullopt);
  EXPECT_EQ(OrgOfName("orgs/-"), std::nullopt);
  EXPECT_EQ(OrgOfName("orgs/-", /*allow_every=*/true), "-");
  EXPECT_EQ(OrgOfName("orgs/-/sessions/x", /*allow_every=*/true), "-");
  EXPECT_EQ(OrgOfName("orgs/lushan/"), "lushan");
  EXPECT_EQ(OrgOfName("orgs"), std::nullopt);
  EXPECT_EQ(OrgOfName("orgsx/lushan"), std::nullopt);
  EXPECT_EQ(OrgOfName("orgs//lushan"), std::nullopt);
  EXPECT_EQ(OrgOfName("/orgs/lushan"), std::nullopt);
}

TEST(ReportNameTest, FormatsAndParsesBack) {
  const ReportName name{"lushan-minzheng", 2024};
  EXPECT_EQ(name.Format(), "orgs/lushan-minzheng/reports/2024");
  FieldViolations v;
  auto parsed = ReportName::Parse(name.Format(), "name", v);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->org, "lushan-minzheng");
  EXPECT_EQ(parsed->year, 2024);
  EXPECT_TRUE(v.empty());
}

TEST(ReportNameTest, RefusesWhatIsNotCanonical) {
  for (const char* bad : {"orgs/lushan-minzheng/reports/02024", "orgs/lushan-minzheng/reports/1989",
                          "orgs/lushan-minzheng/report/2024", "orgs/x/reports/2024/",
                          "orgs/lushan-minzheng/reports/2024x"}) {
    FieldViolations v;
    EXPECT_FALSE(ReportName::Parse(bad, "report.name", v)) << bad;
    ASSERT_EQ(v.violations().size(), 1u) << bad;
    EXPECT_EQ(v.violations()[0].field, "report.name");
  }
  FieldViolations v;
  EXPECT_FALSE(ReportName::Parse("", "name", v));
  EXPECT_EQ(v.violations()[0].description, "is required (orgs/{org}/reports/{year})");
}

TEST(RevisionAndDocumentNameTest, NestUnderTheReport) {
  const DocumentName document{"lushan-minzheng", 2024, 3, "docx"};
  EXPECT_EQ(document.Format(), "orgs/lushan-minzheng/reports/2024/revisions/3/documents/docx");
  EXPECT_EQ(document.revision_name().Format(), "orgs/lushan-minzheng/reports/2024/revisions/3");
  EXPECT_EQ(document.revision_name().report().Format(), "orgs/lushan-minzheng/reports/2024");
  FieldViolations v;
  auto parsed = DocumentName::Parse(document.Format(), "name", v);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->revision, 3);
  EXPECT_EQ(parsed->format, "docx");
  auto revision = RevisionName::Parse(document.revision_name().Format(), "name", v);
  ASSERT_TRUE(revision);
  EXPECT_EQ(revision->revision, 3);
  EXPECT_TRUE(v.empty());
}

TEST(RevisionAndDocumentNameTest, RefuseBadParts) {
  for (const char* bad : {"orgs/a1/reports/2024/revisions/0", "orgs/a1/reports/2024/revisions/01",
                          "orgs/a1/reports/2024/revisions/x"}) {
    FieldViolations v;
    EXPECT_FALSE(RevisionName::Parse(bad, "name", v)) << bad;
  }
  for (const char* bad : {"orgs/a1/reports/2024/revisions/1/documents/",
                          "orgs/a1/reports/2024/revisions/1/documents/DOCX",
                          "orgs/a1/reports/2024/revisions/1/documents/a-b",
                          "orgs/a1/reports/2024/revisions/1/documents/abcdefghijklmnopq",
                          "orgs/a1/reports/2024/documents/docx"}) {
    FieldViolations v;
    EXPECT_FALSE(DocumentName::Parse(bad, "name", v)) << bad;
    EXPECT_EQ(v.violations().size(), 1u) << bad;
  }
}

TEST(StudyPlanNameTest, TheYearIsThePlansId) {
  EXPECT_EQ((StudyPlanName{"lushan-minzheng", 2024}.Format()),
            "orgs/lushan-minzheng/studyPlans/2024");
  FieldViolations v;
  auto parsed = StudyPlanName::Parse("orgs/lushan-minzheng/studyPlans/2024", "name", v);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->year, 2024);
  EXPECT_FALSE(StudyPlanName::Parse("orgs/lushan-minzheng/studyPlans/3000", "name", v));
  ASSERT_EQ(v.violations().size(), 1u);
  EXPECT_EQ(v.violations()[0].description, "the plan id must be a year between 1990 and 2100");
}

}  // namespace
}  // namespace fazhi
