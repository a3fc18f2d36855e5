// Administration: organisations, users and the audit log. Everything here
// is scoped to the administrator's own organisation.
#include <cctype>
#include <ctime>
#include <map>

#include "security/audit.h"
#include "web/application.h"
#include "web/page_helpers.h"

namespace coproduce::web {
namespace {

using nlohmann::json;
using security::Role;

const Access kAdmins = Access::only({Role::kAdministrator});
constexpr int kAuditPageSize = 50;

// What an audit action means, in words.
std::string action_label(const std::string& action) {
  static const std::map<std::string, std::string> kLabels = {
      {"sign-in", "Signed in"},
      {"sign-in.failed", "Failed to sign in"},
      {"sign-in.throttled", "Sign-in paused after too many attempts"},
      {"sign-out", "Signed out"},
      {"organisation.create", "Created an organisation"},
      {"user.create", "Created a user account"},
      {"user.password-set", "Set a new password"},
      {"invitation.accept", "Accepted an invitation"},
      {"api-token.create", "Created an API token"},
      {"person.create", "Added a person to the pool"},
      {"person.read", "Looked at a person's record"},
      {"person.update", "Changed a person's record"},
      {"person.list", "Searched the pool"},
      {"person.export", "Downloaded a person's data"},
      {"person.erase", "Erased a person's data"},
      {"person.import", "Imported people from a file"},
      {"person.link-account", "Linked a person to their account"},
      {"consent.give", "Recorded consent"},
      {"consent.withdraw", "Recorded consent withdrawn"},
      {"equality.read", "Looked at equality monitoring answers"},
      {"equality.update", "Changed equality monitoring answers"},
      {"group.create", "Created a group"},
      {"group.members-read", "Looked at a group's members"},
      {"member.accept", "Recorded that someone accepted a place"},
      {"member.decline", "Recorded that someone declined a place"},
      {"round.create", "Started a recruitment round"},
      {"round.draw-public", "Drew a recruitment round by a number drawn in public"},
      {"round.draw-seed", "Drew a recruitment round by its recorded seed"},
      {"round.invite", "Invited the people drawn"},
      {"activity.create", "Planned an activity"},
      {"activity.update", "Changed an activity"},
      {"activity.cancel", "Cancelled an activity"},
      {"activity.invite", "Invited a group's members to an activity"},
      {"activity.invitations-read", "Looked at who was invited and their access needs"},
      {"activity.response", "Recorded whether someone is coming"},
      {"activity.attendance", "Recorded attendance"},
      {"activity.outcome", "Recorded what happened at an activity"},
      {"activity.paper-ratings", "Added ratings collected on paper"},
      {"action.create", "Added a 'you said, we did' action"},
      {"action.update", "Updated a 'you said, we did' action"},
      {"rates.update", "Changed the payment rates"},
      {"payments.raise", "Raised payments from attendance"},
      {"payments.read", "Looked at payments"},
      {"payment.approve", "Approved a payment"},
      {"payment.cancel", "Cancelled a payment"},
      {"expense.submit", "Sent an expense claim"},
      {"expenses.read", "Looked at expense claims"},
      {"expense.approve", "Approved an expense claim"},
      {"expense.reject", "Did not approve an expense claim"},
      {"receipt.read", "Opened a receipt"},
      {"payroll.read", "Looked at the payroll list"},
      {"payroll.export", "Downloaded the payroll export"},
      {"payroll.paid", "Marked payroll lines as paid"},
      {"survey.create", "Created a survey"},
      {"survey.settings", "Changed a survey's settings"},
      {"survey.translated", "Wrote a survey in another language"},
      {"survey.responses.read", "Analysed a survey's responses"},
      {"survey.responses.export", "Downloaded a survey's responses"},
      {"survey.responses.import", "Imported survey responses"},
      {"familiar-voices.read", "Looked at the familiar-voices figures"},
      {"benchmark.upload", "Uploaded a local benchmark population"},
      {"benchmark.reset", "Went back to the Census benchmark"},
      {"worker.create", "Added a worker's record"},
      {"worker.read", "Looked at a worker's record"},
      {"worker.update", "Changed a worker's record"},
      {"worker.erase", "Erased a worker's record"},
      {"worker.list", "Looked at a list of workers"},
      {"worker.export", "Downloaded a worker's data"},
      {"worker.completion", "Recorded a worker's learning"},
      {"worker.check", "Took a knowledge check"},
      {"worker.link-account", "Linked a learner account to a worker's record"},
      {"workforce.export", "Downloaded the workforce for ASC-WDS"},
      {"module.create", "Added a learning module"},
      {"module.update", "Changed a learning module"},
      {"requirement.create", "Required a module of a role"},
      {"requirement.delete", "Removed a learning requirement"},
      {"session.create", "Planned a live learning session"},
      {"session.read", "Looked at a live learning session"},
      {"session.book", "Booked staff on a live learning session"},
      {"session.attendance", "Recorded attendance at a live learning session"},
      {"definition.adopt", "Adopted a definition of co-production"},
      {"case_study.create", "Wrote a case study"},
      {"case_study.update", "Changed a case study"},
      {"case_study.publish", "Published a case study"},
      {"case_study.withdraw", "Withdrew a case study"},
      {"case_study.request_review", "Asked a participant to check a case study"},
      {"case_study.review.approved", "Approved a case study's story"},
      {"case_study.review.changes_requested", "Asked for changes to a case study's story"},
      {"group-record.read", "Started a case study from a group's records"},
      {"library_subscription.add", "Started reading another organisation's case studies"},
      {"library_subscription.remove", "Stopped reading another organisation's case studies"},
      {"library_subscription.refresh", "Fetched another organisation's case studies"},
      {"library_subscription.refresh_failed", "Tried to fetch another organisation's case studies"},
      {"library_subscription.import_file", "Imported case studies from a file"},
      {"programme.create", "Created a programme"},
      {"programme.update", "Changed a programme"},
      {"programme.theory-of-change", "Changed a programme's theory of change"},
      {"programme.indicator.add", "Added an indicator"},
      {"programme.indicator.remove", "Removed an indicator"},
      {"programme.measurement.add", "Recorded a measurement"},
      {"programme.equality.read", "Read equality answers for a programme's benchmark gap"},
      {"programme.cost.add", "Added a cost"},
      {"programme.cost.remove", "Removed a cost"},
      {"programme.outcome.add", "Valued an outcome"},
      {"programme.outcome.remove", "Removed a valued outcome"},
      {"staff-grades.update", "Changed the staff grades and their cost rates"},
      {"messages.settings.save", "Changed how messages are sent"},
      {"messages.template.save", "Changed the wording of a message"},
      {"messages.template.reset", "Went back to the wording Coproduce provides for a message"},
      {"messages.read", "Looked at messages sent and who they went to"},
      {"messages.done", "Marked a call as made or a letter as posted"},
      {"messages.retry", "Sent a message again"},
      {"person.contacts-read", "Read people's contact details to send them messages"},
      {"password.reset-requested", "Asked for a link to choose a new password"},
      {"password.reset", "Chose a new password from a link"},
  };
  auto it = kLabels.find(action);
  return it == kLabels.end() ? action : it->second;
}

// "26 Nov 2026, 05:49 UTC" from the stored "2026-11-26T05:49:26Z".
std::string readable_time(const std::string& stored) {
  TimePoint t;
  if (!parse_timestamp(stored, &t)) return stored;
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%d %b %Y, %H:%M UTC", &tm);
  return buf[0] == '0' ? buf + 1 : buf;
}

Response audit_log(Context& ctx) {
  int page = 1;
  try {
    page = std::max(1, std::stoi(ctx.request.query("page").empty() ? "1" : ctx.request.query("page")));
  } catch (const std::exception&) {
    return ctx.error(400, "The page number must be a whole number.");
  }
  auto conn = ctx.services.db.connection();
  if (!conn.ok()) return ctx.error(503);
  // One more than a page tells us whether there is a next page.
  auto entries = security::list_audit(**conn, ctx.user->organisation_id, kAuditPageSize + 1,
                                      (page - 1) * kAuditPageSize);
  if (!entries.ok()) return ctx.error(500);
  json rows = json::array();
  for (size_t i = 0; i < entries->size() && i < kAuditPageSize; ++i) {
    const auto& e = (*entries)[i];
    std::string subject = e.subject_type;
    if (!subject.empty()) subject[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(subject[0])));
    rows.push_back({{"at", readable_time(e.at)},
                    {"actor", e.actor},
                    {"action", action_label(e.action)},
                    {"subject", subject.empty() ? "" : subject + " " + e.subject_id},
                    {"address", e.address}});
  }
  json data = {{"entries", rows}, {"has_entries", !rows.empty()}, {"page", page}};
  if (page > 1) data["prev_href"] = "/admin/audit-log?page=" + std::to_string(page - 1);
  if (entries->size() > kAuditPageSize) data["next_href"] = "/admin/audit-log?page=" + std::to_string(page + 1);
  return ctx.page(200, "admin/audit_log", "Audit log", data);
}

json organisations_data(Context& ctx) {
  json list = json::array();
  auto orgs = ctx.services.accounts.organisations_visible_to(*ctx.user);
  if (orgs.ok()) {
    for (const auto& o : *orgs) {
      auto n = ctx.services.accounts.count_users(o.id);
      list.push_back({{"name", o.name}, {"fictional", o.fictional}, {"created_at", readable_time(o.created_at)},
                      {"users", n.ok() ? *n : 0}});
    }
  }
  return {{"organisations", list}, {"name", ctx.form.get("name")}, {"admin_email", ctx.form.get("admin_email")}};
}

Response organisations(Context& ctx) { return ctx.page(200, "admin/organisations", "Organisations", organisations_data(ctx)); }

Response create_organisation(Context& ctx) {
  std::vector<std::pair<std::string, std::string>> errors;
  if (ctx.form.get("name").empty()) errors.emplace_back("name", "Enter the organisation's name");
  if (ctx.form.get("admin_email").empty()) errors.emplace_back("admin_email", "Enter the email address of its first administrator");
  if (!errors.empty()) return ctx.form_errors("admin/organisations", "Organisations", organisations_data(ctx), errors);
  auto token = ctx.services.accounts.create_organisation_with_admin(ctx.form.get("name"), ctx.form.get("admin_email"),
                                                                    *ctx.user, ctx.request.remote_address);
  if (!token.ok()) {
    const Status& s = token.status();
    if (s.code() != StatusCode::kInvalidInput) return ctx.error(500);
    std::string field = s.where().field == "email" ? "admin_email" : "name";
    return ctx.form_errors("admin/organisations", "Organisations", organisations_data(ctx), {{field, s.message()}});
  }
  json data = organisations_data(ctx);
  data["name"] = "";
  data["admin_email"] = "";
  data["invitation_link"] = invitation_link(ctx, *token);
  return ctx.page(200, "admin/organisations", "Organisations", data);
}

json users_data(Context& ctx) {
  json list = json::array();
  auto users = ctx.services.accounts.list_users(ctx.user->organisation_id);
  if (users.ok()) {
    for (const auto& u : *users) {
      list.push_back({{"email", u.email}, {"name", u.name}, {"role_label", std::string(security::role_label(u.role))},
                      {"status", !u.active ? "Inactive" : u.has_password ? "Active" : "Invited"}});
    }
  }
  json roles = json::array();
  for (Role r : security::all_roles()) {
    roles.push_back({{"value", std::string(security::role_name(r))}, {"label", std::string(security::role_label(r))},
                     {"hint", std::string(security::role_hint(r))},
                     {"checked", ctx.form.get("role") == security::role_name(r)}});
  }
  return {{"users", list}, {"roles", roles}, {"email", ctx.form.get("email")}, {"name", ctx.form.get("name")}};
}

Response users(Context& ctx) { return ctx.page(200, "admin/users", "Users", users_data(ctx)); }

Response create_user(Context& ctx) {
  std::vector<std::pair<std::string, std::string>> errors;
  if (ctx.form.get("email").empty()) errors.emplace_back("email", "Enter the person's email address");
  if (ctx.form.get("name").empty()) errors.emplace_back("name", "Enter the person's name");
  auto role = security::parse_role(ctx.form.get("role"));
  if (!role) errors.emplace_back("role", "Choose a role");
  if (!errors.empty()) return ctx.form_errors("admin/users", "Users", users_data(ctx), errors);
  auto token = ctx.services.accounts.invite_user(*ctx.user, ctx.form.get("email"), ctx.form.get("name"), *role,
                                                 ctx.request.remote_address);
  if (!token.ok()) {
    const Status& s = token.status();
    if (s.code() != StatusCode::kInvalidInput) return ctx.error(500);
    return ctx.form_errors("admin/users", "Users", users_data(ctx), {{s.where().field, s.message()}});
  }
  json data = users_data(ctx);
  data["email"] = "";
  data["name"] = "";
  for (auto& r : data["roles"]) r["checked"] = false;
  data["invitation_link"] = invitation_link(ctx, *token);
  data["invitation_emailed"] = email_invitation(ctx, ctx.form.get("email"), *token);
  return ctx.page(200, "admin/users", "Users", data);
}

}  // namespace

void add_admin_routes(Router& router) {
  router.add({"GET", "/admin/audit-log", kAdmins, Channel::kPage, audit_log});
  router.add({"GET", "/admin/organisations", kAdmins, Channel::kPage, organisations});
  router.add({"POST", "/admin/organisations", kAdmins, Channel::kPage, create_organisation});
  router.add({"GET", "/admin/users", kAdmins, Channel::kPage, users});
  router.add({"POST", "/admin/users", kAdmins, Channel::kPage, create_user});
}

}  // namespace coproduce::web
