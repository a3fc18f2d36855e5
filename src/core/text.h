// Small text helpers shared across modules.
#ifndef COPRODUCE_CORE_TEXT_H_
#define COPRODUCE_CORE_TEXT_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace coproduce {

// Lower-cases and trims an email address. `problem` gets a message a person
// can act on when it is not a plausible address ("" when it is).
std::string normalise_email(std::string_view email, std::string* problem);

// A UK mobile number in the international form "+447700900982", from any
// usual way of writing one ("07700 900982", "+44 (0)7700-900982",
// "0044 7700 900982"); "" when `phone` is not a UK mobile number (a
// landline, a number abroad, too few or too many digits, letters).
std::string normalise_uk_mobile(std::string_view phone);

// Length in characters (UTF-8 code points), not bytes, so a limit means the
// same for "café" as for "cafe".
size_t utf8_length(std::string_view text);

// Trims spaces, tabs and line breaks from both ends.
std::string trim_copy(std::string_view text);

// "a,b,c" from {"a","b","c"}, and back; empty parts are dropped.
std::string join_codes(const std::vector<std::string>& codes);
std::vector<std::string> split_codes(std::string_view text, char separator = ',');

}  // namespace coproduce

#endif  // COPRODUCE_CORE_TEXT_H_
