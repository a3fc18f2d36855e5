#include "sheets/sheets.h"

#include <gtest/gtest.h>
#include <minizip/unzip.h>
#include <minizip/zip.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>

namespace coproduce::sheets {
namespace {

using Kind = Cell::Kind;

// Builds a zip archive from named parts, for workbooks written by hand.
std::string make_zip(const std::map<std::string, std::string>& parts) {
  const char* dir = std::getenv("TMPDIR");
  std::string path = std::string(dir && *dir ? dir : "/tmp") + "/sheets-test-XXXXXX";
  int fd = mkstemp(path.data());
  EXPECT_GE(fd, 0);
  close(fd);
  zipFile zf = zipOpen64(path.c_str(), APPEND_STATUS_CREATE);
  EXPECT_NE(zf, nullptr);
  for (const auto& [name, content] : parts) {
    EXPECT_EQ(zipOpenNewFileInZip64(zf, name.c_str(), nullptr, nullptr, 0, nullptr, 0, nullptr, Z_DEFLATED,
                                    Z_DEFAULT_COMPRESSION, 1),
              ZIP_OK);
    EXPECT_EQ(zipWriteInFileInZip(zf, content.data(), static_cast<unsigned>(content.size())), ZIP_OK);
    zipCloseFileInZip(zf);
  }
  zipClose(zf, nullptr);
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  unlink(path.c_str());
  return out.str();
}

// A one-sheet workbook called `sheet_name` whose worksheet XML is `sheet_xml`.
std::string hand_made(const std::string& sheet_xml, const std::string& shared_xml = "",
                      const std::string& sheet_name = "choices") {
  std::map<std::string, std::string> parts;
  parts["_rels/.rels"] =
      R"(<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
      R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>)"
      R"(</Relationships>)";
  parts["xl/workbook.xml"] =
      R"(<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" )"
      R"(xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>)"
      R"(<sheet name=")" + sheet_name + R"(" sheetId="1" r:id="rId1"/></sheets></workbook>)";
  std::string rels =
      R"(<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
      R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>)";
  if (!shared_xml.empty()) {
    rels += R"(<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="/xl/sharedStrings.xml"/>)";
    parts["xl/sharedStrings.xml"] = shared_xml;
  }
  parts["xl/_rels/workbook.xml.rels"] = rels + "</Relationships>";
  parts["xl/worksheets/sheet1.xml"] =
      R"(<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>)" +
      sheet_xml + "</sheetData></worksheet>";
  return make_zip(parts);
}

// The text of one part of an archive, for checking what a spreadsheet
// program will see (frozen panes, bold header, column widths).
std::string part_of(const std::string& bytes, const std::string& name) {
  const char* dir = std::getenv("TMPDIR");
  std::string path = std::string(dir && *dir ? dir : "/tmp") + "/sheets-test-XXXXXX";
  int fd = mkstemp(path.data());
  EXPECT_EQ(write(fd, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  close(fd);
  unzFile uf = unzOpen64(path.c_str());
  std::string out;
  if (uf && unzLocateFile(uf, name.c_str(), 1) == UNZ_OK && unzOpenCurrentFile(uf) == UNZ_OK) {
    char buffer[4096];
    int n;
    while ((n = unzReadCurrentFile(uf, buffer, sizeof buffer)) > 0) out.append(buffer, static_cast<size_t>(n));
    unzCloseCurrentFile(uf);
  }
  if (uf) unzClose(uf);
  unlink(path.c_str());
  return out;
}

std::vector<Sheet> read_ok(const std::string& bytes) {
  auto sheets = from_xlsx(bytes, "test.xlsx");
  EXPECT_TRUE(sheets.ok()) << sheets.status().to_string();
  return sheets.ok() ? *sheets : std::vector<Sheet>{};
}

std::string read_error(const std::string& bytes, const ReadLimits& limits = {}) {
  auto sheets = from_xlsx(bytes, "survey.xlsx", limits);
  EXPECT_FALSE(sheets.ok());
  return sheets.ok() ? "" : sheets.status().to_string();
}

TEST(ColumnLetters, CountsLikeASpreadsheet) {
  EXPECT_EQ(column_letters(0), "A");
  EXPECT_EQ(column_letters(25), "Z");
  EXPECT_EQ(column_letters(26), "AA");
  EXPECT_EQ(column_letters(27), "AB");
  EXPECT_EQ(column_letters(701), "ZZ");
  EXPECT_EQ(column_letters(702), "AAA");
  EXPECT_EQ(column_letters(16383), "XFD");
}

TEST(Xlsx, RoundTripKeepsEveryKindOfCellAndEverySheet) {
  Sheet people{"people",
               {{Cell::of("name"), Cell::of("age"), Cell::of("score")},
                {Cell::of("Ada"), Cell::whole(36), Cell::real(2.5)},
                {Cell::of("Bryn"), Cell::whole(-7), Cell::real(-0.125)}}};
  Sheet notes{"notes ünïcødé", {{Cell::of("Gofal cymdeithasol – café ✓ 😀 日本語")}}};
  auto bytes = to_xlsx({people, notes});
  ASSERT_TRUE(bytes.ok()) << bytes.status().to_string();
  EXPECT_EQ(bytes->substr(0, 2), "PK");

  auto back = read_ok(*bytes);
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[0].name, "people");
  EXPECT_EQ(back[0].rows, people.rows);
  EXPECT_EQ(back[1].name, "notes ünïcødé");
  EXPECT_EQ(back[1].rows, notes.rows);
}

TEST(Xlsx, GapsAndShortRowsComeBackAsEmptyCellsInTheirPlaces) {
  Sheet s{"gaps",
          {{Cell::of("A1"), Cell::empty(), Cell::of("C1")},
           {},
           {Cell::empty(), Cell::whole(5)},
           {Cell::of("")},   // empty text is a blank cell
           {}}};             // trailing blank rows are dropped
  auto bytes = to_xlsx({s});
  ASSERT_TRUE(bytes.ok()) << bytes.status().to_string();
  auto back = read_ok(*bytes);
  ASSERT_EQ(back.size(), 1u);
  const auto& rows = back[0].rows;
  ASSERT_EQ(rows.size(), 3u);
  for (const auto& row : rows) ASSERT_EQ(row.size(), 3u);  // rectangular
  EXPECT_EQ(rows[0][0], Cell::of("A1"));
  EXPECT_TRUE(rows[0][1].is_empty());
  EXPECT_EQ(rows[0][2], Cell::of("C1"));
  EXPECT_TRUE(rows[1][0].is_empty() && rows[1][1].is_empty() && rows[1][2].is_empty());
  EXPECT_TRUE(rows[2][0].is_empty());
  EXPECT_EQ(rows[2][1], Cell::whole(5));
}

TEST(Xlsx, NumbersComeBackWholeWhenExactlyWhole) {
  auto bytes = to_xlsx({{"n", {{Cell::real(3.0), Cell::real(1e20), Cell::whole(9007199254740992),
                                Cell::real(0.1)}}}});
  ASSERT_TRUE(bytes.ok());
  auto back = read_ok(*bytes);
  ASSERT_EQ(back.at(0).rows.at(0).size(), 4u);
  const auto& row = back[0].rows[0];
  EXPECT_EQ(row[0], Cell::whole(3));
  EXPECT_EQ(row[1], Cell::real(1e20));
  EXPECT_EQ(row[2], Cell::whole(9007199254740992));
  EXPECT_EQ(row[3], Cell::real(0.1));
  EXPECT_EQ(row[3].as_text(), "0.1");
}

TEST(Xlsx, ControlCharactersAndEscapeLookalikesSurvive) {
  std::string odd = std::string("tab\there, bell\x07, vertical\x0Btab, line\nbreak, literal _x0041_ and _x");
  auto bytes = to_xlsx({{"odd", {{Cell::of(odd)}}}});
  ASSERT_TRUE(bytes.ok()) << bytes.status().to_string();
  auto back = read_ok(*bytes);
  EXPECT_EQ(back.at(0).rows.at(0).at(0).text, odd);
}

TEST(Xlsx, HeaderIsBoldAndFrozenAndColumnsFitTheirText) {
  auto bytes = to_xlsx({{"wide", {{Cell::of("question"), Cell::of("x")},
                                   {Cell::of(std::string(30, 'w')), Cell::of("y")}}}});
  ASSERT_TRUE(bytes.ok());
  std::string sheet = part_of(*bytes, "xl/worksheets/sheet1.xml");
  EXPECT_NE(sheet.find("state=\"frozen\""), std::string::npos) << sheet;
  EXPECT_NE(sheet.find("ySplit=\"1\""), std::string::npos);
  // The first column is sized for its 30-character entry, the second left at the minimum.
  EXPECT_NE(sheet.find("<col min=\"1\" max=\"1\" width=\"32.7"), std::string::npos) << sheet;
  EXPECT_NE(sheet.find("<col min=\"2\" max=\"2\" width=\"8.7"), std::string::npos) << sheet;
  std::string styles = part_of(*bytes, "xl/styles.xml");
  EXPECT_NE(styles.find("<b/>"), std::string::npos);
  // Header cells carry the bold style (s="1"), body cells do not.
  EXPECT_NE(sheet.find("<c r=\"A1\" s=\"1\""), std::string::npos);
  EXPECT_EQ(sheet.find("<c r=\"A2\" s="), std::string::npos);
}

TEST(Xlsx, BigWorkbooksRoundTripToo) {
  // Past 200,000 cells the writer streams rows and writes text inline.
  Sheet big{"big", {}};
  for (int r = 0; r < 5000; ++r) {
    std::vector<Cell> row;
    for (int c = 0; c < 45; ++c) row.push_back(c % 3 == 0 ? Cell::of("t" + std::to_string(r)) : Cell::whole(r * 100 + c));
    big.rows.push_back(std::move(row));
  }
  big.rows[10][4] = Cell::empty();
  auto bytes = to_xlsx({big, {"small", {{Cell::of("ü")}}}});
  ASSERT_TRUE(bytes.ok()) << bytes.status().to_string();
  EXPECT_NE(part_of(*bytes, "xl/worksheets/sheet1.xml").find("t=\"inlineStr\""), std::string::npos);
  auto back = read_ok(*bytes);
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[0].rows, big.rows);
  EXPECT_EQ(back[1].rows[0][0], Cell::of("ü"));
}

TEST(Xlsx, BadSheetsAreRefusedWithTheirName) {
  auto error = [](std::vector<Sheet> sheets) {
    auto bytes = to_xlsx(sheets);
    EXPECT_FALSE(bytes.ok());
    return bytes.ok() ? "" : bytes.status().to_string();
  };
  EXPECT_EQ(error({}), "a workbook needs at least one sheet");
  EXPECT_EQ(error({{"", {}}}), "a sheet needs a name");
  EXPECT_EQ(error({{"a name that goes on for far too long", {}}}),
            "sheet name 'a name that goes on for far too long' is longer than 31 characters");
  EXPECT_NE(error({{"q1/q2", {}}}).find("sheet name 'q1/q2' contains one of the characters"), std::string::npos);
  EXPECT_EQ(error({{"Data", {}}, {"data", {}}}), "two sheets are called 'data'");
  EXPECT_EQ(error({{"nums", {{Cell::of("x")}, {Cell::empty(), Cell::real(std::nan(""))}}}}),
            "sheet 'nums', cell B2: a spreadsheet cannot hold an infinite or undefined number");
  EXPECT_EQ(error({{"long", {{Cell::of(std::string(32768, 'a'))}}}}),
            "sheet 'long', cell A1: text is longer than the 32,767 characters a cell holds");
  // 31 characters of non-ASCII text is fine: the limit counts characters, not bytes.
  EXPECT_TRUE(to_xlsx({{"ééééééééééééééééééééééééééééééé", {}}}).ok());
}

TEST(Xlsx, GarbageIsAnErrorNamingTheFile) {
  EXPECT_EQ(read_error(""), "survey.xlsx: the file is empty");
  EXPECT_EQ(read_error("id,name\n1,Ada\n"),
            "survey.xlsx: not an .xlsx file: it is not a zip archive, or the archive is damaged or cut short");
  EXPECT_NE(read_error(std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(600, '\0'))
                .find("older Excel file (.xls)"),
            std::string::npos);
  EXPECT_EQ(read_error(make_zip({{"hello.txt", "hi"}})),
            "survey.xlsx: not a spreadsheet: the archive has no workbook (xl/workbook.xml)");
}

TEST(Xlsx, EveryTruncationIsAnErrorNotACrash) {
  auto bytes = to_xlsx({{"s", {{Cell::of("a"), Cell::whole(1)}, {Cell::of("b"), Cell::real(2.5)}}}});
  ASSERT_TRUE(bytes.ok());
  // The last 22 bytes are the archive's closing record; losing only its
  // final field (the comment length) loses no data, so the cuts stop short of it.
  for (size_t n = 0; n + 22 < bytes->size(); n += 7) {
    auto sheets = from_xlsx(std::string_view(*bytes).substr(0, n), "cut.xlsx");
    ASSERT_FALSE(sheets.ok()) << "cut at " << n;
    EXPECT_EQ(sheets.status().to_string().rfind("cut.xlsx: ", 0), 0u) << sheets.status().to_string();
  }
  for (size_t n = bytes->size() - 22; n < bytes->size(); ++n) {
    (void)from_xlsx(std::string_view(*bytes).substr(0, n), "cut.xlsx");  // must not crash
  }
}

TEST(Xlsx, FlippedBytesNeverCrash) {
  auto bytes = to_xlsx({{"s", {{Cell::of("a"), Cell::whole(1)}, {Cell::of("b"), Cell::real(2.5)}}}});
  ASSERT_TRUE(bytes.ok());
  std::size_t failures = 0;
  for (size_t i = 0; i < bytes->size(); i += 3) {
    std::string damaged = *bytes;
    damaged[i] = static_cast<char>(damaged[i] ^ 0x5A);
    auto sheets = from_xlsx(damaged, "flip.xlsx");
    if (sheets.ok()) continue;
    ++failures;
    EXPECT_EQ(sheets.status().to_string().rfind("flip.xlsx: ", 0), 0u) << sheets.status().to_string();
  }
  // Flips in compressed data fail their checksum; flips in dates and spare fields do no harm.
  EXPECT_GT(failures, 0u);
}

TEST(Xlsx, ReadsWhatOtherProgramsWrite) {
  // Shared strings with rich-text runs and a phonetic guide, inline strings,
  // booleans, a formula's text result, cells without references, a skipped row.
  std::string shared =
      R"(<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">)"
      R"(<si><t>list_name</t></si>)"
      R"(<si><r><rPr><b/></rPr><t>Very </t></r><r><t xml:space="preserve">important </t></r><r><t>point</t></r><rPh><t>ignored</t></rPh></si>)"
      R"(<si><t>caf&#233; &amp; more_x000D_</t></si>)"
      R"(</sst>)";
  std::string sheet =
      R"(<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c></row>)"
      R"(<row r="3"><c t="inlineStr"><is><t>inline</t></is></c><c t="b"><v>1</v></c><c t="b"><v>0</v></c>)"
      R"(<c t="str"><f>A1&amp;"x"</f><v>list_namex</v></c><c t="e"><v>#N/A</v></c><c s="3"/><c t="s"><v>2</v></c></row>)"
      R"(<row><c r="B4"><v>  42 </v></c><c><v>1.5E-3</v></c></row>)";
  auto back = read_ok(hand_made(sheet, shared));
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].name, "choices");
  const auto& rows = back[0].rows;
  ASSERT_EQ(rows.size(), 4u);
  ASSERT_EQ(rows[0].size(), 7u);
  EXPECT_EQ(rows[0][0], Cell::of("list_name"));
  EXPECT_TRUE(rows[0][1].is_empty());
  EXPECT_EQ(rows[0][2], Cell::of("Very important point"));
  EXPECT_TRUE(rows[1][0].is_empty());
  EXPECT_EQ(rows[2][0], Cell::of("inline"));
  EXPECT_EQ(rows[2][1], Cell::of("TRUE"));
  EXPECT_EQ(rows[2][2], Cell::of("FALSE"));
  EXPECT_EQ(rows[2][3], Cell::of("list_namex"));
  EXPECT_EQ(rows[2][4], Cell::of("#N/A"));
  EXPECT_TRUE(rows[2][5].is_empty());
  EXPECT_EQ(rows[2][6], Cell::of("café & more\r"));
  EXPECT_EQ(rows[3][1], Cell::whole(42));
  EXPECT_EQ(rows[3][2], Cell::real(0.0015));
}

TEST(Xlsx, BrokenCellsAreNamedBySheetAndCell) {
  std::string shared = R"(<sst><si><t>one</t></si></sst>)";
  EXPECT_EQ(read_error(hand_made(R"(<row r="7"><c r="B7" t="s"><v>5</v></c></row>)", shared)),
            "survey.xlsx: sheet 'choices', cell B7: refers to shared string 5 but the file has only 1");
  EXPECT_EQ(read_error(hand_made(R"(<row r="2"><c r="C2"><v>twelve</v></c></row>)")),
            "survey.xlsx: sheet 'choices', cell C2: the number 'twelve' is not a number");
  EXPECT_EQ(read_error(hand_made(R"(<row r="1"><c r="A1" t="b"><v>yes</v></c></row>)")),
            "survey.xlsx: sheet 'choices', cell A1: the true-or-false value 'yes' is neither 1 nor 0");
  EXPECT_EQ(read_error(hand_made(R"(<row r="1"><c r="1A"><v>1</v></c></row>)")),
            "survey.xlsx: sheet 'choices', a cell has the reference '1A', which is not a cell of a spreadsheet");
  EXPECT_EQ(read_error(hand_made(R"(<row r="1"><c r="A1"><v>1</v></row>)")),
            "survey.xlsx: sheet 'choices', the XML of xl/worksheets/sheet1.xml is corrupt at line 1, "
            "column 141: mismatched tag");
}

TEST(Xlsx, RefusesDocumentTypeDeclarations) {
  std::map<std::string, std::string> parts;
  parts["xl/workbook.xml"] =
      R"(<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol">]><workbook><sheets/></workbook>)";
  EXPECT_EQ(read_error(make_zip(parts)),
            "survey.xlsx: the part has a document type declaration, which a spreadsheet never has");
}

TEST(Xlsx, LimitsStopHugeParts) {
  // A zip bomb: 80 MiB of spaces inside a sheet compresses to well under a megabyte.
  std::string padding(80u << 20, ' ');
  std::string bomb = hand_made(R"(<row r="1"><c r="A1"><v>1</v></c></row>)" + padding);
  EXPECT_LT(bomb.size(), 1u << 20);
  EXPECT_EQ(read_error(bomb),
            "survey.xlsx: sheet 'choices', the part xl/worksheets/sheet1.xml is larger than 64 MiB uncompressed, "
            "more than this reader accepts");
}

TEST(Xlsx, LimitsStopTooManyCells) {
  ReadLimits small;
  small.max_cells = 5;
  auto bytes = to_xlsx({{"s", {{Cell::whole(1), Cell::whole(2), Cell::whole(3)},
                               {Cell::whole(4), Cell::whole(5), Cell::whole(6)}}}});
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(read_error(*bytes, small),
            "survey.xlsx: sheet 's', the workbook holds more than the 5 cells this reader accepts");
  // Blank padding counts as well: one far-away cell would need billions.
  EXPECT_EQ(read_error(hand_made(R"(<row r="1"><c r="A1"><v>1</v></c></row>)"
                                 R"(<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>)")),
            "survey.xlsx: sheet 'choices', it spans 1048576 rows and 16384 columns, more than the 4000000 "
            "cells this reader accepts");
}

TEST(Find, MatchesSheetNamesWhateverTheirCase) {
  std::vector<Sheet> sheets{{"survey", {}}, {"Choices", {}}};
  EXPECT_EQ(find(sheets, "choices"), &sheets[1]);
  EXPECT_EQ(find(sheets, "SURVEY"), &sheets[0]);
  EXPECT_EQ(find(sheets, "settings"), nullptr);
}

}  // namespace
}  // namespace coproduce::sheets
