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

// The name of the ladder of co-production's rung `code`, in the person's
// language when `ctx` is given.
std::string rung_name(const Context* ctx, const std::string& code);

// The page address of a case study: /library/case-studies/ID.
std::string case_study_href(int64_t id);

// What the case study templates show of one case study (library/show,
// library/easy_read, library/review): title, summary, organisation, labels
// of its setting, rung and principles, the story and outcomes as safe HTML,
// the Easy Read version, images, dates, credited reviewers and, for one
// read from a feed, where it came from. Keys are left out when empty.
// Coproduce's own words (labels, dates, who took part) are in the person's
// language when `ctx` is given (public and participants' pages), else in
// English (staff pages); the organisation's own text stays as written.
nlohmann::json case_study_view(const library::CaseStudy& study, const Context* ctx = nullptr);

}  // namespace coproduce::web

#endif  // COPRODUCE_WEB_LIBRARY_PAGES_H_
