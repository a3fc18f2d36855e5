// What a learning module teaches and asks: its description, its pages in
// Markdown (standard and Easy Read), and its knowledge check. Pure: no
// database. The built-in starter module, "Working in co-production", is
// kept as JSON in starter_module.json and embedded in the program.
#ifndef COPRODUCE_LEARNING_CONTENT_H_
#define COPRODUCE_LEARNING_CONTENT_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "core/vocabulary.h"

namespace coproduce::learning {

struct ContentPage {
  std::string title;
  std::string body;  // CommonMark; raw HTML is not rendered
};

struct AnswerOption {
  std::string text;
  bool correct = false;
  std::string feedback;  // shown after the check, for this option
};

struct Question {
  std::string text;
  bool multiple = false;  // false: choose one; true: choose all that apply
  std::vector<AnswerOption> options;
};

struct ModuleContent {
  std::string title;
  std::string summary;
  std::vector<std::string> outcomes;         // "By the end you will be able to ..."
  std::vector<std::string> role_categories;  // vocab role_categories() codes it is for; empty: every role
  std::vector<std::string> standards;        // Care Certificate standard codes "1".."16"
  std::string delivery = "elearning";        // delivery_kinds()
  int minutes = 0;                           // length, 1 to 1440
  std::optional<int> refresh_months;         // 1 to 120; none when it never needs refreshing
  std::vector<ContentPage> pages;            // for elearning, at least one
  std::vector<ContentPage> easy_read;        // optional
  std::vector<Question> questions;           // the knowledge check; may be empty
  int pass_mark = 80;                        // percent of questions right to pass, 1 to 100
  // The module's words in other languages, by language code ("cy"). Each
  // holds the title, summary, outcomes, pages, Easy Read pages and the
  // questions' and options' texts and feedback, as many and in the same
  // order as the module's own; everything else (codes, length, the right
  // answers) is the module's. JSON: "translations": {"cy": {"title": ...,
  // "pages": [...], "questions": [{"text": ..., "options": [{"text": ...,
  // "feedback": ...}]}]}}.
  std::map<std::string, ModuleContent> translations;
};

// `content` with its words in `language` when it has a translation into
// it, else `content` as it is; `*words` (when not null) is set to the
// language its words are then in: `language`, or "en".
ModuleContent in_language(const ModuleContent& content, const std::string& language, std::string* words = nullptr);

// Every problem with `content`, by field: title, summary, outcomes,
// role_categories, standards, delivery, minutes, refresh_months, pages,
// questions (and "questions.N" / "pages.N" for one of them), pass_mark.
std::vector<FieldError> validate(const ModuleContent& content);

// JSON in the layout of starter_module.json, and back. from_json checks the
// shape (types, required keys) and then validate(); a problem names the key.
nlohmann::json content_json(const ModuleContent& content);
StatusOr<ModuleContent> content_from_json(const nlohmann::json& json);

// The module's words alone (title, summary, outcomes, pages, Easy Read, the
// questions' and options' texts and feedback), as a translation holds them.
nlohmann::json words_json(const ModuleContent& content);

// The built-in starter module, "Working in co-production", parsed once from
// the embedded starter_module.json. Thread-safe.
const ModuleContent& starter_module();

// A learner's answers: for each question, the indexes of the options chosen.
using Answers = std::vector<std::vector<int>>;

struct QuestionResult {
  bool correct = false;
  std::vector<int> chosen;
  std::vector<std::string> feedback;  // the feedback of each chosen option, in order
};

struct CheckResult {
  int correct = 0;
  int total = 0;
  int percent = 0;  // rounded down
  bool passed = false;
  std::vector<QuestionResult> questions;
};

// Marks `answers` against the questions. A question is right when exactly
// the correct options were chosen. Answers with a missing question, no
// choice, several choices for a single-choice question or an index out of
// range are kInvalidInput naming the field "question-N" (N from 1).
StatusOr<CheckResult> mark(const ModuleContent& content, const Answers& answers);

}  // namespace coproduce::learning

#endif  // COPRODUCE_LEARNING_CONTENT_H_
