// The familiar-voices report for an organisation, a period and optionally
// one group: the measures of measures.h worked out from the organisation's
// activities, attendance, memberships and equality monitoring, and the
// organisation's benchmark population (its own upload, or the Census).
//
// Example:
//   FamiliarVoices fv(db, clock);
//   PeriodChoice choice = parse_period("2026-01-01", "2026-06-30", "");
//   if (!choice.errors.empty()) ...show them by field...
//   StatusOr<Report> r = fv.report(org, choice.period, choice.group, actor);
#ifndef COPRODUCE_IMPACT_FAMILIAR_VOICES_H_
#define COPRODUCE_IMPACT_FAMILIAR_VOICES_H_

#include <cstdint>
#include <map>
#include <set>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "impact/benchmark.h"
#include "impact/measures.h"
#include "involvement/people.h"
#include "store/database.h"

namespace coproduce::impact {

// A period of whole days, both ends included: "YYYY-MM-DD".
struct Period {
  std::string from;
  std::string to;
};

// Periods are whole calendar months, so that figures for periods a day
// apart cannot be compared to pick out who attended on that day.

// The last 12 whole months, this one included (UTC): from the first day of
// the month 11 months ago to the last day of this month.
Period default_period(TimePoint now);

// `period` widened to whole months: from the first of its first month to the
// last day of its last month. Both dates must be real (is_date).
Period whole_months(const Period& period);

// True when `text` is a real calendar date written "YYYY-MM-DD".
bool is_date(const std::string& text);

// A period and group as typed into the form or the API. Problems are named
// by field: "from", "to" or "group". Empty dates take the default period's;
// good dates are widened to whole months.
struct PeriodChoice {
  Period period;        // widened to whole months when the dates were fine
  bool widened = false; // the dates typed were not whole months
  std::optional<int64_t> group;
  std::vector<involvement::FieldError> errors;
};
PeriodChoice parse_period(const std::string& from, const std::string& to, const std::string& group, TimePoint now);

struct Report {
  Period period;
  std::optional<int64_t> group_id;
  std::string group_name;  // empty for the whole organisation

  int64_t places = 0;   // attended places in the period (and group)
  int64_t people = 0;   // distinct people with a place
  int64_t minutes = 0;  // attended minutes of those places

  int64_t top_tenth_people = 0;                  // ceil(people / 10)
  std::optional<double> top_decile_share;        // of places; nullopt with no places
  std::optional<double> top_decile_hours_share;  // of hours; nullopt with no recorded minutes
  std::optional<double> gini;
  int64_t newcomer_places = 0;
  std::optional<double> newcomer_share;
  MultiGroup multi_group;
  std::optional<double> three_or_more_share;  // of people with an accepted membership
  std::vector<Tenth> tenths;
  Representativeness representativeness;
  Benchmark benchmark;

  double hours() const { return static_cast<double>(minutes) / 60.0; }
};

// Works out the report from plain data. `history` holds every place at the
// organisation up to the end of the period, any group; the period and group
// choose which count. `answers` maps person id to their equality answers.
Report compute_report(const std::vector<Place>& history, const Period& period, std::optional<int64_t> group,
                      const std::vector<Membership>& memberships, const std::map<int64_t, Answers>& answers,
                      const Benchmark& benchmark, int64_t threshold = kMinPeopleForBreakdown);

// One group's headline figures for the period, for comparing groups.
struct GroupSummary {
  int64_t group_id = 0;
  std::string name;
  int64_t places = 0;
  int64_t people = 0;
  std::optional<double> top_decile_share;
  std::optional<double> gini;
  std::optional<double> newcomer_share;
};

// The headline figures of each of `groups` (id and name, in the order
// given) from the same history as compute_report.
std::vector<GroupSummary> summarise_groups(const std::vector<Place>& history, const Period& period,
                                           const std::vector<std::pair<int64_t, std::string>>& groups);

// The equality answers of those of the organisation's people in `people`,
// as benchmark values (value_for_answer), by person id: personal data, so
// the caller audits the read.
StatusOr<std::map<int64_t, Answers>> equality_answers(store::Connection& conn, int64_t organisation_id,
                                                      const std::set<int64_t>& people);
// The benchmark in use: the organisation's upload over the Census default.
StatusOr<Benchmark> benchmark_in_use(store::Connection& conn, int64_t organisation_id);

class FamiliarVoices {
 public:
  // `db` and `clock` must outlive this. Thread-safe.
  FamiliarVoices(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // The report for an organisation's period and, optionally, one of its
  // groups. A group of another organisation, or none, is NotFound with the
  // field "group". Reads equality monitoring, so the read is audited.
  StatusOr<Report> report(int64_t organisation_id, const Period& period, std::optional<int64_t> group,
                          const involvement::Actor& actor);

  // Every group of the organisation with its headline figures for the
  // period, by name. Reads no equality answers.
  StatusOr<std::vector<GroupSummary>> group_summaries(int64_t organisation_id, const Period& period);

  // The benchmark in use: the organisation's upload over the Census default.
  StatusOr<Benchmark> benchmark(int64_t organisation_id);
  // Replaces the organisation's benchmark with `shares` (from a parsed file
  // with no problems), all or nothing. Audited.
  Status save_benchmark(int64_t organisation_id, const std::vector<BenchmarkShare>& shares,
                        const involvement::Actor& actor);
  // Goes back to the Census default. Audited.
  Status reset_benchmark(int64_t organisation_id, const involvement::Actor& actor);

 private:
  // Every attended place at the organisation up to and including `to`.
  StatusOr<std::vector<Place>> history_on(store::Connection& conn, int64_t organisation_id, const std::string& to);

  store::Database& db_;
  const Clock& clock_;
};

}  // namespace coproduce::impact

#endif  // COPRODUCE_IMPACT_FAMILIAR_VOICES_H_
