// The messages API: a test email, and what became of any message.
#include "messages/outbox.h"
#include "messages/test_message.h"
#include "web/application.h"
#include "web/page_helpers.h"

namespace coproduce::web {
namespace {

using nlohmann::json;
using security::Role;

const Access kAdmins = Access::only({Role::kAdministrator});
const Access kStaff = Access::only({Role::kAdministrator, Role::kCoproductionLead});

json message_json(const messages::Message& m) {
  json j = {{"id", m.id},
            {"kind", m.kind},
            {"channel", m.channel},
            {"status", m.status},
            {"attempts", m.attempts},
            {"about", {{"type", m.about_type}, {"id", m.about_id}}},
            {"created_at", m.created_at}};
  if (!m.reason.empty()) j["reason"] = m.reason;
  if (!m.sent_at.empty()) j["sent_at"] = m.sent_at;
  if (!m.delivered_at.empty()) j["delivered_at"] = m.delivered_at;
  if (m.status == "queued" && m.attempts > 0) j["next_attempt_at"] = m.next_attempt_at;
  return j;
}

Response send_test(Context& ctx) {
  auto body = body_object(ctx);
  if (!body.ok()) return api_status(ctx, body.status());
  auto queued = messages::queue_test(ctx.services.db, ctx.services.clock, *ctx.user, json_text(*body, "to"));
  if (!queued.ok()) return api_status(ctx, queued.status());
  if (ctx.services.messages != nullptr) ctx.services.messages->wake();
  json reply = {{"id", queued->id}, {"status", queued->status}};
  if (!queued->reason.empty()) reply["reason"] = queued->reason;
  return ctx.send_json(202, reply);
}

Response get_message(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  auto m = messages::Outbox(ctx.services.db, ctx.services.clock).get(ctx.user->organisation_id, *id);
  if (!m.ok()) return api_status(ctx, m.status());
  return ctx.send_json(200, message_json(*m));
}

}  // namespace

void add_message_routes(Router& router) {
  router.add({"POST", "/api/v1/messages/test", kAdmins, Channel::kApi, send_test});
  router.add({"GET", "/api/v1/messages/{id}", kStaff, Channel::kApi, get_message});
}

}  // namespace coproduce::web
