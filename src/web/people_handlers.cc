// The involvement pool: staff pages (search, add, change, consent, export,
// erase, import), a participant's own data at /my-data, and the people API.
#include <algorithm>
#include <map>

#include "activities/activities.h"
#include "core/csv.h"
#include "core/dates.h"
#include "core/text.h"
#include "core/translatable.h"
#include "involvement/groups.h"
#include "involvement/imports.h"
#include "involvement/options.h"
#include "involvement/people.h"
#include "payments/money.h"
#include "payments/payments.h"
#include "web/application.h"
#include "web/page_helpers.h"

namespace coproduce::web {
namespace {

using involvement::Actor;
using involvement::FieldError;
using involvement::Person;
using involvement::PersonDetails;
using nlohmann::json;
using security::Role;

// Who keeps the pool. Analysts and learning leads see only totals elsewhere.
const Access kPoolStaff = Access::only({Role::kAdministrator, Role::kCoproductionLead});
const Access kParticipants = Access::only({Role::kParticipant});
constexpr int kPageSize = 50;
constexpr size_t kMaxImportRows = 20000;

involvement::People people(Context& ctx) { return involvement::People(ctx.services.db, ctx.services.clock); }
Actor actor(const Context& ctx) { return actor_of(ctx); }


// The options' labels joined with "; ", in the person's language when
// `ctx` is given (their own pages), else in English (staff pages).
std::string labels(const std::string& field, const std::vector<std::string>& codes, const Context* ctx = nullptr) {
  const involvement::OptionSet* set = involvement::option_set(field);
  std::vector<std::string> out;
  for (const auto& c : codes) {
    const involvement::Option* o = set ? set->by_code(c) : nullptr;
    out.push_back(o ? (ctx ? ctx->tr(o->label) : o->label) : c);
  }
  std::string joined;
  for (const auto& l : out) joined += (joined.empty() ? "" : "; ") + l;
  return joined;
}

// --- forms -----------------------------------------------------------------

struct ChoiceQuestion {
  const char* field;
  const char* legend;
  const char* hint;
  const char* own_legend;  // for the person changing their own details (/my-data/edit)
};

const std::vector<ChoiceQuestion>& choice_questions() {
  static const std::vector<ChoiceQuestion> kQuestions = {
      {"contact_by", "How they prefer to be contacted", "", N_("How do you want us to get in touch?")},
      {"formats", "Formats they prefer", "Select all that apply", N_("How do you want us to send you things?")},
      {"access_needs", "Access and support needs", "Select all that apply", N_("What help do you need to take part?")},
      {"lived_experience", "Their experience", "Select all that apply", N_("What do you know about care and support?")},
      {"care_kinds", "Kinds of care and support", "Select all that apply", N_("Which kinds of care do you know about?")},
      {"availability", "When they are available", "Select all that apply", N_("When can you take part?")},
      {"ways", "Ways they can take part", "Select all that apply", N_("How do you want to take part?")},
      {"payment", "Payment for their time", "", N_("Do you want us to pay you for your time?")},
  };
  return kQuestions;
}

std::vector<std::string> chosen(const PersonDetails& d, const std::string& field) {
  if (field == "contact_by") return {d.contact_by};
  if (field == "formats") return d.formats;
  if (field == "access_needs") return d.access_needs;
  if (field == "lived_experience") return d.lived_experience;
  if (field == "care_kinds") return d.care_kinds;
  if (field == "availability") return d.availability;
  if (field == "ways") return d.ways;
  if (field == "payment") return {d.payment};
  return {};
}

PersonDetails details_from_form(const Form& f) {
  PersonDetails d;
  d.name = f.get("name");
  d.email = f.get("email");
  d.phone = f.get("phone");
  d.address = f.get("address");
  d.postcode = f.get("postcode");
  d.contact_by = f.get("contact_by");
  d.formats = f.all("formats");
  d.other_language = f.get("other_language");
  d.access_needs = f.all("access_needs");
  d.access_other = f.get("access_other");
  d.lived_experience = f.all("lived_experience");
  d.care_kinds = f.all("care_kinds");
  d.experience_other = f.get("experience_other");
  d.area = f.get("area");
  d.availability = f.all("availability");
  d.ways = f.all("ways");
  d.payment = f.get("payment");
  d.benefits_advice = f.get("benefits_advice") == "yes";
  return d;
}

// The data for people/form.mustache; `errors` by field are put beside fields.
// With `self`, the questions speak to the person changing their own details.
// `self_ctx` is given for the person's own form, shown in their language.
json form_data(const PersonDetails& d, const std::map<std::string, std::string>& errors, const Context* self_ctx) {
  const bool self = self_ctx != nullptr;
  // Staff pages stay in English; the person's own in their language.
  auto tr = [&](const char* english) { return self ? self_ctx->tr(english) : std::string(english); };
  auto error_for = [&](const char* field) {
    auto it = errors.find(field);
    return it == errors.end() ? std::string() : it->second;
  };
  auto field = [&](const TextFieldSpec& spec, const std::string& value) {
    return text_field({spec.name, tr(spec.label).c_str(), spec.type, *spec.hint ? tr(spec.hint).c_str() : "",
                       spec.textarea, spec.width},
                      value, error_for(spec.name));
  };
  json fields = json::array({
      field({"name", N_("Full name")}, d.name),
      field({"email", N_("Email address"), "email", N_("Give at least one of email, phone or address")}, d.email),
      field({"phone", N_("Phone number"), "tel", "", false, "20"}, d.phone),
      field({"address", self ? N_("Home address") : "Postal address", "text", "", true}, d.address),
      field({"postcode", N_("Postcode"), "text", "", false, "10"}, d.postcode),
  });
  json later = json::array({
      field({"other_language", self ? N_("Which other language?") : "Another language they would like"}, d.other_language),
      field({"access_other", self ? N_("Any other help you need, in your own words") : "Other support they need, in their words",
             "text", "", true},
            d.access_other),
      field({"experience_other", self ? N_("Anything else you know, in your own words") : "Other experience, in their words",
             "text", "", true},
            d.experience_other),
      field({"area", self ? N_("Where you live") : "Area", "text", N_("For example the town, ward or district"), false,
             "20"},
            d.area),
  });
  json choices = json::array();
  for (const auto& q : choice_questions()) {
    std::vector<std::pair<std::string, std::string>> options;
    for (const auto& o : involvement::option_set(q.field)->options) options.emplace_back(o.code, tr(o.label.c_str()));
    choices.push_back(choice_group(q.field, self ? tr(q.own_legend) : q.legend,
                                   self && q.hint[0] ? tr(N_("Tick all that apply")) : q.hint,
                                   !involvement::option_set(q.field)->multiple, options,
                                   chosen(d, q.field), error_for(q.field)));
  }
  return {{"fields", fields}, {"choice_groups", choices}, {"later_fields", later}, {"benefits_checked", d.benefits_advice}};
}

Response show_form(Context& ctx, int status, const std::string& heading, const std::string& action,
                   const std::string& cancel, const PersonDetails& d, const std::vector<FieldError>& problems,
                   bool adding, bool consent_checked) {
  std::map<std::string, std::string> by_field;
  std::vector<std::pair<std::string, std::string>> summary;
  for (const auto& e : problems) {
    // "contact" is about the contact fields together: point at the first.
    std::string field = e.field == "contact" ? "email" : e.field;
    if (!by_field.count(field)) by_field[field] = e.message;
    summary.emplace_back(field, e.message);
  }
  const bool self = action == "/my-data";
  if (self) {
    // The person's own form is in their language, its messages too.
    for (auto& [field, message] : by_field) message = ctx.tr(message);
    for (auto& [field, message] : summary) message = ctx.tr(message);
  }
  json data = form_data(d, by_field, self ? &ctx : nullptr);
  data["heading"] = heading;
  data["action"] = action;
  data["cancel_href"] = cancel;
  data["adding"] = adding;
  data["consent_checked"] = consent_checked;
  data["consent_wording"] = involvement::current_consent().text;
  if (by_field.count("consent")) data["consent_error"] = by_field["consent"];
  const std::string page = self ? "people/my_form" : "people/form";
  const std::string title = self ? ctx.tr(N_("Change your details")) : heading;
  if (summary.empty()) return ctx.page(status, page, title, data);
  return ctx.form_errors(page, title, data, summary);
}

// --- pages -----------------------------------------------------------------

Response list(Context& ctx) {
  involvement::PeopleQuery q;
  q.text = ctx.request.query("q");
  q.area = ctx.request.query("area");
  q.lived_experience = ctx.request.query("experience");
  q.consented_only = ctx.request.query("consented") == "1";
  int page = 1;
  try {
    if (!ctx.request.query("page").empty()) page = std::max(1, std::stoi(ctx.request.query("page")));
  } catch (const std::exception&) {
    return ctx.error(400, "The page number must be a whole number.");
  }
  if (!q.lived_experience.empty() && !involvement::option_set("lived_experience")->by_code(q.lived_experience)) {
    return ctx.error(400, "That experience filter is not one of the choices.");
  }
  q.limit = kPageSize;
  q.offset = (page - 1) * kPageSize;
  int64_t total = 0;
  auto found = people(ctx).search(ctx.user->organisation_id, q, actor(ctx), &total);
  if (!found.ok()) return ctx.error(500);
  json rows = json::array();
  for (const Person& p : *found) {
    const PersonDetails& d = p.details;
    std::string contact = !d.email.empty() ? d.email : !d.phone.empty() ? d.phone : "By post";
    rows.push_back({{"href", "/people/" + std::to_string(p.id)},
                    {"name", d.name},
                    {"contact", contact},
                    {"area", d.area},
                    {"experience", labels("lived_experience", d.lived_experience)},
                    {"consent_label", p.consent && p.consent->active() ? "Given" : "None"}});
  }
  json experience = json::array();
  for (const auto& o : involvement::option_set("lived_experience")->options) {
    experience.push_back({{"value", o.code}, {"label", o.label}, {"selected", o.code == q.lived_experience}});
  }
  std::string base = "/people?q=" + percent_encode(q.text) + "&experience=" + percent_encode(q.lived_experience) +
                     "&area=" + percent_encode(q.area) + (q.consented_only ? "&consented=1" : "");
  json data = {{"q", q.text}, {"area", q.area}, {"experience_options", experience},
               {"consented", q.consented_only}, {"people", rows}, {"has_people", !rows.empty()},
               {"total", total},
               {"showing", std::to_string(q.offset + (rows.empty() ? 0 : 1)) + " to " +
                               std::to_string(q.offset + static_cast<int>(rows.size())) + " of " +
                               std::to_string(total)}};
  if (page > 1) data["prev_href"] = base + "&page=" + std::to_string(page - 1);
  if (q.offset + static_cast<int64_t>(rows.size()) < total) data["next_href"] = base + "&page=" + std::to_string(page + 1);
  if (!ctx.request.query("imported").empty()) data["imported"] = ctx.request.query("imported");
  return ctx.page(200, "people/list", "Involvement pool", data);
}

Response new_form(Context& ctx) {
  return show_form(ctx, 200, "Add a person", "/people", "/people", {}, {}, true, false);
}

Response create(Context& ctx) {
  PersonDetails d = details_from_form(ctx.form);
  std::vector<FieldError> problems = involvement::validate(d);
  bool consent = ctx.form.get("consent") == "yes";
  if (!consent) problems.push_back({"consent", "Record that the person agrees, or do not add them yet"});
  if (!problems.empty()) return show_form(ctx, 400, "Add a person", "/people", "/people", d, problems, true, consent);
  auto p = people(ctx).add(ctx.user->organisation_id, d, "staff", true, std::nullopt, actor(ctx));
  if (!p.ok()) {
    if (p.status().code() != StatusCode::kInvalidInput) return ctx.error(500);
    return show_form(ctx, 400, "Add a person", "/people", "/people", d, {{p.status().where().field, p.status().message()}},
                     true, consent);
  }
  return Response::redirect("/people/" + std::to_string(p->id) + "?saved=1");
}

// 'Your data' in Easy Read, from the person's record and the standard page's
// data, in the person's language (the answers' labels too).
json my_data_easy_read(const Context& ctx, const involvement::Person& p, const json& data) {
  const PersonDetails& d = p.details;
  auto said = [&ctx](const std::string& field, const std::vector<std::string>& codes) {
    return labels(field, codes, &ctx);
  };
  json about = {easy_read_idea(ctx, "person", N_("A person"), ctx.tr(N_("This is what we keep about you."))),
                easy_read_idea(ctx, "person", N_("A person"), ctx.tr(N_("Your name: {name}."), {{"name", d.name}}))};
  if (!d.email.empty()) {
    about.push_back(easy_read_idea(ctx, "speech", N_("A speech bubble"), ctx.tr(N_("Your email: {email}."), {{"email", d.email}})));
  }
  if (!d.phone.empty()) {
    about.push_back(easy_read_idea(ctx, "speech", N_("A speech bubble"), ctx.tr(N_("Your phone: {phone}."), {{"phone", d.phone}})));
  }
  if (!d.formats.empty()) {
    about.push_back(easy_read_idea(ctx, "receipt", N_("A sheet of paper"),
                         ctx.tr(N_("We send you things as: {formats}."), {{"formats", said("formats", d.formats)}})));
  }
  if (!d.access_needs.empty()) {
    about.push_back(easy_read_idea(ctx, "people", N_("Two people"),
                         ctx.tr(N_("Help you need: {needs}."), {{"needs", said("access_needs", d.access_needs)}})));
  }
  about.push_back(easy_read_idea(ctx, "lock", N_("A lock"), ctx.tr(N_("Only staff who need it can see it."))));
  bool yes = p.consent && p.consent->active();
  json choices = {easy_read_idea(ctx, "tick", N_("A tick"),
                       ctx.tr(yes ? N_("You said yes to us keeping your data.")
                                  : N_("You have not said yes to us keeping your data."))),
                  easy_read_idea(ctx, "pencil", N_("A pencil"), ctx.tr(N_("You can change your details.")),
                       data["edit_href"].get<std::string>(), N_("Change my details")),
                  easy_read_idea(ctx, "download", N_("An arrow pointing down"), ctx.tr(N_("You can get a copy of your data.")),
                       data["export_csv_href"].get<std::string>(), N_("Download my data")),
                  easy_read_idea(ctx, "bin", N_("A bin"), ctx.tr(N_("You can ask us to delete your data.")),
                       data["erase_href"].get<std::string>(), N_("Delete my data"))};
  return {{"heading", ctx.tr(N_("Your data"))},
          {"standard_href", "/my-data?version=standard"},
          {"sections",
           {{{"heading", ctx.tr(N_("What we keep"))}, {"ideas", about}},
            {{"heading", ctx.tr(N_("What you can do"))}, {"ideas", choices}}}}};
}

// Renders a person's page for staff (`self` false) or the person (`self`
// true); with `easy_read` (the person only), its Easy Read version.
Response show_person(Context& ctx, int64_t id, bool self, bool easy_read = false) {
  auto p = people(ctx).get(ctx.user->organisation_id, id, actor(ctx));
  if (!p.ok()) return ctx.error(p.status().code() == StatusCode::kNotFound ? 404 : 500);
  auto eq = people(ctx).equality(ctx.user->organisation_id, id, actor(ctx));
  if (!eq.ok()) return ctx.error(500);
  const PersonDetails& d = p->details;
  json rows = json::array();
  // Each row's key for staff, then in plain words for the person themselves
  // (tests/http/readability.test.mjs).
  // The person's own page is in their language; the staff page in English.
  auto tr = [&](const std::string& english) { return self ? ctx.tr(english) : english; };
  auto said = [&](const std::string& field, const std::vector<std::string>& codes) {
    return labels(field, codes, self ? &ctx : nullptr);
  };
  auto row = [&](const char* staff_key, const char* own_key, const std::string& value) {
    rows.push_back({{"key", self ? ctx.tr(own_key) : staff_key}, {"value", value.empty() ? tr(N_("Not given")) : value}});
  };
  row("Email address", N_("Email address"), d.email);
  row("Phone number", N_("Phone number"), d.phone);
  row("Postal address", N_("Home address"),
      d.address + (d.postcode.empty() ? "" : (d.address.empty() ? "" : ", ") + d.postcode));
  row("Prefers contact by", N_("We get in touch by"), d.contact_by.empty() ? "" : said("contact_by", {d.contact_by}));
  row("Formats", N_("We send you things as"),
      said("formats", d.formats) + (d.other_language.empty() ? "" : " (" + d.other_language + ")"));
  row("Access and support needs", N_("Help you need to take part"),
      said("access_needs", d.access_needs) + (d.access_other.empty() ? "" : (d.access_needs.empty() ? "" : "; ") + d.access_other));
  row("Experience", N_("What you know about care"), said("lived_experience", d.lived_experience) +
                        (d.experience_other.empty() ? "" : (d.lived_experience.empty() ? "" : "; ") + d.experience_other));
  row("Kinds of care", N_("Kinds of care you know"), said("care_kinds", d.care_kinds));
  row("Area", N_("Where you live"), d.area);
  row("Available", N_("When you can take part"), said("availability", d.availability));
  row("Ways to take part", N_("How you like to take part"), said("ways", d.ways));
  row("Payment", N_("Pay for your time"), d.payment.empty() ? "" : said("payment", {d.payment}));
  row("Benefits advice first", N_("Help with benefits first"), d.benefits_advice ? tr(N_("Yes")) : tr(N_("No")));
  json categories = json::array();
  for (const auto& [k, v] : d.attributes) categories.push_back({{"key", k}, {"value", v}});
  std::string consent_label = "No consent recorded";
  if (p->consent) {
    consent_label = p->consent->active() ? "Given on " + p->consent->given_at.substr(0, 10) + " (wording " +
                                               p->consent->version + ")"
                                         : "Withdrawn on " + p->consent->withdrawn_at->substr(0, 10);
    if (self) {
      consent_label = p->consent->active()
                          ? ctx.tr(N_("You said yes on {date}."), {{"date", date_in(ctx, p->consent->given_at)}})
                          : ctx.tr(N_("You took back your yes on {date}."), {{"date", date_in(ctx, *p->consent->withdrawn_at)}});
    }
  } else if (self) {
    consent_label = ctx.tr(N_("You have not said yes."));
  }
  auto memberships = involvement::Groups(ctx.services.db, ctx.services.clock).memberships(ctx.user->organisation_id, id);
  if (!memberships.ok()) return ctx.error(500);
  json history = json::array();
  for (const auto& m : *memberships) {
    std::string answer = m.status == "accepted"   ? (self ? ctx.tr(N_("You said yes")) : "Accepted")
                         : m.status == "declined" ? (self ? ctx.tr(N_("You said no")) : "Declined")
                                                  : (self ? ctx.tr(N_("You have not said yet")) : "Invited, not yet answered");
    history.push_back({{"group", m.group_name}, {"href", self ? "" : "/groups/" + std::to_string(m.group_id)},
                       {"answer", answer}, {"date", self ? date_in(ctx, m.invited_at) : m.invited_at.substr(0, 10)}});
  }
  std::string base = self ? "/my-data" : "/people/" + std::to_string(id);
  json data = {{"name", p->erased ? "Erased person" : d.name},
               {"history", history},
               {"has_history", !history.empty()},
               {"erased", p->erased},
               {"self", self},
               {"rows", rows},
               {"categories", categories},
               {"has_categories", !categories.empty()},
               {"consent_label", consent_label},
               {"consent_active", p->consent && p->consent->active()},
               {"consent_action", base + "/consent"},
               {"equality_label", eq->has_value() ? (self ? ctx.tr(N_("You have answered them")) : "Answered")
                                                  : (self ? ctx.tr(N_("You have not answered them")) : "Not answered")},
               {"edit_href", base + "/edit"},
               {"export_json_href", base + "/export.json"},
               {"export_csv_href", base + "/export.csv"},
               {"erase_href", base + "/erase"},
               {"back_href", self ? "/" : "/people"},
               {"saved", ctx.request.query("saved") == "1"}};
  auto totals = payments::Payments(ctx.services.db, ctx.services.clock)
                    .totals(ctx.user->organisation_id, id, format_timestamp(ctx.services.clock.now()).substr(0, 10));
  if (!totals.ok()) return ctx.error(500);
  data["year_label"] = self ? ctx.tr(N_("From {start} to {end}"), {{"start", date_in(ctx, totals->year_start)},
                                                                  {"end", date_in(ctx, totals->year_end)}})
                            : totals->year_start.substr(0, 4) + " to " + totals->year_end.substr(0, 4) + " tax year";
  data["paid_total"] = payments::format_pounds(totals->payments);
  data["expenses_total"] = payments::format_pounds(totals->expenses);
  data["payments_href"] = self ? "/my-payments" : "";
  if (!self && !p->erased) data["claim_href"] = "/expenses/new?person=" + std::to_string(id);
  if (self && easy_read && !p->erased) {
    return ctx.page(200, "easy_read/page", ctx.tr(N_("Your data in Easy Read")), my_data_easy_read(ctx, *p, data));
  }
  if (self) return ctx.page(200, "people/mine", ctx.tr(N_("Your data")), data);
  return ctx.page(200, "people/show", p->erased ? "Erased person" : d.name, data);
}

Response show(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  return show_person(ctx, *id, false);
}

Response edit_person(Context& ctx, int64_t id, const std::string& base) {
  auto p = people(ctx).get(ctx.user->organisation_id, id, actor(ctx));
  if (!p.ok()) return ctx.error(p.status().code() == StatusCode::kNotFound ? 404 : 500);
  if (p->erased) return ctx.error(404, "This person's details were erased.");
  return show_form(ctx, 200, "Change details", base, base, p->details, {}, false, false);
}

Response update_person(Context& ctx, int64_t id, const std::string& base) {
  auto current = people(ctx).get(ctx.user->organisation_id, id, actor(ctx));
  if (!current.ok()) return ctx.error(current.status().code() == StatusCode::kNotFound ? 404 : 500);
  PersonDetails d = details_from_form(ctx.form);
  d.attributes = current->details.attributes;  // pool categories are changed by import, not this form
  auto problems = involvement::validate(d);
  if (!problems.empty()) return show_form(ctx, 400, "Change details", base, base, d, problems, false, false);
  Status s = people(ctx).update(ctx.user->organisation_id, id, d, actor(ctx));
  if (!s.ok()) {
    if (s.code() == StatusCode::kInvalidInput) {
      return show_form(ctx, 400, "Change details", base, base, d, {{s.where().field, s.message()}}, false, false);
    }
    return ctx.error(s.code() == StatusCode::kNotFound ? 404 : 500);
  }
  return Response::redirect(base + "?saved=1");
}

Response set_consent(Context& ctx, int64_t id, const std::string& base) {
  std::string choice = ctx.form.get("consent");
  if (choice != "give" && choice != "withdraw") return ctx.error(400, "Choose to give or withdraw consent.");
  Status s = people(ctx).set_consent(ctx.user->organisation_id, id, choice == "give", actor(ctx));
  if (!s.ok()) return ctx.error(s.code() == StatusCode::kNotFound ? 404 : 500);
  return Response::redirect(base + "?saved=1");
}

// Everything held about the person, for them to keep: their record, and
// the activities they were invited to, their payments and expense claims.
Response download(Context& ctx, int64_t id, bool as_csv) {
  int64_t org = ctx.user->organisation_id;
  auto j = people(ctx).export_person(org, id, actor(ctx));
  if (!j.ok()) return ctx.error(j.status().code() == StatusCode::kNotFound ? 404 : 500);
  auto invited = activities::Activities(ctx.services.db, ctx.services.clock).for_person(org, id);
  payments::Payments pay(ctx.services.db, ctx.services.clock);
  auto paid = pay.list(org, "", id, actor(ctx));
  auto claims = pay.claims(org, "", id, actor(ctx));
  if (!invited.ok() || !paid.ok() || !claims.ok()) return ctx.error(500);
  json acts = json::array(), payments_out = json::array(), claims_out = json::array();
  for (const auto& pa : *invited) {
    acts.push_back({{"title", pa.activity.title}, {"group", pa.activity.group_name}, {"starts_at", pa.activity.starts_at},
                    {"answer", pa.response}, {"attendance", pa.attendance}, {"minutes", pa.minutes}});
  }
  for (const auto& p : *paid) {
    payments_out.push_back({{"activity", p.activity_title}, {"date", p.activity_date},
                            {"amount", payments::plain_pounds(p.pence)}, {"basis", p.basis}, {"status", p.status}});
  }
  for (const auto& cl : *claims) {
    claims_out.push_back({{"category", cl.category}, {"description", cl.description}, {"date", cl.incurred_on},
                          {"amount", payments::plain_pounds(cl.pence)}, {"status", cl.status}, {"reason", cl.reason}});
  }
  (*j)["activities"] = acts;
  (*j)["payments"] = payments_out;
  (*j)["expense_claims"] = claims_out;
  Response r;
  if (as_csv) {
    // A byte-order mark so Excel reads the file as UTF-8.
    r = Response{200, {{"Content-Type", "text/csv; charset=utf-8"}}, "\xEF\xBB\xBF" + involvement::person_export_csv(*j)};
  } else {
    r = Response::json(200, j->dump(2) + "\n");
  }
  r.set_header("Content-Disposition", "attachment; filename=\"person-" + std::to_string(id) +
                                          (as_csv ? ".csv\"" : ".json\""));
  return r;
}

Response erase_form(Context& ctx, int64_t id, const std::string& base, bool self) {
  auto p = people(ctx).get(ctx.user->organisation_id, id, actor(ctx));
  if (!p.ok()) return ctx.error(p.status().code() == StatusCode::kNotFound ? 404 : 500);
  if (p->erased) return ctx.error(404, "This person's details were already erased.");
  if (self) {
    return ctx.page(200, "people/my_erase", ctx.tr(N_("Delete your data?")),
                    {{"action", base + "/erase"}, {"cancel_href", base}});
  }
  return ctx.page(200, "people/erase", "Erase " + p->details.name + "'s data",
                  {{"name", p->details.name}, {"action", base + "/erase"}, {"cancel_href", base}});
}

// Erases, then shows staff the person's (now anonymous) page, or tells the
// person themselves that it is done.
Response erase_person(Context& ctx, int64_t id, bool self) {
  Status s = people(ctx).erase(ctx.user->organisation_id, id, actor(ctx));
  if (!s.ok()) return ctx.error(s.code() == StatusCode::kNotFound ? 404 : 500);
  if (!self) return Response::redirect("/people/" + std::to_string(id));
  const std::string heading = ctx.tr(N_("Your data has been deleted"));
  return ctx.page(200, "account/done", heading,
                  {{"heading", heading},
                   {"message", ctx.tr(N_("We have taken your name, how to contact you and your answers out of our "
                                         "list of people who take part. We keep a record with no name, so our "
                                         "counts still add up."))},
                   {"link_href", "/"},
                   {"link_text", ctx.tr(N_("Go to the home page"))},
                   {"in_language", true}});
}

// Staff forms of the shared pages above, keyed by the {id} in the path.
Handler for_id(Response (*f)(Context&, int64_t, const std::string&)) {
  return [f](Context& ctx) {
    auto id = id_param(ctx);
    if (!id) return ctx.error(404);
    return f(ctx, *id, "/people/" + std::to_string(*id));
  };
}

// --- import ----------------------------------------------------------------

Response import_form(Context& ctx) { return ctx.page(200, "people/import", "Import people from a file", json::object()); }

Response import_check(Context& ctx) {
  const UploadedFile* file = ctx.form.file("file");
  std::string id_column = ctx.form.get("id_column");
  json data = {{"id_column", id_column}};
  if (!file || file->data.empty()) {
    return ctx.form_errors("people/import", "Import people from a file", data, {{"file", "Choose a CSV file to upload"}});
  }
  csv::ReadOptions opts;
  opts.file_name = file->filename.empty() ? "the file" : file->filename;
  opts.max_rows = kMaxImportRows;
  auto table = csv::parse(file->data, opts);
  data["file_name"] = opts.file_name;
  json problems = json::array();
  std::optional<involvement::ImportResult> checked;
  if (!table.ok()) {
    problems.push_back({{"where", table.status().where().to_string()}, {"message", table.status().message()}});
  } else {
    // A dry run: the real import happens only after the person confirms.
    std::vector<involvement::ImportProblem> found;
    auto result = people(ctx).import_table(ctx.user->organisation_id, *table, id_column, actor(ctx), &found, true);
    for (const auto& p : found) problems.push_back({{"where", p.where.to_string()}, {"message", p.message}});
    if (result.ok()) {
      checked = *result;
    } else if (found.empty()) {
      problems.push_back({{"where", result.status().where().to_string()}, {"message", result.status().message()}});
    }
  }
  if (!problems.empty()) {
    data["problems"] = problems;
    data["has_problems"] = true;
    return ctx.page(400, "people/import", "Import people from a file", data);
  }
  auto held = involvement::PendingImports(ctx.services.db, ctx.services.clock)
                  .hold(ctx.user->organisation_id, ctx.user->id, {0, opts.file_name, id_column, file->data});
  if (!held.ok()) return ctx.error(500);
  json sample = json::array();
  for (size_t i = 0; i < table->rows.size() && i < 5; ++i) {
    std::vector<involvement::ImportProblem> ignored;
    PersonDetails d = involvement::details_from_row(*table, table->rows[i], table->header.size(), &ignored);
    sample.push_back({{"name", d.name}, {"area", d.area}});
  }
  std::string columns;
  for (const auto& c : checked->attribute_columns) columns += (columns.empty() ? "" : ", ") + c;
  data["preview"] = true;
  data["rows"] = checked->added;
  data["columns"] = columns;
  data["sample"] = sample;
  data["pending_id"] = *held;
  return ctx.page(200, "people/import", "Check the import", data);
}

Response import_confirm(Context& ctx) {
  int64_t id = 0;
  try {
    id = std::stoll(ctx.form.get("pending"));
  } catch (const std::exception&) {
    return ctx.error(400, "The import to confirm is missing. Upload the file again.");
  }
  auto pending = involvement::PendingImports(ctx.services.db, ctx.services.clock)
                     .take(ctx.user->organisation_id, ctx.user->id, id);
  if (!pending.ok()) return ctx.error(pending.status().code() == StatusCode::kNotFound ? 404 : 500, pending.status().message());
  csv::ReadOptions opts;
  opts.file_name = pending->file_name;
  opts.max_rows = kMaxImportRows;
  auto table = csv::parse(pending->content, opts);
  if (!table.ok()) return ctx.error(400, table.status().to_string());
  std::vector<involvement::ImportProblem> problems;
  auto result = people(ctx).import_table(ctx.user->organisation_id, *table, pending->id_column, actor(ctx), &problems);
  if (!result.ok()) {
    json list = json::array();
    for (const auto& p : problems) list.push_back({{"where", p.where.to_string()}, {"message", p.message}});
    if (list.empty()) list.push_back({{"where", pending->file_name}, {"message", result.status().message()}});
    return ctx.page(400, "people/import", "Import people from a file",
                    {{"problems", list}, {"has_problems", true}, {"file_name", pending->file_name}});
  }
  return Response::redirect("/people?imported=" + std::to_string(result->added));
}

// --- a participant's own data ------------------------------------------------

Handler for_self(Response (*f)(Context&, int64_t, const std::string&)) {
  return [f](Context& ctx) {
    auto id = own_person(ctx);
    if (!id) return ctx.error(404, "There is no record of you in the involvement pool yet.");
    return f(ctx, *id, "/my-data");
  };
}

// --- the API -----------------------------------------------------------------

json person_json(const Person& p) {
  const PersonDetails& d = p.details;
  json consent = nullptr;
  if (p.consent) {
    consent = {{"version", p.consent->version}, {"given_at", p.consent->given_at},
               {"withdrawn_at", p.consent->withdrawn_at ? json(*p.consent->withdrawn_at) : json(nullptr)},
               {"active", p.consent->active()}};
  }
  json out = involvement::details_json(d);
  out["id"] = p.id;
  out["pool_categories"] = d.attributes;
  out["consent"] = consent;
  out["source"] = p.source;
  out["external_id"] = p.external_id;
  out["created_at"] = p.created_at;
  out["updated_at"] = p.updated_at;
  out["erased"] = p.erased;
  return out;
}

// Reads a JSON body into details, starting from `d` (for updates), and
// records type mistakes as field errors.
void details_from_json(const json& in, PersonDetails* d, std::vector<FieldError>* errors) {
  auto text = [&](const char* key, std::string* out) {
    if (!in.contains(key)) return;
    if (!in[key].is_string()) errors->push_back({key, std::string(key) + " must be a string"});
    else *out = in[key].get<std::string>();
  };
  auto codes = [&](const char* key, std::vector<std::string>* out) {
    if (!in.contains(key)) return;
    if (!in[key].is_array()) {
      errors->push_back({key, std::string(key) + " must be a list of option codes"});
      return;
    }
    out->clear();
    for (const auto& v : in[key]) {
      if (!v.is_string()) errors->push_back({key, std::string(key) + " must be a list of option codes"});
      else out->push_back(v.get<std::string>());
    }
  };
  text("name", &d->name);
  text("email", &d->email);
  text("phone", &d->phone);
  text("address", &d->address);
  text("postcode", &d->postcode);
  text("contact_by", &d->contact_by);
  codes("formats", &d->formats);
  text("other_language", &d->other_language);
  codes("access_needs", &d->access_needs);
  text("access_other", &d->access_other);
  codes("lived_experience", &d->lived_experience);
  codes("care_kinds", &d->care_kinds);
  text("experience_other", &d->experience_other);
  text("area", &d->area);
  codes("availability", &d->availability);
  codes("ways", &d->ways);
  text("payment", &d->payment);
  if (in.contains("benefits_advice")) {
    if (!in["benefits_advice"].is_boolean()) errors->push_back({"benefits_advice", "benefits_advice must be true or false"});
    else d->benefits_advice = in["benefits_advice"].get<bool>();
  }
  if (in.contains("pool_categories")) {
    if (!in["pool_categories"].is_object()) {
      errors->push_back({"pool_categories", "pool_categories must be an object of names to values"});
    } else {
      d->attributes.clear();
      for (auto it = in["pool_categories"].begin(); it != in["pool_categories"].end(); ++it) {
        if (!it.value().is_string()) errors->push_back({it.key(), "pool category values must be strings"});
        else d->attributes[it.key()] = it.value().get<std::string>();
      }
    }
  }
}

Response invalid(Context& ctx, const std::vector<FieldError>& errors) { return api_field_errors(ctx, errors); }

StatusOr<json> json_body(Context& ctx) {
  if (!valid_utf8(ctx.request.body)) return InvalidInput("the body is not valid UTF-8");
  json body = json::parse(ctx.request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) return InvalidInput("the body must be a JSON object");
  return body;
}

Response api_list(Context& ctx) {
  involvement::PeopleQuery q;
  q.text = ctx.request.query("q");
  q.area = ctx.request.query("area");
  q.lived_experience = ctx.request.query("lived_experience");
  q.consented_only = ctx.request.query("consented") == "true";
  try {
    if (!ctx.request.query("limit").empty()) q.limit = std::stoi(ctx.request.query("limit"));
    if (!ctx.request.query("offset").empty()) q.offset = std::stoi(ctx.request.query("offset"));
  } catch (const std::exception&) {
    return ctx.error(400, "limit and offset must be whole numbers");
  }
  if (q.limit < 1 || q.limit > 1000 || q.offset < 0) return ctx.error(400, "limit must be 1 to 1000 and offset 0 or more");
  int64_t total = 0;
  auto found = people(ctx).search(ctx.user->organisation_id, q, actor(ctx), &total);
  if (!found.ok()) return ctx.error(500);
  json items = json::array();
  for (const auto& p : *found) items.push_back(person_json(p));
  return ctx.send_json(200, {{"people", items}, {"total", total}, {"limit", q.limit}, {"offset", q.offset}});
}

Response api_create(Context& ctx) {
  auto body = json_body(ctx);
  if (!body.ok()) return ctx.error(400, body.status().message());
  PersonDetails d;
  std::vector<FieldError> errors;
  details_from_json(*body, &d, &errors);
  std::optional<involvement::Equality> equality;
  if (body->contains("equality")) {
    if (!(*body)["equality"].is_object()) {
      errors.push_back({"equality", "equality must be an object of question codes to answer codes"});
    } else {
      equality.emplace();
      for (auto it = (*body)["equality"].begin(); it != (*body)["equality"].end(); ++it) {
        if (it.value().is_string()) (*equality)[it.key()] = it.value().get<std::string>();
        else errors.push_back({it.key(), "equality answers must be strings"});
      }
      for (const auto& e : involvement::validate(*equality)) errors.push_back(e);
    }
  }
  bool consent = body->value("consent", false);
  if (body->contains("consent") && !(*body)["consent"].is_boolean()) errors.push_back({"consent", "consent must be true or false"});
  for (const auto& e : involvement::validate(d)) errors.push_back(e);
  if (!errors.empty()) return invalid(ctx, errors);
  auto p = people(ctx).add(ctx.user->organisation_id, d, "staff", consent, equality, actor(ctx));
  if (!p.ok()) {
    if (p.status().code() == StatusCode::kInvalidInput) return invalid(ctx, {{p.status().where().field, p.status().message()}});
    return ctx.error(500);
  }
  Response r = ctx.send_json(201, person_json(*p));
  r.set_header("Location", "/api/v1/people/" + std::to_string(p->id));
  return r;
}

Response api_read(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  auto p = people(ctx).get(ctx.user->organisation_id, *id, actor(ctx));
  if (!p.ok()) return ctx.error(p.status().code() == StatusCode::kNotFound ? 404 : 500);
  return ctx.send_json(200, person_json(*p));
}

Response api_update(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  auto body = json_body(ctx);
  if (!body.ok()) return ctx.error(400, body.status().message());
  involvement::People pool = people(ctx);
  auto p = pool.get(ctx.user->organisation_id, *id, actor(ctx));
  if (!p.ok()) return ctx.error(p.status().code() == StatusCode::kNotFound ? 404 : 500);
  if (p->erased) return ctx.error(404, "This person's details were erased.");
  PersonDetails d = p->details;
  std::vector<FieldError> errors;
  details_from_json(*body, &d, &errors);
  for (const auto& e : involvement::validate(d)) errors.push_back(e);
  if (!errors.empty()) return invalid(ctx, errors);
  Status s = pool.update(ctx.user->organisation_id, *id, d, actor(ctx));
  if (!s.ok()) return ctx.error(s.code() == StatusCode::kInvalidInput ? 400 : 500, s.message());
  return ctx.send_json(200, person_json(*pool.get(ctx.user->organisation_id, *id, actor(ctx))));
}

Response api_erase(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  Status s = people(ctx).erase(ctx.user->organisation_id, *id, actor(ctx));
  if (!s.ok()) return ctx.error(s.code() == StatusCode::kNotFound ? 404 : 500);
  return Response{204, {}, ""};
}

Response api_export(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  auto j = people(ctx).export_person(ctx.user->organisation_id, *id, actor(ctx));
  if (!j.ok()) return ctx.error(j.status().code() == StatusCode::kNotFound ? 404 : 500);
  return ctx.send_json(200, *j);
}

}  // namespace

void add_people_routes(Router& router) {
  router.add({"GET", "/people", kPoolStaff, Channel::kPage, list});
  router.add({"GET", "/people/new", kPoolStaff, Channel::kPage, new_form});
  router.add({"POST", "/people", kPoolStaff, Channel::kPage, create});
  router.add({"GET", "/people/import", kPoolStaff, Channel::kPage, import_form});
  router.add({"POST", "/people/import", kPoolStaff, Channel::kPage, import_check});
  router.add({"POST", "/people/import/confirm", kPoolStaff, Channel::kPage, import_confirm});
  router.add({"GET", "/people/{id}", kPoolStaff, Channel::kPage, show});
  router.add({"GET", "/people/{id}/edit", kPoolStaff, Channel::kPage, for_id(edit_person)});
  router.add({"POST", "/people/{id}/edit", kPoolStaff, Channel::kPage, for_id(update_person)});
  router.add({"POST", "/people/{id}/consent", kPoolStaff, Channel::kPage, for_id(set_consent)});
  router.add({"GET", "/people/{id}/export.json", kPoolStaff, Channel::kPage,
              [](Context& ctx) { auto id = id_param(ctx); return id ? download(ctx, *id, false) : ctx.error(404); }});
  router.add({"GET", "/people/{id}/export.csv", kPoolStaff, Channel::kPage,
              [](Context& ctx) { auto id = id_param(ctx); return id ? download(ctx, *id, true) : ctx.error(404); }});
  router.add({"GET", "/people/{id}/erase", kPoolStaff, Channel::kPage,
              [](Context& ctx) { auto id = id_param(ctx); return id ? erase_form(ctx, *id, "/people/" + std::to_string(*id), false) : ctx.error(404); }});
  router.add({"POST", "/people/{id}/erase", kPoolStaff, Channel::kPage,
              [](Context& ctx) { auto id = id_param(ctx); return id ? erase_person(ctx, *id, false) : ctx.error(404); }});

  router.add({"GET", "/my-data", kParticipants, Channel::kPage,
              [](Context& ctx) {
                auto id = own_person(ctx);
                if (!id) return ctx.error(404, "There is no record of you in the involvement pool yet.");
                return show_person(ctx, *id, true, easy_read_first(ctx, *id));
              }});
  router.add({"GET", "/my-data/easy-read", kParticipants, Channel::kPage, [](Context& ctx) {
                auto id = own_person(ctx);
                if (!id) return ctx.error(404, "There is no record of you in the involvement pool yet.");
                return show_person(ctx, *id, true, true);
              }});
  router.add({"GET", "/my-data/edit", kParticipants, Channel::kPage, for_self(edit_person)});
  router.add({"POST", "/my-data/edit", kParticipants, Channel::kPage, for_self(update_person)});
  router.add({"POST", "/my-data/consent", kParticipants, Channel::kPage, for_self(set_consent)});
  router.add({"GET", "/my-data/export.json", kParticipants, Channel::kPage,
              [](Context& ctx) { auto id = own_person(ctx); return id ? download(ctx, *id, false) : ctx.error(404); }});
  router.add({"GET", "/my-data/export.csv", kParticipants, Channel::kPage,
              [](Context& ctx) { auto id = own_person(ctx); return id ? download(ctx, *id, true) : ctx.error(404); }});
  router.add({"GET", "/my-data/erase", kParticipants, Channel::kPage,
              [](Context& ctx) { auto id = own_person(ctx); return id ? erase_form(ctx, *id, "/my-data", true) : ctx.error(404); }});
  router.add({"POST", "/my-data/erase", kParticipants, Channel::kPage,
              [](Context& ctx) { auto id = own_person(ctx); return id ? erase_person(ctx, *id, true) : ctx.error(404); }});

  router.add({"GET", "/api/v1/people", kPoolStaff, Channel::kApi, api_list});
  router.add({"POST", "/api/v1/people", kPoolStaff, Channel::kApi, api_create});
  router.add({"GET", "/api/v1/people/{id}", kPoolStaff, Channel::kApi, api_read});
  router.add({"PATCH", "/api/v1/people/{id}", kPoolStaff, Channel::kApi, api_update});
  router.add({"DELETE", "/api/v1/people/{id}", kPoolStaff, Channel::kApi, api_erase});
  router.add({"GET", "/api/v1/people/{id}/export", kPoolStaff, Channel::kApi, api_export});
}

}  // namespace coproduce::web
