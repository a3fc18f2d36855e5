#include "library/case_studies.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "core/clock.h"
#include "store/temporary_database.h"

namespace coproduce::library {
namespace {

CaseStudyInput study(const std::string& title = "Carers redesign the respite line") {
  CaseStudyInput s;
  s.title = title;
  s.summary = "Carers and the booking team rewrote how respite is booked.";
  s.story = {{"need", "Carers waited weeks to book a break."},
             {"together", "Six carers and two staff met four times and redesigned the form."},
             {"changed", "Bookings now take two days."}};
  s.setting = "local_authority";
  s.area_of_care = "Respite";
  s.rung = "co_production";
  s.principles = {"equality", "reciprocity"};
  s.people = {0, 6, 2};
  s.consents = {{"Sam Patel", "2026-03-01", "Signed the consent form"}};
  return s;
}

class CaseStudiesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::make_unique<store::TemporaryDatabase>(
        std::string("CaseStudies-") + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    ASSERT_TRUE(db_->status().ok()) << db_->status().to_string();
    sql("INSERT INTO organisations (name, created_at) VALUES ('Northshire Council', 'x'), ('Other', 'x')");
    sql("INSERT INTO users (organisation_id, email, role, created_at) VALUES (1, 'lead@x.org', 'coproduction-lead', 'x')");
    sql("INSERT INTO people (organisation_id, name, source, created_at, updated_at) VALUES"
        " (1, 'Ann Reviewer', 'staff', 'x', 'x'), (1, 'Bob Other', 'staff', 'x', 'x'), (2, 'Elsewhere', 'staff', 'x', 'x')");
  }

  void sql(const std::string& statement) {
    auto c = (*db_)->connection();
    ASSERT_TRUE(c.ok());
    auto done = (*c)->execute(statement);
    ASSERT_TRUE(done.ok()) << done.status().to_string();
  }
  int64_t count(const std::string& query) {
    auto c = (*db_)->connection();
    auto row = (*c)->query_one(query);
    EXPECT_TRUE(row.ok()) << row.status().to_string();
    return row.ok() ? row->integer(0) : -1;
  }

  CaseStudies studies() { return CaseStudies(**db_, clock_); }
  int64_t create(const CaseStudyInput& s = study()) {
    auto id = studies().create(1, s, std::nullopt, lead_);
    EXPECT_TRUE(id.ok()) << id.status().to_string();
    return id.ok() ? *id : 0;
  }
  std::string status_of(int64_t id) {
    auto got = studies().get(1, id);
    EXPECT_TRUE(got.ok()) << got.status().to_string();
    return got.ok() ? got->status : "";
  }

  std::unique_ptr<store::TemporaryDatabase> db_;
  FakeClock clock_{std::chrono::system_clock::from_time_t(1781517600)};  // 2026-06-15 10:00 UTC
  Actor lead_{1, "127.0.0.1"};
};

TEST_F(CaseStudiesTest, ANewCaseStudyIsADraftWithEverythingItWasGiven) {
  int64_t id = create();
  auto got = studies().get(1, id);
  ASSERT_TRUE(got.ok()) << got.status().to_string();
  EXPECT_EQ(got->status, "draft");
  EXPECT_EQ(got->organisation, "Northshire Council");
  EXPECT_EQ(got->study.title, "Carers redesign the respite line");
  ASSERT_EQ(got->study.story.size(), 3u);
  EXPECT_EQ(got->study.story[1].key, "together");
  EXPECT_EQ(got->study.people.carers, 6);
  ASSERT_EQ(got->study.consents.size(), 1u);
  EXPECT_FALSE(got->imported());
  EXPECT_EQ(count("SELECT COUNT(*) FROM library_case_study_principles"), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'case_study.create'"), 1);
}

TEST_F(CaseStudiesTest, InvalidInputNamesTheFieldAndStoresNothing) {
  CaseStudyInput s = study();
  s.setting = "castle";
  auto id = studies().create(1, s, std::nullopt, lead_);
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(id.status().where().field, "setting");
  EXPECT_EQ(count("SELECT COUNT(*) FROM library_case_studies"), 0);
}

TEST_F(CaseStudiesTest, AnotherOrganisationCannotReadOrChangeIt) {
  int64_t id = create();
  EXPECT_EQ(studies().get(2, id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(studies().publish(2, id, lead_).code(), StatusCode::kNotFound);
  EXPECT_EQ(studies().update(2, id, study("Changed"), lead_).code(), StatusCode::kNotFound);
}

TEST_F(CaseStudiesTest, PublishingMovesADraftToPublishedOnce) {
  int64_t id = create();
  ASSERT_TRUE(studies().publish(1, id, lead_).ok());
  auto got = studies().get(1, id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->status, "published");
  EXPECT_EQ(got->published_at, "2026-06-15T10:00:00Z");
  EXPECT_EQ(studies().publish(1, id, lead_).code(), StatusCode::kConflict);
}

TEST_F(CaseStudiesTest, ADraftMayLackPartsOfTheStoryButCannotBePublishedSo) {
  CaseStudyInput s = study();
  s.story.erase(s.story.begin());  // 'What needed to change' not written yet
  int64_t id = create(s);
  Status refused = studies().publish(1, id, lead_);
  EXPECT_EQ(refused.code(), StatusCode::kInvalidInput);
  EXPECT_EQ(refused.where().field, "story.need");
  EXPECT_EQ(status_of(id), "draft");
  ASSERT_TRUE(studies().update(1, id, study(), lead_).ok());
  EXPECT_TRUE(studies().publish(1, id, lead_).ok());
}

TEST_F(CaseStudiesTest, APublishedCaseStudyCanBeCorrectedAndItsChangeDateMoves) {
  int64_t id = create();
  ASSERT_TRUE(studies().publish(1, id, lead_).ok());
  clock_.advance(std::chrono::hours(48));
  ASSERT_TRUE(studies().update(1, id, study("Carers redesign respite booking"), lead_).ok());
  auto got = studies().get(1, id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->status, "published");
  EXPECT_EQ(got->study.title, "Carers redesign respite booking");
  EXPECT_EQ(got->published_at, "2026-06-15T10:00:00Z");
  EXPECT_EQ(got->updated_at, "2026-06-17T10:00:00Z");
}

TEST_F(CaseStudiesTest, WithdrawnIsFinal) {
  int64_t id = create();
  EXPECT_EQ(studies().withdraw(1, id, lead_).code(), StatusCode::kConflict);  // not published yet
  ASSERT_TRUE(studies().publish(1, id, lead_).ok());
  ASSERT_TRUE(studies().withdraw(1, id, lead_).ok());
  EXPECT_EQ(status_of(id), "withdrawn");
  EXPECT_EQ(studies().update(1, id, study(), lead_).code(), StatusCode::kConflict);
  EXPECT_EQ(studies().publish(1, id, lead_).code(), StatusCode::kConflict);
}

TEST_F(CaseStudiesTest, AParticipantReviewsTheStoryAndIsCreditedByTheNameTheyChose) {
  int64_t id = create();
  auto review = studies().request_review(1, id, 1, "Is the part about the form right?", lead_);
  ASSERT_TRUE(review.ok()) << review.status().to_string();
  EXPECT_EQ(status_of(id), "in_review");
  // While the review is out, the story is neither changed nor published.
  EXPECT_EQ(studies().publish(1, id, lead_).code(), StatusCode::kConflict);
  EXPECT_EQ(studies().update(1, id, study("Changed"), lead_).code(), StatusCode::kConflict);

  auto mine = studies().reviews_for_person(1, 1);
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ((*mine)[0].note, "Is the part about the form right?");
  EXPECT_EQ((*mine)[0].case_study_title, "Carers redesign the respite line");

  // Only the person asked may answer.
  EXPECT_EQ(studies().decide(1, *review, 2, {"approved", "", true, "Bob"}, lead_).code(), StatusCode::kNotFound);
  ASSERT_TRUE(studies().decide(1, *review, 1, {"approved", "", true, "Ann"}, lead_).ok());
  EXPECT_EQ(studies().decide(1, *review, 1, {"approved", "", true, "Ann"}, lead_).code(), StatusCode::kConflict);
  EXPECT_EQ(status_of(id), "draft");

  ASSERT_TRUE(studies().publish(1, id, lead_).ok());
  auto got = studies().get(1, id);
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->credited_reviewers.size(), 1u);
  EXPECT_EQ(got->credited_reviewers[0], "Ann");
}

TEST_F(CaseStudiesTest, AReviewerWhoChoosesNotToBeNamedIsNotCredited) {
  int64_t id = create();
  auto review = studies().request_review(1, id, 1, "", lead_);
  ASSERT_TRUE(review.ok());
  ASSERT_TRUE(studies().decide(1, *review, 1, {"approved", "", false, "Ann"}, lead_).ok());
  auto got = studies().get(1, id);
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(got->credited_reviewers.empty());
  auto reviews = studies().reviews(1, id);
  ASSERT_TRUE(reviews.ok());
  ASSERT_EQ(reviews->size(), 1u);
  EXPECT_FALSE((*reviews)[0].credit);
  EXPECT_EQ((*reviews)[0].credit_name, "");
}

TEST_F(CaseStudiesTest, AskingForChangesNeedsSayingWhatAndSendsTheStoryBackToDraft) {
  int64_t id = create();
  auto review = studies().request_review(1, id, 1, "", lead_);
  ASSERT_TRUE(review.ok());
  Status missing = studies().decide(1, *review, 1, {"changes_requested", "  ", true, "Ann"}, lead_);
  EXPECT_EQ(missing.code(), StatusCode::kInvalidInput);
  EXPECT_EQ(missing.where().field, "comment");
  EXPECT_EQ(status_of(id), "in_review");
  ASSERT_TRUE(studies().decide(1, *review, 1, {"changes_requested", "We met five times, not four.", true, "Ann"}, lead_).ok());
  EXPECT_EQ(status_of(id), "draft");
  auto got = studies().get(1, id);
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(got->credited_reviewers.empty());  // credit is for approving
}

TEST_F(CaseStudiesTest, OnlyPeopleInTheOrganisationsPoolCanBeAskedToReview) {
  int64_t id = create();
  auto other = studies().request_review(1, id, 3, "", lead_);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.status().where().field, "person_id");
  EXPECT_EQ(status_of(id), "draft");
  ASSERT_TRUE(studies().request_review(1, id, 1, "", lead_).ok());
  EXPECT_EQ(studies().request_review(1, id, 1, "", lead_).status().code(), StatusCode::kConflict);
}

TEST_F(CaseStudiesTest, ItemsFromAFeedAreAddedChangedAndTakenAwayWhenWithdrawn) {
  sql("INSERT INTO library_subscriptions (organisation_id, url, created_at)"
      " VALUES (1, 'https://other.example/library/feed.json', 'x')");
  ImportedItem item;
  item.item_id = "https://other.example/library/case-studies/7";
  item.url = item.item_id;
  item.organisation = "Westshire Trust";
  item.study = study("Ward menus chosen by patients");
  item.study.consents.clear();
  item.date_published = "2026-05-01T09:00:00Z";
  item.date_modified = "2026-05-01T09:00:00Z";
  item.credited_reviewers = {"Jo"};

  auto c = (*db_)->connection();
  ASSERT_TRUE(c.ok());
  auto first = studies().import_items(**c, 1, 1, {item}, {});
  ASSERT_TRUE(first.ok()) << first.status().to_string();
  EXPECT_EQ(first->added, 1);
  auto again = studies().import_items(**c, 1, 1, {item}, {});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->unchanged, 1);

  int64_t id = count("SELECT id FROM library_case_studies WHERE source_item_id = 'https://other.example/library/case-studies/7'");
  auto got = studies().get(1, id);
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(got->imported());
  EXPECT_EQ(got->status, "published");
  EXPECT_EQ(got->organisation, "Westshire Trust");
  EXPECT_EQ(got->feed_url, "https://other.example/library/feed.json");
  EXPECT_EQ(got->credited_reviewers, std::vector<std::string>{"Jo"});
  // Nobody here may change another organisation's story.
  EXPECT_EQ(studies().update(1, id, study(), lead_).code(), StatusCode::kConflict);
  EXPECT_EQ(studies().withdraw(1, id, lead_).code(), StatusCode::kConflict);

  item.study.title = "Ward menus chosen by patients and carers";
  item.date_modified = "2026-05-20T09:00:00Z";
  auto changed = studies().import_items(**c, 1, 1, {item}, {});
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(changed->changed, 1);
  EXPECT_EQ(studies().get(1, id)->study.title, "Ward menus chosen by patients and carers");

  auto gone = studies().import_items(**c, 1, 1, {}, {item.item_id});
  ASSERT_TRUE(gone.ok());
  EXPECT_EQ(gone->removed, 1);
  EXPECT_EQ(studies().get(1, id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(count("SELECT COUNT(*) FROM library_case_study_principles"), 0);
}

TEST_F(CaseStudiesTest, TheApiJsonSaysWhereACaseStudyCameFromAndHidesConsentFromOthers) {
  int64_t id = create();
  auto got = studies().get(1, id);
  ASSERT_TRUE(got.ok());
  nlohmann::json staff = api_json(*got, true);
  EXPECT_EQ(staff["id"], id);
  EXPECT_EQ(staff["status"], "draft");
  EXPECT_TRUE(staff["source"].is_null());
  EXPECT_EQ(staff["consents"].size(), 1u);
  EXPECT_FALSE(api_json(*got, false).contains("consents"));
}

TEST_F(CaseStudiesTest, JsonLdIsAnArticleThatCannotCloseItsScriptElement) {
  int64_t id = create(study("Tea </script><script>alert(1)</script>"));
  ASSERT_TRUE(studies().publish(1, id, lead_).ok());
  auto got = studies().get(1, id);
  ASSERT_TRUE(got.ok());
  std::string ld = json_ld(*got, "https://x.example/library/case-studies/1");
  EXPECT_EQ(ld.find('<'), std::string::npos);
  nlohmann::json parsed = nlohmann::json::parse(ld);
  EXPECT_EQ(parsed["@type"], "Article");
  EXPECT_EQ(parsed["headline"], "Tea </script><script>alert(1)</script>");
  EXPECT_EQ(parsed["publisher"]["name"], "Northshire Council");
  EXPECT_EQ(parsed["datePublished"], "2026-06-15T10:00:00Z");
}

}  // namespace
}  // namespace coproduce::library
