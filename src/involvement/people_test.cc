#include "involvement/people.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "involvement/options.h"
#include "security/audit.h"
#include "store/migrations.h"

namespace coproduce::involvement {
namespace {

namespace fs = std::filesystem;

PersonDetails ada() {
  PersonDetails d;
  d.name = "  Ada Lovelace ";
  d.email = "Ada@Example.org";
  d.postcode = "ab1 2cd";
  d.address = "1 Engine Street";
  d.contact_by = "email";
  d.formats = {"easy_read", "large_print"};
  d.access_needs = {"hearing_loop"};
  d.lived_experience = {"unpaid_carer"};
  d.area = "Northfield";
  d.ways = {"in_person", "online"};
  d.payment = "paid";
  d.benefits_advice = true;
  return d;
}

PeopleQuery text(const std::string& t) {
  PeopleQuery q;
  q.text = t;
  return q;
}

class PeopleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = fs::temp_directory_path() / ("coproduce-people-" + std::to_string(::getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    fs::remove(path_);
    db_ = *store::open_database(path_.string());
    ASSERT_TRUE(store::migrate(*db_, store::bundled_migrations()).ok());
    conn_ = *db_->connection();
    for (const char* name : {"Org A", "Org B"}) {
      ASSERT_TRUE(conn_->execute("INSERT INTO organisations (name, created_at) VALUES ($1, 'x')", {name}).ok());
    }
    ASSERT_TRUE(conn_->execute("INSERT INTO users (organisation_id, email, role, created_at)"
                               " VALUES (1, 'lead@example.org', 'coproduction-lead', 'x')").ok());
    people_ = std::make_unique<People>(*db_, clock_);
  }
  void TearDown() override {
    people_.reset();
    db_.reset();
    for (const char* ext : {"", "-wal", "-shm"}) fs::remove(path_.string() + ext);
  }
  int64_t audit_count(const std::string& action) {
    return conn_->query_one("SELECT COUNT(*) FROM audit_log WHERE action = $1", {action})->integer(0);
  }

  FakeClock clock_{std::chrono::system_clock::from_time_t(1'800'000'000)};
  fs::path path_;
  std::unique_ptr<store::Database> db_;
  store::Connection* conn_ = nullptr;
  std::unique_ptr<People> people_;
  Actor staff_{1, "10.0.0.1"};
};

TEST(Validate, NamesEveryProblemByField) {
  PersonDetails d;
  d.email = "not an email";
  d.phone = "call me";
  d.postcode = "XYZ";
  d.formats = {"other_language", "smoke_signals"};
  d.payment = "maybe";
  d.contact_by = "post";
  std::vector<std::string> fields;
  for (const auto& e : validate(d)) fields.push_back(e.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"name", "email", "phone", "postcode", "contact_by", "formats",
                                              "other_language", "payment"}));
}

TEST(Validate, OneWayToReachThePersonIsNeeded) {
  PersonDetails d;
  d.name = "Bo";
  auto errors = validate(d);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "contact");
  d.phone = "01632 960 001";
  EXPECT_TRUE(validate(d).empty());
}

TEST(Validate, EqualityAnswersMustBeKnownCodes) {
  EXPECT_TRUE(validate(Equality{{"ethnic_group", "black_caribbean"}, {"sex", kPreferNotToSay}}).empty());
  EXPECT_EQ(validate(Equality{{"ethnic_group", "martian"}}).size(), 1u);
  EXPECT_EQ(validate(Equality{{"shoe_size", "9"}}).size(), 1u);
}

TEST(Options, CensusEthnicGroupsAreAllThere) {
  const OptionSet* set = option_set("ethnic_group");
  ASSERT_NE(set, nullptr);
  EXPECT_EQ(set->options.size(), 20u) << "19 groups and prefer not to say";
  EXPECT_EQ(set->find("caribbean")->code, "black_caribbean");
  EXPECT_EQ(set->find(" ROMA ")->group, "White");
}

TEST_F(PeopleTest, AddTidiesAndKeepsEverythingIncludingConsentAndEquality) {
  auto p = people_->add(1, ada(), "self", true, Equality{{"age_band", "65_74"}}, {std::nullopt, "web"});
  ASSERT_TRUE(p.ok()) << p.status().to_string();
  EXPECT_EQ(p->details.name, "Ada Lovelace");
  EXPECT_EQ(p->details.email, "ada@example.org");
  EXPECT_EQ(p->details.postcode, "AB1 2CD");
  EXPECT_EQ(p->details.formats, (std::vector<std::string>{"easy_read", "large_print"}));
  ASSERT_TRUE(p->consent.has_value());
  EXPECT_EQ(p->consent->version, current_consent().version);
  EXPECT_TRUE(p->consent->active());
  auto eq = people_->equality(1, p->id, staff_);
  ASSERT_TRUE(eq.ok() && eq->has_value());
  EXPECT_EQ((**eq).at("age_band"), "65_74");
  EXPECT_EQ(audit_count("person.create"), 1);
  EXPECT_EQ(audit_count("equality.read"), 1);
}

TEST_F(PeopleTest, InvalidDetailsStoreNothing) {
  PersonDetails d = ada();
  d.email = "nope";
  auto p = people_->add(1, d, "staff", true, std::nullopt, staff_);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().where().field, "email");
  EXPECT_EQ(conn_->query_one("SELECT COUNT(*) FROM people")->integer(0), 0);
}

TEST_F(PeopleTest, AnotherOrganisationCannotReadOrChangeThePerson) {
  auto p = people_->add(1, ada(), "staff", false, std::nullopt, staff_);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(people_->get(2, p->id, staff_).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(people_->update(2, p->id, ada(), staff_).code(), StatusCode::kNotFound);
  EXPECT_EQ(people_->erase(2, p->id, staff_).code(), StatusCode::kNotFound);
  EXPECT_FALSE(people_->export_person(2, p->id, staff_).ok());
  int64_t total = -1;
  EXPECT_TRUE(people_->search(2, {}, staff_, &total)->empty());
  EXPECT_EQ(total, 0);
  EXPECT_EQ(people_->get(1, p->id, staff_)->details.name, "Ada Lovelace");
}

TEST_F(PeopleTest, SearchMatchesTextAndFiltersAndTreatsWildcardsAsText) {
  ASSERT_TRUE(people_->add(1, ada(), "staff", true, std::nullopt, staff_).ok());
  PersonDetails bo;
  bo.name = "Bo 100%";
  bo.phone = "01632 960 002";
  bo.lived_experience = {"draws_on_care"};
  ASSERT_TRUE(people_->add(1, bo, "staff", false, std::nullopt, staff_).ok());
  auto names = [&](PeopleQuery q) {
    std::vector<std::string> out;
    auto found = people_->search(1, q, staff_);
    EXPECT_TRUE(found.ok());
    for (const auto& p : *found) out.push_back(p.details.name);
    return out;
  };
  EXPECT_EQ(names(text("lovelace")), std::vector<std::string>{"Ada Lovelace"});
  EXPECT_EQ(names(text("100%")), std::vector<std::string>{"Bo 100%"});
  EXPECT_TRUE(names(text("%")).size() == 1u) << "% is a character, not a wildcard";
  PeopleQuery carers;
  carers.lived_experience = "unpaid_carer";
  EXPECT_EQ(names(carers), std::vector<std::string>{"Ada Lovelace"});
  PeopleQuery consented;
  consented.consented_only = true;
  EXPECT_EQ(names(consented), std::vector<std::string>{"Ada Lovelace"});
  EXPECT_GE(audit_count("person.list"), 1);
}

TEST_F(PeopleTest, WithdrawingConsentIsAsEasyAsGivingIt) {
  auto p = people_->add(1, ada(), "self", true, std::nullopt, {std::nullopt, "web"});
  ASSERT_TRUE(people_->set_consent(1, p->id, false, staff_).ok());
  EXPECT_FALSE(people_->get(1, p->id, staff_)->consent->active());
  PeopleQuery consented;
  consented.consented_only = true;
  EXPECT_TRUE(people_->search(1, consented, staff_)->empty());
  ASSERT_TRUE(people_->set_consent(1, p->id, true, staff_).ok());
  EXPECT_TRUE(people_->get(1, p->id, staff_)->consent->active());
}

TEST_F(PeopleTest, ExportHoldsEverythingWeKeep) {
  auto p = people_->add(1, ada(), "self", true, Equality{{"ethnic_group", "asian_indian"}}, staff_);
  auto j = people_->export_person(1, p->id, staff_);
  ASSERT_TRUE(j.ok());
  EXPECT_EQ((*j)["email"], "ada@example.org");
  EXPECT_EQ((*j)["consents"][0]["wording"], current_consent().text);
  EXPECT_EQ((*j)["equality_monitoring"]["ethnic_group"], "asian_indian");
  auto csv_text = people_->export_person_csv(1, p->id, staff_);
  ASSERT_TRUE(csv_text.ok());
  EXPECT_NE(csv_text->find("equality_monitoring ethnic_group,asian_indian"), std::string::npos);
  EXPECT_EQ(audit_count("person.export"), 2);
}

TEST_F(PeopleTest, ErasureRemovesWhatIdentifiesAndKeepsAnAnonymousRecord) {
  PersonDetails d = ada();
  d.attributes["age group"] = "65+";
  auto p = people_->add(1, d, "self", true, Equality{{"sex", "female"}}, staff_);
  ASSERT_TRUE(people_->erase(1, p->id, staff_).ok());
  auto after = people_->get(1, p->id, staff_);
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(after->erased);
  EXPECT_EQ(after->details.name, "");
  EXPECT_EQ(after->details.email, "");
  EXPECT_EQ(after->details.address, "");
  EXPECT_TRUE(after->details.attributes.empty());
  EXPECT_EQ(after->details.lived_experience, std::vector<std::string>{"unpaid_carer"}) << "kept for counts";
  EXPECT_FALSE(people_->equality(1, p->id, staff_)->has_value());
  EXPECT_FALSE(after->consent->active());
  EXPECT_TRUE(people_->search(1, {}, staff_)->empty()) << "erased people leave the pool";
  EXPECT_FALSE(people_->update(1, p->id, ada(), staff_).ok());
}

csv::Table table(const std::string& text) {
  csv::ReadOptions o;
  o.file_name = "pool.csv";
  return *csv::parse(text, o);
}

TEST_F(PeopleTest, ImportKeepsKnownColumnsAndTurnsTheRestIntoCategories) {
  auto t = table(
      "unique_id,first_name,last_name,email,Gender,age group,formats,consent\n"
      "p1,Ada,Lovelace,ada@example.org,Female,65+,Easy Read;large_print,yes\n"
      "p2,Bo,Diddley,bo@example.org,Male,25-44,,no\n");
  std::vector<ImportProblem> problems;
  auto r = people_->import_table(1, t, "", staff_, &problems);
  ASSERT_TRUE(r.ok()) << r.status().to_string() << (problems.empty() ? "" : problems[0].message);
  EXPECT_EQ(r->added, 2);
  EXPECT_EQ(r->attribute_columns, (std::vector<std::string>{"Gender", "age group"}));
  auto all = *people_->search(1, {}, staff_);
  ASSERT_EQ(all.size(), 2u);
  auto full = *people_->get(1, all[1].id, staff_);
  EXPECT_EQ(full.details.name, "Ada Lovelace");
  EXPECT_EQ(full.external_id, "p1");
  EXPECT_EQ(full.details.formats, (std::vector<std::string>{"easy_read", "large_print"}));
  EXPECT_EQ(full.details.attributes.at("Gender"), "Female");
  EXPECT_TRUE(full.consent && full.consent->active());
  EXPECT_FALSE(people_->get(1, all[0].id, staff_)->consent.has_value());
}

TEST_F(PeopleTest, AMixedImportNamesEachBadCellAndImportsNothing) {
  auto t = table(
      "id,name,email,phone,formats\n"
      "1,Ada,ada@example.org,,\n"
      "2,,bo@example.org,,\n"
      "3,Cy,not-an-email,,\n"
      "3,Di,,01632 960 003,telepathy\n");
  std::vector<ImportProblem> problems;
  auto r = people_->import_table(1, t, "", staff_, &problems);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("nothing was imported"), std::string::npos);
  std::vector<std::string> where;
  for (const auto& p : problems) where.push_back(p.where.to_string() + ": " + p.message);
  ASSERT_EQ(problems.size(), 4u) << ::testing::PrintToString(where);
  EXPECT_EQ(problems[0].where.line, 3);
  EXPECT_EQ(problems[0].where.column, 2) << "the name column";
  EXPECT_EQ(problems[1].where.line, 4);
  EXPECT_EQ(problems[1].where.column, 3) << "the email column";
  EXPECT_EQ(problems[2].where.line, 5);
  EXPECT_EQ(problems[2].where.column, 5) << "the formats column";
  EXPECT_EQ(problems[3].where.line, 5);
  EXPECT_EQ(problems[3].where.column, 1) << "the duplicate id";
  EXPECT_EQ(conn_->query_one("SELECT COUNT(*) FROM people")->integer(0), 0);
}

TEST_F(PeopleTest, ImportsTheOpenDlpExamplePool) {
  const char* src = std::getenv("COPRODUCE_SOURCE_DIR");
  fs::path file = fs::path(src ? src : ".") / ".." / "shared" / "data" / "sortition" / "formats" / "opendlp" /
                  "monitoring_respondents.csv";
  if (!fs::exists(file)) GTEST_SKIP() << "shared data not present";
  auto t = csv::read_file(file.string());
  ASSERT_TRUE(t.ok()) << t.status().to_string();
  std::vector<ImportProblem> problems;
  auto r = people_->import_table(1, *t, "", staff_, &problems);
  ASSERT_TRUE(r.ok()) << (problems.empty() ? r.status().to_string() : problems[0].where.to_string() + " " + problems[0].message);
  EXPECT_EQ(r->added, static_cast<int>(t->rows.size()));
  PeopleQuery q;
  q.text = "Amina";
  auto first = people_->search(1, q, staff_);
  ASSERT_EQ(first->size(), 1u);
  auto amina = *people_->get(1, first->front().id, staff_);
  EXPECT_EQ(amina.details.address, "42 Oak Street, Harveston");
  EXPECT_EQ(amina.details.attributes.at("gender"), "Female");
}

}  // namespace
}  // namespace coproduce::involvement
