// The theory of change's layout against one worked out by hand: columns by
// stage, boxes stacked as tall as their wrapped text, links between their
// edges, and the nested list a screen reader reads.
#include "report/theory_of_change.h"

#include <gtest/gtest.h>

namespace coproduce::report {
namespace {

TheoryOfChange peer_support() {
  TheoryOfChange t{"toc", "How peer support makes a difference", "D"};
  t.boxes = {{"time", Stage::kInputs, "Volunteers' time and lived experience"},
             {"groups", Stage::kActivities, "Weekly peer support groups"},
             {"calls", Stage::kActivities, "Phone calls"},
             {"less-lonely", Stage::kShortTermOutcomes, "People feel less lonely"},
             {"wellbeing", Stage::kImpact, "Better wellbeing"}};
  t.links = {{"time", "groups"},           {"time", "calls"},       {"groups", "less-lonely"}, {"calls", "less-lonely"},
             {"less-lonely", "wellbeing"}, {"nowhere", "wellbeing"}};
  return t;
}

TEST(TheoryOfChange, ColumnsOnlyForTheStagesThatHaveBoxes) {
  // Four stages have boxes: columns 150 wide with 40 between, from 2.
  auto j = theory_of_change_json(peer_support());
  ASSERT_EQ(j["c_columns"].size(), 4u);
  std::vector<std::string> names, xs;
  for (const auto& c : j["c_columns"]) {
    names.push_back(c["col_name"]);
    xs.push_back(c["col_x"]);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"Inputs", "Activities", "Short-term outcomes", "Impact"}));
  EXPECT_EQ(xs, (std::vector<std::string>{"2", "192", "382", "572"}));
  // Headings wrap at 16 characters, in lines 18 apart.
  const auto& heading = j["c_columns"][2]["col_heading"];
  ASSERT_EQ(heading.size(), 2u);
  EXPECT_EQ(heading[0]["line"], "Short-term");
  EXPECT_EQ(heading[0]["line_y"], "14");
  EXPECT_EQ(heading[1]["line"], "outcomes");
  EXPECT_EQ(heading[1]["line_y"], "32");
  EXPECT_EQ(j["c_columns"][0]["col_heading"].size(), 1u);
}

TEST(TheoryOfChange, BoxesStackAsTallAsTheirWrappedText) {
  // Lines of 20 characters, 17 high, with 8 above and below: two lines make
  // a box 50 high, one line 33. Boxes start 10 below the longest heading,
  // two lines of 18, and stack 16 apart.
  auto j = theory_of_change_json(peer_support());
  const auto& b = j["c_boxes"];
  ASSERT_EQ(b.size(), 5u);
  EXPECT_EQ(b[0]["b_id"], "toc-box-1");
  EXPECT_EQ(b[0]["b_x"], "2");
  EXPECT_EQ(b[0]["b_y"], "46");
  EXPECT_EQ(b[0]["b_width"], "150");
  EXPECT_EQ(b[0]["b_height"], "50");
  EXPECT_EQ(b[0]["b_text_x"], "10");
  ASSERT_EQ(b[0]["b_lines"].size(), 2u);
  EXPECT_EQ(b[0]["b_lines"][0]["line"], "Volunteers' time and");
  EXPECT_EQ(b[0]["b_lines"][0]["line_y"], "67");
  EXPECT_EQ(b[0]["b_lines"][1]["line"], "lived experience");
  EXPECT_EQ(b[0]["b_lines"][1]["line_y"], "84");
  // The second activity goes under the first: 46 + 50 + 16.
  EXPECT_EQ(b[2]["b_x"], "192");
  EXPECT_EQ(b[2]["b_y"], "112");
  EXPECT_EQ(b[2]["b_height"], "33");
  EXPECT_EQ(b[3]["b_lines"][1]["line"], "lonely");
  // The tallest column ends at 145; the widest layout is 724, with 40 to
  // spare on the right.
  EXPECT_EQ(j["c_viewbox"], "0 0 764 149");
  EXPECT_EQ(j["c_arrow_id"], "toc-arrow");
}

TEST(TheoryOfChange, LinksRunBetweenTheBoxesEdgesAndUnknownOnesAreLeftOut) {
  auto j = theory_of_change_json(peer_support());
  const auto& l = j["c_links"];
  ASSERT_EQ(l.size(), 5u);  // not the link from "nowhere"
  // From the middle of the right edge of Inputs' box (152, 71) to the
  // middle of the left edge of each activity, bending halfway between.
  EXPECT_EQ(l[0]["d"], "M152 71 C172 71 172 71 192 71");
  EXPECT_EQ(l[1]["d"], "M152 71 C172 71 172 128.5 192 128.5");
  // Across a column with no box in it to the impact at 572.
  EXPECT_EQ(l[4]["d"], "M532 71 C552 71 552 62.5 572 62.5");
}

TEST(TheoryOfChange, LinksBackwardsAndWithinAColumn) {
  TheoryOfChange t = peer_support();
  t.links = {{"wellbeing", "time"}, {"calls", "groups"}};
  auto j = theory_of_change_json(t);
  // Back from the impact's left edge to the right edge of the input.
  EXPECT_EQ(j["c_links"][0]["d"], "M572 62.5 C362 62.5 362 71 152 71");
  // Out of one activity's right edge into the gap, and back into the other's.
  EXPECT_EQ(j["c_links"][1]["d"], "M342 128.5 C372 128.5 372 71 342 71");
}

TEST(TheoryOfChange, TheNestedListSaysWhatEachBoxLeadsTo) {
  auto j = theory_of_change_json(peer_support());
  const auto& stages = j["c_stages"];
  ASSERT_EQ(stages.size(), 4u);
  EXPECT_EQ(stages[1]["st_name"], "Activities");
  ASSERT_EQ(stages[1]["st_boxes"].size(), 2u);
  const auto& groups = stages[1]["st_boxes"][0];
  EXPECT_EQ(groups["text"], "Weekly peer support groups");
  ASSERT_EQ(groups["leads_to"].size(), 1u);
  EXPECT_EQ(groups["leads_to"][0]["text"], "People feel less lonely");
  EXPECT_EQ(groups["leads_to"][0]["stage"], "Short-term outcomes");
  EXPECT_TRUE(groups["has_leads_to"].get<bool>());
  EXPECT_EQ(stages[0]["st_boxes"][0]["leads_to"].size(), 2u);
  EXPECT_FALSE(stages[3]["st_boxes"][0]["has_leads_to"].get<bool>());
}

TEST(TheoryOfChange, NothingToDraw) {
  TheoryOfChange t{"toc", "T", "D"};
  auto j = theory_of_change_json(t);
  EXPECT_TRUE(j["c_columns"].empty());
  EXPECT_TRUE(j["c_boxes"].empty());
  EXPECT_EQ(j["c_viewbox"], "0 0 640 14");
}

TEST(TheoryOfChangeTable, ABoxARowWithWhatItLeadsTo) {
  Table t = theory_of_change_table(peer_support(), "table-toc");
  EXPECT_EQ(t.head, (std::vector<std::string>{"Box", "Stage", "Leads to"}));
  ASSERT_EQ(t.rows.size(), 5u);
  EXPECT_EQ(t.rows[0], (std::vector<std::string>{"Volunteers' time and lived experience", "Inputs",
                                                 "Weekly peer support groups; Phone calls"}));
  EXPECT_EQ(t.rows[4], (std::vector<std::string>{"Better wellbeing", "Impact", "None"}));
  EXPECT_TRUE(t.row_headers);
}

}  // namespace
}  // namespace coproduce::report
