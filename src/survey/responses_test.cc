#include "survey/responses.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <utility>
#include <vector>

#include "survey/definition.h"

namespace coproduce::survey {
namespace {

const char* kDefinition = R"({"title": "T", "questions": [
  {"code": "group", "type": "single", "text": "G", "options": ["a", "b"]},
  {"code": "likes", "type": "multiple", "text": "L", "options": ["x", "y"]},
  {"code": "note", "type": "long_text", "text": "N", "page": 2}]})";

const char* kHeader = "id,started_at,submitted_at,last_page,group,likes[x],likes[y],note\n";

Questionnaire questionnaire() {
  StatusOr<Questionnaire> q = parse_definition(kDefinition, "t.json");
  EXPECT_TRUE(q.ok()) << q.status().to_string();
  return *q;
}

// Enough rows to span many 1 MB chunks, with quoted fields holding commas,
// quotes and newlines, so chunk boundaries fall in awkward places.
std::string many_rows(int n) {
  std::string text = kHeader;
  for (int i = 0; i < n; ++i) {
    text += "r" + std::to_string(i) + ",2026-03-01T10:00:00," + (i % 3 ? "2026-03-01T10:05:00" : "") + "," +
            (i % 3 ? "2" : "1") + "," + (i % 2 ? "a" : "b") + "," + (i % 5 ? "1" : "") + ",," +
            (i % 7 == 0 ? "\"line one,\nline \"\"two\"\"\"" : "plain text") + "\n";
  }
  return text;
}

TEST(SurveyResponses, ParsesInParallelChunksAndKeepsOrder) {
  const Questionnaire q = questionnaire();
  const int n = 60000;  // about 3 MB
  const std::string text = many_rows(n);
  ReadOptions options;
  options.file_name = "big.csv";
  options.threads = 3;
  StatusOr<Responses> r = parse_responses(text, q, options);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  ASSERT_EQ(r->rows, static_cast<size_t>(n));
  long complete = 0, a = 0, x = 0, notes = 0;
  for (size_t i = 0; i < r->rows; ++i) {
    complete += r->complete[i];
    a += r->columns[0].choice[i] == 0;
    x += r->columns[1].multiple[i] == 1;
    notes += r->columns[2].text[i];
    ASSERT_EQ(r->columns[0].choice[i], i % 2 ? 0 : 1) << "row " << i << " is out of order";
  }
  EXPECT_EQ(complete, n - (n + 2) / 3);
  EXPECT_EQ(a, n / 2);
  EXPECT_EQ(x, n - n / 5);
  EXPECT_EQ(notes, n);
}

TEST(SurveyResponses, ErrorLinesCountFromTheFileStartInLaterChunks) {
  const Questionnaire q = questionnaire();
  std::string text = many_rows(40000);
  // Every 7th row holds a field spanning two lines, so row k starts on line
  // 2 + k + (number of multi-line rows before k).
  text += "bad,2026-03-01T10:00:00,,1,c,,,\n";
  const long rows_before = 40000, multi = (40000 + 6) / 7;
  ReadOptions options;
  options.file_name = "big.csv";
  StatusOr<Responses> r = parse_responses(text, q, options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().to_string(), "big.csv, line " + std::to_string(2 + rows_before + multi) +
                                        ", column 5, 'group': 'c' is not an option of group (its options: a, b)");
}

// Rows the fast scan reads itself (LF endings, quoted fields without doubled
// quotes, some holding a comma or a newline, an empty line now and then).
// Row k starts on line 2 + k + (rows before k holding a newline) + (empty
// lines before k); every 11th row holds a newline and every 13th is followed
// by an empty line.
std::string plain_rows(int n, const std::string& id_prefix = "r") {
  std::string text = kHeader;
  for (int i = 0; i < n; ++i) {
    text += id_prefix + std::to_string(i) + ",2026-03-01T10:00:00," + (i % 3 ? "2026-03-01T10:05:00" : "") + "," +
            (i % 3 ? "2" : "1") + "," + (i % 2 ? "a" : "b") + "," + (i % 5 ? "1" : "") + "," + (i % 4 ? "" : "0") +
            "," + (i % 11 == 0 ? "\"line one,\nline two\"" : (i % 2 ? "\"with, comma\"" : "plain")) + "\n";
    if (i % 13 == 0) text += "\n";
  }
  return text;
}

long plain_line(long k) { return 2 + k + (k + 10) / 11 + (k + 12) / 13; }

std::string parse_error(const std::string& text) {
  ReadOptions options;
  options.file_name = "big.csv";
  options.threads = 2;
  StatusOr<Responses> r = parse_responses(text, questionnaire(), options);
  return r.ok() ? "no error" : r.status().to_string();
}

// The fast scan and the CSV reader must read the same answers: the same rows
// with CRLF line endings (which only the CSV reader takes) give equal columns.
TEST(SurveyResponses, FastScanReadsWhatTheCsvReaderReads) {
  const Questionnaire q = questionnaire();
  const std::string lf = plain_rows(20000);
  std::string crlf;
  for (char c : lf) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  StatusOr<Responses> a = parse_responses(lf, q, {});
  StatusOr<Responses> b = parse_responses(crlf, q, {});
  ASSERT_TRUE(a.ok()) << a.status().to_string();
  ASSERT_TRUE(b.ok()) << b.status().to_string();
  ASSERT_EQ(a->rows, 20000u);
  ASSERT_EQ(b->rows, 20000u);
  EXPECT_EQ(a->complete, b->complete);
  EXPECT_EQ(a->last_page, b->last_page);
  for (size_t v = 0; v < a->columns.size(); ++v) {
    EXPECT_EQ(a->columns[v].choice, b->columns[v].choice) << "column " << v;
    EXPECT_EQ(a->columns[v].multiple, b->columns[v].multiple) << "column " << v;
    EXPECT_EQ(a->columns[v].text, b->columns[v].text) << "column " << v;
  }
  EXPECT_EQ(a->columns[0].choice[1], 0);
  EXPECT_EQ(a->columns[1].multiple[0], 0u);
  EXPECT_EQ(a->columns[1].multiple[1], 1u);
}

// The last row may end with the file instead of a newline, on a quoted
// field or an empty one; empty lines at the end are no rows.
TEST(SurveyResponses, TheLastRowMayEndWithTheFile) {
  const Questionnaire q = questionnaire();
  for (const std::string& last : {std::string("\"last, quoted\""), std::string("plain"), std::string()}) {
    for (const std::string& ending : {std::string(), std::string("\n"), std::string("\n\n\n")}) {
      const std::string text = plain_rows(3000) + "z,2026-03-01,,1,a,1,," + last + ending;
      StatusOr<Responses> r = parse_responses(text, q, {});
      ASSERT_TRUE(r.ok()) << r.status().to_string();
      ASSERT_EQ(r->rows, 3001u) << last << ending.size();
      EXPECT_EQ(r->columns[2].text[3000], last.empty() ? 0 : 1) << last;
      EXPECT_EQ(r->columns[1].multiple[3000], 1u);
    }
  }
}

// A mistake deep in a file the fast scan reads is reported on its real line
// and column, in the same words as before the fast scan existed.
TEST(SurveyResponses, MistakesInFastScannedRowsKeepTheirLineAndWording) {
  const long k = 15000;  // the row holding the mistake, well past the first chunks
  const std::string before = plain_rows(static_cast<int>(k));
  const std::string line = std::to_string(plain_line(k));
  const std::string after = plain_rows(3000, "s").substr(std::string(kHeader).size());
  // Each case: the bad row, and what is said after "big.csv, line N, ".
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"bad,2026-03-01T10:00:00,,1,c,,,", "column 5, 'group': 'c' is not an option of group (its options: a, b)"},
      {"bad,2026-03-01T10:00:00,,1,a,2,,",
       "column 6, 'likes[x]': a tick box column holds 1 when ticked and is empty when not (found '2')"},
      {"bad,2026-03-01,,9,a,,,", "column 4, 'last_page': last_page must be a page number from 1 to 2 (found '9')"},
      {"bad,2026-02-30T10:00:00,,1,a,,,",
       "column 2, 'started_at': started_at must be a date and time such as 2026-03-01T10:15:00 (found "
       "'2026-02-30T10:00:00')"},
      {",2026-03-01T10:00:00,,1,a,,,", "column 1, 'id': the id is empty: every response needs one"},
      // Mistakes in the CSV itself, which the CSV reader words.
      {"bad,2026-03-01T10:00:00,,1,a,,,x\"y",
       "column 8: a double quote inside an unquoted field; quote the whole field and double the quote"},
      {"bad,2026-03-01T10:00:00,,1,a,,,caf\xC3", "column 8: the text is not valid UTF-8; save the file as UTF-8"},
      {"bad,2026-03-01T10:00:00,,1,a,,,,extra", "column 9: this row has 9 fields but the header has 8"},
  };
  for (const auto& [row, message] : cases) {
    EXPECT_EQ(parse_error(before + row + "\n" + after), "big.csv, line " + line + ", " + message) << row;
  }
  // Never closed: the rest of the file is inside the quotes.
  EXPECT_EQ(parse_error(before + "bad,2026-03-01T10:00:00,,1,a,,,\"never closed\n"),
            "big.csv, line " + line + ", column 8: a quoted field is never closed: add the closing double quote");
  // A repeated id, found after every row is read.
  EXPECT_EQ(parse_error(before + "r7,2026-03-01T10:00:00,,1,a,,,\n" + after),
            "big.csv, line " + line + ", column 1, 'id': the id 'r7' is used again (first on line " +
                std::to_string(plain_line(7)) + "); each response needs its own id");
  // Text beyond ASCII is read when it is valid UTF-8.
  EXPECT_EQ(parse_error(before + "ok,2026-03-01T10:00:00,,1,a,,,caf\xC3\xA9 \xE2\x9C\x93\n" + after), "no error");
}

// Within one chunk, a mistake in the CSV structure is reported before a
// wrong answer on an earlier row, as the CSV reader checks a chunk first.
TEST(SurveyResponses, ACsvMistakeInAChunkComesBeforeAWrongAnswerInIt) {
  std::string text = kHeader;
  text += "r1,2026-03-01T10:00:00,,1,c,,,\n";
  text += "r2,2026-03-01T10:00:00,,1,a,,,\"never closed\n";
  EXPECT_EQ(parse_error(text), "big.csv, line 3, column 8: a quoted field is never closed: add the closing double quote");
}

TEST(SurveyResponses, ByteOrderMarkCrlfAndZeroTicks) {
  const Questionnaire q = questionnaire();
  const std::string text = std::string("\xEF\xBB\xBF") +
                           "id,started_at,submitted_at,last_page,group,likes[x],likes[y],note\r\n"
                           "r1,2026-03-01 10:00,2026-03-01 10:05,2,a,0,1,\r\n";
  StatusOr<Responses> r = parse_responses(text, q, {});
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->columns[1].multiple[0], 2u);
  EXPECT_EQ(r->complete[0], 1);
}

TEST(SurveyResponses, EmptyFileAndMaxRows) {
  const Questionnaire q = questionnaire();
  ReadOptions options;
  options.file_name = "r.csv";
  StatusOr<Responses> empty = parse_responses("\n\n", q, options);
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().to_string(), "r.csv, line 1: the file is empty: it needs a header row");
  options.max_rows = 10;
  StatusOr<Responses> big = parse_responses(many_rows(11), q, options);
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.status().to_string(), "r.csv: too many rows: the limit is 10");
}

TEST(SurveyResponses, ReadsAFile) {
  const Questionnaire q = questionnaire();
  const std::string path = ::testing::TempDir() + "/survey_responses_test.csv";
  {
    std::ofstream out(path, std::ios::binary);
    out << many_rows(10);
  }
  StatusOr<Responses> r = read_responses(path, q);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->rows, 10u);
  std::remove(path.c_str());
  StatusOr<Responses> missing = read_responses(path, q);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().to_string(), path + ": cannot open the file (does it exist, and may this program read it?)");
}

TEST(SurveyResponses, ASurveyInSeveralLanguagesHasALanguageColumn) {
  auto q = parse_definition(R"({"title": "T", "languages": [{"code": "en"}, {"code": "cy"}], "questions": [
      {"code": "town", "type": "short_text", "text": "Town", "translations": {"cy": {"text": "Tref"}}}]})",
                            "t.json");
  ASSERT_TRUE(q.ok()) << q.status().to_string();
  EXPECT_EQ(response_columns(*q), (std::vector<std::string>{"id", "started_at", "submitted_at", "last_page", "language", "town"}));
  EXPECT_EQ(response_columns(questionnaire())[4], "group");  // one language: no column
  auto read = parse_responses(
      "id,started_at,submitted_at,last_page,language,town\n"
      "a,2026-03-01T10:00:00,2026-03-01T10:05:00,1,cy,Aberystwyth\n"
      "b,2026-03-01T10:00:00,,1,,\n",
      *q, ReadOptions{"r.csv"});
  ASSERT_TRUE(read.ok()) << read.status().to_string();
  EXPECT_EQ(read->rows, 2u);
  // Files from before the column existed still read.
  EXPECT_TRUE(parse_responses("id,started_at,submitted_at,last_page,town\na,2026-03-01T10:00:00,,1,x\n", *q, ReadOptions{"r.csv"}).ok());
  auto wrong = parse_responses(
      "id,started_at,submitted_at,last_page,language,town\na,2026-03-01T10:00:00,,1,fr,x\n", *q, ReadOptions{"r.csv"});
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().to_string(),
            "r.csv, line 2, column 5, 'language': a language must be empty or one of the questionnaire's: en, cy "
            "(found 'fr')");
  // Nor may a question take the column's name.
  auto clash = parse_definition(R"({"title": "T", "languages": [{"code": "en"}, {"code": "cy"}], "questions": [
      {"code": "language", "type": "short_text", "text": "Which language do you speak at home?"}]})",
                                "t.json");
  EXPECT_FALSE(clash.ok());
}

// ---- repeat tables ----

const char* const kRepeatDefinition = R"({"title": "T", "questions": [
  {"code": "group", "type": "single", "text": "G", "options": ["a", "b"]},
  {"code": "service", "type": "single", "page": 2, "text": "S", "repeat": "services", "options": ["home", "day"]},
  {"code": "visits", "type": "number", "page": 2, "text": "V", "repeat": "services"}],
  "repeats": [{"code": "services", "label": "Service", "max": 5}]})";

struct Linked {
  Questionnaire q;
  Responses main;
};

Linked linked_main() {
  StatusOr<Questionnaire> q = parse_definition(kRepeatDefinition, "t.json");
  EXPECT_TRUE(q.ok()) << q.status().to_string();
  ReadOptions options;
  options.keep_ids = true;
  StatusOr<Responses> main = parse_responses(
      "id,started_at,submitted_at,last_page,group\n"
      "r1,2026-03-01T10:00:00,2026-03-01T10:05:00,2,a\n"
      "r2,2026-03-01T10:00:00,,1,b\n"
      "r3,2026-03-01T10:00:00,2026-03-01T10:05:00,2,b\n",
      *q, options);
  EXPECT_TRUE(main.ok()) << main.status().to_string();
  return {*q, std::move(*main)};
}

std::string repeat_error(const Linked& l, const std::string& text, bool link = true) {
  RepeatReadOptions options;
  options.file_name = "services.csv";
  if (link) options.responses = &l.main;
  StatusOr<RepeatResponses> r = parse_repeat_responses(text, l.q, 0, options);
  return r.ok() ? "no error" : r.status().to_string();
}

TEST(SurveyRepeatResponses, LinksEachInstanceToItsResponseInAnyOrder) {
  const Linked l = linked_main();
  EXPECT_EQ(l.main.id(2), "r3");
  RepeatReadOptions options;
  options.responses = &l.main;
  StatusOr<RepeatResponses> r = parse_repeat_responses(
      "response_id,instance,service,visits\nr3,1,day,4\nr1,2,home,\nr1,1,,2.5\n", l.q, 0, options);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_TRUE(r->linked);
  EXPECT_EQ(r->data.rows, 3u);
  EXPECT_EQ(r->response, (std::vector<std::uint32_t>{2, 0, 0}));
  EXPECT_EQ(r->instance, (std::vector<std::int16_t>{1, 2, 1}));
  EXPECT_EQ(r->data.columns[0].choice, (std::vector<std::int16_t>{1, 0, -1}));
  EXPECT_EQ(r->data.columns[1].number[2], 2.5);
  // Read alone, responses are numbered in the order their ids first appear.
  StatusOr<RepeatResponses> alone =
      parse_repeat_responses("response_id,instance,service,visits\nx9,1,day,4\nx2,1,home,\nx9,2,,\n", l.q, 0);
  ASSERT_TRUE(alone.ok()) << alone.status().to_string();
  EXPECT_FALSE(alone->linked);
  EXPECT_EQ(alone->response_ids, (std::vector<std::string>{"x9", "x2"}));
  EXPECT_EQ(alone->response, (std::vector<std::uint32_t>{0, 1, 0}));
}

TEST(SurveyRepeatResponses, MistakesNameTheFileLineAndColumn) {
  const Linked l = linked_main();
  const std::string header = "response_id,instance,service,visits\n";
  EXPECT_EQ(repeat_error(l, header + "r1,1,home,\nr7,1,day,\n"),
            "services.csv, line 3, column 1, 'response_id': the response_id 'r7' is not the id of any response in "
            "the main table");
  EXPECT_EQ(repeat_error(l, header + "r1,1,home,\nr3,1.5,day,\n"),
            "services.csv, line 3, column 2, 'instance': instance must be a whole number from 1 to 5, the most this "
            "repeat allows (found '1.5')");
  EXPECT_EQ(repeat_error(l, header + "r1,6,home,\n"),
            "services.csv, line 2, column 2, 'instance': instance must be a whole number from 1 to 5, the most this "
            "repeat allows (found '6')");
  EXPECT_EQ(repeat_error(l, header + "r1,1,home,\nr3,1,day,\nr1,2,,\nr1,1,day,\n"),
            "services.csv, line 5, column 1, 'response_id': the response 'r1' has instance 1 twice (first on line "
            "2); each instance is one row");
  EXPECT_EQ(repeat_error(l, header + "r1,1,home,\nr1,1,day,\n", false),
            "services.csv, line 3, column 1, 'response_id': the response 'r1' has instance 1 twice (first on line "
            "2); each instance is one row");
  EXPECT_EQ(repeat_error(l, header + ",1,home,\n"),
            "services.csv, line 2, column 1, 'response_id': the response_id is empty: every row names the response "
            "it belongs to");
  EXPECT_EQ(repeat_error(l, header + "r1,1,car,\n"),
            "services.csv, line 2, column 3, 'service': 'car' is not an option of service (its options: home, day)");
  // Wrong columns: one of the main table's, or a required one missing.
  EXPECT_NE(repeat_error(l, "response_id,instance,service,visits,group\n").find(
                "the column 'group' is not part of the table of the repeat 'services'"),
            std::string::npos);
  EXPECT_NE(repeat_error(l, "response_id,service,visits\n").find("the required column 'instance' is missing"),
            std::string::npos);
}

TEST(SurveyRepeatResponses, ManyRowsInChunksKeepTheirOrderAndLinks) {
  StatusOr<Questionnaire> q = parse_definition(kRepeatDefinition, "t.json");
  ASSERT_TRUE(q.ok());
  const int n = 30000;
  std::string main_text = "id,started_at,submitted_at,last_page,group\n";
  std::string rep_text = "response_id,instance,service,visits\n";
  long instances = 0;
  for (int i = 0; i < n; ++i) {
    main_text += "id" + std::to_string(i) + ",2026-03-01T10:00:00,2026-03-01T10:05:00,2,a\n";
    for (int k = 1; k <= i % 4; ++k, ++instances) {
      rep_text += "id" + std::to_string(i) + "," + std::to_string(k) + "," + (k % 2 ? "home" : "day") + "," +
                  std::to_string(k) + "\n";
    }
  }
  ReadOptions main_options;
  main_options.keep_ids = true;
  main_options.threads = 3;
  StatusOr<Responses> main = parse_responses(main_text, *q, main_options);
  ASSERT_TRUE(main.ok()) << main.status().to_string();
  RepeatReadOptions options;
  options.responses = &*main;
  options.threads = 3;
  StatusOr<RepeatResponses> r = parse_repeat_responses(rep_text, *q, 0, options);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  ASSERT_EQ(r->data.rows, static_cast<size_t>(instances));
  size_t row = 0;
  for (int i = 0; i < n; ++i) {
    for (int k = 1; k <= i % 4; ++k, ++row) {
      ASSERT_EQ(r->response[row], static_cast<std::uint32_t>(i));
      ASSERT_EQ(r->instance[row], k);
      ASSERT_EQ(r->data.columns[1].number[row], k);
    }
  }
}

}  // namespace
}  // namespace coproduce::survey
