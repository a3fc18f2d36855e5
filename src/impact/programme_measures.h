// The measurements of a programme's platform and survey indicators, worked
// out from the records as programmes.h describes each measure. Internal to
// src/impact: Programmes is the way in.
//
// Each kind of record (places, payments, ratings, actions, equality
// answers, a survey's responses, learning coverage) is read at most once
// per MeasureReader however many indicators and periods need it, and a
// figure two indicators share is worked out once.
#ifndef COPRODUCE_IMPACT_PROGRAMME_MEASURES_H_
#define COPRODUCE_IMPACT_PROGRAMME_MEASURES_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "core/status.h"
#include "core/vocabulary.h"
#include "impact/programmes.h"
#include "store/database.h"

namespace coproduce::impact::detail {

// The ids of the programme's activities: those of its groups and those
// listed. Parameters: $1 the organisation, $2 the programme.
inline constexpr const char* kScopeActivities =
    "SELECT s.id FROM activities s WHERE s.organisation_id = $1 AND (s.group_id IN"
    " (SELECT group_id FROM programme_groups WHERE programme_id = $2) OR s.id IN"
    " (SELECT activity_id FROM programme_activities WHERE programme_id = $2))";

struct Dated {
  std::string date;    // "YYYY-MM-DD"
  int64_t amount = 0;  // pence, or a rung from 1
};

// Payments for time (dated by their activity's day) or expense claims (by
// the day incurred) for the programme's activities, approved or paid.
StatusOr<std::vector<Dated>> paid_rows(store::Connection& c, int64_t org, int64_t programme, bool payments);

// Rungs reached, who is involved and who is missing in `period` (real
// dates, checked by the caller), with the read of equality answers recorded
// against `actor`.
StatusOr<ProgrammeReach> reach(store::Connection& c, int64_t org, const Programme& programme, const Period& period,
                               const Clock& clock, const Actor& actor);

class MeasureReader {
 public:
  // Everything given must outlive the reader. `reader`, when given, is
  // recorded in the audit log the first time equality answers are read.
  MeasureReader(store::Connection& c, int64_t org, const Programme& programme, const LearningCoverage& learning,
                const Clock& clock, const Actor* reader);
  ~MeasureReader();
  MeasureReader(const MeasureReader&) = delete;
  MeasureReader& operator=(const MeasureReader&) = delete;

  // The measurements of the platform or survey indicator `d` (which passed
  // validate), one per period of its frequency from the programme's start
  // to the period holding `last` (on or after the start), oldest first.
  // `complete` is left for the caller to set.
  StatusOr<std::vector<Measurement>> series(const IndicatorDefinition& d, const std::string& last);

 private:
  struct Data;
  StatusOr<Measurement> platform(const IndicatorDefinition& d, const MeasurePeriod& period, const std::string& last);
  StatusOr<Measurement> survey(const IndicatorDefinition& d, const MeasurePeriod& period, const std::string& last);
  StatusOr<std::vector<Measurement>> learning(const std::vector<MeasurePeriod>& periods, const std::string& last);

  store::Connection& c_;
  int64_t org_;
  const Programme& programme_;
  const LearningCoverage& learning_;
  const Clock& clock_;
  const Actor* reader_;
  std::unique_ptr<Data> data_;  // loaded as measures need it
};

}  // namespace coproduce::impact::detail

#endif  // COPRODUCE_IMPACT_PROGRAMME_MEASURES_H_
