// The one definition of co-production: the public page 'What co-production
// is' and its Easy Read version, and the organisation's definition for staff
// to read and administrators to adapt (each version kept with its date).
#include <map>

#include "accounts/accounts.h"
#include "core/dates.h"
#include "learning/markdown.h"
#include "library/definition.h"
#include "library/vocab.h"
#include "web/application.h"
#include "web/library_pages.h"
#include "web/page_helpers.h"

namespace coproduce::web {
namespace {

using nlohmann::json;
using security::Role;

library::Definitions definitions(Context& ctx) { return library::Definitions(ctx.services.db, ctx.services.clock); }

// The organisation whose definition the public pages show: the signed-in
// person's, or the only one there is; otherwise none (the default).
std::optional<int64_t> public_organisation(Context& ctx) {
  if (ctx.user) return ctx.user->organisation_id;
  auto all = ctx.services.accounts.list_organisations();
  if (all.ok() && all->size() == 1) return all->front().id;
  return std::nullopt;
}

json definition_data(const library::Definition& d) {
  json principles = json::array();
  for (const auto& [code, label] : library::principles()) {
    auto it = d.wording.principles.find(code);
    principles.push_back({{"label", label}, {"text", it == d.wording.principles.end() ? "" : it->second}});
  }
  json references = json::array();
  for (const auto& [title, href] : library::definition_references())
    references.push_back({{"title", title}, {"href", href}});
  json data = {{"text", d.wording.text},
               {"easy_read", d.wording.easy_read},
               {"principles", principles},
               {"references", references},
               {"is_default", d.is_default}};
  if (!d.is_default)
    data["adopted_text"] = "Adopted on " + long_date(d.adopted_at.substr(0, 10)) +
                           (d.adopted_by.empty() ? std::string(".") : " by " + d.adopted_by + ".");
  return data;
}

StatusOr<library::Definition> definition_for(Context& ctx) {
  auto org = public_organisation(ctx);
  if (!org) return library::Definition{library::default_definition(), "", "", true};
  return definitions(ctx).current(*org);
}

Response public_page(Context& ctx) {
  auto d = definition_for(ctx);
  if (!d.ok()) return status_error(ctx, d.status());
  return ctx.page(200, "public/what_is_coproduction", "What co-production is", definition_data(*d));
}

Response easy_read(Context& ctx) {
  auto d = definition_for(ctx);
  if (!d.ok()) return status_error(ctx, d.status());
  return ctx.page(200, "public/what_is_coproduction_easy_read", ctx.tr(N_("What co-production means (Easy Read)")),
                  {{"easy_read_html", learning::render_markdown(d->wording.easy_read, 1)}});
}

json form_fields(const library::DefinitionInput& in, const std::vector<FieldError>& errors) {
  std::map<std::string, std::string> err;
  for (const auto& e : errors) err.emplace(e.field, e.message);
  auto e = [&](const std::string& f) { return err.count(f) ? err[f] : std::string(); };
  json fields = json::array();
  fields.push_back(text_field({"text", "The definition", "text", "One or two short paragraphs, in plain words", true},
                              in.text, e("text")));
  fields.push_back(text_field({"easy_read", "Easy Read version", "text",
                               "Short sentences, one idea each. Leave a blank line between sentences.", true},
                              in.easy_read, e("easy_read")));
  // Field names and labels, made once: text_field keeps pointers to them.
  static const std::vector<std::pair<std::string, std::string>> kPrincipleFields = [] {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& [code, label] : library::principles()) out.emplace_back("principle-" + code, "What " + label + " means");
    return out;
  }();
  size_t i = 0;
  for (const auto& [code, label] : library::principles()) {
    const auto& [name, title] = kPrincipleFields[i++];
    auto it = in.principles.find(code);
    fields.push_back(text_field({name.c_str(), title.c_str(), "text", "", true},
                                it == in.principles.end() ? "" : it->second, e(name)));
  }
  return fields;
}

Response staff_page(Context& ctx, int status, const library::DefinitionInput* typed,
                    const std::vector<FieldError>& errors, bool saved) {
  auto d = definitions(ctx).current(ctx.user->organisation_id);
  if (!d.ok()) return status_error(ctx, d.status());
  auto history = definitions(ctx).history(ctx.user->organisation_id);
  if (!history.ok()) return status_error(ctx, history.status());
  json data = definition_data(*d);
  json rows = json::array();
  for (const auto& h : *history)
    rows.push_back({{"when", long_date(h.adopted_at.substr(0, 10))}, {"who", h.adopted_by}, {"text", h.wording.text}});
  data["history"] = rows;
  data["has_history"] = !rows.empty();
  data["can_change"] = ctx.user->role == Role::kAdministrator;
  data["fields"] = form_fields(typed ? *typed : d->wording, errors);
  if (saved) data["saved"] = true;
  if (errors.empty()) return ctx.page(status, "library/definition", "Our definition of co-production", data);
  return field_errors(ctx, "library/definition", "Our definition of co-production", data, errors);
}

Response show(Context& ctx) { return staff_page(ctx, 200, nullptr, {}, ctx.request.query("saved") == "1"); }

Response adopt(Context& ctx) {
  library::DefinitionInput in{ctx.form.get("text"), ctx.form.get("easy_read"), {}};
  for (const auto& [code, label] : library::principles()) in.principles[code] = ctx.form.get("principle-" + code);
  auto errors = library::validate(in);
  if (!errors.empty()) return staff_page(ctx, 400, &in, errors, false);
  Status s = definitions(ctx).adopt(ctx.user->organisation_id, in, actor_of(ctx));
  if (!s.ok()) return status_error(ctx, s);
  return Response::redirect("/library/definition?saved=1");
}

}  // namespace

void add_short_definition(Context& ctx, std::optional<int64_t> organisation_id, nlohmann::json& data) {
  std::string text = library::default_definition().text;
  if (organisation_id)
    if (auto d = definitions(ctx).current(*organisation_id); d.ok()) text = d->wording.text;
  data["definition_text"] = text;
}

void add_library_routes(Router& router) {
  router.add({"GET", "/what-is-co-production", Access::anyone(), Channel::kPage, public_page});
  router.add({"GET", "/what-is-co-production/easy-read", Access::anyone(), Channel::kPage, easy_read});
  router.add({"GET", "/library/definition", Access::only(security::RoleSet::staff()), Channel::kPage, show});
  router.add({"POST", "/library/definition", Access::only({Role::kAdministrator}), Channel::kPage, adopt});
}

}  // namespace coproduce::web
