#include "survey/weighting.h"

#include <charconv>
#include <cmath>
#include <map>

namespace coproduce::survey {

StatusOr<std::vector<Margin>> parse_margins(const csv::Table& table, const Questionnaire& q) {
  const std::optional<size_t> qcol = table.column("question");
  const std::optional<size_t> ocol = table.column("option");
  const std::optional<size_t> tcol = table.column("target");
  if (!qcol || !ocol || !tcol) {
    Location loc;
    loc.file = table.file_name;
    loc.line = 1;
    return InvalidInput("a margins file needs the columns question, option and target", loc);
  }
  std::vector<Margin> margins;
  std::map<size_t, size_t> by_variable;
  std::vector<long> first_line;
  for (const csv::Row& row : table.rows) {
    const std::string code(csv::trim(row.fields[*qcol]));
    std::optional<size_t> v = q.find_variable(code);
    if (!v) return InvalidInput("there is no question coded '" + code + "'", table.where(row, *qcol));
    const Question& question = q.questions[q.variables[*v].question];
    if (question.type == QuestionType::kMultiple || question.options.empty()) {
      return InvalidInput("'" + code + "' is not a single-choice question, so it cannot be a weighting margin",
                          table.where(row, *qcol));
    }
    const std::string option(csv::trim(row.fields[*ocol]));
    const int o = question.option_index(option);
    if (o < 0) return InvalidInput("'" + option + "' is not an option of " + code, table.where(row, *ocol));
    std::string text(csv::trim(row.fields[*tcol]));
    double scale = 1;
    if (!text.empty() && text.back() == '%') {
      text.pop_back();
      scale = 0.01;
    }
    double share = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), share);
    if (ec != std::errc() || p != text.data() + text.size() || share < 0 || share * scale > 1) {
      return InvalidInput("the target must be a share from 0 to 1 (such as 0.25) or a percentage (25%)",
                          table.where(row, *tcol));
    }
    auto [it, inserted] = by_variable.emplace(*v, margins.size());
    if (inserted) {
      Margin m;
      m.variable = *v;
      m.target.assign(question.options.size(), 0);
      m.lines.assign(question.options.size(), 0);
      margins.push_back(std::move(m));
      first_line.push_back(row.line);
    }
    Margin& m = margins[it->second];
    if (m.lines[static_cast<size_t>(o)] != 0) {
      return InvalidInput("the target for " + code + " = " + option + " is given twice (first on line " +
                              std::to_string(m.lines[static_cast<size_t>(o)]) + ")",
                          table.where(row, *ocol));
    }
    m.target[static_cast<size_t>(o)] = share * scale;
    m.lines[static_cast<size_t>(o)] = row.line;
  }
  for (size_t i = 0; i < margins.size(); ++i) {
    double sum = 0;
    for (double t : margins[i].target) sum += t;
    if (std::abs(sum - 1) > 0.001) {
      Location loc;
      loc.file = table.file_name;
      loc.line = first_line[i];
      return InvalidInput("the targets for " + q.variables[margins[i].variable].code + " add up to " +
                              std::to_string(sum) + ", not 1",
                          loc);
    }
  }
  if (margins.empty()) {
    Location loc;
    loc.file = table.file_name;
    return InvalidInput("the margins file has no targets", loc);
  }
  return margins;
}

StatusOr<RakingResult> rake(const Questionnaire& q, const Responses& responses, const std::vector<std::uint8_t>& include,
                            const std::vector<Margin>& margins, const RakingOptions& options,
                            const std::string& margins_file) {
  RakingResult out;
  const size_t n = responses.rows;
  out.weights.assign(n, 0);
  for (size_t r = 0; r < n; ++r) out.weights[r] = include[r] ? 1 : 0;
  // Every option with a target must have someone to carry it, and every
  // answer given must have a target to go to.
  for (const Margin& m : margins) {
    const Column& col = responses.columns[m.variable];
    std::vector<long> counts(m.target.size(), 0);
    for (size_t r = 0; r < n; ++r) {
      if (include[r] && col.choice[r] >= 0) ++counts[static_cast<size_t>(col.choice[r])];
    }
    const Question& question = q.questions[q.variables[m.variable].question];
    for (size_t o = 0; o < m.target.size(); ++o) {
      if (m.target[o] > 0 && counts[o] == 0) {
        Location loc;
        loc.file = margins_file;
        loc.line = m.lines[o];
        return InvalidInput("no analysed response has " + q.variables[m.variable].code + " = " + question.options[o].code +
                                ", so its target cannot be met: merge it with another option or drop the margin",
                            loc);
      }
      if (m.target[o] == 0 && counts[o] > 0 && m.lines[o] == 0) {
        Location loc;
        loc.file = margins_file;
        return InvalidInput("the margins for " + q.variables[m.variable].code + " give no target for the option " +
                                question.options[o].code + ", which " + std::to_string(counts[o]) +
                                " responses chose: add a line for it (0 is allowed)",
                            loc);
      }
    }
  }
  std::vector<double> totals;
  auto max_error = [&] {
    double worst = 0;
    for (const Margin& m : margins) {
      const Column& col = responses.columns[m.variable];
      totals.assign(m.target.size(), 0);
      double all = 0;
      for (size_t r = 0; r < n; ++r) {
        if (out.weights[r] > 0 && col.choice[r] >= 0) {
          totals[static_cast<size_t>(col.choice[r])] += out.weights[r];
          all += out.weights[r];
        }
      }
      for (size_t o = 0; o < m.target.size(); ++o) {
        if (all > 0) worst = std::max(worst, std::abs(totals[o] / all - m.target[o]));
      }
    }
    return worst;
  };
  out.max_error = max_error();
  while (out.max_error > options.tolerance && out.iterations < options.max_iterations) {
    ++out.iterations;
    for (const Margin& m : margins) {
      const Column& col = responses.columns[m.variable];
      totals.assign(m.target.size(), 0);
      double all = 0;
      for (size_t r = 0; r < n; ++r) {
        if (out.weights[r] > 0 && col.choice[r] >= 0) {
          totals[static_cast<size_t>(col.choice[r])] += out.weights[r];
          all += out.weights[r];
        }
      }
      std::vector<double> factor(m.target.size(), 1);
      for (size_t o = 0; o < m.target.size(); ++o) {
        if (totals[o] > 0) factor[o] = m.target[o] * all / totals[o];
      }
      for (size_t r = 0; r < n; ++r) {
        if (out.weights[r] > 0 && col.choice[r] >= 0) out.weights[r] *= factor[static_cast<size_t>(col.choice[r])];
      }
    }
    out.max_error = max_error();
  }
  out.converged = out.max_error <= options.tolerance;
  // Scale to a mean of 1 over the analysed responses (those with weight 0
  // after raking, from a target of 0, stay analysed with weight 0).
  double sum = 0;
  size_t count = 0;
  std::vector<double> analysed;
  for (size_t r = 0; r < n; ++r) {
    if (include[r]) {
      sum += out.weights[r];
      ++count;
    }
  }
  if (sum > 0) {
    for (size_t r = 0; r < n; ++r) {
      if (include[r]) {
        out.weights[r] *= static_cast<double>(count) / sum;
        analysed.push_back(out.weights[r]);
      }
    }
  }
  out.design = kish(analysed);
  return out;
}

}  // namespace coproduce::survey
