#include "learning/ascwds.h"
#include "core/text.h"

#include <algorithm>
#include <cassert>
#include <cctype>
#include <map>
#include <optional>
#include <span>
#include <sstream>
#include <utility>

#include "core/csv.h"
#include "core/dates.h"
#include "learning/vocab.h"

namespace coproduce::learning::ascwds {
namespace {

// ---------------------------------------------------------------------------
// The layouts, as ASC-WDS's bulkUpload/data/workerHeaders.js and
// trainingHeaders.js list them. Written in this order; read by name.

constexpr std::string_view kWorkerLayout[] = {
    "LOCALESTID",
    "UNIQUEWORKERID",
    "STATUS",
    "DISPLAYID",
    "NINUMBER",
    "POSTCODE",
    "DOB",
    "GENDER",
    "ETHNICITY",
    "NATIONALITY",
    "BRITISHCITIZENSHIP",
    "COUNTRYOFBIRTH",
    "YEAROFENTRY",
    "DISABLED",
    "CARECERT",
    "L2CARECERT",
    "RECSOURCE",
    "HANDCVISA",
    "INOUTUK",
    "STARTDATE",
    "STARTINSECT",
    "DHA",
    "APPRENTICE",
    "EMPLSTATUS",
    "ZEROHRCONT",
    "DAYSSICK",
    "SALARYINT",
    "SALARY",
    "HOURLYRATE",
    "MAINJOBROLE",
    "MAINJRDESC",
    "CONTHOURS",
    "AVGHOURS",
    "NMCREG",
    "AMHP",
    "SCQUAL",
    "NONSCQUAL",
    "CWPCATEGORY",
    "QUALACH01",
    "QUALACH01NOTES",
    "QUALACH02",
    "QUALACH02NOTES",
    "QUALACH03",
    "QUALACH03NOTES",
};

constexpr std::string_view kTrainingLayout[] = {
    "LOCALESTID",   "UNIQUEWORKERID", "CATEGORY", "TRAININGNAME",  "ACCREDITED", "WHODELIVERED",
    "PROVIDERNAME", "HOWDELIVERED",   "VALIDITY", "DATECOMPLETED", "EXPIRYDATE", "NOTES",
};

// ASC-WDS's length limits (workerCSVValidator.js, trainingCSVValidator.js).
constexpr size_t kMaxIdLength = 50;  // LOCALESTID, UNIQUEWORKERID
constexpr size_t kMaxTrainingNameLength = 120;
constexpr size_t kMaxNotesLength = 1000;

// ---------------------------------------------------------------------------
// Code lists. A Code pairs what the file holds with what Coproduce holds.

struct Code {
  std::string_view code;   // as in the file
  std::string_view value;  // as Coproduce holds it
};

// MAINJOBROLE: the bulk-upload codes of backend/reference/jobRoles.js (the
// BUDI column), named as in the Job table (the migration that sets each
// role's AnalysisFileCode, which equals its bulk-upload code). 22
// (Technician) and 41 (Care navigator) are no longer accepted.
//
// closeness: how near the role is to direct care (vocab.h's scale):
//   direct_care         the care-providing roles that are not supervisory:
//                       care worker, support worker, community support and
//                       outreach work, other (directly involved in care);
//   supervisor          senior care worker, team leader, supervisor,
//                       first-line manager, deputy manager;
//   registered_manager  registered manager;
//   senior_manager      senior management and middle management;
//   other_role          everything else: regulated professionals (nurses,
//                       social workers, therapists and their assistants),
//                       admin, ancillary, IT and advisory roles. ASC-WDS has
//                       no commissioning job role, so nothing is commissioner.
// pathway: the Care Workforce Pathway role category taken when CWPCATEGORY
// does not say. ASC-WDS marks the care-providing roles (migration
// addCareProvidingRoleColumnToJobRolesTable); those, and the deputy manager
// (a pathway category of its own), take their usual category, every other
// role not_on_pathway. A senior care worker is taken as an enhanced care
// worker, the pathway's category for experienced carers with added
// responsibility; new_to_care depends on experience, not the role, so it only
// ever comes from CWPCATEGORY.
struct JobRole {
  std::string_view code;
  std::string_view name;
  std::string_view closeness;
  std::string_view pathway;
};

constexpr JobRole kJobRoles[] = {
    {"1", "Senior management", "senior_manager", "not_on_pathway"},
    {"2", "Middle management", "senior_manager", "not_on_pathway"},
    {"3", "First-line manager", "supervisor", "not_on_pathway"},
    {"4", "Registered manager", "registered_manager", "registered_manager"},
    {"5", "Supervisor", "supervisor", "supervisor_leader"},
    {"6", "Social worker", "other_role", "not_on_pathway"},
    {"7", "Senior care worker", "supervisor", "enhanced_care_worker"},
    {"8", "Care worker", "direct_care", "care_worker"},
    {"9", "Community support and outreach work", "direct_care", "care_worker"},
    {"10", "Employment support", "other_role", "not_on_pathway"},
    {"11", "Advice, guidance and advocacy", "other_role", "not_on_pathway"},
    {"15", "Occupational therapist", "other_role", "not_on_pathway"},
    {"16", "Registered nurse", "other_role", "not_on_pathway"},
    {"17", "Allied health professional (not occupational therapist)", "other_role", "not_on_pathway"},
    {"23", "Other (directly involved in providing care)", "direct_care", "care_worker"},
    {"24", "Manager (care-related, but not care-providing)", "other_role", "not_on_pathway"},
    {"25", "Administrative", "other_role", "not_on_pathway"},
    {"26", "Ancillary staff (non care-providing)", "other_role", "not_on_pathway"},
    {"27", "Other (not directly involved in providing care)", "other_role", "not_on_pathway"},
    {"34", "Activities worker, co-ordinator", "other_role", "not_on_pathway"},
    {"35", "Safeguarding and reviewing officer", "other_role", "not_on_pathway"},
    {"36", "Occupational therapist assistant", "other_role", "not_on_pathway"},
    {"37", "Nursing associate", "other_role", "not_on_pathway"},
    {"38", "Nursing assistant", "other_role", "not_on_pathway"},
    {"39", "Assessment officer", "other_role", "not_on_pathway"},
    {"40", "Care co-ordinator", "other_role", "not_on_pathway"},
    {"42", "Any children's, young people's job role", "other_role", "not_on_pathway"},
    {"43", "Deputy manager", "supervisor", "deputy_manager"},
    {"44", "Learning and development lead", "other_role", "not_on_pathway"},
    {"45", "Team leader", "supervisor", "supervisor_leader"},
    {"46", "Data analyst", "other_role", "not_on_pathway"},
    {"47", "Data governance manager", "other_role", "not_on_pathway"},
    {"48", "IT and digital support", "other_role", "not_on_pathway"},
    {"49", "IT manager", "other_role", "not_on_pathway"},
    {"50", "IT service desk manager", "other_role", "not_on_pathway"},
    {"51", "Software developer", "other_role", "not_on_pathway"},
    {"52", "Support worker", "direct_care", "care_worker"},
};

// Writing: the job role standing for each closeness when the worker's own
// job role is not an ASC-WDS role of that closeness (see write_workers).
constexpr Code kJobRoleForCloseness[] = {
    {"23", "direct_care"},   {"5", "supervisor"},    {"4", "registered_manager"},
    {"1", "senior_manager"}, {"27", "commissioner"}, {"27", "other_role"},
};
// The two "Other" roles, with which ASC-WDS requires MAINJRDESC.
constexpr std::string_view kRolesNeedingDescription[] = {"23", "27"};

// CWPCATEGORY (backend/reference/cwpCategory.js; titles from the migration
// createTableForCareWorkforcePathwayRoleCategories): 1 New to care, 2 Care or
// support worker, 3 Enhanced care worker, 4 Supervisor or leader, 5 Practice
// leader, 6 Deputy manager, 7 Registered manager, 998 None of the above,
// 999 I do not know (empty here: derived from MAINJOBROLE instead). The
// pathway in ASC-WDS has no personal assistant category: Coproduce's
// personal_assistant is written as 2, the nearest.
constexpr Code kCwpCategories[] = {
    {"1", "new_to_care"},        {"2", "care_worker"},      {"3", "enhanced_care_worker"},
    {"4", "supervisor_leader"},  {"5", "practice_leader"},  {"6", "deputy_manager"},
    {"7", "registered_manager"}, {"998", "not_on_pathway"}, {"999", ""},
    {"2", "personal_assistant"},  // writing only: the first match wins when reading
};

// CARECERT (workerCSVValidator.js): 1 "Yes, completed", 2 "No", 3 "Yes, in
// progress or partially completed".
constexpr Code kCareCertificate[] = {{"1", "completed"}, {"2", "not_started"}, {"3", "in_progress"}};

// STATUS (workerCSVValidator.js).
constexpr std::string_view kStatuses[] = {"NEW", "UPDATE", "UNCHECKED", "NOCHANGE", "DELETE"};

// ACCREDITED (trainingCSVValidator.js): 1 Yes, 0 No, 999 Don't know.
constexpr Code kAccreditedCodes[] = {{"1", "yes"}, {"0", "no"}, {"999", ""}};
// WHODELIVERED and HOWDELIVERED (trainingCSVValidator.js).
constexpr Code kWhoDeliveredCodes[] = {{"1", "In-house staff"}, {"2", "External provider"}};
constexpr Code kHowDeliveredCodes[] = {{"1", "Face to face"}, {"2", "E-learning"}};
constexpr std::string_view kExternalProvider = "External provider";

// CATEGORY: the bulk-upload codes of backend/reference/trainingCategory.js,
// named as in the TrainingCategories table (the migration that sets each
// category's AnalysisFileCode, which equals its bulk-upload code).
constexpr Code kTrainingCategories[] = {
    {"1", "Control and restraint"},
    {"2", "Dementia care"},
    {"5", "Emergency aid awareness"},
    {"6", "Fire safety"},
    {"7", "Basic life support and first aid"},
    {"8", "Food hygiene"},
    {"9", "Health and safety awareness"},
    {"10", "Infection prevention and control"},
    {"11", "Leadership and management"},
    {"12", "Learning disability"},
    {"13", "Medication management"},
    {"14", "Mental capacity and liberty safeguards"},
    {"15", "Assisting and moving people"},
    {"16", "Nutrition and hydration"},
    {"17", "Palliative, end of life care"},
    {"18", "Physical disability"},
    {"19", "Positive behaviour support and non-restrictive practice"},
    {"20", "Safeguarding adults"},
    {"21", "Other"},
    {"22", "Dignity, respect, person-centred care"},
    {"23", "Equality and diversity"},
    {"25", "Children's, young people's related training"},
    {"26", "Data management and GDPR"},
    {"27", "Epilepsy"},
    {"28", "Communication"},
    {"29", "Diabetes"},
    {"30", "COSHH"},
    {"31", "Mental health"},
    {"32", "Autism"},
    {"33", "Continence care"},
    {"34", "Duty of care"},
    {"35", "Supervision, performance management"},
    {"36", "Stroke"},
    {"37", "Complaints handling, conflict resolution"},
    {"38", "Personal care"},
    {"39", "Activity provision, wellbeing"},
    {"40", "Sensory disability"},
    {"41", "Oliver McGowan Mandatory Training (elearning)"},
    {"42", "Oliver McGowan Mandatory Training (Tier 1)"},
    {"43", "Oliver McGowan Mandatory Training (Tier 2)"},
    {"44", "Oral health"},
    {"45", "Moving and handling objects"},
    {"46", "Assisted digital and accessibility"},
    {"47", "Digital leadership skills"},
    {"48", "In-house systems and applications"},
    {"49", "Online safety and security"},
    {"50", "Social media and communications"},
    {"51", "Working with digital technology"},
};

// PROVIDERNAME: the TrainingProvider table's bulk-upload codes and current
// names (migrations createTrainingProviderTable, renameTrainingProviders,
// updateTrainingProviders); 999 is "other".
constexpr Code kTrainingProviders[] = {
    {"1", "1Stop Training"},
    {"2", "AASOG Education and Training"},
    {"3", "Access Skills Ltd"},
    {"4", "Adams Care Training Ltd"},
    {"5", "Alium Care Training"},
    {"6", "AreYou - Training and Consultancy CIC"},
    {"7", "Autism Together"},
    {"8", "Award Training Limited"},
    {"9", "Bespoke Consultancy and Education"},
    {"10", "Centra Training"},
    {"11", "Cera Care"},
    {"12", "Coleman Training Ltd"},
    {"13", "Crossroads Barnsley Ltd"},
    {"14", "DH Associates"},
    {"15", "Distinction Solutions"},
    {"16", "Dominion Consultancy Group"},
    {"17", "DurhamLearn"},
    {"18", "Empeiria Training"},
    {"19", "Estia Centre"},
    {"20", "Experts by Experience Solihull CIC"},
    {"21", "First Response Training and Consultancy Services Limited"},
    {"22", "Flourish"},
    {"23", "FreeBird Associates"},
    {"24", "Guardian Angels Training"},
    {"25", "Gecko Programmes Ltd"},
    {"26", "Glendale Academy"},
    {"27", "Global Skills Services Ltd"},
    {"28", "Hasca Ltd"},
    {"29", "HCPA in partnership with CPA"},
    {"30", "Howe2 Training & Consultancy Ltd"},
    {"31", "Tend Training (was Impact Futures Training Limited)"},
    {"32", "Inspire London College"},
    {"33", "Inspiro Learning Ltd"},
    {"34", "IPS International"},
    {"35", "JAG Training Limited"},
    {"36", "Leeds City Council"},
    {"37", "Lifetime Training"},
    {"38", "Luminate Education Group"},
    {"39", "National Activity Providers Association"},
    {"40", "National Care Forum"},
    {"41", "Newcastle and Stafford Colleges Group"},
    {"42", "Northbrook"},
    {"43", "Pathways Associates CIC Ltd"},
    {"44", "Pentagon Skills Limited"},
    {"45", "Professional Training Solutions"},
    {"46", "Realise"},
    {"47", "Runway Training"},
    {"48", "Social Works Ltd"},
    {"49", "South West Skills Academy"},
    {"50", "Step Up Training and Care"},
    {"51", "Sutton Coldfield Training Ltd"},
    {"52", "The Autism Wellbeing Project"},
    {"53", "The Education Training Collective (Stockton Riverside College)"},
    {"54", "The Prime College"},
    {"55", "The Sheffield College"},
    {"56", "Training in Care Ltd"},
    {"57", "Unique Training Solutions Ltd"},
    {"58", "United Care Network"},
    {"59", "United Care Network (BrightPath Academy)"},
    {"60", "Universal Vibes Limited (Care Trainings)"},
    {"61", "Vision Training (North East) Ltd"},
    {"62", "Vita Training and Development"},
    {"63", "A1 Education and Training"},
    {"64", "Adada Recruitment and Training Services (arts) Ltd"},
    {"65", "ASH Healthcare Training"},
    {"66", "Blackburn College"},
    {"67", "Bluebird Care Franchises Ltd"},
    {"68", "British Institute of Learning Disabilities"},
    {"69", "BSol ICB OMMT Team"},
    {"70", "Caring Alliance"},
    {"71", "Dynamic Training UK Ltd"},
    {"72", "Edify Consultancy Ltd"},
    {"73", "FuturU"},
    {"74", "Gateshead Council - Learning and Skills"},
    {"75", "L&F Training Ltd"},
    {"76", "Lancaster and Morecambe College"},
    {"77", "Medex Group Ltd"},
    {"78", "National Star"},
    {"79", "Neurodiverse Training"},
    {"80", "Pathway First Limited"},
    {"81", "Retain skills"},
    {"82", "Rochdale Training"},
    {"83", "Saracen Care Services Ltd"},
    {"84", "Shreeji Training Ltd"},
    {"85", "The EdgeWorks Limited"},
    {"86", "The Link Training Academy"},
    {"87", "Tutorcare Ltd"},
    {"88", "Skills for Care"},
    {"999", "Other"},
};
constexpr std::string_view kOtherProviderCode = "999";

// VALIDITY (trainingCSVValidator.js): "none" or whole months, 1-999.
constexpr int kMaxValidityMonths = 999;

// ---------------------------------------------------------------------------
// Small helpers.

// A code as the file gives it, in the form the tables hold: trimmed, and a
// number without leading zeros ("08" -> "8"), as ASC-WDS reads codes as
// integers.
std::string canonical_code(std::string_view text) {
  std::string_view t = csv::trim(text);
  if (t.empty() || !std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::string(t);
  }
  size_t first = t.find_first_not_of('0');
  return first == std::string_view::npos ? "0" : std::string(t.substr(first));
}

const Code* by_code(std::span<const Code> table, std::string_view code) {
  for (const Code& c : table) {
    if (c.code == code) return &c;
  }
  return nullptr;
}

// The entry whose value is `value`, compared case-insensitively.
const Code* by_value(std::span<const Code> table, std::string_view value) {
  const std::string key = csv::normalise_key(value);
  for (const Code& c : table) {
    if (csv::normalise_key(c.value) == key) return &c;
  }
  return nullptr;
}

const JobRole* job_role_by_code(std::string_view code) {
  for (const JobRole& r : kJobRoles) {
    if (r.code == code) return &r;
  }
  return nullptr;
}

const JobRole* job_role_by_name(std::string_view name) {
  const std::string key = csv::normalise_key(name);
  for (const JobRole& r : kJobRoles) {
    if (csv::normalise_key(r.name) == key) return &r;
  }
  return nullptr;
}

// "a, b or c": the codes of a table, for a message.
std::string code_list(std::span<const Code> table) {
  std::vector<std::string_view> codes;
  for (const Code& c : table) {
    if (std::find(codes.begin(), codes.end(), c.code) == codes.end()) codes.push_back(c.code);
  }
  std::string out;
  for (size_t i = 0; i < codes.size(); ++i) {
    if (i > 0) out += i + 1 == codes.size() ? " or " : ", ";
    out += codes[i];
  }
  return out;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "31/01/2024" (or "1/1/2024") as "2024-01-31". `problem` gets why not.
std::string iso_of_uk_date(std::string_view text, std::string* problem) {
  const size_t a = text.find('/');
  const size_t b = a == std::string_view::npos ? a : text.find('/', a + 1);
  if (b == std::string_view::npos) {
    *problem = "'" + std::string(text) + "' is not a date in the form DD/MM/YYYY, like 31/01/2024";
    return "";
  }
  std::string_view day = text.substr(0, a), month = text.substr(a + 1, b - a - 1), year = text.substr(b + 1);
  if (!all_digits(day) || !all_digits(month) || !all_digits(year) || day.size() > 2 || month.size() > 2 ||
      year.size() != 4) {
    *problem = "'" + std::string(text) + "' is not a date in the form DD/MM/YYYY, like 31/01/2024";
    return "";
  }
  auto two = [](std::string_view s) { return s.size() == 1 ? "0" + std::string(s) : std::string(s); };
  std::string iso = std::string(year) + "-" + two(month) + "-" + two(day);
  if (!is_date(iso)) {
    *problem = std::string(text) + " is not a real date (there is no such day in that month)";
    return "";
  }
  return iso;
}

// "2024-01-31" as "31/01/2024"; "" stays "".
std::string uk_of_iso_date(const std::string& iso) {
  if (iso.size() != 10) return iso;
  return iso.substr(8, 2) + "/" + iso.substr(5, 2) + "/" + iso.substr(0, 4);
}

// Collects problems up to kMaxImportProblems.
class Problems {
 public:
  explicit Problems(std::vector<ImportProblem>* out) : out_(out) { out_->clear(); }
  void add(Location where, std::string message) {
    if (out_->size() < kMaxImportProblems) out_->push_back({std::move(where), std::move(message)});
  }
  bool full() const { return out_->size() >= kMaxImportProblems; }

 private:
  std::vector<ImportProblem>* out_;
};

// ---------------------------------------------------------------------------
// Finding the columns.

// A column Coproduce reads. `alias` is an older name for the same column.
struct Wanted {
  std::string_view name;
  bool required;
  std::string_view alias = {};
};

// Which layout a header looks like, to say so when a file is given as the
// other kind: the columns each layout has and the others lack.
std::string looks_like(const csv::Table& table) {
  if (table.column("CATEGORY") && (table.column("TRAININGNAME") || table.column("DESCRIPTION"))) {
    return " It looks like an ASC-WDS training file.";
  }
  if (table.column("MAINJOBROLE") && table.column("DISPLAYID")) return " It looks like an ASC-WDS worker file.";
  if (table.column("ESTNAME")) return " It looks like an ASC-WDS workplace file.";
  return "";
}

// The index of each wanted column (nullopt when an optional one is absent),
// with the header split into columns read and ignored. On a missing required
// column, one problem naming the file and the column, and nullopt.
std::optional<std::vector<std::optional<size_t>>> find_columns(const csv::Table& table, std::span<const Wanted> wanted,
                                                               std::string_view kind, Problems& problems,
                                                               std::vector<std::string>* read,
                                                               std::vector<std::string>* ignored) {
  std::vector<std::optional<size_t>> at;
  for (const Wanted& w : wanted) {
    std::optional<size_t> i = table.column(w.name);
    if (!i && !w.alias.empty()) i = table.column(w.alias);
    if (!i && w.required) {
      Location where;
      where.file = table.file_name;
      where.line = 1;
      where.field = std::string(w.name);
      problems.add(where, table.file_name + " is not an ASC-WDS " + std::string(kind) + " file: it has no " +
                              std::string(w.name) + " column." + looks_like(table));
      return std::nullopt;
    }
    at.push_back(i);
  }
  for (size_t c = 0; c < table.header.size(); ++c) {
    const bool used = std::find(at.begin(), at.end(), std::optional<size_t>(c)) != at.end();
    (used ? read : ignored)->push_back(table.header[c]);
  }
  return at;
}

std::optional<csv::Table> parse_table(std::string_view text, const std::string& file_name, Problems& problems) {
  csv::ReadOptions options;
  options.file_name = file_name;
  options.max_rows = kMaxRows;
  options.strict_width = true;
  StatusOr<csv::Table> table = csv::parse(text, options);
  if (!table.ok()) {
    problems.add(table.status().where(), table.status().message());
    return std::nullopt;
  }
  return std::move(table).value();
}

// The fields of one row, by wanted column.
class Cells {
 public:
  Cells(const csv::Table& table, const csv::Row& row, const std::vector<std::optional<size_t>>& at)
      : table_(table), row_(row), at_(at) {}
  bool has(size_t w) const { return at_[w].has_value(); }
  // The trimmed field; "" when the column is absent.
  std::string code(size_t w) const { return has(w) ? std::string(csv::trim(row_.fields[*at_[w]])) : ""; }
  // Free text: trimmed, without the apostrophe csv::inert adds.
  std::string text(size_t w) const { return csv::without_inert(code(w)); }
  Location where(size_t w) const {
    if (has(w)) return table_.where(row_, *at_[w]);
    Location loc;
    loc.file = table_.file_name;
    loc.line = row_.line;
    return loc;
  }

 private:
  const csv::Table& table_;
  const csv::Row& row_;
  const std::vector<std::optional<size_t>>& at_;
};

// The value of a coded field, or nullopt (and a problem) when the code is not
// in `table`. An empty field is "".
std::optional<std::string> coded(const Cells& cells, size_t w, std::string_view column, std::span<const Code> table,
                                 Problems& problems) {
  const std::string code = canonical_code(cells.code(w));
  if (code.empty()) return std::string();
  if (const Code* c = by_code(table, code)) return std::string(c->value);
  problems.add(cells.where(w),
               "'" + cells.code(w) + "' is not an ASC-WDS " + std::string(column) + " code; use " + code_list(table));
  return std::nullopt;
}

std::string write_csv(std::span<const std::string_view> layout, const std::vector<std::vector<std::string>>& rows) {
  std::ostringstream out;
  csv::Writer writer(out);
  writer.write_row(std::vector<std::string>(layout.begin(), layout.end()));
  for (const auto& row : rows) writer.write_row(row);
  return out.str();
}

size_t layout_index(std::span<const std::string_view> layout, std::string_view name) {
  auto it = std::find(layout.begin(), layout.end(), name);
  assert(it != layout.end());
  return static_cast<size_t>(it - layout.begin());
}

// ---------------------------------------------------------------------------
// The worker file's columns, in the order Wanted lists them.

// Indexes into kWorkerWanted.
namespace worker_column {
enum : size_t {
  kLocalEstId,
  kUniqueWorkerId,
  kStatus,
  kDisplayId,
  kCareCert,
  kStartDate,
  kMainJobRole,
  kMainJobDescription,
  kCwpCategory,
};
}  // namespace worker_column

constexpr Wanted kWorkerWanted[] =
    {
        {"LOCALESTID", true},  {"UNIQUEWORKERID", true}, {"STATUS", true},
        {"DISPLAYID", true},   {"CARECERT", true},       {"STARTDATE", true},
        {"MAINJOBROLE", true}, {"MAINJRDESC", false},    {"CWPCATEGORY", false},  // added to the layout in 2025
};

}  // namespace

std::string job_role_name(std::string_view code) {
  const JobRole* r = job_role_by_code(canonical_code(code));
  return r ? std::string(r->name) : "";
}

std::string training_category_name(std::string_view code) {
  const Code* c = by_code(kTrainingCategories, canonical_code(code));
  return c ? std::string(c->value) : "";
}

WorkerFile read_workers(std::string_view text, const std::string& file_name, std::vector<ImportProblem>* problems_out) {
  using namespace worker_column;
  Problems problems(problems_out);
  WorkerFile file;
  std::optional<csv::Table> table = parse_table(text, file_name, problems);
  if (!table) return file;
  auto at = find_columns(*table, kWorkerWanted, "worker", problems, &file.columns_read, &file.columns_ignored);
  if (!at) return file;

  std::map<std::pair<std::string, std::string>, long> first_line;  // (LOCALESTID, UNIQUEWORKERID) -> line
  for (const csv::Row& row : table->rows) {
    if (problems.full()) break;
    Cells cells(*table, row, *at);
    std::vector<size_t> reported;  // columns with a problem already, so validate() does not repeat it

    std::string upper_status = cells.code(kStatus);
    std::transform(upper_status.begin(), upper_status.end(), upper_status.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if (upper_status == "DELETE") {
      ++file.deleted;
      continue;
    }
    if (std::find(std::begin(kStatuses), std::end(kStatuses), upper_status) == std::end(kStatuses)) {
      problems.add(cells.where(kStatus), "'" + cells.code(kStatus) +
                                             "' is not an ASC-WDS STATUS; use NEW, UPDATE, UNCHECKED, NOCHANGE or "
                                             "DELETE");
      reported.push_back(kStatus);
    }

    WorkerRow out;
    out.line = row.line;
    WorkerInput& in = out.input;
    in.workplace = cells.text(kLocalEstId);
    if (in.workplace.empty()) {
      problems.add(cells.where(kLocalEstId), "LOCALESTID is empty: give the workplace's ID in ASC-WDS");
    } else if (utf8_length(in.workplace) > kMaxIdLength) {
      problems.add(cells.where(kLocalEstId), "LOCALESTID is longer than 50 characters");
    }
    in.worker_id = cells.text(kUniqueWorkerId);
    // DISPLAYID is the staff record's name (or ID number) in ASC-WDS, which
    // requires it; should it be empty, the worker ID stands in.
    in.name = cells.text(kDisplayId);
    size_t name_column = kDisplayId;
    if (in.name.empty()) {
      in.name = in.worker_id;
      name_column = kUniqueWorkerId;
    }

    // Main job role: its name (or the description given with it), closeness
    // and the pathway category it implies.
    const JobRole* role = nullptr;
    const std::string role_code = canonical_code(cells.code(kMainJobRole));
    if (role_code.empty()) {
      problems.add(cells.where(kMainJobRole), "MAINJOBROLE is empty: give the ASC-WDS code of the main job role");
      reported.push_back(kMainJobRole);
    } else if (!(role = job_role_by_code(role_code))) {
      problems.add(cells.where(kMainJobRole), "'" + cells.code(kMainJobRole) +
                                                  "' is not an ASC-WDS MAINJOBROLE code (1-11, 15-17, 23-27, "
                                                  "34-40 or 42-52)");
      reported.push_back(kMainJobRole);
    }
    size_t job_role_column = kMainJobRole;
    in.job_role = cells.text(kMainJobDescription);
    if (!in.job_role.empty()) {
      job_role_column = kMainJobDescription;
    } else if (role) {
      in.job_role = std::string(role->name);
    }
    if (role) in.closeness = std::string(role->closeness);

    size_t category_column = kMainJobRole;
    if (std::optional<std::string> category = coded(cells, kCwpCategory, "CWPCATEGORY", kCwpCategories, problems)) {
      if (!category->empty()) {
        in.role_category = *category;
        category_column = kCwpCategory;
      } else if (role) {
        in.role_category = std::string(role->pathway);
      }
    } else {
      reported.push_back(kCwpCategory);
      category_column = kCwpCategory;
    }

    const std::string start = cells.code(kStartDate);
    if (!start.empty()) {
      std::string problem;
      in.started_on = iso_of_uk_date(start, &problem);
      if (!problem.empty()) {
        problems.add(cells.where(kStartDate), "STARTDATE " + problem);
        reported.push_back(kStartDate);
      }
    }
    if (std::optional<std::string> cert = coded(cells, kCareCert, "CARECERT", kCareCertificate, problems)) {
      in.care_certificate = *cert;
    } else {
      reported.push_back(kCareCert);
    }

    const std::pair<std::string_view, size_t> source[] = {
        {"worker_id", kUniqueWorkerId},     {"name", name_column},
        {"workplace", kLocalEstId},         {"job_role", job_role_column},
        {"role_category", category_column}, {"closeness", kMainJobRole},
        {"started_on", kStartDate},         {"care_certificate", kCareCert},
    };
    for (const FieldError& e : validate(in)) {
      auto it = std::find_if(std::begin(source), std::end(source), [&](const auto& s) { return s.first == e.field; });
      // left_on, team and email have no column and are always empty here.
      assert(it != std::end(source));
      if (it == std::end(source)) continue;
      if (std::find(reported.begin(), reported.end(), it->second) != reported.end()) continue;
      reported.push_back(it->second);
      problems.add(cells.where(it->second), e.message);
    }

    if (!in.worker_id.empty()) {
      auto [it, added] = first_line.emplace(std::pair{in.workplace, in.worker_id}, row.line);
      if (!added) {
        problems.add(cells.where(kUniqueWorkerId), "UNIQUEWORKERID '" + in.worker_id + "' is already used on line " +
                                                       std::to_string(it->second) + " for workplace '" + in.workplace +
                                                       "': each worker needs their own ID");
      }
    }
    file.rows.push_back(std::move(out));
  }
  return file;
}

std::string write_workers(const std::vector<WorkerInput>& workers, UploadStatus status) {
  const std::span<const std::string_view> layout(kWorkerLayout);
  auto column = [&](std::string_view name) { return layout_index(layout, name); };
  const std::string status_text = status == UploadStatus::kNew      ? "NEW"
                                  : status == UploadStatus::kUpdate ? "UPDATE"
                                                                    : "UNCHECKED";
  std::vector<std::vector<std::string>> rows;
  for (const WorkerInput& w : workers) {
    std::vector<std::string> f(layout.size());
    f[column("LOCALESTID")] = csv::inert(w.workplace);
    f[column("UNIQUEWORKERID")] = csv::inert(w.worker_id);
    f[column("STATUS")] = status_text;
    f[column("DISPLAYID")] = csv::inert(w.name);
    if (const Code* c = by_value(kCareCertificate, w.care_certificate); c && !w.care_certificate.empty()) {
      f[column("CARECERT")] = std::string(c->code);
    }
    f[column("STARTDATE")] = uk_of_iso_date(w.started_on);

    // The job role's own code when its closeness is the worker's, else the
    // role standing for the worker's closeness with the job role described.
    std::string_view role_code;
    std::string description;
    if (const JobRole* r = job_role_by_name(w.job_role); r && r->closeness == w.closeness) {
      role_code = r->code;
    } else {
      const Code* stand_in = by_value(kJobRoleForCloseness, w.closeness);
      role_code = stand_in ? stand_in->code : std::string_view("27");
      description = w.job_role;
      const bool needs = std::find(std::begin(kRolesNeedingDescription), std::end(kRolesNeedingDescription),
                                   role_code) != std::end(kRolesNeedingDescription);
      if (description.empty() && needs) description = label_of(closeness_levels(), w.closeness);
    }
    f[column("MAINJOBROLE")] = std::string(role_code);
    f[column("MAINJRDESC")] = csv::inert(description);
    if (const Code* c = by_value(kCwpCategories, w.role_category); c && !w.role_category.empty()) {
      f[column("CWPCATEGORY")] = std::string(c->code);
    }
    rows.push_back(std::move(f));
  }
  return write_csv(layout, rows);
}

// ---------------------------------------------------------------------------
// The training file.

namespace {

// Indexes into kTrainingWanted.
namespace training_column {
enum : size_t {
  kLocalEstId,
  kUniqueWorkerId,
  kCategory,
  kName,
  kAccredited,
  kWhoDelivered,
  kProvider,
  kHowDelivered,
  kValidity,
  kCompleted,
  kExpiry,
  kNotes,
};
}  // namespace training_column

// The columns of both layouts are required; those added in November 2025
// are optional, so an older file still reads.
constexpr Wanted kTrainingWanted[] = {
    {"LOCALESTID", true}, {"UNIQUEWORKERID", true}, {"CATEGORY", true},      {"TRAININGNAME", true, "DESCRIPTION"},
    {"ACCREDITED", true}, {"WHODELIVERED", false},  {"PROVIDERNAME", false}, {"HOWDELIVERED", false},
    {"VALIDITY", false},  {"DATECOMPLETED", true},  {"EXPIRYDATE", true},    {"NOTES", true},
};

}  // namespace

TrainingFile read_training(std::string_view text, const std::string& file_name,
                           std::vector<ImportProblem>* problems_out) {
  using namespace training_column;
  Problems problems(problems_out);
  TrainingFile file;
  std::optional<csv::Table> table = parse_table(text, file_name, problems);
  if (!table) return file;
  auto at = find_columns(*table, kTrainingWanted, "training", problems, &file.columns_read, &file.columns_ignored);
  if (!at) return file;

  for (const csv::Row& row : table->rows) {
    if (problems.full()) break;
    Cells cells(*table, row, *at);
    TrainingRow out;
    out.line = row.line;

    auto id = [&](size_t w, std::string_view column, std::string_view what, std::string* value) {
      *value = cells.text(w);
      if (value->empty()) {
        problems.add(cells.where(w), std::string(column) + " is empty: give the " + std::string(what));
      } else if (utf8_length(*value) > kMaxIdLength) {
        problems.add(cells.where(w), std::string(column) + " is longer than 50 characters");
      }
    };
    id(kLocalEstId, "LOCALESTID", "workplace's ID in ASC-WDS", &out.workplace);
    id(kUniqueWorkerId, "UNIQUEWORKERID", "worker's ID", &out.worker_id);

    out.category = canonical_code(cells.code(kCategory));
    if (out.category.empty()) {
      problems.add(cells.where(kCategory), "CATEGORY is empty: give the ASC-WDS code of the training category");
    } else if (!by_code(kTrainingCategories, out.category)) {
      problems.add(cells.where(kCategory),
                   "'" + cells.code(kCategory) + "' is not an ASC-WDS training CATEGORY code (1, 2, 5-23 or 25-51)");
    }

    out.name = cells.text(kName);
    if (utf8_length(out.name) > kMaxTrainingNameLength) {
      problems.add(cells.where(kName), "TRAININGNAME is longer than 120 characters");
    }
    out.notes = cells.text(kNotes);
    if (utf8_length(out.notes) > kMaxNotesLength) {
      problems.add(cells.where(kNotes), "NOTES is longer than 1000 characters");
    }

    out.accredited = coded(cells, kAccredited, "ACCREDITED", kAccreditedCodes, problems).value_or("");
    out.who_delivered = coded(cells, kWhoDelivered, "WHODELIVERED", kWhoDeliveredCodes, problems).value_or("");
    out.how_delivered = coded(cells, kHowDelivered, "HOWDELIVERED", kHowDeliveredCodes, problems).value_or("");
    // ASC-WDS ignores PROVIDERNAME (with a warning) unless WHODELIVERED is 2.
    if (out.who_delivered == kExternalProvider) {
      out.provider = coded(cells, kProvider, "PROVIDERNAME", kTrainingProviders, problems).value_or("");
    }

    auto date = [&](size_t w, std::string_view column, std::string* value) {
      const std::string given = cells.code(w);
      if (given.empty()) return;
      std::string problem;
      *value = iso_of_uk_date(given, &problem);
      if (!problem.empty()) problems.add(cells.where(w), std::string(column) + " " + problem);
    };
    date(kCompleted, "DATECOMPLETED", &out.completed_on);
    date(kExpiry, "EXPIRYDATE", &out.expires_on);
    if (!out.completed_on.empty() && !out.expires_on.empty() && out.expires_on <= out.completed_on) {
      problems.add(cells.where(kExpiry), "EXPIRYDATE must be after DATECOMPLETED");
    }

    const std::string validity = cells.code(kValidity);
    if (!validity.empty() && csv::normalise_key(validity) != "none") {
      const std::string months = canonical_code(validity);
      if (!all_digits(months) || months.size() > 3 || months == "0") {
        problems.add(cells.where(kValidity), "VALIDITY '" + validity +
                                                 "' should be either \"none\" or a number of months from 1 to " +
                                                 std::to_string(kMaxValidityMonths));
      } else if (out.expires_on.empty() && !out.completed_on.empty()) {
        // As ASC-WDS works it out: the day before the anniversary.
        out.expires_on = add_days(add_months(out.completed_on, std::stoi(months)), -1);
      }
    }
    file.rows.push_back(std::move(out));
  }
  return file;
}

std::string write_training(const std::vector<TrainingRow>& rows) {
  const std::span<const std::string_view> layout(kTrainingLayout);
  auto column = [&](std::string_view name) { return layout_index(layout, name); };
  auto code_of = [](std::span<const Code> table, const std::string& value) -> std::string {
    if (value.empty()) return "";
    const Code* c = by_value(table, value);
    return c ? std::string(c->code) : "";
  };
  std::vector<std::vector<std::string>> out;
  for (const TrainingRow& r : rows) {
    std::vector<std::string> f(layout.size());
    f[column("LOCALESTID")] = csv::inert(r.workplace);
    f[column("UNIQUEWORKERID")] = csv::inert(r.worker_id);
    f[column("CATEGORY")] = r.category;
    f[column("TRAININGNAME")] = csv::inert(r.name);
    f[column("ACCREDITED")] = code_of(kAccreditedCodes, r.accredited);
    f[column("WHODELIVERED")] = code_of(kWhoDeliveredCodes, r.who_delivered);
    if (csv::normalise_key(r.who_delivered) == csv::normalise_key(kExternalProvider) && !r.provider.empty()) {
      const std::string code = code_of(kTrainingProviders, r.provider);
      f[column("PROVIDERNAME")] = code.empty() ? std::string(kOtherProviderCode) : code;
    }
    f[column("HOWDELIVERED")] = code_of(kHowDeliveredCodes, r.how_delivered);
    f[column("DATECOMPLETED")] = uk_of_iso_date(r.completed_on);
    f[column("EXPIRYDATE")] = uk_of_iso_date(r.expires_on);
    f[column("NOTES")] = csv::inert(r.notes);
    out.push_back(std::move(f));
  }
  return write_csv(layout, out);
}

}  // namespace coproduce::learning::ascwds
