// The codes of the learning module: Care Workforce Pathway role categories,
// closeness to direct care (the survey template's role scale), Care
// Certificate status and standards, delivery kinds and learning statuses.
// Codes are what the API, files and the database hold; labels are for people.
#ifndef COPRODUCE_LEARNING_VOCAB_H_
#define COPRODUCE_LEARNING_VOCAB_H_

#include <string>
#include <utility>
#include <vector>

#include "activities/activities.h"

namespace coproduce::learning {

using activities::Choices;  // code, label pairs

// new_to_care, care_worker, enhanced_care_worker, personal_assistant,
// supervisor_leader, practice_leader, deputy_manager, registered_manager,
// not_on_pathway.
const Choices& role_categories();
// direct_care, supervisor, registered_manager, senior_manager, commissioner,
// other_role: from nearest to direct care to furthest, as the survey
// template's "role" question asks it.
const Choices& closeness_levels();
// completed, in_progress, not_started.
const Choices& care_certificate_statuses();
// "1".."16": the Care Certificate standards (2025), labelled with their names.
const Choices& care_certificate_standards();
// elearning (taken here), live (a live session, possibly co-delivered), external.
const Choices& delivery_kinds();
// done, due, overdue, expired, not_required: a worker's status for a module.
const Choices& learning_statuses();

// The label of `code` in `choices`, or `code` itself when it is not there;
// and whether `code` is one of `choices` (the activities module's helpers).
inline std::string label_of(const Choices& choices, const std::string& code) {
  return activities::label(choices, code);
}
inline bool has_code(const Choices& choices, const std::string& code) { return activities::is_choice(choices, code); }

}  // namespace coproduce::learning

#endif  // COPRODUCE_LEARNING_VOCAB_H_
