#include "learning/imports.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <unordered_map>

#include "core/csv.h"
#include "core/dates.h"
#include "core/text.h"
#include "involvement/people.h"
#include "learning/ascwds.h"
#include "learning/content.h"
#include "learning/learning.h"

namespace coproduce::learning {
namespace {

using store::Connection;

std::string folded(std::string_view text) {
  std::string out = trim_copy(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Where a header is in a file, for problems found after reading it: the
// column's number from 1, or 0 when the file has no such column.
long column_of(std::string_view text, std::string_view name) {
  size_t end = text.find('\n');
  auto header = csv::parse(text.substr(0, end == std::string_view::npos ? text.size() : end + 1));
  if (!header.ok()) return 0;
  auto i = header->column(name);
  return i ? static_cast<long>(*i) + 1 : 0;
}

struct Known {
  int64_t id = 0;
  WorkerInput details;
};

void keep_problem(ImportSummary& s, Location where, std::string message) {
  if (s.problems.size() < kMaxImportProblems) s.problems.push_back({std::move(where), std::move(message)});
}

// The files as read, before anything is written.
struct ReadFiles {
  ascwds::WorkerFile workers;
  ascwds::TrainingFile training;
};

// Reads `files` into `out`'s columns and problems.
ReadFiles read_files(const AscwdsFiles& files, ImportSummary& out) {
  ReadFiles read;
  if (!files.workers_name.empty()) {
    std::vector<ImportProblem> found;
    read.workers = ascwds::read_workers(files.workers_text, files.workers_name, &found);
    out.problems = std::move(found);
    out.worker_columns_read = read.workers.columns_read;
    out.worker_columns_ignored = read.workers.columns_ignored;
    out.workers_deleted_rows = read.workers.deleted;
  }
  if (!files.training_name.empty()) {
    std::vector<ImportProblem> found;
    read.training = ascwds::read_training(files.training_text, files.training_name, &found);
    for (auto& p : found)
      if (out.problems.size() < kMaxImportProblems) out.problems.push_back(std::move(p));
    out.training_columns_read = read.training.columns_read;
    out.training_columns_ignored = read.training.columns_ignored;
  }
  return read;
}

// Writes what was read on `c`, inside the caller's write transaction, and
// counts it in `out`. Problems found on the way are added to `out`: the
// caller must then roll back, as part of the files may have been written.
Status write_files(Connection& c, const Clock& clock, int64_t org, const AscwdsFiles& files, const ReadFiles& read,
                   const Actor& actor, ImportSummary& out) {
  const ascwds::WorkerFile& workers = read.workers;
  const ascwds::TrainingFile& training = read.training;
  std::string now = format_timestamp(clock.now()), today = now.substr(0, 10);

  // The workforce as it is, by worker ID.
  std::unordered_map<std::string, Known> known;
  auto rows = c.query("SELECT id, worker_id, name, workplace, job_role, team, role_category, closeness, started_on,"
                      " COALESCE(left_on, ''), care_certificate, email FROM workers WHERE organisation_id = $1",
                      {org});
  if (!rows.ok()) return rows.status();
  for (const auto& r : *rows)
    known[r.text(1)] = {r.integer(0), {r.text(1), r.text(2), r.text(3), r.text(4), r.text(5), r.text(6), r.text(7),
                                       r.text(8), r.text(9), r.text(10), r.text(11)}};

  // Coproduce keeps one record per worker ID in an organisation; ASC-WDS
  // allows the same ID at two workplaces. Such a file is refused, not merged.
  {
    std::map<std::string, const ascwds::WorkerRow*> first;
    long id_column = column_of(files.workers_text, "UNIQUEWORKERID");
    for (const auto& row : workers.rows) {
      auto [it, added] = first.emplace(row.input.worker_id, &row);
      if (!added)
        keep_problem(out, {files.workers_name, row.line, id_column, ""},
                     "The worker ID " + row.input.worker_id + " is also used at workplace " +
                         it->second->input.workplace + " (line " + std::to_string(it->second->line) +
                         "). Coproduce needs each worker ID to be used once in the organisation: give one of "
                         "them another ID");
    }
    if (!out.problems.empty()) return Status::Ok();
  }
  for (const auto& row : workers.rows) {
    WorkerInput in = row.input;
    auto it = known.find(in.worker_id);
    if (it == known.end()) {
      auto added = c.query_one(
          "INSERT INTO workers (organisation_id, worker_id, name, workplace, job_role, team, role_category, closeness,"
          " started_on, left_on, care_certificate, email, created_at, updated_at)"
          " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id",
          {org, in.worker_id, in.name, in.workplace, in.job_role, in.team, in.role_category, in.closeness,
           in.started_on, in.left_on.empty() ? store::Value() : store::Value(in.left_on),
           in.care_certificate.empty() ? "not_started" : in.care_certificate, in.email, now});
      if (!added.ok()) return added.status();
      int64_t id = added->integer(0);
      if (Status s = involvement::record_action(c, clock, org, actor, "worker.create", "worker", id); !s.ok()) return s;
      known[in.worker_id] = {id, in};
      ++out.workers_added;
      continue;
    }
    // What ASC-WDS does not hold (team, leaving date, email) is kept; a name
    // the file only stood in with the worker ID for is kept too.
    const WorkerInput& was = it->second.details;
    if (in.name == in.worker_id && !was.name.empty()) in.name = was.name;
    in.team = was.team;
    in.left_on = was.left_on;
    in.email = was.email;
    if (in.care_certificate.empty()) in.care_certificate = was.care_certificate;
    auto upd = c.execute(
        "UPDATE workers SET name = $1, workplace = $2, job_role = $3, role_category = $4, closeness = $5,"
        " started_on = $6, care_certificate = $7, updated_at = $8 WHERE id = $9",
        {in.name, in.workplace, in.job_role, in.role_category, in.closeness, in.started_on, in.care_certificate, now,
         it->second.id});
    if (!upd.ok()) return upd.status();
    if (Status s = involvement::record_action(c, clock, org, actor, "worker.update", "worker", it->second.id);
        !s.ok())
      return s;
    it->second.details = in;
    ++out.workers_updated;
  }

  if (!training.rows.empty()) {
    if (Status s = ensure_starter_module(c, clock, org); !s.ok()) return s;
    std::map<std::string, int64_t> modules;  // folded title -> id
    auto mods = c.query("SELECT id, title FROM learning_modules WHERE organisation_id = $1", {org});
    if (!mods.ok()) return mods.status();
    for (const auto& r : *mods) modules[folded(r.text(1))] = r.integer(0);
    std::set<std::tuple<int64_t, int64_t, std::string>> recorded;
    auto done = c.query("SELECT worker_ref, module_id, completed_on FROM learning_completions WHERE organisation_id = $1",
                        {org});
    if (!done.ok()) return done.status();
    for (const auto& r : *done) recorded.insert({r.integer(0), r.integer(1), r.text(2)});
    const std::string& file = files.training_name;
    long id_column = column_of(files.training_text, "UNIQUEWORKERID");
    long date_column = column_of(files.training_text, "DATECOMPLETED");
    std::set<std::string> other;
    for (const auto& t : training.rows) {
      auto m = modules.find(folded(t.name));
      if (m == modules.end()) {
        ++out.training_other;
        if (other.size() < 10) other.insert(t.name);
        continue;
      }
      auto w = known.find(t.worker_id);
      if (w == known.end()) {
        keep_problem(out, {file, t.line, id_column, ""},
                     "There is no worker with the ID '" + t.worker_id +
                         "'. Add them, or send the worker file with the training file");
        continue;
      }
      if (t.completed_on.empty()) {
        keep_problem(out, {file, t.line, date_column, ""},
                     "Give the date " + w->second.details.name + " completed '" + t.name + "'");
        continue;
      }
      if (t.completed_on > today) {
        keep_problem(out, {file, t.line, date_column, ""}, "The completion date " + t.completed_on + " is in the future");
        continue;
      }
      if (t.completed_on < w->second.details.started_on) {
        keep_problem(out, {file, t.line, date_column, ""},
                     "The completion date " + t.completed_on + " is before this worker started on " +
                         w->second.details.started_on);
        continue;
      }
      if (!recorded.insert({w->second.id, m->second, t.completed_on}).second) {
        ++out.completions_known;
        continue;
      }
      std::string how = t.how_delivered.empty() ? t.who_delivered : t.how_delivered;
      auto ins = c.execute(
          "INSERT INTO learning_completions (organisation_id, worker_ref, module_id, completed_on, source, provider,"
          " how_delivered, created_by, created_at) VALUES ($1, $2, $3, $4, 'import', $5, $6, $7, $8)",
          {org, w->second.id, m->second, t.completed_on, t.provider, how, actor.user_id, now});
      if (!ins.ok()) return ins.status();
      if (Status s = involvement::record_action(c, clock, org, actor, "worker.completion", "worker", w->second.id);
          !s.ok())
        return s;
      ++out.completions_added;
    }
    out.other_training.assign(other.begin(), other.end());
  }
  return Status::Ok();
}

}  // namespace

StatusOr<ImportSummary> import_ascwds(store::Database& db, const Clock& clock, int64_t org, const AscwdsFiles& files,
                                      bool commit, const Actor& actor) {
  if (files.workers_name.empty() && files.training_name.empty())
    return InvalidInput("Choose an ASC-WDS worker file, a training file, or both", Location{"", 0, 0, "workers"});
  ImportSummary out;
  ReadFiles read = read_files(files, out);
  if (!out.problems.empty()) return out;
  auto conn = db.connection();
  if (!conn.ok()) return conn.status();
  store::Transaction tx(**conn, store::TransactionMode::kWrite);
  if (!tx.status().ok()) return tx.status();
  if (Status s = write_files(**conn, clock, org, files, read, actor, out); !s.ok()) return s;
  if (!out.problems.empty() || !commit) return out;  // the transaction rolls back
  if (Status s = tx.commit(); !s.ok()) return s;
  return out;
}

StatusOr<AscwdsExport> export_ascwds(store::Database& db, const Clock& clock, int64_t org, const Actor& actor) {
  return store::in_write_transaction(db, [&](Connection& c) -> StatusOr<AscwdsExport> {
    std::string today = format_timestamp(clock.now()).substr(0, 10);
    auto rows = c.query(
        "SELECT id, worker_id, name, workplace, job_role, team, role_category, closeness, started_on,"
        " COALESCE(left_on, ''), care_certificate, email FROM workers WHERE organisation_id = $1"
        " AND (left_on IS NULL OR left_on >= $2) ORDER BY workplace, worker_id",
        {org, today});
    if (!rows.ok()) return rows.status();
    std::vector<WorkerInput> workers;
    std::unordered_map<int64_t, std::pair<std::string, std::string>> ids;  // id -> workplace, worker ID
    for (const auto& r : *rows) {
      workers.push_back({r.text(1), r.text(2), r.text(3), r.text(4), r.text(5), r.text(6), r.text(7), r.text(8),
                         r.text(9), r.text(10), r.text(11)});
      ids[r.integer(0)] = {r.text(3), r.text(1)};
    }
    auto done = c.query(
        "SELECT c.worker_ref, m.title, c.completed_on, c.source, c.provider, c.how_delivered, m.refresh_months"
        " FROM learning_completions c JOIN learning_modules m ON m.id = c.module_id"
        " WHERE c.organisation_id = $1 ORDER BY c.worker_ref, c.completed_on, c.id",
        {org});
    if (!done.ok()) return done.status();
    std::vector<ascwds::TrainingRow> training;
    for (const auto& r : *done) {
      auto w = ids.find(r.integer(0));
      if (w == ids.end()) continue;  // a leaver: not in the worker file
      ascwds::TrainingRow t;
      t.workplace = w->second.first;
      t.worker_id = w->second.second;
      t.category = std::string(ascwds::kCoproductionTrainingCategory);
      t.name = r.text(1);
      std::string source = r.text(3);
      t.who_delivered = source == "elearning" || source == "session" ? "In-house staff" : "";
      t.how_delivered = source == "elearning" ? "E-learning" : source == "session" ? "Face to face" : "";
      t.completed_on = r.text(2);
      if (!r.is_null(6)) t.expires_on = add_days(add_months(t.completed_on, static_cast<int>(r.integer(6))), -1);
      t.notes = "Co-production learning recorded in Coproduce";
      training.push_back(std::move(t));
    }
    if (Status s = involvement::record_action(c, clock, org, actor, "workforce.export", "organisation", org); !s.ok())
      return s;
    AscwdsExport out;
    out.workers_csv = ascwds::write_workers(workers);
    out.training_csv = ascwds::write_training(training);
    out.workers = static_cast<int>(workers.size());
    out.completions = static_cast<int>(training.size());
    return out;
  });
}

StatusOr<int64_t> save_pending_import(store::Database& db, const Clock& clock, int64_t org, int64_t user_id,
                                      const AscwdsFiles& files) {
  return store::in_write_transaction(db, [&](Connection& c) -> StatusOr<int64_t> {
    // One waiting import per user: an older one is replaced.
    if (auto d = c.execute("DELETE FROM learning_pending_imports WHERE organisation_id = $1 AND user_id = $2",
                           {org, user_id});
        !d.ok())
      return d.status();
    auto row = c.query_one(
        "INSERT INTO learning_pending_imports (organisation_id, user_id, workers_name, workers_content, training_name,"
        " training_content, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        {org, user_id, files.workers_name, files.workers_text, files.training_name, files.training_text,
         format_timestamp(clock.now())});
    if (!row.ok()) return row.status();
    return row->integer(0);
  });
}

StatusOr<ConfirmedImport> confirm_pending_import(store::Database& db, const Clock& clock, int64_t org, int64_t user_id,
                                                 int64_t id, const Actor& actor) {
  auto conn = db.connection();
  if (!conn.ok()) return conn.status();
  Connection& c = **conn;
  store::Transaction tx(c, store::TransactionMode::kWrite);
  if (!tx.status().ok()) return tx.status();
  auto gone = [] { return NotFound("That import has already been confirmed or has expired. Upload the files again."); };
  auto row = c.query_one(
      "SELECT workers_name, workers_content, training_name, training_content FROM learning_pending_imports"
      " WHERE id = $1 AND organisation_id = $2 AND user_id = $3",
      {id, org, user_id});
  if (!row.ok()) return row.status().code() == StatusCode::kNotFound ? gone() : row.status();
  // Taking the waiting files in the import's own transaction makes confirming
  // them once only, however many confirmations arrive at once.
  auto taken = c.execute("DELETE FROM learning_pending_imports WHERE id = $1 AND organisation_id = $2 AND user_id = $3",
                         {id, org, user_id});
  if (!taken.ok()) return taken.status();
  if (*taken != 1) return gone();
  ConfirmedImport out;
  out.files = {row->text(0), row->text(1), row->text(2), row->text(3)};
  if (out.files.workers_name.empty() && out.files.training_name.empty()) return gone();
  ReadFiles read = read_files(out.files, out.summary);
  if (!out.summary.problems.empty()) return out;  // rolls back: the files still wait
  if (Status s = write_files(c, clock, org, out.files, read, actor, out.summary); !s.ok()) return s;
  if (!out.summary.problems.empty()) return out;  // likewise
  if (Status s = tx.commit(); !s.ok()) return s;
  return out;
}

}  // namespace coproduce::learning
