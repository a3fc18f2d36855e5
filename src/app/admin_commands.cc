// `coproduce admin ...`: organisations, users and API tokens from the shell.
#include <iostream>
#include <map>

#include "accounts/accounts.h"
#include "app/common.h"
#include "messages/settings.h"
#include "security/crypto.h"

namespace coproduce::app {
namespace {

struct AdminOptions {
  std::string database = kDefaultDatabase;
  std::string name;
  std::string organisation;
  std::string email;
  std::string role;
  std::string user_name;
  messages::SettingsInput sending;
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

// Sets how an organisation sends messages, as its settings page does.
int set_messages(const AdminOptions& o) {
  bool smtp = !o.sending.smtp_url.empty();
  bool notify = !o.sending.notify_key.empty();
  if (smtp == notify) {
    Location where;
    where.field = smtp ? "--notify-key" : "--smtp";
    return fail(InvalidInput("give either --smtp URL --from EMAIL (an SMTP relay) or --notify-key KEY (GOV.UK Notify)",
                             where));
  }
  auto box = security::SecretBox::from_environment();
  if (!box.ok()) return fail(box.status());
  auto db = open_and_migrate(o.database);
  if (!db.ok()) return fail(db.status());
  SystemClock clock;
  accounts::Accounts accounts(**db, clock);
  auto org = accounts.find_organisation(o.organisation);
  if (!org.ok()) return fail(org.status());
  messages::SettingsInput in = o.sending;
  in.backend = smtp ? messages::kSmtp : messages::kNotify;
  messages::MessageSettings settings(**db, clock);
  auto current = settings.get(org->id);
  if (!current.ok()) return fail(current.status());
  // Settings not given on the command line keep what was stored.
  if (in.notify_email_template.empty()) in.notify_email_template = current->notify_email_template;
  if (in.notify_sms_template.empty()) in.notify_sms_template = current->notify_sms_template;
  if (in.notify_letter_template.empty()) in.notify_letter_template = current->notify_letter_template;
  std::vector<FieldError> problems;
  Status saved = settings.save(org->id, in, *box, {std::nullopt, kCommandLine}, &problems);
  if (!saved.ok()) {
    // Name the command-line option, not the settings page's field.
    static const std::map<std::string, std::string> kOptions = {
        {"smtp_url", "--smtp"}, {"smtp_from", "--from"}, {"notify_key", "--notify-key"}, {"notify_url", "--notify-url"},
        {"notify_email_template", "--notify-email-template"}, {"notify_sms_template", "--notify-sms-template"},
        {"notify_letter_template", "--notify-letter-template"}, {"organisation_daily_limit", "--daily-limit"},
        {"recipient_daily_limit", "--recipient-daily-limit"}};
    if (problems.empty()) return fail(saved);
    Location where;
    auto it = kOptions.find(problems.front().field);
    where.field = it == kOptions.end() ? problems.front().field : it->second;
    return fail(InvalidInput(problems.front().message, where));
  }
  std::cout << "'" << org->name << "' now sends messages through " << (smtp ? "an SMTP relay" : "GOV.UK Notify")
            << ". Its key or password is stored sealed and will not be shown again.\n";
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

  auto* msgs = admin->add_subcommand(
      "messages", "Set how an organisation sends messages: an SMTP relay or GOV.UK Notify. Keys and passwords are"
                  " sealed with COPRODUCE_SECRET_KEY");
  msgs->add_option("--database", opts->database, "SQLite database file")->capture_default_str();
  msgs->add_option("--organisation", opts->organisation, "The organisation's name")->required();
  msgs->add_option("--smtp", opts->sending.smtp_url, "The relay: smtp://[user:password@]host:port (STARTTLS) or smtps://");
  msgs->add_option("--from", opts->sending.smtp_from, "The address email comes from (with --smtp)");
  msgs->add_option("--smtp-user", opts->sending.smtp_user, "The relay's user name, if not in the URL");
  msgs->add_option("--notify-key", opts->sending.notify_key, "A GOV.UK Notify API key");
  msgs->add_option("--notify-url", opts->sending.notify_url, "GOV.UK Notify's address (for a test service)");
  msgs->add_option("--notify-email-template", opts->sending.notify_email_template,
                   "The Notify email template's ID, with ((subject)) and ((body))");
  msgs->add_option("--notify-sms-template", opts->sending.notify_sms_template,
                   "The Notify text message template's ID, with ((body))");
  msgs->add_option("--notify-letter-template", opts->sending.notify_letter_template,
                   "The Notify letter template's ID, with ((subject)) and ((body))");
  msgs->add_option("--daily-limit", opts->sending.organisation_daily_limit, "The most messages a day");
  msgs->add_option("--recipient-daily-limit", opts->sending.recipient_daily_limit,
                   "The most messages a day to one person");
  msgs->callback([opts, &exit_code] { exit_code = set_messages(*opts); });
}

}  // namespace coproduce::app
