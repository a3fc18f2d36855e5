// What Coproduce knows about one group, gathered so a lead can start a case
// study from it, and the first draft made from those records. The draft
// holds what the records say (what was done, who took part, what changed,
// what was paid); the lead writes the narrative ('What needed to change'
// and 'What we learned') and checks the rest before anything is published.
//
// Nothing in the record or the draft names a person: people are counted,
// never listed, and 'you said, we did' examples that mention anyone linked
// to the group are left out. Figures about the mix of people are suppressed
// below the familiar-voices threshold (impact::kMinPeopleForBreakdown).
//
//   auto record = library::group_record(db, clock, org, group_id, actor);
//   if (!record.ok()) return record.status();  // NotFound: not this organisation's group
//   library::CaseStudyInput draft = library::draft_from_record(*record);
#ifndef COPRODUCE_LIBRARY_GROUP_RECORD_H_
#define COPRODUCE_LIBRARY_GROUP_RECORD_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "core/vocabulary.h"
#include "impact/measures.h"
#include "library/case_study.h"
#include "store/database.h"

namespace coproduce::library {

// How often each rung of the ladder of co-production was given.
struct RungCounts {
  std::map<std::string, int> by_rung;  // involvement::ladder_rungs() code -> how many
  int total = 0;
  // The rung given most often; a tie goes to the lower rung, so the draft
  // claims no more than the records show. Empty when there are none.
  std::string most_common;
  std::string highest;  // the highest rung given; empty when there are none
};

// A 'you said, we did' action that was done, as members raised it.
struct ActionExample {
  std::string you_said;
  std::string we_did;
};

// One value of a category of the mix, safe to publish.
struct MixValue {
  std::string code;   // "black"
  std::string label;  // "Black, Black British, Black Welsh, Caribbean or African"
  // Share of the attendances whose answer is known; nullopt when fewer
  // than the threshold attendances had this value (0 included).
  std::optional<double> share;
  std::optional<double> benchmark_share;  // nullopt when the benchmark has none
};

struct MixCategory {
  std::string code;   // "ethnic_group"
  std::string label;  // "Ethnic group"
  enum class Hidden {
    kNo,
    kTooFewAnswered,  // fewer people than the threshold answered
    kOneSmallFigure,  // only one value is below the threshold: the others would give it away
  };
  Hidden hidden = Hidden::kNo;
  int64_t people_known = 0;      // people who answered; 0 when hidden
  std::vector<MixValue> values;  // in impact::benchmark_categories() order; empty when hidden
};

// The group's mix against the benchmark, counted by attendance as on the
// familiar-voices dashboard.
struct Mix {
  int64_t threshold = impact::kMinPeopleForBreakdown;
  bool suppressed = true;        // fewer people than the threshold took part: nothing broken down
  bool local_benchmark = false;  // the organisation's own figures, not the Census
  std::vector<MixCategory> categories;
};

// The mix from the familiar-voices representativeness of one group, with
// every figure below `threshold` hidden. representativeness() already hides
// categories too few people answered; on top of that a value with fewer
// than `threshold` attendances loses its share, and a category where just
// one value does so is hidden whole (its share is 100% less the others).
// Values keep the benchmark's order, not the most under-represented first,
// because that order would hint at the hidden values. Pure.
Mix publishable_mix(const impact::Representativeness& representativeness, bool local_benchmark,
                    int64_t threshold = impact::kMinPeopleForBreakdown);

// What Coproduce knows about one group, for a case study. Dates are
// "YYYY-MM-DD"; money is whole pence.
struct GroupRecord {
  int64_t group_id = 0;
  std::string group_name;
  std::string purpose;     // as the group's page gives it
  std::string setting;     // involvement::group_settings() code
  std::string ladder_aim;  // the rung the group aims for

  // Activities held (cancelled and not yet held ones left out).
  int activities_held = 0;
  std::map<std::string, int> kinds;   // activities::activity_kinds() code -> how many held
  std::string first_held, last_held;  // empty when none were held
  int64_t minutes = 0;                // time people gave, in all

  RungCounts lead_rungs;  // the lead's rating of each held activity
  // Members' own anonymous ratings, online and on paper. Online ratings of
  // an activity count only when there are activities::kRatingsShownFrom or
  // more, as on the activity's page, so nobody's can be told apart.
  RungCounts member_rungs;

  int actions_total = 0;  // 'you said, we did' actions from the group's activities
  int actions_done = 0;   // of those, done
  // Up to kMaxExamples done actions, earliest due first, leaving out any
  // whose text contains a word of the name of a member, a person invited
  // or a staff user of the organisation.
  std::vector<ActionExample> examples;

  int64_t people_taken_part = 0;  // distinct people who attended
  // Attendances that were the person's first at the organisation: in effect
  // the people whose first ever place was in this group (the dashboard's
  // newcomer_places; two places at the very same start time both count).
  int64_t newcomers = 0;
  // Of the people who took part: those who said they are unpaid carers or
  // family members and not that they draw on care themselves, and the rest
  // (people in the pool are there for their lived experience).
  int64_t carers = 0;
  int64_t lived_experience = 0;

  Mix mix;

  // Payments for time and expense claims for the group's activities.
  int64_t time_paid_pence = 0;        // payments marked paid
  int64_t expenses_paid_pence = 0;    // claims marked paid
  int64_t approved_unpaid_pence = 0;  // payments and claims approved, not yet paid
  int64_t people_paid = 0;            // distinct people paid for time or expenses
};

inline constexpr size_t kMaxExamples = 3;

// Gathers the record of one of the organisation's groups. A group of another
// organisation, or none, is NotFound. Reads equality monitoring (through
// impact::FamiliarVoices) and people's names, so it is audited, as
// "familiar-voices.read" and "group-record.read". Each part is read in its
// own transaction, so a change made meanwhile may show in one figure and not
// another. `db` and `clock` are only used during the call. Thread-safe.
StatusOr<GroupRecord> group_record(store::Database& db, const Clock& clock, int64_t organisation_id, int64_t group_id,
                                   const Actor& actor);

// A first draft of a case study from `record`, in plain English: a title
// and summary, the 'who', 'together', 'changed' and 'cost' parts of the
// story, the setting (when the group's maps to one), the rung (the lead's
// most common), the reciprocity principle when people were paid, and the
// people involved. 'need' and 'learned' are left out for the lead to write,
// so validate() asks for 'need'. Text from the records is escaped so it
// cannot add Markdown of its own. Pure.
CaseStudyInput draft_from_record(const GroupRecord& record);

}  // namespace coproduce::library

#endif  // COPRODUCE_LIBRARY_GROUP_RECORD_H_
