// The way through a survey with a repeat: a carer's services, asked once
// for each service (collection/flow.h).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "collection/flow.h"
#include "survey/definition.h"

namespace coproduce::collection {
namespace {

using survey::Questionnaire;
using Values = std::vector<std::string>;

// Page 1 asks once; page 2 is the repeat; page 3 asks once again. Within a
// service: its name (required), whether it helps (only once named), its
// weekly cost and the yearly cost worked out from it, and the kind of
// provider with the names offered filtered by that kind.
std::string definition(const std::string& count) {
  return R"j({"format": "coproduce-survey/1", "title": "Services",
    "repeats": [{"code": "services", "label": "Service", "max": 3, "show_if": "cares = 'yes'")j" + count + R"j(}],
    "questions": [
      {"code": "cares", "type": "yes_no", "page": 1, "text": "Do you use services?"},
      {"code": "how_many", "type": "number", "page": 1, "text": "How many?"},
      {"code": "service", "type": "short_text", "page": 2, "text": "Name", "repeat": "services",
       "validation": {"required": true}},
      {"code": "helpful", "type": "yes_no", "page": 2, "text": "Helpful?", "repeat": "services",
       "show_if": "answered(service)"},
      {"code": "cost", "type": "number", "page": 2, "text": "Weekly cost", "repeat": "services"},
      {"code": "yearly", "type": "number", "page": 2, "text": "Yearly", "repeat": "services",
       "calculation": "${cost} * 52"},
      {"code": "kind", "type": "single", "page": 2, "text": "Kind", "repeat": "services",
       "options": ["council", "charity"]},
      {"code": "provider", "type": "single", "page": 2, "text": "Provider", "repeat": "services",
       "choice_filter": "kind = ${kind}",
       "options": [{"code": "leeds_cc", "columns": {"kind": "council"}},
                   {"code": "carers_uk", "columns": {"kind": "charity"}}]},
      {"code": "overall", "type": "long_text", "page": 3, "text": "Anything else?"}]})j";
}

Questionnaire parsed(const std::string& count = "") {
  auto q = survey::parse_definition(definition(count), "services.json");
  EXPECT_TRUE(q.ok()) << q.status().to_string();
  return q.ok() ? *q : Questionnaire{};
}

Answers answers(std::initializer_list<std::pair<const char*, Values>> list) {
  Answers out;
  for (const auto& [code, values] : list) out[code].values = values;
  return out;
}

const survey::Repeat& services(const Questionnaire& q) { return q.repeats.at(0); }

TEST(RepeatFlow, AddedAsTheyGoStartsWithOneAndKeepsWithinTheMost) {
  const Questionnaire q = parsed();
  ASSERT_EQ(q.repeats.size(), 1u);
  EXPECT_EQ(instance_count(services(q), q, {}), 1);
  EXPECT_EQ(instance_count(services(q), q, answers({{"services", {"2"}}})), 2);
  EXPECT_EQ(instance_count(services(q), q, answers({{"services", {"9"}}})), 3);
  // Nobody is left with no place to answer: at least one stays on the page.
  EXPECT_EQ(instance_count(services(q), q, answers({{"services", {"0"}}})), 1);
  EXPECT_EQ(instance_count(services(q), q, answers({{"services", {"lots"}}})), 1);
}

TEST(RepeatFlow, ACountIsFixedOrTheAnswerToAnEarlierQuestion) {
  const Questionnaire fixed = parsed(R"(, "count": 2)");
  EXPECT_EQ(instance_count(services(fixed), fixed, answers({{"services", {"3"}}})), 2);
  const Questionnaire asked = parsed(R"(, "count": "how_many")");
  EXPECT_EQ(instance_count(services(asked), asked, answers({{"how_many", {"2"}}})), 2);
  EXPECT_EQ(instance_count(services(asked), asked, answers({{"how_many", {"50"}}})), 3);
  EXPECT_EQ(instance_count(services(asked), asked, answers({{"how_many", {"-1"}}})), 0);
  EXPECT_EQ(instance_count(services(asked), asked, answers({{"how_many", {"1.5"}}})), 0);
  EXPECT_EQ(instance_count(services(asked), asked, {}), 0);
  // Answering 0 skips the repeat's page; 2 shows it.
  EXPECT_EQ(visible_pages(asked, answers({{"cares", {"yes"}}, {"how_many", {"0"}}})), (std::vector<int>{1, 3}));
  EXPECT_EQ(visible_pages(asked, answers({{"cares", {"yes"}}, {"how_many", {"2"}}})), (std::vector<int>{1, 2, 3}));
  // Nothing is missing from services nobody is asked about; two asked are.
  EXPECT_TRUE(check_page(asked, 2, answers({{"cares", {"yes"}}, {"how_many", {"0"}}})).empty());
  EXPECT_EQ(first_page_with_problem(asked, answers({{"cares", {"yes"}}, {"how_many", {"0"}}})), 0);
  auto problems = check_page(asked, 2, answers({{"cares", {"yes"}}, {"how_many", {"2"}}}));
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].code, "service#1");
  EXPECT_EQ(problems[1].code, "service#2");
}

TEST(RepeatFlow, TheRepeatsConditionDecidesWhetherItsPageIsShown) {
  const Questionnaire q = parsed();
  EXPECT_EQ(visible_pages(q, answers({{"cares", {"no"}}})), (std::vector<int>{1, 3}));
  EXPECT_EQ(visible_pages(q, answers({{"cares", {"yes"}}})), (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(first_page_with_problem(q, answers({{"cares", {"no"}}})), 0);
  // The name is required in each service, so an unfilled repeat page is found.
  EXPECT_EQ(first_page_with_problem(q, answers({{"cares", {"yes"}}})), 2);
}

TEST(RepeatFlow, ConditionsAreDecidedForEachServiceOnItsOwn) {
  const Questionnaire q = parsed();
  const size_t helpful = *q.find("helpful");
  const Answers a = answers({{"cares", {"yes"}}, {"services", {"2"}}, {"service#2", {"Day centre"}}});
  EXPECT_FALSE(question_shown(q, helpful, a, 1));
  EXPECT_TRUE(question_shown(q, helpful, a, 2));
  auto names = [&](int instance) {
    std::vector<std::string> out;
    for (size_t i : page_questions(q, 2, a, instance)) out.push_back(q.questions[i].code);
    return out;
  };
  EXPECT_EQ(names(1), (std::vector<std::string>{"service", "cost", "kind", "provider"}));
  EXPECT_EQ(names(2), (std::vector<std::string>{"service", "helpful", "cost", "kind", "provider"}));
  // The choice filter reads the kind chosen in the same service.
  const size_t provider = *q.find("provider");
  Answers kinds = answers({{"cares", {"yes"}}, {"services", {"2"}}, {"kind#1", {"council"}}, {"kind#2", {"charity"}}});
  EXPECT_EQ(offered_options(q, provider, kinds, 1), (std::vector<size_t>{0}));
  EXPECT_EQ(offered_options(q, provider, kinds, 2), (std::vector<size_t>{1}));
}

TEST(RepeatFlow, EveryServiceIsCheckedAndEachProblemNamesItsInstance) {
  const Questionnaire q = parsed();
  Answers a = answers({{"cares", {"yes"}},
                       {"services", {"3"}},
                       {"service#1", {"Day centre"}},
                       {"service#3", {"Sitting service"}},
                       {"kind#3", {"council"}},
                       {"provider#3", {"carers_uk"}}});
  auto problems = check_page(q, 2, a);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].code, "service#2");
  EXPECT_EQ(problems[1].code, "provider#3");
  EXPECT_EQ(problems[1].message, "Select an answer from the list");
  a["service#2"].values = {"Respite"};
  a["provider#3"].values = {"leeds_cc"};
  EXPECT_TRUE(check_page(q, 2, a).empty());
  EXPECT_EQ(first_page_with_problem(q, a), 0);
}

TEST(RepeatFlow, SentAnswersKeepShownServicesWithTheirCountAndWorkedOutValues) {
  const Questionnaire q = parsed();
  Answers a = answers({{"cares", {"yes"}},
                       {"services", {"2"}},
                       {"service#1", {"Day centre"}},
                       {"cost#1", {"10"}},
                       {"helpful#1", {"yes"}},
                       {"helpful#2", {"no"}},     // service 2 has no name, so this is not asked
                       {"service#3", {"Gone"}},   // removed: above the count
                       {"cost#2", {"5"}},
                       {"yearly#1", {"1"}},       // typed in: replaced by the worked-out value
                       {"overall", {"Thanks"}}});
  Answers sent = shown_answers(q, a);
  EXPECT_EQ(sent["services"].values, Values{"2"});
  EXPECT_EQ(sent["service#1"].values, Values{"Day centre"});
  EXPECT_EQ(sent["helpful#1"].values, Values{"yes"});
  EXPECT_EQ(sent.count("helpful#2"), 0u);
  EXPECT_EQ(sent.count("service#3"), 0u);
  EXPECT_EQ(sent["yearly#1"].values, Values{"520"});
  EXPECT_EQ(sent["yearly#2"].values, Values{"260"});
  EXPECT_EQ(sent["overall"].values, Values{"Thanks"});
  // Sending them again changes nothing.
  auto keys = [](const Answers& x) {
    std::vector<std::string> out;
    for (const auto& [key, answer] : x) out.push_back(key + "=" + (answer.values.empty() ? "" : answer.values[0]));
    return out;
  };
  EXPECT_EQ(keys(shown_answers(q, sent)), keys(sent));

  // A hidden repeat sends nothing of it, not even its count.
  a["cares"].values = {"no"};
  Answers hidden = shown_answers(q, a);
  for (const auto& [key, answer] : hidden) {
    EXPECT_TRUE(key == "cares" || key == "overall") << key;
  }
  // A count question answered 0 sends no services either.
  const Questionnaire asked = parsed(R"(, "count": "how_many")");
  Answers none = shown_answers(asked, answers({{"cares", {"yes"}}, {"how_many", {"0"}}, {"service#1", {"X"}}}));
  EXPECT_EQ(none.count("services"), 0u);
  EXPECT_EQ(none.count("service#1"), 0u);
  // A fixed count writes that count whatever was stored.
  const Questionnaire fixed = parsed(R"(, "count": 2)");
  EXPECT_EQ(shown_answers(fixed, answers({{"cares", {"yes"}}, {"services", {"3"}}}))["services"].values, Values{"2"});
}

// The one instance a repeat people add to always shows, left empty, means
// none: nothing of the repeat is sent, so exports and counts have no empty
// row. A fixed count keeps its instances however empty.
TEST(RepeatFlow, AnEmptyOnlyInstanceSendsNone) {
  const Questionnaire q = parsed();
  for (const Answers& a : {answers({{"cares", {"yes"}}}), answers({{"cares", {"yes"}}, {"services", {"1"}}})}) {
    const Answers sent = shown_answers(q, a);
    EXPECT_EQ(sent.count("services"), 0u);
    EXPECT_EQ(sent.size(), 1u);
  }
  // One answer in it is enough to send it.
  EXPECT_EQ(shown_answers(q, answers({{"cares", {"yes"}}, {"kind#1", {"charity"}}}))["services"].values, Values{"1"});
  const Questionnaire fixed = parsed(R"(, "count": 2)");
  EXPECT_EQ(shown_answers(fixed, answers({{"cares", {"yes"}}}))["services"].values, Values{"2"});
}

// A read-only question shows the survey's own answer: whatever a form
// sends for it, the default is what is kept, checked as nothing to fix,
// and read by later conditions; a hidden one sends nothing.
TEST(ReadOnlyFlow, TheDefaultIsTheAnswerWhateverIsSent) {
  auto q = survey::parse_definition(R"({"format": "coproduce-survey/1", "title": "Day centre",
    "questions": [
      {"code": "visits", "type": "yes_no", "page": 1, "text": "Do you go to the day centre?"},
      {"code": "centre", "type": "single", "page": 2, "text": "The centre", "default": "north", "read_only": true,
       "options": ["north", "south"], "show_if": "visits = 'yes'"},
      {"code": "bus", "type": "yes_no", "page": 2, "text": "Do you take the North bus?", "show_if": "centre = 'north'"}]})",
                                    "centre.json");
  ASSERT_TRUE(q.ok()) << q.status().to_string();
  Answers sent = answers({{"visits", {"yes"}}, {"centre", {"south"}}});
  const Answers kept = shown_answers(*q, sent);
  ASSERT_TRUE(kept.count("centre"));
  EXPECT_EQ(kept.at("centre").values, Values{"north"});
  // The condition reads the survey's answer, not the one sent.
  EXPECT_EQ(page_questions(*q, 2, sent), (std::vector<size_t>{1, 2}));
  EXPECT_TRUE(check_page(*q, 2, sent).empty());
  const Answers none = shown_answers(*q, answers({{"visits", {"no"}}, {"centre", {"north"}}}));
  EXPECT_FALSE(none.count("centre"));
}

// A trigger fills in an answer when another changes (XLSForm trigger):
// the claim is worked out from the hours when they change, the person may
// change it, and it is only worked out again when the hours change again;
// a trigger with no calculation clears the answer.
TEST(TriggerFlow, AnAnswerIsFilledInOnlyWhenItsTriggerChanges) {
  auto q = survey::parse_definition(R"({"format": "coproduce-survey/1", "title": "Claim",
    "questions": [
      {"code": "hours", "type": "number", "page": 1, "text": "Hours you gave"},
      {"code": "claim", "type": "number", "page": 2, "text": "How much to claim", "calculation": "${hours} * 12.5",
       "trigger": "hours"},
      {"code": "why", "type": "short_text", "page": 2, "text": "Why this much?", "trigger": "hours"}]})",
                                    "claim.json");
  ASSERT_TRUE(q.ok()) << q.status().to_string();
  ASSERT_FALSE(q->questions[1].calculated());  // asked, not worked out
  Answers saved;
  Answers page = answers({{"hours", {"4"}}});
  apply_triggers(*q, saved, page);
  EXPECT_EQ(page.at("claim").values, Values{"50"});
  EXPECT_FALSE(page.count("why"));

  // The person changes the claim and explains; the hours stay the same.
  saved = page;
  page["claim"].values = {"40"};
  page["why"].values = {"One hour was travel"};
  Answers again = page;
  apply_triggers(*q, saved, again);
  EXPECT_EQ(again.at("claim").values, Values{"40"});
  EXPECT_EQ(again.at("why").values, Values{"One hour was travel"});

  // New hours: the claim is worked out again and the reason cleared.
  saved = again;
  again["hours"].values = {"6"};
  apply_triggers(*q, saved, again);
  EXPECT_EQ(again.at("claim").values, Values{"75"});
  EXPECT_FALSE(again.count("why"));

  // A trigger must be asked earlier, once.
  auto wrong = survey::parse_definition(R"({"format": "coproduce-survey/1", "title": "Claim",
    "questions": [
      {"code": "claim", "type": "number", "page": 1, "text": "Claim", "trigger": "hours"},
      {"code": "hours", "type": "number", "page": 2, "text": "Hours"}]})",
                                        "claim.json");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().where().field, "/questions/0/trigger");
}

}  // namespace
}  // namespace coproduce::collection
