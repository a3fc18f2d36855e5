#include "app/survey_command.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "collection/odk_kobo.h"
#include "collection/response_import.h"
#include "core/csv.h"
#include "survey/analysis.h"
#include "survey/definition.h"
#include "survey/export.h"
#include "survey/report.h"
#include "survey/responses.h"
#include "survey/suppression.h"
#include "survey/weighting.h"
#include "survey/xlsform.h"

namespace coproduce::app {

namespace {

struct AnalyseArgs {
  std::string definition;
  std::string template_name;
  std::string responses;
  std::vector<std::string> repeats;  // CODE=FILE
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
  if (args.format == "xlsx" && (args.output.empty() || args.output == "-")) {
    std::cerr << "coproduce survey analyse: --format xlsx writes a workbook: give --output FILE.xlsx\n";
    return 2;
  }
  StatusOr<std::unique_ptr<survey::SuppressionPolicy>> policy = survey::make_suppression(args.suppression);
  if (!policy.ok()) return fail(policy.status());

  StatusOr<survey::Questionnaire> q = args.template_name.empty() ? survey::load_questionnaire(args.definition)
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
  // The ids are kept only to link repeat tables to.
  read_options.keep_ids = !args.repeats.empty();
  // Each --repeat CODE=FILE names a repeat of the questionnaire, once.
  std::vector<std::pair<size_t, std::string>> repeat_files;
  for (const std::string& spec : args.repeats) {
    const size_t eq = spec.find('=');
    Location loc;
    loc.field = "--repeat";
    if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size()) {
      return fail(InvalidInput("'" + spec + "' is not CODE=FILE (a repeat's code, then its table's file)", loc));
    }
    const std::string code = spec.substr(0, eq);
    std::optional<size_t> index = q->find_repeat(code);
    if (!index) {
      std::string codes;
      for (const survey::Repeat& r : q->repeats) codes += (codes.empty() ? "" : ", ") + r.code;
      return fail(InvalidInput("the questionnaire has no repeat coded '" + code + "'" +
                                   (codes.empty() ? std::string(" (it has none)") : " (its repeats: " + codes + ")"),
                               loc));
    }
    for (const auto& [other, file] : repeat_files) {
      if (other == *index) return fail(InvalidInput("the repeat '" + code + "' is given twice", loc));
    }
    repeat_files.emplace_back(*index, spec.substr(eq + 1));
  }
  StatusOr<survey::Responses> responses = survey::read_responses(args.responses, *q, read_options);
  if (!responses.ok()) return fail(responses.status());
  std::vector<survey::RepeatResponses> repeat_tables;
  repeat_tables.reserve(repeat_files.size());
  size_t instances = 0;
  for (const auto& [index, file] : repeat_files) {
    survey::RepeatReadOptions repeat_options;
    repeat_options.file_name = file;
    repeat_options.max_rows = args.max_rows;
    repeat_options.threads = args.threads;
    repeat_options.responses = &*responses;
    StatusOr<survey::RepeatResponses> table = survey::read_repeat_responses(file, *q, index, repeat_options);
    if (!table.ok()) return fail(table.status());
    instances += table->data.rows;
    repeat_tables.push_back(std::move(*table));
  }
  for (const survey::RepeatResponses& table : repeat_tables) options.repeats.push_back(&table);
  const auto t1 = Clock::now();

  StatusOr<survey::Analysis> analysis = survey::analyse(*q, *responses, options);
  if (!analysis.ok()) return fail(analysis.status());
  const auto t2 = Clock::now();

  survey::ReportInfo info;
  info.definition = args.template_name.empty() ? args.definition : "built-in template " + args.template_name;
  info.responses = args.responses;
  for (const auto& [index, file] : repeat_files) info.responses += "; " + q->repeats[index].code + ": " + file;
  std::string text;
  if (args.format == "json") {
    text = survey::render_json(*analysis, **policy, info);
  } else if (args.format == "csv") {
    text = survey::render_csv(*analysis, **policy, info);
  } else if (args.format == "xlsx") {
    StatusOr<std::string> bytes = survey::findings_to_xlsx(*analysis, **policy, info);
    if (!bytes.ok()) return fail(bytes.status());
    text = std::move(*bytes);
  } else {
    text = survey::render_html(*analysis, **policy, info);
  }
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
              << " ms, analysis " << ms(t2 - t1) << " ms, render " << ms(t3 - t2) << " ms";
    if (!repeat_tables.empty()) std::cerr << " (read and parse include " << instances << " repeat instances)";
    std::cerr << "\n";
  }
  return 0;
}


// Writes `bytes` to `path` ("-" or empty: standard output). False after
// printing why not.
bool write_output(const std::string& command, const std::string& path, const std::string& bytes) {
  if (path.empty() || path == "-") {
    std::cout << bytes;
    std::cout.flush();
    if (std::cout) return true;
    std::cerr << command << ": could not write to standard output\n";
    return false;
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
  out.close();
  if (out) return true;
  std::cerr << command << ": could not write " << path << "\n";
  return false;
}

// `survey xlsform export` and `survey xlsform import`: questionnaires as
// spreadsheets in the format of ODK and KoboToolbox.
void add_xlsform_command(CLI::App& survey_cmd, int& exit_code) {
  auto* xlsform = survey_cmd.add_subcommand(
      "xlsform", "Questionnaires as XLSForm spreadsheets (ODK, KoboToolbox): export and import");
  xlsform->require_subcommand(1);

  struct ExportArgs {
    std::string definition, template_name, output;
  };
  auto ex = std::make_shared<ExportArgs>();
  auto* export_cmd = xlsform->add_subcommand("export", "Write a questionnaire as an XLSForm .xlsx");
  auto* def = export_cmd->add_option("--definition", ex->definition, "Questionnaire definition file (JSON, or XLSForm .xlsx)");
  auto* tmpl = export_cmd->add_option("--template", ex->template_name, "A built-in questionnaire: coproduction")
                   ->check(CLI::IsMember({"coproduction"}));
  def->excludes(tmpl);
  export_cmd->add_option("--output", ex->output, "The .xlsx file to write")->required();
  export_cmd->callback([ex, &exit_code] {
    const std::string command = "coproduce survey xlsform export";
    if (ex->definition.empty() == ex->template_name.empty()) {
      std::cerr << command << ": give either --definition FILE or --template coproduction\n";
      exit_code = 2;
      return;
    }
    StatusOr<survey::Questionnaire> q = ex->template_name.empty() ? survey::load_questionnaire(ex->definition)
                                                                  : survey::builtin_template(ex->template_name);
    StatusOr<std::string> bytes = q.ok() ? survey::export_xlsform(*q) : StatusOr<std::string>(q.status());
    if (!bytes.ok()) {
      std::cerr << command << ": " << bytes.status().to_string() << "\n";
      exit_code = 1;
      return;
    }
    exit_code = write_output(command, ex->output, *bytes) ? 0 : 1;
  });

  struct ImportArgs {
    std::string input, output;
  };
  auto im = std::make_shared<ImportArgs>();
  auto* import_cmd = xlsform->add_subcommand(
      "import", "Read an XLSForm .xlsx and write it as a Coproduce definition (JSON); nothing is written if it has mistakes");
  import_cmd->add_option("file", im->input, "The XLSForm .xlsx file")->required();
  import_cmd->add_option("--output", im->output, "The definition file to write (default: standard output)");
  import_cmd->callback([im, &exit_code] {
    const std::string command = "coproduce survey xlsform import";
    survey::XlsformImport result = survey::import_xlsform_file(im->input);
    for (const Status& w : result.warnings) std::cerr << command << ": warning: " << w.to_string() << "\n";
    if (!result.ok()) {
      for (const Status& e : result.errors) std::cerr << command << ": " << e.to_string() << "\n";
      if (result.more_errors) {
        std::cerr << command << ": there are more problems; the first " << result.errors.size() << " are shown\n";
      }
      std::cerr << command << ": nothing was written\n";
      exit_code = 1;
      return;
    }
    exit_code = write_output(command, im->output, survey::definition_to_json(*result.questionnaire)) ? 0 : 1;
  });
}

// `survey convert`: responses exported by ODK Central or KoboToolbox (or a
// Coproduce .xlsx download) written in the CSV layout `survey analyse`
// reads, checked as an import checks them (collection/odk_kobo.h).
void add_convert_command(CLI::App& survey_cmd, int& exit_code) {
  struct ConvertArgs {
    std::string input, definition, output;
    std::vector<std::string> repeats;  // ODK Central's CSV files of repeated groups
  };
  auto args = std::make_shared<ConvertArgs>();
  auto* cmd = survey_cmd.add_subcommand(
      "convert",
      "Write responses exported by ODK Central or KoboToolbox (CSV or .xlsx) in the CSV layout that analyse reads; "
      "nothing is written if the file has mistakes");
  cmd->add_option("file", args->input, "The export: CSV, or .xlsx")->required();
  cmd->add_option("--definition", args->definition, "The questionnaire (XLSForm .xlsx, or JSON definition)")
      ->required();
  cmd->add_option("--output", args->output,
                  "The CSV file to write (default: standard output). Each repeat's answers go beside it, in "
                  "OUTPUT-CODE.csv");
  cmd->add_option("--repeat", args->repeats,
                  "A file of a repeated group's answers, such as ODK Central's form-people.csv (repeatable); a "
                  "KoboToolbox workbook holds its own");
  cmd->callback([args, &exit_code] {
    const std::string command = "coproduce survey convert";
    auto fail = [&](const std::string& message) {
      std::cerr << command << ": " << message << "\n";
      exit_code = 1;
    };
    StatusOr<survey::Questionnaire> q = survey::load_questionnaire(args->definition);
    if (!q.ok()) return fail(q.status().to_string());
    std::ifstream in(args->input, std::ios::binary);
    if (!in) return fail(args->input + ": cannot open the file (does it exist, and may this program read it?)");
    std::ostringstream bytes;
    bytes << in.rdbuf();
    constexpr size_t kMaxRows = 10000000;
    StatusOr<collection::SourceTable> table = collection::read_source_table(bytes.str(), args->input, kMaxRows);
    if (!table.ok()) return fail(table.status().to_string());
    const collection::ResponseSource source =
        collection::detect_source(table->header).value_or(collection::ResponseSource::kCoproduce);
    collection::Conversion conversion = collection::convert_responses(*table, *q, source);
    std::vector<ImportProblem> problems = conversion.problems;
    if (conversion.checkable) {
      // The first cell analyse would refuse, where it is in the file.
      survey::ReadOptions read;
      read.file_name = args->input;
      read.threads = 1;
      auto checked = survey::parse_responses(conversion.csv, *q, read);
      if (!checked.ok()) problems.push_back({conversion.in_file(checked.status().where()), checked.status().message()});
    }
    // The repeated groups' answers: the workbook's own sheets, the files
    // given with --repeat and wide columns such as people[2]/name.
    std::vector<collection::ImportFile> repeat_files;
    for (const std::string& path : args->repeats) {
      std::ifstream rin(path, std::ios::binary);
      if (!rin) return fail(path + ": cannot open the file (does it exist, and may this program read it?)");
      std::ostringstream rbytes;
      rbytes << rin.rdbuf();
      repeat_files.push_back({path, rbytes.str()});
    }
    collection::RepeatAnswers repeats;
    if (problems.empty()) {
      repeats = collection::read_repeats(*q, *table, conversion, repeat_files);
      problems.insert(problems.end(), repeats.problems.begin(), repeats.problems.end());
    }
    const bool any_repeat_rows = std::any_of(repeats.read.begin(), repeats.read.end(),
                                             [](const collection::RepeatRead& r) { return r.rows > 0; });
    if (problems.empty() && any_repeat_rows && (args->output.empty() || args->output == "-")) {
      return fail("the export has answers to repeated questions, which go in files of their own: give --output FILE");
    }
    if (!problems.empty()) {
      std::stable_sort(problems.begin(), problems.end(), [](const ImportProblem& a, const ImportProblem& b) {
        return std::make_tuple(a.where.file, a.where.line, a.where.column) <
               std::make_tuple(b.where.file, b.where.line, b.where.column);
      });
      for (const auto& p : problems) {
        std::cerr << command << ": " << InvalidInput(p.message, p.where).to_string() << "\n";
      }
      return fail("nothing was written");
    }
    std::cerr << command << ": " << table->rows.size() << " responses from " << collection::source_name(source);
    if (!conversion.ignored.empty()) {
      std::cerr << "; columns left out:";
      for (const auto& c : conversion.ignored) std::cerr << " " << c;
    }
    std::cerr << "\n";
    if (!write_output(command, args->output, conversion.csv)) {
      exit_code = 1;
      return;
    }
    // Each repeat's table beside the responses: OUTPUT-CODE.csv, which
    // `survey analyse --repeat CODE=FILE` reads.
    for (const collection::RepeatRead& r : repeats.read) {
      std::optional<size_t> index = q->find_repeat(r.code);
      if (!index || r.rows == 0) continue;
      std::vector<survey::ResponseRecord> records;
      for (const std::string& id : conversion.ids) {
        survey::ResponseRecord record;
        record.id = id;
        if (auto it = repeats.by_response.find(id); it != repeats.by_response.end()) record.answers = it->second;
        records.push_back(std::move(record));
      }
      const std::filesystem::path out(args->output);
      const std::string path =
          (out.parent_path() / (out.stem().string() + "-" + r.code + ".csv")).string();
      if (!write_output(command, path, survey::repeat_to_csv(*q, *index, records))) {
        exit_code = 1;
        return;
      }
      std::cerr << command << ": " << r.rows << " answers to '" << r.code << "' in " << path << "\n";
    }
    exit_code = 0;
  });
}

}  // namespace

void add_survey_command(CLI::App& app, int& exit_code) {
  auto* survey_cmd = app.add_subcommand("survey", "Survey analysis");
  survey_cmd->require_subcommand(1);
  auto args = std::make_shared<AnalyseArgs>();
  auto* cmd = survey_cmd->add_subcommand(
      "analyse", "Analyse responses: completion, counts with 95% intervals, cross-tabs with tests, suppression");
  cmd->alias("analyze");
  auto* def = cmd->add_option("--definition", args->definition, "Questionnaire definition file (JSON, or XLSForm .xlsx)");
  auto* tmpl = cmd->add_option("--template", args->template_name, "A built-in questionnaire: coproduction")
                   ->check(CLI::IsMember({"coproduction"}));
  def->excludes(tmpl);
  cmd->add_option("--responses", args->responses, "Responses CSV in the export layout")->required();
  cmd->add_option("--repeat", args->repeats,
                  "CODE=FILE: the table of the repeat CODE (response_id, instance, its questions), to count too "
                  "(repeatable)");
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
  cmd->add_option("--format", args->format, "json, html, csv, or xlsx (one sheet per table; needs --output)")
      ->required()
      ->check(CLI::IsMember({"json", "html", "csv", "xlsx"}));
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
        definition->empty() ? survey::builtin_template(*name) : survey::load_questionnaire(*definition);
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

  add_xlsform_command(*survey_cmd, exit_code);
  add_convert_command(*survey_cmd, exit_code);
}

}  // namespace coproduce::app
