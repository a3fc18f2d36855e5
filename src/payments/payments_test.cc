#include "payments/payments.h"

#include <gtest/gtest.h>


#include "involvement/groups.h"
#include "payments/money.h"
#include "sheets/sheets.h"
#include "store/temporary_database.h"

namespace coproduce::payments {
namespace {

using activities::Activities;
using involvement::PersonDetails;

RateTable table() {
  return {{"member", {{"hour", 2000}, {"half_day", 7500}, {"day", 15000}}}, {"chair", {{"hour", 3000}}}};
}

TEST(PayFor, BandsByLengthWithFallbacks) {
  EXPECT_EQ(pay_for(table(), "member", 90)->pence, 3000);
  EXPECT_EQ(pay_for(table(), "member", 90)->basis, "1 hour 30 minutes at \xC2\xA3" "20.00 an hour");
  EXPECT_EQ(pay_for(table(), "member", 119)->pence, 3967);  // 2000 × 119 / 60 = 3966.67
  EXPECT_EQ(pay_for(table(), "member", 120)->pence, 7500);
  EXPECT_EQ(pay_for(table(), "member", 240)->pence, 7500);
  EXPECT_EQ(pay_for(table(), "member", 241)->pence, 15000);
  // A chair has only an hourly rate: every length is paid by the hour.
  EXPECT_EQ(pay_for(table(), "chair", 180)->pence, 9000);
  // An adviser has no rates: the member's apply.
  EXPECT_EQ(pay_for(table(), "adviser", 45)->pence, 1500);
  EXPECT_EQ(pay_for({}, "member", 60).status().code(), StatusCode::kNotFound);
  RateTable day_only = {{"member", {{"day", 12000}}}};
  EXPECT_EQ(pay_for(day_only, "member", 300)->pence, 12000);
  EXPECT_EQ(pay_for(day_only, "member", 60).status().code(), StatusCode::kNotFound);
}

TEST(TaxYear, StartsOnTheSixthOfApril) {
  EXPECT_EQ(tax_year_start("2027-04-05"), "2026-04-06");
  EXPECT_EQ(tax_year_start("2027-04-06"), "2027-04-06");
  EXPECT_EQ(tax_year_start("2027-12-31T10:00"), "2027-04-06");
  EXPECT_EQ(tax_year_end("2027-04-06"), "2028-04-05");
}

TEST(ReceiptType, AcceptsPdfJpegAndPngOnly) {
  EXPECT_EQ(receipt_type("%PDF-1.7 ..."), "application/pdf");
  EXPECT_EQ(receipt_type(std::string("\xFF\xD8\xFF\xE0 jfif", 9)), "image/jpeg");
  EXPECT_EQ(receipt_type(std::string("\x89PNG\r\n\x1a\n....", 12)), "image/png");
  EXPECT_EQ(receipt_type("<html>"), "");
  EXPECT_EQ(receipt_type(""), "");
}

TEST(PayrollCsv, KeepsSpreadsheetsFromRunningFormulas) {
  PayrollLine l{"payment", 1, 7, "P-7", "=HYPERLINK(\"x\")", "1 Road", "AB1 2CD", "2027-04-14", "Meeting: 2 hours", 7500};
  std::string text = payroll_csv({l});
  EXPECT_NE(text.find("\"'=HYPERLINK(\"\"x\"\")\""), std::string::npos) << text;
  EXPECT_NE(text.find(",75.00,7500"), std::string::npos) << text;
}

TEST(PayrollXlsx, HasTheCsvColumnsWithTheAmountAsTextAndPenceAsAWholeNumber) {
  PayrollLine l{"payment", 1, 7, "P-7", "=SUM(1)", "1 Road", "AB1 2CD", "2027-04-14", "Meeting: 2 hours", 7505};
  auto bytes = payroll_xlsx({l});
  ASSERT_TRUE(bytes.ok()) << bytes.status().to_string();
  auto book = sheets::from_xlsx(*bytes, "payroll.xlsx");
  ASSERT_TRUE(book.ok()) << book.status().to_string();
  ASSERT_EQ(book->size(), 1u);
  const auto& rows = book->front().rows;
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][0].text, "reference");
  EXPECT_EQ(rows[0][8].text, "pence");
  EXPECT_EQ(rows[1][1].text, "=SUM(1)") << "a name is kept as text, never a formula";
  EXPECT_EQ(rows[1][7].kind, sheets::Cell::Kind::kText);
  EXPECT_EQ(rows[1][7].text, "75.05");
  EXPECT_EQ(rows[1][8].kind, sheets::Cell::Kind::kInteger);
  EXPECT_EQ(rows[1][8].integer, 7505);
}

class PaymentsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::make_unique<store::TemporaryDatabase>(std::string("payments-") +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    ASSERT_TRUE(db_->status().ok()) << db_->status().to_string();
    auto* c = *(*db_)->connection();
    ASSERT_TRUE(c->execute("INSERT INTO organisations (name, created_at) VALUES ('Org', 'x'), ('Other', 'x')").ok());
    ASSERT_TRUE(c->execute("INSERT INTO users (organisation_id, email, role, created_at) VALUES (1, 'l@x.org', 'coproduction-lead', 'x')").ok());
    involvement::People people(**db_, clock_);
    // Paid wants paying; Declined does not; Unasked was never asked; Advice wants paying and benefits advice.
    for (const char* name : {"Paid", "Declined", "Unasked", "Advice"}) {
      PersonDetails d;
      d.name = name;
      d.email = std::string(name) + "@example.org";
      d.payment = std::string(name) == "Declined" ? "declined" : std::string(name) == "Unasked" ? "" : "paid";
      d.benefits_advice = std::string(name) == "Advice";
      auto p = people.add(1, d, "staff", true, std::nullopt, actor_);
      ASSERT_TRUE(p.ok()) << p.status().to_string();
      ids_.push_back(p->id);
    }
    involvement::GroupInput g{"Board", "", "council", "6", "12", "co_production", false};
    group_ = involvement::Groups(**db_, clock_).create(1, g, actor_)->id;
    for (int64_t id : ids_) {
      ASSERT_TRUE(c->execute("INSERT INTO group_members (group_id, person_id, status, invited_at) VALUES ($1, $2, 'accepted', 'x')",
                             {group_, id}).ok());
    }
    Payments pay(**db_, clock_);
    ASSERT_TRUE(pay.set_rates(1, {{"member", {{"hour", "20"}, {"half_day", "75.00"}, {"day", "150"}}}}, actor_, nullptr).ok());
  }
  // A held activity of `minutes` everyone attended.
  int64_t held(const std::string& day, const std::string& minutes) {
    Activities acts(**db_, clock_);
    activities::ActivityInput in{"meeting", "Meeting " + day, day, "5", "2027", "10:00", minutes, "Hall", "", "", ""};
    auto a = acts.create(1, group_, in, actor_);
    EXPECT_TRUE(a.ok()) << a.status().to_string();
    EXPECT_TRUE(acts.invite_members(1, a->id, actor_).ok());
    std::vector<activities::AttendanceEntry> entries;
    for (int64_t id : ids_) entries.push_back({id, "attended", "", ""});
    EXPECT_TRUE(acts.record_attendance(1, a->id, entries, actor_, nullptr).ok());
    return a->id;
  }
  int64_t payment_of(int64_t person) {
    auto all = Payments(**db_, clock_).list(1, "", person, actor_);
    return all->empty() ? 0 : all->front().id;
  }

  FakeClock clock_{std::chrono::system_clock::from_time_t(1'830'000'000)};  // 2027-12-29
  std::unique_ptr<store::TemporaryDatabase> db_;
  involvement::Actor actor_{1, "test"};
  std::vector<int64_t> ids_;
  int64_t group_ = 0;
};

TEST_F(PaymentsTest, RatesAreCheckedAllOrNothing) {
  Payments pay(**db_, clock_);
  std::vector<FieldError> problems;
  Status s = pay.set_rates(1, {{"member", {{"hour", "25"}, {"day", "abc"}}}, {"chair", {{"hour", "-3"}}}}, actor_,
                           &problems);
  EXPECT_EQ(s.code(), StatusCode::kInvalidInput);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].field, "rate-chair-hour");
  EXPECT_EQ(problems[1].field, "rate-member-day");
  EXPECT_EQ(pay.rates(1)->at("member").at("hour"), 2000);  // unchanged
  ASSERT_TRUE(pay.set_rates(1, {{"member", {{"day", ""}}}, {"chair", {{"hour", "30.5"}}}}, actor_, nullptr).ok());
  auto r = *pay.rates(1);
  EXPECT_EQ(r.at("member").count("day"), 0u);
  EXPECT_EQ(r.at("chair").at("hour"), 3050);
}

TEST_F(PaymentsTest, DeclinedAndUnaskedPeopleAreNeverPaid) {
  Payments pay(**db_, clock_);
  int64_t a = held("3", "90");
  auto raised = pay.raise_for_activity(1, a, actor_);
  ASSERT_TRUE(raised.ok()) << raised.status().to_string();
  EXPECT_EQ(raised->raised, 2);
  EXPECT_EQ(raised->declined, std::vector<std::string>{"Declined"});
  EXPECT_EQ(raised->not_asked, std::vector<std::string>{"Unasked"});
  EXPECT_EQ(payment_of(ids_[1]), 0);
  EXPECT_EQ(pay.list(1, "raised", ids_[0], actor_)->front().pence, 3000);  // 90 minutes at £20
  // Raising again adds nothing.
  EXPECT_EQ(pay.raise_for_activity(1, a, actor_)->already, 2);

  // Paid changes their mind after the payment was raised: it cannot be approved or exported.
  auto* c = *(*db_)->connection();
  ASSERT_TRUE(c->execute("UPDATE people SET payment = 'declined' WHERE id = $1", {ids_[0]}).ok());
  Status s = pay.approve(1, payment_of(ids_[0]), false, actor_);
  EXPECT_EQ(s.code(), StatusCode::kConflict);
  EXPECT_NE(s.message().find("declined payment"), std::string::npos);
  ASSERT_TRUE(c->execute("UPDATE people SET payment = 'paid' WHERE id = $1", {ids_[0]}).ok());
  ASSERT_TRUE(pay.approve(1, payment_of(ids_[0]), false, actor_).ok());
  ASSERT_TRUE(c->execute("UPDATE people SET payment = 'declined' WHERE id = $1", {ids_[0]}).ok());
  auto lines = *pay.payroll(1, actor_);
  EXPECT_TRUE(lines.empty());
  // Marking it paid anyway (a payroll downloaded before they declined) is
  // refused as a whole, naming how many lines changed, and marks nothing.
  auto marked = pay.mark_paid(1, {payment_of(ids_[0])}, {}, actor_);
  ASSERT_FALSE(marked.ok());
  EXPECT_EQ(marked.status().code(), StatusCode::kConflict);
  EXPECT_NE(marked.status().message().find("1 line has changed"), std::string::npos) << marked.status().message();
  EXPECT_EQ(c->query_one("SELECT status FROM payments WHERE id = $1", {payment_of(ids_[0])})->text(0), "approved");
}

TEST_F(PaymentsTest, BenefitsAdviceIsConfirmedBeforeTheFirstPaymentOnly) {
  Payments pay(**db_, clock_);
  ASSERT_TRUE(pay.raise_for_activity(1, held("3", "150"), actor_).ok());
  auto first = pay.list(1, "raised", ids_[3], actor_)->front();
  EXPECT_TRUE(first.advice_flag);
  EXPECT_EQ(first.pence, 7500);  // half day
  Status s = pay.approve(1, first.id, false, actor_);
  EXPECT_EQ(s.code(), StatusCode::kInvalidInput);
  EXPECT_EQ(s.where().field, "advice_confirmed");
  ASSERT_TRUE(pay.approve(1, first.id, true, actor_).ok());
  ASSERT_TRUE(pay.raise_for_activity(1, held("10", "300"), actor_).ok());
  auto second = pay.list(1, "raised", ids_[3], actor_)->front();
  EXPECT_FALSE(second.advice_flag);
  EXPECT_EQ(second.pence, 15000);  // a day
  EXPECT_TRUE(pay.approve(1, second.id, false, actor_).ok());
  EXPECT_EQ(pay.approve(1, second.id, false, actor_).code(), StatusCode::kConflict);
}

TEST_F(PaymentsTest, ExpensesPayrollAndTheYearsTotals) {
  Payments pay(**db_, clock_);
  int64_t a = held("3", "60");
  ASSERT_TRUE(pay.raise_for_activity(1, a, actor_).ok());
  ASSERT_TRUE(pay.approve(1, payment_of(ids_[0]), false, actor_).ok());

  std::vector<FieldError> problems;
  ClaimInput bad{std::to_string(ids_[1]), "", "taxi", "", "12.345", "31", "2", "2027"};
  EXPECT_FALSE(pay.submit_claim(1, bad, {{0, "x.exe", "", "MZ..."}}, actor_, &problems).ok());
  std::vector<std::string> fields;
  for (const auto& p : problems) fields.push_back(p.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"category", "description", "amount", "day", "receipts"}));
  EXPECT_TRUE(pay.claims(1, "", std::nullopt, actor_)->empty());

  // The person who declined payment for time still gets their expenses back.
  ClaimInput ok{std::to_string(ids_[1]), std::to_string(a), "travel", "Bus both ways", "£4.80", "3", "5", "2027"};
  auto claim = pay.submit_claim(1, ok, {{0, "ticket.pdf", "", "%PDF-1.4 ticket"}}, actor_, &problems);
  ASSERT_TRUE(claim.ok()) << claim.status().to_string();
  EXPECT_EQ(claim->pence, 480);
  ASSERT_EQ(claim->receipts.size(), 1u);
  auto rec = pay.receipt(1, claim->id, claim->receipts[0].id, std::nullopt, actor_);
  ASSERT_TRUE(rec.ok());
  EXPECT_EQ(rec->bytes, "%PDF-1.4 ticket");
  EXPECT_EQ(rec->content_type, "application/pdf");
  // A person sees only their own receipts.
  EXPECT_EQ(pay.receipt(1, claim->id, claim->receipts[0].id, ids_[0], actor_).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(pay.decide_claim(1, claim->id, false, " ", actor_).where().field, "reason");
  ASSERT_TRUE(pay.decide_claim(1, claim->id, true, "", actor_).ok());

  auto lines = *pay.payroll(1, actor_);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].name, "Declined");
  EXPECT_EQ(lines[0].description, "Expense, Travel: Bus both ways");
  EXPECT_EQ(lines[0].pence, 480);
  EXPECT_EQ(lines[1].name, "Paid");
  EXPECT_EQ(lines[1].pence, 2000);
  EXPECT_EQ(*pay.mark_paid(1, {lines[1].id}, {lines[0].id}, actor_), 2);
  EXPECT_TRUE(pay.payroll(1, actor_)->empty());

  auto t = *pay.totals(1, ids_[0], "2027-06-01");
  EXPECT_EQ(t.year_start, "2027-04-06");
  EXPECT_EQ(t.payments, 2000);
  EXPECT_EQ(pay.totals(1, ids_[0], "2027-04-01")->payments, 0);  // the year before
  EXPECT_EQ(pay.totals(1, ids_[1], "2027-06-01")->expenses, 480);
  EXPECT_EQ(pay.totals(2, ids_[0], "2027-06-01")->payments, 0);  // another organisation

  // Erasing the person removes what the claim said and its receipt; the amount stays for the accounts.
  ASSERT_TRUE(involvement::People(**db_, clock_).erase(1, ids_[1], actor_).ok());
  auto kept = pay.claims(1, "", ids_[1], actor_)->front();
  EXPECT_EQ(kept.description, "");
  EXPECT_EQ(kept.pence, 480);
  EXPECT_TRUE(kept.receipts.empty());
  EXPECT_EQ(pay.receipt(1, claim->id, claim->receipts[0].id, std::nullopt, actor_).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace coproduce::payments
