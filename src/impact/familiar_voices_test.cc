// The loader against a real SQLite database built by the migrations, with
// the data set of test_fixture.h inserted by SQL. The figures are the ones
// worked out by hand in measures_test.cc; here they show that the database
// is read the way the definitions say (cancelled activities, apologies,
// other organisations and the period's ends left out).
#include "impact/familiar_voices.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "impact/test_fixture.h"
#include "store/migrations.h"

namespace coproduce::impact {
namespace {

namespace fs = std::filesystem;

TimePoint at(const char* text) {
  TimePoint t;
  EXPECT_TRUE(parse_timestamp(text, &t));
  return t;
}

class FamiliarVoicesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = fs::temp_directory_path() / ("coproduce-impact-" + std::to_string(::getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    fs::remove(path_);
    db_ = *store::open_database(path_.string());
    ASSERT_TRUE(store::migrate(*db_, store::bundled_migrations()).ok());
    store::Connection& c = **db_->connection();
    auto exec = [&](const std::string& sql, const std::vector<store::Value>& params = {}) {
      auto r = c.execute(sql, params);
      ASSERT_TRUE(r.ok()) << sql << ": " << r.status().to_string();
    };
    exec("INSERT INTO organisations (id, name, created_at) VALUES (1, 'Org', 'x'), (2, 'Other', 'x')");
    exec(
        "INSERT INTO users (organisation_id, email, role, created_at) VALUES (1, 'l@x.org', 'coproduction-lead', 'x')");
    for (int64_t p = 1; p <= 13; ++p) {
      exec(
          "INSERT INTO people (id, organisation_id, name, source, created_at, updated_at)"
          " VALUES ($1, $2, $3, 'staff', 'x', 'x')",
          {p, p == 13 ? 2 : 1, "Person " + std::to_string(p)});
    }
    for (int64_t g = 1; g <= 4; ++g) {
      exec(
          "INSERT INTO groups (id, organisation_id, name, setting, size, ladder_aim, created_at)"
          " VALUES ($1, $2, $3, 'council', 10, 'co_production', 'x')",
          {g, g == 4 ? 2 : 1, std::string("Group ") + static_cast<char>('A' + g - 1)});
    }
    const char* activity_sql =
        "INSERT INTO activities (id, organisation_id, group_id, kind, title, starts_at, duration_minutes, status,"
        " created_at, updated_at) VALUES ($1, $2, $3, 'meeting', 'Meeting', $4, 120, $5, 'x', 'x')";
    for (const auto& a : fixture::activities()) exec(activity_sql, {a.id, 1, a.group, a.starts_at, a.status});
    const char* invitation_sql =
        "INSERT INTO activity_invitations (activity_id, person_id, format, invited_at, attendance, minutes)"
        " VALUES ($1, $2, 'email', 'x', $3, $4)";
    for (const auto& i : fixture::invitations()) exec(invitation_sql, {i.activity, i.person, i.attendance, i.minutes});
    // Another organisation's meeting in the period: never counted here.
    exec(activity_sql, {200, 2, 4, "2026-03-03T10:00", "held"});
    exec(invitation_sql, {200, 13, "attended", 90});
    for (const auto& m : fixture::members()) {
      exec("INSERT INTO group_members (group_id, person_id, status, invited_at) VALUES ($1, $2, $3, 'x')",
           {m.group, m.person, m.status});
    }
    exec("INSERT INTO group_members (group_id, person_id, status, invited_at) VALUES (4, 13, 'accepted', 'x')");
    for (const auto& a : fixture::answers()) {
      exec(
          "INSERT INTO equality_monitoring (person_id, ethnic_group, sex, disability, updated_at)"
          " VALUES ($1, $2, $3, $4, 'x')",
          {a.person, a.ethnic_group, a.sex, a.disability});
    }
    fv_ = std::make_unique<FamiliarVoices>(*db_, clock_);
  }
  void TearDown() override {
    fv_.reset();
    db_.reset();
    for (const char* ext : {"", "-wal", "-shm"}) fs::remove(path_.string() + ext);
  }

  int64_t audit_count(const std::string& action) {
    auto r = (*db_->connection())->query_one("SELECT COUNT(*) FROM audit_log WHERE action = $1", {action});
    return r.ok() ? r->integer(0) : -1;
  }

  FakeClock clock_{at("2026-11-26T09:00:00Z")};
  fs::path path_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<FamiliarVoices> fv_;
  involvement::Actor actor_{1, "127.0.0.1"};
  Period period_{fixture::kFrom, fixture::kTo};
};

TEST_F(FamiliarVoicesTest, ReadsTheOrganisationsFigures) {
  auto r = fv_->report(1, period_, std::nullopt, actor_);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->places, 21);
  EXPECT_EQ(r->people, 12);
  EXPECT_EQ(r->minutes, 1800);
  EXPECT_DOUBLE_EQ(*r->top_decile_share, 9.0 / 21.0);
  EXPECT_DOUBLE_EQ(*r->top_decile_hours_share, 0.4);
  EXPECT_DOUBLE_EQ(*r->gini, 85.0 / 252.0);
  EXPECT_DOUBLE_EQ(*r->newcomer_share, 10.0 / 21.0);
  EXPECT_EQ(r->multi_group.members, 5);
  EXPECT_EQ(r->multi_group.on_three_or_more, 2);
  ASSERT_EQ(r->representativeness.categories.size(), 3u);
  EXPECT_EQ(r->representativeness.categories[0].values.front().value, "white");
  EXPECT_EQ(r->representativeness.categories[0].known_places, 19);
  EXPECT_TRUE(r->group_name.empty());
  EXPECT_EQ(audit_count("familiar-voices.read"), 1);
}

TEST_F(FamiliarVoicesTest, ReadsOneGroupAndRefusesAnotherOrganisationsGroup) {
  auto a = fv_->report(1, period_, 1, actor_);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->group_name, "Group A");
  EXPECT_EQ(a->places, 12);
  EXPECT_DOUBLE_EQ(*a->newcomer_share, 0.5);
  EXPECT_TRUE(a->representativeness.suppressed);

  auto other = fv_->report(1, period_, 4, actor_);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(other.status().where().field, "group");
  EXPECT_EQ(fv_->report(1, period_, 99, actor_).status().code(), StatusCode::kNotFound);

  // The other organisation sees only its own meeting.
  auto theirs = fv_->report(2, period_, std::nullopt, actor_);
  ASSERT_TRUE(theirs.ok());
  EXPECT_EQ(theirs->places, 1);
  EXPECT_EQ(theirs->multi_group.members, 1);
}

TEST_F(FamiliarVoicesTest, SummarisesEachGroup) {
  auto list = fv_->group_summaries(1, period_);
  ASSERT_TRUE(list.ok()) << list.status().to_string();
  ASSERT_EQ(list->size(), 3u) << "only the organisation's own groups";
  const GroupSummary& a = (*list)[0];
  EXPECT_EQ(a.name, "Group A");
  EXPECT_EQ(a.places, 12);
  EXPECT_EQ(a.people, 8);
  EXPECT_DOUBLE_EQ(*a.top_decile_share, 2.0 / 12.0);
  EXPECT_DOUBLE_EQ(*a.newcomer_share, 0.5);
  // B: a3 (P1, P2, P9..P12) and a4 (P1): 7 places, 6 people; the top one
  // (P1) holds 2. Newcomers: P9..P12 at a3, 4 of 7.
  const GroupSummary& b = (*list)[1];
  EXPECT_EQ(b.places, 7);
  EXPECT_EQ(b.people, 6);
  EXPECT_DOUBLE_EQ(*b.top_decile_share, 2.0 / 7.0);
  EXPECT_DOUBLE_EQ(*b.newcomer_share, 4.0 / 7.0);
  EXPECT_EQ((*list)[2].places, 2);

  auto before = fv_->group_summaries(1, {"2020-01-01", "2020-12-31"});
  ASSERT_TRUE(before.ok());
  EXPECT_EQ((*before)[0].places, 0);
  EXPECT_FALSE((*before)[0].top_decile_share.has_value());
}

TEST_F(FamiliarVoicesTest, ThePeriodsEndsAreIncluded) {
  // Only 2026-06-30: a6 at 18:00 that day.
  auto last_day = fv_->report(1, {"2026-06-30", "2026-06-30"}, std::nullopt, actor_);
  ASSERT_TRUE(last_day.ok());
  EXPECT_EQ(last_day->places, 1);
  // From 2026-07-01 on, a7 brings everyone back; all of them had earlier
  // places, so none of the 12 is a newcomer's.
  auto july = fv_->report(1, {"2026-07-01", "2026-07-31"}, std::nullopt, actor_);
  ASSERT_TRUE(july.ok());
  EXPECT_EQ(july->places, 12);
  EXPECT_DOUBLE_EQ(*july->newcomer_share, 0.0);
  EXPECT_DOUBLE_EQ(*july->gini, 0.0);
  // Before anything happened: no proportions at all.
  auto empty = fv_->report(1, {"2020-01-01", "2020-12-31"}, std::nullopt, actor_);
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->places, 0);
  EXPECT_FALSE(empty->gini.has_value());
}

TEST_F(FamiliarVoicesTest, AnUploadedBenchmarkIsUsedUntilReset) {
  auto before = fv_->benchmark(1);
  ASSERT_TRUE(before.ok());
  EXPECT_FALSE(before->local);
  ParsedBenchmark parsed =
      parse_benchmark("category,value,share,source\nsex,female,0.25,Our area\nsex,male,0.75,Our area\n", "local.csv");
  ASSERT_TRUE(parsed.ok());
  ASSERT_TRUE(fv_->save_benchmark(1, parsed.shares, actor_).ok());
  auto after = fv_->benchmark(1);
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(after->local);
  EXPECT_EQ(after->uploaded_at, "2026-11-26T09:00:00Z");
  EXPECT_DOUBLE_EQ(after->find("sex", "female")->share, 0.25);
  EXPECT_DOUBLE_EQ(after->find("ethnic_group", "white")->share, 0.817);
  EXPECT_FALSE(fv_->benchmark(2)->local) << "another organisation keeps the default";

  // Female places were 5 of 19, against the local 25% now.
  auto r = fv_->report(1, period_, std::nullopt, actor_);
  ASSERT_TRUE(r.ok());
  for (const auto& v : r->representativeness.categories[1].values) {
    if (v.value == "female") {
      EXPECT_NEAR(*v.gap, 5.0 / 19.0 - 0.25, 1e-12);
    }
  }
  EXPECT_EQ(audit_count("benchmark.upload"), 1);

  ASSERT_TRUE(fv_->reset_benchmark(1, actor_).ok());
  EXPECT_FALSE(fv_->benchmark(1)->local);
  EXPECT_DOUBLE_EQ(fv_->benchmark(1)->find("sex", "female")->share, 0.5104);
  EXPECT_EQ(audit_count("benchmark.reset"), 1);
}

}  // namespace
}  // namespace coproduce::impact
