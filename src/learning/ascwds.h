// The two CSV bulk-upload layouts of Skills for Care's Adult Social Care
// Workforce Data Set (ASC-WDS) that Coproduce reads and writes: the worker
// ("staff") file and the training file. Pure: text in, values out; no
// database, no clock.
//
// The layouts and code lists are taken from Skills for Care's public
// repository NMDSdevopsServiceAdm/SopraSteria-SFC (commit b6857156, August 2026):
//   - backend/server/routes/establishments/bulkUpload/data/workerHeaders.js and
//     .../data/trainingHeaders.js: the column names and their order (and, in
//     the history of trainingHeaders.js, the older training layout that had
//     DESCRIPTION where TRAININGNAME now is);
//   - lambdas/bulkUpload/classes/workerCSVValidator.js and
//     lambdas/bulkUpload/classes/trainingCSVValidator.js: STATUS values, the
//     CARECERT, CWPCATEGORY, ACCREDITED, WHODELIVERED, HOWDELIVERED and
//     VALIDITY codes, DD/MM/YYYY dates and the length limits;
//   - backend/server/routes/establishments/bulkUpload/download/workerCSV.js and
//     .../download/trainingCSV.js: what ASC-WDS itself writes (STATUS
//     UNCHECKED, empty columns for unknown values);
//   - backend/reference/jobRoles.js, trainingCategory.js, cwpCategory.js and
//     trainingProvider.js: which bulk-upload codes exist, with the names from
//     backend/migrations/20260619100647-updateAnalysisFilCodeForJobTable.js,
//     20260610161424-updateAnalysisFileCodeForTrainingCategoryTable.js,
//     20250507150411-createTableForCareWorkforcePathwayRoleCategories.js and
//     the training provider migrations (20251111090512, 20251222102131,
//     20260601142852); the care-providing job roles from
//     20260519094111-addCareProvidingRoleColumnToJobRolesTable.js.
//
// Example:
//   std::vector<ImportProblem> problems;
//   ascwds::WorkerFile file = ascwds::read_workers(text, "staff.csv", &problems);
//   if (!problems.empty()) return show(problems);  // each with file, line, column
//   for (const auto& row : file.rows) add(row.input);
#ifndef COPRODUCE_LEARNING_ASCWDS_H_
#define COPRODUCE_LEARNING_ASCWDS_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/vocabulary.h"
#include "learning/workforce.h"

namespace coproduce::learning::ascwds {

// Files with more data rows than this are refused (a large provider's staff
// file has tens of thousands of rows; its training file several per worker).
inline constexpr size_t kMaxRows = 200000;

// The ASC-WDS training category Coproduce writes for co-production learning:
// 22, "Dignity, respect, person-centred care". ASC-WDS has no co-production
// category; co-production is about working with the people who draw on care
// as equal partners, shaping support around what matters to them, which is
// the heart of person-centred practice, so this is the nearest of the 48
// categories ("Communication" and "Equality and diversity" each cover a part
// only, and "Other" would hide the learning in ASC-WDS's reports).
inline constexpr std::string_view kCoproductionTrainingCategory = "22";

// The readable name of an ASC-WDS MAINJOBROLE code ("8" -> "Care worker"), or
// "" when the code is not one ASC-WDS accepts.
std::string job_role_name(std::string_view code);
// The readable name of an ASC-WDS training CATEGORY code ("22" -> "Dignity,
// respect, person-centred care"), or "" when unknown.
std::string training_category_name(std::string_view code);

// ---------------------------------------------------------------------------
// The worker file.
//
// How its columns become a WorkerInput (the tables are in ascwds.cc):
//   worker_id        UNIQUEWORKERID
//   name             DISPLAYID (ASC-WDS's "name or ID number" of the staff
//                    record); when it is empty, the UNIQUEWORKERID
//   workplace        LOCALESTID
//   job_role         the readable name of the MAINJOBROLE code, or MAINJRDESC
//                    when that is filled in (ASC-WDS asks for it with 23
//                    "Other (directly involved in providing care)" and 27
//                    "Other (not directly involved in providing care)")
//   role_category    from CWPCATEGORY (Care Workforce Pathway role category,
//                    codes 1-7 and 998 "none of the above"); when the column
//                    is absent or empty or 999 ("I do not know"), derived from
//                    MAINJOBROLE: care-providing roles take their usual
//                    category, every other role is not_on_pathway
//   closeness        from MAINJOBROLE: care, support and outreach workers are
//                    direct_care; senior care workers, team leaders,
//                    supervisors, first-line and deputy managers supervisor;
//                    the registered manager registered_manager; senior and
//                    middle management senior_manager; everything else
//                    other_role. ASC-WDS has no commissioning job role, so no
//                    code gives commissioner.
//   started_on       STARTDATE, DD/MM/YYYY -> YYYY-MM-DD
//   care_certificate CARECERT: 1 completed, 2 not_started, 3 in_progress,
//                    empty ""
//   left_on, team, email: the layout has no such columns; always "".
// Rows with STATUS DELETE (the worker has left or is to be removed) are left
// out and counted. CHGUNIQUEWRKID and TRANSFERSTAFFRECORD, when present, are
// ignored: the worker keeps the UNIQUEWORKERID and LOCALESTID of the row.

struct WorkerRow {
  long line = 0;  // the line of the file the row starts on
  WorkerInput input;
};

struct WorkerFile {
  std::vector<WorkerRow> rows;  // rows with STATUS DELETE are left out (and counted)
  int deleted = 0;
  std::vector<std::string> columns_read;     // header names Coproduce uses, in file order
  std::vector<std::string> columns_ignored;  // every other header name (NINUMBER, SALARY, NATIONALITY...): never stored
};

// Reads an ASC-WDS worker file (`text` is the whole file, UTF-8).
// `problems` is cleared, then gets every problem found, up to
// kMaxImportProblems, each with the file, line and column it is at; the
// result is only meaningful when `problems` is empty. A file in another layout
// (a training file, say) gives one problem naming the first missing column.
// Each mapped row is checked with validate() too, and its FieldErrors are
// reported at the column the field came from. A UNIQUEWORKERID used twice for
// one LOCALESTID is a problem. Only the columns listed in columns_read are
// kept; the personal data in the others never leaves this function.
WorkerFile read_workers(std::string_view text, const std::string& file_name, std::vector<ImportProblem>* problems);

// The STATUS written on every row of a worker file. ASC-WDS matches rows to
// its staff records by LOCALESTID and UNIQUEWORKERID:
//   kUnchecked  the records exist and are left as they are (what ASC-WDS
//               itself writes in its download); ASC-WDS does not check such
//               rows, so the file can go with a training file for those workers.
//   kUpdate     the records exist and the filled-in columns replace theirs.
//   kNew        the records are added.
// For kUpdate and kNew ASC-WDS also requires EMPLSTATUS (the contract type),
// which Coproduce does not hold: fill it in before uploading.
enum class UploadStatus { kUnchecked, kUpdate, kNew };

// Writes `workers` as an ASC-WDS worker file: the header and every column of
// the current layout, in order, lines ending CRLF; the columns Coproduce does
// not hold are left empty. read_workers reads it back to the same worker_id,
// name, workplace, job_role, role_category, closeness, started_on and
// care_certificate, with these exceptions, all forced by the layout:
//   - MAINJOBROLE is the code whose name is job_role (case-insensitive) when
//     that role's closeness is the worker's; otherwise the role standing for
//     the worker's closeness (direct_care 23 "Other (directly involved...)",
//     supervisor 5 "Supervisor", registered_manager 4, senior_manager 1
//     "Senior management", commissioner and other_role 27 "Other (not
//     directly involved...)"), with job_role in MAINJRDESC (with 23 and 27,
//     which need it, the closeness label when job_role is empty). ASC-WDS
//     keeps MAINJRDESC only with 23 and 27 and warns that it ignores it with
//     the others. An empty job_role reads back as the role's name.
//   - commissioner reads back as other_role (no ASC-WDS job role is a
//     commissioning one), and personal_assistant as care_worker (the Care
//     Workforce Pathway in ASC-WDS has no personal assistant category; "Care
//     or support worker" is the nearest).
//   - left_on, team and email are not written (no columns). Pass only the
//     workers to send: to remove a leaver from ASC-WDS, use ASC-WDS itself,
//     which asks the reason they left.
// Free text that a spreadsheet would run as a formula gets csv::inert's
// apostrophe; read_workers takes it off again.
std::string write_workers(const std::vector<WorkerInput>& workers, UploadStatus status = UploadStatus::kUnchecked);

// ---------------------------------------------------------------------------
// The training file: one row per training record of a worker.

struct TrainingRow {
  long line = 0;              // the line of the file the row starts on (0 when not read from a file)
  std::string workplace;      // LOCALESTID
  std::string worker_id;      // UNIQUEWORKERID
  std::string category;       // CATEGORY code as in the file ("22"); see training_category_name()
  std::string name;           // TRAININGNAME (DESCRIPTION in the layout before November 2025)
  std::string accredited;     // ACCREDITED: 1 "yes", 0 "no", 999 (don't know) or empty ""
  std::string who_delivered;  // WHODELIVERED: 1 "In-house staff", 2 "External provider", or ""
  std::string provider;       // PROVIDERNAME: the provider's name from ASC-WDS's list ("Other" for
                              // 999); only with "External provider", as ASC-WDS ignores it otherwise
  std::string how_delivered;  // HOWDELIVERED: 1 "Face to face", 2 "E-learning", or ""
  std::string completed_on;   // DATECOMPLETED as YYYY-MM-DD, or "" when the file gives none (ASC-WDS allows it)
  std::string expires_on;     // EXPIRYDATE as YYYY-MM-DD; when empty, worked out from VALIDITY (months)
                              // as ASC-WDS does: completed_on + VALIDITY months - 1 day; else ""
  std::string notes;          // NOTES
};

struct TrainingFile {
  std::vector<TrainingRow> rows;
  std::vector<std::string> columns_read, columns_ignored;  // as for WorkerFile
};

// Reads an ASC-WDS training file, reporting problems as read_workers does:
// a missing LOCALESTID or UNIQUEWORKERID, an unknown code in CATEGORY,
// ACCREDITED, WHODELIVERED, PROVIDERNAME or HOWDELIVERED, a date that is not
// a real DD/MM/YYYY date, an expiry not after completion, a VALIDITY that is
// neither "none" nor 1-999, and text over ASC-WDS's limits (TRAININGNAME 120
// characters, NOTES 1000). Accepts the layout before November 2025 too (no
// WHODELIVERED, PROVIDERNAME, HOWDELIVERED, VALIDITY; DESCRIPTION for
// TRAININGNAME).
TrainingFile read_training(std::string_view text, const std::string& file_name, std::vector<ImportProblem>* problems);

// Writes `rows` as an ASC-WDS training file in the current layout (every
// column, in order, CRLF). The readable words of TrainingRow go back to their
// codes; a word not in the lists above is written as an empty column, and a
// provider not in ASC-WDS's list as 999 ("Other"). VALIDITY is left empty:
// EXPIRYDATE says when the training expires. Free text gets csv::inert's
// apostrophe, as in write_workers. read_training reads the file back to the
// same rows (apart from `line`).
std::string write_training(const std::vector<TrainingRow>& rows);

}  // namespace coproduce::learning::ascwds

#endif  // COPRODUCE_LEARNING_ASCWDS_H_
