// The familiar-voices measures: how concentrated involvement is, how many
// places went to newcomers, and whose voices are missing against a
// benchmark population.
//
// Pure functions over plain structs: no database, no HTTP, no clock, so the
// figures can be checked by hand. The definitions are written out in
// docs/decisions/0300-familiar-voices-measures.md and docs/familiar-voices.md.
#ifndef COPRODUCE_IMPACT_MEASURES_H_
#define COPRODUCE_IMPACT_MEASURES_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "impact/benchmark.h"
#include "report/format.h"

namespace coproduce::impact {

// A breakdown by equality answers covering fewer people than this is not
// shown, so nobody can be picked out from it.
inline constexpr int64_t kMinPeopleForBreakdown = 10;
// What pages and downloads say in place of a suppressed breakdown.
inline constexpr const char* kTooFewToShow = "Too few people to show without risk of identifying someone.";

// One place: a person's attendance at an activity that was not cancelled.
struct Place {
  int64_t person_id = 0;
  int64_t group_id = 0;
  std::string starts_at;  // the activity's local start, "YYYY-MM-DDTHH:MM"
  int64_t minutes = 0;    // time the person took part
};

// One person's share of the places: how many, and the minutes they add up to.
struct PersonLoad {
  int64_t person_id = 0;
  int64_t places = 0;
  int64_t minutes = 0;
};

// Places and minutes per person, for everyone with at least one place; the
// most places first, ties by person id so the order is stable.
std::vector<PersonLoad> load_per_person(const std::vector<Place>& places);

// How many people make up the most-involved tenth of `n` people: ceil(n/10),
// so 1 for 1 to 10 people, 2 for 11 to 20.
int64_t top_tenth_size(int64_t n);

// The share of the total of `values` (one per person, each 0 or more) held
// by the top_tenth_size(n) largest. nullopt when the total is 0.
// Example: {5, 1, 1, 1} -> the top 1 of 4 hold 5 of 8 = 0.625.
std::optional<double> top_decile_share(std::vector<int64_t> values);

// The Gini coefficient of `values` (each 0 or more):
//   G = sum_i sum_j |x_i - x_j| / (2 n^2 mean)
// 0 when everyone has the same, approaching 1 when one person has it all.
// nullopt when the total is 0.
std::optional<double> gini(std::vector<int64_t> values);

// One tenth of the people, most involved first: tenth 1 is the top
// top_tenth_size(n) people; tenth t holds the people ranked after
// ceil((t-1)n/10) up to ceil(tn/10). With fewer than 10 people some tenths
// hold nobody.
struct Tenth {
  int index = 0;  // 1 to 10
  int64_t people = 0;
  int64_t places = 0;
  double share = 0;  // of all places; 0 when there are none
};
std::vector<Tenth> places_by_tenth(std::vector<int64_t> places_per_person);

// The start of each person's first place ever, from `history`: every place
// at the organisation (any group) up to the end of the period.
std::map<int64_t, std::string> first_place_starts(const std::vector<Place>& history);

// How many of `places` were a newcomer's: the person had no place that
// started earlier (in `first_starts`, from first_place_starts). Two places
// at the very same start time are both a newcomer's.
int64_t newcomer_places(const std::vector<Place>& places, const std::map<int64_t, std::string>& first_starts);

// An accepted membership of a group.
struct Membership {
  int64_t person_id = 0;
  int64_t group_id = 0;
};

// People on many groups. With `group`, only that group's accepted members
// are counted, but their other groups still count towards the three.
struct MultiGroup {
  int64_t members = 0;           // people with any accepted membership (in scope)
  int64_t on_three_or_more = 0;  // of those, people on three or more groups
};
MultiGroup people_on_three_or_more_groups(const std::vector<Membership>& memberships,
                                          std::optional<int64_t> group = std::nullopt);

// A person's equality answers as benchmark values: category code to value
// code ("ethnic_group" -> "black"). A missing category means not known.
using Answers = std::map<std::string, std::string>;

// One value of a category in the representativeness table.
struct ValueRow {
  std::string value;        // "black"
  std::string label;        // "Black, Black British, Black Welsh, Caribbean or African"
  std::string short_label;  // "Black"
  int64_t places = 0;
  double share = 0;  // of the places whose answer is known
  std::optional<double> benchmark_share;
  std::optional<double> gap;    // share - benchmark_share
  std::optional<double> ratio;  // share / benchmark_share, when the benchmark is above 0
  std::string benchmark_source;
};

struct CategoryRow {
  std::string category;  // "ethnic_group"
  std::string label;     // "Ethnic group"
  // True when the people whose answer is known number fewer than the
  // threshold: then values is empty and the counts are 0.
  bool suppressed = false;
  int64_t people_known = 0;
  int64_t known_places = 0;
  int64_t not_known_places = 0;  // no answer, or "prefer not to say"
  // Every value of the category, the most under-represented first: by
  // ratio, lowest first; values with no benchmark last; ties by gap, then
  // by label.
  std::vector<ValueRow> values;
};

struct Representativeness {
  int64_t people = 0;       // distinct people with a place in scope
  bool suppressed = false;  // fewer people than the threshold: nothing broken down
  std::vector<CategoryRow> categories;
};

// The places in `places` by each person's answers (from `answers`, by
// person id; a person missing there answered nothing) against `benchmark`.
Representativeness representativeness(const std::vector<Place>& places, const std::map<int64_t, Answers>& answers,
                                      const Benchmark& benchmark, int64_t threshold = kMinPeopleForBreakdown);

// The gap in words, e.g. "Black, Black British, Black Welsh, Caribbean or
// African: 1 of 40 places (2.5%); benchmark 4.0%".
std::string describe_gap(const ValueRow& row, int64_t known_places);

// "2.5%": report::format_percent, under the name src/library still calls.
// New code calls report::format_percent itself.
inline std::string percent(double proportion) { return report::format_percent(proportion); }

}  // namespace coproduce::impact

#endif  // COPRODUCE_IMPACT_MEASURES_H_
