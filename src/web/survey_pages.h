// What the survey pages (survey_handlers.cc: the staff pages and the public
// pages people take a survey on) share with the survey data pages
// (survey_data_handlers.cc: exports, imports, findings and the analysis API).
#ifndef COPRODUCE_WEB_SURVEY_PAGES_H_
#define COPRODUCE_WEB_SURVEY_PAGES_H_

#include <string>

#include "collection/surveys.h"
#include "core/status.h"
#include "web/application.h"

namespace coproduce::web::survey_pages {

// Who may change a survey, and who may read its responses and findings.
inline const Access kManage =
    Access::only({security::Role::kAdministrator, security::Role::kCoproductionLead});
inline const Access kView =
    Access::only({security::Role::kAdministrator, security::Role::kCoproductionLead, security::Role::kAnalyst});

// The person acting, for the audit log.
collection::Actor actor(const Context& ctx);

// A CSV file to download, with a byte-order mark so Excel reads it as UTF-8.
Response csv_download(const std::string& text, const std::string& file_name);

// The survey named by {id} in the signed-in person's organisation.
StatusOr<collection::Survey> staff_survey(Context& ctx);

// "2026-03-01T09:00:00Z" as "1 March 2026 at 9:00 (UTC)" for people.
std::string readable_time(const std::string& stamp);

// Whether `s` is a whole number of at most 9 digits, put in *out.
bool whole_number(const std::string& s, int* out);

}  // namespace coproduce::web::survey_pages

#endif  // COPRODUCE_WEB_SURVEY_PAGES_H_
