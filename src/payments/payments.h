// Reciprocity: paying people for their time and their expenses.
//
// Each organisation keeps a rate table: an amount per hour, per half day and
// per day for each level of role (member, chair, expert adviser). A payment
// is raised from attendance and worked out by one rule (pay_for): under two
// hours is paid by the hour, to the minute; two to four hours is a half day;
// over four hours is a day. A missing half-day or day rate falls back to the
// hourly rate, and a level with no rates at all falls back to the member's.
//
// Safeguards: a person who declined payment is never paid (checked when a
// payment is raised, approved and exported); a person who asked for advice
// about benefits is flagged before their first payment, which cannot be
// approved until the approver confirms the advice was offered. Money is in
// whole pence throughout.
#ifndef COPRODUCE_PAYMENTS_PAYMENTS_H_
#define COPRODUCE_PAYMENTS_PAYMENTS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "activities/activities.h"
#include "core/clock.h"
#include "core/status.h"
#include "store/database.h"

namespace coproduce::payments {

using activities::Choices;
using involvement::Actor;
using involvement::FieldError;

const Choices& rate_units();          // hour, half_day, day
const Choices& expense_categories();  // travel, care_cover, support_worker, interpreter, other

// level -> unit -> pence. Levels are activities::role_levels().
using RateTable = std::map<std::string, std::map<std::string, std::int64_t>>;

struct Pay {
  std::int64_t pence = 0;
  std::string basis;  // "1 hour 30 minutes at £25.00 an hour", "Half day (3 hours) at £75.00"
};

// What `minutes` of a role at `level` earns under `rates`; NotFound when
// neither the level nor "member" has any rate.
StatusOr<Pay> pay_for(const RateTable& rates, const std::string& level, int minutes);

// The start of the UK tax year (6 April) that `date` ("YYYY-MM-DD...") falls
// in, as "YYYY-04-06"; and its end, the next 5 April.
std::string tax_year_start(const std::string& date);
std::string tax_year_end(const std::string& start);

struct Payment {
  std::int64_t id = 0;
  std::int64_t person_id = 0;
  std::string person_name;
  std::int64_t activity_id = 0;
  std::string activity_title;
  std::string activity_date;  // YYYY-MM-DD
  std::int64_t pence = 0;
  std::string basis;
  std::string status;  // raised, approved, paid, cancelled
  std::string raised_at;
  std::string approved_at;
  std::string paid_at;
  bool declined_now = false;  // the person has since declined payment
  bool advice_flag = false;   // asked for benefits advice and has no earlier approved payment
};

struct RaiseResult {
  int raised = 0;
  int already = 0;            // had a payment for this activity already
  std::vector<std::string> declined;   // names of people who declined payment: nothing raised
  std::vector<std::string> not_asked;  // names of people not yet asked: ask them first
};

struct ClaimInput {
  std::string person_id;    // as typed or chosen
  std::string activity_id;  // optional
  std::string category;
  std::string description;
  std::string amount;       // pounds as typed
  std::string day, month, year;  // when the cost was incurred
};

struct Receipt {
  std::int64_t id = 0;
  std::string file_name;
  std::string content_type;
  std::string bytes;  // only filled by Payments::receipt
};

// The receipt types accepted, by their leading bytes: PDF, JPEG, PNG, HEIC/HEIF excluded.
// Returns the content type, or "" when the file is not one of them.
std::string receipt_type(const std::string& bytes);
inline constexpr size_t kMaxReceiptBytes = 5 * 1024 * 1024;
inline constexpr size_t kMaxReceipts = 5;

struct Claim {
  std::int64_t id = 0;
  std::int64_t person_id = 0;
  std::string person_name;
  std::int64_t activity_id = 0;
  std::string activity_title;
  std::string category;
  std::string description;
  std::int64_t pence = 0;
  std::string incurred_on;
  std::string status;  // submitted, approved, rejected, paid
  std::string submitted_at;
  std::string reason;
  std::vector<Receipt> receipts;
};

// One line of a payroll export.
struct PayrollLine {
  std::string kind;  // payment or expense
  std::int64_t id = 0;
  std::int64_t person_id = 0;
  std::string person_reference;  // the pool file id when there is one, else P-<id>
  std::string name;
  std::string address;
  std::string postcode;
  std::string date;
  std::string description;
  std::int64_t pence = 0;
};

struct Totals {
  std::string year_start, year_end;
  std::int64_t payments = 0;  // approved and paid payments for time in the tax year
  std::int64_t expenses = 0;  // approved and paid expenses in the tax year
};

class Payments {
 public:
  Payments(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  StatusOr<RateTable> rates(std::int64_t organisation_id);
  // Sets every rate in `typed` (level -> unit -> pounds as typed; empty
  // removes it), all or nothing. Problems name the field "rate-LEVEL-UNIT".
  Status set_rates(std::int64_t organisation_id, const std::map<std::string, std::map<std::string, std::string>>& typed,
                   const Actor& actor, std::vector<FieldError>* problems);

  // Raises a payment for everyone who attended the activity and wants paying.
  StatusOr<RaiseResult> raise_for_activity(std::int64_t organisation_id, std::int64_t activity_id, const Actor& actor);
  // Payments with a status (or all when empty), newest first; person_id to limit to one person.
  StatusOr<std::vector<Payment>> list(std::int64_t organisation_id, const std::string& status,
                                      std::optional<std::int64_t> person_id, const Actor& actor);
  Status approve(std::int64_t organisation_id, std::int64_t payment_id, bool advice_confirmed, const Actor& actor);
  Status cancel(std::int64_t organisation_id, std::int64_t payment_id, const Actor& actor);

  StatusOr<Claim> submit_claim(std::int64_t organisation_id, const ClaimInput& input, std::vector<Receipt> receipts,
                               const Actor& actor, std::vector<FieldError>* problems);
  StatusOr<std::vector<Claim>> claims(std::int64_t organisation_id, const std::string& status,
                                      std::optional<std::int64_t> person_id, const Actor& actor);
  Status decide_claim(std::int64_t organisation_id, std::int64_t claim_id, bool approve, const std::string& reason,
                      const Actor& actor);
  StatusOr<Receipt> receipt(std::int64_t organisation_id, std::int64_t claim_id, std::int64_t receipt_id,
                            std::optional<std::int64_t> person_id, const Actor& actor);

  // Everything approved and not yet paid, oldest first; people who have
  // since declined payment are left out of payments for time. Audited as
  // `audit_action`: "payroll.export" for a download, "payroll.read" for a page.
  StatusOr<std::vector<PayrollLine>> payroll(std::int64_t organisation_id, const Actor& actor,
                                             const std::string& audit_action = "payroll.export");
  // Marks the listed lines paid (those still approved); returns how many.
  StatusOr<int> mark_paid(std::int64_t organisation_id, const std::vector<std::int64_t>& payment_ids,
                          const std::vector<std::int64_t>& claim_ids, const Actor& actor);

  // A person's totals for the tax year that `date` falls in.
  StatusOr<Totals> totals(std::int64_t organisation_id, std::int64_t person_id, const std::string& date);

 private:
  store::Database& db_;
  const Clock& clock_;
};

// The payroll export as CSV: reference, name, address, postcode, date, type,
// description, amount (pounds as a number), pence.
std::string payroll_csv(const std::vector<PayrollLine>& lines);
// The same lines as an .xlsx workbook with one sheet, "payroll".
StatusOr<std::string> payroll_xlsx(const std::vector<PayrollLine>& lines);

}  // namespace coproduce::payments

#endif  // COPRODUCE_PAYMENTS_PAYMENTS_H_
