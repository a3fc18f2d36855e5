// `coproduce admin ...`: organisations, users and API tokens from the shell.
#include <iostream>

#include "accounts/accounts.h"
#include "app/common.h"

namespace coproduce::app {
namespace {

struct AdminOptions {
  std::string database = kDefaultDatabase;
  std::string name;
  std::string organisation;
  std::string email;
  std::string role;
  std::string user_name;
};

constexpr const char* kCommandLine = "command line";

int create_organisation(const AdminOptions& o) {
  auto db = open_and_migrate(o.database);
  if (!db.ok()) return fail(db.status());
  SystemClock clock;
  accounts::Accounts accounts(**db, clock);
  auto org = accounts.create_organisation(o.name, false, std::nullopt, kCommandLine);
  if (!org.ok()) return fail(org.status());
  std::cout << "Created the organisation '" << org->name << "'.\n";
  return 0;
}

int create_user(const AdminOptions& o) {
  auto role = security::parse_role(o.role);
  if (!role) {
    Location where;
    where.field = "--role";
    return fail(InvalidInput("'" + o.role +
                                 "' is not a role; use administrator, coproduction-lead, analyst, learning-lead, participant or learner",
                             where));
  }
  auto db = open_and_migrate(o.database);
  if (!db.ok()) return fail(db.status());
  SystemClock clock;
  accounts::Accounts accounts(**db, clock);
  auto org = accounts.find_organisation(o.organisation);
  if (!org.ok()) return fail(org.status());
  auto password = read_password("Password for " + o.email);
  if (!password.ok()) return fail(password.status());
  auto user = accounts.create_user(org->id, o.email, o.user_name, *role, *password, std::nullopt, kCommandLine);
  if (!user.ok()) return fail(user.status());
  std::cout << "Created " << user->email << " (" << security::role_label(user->role) << ") in '" << org->name << "'.\n";
  return 0;
}

int create_token(const AdminOptions& o) {
  auto db = open_and_migrate(o.database);
  if (!db.ok()) return fail(db.status());
  SystemClock clock;
  accounts::Accounts accounts(**db, clock);
  auto user = accounts.find_user_by_email(o.email);
  if (!user.ok()) return fail(user.status());
  auto token = accounts.create_api_token(user->id);
  if (!token.ok()) return fail(token.status());
  std::cerr << "An API token for " << user->email << ". Keep it secret: it acts as this user. Send it as\n"
            << "'Authorization: Bearer TOKEN'.\n";
  std::cout << *token << "\n";
  return 0;
}

}  // namespace

void add_admin_commands(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<AdminOptions>();
  auto* admin = app.add_subcommand("admin", "Create organisations, users and API tokens");
  admin->require_subcommand(1);

  auto* org = admin->add_subcommand("create-organisation", "Create an organisation");
  org->add_option("--database", opts->database, "SQLite database file")->capture_default_str();
  org->add_option("--name", opts->name, "The organisation's name")->required();
  org->callback([opts, &exit_code] { exit_code = create_organisation(*opts); });

  auto* user = admin->add_subcommand("create-user", "Create a user; the password is read from standard input");
  user->add_option("--database", opts->database, "SQLite database file")->capture_default_str();
  user->add_option("--organisation", opts->organisation, "The organisation's name")->required();
  user->add_option("--email", opts->email, "The user's email address")->required();
  user->add_option("--role", opts->role,
                   "administrator, coproduction-lead, analyst, learning-lead or participant")->required();
  user->add_option("--name", opts->user_name, "The user's name");
  user->callback([opts, &exit_code] { exit_code = create_user(*opts); });

  auto* token = admin->add_subcommand("create-token", "Create an API token; printed as the last line");
  token->add_option("--database", opts->database, "SQLite database file")->capture_default_str();
  token->add_option("--email", opts->email, "The user the token acts as")->required();
  token->callback([opts, &exit_code] { exit_code = create_token(*opts); });
}

}  // namespace coproduce::app
