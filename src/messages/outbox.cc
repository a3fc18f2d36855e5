#include "messages/outbox.h"

#include <algorithm>

#include "core/text.h"
#include "messages/settings.h"
#include "messages/templates.h"
#include "security/audit.h"
#include "security/crypto.h"

namespace coproduce::messages {

using store::Connection;

const char* const kMessageColumns =
    "id, organisation_id, kind, channel, version, large_print, person_id, user_id, recipient, recipient_name,"
    " subject, body, about_type, about_id, idempotency_key, status, reason, attempts, next_attempt_at, in_doubt,"
    " backend, provider_id, created_at, sent_at, delivered_at, language";

Message read_message(const store::Row& r) {
  Message m;
  m.id = r.integer(0);
  m.organisation_id = r.integer(1);
  m.kind = r.text(2);
  m.channel = r.text(3);
  m.version = r.text(4);
  m.large_print = r.integer(5) != 0;
  if (!r.is_null(6)) m.person_id = r.integer(6);
  if (!r.is_null(7)) m.user_id = r.integer(7);
  m.recipient = r.text(8);
  m.recipient_name = r.text(9);
  m.subject = r.text(10);
  m.body = r.text(11);
  m.about_type = r.text(12);
  m.about_id = r.integer(13);
  m.key = r.text(14);
  m.status = r.text(15);
  m.reason = r.text(16);
  m.attempts = static_cast<int>(r.integer(17));
  m.next_attempt_at = r.text(18);
  m.in_doubt = r.integer(19) != 0;
  m.backend = r.text(20);
  m.provider_id = r.text(21);
  m.created_at = r.text(22);
  m.sent_at = r.text(23);
  m.delivered_at = r.text(24);
  m.language = r.text(25);
  return m;
}

namespace {

const std::vector<std::pair<std::string, std::string>>& statuses() {
  static const std::vector<std::pair<std::string, std::string>> all = {
      {"queued", "Waiting to send"}, {"sending", "Sending"},   {"sent", "Sent"},
      {"delivered", "Delivered"},    {"failed", "Not sent"},   {"to_call", "To call"},
      {"called", "Called"},          {"to_print", "To print and post"}, {"printed", "Posted"}};
  return all;
}

bool has(const std::vector<std::string>& list, const std::string& code) {
  return std::find(list.begin(), list.end(), code) != list.end();
}

// Today's counts for the organisation and for one recipient (by digest).
StatusOr<std::pair<int64_t, int64_t>> today(Connection& c, int64_t org, const std::string& day,
                                            const std::string& who) {
  auto rows = c.query(
      "SELECT recipient, sent FROM message_counts WHERE organisation_id = $1 AND day = $2 AND recipient IN ('', $3)",
      {org, day, who});
  if (!rows.ok()) return rows.status();
  std::pair<int64_t, int64_t> out{0, 0};
  for (const auto& r : *rows) (r.text(0).empty() ? out.first : out.second) = r.integer(1);
  return out;
}

// Counts one more message today for the organisation and the recipient.
Status count_one(Connection& c, int64_t org, const std::string& day, const std::string& who) {
  for (const std::string& recipient : {std::string(), who}) {
    auto n = c.execute(
        "INSERT INTO message_counts (organisation_id, day, recipient, sent) VALUES ($1, $2, $3, 1)"
        " ON CONFLICT (organisation_id, day, recipient) DO UPDATE SET sent = message_counts.sent + 1",
        {org, day, recipient});
    if (!n.ok()) return n.status();
  }
  return Status::Ok();
}

}  // namespace

bool is_status(const std::string& status) {
  for (const auto& [code, label] : statuses())
    if (code == status) return true;
  return false;
}

std::string status_label(const std::string& status) {
  for (const auto& [code, label] : statuses())
    if (code == status) return label;
  return status;
}

std::string channel_label(const std::string& channel) {
  if (channel == kEmail) return "Email";
  if (channel == kSms) return "Text message";
  if (channel == kLetter) return "Letter";
  if (channel == kPhone) return "Phone call";
  return channel;
}

std::vector<std::string> postal_lines(const std::string& address, size_t most) {
  std::vector<std::string> lines;
  std::string line;
  for (char ch : address + "\n") {
    if (ch == '\n' || ch == ',') {
      std::string t = trim_copy(line);
      if (!t.empty()) lines.push_back(t);
      line.clear();
    } else {
      line += ch;
    }
  }
  if (most >= 2 && lines.size() > most) {
    std::string middle;
    for (size_t i = most - 2; i + 1 < lines.size(); ++i) middle += (middle.empty() ? "" : ", ") + lines[i];
    std::string last = lines.back();
    lines.resize(most - 2);
    lines.push_back(middle);
    lines.push_back(last);
  }
  return lines;
}

std::string language_of(const involvement::PersonDetails& d) {
  return has(d.formats, "welsh") && is_message_language("cy") ? "cy" : "en";
}

std::optional<Recipient> recipient_for(const involvement::Person& person) {
  const involvement::PersonDetails& d = person.details;
  Recipient r;
  r.person_id = person.id;
  r.name = d.name;
  r.version = has(d.formats, "easy_read") ? kEasyRead : kPlain;
  r.language = language_of(d);
  r.large_print = has(d.formats, "large_print");
  auto postal = [&] {
    std::string a = trim_copy(d.address);
    if (!d.postcode.empty() && a.find(d.postcode) == std::string::npos) a += "\n" + d.postcode;
    return a;
  };
  std::string choice = d.contact_by;
  if (choice.empty()) choice = !d.email.empty() ? "email" : !d.phone.empty() ? "phone" : !d.address.empty() ? "post" : "";
  if (choice == "email" && !d.email.empty()) {
    r.channel = kEmail;
    r.address = d.email;
  } else if (choice == "text" && !normalise_uk_mobile(d.phone).empty()) {
    r.channel = kSms;
    r.address = normalise_uk_mobile(d.phone);
  } else if (choice == "post" && !d.address.empty()) {
    r.channel = kLetter;
    r.address = postal();
  } else if ((choice == "phone" || choice == "text") && !d.phone.empty()) {
    r.channel = kPhone;
    r.address = d.phone;
  } else {
    return std::nullopt;
  }
  return r;
}

StatusOr<Queued> Outbox::queue(int64_t org, const Outgoing& out) {
  return store::in_write_transaction(db_, [&](Connection& c) { return queue_in(c, org, out); });
}

StatusOr<bool> Outbox::queued_before(Connection& c, int64_t org, const std::string& key) {
  auto rows = c.query("SELECT 1 FROM messages WHERE idempotency_key = $1", {std::to_string(org) + ":" + key});
  if (!rows.ok()) return rows.status();
  return !rows->empty();
}

StatusOr<Queued> Outbox::queue_in(Connection& c, int64_t org, const Outgoing& out) {
  const Kind* kind = find_kind(out.kind);
  if (kind == nullptr) return InvalidInput("'" + out.kind + "' is not a kind of message");
  std::string key = std::to_string(org) + ":" + out.key;
  auto existing = c.query("SELECT id, status, reason FROM messages WHERE idempotency_key = $1", {key});
  if (!existing.ok()) return existing.status();
  if (!existing->empty()) {
    const auto& r = existing->front();
    return Queued{r.integer(0), r.text(1), r.text(2), false};
  }
  Templates templates(db_, clock_);
  std::string version = is_version(out.to.version) ? out.to.version : kPlain;
  std::string language = is_message_language(out.to.language) ? out.to.language : "en";
  auto wording = templates.get_in(c, org, out.kind, version, language);
  if (!wording.ok()) return wording.status();
  std::string subject = render(wording->subject, out.values);
  std::string body = render(wording->body, out.values);

  auto settings = MessageSettings(db_, clock_).get_in(c, org);
  if (!settings.ok()) return settings.status();
  TimePoint now = clock_.now();
  std::string stamp = format_timestamp(now);
  std::string day = stamp.substr(0, 10);

  std::string status = "queued";
  std::string reason;
  const std::string& channel = out.to.channel;
  if (!out.consent && !kind->owed) {
    status = "failed";
    reason = "Not sent: this person has not given consent to be contacted, or has withdrawn it.";
  } else if (channel == kPhone) {
    status = "to_call";
  } else if (channel == kLetter && !settings->sends(kLetter)) {
    status = "to_print";
  } else if (!settings->sends(channel)) {
    status = "failed";
    reason = settings->backend.empty()
                 ? "Not sent: no way of sending messages is set up. An administrator can set one up in Messages "
                   "settings, then send it again."
                 : "Not sent: the way of sending messages set up cannot send a " + channel_label(channel) +
                       ". An administrator can add it in Messages settings, then send it again.";
  }
  if (status == "queued" || status == "to_print") {
    // Daily limits: what went on its way today, kept as running counts.
    std::string who = security::token_digest(out.to.address);
    auto counts = today(c, org, day, who);
    if (!counts.ok()) return counts.status();
    if (counts->first >= settings->organisation_daily_limit) {
      status = "failed";
      reason = "Not sent: today's limit of " + std::to_string(settings->organisation_daily_limit) +
               " messages for the organisation was reached. Send it again tomorrow, or raise the limit.";
    } else if (counts->second >= settings->recipient_daily_limit) {
      status = "failed";
      reason = "Not sent: this person has already been sent " + std::to_string(settings->recipient_daily_limit) +
               " messages today, the most allowed. Send it again tomorrow.";
    } else if (Status s = count_one(c, org, day, who); !s.ok()) {
      return s;
    }
  }
  auto added = c.query(
      "INSERT INTO messages (organisation_id, kind, channel, version, large_print, person_id, user_id, recipient,"
      " recipient_name, subject, body, secret, about_type, about_id, idempotency_key, status, reason,"
      " next_attempt_at, day, created_at, language)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)"
      " ON CONFLICT (idempotency_key) DO NOTHING RETURNING id",
      {org, out.kind, channel, version, out.to.large_print ? 1 : 0, out.to.person_id, out.to.user_id,
       out.to.address, out.to.name, subject, body, kind->secret ? 1 : 0, out.about_type, out.about_id, key, status,
       reason, stamp, day, stamp, language});
  if (!added.ok()) return added.status();
  if (added->empty()) return Internal("a message was queued twice at once");
  return Queued{added->front().integer(0), status, reason, true};
}

StatusOr<Message> Outbox::get(int64_t org, int64_t id) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  auto rows = (*c)->query(std::string("SELECT ") + kMessageColumns +
                              " FROM messages WHERE id = $1 AND organisation_id = $2",
                          {id, org});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return NotFound("there is no such message");
  return read_message(rows->front());
}

StatusOr<std::vector<Message>> Outbox::list(int64_t org, const OutboxQuery& q) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  std::string sql = std::string("SELECT ") + kMessageColumns + " FROM messages WHERE organisation_id = $1";
  std::vector<store::Value> params{org};
  if (!q.about_type.empty()) {
    params.push_back(q.about_type);
    sql += " AND about_type = $" + std::to_string(params.size());
    params.push_back(q.about_id);
    sql += " AND about_id = $" + std::to_string(params.size());
  }
  if (q.person_id) {
    params.push_back(*q.person_id);
    sql += " AND person_id = $" + std::to_string(params.size());
  }
  if (!q.statuses.empty()) {
    sql += " AND status IN (";
    for (size_t i = 0; i < q.statuses.size(); ++i) {
      params.push_back(q.statuses[i]);
      sql += (i ? ", $" : "$") + std::to_string(params.size());
    }
    sql += ")";
  }
  params.push_back(std::clamp(q.limit, 1, 5000));
  sql += " ORDER BY id DESC LIMIT $" + std::to_string(params.size());
  auto rows = (*c)->query(sql, params);
  if (!rows.ok()) return rows.status();
  std::vector<Message> out;
  out.reserve(rows->size());
  for (const auto& r : *rows) out.push_back(read_message(r));
  return out;
}

StatusOr<StatusCounts> Outbox::counts(int64_t org, const std::string& about_type, int64_t about_id) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  auto rows = (*c)->query(
      "SELECT status, COUNT(*) FROM messages WHERE organisation_id = $1 AND about_type = $2 AND about_id = $3"
      " GROUP BY status",
      {org, about_type, about_id});
  if (!rows.ok()) return rows.status();
  StatusCounts out;
  for (const auto& r : *rows) out[r.text(0)] = static_cast<int>(r.integer(1));
  return out;
}

Status Outbox::mark_done(int64_t org, int64_t id, const Actor& actor) {
  std::string now = format_timestamp(clock_.now());
  return store::in_write_transaction(db_, [&](Connection& c) -> Status {
    auto done = c.execute(
        "UPDATE messages SET status = CASE status WHEN 'to_call' THEN 'called' ELSE 'printed' END, sent_at = $1"
        " WHERE id = $2 AND organisation_id = $3 AND status IN ('to_call', 'to_print')",
        {now, id, org});
    if (!done.ok()) return done.status();
    if (*done == 0) return Conflict("this message is not waiting for a call or a letter");
    return security::record_audit(c, clock_, {org, actor.user_id, "messages.done", "message", std::to_string(id),
                                              actor.address});
  });
}

Status Outbox::retry(int64_t org, int64_t id, const Actor& actor) {
  std::string now = format_timestamp(clock_.now());
  return store::in_write_transaction(db_, [&](Connection& c) -> Status {
    auto settings = MessageSettings(db_, clock_).get_in(c, org);
    if (!settings.ok()) return settings.status();
    auto row = c.query("SELECT channel, status FROM messages WHERE id = $1 AND organisation_id = $2", {id, org});
    if (!row.ok()) return row.status();
    if (row->empty()) return NotFound("there is no such message");
    if (row->front().text(1) != "failed") return Conflict("only a message that was not sent can be sent again");
    std::string channel = row->front().text(0);
    if (!settings->sends(channel)) {
      return Conflict("the way of sending messages set up cannot send a " + channel_label(channel) +
                      "; set one up in Messages settings first");
    }
    auto again = c.execute(
        "UPDATE messages SET status = 'queued', reason = '', attempts = 0, next_attempt_at = $1, day = $2"
        " WHERE id = $3 AND organisation_id = $4 AND status = 'failed'",
        {now, now.substr(0, 10), id, org});
    if (!again.ok()) return again.status();
    if (*again == 0) return Conflict("only a message that was not sent can be sent again");
    // Sent again counts towards today's limits too.
    auto address = c.query_one("SELECT recipient FROM messages WHERE id = $1", {id});
    if (!address.ok()) return address.status();
    if (Status s = count_one(c, org, now.substr(0, 10), security::token_digest(address->text(0))); !s.ok()) return s;
    return security::record_audit(c, clock_, {org, actor.user_id, "messages.retry", "message", std::to_string(id),
                                              actor.address});
  });
}

// --- For the pages that show messages -----------------------------------------------

Status Outbox::record_read(int64_t org, const std::string& subject_type, const std::string& subject_id,
                           const Actor& actor) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  return security::record_audit(**c, clock_, {org, actor.user_id, "messages.read", subject_type, subject_id,
                                              actor.address});
}

}  // namespace coproduce::messages
