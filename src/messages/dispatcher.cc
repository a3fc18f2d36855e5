#include "messages/dispatcher.h"

#include <curl/curl.h>

#include <algorithm>

#include "jobs/jobs.h"
#include "messages/settings.h"

namespace coproduce::messages {

using store::Connection;

namespace {

// Messages carrying a one-time link keep no copy of it once it has gone.
constexpr const char* kClearSecret = "body = CASE secret WHEN 1 THEN '' ELSE body END";

std::string clock_time(const std::string& stamp) { return stamp.size() >= 16 ? stamp.substr(11, 5) : stamp; }

}  // namespace

Dispatcher::Dispatcher(store::Database& db, const Clock& clock, std::optional<security::SecretBox> box,
                       DispatchOptions options)
    : db_(db), clock_(clock), box_(std::move(box)), options_(std::move(options)), name_(jobs::process_name()) {
  // libcurl's global set-up must come before any thread uses it.
  static const CURLcode ready = curl_global_init(CURL_GLOBAL_DEFAULT);
  (void)ready;
}

Dispatcher::~Dispatcher() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
}

void Dispatcher::start() {
  int n = std::max(1, options_.senders);
  for (int i = 0; i < n; ++i) threads_.emplace_back([this, i] { loop(i); });
}

void Dispatcher::wake() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    wakes_ += static_cast<int>(threads_.size());
  }
  cv_.notify_all();
}

void Dispatcher::loop(int index) {
  auto last_periodic = std::chrono::steady_clock::now() - options_.periodic_every;
  auto last_check = std::chrono::steady_clock::now() - options_.poll;
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) return;
    }
    if (index == 0 && std::chrono::steady_clock::now() - last_check >= options_.poll) {
      // The first sender also looks after sends that died and delivery.
      last_check = std::chrono::steady_clock::now();
      (void)recover();
      (void)check_deliveries();
      if (options_.periodic && std::chrono::steady_clock::now() - last_periodic >= options_.periodic_every) {
        last_periodic = std::chrono::steady_clock::now();
        options_.periodic();
      }
    }
    DispatchCounts counts;
    auto sent = send_one(&counts);
    if (sent.ok() && *sent) continue;
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, options_.poll, [this] { return stopping_ || wakes_ > 0; });
    if (wakes_ > 0) --wakes_;
  }
}

StatusOr<DispatchCounts> Dispatcher::run_until_idle() {
  DispatchCounts counts;
  auto recovered = recover();
  if (!recovered.ok()) return recovered.status();
  for (;;) {
    auto sent = send_one(&counts);
    if (!sent.ok()) return sent.status();
    if (!*sent) return counts;
  }
}

StatusOr<int> Dispatcher::recover() {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  auto claims = (*c)->query("SELECT DISTINCT claimed_by FROM messages WHERE status = 'sending'");
  if (!claims.ok()) return claims.status();
  std::vector<std::string> dead;
  for (const auto& r : *claims) {
    std::string who = r.text(0);
    if (who != name_ && jobs::known_dead(who)) dead.push_back(who);
  }
  std::string now = format_timestamp(clock_.now());
  std::string expired = format_timestamp(clock_.now() - options_.lease);
  return store::in_write_transaction(db_, [&](Connection& tx) -> StatusOr<int> {
    int64_t total = 0;
    for (const auto& who : dead) {
      auto n = tx.execute(
          "UPDATE messages SET status = 'queued', in_doubt = 1, claimed_by = '', next_attempt_at = $1"
          " WHERE status = 'sending' AND claimed_by = $2",
          {now, who});
      if (!n.ok()) return n.status();
      total += *n;
    }
    auto n = tx.execute(
        "UPDATE messages SET status = 'queued', in_doubt = 1, claimed_by = '', next_attempt_at = $1"
        " WHERE status = 'sending' AND claimed_at < $2",
        {now, expired});
    if (!n.ok()) return n.status();
    return static_cast<int>(total + *n);
  });
}

StatusOr<std::shared_ptr<Backend>> Dispatcher::backend_for(int64_t org) {
  MessageSettings settings_store(db_, clock_);
  auto settings = settings_store.get(org);
  if (!settings.ok()) return settings.status();
  std::lock_guard<std::mutex> lock(backends_mu_);
  auto it = backends_.find(org);
  if (it != backends_.end() && it->second.revision == settings->revision) return it->second.backend;
  if (!box_) {
    if (settings->backend.empty()) return std::shared_ptr<Backend>();
    return Unavailable(std::string("the server was started without ") + security::kSecretKeyVariable +
                       ", so it cannot open the stored key or password");
  }
  auto secrets = settings_store.secrets(org, *box_);
  if (!secrets.ok()) return secrets.status();
  std::shared_ptr<Backend> backend = make_backend(*settings, *secrets, options_.timeout);
  backends_[org] = {settings->revision, backend};
  return backend;
}

StatusOr<bool> Dispatcher::send_one(DispatchCounts* counts) {
  std::string now = format_timestamp(clock_.now());
  auto claimed = store::in_write_transaction(db_, [&](Connection& c) -> StatusOr<std::optional<Message>> {
    auto rows = c.query(std::string("UPDATE messages SET status = 'sending', claimed_by = $1, claimed_at = $2,"
                                    " attempts = attempts + 1"
                                    " WHERE id = (SELECT id FROM messages WHERE status = 'queued'"
                                    " AND next_attempt_at <= $2 ORDER BY next_attempt_at, id LIMIT 1)"
                                    " AND status = 'queued' RETURNING ") +
                            kMessageColumns,
                        {name_, now});
    if (!rows.ok()) return rows.status();
    if (rows->empty()) return std::optional<Message>();
    return std::optional<Message>(read_message(rows->front()));
  });
  if (!claimed.ok()) return claimed.status();
  if (!claimed->has_value()) return false;
  const Message& m = **claimed;

  Delivery d;
  auto backend = backend_for(m.organisation_id);
  if (!backend.ok()) {
    d.outcome = Delivery::Outcome::kTemporary;
    d.reason = backend.status().message();
  } else if (!*backend) {
    d.outcome = Delivery::Outcome::kPermanent;
    d.reason = "Not sent: no way of sending messages is set up. An administrator can set one up in Messages settings, "
               "then send it again.";
  } else {
    bool sent_before = false;
    if (m.in_doubt && (*backend)->can_look_up()) {
      auto found = (*backend)->look_up(m.key);
      if (!found.ok()) {
        d.outcome = Delivery::Outcome::kTemporary;
        d.in_doubt = true;
        d.reason = found.status().message();
        sent_before = true;  // not sent again until the service can say
      } else if (found->has_value()) {
        d.outcome = Delivery::Outcome::kSent;
        d.provider_id = **found;
        sent_before = true;
        ++counts->found;
      }
    }
    if (!sent_before) {
      d = (*backend)->send({m.channel, m.recipient, m.recipient_name, m.subject, m.body, m.key, m.large_print});
    }
  }
  if (Status s = record(m, d, counts); !s.ok()) return s;
  return true;
}

Status Dispatcher::record(const Message& m, const Delivery& d, DispatchCounts* counts) {
  std::string now = format_timestamp(clock_.now());
  std::string backend_name;
  {
    auto settings = MessageSettings(db_, clock_).get(m.organisation_id);
    if (settings.ok()) backend_name = settings->backend;
  }
  return store::in_write_transaction(db_, [&](Connection& c) -> Status {
    StatusOr<int64_t> n = int64_t{0};
    if (d.outcome == Delivery::Outcome::kSent) {
      ++counts->sent;
      n = c.execute(std::string("UPDATE messages SET status = 'sent', reason = '', in_doubt = 0, provider_id = $1,"
                                " backend = $2, sent_at = $3, claimed_by = '', ") +
                        kClearSecret + " WHERE id = $4 AND claimed_by = $5 AND status = 'sending'",
                    {d.provider_id, backend_name, now, m.id, name_});
    } else if (d.outcome == Delivery::Outcome::kTemporary && m.attempts < options_.max_attempts) {
      ++counts->waiting;
      auto wait = options_.retry_after * (1LL << std::min(m.attempts - 1, 12));
      wait = std::min<std::chrono::seconds>(wait, std::chrono::hours(6));
      std::string next = format_timestamp(clock_.now() + wait);
      n = c.execute(
          "UPDATE messages SET status = 'queued', next_attempt_at = $1, reason = $2, in_doubt = $3, claimed_by = ''"
          " WHERE id = $4 AND claimed_by = $5 AND status = 'sending'",
          {next,
           "Waiting: tried " + std::to_string(m.attempts) + (m.attempts == 1 ? " time" : " times") +
               ", will try again at " + clock_time(next) + " UTC. " + d.reason,
           (d.in_doubt || m.in_doubt) ? 1 : 0, m.id, name_});
    } else {
      ++counts->failed;
      std::string reason = d.outcome == Delivery::Outcome::kTemporary
                               ? "Not sent: gave up after " + std::to_string(m.attempts) + " tries. " + d.reason
                               : d.reason;
      n = c.execute(std::string("UPDATE messages SET status = 'failed', reason = $1, backend = $2, claimed_by = '', ") +
                        kClearSecret + " WHERE id = $3 AND claimed_by = $4 AND status = 'sending'",
                    {reason, backend_name, m.id, name_});
    }
    if (!n.ok()) return n.status();
    return Status::Ok();
  });
}

StatusOr<int> Dispatcher::check_deliveries() {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  std::string cutoff = format_timestamp(clock_.now() - options_.check_delivery_after);
  std::string oldest = format_timestamp(clock_.now() - std::chrono::hours(24 * 7));
  auto rows = (*c)->query(
      "SELECT id, organisation_id, provider_id FROM messages WHERE status = 'sent' AND backend = 'notify'"
      " AND provider_id <> '' AND sent_at <= $1 AND sent_at >= $2 AND (checked_at IS NULL OR checked_at <= $1)"
      " ORDER BY id LIMIT 50",
      {cutoff, oldest});
  if (!rows.ok()) return rows.status();
  int changed = 0;
  for (const auto& r : *rows) {
    int64_t id = r.integer(0);
    auto backend = backend_for(r.integer(1));
    if (!backend.ok() || !*backend || !(*backend)->reports_delivery()) continue;
    auto status = (*backend)->delivery(r.text(2));
    std::string now = format_timestamp(clock_.now());
    if (!status.ok()) continue;
    auto done = store::in_write_transaction(db_, [&](Connection& tx) -> StatusOr<int64_t> {
      if (status->status == "delivered") {
        return tx.execute(
            "UPDATE messages SET status = 'delivered', delivered_at = $1, checked_at = $1 WHERE id = $2 AND"
            " status = 'sent'",
            {now, id});
      }
      if (status->status == "failed") {
        return tx.execute(
            "UPDATE messages SET status = 'failed', reason = $1, checked_at = $2 WHERE id = $3 AND status = 'sent'",
            {status->reason, now, id});
      }
      return tx.execute("UPDATE messages SET checked_at = $1 WHERE id = $2", {now, id});
    });
    if (done.ok() && status->status != "sending") changed += static_cast<int>(*done);
  }
  return changed;
}

}  // namespace coproduce::messages
