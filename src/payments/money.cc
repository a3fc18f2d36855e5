#include "payments/money.h"

#include <cstdlib>

namespace coproduce::payments {

std::optional<std::int64_t> parse_pounds(std::string_view text) {
  std::string t;
  for (char ch : text) {
    if (ch != ' ' && ch != ',') t += ch;
  }
  // The pound sign in UTF-8.
  if (t.rfind("\xC2\xA3", 0) == 0) t.erase(0, 2);
  if (t.empty()) return std::nullopt;
  size_t dot = t.find('.');
  std::string whole = t.substr(0, dot);
  std::string fraction = dot == std::string::npos ? "" : t.substr(dot + 1);
  if (whole.empty() && fraction.empty()) return std::nullopt;
  if (dot != std::string::npos && fraction.empty()) return std::nullopt;
  if (fraction.size() > 2) return std::nullopt;
  auto all_digits = [](const std::string& s) { return s.find_first_not_of("0123456789") == std::string::npos; };
  if (!all_digits(whole) || !all_digits(fraction)) return std::nullopt;
  if (whole.size() > 7) return std::nullopt;
  std::int64_t pounds = whole.empty() ? 0 : std::strtoll(whole.c_str(), nullptr, 10);
  std::int64_t pence = 0;
  if (!fraction.empty()) pence = std::strtoll(fraction.c_str(), nullptr, 10) * (fraction.size() == 1 ? 10 : 1);
  std::int64_t total = pounds * 100 + pence;
  if (total > kMaxPence) return std::nullopt;
  return total;
}

std::string format_pounds(std::int64_t pence) {
  bool negative = pence < 0;
  std::uint64_t p = negative ? static_cast<std::uint64_t>(-(pence + 1)) + 1 : static_cast<std::uint64_t>(pence);
  std::string pounds = std::to_string(p / 100);
  std::string grouped;
  for (size_t i = 0; i < pounds.size(); ++i) {
    if (i > 0 && (pounds.size() - i) % 3 == 0) grouped += ',';
    grouped += pounds[i];
  }
  unsigned rest = static_cast<unsigned>(p % 100);
  return std::string(negative ? "-" : "") + "\xC2\xA3" + grouped + "." + (rest < 10 ? "0" : "") + std::to_string(rest);
}

std::string plain_pounds(std::int64_t pence) {
  bool negative = pence < 0;
  std::uint64_t p = negative ? static_cast<std::uint64_t>(-(pence + 1)) + 1 : static_cast<std::uint64_t>(pence);
  unsigned rest = static_cast<unsigned>(p % 100);
  return std::string(negative ? "-" : "") + std::to_string(p / 100) + "." + (rest < 10 ? "0" : "") +
         std::to_string(rest);
}

std::int64_t pro_rata(std::int64_t pence_per_hour, int minutes) {
  return (pence_per_hour * minutes + 30) / 60;
}

}  // namespace coproduce::payments
