// Workforce and training records in and out, in the ASC-WDS bulk-upload
// layouts employers already keep (ascwds.h reads and writes the files).
//
// Import is checked first and is all or nothing: a worker file adds new
// workers and updates those whose worker ID is known; a training file adds
// completions of this organisation's modules (matched by module title) and
// leaves every other kind of training alone. Every problem names the file,
// line and column. Only the columns Coproduce uses are kept.
#ifndef COPRODUCE_LEARNING_IMPORTS_H_
#define COPRODUCE_LEARNING_IMPORTS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "core/vocabulary.h"
#include "store/database.h"

namespace coproduce::learning {

// The files as uploaded; either may be absent (empty name), not both.
struct AscwdsFiles {
  std::string workers_name;
  std::string workers_text;
  std::string training_name;
  std::string training_text;
};

struct ImportSummary {
  int workers_added = 0;
  int workers_updated = 0;
  int workers_deleted_rows = 0;  // rows marked DELETE: left alone, never erased by a file
  int completions_added = 0;
  int completions_known = 0;     // already recorded: not added twice
  int training_other = 0;        // rows for other training: not kept
  std::vector<std::string> other_training;  // a few of their names, to show
  std::vector<std::string> worker_columns_read, worker_columns_ignored;
  std::vector<std::string> training_columns_read, training_columns_ignored;
  std::vector<ImportProblem> problems;  // empty when the files can be imported
};

// Checks the files (commit false) or imports them (commit true). With any
// problem nothing is written, and the summary lists the problems (up to
// kMaxImportProblems). Each worker added or updated and each completion
// added is audited. `today` (YYYY-MM-DD) bounds completion dates.
StatusOr<ImportSummary> import_ascwds(store::Database& db, const Clock& clock, int64_t organisation_id,
                                      const AscwdsFiles& files, bool commit, const Actor& actor);

struct AscwdsExport {
  std::string workers_csv;   // every worker in post today or starting later
  std::string training_csv;  // their completions of the organisation's modules
  int workers = 0;
  int completions = 0;
};

// The workforce and its co-production learning in the ASC-WDS layouts, so it
// can be uploaded there. Audited as one workforce.export.
StatusOr<AscwdsExport> export_ascwds(store::Database& db, const Clock& clock, int64_t organisation_id,
                                     const Actor& actor);

// Upload, check, preview, confirm on the web: the files wait here between
// the preview and "Confirm", for the user who sent them only.
StatusOr<int64_t> save_pending_import(store::Database& db, const Clock& clock, int64_t organisation_id,
                                      int64_t user_id, const AscwdsFiles& files);

// Imports the files waiting as `id` for `user_id` (import_ascwds with commit
// true) and removes them, in one write transaction: of several confirmations
// at once, one imports and the rest are kNotFound, as is an id that is not
// this user's or was confirmed already. With problems (the records changed
// since the check) nothing is written and the files still wait.
struct ConfirmedImport {
  AscwdsFiles files;
  ImportSummary summary;
};
StatusOr<ConfirmedImport> confirm_pending_import(store::Database& db, const Clock& clock, int64_t organisation_id,
                                                 int64_t user_id, int64_t id, const Actor& actor);

}  // namespace coproduce::learning

#endif  // COPRODUCE_LEARNING_IMPORTS_H_
