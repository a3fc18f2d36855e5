#include "library/subscriptions.h"

#include <algorithm>
#include <utility>

#include "core/text.h"
#include "involvement/people.h"
#include "library/sanitise.h"

namespace coproduce::library {
namespace {

using store::Connection;
using store::Row;

// How many problems last_error spells out; the rest are counted.
constexpr size_t kProblemsInError = 3;
// The longest feed title kept, in bytes (the page shows it as a heading).
constexpr size_t kMaxTitleBytes = 600;
constexpr const char* kNothingImported = "Nothing was imported.";

constexpr const char* kColumns =
    "id, organisation_id, url, title, created_at, COALESCE(last_fetched_at, ''), COALESCE(last_success_at, ''),"
    " last_error, items";

Subscription subscription_of(const Row& r) {
  Subscription s;
  s.id = r.integer(0);
  s.organisation_id = r.integer(1);
  s.url = r.text(2);
  s.title = r.text(3);
  s.created_at = r.text(4);
  s.last_fetched_at = r.text(5);
  s.last_success_at = r.text(6);
  s.last_error = r.text(7);
  s.items = r.integer(8);
  return s;
}

StatusOr<Subscription> get_on(Connection& c, int64_t org, int64_t id) {
  auto rows = c.query(std::string("SELECT ") + kColumns + " FROM library_subscriptions WHERE id = $1 AND organisation_id = $2",
                      {id, org});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return NotFound("There is no feed subscription " + std::to_string(id));
  return subscription_of(rows->front());
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// The host of an http(s) address as written ("other.example"), or "".
std::string host_of(const std::string& url) {
  size_t start = url.find("://");
  if (start == std::string::npos) return "";
  start += 3;
  size_t end = url.find_first_of("/?#", start);
  std::string authority = url.substr(start, end == std::string::npos ? std::string::npos : end - start);
  if (size_t at = authority.rfind('@'); at != std::string::npos) authority = authority.substr(at + 1);
  return authority;
}

// `text` cut to at most `max` bytes, not part way through a character.
std::string cut(std::string text, size_t max) {
  if (text.size() <= max) return text;
  size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  text.resize(end);
  return text;
}

// One problem as a phrase: "cases.json, items[3].title: The item has no title".
std::string describe_problem(const std::string& file, const FeedProblem& p) {
  // A place in the text ("line 4, column 12") is already in its message.
  bool said = starts_with(p.where, "line ") && p.message.find(p.where) != std::string::npos;
  std::string place = file;
  if (!p.where.empty() && !said) place += (place.empty() ? "" : ", ") + p.where;
  return place.empty() ? p.message : place + ": " + p.message;
}

// What last_error says of a feed with problems: the first few, a count of
// the rest, and that nothing was imported.
std::string describe_problems(const std::string& file, const std::vector<FeedProblem>& problems,
                              size_t not_listed) {
  std::string out;
  for (size_t i = 0; i < problems.size() && i < kProblemsInError; ++i)
    out += (i == 0 ? "" : "; ") + describe_problem(file, problems[i]);
  size_t more = problems.size() > kProblemsInError ? problems.size() - kProblemsInError + not_listed : not_listed;
  if (more > 0) out += " (and " + std::to_string(more) + " more problem" + (more == 1 ? "" : "s") + ")";
  if (!out.empty() && out.back() != '.') out += '.';
  return out + " " + kNothingImported;
}

// Why a response that says what it is (Content-Type) cannot be a JSON Feed,
// or "" when it may be one. Loose on purpose: many servers send feeds as
// text/plain or application/octet-stream, or say nothing.
std::string content_type_problem(const std::string& content_type, const std::string& url) {
  std::string type = lower(trim_copy(content_type.substr(0, content_type.find(';'))));
  if (type.empty() || type.find("json") != std::string::npos) return "";
  if (type == "text/html" || type == "application/xhtml+xml")
    return "The address " + url + " gave a web page (" + type +
           "), not a JSON Feed. Check it is the address of the feed itself, which often ends in feed.json.";
  if (type.find("xml") != std::string::npos)
    return "The address " + url + " gave an RSS or Atom feed (" + type +
           "); Coproduce reads JSON Feed (https://jsonfeed.org) only.";
  return "";
}

// Names a person can read for the active content sanitise_html found.
std::string active_content_message(const SanitiseReport& r) {
  std::string what = r.first_active_content.empty() ? "" : " (" + r.first_active_content + ")";
  std::string more = r.active_content > 1 ? ", and " + std::to_string(r.active_content - 1) + " more" : "";
  return "Holds a script or other active content" + what + more +
         ": HTML from another site must be plain text and pictures";
}

}  // namespace

// ---- The organisation's own feed ------------------------------------------

StatusOr<Feed> organisation_feed(store::Database& db, int64_t org, const std::string& base_url) {
  auto c = db.connection();
  if (!c.ok()) return c.status();
  auto row = (*c)->query("SELECT name FROM organisations WHERE id = $1", {org});
  if (!row.ok()) return row.status();
  if (row->empty()) return NotFound("There is no organisation " + std::to_string(org));
  std::string name = row->front().text(0);

  // own() reads no time; it needs a clock only because writes do.
  SystemClock unused_clock;
  auto own = CaseStudies(db, unused_clock).own(org);
  if (!own.ok()) return own.status();

  std::string base = base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  Feed feed;
  feed.title = "Case studies of co-production from " + name;
  feed.home_page_url = base + "/library";
  feed.feed_url = base + "/library/feed.json";
  feed.organisation = name;
  for (auto& cs : *own) {
    if (cs.status != "published" && cs.status != "withdrawn") continue;
    FeedItem item;
    item.id = item.url = base + "/library/case-studies/" + std::to_string(cs.id);
    item.withdrawn = cs.status == "withdrawn";
    item.date_published = cs.published_at;
    item.date_modified = item.withdrawn && !cs.withdrawn_at.empty() ? cs.withdrawn_at : cs.updated_at;
    item.source_organisation = name;
    item.tags = tags_for(cs.study);
    item.authors.push_back(name);
    for (auto& reviewer : cs.credited_reviewers) item.authors.push_back(std::move(reviewer));
    // write_feed writes only how many consent records there are, never them.
    item.study = std::move(cs.study);
    feed.items.push_back(std::move(item));
  }
  return feed;
}

// ---- Subscriptions --------------------------------------------------------

std::vector<FieldError> check_feed_url(const std::string& raw) {
  std::string url = trim_copy(raw);
  if (url.empty()) return {{"url", "Enter the address of the feed", Problem::kMissing}};
  if (utf8_length(url) > kMaxFeedUrlLength)
    return {{"url", "Keep the address to 2,000 characters or fewer", Problem::kTooLong}};
  std::string l = lower(url);
  size_t host = starts_with(l, "https://") ? 8 : starts_with(l, "http://") ? 7 : 0;
  if (host == 0 || host_of(url).empty())
    return {{"url", "Enter an address starting https:// or http://, like https://example.org/library/feed.json",
             Problem::kInvalid}};
  bool spaces = std::any_of(url.begin(), url.end(), [](char ch) {
    auto u = static_cast<unsigned char>(ch);
    return u <= 0x20 || u == 0x7f;
  });
  if (spaces) return {{"url", "The address must not have spaces in it", Problem::kInvalid}};
  return {};
}

struct Subscriptions::Prepared {
  std::string title, feed_url;
  std::vector<ImportedItem> items;
  std::vector<std::string> withdrawn_ids;
  std::vector<FeedProblem> problems;
  size_t problems_not_listed = 0;

  void problem(std::string where, std::string message) {
    if (problems.size() < kMaxImportProblems) problems.push_back({std::move(where), std::move(message)});
    else ++problems_not_listed;
  }
};

Subscriptions::Subscriptions(store::Database& db, const Clock& clock, FetchPolicy policy, FeedFetcher fetcher)
    : db_(db), clock_(clock), policy_(std::move(policy)), fetcher_(std::move(fetcher)) {
  if (!fetcher_) fetcher_ = [](const std::string& url, const FetchPolicy& p) { return fetch(url, p); };
}

StatusOr<int64_t> Subscriptions::add(int64_t org, const std::string& raw_url, const Actor& actor) {
  if (Status st = involvement::first_problem(check_feed_url(raw_url)); !st.ok()) return st;
  std::string url = trim_copy(raw_url);
  return store::in_write_transaction(db_, [&](Connection& c) -> StatusOr<int64_t> {
    auto same = c.query("SELECT id FROM library_subscriptions WHERE organisation_id = $1 AND url = $2", {org, url});
    if (!same.ok()) return same.status();
    if (!same->empty()) {
      Location where;
      where.field = "url";
      return InvalidInput("Your library already reads this feed", where);
    }
    auto row = c.query_one(
        "INSERT INTO library_subscriptions (organisation_id, url, created_by, created_at) VALUES ($1, $2, $3, $4)"
        " RETURNING id",
        {org, url, actor.user_id, format_timestamp(clock_.now())});
    if (!row.ok()) return row.status();
    int64_t id = row->integer(0);
    if (Status st = involvement::record_action(c, clock_, org, actor, "library_subscription.add",
                                               "library_subscription", id);
        !st.ok())
      return st;
    return id;
  });
}

StatusOr<std::vector<Subscription>> Subscriptions::list(int64_t org) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  auto rows = (*c)->query(
      std::string("SELECT ") + kColumns + " FROM library_subscriptions WHERE organisation_id = $1 ORDER BY created_at, id",
      {org});
  if (!rows.ok()) return rows.status();
  std::vector<Subscription> out;
  for (const auto& r : *rows) out.push_back(subscription_of(r));
  return out;
}

StatusOr<Subscription> Subscriptions::get(int64_t org, int64_t id) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  return get_on(**c, org, id);
}

Status Subscriptions::remove(int64_t org, int64_t id, const Actor& actor) {
  return store::in_write_transaction(db_, [&](Connection& c) -> Status {
    if (auto found = get_on(c, org, id); !found.ok()) return found.status();
    if (Status st = CaseStudies(db_, clock_).remove_imported(c, id); !st.ok()) return st;
    if (auto d = c.execute("DELETE FROM library_subscriptions WHERE id = $1", {id}); !d.ok()) return d.status();
    return involvement::record_action(c, clock_, org, actor, "library_subscription.remove", "library_subscription",
                                      id);
  });
}

Subscriptions::Prepared Subscriptions::prepare(std::string_view text, const std::string& fallback_organisation) const {
  Prepared out;
  ReadFeed read = read_feed(text);
  out.problems = std::move(read.problems);
  out.problems_not_listed = read.problems_not_listed;
  out.title = cut(trim_copy(read.feed.title), kMaxTitleBytes);
  out.feed_url = read.feed.feed_url;
  // A problem anywhere means read_feed left something out: import nothing.
  if (!out.problems.empty() || out.problems_not_listed > 0) return out;

  std::string feed_organisation = !trim_copy(read.feed.organisation).empty() ? read.feed.organisation
                                  : !out.title.empty()                       ? out.title
                                                                             : fallback_organisation;
  out.items.reserve(read.feed.items.size());
  for (size_t i = 0; i < read.feed.items.size(); ++i) {
    FeedItem& item = read.feed.items[i];
    if (item.withdrawn) {
      out.withdrawn_ids.push_back(item.id);
      continue;
    }
    // With no problems, feed.items are the document's items in order.
    std::string where = "items[" + std::to_string(i) + "].content_html";
    SanitiseReport report;
    std::string safe = sanitise_html(read.content_html[i], 1, &report);
    if (report.active_content > 0) {
      out.problem(where, active_content_message(report));
      continue;
    }
    if (report.truncated) {
      out.problem(where, "The story is too long or too complicated to show safely (over " +
                             std::to_string(kMaxHtmlBytes / 1024) + " KB or " + std::to_string(kMaxHtmlTags) +
                             " tags)");
      continue;
    }
    if (!out.problems.empty()) continue;  // nothing will be imported; only look for more problems

    ImportedItem in;
    in.item_id = item.id;
    in.url = item.url;
    if (in.url.empty() && check_feed_url(item.id).empty()) in.url = item.id;
    in.organisation = trim_copy(item.source_organisation).empty() ? feed_organisation : item.source_organisation;
    in.study = std::move(item.study);
    in.study.consents.clear();  // a feed has none; never keep any that claim to be
    if (in.study.story.empty()) in.content_html = std::move(safe);
    in.date_published = std::move(item.date_published);
    in.date_modified = std::move(item.date_modified);
    for (auto& name : item.authors)
      if (name != in.organisation) in.credited_reviewers.push_back(std::move(name));
    out.items.push_back(std::move(in));
  }
  if (!out.problems.empty()) out.items.clear();
  return out;
}

Status Subscriptions::record_failure(int64_t org, int64_t id, const std::string& error, const Actor& actor) {
  return store::in_write_transaction(db_, [&](Connection& c) -> Status {
    auto r = c.execute(
        "UPDATE library_subscriptions SET last_error = $1, last_fetched_at = $2 WHERE id = $3 AND organisation_id = $4",
        {error, format_timestamp(clock_.now()), id, org});
    if (!r.ok()) return r.status();
    if (*r == 0) return NotFound("There is no feed subscription " + std::to_string(id));
    return involvement::record_action(c, clock_, org, actor, "library_subscription.refresh_failed",
                                      "library_subscription", id);
  });
}

namespace {

// Stores prepared items for subscription `id` on `c`, inside the caller's
// write transaction, and records the success on the subscription.
StatusOr<ImportCounts> store_items(Connection& c, store::Database& db, const Clock& clock, int64_t org, int64_t id,
                                   const std::string& title, const std::vector<ImportedItem>& items,
                                   const std::vector<std::string>& withdrawn_ids) {
  auto counts = CaseStudies(db, clock).import_items(c, org, id, items, withdrawn_ids);
  if (!counts.ok()) return counts.status();
  auto held = c.query_one("SELECT COUNT(*) FROM library_case_studies WHERE subscription_id = $1", {id});
  if (!held.ok()) return held.status();
  std::string now = format_timestamp(clock.now());
  auto r = c.execute(
      "UPDATE library_subscriptions SET title = $1, last_error = '', last_fetched_at = $2, last_success_at = $2,"
      " items = $3 WHERE id = $4",
      {title, now, held->integer(0), id});
  if (!r.ok()) return r.status();
  return counts;
}

}  // namespace

StatusOr<RefreshResult> Subscriptions::store_or_record(int64_t org, int64_t id, const Prepared& prepared,
                                                       const Actor& actor) {
  RefreshResult result;
  result.subscription_id = id;
  if (!prepared.problems.empty() || prepared.problems_not_listed > 0) {
    result.problems = prepared.problems;
    result.problems_not_listed = prepared.problems_not_listed;
    result.error = describe_problems("", prepared.problems, prepared.problems_not_listed);
    if (Status st = record_failure(org, id, result.error, actor); !st.ok()) return st;
    return result;
  }
  auto counts = store::in_write_transaction(db_, [&](Connection& c) -> StatusOr<ImportCounts> {
    auto found = get_on(c, org, id);
    if (!found.ok()) return found.status();
    std::string title = prepared.title.empty() ? found->title : prepared.title;
    auto done = store_items(c, db_, clock_, org, id, title, prepared.items, prepared.withdrawn_ids);
    if (!done.ok()) return done;
    if (Status st = involvement::record_action(c, clock_, org, actor, "library_subscription.refresh",
                                               "library_subscription", id);
        !st.ok())
      return st;
    return done;
  });
  if (counts.ok()) {
    result.counts = *counts;
    return result;
  }
  if (counts.status().code() == StatusCode::kNotFound) return counts.status();
  result.error = "The case studies could not be saved: " + counts.status().message() + ". " + kNothingImported;
  if (Status st = record_failure(org, id, result.error, actor); !st.ok()) return st;
  return result;
}

StatusOr<RefreshResult> Subscriptions::import_text(int64_t org, int64_t id, std::string_view text,
                                                   const Actor& actor) {
  auto found = get(org, id);
  if (!found.ok()) return found.status();
  return store_or_record(org, id, prepare(text, host_of(found->url)), actor);
}

StatusOr<RefreshResult> Subscriptions::refresh(int64_t org, int64_t id, const Actor& actor) {
  auto found = get(org, id);
  if (!found.ok()) return found.status();
  auto got = fetcher_(found->url, policy_);
  std::string error;
  if (auto* failure = std::get_if<FetchFailure>(&got)) {
    error = failure->message;
  } else {
    const FetchResult& response = std::get<FetchResult>(got);
    error = content_type_problem(response.content_type, found->url);
    if (error.empty())
      return store_or_record(org, id, prepare(response.body, host_of(response.final_url.empty() ? found->url
                                                                                                 : response.final_url)),
                             actor);
  }
  RefreshResult result;
  result.subscription_id = id;
  result.error = error + (error.empty() || error.back() == '.' ? " " : ". ") + kNothingImported;
  if (Status st = record_failure(org, id, result.error, actor); !st.ok()) return st;
  return result;
}

StatusOr<RefreshResult> Subscriptions::import_file(int64_t org, std::string_view text, const std::string& file_name,
                                                   const Actor& actor) {
  Prepared prepared = prepare(text, file_name);
  if (prepared.problems.empty() && prepared.problems_not_listed == 0) {
    if (prepared.feed_url.empty()) {
      prepared.problem("feed_url",
                       "The feed does not give its own address (feed_url), so a later copy could not update the same "
                       "case studies");
    } else if (auto bad = check_feed_url(prepared.feed_url); !bad.empty()) {
      prepared.problem("feed_url", bad.front().message);
    }
  }
  RefreshResult result;
  if (!prepared.problems.empty() || prepared.problems_not_listed > 0) {
    result.problems = std::move(prepared.problems);
    result.problems_not_listed = prepared.problems_not_listed;
    result.error = describe_problems(file_name, result.problems, result.problems_not_listed);
    return result;
  }
  struct Done {
    int64_t id;
    ImportCounts counts;
  };
  auto done = store::in_write_transaction(db_, [&](Connection& c) -> StatusOr<Done> {
    auto existing = c.query("SELECT id, title FROM library_subscriptions WHERE organisation_id = $1 AND url = $2",
                            {org, prepared.feed_url});
    if (!existing.ok()) return existing.status();
    int64_t id = 0;
    std::string title = prepared.title;
    if (!existing->empty()) {
      id = existing->front().integer(0);
      if (title.empty()) title = existing->front().text(1);
    } else {
      auto row = c.query_one(
          "INSERT INTO library_subscriptions (organisation_id, url, created_by, created_at) VALUES ($1, $2, $3, $4)"
          " RETURNING id",
          {org, prepared.feed_url, actor.user_id, format_timestamp(clock_.now())});
      if (!row.ok()) return row.status();
      id = row->integer(0);
    }
    auto counts = store_items(c, db_, clock_, org, id, title, prepared.items, prepared.withdrawn_ids);
    if (!counts.ok()) return counts.status();
    if (Status st = involvement::record_action(c, clock_, org, actor, "library_subscription.import_file",
                                               "library_subscription", id);
        !st.ok())
      return st;
    return Done{id, *counts};
  });
  if (!done.ok()) return done.status();
  result.subscription_id = done->id;
  result.counts = done->counts;
  return result;
}

StatusOr<Subscriptions::DueSummary> Subscriptions::refresh_due(std::chrono::seconds interval, const Actor& actor,
                                                              const std::function<bool()>& stopping) {
  std::vector<std::pair<int64_t, int64_t>> due;  // organisation, subscription
  {
    auto c = db_.connection();
    if (!c.ok()) return c.status();
    auto rows = (*c)->query(
        "SELECT organisation_id, id FROM library_subscriptions WHERE last_fetched_at IS NULL OR last_fetched_at < $1"
        " ORDER BY COALESCE(last_fetched_at, ''), id",
        {format_timestamp(clock_.now() - interval)});
    if (!rows.ok()) return rows.status();
    for (const auto& r : *rows) due.emplace_back(r.integer(0), r.integer(1));
  }
  DueSummary summary;
  for (const auto& [org, id] : due) {
    if (stopping && stopping()) break;
    // Several server processes each run this schedule: a feed is claimed by
    // marking it fetched now, only while it is still due, so one process
    // fetches it and the others pass it by.
    auto c = db_.connection();
    if (!c.ok()) return c.status();
    auto claimed = (*c)->execute(
        "UPDATE library_subscriptions SET last_fetched_at = $1 WHERE id = $2"
        " AND (last_fetched_at IS NULL OR last_fetched_at < $3)",
        {format_timestamp(clock_.now()), id, format_timestamp(clock_.now() - interval)});
    if (!claimed.ok() || *claimed == 0) continue;
    auto done = refresh(org, id, actor);
    if (!done.ok()) continue;  // removed meanwhile, or the database was busy: next time
    ++(done->ok() ? summary.refreshed : summary.failed);
  }
  return summary;
}

}  // namespace coproduce::library
