// A programme's business case and indicator series at the size the issue
// names: ten years of records (2,000 activities of its group, 100,000
// payments for time with 10,000 expense claims beside them, 120 entered
// costs) and 50 indicators measured monthly (25 entered by hand with 120
// measurements each, 25 platform measures worked out for 120 months each).
// Then, a few times over, Programmes::business_case (with its sensitivity,
// break-even values and scenarios) and Programmes::indicators (every
// series and its status against target), timed together and apart.
// Prints the median and the slowest run and the peak memory (getrusage).
// Never fails on time; the goal (under 300 ms) is for a person to judge.
//
//   bench_impact_business_case [--activities N] [--payments N] [--indicators N] [--runs N]
//
// The records go straight into the tables for speed, in a temporary SQLite
// file removed at the end; the programme, its theory of change, indicators,
// costs and outcomes go through impact::Programmes. Progress goes to
// stderr; the figures go to stdout.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "core/clock.h"
#include "impact/programmes.h"
#include "involvement/groups.h"
#include "store/database.h"
#include "store/temporary_database.h"

namespace {

using namespace coproduce;
using SteadyClock = std::chrono::steady_clock;

[[noreturn]] void fail(const std::string& what, const Status& s) {
  std::cerr << "bench_impact_business_case: " << what << ": " << s.to_string() << "\n";
  std::exit(1);
}

template <typename T>
T must(StatusOr<T> v, const std::string& what) {
  if (!v.ok()) fail(what, v.status());
  return std::move(v).value();
}

double ms_since(SteadyClock::time_point t) {
  return std::chrono::duration<double, std::milli>(SteadyClock::now() - t).count();
}

std::string fixed(double v, int places) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", places, v);
  return buf;
}

long peak_rss_kb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;  // kilobytes on Linux
}

// The ten years: 2016-01-01 to 2025-12-31, day 0 the first.
std::string date_of_day(int day) {
  using namespace std::chrono;
  year_month_day d{sys_days{year{2016} / January / 1} + days(day)};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                static_cast<unsigned>(d.day()));
  return buf;
}
constexpr int kDays = 3653;  // 2016-01-01 .. 2025-12-31

struct Options {
  int activities = 2'000;
  int payments = 100'000;
  int indicators = 50;
  int runs = 7;
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string name = argv[i];
    if (i + 1 >= argc || name == "--help" || name == "-h") {
      std::cerr << "usage: bench_impact_business_case [--activities N] [--payments N] [--indicators N] [--runs N]\n"
                   "defaults: 2000 activities, 100000 payments, 50 indicators (at most 100), 7 runs\n";
      return name == "--help" || name == "-h" ? 0 : 2;
    }
    int v = std::atoi(argv[++i]);
    if (v < 1) {
      std::cerr << name << " must be a whole number of at least 1\n";
      return 2;
    }
    if (name == "--activities")
      o.activities = v;
    else if (name == "--payments")
      o.payments = v;
    else if (name == "--indicators")
      o.indicators = std::min(v, 100);
    else if (name == "--runs")
      o.runs = v;
    else {
      std::cerr << "unknown option " << name << "\n";
      return 2;
    }
  }
  const int per_activity = (o.payments + o.activities - 1) / o.activities;  // places (and payments) per activity
  const int people_count = std::max(600, per_activity * 4);

  store::TemporaryDatabase temporary("bench-impact-business-case");
  if (!temporary.status().ok()) fail("opening a temporary database", temporary.status());
  store::Database& db = *temporary;
  std::mt19937_64 rng(1);
  std::cout << "impact business case benchmark: " << o.activities << " activities, " << o.payments << " payments, "
            << o.indicators << " indicators measured monthly over 10 years, " << o.runs << " runs\n";

  // ---- The records, straight into the tables
  const auto build_start = SteadyClock::now();
  const auto& rungs = involvement::ladder_rungs();
  int64_t payments_made = 0, expenses_made = 0, places = 0;
  Status s = store::in_write_transaction(db, [&](store::Connection& c) -> Status {
    if (auto d =
            c.execute("INSERT INTO organisations (name, created_at) VALUES ('Bench Council', '2015-01-01T00:00:00Z')");
        !d.ok())
      return d.status();
    if (auto d = c.execute("INSERT INTO groups (organisation_id, name, setting, size, ladder_aim, created_at)"
                           " VALUES (1, 'Carers'' board', 'council', 60, 'co_production', '2015-01-01T00:00:00Z')");
        !d.ok())
      return d.status();
    for (int p = 1; p <= people_count; ++p) {
      auto d = c.execute(
          "INSERT INTO people (organisation_id, name, source, created_at, updated_at)"
          " VALUES (1, $1, 'import', '2015-01-01T00:00:00Z', '2015-01-01T00:00:00Z')",
          {"Person " + std::to_string(p)});
      if (!d.ok()) return d.status();
      // Equality answers for the benchmark gap, most people's known.
      static const char* kEthnic[] = {"white_british", "black_african", "asian_indian", "mixed_white_asian", ""};
      d = c.execute(
          "INSERT INTO equality_monitoring (person_id, ethnic_group, sex, disability, updated_at)"
          " VALUES ($1, $2, $3, $4, '2015-01-01T00:00:00Z')",
          {p, kEthnic[p % 5], p % 2 ? "female" : "male", p % 4 ? "not_disabled" : "disabled"});
      if (!d.ok()) return d.status();
    }
    return Status::Ok();
  });
  if (!s.ok()) fail("adding the organisation, group and people", s);

  std::uniform_int_distribution<int> person(1, people_count), rung(0, static_cast<int>(rungs.size()) - 1);
  constexpr int kBatch = 200;  // activities a transaction
  for (int from = 0; from < o.activities; from += kBatch) {
    int to = std::min(o.activities, from + kBatch);
    s = store::in_write_transaction(db, [&](store::Connection& c) -> Status {
      for (int a = from; a < to; ++a) {
        int day = static_cast<int>(static_cast<int64_t>(a) * kDays / o.activities);
        std::string date = date_of_day(day);
        std::string starts = date + "T14:00", stamp = date + "T16:00:00Z";
        auto row = c.query_one(
            "INSERT INTO activities (organisation_id, group_id, kind, title, starts_at, duration_minutes, status,"
            " lead_rung, created_at, updated_at) VALUES (1, 1, 'meeting', $1, $2, 120, 'held', $3, $4, $4) RETURNING "
            "id",
            {"Meeting " + std::to_string(a + 1), starts, rungs[static_cast<size_t>(rung(rng))].first, stamp});
        if (!row.ok()) return row.status();
        int64_t id = row->integer(0);
        // Distinct people for this activity's places.
        std::vector<int> who;
        while (static_cast<int>(who.size()) < per_activity) {
          int p = person(rng);
          if (std::find(who.begin(), who.end(), p) == who.end()) who.push_back(p);
        }
        for (int p : who) {
          auto d = c.execute(
              "INSERT INTO activity_invitations (activity_id, person_id, format, invited_at, response, attendance,"
              " minutes, rated) VALUES ($1, $2, 'standard', $3, 'coming', 'attended', 120, 1)",
              {id, p, stamp});
          if (!d.ok()) return d.status();
          ++places;
          if (payments_made < o.payments) {
            d = c.execute(
                "INSERT INTO payments (organisation_id, person_id, activity_id, pence, basis, status, raised_at)"
                " VALUES (1, $1, $2, 4000, 'two hours at the member rate', $3, $4)",
                {p, id, payments_made % 3 ? "paid" : "approved", stamp});
            if (!d.ok()) return d.status();
            ++payments_made;
          }
          if (payments_made % 10 == 0) {
            d = c.execute(
                "INSERT INTO expense_claims (organisation_id, person_id, activity_id, category, description, pence,"
                " incurred_on, status, submitted_at) VALUES (1, $1, $2, 'travel', 'Bus fare', 480, $3, 'approved', $4)",
                {p, id, date, stamp});
            if (!d.ok()) return d.status();
            ++expenses_made;
          }
        }
        // A 'you said, we did' action a month on, done on time two times in three.
        std::string due = date_of_day(day + 30);
        auto act = c.execute(
            "INSERT INTO activity_actions (activity_id, you_said, owner, status, due_on, updated_at, done_on)"
            " VALUES ($1, 'Papers came late', 'Lead', 'done', $2, $3, $4)",
            {id, due, stamp, a % 3 ? due : date_of_day(day + 40)});
        if (!act.ok()) return act.status();
        for (int r = 0; r < 5; ++r) {
          auto d = c.execute("INSERT INTO activity_rung_ratings (activity_id, rung, source) VALUES ($1, $2, 'online')",
                             {id, rungs[static_cast<size_t>(rung(rng))].first});
          if (!d.ok()) return d.status();
        }
      }
      return Status::Ok();
    });
    if (!s.ok()) fail("adding activities", s);
    std::cerr << "added " << to << " of " << o.activities << " activities, " << payments_made << " payments ("
              << fixed(ms_since(build_start) / 1000, 1) << " s)\n";
  }

  // ---- The programme, through the service, on a day after its ten years.
  FakeClock clock(std::chrono::sys_days{std::chrono::year{2026} / std::chrono::January / 15});
  impact::Programmes programmes(db, clock);
  Actor actor{std::nullopt, "bench"};
  impact::ProgrammeInput in{.name = "Carers' voices",
                            .lead = "Bench Lead",
                            .starts_on = "2016-01-01",
                            .ends_on = "2025-12-31",
                            .group_ids = {1}};
  const int64_t id = must(programmes.create(1, in, actor), "creating the programme").id;
  impact::TheoryOfChangeInput toc;
  toc.elements = {{"A1", "activity", "Board meetings"},
                  {"OP1", "output", "Meetings held with carers"},
                  {"OS1", "outcome_short", "Carers feel heard"},
                  {"OM1", "outcome_medium", "Services shaped by carers"}};
  toc.links = {{"A1", "OP1", "", ""}, {"OP1", "OS1", "", ""}, {"OS1", "OM1", "", ""}};
  must(programmes.save_theory_of_change(1, id, toc, actor), "saving the theory of change");

  const auto& measures = impact::platform_measures();
  std::vector<int64_t> manual_ids;
  for (int i = 0; i < o.indicators; ++i) {
    impact::IndicatorDefinition d{.name = "Indicator " + std::to_string(i + 1),
                                  .direction = "higher",
                                  .frequency = "monthly",
                                  .baseline_value = 10,
                                  .baseline_date = "2016-01-01",
                                  .target_value = 60,
                                  .target_date = "2025-12-31"};
    if (i % 2 == 0) {
      d.unit = "percentage";
      d.source = "manual";
    } else {
      d.source = "platform";
      d.measure = measures[static_cast<size_t>(i / 2) % measures.size()].first;
      d.unit = impact::measure_unit(d.measure);
      if (d.measure == "benchmark_gap") {
        d.category = "ethnic_group";
        d.category_value = "black";
        d.baseline_value = -5;
        d.target_value = 0;
      }
      if (d.unit == "money") {
        d.baseline_value = 100000;
        d.target_value = 300000;
      }
    }
    auto made = must(programmes.add_indicator(1, id, {i % 3 ? "OS1" : "OP1", d}, actor), "adding an indicator");
    if (d.source == "manual") manual_ids.push_back(made.id);
  }
  s = store::in_write_transaction(db, [&](store::Connection& c) -> Status {
    std::uniform_real_distribution<double> value(0, 100);
    for (int64_t ind : manual_ids) {
      for (int m = 0; m < 120; ++m) {
        char period[16];
        std::snprintf(period, sizeof period, "%04d-%02d", 2016 + m / 12, m % 12 + 1);
        auto d = c.execute(
            "INSERT INTO programme_measurements (indicator_id, period, value, evidence, created_at)"
            " VALUES ($1, $2, $3, 'Monthly returns', '2026-01-01T00:00:00Z')",
            {ind, std::string(period), value(rng)});
        if (!d.ok()) return d.status();
      }
    }
    return Status::Ok();
  });
  if (!s.ok()) fail("adding measurements", s);

  must(programmes.save_staff_grades(1, {{"Lead", 2250, 28}, {"Officer", 1580, 25}}, actor), "saving staff grades");
  for (int m = 0; m < 120; ++m) {
    char date[16];
    std::snprintf(date, sizeof date, "%04d-%02d-05", 2016 + m / 12, m % 12 + 1);
    impact::CostInput c = m % 2 ? impact::CostInput{.kind = "venue", .amount_pence = 12000, .date = date}
                                : impact::CostInput{.kind = "staff_time", .date = date, .grade = "Lead", .hours = 15};
    must(programmes.add_cost(1, id, c, actor), "adding a cost");
  }
  for (int k = 0; k < 3; ++k) {
    impact::OutcomeInput out{.name = "Outcome " + std::to_string(k + 1),
                             .quantity = 40.0 + k,
                             .proxy = "wellby",
                             .duration_years = 3 + k,
                             .deadweight = 30,
                             .attribution = 40,
                             .drop_off = 20};
    must(programmes.add_outcome(1, id, out, actor), "adding an outcome");
  }
  std::cout << "built: " << payments_made << " payments, " << expenses_made << " expense claims, " << places
            << " places, " << manual_ids.size() * 120 << " measurements entered, "
            << fixed(ms_since(build_start) / 1000, 1) << " s\n";

  // ---- The timed part
  std::vector<double> total, bc_ms, ind_ms;
  impact::ProgrammeBusinessCase last_bc;
  size_t series_points = 0;
  std::string statuses;
  for (int r = 0; r < o.runs; ++r) {
    auto t0 = SteadyClock::now();
    auto bc = must(programmes.business_case(1, id, std::nullopt), "the business case");
    double b = ms_since(t0);
    auto t1 = SteadyClock::now();
    auto inds = must(programmes.indicators(1, id, actor), "the indicators");
    double i = ms_since(t1);
    total.push_back(ms_since(t0));
    bc_ms.push_back(b);
    ind_ms.push_back(i);
    if (r == 0) {
      last_bc = bc;
      for (const auto& x : inds) series_points += x.measurements.size();
      std::map<std::string, int> by_status;
      for (const auto& x : inds) ++by_status[x.status.code];
      for (const auto& [code, n] : by_status) statuses += " " + code + " " + std::to_string(n);
    }
    std::cerr << "run " << r + 1 << ": " << fixed(total.back(), 1) << " ms\n";
  }
  std::cout << "business case: total present value " << last_bc.figures.total_present_value_pence << "p, costs "
            << last_bc.figures.total_costs_pence << "p (" << last_bc.figures.costs.size() << " lines), ratio "
            << (last_bc.figures.ratio ? fixed(*last_bc.figures.ratio, 2) : std::string("none")) << ", "
            << last_bc.figures.sensitivity.size() << " sensitivity bars\n"
            << "indicators: " << o.indicators << " series, " << series_points << " points; status:" << statuses << "\n"
            << "business case:          median " << fixed(median(bc_ms), 1) << " ms, max "
            << fixed(*std::max_element(bc_ms.begin(), bc_ms.end()), 1) << " ms\n"
            << "indicators and status:  median " << fixed(median(ind_ms), 1) << " ms, max "
            << fixed(*std::max_element(ind_ms.begin(), ind_ms.end()), 1) << " ms\n"
            << "both (goal under 300):  median " << fixed(median(total), 1) << " ms, max "
            << fixed(*std::max_element(total.begin(), total.end()), 1) << " ms\n"
            << "peak memory (max RSS, whole process including the build): " << fixed(peak_rss_kb() / 1024.0, 1)
            << " MB\n";
  return 0;
}
