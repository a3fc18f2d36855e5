// Survey responses held compactly, column by column, and read from CSV in
// the export layout:
//
//   id,started_at,submitted_at,last_page,group,role,...,barriers[time],barriers[cost],...
//
// One column per question code (a Likert grid has one column per statement,
// named grid[item]); a multiple-choice question has one column per option,
// named code[option], holding 1 when ticked and empty (or 0) when not, plus an
// optional text column code_other for 'other, please specify'. Display
// questions have no column. A response is complete when submitted_at is not
// empty. Answers are option codes as in the definition, numbers with a dot
// for decimals, dates as YYYY-MM-DD.
//
// A million responses of 30 questions take about 70 MB: a choice is 2 bytes,
// a multiple-choice answer 8, a number 8, a text answer 1 (only whether it
// was answered is kept; the text itself is not needed for the analysis).
#ifndef COPRODUCE_SURVEY_RESPONSES_H_
#define COPRODUCE_SURVEY_RESPONSES_H_

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "survey/questionnaire.h"

namespace coproduce::survey {

// One variable's answers for every response.
struct Column {
  enum class Kind { kChoice, kMultiple, kNumber, kText };
  Kind kind = Kind::kChoice;
  std::vector<std::int16_t> choice;      // kChoice: option index, -1 unanswered
  std::vector<std::uint64_t> multiple;   // kMultiple: bit i = option i ticked; 0 unanswered
  std::vector<double> number;            // kNumber: NaN unanswered
  std::vector<std::uint8_t> text;        // kText: 1 answered

  bool answered(size_t row) const {
    switch (kind) {
      case Kind::kChoice: return choice[row] >= 0;
      case Kind::kMultiple: return multiple[row] != 0;
      case Kind::kNumber: return !std::isnan(number[row]);
      case Kind::kText: return text[row] != 0;
    }
    return false;
  }
};

// Every response to one questionnaire. Move-only in practice (it is large);
// immutable once read, so safe to analyse from several threads.
struct Responses {
  size_t rows = 0;
  std::vector<std::uint8_t> complete;     // 1 when submitted
  std::vector<std::int16_t> last_page;    // 1..pages
  std::vector<Column> columns;            // one per Questionnaire::variables entry
  std::vector<int> question_column;       // question index -> its first column, -1 for display
  // The ids, end to end (id i is id_text[id_ends[i-1], id_ends[i])), kept
  // only when ReadOptions::keep_ids asks: a repeat table is linked by them.
  std::string id_text;
  std::vector<std::uint64_t> id_ends;
  std::string_view id(size_t i) const {
    const std::uint64_t begin = i == 0 ? 0 : id_ends[i - 1];
    return std::string_view(id_text).substr(begin, id_ends[i] - begin);
  }

  // Answers of one row, in the shape Expression::evaluate() reads.
  struct Row {
    const Responses* r;
    size_t row;
    const Column& col(int q) const { return r->columns[static_cast<size_t>(r->question_column[static_cast<size_t>(q)])]; }
    int choice(int q) const { return col(q).choice[row]; }
    std::uint64_t multiple(int q) const { return col(q).multiple[row]; }
    double number(int q) const { return col(q).number[row]; }
    bool answered(int q) const { return col(q).answered(row); }
  };
  Row row(size_t i) const { return Row{this, i}; }
};

// Empty columns of the right kinds for `q` (to fill by hand, e.g. in tests or
// from a database); append rows with push_back on each vector.
Responses empty_responses(const Questionnaire& q);

struct ReadOptions {
  std::string file_name;   // used in messages; the path when empty
  size_t max_rows = 0;     // refuse more data rows than this; 0 = no limit
  unsigned threads = 0;    // parsing threads; 0 = one per core
  bool keep_ids = false;   // fill Responses::id_text and id_ends (to link repeat tables to)
};

// Parses responses to `q` from CSV text. A mistake (missing or unknown
// column, unknown option code, bad number or date, empty or repeated id,
// last_page out of range, a malformed CSV field) is an InvalidInput Status
// naming the file, the line and the column; nothing is returned then.
StatusOr<Responses> parse_responses(std::string_view text, const Questionnaire& q, const ReadOptions& options = {});

// Reads the file at `path` and parses it.
StatusOr<Responses> read_responses(const std::string& path, const Questionnaire& q, ReadOptions options = {});

// The instances of one repeat (Questionnaire::repeats), read from its table
// in the export layout (export.h repeat_table):
//
//   response_id,instance,service,visits,...
//
// `data` holds one row per instance with a column per Repeat::variables
// entry (data.question_column maps a question index to its column; data's
// complete and last_page are not used). `response[i]` is the response
// instance i belongs to: its row in the main Responses when they were given
// (linked), else an index into response_ids (the distinct response ids in
// the order first seen). `instance[i]` is its number, from 1.
struct RepeatResponses {
  size_t repeat = 0;                       // index into Questionnaire::repeats
  Responses data;
  std::vector<std::uint32_t> response;
  std::vector<std::int16_t> instance;
  bool linked = false;
  std::vector<std::string> response_ids;   // when not linked
};

struct RepeatReadOptions : ReadOptions {
  // The main responses, read with keep_ids: every response_id must be one of
  // theirs, and `response` then gives their rows. Null to read the table alone.
  const Responses* responses = nullptr;
};

// Parses the table of repeat `repeat_index` of `q` from CSV text. Mistakes
// are reported as parse_responses() reports them (file, line, column), and
// also: an empty or unknown response id, an instance that is not a whole
// number from 1 to the repeat's max, the same (response_id, instance) twice.
StatusOr<RepeatResponses> parse_repeat_responses(std::string_view text, const Questionnaire& q, size_t repeat_index,
                                                 const RepeatReadOptions& options = {});

// Reads the file at `path` and parses it.
StatusOr<RepeatResponses> read_repeat_responses(const std::string& path, const Questionnaire& q, size_t repeat_index,
                                                RepeatReadOptions options = {});

// The CSV header of repeat `repeat_index`'s table: response_id, instance,
// then its questions' columns, named as in the main table.
std::vector<std::string> repeat_columns(const Questionnaire& q, size_t repeat_index);

// The CSV header of the export layout for `q`, in column order.
std::vector<std::string> response_columns(const Questionnaire& q);

// Whether the export layout has a `language` column after last_page: only
// for a questionnaire in several languages, so other exports are unchanged.
// Reading, the column may be left out (files from before it existed).
inline bool has_language_column(const Questionnaire& q) { return q.languages.size() > 1; }

}  // namespace coproduce::survey

#endif  // COPRODUCE_SURVEY_RESPONSES_H_
