#include "core/csv.h"

#include <gtest/gtest.h>

#include <sstream>

namespace coproduce::csv {
namespace {

ReadOptions named(const std::string& name) {
  ReadOptions o;
  o.file_name = name;
  return o;
}

TEST(CsvRead, HeaderAndRowsWithLineNumbers) {
  auto t = parse("id,name\n1,Ann\n\n2,Bob\n", named("p.csv"));
  ASSERT_TRUE(t.ok()) << t.status().to_string();
  ASSERT_EQ(t->header, (std::vector<std::string>{"id", "name"}));
  ASSERT_EQ(t->rows.size(), 2u);
  EXPECT_EQ(t->rows[0].line, 2);
  EXPECT_EQ(t->rows[1].line, 4);
  EXPECT_EQ(t->rows[1].fields[1], "Bob");
}

TEST(CsvRead, BomCrlfAndNoFinalNewline) {
  auto t = parse("\xEF\xBB\xBFId,Name\r\n1,Ann\r\n2,Bob", {});
  ASSERT_TRUE(t.ok()) << t.status().to_string();
  EXPECT_EQ(t->header[0], "Id");
  ASSERT_EQ(t->rows.size(), 2u);
  EXPECT_EQ(t->rows[1].fields[1], "Bob");
}

TEST(CsvRead, QuotedFieldsWithCommasNewlinesAndQuotes) {
  auto t = parse("a,b,c\n\"x, y\",\"line1\nline2\",\"say \"\"hi\"\"\"\nnext,1,2\n", {});
  ASSERT_TRUE(t.ok()) << t.status().to_string();
  ASSERT_EQ(t->rows.size(), 2u);
  EXPECT_EQ(t->rows[0].fields[0], "x, y");
  EXPECT_EQ(t->rows[0].fields[1], "line1\nline2");
  EXPECT_EQ(t->rows[0].fields[2], "say \"hi\"");
  EXPECT_EQ(t->rows[1].line, 4);  // the quoted newline moved the next row down
}

TEST(CsvRead, EmptyFieldsAndTrailingComma) {
  auto t = parse("a,b,c\n,,\n1,,\n", {});
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->rows[0].fields, (std::vector<std::string>{"", "", ""}));
  EXPECT_EQ(t->rows[1].fields, (std::vector<std::string>{"1", "", ""}));
}

TEST(CsvRead, UnterminatedQuoteNamesLineAndColumn) {
  auto t = parse("a,b\n1,\"oops\n2,3\n", named("people.csv"));
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().where().file, "people.csv");
  EXPECT_EQ(t.status().where().line, 2);
  EXPECT_EQ(t.status().where().column, 2);
  EXPECT_NE(t.status().message().find("never closed"), std::string::npos);
}

TEST(CsvRead, InvalidUtf8NamesLineAndColumn) {
  auto t = parse("a,b\n1,ok\n2,bad\xC3\x28\n", named("x.csv"));
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().where().line, 3);
  EXPECT_EQ(t.status().where().column, 2);
  EXPECT_NE(t.status().message().find("UTF-8"), std::string::npos);
}

TEST(CsvRead, RaggedRowsAreErrors) {
  auto short_row = parse("a,b,c\n1,2\n", named("x.csv"));
  ASSERT_FALSE(short_row.ok());
  EXPECT_EQ(short_row.status().where().line, 2);
  EXPECT_EQ(short_row.status().where().column, 3);
  auto long_row = parse("a,b\n1,2\n1,2,3\n", named("x.csv"));
  ASSERT_FALSE(long_row.ok());
  EXPECT_EQ(long_row.status().where().line, 3);
  ReadOptions lenient;
  lenient.strict_width = false;
  auto padded = parse("a,b,c\n1\n", lenient);
  ASSERT_TRUE(padded.ok());
  EXPECT_EQ(padded->rows[0].fields, (std::vector<std::string>{"1", "", ""}));
}

TEST(CsvRead, QuoteInsideUnquotedFieldAndTextAfterQuote) {
  EXPECT_FALSE(parse("a\nab\"c\n", {}).ok());
  auto t = parse("a,b\n\"x\"y,1\n", {});
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().where().line, 2);
}

TEST(CsvRead, RowLimit) {
  ReadOptions o;
  o.max_rows = 2;
  EXPECT_TRUE(parse("a\n1\n2\n", o).ok());
  auto t = parse("a\n1\n2\n3\n", o);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().where().line, 4);
}

TEST(CsvRead, EmptyFileIsAnError) {
  EXPECT_FALSE(parse("", {}).ok());
  EXPECT_FALSE(parse("\n\n", {}).ok());
}

TEST(CsvRead, ColumnLookupIsCaseInsensitiveAndTrimmed) {
  auto t = parse(" Unique_ID ,Gender\n1,F\n", {});
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->column("unique_id"), 0u);
  EXPECT_EQ(t->column("GENDER "), 1u);
  EXPECT_FALSE(t->column("age").has_value());
  Location loc = t->where(t->rows[0], 1);
  EXPECT_EQ(loc.line, 2);
  EXPECT_EQ(loc.column, 2);
  EXPECT_EQ(loc.field, "Gender");
}

TEST(CsvRead, MissingFileIsInvalidInput) {
  auto t = read_file("/nonexistent/dir/people.csv");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(t.status().where().file, "/nonexistent/dir/people.csv");
}

TEST(Utf8, AcceptsValidAndRejectsOverlongAndSurrogates) {
  EXPECT_TRUE(is_valid_utf8("plain"));
  EXPECT_TRUE(is_valid_utf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"));
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(is_valid_utf8("\xE2\x82"));          // truncated
  EXPECT_FALSE(is_valid_utf8("\xFF"));
}

TEST(CsvWrite, QuotesOnlyWhenNeededAndRoundTrips) {
  EXPECT_EQ(quote("plain"), "plain");
  EXPECT_EQ(quote("a,b"), "\"a,b\"");
  EXPECT_EQ(quote("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(quote("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(quote(" padded"), "\" padded\"");
  std::ostringstream out;
  Writer w(out);
  std::vector<std::string> header = {"id", "note"};
  std::vector<std::string> row = {"1", "a, \"b\"\r\nc"};
  w.write_row(header);
  w.write_row(row);
  ReadOptions o;
  o.trim_header = false;
  auto t = parse(out.str(), o);
  ASSERT_TRUE(t.ok()) << t.status().to_string();
  EXPECT_EQ(t->header, header);
  ASSERT_EQ(t->rows.size(), 1u);
  EXPECT_EQ(t->rows[0].fields, row);
}

TEST(CsvWrite, SingleEmptyFieldSurvivesRoundTrip) {
  std::ostringstream out;
  Writer w(out, "\n");
  w.write_row({"a"});
  w.write_row({""});
  auto t = parse(out.str(), {});
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->rows.size(), 1u);
  EXPECT_EQ(t->rows[0].fields[0], "");
}

TEST(Normalise, TrimsAndLowercases) {
  EXPECT_EQ(normalise_key("  Female\t"), "female");
  EXPECT_EQ(trim("  x y "), "x y");
}

TEST(Inert, SpreadsheetsNeverRunACellAsAFormulaAndTheMarkComesOff) {
  EXPECT_EQ(inert("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
  for (const char* risky : {"+1", "-1", "@SUM(A1)", "\tx", "\rx"}) {
    EXPECT_EQ(inert(risky), std::string("'") + risky);
    EXPECT_EQ(without_inert(inert(risky)), risky);
  }
  EXPECT_EQ(inert("plain words"), "plain words");
  EXPECT_EQ(inert(""), "");
  EXPECT_EQ(without_inert("'quoted on purpose"), "'quoted on purpose");
  EXPECT_EQ(without_inert("'"), "'");
}

TEST(CsvSeparator, ASemicolonOrTabSeparatesFieldsWhenAsked) {
  ReadOptions options;
  options.file_name = "kobo.csv";
  options.separator = ';';
  auto t = parse("\xEF\xBB\xBFname;\"town; county\"\r\nAnn;\"Aber, Ceredigion\"\r\n", options);
  ASSERT_TRUE(t.ok()) << t.status().to_string();
  EXPECT_EQ(t->header, (std::vector<std::string>{"name", "town; county"}));
  EXPECT_EQ(t->rows[0].fields, (std::vector<std::string>{"Ann", "Aber, Ceredigion"}));
  auto wide = parse("a;b\n1;2;3\n", options);
  ASSERT_FALSE(wide.ok());
  EXPECT_EQ(wide.status().message(), "this row has 3 fields but the header has 2 (the file is read as separated by semicolons)");
  EXPECT_EQ(wide.status().where().line, 2);
  options.separator = '\t';
  auto tabs = parse("a\tb\n1\t2\n", options);
  ASSERT_TRUE(tabs.ok());
  EXPECT_EQ(tabs->rows[0].fields[1], "2");
}

}  // namespace
}  // namespace coproduce::csv
