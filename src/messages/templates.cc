#include "messages/templates.h"

#include <algorithm>

#include "core/text.h"
#include "core/translatable.h"
#include "i18n/catalogue.h"
#include "security/audit.h"

namespace coproduce::messages {

using store::Connection;

namespace {

constexpr size_t kMaxSubject = 200;

// The audit record of a wording: kind/version, with /language when not English.
std::string template_record(const std::string& kind, const std::string& version, const std::string& language) {
  return kind + "/" + version + (language == "en" ? "" : "/" + language);
}
constexpr size_t kMaxBody = 5000;

const Placeholder kName{"name", "the person's name", "Sam Taylor"};
const Placeholder kOrganisation{"organisation", "your organisation's name", "Riverside Council"};
const Placeholder kActivity{"activity", "the activity's title", "Carers' forum"};
const Placeholder kGroup{"group", "the group's name", "Carers' voice group"};
const Placeholder kWhen{"when", "the day and time", "Tuesday 3 March 2026 at 10:30am"};
const Placeholder kWhere{"where", "the place, or 'Online'", "Riverside Library, Mill Lane"};
const Placeholder kJoin{"joining_link", "the link to join online, when there is one", "https://meet.example.org/forum"};
const Placeholder kAccess{"access", "the access arrangements agreed with the person",
                          "Step-free access. A quiet space."};
const Placeholder kExpenses{"expenses", "how to claim expenses and payment",
                            "We pay for your time and travel. Keep your tickets and tell us on the day."};
const Placeholder kMessage{"message", "what the lead wrote for this activity (its Easy Read words in Easy Read)",
                           "We will talk about the new carers' centre."};
const Placeholder kChange{"what_changed", "what is different now", "It now starts at 11am."};
const Placeholder kReplyLink{"reply_link", "the person's own link to say yes or no",
                             "https://coproduce.example.org/offers/abc"};
const Placeholder kReplyBy{"reply_by", "the day to reply by", "Friday 6 March 2026"};
const Placeholder kSurvey{"survey", "the survey's title", "Carers' voice survey"};
const Placeholder kLink{"link", "the person's own link", "https://coproduce.example.org/s/abc"};
const Placeholder kCloses{"closes", "the last day to answer", "Friday 20 March 2026"};
const Placeholder kExpires{"expires", "when the link stops working", "in 72 hours"};
const Placeholder kModule{"module", "the learning module's title", "What co-production means"};
const Placeholder kDue{"due", "the day it is due", "Monday 30 March 2026"};
const Placeholder kAmount{"amount", "the amount paid, in pounds", "£45.00"};
const Placeholder kPaidFor{"paid_for", "what the payment is for", "the meeting on 3 March"};

std::vector<Kind> make_kinds() {
  return {
      {"activity_invitation", "Invitation to an activity", "When a lead invites a group's members to an activity.",
       {kName, kOrganisation, kActivity, kGroup, kWhen, kWhere, kJoin, kAccess, kExpenses, kMessage}},
      {"activity_reminder", "Reminder before an activity",
       "Two days before an activity, to everyone invited who has not said they cannot come.",
       {kName, kOrganisation, kActivity, kWhen, kWhere, kJoin, kAccess, kExpenses}},
      {"activity_changed", "An activity has changed", "When the day, time or place of an activity changes.",
       {kName, kOrganisation, kActivity, kWhen, kWhere, kChange}},
      {"activity_cancelled", "An activity is cancelled", "When a lead cancels an activity.",
       {kName, kOrganisation, kActivity, kWhen}},
      {"place_offer", "A place offered", "After a fair draw, and to a replacement when someone says no.",
       {kName, kOrganisation, kGroup, kReplyLink, kReplyBy}, true},
      {"survey_invitation", "Invitation to a survey",
       "To people in the pool who agreed to be asked about surveys, each with a link of their own.",
       {kName, kOrganisation, kSurvey, kLink, kCloses}, true},
      {"account_link", "A link to set up an account", "When an administrator adds a user or a lead adds a learner.",
       {kName, kOrganisation, kLink, kExpires}, true},
      {"password_reset", "A link to choose a new password", "When a user asks to reset their password.",
       {kName, kOrganisation, kLink, kExpires}, true},
      {"learning_due", "Learning due soon", "A week before a learning module is due.",
       {kName, kOrganisation, kModule, kDue, kLink}},
      {"learning_overdue", "Learning overdue", "The day after a learning module was due.",
       {kName, kOrganisation, kModule, kDue, kLink}},
      {"payment_made", "A payment made", "When a payment is marked as paid.",
       {kName, kOrganisation, kAmount, kPaidFor}, false, true},
      {"test", "A test message", "When an administrator checks that sending works.", {kOrganisation}},
  };
}

struct Wording {
  const char* subject;
  const char* body;
};

// The shipped wording: plain, then Easy Read (short sentences, one idea
// each, everyday words).
std::pair<Wording, Wording> shipped(const std::string& kind) {
  if (kind == "activity_invitation") {
    return {{N_("Invitation: ((activity)), ((when))"),
             N_("Dear ((name)),\n\nYou are invited to ((activity)) with ((group)).\n\n((message))\n\nWhen: ((when))\nWhere: "
             "((where))\n((joining_link))\n\nWhat we have arranged for you: ((access))\n\nPayment and expenses: "
             "((expenses))\n\nPlease tell us if you can come. If you need anything else to take part, tell us and we "
             "will arrange it.\n\n((organisation))")},
            {N_("You are invited: ((activity))"),
             N_("Hello ((name)),\n\nWe would like you to come to a meeting.\n\n((message))\n\nIt is called ((activity)).\n\nIt is on "
             "((when)).\n\nIt is at ((where)).\n((joining_link))\n\nWe have arranged: ((access))\n\nMoney: "
             "((expenses))\n\nPlease tell us if you can come.\n\nFrom ((organisation))")}};
  }
  if (kind == "activity_reminder") {
    return {{N_("Reminder: ((activity)), ((when))"),
             N_("Dear ((name)),\n\nA reminder that ((activity)) is on ((when)).\n\nWhere: ((where))\n((joining_link))\n\n"
             "What we have arranged for you: ((access))\n\nPayment and expenses: ((expenses))\n\nIf you can no longer "
             "come, please tell us.\n\n((organisation))")},
            {N_("Reminder: ((activity))"),
             N_("Hello ((name)),\n\nThis is a reminder.\n\nThe meeting ((activity)) is on ((when)).\n\nIt is at "
             "((where)).\n((joining_link))\n\nWe have arranged: ((access))\n\nMoney: ((expenses))\n\nIf you cannot "
             "come, please tell us.\n\nFrom ((organisation))")}};
  }
  if (kind == "activity_changed") {
    return {{N_("Changed: ((activity))"),
             N_("Dear ((name)),\n\n((activity)) has changed. ((what_changed))\n\nWhen: ((when))\nWhere: ((where))\n\n"
             "If you can no longer come, please tell us.\n\n((organisation))")},
            {N_("Something has changed: ((activity))"),
             N_("Hello ((name)),\n\nThe meeting ((activity)) has changed.\n\n((what_changed))\n\nIt is now on "
             "((when)).\n\nIt is at ((where)).\n\nIf you cannot come, please tell us.\n\nFrom ((organisation))")}};
  }
  if (kind == "activity_cancelled") {
    return {{N_("Cancelled: ((activity)), ((when))"),
             N_("Dear ((name)),\n\nWe are sorry: ((activity)) on ((when)) is cancelled. We will tell you about the next "
             "one.\n\n((organisation))")},
            {N_("Cancelled: ((activity))"),
             N_("Hello ((name)),\n\nThe meeting ((activity)) on ((when)) is not happening.\n\nWe are sorry.\n\nWe will "
             "tell you about the next meeting.\n\nFrom ((organisation))")}};
  }
  if (kind == "place_offer") {
    return {{N_("A place for you on ((group))"),
             N_("Dear ((name)),\n\nThank you for joining our involvement pool. People are chosen for ((group)) by a fair "
             "draw, and you have been offered a place.\n\nPlease say yes or no by ((reply_by)) using your own link:\n"
             "((reply_link))\n\n((organisation))")},
            {N_("You can join ((group))"),
             N_("Hello ((name)),\n\nWe picked names fairly, like a raffle.\n\nYour name was picked for ((group)).\n\n"
             "Do you want to join? Please tell us by ((reply_by)).\n\nUse this link to say yes or no:\n"
             "((reply_link))\n\nFrom ((organisation))")}};
  }
  if (kind == "survey_invitation") {
    return {{N_("Tell us what you think: ((survey))"),
             N_("Dear ((name)),\n\nYou told us you are happy to answer surveys. Please answer ((survey)) by ((closes)) "
             "using your own link:\n((link))\n\n((organisation))")},
            {N_("Tell us what you think"),
             N_("Hello ((name)),\n\nWe want to know what you think.\n\nPlease answer some questions. They are called "
             "((survey)).\n\nPlease answer by ((closes)).\n\nUse this link:\n((link))\n\nFrom ((organisation))")}};
  }
  if (kind == "account_link") {
    return {{N_("Your Coproduce account at ((organisation))"),
             N_("Dear ((name)),\n\nAn account has been made for you. Use this link to choose your password:\n((link))\n\n"
             "The link works once and stops working ((expires)). If you did not expect this, you can ignore it.\n\n"
             "((organisation))")},
            {N_("Your account"),
             N_("Hello ((name)),\n\nWe have made an account for you.\n\nUse this link to choose a password:\n((link))\n\n"
             "The link works one time only. It stops working ((expires)).\n\nFrom ((organisation))")}};
  }
  if (kind == "password_reset") {
    return {{N_("Choose a new password"),
             N_("Dear ((name)),\n\nSomeone asked to reset the password of your account. Use this link to choose a new "
             "one:\n((link))\n\nThe link works once and stops working ((expires)). If you did not ask, ignore this "
             "message: your password has not changed.\n\n((organisation))")},
            {N_("A new password"),
             N_("Hello ((name)),\n\nYou asked for a new password.\n\nUse this link to choose one:\n((link))\n\nThe link "
             "works one time only. It stops working ((expires)).\n\nDid you not ask? Then do nothing.\n\nFrom "
             "((organisation))")}};
  }
  if (kind == "learning_due") {
    return {{N_("Learning due: ((module))"),
             N_("Dear ((name)),\n\n((module)) is due by ((due)). You can start or carry on here:\n((link))\n\n"
             "((organisation))")},
            {N_("Learning to do: ((module))"),
             N_("Hello ((name)),\n\nPlease do the learning called ((module)).\n\nPlease do it by ((due)).\n\nUse this "
             "link:\n((link))\n\nFrom ((organisation))")}};
  }
  if (kind == "learning_overdue") {
    return {{N_("Overdue: ((module))"),
             N_("Dear ((name)),\n\n((module)) was due by ((due)) and is not yet done. You can carry on here:\n((link))\n\n"
             "If something is stopping you, please tell your learning lead.\n\n((organisation))")},
            {N_("Learning still to do: ((module))"),
             N_("Hello ((name)),\n\nThe learning called ((module)) is late.\n\nIt was for ((due)).\n\nYou can still do "
             "it. Use this link:\n((link))\n\nNeed help? Please tell us.\n\nFrom ((organisation))")}};
  }
  if (kind == "payment_made") {
    return {{N_("We have paid you ((amount))"),
             N_("Dear ((name)),\n\nWe have paid you ((amount)) for ((paid_for)). Thank you for your time.\n\nIf the money "
             "does not reach you within a week, please tell us.\n\n((organisation))")},
            {N_("We have paid you"),
             N_("Hello ((name)),\n\nWe have paid you ((amount)).\n\nThis is for ((paid_for)).\n\nThank you.\n\nIs the "
             "money not there in a week? Please tell us.\n\nFrom ((organisation))")}};
  }
  return {{N_("A test message from Coproduce"),
           N_("This is a test message from Coproduce for ((organisation)). If you can read it, sending works.")},
          {N_("A test message"),
           N_("This is a test message for ((organisation)).\n\nYou can read it. So sending works.")}};
}

}  // namespace

const std::vector<Kind>& kinds() {
  static const std::vector<Kind> all = make_kinds();
  return all;
}

const Kind* find_kind(const std::string& code) {
  for (const auto& k : kinds())
    if (k.code == code) return &k;
  return nullptr;
}

bool is_version(const std::string& version) { return version == kPlain || version == kEasyRead; }

std::vector<std::string> placeholders_in(const std::string& text) {
  std::vector<std::string> out;
  size_t at = 0;
  while ((at = text.find("((", at)) != std::string::npos) {
    size_t end = text.find("))", at + 2);
    if (end == std::string::npos) break;
    std::string name = trim_copy(text.substr(at + 2, end - at - 2));
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
    at = end + 2;
  }
  return out;
}

std::string render(const std::string& text, const std::map<std::string, std::string>& values) {
  std::string out;
  size_t at = 0;
  for (;;) {
    size_t open = text.find("((", at);
    size_t close = open == std::string::npos ? std::string::npos : text.find("))", open + 2);
    if (close == std::string::npos) {
      out += text.substr(at);
      break;
    }
    out += text.substr(at, open - at);
    auto it = values.find(trim_copy(text.substr(open + 2, close - open - 2)));
    if (it != values.end()) out += it->second;
    at = close + 2;
  }
  // A line left empty by an empty value (no joining link) is dropped, so the
  // message does not gain gaps.
  std::string tidy;
  size_t blank_run = 0;
  size_t start = 0;
  while (start <= out.size()) {
    size_t end = out.find('\n', start);
    if (end == std::string::npos) end = out.size();
    std::string line = out.substr(start, end - start);
    bool blank = trim_copy(line).empty();
    blank_run = blank ? blank_run + 1 : 0;
    if (blank_run < 2) tidy += line + (end < out.size() ? "\n" : "");
    start = end + 1;
  }
  return trim_copy(tidy);
}

std::map<std::string, std::string> example_values(const Kind& kind) {
  std::map<std::string, std::string> out;
  for (const auto& p : kind.placeholders) out[p.name] = p.example;
  return out;
}

Template default_template(const Kind& kind, const std::string& version, const std::string& language) {
  auto [plain, easy] = shipped(kind.code);
  const Wording& w = version == kEasyRead ? easy : plain;
  auto catalogues = i18n::installed();
  return {kind.code, version, language, catalogues->text(language, w.subject), catalogues->text(language, w.body),
          false, ""};
}

std::vector<std::string> message_languages() {
  std::vector<std::string> out;
  for (const auto& l : i18n::installed()->languages()) out.push_back(l.code);
  return out;
}

bool is_message_language(const std::string& language) { return i18n::installed()->has(language); }

std::vector<FieldError> validate_template(const Kind& kind, const std::string& subject, const std::string& body) {
  std::vector<FieldError> errors;
  auto check = [&](const std::string& field, const std::string& text, size_t limit, const std::string& what) {
    if (trim_copy(text).empty()) {
      errors.push_back({field, "Enter the " + what, Problem::kMissing});
      return;
    }
    if (utf8_length(text) > limit) {
      errors.push_back({field, "The " + what + " must be " + std::to_string(limit) + " characters or fewer",
                        Problem::kTooLong});
    }
    size_t opens = 0, closes = 0;
    for (size_t i = text.find("(("); i != std::string::npos; i = text.find("((", i + 2)) ++opens;
    for (size_t i = text.find("))"); i != std::string::npos; i = text.find("))", i + 2)) ++closes;
    if (opens != closes) {
      errors.push_back({field, "The " + what + " has '((' without '))' or the other way round: write a placeholder "
                               "as ((name))",
                        Problem::kInvalid});
      return;
    }
    for (const auto& name : placeholders_in(text)) {
      bool known = false;
      for (const auto& p : kind.placeholders) known = known || p.name == name;
      if (!known) {
        std::string allowed;
        for (const auto& p : kind.placeholders) allowed += (allowed.empty() ? "((" : ", ((") + p.name + "))";
        errors.push_back({field, "((" + name + ")) is not a placeholder of this message; use " + allowed,
                          Problem::kUnknownCode});
      }
    }
  };
  check("subject", subject, kMaxSubject, "subject");
  check("body", body, kMaxBody, "message");
  return errors;
}

StatusOr<Template> Templates::get(int64_t org, const std::string& kind, const std::string& version,
                                  const std::string& language) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  return get_in(**c, org, kind, version, language);
}

StatusOr<Template> Templates::get_in(Connection& c, int64_t org, const std::string& kind, const std::string& version,
                                     const std::string& language) {
  const Kind* k = find_kind(kind);
  if (k == nullptr || !is_version(version) || !is_message_language(language)) {
    return NotFound("there is no message of that kind");
  }
  auto rows = c.query(
      "SELECT subject, body, updated_at FROM message_templates WHERE organisation_id = $1 AND kind = $2 AND"
      " version = $3 AND language = $4",
      {org, kind, version, language});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return default_template(*k, version, language);
  const auto& r = rows->front();
  return Template{kind, version, language, r.text(0), r.text(1), true, r.text(2)};
}

StatusOr<std::vector<Template>> Templates::list(int64_t org, const std::string& language) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  std::vector<Template> out;
  for (const auto& k : kinds()) {
    for (const char* v : {kPlain, kEasyRead}) {
      auto t = get_in(**c, org, k.code, v, language);
      if (!t.ok()) return t.status();
      out.push_back(*t);
    }
  }
  return out;
}

Status Templates::save(int64_t org, const std::string& kind, const std::string& version, const std::string& subject,
                       const std::string& body, const Actor& actor, std::vector<FieldError>* problems,
                       const std::string& language) {
  const Kind* k = find_kind(kind);
  if (k == nullptr || !is_version(version) || !is_message_language(language)) {
    return NotFound("there is no message of that kind");
  }
  std::vector<FieldError> errors = validate_template(*k, subject, body);
  if (problems != nullptr) *problems = errors;
  if (!errors.empty()) {
    Location where;
    where.field = errors.front().field;
    return InvalidInput(errors.front().message, where);
  }
  std::string now = format_timestamp(clock_.now());
  return store::in_write_transaction(db_, [&](Connection& c) -> Status {
    auto gone = c.execute(
        "DELETE FROM message_templates WHERE organisation_id = $1 AND kind = $2 AND version = $3 AND language = $4",
        {org, kind, version, language});
    if (!gone.ok()) return gone.status();
    auto added = c.execute(
        "INSERT INTO message_templates (organisation_id, kind, version, language, subject, body, updated_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7)",
        {org, kind, version, language, trim_copy(subject), trim_copy(body), now});
    if (!added.ok()) return added.status();
    return security::record_audit(c, clock_, {org, actor.user_id, "messages.template.save", "message_template",
                                              template_record(kind, version, language), actor.address});
  });
}

Status Templates::reset(int64_t org, const std::string& kind, const std::string& version, const Actor& actor,
                        const std::string& language) {
  if (find_kind(kind) == nullptr || !is_version(version) || !is_message_language(language)) {
    return NotFound("there is no message of that kind");
  }
  return store::in_write_transaction(db_, [&](Connection& c) -> Status {
    auto gone = c.execute(
        "DELETE FROM message_templates WHERE organisation_id = $1 AND kind = $2 AND version = $3 AND language = $4",
        {org, kind, version, language});
    if (!gone.ok()) return gone.status();
    return security::record_audit(c, clock_, {org, actor.user_id, "messages.template.reset", "message_template",
                                              template_record(kind, version, language), actor.address});
  });
}

}  // namespace coproduce::messages
