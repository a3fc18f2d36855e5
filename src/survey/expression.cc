#include "survey/expression.h"

#include "survey/tokens.h"

#include <charconv>
#include <cstdlib>

namespace coproduce::survey {

namespace {

class Parser {
 public:
  Parser(std::vector<Token> tokens, std::vector<ExprNode>& nodes) : t_(std::move(tokens)), nodes_(nodes) {}

  StatusOr<int> parse_all() {
    StatusOr<int> root = parse_or();
    if (!root.ok()) return root;
    if (peek().kind != Token::Kind::kEnd) {
      return error_at(peek().column, "unexpected '" + describe(peek()) + "': join conditions with and / or");
    }
    return root;
  }

 private:
  const Token& peek() const { return t_[pos_]; }
  const Token& next() { return t_[pos_++]; }
  bool is_keyword(const char* word) const { return peek().kind == Token::Kind::kName && peek().text == word; }

  static std::string describe(const Token& t) {
    switch (t.kind) {
      case Token::Kind::kEnd: return "end";
      case Token::Kind::kLParen: return "(";
      case Token::Kind::kRParen: return ")";
      case Token::Kind::kComma: return ",";
      case Token::Kind::kString: return "'" + t.text + "'";
      default: return t.text;
    }
  }

  int add(ExprNode n) {
    nodes_.push_back(std::move(n));
    return static_cast<int>(nodes_.size()) - 1;
  }

  StatusOr<int> parse_or() {
    StatusOr<int> left = parse_and();
    if (!left.ok()) return left;
    int l = *left;
    while (is_keyword("or")) {
      next();
      StatusOr<int> right = parse_and();
      if (!right.ok()) return right;
      ExprNode n;
      n.kind = ExprNode::Kind::kOr;
      n.left = l;
      n.right = *right;
      l = add(std::move(n));
    }
    return l;
  }

  StatusOr<int> parse_and() {
    StatusOr<int> left = parse_unary();
    if (!left.ok()) return left;
    int l = *left;
    while (is_keyword("and")) {
      next();
      StatusOr<int> right = parse_unary();
      if (!right.ok()) return right;
      ExprNode n;
      n.kind = ExprNode::Kind::kAnd;
      n.left = l;
      n.right = *right;
      l = add(std::move(n));
    }
    return l;
  }

  StatusOr<int> parse_unary() {
    if (is_keyword("not")) {
      next();
      StatusOr<int> inner = parse_unary();
      if (!inner.ok()) return inner;
      ExprNode n;
      n.kind = ExprNode::Kind::kNot;
      n.left = *inner;
      return add(std::move(n));
    }
    return parse_compare();
  }

  Status expect(Token::Kind kind, const char* what) {
    if (peek().kind != kind) return error_at(peek().column, std::string("expected ") + what + " but found '" + describe(peek()) + "'");
    next();
    return Status::Ok();
  }

  Status expect_name(ExprNode& n) {
    if (peek().kind != Token::Kind::kName) {
      return error_at(peek().column, "expected a question code but found '" + describe(peek()) + "'");
    }
    n.name = peek().text;
    n.name_column = peek().column;
    next();
    return Status::Ok();
  }

  StatusOr<int> parse_compare() {
    const Token& t = peek();
    if (t.kind == Token::Kind::kLParen) {
      next();
      StatusOr<int> inner = parse_or();
      if (!inner.ok()) return inner;
      if (Status s = expect(Token::Kind::kRParen, "')'"); !s.ok()) return s;
      return inner;
    }
    if (t.kind != Token::Kind::kName) {
      return error_at(t.column, t.kind == Token::Kind::kEnd ? "the condition ends too early: expected a question code"
                                                            : "expected a question code but found '" + describe(t) + "'");
    }
    ExprNode n;
    if (t.text == "true" || t.text == "false") {
      n.kind = ExprNode::Kind::kConstant;
      n.constant = t.text == "true";
      next();
      return add(std::move(n));
    }
    if ((t.text == "selected" || t.text == "answered") && t_[pos_ + 1].kind == Token::Kind::kLParen) {
      const bool selected = t.text == "selected";
      next();
      next();
      n.kind = selected ? ExprNode::Kind::kSelected : ExprNode::Kind::kAnswered;
      if (Status s = expect_name(n); !s.ok()) return s;
      if (selected) {
        if (Status s = expect(Token::Kind::kComma, "','"); !s.ok()) return s;
        if (peek().kind != Token::Kind::kString) {
          return error_at(peek().column, "expected an option code in quotes, such as 'time'");
        }
        n.text = peek().text;
        n.literal_column = peek().column;
        next();
      }
      if (Status s = expect(Token::Kind::kRParen, "')'"); !s.ok()) return s;
      return add(std::move(n));
    }
    n.kind = ExprNode::Kind::kCompare;
    if (Status s = expect_name(n); !s.ok()) return s;
    if (peek().kind != Token::Kind::kOp) {
      return error_at(peek().column, "expected a comparison such as = 'yes' after " + n.name);
    }
    const std::string op = next().text;
    if (op == "=" || op == "==") n.op = CompareOp::kEq;
    else if (op == "!=" || op == "<>") n.op = CompareOp::kNe;
    else if (op == "<") n.op = CompareOp::kLt;
    else if (op == "<=") n.op = CompareOp::kLe;
    else if (op == ">") n.op = CompareOp::kGt;
    else n.op = CompareOp::kGe;
    const Token& lit = peek();
    if (lit.kind == Token::Kind::kString) {
      n.text = lit.text;
    } else if (lit.kind == Token::Kind::kNumber) {
      n.literal_is_number = true;
      n.number = lit.number;
      n.text = lit.text;
    } else {
      return error_at(lit.column, "expected a value in quotes or a number but found '" + describe(lit) + "'");
    }
    n.literal_column = lit.column;
    next();
    return add(std::move(n));
  }

  std::vector<Token> t_;
  size_t pos_ = 0;
  std::vector<ExprNode>& nodes_;
};

}  // namespace

StatusOr<Expression> Expression::parse(std::string_view text) {
  Expression e;
  bool blank = true;
  for (char c : text) blank = blank && (c == ' ' || c == '\t' || c == '\n' || c == '\r');
  if (blank) return e;
  StatusOr<std::vector<Token>> tokens = tokenise(text);
  if (!tokens.ok()) return tokens.status();
  Parser parser(std::move(*tokens), e.nodes_);
  StatusOr<int> root = parser.parse_all();
  if (!root.ok()) return root.status();
  e.root_ = *root;
  return e;
}

Status Expression::resolve(const std::function<std::optional<Operand>(std::string_view)>& lookup) {
  for (ExprNode& n : nodes_) {
    if (n.kind != ExprNode::Kind::kCompare && n.kind != ExprNode::Kind::kSelected &&
        n.kind != ExprNode::Kind::kAnswered) {
      continue;
    }
    std::optional<Operand> op = lookup(n.name);
    if (!op) return error_at(n.name_column, "there is no question coded '" + n.name + "'");
    n.question = op->index;
    n.operand_kind = op->kind;
    if (n.kind == ExprNode::Kind::kAnswered) continue;
    auto find_option = [&](const std::string& code) {
      for (size_t i = 0; i < op->option_codes.size(); ++i) {
        if (op->option_codes[i] == code) return static_cast<int>(i);
      }
      return -1;
    };
    auto list_options = [&] {
      std::string out;
      for (const auto& c : op->option_codes) out += (out.empty() ? "" : ", ") + c;
      return out;
    };
    if (op->kind == Operand::Kind::kText) {
      return error_at(n.name_column, "'" + n.name + "' is a text or date question: test it with answered(" + n.name + ")");
    }
    if (n.kind == ExprNode::Kind::kSelected) {
      if (op->kind == Operand::Kind::kNumber) {
        return error_at(n.name_column, "'" + n.name + "' is a number question: compare it, e.g. " + n.name + " >= 18");
      }
      n.option = find_option(n.text);
      if (n.option < 0) {
        return error_at(n.literal_column, "'" + n.text + "' is not an option of " + n.name + " (its options: " + list_options() + ")");
      }
      continue;
    }
    // kCompare
    if (op->kind == Operand::Kind::kMultiple) {
      return error_at(n.name_column, "'" + n.name + "' allows several answers: use selected(" + n.name + ", '...')");
    }
    if (op->kind == Operand::Kind::kNumber) {
      if (!n.literal_is_number) {
        return error_at(n.literal_column, "'" + n.name + "' is a number question: compare it with a number, not text");
      }
      continue;
    }
    // A choice question.
    n.option = find_option(n.text);
    const bool equality = n.op == CompareOp::kEq || n.op == CompareOp::kNe;
    if (n.option >= 0 && (equality || op->ordered)) {
      n.by_position = !equality;
      continue;
    }
    if (n.literal_is_number || !equality) {
      // Numeric comparison of option codes that are numbers (a rating scale).
      n.option_values.clear();
      for (const auto& code : op->option_codes) {
        double v = 0;
        auto [p, ec] = std::from_chars(code.data(), code.data() + code.size(), v);
        if (ec != std::errc() || p != code.data() + code.size()) {
          if (n.option >= 0) {
            return error_at(n.name_column, "'" + n.name + "' is not an ordered scale, so only = and != can compare it");
          }
          return error_at(n.literal_column, "'" + n.text + "' is not an option of " + n.name + " (its options: " + list_options() + ")");
        }
        n.option_values.push_back(v);
      }
      if (!n.literal_is_number) {
        char* end = nullptr;
        n.number = std::strtod(n.text.c_str(), &end);
        if (end != n.text.c_str() + n.text.size()) {
          return error_at(n.literal_column, "'" + n.text + "' is not an option of " + n.name);
        }
      }
      if (equality) n.option = -1;
      continue;
    }
    return error_at(n.literal_column, "'" + n.text + "' is not an option of " + n.name + " (its options: " + list_options() + ")");
  }
  return Status::Ok();
}

std::vector<int> Expression::references() const {
  std::vector<int> out;
  for (const ExprNode& n : nodes_) {
    if (n.question >= 0) out.push_back(n.question);
  }
  return out;
}

}  // namespace coproduce::survey
