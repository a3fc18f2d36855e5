#include "survey/responses.h"

#include "core/dates.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <sstream>
#include <thread>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/csv.h"

namespace coproduce::survey {

namespace {

// What a CSV column holds.
struct Target {
  enum class Kind {
    kId, kStarted, kSubmitted, kLastPage, kLanguage, kChoice, kMultipleOption, kNumber, kText, kDate, kOtherText
  };
  Kind kind = Kind::kText;
  size_t column = 0;   // index into Responses::columns
  int option = 0;      // kMultipleOption: the bit
  const Question* question = nullptr;
};

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
  long first_line = 0;     // the file line the chunk starts on
  Responses data;
  std::string ids;         // the ids, end to end
  std::vector<std::uint32_t> id_ends;
  std::vector<long> lines;  // each row's line
  Status error;
};


// A time stamp: a date, optionally followed by T or a space and a time.
bool is_timestamp(std::string_view s) {
  if (s.size() < 10 || !is_date(s.substr(0, 10))) return false;
  if (s.size() == 10) return true;
  return s[10] == 'T' || s[10] == ' ';
}

class ChunkParser {
 public:
  ChunkParser(const Questionnaire& q, const std::vector<Target>& targets, const std::string& file_name,
              const std::string& fake_header)
      : q_(q), targets_(targets), file_name_(file_name), fake_header_(fake_header) {}

  // `text` is the calling thread's scratch buffer, reused from chunk to chunk.
  void parse(Chunk& chunk, std::string& text) const {
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
    Responses& d = chunk.data;
    const size_t n = table->rows.size();
    // Every row starts unanswered everywhere; add_row fills in the answers.
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
    chunk.lines.reserve(n);
    chunk.id_ends.reserve(n);
    chunk.ids.reserve(n * 8);
    for (const csv::Row& row : table->rows) {
      const long line = row.line + shift;
      if (Status s = add_row(chunk, row, line); !s.ok()) {
        chunk.error = std::move(s);
        return;
      }
    }
  }

 private:
  Status fail(long line, size_t column, std::string message) const {
    Location loc;
    loc.file = file_name_;
    loc.line = line;
    loc.column = static_cast<long>(column) + 1;
    loc.field = header_name(column);
    return InvalidInput(std::move(message), std::move(loc));
  }

  std::string header_name(size_t column) const;

  Status add_row(Chunk& chunk, const csv::Row& row, long line) const {
    Responses& d = chunk.data;
    chunk.lines.push_back(line);
    const size_t r = d.rows++;
    for (size_t i = 0; i < row.fields.size(); ++i) {
      std::string_view field = row.fields[i];
      // Most fields have no surrounding blanks; only those pay for a trim.
      if (!field.empty() && (field.front() == ' ' || field.front() == '\t' || field.back() == ' ' || field.back() == '\t')) {
        field = csv::trim(field);
      }
      const Target& t = targets_[i];
      switch (t.kind) {
        case Target::Kind::kId:
          if (field.empty()) return fail(line, i, "the id is empty: every response needs one");
          chunk.ids.append(field);
          chunk.id_ends.push_back(static_cast<std::uint32_t>(chunk.ids.size()));
          break;
        case Target::Kind::kStarted:
          if (!is_timestamp(field)) {
            return fail(line, i, "started_at must be a date and time such as 2026-03-01T10:15:00 (found '" +
                                     std::string(field) + "')");
          }
          break;
        case Target::Kind::kSubmitted:
          if (!field.empty() && !is_timestamp(field)) {
            return fail(line, i, "submitted_at must be empty or a date and time such as 2026-03-01T10:25:00 (found '" +
                                     std::string(field) + "')");
          }
          d.complete[r] = field.empty() ? 0 : 1;
          break;
        case Target::Kind::kLastPage: {
          int page = 0;
          auto [p, ec] = std::from_chars(field.data(), field.data() + field.size(), page);
          if (ec != std::errc() || p != field.data() + field.size() || page < 1 || page > q_.pages) {
            return fail(line, i, "last_page must be a page number from 1 to " + std::to_string(q_.pages) +
                                     " (found '" + std::string(field) + "')");
          }
          d.last_page[r] = static_cast<std::int16_t>(page);
          break;
        }
        case Target::Kind::kLanguage:
          if (!field.empty() && !q_.find_language(field)) {
            std::string codes;
            for (const Language& l : q_.languages) codes += (codes.empty() ? "" : ", ") + l.code;
            return fail(line, i, "a language must be empty or one of the questionnaire's: " + codes +
                                     " (found '" + std::string(field) + "')");
          }
          break;
        case Target::Kind::kChoice: {
          if (field.empty()) break;
          const auto& options = t.question->options;
          int found = -1;
          for (size_t o = 0; o < options.size(); ++o) {
            if (options[o].code == field) {
              found = static_cast<int>(o);
              break;
            }
          }
          if (found < 0) {
            std::string list;
            for (const auto& o : options) list += (list.empty() ? "" : ", ") + o.code;
            return fail(line, i, "'" + std::string(field) + "' is not an option of " + t.question->code +
                                     " (its options: " + list + ")");
          }
          d.columns[t.column].choice[r] = static_cast<std::int16_t>(found);
          break;
        }
        case Target::Kind::kMultipleOption:
          if (field.empty() || field == "0") break;
          if (field != "1") {
            return fail(line, i, "a tick box column holds 1 when ticked and is empty when not (found '" +
                                     std::string(field) + "')");
          }
          d.columns[t.column].multiple[r] |= std::uint64_t{1} << t.option;
          break;
        case Target::Kind::kNumber: {
          if (field.empty()) break;
          double v = 0;
          auto [p, ec] = std::from_chars(field.data(), field.data() + field.size(), v);
          if (ec != std::errc() || p != field.data() + field.size() || !std::isfinite(v)) {
            return fail(line, i, "'" + std::string(field) + "' is not a number (write digits, with a dot for decimals)");
          }
          d.columns[t.column].number[r] = v;
          break;
        }
        case Target::Kind::kDate:
          if (field.empty()) break;
          if (!is_date(field)) return fail(line, i, "'" + std::string(field) + "' is not a date in the form YYYY-MM-DD");
          d.columns[t.column].text[r] = 1;
          break;
        case Target::Kind::kText:
          if (!field.empty()) d.columns[t.column].text[r] = 1;
          break;
        case Target::Kind::kOtherText:
          break;
      }
    }
    return Status::Ok();
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
    in_quotes ^= (std::count(body.begin() + static_cast<long>(start), body.begin() + static_cast<long>(end), '"') & 1) != 0;
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

namespace {

// Parses `text`. `release`, when given, frees the memory holding `text`; it
// runs as soon as every chunk is parsed, so the file and the stitched columns
// are not in memory at the same time.
StatusOr<Responses> parse_impl(std::string_view text, const Questionnaire& q, const ReadOptions& options,
                               const std::function<void()>& release) {
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
  Responses layout = empty_responses(q);
  std::map<std::string, Target> expected;
  std::vector<std::string> required = {"id", "started_at", "submitted_at", "last_page"};
  expected["id"] = {Target::Kind::kId, 0, 0, nullptr};
  expected["started_at"] = {Target::Kind::kStarted, 0, 0, nullptr};
  expected["submitted_at"] = {Target::Kind::kSubmitted, 0, 0, nullptr};
  expected["last_page"] = {Target::Kind::kLastPage, 0, 0, nullptr};
  if (has_language_column(q)) expected["language"] = {Target::Kind::kLanguage, 0, 0, nullptr};
  for (size_t v = 0; v < q.variables.size(); ++v) {
    const Variable& var = q.variables[v];
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
      default: t.kind = Target::Kind::kChoice; break;
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
      return InvalidInput("the column '" + header[i] + "' is not part of this questionnaire's response layout", loc);
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
  long line = header_lines + 1;
  for (size_t i = 0; i < pieces.size(); ++i) {
    chunks[i].text = pieces[i];
    chunks[i].first_line = line;
    chunks[i].data = layout;
    line += static_cast<long>(std::count(pieces[i].begin(), pieces[i].end(), '\n'));
  }
  unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<size_t>(threads, std::max<size_t>(1, chunks.size())));
  std::atomic<size_t> next{0};
  auto work = [&] {
    std::string buffer;
    for (size_t i = next++; i < chunks.size(); i = next++) {
      parser.parse(chunks[i], buffer);
    }
  };
  {
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
    for (auto& t : pool) t.join();
  }
  for (const Chunk& c : chunks) {
    if (!c.error.ok()) return c.error;
  }
  if (release) release();

  // Stitch the chunks together, freeing each as it is copied.
  Responses out = std::move(layout);
  size_t total = 0;
  for (const Chunk& c : chunks) total += c.data.rows;
  if (options.max_rows > 0 && total > options.max_rows) {
    Location loc;
    loc.file = file;
    return InvalidInput("too many rows: the limit is " + std::to_string(options.max_rows), loc);
  }
  out.rows = total;
  out.complete.reserve(total);
  out.last_page.reserve(total);
  for (Column& c : out.columns) {
    c.choice.reserve(c.kind == Column::Kind::kChoice ? total : 0);
    c.multiple.reserve(c.kind == Column::Kind::kMultiple ? total : 0);
    c.number.reserve(c.kind == Column::Kind::kNumber ? total : 0);
    c.text.reserve(c.kind == Column::Kind::kText ? total : 0);
  }
  // Ids: (hash, row) pairs sorted to find repeats without a set of strings.
  struct IdRef {
    std::size_t hash;
    std::uint32_t chunk;
    std::uint32_t index;
  };
  std::vector<IdRef> ids;
  ids.reserve(total);
  std::hash<std::string_view> hasher;
  for (size_t ci = 0; ci < chunks.size(); ++ci) {
    Chunk& c = chunks[ci];
    auto append = [](auto& to, auto& from) {
      to.insert(to.end(), from.begin(), from.end());
      std::decay_t<decltype(from)>().swap(from);
    };
    append(out.complete, c.data.complete);
    append(out.last_page, c.data.last_page);
    for (size_t v = 0; v < out.columns.size(); ++v) {
      append(out.columns[v].choice, c.data.columns[v].choice);
      append(out.columns[v].multiple, c.data.columns[v].multiple);
      append(out.columns[v].number, c.data.columns[v].number);
      append(out.columns[v].text, c.data.columns[v].text);
    }
    for (size_t i = 0; i < c.id_ends.size(); ++i) {
      const std::uint32_t begin = i == 0 ? 0 : c.id_ends[i - 1];
      ids.push_back({hasher(std::string_view(c.ids).substr(begin, c.id_ends[i] - begin)), static_cast<std::uint32_t>(ci),
                     static_cast<std::uint32_t>(i)});
    }
  }
  auto id_of = [&](const IdRef& r) {
    const Chunk& c = chunks[r.chunk];
    const std::uint32_t begin = r.index == 0 ? 0 : c.id_ends[r.index - 1];
    return std::string_view(c.ids).substr(begin, c.id_ends[r.index] - begin);
  };
  auto line_of = [&](const IdRef& r) { return chunks[r.chunk].lines[r.index]; };
  std::sort(ids.begin(), ids.end(), [](const IdRef& a, const IdRef& b) {
    return a.hash != b.hash ? a.hash < b.hash : (a.chunk != b.chunk ? a.chunk < b.chunk : a.index < b.index);
  });
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

}  // namespace

StatusOr<Responses> parse_responses(std::string_view text, const Questionnaire& q, const ReadOptions& options) {
  return parse_impl(text, q, options, {});
}

StatusOr<Responses> read_responses(const std::string& path, const Questionnaire& q, ReadOptions options) {
  if (options.file_name.empty()) options.file_name = path;
  Location loc;
  loc.file = options.file_name;
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
    return parse_impl(view, q, options, [&text] { std::string().swap(text); });
  }
  const auto size = static_cast<size_t>(info.st_size);
  if (size == 0) {
    ::close(fd);
    return parse_impl(std::string_view(), q, options, {});
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
  StatusOr<Responses> out = parse_impl(std::string_view(static_cast<const char*>(map), size), q, options, unmap);
  unmap();
  return out;
}

}  // namespace coproduce::survey
