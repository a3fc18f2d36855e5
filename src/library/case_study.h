// A case study of co-production for the library: the story in six parts,
// where it happened, how far up the ladder of co-production it got, who took
// part, an Easy Read version, its images and the consent behind them. Pure:
// no database, no clock. The codes are those of library/vocab.h and
// involvement::ladder_rungs().
#ifndef COPRODUCE_LIBRARY_CASE_STUDY_H_
#define COPRODUCE_LIBRARY_CASE_STUDY_H_

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/vocabulary.h"

namespace coproduce::library {

// One part of the story, in CommonMark. `key` is one of story_sections().
struct Section {
  std::string key;
  std::string markdown;
};

// The parts of a story in the order they are told, each with its heading in
// plain English: need, who, together, changed, cost, learned. need, together
// and changed are required; the others may be left out.
//   for (const auto& [key, heading] : story_sections()) ...
const std::vector<std::pair<std::string, std::string>>& story_sections();

// How many people took part, by kind.
struct PeopleInvolved {
  int lived_experience = 0;  // people with lived experience of care
  int carers = 0;            // unpaid carers and family
  int staff = 0;             // paid staff
};

// The consent of one person named or pictured in the case study. Kept by
// the publishing organisation; never published in the feed (it names people).
struct ConsentRecord {
  std::string who;       // the person's name
  std::string given_on;  // YYYY-MM-DD
  std::string how;       // e.g. "Signed the consent form", "Said yes on a recorded call"
};

struct Image {
  std::string url;  // http:// or https://
  std::string alt;  // what the picture shows, for people who cannot see it
};

// A case study as typed into the form or sent to the API.
struct CaseStudyInput {
  std::string title, summary;
  std::vector<Section> story;
  std::string setting;       // settings() code
  std::string area_of_care;  // free text, e.g. "Dementia care"
  std::string rung;          // involvement::ladder_rungs() code
  std::vector<std::string> principles;  // principles() codes
  PeopleInvolved people;
  std::string outcomes;   // Markdown
  std::string contact;    // text: who to ask about it
  std::string easy_read;  // Markdown: short sentences, images with alt text
  std::vector<Image> images;
  std::vector<ConsentRecord> consents;
};

// Every problem with `study`, each naming its field as the API key does:
// title, summary, story, story.need (one part), setting, area_of_care, rung,
// principles, people.lived_experience, people.carers, people.staff,
// outcomes, contact, easy_read, images, images.0.url, images.0.alt,
// consents, consents.0.who, consents.0.given_on, consents.0.how.
// Text limits count characters, not bytes. Empty when all is well.
std::vector<FieldError> validate(const CaseStudyInput& study);

// validate() less the story parts a draft may still lack: a draft can be
// saved before 'What needed to change', 'What was done together' and 'What
// changed as a result' are written; publishing needs them (validate()).
std::vector<FieldError> validate_draft(const CaseStudyInput& study);
// Whether `error` is one validate_draft() leaves out: a required part of
// the story not written yet.
bool is_unwritten_story_part(const FieldError& error);

// The story from one Markdown text, as the API's "body" sends it: a line
// "## What needed to change" (any story_sections() heading, in any case)
// starts that part; text before the first such heading is 'What was done
// together'. Parts left empty are left out.
std::vector<Section> story_from_markdown(const std::string& markdown);

// The API's JSON for a case study, and back:
//   {"title": "...", "summary": "...",
//    "story": {"need": "...", "together": "...", "changed": "..."},
//    "setting": "care_home", "area_of_care": "...", "rung": "co_production",
//    "principles": ["equality"], "people": {"lived_experience": 4, "carers": 2, "staff": 3},
//    "outcomes": "...", "contact": "...", "easy_read": "...",
//    "images": [{"url": "https://...", "alt": "..."}],
//    "consents": [{"who": "...", "given_on": "2026-03-01", "how": "..."}]}
// Parts of the story left empty are left out of "story".
nlohmann::json case_study_json(const CaseStudyInput& study);

// Reads the JSON above. Absent keys and nulls are left empty (or 0). Every
// problem goes into `errors` (which must not be null): first the shape
// (not an object, a key of the wrong type, an unknown key), then validate()
// for the fields whose shape was right, so one call gives every problem.
// The story comes back in story_sections() order. Never throws.
CaseStudyInput case_study_from_json(const nlohmann::json& json, std::vector<FieldError>* errors);

// The whole story as one Markdown document: each part that has text under
// a level-2 heading ("## What needed to change"), in story_sections() order.
// Render it with learning::render_markdown(story_markdown(s), 0) where the
// page's own heading is the title (h1).
std::string story_markdown(const CaseStudyInput& study);

// The words of the case study as plain text for a search index: title,
// summary, area of care, the story and the outcomes, with Markdown marks,
// link targets and image addresses taken out (alt text and link text kept).
std::string story_text(const CaseStudyInput& study);

// Tags for the feed and for browsing: the labels of the setting, the rung
// and the principles ("Care home", "Co-production", "Equality"), in that
// order, leaving out codes that are not known.
std::vector<std::string> tags_for(const CaseStudyInput& study);

}  // namespace coproduce::library

#endif  // COPRODUCE_LIBRARY_CASE_STUDY_H_
