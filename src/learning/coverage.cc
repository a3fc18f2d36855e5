#include "learning/coverage.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <tuple>
#include <unordered_map>

#include "core/dates.h"
#include "learning/vocab.h"

namespace coproduce::learning {
namespace {

namespace chr = std::chrono;

constexpr long kNone = -1'000'000'000;  // no date

long day_of(const std::string& date) { return date.empty() ? kNone : day_number(date); }
std::string date_of(long day) { return day == kNone ? std::string() : date_of_day_number(day); }

long plus_months(long day, int months) {
  chr::year_month_day d{chr::sys_days(chr::days(day))};
  chr::year_month ym = chr::year_month(d.year(), d.month()) + chr::months(months);
  chr::day last = chr::year_month_day_last(ym.year(), chr::month_day_last(ym.month())).day();
  chr::year_month_day out{ym.year(), ym.month(), d.day() > last ? last : d.day()};
  return static_cast<long>(chr::sys_days(out).time_since_epoch().count());
}

// The rules of coverage.h on day numbers; due, completed and expiry days come
// back through the pointers (kNone when there is none).
LearningStatus status_on(long date, long started, long left, const RequirementRule* rule,
                         std::optional<int> refresh, long latest, long* due, long* expires) {
  *due = kNone;
  *expires = kNone;
  if (started > date || (left != kNone && left < date) || rule == nullptr) return LearningStatus::kNotRequired;
  *due = started + rule->within_days;
  if (latest != kNone && latest <= date) {
    if (refresh) *expires = plus_months(latest, *refresh);
    return *expires != kNone && date >= *expires ? LearningStatus::kExpired : LearningStatus::kDone;
  }
  return date <= *due ? LearningStatus::kDue : LearningStatus::kOverdue;
}

uint64_t pair_key(int64_t worker, int64_t module) {
  return (static_cast<uint64_t>(worker) << 32) ^ static_cast<uint64_t>(static_cast<uint32_t>(module));
}

void add_to(CoverageCount& c, bool done) {
  ++c.workers;
  if (done) ++c.completed;
}

void finish(CoverageCount& c) {
  if (c.workers > 0) c.share = static_cast<double>(c.completed) / static_cast<double>(c.workers);
}

}  // namespace

const char* status_code(LearningStatus status) {
  switch (status) {
    case LearningStatus::kNotRequired: return "not_required";
    case LearningStatus::kDone: return "done";
    case LearningStatus::kDue: return "due";
    case LearningStatus::kOverdue: return "overdue";
    case LearningStatus::kExpired: return "expired";
  }
  return "not_required";
}

std::vector<const RequirementRule*> rules_for(const WorkerFacts& worker,
                                              const std::vector<const RequirementRule*>& of_category) {
  std::vector<const RequirementRule*> out;
  for (const RequirementRule* r : of_category) {
    if (!r->workplace.empty() && r->workplace != worker.workplace) continue;
    auto same = std::find_if(out.begin(), out.end(), [&](const RequirementRule* o) { return o->module_id == r->module_id; });
    if (same == out.end()) out.push_back(r);
    else if (!r->workplace.empty()) *same = r;  // the workplace's own rule wins
  }
  return out;
}

ModuleStatus module_status(const std::string& date, const WorkerFacts& worker, const RequirementRule* requirement,
                           std::optional<int> refresh_months, const std::string& latest_completed_on) {
  long due = kNone, expires = kNone;
  long latest = day_of(latest_completed_on);
  ModuleStatus out;
  out.status = status_on(day_of(date), day_of(worker.started_on), day_of(worker.left_on), requirement,
                         refresh_months, latest, &due, &expires);
  out.due_on = date_of(due);
  if (latest != kNone && latest <= day_of(date)) out.completed_on = latest_completed_on;
  out.expires_on = date_of(expires);
  return out;
}

Coverage compute_coverage(const CoverageInput& in) {
  Coverage out;
  out.date = in.date;
  const long date = day_of(in.date);

  std::unordered_map<std::string, std::vector<const RequirementRule*>> rules;
  for (const auto& r : in.requirements) rules[r.role_category].push_back(&r);
  std::unordered_map<int64_t, std::optional<int>> refresh;
  for (const auto& m : in.modules) refresh[m.module_id] = m.refresh_months;
  std::unordered_map<uint64_t, long> latest;
  latest.reserve(in.completions.size());
  for (const auto& c : in.completions) {
    long day = day_of(c.completed_on);
    if (day > date) continue;
    auto [it, added] = latest.emplace(pair_key(c.worker_id, c.module_id), day);
    if (!added && day > it->second) it->second = day;
  }

  std::map<std::string, CoverageCount> role, closeness, workplace, team;
  for (const auto& [code, label] : role_categories()) role[code].key = code;
  for (const auto& [code, label] : closeness_levels()) closeness[code].key = code;

  // Gaps are kept as day numbers and sorted as integers; dates are written
  // out only for the rows kept.
  struct Gap {
    long since;  // due day (overdue), expiry day (expired or expiring)
    int64_t worker, module;
    LearningStatus status;
    long due, completed, expires;
  };
  std::vector<Gap> behind_gaps, expiring_gaps;
  std::unordered_map<std::string, std::vector<const RequirementRule*>> applicable_by_place;
  for (const auto& w : in.workers) {
    long started = day_of(w.started_on), left = day_of(w.left_on);
    if (started > date || (left != kNone && left < date)) continue;
    auto found = rules.find(w.role_category);
    if (found == rules.end()) continue;
    // The rules depend only on role category and workplace: worked out once for each pair.
    auto [cached, fresh] = applicable_by_place.try_emplace(w.role_category + '\n' + w.workplace);
    if (fresh) cached->second = rules_for(w, found->second);
    const std::vector<const RequirementRule*>& applicable = cached->second;
    if (applicable.empty()) continue;
    bool all_done = true, behind = false, expiring = false;
    for (const RequirementRule* rule : applicable) {
      auto l = latest.find(pair_key(w.id, rule->module_id));
      auto r = refresh.find(rule->module_id);
      long last = l == latest.end() ? kNone : l->second;
      long due = kNone, expires = kNone;
      LearningStatus s = status_on(date, started, left, rule, r == refresh.end() ? std::nullopt : r->second, last,
                                   &due, &expires);
      if (s == LearningStatus::kDone) {
        if (expires != kNone && expires - date <= kExpiringSoonDays) {
          expiring = true;
          expiring_gaps.push_back({expires, w.id, rule->module_id, s, due, last, expires});
        }
        continue;
      }
      all_done = false;
      if (s == LearningStatus::kOverdue || s == LearningStatus::kExpired) {
        behind = true;
        behind_gaps.push_back(
            {s == LearningStatus::kExpired ? expires : due, w.id, rule->module_id, s, due, last, expires});
      }
    }
    ++out.workers;
    if (all_done) ++out.completed;
    if (behind) ++out.overdue;
    if (expiring) ++out.expiring_soon;
    CoverageCount& rc = role[w.role_category];
    rc.key = w.role_category;
    add_to(rc, all_done);
    CoverageCount& cc = closeness[w.closeness];
    cc.key = w.closeness;
    add_to(cc, all_done);
    CoverageCount& wc = workplace[w.workplace];
    wc.key = w.workplace;
    add_to(wc, all_done);
    CoverageCount& tc = team[w.team];
    tc.key = w.team;
    add_to(tc, all_done);
  }
  out.overdue_modules = static_cast<int64_t>(behind_gaps.size());
  out.expiring_modules = static_cast<int64_t>(expiring_gaps.size());
  // Longest behind (or soonest expiring) first, then by worker and module.
  auto keep = [&](std::vector<Gap>& gaps, std::vector<WorkerGap>& list) {
    auto order = [](const Gap& a, const Gap& b) {
      return std::tie(a.since, a.worker, a.module) < std::tie(b.since, b.worker, b.module);
    };
    size_t n = std::min(gaps.size(), in.list_limit);
    std::partial_sort(gaps.begin(), gaps.begin() + static_cast<std::ptrdiff_t>(n), gaps.end(), order);
    list.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      const Gap& g = gaps[i];
      list.push_back({g.worker, g.module, {g.status, date_of(g.due), date_of(g.completed), date_of(g.expires)}});
    }
  };
  keep(behind_gaps, out.overdue_list);
  keep(expiring_gaps, out.expiring_list);
  if (out.workers > 0) out.share = static_cast<double>(out.completed) / static_cast<double>(out.workers);

  // Categories and levels in their own order; workplaces and teams by name.
  for (const auto& [code, label] : role_categories()) out.by_role_category.push_back(role[code]);
  for (const auto& [code, label] : closeness_levels()) out.by_closeness.push_back(closeness[code]);
  for (auto& [k, c] : workplace) out.by_workplace.push_back(c);
  for (auto& [k, c] : team) out.by_team.push_back(c);
  for (auto* list : {&out.by_role_category, &out.by_closeness, &out.by_workplace, &out.by_team})
    for (auto& c : *list) finish(c);

  return out;
}

}  // namespace coproduce::learning
