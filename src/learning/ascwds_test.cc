#include "learning/ascwds.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "core/csv.h"
#include "learning/test_support.h"

namespace coproduce::learning::ascwds {
namespace {

using test_support::ascwds_worker;
using test_support::describe;

// The layouts exactly as ASC-WDS's workerHeaders.js and trainingHeaders.js
// join them.
const std::string kWorkerHeader =
    "LOCALESTID,UNIQUEWORKERID,STATUS,DISPLAYID,NINUMBER,POSTCODE,DOB,GENDER,ETHNICITY,NATIONALITY,"
    "BRITISHCITIZENSHIP,COUNTRYOFBIRTH,YEAROFENTRY,DISABLED,CARECERT,L2CARECERT,RECSOURCE,HANDCVISA,INOUTUK,"
    "STARTDATE,STARTINSECT,DHA,APPRENTICE,EMPLSTATUS,ZEROHRCONT,DAYSSICK,SALARYINT,SALARY,HOURLYRATE,MAINJOBROLE,"
    "MAINJRDESC,CONTHOURS,AVGHOURS,NMCREG,AMHP,SCQUAL,NONSCQUAL,CWPCATEGORY,QUALACH01,QUALACH01NOTES,QUALACH02,"
    "QUALACH02NOTES,QUALACH03,QUALACH03NOTES";
const std::string kTrainingHeader =
    "LOCALESTID,UNIQUEWORKERID,CATEGORY,TRAININGNAME,ACCREDITED,WHODELIVERED,PROVIDERNAME,HOWDELIVERED,VALIDITY,"
    "DATECOMPLETED,EXPIRYDATE,NOTES";

std::vector<std::string> split_header(const std::string& header) {
  std::vector<std::string> out;
  std::stringstream in(header);
  for (std::string name; std::getline(in, name, ',');) out.push_back(name);
  return out;
}

using Fields = std::map<std::string, std::string>;

// A file in `header`'s layout: one line per row, the named fields filled in
// and the rest empty. Field values must not need quoting.
std::string file_of(const std::string& header, const std::vector<Fields>& rows) {
  const std::vector<std::string> names = split_header(header);
  std::string text = header + "\r\n";
  for (const Fields& row : rows) {
    for (size_t i = 0; i < names.size(); ++i) {
      if (i > 0) text += ",";
      auto it = row.find(names[i]);
      if (it != row.end()) text += it->second;
    }
    text += "\r\n";
  }
  return text;
}

// A worker row ASC-WDS would accept, with `changes` applied.
Fields worker(Fields changes = {}) {
  Fields f = {{"LOCALESTID", "Home1"},       {"UNIQUEWORKERID", "W1"},  {"STATUS", "UNCHECKED"},
              {"DISPLAYID", "Ada Lovelace"}, {"NINUMBER", "QQ123456C"}, {"DOB", "10/12/1985"},
              {"NATIONALITY", "826"},        {"CARECERT", "1"},         {"STARTDATE", "01/03/2021"},
              {"EMPLSTATUS", "1"},           {"SALARYINT", "1"},        {"SALARY", "24000"},
              {"MAINJOBROLE", "8"},          {"CWPCATEGORY", "2"}};
  for (const auto& [k, v] : changes) f[k] = v;
  return f;
}

std::string workers_file(const std::vector<Fields>& rows) { return file_of(kWorkerHeader, rows); }

Fields training(Fields changes = {}) {
  Fields f = {{"LOCALESTID", "Home1"},     {"UNIQUEWORKERID", "W1"},
              {"CATEGORY", "22"},          {"TRAININGNAME", "Working together"},
              {"ACCREDITED", "0"},         {"WHODELIVERED", "1"},
              {"HOWDELIVERED", "1"},       {"DATECOMPLETED", "15/01/2024"},
              {"EXPIRYDATE", "14/01/2027"}};
  for (const auto& [k, v] : changes) f[k] = v;
  return f;
}

std::string training_file(const std::vector<Fields>& rows) { return file_of(kTrainingHeader, rows); }

// ---------------------------------------------------------------------------

TEST(AscwdsWorkers, GoodFileOfThreeRowsMaps) {
  const std::string text = workers_file({
      worker(),
      worker({{"UNIQUEWORKERID", "W2"},
              {"DISPLAYID", "Grace Hopper"},
              {"MAINJOBROLE", "45"},
              {"CWPCATEGORY", ""},
              {"CARECERT", "3"},
              {"STARTDATE", "5/9/2019"}}),
      worker({{"LOCALESTID", "Home2"},
              {"UNIQUEWORKERID", "W1"},
              {"DISPLAYID", "Mary Seacole"},
              {"MAINJOBROLE", "23"},
              {"MAINJRDESC", "Night carer"},
              {"CWPCATEGORY", "999"},
              {"CARECERT", ""},
              {"STARTDATE", "29/02/2024"}}),
  });
  std::vector<ImportProblem> problems;
  WorkerFile file = read_workers(text, "staff.csv", &problems);
  ASSERT_TRUE(problems.empty()) << describe(problems);
  ASSERT_EQ(file.rows.size(), 3u);
  EXPECT_EQ(file.deleted, 0);

  const WorkerInput& a = file.rows[0].input;
  EXPECT_EQ(file.rows[0].line, 2);
  EXPECT_EQ(a.worker_id, "W1");
  EXPECT_EQ(a.name, "Ada Lovelace");
  EXPECT_EQ(a.workplace, "Home1");
  EXPECT_EQ(a.job_role, "Care worker");
  EXPECT_EQ(a.role_category, "care_worker");
  EXPECT_EQ(a.closeness, "direct_care");
  EXPECT_EQ(a.started_on, "2021-03-01");
  EXPECT_EQ(a.care_certificate, "completed");
  EXPECT_EQ(a.left_on, "");
  EXPECT_EQ(a.team, "");
  EXPECT_EQ(a.email, "");

  // No CWPCATEGORY: the team leader's category comes from the job role.
  const WorkerInput& g = file.rows[1].input;
  EXPECT_EQ(g.worker_id, "W2");
  EXPECT_EQ(g.job_role, "Team leader");
  EXPECT_EQ(g.closeness, "supervisor");
  EXPECT_EQ(g.role_category, "supervisor_leader");
  EXPECT_EQ(g.care_certificate, "in_progress");
  EXPECT_EQ(g.started_on, "2019-09-05");

  // The same worker ID at another workplace is another worker.
  const WorkerInput& m = file.rows[2].input;
  EXPECT_EQ(m.workplace, "Home2");
  EXPECT_EQ(m.job_role, "Night carer");
  EXPECT_EQ(m.closeness, "direct_care");
  EXPECT_EQ(m.role_category, "care_worker");  // 999 "I do not know": from the job role
  EXPECT_EQ(m.care_certificate, "");
  EXPECT_EQ(m.started_on, "2024-02-29");
}

TEST(AscwdsWorkers, MapsEveryJobRoleCodeItNames) {
  struct Case {
    const char* code;
    const char* job_role;
    const char* closeness;
    const char* category;
  };
  const Case cases[] = {
      {"1", "Senior management", "senior_manager", "not_on_pathway"},
      {"2", "Middle management", "senior_manager", "not_on_pathway"},
      {"4", "Registered manager", "registered_manager", "registered_manager"},
      {"5", "Supervisor", "supervisor", "supervisor_leader"},
      {"6", "Social worker", "other_role", "not_on_pathway"},
      {"7", "Senior care worker", "supervisor", "enhanced_care_worker"},
      {"08", "Care worker", "direct_care", "care_worker"},
      {"25", "Administrative", "other_role", "not_on_pathway"},
      {"43", "Deputy manager", "supervisor", "deputy_manager"},
      {"52", "Support worker", "direct_care", "care_worker"},
  };
  for (const Case& c : cases) {
    std::vector<ImportProblem> problems;
    WorkerFile file =
        read_workers(workers_file({worker({{"MAINJOBROLE", c.code}, {"CWPCATEGORY", ""}})}), "staff.csv", &problems);
    ASSERT_TRUE(problems.empty()) << c.code << "\n" << describe(problems);
    ASSERT_EQ(file.rows.size(), 1u);
    EXPECT_EQ(file.rows[0].input.job_role, c.job_role) << c.code;
    EXPECT_EQ(file.rows[0].input.closeness, c.closeness) << c.code;
    EXPECT_EQ(file.rows[0].input.role_category, c.category) << c.code;
  }
  EXPECT_EQ(job_role_name("45"), "Team leader");
  EXPECT_EQ(job_role_name("41"), "");  // Care navigator: no longer accepted
}

TEST(AscwdsWorkers, CwpCategoryCodesMap) {
  const std::pair<const char*, const char*> cases[] = {
      {"1", "new_to_care"},     {"2", "care_worker"},    {"3", "enhanced_care_worker"}, {"4", "supervisor_leader"},
      {"5", "practice_leader"}, {"6", "deputy_manager"}, {"7", "registered_manager"},   {"998", "not_on_pathway"},
  };
  for (const auto& [code, category] : cases) {
    std::vector<ImportProblem> problems;
    WorkerFile file = read_workers(workers_file({worker({{"CWPCATEGORY", code}})}), "staff.csv", &problems);
    ASSERT_TRUE(problems.empty()) << describe(problems);
    EXPECT_EQ(file.rows[0].input.role_category, category) << code;
  }
}

TEST(AscwdsWorkers, KeepsOnlyTheColumnsCoproduceUses) {
  std::vector<ImportProblem> problems;
  WorkerFile file = read_workers(workers_file({worker()}), "staff.csv", &problems);
  ASSERT_TRUE(problems.empty()) << describe(problems);
  EXPECT_EQ(file.columns_read,
            (std::vector<std::string>{"LOCALESTID", "UNIQUEWORKERID", "STATUS", "DISPLAYID", "CARECERT", "STARTDATE",
                                      "MAINJOBROLE", "MAINJRDESC", "CWPCATEGORY"}));
  for (const char* name : {"NINUMBER", "DOB", "POSTCODE", "SALARY", "HOURLYRATE", "NATIONALITY", "ETHNICITY",
                           "DISABLED", "QUALACH01NOTES"}) {
    EXPECT_NE(std::find(file.columns_ignored.begin(), file.columns_ignored.end(), name), file.columns_ignored.end())
        << name;
  }
  EXPECT_EQ(file.columns_read.size() + file.columns_ignored.size(), split_header(kWorkerHeader).size());
}

TEST(AscwdsWorkers, SkipsAndCountsDeleteRows) {
  // A DELETE row is not checked: ASC-WDS stops at its STATUS too.
  const std::string text = workers_file({
      worker(),
      worker({{"UNIQUEWORKERID", "W2"}, {"STATUS", "delete"}, {"STARTDATE", "31/02/2024"}, {"MAINJOBROLE", "99"}}),
      worker({{"UNIQUEWORKERID", "W3"}, {"STATUS", "NEW"}}),
      worker({{"UNIQUEWORKERID", "W1"}, {"STATUS", "DELETE"}}),
  });
  std::vector<ImportProblem> problems;
  WorkerFile file = read_workers(text, "staff.csv", &problems);
  ASSERT_TRUE(problems.empty()) << describe(problems);
  ASSERT_EQ(file.rows.size(), 2u);
  EXPECT_EQ(file.deleted, 2);
  EXPECT_EQ(file.rows[0].input.worker_id, "W1");
  EXPECT_EQ(file.rows[1].input.worker_id, "W3");
  EXPECT_EQ(file.rows[1].line, 4);
}

// One bad file, and the one problem it should give: where, and how the
// message starts.
struct ProblemCase {
  const char* what;
  std::string text;
  long line;
  long column;
  std::string message_starts;
};

void expect_one_problem(const ProblemCase& c, const std::vector<ImportProblem>& problems, const std::string& file) {
  ASSERT_EQ(problems.size(), 1u) << c.what << "\n" << describe(problems);
  EXPECT_EQ(problems[0].where.file, file) << c.what;
  EXPECT_EQ(problems[0].where.line, c.line) << c.what;
  EXPECT_EQ(problems[0].where.column, c.column) << c.what;
  EXPECT_EQ(problems[0].message.substr(0, c.message_starts.size()), c.message_starts) << c.what;
}

TEST(AscwdsWorkers, ReportsEachProblemWhereItIs) {
  const ProblemCase cases[] = {
      {"a date that does not exist",
       workers_file({worker(), worker({{"UNIQUEWORKERID", "W2"}, {"STARTDATE", "31/02/2024"}})}), 3, 20,
       "STARTDATE 31/02/2024 is not a real date"},
      {"a date in another form", workers_file({worker({{"STARTDATE", "2024-02-01"}})}), 2, 20,
       "STARTDATE '2024-02-01' is not a date in the form DD/MM/YYYY"},
      {"no start date (Coproduce needs one)", workers_file({worker({{"STARTDATE", ""}})}), 2, 20,
       "Enter the date the worker started"},
      {"an unknown main job role", workers_file({worker({{"MAINJOBROLE", "99"}})}), 2, 30,
       "'99' is not an ASC-WDS MAINJOBROLE code"},
      {"no main job role", workers_file({worker({{"MAINJOBROLE", ""}})}), 2, 30, "MAINJOBROLE is empty"},
      {"an unknown pathway category", workers_file({worker({{"CWPCATEGORY", "8"}})}), 2, 38,
       "'8' is not an ASC-WDS CWPCATEGORY code"},
      {"an unknown Care Certificate code", workers_file({worker({{"CARECERT", "4"}})}), 2, 15,
       "'4' is not an ASC-WDS CARECERT code; use 1, 2 or 3"},
      {"an unknown STATUS", workers_file({worker({{"STATUS", "CHANGED"}})}), 2, 3,
       "'CHANGED' is not an ASC-WDS STATUS"},
      {"no workplace", workers_file({worker({{"LOCALESTID", ""}})}), 2, 1, "LOCALESTID is empty"},
      {"no worker ID", workers_file({worker({{"UNIQUEWORKERID", ""}})}), 2, 2, "Enter the worker ID"},
      {"a worker ID twice in one workplace",
       workers_file({worker(), worker({{"UNIQUEWORKERID", "W9"}}), worker({{"DISPLAYID", "Someone else"}})}), 4, 2,
       "UNIQUEWORKERID 'W1' is already used on line 2 for workplace 'Home1'"},
      {"a training file given as the worker file", training_file({training()}), 1, 0,
       "staff.csv is not an ASC-WDS worker file: it has no STATUS column. It looks like an ASC-WDS training file."},
      {"a header only half there", "LOCALESTID,UNIQUEWORKERID,STATUS,DISPLAYID\r\nHome1,W1,NEW,Ada\r\n", 1, 0,
       "staff.csv is not an ASC-WDS worker file: it has no CARECERT column."},
      {"bad quoting", kWorkerHeader + "\r\nHome1,\"W1,UNCHECKED\r\n", 2, 2, "a quoted field is never closed"},
      {"a short row", kWorkerHeader + "\r\nHome1,W1,UNCHECKED\r\n", 2, 4, "this row has 3 fields"},
  };
  for (const ProblemCase& c : cases) {
    std::vector<ImportProblem> problems;
    read_workers(c.text, "staff.csv", &problems);
    expect_one_problem(c, problems, "staff.csv");
  }
}

TEST(AscwdsWorkers, ProblemsStopAtTheLimit) {
  std::vector<Fields> rows;
  for (int i = 0; i < 80; ++i) rows.push_back(worker({{"UNIQUEWORKERID", "W" + std::to_string(i)}, {"CARECERT", "7"}}));
  std::vector<ImportProblem> problems = {{{}, "left over from before"}};
  read_workers(workers_file(rows), "staff.csv", &problems);
  ASSERT_EQ(problems.size(), kMaxImportProblems);
  EXPECT_EQ(problems[0].where.line, 2);
  EXPECT_EQ(problems.back().where.line, static_cast<long>(kMaxImportProblems) + 1);
}

std::vector<WorkerInput> sample_workers() {
  constexpr auto* w = &ascwds_worker;
  return {
      w("W1", "Ada Lovelace", "Home1", "Care worker", "new_to_care", "direct_care", "2024-02-29", "in_progress"),
      w("W2", "Lovelace, \"Ada\"", "Home1", "Senior care worker", "enhanced_care_worker", "supervisor", "2019-09-05",
        "completed"),
      w("W3", "=HYPERLINK(\"x\")", "Home 2", "Registered manager", "registered_manager", "registered_manager",
        "2010-01-31", "not_started"),
      w("W4", "Grace Hopper", "Home1", "Head of operations", "not_on_pathway", "senior_manager", "2015-06-01", ""),
      w("W5", "Mary Seacole", "Home1", "Night carer", "care_worker", "direct_care", "2023-12-31", "completed"),
      w("W6", "Florence", "Home1", "Cook", "not_on_pathway", "other_role", "2022-04-04", ""),
      w("W7", "Shift lead", "Home1", "Care worker", "practice_leader", "supervisor", "2021-01-01", "completed"),
      w("W8", "Deputy", "Home1", "Deputy manager", "deputy_manager", "supervisor", "2020-05-05", "completed"),
  };
}

TEST(AscwdsWorkers, WriteThenReadRoundTrips) {
  const std::vector<WorkerInput> workers = sample_workers();
  const std::string text = write_workers(workers);
  EXPECT_EQ(text.substr(0, kWorkerHeader.size() + 2), kWorkerHeader + "\r\n");

  std::vector<ImportProblem> problems;
  WorkerFile file = read_workers(text, "out.csv", &problems);
  ASSERT_TRUE(problems.empty()) << describe(problems);
  ASSERT_EQ(file.rows.size(), workers.size());
  for (size_t i = 0; i < workers.size(); ++i) test_support::expect_same_ascwds_fields(file.rows[i].input, workers[i]);
}

TEST(AscwdsWorkers, WritesWhatAscwdsNeedsInEachColumn) {
  std::vector<ImportProblem> problems;
  auto table = csv::parse(write_workers(sample_workers(), UploadStatus::kNew));
  ASSERT_TRUE(table.ok()) << table.status().to_string();
  ASSERT_EQ(table->header.size(), split_header(kWorkerHeader).size());
  auto cell = [&](size_t row, const char* column) { return table->rows[row].fields[*table->column(column)]; };
  EXPECT_EQ(cell(0, "STATUS"), "NEW");
  EXPECT_EQ(cell(0, "STARTDATE"), "29/02/2024");
  EXPECT_EQ(cell(0, "MAINJOBROLE"), "8");
  EXPECT_EQ(cell(0, "MAINJRDESC"), "");
  EXPECT_EQ(cell(0, "CWPCATEGORY"), "1");
  EXPECT_EQ(cell(0, "CARECERT"), "3");
  EXPECT_EQ(cell(2, "DISPLAYID"), "'=HYPERLINK(\"x\")");  // inert in a spreadsheet
  EXPECT_EQ(cell(3, "MAINJOBROLE"), "1");                 // senior manager's stand-in
  EXPECT_EQ(cell(3, "MAINJRDESC"), "Head of operations");
  EXPECT_EQ(cell(3, "CARECERT"), "");
  EXPECT_EQ(cell(4, "MAINJOBROLE"), "23");
  EXPECT_EQ(cell(5, "MAINJOBROLE"), "27");
  EXPECT_EQ(cell(0, "NINUMBER"), "");
  EXPECT_EQ(cell(0, "EMPLSTATUS"), "");
  EXPECT_EQ(write_workers({}), kWorkerHeader + "\r\n");
  EXPECT_EQ(csv::parse(write_workers(sample_workers()))->rows[0].fields[2], "UNCHECKED");
}

TEST(AscwdsWorkers, WhatTheLayoutCannotHoldIsDocumentedLoss) {
  WorkerInput commissioner =
      ascwds_worker("C1", "Pat", "Council", "", "personal_assistant", "commissioner", "2020-01-01", "");
  commissioner.team = "North";
  commissioner.left_on = "2025-01-01";
  commissioner.email = "pat@example.org";
  std::vector<ImportProblem> problems;
  WorkerFile file = read_workers(write_workers({commissioner}), "out.csv", &problems);
  ASSERT_TRUE(problems.empty()) << describe(problems);
  const WorkerInput& got = file.rows[0].input;
  EXPECT_EQ(got.closeness, "other_role");       // ASC-WDS has no commissioning job role
  EXPECT_EQ(got.role_category, "care_worker");  // nor a personal assistant pathway category
  EXPECT_EQ(got.job_role, "Commissioner");      // MAINJRDESC, which job role 27 needs
  EXPECT_EQ(got.team, "");
  EXPECT_EQ(got.left_on, "");
  EXPECT_EQ(got.email, "");
}

// ---------------------------------------------------------------------------

TEST(AscwdsTraining, ReadsAndMapsCodes) {
  const std::string text = training_file({
      training(),
      training({{"UNIQUEWORKERID", "W2"},
                {"CATEGORY", "10"},
                {"TRAININGNAME", "IPC refresher"},
                {"ACCREDITED", "1"},
                {"WHODELIVERED", "2"},
                {"PROVIDERNAME", "88"},
                {"HOWDELIVERED", "2"},
                {"VALIDITY", "12"},
                {"DATECOMPLETED", "15/01/2024"},
                {"EXPIRYDATE", ""},
                {"NOTES", "Passed"}}),
      training({{"UNIQUEWORKERID", "W3"},
                {"ACCREDITED", "999"},
                {"WHODELIVERED", ""},
                {"PROVIDERNAME", "5"},
                {"HOWDELIVERED", ""},
                {"VALIDITY", "none"},
                {"DATECOMPLETED", ""},
                {"EXPIRYDATE", ""}}),
  });
  std::vector<ImportProblem> problems;
  TrainingFile file = read_training(text, "training.csv", &problems);
  ASSERT_TRUE(problems.empty()) << describe(problems);
  ASSERT_EQ(file.rows.size(), 3u);
  EXPECT_EQ(file.columns_read.size(), 12u);
  EXPECT_TRUE(file.columns_ignored.empty());

  const TrainingRow& a = file.rows[0];
  EXPECT_EQ(a.line, 2);
  EXPECT_EQ(a.workplace, "Home1");
  EXPECT_EQ(a.worker_id, "W1");
  EXPECT_EQ(a.category, "22");
  EXPECT_EQ(a.name, "Working together");
  EXPECT_EQ(a.accredited, "no");
  EXPECT_EQ(a.who_delivered, "In-house staff");
  EXPECT_EQ(a.provider, "");
  EXPECT_EQ(a.how_delivered, "Face to face");
  EXPECT_EQ(a.completed_on, "2024-01-15");
  EXPECT_EQ(a.expires_on, "2027-01-14");

  const TrainingRow& b = file.rows[1];
  EXPECT_EQ(b.accredited, "yes");
  EXPECT_EQ(b.who_delivered, "External provider");
  EXPECT_EQ(b.provider, "Skills for Care");
  EXPECT_EQ(b.how_delivered, "E-learning");
  EXPECT_EQ(b.expires_on, "2025-01-14");  // 12 months of VALIDITY, less a day, as ASC-WDS works it out
  EXPECT_EQ(b.notes, "Passed");

  const TrainingRow& c = file.rows[2];
  EXPECT_EQ(c.accredited, "");    // don't know
  EXPECT_EQ(c.provider, "");      // ignored unless delivered by an external provider
  EXPECT_EQ(c.completed_on, "");  // ASC-WDS allows it
  EXPECT_EQ(c.expires_on, "");
}

TEST(AscwdsTraining, ReadsTheLayoutBeforeNovember2025) {
  const std::string text =
      "LOCALESTID,UNIQUEWORKERID,CATEGORY,DESCRIPTION,DATECOMPLETED,EXPIRYDATE,ACCREDITED,NOTES\r\n"
      "Home1,W1,20,Safeguarding basics,01/02/2023,,1,\r\n";
  std::vector<ImportProblem> problems;
  TrainingFile file = read_training(text, "old.csv", &problems);
  ASSERT_TRUE(problems.empty()) << describe(problems);
  ASSERT_EQ(file.rows.size(), 1u);
  EXPECT_EQ(file.rows[0].name, "Safeguarding basics");
  EXPECT_EQ(file.rows[0].category, "20");
  EXPECT_EQ(file.rows[0].accredited, "yes");
  EXPECT_EQ(file.rows[0].completed_on, "2023-02-01");
  EXPECT_EQ(file.columns_read[3], "DESCRIPTION");
}

TEST(AscwdsTraining, ReportsEachProblemWhereItIs) {
  const ProblemCase cases[] = {
      {"a completion date that does not exist", training_file({training({{"DATECOMPLETED", "30/02/2025"}})}), 2, 10,
       "DATECOMPLETED 30/02/2025 is not a real date"},
      {"an expiry before completion", training_file({training(), training({{"EXPIRYDATE", "01/01/2024"}})}), 3, 11,
       "EXPIRYDATE must be after DATECOMPLETED"},
      {"an unknown category", training_file({training({{"CATEGORY", "24"}})}), 2, 3,
       "'24' is not an ASC-WDS training CATEGORY code"},
      {"no category", training_file({training({{"CATEGORY", ""}})}), 2, 3, "CATEGORY is empty"},
      {"an unknown accredited code", training_file({training({{"ACCREDITED", "2"}})}), 2, 5,
       "'2' is not an ASC-WDS ACCREDITED code; use 1, 0 or 999"},
      {"an unknown provider", training_file({training({{"WHODELIVERED", "2"}, {"PROVIDERNAME", "500"}})}), 2, 7,
       "'500' is not an ASC-WDS PROVIDERNAME code"},
      {"an unknown delivery code", training_file({training({{"HOWDELIVERED", "3"}})}), 2, 8,
       "'3' is not an ASC-WDS HOWDELIVERED code"},
      {"a validity of no months", training_file({training({{"VALIDITY", "0"}})}), 2, 9,
       "VALIDITY '0' should be either \"none\""},
      {"no worker ID", training_file({training({{"UNIQUEWORKERID", ""}})}), 2, 2, "UNIQUEWORKERID is empty"},
      {"a worker file given as the training file", workers_file({worker()}), 1, 0,
       "training.csv is not an ASC-WDS training file: it has no CATEGORY column. It looks like an ASC-WDS worker "
       "file."},
  };
  for (const ProblemCase& c : cases) {
    std::vector<ImportProblem> problems;
    read_training(c.text, "training.csv", &problems);
    expect_one_problem(c, problems, "training.csv");
  }
}

TEST(AscwdsTraining, WriteThenReadRoundTrips) {
  std::vector<TrainingRow> rows(3);
  rows[0] = {0,
             "Home1",
             "W1",
             std::string(kCoproductionTrainingCategory),
             "Co-production: working together",
             "no",
             "In-house staff",
             "",
             "Face to face",
             "2025-03-01",
             "2028-02-29",
             "Co-delivered with Sam, \"expert\""};
  rows[1] = {
      0,  "Home 2", "W2", "10", "-IPC-", "yes", "External provider", "Skills for Care", "E-learning", "2024-01-15",
      "", "=1+1"};
  rows[2] = {0, "Home1", "W1", "21", "", "", "", "", "", "", "", "Line one\nline two"};
  const std::string text = write_training(rows);
  EXPECT_EQ(text.substr(0, kTrainingHeader.size() + 2), kTrainingHeader + "\r\n");

  std::vector<ImportProblem> problems;
  TrainingFile file = read_training(text, "out.csv", &problems);
  ASSERT_TRUE(problems.empty()) << describe(problems);
  ASSERT_EQ(file.rows.size(), rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const TrainingRow& want = rows[i];
    const TrainingRow& got = file.rows[i];
    EXPECT_EQ(got.workplace, want.workplace);
    EXPECT_EQ(got.worker_id, want.worker_id);
    EXPECT_EQ(got.category, want.category);
    EXPECT_EQ(got.name, want.name);
    EXPECT_EQ(got.accredited, want.accredited);
    EXPECT_EQ(got.who_delivered, want.who_delivered);
    EXPECT_EQ(got.provider, want.provider);
    EXPECT_EQ(got.how_delivered, want.how_delivered);
    EXPECT_EQ(got.completed_on, want.completed_on);
    EXPECT_EQ(got.expires_on, want.expires_on);
    EXPECT_EQ(got.notes, want.notes);
  }
  auto table = csv::parse(text);
  ASSERT_TRUE(table.ok());
  EXPECT_EQ(table->rows[0].fields[9], "01/03/2025");
  EXPECT_EQ(table->rows[1].fields[6], "88");
  EXPECT_EQ(table->rows[1].fields[3], "'-IPC-");
}

TEST(AscwdsTraining, CoproductionCategoryIsARealOne) {
  EXPECT_EQ(training_category_name(kCoproductionTrainingCategory), "Dignity, respect, person-centred care");
  EXPECT_EQ(training_category_name("24"), "");
}

TEST(AscwdsTraining, AnUnlistedProviderIsWrittenAsOther) {
  TrainingRow row;
  row.workplace = "Home1";
  row.worker_id = "W1";
  row.category = "22";
  row.who_delivered = "External provider";
  row.provider = "Our local user-led group";
  std::vector<ImportProblem> problems;
  TrainingFile file = read_training(write_training({row}), "out.csv", &problems);
  ASSERT_TRUE(problems.empty()) << describe(problems);
  EXPECT_EQ(file.rows[0].provider, "Other");
}

}  // namespace
}  // namespace coproduce::learning::ascwds
