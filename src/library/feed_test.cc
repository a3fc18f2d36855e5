#include "library/feed.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "core/vocabulary.h"

namespace coproduce::library {
namespace {

using nlohmann::json;

struct NameOf {
  template <typename Info>
  std::string operator()(const Info& i) const {
    return i.param.name;
  }
};

CaseStudyInput full_study() {
  CaseStudyInput s;
  s.title = "Residents choose the menu";
  s.summary = "Residents and kitchen staff planned the menu together.";
  s.story = {{"need", "Meals were chosen without asking residents."},
             {"who", "Eight residents, found at the residents' meeting."},
             {"together", "We tasted and voted.\n\n- Soup\n- Pie"},
             {"changed", "Less food is left over."},
             {"cost", "Two hours of staff time a month."},
             {"learned", "Ask early. Café talk helps."}};
  s.setting = "care_home";
  s.area_of_care = "Dementia care";
  s.rung = "co_production";
  s.principles = {"equality", "reciprocity"};
  s.people = {8, 2, 3};
  s.outcomes = "- Less waste";
  s.contact = "Kitchen manager, Elm House";
  s.easy_read = "We chose the food.\n\n![A plate of food](https://example.org/plate.png)";
  s.images = {{"https://example.org/tasting.jpg", "Residents tasting soup"},
              {"https://example.org/menu.jpg", "The new menu on the wall"}};
  s.consents = {{"Mary Jones", "2026-02-01", "Signed the consent form"},
                {"Tom Smith", "2026-02-02", "Said yes on a recorded call"}};
  return s;
}

CaseStudyInput small_study() {
  CaseStudyInput s;
  s.title = "Interview panel";
  s.summary = "People who use the service sat on the panel.";
  s.story = {{"need", "n"}, {"together", "t"}, {"changed", "c"}};
  s.setting = "nhs";
  s.rung = "co_design";
  return s;
}

Feed sample_feed() {
  Feed f;
  f.title = "Elm House case studies";
  f.home_page_url = "https://elm.example/library";
  f.feed_url = "https://elm.example/library/feed.json";
  f.organisation = "Elm House";
  FeedItem a;
  a.id = "https://elm.example/library/case-studies/12";
  a.url = a.id;
  a.study = full_study();
  a.date_published = "2026-03-01T09:00:00Z";
  a.date_modified = "2026-03-02T10:30:00+01:00";
  a.authors = {"Elm House", "Priya Shah"};
  a.tags = tags_for(a.study);
  a.source_organisation = "Elm House";
  FeedItem b;
  b.id = "https://elm.example/library/case-studies/13";
  b.study = small_study();
  b.date_published = "2026-03-05T12:00:00.250Z";
  b.source_organisation = "Oak Trust";  // published on behalf of a partner
  f.items = {a, b};
  return f;
}

std::string describe(const ReadFeed& r) {
  std::string out;
  for (const auto& p : r.problems) out += "  " + p.where + ": " + p.message + "\n";
  return out;
}

// ---- Writing and reading back ----------------------------------------------

TEST(Feed, RoundTripsEveryPublishedField) {
  Feed f = sample_feed();
  ReadFeed r = read_feed(write_feed(f));
  ASSERT_TRUE(r.problems.empty()) << describe(r);
  EXPECT_EQ(r.feed.title, f.title);
  EXPECT_EQ(r.feed.home_page_url, f.home_page_url);
  EXPECT_EQ(r.feed.feed_url, f.feed_url);
  EXPECT_EQ(r.feed.organisation, f.organisation);
  ASSERT_EQ(r.feed.items.size(), 2u);
  ASSERT_EQ(r.content_html.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    SCOPED_TRACE(i);
    const FeedItem& want = f.items[i];
    const FeedItem& got = r.feed.items[i];
    EXPECT_EQ(got.id, want.id);
    EXPECT_EQ(got.url, want.url);
    EXPECT_EQ(got.date_published, want.date_published);
    EXPECT_EQ(got.date_modified, want.date_modified);
    EXPECT_EQ(got.authors, want.authors);
    EXPECT_EQ(got.tags, want.tags);
    EXPECT_EQ(got.withdrawn, want.withdrawn);
    EXPECT_EQ(got.source_organisation, want.source_organisation);
    // Everything but the consent records, which stay with the publisher.
    CaseStudyInput expected = want.study;
    expected.consents.clear();
    EXPECT_EQ(case_study_json(got.study), case_study_json(expected));
  }
  EXPECT_EQ(r.feed.items[0].study.images.size(), 2u);
  EXPECT_EQ(r.feed.items[0].study.story[5].markdown, "Ask early. Café talk helps.");
}

TEST(Feed, IsJsonFeed11WithTheStoryAsHtml) {
  json doc = json::parse(write_feed(sample_feed()));
  EXPECT_EQ(doc["version"], "https://jsonfeed.org/version/1.1");
  EXPECT_EQ(doc["authors"][0]["name"], "Elm House");
  const json& item = doc["items"][0];
  EXPECT_EQ(item["title"], "Residents choose the menu");
  EXPECT_EQ(item["summary"], "Residents and kitchen staff planned the menu together.");
  std::string html = item["content_html"];
  EXPECT_NE(html.find("<h2>What needed to change</h2>"), std::string::npos) << html;
  EXPECT_NE(html.find("<li>Soup</li>"), std::string::npos) << html;
  EXPECT_EQ(item["authors"][1]["name"], "Priya Shah");
  EXPECT_EQ(item["tags"], json({"Care home", "Co-production", "Equality", "Reciprocity"}));

  const json& ext = item["_coproduce"];
  EXPECT_EQ(ext["about"], kFeedExtensionAbout);
  EXPECT_EQ(ext["version"], 1);
  EXPECT_EQ(ext["withdrawn"], false);
  EXPECT_EQ(ext["organisation"], "Elm House");
  EXPECT_EQ(ext["setting"], "care_home");
  EXPECT_EQ(ext["rung"], "co_production");
  EXPECT_EQ(ext["people"]["carers"], 2);
  EXPECT_EQ(ext["story"]["cost"], "Two hours of staff time a month.");
  EXPECT_EQ(ext["consents_recorded"], 2);
  EXPECT_FALSE(ext.contains("consents")) << "consent records name people; they are never published";
  EXPECT_EQ(write_feed(sample_feed()).find("Mary Jones"), std::string::npos);

  // The second item has no url and no date_modified: left out, not "".
  EXPECT_FALSE(doc["items"][1].contains("url"));
  EXPECT_FALSE(doc["items"][1].contains("date_modified"));
  EXPECT_EQ(doc["items"][1]["_coproduce"]["organisation"], "Oak Trust");
}

TEST(Feed, HtmlReadBackIsWhatWasWritten) {
  std::string text = write_feed(sample_feed());
  ReadFeed r = read_feed(text);
  ASSERT_EQ(r.content_html.size(), 2u);
  EXPECT_EQ(r.content_html[0], json::parse(text)["items"][0]["content_html"]);
}

TEST(Feed, AWithdrawnItemKeepsItsIdentityAndLosesItsContent) {
  Feed f = sample_feed();
  f.items[0].withdrawn = true;
  std::string text = write_feed(f);
  json item = json::parse(text)["items"][0];
  EXPECT_EQ(item["id"], f.items[0].id);
  EXPECT_EQ(item["url"], f.items[0].url);
  EXPECT_EQ(item["title"], "Residents choose the menu");
  EXPECT_EQ(item["content_text"], "This case study has been withdrawn.");
  for (const char* gone : {"summary", "content_html", "authors", "tags"}) EXPECT_FALSE(item.contains(gone)) << gone;
  EXPECT_EQ(item["_coproduce"],
            json({{"about", kFeedExtensionAbout}, {"version", 1}, {"organisation", "Elm House"}, {"withdrawn", true}}));
  EXPECT_EQ(text.find("Meals were chosen"), std::string::npos);
  EXPECT_EQ(text.find("tasting.jpg"), std::string::npos);

  ReadFeed r = read_feed(text);
  ASSERT_TRUE(r.problems.empty()) << describe(r);
  ASSERT_EQ(r.feed.items.size(), 2u);
  const FeedItem& got = r.feed.items[0];
  EXPECT_TRUE(got.withdrawn);
  EXPECT_EQ(got.id, f.items[0].id);
  EXPECT_EQ(got.study.title, "Residents choose the menu");
  EXPECT_TRUE(got.study.story.empty());
  EXPECT_EQ(r.content_html[0], "");
  EXPECT_FALSE(r.feed.items[1].withdrawn);
}

TEST(Feed, TextThatIsNotUtf8IsWrittenAsReplacementCharacters) {
  Feed f = sample_feed();
  f.items[1].study.summary = "Bad \xff byte";
  ReadFeed r = read_feed(write_feed(f));
  ASSERT_TRUE(r.problems.empty()) << describe(r);
  EXPECT_EQ(r.feed.items[1].study.summary, "Bad \xef\xbf\xbd byte");
}

// ---- Reading others' feeds ---------------------------------------------------

// A feed as a foreign publisher might write it, changed by each case.
json foreign_feed() {
  return json::parse(write_feed(sample_feed()));
}

struct ReadCase {
  std::string name;
  std::function<void(json&)> change;
  std::string where;        // of the one problem; "" for none
  std::string message;      // a part of its message
  size_t items_read;
};

class FeedReadCase : public testing::TestWithParam<ReadCase> {};

TEST_P(FeedReadCase, ReportsWhereAndKeepsTheRest) {
  const ReadCase& c = GetParam();
  json doc = foreign_feed();
  c.change(doc);
  ReadFeed r = read_feed(doc.dump());
  if (c.where.empty() && c.message.empty()) {
    EXPECT_TRUE(r.problems.empty()) << describe(r);
  } else {
    ASSERT_EQ(r.problems.size(), 1u) << describe(r);
    EXPECT_EQ(r.problems[0].where, c.where);
    EXPECT_NE(r.problems[0].message.find(c.message), std::string::npos) << r.problems[0].message;
  }
  EXPECT_EQ(r.feed.items.size(), c.items_read);
  EXPECT_EQ(r.content_html.size(), c.items_read);
}

INSTANTIATE_TEST_SUITE_P(
    Table, FeedReadCase,
    testing::Values(
        ReadCase{"AsWritten", [](json&) {}, "", "", 2},
        ReadCase{"Version10", [](json& d) { d["version"] = "https://jsonfeed.org/version/1"; }, "", "", 2},
        ReadCase{"NoVersion", [](json& d) { d.erase("version"); }, "version", "not a JSON Feed", 0},
        ReadCase{"WrongVersion", [](json& d) { d["version"] = "https://jsonfeed.org/version/2"; }, "version",
                 "'https://jsonfeed.org/version/2' is not a JSON Feed version", 0},
        ReadCase{"VersionIsANumber", [](json& d) { d["version"] = 1.1; }, "version", "not a JSON Feed", 0},
        ReadCase{"ItemsAreAnObject", [](json& d) { d["items"] = json::object(); }, "items", "list", 0},
        ReadCase{"NoItems", [](json& d) { d.erase("items"); }, "items", "list", 0},
        ReadCase{"NotAnObject", [](json& d) { d = json::array({d}); }, "", "must be a JSON object", 0},
        ReadCase{"ItemWithoutId", [](json& d) { d["items"][0].erase("id"); }, "items[0].id", "no id", 1},
        ReadCase{"ItemWithBlankId", [](json& d) { d["items"][1]["id"] = " "; }, "items[1].id", "no id", 1},
        ReadCase{"ItemIdIsAList", [](json& d) { d["items"][1]["id"] = json::array(); }, "items[1].id", "text", 1},
        ReadCase{"NumberIdIsText", [](json& d) { d["items"][1]["id"] = 7; }, "", "", 2},
        ReadCase{"SameIdTwice", [](json& d) { d["items"][1]["id"] = d["items"][0]["id"]; }, "items[1].id",
                 "earlier item", 1},
        ReadCase{"ItemWithoutTitle", [](json& d) { d["items"][1].erase("title"); }, "items[1].title", "no title",
                 1},
        ReadCase{"ItemIsText", [](json& d) { d["items"][0] = "hello"; }, "items[0]", "object", 1},
        ReadCase{"UnknownSetting", [](json& d) { d["items"][0]["_coproduce"]["setting"] = "spaceship"; },
                 "items[0]._coproduce.setting", "'spaceship' is not a setting", 1},
        ReadCase{"UnknownStoryPart", [](json& d) { d["items"][0]["_coproduce"]["story"]["moral"] = "x"; },
                 "items[0]._coproduce.story.moral", "not a part of the story", 1},
        ReadCase{"MissingStoryPart", [](json& d) { d["items"][1]["_coproduce"]["story"].erase("changed"); },
                 "items[1]._coproduce.story.changed", "Enter what changed", 1},
        ReadCase{"ImageWithoutAlt", [](json& d) { d["items"][0]["_coproduce"]["images"][1]["alt"] = ""; },
                 "items[0]._coproduce.images[1].alt", "cannot see it", 1},
        ReadCase{"ImagesWithoutConsent", [](json& d) { d["items"][0]["_coproduce"].erase("consents_recorded"); },
                 "items[0]._coproduce.consents_recorded", "2 images and 0 consent records", 1},
        ReadCase{"FewerConsentsThanImages", [](json& d) { d["items"][0]["_coproduce"]["consents_recorded"] = 1; },
                 "items[0]._coproduce.consents_recorded", "2 images and 1 consent record", 1},
        ReadCase{"CarersIsText", [](json& d) { d["items"][0]["_coproduce"]["people"]["carers"] = "two"; },
                 "items[0]._coproduce.people.carers", "whole number", 1},
        ReadCase{"LongTitleWithExtension", [](json& d) { d["items"][1]["title"] = std::string(201, 'x'); },
                 "items[1].title", "200 characters", 1},
        ReadCase{"ExtensionVersion2", [](json& d) { d["items"][0]["_coproduce"]["version"] = 2; },
                 "items[0]._coproduce.version", "Version 2", 1},
        ReadCase{"ExtensionIsText", [](json& d) { d["items"][0]["_coproduce"] = "yes"; }, "items[0]._coproduce",
                 "object", 1},
        ReadCase{"WithdrawnIsText", [](json& d) { d["items"][0]["_coproduce"]["withdrawn"] = "no"; },
                 "items[0]._coproduce.withdrawn", "true or false", 1},
        ReadCase{"ExtensionUnknownKeysAreIgnored", [](json& d) { d["items"][0]["_coproduce"]["mood"] = "sunny"; },
                 "", "", 2},
        ReadCase{"DateNotRfc3339", [](json& d) { d["items"][0]["date_published"] = "1 March 2026"; },
                 "items[0].date_published", "RFC 3339", 1},
        ReadCase{"DateWithoutZone", [](json& d) { d["items"][0]["date_modified"] = "2026-03-01T09:00:00"; },
                 "items[0].date_modified", "RFC 3339", 1},
        ReadCase{"ImpossibleDate", [](json& d) { d["items"][0]["date_modified"] = "2026-02-30T09:00:00Z"; },
                 "items[0].date_modified", "RFC 3339", 1},
        ReadCase{"JavascriptUrl", [](json& d) { d["items"][0]["url"] = "javascript:alert(1)"; }, "items[0].url",
                 "https://", 1},
        ReadCase{"AuthorsNotAList", [](json& d) { d["items"][0]["authors"] = "Elm"; }, "items[0].authors", "list",
                 1},
        ReadCase{"TagsNotText", [](json& d) { d["items"][0]["tags"] = json::array({1}); }, "items[0].tags", "text",
                 1},
        ReadCase{"BadHomePageIsLeftOut", [](json& d) { d["home_page_url"] = "ftp://elm.example"; },
                 "home_page_url", "https://", 2}),
    NameOf());

struct FeedTextCase {
  std::string name;
  std::string text;
  std::string where;
  std::string message;
};

class FeedReadText : public testing::TestWithParam<FeedTextCase> {};

TEST_P(FeedReadText, ReadsNothingAndSaysWhy) {
  const FeedTextCase& c = GetParam();
  ReadFeed r = read_feed(c.text);
  ASSERT_EQ(r.problems.size(), 1u) << describe(r);
  EXPECT_EQ(r.problems[0].where, c.where);
  EXPECT_NE(r.problems[0].message.find(c.message), std::string::npos) << r.problems[0].message;
  EXPECT_TRUE(r.feed.items.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Table, FeedReadText,
    testing::Values(FeedTextCase{"Empty", "", "line 1, column 1", "not JSON"},
                    FeedTextCase{"Html", "<!doctype html><p>Hello</p>", "line 1, column 1", "not JSON"},
                    FeedTextCase{"BrokenOnLineTwo", "{\n  \"version\": oops\n}", "line 2, column 14", "not JSON"},
                    FeedTextCase{"Unfinished", "{\"version\": \"https://jsonfeed.org/version/1.1\", \"items\": [",
                             "line 1, column 59", "not JSON"},
                    FeedTextCase{"NotUtf8", "{\"title\": \"\xff\"}", "line 1, column 12", "not JSON"},
                    FeedTextCase{"TooDeep", std::string(65, '[') + std::string(65, ']'), "", "nested more than 64"},
                    FeedTextCase{"JustANumber", "42", "", "must be a JSON object"}),
    NameOf());

TEST(FeedRead, TooBigIsNotRead) {
  std::string text = R"({"version": "https://jsonfeed.org/version/1.1", "items": [], "pad": ")";
  text += std::string(kMaxFeedBytes, ' ') + "\"}";
  ReadFeed r = read_feed(text);
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].where, "");
  EXPECT_NE(r.problems[0].message.find("larger than 64 MB"), std::string::npos);
}

TEST(FeedRead, TooManyItemsAreNotRead) {
  json doc = {{"version", "https://jsonfeed.org/version/1.1"}, {"title", "Many"}, {"items", json::array()}};
  for (size_t i = 0; i <= kMaxFeedItems; ++i) doc["items"].push_back({{"id", std::to_string(i)}, {"title", "t"}});
  ReadFeed r = read_feed(doc.dump());
  ASSERT_EQ(r.problems.size(), 1u) << describe(r);
  EXPECT_EQ(r.problems[0].where, "items");
  EXPECT_NE(r.problems[0].message.find("20,001 items; at most 20,000"), std::string::npos) << r.problems[0].message;
  EXPECT_TRUE(r.feed.items.empty());

  doc["items"].erase(doc["items"].size() - 1);
  r = read_feed(doc.dump());
  EXPECT_TRUE(r.problems.empty()) << describe(r);
  EXPECT_EQ(r.feed.items.size(), kMaxFeedItems);
}

TEST(FeedRead, ListsFiftyProblemsAndCountsTheRest) {
  json doc = {{"version", "https://jsonfeed.org/version/1.1"}, {"items", json::array()}};
  for (int i = 0; i < 60; ++i) doc["items"].push_back({{"title", "no id"}});
  ReadFeed r = read_feed(doc.dump());
  EXPECT_EQ(r.problems.size(), kMaxImportProblems);
  EXPECT_EQ(r.problems_not_listed, 10u);
  EXPECT_EQ(r.problems[49].where, "items[49].id");
}

// A feed from elsewhere, with no extension: title, summary and HTML only.
constexpr const char* kPlainFeed = R"({
  "version": "https://jsonfeed.org/version/1",
  "title": "Riverside blog",
  "author": {"name": "Riverside Care"},
  "items": [
    {"id": "r-1", "title": "Tea and talk", "summary": "A weekly café.",
     "content_html": "<p>Hello</p><script>alert('x')</script>",
     "author": {"name": "Sam"}, "tags": ["café"]},
    {"id": "r-2", "title": "Plain words", "content_text": "Line one & <two>\nstill one\n\nPara two"}
  ]
})";

TEST(FeedRead, AnItemWithoutTheExtensionKeepsItsHtmlRaw) {
  ReadFeed r = read_feed(kPlainFeed);
  ASSERT_TRUE(r.problems.empty()) << describe(r);
  EXPECT_EQ(r.feed.title, "Riverside blog");
  EXPECT_EQ(r.feed.organisation, "Riverside Care");
  ASSERT_EQ(r.feed.items.size(), 2u);
  const FeedItem& item = r.feed.items[0];
  EXPECT_EQ(item.id, "r-1");
  EXPECT_EQ(item.study.title, "Tea and talk");
  EXPECT_EQ(item.study.summary, "A weekly café.");
  EXPECT_TRUE(item.study.story.empty());
  EXPECT_EQ(item.study.setting, "");
  EXPECT_EQ(item.authors, std::vector<std::string>{"Sam"});
  EXPECT_EQ(item.tags, std::vector<std::string>{"café"});
  EXPECT_EQ(item.source_organisation, "Riverside Care");
  EXPECT_FALSE(item.withdrawn);
  // Raw, script and all: sanitising is the caller's job.
  EXPECT_EQ(r.content_html[0], "<p>Hello</p><script>alert('x')</script>");
  // content_text becomes escaped paragraphs.
  EXPECT_EQ(r.content_html[1], "<p>Line one &amp; &lt;two&gt;<br>\nstill one</p>\n<p>Para two</p>\n");
}

TEST(FeedRead, AnItemWithoutTheExtensionStillHasLimits) {
  json doc = json::parse(kPlainFeed);
  doc["items"][0]["summary"] = std::string(601, 's');
  ReadFeed r = read_feed(doc.dump());
  ASSERT_EQ(r.problems.size(), 1u) << describe(r);
  EXPECT_EQ(r.problems[0].where, "items[0].summary");
  EXPECT_EQ(r.feed.items.size(), 1u);
  EXPECT_EQ(r.feed.items[0].id, "r-2");
  EXPECT_EQ(r.content_html.size(), 1u);
}

}  // namespace
}  // namespace coproduce::library
