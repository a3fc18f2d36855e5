#include "activities/activities.h"

#include <gtest/gtest.h>


#include "involvement/groups.h"
#include "store/temporary_database.h"

namespace coproduce::activities {
namespace {

using involvement::Equality;
using involvement::PersonDetails;

class ActivitiesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::make_unique<store::TemporaryDatabase>(std::string("activities-") +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    ASSERT_TRUE(db_->status().ok()) << db_->status().to_string();
    auto* c = *(*db_)->connection();
    ASSERT_TRUE(c->execute("INSERT INTO organisations (name, created_at) VALUES ('Org', 'x'), ('Other', 'x')").ok());
    ASSERT_TRUE(c->execute("INSERT INTO users (organisation_id, email, role, created_at) VALUES (1, 'l@x.org', 'coproduction-lead', 'x')").ok());
    involvement::People people(**db_, clock_);
    // Ann asks for Easy Read and a hearing loop; Bob is contacted by post; Cy by email; Di is not a member.
    std::vector<PersonDetails> details(4);
    details[0].name = "Ann";
    details[0].email = "ann@example.org";
    details[0].formats = {"easy_read"};
    details[0].access_needs = {"hearing_loop"};
    details[1].name = "Bob";
    details[1].address = "1 High Street";
    details[1].contact_by = "post";
    details[2].name = "Cy";
    details[2].email = "cy@example.org";
    details[2].contact_by = "email";
    details[3].name = "Di";
    details[3].email = "di@example.org";
    for (auto& d : details) {
      auto p = people.add(1, d, "staff", true, std::nullopt, actor_);
      ASSERT_TRUE(p.ok()) << p.status().to_string();
      ids_.push_back(p->id);
    }
    involvement::GroupInput g{"Carers' voice", "", "council", "6", "12", "co_production", false};
    auto group = involvement::Groups(**db_, clock_).create(1, g, actor_);
    ASSERT_TRUE(group.ok());
    group_ = group->id;
    for (int i = 0; i < 3; ++i) {
      ASSERT_TRUE(c->execute("INSERT INTO group_members (group_id, person_id, status, invited_at) VALUES ($1, $2, 'accepted', 'x')",
                             {group_, ids_[i]}).ok());
    }
    ASSERT_TRUE(c->execute("INSERT INTO group_members (group_id, person_id, status, invited_at) VALUES ($1, $2, 'declined', 'x')",
                           {group_, ids_[3]}).ok());
  }
  ActivityInput input() {
    return {"meeting", "Spring meeting", "14", "4", "2026", "10:30", "120", "Town hall, room 2", "",
            "Dear member, ...", "We are meeting. Come and talk."};
  }
  int64_t make() {
    auto a = Activities(**db_, clock_).create(1, group_, input(), actor_);
    EXPECT_TRUE(a.ok()) << a.status().to_string();
    return a.ok() ? a->id : 0;
  }

  FakeClock clock_{std::chrono::system_clock::from_time_t(1'800'000'000)};
  std::unique_ptr<store::TemporaryDatabase> db_;
  involvement::Actor actor_{1, "test"};
  std::vector<int64_t> ids_;
  int64_t group_ = 0;
};

TEST(ActivityValidation, NamesEachFieldThatIsWrong) {
  ActivityInput in{"party", "", "30", "2", "2027", "25:00", "5", "", "ftp://x", "", ""};
  auto errors = validate(in);
  std::vector<std::string> fields;
  for (const auto& e : errors) fields.push_back(e.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"kind", "title", "day", "time", "duration_minutes", "link"}));
  in.link = "";
  EXPECT_EQ(validate(in)[5].field, "place");
  EXPECT_EQ(errors[2].message, "The date must be a real date, like 27 3 2027");
  ActivityInput leap{"meeting", "T", "29", "2", "2028", "9:05", "60", "Here", "", "", ""};
  EXPECT_TRUE(validate(leap).empty());
  leap.year = "2027";
  EXPECT_EQ(validate(leap).front().field, "day");
  leap.day = "";
  leap.year = "2028";
  EXPECT_EQ(validate(leap).front().message, "The date must include a day, month and year");
}

TEST(WaitingForRating, IsWhatThePersonAttendedAndHasNotRatedInTheSameOrder) {
  auto pa = [](int64_t id, const char* attendance, bool rated) {
    PersonActivity p;
    p.activity.id = id;
    p.attendance = attendance;
    p.rated = rated;
    return p;
  };
  std::vector<PersonActivity> mine = {pa(5, "attended", false), pa(4, "attended", true), pa(3, "apologies", false),
                                      pa(2, "", false), pa(1, "attended", false)};
  auto waiting = waiting_for_rating(mine);
  ASSERT_EQ(waiting.size(), 2u);
  EXPECT_EQ(waiting[0].activity.id, 5);
  EXPECT_EQ(waiting[1].activity.id, 1);
  EXPECT_FALSE(waits_for_rating(mine[1])) << "rated already";
  EXPECT_FALSE(waits_for_rating(mine[2])) << "was not there";
}

TEST(InvitationFormat, FollowsWhatThePersonAskedFor) {
  PersonDetails d;
  EXPECT_EQ(invitation_format(d), "email");
  d.contact_by = "phone";
  EXPECT_EQ(invitation_format(d), "phone");
  d.contact_by = "post";
  EXPECT_EQ(invitation_format(d), "letter");
  d.formats = {"large_print"};
  EXPECT_EQ(invitation_format(d), "large_print");
  d.formats = {"large_print", "easy_read"};
  EXPECT_EQ(invitation_format(d), "easy_read");
}

TEST_F(ActivitiesTest, CreatesAndInvitesAcceptedMembersInTheirFormatOnce) {
  Activities acts(**db_, clock_);
  int64_t id = make();
  auto a = acts.get(1, id);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->starts_at, "2026-04-14T10:30");
  EXPECT_EQ(a->status, "scheduled");
  EXPECT_EQ(*acts.invite_members(1, id, actor_), 3);
  EXPECT_EQ(*acts.invite_members(1, id, actor_), 0);
  auto inv = acts.invitations(1, id, actor_);
  ASSERT_TRUE(inv.ok());
  ASSERT_EQ(inv->size(), 3u);
  EXPECT_EQ((*inv)[0].name, "Ann");
  EXPECT_EQ((*inv)[0].format, "easy_read");
  EXPECT_EQ((*inv)[0].access_needs, std::vector<std::string>{"hearing_loop"});
  EXPECT_EQ((*inv)[1].format, "letter");
  EXPECT_EQ((*inv)[2].format, "email");
  // Another organisation sees nothing.
  EXPECT_EQ(acts.get(2, id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(acts.invitations(2, id, actor_).status().code(), StatusCode::kNotFound);
}

TEST_F(ActivitiesTest, AttendanceIsAllOrNothingAndDefaultsToTheWholeActivity) {
  Activities acts(**db_, clock_);
  ActivityInput later = input();
  later.year = "2030";
  auto future = acts.create(1, group_, later, actor_);
  ASSERT_TRUE(future.ok());
  EXPECT_EQ(acts.record_attendance(1, future->id, {}, actor_, nullptr).code(), StatusCode::kConflict);
  int64_t id = make();
  ASSERT_TRUE(acts.invite_members(1, id, actor_).ok());
  std::vector<FieldError> problems;
  Status bad = acts.record_attendance(1, id,
                                      {{ids_[0], "attended", "", ""}, {ids_[1], "attended", "abc", ""},
                                       {ids_[3], "attended", "", ""}},
                                      actor_, &problems);
  EXPECT_EQ(bad.code(), StatusCode::kInvalidInput);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].field, "minutes-" + std::to_string(ids_[1]));
  EXPECT_EQ(problems[1].field, "attendance-" + std::to_string(ids_[3]));
  EXPECT_EQ(acts.get(1, id)->attended, 0);
  EXPECT_EQ(acts.get(1, id)->status, "scheduled");

  ASSERT_TRUE(acts.record_attendance(1, id,
                                     {{ids_[0], "attended", "", "chair"}, {ids_[1], "attended", "45", ""},
                                      {ids_[2], "apologies", "30", ""}},
                                     actor_, &problems)
                  .ok());
  auto inv = *acts.invitations(1, id, actor_);
  EXPECT_EQ(inv[0].minutes, 120);
  EXPECT_EQ(inv[0].role_level, "chair");
  EXPECT_EQ(inv[1].minutes, 45);
  EXPECT_EQ(inv[1].role_level, "member");
  EXPECT_EQ(inv[2].minutes, 0);  // apologies take no time
  EXPECT_EQ(acts.get(1, id)->status, "held");
  EXPECT_EQ(acts.get(1, id)->attended, 2);
  EXPECT_EQ(acts.cancel(1, id, actor_).code(), StatusCode::kConflict);
}

TEST_F(ActivitiesTest, MembersRateOnceAnonymouslyAndOnlyIfTheyTookPart) {
  Activities acts(**db_, clock_);
  int64_t id = make();
  ASSERT_TRUE(acts.invite_members(1, id, actor_).ok());
  ASSERT_TRUE(acts.record_attendance(1, id, {{ids_[0], "attended", "", ""}, {ids_[1], "did_not_attend", "", ""}},
                                     actor_, nullptr)
                  .ok());
  EXPECT_EQ(acts.rate(1, id, ids_[0], "bogus").code(), StatusCode::kInvalidInput);
  EXPECT_TRUE(acts.rate(1, id, ids_[0], "co_design").ok());
  EXPECT_EQ(acts.rate(1, id, ids_[0], "co_design").code(), StatusCode::kConflict);
  EXPECT_EQ(acts.rate(1, id, ids_[1], "informing").code(), StatusCode::kConflict);
  ASSERT_TRUE(acts.add_paper_ratings(1, id, "consultation", "2", actor_).ok());
  EXPECT_EQ(acts.add_paper_ratings(1, id, "consultation", "0", actor_).code(), StatusCode::kInvalidInput);
  auto r = *acts.ratings(1, id);
  EXPECT_EQ(r.member_total, 1);
  EXPECT_EQ(r.members["co_design"], 1);
  EXPECT_EQ(r.paper_total, 2);
  EXPECT_EQ(r.paper["consultation"], 2);
  EXPECT_EQ(r.members.count("consultation"), 0u) << "paper ratings never mix with members' own";
  // Nothing in the ratings table points back at a person.
  auto* c = *(*db_)->connection();
  auto cols = c->query("SELECT name FROM pragma_table_info('activity_rung_ratings')");
  for (const auto& row : *cols) EXPECT_EQ(row.text(0).find("person"), std::string::npos);
  ASSERT_TRUE(acts.save_outcome(1, id, "Notes", "We agreed to meet monthly", "consultation", actor_).ok());
  EXPECT_EQ(acts.get(1, id)->lead_rung, "consultation");
  EXPECT_EQ(acts.save_outcome(1, id, "", "", "top", actor_).code(), StatusCode::kInvalidInput);
}

TEST_F(ActivitiesTest, YouSaidWeDidActionsAreShownBackToTheGroup) {
  Activities acts(**db_, clock_);
  int64_t id = make();
  ActionInput in{"Papers arrive too late to read", "", "Chair", "planned", "1", "5", "2027"};
  auto made = acts.add_action(1, id, in, actor_);
  ASSERT_TRUE(made.ok()) << made.status().to_string();
  EXPECT_EQ(made->due_on, "2027-05-01");
  in.we_did = "Papers now go out a week before";
  in.status = "done";
  ASSERT_TRUE(acts.update_action(1, id, made->id, in, actor_).ok());
  auto all = *acts.group_actions(1, group_);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].we_did, "Papers now go out a week before");
  EXPECT_EQ(all[0].status, "done");
  EXPECT_EQ(all[0].activity_title, "Spring meeting");
  // The day it was first marked done is kept (impact counts actions done by
  // their date): not moved by later edits, cleared if it is reopened.
  auto done_on = [&] {
    auto r = (*(*db_)->connection())->query_one("SELECT done_on FROM activity_actions WHERE id = $1", {made->id});
    EXPECT_TRUE(r.ok());
    return r.ok() && !r->is_null(0) ? r->text(0) : std::string("none");
  };
  std::string first_done = done_on();
  EXPECT_EQ(first_done, format_timestamp(clock_.now()).substr(0, 10));
  clock_.advance(std::chrono::hours(24 * 3));
  in.we_did = "Papers now go out eight days before";
  ASSERT_TRUE(acts.update_action(1, id, made->id, in, actor_).ok());
  EXPECT_EQ(done_on(), first_done);
  in.status = "in_progress";
  ASSERT_TRUE(acts.update_action(1, id, made->id, in, actor_).ok());
  EXPECT_EQ(done_on(), "none");
  in.status = "done";
  ActionInput bad{"", "", "", "maybe", "31", "4", "2027"};
  auto errors = validate(bad);
  ASSERT_EQ(errors.size(), 4u);
  EXPECT_EQ(errors[3].field, "day");
  EXPECT_EQ(acts.update_action(1, id, made->id + 99, in, actor_).code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace coproduce::activities
