// The questionnaire model: questions, their options, pages, show-if
// conditions and validation rules.
//
// A Questionnaire is a plain value. Build one with load_definition() (from the
// project's JSON definition format, see definition.h) or coproduction_template();
// both check it with Questionnaire::finish(), which resolves the show-if
// conditions against the questions. After that the object is immutable and
// safe to share between threads.
#ifndef COPRODUCE_SURVEY_QUESTIONNAIRE_H_
#define COPRODUCE_SURVEY_QUESTIONNAIRE_H_

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "survey/calculation.h"
#include "survey/expression.h"

namespace coproduce::survey {

enum class QuestionType {
  kSingle,     // one option
  kMultiple,   // any number of options (optionally one of them 'other, please specify')
  kRating,     // a numbered scale, e.g. 0 to 10; options are the points "0".."10"
  kLikert,     // a grid of statements (items) each rated on the same 5- or 7-point scale
  kYesNo,      // options yes, no
  kNumber,
  kDate,       // YYYY-MM-DD
  kShortText,
  kLongText,
  kDisplay,    // text shown to the person; no answer
};

// "single", "multiple", ... as written in a definition file.
std::string_view type_name(QuestionType type);
std::optional<QuestionType> parse_type(std::string_view name);

// A questionnaire's text in its languages other than the default one. The
// default language's wording stays in the plain string beside each
// Translations (Question::text, Option::label, ...), so code that works in
// one language, such as analysis and exports, needs nothing else:
//
//   q.text_translations.in("cy", q.text)  // the Welsh, or the default text
//
// Keys are language codes from Questionnaire::languages; a missing or empty
// text falls back to the default language's.
struct Translations {
  std::map<std::string, std::string> by_language;

  // The text in `language`, or `fallback` when there is none. The result
  // refers into this object or to `fallback`.
  const std::string& in(std::string_view language, const std::string& fallback) const;
  // Sets the text in `language`; an empty text removes it.
  void set(const std::string& language, std::string text);
  bool empty() const { return by_language.empty(); }
  bool operator==(const Translations&) const = default;
};

// A language a questionnaire is written in.
struct Language {
  std::string code;  // "cy": from "Cymraeg (cy)", or the name itself when no code is given ("français")
  std::string name;  // "Cymraeg"
  bool operator==(const Language&) const = default;
};

// The other columns of a choice on an XLSForm choices sheet (county=north),
// which a choice_filter reads. One map per choices-sheet row: a code may
// stand for several rows when the form allows duplicate choice names.
using ChoiceColumns = std::map<std::string, std::string>;

struct Option {
  std::string code;
  std::string label;
  Translations label_translations = {};
  std::vector<ChoiceColumns> columns = {};
};

struct Validation {
  bool required = false;
  std::optional<double> min;          // number: smallest value; text: fewest characters
  std::optional<double> max;          // number: largest value; text: most characters
  std::string pattern;                // short text: an ECMAScript regular expression the whole answer matches
  std::optional<int> min_choices;     // multiple: fewest options ticked
  std::optional<int> max_choices;     // multiple: most options ticked
  // What a respondent reads when the answer is missing or fails a check;
  // empty means the standard wording ("Enter an answer: ...").
  std::string required_message;
  Translations required_message_translations = {};
  std::string constraint_message;
  Translations constraint_message_translations = {};
};

struct Question {
  std::string code;     // letters, digits and _, starting with a letter
  QuestionType type = QuestionType::kSingle;
  std::string text;     // the question as asked
  std::string hint;
  std::string guidance;  // longer guidance for whoever helps a person answer (XLSForm guidance_hint)
  Translations text_translations = {};
  Translations hint_translations = {};
  Translations guidance_translations = {};
  // The answer filled in before the person changes it, as the form would
  // send it: an option code (several separated by spaces for multiple
  // choice), a number, a date or text. Empty means none.
  std::string default_answer;
  // Shown with its default answer, which the person cannot change (XLSForm
  // read_only): a value the survey gives, such as the name of the service
  // being asked about. Its answer is always the default (or, with a
  // trigger, what the trigger filled in), sent, exported and read by
  // conditions like any other; it is never required.
  bool read_only = false;
  int page = 1;         // pages count from 1
  // Options in the order shown. For ordinal questions (rating, Likert and any
  // single question marked `ordered`) the order is the order of the scale.
  std::vector<Option> options;
  bool ordered = false;
  bool other_specify = false;         // multiple: the option coded "other" asks for details
  bool dont_know = false;             // Likert: adds the option dont_know after the scale
  std::vector<Option> items;          // Likert: the statements; rank: the things put in order
  // A grid that puts its items in order (definition type "rank", XLSForm
  // rank): the options are the places 1, 2, ... one per item, each given to
  // one item only. Stored and analysed as a Likert grid of places.
  bool rank = false;
  std::string show_if;                // the condition as written; empty means always shown
  Expression condition;               // compiled by Questionnaire::finish()
  Validation validation;
  // A value worked out from earlier answers rather than asked (XLSForm
  // calculate), as written (calculation.h); empty for a question that is
  // asked. Such a question is never shown; its answer is worked out when
  // the answers are sent, exported like any other and may be read by later
  // conditions. Its type says what it gives: number, short_text, or single
  // whose options are the texts it can give.
  std::string calculation;
  Calculation calculate;              // compiled by Questionnaire::finish()
  // The code of an earlier question asked once (XLSForm trigger): whenever
  // its answer changes, this question's answer is set to `calculation`
  // worked out from the answers so far, or cleared when there is none. The
  // question is then asked like any other and the person may change what
  // was filled in. Empty for none.
  std::string trigger;
  // Which options to offer, worked out per option from earlier answers and
  // the option's columns (XLSForm choice_filter, e.g. county = ${county});
  // empty offers them all.
  std::string choice_filter;
  Calculation filter;                 // compiled by Questionnaire::finish()
  std::vector<std::string> choice_column_names;  // by finish(): the columns `filter` reads, by index
  // The repeat (Questionnaire::repeats) this question is asked in, once per
  // instance, or -1 for a question asked once.
  int repeat = -1;

  bool has_options() const { return !options.empty(); }
  bool calculated() const { return !calculation.empty() && trigger.empty(); }
  // The index of the option coded `code`, or -1.
  int option_index(std::string_view code) const;
  // The question's wording in `language` (a code from
  // Questionnaire::languages), falling back to the default language.
  const std::string& text_in(std::string_view language) const { return text_translations.in(language, text); }
  const std::string& hint_in(std::string_view language) const { return hint_translations.in(language, hint); }
};

// A question or Likert item as one analysable column of data.
struct Variable {
  std::string code;     // the question code, or code[item] for a Likert item
  size_t question = 0;  // index into Questionnaire::questions
  int item = -1;        // Likert item index, or -1
  std::string label;
};

// A group of questions a person answers several times, once for each of
// something (XLSForm begin repeat ... end repeat): each service they use,
// each person they care for. Its questions are contiguous in
// Questionnaire::questions, have Question::repeat set to the repeat's index
// and fill one page of their own.
//
// A response holds the answers of instance k (counting from 1) under
// instance_key(code, k) ("service#2") and the number of instances under the
// repeat's own code (one value, "3"), so a response's answers stay one map.
// Exports write one row per instance in a second table (response_id,
// instance, then the repeat's columns), as KoboToolbox does.
struct Repeat {
  std::string code;        // unique among question codes
  std::string label;       // what one instance is, e.g. "Service you use"
  Translations label_translations = {};
  std::string hint;
  Translations hint_translations = {};
  // How many instances: empty lets the person add as many as they need (up
  // to max); a whole number ("3") fixes it; a question code names an earlier
  // number question whose answer gives it (XLSForm repeat_count ${code}).
  std::string count;
  int max = 20;            // the most instances a response may hold (1..100)
  std::string show_if;     // when the repeat is asked at all; empty means always
  Expression condition;    // compiled by Questionnaire::finish()

  // Derived by finish():
  size_t first = 0;        // its questions are [first, end) in Questionnaire::questions
  size_t end = 0;
  int page = 1;
  int fixed_count = -1;                    // count as a number, or -1
  int count_question = -1;                 // count as a question index, or -1
  std::vector<Variable> variables;         // its non-display questions, Likert items expanded

  const std::string& label_in(std::string_view language) const { return label_translations.in(language, label); }
};

// The key of instance `instance` (from 1) of a repeat's question `code` in a
// response's answers: "service#2". Codes hold no '#', so it is unambiguous.
std::string instance_key(std::string_view code, int instance);
// The code and instance of a key made by instance_key(), or nullopt.
std::optional<std::pair<std::string, int>> split_instance_key(std::string_view key);

struct Questionnaire {
  std::string id;       // a short name, e.g. "coproduction"
  std::string title;
  std::string description;
  Translations title_translations = {};
  Translations description_translations = {};
  // The languages the questionnaire is written in, the default one first;
  // empty for a questionnaire in one unnamed language. The plain strings
  // (title, Question::text, Option::label, ...) are in languages[0].
  std::vector<Language> languages;
  std::vector<Question> questions;
  std::vector<Repeat> repeats;       // in question order

  // Derived by finish():
  int pages = 1;
  // Every non-display question asked once (not in a repeat), Likert items
  // expanded: the columns of the main response table.
  std::vector<Variable> variables;

  // Checks codes, options and rules, compiles every show-if condition and
  // fills `pages` and `variables`. `where` names the source for messages
  // (the definition file); the Location's field is set to a JSON path such as
  // /questions/3/show_if. Must be called once before the questionnaire is used.
  Status finish(const std::string& where);

  // The index of the question coded `code`, or nullopt.
  std::optional<size_t> find(std::string_view code) const;
  // The index into `variables` of `code` ("group" or "grid[item]"), or nullopt.
  std::optional<size_t> find_variable(std::string_view code) const;
  // The index of the repeat coded `code`, or nullopt.
  std::optional<size_t> find_repeat(std::string_view code) const;
  // The repeat whose page is `page`, or nullptr.
  const Repeat* repeat_on_page(int page) const;
  // The language coded `code`, or nullptr.
  const Language* find_language(std::string_view code) const;
  // The default language's code, or "" for a questionnaire with none named.
  std::string default_language() const { return languages.empty() ? std::string() : languages[0].code; }
};

// The standard Likert scale of 5 or 7 points, least to most agreement.
std::vector<Option> likert_scale(int points);
// The places of a rank question putting `count` things in order: 1 to count.
std::vector<Option> rank_places(size_t count);

// The maximum number of options a multiple-choice question may have (they are
// stored as bits of a 64-bit word).
inline constexpr size_t kMaxMultipleOptions = 64;

}  // namespace coproduce::survey

#endif  // COPRODUCE_SURVEY_QUESTIONNAIRE_H_
