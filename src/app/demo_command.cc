// `coproduce demo`: demonstration data about a made-up organisation, so
// every page has something to show. Each capability adds its own part.
#include <iostream>

#include <random>

#include "accounts/accounts.h"
#include "app/common.h"
#include "store/postgres_database.h"
#include "app/demo_activities.h"
#include "app/demo_impact.h"
#include "app/demo_learning.h"
#include "app/demo_library.h"
#include "involvement/groups.h"
#include "involvement/options.h"
#include "involvement/people.h"
#include "involvement/recruitment.h"
#include "security/crypto.h"

namespace coproduce::app {
namespace {

// The organisation is marked fictional in the database, and the layout says
// so on every page its users see.
constexpr const char* kDemoOrganisation = "Brightwater Borough Council (fictional)";
constexpr const char* kDemoAdmin = "demo-admin@example.org";

struct DemoAccount {
  const char* email;
  const char* name;
  security::Role role;
};

constexpr DemoAccount kAccounts[] = {
    {kDemoAdmin, "Demo Administrator", security::Role::kAdministrator},
    {"demo-lead@example.org", "Demo Co-production Lead", security::Role::kCoproductionLead},
    {"demo-analyst@example.org", "Demo Analyst", security::Role::kAnalyst},
    {"demo-learning@example.org", "Demo Learning Lead", security::Role::kLearningLead},
    {"demo-participant@example.org", "Demo Participant", security::Role::kParticipant},
    {"demo-learner@example.org", "Demo Learner", security::Role::kLearner},
};

// Loads the foundation's part: the organisation and one account per role,
// all with `password`. Safe to run again: existing records are kept and
// their passwords reset.
Status load_accounts(accounts::Accounts& accounts, const std::string& password) {
  auto org = accounts.find_organisation(kDemoOrganisation);
  if (!org.ok()) {
    if (org.status().code() != StatusCode::kNotFound) return org.status();
    org = accounts.create_organisation(kDemoOrganisation, true, std::nullopt, "demo");
    if (!org.ok()) return org.status();
  }
  for (const DemoAccount& a : kAccounts) {
    auto user = accounts.find_user_by_email(a.email);
    if (user.ok()) {
      if (Status s = accounts.set_password(user->id, password, "demo"); !s.ok()) return s;
      continue;
    }
    if (user.status().code() != StatusCode::kNotFound) return user.status();
    auto created = accounts.create_user(org->id, a.email, a.name, a.role, password, std::nullopt, "demo");
    if (!created.ok()) return created.status();
  }
  return Status::Ok();
}

// Picks from `weights` (code, weight) with `rng`.
std::string pick(std::mt19937& rng, const std::vector<std::pair<const char*, int>>& weights) {
  int total = 0;
  for (const auto& [code, w] : weights) total += w;
  int roll = static_cast<int>(rng() % static_cast<unsigned>(total));
  for (const auto& [code, w] : weights) {
    if (roll < w) return code;
    roll -= w;
  }
  return weights.back().first;
}

// A made-up pool of 300, skewed the way real pools are: older, whiter and
// more often already involved than the population. Then a forum its regulars
// sit on, and a carers' board recruited fairly from the pool with a quota
// for new voices. Loaded once; later runs leave it as it is.
Status load_pool(store::Database& db, const Clock& clock, int64_t org, int64_t admin_id) {
  involvement::People people(db, clock);
  involvement::Actor actor{admin_id, "demo"};
  auto existing = people.search(org, {}, actor);
  if (!existing.ok()) return existing.status();
  if (!existing->empty()) return Status::Ok();

  static const char* kFirst[] = {"Ada", "Bilal", "Carys", "Dev", "Eira", "Femi", "Gwen", "Hamza", "Isla", "Jonah",
                                 "Kiran", "Lowri", "Mo", "Nia", "Osian", "Priya", "Quinn", "Rhian", "Sami", "Tegan",
                                 "Usha", "Vic", "Wyn", "Yusuf", "Zara", "Alun", "Beth", "Cai", "Dilys", "Emeka"};
  static const char* kLast[] = {"Ashdown", "Brook", "Carrow", "Dunmore", "Ellery", "Fenwick", "Garrow", "Hollis",
                                "Ingram", "Jessop", "Kettle", "Larch", "Mallow", "Nettle", "Orrin", "Pryce",
                                "Quarry", "Rowan", "Sorrel", "Tansy", "Umber", "Vale", "Wren", "Yarrow"};
  static const char* kAreas[] = {"Northbank", "Southmead", "Eastfield", "Westcombe", "Brightwater Centre"};
  std::mt19937 rng(20261126);
  std::vector<int64_t> ids;
  for (int i = 0; i < 300; ++i) {
    involvement::PersonDetails d;
    d.name = std::string(kFirst[rng() % 30]) + " " + kLast[rng() % 24];
    d.email = "demo-person-" + std::to_string(i + 1) + "@example.org";
    d.contact_by = "email";
    d.area = kAreas[rng() % 5];
    d.lived_experience = {pick(rng, {{"draws_on_care", 45}, {"unpaid_carer", 40}, {"family_member", 15}})};
    d.formats = {pick(rng, {{"standard", 70}, {"easy_read", 12}, {"large_print", 12}, {"bsl", 3}, {"audio", 3}})};
    if (rng() % 4 == 0) d.access_needs = {pick(rng, {{"step_free", 3}, {"hearing_loop", 2}, {"support_worker", 2}, {"breaks", 3}})};
    d.ways = {pick(rng, {{"in_person", 5}, {"online", 3}, {"phone", 1}, {"paper", 1}})};
    d.payment = rng() % 5 == 0 ? "declined" : "paid";
    d.benefits_advice = rng() % 6 == 0;
    involvement::Equality e = {
        {"age_band", pick(rng, {{"25_34", 4}, {"35_49", 10}, {"50_64", 22}, {"65_74", 30}, {"75_84", 24}, {"85_over", 10}})},
        {"sex", pick(rng, {{"female", 62}, {"male", 36}, {involvement::kPreferNotToSay, 2}})},
        {"ethnic_group", pick(rng, {{"white_british", 88}, {"white_irish", 2}, {"asian_indian", 3}, {"asian_pakistani", 2},
                                    {"black_caribbean", 2}, {"mixed_white_black_caribbean", 1}, {"other_arab", 1},
                                    {involvement::kPreferNotToSay, 1}})},
        {"disability", pick(rng, {{"disabled", 45}, {"not_disabled", 50}, {involvement::kPreferNotToSay, 5}})},
    };
    auto p = people.add(org, d, i % 3 == 0 ? "import" : "self", /*consent=*/i % 25 != 24, e, actor);
    if (!p.ok()) return p.status();
    ids.push_back(p->id);
  }

  involvement::Groups groups(db, clock);
  involvement::Recruitment recruitment(db, clock);
  // The familiar voices: a forum whose 20 places went to the same regulars.
  auto forum = groups.create(org, {"Adult Social Care Forum", "A long-standing forum of people who use services",
                                   "council", "20", "24", "consultation", false},
                             actor);
  if (!forum.ok()) return forum.status();
  involvement::RoundSetup everyone;
  everyone.categories = {"area"};
  auto forum_round = recruitment.create_round(org, forum->id, everyone, 1, actor);
  if (!forum_round.ok()) return forum_round.status();
  for (auto step : {0, 1, 2, 3}) {
    Status s = step == 0 ? recruitment.queue(org, *forum_round)
               : step == 1 ? recruitment.run(org, *forum_round)
               : step == 2 ? recruitment.draw(org, *forum_round, std::nullopt, actor)
                           : recruitment.invite(org, *forum_round, actor);
    if (!s.ok()) return s;
  }
  auto members = groups.members(org, forum->id, actor);
  if (!members.ok()) return members.status();
  for (const auto& m : *members) {
    if (Status s = groups.respond(org, forum->id, m.person_id, true, actor); !s.ok()) return s;
  }

  // A new board recruited fairly, with at least half its places for new voices.
  auto board = groups.create(org, {"Carers' Partnership Board", "Shape how the council supports unpaid carers",
                                   "council", "12", "12", "co_production", true},
                             actor);
  if (!board.ok()) return board.status();
  involvement::RoundSetup setup;
  setup.categories = {"history", "experience"};
  setup.quotas = {{"history", "New", 6, 12},
                  {"experience", "I am an unpaid carer", 6, 8},
                  {"experience", "I draw on care and support", 2, 4}};
  auto round = recruitment.create_round(org, board->id, setup, 20261126, actor);
  if (!round.ok()) return round.status();
  if (Status s = recruitment.queue(org, *round); !s.ok()) return s;
  if (Status s = recruitment.run(org, *round); !s.ok()) return s;
  if (Status s = recruitment.draw(org, *round, 314, actor); !s.ok()) return s;
  if (Status s = recruitment.invite(org, *round, actor); !s.ok()) return s;
  auto invited = groups.members(org, board->id, actor);
  if (!invited.ok()) return invited.status();
  for (size_t i = 0; i < invited->size() && i < 9; ++i) {
    if (Status s = groups.respond(org, board->id, (*invited)[i].person_id, i != 4, actor); !s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace

Status load_demo_surveys(store::Database& db, const Clock& clock, int64_t org, int64_t admin_id);  // demo_surveys.cc

void add_demo_command(CLI::App& app, int& exit_code) {
  auto database = std::make_shared<std::string>("var/demo.db");
  auto* cmd = app.add_subcommand("demo", "Load demonstration data about a made-up organisation");
  cmd->add_option("--database", *database, "SQLite database file")->capture_default_str();
  cmd->callback([database, &exit_code] {
    auto db = open_and_migrate(*database);
    if (!db.ok()) {
      exit_code = fail(db.status());
      return;
    }
    SystemClock clock;
    accounts::Accounts accounts(**db, clock);
    // A fresh password each time, so a demo database copied elsewhere does
    // not come with a password everyone knows.
    std::string password = "demo-" + security::random_token().substr(0, 16);
    if (Status s = load_accounts(accounts, password); !s.ok()) {
      exit_code = fail(s);
      return;
    }
    auto admin = accounts.find_user_by_email(kDemoAdmin);
    if (!admin.ok()) {
      exit_code = fail(admin.status());
      return;
    }
    std::cerr << "Loading the demonstration pool and groups (a few seconds the first time)...\n";
    if (Status s = load_pool(**db, clock, admin->organisation_id, admin->id); !s.ok()) {
      exit_code = fail(s);
      return;
    }
    if (Status s = load_activities(**db, clock, admin->organisation_id, admin->id); !s.ok()) {
      exit_code = fail(s);
      return;
    }
    if (Status s = load_demo_surveys(**db, clock, admin->organisation_id, admin->id); !s.ok()) return void(exit_code = fail(s));
    if (Status s = load_learning(**db, clock, admin->organisation_id, admin->id); !s.ok()) return void(exit_code = fail(s));
    if (Status s = load_library(**db, clock, admin->organisation_id, admin->id); !s.ok()) return void(exit_code = fail(s));
    if (Status s = load_impact(**db, clock, admin->organisation_id, admin->id); !s.ok()) return void(exit_code = fail(s));
    std::cout << "Loaded demonstration data for " << kDemoOrganisation << " into " << store::redact_postgres_uri(*database) << ".\n"
              << "Everyone in it is made up. Sign in as " << kDemoAdmin << " (or demo-lead@, demo-analyst@,\n"
              << "demo-learning@, demo-participant@, demo-learner@example.org) with the password:\n\n  " << password
              << "\n";
  });
}

}  // namespace coproduce::app
