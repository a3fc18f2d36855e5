#include "involvement/options.h"

#include <algorithm>
#include <cctype>

namespace coproduce::involvement {
namespace {

std::string fold(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::vector<OptionSet> make_sets() {
  const Option prefer{kPreferNotToSay, "Prefer not to say", ""};
  std::vector<OptionSet> sets = {
      {"contact_by", false,
       {{"email", "Email", ""}, {"text", "Text message", ""}, {"phone", "Phone", ""}, {"post", "Post", ""}}},
      {"formats", true,
       {{"standard", "Standard print or email", ""},
        {"easy_read", "Easy Read", ""},
        {"large_print", "Large print", ""},
        {"audio", "Audio", ""},
        {"bsl", "British Sign Language", ""},
        {"welsh", "Welsh (Cymraeg)", ""},
        {"other_language", "Another language", ""}}},
      {"access_needs", true,
       {{"step_free", "Step-free access", ""},
        {"hearing_loop", "A hearing loop", ""},
        {"support_worker", "Bringing a support worker or carer", ""},
        {"breaks", "Regular breaks", ""},
        {"online_only", "Taking part online only", ""},
        {"quiet_space", "A quiet space", ""},
        {"papers_early", "Papers well before meetings", ""}}},
      {"lived_experience", true,
       {{"draws_on_care", "I draw on care and support", ""},
        {"unpaid_carer", "I am an unpaid carer", ""},
        {"family_member", "A family member draws on care and support", ""},
        {"other", "Other experience", ""}}},
      {"care_kinds", true,
       {{"home_care", "Care at home", ""},
        {"care_home", "A care home", ""},
        {"day_services", "Day services", ""},
        {"supported_living", "Supported living", ""},
        {"direct_payments", "Direct payments or a personal budget", ""},
        {"mental_health", "Mental health support", ""},
        {"learning_disability", "Support for people with a learning disability", ""},
        {"reablement", "Help to get back on your feet after a stay in hospital", ""}}},
      {"availability", true,
       {{"weekday_daytime", "Weekdays, daytime", ""},
        {"weekday_evening", "Weekday evenings", ""},
        {"weekend", "Weekends", ""}}},
      {"ways", true,
       {{"in_person", "In person", ""},
        {"online", "Online", ""},
        {"phone", "By phone", ""},
        {"paper", "On paper", ""},
        {"surveys", "Answering surveys", ""}}},
      {"payment", false,
       {{"paid", "Yes, pay me for my time", ""}, {"declined", "No, I do not want to be paid", ""}}},
      {"age_band", false,
       {{"16_24", "16 to 24", ""}, {"25_34", "25 to 34", ""}, {"35_49", "35 to 49", ""}, {"50_64", "50 to 64", ""},
        {"65_74", "65 to 74", ""}, {"75_84", "75 to 84", ""}, {"85_over", "85 or over", ""}, prefer}},
      {"sex", false, {{"female", "Female", ""}, {"male", "Male", ""}, prefer}},
      {"gender_identity", false,
       {{"same", "Yes, my gender is the same as the sex I was registered at birth", ""},
        {"different", "No, my gender is different from the sex I was registered at birth", ""},
        prefer}},
      {"ethnic_group", false,
       {{"white_british", "English, Welsh, Scottish, Northern Irish or British", "White"},
        {"white_irish", "Irish", "White"},
        {"white_gypsy_traveller", "Gypsy or Irish Traveller", "White"},
        {"white_roma", "Roma", "White"},
        {"white_other", "Any other White background", "White"},
        {"mixed_white_black_caribbean", "White and Black Caribbean", "Mixed or Multiple ethnic groups"},
        {"mixed_white_black_african", "White and Black African", "Mixed or Multiple ethnic groups"},
        {"mixed_white_asian", "White and Asian", "Mixed or Multiple ethnic groups"},
        {"mixed_other", "Any other Mixed or Multiple ethnic background", "Mixed or Multiple ethnic groups"},
        {"asian_indian", "Indian", "Asian, Asian British or Asian Welsh"},
        {"asian_pakistani", "Pakistani", "Asian, Asian British or Asian Welsh"},
        {"asian_bangladeshi", "Bangladeshi", "Asian, Asian British or Asian Welsh"},
        {"asian_chinese", "Chinese", "Asian, Asian British or Asian Welsh"},
        {"asian_other", "Any other Asian background", "Asian, Asian British or Asian Welsh"},
        {"black_caribbean", "Caribbean", "Black, Black British, Black Welsh, Caribbean or African"},
        {"black_african", "African", "Black, Black British, Black Welsh, Caribbean or African"},
        {"black_other", "Any other Black, Black British or Caribbean background",
         "Black, Black British, Black Welsh, Caribbean or African"},
        {"other_arab", "Arab", "Other ethnic group"},
        {"other_any", "Any other ethnic group", "Other ethnic group"},
        prefer}},
      {"disability", false,
       {{"disabled", "Yes: a physical or mental health condition or illness that has lasted or is expected to last "
                     "12 months or more, and reduces my ability to carry out day-to-day activities",
         ""},
        {"not_disabled", "No", ""},
        prefer}},
      {"sexual_orientation", false,
       {{"straight", "Straight or heterosexual", ""},
        {"gay_lesbian", "Gay or lesbian", ""},
        {"bisexual", "Bisexual", ""},
        {"other", "Another sexual orientation", ""},
        prefer}},
      {"religion", false,
       {{"none", "No religion", ""}, {"christian", "Christian", ""}, {"buddhist", "Buddhist", ""},
        {"hindu", "Hindu", ""}, {"jewish", "Jewish", ""}, {"muslim", "Muslim", ""}, {"sikh", "Sikh", ""},
        {"other", "Another religion or belief", ""}, prefer}},
      {"carer", false,
       {{"no", "No", ""},
        {"up_to_19", "Yes, up to 19 hours a week", ""},
        {"20_to_49", "Yes, 20 to 49 hours a week", ""},
        {"50_or_more", "Yes, 50 or more hours a week", ""},
        prefer}},
  };
  return sets;
}

}  // namespace

const Option* OptionSet::find(std::string_view text) const {
  std::string f = fold(text);
  for (const Option& o : options) {
    if (fold(o.code) == f || fold(o.label) == f) return &o;
  }
  return nullptr;
}

const Option* OptionSet::by_code(std::string_view code) const {
  for (const Option& o : options) {
    if (o.code == code) return &o;
  }
  return nullptr;
}

const std::vector<OptionSet>& option_sets() {
  static const std::vector<OptionSet> kSets = make_sets();
  return kSets;
}

const OptionSet* option_set(std::string_view field) {
  for (const OptionSet& s : option_sets()) {
    if (s.field == field) return &s;
  }
  return nullptr;
}

const std::vector<std::string>& equality_fields() {
  static const std::vector<std::string> kFields = {"age_band",           "sex",      "gender_identity", "ethnic_group",
                                                   "disability",         "sexual_orientation", "religion", "carer"};
  return kFields;
}

const ConsentWording& current_consent() {
  // A new wording needs a new version: people who agreed to an older one
  // are asked again. Plain words (tests/http/readability.test.mjs).
  static const ConsentWording kWording = {
      "2026-12-v2",
      "I agree that this organisation may keep what I have told them. They may use it to ask me to take part "
      "in co-production, and to set up the help I need. Only the staff who run co-production can see it. I can "
      "look at it, change it or ask them to delete it at any time. I can also take back this agreement at any "
      "time."};
  return kWording;
}

}  // namespace coproduce::involvement
