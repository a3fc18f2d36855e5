#include "involvement/recruitment.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <numeric>

#include "involvement/groups.h"
#include "store/migrations.h"

namespace coproduce::involvement {
namespace {

namespace fs = std::filesystem;

class RecruitmentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = fs::temp_directory_path() / ("coproduce-recruit-" + std::to_string(::getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    fs::remove(path_);
    db_ = *store::open_database(path_.string());
    ASSERT_TRUE(store::migrate(*db_, store::bundled_migrations()).ok());
    auto* c = *db_->connection();
    ASSERT_TRUE(c->execute("INSERT INTO organisations (name, created_at) VALUES ('Org', 'x')").ok());
    ASSERT_TRUE(c->execute("INSERT INTO users (organisation_id, email, role, created_at) VALUES (1, 'l@x.org', 'coproduction-lead', 'x')").ok());
    People people(*db_, clock_);
    // 6 carers and 6 people who draw on care; the last 3 of each are women.
    for (int i = 0; i < 12; ++i) {
      PersonDetails d;
      d.name = "Person " + std::to_string(i);
      d.phone = "01632 960 " + std::to_string(100 + i);
      d.lived_experience = {i < 6 ? "unpaid_carer" : "draws_on_care"};
      auto p = people.add(1, d, "staff", /*consent=*/i != 11, Equality{{"sex", i % 6 >= 3 ? "female" : "male"}}, actor_);
      ASSERT_TRUE(p.ok()) << p.status().to_string();
    }
    GroupInput g{"Carers' voice", "Shape support for carers", "council", "4", "12", "co_production", true};
    auto group = Groups(*db_, clock_).create(1, g, actor_);
    ASSERT_TRUE(group.ok()) << group.status().to_string();
    group_ = group->id;
  }
  void TearDown() override {
    db_.reset();
    for (const char* ext : {"", "-wal", "-shm"}) fs::remove(path_.string() + ext);
  }
  RoundSetup setup() {
    RoundSetup s;
    s.categories = {"experience", "sex"};
    s.quotas = {{"experience", "I draw on care and support", 2, 2}, {"experience", "I am an unpaid carer", 2, 2},
                {"sex", "Female", 2, 4}};
    return s;
  }

  FakeClock clock_{std::chrono::system_clock::from_time_t(1'800'000'000)};
  fs::path path_;
  std::unique_ptr<store::Database> db_;
  Actor actor_{1, "test"};
  int64_t group_ = 0;
};

TEST_F(RecruitmentTest, CountsTheEligiblePoolByCategory) {
  Recruitment r(*db_, clock_);
  auto count = r.count(1, group_, setup());
  ASSERT_TRUE(count.ok()) << count.status().to_string();
  EXPECT_EQ(count->eligible, 11) << "the person without consent is not eligible";
  ASSERT_EQ(count->categories.size(), 2u);
  EXPECT_EQ(count->categories[1].values, (std::vector<std::pair<std::string, int>>{{"Female", 5}, {"Male", 6}}));
}

TEST_F(RecruitmentTest, RunsLeximinDrawsAndInvites) {
  Recruitment r(*db_, clock_);
  auto id = r.create_round(1, group_, setup(), 42, actor_);
  ASSERT_TRUE(id.ok()) << id.status().to_string();
  ASSERT_TRUE(r.queue(1, *id).ok());
  ASSERT_TRUE(r.run(1, *id).ok());
  auto round = r.get(1, *id);
  ASSERT_EQ(round->status, "done") << round->result.dump();
  double sum = 0;
  for (const auto& [person, p] : round->result["probabilities"].items()) sum += p.get<double>();
  EXPECT_NEAR(sum, 4.0, 1e-6) << "probabilities add up to the places";
  // With 2 of 5 carers... each experience gets exactly 2 places: every carer
  // has 2/5 or more, and LEXIMIN makes the smallest as large as it can be.
  EXPECT_GT(round->result["fairness"]["minimum"].get<double>(), 0.3);
  ASSERT_EQ(round->result["tickets"].size(), static_cast<size_t>(Recruitment::kTickets));
  for (const auto& ticket : round->result["tickets"]) EXPECT_EQ(ticket.size(), 4u);

  EXPECT_FALSE(r.draw(1, *id, 0, actor_).ok()) << "ticket numbers start at 1";
  ASSERT_TRUE(r.draw(1, *id, 7, actor_).ok());
  ASSERT_TRUE(r.invite(1, *id, actor_).ok());
  Groups groups(*db_, clock_);
  auto members = groups.members(1, group_, actor_);
  ASSERT_EQ(members->size(), 4u);
  std::vector<int64_t> on_ticket;
  for (const auto& m : round->result["tickets"][6]) on_ticket.push_back(m.get<int64_t>());
  for (const auto& m : *members) {
    EXPECT_EQ(m.status, "invited");
    EXPECT_NE(std::find(on_ticket.begin(), on_ticket.end(), m.person_id), on_ticket.end()) << "ticket 7's panel";
  }
}

TEST_F(RecruitmentTest, ARoundOutOfTimeKeepsAValidLotteryAndSaysSo) {
  Recruitment r(*db_, clock_);
  r.set_time_limit(std::chrono::seconds(0));
  auto id = *r.create_round(1, group_, setup(), 3, actor_);
  ASSERT_TRUE(r.queue(1, id).ok());
  ASSERT_TRUE(r.run(1, id).ok());
  auto round = r.get(1, id);
  ASSERT_EQ(round->status, "done") << round->result.dump();
  EXPECT_FALSE(round->result["complete"].get<bool>()) << "stopped by the time limit, not proven";
  double sum = 0;
  for (const auto& [person, p] : round->result["probabilities"].items()) sum += p.get<double>();
  EXPECT_NEAR(sum, 4.0, 1e-6) << "still a lottery over whole groups of 4";
  ASSERT_EQ(round->result["tickets"].size(), static_cast<size_t>(Recruitment::kTickets));
  for (const auto& ticket : round->result["tickets"]) EXPECT_EQ(ticket.size(), 4u);
  ASSERT_TRUE(r.draw(1, id, 1, actor_).ok()) << "a stopped round can still be drawn";
}

TEST_F(RecruitmentTest, ReplacementKeepsThoseWhoAcceptedAndFillsTheRest) {
  Recruitment r(*db_, clock_);
  auto id = *r.create_round(1, group_, setup(), 7, actor_);
  ASSERT_TRUE(r.queue(1, id).ok());
  ASSERT_TRUE(r.run(1, id).ok());
  ASSERT_TRUE(r.draw(1, id, std::nullopt, actor_).ok());
  ASSERT_TRUE(r.invite(1, id, actor_).ok());
  Groups groups(*db_, clock_);
  auto members = *groups.members(1, group_, actor_);
  ASSERT_TRUE(groups.respond(1, group_, members[0].person_id, true, actor_).ok());
  ASSERT_TRUE(groups.respond(1, group_, members[1].person_id, false, actor_).ok());
  EXPECT_FALSE(groups.respond(1, group_, members[1].person_id, true, actor_).ok()) << "already answered";
  auto again = r.replacement_round(1, group_, 8, actor_);
  ASSERT_TRUE(again.ok()) << again.status().to_string();
  auto round = *r.get(1, *again);
  EXPECT_EQ(round.places, 1) << "one declined; the others accepted or are still invited";
  ASSERT_TRUE(r.queue(1, *again).ok());
  ASSERT_TRUE(r.run(1, *again).ok());
  round = *r.get(1, *again);
  ASSERT_EQ(round.status, "done") << round.result.dump();
  std::set<int64_t> kept = {members[0].person_id, members[2].person_id, members[3].person_id};
  for (const auto& ticket : round.result["tickets"]) {
    int found = 0;
    for (const auto& m : ticket) found += kept.count(m.get<int64_t>()) ? 1 : 0;
    EXPECT_EQ(found, 3) << "every ticket keeps the three who accepted or have not answered";
    for (const auto& m : ticket) EXPECT_NE(m.get<int64_t>(), members[1].person_id) << "who declined is not re-drawn";
  }
}

TEST_F(RecruitmentTest, ImpossibleQuotasNameTheConflictAndARelaxation) {
  Recruitment r(*db_, clock_);
  RoundSetup s = setup();
  s.quotas.push_back({"sex", "Male", 3, 4});  // 2 of 4 places must also be at least 2 women
  auto id = *r.create_round(1, group_, s, 1, actor_);
  ASSERT_TRUE(r.queue(1, id).ok());
  ASSERT_TRUE(r.run(1, id).ok());
  auto round = *r.get(1, id);
  EXPECT_EQ(round.status, "infeasible");
  EXPECT_FALSE(round.result["conflicts"].empty());
  EXPECT_FALSE(round.result["relaxation"].empty());
  EXPECT_FALSE(r.draw(1, id, 1, actor_).ok());
}

TEST_F(RecruitmentTest, BadQuotasAreRefusedBeforeAnythingIsStored) {
  Recruitment r(*db_, clock_);
  RoundSetup s = setup();
  s.quotas.push_back({"sex", "Female", 3, 1});
  auto id = r.create_round(1, group_, s, 1, actor_);
  ASSERT_FALSE(id.ok());
  EXPECT_NE(id.status().message().find("more than the maximum"), std::string::npos);
  s = setup();
  s.categories.push_back("shoe size");
  EXPECT_FALSE(r.create_round(1, group_, s, 1, actor_).ok());
  EXPECT_TRUE(r.rounds(1, group_)->empty());
  EXPECT_EQ(r.create_round(2, group_, setup(), 1, actor_).status().code(), StatusCode::kNotFound)
      << "another organisation's group";
}

TEST_F(RecruitmentTest, KeepsTheAlgorithmChosenAndReportsWhatTheRunProved) {
  Recruitment r(*db_, clock_);
  RoundSetup s = setup();
  EXPECT_FALSE(read_algorithm("maximin", s).has_value());
  EXPECT_EQ(s.algorithm, selection::Algorithm::kMaximin);
  auto id = r.create_round(1, group_, s, 3, actor_);
  ASSERT_TRUE(id.ok()) << id.status().to_string();
  EXPECT_EQ(r.get(1, *id)->setup.algorithm, selection::Algorithm::kMaximin);
  auto again = r.replacement_round(1, group_, 4, actor_);
  ASSERT_TRUE(again.ok()) << again.status().to_string();
  EXPECT_EQ(r.get(1, *again)->setup.algorithm, selection::Algorithm::kMaximin) << "a replacement keeps the way chosen";

  auto leximin = *r.create_round(1, group_, setup(), 5, actor_);
  ASSERT_TRUE(r.queue(1, leximin).ok());
  ASSERT_TRUE(r.run(1, leximin).ok());
  auto round = *r.get(1, leximin);
  ASSERT_EQ(round.status, "done") << round.result.dump();
  EXPECT_EQ(round.result["algorithm"], "leximin");
  EXPECT_TRUE(round.result["complete"].get<bool>());
  EXPECT_GE(round.result["proven_gap"].get<double>(), 0.0);
  for (const char* key : {"probability_levels", "panels_kept", "stages", "seconds", "tickets", "fairness"}) {
    EXPECT_TRUE(round.result.contains(key)) << key;
  }
}

TEST_F(RecruitmentTest, AWayThatMakesNoLotteryIsAFieldErrorAndNothingIsStored) {
  RoundSetup s = setup();
  for (const char* bad : {"legacy", "LEXIMIN", "", "fairest"}) {
    auto e = read_algorithm(bad, s);
    ASSERT_TRUE(e.has_value()) << bad;
    EXPECT_EQ(e->field, "algorithm");
    EXPECT_EQ(e->kind, Problem::kUnknownCode);
    EXPECT_EQ(s.algorithm, selection::Algorithm::kLeximin) << "left as it was";
  }
  Recruitment r(*db_, clock_);
  s.algorithm = selection::Algorithm::kLegacy;
  auto id = r.create_round(1, group_, s, 1, actor_);
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().where().field, "algorithm");
  EXPECT_TRUE(r.rounds(1, group_)->empty());
}

TEST(ProgressText, NamesTheAlgorithmAndTheGapOnceThereIsOne) {
  selection::LeximinProgress p;
  p.fixed_types = 120;
  p.total_types = 441;
  p.panels = 900;
  EXPECT_EQ(progress_text(selection::Algorithm::kLeximin, p),
            "Finding the fairest lottery (LEXIMIN): 120 of 441 kinds of people settled, 900 panels considered");
  p.gap = 0.0003;
  EXPECT_EQ(progress_text(selection::Algorithm::kLeximin, p),
            "Finding the fairest lottery (LEXIMIN): 120 of 441 kinds of people settled, 900 panels considered, "
            "within 0.0003 of the best so far");
  EXPECT_EQ(progress_text(selection::Algorithm::kNash, p),
            "Finding the lottery (Nash welfare): 441 kinds of people, 900 panels considered, within 0.0003 of the best "
            "so far");
}

}  // namespace
}  // namespace coproduce::involvement
