#include "messages/settings.h"

#include <curl/curl.h>

#include <cassert>
#include <cctype>
#include <memory>

#include "core/text.h"
#include "security/audit.h"

namespace coproduce::messages {

using store::Connection;

namespace {

bool is_uuid(const std::string& s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

struct UrlParts {
  std::string scheme, user, password, host, port;
  std::string without_password;  // scheme://[user@]host[:port]
};

// Reads an SMTP or web address with libcurl's own parser, so what is
// accepted here is what curl will connect to.
std::optional<UrlParts> parse_url(const std::string& text) {
  std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> u(curl_url(), curl_url_cleanup);
  if (!u || curl_url_set(u.get(), CURLUPART_URL, text.c_str(), 0) != CURLUE_OK) return std::nullopt;
  auto part = [&](CURLUPart which) {
    char* value = nullptr;
    std::string out;
    if (curl_url_get(u.get(), which, &value, 0) == CURLUE_OK && value != nullptr) out = value;
    curl_free(value);
    return out;
  };
  UrlParts p{part(CURLUPART_SCHEME), part(CURLUPART_USER), part(CURLUPART_PASSWORD), part(CURLUPART_HOST),
             part(CURLUPART_PORT), ""};
  if (p.host.empty()) return std::nullopt;
  p.without_password = p.scheme + "://" + p.host + (p.port.empty() ? "" : ":" + p.port);
  return p;
}

Settings read(const store::Row& r, int64_t org) {
  Settings s;
  s.organisation_id = org;
  s.backend = r.text(0);
  s.smtp_url = r.text(1);
  s.smtp_from = r.text(2);
  s.smtp_user = r.text(3);
  s.smtp_password_stored = !r.text(4).empty();
  s.notify_url = r.text(5);
  s.notify_key_name = r.text(6);
  s.notify_key_stored = !r.text(7).empty();
  s.notify_email_template = r.text(8);
  s.notify_sms_template = r.text(9);
  s.notify_letter_template = r.text(10);
  s.organisation_daily_limit = static_cast<int>(r.integer(11));
  s.recipient_daily_limit = static_cast<int>(r.integer(12));
  s.updated_at = r.text(13);
  s.revision = r.integer(14);
  return s;
}

constexpr const char* kColumns =
    "backend, smtp_url, smtp_from, smtp_user, smtp_password_sealed, notify_url, notify_key_name, notify_key_sealed,"
    " notify_email_template, notify_sms_template, notify_letter_template, organisation_daily_limit,"
    " recipient_daily_limit, updated_at, revision";

std::optional<int> parse_limit(const std::string& text, int fallback) {
  std::string t = trim_copy(text);
  if (t.empty()) return fallback;
  if (t.size() > 7) return std::nullopt;
  for (char c : t)
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
  int v = std::stoi(t);
  if (v < 1) return std::nullopt;
  return v;
}

}  // namespace

bool Settings::sends(const std::string& channel) const {
  if (backend == kSmtp) return channel == "email";
  if (backend != kNotify) return false;
  // Email is always tried: Notify itself says when the template is missing.
  if (channel == "email") return true;
  if (channel == "sms") return !notify_sms_template.empty();
  if (channel == "letter") return !notify_letter_template.empty();
  return false;
}

std::optional<NotifyKey> parse_notify_key(const std::string& key) {
  std::string k = trim_copy(key);
  if (k.size() < 75 || k[k.size() - 37] != '-' || k[k.size() - 74] != '-') return std::nullopt;
  NotifyKey out{k.substr(0, k.size() - 74), k.substr(k.size() - 73, 36), k.substr(k.size() - 36)};
  if (out.name.empty() || !is_uuid(out.service_id) || !is_uuid(out.secret)) return std::nullopt;
  return out;
}

std::vector<FieldError> validate(const SettingsInput& in, const Settings& current) {
  std::vector<FieldError> errors;
  std::string backend = trim_copy(in.backend);
  if (backend != kNotify && backend != kSmtp && !backend.empty()) {
    errors.push_back({"backend", "Choose GOV.UK Notify, an SMTP relay, or none", Problem::kUnknownCode});
  }
  if (backend == kSmtp) {
    std::string url = trim_copy(in.smtp_url);
    auto parts = url.empty() ? std::nullopt : parse_url(url);
    if (url.empty()) {
      errors.push_back({"smtp_url", "Enter the relay's address, like smtp://mail.example.org:587", Problem::kMissing});
    } else if (!parts || (parts->scheme != "smtp" && parts->scheme != "smtps")) {
      errors.push_back({"smtp_url",
                        "Enter the relay's address starting smtp:// (STARTTLS) or smtps:// (TLS from the start), like "
                        "smtp://mail.example.org:587",
                        Problem::kInvalid});
    }
    std::string problem;
    normalise_email(in.smtp_from, &problem);
    if (!problem.empty()) {
      errors.push_back({"smtp_from",
                        trim_copy(in.smtp_from).empty() ? "Enter the address messages come from"
                                                        : "Enter the address messages come from in the correct format, "
                                                          "like involvement@example.org",
                        trim_copy(in.smtp_from).empty() ? Problem::kMissing : Problem::kInvalid});
    }
  }
  if (backend == kNotify) {
    std::string key = trim_copy(in.notify_key);
    if (key.empty() && !current.notify_key_stored) {
      errors.push_back({"notify_key", "Enter the API key from GOV.UK Notify", Problem::kMissing});
    } else if (!key.empty() && !parse_notify_key(key)) {
      errors.push_back({"notify_key",
                        "Enter the whole API key as GOV.UK Notify shows it: its name, then two long codes, joined by "
                        "dashes",
                        Problem::kInvalid});
    }
    std::string url = trim_copy(in.notify_url);
    if (!url.empty()) {
      auto parts = parse_url(url);
      if (!parts || (parts->scheme != "https" && parts->scheme != "http")) {
        errors.push_back({"notify_url", "Enter a web address starting https://", Problem::kInvalid});
      }
    }
    auto check_template = [&](const std::string& field, const std::string& value) {
      if (!trim_copy(value).empty() && !is_uuid(trim_copy(value))) {
        errors.push_back({field, "Enter the template ID as GOV.UK Notify shows it, like "
                                 "f33517ff-2a88-4f6e-b855-c550268ce08a",
                          Problem::kInvalid});
      }
    };
    check_template("notify_email_template", in.notify_email_template);
    check_template("notify_sms_template", in.notify_sms_template);
    check_template("notify_letter_template", in.notify_letter_template);
  }
  if (!parse_limit(in.organisation_daily_limit, 1)) {
    errors.push_back({"organisation_daily_limit", "Enter the most messages a day as a whole number, 1 or more",
                      Problem::kOutOfRange});
  }
  if (!parse_limit(in.recipient_daily_limit, 1)) {
    errors.push_back({"recipient_daily_limit", "Enter the most messages a day to one person as a whole number, 1 or more",
                      Problem::kOutOfRange});
  }
  return errors;
}

StatusOr<Settings> MessageSettings::get(int64_t org) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  return get_in(**c, org);
}

StatusOr<Settings> MessageSettings::get_in(Connection& c, int64_t org) {
  auto rows = c.query(std::string("SELECT ") + kColumns + " FROM message_settings WHERE organisation_id = $1", {org});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) {
    Settings s;
    s.organisation_id = org;
    return s;
  }
  return read(rows->front(), org);
}

Status MessageSettings::save(int64_t org, const SettingsInput& in, const security::SecretBox& box, const Actor& actor,
                             std::vector<FieldError>* problems) {
  return save_with(org, in, &box, actor, problems);
}

Status MessageSettings::save_with(int64_t org, const SettingsInput& in, const security::SecretBox* box,
                                  const Actor& actor, std::vector<FieldError>* problems) {
  auto current = get(org);
  if (!current.ok()) return current.status();
  std::vector<FieldError> errors = validate(in, *current);
  if (problems != nullptr) *problems = errors;
  if (!errors.empty()) {
    Location where;
    where.field = errors.front().field;
    return InvalidInput(errors.front().message, where);
  }
  std::string backend = trim_copy(in.backend);
  std::string smtp_url, smtp_user = trim_copy(in.smtp_user), smtp_password = in.smtp_password;
  if (backend == kSmtp) {
    auto parts = parse_url(trim_copy(in.smtp_url));
    smtp_url = parts->without_password;
    // A user and password written in the address are taken out of it, so the
    // address can be shown and the password is sealed like any other.
    if (!parts->user.empty()) smtp_user = parts->user;
    if (!parts->password.empty()) smtp_password = parts->password;
  }
  std::string notify_key = trim_copy(in.notify_key);
  std::string key_name = current->notify_key_name;
  if (!notify_key.empty()) key_name = parse_notify_key(notify_key)->name;
  std::string notify_url = trim_copy(in.notify_url);
  if (backend == kNotify && notify_url.empty()) notify_url = kDefaultNotifyUrl;
  while (!notify_url.empty() && notify_url.back() == '/') notify_url.pop_back();
  int org_limit = *parse_limit(in.organisation_daily_limit, current->organisation_daily_limit);
  int person_limit = *parse_limit(in.recipient_daily_limit, current->recipient_daily_limit);
  std::string now = format_timestamp(clock_.now());
  return store::in_write_transaction(db_, [&](Connection& c) -> Status {
    auto sealed = c.query(
        "SELECT smtp_password_sealed, notify_key_sealed, revision FROM message_settings WHERE organisation_id = $1",
        {org});
    if (!sealed.ok()) return sealed.status();
    std::string smtp_sealed = sealed->empty() ? "" : sealed->front().text(0);
    std::string notify_sealed = sealed->empty() ? "" : sealed->front().text(1);
    int64_t revision = sealed->empty() ? 1 : sealed->front().integer(2) + 1;
    // save_without_key refused every secret before coming here without a box.
    assert(box != nullptr || (smtp_password.empty() && notify_key.empty()));
    if (!smtp_password.empty()) smtp_sealed = box->seal(smtp_password);
    if (!notify_key.empty()) notify_sealed = box->seal(notify_key);
    auto gone = c.execute("DELETE FROM message_settings WHERE organisation_id = $1", {org});
    if (!gone.ok()) return gone.status();
    auto added = c.execute(
        std::string("INSERT INTO message_settings (organisation_id, ") + kColumns +
            ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
        {org, backend, smtp_url, trim_copy(in.smtp_from), smtp_user, smtp_sealed, notify_url, key_name, notify_sealed,
         trim_copy(in.notify_email_template), trim_copy(in.notify_sms_template),
         trim_copy(in.notify_letter_template), org_limit, person_limit, now, revision});
    if (!added.ok()) return added.status();
    return security::record_audit(c, clock_, {org, actor.user_id, "messages.settings.save", "organisation",
                                              std::to_string(org), actor.address});
  });
}

// --- Saving without COPRODUCE_SECRET_KEY -----------------------------------------

Status MessageSettings::save_without_key(int64_t org, const SettingsInput& in, const std::string& why,
                                         const Actor& actor, std::vector<FieldError>* problems) {
  std::vector<FieldError> refused;
  auto refuse = [&](const char* field, const std::string& what) {
    refused.push_back({field, what + " cannot be stored: " + why, Problem::kInvalid});
  };
  if (!trim_copy(in.notify_key).empty()) refuse("notify_key", "The API key");
  if (auto parts = parse_url(trim_copy(in.smtp_url)); parts && !parts->password.empty()) {
    refuse("smtp_url", "The password in the address");
  }
  if (!in.smtp_password.empty()) refuse("smtp_password", "The password");
  if (refused.empty()) return save_with(org, in, nullptr, actor, problems);
  auto current = get(org);
  if (!current.ok()) return current.status();
  // Every problem at once, in the order validate gives them, a field's own
  // problem before the refusal of what it holds.
  std::vector<FieldError> errors = validate(in, *current);
  for (const auto& r : refused) {
    bool seen = false;
    for (const auto& e : errors) seen = seen || e.field == r.field;
    if (!seen) errors.push_back(r);
  }
  if (problems != nullptr) *problems = errors;
  Location where;
  where.field = errors.front().field;
  return InvalidInput(errors.front().message, where);
}

StatusOr<Secrets> MessageSettings::secrets(int64_t org, const security::SecretBox& box) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  auto rows = (*c)->query(
      "SELECT smtp_password_sealed, notify_key_sealed FROM message_settings WHERE organisation_id = $1", {org});
  if (!rows.ok()) return rows.status();
  Secrets out;
  if (rows->empty()) return out;
  for (int i = 0; i < 2; ++i) {
    std::string sealed = rows->front().text(i);
    if (sealed.empty()) continue;
    auto opened = box.open(sealed);
    if (!opened.ok()) return opened.status();
    (i == 0 ? out.smtp_password : out.notify_key) = *opened;
  }
  return out;
}

}  // namespace coproduce::messages
