#include "impact/programme_measures.h"

#include <algorithm>
#include <set>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "collection/responses.h"
#include "core/dates.h"
#include "impact/familiar_voices.h"
#include "impact/measures.h"
#include "involvement/groups.h"
#include "involvement/people.h"
#include "survey/statistics.h"

namespace coproduce::impact::detail {
namespace {

using store::Connection;

// What the platform measures are worked out from, read once, in a few
// queries that let SQLite do the counting: the programme's activities (a
// few thousand at most) are read with their dates, and the many rows under
// them (places, payments, ratings) are read as bare numbers or summed per
// activity, then dated from their activity.
struct PlatformData {
  std::vector<Place> places;                     // the programme's places up to the last day asked about, by day
  std::map<int64_t, std::string> first_starts;  // each person's first place at the organisation, any group
  std::vector<Dated> payments;                   // approved or paid, for the programme's activities
  std::vector<Dated> expenses;
  std::vector<Dated> lead_rungs;    // per activity rated by its lead
  std::vector<Dated> member_rungs;  // per rating
};

int rung_rank(const std::string& code) {
  const auto& rungs = involvement::ladder_rungs();
  for (size_t i = 0; i < rungs.size(); ++i)
    if (rungs[i].first == code) return static_cast<int>(i) + 1;
  return 0;
}

struct ScopeActivity {
  int64_t group_id = 0;
  std::string starts_at;
  bool cancelled = false;
};

// The programme's activities, by id.
StatusOr<std::map<int64_t, ScopeActivity>> scope_activities(Connection& c, int64_t org, int64_t programme) {
  auto rows = c.query(std::string("SELECT a.id, a.group_id, a.starts_at, a.status, a.lead_rung FROM activities a"
                                  " WHERE a.id IN (") +
                          kScopeActivities + ")",
                      {org, programme});
  if (!rows.ok()) return rows.status();
  std::map<int64_t, ScopeActivity> out;
  for (const auto& r : *rows) out[r.integer(0)] = {r.integer(1), r.text(2), r.text(3) == "cancelled"};
  return out;
}

// Payments for time, summed per activity and dated by it; or expense
// claims summed per day incurred.
StatusOr<std::vector<Dated>> paid_on(Connection& c, int64_t org, int64_t programme, bool payments,
                                     const std::map<int64_t, ScopeActivity>& scope) {
  std::vector<Dated> out;
  if (payments) {
    auto rows = c.query(std::string("SELECT p.activity_id, SUM(p.pence) FROM payments p WHERE p.organisation_id = $1"
                                    " AND p.status IN ('approved', 'paid') AND p.activity_id IN (") +
                            kScopeActivities + ") GROUP BY p.activity_id",
                        {org, programme});
    if (!rows.ok()) return rows.status();
    for (const auto& r : *rows) {
      auto a = scope.find(r.integer(0));
      if (a != scope.end()) out.push_back({a->second.starts_at.substr(0, 10), r.integer(1)});
    }
  } else {
    auto rows = c.query(std::string("SELECT e.incurred_on, SUM(e.pence) FROM expense_claims e"
                                    " WHERE e.organisation_id = $1 AND e.status IN ('approved', 'paid')"
                                    " AND e.activity_id IN (") +
                            kScopeActivities + ") GROUP BY e.incurred_on",
                        {org, programme});
    if (!rows.ok()) return rows.status();
    for (const auto& r : *rows) out.push_back({r.text(0).substr(0, 10), r.integer(1)});
  }
  std::stable_sort(out.begin(), out.end(), [](const Dated& a, const Dated& b) { return a.date < b.date; });
  return out;
}

StatusOr<PlatformData> load_platform(Connection& c, int64_t org, int64_t programme, const std::string& to) {
  PlatformData d;
  auto scope = scope_activities(c, org, programme);
  if (!scope.ok()) return scope.status();
  // Places: bare numbers, dated from their activity.
  auto places = c.query(std::string("SELECT i.activity_id, i.person_id, i.minutes FROM activity_invitations i"
                                    " WHERE i.attendance = 'attended' AND i.activity_id IN (") +
                            kScopeActivities + ")",
                        {org, programme});
  if (!places.ok()) return places.status();
  d.places.reserve(places->size());
  for (const auto& r : *places) {
    auto a = scope->find(r.integer(0));
    if (a == scope->end() || a->second.cancelled || a->second.starts_at.compare(0, 10, to) > 0) continue;
    d.places.push_back({r.integer(1), a->second.group_id, a->second.starts_at, r.integer(2)});
  }
  std::stable_sort(d.places.begin(), d.places.end(), [](const Place& a, const Place& b) {
    return a.starts_at.compare(0, 10, b.starts_at, 0, 10) < 0;
  });
  // Each person's first place anywhere at the organisation decides who is a
  // newcomer (measures.h first_place_starts, worked out by SQLite).
  auto first = c.query(
      "SELECT i.person_id, MIN(a.starts_at) FROM activity_invitations i JOIN activities a ON a.id = i.activity_id"
      " WHERE a.organisation_id = $1 AND a.status <> 'cancelled' AND i.attendance = 'attended'"
      " AND substr(a.starts_at, 1, 10) <= $2 GROUP BY i.person_id",
      {org, to});
  if (!first.ok()) return first.status();
  for (const auto& r : *first) d.first_starts.emplace(r.integer(0), r.text(1));
  auto pays = paid_on(c, org, programme, true, *scope);
  if (!pays.ok()) return pays.status();
  d.payments = std::move(*pays);
  auto exps = paid_on(c, org, programme, false, *scope);
  if (!exps.ok()) return exps.status();
  d.expenses = std::move(*exps);
  auto lead = c.query(std::string("SELECT starts_at, lead_rung FROM activities WHERE status <> 'cancelled'"
                                  " AND lead_rung <> '' AND id IN (") +
                          kScopeActivities + ")",
                      {org, programme});
  if (!lead.ok()) return lead.status();
  for (const auto& r : *lead)
    if (int rank = rung_rank(r.text(1))) d.lead_rungs.push_back({r.text(0).substr(0, 10), rank});
  auto members = c.query(std::string("SELECT r.activity_id, r.rung, COUNT(*) FROM activity_rung_ratings r"
                                     " WHERE r.activity_id IN (") +
                             kScopeActivities + ") GROUP BY r.activity_id, r.rung",
                         {org, programme});
  if (!members.ok()) return members.status();
  for (const auto& r : *members) {
    auto a = scope->find(r.integer(0));
    int rank = rung_rank(r.text(1));
    if (a == scope->end() || a->second.cancelled || rank == 0) continue;
    for (int64_t n = 0; n < r.integer(2); ++n) d.member_rungs.push_back({a->second.starts_at.substr(0, 10), rank});
  }
  // Sorted by date once, so each period's rows are found by binary search
  // (in_period) instead of a scan per period per indicator.
  for (auto* list : {&d.lead_rungs, &d.member_rungs})
    std::stable_sort(list->begin(), list->end(), [](const Dated& a, const Dated& b) { return a.date < b.date; });
  return d;
}

// The rows of `list` (sorted by date) dated within `p`, as [first, last).
template <typename T, typename DateOf>
std::pair<typename std::vector<T>::const_iterator, typename std::vector<T>::const_iterator> in_period(
    const std::vector<T>& list, const MeasurePeriod& p, DateOf date_of) {
  auto first = std::partition_point(list.begin(), list.end(), [&](const T& x) { return date_of(x) < p.from; });
  auto last = std::partition_point(first, list.end(), [&](const T& x) { return date_of(x) <= p.to; });
  return {first, last};
}

std::string_view dated_day(const Dated& x) { return x.date; }
std::string_view place_day(const Place& p) { return std::string_view(p.starts_at).substr(0, 10); }

// The figures of the programme's places in one period, worked out together
// (and once) for every measure of places.
struct PlaceFigures {
  std::vector<Place> places;
  int64_t people = 0;
  std::optional<double> newcomer_share;  // %
  std::optional<double> top_tenth_share;
  std::optional<double> gini;
};

PlaceFigures place_figures(const PlatformData& d, const MeasurePeriod& period) {
  PlaceFigures f;
  auto [first, last] = in_period(d.places, period, place_day);
  f.places.assign(first, last);
  auto n = static_cast<int64_t>(f.places.size());
  std::vector<int64_t> counts;
  for (const auto& l : load_per_person(f.places)) counts.push_back(l.places);
  f.people = static_cast<int64_t>(counts.size());
  if (n > 0)
    f.newcomer_share = 100.0 * static_cast<double>(newcomer_places(f.places, d.first_starts)) / static_cast<double>(n);
  if (auto share = top_decile_share(counts)) f.top_tenth_share = 100.0 * *share;
  f.gini = gini(counts);
  return f;
}

// A measure of money or rungs, from the dated lists.
Measurement dated_measure(const std::string& what, const MeasurePeriod& period, const PlatformData& d) {
  Measurement m;
  m.period = period;
  if (what == "total_paid") {
    int64_t total = 0;
    for (const auto* list : {&d.payments, &d.expenses}) {
      auto [first, last] = in_period(*list, period, dated_day);
      for (auto it = first; it != last; ++it) total += it->amount;
    }
    m.value = static_cast<double>(total);
    return m;
  }
  const auto& list = what == "lead_rung" ? d.lead_rungs : d.member_rungs;
  int64_t sum = 0, n = 0;
  auto [first, last] = in_period(list, period, dated_day);
  for (auto it = first; it != last; ++it) {
    sum += it->amount;
    ++n;
  }
  m.base = n;
  if (n == 0)
    m.note = what == "lead_rung" ? "No activity in the period was rated by its lead" : "No ratings by members in the period";
  else
    m.value = static_cast<double>(sum) / static_cast<double>(n);
  return m;
}

// A measure of places: places, people or one of the shares.
Measurement place_measure(const std::string& what, const MeasurePeriod& period, const PlaceFigures& f) {
  Measurement m;
  m.period = period;
  auto n = static_cast<int64_t>(f.places.size());
  if (what == "places") {
    m.value = static_cast<double>(n);
  } else if (what == "people") {
    m.value = static_cast<double>(f.people);
  } else {
    m.base = n;
    m.value = what == "newcomer_share" ? f.newcomer_share : what == "top_tenth_share" ? f.top_tenth_share : f.gini;
    if (!m.value) m.note = "No places in the period";
  }
  return m;
}


// ---- Equality answers, actions, survey responses ----

struct Equality {
  std::map<int64_t, Answers> answers;  // of people with a place at the programme's activities
  Benchmark benchmark;
};

struct Action {
  std::string due_on;
  std::string done_on;  // "" when not done
  bool not_doing = false;
};

struct SurveyAnswer {
  std::string date;  // the day it was sent (UTC)
  collection::Answers answers;
};

// Why a figure is withheld. `what` says fewer than the threshold of what.
std::string too_few(const char* what) {
  return "Fewer than " + std::to_string(kMinPeopleForBreakdown) + " " + what +
         ": too few to show without risk of identifying someone";
}

}  // namespace

StatusOr<std::vector<Dated>> paid_rows(Connection& c, int64_t org, int64_t programme, bool payments) {
  auto scope = scope_activities(c, org, programme);
  if (!scope.ok()) return scope.status();
  return paid_on(c, org, programme, payments, *scope);
}


StatusOr<ProgrammeReach> reach(Connection& c, int64_t org, const Programme& programme, const Period& period,
                               const Clock& clock, const Actor& actor) {
  ProgrammeReach r;
  r.period = period;
  auto held = c.query(std::string("SELECT COUNT(*) FROM activities WHERE status <> 'cancelled'"
                                  " AND substr(starts_at, 1, 10) >= $3 AND substr(starts_at, 1, 10) <= $4"
                                  " AND id IN (") +
                          kScopeActivities + ")",
                      {org, programme.id, period.from, period.to});
  if (!held.ok()) return held.status();
  r.activities = held->front().integer(0);
  auto data = load_platform(c, org, programme.id, period.to);
  if (!data.ok()) return data.status();
  MeasurePeriod whole{period.from + " to " + period.to, period.from, period.to};
  auto [first, end] = in_period(data->places, whole, place_day);
  std::vector<Place> places(first, end);
  r.places = static_cast<int64_t>(places.size());
  std::vector<int64_t> counts;
  std::set<int64_t> people;
  for (const auto& l : load_per_person(places)) {
    counts.push_back(l.places);
    people.insert(l.person_id);
  }
  r.people = static_cast<int64_t>(counts.size());
  if (r.places > 0) {
    r.newcomer_places = newcomer_places(places, data->first_starts);
    r.newcomer_share = static_cast<double>(r.newcomer_places) / static_cast<double>(r.places);
  }
  r.top_tenth_share = top_decile_share(counts);
  r.gini = gini(counts);
  const auto& rungs = involvement::ladder_rungs();
  for (size_t i = 0; i < rungs.size(); ++i)
    r.rungs.push_back({rungs[i].first, rungs[i].second, static_cast<int>(i) + 1, 0, 0});
  auto tally = [&](const std::vector<Dated>& list, int64_t RungCount::*count, int64_t& n,
                   std::optional<double>& mean) {
    int64_t sum = 0;
    auto [from, to] = in_period(list, whole, dated_day);
    for (auto it = from; it != to; ++it) {
      r.rungs[static_cast<size_t>(it->amount - 1)].*count += 1;
      sum += it->amount;
      ++n;
    }
    if (n > 0) mean = static_cast<double>(sum) / static_cast<double>(n);
  };
  tally(data->lead_rungs, &RungCount::lead, r.lead_rated, r.lead_mean);
  tally(data->member_rungs, &RungCount::members, r.member_ratings, r.member_mean);
  auto answers = equality_answers(c, org, people);
  if (!answers.ok()) return answers.status();
  auto bench = benchmark_in_use(c, org);
  if (!bench.ok()) return bench.status();
  if (Status s = involvement::record_action(c, clock, org, actor, "programme.equality.read", "programme", programme.id);
      !s.ok())
    return s;
  r.who = representativeness(places, *answers, *bench);
  r.benchmark_local = bench->local;
  return r;
}

struct MeasureReader::Data {
  std::optional<PlatformData> platform;
  std::optional<Equality> equality;
  std::optional<std::vector<Action>> actions;
  std::map<int64_t, std::vector<SurveyAnswer>> surveys;
  std::map<std::string, PlaceFigures> place_figures;  // by the period's first and last days
  // Figures two indicators share: by the measure (or survey, question and
  // options) and the period.
  std::map<std::tuple<std::string, std::string, std::string>, Measurement> measured;
};

MeasureReader::MeasureReader(Connection& c, int64_t org, const Programme& programme, const LearningCoverage& learning,
                             const Clock& clock, const Actor* reader)
    : c_(c), org_(org), programme_(programme), learning_(learning), clock_(clock), reader_(reader),
      data_(std::make_unique<Data>()) {}

MeasureReader::~MeasureReader() = default;

StatusOr<std::vector<Measurement>> MeasureReader::series(const IndicatorDefinition& d, const std::string& last) {
  std::vector<MeasurePeriod> periods = periods_between(programme_.details.starts_on, last, d.frequency);
  if (d.source == "platform" && d.measure == "learning_coverage") return learning(periods, last);
  std::string what = d.source == "survey" ? "survey " + std::to_string(d.survey_id.value_or(0)) + " " + d.question
                                          : d.measure + " " + d.category + " " + d.category_value;
  if (d.source == "survey")
    for (const auto& o : d.options) what += " " + o;
  std::vector<Measurement> out;
  out.reserve(periods.size());
  for (const auto& period : periods) {
    auto key = std::make_tuple(what, period.from, period.to);
    auto found = data_->measured.find(key);
    if (found == data_->measured.end()) {
      auto m = d.source == "survey" ? survey(d, period, last) : platform(d, period, last);
      if (!m.ok()) return m.status();
      found = data_->measured.emplace(key, std::move(*m)).first;
    }
    out.push_back(found->second);
  }
  return out;
}

StatusOr<Measurement> MeasureReader::platform(const IndicatorDefinition& d, const MeasurePeriod& period,
                                              const std::string& last) {
  Data& data = *data_;
  if (d.measure == "actions_on_time") {
    if (!data.actions) {
      auto rows = c_.query(std::string("SELECT due_on, done_on, status FROM activity_actions WHERE activity_id IN (") +
                               kScopeActivities + ") ORDER BY due_on",
                           {org_, programme_.id});
      if (!rows.ok()) return rows.status();
      data.actions.emplace();
      for (const auto& r : *rows)
        data.actions->push_back({r.text(0), r.is_null(1) ? "" : r.text(1), r.text(2) == "not_doing"});
    }
    Measurement m;
    m.period = period;
    int64_t due = 0, on_time = 0;
    auto [first, end] = in_period(*data.actions, period, [](const Action& a) -> std::string_view { return a.due_on; });
    for (auto it = first; it != end; ++it) {
      if (it->not_doing) continue;
      ++due;
      if (!it->done_on.empty() && it->done_on <= it->due_on) ++on_time;
    }
    m.base = due;
    if (due == 0)
      m.note = "No 'you said, we did' actions were due in the period";
    else
      m.value = 100.0 * static_cast<double>(on_time) / static_cast<double>(due);
    return m;
  }
  if (!data.platform) {
    auto loaded = load_platform(c_, org_, programme_.id, last);
    if (!loaded.ok()) return loaded.status();
    data.platform = std::move(*loaded);
  }
  auto figures_for = [&](const MeasurePeriod& p) -> const PlaceFigures& {
    std::string key = p.from + p.to;
    auto found = data.place_figures.find(key);
    if (found == data.place_figures.end()) found = data.place_figures.emplace(key, place_figures(*data.platform, p)).first;
    return found->second;
  };
  if (d.measure == "total_paid" || d.measure == "lead_rung" || d.measure == "member_rung")
    return dated_measure(d.measure, period, *data.platform);
  if (d.measure != "benchmark_gap") return place_measure(d.measure, period, figures_for(period));
  if (!data.equality) {
    std::set<int64_t> people;
    for (const auto& place : data.platform->places) people.insert(place.person_id);
    auto answers = equality_answers(c_, org_, people);
    if (!answers.ok()) return answers.status();
    auto bench = benchmark_in_use(c_, org_);
    if (!bench.ok()) return bench.status();
    if (reader_) {
      if (Status s = involvement::record_action(c_, clock_, org_, *reader_, "programme.equality.read", "programme",
                                                programme_.id);
          !s.ok())
        return s;
    }
    data.equality = Equality{std::move(*answers), std::move(*bench)};
  }
  Measurement m;
  m.period = period;
  const std::vector<Place>& places = figures_for(period).places;
  if (places.empty()) {
    m.note = "No places in the period";
    return m;
  }
  Representativeness r = representativeness(places, data.equality->answers, data.equality->benchmark);
  for (const auto& category : r.categories) {
    if (category.category != d.category) continue;
    if (category.suppressed) {  // how many are known is withheld too
      m.suppressed = true;
      m.note = too_few("people's answers are known");
      return m;
    }
    m.base = category.known_places;
    for (const auto& v : category.values) {
      if (v.value != d.category_value) continue;
      if (!v.gap) {
        m.note = "The benchmark has no share for " + v.label;
        return m;
      }
      m.value = 100.0 * *v.gap;
      return m;
    }
  }
  m.note = "Nobody's answer for this category is known";
  return m;
}

StatusOr<Measurement> MeasureReader::survey(const IndicatorDefinition& d, const MeasurePeriod& period,
                                            const std::string& last) {
  int64_t id = d.survey_id.value_or(0);
  auto loaded = data_->surveys.find(id);
  if (loaded == data_->surveys.end()) {
    auto rows = c_.query(
        "SELECT r.submitted_at, r.answers FROM survey_responses r JOIN surveys s ON s.id = r.survey_id"
        " WHERE r.survey_id = $1 AND s.organisation_id = $2 AND r.submitted_at IS NOT NULL"
        " AND substr(r.submitted_at, 1, 10) <= $3",
        {id, org_, last});
    if (!rows.ok()) return rows.status();
    std::vector<SurveyAnswer> list;
    list.reserve(rows->size());
    for (const auto& r : *rows) {
      nlohmann::json answers = nlohmann::json::parse(r.text(1), nullptr, false);
      list.push_back({r.text(0).substr(0, 10), collection::answers_from_json(answers)});
    }
    std::stable_sort(list.begin(), list.end(), [](const SurveyAnswer& a, const SurveyAnswer& b) { return a.date < b.date; });
    loaded = data_->surveys.emplace(id, std::move(list)).first;
  }
  std::set<std::string> counted(d.options.begin(), d.options.end());
  int64_t answered = 0, chose = 0;
  auto [first, end] =
      in_period(loaded->second, period, [](const SurveyAnswer& a) -> std::string_view { return a.date; });
  for (auto it = first; it != end; ++it) {
    auto a = it->answers.find(d.question);
    if (a == it->answers.end() || a->second.values.empty()) continue;
    ++answered;
    if (std::any_of(a->second.values.begin(), a->second.values.end(),
                    [&](const std::string& v) { return counted.count(v) > 0; }))
      ++chose;
  }
  Measurement m;
  m.period = period;
  m.base = answered;
  if (answered == 0) {
    m.note = "Nobody answered the question in the period";
  } else if (answered < kMinPeopleForBreakdown) {
    m.suppressed = true;
    m.note = too_few("people answered");
  } else {
    auto n = static_cast<double>(answered), k = static_cast<double>(chose);
    m.value = 100.0 * k / n;
    survey::Interval ci = survey::wilson_interval(k, n);
    m.lower = 100.0 * ci.lower;
    m.upper = 100.0 * ci.upper;
  }
  return m;
}

StatusOr<std::vector<Measurement>> MeasureReader::learning(const std::vector<MeasurePeriod>& periods,
                                                           const std::string& last) {
  std::vector<Measurement> out;
  std::vector<std::string> dates;
  for (const auto& p : periods) {
    Measurement m;
    m.period = p;
    out.push_back(std::move(m));
    dates.push_back(std::min(p.to, last));
  }
  if (!learning_) {
    for (auto& m : out) m.note = "Learning coverage is not available here";
    return out;
  }
  auto figures = learning_(c_, org_, programme_.details.module_ids, dates);
  if (!figures.ok()) return figures.status();
  for (size_t i = 0; i < out.size() && i < figures->size(); ++i) {
    const CoverageFigure& f = (*figures)[i];
    out[i].base = f.workers;
    if (f.workers == 0)
      out[i].note = "Nobody in post on " + dates[i] + " had to do the programme's learning";
    else
      out[i].value = 100.0 * static_cast<double>(f.completed) / static_cast<double>(f.workers);
  }
  return out;
}

}  // namespace coproduce::impact::detail
