#include "learning/content.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "involvement/groups.h"
#include "learning/markdown.h"
#include "learning/test_support.h"

namespace coproduce::learning {

std::string_view starter_module_document();

namespace {

using nlohmann::json;

using test_support::NameOf;

// A small valid module each validation case changes one thing in.
ModuleContent small_module() {
  ModuleContent m;
  m.title = "Listening well";
  m.summary = "How to listen to the people you support.";
  m.outcomes = {"Listen without interrupting", "Check you have understood"};
  m.role_categories = {"care_worker"};
  m.standards = {"6"};
  m.delivery = "elearning";
  m.minutes = 20;
  m.refresh_months = 12;
  m.pages = {{"Why listening matters", "# Listening\n\nIt *matters*."}, {"How to listen", "- Look\n- Wait"}};
  m.easy_read = {{"Listening", "Listening is important."}};
  m.questions = {
      {"Which is listening?", false, {{"Waiting for them to finish", true, "Yes"}, {"Talking over them", false, "No"}}},
      {"Which help? Choose all.",
       true,
       {{"Eye contact", true, "Yes"}, {"Checking back", true, "Yes"}, {"Looking at your phone", false, "No"}}},
  };
  m.pass_mark = 80;
  return m;
}

// ---- The starter module -------------------------------------------------

TEST(ContentStarter, IsValidAndComplete) {
  const ModuleContent& m = starter_module();
  EXPECT_TRUE(validate(m).empty());
  EXPECT_EQ(m.title, "Working in co-production");
  EXPECT_GE(m.pages.size(), 5u);
  EXPECT_LE(m.pages.size(), 7u);
  EXPECT_GE(m.outcomes.size(), 3u);
  EXPECT_LE(m.outcomes.size(), 5u);
  EXPECT_TRUE(m.role_categories.empty()) << "the starter module is for every role";
  EXPECT_EQ(m.standards, (std::vector<std::string>{"1", "4", "5", "6", "7"}));
  EXPECT_EQ(m.delivery, "elearning");
  EXPECT_EQ(m.refresh_months, 24);
  EXPECT_EQ(m.pass_mark, 80);
}

TEST(ContentStarter, KnowledgeCheckHasEightOrMoreMixedQuestionsWithFeedback) {
  const ModuleContent& m = starter_module();
  ASSERT_GE(m.questions.size(), 8u);
  int single = 0, multiple = 0;
  for (size_t i = 0; i < m.questions.size(); ++i) {
    (m.questions[i].multiple ? multiple : single)++;
    for (const auto& o : m.questions[i].options) {
      EXPECT_FALSE(o.feedback.empty()) << "question " << i + 1 << ", option '" << o.text << "' has no feedback";
    }
  }
  EXPECT_GT(single, 0);
  EXPECT_GT(multiple, 0);
}

TEST(ContentStarter, HasEasyReadPages) {
  const ModuleContent& m = starter_module();
  ASSERT_GE(m.easy_read.size(), 3u);
  for (const auto& p : m.easy_read) {
    EXPECT_FALSE(p.title.empty());
    EXPECT_FALSE(p.body.empty());
  }
}

TEST(ContentStarter, PagesAreMarkdownWithoutRawHtml) {
  const ModuleContent& m = starter_module();
  std::vector<const ContentPage*> all;
  for (const auto& p : m.pages) all.push_back(&p);
  for (const auto& p : m.easy_read) all.push_back(&p);
  for (const ContentPage* p : all) {
    std::string html = render_markdown(p->body);
    EXPECT_EQ(html.find("raw HTML omitted"), std::string::npos) << p->title;
    EXPECT_EQ(html.find("<h1"), std::string::npos) << p->title << ": a page's own title is its only h1";
  }
}

TEST(ContentStarter, LadderPageNamesEveryRungInOrder) {
  const ModuleContent& m = starter_module();
  const ContentPage* ladder = nullptr;
  for (const auto& p : m.pages)
    if (p.title.find("ladder") != std::string::npos) ladder = &p;
  ASSERT_NE(ladder, nullptr);
  size_t from = 0;
  for (const auto& [code, label] : involvement::ladder_rungs()) {
    size_t at = ladder->body.find("**" + label + ".**", from);
    EXPECT_NE(at, std::string::npos) << "rung " << label << " is missing or out of order";
    if (at != std::string::npos) from = at;
  }
}

TEST(ContentStarter, EmbeddedFileIsInTheLayoutContentJsonWrites) {
  json file = json::parse(starter_module_document());
  EXPECT_EQ(content_json(starter_module()), file);
}

// The starter module in Welsh: every page, Easy Read page, question and
// option in Welsh, the right answers the module's own.
TEST(ContentStarter, HasAWholeWelshTranslation) {
  const ModuleContent& s = starter_module();
  ASSERT_TRUE(s.translations.count("cy"));
  std::string words;
  const ModuleContent cy = in_language(s, "cy", &words);
  EXPECT_EQ(words, "cy");
  EXPECT_NE(cy.title, s.title);
  ASSERT_EQ(cy.pages.size(), s.pages.size());
  for (size_t i = 0; i < s.pages.size(); ++i) EXPECT_NE(cy.pages[i].body, s.pages[i].body) << "page " << i + 1;
  ASSERT_EQ(cy.easy_read.size(), s.easy_read.size());
  for (size_t i = 0; i < s.easy_read.size(); ++i) EXPECT_NE(cy.easy_read[i].body, s.easy_read[i].body);
  ASSERT_EQ(cy.questions.size(), s.questions.size());
  for (size_t q = 0; q < s.questions.size(); ++q) {
    EXPECT_NE(cy.questions[q].text, s.questions[q].text);
    for (size_t o = 0; o < s.questions[q].options.size(); ++o) {
      EXPECT_EQ(cy.questions[q].options[o].correct, s.questions[q].options[o].correct);
    }
  }
  // A language it has no translation into: its own words, in English.
  EXPECT_EQ(in_language(s, "fr", &words).title, s.title);
  EXPECT_EQ(words, "en");
}

// ---- JSON ----------------------------------------------------------------

TEST(ContentJson, RoundTrips) {
  ModuleContent m = small_module();
  for (std::optional<int> refresh : {std::optional<int>(12), std::optional<int>()}) {
    m.refresh_months = refresh;
    auto back = content_from_json(content_json(m));
    ASSERT_TRUE(back.ok()) << back.status().to_string();
    EXPECT_EQ(content_json(*back), content_json(m));
    EXPECT_EQ(back->refresh_months, refresh);
    EXPECT_EQ(back->questions[1].options[2].text, "Looking at your phone");
    EXPECT_TRUE(back->questions[1].multiple);
  }
}

// A translation goes out and back; one that leaves out a page, an option
// or a key the module has is refused, naming where.
TEST(ContentJson, TranslationsRoundTripAndKeepEveryPart) {
  ModuleContent m = small_module();
  ModuleContent cy = m;
  cy.title = "Gwrando'n dda";
  cy.summary = "Sut i wrando ar y bobl rydych chi'n eu cefnogi.";
  cy.pages[0].body = "# Gwrando\n\nMae'n *bwysig*.";
  cy.questions[0].options[0].text = "Aros iddyn nhw orffen";
  m.translations["cy"] = cy;
  json j = content_json(m);
  auto back = content_from_json(j);
  ASSERT_TRUE(back.ok()) << back.status().to_string();
  EXPECT_EQ(content_json(*back), j);
  const ModuleContent words = in_language(*back, "cy");
  EXPECT_EQ(words.title, "Gwrando'n dda");
  EXPECT_EQ(words.questions[0].options[0].text, "Aros iddyn nhw orffen");
  EXPECT_TRUE(words.questions[0].options[0].correct);
  EXPECT_EQ(words.minutes, m.minutes);

  json fewer = j;
  fewer["translations"]["cy"]["pages"].erase(1);
  auto refused = content_from_json(fewer);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().where().field, "translations.cy.pages");
  json options = j;
  options["translations"]["cy"]["questions"][1]["options"].erase(0);
  refused = content_from_json(options);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().where().field, "translations.cy.questions.1.options");
  json right = j;
  right["translations"]["cy"]["questions"][0]["options"][0]["correct"] = false;
  refused = content_from_json(right);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().where().field, "translations.cy.questions.0.options.0.correct");
  json english = j;
  english["translations"]["en"] = english["translations"]["cy"];
  refused = content_from_json(english);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().where().field, "translations.en");
}

TEST(ContentJson, OptionalKeysTakeTheirDefaults) {
  json j = {{"title", "T"}, {"summary", "S"}, {"delivery", "live"}, {"minutes", 60}};
  auto m = content_from_json(j);
  ASSERT_TRUE(m.ok()) << m.status().to_string();
  EXPECT_EQ(m->pass_mark, 80);
  EXPECT_FALSE(m->refresh_months.has_value());
  EXPECT_TRUE(m->pages.empty());
  EXPECT_TRUE(m->questions.empty());
}

struct ShapeCase {
  std::string name;
  std::function<void(json&)> change;
  std::string field;  // the key the error must name
};

class ContentJsonShape : public ::testing::TestWithParam<ShapeCase> {};

TEST_P(ContentJsonShape, NamesTheKey) {
  json j = content_json(small_module());
  GetParam().change(j);
  auto m = content_from_json(j);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(m.status().where().field, GetParam().field) << m.status().to_string();
  EXPECT_FALSE(m.status().message().empty());
}

INSTANTIATE_TEST_SUITE_P(
    Content, ContentJsonShape,
    ::testing::Values(
        ShapeCase{"title_missing", [](json& j) { j.erase("title"); }, "title"},
        ShapeCase{"title_not_text", [](json& j) { j["title"] = 5; }, "title"},
        ShapeCase{"minutes_missing", [](json& j) { j.erase("minutes"); }, "minutes"},
        ShapeCase{"minutes_fraction", [](json& j) { j["minutes"] = 4.5; }, "minutes"},
        ShapeCase{"minutes_as_text", [](json& j) { j["minutes"] = "45"; }, "minutes"},
        ShapeCase{"minutes_huge", [](json& j) { j["minutes"] = 99999999999ULL; }, "minutes"},
        ShapeCase{"outcomes_not_list", [](json& j) { j["outcomes"] = "Listen"; }, "outcomes"},
        ShapeCase{"outcome_not_text", [](json& j) { j["outcomes"][1] = 3; }, "outcomes.1"},
        ShapeCase{"unknown_key", [](json& j) { j["titel"] = "x"; }, "titel"},
        ShapeCase{"page_not_object", [](json& j) { j["pages"][1] = "text"; }, "pages.1"},
        ShapeCase{"page_body_missing", [](json& j) { j["pages"][1].erase("body"); }, "pages.1.body"},
        ShapeCase{"easy_read_title_not_text", [](json& j) { j["easy_read"][0]["title"] = json::array(); },
                  "easy_read.0.title"},
        ShapeCase{"options_not_list", [](json& j) { j["questions"][1]["options"] = "a, b"; }, "questions.1.options"},
        ShapeCase{"correct_not_bool", [](json& j) { j["questions"][0]["options"][1]["correct"] = "yes"; },
                  "questions.0.options.1.correct"},
        ShapeCase{"option_unknown_key", [](json& j) { j["questions"][0]["options"][0]["right"] = true; },
                  "questions.0.options.0.right"},
        ShapeCase{"multiple_not_bool", [](json& j) { j["questions"][1]["multiple"] = 1; }, "questions.1.multiple"},
        // Well-formed but breaking a rule: validate() names the field.
        ShapeCase{"valid_shape_bad_rule", [](json& j) { j["questions"][1]["options"] = json::array(); },
                  "questions.1.options"},
        ShapeCase{"refresh_out_of_range", [](json& j) { j["refresh_months"] = 0; }, "refresh_months"}),
    NameOf());

TEST(ContentJson, NotAnObject) {
  auto m = content_from_json(json::array());
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), StatusCode::kInvalidInput);
}

// ---- Validation ------------------------------------------------------------

struct RuleCase {
  std::string name;
  std::function<void(ModuleContent&)> change;
  std::string field;  // empty: the change is valid
  Problem kind = Problem::kInvalid;
};

class ContentValidate : public ::testing::TestWithParam<RuleCase> {};

TEST_P(ContentValidate, ReportsTheFieldAndKind) {
  ModuleContent m = small_module();
  GetParam().change(m);
  std::vector<FieldError> errors = validate(m);
  if (GetParam().field.empty()) {
    EXPECT_TRUE(errors.empty()) << errors.front().field << ": " << errors.front().message;
    return;
  }
  ASSERT_EQ(errors.size(), 1u) << (errors.empty() ? "no error" : errors[0].field + ", " + errors[1].field);
  EXPECT_EQ(errors[0].field, GetParam().field);
  EXPECT_EQ(errors[0].kind, GetParam().kind) << errors[0].message;
  EXPECT_FALSE(errors[0].message.empty());
}

std::string chars(size_t n, const std::string& c = "a") {
  std::string s;
  for (size_t i = 0; i < n; ++i) s += c;
  return s;
}

INSTANTIATE_TEST_SUITE_P(
    Content, ContentValidate,
    ::testing::Values(
        RuleCase{"small_module_is_valid", [](ModuleContent&) {}, ""},
        RuleCase{"title_empty", [](ModuleContent& m) { m.title = ""; }, "title", Problem::kMissing},
        RuleCase{"title_blank", [](ModuleContent& m) { m.title = "  \n"; }, "title", Problem::kMissing},
        RuleCase{"title_200", [](ModuleContent& m) { m.title = chars(200); }, ""},
        RuleCase{"title_200_accented_counts_characters", [](ModuleContent& m) { m.title = chars(200, "\xC3\xA9"); },
                 ""},
        RuleCase{"title_201", [](ModuleContent& m) { m.title = chars(201); }, "title", Problem::kTooLong},
        RuleCase{"summary_empty", [](ModuleContent& m) { m.summary = ""; }, "summary", Problem::kMissing},
        RuleCase{"summary_1001", [](ModuleContent& m) { m.summary = chars(1001); }, "summary", Problem::kTooLong},
        RuleCase{"outcome_empty", [](ModuleContent& m) { m.outcomes[1] = ""; }, "outcomes.1", Problem::kMissing},
        RuleCase{"outcome_301", [](ModuleContent& m) { m.outcomes[0] = chars(301); }, "outcomes.0",
                 Problem::kTooLong},
        RuleCase{"role_unknown", [](ModuleContent& m) { m.role_categories = {"cook"}; }, "role_categories",
                 Problem::kUnknownCode},
        RuleCase{"roles_every", [](ModuleContent& m) { m.role_categories.clear(); }, ""},
        RuleCase{"standard_17", [](ModuleContent& m) { m.standards = {"17"}; }, "standards", Problem::kUnknownCode},
        RuleCase{"standard_twice", [](ModuleContent& m) { m.standards = {"4", "4"}; }, "standards",
                 Problem::kDuplicate},
        RuleCase{"delivery_empty", [](ModuleContent& m) { m.delivery = ""; }, "delivery", Problem::kMissing},
        RuleCase{"delivery_unknown", [](ModuleContent& m) { m.delivery = "podcast"; }, "delivery",
                 Problem::kUnknownCode},
        RuleCase{"live_needs_no_pages", [](ModuleContent& m) { m.delivery = "live"; m.pages.clear(); }, ""},
        RuleCase{"elearning_needs_pages", [](ModuleContent& m) { m.pages.clear(); }, "pages", Problem::kMissing},
        RuleCase{"minutes_0", [](ModuleContent& m) { m.minutes = 0; }, "minutes", Problem::kOutOfRange},
        RuleCase{"minutes_1", [](ModuleContent& m) { m.minutes = 1; }, ""},
        RuleCase{"minutes_1440", [](ModuleContent& m) { m.minutes = 1440; }, ""},
        RuleCase{"minutes_1441", [](ModuleContent& m) { m.minutes = 1441; }, "minutes", Problem::kOutOfRange},
        RuleCase{"refresh_never", [](ModuleContent& m) { m.refresh_months.reset(); }, ""},
        RuleCase{"refresh_0", [](ModuleContent& m) { m.refresh_months = 0; }, "refresh_months",
                 Problem::kOutOfRange},
        RuleCase{"refresh_121", [](ModuleContent& m) { m.refresh_months = 121; }, "refresh_months",
                 Problem::kOutOfRange},
        RuleCase{"page_title_empty", [](ModuleContent& m) { m.pages[1].title = ""; }, "pages.1.title",
                 Problem::kMissing},
        RuleCase{"page_title_201", [](ModuleContent& m) { m.pages[0].title = chars(201); }, "pages.0.title",
                 Problem::kTooLong},
        RuleCase{"page_body_empty", [](ModuleContent& m) { m.pages[0].body = ""; }, "pages.0.body",
                 Problem::kMissing},
        RuleCase{"page_body_50000", [](ModuleContent& m) { m.pages[0].body = chars(50000); }, ""},
        RuleCase{"page_body_50001", [](ModuleContent& m) { m.pages[0].body = chars(50001); }, "pages.0.body",
                 Problem::kTooLong},
        RuleCase{"easy_read_body_empty", [](ModuleContent& m) { m.easy_read[0].body = " "; }, "easy_read.0.body",
                 Problem::kMissing},
        RuleCase{"question_text_empty", [](ModuleContent& m) { m.questions[1].text = ""; }, "questions.1.text",
                 Problem::kMissing},
        RuleCase{"question_text_1001", [](ModuleContent& m) { m.questions[0].text = chars(1001); },
                 "questions.0.text", Problem::kTooLong},
        RuleCase{"one_option", [](ModuleContent& m) { m.questions[0].options.pop_back(); }, "questions.0.options",
                 Problem::kMissing},
        RuleCase{"single_two_correct", [](ModuleContent& m) { m.questions[0].options[1].correct = true; },
                 "questions.0.options", Problem::kInvalid},
        RuleCase{"single_none_correct", [](ModuleContent& m) { m.questions[0].options[0].correct = false; },
                 "questions.0.options", Problem::kInvalid},
        RuleCase{"multiple_none_correct",
                 [](ModuleContent& m) {
                   for (auto& o : m.questions[1].options) o.correct = false;
                 },
                 "questions.1.options", Problem::kInvalid},
        RuleCase{"multiple_all_correct",
                 [](ModuleContent& m) {
                   for (auto& o : m.questions[1].options) o.correct = true;
                 },
                 ""},
        RuleCase{"option_text_empty", [](ModuleContent& m) { m.questions[1].options[2].text = ""; },
                 "questions.1.options.2.text", Problem::kMissing},
        RuleCase{"no_questions", [](ModuleContent& m) { m.questions.clear(); }, ""},
        RuleCase{"pass_mark_0", [](ModuleContent& m) { m.pass_mark = 0; }, "pass_mark", Problem::kOutOfRange},
        RuleCase{"pass_mark_100", [](ModuleContent& m) { m.pass_mark = 100; }, ""},
        RuleCase{"pass_mark_101", [](ModuleContent& m) { m.pass_mark = 101; }, "pass_mark", Problem::kOutOfRange}),
    NameOf());

// ---- Marking ---------------------------------------------------------------

// Ten single-choice questions whose right answer is option 0.
ModuleContent ten_questions(int pass_mark) {
  ModuleContent m = small_module();
  m.pass_mark = pass_mark;
  m.questions.clear();
  for (int i = 0; i < 10; ++i) {
    m.questions.push_back(
        {"Question " + std::to_string(i + 1),
         false,
         {{"Right", true, "right " + std::to_string(i)}, {"Wrong", false, "wrong " + std::to_string(i)}}});
  }
  return m;
}

struct PassCase {
  int wrong;
  int percent;
  bool passed;
};

class ContentMarkPass : public ::testing::TestWithParam<PassCase> {};

TEST_P(ContentMarkPass, PassesByThePassMark) {
  ModuleContent m = ten_questions(80);
  Answers answers(10, std::vector<int>{0});
  for (int i = 0; i < GetParam().wrong; ++i) answers[static_cast<size_t>(i)] = {1};
  auto r = mark(m, answers);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->total, 10);
  EXPECT_EQ(r->correct, 10 - GetParam().wrong);
  EXPECT_EQ(r->percent, GetParam().percent);
  EXPECT_EQ(r->passed, GetParam().passed);
  ASSERT_EQ(r->questions.size(), 10u);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(r->questions[static_cast<size_t>(i)].correct, i >= GetParam().wrong);
}

INSTANTIATE_TEST_SUITE_P(Content, ContentMarkPass,
                         ::testing::Values(PassCase{0, 100, true}, PassCase{1, 90, true}, PassCase{2, 80, true},
                                           PassCase{3, 70, false}, PassCase{10, 0, false}));

TEST(ContentMark, RoundsDownAndCompares) {
  ModuleContent m = ten_questions(67);
  m.questions.resize(3);
  auto r = mark(m, {{0}, {0}, {1}});  // 2 of 3: 66.7%
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->percent, 66);
  EXPECT_FALSE(r->passed);
}

TEST(ContentMark, FeedbackOfEachChosenOptionInOptionOrder) {
  ModuleContent m = small_module();
  auto r = mark(m, {{1}, {2, 0}});
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->questions[0].feedback, (std::vector<std::string>{"No"}));
  EXPECT_EQ(r->questions[1].chosen, (std::vector<int>{0, 2}));
  EXPECT_EQ(r->questions[1].feedback, (std::vector<std::string>{"Yes", "No"}));
}

struct MultipleCase {
  std::vector<int> chosen;
  bool correct;
};

class ContentMarkMultiple : public ::testing::TestWithParam<MultipleCase> {};

TEST_P(ContentMarkMultiple, RightOnlyWhenExactlyTheCorrectOptions) {
  // Question 2 of small_module: options 0 and 1 are correct, 2 is not.
  auto r = mark(small_module(), {{0}, GetParam().chosen});
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->questions[1].correct, GetParam().correct);
}

INSTANTIATE_TEST_SUITE_P(Content, ContentMarkMultiple,
                         ::testing::Values(MultipleCase{{0, 1}, true}, MultipleCase{{1, 0}, true},
                                           MultipleCase{{0}, false}, MultipleCase{{1}, false},
                                           MultipleCase{{0, 1, 2}, false}, MultipleCase{{2}, false}));

struct BadAnswersCase {
  std::string name;
  Answers answers;
  std::string field;
};

class ContentMarkInvalid : public ::testing::TestWithParam<BadAnswersCase> {};

TEST_P(ContentMarkInvalid, NamesTheQuestion) {
  auto r = mark(small_module(), GetParam().answers);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(r.status().where().field, GetParam().field) << r.status().to_string();
}

INSTANTIATE_TEST_SUITE_P(Content, ContentMarkInvalid,
                         ::testing::Values(BadAnswersCase{"none_at_all", {}, "question-1"},
                                           BadAnswersCase{"second_missing", {{0}}, "question-2"},
                                           BadAnswersCase{"no_choice", {{0}, {}}, "question-2"},
                                           BadAnswersCase{"two_for_single", {{0, 1}, {0}}, "question-1"},
                                           BadAnswersCase{"negative_index", {{-1}, {0}}, "question-1"},
                                           BadAnswersCase{"index_past_end", {{0}, {0, 3}}, "question-2"},
                                           BadAnswersCase{"chosen_twice", {{0}, {1, 1}}, "question-2"},
                                           BadAnswersCase{"extra_answer", {{0}, {0}, {0}}, "question-3"}),
                         NameOf());

TEST(ContentMark, StarterModuleAllRightPasses) {
  const ModuleContent& m = starter_module();
  auto r = mark(m, test_support::right_answers(m));
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->percent, 100);
  EXPECT_TRUE(r->passed);
}

// ---- Markdown --------------------------------------------------------------

struct AbsentCase {
  std::string name;
  std::string markdown;
  std::string absent;   // must not appear in the HTML
  std::string present;  // must appear (empty: nothing required)
};

class MarkdownSafe : public ::testing::TestWithParam<AbsentCase> {};

TEST_P(MarkdownSafe, DropsWhatIsUnsafe) {
  std::string html = render_markdown(GetParam().markdown);
  EXPECT_EQ(html.find(GetParam().absent), std::string::npos) << html;
  if (!GetParam().present.empty()) {
    EXPECT_NE(html.find(GetParam().present), std::string::npos) << html;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Markdown, MarkdownSafe,
    ::testing::Values(AbsentCase{"script_block", "<script>alert(1)</script>\n\nHello", "<script", "<p>Hello</p>"},
                      AbsentCase{"script_inline", "Hi <script>alert(1)</script> there", "<script", "Hi "},
                      AbsentCase{"onclick_block", "<b onclick=\"steal()\">bold</b>", "onclick", ""},
                      AbsentCase{"onclick_inline", "Some <b onclick=\"steal()\">bold</b> text", "<b", "text"},
                      AbsentCase{"javascript_link", "[x](javascript:alert(1))", "javascript:", "<a href=\"\">x</a>"},
                      AbsentCase{"javascript_upper", "[x](JavaScript:alert(1))", "alert", ">x</a>"},
                      AbsentCase{"vbscript_link", "[x](vbscript:msgbox)", "vbscript:", ">x</a>"},
                      AbsentCase{"file_link", "[x](file:///etc/passwd)", "file:", ">x</a>"},
                      AbsentCase{"data_html_link", "[x](data:text/html;base64,PHNjcmlwdD4=)", "data:", ">x</a>"},
                      AbsentCase{"javascript_image", "![pic](javascript:alert(1))", "javascript:", "alt=\"pic\""},
                      AbsentCase{"safe_link_kept", "[SCIE](https://www.scie.org.uk/)", "raw HTML",
                                 "<a href=\"https://www.scie.org.uk/\">SCIE</a>"},
                      AbsentCase{"text_is_escaped", "Tom & Jerry < 3", "Jerry < 3", "Tom &amp; Jerry &lt; 3"},
                      AbsentCase{"quotes_kept_as_typed", "She said \"yes\" -- it's fine", "\xE2\x80\x9C",
                                 "&quot;yes&quot; -- it's fine"}),
    NameOf());

TEST(MarkdownImage, KeepsAltText) {
  std::string html = render_markdown("![A carer and a resident talking](img.png)");
  EXPECT_NE(html.find("alt=\"A carer and a resident talking\""), std::string::npos) << html;
  EXPECT_NE(html.find("src=\"img.png\""), std::string::npos) << html;
}

struct HeadingCase {
  std::string markdown;
  int offset;
  std::string tag;
};

class MarkdownHeading : public ::testing::TestWithParam<HeadingCase> {};

TEST_P(MarkdownHeading, ShiftedByTheOffset) {
  std::string html = render_markdown(GetParam().markdown, GetParam().offset);
  EXPECT_NE(html.find("<" + GetParam().tag + ">"), std::string::npos) << html;
  EXPECT_NE(html.find("</" + GetParam().tag + ">"), std::string::npos) << html;
}

INSTANTIATE_TEST_SUITE_P(Markdown, MarkdownHeading,
                         ::testing::Values(HeadingCase{"# Title", 0, "h1"}, HeadingCase{"# Title", 1, "h2"},
                                           HeadingCase{"## Part", 1, "h3"}, HeadingCase{"# Title", 3, "h4"},
                                           HeadingCase{"##### Deep", 1, "h6"}, HeadingCase{"###### Deepest", 1, "h6"},
                                           HeadingCase{"# Title", 100, "h6"}, HeadingCase{"### Part", -1, "h2"},
                                           HeadingCase{"## Part", -5, "h1"}, HeadingCase{"Title\n===", 2, "h3"}));

TEST(MarkdownHeadingDefault, OffsetOfOneByDefault) {
  std::string html = render_markdown("# Title\n\ntext\n\n## Part");
  EXPECT_EQ(html, "<h2>Title</h2>\n<p>text</p>\n<h3>Part</h3>\n");
}

TEST(MarkdownRender, EmptyInputGivesEmptyOutput) { EXPECT_EQ(render_markdown(""), ""); }

}  // namespace
}  // namespace coproduce::learning
