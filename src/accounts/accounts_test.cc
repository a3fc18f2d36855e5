#include "accounts/accounts.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "security/audit.h"
#include "security/crypto.h"
#include "store/migrations.h"

namespace coproduce::accounts {
namespace {

using security::Role;

class AccountsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(security::init_crypto().ok());
    path_ = std::filesystem::temp_directory_path() /
            ("coproduce-accounts-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    std::filesystem::remove(path_);
    db_ = std::move(*store::open_database(path_.string()));
    ASSERT_TRUE(store::migrate(*db_, store::bundled_migrations()).ok());
    accounts_ = std::make_unique<Accounts>(*db_, clock_);
    org_ = *accounts_->create_organisation("Test Council", false, std::nullopt, "test");
  }
  void TearDown() override {
    accounts_.reset();
    db_.reset();
    for (const char* ext : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + ext);
  }
  User make_user(const std::string& email, Role role = Role::kAdministrator) {
    auto u = accounts_->create_user(org_.id, email, "A Person", role, "a long enough password", std::nullopt, "test");
    EXPECT_TRUE(u.ok()) << u.status().to_string();
    return *u;
  }

  FakeClock clock_{std::chrono::system_clock::from_time_t(1'800'000'000)};
  std::filesystem::path path_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<Accounts> accounts_;
  Organisation org_;
};

TEST_F(AccountsTest, EmailsAreCheckedAndNormalised) {
  std::string problem;
  EXPECT_EQ(normalise_email("  Ada@Example.ORG ", &problem), "ada@example.org");
  EXPECT_TRUE(problem.empty());
  for (const char* bad : {"", "no-at-sign", "@example.org", "a@b", "a b@example.org", "a@@example.org"}) {
    normalise_email(bad, &problem);
    EXPECT_FALSE(problem.empty()) << bad;
  }
}

TEST_F(AccountsTest, DuplicateOrganisationAndUserAreFieldErrors) {
  auto again = accounts_->create_organisation(" Test Council ", false, std::nullopt, "test");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().where().field, "organisation_name");
  make_user("ada@example.org");
  auto dup = accounts_->create_user(org_.id, "ADA@example.org", "", Role::kAnalyst, "another long password",
                                    std::nullopt, "test");
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.status().where().field, "email");
}

TEST_F(AccountsTest, SignInCreatesASessionThatSignOutEnds) {
  make_user("ada@example.org");
  auto r = accounts_->sign_in("Ada@example.org", "a long enough password", "127.0.0.1");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->outcome, SignInOutcome::kSignedIn);
  auto who = accounts_->user_for_session(r->session_token);
  ASSERT_TRUE(who.ok() && who->has_value());
  EXPECT_EQ((*who)->email, "ada@example.org");
  EXPECT_EQ((*who)->organisation_name, "Test Council");
  ASSERT_TRUE(accounts_->sign_out(r->session_token, "127.0.0.1").ok());
  EXPECT_FALSE(accounts_->user_for_session(r->session_token)->has_value());
}

TEST_F(AccountsTest, SessionsExpire) {
  make_user("ada@example.org");
  auto r = accounts_->sign_in("ada@example.org", "a long enough password", "127.0.0.1");
  clock_.advance(std::chrono::hours(13));
  EXPECT_FALSE(accounts_->user_for_session(r->session_token)->has_value());
}

TEST_F(AccountsTest, WrongPasswordsAreThrottledPerAccountEvenWithTheRightOneLater) {
  make_user("ada@example.org");
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(accounts_->sign_in("ada@example.org", "wrong", "10.0.0." + std::to_string(i))->outcome,
              SignInOutcome::kWrongCredentials);
  }
  EXPECT_EQ(accounts_->sign_in("ada@example.org", "a long enough password", "10.0.0.9")->outcome,
            SignInOutcome::kThrottled);
  clock_.advance(std::chrono::minutes(16));
  EXPECT_EQ(accounts_->sign_in("ada@example.org", "a long enough password", "10.0.0.9")->outcome,
            SignInOutcome::kSignedIn);
}

TEST_F(AccountsTest, ManyFailuresFromOneAddressAreThrottled) {
  make_user("ada@example.org");
  for (int i = 0; i < 20; ++i) (void)accounts_->sign_in("nobody" + std::to_string(i) + "@example.org", "x", "10.1.1.1");
  EXPECT_EQ(accounts_->sign_in("ada@example.org", "a long enough password", "10.1.1.1")->outcome,
            SignInOutcome::kThrottled);
  EXPECT_EQ(accounts_->sign_in("ada@example.org", "a long enough password", "10.1.1.2")->outcome,
            SignInOutcome::kSignedIn);
}

TEST_F(AccountsTest, SignInsAreAudited) {
  User u = make_user("ada@example.org");
  (void)accounts_->sign_in("ada@example.org", "wrong", "127.0.0.1");
  (void)accounts_->sign_in("ada@example.org", "a long enough password", "127.0.0.1");
  auto log = security::list_audit(**db_->connection(), org_.id, 50, 0);
  ASSERT_TRUE(log.ok());
  ASSERT_GE(log->size(), 3u);
  EXPECT_EQ((*log)[0].action, "sign-in");
  EXPECT_EQ((*log)[0].actor, "ada@example.org");
  EXPECT_EQ((*log)[1].action, "sign-in.failed");
}

TEST_F(AccountsTest, SetupLinkWorksOnceAndCreatesAnAdministrator) {
  auto token = accounts_->create_setup_invitation();
  ASSERT_TRUE(token.ok());
  ASSERT_TRUE(accounts_->find_invitation(*token)->has_value());
  auto bad = accounts_->accept_setup(*token, "Other Trust", "Bo", "bo@example.org", "short", "t");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().where().field, "password");
  EXPECT_FALSE(accounts_->find_organisation("Other Trust").ok()) << "nothing half-written";
  auto ok = accounts_->accept_setup(*token, "Other Trust", "Bo", "bo@example.org", "a long enough password", "t");
  ASSERT_TRUE(ok.ok()) << ok.status().to_string();
  EXPECT_EQ(ok->role, Role::kAdministrator);
  EXPECT_EQ(ok->organisation_name, "Other Trust");
  auto again = accounts_->accept_setup(*token, "Third", "C", "c@example.org", "a long enough password", "t");
  EXPECT_FALSE(again.ok());
}

TEST_F(AccountsTest, InvitedUserSetsTheirPassword) {
  auto u = accounts_->create_user(org_.id, "cy@example.org", "", Role::kAnalyst, "", std::nullopt, "t");
  ASSERT_TRUE(u.ok());
  EXPECT_FALSE(u->has_password);
  EXPECT_EQ(accounts_->sign_in("cy@example.org", "", "t")->outcome, SignInOutcome::kWrongCredentials);
  auto token = accounts_->create_user_invitation(org_.id, "cy@example.org", Role::kAnalyst, std::nullopt);
  ASSERT_TRUE(token.ok());
  auto accepted = accounts_->accept_invitation(*token, "Cy", "a long enough password", "t");
  ASSERT_TRUE(accepted.ok()) << accepted.status().to_string();
  EXPECT_EQ(accounts_->sign_in("cy@example.org", "a long enough password", "t")->outcome, SignInOutcome::kSignedIn);
  EXPECT_FALSE(accounts_->accept_invitation(*token, "Cy", "a long enough password", "t").ok());
}

TEST_F(AccountsTest, NewOrganisationComesWithAnInvitedAdministratorOrNotAtAll) {
  User admin = make_user("ada@example.org");
  auto bad = accounts_->create_organisation_with_admin("Riverside Trust", "not an email", admin, "t");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().where().field, "email");
  EXPECT_FALSE(accounts_->find_organisation("Riverside Trust").ok()) << "nothing half-written";
  auto token = accounts_->create_organisation_with_admin("Riverside Trust", "rita@example.org", admin, "t");
  ASSERT_TRUE(token.ok()) << token.status().to_string();
  auto visible = accounts_->organisations_visible_to(admin);
  ASSERT_EQ(visible->size(), 2u);
  ASSERT_TRUE(accounts_->accept_invitation(*token, "Rita", "a long enough password", "t").ok());
  auto rita = accounts_->find_user_by_email("rita@example.org");
  EXPECT_EQ(rita->organisation_name, "Riverside Trust");
  EXPECT_EQ(rita->role, Role::kAdministrator);
  EXPECT_EQ(accounts_->organisations_visible_to(*rita)->size(), 1u) << "the new organisation sees only itself";
}

TEST_F(AccountsTest, ApiTokensIdentifyTheirUser) {
  User u = make_user("ada@example.org");
  auto token = accounts_->create_api_token(u.id);
  ASSERT_TRUE(token.ok());
  auto who = accounts_->user_for_api_token(*token);
  ASSERT_TRUE(who.ok() && who->has_value());
  EXPECT_EQ((*who)->id, u.id);
  EXPECT_FALSE(accounts_->user_for_api_token("not-a-token")->has_value());
}

}  // namespace
}  // namespace coproduce::accounts
