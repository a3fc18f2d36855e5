#include "impact/familiar_voices.h"

#include <chrono>
#include <cstdio>
#include <set>

#include "core/csv.h"
#include "core/dates.h"
#include "security/audit.h"

namespace coproduce::impact {
namespace {

namespace chr = std::chrono;

bool in_period(const Place& p, const Period& period) {
  std::string day = p.starts_at.substr(0, 10);
  return day >= period.from && day <= period.to;
}

}  // namespace

bool is_date(const std::string& text) { return coproduce::is_date(text); }

Period default_period(TimePoint now) {
  chr::year_month_day today{chr::floor<chr::days>(now)};
  chr::year_month first = chr::year_month(today.year(), today.month()) - chr::months(11);
  return {format_date(first / chr::day(1)), format_date(today.year() / today.month() / chr::last)};
}

Period whole_months(const Period& period) {
  auto from = parse_date(period.from), to = parse_date(period.to);
  if (!from || !to) return period;
  return {format_date(from->year() / from->month() / chr::day(1)), format_date(to->year() / to->month() / chr::last)};
}

PeriodChoice parse_period(const std::string& from_text, const std::string& to_text, const std::string& group_text,
                          TimePoint now) {
  PeriodChoice out;
  Period fallback = default_period(now);
  std::string from(csv::trim(from_text)), to(csv::trim(to_text)), group(csv::trim(group_text));
  out.period.from = from.empty() ? fallback.from : from;
  out.period.to = to.empty() ? fallback.to : to;
  bool from_ok = is_date(out.period.from), to_ok = is_date(out.period.to);
  if (!from_ok) {
    out.errors.push_back({"from", "Enter the start date as year, month and day with dashes, for example 2026-04-01"});
  }
  if (!to_ok) {
    out.errors.push_back({"to", "Enter the end date as year, month and day with dashes, for example 2027-03-31"});
  }
  if (from_ok && to_ok && out.period.to < out.period.from) {
    out.errors.push_back({"to", "The end date must be the same as or after the start date"});
  }
  if (from_ok && to_ok) {
    Period whole = whole_months(out.period);
    out.widened = whole.from != out.period.from || whole.to != out.period.to;
    out.period = whole;
  }
  if (!group.empty()) {
    bool digits = group.size() <= 18 && group.find_first_not_of("0123456789") == std::string::npos;
    if (!digits || std::stoll(group) <= 0) {
      out.errors.push_back({"group", "Choose a group from the list, or the whole organisation"});
    } else {
      out.group = std::stoll(group);
    }
  }
  return out;
}

Report compute_report(const std::vector<Place>& history, const Period& period, std::optional<int64_t> group,
                      const std::vector<Membership>& memberships, const std::map<int64_t, Answers>& answers,
                      const Benchmark& benchmark, int64_t threshold) {
  Report r;
  r.period = period;
  r.group_id = group;
  r.benchmark = benchmark;
  std::vector<Place> places;
  for (const auto& p : history) {
    if (in_period(p, period) && (!group || p.group_id == *group)) places.push_back(p);
  }
  std::vector<PersonLoad> loads = load_per_person(places);
  std::vector<int64_t> counts, minutes;
  for (const auto& l : loads) {
    counts.push_back(l.places);
    minutes.push_back(l.minutes);
    r.minutes += l.minutes;
  }
  r.places = static_cast<int64_t>(places.size());
  r.people = static_cast<int64_t>(loads.size());
  r.top_tenth_people = top_tenth_size(r.people);
  r.top_decile_share = top_decile_share(counts);
  r.top_decile_hours_share = top_decile_share(minutes);
  r.gini = gini(counts);
  r.tenths = places_by_tenth(counts);
  r.newcomer_places = newcomer_places(places, first_place_starts(history));
  if (r.places > 0) r.newcomer_share = static_cast<double>(r.newcomer_places) / static_cast<double>(r.places);
  r.multi_group = people_on_three_or_more_groups(memberships, group);
  if (r.multi_group.members > 0) {
    r.three_or_more_share =
        static_cast<double>(r.multi_group.on_three_or_more) / static_cast<double>(r.multi_group.members);
  }
  r.representativeness = representativeness(places, answers, benchmark, threshold);
  return r;
}

StatusOr<Report> FamiliarVoices::report(int64_t org, const Period& period, std::optional<int64_t> group,
                                        const involvement::Actor& actor) {
  return store::in_write_transaction(db_, [&](store::Connection& c) -> StatusOr<Report> {
    std::string group_name;
    if (group) {
      auto g = c.query("SELECT name FROM groups WHERE id = $1 AND organisation_id = $2", {*group, org});
      if (!g.ok()) return g.status();
      if (g->empty())
        return Status(StatusCode::kNotFound, "There is no such group in your organisation",
                      Location{"", 0, 0, "group"});
      group_name = g->front().text(0);
    }
    // Every attended place up to the end of the period, any group: the
    // earlier ones decide who is a newcomer.
    auto loaded = history_on(c, org, period.to);
    if (!loaded.ok()) return loaded.status();
    std::vector<Place> history = std::move(loaded).value();
    std::set<int64_t> in_scope;
    for (const auto& p : history) {
      if (in_period(p, period) && (!group || p.group_id == *group)) in_scope.insert(p.person_id);
    }
    auto members = c.query(
        "SELECT m.person_id, m.group_id FROM group_members m JOIN groups g ON g.id = m.group_id"
        " WHERE g.organisation_id = $1 AND m.status = 'accepted'",
        {org});
    if (!members.ok()) return members.status();
    std::vector<Membership> memberships;
    for (const auto& row : *members) memberships.push_back({row.integer(0), row.integer(1)});
    auto answers = equality_answers(c, org, in_scope);
    if (!answers.ok()) return answers.status();
    auto bench = benchmark_in_use(c, org);
    if (!bench.ok()) return bench.status();
    if (Status s = security::record_audit(c, clock_,
                                          {org, actor.user_id, "familiar-voices.read", group ? "group" : "organisation",
                                           std::to_string(group ? *group : org), actor.address});
        !s.ok()) {
      return s;
    }
    Report r = compute_report(history, period, group, memberships, *answers, *bench);
    r.group_name = group_name;
    return r;
  });
}

StatusOr<std::vector<Place>> FamiliarVoices::history_on(store::Connection& c, int64_t org, const std::string& to) {
  auto rows = c.query(
      "SELECT i.person_id, a.group_id, a.starts_at, i.minutes FROM activity_invitations i"
      " JOIN activities a ON a.id = i.activity_id"
      " WHERE a.organisation_id = $1 AND a.status <> 'cancelled' AND i.attendance = 'attended'"
      " AND substr(a.starts_at, 1, 10) <= $2",
      {org, to});
  if (!rows.ok()) return rows.status();
  std::vector<Place> history;
  history.reserve(rows->size());
  for (const auto& row : *rows) history.push_back({row.integer(0), row.integer(1), row.text(2), row.integer(3)});
  return history;
}

std::vector<GroupSummary> summarise_groups(const std::vector<Place>& history, const Period& period,
                                           const std::vector<std::pair<int64_t, std::string>>& groups) {
  std::vector<GroupSummary> out;
  for (const auto& [id, name] : groups) {
    Report r = compute_report(history, period, id, {}, {}, Benchmark{});
    out.push_back({id, name, r.places, r.people, r.top_decile_share, r.gini, r.newcomer_share});
  }
  return out;
}

StatusOr<std::vector<GroupSummary>> FamiliarVoices::group_summaries(int64_t org, const Period& period) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  store::Transaction tx(**c, store::TransactionMode::kRead);
  if (!tx.status().ok()) return tx.status();
  auto rows = (*c)->query("SELECT id, name FROM groups WHERE organisation_id = $1 ORDER BY name, id", {org});
  if (!rows.ok()) return rows.status();
  std::vector<std::pair<int64_t, std::string>> groups;
  for (const auto& row : *rows) groups.emplace_back(row.integer(0), row.text(1));
  auto history = history_on(**c, org, period.to);
  if (!history.ok()) return history.status();
  return summarise_groups(*history, period, groups);
}

StatusOr<std::map<int64_t, Answers>> equality_answers(store::Connection& c, int64_t org,
                                                      const std::set<int64_t>& people) {
  std::map<int64_t, Answers> answers;
  if (people.empty()) return answers;
  auto equality = c.query(
      "SELECT e.person_id, e.ethnic_group, e.sex, e.disability FROM equality_monitoring e"
      " JOIN people p ON p.id = e.person_id WHERE p.organisation_id = $1",
      {org});
  if (!equality.ok()) return equality.status();
  for (const auto& row : *equality) {
    int64_t person = row.integer(0);
    if (!people.count(person)) continue;
    Answers a;
    const char* fields[] = {"ethnic_group", "sex", "disability"};
    for (size_t i = 0; i < 3; ++i) {
      std::string v = value_for_answer(fields[i], row.text(i + 1));
      if (!v.empty()) a[fields[i]] = v;
    }
    answers[person] = std::move(a);
  }
  return answers;
}

StatusOr<Benchmark> benchmark_in_use(store::Connection& c, int64_t org) {
  auto rows = c.query(
      "SELECT category, value, share, source, uploaded_at FROM benchmark_shares WHERE organisation_id = $1"
      " ORDER BY category, value",
      {org});
  if (!rows.ok()) return rows.status();
  std::vector<BenchmarkShare> local;
  std::string uploaded_at;
  for (const auto& row : *rows) {
    local.push_back({row.text(0), row.text(1), row.real(2), row.text(3)});
    uploaded_at = std::max(uploaded_at, row.text(4));
  }
  return combine(census_2021(), local, uploaded_at);
}

StatusOr<Benchmark> FamiliarVoices::benchmark(int64_t org) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  return benchmark_in_use(**c, org);
}

Status FamiliarVoices::save_benchmark(int64_t org, const std::vector<BenchmarkShare>& shares,
                                      const involvement::Actor& actor) {
  if (shares.empty()) return InvalidInput("The file holds no shares.");
  return store::in_write_transaction(db_, [&](store::Connection& c) -> Status {
    auto del = c.execute("DELETE FROM benchmark_shares WHERE organisation_id = $1", {org});
    if (!del.ok()) return del.status();
    std::string now = format_timestamp(clock_.now());
    for (const auto& s : shares) {
      auto ins = c.execute(
          "INSERT INTO benchmark_shares (organisation_id, category, value, share, source, uploaded_at)"
          " VALUES ($1, $2, $3, $4, $5, $6)",
          {org, s.category, s.value, s.share, s.source, now});
      if (!ins.ok()) return ins.status();
    }
    return security::record_audit(
        c, clock_, {org, actor.user_id, "benchmark.upload", "organisation", std::to_string(org), actor.address});
  });
}

Status FamiliarVoices::reset_benchmark(int64_t org, const involvement::Actor& actor) {
  return store::in_write_transaction(db_, [&](store::Connection& c) -> Status {
    auto del = c.execute("DELETE FROM benchmark_shares WHERE organisation_id = $1", {org});
    if (!del.ok()) return del.status();
    return security::record_audit(
        c, clock_, {org, actor.user_id, "benchmark.reset", "organisation", std::to_string(org), actor.address});
  });
}

}  // namespace coproduce::impact
