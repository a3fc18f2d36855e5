// The short definition of co-production that pages show wherever people meet
// the word: the start of Get involved, each group's pages, the learning
// starter module.
#ifndef COPRODUCE_WEB_LIBRARY_PAGES_H_
#define COPRODUCE_WEB_LIBRARY_PAGES_H_

#include <cstdint>
#include <optional>

#include <nlohmann/json.hpp>

#include "web/application.h"

namespace coproduce::web {

// Sets data["definition_text"] to the organisation's current definition (or
// the built-in one when `organisation_id` is none or cannot be read), for
// templates/partials/definition_short.mustache.
void add_short_definition(Context& ctx, std::optional<int64_t> organisation_id, nlohmann::json& data);

}  // namespace coproduce::web

#endif  // COPRODUCE_WEB_LIBRARY_PAGES_H_
