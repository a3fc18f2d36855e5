#include "survey/report.h"

#include <gtest/gtest.h>

#include <regex>

#include "report/format.h"
#include "survey/definition.h"
#include "survey/demo.h"
#include "survey/responses.h"

namespace coproduce::survey {
namespace {

// 3 people in group a, 12 in group b, all complete; heard by group.
Analysis sample_analysis() {
  const Questionnaire& q = coproduction_template();
  std::string csv;
  for (const auto& c : response_columns(q)) csv += (csv.empty() ? "" : ",") + c;
  csv += "\n";
  const size_t columns = response_columns(q).size();
  auto row = [&](const std::string& id, const std::string& group, const std::string& heard) {
    std::vector<std::string> f(columns);
    f[0] = id;
    f[1] = "2026-03-01T10:00:00";
    f[2] = "2026-03-01T10:09:00";
    f[3] = "7";
    f[4] = group;
    f[6] = heard;
    if (group == "workforce") f[5] = "direct_care";
    std::string line;
    for (size_t i = 0; i < f.size(); ++i) line += (i ? "," : "") + f[i];
    return line + "\n";
  };
  for (int i = 0; i < 3; ++i) csv += row("c" + std::to_string(i), "carer", "yes");
  for (int i = 0; i < 12; ++i) csv += row("w" + std::to_string(i), "workforce", i < 9 ? "yes" : "no");
  StatusOr<Responses> r = parse_responses(csv, q, {});
  EXPECT_TRUE(r.ok()) << r.status().to_string();
  AnalysisOptions options;
  options.crosstabs = {"heard:group"};
  StatusOr<Analysis> a = analyse(q, *r, options);
  EXPECT_TRUE(a.ok()) << a.status().to_string();
  return *a;
}

TEST(SurveyReport, HtmlIsSelfContainedAndAccessible) {
  auto policy = make_suppression("nhs");
  ASSERT_TRUE(policy.ok());
  const std::string html = render_html(sample_analysis(), **policy, {"built-in template coproduction", "r.csv", ""});
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("http://www.w3.org/2000/svg\""), html.find("xmlns=\"http://www.w3.org/2000/svg\"") + 7);
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_NE(html.find("<html lang=\"en\">"), std::string::npos);
  EXPECT_NE(html.find("@media print"), std::string::npos);
  // Every chart is an image with a title and description, and a table follows it.
  const std::regex svg("<svg class=\"chart\" role=\"img\" aria-labelledby=\"([a-z0-9-]+)-title \\1-desc\"");
  size_t charts = 0;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), svg); it != std::sregex_iterator(); ++it) {
    ++charts;
    const size_t at = static_cast<size_t>(it->position());
    const std::string id = (*it)[1];
    EXPECT_NE(html.find("<title id=\"" + id + "-title\">", at), std::string::npos);
    EXPECT_NE(html.find("<desc id=\"" + id + "-desc\">", at), std::string::npos);
    const size_t end = html.find("</svg>", at);
    EXPECT_EQ(html.find("<", end + 7), html.find("<table>", end)) << "no table right after chart " << id;
  }
  EXPECT_GE(charts, 10u);
  // The definitions of completion and base are stated.
  EXPECT_NE(html.find("A response is complete when"), std::string::npos);
  EXPECT_NE(html.find("The base of a question"), std::string::npos);
}

TEST(SurveyReport, SuppressedFiguresAreHiddenInChartsAndTablesAlike) {
  auto policy = make_suppression("nhs");
  ASSERT_TRUE(policy.ok());
  const std::string html = render_html(sample_analysis(), **policy, {});
  // 3 carers: the table shows *, and so does the chart's label, with no bar.
  EXPECT_NE(html.find("<th scope=\"row\">I am an unpaid carer for a family member or friend</th><td class=\"num\">*</td>"
                      "<td class=\"num\">*</td><td class=\"num\">*</td>"),
            std::string::npos);
  const std::string carer_label = ">I am an unpaid carer for a family member or friend</text>";
  const size_t label = html.find(carer_label);
  ASSERT_NE(label, std::string::npos);
  const size_t next_text = html.find("<text", label);
  EXPECT_LT(next_text, html.find("<rect", label)) << "a bar was drawn for a suppressed count";
  EXPECT_EQ(html.substr(html.find('>', next_text) + 1, 1), "*");
  // 12 in the workforce: shown as 10; 10 of 15 = 66.7% (from rounded figures), not 12 of 15 = 80%.
  EXPECT_NE(html.find("<th scope=\"row\">I work in social care</th><td class=\"num\">10</td><td class=\"num\">66.7%</td>"),
            std::string::npos);
  EXPECT_EQ(html.find("80.0%"), std::string::npos);
  // The raw 3 and 12 appear nowhere as counts.
  EXPECT_EQ(html.find("<td class=\"num\">12</td>"), std::string::npos);
  EXPECT_EQ(html.find("<td class=\"num\">3</td>"), std::string::npos);
}

TEST(SurveyReport, NoneShowsRawCounts) {
  auto policy = make_suppression("none");
  ASSERT_TRUE(policy.ok());
  const std::string html = render_html(sample_analysis(), **policy, {});
  EXPECT_NE(html.find("<th scope=\"row\">I work in social care</th><td class=\"num\">12</td><td class=\"num\">80.0%</td>"),
            std::string::npos);
}

TEST(SurveyReport, CsvIsLongFormatWithStars) {
  auto policy = make_suppression("nhs");
  ASSERT_TRUE(policy.ok());
  const std::string csv = render_csv(sample_analysis(), **policy, {});
  EXPECT_EQ(csv.substr(0, csv.find("\r\n")),
            "section,variable,option,by_variable,by_option,count,base,proportion,ci_lower,ci_upper,chi_square,df,"
            "p_value,fisher_p,holm_p,note");
  EXPECT_NE(csv.find("\r\nquestion,group,carer,,,*,15,,,,,,,,,\r\n"), std::string::npos);
  EXPECT_NE(csv.find("\r\nquestion,group,workforce,,,10,15,0.666667,"), std::string::npos);
  EXPECT_NE(csv.find("\r\ncompletion,completes,,,,15,15,1.000000,"), std::string::npos);
  EXPECT_NE(csv.find("\r\ntest,heard,,group,,,15,"), std::string::npos);
}

// Counts of a thousand or more are plain numbers in CSV ("1235", not "1,235"),
// and tiny p-values keep their size rather than printing as 0.000000.
TEST(SurveyReport, CsvNumbersArePlain) {
  Analysis a;
  a.starts = 1234;
  a.completes = 1000;
  a.completion_rate = 1000.0 / 1234;
  CrossTab tab;
  tab.spec = "x:y";
  CrossTable t;
  t.row_code = "x";
  t.col_code = "y";
  t.base = 1000;
  t.chi_square = ChiSquare{80.0, 1, 3.7e-19, 0, 4};
  tab.tables.push_back(t);
  a.crosstabs.push_back(tab);
  auto nhs = make_suppression("nhs");
  auto none = make_suppression("none");
  ASSERT_TRUE(nhs.ok() && none.ok());
  const std::string rounded = render_csv(a, **nhs, {});
  EXPECT_NE(rounded.find("\r\ncompletion,starts,,,,1235,"), std::string::npos) << rounded;
  EXPECT_NE(rounded.find("\r\ncompletion,completes,,,,1000,1235,0.809717,"), std::string::npos) << rounded;
  EXPECT_NE(rounded.find("\r\ntest,x,,y,,,1000,,,,80,1,3.7e-19,"), std::string::npos) << rounded;
  EXPECT_NE(render_csv(a, **none, {}).find("\r\ncompletion,starts,,,,1234,"), std::string::npos);
}

// The report writes percentages with report::format_percent, as the pages do.
TEST(SurveyReport, FormatPercent) {
  EXPECT_EQ(report::format_percent(0.72364), "72.4%");
  EXPECT_EQ(report::format_percent(0), "0.0%");
  EXPECT_EQ(report::format_percent(1), "100.0%");
}

}  // namespace
}  // namespace coproduce::survey

namespace coproduce::survey {
namespace {

// The demo data reads back without error and carries the briefing's pattern.
TEST(SurveyDemo, DemoResponsesAnalyse) {
  const std::string csv = demo_responses_csv(400, 7);
  EXPECT_EQ(csv, demo_responses_csv(400, 7));  // the same for the same seed
  StatusOr<Responses> r = parse_responses(csv, coproduction_template(), {});
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->rows, 400u);
  AnalysisOptions options;
  options.crosstabs = {"heard:group", "knowledge:role", "barriers:role", "involved_own_care:involved_services"};
  StatusOr<Analysis> a = analyse(coproduction_template(), *r, options);
  ASSERT_TRUE(a.ok()) << a.status().to_string();
  EXPECT_GT(a->completion_rate, 0.7);
  EXPECT_LT(a->completion_rate, 0.9);
  // Workforce respondents have heard of co-production more often than people with lived experience.
  const CrossTable& heard = a->crosstabs[0].tables[0];
  auto share_yes = [&](size_t col) {
    long total = 0;
    for (const auto& row : heard.counts) total += row[col];
    return static_cast<double>(heard.counts[0][col]) / static_cast<double>(total);
  };
  EXPECT_GT(share_yes(2), share_yes(0));
}

}  // namespace
}  // namespace coproduce::survey

namespace coproduce::survey {
namespace {

Analysis analysis_of(const std::string& definition, const std::string& responses) {
  StatusOr<Questionnaire> q = parse_definition(definition, "d.json");
  EXPECT_TRUE(q.ok()) << q.status().to_string();
  StatusOr<Responses> r = parse_responses(responses, *q, {});
  EXPECT_TRUE(r.ok()) << r.status().to_string();
  StatusOr<Analysis> a = analyse(*q, *r, {});
  EXPECT_TRUE(a.ok()) << a.status().to_string();
  return *a;
}

// Labels come from whoever wrote the questionnaire: they are escaped in the
// page and in the charts.
TEST(SurveyReport, HtmlEscapesQuestionnaireText) {
  const Analysis a = analysis_of(
      R"({"title": "A <b>bold</b> & \"quoted\" survey", "questions": [{"code": "q", "type": "single",
          "text": "<script>alert(1)</script>", "options": [{"code": "a", "label": "<img src=x onerror=alert(1)>"},
          {"code": "b", "label": "B"}]}]})",
      "id,started_at,submitted_at,last_page,q\nr1,2026-03-01,2026-03-01,1,a\n");
  auto policy = make_suppression("none");
  ASSERT_TRUE(policy.ok());
  const std::string html = render_html(a, **policy, {"<def>", "<resp>", ""});
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("<title>A &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot; survey: findings</title>"),
            std::string::npos);
}

// Multiple-choice answers are ranked by share in the chart and the table alike;
// a scale keeps its order.
TEST(SurveyReport, MultipleChoiceIsRankedScalesAreNot) {
  std::string rows = "id,started_at,submitted_at,last_page,m[x],m[y],m[z],k\n";
  for (int i = 0; i < 20; ++i) {
    rows += "r" + std::to_string(i) + ",2026-03-01,2026-03-01,1," + (i < 2 ? "1" : "") + "," + (i < 15 ? "1" : "") +
            "," + (i < 10 ? "1" : "") + "," + (i < 15 ? "high" : "low") + "\n";
  }
  const Analysis a = analysis_of(
      R"({"title": "T", "questions": [{"code": "m", "type": "multiple", "text": "M", "options": ["x", "y", "z"]},
          {"code": "k", "type": "single", "text": "K", "ordered": true, "options": ["low", "high"]}]})",
      rows);
  auto policy = make_suppression("none");
  ASSERT_TRUE(policy.ok());
  const std::string html = render_html(a, **policy, {});
  const size_t y_bar = html.find(">y</text>"), z_bar = html.find(">z</text>"), x_bar = html.find(">x</text>");
  EXPECT_LT(y_bar, z_bar);
  EXPECT_LT(z_bar, x_bar);
  const size_t y_row = html.find("<th scope=\"row\">y</th>"), z_row = html.find("<th scope=\"row\">z</th>"),
               x_row = html.find("<th scope=\"row\">x</th>");
  EXPECT_LT(y_row, z_row);
  EXPECT_LT(z_row, x_row);
  EXPECT_LT(html.find("<th scope=\"row\">low</th>"), html.find("<th scope=\"row\">high</th>"));
}

}  // namespace
}  // namespace coproduce::survey
