#include "survey/demo.h"

#include <cstdio>
#include <random>
#include <sstream>
#include <vector>

#include "core/csv.h"
#include "survey/definition.h"
#include "survey/responses.h"

namespace coproduce::survey {

namespace {

// Picks an index with the given relative weights.
int pick(std::mt19937_64& rng, std::initializer_list<double> weights) {
  std::discrete_distribution<int> d(weights);
  return d(rng);
}

}  // namespace

std::string demo_responses_csv(int count, std::uint64_t seed) {
  const Questionnaire& q = coproduction_template();
  const std::vector<std::string> columns = response_columns(q);
  std::ostringstream out;
  csv::Writer writer(out, "\n");
  writer.write_row(columns);
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0, 1);
  auto option = [&](const char* code, int index) {
    return q.questions[*q.find(code)].options[static_cast<size_t>(index)].code;
  };
  const char* meanings[] = {"Working together as equals from the start",
                            "Being asked before decisions are made, not after",
                            "Sharing power, and paying people for their time",
                            "I am not sure, nobody has explained it to me",
                            ""};
  for (int i = 0; i < count; ++i) {
    std::vector<std::string> row(columns.size());
    auto set = [&](const std::string& column, std::string value) {
      for (size_t c = 0; c < columns.size(); ++c) {
        if (columns[c] == column) row[c] = std::move(value);
      }
    };
    const bool complete = unit(rng) < 0.8;
    const int last_page = complete ? q.pages : 1 + static_cast<int>(unit(rng) * q.pages);
    char stamp[32];
    const int day = 1 + i % 28, minute = static_cast<int>(unit(rng) * 50);
    std::snprintf(stamp, sizeof stamp, "2026-03-%02dT10:%02d:00", day, minute);
    set("id", "demo-" + std::to_string(i + 1));
    set("started_at", stamp);
    if (complete) {
      std::snprintf(stamp, sizeof stamp, "2026-03-%02dT10:%02d:00", day, minute + 8);
      set("submitted_at", stamp);
    }
    set("last_page", std::to_string(last_page));
    const int group = pick(rng, {30, 25, 40, 5});
    const bool workforce = group == 2, lived = group == 0 || group == 1;
    set("group", option("group", group));
    int role = -1;
    if (workforce && last_page >= 2) {
      role = pick(rng, {40, 20, 15, 10, 8, 7});
      set("role", option("role", role));
    }
    if (last_page >= 3) {
      const double heard_yes = workforce ? 0.55 + 0.07 * role : lived ? 0.35 : 0.3;
      const double r = unit(rng);
      set("heard", r < heard_yes ? "yes" : r < heard_yes + (1 - heard_yes) * 0.7 ? "no" : "not_sure");
      const int knowledge = workforce ? pick(rng, {30.0 - 4 * role, 35, 25, 10.0 + 4 * role}) : pick(rng, {40, 35, 18, 7});
      set("knowledge", option("knowledge", knowledge));
    }
    if (lived && last_page >= 4) {
      set("involved_own_care", option("involved_own_care", pick(rng, {55, 30, 15})));
      set("involved_services", option("involved_services", pick(rng, {20, 65, 15})));
    }
    if (workforce && last_page >= 5) {
      const double chance[] = {0.6, 0.45, 0.3, 0.25, 0.2, 0.3, 0.05};
      const char* barriers[] = {"time", "culture", "cost", "communication", "power", "training", "other"};
      bool any = false;
      for (int b = 0; b < 7; ++b) {
        if (unit(rng) < chance[b]) {
          set(std::string("barriers[") + barriers[b] + "]", "1");
          any = true;
          if (b == 6) set("barriers_other", "Staff turnover");
        }
      }
      if (!any) set("barriers[time]", "1");
      set("training_had", unit(rng) < 0.3 ? "yes" : "no");
    }
    if (last_page >= 6) {
      set("confidence", std::to_string(static_cast<int>(unit(rng) * 6) + (workforce ? 4 : 2)));
      for (const char* item : {"listened", "equal", "worth"}) {
        set(std::string("views[") + item + "]", option("views", pick(rng, {8, 15, 25, 35, 12, 5})));
      }
    }
    if (last_page >= 7 && unit(rng) < 0.4) set("meaning", meanings[static_cast<int>(unit(rng) * 5)]);
    writer.write_row(row);
  }
  return out.str();
}

}  // namespace coproduce::survey
