// The questionnaire definition file: the project's own JSON format
// (documented in docs/survey-analysis.md, "The definition file").
//
//   {
//     "format": "coproduce-survey/1",
//     "id": "coproduction",
//     "title": "Understanding co-production",
//     "questions": [
//       {"code": "group", "type": "single", "page": 1, "text": "Which describes you best?",
//        "options": [{"code": "workforce", "label": "I work in social care"}, ...],
//        "validation": {"required": true}},
//       {"code": "role", "type": "single", "page": 2, "show_if": "group = 'workforce'", ...}
//     ]
//   }
//
// Errors name the file and either the line and column (malformed JSON) or the
// JSON path of the offending value (/questions/3/options/1/code).
#ifndef COPRODUCE_SURVEY_DEFINITION_H_
#define COPRODUCE_SURVEY_DEFINITION_H_

#include <string>
#include <string_view>

#include "core/status.h"
#include "survey/questionnaire.h"

namespace coproduce::survey {

// Parses and checks a definition held in `text`; `file_name` is used in
// messages. The result has had Questionnaire::finish() called.
StatusOr<Questionnaire> parse_definition(std::string_view text, const std::string& file_name);

// Reads the file at `path` and parses it.
StatusOr<Questionnaire> load_definition(const std::string& path);

// The questionnaire written back in the definition format (pretty-printed).
std::string definition_to_json(const Questionnaire& questionnaire);

// The built-in template 'coproduction' ("Understanding co-production").
const Questionnaire& coproduction_template();

// The text of the built-in template in the definition format.
std::string_view coproduction_template_json();

// A built-in template by name ("coproduction"); NotFound otherwise.
StatusOr<Questionnaire> builtin_template(std::string_view name);

}  // namespace coproduce::survey

#endif  // COPRODUCE_SURVEY_DEFINITION_H_
