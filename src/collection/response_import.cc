#include "collection/response_import.h"

#include <algorithm>

namespace coproduce::collection {

StatusOr<ResponseImport> import_responses(store::Database& db, const Clock& clock, const Survey& s,
                                          const survey::Questionnaire& q, std::string_view bytes,
                                          const std::string& file_name, bool commit, const Actor& actor) {
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
  if (!out.spreadsheet && table->separator == ',' && (!source || *source == ResponseSource::kCoproduce)) {
    return own_csv();
  }
  out.source = source.value_or(ResponseSource::kCoproduce);
  Conversion conversion = convert_responses(*table, q, out.source);
  out.ignored = conversion.ignored;
  out.id_column = conversion.id_column;
  out.started_column = conversion.started_column;
  out.submitted_column = conversion.submitted_column;
  std::vector<ImportProblem> problems = std::move(conversion.problems);
  out.summary.rows = static_cast<int64_t>(table->rows.size());
  if (conversion.checkable) {
    // Checked (and, when nothing is wrong, added) as Coproduce's own file;
    // nothing is added while the conversion found anything wrong.
    auto checked = import_csv(db, clock, s, q, conversion.csv, file_name, commit && problems.empty(), actor);
    if (!checked.ok()) return checked.status();
    out.summary.rows = checked->rows;
    out.summary.complete = checked->complete;
    for (const auto& p : checked->problems) problems.push_back({conversion.in_file(p.where), p.message});
  }
  std::stable_sort(problems.begin(), problems.end(), [](const ImportProblem& a, const ImportProblem& b) {
    return std::make_pair(a.where.line, a.where.column) < std::make_pair(b.where.line, b.where.column);
  });
  if (problems.size() > kMaxImportProblems) problems.resize(kMaxImportProblems);
  out.summary.problems = std::move(problems);
  return out;
}

}  // namespace coproduce::collection
