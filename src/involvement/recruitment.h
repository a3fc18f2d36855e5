// Recruiting a group's members from the pool by a lottery with quotas.
//
// A round takes a snapshot of the eligible pool (consent current, not erased,
// not already on the group) with each person's value in the categories the
// lead chose, the quotas and the way the lottery is made fair (LEXIMIN unless
// the lead chose MAXIMIN or Nash welfare). Running it asks the selection
// engine for that lottery, rounded to a fixed number of equally likely
// numbered tickets so that a number drawn in public can decide the panel.
// Every round keeps its snapshot, quotas, probabilities, seed, tickets and
// result, so anyone can check it afterwards.
#ifndef COPRODUCE_INVOLVEMENT_RECRUITMENT_H_
#define COPRODUCE_INVOLVEMENT_RECRUITMENT_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "involvement/people.h"
#include "selection/select.h"
#include "store/database.h"

namespace coproduce::involvement {

// A category a lead may set quotas on.
struct CategoryChoice {
  std::string key;    // "area", "experience", "history", "sex", ..., or "pool:<name>"
  std::string label;  // for people
};

struct QuotaRow {
  std::string category;  // a CategoryChoice key
  std::string value;
  int min = 0;
  int max = 0;
};

struct RoundSetup {
  std::vector<std::string> categories;  // CategoryChoice keys
  std::vector<QuotaRow> quotas;         // values left out get min 0, max places
  std::string area;                     // only people in this area; empty for anywhere
  std::string available;                // only people available then (an availability code); empty for any
  int history_months = 12;              // "new" means in no group for this long
  // How the lottery is made fair: one of round_algorithms().
  selection::Algorithm algorithm = selection::Algorithm::kLeximin;
};

// The algorithms a round may use, in the order the set-up form offers them:
// LEXIMIN, MAXIMIN and Nash welfare. LEGACY is not one: it makes no lottery
// to draw a numbered ticket from.
const std::vector<selection::Algorithm>& round_algorithms();

// Reads the algorithm called `name` (as selection::algorithm_name writes it:
// "leximin", "maximin" or "nash") into `setup`. Anything else, "legacy" and
// the empty answer included, leaves `setup` as it is and gives a FieldError
// on "algorithm" (Problem::kUnknownCode) to show beside the question.
//
// Example:
//   if (auto e = read_algorithm(form.get("algorithm"), setup)) errors.push_back(*e);
std::optional<FieldError> read_algorithm(std::string_view name, RoundSetup& setup);

// The progress sentence of a round being run by `algorithm`, e.g. "Finding
// the fairest lottery (LEXIMIN): 120 of 441 kinds of people settled, 900
// panels considered, within 0.0003 of the best so far". The last part only
// once the engine has a bound (p.gap >= 0).
std::string progress_text(selection::Algorithm algorithm, const selection::LeximinProgress& p);

// The eligible pool, counted by category value, before quotas are set.
struct PoolCount {
  int eligible = 0;
  struct Category {
    std::string key;
    std::string label;
    std::vector<std::pair<std::string, int>> values;  // value and how many eligible people have it
  };
  std::vector<Category> categories;
};

struct Round {
  int64_t id = 0;
  int64_t group_id = 0;
  std::string status;  // ready, queued, running, done, infeasible, failed, drawn, invited
  int places = 0;
  RoundSetup setup;
  uint64_t seed = 0;
  int tickets = 0;
  nlohmann::json snapshot;  // {person_ids, values, already}
  nlohmann::json result;    // see Recruitment::run; setup.algorithm is the algorithm asked for
  std::string progress;
  std::optional<int> drawn_ticket;
  std::string created_at;
};

class Recruitment {
 public:
  static constexpr int kTickets = 1000;

  // `db` and `clock` must outlive this. Thread-safe, except that run() uses
  // the selection engine, which the caller must run one at a time.
  Recruitment(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // The categories this organisation's pool offers.
  StatusOr<std::vector<CategoryChoice>> categories(int64_t organisation_id);
  // Who is eligible for `group_id` and how they spread over `setup.categories`.
  StatusOr<PoolCount> count(int64_t organisation_id, int64_t group_id, const RoundSetup& setup);
  // Checks the quotas and the algorithm and stores a round with its pool
  // snapshot. The people already on the group (accepted or still invited)
  // stay on the panel and the round chooses the rest. `seed` is recorded
  // with the round. An algorithm not in round_algorithms() is kInvalidInput
  // at the field "algorithm".
  StatusOr<int64_t> create_round(int64_t organisation_id, int64_t group_id, const RoundSetup& setup, uint64_t seed,
                                 const Actor& actor);
  StatusOr<Round> get(int64_t organisation_id, int64_t round_id);
  StatusOr<std::vector<Round>> rounds(int64_t organisation_id, int64_t group_id);
  // Marks a ready (or failed, or infeasible) round as queued for running.
  Status queue(int64_t organisation_id, int64_t round_id);
  // The kind of the job (jobs/jobs.h) queue() adds: run() does its work.
  static constexpr const char* kRunJob = "recruitment.run";
  // Runs the selection engine with the round's algorithm for a queued round;
  // stores each person's probability, the fairness figures, the numbered
  // tickets and what the run proved, or the conflicting quotas and the
  // smallest relaxation when no panel can meet them. The progress text gets
  // short sentences while it runs.
  //
  // The result of a done round has: probabilities and exact_probabilities
  // (by person id), fairness {minimum, maximum, mean, gini, geometric_mean},
  // largest_shift, tickets, seed_ticket, types, panels, seconds (the whole
  // run), algorithm (its name), complete (false when stopped early),
  // proven_gap (see SelectOutcome::proven_gap), proven_by (what bounded
  // it: selection::proven_by), probability_levels, panels_generated,
  // panels_kept and stages.
  Status run(int64_t organisation_id, int64_t round_id);

  // How long run() may look for the fairest lottery: once this is spent it
  // stops and keeps the lottery it has, which meets every quota; the result
  // then says complete: false, with the gap still open. Long enough for
  // pools of a few thousand people to finish (docs/selection.md, "How fast").
  static constexpr int kRoundSeconds = 1800;
  void set_time_limit(std::chrono::seconds limit) { time_limit_ = limit; }
  // Draws ticket `ticket` (a number drawn in public, 1..tickets) or, without
  // one, the ticket the recorded seed picks.
  Status draw(int64_t organisation_id, int64_t round_id, std::optional<int> ticket, const Actor& actor);
  // Invites the drawn panel's new members to the group.
  Status invite(int64_t organisation_id, int64_t round_id, const Actor& actor);
  // invite inside the caller's write transaction on `c`, so another module
  // can tell the people invited in the same transaction. Returns them.
  StatusOr<std::vector<int64_t>> invite_in(store::Connection& c, int64_t organisation_id, int64_t round_id,
                                           const Actor& actor);
  // A new round for the group's open places, with the last round's quotas
  // and algorithm, keeping everyone who accepted or has not yet answered.
  StatusOr<int64_t> replacement_round(int64_t organisation_id, int64_t group_id, uint64_t seed, const Actor& actor);
  // The round `round_id`, queued or running when the job running it was
  // given up on (its server process stopped): marked failed with `reason`,
  // so people can run it again.
  Status fail_interrupted(int64_t round_id, const std::string& reason);

 private:
  Status set_progress(int64_t round_id, const std::string& text);
  store::Database& db_;
  const Clock& clock_;
  std::chrono::seconds time_limit_{kRoundSeconds};
};

}  // namespace coproduce::involvement

#endif  // COPRODUCE_INVOLVEMENT_RECRUITMENT_H_
