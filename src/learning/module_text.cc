#include "learning/module_text.h"

#include <algorithm>

#include "core/text.h"

namespace coproduce::learning {
namespace {

// The lines of `text`, with "\r\n" and a lone "\r" (as browsers and old
// editors send them) read as "\n". A final line break ends the last line
// rather than starting an empty one.
std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> out;
  std::string line;
  bool open = false;  // a line has started since the last break
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      out.push_back(std::move(line));
      line.clear();
      open = false;
    } else {
      line += c;
      open = true;
    }
  }
  if (open) out.push_back(std::move(line));
  return out;
}

bool blank(std::string_view line) { return line.find_first_not_of(" \t") == std::string_view::npos; }

// `text` on one line: each line break becomes a space.
std::string one_line(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    out += (text[i] == '\n' || text[i] == '\r') ? ' ' : text[i];
  }
  return out;
}

std::string path(const std::string& list, size_t i) { return list + "." + std::to_string(i); }

// Problems found while reading one text, kept with their lines so they can
// be listed in line order whatever order they were found in.
class Problems {
 public:
  explicit Problems(std::string field) : field_(std::move(field)) {}

  void add(int line, std::string message, Problem kind) { found_.push_back({line, std::move(message), kind}); }

  // In line order, each message starting "Line N: ", at most kMaxTextProblems
  // and then one saying there are more.
  std::vector<FieldError> list() && {
    std::stable_sort(found_.begin(), found_.end(), [](const Found& a, const Found& b) { return a.line < b.line; });
    std::vector<FieldError> out;
    for (const Found& f : found_) {
      if (out.size() == kMaxTextProblems) {
        out.push_back({field_, "There are more problems from line " + std::to_string(f.line) + " on: fix these first",
                       Problem::kInvalid});
        break;
      }
      out.push_back({field_, "Line " + std::to_string(f.line) + ": " + f.message, f.kind});
    }
    return out;
  }

 private:
  struct Found {
    int line;
    std::string message;
    Problem kind;
  };
  std::string field_;
  std::vector<Found> found_;
};

// ---- Pages ---------------------------------------------------------------------------

// How many '#' open `line` as a Markdown (ATX) heading: "## Title" and a bare
// "##" are level 2; "#hashtag" is not a heading. Any number of '#' counts
// (Markdown stops at six), so lowering and raising stay exact inverses. Only
// headings at the very start of the line count: indented ones are left alone.
size_t heading_level(std::string_view line) {
  size_t n = 0;
  while (n < line.size() && line[n] == '#') ++n;
  if (n == 0) return 0;
  if (n == line.size() || line[n] == ' ' || line[n] == '\t') return n;
  return 0;
}

// A page's body as written in the text: each heading one level lower, so
// that a level-1 heading in the text can only be a page title. The inverse
// of raising headings as pages_from_text does; both work on whole lines
// only, so any body survives the round trip.
std::string lower_headings(std::string_view body) {
  std::string out;
  size_t start = 0;
  while (start <= body.size()) {
    size_t end = body.find('\n', start);
    if (end == std::string_view::npos) end = body.size();
    std::string_view line = body.substr(start, end - start);
    if (heading_level(line) > 0) out += '#';
    out += line;
    if (end < body.size()) out += '\n';
    start = end + 1;
  }
  return out;
}

// ---- Questions -----------------------------------------------------------------------

std::string escape_answer(std::string_view text) {
  std::string out;
  for (char c : one_line(text)) {
    if (c == '\\' || c == '|') out += '\\';
    out += c;
  }
  return out;
}

// Splits an answer line (after its '*' or '-') at the first "|" that is not
// written "\|", undoing the escapes in the answer part. The feedback is the
// rest, as it is.
void split_answer(std::string_view rest, std::string& text, std::string& feedback) {
  std::string answer;
  size_t i = 0;
  for (; i < rest.size(); ++i) {
    char c = rest[i];
    if (c == '\\' && i + 1 < rest.size() && (rest[i + 1] == '\\' || rest[i + 1] == '|')) {
      answer += rest[++i];
    } else if (c == '|') {
      break;
    } else {
      answer += c;
    }
  }
  text = trim_copy(answer);
  feedback = i < rest.size() ? trim_copy(rest.substr(i + 1)) : std::string();
}

// Checks a question once all its answers are read, naming the question's line.
void check_question(Problems& problems, const Question& q, int line) {
  if (q.options.size() < 2) {
    problems.add(line, "a question needs at least two answers, each on its own line beginning '* ' or '- '",
                 Problem::kMissing);
    return;
  }
  size_t right = 0;
  for (const auto& o : q.options) right += o.correct ? 1 : 0;
  if (!q.multiple && right == 0) {
    problems.add(line, "'choose one' questions need exactly one right answer: start its line with '* '",
                 Problem::kInvalid);
  } else if (!q.multiple && right > 1) {
    problems.add(line,
                 "'choose one' questions need exactly one right answer; to let people choose more than one, start "
                 "the question with '?? '",
                 Problem::kInvalid);
  } else if (q.multiple && right == 0) {
    problems.add(line, "'choose all that apply' questions need at least one right answer: start its line with '* '",
                 Problem::kInvalid);
  }
}

// "Enter the title" as it reads after "Line 3: ": a capital that starts an
// ordinary word is lowered; "BSL" or "Easy Read" at the start would not be.
std::string after_line(std::string message) {
  if (message.size() >= 2 && message[0] >= 'A' && message[0] <= 'Z' &&
      ((message[1] >= 'a' && message[1] <= 'z') || message[1] == ' ') && message.rfind("Easy Read", 0) != 0) {
    message[0] = static_cast<char>(message[0] - 'A' + 'a');
  }
  return message;
}

}  // namespace

// ---- Outcomes ------------------------------------------------------------------------

std::string outcomes_text(const std::vector<std::string>& outcomes) {
  std::string out;
  for (const auto& o : outcomes) out += one_line(o) + "\n";
  return out;
}

FromText<std::vector<std::string>> outcomes_from_text(std::string_view text) {
  FromText<std::vector<std::string>> out;
  auto lines = lines_of(text);
  for (size_t n = 0; n < lines.size(); ++n) {
    if (blank(lines[n])) continue;
    out.lines[path("outcomes", out.value.size())] = static_cast<int>(n + 1);
    out.value.push_back(trim_copy(lines[n]));
  }
  return out;
}

// ---- Pages ---------------------------------------------------------------------------

std::string pages_text(const std::vector<ContentPage>& pages) {
  std::string out;
  for (size_t i = 0; i < pages.size(); ++i) {
    if (i > 0) out += '\n';
    out += "# " + one_line(pages[i].title) + "\n";
    if (trim_copy(pages[i].body).empty()) continue;
    std::string body = lower_headings(pages[i].body);
    // Blank lines at either end are not kept: reading drops them.
    size_t first = 0;
    while (first < body.size() && body[first] == '\n') ++first;
    out += "\n" + body.substr(first);
    if (out.back() != '\n') out += '\n';
  }
  return out;
}

FromText<std::vector<ContentPage>> pages_from_text(std::string_view text, const std::string& field) {
  FromText<std::vector<ContentPage>> out;
  Problems problems(field);
  std::vector<std::vector<std::string>> bodies;
  bool told_to_start = false;
  auto lines = lines_of(text);
  for (size_t n = 0; n < lines.size(); ++n) {
    std::string& line = lines[n];
    const int number = static_cast<int>(n + 1);
    size_t level = heading_level(line);
    if (level == 1) {
      out.lines[path(field, out.value.size())] = number;
      out.value.push_back({trim_copy(std::string_view(line).substr(1)), ""});
      bodies.emplace_back();
    } else if (out.value.empty()) {
      if (!blank(line) && !told_to_start) {
        problems.add(number, "start each page with a line beginning '# ' and the page title", Problem::kInvalid);
        told_to_start = true;
      }
    } else {
      if (level > 1) line.erase(0, 1);
      bodies.back().push_back(std::move(line));
    }
  }
  for (size_t i = 0; i < out.value.size(); ++i) {
    auto& body = bodies[i];
    size_t first = 0, last = body.size();
    while (first < last && blank(body[first])) ++first;
    while (last > first && blank(body[last - 1])) --last;
    std::string joined;
    for (size_t k = first; k < last; ++k) joined += body[k] + "\n";
    out.value[i].body = std::move(joined);
  }
  out.problems = std::move(problems).list();
  return out;
}

// ---- Questions -----------------------------------------------------------------------

std::string questions_text(const std::vector<Question>& questions) {
  std::string out;
  for (size_t i = 0; i < questions.size(); ++i) {
    const Question& q = questions[i];
    if (i > 0) out += '\n';
    out += (q.multiple ? "?? " : "? ") + one_line(q.text) + "\n";
    for (const auto& o : q.options) {
      out += (o.correct ? "* " : "- ") + escape_answer(o.text);
      if (!o.feedback.empty()) out += " | " + one_line(o.feedback);
      out += '\n';
    }
  }
  return out;
}

FromText<std::vector<Question>> questions_from_text(std::string_view text) {
  FromText<std::vector<Question>> out;
  Problems problems("questions");
  std::vector<int> starts;   // the line of each question
  bool told_orphan = false;  // said once for answers that come before any question
  auto finish = [&] {
    if (!out.value.empty()) check_question(problems, out.value.back(), starts.back());
  };
  auto lines = lines_of(text);
  for (size_t n = 0; n < lines.size(); ++n) {
    const std::string line = trim_copy(lines[n]);
    const int number = static_cast<int>(n + 1);
    if (line.empty()) continue;
    if (line[0] == '?') {
      finish();
      size_t marks = line.find_first_not_of('?');
      if (marks == std::string::npos) marks = line.size();
      Question q;
      q.multiple = marks >= 2;
      q.text = trim_copy(std::string_view(line).substr(marks));
      if (marks > 2) {
        problems.add(number,
                     "start a question with '? ' if people choose one answer, or '?? ' if they choose all that apply",
                     Problem::kInvalid);
      } else if (q.text.empty()) {
        problems.add(number, "write the question after '" + line.substr(0, marks) + "'", Problem::kMissing);
      }
      out.lines[path("questions", out.value.size())] = number;
      starts.push_back(number);
      out.value.push_back(std::move(q));
      told_orphan = false;
    } else if (line[0] == '*' || line[0] == '-') {
      if (out.value.empty()) {
        if (!told_orphan)
          problems.add(number, "write the question, on a line beginning '? ', before its answers", Problem::kInvalid);
        told_orphan = true;
        continue;
      }
      Question& q = out.value.back();
      AnswerOption o;
      o.correct = line[0] == '*';
      split_answer(std::string_view(line).substr(1), o.text, o.feedback);
      if (o.text.empty()) {
        problems.add(number, std::string("write the answer after '") + line[0] + "'", Problem::kMissing);
      }
      out.lines[path(path("questions", out.value.size() - 1) + ".options", q.options.size())] = number;
      q.options.push_back(std::move(o));
    } else {
      problems.add(number,
                   "start each line with '? ' or '?? ' for a question, '* ' for a right answer or '- ' for a wrong "
                   "answer",
                   Problem::kInvalid);
    }
  }
  finish();
  out.problems = std::move(problems).list();
  return out;
}

// ---- validate()'s errors on the form -----------------------------------------------------

std::vector<FieldError> errors_on_form(const std::vector<FieldError>& errors, const TextLines& lines) {
  std::vector<FieldError> out;
  for (const auto& e : errors) {
    FieldError f{e.field.substr(0, e.field.find('.')), e.message, e.kind};
    // The line of the nearest item the path names: an option's own line,
    // else its question's.
    std::string at = e.field;
    for (;;) {
      if (auto it = lines.find(at); it != lines.end()) {
        f.message = "Line " + std::to_string(it->second) + ": " + after_line(e.message);
        break;
      }
      size_t dot = at.rfind('.');
      if (dot == std::string::npos) break;
      at.resize(dot);
    }
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace coproduce::learning
