// The public library of co-production examples: /library (search, filters
// with counts, newest or most relevant first, a page at a time) and each
// case study in standard, Easy Read and printable form, with its schema.org
// description for other sites. Anyone may read published case studies;
// the organisation's staff also see their drafts.
#include "core/text.h"
#include "involvement/groups.h"
#include "library/search.h"
#include "library/vocab.h"
#include "web/application.h"
#include "web/library_pages.h"
#include "web/page_helpers.h"

namespace coproduce::web {
namespace {

using nlohmann::json;
using security::Role;

library::CaseStudies studies(Context& ctx) { return library::CaseStudies(ctx.services.db, ctx.services.clock); }

bool is_lead(const Context& ctx) {
  return ctx.user && (ctx.user->role == Role::kAdministrator || ctx.user->role == Role::kCoproductionLead);
}

// The organisation whose library the public pages show: the signed-in
// person's, or the only one there is; otherwise every organisation's.
std::optional<int64_t> library_organisation(Context& ctx) {
  if (ctx.user) return ctx.user->organisation_id;
  auto all = ctx.services.accounts.list_organisations();
  if (all.ok() && all->size() == 1) return all->front().id;
  return std::nullopt;
}

int page_number(const std::string& text) {
  if (text.empty() || text.size() > 6 || text.find_first_not_of("0123456789") != std::string::npos) return 1;
  return std::max(1, std::stoi(text));
}

library::SearchQuery query_of(Context& ctx) {
  library::SearchQuery q;
  q.organisation_id = library_organisation(ctx);
  q.q = trim_copy(ctx.request.query("q"));
  if (utf8_length(q.q) > 200) q.q = q.q.substr(0, 200);
  q.setting = ctx.request.query("setting");
  q.rung = ctx.request.query("rung");
  q.principle = ctx.request.query("principle");
  q.area_of_care = ctx.request.query("area_of_care");
  q.organisation = ctx.request.query("organisation");
  q.sort = ctx.request.query("sort") == "newest" ? "newest" : "relevance";
  q.page = page_number(ctx.request.query("page"));
  q.include_unpublished = is_lead(ctx) && ctx.request.query("drafts") == "1";
  return q;
}

// The address of the results with one parameter changed (page, or a filter
// set or cleared), keeping the others.
std::string results_href(const library::SearchQuery& q, const std::string& key, const std::string& value) {
  std::vector<std::pair<std::string, std::string>> params = {
      {"q", q.q},           {"setting", q.setting},           {"rung", q.rung},
      {"principle", q.principle}, {"area_of_care", q.area_of_care}, {"organisation", q.organisation},
      {"sort", q.sort == "newest" ? "newest" : ""}};
  std::string href = "/library";
  bool first = true;
  bool replaced = false;
  for (auto& [k, v] : params) {
    if (k == key) {
      v = value;
      replaced = true;
    }
  }
  if (!replaced) params.emplace_back(key, value);
  for (const auto& [k, v] : params) {
    if (v.empty()) continue;
    href += (first ? "?" : "&") + k + "=" + percent_encode(v);
    first = false;
  }
  return href;
}

const char* facet_heading(const std::string& facet) {
  if (facet == "setting") return N_("Setting");
  if (facet == "rung") return N_("How far it got on the ladder of co-production");
  if (facet == "principle") return N_("Principle it shows");
  if (facet == "area_of_care") return N_("Area of care");
  return N_("Organisation");
}

// Coproduce's own labels (settings, rungs, principles) are translated; areas
// of care and organisations' names stay as the organisations wrote them.
bool own_labels(const std::string& facet) { return facet == "setting" || facet == "rung" || facet == "principle"; }

Response library_page(Context& ctx) {
  library::SearchQuery q = query_of(ctx);
  auto found = library::search(ctx.services.db, q);
  if (!found.ok()) return status_error(ctx, found.status());
  json hits = json::array();
  for (const auto& h : found->hits) {
    json hit = {{"href", case_study_href(h.id)}, {"title", h.title}, {"snippet_html", h.snippet_html},
                {"organisation", h.organisation}};
    put_if(hit, "setting_label", h.setting.empty() ? "" : ctx.tr(activities::label(library::settings(), h.setting)));
    put_if(hit, "rung_label", h.rung.empty() ? "" : rung_name(&ctx, h.rung));
    put_if(hit, "area_of_care", h.area_of_care);
    if (h.status != "published") hit["status_label"] = ctx.tr(activities::label(library::statuses(), h.status));
    if (h.source) hit["imported"] = true;
    hits.push_back(hit);
  }
  json facets = json::array();
  for (const char* name : {"setting", "rung", "principle", "area_of_care", "organisation"}) {
    auto it = found->facets.find(name);
    if (it == found->facets.end() || it->second.empty()) continue;
    json values = json::array();
    for (const auto& v : it->second)
      values.push_back({{"label", own_labels(name) ? ctx.tr(v.label) : v.label},
                        {"as_written", !own_labels(name)},
                        {"count", v.count},
                        {"selected", v.selected},
                        {"href", results_href(q, name, v.selected ? "" : v.value)}});
    facets.push_back({{"name", name}, {"heading", ctx.tr(facet_heading(name))}, {"values", values}});
  }
  json data = {{"hits", hits}, {"facets", facets}, {"total", found->total}, {"has_results", found->total > 0},
               {"newest", q.sort == "newest"}};
  // Left out when empty: a Mustache section shows for any string, even "".
  put_if(data, "q", q.q);
  data["total_text"] = ctx.tr_plural("{n} case study", "{n} case studies", static_cast<long>(found->total));
  if (found->pages > 1) {
    data["pagination"] = true;
    data["page_text"] = ctx.tr(N_("Page {page} of {pages}"),
                               {{"page", std::to_string(found->page)}, {"pages", std::to_string(found->pages)}});
    if (found->page > 1) data["previous_href"] = results_href(q, "page", std::to_string(found->page - 1));
    if (found->page < found->pages) data["next_href"] = results_href(q, "page", std::to_string(found->page + 1));
  }
  for (const char* key : {"setting", "rung", "principle", "area_of_care", "organisation"}) {
    std::string value = key == std::string("setting") ? q.setting
                        : key == std::string("rung") ? q.rung
                        : key == std::string("principle") ? q.principle
                        : key == std::string("area_of_care") ? q.area_of_care
                                                              : q.organisation;
    if (!value.empty()) data["filtered"] = true;
    put_if(data, key, value);
  }
  data["clear_href"] = q.q.empty() ? "/library" : "/library?q=" + percent_encode(q.q);
  data["relevance_href"] = results_href(q, "sort", "");
  data["newest_href"] = results_href(q, "sort", "newest");
  if (is_lead(ctx)) data["can_write"] = true;
  add_short_definition(ctx, library_organisation(ctx), data);
  return ctx.page(200, "library/library", ctx.tr(N_("Library of co-production examples")), data);
}

// The case study `id` for the person asking: published ones for anyone;
// the organisation's staff see any of their own.
StatusOr<library::CaseStudy> readable(Context& ctx, int64_t id) {
  auto org = library_organisation(ctx);
  StatusOr<library::CaseStudy> found = NotFound("There is no case study " + std::to_string(id));
  if (org) {
    found = studies(ctx).get(*org, id);
  } else {
    // Several organisations and nobody signed in: look in whichever holds it.
    auto all = ctx.services.accounts.list_organisations();
    if (!all.ok()) return all.status();
    for (const auto& o : *all) {
      found = studies(ctx).get(o.id, id);
      if (found.ok()) break;
    }
  }
  if (!found.ok()) return found;
  bool staff = ctx.user && ctx.user->role != Role::kParticipant && ctx.user->role != Role::kLearner &&
               ctx.user->organisation_id == found->organisation_id;
  if (found->status != "published" && !(staff && found->status != "withdrawn"))
    return NotFound("There is no case study " + std::to_string(id));
  return found;
}

Response show(Context& ctx, const std::string& form) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  auto found = readable(ctx, *id);
  if (!found.ok() && found.status().code() == StatusCode::kNotFound)
    return ctx.error(404, ctx.tr(N_("There is no case study {id}."), {{"id", std::to_string(*id)}}));
  if (!found.ok()) return status_error(ctx, found.status());
  json data = case_study_view(*found, &ctx);
  if (form == "easy_read") {
    if (!data.contains("easy_read_html")) return ctx.error(404, N_("This case study has no Easy Read version yet."));
    return ctx.page(200, "library/easy_read", ctx.tr(N_("{title} (Easy Read)"), {{"title", found->study.title}}), data);
  }
  if (form == "print") data["print"] = true;
  data["print_href"] = case_study_href(*id) + "/print";
  if (found->status == "published")
    data["json_ld"] = library::json_ld(*found, ctx.services.public_url + case_study_href(*id));
  if (is_lead(ctx) && !found->imported() && ctx.user->organisation_id == found->organisation_id) {
    data["can_manage"] = true;
    data["manage_href"] = "/library/manage/" + std::to_string(*id);
  }
  return ctx.page(200, "library/show", found->study.title, data);
}

}  // namespace

void add_library_browse_routes(Router& router) {
  router.add({"GET", "/library", Access::anyone(), Channel::kPage, library_page});
  router.add({"GET", "/library/case-studies/{id}", Access::anyone(), Channel::kPage,
              [](Context& ctx) { return show(ctx, "standard"); }});
  router.add({"GET", "/library/case-studies/{id}/easy-read", Access::anyone(), Channel::kPage,
              [](Context& ctx) { return show(ctx, "easy_read"); }});
  router.add({"GET", "/library/case-studies/{id}/print", Access::anyone(), Channel::kPage,
              [](Context& ctx) { return show(ctx, "print"); }});
}

}  // namespace coproduce::web
