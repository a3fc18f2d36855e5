// The familiar-voices figures against values worked out by hand on the data
// set of test_fixture.h. The working is in the comments beside each check.
#include "impact/measures.h"

#include <gtest/gtest.h>

#include <set>

#include "impact/familiar_voices.h"
#include "impact/test_fixture.h"

namespace coproduce::impact {
namespace {

// The fixture's attended places at activities that were not cancelled, up
// to the end of the period: what the loader reads from the database.
std::vector<Place> history() {
  std::map<int64_t, fixture::Activity> by_id;
  for (const auto& a : fixture::activities()) by_id.emplace(a.id, a);
  std::vector<Place> out;
  for (const auto& i : fixture::invitations()) {
    const auto& a = by_id.at(i.activity);
    if (std::string(i.attendance) != "attended" || std::string(a.status) == "cancelled") continue;
    if (std::string(a.starts_at).substr(0, 10) > fixture::kTo) continue;
    out.push_back({i.person, a.group, a.starts_at, i.minutes});
  }
  return out;
}

std::vector<Membership> memberships() {
  std::vector<Membership> out;
  for (const auto& m : fixture::members()) {
    if (std::string(m.status) == "accepted") out.push_back({m.person, m.group});
  }
  return out;
}

std::map<int64_t, Answers> answers() {
  std::map<int64_t, Answers> out;
  for (const auto& a : fixture::answers()) {
    Answers mine;
    for (auto [cat, code] : {std::pair{"ethnic_group", a.ethnic_group}, {"sex", a.sex}, {"disability", a.disability}}) {
      std::string v = value_for_answer(cat, code);
      if (!v.empty()) mine[cat] = v;
    }
    out[a.person] = mine;
  }
  return out;
}

Report report(std::optional<int64_t> group, int64_t threshold = kMinPeopleForBreakdown) {
  return compute_report(history(), {fixture::kFrom, fixture::kTo}, group, memberships(), answers(), census_2021(),
                        threshold);
}

const CategoryRow& category(const Report& r, const std::string& code) {
  for (const auto& c : r.representativeness.categories) {
    if (c.category == code) return c;
  }
  ADD_FAILURE() << "no category " << code;
  static CategoryRow none;
  return none;
}

TEST(TopTenth, IsOnePersonInEveryTenStartedRoundingUp) {
  EXPECT_EQ(top_tenth_size(0), 0);
  EXPECT_EQ(top_tenth_size(1), 1);
  EXPECT_EQ(top_tenth_size(10), 1);
  EXPECT_EQ(top_tenth_size(11), 2);
  EXPECT_EQ(top_tenth_size(20), 2);
  EXPECT_EQ(top_tenth_size(21), 3);
}

TEST(TopDecileShare, SmallCasesByHand) {
  // 4 people: the top 1 holds 5 of 8.
  EXPECT_DOUBLE_EQ(*top_decile_share({1, 5, 1, 1}), 5.0 / 8.0);
  // 11 people: the top 2 (4 and 3) hold 7 of 4+3+9*1 = 16.
  EXPECT_DOUBLE_EQ(*top_decile_share({1, 1, 4, 1, 1, 1, 3, 1, 1, 1, 1}), 7.0 / 16.0);
  EXPECT_FALSE(top_decile_share({}).has_value());
  EXPECT_FALSE(top_decile_share({0, 0}).has_value());
}

TEST(Gini, SmallCasesByHand) {
  EXPECT_DOUBLE_EQ(*gini({3, 3, 3}), 0.0);
  EXPECT_DOUBLE_EQ(*gini({7}), 0.0);
  // {0,0,0,4}: the three pairs (0,4) differ by 4, so the double sum is
  // 2*3*4 = 24; mean 1; G = 24 / (2 * 16 * 1) = 0.75.
  EXPECT_DOUBLE_EQ(*gini({0, 4, 0, 0}), 0.75);
  // {1,2}: double sum 2, mean 1.5, G = 2 / (2 * 4 * 1.5) = 1/6.
  EXPECT_DOUBLE_EQ(*gini({2, 1}), 1.0 / 6.0);
  EXPECT_FALSE(gini({}).has_value());
}

TEST(Newcomers, APlaceIsANewcomersWhenNothingStartedEarlier) {
  std::vector<Place> all = {{1, 1, "2026-01-01T10:00", 60},
                            {1, 1, "2026-02-01T10:00", 60},
                            {2, 1, "2026-02-01T10:00", 60},
                            {2, 2, "2026-02-01T10:00", 60}};
  auto first = first_place_starts(all);
  // Person 1's second place is not a newcomer's; both of person 2's places
  // start at the same moment, and nothing earlier, so both are.
  EXPECT_EQ(newcomer_places({all[1], all[2], all[3]}, first), 2);
  EXPECT_EQ(newcomer_places({all[0]}, first), 1);
}

TEST(FixtureReport, OrganisationHeadlineFigures) {
  Report r = report(std::nullopt);
  // P1 6 + P2 3 + P3 2 + P4 2 + eight people with 1 = 21 places, 12 people.
  EXPECT_EQ(r.places, 21);
  EXPECT_EQ(r.people, 12);
  // 6*60 + 3*120 + 2*90 + 2*90 + 8*90 = 360+360+180+180+720 = 1800 minutes.
  EXPECT_EQ(r.minutes, 1800);
  EXPECT_DOUBLE_EQ(r.hours(), 30.0);
  // 12 people: the top tenth is ceil(1.2) = 2 people, P1 and P2, with
  // 6 + 3 = 9 of the 21 places.
  EXPECT_EQ(r.top_tenth_people, 2);
  EXPECT_DOUBLE_EQ(*r.top_decile_share, 9.0 / 21.0);
  // By hours the top two are P1 (6 h) and P2 (6 h): 12 of 30 hours.
  EXPECT_DOUBLE_EQ(*r.top_decile_hours_share, 0.4);
  // Places ascending: 1 (x8), 2, 2, 3, 6. Pairs differing: 8 ones against
  // each 2 (16), the 3 (16) and the 6 (40); the 2s against the 3 (2) and
  // the 6 (8); the 3 against the 6 (3): 85, so the double sum is 170.
  // Mean 21/12; G = 170 / (2 * 144 * 21/12) = 85/252.
  EXPECT_DOUBLE_EQ(*r.gini, 85.0 / 252.0);
  // P1 and P2 were at a0 before the period, so none of their places is a
  // newcomer's; P3 and P4 have one newcomer place each (a1), P5..P12 one
  // each: 10 of 21. P3's cancelled a8 and apologies at a0 change nothing.
  EXPECT_EQ(r.newcomer_places, 10);
  EXPECT_DOUBLE_EQ(*r.newcomer_share, 10.0 / 21.0);
  // Accepted members: P1 (A,B,C), P2 (A,C), P3 (A), P4 (A,B,C), P9 (B):
  // 5 people, 2 of them on three groups.
  EXPECT_EQ(r.multi_group.members, 5);
  EXPECT_EQ(r.multi_group.on_three_or_more, 2);
  EXPECT_DOUBLE_EQ(*r.three_or_more_share, 0.4);
}

TEST(FixtureReport, PlacesByTenth) {
  Report r = report(std::nullopt);
  // Ranked 6,3,2,2,1,1,1,1,1,1,1,1; tenth t ends at rank ceil(12t/10):
  // 2,3,4,5,6,8,9,10,11,12.
  const int64_t people[] = {2, 1, 1, 1, 1, 2, 1, 1, 1, 1};
  const int64_t places[] = {9, 2, 2, 1, 1, 2, 1, 1, 1, 1};
  ASSERT_EQ(r.tenths.size(), 10u);
  for (size_t i = 0; i < 10; ++i) {
    EXPECT_EQ(r.tenths[i].index, static_cast<int>(i + 1));
    EXPECT_EQ(r.tenths[i].people, people[i]) << "tenth " << i + 1;
    EXPECT_EQ(r.tenths[i].places, places[i]) << "tenth " << i + 1;
    EXPECT_DOUBLE_EQ(r.tenths[i].share, static_cast<double>(places[i]) / 21.0);
  }
}

TEST(FixtureReport, OneGroup) {
  Report a = report(1);
  // Group A in the period: a1 and a2, 6 places each. P1..P4 have 2 each,
  // P5..P8 1 each: 12 places, 8 people.
  EXPECT_EQ(a.places, 12);
  EXPECT_EQ(a.people, 8);
  // Top tenth of 8 is 1 person with 2 of 12 places.
  EXPECT_DOUBLE_EQ(*a.top_decile_share, 2.0 / 12.0);
  // Minutes: P2 240, P3 180, P4 180, P1 120, P5..P8 90: 1080. The top one
  // by hours is P2: 240 / 1080.
  EXPECT_DOUBLE_EQ(*a.top_decile_hours_share, 240.0 / 1080.0);
  // Ascending 1,1,1,1,2,2,2,2: the 16 pairs of a 1 and a 2 differ by 1, so
  // the double sum is 32; mean 1.5; G = 32 / (2 * 64 * 1.5) = 1/6.
  EXPECT_DOUBLE_EQ(*a.gini, 1.0 / 6.0);
  // Newcomers in A: P3 and P4 at a1, P5 and P6 at a1, P7 and P8 at a2: 6.
  EXPECT_DOUBLE_EQ(*a.newcomer_share, 0.5);
  // A's accepted members P1, P2, P3, P4; P1 and P4 are on three groups.
  EXPECT_EQ(a.multi_group.members, 4);
  EXPECT_EQ(a.multi_group.on_three_or_more, 2);

  Report c = report(3);
  // Group C in the period: only P1, at a5 and a6 (a7 is after, a8 cancelled).
  EXPECT_EQ(c.places, 2);
  EXPECT_EQ(c.people, 1);
  EXPECT_DOUBLE_EQ(*c.top_decile_share, 1.0);
  EXPECT_DOUBLE_EQ(*c.gini, 0.0);
  EXPECT_DOUBLE_EQ(*c.newcomer_share, 0.0);
}

TEST(FixtureReport, NoPlacesGivesNoProportions) {
  Report r =
      compute_report(history(), {"2020-01-01", "2020-12-31"}, std::nullopt, memberships(), answers(), census_2021());
  EXPECT_EQ(r.places, 0);
  EXPECT_FALSE(r.top_decile_share.has_value());
  EXPECT_FALSE(r.gini.has_value());
  EXPECT_FALSE(r.newcomer_share.has_value());
  EXPECT_TRUE(r.representativeness.suppressed);
}

TEST(FixtureReport, EthnicGroupGapsMostUnderRepresentedFirst) {
  Report r = report(std::nullopt);
  EXPECT_EQ(r.representativeness.people, 12);
  EXPECT_FALSE(r.representativeness.suppressed);
  const CategoryRow& eth = category(r, "ethnic_group");
  ASSERT_FALSE(eth.suppressed);
  // Not known: P10 (prefer not to say, 1 place) and P11 (no answers, 1).
  EXPECT_EQ(eth.not_known_places, 2);
  EXPECT_EQ(eth.known_places, 19);
  EXPECT_EQ(eth.people_known, 10);  // exactly the threshold: shown
  // White: P1 6 + P2 3 + P5, P6, P8, P9 1 each = 13 of 19 = 68.4%, against
  // 81.7%: ratio 0.837. Asian (P4) 2/19 = 10.5% against 9.3%: 1.13.
  // Mixed (P7) 1/19 = 5.3% against 2.9%: 1.81. Other (P12) 1/19 against
  // 2.1%: 2.51. Black (P3) 2/19 against 4.0%: 2.63.
  ASSERT_EQ(eth.values.size(), 5u);
  std::vector<std::string> order;
  for (const auto& v : eth.values) order.push_back(v.value);
  EXPECT_EQ(order, (std::vector<std::string>{"white", "asian", "mixed", "other", "black"}));
  EXPECT_EQ(eth.values[0].places, 13);
  EXPECT_DOUBLE_EQ(eth.values[0].share, 13.0 / 19.0);
  EXPECT_DOUBLE_EQ(*eth.values[0].benchmark_share, 0.817);
  EXPECT_DOUBLE_EQ(*eth.values[0].gap, 13.0 / 19.0 - 0.817);
  EXPECT_DOUBLE_EQ(*eth.values[0].ratio, (13.0 / 19.0) / 0.817);
  EXPECT_EQ(describe_gap(eth.values[0], eth.known_places), "White: 13 of 19 places (68.4%); benchmark 81.7%");
  EXPECT_EQ(describe_gap(eth.values[4], eth.known_places),
            "Black, Black British, Black Welsh, Caribbean or African: 2 of 19 places (10.5%); benchmark 4.0%");
}

TEST(FixtureReport, SexGapAndSmallCategorySuppressed) {
  Report r = report(std::nullopt);
  const CategoryRow& sex = category(r, "sex");
  ASSERT_FALSE(sex.suppressed);
  // Female: P3 2, P5, P7, P10 1 each = 5; male: P1 6, P2 3, P4 2, P6, P8,
  // P9 1 each = 14. Not known: P11 (no answers) and P12 (prefers not to
  // say), 1 place each. Known: 10 people, 19 places.
  EXPECT_EQ(sex.known_places, 19);
  EXPECT_EQ(sex.not_known_places, 2);
  EXPECT_EQ(sex.people_known, 10);
  ASSERT_EQ(sex.values.size(), 2u);
  // 5/19 = 26.3% against 51.04%: ratio 0.52; male 14/19 against 48.96%: 1.5.
  EXPECT_EQ(sex.values[0].value, "female");
  EXPECT_EQ(describe_gap(sex.values[0], sex.known_places), "Female: 5 of 19 places (26.3%); benchmark 51.0%");
  EXPECT_EQ(sex.values[1].places, 14);
  // Only P1..P5 answered the disability question: 5 people, fewer than 10.
  const CategoryRow& dis = category(r, "disability");
  EXPECT_TRUE(dis.suppressed);
  EXPECT_TRUE(dis.values.empty());
  EXPECT_EQ(dis.known_places, 0);
}

TEST(FixtureReport, BreakdownsOfFewerThanTenPeopleAreNotShown) {
  // Group A has 8 people: nothing is broken down, though its headline
  // figures still show.
  Report a = report(1);
  EXPECT_TRUE(a.representativeness.suppressed);
  for (const auto& c : a.representativeness.categories) {
    EXPECT_TRUE(c.suppressed) << c.category;
    EXPECT_TRUE(c.values.empty()) << c.category;
  }
  EXPECT_TRUE(a.top_decile_share.has_value());
  // The threshold is a boundary: 12 people pass a threshold of 12, but the
  // 10 with a known ethnic group and the 10 with a known sex do not.
  Report twelve = report(std::nullopt, 12);
  EXPECT_FALSE(twelve.representativeness.suppressed);
  EXPECT_TRUE(category(twelve, "ethnic_group").suppressed);
  EXPECT_TRUE(category(twelve, "sex").suppressed);
  EXPECT_TRUE(report(std::nullopt, 13).representativeness.suppressed);
}

TEST(Period, DefaultIsTheLastTwelveWholeMonths) {
  TimePoint t;
  ASSERT_TRUE(parse_timestamp("2026-11-26T08:00:00Z", &t));
  Period p = default_period(t);
  EXPECT_EQ(p.from, "2025-12-01");
  EXPECT_EQ(p.to, "2026-11-30");
  ASSERT_TRUE(parse_timestamp("2028-02-29T08:00:00Z", &t));
  EXPECT_EQ(default_period(t).from, "2027-03-01");
  EXPECT_EQ(default_period(t).to, "2028-02-29");
}

TEST(Period, DatesAreWidenedToWholeMonthsSoDaysCannotBeCompared) {
  TimePoint t;
  ASSERT_TRUE(parse_timestamp("2026-11-26T08:00:00Z", &t));
  PeriodChoice c = parse_period("2026-03-14", "2026-03-14", "", t);
  EXPECT_TRUE(c.errors.empty());
  EXPECT_TRUE(c.widened);
  EXPECT_EQ(c.period.from, "2026-03-01");
  EXPECT_EQ(c.period.to, "2026-03-31");
  PeriodChoice whole = parse_period("2024-02-01", "2024-02-29", "", t);
  EXPECT_FALSE(whole.widened);
  EXPECT_EQ(whole.period.to, "2024-02-29");
}

TEST(Period, ProblemsAreNamedByField) {
  TimePoint t;
  ASSERT_TRUE(parse_timestamp("2026-11-26T08:00:00Z", &t));
  auto fields = [](const PeriodChoice& c) {
    std::vector<std::string> out;
    for (const auto& e : c.errors) out.push_back(e.field);
    return out;
  };
  EXPECT_TRUE(parse_period("2026-01-01", "2026-06-30", "", t).errors.empty());
  EXPECT_EQ(fields(parse_period("2026-02-30", "2026-06-30", "", t)), std::vector<std::string>{"from"});
  EXPECT_EQ(fields(parse_period("2026-01-01", "30/06/2026", "", t)), std::vector<std::string>{"to"});
  EXPECT_EQ(fields(parse_period("2026-07-01", "2026-06-30", "", t)), std::vector<std::string>{"to"});
  EXPECT_EQ(fields(parse_period("2026-01-01", "2026-06-30", "abc", t)), std::vector<std::string>{"group"});
  PeriodChoice blank = parse_period("", "", "7", t);
  EXPECT_TRUE(blank.errors.empty());
  EXPECT_EQ(blank.period.to, "2026-11-30");
  EXPECT_EQ(*blank.group, 7);
}

}  // namespace
}  // namespace coproduce::impact
