// A programme's business case (and its theory of change) as a workbook for boards and commissioners:
// every figure of the page with the workings behind it, built from what
// impact::Programmes answers (programmes.h), so the web handler only sends
// the file. Small numbers are withheld as on the page: a suppressed
// measurement or breakdown carries no counts, only the note saying why.
//
// Pure functions over plain structs: no database, no clock; safe to call
// from any thread.
//
// Example:
//   auto sheets = impact::business_case_sheets(programme, *bcase, *indicators, *reach);
//   StatusOr<std::string> bytes = impact::business_case_xlsx(programme, *bcase, *indicators, *reach);
#ifndef COPRODUCE_IMPACT_PROGRAMME_EXPORT_H_
#define COPRODUCE_IMPACT_PROGRAMME_EXPORT_H_

#include <string>
#include <vector>

#include "core/status.h"
#include "impact/programmes.h"
#include "sheets/sheets.h"

namespace coproduce::impact {

// True when a measurement's value is not to be shown: the service withheld
// it (suppressed), or it is a share or an average (it has a base) of fewer
// than kMinPeopleForBreakdown places, ratings, answers, actions or workers,
// so nobody can be picked out from it. Pages and downloads both ask this.
bool withheld(const Measurement& m);

// The workbook's sheets, in order:
//   Summary      the totals, the period costs are counted over (and whether
//                it is the programme's own) and the three scenarios
//   Outcomes     each valued outcome's inputs, sources and present value
//   Workings     each outcome's value year by year, discounted
//   Sensitivity  each assumption's range and the net present value at its
//                ends, then the break-even values
//   Costs        the costs counted
//   Indicators   every measurement of every indicator: value, base, the 95%
//                interval of a survey share, the source or note; a withheld
//                value is left empty, and so is its base
//   Reach        activities, places, people, newcomers, the most involved
//                tenth and the Gini; the rungs the lead and members rated,
//                with the means; and who took part against the benchmark
//                (a suppressed category is one row with kTooFewToShow and
//                no counts)
// Money is in pounds, shares as proportions (0 to 1) except indicator
// values, which are in their unit (a percentage from 0 to 100).
std::vector<sheets::Sheet> business_case_sheets(const Programme& programme, const ProgrammeBusinessCase& business_case,
                                                const std::vector<Indicator>& indicators, const ProgrammeReach& reach);

// The .xlsx bytes of business_case_sheets; an error only when the workbook
// cannot be written (see sheets::to_xlsx).
StatusOr<std::string> business_case_xlsx(const Programme& programme, const ProgrammeBusinessCase& business_case,
                                         const std::vector<Indicator>& indicators, const ProgrammeReach& reach);

// The theory of change as a workbook: "Elements" (reference, stage, text)
// and "Links" (from, to, assumptions, conditions), in the order given.
std::vector<sheets::Sheet> theory_of_change_sheets(const TheoryOfChange& toc);
StatusOr<std::string> theory_of_change_xlsx(const TheoryOfChange& toc);

}  // namespace coproduce::impact

#endif  // COPRODUCE_IMPACT_PROGRAMME_EXPORT_H_
