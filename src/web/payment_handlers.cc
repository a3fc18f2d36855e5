// Reciprocity: the rate table, payments raised from attendance and their
// approval, expense claims with receipts, the payroll export (CSV and XLSX),
// and a participant's own payments and claims at /my-payments.
#include <map>

#include "activities/activities.h"
#include "core/dates.h"
#include "core/translatable.h"
#include "involvement/people.h"
#include "payments/money.h"
#include "payments/payments.h"
#include "web/application.h"
#include "web/page_helpers.h"

namespace coproduce::web {
namespace {

using involvement::FieldError;
using nlohmann::json;
using payments::ClaimInput;
using payments::format_pounds;
using payments::Payments;
using security::Role;

const Access kLeads = Access::only({Role::kAdministrator, Role::kCoproductionLead});
const Access kParticipants = Access::only({Role::kParticipant});

Payments pay(Context& ctx) { return Payments(ctx.services.db, ctx.services.clock); }
std::string today(const Context& ctx) { return format_timestamp(ctx.services.clock.now()).substr(0, 10); }

std::optional<int64_t> whole_id(const std::string& text) {
  if (text.empty() || text.size() > 15 || text.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  return std::stoll(text);
}

json claim_row(const payments::Claim& c, const std::string& base) {
  std::string status = c.status == "submitted" ? N_("Waiting for a decision")
                       : c.status == "approved" ? N_("Approved, to be paid")
                       : c.status == "paid"     ? N_("Paid")
                                                : N_("Not approved");
  json receipts = json::array();
  for (const auto& r : c.receipts) {
    receipts.push_back({{"name", r.file_name}, {"href", base + "/" + std::to_string(c.id) + "/receipts/" + std::to_string(r.id)}});
  }
  json row = {{"id", c.id},
          {"href", base + "/" + std::to_string(c.id)},
          {"person", c.person_name},
          {"category", activities::label(payments::expense_categories(), c.category)},
          {"description", c.description},
          {"amount", format_pounds(c.pence)},
          {"date", c.incurred_on},
          {"status", status},
          {"waiting", c.status == "submitted"},
          {"receipts", receipts},
          {"has_receipts", !receipts.empty()}};
  if (!c.activity_title.empty()) row["activity"] = c.activity_title;
  if (!c.reason.empty()) row["reason"] = c.reason;
  return row;
}

// --- overview and approval ------------------------------------------------------

Response overview(Context& ctx, const std::vector<FieldError>& errors) {
  int64_t org = ctx.user->organisation_id;
  auto raised = pay(ctx).list(org, "raised", std::nullopt, actor_of(ctx));
  auto claims = pay(ctx).claims(org, "submitted", std::nullopt, actor_of(ctx));
  auto lines = pay(ctx).payroll(org, actor_of(ctx), "payroll.read");
  if (!raised.ok() || !claims.ok() || !lines.ok()) return ctx.error(500);
  std::map<std::string, std::string> err;
  for (const auto& e : errors) err.emplace(e.field, e.message);
  json rows = json::array();
  for (const auto& p : *raised) {
    std::string key = std::to_string(p.id);
    json row = {{"id", p.id},
                {"person", p.person_name},
                {"person_href", "/people/" + std::to_string(p.person_id)},
                {"activity", p.activity_title},
                {"activity_href", "/activities/" + std::to_string(p.activity_id)},
                {"date", p.activity_date},
                {"amount", format_pounds(p.pence)},
                {"basis", p.basis},
                {"declined_now", p.declined_now},
                {"advice_flag", p.advice_flag},
                {"approve_action", "/payments/" + key + "/approve"},
                {"cancel_action", "/payments/" + key + "/cancel"}};
    if (err.count("advice-" + key)) row["advice_error"] = err["advice-" + key];
    rows.push_back(row);
  }
  json claim_rows = json::array();
  for (const auto& c : *claims) claim_rows.push_back(claim_row(c, "/expenses"));
  int64_t total = 0;
  for (const auto& l : *lines) total += l.pence;
  json data = {{"raised", rows},
               {"has_raised", !rows.empty()},
               {"claims", claim_rows},
               {"has_claims", !claim_rows.empty()},
               {"payroll_count", lines->size()},
               {"payroll_total", format_pounds(total)}};
  std::string done = ctx.request.query("done");
  if (done == "approved") data["notice"] = "The payment is approved and will go in the next payroll export.";
  if (done == "cancelled") data["notice"] = "The payment is cancelled.";
  if (done == "paid") data["notice"] = "The payroll lines are marked as paid.";
  if (!errors.empty()) return field_errors(ctx, "payments/overview", "Payments and expenses", data, errors);
  return ctx.page(200, "payments/overview", "Payments and expenses", data);
}

Response payments_page(Context& ctx) { return overview(ctx, {}); }

Response approve(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  Status s = pay(ctx).approve(ctx.user->organisation_id, *id, ctx.form.get("advice_confirmed") == "yes", actor_of(ctx));
  if (s.code() == StatusCode::kInvalidInput) return overview(ctx, {{"advice-" + std::to_string(*id), s.message()}});
  if (!s.ok()) return status_error(ctx, s);
  return Response::redirect("/payments?done=approved");
}

Response cancel(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  Status s = pay(ctx).cancel(ctx.user->organisation_id, *id, actor_of(ctx));
  if (!s.ok()) return status_error(ctx, s);
  return Response::redirect("/payments?done=cancelled");
}

Response raise(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  auto result = pay(ctx).raise_for_activity(ctx.user->organisation_id, *id, actor_of(ctx));
  if (!result.ok()) return status_error(ctx, result.status());
  json declined = json::array(), not_asked = json::array();
  for (const auto& n : result->declined) declined.push_back(n);
  for (const auto& n : result->not_asked) not_asked.push_back(n);
  return ctx.page(200, "payments/raised", "Payments raised",
                  {{"raised", result->raised}, {"already", result->already}, {"has_already", result->already > 0},
                   {"declined", declined},
                   {"has_declined", !declined.empty()}, {"not_asked", not_asked}, {"has_not_asked", !not_asked.empty()},
                   {"back_href", "/activities/" + std::to_string(*id)}});
}

// --- rates ---------------------------------------------------------------------

Response rates_page(Context& ctx, const std::map<std::string, std::map<std::string, std::string>>& typed,
                    const std::vector<FieldError>& errors) {
  auto table = pay(ctx).rates(ctx.user->organisation_id);
  if (!table.ok()) return ctx.error(500);
  std::map<std::string, std::string> err;
  for (const auto& e : errors) err.emplace(e.field, e.message);
  json levels = json::array();
  for (const auto& [level, level_label] : activities::role_levels()) {
    json cells = json::array();
    for (const auto& [unit, unit_label] : payments::rate_units()) {
      std::string value;
      if (auto l = table->find(level); l != table->end()) {
        if (auto u = l->second.find(unit); u != l->second.end()) value = payments::plain_pounds(u->second);
      }
      if (auto t = typed.find(level); t != typed.end() && t->second.count(unit)) value = t->second.at(unit);
      std::string name = "rate-" + level + "-" + unit;
      json cell = {{"name", name}, {"label", unit_label + " for a " + level_label}, {"value", value}};
      if (err.count(name)) cell["error"] = err[name];
      cells.push_back(cell);
    }
    levels.push_back({{"label", level_label}, {"cells", cells}});
  }
  json data = {{"levels", levels}};
  if (!ctx.request.query("saved").empty()) data["notice"] = "The rates are saved.";
  if (!errors.empty()) return field_errors(ctx, "payments/rates", "Payment rates", data, errors);
  return ctx.page(200, "payments/rates", "Payment rates", data);
}

Response rates_form(Context& ctx) { return rates_page(ctx, {}, {}); }

Response rates_save(Context& ctx) {
  std::map<std::string, std::map<std::string, std::string>> typed;
  for (const auto& [level, l] : activities::role_levels()) {
    for (const auto& [unit, u] : payments::rate_units()) typed[level][unit] = ctx.form.get("rate-" + level + "-" + unit);
  }
  std::vector<FieldError> problems;
  Status s = pay(ctx).set_rates(ctx.user->organisation_id, typed, actor_of(ctx), &problems);
  if (s.code() == StatusCode::kInvalidInput) return rates_page(ctx, typed, problems);
  if (!s.ok()) return status_error(ctx, s);
  return Response::redirect("/payments/rates?saved=1");
}

// --- expense claims ------------------------------------------------------------------

// The claim form. `own` is the person's own claim on 'Your payments', shown
// in their language; staff pages stay in English.
json claim_form_data(Context& ctx, int64_t person_id, const std::string& person_name, const ClaimInput& in,
                     const std::vector<FieldError>& errors, const std::string& action, const std::string& back,
                     bool own = false) {
  auto tr = [&](const std::string& english) { return own ? ctx.tr(english) : english; };
  std::map<std::string, std::string> err;
  for (const auto& e : errors) err.emplace(e.field, tr(e.message));
  auto e = [&](const char* f) { return err.count(f) ? err[f] : std::string(); };
  auto mine = activities::Activities(ctx.services.db, ctx.services.clock).for_person(ctx.user->organisation_id, person_id);
  std::vector<std::pair<std::string, std::string>> options = {{"", tr(N_("None of these"))}};
  if (mine.ok()) {
    for (const auto& pa : *mine) {
      if (pa.activity.status != "cancelled") {
        options.emplace_back(std::to_string(pa.activity.id), pa.activity.title + ", " + pa.activity.starts_at.substr(0, 10));
      }
    }
  }
  json date = {{"legend", tr(N_("When was the cost?"))}, {"day", in.day}, {"month", in.month}, {"year", in.year}};
  if (!e("day").empty()) date["error"] = e("day");
  std::vector<std::pair<std::string, std::string>> categories;
  for (const auto& [code, label] : payments::expense_categories()) categories.emplace_back(code, tr(label));
  json data = {{"action", action},
               {"back_href", back},
               {"person_id", person_id},
               {"person_name", person_name},
               {"category_choices", choice_group("category", tr(N_("What was the expense for?")), "", true, categories,
                                                 {in.category}, e("category"))},
               {"activity_choices", choice_group("activity_id", tr(N_("Which activity was it for?")), "", true, options,
                                                 {in.activity_id}, e("activity_id"))},
               {"description_field", text_field({"description", tr(N_("Describe it")).c_str(), "text",
                                                 tr(N_("For example, 'Bus fare to the town hall and back'")).c_str(), true},
                                                in.description, e("description"))},
               {"amount_field", text_field({"amount", tr(N_("Amount, in pounds")).c_str(), "text",
                                            tr(N_("For example, 4.80")).c_str(), false, "5"},
                                           in.amount, e("amount"))},
               {"date", date}};
  if (!e("receipts").empty()) data["receipts_error"] = e("receipts");
  return data;
}

ClaimInput claim_input(const Form& f, int64_t person_id) {
  return {std::to_string(person_id), f.get("activity_id"), f.get("category"), f.get("description"), f.get("amount"),
          f.get("day"), f.get("month"), f.get("year")};
}

std::vector<payments::Receipt> receipts_of(const Form& f) {
  std::vector<payments::Receipt> out;
  for (const auto& file : f.files()) {
    if (file.field == "receipts" && !file.data.empty()) out.push_back({0, file.filename, "", file.data});
  }
  return out;
}

StatusOr<std::string> person_name(Context& ctx, int64_t person_id) {
  auto names = involvement::People(ctx.services.db, ctx.services.clock)
                   .names(ctx.user->organisation_id, {person_id}, actor_of(ctx));
  if (!names.ok()) return names.status();
  auto it = names->find(person_id);
  if (it == names->end()) return NotFound("There is no such person");
  return it->second;
}

Response claim_new(Context& ctx) {
  auto person = whole_id(ctx.request.query("person"));
  if (!person) return ctx.page(200, "payments/claim_start", "Record an expense claim");
  auto name = person_name(ctx, *person);
  if (!name.ok()) return status_error(ctx, name.status());
  ClaimInput in;
  return ctx.page(200, "payments/claim_form", "Record an expense claim",
                  claim_form_data(ctx, *person, *name, in, {}, "/expenses", "/people/" + std::to_string(*person)));
}

Response claim_submit(Context& ctx, int64_t person, const std::string& action, const std::string& back,
                      const std::string& done) {
  auto name = person_name(ctx, person);
  if (!name.ok()) return status_error(ctx, name.status());
  ClaimInput in = claim_input(ctx.form, person);
  std::vector<FieldError> problems;
  auto claim = pay(ctx).submit_claim(ctx.user->organisation_id, in, receipts_of(ctx.form), actor_of(ctx), &problems);
  if (claim.status().code() == StatusCode::kInvalidInput) {
    if (problems.empty()) problems.push_back({claim.status().where().field, claim.status().message()});
    return field_errors(ctx, "payments/claim_form", "Record an expense claim",
                        claim_form_data(ctx, person, *name, in, problems, action, back), problems);
  }
  if (!claim.ok()) return status_error(ctx, claim.status());
  return Response::redirect(done);
}

Response claim_create(Context& ctx) {
  auto person = whole_id(ctx.form.get("person_id"));
  if (!person) return ctx.error(400, "Open the person's record and choose 'Record an expense claim'.");
  return claim_submit(ctx, *person, "/expenses", "/people/" + std::to_string(*person), "/payments");
}

Response claim_show(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  auto all = pay(ctx).claims(ctx.user->organisation_id, "", std::nullopt, actor_of(ctx));
  if (!all.ok()) return ctx.error(500);
  for (const auto& c : *all) {
    if (c.id != *id) continue;
    json data = claim_row(c, "/expenses");
    data["decision_action"] = "/expenses/" + std::to_string(c.id) + "/decision";
    data["reason_field"] = text_field({"reason", "If you are not approving it, say why", "text", "The person will see this", true},
                                      "", "");
    return ctx.page(200, "payments/claim", "Expense claim", data);
  }
  return ctx.error(404);
}

Response claim_decide(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  std::string decision = ctx.form.get("decision");
  if (decision != "approve" && decision != "reject") return ctx.error(400, "Choose whether to approve the claim.");
  Status s = pay(ctx).decide_claim(ctx.user->organisation_id, *id, decision == "approve", ctx.form.get("reason"), actor_of(ctx));
  if (s.code() == StatusCode::kInvalidInput) {
    auto all = pay(ctx).claims(ctx.user->organisation_id, "", std::nullopt, actor_of(ctx));
    if (!all.ok()) return ctx.error(500);
    for (const auto& c : *all) {
      if (c.id != *id) continue;
      json data = claim_row(c, "/expenses");
      data["decision_action"] = "/expenses/" + std::to_string(c.id) + "/decision";
      data["reason_field"] = text_field({"reason", "If you are not approving it, say why", "text", "The person will see this", true},
                                        ctx.form.get("reason"), s.message());
      return field_errors(ctx, "payments/claim", "Expense claim", data, {{"reason", s.message()}});
    }
  }
  if (!s.ok()) return status_error(ctx, s);
  return Response::redirect("/payments");
}

Response receipt_download(Context& ctx, std::optional<int64_t> person) {
  auto id = id_param(ctx);
  auto rid = id_param(ctx, "receipt");
  if (!id || !rid) return ctx.error(404);
  auto r = pay(ctx).receipt(ctx.user->organisation_id, *id, *rid, person, actor_of(ctx));
  if (!r.ok()) return status_error(ctx, r.status());
  std::string ext = r->content_type == "application/pdf" ? "pdf" : r->content_type == "image/png" ? "png" : "jpg";
  return attachment(r->content_type, "receipt-" + std::to_string(*id) + "-" + std::to_string(*rid) + "." + ext,
                    std::move(r->bytes));
}

// --- payroll -------------------------------------------------------------------------

Response payroll_page(Context& ctx) {
  auto lines = pay(ctx).payroll(ctx.user->organisation_id, actor_of(ctx), "payroll.read");
  if (!lines.ok()) return ctx.error(500);
  json rows = json::array();
  int64_t total = 0;
  for (const auto& l : *lines) {
    total += l.pence;
    rows.push_back({{"reference", l.person_reference}, {"name", l.name}, {"date", l.date},
                    {"type", l.kind == "payment" ? "Payment for time" : "Expenses"}, {"description", l.description},
                    {"amount", format_pounds(l.pence)}, {"field", l.kind == "payment" ? "payment" : "claim"},
                    {"id", l.id}});
  }
  return ctx.page(200, "payments/payroll", "Payroll export",
                  {{"lines", rows}, {"has_lines", !rows.empty()}, {"total", format_pounds(total)}, {"count", rows.size()}});
}

Response payroll_csv(Context& ctx) {
  auto lines = pay(ctx).payroll(ctx.user->organisation_id, actor_of(ctx));
  if (!lines.ok()) return ctx.error(500);
  return attachment("text/csv; charset=utf-8", "payroll-" + today(ctx) + ".csv", "\xEF\xBB\xBF" + payments::payroll_csv(*lines));
}

Response payroll_xlsx(Context& ctx) {
  auto lines = pay(ctx).payroll(ctx.user->organisation_id, actor_of(ctx));
  if (!lines.ok()) return ctx.error(500);
  auto bytes = payments::payroll_xlsx(*lines);
  if (!bytes.ok()) return ctx.error(500);
  return attachment("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    "payroll-" + today(ctx) + ".xlsx", std::move(*bytes));
}

Response payroll_paid(Context& ctx) {
  std::vector<int64_t> payment_ids, claim_ids;
  for (const auto& v : ctx.form.all("payment")) {
    if (auto id = whole_id(v)) payment_ids.push_back(*id);
  }
  for (const auto& v : ctx.form.all("claim")) {
    if (auto id = whole_id(v)) claim_ids.push_back(*id);
  }
  // Each person is told what was paid for their time.
  auto told = notices(ctx).mark_paid(ctx.user->organisation_id, payment_ids, claim_ids, actor_of(ctx));
  if (!told.ok()) return status_error(ctx, told.status());
  wake_sender(ctx);
  return Response::redirect("/payments?done=paid");
}

// --- a participant's own payments ---------------------------------------------------

// 'Your payments' in Easy Read, from the rows of the standard page.
json my_payments_easy_read(const Context& ctx, const json& data) {
  // The statuses come already in the person's language, from the standard page's rows.
  json sections = json::array();
  json money = {easy_read_idea(ctx, "money", N_("A pound sign"), ctx.tr(N_("We pay you for your time when you take part."))),
                easy_read_idea(ctx, "calendar", N_("A calendar"),
                     ctx.tr(N_("This year we paid you {paid} for your time, and {costs} for your costs."),
                            {{"paid", data["paid_total"].get<std::string>()},
                             {"costs", data["expenses_total"].get<std::string>()}}))};
  for (const auto& p : data["payments"]) {
    money.push_back(easy_read_idea(ctx, "money", N_("A pound sign"),
                         ctx.tr(N_("{amount} for {activity}. {status}."),
                                {{"amount", p.value("amount", "")},
                                 {"activity", p.value("activity", "")},
                                 {"status", p.value("status", "")}})));
  }
  sections.push_back({{"heading", ctx.tr(N_("Pay for your time"))}, {"ideas", money}});
  json costs = {easy_read_idea(ctx, "bus", N_("A bus"), ctx.tr(N_("Did it cost you money to take part? For example, a bus ticket."))),
                easy_read_idea(ctx, "receipt", N_("A receipt"), ctx.tr(N_("Keep the ticket or the receipt."))),
                easy_read_idea(ctx, "money", N_("A pound sign"), ctx.tr(N_("We will pay you back.")),
                     "/my-payments?version=standard#category", N_("Ask us to pay you back"))};
  for (const auto& c : data["my_claims"]) {
    costs.push_back(easy_read_idea(ctx, "receipt", N_("A receipt"),
                         ctx.tr(N_("You asked for {amount} for {description}. {status}."),
                                {{"amount", c.value("amount", "")},
                                 {"description", c.value("description", "")},
                                 {"status", c.value("status", "")}})));
  }
  sections.push_back({{"heading", ctx.tr(N_("Costs"))}, {"ideas", costs}});
  json easy = {{"heading", ctx.tr(N_("Your payments"))},
               {"standard_href", "/my-payments?version=standard"},
               {"sections", sections}};
  if (data.contains("notice")) {
    const std::string notice = data["notice"].get<std::string>();
    easy["notice"] = ctx.tr(notice);
  }
  return easy;
}

Response my_payments_page(Context& ctx, int64_t person, const ClaimInput& in, const std::vector<FieldError>& errors,
                          bool easy_read = false) {
  int64_t org = ctx.user->organisation_id;
  auto mine = pay(ctx).list(org, "", person, actor_of(ctx));
  auto claims = pay(ctx).claims(org, "", person, actor_of(ctx));
  auto totals = pay(ctx).totals(org, person, today(ctx));
  if (!mine.ok() || !claims.ok() || !totals.ok()) return ctx.error(500);
  json rows = json::array();
  for (const auto& p : *mine) {
    if (p.status == "cancelled") continue;
    const char* status = p.status == "paid"       ? N_("Paid")
                         : p.status == "approved" ? N_("Approved, to be paid")
                                                  : N_("Being checked");
    rows.push_back({{"activity", p.activity_title}, {"date", p.activity_date.empty() ? "" : date_in(ctx, p.activity_date)},
                    {"amount", format_pounds(p.pence)}, {"basis", p.basis}, {"status", ctx.tr(status)}});
  }
  json claim_rows = json::array();
  for (const auto& c : *claims) {
    json row = claim_row(c, "/my-payments/claims");
    // claim_row gives the English, marked N_ where it is made.
    for (const char* key : {"status", "category"}) {
      const std::string english = row[key].get<std::string>();
      row[key] = ctx.tr(english);
    }
    claim_rows.push_back(std::move(row));
  }
  auto name = person_name(ctx, person);
  json data =
      claim_form_data(ctx, person, name.ok() ? *name : "", in, errors, "/my-payments/claims", "/my-activities", true);
  data["payments"] = rows;
  data["has_payments"] = !rows.empty();
  data["my_claims"] = claim_rows;
  data["has_claims"] = !claim_rows.empty();
  data["year"] = ctx.tr(N_("{start} to {end}"),
                        {{"start", date_in(ctx, totals->year_start)}, {"end", date_in(ctx, totals->year_end)}});
  data["paid_total"] = format_pounds(totals->payments);
  data["expenses_total"] = format_pounds(totals->expenses);
  if (!ctx.request.query("claimed").empty()) data["notice"] = ctx.tr(N_("Your claim has been sent. A lead will check it."));
  if (!errors.empty()) {
    std::vector<FieldError> shown = errors;
    for (auto& e : shown) e.message = ctx.tr(e.message);
    return field_errors(ctx, "payments/mine", ctx.tr(N_("Your payments")), data, shown);
  }
  if (easy_read) {
    return ctx.page(200, "easy_read/page", ctx.tr(N_("Your payments in Easy Read")), my_payments_easy_read(ctx, data));
  }
  data["easy_read_href"] = "/my-payments/easy-read";
  return ctx.page(200, "payments/mine", ctx.tr(N_("Your payments")), data);
}

// 'Your payments'; with `easy_read`, or for a person who asked for Easy
// Read, its Easy Read version.
Response my_payments_for(Context& ctx, bool easy_read) {
  auto person = own_person(ctx);
  if (!person) return ctx.error(404, "There is no record of you in the involvement pool yet.");
  return my_payments_page(ctx, *person, {}, {}, easy_read || easy_read_first(ctx, *person));
}

Response my_payments(Context& ctx) { return my_payments_for(ctx, false); }

Response my_claim(Context& ctx) {
  auto person = own_person(ctx);
  if (!person) return ctx.error(404, "There is no record of you in the involvement pool yet.");
  ClaimInput in = claim_input(ctx.form, *person);
  std::vector<FieldError> problems;
  auto claim = pay(ctx).submit_claim(ctx.user->organisation_id, in, receipts_of(ctx.form), actor_of(ctx), &problems);
  if (claim.status().code() == StatusCode::kInvalidInput) {
    if (problems.empty()) problems.push_back({claim.status().where().field, claim.status().message()});
    return my_payments_page(ctx, *person, in, problems);
  }
  if (!claim.ok()) return status_error(ctx, claim.status());
  return Response::redirect("/my-payments?claimed=1");
}

}  // namespace

void add_payment_routes(Router& router) {
  router.add({"GET", "/payments", kLeads, Channel::kPage, payments_page});
  router.add({"POST", "/payments/{id}/approve", kLeads, Channel::kPage, approve});
  router.add({"POST", "/payments/{id}/cancel", kLeads, Channel::kPage, cancel});
  router.add({"POST", "/activities/{id}/payments", kLeads, Channel::kPage, raise});
  router.add({"GET", "/payments/rates", kLeads, Channel::kPage, rates_form});
  router.add({"POST", "/payments/rates", kLeads, Channel::kPage, rates_save});
  router.add({"GET", "/payments/payroll", kLeads, Channel::kPage, payroll_page});
  router.add({"GET", "/payments/payroll.csv", kLeads, Channel::kPage, payroll_csv});
  router.add({"GET", "/payments/payroll.xlsx", kLeads, Channel::kPage, payroll_xlsx});
  router.add({"POST", "/payments/payroll/paid", kLeads, Channel::kPage, payroll_paid});
  router.add({"GET", "/expenses/new", kLeads, Channel::kPage, claim_new});
  router.add({"POST", "/expenses", kLeads, Channel::kPage, claim_create});
  router.add({"GET", "/expenses/{id}", kLeads, Channel::kPage, claim_show});
  router.add({"POST", "/expenses/{id}/decision", kLeads, Channel::kPage, claim_decide});
  router.add({"GET", "/expenses/{id}/receipts/{receipt}", kLeads, Channel::kPage,
              [](Context& ctx) { return receipt_download(ctx, std::nullopt); }});

  router.add({"GET", "/my-payments", kParticipants, Channel::kPage, my_payments});
  router.add({"GET", "/my-payments/easy-read", kParticipants, Channel::kPage,
              [](Context& ctx) { return my_payments_for(ctx, true); }});
  router.add({"POST", "/my-payments/claims", kParticipants, Channel::kPage, my_claim});
  router.add({"GET", "/my-payments/claims/{id}/receipts/{receipt}", kParticipants, Channel::kPage, [](Context& ctx) {
                auto person = own_person(ctx);
                return person ? receipt_download(ctx, person) : ctx.error(404);
              }});
}

}  // namespace coproduce::web
