// Small builders shared by the handlers of several areas: the data the
// text_field and choices partials expect, and reading a numeric {id}.
#ifndef COPRODUCE_WEB_PAGE_HELPERS_H_
#define COPRODUCE_WEB_PAGE_HELPERS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "involvement/people.h"
#include "messages/notices.h"
#include "web/application.h"

namespace coproduce::web {

struct TextFieldSpec {
  const char* name;
  const char* label;
  const char* type = "text";
  const char* hint = "";
  bool textarea = false;
  const char* width = "";
};

// Data for partials/text_field.mustache; `error` may be empty.
nlohmann::json text_field(const TextFieldSpec& spec, const std::string& value, const std::string& error = "");

// Data for partials/choices.mustache. `options` are (value, label) pairs.
nlohmann::json choice_group(const std::string& name, const std::string& legend, const std::string& hint, bool radios,
                            const std::vector<std::pair<std::string, std::string>>& options,
                            const std::vector<std::string>& picked, const std::string& error = "");

// The path parameter `name` as a positive whole number, or nullopt.
std::optional<int64_t> id_param(const Context& ctx, const std::string& name = "id");

// Who is acting, for the audit log: the signed-in user and their address.
involvement::Actor actor_of(const Context& ctx);

// The page or JSON error for a failed Status: 404 not found, 400 invalid
// input or a conflict (with its message), 500 otherwise.
Response status_error(Context& ctx, const Status& s);

// The request body as a JSON object, or kInvalidInput saying what is wrong.
StatusOr<nlohmann::json> body_object(Context& ctx);

// A 400 JSON answer naming the field at fault.
Response api_invalid(Context& ctx, const std::string& field, const std::string& message);
// A 400 JSON answer listing every field at fault, the first in "error".
Response api_field_errors(Context& ctx, const std::vector<FieldError>& errors);
// The JSON answer for a failed Status: 400 invalid input or 409 conflict
// naming the field (where().field) when known, 404 not found, else 500.
Response api_status(Context& ctx, const Status& s);

// A form page again with the GOV.UK error summary for `errors`, whose
// messages also go to data["FIELD_error"] for the inline messages.
Response field_errors(Context& ctx, const std::string& template_name, const std::string& title, nlohmann::json data,
                      const std::vector<involvement::FieldError>& errors);

// A file to download: `body` with its type, saved as `file_name` (plain ASCII).
Response attachment(const std::string& content_type, const std::string& file_name, std::string body);

// Sets data[key] only when `value` is not empty: templates test a key's
// presence, and the template engine counts an empty string as present.
void put_if(nlohmann::json& data, const char* key, const std::string& value);

// What Coproduce tells people about the events handlers cause, with links
// starting at this server's public address; and waking the sender after.
messages::Notices notices(const Context& ctx);
void wake_sender(Context& ctx);

// Emails a new user's one-time link (the account_link message) when the
// organisation can send email. True when it is on its way.
bool email_invitation(Context& ctx, const std::string& email, const std::string& token);

// The one-time link that completes an invitation, for a person to open.
std::string invitation_link(const Context& ctx, const std::string& token);

// The involvement-pool record of the signed-in participant (person_for_user),
// or nullopt when there is none or it cannot be read.
std::optional<int64_t> own_person(Context& ctx);
// Easy Read (templates/easy_read/page.mustache, partials/easy_read): one
// short idea, the picture beside it (a name in static/images/easy-read/) and
// the picture's words; `href` and `link` add a link after the idea.
nlohmann::json easy_read_idea(const std::string& icon, const std::string& alt, const std::string& text,
                              const std::string& href = "", const std::string& link = "");
// The same for a page in the person's language: the picture's words `alt`
// and the link's words `link` (English, marked N_) are translated; `text`
// comes already in the page's language.
nlohmann::json easy_read_idea(const Context& ctx, const char* icon, const char* alt, const std::string& text,
                              const std::string& href = "", const char* link = "");
// True when the pool record `person` asks for Easy Read and the request has
// not asked for the standard page (?version=standard): such people see the
// Easy Read version of their own pages first.
bool easy_read_first(Context& ctx, int64_t person);

// A text input's value from a JSON body: strings as they are, whole numbers written out, else "".
std::string json_text(const nlohmann::json& body, const char* key);

// A date (YYYY-MM-DD, or a timestamp starting with one) written out in the
// person's language: "3 March 2026", "3 Mawrth 2026".
std::string date_in(const Context& ctx, const std::string& iso);

// A timestamp's date and time in the person's language: "3 March 2026 at
// 14:00", "3 Mawrth 2026 am 14:00"; the text as given when it is too short.
std::string when_in(const Context& ctx, const std::string& timestamp);

}  // namespace coproduce::web

#endif  // COPRODUCE_WEB_PAGE_HELPERS_H_
