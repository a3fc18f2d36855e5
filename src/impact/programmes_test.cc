// Programmes against a real SQLite database built by the migrations: all or
// nothing saves, organisations kept apart, indicators and their status,
// costs in a period, the business case worked by hand, and the platform
// measures read from the familiar-voices data set of test_fixture.h.
#include "impact/programmes.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "impact/test_fixture.h"
#include "store/temporary_database.h"

namespace coproduce::impact {
namespace {

TimePoint at(const std::string& text) {
  TimePoint t;
  EXPECT_TRUE(parse_timestamp(text, &t)) << text;
  return t;
}

// Organisations 1 and 2 with a co-production lead each; groups 1 to 3 and
// the fixture's activities, attendance and people are organisation 1's,
// group 4 and activity 200 organisation 2's. The clock stands at
// 2026-11-26, after the fixture's period.
class ProgrammesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const ::testing::TestInfo* test = ::testing::UnitTest::GetInstance()->current_test_info();
    db_ = std::make_unique<store::TemporaryDatabase>(std::string("programmes-") + test->name());
    ASSERT_TRUE(db_->status().ok()) << db_->status().to_string();
    exec("INSERT INTO organisations (id, name, created_at) VALUES (1, 'Org', 'x'), (2, 'Other', 'x')");
    exec(
        "INSERT INTO users (id, organisation_id, email, role, created_at) VALUES"
        " (1, 1, 'l@x.org', 'coproduction-lead', 'x'), (2, 2, 'l@y.org', 'coproduction-lead', 'x')");
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
          {g, g == 4 ? 2 : 1, "Group " + std::to_string(g)});
    }
    const char* activity_sql =
        "INSERT INTO activities (id, organisation_id, group_id, kind, title, starts_at, duration_minutes, status,"
        " created_at, updated_at) VALUES ($1, $2, $3, 'meeting', 'Meeting', $4, 120, $5, 'x', 'x')";
    for (const auto& a : fixture::activities()) exec(activity_sql, {a.id, 1, a.group, a.starts_at, a.status});
    exec(activity_sql, {200, 2, 4, "2026-03-03T10:00", "held"});
    const char* invitation_sql =
        "INSERT INTO activity_invitations (activity_id, person_id, format, invited_at, attendance, minutes)"
        " VALUES ($1, $2, 'email', 'x', $3, $4)";
    for (const auto& i : fixture::invitations()) exec(invitation_sql, {i.activity, i.person, i.attendance, i.minutes});
    exec(invitation_sql, {200, 13, "attended", 90});
  }

  void exec(const std::string& sql, const std::vector<store::Value>& params = {}) {
    auto r = (*db_)->connection().value()->execute(sql, params);
    ASSERT_TRUE(r.ok()) << sql << ": " << r.status().to_string();
  }

  int64_t count(const std::string& sql) {
    auto r = (*db_)->connection().value()->query_one(sql);
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return r.ok() ? r->integer(0) : -1;
  }

  Programmes service(LearningCoverage learning = {}) { return Programmes(**db_, clock_, std::move(learning)); }

  // Adds an indicator of P1 (an output) to programme `id`.
  StatusOr<Indicator> add_indicator(int64_t id, IndicatorDefinition d, Programmes* with = nullptr) {
    IndicatorInput ind;
    ind.element = "P1";
    ind.definition = std::move(d);
    if (ind.definition.name.empty()) ind.definition.name = "Indicator";
    ind.definition.direction = "higher";
    ind.definition.frequency = "quarterly";
    if (ind.definition.unit.empty()) ind.definition.unit = measure_unit(ind.definition.measure);
    return with ? with->add_indicator(1, id, ind, actor_) : service().add_indicator(1, id, ind, actor_);
  }

  // A programme like half_year() with an output P1 to measure.
  int64_t measured(ProgrammeInput in) {
    int64_t id = make(in);
    TheoryOfChangeInput toc;
    toc.elements = {{"P1", "output", "Places"}};
    EXPECT_TRUE(service().save_theory_of_change(1, id, toc, actor_).ok());
    return id;
  }

  // Organisation 1's programme of the first half of 2026 with group 1.
  ProgrammeInput half_year() {
    ProgrammeInput in;
    in.name = "Carers' voice";
    in.purpose = "Carers shape the services they use";
    in.lead = "Sam Lee";
    in.starts_on = "2026-01-01";
    in.ends_on = "2026-06-30";
    in.group_ids = {1};
    return in;
  }

  int64_t make(const ProgrammeInput& in) {
    auto p = service().create(1, in, actor_);
    EXPECT_TRUE(p.ok()) << p.status().to_string();
    return p.ok() ? p->id : 0;
  }

  FakeClock clock_{at("2026-11-26T09:00:00Z")};
  std::unique_ptr<store::TemporaryDatabase> db_;
  Actor actor_{1, "127.0.0.1"};
  Actor other_{2, "127.0.0.1"};
};

void expect_problem(const Status& s, const std::string& field, StatusCode code = StatusCode::kInvalidInput) {
  EXPECT_EQ(s.code(), code) << s.to_string();
  EXPECT_EQ(s.where().field, field) << s.to_string();
}

TEST_F(ProgrammesTest, CreatesReadsAndUpdatesAProgramme) {
  int64_t id = make(half_year());
  auto p = service().get(1, id);
  ASSERT_TRUE(p.ok()) << p.status().to_string();
  EXPECT_EQ(p->details.name, "Carers' voice");
  EXPECT_EQ(p->details.lead, "Sam Lee");
  EXPECT_DOUBLE_EQ(p->details.discount_rate, 3.5);  // the Green Book's, unless changed
  EXPECT_EQ(p->details.group_ids, std::vector<int64_t>{1});

  ProgrammeInput changed = p->details;
  changed.discount_rate = 1.5;
  changed.activity_ids = {104, 104};  // repeats are kept once
  auto after = service().update(1, id, changed, actor_);
  ASSERT_TRUE(after.ok()) << after.status().to_string();
  EXPECT_DOUBLE_EQ(after->details.discount_rate, 1.5);
  EXPECT_EQ(after->details.activity_ids, std::vector<int64_t>{104});
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'programme.%'"), 2);

  auto all = service().list(1);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 1u);
  EXPECT_TRUE(service().list(2)->empty());
}

TEST_F(ProgrammesTest, NothingIsHalfSaved) {
  // Group 4 is the other organisation's: named by its place in the list.
  ProgrammeInput in = half_year();
  in.group_ids = {1, 4};
  expect_problem(service().create(1, in, actor_).status(), "group_ids.1");
  EXPECT_EQ(count("SELECT COUNT(*) FROM programmes"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM programme_groups"), 0);

  int64_t id = make(half_year());
  ProgrammeInput bad = half_year();
  bad.name = "Renamed";
  bad.survey_ids = {99};
  expect_problem(service().update(1, id, bad, actor_).status(), "survey_ids.0");
  EXPECT_EQ(service().get(1, id)->details.name, "Carers' voice");

  // A theory of change removing an element with an indicator changes nothing.
  TheoryOfChangeInput toc;
  toc.elements = {{"A1", "activity", "Sessions"}, {"O1", "outcome_short", "Heard"}};
  toc.links = {{"A1", "O1", "", ""}};
  ASSERT_TRUE(service().save_theory_of_change(1, id, toc, actor_).ok());
  IndicatorInput ind;
  ind.element = "O1";
  ind.definition = {
      .name = "Feel heard", .unit = "percentage", .direction = "higher", .frequency = "quarterly", .source = "manual"};
  ASSERT_TRUE(service().add_indicator(1, id, ind, actor_).ok());
  TheoryOfChangeInput fewer;
  fewer.elements = {{"A1", "activity", "Sessions, renamed"}};
  expect_problem(service().save_theory_of_change(1, id, fewer, actor_).status(), "elements");
  auto kept = service().theory_of_change(1, id);
  ASSERT_TRUE(kept.ok());
  ASSERT_EQ(kept->elements.size(), 2u);
  EXPECT_EQ(kept->elements[0].text, "Sessions");
  EXPECT_EQ(kept->links.size(), 1u);
}

TEST_F(ProgrammesTest, NamesBadInputByField) {
  ProgrammeInput in = half_year();
  in.discount_rate = 25;
  expect_problem(service().create(1, in, actor_).status(), "discount_rate");
  in = half_year();
  in.ends_on = "2025-12-31";
  expect_problem(service().create(1, in, actor_).status(), "ends_on");
  in = half_year();
  in.lead = " ";
  expect_problem(service().create(1, in, actor_).status(), "lead");

  int64_t id = make(half_year());
  OutcomeInput o;
  o.name = "Less lonely";
  o.quantity = -1;
  o.value_pence = 5000;
  o.duration_years = 1;
  expect_problem(service().add_outcome(1, id, o, actor_).status(), "quantity");
  o.quantity = 10;
  o.deadweight = 101;
  Status s = service().add_outcome(1, id, o, actor_).status();
  expect_problem(s, "deadweight");
  EXPECT_EQ(s.message(), "Deadweight must be between 0% and 100%");
  o.deadweight = 0;
  o.duration_years = -2;
  expect_problem(service().add_outcome(1, id, o, actor_).status(), "duration_years");
  EXPECT_EQ(count("SELECT COUNT(*) FROM programme_outcomes"), 0);

  CostInput cost{.kind = "venue", .amount_pence = -100, .date = "2026-02-01"};
  expect_problem(service().add_cost(1, id, cost, actor_).status(), "amount_pence");
  cost = {.kind = "payments", .amount_pence = 100, .date = "2026-02-01"};
  expect_problem(service().add_cost(1, id, cost, actor_).status(), "kind");
  cost = {.kind = "staff_time", .date = "2026-02-01", .grade = "Band 9", .hours = 2};
  expect_problem(service().add_cost(1, id, cost, actor_).status(), "grade");
  // Activity 105 is group 3's, not the programme's.
  cost = {.kind = "venue", .amount_pence = 100, .date = "2026-02-01", .activity_id = 105};
  expect_problem(service().add_cost(1, id, cost, actor_).status(), "activity_id");
  EXPECT_EQ(count("SELECT COUNT(*) FROM programme_costs"), 0);
}

TEST_F(ProgrammesTest, KeepsOrganisationsApart) {
  int64_t id = make(half_year());
  auto nf = [](const Status& s) { EXPECT_EQ(s.code(), StatusCode::kNotFound) << s.to_string(); };
  nf(service().get(2, id).status());
  nf(service().update(2, id, half_year(), other_).status());
  nf(service().theory_of_change(2, id).status());
  nf(service().save_theory_of_change(2, id, {}, other_).status());
  nf(service().indicators(2, id, other_).status());
  nf(service().costs(2, id, std::nullopt).status());
  nf(service().add_cost(2, id, {.kind = "venue", .amount_pence = 1, .date = "2026-01-01"}, other_).status());
  nf(service().outcomes(2, id).status());
  nf(service().business_case(2, id, std::nullopt).status());
  nf(service().get(1, id + 1).status());
  EXPECT_EQ(count("SELECT COUNT(*) FROM programme_costs"), 0);
}

TEST_F(ProgrammesTest, TheoryOfChangeKeepsElementsByRef) {
  int64_t id = make(half_year());
  TheoryOfChangeInput toc;
  toc.elements = {
      {"A1", "activity", "Sessions"}, {" P1 ", "output", "Sessions held"}, {"O1", "outcome_short", "Heard"}};
  toc.links = {{"A1", "P1", "People come", "Venues accessible"}, {"P1", "O1", "", ""}};
  auto saved = service().save_theory_of_change(1, id, toc, actor_);
  ASSERT_TRUE(saved.ok()) << saved.status().to_string();
  ASSERT_EQ(saved->elements.size(), 3u);
  EXPECT_EQ(saved->elements[1].ref, "P1");
  int64_t p1 = saved->elements[1].id;
  EXPECT_EQ(saved->links[0].assumptions, "People come");
  EXPECT_EQ(saved->links[0].conditions, "Venues accessible");

  // Reordered and one element replaced: P1 keeps its id.
  toc.elements = {{"P1", "output", "Sessions held monthly"},
                  {"A1", "activity", "Sessions"},
                  {"O2", "outcome_medium", "Services change"}};
  toc.links = {{"A1", "P1", "", ""}, {"P1", "O2", "", ""}};
  saved = service().save_theory_of_change(1, id, toc, actor_);
  ASSERT_TRUE(saved.ok()) << saved.status().to_string();
  EXPECT_EQ(saved->elements[0].id, p1);
  EXPECT_EQ(saved->elements[0].text, "Sessions held monthly");
  EXPECT_EQ(saved->links[1].to, "O2");
  EXPECT_EQ(count("SELECT COUNT(*) FROM programme_elements"), 3);

  toc.links = {{"O2", "A1", "", ""}};  // backwards
  expect_problem(service().save_theory_of_change(1, id, toc, actor_).status(), "links.0.to");
}

TEST_F(ProgrammesTest, ManualIndicatorsTakeMeasurementsAndShowTheirStatus) {
  int64_t id = make(half_year());
  TheoryOfChangeInput toc;
  toc.elements = {{"A1", "activity", "Sessions"}, {"O1", "outcome_short", "Heard"}};
  ASSERT_TRUE(service().save_theory_of_change(1, id, toc, actor_).ok());
  IndicatorInput in;
  in.element = "A1";  // an activity: not measured by indicators
  in.definition = {.name = "Members who feel heard",
                   .unit = "percentage",
                   .direction = "higher",
                   .frequency = "quarterly",
                   .source = "manual",
                   .baseline_value = 40,
                   .baseline_date = "2026-01-01",
                   .target_value = 70,
                   .target_date = "2027-01-01"};
  expect_problem(service().add_indicator(1, id, in, actor_).status(), "element");
  in.element = "O1";
  IndicatorInput no_source = in;
  no_source.definition.source = "";
  expect_problem(service().add_indicator(1, id, no_source, actor_).status(), "source");
  IndicatorInput backwards = in;
  backwards.definition.target_date = "2025-06-30";
  expect_problem(service().add_indicator(1, id, backwards, actor_).status(), "target_date");
  EXPECT_EQ(count("SELECT COUNT(*) FROM programme_indicators"), 0);

  auto made = service().add_indicator(1, id, in, actor_);
  ASSERT_TRUE(made.ok()) << made.status().to_string();
  EXPECT_EQ(made->status.code, "no_measurement");
  int64_t iid = made->id;

  expect_problem(service().add_measurement(1, id, iid, {"2026-03", 50, "Survey"}, actor_).status(), "period");
  expect_problem(service().add_measurement(1, id, iid, {"2026-Q1", 50, " "}, actor_).status(), "evidence");
  expect_problem(service().add_measurement(1, id, iid, {"2026-Q1", 150, "Survey"}, actor_).status(), "value");
  expect_problem(service().add_measurement(1, id, iid, {"2027-Q1", 50, "Survey"}, actor_).status(), "period");
  // Q2 ends 2026-06-30: the line from 40 to 70 stands at 40 + 30 × 180/365 = 54.79.
  auto q2 = service().add_measurement(1, id, iid, {"2026-Q2", 55, "Members' survey, June"}, actor_);
  ASSERT_TRUE(q2.ok()) << q2.status().to_string();
  EXPECT_EQ(q2->status.code, "on_track");
  // Q1 is earlier, so the status still follows Q2.
  auto q1 = service().add_measurement(1, id, iid, {"2026-Q1", 20, "Members' survey, March"}, actor_);
  ASSERT_TRUE(q1.ok());
  ASSERT_EQ(q1->measurements.size(), 2u);
  EXPECT_EQ(q1->measurements[0].period.label, "2026-Q1");
  EXPECT_EQ(q1->measurements[0].evidence, "Members' survey, March");
  EXPECT_EQ(q1->status.code, "on_track");
  expect_problem(service().add_measurement(1, id, iid, {"2026-Q2", 60, "Again"}, actor_).status(), "period",
                 StatusCode::kConflict);
  auto q3 = service().add_measurement(1, id, iid, {"2026-Q3", 50, "Members' survey, September"}, actor_);
  ASSERT_TRUE(q3.ok());
  EXPECT_EQ(q3->status.code, "off_track");  // the line stands at 40 + 30 × 272/365 = 62.36 on 2026-09-30

  // The other organisation cannot read or measure it.
  EXPECT_EQ(service().indicator(2, id, iid, other_).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(service().add_measurement(2, id, iid, {"2026-Q3", 1, "x"}, other_).status().code(), StatusCode::kNotFound);
  ASSERT_TRUE(service().remove_indicator(1, id, iid, actor_).ok());
  EXPECT_EQ(count("SELECT COUNT(*) FROM programme_measurements"), 0);
}

TEST_F(ProgrammesTest, PlatformMeasuresAreWorkedOutFromTheRecords) {
  // Group 1 (a1 on 2026-01-10 and a2 on 2026-02-10) and activity 104
  // (group 2, 2026-04-10, P1 alone). a0 (2025-12-01) is before the programme.
  ProgrammeInput in = half_year();
  in.activity_ids = {104};
  int64_t id = make(in);
  // Payments: P1 for a1 approved £25, P2 for a2 paid £30; P3 for a1 only
  // raised, P4's cancelled, and P9's for a3 (group 2, not the programme's):
  // none of those three. Expenses: £12.34 approved for a2; one rejected.
  exec(
      "INSERT INTO payments (organisation_id, person_id, activity_id, pence, basis, status, raised_at) VALUES"
      " (1, 1, 101, 2500, 'x', 'approved', 'x'), (1, 2, 102, 3000, 'x', 'paid', 'x'),"
      " (1, 3, 101, 4000, 'x', 'raised', 'x'), (1, 4, 101, 4000, 'x', 'cancelled', 'x'),"
      " (1, 9, 103, 4000, 'x', 'approved', 'x')");
  exec(
      "INSERT INTO expense_claims (organisation_id, person_id, activity_id, category, description, pence,"
      " incurred_on, status, submitted_at) VALUES (1, 2, 102, 'travel', 'Bus', 1234, '2026-02-10', 'approved', 'x'),"
      " (1, 2, 102, 'travel', 'Taxi', 9999, '2026-02-10', 'rejected', 'x')");
  // The lead rated a1 consultation (4) and a2 co-design (6); members rated
  // a1 co-production (7) and engagement (5).
  exec("UPDATE activities SET lead_rung = 'consultation' WHERE id = 101");
  exec("UPDATE activities SET lead_rung = 'co_design' WHERE id = 102");
  exec(
      "INSERT INTO activity_rung_ratings (activity_id, rung, source) VALUES (101, 'co_production', 'member'),"
      " (101, 'engagement', 'member')");
  TheoryOfChangeInput toc;
  toc.elements = {{"P1", "output", "Places"}};
  ASSERT_TRUE(service().save_theory_of_change(1, id, toc, actor_).ok());
  auto add = [&](const std::string& measure) {
    IndicatorInput ind;
    ind.element = "P1";
    ind.definition = {.name = measure,
                      .unit = measure_unit(measure),
                      .direction = "higher",
                      .frequency = "quarterly",
                      .source = "platform",
                      .measure = measure};
    auto made = service().add_indicator(1, id, ind, actor_);
    EXPECT_TRUE(made.ok()) << measure << ": " << made.status().to_string();
  };
  // The measures with more to them have tests of their own below.
  for (const auto& [code, label] : platform_measures())
    if (code != "benchmark_gap" && code != "actions_on_time" && code != "learning_coverage") add(code);
  auto all = service().indicators(1, id, actor_);
  ASSERT_TRUE(all.ok()) << all.status().to_string();
  std::map<std::string, std::vector<std::optional<double>>> values;
  for (const auto& i : *all) {
    ASSERT_EQ(i.measurements.size(), 2u) << i.definition.measure;  // 2026-Q1 and 2026-Q2
    EXPECT_EQ(i.measurements[0].period.label, "2026-Q1");
    EXPECT_TRUE(i.measurements[1].complete);
    for (const auto& m : i.measurements) values[i.definition.measure].push_back(m.value);
  }
  using V = std::vector<std::optional<double>>;
  // Q1: a1 and a2, 12 places by P1..P8; P1 to P4 two each. P1 and P2
  // attended a0 before; P3 to P8 came new: 6 newcomer places of 12.
  EXPECT_EQ(values["places"], (V{12, 1}));
  EXPECT_EQ(values["people"], (V{8, 1}));
  EXPECT_EQ(values["newcomer_share"], (V{50, 0}));
  // The top tenth of 8 people is 1 person with 2 of the 12 places.
  EXPECT_DOUBLE_EQ(*values["top_tenth_share"][0], 100.0 * 2 / 12);
  EXPECT_DOUBLE_EQ(*values["top_tenth_share"][1], 100);
  // Gini of {2,2,2,2,1,1,1,1}: Σ|xi−xj| = 32 over 2·64·1.5 = 1/6.
  EXPECT_DOUBLE_EQ(*values["gini"][0], 1.0 / 6);
  EXPECT_EQ(values["total_paid"], (V{2500 + 3000 + 1234, 0}));
  EXPECT_EQ(values["lead_rung"], (V{5, std::nullopt}));  // (4 + 6) / 2; nothing rated in Q2
  EXPECT_EQ(values["member_rung"], (V{6, std::nullopt}));
  for (const auto& i : *all) {
    if (i.definition.measure == "lead_rung") {
      EXPECT_FALSE(i.measurements[1].note.empty());
    }
  }

  // A platform indicator takes no measurements by hand.
  expect_problem(service().add_measurement(1, id, all->front().id, {"2026-Q1", 3, "x"}, actor_).status(), "source");
  // The payments are costs too, a line a month.
  auto costs = service().costs(1, id, std::nullopt);
  ASSERT_TRUE(costs.ok());
  ASSERT_EQ(costs->paid.size(), 2u);
  EXPECT_EQ(costs->paid[0].month, "2026-01");
  EXPECT_EQ(costs->paid[0].payments_pence, 2500);
  EXPECT_EQ(costs->paid[1].payments_pence, 3000);
  EXPECT_EQ(costs->paid[1].expenses_pence, 1234);
  EXPECT_EQ(costs->by_category["payments"], 5500);
  EXPECT_EQ(costs->by_category["expenses"], 1234);
  EXPECT_EQ(costs->total_pence, 6734);
}

TEST_F(ProgrammesTest, CostsCountInTheirPeriod) {
  int64_t id = make(half_year());
  ASSERT_TRUE(service().save_staff_grades(1, {{"Band 5", 2000, 25}}, actor_).ok());
  // The other organisation's grades are its own.
  EXPECT_TRUE(service().staff_grades(2)->empty());
  auto staff = service().add_cost(1, id,
                                  {.kind = "staff_time",
                                   .date = "2026-01-10",
                                   .note = "Planning",
                                   .activity_id = 101,
                                   .grade = "Band 5",
                                   .hours = 3},
                                  actor_);
  ASSERT_TRUE(staff.ok()) << staff.status().to_string();
  EXPECT_EQ(staff->amount_pence, 7500);  // 3 hours × £20.00 × 1.25
  EXPECT_EQ(staff->hourly_pence, 2000);
  for (auto [kind, pence, date] :
       {std::tuple{"venue", 12000, "2026-02-01"}, std::tuple{"interpreters", 30000, "2026-06-30"},
        std::tuple{"easy_read", 5000, "2026-07-01"}, std::tuple{"catering", 800, "2025-12-31"}}) {
    auto c = service().add_cost(1, id, {.kind = kind, .amount_pence = pence, .date = date}, actor_);
    ASSERT_TRUE(c.ok()) << c.status().to_string();
  }
  // Rates changed later do not change a cost already worked out.
  ASSERT_TRUE(service().save_staff_grades(1, {{"Band 5", 3000, 30}}, actor_).ok());

  auto in_period = service().costs(1, id, std::nullopt);  // the programme's, 2026-01-01 to 2026-06-30
  ASSERT_TRUE(in_period.ok()) << in_period.status().to_string();
  ASSERT_EQ(in_period->entered.size(), 3u);
  EXPECT_EQ(in_period->entered[0].kind, "staff_time");
  EXPECT_EQ(in_period->by_category["staff_time"], 7500);
  EXPECT_EQ(in_period->by_category["venue"], 12000);
  EXPECT_EQ(in_period->by_category["accessibility"], 30000);
  EXPECT_EQ(in_period->by_category["catering"], 0);
  EXPECT_EQ(in_period->total_pence, 49500);

  auto july = service().costs(1, id, Period{"2026-07-01", "2026-07-31"});
  ASSERT_TRUE(july.ok());
  EXPECT_EQ(july->total_pence, 5000);
  EXPECT_EQ(july->by_category["accessibility"], 5000);
  expect_problem(service().costs(1, id, Period{"2026-07-01", "2026-06-30"}).status(), "to");
  expect_problem(service().costs(1, id, Period{"2026-02-30", ""}).status(), "from");
}

TEST_F(ProgrammesTest, TheBusinessCaseMatchesTheHandWorking) {
  int64_t id = make(half_year());
  // No costs and no outcomes yet: no ratio, and why.
  auto empty = service().business_case(1, id, std::nullopt);
  ASSERT_TRUE(empty.ok()) << empty.status().to_string();
  EXPECT_FALSE(empty->figures.ratio.has_value());
  EXPECT_TRUE(empty->figures.no_ratio.has_value());

  // 10 units at £50 for one year, no adjustments, at 3.5%:
  //   50,000p / 1.035 = 48,309.18p, so 48,309p; costs 40,000p; NPV 8,309p.
  OutcomeInput o;
  o.name = "Fewer crisis calls";
  o.quantity = 10;
  o.value_pence = 5000;
  o.duration_years = 1;
  auto added = service().add_outcome(1, id, o, actor_);
  ASSERT_TRUE(added.ok()) << added.status().to_string();
  auto no_costs = service().business_case(1, id, std::nullopt);
  ASSERT_TRUE(no_costs.ok());
  EXPECT_EQ(no_costs->figures.total_present_value_pence, 48309);
  EXPECT_FALSE(no_costs->figures.ratio.has_value());

  ASSERT_TRUE(service().add_cost(1, id, {.kind = "venue", .amount_pence = 25000, .date = "2026-03-01"}, actor_).ok());
  ASSERT_TRUE(
      service().add_cost(1, id, {.kind = "training", .amount_pence = 15000, .date = "2026-06-30"}, actor_).ok());
  ASSERT_TRUE(service().add_cost(1, id, {.kind = "other", .amount_pence = 99999, .date = "2026-07-01"}, actor_).ok());
  auto bc = service().business_case(1, id, std::nullopt);
  ASSERT_TRUE(bc.ok()) << bc.status().to_string();
  EXPECT_EQ(bc->figures.total_present_value_pence, 48309);
  EXPECT_EQ(bc->figures.total_costs_pence, 40000);  // the July cost is after the period
  EXPECT_EQ(bc->figures.net_present_value_pence, 8309);
  ASSERT_TRUE(bc->figures.ratio.has_value());
  EXPECT_DOUBLE_EQ(*bc->figures.ratio, 48309.0 / 40000.0);
  ASSERT_EQ(bc->figures.outcomes.size(), 1u);
  EXPECT_EQ(bc->figures.outcomes[0].input.id, added->id);
  EXPECT_EQ(bc->figures.costs[0].label, "Venue");
  EXPECT_FALSE(bc->figures.sensitivity.empty());

  // At 0% nothing is discounted: 50,000p.
  ProgrammeInput zero = service().get(1, id)->details;
  zero.discount_rate = 0;
  ASSERT_TRUE(service().update(1, id, zero, actor_).ok());
  EXPECT_EQ(service().business_case(1, id, std::nullopt)->figures.total_present_value_pence, 50000);
  // The WELLBY proxy gives £13,000 a unit at 2019 prices.
  OutcomeInput w;
  w.name = "Wellbeing";
  w.quantity = 1;
  w.proxy = "wellby";
  w.duration_years = 1;
  auto wellby = service().add_outcome(1, id, w, actor_);
  ASSERT_TRUE(wellby.ok()) << wellby.status().to_string();
  EXPECT_EQ(wellby->valued.value_pence, 1'300'000);
  EXPECT_EQ(wellby->valued.price_year, 2019);
  EXPECT_EQ(service().business_case(1, id, std::nullopt)->figures.total_present_value_pence, 1'350'000);
}


TEST_F(ProgrammesTest, TheBenchmarkGapIsWorkedOutFromKnownAnswersAndSuppressedWhenFew) {
  ProgrammeInput in = half_year();
  in.group_ids = {1, 2};
  int64_t id = measured(in);
  for (const auto& a : fixture::answers()) {
    exec("INSERT INTO equality_monitoring (person_id, ethnic_group, sex, disability, updated_at)"
         " VALUES ($1, $2, $3, $4, 'x')",
         {a.person, a.ethnic_group, a.sex, a.disability});
  }
  IndicatorDefinition d{.unit = "points", .source = "platform", .measure = "benchmark_gap"};
  d.category = "sex";
  d.category_value = "female";
  ASSERT_TRUE(add_indicator(id, d).ok());
  int64_t reads_before = count("SELECT COUNT(*) FROM audit_log WHERE action = 'programme.equality.read'");
  auto all = service().indicators(1, id, actor_);
  ASSERT_TRUE(all.ok()) << all.status().to_string();
  const auto& m = all->front().measurements;
  ASSERT_EQ(m.size(), 2u);
  // Q1: a1, a2 (group 1) and a3 (group 2) hold 18 places of P1..P12. Sex is
  // known for P1..P10 (10 people, enough to show): 16 places, 5 of them
  // women's (P3 and P5 at a1, P3 and P7 at a2, P10 at a3): 31.25% against
  // the Census's 51.04%, a gap of -19.79 points.
  ASSERT_TRUE(m[0].value) << m[0].note;
  EXPECT_NEAR(*m[0].value, 31.25 - 51.04, 1e-9);
  EXPECT_EQ(m[0].base, 16);
  // Q2: a4 (group 2) holds P1 alone: too few to show.
  EXPECT_FALSE(m[1].value);
  EXPECT_TRUE(m[1].suppressed);
  EXPECT_NE(m[1].note.find("too few"), std::string::npos) << m[1].note;
  EXPECT_FALSE(m[1].base) << "how many answers are known is withheld too";
  // Reading equality answers is recorded, once per read.
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'programme.equality.read'"), reads_before + 1);

  // The category and value must be named, and be the benchmark's.
  d.category_value = "black";  // an ethnic group, not a sex
  expect_problem(add_indicator(id, d).status(), "category_value");
}

TEST_F(ProgrammesTest, ActionsOnTimeCountThoseDoneByTheirDate) {
  int64_t id = measured(half_year());  // group 1: activities 101 and 102
  // Due in Q1: done early, done late, not done yet, and one the group
  // decided against (left out). Due in Q2: done on the day. One of another
  // group's activity (103) never counts.
  exec(
      "INSERT INTO activity_actions (activity_id, you_said, owner, status, due_on, updated_at, done_on) VALUES"
      " (101, 'a', 'Sam', 'done', '2026-02-01', 'x', '2026-01-30'),"
      " (101, 'b', 'Sam', 'done', '2026-03-01', 'x', '2026-03-05'),"
      " (102, 'c', 'Sam', 'in_progress', '2026-03-15', 'x', NULL),"
      " (102, 'd', 'Sam', 'not_doing', '2026-03-20', 'x', NULL),"
      " (102, 'e', 'Sam', 'done', '2026-05-01', 'x', '2026-05-01'),"
      " (103, 'f', 'Sam', 'done', '2026-02-01', 'x', '2026-01-01')");
  ASSERT_TRUE(add_indicator(id, {.source = "platform", .measure = "actions_on_time"}).ok());
  auto all = service().indicators(1, id, actor_);
  ASSERT_TRUE(all.ok()) << all.status().to_string();
  const auto& m = all->front().measurements;
  ASSERT_EQ(m.size(), 2u);
  EXPECT_NEAR(*m[0].value, 100.0 / 3, 1e-9);
  EXPECT_EQ(m[0].base, 3);
  EXPECT_EQ(m[1].value, 100);
  EXPECT_EQ(m[1].base, 1);
}

TEST_F(ProgrammesTest, LearningCoverageIsAskedOfTheLearningModule) {
  int64_t id = measured(half_year());
  std::vector<std::string> asked;
  LearningCoverage learning = [&](store::Connection&, int64_t org, const std::vector<int64_t>& modules,
                                  const std::vector<std::string>& dates) -> StatusOr<std::vector<CoverageFigure>> {
    EXPECT_EQ(org, 1);
    EXPECT_TRUE(modules.empty());  // none linked: every module
    asked = dates;
    return std::vector<CoverageFigure>{{8, 6}, {0, 0}};
  };
  Programmes with = service(learning);
  ASSERT_TRUE(add_indicator(id, {.source = "platform", .measure = "learning_coverage"}, &with).ok());
  auto all = with.indicators(1, id, actor_);
  ASSERT_TRUE(all.ok()) << all.status().to_string();
  // Coverage on each quarter's last day.
  EXPECT_EQ(asked, (std::vector<std::string>{"2026-03-31", "2026-06-30"}));
  const auto& m = all->front().measurements;
  EXPECT_EQ(m[0].value, 75);
  EXPECT_EQ(m[0].base, 8);
  EXPECT_FALSE(m[1].value);  // nobody had to do it: no made-up 0
  EXPECT_FALSE(m[1].note.empty());
  // Without the learning module there is no figure, and it says so.
  auto without = service().indicators(1, id, actor_);
  ASSERT_TRUE(without.ok());
  EXPECT_FALSE(without->front().measurements[0].value);
  EXPECT_NE(without->front().measurements[0].note.find("not available"), std::string::npos);
}

TEST_F(ProgrammesTest, SurveyIndicatorsShareTheirBaseAndIntervalAndHideSmallNumbers) {
  int64_t id = measured(half_year());
  const char* definition = R"({"format": "coproduce-survey/1", "title": "Check-in", "questions": [
      {"code": "heard", "type": "single", "text": "Did you feel heard?", "options": ["yes", "no", "not_sure"]},
      {"code": "name", "type": "short_text", "text": "Your name?"}]})";
  exec("INSERT INTO surveys (id, organisation_id, title, slug, definition, created_at, updated_at)"
       " VALUES (7, 1, 'Check-in', 'check-in', $1, 'x', 'x'), (8, 2, 'Other', 'other', $1, 'x', 'x')",
       {definition});
  auto respond = [&](const std::string& submitted, const std::string& answer) {
    std::string answers = answer.empty() ? "{}" : R"({"heard": {"values": [")" + answer + R"("]}})";
    exec("INSERT INTO survey_responses (survey_id, started_at, updated_at, submitted_at, answers)"
         " VALUES (7, 'x', 'x', $1, $2)",
         {submitted.empty() ? store::Value() : store::Value(submitted), answers});
  };
  // Q1: 7 yes, 3 no, 1 not sure and one who skipped the question: 7 of 11.
  for (int i = 0; i < 7; ++i) respond("2026-02-0" + std::to_string(i + 1) + "T10:00:00Z", "yes");
  for (int i = 0; i < 3; ++i) respond("2026-03-1" + std::to_string(i) + "T10:00:00Z", "no");
  respond("2026-03-31T23:59:00Z", "not_sure");
  respond("2026-03-02T10:00:00Z", "");
  respond("", "yes");  // never sent: not counted
  // Q2: three answers, too few to show.
  for (int i = 0; i < 3; ++i) respond("2026-04-1" + std::to_string(i) + "T10:00:00Z", "yes");
  respond("2026-07-01T10:00:00Z", "yes");  // after the programme ended

  IndicatorDefinition d{.source = "survey"};
  d.survey_id = 7;
  d.question = "heard";
  d.options = {"yes"};
  d.unit = "percentage";
  auto made = add_indicator(id, d);
  ASSERT_TRUE(made.ok()) << made.status().to_string();
  const auto& m = made->measurements;
  ASSERT_EQ(m.size(), 2u);
  ASSERT_TRUE(m[0].value) << m[0].note;
  EXPECT_NEAR(*m[0].value, 100.0 * 7 / 11, 1e-9);
  EXPECT_EQ(m[0].base, 11);
  // The 95% Wilson interval of 7 of 11, worked by hand: 35.38% to 84.83%.
  ASSERT_TRUE(m[0].lower && m[0].upper);
  EXPECT_NEAR(*m[0].lower, 35.38, 0.01);
  EXPECT_NEAR(*m[0].upper, 84.83, 0.01);
  EXPECT_FALSE(m[1].value);
  EXPECT_TRUE(m[1].suppressed);
  EXPECT_EQ(m[1].base, 3);
  EXPECT_EQ(made->status.code, "no_target");

  // Each way the survey, question or answers can be wrong, on its field.
  IndicatorDefinition bad = d;
  bad.survey_id = 8;  // another organisation's
  expect_problem(add_indicator(id, bad).status(), "survey_id");
  bad = d;
  bad.question = "missing";
  expect_problem(add_indicator(id, bad).status(), "question");
  bad.question = "name";  // no options to choose from
  expect_problem(add_indicator(id, bad).status(), "question");
  bad = d;
  bad.options = {"no", "maybe"};
  expect_problem(add_indicator(id, bad).status(), "options.1");
  EXPECT_EQ(count("SELECT COUNT(*) FROM programme_indicators"), 1);
}


TEST_F(ProgrammesTest, ReachShowsRungsWhoIsInvolvedAndWhoIsMissing) {
  ProgrammeInput in = half_year();
  in.group_ids = {1, 2};
  int64_t id = make(in);
  for (const auto& a : fixture::answers()) {
    exec("INSERT INTO equality_monitoring (person_id, ethnic_group, sex, disability, updated_at)"
         " VALUES ($1, $2, $3, $4, 'x')",
         {a.person, a.ethnic_group, a.sex, a.disability});
  }
  exec("UPDATE activities SET lead_rung = 'consultation' WHERE id = 101");
  exec("UPDATE activities SET lead_rung = 'co_design' WHERE id = 103");
  exec("INSERT INTO activity_rung_ratings (activity_id, rung, source) VALUES (102, 'co_production', 'member'),"
       " (102, 'co_production', 'member'), (100, 'coercion', 'member')");  // a0 is before the period
  auto r = service().reach(1, id, std::nullopt, actor_);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->period.from, "2026-01-01");
  EXPECT_EQ(r->period.to, "2026-06-30");
  // a1 to a4 (groups 1 and 2) in the half year: 6 + 6 + 6 + 1 = 19 places
  // by P1..P12. P1 and P2 came to a0 before; P3..P6 first came to a1, P7
  // and P8 to a2, P9..P12 to a3: 10 newcomer places of 19.
  EXPECT_EQ(r->activities, 4);
  EXPECT_EQ(r->places, 19);
  EXPECT_EQ(r->people, 12);
  EXPECT_EQ(r->newcomer_places, 10);
  EXPECT_DOUBLE_EQ(*r->newcomer_share, 10.0 / 19);
  // The top tenth of 12 is 2 people: P1 (4 places) and P2 (3).
  EXPECT_DOUBLE_EQ(*r->top_tenth_share, 7.0 / 19);
  // Rungs: the lead rated a1 consultation (4) and a3 co-design (6); members
  // rated a2 co-production (7) twice.
  ASSERT_EQ(r->rungs.size(), 7u);
  EXPECT_EQ(r->rungs[3].rung, "consultation");
  EXPECT_EQ(r->rungs[3].lead, 1);
  EXPECT_EQ(r->rungs[5].lead, 1);
  EXPECT_EQ(r->rungs[6].members, 2);
  EXPECT_EQ(r->rungs[0].members, 0);
  EXPECT_EQ(r->lead_rated, 2);
  EXPECT_EQ(r->member_ratings, 2);
  EXPECT_DOUBLE_EQ(*r->lead_mean, 5);
  EXPECT_DOUBLE_EQ(*r->member_mean, 7);
  // Who: sex is known for P1..P10: 17 places, 5 of them women's.
  EXPECT_FALSE(r->who.suppressed);
  const CategoryRow* sex = nullptr;
  for (const auto& c : r->who.categories)
    if (c.category == "sex") sex = &c;
  ASSERT_NE(sex, nullptr);
  EXPECT_EQ(sex->known_places, 17);
  for (const auto& v : sex->values)
    if (v.value == "female") {
      EXPECT_EQ(v.places, 5);
    }
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'programme.equality.read'"), 1);

  // A month of one person: nothing broken down.
  auto small = service().reach(1, id, Period{"2026-04-01", "2026-04-30"}, actor_);
  ASSERT_TRUE(small.ok());
  EXPECT_EQ(small->places, 1);
  EXPECT_TRUE(small->who.suppressed);
  expect_problem(service().reach(1, id, Period{"2026-04-01", "2026-02-30"}, actor_).status(), "to");
  EXPECT_EQ(service().reach(2, id, std::nullopt, other_).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace coproduce::impact
