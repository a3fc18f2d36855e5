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

struct Attended {
  Place place;
  bool in_scope = false;
};

// What the platform measures are worked out from, read once.
struct PlatformData {
  std::vector<Attended> history;  // every place at the organisation up to the last day asked about
  std::map<int64_t, std::string> first_starts;
  std::vector<Dated> payments;  // approved or paid, for the programme's activities
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

StatusOr<std::vector<Dated>> dated_rows(Connection& c, const std::string& sql, int64_t org, int64_t programme) {
  auto rows = c.query(sql, {org, programme});
  if (!rows.ok()) return rows.status();
  std::vector<Dated> out;
  out.reserve(rows->size());
  for (const auto& r : *rows) out.push_back({r.text(0).substr(0, 10), r.integer(1)});
  return out;
}

StatusOr<PlatformData> load_platform(Connection& c, int64_t org, int64_t programme, const std::string& to) {
  PlatformData d;
  auto scope = c.query(kScopeActivities, {org, programme});
  if (!scope.ok()) return scope.status();
  std::set<int64_t> in_scope;
  for (const auto& r : *scope) in_scope.insert(r.integer(0));
  auto places = c.query(
      "SELECT i.person_id, a.group_id, a.starts_at, i.minutes, a.id FROM activity_invitations i"
      " JOIN activities a ON a.id = i.activity_id"
      " WHERE a.organisation_id = $1 AND a.status <> 'cancelled' AND i.attendance = 'attended'"
      " AND substr(a.starts_at, 1, 10) <= $2",
      {org, to});
  if (!places.ok()) return places.status();
  std::vector<Place> all;
  for (const auto& r : *places) {
    Place p{r.integer(0), r.integer(1), r.text(2), r.integer(3)};
    all.push_back(p);
    d.history.push_back({p, in_scope.count(r.integer(4)) > 0});
  }
  d.first_starts = first_place_starts(all);
  auto pays = paid_rows(c, org, programme, true);
  if (!pays.ok()) return pays.status();
  d.payments = std::move(*pays);
  auto exps = paid_rows(c, org, programme, false);
  if (!exps.ok()) return exps.status();
  d.expenses = std::move(*exps);
  auto lead = c.query(std::string("SELECT starts_at, lead_rung FROM activities WHERE status <> 'cancelled'"
                                  " AND lead_rung <> '' AND id IN (") +
                          kScopeActivities + ")",
                      {org, programme});
  if (!lead.ok()) return lead.status();
  for (const auto& r : *lead)
    if (int rank = rung_rank(r.text(1))) d.lead_rungs.push_back({r.text(0).substr(0, 10), rank});
  auto members = c.query(std::string("SELECT a.starts_at, r.rung FROM activity_rung_ratings r"
                                     " JOIN activities a ON a.id = r.activity_id WHERE a.status <> 'cancelled'"
                                     " AND a.id IN (") +
                             kScopeActivities + ")",
                         {org, programme});
  if (!members.ok()) return members.status();
  for (const auto& r : *members)
    if (int rank = rung_rank(r.text(1))) d.member_rungs.push_back({r.text(0).substr(0, 10), rank});
  // Sorted by date once, so each period's rows are found by binary search
  // (in_period) instead of a scan per period per indicator.
  for (auto* list : {&d.payments, &d.expenses, &d.lead_rungs, &d.member_rungs})
    std::stable_sort(list->begin(), list->end(), [](const Dated& a, const Dated& b) { return a.date < b.date; });
  std::stable_sort(d.history.begin(), d.history.end(), [](const Attended& a, const Attended& b) {
    return a.place.starts_at.compare(0, 10, b.place.starts_at, 0, 10) < 0;
  });
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
std::string_view attended_day(const Attended& a) { return std::string_view(a.place.starts_at).substr(0, 10); }

Measurement place_measure(const std::string& what, const MeasurePeriod& period, const PlatformData& d) {
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
  if (what == "lead_rung" || what == "member_rung") {
    const auto& list = what == "lead_rung" ? d.lead_rungs : d.member_rungs;
    int64_t sum = 0, n = 0;
    auto [first, last] = in_period(list, period, dated_day);
    for (auto it = first; it != last; ++it) {
      sum += it->amount;
      ++n;
    }
    m.base = n;
    if (n == 0)
      m.note = what == "lead_rung" ? "No activity in the period was rated by its lead"
                                   : "No ratings by members in the period";
    else
      m.value = static_cast<double>(sum) / static_cast<double>(n);
    return m;
  }
  std::vector<Place> places;
  auto [first, last] = in_period(d.history, period, attended_day);
  for (auto it = first; it != last; ++it)
    if (it->in_scope) places.push_back(it->place);
  auto n = static_cast<int64_t>(places.size());
  std::vector<int64_t> counts;
  for (const auto& l : load_per_person(places)) counts.push_back(l.places);
  if (what == "places") {
    m.value = static_cast<double>(n);
  } else if (what == "people") {
    m.value = static_cast<double>(counts.size());
  } else {
    m.base = n;
    std::optional<double> share;
    if (what == "newcomer_share" && n > 0)
      share = 100.0 * static_cast<double>(newcomer_places(places, d.first_starts)) / static_cast<double>(n);
    if (what == "top_tenth_share") {
      if (auto s = top_decile_share(counts)) share = 100.0 * *s;
    }
    if (what == "gini") share = gini(counts);
    m.value = share;
    if (!share) m.note = "No places in the period";
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

std::string too_few(int64_t base, const char* what) {
  return "Fewer than " + std::to_string(kMinPeopleForBreakdown) + " " + what + " (" + std::to_string(base) +
         "): too few to show without risk of identifying someone";
}

}  // namespace

StatusOr<std::vector<Dated>> paid_rows(Connection& c, int64_t org, int64_t programme, bool payments) {
  std::string sql = payments
                        ? "SELECT a.starts_at, p.pence FROM payments p JOIN activities a ON a.id = p.activity_id"
                          " WHERE p.organisation_id = $1 AND p.status IN ('approved', 'paid') AND a.id IN ("
                        : "SELECT e.incurred_on, e.pence FROM expense_claims e"
                          " WHERE e.organisation_id = $1 AND e.status IN ('approved', 'paid') AND e.activity_id IN (";
  return dated_rows(c, sql + kScopeActivities + ")", org, programme);
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
  std::vector<Place> places;
  auto [first, end] = in_period(data->history, whole, attended_day);
  for (auto it = first; it != end; ++it)
    if (it->in_scope) places.push_back(it->place);
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
  if (d.measure != "benchmark_gap") return place_measure(d.measure, period, *data.platform);
  if (!data.equality) {
    std::set<int64_t> people;
    for (const auto& a : data.platform->history)
      if (a.in_scope) people.insert(a.place.person_id);
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
  std::vector<Place> places;
  auto [first, end] = in_period(data.platform->history, period, attended_day);
  for (auto it = first; it != end; ++it)
    if (it->in_scope) places.push_back(it->place);
  if (places.empty()) {
    m.note = "No places in the period";
    return m;
  }
  Representativeness r = representativeness(places, data.equality->answers, data.equality->benchmark);
  for (const auto& category : r.categories) {
    if (category.category != d.category) continue;
    m.base = category.known_places;
    if (category.suppressed) {
      m.suppressed = true;
      m.note = too_few(category.people_known, "people's answers are known");
      return m;
    }
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
    m.note = too_few(answered, "people answered");
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
