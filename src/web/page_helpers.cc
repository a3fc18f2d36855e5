#include "web/page_helpers.h"

#include <algorithm>

#include "core/dates.h"
#include "core/translatable.h"

namespace coproduce::web {

nlohmann::json text_field(const TextFieldSpec& s, const std::string& value, const std::string& error) {
  nlohmann::json f = {{"name", s.name}, {"label", s.label}, {"value", value}, {"type", s.type},
                      {"textarea", s.textarea}, {"autocomplete", "off"}};
  if (*s.hint) f["hint"] = s.hint;
  if (*s.width) f["width"] = s.width;
  if (!error.empty()) f["error"] = error;
  return f;
}

nlohmann::json choice_group(const std::string& name, const std::string& legend, const std::string& hint, bool radios,
                            const std::vector<std::pair<std::string, std::string>>& options,
                            const std::vector<std::string>& picked, const std::string& error) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [value, label] : options) {
    list.push_back({{"value", value}, {"label", label},
                    {"checked", std::find(picked.begin(), picked.end(), value) != picked.end()}});
  }
  nlohmann::json g = {{"name", name}, {"legend", legend}, {"radios", radios}, {"options", list}};
  if (!hint.empty()) g["hint"] = hint;
  if (!error.empty()) g["error"] = error;
  return g;
}

std::optional<int64_t> id_param(const Context& ctx, const std::string& name) {
  const std::string text = ctx.param(name);
  if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  return std::stoll(text);
}

involvement::Actor actor_of(const Context& ctx) {
  return {ctx.user ? std::optional<int64_t>(ctx.user->id) : std::nullopt, ctx.request.remote_address};
}

Response status_error(Context& ctx, const Status& s) {
  switch (s.code()) {
    case StatusCode::kNotFound: return ctx.error(404, s.message());
    case StatusCode::kInvalidInput: return ctx.error(400, s.message());
    case StatusCode::kConflict: return ctx.error(409, s.message());
    default: return ctx.error(500);
  }
}

StatusOr<nlohmann::json> body_object(Context& ctx) {
  if (!valid_utf8(ctx.request.body)) return InvalidInput("the body is not valid UTF-8");
  nlohmann::json body = ctx.request.body.empty() ? nlohmann::json::object()
                                                 : nlohmann::json::parse(ctx.request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) return InvalidInput("the body must be a JSON object");
  return body;
}

Response api_invalid(Context& ctx, const std::string& field, const std::string& message) {
  return ctx.send_json(400, {{"error", {{"code", "invalid"}, {"message", message}, {"field", field}}},
                             {"errors", nlohmann::json::array({{{"field", field}, {"message", message}}})}});
}

Response api_field_errors(Context& ctx, const std::vector<FieldError>& errors) {
  if (errors.empty()) return ctx.error(400);
  nlohmann::json list = nlohmann::json::array();
  for (const auto& e : errors) list.push_back({{"field", e.field}, {"message", e.message}});
  return ctx.send_json(400, {{"error", {{"code", "invalid"}, {"message", errors.front().message},
                                        {"field", errors.front().field}}},
                             {"errors", list}});
}

Response api_status(Context& ctx, const Status& s) {
  const std::string& field = s.where().field;
  switch (s.code()) {
    case StatusCode::kInvalidInput:
      if (!field.empty()) return api_invalid(ctx, field, s.message());
      return ctx.error(400, s.message());
    case StatusCode::kConflict: {
      nlohmann::json error = {{"code", "conflict"}, {"message", s.message()}};
      if (!field.empty()) error["field"] = field;
      return ctx.send_json(409, {{"error", error}});
    }
    case StatusCode::kNotFound: return ctx.error(404, s.message());
    default: return ctx.error(500);
  }
}

Response field_errors(Context& ctx, const std::string& template_name, const std::string& title, nlohmann::json data,
                      const std::vector<involvement::FieldError>& errors) {
  std::vector<std::pair<std::string, std::string>> summary;
  for (const auto& e : errors) summary.emplace_back(e.field, e.message);
  return ctx.form_errors(template_name, title, std::move(data), summary);
}

messages::Notices notices(const Context& ctx) {
  return messages::Notices(ctx.services.db, ctx.services.clock, ctx.services.public_url);
}

void wake_sender(Context& ctx) {
  if (ctx.services.messages != nullptr) ctx.services.messages->wake();
}

bool email_invitation(Context& ctx, const std::string& email, const std::string& token) {
  auto user = ctx.services.accounts.find_user_by_email(email);
  if (!user.ok()) return false;
  auto queued = notices(ctx).account_link(*user, "account_link", "/invitation/", token, "in 72 hours");
  if (!queued.ok()) return false;
  wake_sender(ctx);
  return queued->status == "queued";
}

Response attachment(const std::string& content_type, const std::string& file_name, std::string body) {
  Response r{200, {{"Content-Type", content_type}}, std::move(body)};
  r.set_header("Content-Disposition", "attachment; filename=\"" + file_name + "\"");
  return r;
}

std::string json_text(const nlohmann::json& body, const char* key) {
  if (!body.contains(key)) return "";
  const nlohmann::json& v = body[key];
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return std::to_string(v.get<long long>());
  return "";
}

void put_if(nlohmann::json& data, const char* key, const std::string& value) {
  if (!value.empty()) data[key] = value;
}

std::optional<int64_t> own_person(Context& ctx) {
  auto id = involvement::People(ctx.services.db, ctx.services.clock)
                .person_for_user(ctx.user->organisation_id, ctx.user->id, ctx.user->email);
  if (!id.ok() || !*id) return std::nullopt;
  return **id;
}

std::string invitation_link(const Context& ctx, const std::string& token) {
  return ctx.services.public_url + "/invitation/" + token;
}

nlohmann::json easy_read_idea(const std::string& icon, const std::string& alt, const std::string& text,
                              const std::string& href, const std::string& link) {
  nlohmann::json idea = {{"icon", icon}, {"alt", alt}, {"text", text}};
  if (!href.empty()) {
    idea["href"] = href;
    idea["link"] = link;
  }
  return idea;
}

nlohmann::json easy_read_idea(const Context& ctx, const char* icon, const char* alt, const std::string& text,
                              const std::string& href, const char* link) {
  return easy_read_idea(icon, ctx.tr(alt), text, href, *link ? ctx.tr(link) : std::string());
}

bool easy_read_first(Context& ctx, int64_t person) {
  if (ctx.request.query("version") == "standard") return false;
  auto p = involvement::People(ctx.services.db, ctx.services.clock)
               .get(ctx.user->organisation_id, person, actor_of(ctx));
  if (!p.ok()) return false;
  const auto& formats = p->details.formats;
  return std::find(formats.begin(), formats.end(), "easy_read") != formats.end();
}

std::string date_in(const Context& ctx, const std::string& iso) {
  if (iso.size() < 10) return iso;
  std::string date = ctx.services.templates.catalogues().long_date(ctx.language, iso.substr(0, 10), false);
  return date.empty() ? long_date(iso.substr(0, 10)) : date;
}

std::string when_in(const Context& ctx, const std::string& timestamp) {
  if (timestamp.size() < 16) return timestamp;
  std::string date = ctx.services.templates.catalogues().long_date(ctx.language, timestamp.substr(0, 10), true);
  if (date.empty()) date = long_date(timestamp.substr(0, 10));
  return ctx.tr(N_("{date} at {time}"), {{"date", date}, {"time", timestamp.substr(11, 5)}});
}

}  // namespace coproduce::web
