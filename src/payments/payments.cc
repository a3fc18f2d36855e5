#include "payments/payments.h"

#include <sodium.h>

#include <algorithm>
#include <cstdio>
#include <set>
#include <sstream>

#include "core/csv.h"
#include "core/text.h"
#include "core/translatable.h"
#include "payments/money.h"
#include "sheets/sheets.h"

namespace coproduce::payments {
namespace {

using store::Connection;
using store::Row;
using activities::is_choice;
using involvement::first_problem;
using involvement::record_action;

std::string duration_words(int minutes) {
  int h = minutes / 60, m = minutes % 60;
  std::string out;
  if (h > 0) out = std::to_string(h) + (h == 1 ? " hour" : " hours");
  if (m > 0) out += (out.empty() ? "" : " ") + std::to_string(m) + (m == 1 ? " minute" : " minutes");
  return out.empty() ? "0 minutes" : out;
}

std::optional<std::int64_t> rate_of(const RateTable& rates, const std::string& level, const std::string& unit) {
  auto l = rates.find(level);
  if (l == rates.end()) return std::nullopt;
  auto u = l->second.find(unit);
  if (u == l->second.end()) return std::nullopt;
  return u->second;
}

std::string base64(const std::string& bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

std::string unbase64(const std::string& text) {
  std::string out(text.size(), '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr,
                        &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
    return "";
  }
  out.resize(len);
  return out;
}

// Whether the person has an approved or paid payment other than `except`.
StatusOr<bool> paid_before(Connection& c, std::int64_t person_id, std::int64_t except) {
  auto rows = c.query("SELECT 1 FROM payments WHERE person_id = $1 AND id <> $2 AND status IN ('approved', 'paid')",
                      {person_id, except});
  if (!rows.ok()) return rows.status();
  return !rows->empty();
}


// Narrows a query over "x" (payments or expense claims) to a status and a
// person, when given.
void add_filters(const std::string& status, std::optional<std::int64_t> person_id, std::string* sql,
                 std::vector<store::Value>* params) {
  if (!status.empty()) {
    params->push_back(status);
    *sql += " AND x.status = $" + std::to_string(params->size());
  }
  if (person_id) {
    params->push_back(*person_id);
    *sql += " AND x.person_id = $" + std::to_string(params->size());
  }
}

}  // namespace

const Choices& rate_units() {
  static const Choices k = {{"hour", "Per hour"}, {"half_day", "Half day (2 to 4 hours)"}, {"day", "Day (over 4 hours)"}};
  return k;
}

const Choices& expense_categories() {
  static const Choices k = {{"travel", N_("Travel")},
                            {"care_cover", N_("Care cover or a replacement carer")},
                            {"support_worker", N_("A support worker")},
                            {"interpreter", N_("An interpreter")},
                            {"other", N_("Other")}};
  return k;
}

StatusOr<Pay> pay_for(const RateTable& rates, const std::string& level_in, int minutes) {
  std::string level = rates.count(level_in) && !rates.at(level_in).empty() ? level_in : "member";
  auto hourly = rate_of(rates, level, "hour");
  auto half = rate_of(rates, level, "half_day");
  auto day = rate_of(rates, level, "day");
  if (!hourly && !half && !day) return NotFound("No payment rates are set: set them on the rates page first");
  if (minutes >= 120 && minutes <= 240 && half) {
    return Pay{*half, "Half day (" + duration_words(minutes) + ") at " + format_pounds(*half)};
  }
  if (minutes > 240 && day) return Pay{*day, "Day (" + duration_words(minutes) + ") at " + format_pounds(*day)};
  if (!hourly) {
    return NotFound("There is no hourly rate for " + duration_words(minutes) + ": set one on the rates page");
  }
  return Pay{pro_rata(*hourly, minutes), duration_words(minutes) + " at " + format_pounds(*hourly) + " an hour"};
}

std::string tax_year_start(const std::string& date) {
  int y = std::stoi(date.substr(0, 4));
  std::string md = date.substr(5, 5);
  if (md < "04-06") --y;
  return std::to_string(y) + "-04-06";
}

std::string tax_year_end(const std::string& start) { return std::to_string(std::stoi(start.substr(0, 4)) + 1) + "-04-05"; }

std::string receipt_type(const std::string& b) {
  if (b.rfind("%PDF-", 0) == 0) return "application/pdf";
  if (b.size() > 3 && static_cast<unsigned char>(b[0]) == 0xFF && static_cast<unsigned char>(b[1]) == 0xD8 &&
      static_cast<unsigned char>(b[2]) == 0xFF) {
    return "image/jpeg";
  }
  if (b.rfind("\x89PNG\r\n\x1a\n", 0) == 0) return "image/png";
  return "";
}

StatusOr<RateTable> Payments::rates(std::int64_t org) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  auto rows = (*c)->query("SELECT role_level, unit, pence FROM payment_rates WHERE organisation_id = $1", {org});
  if (!rows.ok()) return rows.status();
  RateTable out;
  for (const auto& r : *rows) out[r.text(0)][r.text(1)] = r.integer(2);
  return out;
}

Status Payments::set_rates(std::int64_t org, const std::map<std::string, std::map<std::string, std::string>>& typed,
                           const Actor& actor, std::vector<FieldError>* problems) {
  std::vector<FieldError> errors;
  RateTable parsed;
  std::vector<std::pair<std::string, std::string>> removed;
  for (const auto& [level, units] : typed) {
    for (const auto& [unit, text] : units) {
      std::string field = "rate-" + level + "-" + unit;
      if (!is_choice(activities::role_levels(), level) || !is_choice(rate_units(), unit)) {
        errors.push_back({field, "There is no such rate"});
        continue;
      }
      if (trim_copy(text).empty()) {
        removed.emplace_back(level, unit);
        continue;
      }
      auto pence = parse_pounds(text);
      if (!pence || *pence == 0) {
        errors.push_back({field, "Enter the " + activities::label(rate_units(), unit) + " rate for a " +
                                     activities::label(activities::role_levels(), level) +
                                     " in pounds and pence, like 25.00, or leave it empty"});
        continue;
      }
      parsed[level][unit] = *pence;
    }
  }
  if (!errors.empty()) {
    if (problems) *problems = errors;
    return first_problem(errors);
  }
  return store::in_write_transaction(db_, [&](Connection& c) -> Status {
    std::string now = format_timestamp(clock_.now());
    for (const auto& [level, unit] : removed) {
      auto del = c.execute("DELETE FROM payment_rates WHERE organisation_id = $1 AND role_level = $2 AND unit = $3",
                           {org, level, unit});
      if (!del.ok()) return del.status();
    }
    for (const auto& [level, units] : parsed) {
      for (const auto& [unit, pence] : units) {
        auto del = c.execute("DELETE FROM payment_rates WHERE organisation_id = $1 AND role_level = $2 AND unit = $3",
                             {org, level, unit});
        if (!del.ok()) return del.status();
        auto ins = c.execute(
            "INSERT INTO payment_rates (organisation_id, role_level, unit, pence, updated_at) VALUES ($1, $2, $3, $4, $5)",
            {org, level, unit, pence, now});
        if (!ins.ok()) return ins.status();
      }
    }
    return record_action(c, clock_, org, actor, "rates.update", "organisation", org);
  });
}

StatusOr<RaiseResult> Payments::raise_for_activity(std::int64_t org, std::int64_t activity_id, const Actor& actor) {
  auto table = rates(org);
  if (!table.ok()) return table.status();
  return store::in_write_transaction(db_, [&](Connection& c) -> StatusOr<RaiseResult> {
    auto act = c.query("SELECT status FROM activities WHERE id = $1 AND organisation_id = $2", {activity_id, org});
    if (!act.ok()) return act.status();
    if (act->empty()) return NotFound("There is no such activity");
    if (act->front().text(0) != "held") return Conflict("Record attendance before raising payments");
    auto rows = c.query(
        "SELECT i.person_id, p.name, p.payment, i.minutes, i.role_level,"
        " (SELECT COUNT(*) FROM payments x WHERE x.activity_id = i.activity_id AND x.person_id = i.person_id)"
        " FROM activity_invitations i JOIN people p ON p.id = i.person_id"
        " WHERE i.activity_id = $1 AND i.attendance = 'attended' ORDER BY p.name",
        {activity_id});
    if (!rows.ok()) return rows.status();
    RaiseResult result;
    std::string now = format_timestamp(clock_.now());
    for (const auto& r : *rows) {
      if (r.integer(5) > 0) {
        ++result.already;
        continue;
      }
      if (r.text(2) == "declined") {
        result.declined.push_back(r.text(1));
        continue;
      }
      if (r.text(2) != "paid") {
        result.not_asked.push_back(r.text(1));
        continue;
      }
      auto pay = pay_for(*table, r.text(4), static_cast<int>(r.integer(3)));
      if (!pay.ok()) return pay.status();
      auto ins = c.execute(
          "INSERT INTO payments (organisation_id, person_id, activity_id, pence, basis, status, raised_at)"
          " VALUES ($1, $2, $3, $4, $5, 'raised', $6)",
          {org, r.integer(0), activity_id, pay->pence, pay->basis, now});
      if (!ins.ok()) return ins.status();
      ++result.raised;
    }
    if (Status s = record_action(c, clock_, org, actor, "payments.raise", "activity", activity_id); !s.ok()) return s;
    return result;
  });
}

StatusOr<std::vector<Payment>> Payments::list(std::int64_t org, const std::string& status,
                                              std::optional<std::int64_t> person_id, const Actor& actor) {
  return store::in_write_transaction(db_, [&](Connection& c) -> StatusOr<std::vector<Payment>> {
    std::string sql =
        "SELECT x.id, x.person_id, p.name, x.activity_id, a.title, substr(a.starts_at, 1, 10), x.pence, x.basis,"
        " x.status, x.raised_at, COALESCE(x.approved_at, ''), COALESCE(x.paid_at, ''), p.payment, p.benefits_advice,"
        " (SELECT COUNT(*) FROM payments y WHERE y.person_id = x.person_id AND y.id <> x.id"
        "   AND y.status IN ('approved', 'paid'))"
        " FROM payments x JOIN people p ON p.id = x.person_id JOIN activities a ON a.id = x.activity_id"
        " WHERE x.organisation_id = $1";
    std::vector<store::Value> params{org};
    add_filters(status, person_id, &sql, &params);
    sql += " ORDER BY a.starts_at DESC, p.name";
    auto rows = c.query(sql, params);
    if (!rows.ok()) return rows.status();
    if (Status s = record_action(c, clock_, org, actor, "payments.read", person_id ? "person" : "organisation",
                         person_id ? *person_id : org);
        !s.ok()) {
      return s;
    }
    std::vector<Payment> out;
    for (const auto& r : *rows) {
      Payment p;
      p.id = r.integer(0);
      p.person_id = r.integer(1);
      p.person_name = r.text(2);
      p.activity_id = r.integer(3);
      p.activity_title = r.text(4);
      p.activity_date = r.text(5);
      p.pence = r.integer(6);
      p.basis = r.text(7);
      p.status = r.text(8);
      p.raised_at = r.text(9);
      p.approved_at = r.text(10);
      p.paid_at = r.text(11);
      p.declined_now = r.text(12) == "declined";
      p.advice_flag = r.integer(13) != 0 && r.integer(14) == 0 && p.status == "raised";
      out.push_back(std::move(p));
    }
    return out;
  });
}

Status Payments::approve(std::int64_t org, std::int64_t payment_id, bool advice_confirmed, const Actor& actor) {
  return store::in_write_transaction(db_, [&](Connection& c) -> Status {
    auto row = c.query(
        "SELECT x.status, x.person_id, p.payment, p.benefits_advice, p.name FROM payments x"
        " JOIN people p ON p.id = x.person_id WHERE x.id = $1 AND x.organisation_id = $2",
        {payment_id, org});
    if (!row.ok()) return row.status();
    if (row->empty()) return NotFound("There is no such payment");
    const Row& r = row->front();
    if (r.text(0) != "raised") return Conflict("Only a payment waiting for approval can be approved");
    if (r.text(2) == "declined") {
      return Conflict(r.text(4) + " has declined payment, so this payment cannot be approved: cancel it instead");
    }
    if (r.text(2) != "paid") {
      return Conflict("This person's record no longer says they want to be paid, so this payment cannot be approved:"
                      " ask them, or cancel it");
    }
    auto before = paid_before(c, r.integer(1), payment_id);
    if (!before.ok()) return before.status();
    if (r.integer(3) != 0 && !*before && !advice_confirmed) {
      Location where;
      where.field = "advice_confirmed";
      return InvalidInput(r.text(4) +
                              " asked for advice about how payment affects their benefits. Confirm they have been"
                              " offered it before approving their first payment",
                          where);
    }
    auto upd = c.execute(
        "UPDATE payments SET status = 'approved', approved_by = $1, approved_at = $2, advice_confirmed = $3"
        " WHERE id = $4",
        {actor.user_id, format_timestamp(clock_.now()), advice_confirmed ? 1 : 0, payment_id});
    if (!upd.ok()) return upd.status();
    return record_action(c, clock_, org, actor, "payment.approve", "payment", payment_id);
  });
}

Status Payments::cancel(std::int64_t org, std::int64_t payment_id, const Actor& actor) {
  return store::in_write_transaction(db_, [&](Connection& c) -> Status {
    auto upd = c.execute(
        "UPDATE payments SET status = 'cancelled' WHERE id = $1 AND organisation_id = $2 AND status IN ('raised', 'approved')",
        {payment_id, org});
    if (!upd.ok()) return upd.status();
    if (*upd == 0) return NotFound("There is no payment waiting to be paid with that number");
    return record_action(c, clock_, org, actor, "payment.cancel", "payment", payment_id);
  });
}

StatusOr<Claim> Payments::submit_claim(std::int64_t org, const ClaimInput& in, std::vector<Receipt> receipts,
                                       const Actor& actor, std::vector<FieldError>* problems) {
  std::vector<FieldError> errors;
  std::int64_t person_id = 0;
  std::string pid = trim_copy(in.person_id);
  if (pid.empty() || pid.size() > 15 || pid.find_first_not_of("0123456789") != std::string::npos) {
    errors.push_back({"person_id", N_("Select who is claiming")});
  } else {
    person_id = std::stoll(pid);
  }
  std::optional<std::int64_t> activity_id;
  std::string aid = trim_copy(in.activity_id);
  if (!aid.empty()) {
    if (aid.size() > 15 || aid.find_first_not_of("0123456789") != std::string::npos) {
      errors.push_back({"activity_id", N_("Select the activity the cost was for, or none")});
    } else {
      activity_id = std::stoll(aid);
    }
  }
  if (!is_choice(expense_categories(), in.category)) errors.push_back({"category", N_("Select what the expense was for")});
  std::string description = trim_copy(in.description);
  if (description.empty()) errors.push_back({"description", N_("Describe the expense, like 'Bus fare to the town hall and back'")});
  else if (description.size() > 1000) errors.push_back({"description", N_("The description must be 1,000 characters or fewer")});
  auto pence = parse_pounds(in.amount);
  if (trim_copy(in.amount).empty()) errors.push_back({"amount", N_("Enter the amount")});
  else if (!pence || *pence == 0) errors.push_back({"amount", N_("Enter the amount in pounds and pence, like 12.50")});
  std::string incurred = date_from_parts(in.day, in.month, in.year);
  if (incurred.empty()) errors.push_back({"day", N_("Enter the date of the expense as a real date, like 27 3 2027")});
  else if (incurred > format_timestamp(clock_.now()).substr(0, 10)) {
    errors.push_back({"day", N_("The date of the expense must be today or in the past")});
  }
  if (receipts.size() > kMaxReceipts) errors.push_back({"receipts", N_("Upload no more than 5 receipts")});
  for (auto& r : receipts) {
    if (r.bytes.size() > kMaxReceiptBytes) {
      // The message names no file, so it reads the same in every language.
      errors.push_back({"receipts", N_("Each receipt must be smaller than 5 MB. Choose a smaller file, or a photo of the receipt")});
      continue;
    }
    r.content_type = receipt_type(r.bytes);
    if (r.content_type.empty()) {
      errors.push_back({"receipts", N_("Each receipt must be a PDF, JPG or PNG file")});
    }
  }
  if (!errors.empty()) {
    if (problems) *problems = errors;
    return first_problem(errors);
  }
  auto claim_id = store::in_write_transaction(db_, [&](Connection& c) -> StatusOr<std::int64_t> {
    auto person = c.query("SELECT 1 FROM people WHERE id = $1 AND organisation_id = $2 AND erased_at IS NULL",
                          {person_id, org});
    if (!person.ok()) return person.status();
    if (person->empty()) {
      Location where;
      where.field = "person_id";
      return InvalidInput("Select who is claiming", where);
    }
    if (activity_id) {
      auto a = c.query(
          "SELECT 1 FROM activity_invitations i JOIN activities a ON a.id = i.activity_id"
          " WHERE i.activity_id = $1 AND i.person_id = $2 AND a.organisation_id = $3",
          {*activity_id, person_id, org});
      if (!a.ok()) return a.status();
      if (a->empty()) {
        Location where;
        where.field = "activity_id";
        return InvalidInput("Select an activity the person was invited to, or none", where);
      }
    }
    std::string now = format_timestamp(clock_.now());
    auto ins = c.query(
        "INSERT INTO expense_claims (organisation_id, person_id, activity_id, category, description, pence,"
        " incurred_on, status, submitted_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'submitted', $8) RETURNING id",
        {org, person_id, activity_id, in.category, description, *pence, incurred, now});
    if (!ins.ok()) return ins.status();
    std::int64_t id = ins->front().integer(0);
    for (const auto& r : receipts) {
      std::string name = r.file_name.substr(0, 200);
      auto rec = c.execute(
          "INSERT INTO expense_receipts (claim_id, file_name, content_type, content_base64, uploaded_at)"
          " VALUES ($1, $2, $3, $4, $5)",
          {id, name, r.content_type, base64(r.bytes), now});
      if (!rec.ok()) return rec.status();
    }
    if (Status s = record_action(c, clock_, org, actor, "expense.submit", "person", person_id); !s.ok()) return s;
    return id;
  });
  if (!claim_id.ok()) return claim_id.status();
  auto mine = claims(org, "", person_id, actor);
  if (!mine.ok()) return mine.status();
  for (auto& cl : *mine) {
    if (cl.id == *claim_id) return cl;
  }
  return NotFound("There is no such claim");
}

StatusOr<std::vector<Claim>> Payments::claims(std::int64_t org, const std::string& status,
                                              std::optional<std::int64_t> person_id, const Actor& actor) {
  return store::in_write_transaction(db_, [&](Connection& c) -> StatusOr<std::vector<Claim>> {
    std::string sql =
        "SELECT x.id, x.person_id, p.name, COALESCE(x.activity_id, 0), COALESCE(a.title, ''), x.category,"
        " x.description, x.pence, x.incurred_on, x.status, x.submitted_at, x.reason"
        " FROM expense_claims x JOIN people p ON p.id = x.person_id LEFT JOIN activities a ON a.id = x.activity_id"
        " WHERE x.organisation_id = $1";
    std::vector<store::Value> params{org};
    add_filters(status, person_id, &sql, &params);
    sql += " ORDER BY x.submitted_at DESC, x.id DESC";
    auto rows = c.query(sql, params);
    if (!rows.ok()) return rows.status();
    std::vector<Claim> out;
    for (const auto& r : *rows) {
      Claim cl;
      cl.id = r.integer(0);
      cl.person_id = r.integer(1);
      cl.person_name = r.text(2);
      cl.activity_id = r.integer(3);
      cl.activity_title = r.text(4);
      cl.category = r.text(5);
      cl.description = r.text(6);
      cl.pence = r.integer(7);
      cl.incurred_on = r.text(8);
      cl.status = r.text(9);
      cl.submitted_at = r.text(10);
      cl.reason = r.text(11);
      auto recs = c.query("SELECT id, file_name, content_type FROM expense_receipts WHERE claim_id = $1 ORDER BY id",
                          {cl.id});
      if (!recs.ok()) return recs.status();
      for (const auto& rr : *recs) cl.receipts.push_back({rr.integer(0), rr.text(1), rr.text(2), ""});
      out.push_back(std::move(cl));
    }
    if (Status s = record_action(c, clock_, org, actor, "expenses.read", person_id ? "person" : "organisation",
                         person_id ? *person_id : org);
        !s.ok()) {
      return s;
    }
    return out;
  });
}

Status Payments::decide_claim(std::int64_t org, std::int64_t claim_id, bool approve, const std::string& reason,
                              const Actor& actor) {
  std::string why = trim_copy(reason);
  if (!approve && why.empty()) {
    Location where;
    where.field = "reason";
    return InvalidInput("Enter the reason the claim is not approved: the person will see it", where);
  }
  if (why.size() > 1000) {
    Location where;
    where.field = "reason";
    return InvalidInput("The reason must be 1,000 characters or fewer", where);
  }
  return store::in_write_transaction(db_, [&](Connection& c) -> Status {
    auto upd = c.execute(
        "UPDATE expense_claims SET status = $1, decided_by = $2, decided_at = $3, reason = $4"
        " WHERE id = $5 AND organisation_id = $6 AND status = 'submitted'",
        {approve ? "approved" : "rejected", actor.user_id, format_timestamp(clock_.now()), why, claim_id, org});
    if (!upd.ok()) return upd.status();
    if (*upd == 0) return NotFound("There is no claim waiting for a decision with that number");
    return record_action(c, clock_, org, actor, approve ? "expense.approve" : "expense.reject", "expense", claim_id);
  });
}

StatusOr<Receipt> Payments::receipt(std::int64_t org, std::int64_t claim_id, std::int64_t receipt_id,
                                    std::optional<std::int64_t> person_id, const Actor& actor) {
  return store::in_write_transaction(db_, [&](Connection& c) -> StatusOr<Receipt> {
    auto rows = c.query(
        "SELECT r.id, r.file_name, r.content_type, r.content_base64, x.person_id FROM expense_receipts r"
        " JOIN expense_claims x ON x.id = r.claim_id WHERE r.id = $1 AND r.claim_id = $2 AND x.organisation_id = $3",
        {receipt_id, claim_id, org});
    if (!rows.ok()) return rows.status();
    if (rows->empty() || (person_id && rows->front().integer(4) != *person_id)) return NotFound("There is no such receipt");
    const Row& r = rows->front();
    if (Status s = record_action(c, clock_, org, actor, "receipt.read", "expense", claim_id); !s.ok()) return s;
    return Receipt{r.integer(0), r.text(1), r.text(2), unbase64(r.text(3))};
  });
}

StatusOr<std::vector<PayrollLine>> Payments::payroll(std::int64_t org, const Actor& actor,
                                                     const std::string& audit_action) {
  return store::in_write_transaction(db_, [&](Connection& c) -> StatusOr<std::vector<PayrollLine>> {
    auto rows = c.query(
        "SELECT 'payment', x.id, p.id, p.external_id, p.name, p.address, p.postcode, substr(a.starts_at, 1, 10),"
        " a.title || ': ' || x.basis, x.pence FROM payments x JOIN people p ON p.id = x.person_id"
        " JOIN activities a ON a.id = x.activity_id"
        " WHERE x.organisation_id = $1 AND x.status = 'approved' AND p.payment = 'paid'"
        " UNION ALL "
        "SELECT 'expense', x.id, p.id, p.external_id, p.name, p.address, p.postcode, x.incurred_on,"
        " x.category || ': ' || x.description, x.pence FROM expense_claims x JOIN people p ON p.id = x.person_id"
        " WHERE x.organisation_id = $1 AND x.status = 'approved'"
        " ORDER BY 8, 5, 1, 2",
        {org});
    if (!rows.ok()) return rows.status();
    std::vector<PayrollLine> out;
    for (const auto& r : *rows) {
      PayrollLine l;
      l.kind = r.text(0);
      l.id = r.integer(1);
      l.person_id = r.integer(2);
      l.person_reference = r.text(3).empty() ? "P-" + std::to_string(l.person_id) : r.text(3);
      l.name = r.text(4);
      l.address = r.text(5);
      l.postcode = r.text(6);
      l.date = r.text(7);
      l.description = r.text(8);
      if (l.kind == "expense") {
        size_t colon = l.description.find(':');
        l.description = "Expense, " + activities::label(expense_categories(), l.description.substr(0, colon)) +
                        l.description.substr(colon);
      }
      l.pence = r.integer(9);
      out.push_back(std::move(l));
    }
    if (Status s = record_action(c, clock_, org, actor, audit_action, "organisation", org); !s.ok()) return s;
    return out;
  });
}

StatusOr<int> Payments::mark_paid(std::int64_t org, const std::vector<std::int64_t>& payment_ids,
                                  const std::vector<std::int64_t>& claim_ids, const Actor& actor) {
  return store::in_write_transaction(db_, [&](Connection& c) -> StatusOr<int> {
    std::string now = format_timestamp(clock_.now());
    int n = 0;
    for (std::int64_t id : std::set<std::int64_t>(payment_ids.begin(), payment_ids.end())) {
      auto upd = c.execute(
          "UPDATE payments SET status = 'paid', paid_at = $1 WHERE id = $2 AND organisation_id = $3"
          " AND status = 'approved' AND person_id IN (SELECT id FROM people WHERE payment = 'paid')",
          {now, id, org});
      if (!upd.ok()) return upd.status();
      n += static_cast<int>(*upd);
    }
    for (std::int64_t id : std::set<std::int64_t>(claim_ids.begin(), claim_ids.end())) {
      auto upd = c.execute(
          "UPDATE expense_claims SET status = 'paid', paid_at = $1 WHERE id = $2 AND organisation_id = $3"
          " AND status = 'approved'",
          {now, id, org});
      if (!upd.ok()) return upd.status();
      n += static_cast<int>(*upd);
    }
    // Every line asked for is marked, or none is: a line cancelled, declined
    // or marked paid by someone else since the payroll was downloaded would
    // otherwise be left out without a word, and perhaps paid twice later.
    std::set<std::int64_t> asked_payments(payment_ids.begin(), payment_ids.end());
    std::set<std::int64_t> asked_claims(claim_ids.begin(), claim_ids.end());
    const int asked = static_cast<int>(asked_payments.size() + asked_claims.size());
    if (n != asked) {
      const int left = asked - n;
      return Conflict(std::to_string(left) + (left == 1 ? " line has" : " lines have") +
                      " changed since the payroll was downloaded (cancelled, declined or already marked paid), so"
                      " nothing was marked paid. Download the payroll again and check it");
    }
    if (Status s = record_action(c, clock_, org, actor, "payroll.paid", "organisation", org); !s.ok()) return s;
    return n;
  });
}

StatusOr<Totals> Payments::totals(std::int64_t org, std::int64_t person_id, const std::string& date) {
  Totals t;
  t.year_start = tax_year_start(date);
  t.year_end = tax_year_end(t.year_start);
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  auto pay = (*c)->query_one(
      "SELECT COALESCE(SUM(x.pence), 0) FROM payments x JOIN activities a ON a.id = x.activity_id"
      " WHERE x.organisation_id = $1 AND x.person_id = $2 AND x.status IN ('approved', 'paid')"
      " AND substr(a.starts_at, 1, 10) BETWEEN $3 AND $4",
      {org, person_id, t.year_start, t.year_end});
  if (!pay.ok()) return pay.status();
  t.payments = pay->integer(0);
  auto exp = (*c)->query_one(
      "SELECT COALESCE(SUM(pence), 0) FROM expense_claims WHERE organisation_id = $1 AND person_id = $2"
      " AND status IN ('approved', 'paid') AND incurred_on BETWEEN $3 AND $4",
      {org, person_id, t.year_start, t.year_end});
  if (!exp.ok()) return exp.status();
  t.expenses = exp->integer(0);
  return t;
}

namespace {
const std::vector<std::string> kPayrollColumns = {"reference", "name",        "address", "postcode", "date",
                                                  "type",      "description", "amount",  "pence"};
}  // namespace

std::string payroll_csv(const std::vector<PayrollLine>& lines) {
  std::ostringstream out;
  csv::Writer w(out);
  w.write_row(kPayrollColumns);
  for (const auto& l : lines) {
    w.write_row({csv::inert(l.person_reference), csv::inert(l.name), csv::inert(l.address), csv::inert(l.postcode), l.date, l.kind,
                 csv::inert(l.description), plain_pounds(l.pence), std::to_string(l.pence)});
  }
  return out.str();
}

StatusOr<std::string> payroll_xlsx(const std::vector<PayrollLine>& lines) {
  using sheets::Cell;
  sheets::Sheet sheet;
  sheet.name = "payroll";
  std::vector<Cell> header;
  for (const auto& name : kPayrollColumns) header.push_back(Cell::of(name));
  sheet.rows.push_back(std::move(header));
  for (const auto& l : lines) {
    // Text cells are never formulas in xlsx; the amount is text so no float rounding touches it.
    sheet.rows.push_back({Cell::of(l.person_reference), Cell::of(l.name), Cell::of(l.address), Cell::of(l.postcode),
                          Cell::of(l.date), Cell::of(l.kind), Cell::of(l.description), Cell::of(plain_pounds(l.pence)),
                          Cell::whole(l.pence)});
  }
  return sheets::to_xlsx({sheet});
}

}  // namespace coproduce::payments
