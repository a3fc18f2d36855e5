// The demonstration's programme and business case.
#ifndef COPRODUCE_APP_DEMO_IMPACT_H_
#define COPRODUCE_APP_DEMO_IMPACT_H_

#include <cstdint>

#include "core/clock.h"
#include "core/status.h"
#include "store/database.h"

namespace coproduce::app {

// Adds the programme 'Carers' voices' around the Carers' Partnership Board:
// its theory of change, indicators (some entered by hand with a year of
// monthly measurements and their evidence, some platform measures), staff
// grades, staff time for the board's activities, venue, catering and
// accessibility costs, and two valued outcomes, so the business case has a
// ratio. Everything goes through impact::Programmes. Run after load_pool and
// load_activities. Does nothing when the programme exists already or the
// board does not.
Status load_impact(store::Database& db, const Clock& clock, int64_t organisation_id, int64_t admin_id);

}  // namespace coproduce::app

#endif  // COPRODUCE_APP_DEMO_IMPACT_H_
