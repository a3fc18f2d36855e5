#include <gtest/gtest.h>

#include "involvement/groups.h"
#include "learning/learning.h"
#include "learning/content.h"
#include "learning/workforce.h"
#include "messages/backends.h"
#include "i18n/catalogue.h"
#include "messages/notices.h"
#include "messages/outbox.h"
#include "messages/settings.h"
#include "messages/templates.h"
#include "store/temporary_database.h"

namespace coproduce::messages {
namespace {

// The queued messages about one activity.
OutboxQuery queued_about_activity(int64_t activity) {
  OutboxQuery q;
  q.about_type = "activity";
  q.about_id = activity;
  q.statuses = {"queued"};
  return q;
}

using involvement::PersonDetails;

// --- wording ---------------------------------------------------------------------------

TEST(Templates, FillPlaceholdersAndDropLinesLeftEmpty) {
  std::string text = "Dear ((name)),\n\nWhen: ((when))\n((joining_link))\n\nThanks";
  EXPECT_EQ(render(text, {{"name", "Sam"}, {"when", "Monday"}}), "Dear Sam,\n\nWhen: Monday\n\nThanks");
  EXPECT_EQ(render("((name)) and (( name ))", {{"name", "Jo"}}), "Jo and Jo");
  EXPECT_EQ(placeholders_in("((a)) ((b)) ((a))"), (std::vector<std::string>{"a", "b"}));
}

TEST(Templates, EveryShippedWordingUsesOnlyItsKindsPlaceholders) {
  for (const auto& kind : kinds()) {
    for (const char* version : {kPlain, kEasyRead}) {
      Template t = default_template(kind, version);
      EXPECT_TRUE(validate_template(kind, t.subject, t.body).empty()) << kind.code << " " << version;
      // Filled with examples, no placeholder is left showing.
      std::string filled = render(t.body, example_values(kind));
      EXPECT_EQ(filled.find("(("), std::string::npos) << kind.code << " " << version;
    }
  }
  // Easy Read differs from the plain wording for every kind.
  for (const auto& kind : kinds()) EXPECT_NE(default_template(kind, kPlain).body, default_template(kind, kEasyRead).body);
}

TEST(Templates, AnUnknownPlaceholderIsRefusedByName) {
  const Kind* kind = find_kind("activity_reminder");
  ASSERT_NE(kind, nullptr);
  auto errors = validate_template(*kind, "Reminder", "Hello ((name)), see you at ((venue)).");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "body");
  EXPECT_EQ(errors[0].kind, Problem::kUnknownCode);
  EXPECT_NE(errors[0].message.find("((venue))"), std::string::npos);
  auto open = validate_template(*kind, "Reminder ((name)", "Hello");
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].field, "subject");
  auto empty = validate_template(*kind, "", " ");
  ASSERT_EQ(empty.size(), 2u);
  EXPECT_EQ(empty[1].kind, Problem::kMissing);
}

// --- services --------------------------------------------------------------------------

TEST(NotifyKey, SplitsNameServiceAndSecret) {
  auto key = parse_notify_key("my_key-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0");
  ASSERT_TRUE(key.has_value());
  EXPECT_EQ(key->name, "my_key");
  EXPECT_EQ(key->service_id, "26785a09-ab16-4eb0-8407-a37497a57506");
  EXPECT_EQ(key->secret, "3d844edf-8d35-48ac-975b-e847b4f122b0");
  EXPECT_FALSE(parse_notify_key("26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0"));
  EXPECT_FALSE(parse_notify_key("k-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122bz"));
}

TEST(NotifyKey, TheTokenIsASignedJwtNamingTheService) {
  auto key = parse_notify_key("k-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0");
  ASSERT_TRUE(key);
  std::string token = notify_token(*key, 1700000000);
  size_t first = token.find('.'), second = token.find('.', first + 1);
  ASSERT_NE(second, std::string::npos);
  // {"typ":"JWT","alg":"HS256"} and {"iat":1700000000,"iss":"26785a09-..."} in URL-safe base64.
  EXPECT_EQ(token.substr(0, first), "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9");
  EXPECT_EQ(token.substr(first + 1, second - first - 1),
            security::base64url(R"({"iat":1700000000,"iss":"26785a09-ab16-4eb0-8407-a37497a57506"})"));
  EXPECT_EQ(token.substr(second + 1),
            security::base64url(security::hmac_sha256(key->secret, token.substr(0, second))));
}

TEST(Smtp, TheMessageCarriesItsKeyAndEncodesWhatIsNotAscii) {
  Envelope e{"email", "sam@example.org", "Taylor, Sam", "Café meeting", "Line one\nLine two", "1:key", false};
  std::string text = smtp_message("involve@example.org", e, "<1:key@coproduce>", "Sun, 06 Dec 2026 10:00:00 +0000");
  EXPECT_NE(text.find("To: \"Taylor, Sam\" <sam@example.org>\r\n"), std::string::npos);
  EXPECT_NE(text.find("Subject: =?UTF-8?B?"), std::string::npos);
  EXPECT_NE(text.find("Message-ID: <1:key@coproduce>\r\n"), std::string::npos);
  EXPECT_NE(text.find("\r\n\r\n" + security::base64("Line one\r\nLine two")), std::string::npos);
}

TEST(Settings, EachWrongAnswerIsNamedByItsField) {
  SettingsInput in;
  in.backend = "smtp";
  in.smtp_url = "http://mail.example.org";
  in.smtp_from = "not an address";
  in.organisation_daily_limit = "0";
  std::vector<std::string> fields;
  for (const auto& e : validate(in, Settings{})) fields.push_back(e.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"smtp_url", "smtp_from", "organisation_daily_limit"}));
  SettingsInput notify;
  notify.backend = "notify";
  notify.notify_email_template = "not-a-uuid";
  fields.clear();
  for (const auto& e : validate(notify, Settings{})) fields.push_back(e.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"notify_key", "notify_email_template"}));
  Settings stored;
  stored.notify_key_stored = true;
  notify.notify_email_template = "";
  EXPECT_TRUE(validate(notify, stored).empty());  // a stored key is kept
}

// --- the outbox ------------------------------------------------------------------------

class OutboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::make_unique<store::TemporaryDatabase>(std::string("messages-") +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    ASSERT_TRUE(db_->status().ok()) << db_->status().to_string();
    auto* c = *(*db_)->connection();
    ASSERT_TRUE(c->execute("INSERT INTO organisations (name, created_at) VALUES ('Org', 'x'), ('Other', 'x')").ok());
    ASSERT_TRUE(
        c->execute("INSERT INTO users (organisation_id, email, role, created_at) VALUES (1, 'l@x.org', 'coproduction-lead', 'x')")
            .ok());
    auto box = security::SecretBox::from_passphrase("a test passphrase, long enough");
    ASSERT_TRUE(box.ok());
    box_ = *box;
  }

  void use_smtp(const std::string& limit = "", const std::string& person_limit = "") {
    SettingsInput in;
    in.backend = "smtp";
    in.smtp_url = "smtp://relay-user:relay-secret@127.0.0.1:2525";
    in.smtp_from = "involve@example.org";
    in.organisation_daily_limit = limit;
    in.recipient_daily_limit = person_limit;
    ASSERT_TRUE(MessageSettings(**db_, clock_).save(1, in, *box_, actor_, nullptr).ok());
  }

  int64_t add_person(PersonDetails d, bool consent = true) {
    auto p = involvement::People(**db_, clock_).add(1, d, "staff", consent, std::nullopt, actor_);
    EXPECT_TRUE(p.ok()) << p.status().to_string();
    return p.ok() ? p->id : 0;
  }

  Outgoing test_to(const std::string& address, const std::string& key) {
    Outgoing out;
    out.kind = "test";
    out.to.channel = kEmail;
    out.to.address = address;
    out.key = key;
    out.values = {{"organisation", "Org"}};
    return out;
  }

  FakeClock clock_{std::chrono::system_clock::from_time_t(1'800'000'000)};
  std::unique_ptr<store::TemporaryDatabase> db_;
  std::optional<security::SecretBox> box_;
  Actor actor_{1, "test"};
};

TEST_F(OutboxTest, ThePasswordIsSealedTakenOutOfTheAddressAndOpenedForSending) {
  use_smtp();
  auto s = MessageSettings(**db_, clock_).get(1);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->smtp_url, "smtp://127.0.0.1:2525");
  EXPECT_EQ(s->smtp_user, "relay-user");
  EXPECT_TRUE(s->smtp_password_stored);
  auto* c = *(*db_)->connection();
  auto raw = c->query_one("SELECT smtp_password_sealed FROM message_settings WHERE organisation_id = 1");
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(raw->text(0).find("relay-secret"), std::string::npos);
  auto secrets = MessageSettings(**db_, clock_).secrets(1, *box_);
  ASSERT_TRUE(secrets.ok());
  EXPECT_EQ(secrets->smtp_password, "relay-secret");
  // Saving again without a password keeps the one stored.
  SettingsInput again;
  again.backend = "smtp";
  again.smtp_url = "smtp://127.0.0.1:2525";
  again.smtp_from = "involve@example.org";
  again.smtp_user = "relay-user";
  ASSERT_TRUE(MessageSettings(**db_, clock_).save(1, again, *box_, actor_, nullptr).ok());
  EXPECT_EQ(MessageSettings(**db_, clock_).secrets(1, *box_)->smtp_password, "relay-secret");
}

TEST_F(OutboxTest, TheSameKeyQueuesOneMessage) {
  use_smtp();
  Outbox outbox(**db_, clock_);
  auto first = outbox.queue(1, test_to("sam@example.org", "k1"));
  auto second = outbox.queue(1, test_to("sam@example.org", "k1"));
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_TRUE(first->added);
  EXPECT_FALSE(second->added);
  EXPECT_EQ(first->id, second->id);
  EXPECT_EQ(first->status, "queued");
  // Another organisation's same key is its own message.
  auto other = outbox.queue(2, test_to("sam@example.org", "k1"));
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(other->added);
  EXPECT_EQ(other->status, "failed");  // it has no way of sending set up
  EXPECT_NE(other->reason.find("no way of sending"), std::string::npos);
  EXPECT_EQ(outbox.get(1, other->id).status().code(), StatusCode::kNotFound);
}

TEST_F(OutboxTest, DailyLimitsStopAFloodAndSayWhy) {
  use_smtp("3", "2");
  Outbox outbox(**db_, clock_);
  std::vector<std::string> statuses;
  for (int i = 0; i < 3; ++i) statuses.push_back(outbox.queue(1, test_to("sam@example.org", "s" + std::to_string(i)))->status);
  EXPECT_EQ(statuses, (std::vector<std::string>{"queued", "queued", "failed"}));
  auto third = outbox.get(1, 3);
  ASSERT_TRUE(third.ok());
  EXPECT_NE(third->reason.find("2 messages today"), std::string::npos);
  EXPECT_EQ(outbox.queue(1, test_to("jo@example.org", "j1"))->status, "queued");
  auto over = outbox.queue(1, test_to("al@example.org", "a1"));
  EXPECT_EQ(over->status, "failed");
  EXPECT_NE(over->reason.find("limit of 3"), std::string::npos);
  // The next day counts afresh.
  clock_.advance(std::chrono::hours(24));
  EXPECT_EQ(outbox.queue(1, test_to("al@example.org", "a2"))->status, "queued");
}

TEST_F(OutboxTest, EachPersonIsReachedTheWayTheyChose) {
  PersonDetails email;
  email.name = "Em";
  email.email = "em@example.org";
  email.phone = "07700 900001";
  email.contact_by = "email";
  PersonDetails text = email;
  text.name = "Tex";
  text.contact_by = "text";
  text.formats = {"easy_read"};
  PersonDetails post;
  post.name = "Po";
  post.address = "1 High Street\nTown";
  post.postcode = "AB1 2CD";
  post.contact_by = "post";
  post.formats = {"large_print"};
  PersonDetails call = email;
  call.name = "Cal";
  call.contact_by = "phone";
  involvement::People people(**db_, clock_);
  std::vector<std::pair<std::string, std::string>> got;
  for (const auto& d : {email, text, post, call}) {
    auto p = people.get(1, add_person(d), actor_);
    ASSERT_TRUE(p.ok());
    auto r = recipient_for(*p);
    ASSERT_TRUE(r.has_value());
    got.emplace_back(r->channel, r->address);
    if (d.name == "Tex") {
      EXPECT_EQ(r->version, kEasyRead);
    }
    if (d.name == "Po") {
      EXPECT_TRUE(r->large_print);
    }
  }
  EXPECT_EQ(got, (std::vector<std::pair<std::string, std::string>>{{"email", "em@example.org"},
                                                                     {"sms", "+447700900001"},
                                                                     {"letter", "1 High Street\nTown\nAB1 2CD"},
                                                                     {"phone", "07700 900001"}}));
}

class NoticesTest : public OutboxTest {
 protected:
  void SetUp() override {
    OutboxTest::SetUp();
    use_smtp();
    PersonDetails ann;
    ann.name = "Ann";
    ann.email = "ann@example.org";
    ann.contact_by = "email";
    ann.formats = {"easy_read"};
    ann.access_needs = {"hearing_loop"};
    PersonDetails bob;
    bob.name = "Bob";
    bob.address = "1 High Street";
    bob.contact_by = "post";
    PersonDetails cy;
    cy.name = "Cy";
    cy.phone = "01632 960001";
    cy.contact_by = "phone";
    PersonDetails di;
    di.name = "Di";
    di.email = "di@example.org";
    for (const auto& d : {ann, bob, cy}) ids_.push_back(add_person(d));
    ids_.push_back(add_person(di, false));  // Di has not consented
    involvement::GroupInput g{"Carers' voice", "", "council", "6", "12", "co_production", false};
    auto group = involvement::Groups(**db_, clock_).create(1, g, actor_);
    ASSERT_TRUE(group.ok());
    auto* c = *(*db_)->connection();
    for (int64_t id : ids_) {
      ASSERT_TRUE(c->execute("INSERT INTO group_members (group_id, person_id, status, invited_at) VALUES ($1, $2,"
                             " 'accepted', 'x')",
                             {group->id, id})
                      .ok());
    }
    activities::ActivityInput in{"meeting", "Spring meeting", "14", "4", "2027", "10:30", "120", "Town hall", "", "", ""};
    auto a = activities::Activities(**db_, clock_).create(1, group->id, in, actor_);
    ASSERT_TRUE(a.ok()) << a.status().to_string();
    activity_ = a->id;
  }
  std::vector<int64_t> ids_;
  int64_t activity_ = 0;
};

TEST_F(NoticesTest, InvitingTellsEachPersonTheirWayOnceAndNotThoseWithoutConsent) {
  Notices notices(**db_, clock_, "https://coproduce.example.org");
  int invited = 0;
  auto sent = notices.invite_to_activity(1, activity_, actor_, &invited);
  ASSERT_TRUE(sent.ok()) << sent.status().to_string();
  EXPECT_EQ(invited, 4);
  EXPECT_EQ(sent->queued, 1);    // Ann by email
  EXPECT_EQ(sent->to_print, 1);  // Bob: SMTP cannot post letters
  EXPECT_EQ(sent->to_call, 1);   // Cy asked for a call
  EXPECT_EQ(sent->not_sent, 1);  // Di has not consented
  auto again = notices.activity_invitations(1, activity_, actor_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->total(), 0);
  EXPECT_EQ(again->already, 4);
  auto list = Outbox(**db_, clock_).list(1, queued_about_activity(activity_));
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  const Message& ann = list->front();
  EXPECT_EQ(ann.version, kEasyRead);
  EXPECT_NE(ann.body.find("Hello Ann"), std::string::npos);
  EXPECT_NE(ann.body.find("A hearing loop."), std::string::npos);
  EXPECT_NE(ann.body.find("Wednesday 14 April 2027 at 10:30am"), std::string::npos);
}

TEST_F(NoticesTest, AChangeOfTimeIsToldOnceAndACancellationToEveryoneComing) {
  Notices notices(**db_, clock_, "https://coproduce.example.org");
  ASSERT_TRUE(notices.invite_to_activity(1, activity_, actor_).ok());
  activities::ActivityInput moved{"meeting", "Spring meeting", "14", "4", "2027", "11:00", "120", "Town hall", "", "", ""};
  auto changed = notices.update_activity(1, activity_, moved, actor_);
  ASSERT_TRUE(changed.ok()) << changed.status().to_string();
  EXPECT_EQ(changed->queued, 1);
  auto same = notices.update_activity(1, activity_, moved, actor_);
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->total(), 0);  // nothing changed, nothing told
  auto list = Outbox(**db_, clock_).list(1, queued_about_activity(activity_));
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ(list->front().kind, "activity_changed");
  EXPECT_NE(list->front().body.find("11am"), std::string::npos);
  auto cancelled = notices.cancel_activity(1, activity_, actor_);
  ASSERT_TRUE(cancelled.ok());
  EXPECT_EQ(cancelled->queued + cancelled->to_print + cancelled->to_call, 3);
}

// People who asked for Welsh get Welsh: the shipped wording from the Welsh
// catalogue, dates as Welsh writes them, the organisation's own Welsh
// wording once it has one; everyone else's messages stay English.
class WelshNoticesTest : public NoticesTest {
 protected:
  void SetUp() override {
    auto catalogues = i18n::Catalogues::load(COPRODUCE_LOCALE_DIR);
    ASSERT_TRUE(catalogues.ok()) << catalogues.status().to_string();
    ASSERT_TRUE((*catalogues)->has("cy")) << "the build compiles po/cy.po into " << COPRODUCE_LOCALE_DIR;
    i18n::install(*catalogues);
    NoticesTest::SetUp();
    PersonDetails elin;
    elin.name = "Elin";
    elin.email = "elin@example.org";
    elin.contact_by = "email";
    elin.formats = {"welsh"};
    elin_ = add_person(elin);
    auto* c = *(*db_)->connection();
    ASSERT_TRUE(c->execute("INSERT INTO group_members (group_id, person_id, status, invited_at) SELECT group_id, $1,"
                           " 'accepted', 'x' FROM activities WHERE id = $2",
                           {elin_, activity_})
                    .ok());
  }
  void TearDown() override {
    i18n::install(nullptr);
    NoticesTest::TearDown();
  }
  std::optional<Message> message_to(const std::string& address, const std::string& kind) {
    auto list = Outbox(**db_, clock_).list(1, queued_about_activity(activity_));
    EXPECT_TRUE(list.ok());
    for (const auto& m : *list) {
      if (m.recipient == address && m.kind == kind) return m;
    }
    return std::nullopt;
  }
  int64_t elin_ = 0;
};

TEST_F(WelshNoticesTest, APersonWhoAskedForWelshIsWrittenToInWelsh) {
  Notices notices(**db_, clock_, "https://coproduce.example.org");
  ASSERT_TRUE(notices.invite_to_activity(1, activity_, actor_).ok());
  auto elin = message_to("elin@example.org", "activity_invitation");
  ASSERT_TRUE(elin.has_value());
  EXPECT_EQ(elin->language, "cy");
  EXPECT_EQ(elin->version, kPlain);
  EXPECT_EQ(elin->subject, "Gwahoddiad: Spring meeting, Dydd Mercher 14 Ebrill 2027 am 10:30");
  EXPECT_NE(elin->body.find("Annwyl Elin,"), std::string::npos) << elin->body;
  EXPECT_NE(elin->body.find("Pryd: Dydd Mercher 14 Ebrill 2027 am 10:30"), std::string::npos) << elin->body;
  EXPECT_NE(elin->body.find("Tâl a threuliau: Rydym yn eich talu am eich amser"), std::string::npos) << elin->body;
  EXPECT_EQ(elin->body.find("Dear"), std::string::npos) << elin->body;
  // Ann asked for Easy Read in English: unchanged.
  auto ann = message_to("ann@example.org", "activity_invitation");
  ASSERT_TRUE(ann.has_value());
  EXPECT_EQ(ann->language, "en");
  EXPECT_NE(ann->body.find("Wednesday 14 April 2027 at 10:30am"), std::string::npos);

  // A change is told in each person's language.
  activities::ActivityInput moved{"meeting", "Spring meeting", "14", "4", "2027", "11:00", "120", "Town hall", "", "", ""};
  ASSERT_TRUE(notices.update_activity(1, activity_, moved, actor_).ok());
  auto changed = message_to("elin@example.org", "activity_changed");
  ASSERT_TRUE(changed.has_value());
  EXPECT_NE(changed->body.find("Mae nawr yn dechrau am 11:00."), std::string::npos) << changed->body;
  auto changed_ann = message_to("ann@example.org", "activity_changed");
  ASSERT_TRUE(changed_ann.has_value());
  EXPECT_NE(changed_ann->body.find("It now starts at 11am."), std::string::npos) << changed_ann->body;
}

TEST_F(WelshNoticesTest, TheOrganisationsOwnWelshWordingIsUsedAndKeptApartFromItsEnglish) {
  Templates templates(**db_, clock_);
  ASSERT_TRUE(templates
                  .save(1, "activity_cancelled", kPlain, "Canslo: ((activity))", "Annwyl ((name)), dim cyfarfod.",
                        actor_, nullptr, "cy")
                  .ok());
  auto english = templates.get(1, "activity_cancelled", kPlain, "en");
  ASSERT_TRUE(english.ok());
  EXPECT_FALSE(english->customised);
  auto welsh = templates.get(1, "activity_cancelled", kPlain, "cy");
  ASSERT_TRUE(welsh.ok());
  EXPECT_TRUE(welsh->customised);
  EXPECT_EQ(welsh->language, "cy");
  // Messages cannot be written in a language there is no catalogue for.
  EXPECT_EQ(templates.get(1, "activity_cancelled", kPlain, "fr").status().code(), StatusCode::kNotFound);

  Notices notices(**db_, clock_, "https://coproduce.example.org");
  ASSERT_TRUE(notices.invite_to_activity(1, activity_, actor_).ok());
  ASSERT_TRUE(notices.cancel_activity(1, activity_, actor_).ok());
  auto elin = message_to("elin@example.org", "activity_cancelled");
  ASSERT_TRUE(elin.has_value());
  EXPECT_EQ(elin->subject, "Canslo: Spring meeting");
  EXPECT_EQ(elin->body, "Annwyl Elin, dim cyfarfod.");
}

TEST_F(NoticesTest, RemindersGoOnceForActivitiesStartingSoon) {
  Notices notices(**db_, clock_, "https://coproduce.example.org");
  ASSERT_TRUE(notices.invite_to_activity(1, activity_, actor_).ok());
  auto early = notices.due_reminders(std::chrono::hours(48));
  ASSERT_TRUE(early.ok());
  EXPECT_EQ(early->total(), 0);  // the activity is months away
  // Two days before it (the fake clock starts in January 2027).
  auto when = std::chrono::sys_days{std::chrono::year{2027} / 4 / 12} + std::chrono::hours(12);
  clock_.advance(std::chrono::duration_cast<std::chrono::seconds>(when - clock_.now()));
  auto due = notices.due_reminders(std::chrono::hours(48));
  ASSERT_TRUE(due.ok()) << due.status().to_string();
  EXPECT_EQ(due->queued, 1);
  EXPECT_EQ(due->to_print + due->to_call, 2);
  auto again = notices.due_reminders(std::chrono::hours(48));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->total(), 0);
}

TEST_F(NoticesTest, ErasingAPersonBlanksTheirMessages) {
  Notices notices(**db_, clock_, "https://coproduce.example.org");
  ASSERT_TRUE(notices.invite_to_activity(1, activity_, actor_).ok());
  ASSERT_TRUE(involvement::People(**db_, clock_).erase(1, ids_[0], actor_).ok());
  auto list = Outbox(**db_, clock_).list(1, {"activity", activity_, {}, ids_[0]});
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list->front().recipient, "");
  EXPECT_EQ(list->front().body, "");
  EXPECT_EQ(list->front().status, "failed");
}

TEST_F(OutboxTest, LearningDueSoonAndOverdueIsEmailedOnceToWorkersWithAnAddress) {
  use_smtp();
  learning::ModuleContent content = learning::starter_module();
  content.title = "Listening well";
  auto module = learning::Learning(**db_, clock_).create_module(1, content, actor_);
  ASSERT_TRUE(module.ok()) << module.status().to_string();
  // Care workers must do it within 30 days of starting.
  ASSERT_TRUE(learning::Learning(**db_, clock_).add_requirement(1, {std::to_string(module->id), "care_worker", "30", ""}, actor_).ok());
  learning::Workforce workforce(**db_, clock_);
  // The clock is 15 January 2027. Dee started 20 days ago (due in 10 days),
  // Sid 25 days ago (due in 5), Oz 40 days ago (overdue); Nan has no email.
  auto add = [&](const std::string& id, const std::string& name, const std::string& started, const std::string& email) {
    learning::WorkerInput in;
    in.worker_id = id;
    in.name = name;
    in.role_category = "care_worker";
    in.closeness = "direct_care";
    in.started_on = started;
    in.email = email;
    auto w = workforce.add(1, in, actor_);
    ASSERT_TRUE(w.ok()) << w.status().to_string();
  };
  add("W1", "Dee Later", "2026-12-26", "dee@example.org");
  add("W2", "Sid Soon", "2026-12-21", "sid@example.org");
  add("W3", "Oz Over", "2026-12-06", "oz@example.org");
  add("W4", "Nan None", "2026-12-06", "");
  Notices notices(**db_, clock_, "https://coproduce.example.org");
  auto sent = notices.learning_reminders();
  ASSERT_TRUE(sent.ok()) << sent.status().to_string();
  EXPECT_EQ(sent->queued, 2);
  auto list = Outbox(**db_, clock_).list(1, {});
  ASSERT_TRUE(list.ok());
  std::map<std::string, std::string> kinds;
  for (const auto& m : *list) kinds[m.recipient] = m.kind;
  EXPECT_EQ(kinds, (std::map<std::string, std::string>{{"oz@example.org", "learning_overdue"},
                                                       {"sid@example.org", "learning_due"}}));
  for (const auto& m : *list) EXPECT_NE(m.body.find("Listening well"), std::string::npos);
  // Run again: nothing new. A week later Dee's is due soon too.
  EXPECT_EQ(notices.learning_reminders()->total(), 0);
  clock_.advance(std::chrono::hours(24 * 6));
  auto later = notices.learning_reminders();
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(later->queued, 2);  // Dee due soon; Sid now overdue
}

}  // namespace
}  // namespace coproduce::messages
