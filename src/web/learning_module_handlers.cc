// Adding and changing learning modules, for administrators and learning
// leads: /learning/modules/new and /learning/modules/{id}/edit. Each
// organisation changes its own copy of the starter module here too.
//
// The pages, the Easy Read pages, the learning outcomes and the knowledge
// check are edited as plain text (learning/module_text.h explains the
// formats); a problem names its field and, where it has one, the line.
// Nothing is saved while there is any problem.
#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "core/text.h"
#include "learning/learning.h"
#include "learning/module_text.h"
#include "learning/vocab.h"
#include "web/application.h"
#include "web/page_helpers.h"

namespace coproduce::web {
namespace {

using nlohmann::json;
using security::Role;

const Access kModuleEditors = Access::only({Role::kAdministrator, Role::kLearningLead});

learning::Learning learn(Context& ctx) { return learning::Learning(ctx.services.db, ctx.services.clock); }
int64_t org(const Context& ctx) { return ctx.user->organisation_id; }

// The form as typed, every answer as text, so that a page shown again with
// errors gives back exactly what the person wrote.
struct ModuleForm {
  std::string title, summary, outcomes, delivery, minutes, refresh_months, pages, easy_read, questions, pass_mark;
  std::vector<std::string> role_categories, standards;
};

ModuleForm form_of(const learning::ModuleContent& c) {
  ModuleForm f;
  f.title = c.title;
  f.summary = c.summary;
  f.outcomes = learning::outcomes_text(c.outcomes);
  f.role_categories = c.role_categories;
  f.standards = c.standards;
  f.delivery = c.delivery;
  f.minutes = c.minutes > 0 ? std::to_string(c.minutes) : "";
  f.refresh_months = c.refresh_months ? std::to_string(*c.refresh_months) : "";
  f.pages = learning::pages_text(c.pages);
  f.easy_read = learning::pages_text(c.easy_read);
  f.questions = learning::questions_text(c.questions);
  f.pass_mark = std::to_string(c.pass_mark);
  return f;
}

ModuleForm form_of(const Form& f) {
  return {f.get("title"),     f.get("summary"),        f.get("outcomes"),        f.get("delivery"),
          f.get("minutes"),   f.get("refresh_months"), f.get("pages"),           f.get("easy_read"),
          f.get("questions"), f.get("pass_mark"),      f.all("role_categories"), f.all("standards")};
}

// The fields in the order the page shows them, for the error summary.
int rank(const std::string& field) {
  static const char* const kOrder[] = {"title",     "summary",   "outcomes",  "role_categories",
                                       "standards", "delivery",  "minutes",   "refresh_months",
                                       "pages",     "easy_read", "questions", "pass_mark"};
  for (size_t i = 0; i < std::size(kOrder); ++i)
    if (field == kOrder[i]) return static_cast<int>(i);
  return static_cast<int>(std::size(kOrder));
}

// A whole number as typed, or nullopt when it is not one. One too long for
// an int is kept as a large number so the range check names it.
std::optional<int> whole_number(const std::string& typed) {
  std::string t = trim_copy(typed);
  if (t.empty() || t.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  if (t.size() > 9) return 1'000'000'000;
  return std::stoi(t);
}

// Reads the form into `c`. Returns every problem, in the order of the
// fields on the page: first what could not be read (a line of questions, a
// number), then validate()'s problems for the fields that were read.
std::vector<FieldError> read_form(const ModuleForm& in, learning::ModuleContent& c) {
  std::vector<FieldError> problems;
  learning::TextLines lines;
  auto take = [&](auto result) {
    problems.insert(problems.end(), result.problems.begin(), result.problems.end());
    lines.insert(result.lines.begin(), result.lines.end());
    return std::move(result.value);
  };
  c.title = trim_copy(in.title);
  c.summary = trim_copy(in.summary);
  c.outcomes = take(learning::outcomes_from_text(in.outcomes));
  c.role_categories = in.role_categories;
  c.standards = in.standards;
  c.delivery = in.delivery;
  c.pages = take(learning::pages_from_text(in.pages, "pages"));
  c.easy_read = take(learning::pages_from_text(in.easy_read, "easy_read"));
  c.questions = take(learning::questions_from_text(in.questions));

  if (auto n = whole_number(in.minutes)) {
    c.minutes = *n;
  } else if (trim_copy(in.minutes).empty()) {
    problems.push_back({"minutes", "Enter how long the module takes, in minutes", Problem::kMissing});
  } else {
    problems.push_back(
        {"minutes", "Enter how long the module takes as a whole number of minutes, like 45", Problem::kInvalid});
  }
  c.refresh_months.reset();
  if (!trim_copy(in.refresh_months).empty()) {
    if (auto n = whole_number(in.refresh_months)) {
      c.refresh_months = *n;
    } else {
      problems.push_back({"refresh_months",
                          "Enter how often it needs refreshing as a whole number of months, like 24, or leave it empty",
                          Problem::kInvalid});
    }
  }
  if (auto n = whole_number(in.pass_mark)) {
    c.pass_mark = *n;
  } else if (trim_copy(in.pass_mark).empty()) {
    problems.push_back({"pass_mark", "Enter the pass mark, from 1 to 100 percent", Problem::kMissing});
  } else {
    problems.push_back({"pass_mark", "Enter the pass mark as a whole number, like 80", Problem::kInvalid});
  }

  // A field already at fault is not told again about the same mistake (a
  // length of "abc" minutes is not also out of range).
  std::set<std::string> at_fault;
  for (const auto& p : problems) at_fault.insert(p.field);
  for (auto& e : learning::errors_on_form(learning::validate(c), lines))
    if (!at_fault.count(e.field)) problems.push_back(std::move(e));
  std::stable_sort(problems.begin(), problems.end(),
                   [](const FieldError& a, const FieldError& b) { return rank(a.field) < rank(b.field); });
  return problems;
}

// A large textarea of the form (pages, Easy Read, questions, outcomes): what
// was typed and every problem with it, each shown beside it.
json area(const std::string& value, const std::vector<std::string>& messages) {
  return {{"value", value}, {"messages", messages}, {"at_fault", !messages.empty()}};
}

struct Page {
  std::string heading;
  std::string action;
  std::string back_href;
  std::string button;
};

json form_data(const ModuleForm& in, const std::vector<FieldError>& errors, const Page& page) {
  std::map<std::string, std::vector<std::string>> err;
  for (const auto& e : errors) err[e.field].push_back(e.message);
  auto first = [&](const char* f) { return err.count(f) ? err[f].front() : std::string(); };
  auto all = [&](const char* f) { return err.count(f) ? err[f] : std::vector<std::string>(); };
  return {
      {"heading", page.heading},
      {"action", page.action},
      {"back_href", page.back_href},
      {"button", page.button},
      {"title_field", text_field({"title", "Title", "text",
                                  "What learners see in their list of learning, for example Listening to the people "
                                  "you support"},
                                 in.title, first("title"))},
      {"summary_field", text_field({"summary", "Summary", "text",
                                    "One or two sentences on what the module covers and who it is for.", true},
                                   in.summary, first("summary"))},
      {"outcomes", area(in.outcomes, all("outcomes"))},
      {"roles",
       choice_group("role_categories", "Who is it for?",
                    "Tick the Care Workforce Pathway role categories it is for. Leave them all unticked if it is for "
                    "every role.",
                    false, learning::role_categories(), in.role_categories, first("role_categories"))},
      {"standards", choice_group("standards", "Care Certificate standards it supports",
                                 "Optional. Tick the standards this module helps people to meet.", false,
                                 learning::care_certificate_standards(), in.standards, first("standards"))},
      {"delivery", choice_group("delivery", "How is it taken?",
                                "E-learning is read and taken here, page by page, with its knowledge check.", true,
                                learning::delivery_kinds(), {in.delivery}, first("delivery"))},
      {"minutes_field", text_field({"minutes", "How long it takes, in minutes", "text", "For example, 45", false, "4"},
                                   in.minutes, first("minutes"))},
      {"refresh_field",
       text_field({"refresh_months", "How often it needs refreshing, in months", "text",
                   "For example, 24 for every 2 years. Leave empty if it never needs refreshing.", false, "3"},
                  in.refresh_months, first("refresh_months"))},
      {"pages", area(in.pages, all("pages"))},
      {"easy_read", area(in.easy_read, all("easy_read"))},
      {"questions", area(in.questions, all("questions"))},
      {"pass_mark_field",
       text_field({"pass_mark", "Pass mark, in percent", "text",
                   "The share of the questions a learner must get right to pass, for example 80", false, "3"},
                  in.pass_mark, first("pass_mark"))},
  };
}

Response form_page(Context& ctx, const ModuleForm& in, const std::vector<FieldError>& errors, const Page& page) {
  json data = form_data(in, errors, page);
  if (errors.empty()) return ctx.page(200, "learning/module_form", page.heading, std::move(data));
  return field_errors(ctx, "learning/module_form", page.heading, std::move(data), errors);
}

Page new_page() { return {"Add a learning module", "/learning/modules", "/learning/modules", "Add the module"}; }

Page edit_page(int64_t id, const std::string& title) {
  std::string href = "/learning/modules/" + std::to_string(id);
  return {"Change " + title, href + "/edit", href, "Save changes"};
}

Response new_module(Context& ctx) {
  ModuleForm in;
  in.delivery = "elearning";
  in.pass_mark = "80";
  return form_page(ctx, in, {}, new_page());
}

Response create_module(Context& ctx) {
  ModuleForm in = form_of(ctx.form);
  learning::ModuleContent c;
  auto errors = read_form(in, c);
  if (errors.empty()) {
    auto m = learn(ctx).create_module(org(ctx), c, actor_of(ctx));
    if (m.ok()) return Response::redirect("/learning/modules/" + std::to_string(m->id));
    if (m.status().code() != StatusCode::kInvalidInput) return status_error(ctx, m.status());
    errors = learning::errors_on_form({{m.status().where().field, m.status().message()}}, {});
  }
  return form_page(ctx, in, errors, new_page());
}

Response edit_module(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  auto m = learn(ctx).module(org(ctx), *id);
  if (!m.ok()) return status_error(ctx, m.status());
  return form_page(ctx, form_of(m->content), {}, edit_page(*id, m->content.title));
}

Response update_module(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  auto m = learn(ctx).module(org(ctx), *id);
  if (!m.ok()) return status_error(ctx, m.status());
  ModuleForm in = form_of(ctx.form);
  learning::ModuleContent c;
  auto errors = read_form(in, c);
  // The heading keeps the saved title while the typed one has problems.
  Page page = edit_page(*id, m->content.title);
  if (errors.empty()) {
    Status s = learn(ctx).update_module(org(ctx), *id, c, actor_of(ctx));
    if (s.ok()) return Response::redirect(page.back_href);
    if (s.code() != StatusCode::kInvalidInput) return status_error(ctx, s);
    errors = learning::errors_on_form({{s.where().field, s.message()}}, {});
  }
  return form_page(ctx, in, errors, page);
}

}  // namespace

void add_learning_module_routes(Router& router) {
  router.add({"GET", "/learning/modules/new", kModuleEditors, Channel::kPage, new_module});
  router.add({"POST", "/learning/modules", kModuleEditors, Channel::kPage, create_module});
  router.add({"GET", "/learning/modules/{id}/edit", kModuleEditors, Channel::kPage, edit_module});
  router.add({"POST", "/learning/modules/{id}/edit", kModuleEditors, Channel::kPage, update_module});
}

}  // namespace coproduce::web
