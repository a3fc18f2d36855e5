// Queueing and sending invitations at the size: 10,000 activity
// invitations queued through messages::Outbox (as Notices queues them, a
// batch of people to a transaction) and sent by messages::Dispatcher's own
// sender threads to a GOV.UK Notify on loopback (bench/messages/run starts
// the fake one, answering in 20 ms). Prints messages per second for each
// half and the peak memory (getrusage). Never fails on time; the goal (at
// least 200 a second sending) is for a person to judge.
//
//   bench_messages --notify-url URL [--api-key KEY] [--messages N] [--senders N] [--batch N]
//
// The database is a temporary SQLite file removed at the end. Progress goes
// to stderr, a line every 2,000 messages; the figures go to stdout.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "messages/dispatcher.h"
#include "messages/outbox.h"
#include "messages/settings.h"
#include "messages/templates.h"
#include "security/crypto.h"
#include "store/database.h"
#include "store/temporary_database.h"

namespace {

using namespace coproduce;
using SteadyClock = std::chrono::steady_clock;

// The example key of GOV.UK Notify's documentation, which the fake accepts
// unless given another.
constexpr const char* kDefaultApiKey =
    "coproduce_test-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0";
constexpr int kProgressEvery = 2'000;

[[noreturn]] void fail(const std::string& what, const Status& s) {
  std::cerr << "bench_messages: " << what << ": " << s.to_string() << "\n";
  std::exit(1);
}

template <typename T>
T must(StatusOr<T> v, const std::string& what) {
  if (!v.ok()) fail(what, v.status());
  return std::move(v).value();
}

std::string fixed(double v, int places) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", places, v);
  return buf;
}

long peak_rss_kb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;  // kilobytes on Linux
}

struct Options {
  std::string notify_url;
  std::string api_key = kDefaultApiKey;
  int messages = 10'000;
  int senders = 8;
  int batch = 100;  // invitations queued in one transaction
};

[[noreturn]] void usage(int code) {
  std::cerr << "usage: bench_messages --notify-url URL [--api-key KEY] [--messages N] [--senders N] [--batch N]\n"
               "defaults: 10000 messages, 8 senders, 100 invitations a transaction; bench/messages/run starts a\n"
               "fake GOV.UK Notify and gives its URL\n";
  std::exit(code);
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string name = argv[i];
    if (name == "--help" || name == "-h") usage(0);
    if (i + 1 >= argc) usage(2);
    std::string value = argv[++i];
    if (name == "--notify-url") {
      o.notify_url = value;
      continue;
    }
    if (name == "--api-key") {
      o.api_key = value;
      continue;
    }
    int v = std::atoi(value.c_str());
    if (v < 1) {
      std::cerr << name << " must be a whole number of at least 1\n";
      std::exit(2);
    }
    if (name == "--messages")
      o.messages = v;
    else if (name == "--senders")
      o.senders = v;
    else if (name == "--batch")
      o.batch = v;
    else {
      std::cerr << "unknown option " << name << "\n";
      usage(2);
    }
  }
  if (o.notify_url.empty()) usage(2);
  return o;
}

// How many messages have each status.
std::map<std::string, int> statuses(store::Database& db) {
  auto c = must(db.connection(), "connecting");
  auto rows = must(c->query("SELECT status, COUNT(*) FROM messages GROUP BY status"), "counting messages");
  std::map<std::string, int> out;
  for (const auto& r : rows) out[r.text(0)] = static_cast<int>(r.integer(1));
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  Options o = parse(argc, argv);
  SystemClock clock;
  store::TemporaryDatabase temporary("bench-messages");
  if (!temporary.status().ok()) fail("opening a temporary database", temporary.status());
  store::Database& db = *temporary;
  auto box = must(security::SecretBox::from_passphrase("the messages benchmark's passphrase"), "making a key");
  std::cout << "messages benchmark: " << o.messages << " activity invitations by email, queued " << o.batch
            << " to a transaction, sent by " << o.senders << " senders to GOV.UK Notify at " << o.notify_url
            << " (SQLite)\n";

  // ---- An organisation that sends through Notify, with room in its limits
  int64_t org = 0;
  Status s = store::in_write_transaction(db, [&](store::Connection& c) -> Status {
    auto row = c.query_one(
        "INSERT INTO organisations (name, created_at) VALUES ('Bench Council', '2026-01-01T00:00:00Z') RETURNING id");
    if (!row.ok()) return row.status();
    org = row->integer(0);
    return Status::Ok();
  });
  if (!s.ok()) fail("adding the organisation", s);
  messages::SettingsInput in;
  in.backend = messages::kNotify;
  in.notify_key = o.api_key;
  in.notify_url = o.notify_url;
  in.notify_email_template = "f33517ff-2a88-4f6e-b855-c550268ce08a";
  in.organisation_daily_limit = "9999999";
  std::vector<FieldError> problems;
  s = messages::MessageSettings(db, clock).save(org, in, box, {std::nullopt, "benchmark"}, &problems);
  if (!s.ok()) fail("saving the settings", s);

  // ---- Queueing
  const messages::Kind* kind = messages::find_kind("activity_invitation");
  if (kind == nullptr) fail("finding the kind", Internal("no activity_invitation kind"));
  const std::map<std::string, std::string> values = messages::example_values(*kind);
  messages::Outbox outbox(db, clock);
  const auto queue_start = SteadyClock::now();
  int queued = 0, refused = 0;
  for (int from = 0; from < o.messages; from += o.batch) {
    int to = std::min(o.messages, from + o.batch);
    s = store::in_write_transaction(db, [&](store::Connection& c) -> Status {
      for (int i = from; i < to; ++i) {
        messages::Outgoing out;
        out.kind = kind->code;
        out.to.person_id = i + 1;
        out.to.name = "Person " + std::to_string(i + 1);
        out.to.channel = messages::kEmail;
        out.to.address = "person" + std::to_string(i + 1) + "@example.org";
        out.values = values;
        out.values["name"] = out.to.name;
        out.about_type = "activity";
        out.about_id = 1 + i / 500;  // activities of 500 people each
        out.key = "activity-invitation:" + std::to_string(out.about_id) + ":" + std::to_string(i + 1);
        auto q = outbox.queue_in(c, org, out);
        if (!q.ok()) return q.status();
        if (q->status != "queued") ++refused;
      }
      return Status::Ok();
    });
    if (!s.ok()) fail("queueing", s);
    int before = queued;
    queued = to;
    if (queued / kProgressEvery != before / kProgressEvery || queued == o.messages) {
      std::cerr << "  queued " << queued << " of " << o.messages << " (" << fixed(seconds_since(queue_start), 1)
                << " s)\n";
    }
  }
  const double queue_seconds = seconds_since(queue_start);
  if (refused > 0) std::cerr << "  " << refused << " were not queued to send (a limit or the settings)\n";

  // ---- Sending, by the dispatcher's own threads
  messages::DispatchOptions options;
  options.senders = o.senders;
  options.poll = std::chrono::milliseconds(100);
  options.check_delivery_after = std::chrono::hours(24);  // no delivery checks while sending
  const auto send_start = SteadyClock::now();
  std::map<std::string, int> counts;
  {
    messages::Dispatcher dispatcher(db, clock, box, options);
    dispatcher.start();
    int shown = 0;
    for (;;) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      counts = statuses(db);
      int done = counts["sent"] + counts["delivered"] + counts["failed"];
      if (done / kProgressEvery > shown / kProgressEvery || done == o.messages) {
        std::cerr << "  sent " << done << " of " << o.messages << " (" << fixed(seconds_since(send_start), 1) << " s, "
                  << counts["queued"] << " waiting";
        if (counts["failed"] > 0) std::cerr << ", " << counts["failed"] << " failed";
        std::cerr << ")\n";
        shown = done;
      }
      if (done == o.messages) break;
      if (counts["queued"] + counts["sending"] == 0) break;  // nothing more will go
    }
  }  // the dispatcher finishes its sends in hand and stops
  const double send_seconds = seconds_since(send_start);
  counts = statuses(db);

  std::cout << "queued   " << o.messages << " in " << fixed(queue_seconds, 2) << " s: "
            << fixed(o.messages / queue_seconds, 0) << " messages/s\n";
  std::cout << "sent     " << counts["sent"] + counts["delivered"] << " in " << fixed(send_seconds, 2) << " s: "
            << fixed((counts["sent"] + counts["delivered"]) / send_seconds, 0) << " messages/s with " << o.senders
            << " senders (goal: 200/s with the service answering in 20 ms)\n";
  std::cout << "failed   " << counts["failed"] << ", still waiting " << counts["queued"] + counts["sending"] << "\n";
  std::cout << "peak memory " << fixed(static_cast<double>(peak_rss_kb()) / 1024.0, 1) << " MB\n";
  return counts["failed"] > 0 ? 1 : 0;
}
