// Writing case studies, for co-production leads and administrators:
// /library/manage lists the organisation's own by status; a case study is
// written from scratch or started from a group's records, asked to be
// reviewed by a participant who took part, published and withdrawn. The
// participant answers at /my-reviews. Rules live in library/case_studies.h;
// this file reads forms and shows pages.
#include <map>
#include <sstream>

#include "core/dates.h"
#include "core/text.h"
#include "involvement/groups.h"
#include "library/group_record.h"
#include "library/vocab.h"
#include "web/application.h"
#include "web/library_pages.h"
#include "web/page_helpers.h"

namespace coproduce::web {
namespace {

using nlohmann::json;
using security::Role;

const Access kLeads = Access::only({Role::kAdministrator, Role::kCoproductionLead});
const Access kParticipants = Access::only({Role::kParticipant});

library::CaseStudies studies(Context& ctx) { return library::CaseStudies(ctx.services.db, ctx.services.clock); }
int64_t org(const Context& ctx) { return ctx.user->organisation_id; }
std::string manage_href(int64_t id) { return "/library/manage/" + std::to_string(id); }

// --- the form ------------------------------------------------------------------

// Images and consent records are typed one to a line, parts split by "|":
//   https://example.org/photo.jpg | Four people round a table
//   Sam Patel | 2026-03-01 | Signed the consent form
std::vector<std::vector<std::string>> lines_of_parts(const std::string& text) {
  std::vector<std::vector<std::string>> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (trim_copy(line).empty()) continue;
    std::vector<std::string> parts;
    size_t start = 0;
    for (size_t bar; (bar = line.find('|', start)) != std::string::npos; start = bar + 1)
      parts.push_back(trim_copy(line.substr(start, bar - start)));
    parts.push_back(trim_copy(line.substr(start)));
    out.push_back(parts);
  }
  return out;
}

std::string images_text(const std::vector<library::Image>& images) {
  std::string out;
  for (const auto& i : images) out += i.url + " | " + i.alt + "\n";
  return out;
}

std::string consents_text(const std::vector<library::ConsentRecord>& consents) {
  std::string out;
  for (const auto& c : consents) out += c.who + " | " + c.given_on + " | " + c.how + "\n";
  return out;
}

// A whole number typed into a count field; "" is 0, anything else not a
// number is -1 so that validate() names the field.
int count_of(const std::string& typed) {
  std::string t = trim_copy(typed);
  if (t.empty()) return 0;
  if (t.size() > 6 || t.find_first_not_of("0123456789") != std::string::npos) return -1;
  return std::stoi(t);
}

library::CaseStudyInput input_of(const Form& f) {
  library::CaseStudyInput s;
  s.title = f.get("title");
  s.summary = f.get("summary");
  for (const auto& [key, heading] : library::story_sections()) s.story.push_back({key, f.get("story-" + key)});
  s.setting = f.get("setting");
  s.area_of_care = f.get("area_of_care");
  s.rung = f.get("rung");
  s.principles = f.all("principles");
  s.people = {count_of(f.get("people-lived_experience")), count_of(f.get("people-carers")),
              count_of(f.get("people-staff"))};
  s.outcomes = f.get("outcomes");
  s.contact = f.get("contact");
  s.easy_read = f.get("easy_read");
  for (const auto& parts : lines_of_parts(f.get("images")))
    s.images.push_back({parts[0], parts.size() > 1 ? parts[1] : ""});
  for (const auto& parts : lines_of_parts(f.get("consents")))
    s.consents.push_back({parts[0], parts.size() > 1 ? parts[1] : "", parts.size() > 2 ? parts[2] : ""});
  return s;
}

// The form field a problem belongs to: "story.need" is typed in "story-need",
// "images.2.alt" on the third line of "images".
std::string form_field(const std::string& field) {
  for (const char* list : {"images", "consents"}) {
    std::string prefix = std::string(list) + ".";
    if (field.rfind(prefix, 0) == 0) return list;
  }
  std::string out = field;
  if (auto dot = out.find('.'); dot != std::string::npos) out[dot] = '-';
  return out;
}

std::vector<FieldError> form_errors(const std::vector<FieldError>& errors) {
  std::vector<FieldError> out;
  for (const auto& e : errors) {
    FieldError f = e;
    f.field = form_field(e.field);
    // images.2.alt -> "Line 3: ..."
    if (f.field != e.field && (f.field == "images" || f.field == "consents")) {
      size_t a = e.field.find('.') + 1, b = e.field.find('.', a);
      std::string n = e.field.substr(a, b == std::string::npos ? std::string::npos : b - a);
      if (!n.empty() && n.find_first_not_of("0123456789") == std::string::npos)
        f.message = "Line " + std::to_string(std::stoi(n) + 1) + ": " + e.message;
    }
    out.push_back(f);
  }
  return out;
}

json form_data(Context& ctx, const library::CaseStudyInput& s, const std::vector<FieldError>& errors) {
  std::map<std::string, std::string> err;
  for (const auto& e : errors) err.emplace(e.field, ctx.tr(e.message));
  auto e = [&](const std::string& f) { return err.count(f) ? err[f] : std::string(); };
  json data;
  data["title_field"] = text_field({"title", "Title", "text", "A short name for what happened, like ‘Carers redesign the respite booking line’"}, s.title, e("title"));
  data["summary_field"] = text_field({"summary", "Summary", "text", "Two or three sentences: what was done, with whom, and what changed", true}, s.summary, e("summary"));
  // Field names and labels, made once: text_field keeps pointers to them.
  static const std::vector<std::pair<std::string, std::string>> kStoryNames = [] {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& [key, heading] : library::story_sections()) out.emplace_back("story-" + key, heading);
    return out;
  }();
  json story = json::array();
  size_t i = 0;
  for (const auto& [key, heading] : library::story_sections()) {
    std::string value;
    for (const auto& part : s.story)
      if (part.key == key) value = part.markdown;
    const auto& [name, label] = kStoryNames[i++];
    bool required = key == "need" || key == "together" || key == "changed";
    story.push_back(text_field({name.c_str(), label.c_str(), "text", required ? "" : "Optional", true}, value, e(name)));
  }
  data["story"] = story;
  data["setting_group"] = choice_group("setting", "Setting", "", true, library::settings(), {s.setting}, e("setting"));
  data["area_field"] = text_field({"area_of_care", "Area of care", "text", "For example: dementia care, learning disability, mental health"}, s.area_of_care, e("area_of_care"));
  data["rung_group"] = choice_group("rung", "How far it got on the ladder of co-production", "The highest rung the work reached, as the people who took part would say", true,
                                    involvement::ladder_rungs(), {s.rung}, e("rung"));
  data["principles_group"] = choice_group("principles", "Principles it shows", "Choose all that apply", false,
                                          library::principles(), s.principles, e("principles"));
  auto n = [](int v) { return v > 0 ? std::to_string(v) : v < 0 ? std::string("?") : std::string(); };
  data["people_fields"] = json::array(
      {text_field({"people-lived_experience", "People with lived experience of care", "text", "", false, "3"},
                  n(s.people.lived_experience), e("people-lived_experience")),
       text_field({"people-carers", "Unpaid carers", "text", "", false, "3"}, n(s.people.carers), e("people-carers")),
       text_field({"people-staff", "Staff", "text", "", false, "3"}, n(s.people.staff), e("people-staff"))});
  data["outcomes_field"] = text_field({"outcomes", "Outcomes", "text", "What difference it made, with figures where you have them. Optional", true}, s.outcomes, e("outcomes"));
  data["contact_field"] = text_field({"contact", "Who to ask about it", "text", "A team or role and how to reach them, not a private phone number. Optional"}, s.contact, e("contact"));
  data["easy_read_field"] = text_field({"easy_read", "Easy Read version", "text", "Short sentences, one idea each, with a blank line between them. You can add a picture with ![what it shows](https://address). Optional, but people asked for it", true}, s.easy_read, e("easy_read"));
  data["images_field"] = text_field({"images", "Pictures", "text", "One on each line: the address, a | and what the picture shows. Optional", true}, images_text(s.images), e("images"));
  data["consents_field"] = text_field({"consents", "Consent of everyone named or pictured", "text", "One on each line: name | date given (YYYY-MM-DD) | how it was given. Kept by us, never published", true}, consents_text(s.consents), e("consents"));
  data["csrf_token"] = ctx.csrf_token;
  return data;
}

Response form_page(Context& ctx, int status, const std::string& heading, const std::string& action,
                   const library::CaseStudyInput& s, const std::vector<FieldError>& errors, json extra = json::object()) {
  json data = form_data(ctx, s, errors);
  data["heading"] = heading;
  data["action"] = action;
  data.update(extra);
  if (errors.empty()) return ctx.page(status, "library/form", heading, data);
  return field_errors(ctx, "library/form", heading, data, errors);
}

// --- pages -----------------------------------------------------------------------

Response manage_list(Context& ctx) {
  auto own = studies(ctx).own(org(ctx));
  if (!own.ok()) return status_error(ctx, own.status());
  std::map<std::string, json> by_status;
  for (const auto& c : *own)
    by_status[c.status].push_back({{"href", manage_href(c.id)}, {"title", c.study.title},
                                   {"updated_on", long_date(c.updated_at.substr(0, 10))}});
  json sections = json::array();
  for (const auto& [code, label] : library::statuses()) {
    json rows = by_status.count(code) ? by_status[code] : json::array();
    sections.push_back({{"heading", label}, {"rows", rows}, {"count", rows.size()}, {"has_rows", !rows.empty()}});
  }
  json groups = json::array();
  auto all = involvement::Groups(ctx.services.db, ctx.services.clock).list(org(ctx));
  if (all.ok())
    for (const auto& g : *all) groups.push_back({{"id", g.id}, {"name", g.name}});
  json data = {{"sections", sections}, {"groups", groups}, {"has_groups", !groups.empty()},
               {"is_admin", ctx.user->role == Role::kAdministrator}};
  return ctx.page(200, "library/manage", "Your case studies", data);
}

Response new_form(Context& ctx) {
  library::CaseStudyInput s;
  json extra = json::object();
  std::string group = ctx.request.query("group");
  if (!group.empty()) {
    int64_t group_id = 0;
    if (group.size() < 16 && group.find_first_not_of("0123456789") == std::string::npos) group_id = std::stoll(group);
    auto record = library::group_record(ctx.services.db, ctx.services.clock, org(ctx), group_id, actor_of(ctx));
    if (!record.ok()) return status_error(ctx, record.status());
    s = library::draft_from_record(*record);
    extra["from_group"] = record->group_name;
    extra["group_id"] = group_id;
  }
  return form_page(ctx, 200, "Write a case study", "/library/manage/new", s, {}, extra);
}

Response create(Context& ctx) {
  library::CaseStudyInput s = input_of(ctx.form);
  std::optional<int64_t> group_id;
  std::string g = ctx.form.get("group_id");
  json extra = json::object();
  if (!g.empty() && g.size() < 16 && g.find_first_not_of("0123456789") == std::string::npos) {
    group_id = std::stoll(g);
    extra["group_id"] = *group_id;
  }
  auto errors = form_errors(library::validate_draft(s));
  if (!errors.empty()) return form_page(ctx, 400, "Write a case study", "/library/manage/new", s, errors, extra);
  auto id = studies(ctx).create(org(ctx), s, group_id, actor_of(ctx));
  if (!id.ok()) return status_error(ctx, id.status());
  return Response::redirect(manage_href(*id) + "?saved=1");
}

Response detail(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  auto found = studies(ctx).get(org(ctx), *id);
  if (!found.ok() || found->imported()) return ctx.error(404);
  auto reviews = studies(ctx).reviews(org(ctx), *id);
  if (!reviews.ok()) return status_error(ctx, reviews.status());
  json data = case_study_view(*found);
  json rows = json::array();
  bool waiting = false;
  for (const auto& r : *reviews) {
    std::string state = r.decision.empty() ? "Waiting for an answer"
                        : r.decision == "approved" ? "Approved"
                                                   : "Asked for changes";
    waiting = waiting || r.decision.empty();
    json row = {{"who", r.person_name}, {"asked_on", long_date(r.requested_at.substr(0, 10))}, {"state", state}};
    put_if(row, "comment", r.comment);
    put_if(row, "credit", r.decision == "approved" ? (r.credit ? "Credited as " + r.credit_name : "Chose not to be named") : "");
    rows.push_back(row);
  }
  data["reviews"] = rows;
  data["has_reviews"] = !rows.empty();
  data["csrf_token"] = ctx.csrf_token;
  data["base"] = manage_href(*id);
  const std::string& st = found->status;
  data["can_edit"] = (st == "draft" || st == "published") && !waiting;
  data["can_review"] = st == "draft" || st == "in_review";
  data["can_publish"] = st == "draft";
  data["can_withdraw"] = st == "published";
  if (ctx.request.query("saved") == "1") data["saved"] = true;
  if (data["can_review"].get<bool>()) {
    // The person to ask is found by name (the pool may hold thousands).
    std::string find = trim_copy(ctx.request.query("person"));
    data["person_query"] = find;
    if (!find.empty()) {
      involvement::PeopleQuery q;
      q.text = find;
      q.limit = 20;
      auto pool = involvement::People(ctx.services.db, ctx.services.clock).search(org(ctx), q, actor_of(ctx));
      json people = json::array();
      if (pool.ok())
        for (const auto& p : *pool) people.push_back({{"id", p.id}, {"name", p.details.name}});
      data["people"] = people;
      data["searched"] = true;
      data["found_none"] = people.empty();
    }
  }
  return ctx.page(200, "library/manage_case_study", found->study.title, data);
}

Response edit_form(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  auto found = studies(ctx).get(org(ctx), *id);
  if (!found.ok() || found->imported()) return ctx.error(404);
  return form_page(ctx, 200, "Change the case study", manage_href(*id) + "/edit", found->study, {});
}

Response edit(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  library::CaseStudyInput s = input_of(ctx.form);
  auto errors = form_errors(library::validate_draft(s));
  if (!errors.empty()) return form_page(ctx, 400, "Change the case study", manage_href(*id) + "/edit", s, errors);
  Status st = studies(ctx).update(org(ctx), *id, s, actor_of(ctx));
  if (!st.ok()) return status_error(ctx, st);
  return Response::redirect(manage_href(*id) + "?saved=1");
}

Response change_status(Context& ctx, bool publish) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  Status st = publish ? studies(ctx).publish(org(ctx), *id, actor_of(ctx))
                      : studies(ctx).withdraw(org(ctx), *id, actor_of(ctx));
  if (!st.ok()) return status_error(ctx, st);
  return Response::redirect(manage_href(*id) + "?saved=1");
}

Response ask_review(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  std::string person = ctx.form.get("person_id");
  if (person.empty() || person.size() > 15 || person.find_first_not_of("0123456789") != std::string::npos)
    return ctx.error(400, "Choose the person to ask");
  auto asked = studies(ctx).request_review(org(ctx), *id, std::stoll(person), ctx.form.get("note"), actor_of(ctx));
  if (!asked.ok()) return status_error(ctx, asked.status());
  return Response::redirect(manage_href(*id) + "?saved=1");
}

// --- a participant's reviews -------------------------------------------------------

Response my_reviews(Context& ctx) {
  auto person = own_person(ctx);
  if (!person) return ctx.error(404, N_("There is no record of you in the involvement pool yet."));
  auto mine = studies(ctx).reviews_for_person(org(ctx), *person);
  if (!mine.ok()) return status_error(ctx, mine.status());
  json waiting = json::array(), done = json::array();
  for (const auto& r : *mine) {
    json row = {{"href", "/my-reviews/" + std::to_string(r.id)}, {"title", r.case_study_title},
                {"asked_on", date_in(ctx, r.requested_at)}};
    (r.decision.empty() ? waiting : done).push_back(row);
  }
  return ctx.page(200, "library/my_reviews", ctx.tr(N_("Stories to check")),
                  {{"waiting", waiting}, {"done", done}, {"has_waiting", !waiting.empty()}, {"has_done", !done.empty()}});
}

Response review_page(Context& ctx, int status, const library::ReviewDecision* typed,
                     const std::vector<FieldError>& errors) {
  auto person = own_person(ctx);
  auto id = id_param(ctx);
  if (!person || !id) return ctx.error(404);
  auto r = studies(ctx).review(org(ctx), *id);
  if (!r.ok() || r->person_id != *person) return ctx.error(404);
  auto found = studies(ctx).get(org(ctx), r->case_study_id);
  if (!found.ok()) return status_error(ctx, found.status());
  json data = case_study_view(*found, &ctx);
  put_if(data, "note", r->note);
  const std::string title = ctx.tr(N_("Check the story"));
  data["csrf_token"] = ctx.csrf_token;
  data["action"] = "/my-reviews/" + std::to_string(*id);
  if (!r->decision.empty()) {
    const char* answered = r->decision == "approved"
                               ? N_("You said the story is right. Thank you.")
                               : N_("You asked for changes. Thank you. The team will look at what you said.");
    data["answered"] = ctx.tr(answered);
    return ctx.page(status, "library/review", title, data);
  }
  library::ReviewDecision d = typed ? *typed : library::ReviewDecision{"", "", true, ""};
  std::map<std::string, std::string> err;
  for (const auto& e : errors) err.emplace(e.field, ctx.tr(e.message));
  auto e = [&](const std::string& f) { return err.count(f) ? err[f] : std::string(); };
  data["decision_group"] = choice_group(
      "decision", ctx.tr(N_("Is the story right?")), "", true,
      {{"approved", ctx.tr(N_("Yes, it is right"))}, {"changes_requested", ctx.tr(N_("No, it needs changes"))}},
      {d.decision}, e("decision"));
  // text_field takes the words as written: these are already translated.
  const std::string comment_label = ctx.tr(N_("What needs to change?"));
  const std::string comment_hint =
      ctx.tr(N_("Say it in your own words. You only need to fill this in if it needs changes"));
  data["comment_field"] =
      text_field({"comment", comment_label.c_str(), "text", comment_hint.c_str(), true}, d.comment, e("comment"));
  data["credit_group"] = choice_group(
      "credit", ctx.tr(N_("Can we say you checked it?")), ctx.tr(N_("We will put your name at the end of the story to thank you")),
      true, {{"yes", ctx.tr(N_("Yes, use my name"))}, {"no", ctx.tr(N_("No, do not name me"))}},
      {d.credit ? "yes" : "no"}, e("credit"));
  const std::string name_label = ctx.tr(N_("The name to use"));
  const std::string name_hint = ctx.tr(N_("Your first name is fine"));
  data["credit_name_field"] =
      text_field({"credit_name", name_label.c_str(), "text", name_hint.c_str(), false, "20"}, d.credit_name, e("credit_name"));
  if (errors.empty()) return ctx.page(status, "library/review", title, data);
  std::vector<FieldError> translated = errors;
  for (auto& fe : translated) fe.message = ctx.tr(fe.message);
  return field_errors(ctx, "library/review", title, data, translated);
}

Response review_answer(Context& ctx) {
  auto person = own_person(ctx);
  auto id = id_param(ctx);
  if (!person || !id) return ctx.error(404);
  library::ReviewDecision d{ctx.form.get("decision"), ctx.form.get("comment"), ctx.form.get("credit") != "no",
                            ctx.form.get("credit_name")};
  auto errors = library::validate(d);
  if (!errors.empty()) return review_page(ctx, 400, &d, errors);
  Status st = studies(ctx).decide(org(ctx), *id, *person, d, actor_of(ctx));
  if (!st.ok()) return status_error(ctx, st);
  return Response::redirect("/my-reviews/" + std::to_string(*id));
}

}  // namespace

void add_library_manage_routes(Router& router) {
  router.add({"GET", "/library/manage", kLeads, Channel::kPage, manage_list});
  router.add({"GET", "/library/manage/new", kLeads, Channel::kPage, new_form});
  router.add({"POST", "/library/manage/new", kLeads, Channel::kPage, create});
  router.add({"GET", "/library/manage/{id}", kLeads, Channel::kPage, detail});
  router.add({"GET", "/library/manage/{id}/edit", kLeads, Channel::kPage, edit_form});
  router.add({"POST", "/library/manage/{id}/edit", kLeads, Channel::kPage, edit});
  router.add({"POST", "/library/manage/{id}/publish", kLeads, Channel::kPage,
              [](Context& ctx) { return change_status(ctx, true); }});
  router.add({"POST", "/library/manage/{id}/withdraw", kLeads, Channel::kPage,
              [](Context& ctx) { return change_status(ctx, false); }});
  router.add({"POST", "/library/manage/{id}/review", kLeads, Channel::kPage, ask_review});
  router.add({"GET", "/my-reviews", kParticipants, Channel::kPage, my_reviews});
  router.add({"GET", "/my-reviews/{id}", kParticipants, Channel::kPage,
              [](Context& ctx) { return review_page(ctx, 200, nullptr, {}); }});
  router.add({"POST", "/my-reviews/{id}", kParticipants, Channel::kPage, review_answer});
}

}  // namespace coproduce::web
