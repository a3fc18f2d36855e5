// Fuzzes reading a spreadsheet: the .xlsx reader (zip and XML), then the
// XLSForm importer over whatever sheets came out. Bad files must give an
// error, never a crash, a hang or a questionnaire with errors beside it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "sheets/sheets.h"
#include "survey/xlsform.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto workbook = coproduce::sheets::from_xlsx(bytes, "fuzz.xlsx");
  if (!workbook.ok()) return 0;
  auto form = coproduce::survey::import_xlsform(*workbook, "fuzz.xlsx");
  if (form.ok() != form.questionnaire.has_value()) std::abort();
  return 0;
}
