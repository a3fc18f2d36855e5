// The survey analysis: completion, per-question counts with Wilson intervals,
// cross-tabulations with tests, optionally weighted. Pure: it reads a
// Questionnaire and Responses and returns raw figures; disclosure control is
// applied when the figures are rendered (report.h), so the same Analysis can
// be published with suppression or given to an analyst without.
//
//   AnalysisOptions options;
//   options.crosstabs = {"heard:group"};
//   StatusOr<Analysis> a = analyse(questionnaire, responses, options);
//
// Definitions used throughout:
//   start     every response row (someone opened the survey);
//   complete  a response with submitted_at filled in;
//   analysed  the complete responses, or every response with include_partial;
//   shown     an analysed response whose show-if condition held for that
//             question (and, for a partial response, that reached its page);
//   base      shown responses that answered the question. Proportions and
//             intervals are over the base.
#ifndef COPRODUCE_SURVEY_ANALYSIS_H_
#define COPRODUCE_SURVEY_ANALYSIS_H_

#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "survey/questionnaire.h"
#include "survey/responses.h"
#include "survey/statistics.h"
#include "survey/weighting.h"

namespace coproduce::survey {

struct AnalysisOptions {
  bool include_partial = false;
  // "ROW:COL" pairs of variable codes: question codes, or grid[item] for a
  // Likert statement. Choice, yes/no, rating, Likert and multiple choice.
  std::vector<std::string> crosstabs;
  // Optional weights margins (see weighting.h); empty means unweighted.
  std::vector<Margin> margins;
  std::string margins_file;
  RakingOptions raking;
  unsigned threads = 0;  // 0 = one per core
  // Repeat tables to count (parse_repeat_responses, linked to the responses
  // analysed), at most one per repeat; they must outlive the call.
  std::vector<const RepeatResponses*> repeats;
};

struct OptionResult {
  std::string code;
  std::string label;
  long count = 0;             // responses in the base choosing it (unweighted)
  double weighted = 0;        // the weighted count (= count when unweighted)
  double proportion = 0;      // weighted / weighted base
  Interval interval;          // 95% Wilson interval of the proportion
};

struct NumberSummary {
  double mean = 0;            // weighted when weights are used
  double median = 0;
  double min = 0;
  double max = 0;
};

struct QuestionResult {
  std::string code;           // the variable code ("views[listened]" for a Likert statement)
  std::string text;
  std::string type;           // type_name() of the question
  int page = 1;
  std::string show_if;
  bool multiple = false;      // proportions need not add up to 1
  long shown = 0;
  long base = 0;
  double weighted_base = 0;
  double effective_base = 0;  // Kish effective sample size of the base
  std::vector<OptionResult> options;
  std::optional<NumberSummary> number;
};

struct CrossTable {
  std::string row_code, col_code;     // variable codes; for a multiple-choice side, code[option]
  std::vector<std::string> row_options, row_labels, col_options, col_labels;
  std::vector<std::vector<long>> counts;        // [row][col], unweighted
  std::vector<std::vector<double>> weighted;    // [row][col]
  long base = 0;
  std::optional<ChiSquare> chi_square;          // on weighted counts scaled to the effective base when weighted
  std::optional<double> fisher_p;               // 2x2 and unweighted only
  std::optional<double> holm_p;                 // when a cross-tab has several tables
  std::vector<std::string> warnings;
};

struct CrossTab {
  std::string spec;                   // "ROW:COL" as asked
  std::string row, col;
  std::vector<CrossTable> tables;     // one, or one per option of a multiple-choice side
};

struct PageFlow {
  int page = 1;
  long reached = 0;   // starts whose last page reached is this page or later
  long stopped = 0;   // incomplete responses that stopped on this page
};

struct WeightingSummary {
  std::vector<std::string> variables;
  int iterations = 0;
  bool converged = false;
  double max_error = 0;
  double design_effect = 1;
  double effective_n = 0;
};

// One repeat's figures. Per response: over the analysed responses (shown the
// repeat: its condition held and, for a partial response, it reached the
// repeat's page). Per question: the base is instances, not responses, of
// the analysed responses; an instance counts as shown every question of the
// repeat (conditions inside a repeat are not checked again). Weighted, an
// instance carries its response's weight.
struct RepeatResult {
  std::string code;
  std::string label;           // what one instance is
  int page = 1;
  std::string show_if;
  long responses = 0;          // analysed responses shown the repeat
  long with_instances = 0;     // of those, how many have at least one instance
  long instances = 0;          // instances of those responses
  double mean_instances = 0;   // instances per response shown the repeat
  double median_instances = 0;
  std::vector<QuestionResult> questions;   // one per Repeat::variables entry
};

struct Analysis {
  std::string survey_id, title;
  long starts = 0;
  long completes = 0;
  double completion_rate = 0;   // completes / starts; 0 when there are no starts
  std::vector<PageFlow> dropoff;
  bool include_partial = false;
  long analysed = 0;
  std::vector<QuestionResult> questions;   // one per variable, in questionnaire order
  std::vector<CrossTab> crosstabs;
  std::vector<RepeatResult> repeats;       // one per repeat table given, in questionnaire order
  std::optional<WeightingSummary> weighting;
  std::vector<std::string> warnings;
};

// Analyses `responses` to `q`. A cross-tab naming an unknown variable, or one
// that cannot be tabulated (number, date, text), is an InvalidInput whose
// Location field is "--crosstab"; a repeat table not linked to `responses`
// (or two for one repeat) one whose field is "--repeat". Thread-safe for distinct outputs.
StatusOr<Analysis> analyse(const Questionnaire& q, const Responses& responses, const AnalysisOptions& options);

}  // namespace coproduce::survey

#endif  // COPRODUCE_SURVEY_ANALYSIS_H_
