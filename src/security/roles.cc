#include "security/roles.h"

#include <algorithm>
#include <cctype>

namespace coproduce::security {

const std::vector<Role>& all_roles() {
  static const std::vector<Role> kAll = {Role::kAdministrator, Role::kCoproductionLead, Role::kAnalyst,
                                         Role::kLearningLead, Role::kParticipant, Role::kLearner};
  return kAll;
}

std::string_view role_name(Role role) {
  switch (role) {
    case Role::kAdministrator: return "administrator";
    case Role::kCoproductionLead: return "coproduction-lead";
    case Role::kAnalyst: return "analyst";
    case Role::kLearningLead: return "learning-lead";
    case Role::kParticipant: return "participant";
    case Role::kLearner: return "learner";
  }
  return "";
}

std::string_view role_label(Role role) {
  switch (role) {
    case Role::kAdministrator: return "Administrator";
    case Role::kCoproductionLead: return "Co-production lead";
    case Role::kAnalyst: return "Analyst";
    case Role::kLearningLead: return "Learning lead";
    case Role::kParticipant: return "Participant";
    case Role::kLearner: return "Learner";
  }
  return "";
}

std::string_view role_hint(Role role) {
  switch (role) {
    case Role::kAdministrator: return "Manages the organisation's users and sees the audit log";
    case Role::kCoproductionLead: return "Keeps the involvement pool, forms groups and runs meetings";
    case Role::kAnalyst: return "Runs surveys and analyses the results";
    case Role::kLearningLead: return "Looks after co-production learning for the workforce";
    case Role::kParticipant: return "A person from the involvement pool who sees their own records";
    case Role::kLearner: return "A member of staff who takes co-production learning and sees only their own";
  }
  return "";
}

std::optional<Role> parse_role(std::string_view text) {
  std::string norm;
  for (char c : text) {
    if (c == ' ' || c == '_') c = '-';
    norm += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  while (!norm.empty() && norm.front() == '-') norm.erase(norm.begin());
  while (!norm.empty() && norm.back() == '-') norm.pop_back();
  if (norm == "co-production-lead" || norm == "lead") return Role::kCoproductionLead;
  for (Role r : all_roles()) {
    if (norm == role_name(r)) return r;
  }
  return std::nullopt;
}

bool is_staff(Role role) { return role != Role::kParticipant && role != Role::kLearner; }

RoleSet::RoleSet(std::initializer_list<Role> roles) {
  for (Role r : roles) bits_ |= bit(r);
}

RoleSet RoleSet::staff() {
  return {Role::kAdministrator, Role::kCoproductionLead, Role::kAnalyst, Role::kLearningLead};
}

RoleSet RoleSet::everyone() {
  RoleSet s = staff();
  s.bits_ |= bit(Role::kParticipant);
  s.bits_ |= bit(Role::kLearner);
  return s;
}

std::vector<Role> RoleSet::roles() const {
  std::vector<Role> out;
  for (Role r : all_roles()) {
    if (allows(r)) out.push_back(r);
  }
  return out;
}

}  // namespace coproduce::security
