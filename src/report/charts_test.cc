// The chart builders against geometry worked out by hand: what a reader
// would see wrong if it broke (a bar too long, a figure missing, a chart
// cut off at the bottom).
#include "report/charts.h"

#include <gtest/gtest.h>

#include <string>

namespace coproduce::report {
namespace {

// --- BarChart -----------------------------------------------------------------------

BarChart three_bars() {
  BarChart c{"chart-x", "A title", "A description", {}};
  c.bars.push_back({"Half", 0.5, ""});
  c.bars.push_back({"Quarter", 0.25, ""});
  c.bars.push_back({"All", 1.0, ""});
  return c;
}

TEST(BarChart, BarWidthsAreProportionalToShares) {
  // The longest bar, a share of 1, is 480 wide.
  auto j = bar_chart_json(three_bars());
  ASSERT_EQ(j["c_bars"].size(), 3u);
  EXPECT_EQ(j["c_bars"][0]["b_width"], "240.0");
  EXPECT_EQ(j["c_bars"][1]["b_width"], "120.0");
  EXPECT_EQ(j["c_bars"][2]["b_width"], "480.0");
  // The value is written 8 past the end of its bar.
  EXPECT_EQ(j["c_bars"][0]["b_text_x"], "248.0");
  EXPECT_EQ(j["c_bars"][2]["b_text_x"], "488.0");
}

TEST(BarChart, SharesOutsideZeroToOneAreClamped) {
  BarChart c{"chart-x", "T", "D", {}};
  c.bars.push_back({"Over", 1.7, ""});
  c.bars.push_back({"Under", -0.2, ""});
  auto j = bar_chart_json(c);
  EXPECT_EQ(j["c_bars"][0]["b_width"], "480.0");
  EXPECT_EQ(j["c_bars"][1]["b_width"], "0.0");
}

TEST(BarChart, ValueTextIsThePercentageUnlessGiven) {
  BarChart c{"chart-x", "T", "D", {}};
  c.bars.push_back({"Plain", 0.4245, ""});
  c.bars.push_back({"Own words", 0.5, "50% (3 of 6)"});
  auto j = bar_chart_json(c);
  EXPECT_EQ(j["c_bars"][0]["b_value"], "42.5%");
  EXPECT_EQ(j["c_bars"][1]["b_value"], "50% (3 of 6)");
  EXPECT_EQ(j["c_bars"][0]["b_label"], "Plain");
}

TEST(BarChart, ABarWithNoShareHasNoLengthAndTheMissingText) {
  BarChart c{"chart-x", "T", "D", {}};
  c.bars.push_back({"Default", std::nullopt, ""});
  auto j = bar_chart_json(c);
  EXPECT_EQ(j["c_bars"][0]["b_width"], "0.0");
  EXPECT_EQ(j["c_bars"][0]["b_value"], "no figure");

  c.missing_text = "hidden (small number)";
  j = bar_chart_json(c);
  EXPECT_EQ(j["c_bars"][0]["b_value"], "hidden (small number)");
}

TEST(BarChart, EachBarSitsBelowTheLastAndTheHeightGrowsWithThem) {
  // Each bar takes a label row (22), the bar (22) and a gap (14): 58, after
  // a top margin of 10.
  BarChart c{"chart-x", "T", "D", {}};
  EXPECT_EQ(bar_chart_json(c)["c_viewbox"], "0 0 640 10");
  c.bars.push_back({"One", 0.1, ""});
  auto one = bar_chart_json(c);
  EXPECT_EQ(one["c_viewbox"], "0 0 640 68");
  EXPECT_EQ(one["c_height"], "68");
  EXPECT_EQ(one["c_bars"][0]["b_label_y"], "25.0");
  EXPECT_EQ(one["c_bars"][0]["b_bar_y"], "32.0");
  EXPECT_EQ(one["c_bars"][0]["b_value_y"], "48.0");
  EXPECT_EQ(one["c_bars"][0]["b_height"], "22");
  auto three = bar_chart_json(three_bars());
  EXPECT_EQ(three["c_viewbox"], "0 0 640 184");
  EXPECT_EQ(three["c_bars"][2]["b_bar_y"], "148.0");
  EXPECT_EQ(three["c_id"], "chart-x");
  EXPECT_EQ(three["c_title"], "A title");
  EXPECT_EQ(three["c_desc"], "A description");
}

// --- BenchmarkBarChart -----------------------------------------------------------------

TEST(BenchmarkBarChart, EachShareHasItsBenchmarkBeneathIt) {
  // Bars start at 130 and a share of 1 is 400 long; rows are 56 apart from 44.
  BenchmarkBarChart c{"chart-sex", "T", "D", {}};
  c.series_name = "Share of places";
  c.bars.push_back({"Female", 0.6, "", 0.51, ""});
  c.bars.push_back({"Male", 0.4, "40 in 100", std::nullopt, ""});
  auto j = benchmark_bar_chart_json(c);
  ASSERT_EQ(j["c_bars"].size(), 2u);
  const auto& f = j["c_bars"][0];
  EXPECT_EQ(f["b_y"], "44.0");
  EXPECT_EQ(f["b_width"], "240.0");
  EXPECT_EQ(f["b_text_x"], "376.0");  // 130 + 240 + 6
  EXPECT_EQ(f["b_value"], "60.0%");
  EXPECT_EQ(f["m_y"], "66.0");
  EXPECT_EQ(f["m_width"], "204.0");
  EXPECT_EQ(f["m_value"], "51.0%");
  EXPECT_EQ(f["b_height"], "18");
  EXPECT_EQ(f["m_height"], "17");
  EXPECT_EQ(f["b_label_y"], "68.0");
  const auto& m = j["c_bars"][1];
  EXPECT_EQ(m["b_y"], "100.0");
  EXPECT_EQ(m["b_value"], "40 in 100");
  EXPECT_EQ(m["m_width"], "0.0");
  EXPECT_EQ(m["m_text_x"], "136.0");
  EXPECT_EQ(m["m_value"], "none");
  EXPECT_EQ(j["c_viewbox"], "0 0 640 160");  // 44 + 2 * 56 + 4
  EXPECT_EQ(j["c_series"], "Share of places");
  EXPECT_EQ(j["c_benchmark"], "Benchmark");
  EXPECT_EQ(j["c_left"], "130");
}

TEST(BenchmarkBarChart, SharesAreClamped) {
  BenchmarkBarChart c{"chart-x", "T", "D", {}};
  c.bars.push_back({"Odd", 1.5, "", -0.1, ""});
  auto j = benchmark_bar_chart_json(c);
  EXPECT_EQ(j["c_bars"][0]["b_width"], "400.0");
  EXPECT_EQ(j["c_bars"][0]["m_width"], "0.0");
}

// --- ColumnChart -----------------------------------------------------------------------

TEST(ColumnChart, AWorkedExample) {
  // Shares 0.35, 0.15 and 0.1 with a reference line at 0.1. The scale runs
  // to the next 10% above the largest: 40%. The plot is 200 high with its
  // axis at 230, so 0.35 is 175 high and 0.1 is 50. Columns start at 56,
  // 57 apart and 44 wide; the value is 6 above the column and the label 20
  // below the axis.
  ColumnChart c{"chart-tenths", "T", "D", "Tenths", {}};
  c.columns.push_back({"1st", 0.35, ""});
  c.columns.push_back({"2nd", 0.15, "15 in 100"});
  c.columns.push_back({"3rd", 0.1, ""});
  c.reference = 0.1;
  auto j = column_chart_json(c);
  EXPECT_EQ(j["c_top_label"], "40%");
  EXPECT_EQ(j["c_top_y"], "30");
  EXPECT_EQ(j["c_axis_y"], "230");
  EXPECT_EQ(j["c_viewbox"], "0 0 640 290");
  EXPECT_EQ(j["c_axis_title"], "Tenths");
  EXPECT_EQ(j["c_axis_title_y"], "274");
  ASSERT_TRUE(j["c_has_reference"].get<bool>());
  EXPECT_EQ(j["c_reference_y"], "180.0");
  ASSERT_EQ(j["c_columns"].size(), 3u);
  const auto& first = j["c_columns"][0];
  EXPECT_EQ(first["b_x"], "56.0");
  EXPECT_EQ(first["b_width"], "44");
  EXPECT_EQ(first["b_height"], "175.0");
  EXPECT_EQ(first["b_y"], "55.0");
  EXPECT_EQ(first["b_text_x"], "78.0");
  EXPECT_EQ(first["b_text_y"], "49.0");
  EXPECT_EQ(first["b_value"], "35.0%");
  EXPECT_EQ(first["b_label"], "1st");
  EXPECT_EQ(first["b_label_y"], "250");
  const auto& second = j["c_columns"][1];
  EXPECT_EQ(second["b_x"], "113.0");
  EXPECT_EQ(second["b_height"], "75.0");
  EXPECT_EQ(second["b_value"], "15 in 100");
  EXPECT_EQ(j["c_columns"][2]["b_x"], "170.0");
  EXPECT_EQ(j["c_columns"][2]["b_y"], "180.0");  // level with the reference line
}

TEST(ColumnChart, TheScaleIsAtLeastTwentyPerCentAndHoldsTheReference) {
  ColumnChart c{"chart-x", "T", "D", "", {}};
  c.columns.push_back({"a", 0.05, ""});
  EXPECT_EQ(column_chart_json(c)["c_top_label"], "20%");
  EXPECT_FALSE(column_chart_json(c)["c_has_reference"].get<bool>());
  c.reference = 0.55;
  auto j = column_chart_json(c);
  EXPECT_EQ(j["c_top_label"], "60%");
  EXPECT_EQ(j["c_reference_y"], "46.7");  // 230 - 0.55 / 0.6 * 200
  // A share of exactly 30% needs no more than a 30% scale.
  c.reference.reset();
  c.columns[0].share = 0.3;
  EXPECT_EQ(column_chart_json(c)["c_top_label"], "30%");
}

TEST(ColumnChart, SharesAreClampedToTheScale) {
  ColumnChart c{"chart-x", "T", "D", "", {}};
  c.columns.push_back({"over", 1.4, ""});
  c.columns.push_back({"under", -0.3, ""});
  auto j = column_chart_json(c);
  EXPECT_EQ(j["c_top_label"], "100%");
  EXPECT_EQ(j["c_columns"][0]["b_height"], "200.0");
  EXPECT_EQ(j["c_columns"][0]["b_y"], "30.0");
  EXPECT_EQ(j["c_columns"][1]["b_height"], "0.0");
}

TEST(ColumnChart, ManyColumnsAreSqueezedInsideTheAxis) {
  // Twenty columns share the 574 from the first column to the axis's end.
  ColumnChart c{"chart-x", "T", "D", "", {}};
  for (int i = 0; i < 20; ++i) c.columns.push_back({std::to_string(i + 1), 0.05, ""});
  auto j = column_chart_json(c);
  const auto& last = j["c_columns"][19];
  double right = std::stod(last["b_x"].get<std::string>()) + std::stod(last["b_width"].get<std::string>());
  EXPECT_LE(right, 630.0);
  EXPECT_EQ(j["c_columns"][1]["b_x"], "84.7");  // 56 + 574 / 20
}

// --- bar_chart_svg: the same bars as text, for a document without templates --------

TEST(BarChartSvg, LabelsBesideTheirBarsAndTextEscaped) {
  // The label column is 7 a byte of the longest label and 16 more, at least
  // 120; bars up to 300 long; rows 26 apart after a margin of 8.
  BarChart c{"chart-1", "Fish & chips?", "Bars <of> shares", {}};
  c.bars.push_back({"Yes & no", 0.5, "50.0%"});
  c.bars.push_back({"Hidden", std::nullopt, "*"});
  c.bars.push_back({"None at all, and a label long enough to widen the column", 0.0, ""});
  // 56 bytes: 56 * 7 + 16 = 408 wide, so 798 in all and 8 * 2 + 3 * 26 = 94 high.
  EXPECT_EQ(
      bar_chart_svg(c),
      "<svg class=\"chart\" role=\"img\" aria-labelledby=\"chart-1-title chart-1-desc\" viewBox=\"0 0 798 94\" "
      "width=\"798\" height=\"94\" xmlns=\"http://www.w3.org/2000/svg\">\n"
      "<title id=\"chart-1-title\">Fish &amp; chips?</title>\n"
      "<desc id=\"chart-1-desc\">Bars &lt;of&gt; shares</desc>\n"
      "<text x=\"400\" y=\"25\" text-anchor=\"end\">Yes &amp; no</text>\n"
      "<rect x=\"408\" y=\"12\" width=\"150\" height=\"18\" class=\"bar\"/>\n"
      "<text x=\"564\" y=\"25\">50.0%</text>\n"
      "<text x=\"400\" y=\"51\" text-anchor=\"end\">Hidden</text>\n"
      "<text x=\"414\" y=\"51\">*</text>\n"
      "<text x=\"400\" y=\"77\" text-anchor=\"end\">None at all, and a label long enough to widen the column</text>\n"
      "<text x=\"414\" y=\"77\">0.0%</text>\n"
      "</svg>\n");
}

// --- StackedBarChart ---------------------------------------------------------------------

StackedBarChart rungs() {
  StackedBarChart c{"chart-rungs", "Highest rung reached", "D", {"Informing", "Consulting", "Co-producing"}, {}};
  c.bars.push_back({"Carers Board", {0.2, 0.3, 0.4}, ""});
  return c;
}

TEST(StackedBarChart, AWorkedExample) {
  // The key's entries are a 14 swatch, 6, the name at 14 * 0.55 a character
  // and 20 before the next: Informing at 0, Consulting at 109.3 and
  // Co-producing at 226.3, all on the row at 4. Bars start 10 below the
  // key's row of 24; a share of 1 is 520 long.
  auto j = stacked_bar_chart_json(rungs());
  ASSERT_EQ(j["c_key"].size(), 3u);
  EXPECT_EQ(j["c_key"][0]["k_x"], "0");
  EXPECT_EQ(j["c_key"][1]["k_x"], "109.3");
  EXPECT_EQ(j["c_key"][1]["k_text_x"], "129.3");
  EXPECT_EQ(j["c_key"][2]["k_x"], "226.3");
  EXPECT_EQ(j["c_key"][2]["k_y"], "4");
  EXPECT_EQ(j["c_key"][2]["k_name"], "Co-producing");
  // The key's colours are the segments'.
  EXPECT_EQ(j["c_key"][1]["k_fill"], j["c_bars"][0]["b_segments"][1]["s_fill"]);

  const auto& bar = j["c_bars"][0];
  EXPECT_EQ(bar["b_label"], "Carers Board");
  EXPECT_EQ(bar["b_label_y"], "53.0");
  EXPECT_EQ(bar["b_y"], "60.0");
  EXPECT_EQ(bar["b_height"], "24");
  const auto& seg = bar["b_segments"];
  ASSERT_EQ(seg.size(), 3u);
  EXPECT_EQ(seg[0]["s_x"], "0.0");
  EXPECT_EQ(seg[0]["s_width"], "104.0");
  EXPECT_EQ(seg[0]["s_text_x"], "52.0");
  EXPECT_EQ(seg[0]["s_text"], "20.0%");
  EXPECT_TRUE(seg[0]["s_has_text"].get<bool>());
  EXPECT_EQ(seg[1]["s_x"], "104.0");
  EXPECT_EQ(seg[1]["s_width"], "156.0");
  EXPECT_EQ(seg[2]["s_x"], "260.0");
  EXPECT_EQ(seg[2]["s_width"], "208.0");
  EXPECT_EQ(seg[2]["s_text_x"], "364.0");
  // The total after the bar, 8 past its end.
  EXPECT_EQ(bar["b_value"], "90.0%");
  EXPECT_EQ(bar["b_value_x"], "476.0");
  EXPECT_EQ(bar["b_value_y"], "77.0");
  EXPECT_EQ(j["c_viewbox"], "0 0 640 98");
}

TEST(StackedBarChart, SharesStopAtTheFullBarAndNarrowSegmentsHaveNoText) {
  StackedBarChart c = rungs();
  c.bars[0] = {"Over", {0.7, 0.5}, ""};  // the second is cut to 0.3; the third is missing
  c.bars.push_back({"Thin", {0.05, -0.2, 0.1}, "3 of 20"});
  auto j = stacked_bar_chart_json(c);
  const auto& over = j["c_bars"][0]["b_segments"];
  EXPECT_EQ(over[1]["s_x"], "364.0");
  EXPECT_EQ(over[1]["s_width"], "156.0");
  EXPECT_EQ(over[2]["s_width"], "0.0");
  EXPECT_FALSE(over[2]["s_has_text"].get<bool>());
  EXPECT_EQ(j["c_bars"][0]["b_value"], "100.0%");
  // 0.05 is 26 wide: too narrow for "5.0%" (4 * 13 * 0.55 + 8 = 36.6).
  const auto& thin = j["c_bars"][1];
  EXPECT_FALSE(thin["b_segments"][0]["s_has_text"].get<bool>());
  EXPECT_EQ(thin["b_segments"][1]["s_width"], "0.0");
  EXPECT_EQ(thin["b_segments"][2]["s_x"], "26.0");
  EXPECT_EQ(thin["b_value"], "3 of 20");
  EXPECT_EQ(thin["b_y"], "120.0");  // 22 + 24 + 14 below the first
}

TEST(StackedBarChart, AKeyTooWideForOneRowWraps) {
  StackedBarChart c{"chart-x", "T", "D", {}, {}};
  // Each entry is 14 + 6 + 30 * 7.7 = 251 and 20 more: two fit in 640, not three.
  for (int i = 0; i < 3; ++i) c.key.push_back(std::string(30, 'a' + static_cast<char>(i)));
  auto j = stacked_bar_chart_json(c);
  EXPECT_EQ(j["c_key"][1]["k_y"], "4");
  EXPECT_EQ(j["c_key"][2]["k_x"], "0");
  EXPECT_EQ(j["c_key"][2]["k_y"], "28");
  EXPECT_EQ(j["c_viewbox"], "0 0 640 62");  // 28 + 24 + 10
}

TEST(StackedBarChart, ItsTableHasTheSameClampedShares) {
  StackedBarChart c = rungs();
  c.bars.push_back({"Over", {0.7, 0.5}, ""});
  Table t = stacked_bar_table(c, "table-rungs", "Group");
  EXPECT_EQ(t.caption, "Highest rung reached");
  EXPECT_EQ(t.head, (std::vector<std::string>{"Group", "Informing", "Consulting", "Co-producing", "Total"}));
  EXPECT_EQ(t.rows[0], (std::vector<std::string>{"Carers Board", "20.0%", "30.0%", "40.0%", "90.0%"}));
  EXPECT_EQ(t.rows[1], (std::vector<std::string>{"Over", "70.0%", "30.0%", "0.0%", "100.0%"}));
  EXPECT_TRUE(t.row_headers);
  EXPECT_EQ(t.numeric_columns, (std::vector<size_t>{1, 2, 3, 4}));
}

// --- Table -------------------------------------------------------------------------------

TEST(Table, RowsAndAnEmptyTable) {
  Table t{"table-x", "A caption", {"Name", "Share"}, {{"One", "10.0%"}}};
  auto j = table_json(t);
  EXPECT_EQ(j["t_id"], "table-x");
  EXPECT_EQ(j["t_caption"], "A caption");
  EXPECT_EQ(j["t_head"][1]["text"], "Share");
  EXPECT_EQ(j["t_rows"][0]["cells"][1]["text"], "10.0%");
  // Plain cells unless asked: no row header, nothing set as a figure.
  EXPECT_FALSE(j["t_rows"][0]["cells"][0]["header"].get<bool>());
  EXPECT_FALSE(j["t_rows"][0]["cells"][1]["numeric"].get<bool>());
  EXPECT_TRUE(j["has_rows"].get<bool>());
  t.rows.clear();
  j = table_json(t);
  EXPECT_FALSE(j["has_rows"].get<bool>());
  EXPECT_EQ(j["t_columns"], 2);
}

TEST(Table, RowHeadersAndNumericColumns) {
  Table t{"tenths", "Places by tenth", {"Tenth", "People", "Share"}, {{"1st", "2", "35.0%"}}, true, {1, 2}};
  auto j = table_json(t);
  EXPECT_FALSE(j["t_head"][0]["numeric"].get<bool>());
  EXPECT_TRUE(j["t_head"][2]["numeric"].get<bool>());
  const auto& cells = j["t_rows"][0]["cells"];
  EXPECT_TRUE(cells[0]["header"].get<bool>());
  EXPECT_FALSE(cells[0]["numeric"].get<bool>());
  EXPECT_FALSE(cells[1]["header"].get<bool>());
  EXPECT_TRUE(cells[1]["numeric"].get<bool>());
}

}  // namespace
}  // namespace coproduce::report
