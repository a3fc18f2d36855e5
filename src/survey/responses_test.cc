#include "survey/responses.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

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

}  // namespace
}  // namespace coproduce::survey
