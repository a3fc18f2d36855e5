#include "involvement/people.h"

#include <algorithm>
#include <cctype>
#include <regex>
#include <set>
#include <sstream>

#include "core/text.h"
#include "core/translatable.h"
#include "involvement/options.h"
#include "security/audit.h"

namespace coproduce::involvement {
namespace {

using nlohmann::json;
using store::Connection;
using store::Row;
using store::Transaction;
using store::TransactionMode;

constexpr size_t kMaxName = 200;
constexpr size_t kMaxText = 2000;
constexpr size_t kMaxAttributeName = 100;
constexpr size_t kMaxAttributeValue = 200;

Location at_field(const std::string& field) {
  Location l;
  l.field = field;
  return l;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// A UK postcode, loosely: outward code, optional space, inward code.
bool plausible_postcode(const std::string& p) {
  static const std::regex kPostcode("^[A-Za-z]{1,2}[0-9][A-Za-z0-9]? ?[0-9][A-Za-z]{2}$");
  return std::regex_match(p, kPostcode);
}

std::string normalise_postcode(const std::string& raw) {
  std::string p;
  for (char c : raw) {
    if (!std::isspace(static_cast<unsigned char>(c))) p += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  if (p.size() > 3) p.insert(p.size() - 3, " ");
  return p;
}

bool plausible_phone(const std::string& phone) {
  int digits = 0;
  for (char c : phone) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      ++digits;
    } else if (c != ' ' && c != '+' && c != '(' && c != ')' && c != '-') {
      return false;
    }
  }
  return digits >= 7 && digits <= 15;
}

void check_codes(const std::string& field, const std::vector<std::string>& codes, const std::string& question,
                 std::vector<FieldError>* errors) {
  const OptionSet* set = option_set(field);
  for (const auto& c : codes) {
    if (!set || !set->by_code(c)) {
      errors->push_back({field, "'" + c + "' is not one of the answers to " + question});
      return;
    }
  }
}

void check_length(const std::string& field, const std::string& value, size_t max, const std::string& what,
                  std::vector<FieldError>* errors) {
  if (value.size() > max) {
    errors->push_back({field, what + " must be " + std::to_string(max) + " characters or fewer"});
  }
}

const char* kPersonColumns =
    "id, organisation_id, name, email, phone, address, postcode, contact_by, formats, other_language,"
    " access_needs, access_other, lived_experience, care_kinds, experience_other, area, availability, ways,"
    " payment, benefits_advice, source, external_id, created_at, updated_at, erased_at";

Person person_from_row(const Row& r) {
  Person p;
  p.id = r.integer(0);
  p.organisation_id = r.integer(1);
  PersonDetails& d = p.details;
  d.name = r.text(2);
  d.email = r.text(3);
  d.phone = r.text(4);
  d.address = r.text(5);
  d.postcode = r.text(6);
  d.contact_by = r.text(7);
  d.formats = split_codes(r.text(8));
  d.other_language = r.text(9);
  d.access_needs = split_codes(r.text(10));
  d.access_other = r.text(11);
  d.lived_experience = split_codes(r.text(12));
  d.care_kinds = split_codes(r.text(13));
  d.experience_other = r.text(14);
  d.area = r.text(15);
  d.availability = split_codes(r.text(16));
  d.ways = split_codes(r.text(17));
  d.payment = r.text(18);
  d.benefits_advice = r.integer(19) != 0;
  p.source = r.text(20);
  p.external_id = r.text(21);
  p.created_at = r.text(22);
  p.updated_at = r.text(23);
  p.erased = !r.is_null(24);
  return p;
}

// The details in a canonical form: trimmed, email lower-cased, postcode spaced.
PersonDetails tidy(PersonDetails d) {
  std::string problem;
  d.name = trim_copy(d.name);
  d.email = d.email.empty() ? "" : normalise_email(d.email, &problem);
  d.phone = trim_copy(d.phone);
  d.address = trim_copy(d.address);
  d.postcode = trim_copy(d.postcode).empty() ? "" : normalise_postcode(d.postcode);
  d.area = trim_copy(d.area);
  d.other_language = trim_copy(d.other_language);
  d.access_other = trim_copy(d.access_other);
  d.experience_other = trim_copy(d.experience_other);
  return d;
}

Status audit(Connection& c, const Clock& clock, int64_t org, const Actor& actor, const std::string& action,
             int64_t id) {
  return security::record_audit(c, clock, {org, actor.user_id, action, "person", id ? std::to_string(id) : "",
                                           actor.address});
}

StatusOr<Connection*> connect(store::Database& db) { return db.connection(); }

}  // namespace

std::vector<FieldError> validate(const PersonDetails& raw) {
  std::vector<FieldError> errors;
  PersonDetails d = tidy(raw);
  if (d.name.empty()) errors.push_back({"name", N_("Enter a name")});
  check_length("name", d.name, kMaxName, "Name", &errors);
  if (d.email.empty() && d.phone.empty() && d.address.empty()) {
    errors.push_back({"contact", N_("Give an email address, a phone number or a postal address, so we can reach you")});
  }
  if (!d.email.empty()) {
    std::string problem;
    normalise_email(d.email, &problem);
    if (!problem.empty()) errors.push_back({"email", problem});
  }
  if (!d.phone.empty() && !plausible_phone(d.phone)) {
    errors.push_back({"phone", N_("Enter a phone number, like 01632 960 001 or +44 7700 900 982")});
  }
  check_length("address", d.address, 500, "Address", &errors);
  if (!d.postcode.empty() && !plausible_postcode(d.postcode)) {
    errors.push_back({"postcode", N_("Enter a full UK postcode, like AA1 1AA")});
  }
  if (!d.contact_by.empty()) {
    if (!option_set("contact_by")->by_code(d.contact_by)) {
      errors.push_back({"contact_by", N_("Choose email, text message, phone or post"), Problem::kUnknownCode});
    } else if (d.contact_by == "text" && normalise_uk_mobile(d.phone).empty()) {
      errors.push_back({"contact_by",
                        d.phone.empty() ? N_("Give the mobile number you want us to text, or choose another way")
                                        : N_("We can only text a UK mobile number, like 07700 900 982: give one, or "
                                             "choose another way"),
                        Problem::kInvalid});
    } else if ((d.contact_by == "email" && d.email.empty()) || (d.contact_by == "phone" && d.phone.empty()) ||
               (d.contact_by == "post" && d.address.empty())) {
      // Whole sentences, so each can be translated whole.
      const char* message = d.contact_by == "post" ? N_("Give the address you want us to use, or choose another way")
                            : d.contact_by == "email"
                                ? N_("Give the email address you want us to use, or choose another way")
                                : N_("Give the phone number you want us to use, or choose another way");
      errors.push_back({"contact_by", message});
    }
  }
  check_codes("formats", d.formats, "the formats question", &errors);
  if (std::find(d.formats.begin(), d.formats.end(), "other_language") != d.formats.end() &&
      d.other_language.empty()) {
    errors.push_back({"other_language", N_("Enter the language you would like")});
  }
  check_length("other_language", d.other_language, kMaxName, "The language", &errors);
  check_codes("access_needs", d.access_needs, "the access needs question", &errors);
  check_length("access_other", d.access_other, kMaxText, "Other support needs", &errors);
  check_codes("lived_experience", d.lived_experience, "the experience question", &errors);
  check_codes("care_kinds", d.care_kinds, "the kinds of care question", &errors);
  check_length("experience_other", d.experience_other, kMaxText, "Other experience", &errors);
  check_length("area", d.area, kMaxName, "Area", &errors);
  check_codes("availability", d.availability, "the availability question", &errors);
  check_codes("ways", d.ways, "the ways to take part question", &errors);
  if (!d.payment.empty() && !option_set("payment")->by_code(d.payment)) {
    errors.push_back({"payment", N_("Choose whether you want to be paid for your time")});
  }
  for (const auto& [name, value] : d.attributes) {
    if (trim_copy(name).empty() || name.size() > kMaxAttributeName) {
      errors.push_back({"attributes", "A pool category needs a name of 1 to 100 characters"});
    } else if (value.size() > kMaxAttributeValue) {
      errors.push_back({name, "The answer to '" + name + "' must be 200 characters or fewer"});
    }
  }
  return errors;
}

std::vector<FieldError> validate(const Equality& equality) {
  std::vector<FieldError> errors;
  for (const auto& [field, code] : equality) {
    const OptionSet* set = option_set(field);
    bool known = std::find(equality_fields().begin(), equality_fields().end(), field) != equality_fields().end();
    if (!known || !set) {
      errors.push_back({field, "'" + field + "' is not an equality monitoring question"});
    } else if (!code.empty() && !set->by_code(code)) {
      errors.push_back({field, "'" + code + "' is not one of the answers"});
    }
  }
  return errors;
}

json details_json(const PersonDetails& d) {
  return {{"name", d.name},
          {"email", d.email},
          {"phone", d.phone},
          {"address", d.address},
          {"postcode", d.postcode},
          {"contact_by", d.contact_by},
          {"formats", d.formats},
          {"other_language", d.other_language},
          {"access_needs", d.access_needs},
          {"access_other", d.access_other},
          {"lived_experience", d.lived_experience},
          {"care_kinds", d.care_kinds},
          {"experience_other", d.experience_other},
          {"area", d.area},
          {"availability", d.availability},
          {"ways", d.ways},
          {"payment", d.payment},
          {"benefits_advice", d.benefits_advice}};
}

Status first_problem(const std::vector<FieldError>& errors) {
  if (errors.empty()) return Status::Ok();
  return InvalidInput(errors.front().message, at_field(errors.front().field));
}

Status record_action(Connection& c, const Clock& clock, int64_t org, const Actor& actor, const std::string& action,
                     const std::string& subject_type, int64_t subject) {
  return security::record_audit(c, clock, {org, actor.user_id, action, subject_type, std::to_string(subject),
                                           actor.address});
}

People::People(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

namespace {

Status write_details(Connection& c, int64_t id, const PersonDetails& d, const std::string& now) {
  auto upd = c.execute(
      "UPDATE people SET name = $1, email = $2, phone = $3, address = $4, postcode = $5, contact_by = $6,"
      " formats = $7, other_language = $8, access_needs = $9, access_other = $10, lived_experience = $11,"
      " care_kinds = $12, experience_other = $13, area = $14, availability = $15, ways = $16, payment = $17,"
      " benefits_advice = $18, updated_at = $19 WHERE id = $20",
      {d.name, d.email, d.phone, d.address, d.postcode, d.contact_by, join_codes(d.formats), d.other_language,
       join_codes(d.access_needs), d.access_other, join_codes(d.lived_experience), join_codes(d.care_kinds),
       d.experience_other, d.area, join_codes(d.availability), join_codes(d.ways), d.payment,
       d.benefits_advice ? 1 : 0, now, id});
  if (!upd.ok()) return upd.status();
  if (auto del = c.execute("DELETE FROM person_attributes WHERE person_id = $1", {id}); !del.ok()) return del.status();
  for (const auto& [name, value] : d.attributes) {
    auto ins = c.execute("INSERT INTO person_attributes (person_id, name, value) VALUES ($1, $2, $3)",
                         {id, trim_copy(name), trim_copy(value)});
    if (!ins.ok()) return ins.status();
  }
  return Status::Ok();
}

Status write_equality(Connection& c, int64_t id, const Equality& e, const std::string& now) {
  auto get = [&](const char* f) {
    auto it = e.find(f);
    return it == e.end() ? std::string() : it->second;
  };
  if (auto del = c.execute("DELETE FROM equality_monitoring WHERE person_id = $1", {id}); !del.ok()) {
    return del.status();
  }
  auto ins = c.execute(
      "INSERT INTO equality_monitoring (person_id, age_band, sex, gender_identity, ethnic_group, disability,"
      " sexual_orientation, religion, carer, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
      {id, get("age_band"), get("sex"), get("gender_identity"), get("ethnic_group"), get("disability"),
       get("sexual_orientation"), get("religion"), get("carer"), now});
  return ins.ok() ? Status::Ok() : ins.status();
}

Status write_consent(Connection& c, int64_t id, const std::string& now) {
  const ConsentWording& w = current_consent();
  auto ins = c.execute("INSERT INTO consents (person_id, version, wording, given_at) VALUES ($1, $2, $3, $4)",
                       {id, w.version, w.text, now});
  return ins.ok() ? Status::Ok() : ins.status();
}

// Marks every consent still in force as withdrawn at `now`.
Status withdraw_consents(Connection& c, int64_t id, const std::string& now) {
  auto upd = c.execute("UPDATE consents SET withdrawn_at = $1 WHERE person_id = $2 AND withdrawn_at IS NULL",
                       {now, id});
  return upd.ok() ? Status::Ok() : upd.status();
}

StatusOr<Person> load(Connection& c, int64_t org, int64_t id) {
  auto row = c.query_one(std::string("SELECT ") + kPersonColumns +
                             " FROM people WHERE id = $1 AND organisation_id = $2",
                         {id, org});
  if (!row.ok()) {
    if (row.status().code() == StatusCode::kNotFound) return NotFound("There is no such person in your pool");
    return row.status();
  }
  Person p = person_from_row(*row);
  auto attrs = c.query("SELECT name, value FROM person_attributes WHERE person_id = $1 ORDER BY name", {id});
  if (!attrs.ok()) return attrs.status();
  for (const auto& a : *attrs) p.details.attributes[a.text(0)] = a.text(1);
  auto consent = c.query("SELECT version, given_at, withdrawn_at FROM consents WHERE person_id = $1 ORDER BY id DESC LIMIT 1",
                         {id});
  if (!consent.ok()) return consent.status();
  if (!consent->empty()) {
    const Row& r = consent->front();
    p.consent = Consent{r.text(0), r.text(1), r.optional_text(2)};
  }
  return p;
}

}  // namespace

StatusOr<Person> People::add(int64_t org, const PersonDetails& raw, const std::string& source, bool consent,
                             const std::optional<Equality>& equality, const Actor& actor) {
  PersonDetails d = tidy(raw);
  if (Status s = first_problem(validate(d)); !s.ok()) return s;
  if (equality) {
    if (Status s = first_problem(validate(*equality)); !s.ok()) return s;
  }
  auto c = connect(db_);
  if (!c.ok()) return c.status();
  Transaction tx(**c, TransactionMode::kWrite);
  if (!tx.status().ok()) return tx.status();
  std::string now = format_timestamp(clock_.now());
  auto ins = (*c)->query(
      "INSERT INTO people (organisation_id, name, source, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)"
      " RETURNING id",
      {org, d.name, source, now});
  if (!ins.ok()) return ins.status();
  int64_t id = ins->front().integer(0);
  if (Status s = write_details(**c, id, d, now); !s.ok()) return s;
  if (consent) {
    if (Status s = write_consent(**c, id, now); !s.ok()) return s;
  }
  if (equality) {
    if (Status s = write_equality(**c, id, *equality, now); !s.ok()) return s;
  }
  if (Status s = audit(**c, clock_, org, actor, "person.create", id); !s.ok()) return s;
  auto p = load(**c, org, id);
  if (!p.ok()) return p;
  if (Status s = tx.commit(); !s.ok()) return s;
  return p;
}

StatusOr<Person> People::get(int64_t org, int64_t id, const Actor& actor) {
  return store::in_write_transaction(db_, [&](Connection& c) -> StatusOr<Person> {
    auto p = load(c, org, id);
    if (!p.ok()) return p;
    if (Status s = audit(c, clock_, org, actor, "person.read", id); !s.ok()) return s;
    return p;
  });
}

Status People::update(int64_t org, int64_t id, const PersonDetails& raw, const Actor& actor) {
  PersonDetails d = tidy(raw);
  if (Status s = first_problem(validate(d)); !s.ok()) return s;
  return store::in_write_transaction(db_, [&](Connection& c) -> Status {
    auto p = load(c, org, id);
    if (!p.ok()) return p.status();
    if (p->erased) return InvalidInput("This person's details have been erased and cannot be changed");
    if (Status s = write_details(c, id, d, format_timestamp(clock_.now())); !s.ok()) return s;
    return audit(c, clock_, org, actor, "person.update", id);
  });
}

StatusOr<std::vector<Person>> People::search(int64_t org, const PeopleQuery& q, const Actor& actor, int64_t* total) {
  auto c = connect(db_);
  if (!c.ok()) return c.status();
  std::string where = " FROM people p WHERE p.organisation_id = $1 AND p.erased_at IS NULL";
  std::vector<store::Value> params = {org};
  auto param = [&](store::Value v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  };
  if (!trim_copy(q.text).empty()) {
    std::string pattern;
    for (char ch : lower(trim_copy(q.text))) {
      if (ch == '%' || ch == '_' || ch == '\\') pattern += '\\';
      pattern += ch;
    }
    std::string p = param("%" + pattern + "%");
    where += " AND (LOWER(p.name) LIKE " + p + " ESCAPE '\\' OR LOWER(p.email) LIKE " + p +
             " ESCAPE '\\' OR p.phone LIKE " + p + " ESCAPE '\\' OR LOWER(p.postcode) LIKE " + p +
             " ESCAPE '\\' OR LOWER(p.area) LIKE " + p + " ESCAPE '\\')";
  }
  if (!q.lived_experience.empty()) {
    where += " AND (',' || p.lived_experience || ',') LIKE " + param("%," + q.lived_experience + ",%");
  }
  if (!q.area.empty()) where += " AND LOWER(p.area) = " + param(lower(trim_copy(q.area)));
  if (q.consented_only) {
    where += " AND EXISTS (SELECT 1 FROM consents k WHERE k.person_id = p.id AND k.withdrawn_at IS NULL"
             " AND k.id = (SELECT MAX(k2.id) FROM consents k2 WHERE k2.person_id = p.id))";
  }
  if (total) {
    auto n = (*c)->query_one("SELECT COUNT(*)" + where, std::vector<store::Value>(params));
    if (!n.ok()) return n.status();
    *total = n->integer(0);
  }
  std::string limit = param(std::clamp(q.limit, 1, 1000));
  std::string offset = param(std::max(q.offset, 0));
  std::string cols;
  for (const auto& col : split_codes(kPersonColumns)) cols += (cols.empty() ? "p." : ", p.") + col;
  auto rows = (*c)->query("SELECT " + cols + where + " ORDER BY p.id DESC LIMIT " + limit + " OFFSET " + offset,
                          std::vector<store::Value>(params));
  if (!rows.ok()) return rows.status();
  std::vector<Person> out;
  for (const auto& r : *rows) out.push_back(person_from_row(r));
  if (Status s = audit(**c, clock_, org, actor, "person.list", 0); !s.ok()) return s;
  return out;
}

Status People::set_consent(int64_t org, int64_t id, bool give, const Actor& actor) {
  return store::in_write_transaction(db_, [&](Connection& c) -> Status {
    auto p = load(c, org, id);
    if (!p.ok()) return p.status();
    std::string now = format_timestamp(clock_.now());
    if (give) {
      if (p->consent && p->consent->active() && p->consent->version == current_consent().version) return Status::Ok();
      if (Status s = write_consent(c, id, now); !s.ok()) return s;
    } else if (Status s = withdraw_consents(c, id, now); !s.ok()) {
      return s;
    }
    return audit(c, clock_, org, actor, give ? "consent.give" : "consent.withdraw", id);
  });
}

StatusOr<std::optional<Equality>> People::equality(int64_t org, int64_t id, const Actor& actor) {
  auto c = connect(db_);
  if (!c.ok()) return c.status();
  Transaction tx(**c, TransactionMode::kWrite);
  if (!tx.status().ok()) return tx.status();
  auto p = load(**c, org, id);
  if (!p.ok()) return p.status();
  auto rows = (*c)->query(
      "SELECT age_band, sex, gender_identity, ethnic_group, disability, sexual_orientation, religion, carer"
      " FROM equality_monitoring WHERE person_id = $1",
      {id});
  if (!rows.ok()) return rows.status();
  if (Status s = audit(**c, clock_, org, actor, "equality.read", id); !s.ok()) return s;
  if (Status s = tx.commit(); !s.ok()) return s;
  if (rows->empty()) return std::optional<Equality>();
  Equality e;
  for (size_t i = 0; i < equality_fields().size(); ++i) {
    std::string v = rows->front().text(i);
    if (!v.empty()) e[equality_fields()[i]] = v;
  }
  return std::optional<Equality>(e);
}

Status People::save_equality(int64_t org, int64_t id, const Equality& equality, const Actor& actor) {
  if (Status s = first_problem(validate(equality)); !s.ok()) return s;
  return store::in_write_transaction(db_, [&](Connection& c) -> Status {
    auto p = load(c, org, id);
    if (!p.ok()) return p.status();
    if (Status s = write_equality(c, id, equality, format_timestamp(clock_.now())); !s.ok()) return s;
    return audit(c, clock_, org, actor, "equality.update", id);
  });
}

StatusOr<json> People::export_person(int64_t org, int64_t id, const Actor& actor) {
  auto c = connect(db_);
  if (!c.ok()) return c.status();
  Transaction tx(**c, TransactionMode::kWrite);
  if (!tx.status().ok()) return tx.status();
  auto p = load(**c, org, id);
  if (!p.ok()) return p.status();
  json out = details_json(p->details);
  out["id"] = p->id;
  out["pool_categories"] = p->details.attributes;
  out["source"] = p->source;
  out["created_at"] = p->created_at;
  out["updated_at"] = p->updated_at;
  out["erased"] = p->erased;
  json consents = json::array();
  auto rows = (*c)->query("SELECT version, wording, given_at, withdrawn_at FROM consents WHERE person_id = $1 ORDER BY id",
                          {id});
  if (!rows.ok()) return rows.status();
  for (const auto& r : *rows) {
    consents.push_back({{"version", r.text(0)}, {"wording", r.text(1)}, {"given_at", r.text(2)},
                        {"withdrawn_at", r.is_null(3) ? json(nullptr) : json(r.text(3))}});
  }
  out["consents"] = consents;
  auto eq = (*c)->query(
      "SELECT age_band, sex, gender_identity, ethnic_group, disability, sexual_orientation, religion, carer"
      " FROM equality_monitoring WHERE person_id = $1",
      {id});
  if (!eq.ok()) return eq.status();
  json equality = json::object();
  if (!eq->empty()) {
    for (size_t i = 0; i < equality_fields().size(); ++i) equality[equality_fields()[i]] = eq->front().text(i);
  }
  out["equality_monitoring"] = equality;
  if (Status s = audit(**c, clock_, org, actor, "person.export", id); !s.ok()) return s;
  if (Status s = tx.commit(); !s.ok()) return s;
  return out;
}

StatusOr<std::string> People::export_person_csv(int64_t org, int64_t id, const Actor& actor) {
  auto j = export_person(org, id, actor);
  if (!j.ok()) return j.status();
  return person_export_csv(*j);
}

std::string person_export_csv(const json& exported) {
  std::ostringstream out;
  csv::Writer w(out);
  w.write_row({"field", "value"});
  auto scalar = [](const json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_null()) return std::string();
    if (v.is_array()) {
      std::vector<std::string> parts;
      for (const auto& x : v) parts.push_back(x.is_string() ? x.get<std::string>() : x.dump());
      return join_codes(parts);
    }
    return v.dump();
  };
  // Lists of records ("consents", "activities") are written one numbered
  // record at a time, under the singular: "consent 1 version".
  auto singular = [](const std::string& key) {
    if (key == "activities") return std::string("activity");
    std::string s = key;
    if (!s.empty() && s.back() == 's') s.pop_back();
    for (char& ch : s) ch = ch == '_' ? ' ' : ch;
    return s;
  };
  for (auto it = exported.begin(); it != exported.end(); ++it) {
    const json& v = it.value();
    if (v.is_array() && !v.empty() && v.front().is_object()) {
      int n = 0;
      for (const auto& record : v) {
        ++n;
        for (auto f = record.begin(); f != record.end(); ++f) {
          w.write_row({singular(it.key()) + " " + std::to_string(n) + " " + f.key(), scalar(f.value())});
        }
      }
    } else if (v.is_object()) {
      for (auto f = v.begin(); f != v.end(); ++f) w.write_row({it.key() + " " + f.key(), scalar(f.value())});
    } else {
      w.write_row({it.key(), scalar(v)});
    }
  }
  return out.str();
}

StatusOr<std::map<int64_t, std::string>> People::names(int64_t org, const std::vector<int64_t>& ids,
                                                       const Actor& actor) {
  auto c = connect(db_);
  if (!c.ok()) return c.status();
  Transaction tx(**c, TransactionMode::kWrite);
  if (!tx.status().ok()) return tx.status();
  auto rows = (*c)->query("SELECT id, name, erased_at FROM people WHERE organisation_id = $1", {org});
  if (!rows.ok()) return rows.status();
  std::map<int64_t, std::string> all;
  for (const auto& r : *rows) all[r.integer(0)] = r.is_null(2) ? r.text(1) : "Erased person";
  std::map<int64_t, std::string> out;
  for (int64_t id : ids) {
    if (auto it = all.find(id); it != all.end()) out[id] = it->second;
  }
  if (Status s = audit(**c, clock_, org, actor, "person.names-read", 0); !s.ok()) return s;
  if (Status s = tx.commit(); !s.ok()) return s;
  return out;
}

StatusOr<std::vector<Person>> People::contacts_in(Connection& c, int64_t org, const std::vector<int64_t>& ids,
                                                  const Actor& actor) {
  std::vector<Person> out;
  for (int64_t id : ids) {
    auto p = load(c, org, id);
    if (!p.ok()) {
      if (p.status().code() == StatusCode::kNotFound) continue;
      return p.status();
    }
    if (!p->erased) out.push_back(std::move(*p));
  }
  if (Status s = audit(c, clock_, org, actor, "person.contacts-read", 0); !s.ok()) return s;
  return out;
}

StatusOr<std::optional<int64_t>> People::person_for_user(int64_t org, int64_t user_id, const std::string& email) {
  auto c = connect(db_);
  if (!c.ok()) return c.status();
  Transaction tx(**c, TransactionMode::kWrite);
  if (!tx.status().ok()) return tx.status();
  auto linked = (*c)->query("SELECT id FROM people WHERE organisation_id = $1 AND user_id = $2", {org, user_id});
  if (!linked.ok()) return linked.status();
  if (!linked->empty()) return std::optional<int64_t>(linked->front().integer(0));
  auto by_email = (*c)->query(
      "SELECT id FROM people WHERE organisation_id = $1 AND email = $2 AND user_id IS NULL AND erased_at IS NULL"
      " ORDER BY id LIMIT 1",
      {org, email});
  if (!by_email.ok()) return by_email.status();
  if (by_email->empty()) return std::optional<int64_t>();
  int64_t id = by_email->front().integer(0);
  auto link = (*c)->execute("UPDATE people SET user_id = $1 WHERE id = $2", {user_id, id});
  if (!link.ok()) return link.status();
  if (Status s = audit(**c, clock_, org, {user_id, ""}, "person.link-account", id); !s.ok()) return s;
  if (Status s = tx.commit(); !s.ok()) return s;
  return std::optional<int64_t>(id);
}

Status People::erase(int64_t org, int64_t id, const Actor& actor) {
  return store::in_write_transaction(db_, [&](Connection& c) -> Status {
    auto p = load(c, org, id);
    if (!p.ok()) return p.status();
    std::string now = format_timestamp(clock_.now());
    // Kept: the person's row and id (so involvement counts still add up),
    // their broad kind of experience and payment choice, and the amounts of
    // what they were paid. Everything else goes.
    auto upd = c.execute(
        "UPDATE people SET name = '', email = '', phone = '', address = '', postcode = '', contact_by = '',"
        " formats = '', other_language = '', access_needs = '', access_other = '', care_kinds = '',"
        " experience_other = '', area = '', availability = '', ways = '', benefits_advice = 0, external_id = '',"
        " user_id = NULL, updated_at = $1, erased_at = $1 WHERE id = $2",
        {now, id});
    if (!upd.ok()) return upd.status();
    // Expense claims keep their amounts and dates (the accounts must still
    // add up) but lose what they said and their receipts, which can show
    // health or care details.
    for (const char* sql : {"DELETE FROM person_attributes WHERE person_id = $1",
                            "DELETE FROM equality_monitoring WHERE person_id = $1",
                            "DELETE FROM expense_receipts WHERE claim_id IN"
                            " (SELECT id FROM expense_claims WHERE person_id = $1)",
                            "UPDATE expense_claims SET description = '', reason = '' WHERE person_id = $1",
                            // Messages keep what was sent and how, not to whom or what it said.
                            "UPDATE messages SET recipient = '', recipient_name = '', subject = '', body = '',"
                            " reason = CASE WHEN status IN ('queued', 'to_call', 'to_print')"
                            " THEN 'Not sent: the person''s record was erased.' ELSE reason END,"
                            " status = CASE WHEN status IN ('queued', 'to_call', 'to_print') THEN 'failed' ELSE status"
                            " END WHERE person_id = $1"}) {
      if (auto d = c.execute(sql, {id}); !d.ok()) return d.status();
    }
    if (Status s = withdraw_consents(c, id, now); !s.ok()) return s;
    return audit(c, clock_, org, actor, "person.erase", id);
  });
}

namespace {

// Header names a pool file may use for each detail, compared after
// csv::normalise_key. The first match wins.
struct ColumnAliases {
  const char* field;
  std::vector<const char*> names;
};

const std::vector<ColumnAliases>& column_aliases() {
  static const std::vector<ColumnAliases> kAliases = {
      {"name", {"name", "full_name", "full name"}},
      {"first_name", {"first_name", "first name", "given_name", "forename"}},
      {"last_name", {"last_name", "last name", "surname", "family_name"}},
      {"email", {"email", "email_address", "email address"}},
      {"phone", {"phone", "telephone", "mobile", "mobile_number", "phone_number"}},
      {"address", {"address", "address_line_1", "primary_address1", "address1"}},
      {"address2", {"address_line_2", "primary_address2", "address2"}},
      {"town", {"town", "city", "primary_city"}},
      {"postcode", {"postcode", "post_code", "zip", "primary_zip"}},
      {"area", {"area", "ward", "district"}},
      {"contact_by", {"contact_by"}},
      {"formats", {"formats"}},
      {"other_language", {"other_language"}},
      {"access_needs", {"access_needs"}},
      {"access_other", {"access_other"}},
      {"lived_experience", {"lived_experience"}},
      {"care_kinds", {"care_kinds"}},
      {"experience_other", {"experience_other"}},
      {"availability", {"availability"}},
      {"ways", {"ways"}},
      {"payment", {"payment"}},
      {"benefits_advice", {"benefits_advice"}},
      {"consent", {"consent"}},
  };
  return kAliases;
}

const std::vector<const char*>& id_aliases() {
  static const std::vector<const char*> kIds = {"id", "unique_id", "nationbuilder_id", "pool_member_identifier"};
  return kIds;
}

// Which column holds each detail; absent details are missing from the map.
std::map<std::string, size_t> detail_columns(const csv::Table& table) {
  std::map<std::string, size_t> out;
  for (const auto& a : column_aliases()) {
    for (const char* n : a.names) {
      if (auto col = table.column(n)) {
        out[a.field] = *col;
        break;
      }
    }
  }
  return out;
}

bool yes(const std::string& v) {
  std::string l = lower(trim_copy(v));
  return l == "yes" || l == "y" || l == "true" || l == "1";
}

}  // namespace

PersonDetails details_from_row(const csv::Table& table, const csv::Row& row, size_t id_index,
                               std::vector<ImportProblem>* problems) {
  auto columns = detail_columns(table);
  auto cell = [&](const char* field) -> std::string {
    auto it = columns.find(field);
    return it == columns.end() ? std::string() : trim_copy(row.fields[it->second]);
  };
  auto codes = [&](const char* field) -> std::vector<std::string> {
    std::vector<std::string> out;
    std::string text = cell(field);
    std::replace(text.begin(), text.end(), ';', ',');
    const OptionSet* set = option_set(field);
    for (const auto& part : split_codes(text)) {
      const Option* o = set ? set->find(part) : nullptr;
      if (!o) {
        problems->push_back({table.where(row, columns.at(field)),
                             "'" + part + "' is not one of the answers for " + field});
        continue;
      }
      out.push_back(o->code);
    }
    return out;
  };
  PersonDetails d;
  d.name = cell("name");
  if (d.name.empty()) d.name = trim_copy(cell("first_name") + " " + cell("last_name"));
  d.email = cell("email");
  d.phone = cell("phone");
  std::vector<std::string> address_parts;
  for (const char* f : {"address", "address2", "town"}) {
    if (!cell(f).empty()) address_parts.push_back(cell(f));
  }
  for (const auto& part : address_parts) d.address += (d.address.empty() ? "" : ", ") + part;
  d.postcode = cell("postcode");
  d.area = cell("area");
  d.contact_by = lower(cell("contact_by"));
  d.formats = codes("formats");
  d.other_language = cell("other_language");
  d.access_needs = codes("access_needs");
  d.access_other = cell("access_other");
  d.lived_experience = codes("lived_experience");
  d.care_kinds = codes("care_kinds");
  d.experience_other = cell("experience_other");
  d.availability = codes("availability");
  d.ways = codes("ways");
  if (!cell("payment").empty()) {
    const Option* o = option_set("payment")->find(cell("payment"));
    d.payment = o ? o->code : lower(cell("payment"));
  }
  d.benefits_advice = yes(cell("benefits_advice"));
  std::set<size_t> used;
  for (const auto& [field, col] : columns) used.insert(col);
  for (size_t i = 0; i < table.header.size(); ++i) {
    if (i == id_index || used.count(i)) continue;
    d.attributes[table.header[i]] = trim_copy(row.fields[i]);
  }
  return d;
}

StatusOr<ImportResult> People::import_table(int64_t org, const csv::Table& table, const std::string& id_column,
                                            const Actor& actor, std::vector<ImportProblem>* problems, bool dry_run) {
  problems->clear();
  size_t id_index = table.header.size();
  if (!id_column.empty()) {
    auto col = table.column(id_column);
    if (!col) {
      Location where;
      where.file = table.file_name;
      where.line = 1;
      return InvalidInput("there is no column called '" + id_column + "'", where);
    }
    id_index = *col;
  } else {
    for (const char* n : id_aliases()) {
      if (auto col = table.column(n)) {
        id_index = *col;
        break;
      }
    }
  }
  auto columns = detail_columns(table);
  ImportResult result;
  for (size_t i = 0; i < table.header.size(); ++i) {
    bool detail = false;
    for (const auto& [f, col] : columns) detail = detail || col == i;
    if (i != id_index && !detail) result.attribute_columns.push_back(table.header[i]);
  }
  if (!columns.count("name") && !columns.count("first_name")) {
    Location where;
    where.file = table.file_name;
    where.line = 1;
    problems->push_back({where, "the file needs a 'name' column (or 'first_name' and 'last_name')"});
  }
  std::vector<std::pair<PersonDetails, const csv::Row*>> rows;
  std::set<std::string> ids;
  for (const auto& row : table.rows) {
    PersonDetails d = details_from_row(table, row, id_index, problems);
    if (id_index < table.header.size()) {
      std::string id = trim_copy(row.fields[id_index]);
      if (id.empty()) {
        problems->push_back({table.where(row, id_index), "the id is blank"});
      } else if (!ids.insert(id).second) {
        problems->push_back({table.where(row, id_index), "the id '" + id + "' is used by an earlier row"});
      }
    }
    for (const auto& e : validate(d)) {
      auto col = columns.find(e.field == "contact" ? "email" : e.field);
      Location where = col != columns.end() ? table.where(row, col->second) : table.where(row, 0);
      if (col == columns.end()) where.column = 0;
      problems->push_back({where, e.message});
    }
    rows.emplace_back(std::move(d), &row);
  }
  if (!problems->empty()) {
    return InvalidInput(std::to_string(problems->size()) + " problem" + (problems->size() == 1 ? "" : "s") +
                        " in " + table.file_name + "; nothing was imported");
  }
  if (dry_run) {
    result.added = static_cast<int>(rows.size());
    return result;
  }
  auto c = connect(db_);
  if (!c.ok()) return c.status();
  Transaction tx(**c, TransactionMode::kWrite);
  if (!tx.status().ok()) return tx.status();
  std::string now = format_timestamp(clock_.now());
  auto consent_col = columns.find("consent");
  for (const auto& [raw, row] : rows) {
    PersonDetails d = tidy(raw);
    auto ins = (*c)->query(
        "INSERT INTO people (organisation_id, name, source, external_id, created_at, updated_at)"
        " VALUES ($1, $2, 'import', $3, $4, $4) RETURNING id",
        {org, d.name, id_index < table.header.size() ? trim_copy(row->fields[id_index]) : std::string(), now});
    if (!ins.ok()) return ins.status();
    int64_t id = ins->front().integer(0);
    if (Status s = write_details(**c, id, d, now); !s.ok()) return s;
    if (consent_col != columns.end() && yes(row->fields[consent_col->second])) {
      if (Status s = write_consent(**c, id, now); !s.ok()) return s;
    }
    ++result.added;
  }
  if (Status s = audit(**c, clock_, org, actor, "person.import", 0); !s.ok()) return s;
  if (Status s = tx.commit(); !s.ok()) return s;
  return result;
}

}  // namespace coproduce::involvement
