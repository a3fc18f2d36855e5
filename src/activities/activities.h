// What a group does once it exists: activities (meetings, workshops,
// interview panels, co-design sessions, consultation events), invitations in
// each person's preferred format, answers, attendance and hours, and
// afterwards the notes, decisions, 'you said, we did' actions and the rung of
// the ladder of co-production the activity reached, rated by the lead and,
// separately and anonymously, by the members who took part.
#ifndef COPRODUCE_ACTIVITIES_ACTIVITIES_H_
#define COPRODUCE_ACTIVITIES_ACTIVITIES_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "involvement/people.h"
#include "store/database.h"

namespace coproduce::activities {

using involvement::Actor;
using involvement::FieldError;
using Choices = std::vector<std::pair<std::string, std::string>>;  // code, label

const Choices& activity_kinds();     // meeting, workshop, interview_panel, co_design, consultation_event, training_session
const Choices& responses();          // coming, not_coming
const Choices& attendance_choices(); // attended, apologies, did_not_attend
const Choices& action_statuses();    // planned, in_progress, done, not_doing
const Choices& invitation_formats(); // email, letter, large_print, easy_read, phone
const Choices& role_levels();        // member, chair, adviser, trainer: the levels of the rate table
std::string label(const Choices& choices, const std::string& code);
// Whether `code` is one of `choices`.
bool is_choice(const Choices& choices, const std::string& code);

// The format an invitation goes to a person in, from what they asked for:
// Easy Read, then large print, then a letter by post, a call, or an email.
std::string invitation_format(const involvement::PersonDetails& details);

// An activity as typed into the form: the date as day, month and year
// fields, the time as "HH:MM" (24-hour) and the length in minutes.
struct ActivityInput {
  std::string kind;
  std::string title;
  std::string day, month, year;
  std::string time;
  std::string duration_minutes;
  std::string place;
  std::string link;
  std::string letter_text;
  std::string easy_read_text;
};

// Every problem with `input`, by form field (date problems name "day").
std::vector<FieldError> validate(const ActivityInput& input);

struct Activity {
  int64_t id = 0;
  int64_t organisation_id = 0;
  int64_t group_id = 0;
  std::string group_name;
  std::string kind;
  std::string title;
  std::string starts_at;  // local "YYYY-MM-DDTHH:MM"
  int duration_minutes = 0;
  std::string place;
  std::string link;
  std::string letter_text;
  std::string easy_read_text;
  std::string status;  // scheduled, held, cancelled
  std::string notes;
  std::string decisions;
  std::string lead_rung;  // empty until the lead rates it
  int invited = 0;
  int attended = 0;
};

// One person invited, with what the organiser needs before the day.
struct Invitation {
  int64_t person_id = 0;
  std::string name;
  std::string format;
  std::string response;    // "", coming, not_coming
  std::string attendance;  // "", attended, apologies, did_not_attend
  int minutes = 0;
  std::string role_level;
  bool rated = false;
  std::vector<std::string> access_needs;  // option codes
  std::string access_other;
  std::string other_language;
  std::vector<std::string> formats;
  std::string payment;  // the person's payment preference: paid, declined or ""
  bool benefits_advice = false;
};

// Attendance as recorded after the day, for one person.
struct AttendanceEntry {
  int64_t person_id = 0;
  std::string attendance;  // attended, apologies, did_not_attend
  std::string minutes;     // as typed; for attended only, 1 to 1440; empty means the whole activity
  std::string role_level;  // empty keeps what it was
};

struct ActionInput {
  std::string you_said;
  std::string we_did;
  std::string owner;
  std::string status;
  std::string day, month, year;  // due date
};
std::vector<FieldError> validate(const ActionInput& input);

struct Action {
  int64_t id = 0;
  int64_t activity_id = 0;
  std::string activity_title;
  std::string you_said;
  std::string we_did;
  std::string owner;
  std::string status;
  std::string due_on;  // YYYY-MM-DD
  std::string updated_at;
};

// Ratings of the rung reached, by rung code: members' own (anonymous), and
// those collected on paper and added by staff, kept apart.
struct RungRatings {
  std::map<std::string, int> members;
  int member_total = 0;
  std::map<std::string, int> paper;
  int paper_total = 0;
};

// Fewer members' ratings than this are not shown, so nobody's can be told
// apart. Paper ratings do not count towards it: staff add those, and could
// otherwise add a few to reveal the one member who rated.
inline constexpr int kRatingsShownFrom = 3;

// An activity a person was invited to, as they see it.
struct PersonActivity {
  Activity activity;
  std::string response;
  std::string attendance;
  int minutes = 0;
  bool rated = false;
};

// Whether the person attended and has not yet said how much say they had.
bool waits_for_rating(const PersonActivity& pa);
// The meetings in `mine` (a person's, as for_person gives them) that wait
// for the person's rating, in the same order.
std::vector<PersonActivity> waiting_for_rating(const std::vector<PersonActivity>& mine);

class Activities {
 public:
  // `db` and `clock` must outlive this. Thread-safe.
  Activities(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  StatusOr<Activity> create(int64_t organisation_id, int64_t group_id, const ActivityInput& input, const Actor& actor);
  // create inside the caller's write transaction on `c`, a connection of this
  // service's database, so another module can make an activity together with
  // its own records: nothing is committed here.
  StatusOr<Activity> create_in(store::Connection& c, int64_t organisation_id, int64_t group_id,
                               const ActivityInput& input, const Actor& actor);
  Status update(int64_t organisation_id, int64_t id, const ActivityInput& input, const Actor& actor);
  StatusOr<Activity> get(int64_t organisation_id, int64_t id);
  // Newest first; a group's only when `group_id` is given.
  StatusOr<std::vector<Activity>> list(int64_t organisation_id, std::optional<int64_t> group_id = std::nullopt);
  Status cancel(int64_t organisation_id, int64_t id, const Actor& actor);
  // Scheduled activities of every organisation starting from `from` up to
  // `to` (local "YYYY-MM-DDTHH:MM"), soonest first: for reminders.
  StatusOr<std::vector<Activity>> starting_between(const std::string& from, const std::string& to);

  // Invites every member of the group who accepted a place and has not been
  // invited yet, each in their preferred format. Returns how many.
  StatusOr<int> invite_members(int64_t organisation_id, int64_t id, const Actor& actor);
  // Invites the listed people who hold an accepted place on the group and are
  // not invited yet, with the role level they will hold (a co-trainer, say).
  // Returns how many were invited.
  StatusOr<int> invite_people(int64_t organisation_id, int64_t id, const std::vector<int64_t>& person_ids,
                              const std::string& role_level, const Actor& actor);
  // invite_people inside the caller's write transaction on `c`, as create_in.
  StatusOr<int> invite_people_in(store::Connection& c, int64_t organisation_id, int64_t id,
                                 const std::vector<int64_t>& person_ids, const std::string& role_level,
                                 const Actor& actor);
  // Everyone invited, with their access needs: a read of people's records, so audited.
  StatusOr<std::vector<Invitation>> invitations(int64_t organisation_id, int64_t id, const Actor& actor);
  Status record_response(int64_t organisation_id, int64_t id, int64_t person_id, const std::string& response,
                         const Actor& actor);
  // Records attendance for everyone listed, all or nothing, and marks the
  // activity held. Problems name the person's field ("attendance-ID", "minutes-ID").
  Status record_attendance(int64_t organisation_id, int64_t id, const std::vector<AttendanceEntry>& entries,
                           const Actor& actor, std::vector<FieldError>* problems);

  // Afterwards: notes, decisions and the rung the lead says it reached.
  Status save_outcome(int64_t organisation_id, int64_t id, const std::string& notes, const std::string& decisions,
                      const std::string& lead_rung, const Actor& actor);
  StatusOr<Action> add_action(int64_t organisation_id, int64_t id, const ActionInput& input, const Actor& actor);
  Status update_action(int64_t organisation_id, int64_t id, int64_t action_id, const ActionInput& input,
                       const Actor& actor);
  StatusOr<std::vector<Action>> actions(int64_t organisation_id, int64_t id);
  // Every action from a group's activities: 'you said, we did' for the group.
  StatusOr<std::vector<Action>> group_actions(int64_t organisation_id, int64_t group_id);

  // A member who attended rates the rung once; the rating keeps no link to them.
  Status rate(int64_t organisation_id, int64_t id, int64_t person_id, const std::string& rung);
  // Ratings collected on paper, added by staff.
  Status add_paper_ratings(int64_t organisation_id, int64_t id, const std::string& rung, const std::string& count,
                           const Actor& actor);
  StatusOr<RungRatings> ratings(int64_t organisation_id, int64_t id);

  // The activities a person was invited to, newest first.
  StatusOr<std::vector<PersonActivity>> for_person(int64_t organisation_id, int64_t person_id);
  // Ids of groups the person holds an accepted place on.
  StatusOr<std::vector<int64_t>> person_groups(int64_t organisation_id, int64_t person_id);

 private:
  store::Database& db_;
  const Clock& clock_;
};

}  // namespace coproduce::activities

#endif  // COPRODUCE_ACTIVITIES_ACTIVITIES_H_
