// The demonstration's workforce and its co-production learning.
#ifndef COPRODUCE_APP_DEMO_LEARNING_H_
#define COPRODUCE_APP_DEMO_LEARNING_H_

#include <cstdint>

#include "core/clock.h"
#include "core/status.h"
#include "store/database.h"

namespace coproduce::app {

// Adds a made-up workforce of a few hundred across the role categories, with
// co-production learning that thins out towards direct care, requirements,
// a second and third module, a group of co-trainers from the pool and a
// co-delivered session. Does nothing when the organisation has workers.
Status load_learning(store::Database& db, const Clock& clock, int64_t organisation_id, int64_t admin_id);

}  // namespace coproduce::app

#endif  // COPRODUCE_APP_DEMO_LEARNING_H_
