#include "library/definition.h"

#include <nlohmann/json.hpp>

#include "core/text.h"
#include "involvement/people.h"
#include "library/vocab.h"

namespace coproduce::library {
namespace {

using store::Connection;

Definition definition_of(const store::Row& r) {
  Definition d;
  d.wording.text = r.text(0);
  d.wording.easy_read = r.text(1);
  nlohmann::json p = nlohmann::json::parse(r.text(2), nullptr, false);
  if (p.is_object())
    for (auto it = p.begin(); it != p.end(); ++it)
      if (it.value().is_string()) d.wording.principles[it.key()] = it.value().get<std::string>();
  d.adopted_at = r.text(3);
  d.adopted_by = r.text(4);
  d.is_default = false;
  return d;
}

constexpr const char* kSelect =
    "SELECT d.text, d.easy_read, d.principles, d.adopted_at, COALESCE(NULLIF(u.name, ''), u.email, '')"
    " FROM library_definitions d LEFT JOIN users u ON u.id = d.adopted_by WHERE d.organisation_id = $1"
    " ORDER BY d.adopted_at DESC, d.id DESC";

}  // namespace

const DefinitionInput& default_definition() {
  // Plain words, at a reading age of about 9 (tests/http/readability.test.mjs):
  // people who draw on care and support read this first.
  static const DefinitionInput k = {
      "Co-production is when people who draw on care and support, and people who look after someone, work with "
      "the staff who run care as equals. They share the power and the work from the start. Together they choose "
      "what to change. They plan it, make it happen, and check if it worked.",
      "Co-production means working together.\n\nPeople who use care and support, carers and staff plan things "
      "together.\n\nEveryone is equal. Everyone's ideas count.\n\nWe decide together, from the start to the end.",
      {{"equality", "This means we are all equal. What you know from your own life counts as much as what staff "
                    "learned at work."},
       {"diversity", "This means all kinds of people take part. Not just the ones who are easy to find."},
       {"accessibility", "This means everyone can take part. The papers, places, times and help all work for you."},
       {"reciprocity", "This means give and take. You get something back for what you give. You get paid for "
                       "your time, and your costs. You learn new things. And you hear what changed because of "
                       "you."}}};
  return k;
}

const std::vector<std::pair<std::string, std::string>>& definition_references() {
  static const std::vector<std::pair<std::string, std::string>> k = {
      {"Social Care Institute for Excellence: co-production", "https://www.scie.org.uk/co-production/"},
      {"Think Local Act Personal and the National Co-production Advisory Group",
       "https://www.thinklocalactpersonal.org.uk/"},
      {"Care and support statutory guidance (Care Act 2014)",
       "https://www.gov.uk/government/publications/care-act-statutory-guidance/care-and-support-statutory-guidance"},
  };
  return k;
}

std::vector<FieldError> validate(const DefinitionInput& in) {
  std::vector<FieldError> out;
  auto check = [&](const std::string& field, const std::string& value, const std::string& what, size_t max) {
    if (trim_copy(value).empty()) out.push_back({field, "Enter " + what, Problem::kMissing});
    else if (utf8_length(value) > max)
      out.push_back({field, "Keep " + what + " to " + std::to_string(max) + " characters or fewer", Problem::kTooLong});
  };
  check("text", in.text, "the definition", 2000);
  check("easy_read", in.easy_read, "the Easy Read version", 2000);
  for (const auto& [code, label] : principles()) {
    auto it = in.principles.find(code);
    check("principle-" + code, it == in.principles.end() ? "" : it->second, "what " + label + " means", 600);
  }
  for (const auto& [code, text] : in.principles)
    if (!activities::is_choice(principles(), code))
      out.push_back({"principle-" + code, "'" + code + "' is not one of the four principles", Problem::kUnknownCode});
  return out;
}

StatusOr<Definition> Definitions::current(int64_t org) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  auto rows = (*c)->query(std::string(kSelect) + " LIMIT 1", {org});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return Definition{default_definition(), "", "", true};
  return definition_of(rows->front());
}

StatusOr<std::vector<Definition>> Definitions::history(int64_t org) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  auto rows = (*c)->query(kSelect, {org});
  if (!rows.ok()) return rows.status();
  std::vector<Definition> out;
  for (const auto& r : *rows) out.push_back(definition_of(r));
  return out;
}

Status Definitions::adopt(int64_t org, const DefinitionInput& raw, const Actor& actor) {
  DefinitionInput in{trim_copy(raw.text), trim_copy(raw.easy_read), {}};
  for (const auto& [code, text] : raw.principles) in.principles[code] = trim_copy(text);
  if (Status s = involvement::first_problem(validate(in)); !s.ok()) return s;
  return store::in_write_transaction(db_, [&](Connection& c) -> Status {
    auto row = c.query_one(
        "INSERT INTO library_definitions (organisation_id, text, easy_read, principles, adopted_at, adopted_by)"
        " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        {org, in.text, in.easy_read, nlohmann::json(in.principles).dump(), format_timestamp(clock_.now()),
         actor.user_id});
    if (!row.ok()) return row.status();
    return involvement::record_action(c, clock_, org, actor, "definition.adopt", "definition", row->integer(0));
  });
}

}  // namespace coproduce::library
