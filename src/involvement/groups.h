// Groups and boards: what they are for, where they sit, how big they are,
// the rung of the ladder of co-production they aim for, and their members.
#ifndef COPRODUCE_INVOLVEMENT_GROUPS_H_
#define COPRODUCE_INVOLVEMENT_GROUPS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "involvement/people.h"
#include "store/database.h"

namespace coproduce::involvement {

struct GroupInput {
  std::string name;
  std::string purpose;
  std::string setting;      // nhs, council, care_provider, voluntary, other
  std::string size;         // as typed; a whole number from 2 to 200
  std::string term_months;  // as typed; 1 to 60
  std::string ladder_aim;   // a ladder rung code
  bool public_page = false;
};

struct Group {
  int64_t id = 0;
  int64_t organisation_id = 0;
  std::string name;
  std::string purpose;
  std::string setting;
  int size = 0;
  int term_months = 12;
  std::string ladder_aim;
  bool public_page = false;
  std::string created_at;
  int accepted = 0;  // members who accepted
};

struct Member {
  int64_t person_id = 0;
  std::string name;
  std::string status;  // invited, accepted, declined
  int64_t round_id = 0;
  std::string invited_at;
};

// The settings and the rungs of the ladder of co-production, as options.
const std::vector<std::pair<std::string, std::string>>& group_settings();
const std::vector<std::pair<std::string, std::string>>& ladder_rungs();
std::string setting_label(const std::string& code);
std::string rung_label(const std::string& code);
// Each rung of the ladder in everyday words: what it felt like to a person
// who took part ("We made the decisions together"), short enough for a
// reading age of about 9. The same codes in the same order as
// ladder_rungs(), from coercion at the bottom to co-production at the top.
// For pages where people who draw on care rate a meeting, and as hints
// beside the rung names on staff pages.
const std::vector<std::pair<std::string, std::string>>& ladder_rungs_in_plain_words();
// The plain words for one rung; the code itself when it is not a rung.
std::string rung_plain_words(const std::string& code);

std::vector<FieldError> validate(const GroupInput& input);

class Groups {
 public:
  // `db` and `clock` must outlive this. Thread-safe.
  Groups(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  StatusOr<Group> create(int64_t organisation_id, const GroupInput& input, const Actor& actor);
  StatusOr<Group> get(int64_t organisation_id, int64_t id);
  // A group whose public page is switched on, by id alone (for the public page).
  StatusOr<Group> get_public(int64_t id);
  StatusOr<std::vector<Group>> list(int64_t organisation_id);
  // Members with their names: a read of people's records, so audited.
  StatusOr<std::vector<Member>> members(int64_t organisation_id, int64_t group_id, const Actor& actor);
  // The groups a person has been invited to, with their answers: the
  // person's involvement history.
  struct Membership {
    int64_t group_id = 0;
    std::string group_name;
    std::string status;
    std::string invited_at;
  };
  StatusOr<std::vector<Membership>> memberships(int64_t organisation_id, int64_t person_id);
  // Records an invited person's answer.
  Status respond(int64_t organisation_id, int64_t group_id, int64_t person_id, bool accepted, const Actor& actor);

  // Offers by link: a person invited to a group answers with a link of
  // their own, needing no account.
  struct Offer {
    int64_t organisation_id = 0;
    std::string organisation_name;
    int64_t group_id = 0;
    std::string group_name;
    std::string group_purpose;
    int term_months = 0;
    int64_t person_id = 0;
    std::string status;    // invited, accepted, declined
    std::string reply_by;  // YYYY-MM-DD
  };
  // A new link for the invited person, inside the caller's transaction on
  // `c`, working for `days` days. Returns its token.
  StatusOr<std::string> offer_link_in(store::Connection& c, int64_t organisation_id, int64_t group_id,
                                      int64_t person_id, std::optional<int64_t> round_id, int days);
  // The offer a live link is for; kNotFound once used or expired.
  StatusOr<Offer> find_offer(const std::string& token);
  // Answers the offer by its link, once. The answer is audited against the
  // network address.
  Status respond_by_link(const std::string& token, bool accepted, const std::string& address);

 private:
  store::Database& db_;
  const Clock& clock_;
};

}  // namespace coproduce::involvement

#endif  // COPRODUCE_INVOLVEMENT_GROUPS_H_
