#include "survey/report.h"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/csv.h"
#include "report/charts.h"
#include "report/format.h"
#include "survey/publish.h"

namespace coproduce::survey {

namespace {

using json = nlohmann::ordered_json;
using report::escape_html;
using report::format_percent;
using report::group_thousands;

constexpr const char* kCompleteDefinition =
    "A response is complete when the person pressed submit at the end; completion rate is complete responses "
    "divided by everyone who started.";
constexpr const char* kBaseDefinition =
    "The base of a question is the number of analysed responses that were shown it (its show-if condition held) "
    "and answered it. Percentages are of the base.";
constexpr const char* kIntervalDefinition =
    "The 95% interval (Wilson score) is the range of values for the whole population that fits these answers: "
    "if the survey were repeated many times, 95 in 100 such ranges would contain the true figure.";

constexpr const char* kRepeatBaseDefinition =
    "A repeat is a group of questions answered once for each of something (each service a person uses). Its "
    "counts per response are over the analysed responses shown it; the base of each of its questions is the "
    "number of instances (rows of the repeat, not people) that answered it, so one person can count several "
    "times. Percentages of a repeat's questions are of instances.";

json number_or_null(const std::optional<double>& x) { return x ? json(*x) : json(nullptr); }

json count_json(const ShownCount& c) { return c.suppressed ? json(nullptr) : json(static_cast<long>(c.value)); }

// A count for CSV: "*" or the plain number (no thousands separators).
std::string csv_count(const ShownCount& c) {
  return c.suppressed ? "*" : std::to_string(static_cast<long>(c.value));
}

std::string fixed(double x, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, x);
  return buf;
}

// Six significant digits, so tiny p-values keep their size: 1.04110e-11.
std::string general(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", x);
  return buf;
}

std::string format_p(double p) {
  if (p < 0.001) return "< 0.001";
  return fixed(p, 3);
}

// A table cell's text: "*", or "10 (12.5%)".
std::string percent_or_star(const Shown& s) { return s.proportion ? format_percent(*s.proportion) : "*"; }

std::string interval_text(const Shown& s) {
  if (!s.interval) return "*";
  return format_percent(s.interval->lower) + " to " + format_percent(s.interval->upper);
}

// A horizontal bar chart as inline SVG, drawn by report (the one home of
// chart geometry). Bars carry the same labels as the table that follows it,
// so nothing suppressed in the table shows in the chart.
using Bar = report::Bar;

std::string svg_bars(const std::string& id, const std::string& title, const std::string& description,
                     std::vector<Bar> bars) {
  return report::bar_chart_svg({id, title, description, std::move(bars)});
}

constexpr const char* kStyle = R"CSS(
body { font-family: Arial, Helvetica, sans-serif; color: #0b0c0c; max-width: 960px; margin: 0 auto; padding: 1rem; line-height: 1.4; }
h1 { font-size: 2rem; } h2 { margin-top: 2.5rem; border-top: 2px solid #b1b4b6; padding-top: 1rem; } h3 { margin-top: 2rem; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; min-width: 50%; }
caption { text-align: left; font-weight: bold; padding: 0.25rem 0; }
th, td { border-bottom: 1px solid #b1b4b6; padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.chart { max-width: 100%; height: auto; display: block; }
.chart text { font-size: 13px; fill: #0b0c0c; font-family: Arial, Helvetica, sans-serif; }
.chart .bar { fill: #1d70b8; }
.note { background: #f3f2f1; padding: 0.75rem 1rem; border-left: 5px solid #1d70b8; }
.warning { border-left: 5px solid #d4351c; padding-left: 0.75rem; }
@media print { body { max-width: none; } h2 { break-before: page; } section, table, svg { break-inside: avoid; } .chart .bar { fill: #444; } }
)CSS";

}  // namespace

bool repeat_averages_hidden(const RepeatResult& r, const SuppressionPolicy& policy) {
  return policy.count(r.responses).suppressed || policy.count(r.instances).suppressed;
}

std::string render_json(const Analysis& a, const SuppressionPolicy& policy, const ReportInfo& info) {
  const bool weighted = a.weighting.has_value();
  json doc;
  doc["survey"] = {{"id", a.survey_id}, {"title", a.title}};
  doc["sources"] = {{"definition", info.definition}, {"responses", info.responses}};
  doc["suppression"] = {{"method", std::string(policy.name())}, {"note", policy.explanation()}};
  doc["definitions"] = {{"complete", kCompleteDefinition}, {"base", kBaseDefinition}, {"interval", kIntervalDefinition}};
  doc["include_partial"] = a.include_partial;
  doc["starts"] = count_json(policy.count(a.starts));
  doc["completes"] = count_json(policy.count(a.completes));
  doc["completion_rate"] = number_or_null(publish_completion_rate(a, policy));
  doc["analysed"] = count_json(policy.count(a.analysed));
  json dropoff = json::array();
  for (const PageFlow& p : a.dropoff) {
    dropoff.push_back({{"page", p.page}, {"reached", count_json(policy.count(p.reached))},
                       {"stopped", count_json(policy.count(p.stopped))}});
  }
  doc["dropoff"] = std::move(dropoff);
  if (weighted) {
    const WeightingSummary& w = *a.weighting;
    doc["weighting"] = {{"method", "raking"},         {"variables", w.variables},
                        {"iterations", w.iterations}, {"converged", w.converged},
                        {"max_error", w.max_error},   {"design_effect", w.design_effect},
                        {"effective_sample_size", w.effective_n}};
  } else {
    doc["weighting"] = nullptr;
  }
  auto question_json = [&](const QuestionResult& q) {
    json j;
    j["code"] = q.code;
    j["text"] = q.text;
    j["type"] = q.type;
    j["page"] = q.page;
    if (!q.show_if.empty()) j["show_if"] = q.show_if;
    const ShownCount base = policy.count(q.base);
    j["shown"] = count_json(policy.count(q.shown));
    j["base"] = count_json(base);
    if (base.suppressed) j["base_suppressed"] = true;
    if (weighted) {
      j["weighted_base"] = q.weighted_base;
      j["effective_base"] = q.effective_base;
    }
    if (q.multiple) j["multiple"] = true;
    if (!q.options.empty()) {
      json options = json::array();
      for (const OptionResult& o : q.options) {
        const Shown s = publish(policy, o.count, q.base, o.proportion, o.interval, weighted);
        json oj = {{"code", o.code}, {"label", o.label}, {"count", count_json(s.count)},
                   {"proportion", number_or_null(s.proportion)}};
        oj["interval"] = s.interval ? json::array({s.interval->lower, s.interval->upper}) : json(nullptr);
        if (s.count.suppressed) oj["suppressed"] = true;
        options.push_back(std::move(oj));
      }
      j["options"] = std::move(options);
    }
    if (q.number && !base.suppressed) {
      j["summary"] = {{"mean", q.number->mean}, {"median", q.number->median}, {"min", q.number->min}, {"max", q.number->max}};
    }
    return j;
  };
  json questions = json::array();
  for (const QuestionResult& q : a.questions) questions.push_back(question_json(q));
  doc["questions"] = std::move(questions);
  // Repeats: counts per response, then each question with instances as its base.
  json repeats = json::array();
  for (const RepeatResult& r : a.repeats) {
    const ShownCount responses = policy.count(r.responses), instances = policy.count(r.instances);
    json rj = {{"code", r.code}, {"label", r.label}, {"page", r.page}};
    if (!r.show_if.empty()) rj["show_if"] = r.show_if;
    rj["responses"] = count_json(responses);
    rj["with_instances"] = count_json(policy.count(r.with_instances));
    rj["with_instances_proportion"] = number_or_null(policy.share(r.with_instances, r.responses));
    rj["instances"] = count_json(instances);
    const bool hidden = repeat_averages_hidden(r, policy);
    rj["mean_instances"] = hidden ? json(nullptr) : json(r.mean_instances);
    rj["median_instances"] = hidden ? json(nullptr) : json(r.median_instances);
    rj["base"] = kRepeatBaseDefinition;
    json rq = json::array();
    for (const QuestionResult& q : r.questions) rq.push_back(question_json(q));
    rj["questions"] = std::move(rq);
    repeats.push_back(std::move(rj));
  }
  if (!a.repeats.empty()) doc["repeats"] = std::move(repeats);
  json tabs = json::array();
  for (const CrossTab& t : a.crosstabs) {
    json tj = {{"spec", t.spec}, {"row", t.row}, {"column", t.col}};
    json tables = json::array();
    for (const CrossTable& ct : t.tables) {
      json c;
      c["row"] = ct.row_code;
      c["column"] = ct.col_code;
      c["row_options"] = ct.row_options;
      c["column_options"] = ct.col_options;
      c["base"] = count_json(policy.count(ct.base));
      json cells = json::array();
      json props = json::array();
      for (size_t i = 0; i < ct.counts.size(); ++i) {
        json row = json::array();
        json prow = json::array();
        for (size_t k = 0; k < ct.counts[i].size(); ++k) {
          row.push_back(count_json(policy.count(ct.counts[i][k])));
          prow.push_back(number_or_null(publish_column_share(policy, ct, i, k, weighted)));
        }
        cells.push_back(std::move(row));
        props.push_back(std::move(prow));
      }
      c["cells"] = std::move(cells);
      c["column_proportions"] = std::move(props);
      if (ct.chi_square) {
        c["chi_square"] = ct.chi_square->statistic;
        c["df"] = ct.chi_square->df;
        c["p_value"] = ct.chi_square->p_value;
      } else {
        c["chi_square"] = nullptr;
        c["df"] = nullptr;
        c["p_value"] = nullptr;
      }
      c["fisher_p"] = number_or_null(ct.fisher_p);
      if (t.tables.size() > 1) c["holm_p"] = number_or_null(ct.holm_p);
      c["warnings"] = ct.warnings;
      tables.push_back(std::move(c));
    }
    tj["tables"] = std::move(tables);
    tabs.push_back(std::move(tj));
  }
  doc["crosstabs"] = std::move(tabs);
  doc["warnings"] = a.warnings;
  return doc.dump(2) + "\n";
}

std::string render_csv(const Analysis& a, const SuppressionPolicy& policy, const ReportInfo& /*info*/) {
  const bool weighted = a.weighting.has_value();
  std::ostringstream out;
  csv::Writer w(out);
  auto num = [](const std::optional<double>& x) { return x ? fixed(*x, 6) : std::string(); };
  w.write_row({"section", "variable", "option", "by_variable", "by_option", "count", "base", "proportion", "ci_lower",
               "ci_upper", "chi_square", "df", "p_value", "fisher_p", "holm_p", "note"});
  const std::string note = "suppression: " + std::string(policy.name());
  w.write_row({"completion", "starts", "", "", "", csv_count(policy.count(a.starts)), "", "", "", "", "", "", "", "", "", note});
  w.write_row({"completion", "completes", "", "", "", csv_count(policy.count(a.completes)), csv_count(policy.count(a.starts)),
               num(publish_completion_rate(a, policy)), "",
               "", "", "", "", "", "", "completion rate = completes / starts"});
  for (const PageFlow& p : a.dropoff) {
    w.write_row({"dropoff", "page " + std::to_string(p.page), "reached", "", "", csv_count(policy.count(p.reached)), "", "",
                 "", "", "", "", "", "", "", ""});
    w.write_row({"dropoff", "page " + std::to_string(p.page), "stopped", "", "", csv_count(policy.count(p.stopped)), "", "",
                 "", "", "", "", "", "", "", ""});
  }
  auto question_rows = [&](const QuestionResult& q, const std::string& section, const std::string& base_note) {
    const std::string base = csv_count(policy.count(q.base));
    if (q.options.empty()) {
      std::string summary;
      if (q.number && !policy.count(q.base).suppressed) {
        summary = "mean " + fixed(q.number->mean, 4) + "; median " + fixed(q.number->median, 4) + "; min " +
                  fixed(q.number->min, 4) + "; max " + fixed(q.number->max, 4);
      }
      if (!base_note.empty()) summary += (summary.empty() ? "" : "; ") + base_note;
      w.write_row({section, q.code, "", "", "", "", base, "", "", "", "", "", "", "", "", summary});
      return;
    }
    for (const OptionResult& o : q.options) {
      const Shown s = publish(policy, o.count, q.base, o.proportion, o.interval, weighted);
      w.write_row({section, q.code, o.code, "", "", s.count.suppressed ? "*" : fixed(s.count.value, 0), base,
                   num(s.proportion), s.interval ? fixed(s.interval->lower, 6) : "",
                   s.interval ? fixed(s.interval->upper, 6) : "", "", "", "", "", "", base_note});
    }
  };
  for (const QuestionResult& q : a.questions) question_rows(q, "question", "");
  for (const RepeatResult& r : a.repeats) {
    const ShownCount responses = policy.count(r.responses), instances = policy.count(r.instances);
    const bool hidden = repeat_averages_hidden(r, policy);
    auto figure = [&](const std::string& what, const std::string& value, const std::string& base,
                      const std::string& proportion, const std::string& meaning) {
      w.write_row({"repeat", r.code, what, "", "", value, base, proportion, "", "", "", "", "", "", "", meaning});
    };
    figure("responses", csv_count(responses), "", "", "analysed responses shown the repeat");
    figure("with_instances", csv_count(policy.count(r.with_instances)), csv_count(responses),
           num(policy.share(r.with_instances, r.responses)), "responses with at least one instance");
    figure("instances", csv_count(instances), csv_count(responses), "", "instances of those responses");
    figure("mean_instances", hidden ? "*" : fixed(r.mean_instances, 4), csv_count(responses), "",
           "instances per response");
    figure("median_instances", hidden ? "*" : fixed(r.median_instances, 1), csv_count(responses), "",
           "instances per response");
    for (const QuestionResult& q : r.questions) question_rows(q, "repeat question", "base: instances of " + r.code);
  }
  for (const CrossTab& t : a.crosstabs) {
    for (const CrossTable& ct : t.tables) {
      for (size_t k = 0; k < ct.col_options.size(); ++k) {
        long col_total = 0;
        for (size_t r = 0; r < ct.counts.size(); ++r) col_total += ct.counts[r][k];
        for (size_t i = 0; i < ct.row_options.size(); ++i) {
          const ShownCount c = policy.count(ct.counts[i][k]);
          const std::optional<double> share = publish_column_share(policy, ct, i, k, weighted);
          w.write_row({"crosstab", ct.row_code, ct.row_options[i], ct.col_code, ct.col_options[k],
                       c.suppressed ? "*" : fixed(c.value, 0), csv_count(policy.count(col_total)), num(share), "", "", "",
                       "", "", "", "", "proportion of the column"});
        }
      }
      std::string warnings;
      for (const auto& wn : ct.warnings) warnings += (warnings.empty() ? "" : " ") + wn;
      w.write_row({"test", ct.row_code, "", ct.col_code, "", "", csv_count(policy.count(ct.base)), "", "", "",
                   ct.chi_square ? general(ct.chi_square->statistic) : "",
                   ct.chi_square ? std::to_string(ct.chi_square->df) : "",
                   ct.chi_square ? general(ct.chi_square->p_value) : "", ct.fisher_p ? general(*ct.fisher_p) : "",
                   ct.holm_p ? general(*ct.holm_p) : "", warnings});
    }
  }
  return out.str();
}

std::string render_html(const Analysis& a, const SuppressionPolicy& policy, const ReportInfo& info) {
  const bool weighted = a.weighting.has_value();
  std::ostringstream o;
  const std::string title = a.title.empty() ? "Survey findings" : a.title + ": findings";
  o << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" << escape_html(title)
    << "</title>\n<style>" << kStyle << "</style>\n</head>\n<body>\n<main>\n";
  o << "<h1>" << escape_html(title) << "</h1>\n";
  const ShownCount starts = policy.count(a.starts), completes = policy.count(a.completes);
  const std::optional<double> rate =
      publish_completion_rate(a, policy);
  o << "<p>" << starts.text << " people started the survey and " << completes.text
    << " completed it: a completion rate of " << (rate ? format_percent(*rate) : std::string("*")) << ".</p>\n";
  o << "<div class=\"note\">\n<p>" << kCompleteDefinition << "</p>\n<p>"
    << (a.include_partial ? "Figures include incomplete responses, for the questions they answered."
                          : "Figures are from complete responses only.")
    << " " << kBaseDefinition << "</p>\n<p>" << kIntervalDefinition << "</p>\n<p>" << escape_html(policy.explanation())
    << "</p>\n";
  if (weighted) {
    const WeightingSummary& w = *a.weighting;
    std::string vars;
    for (const auto& v : w.variables) vars += (vars.empty() ? "" : ", ") + v;
    o << "<p>Percentages are weighted by raking to population figures for " << escape_html(vars)
      << ". The design effect of the weights is " << fixed(w.design_effect, 2)
      << ", so the responses carry as much information as about " << group_thousands(std::lround(w.effective_n))
      << " unweighted ones; the intervals allow for this. Counts are not weighted.</p>\n";
  }
  if (!info.definition.empty() || !info.responses.empty()) {
    o << "<p>Questionnaire: " << escape_html(info.definition) << ". Responses: " << escape_html(info.responses);
    if (!info.generated.empty()) o << ". Produced " << escape_html(info.generated);
    o << ".</p>\n";
  }
  o << "</div>\n";
  for (const std::string& w : a.warnings) o << "<p class=\"warning\">" << escape_html(w) << "</p>\n";

  // Drop-off.
  o << "<h2 id=\"completion\">Where people stopped</h2>\n";
  {
    std::vector<Bar> bars;
    for (const PageFlow& p : a.dropoff) {
      const std::optional<double> share = policy.share(p.reached, a.starts);
      bars.push_back({"Page " + std::to_string(p.page), share, policy.count(p.reached).text});
    }
    o << svg_bars("dropoff", "People reaching each page",
                  "Bar chart of the number of people who reached each page of the survey, out of " + starts.text +
                      " who started. The data are in the table that follows.",
                  bars);
    o << "<table>\n<caption>People reaching each page and stopping there (base: " << starts.text
      << " starts)</caption>\n<thead><tr><th scope=\"col\">Page</th><th scope=\"col\" class=\"num\">Reached</th>"
         "<th scope=\"col\" class=\"num\">Stopped here without submitting</th></tr></thead>\n<tbody>\n";
    for (const PageFlow& p : a.dropoff) {
      o << "<tr><th scope=\"row\">" << p.page << "</th><td class=\"num\">" << policy.count(p.reached).text
        << "</td><td class=\"num\">" << policy.count(p.stopped).text << "</td></tr>\n";
    }
    o << "</tbody>\n</table>\n";
  }

  o << "<h2 id=\"questions\">Answers to each question</h2>\n";
  int chart = 0;
  // `repeat` is null for a question asked once, else the repeat it is in:
  // its base is then instances, not people.
  auto question_html = [&](const QuestionResult& q, const RepeatResult* repeat) {
    const ShownCount base = policy.count(q.base);
    const std::string people = repeat ? (q.base == 1 ? " instance" : " instances") : (q.base == 1 ? " person" : " people");
    o << "<section>\n<h3>" << escape_html(q.text) << "</h3>\n<p>Question <code>" << escape_html(q.code)
      << "</code>. Base: " << base.text << people
      << (repeat ? " (" + escape_html(repeat->label) + ", one for each time a person answered the repeat) that"
                 : std::string(" who"))
      << (repeat ? "" : q.show_if.empty() ? " were asked" : " were asked (only when " + escape_html(q.show_if) + ")")
      << (repeat ? " answered." : " and answered.") << (q.multiple ? " People could choose more than one answer, so percentages can add up "
                                           "to more than 100%."
                                         : "")
      << "</p>\n";
    if (q.options.empty()) {
      if (q.number && !base.suppressed) {
        o << "<table>\n<caption>Summary of answers to " << escape_html(q.code) << " (base " << base.text
          << ")</caption>\n<thead><tr><th scope=\"col\">Mean</th><th scope=\"col\">Median</th><th scope=\"col\">"
             "Smallest</th><th scope=\"col\">Largest</th></tr></thead>\n<tbody><tr><td>"
          << fixed(q.number->mean, 2) << "</td><td>" << fixed(q.number->median, 2) << "</td><td>"
          << fixed(q.number->min, 2) << "</td><td>" << fixed(q.number->max, 2) << "</td></tr></tbody>\n</table>\n";
      }
      o << "</section>\n";
      return;
    }
    std::vector<Shown> shown;
    for (const OptionResult& opt : q.options) {
      shown.push_back(publish(policy, opt.count, q.base, opt.proportion, opt.interval, weighted));
    }
    // Multiple-choice options have no natural order, so they are ranked by
    // the published share (hidden ones last); others keep the questionnaire's
    // order, which is the scale's order for ordinal questions.
    std::vector<size_t> order(q.options.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    if (q.multiple) {
      std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) {
        return shown[x].proportion.value_or(-1) > shown[y].proportion.value_or(-1);
      });
      o << "<p>Ranked from the most often chosen.</p>\n";
    }
    std::vector<Bar> bars;
    for (size_t i : order) bars.push_back({q.options[i].label, shown[i].proportion, percent_or_star(shown[i])});
    const std::string id = "chart-" + std::to_string(++chart);
    o << svg_bars(id, q.text,
                  "Bar chart of the percentage of the " + base.text + (repeat ? " instances that" : " people who") +
                      " answered " + q.code +
                      " choosing each answer. The data are in the table that follows.",
                  bars);
    o << "<table>\n<caption>" << escape_html(q.text) << " (base " << base.text
      << ")</caption>\n<thead><tr><th scope=\"col\">Answer</th><th scope=\"col\" class=\"num\">Count</th><th "
         "scope=\"col\" class=\"num\">Percentage"
      << (weighted ? " (weighted)" : "") << "</th><th scope=\"col\" class=\"num\">95% interval</th></tr></thead>\n<tbody>\n";
    for (size_t i : order) {
      o << "<tr><th scope=\"row\">" << escape_html(q.options[i].label) << "</th><td class=\"num\">"
        << shown[i].count.text << "</td><td class=\"num\">" << percent_or_star(shown[i]) << "</td><td class=\"num\">"
        << interval_text(shown[i]) << "</td></tr>\n";
    }
    o << "</tbody>\n</table>\n</section>\n";
  };
  for (const QuestionResult& q : a.questions) question_html(q, nullptr);

  // Repeats: how many instances people gave, then the repeat's questions.
  for (const RepeatResult& r : a.repeats) {
    const ShownCount responses = policy.count(r.responses), instances = policy.count(r.instances);
    const ShownCount with = policy.count(r.with_instances);
    const bool hidden = repeat_averages_hidden(r, policy);
    const std::optional<double> share = policy.share(r.with_instances, r.responses);
    o << "<h2 id=\"repeat-" << escape_html(r.code) << "\">" << escape_html(r.label) << " (answered once for each)</h2>\n"
      << "<p>Repeat <code>" << escape_html(r.code) << "</code>. " << kRepeatBaseDefinition << "</p>\n"
      << "<table>\n<caption>" << escape_html(r.label) << ": how many each response gave (base: " << responses.text
      << " responses shown the repeat)</caption>\n<thead><tr><th scope=\"col\">Measure</th><th scope=\"col\" "
         "class=\"num\">Value</th></tr></thead>\n<tbody>\n"
      << "<tr><th scope=\"row\">Responses shown the repeat</th><td class=\"num\">" << responses.text << "</td></tr>\n"
      << "<tr><th scope=\"row\">Responses with at least one</th><td class=\"num\">" << with.text
      << (share ? " (" + format_percent(*share) + ")" : std::string()) << "</td></tr>\n"
      << "<tr><th scope=\"row\">Instances in all</th><td class=\"num\">" << instances.text << "</td></tr>\n"
      << "<tr><th scope=\"row\">Mean per response</th><td class=\"num\">"
      << (hidden ? std::string("*") : fixed(r.mean_instances, 2)) << "</td></tr>\n"
      << "<tr><th scope=\"row\">Median per response</th><td class=\"num\">"
      << (hidden ? std::string("*") : fixed(r.median_instances, 1)) << "</td></tr>\n</tbody>\n</table>\n";
    for (const QuestionResult& q : r.questions) question_html(q, &r);
  }


  if (!a.crosstabs.empty()) o << "<h2 id=\"crosstabs\">Answers by group</h2>\n";
  for (const CrossTab& t : a.crosstabs) {
    o << "<section>\n<h3><code>" << escape_html(t.row) << "</code> by <code>" << escape_html(t.col) << "</code></h3>\n";
    if (t.tables.size() > 1) {
      o << "<p>One table for each option; p-values are adjusted for the " << t.tables.size()
        << " tests by Holm's method.</p>\n";
    }
    for (const CrossTable& ct : t.tables) {
      // Column percentages: within each group of the column question.
      std::vector<long> col_total(ct.col_options.size(), 0);
      for (size_t r = 0; r < ct.counts.size(); ++r) {
        for (size_t k = 0; k < ct.col_options.size(); ++k) {
          col_total[k] += ct.counts[r][k];
        }
      }
      auto cell_share = [&](size_t i, size_t k) { return publish_column_share(policy, ct, i, k, weighted); };
      std::vector<Bar> bars;
      for (size_t k = 0; k < ct.col_options.size(); ++k) {
        for (size_t i = 0; i < ct.row_options.size(); ++i) {
          const std::optional<double> share = cell_share(i, k);
          bars.push_back({ct.col_labels[k] + ": " + ct.row_labels[i], share, share ? format_percent(*share) : "*"});
        }
      }
      const std::string id = "chart-" + std::to_string(++chart);
      o << svg_bars(id, ct.row_code + " by " + ct.col_code,
                    "Bar chart of the percentage in each group of " + ct.col_code + " giving each answer to " +
                        ct.row_code + ". The data are in the table that follows.",
                    bars);
      o << "<table>\n<caption>" << escape_html(ct.row_code) << " by " << escape_html(ct.col_code)
        << ": count and percentage of each column (base " << policy.count(ct.base).text
        << ")</caption>\n<thead><tr><th scope=\"col\">" << escape_html(ct.row_code) << "</th>";
      for (size_t k = 0; k < ct.col_options.size(); ++k) {
        o << "<th scope=\"col\" class=\"num\">" << escape_html(ct.col_labels[k]) << " (base "
          << policy.count(col_total[k]).text << ")</th>";
      }
      o << "</tr></thead>\n<tbody>\n";
      for (size_t i = 0; i < ct.row_options.size(); ++i) {
        o << "<tr><th scope=\"row\">" << escape_html(ct.row_labels[i]) << "</th>";
        for (size_t k = 0; k < ct.col_options.size(); ++k) {
          const std::optional<double> share = cell_share(i, k);
          o << "<td class=\"num\">" << policy.count(ct.counts[i][k]).text << " ("
            << (share ? format_percent(*share) : "*") << ")</td>";
        }
        o << "</tr>\n";
      }
      o << "</tbody>\n</table>\n";
      if (ct.chi_square) {
        o << "<p>Pearson's chi-square " << fixed(ct.chi_square->statistic, 2) << " with " << ct.chi_square->df
          << (ct.chi_square->df == 1 ? " degree" : " degrees") << " of freedom, p " << (ct.chi_square->p_value < 0.001 ? "" : "= ")
          << format_p(ct.chi_square->p_value);
        if (ct.fisher_p) o << "; Fisher's exact test p " << (*ct.fisher_p < 0.001 ? "" : "= ") << format_p(*ct.fisher_p);
        if (ct.holm_p) o << "; Holm-adjusted p " << (*ct.holm_p < 0.001 ? "" : "= ") << format_p(*ct.holm_p);
        o << ".</p>\n";
      }
      for (const std::string& w : ct.warnings) o << "<p class=\"warning\">" << escape_html(w) << "</p>\n";
    }
    o << "</section>\n";
  }
  o << "</main>\n</body>\n</html>\n";
  return o.str();
}

}  // namespace coproduce::survey
