// Sharing case studies between organisations. An organisation's own
// published (and withdrawn) case studies make its public JSON Feed; another
// organisation subscribes to that feed by its address, and each fetch brings
// new and changed items into its library, marked with the organisation they
// come from and a link back, and takes withdrawn ones away. Organisations
// that cannot connect move the same JSON as a file.
//
// A feed is untrusted. It is read whole and checked before anything is
// stored: if the feed is not a JSON Feed, is too big, or any item has a
// problem or holds active content (a script, an event handler, a
// javascript: address), nothing is imported and the subscription's
// last_error says what and where, in words, for the administrator. A good
// feed is stored in one transaction together with the subscription's record
// of it.
//
//   library::Subscriptions subs(db, clock, policy);
//   auto id = subs.add(org, "https://other.example/library/feed.json", actor);
//   auto done = subs.refresh(org, *id, actor);
//   if (done.ok() && !done->ok()) show(done->error);
#ifndef COPRODUCE_LIBRARY_SUBSCRIPTIONS_H_
#define COPRODUCE_LIBRARY_SUBSCRIPTIONS_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "core/vocabulary.h"
#include "library/case_studies.h"
#include "library/feed.h"
#include "library/fetch.h"
#include "store/database.h"

namespace coproduce::library {

// The longest feed address accepted, in characters.
inline constexpr size_t kMaxFeedUrlLength = 2000;

// The organisation's own case studies as the feed others read: every
// published one, and every withdrawn one as an item marked withdrawn (so
// readers take their copy down). `base_url` is where the site is served,
// "https://coproduce.example.org" (a trailing "/" is dropped); each item's
// id and url is base_url + "/library/case-studies/" + id, which never
// changes. The feed is at base_url + "/library/feed.json", its home page
// base_url + "/library". Authors are the organisation then the reviewers it
// credits; tags come from tags_for(); dates are the stored UTC timestamps
// (RFC 3339). Consent records are never written (write_feed gives only
// their number). NotFound for an unknown organisation. Thread-safe.
//   auto feed = organisation_feed(db, org, services.public_url);
//   if (feed.ok()) body = write_feed(*feed);
StatusOr<Feed> organisation_feed(store::Database& db, int64_t organisation_id, const std::string& base_url);

// A feed an organisation reads.
struct Subscription {
  int64_t id = 0;
  int64_t organisation_id = 0;
  std::string url;    // the feed's address
  std::string title;  // the feed's own title, from the last good fetch; "" until then
  std::string created_at;
  std::string last_fetched_at;  // "" when never fetched
  std::string last_success_at;  // "" when never imported
  // What went wrong at the last fetch or import, in words for the
  // administrator; "" when it went well (or it has not been fetched yet).
  std::string last_error;
  int64_t items = 0;  // case studies in the library from this feed
};

// What one fetch or import did.
struct RefreshResult {
  int64_t subscription_id = 0;  // 0 when a file import found nothing to import into
  ImportCounts counts;          // when imported
  // "" when imported; otherwise what went wrong in words, ending
  // "Nothing was imported." It is what last_error now says.
  std::string error;
  // When the feed itself was the problem: each problem with where it is
  // ("items[3].content_html"; see FeedProblem), at most kMaxImportProblems,
  // and how many more there were.
  std::vector<FeedProblem> problems;
  size_t problems_not_listed = 0;

  bool ok() const { return error.empty(); }
};

// Every problem with a feed address an administrator typed, under the
// field "url": empty, longer than kMaxFeedUrlLength characters, not http://
// or https:// with a host, or holding spaces. Does not look it up.
std::vector<FieldError> check_feed_url(const std::string& url);

// Fetches a feed: library::fetch, or a stand-in in tests.
using FeedFetcher = std::function<std::variant<FetchResult, FetchFailure>(const std::string& url, const FetchPolicy&)>;

class Subscriptions {
 public:
  // `db` and `clock` must outlive this. `fetcher` defaults to
  // library::fetch. Thread-safe: refreshes may run in several threads at
  // once (each import is one transaction).
  Subscriptions(store::Database& db, const Clock& clock, FetchPolicy policy, FeedFetcher fetcher = {});

  // Subscribes the organisation to the feed at `url` (trimmed). Does not
  // fetch it: call refresh(). kInvalidInput naming the field "url" for an
  // address check_feed_url() refuses or one the organisation already reads.
  // Audited.
  StatusOr<int64_t> add(int64_t organisation_id, const std::string& url, const Actor& actor);
  // The organisation's subscriptions, in the order they were added.
  StatusOr<std::vector<Subscription>> list(int64_t organisation_id);
  // One of them; NotFound otherwise.
  StatusOr<Subscription> get(int64_t organisation_id, int64_t id);
  // Unsubscribes, taking every case study read from the feed out of the
  // library, in one transaction. NotFound for another organisation's. Audited.
  Status remove(int64_t organisation_id, int64_t id, const Actor& actor);

  // Fetches the feed now and imports it (see import_text). Blocks for as
  // long as the fetch takes (policy.timeout_seconds at most). A failed
  // fetch or a bad feed is not a failed Status: the result says what went
  // wrong, and so does the subscription's last_error. A failed Status means
  // no such subscription, or the database failed. Audited.
  StatusOr<RefreshResult> refresh(int64_t organisation_id, int64_t id, const Actor& actor);

  // Imports the feed `text` read from the subscription: all of it, or (when
  // it has any problem) nothing. On success, in one transaction: new items
  // added, changed ones replaced, withdrawn ones removed
  // (CaseStudies::import_items), and the subscription's title, item count,
  // last_fetched_at and last_success_at set and last_error cleared. On
  // failure only last_error and last_fetched_at change. Items without a
  // structured story keep their content_html, sanitised. Audited.
  StatusOr<RefreshResult> import_text(int64_t organisation_id, int64_t subscription_id, std::string_view text,
                                      const Actor& actor);

  // Imports a feed from a file someone was sent, as import_text does, into
  // the subscription whose url is the feed's feed_url (made if there is
  // none, in the same transaction), so a later fetch of the same feed
  // updates the same case studies. A feed without feed_url is refused. When
  // the file has a problem nothing changes, subscriptions included; the
  // problems are in the result and its error names `file_name` and where
  // ("cases.json, items[3].title: ..."). Audited.
  StatusOr<RefreshResult> import_file(int64_t organisation_id, std::string_view text, const std::string& file_name,
                                      const Actor& actor);

  // What refresh_due did.
  struct DueSummary {
    int refreshed = 0;  // imported
    int failed = 0;     // fetched, or tried, and refused; see each last_error
  };
  // Refreshes every subscription of every organisation last fetched more
  // than `interval` ago (or never), oldest first, one at a time, as `actor`
  // (a scheduled job: no user). Checks `stopping` (if given) before each
  // one and returns early when it says so. For a background thread in
  // `serve`; a failed Status only when the database could not be read.
  StatusOr<DueSummary> refresh_due(std::chrono::seconds interval, const Actor& actor,
                                   const std::function<bool()>& stopping = {});

 private:
  struct Prepared;
  Prepared prepare(std::string_view text, const std::string& fallback_organisation) const;
  StatusOr<RefreshResult> store_or_record(int64_t organisation_id, int64_t subscription_id, const Prepared& prepared,
                                          const Actor& actor);
  Status record_failure(int64_t organisation_id, int64_t subscription_id, const std::string& error,
                        const Actor& actor);

  store::Database& db_;
  const Clock& clock_;
  FetchPolicy policy_;
  FeedFetcher fetcher_;
};

}  // namespace coproduce::library

#endif  // COPRODUCE_LIBRARY_SUBSCRIPTIONS_H_
