#include "survey/responses.h"

#include "core/dates.h"

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cstring>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <sstream>
#include <type_traits>
#include <unordered_map>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/csv.h"
#include "core/parallel.h"

namespace coproduce::survey {

namespace {

// What a CSV column holds.
struct Target {
  enum class Kind {
    kId, kStarted, kSubmitted, kLastPage, kLanguage, kChoice, kMultipleOption, kNumber, kText, kDate, kOtherText,
    kResponseId, kInstance  // a repeat table's first two columns
  };
  Kind kind = Kind::kText;
  size_t column = 0;   // index into Responses::columns
  int option = 0;      // kMultipleOption: the bit; kInstance: the highest instance allowed
  const Question* question = nullptr;
  // kChoice: each option code of at most 7 bytes packed into a word, so a
  // cell is matched by one load and a few integer compares (see option_key);
  // 0 for a longer code, which is compared as a string.
  std::vector<std::uint64_t> option_keys;
};

// `s` (at most 8 bytes) packed into a word, zero-padded, with its length in
// the top byte so "a" and "a\0" differ; 0 for anything longer.
std::uint64_t option_key(std::string_view s) {
  if (s.size() > 7) return 0;
  std::uint64_t key = static_cast<std::uint64_t>(s.size()) << 56;
  for (size_t i = 0; i < s.size(); ++i) key |= static_cast<std::uint64_t>(static_cast<unsigned char>(s[i])) << (8 * i);
  return key;
}

// The same, for a cell lying inside `text`: one 8-byte load when the 8 bytes
// are all inside `text` (little-endian machines), else byte by byte.
std::uint64_t option_key(std::string_view s, std::string_view text) {
  if (s.size() > 7) return 0;
  if (std::endian::native == std::endian::little && s.data() >= text.data() &&
      s.data() + 8 <= text.data() + text.size()) {
    std::uint64_t w;
    std::memcpy(&w, s.data(), 8);
    return (w & ((std::uint64_t{1} << (8 * s.size())) - 1)) | static_cast<std::uint64_t>(s.size()) << 56;
  }
  return option_key(s);
}

Column::Kind column_kind(QuestionType t) {
  switch (t) {
    case QuestionType::kMultiple: return Column::Kind::kMultiple;
    case QuestionType::kNumber: return Column::Kind::kNumber;
    case QuestionType::kDate:
    case QuestionType::kShortText:
    case QuestionType::kLongText:
    case QuestionType::kDisplay: return Column::Kind::kText;
    default: return Column::Kind::kChoice;
  }
}

// The rows of one chunk of the file, in the final layout.
struct Chunk {
  std::string_view text;
  // Lines are counted from 1 at the chunk's start while it is parsed, and
  // moved to the file's lines afterwards (chunks are parsed in any order).
  long first_line = 1;
  long newlines = 0;       // '\n' bytes in text
  Responses data;
  std::string ids;         // the ids, end to end
  std::vector<std::uint32_t> id_ends;
  std::vector<long> lines;  // each row's line, counted from the chunk's start
  std::vector<std::size_t> id_hashes;  // std::hash of each row's id
  Status error;
};


// How many bytes of `text` equal `c`, eight at a time (a byte equals c
// exactly when its XOR with c is zero; the carry trick finds zero bytes
// without branches).
size_t count_byte(std::string_view text, char c) {
  constexpr std::uint64_t kLow7 = 0x7F7F7F7F7F7F7F7FULL;
  const std::uint64_t pattern = 0x0101010101010101ULL * static_cast<unsigned char>(c);
  size_t count = 0, i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, text.data() + i, 8);
    const std::uint64_t x = w ^ pattern;
    const std::uint64_t t = ((x & kLow7) + kLow7) | x;  // high bit set where the byte is not zero
    // One bit per matching byte, summed by a multiplication into the top byte.
    count += static_cast<size_t>((((~t & ~kLow7) >> 7) * 0x0101010101010101ULL) >> 56);
  }
  for (; i < text.size(); ++i) count += text[i] == c;
  return count;
}

// Whether every byte of `text` is ASCII.
bool all_ascii(std::string_view text) {
  std::uint64_t any = 0;
  size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, text.data() + i, 8);
    any |= w;
  }
  for (; i < text.size(); ++i) any |= static_cast<unsigned char>(text[i]);
  return (any & 0x8080808080808080ULL) == 0;
}

class ChunkParser {
 public:
  ChunkParser(const Questionnaire& q, const std::vector<Target>& targets, const std::string& file_name,
              const std::string& fake_header)
      : q_(q), targets_(targets), file_name_(file_name), fake_header_(fake_header) {}

  // Parses one chunk: the fast scan when it can, else (or to find the exact
  // error) the project's CSV reader. `text` is the calling thread's scratch
  // buffer, reused from chunk to chunk.
  void parse(Chunk& chunk, std::string& text) const {
    if (parse_fast(chunk)) {
      hash_ids(chunk);
      return;
    }
    // Start again from nothing, so the error found is the one the CSV
    // reader finds first, as before the fast scan existed.
    const Responses layout = empty_like(chunk.data);
    chunk.data = layout;
    chunk.ids.clear();
    chunk.id_ends.clear();
    chunk.lines.clear();
    chunk.error = Status::Ok();
    chunk.newlines = static_cast<long>(count_byte(chunk.text, '\n'));
    parse_with_csv_reader(chunk, text);
    if (chunk.error.ok()) hash_ids(chunk);
  }

 private:
  // Hashes each id here, on the parsing threads, for the search for repeats.
  static void hash_ids(Chunk& chunk) {
    const std::hash<std::string_view> hasher;
    const std::string_view ids = chunk.ids;
    chunk.id_hashes.resize(chunk.id_ends.size());
    std::uint32_t begin = 0;
    for (size_t i = 0; i < chunk.id_ends.size(); ++i) {
      chunk.id_hashes[i] = hasher(ids.substr(begin, chunk.id_ends[i] - begin));
      begin = chunk.id_ends[i];
    }
  }

  static Responses empty_like(const Responses& d) {
    Responses out;
    out.question_column = d.question_column;
    out.columns.resize(d.columns.size());
    for (size_t i = 0; i < d.columns.size(); ++i) out.columns[i].kind = d.columns[i].kind;
    return out;
  }

  // Sizes every column of `d` to `n` rows, all unanswered.
  static void reset_rows(Responses& d, size_t n) {
    d.complete.assign(n, 0);
    d.last_page.assign(n, 0);
    for (Column& c : d.columns) {
      switch (c.kind) {
        case Column::Kind::kChoice: c.choice.assign(n, -1); break;
        case Column::Kind::kMultiple: c.multiple.assign(n, 0); break;
        case Column::Kind::kNumber: c.number.assign(n, std::numeric_limits<double>::quiet_NaN()); break;
        case Column::Kind::kText: c.text.assign(n, 0); break;
      }
    }
  }


  // The common case, without a std::string per cell: fields are views into
  // the mapped file. It reads exactly what csv::parse reads for text with LF
  // line endings, quoted fields without doubled quotes, and UTF-8; on anything
  // else (a carriage return, a doubled or stray quote, a row of the wrong
  // width, invalid UTF-8) or on any mistake in a cell it returns false and
  // the chunk is parsed again by csv::parse, which finds and words the error.
  bool parse_fast(Chunk& chunk) const {
    const size_t width = targets_.size();
    // Only text beyond ASCII needs its UTF-8 checked, field by field.
    const bool ascii = all_ascii(chunk.text);
    // First the structure: where each field starts and ends, row by row
    // (offsets into the chunk, which is at most a few hundred KB).
    thread_local std::vector<std::uint32_t> bounds;  // start, end of each field
    bounds.clear();
    long line = chunk.first_line;
    const char* const text = chunk.text.data();
    const size_t n = chunk.text.size();
    size_t field_start = 0;   // where the field being read starts
    bool in_row = false;      // some of the current row is read
    bool row_ended = false;   // a quoted field ended the text, and with it the row
    size_t row_start = 0;     // the row's first entry in bounds
    auto begin_row = [&] {
      if (in_row) return;
      in_row = true;
      row_start = bounds.size();
      chunk.lines.push_back(line);
    };
    auto end_row = [&] {
      in_row = false;
      return bounds.size() - row_start == 2 * width;
    };
    size_t pos = 0;  // the next byte to look at
    while (pos < n) {
      // One bit for each separator, newline, quote or carriage return in the
      // next 64 bytes, so the fields in them are found without a branch per byte.
      std::uint64_t mask = stop_mask(text + pos, std::min<size_t>(64, n - pos));
      size_t next = pos + 64;
      while (mask != 0) {
        const size_t i = pos + static_cast<size_t>(__builtin_ctzll(mask));
        mask &= mask - 1;
        const char c = text[i];
        if (c == ',') {
          begin_row();
          bounds.push_back(static_cast<std::uint32_t>(field_start));
          bounds.push_back(static_cast<std::uint32_t>(i));
          field_start = i + 1;
        } else if (c == '\n') {
          if (!in_row && i == field_start) {  // an empty line: skipped, as csv::parse does
            ++line;
            field_start = i + 1;
            continue;
          }
          begin_row();
          bounds.push_back(static_cast<std::uint32_t>(field_start));
          bounds.push_back(static_cast<std::uint32_t>(i));
          if (!end_row()) return false;
          ++line;
          field_start = i + 1;
        } else if (c == '"') {
          if (i != field_start) return false;  // a quote inside an unquoted field
          begin_row();
          const char* close = static_cast<const char*>(std::memchr(text + i + 1, '"', n - i - 1));
          if (close == nullptr) return false;
          const size_t after = static_cast<size_t>(close - text) + 1;
          if (after < n && text[after] == '"') return false;  // a doubled quote
          for (size_t k = i + 1; k + 1 < after; ++k) {
            line += text[k] == '\n';
            if (text[k] == '\r') return false;
          }
          bounds.push_back(static_cast<std::uint32_t>(i + 1));
          bounds.push_back(static_cast<std::uint32_t>(after - 1));
          if (after >= n) {
            if (!end_row()) return false;
            row_ended = true;
          } else if (text[after] == ',') {
            field_start = after + 1;
          } else if (text[after] == '\n') {
            if (!end_row()) return false;
            ++line;
            field_start = after + 1;
          } else {
            return false;  // text after a closing quote, or a carriage return
          }
          next = after + 1;
          break;  // look again from after the quoted field
        } else {
          return false;  // a carriage return
        }
      }
      pos = next;
    }
    // The last row may end with the text rather than a newline.
    if (!row_ended && (in_row || field_start < n)) {
      begin_row();
      bounds.push_back(static_cast<std::uint32_t>(std::min(field_start, n)));
      bounds.push_back(static_cast<std::uint32_t>(n));
      if (!end_row()) return false;
    }
    // Every newline of the chunk has been counted, in or out of quotes.
    chunk.newlines = line - chunk.first_line;
    // Then the cells, column by column.
    Responses& d = chunk.data;
    const size_t rows = chunk.lines.size();
    reset_rows(d, rows);
    d.rows = rows;
    chunk.id_ends.reserve(rows);
    chunk.ids.reserve(rows * 8);
    Status error;
    for (size_t i = 0; i < width; ++i) {
      const Target& t = targets_[i];
      auto column = [&](auto kind) {
        const std::uint32_t* b = bounds.data() + 2 * i;
        for (size_t r = 0; r < rows; ++r, b += 2 * width) {
          const std::string_view field(text + b[0], b[1] - b[0]);
          if (!ascii && !csv::is_valid_utf8(field)) return false;
          if (!cell<decltype(kind)::value>(chunk, t, field, r, chunk.lines[r], i, error)) return false;
        }
        return true;
      };
      bool ok = true;
      switch (t.kind) {
#define COPRODUCE_COLUMN(K) \
  case Target::Kind::K: ok = column(std::integral_constant<Target::Kind, Target::Kind::K>()); break;
        COPRODUCE_COLUMN(kId) COPRODUCE_COLUMN(kStarted) COPRODUCE_COLUMN(kSubmitted) COPRODUCE_COLUMN(kLastPage)
        COPRODUCE_COLUMN(kLanguage) COPRODUCE_COLUMN(kChoice) COPRODUCE_COLUMN(kMultipleOption) COPRODUCE_COLUMN(kNumber)
        COPRODUCE_COLUMN(kText) COPRODUCE_COLUMN(kDate) COPRODUCE_COLUMN(kOtherText) COPRODUCE_COLUMN(kResponseId)
        COPRODUCE_COLUMN(kInstance)
#undef COPRODUCE_COLUMN
      }
      if (!ok) return false;
    }
    return true;
  }

  // Bit j set when byte j of p[0, len) (len at most 64) is a separator,
  // newline, quote or carriage return.
  static std::uint64_t stop_mask(const char* p, size_t len) {
    if constexpr (std::endian::native != std::endian::little) {
      std::uint64_t mask = 0;
      for (size_t j = 0; j < len; ++j) {
        if (p[j] == ',' || p[j] == '\n' || p[j] == '"' || p[j] == '\r') mask |= std::uint64_t{1} << j;
      }
      return mask;
    }
    char block[64];
    if (len < 64) {  // the end of the chunk: never read past it
      std::memset(block, 0, sizeof block);
      std::memcpy(block, p, len);
      p = block;
    }
    constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kLow7 = 0x7F7F7F7F7F7F7F7FULL;
    // A byte's high bit where it is zero, without carries between bytes.
    auto zero_bytes = [](std::uint64_t x) { return ~(((x & kLow7) + kLow7) | x) & ~kLow7; };
    std::uint64_t mask = 0;
    for (size_t k = 0; k < 8; ++k) {
      std::uint64_t w;
      std::memcpy(&w, p + 8 * k, 8);
      const std::uint64_t hits = zero_bytes(w ^ (kOnes * ',')) | zero_bytes(w ^ (kOnes * '\n')) |
                                 zero_bytes(w ^ (kOnes * '"')) | zero_bytes(w ^ (kOnes * '\r'));
      // Gathers the eight high bits into one byte, the first byte lowest.
      mask |= (((hits >> 7) * 0x0102040810204080ULL) >> 56) << (8 * k);
    }
    return mask;
  }

  void parse_with_csv_reader(Chunk& chunk, std::string& text) const {
    text.clear();
    text += fake_header_;
    text += chunk.text;
    csv::ReadOptions options;
    options.file_name = file_name_;
    StatusOr<csv::Table> table = csv::parse(text, options);
    // Lines in `text` are one more than in the chunk (the fake header).
    const long shift = chunk.first_line - 2;
    if (!table.ok()) {
      Location loc = table.status().where();
      if (loc.line > 0) loc.line += shift;
      chunk.error = InvalidInput(table.status().message(), loc);
      return;
    }
    const size_t n = table->rows.size();
    // Every row starts unanswered everywhere; add_row fills in the answers.
    reset_rows(chunk.data, n);
    chunk.lines.reserve(n);
    chunk.id_ends.reserve(n);
    chunk.ids.reserve(n * 8);
    for (const csv::Row& row : table->rows) {
      const long line = row.line + shift;
      if (Status s = add_row(chunk, row.fields, line); !s.ok()) {
        chunk.error = std::move(s);
        return;
      }
    }
  }

  Status fail(long line, size_t column, std::string message) const {
    Location loc;
    loc.file = file_name_;
    loc.line = line;
    loc.column = static_cast<long>(column) + 1;
    loc.field = header_name(column);
    return InvalidInput(std::move(message), std::move(loc));
  }

  std::string header_name(size_t column) const;

  // Dates repeat a great deal (a few hundred days in a million responses),
  // so the last date seen valid is remembered per thread.
  static bool date_ok(std::string_view s) {
    thread_local char last[10] = {'2', '0', '0', '0', '-', '0', '1', '-', '0', '1'};
    if (s.size() == 10 && std::memcmp(s.data(), last, 10) == 0) return true;
    if (!is_date(s)) return false;
    std::memcpy(last, s.data(), 10);
    return true;
  }
  static bool timestamp_ok(std::string_view s) {
    if (s.size() < 10 || !date_ok(s.substr(0, 10))) return false;
    return s.size() == 10 || s[10] == 'T' || s[10] == ' ';
  }
  // The whole number `s` when it is from 1 to `most`, else 0.
  static int whole_from_1(std::string_view s, int most) {
    int n = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    return ec != std::errc() || p != s.data() + s.size() || n < 1 || n > most ? 0 : n;
  }

  // Reads one row's fields (std::string or std::string_view, one per header
  // column) into row d.rows of the chunk, in column order.
  template <typename Field>
  Status add_row(Chunk& chunk, const std::vector<Field>& fields, long line) const {
    chunk.lines.push_back(line);
    const size_t r = chunk.data.rows++;
    for (size_t i = 0; i < fields.size(); ++i) {
      Status error;
      bool ok = true;
      switch (targets_[i].kind) {
#define COPRODUCE_CELL(K) \
  case Target::Kind::K: ok = cell<Target::Kind::K>(chunk, targets_[i], fields[i], r, line, i, error); break;
        COPRODUCE_CELL(kId) COPRODUCE_CELL(kStarted) COPRODUCE_CELL(kSubmitted) COPRODUCE_CELL(kLastPage)
        COPRODUCE_CELL(kLanguage) COPRODUCE_CELL(kChoice) COPRODUCE_CELL(kMultipleOption) COPRODUCE_CELL(kNumber)
        COPRODUCE_CELL(kText) COPRODUCE_CELL(kDate) COPRODUCE_CELL(kOtherText) COPRODUCE_CELL(kResponseId)
        COPRODUCE_CELL(kInstance)
#undef COPRODUCE_CELL
      }
      if (!ok) return error;
    }
    return Status::Ok();
  }

  // Reads one cell, of column `i` (which holds K) in row `r`. False after
  // putting the mistake in `error`. A template on K so that a loop down one
  // column has no switch on the kind inside it.
  template <Target::Kind K>
  bool cell(Chunk& chunk, const Target& t, std::string_view field, size_t r, long line, size_t i, Status& error) const {
    Responses& d = chunk.data;
    // Most fields have no surrounding blanks; only those pay for a trim.
    if (!field.empty() && (field.front() == ' ' || field.front() == '\t' || field.back() == ' ' || field.back() == '\t')) {
      field = csv::trim(field);
    }
    auto reject = [&](std::string message) {
      error = fail(line, i, std::move(message));
      return false;
    };
    switch (K) {
        case Target::Kind::kId:
          if (field.empty()) return reject("the id is empty: every response needs one");
          chunk.ids.append(field);
          chunk.id_ends.push_back(static_cast<std::uint32_t>(chunk.ids.size()));
          break;
        case Target::Kind::kResponseId:
          if (field.empty()) return reject("the response_id is empty: every row names the response it belongs to");
          chunk.ids.append(field);
          chunk.id_ends.push_back(static_cast<std::uint32_t>(chunk.ids.size()));
          break;
        case Target::Kind::kInstance: {
          // Kept in last_page, which a repeat table has no other use for.
          const int instance = whole_from_1(field, t.option);
          if (instance == 0) {
            return reject("instance must be a whole number from 1 to " + std::to_string(t.option) +
                          ", the most this repeat allows (found '" + std::string(field) + "')");
          }
          d.last_page[r] = static_cast<std::int16_t>(instance);
          break;
        }
        case Target::Kind::kStarted:
          if (!timestamp_ok(field)) {
            return reject("started_at must be a date and time such as 2026-03-01T10:15:00 (found '" +
                                     std::string(field) + "')");
          }
          break;
        case Target::Kind::kSubmitted:
          if (!field.empty() && !timestamp_ok(field)) {
            return reject("submitted_at must be empty or a date and time such as 2026-03-01T10:25:00 (found '" +
                                     std::string(field) + "')");
          }
          d.complete[r] = field.empty() ? 0 : 1;
          break;
        case Target::Kind::kLastPage: {
          const int page = whole_from_1(field, q_.pages);
          if (page == 0) {
            return reject("last_page must be a page number from 1 to " + std::to_string(q_.pages) +
                                     " (found '" + std::string(field) + "')");
          }
          d.last_page[r] = static_cast<std::int16_t>(page);
          break;
        }
        case Target::Kind::kLanguage:
          if (!field.empty() && !q_.find_language(field)) {
            std::string codes;
            for (const Language& l : q_.languages) codes += (codes.empty() ? "" : ", ") + l.code;
            return reject("a language must be empty or one of the questionnaire's: " + codes +
                                     " (found '" + std::string(field) + "')");
          }
          break;
        case Target::Kind::kChoice: {
          if (field.empty()) break;
          const auto& options = t.question->options;
          int found = -1;
          if (const std::uint64_t key = option_key(field, chunk.text); key != 0) {
            for (size_t o = 0; o < t.option_keys.size(); ++o) {
              if (t.option_keys[o] == key) {
                found = static_cast<int>(o);
                break;
              }
            }
          } else {
            for (size_t o = 0; o < options.size(); ++o) {
              if (options[o].code == field) {
                found = static_cast<int>(o);
                break;
              }
            }
          }
          if (found < 0) {
            std::string list;
            for (const auto& o : options) list += (list.empty() ? "" : ", ") + o.code;
            return reject("'" + std::string(field) + "' is not an option of " + t.question->code +
                                     " (its options: " + list + ")");
          }
          d.columns[t.column].choice[r] = static_cast<std::int16_t>(found);
          break;
        }
        case Target::Kind::kMultipleOption:
          if (field.empty() || field == "0") break;
          if (field != "1") {
            return reject("a tick box column holds 1 when ticked and is empty when not (found '" +
                                     std::string(field) + "')");
          }
          d.columns[t.column].multiple[r] |= std::uint64_t{1} << t.option;
          break;
        case Target::Kind::kNumber: {
          if (field.empty()) break;
          double v = 0;
          auto [p, ec] = std::from_chars(field.data(), field.data() + field.size(), v);
          if (ec != std::errc() || p != field.data() + field.size() || !std::isfinite(v)) {
            return reject("'" + std::string(field) + "' is not a number (write digits, with a dot for decimals)");
          }
          d.columns[t.column].number[r] = v;
          break;
        }
        case Target::Kind::kDate:
          if (field.empty()) break;
          if (!date_ok(field)) return reject("'" + std::string(field) + "' is not a date in the form YYYY-MM-DD");
          d.columns[t.column].text[r] = 1;
          break;
        case Target::Kind::kText:
          if (!field.empty()) d.columns[t.column].text[r] = 1;
          break;
        case Target::Kind::kOtherText:
          break;
    }
    return true;
  }

  const Questionnaire& q_;
  const std::vector<Target>& targets_;
  const std::string& file_name_;
  const std::string& fake_header_;

 public:
  std::vector<std::string> header;
};

std::string ChunkParser::header_name(size_t column) const {
  return column < header.size() ? header[column] : std::string();
}

// Splits `body` at row boundaries into pieces of about `target` bytes. A
// newline ends a row unless it is inside a quoted field, which is the case
// exactly when an odd number of quotes precede it (RFC 4180 quotes pair up).
std::vector<std::string_view> split_rows(std::string_view body, size_t target) {
  std::vector<std::string_view> out;
  size_t start = 0;
  bool in_quotes = false;
  while (start < body.size()) {
    size_t end = std::min(body.size(), start + target);
    in_quotes ^= (count_byte(body.substr(start, end - start), '"') & 1) != 0;
    while (end < body.size()) {
      const char c = body[end++];
      if (c == '"') in_quotes = !in_quotes;
      else if (c == '\n' && !in_quotes) break;
    }
    out.push_back(body.substr(start, end - start));
    start = end;
  }
  return out;
}

// Runs every task once, on up to `threads` threads.
void parallel_tasks(const std::vector<std::function<void()>>& tasks, unsigned threads) {
  parallel_for(tasks.size(), threads, [&](size_t i, unsigned) { tasks[i](); });
}

}  // namespace

Responses empty_responses(const Questionnaire& q) {
  Responses d;
  d.question_column.assign(q.questions.size(), -1);
  for (size_t v = 0; v < q.variables.size(); ++v) {
    const Variable& var = q.variables[v];
    if (d.question_column[var.question] < 0) d.question_column[var.question] = static_cast<int>(v);
    Column c;
    c.kind = column_kind(q.questions[var.question].type);
    d.columns.push_back(std::move(c));
  }
  return d;
}

std::vector<std::string> response_columns(const Questionnaire& q) {
  std::vector<std::string> out = {"id", "started_at", "submitted_at", "last_page"};
  if (has_language_column(q)) out.push_back("language");
  for (const Question& question : q.questions) {
    // A repeat's questions are in its own table (repeat_columns).
    if (question.type == QuestionType::kDisplay || question.repeat >= 0) continue;
    if (question.type == QuestionType::kMultiple) {
      for (const Option& o : question.options) out.push_back(question.code + "[" + o.code + "]");
      if (question.other_specify) out.push_back(question.code + "_other");
    } else if (question.type == QuestionType::kLikert) {
      for (const Option& item : question.items) out.push_back(question.code + "[" + item.code + "]");
    } else {
      out.push_back(question.code);
      if (question.other_specify) out.push_back(question.code + "_other");
    }
  }
  return out;
}

namespace {

// Links the rows of a repeat table (parsed into `chunks`, stitched into
// out.data) to their responses and checks each (response, instance) is given
// once. Defined below.
Status link_repeat(std::vector<Chunk>& chunks, const std::vector<long>& line_base, size_t id_column,
                   const std::string& file, const Responses* main, const std::vector<std::int16_t>& instances,
                   RepeatResponses& out);

Responses empty_repeat_responses(const Questionnaire& q, size_t repeat_index) {
  Responses d;
  d.question_column.assign(q.questions.size(), -1);
  const std::vector<Variable>& variables = q.repeats[repeat_index].variables;
  for (size_t v = 0; v < variables.size(); ++v) {
    const Variable& var = variables[v];
    if (d.question_column[var.question] < 0) d.question_column[var.question] = static_cast<int>(v);
    Column c;
    c.kind = column_kind(q.questions[var.question].type);
    d.columns.push_back(std::move(c));
  }
  return d;
}

// Parses `text` as the main table (repeat_out null) or as the table of
// repeat `repeat_index` into *repeat_out. `release`, when given, frees the
// memory holding `text`; it runs as soon as every chunk is parsed, so the
// file and the stitched columns are not in memory at the same time.
StatusOr<Responses> parse_impl(std::string_view text, const Questionnaire& q, const ReadOptions& options,
                               const std::function<void()>& release, size_t repeat_index = 0,
                               RepeatResponses* repeat_out = nullptr, const Responses* main = nullptr) {
  const bool repeat = repeat_out != nullptr;
  const std::string& file = options.file_name;
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  // The header: the first non-empty row (as the CSV reader skips empty lines).
  long header_lines = 0;
  size_t header_end = 0;
  while (header_end < text.size() && (text[header_end] == '\n' || text[header_end] == '\r')) {
    if (text[header_end] == '\n') ++header_lines;
    ++header_end;
  }
  if (header_end >= text.size()) {
    Location loc;
    loc.file = file;
    loc.line = 1;
    return InvalidInput("the file is empty: it needs a header row", loc);
  }
  const size_t header_start = header_end;
  {
    bool in_quotes = false;
    while (header_end < text.size()) {
      const char c = text[header_end++];
      if (c == '"') in_quotes = !in_quotes;
      else if (c == '\n' && !in_quotes) break;
    }
  }
  const std::string_view header_text = text.substr(header_start, header_end - header_start);
  header_lines += 1 + static_cast<long>(std::count(header_text.begin(), header_text.end(), '\n')) -
                  (header_text.empty() || header_text.back() != '\n' ? 0 : 1);
  csv::ReadOptions csv_options;
  csv_options.file_name = file;
  StatusOr<csv::Table> header_table = csv::parse(header_text, csv_options);
  if (!header_table.ok()) return header_table.status();
  const std::vector<std::string>& header = header_table->header;

  // Map each column to what it holds.
  const std::vector<Variable>& variables = repeat ? q.repeats[repeat_index].variables : q.variables;
  Responses layout = repeat ? empty_repeat_responses(q, repeat_index) : empty_responses(q);
  std::map<std::string, Target> expected;
  std::vector<std::string> required;
  if (repeat) {
    required = {"response_id", "instance"};
    expected["response_id"] = {Target::Kind::kResponseId, 0, 0, nullptr, {}};
    expected["instance"] = {Target::Kind::kInstance, 0, q.repeats[repeat_index].max, nullptr, {}};
  } else {
    required = {"id", "started_at", "submitted_at", "last_page"};
    expected["id"] = {Target::Kind::kId, 0, 0, nullptr, {}};
    expected["started_at"] = {Target::Kind::kStarted, 0, 0, nullptr, {}};
    expected["submitted_at"] = {Target::Kind::kSubmitted, 0, 0, nullptr, {}};
    expected["last_page"] = {Target::Kind::kLastPage, 0, 0, nullptr, {}};
    if (has_language_column(q)) expected["language"] = {Target::Kind::kLanguage, 0, 0, nullptr, {}};
  }
  for (size_t v = 0; v < variables.size(); ++v) {
    const Variable& var = variables[v];
    const Question& question = q.questions[var.question];
    Target t;
    t.column = v;
    t.question = &question;
    switch (question.type) {
      case QuestionType::kMultiple:
        t.kind = Target::Kind::kMultipleOption;
        for (size_t o = 0; o < question.options.size(); ++o) {
          t.option = static_cast<int>(o);
          const std::string name = question.code + "[" + question.options[o].code + "]";
          expected[name] = t;
          required.push_back(name);
        }
        break;
      case QuestionType::kNumber: t.kind = Target::Kind::kNumber; break;
      case QuestionType::kDate: t.kind = Target::Kind::kDate; break;
      case QuestionType::kShortText:
      case QuestionType::kLongText: t.kind = Target::Kind::kText; break;
      default:
        t.kind = Target::Kind::kChoice;
        for (const Option& o : question.options) t.option_keys.push_back(option_key(o.code));
        break;
    }
    if (question.type != QuestionType::kMultiple) {
      expected[var.code] = t;
      required.push_back(var.code);
    }
    if (question.other_specify && var.item < 0) {
      Target other;
      other.kind = Target::Kind::kOtherText;
      expected[question.code + "_other"] = other;
    }
  }
  std::vector<Target> targets(header.size());
  std::map<std::string, size_t> seen;
  for (size_t i = 0; i < header.size(); ++i) {
    Location loc = header_table->where_header(i);
    loc.line = header_lines;
    auto it = expected.find(header[i]);
    if (it == expected.end()) {
      return InvalidInput("the column '" + header[i] + "' is not part of " +
                              (repeat ? "the table of the repeat '" + q.repeats[repeat_index].code + "'"
                                      : std::string("this questionnaire's response layout")),
                          loc);
    }
    if (!seen.emplace(header[i], i).second) return InvalidInput("the column '" + header[i] + "' appears twice", loc);
    targets[i] = it->second;
  }
  for (const std::string& name : required) {
    if (!seen.count(name)) {
      Location loc;
      loc.file = file;
      loc.line = header_lines;
      return InvalidInput("the required column '" + name + "' is missing from the header", loc);
    }
  }

  // The rows, in chunks parsed in parallel.
  std::string fake_header(header.size() > 0 ? header.size() - 1 : 0, ',');
  fake_header += '\n';
  ChunkParser parser(q, targets, file, fake_header);
  parser.header = header;
  const std::string_view body = text.substr(header_end);
  std::vector<std::string_view> pieces = split_rows(body, size_t{1} << 16);
  std::vector<Chunk> chunks(pieces.size());
  for (size_t i = 0; i < pieces.size(); ++i) {
    chunks[i].text = pieces[i];
    chunks[i].data = layout;
  }
  unsigned threads = threads_or_every_core(options.threads);
  threads = static_cast<unsigned>(std::min<size_t>(threads, std::max<size_t>(1, chunks.size())));
  std::vector<std::string> buffers(threads);  // each worker's own
  parallel_for(chunks.size(), threads, [&](size_t i, unsigned worker) { parser.parse(chunks[i], buffers[worker]); });
  // Each chunk's first line in the file, now that every chunk's lines are counted.
  std::vector<long> line_base(chunks.size());
  {
    long line = header_lines + 1;
    for (size_t i = 0; i < chunks.size(); ++i) {
      line_base[i] = line - 1;
      line += chunks[i].newlines;
    }
  }
  for (size_t i = 0; i < chunks.size(); ++i) {
    const Chunk& c = chunks[i];
    if (c.error.ok()) continue;
    Location loc = c.error.where();
    if (loc.line > 0) loc.line += line_base[i];
    return InvalidInput(c.error.message(), std::move(loc));
  }
  if (release) release();

  // Stitch the chunks together, a column per task, freeing each piece as it is copied.
  Responses out = std::move(layout);
  size_t total = 0;
  for (const Chunk& c : chunks) total += c.data.rows;
  if (options.max_rows > 0 && total > options.max_rows) {
    Location loc;
    loc.file = file;
    return InvalidInput("too many rows: the limit is " + std::to_string(options.max_rows), loc);
  }
  out.rows = total;
  auto stitch = [&](auto member_of) {
    auto& to = member_of(out);
    to.reserve(total);
    for (Chunk& c : chunks) {
      auto& from = member_of(c.data);
      to.insert(to.end(), from.begin(), from.end());
      std::decay_t<decltype(from)>().swap(from);
    }
  };
  std::vector<std::function<void()>> tasks;
  tasks.emplace_back([&] { stitch([](Responses& d) -> auto& { return d.complete; }); });
  tasks.emplace_back([&] { stitch([](Responses& d) -> auto& { return d.last_page; }); });
  for (size_t v = 0; v < out.columns.size(); ++v) {
    tasks.emplace_back([&, v] {
      switch (out.columns[v].kind) {
        case Column::Kind::kChoice: stitch([v](Responses& d) -> auto& { return d.columns[v].choice; }); break;
        case Column::Kind::kMultiple: stitch([v](Responses& d) -> auto& { return d.columns[v].multiple; }); break;
        case Column::Kind::kNumber: stitch([v](Responses& d) -> auto& { return d.columns[v].number; }); break;
        case Column::Kind::kText: stitch([v](Responses& d) -> auto& { return d.columns[v].text; }); break;
      }
    });
  }
  if (repeat) {
    parallel_tasks(tasks, threads);
    repeat_out->repeat = repeat_index;
    if (Status s = link_repeat(chunks, line_base, seen["response_id"], file, main, out.last_page, *repeat_out); !s.ok()) return s;
    return out;
  }
  if (options.keep_ids) {
    tasks.emplace_back([&] {
      size_t bytes = 0;
      for (const Chunk& c : chunks) bytes += c.ids.size();
      out.id_text.reserve(bytes);
      out.id_ends.reserve(total);
      for (const Chunk& c : chunks) {
        const std::uint64_t base = out.id_text.size();
        out.id_text += c.ids;
        for (std::uint32_t e : c.id_ends) out.id_ends.push_back(base + e);
      }
    });
  }
  // Ids: (hash, row) pairs sorted to find repeats without a set of strings.
  // They are spread over 256 buckets by the hash's top byte (while the
  // columns are stitched), and the buckets sorted in parallel.
  struct IdRef {
    std::size_t hash;
    std::uint32_t chunk;
    std::uint32_t index;
  };
  constexpr int kBucketShift = std::numeric_limits<std::size_t>::digits - 8;
  std::vector<IdRef> ids(total);
  std::vector<size_t> bucket_start(257, 0);
  tasks.emplace_back([&] {
    for (const Chunk& c : chunks) {
      for (std::size_t h : c.id_hashes) ++bucket_start[(h >> kBucketShift) + 1];
    }
    for (size_t b = 1; b <= 256; ++b) bucket_start[b] += bucket_start[b - 1];
    std::vector<size_t> fill(bucket_start.begin(), bucket_start.end() - 1);
    for (size_t ci = 0; ci < chunks.size(); ++ci) {
      const std::vector<std::size_t>& hashes = chunks[ci].id_hashes;
      for (size_t i = 0; i < hashes.size(); ++i) {
        ids[fill[hashes[i] >> kBucketShift]++] = {hashes[i], static_cast<std::uint32_t>(ci), static_cast<std::uint32_t>(i)};
      }
    }
  });
  parallel_tasks(tasks, threads);
  tasks.clear();
  for (size_t b = 0; b < 256; ++b) {
    tasks.emplace_back([&, b] {
      std::sort(ids.begin() + static_cast<long>(bucket_start[b]), ids.begin() + static_cast<long>(bucket_start[b + 1]),
                [](const IdRef& x, const IdRef& y) {
                  return x.hash != y.hash ? x.hash < y.hash : (x.chunk != y.chunk ? x.chunk < y.chunk : x.index < y.index);
                });
    });
  }
  parallel_tasks(tasks, threads);
  auto id_of = [&](const IdRef& r) {
    const Chunk& c = chunks[r.chunk];
    const std::uint32_t begin = r.index == 0 ? 0 : c.id_ends[r.index - 1];
    return std::string_view(c.ids).substr(begin, c.id_ends[r.index] - begin);
  };
  auto line_of = [&](const IdRef& r) { return chunks[r.chunk].lines[r.index] + line_base[r.chunk]; };
  long worst_line = 0, first_line = 0;
  std::string_view repeated;
  for (size_t i = 0; i < ids.size();) {
    size_t j = i + 1;
    while (j < ids.size() && ids[j].hash == ids[i].hash) ++j;
    for (size_t a = i; a < j; ++a) {
      for (size_t b = a + 1; b < j; ++b) {
        if (id_of(ids[a]) == id_of(ids[b]) && (worst_line == 0 || line_of(ids[b]) < worst_line)) {
          worst_line = line_of(ids[b]);
          first_line = line_of(ids[a]);
          repeated = id_of(ids[a]);
          break;
        }
      }
    }
    i = j;
  }
  if (worst_line > 0) {
    Location loc;
    loc.file = file;
    loc.line = worst_line;
    loc.column = static_cast<long>(seen["id"]) + 1;
    loc.field = "id";
    return InvalidInput("the id '" + std::string(repeated) + "' is used again (first on line " +
                            std::to_string(first_line) + "); each response needs its own id",
                        loc);
  }
  return out;
}

Status link_repeat(std::vector<Chunk>& chunks, const std::vector<long>& line_base, size_t id_column,
                   const std::string& file, const Responses* main, const std::vector<std::int16_t>& instances,
                   RepeatResponses& out) {
  auto where = [&](long line, size_t column, const char* field) {
    Location loc;
    loc.file = file;
    loc.line = line;
    loc.column = static_cast<long>(column) + 1;
    loc.field = field;
    return loc;
  };
  out.linked = main != nullptr;
  if (main && main->id_ends.size() != main->rows) {
    Location loc;
    loc.file = file;
    return InvalidInput("the main responses were read without their ids (ReadOptions::keep_ids), so the repeat "
                        "table cannot be linked to them",
                        loc);
  }
  out.response.clear();
  out.response.reserve(instances.size());
  // Tables are usually written in the responses' order, so each id is looked
  // for first at, and a little after, where the last one was found (past
  // responses with no instances); the table of every id is built only when
  // that fails.
  std::unordered_map<std::string_view, std::uint32_t> index;
  std::vector<std::string_view> distinct;  // not linked: the ids seen, owned by the chunks
  size_t cursor = 0;
  auto id_at = [&](size_t k) { return main ? main->id(k) : distinct[k]; };
  auto count = [&] { return main ? main->rows : distinct.size(); };
  for (size_t ci = 0; ci < chunks.size(); ++ci) {
    const Chunk& c = chunks[ci];
    const std::string_view ids = c.ids;
    std::uint32_t begin = 0;
    for (size_t i = 0; i < c.id_ends.size(); ++i) {
      const std::string_view id = ids.substr(begin, c.id_ends[i] - begin);
      begin = c.id_ends[i];
      long found = -1;
      for (size_t k = cursor; k < std::min(count(), cursor + 64); ++k) {
        if (id_at(k) == id) {
          found = static_cast<long>(k);
          break;
        }
      }
      if (found < 0) {
        if (index.empty() && main) {
          index.reserve(main->rows);
          for (size_t k = 0; k < main->rows; ++k) index.emplace(main->id(k), static_cast<std::uint32_t>(k));
        }
        if (auto it = index.find(id); it != index.end()) {
          found = it->second;
        } else if (main) {
          return InvalidInput("the response_id '" + std::string(id) + "' is not the id of any response in the main table",
                              where(c.lines[i] + line_base[ci], id_column, "response_id"));
        } else {
          found = static_cast<long>(distinct.size());
          distinct.push_back(id);
          index.emplace(id, static_cast<std::uint32_t>(found));
        }
      }
      cursor = static_cast<size_t>(found);
      out.response.push_back(static_cast<std::uint32_t>(found));
    }
  }
  if (!main) out.response_ids.assign(distinct.begin(), distinct.end());
  // Each (response, instance) once: in a table in order the keys only grow,
  // which is checked in one pass; otherwise they are sorted.
  const size_t n = out.response.size();
  auto key = [&](size_t r) { return (std::uint64_t{out.response[r]} << 8) | static_cast<std::uint64_t>(instances[r]); };
  bool increasing = true;
  for (size_t r = 1; r < n && increasing; ++r) increasing = key(r - 1) < key(r);
  if (increasing) return Status::Ok();
  std::vector<std::pair<std::uint64_t, std::uint32_t>> keys(n);
  for (size_t r = 0; r < n; ++r) keys[r] = {key(r), static_cast<std::uint32_t>(r)};
  std::sort(keys.begin(), keys.end());
  size_t worst = n;
  size_t first = 0;
  for (size_t k = 1; k < n; ++k) {
    if (keys[k].first == keys[k - 1].first && keys[k].second < worst) {
      worst = keys[k].second;
      first = keys[k - 1].second;
    }
  }
  if (worst == n) return Status::Ok();
  auto line_of = [&](size_t row) {
    for (size_t ci = 0; ci < chunks.size(); ++ci) {
      if (row < chunks[ci].lines.size()) return chunks[ci].lines[row] + line_base[ci];
      row -= chunks[ci].lines.size();
    }
    return 0L;
  };
  // keys sort by row within a key, so `first` is the earlier row.
  const std::string id(out.linked ? main->id(out.response[worst]) : std::string_view(out.response_ids[out.response[worst]]));
  return InvalidInput("the response '" + id + "' has instance " + std::to_string(instances[worst]) +
                          " twice (first on line " + std::to_string(line_of(first)) + "); each instance is one row",
                      where(line_of(worst), id_column, "response_id"));
}

}  // namespace

StatusOr<Responses> parse_responses(std::string_view text, const Questionnaire& q, const ReadOptions& options) {
  return parse_impl(text, q, options, {});
}

std::vector<std::string> repeat_columns(const Questionnaire& q, size_t repeat_index) {
  std::vector<std::string> out = {"response_id", "instance"};
  const Repeat& r = q.repeats[repeat_index];
  for (size_t qi = r.first; qi < r.end; ++qi) {
    const Question& question = q.questions[qi];
    if (question.type == QuestionType::kDisplay) continue;
    if (question.type == QuestionType::kMultiple) {
      for (const Option& o : question.options) out.push_back(question.code + "[" + o.code + "]");
      if (question.other_specify) out.push_back(question.code + "_other");
    } else if (question.type == QuestionType::kLikert) {
      for (const Option& item : question.items) out.push_back(question.code + "[" + item.code + "]");
    } else {
      out.push_back(question.code);
      if (question.other_specify) out.push_back(question.code + "_other");
    }
  }
  return out;
}

StatusOr<RepeatResponses> parse_repeat_responses(std::string_view text, const Questionnaire& q, size_t repeat_index,
                                                 const RepeatReadOptions& options) {
  RepeatResponses out;
  StatusOr<Responses> data = parse_impl(text, q, options, {}, repeat_index, &out, options.responses);
  if (!data.ok()) return data.status();
  out.data = std::move(*data);
  out.instance = std::move(out.data.last_page);
  out.data.last_page.clear();
  out.data.complete.clear();
  return out;
}

namespace {

// Maps the file at `path` (or reads it, when it is not a regular file) and
// hands its text to `parse` with a function that frees it.
template <typename Result, typename Parse>
StatusOr<Result> with_file(const std::string& path, const std::string& file_name, Parse parse) {
  Location loc;
  loc.file = file_name;
  // The file is mapped rather than read: no copy, and its pages come straight
  // from the page cache. Mapping is read-only and private to this call.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return InvalidInput("cannot open the file (does it exist, and may this program read it?)", loc);
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    // Not a regular file (a pipe, say): read it the ordinary way.
    ::close(fd);
    std::ifstream in(path, std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (!in && !in.eof()) return InvalidInput("could not read the whole file", loc);
    std::string text = buffer.str();
    const std::string_view view = text;
    return parse(view, std::function<void()>([&text] { std::string().swap(text); }));
  }
  const auto size = static_cast<size_t>(info.st_size);
  if (size == 0) {
    ::close(fd);
    return parse(std::string_view(), std::function<void()>());
  }
  void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
  ::close(fd);
  if (map == MAP_FAILED) return InvalidInput("could not read the file", loc);
  ::madvise(map, size, MADV_SEQUENTIAL);
  bool mapped = true;
  auto unmap = [&] {
    if (mapped) ::munmap(map, size);
    mapped = false;
  };
  StatusOr<Result> out = parse(std::string_view(static_cast<const char*>(map), size), std::function<void()>(unmap));
  unmap();
  return out;
}

}  // namespace

StatusOr<RepeatResponses> read_repeat_responses(const std::string& path, const Questionnaire& q, size_t repeat_index,
                                                RepeatReadOptions options) {
  if (options.file_name.empty()) options.file_name = path;
  return with_file<RepeatResponses>(path, options.file_name,
                                    [&](std::string_view text, const std::function<void()>& release)
                                        -> StatusOr<RepeatResponses> {
    RepeatResponses out;
    StatusOr<Responses> data = parse_impl(text, q, options, release, repeat_index, &out, options.responses);
    if (!data.ok()) return data.status();
    out.data = std::move(*data);
    out.instance = std::move(out.data.last_page);
    out.data.last_page.clear();
    out.data.complete.clear();
    return out;
  });
}

StatusOr<Responses> read_responses(const std::string& path, const Questionnaire& q, ReadOptions options) {
  if (options.file_name.empty()) options.file_name = path;
  return with_file<Responses>(path, options.file_name,
                              [&](std::string_view text, const std::function<void()>& release) {
                                return parse_impl(text, q, options, release);
                              });
}

}  // namespace coproduce::survey
