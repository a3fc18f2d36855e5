// The short definition of co-production that pages show wherever people meet
// the word: the start of Get involved, each group's pages, the learning
// starter module.
#ifndef COPRODUCE_WEB_LIBRARY_PAGES_H_
#define COPRODUCE_WEB_LIBRARY_PAGES_H_

#include <cstdint>
#include <optional>

#include <nlohmann/json.hpp>

#include "library/case_studies.h"
#include "web/application.h"
#include "web/page_helpers.h"

namespace coproduce::web {

// Sets data["definition_text"] to the organisation's current definition (or
// the built-in one when `organisation_id` is none or cannot be read), for
// templates/partials/definition_short.mustache.
void add_short_definition(Context& ctx, std::optional<int64_t> organisation_id, nlohmann::json& data);

// The page address of a case study: /library/case-studies/ID.
std::string case_study_href(int64_t id);

// What the case study templates show of one case study (library/show,
// library/easy_read, library/review): title, summary, organisation, labels
// of its setting, rung and principles, the story and outcomes as safe HTML,
// the Easy Read version, images, dates, credited reviewers and, for one
// read from a feed, where it came from. Keys are left out when empty.
nlohmann::json case_study_view(const library::CaseStudy& study);

}  // namespace coproduce::web

#endif  // COPRODUCE_WEB_LIBRARY_PAGES_H_
