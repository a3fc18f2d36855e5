// A throwaway PostgreSQL server for tests: initdb and pg_ctl in a temporary
// folder, listening only on a Unix socket in that folder (no TCP port), with
// trust authentication and no system service; stopped and removed when the
// test program ends. Each test gets a fresh database in it.
//
//   TemporaryPostgres& pg = TemporaryPostgres::shared();
//   if (!pg.available()) GTEST_SKIP() << pg.why_unavailable();
//   auto uri = pg.create_database("my_test");  // postgresql:///my_test?host=...
//
// The server binaries are found in $COPRODUCE_POSTGRES_BIN, else in Debian's
// /usr/lib/postgresql/<version>/bin. Run as root (which initdb refuses), the
// server runs as the "postgres" user Debian's package creates.
#ifndef COPRODUCE_STORE_TEMPORARY_POSTGRES_H_
#define COPRODUCE_STORE_TEMPORARY_POSTGRES_H_

#include <pwd.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include <libpq-fe.h>

#include "core/status.h"

namespace coproduce::store {

class TemporaryPostgres {
 public:
  // The server of this test program, started on first use. Thread-safe.
  static TemporaryPostgres& shared() {
    static TemporaryPostgres server;
    return server;
  }

  // Whether the PostgreSQL binaries are installed; tests skip when not.
  bool available() const { return !bin_.empty(); }
  std::string why_unavailable() const {
    return "PostgreSQL's server binaries (initdb, pg_ctl) are not installed: install postgresql-15"
           " (scripts/install-deps) or set COPRODUCE_POSTGRES_BIN";
  }

  // Creates an empty database named `name` (made into an identifier) and
  // returns its URI, dropping any database of that name first. Starts the
  // server when it is not running yet.
  StatusOr<std::string> create_database(const std::string& name) {
    std::lock_guard lock(mu_);
    if (!available()) return Unavailable(why_unavailable());
    if (Status s = start(); !s.ok()) return s;
    std::string db;
    for (char ch : name) db += std::isalnum(static_cast<unsigned char>(ch)) ? static_cast<char>(std::tolower(ch)) : '_';
    db = "t_" + db.substr(0, 50);
    if (Status s = run_sql("DROP DATABASE IF EXISTS " + db); !s.ok()) return s;
    if (Status s = run_sql("CREATE DATABASE " + db + " TEMPLATE template0 ENCODING 'UTF8'"); !s.ok()) return s;
    return uri(db);
  }

  // The URI of database `db` on this server.
  std::string uri(const std::string& db) const {
    return "postgresql:///" + db + "?host=" + dir_.string() + "&user=coproduce";
  }
  // Stops the server (as an administrator's fast shutdown does), keeping
  // its data, for tests of a server that goes away; start_again() brings
  // it back.
  Status stop_for_a_while() {
    std::lock_guard lock(mu_);
    if (!started_) return Unavailable("the server is not running");
    if (run({bin_ + "/pg_ctl", "-D", (dir_ / "data").string(), "-m", "fast", "-w", "stop"}) != 0)
      return Unavailable("pg_ctl stop failed: " + log_tail());
    stopped_ = true;
    return Status::Ok();
  }
  Status start_again() {
    std::lock_guard lock(mu_);
    if (!stopped_) return Status::Ok();
    if (Status s = start_server(); !s.ok()) return s;
    stopped_ = false;
    return Status::Ok();
  }

  // The folder holding the server's socket (the "host" of the URI).
  const std::filesystem::path& socket_dir() const { return dir_; }

  ~TemporaryPostgres() { stop(); }
  TemporaryPostgres(const TemporaryPostgres&) = delete;
  TemporaryPostgres& operator=(const TemporaryPostgres&) = delete;

 private:
  TemporaryPostgres() { bin_ = find_bin(); }

  static std::string find_bin() {
    if (const char* env = std::getenv("COPRODUCE_POSTGRES_BIN"); env && *env) {
      return std::filesystem::exists(std::filesystem::path(env) / "initdb") ? env : "";
    }
    std::error_code ec;
    std::string best;
    for (const auto& e : std::filesystem::directory_iterator("/usr/lib/postgresql", ec)) {
      auto bin = e.path() / "bin";
      if (std::filesystem::exists(bin / "initdb") && std::filesystem::exists(bin / "pg_ctl") &&
          bin.string() > best)
        best = bin.string();
    }
    return best;
  }

  // Runs argv (as the "postgres" user when this process is root), sending
  // its output to `log`. Returns its exit status.
  int run(const std::vector<std::string>& argv) const {
    std::vector<std::string> full;
    if (::geteuid() == 0) full = {"/usr/sbin/runuser", "-u", "postgres", "--"};
    full.insert(full.end(), argv.begin(), argv.end());
    std::string command;
    for (const auto& a : full) command += "'" + a + "' ";
    command += ">>'" + (dir_ / "log").string() + "' 2>&1";
    int rc = std::system(command.c_str());
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  }

  std::string log_tail() const {
    std::ifstream in(dir_ / "log");
    std::stringstream ss;
    ss << in.rdbuf();
    std::string all = ss.str();
    return all.size() > 2000 ? all.substr(all.size() - 2000) : all;
  }

  Status start() {
    if (started_) return Status::Ok();
    if (!start_status_.ok()) return start_status_;
    // A short path: a Unix socket's path must fit in 107 bytes.
    char tmpl[] = "/tmp/coproduce-pg-XXXXXX";
    if (::mkdtemp(tmpl) == nullptr) return start_status_ = Unavailable("could not make a folder for PostgreSQL");
    dir_ = tmpl;
    if (::geteuid() == 0) {
      if (passwd* pw = ::getpwnam("postgres"); pw == nullptr || ::chown(tmpl, pw->pw_uid, pw->pw_gid) != 0)
        return start_status_ = Unavailable("running as root needs the user 'postgres' to run PostgreSQL's server");
    }
    std::string data = (dir_ / "data").string();
    if (run({bin_ + "/initdb", "-D", data, "-A", "trust", "-U", "coproduce", "-E", "UTF8", "--locale=C.UTF-8",
             "--no-sync", "--no-instructions"}) != 0)
      return start_status_ = Unavailable("initdb failed: " + log_tail());
    if (Status s = start_server(); !s.ok()) return start_status_ = s;
    started_ = true;
    return Status::Ok();
  }

  Status start_server() {
    std::string data = (dir_ / "data").string();
    // No TCP (listen_addresses empty), the socket in our folder, no fsync:
    // a test server need not survive a power cut.
    std::string options = "-k " + dir_.string() + " -c listen_addresses= -F -c max_connections=60";
    if (run({bin_ + "/pg_ctl", "-D", data, "-l", (dir_ / "server.log").string(), "-w", "-t", "60", "-o", options,
             "start"}) != 0)
      return Unavailable("pg_ctl start failed: " + log_tail());
    return Status::Ok();
  }

  Status run_sql(const std::string& sql) const {
    PGconn* conn = PQconnectdb(uri("postgres").c_str());
    std::string error;
    if (PQstatus(conn) != CONNECTION_OK) {
      error = PQerrorMessage(conn);
    } else {
      PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
      PGresult* res = PQexec(conn, sql.c_str());
      if (PQresultStatus(res) != PGRES_COMMAND_OK) error = PQresultErrorMessage(res);
      PQclear(res);
    }
    PQfinish(conn);
    if (!error.empty()) return Unavailable("could not create a test database: " + error);
    return Status::Ok();
  }

  void stop() {
    if (dir_.empty()) return;
    if (started_ && !stopped_) run({bin_ + "/pg_ctl", "-D", (dir_ / "data").string(), "-m", "immediate", "-w", "stop"});
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    started_ = false;
  }

  std::mutex mu_;
  std::string bin_;
  std::filesystem::path dir_;
  bool started_ = false;
  bool stopped_ = false;
  Status start_status_;
};

}  // namespace coproduce::store

#endif  // COPRODUCE_STORE_TEMPORARY_POSTGRES_H_
