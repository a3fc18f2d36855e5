#include "impact/measures.h"

#include <algorithm>
#include <functional>
#include <numeric>
#include <set>

#include "report/format.h"

namespace coproduce::impact {

std::vector<PersonLoad> load_per_person(const std::vector<Place>& places) {
  std::map<int64_t, PersonLoad> by_person;
  for (const auto& p : places) {
    PersonLoad& load = by_person[p.person_id];
    load.person_id = p.person_id;
    ++load.places;
    load.minutes += p.minutes;
  }
  std::vector<PersonLoad> out;
  out.reserve(by_person.size());
  for (const auto& [id, load] : by_person) out.push_back(load);
  std::stable_sort(out.begin(), out.end(),
                   [](const PersonLoad& a, const PersonLoad& b) { return a.places > b.places; });
  return out;
}

int64_t top_tenth_size(int64_t n) { return n <= 0 ? 0 : (n + 9) / 10; }

std::optional<double> top_decile_share(std::vector<int64_t> values) {
  int64_t total = std::accumulate(values.begin(), values.end(), int64_t{0});
  if (total <= 0) return std::nullopt;
  // Sorting the values themselves makes the sum of the top k the same
  // whichever way ties at the cut-off fall.
  std::sort(values.begin(), values.end(), std::greater<>());
  auto k = static_cast<size_t>(top_tenth_size(static_cast<int64_t>(values.size())));
  int64_t top = std::accumulate(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(k), int64_t{0});
  return static_cast<double>(top) / static_cast<double>(total);
}

std::optional<double> gini(std::vector<int64_t> values) {
  int64_t total = std::accumulate(values.begin(), values.end(), int64_t{0});
  if (total <= 0) return std::nullopt;
  // With x sorted ascending and i counting from 1, the double sum of
  // |x_i - x_j| equals 2 * sum_i (2i - n - 1) x_i, so
  //   G = sum_i (2i - n - 1) x_i / (n * total).
  std::sort(values.begin(), values.end());
  auto n = static_cast<int64_t>(values.size());
  int64_t weighted = 0;
  for (int64_t i = 1; i <= n; ++i) weighted += (2 * i - n - 1) * values[static_cast<size_t>(i - 1)];
  return static_cast<double>(weighted) / (static_cast<double>(n) * static_cast<double>(total));
}

std::vector<Tenth> places_by_tenth(std::vector<int64_t> places_per_person) {
  std::sort(places_per_person.begin(), places_per_person.end(), std::greater<>());
  auto n = static_cast<int64_t>(places_per_person.size());
  int64_t total = std::accumulate(places_per_person.begin(), places_per_person.end(), int64_t{0});
  std::vector<Tenth> out;
  int64_t begin = 0;
  for (int t = 1; t <= 10; ++t) {
    int64_t end = (t * n + 9) / 10;  // ceil(t n / 10)
    Tenth tenth;
    tenth.index = t;
    tenth.people = end - begin;
    for (int64_t i = begin; i < end; ++i) tenth.places += places_per_person[static_cast<size_t>(i)];
    tenth.share = total > 0 ? static_cast<double>(tenth.places) / static_cast<double>(total) : 0.0;
    out.push_back(tenth);
    begin = end;
  }
  return out;
}

std::map<int64_t, std::string> first_place_starts(const std::vector<Place>& history) {
  std::map<int64_t, std::string> first;
  for (const auto& p : history) {
    auto [it, inserted] = first.emplace(p.person_id, p.starts_at);
    if (!inserted && p.starts_at < it->second) it->second = p.starts_at;
  }
  return first;
}

int64_t newcomer_places(const std::vector<Place>& places, const std::map<int64_t, std::string>& first_starts) {
  int64_t count = 0;
  for (const auto& p : places) {
    auto it = first_starts.find(p.person_id);
    // A place missing from the history is the person's first by definition.
    if (it == first_starts.end() || p.starts_at <= it->second) ++count;
  }
  return count;
}

MultiGroup people_on_three_or_more_groups(const std::vector<Membership>& memberships, std::optional<int64_t> group) {
  std::map<int64_t, std::set<int64_t>> groups_of;
  for (const auto& m : memberships) groups_of[m.person_id].insert(m.group_id);
  MultiGroup out;
  for (const auto& [person, groups] : groups_of) {
    if (group && !groups.count(*group)) continue;
    ++out.members;
    if (groups.size() >= 3) ++out.on_three_or_more;
  }
  return out;
}

Representativeness representativeness(const std::vector<Place>& places, const std::map<int64_t, Answers>& answers,
                                      const Benchmark& benchmark, int64_t threshold) {
  Representativeness out;
  // Places per person, so each person's answers are looked up once.
  std::map<int64_t, int64_t> places_of;
  for (const auto& p : places) ++places_of[p.person_id];
  out.people = static_cast<int64_t>(places_of.size());
  out.suppressed = out.people < threshold;

  for (const auto& cat : benchmark_categories()) {
    CategoryRow row;
    row.category = cat.code;
    row.label = cat.label;
    std::set<std::string> codes;
    for (const auto& v : cat.values) codes.insert(v.code);
    std::map<std::string, int64_t> by_value;
    std::set<int64_t> known_people;
    for (const auto& [person, n] : places_of) {
      std::string value;
      if (auto a = answers.find(person); a != answers.end()) {
        if (auto v = a->second.find(cat.code); v != a->second.end()) value = v->second;
      }
      // Answers are held as codes; anything else is matched as find_value would.
      if (!value.empty() && !codes.count(value)) {
        const BenchmarkValue* matched = find_value(cat, value);
        value = matched ? matched->code : "";
      }
      if (value.empty()) {
        row.not_known_places += n;
        continue;
      }
      row.known_places += n;
      by_value[value] += n;
      known_people.insert(person);
    }
    row.people_known = static_cast<int64_t>(known_people.size());
    row.suppressed = out.suppressed || row.people_known < threshold;
    if (row.suppressed) {
      row.people_known = row.known_places = row.not_known_places = 0;
      out.categories.push_back(row);
      continue;
    }
    for (const auto& v : cat.values) {
      ValueRow value;
      value.value = v.code;
      value.label = v.label;
      value.short_label = v.short_label;
      value.places = by_value[v.code];
      value.share = static_cast<double>(value.places) / static_cast<double>(row.known_places);
      if (const BenchmarkShare* b = benchmark.find(cat.code, v.code)) {
        value.benchmark_share = b->share;
        value.benchmark_source = b->source;
        value.gap = value.share - b->share;
        if (b->share > 0) value.ratio = value.share / b->share;
      }
      row.values.push_back(value);
    }
    std::stable_sort(row.values.begin(), row.values.end(), [](const ValueRow& a, const ValueRow& b) {
      if (a.ratio.has_value() != b.ratio.has_value()) return a.ratio.has_value();
      if (a.ratio && *a.ratio != *b.ratio) return *a.ratio < *b.ratio;
      double ga = a.gap.value_or(0), gb = b.gap.value_or(0);
      if (ga != gb) return ga < gb;
      return a.label < b.label;
    });
    out.categories.push_back(row);
  }
  return out;
}

std::string describe_gap(const ValueRow& row, int64_t known_places) {
  std::string text = row.label + ": " + std::to_string(row.places) + " of " + std::to_string(known_places) +
                     (known_places == 1 ? " place" : " places") + " (" + report::format_percent(row.share) + ")";
  text += row.benchmark_share ? "; benchmark " + report::format_percent(*row.benchmark_share) : "; no benchmark";
  return text;
}

}  // namespace coproduce::impact
