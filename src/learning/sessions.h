// Co-delivered live sessions: co-production learning taught with people who
// draw on care. A session is an activity (src/activities) of a group of
// co-trainers, people from the involvement pool who said they would
// co-deliver training; its trainers are chosen so the same few do not
// always teach (those who have taught least go first, ties broken by a
// seeded draw), are invited with the role level "trainer", and are paid for
// their time through payments at the trainer rate. Workers are booked on
// it; recording that they attended records the module as completed.
#ifndef COPRODUCE_LEARNING_SESSIONS_H_
#define COPRODUCE_LEARNING_SESSIONS_H_

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "activities/activities.h"
#include "core/clock.h"
#include "core/status.h"
#include "core/vocabulary.h"
#include "store/database.h"

namespace coproduce::learning {

// A co-trainer who could teach, with how many sessions they have taught.
struct Candidate {
  int64_t person_id = 0;
  int sessions = 0;
};

// Pure: the `count` candidates who have taught least, ties broken by a
// shuffle drawn from `seed`, so the choice is fair and can be repeated.
std::vector<int64_t> pick_trainers(std::vector<Candidate> candidates, size_t count, uint64_t seed);

// A session as typed: the module and group chosen, the activity's own
// fields (kind is set to training_session), and how many co-trainers.
struct SessionInput {
  std::string module_id;
  std::string group_id;
  activities::ActivityInput activity;
  std::string trainers = "2";
};

// Every problem with `input` as typed, by field (module_id, group_id,
// trainers, and the activity's own fields). Whether the module and group
// exist is checked when the session is made.
std::vector<FieldError> validate(const SessionInput& input);

struct SessionTrainer {
  int64_t person_id = 0;
  std::string name;
  std::string attendance;  // as the activity records it
};

struct SessionLearner {
  int64_t worker_ref = 0;
  std::string worker_id;
  std::string name;
  std::string attendance;  // "", attended, did_not_attend
};

struct Session {
  int64_t id = 0;
  int64_t module_id = 0;
  std::string module_title;
  activities::Activity activity;
  std::vector<SessionTrainer> trainers;
  std::vector<SessionLearner> learners;
};

// How sessions are shared among co-trainers, as the familiar-voices figures
// show it for groups.
struct TrainerShare {
  struct Row {
    int64_t person_id = 0;
    std::string name;
    int sessions = 0;
  };
  std::vector<Row> rows;          // most sessions first; everyone on a co-trainers group, taught or not
  int sessions = 0;               // sessions not cancelled
  std::optional<double> top_decile_share;  // of trainer places held by the busiest tenth
  std::optional<double> gini;
};

class Sessions {
 public:
  // `db` and `clock` must outlive this. Thread-safe.
  Sessions(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Plans a session: its activity, then the co-trainers, picked fairly with
  // `seed`. All or nothing, in one write transaction, so of sessions planned
  // at once each counts the co-trainers the others chose. Problems name
  // module_id, group_id, trainers or the activity's fields.
  StatusOr<Session> create(int64_t organisation_id, const SessionInput& input, uint64_t seed, const Actor& actor);
  StatusOr<std::vector<Session>> list(int64_t organisation_id);
  // One session with its trainers' and learners' names: audited as a read.
  StatusOr<Session> get(int64_t organisation_id, int64_t id, const Actor& actor);
  // Books workers on the session (those in post, not already booked). Returns how many.
  StatusOr<int> book(int64_t organisation_id, int64_t id, const std::vector<int64_t>& worker_refs, const Actor& actor);
  // Records who attended, all or nothing, from the day of the session; each
  // worker who attended has the module recorded as completed on that day.
  Status record_attendance(int64_t organisation_id, int64_t id, const std::vector<int64_t>& attended,
                           const Actor& actor);
  StatusOr<TrainerShare> sharing(int64_t organisation_id);

 private:
  store::Database& db_;
  const Clock& clock_;
};

}  // namespace coproduce::learning

#endif  // COPRODUCE_LEARNING_SESSIONS_H_
