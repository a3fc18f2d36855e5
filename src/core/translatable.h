// A mark for English a person reads, written where the text is made but
// translated where it is shown (src/i18n): scripts/check-messages finds the
// text inside N_("...") and makes sure every catalogue has it. The mark
// changes nothing at run time, so any module may use it.
#ifndef COPRODUCE_CORE_TRANSLATABLE_H_
#define COPRODUCE_CORE_TRANSLATABLE_H_

namespace coproduce {

constexpr const char* N_(const char* english) { return english; }

}  // namespace coproduce

#endif  // COPRODUCE_CORE_TRANSLATABLE_H_
