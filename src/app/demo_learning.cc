// The demonstration's workforce: about 300 made-up staff of three services
// and the council, the starter module required of every role, learning that
// thins out the closer a job is to direct care (the briefing's finding), some
// of it past its refresh date, a module for commissioners, and a live
// session co-delivered by people from the pool.
#include "app/demo_learning.h"

#include <chrono>
#include <cstdio>
#include <random>

#include "activities/activities.h"
#include "core/dates.h"
#include "involvement/groups.h"
#include "involvement/recruitment.h"
#include "learning/learning.h"
#include "learning/sessions.h"
#include "learning/workforce.h"

namespace coproduce::app {
namespace {

struct RoleMix {
  const char* category;
  const char* closeness;
  const char* job_role;
  int count;
  int learned_percent;  // share who have done the starter module
};

// Learning thins out towards direct care.
constexpr RoleMix kMix[] = {
    {"care_worker", "direct_care", "Care worker", 110, 22},
    {"new_to_care", "direct_care", "Care worker", 30, 10},
    {"enhanced_care_worker", "direct_care", "Senior care worker", 25, 35},
    {"personal_assistant", "direct_care", "Personal assistant", 15, 20},
    {"supervisor_leader", "supervisor", "Team leader", 35, 50},
    {"practice_leader", "supervisor", "Practice leader", 10, 60},
    {"deputy_manager", "supervisor", "Deputy manager", 10, 60},
    {"registered_manager", "registered_manager", "Registered manager", 12, 75},
    {"not_on_pathway", "senior_manager", "Head of service", 12, 83},
    {"not_on_pathway", "commissioner", "Commissioning manager", 14, 86},
    {"not_on_pathway", "other_role", "Social worker", 20, 55},
};

constexpr const char* kWorkplaces[] = {"Brightwater Home Care", "Oakfield Care Home", "Riverside Supported Living",
                                       "Brightwater Council"};

std::string today(const Clock& clock) { return format_timestamp(clock.now()).substr(0, 10); }

}  // namespace

Status load_learning(store::Database& db, const Clock& clock, int64_t org, int64_t admin_id) {
  Actor actor{admin_id, "demo"};
  learning::Workforce workforce(db, clock);
  int64_t total = 0;
  if (auto any = workforce.search(org, {}, actor, &total); !any.ok()) return any.status();
  if (total > 0) return Status::Ok();

  learning::Learning learn(db, clock);
  auto modules = learn.modules(org);  // makes the organisation's starter copy
  if (!modules.ok()) return modules.status();
  int64_t starter = modules->front().id;

  learning::ModuleContent commissioning;
  commissioning.title = "Co-producing commissioning";
  commissioning.summary =
      "A day with the Think Local Act Personal network and people who draw on care: planning, buying and "
      "checking services together, from the first idea to the contract review.";
  commissioning.outcomes = {"Plan a commissioning cycle with people who draw on care at every stage",
                            "Budget for involvement payments and expenses"};
  commissioning.role_categories = {"not_on_pathway", "registered_manager"};
  commissioning.standards = {"1", "5"};
  commissioning.delivery = "external";
  commissioning.minutes = 360;
  commissioning.refresh_months = 36;
  auto commissioning_module = learn.create_module(org, commissioning, actor);
  if (!commissioning_module.ok()) return commissioning_module.status();

  learning::ModuleContent live;
  live.title = "Care and support planning, together";
  live.summary = "A live session taught with people who draw on care: what a good conversation about care and "
                 "support feels like from both sides, and how to share decisions.";
  live.outcomes = {"Hear from people who draw on care what helps and what gets in the way",
                   "Practise sharing decisions in a care and support plan"};
  live.standards = {"5", "6", "7"};
  live.delivery = "live";
  live.minutes = 150;
  auto live_module = learn.create_module(org, live, actor);
  if (!live_module.ok()) return live_module.status();

  // The starter module for everyone: new staff within 12 weeks (as for the
  // Care Certificate), everyone else within six months of starting.
  for (const char* category : {"new_to_care", "care_worker", "enhanced_care_worker", "personal_assistant",
                               "supervisor_leader", "practice_leader", "deputy_manager", "registered_manager",
                               "not_on_pathway"}) {
    std::string within = std::string(category) == "new_to_care" ? "84" : "182";
    if (auto r = learn.add_requirement(org, {std::to_string(starter), category, within, ""}, actor); !r.ok())
      return r.status();
  }
  // Supported living asks its supervisors for the live session too.
  if (auto r = learn.add_requirement(org, {std::to_string(live_module->id), "supervisor_leader", "182",
                                           "Riverside Supported Living"},
                                     actor);
      !r.ok())
    return r.status();

  static const char* kFirst[] = {"Aled", "Bronwen", "Chidi", "Dana", "Efa", "Farah", "Gethin", "Hana", "Ifor",
                                 "Jia",  "Kai",     "Lena", "Mared", "Nabil", "Olu", "Penny", "Rhys", "Seren",
                                 "Tom",  "Urvi",    "Vera", "Wil", "Xena", "Yasmin", "Zac"};
  static const char* kLast[] = {"Abbott", "Blythe", "Corran", "Delaney", "Eastwood", "Fairley", "Gower", "Hale",
                                "Iveson", "Jarrow", "Kemble", "Lennox", "Marsh", "Norland", "Oakes", "Penrose",
                                "Redfern", "Stroud", "Thorne", "Underhill", "Voss", "Whitlow"};
  std::mt19937 rng(20261206);
  std::string now = today(clock);
  int number = 0;
  for (const RoleMix& mix : kMix) {
    for (int i = 0; i < mix.count; ++i) {
      ++number;
      learning::WorkerInput w;
      char id[16];
      std::snprintf(id, sizeof id, "BW%04d", number);
      w.worker_id = id;
      w.name = std::string(kFirst[rng() % 25]) + " " + kLast[rng() % 22];
      bool council = std::string(mix.category) == "not_on_pathway";
      w.workplace = council ? kWorkplaces[3] : kWorkplaces[rng() % 3];
      w.team = council ? (std::string(mix.closeness) == "commissioner" ? "Commissioning" : "Adult social care")
                       : std::string(rng() % 2 ? "Day team" : "Night team");
      w.job_role = mix.job_role;
      w.role_category = mix.category;
      w.closeness = mix.closeness;
      // New to care started in the last 16 weeks; others over the last ten years.
      long days_ago = std::string(mix.category) == "new_to_care" ? 7 + static_cast<long>(rng() % 105)
                                                                  : 120 + static_cast<long>(rng() % 3500);
      w.started_on = add_days(now, -days_ago);
      if (rng() % 20 == 0) w.left_on = add_days(now, -static_cast<long>(rng() % static_cast<unsigned long>(std::min(100L, days_ago))));
      w.care_certificate = std::string(mix.closeness) == "direct_care"
                               ? (rng() % 3 == 0 ? "in_progress" : "completed")
                               : "completed";
      if (number == 1) {
        w.name = "Demo Learner";
        w.email = "demo-learner@example.org";
        w.left_on.clear();
      }
      auto added = workforce.add(org, w, actor);
      if (!added.ok()) return added.status();
      if (number == 1) continue;  // the demo learner takes it themselves
      if (static_cast<int>(rng() % 100) >= mix.learned_percent) continue;
      // Mostly within the last 22 months; one in seven over two years ago,
      // so past its refresh date.
      std::string until = w.left_on.empty() ? now : w.left_on;
      long since = days_between(w.started_on, until);
      long back = rng() % 7 == 0 ? 760 + static_cast<long>(rng() % 300) : static_cast<long>(rng() % 660);
      std::string on = add_days(until, -std::min(back, std::max(0L, since)));
      const char* how = rng() % 3 == 0 ? "Face to face" : "E-learning";
      if (auto c = learn.record_completion(org, added->id, {std::to_string(starter), on, "Brightwater Council", how},
                                           "recorded", actor);
          !c.ok())
        return c.status();
      if (council && std::string(mix.closeness) == "commissioner" && rng() % 2 == 0) {
        if (auto c = learn.record_completion(org, added->id,
                                             {std::to_string(commissioning_module->id), on, "Think Local Act Personal",
                                              "Face to face"},
                                             "recorded", actor);
            !c.ok())
          return c.status();
      }
    }
  }

  // Co-trainers: a group of six from the pool who said they would
  // co-deliver training, recruited by lottery like any group.
  involvement::Groups groups(db, clock);
  involvement::Recruitment recruitment(db, clock);
  auto trainers = groups.create(org, {"Co-trainers", "People who draw on care and support, and carers, who co-deliver "
                                                     "co-production learning for staff",
                                      "council", "6", "24", "co_production", false},
                                actor);
  if (!trainers.ok()) return trainers.status();
  involvement::RoundSetup everyone;
  everyone.categories = {"area"};
  auto round = recruitment.create_round(org, trainers->id, everyone, 7, actor);
  if (!round.ok()) return round.status();
  if (Status s = recruitment.queue(org, *round); !s.ok()) return s;
  if (Status s = recruitment.run(org, *round); !s.ok()) return s;
  if (Status s = recruitment.draw(org, *round, 271, actor); !s.ok()) return s;
  if (Status s = recruitment.invite(org, *round, actor); !s.ok()) return s;
  auto members = groups.members(org, trainers->id, actor);
  if (!members.ok()) return members.status();
  for (const auto& m : *members)
    if (Status s = groups.respond(org, trainers->id, m.person_id, true, actor); !s.ok()) return s;

  // Two sessions held, one to come: each co-delivered by two co-trainers,
  // those who had taught least going first.
  learning::Sessions sessions(db, clock);
  for (int k = 0; k < 3; ++k) {
    std::string day = add_days(now, k == 2 ? 21 : -60 + 30 * k);
    learning::SessionInput in;
    in.module_id = std::to_string(starter);
    in.group_id = std::to_string(trainers->id);
    in.trainers = "2";
    in.activity = {"training_session", "Working in co-production, taught together",
                   std::to_string(std::stoi(day.substr(8, 2))), std::to_string(std::stoi(day.substr(5, 2))),
                   day.substr(0, 4), "13:30", "150",
                   "Brightwater Town Hall, Training Room 1 (step-free, hearing loop)", "",
                   "You are invited to co-deliver a session on co-production for staff. You will be paid for your "
                   "time at the co-trainer rate, and travel can be claimed back.",
                   "We are teaching staff about working together.\nYou help teach.\nWe pay you for your time."};
    auto s = sessions.create(org, in, 100 + static_cast<uint64_t>(k), actor);
    if (!s.ok()) return s.status();
    // Book direct care staff who are overdue.
    auto cov = learn.coverage(org, k == 2 ? now : day);
    if (!cov.ok()) return cov.status();
    std::vector<int64_t> book;
    for (const auto& g : cov->overdue_list)
      if (g.module_id == starter && book.size() < 12) book.push_back(g.worker_id);
    if (auto b = sessions.book(org, s->id, book, actor); !b.ok()) return b.status();
    if (k == 2) continue;
    std::vector<int64_t> came(book.begin(), book.begin() + static_cast<long>(book.size() * 3 / 4));
    if (Status st = sessions.record_attendance(org, s->id, came, actor); !st.ok()) return st;
    // The co-trainers' own attendance and pay, as for any activity.
    activities::Activities acts(db, clock);
    std::vector<activities::AttendanceEntry> entries;
    for (const auto& t : s->trainers) entries.push_back({t.person_id, "attended", "", "trainer"});
    std::vector<FieldError> problems;
    if (Status st = acts.record_attendance(org, s->activity.id, entries, actor, &problems); !st.ok()) return st;
  }
  return Status::Ok();
}

}  // namespace coproduce::app
