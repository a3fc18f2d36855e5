// The familiar-voices report as downloads: a CSV file with one figure per
// row, and an XLSX workbook with a sheet each for the figures, the places
// by tenth and the representativeness table. Suppressed breakdowns carry
// no counts in either, as on the page.
#ifndef COPRODUCE_IMPACT_EXPORT_H_
#define COPRODUCE_IMPACT_EXPORT_H_

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "impact/familiar_voices.h"
#include "sheets/sheets.h"

namespace coproduce::impact {

// Who took part against the benchmark, as the API writes it: {people,
// threshold, suppressed, categories: [{category, label, suppressed, values:
// [{value, label, places, share, benchmark_share, gap, ratio,
// benchmark_source, description}], known_places and not_known_places
// unless suppressed}]}.
nlohmann::json representativeness_json(const Representativeness& r);

// The CSV text (RFC 4180, CRLF line endings, no byte-order mark) with the
// columns figure, category, value, count, proportion, benchmark, gap, note.
std::string report_csv(const Report& report);

// The workbook's sheets: "Figures", "Places by tenth", "Representativeness".
std::vector<sheets::Sheet> report_sheets(const Report& report);

// The .xlsx bytes of report_sheets.
StatusOr<std::string> report_xlsx(const Report& report);

}  // namespace coproduce::impact

#endif  // COPRODUCE_IMPACT_EXPORT_H_
