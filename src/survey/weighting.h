// Weighting by raking (iterative proportional fitting) to benchmark margins.
//
// The margins file is a CSV with the columns question, option and target:
//
//   question,option,target
//   group,lived_experience,0.30
//   group,carer,0.25
//   group,workforce,0.40
//   group,other,0.05
//
// Targets are shares (0.3 or 30%) of the people who answered that question;
// each question's targets must add up to 1. Raking adjusts the weights of the
// analysed responses, one question at a time, until every weighted share
// matches its target within the tolerance.
#ifndef COPRODUCE_SURVEY_WEIGHTING_H_
#define COPRODUCE_SURVEY_WEIGHTING_H_

#include <cstdint>
#include <string>
#include <vector>

#include "core/csv.h"
#include "core/status.h"
#include "survey/questionnaire.h"
#include "survey/responses.h"
#include "survey/statistics.h"

namespace coproduce::survey {

struct Margin {
  size_t variable = 0;          // index into Questionnaire::variables (a single-choice question)
  std::vector<double> target;   // one share per option, adding up to 1
  std::vector<long> lines;      // where each target was given (0 = not given), for messages
};

// Reads margins from a parsed CSV file. Errors name the file, line and column.
StatusOr<std::vector<Margin>> parse_margins(const csv::Table& table, const Questionnaire& q);

struct RakingOptions {
  int max_iterations = 100;
  double tolerance = 1e-6;      // largest allowed |weighted share - target|
};

struct RakingResult {
  std::vector<double> weights;  // one per response; 0 for responses not analysed; mean 1 over those analysed
  int iterations = 0;
  bool converged = false;
  double max_error = 0;         // the largest |share - target| at the end
  DesignEffect design;          // over the analysed responses
};

// Rakes the responses with `include[row] != 0` to `margins`. An option with a
// positive target but no responses cannot be reached: that is an InvalidInput
// naming the margins file line. Not converging within max_iterations is not an
// error: the result says so and the report carries a warning.
StatusOr<RakingResult> rake(const Questionnaire& q, const Responses& responses, const std::vector<std::uint8_t>& include,
                            const std::vector<Margin>& margins, const RakingOptions& options,
                            const std::string& margins_file);

}  // namespace coproduce::survey

#endif  // COPRODUCE_SURVEY_WEIGHTING_H_
