// The line chart against layouts worked out by hand: where each period and
// value lands, the scale's ticks, the gaps, and the target's line.
#include "report/line_chart.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

namespace coproduce::report {
namespace {

TEST(ReadPeriod, DatesAndMonthsInTheirForms) {
  struct Case {
    const char* period;
    const char* date;  // "" when it cannot be read
    const char* label;
  };
  // clang-format off
  const Case cases[] = {
      {"2026-03-31", "2026-03-31", "31 Mar 2026"},
      {"2026-09-05", "2026-09-05", "5 Sept 2026"},
      {"2026-03", "2026-03-01", "Mar 2026"},
      {"Jan 2026", "2026-01-01", "Jan 2026"},
      {"january 2026", "2026-01-01", "Jan 2026"},
      {"Sep 2026", "2026-09-01", "Sept 2026"},
      {"Sept 2026", "2026-09-01", "Sept 2026"},
      {"2026-Q1", "2026-01-01", "Jan to Mar 2026"},
      {"2026-Q4", "2026-10-01", "Oct to Dec 2026"},
      {"2026-Q5", "", ""},
      {"2026-02-30", "", ""},
      {"2026-13", "", ""},
      {"Smarch 2026", "", ""},
      {"Jan 26", "", ""},
      {"", "", ""},
  };
  // clang-format on
  for (const Case& c : cases) {
    auto p = read_period(c.period);
    if (*c.date == '\0') {
      EXPECT_FALSE(p.has_value()) << c.period;
      continue;
    }
    ASSERT_TRUE(p.has_value()) << c.period;
    EXPECT_EQ(p->date, c.date) << c.period;
    EXPECT_EQ(p->label, c.label) << c.period;
  }
}

// Four months, a gap in March, and a target of 12 due in April.
LineChart people_chart() {
  LineChart c{"chart-lonely", "People less lonely", "D", Unit::kCount};
  c.axis_title = "People";
  c.series.push_back({"Carers Board", {{"2026-01", 4}, {"2026-02", 6}, {"2026-03", std::nullopt}, {"Apr 2026", 8}}});
  c.target = ChartTarget{12, "2026-04", "Target"};
  return c;
}

TEST(LineChart, AWorkedExample) {
  // The key takes one row of 24 from 4, the axis title 34 more, so the plot
  // runs from 62 down to 262. Values 4 to 8 and the target 12 give a scale of
  // 0 to 15 in steps of 5, so 1 is 200 / 15 high.
  auto j = line_chart_json(people_chart());
  EXPECT_EQ(j["c_top"], "62");
  EXPECT_EQ(j["c_bottom"], "262");
  EXPECT_EQ(j["c_viewbox"], "0 0 640 296");
  EXPECT_EQ(j["c_axis_title"], "People");
  EXPECT_EQ(j["c_axis_title_y"], "42");
  ASSERT_EQ(j["c_y_ticks"].size(), 4u);
  EXPECT_EQ(j["c_y_ticks"][0]["t_label"], "0");
  EXPECT_EQ(j["c_y_ticks"][0]["t_y"], "262");
  EXPECT_EQ(j["c_y_ticks"][1]["t_label"], "5");
  EXPECT_EQ(j["c_y_ticks"][1]["t_y"], "195.3");
  EXPECT_EQ(j["c_y_ticks"][3]["t_label"], "15");
  EXPECT_EQ(j["c_y_ticks"][3]["t_y"], "62");
  EXPECT_EQ(j["c_y_ticks"][3]["t_label_x"], "64");

  // Time runs from 1 January (at 72 + 14) to 1 April (at 616 - 14): 90 days
  // over 516, so 1 February, 31 days in, is at 263.7.
  const auto& x = j["c_x_ticks"];
  ASSERT_EQ(x.size(), 4u);
  EXPECT_EQ(x[0]["t_x"], "86");
  EXPECT_EQ(x[0]["t_label"], "Jan 2026");
  EXPECT_EQ(x[1]["t_x"], "263.7");
  EXPECT_EQ(x[2]["t_x"], "424.3");
  EXPECT_EQ(x[3]["t_x"], "602");
  EXPECT_EQ(x[3]["t_label"], "Apr 2026");
  EXPECT_EQ(x[3]["t_label_y"], "282");
  EXPECT_EQ(x[0]["t_label_x"], "86");
  EXPECT_EQ(x[3]["t_label_x"], "602");
  for (const auto& t : x) EXPECT_TRUE(t["t_show"].get<bool>());

  // January and February are joined; March has no value, so April's point
  // stands alone: a marker and no line.
  const auto& s = j["c_series"][0];
  EXPECT_EQ(s["s_name"], "Carers Board");
  ASSERT_EQ(s["s_lines"].size(), 1u);
  EXPECT_EQ(s["s_lines"][0]["d"], "M86 208.7 L263.7 182");
  ASSERT_EQ(s["s_points"].size(), 3u);
  // A circle of radius 4.5 about (602, 155.3), April's 8.
  EXPECT_EQ(s["s_points"][2]["p_marker"], "M597.5 155.3 a4.5 4.5 0 1 0 9 0 a4.5 4.5 0 1 0 -9 0Z");

  // The target: a dashed line at 12 (262 - 160) from the axis to April, a
  // marker there, and its words to the left of it (it is in the right half).
  const auto& t = j["c_target"];
  EXPECT_EQ(t["y"], "102");
  EXPECT_EQ(t["x1"], "72");
  EXPECT_EQ(t["x2"], "602");
  EXPECT_EQ(t["text"], "Target: 12 by Apr 2026");
  EXPECT_EQ(t["anchor"], "end");
  EXPECT_EQ(t["text_x"], "592");
  EXPECT_EQ(t["text_y"], "90");
  EXPECT_FALSE(j.contains("c_baseline"));
}

TEST(LineChart, ATargetAfterTheLastPeriodWidensTheAxisToIt) {
  LineChart c{"chart-x", "T", "D", Unit::kCount};
  c.series.push_back({"A", {{"2026-01", 1}, {"2026-02", 2}}});
  c.target = ChartTarget{3, "2026-03", "Target"};
  c.baseline = ChartTarget{1, "2026-01", "Baseline"};
  auto j = line_chart_json(c);
  // 1 January to 1 March is 59 days, so February is 31 / 59 of 516 along.
  EXPECT_EQ(j["c_x_ticks"].size(), 2u);  // the target's month is not a period of the data
  EXPECT_EQ(j["c_x_ticks"][1]["t_x"], "357.1");
  EXPECT_EQ(j["c_target"]["x2"], "602");
  EXPECT_EQ(j["c_target"]["text"], "Target: 3 by Mar 2026");
  // The baseline sits at its period, its words to the right (the left half).
  EXPECT_EQ(j["c_baseline"]["x2"], "86");
  EXPECT_EQ(j["c_baseline"]["anchor"], "start");
  EXPECT_EQ(j["c_baseline"]["text_x"], "96");
  EXPECT_EQ(j["c_baseline"]["text"], "Baseline: 1 in Jan 2026");
  // No axis title: the plot starts 14 below the key.
  EXPECT_EQ(j["c_top"], "42");
}

TEST(LineChart, SeriesDifferByDashAndMarkerAndJoinTheirOwnPoints) {
  LineChart c{"chart-x", "T", "D", Unit::kPercentage};
  c.series.push_back({"Carers", {{"2026-01", 0.2}, {"2026-02", 0.3}, {"2026-03", 0.45}}});
  // Quarterly beside monthly: no February, and its line joins January to
  // March all the same (a gap is a period given with no value).
  c.series.push_back({"Staff", {{"2026-03", 0.15}, {"2026-01", 0.1}}});
  auto j = line_chart_json(c);
  const auto& a = j["c_series"][0];
  const auto& b = j["c_series"][1];
  EXPECT_NE(a["s_dash"], b["s_dash"]);
  EXPECT_NE(a["s_colour"], b["s_colour"]);
  EXPECT_EQ(a["s_lines"].size(), 1u);
  ASSERT_EQ(b["s_lines"].size(), 1u);
  EXPECT_EQ(b["s_points"].size(), 2u);
  // In date order, though given the other way round: 1 January at 86, 1 March at 602.
  EXPECT_EQ(b["s_lines"][0]["d"].get<std::string>().substr(0, 4), "M86 ");
  EXPECT_NE(b["s_lines"][0]["d"].get<std::string>().find(" L602 "), std::string::npos);
  // A square marks the second series, in the key too.
  EXPECT_EQ(b["s_points"][0]["p_marker"].get<std::string>().find(" h9 v9 h-9Z") != std::string::npos, true);
  EXPECT_EQ(j["c_key"][1]["k_marker"].get<std::string>().find(" h9 v9 h-9Z") != std::string::npos, true);
  EXPECT_EQ(j["c_key"][1]["k_dash"], b["s_dash"]);
  // Percentages from 0 to 50% in steps of 10%.
  std::vector<std::string> labels;
  for (const auto& t : j["c_y_ticks"]) labels.push_back(t["t_label"]);
  EXPECT_EQ(labels, (std::vector<std::string>{"0%", "10%", "20%", "30%", "40%", "50%"}));
}

TEST(LineChart, GivenEndsForAScoreKeepTheRoundTicksBetweenThem) {
  // A wellbeing score on its scale of 14 to 70: the round scale would be 0
  // to 80 in 20s; the ends are the scale's instead, with 20, 40 and 60.
  LineChart c{"chart-x", "T", "D", Unit::kScore};
  c.series.push_back({"Members", {{"2026-01", 40}, {"2026-06", 50.5}}});
  c.y_min = 14;
  c.y_max = 70;
  auto j = line_chart_json(c);
  std::vector<std::string> labels;
  for (const auto& t : j["c_y_ticks"]) labels.push_back(t["t_label"]);
  EXPECT_EQ(labels, (std::vector<std::string>{"14", "20", "40", "60", "70"}));
  // 14 at the bottom (242), 70 at the top (42); 40 is at 242 - 26 / 56 * 200.
  EXPECT_EQ(j["c_y_ticks"][0]["t_y"], "242");
  EXPECT_EQ(j["c_y_ticks"][4]["t_y"], "42");
  EXPECT_EQ(j["c_series"][0]["s_lines"][0]["d"], "M86 149.1 L602 111.6");
}

TEST(LineChart, MoneyBelowZeroAndCrowdedLabelsLeftOff) {
  LineChart c{"chart-x", "T", "D", Unit::kMoney};
  LineSeries s{"Net value", {}};
  // Twenty-four months: labels up to 64 wide ("Sept 2025") and 12 between
  // them, with 516 / 23 = 22.4 between ticks, so every fourth is written.
  for (int m = 0; m < 24; ++m) {
    char period[8];
    std::snprintf(period, sizeof period, "%04d-%02d", 2025 + m / 12, m % 12 + 1);
    s.points.push_back({period, m == 0 ? -50'000.0 : 150'000.0});
  }
  c.series.push_back(s);
  auto j = line_chart_json(c);
  std::vector<std::string> labels;
  for (const auto& t : j["c_y_ticks"]) labels.push_back(t["t_label"]);
  EXPECT_EQ(labels, (std::vector<std::string>{"-£500", "£0", "£500", "£1,000", "£1,500"}));
  std::vector<bool> shown;
  for (const auto& t : j["c_x_ticks"]) shown.push_back(t["t_show"].get<bool>());
  ASSERT_EQ(shown.size(), 24u);
  EXPECT_TRUE(shown[0]);
  EXPECT_FALSE(shown[1]);
  EXPECT_FALSE(shown[2]);
  EXPECT_FALSE(shown[3]);
  EXPECT_TRUE(shown[4]);
  EXPECT_TRUE(shown[20]);
}

TEST(LineChart, ALabelUnderATickNearTheEdgeIsKeptInside) {
  // "Oct to Dec 2026" is about 107 wide (15 * 13 * 0.55), so its middle can
  // come no nearer the right edge, 640, than 586.4; its tick stays at 602.
  LineChart c{"chart-x", "T", "D", Unit::kMoney};
  c.series.push_back({"Net value", {{"2026-Q1", -50'000}, {"2026-Q4", 260'000}}});
  auto j = line_chart_json(c);
  const auto& last = j["c_x_ticks"][1];
  EXPECT_EQ(last["t_label"], "Oct to Dec 2026");
  EXPECT_EQ(last["t_x"], "602");
  EXPECT_EQ(last["t_label_x"], "586.4");
  EXPECT_EQ(j["c_x_ticks"][0]["t_label_x"], "86");  // 86 is far enough from 0
}

TEST(LineChart, IdsAndTextComeThroughForTheTemplate) {
  auto j = line_chart_json(people_chart());
  EXPECT_EQ(j["c_id"], "chart-lonely");
  EXPECT_EQ(j["c_title"], "People less lonely");
  EXPECT_EQ(j["c_desc"], "D");
  EXPECT_EQ(j["c_key"][0]["k_name"], "Carers Board");
}

TEST(LineChartTable, APeriodARowWithTheBaselineAndTargetAfter) {
  LineChart c = people_chart();
  c.series.push_back({"Staff", {{"2026-02", 3}}});
  c.baseline = ChartTarget{2, "Dec 2025", "Baseline"};
  Table t = line_chart_table(c, "table-lonely", "Month");
  EXPECT_EQ(t.caption, "People less lonely");
  EXPECT_EQ(t.head, (std::vector<std::string>{"Month", "Carers Board", "Staff"}));
  ASSERT_EQ(t.rows.size(), 6u);
  EXPECT_EQ(t.rows[0], (std::vector<std::string>{"Jan 2026", "4", "No figure"}));
  EXPECT_EQ(t.rows[1], (std::vector<std::string>{"Feb 2026", "6", "3"}));
  EXPECT_EQ(t.rows[2], (std::vector<std::string>{"Mar 2026", "No figure", "No figure"}));
  EXPECT_EQ(t.rows[4], (std::vector<std::string>{"Baseline, Dec 2025", "2", "2"}));
  EXPECT_EQ(t.rows[5], (std::vector<std::string>{"Target, by Apr 2026", "12", "12"}));
  EXPECT_TRUE(t.row_headers);
  EXPECT_EQ(t.numeric_columns, (std::vector<size_t>{1, 2}));
}

}  // namespace
}  // namespace coproduce::report
