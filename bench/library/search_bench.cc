// The library's search at the size the issue names: 100,000 case studies
// in a real SQLite file, then a mix of searches a person might make (common
// and rare words, two words, phrases, every spelling of co-production,
// filters, later pages, newest first, no words at all), timed one by one
// through library::search. Prints the time to build the database and the
// median and 95th percentile time per search, overall and for each kind.
// Never fails on time; the goal (95th percentile under 20 ms) is for a
// person to judge.
//
//   bench_library_search [--case-studies N] [--queries N] [--seed N] [--per-page N]
//       [--database NEW_FILE | --reuse FILE]
//
// The text is made-up words drawn with Zipf's law (a few very common, most
// rare), so a common word is in most case studies, as "care" would be. The
// data and the searches are deterministic for a seed. Progress goes to
// stderr; the figures go to stdout.
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "involvement/groups.h"
#include "library/search.h"
#include "library/vocab.h"
#include "store/database.h"
#include "store/migrations.h"
#include "store/temporary_database.h"

namespace {

using namespace coproduce;
using SteadyClock = std::chrono::steady_clock;

struct Options {
  int64_t case_studies = 100'000;
  int queries = 500;
  uint64_t seed = 1;
  int per_page = 20;
  std::string database;  // "" for a temporary file, removed at the end
  std::string reuse;     // a file an earlier run kept: search it, build nothing
};

constexpr const char* kUsage =
    "usage: bench_library_search [--case-studies N] [--queries N] [--seed N] [--per-page N]\n"
    "                            [--database NEW_FILE | --reuse FILE]\n"
    "defaults: 100000 case studies, 500 queries, seed 1, 20 a page\n"
    "--database keeps the built SQLite file at NEW_FILE (which must not exist); --reuse searches\n"
    "a file kept that way (same --case-studies and --seed) without building it again\n";

bool parse_options(int argc, char** argv, Options* o) {
  for (int i = 1; i < argc; ++i) {
    std::string name = argv[i];
    if (name == "--help" || name == "-h") return false;
    if (i + 1 >= argc) {
      std::cerr << name << " needs a value\n";
      return false;
    }
    std::string value = argv[++i];
    if (name == "--database") {
      if (std::filesystem::exists(value)) {
        std::cerr << "--database " << value << " already exists; name a new file\n";
        return false;
      }
      o->database = value;
      continue;
    }
    if (name == "--reuse") {
      if (!std::filesystem::exists(value)) {
        std::cerr << "--reuse " << value << " does not exist\n";
        return false;
      }
      o->reuse = value;
      continue;
    }
    char* end = nullptr;
    long long n = std::strtoll(value.c_str(), &end, 10);
    if (end == value.c_str() || *end != '\0' || n < 1) {
      std::cerr << name << " must be a whole number of at least 1, not '" << value << "'\n";
      return false;
    }
    if (name == "--case-studies")
      o->case_studies = n;
    else if (name == "--queries")
      o->queries = static_cast<int>(n);
    else if (name == "--seed")
      o->seed = static_cast<uint64_t>(n);
    else if (name == "--per-page")
      o->per_page = static_cast<int>(n);
    else {
      std::cerr << "unknown option " << name << "\n";
      return false;
    }
  }
  if (!o->database.empty() && !o->reuse.empty()) {
    std::cerr << "give --database or --reuse, not both\n";
    return false;
  }
  return true;
}

// CPU seconds this process has used: on a shared machine a search that
// waited for a core shows more wall time than CPU time.
double cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

std::string fixed(double v, int places = 2) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", places, v);
  return buf;
}

[[noreturn]] void fail(const std::string& what, const Status& s) {
  std::cerr << "bench_library_search: " << what << ": " << s.to_string() << "\n";
  std::exit(1);
}

template <typename T>
T must(StatusOr<T> v, const std::string& what) {
  if (!v.ok()) fail(what, v.status());
  return std::move(v).value();
}

// ---- Made-up text ---------------------------------------------------------

// 20,000 made-up words, most common first, and a Zipf sampler over them.
class Words {
 public:
  explicit Words(std::mt19937_64& rng) {
    static const char* kSyllables[] = {"ba", "ko", "ri", "ten", "mo",  "la",  "vu",  "shi", "pe",  "dor",
                                       "an", "el", "ix", "zu",  "qua", "ret", "sol", "ny",  "gar", "fim"};
    std::uniform_int_distribution<size_t> syllable(0, std::size(kSyllables) - 1);
    std::uniform_int_distribution<int> length(2, 4);
    std::set<std::string> seen;
    while (words_.size() < kCount) {
      std::string w;
      for (int n = length(rng); n > 0; --n) w += kSyllables[syllable(rng)];
      // Porter stemming would fold some made-up words together; it does no harm.
      if (seen.insert(w).second) words_.push_back(w);
    }
    std::vector<double> weights(kCount);
    for (size_t r = 0; r < kCount; ++r) weights[r] = 1.0 / static_cast<double>(r + 1);
    zipf_ = std::discrete_distribution<size_t>(weights.begin(), weights.end());
  }

  static constexpr size_t kCount = 20'000;
  const std::string& at(size_t rank) const { return words_[rank]; }
  const std::string& any(std::mt19937_64& rng) { return words_[zipf_(rng)]; }

  // `n` words, now and then a plural or a form of co-production among them.
  std::string sentence(std::mt19937_64& rng, int n, double coproduction) {
    static const char* kForms[] = {"co-production", "coproduction", "co production",
                                   "co-produced",   "coproducing",  "co-produce"};
    std::string out;
    std::bernoulli_distribution plural(0.05), co(coproduction);
    for (int i = 0; i < n; ++i) {
      if (!out.empty()) out += ' ';
      if (co(rng)) {
        out += kForms[std::uniform_int_distribution<size_t>(0, std::size(kForms) - 1)(rng)];
        continue;
      }
      out += any(rng);
      if (plural(rng)) out += 's';
    }
    return out;
  }

 private:
  std::vector<std::string> words_;
  std::discrete_distribution<size_t> zipf_;
};

template <typename T>
const T& pick(std::mt19937_64& rng, const std::vector<T>& from) {
  return from[std::uniform_int_distribution<size_t>(0, from.size() - 1)(rng)];
}

std::vector<std::string> codes(const std::vector<std::pair<std::string, std::string>>& choices) {
  std::vector<std::string> out;
  for (const auto& [code, label] : choices) out.push_back(code);
  return out;
}

const std::vector<std::string>& areas() {
  static const std::vector<std::string> k = {
      "Dementia care",    "Learning disability", "Mental health", "Older people",
      "Carers",           "Physical disability", "Autism",        "End of life care",
      "Substance misuse", "Sensory impairment",  "Homelessness",  "Young adults moving on"};
  return k;
}

// ---- Building the database --------------------------------------------------

constexpr int kOrganisations = 10;  // organisation 1's library is the one most searches look at
constexpr int kFeeds = 4;           // feeds organisation 1 reads

std::string timestamp_of_day(int day) {  // day 0 is 2021-01-01; about 5 years of days
  int year = 2021 + day / 365, rest = day % 365;
  static const int kMonthDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int month = 0;
  while (rest >= kMonthDays[month]) rest -= kMonthDays[month++];
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:00:00Z", year, month + 1, rest + 1, 8 + day % 10);
  return buf;
}

struct Built {
  double seconds = 0;
  int64_t published = 0, drafts = 0, withdrawn = 0, imported = 0, organisation_one = 0;
};

Built build(store::Database& db, const Options& o, Words& words, std::mt19937_64& rng) {
  Built out;
  const auto start = SteadyClock::now();
  Status s = store::in_write_transaction(db, [&](store::Connection& c) -> Status {
    for (int i = 1; i <= kOrganisations; ++i) {
      auto done = c.execute("INSERT INTO organisations (name, created_at) VALUES ($1, '2021-01-01T00:00:00Z')",
                            {"Organisation " + std::to_string(i)});
      if (!done.ok()) return done.status();
    }
    for (int f = 1; f <= kFeeds; ++f) {
      auto done = c.execute(
          "INSERT INTO library_subscriptions (organisation_id, url, created_at) VALUES (1, $1, '2021-01-01T00:00:00Z')",
          {"https://feed" + std::to_string(f) + ".example/library/feed.json"});
      if (!done.ok()) return done.status();
    }
    return Status::Ok();
  });
  if (!s.ok()) fail("adding organisations", s);

  const auto settings = codes(library::settings());
  const auto rungs = codes(involvement::ladder_rungs());
  const auto principles = codes(library::principles());
  std::uniform_int_distribution<int> organisation(2, kOrganisations), day(0, 5 * 365 - 1), title_words(3, 9),
      summary_words(15, 40), body_words(250, 450), principle_count(0, 3);
  std::discrete_distribution<int> status({92, 4, 2, 2});  // published, draft, in_review, withdrawn
  std::bernoulli_distribution in_one(0.5), imported(0.4);
  constexpr int64_t kBatch = 5'000;
  for (int64_t from = 0; from < o.case_studies; from += kBatch) {
    int64_t to = std::min(o.case_studies, from + kBatch);
    s = store::in_write_transaction(db, [&](store::Connection& c) -> Status {
      for (int64_t i = from; i < to; ++i) {
        int64_t org = in_one(rng) ? 1 : organisation(rng);
        std::optional<int64_t> feed;
        std::string source_organisation;
        if (org == 1 && imported(rng)) {
          feed = std::uniform_int_distribution<int64_t>(1, kFeeds)(rng);
          source_organisation = "Feed Trust " + std::to_string(*feed);
        }
        const char* kStatuses[] = {"published", "draft", "in_review", "withdrawn"};
        std::string st = feed ? "published" : kStatuses[status(rng)];
        std::string title = words.sentence(rng, title_words(rng), 0.03);
        std::string summary = words.sentence(rng, summary_words(rng), 0.01);
        std::string body = words.sentence(rng, body_words(rng), 0.002);
        int d = day(rng);
        std::string updated = timestamp_of_day(d);
        std::optional<std::string> published;
        if (st == "published" || st == "withdrawn") published = updated;
        // content as the library stores it is the whole case study as JSON:
        // about as long as the story, so rows are as wide as real ones.
        std::string content = "{\"title\":\"" + title + "\",\"summary\":\"" + summary + "\",\"story\":{\"need\":\"" +
                              body + "\"},\"consents\":[]}";
        auto row = c.query_one(
            "INSERT INTO library_case_studies (organisation_id, status, title, summary, setting, rung, area_of_care,"
            " content, subscription_id, source_item_id, source_url, source_organisation, created_at, updated_at,"
            " published_at, withdrawn_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14, "
            "$15) RETURNING id",
            {org, st, title, summary, pick(rng, settings), pick(rng, rungs), pick(rng, areas()), content, feed,
             feed ? store::Value("item-" + std::to_string(i)) : store::Value(),
             feed ? store::Value("https://feed.example/case-studies/" + std::to_string(i)) : store::Value(),
             source_organisation, updated, published, st == "withdrawn" ? store::Value(updated) : store::Value()});
        if (!row.ok()) return row.status();
        int64_t id = row->integer(0);
        std::vector<std::string> chosen = principles;
        std::shuffle(chosen.begin(), chosen.end(), rng);
        chosen.resize(static_cast<size_t>(principle_count(rng)));
        for (const auto& p : chosen) {
          auto done = c.execute("INSERT INTO library_case_study_principles (case_study_id, principle) VALUES ($1, $2)",
                                {id, p});
          if (!done.ok()) return done.status();
        }
        // Withdrawn case studies leave the index, as CaseStudies::withdraw does.
        if (st != "withdrawn")
          if (Status x = library::index_case_study(c, id, title, summary, body); !x.ok()) return x;
        out.published += st == "published";
        out.drafts += st == "draft" || st == "in_review";
        out.withdrawn += st == "withdrawn";
        out.imported += feed.has_value();
        out.organisation_one += org == 1;
      }
      return Status::Ok();
    });
    if (!s.ok()) fail("adding case studies", s);
    std::cerr << "built " << to << " of " << o.case_studies << " case studies (" << fixed(seconds_since(start), 1)
              << " s)\n";
  }
  out.seconds = seconds_since(start);
  return out;
}

// ---- The searches ----------------------------------------------------------

struct Search {
  std::string kind;
  library::SearchQuery query;
};

// The mix of searches, with how often each kind comes (out of 100).
std::vector<Search> searches(const Options& o, Words& words, std::mt19937_64& rng) {
  const auto settings = codes(library::settings());
  const auto rungs = codes(involvement::ladder_rungs());
  const auto principles = codes(library::principles());
  auto rank_in = [&](size_t lo, size_t hi) { return std::uniform_int_distribution<size_t>(lo, hi)(rng); };
  const std::vector<std::string> spellings = {"co-production", "coproduction", "co production", "Co-Produced",
                                              "coproducing"};
  struct Kind {
    const char* name;
    int share;
  };
  const std::vector<Kind> kinds = {{"no words (browse)", 10},
                                   {"no words + filter", 5},
                                   {"very common word (rank 1-10)", 5},
                                   {"common word (rank 10-200)", 15},
                                   {"middling word (rank 200-3000)", 15},
                                   {"rare word (rank 3000-20000)", 10},
                                   {"two words", 10},
                                   {"phrase in quotes", 5},
                                   {"co-production spellings", 10},
                                   {"word + filters", 10},
                                   {"later page (2-10)", 5}};
  std::vector<int> shares;
  for (const auto& k : kinds) shares.push_back(k.share);
  std::discrete_distribution<size_t> kind_of(shares.begin(), shares.end());
  std::bernoulli_distribution newest(0.2), all_organisations(0.3), staff(0.1);

  std::vector<Search> out;
  for (int i = 0; i < o.queries; ++i) {
    size_t k = kind_of(rng);
    Search s;
    s.kind = kinds[k].name;
    library::SearchQuery& q = s.query;
    q.per_page = o.per_page;
    switch (k) {
      case 0:
        break;
      case 1:
        if (newest(rng))
          q.setting = pick(rng, settings);
        else
          q.principle = pick(rng, principles);
        break;
      case 2:
        q.q = words.at(rank_in(0, 9));
        break;
      case 3:
        q.q = words.at(rank_in(10, 199));
        break;
      case 4:
        q.q = words.at(rank_in(200, 2999));
        break;
      case 5:
        q.q = words.at(rank_in(3000, Words::kCount - 1));
        break;
      case 6:
        q.q = words.at(rank_in(10, 199)) + " " + words.at(rank_in(200, 2999));
        break;
      case 7:
        q.q = "\"" + words.at(rank_in(0, 49)) + " " + words.at(rank_in(0, 49)) + "\"";
        break;
      case 8:
        q.q = pick(rng, spellings);
        break;
      case 9:
        q.q = words.at(rank_in(10, 2999));
        q.setting = pick(rng, settings);
        if (newest(rng)) q.rung = pick(rng, rungs);
        if (newest(rng)) q.area_of_care = pick(rng, areas());
        break;
      case 10:
        q.q = words.at(rank_in(10, 999));
        q.page = static_cast<int>(rank_in(2, 10));
        break;
    }
    if (!q.q.empty() && newest(rng)) q.sort = "newest";
    if (!all_organisations(rng)) {
      q.organisation_id = 1;
      q.include_unpublished = staff(rng);
    }
    out.push_back(std::move(s));
  }
  return out;
}

struct Stats {
  double median = 0, p95 = 0, max = 0;
};

// Nearest-rank percentiles of times in milliseconds.
Stats stats_of(std::vector<double> ms) {
  Stats s;
  if (ms.empty()) return s;
  std::sort(ms.begin(), ms.end());
  auto rank = [&](double p) {
    size_t r = static_cast<size_t>(std::ceil(p * static_cast<double>(ms.size())));
    return ms[std::clamp<size_t>(r, 1, ms.size()) - 1];
  };
  s.median = rank(0.5);
  s.p95 = rank(0.95);
  s.max = ms.back();
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!parse_options(argc, argv, &o)) {
    std::cerr << kUsage;
    return 2;
  }
  std::mt19937_64 rng(o.seed);
  Words words(rng);

  std::optional<store::TemporaryDatabase> temporary;
  std::unique_ptr<store::Database> kept;
  store::Database* db = nullptr;
  if (!o.reuse.empty()) {
    kept = must(store::open_database(o.reuse), "opening " + o.reuse);
    db = kept.get();
  } else if (o.database.empty()) {
    temporary.emplace("bench-library-search");
    if (!temporary->status().ok()) fail("opening a temporary database", temporary->status());
    db = &**temporary;
  } else {
    kept = must(store::open_database(o.database), "opening " + o.database);
    if (Status s = store::migrate(*kept, store::bundled_migrations()); !s.ok()) fail("migrating " + o.database, s);
    db = kept.get();
  }

  std::cout << "library search benchmark: " << o.case_studies << " case studies, " << o.queries << " searches, seed "
            << o.seed << ", " << o.per_page << " a page\n";
  if (o.reuse.empty()) {
    std::cerr << "building " << o.case_studies << " case studies\n";
    Built b = build(*db, o, words, rng);
    std::cout << "built: " << b.published << " published, " << b.drafts << " drafts or in review, " << b.withdrawn
              << " withdrawn (not indexed); " << b.organisation_one << " in organisation 1's library, " << b.imported
              << " of them read from " << kFeeds << " feeds\n"
              << "build: " << fixed(b.seconds, 1) << " s (inserts, principles and index_case_study, "
              << fixed(static_cast<double>(o.case_studies) / b.seconds, 0) << " case studies a second)" << std::endl;
  } else {
    std::cout << "reusing " << o.reuse << " (nothing built)\n";
  }
  // The searches have their own sequence, so a reused file gets the same ones.
  rng = std::mt19937_64(o.seed + 1000);

  std::vector<Search> mix = searches(o, words, rng);
  struct Timed {
    std::vector<double> wall, cpu;
    std::vector<int64_t> totals;
  };
  std::map<std::string, Timed> by_kind;
  Timed all;
  // The first search pays for opening the file and filling caches; it is
  // shown apart and counted like the others.
  for (size_t i = 0; i < mix.size(); ++i) {
    auto start = SteadyClock::now();
    double cpu_start = cpu_seconds();
    auto r = library::search(*db, mix[i].query);
    double wall = seconds_since(start) * 1000, cpu = (cpu_seconds() - cpu_start) * 1000;
    if (!r.ok()) fail("searching for '" + mix[i].query.q + "'", r.status());
    if (i == 0) std::cout << "first search (cold): " << fixed(wall) << " ms" << std::endl;
    for (Timed* t : {&by_kind[mix[i].kind], &all}) {
      t->wall.push_back(wall);
      t->cpu.push_back(cpu);
      t->totals.push_back(r->total);
    }
    if ((i + 1) % 50 == 0) std::cerr << "searched " << i + 1 << " of " << mix.size() << "\n";
  }

  std::cout << "\ntime per search through library::search, in ms (wall clock, and CPU time of this process),"
               " warm page cache:\n";
  std::printf("%-31s %5s %9s %9s %9s %9s %9s %11s\n", "kind of search", "count", "median", "p95", "max", "CPU med",
              "CPU p95", "median hits");
  auto line = [](const std::string& kind, Timed t) {
    Stats w = stats_of(t.wall), c = stats_of(t.cpu);
    std::sort(t.totals.begin(), t.totals.end());
    std::printf("%-31s %5zu %9.2f %9.2f %9.2f %9.2f %9.2f %11lld\n", kind.c_str(), t.wall.size(), w.median, w.p95,
                w.max, c.median, c.p95, static_cast<long long>(t.totals[t.totals.size() / 2]));
  };
  for (const auto& [kind, t] : by_kind) line(kind, t);
  line("ALL", all);
  std::cout << "\ngoal: 95th percentile under 20 ms; measured " << fixed(stats_of(all.wall).p95) << " ms wall, "
            << fixed(stats_of(all.cpu).p95) << " ms CPU, on " << sysconf(_SC_NPROCESSORS_ONLN) << " cores" << std::endl;
  return 0;
}
