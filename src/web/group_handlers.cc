// Groups and boards, and recruiting their members fairly from the pool:
// staff pages, a group's public page, and the groups and recruit API.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <random>
#include <set>

#include "activities/activities.h"
#include "involvement/groups.h"
#include "involvement/options.h"
#include "involvement/people.h"
#include "involvement/recruitment.h"
#include "report/format.h"
#include "security/crypto.h"
#include "web/application.h"
#include "web/library_pages.h"
#include "web/page_helpers.h"

namespace coproduce::web {
namespace {

using involvement::Actor;
using involvement::FieldError;
using involvement::GroupInput;
using involvement::Groups;
using involvement::Recruitment;
using involvement::Round;
using involvement::RoundSetup;
using nlohmann::json;
using security::Role;
using selection::Algorithm;

const Access kLeads = Access::only({Role::kAdministrator, Role::kCoproductionLead});

Actor actor(const Context& ctx) { return actor_of(ctx); }
Groups groups(Context& ctx) { return Groups(ctx.services.db, ctx.services.clock); }
Recruitment recruitment(Context& ctx) { return Recruitment(ctx.services.db, ctx.services.clock); }

// A fresh seed for a round, recorded with it so the draw can be checked.
uint64_t new_seed() {
  std::string token = security::random_token();
  return std::hash<std::string>{}(token) & 0x7fffffffffffffffULL;
}

using report::format_percent;

std::string fixed3(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", x);
  return buf;
}

// A queued round is run by whichever server process's worker claims its
// job; this one is told to look now. With no worker (tests) it runs here.
void start_run(Context& ctx, int64_t org, int64_t round_id) {
  if (ctx.services.jobs) {
    ctx.services.jobs->wake();
    return;
  }
  store::Database& db = ctx.services.db;
  (void)Recruitment(db, ctx.services.clock).run(org, round_id);
  if (auto c = db.connection(); c.ok()) (void)jobs::Jobs(db, ctx.services.clock).done_for(**c, Recruitment::kRunJob, round_id);
}

// --- group pages -----------------------------------------------------------------

json group_form_data(const GroupInput& in, const std::map<std::string, std::string>& errors) {
  auto err = [&](const char* f) {
    auto it = errors.find(f);
    return it == errors.end() ? std::string() : it->second;
  };
  json fields = json::array({
      text_field({"name", "Name"}, in.name, err("name")),
      text_field({"purpose", "What the group is for", "text", "Say what it will decide or shape, in plain words", true},
                 in.purpose, err("purpose")),
      text_field({"size", "Number of members", "text", "", false, "3"}, in.size, err("size")),
      text_field({"term_months", "Term of membership, in months", "text", "", false, "3"}, in.term_months,
                 err("term_months")),
  });
  json choices = json::array({
      choice_group("setting", "Where the group sits", "", true, involvement::group_settings(), {in.setting},
                   err("setting")),
      choice_group("ladder_aim", "The rung of the ladder of co-production it aims for",
                   "From coercion at the bottom to co-production at the top", true, involvement::ladder_rungs(),
                   {in.ladder_aim}, err("ladder_aim")),
  });
  return {{"fields", fields}, {"choice_groups", choices}, {"public_checked", in.public_page}};
}

Response group_list(Context& ctx) {
  auto list = groups(ctx).list(ctx.user->organisation_id);
  if (!list.ok()) return ctx.error(500);
  json rows = json::array();
  for (const auto& g : *list) {
    rows.push_back({{"href", "/groups/" + std::to_string(g.id)}, {"name", g.name},
                    {"setting", involvement::setting_label(g.setting)}, {"size", g.size}, {"members", g.accepted},
                    {"aim", involvement::rung_label(g.ladder_aim)}});
  }
  return ctx.page(200, "groups/list", "Groups and boards", {{"groups", rows}, {"has_groups", !rows.empty()}});
}

Response group_new(Context& ctx) {
  GroupInput in;
  in.term_months = "12";
  return ctx.page(200, "groups/form", "Create a group", group_form_data(in, {}));
}

GroupInput group_input(const Form& f) {
  return {f.get("name"), f.get("purpose"), f.get("setting"), f.get("size"), f.get("term_months"),
          f.get("ladder_aim"), f.get("public_page") == "yes"};
}

Response group_create(Context& ctx) {
  GroupInput in = group_input(ctx.form);
  auto problems = involvement::validate(in);
  if (!problems.empty()) {
    std::map<std::string, std::string> by_field;
    std::vector<std::pair<std::string, std::string>> summary;
    for (const auto& e : problems) {
      by_field.emplace(e.field, e.message);
      summary.emplace_back(e.field, e.message);
    }
    return ctx.form_errors("groups/form", "Create a group", group_form_data(in, by_field), summary);
  }
  auto g = groups(ctx).create(ctx.user->organisation_id, in, actor(ctx));
  if (!g.ok()) return status_error(ctx, g.status());
  return Response::redirect("/groups/" + std::to_string(g->id));
}

Response group_show(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  int64_t org = ctx.user->organisation_id;
  auto g = groups(ctx).get(org, *id);
  if (!g.ok()) return status_error(ctx, g.status());
  auto members = groups(ctx).members(org, *id, actor(ctx));
  if (!members.ok()) return ctx.error(500);
  auto rounds = recruitment(ctx).rounds(org, *id);
  if (!rounds.ok()) return ctx.error(500);
  std::string base = "/groups/" + std::to_string(*id);
  json member_rows = json::array();
  int accepted = 0, open = 0;
  for (const auto& m : *members) {
    accepted += m.status == "accepted";
    open += m.status == "invited";
    std::string status = m.status == "accepted" ? "Accepted" : m.status == "declined" ? "Declined" : "Invited, not yet answered";
    member_rows.push_back({{"name", m.name.empty() ? "Erased person" : m.name}, {"status", status},
                           {"person_href", "/people/" + std::to_string(m.person_id)},
                           {"respond_action", base + "/members/" + std::to_string(m.person_id) + "/respond"},
                           {"invited", m.status == "invited"}});
  }
  json round_rows = json::array();
  for (size_t i = 0; i < rounds->size(); ++i) {
    const Round& r = (*rounds)[i];
    round_rows.push_back({{"href", base + "/rounds/" + std::to_string(r.id)},
                          {"label", "Round " + std::to_string(rounds->size() - i) + ", " + r.created_at.substr(0, 10)},
                          {"status", r.status}});
  }
  json data = {{"name", g->name}, {"purpose", g->purpose}, {"setting", involvement::setting_label(g->setting)},
               {"size", g->size}, {"term", std::to_string(g->term_months) + " months"},
               {"aim", involvement::rung_label(g->ladder_aim)}, {"members", member_rows},
               {"has_members", !member_rows.empty()}, {"accepted", accepted}, {"open", open},
               {"rounds", round_rows}, {"has_rounds", !round_rows.empty()},
               {"can_recruit", accepted + open < g->size}, {"recruit_href", base + "/recruit"}};
  auto planned = activities::Activities(ctx.services.db, ctx.services.clock).list(org, *id);
  if (!planned.ok()) return ctx.error(500);
  json activity_rows = json::array();
  for (const auto& a : *planned) {
    activity_rows.push_back({{"href", "/activities/" + std::to_string(a.id)}, {"title", a.title},
                             {"when", a.starts_at.substr(0, 10) + " " + a.starts_at.substr(11, 5)},
                             {"status", a.status == "held" ? "took place" : a.status == "cancelled" ? "cancelled" : "planned"}});
  }
  data["activities"] = activity_rows;
  data["has_activities"] = !activity_rows.empty();
  data["new_activity_href"] = base + "/activities/new";
  if (!rounds->empty()) data["replace_action"] = base + "/replace";
  if (g->public_page) data["public_href"] = base + "/public";
  add_short_definition(ctx, org, data);
  return ctx.page(200, "groups/show", g->name, data);
}

Response member_respond(Context& ctx) {
  auto id = id_param(ctx);
  auto person = id_param(ctx, "person");
  if (!id || !person) return ctx.error(404);
  std::string answer = ctx.form.get("answer");
  if (answer != "accept" && answer != "decline") return ctx.error(400, "Choose accepted or declined.");
  Status s = groups(ctx).respond(ctx.user->organisation_id, *id, *person, answer == "accept", actor(ctx));
  if (!s.ok()) return status_error(ctx, s);
  return Response::redirect("/groups/" + std::to_string(*id));
}

// --- recruiting ------------------------------------------------------------------

// One line for each way of making the lottery fair, under its name on the
// set-up form.
const char* algorithm_hint(Algorithm a) {
  switch (a) {
    case Algorithm::kLeximin:
      return "The fairest. It raises the lowest chance of a place as far as it will go, then the next lowest, and so "
             "on.";
    case Algorithm::kMaximin:
      return "Raises only the lowest chance of a place. Quicker when the pool is very large.";
    case Algorithm::kNash:
      return "Makes everyone's chances as even as it can overall: the chances multiplied together are as large as "
             "they can be.";
    case Algorithm::kLegacy:
      break;
  }
  return "";
}

// The radios of the "How should the lottery be made fair?" question.
json algorithm_options(Algorithm chosen) {
  json options = json::array();
  for (Algorithm a : involvement::round_algorithms()) {
    options.push_back({{"value", selection::algorithm_name(a)}, {"label", selection::algorithm_title(a)},
                       {"hint", algorithm_hint(a)}, {"checked", a == chosen}});
  }
  return options;
}

// "2.4 seconds", "less than 0.1 seconds".
std::string format_seconds(double seconds) {
  if (seconds < 0.05) return "less than 0.1 seconds";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f seconds", seconds);
  return buf;
}

// What a finished round's run proved, for its page: the algorithm, whether
// it finished, the proven gap and the time. Rounds run before the algorithm
// was recorded in the result have only the algorithm and the time.
json run_report(const Round& r) {
  Algorithm a = selection::parse_algorithm(r.result.value("algorithm", "")).value_or(r.setup.algorithm);
  json out = {{"algorithm_title", selection::algorithm_title(a)},
              {"seconds", format_seconds(r.result.value("seconds", 0.0))}};
  if (r.result.contains("proven_gap")) {
    bool complete = r.result.value("complete", true);
    out["proven"] = complete ? "Yes, to within the proven gap"
                             : "No. It was stopped before it finished: the lottery meets every quota, but a fairer "
                               "one may exist";
    out["gap"] = report::format_two_figures(r.result.value("proven_gap", 0.0));
    out["gap_hint"] = a == Algorithm::kNash
                          ? "The most that any other lottery could raise the average of the logarithms of everyone's "
                            "chances. 0 means no lottery is fairer by this measure."
                          : "The most that any other lottery could raise the smallest chance of a place (0.01 is one "
                            "percentage point). 0 means no lottery gives a larger smallest chance.";
  }
  return out;
}

Response recruit_page(Context& ctx, int status, RoundSetup setup, const std::vector<std::pair<std::string, std::string>>& errors,
                      const std::map<std::string, std::pair<std::string, std::string>>& typed) {
  auto id = id_param(ctx);
  int64_t org = ctx.user->organisation_id;
  auto g = groups(ctx).get(org, *id);
  if (!g.ok()) return status_error(ctx, g.status());
  auto choices = recruitment(ctx).categories(org);
  if (!choices.ok()) return ctx.error(500);
  std::vector<std::pair<std::string, std::string>> options;
  for (const auto& c : *choices) options.emplace_back(c.key, c.label);
  std::string base = "/groups/" + std::to_string(*id);
  std::vector<std::pair<std::string, std::string>> times = {{"", "Any time"}};
  for (const auto& o : involvement::option_set("availability")->options) times.emplace_back(o.code, o.label);
  json available = json::array();
  for (const auto& [code, label] : times) {
    available.push_back({{"value", code}, {"label", label}, {"selected", code == setup.available}});
  }
  json data = {{"group_name", g->name}, {"action", base + "/recruit"}, {"back_href", base},
               {"available_options", available},
               {"algorithm_options", algorithm_options(setup.algorithm)},
               {"category_choices", choice_group("categories", "Categories the group's mix depends on",
                                                 "Select all that matter for this group", false, options,
                                                 setup.categories)}};
  // Absent when empty: the page says "and they live in {{area}}" only for an area given.
  put_if(data, "area", setup.area);
  put_if(data, "available", setup.available);
  if (!setup.categories.empty()) {
    auto count = recruitment(ctx).count(org, *id, setup);
    if (!count.ok()) return status_error(ctx, count.status());
    auto members = groups(ctx).members(org, *id, actor(ctx));
    int taken = 0;
    if (members.ok()) {
      for (const auto& m : *members) taken += m.status != "declined";
    }
    int places = g->size - taken;
    json rows = json::array();
    json chosen = json::array();
    int index = 0;
    std::map<std::string, std::string> errs(errors.begin(), errors.end());
    for (const auto& cat : count->categories) {
      chosen.push_back({{"key", cat.key}});
      for (const auto& [value, n] : cat.values) {
        std::string key = std::to_string(index);
        std::string min = "0", max = std::to_string(g->size);
        for (const auto& q : setup.quotas) {
          if (q.category == cat.key && q.value == value) {
            min = std::to_string(q.min);
            max = std::to_string(q.max);
          }
        }
        if (auto t = typed.find(key); t != typed.end()) std::tie(min, max) = t->second;
        json row = {{"category", cat.label}, {"category_key", cat.key}, {"value", value}, {"count", n},
                    {"index", index}, {"min", min}, {"max", max}};
        if (errs.count("min_" + key)) row["min_error"] = errs["min_" + key];
        if (errs.count("max_" + key)) row["max_error"] = errs["max_" + key];
        rows.push_back(row);
        ++index;
      }
    }
    data["quota_rows"] = rows;
    data["has_quotas"] = !rows.empty();
    data["chosen"] = chosen;
    data["eligible"] = count->eligible;
    data["places"] = places;
  }
  if (!errors.empty()) {
    for (const auto& [f, m] : errors) {
      if (f == "algorithm") data["algorithm_error"] = m;
    }
    Response r = ctx.form_errors("groups/recruit", "Recruit members", data, errors);
    r.status = status;
    return r;
  }
  return ctx.page(status, "groups/recruit", "Recruit members", data);
}

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t amp = s.find('&', start);
    if (amp == std::string::npos) amp = s.size();
    out.push_back(s.substr(start, amp - start));
    start = amp + 1;
  }
  return out;
}

Response recruit_form(Context& ctx) {
  if (!id_param(ctx)) return ctx.error(404);
  RoundSetup setup;
  setup.area = ctx.request.query("area");
  setup.available = ctx.request.query("available");
  // Checkboxes arrive as repeated "categories" parameters.
  for (const auto& part : split_list(ctx.request.query_string)) {
    std::string key, value;
    size_t eq = part.find('=');
    if (eq == std::string::npos || !percent_decode(part.substr(0, eq), &key, true) || key != "categories") continue;
    if (percent_decode(part.substr(eq + 1), &value, true)) setup.categories.push_back(value);
  }
  return recruit_page(ctx, 200, setup, {}, {});
}

bool parse_count(const std::string& text, int* out) {
  if (text.empty() || text.size() > 4 || text.find_first_not_of("0123456789") != std::string::npos) return false;
  *out = std::stoi(text);
  return true;
}

Response recruit_create(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  RoundSetup setup;
  setup.area = ctx.form.get("area");
  setup.available = ctx.form.get("available");
  setup.categories = ctx.form.all("categories");
  std::vector<std::pair<std::string, std::string>> errors;
  std::map<std::string, std::pair<std::string, std::string>> typed;
  if (setup.categories.empty()) errors.emplace_back("categories", "Select at least one category");
  // The form always sends a choice (LEXIMIN is checked to start with); a
  // request without one gets the default, as the API does.
  if (ctx.form.has("algorithm")) {
    if (auto e = involvement::read_algorithm(ctx.form.get("algorithm"), setup)) {
      errors.emplace_back(e->field, e->message);
    }
  }
  for (int i = 0; ctx.form.has("cat_" + std::to_string(i)); ++i) {
    std::string k = std::to_string(i);
    std::string min_text = ctx.form.get("min_" + k), max_text = ctx.form.get("max_" + k);
    typed[k] = {min_text, max_text};
    int min = 0, max = 0;
    bool min_ok = parse_count(min_text, &min), max_ok = parse_count(max_text, &max);
    std::string what = ctx.form.get("val_" + k);
    if (!min_ok) errors.emplace_back("min_" + k, "Enter the fewest places for " + what + " as a whole number, 0 or more");
    if (!max_ok) errors.emplace_back("max_" + k, "Enter the most places for " + what + " as a whole number, 0 or more");
    if (min_ok && max_ok && min > max) {
      errors.emplace_back("min_" + k, "The fewest places for " + what + " must not be more than the most");
    }
    setup.quotas.push_back({ctx.form.get("cat_" + k), what, min, max});
  }
  if (!errors.empty()) return recruit_page(ctx, 400, setup, errors, typed);
  auto round = recruitment(ctx).create_round(ctx.user->organisation_id, *id, setup, new_seed(), actor(ctx));
  if (!round.ok()) {
    if (round.status().code() == StatusCode::kInvalidInput) {
      std::string field = round.status().where().field == "algorithm" ? "algorithm" : "categories";
      return recruit_page(ctx, 400, setup, {{field, round.status().message()}}, typed);
    }
    return status_error(ctx, round.status());
  }
  return Response::redirect("/groups/" + std::to_string(*id) + "/rounds/" + std::to_string(*round));
}

Response replace(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  auto round = recruitment(ctx).replacement_round(ctx.user->organisation_id, *id, new_seed(), actor(ctx));
  if (!round.ok()) return status_error(ctx, round.status());
  return Response::redirect("/groups/" + std::to_string(*id) + "/rounds/" + std::to_string(*round));
}

// Names for person ids, read once for a round page (an audited read).
std::map<int64_t, std::string> names_for(Context& ctx, const json& ids) {
  std::vector<int64_t> list;
  for (const auto& id : ids) list.push_back(id.get<int64_t>());
  auto names = involvement::People(ctx.services.db, ctx.services.clock).names(ctx.user->organisation_id, list, actor(ctx));
  return names.ok() ? *names : std::map<int64_t, std::string>{};
}

Response round_page(Context& ctx, const std::vector<std::pair<std::string, std::string>>& errors = {}) {
  auto gid = id_param(ctx);
  auto rid = id_param(ctx, "round");
  if (!gid || !rid) return ctx.error(404);
  int64_t org = ctx.user->organisation_id;
  auto g = groups(ctx).get(org, *gid);
  if (!g.ok()) return status_error(ctx, g.status());
  auto round = recruitment(ctx).get(org, *rid);
  if (!round.ok() || round->group_id != *gid) return ctx.error(404);
  const Round& r = *round;
  std::string base = "/groups/" + std::to_string(*gid);
  std::string self = base + "/rounds/" + std::to_string(*rid);
  json quotas = json::array();
  for (const auto& q : r.setup.quotas) quotas.push_back({{"category", q.category}, {"value", q.value}, {"min", q.min}, {"max", q.max}});
  int eligible = static_cast<int>(r.snapshot["person_ids"].size() - r.snapshot["already"].size());
  static const std::map<std::string, std::string> kStatus = {
      {"ready", "The quotas are set and the pool snapshot taken. Run the selection to work out everyone's chances."},
      {"queued", "The selection is waiting to start."},
      {"running", "The selection is running."},
      {"done", "The lottery has been found. Draw the group."},
      {"infeasible", "The quotas cannot all be met."},
      {"failed", "The selection could not finish."},
      {"drawn", "The group has been drawn. Invite them."},
      {"invited", "The people drawn have been invited and sent their offers. Their answers show on the group's page."}};
  json data = {{"group_name", g->name}, {"back_href", base}, {"label", "Recruitment round of " + r.created_at.substr(0, 10)},
               {"status_text", kStatus.count(r.status) ? kStatus.at(r.status) : r.status},
               {"quotas", quotas}, {"places", r.places}, {"eligible", eligible}, {"tickets", r.tickets},
               {"seed", std::to_string(r.seed)}, {"ready", r.status == "ready"}, {"run_action", self + "/run"},
               {"waiting", r.status == "queued" || r.status == "running"}, {"progress", r.progress.empty() ? "Starting" : r.progress},
               {"refresh_href", self}, {"infeasible", r.status == "infeasible"}, {"recruit_href", base + "/recruit"},
               {"done", r.status == "done"}, {"draw_action", self + "/draw"},
               {"drawn", r.status == "drawn" || r.status == "invited"}, {"invite_action", self + "/invite"},
               {"invited", r.status == "invited"},
               {"messages_href", self + "/messages"},
               {"algorithm_title", selection::algorithm_title(r.setup.algorithm)}};
  if (r.status == "failed") data["failed_message"] = r.result.value("message", "The selection could not finish.") + " Run it again.";
  if (r.status == "failed") data["ready"] = true;
  if (r.status == "infeasible") {
    data["conflicts"] = r.result.value("conflicts", json::array());
    data["relaxation"] = r.result.value("relaxation", json::array());
    data["has_relaxation"] = !data["relaxation"].empty();
  }
  if (r.status == "done" || r.status == "drawn" || r.status == "invited") {
    const json& f = r.result["fairness"];
    data["fairness"] = {{"minimum", format_percent(f.value("minimum", 0.0))},
                        {"maximum", format_percent(f.value("maximum", 0.0))},
                        {"gini", fixed3(f.value("gini", 0.0))},
                        {"geometric_mean", format_percent(f.value("geometric_mean", 0.0))},
                        {"largest_shift", format_percent(r.result.value("largest_shift", 0.0))}};
    data["run"] = run_report(r);
  }
  if (r.status == "done") {
    auto names = names_for(ctx, r.snapshot["person_ids"]);
    std::vector<std::pair<double, int64_t>> sorted;
    std::set<int64_t> already;
    for (const auto& a : r.snapshot["already"]) already.insert(a.get<int64_t>());
    for (const auto& [pid, p] : r.result["probabilities"].items()) {
      int64_t person = std::stoll(pid);
      if (!already.count(person)) sorted.emplace_back(p.get<double>(), person);
    }
    std::sort(sorted.begin(), sorted.end());
    json probs = json::array();
    for (const auto& [p, person] : sorted)
      probs.push_back({{"name", names[person]}, {"probability", format_percent(p)}});
    data["probabilities"] = probs;
  }
  if ((r.status == "drawn" || r.status == "invited") && r.drawn_ticket) {
    const json& panel = r.result["tickets"][static_cast<size_t>(*r.drawn_ticket - 1)];
    auto names = names_for(ctx, panel);
    std::set<int64_t> already;
    for (const auto& a : r.snapshot["already"]) already.insert(a.get<int64_t>());
    json people = json::array();
    for (const auto& p : panel) people.push_back({{"name", names[p.get<int64_t>()]}, {"already", already.count(p.get<int64_t>()) > 0}});
    data["panel"] = people;
    data["drawn_ticket"] = *r.drawn_ticket;
    data["draw_method"] = *r.drawn_ticket == r.result.value("seed_ticket", 0) ? "the recorded seed (or a public number that matched it)"
                                                                              : "the number drawn in public";
  }
  if (!errors.empty()) {
    for (const auto& [f, m] : errors) data[f + "_error"] = m;
    Response resp = ctx.form_errors("groups/round", "Recruitment round", data, errors);
    return resp;
  }
  return ctx.page(200, "groups/round", "Recruitment round", data);
}

Response round_run(Context& ctx) {
  auto gid = id_param(ctx);
  auto rid = id_param(ctx, "round");
  if (!gid || !rid) return ctx.error(404);
  auto round = recruitment(ctx).get(ctx.user->organisation_id, *rid);
  if (!round.ok() || round->group_id != *gid) return ctx.error(404);
  Status s = recruitment(ctx).queue(ctx.user->organisation_id, *rid);
  if (!s.ok()) return status_error(ctx, s);
  start_run(ctx, ctx.user->organisation_id, *rid);
  return Response::redirect("/groups/" + std::to_string(*gid) + "/rounds/" + std::to_string(*rid));
}

Response round_draw(Context& ctx) {
  auto gid = id_param(ctx);
  auto rid = id_param(ctx, "round");
  if (!gid || !rid) return ctx.error(404);
  auto round = recruitment(ctx).get(ctx.user->organisation_id, *rid);
  if (!round.ok() || round->group_id != *gid) return ctx.error(404);
  std::string text = ctx.form.get("ticket");
  std::optional<int> ticket;
  if (!text.empty()) {
    int n = 0;
    if (!parse_count(text, &n) || n < 1 || n > round->tickets) {
      return round_page(ctx, {{"ticket", "Enter a whole number from 1 to " + std::to_string(round->tickets)}});
    }
    ticket = n;
  }
  Status s = recruitment(ctx).draw(ctx.user->organisation_id, *rid, ticket, actor(ctx));
  if (!s.ok()) return status_error(ctx, s);
  return Response::redirect("/groups/" + std::to_string(*gid) + "/rounds/" + std::to_string(*rid));
}

Response round_invite(Context& ctx) {
  auto gid = id_param(ctx);
  auto rid = id_param(ctx, "round");
  if (!gid || !rid) return ctx.error(404);
  auto round = recruitment(ctx).get(ctx.user->organisation_id, *rid);
  if (!round.ok() || round->group_id != *gid) return ctx.error(404);
  // Each new member is offered their place in their own way.
  auto told = notices(ctx).invite_round(ctx.user->organisation_id, *rid, actor(ctx));
  if (!told.ok()) return status_error(ctx, told.status());
  wake_sender(ctx);
  return Response::redirect("/groups/" + std::to_string(*gid));
}

Response public_page(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  auto g = groups(ctx).get_public(*id);
  if (!g.ok()) return ctx.error(404);
  auto rounds = recruitment(ctx).rounds(g->organisation_id, *id);
  if (!rounds.ok()) return ctx.error(500);
  json rows = json::array();
  int n = 0;
  for (auto it = rounds->rbegin(); it != rounds->rend(); ++it) {
    const Round& r = *it;
    if (!r.drawn_ticket) continue;
    const json& f = r.result["fairness"];
    rows.push_back({{"label", "Round " + std::to_string(++n) + ", " + r.created_at.substr(0, 10)},
                    {"eligible", r.snapshot["person_ids"].size() - r.snapshot["already"].size()},
                    {"places", r.places},
                    {"minimum", format_percent(f.value("minimum", 0.0))},
                    {"maximum", format_percent(f.value("maximum", 0.0))},
                    {"gini", fixed3(f.value("gini", 0.0))},
                    {"tickets", r.tickets},
                    {"drawn_ticket", *r.drawn_ticket},
                    {"method", *r.drawn_ticket == r.result.value("seed_ticket", 0) ? "the recorded seed"
                                                                                   : "a number drawn in public"}});
  }
  json data = {{"name", g->name}, {"purpose", g->purpose}, {"setting", involvement::setting_label(g->setting)},
               {"size", g->size}, {"aim", involvement::rung_label(g->ladder_aim)}, {"rounds", rows},
               {"has_rounds", !rows.empty()}};
  add_short_definition(ctx, g->organisation_id, data);
  return ctx.page(200, "groups/public", g->name, data);
}

// --- the API -----------------------------------------------------------------------

json group_json(const involvement::Group& g) {
  return {{"id", g.id}, {"name", g.name}, {"purpose", g.purpose}, {"setting", g.setting}, {"size", g.size},
          {"term_months", g.term_months}, {"ladder_aim", g.ladder_aim}, {"public_page", g.public_page},
          {"created_at", g.created_at}};
}

json round_json(const Round& r) {
  json quotas = json::array();
  for (const auto& q : r.setup.quotas) quotas.push_back({{"category", q.category}, {"value", q.value}, {"min", q.min}, {"max", q.max}});
  json out = {{"id", r.id}, {"group_id", r.group_id}, {"status", r.status}, {"places", r.places},
              {"categories", r.setup.categories}, {"quotas", quotas}, {"area", r.setup.area},
              {"available", r.setup.available}, {"history_months", r.setup.history_months},
              {"algorithm", selection::algorithm_name(r.setup.algorithm)}, {"seed", r.seed},
              {"tickets", r.tickets}, {"progress", r.progress}, {"created_at", r.created_at},
              {"drawn_ticket", r.drawn_ticket ? json(*r.drawn_ticket) : json(nullptr)},
              {"pool_size", r.snapshot["person_ids"].size()}};
  if (r.result.contains("fairness")) out["fairness"] = r.result["fairness"];
  if (r.result.contains("probabilities")) out["probabilities"] = r.result["probabilities"];
  // What the run proved (absent from rounds run before it was recorded).
  for (const char* key : {"complete", "proven_gap", "proven_by", "types", "panels_generated", "probability_levels", "panels_kept",
                          "stages", "seconds"}) {
    if (r.result.contains(key)) out[key] = r.result[key];
  }
  // Why a run failed, or why no panel meets the quotas.
  if (r.status == "failed" || r.status == "infeasible") out["message"] = r.result.value("message", "");
  if (r.result.contains("conflicts")) {
    out["conflicts"] = r.result["conflicts"];
    out["relaxation"] = r.result["relaxation"];
  }
  if (r.drawn_ticket) out["selected"] = r.result["tickets"][static_cast<size_t>(*r.drawn_ticket - 1)];
  return out;
}

Response api_groups(Context& ctx) {
  auto list = groups(ctx).list(ctx.user->organisation_id);
  if (!list.ok()) return ctx.error(500);
  json items = json::array();
  for (const auto& g : *list) items.push_back(group_json(g));
  return ctx.send_json(200, {{"groups", items}});
}

Response api_group_create(Context& ctx) {
  auto body = body_object(ctx);
  if (!body.ok()) return ctx.error(400, body.status().message());
  auto text = [&](const char* k) {
    const json& v = (*body)[k];
    return v.is_string() ? v.get<std::string>() : v.is_number_integer() ? std::to_string(v.get<long long>()) : std::string();
  };
  GroupInput in{text("name"), text("purpose"), text("setting"), text("size"), body->contains("term_months") ? text("term_months") : "12",
                text("ladder_aim"), body->value("public_page", false)};
  auto problems = involvement::validate(in);
  if (!problems.empty()) return api_invalid(ctx, problems.front().field, problems.front().message);
  auto g = groups(ctx).create(ctx.user->organisation_id, in, actor(ctx));
  if (!g.ok()) return status_error(ctx, g.status());
  Response r = ctx.send_json(201, group_json(*g));
  r.set_header("Location", "/api/v1/groups/" + std::to_string(g->id));
  return r;
}

Response api_group(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  auto g = groups(ctx).get(ctx.user->organisation_id, *id);
  if (!g.ok()) return status_error(ctx, g.status());
  json out = group_json(*g);
  auto members = groups(ctx).members(ctx.user->organisation_id, *id, actor(ctx));
  if (!members.ok()) return ctx.error(500);
  json list = json::array();
  for (const auto& m : *members) list.push_back({{"person_id", m.person_id}, {"status", m.status}, {"round_id", m.round_id}});
  out["members"] = list;
  return ctx.send_json(200, out);
}

Response api_recruit_create(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  auto body = body_object(ctx);
  if (!body.ok()) return ctx.error(400, body.status().message());
  RoundSetup setup;
  if (!(*body)["categories"].is_array() || (*body)["categories"].empty()) {
    return api_invalid(ctx, "categories", "categories must be a non-empty list of category keys");
  }
  for (const auto& c : (*body)["categories"]) {
    if (!c.is_string()) return api_invalid(ctx, "categories", "categories must be strings");
    setup.categories.push_back(c.get<std::string>());
  }
  for (const auto& q : body->value("quotas", json::array())) {
    if (!q.is_object() || !q["category"].is_string() || !q["value"].is_string() || !q["min"].is_number_integer() ||
        !q["max"].is_number_integer()) {
      return api_invalid(ctx, "quotas", "each quota needs category and value (strings) and min and max (whole numbers)");
    }
    setup.quotas.push_back({q["category"], q["value"], q["min"].get<int>(), q["max"].get<int>()});
  }
  if (body->contains("area") && (*body)["area"].is_string()) setup.area = (*body)["area"];
  if (body->contains("available") && (*body)["available"].is_string()) setup.available = (*body)["available"];
  if (body->contains("history_months")) {
    if (!(*body)["history_months"].is_number_integer()) return api_invalid(ctx, "history_months", "history_months must be a whole number");
    setup.history_months = (*body)["history_months"].get<int>();
  }
  if (body->contains("algorithm")) {
    const json& a = (*body)["algorithm"];
    auto e = involvement::read_algorithm(a.is_string() ? a.get<std::string>() : std::string(), setup);
    if (e) return api_field_errors(ctx, {*e});
  }
  uint64_t seed = new_seed();
  if (body->contains("seed")) {
    if (!(*body)["seed"].is_number_unsigned()) return api_invalid(ctx, "seed", "seed must be a whole number, 0 or more");
    seed = (*body)["seed"].get<uint64_t>() & 0x7fffffffffffffffULL;
  }
  auto round = recruitment(ctx).create_round(ctx.user->organisation_id, *id, setup, seed, actor(ctx));
  if (!round.ok()) {
    if (round.status().code() == StatusCode::kInvalidInput) return api_invalid(ctx, round.status().where().field, round.status().message());
    return status_error(ctx, round.status());
  }
  Response r = ctx.send_json(201, round_json(*recruitment(ctx).get(ctx.user->organisation_id, *round)));
  r.set_header("Location", "/api/v1/recruit/" + std::to_string(*round));
  return r;
}

Response api_replace(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  auto round = recruitment(ctx).replacement_round(ctx.user->organisation_id, *id, new_seed(), actor(ctx));
  if (!round.ok()) return status_error(ctx, round.status());
  return ctx.send_json(201, round_json(*recruitment(ctx).get(ctx.user->organisation_id, *round)));
}

Response api_round(Context& ctx) {
  auto rid = id_param(ctx, "round");
  if (!rid) return ctx.error(404);
  auto round = recruitment(ctx).get(ctx.user->organisation_id, *rid);
  if (!round.ok()) return status_error(ctx, round.status());
  return ctx.send_json(200, round_json(*round));
}

Response api_run(Context& ctx) {
  auto rid = id_param(ctx, "round");
  if (!rid) return ctx.error(404);
  auto round = recruitment(ctx).get(ctx.user->organisation_id, *rid);
  if (!round.ok()) return status_error(ctx, round.status());
  Status s = recruitment(ctx).queue(ctx.user->organisation_id, *rid);
  if (!s.ok()) return status_error(ctx, s);
  start_run(ctx, ctx.user->organisation_id, *rid);
  Response r = ctx.send_json(202, round_json(*recruitment(ctx).get(ctx.user->organisation_id, *rid)));
  r.set_header("Location", "/api/v1/recruit/" + std::to_string(*rid));
  return r;
}

Response api_draw(Context& ctx) {
  auto rid = id_param(ctx, "round");
  if (!rid) return ctx.error(404);
  auto body = body_object(ctx);
  if (!body.ok()) return ctx.error(400, body.status().message());
  std::optional<int> ticket;
  if (body->contains("ticket")) {
    if (!(*body)["ticket"].is_number_integer()) return api_invalid(ctx, "ticket", "ticket must be a whole number");
    ticket = (*body)["ticket"].get<int>();
  }
  Status s = recruitment(ctx).draw(ctx.user->organisation_id, *rid, ticket, actor(ctx));
  if (!s.ok()) {
    if (s.code() == StatusCode::kInvalidInput) return api_invalid(ctx, s.where().field.empty() ? "ticket" : s.where().field, s.message());
    return status_error(ctx, s);
  }
  return ctx.send_json(200, round_json(*recruitment(ctx).get(ctx.user->organisation_id, *rid)));
}

Response api_invite(Context& ctx) {
  auto rid = id_param(ctx, "round");
  if (!rid) return ctx.error(404);
  auto told = notices(ctx).invite_round(ctx.user->organisation_id, *rid, actor(ctx));
  if (!told.ok()) return status_error(ctx, told.status());
  wake_sender(ctx);
  return ctx.send_json(200, round_json(*recruitment(ctx).get(ctx.user->organisation_id, *rid)));
}

}  // namespace

void add_group_routes(Router& router) {
  router.add({"GET", "/groups", kLeads, Channel::kPage, group_list});
  router.add({"GET", "/groups/new", kLeads, Channel::kPage, group_new});
  router.add({"POST", "/groups", kLeads, Channel::kPage, group_create});
  router.add({"GET", "/groups/{id}", kLeads, Channel::kPage, group_show});
  router.add({"GET", "/groups/{id}/public", Access::anyone(), Channel::kPage, public_page});
  router.add({"POST", "/groups/{id}/members/{person}/respond", kLeads, Channel::kPage, member_respond});
  router.add({"GET", "/groups/{id}/recruit", kLeads, Channel::kPage, recruit_form});
  router.add({"POST", "/groups/{id}/recruit", kLeads, Channel::kPage, recruit_create});
  router.add({"POST", "/groups/{id}/replace", kLeads, Channel::kPage, replace});
  router.add({"GET", "/groups/{id}/rounds/{round}", kLeads, Channel::kPage, [](Context& ctx) { return round_page(ctx); }});
  router.add({"POST", "/groups/{id}/rounds/{round}/run", kLeads, Channel::kPage, round_run});
  router.add({"POST", "/groups/{id}/rounds/{round}/draw", kLeads, Channel::kPage, round_draw});
  router.add({"POST", "/groups/{id}/rounds/{round}/invite", kLeads, Channel::kPage, round_invite});

  router.add({"GET", "/api/v1/groups", kLeads, Channel::kApi, api_groups});
  router.add({"POST", "/api/v1/groups", kLeads, Channel::kApi, api_group_create});
  router.add({"GET", "/api/v1/groups/{id}", kLeads, Channel::kApi, api_group});
  router.add({"POST", "/api/v1/groups/{id}/recruit", kLeads, Channel::kApi, api_recruit_create});
  router.add({"POST", "/api/v1/groups/{id}/recruit/replace", kLeads, Channel::kApi, api_replace});
  router.add({"GET", "/api/v1/recruit/{round}", kLeads, Channel::kApi, api_round});
  router.add({"POST", "/api/v1/recruit/{round}/run", kLeads, Channel::kApi, api_run});
  router.add({"POST", "/api/v1/recruit/{round}/draw", kLeads, Channel::kApi, api_draw});
  router.add({"POST", "/api/v1/recruit/{round}/invite", kLeads, Channel::kApi, api_invite});
}

}  // namespace coproduce::web
