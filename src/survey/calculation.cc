#include "survey/calculation.h"

#include "core/text.h"
#include "survey/tokens.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <set>
#include <sstream>

namespace coproduce::survey {

namespace {

using Node = CalculationNode;

struct FunctionRule {
  const char* name;
  int min_args;
  int max_args;  // -1: any number
};
constexpr FunctionRule kFunctions[] = {
    {"if", 3, 3},          {"coalesce", 2, 2}, {"not", 1, 1},    {"true", 0, 0},         {"false", 0, 0},
    {"selected", 2, 2},    {"count-selected", 1, 1},             {"string-length", 1, 1}, {"concat", 1, -1},
    {"number", 1, 1},      {"int", 1, 1},      {"round", 1, 2},  {"abs", 1, 1},          {"min", 1, -1},
    {"max", 1, -1},        {"pow", 2, 2},      {"once", 1, 1},   {"string", 1, 1},
};

const FunctionRule* find_function(std::string_view name) {
  for (const FunctionRule& f : kFunctions) {
    if (name == f.name) return &f;
  }
  return nullptr;
}

std::string function_list() {
  std::string out;
  for (const FunctionRule& f : kFunctions) out += std::string(out.empty() ? "" : ", ") + f.name;
  return out;
}

class Parser {
 public:
  Parser(std::vector<Token> tokens, std::vector<Node>& nodes) : t_(std::move(tokens)), nodes_(nodes) {}

  StatusOr<int> parse_all() {
    StatusOr<int> root = parse_or();
    if (!root.ok()) return root;
    if (peek().kind != Token::Kind::kEnd) return error_at(peek().column, "unexpected '" + describe(peek()) + "'");
    return root;
  }

 private:
  const Token& peek() const { return t_[pos_]; }
  const Token& next() { return t_[pos_++]; }
  bool is_word(const char* w) const { return peek().kind == Token::Kind::kName && peek().text == w; }
  bool is_op(const char* op) const { return peek().kind == Token::Kind::kOp && peek().text == op; }

  static std::string describe(const Token& t) {
    switch (t.kind) {
      case Token::Kind::kEnd: return "the end";
      case Token::Kind::kLParen: return "(";
      case Token::Kind::kRParen: return ")";
      case Token::Kind::kComma: return ",";
      case Token::Kind::kString: return "'" + t.text + "'";
      case Token::Kind::kName: return t.braced ? "${" + t.text + "}" : t.text;
      default: return t.text;
    }
  }

  int add(Node n) {
    nodes_.push_back(std::move(n));
    return static_cast<int>(nodes_.size()) - 1;
  }

  int join(Node::Kind kind, std::string op, int left, int right, long column) {
    Node n;
    n.kind = kind;
    n.text = std::move(op);
    n.args = {left, right};
    n.column = column;
    return add(std::move(n));
  }

  // Guards against text nested so deep it would exhaust the stack.
  Status deeper() {
    if (++depth_ > 200) return error_at(peek().column, "the calculation is nested too deeply");
    return Status::Ok();
  }

  StatusOr<int> parse_or() {
    if (Status s = deeper(); !s.ok()) return s;
    StatusOr<int> l = parse_and();
    while (l.ok() && is_word("or")) {
      const long col = next().column;
      StatusOr<int> r = parse_and();
      if (!r.ok()) return r;
      l = join(Node::Kind::kOr, "or", *l, *r, col);
    }
    --depth_;
    return l;
  }

  StatusOr<int> parse_and() {
    StatusOr<int> l = parse_compare();
    while (l.ok() && is_word("and")) {
      const long col = next().column;
      StatusOr<int> r = parse_compare();
      if (!r.ok()) return r;
      l = join(Node::Kind::kAnd, "and", *l, *r, col);
    }
    return l;
  }

  StatusOr<int> parse_compare() {
    StatusOr<int> l = parse_sum();
    if (!l.ok()) return l;
    for (const char* op : {"=", "!=", "<", "<=", ">", ">="}) {
      if (!is_op(op)) continue;
      const long col = next().column;
      StatusOr<int> r = parse_sum();
      if (!r.ok()) return r;
      return join(Node::Kind::kBinary, op, *l, *r, col);
    }
    return l;
  }

  StatusOr<int> parse_sum() {
    StatusOr<int> l = parse_product();
    while (l.ok() && (is_op("+") || is_op("-"))) {
      const Token& t = next();
      const std::string op = t.text;
      StatusOr<int> r = parse_product();
      if (!r.ok()) return r;
      l = join(Node::Kind::kBinary, op, *l, *r, t.column);
    }
    return l;
  }

  StatusOr<int> parse_product() {
    StatusOr<int> l = parse_unary();
    while (l.ok() && (is_op("*") || is_word("div") || is_word("mod"))) {
      const Token& t = next();
      const std::string op = t.text;
      StatusOr<int> r = parse_unary();
      if (!r.ok()) return r;
      l = join(Node::Kind::kBinary, op, *l, *r, t.column);
    }
    return l;
  }

  StatusOr<int> parse_unary() {
    if (is_op("-")) {
      const long col = next().column;
      if (Status s = deeper(); !s.ok()) return s;
      StatusOr<int> inner = parse_unary();
      --depth_;
      if (!inner.ok()) return inner;
      Node n;
      n.kind = Node::Kind::kUnary;
      n.text = "-";
      n.column = col;
      n.args = {*inner};
      return add(std::move(n));
    }
    return parse_primary();
  }

  StatusOr<int> parse_primary() {
    const Token t = peek();
    Node n;
    n.column = t.column;
    switch (t.kind) {
      case Token::Kind::kNumber:
        next();
        n.kind = Node::Kind::kNumber;
        n.number = t.number;
        return add(std::move(n));
      case Token::Kind::kString:
        next();
        n.kind = Node::Kind::kText;
        n.text = t.text;
        return add(std::move(n));
      case Token::Kind::kLParen: {
        next();
        StatusOr<int> inner = parse_or();
        if (!inner.ok()) return inner;
        if (peek().kind != Token::Kind::kRParen) {
          return error_at(peek().column, "expected ) but found " + describe(peek()));
        }
        next();
        return inner;
      }
      case Token::Kind::kName: {
        next();
        if (t.braced) {
          n.kind = Node::Kind::kAnswer;
          n.name = t.text;
          return add(std::move(n));
        }
        if (peek().kind != Token::Kind::kLParen) {
          n.kind = Node::Kind::kChoiceColumn;
          n.name = t.text;
          return add(std::move(n));
        }
        const FunctionRule* rule = find_function(t.text);
        if (!rule) {
          return error_at(t.column, "Coproduce cannot work out the function '" + t.text + "'; it can use " +
                                        function_list());
        }
        next();  // (
        n.kind = Node::Kind::kCall;
        n.text = t.text;
        if (peek().kind != Token::Kind::kRParen) {
          while (true) {
            StatusOr<int> arg = parse_or();
            if (!arg.ok()) return arg;
            n.args.push_back(*arg);
            if (peek().kind != Token::Kind::kComma) break;
            next();
          }
        }
        if (peek().kind != Token::Kind::kRParen) {
          return error_at(peek().column, "expected , or ) but found " + describe(peek()));
        }
        next();
        const int count = static_cast<int>(n.args.size());
        if (count < rule->min_args || (rule->max_args >= 0 && count > rule->max_args)) {
          std::string wanted = rule->min_args == rule->max_args ? std::to_string(rule->min_args)
                               : rule->max_args < 0 ? "at least " + std::to_string(rule->min_args)
                                                    : std::to_string(rule->min_args) + " or " + std::to_string(rule->max_args);
          return error_at(t.column, t.text + "() takes " + wanted + " value" + (wanted == "1" ? "" : "s") + ", not " +
                                        std::to_string(count));
        }
        return add(std::move(n));
      }
      default:
        return error_at(t.column, "expected a value but found " + describe(t));
    }
  }

  std::vector<Token> t_;
  std::vector<Node>& nodes_;
  size_t pos_ = 0;
  int depth_ = 0;
};

double to_number(const std::string& s) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return nan;
  size_t e = s.find_last_not_of(" \t");
  const char* first = s.data() + b;
  const char* last = s.data() + e + 1;
  if (*first == '+') return nan;
  double x = 0;
  auto [p, ec] = std::from_chars(first, last, x);
  return ec == std::errc() && p == last ? x : nan;
}

std::string number_text(double x) {
  if (std::isnan(x)) return "";
  if (std::isinf(x)) return x > 0 ? "Infinity" : "-Infinity";
  if (x == std::floor(x) && std::fabs(x) < 1e15) {
    std::ostringstream o;
    o << static_cast<long long>(x);
    return o.str();
  }
  char buffer[64];
  auto [p, ec] = std::to_chars(buffer, buffer + sizeof buffer, x);
  return ec == std::errc() ? std::string(buffer, p) : "";
}

}  // namespace

struct Calculation::Value {
  enum class Type { kNumber, kText, kBool } type = Type::kText;
  double number = 0;
  std::string text;
  bool flag = false;

  static Value of(double x) { return {Type::kNumber, x, {}, false}; }
  static Value of_text(std::string s) { return {Type::kText, 0, std::move(s), false}; }
  static Value of_bool(bool b) { return {Type::kBool, 0, {}, b}; }

  double as_number() const {
    switch (type) {
      case Type::kNumber: return number;
      case Type::kBool: return flag ? 1 : 0;
      case Type::kText: return to_number(text);
    }
    return 0;
  }
  std::string as_text() const {
    switch (type) {
      case Type::kNumber: return number_text(number);
      case Type::kBool: return flag ? "true" : "false";
      case Type::kText: return text;
    }
    return "";
  }
  bool as_bool() const {
    switch (type) {
      case Type::kNumber: return number != 0 && !std::isnan(number);
      case Type::kBool: return flag;
      case Type::kText: return !text.empty();
    }
    return false;
  }
};

StatusOr<Calculation> Calculation::parse(std::string_view text) {
  Calculation c;
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return error_at(1, "the calculation is empty");
  TokenRules rules;
  rules.arithmetic = true;
  rules.instead_of_bang = "write != or not()";
  auto tokens = tokenise(text, rules);
  if (!tokens.ok()) return tokens.status();
  for (Token& t : *tokens) {
    if (t.kind == Token::Kind::kOp && t.text == "==") t.text = "=";
  }
  Parser p(std::move(*tokens), c.nodes_);
  StatusOr<int> root = p.parse_all();
  if (!root.ok()) return root.status();
  c.root_ = *root;
  return c;
}

Status Calculation::resolve(const std::function<std::optional<int>(std::string_view)>& question,
                            const std::function<std::optional<int>(std::string_view)>& choice_column) {
  for (Node& n : nodes_) {
    if (n.kind == Node::Kind::kAnswer) {
      std::optional<int> i = question ? question(n.name) : std::nullopt;
      if (!i) return error_at(n.column, "there is no question '" + n.name + "'");
      n.index = *i;
    } else if (n.kind == Node::Kind::kChoiceColumn) {
      if (!choice_column) {
        return error_at(n.column, "'" + n.name + "' is not understood: write a question as ${" + n.name + "}");
      }
      std::optional<int> i = choice_column(n.name);
      if (!i) return error_at(n.column, "the choices have no column '" + n.name + "'");
      n.index = *i;
    }
  }
  return Status::Ok();
}

std::vector<int> Calculation::references() const {
  std::vector<int> out;
  for (const Node& n : nodes_) {
    if (n.kind == Node::Kind::kAnswer && std::find(out.begin(), out.end(), n.index) == out.end()) {
      out.push_back(n.index);
    }
  }
  return out;
}

namespace {

// Collects the texts a node can give when every way through it ends in a
// fixed text; false when some way gives anything else.
bool fixed_texts(const std::vector<Node>& nodes, int i, std::vector<std::string>& out) {
  const Node& n = nodes[static_cast<size_t>(i)];
  if (n.kind == Node::Kind::kText) {
    if (std::find(out.begin(), out.end(), n.text) == out.end()) out.push_back(n.text);
    return true;
  }
  if (n.kind == Node::Kind::kCall && n.text == "if") {
    return fixed_texts(nodes, n.args[1], out) && fixed_texts(nodes, n.args[2], out);
  }
  if (n.kind == Node::Kind::kCall && n.text == "once") return fixed_texts(nodes, n.args[0], out);
  return false;
}

bool gives_number(const std::vector<Node>& nodes, int i) {
  const Node& n = nodes[static_cast<size_t>(i)];
  switch (n.kind) {
    case Node::Kind::kNumber:
    case Node::Kind::kUnary: return true;
    case Node::Kind::kBinary: return n.text == "+" || n.text == "-" || n.text == "*" || n.text == "div" || n.text == "mod";
    case Node::Kind::kCall: {
      static const std::set<std::string> kNumeric = {"count-selected", "string-length", "number", "int", "round",
                                                      "abs", "min", "max", "pow"};
      if (kNumeric.count(n.text)) return true;
      if (n.text == "if") return gives_number(nodes, n.args[1]) && gives_number(nodes, n.args[2]);
      if (n.text == "coalesce") return gives_number(nodes, n.args[0]) && gives_number(nodes, n.args[1]);
      if (n.text == "once") return gives_number(nodes, n.args[0]);
      return false;
    }
    default: return false;
  }
}

}  // namespace

CalculationResult Calculation::result() const {
  if (root_ < 0) return CalculationResult::kText;
  if (gives_number(nodes_, root_)) return CalculationResult::kNumber;
  std::vector<std::string> texts;
  if (fixed_texts(nodes_, root_, texts) && texts.size() >= 2) return CalculationResult::kChoice;
  return CalculationResult::kText;
}

std::vector<std::string> Calculation::possible_texts() const {
  std::vector<std::string> out;
  if (root_ < 0 || !fixed_texts(nodes_, root_, out)) out.clear();
  return out;
}

Calculation::Value Calculation::eval(int i, const Source& src) const {
  const Node& n = nodes_[static_cast<size_t>(i)];
  const double nan = std::numeric_limits<double>::quiet_NaN();
  auto arg = [&](size_t k) { return eval(n.args[k], src); };
  switch (n.kind) {
    case Node::Kind::kNumber: return Value::of(n.number);
    case Node::Kind::kText: return Value::of_text(n.text);
    case Node::Kind::kAnswer: return Value::of_text(src.answer ? src.answer(n.index) : std::string());
    case Node::Kind::kChoiceColumn: return Value::of_text(src.choice_column ? src.choice_column(n.index) : std::string());
    case Node::Kind::kUnary: return Value::of(-arg(0).as_number());
    case Node::Kind::kAnd: return Value::of_bool(arg(0).as_bool() && arg(1).as_bool());
    case Node::Kind::kOr: return Value::of_bool(arg(0).as_bool() || arg(1).as_bool());
    case Node::Kind::kBinary: {
      const Value a = arg(0), b = arg(1);
      const std::string& op = n.text;
      if (op == "+") return Value::of(a.as_number() + b.as_number());
      if (op == "-") return Value::of(a.as_number() - b.as_number());
      if (op == "*") return Value::of(a.as_number() * b.as_number());
      if (op == "div") return Value::of(a.as_number() / b.as_number());
      if (op == "mod") return Value::of(std::fmod(a.as_number(), b.as_number()));
      if (op == "=" || op == "!=") {
        bool same;
        if (a.type == Value::Type::kBool || b.type == Value::Type::kBool) same = a.as_bool() == b.as_bool();
        else if (a.type == Value::Type::kNumber || b.type == Value::Type::kNumber) same = a.as_number() == b.as_number();
        else same = a.as_text() == b.as_text();
        return Value::of_bool(op == "=" ? same : !same);
      }
      const double x = a.as_number(), y = b.as_number();
      if (op == "<") return Value::of_bool(x < y);
      if (op == "<=") return Value::of_bool(x <= y);
      if (op == ">") return Value::of_bool(x > y);
      return Value::of_bool(x >= y);
    }
    case Node::Kind::kCall: break;
  }
  const std::string& f = n.text;
  if (f == "if") return arg(0).as_bool() ? arg(1) : arg(2);
  if (f == "coalesce") {
    Value a = arg(0);
    return a.as_text().empty() ? arg(1) : a;
  }
  if (f == "once" || f == "string") return f == "once" ? arg(0) : Value::of_text(arg(0).as_text());
  if (f == "not") return Value::of_bool(!arg(0).as_bool());
  if (f == "true" || f == "false") return Value::of_bool(f == "true");
  if (f == "selected") {
    const std::vector<std::string> chosen = split_codes(arg(0).as_text(), ' ');
    const std::string wanted = arg(1).as_text();
    return Value::of_bool(std::find(chosen.begin(), chosen.end(), wanted) != chosen.end());
  }
  if (f == "count-selected") return Value::of(static_cast<double>(split_codes(arg(0).as_text(), ' ').size()));
  if (f == "string-length") return Value::of(static_cast<double>(utf8_length(arg(0).as_text())));
  if (f == "concat") {
    std::string out;
    for (size_t k = 0; k < n.args.size(); ++k) out += arg(k).as_text();
    return Value::of_text(std::move(out));
  }
  if (f == "number") return Value::of(arg(0).as_number());
  if (f == "int") return Value::of(std::trunc(arg(0).as_number()));
  if (f == "abs") return Value::of(std::fabs(arg(0).as_number()));
  if (f == "pow") return Value::of(std::pow(arg(0).as_number(), arg(1).as_number()));
  if (f == "round") {
    const double x = arg(0).as_number();
    const double places = n.args.size() > 1 ? arg(1).as_number() : 0;
    if (std::isnan(places)) return Value::of(nan);
    const double scale = std::pow(10.0, std::trunc(places));
    // Halves round up, as XPath's round() does (-2.5 gives -2).
    return Value::of(std::floor(x * scale + 0.5) / scale);
  }
  if (f == "min" || f == "max") {
    double best = nan;
    for (size_t k = 0; k < n.args.size(); ++k) {
      const double x = arg(k).as_number();
      if (std::isnan(x)) return Value::of(nan);
      if (std::isnan(best) || (f == "min" ? x < best : x > best)) best = x;
    }
    return Value::of(best);
  }
  return Value::of(nan);
}

std::string Calculation::evaluate(const Source& source) const {
  if (root_ < 0) return "";
  return eval(root_, source).as_text();
}

bool Calculation::holds(const Source& source) const {
  if (root_ < 0) return true;
  return eval(root_, source).as_bool();
}

}  // namespace coproduce::survey
