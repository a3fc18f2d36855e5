#include "library/vocab.h"

#include "core/translatable.h"

namespace coproduce::library {

const Choices& settings() {
  static const Choices k = {{"nhs", N_("NHS")},
                            {"local_authority", N_("Council (local authority)")},
                            {"care_home", N_("Care home")},
                            {"home_care", N_("Care at home")},
                            {"voluntary_community", N_("Voluntary or community group")},
                            {"housing", N_("Housing")},
                            {"other", N_("Somewhere else")}};
  return k;
}

const Choices& principles() {
  static const Choices k = {{"equality", N_("Equality")},
                            {"diversity", N_("Diversity")},
                            {"accessibility", N_("Accessibility")},
                            {"reciprocity", N_("Reciprocity")}};
  return k;
}

const Choices& statuses() {
  static const Choices k = {
      {"draft", N_("Draft")}, {"in_review", N_("In review")}, {"published", N_("Published")}, {"withdrawn", N_("Withdrawn")}};
  return k;
}

}  // namespace coproduce::library
