#include "learning/sessions.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "involvement/groups.h"
#include "involvement/people.h"
#include "learning/learning.h"
#include "learning/test_support.h"
#include "learning/workforce.h"

namespace coproduce::learning {
namespace {

// ---------------------------------------------------------------------------
// pick_trainers: pure.

std::set<int64_t> as_set(const std::vector<int64_t>& ids) { return {ids.begin(), ids.end()}; }

TEST(PickTrainers, ThoseWhoHaveTaughtLeastGoFirst) {
  std::vector<Candidate> candidates = {{1, 3}, {2, 0}, {3, 1}, {4, 0}, {5, 2}};
  for (uint64_t seed : {0u, 1u, 2u, 99u}) {
    SCOPED_TRACE(seed);
    EXPECT_EQ(as_set(pick_trainers(candidates, 2, seed)), (std::set<int64_t>{2, 4}));
    std::vector<int64_t> three = pick_trainers(candidates, 3, seed);
    ASSERT_EQ(three.size(), 3u);
    EXPECT_EQ(three[2], 3) << "after the two who never taught, the one who taught once";
    EXPECT_EQ(pick_trainers(candidates, 5, seed).back(), 1) << "the busiest last";
  }
}

TEST(PickTrainers, TiesAreBrokenByTheSeedReproducibly) {
  std::vector<Candidate> ten;
  for (int64_t id = 1; id <= 10; ++id) ten.push_back({id, 0});
  std::set<std::vector<int64_t>> seen;
  for (uint64_t seed = 0; seed < 40; ++seed) {
    std::vector<int64_t> chosen = pick_trainers(ten, 2, seed);
    ASSERT_EQ(chosen.size(), 2u);
    EXPECT_EQ(pick_trainers(ten, 2, seed), chosen) << "the same seed must give the same choice";
    // The order the candidates are listed in does not change the choice.
    std::vector<Candidate> reversed(ten.rbegin(), ten.rend());
    EXPECT_EQ(pick_trainers(reversed, 2, seed), chosen) << "seed " << seed;
    seen.insert(chosen);
  }
  EXPECT_GT(seen.size(), 5u) << "different seeds should spread the choice among equals";
  // Everyone gets picked by some seed.
  std::set<int64_t> anyone;
  for (const auto& pair : seen) anyone.insert(pair.begin(), pair.end());
  EXPECT_GE(anyone.size(), 8u);
}

TEST(PickTrainers, AskingForMoreThanThereAreGivesEveryone) {
  std::vector<Candidate> three = {{7, 2}, {8, 0}, {9, 1}};
  EXPECT_EQ(pick_trainers(three, 6, 42), (std::vector<int64_t>{8, 9, 7}));
  EXPECT_TRUE(pick_trainers(three, 0, 42).empty());
  EXPECT_TRUE(pick_trainers({}, 2, 42).empty());
}

// ---------------------------------------------------------------------------
// Sessions against a real database.

using test_support::at;

// A care worker at Oak House.
WorkerInput worker(std::string worker_id, std::string name, std::string started_on, std::string left_on = "") {
  WorkerInput in = test_support::ascwds_worker(std::move(worker_id), std::move(name), "Oak House", "", "care_worker",
                                               "direct_care", std::move(started_on), "");
  in.left_on = std::move(left_on);
  return in;
}

class SessionsTest : public test_support::DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    if (HasFatalFailure()) return;
    // Five people from the involvement pool; four hold a place on the
    // co-trainers group, the fifth declined.
    involvement::People people(**db_, clock_);
    for (const char* name : {"Pat", "Sam", "Lee", "Kim", "Jo"}) {
      involvement::PersonDetails d;
      d.name = name;
      d.email = std::string(name) + "@example.org";
      auto p = people.add(1, d, "staff", true, std::nullopt, actor_);
      ASSERT_TRUE(p.ok()) << p.status().to_string();
      people_.push_back(p->id);
    }
    auto group = involvement::Groups(**db_, clock_)
                     .create(1, {"Co-trainers", "", "care_provider", "6", "12", "co_production", false}, actor_);
    ASSERT_TRUE(group.ok()) << group.status().to_string();
    group_ = group->id;
    for (size_t i = 0; i < people_.size(); ++i)
      ASSERT_TRUE(sql("INSERT INTO group_members (group_id, person_id, status, invited_at) VALUES ($1, $2, $3, 'x')",
                      {group_, people_[i], i < 4 ? "accepted" : "declined"}));
    module_ = starter();
    ASSERT_NE(module_, 0);
  }

  SessionInput input(const std::string& trainers = "2", const std::string& day = "20") {
    SessionInput in;
    in.module_id = std::to_string(module_);
    in.group_id = std::to_string(group_);
    in.activity = {"", "Working in co-production, live", day, "6", "2026", "10:30", "180", "Oak House, training room",
                   "", "", ""};
    in.trainers = trainers;
    return in;
  }
  Session create(const SessionInput& in, uint64_t seed) {
    auto s = Sessions(**db_, clock_).create(1, in, seed, actor_);
    EXPECT_TRUE(s.ok()) << s.status().to_string();
    return s.ok() ? *s : Session{};
  }
  std::set<int64_t> trainers_of(const Session& s) {
    std::set<int64_t> out;
    for (const auto& t : s.trainers) out.insert(t.person_id);
    return out;
  }

  std::vector<int64_t> people_;
  int64_t group_ = 0;
  int64_t module_ = 0;
};

TEST_F(SessionsTest, CreateInvitesTheChosenCoTrainersAsTrainers) {
  Session s = create(input("2"), 7);
  EXPECT_GT(s.id, 0);
  EXPECT_EQ(s.module_id, module_);
  EXPECT_EQ(s.module_title, "Working in co-production");
  EXPECT_EQ(s.activity.kind, "training_session");
  EXPECT_EQ(s.activity.starts_at, "2026-06-20T10:30");
  EXPECT_EQ(s.activity.group_id, group_);
  ASSERT_EQ(s.trainers.size(), 2u);
  for (const auto& t : s.trainers) {
    EXPECT_NE(t.person_id, people_[4]) << "Jo declined a place and cannot be chosen";
    EXPECT_FALSE(t.name.empty());
  }
  auto c = (*db_)->connection();
  auto rows = (*c)->query("SELECT person_id, role_level FROM activity_invitations WHERE activity_id = $1 ORDER BY person_id",
                          {s.activity.id});
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u) << "only the chosen co-trainers are invited";
  std::set<int64_t> invited;
  for (const auto& r : *rows) {
    EXPECT_EQ(r.text(1), "trainer");
    invited.insert(r.integer(0));
  }
  EXPECT_EQ(invited, trainers_of(s));
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'session.create'"), 1);

  // The next session goes to the two who have not taught yet.
  Session next = create(input("2", "27"), 7);
  std::set<int64_t> both = trainers_of(s);
  for (int64_t p : trainers_of(next)) {
    EXPECT_EQ(both.count(p), 0u) << "person " << p << " taught last time while others have not";
    both.insert(p);
  }
  EXPECT_EQ(both, (std::set<int64_t>{people_[0], people_[1], people_[2], people_[3]}));

  // Asking for more co-trainers than the group has invites everyone who can come.
  Session big = create(input("6", "28"), 7);
  EXPECT_EQ(big.trainers.size(), 4u);
}

TEST_F(SessionsTest, TheSameSeedOnTheSameRecordsChoosesTheSameTrainers) {
  // Two plans from the same state (the first is removed again before the second).
  Session first = create(input("1"), 12345);
  std::set<int64_t> chosen = trainers_of(first);
  ASSERT_TRUE(sql("DELETE FROM learning_sessions"));
  ASSERT_TRUE(sql("DELETE FROM activity_invitations"));
  Session again = create(input("1"), 12345);
  EXPECT_EQ(trainers_of(again), chosen);
}

TEST_F(SessionsTest, CreateNamesTheFieldThatIsWrong) {
  Sessions sessions(**db_, clock_);
  SessionInput in = input();
  in.module_id = "";
  EXPECT_EQ(sessions.create(1, in, 1, actor_).status().where().field, "module_id");
  in = input();
  in.trainers = "7";
  EXPECT_EQ(sessions.create(1, in, 1, actor_).status().where().field, "trainers");
  in = input();
  in.trainers = "0";
  EXPECT_EQ(sessions.create(1, in, 1, actor_).status().where().field, "trainers");
  in = input();
  in.activity.title = "";
  EXPECT_EQ(sessions.create(1, in, 1, actor_).status().where().field, "title");
  // Another organisation's module.
  auto theirs = Learning(**db_, clock_).modules(2);
  in = input();
  in.module_id = std::to_string(theirs->front().id);
  auto foreign = sessions.create(1, in, 1, actor_);
  EXPECT_EQ(foreign.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(foreign.status().where().field, "module_id");
  // A group with no one on it.
  auto empty = involvement::Groups(**db_, clock_)
                   .create(1, {"New co-trainers", "", "care_provider", "6", "12", "co_production", false}, actor_);
  ASSERT_TRUE(empty.ok());
  in = input();
  in.group_id = std::to_string(empty->id);
  EXPECT_EQ(sessions.create(1, in, 1, actor_).status().where().field, "group_id");
  // Nothing was planned.
  EXPECT_EQ(count("SELECT COUNT(*) FROM learning_sessions"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM activities"), 0);
}

TEST_F(SessionsTest, OnlyWorkersInPostOnTheDayAreBooked) {
  Sessions sessions(**db_, clock_);
  Session s = create(input(), 1);
  Worker ann = add(worker("W1", "Ann", "2026-01-01"));
  Worker bob = add(worker("W2", "Bob", "2026-06-20"));                 // starts on the day
  Worker cy = add(worker("W3", "Cy", "2020-01-01", "2026-06-19"));     // leaves the day before
  Worker di = add(worker("W4", "Di", "2026-06-21"));                   // starts the day after
  Worker ed = add(worker("W5", "Ed", "2020-01-01", "2026-06-20"));     // leaves on the day
  Worker zed = add(worker("W1", "Zed", "2020-01-01"), 2);              // another organisation's
  auto booked = sessions.book(1, s.id, {ann.id, bob.id, cy.id, di.id, ed.id, zed.id, ann.id}, actor_);
  ASSERT_TRUE(booked.ok()) << booked.status().to_string();
  EXPECT_EQ(*booked, 3);
  EXPECT_EQ(*sessions.book(1, s.id, {ann.id, bob.id}, actor_), 0) << "already booked";
  auto got = sessions.get(1, s.id, actor_);
  ASSERT_TRUE(got.ok());
  std::vector<std::string> names;
  for (const auto& l : got->learners) names.push_back(l.name);
  EXPECT_EQ(names, (std::vector<std::string>{"Ann", "Bob", "Ed"}));
  for (const auto& l : got->learners) EXPECT_EQ(l.attendance, "");
  // Another organisation cannot see or book it.
  EXPECT_EQ(sessions.get(2, s.id, other_actor_).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(sessions.book(2, s.id, {zed.id}, other_actor_).status().code(), StatusCode::kNotFound);
  // A cancelled session takes no bookings.
  ASSERT_TRUE(activities::Activities(**db_, clock_).cancel(1, s.activity.id, actor_).ok());
  EXPECT_EQ(sessions.book(1, s.id, {cy.id}, actor_).status().code(), StatusCode::kConflict);
}

TEST_F(SessionsTest, AttendanceRecordsTheModuleAsCompletedOnTheDay) {
  Sessions sessions(**db_, clock_);
  Learning learning(**db_, clock_);
  Session s = create(input(), 1);
  Worker ann = add(worker("W1", "Ann", "2026-01-01"));
  Worker bob = add(worker("W2", "Bob", "2026-01-01"));
  Worker cy = add(worker("W3", "Cy", "2026-01-01"));
  ASSERT_EQ(*sessions.book(1, s.id, {ann.id, bob.id}, actor_), 2);
  // Ann also did the module another way, earlier.
  ASSERT_TRUE(learning.record_completion(1, ann.id, {std::to_string(module_), "2026-02-01", "", ""}, "recorded", actor_)
                  .ok());

  // Not before the day.
  Status early = sessions.record_attendance(1, s.id, {ann.id}, actor_);
  EXPECT_EQ(early.code(), StatusCode::kInvalidInput);
  EXPECT_EQ(early.where().field, "attended");
  EXPECT_EQ(count("SELECT COUNT(*) FROM learning_completions WHERE source = 'session'"), 0);

  clock_ = FakeClock(at("2026-06-20T08:00:00Z"));  // the morning of the session
  Sessions on_the_day(**db_, clock_);
  ASSERT_TRUE(on_the_day.record_attendance(1, s.id, {ann.id}, actor_).ok());
  auto anns = learning.completions(1, ann.id);
  ASSERT_EQ(anns->size(), 2u);
  EXPECT_EQ((*anns)[0].completed_on, "2026-06-20");
  EXPECT_EQ((*anns)[0].source, "session");
  EXPECT_EQ((*anns)[0].how_delivered, "Face to face");
  EXPECT_TRUE(learning.completions(1, bob.id)->empty());
  auto got = on_the_day.get(1, s.id, actor_);
  ASSERT_EQ(got->learners.size(), 2u);
  EXPECT_EQ(got->learners[0].attendance, "attended");
  EXPECT_EQ(got->learners[1].attendance, "did_not_attend");

  // Someone not booked cannot have attended: refused, and nothing changes.
  Status stranger = on_the_day.record_attendance(1, s.id, {bob.id, cy.id}, actor_);
  EXPECT_EQ(stranger.code(), StatusCode::kInvalidInput);
  EXPECT_EQ(learning.completions(1, ann.id)->size(), 2u);
  EXPECT_TRUE(learning.completions(1, bob.id)->empty());

  // Corrected: it was Bob, not Ann. Ann's session completion goes; her earlier one stays.
  ASSERT_TRUE(on_the_day.record_attendance(1, s.id, {bob.id}, actor_).ok());
  anns = learning.completions(1, ann.id);
  ASSERT_EQ(anns->size(), 1u);
  EXPECT_EQ((*anns)[0].source, "recorded");
  auto bobs = learning.completions(1, bob.id);
  ASSERT_EQ(bobs->size(), 1u);
  EXPECT_EQ((*bobs)[0].completed_on, "2026-06-20");
  // Recording the same again does not add a second completion.
  ASSERT_TRUE(on_the_day.record_attendance(1, s.id, {bob.id}, actor_).ok());
  EXPECT_EQ(learning.completions(1, bob.id)->size(), 1u);
  // Nobody came after all.
  ASSERT_TRUE(on_the_day.record_attendance(1, s.id, {}, actor_).ok());
  EXPECT_EQ(count("SELECT COUNT(*) FROM learning_completions WHERE source = 'session'"), 0);

  // Days later it can still be put right.
  clock_.advance(std::chrono::hours(24 * 10));
  ASSERT_TRUE(on_the_day.record_attendance(1, s.id, {ann.id, bob.id}, actor_).ok());
  EXPECT_EQ(count("SELECT COUNT(*) FROM learning_completions WHERE source = 'session' AND completed_on = '2026-06-20'"),
            2);
}

TEST_F(SessionsTest, SharingCountsEachCoTrainersSessions) {
  Sessions sessions(**db_, clock_);
  auto none = sessions.sharing(1);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->rows.empty());
  EXPECT_EQ(none->sessions, 0);

  Session a = create(input("2", "20"), 3);
  Session b = create(input("2", "21"), 3);
  auto even = sessions.sharing(1);
  ASSERT_TRUE(even.ok());
  EXPECT_EQ(even->sessions, 2);
  ASSERT_EQ(even->rows.size(), 4u) << "everyone with a place on the group, Jo (declined) not included";
  for (const auto& r : even->rows) EXPECT_EQ(r.sessions, 1) << r.name;
  ASSERT_TRUE(even->gini.has_value());
  EXPECT_DOUBLE_EQ(*even->gini, 0.0);

  Session c = create(input("1", "22"), 3);
  ASSERT_EQ(c.trainers.size(), 1u);
  auto shared = sessions.sharing(1);
  ASSERT_TRUE(shared.ok());
  EXPECT_EQ(shared->sessions, 3);
  ASSERT_EQ(shared->rows.size(), 4u);
  EXPECT_EQ(shared->rows[0].person_id, c.trainers[0].person_id) << "most sessions first";
  EXPECT_EQ(shared->rows[0].sessions, 2);
  EXPECT_EQ(shared->rows[0].name, c.trainers[0].name);
  int places = 0;
  for (const auto& r : shared->rows) places += r.sessions;
  EXPECT_EQ(places, 5);
  EXPECT_GT(*shared->gini, 0.0);

  // A cancelled session is not counted.
  ASSERT_TRUE(activities::Activities(**db_, clock_).cancel(1, c.activity.id, actor_).ok());
  auto after = sessions.sharing(1);
  EXPECT_EQ(after->sessions, 2);
  for (const auto& r : after->rows) EXPECT_EQ(r.sessions, 1) << r.name;
  // Another organisation has none.
  EXPECT_TRUE(sessions.sharing(2)->rows.empty());
  (void)a;
  (void)b;
}

}  // namespace
}  // namespace coproduce::learning
