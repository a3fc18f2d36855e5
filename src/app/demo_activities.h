// The demonstration's year of activities, attendance and payments.
#ifndef COPRODUCE_APP_DEMO_ACTIVITIES_H_
#define COPRODUCE_APP_DEMO_ACTIVITIES_H_

#include <cstdint>

#include "core/clock.h"
#include "core/status.h"
#include "store/database.h"

namespace coproduce::app {

// Adds a year of activities to the demonstration groups; does nothing when
// the organisation has activities already.
Status load_activities(store::Database& db, const Clock& clock, int64_t organisation_id, int64_t admin_id);

}  // namespace coproduce::app

#endif  // COPRODUCE_APP_DEMO_ACTIVITIES_H_
