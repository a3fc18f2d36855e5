#include "collection/transfer.h"

#include "survey/export.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "collection/responses.h"
#include "core/csv.h"
#include "security/audit.h"
#include "survey/export.h"

namespace coproduce::collection {
namespace {

using store::Connection;
using survey::Question;
using survey::QuestionType;
using survey::Questionnaire;

std::string join_fields(const std::vector<std::string>& fields) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) out += ',';
    out += csv::quote(fields[i]);
  }
  return out;
}

// Every response of `s`, oldest first, as the survey module's records.
StatusOr<std::vector<survey::ResponseRecord>> load_records(Connection& c, const Survey& s, const Questionnaire& q) {
  auto rows = c.query(
      "SELECT id, external_id, started_at, submitted_at, last_page, answers, language FROM survey_responses"
      " WHERE survey_id = $1 ORDER BY started_at, id",
      {s.id});
  if (!rows.ok()) return rows.status();
  std::vector<survey::ResponseRecord> out;
  out.reserve(rows->size());
  for (const auto& r : *rows) {
    survey::ResponseRecord rec;
    rec.id = r.is_null(1) ? std::to_string(r.integer(0)) : r.text(1);
    rec.started_at = r.text(2);
    rec.submitted_at = r.is_null(3) ? "" : r.text(3);
    rec.last_page = std::min(std::max(static_cast<int>(r.integer(4)), 1), q.pages);
    auto json = nlohmann::json::parse(r.text(5), nullptr, false);
    rec.answers = answers_from_json(json.is_discarded() ? nlohmann::json::object() : json);
    rec.language = r.text(6);
    out.push_back(std::move(rec));
  }
  return out;
}

// The export columns that hold what people typed in their own words.
std::set<std::string> free_text_columns(const Questionnaire& q) {
  std::set<std::string> out;
  for (const Question& question : q.questions) {
    if (question.type == QuestionType::kShortText || question.type == QuestionType::kLongText) out.insert(question.code);
    if (question.other_specify) out.insert(question.code + "_other");
  }
  return out;
}

// A table of the export as CSV. Answers typed by the public are made inert,
// so a spreadsheet never runs one as a formula; import_csv takes the mark off.
std::string inert_csv(const Questionnaire& q, std::vector<std::vector<std::string>> table) {
  std::set<std::string> text = free_text_columns(q);
  std::ostringstream out;
  csv::Writer w(out);
  for (size_t r = 0; r < table.size(); ++r) {
    if (r > 0) {
      for (size_t i = 0; i < table[r].size() && i < table[0].size(); ++i) {
        if (text.count(table[0][i])) table[r][i] = csv::inert(table[r][i]);
      }
    }
    w.write_row(table[r]);
  }
  return out.str();
}

StatusOr<std::string> build_csv(Connection& c, const Survey& s, const Questionnaire& q) {
  auto records = load_records(c, s, q);
  if (!records.ok()) return records.status();
  return inert_csv(q, survey::response_table(q, *records));
}

Status audit(Connection& c, const Clock& clock, const Survey& s, const Actor& actor, const std::string& action) {
  return security::record_audit(c, clock, {s.organisation_id, actor.user_id, action, "survey", std::to_string(s.id),
                                           actor.address});
}


}  // namespace

Answers layout_answers(const Questionnaire& q, const std::map<std::string, size_t>& index,
                       const std::vector<std::string>& fields) {
  auto cell = [&](const std::string& name) -> std::string {
    auto it = index.find(name);
    if (it == index.end() || it->second >= fields.size()) return "";
    return csv::without_inert(csv::trim(fields[it->second]));
  };
  Answers out;
  for (const Question& question : q.questions) {
    if (question.type == QuestionType::kDisplay || question.repeat >= 0) continue;
    survey::RawAnswer a;
    if (question.type == QuestionType::kMultiple) {
      for (const auto& o : question.options) {
        if (cell(question.code + "[" + o.code + "]") == "1") a.values.push_back(o.code);
      }
      if (question.other_specify) a.other_text = cell(question.code + "_other");
    } else if (question.type == QuestionType::kLikert) {
      bool any = false;
      for (const auto& item : question.items) {
        a.values.push_back(cell(question.code + "[" + item.code + "]"));
        any = any || !a.values.back().empty();
      }
      if (!any) a.values.clear();
    } else {
      std::string v = cell(question.code);
      if (!v.empty()) a.values.push_back(v);
      if (question.other_specify) a.other_text = cell(question.code + "_other");
    }
    if (!a.values.empty() || !a.other_text.empty()) out[question.code] = std::move(a);
  }
  return out;
}


StatusOr<std::string> export_csv(store::Database& db, const Clock& clock, const Survey& s, const Actor& actor,
                                 const std::string& audit_action) {
  auto q = questionnaire_of(s);
  if (!q.ok()) return q.status();
  return store::in_write_transaction(db, [&](Connection& c) -> StatusOr<std::string> {
    if (Status st = audit(c, clock, s, actor, audit_action); !st.ok()) return st;
    return build_csv(c, s, *q);
  });
}

StatusOr<std::string> export_repeat_csv(store::Database& db, const Clock& clock, const Survey& s,
                                        const std::string& repeat_code, const Actor& actor) {
  auto q = questionnaire_of(s);
  if (!q.ok()) return q.status();
  const std::optional<size_t> index = q->find_repeat(repeat_code);
  if (!index) return NotFound("the survey has no repeat coded '" + repeat_code + "'");
  return store::in_write_transaction(db, [&](Connection& c) -> StatusOr<std::string> {
    if (Status st = audit(c, clock, s, actor, "survey.responses.export"); !st.ok()) return st;
    auto records = load_records(c, s, *q);
    if (!records.ok()) return records.status();
    return inert_csv(*q, survey::repeat_table(*q, *index, *records));
  });
}

StatusOr<AnalysisData> load_analysis_data(store::Database& db, const Clock& clock, const Survey& s,
                                          const Questionnaire& q, const Actor& actor) {
  // One read of the records, then the same CSV tables an export gives.
  struct Texts {
    std::string responses;
    std::vector<std::string> repeats;
  };
  auto texts = store::in_write_transaction(db, [&](Connection& c) -> StatusOr<Texts> {
    if (Status st = audit(c, clock, s, actor, "survey.responses.read"); !st.ok()) return st;
    auto records = load_records(c, s, q);
    if (!records.ok()) return records.status();
    Texts out;
    out.responses = survey::responses_to_csv(q, *records);
    for (size_t ri = 0; ri < q.repeats.size(); ++ri) out.repeats.push_back(survey::repeat_to_csv(q, ri, *records));
    return out;
  });
  if (!texts.ok()) return texts.status();
  survey::ReadOptions options;
  options.file_name = "the survey's responses";
  options.threads = 1;
  options.keep_ids = !q.repeats.empty();
  auto responses = survey::parse_responses(texts->responses, q, options);
  if (!responses.ok()) return responses.status();
  AnalysisData out;
  out.responses = std::move(*responses);
  for (size_t ri = 0; ri < q.repeats.size(); ++ri) {
    survey::RepeatReadOptions repeat_options;
    repeat_options.file_name = "the survey's answers to the repeat '" + q.repeats[ri].code + "'";
    repeat_options.threads = 1;
    repeat_options.responses = &out.responses;
    auto repeat = survey::parse_repeat_responses(texts->repeats[ri], q, ri, repeat_options);
    if (!repeat.ok()) return repeat.status();
    out.repeats.push_back(std::move(*repeat));
  }
  return out;
}

StatusOr<survey::Responses> load_for_analysis(store::Database& db, const Clock& clock, const Survey& s,
                                              const Questionnaire& q, const Actor& actor) {
  auto data = load_analysis_data(db, clock, s, q, actor);
  if (!data.ok()) return data.status();
  return std::move(data->responses);
}

std::string codebook_csv(const Questionnaire& q) { return survey::codebook_to_csv(q); }

StatusOr<std::string> export_xlsx(store::Database& db, const Clock& clock, const Survey& s, const Actor& actor) {
  auto q = questionnaire_of(s);
  if (!q.ok()) return q.status();
  auto records = store::in_write_transaction(db, [&](Connection& c) -> StatusOr<std::vector<survey::ResponseRecord>> {
    if (Status st = audit(c, clock, s, actor, "survey.responses.export"); !st.ok()) return st;
    return load_records(c, s, *q);
  });
  if (!records.ok()) return records.status();
  return survey::responses_to_xlsx(*q, *records);
}

namespace {

// The ids of a survey's responses: the id an import gave, else the number.
StatusOr<std::set<std::string>> existing_ids(Connection& c, int64_t survey_id) {
  auto rows = c.query("SELECT COALESCE(external_id, CAST(id AS TEXT)) FROM survey_responses WHERE survey_id = $1",
                      {survey_id});
  if (!rows.ok()) return rows.status();
  std::set<std::string> out;
  for (const auto& r : *rows) out.insert(r.text(0));
  return out;
}

}  // namespace

StatusOr<ImportSummary> import_csv(store::Database& db, const Clock& clock, const Survey& s, const Questionnaire& q,
                                   std::string_view text, const std::string& file_name, bool commit,
                                   const Actor& actor) {
  ImportSummary summary;
  auto problem = [&](Location where, std::string message) {
    if (summary.problems.size() < kMaxImportProblems) summary.problems.push_back({std::move(where), std::move(message)});
  };
  csv::ReadOptions options;
  options.file_name = file_name;
  options.max_rows = kMaxImportRows;
  auto table = csv::parse(text, options);
  if (!table.ok()) {
    problem(table.status().where(), table.status().message());
    return summary;
  }
  survey::ReadOptions read;
  read.file_name = file_name;
  read.threads = 1;
  const std::string header = join_fields(table->header);
  // The header first: the columns must be exactly the export layout's.
  if (auto checked = survey::parse_responses(header + "\n", q, read); !checked.ok()) {
    problem(checked.status().where(), checked.status().message());
    return summary;
  }
  // Then each row on its own, with the survey module's own reader, so a
  // file the web accepts is one `coproduce survey analyse` accepts too; the
  // line it reports is moved back to the row's line in the file.
  for (const auto& row : table->rows) {
    if (summary.problems.size() >= kMaxImportProblems) break;
    auto checked = survey::parse_responses(header + "\n" + join_fields(row.fields) + "\n", q, read);
    if (!checked.ok()) {
      Location where = checked.status().where();
      where.file = file_name;
      where.line = row.line;
      problem(where, checked.status().message());
    }
  }
  const size_t id_column = *table->column("id");
  std::set<std::string> seen;
  auto existing = [&]() -> StatusOr<std::set<std::string>> {
    auto c = db.connection();
    if (!c.ok()) return c.status();
    return existing_ids(**c, s.id);
  }();
  if (!existing.ok()) return existing.status();
  for (const auto& row : table->rows) {
    if (id_column >= row.fields.size()) continue;
    std::string id(csv::trim(row.fields[id_column]));
    if (id.empty()) continue;
    if (!seen.insert(id).second) {
      problem(table->where(row, id_column), "the id '" + id + "' is used by an earlier row: every response needs its own");
    } else if (existing->count(id)) {
      problem(table->where(row, id_column), "the id '" + id + "' is already a response to this survey");
    }
  }
  std::stable_sort(summary.problems.begin(), summary.problems.end(), [](const auto& a, const auto& b) {
    return std::make_pair(a.where.line, a.where.column) < std::make_pair(b.where.line, b.where.column);
  });
  summary.rows = static_cast<int64_t>(table->rows.size());
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < table->header.size(); ++i) index[table->header[i]] = i;
  auto cell = [&](const csv::Row& row, const char* name) {
    size_t i = table->column(name).value_or(row.fields.size());
    return i < row.fields.size() ? std::string(csv::trim(row.fields[i])) : std::string();
  };
  for (const auto& row : table->rows) summary.complete += !cell(row, "submitted_at").empty();
  if (!summary.problems.empty() || !commit) return summary;

  Status st = store::in_write_transaction(db, [&](Connection& c) -> Status {
    // The ids are checked again where they are written: another import
    // confirmed while this one waited may have taken some of them.
    auto taken = existing_ids(c, s.id);
    if (!taken.ok()) return taken.status();
    for (const auto& row : table->rows) {
      if (id_column < row.fields.size() && taken->count(std::string(csv::trim(row.fields[id_column])))) {
        problem(table->where(row, id_column), "the id '" + std::string(csv::trim(row.fields[id_column])) +
                                                  "' was added to this survey by another import just now");
      }
    }
    if (!summary.problems.empty()) return Conflict("some ids were taken by another import");
    const std::string now = format_timestamp(clock.now());
    for (const auto& row : table->rows) {
      std::string submitted = cell(row, "submitted_at");
      auto ins = c.execute(
          "INSERT INTO survey_responses (survey_id, external_id, started_at, updated_at, last_page, submitted_at,"
          " answers, source, language) VALUES ($1, $2, $3, $4, $5, $6, $7, 'import', $8)",
          {s.id, cell(row, "id"), cell(row, "started_at"), now, std::stoll(cell(row, "last_page")),
           submitted.empty() ? store::Value() : store::Value(submitted),
           answers_to_json(layout_answers(q, index, row.fields)).dump(), cell(row, "language")});
      if (!ins.ok()) return ins.status();
    }
    return audit(c, clock, s, actor, "survey.responses.import");
  });
  if (!st.ok() && summary.problems.empty()) return st;
  return summary;
}

}  // namespace coproduce::collection
