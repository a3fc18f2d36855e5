#include "messages/notices.h"
#include "messages/templates.h"

#include <algorithm>
#include <functional>

#include "collection/surveys.h"
#include "core/dates.h"
#include "core/translatable.h"
#include "i18n/catalogue.h"
#include "involvement/groups.h"
#include "involvement/options.h"
#include "involvement/recruitment.h"
#include "learning/learning.h"
#include "learning/workforce.h"
#include "involvement/people.h"
#include "payments/money.h"
#include "payments/payments.h"
#include "security/crypto.h"

namespace coproduce::messages {

using store::Connection;

namespace {

// "10:30am", "2pm" from a local "YYYY-MM-DDTHH:MM".
std::string spoken_time(const std::string& starts_at) {
  int hour = std::stoi(starts_at.substr(11, 2));
  std::string minutes = starts_at.substr(14, 2);
  return std::to_string(hour % 12 == 0 ? 12 : hour % 12) + (minutes == "00" ? "" : ":" + minutes) +
         (hour < 12 ? "am" : "pm");
}

}  // namespace

std::string spoken_when(const std::string& starts_at) {
  if (starts_at.size() < 16) return starts_at;
  static constexpr const char* kDays[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
  std::string day;
  if (auto d = parse_date(starts_at.substr(0, 10)))
    day = std::string(kDays[std::chrono::weekday(std::chrono::sys_days(*d)).c_encoding()]) + " ";
  return day + long_date(starts_at.substr(0, 10)) + " at " + spoken_time(starts_at);
}

// Words a message fills in, in the language the person asked for (see
// language_of): the English is written here and marked, the rest comes
// from the message catalogues.
std::string in_language(const std::string& language, const char* english) {
  return i18n::installed()->text(language, english);
}

// A date as the person's language writes it ("3 March 2026", "3 Mawrth 2026").
std::string date_in(const std::string& language, const std::string& iso) {
  std::string written = i18n::installed()->long_date(language, iso);
  return written.empty() ? long_date(iso) : written;
}

// When an activity starts, in the person's language. Welsh gives the time
// on the 24-hour clock ("Dydd Mawrth 3 Mawrth 2026 am 14:00").
std::string when_in(const std::string& language, const std::string& starts_at) {
  if (language == "en" || starts_at.size() < 16) return spoken_when(starts_at);
  std::string date = i18n::installed()->long_date(language, starts_at.substr(0, 10), true);
  if (date.empty()) return spoken_when(starts_at);
  return i18n::fill(in_language(language, N_("{date} at {time}")), {{"date", date}, {"time", starts_at.substr(11, 5)}});
}


namespace {

void count(const Queued& q, Sent* sent) {
  if (!q.added) {
    ++sent->already;
  } else if (q.status == "queued") {
    ++sent->queued;
  } else if (q.status == "to_call") {
    ++sent->to_call;
  } else if (q.status == "to_print") {
    ++sent->to_print;
  } else {
    ++sent->not_sent;
  }
}

std::string option_label(const std::string& field, const std::string& code) {
  const involvement::OptionSet* set = involvement::option_set(field);
  const involvement::Option* o = set == nullptr ? nullptr : set->by_code(code);
  return o == nullptr ? code : o->label;
}

bool easy_read(const involvement::PersonDetails& d) {
  return std::find(d.formats.begin(), d.formats.end(), "easy_read") != d.formats.end();
}

// The access arrangements agreed with the person, as sentences; in Easy
// Read, short ones.
std::string access_text(const involvement::PersonDetails& d) {
  std::string out;
  for (const auto& code : d.access_needs) out += (out.empty() ? "" : " ") + option_label("access_needs", code) + ".";
  if (!d.access_other.empty()) out += (out.empty() ? "" : " ") + d.access_other;
  if (!out.empty()) return out;
  const std::string lang = language_of(d);
  return in_language(lang, easy_read(d) ? N_("Do you need help to come? Tell us.")
                                         : N_("Tell us if you need anything to take part."));
}

std::string expenses_text(const involvement::PersonDetails& d) {
  const std::string lang = language_of(d);
  if (easy_read(d)) {
    return in_language(lang, d.payment == "declined"
                                 ? N_("We pay for your travel. Keep your tickets.")
                                 : N_("We pay you for your time. We pay for your travel too. Keep your tickets."));
  }
  if (d.payment == "declined") {
    return in_language(lang, N_("You told us you do not want to be paid for your time. We still pay back travel and "
                                "other costs: keep your tickets and receipts."));
  }
  return in_language(lang, N_("We pay you for your time, and pay back travel and other costs: keep your tickets and "
                              "receipts and tell us on the day."));
}

// What a payment was for, in the person's language.
std::string paid_for(const std::string& language, const std::string& title, const std::string& date) {
  if (title.empty()) return in_language(language, N_("your time"));
  return i18n::fill(in_language(language, N_("{activity} on {date}")),
                    {{"activity", title}, {"date", date_in(language, date)}});
}

StatusOr<std::string> organisation_name(store::Database& db, const Clock& clock, int64_t org) {
  accounts::Accounts accounts(db, clock);
  auto o = accounts.organisation(org);
  if (!o.ok()) return o.status();
  return o->name;
}

// Queues `out` to `person` the way they asked (recipient_for), as their
// consent allows, and counts what became of it in `sent`. `link` runs only
// when the person can be reached, to make what the message carries (a
// one-time link) and put it in out.values.
Status tell_person(Connection& c, Outbox& outbox, int64_t org, const involvement::Person& person, Outgoing out,
                   Sent* sent, const std::function<Status(Outgoing&)>& link = {}) {
  auto to = recipient_for(person);
  if (!to) {
    ++sent->not_sent;
    return Status::Ok();
  }
  out.to = *to;
  out.consent = person.consent && person.consent->active();
  if (link) {
    if (Status s = link(out); !s.ok()) return s;
  }
  auto q = outbox.queue_in(c, org, out);
  if (!q.ok()) return q.status();
  count(*q, sent);
  return Status::Ok();
}

}  // namespace

StatusOr<Sent> Notices::tell_invited(Connection& c, int64_t org, const activities::Activity& a,
                                     const std::vector<int64_t>& people, const std::string& kind,
                                     const std::string& key, const std::map<std::string, std::string>& what_changed,
                                     const Actor& actor) {
  Sent sent;
  if (people.empty()) return sent;
  auto org_name = organisation_name(db_, clock_, org);
  if (!org_name.ok()) return org_name.status();
  involvement::People pool(db_, clock_);
  auto found = pool.contacts_in(c, org, people, actor);
  if (!found.ok()) return found.status();
  Outbox outbox(db_, clock_);
  for (const auto& person : *found) {
    Outgoing out;
    out.kind = kind;
    out.about_type = "activity";
    out.about_id = a.id;
    out.key = key + ":" + std::to_string(person.id);
    out.values = {{"name", person.details.name},
                  {"organisation", *org_name},
                  {"activity", a.title},
                  {"group", a.group_name},
                  {"when", when_in(language_of(person.details), a.starts_at)},
                  {"where", a.place.empty() ? in_language(language_of(person.details), N_("Online")) : a.place},
                  {"joining_link", a.link},
                  {"access", access_text(person.details)},
                  {"expenses", expenses_text(person.details)},
                  {"what_changed", what_changed.count(language_of(person.details))
                                       ? what_changed.at(language_of(person.details))
                                       : std::string()},
                  // The lead's own words for this activity, in the person's version.
                  {"message", easy_read(person.details) ? a.easy_read_text : a.letter_text}};
    if (Status st = tell_person(c, outbox, org, person, std::move(out), &sent); !st.ok()) return st;
  }
  return sent;
}

StatusOr<Sent> Notices::invite_to_activity(int64_t org, int64_t activity_id, const Actor& actor, int* invited) {
  activities::Activities acts(db_, clock_);
  auto n = acts.invite_members(org, activity_id, actor);
  if (!n.ok()) return n.status();
  if (invited != nullptr) *invited = *n;
  return activity_invitations(org, activity_id, actor);
}

StatusOr<Sent> Notices::activity_invitations(int64_t org, int64_t activity_id, const Actor& actor) {
  activities::Activities acts(db_, clock_);
  auto a = acts.get(org, activity_id);
  if (!a.ok()) return a.status();
  if (a->status != "scheduled") return Sent{};
  auto invited = acts.invitations(org, activity_id, actor);
  if (!invited.ok()) return invited.status();
  std::vector<int64_t> ids;
  for (const auto& i : *invited) ids.push_back(i.person_id);
  return store::in_write_transaction(db_, [&](Connection& c) {
    return tell_invited(c, org, *a, ids, "activity_invitation", "activity-invitation:" + std::to_string(a->id), {},
                        actor);
  });
}

StatusOr<Sent> Notices::update_activity(int64_t org, int64_t activity_id, const activities::ActivityInput& input,
                                        const Actor& actor) {
  activities::Activities acts(db_, clock_);
  auto before = acts.get(org, activity_id);
  if (!before.ok()) return before.status();
  if (Status s = acts.update(org, activity_id, input, actor); !s.ok()) return s;
  auto after = acts.get(org, activity_id);
  if (!after.ok()) return after.status();
  // What changed, in each language a message can be written in.
  std::map<std::string, std::string> what;
  for (const std::string& lang : message_languages()) {
    std::string text;
    auto say = [&](const char* english, const std::string& value) {
      text += i18n::fill(in_language(lang, english), {{"value", value}}) + " ";
    };
    if (before->starts_at != after->starts_at) {
      if (before->starts_at.substr(0, 10) != after->starts_at.substr(0, 10)) {
        say(N_("It is now on {value}."), when_in(lang, after->starts_at));
      } else {
        say(N_("It now starts at {value}."), lang == "en" ? spoken_time(after->starts_at) : after->starts_at.substr(11, 5));
      }
    }
    if (before->place != after->place) {
      say(N_("It is now at {value}."), after->place.empty() ? in_language(lang, N_("Online")) : after->place);
    }
    if (before->link != after->link && !after->link.empty()) say(N_("There is a new link to join online."), "");
    while (!text.empty() && text.back() == ' ') text.pop_back();
    what[lang] = text;
  }
  if (what["en"].empty() || after->status != "scheduled") return Sent{};
  auto invited = acts.invitations(org, activity_id, actor);
  if (!invited.ok()) return invited.status();
  std::vector<int64_t> ids;
  for (const auto& i : *invited)
    if (i.response != "not_coming") ids.push_back(i.person_id);
  // One change message per version of the activity: the key carries when
  // and where it now is, so a second change is told, a repeat is not.
  std::string version = after->starts_at + "|" + after->place + "|" + after->link;
  std::string key = "activity-changed:" + std::to_string(activity_id) + ":" + security::token_digest(version).substr(0, 16);
  return store::in_write_transaction(db_, [&](Connection& c) {
    return tell_invited(c, org, *after, ids, "activity_changed", key, what, actor);
  });
}

StatusOr<Sent> Notices::cancel_activity(int64_t org, int64_t activity_id, const Actor& actor) {
  activities::Activities acts(db_, clock_);
  if (Status s = acts.cancel(org, activity_id, actor); !s.ok()) return s;
  auto a = acts.get(org, activity_id);
  if (!a.ok()) return a.status();
  auto invited = acts.invitations(org, activity_id, actor);
  if (!invited.ok()) return invited.status();
  std::vector<int64_t> ids;
  for (const auto& i : *invited)
    if (i.response != "not_coming") ids.push_back(i.person_id);
  return store::in_write_transaction(db_, [&](Connection& c) {
    return tell_invited(c, org, *a, ids, "activity_cancelled", "activity-cancelled:" + std::to_string(activity_id), {},
                        actor);
  });
}

StatusOr<Sent> Notices::due_reminders(std::chrono::hours ahead) {
  const Actor system{std::nullopt, "scheduled reminders"};
  activities::Activities acts(db_, clock_);
  std::string now = format_timestamp(clock_.now());
  std::string until = format_timestamp(clock_.now() + ahead);
  auto soon = acts.starting_between(now.substr(0, 16), until.substr(0, 16));
  if (!soon.ok()) return soon.status();
  Sent total;
  for (const auto& a : *soon) {
    auto invited = acts.invitations(a.organisation_id, a.id, system);
    if (!invited.ok()) return invited.status();
    std::vector<int64_t> ids;
    for (const auto& i : *invited)
      if (i.response != "not_coming") ids.push_back(i.person_id);
    auto sent = store::in_write_transaction(db_, [&](Connection& c) {
      return tell_invited(c, a.organisation_id, a, ids, "activity_reminder", "activity-reminder:" + std::to_string(a.id),
                          {}, system);
    });
    if (!sent.ok()) return sent.status();
    total.queued += sent->queued;
    total.to_call += sent->to_call;
    total.to_print += sent->to_print;
    total.not_sent += sent->not_sent;
    total.already += sent->already;
  }
  return total;
}

StatusOr<Sent> Notices::mark_paid(int64_t org, const std::vector<int64_t>& payment_ids,
                                  const std::vector<int64_t>& claim_ids, const Actor& actor, int* marked) {
  payments::Payments pay(db_, clock_);
  auto n = pay.mark_paid(org, payment_ids, claim_ids, actor);
  if (!n.ok()) return n.status();
  if (marked != nullptr) *marked = *n;
  auto paid = pay.list(org, "paid", std::nullopt, actor);
  if (!paid.ok()) return paid.status();
  auto org_name = organisation_name(db_, clock_, org);
  if (!org_name.ok()) return org_name.status();
  std::vector<payments::Payment> these;
  for (const auto& p : *paid)
    if (std::find(payment_ids.begin(), payment_ids.end(), p.id) != payment_ids.end()) these.push_back(p);
  return store::in_write_transaction(db_, [&](Connection& c) -> StatusOr<Sent> {
    Sent sent;
    std::vector<int64_t> people;
    for (const auto& p : these) people.push_back(p.person_id);
    auto found = involvement::People(db_, clock_).contacts_in(c, org, people, actor);
    if (!found.ok()) return found.status();
    Outbox outbox(db_, clock_);
    for (const auto& p : these) {
      auto person = std::find_if(found->begin(), found->end(), [&](const auto& x) { return x.id == p.person_id; });
      if (person == found->end()) continue;
      Outgoing out;
      out.kind = "payment_made";
      out.about_type = "payment";
      out.about_id = p.id;
      out.key = "payment-made:" + std::to_string(p.id);
      out.values = {{"name", person->details.name},
                    {"organisation", *org_name},
                    {"amount", payments::format_pounds(p.pence)},
                    {"paid_for", paid_for(language_of(person->details), p.activity_title, p.activity_date)}};
      if (Status st = tell_person(c, outbox, org, *person, std::move(out), &sent); !st.ok()) return st;
    }
    return sent;
  });
}

StatusOr<Sent> Notices::invite_round(int64_t org, int64_t round_id, const Actor& actor) {
  involvement::Recruitment recruitment(db_, clock_);
  auto round = recruitment.get(org, round_id);
  if (!round.ok()) return round.status();
  involvement::Groups groups(db_, clock_);
  auto group = groups.get(org, round->group_id);
  if (!group.ok()) return group.status();
  auto org_name = organisation_name(db_, clock_, org);
  if (!org_name.ok()) return org_name.status();
  const std::string reply_day = add_days(format_timestamp(clock_.now()).substr(0, 10), kOfferDays - 1);
  // The invitation and the offers are one transaction: either everyone
  // drawn is invited and offered their place, or nothing happened.
  return store::in_write_transaction(db_, [&](Connection& c) -> StatusOr<Sent> {
    auto offered = recruitment.invite_in(c, org, round_id, actor);
    if (!offered.ok()) return offered.status();
    Sent sent;
    auto found = involvement::People(db_, clock_).contacts_in(c, org, *offered, actor);
    if (!found.ok()) return found.status();
    Outbox outbox(db_, clock_);
    for (const auto& person : *found) {
      Outgoing out;
      out.kind = "place_offer";
      out.about_type = "round";
      out.about_id = round_id;
      out.key = "place-offer:" + std::to_string(round_id) + ":" + std::to_string(person.id);
      out.values = {{"name", person.details.name},
                    {"organisation", *org_name},
                    {"group", group->name},
                    {"reply_by", date_in(language_of(person.details), reply_day)}};
      auto offer_link = [&](Outgoing& o) -> Status {
        auto token = groups.offer_link_in(c, org, group->id, person.id, round_id, kOfferDays);
        if (!token.ok()) return token.status();
        o.values["reply_link"] = public_url_ + "/offers/" + *token;
        return Status::Ok();
      };
      if (Status st = tell_person(c, outbox, org, person, std::move(out), &sent, offer_link); !st.ok()) return st;
    }
    return sent;
  });
}

StatusOr<Sent> Notices::survey_invitations(int64_t org, int64_t survey_id, const Actor& actor) {
  collection::Surveys surveys(db_, clock_);
  auto survey = surveys.get(org, survey_id);
  if (!survey.ok()) return survey.status();
  if (collection::availability(*survey, clock_.now(), survey->completes) != collection::Availability::kOpen) {
    return Conflict("Open the survey before inviting people to answer it");
  }
  involvement::People people(db_, clock_);
  involvement::PeopleQuery query;
  query.consented_only = true;
  query.limit = 1'000'000;
  auto pool = people.search(org, query, actor);
  if (!pool.ok()) return pool.status();
  auto org_name = organisation_name(db_, clock_, org);
  if (!org_name.ok()) return org_name.status();
  auto closes = [&](const std::string& language) {
    return survey->closes_at ? date_in(language, survey->closes_at->substr(0, 10))
                             : in_language(language, N_("the day it closes"));
  };
  return store::in_write_transaction(db_, [&](Connection& c) -> StatusOr<Sent> {
    Sent sent;
    Outbox outbox(db_, clock_);
    // Their records read again in this transaction, with their consent as it is now.
    std::vector<int64_t> answer_surveys;
    for (const auto& person : *pool) {
      const auto& ways = person.details.ways;
      if (std::find(ways.begin(), ways.end(), "surveys") != ways.end()) answer_surveys.push_back(person.id);
    }
    auto found = people.contacts_in(c, org, answer_surveys, actor);
    if (!found.ok()) return found.status();
    for (const auto& person : *found) {
      std::string key = "survey-invitation:" + std::to_string(survey_id) + ":" + std::to_string(person.id);
      auto before = outbox.queued_before(c, org, key);
      if (!before.ok()) return before.status();
      if (*before) {
        ++sent.already;
        continue;
      }
      Outgoing out;
      out.kind = "survey_invitation";
      out.about_type = "survey";
      out.about_id = survey_id;
      out.key = key;
      out.values = {{"name", person.details.name},
                    {"organisation", *org_name},
                    {"survey", survey->title},
                    {"closes", closes(language_of(person.details))}};
      auto own_link = [&](Outgoing& o) -> Status {
        auto code = surveys.invitation_in(c, org, survey_id);
        if (!code.ok()) return code.status();
        o.values["link"] = public_url_ + "/s/" + survey->slug + "?invite=" + *code;
        return Status::Ok();
      };
      if (Status st = tell_person(c, outbox, org, person, std::move(out), &sent, own_link); !st.ok()) return st;
    }
    return sent;
  });
}

StatusOr<Sent> Notices::learning_reminders() {
  const Actor system{std::nullopt, "scheduled reminders"};
  accounts::Accounts accounts(db_, clock_);
  auto orgs = accounts.list_organisations();
  if (!orgs.ok()) return orgs.status();
  learning::Learning learning(db_, clock_);
  learning::Workforce workforce(db_, clock_);
  Outbox outbox(db_, clock_);
  std::string today = format_timestamp(clock_.now()).substr(0, 10);
  Sent sent;
  for (const auto& org : *orgs) {
    learning::WorkerQuery in_post;
    in_post.current_only = true;
    in_post.limit = 1'000'000;
    auto staff = workforce.search(org.id, in_post, system);
    if (!staff.ok()) return staff.status();
    for (const auto& worker : *staff) {
      if (worker.details.email.empty()) continue;
      auto modules = learning.worker_modules(org.id, worker, today);
      if (!modules.ok()) return modules.status();
      for (const auto& m : *modules) {
        const learning::ModuleStatus& st = m.status;
        bool overdue = st.status == learning::LearningStatus::kOverdue || st.status == learning::LearningStatus::kExpired;
        // Due within a week, and not yet done: told once, a week or less before.
        bool due_soon = st.status == learning::LearningStatus::kDue && !st.due_on.empty() &&
                        days_between(today, st.due_on) >= 0 && days_between(today, st.due_on) <= kLearningDueDays;
        if (!m.required || (!overdue && !due_soon)) continue;
        std::string due = st.status == learning::LearningStatus::kExpired ? st.expires_on : st.due_on;
        Outgoing out;
        out.kind = overdue ? "learning_overdue" : "learning_due";
        out.to.name = worker.details.name;
        out.to.channel = kEmail;
        out.to.address = worker.details.email;
        out.about_type = "worker";
        out.about_id = worker.id;
        // Once for each time it falls due: a renewal due again is told again.
        out.key = out.kind + ":" + std::to_string(worker.id) + ":" + std::to_string(m.module.id) + ":" + due;
        out.values = {{"name", worker.details.name},
                      {"organisation", org.name},
                      {"module", m.module.content.title},
                      {"due", long_date(due)},
                      {"link", public_url_ + "/my-learning"}};
        auto q = outbox.queue(org.id, out);
        if (!q.ok()) return q.status();
        count(*q, &sent);
      }
    }
  }
  return sent;
}

StatusOr<Queued> Notices::account_link(const accounts::User& user, const std::string& kind, const std::string& path,
                                       const std::string& token, const std::string& expires) {
  Outgoing out;
  out.kind = kind;
  out.to.user_id = user.id;
  out.to.name = user.name;
  out.to.channel = kEmail;
  out.to.address = user.email;
  out.about_type = "user";
  out.about_id = user.id;
  // A new link is a new message: the token's own digest keys it.
  out.key = kind + ":" + std::to_string(user.id) + ":" + security::token_digest(token).substr(0, 16);
  out.values = {{"name", user.name.empty() ? "there" : user.name},
                {"organisation", user.organisation_name},
                {"link", public_url_ + path + token},
                {"expires", expires}};
  return Outbox(db_, clock_).queue(user.organisation_id, out);
}

}  // namespace coproduce::messages
