// The answer options of the involvement pool: codes stored in the database
// and used in files and the API, with the labels people read.
//
// Equality monitoring follows the 2021 Census for England and Wales where it
// has a question (the 19 ethnic groups, sex, disability under the Equality
// Act); every monitoring question also offers "Prefer not to say".
#ifndef COPRODUCE_INVOLVEMENT_OPTIONS_H_
#define COPRODUCE_INVOLVEMENT_OPTIONS_H_

#include <string>
#include <string_view>
#include <vector>

namespace coproduce::involvement {

struct Option {
  std::string code;
  std::string label;
  std::string group;  // a heading the option sits under (ethnic groups); may be empty
};

struct OptionSet {
  std::string field;  // "formats", "ethnic_group", ...
  bool multiple = false;
  std::vector<Option> options;

  // The option whose code or label matches `text` ignoring case and
  // surrounding spaces, or nullptr.
  const Option* find(std::string_view text) const;
  const Option* by_code(std::string_view code) const;
};

// The set for `field`, or nullptr when the field has no fixed options.
const OptionSet* option_set(std::string_view field);

// Every field with fixed options, contact and pool fields first, then
// equality monitoring.
const std::vector<OptionSet>& option_sets();

// The equality monitoring fields, in the order the pages ask them.
const std::vector<std::string>& equality_fields();

// The code every equality question offers for "Prefer not to say".
inline constexpr const char* kPreferNotToSay = "prefer_not_to_say";

// The consent wording now shown to people, and its version. A new wording
// gets a new version; each consent stores the wording it was given against.
struct ConsentWording {
  std::string version;
  std::string text;
};
const ConsentWording& current_consent();

}  // namespace coproduce::involvement

#endif  // COPRODUCE_INVOLVEMENT_OPTIONS_H_
