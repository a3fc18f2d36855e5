#include "learning/learning.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <unordered_map>

#include "core/dates.h"
#include "core/text.h"
#include "involvement/people.h"
#include "learning/vocab.h"

namespace coproduce::learning {
namespace {

using store::Connection;
using store::Row;

std::string today_of(const Clock& clock) { return format_timestamp(clock.now()).substr(0, 10); }

StatusOr<Module> module_of(const Row& r) {
  Module m;
  m.id = r.integer(0);
  m.starter = r.integer(1) != 0;
  m.updated_at = r.text(3);
  nlohmann::json doc = nlohmann::json::parse(r.text(2), nullptr, false);
  if (doc.is_discarded()) return Internal("A stored learning module is not valid JSON");
  auto content = content_from_json(doc);
  if (!content.ok()) return Internal("A stored learning module cannot be read: " + content.status().message());
  m.content = std::move(*content);
  if (m.starter && m.content.translations.empty()) {
    // The starter module is stored without translations: while its words are
    // still the starter's own, so are its translations (the embedded file's).
    // The starter's words are worked out once, not on every read.
    static const nlohmann::json kStarterWords = words_json(starter_module());
    if (kStarterWords == words_json(m.content)) m.content.translations = starter_module().translations;
  }
  return m;
}

constexpr const char* kModuleColumns = "id, starter, content, updated_at";

}  // namespace

Status ensure_starter_module(Connection& c, const Clock& clock, int64_t org) {
  auto rows = c.query("SELECT id FROM learning_modules WHERE organisation_id = $1 AND starter = 1", {org});
  if (!rows.ok()) return rows.status();
  if (!rows->empty()) return Status::Ok();
  // Stored without its translations: they are the embedded file's, added
  // when it is read (module_of), so a corrected translation reaches every
  // organisation whose copy still has the starter's words.
  ModuleContent s = starter_module();
  s.translations.clear();
  std::string now = format_timestamp(clock.now());
  auto ins = c.execute(
      "INSERT INTO learning_modules (organisation_id, starter, title, delivery, refresh_months, content, created_at,"
      " updated_at) VALUES ($1, 1, $2, $3, $4, $5, $6, $6)",
      {org, s.title, s.delivery, s.refresh_months, content_json(s).dump(), now});
  return ins.ok() ? Status::Ok() : ins.status();
}

namespace {

StatusOr<Module> load_module(Connection& c, int64_t org, int64_t id) {
  auto row = c.query_one(std::string("SELECT ") + kModuleColumns +
                             " FROM learning_modules WHERE id = $1 AND organisation_id = $2",
                         {id, org});
  if (!row.ok()) {
    if (row.status().code() == StatusCode::kNotFound) return NotFound("There is no such learning module");
    return row.status();
  }
  return module_of(*row);
}

StatusOr<Worker> load_worker(Connection& c, int64_t org, int64_t id) {
  auto row = c.query_one("SELECT started_on, COALESCE(left_on, ''), role_category FROM workers"
                         " WHERE id = $1 AND organisation_id = $2",
                         {id, org});
  if (!row.ok()) {
    if (row.status().code() == StatusCode::kNotFound) return NotFound("There is no such worker");
    return row.status();
  }
  Worker w;
  w.id = id;
  w.organisation_id = org;
  w.details.started_on = row->text(0);
  w.details.left_on = row->text(1);
  w.details.role_category = row->text(2);
  return w;
}

// A whole number typed as text, or nullopt.
std::optional<long> whole_number(const std::string& typed) {
  std::string t = trim_copy(typed);
  long v = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (t.empty() || ec != std::errc() || end != t.data() + t.size()) return std::nullopt;
  return v;
}

// A module named by its id: given, and a whole number from 1.
void check_module_id(std::vector<FieldError>& problems, const std::string& typed) {
  auto id = whole_number(typed);
  if (trim_copy(typed).empty()) {
    problems.push_back({"module_id", "Select the learning module", Problem::kMissing});
  } else if (!id || *id < 1) {
    problems.push_back({"module_id", "The module must be given by its id, a whole number", Problem::kInvalid});
  }
}

Status field_problem(const char* field, std::string message, Problem kind) {
  return involvement::first_problem({{field, std::move(message), kind}});
}

// The module a form or body names in its module_id field: one the
// organisation does not have is a problem with that field, not "not found".
StatusOr<Module> module_named_in(Connection& c, int64_t org, int64_t module_id) {
  auto m = load_module(c, org, module_id);
  if (!m.ok() && m.status().code() == StatusCode::kNotFound)
    return field_problem("module_id", "There is no learning module " + std::to_string(module_id), Problem::kInvalid);
  return m;
}

std::string expiry_of(const std::string& completed_on, std::optional<int> refresh) {
  if (!refresh || !is_date(completed_on)) return "";
  return add_months(completed_on, *refresh);
}

Completion completion_of(const Row& r, std::optional<int> refresh) {
  Completion c;
  c.id = r.integer(0);
  c.worker_ref = r.integer(1);
  c.module_id = r.integer(2);
  c.module_title = r.text(3);
  c.completed_on = r.text(4);
  c.source = r.text(5);
  c.provider = r.text(6);
  c.how_delivered = r.text(7);
  c.expires_on = expiry_of(c.completed_on, refresh);
  return c;
}

constexpr const char* kCompletionSelect =
    "SELECT c.id, c.worker_ref, c.module_id, m.title, c.completed_on, c.source, c.provider, c.how_delivered,"
    " m.refresh_months FROM learning_completions c JOIN learning_modules m ON m.id = c.module_id";

std::optional<int> refresh_of(const Row& r, size_t i) {
  if (r.is_null(i)) return std::nullopt;
  return static_cast<int>(r.integer(i));
}

}  // namespace

nlohmann::json module_json(const Module& m) {
  // The content's description as the module file has it, with counts in
  // place of the pages and questions themselves.
  const ModuleContent& c = m.content;
  nlohmann::json out = content_json(c);
  for (const char* key : {"pages", "easy_read", "questions"}) out.erase(key);
  out["id"] = m.id;
  out["starter"] = m.starter;
  out["pages"] = c.pages.size();
  out["easy_read"] = !c.easy_read.empty();
  out["questions"] = c.questions.size();
  return out;
}

nlohmann::json requirement_json(const Requirement& r) {
  return {{"id", r.id},
          {"module_id", r.module_id},
          {"module_title", r.module_title},
          {"role_category", r.role_category},
          {"workplace", r.workplace},
          {"within_days", r.within_days}};
}

nlohmann::json completion_json(const Completion& c) {
  return {{"id", c.id},
          {"worker_id", c.worker_ref},
          {"module_id", c.module_id},
          {"module_title", c.module_title},
          {"completed_on", c.completed_on},
          {"expires_on", c.expires_on.empty() ? nlohmann::json() : nlohmann::json(c.expires_on)},
          {"source", c.source},
          {"provider", c.provider},
          {"how_delivered", c.how_delivered}};
}

std::vector<FieldError> validate(const RequirementInput& in) {
  std::vector<FieldError> problems;
  check_module_id(problems, in.module_id);
  std::string role = trim_copy(in.role_category);
  if (role.empty()) {
    problems.push_back({"role_category", "Select the role category", Problem::kMissing});
  } else if (!has_code(role_categories(), role)) {
    problems.push_back({"role_category", "'" + role + "' is not a role category on the Care Workforce Pathway",
                        Problem::kUnknownCode});
  }
  auto days = whole_number(in.within_days);
  if (trim_copy(in.within_days).empty()) {
    problems.push_back({"within_days", "Enter how many days from starting it must be done within", Problem::kMissing});
  } else if (!days || *days < 0 || *days > 3650) {
    problems.push_back(
        {"within_days", "Days must be a whole number from 0 to 3650 (ten years)", Problem::kOutOfRange});
  }
  if (trim_copy(in.workplace).size() > kMaxWorkerTextLength)
    problems.push_back({"workplace", "The workplace must be " + std::to_string(kMaxWorkerTextLength) +
                                         " characters or fewer", Problem::kTooLong});
  return problems;
}

std::vector<FieldError> validate(const CompletionInput& in, const std::string& today) {
  std::vector<FieldError> problems;
  check_module_id(problems, in.module_id);
  std::string on = trim_copy(in.completed_on);
  if (on.empty()) {
    problems.push_back({"completed_on", "Enter the date it was completed", Problem::kMissing});
  } else if (!is_date(on)) {
    problems.push_back({"completed_on", "The completion date must be a real date, like 2026-03-01", Problem::kNotADate});
  } else if (on > today) {
    problems.push_back({"completed_on", "The completion date cannot be in the future", Problem::kOutOfRange});
  }
  if (trim_copy(in.provider).size() > 200)
    problems.push_back({"provider", "The provider must be 200 characters or fewer", Problem::kTooLong});
  if (trim_copy(in.how_delivered).size() > 200)
    problems.push_back({"how_delivered", "How it was delivered must be 200 characters or fewer", Problem::kTooLong});
  return problems;
}

StatusOr<std::vector<Module>> Learning::modules(int64_t org) {
  return store::in_write_transaction(db_, [&](Connection& c) -> StatusOr<std::vector<Module>> {
    if (Status s = ensure_starter_module(c, clock_, org); !s.ok()) return s;
    auto rows = c.query(std::string("SELECT ") + kModuleColumns +
                            " FROM learning_modules WHERE organisation_id = $1 ORDER BY starter DESC, title, id",
                        {org});
    if (!rows.ok()) return rows.status();
    std::vector<Module> out;
    for (const auto& r : *rows) {
      auto m = module_of(r);
      if (!m.ok()) return m.status();
      out.push_back(std::move(*m));
    }
    return out;
  });
}

StatusOr<Module> Learning::module(int64_t org, int64_t id) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  return load_module(**c, org, id);
}

StatusOr<Module> Learning::create_module(int64_t org, const ModuleContent& content, const Actor& actor) {
  if (Status s = involvement::first_problem(validate(content)); !s.ok()) return s;
  return store::in_write_transaction(db_, [&](Connection& c) -> StatusOr<Module> {
    std::string now = format_timestamp(clock_.now());
    auto row = c.query_one(
        "INSERT INTO learning_modules (organisation_id, starter, title, delivery, refresh_months, content, created_at,"
        " updated_at) VALUES ($1, 0, $2, $3, $4, $5, $6, $6) RETURNING id",
        {org, content.title, content.delivery, content.refresh_months, content_json(content).dump(), now});
    if (!row.ok()) return row.status();
    int64_t id = row->integer(0);
    if (Status s = involvement::record_action(c, clock_, org, actor, "module.create", "module", id); !s.ok()) return s;
    return load_module(c, org, id);
  });
}

Status Learning::update_module(int64_t org, int64_t id, const ModuleContent& given, const Actor& actor) {
  if (Status s = involvement::first_problem(validate(given)); !s.ok()) return s;
  return store::in_write_transaction(db_, [&](Connection& c) -> Status {
    auto m = load_module(c, org, id);
    if (!m.ok()) return m.status();
    ModuleContent content = given;
    // Changes that leave the words as they were keep the translations; new
    // words would leave them saying something else, so they go.
    if (content.translations.empty() && words_json(content) == words_json(m->content)) {
      content.translations = m->content.translations;
    }
    auto upd = c.execute(
        "UPDATE learning_modules SET title = $1, delivery = $2, refresh_months = $3, content = $4, updated_at = $5"
        " WHERE id = $6",
        {content.title, content.delivery, content.refresh_months, content_json(content).dump(),
         format_timestamp(clock_.now()), id});
    if (!upd.ok()) return upd.status();
    return involvement::record_action(c, clock_, org, actor, "module.update", "module", id);
  });
}

StatusOr<std::vector<Requirement>> Learning::requirements(int64_t org) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  auto rows = (*c)->query(
      "SELECT r.id, r.module_id, m.title, r.role_category, r.within_days, r.workplace FROM learning_requirements r"
      " JOIN learning_modules m ON m.id = r.module_id WHERE r.organisation_id = $1 ORDER BY m.title, r.workplace, r.id",
      {org});
  if (!rows.ok()) return rows.status();
  std::vector<Requirement> out;
  for (const auto& r : *rows)
    out.push_back({r.integer(0), r.integer(1), r.text(2), r.text(3), static_cast<int>(r.integer(4)), r.text(5)});
  // In the pathway's order of role categories within each module.
  auto rank = [](const std::string& code) {
    const auto& all = role_categories();
    for (size_t i = 0; i < all.size(); ++i)
      if (all[i].first == code) return i;
    return all.size();
  };
  std::stable_sort(out.begin(), out.end(), [&](const Requirement& a, const Requirement& b) {
    if (a.module_title != b.module_title) return a.module_title < b.module_title;
    if (a.workplace != b.workplace) return a.workplace < b.workplace;
    return rank(a.role_category) < rank(b.role_category);
  });
  return out;
}

StatusOr<Requirement> Learning::add_requirement(int64_t org, const RequirementInput& in, const Actor& actor) {
  std::vector<FieldError> problems = validate(in);
  auto module_id = whole_number(in.module_id);
  std::string role = trim_copy(in.role_category);
  auto days = whole_number(in.within_days);
  std::string workplace = trim_copy(in.workplace);
  if (Status s = involvement::first_problem(problems); !s.ok()) return s;
  return store::in_write_transaction(db_, [&](Connection& c) -> StatusOr<Requirement> {
    auto m = module_named_in(c, org, *module_id);
    if (!m.ok()) return m.status();
    auto existing = c.query(
        "SELECT id FROM learning_requirements WHERE module_id = $1 AND role_category = $2 AND workplace = $3",
        {*module_id, role, workplace});
    if (!existing.ok()) return existing.status();
    if (!existing->empty())
      return Status(StatusCode::kConflict,
                    "'" + m->content.title + "' is already required for " + label_of(role_categories(), role) +
                        (workplace.empty() ? "" : " at " + workplace),
                    Location{"", 0, 0, "role_category"});
    std::string now = format_timestamp(clock_.now());
    auto row = c.query_one(
        "INSERT INTO learning_requirements (organisation_id, module_id, role_category, workplace, within_days,"
        " created_on, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        {org, *module_id, role, workplace, *days, now.substr(0, 10), now});
    if (!row.ok()) return row.status();
    int64_t id = row->integer(0);
    if (Status s = involvement::record_action(c, clock_, org, actor, "requirement.create", "requirement", id);
        !s.ok())
      return s;
    return Requirement{id, *module_id, m->content.title, role, static_cast<int>(*days), workplace};
  });
}

Status Learning::remove_requirement(int64_t org, int64_t id, const Actor& actor) {
  return store::in_write_transaction(db_, [&](Connection& c) -> Status {
    auto d = c.execute("DELETE FROM learning_requirements WHERE id = $1 AND organisation_id = $2", {id, org});
    if (!d.ok()) return d.status();
    if (*d == 0) return NotFound("There is no such requirement");
    return involvement::record_action(c, clock_, org, actor, "requirement.delete", "requirement", id);
  });
}

StatusOr<Completion> Learning::record_completion(int64_t org, int64_t worker_ref, const CompletionInput& in,
                                                 const std::string& source, const Actor& actor) {
  std::vector<FieldError> problems = validate(in, today_of(clock_));
  auto module_id = whole_number(in.module_id);
  std::string on = trim_copy(in.completed_on);
  std::string provider = trim_copy(in.provider), how = trim_copy(in.how_delivered);
  if (Status s = involvement::first_problem(problems); !s.ok()) return s;
  return store::in_write_transaction(db_, [&](Connection& c) -> StatusOr<Completion> {
    auto w = load_worker(c, org, worker_ref);
    if (!w.ok()) return w.status();
    if (on < w->details.started_on)
      return field_problem("completed_on",
                           "The completion date " + on + " is before the worker started on " + w->details.started_on,
                           Problem::kOutOfOrder);
    if (!w->details.left_on.empty() && on > w->details.left_on)
      return field_problem("completed_on",
                           "The completion date " + on + " is after the worker left on " + w->details.left_on,
                           Problem::kOutOfOrder);
    auto m = module_named_in(c, org, *module_id);
    if (!m.ok()) return m.status();
    auto row = c.query_one(
        "INSERT INTO learning_completions (organisation_id, worker_ref, module_id, completed_on, source, provider,"
        " how_delivered, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        {org, worker_ref, *module_id, on, source, provider, how, actor.user_id, format_timestamp(clock_.now())});
    if (!row.ok()) return row.status();
    int64_t id = row->integer(0);
    if (Status s = involvement::record_action(c, clock_, org, actor, "worker.completion", "worker", worker_ref);
        !s.ok())
      return s;
    Completion out{id, worker_ref, *module_id, m->content.title, on, "", source, provider, how};
    out.expires_on = expiry_of(on, m->content.refresh_months);
    return out;
  });
}

StatusOr<std::vector<Completion>> Learning::completions(int64_t org, int64_t worker_ref) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  auto rows = (*c)->query(std::string(kCompletionSelect) +
                              " WHERE c.organisation_id = $1 AND c.worker_ref = $2 ORDER BY c.completed_on DESC, c.id DESC",
                          {org, worker_ref});
  if (!rows.ok()) return rows.status();
  std::vector<Completion> out;
  for (const auto& r : *rows) out.push_back(completion_of(r, refresh_of(r, 8)));
  return out;
}

StatusOr<std::vector<WorkerModule>> Learning::worker_modules(int64_t org, const Worker& worker,
                                                             const std::string& date) {
  auto all = modules(org);
  if (!all.ok()) return all.status();
  auto reqs = requirements(org);
  if (!reqs.ok()) return reqs.status();
  auto done = completions(org, worker.id);
  if (!done.ok()) return done.status();
  WorkerFacts facts{worker.id, worker.details.role_category, worker.details.closeness, worker.details.workplace,
                    worker.details.team, worker.details.started_on, worker.details.left_on};
  std::vector<RequirementRule> of_role;
  for (const auto& r : *reqs)
    if (r.role_category == worker.details.role_category)
      of_role.push_back({r.module_id, r.role_category, r.within_days, r.workplace});
  std::vector<const RequirementRule*> pointers;
  for (const auto& r : of_role) pointers.push_back(&r);
  std::vector<const RequirementRule*> applicable = rules_for(facts, pointers);
  std::vector<WorkerModule> out;
  for (auto& m : *all) {
    std::optional<RequirementRule> rule;
    for (const RequirementRule* r : applicable)
      if (r->module_id == m.id) rule = *r;
    std::string latest;
    for (const auto& c : *done)
      if (c.module_id == m.id && c.completed_on <= date && c.completed_on > latest) latest = c.completed_on;
    ModuleStatus s = module_status(date, facts, rule ? &*rule : nullptr, m.content.refresh_months, latest);
    if (!rule && !latest.empty()) s.completed_on = latest;  // done though not required: still show it
    out.push_back({std::move(m), s, rule.has_value()});
  }
  return out;
}

namespace {

// What coverage is worked out from, on `date` or, with `in_post_only`
// false, on any day up to it: workers who started by then (and, with
// in_post_only, had not left), every requirement and module, and every
// completion up to the date.
StatusOr<CoverageInput> coverage_input(Connection& c, int64_t org, const std::string& date, bool in_post_only) {
  CoverageInput in;
  in.date = date;
  auto workers = c.query(
      std::string("SELECT id, role_category, closeness, workplace, team, started_on, COALESCE(left_on, '') FROM workers"
                  " WHERE organisation_id = $1 AND started_on <= $2") +
          (in_post_only ? " AND (left_on IS NULL OR left_on >= $2)" : ""),
      {org, date});
  if (!workers.ok()) return workers.status();
  in.workers.reserve(workers->size());
  for (const auto& r : *workers)
    in.workers.push_back({r.integer(0), r.text(1), r.text(2), r.text(3), r.text(4), r.text(5), r.text(6)});
  auto reqs = c.query("SELECT module_id, role_category, within_days, workplace FROM learning_requirements"
                      " WHERE organisation_id = $1",
                      {org});
  if (!reqs.ok()) return reqs.status();
  for (const auto& r : *reqs)
    in.requirements.push_back({r.integer(0), r.text(1), static_cast<int>(r.integer(2)), r.text(3)});
  auto mods = c.query("SELECT id, refresh_months FROM learning_modules WHERE organisation_id = $1", {org});
  if (!mods.ok()) return mods.status();
  for (const auto& r : *mods) in.modules.push_back({r.integer(0), refresh_of(r, 1)});
  // Every completion up to the date, streamed in index order: compute_coverage
  // keeps the latest of each worker and module, faster than GROUP BY here.
  Status read = c.query_each(
      "SELECT worker_ref, module_id, completed_on FROM learning_completions"
      " WHERE organisation_id = $1 AND completed_on <= $2",
      {org, date}, [&](const Row& r) {
        in.completions.push_back({r.integer(0), r.integer(1), r.text(2)});
        return Status::Ok();
      });
  if (!read.ok()) return read;
  return in;
}

}  // namespace

StatusOr<Coverage> Learning::coverage(int64_t org, const std::string& date, size_t list_limit) {
  auto conn = db_.connection();
  if (!conn.ok()) return conn.status();
  Connection& c = **conn;
  store::Transaction tx(c, store::TransactionMode::kRead);
  if (!tx.status().ok()) return tx.status();
  auto in = coverage_input(c, org, date, true);
  if (!in.ok()) return in.status();
  in->list_limit = list_limit;
  if (Status s = tx.commit(); !s.ok()) return s;
  return compute_coverage(*in);
}

StatusOr<std::vector<impact::CoverageFigure>> programme_coverage(Connection& c, int64_t org,
                                                                 const std::vector<int64_t>& modules,
                                                                 const std::vector<std::string>& dates) {
  std::vector<impact::CoverageFigure> out;
  if (dates.empty()) return out;
  std::string latest = *std::max_element(dates.begin(), dates.end());
  auto in = coverage_input(c, org, latest, false);
  if (!in.ok()) return in.status();
  if (!modules.empty()) {
    std::set<int64_t> wanted(modules.begin(), modules.end());
    std::erase_if(in->requirements, [&](const RequirementRule& r) { return !wanted.count(r.module_id); });
  }
  in->list_limit = 0;
  for (const std::string& date : dates) {
    in->date = date;
    Coverage on_date = compute_coverage(*in);
    out.push_back({on_date.workers, on_date.completed});
  }
  return out;
}

impact::LearningCoverage programme_coverage_source() { return programme_coverage; }

StatusOr<std::vector<GapRow>> Learning::name_gaps(int64_t org, const std::vector<WorkerGap>& gaps, size_t limit,
                                                  const Actor& actor) {
  return store::in_write_transaction(db_, [&](Connection& c) -> StatusOr<std::vector<GapRow>> {
    std::vector<GapRow> out;
    std::unordered_map<int64_t, std::string> titles;
    auto mods = c.query("SELECT id, title FROM learning_modules WHERE organisation_id = $1", {org});
    if (!mods.ok()) return mods.status();
    for (const auto& r : *mods) titles[r.integer(0)] = r.text(1);
    for (const auto& g : gaps) {
      if (out.size() >= limit) break;
      auto w = c.query_one("SELECT worker_id, name, workplace, team, role_category FROM workers"
                           " WHERE id = $1 AND organisation_id = $2",
                           {g.worker_id, org});
      if (!w.ok()) continue;  // erased since
      out.push_back({g.worker_id, w->text(0), w->text(1), w->text(2), w->text(3), w->text(4), titles[g.module_id],
                     g.status});
    }
    if (Status s = involvement::record_action(c, clock_, org, actor, "worker.list", "organisation", org); !s.ok())
      return s;
    return out;
  });
}

StatusOr<std::vector<GapRow>> Learning::behind_on(int64_t org, int64_t module_id, const std::string& date,
                                                  size_t limit, const Actor& actor) {
  auto cov = coverage(org, date);
  if (!cov.ok()) return cov.status();
  std::vector<WorkerGap> gaps;
  for (const auto& g : cov->overdue_list)
    if (g.module_id == module_id) gaps.push_back(g);
  return name_gaps(org, gaps, limit, actor);
}

StatusOr<int> Learning::progress(int64_t worker_ref, int64_t module_id) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  auto rows = (*c)->query("SELECT page FROM learning_progress WHERE worker_ref = $1 AND module_id = $2",
                          {worker_ref, module_id});
  if (!rows.ok()) return rows.status();
  return rows->empty() ? 0 : static_cast<int>(rows->front().integer(0));
}

Status Learning::save_progress(int64_t worker_ref, int64_t module_id, int page) {
  return store::in_write_transaction(db_, [&](Connection& c) -> Status {
    std::string now = format_timestamp(clock_.now());
    auto upd = c.execute("UPDATE learning_progress SET page = $1, updated_at = $2"
                         " WHERE worker_ref = $3 AND module_id = $4 AND page < $1",
                         {page, now, worker_ref, module_id});
    if (!upd.ok()) return upd.status();
    auto has = c.query("SELECT 1 FROM learning_progress WHERE worker_ref = $1 AND module_id = $2",
                       {worker_ref, module_id});
    if (!has.ok()) return has.status();
    if (!has->empty()) return Status::Ok();
    auto ins = c.execute("INSERT INTO learning_progress (worker_ref, module_id, page, updated_at) VALUES ($1, $2, $3, $4)",
                         {worker_ref, module_id, page, now});
    return ins.ok() ? Status::Ok() : ins.status();
  });
}

StatusOr<CheckResult> Learning::submit_check(int64_t org, const Worker& worker, int64_t module_id,
                                             const Answers& answers, const Actor& actor) {
  if (worker.organisation_id != org) return NotFound("There is no such worker");
  auto m = module(org, module_id);
  if (!m.ok()) return m.status();
  auto result = mark(m->content, answers);
  if (!result.ok()) return result.status();
  std::string now = format_timestamp(clock_.now());
  Status s = store::in_write_transaction(db_, [&](Connection& c) -> Status {
    auto ins = c.execute(
        "INSERT INTO learning_attempts (worker_ref, module_id, answers, correct, total, passed, taken_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7)",
        {worker.id, module_id, nlohmann::json(answers).dump(), result->correct, result->total,
         result->passed ? 1 : 0, now});
    if (!ins.ok()) return ins.status();
    auto already = c.query("SELECT 1 FROM learning_completions WHERE worker_ref = $1 AND module_id = $2"
                           " AND completed_on = $3 AND source = 'elearning'",
                           {worker.id, module_id, now.substr(0, 10)});
    if (!already.ok()) return already.status();
    if (result->passed && already->empty()) {  // passing again the same day records nothing new
      auto done = c.execute(
          "INSERT INTO learning_completions (organisation_id, worker_ref, module_id, completed_on, source, provider,"
          " how_delivered, created_by, created_at) VALUES ($1, $2, $3, $4, 'elearning', '', 'E-learning', $5, $6)",
          {org, worker.id, module_id, now.substr(0, 10), actor.user_id, now});
      if (!done.ok()) return done.status();
    }
    return involvement::record_action(c, clock_, org, actor, "worker.check", "worker", worker.id);
  });
  if (!s.ok()) return s;
  return result;
}

StatusOr<std::vector<Attempt>> Learning::attempts(int64_t worker_ref, int64_t module_id) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  auto rows = (*c)->query("SELECT taken_at, correct, total, passed FROM learning_attempts"
                          " WHERE worker_ref = $1 AND module_id = $2 ORDER BY taken_at DESC, id DESC",
                          {worker_ref, module_id});
  if (!rows.ok()) return rows.status();
  std::vector<Attempt> out;
  for (const auto& r : *rows)
    out.push_back({r.text(0), static_cast<int>(r.integer(1)), static_cast<int>(r.integer(2)), r.integer(3) != 0});
  return out;
}

}  // namespace coproduce::learning
