#include "survey/tokens.h"

#include <cstdlib>

namespace coproduce::survey {

namespace {

bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Whether s[i] continues a name. XPath names may hold - and .
// (count-selected); a - belongs to the name only before a letter, so `a - 1`
// is a subtraction.
bool continues_name(std::string_view s, size_t i, bool xpath) {
  const char c = s[i];
  if (is_letter(c) || is_digit(c)) return true;
  if (!xpath) return false;
  return c == '.' || (c == '-' && i + 1 < s.size() && is_letter(s[i + 1]));
}

}  // namespace

Status error_at(long column, std::string message) {
  Location loc;
  loc.column = column;
  return InvalidInput(std::move(message), std::move(loc));
}

StatusOr<std::vector<Token>> tokenise(std::string_view s, const TokenRules& rules) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    const long col = static_cast<long>(i) + 1;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
      continue;
    }
    Token t;
    t.column = col;
    const bool negative_number = !rules.arithmetic && c == '-';
    if (c == '$' && i + 1 < s.size() && s[i + 1] == '{') {
      size_t j = i + 2;
      while (j < s.size() && (continues_name(s, j, rules.arithmetic) || (rules.arithmetic && s[j] == '-'))) ++j;
      if (j == i + 2 || j >= s.size() || s[j] != '}') return error_at(col, "a ${name} reference is not closed with }");
      t.kind = Token::Kind::kName;
      t.braced = true;
      t.text = std::string(s.substr(i + 2, j - i - 2));
      t.column = col + 2;
      i = j + 1;
    } else if (is_letter(c)) {
      size_t j = i;
      while (j < s.size() && continues_name(s, j, rules.arithmetic)) ++j;
      t.kind = Token::Kind::kName;
      t.text = std::string(s.substr(i, j - i));
      i = j;
    } else if (c == '\'' || c == '"') {
      size_t j = s.find(c, i + 1);
      if (j == std::string_view::npos) return error_at(col, std::string("this text is never closed: add the closing ") + c);
      t.kind = Token::Kind::kString;
      t.text = std::string(s.substr(i + 1, j - i - 1));
      i = j + 1;
    } else if (is_digit(c) || ((negative_number || c == '.') && i + 1 < s.size() && (is_digit(s[i + 1]) || s[i + 1] == '.'))) {
      size_t j = i + 1;
      while (j < s.size() && (is_digit(s[j]) || s[j] == '.')) ++j;
      const std::string num(s.substr(i, j - i));
      char* end = nullptr;
      t.number = std::strtod(num.c_str(), &end);
      if (end != num.c_str() + num.size()) return error_at(col, "'" + num + "' is not a number");
      t.kind = Token::Kind::kNumber;
      t.text = num;
      i = j;
    } else if (c == '(' || c == ')' || c == ',') {
      t.kind = c == '(' ? Token::Kind::kLParen : c == ')' ? Token::Kind::kRParen : Token::Kind::kComma;
      ++i;
    } else if (rules.arithmetic && (c == '+' || c == '-' || c == '*')) {
      t.kind = Token::Kind::kOp;
      t.text = std::string(1, c);
      ++i;
    } else if (c == '=' || c == '!' || c == '<' || c == '>') {
      std::string op(1, c);
      if (i + 1 < s.size() && (s[i + 1] == '=' || (c == '<' && s[i + 1] == '>'))) op += s[i + 1];
      if (op == "!") return error_at(col, std::string("'!' on its own is not an operator: ") + rules.instead_of_bang);
      t.kind = Token::Kind::kOp;
      t.text = op;
      i += op.size();
    } else {
      return error_at(col, std::string("unexpected character '") + c + "'");
    }
    out.push_back(std::move(t));
  }
  Token end;
  end.kind = Token::Kind::kEnd;
  end.column = static_cast<long>(s.size()) + 1;
  out.push_back(end);
  return out;
}

}  // namespace coproduce::survey
