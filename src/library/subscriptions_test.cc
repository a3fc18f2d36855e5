#include "library/subscriptions.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "library/sanitise.h"
#include "store/temporary_database.h"

namespace coproduce::library {
namespace {

using Outcome = std::variant<FetchResult, FetchFailure>;

TimePoint at(const std::string& timestamp) {
  TimePoint t;
  EXPECT_TRUE(parse_timestamp(timestamp, &t)) << timestamp;
  return t;
}

constexpr const char* kFeedUrl = "https://elm.example/library/feed.json";

// A complete case study, as its organisation writes it.
CaseStudyInput good_study(const std::string& title) {
  CaseStudyInput s;
  s.title = title;
  s.summary = "Residents and kitchen staff planned the menu together.";
  s.story = {{"need", "Meals were chosen without asking residents."},
             {"together", "We tasted and voted."},
             {"changed", "Less food is left over."}};
  s.setting = "care_home";
  s.area_of_care = "Dementia care";
  s.rung = "co_production";
  s.principles = {"equality", "reciprocity"};
  s.people = {8, 2, 3};
  s.images = {{"https://elm.example/tasting.jpg", "Residents tasting soup"}};
  s.consents = {{"Mary Jones", "2026-02-01", "Signed the consent form"}};
  return s;
}

// A feed item with a structured story, as another Coproduce writes it.
FeedItem structured_item(const std::string& id, const std::string& title) {
  FeedItem item;
  item.id = item.url = "https://elm.example/library/case-studies/" + id;
  item.study = good_study(title);
  item.date_published = item.date_modified = "2026-05-01T09:00:00Z";
  item.authors = {"Elm House", "Ann Lee"};
  item.source_organisation = "Elm House";
  return item;
}

// A feed of `items` from Elm House.
Feed elm_feed(std::vector<FeedItem> items) {
  Feed f;
  f.title = "Elm House case studies";
  f.home_page_url = "https://elm.example/library";
  f.feed_url = kFeedUrl;
  f.organisation = "Elm House";
  f.items = std::move(items);
  return f;
}

// An item in plain JSON Feed with HTML content and no "_coproduce", as any
// publisher writes it.
std::string plain_item_json(const std::string& id, const std::string& title, const std::string& html) {
  nlohmann::json j = {{"id", id},
                      {"url", "https://blog.example/" + id},
                      {"title", title},
                      {"content_html", html},
                      {"date_published", "2026-04-01T08:00:00Z"}};
  return j.dump();
}

// A plain JSON Feed holding `items` (JSON texts).
std::string plain_feed(const std::vector<std::string>& items) {
  std::string out =
      R"({"version": "https://jsonfeed.org/version/1.1", "title": "Blog of Birch Care",)"
      R"( "feed_url": "https://blog.example/feed.json", "authors": [{"name": "Birch Care"}], "items": [)";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? "," : "") + items[i];
  return out + "]}";
}

FetchResult served(std::string body, std::string content_type = "application/feed+json") {
  FetchResult r;
  r.status = 200;
  r.content_type = std::move(content_type);
  r.body = std::move(body);
  r.final_url = kFeedUrl;
  return r;
}

// Pages a fake fetcher serves by address, and how often each was asked for.
struct FakeWeb {
  std::map<std::string, Outcome> pages;
  std::map<std::string, int> asked;

  FeedFetcher fetcher() {
    return [this](const std::string& url, const FetchPolicy&) -> Outcome {
      ++asked[url];
      auto it = pages.find(url);
      if (it == pages.end()) return FetchFailure{FetchError::kHttpStatus, "The server said 404 Not Found."};
      return it->second;
    };
  }
};

// Organisation 1 "Elm House" publishes; organisation 2 "Oak Trust" reads.
class SubscriptionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::make_unique<store::TemporaryDatabase>(std::string("subscriptions-") +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    ASSERT_TRUE(db_->status().ok()) << db_->status().to_string();
    ASSERT_TRUE(sql("INSERT INTO organisations (name, created_at) VALUES ('Elm House', 'x'), ('Oak Trust', 'x')"));
    ASSERT_TRUE(
        sql("INSERT INTO users (organisation_id, email, role, created_at)"
            " VALUES (1, 'lead@elm.example', 'admin', 'x'), (2, 'lead@oak.example', 'admin', 'x')"));
  }

  bool sql(const std::string& statement, std::vector<store::Value> params = {}) {
    auto c = (*db_)->connection();
    auto done = (*c)->execute(statement, params);
    EXPECT_TRUE(done.ok()) << done.status().to_string();
    return done.ok();
  }
  int64_t count(const std::string& query, std::vector<store::Value> params = {}) {
    auto c = (*db_)->connection();
    auto row = (*c)->query_one(query, params);
    EXPECT_TRUE(row.ok()) << row.status().to_string();
    return row.ok() ? row->integer(0) : -1;
  }
  // Everything about organisation 2's library, to show it did not change.
  std::string library_of_oak() {
    auto c = (*db_)->connection();
    auto rows = (*c)->query(
        "SELECT id, title, content, content_html, updated_at, source_url, source_organisation FROM library_case_studies"
        " WHERE organisation_id = 2 ORDER BY id");
    EXPECT_TRUE(rows.ok());
    std::string out;
    for (const auto& r : *rows)
      for (size_t i = 0; i < r.size(); ++i) out += r.text(i) + (i + 1 < r.size() ? "|" : "\n");
    return out;
  }

  Subscriptions subscriptions() { return Subscriptions(**db_, clock_, FetchPolicy{}, web_.fetcher()); }

  // Oak Trust subscribes to Elm House's feed.
  int64_t subscribe(const std::string& url = kFeedUrl) {
    auto id = subscriptions().add(2, url, oak_);
    EXPECT_TRUE(id.ok()) << id.status().to_string();
    return id.ok() ? *id : 0;
  }

  RefreshResult refresh(int64_t id) {
    auto done = subscriptions().refresh(2, id, oak_);
    EXPECT_TRUE(done.ok()) << done.status().to_string();
    return done.ok() ? *done : RefreshResult{};
  }

  Subscription subscription(int64_t id) {
    auto s = subscriptions().get(2, id);
    EXPECT_TRUE(s.ok()) << s.status().to_string();
    return s.ok() ? *s : Subscription{};
  }

  // Elm House writes and publishes a case study of its own.
  int64_t publish(const std::string& title) {
    CaseStudies studies(**db_, clock_);
    auto id = studies.create(1, good_study(title), std::nullopt, elm_);
    EXPECT_TRUE(id.ok()) << id.status().to_string();
    if (!id.ok()) return 0;
    Status st = studies.publish(1, *id, elm_);
    EXPECT_TRUE(st.ok()) << st.to_string();
    return *id;
  }

  FakeClock clock_{at("2026-06-15T10:00:00Z")};
  std::unique_ptr<store::TemporaryDatabase> db_;
  FakeWeb web_;
  Actor elm_{1, "test"};
  Actor oak_{2, "test"};
};

// ---- Adding a feed -----------------------------------------------------------

struct BadUrlCase {
  std::string url;
  Problem kind;
};

TEST_F(SubscriptionsTest, AddRefusesAddressesThatAreNotFeedAddresses) {
  const BadUrlCase cases[] = {
      {"", Problem::kMissing},
      {"   ", Problem::kMissing},
      {"ftp://elm.example/feed.json", Problem::kInvalid},
      {"javascript:alert(1)", Problem::kInvalid},
      {"elm.example/feed.json", Problem::kInvalid},
      {"https://", Problem::kInvalid},
      {"https://elm.example/my feed.json", Problem::kInvalid},
      {"https://elm.example/" + std::string(2000, 'a'), Problem::kTooLong},
  };
  for (const auto& c : cases) {
    auto errors = check_feed_url(c.url);
    ASSERT_EQ(errors.size(), 1u) << "'" << c.url << "'";
    EXPECT_EQ(errors[0].field, "url");
    EXPECT_EQ(errors[0].kind, c.kind) << "'" << c.url << "': " << errors[0].message;
    auto added = subscriptions().add(2, c.url, oak_);
    ASSERT_FALSE(added.ok()) << "'" << c.url << "'";
    EXPECT_EQ(added.status().code(), StatusCode::kInvalidInput);
    EXPECT_EQ(added.status().where().field, "url");
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM library_subscriptions"), 0);
}

TEST_F(SubscriptionsTest, AddKeepsTheAddressTrimmedAndRefusesTheSameFeedTwice) {
  auto id = subscriptions().add(2, "  HTTPS://elm.example/library/feed.json \n", oak_);
  ASSERT_TRUE(id.ok()) << id.status().to_string();
  Subscription s = subscription(*id);
  EXPECT_EQ(s.url, "HTTPS://elm.example/library/feed.json");
  EXPECT_EQ(s.last_error, "");
  EXPECT_EQ(s.last_fetched_at, "");
  EXPECT_EQ(s.created_at, "2026-06-15T10:00:00Z");

  auto again = subscriptions().add(2, "HTTPS://elm.example/library/feed.json", oak_);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(again.status().where().field, "url");
  EXPECT_NE(again.status().message().find("already"), std::string::npos) << again.status().message();
  // Another organisation may read the same feed.
  EXPECT_TRUE(subscriptions().add(1, "HTTPS://elm.example/library/feed.json", elm_).ok());
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'library_subscription.add'"), 2);
  ASSERT_TRUE(subscriptions().list(2).ok());
  EXPECT_EQ(subscriptions().list(2)->size(), 1u);
}

// ---- Fetching a good feed ------------------------------------------------------

TEST_F(SubscriptionsTest, RefreshAddsChangesAndRemovesWhatTheFeedSays) {
  FeedItem a = structured_item("1", "Residents choose the menu");
  FeedItem b = structured_item("2", "A garden for everyone");
  FeedItem c = structured_item("3", "Tenants on the interview panel");
  web_.pages[kFeedUrl] = served(write_feed(elm_feed({a, b, c})));
  int64_t id = subscribe();

  RefreshResult first = refresh(id);
  ASSERT_TRUE(first.ok()) << first.error;
  EXPECT_EQ(first.counts.added, 3);
  EXPECT_EQ(first.counts.changed + first.counts.unchanged + first.counts.removed, 0);
  Subscription s = subscription(id);
  EXPECT_EQ(s.last_error, "");
  EXPECT_EQ(s.title, "Elm House case studies");
  EXPECT_EQ(s.items, 3);
  EXPECT_EQ(s.last_fetched_at, "2026-06-15T10:00:00Z");
  EXPECT_EQ(s.last_success_at, "2026-06-15T10:00:00Z");

  // Marked with where it came from, with a link back and the credited reviewer.
  auto c_row = count(
      "SELECT id FROM library_case_studies WHERE organisation_id = 2 AND source_item_id = $1",
      {"https://elm.example/library/case-studies/3"});
  auto got = CaseStudies(**db_, clock_).get(2, c_row);
  ASSERT_TRUE(got.ok()) << got.status().to_string();
  EXPECT_EQ(got->status, "published");
  EXPECT_EQ(got->organisation, "Elm House");
  EXPECT_EQ(got->source_url, "https://elm.example/library/case-studies/3");
  EXPECT_EQ(got->feed_url, kFeedUrl);
  EXPECT_EQ(got->study.title, "Tenants on the interview panel");
  EXPECT_EQ(got->study.story.size(), 3u);
  EXPECT_EQ(got->study.principles, (std::vector<std::string>{"equality", "reciprocity"}));
  EXPECT_TRUE(got->study.consents.empty());
  EXPECT_EQ(got->credited_reviewers, std::vector<std::string>{"Ann Lee"});

  // Next time: a is corrected, b is as it was, c is withdrawn, d is new.
  clock_.advance(std::chrono::hours(1));
  a.study.summary = "Corrected: residents, cooks and families planned the menu.";
  a.date_modified = "2026-06-01T09:00:00Z";
  FeedItem withdrawn_c;
  withdrawn_c.id = withdrawn_c.url = c.id;
  withdrawn_c.study.title = c.study.title;
  withdrawn_c.withdrawn = true;
  FeedItem d = structured_item("4", "People who use services set the budget");
  web_.pages[kFeedUrl] = served(write_feed(elm_feed({d, withdrawn_c, a, b})));
  RefreshResult second = refresh(id);
  ASSERT_TRUE(second.ok()) << second.error;
  EXPECT_EQ(second.counts.added, 1);
  EXPECT_EQ(second.counts.changed, 1);
  EXPECT_EQ(second.counts.unchanged, 1);
  EXPECT_EQ(second.counts.removed, 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM library_case_studies WHERE organisation_id = 2 AND source_item_id = $1",
                  {c.id}),
            0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM library_case_studies WHERE organisation_id = 2 AND summary = $1",
                  {a.study.summary}),
            1);
  s = subscription(id);
  EXPECT_EQ(s.items, 3);
  EXPECT_EQ(s.last_success_at, "2026-06-15T11:00:00Z");
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'library_subscription.refresh'"), 2);

  // The same feed again changes nothing.
  RefreshResult third = refresh(id);
  ASSERT_TRUE(third.ok()) << third.error;
  EXPECT_EQ(third.counts.unchanged, 3);
  EXPECT_EQ(third.counts.added + third.counts.changed + third.counts.removed, 0);
}

TEST_F(SubscriptionsTest, APlainJsonFeedKeepsItsHtmlSanitised) {
  web_.pages["https://blog.example/feed.json"] = served(
      plain_feed({plain_item_json("p1", "Our listening day",
                                  "<h1>Listening</h1><p style=\"color:red\">We <em>listened</em>.</p>"
                                  "<img src=\"/relative.png\" alt=\"\">")}),
      "");  // no Content-Type at all is fine
  int64_t id = subscribe("https://blog.example/feed.json");
  RefreshResult done = refresh(id);
  ASSERT_TRUE(done.ok()) << done.error;
  EXPECT_EQ(done.counts.added, 1);
  auto c = (*db_)->connection();
  auto row = (*c)->query_one(
      "SELECT content_html, source_organisation, source_url FROM library_case_studies WHERE organisation_id = 2");
  ASSERT_TRUE(row.ok());
  EXPECT_EQ(row->text(0), "<h2>Listening</h2><p>We <em>listened</em>.</p>");
  EXPECT_EQ(row->text(1), "Birch Care");
  EXPECT_EQ(row->text(2), "https://blog.example/p1");
}

// ---- Feeds that are refused: nothing imported, the reason in words -----------

struct BadFeedCase {
  std::string name;
  Outcome outcome;
  std::vector<std::string> said;  // each must appear in last_error
};

std::vector<BadFeedCase> bad_feed_cases() {
  const std::string script_html = "<p>Hello</p><script>steal()</script>";
  std::vector<BadFeedCase> cases = {
      {"not_json", served("<html><body>Hello</body></html>", ""), {"This is not JSON", "line 1, column 1"}},
      {"web_page", served("<html><body>Hello</body></html>", "text/html; charset=utf-8"), {"web page (text/html)"}},
      {"rss", served("<rss></rss>", "application/rss+xml"), {"RSS or Atom"}},
      {"not_json_feed", served(R"({"items": []})"), {"version:", "not a JSON Feed"}},
      {"items_not_a_list", served(R"({"version": "https://jsonfeed.org/version/1.1", "items": {}})"),
       {"items:", "list"}},
      {"too_big_to_fetch", FetchFailure{FetchError::kTooBig, "The feed at x is larger than the limit of 5.0 MB."},
       {"larger than the limit"}},
      {"too_big_to_read", served(std::string(kMaxFeedBytes + 1, ' ')), {"larger than 64 MB"}},
      {"timed_out", FetchFailure{FetchError::kTimedOut, "The server at x did not send the feed within 20 seconds."},
       {"within 20 seconds"}},
      {"redirects", FetchFailure{FetchError::kTooManyRedirects, "The feed address x redirected more than 3 times."},
       {"redirected more than 3 times"}},
      {"script",
       served(plain_feed({plain_item_json("ok", "Fine", "<p>Fine</p>"), plain_item_json("bad", "Bad", script_html)})),
       {"items[1].content_html: Holds a script", "<script>"}},
      {"event_handler",
       served(plain_feed({plain_item_json("bad", "Bad", "<img src=\"https://x.example/a.png\" onerror=\"steal()\">")})),
       {"items[0].content_html", "onerror attribute"}},
      {"javascript_link",
       served(plain_feed({plain_item_json("bad", "Bad", "<a href=\" JaVaScRiPt:steal()\">Click</a>")})),
       {"items[0].content_html", "javascript: address"}},
      {"script_in_svg",
       served(plain_feed({plain_item_json("bad", "Bad", "<svg><script>steal()</script></svg>")})),
       {"items[0].content_html", "<script>"}},
      {"one_item_without_title",
       served(plain_feed({plain_item_json("ok", "Fine", "<p>Fine</p>"), plain_item_json("bad", "", "<p>x</p>")})),
       {"items[1].title: The item has no title"}},
  };
  // A Coproduce item whose story is valid but whose HTML holds a script: refused too.
  FeedItem sneaky = structured_item("9", "Sneaky");
  std::string text = write_feed(elm_feed({sneaky}));
  auto doc = nlohmann::json::parse(text);
  doc["items"][0]["content_html"] = "<p onclick=\"steal()\">Hi</p>";
  cases.push_back({"structured_item_with_script", served(doc.dump()), {"items[0].content_html", "onclick"}});
  return cases;
}

TEST_F(SubscriptionsTest, ABadFeedImportsNothingAndSaysWhyOnTheSubscription) {
  FeedItem a = structured_item("1", "Residents choose the menu");
  web_.pages[kFeedUrl] = served(write_feed(elm_feed({a})));
  int64_t id = subscribe();
  ASSERT_TRUE(refresh(id).ok());
  const std::string before = library_of_oak();
  ASSERT_NE(before, "");

  for (const auto& c : bad_feed_cases()) {
    SCOPED_TRACE(c.name);
    clock_.advance(std::chrono::minutes(5));
    web_.pages[kFeedUrl] = c.outcome;
    RefreshResult done = refresh(id);
    EXPECT_FALSE(done.ok());
    for (const auto& words : c.said) EXPECT_NE(done.error.find(words), std::string::npos) << done.error;
    EXPECT_NE(done.error.find("Nothing was imported."), std::string::npos) << done.error;
    Subscription s = subscription(id);
    EXPECT_EQ(s.last_error, done.error);
    EXPECT_EQ(s.last_fetched_at, format_timestamp(clock_.now()));
    EXPECT_EQ(s.last_success_at, "2026-06-15T10:00:00Z");
    EXPECT_EQ(s.items, 1);
    EXPECT_EQ(library_of_oak(), before);
  }
  // A good fetch clears the error.
  web_.pages[kFeedUrl] = served(write_feed(elm_feed({a})));
  ASSERT_TRUE(refresh(id).ok());
  EXPECT_EQ(subscription(id).last_error, "");
}

TEST_F(SubscriptionsTest, ManyBadItemsAreCountedNotAllListed) {
  std::vector<std::string> items;
  for (int i = 0; i < 10; ++i) items.push_back(plain_item_json("i" + std::to_string(i), "", "<p>x</p>"));
  web_.pages[kFeedUrl] = served(plain_feed(items));
  RefreshResult done = refresh(subscribe());
  EXPECT_EQ(done.problems.size(), 10u);
  EXPECT_NE(done.error.find("items[0].title"), std::string::npos) << done.error;
  EXPECT_NE(done.error.find("items[2].title"), std::string::npos) << done.error;
  EXPECT_EQ(done.error.find("items[3].title"), std::string::npos) << done.error;
  EXPECT_NE(done.error.find("(and 7 more problems)"), std::string::npos) << done.error;
  EXPECT_EQ(library_of_oak(), "");
}

TEST_F(SubscriptionsTest, TheRealFetcherRefusesALoopbackAddressInWords) {
  auto id = Subscriptions(**db_, clock_, FetchPolicy{}).add(2, "http://127.0.0.1:9/feed.json", oak_);
  ASSERT_TRUE(id.ok());
  auto done = Subscriptions(**db_, clock_, FetchPolicy{}).refresh(2, *id, oak_);
  ASSERT_TRUE(done.ok()) << done.status().to_string();
  EXPECT_NE(done->error.find("private, local or reserved network"), std::string::npos) << done->error;
  EXPECT_EQ(subscription(*id).last_error, done->error);
}

// ---- Removing a feed -------------------------------------------------------------

TEST_F(SubscriptionsTest, RemoveTakesTheFeedsCaseStudiesAway) {
  web_.pages[kFeedUrl] = served(write_feed(elm_feed({structured_item("1", "One"), structured_item("2", "Two")})));
  int64_t id = subscribe();
  ASSERT_TRUE(refresh(id).ok());
  EXPECT_EQ(count("SELECT COUNT(*) FROM library_case_studies WHERE organisation_id = 2"), 2);

  Status other = subscriptions().remove(1, id, elm_);
  EXPECT_EQ(other.code(), StatusCode::kNotFound);
  Status st = subscriptions().remove(2, id, oak_);
  ASSERT_TRUE(st.ok()) << st.to_string();
  EXPECT_EQ(count("SELECT COUNT(*) FROM library_case_studies WHERE organisation_id = 2"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM library_subscriptions"), 0);
  EXPECT_EQ(subscriptions().get(2, id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(subscriptions().refresh(2, id, oak_).status().code(), StatusCode::kNotFound);
}

// ---- The organisation's own feed, and files ------------------------------------

TEST_F(SubscriptionsTest, AnOrganisationsFeedCarriesItsPublishedAndWithdrawnCaseStudies) {
  int64_t published = publish("Residents choose the menu");
  clock_.advance(std::chrono::hours(1));
  int64_t withdrawn = publish("An old story");
  clock_.advance(std::chrono::hours(1));
  ASSERT_TRUE(CaseStudies(**db_, clock_).withdraw(1, withdrawn, elm_).ok());
  ASSERT_TRUE(CaseStudies(**db_, clock_).create(1, good_study("Still a draft"), std::nullopt, elm_).ok());

  auto feed = organisation_feed(**db_, 1, "https://elm.example/");
  ASSERT_TRUE(feed.ok()) << feed.status().to_string();
  EXPECT_EQ(feed->feed_url, "https://elm.example/library/feed.json");
  EXPECT_EQ(feed->home_page_url, "https://elm.example/library");
  EXPECT_EQ(feed->organisation, "Elm House");
  ASSERT_EQ(feed->items.size(), 2u);  // no draft
  const FeedItem& w = feed->items[0];  // the newest change first
  const FeedItem& p = feed->items[1];
  EXPECT_EQ(p.id, "https://elm.example/library/case-studies/" + std::to_string(published));
  EXPECT_EQ(p.url, p.id);
  EXPECT_FALSE(p.withdrawn);
  EXPECT_EQ(p.date_published, "2026-06-15T10:00:00Z");
  EXPECT_EQ(p.authors, std::vector<std::string>{"Elm House"});
  EXPECT_EQ(p.tags, (std::vector<std::string>{"Care home", "Co-production", "Equality", "Reciprocity"}));
  EXPECT_TRUE(w.withdrawn);
  EXPECT_EQ(w.date_modified, "2026-06-15T12:00:00Z");
  EXPECT_EQ(organisation_feed(**db_, 99, "https://x").status().code(), StatusCode::kNotFound);

  std::string text = write_feed(*feed);
  EXPECT_EQ(text.find("Mary Jones"), std::string::npos) << "consent records are never published";
  ReadFeed read = read_feed(text);
  EXPECT_TRUE(read.problems.empty()) << read.problems.front().where << ": " << read.problems.front().message;

  // Oak Trust reads it from a file: the published one arrives, the withdrawn one does not.
  auto done = subscriptions().import_file(2, text, "elm.json", oak_);
  ASSERT_TRUE(done.ok()) << done.status().to_string();
  ASSERT_TRUE(done->ok()) << done->error;
  EXPECT_EQ(done->counts.added, 1);
  Subscription s = subscription(done->subscription_id);
  EXPECT_EQ(s.url, "https://elm.example/library/feed.json");
  EXPECT_EQ(s.title, "Case studies of co-production from Elm House");
  EXPECT_EQ(s.items, 1);
  auto imported = CaseStudies(**db_, clock_).get(
      2, count("SELECT id FROM library_case_studies WHERE organisation_id = 2"));
  ASSERT_TRUE(imported.ok());
  CaseStudyInput want = good_study("Residents choose the menu");
  want.consents.clear();
  EXPECT_EQ(case_study_json(imported->study), case_study_json(want));
  EXPECT_EQ(imported->organisation, "Elm House");
  EXPECT_EQ(imported->source_url, p.url);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'library_subscription.import_file'"), 1);

  // A later fetch of the same feed updates the same case study, not a copy.
  web_.pages[kFeedUrl] = served(text);
  RefreshResult again = refresh(done->subscription_id);
  ASSERT_TRUE(again.ok()) << again.error;
  EXPECT_EQ(again.counts.unchanged, 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM library_subscriptions WHERE organisation_id = 2"), 1);

  // And the same file twice finds the same subscription.
  auto twice = subscriptions().import_file(2, text, "elm.json", oak_);
  ASSERT_TRUE(twice.ok() && twice->ok());
  EXPECT_EQ(twice->subscription_id, done->subscription_id);
  EXPECT_EQ(twice->counts.unchanged, 1);
}

TEST_F(SubscriptionsTest, AFileWithProblemsNamesTheFileAndChangesNothing) {
  std::string bad = plain_feed({plain_item_json("ok", "Fine", "<p>Fine</p>"),
                                plain_item_json("bad", "Bad", "<iframe src=\"https://x.example\"></iframe>")});
  auto done = subscriptions().import_file(2, bad, "birch.json", oak_);
  ASSERT_TRUE(done.ok()) << done.status().to_string();
  EXPECT_FALSE(done->ok());
  EXPECT_NE(done->error.find("birch.json, items[1].content_html: Holds a script"), std::string::npos) << done->error;
  ASSERT_EQ(done->problems.size(), 1u);
  EXPECT_EQ(done->problems[0].where, "items[1].content_html");
  EXPECT_EQ(done->subscription_id, 0);

  auto not_json = subscriptions().import_file(2, "{\"version\": ", "birch.json", oak_);
  ASSERT_TRUE(not_json.ok());
  EXPECT_NE(not_json->error.find("birch.json: This is not JSON: it goes wrong at line 1"), std::string::npos)
      << not_json->error;

  // A feed that does not say its own address cannot be matched to a subscription.
  std::string anonymous = plain_feed({plain_item_json("ok", "Fine", "<p>Fine</p>")});
  anonymous.replace(anonymous.find("\"feed_url\""), std::string("\"feed_url\": \"https://blog.example/feed.json\",").size(),
                    "");
  auto nameless = subscriptions().import_file(2, anonymous, "birch.json", oak_);
  ASSERT_TRUE(nameless.ok());
  EXPECT_NE(nameless->error.find("birch.json, feed_url:"), std::string::npos) << nameless->error;

  EXPECT_EQ(count("SELECT COUNT(*) FROM library_subscriptions"), 0);
  EXPECT_EQ(library_of_oak(), "");
}

// ---- The schedule -------------------------------------------------------------------

TEST_F(SubscriptionsTest, RefreshDueFetchesOnlyFeedsNotFetchedForAWhile) {
  web_.pages[kFeedUrl] = served(write_feed(elm_feed({structured_item("1", "One")})));
  const std::string other = "https://oak.example/library/feed.json";
  int64_t elm = subscribe();
  auto oak = subscriptions().add(1, other, elm_);  // 404: fails, and is still counted as tried
  ASSERT_TRUE(oak.ok());
  const Actor scheduled{std::nullopt, "scheduled feed refresh"};

  auto first = subscriptions().refresh_due(std::chrono::hours(6), scheduled);
  ASSERT_TRUE(first.ok()) << first.status().to_string();
  EXPECT_EQ(first->refreshed, 1);
  EXPECT_EQ(first->failed, 1);
  EXPECT_NE(subscriptions().get(1, *oak)->last_error.find("404"), std::string::npos);

  clock_.advance(std::chrono::hours(5));
  auto soon = subscriptions().refresh_due(std::chrono::hours(6), scheduled);
  EXPECT_EQ(soon->refreshed + soon->failed, 0);

  clock_.advance(std::chrono::hours(2));
  ASSERT_TRUE(refresh(elm).ok());  // fetched on demand just now
  auto later = subscriptions().refresh_due(std::chrono::hours(6), scheduled);
  EXPECT_EQ(later->refreshed, 0);
  EXPECT_EQ(later->failed, 1);
  EXPECT_EQ(web_.asked[kFeedUrl], 2);
  EXPECT_EQ(web_.asked[other], 2);

  clock_.advance(std::chrono::hours(7));
  auto stopped = subscriptions().refresh_due(std::chrono::hours(6), scheduled, [] { return true; });
  EXPECT_EQ(stopped->refreshed + stopped->failed, 0);
}

// Each server process runs the schedule: one that finds a feed due while
// another is fetching it passes it by, so each feed is fetched once.
TEST_F(SubscriptionsTest, TwoProcessesRefreshingAtOnceFetchEachFeedOnce) {
  web_.pages[kFeedUrl] = served(write_feed(elm_feed({structured_item("1", "One")})));
  const std::string other = "https://oak.example/library/feed.json";
  subscribe();
  ASSERT_TRUE(subscriptions().add(1, other, elm_).ok());
  const Actor scheduled{std::nullopt, "scheduled feed refresh"};
  // The first process's fetch of the first feed is slow: the second
  // process runs its whole schedule meanwhile.
  Subscriptions::DueSummary second{};
  bool nested = false;
  FeedFetcher plain = web_.fetcher();
  FeedFetcher slow = [&](const std::string& url, const FetchPolicy& policy) {
    if (!nested) {
      nested = true;
      auto done = subscriptions().refresh_due(std::chrono::hours(6), scheduled);
      EXPECT_TRUE(done.ok());
      if (done.ok()) second = *done;
    }
    return plain(url, policy);
  };
  auto first = Subscriptions(**db_, clock_, FetchPolicy{}, slow).refresh_due(std::chrono::hours(6), scheduled);
  ASSERT_TRUE(first.ok()) << first.status().to_string();
  EXPECT_EQ(first->refreshed + first->failed + second.refreshed + second.failed, 2) << "two feeds, two fetches";
  EXPECT_EQ(second.refreshed + second.failed, 1) << "the second process took the feed the first had not reached";
  EXPECT_EQ(web_.asked[kFeedUrl], 1);
  EXPECT_EQ(web_.asked[other], 1);
}

// ---- Active content, as sanitise_html reports it -------------------------------

TEST(SanitiseActiveContent, CountsWhatWouldRunEvenWhereItIsDropped) {
  struct Case {
    std::string html;
    int active;
    std::string first;
  };
  const Case cases[] = {
      {"<p>Plain <a href=\"https://x.example\">link</a> <img src=\"https://x.example/a.png\" alt=\"\"></p>", 0, ""},
      {"<p>Held on the day we met, online</p>", 0, ""},
      {"<script>x</script>", 1, "a <script> element"},
      {"<SCRIPT src=\"https://x.example/a.js\"></SCRIPT>", 1, "a <script> element"},
      {"<p onclick=\"x\" onmouseover=\"y\">x</p>", 2, "an onclick attribute"},
      {"<a href=\"java&#x09;script:x\">x</a>", 1, "a javascript: address"},
      {"<a href=\"vbscript:x\">x</a>", 1, "a vbscript: address"},
      {"<img src=\"data:image/png;base64,AAAA\">", 1, "a data: address"},
      {"<form action=\"javascript:x\"><button formaction=\"javascript:y\">Go</button></form>", 2,
       "a javascript: address"},
      {"<iframe src=\"https://x.example\"></iframe>", 1, "a <iframe> element"},
      {"<object data=\"https://x.example/a.swf\"></object><embed src=\"https://x.example/b\">", 2,
       "a <object> element"},
      {"<base href=\"https://evil.example/\">", 1, "a <base> element"},
      {"<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">", 1, "a <meta http-equiv> element"},
      {"<svg onload=\"x\"><circle/></svg>", 1, "an onload attribute"},
      {"<template><img src=\"https://x.example/a.png\" onerror=\"x\"></template>", 1, "an onerror attribute"},
      {"<noscript><p title=\"</noscript><img src=x onerror=y>\"></p></noscript>", 1, "a <noscript> element"},
  };
  for (const auto& c : cases) {
    SanitiseReport report;
    std::string out = sanitise_html(c.html, 1, &report);
    EXPECT_EQ(report.active_content, c.active) << c.html;
    EXPECT_EQ(report.first_active_content, c.first) << c.html;
    EXPECT_EQ(out.find("script"), std::string::npos) << out;
    if (c.active > 0) {
      EXPECT_EQ(out.find(" on"), std::string::npos) << out;
    }
  }
}

}  // namespace
}  // namespace coproduce::library
