#include "collection/response_import.h"

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <map>
#include <set>
#include <tuple>

#include "collection/flow.h"
#include "collection/responses.h"
#include "core/csv.h"
#include "security/audit.h"
#include "survey/responses.h"

namespace coproduce::collection {
namespace {

using survey::Question;
using survey::QuestionType;
using survey::Questionnaire;

std::string join_fields(const std::vector<std::string>& fields) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + csv::quote(fields[i]);
  return out;
}


// One row of a repeat, waiting for its number among its response's.
struct Instance {
  int given = 0;     // the number the file gives it, 0 for none
  Location where;    // its row, in the person's own file
  Answers answers;   // by the repeat's question codes
};

// The rows of a repeat's table, checked as a response's cells are (with
// the survey module's own reader, one row at a time); each problem moved
// to the person's own file by `place`.
void check_rows(const RepeatConversion& rc, const Questionnaire& sub,
                const std::function<Location(const Location&)>& place, std::vector<ImportProblem>& problems,
                std::vector<std::vector<std::string>>& rows, std::vector<std::string>& header) {
  csv::ReadOptions options;
  options.file_name = rc.rows.file_name;
  auto table = csv::parse(rc.rows.csv, options);
  if (!table.ok()) {
    problems.push_back({place(rc.rows.in_file(table.status().where())), table.status().message()});
    return;
  }
  header = table->header;
  survey::ReadOptions read;
  read.file_name = rc.rows.file_name;
  read.threads = 1;
  const std::string head = join_fields(table->header);
  for (const auto& row : table->rows) {
    if (problems.size() >= kMaxImportProblems) break;
    auto checked = survey::parse_responses(head + "\n" + join_fields(row.fields) + "\n", sub, read);
    if (!checked.ok()) {
      Location where = checked.status().where();
      where.line = row.line;
      problems.push_back({place(rc.rows.in_file(where)), checked.status().message()});
    }
  }
  for (auto& row : table->rows) rows.push_back(std::move(row.fields));
}

// Adds the responses of `layout` (CSV in the export layout, already
// checked) with the instances of their repeats, in one transaction; the
// ids are checked again there, as import_csv does.
Status add_with_repeats(store::Database& db, const Clock& clock, const Survey& s, const Questionnaire& q,
                        std::string_view layout, const std::map<std::string, Answers>& repeats,
                        const std::string& file_name, const Actor& actor, std::vector<ImportProblem>& problems) {
  csv::ReadOptions options;
  options.file_name = file_name;
  auto table = csv::parse(layout, options);
  if (!table.ok()) return table.status();
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < table->header.size(); ++i) index[table->header[i]] = i;
  auto cell = [&](const csv::Row& row, const std::string& name) {
    auto it = index.find(name);
    return it == index.end() || it->second >= row.fields.size() ? std::string()
                                                                : std::string(csv::trim(row.fields[it->second]));
  };
  Status st = store::in_write_transaction(db, [&](store::Connection& c) -> Status {
    auto taken = c.query("SELECT COALESCE(external_id, CAST(id AS TEXT)) FROM survey_responses WHERE survey_id = $1",
                         {s.id});
    if (!taken.ok()) return taken.status();
    std::set<std::string> ids;
    for (const auto& r : *taken) ids.insert(r.text(0));
    for (const auto& row : table->rows) {
      if (ids.count(cell(row, "id"))) {
        Location where;
        where.file = file_name;
        problems.push_back({where, "the id '" + cell(row, "id") + "' was added to this survey by another import just now"});
      }
    }
    if (!problems.empty()) return Conflict("some ids were taken by another import");
    const std::string now = format_timestamp(clock.now());
    for (const auto& row : table->rows) {
      const std::string id = cell(row, "id"), submitted = cell(row, "submitted_at");
      Answers answers = layout_answers(q, index, row.fields);
      if (auto it = repeats.find(id); it != repeats.end()) {
        for (const auto& [key, answer] : it->second) answers[key] = answer;
      }
      auto ins = c.execute(
          "INSERT INTO survey_responses (survey_id, external_id, started_at, updated_at, last_page, submitted_at,"
          " answers, source, language) VALUES ($1, $2, $3, $4, $5, $6, $7, 'import', $8)",
          {s.id, id, cell(row, "started_at"), now, std::stoll(cell(row, "last_page")),
           submitted.empty() ? store::Value() : store::Value(submitted), answers_to_json(answers).dump(),
           cell(row, "language")});
      if (!ins.ok()) return ins.status();
    }
    return security::record_audit(c, clock, {s.organisation_id, actor.user_id, "survey.responses.import", "survey",
                                             std::to_string(s.id), actor.address});
  });
  if (!st.ok() && problems.empty()) return st;
  return Status::Ok();
}

// A repeat whose count is asked before it (repeat_count ${how_many}): each
// response's answer to that question must be the number of rows the
// repeat's files give it. Problems at the count's cell of `layout` (the
// main file in Coproduce's layout, named `file_name`).
std::vector<ImportProblem> count_problems(const Questionnaire& q, std::string_view layout, const std::string& file_name,
                                          const std::vector<RepeatRead>& read,
                                          const std::map<std::string, Answers>& repeats) {
  std::vector<ImportProblem> out;
  csv::ReadOptions options;
  options.file_name = file_name;
  auto table = csv::parse(layout, options);
  if (!table.ok()) return out;
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < table->header.size(); ++i) index[table->header[i]] = i;
  auto cell = [&](const csv::Row& row, size_t i) {
    return i >= row.fields.size() ? std::string() : std::string(csv::trim(row.fields[i]));
  };
  for (const survey::Repeat& repeat : q.repeats) {
    if (repeat.count_question < 0) continue;
    // Only a repeat whose rows came with the file can be compared.
    if (std::none_of(read.begin(), read.end(), [&](const RepeatRead& r) { return r.code == repeat.code; })) continue;
    const std::string& counted = q.questions[static_cast<size_t>(repeat.count_question)].code;
    auto id_col = index.find("id");
    auto count_col = index.find(counted);
    if (id_col == index.end() || count_col == index.end()) continue;
    for (const csv::Row& row : table->rows) {
      // What the response's own answers make the count (collection/flow.h).
      const long expected = instance_count(repeat, q, layout_answers(q, index, row.fields));
      long given = 0;
      if (auto it = repeats.find(cell(row, id_col->second)); it != repeats.end()) {
        if (auto c = it->second.find(repeat.code); c != it->second.end() && !c->second.values.empty()) {
          given = std::atol(c->second.values.front().c_str());
        }
      }
      if (given == expected) continue;
      const std::string said = cell(row, count_col->second);
      Location where;
      where.file = file_name;
      where.line = row.line;
      where.column = static_cast<long>(count_col->second) + 1;
      where.field = counted;
      out.push_back({where, "the response '" + cell(row, id_col->second) + "' answers " + counted + " with " +
                                (said.empty() ? "nothing" : "'" + said + "'") + ", which makes " +
                                std::to_string(expected) + " of " + repeat.code + ", but the files give it " +
                                std::to_string(given) + ": the count and the rows must agree"});
    }
  }
  return out;
}

}  // namespace

RepeatAnswers read_repeats(const Questionnaire& q, const SourceTable& main_table, const Conversion& main,
                           const std::vector<ImportFile>& repeat_files) {
  RepeatAnswers out;
  // The repeats' rows: the workbook's sheets, the further files, and the
  // wide columns of the main file; each row tied to its response.
  std::vector<std::vector<Instance>> found(q.repeats.size());  // by repeat, in file order
  std::vector<std::map<std::string, std::vector<size_t>>> by_response(q.repeats.size());
  auto take = [&](const SourceTable& rows_table, const std::function<Location(const Location&)>& place) {
    // Until the main file's rows are understood, no row can be tied to one.
    if (!main.checkable) return;
    RepeatConversion rc = convert_repeat(rows_table, q, main_table, main);
    for (const auto& p : rc.rows.problems) out.problems.push_back({place(p.where), p.message});
    if (!rc.repeat || !rc.rows.checkable) return;
    const size_t r = *rc.repeat;
    auto sub = repeat_questionnaire(q, r);
    if (!sub.ok()) return;
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> header;
    check_rows(rc, *sub, place, out.problems, rows, header);
    std::map<std::string, size_t> index;
    for (size_t i = 0; i < header.size(); ++i) index[header[i]] = i;
    RepeatRead* read = nullptr;
    for (auto& x : out.read) read = x.code == q.repeats[r].code ? &x : read;
    if (!read) {
      out.read.push_back({q.repeats[r].code, q.repeats[r].label, 0, {}});
      read = &out.read.back();
    }
    read->rows += static_cast<int64_t>(rc.parents.size());
    if (std::find(read->files.begin(), read->files.end(), rows_table.file_name) == read->files.end()) {
      read->files.push_back(rows_table.file_name);
    }
    for (size_t i = 0; i < rc.parents.size() && i < rows.size(); ++i) {
      const long line = i < rc.rows.row_lines.size() ? rc.rows.row_lines[i] : 0;
      Location where;
      if (rc.number_column >= 0) {
        where = rows_table.where(line, static_cast<size_t>(rc.number_column));
      } else {
        where.file = rows_table.file_name;
        where.line = line;
      }
      if (rc.parents[i].empty()) continue;
      by_response[r][rc.parents[i]].push_back(found[r].size());
      found[r].push_back({rc.numbers[i], place(where), layout_answers(*sub, index, rows[i])});
    }
  };
  auto as_is = [](const Location& at) { return at; };
  for (const SourceTable& sheet : main_table.repeat_sheets) take(sheet, as_is);
  for (const ImportFile& file : repeat_files) {
    auto rows_table = read_source_table(file.bytes, file.name, kMaxImportRows);
    if (!rows_table.ok()) {
      out.problems.push_back({rows_table.status().where(), rows_table.status().message()});
      continue;
    }
    take(*rows_table, as_is);
    for (const SourceTable& sheet : rows_table->repeat_sheets) take(sheet, as_is);
  }
  for (const WideRepeat& w : main.wide) {
    take(w.table, [&](const Location& at) { return w.in_file(at, main_table); });
  }

  // Each response's instances numbered 1, 2, ... in the order the files
  // give (ODK's [n], Coproduce's instance) or, when they give none, in
  // file order; the number of them kept under the repeat's code.
  for (size_t r = 0; r < q.repeats.size(); ++r) {
    const survey::Repeat& repeat = q.repeats[r];
    for (auto& [id, list] : by_response[r]) {
      const bool numbered = std::all_of(list.begin(), list.end(), [&](size_t i) { return found[r][i].given > 0; });
      if (numbered) {
        std::stable_sort(list.begin(), list.end(),
                         [&](size_t a, size_t b) { return found[r][a].given < found[r][b].given; });
        for (size_t k = 1; k < list.size(); ++k) {
          if (found[r][list[k]].given == found[r][list[k - 1]].given) {
            out.problems.push_back({found[r][list[k]].where,
                                    "the response '" + id + "' has two rows numbered " +
                                        std::to_string(found[r][list[k]].given) + " of " + repeat.code +
                                        ": each instance needs its own number"});
          }
        }
      }
      if (list.size() > static_cast<size_t>(repeat.max)) {
        out.problems.push_back({found[r][list[static_cast<size_t>(repeat.max)]].where,
                                "the response '" + id + "' has " + std::to_string(list.size()) + " rows of " +
                                    repeat.code + ", more than the " + std::to_string(repeat.max) +
                                    " the survey allows"});
      }
      Answers& answers = out.by_response[id];
      for (size_t k = 0; k < list.size(); ++k) {
        for (auto& [code, answer] : found[r][list[k]].answers) {
          answers[survey::instance_key(code, static_cast<int>(k) + 1)] = std::move(answer);
        }
      }
      answers[repeat.code] = survey::RawAnswer{{std::to_string(list.size())}, ""};
    }
  }

  return out;
}

StatusOr<ResponseImport> import_responses(store::Database& db, const Clock& clock, const Survey& s,
                                          const survey::Questionnaire& q, std::string_view bytes,
                                          const std::string& file_name, bool commit, const Actor& actor,
                                          const std::vector<ImportFile>& repeat_files) {
  ResponseImport out;
  out.spreadsheet = is_spreadsheet(bytes);
  auto own_csv = [&]() -> StatusOr<ResponseImport> {
    auto summary = import_csv(db, clock, s, q, bytes, file_name, commit, actor);
    if (!summary.ok()) return summary.status();
    out.summary = std::move(*summary);
    return out;
  };
  StatusOr<SourceTable> table = read_source_table(bytes, file_name, kMaxImportRows);
  if (!table.ok()) {
    // A comma-separated file goes on to the CSV import, which says what is
    // wrong with it as it always has.
    if (!out.spreadsheet && csv_separator(bytes) == ',') return own_csv();
    out.summary.problems.push_back({table.status().where(), table.status().message()});
    return out;
  }
  const std::optional<ResponseSource> source = detect_source(table->header);
  // Coproduce's own CSV goes to import_csv as it is.
  const bool own = !out.spreadsheet && table->separator == ',' && (!source || *source == ResponseSource::kCoproduce);
  const bool any_repeats = !repeat_files.empty() || !table->repeat_sheets.empty() ||
                           std::any_of(table->header.begin(), table->header.end(), [](const std::string& h) {
                             return h.find('[') != std::string::npos && h.find(']') != std::string::npos;
                           });
  if (own && !any_repeats) return own_csv();
  out.source = own ? ResponseSource::kCoproduce : source.value_or(ResponseSource::kCoproduce);
  Conversion conversion = convert_responses(*table, q, out.source);
  std::vector<ImportProblem> problems;
  if (!own) {
    out.ignored = conversion.ignored;
    out.id_column = conversion.id_column;
    out.started_column = conversion.started_column;
    out.submitted_column = conversion.submitted_column;
    problems = std::move(conversion.problems);
  }
  out.summary.rows = static_cast<int64_t>(table->rows.size());

  RepeatAnswers repeats = read_repeats(q, *table, conversion, repeat_files);
  for (auto& p : repeats.problems) problems.push_back(std::move(p));
  out.repeats = std::move(repeats.read);
  const std::map<std::string, Answers>& repeat_answers = repeats.by_response;

  // The main file, checked (and, when it has no repeats' rows, added) as
  // Coproduce's own; nothing is added while anything is wrong.
  const bool checkable = own || conversion.checkable;
  const std::string_view layout = own ? bytes : std::string_view(conversion.csv);
  if (checkable) {
    const bool add_now = commit && problems.empty() && repeat_answers.empty();
    auto checked = import_csv(db, clock, s, q, layout, file_name, add_now, actor);
    if (!checked.ok()) return checked.status();
    out.summary.rows = checked->rows;
    out.summary.complete = checked->complete;
    for (const auto& p : checked->problems) problems.push_back({own ? p.where : conversion.in_file(p.where), p.message});
    for (const auto& p : count_problems(q, layout, file_name, out.repeats, repeat_answers)) {
      problems.push_back({own ? p.where : conversion.in_file(p.where), p.message});
    }
    if (commit && problems.empty() && !repeat_answers.empty()) {
      if (Status st = add_with_repeats(db, clock, s, q, layout, repeat_answers, file_name, actor, problems); !st.ok()) {
        return st;
      }
    }
  }
  std::stable_sort(problems.begin(), problems.end(), [&](const ImportProblem& a, const ImportProblem& b) {
    // The main file's first, then the others' by name.
    return std::make_tuple(a.where.file != file_name, a.where.file, a.where.line, a.where.column) <
           std::make_tuple(b.where.file != file_name, b.where.file, b.where.line, b.where.column);
  });
  if (problems.size() > kMaxImportProblems) problems.resize(kMaxImportProblems);
  out.summary.problems = std::move(problems);
  return out;
}

}  // namespace coproduce::collection
