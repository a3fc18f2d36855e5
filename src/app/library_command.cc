// `coproduce library export|import`: an organisation's case studies as the
// JSON Feed it publishes at /library/feed.json, written to a file, and such
// a file read into another organisation's library, for organisations whose
// sites cannot reach each other.
//
//   coproduce library export --organisation "Elm House" --output elm.json --base-url https://elm.example
//   coproduce library import --organisation "Oak Trust" --file elm.json
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "accounts/accounts.h"
#include "app/common.h"
#include "library/subscriptions.h"

namespace coproduce::app {
namespace {

struct LibraryOptions {
  std::string database = kDefaultDatabase;
  std::string organisation;
  std::string output;
  std::string file;
  // Where the site is served: the feed's ids and links are built from it,
  // so an export names the same case studies as the served feed does.
  std::string base_url = "http://127.0.0.1:8080";
};

const Actor kCli{std::nullopt, "command line"};

int export_feed(const LibraryOptions& o) {
  if (auto bad = library::check_feed_url(o.base_url); !bad.empty()) {
    Location where;
    where.field = "--base-url";
    return fail(InvalidInput(bad.front().message, where));
  }
  auto db = open_and_migrate(o.database);
  if (!db.ok()) return fail(db.status());
  SystemClock clock;
  auto org = accounts::Accounts(**db, clock).find_organisation(o.organisation);
  if (!org.ok()) return fail(org.status());
  auto feed = library::organisation_feed(**db, org->id, o.base_url);
  if (!feed.ok()) return fail(feed.status());
  std::ofstream out(o.output, std::ios::binary);
  out << library::write_feed(*feed);
  out.close();
  if (!out) return fail(Internal("Cannot write " + o.output));
  size_t withdrawn = 0;
  for (const auto& item : feed->items) withdrawn += item.withdrawn ? 1 : 0;
  std::cout << "Wrote " << feed->items.size() - withdrawn << " published case studies";
  if (withdrawn > 0) std::cout << " and " << withdrawn << " withdrawn";
  std::cout << " of " << org->name << " to " << o.output << ".\n";
  return 0;
}

int import_feed(const LibraryOptions& o) {
  std::error_code ec;
  auto size = std::filesystem::file_size(o.file, ec);
  if (ec) return fail(InvalidInput("Cannot read " + o.file + ": there is no such file, or it cannot be opened"));
  std::string name = std::filesystem::path(o.file).filename().string();
  // read_feed refuses a bigger text anyway; this keeps it from being read into memory.
  if (size > library::kMaxFeedBytes) return fail(InvalidInput(name + " is larger than 64 MB; nothing was imported"));
  std::ifstream in(o.file, std::ios::binary);
  if (!in) return fail(InvalidInput("Cannot read " + o.file + ": there is no such file, or it cannot be opened"));
  std::ostringstream text;
  text << in.rdbuf();

  auto db = open_and_migrate(o.database);
  if (!db.ok()) return fail(db.status());
  SystemClock clock;
  auto org = accounts::Accounts(**db, clock).find_organisation(o.organisation);
  if (!org.ok()) return fail(org.status());
  library::Subscriptions subscriptions(**db, clock, library::FetchPolicy{});
  auto done = subscriptions.import_file(org->id, text.str(), name, kCli);
  if (!done.ok()) return fail(done.status());
  if (!done->ok()) {
    if (done->problems.empty()) return fail(Internal(done->error));
    for (const auto& p : done->problems) {
      // A place in the text ("line 2, column 1") is already in its message.
      bool said = p.where.rfind("line ", 0) == 0 && p.message.find(p.where) != std::string::npos;
      std::cerr << "coproduce: " << name << (p.where.empty() || said ? "" : ", " + p.where) << ": " << p.message
                << "\n";
    }
    if (done->problems_not_listed > 0)
      std::cerr << "coproduce: (and " << done->problems_not_listed << " more problems)\n";
    std::cerr << "coproduce: nothing was imported; the library is unchanged.\n";
    return 1;
  }
  auto sub = subscriptions.get(org->id, done->subscription_id);
  const auto& c = done->counts;
  std::cout << "Imported " << name << " into the library of " << org->name << ": " << c.added << " added, "
            << c.changed << " changed, " << c.unchanged << " unchanged, " << c.removed << " removed";
  if (sub.ok()) std::cout << " (feed " << sub->url << ", " << sub->items << " case studies in all)";
  std::cout << ".\n";
  return 0;
}

}  // namespace

void add_library_command(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<LibraryOptions>();
  auto* library = app.add_subcommand("library", "Case studies shared between organisations, as JSON Feed files");
  library->require_subcommand(1);

  auto* exp = library->add_subcommand(
      "export", "Write the organisation's published and withdrawn case studies as its JSON Feed");
  exp->add_option("--database", opts->database, "SQLite database file")->capture_default_str();
  exp->add_option("--organisation", opts->organisation, "The organisation's name")->required();
  exp->add_option("--output", opts->output, "The file to write")->required();
  exp->add_option("--base-url", opts->base_url,
                  "The address people use for this site (as serve --public-url); the feed's links start with it")
      ->capture_default_str();
  exp->callback([opts, &exit_code] { exit_code = export_feed(*opts); });

  auto* imp = library->add_subcommand(
      "import", "Read another organisation's JSON Feed file into this organisation's library: all or nothing");
  imp->add_option("--database", opts->database, "SQLite database file")->capture_default_str();
  imp->add_option("--organisation", opts->organisation, "The organisation whose library it goes into")->required();
  imp->add_option("--file", opts->file, "The JSON Feed file")->required();
  imp->callback([opts, &exit_code] { exit_code = import_feed(*opts); });
}

}  // namespace coproduce::app
