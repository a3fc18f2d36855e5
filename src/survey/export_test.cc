#include "survey/export.h"

#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "core/csv.h"
#include "sheets/sheets.h"
#include "survey/definition.h"
#include "survey/demo.h"
#include "survey/responses.h"

namespace coproduce::survey {
namespace {

using sheets::Cell;

std::vector<ResponseRecord> three_records() {
  ResponseRecord a;
  a.id = "r1";
  a.started_at = "2026-11-20T09:00:00Z";
  a.submitted_at = "2026-11-20T09:06:00Z";
  a.last_page = 7;
  a.answers["group"].values = {"workforce"};
  a.answers["role"].values = {"supervisor"};
  a.answers["barriers"].values = {"time", "other"};
  a.answers["barriers"].other_text = "Rotas, \"shifts\" and cover";
  a.answers["confidence"].values = {"7"};
  a.answers["views"].values = {"agree", "", "dont_know"};
  a.answers["meaning"].values = {"Working together,\nas equals"};
  a.answers["not_a_question"].values = {"ignored"};

  ResponseRecord b;
  b.id = "r2";
  b.started_at = "2026-11-20T10:00:00Z";
  b.last_page = 2;
  b.answers["group"].values = {"carer"};

  ResponseRecord c;
  c.id = "0042";
  c.started_at = "2026-11-21T08:00:00Z";
  c.submitted_at = "2026-11-21T08:03:00Z";
  c.last_page = 7;
  c.answers["group"].values = {"lived_experience"};
  c.answers["involved_own_care"].values = {"yes"};
  return {a, b, c};
}

std::map<std::string, std::string> by_column(const std::vector<std::vector<std::string>>& table, size_t row) {
  std::map<std::string, std::string> out;
  for (size_t c = 0; c < table[0].size(); ++c) out[table[0][c]] = table[row][c];
  return out;
}

TEST(ResponseExport, CsvHasTheExportLayoutAndReadsBack) {
  const Questionnaire& q = coproduction_template();
  auto table = response_table(q, three_records());
  ASSERT_EQ(table.size(), 4u);
  EXPECT_EQ(table[0], response_columns(q));
  auto first = by_column(table, 1);
  EXPECT_EQ(first["id"], "r1");
  EXPECT_EQ(first["last_page"], "7");
  EXPECT_EQ(first["barriers[time]"], "1");
  EXPECT_EQ(first["barriers[cost]"], "");
  EXPECT_EQ(first["barriers[other]"], "1");
  EXPECT_EQ(first["barriers_other"], "Rotas, \"shifts\" and cover");
  EXPECT_EQ(first["views[listened]"], "agree");
  EXPECT_EQ(first["views[equal]"], "");
  EXPECT_EQ(first["views[worth]"], "dont_know");
  EXPECT_EQ(by_column(table, 2)["submitted_at"], "");

  // The analysis reads the CSV back: the layout is the one it expects.
  const std::string csv = responses_to_csv(q, three_records());
  auto parsed = parse_responses(csv, q);
  ASSERT_TRUE(parsed.ok()) << parsed.status().to_string();
  EXPECT_EQ(parsed->rows, 3u);
  EXPECT_EQ(parsed->complete, (std::vector<std::uint8_t>{1, 0, 1}));
  const size_t barriers = static_cast<size_t>(parsed->question_column[*q.find("barriers")]);
  EXPECT_EQ(parsed->columns[barriers].multiple[0], (1u << 0) | (1u << 6));  // time and other
  const size_t group = static_cast<size_t>(parsed->question_column[*q.find("group")]);
  EXPECT_EQ(parsed->columns[group].choice[1], q.questions[*q.find("group")].option_index("carer"));
}

TEST(ResponseExport, CodebookDescribesEveryColumnAndValue) {
  const Questionnaire& q = coproduction_template();
  auto book = codebook_table(q);
  EXPECT_EQ(book[0], (std::vector<std::string>{"question_code", "column", "question_text", "type", "option_code",
                                               "option_label", "shown_when", "table"}));
  EXPECT_EQ(book[1][1], "id");
  EXPECT_EQ(book[4][1], "last_page");
  auto rows_for = [&book](const std::string& column) {
    std::vector<std::vector<std::string>> out;
    for (const auto& r : book) {
      if (r[1] == column) out.push_back(r);
    }
    return out;
  };
  auto time = rows_for("barriers[time]");
  ASSERT_EQ(time.size(), 1u);
  EXPECT_EQ(time[0], (std::vector<std::string>{"barriers", "barriers[time]", "What gets in the way of co-production where you work?",
                                               "multiple (1 = ticked)", "time", "Not enough time", "group = 'workforce'",
                                               "responses"}));
  auto role = rows_for("role");
  ASSERT_EQ(role.size(), 6u);
  EXPECT_EQ(role[0][4], "direct_care");
  EXPECT_EQ(role[0][6], "group = 'workforce'");
  EXPECT_EQ(rows_for("group")[0][6], "always");
  auto listened = rows_for("views[listened]");
  ASSERT_EQ(listened.size(), 6u);  // five points and don't know
  EXPECT_EQ(listened[5][4], "dont_know");
  EXPECT_EQ(listened[0][2], "How much do you agree with these statements?: People who use services are listened to");
  EXPECT_EQ(rows_for("barriers_other").size(), 1u);
  EXPECT_EQ(rows_for("meaning")[0][3], "long_text");
  EXPECT_TRUE(rows_for("intro").empty());  // text shown to people has no column

  // Every column of the export layout is in the codebook.
  for (const auto& column : response_columns(q)) EXPECT_FALSE(rows_for(column).empty()) << column;

  std::string csv = codebook_to_csv(q);
  EXPECT_EQ(csv.substr(0, csv.find('\r')),
            "question_code,column,question_text,type,option_code,option_label,shown_when,table");
}

TEST(ResponseExport, XlsxHoldsResponsesAndCodebook) {
  const Questionnaire& q = coproduction_template();
  auto bytes = responses_to_xlsx(q, three_records());
  ASSERT_TRUE(bytes.ok()) << bytes.status().to_string();
  auto workbook = sheets::from_xlsx(*bytes, "responses.xlsx");
  ASSERT_TRUE(workbook.ok()) << workbook.status().to_string();
  ASSERT_EQ(workbook->size(), 2u);
  const sheets::Sheet& responses = (*workbook)[0];
  EXPECT_EQ(responses.name, "responses");
  ASSERT_EQ(responses.rows.size(), 4u);
  std::vector<std::string> header;
  for (const Cell& c : responses.rows[0]) header.push_back(c.text);
  EXPECT_EQ(header, response_columns(q));
  auto cell = [&](size_t row, const std::string& column) {
    size_t c = static_cast<size_t>(std::find(header.begin(), header.end(), column) - header.begin());
    return responses.rows[row].at(c);
  };
  EXPECT_EQ(cell(1, "id"), Cell::of("r1"));
  EXPECT_EQ(cell(3, "id"), Cell::of("0042"));  // ids stay text, leading zeros and all
  EXPECT_EQ(cell(1, "last_page"), Cell::whole(7));
  EXPECT_EQ(cell(1, "barriers[time]"), Cell::whole(1));
  EXPECT_TRUE(cell(1, "barriers[cost]").is_empty());
  EXPECT_EQ(cell(1, "role"), Cell::of("supervisor"));
  EXPECT_EQ(cell(1, "confidence"), Cell::of("7"));  // a point on a scale is a code
  EXPECT_EQ(cell(1, "meaning"), Cell::of("Working together,\nas equals"));
  EXPECT_TRUE(cell(2, "submitted_at").is_empty());

  const sheets::Sheet& codebook = (*workbook)[1];
  EXPECT_EQ(codebook.name, "codebook");
  auto table = codebook_table(q);
  ASSERT_EQ(codebook.rows.size(), table.size());
  for (size_t r = 0; r < table.size(); ++r) {
    for (size_t c = 0; c < table[r].size(); ++c) EXPECT_EQ(codebook.rows[r][c].as_text(), table[r][c]);
  }
}

// The CSV report's figures, keyed "variable|option|by_variable|by_option",
// to compare the workbook with.
std::map<std::string, std::vector<std::string>> report_rows(const std::string& csv_text) {
  auto table = csv::parse(csv_text);
  EXPECT_TRUE(table.ok());
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& row : table->rows) {
    out[row.fields[0] + "|" + row.fields[1] + "|" + row.fields[2] + "|" + row.fields[3] + "|" + row.fields[4]] =
        row.fields;
  }
  return out;
}

// A cell as the CSV report writes the same figure: counts as whole
// numbers, proportions with six decimals (a proportion of exactly 0 or 1
// reads back as a whole number), hidden figures as *.
std::string shown(const Cell& c) { return c.as_text(); }
std::string proportion(const Cell& c) {
  if (c.kind != Cell::Kind::kNumber && c.kind != Cell::Kind::kInteger) return c.as_text();
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6f", c.kind == Cell::Kind::kNumber ? c.number : static_cast<double>(c.integer));
  return buffer;
}

TEST(FindingsExport, EveryFigureMatchesTheCsvReportUnderSuppression) {
  const Questionnaire& q = coproduction_template();
  // A small sample, so that suppression hides and rounds many counts.
  auto responses = parse_responses(demo_responses_csv(60, 3), q);
  ASSERT_TRUE(responses.ok());
  AnalysisOptions options;
  options.crosstabs = {"heard:group", "barriers:role"};
  auto analysis = analyse(q, *responses, options);
  ASSERT_TRUE(analysis.ok()) << analysis.status().to_string();
  auto policy = make_suppression("nhs");
  ASSERT_TRUE(policy.ok());
  ReportInfo info;
  info.definition = "built-in template coproduction";
  auto bytes = findings_to_xlsx(*analysis, **policy, info);
  ASSERT_TRUE(bytes.ok()) << bytes.status().to_string();
  auto workbook = sheets::from_xlsx(*bytes, "findings.xlsx");
  ASSERT_TRUE(workbook.ok()) << workbook.status().to_string();
  auto report = report_rows(render_csv(*analysis, **policy, info));

  const sheets::Sheet* summary = sheets::find(*workbook, "summary");
  ASSERT_NE(summary, nullptr);
  EXPECT_EQ(summary->rows[0][0].text, "measure");
  auto summary_value = [&](const std::string& label) {
    for (const auto& r : summary->rows) {
      if (r[0].text == label) return label == "completion rate" ? proportion(r[1]) : shown(r[1]);
    }
    return std::string("missing");
  };
  EXPECT_EQ(summary_value("started"), report["completion|starts|||"][5]);
  EXPECT_EQ(summary_value("completed"), report["completion|completes|||"][5]);
  EXPECT_EQ(summary_value("completion rate"), report["completion|completes|||"][7]);

  // Every option of every question: count, proportion and interval as the CSV report has them.
  size_t stars = 0, compared = 0;
  for (const QuestionResult& result : analysis->questions) {
    const sheets::Sheet* sheet = nullptr;
    for (const auto& s : *workbook) {
      std::string name = result.code;
      for (char& ch : name) ch = ch == '[' ? ' ' : ch;
      name.erase(std::remove(name.begin(), name.end(), ']'), name.end());
      if (s.name == name) sheet = &s;
    }
    ASSERT_NE(sheet, nullptr) << result.code;
    for (size_t i = 0; i < result.options.size(); ++i) {
      const auto& row = sheet->rows.at(i + 1);
      const auto& want = report.at("question|" + result.code + "|" + result.options[i].code + "||");
      EXPECT_EQ(row[0].text, result.options[i].code);
      EXPECT_EQ(shown(row[2]), want[5]) << result.code << " " << result.options[i].code;
      EXPECT_EQ(proportion(row[3]), want[7].empty() ? "*" : want[7]) << result.code;
      EXPECT_EQ(proportion(row[4]), want[8].empty() ? "*" : want[8]) << result.code;
      stars += row[2].text == "*";
      ++compared;
    }
  }
  EXPECT_GT(compared, 40u);
  EXPECT_GT(stars, 5u) << "the sample should be small enough for some counts to be hidden";

  // Cross-tables: counts and column proportions.
  const sheets::Sheet* heard = sheets::find(*workbook, "heard by group");
  ASSERT_NE(heard, nullptr);
  const CrossTable& ct = analysis->crosstabs[0].tables[0];
  for (size_t i = 0; i < ct.row_options.size(); ++i) {
    for (size_t k = 0; k < ct.col_options.size(); ++k) {
      const auto& want = report.at("crosstab|heard|" + ct.row_options[i] + "|group|" + ct.col_options[k]);
      EXPECT_EQ(shown(heard->rows[i + 1][2 + 2 * k]), want[5]);
      EXPECT_EQ(proportion(heard->rows[i + 1][3 + 2 * k]), want[7].empty() ? "*" : want[7]);
    }
  }
  EXPECT_NE(sheets::find(*workbook, "barriers time by role"), nullptr);
  const sheets::Sheet* tests = sheets::find(*workbook, "tests");
  ASSERT_NE(tests, nullptr);
  EXPECT_EQ(tests->rows.size(), 1 + 1 + 7u);  // header, heard by group, one per barrier
}

TEST(FindingsExport, LongCodesGetShortUniqueSheetNames) {
  Analysis a;
  a.title = "t";
  QuestionResult one;
  one.code = "a_very_long_question_code_that_goes_past_the_limit_one";
  QuestionResult two = one;
  two.code = "a_very_long_question_code_that_goes_past_the_limit_two";
  QuestionResult summary;
  summary.code = "summary";
  a.questions = {one, two, summary};
  auto policy = make_suppression("none");
  auto bytes = findings_to_xlsx(a, **policy, {});
  ASSERT_TRUE(bytes.ok()) << bytes.status().to_string();
  auto workbook = sheets::from_xlsx(*bytes, "f.xlsx");
  ASSERT_TRUE(workbook.ok());
  std::vector<std::string> names;
  for (const auto& s : *workbook) names.push_back(s.name);
  EXPECT_EQ(names, (std::vector<std::string>{"summary", "dropoff", "a_very_long_question_code_that_", "a_very_long_question_code_tha 2",
                                             "summary 2"}));
}

// A questionnaire with a repeat: the services a person uses, each with its
// own answers, between a question asked once and another.
const char* const kServices = R"({"title": "Services", "questions": [
  {"code": "group", "type": "single", "text": "Who are you?", "options": ["carer", "user"]},
  {"code": "service", "type": "single", "page": 2, "text": "Which service?", "repeat": "services",
   "options": ["home_care", "day_centre", "respite"]},
  {"code": "visits", "type": "number", "page": 2, "text": "Visits a month", "repeat": "services"},
  {"code": "liked", "type": "multiple", "page": 2, "text": "What went well", "repeat": "services",
   "options": ["staff", "times"]},
  {"code": "overall", "type": "long_text", "page": 3, "text": "Anything else?"}],
  "repeats": [{"code": "services", "label": "Service you use"}]})";

Questionnaire services_questionnaire() {
  StatusOr<Questionnaire> q = parse_definition(kServices, "services.json");
  EXPECT_TRUE(q.ok()) << q.status().to_string();
  return *q;
}

std::vector<ResponseRecord> service_records() {
  ResponseRecord a;
  a.id = "r1";
  a.started_at = "2026-11-20T09:00:00Z";
  a.submitted_at = "2026-11-20T09:06:00Z";
  a.last_page = 3;
  a.answers["group"].values = {"carer"};
  a.answers["services"].values = {"2"};
  a.answers["service#1"].values = {"home_care"};
  a.answers["visits#1"].values = {"12"};
  a.answers["liked#1"].values = {"staff", "times"};
  a.answers["service#2"].values = {"respite"};
  a.answers["overall"].values = {"Thank you"};
  ResponseRecord b;  // no instances: no rows in the repeat's table
  b.id = "r2";
  b.started_at = "2026-11-20T10:00:00Z";
  b.last_page = 1;
  ResponseRecord c;
  c.id = "r3";
  c.started_at = "2026-11-21T10:00:00Z";
  c.submitted_at = "2026-11-21T10:09:00Z";
  c.last_page = 3;
  c.answers["services"].values = {"1"};
  c.answers["service#1"].values = {"day_centre"};
  c.answers["visits#1"].values = {"4.5"};
  c.answers["service#2"].values = {"respite"};  // beyond the count: not an instance
  return {a, b, c};
}

TEST(RepeatExport, OneRowPerInstanceLinkedByTheResponseId) {
  const Questionnaire q = services_questionnaire();
  auto table = repeat_table(q, 0, service_records());
  ASSERT_EQ(table.size(), 4u);
  EXPECT_EQ(table[0], (std::vector<std::string>{"response_id", "instance", "service", "visits", "liked[staff]",
                                                "liked[times]"}));
  EXPECT_EQ(table[1], (std::vector<std::string>{"r1", "1", "home_care", "12", "1", "1"}));
  EXPECT_EQ(table[2], (std::vector<std::string>{"r1", "2", "respite", "", "", ""}));
  EXPECT_EQ(table[3], (std::vector<std::string>{"r3", "1", "day_centre", "4.5", "", ""}));
  // The main table keeps only the questions asked once.
  auto main = response_table(q, service_records());
  EXPECT_EQ(main[0], (std::vector<std::string>{"id", "started_at", "submitted_at", "last_page", "group", "overall"}));
  EXPECT_EQ(by_column(main, 1)["overall"], "Thank you");
}

// The services' responses and their repeat table, written as CSV and read
// back linked to each other, as `survey analyse --repeat` reads them.
struct ReadBack {
  Responses main;
  RepeatResponses repeat;
};
StatusOr<ReadBack> read_back_services(const Questionnaire& q) {
  ReadOptions main_options;
  main_options.keep_ids = true;
  StatusOr<Responses> main = parse_responses(responses_to_csv(q, service_records()), q, main_options);
  if (!main.ok()) return main.status();
  ReadBack out{std::move(*main), {}};
  RepeatReadOptions options;
  options.responses = &out.main;
  StatusOr<RepeatResponses> rep = parse_repeat_responses(repeat_to_csv(q, 0, service_records()), q, 0, options);
  if (!rep.ok()) return rep.status();
  out.repeat = std::move(*rep);
  return out;
}

TEST(RepeatExport, CsvReadsBackLinkedToTheMainResponses) {
  const Questionnaire q = services_questionnaire();
  StatusOr<ReadBack> read = read_back_services(q);
  ASSERT_TRUE(read.ok()) << read.status().to_string();
  const RepeatResponses* rep = &read->repeat;
  ASSERT_EQ(rep->data.rows, 3u);
  EXPECT_TRUE(rep->linked);
  EXPECT_EQ(rep->response, (std::vector<std::uint32_t>{0, 0, 2}));
  EXPECT_EQ(rep->instance, (std::vector<std::int16_t>{1, 2, 1}));
  EXPECT_EQ(rep->data.columns[0].choice, (std::vector<std::int16_t>{0, 2, 1}));
  EXPECT_EQ(rep->data.columns[1].number[2], 4.5);
  EXPECT_EQ(rep->data.columns[2].multiple[0], 3u);
}

TEST(RepeatExport, XlsxHasASheetPerRepeatBetweenResponsesAndCodebook) {
  const Questionnaire q = services_questionnaire();
  auto bytes = responses_to_xlsx(q, service_records());
  ASSERT_TRUE(bytes.ok()) << bytes.status().to_string();
  auto workbook = sheets::from_xlsx(*bytes, "responses.xlsx");
  ASSERT_TRUE(workbook.ok()) << workbook.status().to_string();
  ASSERT_EQ(workbook->size(), 3u);
  EXPECT_EQ((*workbook)[0].name, "responses");
  EXPECT_EQ((*workbook)[1].name, "services");
  EXPECT_EQ((*workbook)[2].name, "codebook");
  const sheets::Sheet& services = (*workbook)[1];
  ASSERT_EQ(services.rows.size(), 4u);
  EXPECT_EQ(services.rows[0][0], Cell::of("response_id"));
  EXPECT_EQ(services.rows[2][0], Cell::of("r1"));
  EXPECT_EQ(services.rows[2][1], Cell::whole(2));
  EXPECT_EQ(services.rows[1][3], Cell::whole(12));  // visits, a number
  EXPECT_EQ(services.rows[3][3], Cell::real(4.5));
  EXPECT_EQ(services.rows[1][4], Cell::whole(1));   // a tick
}

TEST(RepeatExport, CodebookSaysWhichTableEachColumnIsIn) {
  const Questionnaire q = services_questionnaire();
  auto table = codebook_table(q);
  ASSERT_EQ(table[0].back(), "table");
  std::map<std::string, std::string> table_of;
  for (size_t r = 1; r < table.size(); ++r) table_of[table[r][1]] = table[r][7];
  EXPECT_EQ(table_of["id"], "responses");
  EXPECT_EQ(table_of["group"], "responses");
  EXPECT_EQ(table_of["overall"], "responses");
  EXPECT_EQ(table_of["response_id"], "services");
  EXPECT_EQ(table_of["instance"], "services");
  EXPECT_EQ(table_of["service"], "services");
  EXPECT_EQ(table_of["liked[times]"], "services");
  // Every column of the repeat's table is described.
  for (const std::string& column : repeat_columns(q, 0)) EXPECT_EQ(table_of.count(column), 1u) << column;
}

TEST(RepeatExport, FindingsWorkbookHasTheRepeatsCountsAndQuestionsWithInstancesAsBase) {
  const Questionnaire q = services_questionnaire();
  StatusOr<ReadBack> read = read_back_services(q);
  ASSERT_TRUE(read.ok()) << read.status().to_string();
  AnalysisOptions analysis_options;
  analysis_options.repeats = {&read->repeat};
  StatusOr<Analysis> a = analyse(q, read->main, analysis_options);
  ASSERT_TRUE(a.ok()) << a.status().to_string();
  auto open = make_suppression("none").value();
  auto bytes = findings_to_xlsx(*a, *open, {});
  ASSERT_TRUE(bytes.ok()) << bytes.status().to_string();
  auto workbook = sheets::from_xlsx(*bytes, "findings.xlsx");
  ASSERT_TRUE(workbook.ok()) << workbook.status().to_string();
  auto sheet = [&](const std::string& name) -> const sheets::Sheet* {
    for (const auto& s : *workbook) {
      if (s.name == name) return &s;
    }
    return nullptr;
  };
  auto value = [](const sheets::Sheet& s, const std::string& label, size_t column) {
    for (const auto& row : s.rows) {
      if (!row.empty() && row[0].as_text() == label && row.size() > column) return row[column].as_text();
    }
    return std::string("(none)");
  };
  const sheets::Sheet* counts = sheet("services");
  ASSERT_NE(counts, nullptr);
  EXPECT_EQ(value(*counts, "responses shown the repeat", 1), "2");  // r1 and r3, the complete ones
  EXPECT_EQ(value(*counts, "responses with at least one", 1), "2");
  EXPECT_EQ(value(*counts, "instances", 1), "3");
  EXPECT_EQ(value(*counts, "mean per response", 1), "1.5");
  const sheets::Sheet* service = sheet("services service");
  ASSERT_NE(service, nullptr);
  EXPECT_EQ(value(*service, "home_care", 2), "1");
  EXPECT_EQ(value(*service, "base", 2), "3");
  EXPECT_EQ(value(*service, "base means", 2), "instances of services, not people");
  // Under the NHS rule the same small counts are stars.
  auto nhs = make_suppression("nhs").value();
  auto hidden = sheets::from_xlsx(*findings_to_xlsx(*a, *nhs, {}), "findings.xlsx");
  ASSERT_TRUE(hidden.ok());
  for (const auto& s : *hidden) {
    if (s.name == "services") {
      EXPECT_EQ(value(s, "instances", 1), "*");
    }
  }
}

}  // namespace
}  // namespace coproduce::survey
