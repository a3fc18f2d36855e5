// `coproduce demo`: demonstration data about a made-up organisation, so
// every page has something to show. Each capability adds its own part.
#include <iostream>

#include "accounts/accounts.h"
#include "app/common.h"
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

}  // namespace

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
    std::cout << "Loaded demonstration data for " << kDemoOrganisation << " into " << *database << ".\n"
              << "Everyone in it is made up. Sign in as " << kDemoAdmin << " (or demo-lead@, demo-analyst@,\n"
              << "demo-learning@, demo-participant@example.org) with the password:\n\n  " << password << "\n";
  });
}

}  // namespace coproduce::app
