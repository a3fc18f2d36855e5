#include "survey/xlsform_expression.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <optional>
#include <system_error>

namespace coproduce::survey {
namespace {

// ---- tokens ----

struct Token {
  enum class Kind { kRef, kName, kString, kNumber, kOp, kLParen, kRParen, kComma, kDot, kEnd };
  Kind kind = Kind::kEnd;
  std::string text;
  long column = 0;  // from 1
};

Status error_at(long column, std::string message) {
  Location where;
  where.column = column;
  return InvalidInput(std::move(message), std::move(where));
}

bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_name_char(char c) { return is_letter(c) || is_digit(c); }

StatusOr<std::vector<Token>> tokenise(std::string_view s) {
  std::vector<Token> out;
  size_t i = 0;
  auto operand_expected = [&out] {
    if (out.empty()) return true;
    auto k = out.back().kind;
    return k == Token::Kind::kOp || k == Token::Kind::kLParen || k == Token::Kind::kComma;
  };
  while (i < s.size()) {
    const char c = s[i];
    Token t;
    t.column = static_cast<long>(i) + 1;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
      continue;
    }
    if (c == '$' && i + 1 < s.size() && s[i + 1] == '{') {
      size_t j = i + 2;
      while (j < s.size() && (is_name_char(s[j]) || s[j] == '-' || s[j] == '.')) ++j;
      if (j >= s.size() || s[j] != '}' || j == i + 2) {
        return error_at(t.column, "a ${name} reference is not closed with }");
      }
      t.kind = Token::Kind::kRef;
      t.text = std::string(s.substr(i + 2, j - i - 2));
      i = j + 1;
    } else if (is_letter(c)) {
      // XPath function names hold hyphens: count-selected, string-length.
      size_t j = i + 1;
      while (j < s.size() && (is_name_char(s[j]) || (s[j] == '-' && j + 1 < s.size() && is_letter(s[j + 1])))) ++j;
      t.kind = Token::Kind::kName;
      t.text = std::string(s.substr(i, j - i));
      i = j;
    } else if (c == '\'' || c == '"') {
      size_t j = s.find(c, i + 1);
      if (j == std::string_view::npos) return error_at(t.column, std::string("this text is never closed: add the closing ") + c);
      t.kind = Token::Kind::kString;
      t.text = std::string(s.substr(i + 1, j - i - 1));
      i = j + 1;
    } else if (is_digit(c) || (c == '.' && i + 1 < s.size() && is_digit(s[i + 1])) ||
               (c == '-' && operand_expected() && i + 1 < s.size() && (is_digit(s[i + 1]) || s[i + 1] == '.'))) {
      size_t j = i + 1;
      while (j < s.size() && (is_digit(s[j]) || s[j] == '.')) ++j;
      t.kind = Token::Kind::kNumber;
      t.text = std::string(s.substr(i, j - i));
      double v = 0;
      auto [end, ec] = std::from_chars(t.text.data(), t.text.data() + t.text.size(), v);
      if (ec != std::errc() || end != t.text.data() + t.text.size()) {
        return error_at(t.column, "'" + t.text + "' is not a number");
      }
      i = j;
    } else if (c == '.') {
      if (i + 1 < s.size() && s[i + 1] == '.') return error_at(t.column, "'..' (the parent) is not supported");
      t.kind = Token::Kind::kDot;
      ++i;
    } else if (c == '(' || c == ')' || c == ',') {
      t.kind = c == '(' ? Token::Kind::kLParen : c == ')' ? Token::Kind::kRParen : Token::Kind::kComma;
      ++i;
    } else if (c == '=' || c == '!' || c == '<' || c == '>') {
      std::string op(1, c);
      if (i + 1 < s.size() && (s[i + 1] == '=' || (c == '<' && s[i + 1] == '>'))) op += s[i + 1];
      if (op == "!") return error_at(t.column, "'!' on its own is not an operator: write != or not(...)");
      i += op.size();
      if (op == "==") op = "=";
      if (op == "<>") op = "!=";
      t.kind = Token::Kind::kOp;
      t.text = op;
    } else if (c == '+' || c == '-' || c == '*' || c == '|' || c == '/') {
      return error_at(t.column, std::string("arithmetic and paths ('") + c + "') have no equivalent in Coproduce");
    } else {
      return error_at(t.column, std::string("unexpected character '") + c + "'");
    }
    out.push_back(std::move(t));
  }
  Token end;
  end.column = static_cast<long>(s.size()) + 1;
  out.push_back(end);
  return out;
}

// ---- syntax tree ----

struct Node {
  enum class Kind { kOr, kAnd, kNot, kCompare, kCall, kRef, kDot, kString, kNumber, kBool };
  Kind kind = Kind::kBool;
  std::vector<Node> kids;
  std::string text;  // kCompare: the operator; kCall: the function; kRef: the name; kString, kNumber: the value
  bool value = false;
  long column = 0;
  bool folded = false;  // kCompare with !=: also requires an answer (Coproduce's !=)
};

enum class Syntax { kXlsform, kCoproduce };

// One grammar for both languages: XLSForm's `${name}`, `not(...)`,
// `true()`; Coproduce's bare names, `not x`, `true`.
class Parser {
 public:
  Parser(std::vector<Token> tokens, Syntax syntax, bool allow_dot)
      : t_(std::move(tokens)), syntax_(syntax), allow_dot_(allow_dot) {}

  StatusOr<Node> parse_all() {
    auto root = parse_list(Node::Kind::kOr, "or");
    if (!root.ok()) return root;
    if (peek().kind != Token::Kind::kEnd) {
      return error_at(peek().column, "unexpected '" + describe(peek()) + "': join conditions with and / or");
    }
    return root;
  }

 private:
  const Token& peek() const { return t_[pos_]; }
  const Token& next() { return t_[pos_++]; }
  bool keyword(const char* word) const { return peek().kind == Token::Kind::kName && peek().text == word; }

  static std::string describe(const Token& t) {
    switch (t.kind) {
      case Token::Kind::kEnd: return "end";
      case Token::Kind::kLParen: return "(";
      case Token::Kind::kRParen: return ")";
      case Token::Kind::kComma: return ",";
      case Token::Kind::kDot: return ".";
      case Token::Kind::kString: return "'" + t.text + "'";
      case Token::Kind::kRef: return "${" + t.text + "}";
      default: return t.text;
    }
  }

  // `or` and `and` lists, flattened: (a and b) and c is one list of three.
  StatusOr<Node> parse_list(Node::Kind kind, const char* word) {
    const bool is_or = kind == Node::Kind::kOr;
    auto first = is_or ? parse_list(Node::Kind::kAnd, "and") : parse_unary();
    if (!first.ok()) return first;
    if (!keyword(word)) return first;
    Node list;
    list.kind = kind;
    list.column = first->column;
    auto add = [&list, kind](Node n) {
      if (n.kind == kind) {
        for (auto& k : n.kids) list.kids.push_back(std::move(k));
      } else {
        list.kids.push_back(std::move(n));
      }
    };
    add(std::move(*first));
    while (keyword(word)) {
      next();
      auto more = is_or ? parse_list(Node::Kind::kAnd, "and") : parse_unary();
      if (!more.ok()) return more;
      add(std::move(*more));
    }
    return list;
  }

  StatusOr<Node> parse_unary() {
    if (keyword("not")) {
      Node n;
      n.kind = Node::Kind::kNot;
      n.column = next().column;
      auto inner = parse_unary();
      if (!inner.ok()) return inner;
      n.kids.push_back(std::move(*inner));
      return n;
    }
    auto left = parse_primary();
    if (!left.ok()) return left;
    if (peek().kind != Token::Kind::kOp) return left;
    Node n;
    n.kind = Node::Kind::kCompare;
    n.column = left->column;
    n.text = next().text;
    auto right = parse_primary();
    if (!right.ok()) return right;
    n.kids.push_back(std::move(*left));
    n.kids.push_back(std::move(*right));
    return n;
  }

  StatusOr<Node> parse_primary() {
    const Token t = peek();
    Node n;
    n.column = t.column;
    switch (t.kind) {
      case Token::Kind::kLParen: {
        next();
        auto inner = parse_list(Node::Kind::kOr, "or");
        if (!inner.ok()) return inner;
        if (peek().kind != Token::Kind::kRParen) {
          return error_at(peek().column, "expected ')' but found '" + describe(peek()) + "'");
        }
        next();
        return inner;
      }
      case Token::Kind::kRef:
        next();
        n.kind = Node::Kind::kRef;
        n.text = t.text;
        return n;
      case Token::Kind::kDot:
        if (!allow_dot_) return error_at(t.column, "'.' (this question's answer) belongs in a constraint, not a condition");
        next();
        n.kind = Node::Kind::kDot;
        return n;
      case Token::Kind::kString:
        next();
        n.kind = Node::Kind::kString;
        n.text = t.text;
        return n;
      case Token::Kind::kNumber:
        next();
        n.kind = Node::Kind::kNumber;
        n.text = t.text;
        return n;
      case Token::Kind::kName:
        break;
      case Token::Kind::kEnd:
        return error_at(t.column, "the expression ends too early");
      default:
        return error_at(t.column, "unexpected '" + describe(t) + "'");
    }
    next();
    if (peek().kind == Token::Kind::kLParen) {
      next();
      n.kind = Node::Kind::kCall;
      n.text = t.text;
      while (peek().kind != Token::Kind::kRParen) {
        if (!n.kids.empty()) {
          if (peek().kind != Token::Kind::kComma) {
            return error_at(peek().column, "expected ',' or ')' but found '" + describe(peek()) + "'");
          }
          next();
        }
        auto arg = parse_list(Node::Kind::kOr, "or");
        if (!arg.ok()) return arg;
        n.kids.push_back(std::move(*arg));
      }
      next();
      return n;
    }
    if (syntax_ == Syntax::kCoproduce) {
      if (t.text == "true" || t.text == "false") {
        n.kind = Node::Kind::kBool;
        n.value = t.text == "true";
      } else {
        n.kind = Node::Kind::kRef;
        n.text = t.text;
      }
      return n;
    }
    return error_at(t.column, "'" + t.text + "' is not a question reference: write ${" + t.text + "}");
  }

  std::vector<Token> t_;
  size_t pos_ = 0;
  Syntax syntax_;
  bool allow_dot_;
};

StatusOr<Node> parse(std::string_view text, Syntax syntax, bool allow_dot) {
  auto tokens = tokenise(text);
  if (!tokens.ok()) return tokens.status();
  return Parser(std::move(*tokens), syntax, allow_dot).parse_all();
}

bool blank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

// A literal in quotes: single unless it holds one. Neither language escapes
// quotes, so text holding both kinds cannot be written.
StatusOr<std::string> quoted(const std::string& text, long column) {
  if (text.find('\'') == std::string::npos) return "'" + text + "'";
  if (text.find('"') == std::string::npos) return "\"" + text + "\"";
  return error_at(column, "text holding both ' and \" cannot be written in a condition");
}

std::string flip(const std::string& op) {
  if (op == "<") return ">";
  if (op == ">") return "<";
  if (op == "<=") return ">=";
  if (op == ">=") return "<=";
  return op;
}

bool is_literal(const Node& n) { return n.kind == Node::Kind::kString || n.kind == Node::Kind::kNumber; }

std::optional<double> as_number(const std::string& s) {
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

// Text with its precedence, so a parent adds parentheses only where needed.
enum Level { kOrLevel = 0, kAndLevel = 1, kAtom = 2 };
struct Out {
  std::string text;
  Level level = kAtom;
};

std::string wrap(const Out& o, Level needed) { return o.level < needed ? "(" + o.text + ")" : o.text; }

StatusOr<Out> join(const std::vector<Node>& kids, Level level, const std::function<StatusOr<Out>(const Node&)>& emit) {
  Out out;
  out.level = level;
  const char* word = level == kOrLevel ? " or " : " and ";
  for (size_t i = 0; i < kids.size(); ++i) {
    auto k = emit(kids[i]);
    if (!k.ok()) return k;
    out.text += (i ? word : "") + wrap(*k, static_cast<Level>(level + 1));
  }
  return out;
}

// ---- XLSForm -> Coproduce ----

// A compare node as (question, operator, literal), with the literal on the
// right; nullopt when it is not that shape.
struct Comparison {
  const Node* subject;
  std::string op;
  const Node* literal;
};
std::optional<Comparison> comparison(const Node& n) {
  if (n.kind != Node::Kind::kCompare) return std::nullopt;
  const Node& l = n.kids[0];
  const Node& r = n.kids[1];
  if (is_literal(r) && !is_literal(l)) return Comparison{&l, n.text, &r};
  if (is_literal(l) && !is_literal(r)) return Comparison{&r, flip(n.text), &l};
  return std::nullopt;
}

// `${q} != ''`: q was answered.
bool is_answered_test(const Node& n, std::string* name) {
  auto c = comparison(n);
  if (!c || c->subject->kind != Node::Kind::kRef || c->op != "!=" || c->literal->kind != Node::Kind::kString ||
      !c->literal->text.empty()) {
    return false;
  }
  *name = c->subject->text;
  return true;
}

StatusOr<Out> to_show_if(const Node& n);

StatusOr<Out> compare_to_show_if(const Node& n) {
  auto c = comparison(n);
  if (!c) return error_at(n.column, "compare a question with a value, such as ${group} = 'workforce'");
  const Node& subject = *c->subject;
  const Node& literal = *c->literal;
  const std::string& op = c->op;
  // count-selected(${q}) > 0 and string-length(${q}) > 0 ask whether q was answered.
  if (subject.kind == Node::Kind::kCall && (subject.text == "count-selected" || subject.text == "string-length") &&
      subject.kids.size() == 1 && subject.kids[0].kind == Node::Kind::kRef && literal.kind == Node::Kind::kNumber) {
    const std::string& q = subject.kids[0].text;
    const double v = *as_number(literal.text);
    const bool some = (op == ">" && v == 0) || (op == ">=" && v == 1) || (op == "!=" && v == 0);
    const bool none = (op == "=" && v == 0) || (op == "<" && v == 1) || (op == "<=" && v == 0);
    if (some) return Out{"answered(" + q + ")", kAtom};
    if (none) return Out{"not answered(" + q + ")", kAtom};
    return error_at(n.column, "Coproduce can only ask whether " + subject.text +
                                  "(...) is more than 0 (the question was answered) in a condition");
  }
  if (subject.kind == Node::Kind::kCall) {
    return error_at(subject.column, "the function " + subject.text + "() has no equivalent in Coproduce's conditions");
  }
  if (subject.kind != Node::Kind::kRef) {
    return error_at(subject.column, "compare a question, written ${name}, with a value");
  }
  const std::string& q = subject.text;
  std::string value;
  if (literal.kind == Node::Kind::kString) {
    if (literal.text.empty()) {
      if (op == "=") return Out{"not answered(" + q + ")", kAtom};
      if (op == "!=") return Out{"answered(" + q + ")", kAtom};
      return error_at(n.column, "only = '' and != '' make sense with empty text");
    }
    if (op != "=" && op != "!=" && !as_number(literal.text)) {
      return error_at(literal.column, "XLSForm compares with <, >, <= and >= as numbers, and '" + literal.text +
                                          "' is not a number");
    }
    auto text = quoted(literal.text, literal.column);
    if (!text.ok()) return text.status();
    value = *text;
  } else {
    value = literal.text;
  }
  // In XLSForm a skipped question is '' and so differs from every value;
  // in Coproduce every comparison with a skipped question is false.
  if (op == "!=") return Out{"not (" + q + " = " + value + ")", kAtom};
  return Out{q + " " + op + " " + value, kAtom};
}

StatusOr<Out> to_show_if(const Node& n) {
  switch (n.kind) {
    case Node::Kind::kOr:
      return join(n.kids, kOrLevel, to_show_if);
    case Node::Kind::kAnd: {
      // `${q} != '' and ${q} != 'a'` is Coproduce's `q != 'a'`: fold the pair.
      std::vector<Node> kids;
      for (size_t i = 0; i < n.kids.size(); ++i) {
        std::string name;
        if (i + 1 < n.kids.size() && is_answered_test(n.kids[i], &name)) {
          auto c = comparison(n.kids[i + 1]);
          if (c && c->op == "!=" && c->subject->kind == Node::Kind::kRef && c->subject->text == name &&
              !(c->literal->kind == Node::Kind::kString && c->literal->text.empty())) {
            Node folded = n.kids[i + 1];
            folded.folded = true;
            kids.push_back(std::move(folded));
            ++i;
            continue;
          }
        }
        kids.push_back(n.kids[i]);
      }
      if (kids.size() == 1) return to_show_if(kids[0]);
      return join(kids, kAndLevel, to_show_if);
    }
    case Node::Kind::kNot: {
      auto inner = to_show_if(n.kids[0]);
      if (!inner.ok()) return inner;
      const bool call = inner->text.rfind("selected(", 0) == 0 || inner->text.rfind("answered(", 0) == 0;
      return Out{"not " + (call ? inner->text : "(" + inner->text + ")"), kAtom};
    }
    case Node::Kind::kCompare: {
      if (n.folded) {
        auto c = comparison(n);
        auto value = c->literal->kind == Node::Kind::kString ? quoted(c->literal->text, c->literal->column)
                                                             : StatusOr<std::string>(c->literal->text);
        if (!value.ok()) return value.status();
        return Out{c->subject->text + " != " + *value, kAtom};
      }
      return compare_to_show_if(n);
    }
    case Node::Kind::kCall:
      if ((n.text == "true" || n.text == "false") && n.kids.empty()) return Out{n.text, kAtom};
      if (n.text == "selected") {
        if (n.kids.size() != 2 || n.kids[0].kind != Node::Kind::kRef || n.kids[1].kind != Node::Kind::kString) {
          return error_at(n.column, "write selected(${question}, 'option')");
        }
        auto option = quoted(n.kids[1].text, n.kids[1].column);
        if (!option.ok()) return option.status();
        return Out{"selected(" + n.kids[0].text + ", " + *option + ")", kAtom};
      }
      return error_at(n.column, "the function " + n.text +
                                    "() has no equivalent in Coproduce's conditions (they use =, !=, <, >, "
                                    "selected(), and, or and not())");
    case Node::Kind::kRef:
      // On its own, a reference is true when the question has an answer.
      return Out{"answered(" + n.text + ")", kAtom};
    default:
      return error_at(n.column, "a value on its own is not a condition: compare a question with it");
  }
}

// ---- Coproduce -> XLSForm ----

StatusOr<Out> to_relevant(const Node& n, const Questionnaire& q) {
  auto recurse = [&q](const Node& k) { return to_relevant(k, q); };
  switch (n.kind) {
    case Node::Kind::kOr:
      return join(n.kids, kOrLevel, recurse);
    case Node::Kind::kAnd:
      return join(n.kids, kAndLevel, recurse);
    case Node::Kind::kNot: {
      auto inner = to_relevant(n.kids[0], q);
      if (!inner.ok()) return inner;
      return Out{"not(" + inner->text + ")", kAtom};
    }
    case Node::Kind::kBool:
      return Out{n.value ? "true()" : "false()", kAtom};
    case Node::Kind::kCall: {
      const bool selected = n.text == "selected" && n.kids.size() == 2 && n.kids[0].kind == Node::Kind::kRef &&
                            n.kids[1].kind == Node::Kind::kString;
      const bool answered = n.text == "answered" && n.kids.size() == 1 && n.kids[0].kind == Node::Kind::kRef;
      if (selected) {
        auto option = quoted(n.kids[1].text, n.kids[1].column);
        if (!option.ok()) return option.status();
        return Out{"selected(${" + n.kids[0].text + "}, " + *option + ")", kAtom};
      }
      if (answered) return Out{"${" + n.kids[0].text + "} != ''", kAtom};
      return error_at(n.column, "unknown function " + n.text + "()");
    }
    case Node::Kind::kCompare: {
      auto c = comparison(n);
      if (!c || c->subject->kind != Node::Kind::kRef) return error_at(n.column, "expected a question compared with a value");
      const std::string ref = "${" + c->subject->text + "}";
      const Node& lit = *c->literal;
      auto value = lit.kind == Node::Kind::kString ? quoted(lit.text, lit.column) : StatusOr<std::string>(lit.text);
      if (!value.ok()) return value.status();
      const std::string& op = c->op;
      if (op == "=") return Out{ref + " = " + *value, kAtom};
      if (op == "!=") return Out{ref + " != '' and " + ref + " != " + *value, kAndLevel};
      // <, <=, >, >=: by number when the value is one (number questions,
      // numbered scales), else by position on an ordered scale.
      std::optional<size_t> qi = q.find(c->subject->text);
      const Question* question = qi ? &q.questions[*qi] : nullptr;
      bool numeric_codes = question && !question->options.empty();
      if (question) {
        for (const Option& o : question->options) numeric_codes = numeric_codes && as_number(o.code).has_value();
      }
      if (lit.kind == Node::Kind::kNumber || (numeric_codes && as_number(lit.text))) {
        return Out{ref + " " + op + " " + lit.text, kAtom};
      }
      const int at = question ? question->option_index(lit.text) : -1;
      if (at < 0 || !question->ordered) {
        return error_at(lit.column, "'" + lit.text + "' is not a point on an ordered scale of " + c->subject->text);
      }
      std::string out;
      int kept = 0;
      for (size_t i = 0; i < question->options.size(); ++i) {
        const auto pos = static_cast<int>(i);
        const bool keep = op == "<" ? pos < at : op == "<=" ? pos <= at : op == ">" ? pos > at : pos >= at;
        if (!keep) continue;
        auto option = quoted(question->options[i].code, lit.column);
        if (!option.ok()) return option.status();
        out += (out.empty() ? "" : " or ") + ref + " = " + *option;
        ++kept;
      }
      if (kept == 0) return Out{"false()", kAtom};
      return Out{out, kept == 1 ? kAtom : kOrLevel};
    }
    default:
      return error_at(n.column, "a value on its own is not a condition");
  }
}

// ---- constraints ----

std::string format_number(double v) {
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
  return ec == std::errc() ? std::string(buffer, end) : std::to_string(v);
}

bool is_text(QuestionType t) { return t == QuestionType::kShortText || t == QuestionType::kLongText; }

bool is_call_on_dot(const Node& n, const char* function) {
  return n.kind == Node::Kind::kCall && n.text == function && n.kids.size() == 1 && n.kids[0].kind == Node::Kind::kDot;
}

// `^(?:X)$` as written by validation_to_constraint, or `^X$` where X has no
// alternatives, is X; any other XLSForm pattern matches anywhere in the
// answer, which a whole-answer pattern says with .* on both sides.
std::string pattern_from_regex(const std::string& re) {
  const bool anchored = re.size() >= 2 && re.front() == '^' && re.back() == '$' &&
                        (re.size() < 3 || re[re.size() - 2] != '\\');
  if (anchored) {
    std::string inner = re.substr(1, re.size() - 2);
    if (inner.size() >= 4 && inner.rfind("(?:", 0) == 0 && inner.back() == ')') {
      // Only when the group spans the whole pattern: count parentheses.
      int depth = 0;
      bool spans = true;
      for (size_t i = 0; i < inner.size(); ++i) {
        if (inner[i] == '\\') {
          ++i;
          continue;
        }
        if (inner[i] == '(') ++depth;
        if (inner[i] == ')' && --depth == 0 && i + 1 != inner.size()) spans = false;
      }
      if (spans) return inner.substr(3, inner.size() - 4);
    }
    if (inner.find('|') == std::string::npos) return inner;
  }
  return ".*(?:" + re + ").*";
}

Status constraint_term(const Node& n, QuestionType type, Validation& v) {
  auto set_once = [&n](auto& slot, auto value, const char* what) -> Status {
    if (slot) return error_at(n.column, std::string("the constraint gives ") + what + " twice");
    slot = value;
    return Status::Ok();
  };
  if (n.kind == Node::Kind::kCall && n.text == "regex") {
    if (n.kids.size() != 2 || n.kids[0].kind != Node::Kind::kDot || n.kids[1].kind != Node::Kind::kString) {
      return error_at(n.column, "write regex(., 'pattern')");
    }
    if (type != QuestionType::kShortText) return error_at(n.column, "a pattern applies to short text (type text) only");
    if (!v.pattern.empty()) return error_at(n.column, "the constraint gives two patterns");
    v.pattern = pattern_from_regex(n.kids[1].text);
    return Status::Ok();
  }
  auto c = comparison(n);
  if (!c || c->literal->kind != Node::Kind::kNumber) {
    return error_at(n.column, "Coproduce can check . against numbers, string-length(.), count-selected(.) and "
                              "regex(., '...'), joined with and");
  }
  const double value = *as_number(c->literal->text);
  const std::string& op = c->op;
  if (op == "=" || op == "!=") return error_at(n.column, "use >= and <= to give limits");
  const Node& subject = *c->subject;
  if (subject.kind == Node::Kind::kDot) {
    if (type != QuestionType::kNumber) return error_at(n.column, "limits on . apply to integer and decimal questions");
    if (op == "<" || op == ">") {
      return error_at(n.column, "Coproduce's limits include the number itself: write " +
                                    std::string(op == ">" ? ">=" : "<=") + " with the smallest or largest number allowed");
    }
    return op == ">=" ? set_once(v.min, value, "a smallest number") : set_once(v.max, value, "a largest number");
  }
  // Lengths and counts are whole numbers, so > n is >= n + 1.
  const bool whole = std::floor(value) == value && std::fabs(value) < 1e9;
  if (!whole) return error_at(c->literal->column, "a length or count limit must be a whole number");
  const double lower = op == ">" ? value + 1 : value;
  const double upper = op == "<" ? value - 1 : value;
  const bool is_lower = op == ">" || op == ">=";
  if (is_call_on_dot(subject, "string-length")) {
    if (!is_text(type)) return error_at(n.column, "string-length(.) applies to text questions");
    return is_lower ? set_once(v.min, lower, "a shortest length") : set_once(v.max, upper, "a longest length");
  }
  if (is_call_on_dot(subject, "count-selected")) {
    if (type != QuestionType::kMultiple) return error_at(n.column, "count-selected(.) applies to select_multiple");
    if (lower < 0 || upper < 0) return error_at(c->literal->column, "a count of choices cannot be negative");
    return is_lower ? set_once(v.min_choices, static_cast<int>(lower), "a fewest number of choices")
                    : set_once(v.max_choices, static_cast<int>(upper), "a most number of choices");
  }
  return error_at(subject.column, "Coproduce can check . against numbers, string-length(.), count-selected(.) and "
                                  "regex(., '...'), joined with and");
}

}  // namespace

StatusOr<std::string> relevant_to_show_if(std::string_view relevant) {
  if (blank(relevant)) return std::string();
  auto tree = parse(relevant, Syntax::kXlsform, false);
  if (!tree.ok()) return tree.status();
  auto out = to_show_if(*tree);
  if (!out.ok()) return out.status();
  return out->text;
}

std::string join_relevants(const std::vector<std::string>& relevants) {
  std::vector<std::string> parts;
  for (const auto& r : relevants) {
    if (!blank(r)) parts.push_back(r);
  }
  if (parts.size() == 1) return parts[0];
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "(" : " and (") + p + ")";
  return out;
}

StatusOr<std::string> show_if_to_relevant(std::string_view show_if, const Questionnaire& q) {
  if (blank(show_if)) return std::string();
  auto tree = parse(show_if, Syntax::kCoproduce, false);
  if (!tree.ok()) return tree.status();
  auto out = to_relevant(*tree, q);
  if (!out.ok()) return out.status();
  return out->text;
}

Status constraint_to_validation(std::string_view constraint, QuestionType type, Validation& validation) {
  if (blank(constraint)) return Status::Ok();
  auto tree = parse(constraint, Syntax::kXlsform, true);
  if (!tree.ok()) return tree.status();
  Validation v = validation;
  if (tree->kind == Node::Kind::kAnd) {
    for (const Node& term : tree->kids) {
      if (Status s = constraint_term(term, type, v); !s.ok()) return s;
    }
  } else if (Status s = constraint_term(*tree, type, v); !s.ok()) {
    return s;
  }
  validation = v;
  return Status::Ok();
}

StatusOr<std::string> validation_to_constraint(const Validation& v, QuestionType type) {
  std::vector<std::string> terms;
  if (type == QuestionType::kNumber) {
    if (v.min) terms.push_back(". >= " + format_number(*v.min));
    if (v.max) terms.push_back(". <= " + format_number(*v.max));
  } else if (is_text(type)) {
    if (v.min) terms.push_back("string-length(.) >= " + format_number(*v.min));
    if (v.max) terms.push_back("string-length(.) <= " + format_number(*v.max));
    if (!v.pattern.empty()) {
      auto re = quoted("^(?:" + v.pattern + ")$", 0);
      if (!re.ok()) return InvalidInput("the pattern holds both ' and \", which an XLSForm constraint cannot");
      terms.push_back("regex(., " + *re + ")");
    }
  } else if (type == QuestionType::kMultiple) {
    if (v.min_choices) terms.push_back("count-selected(.) >= " + std::to_string(*v.min_choices));
    if (v.max_choices) terms.push_back("count-selected(.) <= " + std::to_string(*v.max_choices));
  }
  std::string out;
  for (const auto& t : terms) out += (out.empty() ? "" : " and ") + t;
  return out;
}

}  // namespace coproduce::survey
