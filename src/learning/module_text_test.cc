#include "learning/module_text.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "learning/test_support.h"

namespace coproduce::learning {
namespace {

using nlohmann::json;

using test_support::NameOf;

// Parts of a module as JSON, so a mismatch prints what differs.
json pages_json(const std::vector<ContentPage>& pages) {
  ModuleContent m;
  m.pages = pages;
  return content_json(m)["pages"];
}

json questions_json(const std::vector<Question>& questions) {
  ModuleContent m;
  m.questions = questions;
  return content_json(m)["questions"];
}

// The N of a message "Line N: ...", or 0 when it names no line.
int line_of(const FieldError& e) {
  if (e.message.rfind("Line ", 0) != 0) return 0;
  return std::stoi(e.message.substr(5));
}

std::string describe(const std::vector<FieldError>& errors) {
  std::string out;
  for (const auto& e : errors) out += "\n  " + e.field + ": " + e.message;
  return out;
}

// Writes `pages` as text and reads it back as `field` ("pages" or
// "easy_read"), expecting no problems and the same pages. Gives back the
// pages read.
std::vector<ContentPage> pages_round_trip(const std::vector<ContentPage>& pages, const std::string& field = "pages") {
  const std::string text = pages_text(pages);
  auto back = pages_from_text(text, field);
  EXPECT_TRUE(back.problems.empty()) << describe(back.problems) << "\n" << text;
  EXPECT_EQ(pages_json(back.value), pages_json(pages)) << text;
  return back.value;
}

// The same for a knowledge check's questions.
std::vector<Question> questions_round_trip(const std::vector<Question>& questions) {
  const std::string text = questions_text(questions);
  auto back = questions_from_text(text);
  EXPECT_TRUE(back.problems.empty()) << describe(back.problems) << "\n" << text;
  EXPECT_EQ(questions_json(back.value), questions_json(questions)) << text;
  return back.value;
}

// ---- The starter module round trip ----------------------------------------------------------

TEST(ModuleTextStarter, PagesRoundTrip) {
  const ModuleContent& s = starter_module();
  EXPECT_EQ(pages_text(pages_round_trip(s.pages)), pages_text(s.pages));
}

TEST(ModuleTextStarter, PageHeadingsAreOneLevelDownInTheText) {
  std::string text = pages_text(starter_module().pages);
  EXPECT_EQ(text.rfind("# What co-production is\n\n## A definition\n", 0), 0u) << text.substr(0, 200);
  size_t titles = 0;
  for (size_t at = 0; (at = text.find("\n# ", at)) != std::string::npos; ++at) ++titles;
  EXPECT_EQ(titles + 1, starter_module().pages.size()) << "only page titles are level-1 headings";
}

TEST(ModuleTextStarter, EasyReadRoundTrips) { pages_round_trip(starter_module().easy_read, "easy_read"); }

TEST(ModuleTextStarter, QuestionsRoundTrip) {
  const ModuleContent& s = starter_module();
  EXPECT_EQ(questions_text(questions_round_trip(s.questions)), questions_text(s.questions));
}

TEST(ModuleTextStarter, QuestionsReadAsALearningLeadWouldWriteThem) {
  std::string text = questions_text(starter_module().questions);
  EXPECT_EQ(text.rfind("? Which of these best describes co-production?\n"
                       "* People who draw on care, unpaid carers and staff work together",
                       0),
            0u)
      << text.substr(0, 300);
  EXPECT_NE(
      text.find("\n\n?? What are the four principles of co-production? Choose all that apply.\n* Equality | Right."),
      std::string::npos);
}

TEST(ModuleTextStarter, OutcomesRoundTrip) {
  const ModuleContent& s = starter_module();
  auto back = outcomes_from_text(outcomes_text(s.outcomes));
  EXPECT_TRUE(back.problems.empty());
  EXPECT_EQ(back.value, s.outcomes);
}

TEST(ModuleTextStarter, ReadBackItIsStillValid) {
  ModuleContent m = starter_module();
  m.pages = pages_from_text(pages_text(m.pages), "pages").value;
  m.easy_read = pages_from_text(pages_text(m.easy_read), "easy_read").value;
  m.questions = questions_from_text(questions_text(m.questions)).value;
  m.outcomes = outcomes_from_text(outcomes_text(m.outcomes)).value;
  EXPECT_TRUE(validate(m).empty()) << describe(validate(m));
  EXPECT_EQ(content_json(m), content_json(starter_module()));
}

// ---- Round trips of awkward content ---------------------------------------------------------

template <typename Item>
struct RoundTripCase {
  std::string name;
  std::vector<Item> items;
};

using PagesCase = RoundTripCase<ContentPage>;
class ModuleTextPagesRoundTrip : public ::testing::TestWithParam<PagesCase> {};

TEST_P(ModuleTextPagesRoundTrip, GivesBackTheSamePages) { pages_round_trip(GetParam().items); }

INSTANTIATE_TEST_SUITE_P(
    ModuleText, ModuleTextPagesRoundTrip,
    ::testing::Values(PagesCase{"none", {}},
                      PagesCase{"heading_first", {{"One", "# Heading\n\nText.\n"}, {"Two", "Text.\n"}}},
                      PagesCase{"every_heading_level", {{"Deep", "# 1\n## 2\n### 3\n#### 4\n##### 5\n###### 6\n"}}},
                      PagesCase{"seven_hashes_are_not_a_heading", {{"P", "####### seven\n"}}},
                      PagesCase{"bare_hash_lines", {{"P", "#\n\n##\n\ntext\n"}}},
                      PagesCase{"hashtags_and_indented_headings",
                                {{"P", "#coproduction matters\n   # indented\n\\# escaped\n"}}},
                      PagesCase{"tab_after_hash", {{"P", "#\tTabbed heading\n"}}},
                      PagesCase{"title_starting_with_hash", {{"#1 tip", "Listen.\n"}}},
                      PagesCase{"empty_body", {{"Only a title", ""}, {"Next", "Text.\n"}}},
                      PagesCase{"blank_lines_inside_kept", {{"P", "a\n\n\n\nb\n"}}},
                      PagesCase{"code_and_quote", {{"P", "> # quoted heading\n\n    # code\n"}}}),
    NameOf());

using QuestionsCase = RoundTripCase<Question>;
class ModuleTextQuestionsRoundTrip : public ::testing::TestWithParam<QuestionsCase> {};

TEST_P(ModuleTextQuestionsRoundTrip, GivesBackTheSameQuestions) { questions_round_trip(GetParam().items); }

INSTANTIATE_TEST_SUITE_P(
    ModuleText, ModuleTextQuestionsRoundTrip,
    ::testing::Values(
        QuestionsCase{"none", {}}, QuestionsCase{"no_feedback", {{"Q", false, {{"A", true, ""}, {"B", false, ""}}}}},
        QuestionsCase{"pipe_in_answer", {{"Q", false, {{"Either | or", true, "f"}, {"B", false, "x | y"}}}}},
        QuestionsCase{"backslashes_in_answer", {{"Q", false, {{"C:\\temp\\", true, "a \\ b"}, {"\\|", false, ""}}}}},
        QuestionsCase{"question_starting_with_marks", {{"?? odd", false, {{"A", true, ""}, {"B", false, ""}}}}},
        QuestionsCase{"answers_starting_with_markers", {{"Q", true, {{"* star", true, ""}, {"- dash", false, "| f"}}}}},
        QuestionsCase{"many_right", {{"Q", true, {{"A", true, "a"}, {"B", true, "b"}, {"C", true, "c"}}}}},
        QuestionsCase{"several",
                      {{"One", false, {{"A", true, ""}, {"B", false, ""}}},
                       {"Two", true, {{"A", true, ""}, {"B", false, ""}}},
                       {"Three", false, {{"A", false, ""}, {"B", true, ""}}}}}),
    NameOf());

TEST(ModuleText, LineBreaksInsideAQuestionBecomeSpaces) {
  auto back =
      questions_from_text(questions_text({{"Two\nlines", false, {{"A\r\nB", true, "f\ng"}, {"C", false, ""}}}}));
  ASSERT_EQ(back.value.size(), 1u);
  EXPECT_EQ(back.value[0].text, "Two lines");
  EXPECT_EQ(back.value[0].options[0].text, "A B");
  EXPECT_EQ(back.value[0].options[0].feedback, "f g");
}

// ---- Reading what people type ------------------------------------------------------------------

TEST(ModuleText, ReadsQuestionsAsTypedInABrowser) {
  // Browsers send textareas with CRLF; people indent, leave out spaces and
  // leave blank lines between answers.
  auto got = questions_from_text(
      "\r\n?Which is listening?\r\n  *Waiting for them to finish|Yes: let them finish.\r\n\r\n- Talking over them\r\n"
      "\r\n\r\n??Which help?\r\n* Eye contact | Yes\r\n* Checking back|Yes\r\n-Looking at your phone | No\r\n");
  EXPECT_TRUE(got.problems.empty()) << describe(got.problems);
  std::vector<Question> want = {
      {"Which is listening?",
       false,
       {{"Waiting for them to finish", true, "Yes: let them finish."}, {"Talking over them", false, ""}}},
      {"Which help?",
       true,
       {{"Eye contact", true, "Yes"}, {"Checking back", true, "Yes"}, {"Looking at your phone", false, "No"}}}};
  EXPECT_EQ(questions_json(got.value), questions_json(want));
  EXPECT_EQ(got.lines, (TextLines{{"questions.0", 2},
                                  {"questions.0.options.0", 3},
                                  {"questions.0.options.1", 5},
                                  {"questions.1", 8},
                                  {"questions.1.options.0", 9},
                                  {"questions.1.options.1", 10},
                                  {"questions.1.options.2", 11}}));
}

TEST(ModuleText, ReadsPagesAsTypedInABrowser) {
  auto got =
      pages_from_text("\r\n# First\r\n\r\nSome *text*.\r\n## A heading\r\n\r\n\r\n#  Second  \r\nMore.", "pages");
  EXPECT_TRUE(got.problems.empty()) << describe(got.problems);
  std::vector<ContentPage> want = {{"First", "Some *text*.\n# A heading\n"}, {"Second", "More.\n"}};
  EXPECT_EQ(pages_json(got.value), pages_json(want));
  EXPECT_EQ(got.lines, (TextLines{{"pages.0", 2}, {"pages.1", 8}}));
}

TEST(ModuleText, ReadsOutcomesOnePerLine) {
  auto got = outcomes_from_text("  Listen well \r\n\r\nCheck you understood\n");
  EXPECT_EQ(got.value, (std::vector<std::string>{"Listen well", "Check you understood"}));
  EXPECT_EQ(got.lines, (TextLines{{"outcomes.0", 1}, {"outcomes.1", 3}}));
  EXPECT_TRUE(outcomes_from_text("\n \n").value.empty());
}

TEST(ModuleText, EmptyTextsAreNothing) {
  EXPECT_TRUE(pages_from_text("", "pages").value.empty());
  EXPECT_TRUE(pages_from_text("  \n\n", "pages").problems.empty());
  EXPECT_TRUE(questions_from_text("\n\n").value.empty());
  EXPECT_TRUE(questions_from_text("\n\n").problems.empty());
}

// ---- Mistakes -----------------------------------------------------------------------------------

struct MistakeCase {
  std::string name;
  std::string field;  // the text it is typed in: pages, easy_read or questions
  std::string text;
  int line;          // the line the first problem names
  Problem kind;      // and its kind
  std::string says;  // words the message must contain
};

std::vector<FieldError> read(const std::string& field, const std::string& text) {
  if (field == "questions") return questions_from_text(text).problems;
  return pages_from_text(text, field).problems;
}

class ModuleTextMistake : public ::testing::TestWithParam<MistakeCase> {};

TEST_P(ModuleTextMistake, NamesTheFieldTheLineAndTheKind) {
  const MistakeCase& c = GetParam();
  auto problems = read(c.field, c.text);
  ASSERT_FALSE(problems.empty()) << c.text;
  EXPECT_EQ(problems[0].field, c.field);
  EXPECT_EQ(line_of(problems[0]), c.line) << problems[0].message;
  EXPECT_EQ(problems[0].kind, c.kind) << problems[0].message;
  EXPECT_NE(problems[0].message.find(c.says), std::string::npos) << problems[0].message;
  EXPECT_EQ(problems.size(), 1u) << "one mistake, one problem:" << describe(problems);
}

INSTANTIATE_TEST_SUITE_P(
    ModuleText, ModuleTextMistake,
    ::testing::Values(MistakeCase{"text_before_first_page", "pages", "Welcome.\n# One\nText\n", 1, Problem::kInvalid,
                                  "start each page with a line beginning '# '"},
                      MistakeCase{"text_before_first_page_after_blank_lines", "pages",
                                  "\n\n## Not a page title\nmore\n# One\nText\n", 3, Problem::kInvalid, "'# '"},
                      MistakeCase{"easy_read_names_its_field", "easy_read", "Hello\n", 1, Problem::kInvalid, "'# '"},
                      MistakeCase{"one_answer", "questions", "? Q1\n* A\n- B\n\n? Q2\n* A\n", 5, Problem::kMissing,
                                  "a question needs at least two answers"},
                      MistakeCase{"no_answers", "questions", "? Q1\n* A\n- B\n\n? Q2\n\n? Q3\n* A\n- B\n", 5,
                                  Problem::kMissing, "at least two answers"},
                      MistakeCase{"choose_one_none_right", "questions", "? Q\n- A\n- B\n", 1, Problem::kInvalid,
                                  "'choose one' questions need exactly one right answer"},
                      MistakeCase{"choose_one_two_right", "questions", "\n\n? Q\n* A\n* B\n- C\n", 3, Problem::kInvalid,
                                  "start the question with '?? '"},
                      MistakeCase{"choose_all_none_right", "questions", "?? Q\n- A\n- B\n", 1, Problem::kInvalid,
                                  "'choose all that apply' questions need at least one right answer"},
                      MistakeCase{"answer_before_question", "questions", "* A\n- B\n? Q\n* A\n- B\n", 1,
                                  Problem::kInvalid, "before its answers"},
                      MistakeCase{"line_without_marker", "questions", "? Q\n* A\nB\n- C\n", 3, Problem::kInvalid,
                                  "'* ' for a right answer or '- ' for a wrong answer"},
                      MistakeCase{"empty_question", "questions", "? Q\n* A\n- B\n\n?\n* A\n- B\n", 5, Problem::kMissing,
                                  "write the question after '?'"},
                      MistakeCase{"empty_answer", "questions", "?? Q\n* A\n* | Right.\n- B\n", 3, Problem::kMissing,
                                  "write the answer after '*'"},
                      MistakeCase{"three_marks", "questions", "??? Q\n* A\n- B\n", 1, Problem::kInvalid, "'?? '"}),
    NameOf());

TEST(ModuleText, ProblemsComeInLineOrderAndStopAfterTen) {
  // Each question's own problem is found once its answers are read; the list
  // is still in line order.
  auto problems = questions_from_text("? Q\n- A\n-\n- B\n").problems;
  ASSERT_EQ(problems.size(), 2u) << describe(problems);
  EXPECT_EQ(line_of(problems[0]), 1);
  EXPECT_EQ(line_of(problems[1]), 3);

  std::string text;
  for (int i = 0; i < 30; ++i) text += "? Q" + std::to_string(i) + "\n* A\n\n";
  problems = questions_from_text(text).problems;
  ASSERT_EQ(problems.size(), kMaxTextProblems + 1) << describe(problems);
  EXPECT_EQ(line_of(problems[9]), 28);
  EXPECT_EQ(problems.back().message, "There are more problems from line 31 on: fix these first");
}

// ---- validate()'s errors on the form --------------------------------------------------------------

// A valid module, its text parts read from `outcomes`, `pages` and
// `questions`, then changed by `change`.
struct FormCase {
  std::string name;
  std::string outcomes, pages, questions;
  std::function<void(ModuleContent&)> change;
  std::string field;  // the form field of the first error
  int line;           // the line it names, 0 for none
  Problem kind;
  std::string message;  // the whole message
};

class ModuleTextOnForm : public ::testing::TestWithParam<FormCase> {};

TEST_P(ModuleTextOnForm, MapsPathsToFieldsAndLines) {
  const FormCase& c = GetParam();
  ModuleContent m = starter_module();
  TextLines lines;
  auto outcomes = outcomes_from_text(c.outcomes);
  auto pages = pages_from_text(c.pages, "pages");
  auto questions = questions_from_text(c.questions);
  ASSERT_TRUE(pages.problems.empty() && questions.problems.empty()) << describe(questions.problems);
  m.outcomes = outcomes.value;
  m.pages = pages.value;
  m.questions = questions.value;
  for (const auto* l : {&outcomes.lines, &pages.lines, &questions.lines}) lines.insert(l->begin(), l->end());
  if (c.change) c.change(m);
  auto errors = errors_on_form(validate(m), lines);
  ASSERT_EQ(errors.size(), 1u) << describe(errors);
  EXPECT_EQ(errors[0].field, c.field);
  EXPECT_EQ(line_of(errors[0]), c.line);
  EXPECT_EQ(errors[0].kind, c.kind);
  EXPECT_EQ(errors[0].message, c.message);
}

const std::string kOutcomes = "Listen\nCheck back\n";
const std::string kPages = "# One\nText\n\n# Two\nMore\n";
const std::string kQuestions = "? Q1\n* A\n- B\n\n?? Q2\n* A\n- B | No\n";

INSTANTIATE_TEST_SUITE_P(
    ModuleText, ModuleTextOnForm,
    ::testing::Values(FormCase{"page_title_missing", kOutcomes, "# One\nText\n\n#\nMore\n", kQuestions, nullptr,
                               "pages", 4, Problem::kMissing, "Line 4: enter the title of page 2"},
                      FormCase{"page_text_missing", kOutcomes, "# One\n\n\n# Two\nMore\n", kQuestions, nullptr, "pages",
                               1, Problem::kMissing, "Line 1: enter the text of page 1"},
                      FormCase{"answer_feedback_too_long", kOutcomes, kPages, kQuestions,
                               [](ModuleContent& m) { m.questions[1].options[1].feedback = std::string(2001, 'x'); },
                               "questions", 7, Problem::kTooLong,
                               "Line 7: the feedback on answer 2 of question 2 must be 2,000 characters or fewer"},
                      FormCase{"question_too_long", kOutcomes, kPages, kQuestions,
                               [](ModuleContent& m) { m.questions[1].text = std::string(1001, 'x'); }, "questions", 5,
                               Problem::kTooLong, "Line 5: the text of question 2 must be 1,000 characters or fewer"},
                      FormCase{"outcome_too_long", "Listen\n\nx\n", kPages, kQuestions,
                               [](ModuleContent& m) { m.outcomes[1] = std::string(301, 'x'); }, "outcomes", 3,
                               Problem::kTooLong, "Line 3: learning outcome 2 must be 300 characters or fewer"},
                      FormCase{"no_pages_for_elearning", kOutcomes, "", kQuestions, nullptr, "pages", 0,
                               Problem::kMissing, "An e-learning module needs at least one page"},
                      FormCase{"unknown_role_category", kOutcomes, kPages, kQuestions,
                               [](ModuleContent& m) { m.role_categories = {"chef"}; }, "role_categories", 0,
                               Problem::kUnknownCode, "'chef' is not a role category"},
                      FormCase{"title_keeps_its_field", kOutcomes, kPages, kQuestions,
                               [](ModuleContent& m) { m.title = ""; }, "title", 0, Problem::kMissing,
                               "Enter the title of the module"}),
    NameOf());

}  // namespace
}  // namespace coproduce::learning
