// Learning beside knowledge: from the organisation's own co-production
// survey (one built on the template, asking "knowledge" and "role"), the
// share of workers at each closeness to direct care who say they know a fair
// amount or a lot about co-production, with the survey's small-number
// suppression. So a learning lead sees whether learning reaches those the
// briefing found knew least.
#ifndef COPRODUCE_LEARNING_SURVEY_KNOWLEDGE_H_
#define COPRODUCE_LEARNING_SURVEY_KNOWLEDGE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "core/vocabulary.h"
#include "store/database.h"

namespace coproduce::learning {

struct KnowledgeRow {
  std::string closeness;        // the survey's role code, the same as closeness_levels()
  std::optional<double> share;  // knowing a fair amount or a lot; none when held back
  std::string count_text;       // as shown (rounded or hidden)
  std::string base_text;
};

struct SurveyKnowledge {
  int64_t survey_id = 0;
  std::string survey_title;
  std::vector<KnowledgeRow> rows;  // in closeness order, for roles with answers
  std::string suppression;         // the note on small numbers
};

// The newest survey of the organisation that asks both questions and has a
// complete response, analysed; nullopt when there is none. Reading the
// responses is audited as survey.responses.read.
StatusOr<std::optional<SurveyKnowledge>> survey_knowledge(store::Database& db, const Clock& clock,
                                                          int64_t organisation_id, const Actor& actor);

}  // namespace coproduce::learning

#endif  // COPRODUCE_LEARNING_SURVEY_KNOWLEDGE_H_
