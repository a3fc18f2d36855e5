// Learning coverage at the size the issue names: 50,000 workers, 20 modules,
// 200 requirements and 1,000,000 completion records. Prints the time and
// peak memory of the pure compute_coverage and of Learning::coverage read
// from a real SQLite file, where the end-to-end time goes, and the coverage
// figures themselves so a reader can see the work was real. Never fails on
// time; the goal (under 1 second end to end) is for a person to judge.
//
//   bench_learning_coverage [--workers N] [--modules N] [--requirements N]
//       [--completions N] [--workplaces N] [--teams N] [--seed N]
//       [--date YYYY-MM-DD] [--pure-runs N] [--db-runs N]
//
// The organisation is synthetic and deterministic for a seed. Progress goes
// to stderr; the figures go to stdout.
#include <malloc.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/dates.h"
#include "learning/coverage.h"
#include "learning/learning.h"
#include "learning/vocab.h"
#include "store/database.h"
#include "store/migrations.h"
#include "store/temporary_database.h"

namespace {

using namespace coproduce;
using learning::Coverage;
using learning::CoverageInput;
using SteadyClock = std::chrono::steady_clock;

struct Options {
  int64_t workers = 50'000;
  int modules = 20;
  int requirements = 200;
  int64_t completions = 1'000'000;
  int workplaces = 40;
  int teams = 200;
  uint64_t seed = 1;
  std::string date = "2025-06-30";  // fixed, so a run does not depend on today
  int pure_runs = 7;
  int db_runs = 5;
  // Rows of each list of people to act on: 100 is what the coverage page
  // asks for (the API asks for none; the counts are whole either way).
  int64_t list_rows = 100;
  std::string database;  // "" for a temporary file, removed at the end
};

constexpr const char* kUsage =
    "usage: bench_learning_coverage [--workers N] [--modules N] [--requirements N] [--completions N]\n"
    "                               [--workplaces N] [--teams N] [--seed N] [--date YYYY-MM-DD]\n"
    "                               [--pure-runs N] [--db-runs N] [--list-rows N] [--database NEW_FILE]\n"
    "defaults: 50000 workers, 20 modules, 200 requirements, 1000000 completions, 40 workplaces,\n"
    "          200 teams, seed 1, date 2025-06-30, 7 pure runs, 5 database runs, 100 list rows (as the page)\n"
    "--database keeps the loaded SQLite file at NEW_FILE (which must not exist) for a closer look\n";

bool parse_options(int argc, char** argv, Options* o) {
  for (int i = 1; i < argc; ++i) {
    std::string name = argv[i];
    if (name == "--help" || name == "-h") return false;
    if (i + 1 >= argc) {
      std::cerr << name << " needs a value\n";
      return false;
    }
    std::string value = argv[++i];
    char* end = nullptr;
    long long n = std::strtoll(value.c_str(), &end, 10);
    bool number = end != value.c_str() && *end == '\0' && n >= 0;
    if (name == "--database") {
      if (std::filesystem::exists(value)) {
        std::cerr << "--database " << value << " already exists; name a new file\n";
        return false;
      }
      o->database = value;
      continue;
    }
    if (name == "--date") {
      if (value.size() != 10 || value[4] != '-' || value[7] != '-' ||
          date_from_parts(value.substr(8, 2), value.substr(5, 2), value.substr(0, 4), 1970) != value) {
        std::cerr << "--date must be YYYY-MM-DD\n";
        return false;
      }
      o->date = value;
      continue;
    }
    if (!number) {
      std::cerr << name << " must be a whole number, not '" << value << "'\n";
      return false;
    }
    if (name == "--workers")
      o->workers = n;
    else if (name == "--modules")
      o->modules = static_cast<int>(n);
    else if (name == "--requirements")
      o->requirements = static_cast<int>(n);
    else if (name == "--completions")
      o->completions = n;
    else if (name == "--workplaces")
      o->workplaces = static_cast<int>(n);
    else if (name == "--teams")
      o->teams = static_cast<int>(n);
    else if (name == "--seed")
      o->seed = static_cast<uint64_t>(n);
    else if (name == "--pure-runs")
      o->pure_runs = static_cast<int>(n);
    else if (name == "--db-runs")
      o->db_runs = static_cast<int>(n);
    else if (name == "--list-rows")
      o->list_rows = n;
    else {
      std::cerr << "unknown option " << name << "\n";
      return false;
    }
  }
  if (o->workers < 1 || o->modules < 1 || o->workplaces < 1 || o->teams < 1 || o->pure_runs < 1 || o->db_runs < 1) {
    std::cerr << "workers, modules, workplaces, teams and runs must be at least 1\n";
    return false;
  }
  return true;
}

// CPU seconds this process has used: on a shared machine a run that waited
// for a core shows more wall time than CPU time.
double cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

// Peak resident set size of the whole run so far (getrusage), in MiB.
double peak_mib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;
}

// Linux keeps a resettable high-water mark (VmHWM) beside ru_maxrss: writing
// 5 to clear_refs resets it, so one phase's peak can be read on its own.
bool reset_phase_peak() {
  std::ofstream f("/proc/self/clear_refs");
  f << "5";
  f.flush();
  return static_cast<bool>(f);
}

// A "VmHWM" (peak since the last reset) or "VmRSS" (now) figure, in MiB.
double status_mib(const std::string& field) {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line))
    if (line.rfind(field + ":", 0) == 0) return std::strtod(line.c_str() + field.size() + 1, nullptr) / 1024.0;
  return -1;
}

double phase_peak_mib() { return status_mib("VmHWM"); }

struct Stats {
  double median = 0, max = 0, first = 0;
};

Stats stats_of(std::vector<double> times) {
  Stats s;
  s.first = times.front();
  std::sort(times.begin(), times.end());
  s.max = times.back();
  size_t n = times.size();
  s.median = n % 2 ? times[n / 2] : (times[n / 2 - 1] + times[n / 2]) / 2;
  return s;
}

std::string fixed(double v, int places = 3) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", places, v);
  return buf;
}

std::string share_text(const std::optional<double>& share) { return share ? fixed(*share * 100, 1) + "%" : "none"; }

// ---- The synthetic organisation -------------------------------------------

struct SyntheticWorker {
  std::string role_category, closeness, workplace, team;
  long started = 0;
  long left = -1;  // -1 while in post
};

struct SyntheticRequirement {
  int module = 0;  // index into modules
  std::string role_category;
  std::string workplace;  // "" for every workplace
  int within_days = 0;
};

struct SyntheticCompletion {
  int32_t worker = 0;  // index into workers
  int16_t module = 0;
  int32_t day = 0;  // day number
};

struct Organisation {
  std::vector<SyntheticWorker> workers;
  std::vector<std::optional<int>> refresh_months;  // per module
  std::vector<SyntheticRequirement> requirements;
  int organisation_wide = 0;
  std::vector<SyntheticCompletion> completions;
};

template <typename T>
T pick(std::mt19937_64& rng, const std::vector<T>& from) {
  return from[std::uniform_int_distribution<size_t>(0, from.size() - 1)(rng)];
}

std::string numbered(const char* prefix, int64_t n, int width) {
  std::string digits = std::to_string(n);
  if (static_cast<int>(digits.size()) < width) digits.insert(0, static_cast<size_t>(width) - digits.size(), '0');
  return prefix + digits;
}

Organisation generate(const Options& o) {
  std::mt19937_64 rng(o.seed);
  Organisation org;
  const long date = day_number(o.date);

  // Role categories and closeness in pathway order, weighted roughly as a
  // provider's workforce is: mostly care workers, close to direct care.
  std::vector<std::string> categories, levels;
  for (const auto& [code, label] : learning::role_categories()) categories.push_back(code);
  for (const auto& [code, label] : learning::closeness_levels()) levels.push_back(code);
  std::discrete_distribution<size_t> category_of({10, 40, 15, 5, 10, 5, 5, 4, 6});
  std::discrete_distribution<size_t> level_of({60, 15, 5, 5, 3, 12});
  std::uniform_int_distribution<long> days_before(0, 3652);  // ten years
  std::uniform_int_distribution<int> team_of(0, o.teams - 1);
  std::bernoulli_distribution leaves(0.08);

  org.workers.reserve(static_cast<size_t>(o.workers));
  for (int64_t i = 0; i < o.workers; ++i) {
    SyntheticWorker w;
    w.role_category = categories[category_of(rng) % categories.size()];
    w.closeness = levels[level_of(rng) % levels.size()];
    int team = team_of(rng);  // a team belongs to one workplace
    w.team = numbered("Team ", team + 1, 3);
    w.workplace = numbered("Workplace ", team % o.workplaces + 1, 2);
    w.started = date - days_before(rng);
    if (leaves(rng)) w.left = std::uniform_int_distribution<long>(w.started, date)(rng);
    org.workers.push_back(std::move(w));
  }

  const std::optional<int> refresh_cycle[] = {12, 24, 36, std::nullopt};  // months; never expires last
  for (int m = 0; m < o.modules; ++m) org.refresh_months.push_back(refresh_cycle[m % 4]);

  // The store allows one requirement per (module, role category, workplace).
  // Most are organisation-wide; a fifth are for one workplace, half of those
  // on pairs nobody else must do and half replacing an organisation-wide rule.
  std::vector<std::pair<int, std::string>> pairs;
  for (int m = 0; m < o.modules; ++m)
    for (const auto& c : categories) pairs.emplace_back(m, c);
  std::shuffle(pairs.begin(), pairs.end(), rng);
  const std::vector<int> within = {28, 84, 182, 365};
  int wanted = o.requirements;
  org.organisation_wide = std::min(static_cast<int>(pairs.size()), wanted - wanted / 5);
  for (int i = 0; i < org.organisation_wide; ++i)
    org.requirements.push_back(
        {pairs[static_cast<size_t>(i)].first, pairs[static_cast<size_t>(i)].second, "", pick(rng, within)});
  std::set<std::tuple<int, std::string, std::string>> taken;
  std::uniform_int_distribution<int> workplace_of(0, o.workplaces - 1);
  for (int k = 0; static_cast<int>(org.requirements.size()) < wanted && k < wanted * 4; ++k) {
    const auto& [m, c] = pairs[static_cast<size_t>(org.organisation_wide + k) % pairs.size()];
    std::string workplace = numbered("Workplace ", workplace_of(rng) + 1, 2);
    if (!taken.emplace(m, c, workplace).second) continue;
    org.requirements.push_back({m, c, workplace, pick(rng, within)});
  }

  // Which modules each worker must do, for spreading completions over them.
  std::map<std::string, std::vector<int>> everywhere;
  std::map<std::pair<std::string, std::string>, std::vector<int>> at_workplace;
  for (const auto& r : org.requirements) {
    if (r.workplace.empty())
      everywhere[r.role_category].push_back(r.module);
    else
      at_workplace[{r.role_category, r.workplace}].push_back(r.module);
  }

  // Each worker gets a share of the completions (exponential weights: some
  // keep up, some barely start). Their first completions go to distinct
  // required modules, the rest to refreshers and optional modules.
  std::exponential_distribution<double> weight_of(1.0);
  std::vector<double> weights(org.workers.size());
  double total = 0;
  for (double& w : weights) total += (w = weight_of(rng));
  std::vector<int64_t> budget(org.workers.size());
  int64_t given = 0;
  for (size_t i = 0; i < weights.size(); ++i)
    given += budget[i] = static_cast<int64_t>(std::floor(static_cast<double>(o.completions) * weights[i] / total));
  std::uniform_int_distribution<size_t> any_worker(0, org.workers.size() - 1);
  for (; given < o.completions; ++given) ++budget[any_worker(rng)];

  std::uniform_int_distribution<int> any_module(0, o.modules - 1);
  std::bernoulli_distribution refresher(0.7);
  org.completions.reserve(static_cast<size_t>(o.completions));
  std::vector<int> required;
  for (size_t i = 0; i < org.workers.size(); ++i) {
    const SyntheticWorker& w = org.workers[i];
    required = everywhere[w.role_category];
    for (int m : at_workplace[{w.role_category, w.workplace}])
      if (std::find(required.begin(), required.end(), m) == required.end()) required.push_back(m);
    std::shuffle(required.begin(), required.end(), rng);
    std::uniform_int_distribution<long> day_of(w.started, w.left >= 0 ? w.left : date);
    for (int64_t j = 0; j < budget[i]; ++j) {
      int m;
      if (static_cast<size_t>(j) < required.size())
        m = required[static_cast<size_t>(j)];
      else if (!required.empty() && refresher(rng))
        m = pick(rng, required);
      else
        m = any_module(rng);
      org.completions.push_back({static_cast<int32_t>(i), static_cast<int16_t>(m), static_cast<int32_t>(day_of(rng))});
    }
  }
  return org;
}

// What Learning::coverage would read: workers in post on the date, every
// requirement and module, and the latest completion per worker and module
// on or before the date. Ids are 1-based positions.
CoverageInput pure_input(const Organisation& org, const std::string& date_text) {
  const long date = day_number(date_text);
  CoverageInput in;
  in.date = date_text;
  for (size_t i = 0; i < org.workers.size(); ++i) {
    const SyntheticWorker& w = org.workers[i];
    if (w.started > date || (w.left >= 0 && w.left < date)) continue;
    in.workers.push_back({static_cast<int64_t>(i + 1), w.role_category, w.closeness, w.workplace, w.team,
                          date_of_day_number(w.started), w.left >= 0 ? date_of_day_number(w.left) : ""});
  }
  for (const auto& r : org.requirements) {
    learning::RequirementRule rule;
    rule.module_id = r.module + 1;
    rule.role_category = r.role_category;
    rule.within_days = r.within_days;
    rule.workplace = r.workplace;
    in.requirements.push_back(rule);
  }
  for (size_t m = 0; m < org.refresh_months.size(); ++m)
    in.modules.push_back({static_cast<int64_t>(m + 1), org.refresh_months[m]});
  std::vector<SyntheticCompletion> sorted;
  sorted.reserve(org.completions.size());
  for (const auto& c : org.completions)
    if (c.day <= date) sorted.push_back(c);
  std::sort(sorted.begin(), sorted.end(), [](const SyntheticCompletion& a, const SyntheticCompletion& b) {
    return std::tie(a.worker, a.module, a.day) < std::tie(b.worker, b.module, b.day);
  });
  for (size_t i = 0; i < sorted.size(); ++i) {
    bool last_of_pair =
        i + 1 == sorted.size() || sorted[i + 1].worker != sorted[i].worker || sorted[i + 1].module != sorted[i].module;
    if (last_of_pair)
      in.completions.push_back(
          {static_cast<int64_t>(sorted[i].worker) + 1, sorted[i].module + 1, date_of_day_number(sorted[i].day)});
  }
  return in;
}

// ---- Loading the database ---------------------------------------------------

[[noreturn]] void fail(const std::string& what, const Status& s) {
  std::cerr << "bench_learning_coverage: " << what << ": " << s.to_string() << "\n";
  std::exit(1);
}

template <typename T>
T must(StatusOr<T> v, const std::string& what) {
  if (!v.ok()) fail(what, v.status());
  return std::move(v).value();
}

struct Loaded {
  int64_t organisation_id = 0;
  double workers_seconds = 0, completions_seconds = 0, total_seconds = 0;
};

// Inserts the organisation through the store's Connection: prepared
// statements with bound parameters, a few big write transactions.
Loaded load(store::Database& db, const Organisation& org) {
  Loaded out;
  const auto start = SteadyClock::now();
  const std::string now = "2025-06-30T12:00:00Z";
  std::vector<int64_t> module_ids, worker_ids;
  Status s = store::in_write_transaction(db, [&](store::Connection& conn) -> Status {
    auto row = conn.query_one("INSERT INTO organisations (name, created_at) VALUES ($1, $2) RETURNING id",
                              {"Bench Care Provider", now});
    if (!row.ok()) return row.status();
    out.organisation_id = row->integer(0);
    for (size_t m = 0; m < org.refresh_months.size(); ++m) {
      std::string title = numbered("Module ", static_cast<int64_t>(m + 1), 2);
      auto id = conn.query_one(
          "INSERT INTO learning_modules (organisation_id, starter, title, delivery, refresh_months, content,"
          " created_at, updated_at) VALUES ($1, 0, $2, 'elearning', $3, $4, $5, $5) RETURNING id",
          {out.organisation_id, title, org.refresh_months[m], "{\"title\": \"" + title + "\"}", now});
      if (!id.ok()) return id.status();
      module_ids.push_back(id->integer(0));
    }
    for (const auto& r : org.requirements) {
      auto done = conn.execute(
          "INSERT INTO learning_requirements (organisation_id, module_id, role_category, workplace, within_days,"
          " created_on, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
          {out.organisation_id, module_ids[static_cast<size_t>(r.module)], r.role_category, r.workplace, r.within_days,
           now.substr(0, 10), now});
      if (!done.ok()) return done.status();
    }
    return Status::Ok();
  });
  if (!s.ok()) fail("inserting the organisation, modules and requirements", s);

  auto workers_start = SteadyClock::now();
  s = store::in_write_transaction(db, [&](store::Connection& conn) -> Status {
    std::vector<store::Value> params;
    for (size_t i = 0; i < org.workers.size(); ++i) {
      const SyntheticWorker& w = org.workers[i];
      params = {out.organisation_id,
                numbered("W", static_cast<int64_t>(i + 1), 6),
                numbered("Worker ", static_cast<int64_t>(i + 1), 6),
                w.workplace,
                w.team,
                w.role_category,
                w.closeness,
                date_of_day_number(w.started),
                w.left >= 0 ? store::Value(date_of_day_number(w.left)) : store::Value(nullptr),
                now};
      auto id = conn.query(
          "INSERT INTO workers (organisation_id, worker_id, name, workplace, team, role_category, closeness,"
          " started_on, left_on, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)"
          " RETURNING id",
          params);
      if (!id.ok()) return id.status();
      worker_ids.push_back(id->front().integer(0));
    }
    return Status::Ok();
  });
  if (!s.ok()) fail("inserting workers", s);
  out.workers_seconds = seconds_since(workers_start);
  std::cerr << "loaded " << org.workers.size() << " workers in " << fixed(out.workers_seconds, 1) << " s\n";

  auto completions_start = SteadyClock::now();
  constexpr size_t kBatch = 250'000;
  for (size_t from = 0; from < org.completions.size(); from += kBatch) {
    size_t to = std::min(org.completions.size(), from + kBatch);
    s = store::in_write_transaction(db, [&](store::Connection& conn) -> Status {
      std::vector<store::Value> params;
      for (size_t i = from; i < to; ++i) {
        const SyntheticCompletion& k = org.completions[i];
        params = {out.organisation_id, worker_ids[static_cast<size_t>(k.worker)],
                  module_ids[static_cast<size_t>(k.module)], date_of_day_number(k.day), now};
        auto done = conn.execute(
            "INSERT INTO learning_completions (organisation_id, worker_ref, module_id, completed_on, source,"
            " created_at) VALUES ($1, $2, $3, $4, 'import', $5)",
            params);
        if (!done.ok()) return done.status();
      }
      return Status::Ok();
    });
    if (!s.ok()) fail("inserting completions", s);
    std::cerr << "loaded " << to << " of " << org.completions.size() << " completions ("
              << fixed(seconds_since(completions_start), 1) << " s)\n";
  }
  out.completions_seconds = seconds_since(completions_start);
  out.total_seconds = seconds_since(start);
  return out;
}

// ---- Where the end-to-end time goes ----------------------------------------

// The four queries of Learning::coverage, copied from learning.cc, so each
// can be timed alone. "SQLite alone" runs the same query wrapped in
// SELECT COUNT(*), which steps SQLite through every row without handing
// rows back; the difference is making Row and Value objects.
struct CoverageQuery {
  const char* name;
  std::string sql;
  bool with_date;
};

std::vector<CoverageQuery> coverage_queries() {
  return {
      {"workers",
       "SELECT id, role_category, closeness, workplace, team, started_on, COALESCE(left_on, '') FROM workers"
       " WHERE organisation_id = $1 AND started_on <= $2 AND (left_on IS NULL OR left_on >= $2)",
       true},
      {"requirements",
       "SELECT module_id, role_category, within_days, workplace FROM learning_requirements"
       " WHERE organisation_id = $1",
       false},
      {"modules", "SELECT id, refresh_months FROM learning_modules WHERE organisation_id = $1", false},
      {"completions",
       "SELECT worker_ref, module_id, completed_on FROM learning_completions"
       " WHERE organisation_id = $1 AND completed_on <= $2",
       true},
  };
}

struct Breakdown {
  std::vector<double> query, engine_only;
  double convert = 0, compute = 0;
  size_t latest_rows = 0;
  // A query shape to compare: the latest completion per worker and module
  // by GROUP BY in SQL (what Learning::coverage did before streaming).
  double stream_query = 0, stream_engine_only = 0;
  size_t stream_rows = 0;
};

constexpr const char* kStreamCompletions =
    "SELECT worker_ref, module_id, MAX(completed_on) FROM learning_completions"
    " WHERE organisation_id = $1 AND completed_on <= $2 GROUP BY worker_ref, module_id";

Breakdown time_breakdown(store::Database& db, int64_t org, const std::string& date, size_t list_rows) {
  Breakdown b;
  store::Connection& c = *must(db.connection(), "connecting");
  auto queries = coverage_queries();
  std::vector<std::vector<store::Row>> results;
  for (const auto& q : queries) {
    std::vector<store::Value> params = {org};
    if (q.with_date) params.push_back(date);
    auto start = SteadyClock::now();
    auto count = c.query("SELECT COUNT(*) FROM (" + q.sql + ")", params);
    b.engine_only.push_back(seconds_since(start));
    if (!count.ok()) fail(std::string("counting ") + q.name, count.status());
    start = SteadyClock::now();
    auto rows = c.query(q.sql, params);
    b.query.push_back(seconds_since(start));
    if (!rows.ok()) fail(std::string("querying ") + q.name, rows.status());
    results.push_back(std::move(*rows));
  }
  b.latest_rows = results[3].size();
  {
    auto start = SteadyClock::now();
    auto count = c.query(std::string("SELECT COUNT(*) FROM (") + kStreamCompletions + ")", {org, date});
    b.stream_engine_only = seconds_since(start);
    if (!count.ok()) fail("counting the latest completions", count.status());
    start = SteadyClock::now();
    auto rows = c.query(kStreamCompletions, {org, date});
    b.stream_query = seconds_since(start);
    if (!rows.ok()) fail("querying the latest completions", rows.status());
    b.stream_rows = rows->size();
  }
  // The same conversion Learning::coverage does.
  auto start = SteadyClock::now();
  CoverageInput in;
  in.date = date;
  in.list_limit = list_rows;
  in.workers.reserve(results[0].size());
  for (const auto& r : results[0])
    in.workers.push_back({r.integer(0), r.text(1), r.text(2), r.text(3), r.text(4), r.text(5), r.text(6)});
  for (const auto& r : results[1]) {
    learning::RequirementRule rule;
    rule.module_id = r.integer(0);
    rule.role_category = r.text(1);
    rule.within_days = static_cast<int>(r.integer(2));
    rule.workplace = r.text(3);
    in.requirements.push_back(rule);
  }
  for (const auto& r : results[2])
    in.modules.push_back(
        {r.integer(0), r.is_null(1) ? std::nullopt : std::optional<int>(static_cast<int>(r.integer(1)))});
  in.completions.reserve(results[3].size());
  for (const auto& r : results[3]) in.completions.push_back({r.integer(0), r.integer(1), r.text(2)});
  b.convert = seconds_since(start);
  results.clear();
  start = SteadyClock::now();
  Coverage out = learning::compute_coverage(in);
  b.compute = seconds_since(start);
  return b;
}

void print_plans(store::Database& db, int64_t org, const std::string& date) {
  store::Connection& c = *must(db.connection(), "connecting");
  auto queries = coverage_queries();
  queries.push_back({"compare, latest completions by GROUP BY", kStreamCompletions, true});
  for (const auto& q : queries) {
    std::vector<store::Value> params = {org};
    if (q.with_date) params.push_back(date);
    auto rows = c.query("EXPLAIN QUERY PLAN " + q.sql, params);
    if (!rows.ok()) fail("explaining a query", rows.status());
    std::string plan;
    for (const auto& r : *rows) plan += (plan.empty() ? "" : "; ") + r.text(r.size() - 1);
    std::cout << "query plan, " << q.name << ": " << plan << "\n";
  }
}

std::string headline(const Coverage& c) {
  return "workers " + std::to_string(c.workers) + ", completed " + std::to_string(c.completed) + ", share " +
         share_text(c.share) + ", overdue " + std::to_string(c.overdue) + " (" + std::to_string(c.overdue_modules) +
         " modules), expiring soon " + std::to_string(c.expiring_soon) + ", workplaces " +
         std::to_string(c.by_workplace.size()) + ", teams " + std::to_string(c.by_team.size());
}

bool same_figures(const Coverage& a, const Coverage& b) {
  return a.workers == b.workers && a.completed == b.completed && a.overdue == b.overdue &&
         a.expiring_soon == b.expiring_soon && a.overdue_modules == b.overdue_modules &&
         a.expiring_modules == b.expiring_modules && a.by_team.size() == b.by_team.size();
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!parse_options(argc, argv, &o)) {
    std::cerr << kUsage;
    return 2;
  }
  std::cout << "learning coverage benchmark: seed " << o.seed << ", date " << o.date << ", "
            << sysconf(_SC_NPROCESSORS_ONLN) << " cores; goal end to end under 1 s\n";

  // 1. Generate.
  std::cerr << "generating " << o.workers << " workers and " << o.completions << " completions\n";
  auto start = SteadyClock::now();
  Organisation org = generate(o);
  double generate_seconds = seconds_since(start);
  int64_t leavers = 0;
  for (const auto& w : org.workers) leavers += w.left >= 0;
  int refresh[4] = {0, 0, 0, 0};
  for (const auto& r : org.refresh_months) ++refresh[!r ? 3 : *r / 12 - 1];
  std::cout << "generated: workers " << org.workers.size() << " (leavers " << leavers << "), workplaces "
            << o.workplaces << ", teams " << o.teams << "\n"
            << "generated: modules " << org.refresh_months.size() << " (refresh every 12 months " << refresh[0]
            << ", 24 months " << refresh[1] << ", 36 months " << refresh[2] << ", never " << refresh[3] << ")\n"
            << "generated: requirements " << org.requirements.size() << " (organisation-wide " << org.organisation_wide
            << ", for one workplace " << org.requirements.size() - static_cast<size_t>(org.organisation_wide) << ")\n"
            << "generated: completion records " << org.completions.size() << "\n"
            << "generate: " << fixed(generate_seconds, 2) << " s; peak memory " << fixed(peak_mib(), 1)
            << " MiB (ru_maxrss)\n";

  // 2. The pure computation on what the database would hand it.
  Coverage pure;
  {
    CoverageInput in = pure_input(org, o.date);
    in.list_limit = static_cast<size_t>(o.list_rows);
    std::cout << "lists of people to act on: " << o.list_rows << " rows each\n";
    std::cout << "pure input: workers in post " << in.workers.size() << ", requirements " << in.requirements.size()
              << ", modules " << in.modules.size() << ", latest completions (one per worker and module) "
              << in.completions.size() << "\n";
    double before = status_mib("VmRSS");
    bool phase = reset_phase_peak();
    std::vector<double> times, cpu;
    for (int run = 0; run < o.pure_runs; ++run) {
      start = SteadyClock::now();
      double cpu_start = cpu_seconds();
      pure = learning::compute_coverage(in);
      times.push_back(seconds_since(start));
      cpu.push_back(cpu_seconds() - cpu_start);
    }
    Stats t = stats_of(times), c = stats_of(cpu);
    std::cout << "pure compute_coverage: median " << fixed(t.median) << " s, max " << fixed(t.max) << " s over "
              << o.pure_runs << " runs (CPU median " << fixed(c.median) << " s, max " << fixed(c.max) << " s)\n"
              << "pure result: " << headline(pure) << "\n"
              << "pure memory: peak " << fixed(peak_mib(), 1) << " MiB (ru_maxrss, whole run so far)";
    if (phase)
      std::cout << "; this phase's peak " << fixed(phase_peak_mib(), 1) << " MiB (VmHWM), from " << fixed(before, 1)
                << " MiB resident at its start";
    std::cout << "\n";

    // For comparison: handed every completion record on or before the date
    // rather than the latest per worker and module (compute_coverage keeps
    // the latest itself), as a query without GROUP BY would hand it.
    const long date = day_number(o.date);
    in.completions.clear();
    for (const auto& k : org.completions)
      if (k.day <= date)
        in.completions.push_back({static_cast<int64_t>(k.worker) + 1, k.module + 1, date_of_day_number(k.day)});
    times.clear();
    const int runs = std::min(3, o.pure_runs);
    Coverage every;
    for (int run = 0; run < runs; ++run) {
      start = SteadyClock::now();
      every = learning::compute_coverage(in);
      times.push_back(seconds_since(start));
    }
    t = stats_of(times);
    std::cout << "compute_coverage given every completion record (as Learning::coverage passes them): " << in.completions.size()
              << " completion records: median " << fixed(t.median) << " s, max " << fixed(t.max) << " s over " << runs
              << " runs; same figures: " << (same_figures(pure, every) ? "yes" : "NO") << "\n";
  }

  // 3. Load a real SQLite file, then time Learning::coverage on it.
  std::optional<store::TemporaryDatabase> temporary;
  std::unique_ptr<store::Database> kept;
  store::Database* db = nullptr;
  if (o.database.empty()) {
    temporary.emplace("bench-learning-coverage");
    if (!temporary->status().ok()) fail("opening a temporary database", temporary->status());
    db = &**temporary;
    std::cerr << "loading into SQLite in " << std::filesystem::temp_directory_path().string() << "\n";
  } else {
    kept = must(store::open_database(o.database), "opening " + o.database);
    if (Status s = store::migrate(*kept, store::bundled_migrations()); !s.ok()) fail("migrating " + o.database, s);
    db = kept.get();
    std::cerr << "loading into SQLite at " << o.database << "\n";
  }
  Loaded loaded = load(*db, org);
  const size_t records = org.completions.size(), worker_count = org.workers.size();
  org = Organisation();  // the end-to-end phase reads only the database
  malloc_trim(0);
  {
    store::Connection& c = *must(db->connection(), "connecting");
    auto pages = must(c.query_one("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()"),
                      "measuring the database");
    std::cout << "load (not part of the figure): " << fixed(loaded.total_seconds, 1) << " s (workers "
              << fixed(loaded.workers_seconds, 1) << " s, completions " << fixed(loaded.completions_seconds, 1)
              << " s), " << worker_count << " workers and " << records << " completion records, database "
              << fixed(static_cast<double>(pages.integer(0)) / 1048576.0, 1) << " MiB; peak memory "
              << fixed(peak_mib(), 1) << " MiB (ru_maxrss)\n";
  }

  FakeClock clock(std::chrono::system_clock::time_point(std::chrono::sys_days(std::chrono::days(day_number(o.date)))));
  learning::Learning learning(*db, clock);
  double before = status_mib("VmRSS");
  bool phase = reset_phase_peak();
  std::vector<double> times, cpu;
  Coverage e2e;
  for (int run = 0; run < o.db_runs; ++run) {
    start = SteadyClock::now();
    double cpu_start = cpu_seconds();
    e2e = must(learning.coverage(loaded.organisation_id, o.date, static_cast<size_t>(o.list_rows)), "Learning::coverage");
    times.push_back(seconds_since(start));
    cpu.push_back(cpu_seconds() - cpu_start);
    std::cerr << "Learning::coverage run " << run + 1 << ": " << fixed(times.back()) << " s\n";
  }
  Stats t = stats_of(times), c = stats_of(cpu);
  std::cout << "end-to-end Learning::coverage: median " << fixed(t.median) << " s, max " << fixed(t.max) << " s over "
            << o.db_runs << " runs (first " << fixed(t.first) << " s; CPU median " << fixed(c.median) << " s, max "
            << fixed(c.max) << " s)\n"
            << "end-to-end result: " << headline(e2e) << "; same as pure: " << (same_figures(pure, e2e) ? "yes" : "NO")
            << "\n"
            << "end-to-end memory: peak " << fixed(peak_mib(), 1) << " MiB (ru_maxrss, whole run so far)";
  if (phase)
    std::cout << "; this phase's peak " << fixed(phase_peak_mib(), 1) << " MiB (VmHWM), from " << fixed(before, 1)
              << " MiB resident at its start";
  std::cout << "\n";

  // 4. Where the time goes: each query alone, conversion and compute, the
  // median of db_runs breakdowns.
  std::vector<Breakdown> runs;
  for (int run = 0; run < o.db_runs; ++run) runs.push_back(time_breakdown(*db, loaded.organisation_id, o.date, static_cast<size_t>(o.list_rows)));
  auto median_of = [&](auto field) {
    std::vector<double> v;
    for (const auto& b : runs) v.push_back(field(b));
    return stats_of(v).median;
  };
  auto queries = coverage_queries();
  std::cout << "breakdown (median of " << o.db_runs << "):";
  for (size_t q = 0; q < queries.size(); ++q)
    std::cout << (q ? "," : "") << " " << queries[q].name << " query "
              << fixed(median_of([&](const Breakdown& b) { return b.query[q]; })) << " s (SQLite alone "
              << fixed(median_of([&](const Breakdown& b) { return b.engine_only[q]; })) << " s)";
  std::cout << ", rows to CoverageInput " << fixed(median_of([](const Breakdown& b) { return b.convert; }))
            << " s, compute_coverage " << fixed(median_of([](const Breakdown& b) { return b.compute; })) << " s; "
            << runs.front().latest_rows << " completion rows\n"
            << "compare (not what Learning::coverage runs): the latest completion per worker and module by"
            << " GROUP BY: query " << fixed(median_of([](const Breakdown& b) { return b.stream_query; }))
            << " s (SQLite alone " << fixed(median_of([](const Breakdown& b) { return b.stream_engine_only; }))
            << " s), " << runs.front().stream_rows << " rows\n";
  print_plans(*db, loaded.organisation_id, o.date);
  std::cout << "peak memory at the end: " << fixed(peak_mib(), 1) << " MiB (ru_maxrss)\n";
  return 0;
}
