// Coverage as the API answers it and as downloads: a CSV file with one row
// per breakdown group, and an XLSX workbook with the same rows. Figures only:
// no worker is named in either.
#ifndef COPRODUCE_LEARNING_COVERAGE_EXPORT_H_
#define COPRODUCE_LEARNING_COVERAGE_EXPORT_H_

#include <string>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "learning/coverage.h"

namespace coproduce::learning {

// {date, workers, completed, share, by_role_category: [{role_category,
// workers, completed, share}], by_closeness: [{closeness, ...}],
// by_workplace: [{workplace, ...}], by_team: [{team, ...}], overdue,
// expiring_soon}. Shares are 0 to 1, or null where there are no workers.
nlohmann::json coverage_json(const Coverage& coverage);

// CSV (RFC 4180, CRLF) with the columns breakdown, code, label, workers,
// completed, share; the first row is the whole workforce ("all").
std::string coverage_csv(const Coverage& coverage);
StatusOr<std::string> coverage_xlsx(const Coverage& coverage);

}  // namespace coproduce::learning

#endif  // COPRODUCE_LEARNING_COVERAGE_EXPORT_H_
