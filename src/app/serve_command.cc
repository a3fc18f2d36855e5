// `coproduce serve` and `coproduce migrate`.
#include <boost/asio/ip/address.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <mutex>
#include <string_view>
#include <thread>
#include <vector>

#include "accounts/accounts.h"
#include "involvement/recruitment.h"
#include "library/feed.h"
#include "library/subscriptions.h"
#include "messages/dispatcher.h"
#include "messages/notices.h"
#include "app/common.h"
#include "i18n/catalogue.h"
#include "security/crypto.h"
#include "store/migrations.h"
#include "store/postgres_database.h"
#include "web/application.h"
#include "web/server.h"

namespace coproduce::app {
namespace {

struct ServeOptions {
  std::string listen = "127.0.0.1:8080";
  std::string database = kDefaultDatabase;
  std::string templates = default_templates_dir();
  std::string static_dir = default_static_dir();
  std::string locale_dir = default_locale_dir();
  std::string public_url;
  int threads = 4;
  int public_form_limit = 100;
  std::vector<std::string> trusted_proxies;
  bool quiet = false;
  std::vector<std::string> allow_feed_hosts;  // may be fetched though local or private
  int feed_refresh_minutes = 360;             // 0: feeds are fetched only on demand
  int message_senders = 8;
  int message_retry_seconds = 30;
  int message_poll_ms = 1000;
  int message_check_seconds = 60;
  int reminder_hours = 48;
};

// Fetches every subscribed feed not fetched for `interval`, from a thread of
// its own, checking once a minute, until destroyed. Destruction waits for a
// fetch under way (policy.timeout_seconds at most).
class FeedRefresher {
 public:
  FeedRefresher(store::Database& db, const Clock& clock, const library::FetchPolicy& policy,
                std::chrono::minutes interval, std::ostream* log)
      : subscriptions_(db, clock, policy), interval_(interval), log_(log), thread_([this] { run(); }) {}
  ~FeedRefresher() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }
  FeedRefresher(const FeedRefresher&) = delete;
  FeedRefresher& operator=(const FeedRefresher&) = delete;

 private:
  bool stopping() {
    std::lock_guard<std::mutex> lock(mutex_);
    return stopping_;
  }

  void run() {
    const Actor scheduled{std::nullopt, "scheduled feed refresh"};
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(mutex_);
        if (wake_.wait_for(lock, std::chrono::minutes(1), [this] { return stopping_; })) return;
      }
      auto done = subscriptions_.refresh_due(interval_, scheduled, [this] { return stopping(); });
      if (log_ == nullptr) continue;
      if (!done.ok()) {
        *log_ << "Feed refresh: " << done.status().to_string() << "\n";
      } else if (done->refreshed + done->failed > 0) {
        *log_ << "Feed refresh: " << done->refreshed << " imported, " << done->failed
              << " failed (each feed's page says why).\n";
      }
    }
  }

  library::Subscriptions subscriptions_;
  std::chrono::minutes interval_;
  std::ostream* log_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;  // last: started once everything it uses is ready
};

Status split_listen(const std::string& listen, std::string* host, unsigned short* port) {
  size_t colon = listen.rfind(':');
  Location where;
  where.field = "--listen";
  if (colon == std::string::npos || colon == 0) return InvalidInput("give HOST:PORT, like 127.0.0.1:8080", where);
  *host = listen.substr(0, colon);
  if (host->size() > 2 && host->front() == '[' && host->back() == ']') *host = host->substr(1, host->size() - 2);
  try {
    size_t used = 0;
    int p = std::stoi(listen.substr(colon + 1), &used);
    if (used != listen.size() - colon - 1 || p < 0 || p > 65535) throw std::out_of_range("port");
    *port = static_cast<unsigned short>(p);
  } catch (const std::exception&) {
    return InvalidInput("the port must be a number from 0 to 65535", where);
  }
  return Status::Ok();
}

int serve(const ServeOptions& o) {
  web::ServerConfig config;
  if (Status s = split_listen(o.listen, &config.host, &config.port); !s.ok()) return fail(s);
  config.threads = std::max(1, o.threads);
  config.trusted_proxies = o.trusted_proxies;
  // On PostgreSQL each thread keeps a connection: the request threads, the
  // message senders, the job worker, the feed refresher and this one.
  std::string location = o.database;
  if (store::is_postgres_location(location)) {
    int needed = config.threads + std::max(1, o.message_senders) + 3;
    store::PostgresOptions given;
    if (auto rest = store::take_postgres_options(location, &given); !rest.ok()) return fail(rest.status());
    if (location.find("pool_size=") == std::string::npos) {
      location += (location.find('?') == std::string::npos ? "?" : "&") + std::string("pool_size=") +
                  std::to_string(needed);
    } else if (given.max_connections < needed) {
      Location where;
      where.field = "--database";
      return fail(InvalidInput("pool_size=" + std::to_string(given.max_connections) + " is too few connections for " +
                                   std::to_string(config.threads) + " request threads and " +
                                   std::to_string(o.message_senders) + " message senders: give " +
                                   std::to_string(needed) + " or more, or leave pool_size out",
                               where));
    }
  }
  auto db = open_and_migrate(location);
  if (!db.ok()) return fail(db.status());
  auto catalogues = i18n::Catalogues::load(o.locale_dir);
  if (!catalogues.ok()) return fail(catalogues.status());
  i18n::install(*catalogues);
  auto templates = web::TemplateSet::load(o.templates, *catalogues);
  if (!templates.ok()) return fail(templates.status());

  SystemClock clock;
  accounts::Accounts accounts(**db, clock);
  web::Metrics metrics;
  // Background work is claimed from the database by this process's worker,
  // one job at a time; jobs of processes that died are handed on or failed,
  // and a recruitment round given up on is marked so people can run it again.
  jobs::Jobs job_store(**db, clock);
  store::Database& database = **db;
  auto jobs = std::make_unique<jobs::Worker>(
      job_store,
      std::map<std::string, jobs::Worker::Handler>{
          {involvement::Recruitment::kRunJob,
           [&database, &clock](const jobs::Job& job) {
             return involvement::Recruitment(database, clock).run(job.organisation_id.value_or(0), job.subject_id);
           }}},
      [&database, &clock](const jobs::Job& job) {
        if (job.kind == involvement::Recruitment::kRunJob)
          (void)involvement::Recruitment(database, clock).fail_interrupted(job.subject_id, job.error);
      });
  jobs->wake();
  // Messages are sent from threads of their own; stored keys are opened with
  // COPRODUCE_SECRET_KEY, without which messages wait and say why.
  std::optional<security::SecretBox> box;
  if (auto b = security::SecretBox::from_environment(); b.ok()) box = *b;
  messages::DispatchOptions sending;
  sending.senders = std::max(1, o.message_senders);
  sending.retry_after = std::chrono::seconds(std::max(1, o.message_retry_seconds));
  sending.poll = std::chrono::milliseconds(std::max(50, o.message_poll_ms));
  sending.check_delivery_after = std::chrono::seconds(std::max(0, o.message_check_seconds));
  std::string reminder_url;  // set once the server is listening
  if (o.reminder_hours > 0) {
    // Reminders before activities every minute; learning overdue, which
    // reads the whole workforce, once an hour.
    auto learning_checked = std::make_shared<std::chrono::steady_clock::time_point>();
    sending.periodic = [&database, &clock, &reminder_url, hours = o.reminder_hours, learning_checked] {
      messages::Notices notices(database, clock, reminder_url);
      (void)notices.due_reminders(std::chrono::hours(hours));
      auto now = std::chrono::steady_clock::now();
      if (*learning_checked == std::chrono::steady_clock::time_point() ||
          now - *learning_checked >= std::chrono::hours(1)) {
        *learning_checked = now;
        (void)notices.learning_reminders();
      }
    };
  }
  auto sender = std::make_unique<messages::Dispatcher>(**db, clock, box, sending);
  web::Services services{**db, accounts, clock, **templates, metrics, COPRODUCE_VERSION, o.static_dir, "",
                         o.quiet ? nullptr : &std::cout, {}, jobs.get(), sender.get()};
  services.public_starts_per_hour = o.public_form_limit;
  services.public_sends_per_hour = std::max(1, o.public_form_limit / 2);
  services.feed_policy.allowed_hosts = o.allow_feed_hosts;
  services.feed_policy.max_bytes = library::kMaxFeedBytes;  // as big as a feed may be
  web::Application application(services);
  web::Server server(config, [&application](web::Request& r) { return application.handle(r); });
  if (Status s = server.listen(); !s.ok()) return fail(s);
  std::string shown_host = config.host.find(':') != std::string::npos ? "[" + config.host + "]" : config.host;
  services.public_url = o.public_url.empty() ? "http://" + shown_host + ":" + std::to_string(server.port()) : o.public_url;

  reminder_url = services.public_url;
  sender->start();
  if (!box) {
    std::cerr << "Note: " << security::kSecretKeyVariable << " is not set, so keys and passwords for sending messages"
              << " cannot be stored or used (docs/messages.md).\n";
  }
  std::cerr << "Coproduce " << COPRODUCE_VERSION << " is running at " << services.public_url
            << " (database " << store::redact_postgres_uri(o.database) << "). Press Ctrl+C to stop.\n";
  if (store::is_postgres_location(o.database)) {
    const char* key = std::getenv("COPRODUCE_RATE_LIMIT_KEY");
    if (key == nullptr || std::string_view(key).size() < 16) {
      std::cerr << "Warning: COPRODUCE_RATE_LIMIT_KEY is not set (16 characters or more), so this process counts"
                   " public form use on its own. Give every server process the same key (docs/operations.md).\n";
    }
  }
  auto any = accounts.any_users();
  if (!any.ok()) return fail(any.status());
  if (!*any) {
    auto token = accounts.create_setup_invitation();
    if (!token.ok()) return fail(token.status());
    std::cerr << "\nNo one has set up Coproduce yet. Open this one-time link to create the first organisation\n"
              << "and its administrator (it works once, for 72 hours):\n\n  " << services.public_url << "/setup/"
              << *token << "\n\n";
  }
  std::unique_ptr<FeedRefresher> refresher;
  if (o.feed_refresh_minutes > 0)
    refresher = std::make_unique<FeedRefresher>(**db, clock, services.feed_policy,
                                                std::chrono::minutes(o.feed_refresh_minutes), &std::cerr);
  server.run();
  refresher.reset();
  sender.reset();  // finishes the sends in hand
  if (jobs->busy()) {
    // A selection cannot be interrupted part-way. Leave without waiting: every
    // write so far is committed, and the next worker to look (this machine's
    // next start at once, another process once the heartbeat is stale)
    // marks the round as interrupted so it can be run again.
    std::cerr << "Coproduce stopped while a selection was running; run that round again after restarting.\n";
    std::_Exit(0);
  }
  jobs.reset();
  (*db)->close();
  std::cerr << "Coproduce stopped.\n";
  return 0;
}

}  // namespace

void add_serve_command(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<ServeOptions>();
  auto* cmd = app.add_subcommand("serve", "Run the web application and JSON API");
  cmd->add_option("--listen", opts->listen, "HOST:PORT to listen on")->capture_default_str();
  cmd->add_option("--database", opts->database, "SQLite database file")->capture_default_str();
  cmd->add_option("--templates", opts->templates, "Folder of page templates")->capture_default_str();
  cmd->add_option("--static", opts->static_dir, "Folder of compiled static files")->capture_default_str();
  cmd->add_option("--locale", opts->locale_dir, "Folder of compiled message catalogues (LANG/LC_MESSAGES/coproduce.mo)")
      ->capture_default_str();
  cmd->add_option("--public-url", opts->public_url, "The address people use, for links the service shows");
  cmd->add_option("--threads", opts->threads, "Worker threads")->capture_default_str();
  cmd->add_option("--message-senders", opts->message_senders, "Threads sending messages")->capture_default_str();
  cmd->add_option("--message-retry-seconds", opts->message_retry_seconds,
                  "The first wait before sending again after a temporary failure; doubles each time")
      ->capture_default_str();
  cmd->add_option("--message-poll-ms", opts->message_poll_ms, "How often idle senders look for messages")
      ->capture_default_str();
  cmd->add_option("--message-check-seconds", opts->message_check_seconds,
                  "How long after sending GOV.UK Notify is asked whether a message was delivered")
      ->capture_default_str();
  cmd->add_option("--reminder-hours", opts->reminder_hours,
                  "How many hours before an activity reminders go; 0 sends none")
      ->capture_default_str();
  cmd->add_option("--trusted-proxy", opts->trusted_proxies,
                  "The address of a proxy in front (such as nginx, 127.0.0.1) whose X-Forwarded-For header gives"
                  " the visitor's address, for public-form limits and the audit log; repeat for several")
      ->check([](const std::string& a) {
        boost::system::error_code ec;
        boost::asio::ip::make_address(a, ec);
        return ec ? "'" + a + "' is not an IP address" : std::string();
      });
  cmd->add_option("--public-form-limit", opts->public_form_limit,
                  "Times one network address may start the Get involved form in an hour (half as many sends)")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  cmd->add_option("--allow-feed-host", opts->allow_feed_hosts,
                  "A host whose case-study feed may be fetched although it is on a local or private network, "
                  "as the address writes it (127.0.0.1, feeds.internal, [::1]:8081); repeat for more")
      ->take_all();
  cmd->add_option("--feed-refresh-minutes", opts->feed_refresh_minutes,
                  "Fetch each subscribed case-study feed when it was last fetched this many minutes ago; 0 for "
                  "only when asked")
      ->check(CLI::Range(0, 525600))
      ->capture_default_str();
  cmd->add_flag("--quiet", opts->quiet, "Do not log each request");
  cmd->callback([opts, &exit_code] { exit_code = serve(*opts); });
}

void add_migrate_command(CLI::App& app, int& exit_code) {
  auto database = std::make_shared<std::string>(kDefaultDatabase);
  auto* cmd = app.add_subcommand("migrate", "Create or update the database schema");
  cmd->add_option("--database", *database, "SQLite database file")->capture_default_str();
  cmd->callback([database, &exit_code] {
    if (Status s = security::init_crypto(); !s.ok()) {
      exit_code = fail(s);
      return;
    }
    auto db = store::open_database(*database);
    if (!db.ok()) {
      exit_code = fail(db.status());
      return;
    }
    int applied = 0;
    if (Status s = store::migrate(**db, store::bundled_migrations(), &applied); !s.ok()) {
      exit_code = fail(s);
      return;
    }
    auto version = store::schema_version(**db);
    std::cout << "Applied " << applied << " migration" << (applied == 1 ? "" : "s") << "; the schema is at version "
              << (version.ok() ? *version : 0) << ".\n";
  });
}

}  // namespace coproduce::app
