// Money as whole pence. Amounts are parsed from what people type and
// formatted for them without ever passing through floating point.
#ifndef COPRODUCE_PAYMENTS_MONEY_H_
#define COPRODUCE_PAYMENTS_MONEY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace coproduce::payments {

// The most any single amount may be: £100,000.00.
inline constexpr std::int64_t kMaxPence = 10'000'000;

// Pence from an amount in pounds as typed: "12", "12.5", "12.50", "£1,234.56",
// " 0.05 ". Nullopt for anything else: negatives, more than two decimal
// places, letters, an empty string, or more than kMaxPence.
std::optional<std::int64_t> parse_pounds(std::string_view text);

// "£1,234.56"; negative amounts get a leading minus sign.
std::string format_pounds(std::int64_t pence);

// "1234.56": for files people or payroll systems read back as numbers.
std::string plain_pounds(std::int64_t pence);

// rate × minutes / 60, rounded to the nearest penny, halves up. Exact in
// integers for every amount this product allows.
std::int64_t pro_rata(std::int64_t pence_per_hour, int minutes);

}  // namespace coproduce::payments

#endif  // COPRODUCE_PAYMENTS_MONEY_H_
