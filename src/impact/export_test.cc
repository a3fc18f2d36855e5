// The downloads hold the same figures as the report, and nothing that the
// page suppresses. The report is the hand-worked data set of
// test_fixture.h (see measures_test.cc for the working).
#include "impact/export.h"

#include <gtest/gtest.h>

#include "impact/test_fixture.h"

namespace coproduce::impact {
namespace {

// A small report built directly: 12 people, so the ethnic group breakdown
// shows, with one category (disability) suppressed.
Report fixture_report() {
  std::map<int64_t, fixture::Activity> by_id;
  for (const auto& a : fixture::activities()) by_id.emplace(a.id, a);
  std::vector<Place> history;
  for (const auto& i : fixture::invitations()) {
    const auto& a = by_id.at(i.activity);
    if (std::string(i.attendance) == "attended" && std::string(a.status) != "cancelled") {
      history.push_back({i.person, a.group, a.starts_at, i.minutes});
    }
  }
  std::map<int64_t, Answers> answers;
  for (const auto& a : fixture::answers()) {
    for (auto [cat, code] : {std::pair{"ethnic_group", a.ethnic_group}, {"sex", a.sex}, {"disability", a.disability}}) {
      std::string v = value_for_answer(cat, code);
      if (!v.empty()) answers[a.person][cat] = v;
    }
  }
  return compute_report(history, {fixture::kFrom, fixture::kTo}, std::nullopt, {}, answers, census_2021());
}

const sheets::Sheet& sheet(const std::vector<sheets::Sheet>& all, const char* name) {
  const sheets::Sheet* s = sheets::find(all, name);
  EXPECT_NE(s, nullptr) << name;
  static const sheets::Sheet kNone;
  return s ? *s : kNone;
}

TEST(Export, TheWorkbookReadsBackWithTheFigures) {
  auto bytes = report_xlsx(fixture_report());
  ASSERT_TRUE(bytes.ok()) << bytes.status().to_string();
  auto back = sheets::from_xlsx(*bytes, "familiar-voices.xlsx");
  ASSERT_TRUE(back.ok()) << back.status().to_string();
  ASSERT_EQ(back->size(), 3u);

  const auto& figures = sheet(*back, "Figures");
  bool found_top = false, found_places = false;
  for (const auto& row : figures.rows) {
    if (row[0].as_text() == "Places") {
      found_places = true;
      EXPECT_EQ(row[1].integer, 21);
    }
    if (row[0].as_text() == "Places held by the most involved tenth") {
      found_top = true;
      EXPECT_EQ(row[1].integer, 2);
      EXPECT_DOUBLE_EQ(row[2].number, 9.0 / 21.0);
    }
  }
  EXPECT_TRUE(found_places);
  EXPECT_TRUE(found_top);

  const auto& tenths = sheet(*back, "Places by tenth");
  ASSERT_EQ(tenths.rows.size(), 11u);  // a header and ten tenths
  EXPECT_EQ(tenths.rows[1][2].integer, 9);

  const auto& rep = sheet(*back, "Representativeness");
  ASSERT_GE(rep.rows.size(), 2u);
  EXPECT_EQ(rep.rows[1][0].as_text(), "Ethnic group");
  EXPECT_EQ(rep.rows[1][1].as_text(), "White");
  EXPECT_EQ(rep.rows[1][2].integer, 13);
  EXPECT_EQ(rep.rows[1][6].as_text(), "White: 13 of 19 places (68.4%); benchmark 81.7%");
  // Disability is suppressed: one row saying so, with no counts.
  int disability_rows = 0;
  for (const auto& row : rep.rows) {
    if (row[0].as_text() != "Disability") continue;
    ++disability_rows;
    EXPECT_TRUE(row[2].is_empty());
    EXPECT_EQ(row[6].as_text(), kTooFewToShow);
  }
  EXPECT_EQ(disability_rows, 1);
}

TEST(Export, TheCsvHoldsTheFiguresAndNoSuppressedCounts) {
  std::string text = report_csv(fixture_report());
  EXPECT_EQ(text.rfind("figure,category,value,count,proportion,benchmark,gap,note\r\n", 0), 0u);
  EXPECT_NE(text.find("\r\nplaces,,,21,"), std::string::npos);
  EXPECT_NE(text.find("\r\ngini,,,,0.337302,"), std::string::npos);  // 85/252
  EXPECT_NE(text.find("\r\nrepresentativeness,Sex,Female,5,0.263158,0.510400,"), std::string::npos);
  EXPECT_NE(text.find("\r\nrepresentativeness,Disability,,,,,,Too few people"), std::string::npos);
  EXPECT_EQ(text.find("Disabled under the Equality Act"), std::string::npos);
}

}  // namespace
}  // namespace coproduce::impact
