// Importing a survey's responses from any file Coproduce understands: its
// own export layout (CSV, or the .xlsx it downloads), or an export from ODK
// Central or KoboToolbox (CSV or .xlsx; collection/odk_kobo.h). The file's
// source is told by its columns. Every file goes through the one checked,
// all-or-nothing import of transfer.h (import_csv), so a cell is checked the
// same way whoever wrote it; problems name the file, the line (or a sheet's
// row) and the column as they are in the person's own file.
#ifndef COPRODUCE_COLLECTION_RESPONSE_IMPORT_H_
#define COPRODUCE_COLLECTION_RESPONSE_IMPORT_H_

#include <string>
#include <string_view>
#include <vector>

#include "collection/odk_kobo.h"
#include "collection/surveys.h"
#include "collection/transfer.h"
#include "core/clock.h"
#include "core/status.h"
#include "store/database.h"
#include "survey/questionnaire.h"

namespace coproduce::collection {

struct ResponseImport {
  ImportSummary summary;  // rows, complete, and the problems (empty when it can be imported)
  ResponseSource source = ResponseSource::kCoproduce;
  bool spreadsheet = false;          // an .xlsx: problems are at sheet rows, not lines
  std::vector<std::string> ignored;  // the file's columns left out (what ODK or KoboToolbox add)
  // For ODK Central and KoboToolbox: the file's columns that give each
  // response's id, when it started and when it was sent.
  std::string id_column;
  std::string started_column;
  std::string submitted_column;
};

// Checks `bytes`, a file called `file_name`, against the survey, as
// import_csv does; with `commit` and no problems, adds every response in one
// transaction (audited as survey.responses.import), else adds nothing. A CSV
// file in Coproduce's own layout (or one whose columns show no source) goes
// to import_csv unchanged. Responses from ODK Central and KoboToolbox are all
// sent (complete), on the questionnaire's last page.
StatusOr<ResponseImport> import_responses(store::Database& db, const Clock& clock, const Survey& survey,
                                          const survey::Questionnaire& q, std::string_view bytes,
                                          const std::string& file_name, bool commit, const Actor& actor);

}  // namespace coproduce::collection

#endif  // COPRODUCE_COLLECTION_RESPONSE_IMPORT_H_
