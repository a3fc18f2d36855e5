// The demonstration's programme: 'Carers' voices', gathered around the
// Carers' Partnership Board (demo_library.cc and demo_activities.cc find it
// by name as this does). A year from the first of the month twelve months
// ago, running for two years: its theory of change from inputs to impact,
// eight indicators (three entered by hand with a year of monthly figures and
// the evidence for each, four platform measures, and one from a quarterly
// survey of carers with a year of made-up answers), 'you said, we did'
// actions on the board's meetings, three staff grades, the
// staff time, venue, catering and accessibility costs of the board's
// meetings, and two valued outcomes, one on HM Treasury's WELLBY figure and
// one on an organisation's own proxy (illustrative demo data, and its source
// says so), so the business case has a ratio.
//
// Everything goes through impact::Programmes, so the audit log and the
// figures see the demo as they would see a lead's work. Every figure is made
// up, and modest.
#include "app/demo_impact.h"

#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "activities/activities.h"
#include "collection/surveys.h"
#include "collection/transfer.h"
#include "core/clock.h"
#include "impact/programmes.h"
#include "involvement/groups.h"
#include "survey/definition.h"

namespace coproduce::app {
namespace {

constexpr const char* kProgramme = "Carers' voices";

std::string iso(std::chrono::year_month_day d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                static_cast<unsigned>(d.day()));
  return buf;
}

std::string month_label(std::chrono::year_month m) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u", static_cast<int>(m.year()), static_cast<unsigned>(m.month()));
  return buf;
}

}  // namespace

Status load_impact(store::Database& db, const Clock& clock, int64_t org, int64_t admin_id) {
  using namespace std::chrono;
  Actor actor{admin_id, "demo"};
  impact::Programmes programmes(db, clock);
  {
    auto existing = programmes.list(org);
    if (!existing.ok()) return existing.status();
    for (const auto& p : *existing)
      if (p.details.name == kProgramme) return Status::Ok();
  }
  involvement::Groups groups(db, clock);
  auto all = groups.list(org);
  if (!all.ok()) return all.status();
  std::optional<int64_t> board;
  for (const auto& g : *all)
    if (g.name == "Carers' Partnership Board") board = g.id;
  if (!board) return Status::Ok();
  auto board_activities = activities::Activities(db, clock).list(org, *board);
  if (!board_activities.ok()) return board_activities.status();

  // The programme's year: from the first of the month twelve months ago, so
  // twelve whole months have ended; it runs for two years in all.
  year_month_day today{floor<days>(clock.now())};
  year_month first = year_month{today.year(), today.month()} - months(12);
  std::string starts_on = iso(first / day(1));
  std::string ends_on = iso(sys_days{(first + months(24)) / day(1)} - days(1));
  std::string year_on = iso(sys_days{(first + months(12)) / day(1)} - days(1));

  impact::ProgrammeInput in;
  in.name = kProgramme;
  in.purpose =
      "Unpaid carers shape the council's support for carers from the start, through a Carers' Partnership Board "
      "recruited fairly with half its places for people never involved before.";
  in.lead = "Demo Co-production Lead";
  in.starts_on = starts_on;
  in.ends_on = ends_on;
  in.group_ids = {*board};
  auto made = programmes.create(org, in, actor);
  if (!made.ok()) return made.status();
  const int64_t id = made->id;

  // ---- Theory of change
  impact::TheoryOfChangeInput toc;
  toc.elements = {
      {"IN1", "input",
       "Paid time of twelve carers on the board, with their travel, replacement care and other expenses"},
      {"IN2", "input",
       "Time of the carers' lead, a commissioner and a support officer; a step-free venue; BSL "
       "interpreters and Easy Read papers"},
      {"A1", "activity", "Board meetings every six weeks, chaired with a carer"},
      {"A2", "activity", "Co-design workshops on the carers' breaks service"},
      {"OP1", "output", "Board meetings and workshops held, with carers new to involvement in the room"},
      {"OP2", "output", "Carers reached through board members' own networks"},
      {"OS1", "outcome_short", "Carers on the board feel listened to and confident to speak"},
      {"OM1", "outcome_medium", "Carers' services, starting with breaks, are shaped by carers from the start"},
      {"OL1", "outcome_long", "Carers feel less isolated and better able to keep caring"},
      {"IM1", "impact", "Carers in Brightwater live well alongside caring"},
  };
  toc.links = {
      {"IN1", "A1", "Carers can take part because time, travel and replacement care are paid",
       "Payments are made within a month and benefits advice is offered"},
      {"IN2", "A1", "Staff time is protected for the board", "The carers' lead is not moved to other work"},
      {"IN2", "A2", "", "The commissioner attends every workshop"},
      {"A1", "OP1", "Meetings at times and places carers can manage", "Meetings move online when carers ask"},
      {"A2", "OP1", "", ""},
      {"A1", "OP2", "Members are willing to talk to carers they know", "Members have leaflets and Easy Read versions"},
      {"OP1", "OS1", "Decisions are fed back ('you said, we did') so carers see their effect", ""},
      {"OP2", "OM1", "What carers outside the board say reaches the board", ""},
      {"OS1", "OM1", "The council acts on the board's advice", "Commissioners keep co-design in the breaks tender"},
      {"OM1", "OL1", "Better-designed breaks are taken up by carers", "The breaks service is funded"},
      {"OL1", "IM1", "Other changes in carers' lives do not outweigh the gains", ""},
  };
  if (auto saved = programmes.save_theory_of_change(org, id, toc, actor); !saved.ok()) return saved.status();

  // ---- Indicators
  auto indicator = [&](const char* element, impact::IndicatorDefinition d) -> StatusOr<int64_t> {
    auto added = programmes.add_indicator(org, id, {element, std::move(d)}, actor);
    if (!added.ok()) return added.status();
    return added->id;
  };
  struct Manual {
    const char* element;
    impact::IndicatorDefinition definition;
    std::vector<double> values;  // the twelve months, oldest first
    const char* evidence;        // "%s" is the month
  };
  std::vector<Manual> manual = {
      {"OS1",
       {.name = "Members who feel listened to",
        .definition = "Share of board members answering 'yes, mostly' or 'yes, always' to 'Did the board listen to "
                      "you this month?' in the monthly check-in",
        .unit = "percentage",
        .direction = "higher",
        .frequency = "monthly",
        .source = "manual",
        .baseline_value = 40,
        .baseline_date = starts_on,
        .target_value = 80,
        .target_date = ends_on},
       {42, 45, 50, 48, 55, 58, 60, 57, 63, 66, 70, 72},
       "Monthly check-in, %s: answers from the members who took part, counted by the support officer"},
      {"OP2",
       {.name = "Carers reached through members' networks",
        .definition = "Carers a board member talked to about the board's work in the month, from members' own logs",
        .unit = "count",
        .direction = "higher",
        .frequency = "monthly",
        .source = "manual",
        .baseline_value = 5,
        .baseline_date = starts_on,
        .target_value = 40,
        .target_date = year_on},
       {6, 8, 11, 9, 14, 16, 15, 19, 22, 21, 25, 27},
       "Members' contact logs for %s, totalled by the carers' lead"},
      {"OL1",
       {.name = "Members' life satisfaction",
        .definition = "Mean answer of board members to 'Overall, how satisfied are you with your life nowadays?' "
                      "(0 to 10, the ONS personal wellbeing question)",
        .unit = "score",
        .direction = "higher",
        .frequency = "monthly",
        .source = "manual",
        .baseline_value = 5.6,
        .baseline_date = starts_on,
        .target_value = 6.4,
        .target_date = ends_on},
       {5.6, 5.7, 5.6, 5.8, 5.9, 5.8, 6.0, 6.0, 6.1, 6.0, 6.2, 6.1},
       "Monthly check-in, %s: the ONS life satisfaction question, mean of members' answers"},
  };
  for (const Manual& m : manual) {
    auto added = indicator(m.element, m.definition);
    if (!added.ok()) return added.status();
    for (size_t i = 0; i < m.values.size(); ++i) {
      std::string label = month_label(first + months(static_cast<int>(i)));
      char evidence[256];
      std::snprintf(evidence, sizeof evidence, m.evidence, label.c_str());
      auto measured = programmes.add_measurement(org, id, *added, {label, m.values[i], evidence}, actor);
      if (!measured.ok()) return measured.status();
    }
  }
  for (auto [name, measure, unit, target] : std::vector<std::tuple<const char*, const char*, const char*, double>>{
           {"Places at the board's meetings", "places", "count", 12},
           {"Places taken by carers new to involvement", "newcomer_share", "percentage", 50}}) {
    impact::IndicatorDefinition d{.name = name,
                                  .definition = "",
                                  .unit = unit,
                                  .direction = "higher",
                                  .frequency = "monthly",
                                  .source = "platform",
                                  .measure = measure,
                                  .target_value = target,
                                  .target_date = ends_on};
    if (auto added = indicator("OP1", d); !added.ok()) return added.status();
  }

  // ---- 'You said, we did' on the board's meetings: an action from each
  // meeting in the year, due four weeks on. Each is recorded as done on the
  // day it was done (a clock set to that day), three in four before their
  // date and the fourth a fortnight late, so 'done by their date' has a
  // history to show.
  activities::Activities acts(db, clock);
  int made_actions = 0;
  for (const auto& a : *board_activities) {
    std::string date = a.starts_at.substr(0, 10);
    if (a.status == "cancelled" || date < starts_on || date > year_on) continue;
    sys_days held{year_month_day{year{std::stoi(date.substr(0, 4))}, month{static_cast<unsigned>(std::stoi(date.substr(5, 2)))},
                                 day{static_cast<unsigned>(std::stoi(date.substr(8, 2)))}}};
    year_month_day due{held + days(28)};
    bool late = ++made_actions % 4 == 0;
    sys_days done_on = held + days(late ? 42 : 21);
    if (done_on > floor<days>(clock.now())) continue;
    FakeClock then(done_on + hours(12));
    activities::ActionInput action{"Carers asked for papers earlier and in Easy Read",
                                   "Papers went out a week before, with an Easy Read version",
                                   "Carers' lead",
                                   "done",
                                   std::to_string(static_cast<unsigned>(due.day())),
                                   std::to_string(static_cast<unsigned>(due.month())),
                                   std::to_string(static_cast<int>(due.year()))};
    if (auto added = activities::Activities(db, then).add_action(org, a.id, action, actor); !added.ok())
      return added.status();
  }
  {
    impact::IndicatorDefinition d{.name = "'You said, we did' actions done by their date",
                                  .definition = "Of the actions agreed at the board's meetings and due in the quarter, "
                                                "the share done on or before the date agreed",
                                  .unit = "percentage",
                                  .direction = "higher",
                                  .frequency = "quarterly",
                                  .source = "platform",
                                  .measure = "actions_on_time",
                                  .target_value = 90,
                                  .target_date = ends_on};
    if (auto added = indicator("OS1", d); !added.ok()) return added.status();
  }
  {
    impact::IndicatorDefinition d{.name = "Gap in places for disabled carers",
                                  .definition = "Share of the board's places held by disabled carers, less their share "
                                                "of the benchmark population, in percentage points (0 means no gap)",
                                  .unit = "points",
                                  .direction = "higher",
                                  .frequency = "quarterly",
                                  .source = "platform",
                                  .measure = "benchmark_gap",
                                  .target_value = 0,
                                  .target_date = ends_on};
    d.category = "disability";
    d.category_value = "disabled";
    if (auto added = indicator("OP1", d); !added.ok()) return added.status();
  }

  // ---- A survey of carers beyond the board, each quarter of the year:
  // 'Do you feel the council listens to carers?', with the share answering
  // yes rising as the board's work becomes known. Made-up answers.
  {
    auto q = survey::parse_definition(
        R"({"format": "coproduce-survey/1", "title": "Carers' voice survey",
            "description": "A short survey of carers in Brightwater, each quarter.",
            "questions": [{"code": "listens", "type": "single", "text": "Do you feel the council listens to carers?",
                           "options": [{"code": "yes", "label": "Yes"}, {"code": "no", "label": "No"},
                                       {"code": "not_sure", "label": "I'm not sure"}]}]})",
        "carers-voice-survey.json");
    if (!q.ok()) return q.status();
    collection::Surveys surveys(db, clock);
    auto made_survey = surveys.create(org, *q, "", actor);
    if (!made_survey.ok()) return made_survey.status();
    std::string csv = "id,started_at,submitted_at,last_page,listens\r\n";
    int n = 0;
    for (int quarter = 0; quarter < 4; ++quarter) {
      int answers = 24 + 4 * quarter, yes = answers * (35 + 9 * quarter) / 100;
      for (int i = 0; i < answers; ++i) {
        std::string when = iso((first + months(3 * quarter + i % 3)) / day(static_cast<unsigned>(2 + i % 25)));
        const char* answer = i < yes ? "yes" : i % 3 == 0 ? "not_sure" : "no";
        csv += "cv-" + std::to_string(++n) + "," + when + "T10:00:00," + when + "T10:06:00,1," + answer + "\r\n";
      }
    }
    auto imported = collection::import_csv(db, clock, *made_survey, *q, csv, "carers-voice-survey.csv", true, actor);
    if (!imported.ok()) return imported.status();
    impact::IndicatorDefinition d{.name = "Carers who feel the council listens",
                                  .definition = "Share of carers answering yes to 'Do you feel the council listens to "
                                                "carers?' in the quarterly Carers' voice survey",
                                  .unit = "percentage",
                                  .direction = "higher",
                                  .frequency = "quarterly",
                                  .source = "survey",
                                  .baseline_value = 35,
                                  .baseline_date = starts_on,
                                  .target_value = 65,
                                  .target_date = ends_on};
    d.survey_id = made_survey->id;
    d.question = "listens";
    d.options = {"yes"};
    if (auto added = indicator("OM1", d); !added.ok()) return added.status();
  }

  // ---- Staff grades and costs
  auto grades = programmes.staff_grades(org);
  if (!grades.ok()) return grades.status();
  for (const impact::StaffGrade& g : std::vector<impact::StaffGrade>{
           {"Carers' lead", 2250, 28}, {"Commissioner", 2800, 30}, {"Support officer", 1580, 25}}) {
    bool have = false;
    for (const auto& e : *grades) have = have || e.name == g.name;
    if (!have) grades->push_back(g);
  }
  if (auto saved = programmes.save_staff_grades(org, *grades, actor); !saved.ok()) return saved.status();

  auto cost = [&](impact::CostInput c) -> Status {
    auto added = programmes.add_cost(org, id, c, actor);
    return added.ok() ? Status::Ok() : added.status();
  };
  for (const auto& a : *board_activities) {
    if (a.status == "cancelled") continue;
    std::string date = a.starts_at.substr(0, 10);
    if (date < starts_on || date > ends_on) continue;
    bool workshop = a.kind == "co_design";
    for (auto [grade, hours, note] : std::vector<std::tuple<const char*, double, const char*>>{
             {"Carers' lead", workshop ? 10.0 : 7.5, "Planning, papers, chairing with a carer and follow-up"},
             {"Commissioner", workshop ? 5.0 : 2.5, "At the meeting and answering the board's questions"},
             {"Support officer", 5.0, "Bookings, payments, access and the Easy Read version"}}) {
      if (Status s = cost(
              {.kind = "staff_time", .date = date, .note = note, .activity_id = a.id, .grade = grade, .hours = hours});
          !s.ok()) {
        return s;
      }
    }
    // The costs of each meeting beyond staff time, by kind.
    for (auto [kind, pence, note] : std::vector<std::tuple<const char*, int64_t, const char*>>{
             {"venue", workshop ? 18000 : 12000, "Step-free community room"},
             {"catering", workshop ? 9500 : 6000, "Lunch and drinks"},
             {"interpreters", 18000, "Two BSL interpreters"},
             {"transport", 4500, "Accessible taxi for a member"}}) {
      if (Status s = cost({.kind = kind, .amount_pence = pence, .date = date, .note = note, .activity_id = a.id});
          !s.ok()) {
        return s;
      }
    }
  }
  if (Status s = cost({.kind = "easy_read",
                       .amount_pence = 25000,
                       .date = iso(first / day(15)),
                       .note = "Easy Read version of the board's terms of reference"});
      !s.ok()) {
    return s;
  }
  if (Status s = cost({.kind = "training",
                       .amount_pence = 30000,
                       .date = iso((first + months(1)) / day(10)),
                       .note = "Induction day for new members, with a peer trainer"});
      !s.ok()) {
    return s;
  }

  // ---- Valued outcomes
  impact::OutcomeInput wellbeing;
  wellbeing.name = "Board members' wellbeing";
  wellbeing.proxy = "wellby";
  wellbeing.quantity = 1.2;
  wellbeing.quantity_source =
      "12 members each 0.1 points higher on the 0 to 10 life satisfaction scale over the year (indicator 'Members' "
      "life satisfaction', 5.6 to 6.1, rounded down): 1.2 WELLBYs a year";
  wellbeing.duration_years = 2;
  wellbeing.deadweight = 30;   // some would have felt better anyway
  wellbeing.attribution = 40;  // other support carers had in the year
  wellbeing.displacement = 0;
  wellbeing.drop_off = 50;  // halves in the second year
  if (auto added = programmes.add_outcome(org, id, wellbeing, actor); !added.ok()) return added.status();

  impact::OutcomeInput breaks;
  breaks.name = "Emergency respite placements avoided";
  breaks.quantity = 2;
  breaks.quantity_source = "Typed: carers' lead's estimate from the breaks service redesign";
  breaks.value_pence = 185000;
  breaks.source =
      "Illustrative demo data: Brightwater's own unit cost of an emergency respite week (made up for the "
      "demonstration; not a published figure)";
  breaks.price_year = static_cast<int>(today.year());
  breaks.duration_years = 1;
  breaks.deadweight = 50;
  breaks.attribution = 50;
  if (auto added = programmes.add_outcome(org, id, breaks, actor); !added.ok()) return added.status();
  return Status::Ok();
}

}  // namespace coproduce::app
