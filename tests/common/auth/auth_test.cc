// Pure pieces of authentication and authorization: roles, API keys, the
// keys file, the authenticator and reading a request's organization.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fazhi/report/v1/report.pb.h"
#include "fazhi/study/v1/study.pb.h"
#include "services/common/auth/access.h"
#include "services/common/auth/api_key.h"
#include "services/common/auth/authenticator.h"
#include "services/common/auth/keys_file.h"
#include "services/common/auth/principal.h"
#include "tests/testing/temp_dir.h"

namespace fazhi::auth {
namespace {

using ::testing::HasSubstr;

TEST(PrincipalTest, RolesGrantTheirPermissionsOnTheirOrganizationsOnly) {
  Principal p{"x", "key:1", {{Role::kEditor, {"org-a"}}, {Role::kSupervisor, {"org-b", "org-c"}}}};
  EXPECT_TRUE(p.Can(Permission::kWrite, "org-a"));
  EXPECT_TRUE(p.Can(Permission::kRead, "org-a"));
  EXPECT_FALSE(p.Can(Permission::kApprove, "org-a"));
  EXPECT_FALSE(p.Can(Permission::kAudit, "org-a"));
  EXPECT_TRUE(p.Can(Permission::kAudit, "org-b"));
  EXPECT_FALSE(p.Can(Permission::kWrite, "org-b"));
  EXPECT_FALSE(p.Can(Permission::kRead, "org-z"));
  EXPECT_FALSE(p.Can(Permission::kRead, ""));
  EXPECT_TRUE(p.CanSomewhere(Permission::kAudit));
  EXPECT_FALSE(p.CanSomewhere(Permission::kAdminister));
}

TEST(PrincipalTest, WildcardAndAdmin) {
  Principal admin{"a", "key:1", {{Role::kAdmin, {kAnyOrg}}}};
  for (Permission perm : {Permission::kRead, Permission::kWrite, Permission::kApprove,
                          Permission::kAudit, Permission::kAdminister}) {
    EXPECT_TRUE(admin.Can(perm, "any-org")) << PermissionName(perm);
  }
  Principal approver{"b", "key:2", {{Role::kApprover, {kAnyOrg}}}};
  EXPECT_TRUE(approver.Can(Permission::kApprove, "org-q"));
  EXPECT_FALSE(approver.Can(Permission::kWrite, "org-q"));
}

TEST(ApiKeyTest, KeysAreRandomWellFormedAndHashed) {
  absl::StatusOr<NewApiKey> a = GenerateApiKey();
  absl::StatusOr<NewApiKey> b = GenerateApiKey();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->key, b->key);
  EXPECT_EQ(a->key.size(), 3 + 16 + 1 + 43u);  // 256-bit secret
  EXPECT_EQ(ApiKeyId(a->key), a->id);
  EXPECT_EQ(HashApiKey(a->key), a->sha256);
  EXPECT_EQ(a->sha256.size(), 64u);
  EXPECT_EQ(a->key.find(a->sha256), std::string::npos);
  EXPECT_FALSE(ApiKeyId("fz_short_x").has_value());
  EXPECT_FALSE(ApiKeyId(a->key.substr(0, a->key.size() - 1)).has_value());
  EXPECT_TRUE(HashesEqual(a->sha256, a->sha256));
  EXPECT_FALSE(HashesEqual(a->sha256, b->sha256));
}

// Keys files store these hashes: the bytes must never change. The value was
// computed by the hash before it moved onto the kernel's SHA-256.
TEST(ApiKeyTest, HashOfAKnownKeyIsUnchanged) {
  EXPECT_EQ(HashApiKey("fz_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
            "1554cb91f75e0552106330307e63108c76882af89c599d463db49656380b1ca0");
  EXPECT_EQ(HashApiKey(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

KeysFile FileWith(const NewApiKey& key, const std::string& revoked = "") {
  KeysFile file;
  file.callers.push_back(
      CallerEntry{"editor-a",
                  {{Role::kEditor, {"org-a"}}},
                  {"oa.org-a.example"},
                  false,
                  {KeyEntry{key.id, key.sha256, "2026-11-29T00:00:00Z", revoked}}});
  file.callers.push_back(
      CallerEntry{"gateway", {{Role::kReader, {"org-a"}}}, {"gateway.example"}, true, {}});
  return file;
}

TEST(KeysFileTest, RoundTripsAndRejectsEveryProblem) {
  NewApiKey key = *GenerateApiKey();
  KeysFile file = FileWith(key);
  absl::StatusOr<KeysFile> back = ParseKeysFile(SerializeKeysFile(file));
  ASSERT_TRUE(back.ok()) << back.status();
  ASSERT_EQ(back->callers.size(), 2u);
  EXPECT_EQ(back->callers[0].keys[0].sha256, key.sha256);
  EXPECT_TRUE(back->callers[1].delegate);
  EXPECT_EQ(back->FindCaller("gateway")->certificate_names[0], "gateway.example");

  absl::StatusOr<KeysFile> bad = ParseKeysFile(R"({"callers": [
    {"name": "Bad Name", "roles": [{"role": "owner", "orgs": ["org-a"]}]},
    {"name": "x", "roles": [{"role": "reader", "orgs": ["NOT AN ORG"]}],
     "keys": [{"id": "0011223344556677", "sha256": "zz"}]},
    {"name": "x", "keys": [{"id": "0011223344556677", "sha256": "zz"}]}]})");
  ASSERT_FALSE(bad.ok());
  const std::string message(bad.status().message());
  EXPECT_THAT(message, HasSubstr("callers[0].name"));
  EXPECT_THAT(message, HasSubstr("\"owner\" is not reader"));
  EXPECT_THAT(message, HasSubstr("\"NOT AN ORG\" is not an organization id"));
  EXPECT_THAT(message, HasSubstr("sha256: must be 64 lowercase hex"));
  EXPECT_THAT(message, HasSubstr("\"x\" appears twice"));
  EXPECT_THAT(message, HasSubstr("key id 0011223344556677 appears twice"));
  EXPECT_FALSE(ParseKeysFile("not json").ok());
}

TEST(KeysFileTest, SavesAtomicallyWithPrivateMode) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/keys.json";
  NewApiKey key = *GenerateApiKey();
  ASSERT_TRUE(SaveKeysFile(path, FileWith(key)).ok());
  absl::StatusOr<KeysFile> loaded = LoadKeysFile(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->callers[0].keys[0].id, key.id);
  struct stat st;
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
}

PresentedCredentials WithKey(const std::string& key) {
  PresentedCredentials p;
  p.authorization = "Bearer " + key;
  return p;
}

TEST(AuthenticatorTest, KeysCertificatesAndDelegation) {
  NewApiKey key = *GenerateApiKey();
  Authenticator auth(FileWith(key), /*development_mode=*/false);

  absl::StatusOr<Principal> who = auth.Authenticate(WithKey(key.key));
  ASSERT_TRUE(who.ok()) << who.status();
  EXPECT_EQ(who->caller, "editor-a");
  EXPECT_EQ(who->credential, "key:" + key.id);

  NewApiKey other = *GenerateApiKey();
  EXPECT_EQ(auth.Authenticate(WithKey(other.key)).status().code(),
            absl::StatusCode::kUnauthenticated);
  // Right id, wrong secret.
  std::string forged = key.key;
  forged.back() = forged.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(auth.Authenticate(WithKey(forged)).status().code(), absl::StatusCode::kUnauthenticated);
  PresentedCredentials basic;
  basic.authorization = "Basic abc";
  EXPECT_EQ(auth.Authenticate(basic).status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(auth.Authenticate(PresentedCredentials{}).status().code(),
            absl::StatusCode::kUnauthenticated);

  PresentedCredentials cert;
  cert.certificate_names = {"oa.org-a.example"};
  EXPECT_EQ(auth.Authenticate(cert)->caller, "editor-a");
  cert.certificate_names = {"stranger.example"};
  EXPECT_EQ(auth.Authenticate(cert).status().code(), absl::StatusCode::kUnauthenticated);

  // The gateway (a delegate) acts for editor-a; editor-a may not act for others.
  PresentedCredentials via_gateway;
  via_gateway.certificate_names = {"gateway.example"};
  via_gateway.on_behalf_of = "editor-a";
  who = auth.Authenticate(via_gateway);
  ASSERT_TRUE(who.ok()) << who.status();
  EXPECT_EQ(who->caller, "editor-a");
  EXPECT_EQ(who->credential, "delegated via gateway");
  PresentedCredentials not_delegate = WithKey(key.key);
  not_delegate.on_behalf_of = "gateway";
  EXPECT_EQ(auth.Authenticate(not_delegate).status().code(), absl::StatusCode::kPermissionDenied);
}

TEST(AuthenticatorTest, RevokedKeysFailAndReloadKeepsTheOldFileWhenTheNewIsBad) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/keys.json";
  NewApiKey key = *GenerateApiKey();
  ASSERT_TRUE(SaveKeysFile(path, FileWith(key)).ok());
  auto auth = Authenticator::Create({path, false});
  ASSERT_TRUE(auth.ok()) << auth.status();
  EXPECT_TRUE((*auth)->Authenticate(WithKey(key.key)).ok());

  ASSERT_TRUE(SaveKeysFile(path, FileWith(key, "2026-11-29T01:00:00Z")).ok());
  EXPECT_TRUE((*auth)->Authenticate(WithKey(key.key)).ok());  // not reloaded yet
  ASSERT_TRUE((*auth)->Reload().ok());
  absl::Status revoked = (*auth)->Authenticate(WithKey(key.key)).status();
  EXPECT_EQ(revoked.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(std::string(revoked.message()), HasSubstr("revoked"));

  std::FILE* f = std::fopen(path.c_str(), "w");
  std::fputs("{broken", f);
  std::fclose(f);
  EXPECT_FALSE((*auth)->Reload().ok());
  EXPECT_EQ((*auth)->Size().first, 2);  // still the previous file
}

TEST(AuthenticatorTest, DevelopmentModeOnlyWithoutCredentials) {
  NewApiKey key = *GenerateApiKey();
  Authenticator dev(FileWith(key), /*development_mode=*/true);
  absl::StatusOr<Principal> anonymous = dev.Authenticate(PresentedCredentials{});
  ASSERT_TRUE(anonymous.ok());
  EXPECT_EQ(anonymous->caller, "dev");
  // Credentials that are sent are still checked.
  EXPECT_EQ(dev.Authenticate(WithKey(GenerateApiKey()->key)).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_FALSE(Authenticator::Create({"", false}).ok());
}

TEST(TargetOfTest, ReadsTheOrganizationFromNamesIdsAndNestedFields) {
  fazhi::study::v1::UpdateSessionRequest update;
  update.mutable_session()->set_name("orgs/org-a/sessions/s1");
  absl::StatusOr<RequestTarget> t =
      TargetOf(update, {Permission::kWrite, OrgFrom::kName, "session.name"});
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->org, "org-a");
  EXPECT_EQ(t->resource, "orgs/org-a/sessions/s1");

  fazhi::study::v1::ListSessionsRequest list;
  list.set_parent("organizations/org-a");
  t = TargetOf(list, {Permission::kRead, OrgFrom::kName, "parent"});
  EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
  list.set_parent("orgs/../x");
  EXPECT_FALSE(TargetOf(list, {Permission::kRead, OrgFrom::kName, "parent"}).ok());
  list.set_parent("orgs/-");
  EXPECT_EQ(TargetOf(list, {Permission::kRead, OrgFrom::kName, "parent"})->org, "-");

  fazhi::report::v1::CreateOrganizationRequest create;
  create.set_organization_id("org-new");
  EXPECT_EQ(TargetOf(create, {Permission::kAdminister, OrgFrom::kId, "organization_id"})->org,
            "org-new");
  EXPECT_EQ(
      TargetOf(create, {Permission::kAdminister, OrgFrom::kName, "no_such_field"}).status().code(),
      absl::StatusCode::kInternal);
}

}  // namespace
}  // namespace fazhi::auth
