// What the messages pages and API rely on from the module: a test email
// queued (or refused by field), settings saved on a server with no
// COPRODUCE_SECRET_KEY, and reads of messages recorded in the audit log.
#include "messages/test_message.h"

#include <gtest/gtest.h>

#include "messages/settings.h"
#include "store/temporary_database.h"

namespace coproduce::messages {
namespace {

class PagesSupportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::make_unique<store::TemporaryDatabase>(std::string("messages-pages-") +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    ASSERT_TRUE(db_->status().ok()) << db_->status().to_string();
    auto* c = *(*db_)->connection();
    ASSERT_TRUE(c->execute("INSERT INTO organisations (name, created_at) VALUES ('Org', 'x')").ok());
    ASSERT_TRUE(
        c->execute(
             "INSERT INTO users (organisation_id, email, role, created_at) VALUES (1, 'a@x.org', 'administrator', 'x')")
            .ok());
    sender_.id = 1;
    sender_.organisation_id = 1;
    sender_.organisation_name = "Org";
  }

  int64_t count(const std::string& sql) {
    auto* c = *(*db_)->connection();
    auto n = c->query_one(sql);
    EXPECT_TRUE(n.ok());
    return n.ok() ? n->integer(0) : -1;
  }

  FakeClock clock_{std::chrono::system_clock::from_time_t(1'800'000'000)};
  std::unique_ptr<store::TemporaryDatabase> db_;
  accounts::User sender_;
  Actor actor_{1, "test"};
};

TEST_F(PagesSupportTest, ATestEmailIsRefusedByFieldUntilSendingIsSetUpThenQueued) {
  auto bad = queue_test(**db_, clock_, sender_, "not an address");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(bad.status().where().field, "to");
  auto nothing_set_up = queue_test(**db_, clock_, sender_, "me@example.org");
  ASSERT_FALSE(nothing_set_up.ok());
  EXPECT_EQ(nothing_set_up.status().code(), StatusCode::kConflict);
  EXPECT_EQ(count("SELECT COUNT(*) FROM messages"), 0);

  auto box = security::SecretBox::from_passphrase("a test passphrase, long enough");
  ASSERT_TRUE(box.ok());
  SettingsInput in;
  in.backend = kSmtp;
  in.smtp_url = "smtp://127.0.0.1:2525";
  in.smtp_from = "involve@example.org";
  ASSERT_TRUE(MessageSettings(**db_, clock_).save(1, in, *box, actor_, nullptr).ok());
  auto first = queue_test(**db_, clock_, sender_, " Me@Example.org ");
  auto second = queue_test(**db_, clock_, sender_, "me@example.org");
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->status, "queued");
  EXPECT_NE(first->id, second->id) << "each test is a message of its own";
  auto m = Outbox(**db_, clock_).get(1, first->id);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->kind, "test");
  EXPECT_EQ(m->recipient, "me@example.org");
  EXPECT_EQ(m->about_type, "user");
  EXPECT_NE(m->body.find("Org"), std::string::npos);
}

TEST_F(PagesSupportTest, WithoutTheServersKeySecretsAreRefusedByFieldAndTheRestIsSaved) {
  MessageSettings settings(**db_, clock_);
  SettingsInput notify;
  notify.backend = kNotify;
  notify.notify_key = "k-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0";
  notify.organisation_daily_limit = "lots";
  std::vector<FieldError> problems;
  Status s = settings.save_without_key(1, notify, "no key here", actor_, &problems);
  EXPECT_EQ(s.code(), StatusCode::kInvalidInput);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].field, "organisation_daily_limit");
  EXPECT_EQ(problems[1].field, "notify_key");
  EXPECT_EQ(problems[1].message, "The API key cannot be stored: no key here");

  SettingsInput smtp;
  smtp.backend = kSmtp;
  smtp.smtp_url = "smtp://user:secret@127.0.0.1:2525";
  smtp.smtp_from = "involve@example.org";
  smtp.smtp_password = "another";
  s = settings.save_without_key(1, smtp, "no key here", actor_, &problems);
  EXPECT_EQ(s.code(), StatusCode::kInvalidInput);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].field, "smtp_url");
  EXPECT_EQ(problems[1].field, "smtp_password");
  EXPECT_EQ(count("SELECT COUNT(*) FROM message_settings"), 0) << "nothing was saved";

  // Settings with no secret in them are saved.
  smtp.smtp_url = "smtp://127.0.0.1:2525";
  smtp.smtp_password.clear();
  smtp.recipient_daily_limit = "4";
  ASSERT_TRUE(settings.save_without_key(1, smtp, "no key here", actor_, &problems).ok());
  auto saved = settings.get(1);
  ASSERT_TRUE(saved.ok());
  EXPECT_EQ(saved->backend, kSmtp);
  EXPECT_EQ(saved->recipient_daily_limit, 4);
  EXPECT_FALSE(saved->smtp_password_stored);
}

TEST_F(PagesSupportTest, ReadingMessagesIsAudited) {
  ASSERT_TRUE(Outbox(**db_, clock_).record_read(1, "messages", "failed", actor_).ok());
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'messages.read' AND subject_type = 'messages'"
                  " AND subject_id = 'failed' AND organisation_id = 1"),
            1);
}

}  // namespace
}  // namespace coproduce::messages
