// Page data shared by the learning pages of staff (learning_handlers.cc) and
// of learners (learner_handlers.cc): words for codes and statuses, module
// summaries, and coverage's figures with their charts and tables.
#ifndef COPRODUCE_WEB_LEARNING_PAGES_H_
#define COPRODUCE_WEB_LEARNING_PAGES_H_

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "learning/coverage.h"
#include "learning/learning.h"
#include "web/application.h"

namespace coproduce::web {

// "E-learning here", "Recorded by a learning lead", "ASC-WDS file", "Live session":
// English, marked N_ (a learner's certificate passes it to ctx.tr).
std::string completion_source_label(const std::string& source);
// "Within 12 weeks of starting" and the like.
std::string within_days_text(int days);
// A module for lists: title, href, summary, delivery, length, refresh, standards, roles.
nlohmann::json module_summary(const learning::Module& module);
// A module's status for one worker: title, status text and tag class, dates.
nlohmann::json module_status_row(const learning::WorkerModule& row);
// Headline figures, and charts and tables by closeness and role category,
// and tables by workplace and team.
nlohmann::json coverage_page_data(const learning::Coverage& coverage);
// Rows of a coverage list (overdue or expiring soon), with links to workers.
nlohmann::json gap_rows(const std::vector<learning::GapRow>& rows);
// Learning by closeness beside the survey's depth of knowledge by closeness,
// as a table, when the organisation has such a survey; nullopt otherwise.
std::optional<nlohmann::json> survey_comparison(Context& ctx, const learning::Coverage& coverage);

}  // namespace coproduce::web

#endif  // COPRODUCE_WEB_LEARNING_PAGES_H_
