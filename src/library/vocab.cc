#include "library/vocab.h"

namespace coproduce::library {

const Choices& settings() {
  static const Choices k = {{"nhs", "NHS"},
                            {"local_authority", "Council (local authority)"},
                            {"care_home", "Care home"},
                            {"home_care", "Care at home"},
                            {"voluntary_community", "Voluntary or community group"},
                            {"housing", "Housing"},
                            {"other", "Somewhere else"}};
  return k;
}

const Choices& principles() {
  static const Choices k = {{"equality", "Equality"},
                            {"diversity", "Diversity"},
                            {"accessibility", "Accessibility"},
                            {"reciprocity", "Reciprocity"}};
  return k;
}

const Choices& statuses() {
  static const Choices k = {
      {"draft", "Draft"}, {"in_review", "In review"}, {"published", "Published"}, {"withdrawn", "Withdrawn"}};
  return k;
}

}  // namespace coproduce::library
