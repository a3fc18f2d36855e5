#include "core/text.h"

#include "core/translatable.h"

#include <algorithm>
#include <cctype>

namespace coproduce {

std::string trim_copy(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

std::string normalise_email(std::string_view email, std::string* problem) {
  std::string e = trim_copy(email);
  std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return std::tolower(c); });
  problem->clear();
  size_t at = e.find('@');
  if (e.empty()) {
    *problem = N_("Enter an email address");
  } else if (e.size() > 254 || at == std::string::npos || at == 0 || e.find('@', at + 1) != std::string::npos ||
             e.find('.', at) == std::string::npos || e.back() == '.' || e[at + 1] == '.' ||
             e.find_first_of(" \t\r\n<>\"(),;:[]\\") != std::string::npos) {
    *problem = N_("Enter an email address in the correct format, like name@example.org");
  }
  return e;
}

std::string normalise_uk_mobile(std::string_view phone) {
  std::string digits;
  bool plus = false;
  for (size_t i = 0; i < phone.size(); ++i) {
    char c = phone[i];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digits += c;
    } else if (c == '+' && digits.empty() && !plus) {
      plus = true;
    } else if (c != ' ' && c != '-' && c != '(' && c != ')' && c != '.') {
      return "";
    }
  }
  // "+44 (0)7700..." writes the trunk 0 in brackets: drop it.
  if (digits.rfind("440", 0) == 0 && phone.find("(0)") != std::string_view::npos) digits.erase(2, 1);
  if (!plus && digits.rfind("00", 0) == 0) {
    digits.erase(0, 2);
    plus = true;
  }
  std::string national;
  if (plus || digits.rfind("44", 0) == 0) {
    if (digits.rfind("44", 0) != 0) return "";
    national = digits.substr(2);
  } else if (digits.rfind("0", 0) == 0) {
    national = digits.substr(1);
  } else {
    return "";
  }
  // UK mobiles are 07 followed by nine more digits: 7 and nine digits here.
  if (national.size() != 10 || national[0] != '7') return "";
  return "+44" + national;
}

std::string join_codes(const std::vector<std::string>& codes) {
  std::string out;
  for (const auto& c : codes) {
    if (c.empty()) continue;
    if (!out.empty()) out += ',';
    out += c;
  }
  return out;
}

std::vector<std::string> split_codes(std::string_view text, char separator) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(separator, start);
    if (end == std::string_view::npos) end = text.size();
    std::string part = trim_copy(text.substr(start, end - start));
    if (!part.empty()) out.push_back(part);
    start = end + 1;
  }
  return out;
}

size_t utf8_length(std::string_view text) {
  size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace coproduce
