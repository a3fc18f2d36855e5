#include "involvement/recruitment.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include "core/text.h"
#include "involvement/groups.h"
#include "involvement/options.h"
#include "jobs/jobs.h"
#include "report/format.h"
#include "security/audit.h"
#include "selection/select.h"

namespace coproduce::involvement {
namespace {

using nlohmann::json;
using store::Connection;
using store::Transaction;
using store::TransactionMode;

constexpr const char* kNotGiven = "Not given";
constexpr const char* kNotAnswered = "Not answered";

Location at_field(const std::string& f) {
  Location l;
  l.field = f;
  return l;
}

// One eligible (or already chosen) person and what the categories need.
struct Candidate {
  int64_t id = 0;
  std::string area;
  std::vector<std::string> experience;
  std::map<std::string, std::string> equality;
  std::map<std::string, std::string> attributes;
  int recent_groups = 0;
};

// The single value a person has in a category; sets collapse to their most
// specific experience so that everyone has exactly one value.
std::string value_of(const Candidate& p, const std::string& key) {
  if (key == "area") return p.area.empty() ? kNotGiven : p.area;
  if (key == "experience") {
    const OptionSet* set = option_set("lived_experience");
    for (const char* code : {"draws_on_care", "unpaid_carer", "family_member", "other"}) {
      if (std::find(p.experience.begin(), p.experience.end(), code) != p.experience.end()) {
        return set->by_code(code)->label;
      }
    }
    return kNotGiven;
  }
  if (key == "history") return p.recent_groups == 0 ? "New" : p.recent_groups < 3 ? "Some" : "Often";
  if (key.rfind("pool:", 0) == 0) {
    auto it = p.attributes.find(key.substr(5));
    return it == p.attributes.end() || it->second.empty() ? kNotGiven : it->second;
  }
  auto it = p.equality.find(key);
  if (it == p.equality.end() || it->second.empty()) return kNotAnswered;
  const OptionSet* set = option_set(key);
  const Option* o = set ? set->by_code(it->second) : nullptr;
  if (!o) return it->second;
  // Ethnic group quotas use the five broad groups the benchmarks publish.
  if (key == "ethnic_group" && !o->group.empty()) return o->group;
  return o->label;
}

json setup_json(const RoundSetup& s) {
  json quotas = json::array();
  for (const auto& q : s.quotas) quotas.push_back({{"category", q.category}, {"value", q.value}, {"min", q.min}, {"max", q.max}});
  return {{"categories", s.categories}, {"quotas", quotas}, {"area", s.area}, {"available", s.available},
          {"history_months", s.history_months}};
}

RoundSetup setup_from_json(const json& j) {
  RoundSetup s;
  s.categories = j.value("categories", std::vector<std::string>{});
  for (const auto& q : j.value("quotas", json::array())) {
    s.quotas.push_back({q.value("category", ""), q.value("value", ""), q.value("min", 0), q.value("max", 0)});
  }
  s.area = j.value("area", "");
  s.available = j.value("available", "");
  s.history_months = j.value("history_months", 12);
  return s;
}

StatusOr<std::vector<Candidate>> load_candidates(Connection& c, const Clock& clock, int64_t org, int64_t group_id,
                                                 const RoundSetup& setup, bool members_only) {
  std::string where =
      " FROM people p WHERE p.organisation_id = $1 AND p.erased_at IS NULL"
      " AND EXISTS (SELECT 1 FROM consents k WHERE k.person_id = p.id AND k.withdrawn_at IS NULL)";
  std::vector<store::Value> params = {org, group_id};
  std::string member =
      "EXISTS (SELECT 1 FROM group_members m WHERE m.group_id = $2 AND m.person_id = p.id"
      " AND m.status IN ('invited', 'accepted'))";
  if (members_only) {
    where = " FROM people p WHERE p.organisation_id = $1 AND " + member;
  } else {
    // Members, and people who said no to this group, are not drawn again.
    where += " AND NOT EXISTS (SELECT 1 FROM group_members m WHERE m.group_id = $2 AND m.person_id = p.id)";
    if (!trim_copy(setup.area).empty()) {
      params.push_back(trim_copy(setup.area));
      where += " AND LOWER(p.area) = LOWER($" + std::to_string(params.size()) + ")";
    }
    if (!setup.available.empty()) {
      params.push_back("%," + setup.available + ",%");
      where += " AND (',' || p.availability || ',') LIKE $" + std::to_string(params.size());
    }
  }
  auto rows = c.query("SELECT p.id, p.area, p.lived_experience" + where + " ORDER BY p.id", params);
  if (!rows.ok()) return rows.status();
  std::vector<Candidate> out;
  std::map<int64_t, size_t> index;
  for (const auto& r : *rows) {
    index[r.integer(0)] = out.size();
    out.push_back({r.integer(0), r.text(1), split_codes(r.text(2)), {}, {}, 0});
  }
  if (out.empty()) return out;
  auto eq = c.query(
      "SELECT e.person_id, e.age_band, e.sex, e.gender_identity, e.ethnic_group, e.disability, e.sexual_orientation,"
      " e.religion, e.carer FROM equality_monitoring e JOIN people p ON p.id = e.person_id WHERE " +
          where.substr(where.find("WHERE") + 6),
      params);
  if (!eq.ok()) return eq.status();
  for (const auto& r : *eq) {
    auto it = index.find(r.integer(0));
    if (it == index.end()) continue;
    for (size_t f = 0; f < equality_fields().size(); ++f) out[it->second].equality[equality_fields()[f]] = r.text(f + 1);
  }
  auto attrs = c.query("SELECT a.person_id, a.name, a.value FROM person_attributes a JOIN people p ON p.id = a.person_id"
                       " WHERE " + where.substr(where.find("WHERE") + 6),
                       params);
  if (!attrs.ok()) return attrs.status();
  for (const auto& r : *attrs) {
    auto it = index.find(r.integer(0));
    if (it != index.end()) out[it->second].attributes[r.text(1)] = r.text(2);
  }
  std::string since = format_timestamp(clock.now() - std::chrono::hours(24 * 30 * std::max(setup.history_months, 1)));
  auto history = c.query(
      "SELECT m.person_id, COUNT(*) FROM group_members m JOIN groups g ON g.id = m.group_id"
      " WHERE g.organisation_id = $1 AND m.status = 'accepted' AND m.invited_at >= $2 GROUP BY m.person_id",
      {org, since});
  if (!history.ok()) return history.status();
  for (const auto& r : *history) {
    auto it = index.find(r.integer(0));
    if (it != index.end()) out[it->second].recent_groups = static_cast<int>(r.integer(1));
  }
  return out;
}

Status audit(Connection& c, const Clock& clock, int64_t org, const Actor& actor, const std::string& action, int64_t id) {
  return security::record_audit(c, clock, {org, actor.user_id, action, "round", std::to_string(id), actor.address});
}

// The engine's problem for a round's snapshot and setup.
selection::Problem build_problem(const Round& round, int panel_size) {
  selection::Problem problem;
  problem.panel_size = panel_size;
  const json& snap = round.snapshot;
  const auto& values = snap["values"];
  std::set<int64_t> already;
  for (const auto& a : snap["already"]) already.insert(a.get<int64_t>());
  for (size_t c = 0; c < round.setup.categories.size(); ++c) {
    selection::Category cat;
    cat.name = round.setup.categories[c];
    std::vector<std::string> seen;
    for (const auto& person : values) {
      std::string v = person[c].get<std::string>();
      if (std::find(seen.begin(), seen.end(), v) == seen.end()) seen.push_back(v);
    }
    for (const auto& q : round.setup.quotas) {
      if (q.category == cat.name && std::find(seen.begin(), seen.end(), q.value) == seen.end()) seen.push_back(q.value);
    }
    std::sort(seen.begin(), seen.end());
    for (const auto& v : seen) {
      selection::Quota quota;
      quota.value = v;
      quota.min = 0;
      quota.max = panel_size;
      for (const auto& q : round.setup.quotas) {
        if (q.category == cat.name && q.value == v) {
          quota.min = q.min;
          quota.max = q.max;
        }
      }
      quota.min_flex = 0;
      quota.max_flex = panel_size;
      cat.values.push_back(quota);
    }
    problem.categories.push_back(cat);
  }
  const auto& ids = snap["person_ids"];
  for (size_t i = 0; i < ids.size(); ++i) {
    selection::Person p;
    for (size_t c = 0; c < problem.categories.size(); ++c) {
      const auto& vals = problem.categories[c].values;
      std::string v = values[i][c].get<std::string>();
      auto it = std::find_if(vals.begin(), vals.end(), [&](const selection::Quota& q) { return q.value == v; });
      p.values.push_back(static_cast<int>(it - vals.begin()));
    }
    p.already_selected = already.count(ids[i].get<int64_t>()) > 0;
    problem.people.push_back(p);
  }
  return problem;
}

Round round_from_row(const store::Row& r) {
  Round round;
  round.id = r.integer(0);
  round.group_id = r.integer(1);
  round.status = r.text(2);
  round.places = static_cast<int>(r.integer(3));
  round.setup = setup_from_json(json::parse(r.text(4), nullptr, false));
  round.snapshot = json::parse(r.text(5), nullptr, false);
  round.seed = static_cast<uint64_t>(r.integer(6));
  round.tickets = static_cast<int>(r.integer(7));
  round.result = r.text(8).empty() ? json::object() : json::parse(r.text(8), nullptr, false);
  round.progress = r.text(9);
  if (!r.is_null(10)) round.drawn_ticket = static_cast<int>(r.integer(10));
  round.created_at = r.text(11);
  // The column holds only names create_round wrote (or the migration's
  // default), so an unknown name is not expected; LEXIMIN is what every
  // round used before the choice existed.
  round.setup.algorithm = selection::parse_algorithm(r.text(12)).value_or(selection::Algorithm::kLeximin);
  return round;
}

constexpr const char* kRoundColumns =
    "id, group_id, status, places, setup, snapshot, seed, tickets, result, progress, drawn_ticket, created_at,"
    " algorithm";

bool is_round_algorithm(selection::Algorithm a) {
  const auto& all = round_algorithms();
  return std::find(all.begin(), all.end(), a) != all.end();
}

}  // namespace

const std::vector<selection::Algorithm>& round_algorithms() {
  static const std::vector<selection::Algorithm> kAll = {selection::Algorithm::kLeximin, selection::Algorithm::kMaximin,
                                                         selection::Algorithm::kNash};
  return kAll;
}

std::optional<FieldError> read_algorithm(std::string_view name, RoundSetup& setup) {
  std::optional<selection::Algorithm> a = selection::parse_algorithm(name);
  if (!a || !is_round_algorithm(*a)) {
    return FieldError{"algorithm", "Choose how the lottery should be made fair: LEXIMIN, MAXIMIN or Nash welfare",
                      Problem::kUnknownCode};
  }
  setup.algorithm = *a;
  return std::nullopt;
}

std::string progress_text(selection::Algorithm algorithm, const selection::LeximinProgress& p) {
  std::string text =
      algorithm == selection::Algorithm::kLeximin ? "Finding the fairest lottery (" : "Finding the lottery (";
  text += selection::algorithm_title(algorithm);
  text += "): ";
  // Only LEXIMIN settles the kinds of people one level at a time.
  if (algorithm == selection::Algorithm::kLeximin) {
    text += std::to_string(p.fixed_types) + " of " + std::to_string(p.total_types) + " kinds of people settled, ";
  } else {
    text += std::to_string(p.total_types) + " kinds of people, ";
  }
  text += std::to_string(p.panels) + " panels considered";
  if (p.gap >= 0) text += ", within " + report::format_two_figures(p.gap) + " of the best so far";
  return text;
}

StatusOr<std::vector<CategoryChoice>> Recruitment::categories(int64_t org) {
  std::vector<CategoryChoice> out = {
      {"history", "Involvement history (new, some, often)"},
      {"experience", "Experience"},
      {"area", "Area"},
      {"age_band", "Age band"},
      {"sex", "Sex"},
      {"ethnic_group", "Ethnic group (the five broad groups)"},
      {"disability", "Disability"},
      {"carer", "Carer status"},
  };
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  auto names = (*c)->query(
      "SELECT DISTINCT a.name FROM person_attributes a JOIN people p ON p.id = a.person_id"
      " WHERE p.organisation_id = $1 ORDER BY a.name",
      {org});
  if (!names.ok()) return names.status();
  for (const auto& r : *names) out.push_back({"pool:" + r.text(0), r.text(0) + " (from an imported file)"});
  return out;
}

StatusOr<PoolCount> Recruitment::count(int64_t org, int64_t group_id, const RoundSetup& setup) {
  auto known = categories(org);
  if (!known.ok()) return known.status();
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  auto people = load_candidates(**c, clock_, org, group_id, setup, false);
  if (!people.ok()) return people.status();
  PoolCount out;
  out.eligible = static_cast<int>(people->size());
  for (const auto& key : setup.categories) {
    auto k = std::find_if(known->begin(), known->end(), [&](const CategoryChoice& x) { return x.key == key; });
    if (k == known->end()) return InvalidInput("'" + key + "' is not a category of this pool", at_field("categories"));
    std::map<std::string, int> counts;
    for (const auto& p : *people) ++counts[value_of(p, key)];
    PoolCount::Category cat{key, k->label, {}};
    for (const auto& [v, n] : counts) cat.values.emplace_back(v, n);
    out.categories.push_back(cat);
  }
  return out;
}

StatusOr<int64_t> Recruitment::create_round(int64_t org, int64_t group_id, const RoundSetup& setup, uint64_t seed,
                                            const Actor& actor) {
  auto group = Groups(db_, clock_).get(org, group_id);
  if (!group.ok()) return group.status();
  auto known = categories(org);
  if (!known.ok()) return known.status();
  for (const auto& key : setup.categories) {
    if (std::none_of(known->begin(), known->end(), [&](const CategoryChoice& x) { return x.key == key; })) {
      return InvalidInput("'" + key + "' is not a category of this pool", at_field("categories"));
    }
  }
  if (!setup.available.empty() && !option_set("availability")->by_code(setup.available)) {
    return InvalidInput("'" + setup.available + "' is not one of the availability answers", at_field("available"));
  }
  if (!is_round_algorithm(setup.algorithm)) {
    return InvalidInput(std::string(selection::algorithm_title(setup.algorithm)) +
                            " makes no lottery: choose LEXIMIN, MAXIMIN or Nash welfare",
                        at_field("algorithm"));
  }
  if (setup.history_months < 1 || setup.history_months > 120) {
    return InvalidInput("The involvement history period must be 1 to 120 months", at_field("history_months"));
  }
  for (const auto& q : setup.quotas) {
    Location where = at_field("quota");
    if (std::find(setup.categories.begin(), setup.categories.end(), q.category) == setup.categories.end()) {
      return InvalidInput("a quota names the category '" + q.category + "', which was not chosen", where);
    }
    if (q.min < 0 || q.max < 0) return InvalidInput(q.category + " " + q.value + ": quotas cannot be negative", where);
    if (q.min > q.max) {
      return InvalidInput(q.category + " " + q.value + ": the minimum " + std::to_string(q.min) +
                              " is more than the maximum " + std::to_string(q.max),
                          where);
    }
  }
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  Transaction tx(**c, TransactionMode::kWrite);
  if (!tx.status().ok()) return tx.status();
  auto pool = load_candidates(**c, clock_, org, group_id, setup, false);
  if (!pool.ok()) return pool.status();
  auto members = load_candidates(**c, clock_, org, group_id, setup, true);
  if (!members.ok()) return members.status();
  int places = group->size - static_cast<int>(members->size());
  if (places <= 0) return InvalidInput("The group is full: every place is taken or has an invitation out");
  if (static_cast<int>(pool->size()) < places) {
    return InvalidInput("Only " + std::to_string(pool->size()) + " eligible people for " + std::to_string(places) +
                        " places. Widen who is eligible or add people to the pool.");
  }
  json ids = json::array(), values = json::array(), already = json::array();
  for (const auto* list : {&*members, &*pool}) {
    for (const auto& p : *list) {
      ids.push_back(p.id);
      json row = json::array();
      for (const auto& key : setup.categories) row.push_back(value_of(p, key));
      values.push_back(row);
    }
  }
  for (const auto& m : *members) already.push_back(m.id);
  json snapshot = {{"person_ids", ids}, {"values", values}, {"already", already}};
  std::string now = format_timestamp(clock_.now());
  auto ins = (*c)->query(
      "INSERT INTO recruitment_rounds (group_id, organisation_id, status, places, setup, snapshot, seed, tickets,"
      " created_by, created_at, updated_at, algorithm)"
      " VALUES ($1, $2, 'ready', $3, $4, $5, $6, $7, $8, $9, $9, $10) RETURNING id",
      {group_id, org, places, setup_json(setup).dump(), snapshot.dump(), static_cast<long long>(seed & 0x7fffffffffffffffULL),
       kTickets, actor.user_id, now, std::string(selection::algorithm_name(setup.algorithm))});
  if (!ins.ok()) return ins.status();
  int64_t id = ins->front().integer(0);
  if (Status s = audit(**c, clock_, org, actor, "round.create", id); !s.ok()) return s;
  if (Status s = tx.commit(); !s.ok()) return s;
  return id;
}

StatusOr<Round> Recruitment::get(int64_t org, int64_t round_id) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  auto row = (*c)->query_one(std::string("SELECT ") + kRoundColumns +
                                 " FROM recruitment_rounds WHERE id = $1 AND organisation_id = $2",
                             {round_id, org});
  if (!row.ok()) {
    if (row.status().code() == StatusCode::kNotFound) return NotFound("There is no such recruitment round");
    return row.status();
  }
  return round_from_row(*row);
}

StatusOr<std::vector<Round>> Recruitment::rounds(int64_t org, int64_t group_id) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  auto rows = (*c)->query(std::string("SELECT ") + kRoundColumns +
                              " FROM recruitment_rounds WHERE group_id = $1 AND organisation_id = $2 ORDER BY id DESC",
                          {group_id, org});
  if (!rows.ok()) return rows.status();
  std::vector<Round> out;
  for (const auto& r : *rows) out.push_back(round_from_row(r));
  return out;
}

Status Recruitment::queue(int64_t org, int64_t round_id) {
  // The round and the job that will run it are saved together, so a queued
  // round always has a job any server process can take up.
  return store::in_write_transaction(db_, [&](store::Connection& c) -> Status {
    auto upd = c.execute(
        "UPDATE recruitment_rounds SET status = 'queued', progress = 'Waiting to start', updated_at = $1"
        " WHERE id = $2 AND organisation_id = $3 AND status IN ('ready', 'failed')",
        {format_timestamp(clock_.now()), round_id, org});
    if (!upd.ok()) return upd.status();
    if (*upd != 1) return InvalidInput("This round has already been run");
    // A draw must not start again part-way: one attempt.
    auto job = jobs::Jobs(db_, clock_).enqueue(c, org, kRunJob, round_id, 1);
    return job.ok() ? Status::Ok() : job.status();
  });
}

Status Recruitment::set_progress(int64_t round_id, const std::string& text) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  auto upd = (*c)->execute("UPDATE recruitment_rounds SET progress = $1, updated_at = $2 WHERE id = $3",
                           {text, format_timestamp(clock_.now()), round_id});
  return upd.ok() ? Status::Ok() : upd.status();
}

Status Recruitment::run(int64_t org, int64_t round_id) {
  auto round = get(org, round_id);
  if (!round.ok()) return round.status();
  auto group = Groups(db_, clock_).get(org, round->group_id);
  if (!group.ok()) return group.status();
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  auto started = (*c)->execute(
      "UPDATE recruitment_rounds SET status = 'running', progress = 'Starting', updated_at = $1 WHERE id = $2"
      " AND status = 'queued'",
      {format_timestamp(clock_.now()), round_id});
  if (!started.ok()) return started.status();
  if (*started != 1) return InvalidInput("This round is not waiting to run");

  selection::Problem problem = build_problem(*round, group->size);
  selection::SelectOptions options;
  options.algorithm = round->setup.algorithm;
  options.seed = round->seed;
  options.lottery = round->tickets;
  options.lottery_seconds = 5.0;
  auto last = std::chrono::steady_clock::now();
  const auto deadline = last + time_limit_;
  options.should_stop = [deadline] { return std::chrono::steady_clock::now() >= deadline; };
  options.progress = [&](const selection::LeximinProgress& p) {
    auto now = std::chrono::steady_clock::now();
    if (now - last < std::chrono::milliseconds(500)) return;
    last = now;
    (void)set_progress(round_id, progress_text(options.algorithm, p));
  };
  selection::Diagnosis diagnosis;
  auto outcome = selection::run_selection(problem, options, &diagnosis);
  json result;
  std::string status;
  // The engine fills the diagnosis only when no panel meets the quotas;
  // any other refusal (options it does not take) is a failure to report.
  bool diagnosed = !diagnosis.conflicts.empty() || !diagnosis.relaxation.empty() || diagnosis.relaxation_found;
  if (!outcome.ok()) {
    if (outcome.status().code() != StatusCode::kInvalidInput || !diagnosed) {
      status = "failed";
      result = {{"message", outcome.status().message()}};
    } else {
      status = "infeasible";
      result = {{"message", outcome.status().message()},
                {"conflicts", diagnosis.conflicts},
                {"relaxation", selection::describe(problem, diagnosis.relaxation)},
                {"relaxation_found", diagnosis.relaxation_found}};
    }
  } else {
    status = "done";
    const auto& ids = round->snapshot["person_ids"];
    json probabilities = json::object();
    for (size_t i = 0; i < ids.size(); ++i) {
      probabilities[std::to_string(ids[i].get<int64_t>())] = outcome->lottery ? outcome->lottery->probability[i]
                                                                               : outcome->probability[i];
    }
    json exact = json::object();
    for (size_t i = 0; i < ids.size(); ++i) exact[std::to_string(ids[i].get<int64_t>())] = outcome->probability[i];
    json tickets = json::array();
    if (outcome->lottery) {
      for (const auto& panel : outcome->lottery->tickets) {
        json members = json::array();
        for (int person : panel) members.push_back(ids[static_cast<size_t>(person)]);
        tickets.push_back(members);
      }
    }
    const auto& f = outcome->fairness;
    result = {{"probabilities", probabilities},
              {"exact_probabilities", exact},
              {"fairness", {{"minimum", f.minimum}, {"maximum", f.maximum}, {"mean", f.mean}, {"gini", f.gini},
                            {"geometric_mean", f.geometric_mean}}},
              {"largest_shift", outcome->lottery ? outcome->lottery->largest_shift : 0.0},
              {"tickets", tickets},
              {"seed_ticket", outcome->ticket},
              {"types", outcome->types},
              {"panels", outcome->distribution.panels.size()},
              {"seconds", outcome->seconds.total},
              {"algorithm", selection::algorithm_name(outcome->algorithm)},
              {"complete", outcome->leximin_complete},
              {"proven_gap", outcome->proven_gap},
              {"proven_by", selection::proven_by(*outcome)},
              {"probability_levels", outcome->probability_levels},
              {"panels_kept", outcome->panels_kept},
              {"panels_generated", outcome->panels_generated},
              {"stages", outcome->stages}};
  }
  // Only a round still running takes the result: one given up on while
  // this run was slow (and perhaps run again, drawn and invited since) is
  // left as it is.
  auto done = (*c)->execute(
      "UPDATE recruitment_rounds SET status = $1, result = $2, progress = '', updated_at = $3"
      " WHERE id = $4 AND status = 'running'",
      {status, result.dump(), format_timestamp(clock_.now()), round_id});
  if (!done.ok()) return done.status();
  if (*done == 0) return Conflict("The round stopped running before its result was ready, so the result was not kept");
  return Status::Ok();
}

Status Recruitment::draw(int64_t org, int64_t round_id, std::optional<int> ticket, const Actor& actor) {
  auto round = get(org, round_id);
  if (!round.ok()) return round.status();
  if (round->status == "drawn" || round->status == "invited") return Conflict("This round has already been drawn");
  if (round->status != "done") return InvalidInput("Run the selection before drawing");
  int chosen = ticket.value_or(round->result.value("seed_ticket", 0));
  if (chosen < 1 || chosen > round->tickets) {
    Location where = at_field("ticket");
    return InvalidInput("Enter a ticket number from 1 to " + std::to_string(round->tickets), where);
  }
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  Transaction tx(**c, TransactionMode::kWrite);
  if (!tx.status().ok()) return tx.status();
  auto upd = (*c)->execute(
      "UPDATE recruitment_rounds SET status = 'drawn', drawn_ticket = $1, updated_at = $2 WHERE id = $3 AND status = 'done'",
      {chosen, format_timestamp(clock_.now()), round_id});
  if (!upd.ok()) return upd.status();
  // Another request drew it between the read above and this write: only
  // the first draw counts.
  if (*upd == 0) return Conflict("This round has already been drawn");
  if (Status s = audit(**c, clock_, org, actor, ticket ? "round.draw-public" : "round.draw-seed", round_id); !s.ok()) {
    return s;
  }
  return tx.commit();
}

Status Recruitment::invite(int64_t org, int64_t round_id, const Actor& actor) {
  auto round = get(org, round_id);
  if (!round.ok()) return round.status();
  if (round->status == "invited") return Conflict("This panel has already been invited");
  if (round->status != "drawn" || !round->drawn_ticket) return InvalidInput("Draw the panel before inviting");
  return store::in_write_transaction(db_, [&](Connection& c) -> Status {
    auto invited = invite_in(c, org, round_id, actor);
    return invited.ok() ? Status::Ok() : invited.status();
  });
}

StatusOr<std::vector<int64_t>> Recruitment::invite_in(Connection& c, int64_t org, int64_t round_id,
                                                      const Actor& actor) {
  auto round = get(org, round_id);
  if (!round.ok()) return round.status();
  if (round->status == "invited") return Conflict("This panel has already been invited");
  if (round->status != "drawn" || !round->drawn_ticket) return InvalidInput("Draw the panel before inviting");
  const json& panel = round->result["tickets"][static_cast<size_t>(*round->drawn_ticket - 1)];
  std::set<int64_t> already;
  for (const auto& a : round->snapshot["already"]) already.insert(a.get<int64_t>());
  std::string now = format_timestamp(clock_.now());
  // The round moves on first, and only from 'drawn': of several requests
  // at once, one invites and the others are told it is done.
  auto upd = c.execute("UPDATE recruitment_rounds SET status = 'invited', updated_at = $1 WHERE id = $2 AND status = 'drawn'",
                       {now, round_id});
  if (!upd.ok()) return upd.status();
  if (*upd == 0) return Conflict("This panel has already been invited");
  // The places are counted again: another round for this group may have
  // invited people since this one was made, and a group never has more
  // people invited or taking part than it has places.
  auto places = c.query_one(
      "SELECT g.size, (SELECT COUNT(*) FROM group_members m WHERE m.group_id = g.id"
      " AND m.status IN ('invited', 'accepted')) FROM groups g WHERE g.id = $1",
      {round->group_id});
  if (!places.ok()) return places.status();
  int64_t newcomers = 0;
  for (const auto& p : panel) newcomers += already.count(p.get<int64_t>()) ? 0 : 1;
  if (places->integer(1) + newcomers > places->integer(0)) {
    return Conflict("Another round has invited people to this group since this round was made, so its " +
                    std::to_string(newcomers) + " places are no longer free. Start a new round for the places left");
  }
  std::vector<int64_t> invited;
  for (const auto& p : panel) {
    int64_t person = p.get<int64_t>();
    if (already.count(person)) continue;
    auto ins = c.execute(
        "INSERT INTO group_members (group_id, person_id, round_id, status, invited_at) VALUES ($1, $2, $3, 'invited', $4)",
        {round->group_id, person, round_id, now});
    if (!ins.ok()) return ins.status();
    invited.push_back(person);
  }
  if (Status s = audit(c, clock_, org, actor, "round.invite", round_id); !s.ok()) return s;
  return invited;
}

StatusOr<int64_t> Recruitment::replacement_round(int64_t org, int64_t group_id, uint64_t seed, const Actor& actor) {
  auto previous = rounds(org, group_id);
  if (!previous.ok()) return previous.status();
  if (previous->empty()) return InvalidInput("There is no earlier round to take the quotas from");
  return create_round(org, group_id, previous->front().setup, seed, actor);
}

Status Recruitment::fail_interrupted(int64_t round_id, const std::string& reason) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  auto upd = (*c)->execute(
      "UPDATE recruitment_rounds SET status = 'failed', progress = '', result = $1, updated_at = $2"
      " WHERE id = $3 AND status IN ('queued', 'running')",
      {json{{"message", reason + " Run it again."}}.dump(), format_timestamp(clock_.now()), round_id});
  return upd.ok() ? Status::Ok() : upd.status();
}

}  // namespace coproduce::involvement
