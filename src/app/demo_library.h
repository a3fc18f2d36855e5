// The demonstration's library of co-production case studies.
#ifndef COPRODUCE_APP_DEMO_LIBRARY_H_
#define COPRODUCE_APP_DEMO_LIBRARY_H_

#include <cstdint>

#include "core/clock.h"
#include "core/status.h"
#include "store/database.h"

namespace coproduce::app {

// Adds a dozen made-up case studies across every setting and a spread of
// rungs, each with an Easy Read version: most published, one drafted from the
// Carers' Partnership Board's records and approved by a member who agreed to
// be credited, one waiting for the demonstration participant's review, one
// draft and one withdrawn. Run after load_pool and load_activities (the
// drafted one reads the board's activities, actions and payments). Does
// nothing when the organisation has case studies of its own.
Status load_library(store::Database& db, const Clock& clock, int64_t organisation_id, int64_t admin_id);

}  // namespace coproduce::app

#endif  // COPRODUCE_APP_DEMO_LIBRARY_H_
