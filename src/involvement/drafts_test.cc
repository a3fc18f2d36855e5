#include "involvement/drafts.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "involvement/options.h"
#include "security/crypto.h"
#include "store/migrations.h"

namespace coproduce::involvement {
namespace {

namespace fs = std::filesystem;
using std::chrono::hours;
using std::chrono::seconds;

class DraftsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(security::init_crypto().ok());
    path_ = fs::temp_directory_path() / ("coproduce-drafts-" + std::to_string(::getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    fs::remove(path_);
    db_ = *store::open_database(path_.string());
    ASSERT_TRUE(store::migrate(*db_, store::bundled_migrations()).ok());
    conn_ = *db_->connection();
    for (const char* name : {"Org A", "Org B"}) {
      ASSERT_TRUE(conn_->execute("INSERT INTO organisations (name, created_at) VALUES ($1, 'x')", {name}).ok());
    }
    drafts_ = std::make_unique<Drafts>(*db_, clock_);
  }
  void TearDown() override {
    drafts_.reset();
    db_.reset();
    for (const char* ext : {"", "-wal", "-shm"}) fs::remove(path_.string() + ext);
  }
  int64_t count(const std::string& sql) { return conn_->query_one(sql)->integer(0); }

  // A complete set of answers, as the pages would leave them.
  static DraftAnswers complete() {
    DraftAnswers a;
    PersonDetails& d = a.details;
    d.name = "Grace Hopper";
    d.email = "grace@example.org";
    d.phone = "01632 960 001";
    d.contact_by = "phone";
    d.formats = {"easy_read", "other_language"};
    d.other_language = "Polish";
    d.access_needs = {"hearing_loop", "breaks"};
    d.access_other = "A table near the door";
    d.lived_experience = {"unpaid_carer"};
    d.care_kinds = {"home_care"};
    d.area = "Northfield";
    d.availability = {"weekday_evening"};
    d.ways = {"online", "phone"};
    d.payment = "paid";
    d.benefits_advice = true;
    a.equality_choice = "answer";
    a.equality = {{"age_band", "65_74"}, {"ethnic_group", "black_caribbean"}, {"religion", kPreferNotToSay}};
    a.consent = true;
    a.answered = {"name", "contact", "formats"};
    a.helpers = {{"ethnic_heading", "black"}};
    return a;
  }

  FakeClock clock_{std::chrono::system_clock::from_time_t(1'800'000'000)};
  fs::path path_;
  std::unique_ptr<store::Database> db_;
  store::Connection* conn_ = nullptr;
  std::unique_ptr<Drafts> drafts_;
};

TEST(DraftAnswers, SurviveTheJsonRoundTrip) {
  DraftAnswers a;
  a.details.name = "Ada";
  a.details.formats = {"bsl"};
  a.details.benefits_advice = true;
  a.equality = {{"sex", "female"}};
  a.equality_choice = "answer";
  a.consent = true;
  a.answered = {"name", "formats"};
  a.helpers = {{"ethnic_heading", "white"}};
  DraftAnswers b = answers_from_json(nlohmann::json::parse(to_json(a).dump()));
  EXPECT_EQ(b.details.name, "Ada");
  EXPECT_EQ(b.details.formats, std::vector<std::string>{"bsl"});
  EXPECT_TRUE(b.details.benefits_advice);
  EXPECT_EQ(b.equality, a.equality);
  EXPECT_EQ(b.equality_choice, "answer");
  EXPECT_TRUE(b.consent);
  EXPECT_EQ(b.answered, a.answered);
  EXPECT_EQ(b.helpers, a.helpers);
}

TEST(DraftAnswers, OddJsonLoadsAsEmptyAnswersRatherThanFailing) {
  DraftAnswers a = answers_from_json(nlohmann::json::parse(R"({"details": {"name": 7, "formats": "x"},
      "consent": "yes", "answered": [1, "name"], "equality": [1]})"));
  EXPECT_EQ(a.details.name, "");
  EXPECT_TRUE(a.details.formats.empty());
  EXPECT_FALSE(a.consent);
  EXPECT_EQ(a.answered, std::set<std::string>{"name"});
  EXPECT_TRUE(a.equality.empty());
  EXPECT_TRUE(answers_from_json(nlohmann::json::array()).answered.empty());
}

TEST(DraftAnswers, EqualityIsStoredOnlyWhenThePersonChoseToAnswer) {
  DraftAnswers a;
  a.equality = {{"sex", "male"}};
  EXPECT_FALSE(a.equality_to_store().has_value()) << "not asked yet";
  a.equality_choice = "skip";
  EXPECT_FALSE(a.equality_to_store().has_value()) << "skipped the section";
  a.equality_choice = "answer";
  ASSERT_TRUE(a.equality_to_store().has_value());
  EXPECT_EQ(a.equality_to_store()->at("sex"), "male");
  a.equality = {{"sex", ""}};
  EXPECT_FALSE(a.equality_to_store().has_value()) << "chose to answer, then answered nothing";
}

TEST_F(DraftsTest, KeepsAnswersBetweenPagesUnderADigestOfTheToken) {
  auto token = drafts_->create(std::nullopt);
  ASSERT_TRUE(token.ok()) << token.status().to_string();
  EXPECT_EQ(token->size(), 43u);
  auto fresh = drafts_->load(*token);
  ASSERT_TRUE(fresh.ok() && fresh->has_value());
  EXPECT_FALSE((*fresh)->organisation_id.has_value());
  EXPECT_EQ((*fresh)->answers.details.name, "");
  EXPECT_FALSE((*fresh)->submitted());

  clock_.advance(seconds(60));
  ASSERT_TRUE(drafts_->save(*token, 2, complete()).ok());
  auto saved = drafts_->load(*token);
  ASSERT_TRUE(saved.ok() && saved->has_value());
  EXPECT_EQ((*saved)->organisation_id, 2);
  EXPECT_EQ((*saved)->answers.details.name, "Grace Hopper");
  EXPECT_EQ((*saved)->answers.details.other_language, "Polish");
  EXPECT_EQ((*saved)->answers.equality.at("ethnic_group"), "black_caribbean");
  EXPECT_LT((*saved)->created_at, (*saved)->updated_at);

  EXPECT_EQ(count("SELECT COUNT(*) FROM get_involved_drafts"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM get_involved_drafts WHERE token_hash = '" + *token + "'"), 0)
      << "the token itself is never stored";
  EXPECT_EQ(conn_->query_one("SELECT token_hash FROM get_involved_drafts")->text(0), security::token_digest(*token));

  std::vector<std::string> columns;
  for (const auto& r : *conn_->query("SELECT name FROM pragma_table_info('get_involved_drafts')")) {
    columns.push_back(r.text(0));
  }
  EXPECT_EQ(columns, (std::vector<std::string>{"token_hash", "organisation_id", "answers", "created_at", "updated_at",
                                               "submitted_at"}))
      << "no network address or anything else is kept with a draft";
}

TEST_F(DraftsTest, UnknownTokensOpenNothingAndCannotBeSaved) {
  ASSERT_TRUE(drafts_->create(1).ok());
  for (const char* token : {"", "not-a-token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}) {
    auto d = drafts_->load(token);
    ASSERT_TRUE(d.ok());
    EXPECT_FALSE(d->has_value()) << token;
    EXPECT_EQ(drafts_->save(token, 1, complete()).code(), StatusCode::kNotFound) << token;
    EXPECT_EQ(drafts_->claim(token).status().code(), StatusCode::kNotFound) << token;
  }
}

TEST_F(DraftsTest, ADraftUnchangedFor24HoursIsGoneAndSweptWhenTheNextOneStarts) {
  auto old_token = drafts_->create(1);
  ASSERT_TRUE(old_token.ok());
  clock_.advance(hours(23));
  ASSERT_TRUE(drafts_->save(*old_token, 1, complete()).ok()) << "each change keeps it for another day";
  clock_.advance(hours(23));
  auto still = drafts_->load(*old_token);
  ASSERT_TRUE(still.ok());
  EXPECT_TRUE(still->has_value());

  clock_.advance(hours(1) + seconds(1));
  auto gone = drafts_->load(*old_token);
  ASSERT_TRUE(gone.ok());
  EXPECT_FALSE(gone->has_value());
  EXPECT_EQ(drafts_->save(*old_token, 1, complete()).code(), StatusCode::kNotFound);
  EXPECT_EQ(drafts_->claim(*old_token).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(count("SELECT COUNT(*) FROM get_involved_drafts"), 1) << "expired, not yet swept";

  auto new_token = drafts_->create(1);
  ASSERT_TRUE(new_token.ok());
  EXPECT_EQ(count("SELECT COUNT(*) FROM get_involved_drafts"), 1) << "the old draft and its answers are deleted";
  EXPECT_EQ(count("SELECT COUNT(*) FROM get_involved_drafts WHERE answers LIKE '%Grace%'"), 0);

  clock_.advance(hours(25));
  auto swept = drafts_->sweep();
  ASSERT_TRUE(swept.ok());
  EXPECT_EQ(*swept, 1);
}

TEST_F(DraftsTest, ClaimingSendsOnceAndWipesTheAnswers) {
  auto token = drafts_->create(1);
  ASSERT_TRUE(token.ok());
  ASSERT_TRUE(drafts_->save(*token, 1, complete()).ok());

  auto claimed = drafts_->claim(*token);
  ASSERT_TRUE(claimed.ok()) << claimed.status().to_string();
  EXPECT_EQ(claimed->answers.details.name, "Grace Hopper");
  EXPECT_EQ(claimed->organisation_id, 1);

  auto again = drafts_->claim(*token);
  EXPECT_EQ(again.status().code(), StatusCode::kConflict) << "a second press of Send finds it already sent";
  EXPECT_EQ(drafts_->save(*token, 1, complete()).code(), StatusCode::kConflict);
  auto after = drafts_->load(*token);
  ASSERT_TRUE(after.ok() && after->has_value());
  EXPECT_TRUE((*after)->submitted());
  EXPECT_EQ((*after)->answers.details.name, "");
  EXPECT_EQ(count("SELECT COUNT(*) FROM get_involved_drafts WHERE answers LIKE '%Grace%'"), 0)
      << "nothing that identifies the person stays in the draft";

  ASSERT_TRUE(drafts_->remove(*token).ok());
  EXPECT_EQ(count("SELECT COUNT(*) FROM get_involved_drafts"), 0);
  EXPECT_TRUE(drafts_->remove(*token).ok()) << "removing twice is fine";
}

TEST_F(DraftsTest, ReleasingAfterAFailedSendPutsTheAnswersBack) {
  auto token = drafts_->create(1);
  ASSERT_TRUE(token.ok());
  ASSERT_TRUE(drafts_->save(*token, 1, complete()).ok());
  auto claimed = drafts_->claim(*token);
  ASSERT_TRUE(claimed.ok());
  ASSERT_TRUE(drafts_->release(*token, *claimed).ok());
  auto back = drafts_->load(*token);
  ASSERT_TRUE(back.ok() && back->has_value());
  EXPECT_FALSE((*back)->submitted());
  EXPECT_EQ((*back)->answers.details.name, "Grace Hopper");
  EXPECT_TRUE(drafts_->claim(*token).ok()) << "and it can be sent again";
}

// The journey's end at the domain level: what the draft holds becomes one
// person with consent to the current wording and the equality answers kept.
TEST_F(DraftsTest, ASentDraftBecomesOnePersonWithConsentAndEquality) {
  People people(*db_, clock_);
  auto token = drafts_->create(2);
  ASSERT_TRUE(token.ok());
  ASSERT_TRUE(drafts_->save(*token, 2, complete()).ok());
  auto claimed = drafts_->claim(*token);
  ASSERT_TRUE(claimed.ok());
  const DraftAnswers& a = claimed->answers;
  auto person = people.add(*claimed->organisation_id, a.details, "self", a.consent, a.equality_to_store(),
                           {std::nullopt, "127.0.0.1"});
  ASSERT_TRUE(person.ok()) << person.status().to_string();
  EXPECT_EQ(person->organisation_id, 2);
  EXPECT_EQ(person->details.name, "Grace Hopper");
  EXPECT_EQ(person->details.contact_by, "phone");
  EXPECT_EQ(person->details.formats, (std::vector<std::string>{"easy_read", "other_language"}));
  EXPECT_EQ(person->details.other_language, "Polish");
  EXPECT_EQ(person->details.access_other, "A table near the door");
  EXPECT_EQ(person->details.payment, "paid");
  EXPECT_TRUE(person->details.benefits_advice);
  EXPECT_EQ(person->source, "self");
  ASSERT_TRUE(person->consent.has_value());
  EXPECT_EQ(person->consent->version, current_consent().version);
  auto eq = people.equality(2, person->id, {std::nullopt, "test"});
  ASSERT_TRUE(eq.ok() && eq->has_value());
  EXPECT_EQ((**eq).at("ethnic_group"), "black_caribbean");
  EXPECT_EQ((**eq).at("religion"), kPreferNotToSay);
  EXPECT_EQ(count("SELECT COUNT(*) FROM people"), 1);

  DraftAnswers skipped = complete();
  skipped.equality_choice = "skip";
  skipped.details.email = "other@example.org";
  auto second = people.add(2, skipped.details, "self", true, skipped.equality_to_store(), {std::nullopt, "x"});
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(count("SELECT COUNT(*) FROM equality_monitoring WHERE person_id = " + std::to_string(second->id)), 0)
      << "skipping the equality questions stores none";
}

}  // namespace
}  // namespace coproduce::involvement
