#include "involvement/options.h"

#include <algorithm>
#include <cctype>

#include "core/translatable.h"

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
  const Option prefer{kPreferNotToSay, N_("Prefer not to say"), ""};
  std::vector<OptionSet> sets = {
      {"contact_by", false,
       {{"email", N_("Email"), ""},
        {"text", N_("Text message"), ""},
        {"phone", N_("Phone"), ""},
        {"post", N_("Post"), ""}}},
      {"formats", true,
       {{"standard", N_("Standard print or email"), ""},
        {"easy_read", N_("Easy Read"), ""},
        {"large_print", N_("Large print"), ""},
        {"audio", N_("Audio"), ""},
        {"bsl", N_("British Sign Language"), ""},
        {"welsh", N_("Welsh (Cymraeg)"), ""},
        {"other_language", N_("Another language"), ""}}},
      {"access_needs", true,
       {{"step_free", N_("Step-free access"), ""},
        {"hearing_loop", N_("A hearing loop"), ""},
        {"support_worker", N_("Bringing a support worker or carer"), ""},
        {"breaks", N_("Regular breaks"), ""},
        {"online_only", N_("Taking part online only"), ""},
        {"quiet_space", N_("A quiet space"), ""},
        {"papers_early", N_("Papers well before meetings"), ""}}},
      {"lived_experience", true,
       {{"draws_on_care", N_("I draw on care and support"), ""},
        {"unpaid_carer", N_("I am an unpaid carer"), ""},
        {"family_member", N_("A family member draws on care and support"), ""},
        {"other", N_("Other experience"), ""}}},
      {"care_kinds", true,
       {{"home_care", N_("Care at home"), ""},
        {"care_home", N_("A care home"), ""},
        {"day_services", N_("Day services"), ""},
        {"supported_living", N_("Supported living"), ""},
        {"direct_payments", N_("Direct payments or a personal budget"), ""},
        {"mental_health", N_("Mental health support"), ""},
        {"learning_disability", N_("Support for people with a learning disability"), ""},
        {"reablement", N_("Help to get back on your feet after a stay in hospital"), ""}}},
      {"availability", true,
       {{"weekday_daytime", N_("Weekdays, daytime"), ""},
        {"weekday_evening", N_("Weekday evenings"), ""},
        {"weekend", N_("Weekends"), ""}}},
      {"ways", true,
       {{"in_person", N_("In person"), ""},
        {"online", N_("Online"), ""},
        {"phone", N_("By phone"), ""},
        {"paper", N_("On paper"), ""},
        {"surveys", N_("Answering surveys"), ""}}},
      {"payment", false,
       {{"paid", N_("Yes, pay me for my time"), ""}, {"declined", N_("No, I do not want to be paid"), ""}}},
      {"age_band", false,
       {{"16_24", N_("16 to 24"), ""}, {"25_34", N_("25 to 34"), ""}, {"35_49", N_("35 to 49"), ""},
        {"50_64", N_("50 to 64"), ""},
        {"65_74", N_("65 to 74"), ""}, {"75_84", N_("75 to 84"), ""}, {"85_over", N_("85 or over"), ""}, prefer}},
      {"sex", false, {{"female", N_("Female"), ""}, {"male", N_("Male"), ""}, prefer}},
      {"gender_identity", false,
       {{"same", N_("Yes, my gender is the same as the sex I was registered at birth"), ""},
        {"different", N_("No, my gender is different from the sex I was registered at birth"), ""},
        prefer}},
      {"ethnic_group", false,
       {{"white_british", N_("English, Welsh, Scottish, Northern Irish or British"), N_("White")},
        {"white_irish", N_("Irish"), N_("White")},
        {"white_gypsy_traveller", N_("Gypsy or Irish Traveller"), N_("White")},
        {"white_roma", N_("Roma"), N_("White")},
        {"white_other", N_("Any other White background"), N_("White")},
        {"mixed_white_black_caribbean", N_("White and Black Caribbean"), N_("Mixed or Multiple ethnic groups")},
        {"mixed_white_black_african", N_("White and Black African"), N_("Mixed or Multiple ethnic groups")},
        {"mixed_white_asian", N_("White and Asian"), N_("Mixed or Multiple ethnic groups")},
        {"mixed_other", N_("Any other Mixed or Multiple ethnic background"), N_("Mixed or Multiple ethnic groups")},
        {"asian_indian", N_("Indian"), N_("Asian, Asian British or Asian Welsh")},
        {"asian_pakistani", N_("Pakistani"), N_("Asian, Asian British or Asian Welsh")},
        {"asian_bangladeshi", N_("Bangladeshi"), N_("Asian, Asian British or Asian Welsh")},
        {"asian_chinese", N_("Chinese"), N_("Asian, Asian British or Asian Welsh")},
        {"asian_other", N_("Any other Asian background"), N_("Asian, Asian British or Asian Welsh")},
        {"black_caribbean", N_("Caribbean"), N_("Black, Black British, Black Welsh, Caribbean or African")},
        {"black_african", N_("African"), N_("Black, Black British, Black Welsh, Caribbean or African")},
        {"black_other", N_("Any other Black, Black British or Caribbean background"),
         N_("Black, Black British, Black Welsh, Caribbean or African")},
        {"other_arab", N_("Arab"), N_("Other ethnic group")},
        {"other_any", N_("Any other ethnic group"), N_("Other ethnic group")},
        prefer}},
      {"disability", false,
       {{"disabled", N_("Yes: a physical or mental health condition or illness that has lasted or is expected to "
                        "last 12 months or more, and reduces my ability to carry out day-to-day activities"),
         ""},
        {"not_disabled", N_("No"), ""},
        prefer}},
      {"sexual_orientation", false,
       {{"straight", N_("Straight or heterosexual"), ""},
        {"gay_lesbian", N_("Gay or lesbian"), ""},
        {"bisexual", N_("Bisexual"), ""},
        {"other", N_("Another sexual orientation"), ""},
        prefer}},
      {"religion", false,
       {{"none", N_("No religion"), ""}, {"christian", N_("Christian"), ""}, {"buddhist", N_("Buddhist"), ""},
        {"hindu", N_("Hindu"), ""}, {"jewish", N_("Jewish"), ""}, {"muslim", N_("Muslim"), ""}, {"sikh", N_("Sikh"), ""},
        {"other", N_("Another religion or belief"), ""}, prefer}},
      {"carer", false,
       {{"no", N_("No"), ""},
        {"up_to_19", N_("Yes, up to 19 hours a week"), ""},
        {"20_to_49", N_("Yes, 20 to 49 hours a week"), ""},
        {"50_or_more", N_("Yes, 50 or more hours a week"), ""},
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
      N_("I agree that this organisation may keep what I have told them. They may use it to ask me to take part "
         "in co-production, and to set up the help I need. Only the staff who run co-production can see it. I can "
         "look at it, change it or ask them to delete it at any time. I can also take back this agreement at any "
         "time.")};
  return kWording;
}

}  // namespace coproduce::involvement
