#include "services/duty/validate.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace fazhi::duty {
namespace {

using ::testing::ElementsAre;

std::vector<std::string> Fields(const FieldViolations& v) {
  std::vector<std::string> fields;
  for (const Violation& x : v.violations()) fields.push_back(x.field);
  return fields;
}

TEST(ValidateTest, PowerCodesAndCertificateNumbers) {
  EXPECT_TRUE(IsValidPowerCode("000217004000"));
  EXPECT_TRUE(IsValidPowerCode("XK-MZ_01.2"));
  EXPECT_FALSE(IsValidPowerCode(""));
  EXPECT_FALSE(IsValidPowerCode("有中文"));
  EXPECT_FALSE(IsValidPowerCode(std::string(65, '1')));
  EXPECT_TRUE(IsValidCertificateNumber("4104231002019001"));
  EXPECT_FALSE(IsValidCertificateNumber("123"));
  EXPECT_FALSE(IsValidCertificateNumber("ZF 001"));
}

TEST(ValidateTest, AssignmentNames) {
  FieldViolations v;
  auto name = ParseAssignmentName("orgs/org-a/powers/p1/assignments/o1", "name", v);
  ASSERT_TRUE(name.has_value());
  EXPECT_EQ(name->org, "org-a");
  EXPECT_EQ(name->power_id, "p1");
  EXPECT_EQ(name->officer_id, "o1");
  EXPECT_EQ(FormatAssignmentName("org-a", "p1", "o1"), "orgs/org-a/powers/p1/assignments/o1");
  EXPECT_FALSE(ParseAssignmentName("orgs/org-a/powers/p1/officers/o1", "name", v));
  EXPECT_FALSE(ParseAssignmentName("orgs/org-a/powers/p1", "name", v));
  EXPECT_THAT(Fields(v), ElementsAre("name", "name"));
}

TEST(ValidateTest, ReferencesMustStayInTheOrganization) {
  FieldViolations v;
  EXPECT_EQ(ParseReference("", "posts", "org-a", "post", v), std::string());
  EXPECT_EQ(ParseReference("orgs/org-a/posts/p", "posts", "org-a", "post", v), std::string("p"));
  EXPECT_FALSE(ParseReference("orgs/org-b/posts/p", "posts", "org-a", "post", v));
  EXPECT_FALSE(ParseReference("orgs/org-a/officers/p", "posts", "org-a", "post", v));
  EXPECT_THAT(Fields(v), ElementsAre("post", "post"));
}

TEST(ValidateTest, RequiredOfficersNeverOne) {
  v1::Power p;
  p.set_code("C1");
  p.set_item_name("x");
  p.set_type(v1::POWER_TYPE_PENALTY);
  p.set_domain("殡葬");
  for (int n : {0, 2, 3, 50}) {
    p.set_required_officers(n);
    FieldViolations v;
    ValidatePower(p, "", "org-a", v);
    EXPECT_TRUE(v.empty()) << n;
  }
  for (int n : {1, -2, 51}) {
    p.set_required_officers(n);
    FieldViolations v;
    ValidatePower(p, "", "org-a", v);
    EXPECT_THAT(Fields(v), ElementsAre("required_officers")) << n;
  }
}

TEST(ValidateTest, OfficerTrainingYearsAndDuplicateDomains) {
  v1::Officer o;
  o.set_person_id("P1");
  o.set_display_name("张三");
  o.add_domains("殡葬");
  o.add_domains("殡葬");
  auto* t = o.add_training();
  t->set_year(1800);
  t->set_hours(10);
  FieldViolations v;
  ValidateOfficer(o, "officer.", "org-a", v);
  EXPECT_THAT(Fields(v), ElementsAre("officer.domains[1]", "officer.training[0].year"));
}

}  // namespace
}  // namespace fazhi::duty
