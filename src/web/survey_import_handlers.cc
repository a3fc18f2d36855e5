// Imports of survey responses on the web (issue 6, issue 17): Coproduce's
// own export files and exports from ODK Central and KoboToolbox, checked in
// full and shown before anything is written, then written all or nothing.
//
// Handlers translate HTTP to calls on collection/response_import.h.
#include <cctype>
#include <string>
#include <vector>

#include "collection/response_import.h"
#include "collection/surveys.h"
#include "involvement/imports.h"
#include "security/crypto.h"
#include "web/application.h"
#include "web/page_helpers.h"
#include "web/survey_pages.h"

namespace coproduce::web {
namespace {

using collection::Survey;
using nlohmann::json;
using namespace survey_pages;

// ---------------------------------------------------------------------------
// Staff: imports.

// Checked files wait in the pool's pending imports (involvement/imports.h),
// which keep a file for the person who uploaded it, once, for an hour. The
// id_column slot carries which survey the file is for, with kWorkbookMarker
// after it when the file is an .xlsx workbook, which is kept as base64 since
// the store keeps text. With files for repeated questions, kFilesMarker
// follows instead and the content is a JSON list of every file, the main
// one first: [{"name": ..., "data": base64}, ...].
std::string pending_marker(const Survey& s) { return "survey:" + std::to_string(s.id); }
constexpr const char* kWorkbookMarker = ":xlsx";
constexpr const char* kFilesMarker = ":files";

// The files for repeated questions the form sent (input "repeat_files").
std::vector<collection::ImportFile> repeat_files(const Context& ctx) {
  std::vector<collection::ImportFile> out;
  for (const UploadedFile& f : ctx.form.files()) {
    if (f.field != "repeat_files" || f.data.empty()) continue;
    out.push_back({f.filename.empty() ? "file " + std::to_string(out.size() + 2) : f.filename, f.data});
  }
  return out;
}

Response import_page(Context& ctx, int status, const Survey& s, json data) {
  data["title"] = s.title;
  data["base"] = "/surveys/" + std::to_string(s.id);
  return ctx.page(status, "surveys/import", data.value("preview", false) ? "Check the import" : "Import responses", data);
}

Response import_form(Context& ctx) {
  auto s = staff_survey(ctx);
  if (!s.ok()) return status_error(ctx, s.status());
  return import_page(ctx, 200, *s, json::object());
}

// Where each problem is: "Line 3, column 2". A workbook has rows and
// lettered columns ("Row 3, column B"); for a file from ODK Central or
// KoboToolbox the column's name follows, as it is in that file, since the
// columns are not Coproduce's ("Line 3, column 2 (about-role)"). A problem
// in another file than `main_file` (a repeat's file or sheet) starts with
// its name: "people.csv: Line 4, column 3 (PARENT_KEY)".
json problem_rows(const std::vector<collection::ImportProblem>& problems,
                  const collection::ResponseImport* from = nullptr, const std::string& main_file = "") {
  const bool named = from && from->source != collection::ResponseSource::kCoproduce;
  json list = json::array();
  for (const auto& p : problems) {
    Location w = p.where;
    const bool other = !main_file.empty() && !w.file.empty() && w.file != main_file;
    std::string lower_file = w.file;
    for (char& c : lower_file) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const bool sheet = other ? lower_file.find(".xlsx") != std::string::npos : from && from->spreadsheet;
    std::string where = w.line > 0 ? std::string(sheet ? "Row " : "Line ") + std::to_string(w.line) : "The file";
    if (other) where = w.file + ": " + where;
    if (w.column > 0) {
      std::string letters;
      for (long c = w.column; c > 0; c = (c - 1) / 26) {
        letters.insert(letters.begin(), static_cast<char>('A' + (c - 1) % 26));
      }
      where += ", column " + (sheet ? letters : std::to_string(w.column));
    }
    if ((named || other) && !w.field.empty()) where += " (" + w.field + ")";
    list.push_back({{"where", where}, {"message", p.message}});
  }
  return list;
}

// What the preview and the problems say about a file from ODK Central or
// KoboToolbox: where it came from, and which of its columns are left out.
void describe_source(json& data, const collection::ResponseImport& checked) {
  if (checked.source == collection::ResponseSource::kCoproduce) return;
  data["source"] = std::string(collection::source_name(checked.source));
  data["id_column"] = checked.id_column;
  data["started_column"] = checked.started_column;
  data["submitted_column"] = checked.submitted_column;
  data["ignored"] = checked.ignored;
  data["has_ignored"] = !checked.ignored.empty();
}

// How many rows of each repeat were read, and from which files.
void describe_repeats(json& data, const collection::ResponseImport& checked) {
  json list = json::array();
  for (const auto& r : checked.repeats) {
    std::string files;
    for (const auto& f : r.files) files += (files.empty() ? "" : ", ") + f;
    list.push_back({{"code", r.code}, {"label", r.label}, {"rows", r.rows}, {"files", files}});
  }
  data["has_repeats"] = !list.empty();
  data["repeats"] = std::move(list);
}

// The files to hold until the import is confirmed, as PendingImports keeps
// them: one file as it is (a workbook as base64), several as a JSON list.
involvement::PendingImport pending_files(const Survey& s, const std::string& name, const std::string& data,
                                         bool workbook, const std::vector<collection::ImportFile>& repeats) {
  if (repeats.empty()) {
    return {0, name, pending_marker(s) + (workbook ? kWorkbookMarker : ""), workbook ? security::base64(data) : data};
  }
  json files = json::array();
  files.push_back({{"name", name}, {"data", security::base64(data)}});
  for (const auto& f : repeats) files.push_back({{"name", f.name}, {"data", security::base64(f.bytes)}});
  return {0, name, pending_marker(s) + kFilesMarker, files.dump()};
}

Response import_check(Context& ctx) {
  auto s = staff_survey(ctx);
  if (!s.ok()) return status_error(ctx, s.status());
  const UploadedFile* file = ctx.form.file("file");
  if (!file || file->data.empty()) {
    json data = {{"file_error", "Choose a CSV or XLSX file to upload"}};
    data["title"] = s->title;
    data["base"] = "/surveys/" + std::to_string(s->id);
    return ctx.form_errors("surveys/import", "Import responses", data,
                           {{"file", "Choose a CSV or XLSX file to upload"}});
  }
  auto q = collection::questionnaire_of(*s);
  if (!q.ok()) return ctx.error(500);
  std::string name = file->filename.empty() ? "the file" : file->filename;
  const std::vector<collection::ImportFile> repeats = repeat_files(ctx);
  auto checked = collection::import_responses(ctx.services.db, ctx.services.clock, *s, *q, file->data, name, false,
                                              actor(ctx), repeats);
  if (!checked.ok()) return ctx.error(500);
  const auto& problems = checked->summary.problems;
  if (!problems.empty()) {
    json data = {{"has_problems", true}, {"problems", problem_rows(problems, &*checked, name)}, {"file_name", name},
                 {"more", problems.size() >= collection::kMaxImportProblems}};
    describe_source(data, *checked);
    return import_page(ctx, 400, *s, data);
  }
  auto held = involvement::PendingImports(ctx.services.db, ctx.services.clock)
                  .hold(ctx.user->organisation_id, ctx.user->id,
                        pending_files(*s, name, file->data, checked->spreadsheet, repeats));
  if (!held.ok()) return ctx.error(500);
  const int64_t rows = checked->summary.rows, complete = checked->summary.complete;
  json data = {{"preview", true}, {"file_name", name}, {"rows", rows}, {"complete", complete},
               {"partial", rows - complete}, {"pending_id", *held}};
  describe_source(data, *checked);
  describe_repeats(data, *checked);
  return import_page(ctx, 200, *s, data);
}

Response import_confirm(Context& ctx) {
  auto s = staff_survey(ctx);
  if (!s.ok()) return status_error(ctx, s.status());
  int pending_id = 0;
  if (!whole_number(ctx.form.get("pending"), &pending_id)) {
    return ctx.error(400, "The import to confirm is missing. Upload the file again.");
  }
  auto pending = involvement::PendingImports(ctx.services.db, ctx.services.clock)
                     .take(ctx.user->organisation_id, ctx.user->id, pending_id);
  const bool workbook = pending.ok() && pending->id_column == pending_marker(*s) + kWorkbookMarker;
  const bool several = pending.ok() && pending->id_column == pending_marker(*s) + kFilesMarker;
  if (!pending.ok() || (pending->id_column != pending_marker(*s) && !workbook && !several)) {
    return ctx.error(404, "The import to confirm has expired or was already used. Upload the file again.");
  }
  auto q = collection::questionnaire_of(*s);
  if (!q.ok()) return ctx.error(500);
  std::optional<std::string> bytes =
      workbook ? security::from_base64(pending->content) : std::optional(pending->content);
  std::vector<collection::ImportFile> repeats;
  if (several) {
    // The main file first, then the files for repeated questions.
    const json files = json::parse(pending->content, nullptr, false);
    if (!files.is_array() || files.empty()) return ctx.error(500);
    for (const auto& f : files) {
      std::optional<std::string> data = security::from_base64(f.value("data", ""));
      if (!data) return ctx.error(500);
      if (&f == &files.front()) {
        bytes = std::move(data);
      } else {
        repeats.push_back({f.value("name", ""), std::move(*data)});
      }
    }
  }
  if (!bytes) return ctx.error(500);
  auto done = collection::import_responses(ctx.services.db, ctx.services.clock, *s, *q, *bytes, pending->file_name,
                                           true, actor(ctx), repeats);
  if (!done.ok()) return ctx.error(500);
  if (!done->summary.problems.empty()) {
    json data = {{"has_problems", true}, {"problems", problem_rows(done->summary.problems, &*done, pending->file_name)},
                 {"file_name", pending->file_name}};
    describe_source(data, *done);
    return import_page(ctx, 400, *s, data);
  }
  return Response::redirect("/surveys/" + std::to_string(s->id) + "?imported=" + std::to_string(done->summary.rows));
}

}  // namespace

void add_survey_import_routes(Router& router) {
  router.add({"GET", "/surveys/{id}/import", kManage, Channel::kPage, import_form});
  router.add({"POST", "/surveys/{id}/import", kManage, Channel::kPage, import_check});
  router.add({"POST", "/surveys/{id}/import/confirm", kManage, Channel::kPage, import_confirm});
}

}  // namespace coproduce::web
