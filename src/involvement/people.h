// The involvement pool: people who want to take part, what they can offer,
// the support they need, their consent and (apart from the rest) their
// equality monitoring answers.
//
// Every read and write of a person's record is written to the audit log.
// Everything is scoped by organisation: a person of another organisation is
// "not found", never "forbidden", so ids reveal nothing.
#ifndef COPRODUCE_INVOLVEMENT_PEOPLE_H_
#define COPRODUCE_INVOLVEMENT_PEOPLE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/csv.h"
#include "core/vocabulary.h"
#include "store/database.h"

namespace coproduce::involvement {

// What a person (or staff on their behalf) tells us. Sets hold option codes
// from options.h.
struct PersonDetails {
  std::string name;
  std::string email;
  std::string phone;
  std::string address;
  std::string postcode;
  std::string contact_by;  // email, phone or post
  std::vector<std::string> formats;
  std::string other_language;
  std::vector<std::string> access_needs;
  std::string access_other;
  std::vector<std::string> lived_experience;
  std::vector<std::string> care_kinds;
  std::string experience_other;
  std::string area;
  std::vector<std::string> availability;
  std::vector<std::string> ways;
  std::string payment;  // paid or declined; empty when not asked yet
  bool benefits_advice = false;
  // Other categories a pool file brought ("age group", "area type", ...).
  std::map<std::string, std::string> attributes;
};

// Equality monitoring answers: field (options.h equality_fields) to code.
// A missing field was not answered.
using Equality = std::map<std::string, std::string>;

using coproduce::FieldError;
using coproduce::Problem;

// The first of `errors` as kInvalidInput naming its field; Ok when there are none.
Status first_problem(const std::vector<FieldError>& errors);

// The details as JSON, keyed by the field names the API and exports use
// (pool categories are left out: callers add them where they belong).
nlohmann::json details_json(const PersonDetails& details);

// Every problem with `details`, in the order the questions are asked.
std::vector<FieldError> validate(const PersonDetails& details);
std::vector<FieldError> validate(const Equality& equality);

struct Consent {
  std::string version;
  std::string given_at;
  std::optional<std::string> withdrawn_at;
  bool active() const { return !withdrawn_at.has_value(); }
};

struct Person {
  int64_t id = 0;
  int64_t organisation_id = 0;
  PersonDetails details;
  std::string source;       // self, staff or import
  std::string external_id;  // the id a pool file gave, if any
  std::string created_at;
  std::string updated_at;
  std::optional<Consent> consent;  // the latest
  bool erased = false;
};

using coproduce::Actor;

struct PeopleQuery {
  std::string text;              // matches name, email, phone, postcode or area
  std::string lived_experience;  // an option code, or empty for any
  std::string area;              // exact, case-insensitive; empty for any
  bool consented_only = false;
  int limit = 50;
  int offset = 0;
};

struct ImportResult {
  int added = 0;
  std::vector<std::string> attribute_columns;  // columns kept as pool categories
};

using coproduce::ImportProblem;

// Records in the audit log, inside `c`'s transaction, that `actor` did
// `action` to the `subject_type` numbered `subject`.
Status record_action(store::Connection& c, const Clock& clock, int64_t organisation_id, const Actor& actor,
                     const std::string& action, const std::string& subject_type, int64_t subject);

class People {
 public:
  // `db` and `clock` must outlive this. Thread-safe.
  People(store::Database& db, const Clock& clock);

  // Adds a person. With `consent`, the current wording is recorded as given
  // now. `equality` is stored apart when given. Invalid details give
  // kInvalidInput naming the first field; nothing is stored.
  StatusOr<Person> add(int64_t organisation_id, const PersonDetails& details, const std::string& source,
                       bool consent, const std::optional<Equality>& equality, const Actor& actor);
  StatusOr<Person> get(int64_t organisation_id, int64_t id, const Actor& actor);
  Status update(int64_t organisation_id, int64_t id, const PersonDetails& details, const Actor& actor);
  // People matching `query`, newest first; `total` (optional) gets the count of all matches.
  StatusOr<std::vector<Person>> search(int64_t organisation_id, const PeopleQuery& query, const Actor& actor,
                                       int64_t* total = nullptr);
  // Gives (the current wording) or withdraws consent.
  Status set_consent(int64_t organisation_id, int64_t id, bool give, const Actor& actor);
  StatusOr<std::optional<Equality>> equality(int64_t organisation_id, int64_t id, const Actor& actor);
  Status save_equality(int64_t organisation_id, int64_t id, const Equality& equality, const Actor& actor);
  // Everything held about the person, for them to keep.
  StatusOr<nlohmann::json> export_person(int64_t organisation_id, int64_t id, const Actor& actor);
  // The same as one CSV row per field: "field,value".
  StatusOr<std::string> export_person_csv(int64_t organisation_id, int64_t id, const Actor& actor);
  // Removes what identifies the person (name, contact details, free text,
  // pool categories, equality answers) and keeps an anonymous record so
  // counts of involvement still add up.
  Status erase(int64_t organisation_id, int64_t id, const Actor& actor);

  // The names of `ids` (erased people as "Erased person"); ids of another
  // organisation are left out. Audited as one read.
  StatusOr<std::map<int64_t, std::string>> names(int64_t organisation_id, const std::vector<int64_t>& ids,
                                                 const Actor& actor);

  // The records of `ids` in this organisation (erased people left out), with
  // their latest consent, to reach them: read inside the caller's
  // transaction on `c` and audited as one read, "person.contacts-read".
  StatusOr<std::vector<Person>> contacts_in(store::Connection& c, int64_t organisation_id,
                                            const std::vector<int64_t>& ids, const Actor& actor);

  // The pool record of a participant's user account: the one linked to it, or
  // else the one (not erased) with the same email address, which is then
  // linked. Nullopt when there is none.
  StatusOr<std::optional<int64_t>> person_for_user(int64_t organisation_id, int64_t user_id, const std::string& email);

  // Imports a pool file: all rows or none. Known columns (name, email,
  // phone, address, postcode, area, formats, ...) fill the details; an id
  // column (`id_column`, or "id" when present) is kept as the external id;
  // every other column becomes a pool category. Rows are consented only when
  // a "consent" column says yes. Problems are listed by line and column.
  // With `dry_run`, everything is checked and counted but nothing written.
  StatusOr<ImportResult> import_table(int64_t organisation_id, const csv::Table& table, const std::string& id_column,
                                      const Actor& actor, std::vector<ImportProblem>* problems,
                                      bool dry_run = false);

 private:
  store::Database& db_;
  const Clock& clock_;
};

// A person's export (People::export_person, with anything callers added)
// as CSV rows "field,value"; lists of records are numbered: "consent 1 version".
std::string person_export_csv(const nlohmann::json& exported);

// Reads one row of an import file into details, reporting problems.
// Exposed for the import preview and tests.
PersonDetails details_from_row(const csv::Table& table, const csv::Row& row, size_t id_index,
                               std::vector<ImportProblem>* problems);

}  // namespace coproduce::involvement

#endif  // COPRODUCE_INVOLVEMENT_PEOPLE_H_
