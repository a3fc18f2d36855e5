// One definition of co-production: the organisation's adopted wording, its
// four principles and an Easy Read version, with every earlier version kept
// with its date. Until an administrator adapts it, the built-in default
// (written for Coproduce, in plain English) applies.
#ifndef COPRODUCE_LIBRARY_DEFINITION_H_
#define COPRODUCE_LIBRARY_DEFINITION_H_

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "core/vocabulary.h"
#include "store/database.h"

namespace coproduce::library {

struct DefinitionInput {
  std::string text;       // the definition, one or two short paragraphs
  std::string easy_read;  // short sentences, one idea each
  std::map<std::string, std::string> principles;  // principle code (vocab.h) -> what it means
};

struct Definition {
  DefinitionInput wording;
  std::string adopted_at;  // "" for the built-in default
  std::string adopted_by;  // the name or email of who adopted it; "" for the default
  bool is_default = true;
};

// The built-in default.
const DefinitionInput& default_definition();

// The published definitions the default draws on, as (title, address):
// links only, none of their text.
const std::vector<std::pair<std::string, std::string>>& definition_references();

// Every problem with `input`, by field: text (1 to 2,000 characters),
// easy_read (1 to 2,000), and principle-CODE (1 to 600) for each of the four.
std::vector<FieldError> validate(const DefinitionInput& input);

class Definitions {
 public:
  // `db` and `clock` must outlive this. Thread-safe.
  Definitions(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // The organisation's current definition, or the default.
  StatusOr<Definition> current(int64_t organisation_id);
  // Every adopted version, newest first (the default is not listed).
  StatusOr<std::vector<Definition>> history(int64_t organisation_id);
  // Adopts a new version; audited as definition.adopt. Invalid input names
  // the first field; nothing is stored.
  Status adopt(int64_t organisation_id, const DefinitionInput& input, const Actor& actor);

 private:
  store::Database& db_;
  const Clock& clock_;
};

}  // namespace coproduce::library

#endif  // COPRODUCE_LIBRARY_DEFINITION_H_
