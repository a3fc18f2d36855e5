// Vocabulary types every module shares: who is acting, and what is wrong
// with one answer. One definition each, so a field error from any module
// reaches the pages and the API the same way.
#ifndef COPRODUCE_CORE_VOCABULARY_H_
#define COPRODUCE_CORE_VOCABULARY_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "core/status.h"

namespace coproduce {

// Who is acting, for the audit log: a signed-in user, or (no user) a person
// acting for themselves through the public pages, or a command ("cli").
struct Actor {
  std::optional<int64_t> user_id;
  std::string address;
};

// The kind of problem with one answer, as a value callers can test, so no
// caller ever matches the wording of a message.
enum class Problem {
  kInvalid,      // not in an accepted form (a catch-all)
  kMissing,      // required and empty
  kTooLong,      // longer than its limit
  kUnknownCode,  // not one of the listed codes
  kNotADate,     // not a real date
  kOutOfOrder,   // before or after another answer it must follow or precede
  kDuplicate,    // already used where it must be unique
  kOutOfRange,   // a number outside its limits
};

// A problem with one answer, for the form field, JSON key or file column it
// names, with a message a person can act on.
struct FieldError {
  std::string field;
  std::string message;
  Problem kind = Problem::kInvalid;
};

// One problem in an imported file, with where it is (file, line, column).
struct ImportProblem {
  Location where;
  std::string message;
};

// Imports list at most this many problems; past it the person is told there are more.
inline constexpr size_t kMaxImportProblems = 50;

}  // namespace coproduce

#endif  // COPRODUCE_CORE_VOCABULARY_H_
