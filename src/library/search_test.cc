#include "library/search.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "store/temporary_database.h"

namespace coproduce::library {
namespace {

SearchQuery words(std::string q) {
  SearchQuery query;
  query.q = std::move(q);
  return query;
}

// The ids of the hits, in any order.
std::set<int64_t> id_set(const SearchResult& r) {
  std::set<int64_t> out;
  for (const auto& h : r.hits) out.insert(h.id);
  return out;
}

// A case study as the tests want it; everything but the words has a default.
struct Study {
  std::string title, summary, body;
  int64_t organisation = 1;
  std::string status = "published";
  std::string setting = "care_home";
  std::string rung = "co_production";
  std::string area_of_care = "Dementia care";
  std::vector<std::string> principles;
  std::string published_at = "2026-01-01T10:00:00Z";  // "" for none (a draft)
  std::string updated_at = "2026-01-01T10:00:00Z";
  std::string source_organisation;      // set for one read from a feed
  std::optional<int64_t> subscription;  // the feed it was read from
};

// A fresh database holding organisations 1 'Org' and 2 'Other', and for
// organisation 1 a subscription (id 1) to https://far.example/feed.json.
class SearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string name = std::string("library-search-") + ::testing::UnitTest::GetInstance()->current_test_info()->name();
    db_ = std::make_unique<store::TemporaryDatabase>(name);
    ASSERT_TRUE(db_->status().ok()) << db_->status().to_string();
    auto conn = (*db_)->connection();
    ASSERT_TRUE(conn.ok());
    conn_ = *conn;
    sql("INSERT INTO organisations (name, created_at) VALUES ('Org', 'x'), ('Other', 'x')");
    sql("INSERT INTO library_subscriptions (organisation_id, url, created_at)"
        " VALUES (1, 'https://far.example/feed.json', 'x')");
  }

  void sql(const std::string& statement, std::vector<store::Value> params = {}) {
    auto done = conn_->execute(statement, params);
    ASSERT_TRUE(done.ok()) << statement << ": " << done.status().to_string();
  }

  // Adds `s`, indexed as the library's writers do, and gives its id.
  int64_t add(const Study& s) {
    auto row = conn_->query_one(
        "INSERT INTO library_case_studies (organisation_id, status, title, summary, setting, rung, area_of_care,"
        " content, subscription_id, source_organisation, created_at, updated_at, published_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, '{}', $8, $9, $10, $10, $11) RETURNING id",
        {s.organisation, s.status, s.title, s.summary, s.setting, s.rung, s.area_of_care, s.subscription,
         s.source_organisation, s.updated_at, s.published_at.empty() ? store::Value() : store::Value(s.published_at)});
    EXPECT_TRUE(row.ok()) << row.status().to_string();
    if (!row.ok()) return 0;
    int64_t id = row->integer(0);
    for (const auto& p : s.principles)
      sql("INSERT INTO library_case_study_principles (case_study_id, principle) VALUES ($1, $2)", {id, p});
    Status indexed = index_case_study(*conn_, id, s.title, s.summary, s.body);
    EXPECT_TRUE(indexed.ok()) << indexed.to_string();
    return id;
  }

  int64_t add(std::string title, std::string summary = "", std::string body = "") {
    Study s;
    s.title = std::move(title);
    s.summary = std::move(summary);
    s.body = std::move(body);
    return add(s);
  }

  SearchResult run(const SearchQuery& q) {
    auto r = search(**db_, q);
    EXPECT_TRUE(r.ok()) << "q='" << q.q << "': " << r.status().to_string();
    return r.ok() ? *r : SearchResult{};
  }

  SearchResult run(const std::string& typed) { return run(words(typed)); }

  // The ids of the hits, in order.
  static std::vector<int64_t> ids(const SearchResult& r) {
    std::vector<int64_t> out;
    for (const auto& h : r.hits) out.push_back(h.id);
    return out;
  }
  std::vector<int64_t> ids_for(const std::string& typed) { return ids(run(typed)); }
  std::set<int64_t> set_for(const std::string& typed) { return id_set(run(typed)); }

  // The count beside `value` in `facet`, or -1 when it is not listed.
  static int64_t count_of(const SearchResult& r, const std::string& facet, const std::string& value) {
    auto it = r.facets.find(facet);
    if (it == r.facets.end()) return -1;
    for (const auto& v : it->second)
      if (v.value == value) return v.count;
    return -1;
  }

  std::unique_ptr<store::TemporaryDatabase> db_;
  store::Connection* conn_ = nullptr;
};

// ---- Words and ranking ------------------------------------------------------

TEST_F(SearchTest, ATitleMatchRanksAboveASummaryMatchAboveABodyMatch) {
  int64_t body = add("Soup on Fridays", "Residents chose the soup.", "We planted a garden behind the kitchen.");
  int64_t title = add("The garden group", "Residents meet weekly.", "They plan the planting.");
  int64_t summary = add("Weekly meetings", "Residents plan the garden.", "Seeds and tools were bought.");
  add("Unrelated", "Nothing here", "Nothing at all");
  SearchResult r = run("garden");
  EXPECT_EQ(ids(r), (std::vector<int64_t>{title, summary, body}));
  EXPECT_EQ(r.total, 3);
}

TEST_F(SearchTest, RankingIsTheSameWithFiltersAndInOneLibrary) {
  Study s;
  s.setting = "nhs";
  for (const char* title : {"Garden one", "Garden two", "Garden three", "Garden four"}) {
    s.title = title;
    add(s);  // not in care homes: not on the page below, and not scored
  }
  int64_t body = add("Soup on Fridays", "Residents chose the soup.", "We planted a garden behind the kitchen.");
  int64_t title = add("The garden group", "Residents meet weekly.", "They plan the planting.");
  int64_t summary = add("Weekly meetings", "Residents plan the garden.", "Seeds and tools were bought.");
  SearchQuery q = words("garden");
  q.setting = "care_home";
  EXPECT_EQ(ids(run(q)), (std::vector<int64_t>{title, summary, body}));
  q.organisation_id = 1;
  EXPECT_EQ(ids(run(q)), (std::vector<int64_t>{title, summary, body}));
  q.setting = "";
  EXPECT_EQ(run(q).total, 7);
}

TEST_F(SearchTest, EveryWordMustBeFound) {
  int64_t both = add("Menu planning with residents");
  add("Menu planning with staff");
  EXPECT_EQ(ids_for("menu residents"), (std::vector<int64_t>{both}));
}

TEST_F(SearchTest, PluralAndSingularFindEachOther) {
  int64_t plural = add("Support for carers");
  int64_t singular = add("A carer speaks");
  add("Caravan trips");
  std::set<int64_t> want = {plural, singular};
  EXPECT_EQ(set_for("carer"), want);
  EXPECT_EQ(set_for("carers"), want);
  EXPECT_EQ(set_for("Carers"), want);
}

// Every way of writing co-production, in the case study or in the search
// box, finds every other.
TEST_F(SearchTest, EverySpellingOfCoProductionFindsTheSameCaseStudies) {
  std::set<int64_t> want;
  for (const char* title :
       {"Co-production in a care home", "Coproduction of the menu", "Co production week", "We co-produced the rota",
        "Coproducing training", "How to co-produce", "Co\u2010production with a Unicode hyphen"})
    want.insert(add(title));
  add("The production of leaflets");
  add("A new product");
  add("Co workers producing reports");
  for (const char* typed :
       {"co-production", "coproduction", "co production", "Co-Production", "CO PRODUCTION", "co-produce", "coproduced",
        "co-producing", "co\u2010production", "co\u2013production", "coproduc"}) {
    SCOPED_TRACE(typed);
    EXPECT_EQ(set_for(typed), want);
  }
}

TEST_F(SearchTest, CoProductionCombinesWithOtherWords) {
  int64_t week = add("Co-production week", "", "");
  int64_t week2 = add("Coproduction week", "", "");
  add("Co-production in a care home");
  add("A week away");
  std::set<int64_t> want = {week, week2};
  EXPECT_EQ(set_for("co-production week"), want);
  EXPECT_EQ(set_for("week co production"), want);
  EXPECT_EQ(set_for("\"co-production week\""), want);
  EXPECT_EQ(set_for("\"coproduction week\""), want);
}

TEST_F(SearchTest, QuotesMakeAPhrase) {
  int64_t phrase = add("Care home menus");
  int64_t apart = add("Home-grown care and menus");
  EXPECT_EQ(ids_for("\"care home\""), (std::vector<int64_t>{phrase}));
  EXPECT_EQ(ids_for("\u201Ccare home\u201D"), (std::vector<int64_t>{phrase})) << "curly quotes too";
  EXPECT_EQ(set_for("care home"), (std::set<int64_t>{phrase, apart}));
  EXPECT_EQ(ids_for("\"care home"), (std::vector<int64_t>{phrase})) << "an unbalanced quote runs to the end";
}

TEST_F(SearchTest, HyphenatedWordsAreAPhrase) {
  int64_t hyphen = add("Well-being walks");
  int64_t spaced = add("Well being walks");
  add("Being well");
  std::set<int64_t> want = {hyphen, spaced};
  EXPECT_EQ(set_for("well-being"), want);
}

TEST_F(SearchTest, HostileQueriesNeverFail) {
  add("Menu", "near and or not", "title: body");
  for (const char* typed : {"\"",
                            "\"\"",
                            "\"unbalanced",
                            "*",
                            "NEAR(",
                            "NEAR(menu near, 2)",
                            "AND",
                            "OR",
                            "NOT",
                            "menu AND",
                            "- menu",
                            "-menu",
                            "+",
                            "^menu",
                            "(",
                            ")",
                            "menu)",
                            "((menu",
                            "{title}: menu",
                            "title:menu",
                            ":",
                            "'",
                            "' OR 1=1 --",
                            "\\",
                            "%",
                            "_",
                            "\x01",
                            "\x02menu\x01",
                            "\x7f",
                            "\u2603",
                            "\u2603 menu",
                            "co-",
                            "co",
                            "-co-production-",
                            "coproduc*",
                            "co \"production",
                            "\"co\" production",
                            "\xff\xfe",
                            "\xe2\x82",
                            "menu\"*(",
                            ";",
                            "DROP TABLE x",
                            "a AND b OR c NOT d",
                            "\"\" \"\" \"\"",
                            "   ",
                            "\t\n"}) {
    SCOPED_TRACE(typed);
    SearchQuery q;
    q.q = typed;
    auto r = search(**db_, q);
    ASSERT_TRUE(r.ok()) << r.status().to_string();
    for (const auto& h : r->hits) {
      EXPECT_EQ(h.snippet_html.find('\x01'), std::string::npos);
      EXPECT_EQ(h.snippet_html.find('\x02'), std::string::npos);
    }
  }
  std::string long_query(5000, 'a');
  for (int i = 0; i < 300; ++i) long_query += " menu";
  EXPECT_TRUE(search(**db_, words(long_query)).ok());
}

TEST_F(SearchTest, OnlySymbolsListsEverything) {
  add("Menu");
  add("Garden");
  EXPECT_EQ(run("!!! ???").total, 2);
  EXPECT_EQ(run("\u2603").total, 2) << "a snowman is no word";
}

// ---- Snippets ---------------------------------------------------------------

TEST_F(SearchTest, SnippetsMarkTheWordsAndEscapeTheText) {
  int64_t id = add("Safety", "A summary with no match",
                   "Someone wrote <script>alert('x')</script> & \"quotes\" beside the garden.");
  SearchResult r = run("garden");
  ASSERT_EQ(ids(r), (std::vector<int64_t>{id}));
  const std::string& html = r.hits[0].snippet_html;
  EXPECT_EQ(html,
            "Someone wrote &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quotes&quot; beside the "
            "<mark>garden</mark>.");
}

TEST_F(SearchTest, TheSnippetIsTheSummaryWhenTheWordsAreInIt) {
  add("Gardens", "Residents & staff dug the garden.", "A long story about a garden and more.");
  SearchResult r = run("garden");
  ASSERT_EQ(r.hits.size(), 1u);
  EXPECT_EQ(r.hits[0].snippet_html, "Residents &amp; staff dug the <mark>garden</mark>.");
}

TEST_F(SearchTest, ATitleOnlyMatchShowsTheSummary) {
  add("The garden", "Residents <b>planted</b> beans.", "Seeds.");
  SearchResult r = run("garden");
  ASSERT_EQ(r.hits.size(), 1u);
  EXPECT_EQ(r.hits[0].snippet_html, "Residents &lt;b&gt;planted&lt;/b&gt; beans.");
}

TEST_F(SearchTest, SnippetsMarkEverySpellingOfCoProduction) {
  add("One", "Residents co-produced the menu.", "");
  add("Two", "A summary", "Staff and residents on coproduction and then co production.");
  for (const char* typed : {"co-production", "coproducing"}) {
    SCOPED_TRACE(typed);
    std::set<std::string> snippets;
    for (const auto& h : run(typed).hits) snippets.insert(h.snippet_html);
    EXPECT_EQ(snippets, (std::set<std::string>{
                            "Residents <mark>co-produced</mark> the menu.",
                            "Staff and residents on <mark>coproduction</mark> and then <mark>co production</mark>."}));
  }
}

TEST_F(SearchTest, WithoutWordsTheSnippetIsTheSummaryEscaped) {
  add("Menus", "Fish & chips <i>on Fridays</i>", "");
  SearchResult r = run("");
  ASSERT_EQ(r.hits.size(), 1u);
  EXPECT_EQ(r.hits[0].snippet_html, "Fish &amp; chips &lt;i&gt;on Fridays&lt;/i&gt;");
}

TEST_F(SearchTest, MarksInTheStoredTextNeverBecomeHtml) {
  add("Marks", "summary \x01with\x02 marks \x02", "and a garden \x01");
  for (const char* typed : {"", "garden", "marks"}) {
    SearchResult r = run(typed);
    ASSERT_EQ(r.hits.size(), 1u) << typed;
    const std::string& html = r.hits[0].snippet_html;
    EXPECT_EQ(html.find('\x01'), std::string::npos) << typed;
    EXPECT_EQ(html.find('\x02'), std::string::npos) << typed;
    size_t opened = 0, closed = 0;
    for (size_t at = html.find("<mark>"); at != std::string::npos; at = html.find("<mark>", at + 1)) ++opened;
    for (size_t at = html.find("</mark>"); at != std::string::npos; at = html.find("</mark>", at + 1)) ++closed;
    EXPECT_EQ(opened, closed) << html;
  }
}

// ---- Order and pages --------------------------------------------------------

TEST_F(SearchTest, WithoutWordsNewestComesFirst) {
  Study s;
  s.title = "Old";
  s.published_at = s.updated_at = "2025-01-01T10:00:00Z";
  int64_t old_one = add(s);
  s.title = "New";
  s.published_at = s.updated_at = "2026-03-01T10:00:00Z";
  int64_t new_one = add(s);
  s.title = "Same day, added later";
  int64_t later = add(s);
  s.title = "Draft edited yesterday";
  s.status = "draft";
  s.published_at = "";
  s.updated_at = "2026-02-01T10:00:00Z";
  int64_t draft = add(s);
  SearchQuery q;
  q.organisation_id = 1;
  q.include_unpublished = true;
  EXPECT_EQ(ids(run(q)), (std::vector<int64_t>{later, new_one, draft, old_one}));
}

TEST_F(SearchTest, NewestFirstAmongMatchesWhenAskedFor) {
  Study s;
  s.title = "The garden";
  s.published_at = "2025-01-01T10:00:00Z";
  int64_t best_but_old = add(s);
  s.title = "Menus";
  s.body = "We also mentioned the garden once.";
  s.published_at = "2026-01-01T10:00:00Z";
  int64_t newer = add(s);
  SearchQuery q;
  q.q = "garden";
  EXPECT_EQ(ids(run(q)), (std::vector<int64_t>{best_but_old, newer}));
  q.sort = "newest";
  EXPECT_EQ(ids(run(q)), (std::vector<int64_t>{newer, best_but_old}));
}

// Ranking by bm25 costs about a microsecond a match, so words in more than
// 5,000 case studies are ranked by where they are: in the title first, then
// in the summary, then anywhere, newest first within each.
TEST_F(SearchTest, WordsInVeryManyCaseStudiesAreRankedByWhereTheyAre) {
  ASSERT_TRUE(conn_->begin(store::TransactionMode::kWrite).ok());
  Study s;
  s.body = "a story about the garden";
  for (int i = 0; i < 5000; ++i) {
    s.title = "Story " + std::to_string(i);
    add(s);
  }
  Study in_title;
  in_title.title = "The garden";
  in_title.published_at = "2020-01-01T10:00:00Z";
  int64_t title = add(in_title);
  Study in_summary;
  in_summary.title = "Old";
  in_summary.summary = "the garden";
  in_summary.published_at = "2020-01-01T10:00:00Z";
  int64_t summary = add(in_summary);
  Study newest;
  newest.title = "Newest";
  newest.body = "garden";
  newest.published_at = "2027-01-01T10:00:00Z";
  int64_t latest = add(newest);
  ASSERT_TRUE(conn_->commit().ok());

  SearchQuery q = words("garden");
  q.per_page = 3;
  SearchResult r = run(q);
  EXPECT_EQ(r.total, 5003);
  EXPECT_EQ(ids(r), (std::vector<int64_t>{title, summary, latest}));
  q.page = 1668;  // the last, of the oldest in the story only
  r = run(q);
  EXPECT_EQ(r.pages, 1668);
  EXPECT_EQ(ids(r), (std::vector<int64_t>{2, 1}));
}

TEST_F(SearchTest, PagesSplitTheResultsWithoutOverlap) {
  Study s;
  for (int i = 0; i < 25; ++i) {
    s.title = "Garden " + std::to_string(i);
    s.published_at = "2026-01-" + std::string(i < 9 ? "0" : "") + std::to_string(i + 1) + "T10:00:00Z";
    add(s);
  }
  add("Menus");
  SearchQuery q;
  q.q = "garden";
  q.per_page = 10;
  std::set<int64_t> seen;
  for (int page = 1; page <= 3; ++page) {
    q.page = page;
    SearchResult r = run(q);
    EXPECT_EQ(r.total, 25);
    EXPECT_EQ(r.pages, 3);
    EXPECT_EQ(r.page, page);
    EXPECT_EQ(r.hits.size(), page < 3 ? 10u : 5u);
    for (const auto& h : r.hits) EXPECT_TRUE(seen.insert(h.id).second) << "seen twice: " << h.id;
  }
  EXPECT_EQ(seen.size(), 25u);
  q.page = 4;
  SearchResult past = run(q);
  EXPECT_TRUE(past.hits.empty());
  EXPECT_EQ(past.total, 25);
  q.page = 0;
  EXPECT_EQ(run(q).page, 1) << "pages count from 1";
}

// ---- Who sees what ----------------------------------------------------------

TEST_F(SearchTest, DraftsAreShownOnlyToTheirOrganisationsStaffAndWithdrawnNever) {
  Study s;
  s.title = "Garden published";
  int64_t published = add(s);
  s.title = "Garden draft";
  s.status = "draft";
  s.published_at = "";
  int64_t draft = add(s);
  s.title = "Garden in review";
  s.status = "in_review";
  int64_t in_review = add(s);
  s.title = "Garden withdrawn";
  s.status = "withdrawn";
  add(s);  // still indexed here, as if unindexing had failed: the status decides
  s.title = "Garden draft of another";
  s.status = "draft";
  s.organisation = 2;
  add(s);

  for (const char* typed : {"garden", ""}) {
    SCOPED_TRACE(typed);
    SearchQuery q;
    q.q = typed;
    EXPECT_EQ(ids(run(q)), (std::vector<int64_t>{published})) << "the public, every organisation";
    q.organisation_id = 1;
    EXPECT_EQ(ids(run(q)), (std::vector<int64_t>{published})) << "the public, one organisation";
    q.include_unpublished = true;
    EXPECT_EQ(id_set(run(q)), (std::set<int64_t>{published, draft, in_review})) << "its staff";
  }
}

TEST_F(SearchTest, AnOrganisationsLibraryHoldsItsOwnAndWhatItReadsFromFeeds) {
  int64_t own = add("Garden at home");
  Study imported;
  imported.title = "Garden far away";
  imported.source_organisation = "Far Trust";
  imported.subscription = 1;
  int64_t far = add(imported);
  Study other;
  other.title = "Garden of another";
  other.organisation = 2;
  int64_t theirs = add(other);

  SearchQuery q;
  q.q = "garden";
  q.organisation_id = 1;
  SearchResult r = run(q);
  EXPECT_EQ(id_set(r), (std::set<int64_t>{own, far}));
  for (const auto& h : r.hits) {
    if (h.id == own) {
      EXPECT_EQ(h.organisation, "Org");
      EXPECT_FALSE(h.source.has_value());
    } else {
      EXPECT_EQ(h.organisation, "Far Trust");
      EXPECT_EQ(h.source, "https://far.example/feed.json");
    }
  }
  q.organisation_id = std::nullopt;
  EXPECT_EQ(id_set(run(q)), (std::set<int64_t>{own, far, theirs}));
}

// Search keeps what it reads in memory from one search to the next; a
// change through the functions in search.h shows at the next search.
TEST_F(SearchTest, AChangeShowsAtTheNextSearch) {
  Study s;
  s.title = "Garden draft";
  s.status = "draft";
  s.published_at = "";
  int64_t id = add(s);
  add("Garden published");
  for (int twice = 0; twice < 2; ++twice) {
    EXPECT_EQ(run("garden").total, 1);
    EXPECT_EQ(run("").total, 1);
  }
  sql("UPDATE library_case_studies SET status = 'published', published_at = '2026-02-01T10:00:00Z' WHERE id = $1",
      {id});
  ASSERT_TRUE(case_study_changed(*conn_, id).ok());
  EXPECT_EQ(run("garden").total, 2);
  EXPECT_EQ(run("").total, 2);
  EXPECT_EQ(ids_for("garden").front(), id) << "the newest first";

  sql("DELETE FROM library_case_studies WHERE id = $1", {id});
  ASSERT_TRUE(unindex_case_study(*conn_, id).ok()) << "after deleting";
  EXPECT_EQ(run("garden").total, 1);
  EXPECT_EQ(run("").total, 1);
}

TEST_F(SearchTest, AChangeRolledBackIsForgotten) {
  int64_t id = add("Garden");
  EXPECT_EQ(count_of(run(""), "setting", "care_home"), 1);
  ASSERT_TRUE(conn_->begin(store::TransactionMode::kWrite).ok());
  sql("UPDATE library_case_studies SET setting = 'nhs' WHERE id = $1", {id});
  ASSERT_TRUE(index_case_study(*conn_, id, "Menus", "", "").ok());
  SearchResult inside = run("");  // in the transaction: sees the change
  EXPECT_EQ(count_of(inside, "setting", "nhs"), 1);
  EXPECT_EQ(ids_for("menus"), (std::vector<int64_t>{id}));
  ASSERT_TRUE(conn_->rollback().ok());
  SearchResult after = run("");
  EXPECT_EQ(count_of(after, "setting", "care_home"), 1);
  EXPECT_EQ(count_of(after, "setting", "nhs"), -1);
  EXPECT_EQ(ids_for("garden"), (std::vector<int64_t>{id}));
  EXPECT_TRUE(ids_for("menus").empty());
}

TEST_F(SearchTest, RemovedFromTheIndexIsNoLongerFoundByWords) {
  int64_t id = add("Garden");
  EXPECT_EQ(ids_for("garden"), (std::vector<int64_t>{id}));
  ASSERT_TRUE(unindex_case_study(*conn_, id).ok());
  EXPECT_TRUE(ids_for("garden").empty());
  EXPECT_TRUE(unindex_case_study(*conn_, id).ok()) << "twice is fine";
}

TEST_F(SearchTest, ReindexingReplacesTheWords) {
  int64_t id = add("Garden");
  ASSERT_TRUE(index_case_study(*conn_, id, "Menus", "", "").ok());
  EXPECT_TRUE(ids_for("garden").empty());
  EXPECT_EQ(ids_for("menus"), (std::vector<int64_t>{id}));
}

// ---- Filters and their counts -------------------------------------------

// Five case studies with the word "garden" and one without:
//   id  setting     rung           principles              area            organisation
//   a   care_home   co_production  equality, diversity     Dementia care   Org
//   b   care_home   consultation   equality                Dementia care   Org
//   c   nhs         co_production  reciprocity             Mental health   Org
//   d   nhs         co_production  (none)                  Mental health   Far Trust (imported)
//   e   housing     co_design      equality                Dementia care   Other (organisation 2)
//   f   care_home   co_production  equality                Dementia care   Org, no "garden"
class SearchFacetsTest : public SearchTest {
 protected:
  void SetUp() override {
    SearchTest::SetUp();
    if (HasFatalFailure()) return;
    a_ = add(make("care_home", "co_production", {"equality", "diversity"}, "Dementia care"));
    b_ = add(make("care_home", "consultation", {"equality"}, "Dementia care"));
    c_ = add(make("nhs", "co_production", {"reciprocity"}, "Mental health"));
    Study d = make("nhs", "co_production", {}, "Mental health");
    d.source_organisation = "Far Trust";
    d.subscription = 1;
    d_ = add(d);
    Study e = make("housing", "co_design", {"equality"}, "Dementia care");
    e.organisation = 2;
    e_ = add(e);
    Study f = make("care_home", "co_production", {"equality"}, "Dementia care");
    f.title = "Menus";
    f_ = add(f);
  }

  static Study make(std::string setting, std::string rung, std::vector<std::string> principles, std::string area) {
    Study s;
    s.title = "Garden";
    s.setting = std::move(setting);
    s.rung = std::move(rung);
    s.principles = std::move(principles);
    s.area_of_care = std::move(area);
    return s;
  }

  int64_t a_ = 0, b_ = 0, c_ = 0, d_ = 0, e_ = 0, f_ = 0;
};

TEST_F(SearchFacetsTest, WithNoFilterEachValueCountsTheMatches) {
  SearchQuery q;
  q.q = "garden";
  SearchResult r = run(q);
  EXPECT_EQ(r.total, 5);
  EXPECT_EQ(count_of(r, "setting", "care_home"), 2);
  EXPECT_EQ(count_of(r, "setting", "nhs"), 2);
  EXPECT_EQ(count_of(r, "setting", "housing"), 1);
  EXPECT_EQ(count_of(r, "setting", "home_care"), -1) << "values nothing has are left out";
  EXPECT_EQ(count_of(r, "rung", "co_production"), 3);
  EXPECT_EQ(count_of(r, "rung", "consultation"), 1);
  EXPECT_EQ(count_of(r, "principle", "equality"), 3);
  EXPECT_EQ(count_of(r, "principle", "diversity"), 1);
  EXPECT_EQ(count_of(r, "principle", "reciprocity"), 1);
  EXPECT_EQ(count_of(r, "area_of_care", "Dementia care"), 3);
  EXPECT_EQ(count_of(r, "area_of_care", "Mental health"), 2);
  EXPECT_EQ(count_of(r, "organisation", "Org"), 3);
  EXPECT_EQ(count_of(r, "organisation", "Far Trust"), 1);
  EXPECT_EQ(count_of(r, "organisation", "Other"), 1);
}

TEST_F(SearchFacetsTest, ValuesComeInTheVocabularysOrderOrByCountThenName) {
  SearchResult r = run(words("garden"));
  auto values = [&](const std::string& facet) {
    std::vector<std::string> out;
    for (const auto& v : r.facets[facet]) out.push_back(v.value);
    return out;
  };
  EXPECT_EQ(values("setting"), (std::vector<std::string>{"nhs", "care_home", "housing"}));
  EXPECT_EQ(values("rung"), (std::vector<std::string>{"consultation", "co_design", "co_production"}));
  EXPECT_EQ(values("principle"), (std::vector<std::string>{"equality", "diversity", "reciprocity"}));
  EXPECT_EQ(values("organisation"), (std::vector<std::string>{"Org", "Far Trust", "Other"}));
  EXPECT_EQ(values("area_of_care"), (std::vector<std::string>{"Dementia care", "Mental health"}));
  EXPECT_EQ(r.facets["setting"][1].label, "Care home");
  EXPECT_EQ(r.facets["rung"][2].label, "Co-production");
}

TEST_F(SearchFacetsTest, AFiltersOwnValuesAreCountedGivenTheOtherFiltersOnly) {
  SearchQuery q;
  q.q = "garden";
  q.setting = "care_home";
  SearchResult r = run(q);
  EXPECT_EQ(r.total, 2);
  EXPECT_EQ(id_set(r), (std::set<int64_t>{a_, b_}));
  // The setting's own values still show what choosing another would give.
  EXPECT_EQ(count_of(r, "setting", "care_home"), 2);
  EXPECT_EQ(count_of(r, "setting", "nhs"), 2);
  EXPECT_EQ(count_of(r, "setting", "housing"), 1);
  // The others count within care homes.
  EXPECT_EQ(count_of(r, "rung", "co_production"), 1);
  EXPECT_EQ(count_of(r, "rung", "consultation"), 1);
  EXPECT_EQ(count_of(r, "principle", "equality"), 2);
  EXPECT_EQ(count_of(r, "principle", "reciprocity"), -1);
  EXPECT_EQ(count_of(r, "organisation", "Org"), 2);
  for (const auto& v : r.facets["setting"]) EXPECT_EQ(v.selected, v.value == "care_home") << v.value;
  for (const auto& v : r.facets["rung"]) EXPECT_FALSE(v.selected) << v.value;
}

TEST_F(SearchFacetsTest, SeveralFiltersCombine) {
  SearchQuery q;
  q.q = "garden";
  q.rung = "co_production";
  q.principle = "equality";
  SearchResult r = run(q);
  EXPECT_EQ(ids(r), (std::vector<int64_t>{a_}));
  // rung given equality: a (co_production), b (consultation), e (co_design)
  EXPECT_EQ(count_of(r, "rung", "co_production"), 1);
  EXPECT_EQ(count_of(r, "rung", "consultation"), 1);
  EXPECT_EQ(count_of(r, "rung", "co_design"), 1);
  // principle given co_production: a (equality, diversity), c (reciprocity), d (none)
  EXPECT_EQ(count_of(r, "principle", "equality"), 1);
  EXPECT_EQ(count_of(r, "principle", "diversity"), 1);
  EXPECT_EQ(count_of(r, "principle", "reciprocity"), 1);
  // the rest given both: a only
  EXPECT_EQ(count_of(r, "setting", "care_home"), 1);
  EXPECT_EQ(count_of(r, "setting", "nhs"), -1);
  EXPECT_EQ(count_of(r, "area_of_care", "Dementia care"), 1);

  q.area_of_care = "Mental health";
  q.organisation = "Far Trust";
  r = run(q);
  EXPECT_TRUE(r.hits.empty());
  EXPECT_EQ(r.total, 0);
  // principle given co_production, Mental health, Far Trust: d, which has none
  EXPECT_EQ(count_of(r, "principle", "equality"), 0) << "the chosen value stays listed, with 0";
  EXPECT_EQ(count_of(r, "principle", "reciprocity"), -1);
  // organisation given co_production, equality, Mental health: nothing
  EXPECT_EQ(count_of(r, "organisation", "Far Trust"), 0);
  EXPECT_TRUE(r.facets["organisation"][0].selected);
}

TEST_F(SearchFacetsTest, FiltersByOrganisationNameAndAreaOfCare) {
  SearchQuery q;
  q.organisation = "Far Trust";
  EXPECT_EQ(ids(run(q)), (std::vector<int64_t>{d_}));
  q.organisation = "Other";
  EXPECT_EQ(ids(run(q)), (std::vector<int64_t>{e_}));
  q.organisation = "";
  q.area_of_care = "Mental health";
  SearchResult r = run(q);
  EXPECT_EQ(id_set(r), (std::set<int64_t>{c_, d_}));
}

TEST_F(SearchFacetsTest, WithoutWordsCountsCoverEverything) {
  SearchResult r = run(SearchQuery{});
  EXPECT_EQ(r.total, 6);
  EXPECT_EQ(count_of(r, "setting", "care_home"), 3);
  EXPECT_EQ(count_of(r, "principle", "equality"), 4);
}

TEST_F(SearchFacetsTest, CountsFollowTheLibraryShown) {
  SearchQuery q;
  q.organisation_id = 2;
  SearchResult r = run(q);
  EXPECT_EQ(ids(r), (std::vector<int64_t>{e_}));
  EXPECT_EQ(count_of(r, "setting", "housing"), 1);
  EXPECT_EQ(count_of(r, "setting", "care_home"), -1);
}

TEST_F(SearchFacetsTest, UnknownFilterValuesFindNothingButAreNoError) {
  for (auto set : std::vector<void (*)(SearchQuery&)>{
           [](SearchQuery& q) { q.setting = "castle"; }, [](SearchQuery& q) { q.rung = "top"; },
           [](SearchQuery& q) { q.principle = "kindness"; }, [](SearchQuery& q) { q.area_of_care = "Nowhere"; },
           [](SearchQuery& q) { q.organisation = "Nobody"; }}) {
    SearchQuery q;
    q.q = "garden";
    set(q);
    auto r = search(**db_, q);
    ASSERT_TRUE(r.ok()) << r.status().to_string();
    EXPECT_EQ(r->total, 0);
    EXPECT_TRUE(r->hits.empty());
  }
  SearchQuery q;
  q.setting = "castle";
  SearchResult r = run(q);
  EXPECT_EQ(count_of(r, "setting", "care_home"), 3) << "the other values still say what they would give";
}

}  // namespace
}  // namespace coproduce::library
