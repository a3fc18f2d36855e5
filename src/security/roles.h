// Roles and what each may do.
//
// Every route and every command declares which roles may use it; the
// default, an empty set, lets nobody in.
#ifndef COPRODUCE_SECURITY_ROLES_H_
#define COPRODUCE_SECURITY_ROLES_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coproduce::security {

enum class Role {
  kAdministrator,
  kCoproductionLead,
  kAnalyst,
  kLearningLead,
  kParticipant,
  kLearner,  // a member of staff who takes co-production learning and sees only their own
};

// Every role, in the order pages list them.
const std::vector<Role>& all_roles();

// The stable machine name: "administrator", "coproduction-lead", "analyst",
// "learning-lead", "participant", "learner".
std::string_view role_name(Role role);
// A label for people: "Co-production lead".
std::string_view role_label(Role role);
// One line on what the role is for.
std::string_view role_hint(Role role);
// Parses a role name; accepts any case, spaces or underscores for hyphens,
// and "co-production-lead" or "lead" for the co-production lead.
std::optional<Role> parse_role(std::string_view text);

// True for the roles that see the organisation's staff pages (not
// participants, and not learners, who see only their own learning).
bool is_staff(Role role);

// A set of roles allowed to do something. Empty lets nobody in.
class RoleSet {
 public:
  RoleSet() = default;
  RoleSet(std::initializer_list<Role> roles);
  static RoleSet staff();
  static RoleSet everyone();
  bool allows(Role role) const { return (bits_ & bit(role)) != 0; }
  bool empty() const { return bits_ == 0; }
  std::vector<Role> roles() const;

 private:
  static unsigned bit(Role r) { return 1u << static_cast<unsigned>(r); }
  unsigned bits_ = 0;
};

}  // namespace coproduce::security

#endif  // COPRODUCE_SECURITY_ROLES_H_
