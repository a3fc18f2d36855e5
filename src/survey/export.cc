#include "survey/export.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>
#include <sstream>
#include <system_error>

#include "core/csv.h"
#include "sheets/sheets.h"
#include "survey/publish.h"

namespace coproduce::survey {
namespace {

using sheets::Cell;
using sheets::Sheet;

// How a column of the export layout is written to a spreadsheet.
enum class ColumnKind { kText, kWhole, kTick, kNumber };

struct Layout {
  std::vector<std::string> header;
  std::vector<ColumnKind> kinds;
};

void add_kinds(const Question& question, std::vector<ColumnKind>& kinds) {
  switch (question.type) {
    case QuestionType::kDisplay:
      break;
    case QuestionType::kMultiple:
      kinds.insert(kinds.end(), question.options.size(), ColumnKind::kTick);
      if (question.other_specify) kinds.push_back(ColumnKind::kText);
      break;
    case QuestionType::kLikert:
      kinds.insert(kinds.end(), question.items.size(), ColumnKind::kText);
      break;
    case QuestionType::kNumber:
      kinds.push_back(ColumnKind::kNumber);
      break;
    default:
      kinds.push_back(ColumnKind::kText);
      if (question.other_specify) kinds.push_back(ColumnKind::kText);
  }
}

Layout layout(const Questionnaire& q) {
  Layout out;
  out.header = response_columns(q);
  out.kinds = {ColumnKind::kText, ColumnKind::kText, ColumnKind::kText, ColumnKind::kWhole};
  if (has_language_column(q)) out.kinds.push_back(ColumnKind::kText);
  for (const Question& question : q.questions) {
    if (question.repeat < 0) add_kinds(question, out.kinds);
  }
  return out;
}

Layout repeat_layout(const Questionnaire& q, size_t repeat_index) {
  Layout out;
  out.header = repeat_columns(q, repeat_index);
  out.kinds = {ColumnKind::kText, ColumnKind::kWhole};
  const Repeat& repeat = q.repeats[repeat_index];
  for (size_t qi = repeat.first; qi < repeat.end; ++qi) add_kinds(q.questions[qi], out.kinds);
  return out;
}

Cell number_cell(const std::string& text);

// Rows of text as a sheet, each column written as its kind says.
Sheet typed_sheet(const std::string& name, const Layout& columns, const std::vector<std::vector<std::string>>& rows) {
  Sheet sheet{name, {}};
  sheet.rows.reserve(rows.size() + 1);
  std::vector<Cell> header;
  for (const std::string& h : columns.header) header.push_back(Cell::of(h));
  sheet.rows.push_back(std::move(header));
  for (const std::vector<std::string>& texts : rows) {
    std::vector<Cell> row;
    row.reserve(texts.size());
    for (size_t c = 0; c < texts.size(); ++c) {
      const ColumnKind kind = c < columns.kinds.size() ? columns.kinds[c] : ColumnKind::kText;
      if (texts[c].empty()) {
        row.push_back(Cell::empty());
      } else if (kind == ColumnKind::kText) {
        row.push_back(Cell::of(texts[c]));
      } else {
        row.push_back(number_cell(texts[c]));
      }
    }
    sheet.rows.push_back(std::move(row));
  }
  return sheet;
}

// Appends the cells of one question's answer, in the columns
// response_columns() and repeat_columns() name for it.
void answer_cells(const Question& question, const RawAnswer& a, std::vector<std::string>& row) {
  if (question.type == QuestionType::kMultiple) {
    for (const Option& o : question.options) {
      const bool ticked = std::find(a.values.begin(), a.values.end(), o.code) != a.values.end();
      row.push_back(ticked ? "1" : "");
    }
    if (question.other_specify) row.push_back(a.other_text);
  } else if (question.type == QuestionType::kLikert) {
    for (size_t i = 0; i < question.items.size(); ++i) row.push_back(i < a.values.size() ? a.values[i] : "");
  } else {
    row.push_back(a.values.empty() ? "" : a.values.front());
    if (question.other_specify) row.push_back(a.other_text);
  }
}

const RawAnswer& answer_of(const ResponseRecord& r, const std::string& key) {
  static const RawAnswer kNone;
  auto it = r.answers.find(key);
  return it == r.answers.end() ? kNone : it->second;
}

std::vector<std::string> record_row(const Questionnaire& q, const ResponseRecord& r) {
  std::vector<std::string> row = {r.id, r.started_at, r.submitted_at, std::to_string(r.last_page)};
  if (has_language_column(q)) row.push_back(r.language);
  for (const Question& question : q.questions) {
    if (question.type == QuestionType::kDisplay || question.repeat >= 0) continue;
    answer_cells(question, answer_of(r, question.code), row);
  }
  return row;
}

// How many instances of `repeat` a record holds: the count stored under the
// repeat's code, 0 when absent or not a whole number in range.
int instance_count(const Repeat& repeat, const ResponseRecord& r) {
  const RawAnswer& a = answer_of(r, repeat.code);
  if (a.values.empty()) return 0;
  int count = 0;
  const std::string& text = a.values.front();
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), count);
  if (ec != std::errc() || end != text.data() + text.size() || count < 0) return 0;
  return std::min(count, repeat.max);
}

// The rows of a repeat's table (without its header), one per instance.
std::vector<std::vector<std::string>> repeat_rows(const Questionnaire& q, size_t repeat_index,
                                                  const std::vector<ResponseRecord>& records) {
  const Repeat& repeat = q.repeats[repeat_index];
  std::vector<std::vector<std::string>> rows;
  for (const ResponseRecord& r : records) {
    const int count = instance_count(repeat, r);
    for (int k = 1; k <= count; ++k) {
      std::vector<std::string> row = {r.id, std::to_string(k)};
      for (size_t qi = repeat.first; qi < repeat.end; ++qi) {
        const Question& question = q.questions[qi];
        if (question.type == QuestionType::kDisplay) continue;
        answer_cells(question, answer_of(r, instance_key(question.code, k)), row);
      }
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

std::string to_csv(const std::vector<std::vector<std::string>>& rows) {
  std::ostringstream out;
  csv::Writer writer(out);
  for (const auto& row : rows) writer.write_row(row);
  return out.str();
}

Cell number_cell(const std::string& text) {
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || !std::isfinite(v)) {
    return text.empty() ? Cell::empty() : Cell::of(text);
  }
  if (std::trunc(v) == v && std::fabs(v) < 9e15) return Cell::whole(static_cast<std::int64_t>(v));
  return Cell::real(v);
}

std::vector<std::vector<Cell>> text_cells(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::vector<Cell>> out;
  out.reserve(rows.size());
  for (const auto& row : rows) {
    std::vector<Cell> cells;
    cells.reserve(row.size());
    for (const auto& t : row) cells.push_back(t.empty() ? Cell::empty() : Cell::of(t));
    out.push_back(std::move(cells));
  }
  return out;
}

// ---- findings ----

// Proportions to six decimals, as the CSV report writes them.
Cell proportion_cell(const std::optional<double>& p) {
  if (!p) return Cell::of("*");
  if (!std::isfinite(*p)) return Cell::empty();
  return Cell::real(std::round(*p * 1e6) / 1e6);
}

Cell count_cell(const ShownCount& c) {
  return c.suppressed ? Cell::of("*") : Cell::whole(static_cast<std::int64_t>(std::llround(c.value)));
}

// A sheet name from a variable code: no [ ] : * ? / \, at most 31
// characters, unique whatever the case.
std::string sheet_name(const std::string& wanted, std::set<std::string>& used) {
  std::string base;
  for (char c : wanted) {
    if (c == ']') continue;
    base += std::string_view("[:*?/\\").find(c) != std::string_view::npos ? ' ' : c;
  }
  while (!base.empty() && (base.back() == ' ' || base.back() == '\'')) base.pop_back();
  while (!base.empty() && (base.front() == ' ' || base.front() == '\'')) base.erase(base.begin());
  if (base.empty()) base = "sheet";
  auto fits = [](std::string s, size_t room) {
    // Codes are ASCII; cut on a character boundary anyway.
    if (s.size() <= room) return s;
    size_t cut = room;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    return s.substr(0, cut);
  };
  auto key = [](std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  std::string name = fits(base, 31);
  for (int n = 2; used.count(key(name)); ++n) {
    const std::string suffix = " " + std::to_string(n);
    name = fits(base, 31 - suffix.size()) + suffix;
  }
  used.insert(key(name));
  return name;
}

Sheet question_sheet(const QuestionResult& q, const SuppressionPolicy& policy, bool weighted, const std::string& name) {
  Sheet s{name, {}};
  const ShownCount base = policy.count(q.base);
  auto note = [&s](const std::string& label, Cell value) { s.rows.push_back({Cell::of(label), Cell::empty(), std::move(value)}); };
  if (!q.options.empty()) {
    s.rows.push_back({Cell::of("option"), Cell::of("label"), Cell::of("count"), Cell::of("proportion"),
                      Cell::of("ci_lower"), Cell::of("ci_upper")});
    for (const OptionResult& o : q.options) {
      const Shown shown = publish(policy, o.count, q.base, o.proportion, o.interval, weighted);
      std::optional<double> lower, upper;
      if (shown.interval) {
        lower = shown.interval->lower;
        upper = shown.interval->upper;
      }
      s.rows.push_back({Cell::of(o.code), Cell::of(o.label), count_cell(shown.count), proportion_cell(shown.proportion),
                        proportion_cell(lower), proportion_cell(upper)});
    }
    s.rows.push_back({});
  } else {
    s.rows.push_back({Cell::of("measure"), Cell::empty(), Cell::of("value")});
    if (q.number) {
      // Like the CSV report: no summary of a base too small to show.
      auto figure = [&base](double v) {
        return base.suppressed ? Cell::of("*") : std::isfinite(v) ? Cell::real(v) : Cell::empty();
      };
      note("mean", figure(q.number->mean));
      note("median", figure(q.number->median));
      note("smallest", figure(q.number->min));
      note("largest", figure(q.number->max));
    }
  }
  note("base", count_cell(base));
  note("shown to", count_cell(policy.count(q.shown)));
  note("question", Cell::of(q.text));
  if (!q.show_if.empty()) note("shown when", Cell::of(q.show_if));
  if (q.multiple) note("note", Cell::of("Several answers allowed, so proportions need not add up to 1"));
  return s;
}

Sheet cross_sheet(const CrossTable& ct, const SuppressionPolicy& policy, bool weighted, const std::string& name) {
  Sheet s{name, {}};
  std::vector<Cell> header = {Cell::of(ct.row_code), Cell::of("label")};
  for (size_t k = 0; k < ct.col_options.size(); ++k) {
    header.push_back(Cell::of(ct.col_code + "=" + ct.col_options[k] + " count"));
    header.push_back(Cell::of(ct.col_code + "=" + ct.col_options[k] + " proportion"));
  }
  s.rows.push_back(std::move(header));
  for (size_t i = 0; i < ct.row_options.size(); ++i) {
    std::vector<Cell> row = {Cell::of(ct.row_options[i]), Cell::of(ct.row_labels[i])};
    for (size_t k = 0; k < ct.col_options.size(); ++k) {
      row.push_back(count_cell(policy.count(ct.counts[i][k])));
      row.push_back(proportion_cell(publish_column_share(policy, ct, i, k, weighted)));
    }
    s.rows.push_back(std::move(row));
  }
  std::vector<Cell> totals = {Cell::of("total"), Cell::empty()};
  for (size_t k = 0; k < ct.col_options.size(); ++k) {
    long total = 0;
    for (size_t i = 0; i < ct.counts.size(); ++i) total += ct.counts[i][k];
    totals.push_back(count_cell(policy.count(total)));
    totals.push_back(Cell::empty());
  }
  s.rows.push_back(std::move(totals));
  s.rows.push_back({});
  s.rows.push_back({Cell::of("labels"), Cell::empty()});
  for (size_t k = 0; k < ct.col_options.size(); ++k) {
    s.rows.push_back({Cell::of(ct.col_code + "=" + ct.col_options[k]), Cell::of(ct.col_labels[k])});
  }
  s.rows.push_back({Cell::of("note"), Cell::of("Proportions are of each column")});
  return s;
}

// A figure that may be undefined (a test on an empty table): blank then,
// since a spreadsheet cell cannot hold NaN.
Cell real_cell(double v) { return std::isfinite(v) ? Cell::real(v) : Cell::empty(); }

Cell optional_real(const std::optional<double>& v) { return v ? real_cell(*v) : Cell::empty(); }

}  // namespace

std::vector<std::vector<std::string>> response_table(const Questionnaire& q, const std::vector<ResponseRecord>& records) {
  std::vector<std::vector<std::string>> rows;
  rows.reserve(records.size() + 1);
  rows.push_back(response_columns(q));
  for (const ResponseRecord& r : records) rows.push_back(record_row(q, r));
  return rows;
}

std::string responses_to_csv(const Questionnaire& q, const std::vector<ResponseRecord>& records) {
  return to_csv(response_table(q, records));
}

std::vector<std::vector<std::string>> repeat_table(const Questionnaire& q, size_t repeat_index,
                                                   const std::vector<ResponseRecord>& records) {
  std::vector<std::vector<std::string>> rows = repeat_rows(q, repeat_index, records);
  rows.insert(rows.begin(), repeat_columns(q, repeat_index));
  return rows;
}

std::string repeat_to_csv(const Questionnaire& q, size_t repeat_index, const std::vector<ResponseRecord>& records) {
  return to_csv(repeat_table(q, repeat_index, records));
}

std::vector<std::vector<std::string>> codebook_table(const Questionnaire& q) {
  const std::string kMain = "responses";
  std::vector<std::vector<std::string>> rows = {
      {"question_code", "column", "question_text", "type", "option_code", "option_label", "shown_when", "table"},
      {"", "id", "The response's id", "id", "", "", "always", kMain},
      {"", "started_at", "When the person started (UTC)", "timestamp", "", "", "always", kMain},
      {"", "submitted_at", "When the person sent their answers (UTC); empty when not sent, so not complete",
       "timestamp", "", "", "always", kMain},
      {"", "last_page", "The furthest page the person reached", "number", "", "", "always", kMain},
  };
  if (has_language_column(q)) {
    for (const Language& l : q.languages) {
      rows.push_back({"", "language", "The language the person answered in", "language", l.code, l.name, "always", kMain});
    }
  }
  auto add_question = [&rows](const Question& question, const std::string& table) {
    const std::string type(type_name(question.type));
    const std::string shown = question.show_if.empty() ? "always" : question.show_if;
    auto add = [&](const std::string& column, const std::string& text, const std::string& kind, const std::string& code,
                   const std::string& label) {
      rows.push_back({question.code, column, text, kind, code, label, shown, table});
    };
    auto add_other = [&] {
      if (question.other_specify) {
        add(question.code + "_other", question.text + ": the other answer, in the person's words", "text", "", "");
      }
    };
    switch (question.type) {
      case QuestionType::kMultiple:
        for (const Option& o : question.options) {
          add(question.code + "[" + o.code + "]", question.text, "multiple (1 = ticked)", o.code, o.label);
        }
        add_other();
        break;
      case QuestionType::kLikert:
        for (const Option& item : question.items) {
          for (const Option& o : question.options) {
            add(question.code + "[" + item.code + "]", question.text + ": " + item.label, type, o.code, o.label);
          }
        }
        break;
      default:
        if (question.has_options()) {
          for (const Option& o : question.options) add(question.code, question.text, type, o.code, o.label);
          add_other();
        } else {
          add(question.code, question.text, type, "", "");
        }
    }
  };
  for (const Question& question : q.questions) {
    if (question.type != QuestionType::kDisplay && question.repeat < 0) add_question(question, kMain);
  }
  // Each repeat's table after the main one: its two linking columns, then its questions.
  for (const Repeat& repeat : q.repeats) {
    const std::string shown = repeat.show_if.empty() ? "always" : repeat.show_if;
    rows.push_back({repeat.code, "response_id", "The id of the response this row belongs to (" + repeat.label + ")",
                    "id", "", "", shown, repeat.code});
    rows.push_back({repeat.code, "instance", "Which " + repeat.label + " this row is, counting from 1", "number", "",
                    "", shown, repeat.code});
    for (size_t qi = repeat.first; qi < repeat.end; ++qi) {
      if (q.questions[qi].type != QuestionType::kDisplay) add_question(q.questions[qi], repeat.code);
    }
  }
  return rows;
}

std::string codebook_to_csv(const Questionnaire& q) { return to_csv(codebook_table(q)); }

StatusOr<std::string> responses_to_xlsx(const Questionnaire& q, const std::vector<ResponseRecord>& records) {
  std::vector<Sheet> workbook;
  {
    std::vector<std::vector<std::string>> rows;
    rows.reserve(records.size());
    for (const ResponseRecord& r : records) rows.push_back(record_row(q, r));
    workbook.push_back(typed_sheet("responses", layout(q), rows));
  }
  std::set<std::string> used = {"responses", "codebook"};
  for (size_t ri = 0; ri < q.repeats.size(); ++ri) {
    workbook.push_back(typed_sheet(sheet_name(q.repeats[ri].code, used), repeat_layout(q, ri),
                                   repeat_rows(q, ri, records)));
  }
  workbook.push_back(Sheet{"codebook", text_cells(codebook_table(q))});
  return sheets::to_xlsx(workbook);
}

StatusOr<std::string> findings_to_xlsx(const Analysis& a, const SuppressionPolicy& policy, const ReportInfo& info) {
  const bool weighted = a.weighting.has_value();
  std::set<std::string> used = {"summary", "dropoff", "tests"};
  std::vector<Sheet> workbook;

  Sheet summary{"summary", {{Cell::of("measure"), Cell::of("value")}}};
  auto line = [&summary](const std::string& label, Cell value) { summary.rows.push_back({Cell::of(label), std::move(value)}); };
  line("survey", Cell::of(a.title.empty() ? a.survey_id : a.title));
  if (!info.definition.empty()) line("questionnaire", Cell::of(info.definition));
  if (!info.responses.empty()) line("responses", Cell::of(info.responses));
  if (!info.generated.empty()) line("generated", Cell::of(info.generated));
  line("started", count_cell(policy.count(a.starts)));
  line("completed", count_cell(policy.count(a.completes)));
  line("completion rate", proportion_cell(publish_completion_rate(a, policy)));
  line("analysed", count_cell(policy.count(a.analysed)));
  line("responses analysed",
       Cell::of(a.include_partial ? "complete and incomplete responses" : "complete responses only"));
  line("complete means", Cell::of("the person pressed submit at the end; completion rate is completes over starts"));
  line("base means", Cell::of("analysed responses that were shown the question and answered it; proportions are "
                              "of the base"));
  line("intervals", Cell::of("95% Wilson score intervals"));
  line("small numbers", Cell::of(policy.explanation()));
  if (weighted) {
    line("weighted by", Cell::of([&] {
      std::string vars;
      for (const auto& v : a.weighting->variables) vars += (vars.empty() ? "" : ", ") + v;
      return vars;
    }()));
    line("design effect", real_cell(a.weighting->design_effect));
    line("effective sample size", real_cell(a.weighting->effective_n));
  }
  for (const auto& w : a.warnings) line("warning", Cell::of(w));
  workbook.push_back(std::move(summary));

  Sheet dropoff{"dropoff", {{Cell::of("page"), Cell::of("reached"), Cell::of("stopped")}}};
  for (const PageFlow& p : a.dropoff) {
    dropoff.rows.push_back({Cell::whole(p.page), count_cell(policy.count(p.reached)), count_cell(policy.count(p.stopped))});
  }
  workbook.push_back(std::move(dropoff));

  for (const QuestionResult& q : a.questions) {
    workbook.push_back(question_sheet(q, policy, weighted, sheet_name(q.code, used)));
  }
  // Repeats: a sheet of counts per response, then one per question, whose base is instances.
  for (const RepeatResult& r : a.repeats) {
    const ShownCount responses = policy.count(r.responses), instances = policy.count(r.instances);
    const bool hidden = repeat_averages_hidden(r, policy);
    Sheet counts{sheet_name(r.code, used), {{Cell::of("measure"), Cell::of("value")}}};
    auto add = [&counts](const std::string& label, Cell value) { counts.rows.push_back({Cell::of(label), std::move(value)}); };
    add("repeat", Cell::of(r.label));
    add("responses shown the repeat", count_cell(responses));
    add("responses with at least one", count_cell(policy.count(r.with_instances)));
    add("share with at least one", proportion_cell(policy.share(r.with_instances, r.responses)));
    add("instances", count_cell(instances));
    add("mean per response", hidden ? Cell::of("*") : real_cell(r.mean_instances));
    add("median per response", hidden ? Cell::of("*") : real_cell(r.median_instances));
    add("base means", Cell::of("for the repeat's questions, instances (one row per time a person answered the "
                               "repeat) that answered; one person can count several times"));
    workbook.push_back(std::move(counts));
    for (const QuestionResult& q : r.questions) {
      Sheet sheet = question_sheet(q, policy, weighted, sheet_name(r.code + " " + q.code, used));
      sheet.rows.push_back({Cell::of("base means"), Cell::empty(), Cell::of("instances of " + r.code + ", not people")});
      workbook.push_back(std::move(sheet));
    }
  }
  Sheet tests{"tests",
              {{Cell::of("row"), Cell::of("column"), Cell::of("base"), Cell::of("chi_square"), Cell::of("df"),
                Cell::of("p_value"), Cell::of("fisher_p"), Cell::of("holm_p"), Cell::of("warnings")}}};
  for (const CrossTab& t : a.crosstabs) {
    for (const CrossTable& ct : t.tables) {
      workbook.push_back(cross_sheet(ct, policy, weighted, sheet_name(ct.row_code + " by " + ct.col_code, used)));
      std::string warnings;
      for (const auto& w : ct.warnings) warnings += (warnings.empty() ? "" : " ") + w;
      tests.rows.push_back({Cell::of(ct.row_code), Cell::of(ct.col_code), count_cell(policy.count(ct.base)),
                            ct.chi_square ? real_cell(ct.chi_square->statistic) : Cell::empty(),
                            ct.chi_square ? Cell::whole(ct.chi_square->df) : Cell::empty(),
                            ct.chi_square ? real_cell(ct.chi_square->p_value) : Cell::empty(),
                            optional_real(ct.fisher_p), optional_real(ct.holm_p),
                            warnings.empty() ? Cell::empty() : Cell::of(warnings)});
    }
  }
  if (!a.crosstabs.empty()) workbook.push_back(std::move(tests));
  return sheets::to_xlsx(workbook);
}

}  // namespace coproduce::survey
