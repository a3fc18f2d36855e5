#include "app/common.h"

#include <termios.h>
#include <unistd.h>

#include <iostream>

#include "security/crypto.h"
#include "store/migrations.h"

namespace coproduce::app {

StatusOr<std::unique_ptr<store::Database>> open_and_migrate(const std::string& path) {
  if (Status s = security::init_crypto(); !s.ok()) return s;
  auto db = store::open_database(path);
  if (!db.ok()) return db.status();
  if (Status s = store::migrate(**db, store::bundled_migrations()); !s.ok()) return s;
  return db;
}

int fail(const Status& status) {
  std::cerr << "coproduce: " << status.to_string() << "\n";
  return 1;
}

std::string default_templates_dir() { return std::string(COPRODUCE_SOURCE_DIR) + "/templates"; }
std::string default_static_dir() { return std::string(COPRODUCE_BUILD_DIR) + "/static"; }
std::string default_locale_dir() { return std::string(COPRODUCE_BUILD_DIR) + "/locale"; }

namespace {

std::string read_line_no_echo() {
  termios old{};
  tcgetattr(STDIN_FILENO, &old);
  termios quiet = old;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  std::string line;
  std::getline(std::cin, line);
  tcsetattr(STDIN_FILENO, TCSANOW, &old);
  std::cerr << "\n";
  return line;
}

}  // namespace

StatusOr<std::string> read_password(const std::string& prompt) {
  std::string password;
  if (isatty(STDIN_FILENO)) {
    std::cerr << prompt << ": " << std::flush;
    password = read_line_no_echo();
    std::cerr << "Type it again: " << std::flush;
    if (read_line_no_echo() != password) return InvalidInput("the two passwords do not match");
  } else if (!std::getline(std::cin, password)) {
    return InvalidInput("give the password on standard input, on one line");
  }
  if (!password.empty() && password.back() == '\r') password.pop_back();
  if (std::string p = security::password_problem(password); !p.empty()) return InvalidInput(p);
  return password;
}

}  // namespace coproduce::app
