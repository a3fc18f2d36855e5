// Programmes over the JSON API (pages come later): the programme, its
// theory of change, indicators and measurements, costs and staff grades,
// valued outcomes and the business case. Handlers translate HTTP to a call
// of impact::Programmes and back; the rules live there.
//
// Administrators and co-production leads change programmes; analysts read
// them; nobody else may.
#include "core/text.h"
#include "impact/programmes.h"
#include "web/application.h"
#include "web/programme_routes.h"
#include "web/page_helpers.h"

namespace coproduce::web {
namespace {

using nlohmann::json;

const Access kWrite = programme_routes::writers();
const Access kRead = programme_routes::readers();

using programme_routes::org;
using programme_routes::period_asked;
using programme_routes::service;


// A body read with `parse`, whose problems with types and with the rules
// (`check`) are all named at once; nullopt after answering 400.
template <typename Input, typename Parse, typename Check>
std::optional<Input> read_body(Context& ctx, Parse parse, Check check, Response* answer) {
  auto body = body_object(ctx);
  if (!body.ok()) {
    *answer = ctx.error(400, body.status().message());
    return std::nullopt;
  }
  std::vector<FieldError> errors;
  Input in = parse(*body, &errors);
  // A key of the wrong type is named once, not again by the rules.
  for (const auto& e : check(in))
    if (std::none_of(errors.begin(), errors.end(), [&](const FieldError& x) { return x.field == e.field; }))
      errors.push_back(e);
  if (!errors.empty()) {
    *answer = api_field_errors(ctx, errors);
    return std::nullopt;
  }
  return in;
}

Response no_programme(Context& ctx) { return ctx.error(404, "There is no such programme"); }

Response created(Context& ctx, const json& body, const std::string& location) {
  Response r = ctx.send_json(201, body);
  r.set_header("Location", location);
  return r;
}

std::string programme_url(int64_t id) { return "/api/v1/programmes/" + std::to_string(id); }

// --- programmes ------------------------------------------------------------------------------

Response list_programmes(Context& ctx) {
  auto all = service(ctx).list(org(ctx));
  if (!all.ok()) return api_status(ctx, all.status());
  json items = json::array();
  for (const auto& p : *all) items.push_back(impact::programme_json(p));
  return ctx.send_json(200, {{"programmes", items}});
}

Response create_programme(Context& ctx) {
  Response answer;
  auto in = read_body<impact::ProgrammeInput>(
      ctx, [](const json& b, std::vector<FieldError>* e) { return impact::programme_from_json(b, {}, e); },
      [](const impact::ProgrammeInput& i) { return impact::validate(i); }, &answer);
  if (!in) return answer;
  auto p = service(ctx).create(org(ctx), *in, actor_of(ctx));
  if (!p.ok()) return api_status(ctx, p.status());
  return created(ctx, impact::programme_json(*p), programme_url(p->id));
}

Response show_programme(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return no_programme(ctx);
  auto p = service(ctx).get(org(ctx), *id);
  if (!p.ok()) return api_status(ctx, p.status());
  return ctx.send_json(200, impact::programme_json(*p));
}

Response update_programme(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return no_programme(ctx);
  auto before = service(ctx).get(org(ctx), *id);
  if (!before.ok()) return api_status(ctx, before.status());
  Response answer;
  auto in = read_body<impact::ProgrammeInput>(
      ctx,
      [&](const json& b, std::vector<FieldError>* e) { return impact::programme_from_json(b, before->details, e); },
      [](const impact::ProgrammeInput& i) { return impact::validate(i); }, &answer);
  if (!in) return answer;
  auto p = service(ctx).update(org(ctx), *id, *in, actor_of(ctx));
  if (!p.ok()) return api_status(ctx, p.status());
  return ctx.send_json(200, impact::programme_json(*p));
}

// --- theory of change ----------------------------------------------------------------------

Response show_theory_of_change(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return no_programme(ctx);
  auto toc = service(ctx).theory_of_change(org(ctx), *id);
  if (!toc.ok()) return api_status(ctx, toc.status());
  return ctx.send_json(200, impact::theory_of_change_json(*toc));
}

Response save_theory_of_change(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return no_programme(ctx);
  Response answer;
  auto in = read_body<impact::TheoryOfChangeInput>(
      ctx, impact::theory_of_change_from_json, [](const impact::TheoryOfChangeInput& i) { return impact::validate(i); },
      &answer);
  if (!in) return answer;
  auto toc = service(ctx).save_theory_of_change(org(ctx), *id, *in, actor_of(ctx));
  if (!toc.ok()) return api_status(ctx, toc.status());
  return ctx.send_json(200, impact::theory_of_change_json(*toc));
}

// --- indicators --------------------------------------------------------------------------------

Response list_indicators(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return no_programme(ctx);
  auto all = service(ctx).indicators(org(ctx), *id, actor_of(ctx));
  if (!all.ok()) return api_status(ctx, all.status());
  json items = json::array();
  for (const auto& i : *all) items.push_back(impact::indicator_json(i));
  return ctx.send_json(200, {{"indicators", items}});
}

Response add_indicator(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return no_programme(ctx);
  Response answer;
  auto in = read_body<impact::IndicatorInput>(
      ctx, impact::indicator_from_json,
      [](const impact::IndicatorInput& i) {
        std::vector<FieldError> errors;
        if (trim_copy(i.element).empty())
          errors.push_back({"element", "Choose the output or outcome it measures", Problem::kMissing});
        for (auto& e : impact::validate(i.definition)) errors.push_back(std::move(e));
        return errors;
      },
      &answer);
  if (!in) return answer;
  auto made = service(ctx).add_indicator(org(ctx), *id, *in, actor_of(ctx));
  if (!made.ok()) return api_status(ctx, made.status());
  return created(ctx, impact::indicator_json(*made), programme_url(*id) + "/indicators/" + std::to_string(made->id));
}

Response show_indicator(Context& ctx) {
  auto id = id_param(ctx);
  auto iid = id_param(ctx, "indicator");
  if (!id || !iid) return ctx.error(404, "There is no such indicator");
  auto i = service(ctx).indicator(org(ctx), *id, *iid, actor_of(ctx));
  if (!i.ok()) return api_status(ctx, i.status());
  return ctx.send_json(200, impact::indicator_json(*i));
}

Response remove_indicator(Context& ctx) {
  auto id = id_param(ctx);
  auto iid = id_param(ctx, "indicator");
  if (!id || !iid) return ctx.error(404, "There is no such indicator");
  if (Status s = service(ctx).remove_indicator(org(ctx), *id, *iid, actor_of(ctx)); !s.ok()) return api_status(ctx, s);
  return Response{204, {}, ""};
}

Response add_measurement(Context& ctx) {
  auto id = id_param(ctx);
  auto iid = id_param(ctx, "indicator");
  if (!id || !iid) return ctx.error(404, "There is no such indicator");
  // The indicator's unit and frequency say what a good measurement is.
  auto indicator = service(ctx).indicator(org(ctx), *id, *iid, actor_of(ctx));
  if (!indicator.ok()) return api_status(ctx, indicator.status());
  std::string today = format_timestamp(ctx.services.clock.now()).substr(0, 10);
  Response answer;
  auto in = read_body<impact::MeasurementInput>(
      ctx, impact::measurement_from_json,
      [&](const impact::MeasurementInput& m) { return impact::validate(m, indicator->definition, today); }, &answer);
  if (!in) return answer;
  auto i = service(ctx).add_measurement(org(ctx), *id, *iid, *in, actor_of(ctx));
  if (!i.ok()) return api_status(ctx, i.status());
  return ctx.send_json(201, impact::indicator_json(*i));
}

// --- costs and staff grades ---------------------------------------------------------------------

Response list_costs(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return no_programme(ctx);
  auto report = service(ctx).costs(org(ctx), *id, period_asked(ctx));
  if (!report.ok()) return api_status(ctx, report.status());
  return ctx.send_json(200, impact::cost_report_json(*report));
}

Response add_cost(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return no_programme(ctx);
  Response answer;
  auto in = read_body<impact::CostInput>(
      ctx, impact::cost_from_json, [](const impact::CostInput& i) { return impact::validate(i); }, &answer);
  if (!in) return answer;
  auto cost = service(ctx).add_cost(org(ctx), *id, *in, actor_of(ctx));
  if (!cost.ok()) return api_status(ctx, cost.status());
  return created(ctx, impact::cost_json(*cost), programme_url(*id) + "/costs/" + std::to_string(cost->id));
}

Response remove_cost(Context& ctx) {
  auto id = id_param(ctx);
  auto cost = id_param(ctx, "cost");
  if (!id || !cost) return ctx.error(404, "There is no such cost");
  if (Status s = service(ctx).remove_cost(org(ctx), *id, *cost, actor_of(ctx)); !s.ok()) return api_status(ctx, s);
  return Response{204, {}, ""};
}

json grades_json(const std::vector<impact::StaffGrade>& grades) {
  json items = json::array();
  for (const auto& g : grades) items.push_back(impact::staff_grade_json(g));
  return {{"grades", items}};
}

Response list_staff_grades(Context& ctx) {
  auto grades = service(ctx).staff_grades(org(ctx));
  if (!grades.ok()) return api_status(ctx, grades.status());
  return ctx.send_json(200, grades_json(*grades));
}

Response save_staff_grades(Context& ctx) {
  Response answer;
  auto in = read_body<std::vector<impact::StaffGrade>>(
      ctx, impact::staff_grades_from_json, [](const std::vector<impact::StaffGrade>& g) { return impact::validate(g); },
      &answer);
  if (!in) return answer;
  auto grades = service(ctx).save_staff_grades(org(ctx), *in, actor_of(ctx));
  if (!grades.ok()) return api_status(ctx, grades.status());
  return ctx.send_json(200, grades_json(*grades));
}

// --- valued outcomes and the business case ------------------------------------------------------

Response list_outcomes(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return no_programme(ctx);
  auto all = service(ctx).outcomes(org(ctx), *id);
  if (!all.ok()) return api_status(ctx, all.status());
  json items = json::array();
  for (const auto& o : *all) items.push_back(impact::outcome_json(o));
  return ctx.send_json(200, {{"outcomes", items}});
}

Response add_outcome(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return no_programme(ctx);
  Response answer;
  auto in = read_body<impact::OutcomeInput>(
      ctx, impact::outcome_from_json, [](const impact::OutcomeInput& i) { return impact::validate(i); }, &answer);
  if (!in) return answer;
  auto o = service(ctx).add_outcome(org(ctx), *id, *in, actor_of(ctx));
  if (!o.ok()) return api_status(ctx, o.status());
  return created(ctx, impact::outcome_json(*o), programme_url(*id) + "/outcomes/" + std::to_string(o->id));
}

Response remove_outcome(Context& ctx) {
  auto id = id_param(ctx);
  auto outcome = id_param(ctx, "outcome");
  if (!id || !outcome) return ctx.error(404, "There is no such outcome");
  if (Status s = service(ctx).remove_outcome(org(ctx), *id, *outcome, actor_of(ctx)); !s.ok())
    return api_status(ctx, s);
  return Response{204, {}, ""};
}

Response business_case(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return no_programme(ctx);
  auto bc = service(ctx).business_case(org(ctx), *id, period_asked(ctx));
  if (!bc.ok()) return api_status(ctx, bc.status());
  return ctx.send_json(200, impact::business_case_json(*bc));
}

Response reach(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return no_programme(ctx);
  auto r = service(ctx).reach(org(ctx), *id, period_asked(ctx), actor_of(ctx));
  if (!r.ok()) return api_status(ctx, r.status());
  return ctx.send_json(200, impact::reach_json(*r));
}

}  // namespace

void add_programme_routes(Router& router) {
  const std::string base = "/api/v1/programmes";
  router.add({"GET", base, kRead, Channel::kApi, list_programmes});
  router.add({"POST", base, kWrite, Channel::kApi, create_programme});
  router.add({"GET", base + "/{id}", kRead, Channel::kApi, show_programme});
  router.add({"PATCH", base + "/{id}", kWrite, Channel::kApi, update_programme});
  router.add({"GET", base + "/{id}/theory-of-change", kRead, Channel::kApi, show_theory_of_change});
  router.add({"PUT", base + "/{id}/theory-of-change", kWrite, Channel::kApi, save_theory_of_change});
  router.add({"GET", base + "/{id}/indicators", kRead, Channel::kApi, list_indicators});
  router.add({"POST", base + "/{id}/indicators", kWrite, Channel::kApi, add_indicator});
  router.add({"GET", base + "/{id}/indicators/{indicator}", kRead, Channel::kApi, show_indicator});
  router.add({"DELETE", base + "/{id}/indicators/{indicator}", kWrite, Channel::kApi, remove_indicator});
  router.add({"POST", base + "/{id}/indicators/{indicator}/measurements", kWrite, Channel::kApi, add_measurement});
  router.add({"GET", base + "/{id}/costs", kRead, Channel::kApi, list_costs});
  router.add({"POST", base + "/{id}/costs", kWrite, Channel::kApi, add_cost});
  router.add({"DELETE", base + "/{id}/costs/{cost}", kWrite, Channel::kApi, remove_cost});
  router.add({"GET", base + "/{id}/outcomes", kRead, Channel::kApi, list_outcomes});
  router.add({"POST", base + "/{id}/outcomes", kWrite, Channel::kApi, add_outcome});
  router.add({"DELETE", base + "/{id}/outcomes/{outcome}", kWrite, Channel::kApi, remove_outcome});
  router.add({"GET", base + "/{id}/business-case", kRead, Channel::kApi, business_case});
  router.add({"GET", base + "/{id}/reach", kRead, Channel::kApi, reach});
  router.add({"GET", "/api/v1/staff-grades", kRead, Channel::kApi, list_staff_grades});
  router.add({"PUT", "/api/v1/staff-grades", kWrite, Channel::kApi, save_staff_grades});
}

}  // namespace coproduce::web
