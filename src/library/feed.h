// The library's case studies as a JSON Feed 1.1 (https://jsonfeed.org/version/1.1),
// so organisations can share them, and the reader for feeds others publish.
// The structured case study travels in a "_coproduce" extension object on
// each item (documented in docs/library.md); ordinary feed readers see the
// title, summary and the story as HTML. Pure: no network, no database.
#ifndef COPRODUCE_LIBRARY_FEED_H_
#define COPRODUCE_LIBRARY_FEED_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "library/case_study.h"

namespace coproduce::library {

// Where the "_coproduce" extension is documented, written into every feed.
inline constexpr const char* kFeedExtensionAbout = "https://coproduce.example/docs/library#feed-extension";
// The version of the extension this code writes and reads.
inline constexpr int kFeedExtensionVersion = 1;
// Limits on a feed read from outside.
inline constexpr size_t kMaxFeedBytes = 64u * 1024u * 1024u;
inline constexpr size_t kMaxFeedItems = 20000;

struct FeedItem {
  std::string id;   // stable, e.g. "https://host/library/case-studies/12"
  std::string url;  // the case study's page
  CaseStudyInput study;  // consents are never written to a feed
  std::string date_published, date_modified;  // RFC 3339, e.g. "2026-03-27T10:00:00Z"
  std::vector<std::string> authors;  // names of the organisation / credited reviewers
  std::vector<std::string> tags;     // setting, rung, principles as words (see tags_for())
  bool withdrawn = false;            // written with id, url, title and dates only
  std::string source_organisation;   // the publishing organisation's name
};

struct Feed {
  std::string title, home_page_url, feed_url, organisation;
  std::vector<FeedItem> items;
};

// The feed as JSON Feed 1.1 text (UTF-8, indented). Each item has id, url,
// title, summary, content_html (story_markdown() through
// learning::render_markdown, so it is safe HTML), date_published,
// date_modified, authors [{name}], tags and "_coproduce". A withdrawn item
// keeps id, url, title and dates, says it was withdrawn in content_text and
// carries only {about, version, organisation, withdrawn: true} in
// "_coproduce". Empty optional values are left out. Bytes that are not
// UTF-8 are written as U+FFFD. Thread-safe.
std::string write_feed(const Feed& feed);

// One problem with a feed read from outside. `where` is a path into the
// document ("items[3].title", "items[3]._coproduce.setting",
// "items[3]._coproduce.images[0].alt"), a place in the text ("line 4,
// column 12") when it is not JSON, or "" for the feed as a whole.
struct FeedProblem {
  std::string where;
  std::string message;
};

struct ReadFeed {
  Feed feed;
  // For each item of feed.items, its content_html exactly as the feed had
  // it (or its content_text escaped into paragraphs, or ""). NOT safe to
  // show: the caller sanitises it.
  std::vector<std::string> content_html;
  // At most kMaxImportProblems, in document order.
  std::vector<FeedProblem> problems;
  // How many more problems there were past those listed.
  size_t problems_not_listed = 0;
};

// Reads a feed someone else published. The text must be at most
// kMaxFeedBytes, JSON, an object whose version is
// "https://jsonfeed.org/version/1" or ".../1.1" and whose items are a list
// of at most kMaxFeedItems; otherwise nothing is read and the one problem
// says why. Each item needs an id (a number is taken as text, as JSON Feed
// 1.0 allows) that no earlier item used, and a title. With a "_coproduce"
// object of version 1 the structured case study is read from it and checked
// with validate() (consent records are not published: instead the item must
// say consent was recorded for each image); without one the item keeps only
// title, summary and content_html. A problem under "items[N]" means that
// item was left out of feed.items; a problem elsewhere means that value was
// left out. Never throws. Thread-safe.
//   ReadFeed r = read_feed(body);
//   for (const auto& p : r.problems) log(p.where + ": " + p.message);
ReadFeed read_feed(std::string_view text);

}  // namespace coproduce::library

#endif  // COPRODUCE_LIBRARY_FEED_H_
