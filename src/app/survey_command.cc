#include "app/survey_command.h"

#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "core/csv.h"
#include "survey/analysis.h"
#include "survey/definition.h"
#include "survey/report.h"
#include "survey/responses.h"
#include "survey/suppression.h"
#include "survey/weighting.h"

namespace coproduce::app {

namespace {

struct AnalyseArgs {
  std::string definition;
  std::string template_name;
  std::string responses;
  std::vector<std::string> crosstabs;
  bool include_partial = false;
  std::string suppression = "nhs";
  std::string weights;
  int rake_iterations = 100;
  double rake_tolerance = 1e-6;
  std::string format;
  std::string output;
  size_t max_rows = 10000000;
  unsigned threads = 0;
  bool timings = false;
};

int run_analyse(const AnalyseArgs& args) {
  using Clock = std::chrono::steady_clock;
  const auto t0 = Clock::now();
  auto fail = [](const Status& status) {
    std::cerr << "coproduce survey analyse: " << status.to_string() << "\n";
    return 1;
  };
  if (args.definition.empty() == args.template_name.empty()) {
    std::cerr << "coproduce survey analyse: give either --definition FILE or --template coproduction\n";
    return 2;
  }
  StatusOr<std::unique_ptr<survey::SuppressionPolicy>> policy = survey::make_suppression(args.suppression);
  if (!policy.ok()) return fail(policy.status());

  StatusOr<survey::Questionnaire> q = args.template_name.empty() ? survey::load_definition(args.definition)
                                                                 : survey::builtin_template(args.template_name);
  if (!q.ok()) return fail(q.status());

  survey::AnalysisOptions options;
  options.include_partial = args.include_partial;
  options.crosstabs = args.crosstabs;
  options.threads = args.threads;
  if (!args.weights.empty()) {
    csv::ReadOptions csv_options;
    csv_options.file_name = args.weights;
    StatusOr<csv::Table> table = csv::read_file(args.weights, csv_options);
    if (!table.ok()) return fail(table.status());
    StatusOr<std::vector<survey::Margin>> margins = survey::parse_margins(*table, *q);
    if (!margins.ok()) return fail(margins.status());
    options.margins = std::move(*margins);
    options.margins_file = args.weights;
    options.raking.max_iterations = args.rake_iterations;
    options.raking.tolerance = args.rake_tolerance;
  }

  survey::ReadOptions read_options;
  read_options.file_name = args.responses;
  read_options.max_rows = args.max_rows;
  read_options.threads = args.threads;
  StatusOr<survey::Responses> responses = survey::read_responses(args.responses, *q, read_options);
  if (!responses.ok()) return fail(responses.status());
  const auto t1 = Clock::now();

  StatusOr<survey::Analysis> analysis = survey::analyse(*q, *responses, options);
  if (!analysis.ok()) return fail(analysis.status());
  const auto t2 = Clock::now();

  survey::ReportInfo info;
  info.definition = args.template_name.empty() ? args.definition : "built-in template " + args.template_name;
  info.responses = args.responses;
  std::string text;
  if (args.format == "json") text = survey::render_json(*analysis, **policy, info);
  else if (args.format == "csv") text = survey::render_csv(*analysis, **policy, info);
  else text = survey::render_html(*analysis, **policy, info);
  const auto t3 = Clock::now();

  // Everything is computed; only now write.
  if (args.output.empty() || args.output == "-") {
    std::cout << text;
    std::cout.flush();
    if (!std::cout) return fail(Unavailable("could not write to standard output"));
  } else {
    std::ofstream out(args.output, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) return fail(Unavailable("could not write " + args.output));
  }
  if (args.timings) {
    auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
    std::cerr << "coproduce survey analyse: " << responses->rows << " responses; read and parse " << ms(t1 - t0)
              << " ms, analysis " << ms(t2 - t1) << " ms, render " << ms(t3 - t2) << " ms\n";
  }
  return 0;
}

}  // namespace

void add_survey_command(CLI::App& app, int& exit_code) {
  auto* survey_cmd = app.add_subcommand("survey", "Survey analysis");
  survey_cmd->require_subcommand(1);
  auto args = std::make_shared<AnalyseArgs>();
  auto* cmd = survey_cmd->add_subcommand(
      "analyse", "Analyse responses: completion, counts with 95% intervals, cross-tabs with tests, suppression");
  cmd->alias("analyze");
  auto* def = cmd->add_option("--definition", args->definition, "Questionnaire definition file (JSON)");
  auto* tmpl = cmd->add_option("--template", args->template_name, "A built-in questionnaire: coproduction")
                   ->check(CLI::IsMember({"coproduction"}));
  def->excludes(tmpl);
  cmd->add_option("--responses", args->responses, "Responses CSV in the export layout")->required();
  cmd->add_option("--crosstab", args->crosstabs, "ROW:COL, e.g. heard:group (repeatable)");
  cmd->add_flag("--include-partial", args->include_partial, "Count incomplete responses in the bases too");
  cmd->add_option("--suppression", args->suppression, "nhs (default: 1-7 shown as *, others rounded to 5) or none")
      ->check(CLI::IsMember({"nhs", "none"}));
  cmd->add_option("--weights", args->weights, "CSV of target margins (question,option,target) to rake to");
  cmd->add_option("--rake-iterations", args->rake_iterations, "With --weights: stop raking after this many rounds")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--rake-tolerance", args->rake_tolerance,
                  "With --weights: stop when every weighted share is this close to its target")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--format", args->format, "json, html or csv")->required()->check(CLI::IsMember({"json", "html", "csv"}));
  cmd->add_option("--output", args->output, "Write here instead of standard output");
  cmd->add_option("--max-rows", args->max_rows, "Refuse response files with more rows than this")->capture_default_str();
  cmd->add_option("--threads", args->threads, "Threads for parsing and analysis (default: one per core)");
  cmd->add_flag("--timings", args->timings, "Print parse, analysis and render times on standard error");
  cmd->callback([args, &exit_code] { exit_code = run_analyse(*args); });

  // `survey template`: a starting point for a definition, and the CSV layout.
  auto name = std::make_shared<std::string>("coproduction");
  auto definition = std::make_shared<std::string>();
  auto columns = std::make_shared<bool>(false);
  auto* template_cmd = survey_cmd->add_subcommand(
      "template", "Print a built-in questionnaire's definition (JSON), or with --columns the response CSV header");
  template_cmd->add_option("name", *name, "The built-in questionnaire")->check(CLI::IsMember({"coproduction"}))->capture_default_str();
  template_cmd->add_option("--definition", *definition, "With --columns: a definition file instead of a built-in one");
  template_cmd->add_flag("--columns", *columns, "Print the header of a responses CSV in the export layout");
  template_cmd->callback([name, definition, columns, &exit_code] {
    StatusOr<survey::Questionnaire> q =
        definition->empty() ? survey::builtin_template(*name) : survey::load_definition(*definition);
    if (!q.ok()) {
      std::cerr << "coproduce survey template: " << q.status().to_string() << "\n";
      exit_code = 1;
      return;
    }
    if (*columns) {
      csv::Writer writer(std::cout, "\n");
      writer.write_row(survey::response_columns(*q));
    } else {
      std::cout << survey::definition_to_json(*q);
    }
    exit_code = 0;
  });
}

}  // namespace coproduce::app
