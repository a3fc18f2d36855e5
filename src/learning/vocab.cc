#include "learning/vocab.h"

namespace coproduce::learning {

const Choices& role_categories() {
  static const Choices k = {
      {"new_to_care", "New to care"},
      {"care_worker", "Care or support worker"},
      {"enhanced_care_worker", "Enhanced care or support worker"},
      {"personal_assistant", "Personal assistant"},
      {"supervisor_leader", "Supervisor or leader"},
      {"practice_leader", "Practice leader"},
      {"deputy_manager", "Deputy manager"},
      {"registered_manager", "Registered manager"},
      {"not_on_pathway", "Not on the pathway (commissioners, directors, social workers and others)"},
  };
  return k;
}

const Choices& closeness_levels() {
  static const Choices k = {
      {"direct_care", "Care or support worker"},
      {"supervisor", "Senior carer or team leader"},
      {"registered_manager", "Registered manager"},
      {"senior_manager", "Senior manager or director"},
      {"commissioner", "Commissioner"},
      {"other_role", "Another role"},
  };
  return k;
}

const Choices& care_certificate_statuses() {
  static const Choices k = {
      {"completed", "Completed"}, {"in_progress", "In progress"}, {"not_started", "Not started"}};
  return k;
}

const Choices& care_certificate_standards() {
  static const Choices k = {
      {"1", "1. Understand your role"},
      {"2", "2. Your personal development"},
      {"3", "3. Duty of care"},
      {"4", "4. Equality, diversity, inclusion and human rights"},
      {"5", "5. Work in a person-centred way"},
      {"6", "6. Communication"},
      {"7", "7. Privacy and dignity"},
      {"8", "8. Fluids and nutrition"},
      {"9", "9. Awareness of mental health and dementia"},
      {"10", "10. Safeguarding adults"},
      {"11", "11. Safeguarding children"},
      {"12", "12. Basic life support"},
      {"13", "13. Health and safety"},
      {"14", "14. Handling information"},
      {"15", "15. Infection prevention and control"},
      {"16", "16. Awareness of learning disability and autism"},
  };
  return k;
}

const Choices& delivery_kinds() {
  static const Choices k = {
      {"elearning", "E-learning, taken here"}, {"live", "A live session"}, {"external", "External training"}};
  return k;
}

const Choices& learning_statuses() {
  static const Choices k = {{"done", "Done"},
                            {"due", "Due"},
                            {"overdue", "Overdue"},
                            {"expired", "Expired: needs a refresher"},
                            {"not_required", "Not required"}};
  return k;
}

}  // namespace coproduce::learning
