// The built-in questionnaire 'coproduction' ("Understanding co-production").
// Its key question and option codes are fixed (issue 6): the analysis, the
// findings report and the demo data rely on them. Wording is the project's own.
#include "survey/definition.h"

namespace coproduce::survey {

std::string_view coproduction_template_json() {
  return R"JSON({
  "format": "coproduce-survey/1",
  "id": "coproduction",
  "title": "Understanding co-production",
  "description": "A short survey about what co-production means to you and how much you are involved. It takes about 5 minutes. You can skip any question.",
  "questions": [
    {"code": "intro", "type": "display", "page": 1,
     "text": "Co-production means people who draw on care and support, unpaid carers and staff working together as equals to plan, run and check services."},
    {"code": "group", "type": "single", "page": 1,
     "text": "Which of these describes you best?",
     "options": [
       {"code": "lived_experience", "label": "I draw on care and support myself"},
       {"code": "carer", "label": "I am an unpaid carer for a family member or friend"},
       {"code": "workforce", "label": "I work in social care"},
       {"code": "other", "label": "Something else"}],
     "validation": {"required": true}},
    {"code": "role", "type": "single", "page": 2, "ordered": true,
     "show_if": "group = 'workforce'",
     "text": "What is your role?",
     "hint": "Listed from closest to direct care to furthest from it.",
     "options": [
       {"code": "direct_care", "label": "Care or support worker"},
       {"code": "supervisor", "label": "Senior carer or team leader"},
       {"code": "registered_manager", "label": "Registered manager"},
       {"code": "senior_manager", "label": "Senior manager or director"},
       {"code": "commissioner", "label": "Commissioner"},
       {"code": "other_role", "label": "Another role"}],
     "validation": {"required": true}},
    {"code": "heard", "type": "single", "page": 3,
     "text": "Before today, had you heard the word 'co-production'?",
     "options": [
       {"code": "yes", "label": "Yes"},
       {"code": "no", "label": "No"},
       {"code": "not_sure", "label": "I'm not sure"}]},
    {"code": "knowledge", "type": "single", "page": 3, "ordered": true,
     "text": "How much do you know about co-production?",
     "options": [
       {"code": "none", "label": "Nothing"},
       {"code": "a_little", "label": "A little"},
       {"code": "some", "label": "A fair amount"},
       {"code": "in_depth", "label": "A lot"}]},
    {"code": "involved_own_care", "type": "single", "page": 4,
     "show_if": "group = 'lived_experience' or group = 'carer'",
     "text": "Are you involved as an equal in decisions about your own care, or the care of the person you look after?",
     "options": [
       {"code": "yes", "label": "Yes"},
       {"code": "no", "label": "No"},
       {"code": "not_sure", "label": "I'm not sure"}]},
    {"code": "involved_services", "type": "single", "page": 4,
     "show_if": "group = 'lived_experience' or group = 'carer'",
     "text": "Have you been involved in planning, designing or checking care services?",
     "options": [
       {"code": "yes", "label": "Yes"},
       {"code": "no", "label": "No"},
       {"code": "not_sure", "label": "I'm not sure"}]},
    {"code": "barriers", "type": "multiple", "page": 5, "other_specify": true,
     "show_if": "group = 'workforce'",
     "text": "What gets in the way of co-production where you work?",
     "hint": "Tick all that apply.",
     "options": [
       {"code": "time", "label": "Not enough time"},
       {"code": "culture", "label": "The way things are usually done"},
       {"code": "cost", "label": "Money, including paying people for their time"},
       {"code": "communication", "label": "Communication and accessible information"},
       {"code": "power", "label": "Staff unwilling to share power"},
       {"code": "training", "label": "Lack of learning or training"},
       {"code": "other", "label": "Something else"}]},
    {"code": "training_had", "type": "yes_no", "page": 5,
     "show_if": "group = 'workforce'",
     "text": "Have you had any learning or training about co-production?"},
    {"code": "confidence", "type": "rating", "page": 6,
     "scale": {"min": 0, "max": 10, "min_label": "not at all confident", "max_label": "very confident"},
     "text": "How confident would you feel taking part in co-production?"},
    {"code": "views", "type": "likert", "page": 6, "points": 5, "dont_know": true,
     "text": "How much do you agree with these statements?",
     "items": [
       {"code": "listened", "label": "People who use services are listened to"},
       {"code": "equal", "label": "People who use services are treated as equal partners"},
       {"code": "worth", "label": "Co-production is worth the time it takes"}]},
    {"code": "meaning", "type": "long_text", "page": 7,
     "text": "In your own words, what does co-production mean to you?",
     "validation": {"max": 2000}}
  ]
}
)JSON";
}

}  // namespace coproduce::survey
