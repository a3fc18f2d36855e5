// Finding case studies in the library: full-text search ranked by relevance,
// with highlighted snippets, filters (setting, rung, principle, area of care,
// organisation) and the count beside each filter value, newest or most
// relevant first, a page at a time.
//
// The words are indexed by the store's full-text index (store/text_index.h:
// SQLite FTS5 today; a PostgreSQL backend implements the same interface), so
// nothing here is engine-specific. 'co-production', 'coproduction' and
// 'co production' find the same case studies, and so do plural and singular
// forms of a word.
#ifndef COPRODUCE_LIBRARY_SEARCH_H_
#define COPRODUCE_LIBRARY_SEARCH_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/database.h"

namespace coproduce::library {

struct SearchQuery {
  // Whose library: that organisation's own case studies and those it reads
  // from feeds. None: every organisation's (a deployment with several).
  std::optional<int64_t> organisation_id;
  std::string q;  // words typed; "" lists everything
  // Filters; "" for any. organisation is the name shown in the facet.
  std::string setting, rung, principle, area_of_care, organisation;
  // "relevance" (best match first; newest first when q is empty) or "newest".
  // Relevance is bm25 with a word in the title counting 10 times one in the
  // story and one in the summary 4 times. Words in more than 5,000 case
  // studies (too many to score within the time a page has) rank by where
  // they are instead: all in the title first, then in the title or
  // summary, then anywhere, newest first within each.
  std::string sort = "relevance";
  int page = 1;  // from 1; past the last page gives no hits
  int per_page = 20;
  // Staff of organisation_id also see its drafts and those in review.
  bool include_unpublished = false;
};

struct SearchHit {
  int64_t id = 0;
  std::string title, summary, setting, rung, area_of_care, status, published_at, updated_at;
  // Safe HTML: an escaped extract of the text around the words searched
  // for, each match in <mark>...</mark>; the summary (escaped) with no q.
  std::string snippet_html;
  std::string organisation;  // the organisation the case study comes from
  std::optional<std::string> source;  // the feed URL for one read from a feed
};

// One value of a filter with how many results it would give, given the
// words and the other filters.
struct FacetCount {
  std::string value;  // the code ("care_home") or, for organisation and area_of_care, the name
  std::string label;  // words for people
  int64_t count = 0;
  bool selected = false;
};

struct SearchResult {
  std::vector<SearchHit> hits;
  int64_t total = 0;  // hits on every page
  int page = 1, pages = 0;
  // "setting", "rung", "principle", "area_of_care", "organisation", each in
  // the vocabulary's order (codes) or by count then name (names). Values
  // that would give nothing are left out, except the one chosen.
  std::map<std::string, std::vector<FacetCount>> facets;
};

// Runs `query` on this thread's connection, in one read transaction (or in
// the caller's). Bad filter codes find nothing (they are not errors); q is
// read as words (quotes make a phrase, hyphenated words are one); other
// characters the engine would read as syntax are taken as spaces, so
// nothing typed fails; q with no words lists everything. At most the first
// 1,000 bytes and 32 words or phrases of q are used, and 100 hits a page.
//
// What the counts need of every case study comes from library_search_rows,
// a narrow copy of library_case_studies, and is kept in memory from one
// search to the next, with the matches of recent searches, for as long as
// no case study changes (a stamp in the database says when one has, so
// this holds for several processes). So the time grows little with the
// number of case studies the words allow. At 100,000 (bench/library/
// search_bench.cc): about 2 ms with no words, 4 to 8 for most words; 15 to
// 40 for a phrase of two words most case studies hold (the index compares
// where the words are in each of them), and up to 25 for such a word the
// first time it is searched for after a change. The first search after a
// change reads the rows again: 100 to 300 ms at 100,000.
//
//   SearchQuery q;
//   q.organisation_id = org;
//   q.q = "co-production menus";
//   q.setting = "care_home";
//   auto found = library::search(db, q);  // found->hits, found->facets["rung"], ...
StatusOr<SearchResult> search(store::Database& db, const SearchQuery& query);

// Keep search in step with library_case_studies and its principles: call
// one of these inside the transaction that writes a case study, after
// writing it and its principles, every time. Each copies what search reads
// of the case study as the tables now hold it into library_search_rows
// (leaving it out when it has been deleted).
//
// index_case_study: the words may have changed (and anything else). `body`
// is the plain text of the story and outcomes (case_study.h story_text()).
Status index_case_study(store::Connection& c, int64_t id, const std::string& title, const std::string& summary,
                        const std::string& body);
// case_study_changed: the words have not (status, dates, filters, principles).
Status case_study_changed(store::Connection& c, int64_t id);
// unindex_case_study: it is no longer to be found by its words (withdrawn,
// or deleted: call it after deleting the case study).
Status unindex_case_study(store::Connection& c, int64_t id);

}  // namespace coproduce::library

#endif  // COPRODUCE_LIBRARY_SEARCH_H_
