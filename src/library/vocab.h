// The codes of the library of co-production examples: settings, the four
// principles, case study statuses and kinds of people involved. Codes are
// what the API, the feed and the database hold; labels are for people.
#ifndef COPRODUCE_LIBRARY_VOCAB_H_
#define COPRODUCE_LIBRARY_VOCAB_H_

#include "activities/activities.h"

namespace coproduce::library {

using activities::Choices;

// nhs, local_authority, care_home, home_care, voluntary_community, housing, other.
const Choices& settings();
// equality, diversity, accessibility, reciprocity.
const Choices& principles();
// draft, in_review, published, withdrawn.
const Choices& statuses();

}  // namespace coproduce::library

#endif  // COPRODUCE_LIBRARY_VOCAB_H_
