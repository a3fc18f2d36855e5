// A learner's own co-production learning, under /my-learning: the modules
// they are asked to do and their status, e-learning page by page (they can
// leave and come back), the knowledge check with feedback on each answer,
// and a printable certificate. Every page works without JavaScript.
//
// The pages are in the learner's language (templates/learning/mine, start,
// page, easy_read, check, result, certificate); the modules' own words are
// the organisation's (or the starter module's), in the learner's language
// where the module has a translation into it (learning::in_language), else
// in English, marked with their language (words_lang) either way.
#include <algorithm>

#include "core/dates.h"
#include "learning/learning.h"
#include "learning/markdown.h"
#include "learning/vocab.h"
#include "learning/workforce.h"
#include "web/application.h"
#include "web/learning_pages.h"
#include "web/library_pages.h"
#include "web/page_helpers.h"

namespace coproduce::web {
namespace {

using learning::Learning;
using nlohmann::json;
using security::Role;

const Access kLearners = Access::only({Role::kLearner});

Learning learn(Context& ctx) { return Learning(ctx.services.db, ctx.services.clock); }
std::string today(const Context& ctx) { return format_timestamp(ctx.services.clock.now()).substr(0, 10); }

// The signed-in learner's worker record; NotFound when none is linked.
StatusOr<learning::Worker> me(Context& ctx) {
  auto w = learning::Workforce(ctx.services.db, ctx.services.clock)
               .for_user(ctx.user->organisation_id, ctx.user->id, ctx.user->email);
  if (!w.ok()) return w.status();
  if (!w->has_value()) return NotFound(N_("Your account is not linked to a workforce record yet. Ask your learning lead."));
  return **w;
}

struct Taking {
  learning::Worker worker;
  learning::Module module;  // its words in the learner's language where it has them
  std::string words;        // the language of those words: the learner's, or "en"
};

// The worker and the module named by {id}, which must be e-learning to take here.
StatusOr<Taking> taking(Context& ctx) {
  auto w = me(ctx);
  if (!w.ok()) return w.status();
  auto id = id_param(ctx);
  if (!id) return NotFound(N_("There is no such learning module"));
  auto m = learn(ctx).module(ctx.user->organisation_id, *id);
  // Learning::module's own words, marked here for the page that shows them.
  if (!m.ok() && m.status().code() == StatusCode::kNotFound) return NotFound(N_("There is no such learning module"));
  if (!m.ok()) return m.status();
  Taking t{std::move(*w), std::move(*m), ""};
  t.module.content = learning::in_language(t.module.content, ctx.language, &t.words);
  return t;
}

std::string module_href(int64_t id) { return "/my-learning/" + std::to_string(id); }

// "About 20 minutes.", in the learner's language.
std::string about_minutes(const Context& ctx, int minutes) {
  return ctx.tr_plural("About {n} minute.", "About {n} minutes.", minutes);
}

// "5 questions. To pass, get 80% or more right.", in the learner's language.
std::string check_text(const Context& ctx, const learning::ModuleContent& c) {
  return ctx.tr_plural("{n} question.", "{n} questions.", static_cast<long>(c.questions.size())) + " " +
         ctx.tr(N_("To pass, get at least {pass_mark}% right."), {{"pass_mark", std::to_string(c.pass_mark)}});
}

// A module's status for the learner: module_status_row's words (in English,
// for staff pages) written again in the learner's language, dates too.
void put_status_words(const Context& ctx, const learning::ModuleStatus& s, json& row) {
  using learning::LearningStatus;
  const char* label = N_("Not required");
  std::string detail;
  switch (s.status) {
    case LearningStatus::kDone:
      label = N_("Done");
      detail = s.expires_on.empty()
                   ? ctx.tr(N_("Completed {date}"), {{"date", date_in(ctx, s.completed_on)}})
                   : ctx.tr(N_("Completed {date}; refresh by {refresh}"),
                            {{"date", date_in(ctx, s.completed_on)}, {"refresh", date_in(ctx, s.expires_on)}});
      break;
    case LearningStatus::kDue:
      label = N_("To do");
      detail = ctx.tr(N_("Do it by {date}"), {{"date", date_in(ctx, s.due_on)}});
      break;
    case LearningStatus::kOverdue:
      label = N_("Overdue");
      detail = ctx.tr(N_("It was due by {date}"), {{"date", date_in(ctx, s.due_on)}});
      break;
    case LearningStatus::kExpired:
      label = N_("Needs doing again");
      detail = ctx.tr(N_("Completed {date}; it needed doing again by {refresh}"),
                      {{"date", date_in(ctx, s.completed_on)}, {"refresh", date_in(ctx, s.expires_on)}});
      break;
    case LearningStatus::kNotRequired:
      if (!s.completed_on.empty()) detail = ctx.tr(N_("Completed {date}"), {{"date", date_in(ctx, s.completed_on)}});
      break;
  }
  row["status_label"] = ctx.tr(label);
  row["detail"] = detail;
}

Response mine(Context& ctx) {
  auto w = me(ctx);
  if (!w.ok() && w.status().code() == StatusCode::kNotFound)
    return ctx.page(200, "learning/mine", ctx.tr(N_("Your learning")), {{"unlinked", true}});
  if (!w.ok()) return status_error(ctx, w.status());
  auto mods = learn(ctx).worker_modules(ctx.user->organisation_id, *w, today(ctx));
  if (!mods.ok()) return status_error(ctx, mods.status());
  json required = json::array(), others = json::array();
  for (const auto& m : *mods) {
    json row = module_status_row(m);
    put_status_words(ctx, m.status, row);
    row["href"] = module_href(m.module.id);
    std::string words;
    const learning::ModuleContent shown = learning::in_language(m.module.content, ctx.language, &words);
    row["title"] = shown.title;
    row["summary"] = shown.summary;
    row["words_lang"] = words;
    row["minutes_text"] = about_minutes(ctx, m.module.content.minutes);
    row["done"] = m.status.status == learning::LearningStatus::kDone;
    if (row["done"]) row["certificate_href"] = module_href(m.module.id) + "/certificate";
    (m.required ? required : others).push_back(row);
  }
  return ctx.page(200, "learning/mine", ctx.tr(N_("Your learning")),
                  {{"name", w->details.name},
                   {"required", required},
                   {"has_required", !required.empty()},
                   {"others", others},
                   {"has_others", !others.empty()}});
}

Response module_start(Context& ctx) {
  auto t = taking(ctx);
  if (!t.ok()) return status_error(ctx, t.status());
  const auto& c = t->module.content;
  auto reached = learn(ctx).progress(t->worker.id, t->module.id);
  if (!reached.ok()) return status_error(ctx, reached.status());
  json pages = json::array();
  int n = 0;
  for (const auto& p : c.pages) {
    ++n;
    pages.push_back({{"title", p.title},
                     {"href", module_href(t->module.id) + "/pages/" + std::to_string(n)},
                     {"read", n <= *reached}});
  }
  int next = std::min(static_cast<int>(c.pages.size()), *reached + 1);
  json data = module_summary(t->module);
  data["pages"] = pages;
  data["elearning"] = c.delivery == "elearning" && !c.pages.empty();
  data["started"] = *reached > 0;
  data["continue_href"] = module_href(t->module.id) + "/pages/" + std::to_string(std::max(1, next));
  data["easy_read_href"] = module_href(t->module.id) + "/easy-read";
  data["has_check"] = !c.questions.empty();
  data["check_href"] = module_href(t->module.id) + "/check";
  data["check_text"] = check_text(ctx, c);
  data["minutes_text"] = about_minutes(ctx, c.minutes);
  if (t->module.starter) add_short_definition(ctx, ctx.user->organisation_id, data);
  auto tries = learn(ctx).attempts(t->worker.id, t->module.id);
  if (!tries.ok()) return status_error(ctx, tries.status());
  json attempts = json::array();
  for (const auto& a : *tries)
    attempts.push_back({{"when", date_in(ctx, a.taken_at)},
                        {"score", ctx.tr(N_("{correct} of {total}"), {{"correct", std::to_string(a.correct)},
                                                                      {"total", std::to_string(a.total)}})},
                        {"result", ctx.tr(a.passed ? N_("Passed") : N_("Not passed yet"))}});
  data["attempts"] = attempts;
  data["has_attempts"] = !attempts.empty();
  data["words_lang"] = t->words;
  return ctx.page(200, "learning/start", c.title, data);
}

std::optional<int> page_param(const Context& ctx, size_t pages) {
  auto n = id_param(ctx, "n");
  if (!n || *n < 1 || static_cast<size_t>(*n) > pages) return std::nullopt;
  return static_cast<int>(*n);
}

Response module_page(Context& ctx) {
  auto t = taking(ctx);
  if (!t.ok()) return status_error(ctx, t.status());
  const auto& c = t->module.content;
  auto n = page_param(ctx, c.pages.size());
  if (!n) return ctx.error(404, N_("There is no such page in this module"));
  const auto& p = c.pages[static_cast<size_t>(*n - 1)];
  std::string base = module_href(t->module.id);
  json data = {{"module_title", c.title},
               {"module_href", base},
               {"title", p.title},
               {"html", learning::render_markdown(p.body, 1)},
               {"number", *n},
               {"count", c.pages.size()},
               {"action", base + "/pages/" + std::to_string(*n)},
               {"last", static_cast<size_t>(*n) == c.pages.size()},
               {"has_check", !c.questions.empty()}};
  if (!c.easy_read.empty()) data["easy_read_href"] = base + "/easy-read";
  if (*n > 1) data["previous_href"] = base + "/pages/" + std::to_string(*n - 1);
  data["words_lang"] = t->words;
  return ctx.page(200, "learning/page", p.title + " - " + c.title, data);
}

// "Continue": remembers the page as read, then goes on.
Response page_done(Context& ctx) {
  auto t = taking(ctx);
  if (!t.ok()) return status_error(ctx, t.status());
  const auto& c = t->module.content;
  auto n = page_param(ctx, c.pages.size());
  if (!n) return ctx.error(404, N_("There is no such page in this module"));
  if (Status s = learn(ctx).save_progress(t->worker.id, t->module.id, *n); !s.ok()) return status_error(ctx, s);
  std::string base = module_href(t->module.id);
  if (static_cast<size_t>(*n) < c.pages.size()) return Response::redirect(base + "/pages/" + std::to_string(*n + 1));
  return Response::redirect(c.questions.empty() ? base : base + "/check");
}

Response easy_read(Context& ctx) {
  auto t = taking(ctx);
  if (!t.ok()) return status_error(ctx, t.status());
  const auto& c = t->module.content;
  if (c.easy_read.empty()) return ctx.error(404, N_("This module has no Easy Read version yet"));
  json pages = json::array();
  for (const auto& p : c.easy_read) pages.push_back({{"title", p.title}, {"html", learning::render_markdown(p.body, 2)}});
  return ctx.page(200, "learning/easy_read", ctx.tr(N_("{title} (Easy Read)"), {{"title", c.title}}),
                  {{"title", c.title}, {"pages", pages}, {"module_href", module_href(t->module.id)}, {"words_lang", t->words}});
}

json check_questions(const Context& ctx, const learning::ModuleContent& c, const learning::Answers* chosen,
                     const std::vector<FieldError>& errors) {
  json out = json::array();
  for (size_t q = 0; q < c.questions.size(); ++q) {
    const auto& question = c.questions[q];
    std::string name = "question-" + std::to_string(q + 1);
    json options = json::array();
    for (size_t o = 0; o < question.options.size(); ++o) {
      bool picked = chosen && q < chosen->size() &&
                    std::find((*chosen)[q].begin(), (*chosen)[q].end(), static_cast<int>(o)) != (*chosen)[q].end();
      options.push_back({{"value", std::to_string(o)},
                         {"label", question.options[o].text},
                         {"id", name + (o == 0 ? std::string() : "-" + std::to_string(o + 1))},
                         {"checked", picked}});
    }
    json row = {{"name", name},
                {"number", q + 1},
                {"text", question.text},
                {"multiple", question.multiple},
                {"hint", ctx.tr(question.multiple ? N_("Select all that apply.") : N_("Select one."))},
                {"options", options}};
    for (const auto& e : errors)
      if (e.field == name) row["error"] = e.message;
    out.push_back(row);
  }
  return out;
}

json check_page_data(const Context& ctx, const Taking& t, const learning::Answers* chosen,
                     const std::vector<FieldError>& errors) {
  const auto& c = t.module.content;
  return {{"module_title", c.title},
          {"words_lang", t.words},
          {"module_href", module_href(t.module.id)},
          {"action", module_href(t.module.id) + "/check"},
          {"check_text", check_text(ctx, c)},
          {"questions", check_questions(ctx, c, chosen, errors)}};
}

std::string check_title(const Context& ctx, const learning::ModuleContent& c) {
  return ctx.tr(N_("Knowledge check - {title}"), {{"title", c.title}});
}

Response check_form(Context& ctx) {
  auto t = taking(ctx);
  if (!t.ok()) return status_error(ctx, t.status());
  if (t->module.content.questions.empty()) return ctx.error(404, N_("This module has no knowledge check"));
  return ctx.page(200, "learning/check", check_title(ctx, t->module.content), check_page_data(ctx, *t, nullptr, {}));
}

Response check_submit(Context& ctx) {
  auto t = taking(ctx);
  if (!t.ok()) return status_error(ctx, t.status());
  const auto& c = t->module.content;
  if (c.questions.empty()) return ctx.error(404, N_("This module has no knowledge check"));
  learning::Answers answers(c.questions.size());
  std::vector<FieldError> errors;
  for (size_t q = 0; q < c.questions.size(); ++q) {
    std::string name = "question-" + std::to_string(q + 1);
    for (const auto& v : ctx.form.all(name)) {
      if (v.empty() || v.size() > 3 || v.find_first_not_of("0123456789") != std::string::npos) continue;
      answers[q].push_back(std::stoi(v));
    }
    if (answers[q].empty()) {
      const char* e = c.questions[q].multiple ? N_("Select at least one answer to question {n}")
                                              : N_("Select an answer to question {n}");
      errors.push_back({name, ctx.tr(e, {{"n", std::to_string(q + 1)}}), Problem::kMissing});
    }
  }
  if (!errors.empty())
    return field_errors(ctx, "learning/check", check_title(ctx, c), check_page_data(ctx, *t, &answers, errors), errors);
  Actor actor = actor_of(ctx);
  auto result = learn(ctx).submit_check(ctx.user->organisation_id, t->worker, t->module.id, answers, actor);
  if (!result.ok()) {
    if (result.status().code() != StatusCode::kInvalidInput) return status_error(ctx, result.status());
    // Only a changed form gets here (two answers to a choose-one question,
    // or one that is not offered): one message, in the learner's language.
    const std::string& field = result.status().where().field;
    std::vector<FieldError> bad = {
        {field, ctx.tr(N_("Choose from the answers given to question {n}"), {{"n", field.substr(field.find('-') + 1)}})}};
    return field_errors(ctx, "learning/check", check_title(ctx, c), check_page_data(ctx, *t, &answers, bad), bad);
  }
  json rows = json::array();
  for (size_t q = 0; q < c.questions.size(); ++q) {
    const auto& r = result->questions[q];
    json chosen = json::array();
    for (size_t i = 0; i < r.chosen.size(); ++i)
      chosen.push_back({{"label", c.questions[q].options[static_cast<size_t>(r.chosen[i])].text},
                        {"feedback", i < r.feedback.size() ? r.feedback[i] : ""}});
    json right = json::array();
    for (const auto& o : c.questions[q].options)
      if (o.correct) right.push_back(o.text);
    rows.push_back({{"number", q + 1},
                    {"text", c.questions[q].text},
                    {"correct", r.correct},
                    {"chosen", chosen},
                    {"right", right}});
  }
  std::string base = module_href(t->module.id);
  const char* title = result->passed ? N_("You passed - {title}") : N_("Not passed yet - {title}");
  return ctx.page(200, "learning/result", ctx.tr(title, {{"title", c.title}}),
                  {{"module_title", c.title},
                   {"words_lang", t->words},
                   {"passed", result->passed},
                   {"score_text", ctx.tr(N_("You got {correct} out of {total} right ({percent}%)"),
                                         {{"correct", std::to_string(result->correct)},
                                          {"total", std::to_string(result->total)},
                                          {"percent", std::to_string(result->percent)}})},
                   {"pass_text", ctx.tr(N_("To pass, you need {pass_mark}%."), {{"pass_mark", std::to_string(c.pass_mark)}})},
                   {"questions", rows},
                   {"check_href", base + "/check"},
                   {"module_href", base},
                   {"certificate_href", base + "/certificate"}});
}

Response certificate(Context& ctx) {
  auto t = taking(ctx);
  if (!t.ok()) return status_error(ctx, t.status());
  auto done = learn(ctx).completions(ctx.user->organisation_id, t->worker.id);
  if (!done.ok()) return status_error(ctx, done.status());
  const learning::Completion* latest = nullptr;
  for (const auto& c : *done)
    if (c.module_id == t->module.id && (!latest || c.completed_on > latest->completed_on)) latest = &c;
  if (!latest) return ctx.error(404, N_("You have not completed this module yet"));
  json standards = json::array();
  for (const auto& s : t->module.content.standards)
    standards.push_back(learning::label_of(learning::care_certificate_standards(), s));
  json data = {{"name", t->worker.details.name},
                   {"organisation", ctx.user->organisation_name},
                   {"module_title", t->module.content.title},
                   {"completed_on", date_in(ctx, latest->completed_on)},
                   {"minutes_text", about_minutes(ctx, t->module.content.minutes)},
                   {"standards", standards},
                   {"has_standards", !standards.empty()},
                   {"how", ctx.tr(completion_source_label(latest->source))},
                   {"module_href", module_href(t->module.id)}};
  if (!latest->expires_on.empty()) data["expires_on"] = date_in(ctx, latest->expires_on);
  data["words_lang"] = t->words;
  return ctx.page(200, "learning/certificate", ctx.tr(N_("Certificate - {title}"), {{"title", t->module.content.title}}),
                  data);
}

// Everything held about the learner, for them to keep.
Response my_data(Context& ctx) {
  auto w = me(ctx);
  if (!w.ok()) return status_error(ctx, w.status());
  auto j = learning::Workforce(ctx.services.db, ctx.services.clock)
               .download(ctx.user->organisation_id, w->id, actor_of(ctx));
  if (!j.ok()) return status_error(ctx, j.status());
  return attachment("application/json", "my-learning.json", j->dump(2) + "\n");
}

}  // namespace

void add_learner_routes(Router& router) {
  router.add({"GET", "/my-learning/data.json", kLearners, Channel::kPage, my_data});
  router.add({"GET", "/my-learning", kLearners, Channel::kPage, mine});
  router.add({"GET", "/my-learning/{id}", kLearners, Channel::kPage, module_start});
  router.add({"GET", "/my-learning/{id}/pages/{n}", kLearners, Channel::kPage, module_page});
  router.add({"POST", "/my-learning/{id}/pages/{n}", kLearners, Channel::kPage, page_done});
  router.add({"GET", "/my-learning/{id}/easy-read", kLearners, Channel::kPage, easy_read});
  router.add({"GET", "/my-learning/{id}/check", kLearners, Channel::kPage, check_form});
  router.add({"POST", "/my-learning/{id}/check", kLearners, Channel::kPage, check_submit});
  router.add({"GET", "/my-learning/{id}/certificate", kLearners, Channel::kPage, certificate});
}

}  // namespace coproduce::web
