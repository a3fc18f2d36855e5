// Fictional responses to the built-in 'coproduction' template, for the demo
// data, screenshots and trying the analysis without real data.
//
//   std::string csv = demo_responses_csv(400, 7);
//   StatusOr<Responses> r = parse_responses(csv, coproduction_template());
#ifndef COPRODUCE_SURVEY_DEMO_H_
#define COPRODUCE_SURVEY_DEMO_H_

#include <cstdint>
#include <string>

namespace coproduce::survey {

// `count` made-up responses in the export layout, the same for the same
// seed. About four in five are complete. The patterns echo the briefing's
// findings so the demo report has something to show: people in the workforce
// have heard the term more often than people with lived experience and carers,
// knowledge falls with closeness to direct care, and time and culture are the
// barriers named most.
std::string demo_responses_csv(int count, std::uint64_t seed);

}  // namespace coproduce::survey

#endif  // COPRODUCE_SURVEY_DEMO_H_
