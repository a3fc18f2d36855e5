#include "library/case_study.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

namespace coproduce::library {
namespace {

using nlohmann::json;

// Names each case of a parameterised test by its `name`, so a failure says which row.
struct NameOf {
  template <typename Info>
  std::string operator()(const Info& i) const {
    return i.param.name;
  }
};

// A complete, valid case study each validation case changes one thing in.
CaseStudyInput good_study() {
  CaseStudyInput s;
  s.title = "Residents choose the menu";
  s.summary = "Residents and kitchen staff planned the menu together.";
  s.story = {{"need", "Meals were chosen without asking residents."},
             {"who", "Eight residents, found at the **residents' meeting**."},
             {"together", "We tasted and voted. See [the menu](https://example.org/menu)."},
             {"changed", "Less food is left over."},
             {"cost", "Two hours of staff time a month."},
             {"learned", "Ask early."}};
  s.setting = "care_home";
  s.area_of_care = "Dementia care";
  s.rung = "co_production";
  s.principles = {"equality", "reciprocity"};
  s.people = {8, 2, 3};
  s.outcomes = "- Less waste\n- Happier residents";
  s.contact = "Kitchen manager, Elm House";
  s.easy_read = "We chose the food.\n\n![A plate of food](https://example.org/plate.png)";
  s.images = {{"https://example.org/tasting.jpg", "Residents tasting soup"}};
  s.consents = {{"Mary Jones", "2026-02-01", "Signed the consent form"}};
  return s;
}

bool has_error(const std::vector<FieldError>& errors, const std::string& field, Problem kind) {
  for (const auto& e : errors)
    if (e.field == field && e.kind == kind) return true;
  return false;
}

std::string describe(const std::vector<FieldError>& errors) {
  std::string out;
  for (const auto& e : errors) out += "  " + e.field + ": " + e.message + "\n";
  return out;
}

TEST(CaseStudy, AGoodStudyHasNoProblems) {
  auto errors = validate(good_study());
  EXPECT_TRUE(errors.empty()) << describe(errors);
}

TEST(CaseStudy, OnlyNeedTogetherAndChangedAreRequired) {
  CaseStudyInput s = good_study();
  s.story = {{"changed", "c"}, {"need", "n"}, {"together", "t"}};
  s.area_of_care = s.outcomes = s.contact = s.easy_read = "";
  s.principles.clear();
  s.images.clear();
  s.consents.clear();
  s.people = {};
  auto errors = validate(s);
  EXPECT_TRUE(errors.empty()) << describe(errors);
}

// ---- validate(): one change, the field it names, the kind of problem ------

struct ValidateCase {
  std::string name;
  std::function<void(CaseStudyInput&)> change;
  std::string field;
  Problem kind;
};

class CaseStudyValidate : public testing::TestWithParam<ValidateCase> {};

TEST_P(CaseStudyValidate, NamesTheFieldAndTheKind) {
  const ValidateCase& c = GetParam();
  CaseStudyInput s = good_study();
  c.change(s);
  auto errors = validate(s);
  EXPECT_TRUE(has_error(errors, c.field, c.kind)) << describe(errors);
  for (const auto& e : errors) {
    EXPECT_EQ(e.field, c.field) << "another field was blamed: " << e.message;
    EXPECT_FALSE(e.message.empty());
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, CaseStudyValidate,
    testing::Values(
        ValidateCase{"NoTitle", [](auto& s) { s.title = "  "; }, "title", Problem::kMissing},
        ValidateCase{"LongTitle", [](auto& s) { s.title = std::string(201, 'a'); }, "title", Problem::kTooLong},
        ValidateCase{"NoSummary", [](auto& s) { s.summary = ""; }, "summary", Problem::kMissing},
        ValidateCase{"LongSummary", [](auto& s) { s.summary = std::string(601, 'a'); }, "summary", Problem::kTooLong},
        ValidateCase{"NoNeed", [](auto& s) { s.story.erase(s.story.begin()); }, "story.need", Problem::kMissing},
        ValidateCase{"BlankTogether", [](auto& s) { s.story[2].markdown = "\n "; }, "story.together",
                     Problem::kMissing},
        ValidateCase{"NoChanged", [](auto& s) { s.story.erase(s.story.begin() + 3); }, "story.changed",
                     Problem::kMissing},
        ValidateCase{"LongSection", [](auto& s) { s.story[5].markdown = std::string(20001, 'a'); }, "story.learned",
                     Problem::kTooLong},
        ValidateCase{"SectionLimitCountsCharacters",
                     [](auto& s) {
                       std::string e;
                       for (int i = 0; i < 20001; ++i) e += "\xc3\xa9";
                       s.story[4].markdown = e;
                     },
                     "story.cost", Problem::kTooLong},
        ValidateCase{"UnknownSection", [](auto& s) { s.story.push_back({"moral", "x"}); }, "story.moral",
                     Problem::kUnknownCode},
        ValidateCase{"SectionTwice", [](auto& s) { s.story.push_back({"need", "again"}); }, "story.need",
                     Problem::kDuplicate},
        ValidateCase{"PictureWithoutAltInStory", [](auto& s) { s.story[3].markdown = "![](https://e.org/a.png)"; },
                     "story.changed", Problem::kMissing},
        ValidateCase{"NoSetting", [](auto& s) { s.setting = ""; }, "setting", Problem::kMissing},
        ValidateCase{"UnknownSetting", [](auto& s) { s.setting = "hospital"; }, "setting", Problem::kUnknownCode},
        ValidateCase{"LongAreaOfCare", [](auto& s) { s.area_of_care = std::string(201, 'a'); }, "area_of_care",
                     Problem::kTooLong},
        ValidateCase{"NoRung", [](auto& s) { s.rung = ""; }, "rung", Problem::kMissing},
        ValidateCase{"UnknownRung", [](auto& s) { s.rung = "top"; }, "rung", Problem::kUnknownCode},
        ValidateCase{"UnknownPrinciple", [](auto& s) { s.principles.push_back("kindness"); }, "principles",
                     Problem::kUnknownCode},
        ValidateCase{"PrincipleTwice", [](auto& s) { s.principles.push_back("equality"); }, "principles",
                     Problem::kDuplicate},
        ValidateCase{"NegativeCarers", [](auto& s) { s.people.carers = -1; }, "people.carers",
                     Problem::kOutOfRange},
        ValidateCase{"TooManyStaff", [](auto& s) { s.people.staff = 100001; }, "people.staff",
                     Problem::kOutOfRange},
        ValidateCase{"TooManyLivedExperience", [](auto& s) { s.people.lived_experience = 100001; },
                     "people.lived_experience", Problem::kOutOfRange},
        ValidateCase{"LongOutcomes", [](auto& s) { s.outcomes = std::string(20001, 'a'); }, "outcomes",
                     Problem::kTooLong},
        ValidateCase{"LongContact", [](auto& s) { s.contact = std::string(301, 'a'); }, "contact",
                     Problem::kTooLong},
        ValidateCase{"LongEasyRead", [](auto& s) { s.easy_read = std::string(20001, 'a'); }, "easy_read",
                     Problem::kTooLong},
        ValidateCase{"EasyReadPictureWithoutAlt", [](auto& s) { s.easy_read = "We ate.\n\n![ ](food.png)"; },
                     "easy_read", Problem::kMissing},
        ValidateCase{"ImageWithoutAlt", [](auto& s) { s.images[0].alt = ""; }, "images.0.alt", Problem::kMissing},
        ValidateCase{"ImageWithoutUrl", [](auto& s) { s.images[0].url = ""; }, "images.0.url", Problem::kMissing},
        ValidateCase{"ImageJavascriptUrl", [](auto& s) { s.images[0].url = "javascript:alert(1)"; }, "images.0.url",
                     Problem::kInvalid},
        ValidateCase{"ImageRelativeUrl", [](auto& s) { s.images[0].url = "/uploads/a.jpg"; }, "images.0.url",
                     Problem::kInvalid},
        ValidateCase{"ImageUrlWithQuote", [](auto& s) { s.images[0].url = "https://e.org/a\".jpg"; },
                     "images.0.url", Problem::kInvalid},
        ValidateCase{"ImageWithoutConsent", [](auto& s) { s.consents.clear(); }, "consents", Problem::kMissing},
        ValidateCase{"TwoImagesOneConsent",
                     [](auto& s) { s.images.push_back({"https://e.org/b.jpg", "The garden"}); }, "consents",
                     Problem::kMissing},
        ValidateCase{"TooManyImages",
                     [](auto& s) {
                       s.images.assign(21, {"https://e.org/a.jpg", "A room"});
                       s.consents.assign(21, {"Ann", "2026-01-01", "Form"});
                     },
                     "images", Problem::kTooLong},
        ValidateCase{"ConsentWithoutName", [](auto& s) { s.consents[0].who = ""; }, "consents.0.who",
                     Problem::kMissing},
        ValidateCase{"ConsentOnNoRealDate", [](auto& s) { s.consents[0].given_on = "2026-02-30"; },
                     "consents.0.given_on", Problem::kNotADate},
        ValidateCase{"ConsentWithoutDate", [](auto& s) { s.consents[0].given_on = ""; }, "consents.0.given_on",
                     Problem::kMissing},
        ValidateCase{"ConsentWithoutHow", [](auto& s) { s.consents[0].how = " "; }, "consents.0.how",
                     Problem::kMissing}),
    NameOf());

TEST(CaseStudy, LimitsAreInclusive) {
  CaseStudyInput s = good_study();
  s.title = std::string(200, 'a');
  s.summary = std::string(600, 'a');
  s.story[5].markdown = std::string(20000, 'a');
  s.story[4].markdown.clear();
  for (int i = 0; i < 20000; ++i) s.story[4].markdown += "\xc3\xa9";  // 20,000 characters, 40,000 bytes
  s.contact = std::string(300, 'a');
  s.people = {100000, 0, 100000};
  auto errors = validate(s);
  EXPECT_TRUE(errors.empty()) << describe(errors);
}

// ---- JSON ------------------------------------------------------------------

TEST(CaseStudyJson, RoundTripsEveryField) {
  CaseStudyInput s = good_study();
  json j = case_study_json(s);
  EXPECT_EQ(j["story"]["need"], "Meals were chosen without asking residents.");
  EXPECT_EQ(j["people"]["lived_experience"], 8);
  EXPECT_EQ(j["images"][0]["alt"], "Residents tasting soup");
  EXPECT_EQ(j["consents"][0]["given_on"], "2026-02-01");

  std::vector<FieldError> errors;
  CaseStudyInput back = case_study_from_json(j, &errors);
  EXPECT_TRUE(errors.empty()) << describe(errors);
  EXPECT_EQ(case_study_json(back), j);
  ASSERT_EQ(back.story.size(), 6u);
  EXPECT_EQ(back.story[5].key, "learned");
  EXPECT_EQ(back.consents[0].who, "Mary Jones");
}

TEST(CaseStudyJson, StoryComesBackInTheOrderItIsTold) {
  std::vector<FieldError> errors;
  CaseStudyInput s = case_study_from_json(
      json::parse(R"({"story": {"together": "t", "changed": "c", "need": "n"}})"), &errors);
  ASSERT_EQ(s.story.size(), 3u);
  EXPECT_EQ(s.story[0].key, "need");
  EXPECT_EQ(s.story[1].key, "together");
  EXPECT_EQ(s.story[2].key, "changed");
}

struct ShapeCase {
  std::string name;
  std::string json;
  std::string field;
  Problem kind;
};

class CaseStudyJsonShape : public testing::TestWithParam<ShapeCase> {};

// A key of the wrong type is one problem at that key, not also "missing".
TEST_P(CaseStudyJsonShape, NamesTheKeyOnce) {
  const ShapeCase& c = GetParam();
  json j = case_study_json(good_study());
  json change = json::parse(c.json);
  if (change.is_object()) j.merge_patch(change);
  else j = change;
  std::vector<FieldError> errors;
  case_study_from_json(j, &errors);
  EXPECT_TRUE(has_error(errors, c.field, c.kind)) << describe(errors);
  int at_field = 0;
  for (const auto& e : errors) at_field += e.field == c.field;
  EXPECT_EQ(at_field, 1) << describe(errors);
}

INSTANTIATE_TEST_SUITE_P(
    Table, CaseStudyJsonShape,
    testing::Values(ShapeCase{"NotAnObject", R"([1, 2])", "", Problem::kInvalid},
                    ShapeCase{"TitleIsANumber", R"({"title": 5})", "title", Problem::kInvalid},
                    ShapeCase{"SettingIsAList", R"({"setting": ["care_home"]})", "setting", Problem::kInvalid},
                    ShapeCase{"UnknownKey", R"({"titel": "x"})", "titel", Problem::kInvalid},
                    ShapeCase{"StoryIsText", R"({"story": "once upon a time"})", "story", Problem::kInvalid},
                    ShapeCase{"UnknownStoryPart", R"({"story": {"moral": "x"}})", "story.moral",
                              Problem::kUnknownCode},
                    ShapeCase{"StoryPartIsANumber", R"({"story": {"need": 3}})", "story.need", Problem::kInvalid},
                    ShapeCase{"PeopleIsANumber", R"({"people": 12})", "people", Problem::kInvalid},
                    ShapeCase{"CarersIsAFraction", R"({"people": {"carers": 1.5}})", "people.carers",
                              Problem::kInvalid},
                    ShapeCase{"CarersIsHuge", R"({"people": {"carers": 99999999999}})", "people.carers",
                              Problem::kOutOfRange},
                    ShapeCase{"UnknownPeopleKey", R"({"people": {"volunteers": 3}})", "people.volunteers",
                              Problem::kInvalid},
                    ShapeCase{"PrinciplesIsText", R"({"principles": "equality"})", "principles",
                              Problem::kInvalid},
                    ShapeCase{"ImagesAreText", R"({"images": ["https://e.org/a.jpg"]})", "images.0",
                              Problem::kInvalid},
                    ShapeCase{"ImageAltIsANumber", R"({"images": [{"url": "https://e.org/a.jpg", "alt": 1}]})",
                              "images.0.alt", Problem::kInvalid},
                    ShapeCase{"UnknownSettingCode", R"({"setting": "spaceship"})", "setting",
                              Problem::kUnknownCode}),
    NameOf());

TEST(CaseStudyJson, NullsAndMissingKeysAreEmpty) {
  std::vector<FieldError> errors;
  CaseStudyInput s = case_study_from_json(json::parse(R"({"title": null, "people": null})"), &errors);
  EXPECT_EQ(s.title, "");
  EXPECT_EQ(s.people.carers, 0);
  EXPECT_TRUE(has_error(errors, "title", Problem::kMissing)) << describe(errors);
  EXPECT_TRUE(has_error(errors, "story.need", Problem::kMissing)) << describe(errors);
}

// ---- The story as one document --------------------------------------------

TEST(CaseStudyMarkdown, PutsEachPartUnderItsHeadingInOrder) {
  CaseStudyInput s;
  s.story = {{"changed", "Less waste.\n"}, {"need", "  Too much waste.  "}, {"cost", ""}};
  EXPECT_EQ(story_markdown(s),
            "## What needed to change\n\nToo much waste.\n\n"
            "## What changed as a result\n\nLess waste.\n");
}

TEST(CaseStudyMarkdown, ReadsTheStoryBackFromOneDocumentByItsHeadings) {
  std::vector<Section> parts = story_from_markdown(
      "We met six times.\n\n## what needed to change\nToo much waste.\n\n## What we learned\n- Ask early\n"
      "## Not a part\nStays in learned.\n");
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0].key, "need");
  EXPECT_EQ(parts[0].markdown, "Too much waste.");
  EXPECT_EQ(parts[1].key, "together");  // text before any heading
  EXPECT_EQ(parts[1].markdown, "We met six times.");
  EXPECT_EQ(parts[2].key, "learned");
  EXPECT_EQ(parts[2].markdown, "- Ask early\n## Not a part\nStays in learned.");
  // story_markdown's own output reads back to the same parts.
  CaseStudyInput s = good_study();
  std::vector<Section> back = story_from_markdown(story_markdown(s));
  ASSERT_EQ(back.size(), s.story.size());
  for (size_t i = 0; i < back.size(); ++i) {
    EXPECT_EQ(back[i].key, s.story[i].key);
    EXPECT_EQ(back[i].markdown, s.story[i].markdown);
  }
}

TEST(CaseStudyDraft, MayLackTheRequiredPartsOfTheStoryButNothingElse) {
  CaseStudyInput s = good_study();
  s.story = {{"who", "Residents"}};
  std::vector<FieldError> full = validate(s);
  EXPECT_EQ(full.size(), 3u);
  EXPECT_TRUE(validate_draft(s).empty());
  s.title.clear();
  std::vector<FieldError> draft = validate_draft(s);
  ASSERT_EQ(draft.size(), 1u);
  EXPECT_EQ(draft[0].field, "title");
}

TEST(CaseStudyText, KeepsTheWordsAndDropsTheMarkup) {
  std::string text = story_text(good_study());
  EXPECT_NE(text.find("Residents choose the menu"), std::string::npos);
  EXPECT_NE(text.find("residents' meeting"), std::string::npos);
  EXPECT_NE(text.find("See the menu."), std::string::npos) << text;
  EXPECT_NE(text.find("Dementia care"), std::string::npos);
  EXPECT_EQ(text.find("https://"), std::string::npos) << text;
  EXPECT_EQ(text.find("**"), std::string::npos) << text;
  EXPECT_EQ(text.find("Mary Jones"), std::string::npos) << "consent records are not searchable";
}

TEST(CaseStudyTags, AreTheLabelsOfTheCodes) {
  CaseStudyInput s = good_study();
  s.principles.push_back("unknown");
  EXPECT_EQ(tags_for(s), (std::vector<std::string>{"Care home", "Co-production", "Equality", "Reciprocity"}));
}

}  // namespace
}  // namespace coproduce::library
