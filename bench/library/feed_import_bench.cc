// Importing another organisation's case-study feed at the size the issue
// names: 10,000 items (goal: under 10 seconds). Builds a synthetic JSON Feed
// with write_feed (most items as another Coproduce writes them, with the
// structured story; some as any blog writes them, HTML only), then times
// Subscriptions::import_text into a fresh SQLite database: read_feed,
// sanitising every item's HTML, storing, and the full-text index, all in one
// transaction. Then imports the same feed again, the path of a scheduled
// refresh where nothing changed. Prints figures; never fails on time.
//
//   bench_library_feed_import [--items N] [--plain-percent P] [--words N] [--seed N] [--database NEW_FILE]
//                             [--feed-out FILE]
//
// Progress goes to stderr; the figures go to stdout.
#include <sys/resource.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "core/clock.h"
#include "library/feed.h"
#include "library/sanitise.h"
#include "library/subscriptions.h"
#include "store/database.h"
#include "store/migrations.h"
#include "store/temporary_database.h"

namespace {

using namespace coproduce;
using SteadyClock = std::chrono::steady_clock;

struct Options {
  int items = 10'000;
  int plain_percent = 20;  // items with HTML only, no "_coproduce"
  int words = 40;          // words in each part of a story: 10,000 items must fit in 64 MB
  uint64_t seed = 1;
  std::string database;  // "" for a temporary file, removed at the end
  std::string feed_out;  // also write the feed here, to look at or to import with the CLI
};

constexpr const char* kUsage =
    "usage: bench_library_feed_import [--items N] [--plain-percent P] [--words N] [--seed N] [--database NEW_FILE]\n"
    "                                 [--feed-out FILE]\n"
    "defaults: 10000 items, 20% plain HTML items, 40 words a story part (so the feed fits in 64 MB), seed 1\n";

bool parse_options(int argc, char** argv, Options* o) {
  for (int i = 1; i < argc; ++i) {
    std::string name = argv[i];
    if (i + 1 >= argc) return false;
    std::string value = argv[++i];
    if (name == "--items") o->items = std::atoi(value.c_str());
    else if (name == "--plain-percent") o->plain_percent = std::atoi(value.c_str());
    else if (name == "--words") o->words = std::atoi(value.c_str());
    else if (name == "--seed") o->seed = std::strtoull(value.c_str(), nullptr, 10);
    else if (name == "--database") o->database = value;
    else if (name == "--feed-out") o->feed_out = value;
    else return false;
  }
  return o->items > 0 && o->plain_percent >= 0 && o->plain_percent <= 100 && o->words > 0;
}

[[noreturn]] void fail(const std::string& what, const Status& s) {
  std::cerr << "bench_library_feed_import: " << what << ": " << s.to_string() << "\n";
  std::exit(1);
}

double peak_mib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;
}

std::string fixed(double v, int places = 2) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", places, v);
  return buf;
}

// Words for synthetic stories, so the search index has real work to do.
const std::vector<std::string> kWords = {
    "residents", "carers",    "families",  "staff",     "menu",        "garden",    "meeting",  "budget",
    "interview", "panel",     "choice",    "listening", "together",    "changed",   "home",     "care",
    "support",   "dementia",  "council",   "housing",   "volunteers",  "training",  "feedback", "survey",
    "we",        "planned",   "tasted",    "voted",     "shared",      "learned",   "money",    "time",
    "people",    "lived",     "experience", "decisions", "co-production", "equality", "voice",   "community",
    "the",       "and",       "with",      "for",       "every",       "month",     "week",     "afternoon"};

class TextMaker {
 public:
  explicit TextMaker(uint64_t seed) : rng_(seed) {}
  std::string words(int n) {
    std::string out;
    for (int i = 0; i < n; ++i) {
      out += (i == 0 ? "" : " ") + kWords[pick_(rng_)];
      if (i % 15 == 14) out += ".";
    }
    return out + ".";
  }
  int between(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

 private:
  std::mt19937_64 rng_;
  std::uniform_int_distribution<size_t> pick_{0, kWords.size() - 1};
};

library::FeedItem structured_item(int i, TextMaker& t, int words) {
  static const char* kSettings[] = {"nhs", "local_authority", "care_home", "home_care", "voluntary_community",
                                    "housing"};
  static const char* kRungs[] = {"informing", "consultation", "engagement", "co_design", "co_production"};
  static const char* kPrinciples[] = {"equality", "diversity", "accessibility", "reciprocity"};
  library::FeedItem item;
  item.id = item.url = "https://elm.example/library/case-studies/" + std::to_string(i + 1);
  auto& s = item.study;
  s.title = "Case study " + std::to_string(i + 1) + ": " + t.words(5);
  s.summary = t.words(30);
  s.story = {{"need", t.words(words)}, {"together", t.words(words)}, {"changed", t.words(words)}};
  if (i % 3 == 0) s.story.insert(s.story.begin() + 1, {"who", t.words(words / 2)});
  s.setting = kSettings[t.between(0, 5)];
  s.rung = kRungs[t.between(0, 4)];
  s.principles = {kPrinciples[t.between(0, 3)]};
  s.area_of_care = "Area " + std::to_string(t.between(1, 40));
  s.people = {t.between(0, 20), t.between(0, 10), t.between(0, 10)};
  if (i % 4 == 0) {
    s.images = {{"https://elm.example/images/" + std::to_string(i) + ".jpg", "People at the meeting"}};
    s.consents = {{"Someone", "2026-01-01", "Signed the consent form"}};
  }
  item.date_published = item.date_modified = "2026-05-01T09:00:00Z";
  item.authors = {"Elm House"};
  item.tags = library::tags_for(s);
  item.source_organisation = "Elm House";
  return item;
}

// A plain JSON Feed item: title, summary and HTML, as any publisher writes it.
std::string plain_item_json(int i, TextMaker& t, int words) {
  std::string html = "<h2>What happened</h2><p>" + t.words(words) + "</p><ul><li>" + t.words(8) + "</li><li>" +
                     t.words(8) + "</li></ul><p><a href=\"https://birch.example/more\">More</a> " + t.words(words) +
                     "</p><blockquote>" + t.words(20) + "</blockquote>";
  nlohmann::json j = {{"id", "https://birch.example/posts/" + std::to_string(i)},
                      {"url", "https://birch.example/posts/" + std::to_string(i)},
                      {"title", "Post " + std::to_string(i) + ": " + t.words(4)},
                      {"summary", t.words(20)},
                      {"content_html", html},
                      {"date_published", "2026-04-01T08:00:00Z"},
                      {"authors", {{{"name", "Elm House"}}}}};
  return j.dump();
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!parse_options(argc, argv, &o)) {
    std::cerr << kUsage;
    return 2;
  }

  // ---- The feed ----
  TextMaker text(o.seed);
  int plain = static_cast<int>(static_cast<int64_t>(o.items) * o.plain_percent / 100);
  library::Feed feed;
  feed.title = "Elm House case studies";
  feed.home_page_url = "https://elm.example/library";
  feed.feed_url = "https://elm.example/library/feed.json";
  feed.organisation = "Elm House";
  for (int i = 0; i < o.items - plain; ++i) feed.items.push_back(structured_item(i, text, o.words));
  auto start = SteadyClock::now();
  std::string body = library::write_feed(feed);
  double write_s = seconds_since(start);
  if (plain > 0) {
    // Plain items spliced into the same items list, as a mixed feed.
    std::string extra;
    for (int i = 0; i < plain; ++i) extra += ",\n" + plain_item_json(i, text, o.words);
    size_t end = body.rfind(']');
    if (o.items - plain == 0) extra.erase(0, 1);
    body.insert(end, extra);
  }
  if (!o.feed_out.empty()) std::ofstream(o.feed_out, std::ios::binary) << body;
  std::cerr << "Feed built: " << o.items << " items, " << fixed(static_cast<double>(body.size()) / 1e6) << " MB\n";
  if (body.size() > library::kMaxFeedBytes) {
    std::cerr << "The feed is over the 64 MB a feed may be; use fewer --words or --items.\n";
    return 2;
  }

  // ---- Reading and sanitising alone, for where the time goes ----
  start = SteadyClock::now();
  library::ReadFeed read = library::read_feed(body);
  double read_s = seconds_since(start);
  if (!read.problems.empty()) {
    std::cerr << "The synthetic feed has problems: " << read.problems.front().where << ": "
              << read.problems.front().message << "\n";
    return 1;
  }
  start = SteadyClock::now();
  size_t sanitised_bytes = 0;
  for (const auto& html : read.content_html) {
    library::SanitiseReport report;
    sanitised_bytes += library::sanitise_html(html, 1, &report).size();
  }
  double sanitise_s = seconds_since(start);

  // ---- A fresh database ----
  std::optional<store::TemporaryDatabase> temporary;
  std::unique_ptr<store::Database> kept;
  store::Database* db = nullptr;
  if (o.database.empty()) {
    temporary.emplace("bench-feed-import");
    if (!temporary->status().ok()) fail("creating a temporary database", temporary->status());
    db = &**temporary;
  } else {
    if (std::filesystem::exists(o.database)) {
      std::cerr << o.database << " exists; give a new file\n";
      return 2;
    }
    auto opened = store::open_database(o.database);
    if (!opened.ok()) fail("opening " + o.database, opened.status());
    kept = std::move(*opened);
    if (Status s = store::migrate(*kept, store::bundled_migrations()); !s.ok()) fail("migrating", s);
    db = kept.get();
  }
  {
    auto c = db->connection();
    if (!c.ok()) fail("connecting", c.status());
    for (const char* sql : {"INSERT INTO organisations (name, created_at) VALUES ('Oak Trust', 'x')",
                            "INSERT INTO users (organisation_id, email, role, created_at)"
                            " VALUES (1, 'admin@oak.example', 'admin', 'x')"}) {
      if (auto r = (*c)->execute(sql); !r.ok()) fail("setting up", r.status());
    }
  }
  SystemClock clock;
  library::Subscriptions subscriptions(*db, clock, library::FetchPolicy{});
  Actor actor{1, "bench"};
  auto id = subscriptions.add(1, feed.feed_url, actor);
  if (!id.ok()) fail("subscribing", id.status());

  // ---- The import, then the same feed again ----
  start = SteadyClock::now();
  auto first = subscriptions.import_text(1, *id, body, actor);
  double first_s = seconds_since(start);
  if (!first.ok()) fail("importing", first.status());
  if (!first->ok()) {
    std::cerr << "The import was refused: " << first->error << "\n";
    return 1;
  }
  start = SteadyClock::now();
  auto second = subscriptions.import_text(1, *id, body, actor);
  double second_s = seconds_since(start);
  if (!second.ok()) fail("importing again", second.status());
  if (!second->ok()) {
    std::cerr << "The second import was refused: " << second->error << "\n";
    return 1;
  }
  auto sub = subscriptions.get(1, *id);

  const double n = static_cast<double>(o.items);
  std::cout << "Feed: " << o.items << " items (" << o.items - plain << " with the structured story, " << plain
            << " HTML only), " << fixed(static_cast<double>(body.size()) / 1e6) << " MB; write_feed "
            << fixed(write_s, 3) << " s (structured items)\n";
  std::cout << "  read_feed alone:          " << fixed(read_s, 3) << " s\n";
  std::cout << "  sanitise_html alone:      " << fixed(sanitise_s, 3) << " s for " << read.content_html.size()
            << " items' HTML (" << fixed(static_cast<double>(sanitised_bytes) / 1e6) << " MB out)\n";
  std::cout << "First import (new):         " << fixed(first_s, 3) << " s, " << fixed(n / first_s, 0)
            << " items/s; added " << first->counts.added << ", changed " << first->counts.changed << ", unchanged "
            << first->counts.unchanged << "; goal under 10 s\n";
  std::cout << "Second import (unchanged):  " << fixed(second_s, 3) << " s, " << fixed(n / second_s, 0)
            << " items/s; added " << second->counts.added << ", changed " << second->counts.changed
            << ", unchanged " << second->counts.unchanged << "\n";
  if (sub.ok()) std::cout << "Subscription: " << sub->items << " case studies, last error '" << sub->last_error << "'\n";
  std::cout << "Peak memory: " << fixed(peak_mib(), 1) << " MiB\n";
  return 0;
}
