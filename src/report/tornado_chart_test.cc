// The tornado chart against a layout worked out by hand, with results
// below zero and an assumption whose low end raises the result.
#include "report/tornado_chart.h"

#include <gtest/gtest.h>

namespace coproduce::report {
namespace {

// A net present value of £1,000; the value per unit moves it from -£500 to
// £2,500, and deadweight, whose low end is the good one, from £1,500 down
// to £500.
TornadoChart business_case() {
  TornadoChart c{"chart-sensitivity", "What moves the net present value most", "D", Unit::kMoney, 100'000};
  c.rows.push_back({"Value per unit", "£10,000 to £16,000", -50'000, 250'000});
  c.rows.push_back({"Deadweight", "0% to 50%", 150'000, 50'000});
  return c;
}

TEST(TornadoChart, AWorkedExample) {
  // Results from -£500 to £2,500 on a scale of -£1,000 to £3,000 in four
  // steps of £1,000, across 110 to 530: £1 is 420 / 4,000 wide, the
  // central £1,000 is at 320 and £0 at 215.
  auto j = tornado_chart_json(business_case());
  std::vector<std::string> ticks, xs;
  for (const auto& t : j["c_ticks"]) {
    ticks.push_back(t["t_label"]);
    xs.push_back(t["t_x"]);
  }
  EXPECT_EQ(ticks, (std::vector<std::string>{"-£1,000", "£0", "£1,000", "£2,000", "£3,000"}));
  EXPECT_EQ(xs, (std::vector<std::string>{"110", "215", "320", "425", "530"}));
  EXPECT_EQ(j["c_central_x"], "320");
  EXPECT_EQ(j["c_central_text"], "Central estimate: £1,000");
  EXPECT_EQ(j["c_zero_x"], "215");

  // Rows are 64 apart from 64: a label row of 22, then the low end's bar
  // and, 2 below it, the high end's, each 14 high.
  ASSERT_EQ(j["c_rows"].size(), 2u);
  const auto& value = j["c_rows"][0];
  EXPECT_EQ(value["r_label"], "Value per unit");
  EXPECT_EQ(value["r_range"], "£10,000 to £16,000");
  EXPECT_EQ(value["r_label_y"], "79");
  // -£500 is left of the centre: the bar runs from 162.5 to 320 and its
  // figure is written to the left of it.
  EXPECT_EQ(value["r_low"]["x"], "162.5");
  EXPECT_EQ(value["r_low"]["width"], "157.5");
  EXPECT_EQ(value["r_low"]["y"], "86");
  EXPECT_EQ(value["r_low"]["text"], "-£500");
  EXPECT_EQ(value["r_low"]["text_x"], "156.5");
  EXPECT_EQ(value["r_low"]["anchor"], "end");
  EXPECT_EQ(value["r_high"]["x"], "320");
  EXPECT_EQ(value["r_high"]["width"], "157.5");
  EXPECT_EQ(value["r_high"]["y"], "102");
  EXPECT_EQ(value["r_high"]["text"], "£2,500");
  EXPECT_EQ(value["r_high"]["text_x"], "483.5");
  EXPECT_EQ(value["r_high"]["anchor"], "start");

  // Deadweight: the low end's bar goes right and the high end's left.
  const auto& deadweight = j["c_rows"][1];
  EXPECT_EQ(deadweight["r_label_y"], "143");
  EXPECT_EQ(deadweight["r_low"]["x"], "320");
  EXPECT_EQ(deadweight["r_low"]["width"], "52.5");
  EXPECT_EQ(deadweight["r_low"]["anchor"], "start");
  EXPECT_EQ(deadweight["r_high"]["x"], "267.5");
  EXPECT_EQ(deadweight["r_high"]["width"], "52.5");
  EXPECT_EQ(deadweight["r_high"]["text"], "£500");
  EXPECT_EQ(deadweight["r_high"]["anchor"], "end");

  EXPECT_EQ(j["c_bottom"], "192");
  EXPECT_EQ(j["c_tick_label_y"], "210");
  EXPECT_EQ(j["c_viewbox"], "0 0 640 222");
}

TEST(TornadoChart, AllBelowZero) {
  TornadoChart c{"chart-x", "T", "D", Unit::kMoney, -300'000};
  c.rows.push_back({"Quantity", "6 to 18", -450'000, -150'000});
  auto j = tornado_chart_json(c);
  // -£4,500 to -£1,500: a scale of -£5,000 to -£1,000 in steps of £1,000.
  EXPECT_EQ(j["c_ticks"].front()["t_label"], "-£5,000");
  EXPECT_EQ(j["c_ticks"].back()["t_label"], "-£1,000");
  EXPECT_EQ(j["c_central_x"], "320");
  EXPECT_EQ(j["c_rows"][0]["r_low"]["x"], "162.5");
  EXPECT_EQ(j["c_rows"][0]["r_high"]["width"], "157.5");
  EXPECT_FALSE(j.contains("c_zero_x"));  // 0 is off the scale
}

TEST(TornadoChart, AnAssumptionThatChangesNothingHasNoBar) {
  TornadoChart c{"chart-x", "T", "D", Unit::kMoney, 100'000};
  c.rows.push_back({"Displacement", "", 100'000, 100'000});
  auto j = tornado_chart_json(c);
  EXPECT_EQ(j["c_rows"][0]["r_low"]["width"], "0");
  EXPECT_FALSE(j["c_rows"][0]["r_has_range"].get<bool>());
  EXPECT_EQ(j["c_rows"][0]["r_low"]["text"], "£1,000");
}

TEST(TornadoTable, EachAssumptionWithItsResultsAndSwing) {
  Table t = tornado_table(business_case(), "table-sensitivity");
  EXPECT_EQ(t.caption, "What moves the net present value most. Central estimate: £1,000.");
  EXPECT_EQ(t.head, (std::vector<std::string>{"Assumption", "Range tried", "Low end of the range",
                                              "High end of the range", "Swing"}));
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0], (std::vector<std::string>{"Value per unit", "£10,000 to £16,000", "-£500", "£2,500", "£3,000"}));
  EXPECT_EQ(t.rows[1], (std::vector<std::string>{"Deadweight", "0% to 50%", "£1,500", "£500", "£1,000"}));
  EXPECT_TRUE(t.row_headers);
}

}  // namespace
}  // namespace coproduce::report
