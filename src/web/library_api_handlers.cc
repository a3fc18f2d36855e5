// The library over HTTP for machines: the public JSON Feed of an
// organisation's case studies (/library/feed.json), the case-study API
// (/api/v1/library/case-studies) and the feeds an organisation reads
// (/api/v1/library/subscriptions), with the administrators' page for those
// feeds (/library/subscriptions). Rules live in src/library.
#include "core/text.h"
#include "library/feed.h"
#include "library/search.h"
#include "library/subscriptions.h"
#include "web/application.h"
#include "web/library_pages.h"
#include "web/page_helpers.h"

namespace coproduce::web {
namespace {

using nlohmann::json;
using security::Role;

const Access kLeads = Access::only({Role::kAdministrator, Role::kCoproductionLead});
const Access kAdministrators = Access::only({Role::kAdministrator});

library::CaseStudies studies(Context& ctx) { return library::CaseStudies(ctx.services.db, ctx.services.clock); }
library::Subscriptions subscriptions(Context& ctx) {
  return library::Subscriptions(ctx.services.db, ctx.services.clock, ctx.services.feed_policy);
}
int64_t org(const Context& ctx) { return ctx.user->organisation_id; }
bool is_lead(const Context& ctx) {
  return ctx.user->role == Role::kAdministrator || ctx.user->role == Role::kCoproductionLead;
}

// --- the feed ----------------------------------------------------------------------

Response feed(Context& ctx) {
  std::optional<int64_t> organisation;
  std::string asked = ctx.request.query("organisation");
  auto all = ctx.services.accounts.list_organisations();
  if (!all.ok()) return status_error(ctx, all.status());
  if (!asked.empty()) {
    for (const auto& o : *all)
      if (std::to_string(o.id) == asked) organisation = o.id;
  } else if (all->size() == 1) {
    organisation = all->front().id;
  }
  if (!organisation)
    return ctx.error(404, asked.empty() ? "Name the organisation: /library/feed.json?organisation=ID"
                                        : "There is no organisation " + asked);
  auto f = library::organisation_feed(ctx.services.db, *organisation, ctx.services.public_url);
  if (!f.ok()) return status_error(ctx, f.status());
  Response r{200, {{"Content-Type", "application/feed+json; charset=utf-8"}}, library::write_feed(*f)};
  r.set_header("Cache-Control", "public, max-age=300");
  return r;
}

// --- case studies ------------------------------------------------------------------

// The summary of a search hit the list answers with.
json hit_json(const library::SearchHit& h) {
  return {{"id", h.id},
          {"title", h.title},
          {"summary", h.summary},
          {"setting", h.setting},
          {"rung", h.rung},
          {"area_of_care", h.area_of_care},
          {"status", h.status},
          {"organisation", h.organisation},
          {"source", h.source ? json(*h.source) : json(nullptr)},
          {"published_at", h.published_at.empty() ? json(nullptr) : json(h.published_at)},
          {"updated_at", h.updated_at},
          {"snippet_html", h.snippet_html},
          {"url", case_study_href(h.id)}};
}

Response api_list(Context& ctx) {
  library::SearchQuery q;
  q.organisation_id = org(ctx);
  q.q = ctx.request.query("q");
  q.setting = ctx.request.query("setting");
  q.rung = ctx.request.query("rung");
  q.principle = ctx.request.query("principle");
  q.area_of_care = ctx.request.query("area_of_care");
  q.organisation = ctx.request.query("organisation");
  q.sort = ctx.request.query("sort") == "newest" ? "newest" : "relevance";
  std::string page = ctx.request.query("page");
  if (!page.empty()) {
    if (page.size() > 6 || page.find_first_not_of("0123456789") != std::string::npos || page == "0" ||
        page.find_first_not_of('0') == std::string::npos)
      return api_invalid(ctx, "page", "page must be a whole number from 1");
    q.page = std::stoi(page);
  }
  q.include_unpublished = is_lead(ctx);
  auto found = library::search(ctx.services.db, q);
  if (!found.ok()) return api_status(ctx, found.status());
  json items = json::array();
  for (const auto& h : found->hits) items.push_back(hit_json(h));
  json facets = json::object();
  for (const auto& [name, values] : found->facets) {
    json list = json::array();
    for (const auto& v : values) list.push_back({{"value", v.value}, {"label", v.label}, {"count", v.count}});
    facets[name] = list;
  }
  return ctx.send_json(200, {{"case_studies", items},
                              {"total", found->total},
                              {"page", found->page},
                              {"pages", found->pages},
                              {"facets", facets}});
}

// The case study `id` for the API caller: staff of the organisation see
// any of its own that is not withdrawn; others only published ones.
StatusOr<library::CaseStudy> api_readable(Context& ctx, int64_t id) {
  auto found = studies(ctx).get(org(ctx), id);
  if (!found.ok()) return found;
  if (found->status != "published" && !(is_lead(ctx) && found->status != "withdrawn"))
    return NotFound("There is no case study " + std::to_string(id));
  return found;
}

Response api_get(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  auto found = api_readable(ctx, *id);
  if (!found.ok()) return api_status(ctx, found.status());
  return ctx.send_json(200, library::api_json(*found, is_lead(ctx) && !found->imported()));
}

// Reads a case study from the body. The story may be sent as "story"
// (parts by key) or as "body", one Markdown text whose "## What needed to
// change"-style headings mark the parts (library::story_from_markdown).
// Unknown keys are refused.
library::CaseStudyInput read_body(const json& body, std::vector<FieldError>* errors) {
  json study = body;
  if (study.is_object()) {
    if (study.contains("body")) {
      if (!study["body"].is_string()) {
        errors->push_back({"body", "'body' must be text (Markdown)", Problem::kInvalid});
      } else if (!study.contains("story")) {
        json parts = json::object();
        for (const auto& part : library::story_from_markdown(study["body"].get<std::string>()))
          parts[part.key] = part.markdown;
        study["story"] = parts;
      } else {
        errors->push_back({"body", "Send the story as 'story' or as 'body', not both", Problem::kInvalid});
      }
      study.erase("body");
    }
    for (const char* ignored : {"id", "status", "source", "organisation"}) study.erase(ignored);
  }
  library::CaseStudyInput s = library::case_study_from_json(study, errors);
  // A draft may lack parts of the story; publishing checks them.
  std::erase_if(*errors, library::is_unwritten_story_part);
  return s;
}

Response api_create(Context& ctx) {
  auto body = body_object(ctx);
  if (!body.ok()) return api_status(ctx, body.status());
  std::vector<FieldError> errors;
  library::CaseStudyInput s = read_body(*body, &errors);
  std::optional<int64_t> group_id;
  if (body->contains("group_id") && !(*body)["group_id"].is_null()) {
    if (!(*body)["group_id"].is_number_integer()) errors.push_back({"group_id", "group_id must be a whole number"});
    else group_id = (*body)["group_id"].get<int64_t>();
  }
  if (!errors.empty()) return api_field_errors(ctx, errors);
  auto id = studies(ctx).create(org(ctx), s, group_id, actor_of(ctx));
  if (!id.ok()) return api_status(ctx, id.status());
  auto created = studies(ctx).get(org(ctx), *id);
  if (!created.ok()) return api_status(ctx, created.status());
  Response r = ctx.send_json(201, library::api_json(*created, true));
  r.set_header("Location", "/api/v1/library/case-studies/" + std::to_string(*id));
  return r;
}

// PATCH: the keys sent replace those fields; the rest stay as they were.
Response api_patch(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  auto body = body_object(ctx);
  if (!body.ok()) return api_status(ctx, body.status());
  auto found = studies(ctx).get(org(ctx), *id);
  if (!found.ok()) return api_status(ctx, found.status());
  json merged = library::case_study_json(found->study);
  std::vector<FieldError> errors;
  json patch = *body;
  if (patch.contains("body")) merged.erase("story");
  for (auto it = patch.begin(); it != patch.end(); ++it) merged[it.key()] = it.value();
  library::CaseStudyInput s = read_body(merged, &errors);
  if (!errors.empty()) return api_field_errors(ctx, errors);
  Status st = studies(ctx).update(org(ctx), *id, s, actor_of(ctx));
  if (!st.ok()) return api_status(ctx, st);
  auto updated = studies(ctx).get(org(ctx), *id);
  if (!updated.ok()) return api_status(ctx, updated.status());
  return ctx.send_json(200, library::api_json(*updated, true));
}

Response api_publish(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  Status st = studies(ctx).publish(org(ctx), *id, actor_of(ctx));
  if (!st.ok()) return api_status(ctx, st);
  auto done = studies(ctx).get(org(ctx), *id);
  if (!done.ok()) return api_status(ctx, done.status());
  return ctx.send_json(200, library::api_json(*done, true));
}

Response api_withdraw(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  Status st = studies(ctx).withdraw(org(ctx), *id, actor_of(ctx));
  if (!st.ok()) return api_status(ctx, st);
  auto done = studies(ctx).get(org(ctx), *id);
  if (!done.ok()) return api_status(ctx, done.status());
  return ctx.send_json(200, library::api_json(*done, true));
}

// --- subscriptions -----------------------------------------------------------------

json subscription_json(const library::Subscription& s) {
  auto or_null = [](const std::string& t) { return t.empty() ? json(nullptr) : json(t); };
  return {{"id", s.id},
          {"url", s.url},
          {"title", s.title},
          {"created_at", s.created_at},
          {"last_fetched_at", or_null(s.last_fetched_at)},
          {"last_success_at", or_null(s.last_success_at)},
          {"last_error", or_null(s.last_error)},
          {"items", s.items}};
}

json refresh_json(const library::RefreshResult& r) {
  json problems = json::array();
  for (const auto& p : r.problems) problems.push_back({{"where", p.where}, {"message", p.message}});
  return {{"ok", r.ok()},
          {"added", r.counts.added},
          {"changed", r.counts.changed},
          {"unchanged", r.counts.unchanged},
          {"removed", r.counts.removed},
          {"error", r.ok() ? json(nullptr) : json(r.error)},
          {"problems", problems},
          {"problems_not_listed", r.problems_not_listed}};
}

Response api_subscriptions(Context& ctx) {
  auto all = subscriptions(ctx).list(org(ctx));
  if (!all.ok()) return api_status(ctx, all.status());
  json out = json::array();
  for (const auto& s : *all) out.push_back(subscription_json(s));
  return ctx.send_json(200, {{"subscriptions", out}});
}

Response api_subscribe(Context& ctx) {
  auto body = body_object(ctx);
  if (!body.ok()) return api_status(ctx, body.status());
  if (!body->contains("url") || !(*body)["url"].is_string())
    return api_invalid(ctx, "url", "Give the feed's address as url, like https://example.org/library/feed.json");
  auto id = subscriptions(ctx).add(org(ctx), (*body)["url"].get<std::string>(), actor_of(ctx));
  if (!id.ok()) return api_status(ctx, id.status());
  auto s = subscriptions(ctx).get(org(ctx), *id);
  if (!s.ok()) return api_status(ctx, s.status());
  return ctx.send_json(201, subscription_json(*s));
}

Response api_refresh(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  auto done = subscriptions(ctx).refresh(org(ctx), *id, actor_of(ctx));
  if (!done.ok()) return api_status(ctx, done.status());
  auto s = subscriptions(ctx).get(org(ctx), *id);
  if (!s.ok()) return api_status(ctx, s.status());
  json out = subscription_json(*s);
  out["result"] = refresh_json(*done);
  return ctx.send_json(200, out);
}

// --- the administrators' page of feeds ---------------------------------------------

Response subscriptions_page(Context& ctx, int status, const std::string& typed_url, const std::vector<FieldError>& errors,
                            const json& message) {
  auto all = subscriptions(ctx).list(org(ctx));
  if (!all.ok()) return status_error(ctx, all.status());
  json rows = json::array();
  for (const auto& s : *all) {
    json row = {{"id", s.id}, {"url", s.url}, {"title", s.title.empty() ? s.url : s.title}, {"items", s.items}};
    put_if(row, "last_error", s.last_error);
    put_if(row, "last_success", s.last_success_at.empty() ? "" : s.last_success_at.substr(0, 16) + " UTC");
    put_if(row, "last_fetched", s.last_fetched_at.empty() ? "" : s.last_fetched_at.substr(0, 16) + " UTC");
    rows.push_back(row);
  }
  std::string url_error, file_error;
  for (const auto& e : errors) {
    if (e.field == "url") url_error = e.message;
    if (e.field == "file") file_error = e.message;
  }
  json data = {{"subscriptions", rows},
               {"has_subscriptions", !rows.empty()},
               {"csrf_token", ctx.csrf_token},
               {"url_field", text_field({"url", "The feed’s address", "url", "Another organisation’s library feed, like https://their-site.example/library/feed.json"}, typed_url, url_error)},
               {"feed_href", ctx.services.public_url + "/library/feed.json"}};
  put_if(data, "file_error", file_error);
  if (message.is_object()) data["message"] = message;
  if (errors.empty()) return ctx.page(status, "library/subscriptions", "Case studies from other organisations", data);
  return field_errors(ctx, "library/subscriptions", "Case studies from other organisations", data, errors);
}

json result_message(const library::RefreshResult& r) {
  if (!r.ok()) {
    json problems = json::array();
    for (const auto& p : r.problems) problems.push_back((p.where.empty() ? "" : p.where + ": ") + p.message);
    return {{"error", r.error}, {"problems", problems}, {"has_problems", !problems.empty()}};
  }
  return {{"done", "Imported: " + std::to_string(r.counts.added) + " new, " + std::to_string(r.counts.changed) +
                       " changed, " + std::to_string(r.counts.removed) + " withdrawn and taken out, " +
                       std::to_string(r.counts.unchanged) + " unchanged."}};
}

Response subscribe_form(Context& ctx) {
  std::string url = trim_copy(ctx.form.get("url"));
  auto errors = library::check_feed_url(url);
  if (!errors.empty()) return subscriptions_page(ctx, 400, url, errors, nullptr);
  auto id = subscriptions(ctx).add(org(ctx), url, actor_of(ctx));
  if (!id.ok()) {
    if (id.status().code() == StatusCode::kInvalidInput)
      return subscriptions_page(ctx, 400, url, {{"url", id.status().message(), Problem::kInvalid}}, nullptr);
    return status_error(ctx, id.status());
  }
  auto done = subscriptions(ctx).refresh(org(ctx), *id, actor_of(ctx));
  if (!done.ok()) return status_error(ctx, done.status());
  return subscriptions_page(ctx, 200, "", {}, result_message(*done));
}

Response refresh_form(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  auto done = subscriptions(ctx).refresh(org(ctx), *id, actor_of(ctx));
  if (!done.ok()) return status_error(ctx, done.status());
  return subscriptions_page(ctx, 200, "", {}, result_message(*done));
}

Response remove_form(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  Status st = subscriptions(ctx).remove(org(ctx), *id, actor_of(ctx));
  if (!st.ok()) return status_error(ctx, st);
  return Response::redirect("/library/subscriptions");
}

Response import_form(Context& ctx) {
  const UploadedFile* file = ctx.form.file("file");
  if (!file || file->data.empty())
    return subscriptions_page(ctx, 400, "", {{"file", "Choose a feed file (.json) to import", Problem::kMissing}},
                              nullptr);
  auto done = subscriptions(ctx).import_file(org(ctx), file->data, file->filename, actor_of(ctx));
  if (!done.ok()) return status_error(ctx, done.status());
  return subscriptions_page(ctx, done->ok() ? 200 : 400, "", {}, result_message(*done));
}

Response export_file(Context& ctx) {
  auto f = library::organisation_feed(ctx.services.db, org(ctx), ctx.services.public_url);
  if (!f.ok()) return status_error(ctx, f.status());
  return attachment("application/feed+json; charset=utf-8", "case-studies.json", library::write_feed(*f));
}

}  // namespace

void add_library_api_routes(Router& router) {
  router.add({"GET", "/library/feed.json", Access::anyone(), Channel::kOps, feed});
  router.add({"GET", "/api/v1/library/case-studies", Access::only(security::RoleSet::everyone()), Channel::kApi,
              api_list});
  router.add({"POST", "/api/v1/library/case-studies", kLeads, Channel::kApi, api_create});
  router.add({"GET", "/api/v1/library/case-studies/{id}", Access::only(security::RoleSet::everyone()),
              Channel::kApi, api_get});
  router.add({"PATCH", "/api/v1/library/case-studies/{id}", kLeads, Channel::kApi, api_patch});
  router.add({"POST", "/api/v1/library/case-studies/{id}/publish", kLeads, Channel::kApi, api_publish});
  router.add({"POST", "/api/v1/library/case-studies/{id}/withdraw", kLeads, Channel::kApi, api_withdraw});
  router.add({"GET", "/api/v1/library/subscriptions", kAdministrators, Channel::kApi, api_subscriptions});
  router.add({"POST", "/api/v1/library/subscriptions", kAdministrators, Channel::kApi, api_subscribe});
  router.add({"POST", "/api/v1/library/subscriptions/{id}/refresh", kAdministrators, Channel::kApi, api_refresh});
  router.add({"GET", "/library/subscriptions", kAdministrators, Channel::kPage,
              [](Context& ctx) { return subscriptions_page(ctx, 200, "", {}, nullptr); }});
  router.add({"POST", "/library/subscriptions", kAdministrators, Channel::kPage, subscribe_form});
  router.add({"POST", "/library/subscriptions/import", kAdministrators, Channel::kPage, import_form});
  router.add({"GET", "/library/case-studies.json", kLeads, Channel::kPage, export_file});
  router.add({"POST", "/library/subscriptions/{id}/refresh", kAdministrators, Channel::kPage, refresh_form});
  router.add({"POST", "/library/subscriptions/{id}/remove", kAdministrators, Channel::kPage, remove_form});
}

}  // namespace coproduce::web
