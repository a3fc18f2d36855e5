#include "messages/backends.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <ctime>
#include <nlohmann/json.hpp>
#include <vector>

#include "core/text.h"
#include "messages/outbox.h"
#include "security/crypto.h"

namespace coproduce::messages {
namespace {

using json = nlohmann::json;

// One libcurl handle per thread, reset before each request, so a thread's
// requests to one service reuse its connection.
CURL* thread_handle() {
  struct Handle {
    CURL* curl = curl_easy_init();
    ~Handle() { curl_easy_cleanup(curl); }
  };
  thread_local Handle handle;
  curl_easy_reset(handle.curl);
  return handle.curl;
}

size_t collect(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

struct HttpReply {
  CURLcode code = CURLE_OK;
  long status = 0;
  std::string body;
  std::string error;
  bool request_sent = false;  // the request may have reached the service
};

HttpReply http(const std::string& method, const std::string& url, const std::string& token, const std::string& body,
               std::chrono::milliseconds timeout) {
  HttpReply reply;
  CURL* c = thread_handle();
  if (c == nullptr) {
    reply.code = CURLE_FAILED_INIT;
    reply.error = "libcurl could not start";
    return reply;
  }
  char error_buffer[CURL_ERROR_SIZE] = {};
  curl_slist* headers = nullptr;
  std::string auth = "Authorization: Bearer " + token;
  headers = curl_slist_append(headers, auth.c_str());
  headers = curl_slist_append(headers, "Content-Type: application/json");
  headers = curl_slist_append(headers, "Accept: application/json");
  headers = curl_slist_append(headers, "User-Agent: coproduce-notify");
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_PROXY, "");
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::min<long long>(timeout.count(), 10000)));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &reply.body);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_buffer);
  if (method == "POST") {
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  reply.code = curl_easy_perform(c);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply.status);
  curl_off_t uploaded = 0;
  curl_easy_getinfo(c, CURLINFO_SIZE_UPLOAD_T, &uploaded);
  long connected = 0;
  curl_easy_getinfo(c, CURLINFO_CONNECT_TIME_T, &connected);
  // Anything past connecting may have reached the service.
  reply.request_sent = reply.code == CURLE_OK || uploaded > 0 || reply.code == CURLE_OPERATION_TIMEDOUT ||
                       reply.code == CURLE_RECV_ERROR || reply.code == CURLE_GOT_NOTHING;
  reply.error = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(reply.code);
  curl_slist_free_all(headers);
  return reply;
}

// The first error message in a Notify error body, or "" when there is none.
std::string notify_error(const std::string& body) {
  json j = json::parse(body, nullptr, false);
  if (j.is_object() && j.contains("errors") && j["errors"].is_array() && !j["errors"].empty()) {
    const json& e = j["errors"][0];
    if (e.is_object() && e.contains("message") && e["message"].is_string()) return e["message"].get<std::string>();
  }
  return "";
}

// Postal address lines as Notify wants them: the person's name first, up to
// seven in all, the postcode last.
json address_lines(const std::string& name, const std::string& address) {
  std::vector<std::string> lines;
  if (!trim_copy(name).empty()) lines.push_back(trim_copy(name));
  for (auto& l : postal_lines(address, lines.empty() ? 7 : 6)) lines.push_back(std::move(l));
  json out = json::object();
  for (size_t i = 0; i < lines.size(); ++i) out["address_line_" + std::to_string(i + 1)] = lines[i];
  return out;
}

class NotifyBackend : public Backend {
 public:
  NotifyBackend(const Settings& s, NotifyKey key, std::chrono::milliseconds timeout)
      : settings_(s), key_(std::move(key)), timeout_(timeout) {}

  Delivery send(const Envelope& e) override {
    json body;
    std::string path;
    if (e.channel == "email" && settings_.notify_email_template.empty()) {
      Delivery d;
      d.outcome = Delivery::Outcome::kPermanent;
      d.reason = "Not sent: no GOV.UK Notify email template ID is set. Add it in Messages settings, then send it again.";
      return d;
    }
    if (e.channel == "email") {
      path = "/v2/notifications/email";
      body = {{"email_address", e.to},
              {"template_id", settings_.notify_email_template},
              {"personalisation", {{"subject", e.subject}, {"body", e.body}}}};
    } else if (e.channel == "sms") {
      path = "/v2/notifications/sms";
      body = {{"phone_number", e.to},
              {"template_id", settings_.notify_sms_template},
              {"personalisation", {{"body", e.body}}}};
    } else {
      path = "/v2/notifications/letter";
      json personal = address_lines(e.name, e.to);
      personal["subject"] = e.subject;
      personal["body"] = e.body;
      personal["large_print"] = e.large_print ? "yes" : "no";
      body = {{"template_id", settings_.notify_letter_template}, {"personalisation", personal}};
    }
    body["reference"] = e.reference;
    HttpReply r = http("POST", settings_.notify_url + path, token(), body.dump(), timeout_);
    Delivery d;
    if (r.code != CURLE_OK) {
      d.outcome = Delivery::Outcome::kTemporary;
      d.in_doubt = r.request_sent;
      d.reason = "GOV.UK Notify did not answer (" + r.error + ")";
      return d;
    }
    if (r.status == 201 || r.status == 200) {
      json j = json::parse(r.body, nullptr, false);
      d.outcome = Delivery::Outcome::kSent;
      if (j.is_object() && j.contains("id") && j["id"].is_string()) d.provider_id = j["id"].get<std::string>();
      return d;
    }
    std::string said = notify_error(r.body);
    d.reason = "GOV.UK Notify answered " + std::to_string(r.status) + (said.empty() ? "" : ": " + said);
    d.outcome = r.status == 429 || r.status >= 500 ? Delivery::Outcome::kTemporary : Delivery::Outcome::kPermanent;
    d.in_doubt = r.status >= 500;
    return d;
  }

  bool can_look_up() const override { return true; }

  StatusOr<std::optional<std::string>> look_up(const std::string& reference) override {
    char* escaped = curl_easy_escape(nullptr, reference.c_str(), static_cast<int>(reference.size()));
    std::string url = settings_.notify_url + "/v2/notifications?reference=" + (escaped ? escaped : "");
    curl_free(escaped);
    HttpReply r = http("GET", url, token(), "", timeout_);
    if (r.code != CURLE_OK || r.status != 200) {
      return Unavailable("GOV.UK Notify could not be asked about a message (" +
                         (r.code != CURLE_OK ? r.error : "it answered " + std::to_string(r.status)) + ")");
    }
    json j = json::parse(r.body, nullptr, false);
    if (!j.is_object() || !j.contains("notifications") || !j["notifications"].is_array()) {
      return Unavailable("GOV.UK Notify's answer about a message could not be read");
    }
    for (const json& n : j["notifications"]) {
      if (n.is_object() && n.value("reference", "") == reference && n.contains("id") && n["id"].is_string())
        return std::optional<std::string>(n["id"].get<std::string>());
    }
    return std::optional<std::string>();
  }

  bool reports_delivery() const override { return true; }

  StatusOr<DeliveryStatus> delivery(const std::string& provider_id) override {
    HttpReply r = http("GET", settings_.notify_url + "/v2/notifications/" + provider_id, token(), "", timeout_);
    if (r.code != CURLE_OK || r.status != 200) {
      return Unavailable("GOV.UK Notify could not be asked about delivery (" +
                         (r.code != CURLE_OK ? r.error : "it answered " + std::to_string(r.status)) + ")");
    }
    json j = json::parse(r.body, nullptr, false);
    std::string s = j.is_object() ? j.value("status", "") : "";
    // Notify's statuses: created, sending, pending, delivered, sent (abroad),
    // permanent-failure, temporary-failure, technical-failure; letters
    // accepted, received, cancelled, validation-failed.
    if (s == "delivered" || s == "received" || s == "sent") return DeliveryStatus{"delivered", ""};
    if (s == "permanent-failure") {
      return DeliveryStatus{"failed", "Not delivered: the address or number does not exist. Check it with the person."};
    }
    if (s == "temporary-failure") {
      return DeliveryStatus{"failed",
                            "Not delivered: the inbox was full or the phone was off for 72 hours. Try again later."};
    }
    if (s == "technical-failure" || s == "validation-failed" || s == "cancelled") {
      return DeliveryStatus{"failed", "Not delivered: GOV.UK Notify could not send it (" + s + ")."};
    }
    return DeliveryStatus{"sending", ""};
  }

 private:
  std::string token() const { return notify_token(key_, static_cast<long long>(std::time(nullptr))); }

  Settings settings_;
  NotifyKey key_;
  std::chrono::milliseconds timeout_;
};

struct Upload {
  const std::string* text;
  size_t at = 0;
};

size_t feed(char* out, size_t size, size_t count, void* data) {
  auto* u = static_cast<Upload*>(data);
  size_t n = std::min(size * count, u->text->size() - u->at);
  std::memcpy(out, u->text->data() + u->at, n);
  u->at += n;
  return n;
}

bool loopback(const std::string& url) {
  for (const char* host : {"://127.", "://localhost", "://[::1]"})
    if (url.find(host) != std::string::npos) return true;
  return false;
}

std::string rfc5322_date() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buf;
}

class SmtpBackend : public Backend {
 public:
  SmtpBackend(const Settings& s, std::string password, std::chrono::milliseconds timeout)
      : settings_(s), password_(std::move(password)), timeout_(timeout) {}

  Delivery send(const Envelope& e) override {
    Delivery d;
    if (e.channel != "email") {
      d.outcome = Delivery::Outcome::kPermanent;
      d.reason = "An SMTP relay sends email only";
      return d;
    }
    // A Message-ID may not hold colons: the key's colons become dots.
    std::string id = e.reference;
    std::replace(id.begin(), id.end(), ':', '.');
    std::string message_id = "<" + id + "@coproduce>";
    std::string text = smtp_message(settings_.smtp_from, e, message_id, rfc5322_date());
    CURL* c = thread_handle();
    char error_buffer[CURL_ERROR_SIZE] = {};
    std::string from = "<" + settings_.smtp_from + ">";
    std::string to = "<" + e.to + ">";
    curl_slist* rcpt = curl_slist_append(nullptr, to.c_str());
    Upload upload{&text};
    curl_easy_setopt(c, CURLOPT_URL, settings_.smtp_url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    // STARTTLS is required except to a relay on this machine.
    curl_easy_setopt(c, CURLOPT_USE_SSL, loopback(settings_.smtp_url) ? CURLUSESSL_TRY : CURLUSESSL_ALL);
    if (!settings_.smtp_user.empty()) {
      curl_easy_setopt(c, CURLOPT_USERNAME, settings_.smtp_user.c_str());
      curl_easy_setopt(c, CURLOPT_PASSWORD, password_.c_str());
    }
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, feed);
    curl_easy_setopt(c, CURLOPT_READDATA, &upload);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_.count()));
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::min<long long>(timeout_.count(), 10000)));
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_buffer);
    CURLcode code = curl_easy_perform(c);
    long reply = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply);
    curl_slist_free_all(rcpt);
    if (code == CURLE_OK) {
      d.outcome = Delivery::Outcome::kSent;
      d.provider_id = message_id;
      return d;
    }
    std::string what = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code);
    if (code == CURLE_LOGIN_DENIED) {
      d.outcome = Delivery::Outcome::kPermanent;
      d.reason = "The mail relay refused the user name or password (" + what + "). Check them in Messages settings.";
    } else if (reply >= 500 && reply < 600) {
      d.outcome = Delivery::Outcome::kPermanent;
      d.reason = "The mail relay refused it with code " + std::to_string(reply) + " (" + what + ")";
    } else {
      d.outcome = Delivery::Outcome::kTemporary;
      d.reason = reply >= 400 ? "The mail relay asked to try later (code " + std::to_string(reply) + ")"
                              : "The mail relay did not answer (" + what + ")";
      d.in_doubt = upload.at > 0;
    }
    return d;
  }

 private:
  Settings settings_;
  std::string password_;
  std::chrono::milliseconds timeout_;
};

// An RFC 2047 encoded word when `text` is not plain ASCII.
std::string header_text(const std::string& text) {
  bool ascii = true;
  for (unsigned char ch : text) ascii = ascii && ch >= 32 && ch < 127;
  if (ascii) return text;
  return "=?UTF-8?B?" + security::base64(text) + "?=";
}

// A name for a To header: encoded when not ASCII, else quoted, so commas
// and brackets in it are not read as addresses.
std::string display_name(const std::string& name) {
  std::string encoded = header_text(name);
  if (encoded != name) return encoded;
  std::string quoted = "\"";
  for (char ch : name) {
    if (ch == '"' || ch == '\\') quoted += '\\';
    quoted += ch;
  }
  return quoted + "\"";
}

}  // namespace

std::unique_ptr<Backend> make_backend(const Settings& settings, const Secrets& secrets,
                                      std::chrono::milliseconds timeout) {
  if (settings.backend == kSmtp) return std::make_unique<SmtpBackend>(settings, secrets.smtp_password, timeout);
  if (settings.backend == kNotify) {
    auto key = parse_notify_key(secrets.notify_key);
    if (!key) return nullptr;
    return std::make_unique<NotifyBackend>(settings, *key, timeout);
  }
  return nullptr;
}

std::string notify_token(const NotifyKey& key, long long issued_at) {
  std::string header = security::base64url(R"({"typ":"JWT","alg":"HS256"})");
  std::string claims = security::base64url(json{{"iss", key.service_id}, {"iat", issued_at}}.dump());
  std::string signing_input = header + "." + claims;
  return signing_input + "." + security::base64url(security::hmac_sha256(key.secret, signing_input));
}

std::string smtp_message(const std::string& from, const Envelope& e, const std::string& message_id,
                         const std::string& date) {
  std::string out;
  out += "Date: " + date + "\r\n";
  out += "From: " + from + "\r\n";
  out += "To: " + (e.name.empty() ? e.to : display_name(e.name) + " <" + e.to + ">") + "\r\n";
  out += "Subject: " + header_text(e.subject) + "\r\n";
  out += "Message-ID: " + message_id + "\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: text/plain; charset=UTF-8\r\n";
  out += "Content-Transfer-Encoding: base64\r\n";
  out += "\r\n";
  std::string crlf;
  for (char ch : e.body) {
    if (ch == '\n') crlf += '\r';
    crlf += ch;
  }
  std::string encoded = security::base64(crlf);
  for (size_t i = 0; i < encoded.size(); i += 76) out += encoded.substr(i, 76) + "\r\n";
  return out;
}

}  // namespace coproduce::messages
