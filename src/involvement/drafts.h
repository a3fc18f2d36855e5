// Drafts of the public "get involved" answers: what a person has told us so
// far, kept on the server between the question pages until they send it.
//
// The browser holds a random token (in a cookie); the store keeps only its
// digest, the organisation, the answers and the times. No network address.
// A draft not changed for kLifetime is gone: loading it finds nothing and
// creating a draft sweeps old ones away.
//
// Sending is two steps so a second press of "Send" cannot add the person
// twice: claim() takes the answers and marks the draft sent in one
// transaction (a second claim finds it already sent); the caller then adds
// the person and, if that fails, release() puts the answers back.
#ifndef COPRODUCE_INVOLVEMENT_DRAFTS_H_
#define COPRODUCE_INVOLVEMENT_DRAFTS_H_

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/status.h"
#include "involvement/people.h"
#include "store/database.h"

namespace coproduce::involvement {

// What a person has answered so far.
struct DraftAnswers {
  PersonDetails details;
  // Equality monitoring answers given so far; stored with the person only
  // when equality_choice is "answer".
  Equality equality;
  std::string equality_choice;  // "", "answer" or "skip"
  bool consent = false;
  // The question pages answered, by name, so the journey knows what is left.
  std::set<std::string> answered;
  // Answers to helper questions that are not kept with the person (the broad
  // ethnic group asked before the specific one), by name.
  std::map<std::string, std::string> helpers;

  // The equality answers to store: none when the person skipped the section
  // or gave no answer in it.
  std::optional<Equality> equality_to_store() const;
};

// DraftAnswers to and from the JSON kept in the store. Unknown keys are
// ignored and missing ones take their defaults, so an old draft still loads.
nlohmann::json to_json(const DraftAnswers& answers);
DraftAnswers answers_from_json(const nlohmann::json& json);

struct Draft {
  std::optional<int64_t> organisation_id;  // empty until chosen
  DraftAnswers answers;
  std::string created_at;
  std::string updated_at;
  std::optional<std::string> submitted_at;  // set once sent; the answers are then gone

  bool submitted() const { return submitted_at.has_value(); }
};

class Drafts {
 public:
  // How long a draft lives after it was last changed.
  static constexpr std::chrono::hours kLifetime{24};

  // `db` and `clock` must outlive this. Thread-safe.
  Drafts(store::Database& db, const Clock& clock);

  // Starts an empty draft for `organisation_id` (empty when the person has
  // still to choose) and sweeps expired drafts. Returns the token to give
  // the browser: the only copy, it cannot be recovered from the store.
  StatusOr<std::string> create(std::optional<int64_t> organisation_id);

  // The draft `token` opens, sent or not; nullopt when the token is unknown
  // or the draft has expired.
  StatusOr<std::optional<Draft>> load(std::string_view token);

  // Replaces the organisation and answers of an unsent draft. NotFound when
  // the draft is unknown or expired, Conflict when it has been sent.
  Status save(std::string_view token, std::optional<int64_t> organisation_id, const DraftAnswers& answers);

  // Takes the answers of an unsent draft for sending: in one transaction,
  // marks the draft sent and wipes its answers. NotFound when unknown or
  // expired; Conflict when already sent (by an earlier or concurrent claim).
  StatusOr<Draft> claim(std::string_view token);

  // Undoes claim() when the person could not be added: the draft is unsent
  // again with `draft`'s organisation and answers.
  Status release(std::string_view token, const Draft& draft);

  // Deletes the draft, sent or not. Deleting an unknown draft is not an error.
  Status remove(std::string_view token);

  // Deletes every draft not changed for kLifetime; returns how many.
  StatusOr<int64_t> sweep();

 private:
  store::Database& db_;
  const Clock& clock_;
};

}  // namespace coproduce::involvement

#endif  // COPRODUCE_INVOLVEMENT_DRAFTS_H_
