#include <charconv>
#include <system_error>

#include "sheets/sheets.h"

namespace coproduce::sheets {

Cell Cell::empty() { return Cell{}; }

Cell Cell::of(std::string text) {
  Cell c;
  c.kind = Kind::kText;
  c.text = std::move(text);
  return c;
}

Cell Cell::whole(std::int64_t v) {
  Cell c;
  c.kind = Kind::kInteger;
  c.integer = v;
  return c;
}

Cell Cell::real(double v) {
  Cell c;
  c.kind = Kind::kNumber;
  c.number = v;
  return c;
}

std::string Cell::as_text() const {
  switch (kind) {
    case Kind::kEmpty:
      return "";
    case Kind::kText:
      return text;
    case Kind::kInteger:
      return std::to_string(integer);
    case Kind::kNumber: {
      char buffer[64];
      auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, number);
      return ec == std::errc() ? std::string(buffer, end) : std::string();
    }
  }
  return "";
}

std::string column_letters(std::size_t index) {
  // Bijective base 26: A..Z, AA..AZ, BA.., so there is no zero digit.
  std::string letters;
  std::size_t n = index + 1;
  while (n > 0) {
    std::size_t digit = (n - 1) % 26;
    letters.insert(letters.begin(), static_cast<char>('A' + digit));
    n = (n - 1) / 26;
  }
  return letters;
}

const Sheet* find(const std::vector<Sheet>& sheets, std::string_view name) {
  auto lower = [](char ch) { return ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch; };
  for (const Sheet& sheet : sheets) {
    if (sheet.name.size() != name.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < name.size() && same; ++i) same = lower(sheet.name[i]) == lower(name[i]);
    if (same) return &sheet;
  }
  return nullptr;
}

}  // namespace coproduce::sheets
