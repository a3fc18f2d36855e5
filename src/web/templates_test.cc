#include "web/templates.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <thread>
#include <fstream>
#include <vector>

#include "report/charts.h"
#include "report/line_chart.h"
#include "report/theory_of_change.h"
#include "report/tornado_chart.h"

namespace coproduce::web {
namespace {

namespace fs = std::filesystem;

class TemplatesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("coproduce-templates-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "partials");
    fs::create_directories(dir_ / "area");
  }
  void TearDown() override { fs::remove_all(dir_); }
  void write(const std::string& name, const std::string& text) { std::ofstream(dir_ / name) << text; }
  fs::path dir_;
};

TEST_F(TemplatesTest, EscapesByDefaultAndRendersPartialsListsAndFlags) {
  write("partials/greeting.mustache", "Hi {{name}}");
  write("area/page.mustache", "{{> greeting}}|{{{raw}}}|{{#items}}[{{.}}]{{/items}}|{{#flag}}yes{{/flag}}{{^off}}no{{/off}}|{{n}}");
  auto set = TemplateSet::load(dir_.string());
  ASSERT_TRUE(set.ok()) << set.status().to_string();
  std::string out = (*set)->render("area/page", {{"name", "<b>Ada</b>"},
                                                 {"raw", "<i>ok</i>"},
                                                 {"items", {"a", "<"}},
                                                 {"flag", true},
                                                 {"off", false},
                                                 {"n", 42}});
  EXPECT_EQ(out, "Hi &lt;b&gt;Ada&lt;/b&gt;|<i>ok</i>|[a][&lt;]|yesno|42");
}

TEST_F(TemplatesTest, MarkedWordsAreShownInTheLanguageAskedFor) {
  auto catalogues = i18n::Catalogues::load(COPRODUCE_TEST_LOCALE);
  ASSERT_TRUE(catalogues.ok()) << catalogues.status().to_string();
  write("partials/nav.mustache", "<a>{{#t}}Home{{/t}}</a>");
  // The layout of the text does not matter: it is looked up with its spaces collapsed.
  write("area/page.mustache", "{{> nav}}<p>{{#t}}Hello\n    {{name}},  welcome back.{{/t}}</p><p>{{#t}}Not in the catalogue{{/t}}</p>");
  write("area/staff.mustache", "{{> nav}}<p>Only English</p>");
  auto set = TemplateSet::load(dir_.string(), *catalogues);
  ASSERT_TRUE(set.ok()) << set.status().to_string();
  EXPECT_EQ((*set)->render("area/page", {{"name", "Ada"}}, "cy"),
            "<a>Hafan</a><p>Helo Ada, croeso yn ôl.</p><p>Not in the catalogue</p>");
  EXPECT_EQ((*set)->render("area/page", {{"name", "Ada"}}, "en"),
            "<a>Home</a><p>Hello Ada, welcome back.</p><p>Not in the catalogue</p>");
  // A language the set does not have gives English.
  EXPECT_EQ((*set)->render("area/page", {{"name", "Ada"}}, "fr"),
            "<a>Home</a><p>Hello Ada, welcome back.</p><p>Not in the catalogue</p>");
  // Values are escaped in every language.
  EXPECT_EQ((*set)->render("area/page", {{"name", "<b>"}}, "cy"),
            "<a>Hafan</a><p>Helo &lt;b&gt;, croeso yn ôl.</p><p>Not in the catalogue</p>");
  // Only a page whose own template marks its words is a translated page; a
  // partial's words do not make it one.
  EXPECT_TRUE((*set)->translated("area/page"));
  EXPECT_FALSE((*set)->translated("area/staff"));
  EXPECT_EQ((*set)->render("area/staff", {}, "cy"), "<a>Hafan</a><p>Only English</p>");
}

TEST_F(TemplatesTest, ASectionInsideAMarkedSectionIsNamedAtLoad) {
  write("area/nested.mustache", "{{#t}}Hello {{#name}}{{name}}{{/name}}{{/t}}");
  auto set = TemplateSet::load(dir_.string());
  ASSERT_FALSE(set.ok());
  EXPECT_NE(set.status().to_string().find("nested.mustache"), std::string::npos) << set.status().to_string();
}

TEST_F(TemplatesTest, ABrokenTemplateIsNamedAtLoad) {
  write("area/broken.mustache", "{{#open}} never closed");
  auto set = TemplateSet::load(dir_.string());
  ASSERT_FALSE(set.ok());
  EXPECT_NE(set.status().to_string().find("broken.mustache"), std::string::npos);
}

TEST_F(TemplatesTest, PartialsWithinPartialsAreWrittenInAndALoopIsNamed) {
  write("partials/outer.mustache", "<{{> inner}}>");
  write("partials/inner.mustache", "{{#items}}{{.}}{{/items}}");
  write("area/page.mustache", "a{{>outer}}b{{> missing}}c");
  auto set = TemplateSet::load(dir_.string());
  ASSERT_TRUE(set.ok()) << set.status().to_string();
  EXPECT_EQ((*set)->render("area/page", {{"items", {"x", "y"}}}), "a<xy>bc");
  // Compiled once, shown many times: the same answer with other data.
  EXPECT_EQ((*set)->render("area/page", {{"items", {"z"}}}), "a<z>bc");

  write("partials/inner.mustache", "{{> outer}}");
  auto looped = TemplateSet::load(dir_.string());
  ASSERT_FALSE(looped.ok());
  EXPECT_NE(looped.status().message().find("includes itself"), std::string::npos) << looped.status().to_string();
}

TEST_F(TemplatesTest, EachThreadShowsTheSameAsTheFirst) {
  write("partials/row.mustache", "[{{n}}]");
  write("area/page.mustache", "{{#rows}}{{> row}}{{/rows}}");
  auto set = TemplateSet::load(dir_.string());
  ASSERT_TRUE(set.ok());
  nlohmann::json data = {{"rows", {{{"n", 1}}, {{"n", 2}}}}};
  std::string expected = (*set)->render("area/page", data);
  ASSERT_EQ(expected, "[1][2]");
  std::vector<std::string> seen(4);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < seen.size(); ++i)
    threads.emplace_back([&, i] {
      for (int k = 0; k < 50; ++k) seen[i] = (*set)->render("area/page", data);
    });
  for (auto& t : threads) t.join();
  for (const auto& s : seen) EXPECT_EQ(s, expected);
  // A set loaded later is never shown with the first set's compiled pages.
  write("partials/row.mustache", "({{n}})");
  auto later = TemplateSet::load(dir_.string());
  ASSERT_TRUE(later.ok());
  EXPECT_EQ((*later)->render("area/page", data), "(1)(2)");
}

TEST(ProjectTemplates, AllParse) {
  const char* src = std::getenv("COPRODUCE_SOURCE_DIR");
  ASSERT_NE(src, nullptr);
  auto set = TemplateSet::load(std::string(src) + "/templates");
  ASSERT_TRUE(set.ok()) << set.status().to_string();
  for (const char* name : {"layout", "errors/error", "account/sign_in", "public/home"}) {
    EXPECT_TRUE((*set)->has(name)) << name;
  }
}

// Every chart partial renders what its report builder gives it: an image
// labelled by its title and description, the text escaped by the template,
// and the values placed. A partial that did not parse, or named a key the
// builder does not give, would fail here.
TEST(ProjectTemplates, ChartPartialsRenderTheirBuildersData) {
  const char* src = std::getenv("COPRODUCE_SOURCE_DIR");
  ASSERT_NE(src, nullptr);
  auto set = TemplateSet::load(std::string(src) + "/templates");
  ASSERT_TRUE(set.ok()) << set.status().to_string();

  report::BarChart bars{"chart-bars", "Fish & chips", "D", {}};
  bars.bars.push_back({"Yes", 0.5, ""});
  report::BenchmarkBarChart benchmark{"chart-benchmark", "Fish & chips", "D", {}};
  benchmark.bars.push_back({"Female", 0.6, "", 0.51, ""});
  report::ColumnChart columns{"chart-columns", "Fish & chips", "D", "Tenths", {}};
  columns.columns.push_back({"1st", 0.35, ""});
  columns.reference = 0.1;
  report::StackedBarChart stacked{"chart-stacked", "Fish & chips", "D", {"Informing", "Co-producing"}, {}};
  stacked.bars.push_back({"Carers <Board>", {0.2, 0.4}, ""});
  report::LineChart line{"chart-line", "Fish & chips", "D", report::Unit::kCount};
  line.series.push_back({"Carers <Board>", {{"2026-01", 4}, {"2026-02", 6}, {"2026-03", std::nullopt}}});
  line.series.push_back({"Staff", {{"2026-01", 2}, {"2026-03", 3}}});
  line.target = report::ChartTarget{12, "2026-04", "Target"};
  line.baseline = report::ChartTarget{3, "2026-01", "Baseline"};
  report::TornadoChart tornado{"chart-tornado", "Fish & chips", "D", report::Unit::kMoney, 100'000};
  tornado.rows.push_back({"Carers <Board>: value per unit", "£10,000 to £16,000", -50'000, 250'000});
  report::TheoryOfChange toc{"chart-toc", "Fish & chips", "D"};
  toc.boxes = {{"a", report::Stage::kInputs, "Carers <Board> time"}, {"b", report::Stage::kImpact, "Better wellbeing"}};
  toc.links = {{"a", "b"}};

  struct Case {
    const char* partial;
    nlohmann::json data;
    std::vector<std::string> shows;  // in the rendered SVG
  };
  const std::vector<Case> cases = {
      {"bar_chart", report::bar_chart_json(bars), {"width=\"240.0\" height=\"22\""}},
      {"benchmark_bar_chart",
       report::benchmark_bar_chart_json(benchmark),
       {"width=\"240.0\" height=\"18\"", "width=\"204.0\" height=\"17\""}},
      {"column_chart", report::column_chart_json(columns), {"height=\"175.0\"", "stroke-dasharray=\"6 4\""}},
      {"stacked_bar_chart",
       report::stacked_bar_chart_json(stacked),
       {"Carers &lt;Board&gt;", ">Informing</text>", "fill=\"#ffffff\">20.0%</text>", ">60.0%</text>"}},
      {"line_chart",
       report::line_chart_json(line),
       {"Carers &lt;Board&gt;", "stroke-dasharray=\"none\"", "stroke-dasharray=\"8 4\"", ">Target: 12 by Apr 2026<",
        ">Baseline: 3 in Jan 2026<", ">Jan 2026</text>"}},
      {"tornado_chart",
       report::tornado_chart_json(tornado),
       {"Carers &lt;Board&gt;: value per unit", "(£10,000 to £16,000)", ">-£500</text>", ">£2,500</text>",
        ">Central estimate: £1,000</text>"}},
      {"theory_of_change",
       report::theory_of_change_json(toc),
       {">Carers &lt;Board&gt; time</text>", "marker-end=\"url(#chart-toc-arrow)\"", "<li><strong>Inputs</strong>",
        "Carers &lt;Board&gt; time, which leads to:", "<li>Better wellbeing (Impact)</li>"}},
  };
  for (const Case& c : cases) {
    std::string out = (*set)->render("partials/" + std::string(c.partial), c.data);
    std::string id = c.data["c_id"];
    EXPECT_NE(out.find("role=\"img\" aria-labelledby=\"" + id + "-title " + id + "-desc\""), std::string::npos)
        << c.partial;
    EXPECT_NE(out.find("<title id=\"" + id + "-title\">Fish &amp; chips</title>"), std::string::npos) << c.partial;
    EXPECT_NE(out.find("<desc id=\"" + id + "-desc\">D</desc>"), std::string::npos) << c.partial;
    EXPECT_EQ(out.find("=\"\""), std::string::npos) << c.partial << ": an attribute with no value\n" << out;
    for (const std::string& s : c.shows) {
      EXPECT_NE(out.find(s), std::string::npos) << c.partial << ": " << s << "\n" << out;
    }
  }
}

TEST(ProjectTemplates, DataTableSetsRowHeadersAndFigures) {
  const char* src = std::getenv("COPRODUCE_SOURCE_DIR");
  ASSERT_NE(src, nullptr);
  auto set = TemplateSet::load(std::string(src) + "/templates");
  ASSERT_TRUE(set.ok()) << set.status().to_string();
  report::Table t{"tenths", "Places <by> tenth", {"Tenth", "Share"}, {{"1st", "35.0%"}}, true, {1}};
  std::string out = (*set)->render("partials/data_table", report::table_json(t));
  EXPECT_NE(out.find("id=\"tenths-caption\">Places &lt;by&gt; tenth</caption>"), std::string::npos) << out;
  EXPECT_NE(out.find("<th scope=\"col\" class=\"govuk-table__header govuk-table__header--numeric\">Share</th>"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("<th scope=\"row\" class=\"govuk-table__header\">1st</th><td class=\"govuk-table__cell "
                     "govuk-table__cell--numeric\">35.0%</td>"),
            std::string::npos)
      << out;
  // Without them, plain cells as before.
  t.row_headers = false;
  t.numeric_columns.clear();
  out = (*set)->render("partials/data_table", report::table_json(t));
  EXPECT_NE(out.find("<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\">1st</td><td "
                     "class=\"govuk-table__cell\">35.0%</td></tr>"),
            std::string::npos)
      << out;
}

}  // namespace
}  // namespace coproduce::web
