#include "survey/analysis.h"

#include <algorithm>
#include <cmath>

#include "core/parallel.h"

namespace coproduce::survey {

namespace {

// A categorical view of one variable for a cross-tab: a category per row, or -1.
struct Factor {
  std::string code;
  std::vector<std::string> options, labels;
  size_t variable = 0;
  int bit = -1;  // multiple choice: the option this binary factor is about
  int value(const Column& c, size_t row) const {
    if (bit < 0) return c.choice[row];
    if (c.multiple[row] == 0) return -1;
    return ((c.multiple[row] >> bit) & 1u) ? 0 : 1;
  }
};

Status crosstab_error(std::string message) {
  Location loc;
  loc.field = "--crosstab";
  return InvalidInput(std::move(message), loc);
}

StatusOr<std::vector<Factor>> factors_for(const Questionnaire& q, const std::string& code) {
  std::optional<size_t> v = q.find_variable(code);
  if (!v) {
    if (auto qi = q.find(code); qi && q.questions[*qi].type == QuestionType::kLikert) {
      return crosstab_error("'" + code + "' is a Likert grid: name one statement, e.g. " + code + "[" +
                            q.questions[*qi].items[0].code + "]");
    }
    return crosstab_error("there is no question coded '" + code + "'");
  }
  const Variable& var = q.variables[*v];
  const Question& question = q.questions[var.question];
  std::vector<Factor> out;
  if (question.type == QuestionType::kMultiple) {
    for (size_t o = 0; o < question.options.size(); ++o) {
      Factor f;
      f.code = code + "[" + question.options[o].code + "]";
      f.options = {"selected", "not_selected"};
      f.labels = {question.options[o].label + ": ticked", question.options[o].label + ": not ticked"};
      f.variable = *v;
      f.bit = static_cast<int>(o);
      out.push_back(std::move(f));
    }
    return out;
  }
  if (question.options.empty()) {
    return crosstab_error("'" + code + "' is a " + std::string(type_name(question.type)) +
                          " question; cross-tabs need questions with options");
  }
  Factor f;
  f.code = code;
  f.variable = *v;
  for (const Option& o : question.options) {
    f.options.push_back(o.code);
    f.labels.push_back(o.label);
  }
  out.push_back(std::move(f));
  return out;
}

// The counts of one variable: `col` holds its answers in n rows, `s` says
// which rows were shown it; weights[r] is row r's weight, or null.
QuestionResult count_variable(const Question& question, const Variable& var, const Column& col,
                              const std::vector<std::uint8_t>& s, size_t n, const std::vector<double>* weights) {
  const bool weighted = weights != nullptr;
  auto weight = [&](size_t r) { return weighted ? (*weights)[r] : 1.0; };
  QuestionResult out;
  out.code = var.code;
  out.text = var.item >= 0 ? question.text + ": " + var.label : question.text;
  out.type = std::string(type_name(question.type));
  out.page = question.page;
  out.show_if = question.show_if;
  out.multiple = question.type == QuestionType::kMultiple;
  std::vector<long> counts(question.options.size(), 0);
  std::vector<double> wcounts(question.options.size(), 0);
  double wsum = 0, wsq = 0;
  std::vector<double> values;
  if (!weighted && col.kind == Column::Kind::kChoice) {
    // The hot path: one increment per shown response, unanswered (-1) in bucket 0.
    std::vector<long> buckets(question.options.size() + 1, 0);
    const std::int16_t* choice = col.choice.data();
    const std::uint8_t* show = s.data();
    for (size_t r = 0; r < n; ++r) buckets[static_cast<size_t>(choice[r] + 1)] += show[r];
    for (long b : buckets) out.shown += b;
    out.base = out.shown - buckets[0];
    for (size_t o = 0; o < counts.size(); ++o) {
      counts[o] = buckets[o + 1];
      wcounts[o] = static_cast<double>(buckets[o + 1]);
    }
    wsum = wsq = static_cast<double>(out.base);
  }
  if (!weighted && col.kind == Column::Kind::kMultiple) {
    // Unweighted tick counts: one pass, the shown flag as a mask.
    const std::uint64_t* multiple = col.multiple.data();
    const std::uint8_t* show = s.data();
    long shown_count = 0, base = 0;
    for (size_t r = 0; r < n; ++r) {
      const std::uint64_t bits = show[r] ? multiple[r] : 0;
      shown_count += show[r];
      base += bits != 0;
      for (std::uint64_t b = bits; b; b &= b - 1) ++counts[static_cast<size_t>(__builtin_ctzll(b))];
    }
    out.shown = shown_count;
    out.base = base;
    for (size_t o = 0; o < counts.size(); ++o) wcounts[o] = static_cast<double>(counts[o]);
    wsum = wsq = static_cast<double>(base);
  } else if (!weighted && col.kind == Column::Kind::kText) {
    const std::uint8_t* text = col.text.data();
    const std::uint8_t* show = s.data();
    long shown_count = 0, base = 0;
    for (size_t r = 0; r < n; ++r) {
      shown_count += show[r];
      base += show[r] & text[r];
    }
    out.shown = shown_count;
    out.base = base;
    wsum = wsq = static_cast<double>(base);
  }
  const bool generic = weighted || col.kind == Column::Kind::kNumber;
  for (size_t r = 0; r < n && generic; ++r) {
    if (!s[r]) continue;
    ++out.shown;
    if (!col.answered(r)) continue;
    ++out.base;
    const double w = weight(r);
    wsum += w;
    wsq += w * w;
    switch (col.kind) {
      case Column::Kind::kChoice: {
        const auto c = static_cast<size_t>(col.choice[r]);
        ++counts[c];
        wcounts[c] += w;
        break;
      }
      case Column::Kind::kMultiple: {
        std::uint64_t bits = col.multiple[r];
        while (bits) {
          const auto o = static_cast<size_t>(__builtin_ctzll(bits));
          ++counts[o];
          wcounts[o] += w;
          bits &= bits - 1;
        }
        break;
      }
      case Column::Kind::kNumber: values.push_back(col.number[r]); break;
      case Column::Kind::kText: break;
    }
  }
  out.weighted_base = wsum;
  out.effective_base = wsq > 0 ? wsum * wsum / wsq : 0;
  for (size_t o = 0; o < question.options.size(); ++o) {
    OptionResult opt;
    opt.code = question.options[o].code;
    opt.label = question.options[o].label;
    opt.count = counts[o];
    opt.weighted = wcounts[o];
    if (wsum > 0) {
      opt.proportion = wcounts[o] / wsum;
      opt.interval = wilson_interval(opt.proportion * out.effective_base, out.effective_base);
    }
    out.options.push_back(std::move(opt));
  }
  if (col.kind == Column::Kind::kNumber && !values.empty()) {
    NumberSummary ns;
    double total = 0, wtotal = 0;
    for (size_t r = 0; r < n; ++r) {
      if (s[r] && col.answered(r)) {
        total += col.number[r] * weight(r);
        wtotal += weight(r);
      }
    }
    ns.mean = wtotal > 0 ? total / wtotal : 0;
    const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
    ns.min = *lo;
    ns.max = *hi;
    // The median by selection, not a full sort (a million values).
    const size_t m = values.size();
    auto mid = values.begin() + static_cast<long>(m / 2);
    std::nth_element(values.begin(), mid, values.end());
    ns.median = *mid;
    if (m % 2 == 0) ns.median = (ns.median + *std::max_element(values.begin(), mid)) / 2;
    out.number = ns;
  }
  return out;
}

}  // namespace

StatusOr<Analysis> analyse(const Questionnaire& q, const Responses& responses, const AnalysisOptions& options) {
  Analysis a;
  a.survey_id = q.id;
  a.title = q.title;
  a.include_partial = options.include_partial;
  const size_t n = responses.rows;
  const unsigned threads = threads_or_every_core(options.threads);

  // Cross-tab specs are checked before any work.
  std::vector<std::pair<std::vector<Factor>, std::vector<Factor>>> tab_factors;
  for (const std::string& spec : options.crosstabs) {
    const size_t colon = spec.find(':');
    if (colon == std::string::npos || spec.find(':', colon + 1) != std::string::npos) {
      return crosstab_error("'" + spec + "' is not ROW:COL (two question codes joined by a colon)");
    }
    StatusOr<std::vector<Factor>> rows = factors_for(q, spec.substr(0, colon));
    if (!rows.ok()) return rows.status();
    StatusOr<std::vector<Factor>> cols = factors_for(q, spec.substr(colon + 1));
    if (!cols.ok()) return cols.status();
    if ((*rows)[0].variable == (*cols)[0].variable) return crosstab_error("'" + spec + "' crosses a question with itself");
    tab_factors.emplace_back(std::move(*rows), std::move(*cols));
  }

  // Completion and drop-off.
  a.starts = static_cast<long>(n);
  a.dropoff.resize(static_cast<size_t>(q.pages));
  for (int p = 1; p <= q.pages; ++p) a.dropoff[static_cast<size_t>(p - 1)].page = p;
  std::vector<long> last(static_cast<size_t>(q.pages) + 1, 0), stopped(static_cast<size_t>(q.pages) + 1, 0);
  std::vector<std::uint8_t> include(n);
  for (size_t r = 0; r < n; ++r) {
    const bool complete = responses.complete[r] != 0;
    a.completes += complete;
    const auto page = static_cast<size_t>(responses.last_page[r]);
    ++last[page];
    if (!complete) ++stopped[page];
    include[r] = complete || options.include_partial;
  }
  long reached = 0;
  for (int p = q.pages; p >= 1; --p) {
    reached += last[static_cast<size_t>(p)];
    a.dropoff[static_cast<size_t>(p - 1)].reached = reached;
    a.dropoff[static_cast<size_t>(p - 1)].stopped = stopped[static_cast<size_t>(p)];
  }
  a.completion_rate = n > 0 ? static_cast<double>(a.completes) / static_cast<double>(n) : 0;
  for (size_t r = 0; r < n; ++r) a.analysed += include[r];
  if (a.analysed == 0) {
    a.warnings.push_back(options.include_partial ? "There are no responses to analyse."
                                                 : "There are no complete responses to analyse (see --include-partial).");
  }

  // Weights.
  std::vector<double> weights;
  const bool weighted = !options.margins.empty();
  if (weighted) {
    StatusOr<RakingResult> raked = rake(q, responses, include, options.margins, options.raking, options.margins_file);
    if (!raked.ok()) return raked.status();
    WeightingSummary w;
    for (const Margin& m : options.margins) w.variables.push_back(q.variables[m.variable].code);
    w.iterations = raked->iterations;
    w.converged = raked->converged;
    w.max_error = raked->max_error;
    w.design_effect = raked->design.deff;
    w.effective_n = raked->design.effective_n;
    if (!w.converged) {
      a.warnings.push_back("Raking did not converge in " + std::to_string(w.iterations) +
                           (w.iterations == 1 ? " round" : " rounds") + " (largest gap to a target " +
                           std::to_string(w.max_error) +
                           "): the margins may contradict each other.");
    }
    a.weighting = std::move(w);
    weights = std::move(raked->weights);
  }
  auto weight = [&](size_t r) { return weighted ? weights[r] : 1.0; };

  // Which analysed responses were shown each question.
  std::vector<std::vector<std::uint8_t>> shown(q.questions.size());
  parallel_for(q.questions.size(), threads, [&](size_t qi, unsigned) {
    const Question& question = q.questions[qi];
    if (question.type == QuestionType::kDisplay) return;
    std::vector<std::uint8_t>& s = shown[qi];
    s.resize(n);
    // Bitwise, so the loop runs many rows at a time; the condition only for those left.
    const std::uint8_t* inc = include.data();
    const std::uint8_t* complete = responses.complete.data();
    const std::int16_t* last_page = responses.last_page.data();
    const auto page = static_cast<std::int16_t>(question.page);
    for (size_t r = 0; r < n; ++r) {
      s[r] = static_cast<std::uint8_t>(inc[r] & ((complete[r] != 0) | (last_page[r] >= page)));
    }
    if (!question.condition.empty()) {
      for (size_t r = 0; r < n; ++r) {
        if (s[r]) s[r] = question.condition.evaluate(responses.row(r));
      }
    }
  });

  // Per variable.
  a.questions.resize(q.variables.size());
  parallel_for(q.variables.size(), threads, [&](size_t v, unsigned) {
    const Variable& var = q.variables[v];
    a.questions[v] = count_variable(q.questions[var.question], var, responses.columns[v], shown[var.question], n,
                                    weighted ? &weights : nullptr);
  });

  // Repeats: instances counted per response, and their questions with
  // instances as the base.
  {
    std::vector<const RepeatResponses*> given(q.repeats.size(), nullptr);
    for (const RepeatResponses* rep : options.repeats) {
      Location loc;
      loc.field = "--repeat";
      if (rep == nullptr || rep->repeat >= q.repeats.size()) return InvalidInput("a repeat table of another questionnaire", loc);
      const std::string& code = q.repeats[rep->repeat].code;
      if (!rep->linked || rep->response.size() != rep->data.rows) {
        return InvalidInput("the table of the repeat '" + code + "' was not read linked to the responses", loc);
      }
      for (std::uint32_t resp : rep->response) {
        if (resp >= n) return InvalidInput("the table of the repeat '" + code + "' belongs to other responses", loc);
      }
      if (given[rep->repeat]) return InvalidInput("the repeat '" + code + "' has two tables", loc);
      given[rep->repeat] = rep;
    }
    for (size_t ri = 0; ri < q.repeats.size(); ++ri) {
      if (!given[ri]) continue;
      const Repeat& repeat = q.repeats[ri];
      const RepeatResponses& rep = *given[ri];
      RepeatResult out;
      out.code = repeat.code;
      out.label = repeat.label;
      out.page = repeat.page;
      out.show_if = repeat.show_if;
      // Which responses were shown the repeat, as for a question on its page.
      std::vector<std::uint8_t> asked(n);
      for (size_t r = 0; r < n; ++r) {
        asked[r] = include[r] && (responses.complete[r] != 0 || responses.last_page[r] >= repeat.page) &&
                   (repeat.condition.empty() || repeat.condition.evaluate(responses.row(r)));
        out.responses += asked[r];
      }
      std::vector<std::uint8_t> per_response(n, 0);
      std::vector<std::uint8_t> s(rep.data.rows);
      for (size_t i = 0; i < rep.data.rows; ++i) {
        const std::uint32_t resp = rep.response[i];
        s[i] = asked[resp];
        if (asked[resp] && per_response[resp] < 255) ++per_response[resp];
        out.instances += asked[resp];
      }
      std::vector<long> histogram(256, 0);
      for (size_t r = 0; r < n; ++r) {
        if (asked[r]) ++histogram[per_response[r]];
      }
      out.with_instances = out.responses - histogram[0];
      if (out.responses > 0) {
        out.mean_instances = static_cast<double>(out.instances) / static_cast<double>(out.responses);
        // The median from the histogram: the middle value, or the mean of the two middle ones.
        auto nth = [&histogram](long k) {  // the k-th smallest count, from 0
          for (size_t c = 0; c < histogram.size(); ++c) {
            if (k < histogram[c]) return static_cast<double>(c);
            k -= histogram[c];
          }
          return 0.0;
        };
        const long m = out.responses;
        out.median_instances = m % 2 ? nth(m / 2) : (nth(m / 2 - 1) + nth(m / 2)) / 2;
      }
      std::vector<double> instance_weights;
      if (weighted) {
        instance_weights.resize(rep.data.rows);
        for (size_t i = 0; i < rep.data.rows; ++i) instance_weights[i] = weights[rep.response[i]];
      }
      out.questions.resize(repeat.variables.size());
      parallel_for(repeat.variables.size(), threads, [&](size_t v, unsigned) {
        const Variable& var = repeat.variables[v];
        out.questions[v] = count_variable(q.questions[var.question], var, rep.data.columns[v], s, rep.data.rows,
                                          weighted ? &instance_weights : nullptr);
        out.questions[v].show_if.clear();  // not checked again within a repeat
      });
      a.repeats.push_back(std::move(out));
    }
  }

  // Cross-tabs.
  a.crosstabs.resize(tab_factors.size());
  parallel_for(tab_factors.size(), threads, [&](size_t t, unsigned) {
    const auto& [row_factors, col_factors] = tab_factors[t];
    CrossTab& tab = a.crosstabs[t];
    tab.spec = options.crosstabs[t];
    tab.row = tab.spec.substr(0, tab.spec.find(':'));
    tab.col = tab.spec.substr(tab.spec.find(':') + 1);
    for (const Factor& rf : row_factors) {
      for (const Factor& cf : col_factors) {
        CrossTable table;
        table.row_code = rf.code;
        table.col_code = cf.code;
        table.row_options = rf.options;
        table.row_labels = rf.labels;
        table.col_options = cf.options;
        table.col_labels = cf.labels;
        table.counts.assign(rf.options.size(), std::vector<long>(cf.options.size(), 0));
        table.weighted.assign(rf.options.size(), std::vector<double>(cf.options.size(), 0));
        const Column& rc = responses.columns[rf.variable];
        const Column& cc = responses.columns[cf.variable];
        const auto& rs = shown[q.variables[rf.variable].question];
        const auto& cs = shown[q.variables[cf.variable].question];
        double wsum = 0, wsq = 0;
        if (!weighted && rf.bit < 0 && cf.bit < 0) {
          // Unweighted, two single-answer questions: the hot path, one flat
          // table and no branch on which side is unanswered.
          const size_t cols = cf.options.size();
          std::vector<long> flat((rf.options.size() + 1) * (cols + 1), 0);
          const std::int16_t* x = rc.choice.data();
          const std::int16_t* y = cc.choice.data();
          const std::uint8_t* rshow = rs.data();
          const std::uint8_t* cshow = cs.data();
          for (size_t r = 0; r < n; ++r) {
            // Unanswered (-1) or not shown lands in row or column 0, left out below.
            const size_t both = rshow[r] & cshow[r];
            flat[static_cast<size_t>(x[r] + 1) * both * (cols + 1) + static_cast<size_t>(y[r] + 1) * both] += 1;
          }
          for (size_t i = 0; i < rf.options.size(); ++i) {
            for (size_t j = 0; j < cols; ++j) {
              const long c = flat[(i + 1) * (cols + 1) + j + 1];
              table.counts[i][j] = c;
              table.weighted[i][j] = static_cast<double>(c);
              table.base += c;
            }
          }
          wsum = wsq = static_cast<double>(table.base);
        }
        for (size_t r = 0; r < n && (weighted || rf.bit >= 0 || cf.bit >= 0); ++r) {
          if (!rs[r] || !cs[r]) continue;
          const int x = rf.value(rc, r);
          if (x < 0) continue;
          const int y = cf.value(cc, r);
          if (y < 0) continue;
          ++table.counts[static_cast<size_t>(x)][static_cast<size_t>(y)];
          const double w = weight(r);
          table.weighted[static_cast<size_t>(x)][static_cast<size_t>(y)] += w;
          wsum += w;
          wsq += w * w;
          ++table.base;
        }
        std::vector<std::vector<double>> test_table(table.counts.size());
        for (size_t i = 0; i < table.counts.size(); ++i) {
          for (size_t j = 0; j < table.counts[i].size(); ++j) {
            // Weighted: shares scaled to the effective base, a design-effect
            // correction of Pearson's statistic (documented in decision 0201).
            test_table[i].push_back(weighted ? table.weighted[i][j] * (wsq > 0 ? wsum / wsq : 0)
                                             : static_cast<double>(table.counts[i][j]));
          }
        }
        table.chi_square = chi_square_test(test_table);
        if (!table.chi_square) {
          table.warnings.push_back("No test: fewer than two categories of each question have answers.");
        } else {
          if (table.chi_square->small_expected > 0) {
            table.warnings.push_back(std::to_string(table.chi_square->small_expected) + " of " +
                                     std::to_string(table.chi_square->cells) +
                                     (table.chi_square->small_expected == 1 ? " cells has" : " cells have") +
                                     " an expected count below 5, so the chi-square p-value is unreliable" +
                                     (table.counts.size() == 2 && table.counts[0].size() == 2 && !weighted
                                          ? "; use Fisher's exact test."
                                          : "; consider merging categories."));
          }
          if (table.counts.size() == 2 && table.counts[0].size() == 2 && !weighted) {
            table.fisher_p = fisher_exact_2x2(table.counts[0][0], table.counts[0][1], table.counts[1][0],
                                              table.counts[1][1]);
          }
        }
        tab.tables.push_back(std::move(table));
      }
    }
    if (tab.tables.size() > 1) {
      std::vector<double> p;
      std::vector<size_t> which;
      for (size_t i = 0; i < tab.tables.size(); ++i) {
        if (tab.tables[i].chi_square) {
          p.push_back(tab.tables[i].chi_square->p_value);
          which.push_back(i);
        }
      }
      std::vector<double> adjusted = holm_adjust(p);
      for (size_t k = 0; k < which.size(); ++k) tab.tables[which[k]].holm_p = adjusted[k];
    }
  });
  return a;
}

}  // namespace coproduce::survey
