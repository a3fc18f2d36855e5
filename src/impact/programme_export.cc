#include "impact/programme_export.h"

#include <cmath>
#include <utility>

#include "impact/measures.h"

namespace coproduce::impact {
namespace {

using sheets::Cell;
using sheets::Sheet;

Cell text(std::string t) { return Cell::of(std::move(t)); }
// Whole pence as pounds, rounded to the penny once.
Cell pounds(double pence) { return Cell::real(std::round(pence) / 100.0); }
Cell optional_real(const std::optional<double>& v) { return v ? Cell::real(*v) : Cell::empty(); }

Sheet summary_sheet(const Programme& p, const ProgrammeBusinessCase& bcase) {
  const BusinessCase& bc = bcase.figures;
  const bool own = bcase.period.from == p.details.starts_on && bcase.period.to == p.details.ends_on;
  Sheet s{"Summary", {{text("Figure"), text("Value"), text("Worked out from")}}};
  s.rows.push_back({text("Programme"), text(p.details.name), text("")});
  s.rows.push_back({text("Costs counted from"), text(bcase.period.from + " to " + bcase.period.to),
                    text(own ? "The programme's period" : "The period asked for")});
  s.rows.push_back(
      {text("Discount rate, % a year"), Cell::real(bc.discount_rate_percent), text("The programme's rate")});
  s.rows.push_back({text("Total present value, £"), pounds(static_cast<double>(bc.total_present_value_pence)),
                    text("Outcomes sheet: the sum of present values, rounded once")});
  s.rows.push_back({text("Total costs, £"), pounds(static_cast<double>(bc.total_costs_pence)), text("Costs sheet")});
  s.rows.push_back({text("Net present value, £"), pounds(static_cast<double>(bc.net_present_value_pence)),
                    text("Total present value less total costs")});
  if (bc.ratio)
    s.rows.push_back({text("Value for every £1 spent, £"), Cell::real(*bc.ratio),
                      text("Total present value divided by total costs")});
  else
    s.rows.push_back({text("Value for every £1 spent"), text("No ratio"), text(kNoCostsMessage)});
  const std::pair<const char*, const Scenario*> scenarios[] = {
      {"Low", &bc.scenarios.low}, {"Central", &bc.scenarios.central}, {"High", &bc.scenarios.high}};
  const char* const settings[] = {"pessimistic end", "given value", "optimistic end"};
  for (size_t i = 0; i < std::size(scenarios); ++i)
    s.rows.push_back({text(std::string(scenarios[i].first) + " scenario: net present value, £"),
                      pounds(static_cast<double>(scenarios[i].second->net_present_value_pence)),
                      text(std::string("Every assumption at its ") + settings[i])});
  return s;
}

void add_outcome_sheets(const BusinessCase& bc, std::vector<Sheet>& book) {
  Sheet outcomes{"Outcomes",
                 {{text("Outcome"), text("Quantity a year"), text("Quantity source"), text("Value per unit, £"),
                   text("Value source"), text("Price year"), text("Duration, years"), text("Deadweight %"),
                   text("Attribution %"), text("Displacement %"), text("Drop-off % a year"),
                   text("First year adjusted value, £"), text("Present value, £")}}};
  Sheet workings{"Workings",
                 {{text("Outcome"), text("Year"), text("Value in the year, £"), text("Discount factor"),
                   text("Present value, £")}}};
  for (const auto& o : bc.outcomes) {
    const auto& in = o.input;
    outcomes.rows.push_back(
        {text(in.name), Cell::real(in.quantity), text(in.quantity_source), pounds(static_cast<double>(in.value_pence)),
         text(in.source), in.price_year ? Cell::whole(*in.price_year) : Cell::empty(), Cell::whole(in.duration_years),
         Cell::real(in.deadweight), Cell::real(in.attribution), Cell::real(in.displacement), Cell::real(in.drop_off),
         Cell::real(o.adjusted_value_pence / 100.0), pounds(static_cast<double>(o.present_value_pence))});
    for (const auto& y : o.years)
      workings.rows.push_back({text(in.name), Cell::whole(y.year), Cell::real(y.value_pence / 100.0),
                               Cell::real(y.discount_factor), Cell::real(y.present_value_pence / 100.0)});
  }
  book.push_back(std::move(outcomes));
  book.push_back(std::move(workings));
}

Sheet sensitivity_sheet(const BusinessCase& bc) {
  Sheet s{"Sensitivity",
          {{text("Outcome"), text("Assumption"), text("As given"), text("Low end"), text("High end"),
            text("Default range (±50%)"), text("NPV at low end, £"), text("NPV at high end, £"), text("Swing, £")}}};
  for (const auto& x : bc.sensitivity)
    s.rows.push_back(
        {text(x.outcome ? x.outcome_name : "Whole case"), text(std::string(assumption_label(x.assumption))),
         Cell::real(x.central), Cell::real(x.range.low), Cell::real(x.range.high), text(x.default_range ? "Yes" : "No"),
         pounds(static_cast<double>(x.at_low.net_present_value_pence)),
         pounds(static_cast<double>(x.at_high.net_present_value_pence)), pounds(static_cast<double>(x.swing_pence))});
  s.rows.push_back({});
  s.rows.push_back({text("Break-even"), text("Assumption"), text("As given"), text("Break-even value")});
  for (const auto& b : bc.break_even)
    s.rows.push_back({text(b.outcome ? b.outcome_name : "Whole case"),
                      text(std::string(assumption_label(b.assumption))), Cell::real(b.central),
                      b.value
                          ? Cell::real(*b.value)
                          : text(b.result == BreakEvenResult::kPositiveThroughout ? "Positive throughout the range"
                                                                                  : "Negative throughout the range")});
  return s;
}

Sheet costs_sheet(const BusinessCase& bc) {
  Sheet s{"Costs", {{text("Cost"), text("Date"), text("Amount, £")}}};
  for (const auto& c : bc.costs)
    s.rows.push_back({text(c.label), text(c.date), pounds(static_cast<double>(c.amount_pence))});
  return s;
}

Sheet indicators_sheet(const std::vector<Indicator>& indicators) {
  Sheet s{"Indicators",
          {{text("Indicator"), text("Measures"), text("Unit"), text("Period"), text("Value"), text("Base"),
            text("95% interval from"), text("95% interval to"), text("Source or note"), text("Target"),
            text("Target date"), text("Status"), text("Rule")}}};
  for (const auto& i : indicators) {
    const auto& d = i.definition;
    auto row = [&](std::string period, Cell value, Cell base, Cell lower, Cell upper, std::string note) {
      s.rows.push_back({text(d.name), text(i.element), text(d.unit), text(std::move(period)), std::move(value),
                        std::move(base), std::move(lower), std::move(upper), text(std::move(note)),
                        optional_real(d.target_value), text(d.target_date), text(i.status.label), text(i.status.rule)});
    };
    for (const auto& m : i.measurements) {
      if (withheld(m)) {
        row(m.period.label, Cell::empty(), Cell::empty(), Cell::empty(), Cell::empty(),
            m.note.empty() ? std::string(kTooFewToShow) : m.note);
        continue;
      }
      row(m.period.label, optional_real(m.value), m.base ? Cell::whole(*m.base) : Cell::empty(), optional_real(m.lower),
          optional_real(m.upper), m.value ? m.evidence : m.note);
    }
    if (i.measurements.empty())
      row("", Cell::empty(), Cell::empty(), Cell::empty(), Cell::empty(), "No measurement yet");
  }
  return s;
}

Sheet reach_sheet(const ProgrammeReach& r) {
  Sheet s{"Reach", {{text("Figure"), text("Count"), text("Share or value"), text("Note")}}};
  auto figure = [&](const char* name, Cell count, Cell value, std::string note) {
    s.rows.push_back({text(name), std::move(count), std::move(value), text(std::move(note))});
  };
  figure("Period", Cell::empty(), Cell::empty(), r.period.from + " to " + r.period.to);
  figure("Activities held", Cell::whole(r.activities), Cell::empty(), "the programme's activities that went ahead");
  figure("Places", Cell::whole(r.places), Cell::empty(), "attendances at those activities");
  figure("People", Cell::whole(r.people), Cell::empty(), "people with at least one place");
  figure("Places that went to newcomers", Cell::whole(r.newcomer_places), optional_real(r.newcomer_share),
         "a person's first place at any of the organisation's activities");
  figure("Places held by the most involved tenth", Cell::empty(), optional_real(r.top_tenth_share),
         "about 0.1 if everyone took part equally");
  figure("Gini coefficient of places", Cell::empty(), optional_real(r.gini),
         "0 is an equal share for everyone; nearer 1, the more places went to a few");

  s.rows.push_back({});
  s.rows.push_back({text("Rung"), text("Lead's ratings"), text("Members' ratings"), text("Note")});
  for (const auto& g : r.rungs)
    s.rows.push_back(
        {text(g.label), Cell::whole(g.lead), Cell::whole(g.members), text("rung " + std::to_string(g.rank))});
  s.rows.push_back({text("Ratings"), Cell::whole(r.lead_rated), Cell::whole(r.member_ratings),
                    text("activities their lead rated; members' own ratings")});
  s.rows.push_back({text("Mean rung"), optional_real(r.lead_mean), optional_real(r.member_mean),
                    text("1 coercion to 7 co-production; empty with no ratings")});

  s.rows.push_back({});
  s.rows.push_back({text("Category"), text("Group of people"), text("Places"), text("Share of places"),
                    text("Benchmark"), text("Gap"), text("Note")});
  const std::string benchmark =
      r.benchmark_local ? "the organisation's own benchmark" : "England and Wales 2021 Census";
  if (r.who.suppressed) {
    s.rows.push_back({text("Every category"), Cell::empty(), Cell::empty(), Cell::empty(), Cell::empty(), Cell::empty(),
                      text(kTooFewToShow)});
    return s;
  }
  for (const auto& c : r.who.categories) {
    if (c.suppressed) {
      s.rows.push_back({text(c.label), Cell::empty(), Cell::empty(), Cell::empty(), Cell::empty(), Cell::empty(),
                        text(kTooFewToShow)});
      continue;
    }
    for (const auto& v : c.values)
      s.rows.push_back({text(c.label), text(v.label), Cell::whole(v.places), Cell::real(v.share),
                        optional_real(v.benchmark_share), optional_real(v.gap),
                        text(describe_gap(v, c.known_places) + " (against " + benchmark + ")")});
    s.rows.push_back({text(c.label), text("Not known"), Cell::whole(c.not_known_places), Cell::empty(), Cell::empty(),
                      Cell::empty(), text("no answer or prefer not to say; not in the shares")});
  }
  return s;
}

}  // namespace

bool withheld(const Measurement& m) {
  return m.suppressed || (m.value && m.base && *m.base > 0 && *m.base < kMinPeopleForBreakdown);
}

std::vector<Sheet> business_case_sheets(const Programme& programme, const ProgrammeBusinessCase& business_case,
                                        const std::vector<Indicator>& indicators, const ProgrammeReach& reach) {
  std::vector<Sheet> book;
  book.push_back(summary_sheet(programme, business_case));
  add_outcome_sheets(business_case.figures, book);
  book.push_back(sensitivity_sheet(business_case.figures));
  book.push_back(costs_sheet(business_case.figures));
  book.push_back(indicators_sheet(indicators));
  book.push_back(reach_sheet(reach));
  return book;
}

StatusOr<std::string> business_case_xlsx(const Programme& programme, const ProgrammeBusinessCase& business_case,
                                         const std::vector<Indicator>& indicators, const ProgrammeReach& reach) {
  return sheets::to_xlsx(business_case_sheets(programme, business_case, indicators, reach));
}

std::vector<Sheet> theory_of_change_sheets(const TheoryOfChange& toc) {
  Sheet elements{"Elements", {{text("Reference"), text("Stage"), text("Text")}}};
  for (const auto& e : toc.elements) elements.rows.push_back({text(e.ref), text(stage_label(e.stage)), text(e.text)});
  Sheet links{"Links", {{text("From"), text("To"), text("Assumptions"), text("Conditions")}}};
  for (const auto& l : toc.links)
    links.rows.push_back({text(l.from), text(l.to), text(l.assumptions), text(l.conditions)});
  return {std::move(elements), std::move(links)};
}

StatusOr<std::string> theory_of_change_xlsx(const TheoryOfChange& toc) {
  return sheets::to_xlsx(theory_of_change_sheets(toc));
}

}  // namespace coproduce::impact
