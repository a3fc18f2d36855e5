// Writing a questionnaire in another language on the page: every text a
// respondent reads, listed with a field name, and a translation checked and
// put in place whole.
//
//   for (const TranslatableText& t : translatable_texts(q, "cy")) show(t.field, t.what, t.text, t.translation);
//   auto problems = translate(q, {"cy", "Cymraeg"}, {"en", "English"}, typed);
//   if (problems.empty()) save(definition_to_json(q));
//
// Pure functions; thread-safe.
#ifndef COPRODUCE_SURVEY_TRANSLATION_H_
#define COPRODUCE_SURVEY_TRANSLATION_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/vocabulary.h"
#include "survey/questionnaire.h"

namespace coproduce::survey {

// One text a respondent reads.
struct TranslatableText {
  std::string field;        // a form field name: "title", "q-age-text", "q-group-o-carer", ...
  std::string what;         // what it is, for the person translating: "Question 3", "An answer to question 3"
  std::string text;         // in the questionnaire's default language
  std::string translation;  // in the language asked for; empty when there is none yet
  bool long_text = false;   // a description, hint or guidance: shown as a larger box
};

// Every text of `q` with its translation into `language` so far, in the
// order a respondent meets them: title, description, then each question's
// words, its options and statements, and its own messages.
std::vector<TranslatableText> translatable_texts(const Questionnaire& q, std::string_view language);

// The most characters one translated text may have.
inline constexpr size_t kMaxTranslationLength = 4000;

// Puts `typed` (translations by field, as translatable_texts() names them)
// into `q` as `language`. A questionnaire in one unnamed language is first
// named `written_in` (its default language). Problems, in page order:
// the language's code or name (fields "language_code", "language_name",
// "written_in_code", "written_in_name") missing or unusable or the same as
// the default language; a text left empty (kMissing); a text too long
// (kTooLong). With any problem `q` is left as it was.
std::vector<FieldError> translate(Questionnaire& q, const Language& language, const Language& written_in,
                                  const std::map<std::string, std::string>& typed);

}  // namespace coproduce::survey

#endif  // COPRODUCE_SURVEY_TRANSLATION_H_
