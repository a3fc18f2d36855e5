// Imports of ODK Central and KoboToolbox exports: the fixtures under
// testdata/ are written in the shapes those tools produce (ODK Central's
// "Download all data" CSV with group paths and a column per choice;
// KoboToolbox's CSV separated by semicolons and its .xlsx, with XML values
// and headers), for a form with groups, a select_multiple, a Likert grid, a
// time and Welsh answers. testdata/problems/ holds one file per kind of
// mistake and, beside it, the problems the import must report for it.
#include "collection/odk_kobo.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "collection/response_import.h"
#include "collection/responses.h"
#include "collection/surveys.h"
#include "collection/test_store.h"
#include "collection/transfer.h"
#include "core/csv.h"
#include "security/crypto.h"
#include "sheets/sheets.h"
#include "store/migrations.h"
#include "survey/definition.h"
#include "survey/export.h"
#include "survey/xlsform.h"

namespace coproduce::collection {
namespace {

namespace fs = std::filesystem;
using sheets::Cell;
using sheets::Sheet;

fs::path testdata() {
  const char* src = std::getenv("COPRODUCE_SOURCE_DIR");
  return fs::path(src ? src : ".") / "src" / "collection" / "testdata";
}

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << path;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Sheet sheet(const std::string& name, const std::vector<std::vector<std::string>>& rows) {
  Sheet s{name, {}};
  for (const auto& r : rows) {
    std::vector<Cell> cells;
    for (const auto& t : r) cells.push_back(t.empty() ? Cell::empty() : Cell::of(t));
    s.rows.push_back(std::move(cells));
  }
  return s;
}

// The form the fixtures answer, as an XLSForm in English and Welsh: groups
// about (a select_one with 'other, please specify' and a select_multiple),
// views (a table-list Likert grid) and more (a number, a date, a time, long
// text, a rank, a date and time, and a note), after the metadata start, end
// and deviceid.
std::vector<Sheet> xlsform() {
  const std::string t = "type", n = "name", en = "label::English (en)", cy = "label::Cymraeg (cy)";
  return {sheet("survey",
                {{t, n, en, cy, "relevant", "appearance"},
                 {"start", "start", "", "", "", ""},
                 {"end", "end", "", "", "", ""},
                 {"deviceid", "deviceid", "", "", "", ""},
                 {"begin_group", "about", "About you", "Amdanoch chi", "", "field-list"},
                 {"select_one roles", "role", "What is your role?", "Beth yw eich rôl?", "", ""},
                 {"text", "role_other", "Which role?", "Pa rôl?", "${role} = 'other'", ""},
                 {"select_multiple helps", "help", "What would help?", "Beth fyddai'n helpu?", "", ""},
                 {"end_group", "", "", "", "", ""},
                 {"begin_group", "views", "How much do you agree?", "Faint ydych chi'n cytuno?", "", "table-list"},
                 {"select_one agree", "views_clear", "The survey is clear", "Mae'r arolwg yn glir", "", ""},
                 {"select_one agree", "views_short", "The survey is short", "Mae'r arolwg yn fyr", "", ""},
                 {"end_group", "", "", "", "", ""},
                 {"begin_group", "more", "More", "Mwy", "", "field-list"},
                 {"integer", "age", "How old are you?", "Faint yw eich oed?", "", ""},
                 {"date", "joined", "When did you join?", "Pryd wnaethoch chi ymuno?", "", ""},
                 {"time", "meet", "What time suits you?", "Pa amser sy'n gyfleus?", "", ""},
                 {"text", "story", "Tell us more", "Dywedwch fwy", "", "multiline"},
                 {"rank priorities", "priorities", "Put these in order", "Rhowch y rhain mewn trefn", "", ""},
                 {"datetime", "visit", "When can we visit?", "Pryd gallwn ni ymweld?", "", ""},
                 {"note", "thanks", "Thank you", "Diolch", "", ""},
                 {"end_group", "", "", "", "", ""}}),
          sheet("choices", {{"list_name", n, en, cy},
                            {"roles", "carer", "Carer", "Gofalwr"},
                            {"roles", "worker", "Worker", "Gweithiwr"},
                            {"roles", "other", "Other", "Arall"},
                            {"helps", "time", "Time", "Amser"},
                            {"helps", "money", "Money", "Arian"},
                            {"helps", "training", "Training", "Hyfforddiant"},
                            {"agree", "strongly_disagree", "Strongly disagree", "Anghytuno'n gryf"},
                            {"agree", "disagree", "Disagree", "Anghytuno"},
                            {"agree", "neither", "Neither agree nor disagree", "Dim un"},
                            {"agree", "agree", "Agree", "Cytuno"},
                            {"agree", "strongly_agree", "Strongly agree", "Cytuno'n gryf"},
                            {"priorities", "respite", "A break", "Seibiant"},
                            {"priorities", "advice", "Advice about money", "Cyngor am arian"},
                            {"priorities", "training", "Training", "Hyfforddiant"}}),
          sheet("settings", {{"form_title", "form_id"}, {"Carers' voices", "voices"}})};
}

const survey::Questionnaire& form() {
  static const survey::Questionnaire q = [] {
    survey::XlsformImport in = survey::import_xlsform(xlsform(), "voices.xlsx");
    EXPECT_TRUE(in.ok()) << in.status().to_string();
    return in.questionnaire.value_or(survey::Questionnaire{});
  }();
  return q;
}

// A store with one survey of form(), as a co-production lead would have made it.
class OdkKoboImport : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    Surveys surveys(*db_, clock_);
    auto s = surveys.create(1, form(), "", actor_);
    ASSERT_TRUE(s.ok()) << s.status().to_string();
    survey_ = *s;
  }
  int64_t count() { return conn_->query_one("SELECT COUNT(*) FROM survey_responses")->integer(0); }

  ResponseImport import(const std::string& bytes, const std::string& name, bool commit = true) {
    auto done = import_responses(*db_, clock_, survey_, form(), bytes, name, commit, actor_);
    EXPECT_TRUE(done.ok()) << done.status().to_string();
    return done.ok() ? *done : ResponseImport{};
  }

  // The survey's responses as its own CSV download, by id and column name.
  std::map<std::string, std::map<std::string, std::string>> exported() {
    auto text = export_csv(*db_, clock_, survey_, actor_, "survey.responses.export");
    EXPECT_TRUE(text.ok());
    auto table = csv::parse(*text);
    EXPECT_TRUE(table.ok());
    std::map<std::string, std::map<std::string, std::string>> out;
    for (const auto& row : table->rows) {
      for (size_t i = 0; i < table->header.size(); ++i) out[row.fields[0]][table->header[i]] = row.fields[i];
    }
    return out;
  }

  static std::string problems_text(const ResponseImport& r) {
    std::string out;
    for (const auto& p : r.summary.problems) out += p.where.to_string() + ": " + p.message + "\n";
    return out;
  }

  FakeClock clock_{std::chrono::sys_days(std::chrono::year(2024) / 8 / 1)};
  Survey survey_;
  Actor actor_{1, "127.0.0.1"};
};

// What an import reads of a questionnaire: each question's code, type,
// page, options, items, 'other' and pattern.
std::string shape(const survey::Questionnaire& q) {
  std::string out;
  for (const auto& question : q.questions) {
    out += question.code + " " + std::string(survey::type_name(question.type)) + (question.rank ? " rank" : "") +
           " page " + std::to_string(question.page) + " [";
    for (const auto& o : question.options) out += o.code + " ";
    out += "] [";
    for (const auto& i : question.items) out += i.code + " ";
    out += "]" + std::string(question.other_specify ? " other" : "") + " " + question.validation.pattern + "\n";
  }
  return out;
}

TEST(OdkKobo, TheFixturesFormIsTheDefinitionTheHttpTestsUpload) {
  auto json = survey::parse_definition(read(testdata() / "form.json"), "form.json");
  ASSERT_TRUE(json.ok()) << json.status().to_string();
  EXPECT_EQ(shape(*json), shape(form()));
  EXPECT_EQ(json->languages, form().languages);
}

TEST(OdkKobo, TellsTheSourceByTheColumns) {
  EXPECT_EQ(detect_source({"SubmissionDate", "about-role", "meta-instanceID", "KEY"}), ResponseSource::kOdkCentral);
  EXPECT_EQ(detect_source({"role", "instanceID", "KEY"}), ResponseSource::kOdkCentral);
  EXPECT_EQ(detect_source({"start", "about/role", "_id", "_uuid", "_submission_time"}), ResponseSource::kKoboToolbox);
  EXPECT_EQ(detect_source({"id", "started_at", "submitted_at", "last_page", "role"}), ResponseSource::kCoproduce);
  EXPECT_EQ(detect_source({"name", "email"}), std::nullopt);
  EXPECT_EQ(csv_separator("\xEF\xBB\xBF\"a\";\"b,c\";\"d\"\n1;2;3\n"), ';');
  EXPECT_EQ(csv_separator("a,b;c,d\n"), ',');
  EXPECT_EQ(source_name(ResponseSource::kKoboToolbox), "KoboToolbox");
}

TEST(OdkKobo, TimesBecomeTheStoresUtcForm) {
  EXPECT_EQ(normalise_timestamp("2024-06-05T10:15:30.123Z"), "2024-06-05T10:15:30Z");
  EXPECT_EQ(normalise_timestamp("2024-06-05T11:02:11.000+01:00"), "2024-06-05T10:02:11Z");
  EXPECT_EQ(normalise_timestamp("2024-06-05T00:30:00.000+0200"), "2024-06-04T22:30:00Z");
  EXPECT_EQ(normalise_timestamp("2024-12-31T21:00:00-05:00"), "2025-01-01T02:00:00Z");
  EXPECT_EQ(normalise_timestamp("2024-07-01T09:07:45"), "2024-07-01T09:07:45Z");
  EXPECT_EQ(normalise_timestamp("2024-07-01 09:07"), "2024-07-01T09:07:00Z");
  EXPECT_EQ(normalise_timestamp("2024-07-01"), "2024-07-01T00:00:00Z");
  EXPECT_EQ(normalise_timestamp("45474.5", true), "2024-07-01T12:00:00Z");
  EXPECT_EQ(normalise_timestamp("45474.5"), std::nullopt);
  EXPECT_EQ(normalise_timestamp("yesterday"), std::nullopt);
  EXPECT_EQ(normalise_timestamp("2024-02-30T10:00:00Z"), std::nullopt);
  EXPECT_EQ(normalise_timestamp("2024-06-05T25:00:00Z"), std::nullopt);
  EXPECT_EQ(normalise_timestamp("2024-06-05T10:00:00 UTC"), std::nullopt);
}

TEST_F(OdkKoboImport, AnOdkCentralExportComesInWithItsGroupsChoicesTimesAndWelsh) {
  ResponseImport done = import(read(testdata() / "odk_central.csv"), "odk_central.csv");
  ASSERT_TRUE(done.summary.problems.empty()) << problems_text(done);
  EXPECT_EQ(done.source, ResponseSource::kOdkCentral);
  EXPECT_FALSE(done.spreadsheet);
  EXPECT_EQ(done.summary.rows, 3);
  EXPECT_EQ(done.summary.complete, 3);
  EXPECT_EQ(done.id_column, "KEY");
  EXPECT_EQ(done.started_column, "start");
  EXPECT_EQ(done.submitted_column, "SubmissionDate");
  EXPECT_EQ(done.ignored, (std::vector<std::string>{"end", "deviceid", "more-thanks", "meta-instanceID", "SubmitterID",
                                                    "SubmitterName", "AttachmentsPresent", "AttachmentsExpected",
                                                    "Status", "ReviewState", "DeviceID", "Edits", "FormVersion"}));
  EXPECT_EQ(count(), 3);

  auto r = exported();
  ASSERT_EQ(r.size(), 3u);
  // The id is KEY without its uuid: prefix (KEY stays the same when a submission is edited).
  const auto& first = r.at("6f1c7e0a-8d2b-4c55-9a3e-1b2c3d4e5f60");
  EXPECT_EQ(first.at("started_at"), "2024-06-05T10:02:11Z");
  EXPECT_EQ(first.at("submitted_at"), "2024-06-05T10:15:30Z");
  EXPECT_EQ(first.at("last_page"), std::to_string(form().pages));
  EXPECT_EQ(first.at("role"), "carer");
  EXPECT_EQ(first.at("help[time]"), "1");
  EXPECT_EQ(first.at("help[money]"), "");
  EXPECT_EQ(first.at("help[training]"), "1");
  EXPECT_EQ(first.at("views[clear]"), "agree");
  EXPECT_EQ(first.at("views[short]"), "strongly_agree");
  EXPECT_EQ(first.at("age"), "34");
  EXPECT_EQ(first.at("joined"), "2023-09-01");
  EXPECT_EQ(first.at("meet"), "14:30");
  EXPECT_EQ(first.at("story"), "Mae'n dda iawn, diolch.\nRoedd yr ŵyl yn wych!");
  const auto& second = r.at("0d9a2b6e-3f41-4e7c-b8a5-6c7d8e9f0a1b");
  EXPECT_EQ(second.at("role"), "other");
  EXPECT_EQ(second.at("role_other"), "Gofalwr ifanc");
  EXPECT_EQ(second.at("help[time]"), "");
  EXPECT_EQ(second.at("views[clear]"), "");
  EXPECT_TRUE(r.count("3e2d1c0b-9a8f-4e7d-8c6b-5a4f3e2d1c0b")) << "an edited submission keeps its first id";
  EXPECT_EQ(r.at("3e2d1c0b-9a8f-4e7d-8c6b-5a4f3e2d1c0b").at("meet"), "09:05");

  // The same file again: every id is already a response, named where it is in the file.
  ResponseImport again = import(read(testdata() / "odk_central.csv"), "odk_central.csv");
  ASSERT_EQ(again.summary.problems.size(), 3u) << problems_text(again);
  const Location& where = again.summary.problems[1].where;
  EXPECT_EQ(where.file, "odk_central.csv");
  EXPECT_EQ(where.line, 4) << "the first row spans two lines";
  EXPECT_EQ(where.column, 19);
  EXPECT_EQ(where.field, "KEY");
  EXPECT_EQ(again.summary.problems[1].message,
            "the id '0d9a2b6e-3f41-4e7c-b8a5-6c7d8e9f0a1b' is already a response to this survey");
  EXPECT_EQ(count(), 3);
  EXPECT_EQ(conn_->query_one("SELECT COUNT(*) FROM audit_log WHERE action = 'survey.responses.import'")->integer(0), 1);
}

TEST_F(OdkKoboImport, AKoboToolboxCsvSeparatedBySemicolonsComesIn) {
  ResponseImport done = import(read(testdata() / "kobo.csv"), "kobo.csv");
  ASSERT_TRUE(done.summary.problems.empty()) << problems_text(done);
  EXPECT_EQ(done.source, ResponseSource::kKoboToolbox);
  EXPECT_EQ(done.id_column, "_uuid");
  EXPECT_EQ(done.submitted_column, "_submission_time");
  EXPECT_EQ(done.ignored, (std::vector<std::string>{"end", "today", "_id", "_validation_status", "_notes", "_status",
                                                    "_submitted_by", "__version__", "_tags", "_index"}));
  auto r = exported();
  ASSERT_EQ(r.size(), 2u);
  const auto& first = r.at("b7c3a1e2-5d4f-4a6b-8c9d-0e1f2a3b4c5d");
  EXPECT_EQ(first.at("started_at"), "2024-07-01T09:00:12Z");
  EXPECT_EQ(first.at("submitted_at"), "2024-07-01T09:07:45Z");
  EXPECT_EQ(first.at("role"), "worker");
  EXPECT_EQ(first.at("help[time]"), "");
  EXPECT_EQ(first.at("help[money]"), "1");
  EXPECT_EQ(first.at("help[training]"), "1");
  EXPECT_EQ(first.at("views[clear]"), "strongly_agree");
  EXPECT_EQ(first.at("joined"), "2024-02-29");
  EXPECT_EQ(first.at("meet"), "18:45");
  EXPECT_EQ(first.at("story"), "Popeth yn iawn; diolch i'r tîm");
  EXPECT_EQ(r.at("c8d4b2f3-6e5a-4b7c-9d0e-1f2a3b4c5d6e").at("role"), "carer");
}

// KoboToolbox's .xlsx: numbers and dates stored as the spreadsheet's own
// (a date as its day number), only the column of codes for a select_multiple.
std::vector<Sheet> kobo_workbook() {
  auto text = [](const std::string& s) { return s.empty() ? Cell::empty() : Cell::of(s); };
  Sheet main{"Carers' voices", {}};
  main.rows.push_back({});
  for (const char* h : {"start", "end", "about/role", "about/help", "views/views_clear", "more/age", "more/joined",
                        "more/story", "_id", "_uuid", "_submission_time", "_index"}) {
    main.rows[0].push_back(Cell::of(h));
  }
  main.rows.push_back({text("2024-07-03T08:00:00.000+01:00"), text("2024-07-03T08:05:00.000+01:00"), text("carer"),
                       text("time money"), text("neither"), Cell::whole(62), Cell::whole(45474), text("Iawn diolch ✓"),
                       Cell::whole(103), text("d9e5c3a4-7f6b-4c8d-0e1f-2a3b4c5d6e7f"), text("2024-07-03T07:05:30"),
                       Cell::whole(1)});
  return {main};
}

TEST_F(OdkKoboImport, AKoboToolboxWorkbookComesInWithItsNumbersAndDates) {
  auto bytes = sheets::to_xlsx(kobo_workbook());
  ASSERT_TRUE(bytes.ok());
  ResponseImport done = import(*bytes, "kobo.xlsx");
  ASSERT_TRUE(done.summary.problems.empty()) << problems_text(done);
  EXPECT_TRUE(done.spreadsheet);
  EXPECT_EQ(done.source, ResponseSource::kKoboToolbox);
  const auto row = exported().at("d9e5c3a4-7f6b-4c8d-0e1f-2a3b4c5d6e7f");
  EXPECT_EQ(row.at("age"), "62");
  EXPECT_EQ(row.at("joined"), "2024-07-01");
  EXPECT_EQ(row.at("help[time]"), "1");
  EXPECT_EQ(row.at("help[money]"), "1");
  EXPECT_EQ(row.at("story"), "Iawn diolch ✓");
}

TEST_F(OdkKoboImport, ARepeatSheetForASurveyWithoutRepeatsIsNamedAndAProblemIsAtItsRowAndLetteredColumn) {
  std::vector<Sheet> book = kobo_workbook();
  book[0].rows[1][2] = Cell::of("alien");
  book.push_back(sheet("people", {{"name", "_index", "_parent_table_name", "_parent_index"}, {"Ann", "1", "x", "1"}}));
  auto bytes = sheets::to_xlsx(book);
  ASSERT_TRUE(bytes.ok());
  ResponseImport done = import(*bytes, "kobo.xlsx");
  ASSERT_EQ(done.summary.problems.size(), 2u) << problems_text(done);
  const Location& at = done.summary.problems[0].where;
  EXPECT_EQ(at.file, "kobo.xlsx");
  EXPECT_EQ(at.line, 2);
  EXPECT_EQ(at.column, 3);
  EXPECT_EQ(at.field, "about/role");
  EXPECT_EQ(done.summary.problems[1].where.file, "kobo.xlsx, sheet 'people'");
  EXPECT_EQ(done.summary.problems[1].where.line, 0);
  EXPECT_NE(done.summary.problems[1].message.find(
                "the sheet 'people' holds the answers to a repeated group of questions, but this survey asks each "
                "of its questions once"),
            std::string::npos)
      << done.summary.problems[1].message;
  EXPECT_EQ(count(), 0);
}

TEST_F(OdkKoboImport, OdkWithoutGroupPathsOrChoiceColumnsComesIn) {
  // ODK Central's export with "Remove group names" and without "Split select multiples".
  const std::string file =
      "SubmissionDate,role,help,clear,short,age,instanceID,KEY\n"
      "2024-06-05T10:15:30.123Z,worker,money time,disagree,agree,40,uuid:a,uuid:a\n";
  ResponseImport done = import(file, "plain.csv");
  ASSERT_TRUE(done.summary.problems.empty()) << problems_text(done);
  EXPECT_EQ(done.started_column, "SubmissionDate");
  const auto row = exported().at("a");
  EXPECT_EQ(row.at("started_at"), "2024-06-05T10:15:30Z");
  EXPECT_EQ(row.at("help[time]"), "1");
  EXPECT_EQ(row.at("help[money]"), "1");
  EXPECT_EQ(row.at("views[clear]"), "disagree");
  EXPECT_EQ(row.at("views[short]"), "agree");
}

TEST_F(OdkKoboImport, ARankGivesEachThingItsPlaceAndADateAndTimeKeepsItsLocalClock) {
  const std::string header = "SubmissionDate,more-priorities,more-visit,KEY\n";
  ResponseImport done =
      import(header +
                 "2024-06-05T10:15:30.123Z,advice respite training,2024-06-10T14:30:00.000+01:00,uuid:r1\n"
                 "2024-06-05T10:16:30.123Z,respite,,uuid:r2\n",
             "ranks.csv");
  ASSERT_TRUE(done.summary.problems.empty()) << problems_text(done);
  auto r = exported();
  EXPECT_EQ(r.at("r1").at("priorities[advice]"), "1");
  EXPECT_EQ(r.at("r1").at("priorities[respite]"), "2");
  EXPECT_EQ(r.at("r1").at("priorities[training]"), "3");
  EXPECT_EQ(r.at("r1").at("visit"), "2024-06-10 14:30");
  EXPECT_EQ(r.at("r2").at("priorities[respite]"), "1");
  EXPECT_EQ(r.at("r2").at("priorities[advice]"), "");

  ResponseImport bad = import(header + "2024-06-05T10:15:30.123Z,respite sleep respite,,uuid:r3\n", "ranks.csv");
  ASSERT_EQ(bad.summary.problems.size(), 2u) << problems_text(bad);
  EXPECT_EQ(bad.summary.problems[0].where.to_string(), "ranks.csv, line 2, column 2, 'more-priorities'");
  EXPECT_EQ(bad.summary.problems[0].message,
            "'sleep' is not one of the things priorities puts in order (they are: respite, advice, training)");
  EXPECT_EQ(bad.summary.problems[1].message, "'respite' is given two places in priorities");
  EXPECT_EQ(count(), 2);
}

TEST_F(OdkKoboImport, TooManyRowsAreRefusedAtTheFirstOneTooMany) {
  std::string file = "SubmissionDate,about-role,KEY\n";
  for (size_t i = 0; i <= kMaxImportRows; ++i) file += "2024-06-05T10:15:30Z,carer,uuid:" + std::to_string(i) + "\n";
  ResponseImport done = import(file, "huge.csv");
  ASSERT_EQ(done.summary.problems.size(), 1u);
  EXPECT_EQ(done.summary.problems[0].where.line, static_cast<long>(kMaxImportRows) + 2);
  EXPECT_NE(done.summary.problems[0].message.find("too many rows"), std::string::npos);
  EXPECT_EQ(count(), 0);
}

TEST_F(OdkKoboImport, CoproducesOwnFilesStillComeInAsBefore) {
  const std::vector<std::string> columns = survey::response_columns(form());
  auto line = [&](std::map<std::string, std::string> v) {
    std::string out;
    for (const auto& c : columns) out += (out.empty() ? "" : ",") + csv::quote(v[c]);
    return out + "\n";
  };
  std::string header;
  for (const auto& c : columns) header += (header.empty() ? "" : ",") + c;
  const std::string own = header + "\n" +
                          line({{"id", "own-1"},
                                {"started_at", "2024-07-01T09:00:00Z"},
                                {"last_page", "1"},
                                {"role", "carer"},
                                {"help[time]", "1"}});
  ResponseImport done = import(own, "own.csv");
  ASSERT_TRUE(done.summary.problems.empty()) << problems_text(done);
  EXPECT_EQ(done.source, ResponseSource::kCoproduce);
  EXPECT_EQ(done.summary.complete, 0);
  EXPECT_EQ(exported().at("own-1").at("help[time]"), "1");
  // Its own .xlsx download comes back in too, problems at the sheet's rows.
  auto xlsx = export_xlsx(*db_, clock_, survey_, actor_);
  ASSERT_TRUE(xlsx.ok());
  ResponseImport twice = import(*xlsx, "responses.xlsx");
  ASSERT_EQ(twice.summary.problems.size(), 1u) << problems_text(twice);
  EXPECT_EQ(twice.summary.problems[0].where.line, 2);
  EXPECT_EQ(twice.summary.problems[0].where.column, 1);
  EXPECT_EQ(twice.summary.problems[0].message, "the id 'own-1' is already a response to this survey");
}

// Each file in testdata/problems/ and the problems beside it in NAME.expected,
// one a line: "LINE COLUMN FIELD | message" ("-" for no field).
TEST_F(OdkKoboImport, EachMistakeIsNamedByFileLineAndColumnAndNothingIsWritten) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(testdata() / "problems")) {
    if (entry.path().extension() == ".csv") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  ASSERT_GE(files.size(), 7u);
  for (const fs::path& file : files) {
    SCOPED_TRACE(file.filename().string());
    std::vector<std::string> expected;
    std::istringstream lines(read(fs::path(file).replace_extension(".expected")));
    for (std::string l; std::getline(lines, l);) {
      if (l.empty() || l[0] == '#') continue;
      std::istringstream parts(l.substr(0, l.find(" | ")));
      std::string line, column, field;
      parts >> line >> column >> field;
      expected.push_back(line + " " + column + " " + field + " | " + l.substr(l.find(" | ") + 3));
    }
    ResponseImport done = import(read(file), file.filename().string());
    std::vector<std::string> found;
    for (const auto& p : done.summary.problems) {
      EXPECT_EQ(p.where.file, file.filename().string());
      found.push_back(std::to_string(p.where.line) + " " + std::to_string(p.where.column) + " " +
                      (p.where.field.empty() ? "-" : p.where.field) + " | " + p.message);
    }
    EXPECT_EQ(found, expected);
    EXPECT_EQ(count(), 0);
  }
}

// ---------------------------------------------------------------------------
// Repeated questions: testdata/repeats/form.json asks, for each person the
// carer looks after (at most 3), their name, age and what they need help with.

const survey::Questionnaire& repeat_form() {
  static const survey::Questionnaire q = [] {
    auto parsed = survey::parse_definition(read(testdata() / "repeats" / "form.json"), "form.json");
    EXPECT_TRUE(parsed.ok()) << parsed.status().to_string();
    return parsed.ok() ? *parsed : survey::Questionnaire{};
  }();
  return q;
}

class RepeatImport : public OdkKoboImport {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    Surveys surveys(*db_, clock_);
    auto s = surveys.create(1, repeat_form(), "", actor_);
    ASSERT_TRUE(s.ok()) << s.status().to_string();
    survey_ = *s;
  }

  ResponseImport import_with(const std::string& bytes, const std::string& name, std::vector<ImportFile> files,
                             bool commit = true) {
    auto done = import_responses(*db_, clock_, survey_, repeat_form(), bytes, name, commit, actor_, files);
    EXPECT_TRUE(done.ok()) << done.status().to_string();
    return done.ok() ? *done : ResponseImport{};
  }

  // A stored response's answers by key ("name#2"), as text: values joined by spaces.
  std::map<std::string, std::string> stored(const std::string& id) {
    auto row = conn_->query_one("SELECT answers FROM survey_responses WHERE external_id = $1", {id});
    EXPECT_TRUE(row.ok()) << id;
    std::map<std::string, std::string> out;
    if (!row.ok()) return out;
    for (const auto& [key, answer] : answers_from_json(nlohmann::json::parse(row->text(0)))) {
      std::string text;
      for (const auto& v : answer.values) text += (text.empty() ? "" : " ") + v;
      out[key] = text;
    }
    return out;
  }

  static ImportFile file(const std::string& name) { return {name, read(testdata() / "repeats" / name)}; }
};

TEST_F(RepeatImport, OdkCentralsMainCsvAndRepeatCsvComeInAsInstancesNumberedByTheirKeys) {
  ResponseImport done =
      import_with(read(testdata() / "repeats" / "odk_main.csv"), "odk_main.csv", {file("odk_main-people.csv")});
  ASSERT_TRUE(done.summary.problems.empty()) << problems_text(done);
  EXPECT_EQ(done.summary.rows, 2);
  ASSERT_EQ(done.repeats.size(), 1u);
  EXPECT_EQ(done.repeats[0].code, "people");
  EXPECT_EQ(done.repeats[0].rows, 3);
  EXPECT_EQ(done.repeats[0].files, std::vector<std::string>{"odk_main-people.csv"});
  EXPECT_EQ(count(), 2);

  auto first = stored("1a2b3c4d-0001-4c55-9a3e-1b2c3d4e5f60");
  EXPECT_EQ(first["role"], "carer");
  EXPECT_EQ(first["people"], "2");
  // Mair's KEY ends [1]: she is the first instance although her row comes second.
  EXPECT_EQ(first["name#1"], "Mair");
  EXPECT_EQ(first["needs#1"], "money");
  EXPECT_EQ(first["name#2"], "Dafydd");
  EXPECT_EQ(first["age#2"], "81");
  EXPECT_EQ(first["needs#2"], "meals travel");
  EXPECT_FALSE(first.count("name#3"));
  auto second = stored("1a2b3c4d-0002-4c55-9a3e-1b2c3d4e5f60");
  EXPECT_EQ(second["people"], "1");
  EXPECT_EQ(second["name#1"], "Tom");
  EXPECT_FALSE(second.count("needs#1"));
  EXPECT_EQ(conn_->query_one("SELECT COUNT(*) FROM audit_log WHERE action = 'survey.responses.import'")->integer(0), 1);
}

TEST_F(RepeatImport, ARepeatRowsProblemsNameItsFileLineAndColumnAndNothingIsAdded) {
  ResponseImport done =
      import_with(read(testdata() / "repeats" / "odk_main.csv"), "odk_main.csv", {file("odk_bad-people.csv")});
  std::vector<std::string> found;
  for (const auto& p : done.summary.problems) found.push_back(p.where.to_string() + ": " + p.message);
  ASSERT_EQ(found.size(), 3u) << problems_text(done);
  EXPECT_EQ(done.summary.problems[0].where.file, "odk_bad-people.csv");
  EXPECT_EQ(done.summary.problems[0].where.line, 2);
  EXPECT_EQ(done.summary.problems[0].where.column, 2);
  EXPECT_EQ(done.summary.problems[0].where.field, "people-age");
  EXPECT_EQ(done.summary.problems[1].where.line, 3);
  EXPECT_EQ(done.summary.problems[1].where.field, "people-needs");
  EXPECT_NE(done.summary.problems[1].message.find("'shopping' is not an option of needs"), std::string::npos)
      << found[1];
  EXPECT_EQ(done.summary.problems[2].where.line, 4);
  EXPECT_EQ(done.summary.problems[2].where.field, "PARENT_KEY");
  EXPECT_EQ(done.summary.problems[2].message,
            "no response in odk_main.csv has the KEY '99999999-0000-4c55-9a3e-1b2c3d4e5f60': each row of a "
            "repeated group belongs to a row of the main file");
  EXPECT_EQ(count(), 0);

  // The responses file given again as a file for repeated questions: it links nothing, and says so.
  ResponseImport twice =
      import_with(read(testdata() / "repeats" / "odk_main.csv"), "odk_main.csv", {file("odk_main.csv")});
  ASSERT_EQ(twice.summary.problems.size(), 1u) << problems_text(twice);
  EXPECT_EQ(twice.summary.problems[0].where.file, "odk_main.csv");
  EXPECT_NE(twice.summary.problems[0].message.find("this file has no column saying which response each row belongs to"),
            std::string::npos);
  EXPECT_EQ(count(), 0);
}

// KoboToolbox's .xlsx: the main sheet, and a sheet named after the repeat
// whose rows point at the main sheet's _index.
std::vector<Sheet> kobo_repeat_workbook() {
  return {sheet("The people you care for",
                {{"start", "end", "role", "overall", "_id", "_uuid", "_submission_time", "_index"},
                 {"2024-07-03T08:00:00.000+01:00", "2024-07-03T08:05:00.000+01:00", "worker", "", "201",
                  "aa11bb22-0001-4c8d-0e1f-2a3b4c5d6e7f", "2024-07-03T07:05:30", "1"},
                 {"2024-07-04T08:00:00.000+01:00", "2024-07-04T08:05:00.000+01:00", "carer", "Iawn", "202",
                  "aa11bb22-0002-4c8d-0e1f-2a3b4c5d6e7f", "2024-07-04T07:05:30", "2"}}),
          sheet("people", {{"people/name", "people/age", "people/needs", "_index", "_parent_table_name",
                            "_parent_index", "_submission__id", "_submission__uuid", "_submission__submission_time"},
                           {"Gwen", "90", "meals", "1", "The people you care for", "2", "202",
                            "aa11bb22-0002-4c8d-0e1f-2a3b4c5d6e7f", "2024-07-04T07:05:30"},
                           {"Huw", "88", "money travel", "2", "The people you care for", "2", "202",
                            "aa11bb22-0002-4c8d-0e1f-2a3b4c5d6e7f", "2024-07-04T07:05:30"},
                           {"Ifan", "7", "", "3", "The people you care for", "1", "201",
                            "aa11bb22-0001-4c8d-0e1f-2a3b4c5d6e7f", "2024-07-03T07:05:30"}})};
}

TEST_F(RepeatImport, AKoboToolboxWorkbooksRepeatSheetComesInInFileOrder) {
  auto bytes = sheets::to_xlsx(kobo_repeat_workbook());
  ASSERT_TRUE(bytes.ok());
  ResponseImport done = import_with(*bytes, "kobo.xlsx", {});
  ASSERT_TRUE(done.summary.problems.empty()) << problems_text(done);
  ASSERT_EQ(done.repeats.size(), 1u);
  EXPECT_EQ(done.repeats[0].rows, 3);
  EXPECT_EQ(done.repeats[0].files, std::vector<std::string>{"kobo.xlsx, sheet 'people'"});
  auto second = stored("aa11bb22-0002-4c8d-0e1f-2a3b4c5d6e7f");
  EXPECT_EQ(second["people"], "2");
  EXPECT_EQ(second["name#1"], "Gwen");
  EXPECT_EQ(second["name#2"], "Huw");
  EXPECT_EQ(second["needs#2"], "money travel");
  EXPECT_EQ(second["age#1"], "90");
  auto first = stored("aa11bb22-0001-4c8d-0e1f-2a3b4c5d6e7f");
  EXPECT_EQ(first["people"], "1");
  EXPECT_EQ(first["name#1"], "Ifan");
}

TEST_F(RepeatImport, AKoboRowForAnUnknownParentOrTooManyInstancesIsNamedBySheetRowAndColumn) {
  std::vector<Sheet> book = kobo_repeat_workbook();
  book[1].rows[3][5] = Cell::of("7");  // Ifan's _parent_index: no such row
  for (const char* name : {"Jac", "Kim"}) {
    book[1].rows.push_back({Cell::of(name), Cell::empty(), Cell::empty(), Cell::of("9"),
                            Cell::of("The people you care for"), Cell::of("2")});
  }
  auto bytes = sheets::to_xlsx(book);
  ASSERT_TRUE(bytes.ok());
  ResponseImport done = import_with(*bytes, "kobo.xlsx", {});
  ASSERT_EQ(done.summary.problems.size(), 2u) << problems_text(done);
  EXPECT_EQ(done.summary.problems[0].where.to_string(), "kobo.xlsx, sheet 'people', line 4, column 6, '_parent_index'");
  EXPECT_EQ(done.summary.problems[0].message,
            "no response in kobo.xlsx has the _index '7': each row of a repeated group belongs to a row of the main "
            "file");
  EXPECT_EQ(done.summary.problems[1].where.line, 6);
  EXPECT_EQ(done.summary.problems[1].message,
            "the response 'aa11bb22-0002-4c8d-0e1f-2a3b4c5d6e7f' has 4 rows of people, more than the 3 the survey "
            "allows");
  EXPECT_EQ(count(), 0);
}

TEST_F(RepeatImport, ASheetForARepeatTheSurveyDoesNotHaveIsNamed) {
  std::vector<Sheet> book = kobo_repeat_workbook();
  book[1] = sheet("pets", {{"pets/kind", "_index", "_parent_table_name", "_parent_index"},
                           {"cat", "1", "The people you care for", "1"}});
  auto bytes = sheets::to_xlsx(book);
  ASSERT_TRUE(bytes.ok());
  ResponseImport done = import_with(*bytes, "kobo.xlsx", {});
  ASSERT_EQ(done.summary.problems.size(), 1u) << problems_text(done);
  EXPECT_EQ(done.summary.problems[0].where.file, "kobo.xlsx, sheet 'pets'");
  EXPECT_EQ(done.summary.problems[0].message,
            "the sheet 'pets' holds the answers to a repeated group of questions, but none of this survey's repeats "
            "(people): its name and its columns match none of them");
  EXPECT_EQ(count(), 0);
}

TEST_F(RepeatImport, OdkWideColumnsAreInstancesOfTheRepeat) {
  const std::string file =
      "SubmissionDate,role,people[1]/name,people[1]/age,people[2]/name,people[2]/age,KEY\n"
      "2024-06-05T10:15:30Z,carer,Ann,70,Bob,71,uuid:w1\n"
      "2024-06-05T10:16:30Z,worker,Cai,x,,,uuid:w2\n";
  ResponseImport bad = import_with(file, "wide.csv", {});
  ASSERT_EQ(bad.summary.problems.size(), 1u) << problems_text(bad);
  EXPECT_EQ(bad.summary.problems[0].where.to_string(), "wide.csv, line 3, column 4, 'people[1]/age'");
  EXPECT_EQ(count(), 0);

  std::string good = file;
  good.replace(good.find("Cai,x"), 5, "Cai,9");
  ResponseImport done = import_with(good, "wide.csv", {});
  ASSERT_TRUE(done.summary.problems.empty()) << problems_text(done);
  auto w1 = stored("w1");
  EXPECT_EQ(w1["people"], "2");
  EXPECT_EQ(w1["name#2"], "Bob");
  EXPECT_EQ(w1["age#1"], "70");
  EXPECT_EQ(stored("w2")["people"], "1");
}

TEST_F(RepeatImport, CoproducesOwnRepeatTableComesBackFromACsvFileOrASheetOfItsWorkbook) {
  const std::vector<std::string> columns = survey::response_columns(repeat_form());
  std::string own;
  for (const auto& c : columns) own += (own.empty() ? "" : ",") + c;
  own += "\n";
  for (const auto& c : columns) {
    own += std::string(c == "id" ? "" : ",") +
           (c == "id" ? "own-1" : c == "started_at" ? "2024-07-01T09:00:00Z" : c == "last_page" ? "3" : "");
  }
  own += "\n";
  const std::string repeat = "response_id,instance,name,age,needs[meals],needs[money],needs[travel]\n"
                             "own-1,2,Non,55,,1,\n"
                             "own-1,1,Osian,60,1,,1\n";
  ResponseImport done = import_with(own, "responses.csv", {{"responses-people.csv", repeat}});
  ASSERT_TRUE(done.summary.problems.empty()) << problems_text(done);
  EXPECT_EQ(done.source, ResponseSource::kCoproduce);
  auto r = stored("own-1");
  EXPECT_EQ(r["people"], "2");
  EXPECT_EQ(r["name#1"], "Osian");
  EXPECT_EQ(r["needs#1"], "meals travel");
  EXPECT_EQ(r["name#2"], "Non");

  // Its own workbook: the sheet "responses", and one named by each repeat's code.
  std::vector<std::string> head(columns.begin(), columns.end()), values;
  for (const auto& c : columns) {
    values.push_back(c == "id" ? "own-3" : c == "started_at" ? "2024-07-02T09:00:00Z" : c == "last_page" ? "3" : "");
  }
  auto book = sheets::to_xlsx({sheet("responses", {head, values}),
                               sheet("codebook", {{"question_code", "column"}, {"name", "name"}}),
                               sheet("people", {{"response_id", "instance", "name", "age", "needs[money]"},
                                                {"own-3", "1", "Rhys", "30", "1"},
                                                {"own-3", "1", "Sara", "31", ""}})});
  ASSERT_TRUE(book.ok());
  ResponseImport twice = import_with(*book, "responses.xlsx", {});
  ASSERT_EQ(twice.summary.problems.size(), 1u) << problems_text(twice);
  EXPECT_EQ(twice.summary.problems[0].where.to_string(), "responses.xlsx, sheet 'people', line 3, column 2, 'instance'");
  EXPECT_EQ(twice.summary.problems[0].message,
            "the response 'own-3' has two rows numbered 1 of people: each instance needs its own number");
  book = sheets::to_xlsx({sheet("responses", {head, values}),
                          sheet("people", {{"response_id", "instance", "name", "age", "needs[money]"},
                                           {"own-3", "1", "Rhys", "30", "1"},
                                           {"own-3", "2", "Sara", "31", ""}})});
  ASSERT_TRUE(book.ok());
  ResponseImport workbook = import_with(*book, "responses.xlsx", {});
  ASSERT_TRUE(workbook.summary.problems.empty()) << problems_text(workbook);
  EXPECT_EQ(stored("own-3")["name#2"], "Sara");
  EXPECT_EQ(stored("own-3")["needs#1"], "money");
  EXPECT_EQ(stored("own-3")["people"], "2");

  const std::string bad = "response_id,instance,name,age,pets\nown-2,1,Non,old,cat\n";
  ResponseImport refused = import_with(own, "responses.csv", {{"people.csv", bad}});
  std::string text = problems_text(refused);
  EXPECT_NE(text.find("people.csv, line 1, column 5, 'pets': the column 'pets' is not one of this repeat's"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("people.csv, line 2, column 1, 'response_id': no response in responses.csv has the id 'own-2'"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("people.csv, line 2, column 4, 'age'"), std::string::npos) << text;
}

TEST_F(RepeatImport, WhatTheExportWritesForARepeatComesBackAsItWas) {
  survey::ResponseRecord record;
  record.id = "export-1";
  record.started_at = "2024-07-05T10:00:00Z";
  record.submitted_at = "2024-07-05T10:09:00Z";
  record.last_page = 3;
  record.answers["role"] = {{"carer"}, ""};
  record.answers["people"] = {{"2"}, ""};
  record.answers["name#1"] = {{"=Wyn"}, ""};  // comes back as typed, whatever marks the file gives it
  record.answers["needs#1"] = {{"meals", "travel"}, ""};
  record.answers["name#2"] = {{"Zoe"}, ""};
  record.answers["age#2"] = {{"44"}, ""};
  const std::vector<survey::ResponseRecord> records = {record};
  ResponseImport done = import_with(survey::responses_to_csv(repeat_form(), records), "responses.csv",
                                    {{"responses-people.csv", survey::repeat_to_csv(repeat_form(), 0, records)}});
  ASSERT_TRUE(done.summary.problems.empty()) << problems_text(done);
  ASSERT_EQ(done.repeats.size(), 1u);
  EXPECT_EQ(done.repeats[0].rows, 2);
  auto r = stored("export-1");
  EXPECT_EQ(r["people"], "2");
  EXPECT_EQ(r["name#1"], "=Wyn");
  EXPECT_EQ(r["needs#1"], "meals travel");
  EXPECT_EQ(r["name#2"], "Zoe");
  EXPECT_EQ(r["age#2"], "44");
  EXPECT_EQ(r["role"], "carer");
}

// A repeat counted by an earlier question (repeat_count ${how_many}): each
// response's count must match the rows its repeat file gives it, or the
// import names the count's cell and adds nothing.
TEST_F(OdkKoboImport, ACountedRepeatMustHaveAsManyRowsAsItsCountSays) {
  auto form = survey::parse_definition(R"({"format": "coproduce-survey/1", "id": "counted", "title": "Counted",
    "repeats": [{"code": "people", "label": "A person", "count": "how_many", "max": 3}],
    "questions": [
      {"code": "how_many", "type": "number", "page": 1, "text": "How many people do you care for?"},
      {"code": "name", "type": "short_text", "page": 2, "text": "Their name", "repeat": "people"}]})",
                                       "counted.json");
  ASSERT_TRUE(form.ok()) << form.status().to_string();
  Surveys surveys(*db_, clock_);
  auto made = surveys.create(1, *form, "", actor_);
  ASSERT_TRUE(made.ok()) << made.status().to_string();
  const std::string main =
      "SubmissionDate,how_many,meta-instanceID,KEY\n"
      "2024-06-05T10:15:30.123Z,2,uuid:aa-1,uuid:aa-1\n"
      "2024-06-05T10:16:30.123Z,1,uuid:aa-2,uuid:aa-2\n";
  const std::string people =
      "people-name,PARENT_KEY,KEY\n"
      "Mair,uuid:aa-1,uuid:aa-1/people[1]\n"
      "Dafydd,uuid:aa-1,uuid:aa-1/people[2]\n"
      "Tom,uuid:aa-2,uuid:aa-2/people[1]\n"
      "Ann,uuid:aa-2,uuid:aa-2/people[2]\n";
  auto done = import_responses(*db_, clock_, *made, *form, main, "main.csv", true, actor_, {{"main-people.csv", people}});
  ASSERT_TRUE(done.ok()) << done.status().to_string();
  ASSERT_EQ(done->summary.problems.size(), 1u) << problems_text(*done);
  const ImportProblem& p = done->summary.problems[0];
  EXPECT_EQ(p.where.file, "main.csv");
  EXPECT_EQ(p.where.line, 3);
  EXPECT_EQ(p.where.column, 2);
  EXPECT_EQ(p.message, "the response 'aa-2' answers how_many with '1', which makes 1 of people, but the files give it 2: "
                       "the count and the rows must agree");
  EXPECT_EQ(count(), 0);

  // With the count right, both come in.
  std::string fixed = main;
  fixed.replace(fixed.find(",1,uuid:aa-2"), 3, ",2,");
  done = import_responses(*db_, clock_, *made, *form, fixed, "main.csv", true, actor_, {{"main-people.csv", people}});
  ASSERT_TRUE(done.ok()) << done.status().to_string();
  EXPECT_TRUE(done->summary.problems.empty()) << problems_text(*done);
  EXPECT_EQ(count(), 2);
}

}  // namespace
}  // namespace coproduce::collection
