// Status and StatusOr: how a module reports a failure a person can act on.
//
// A Status carries a message written for the person who made the mistake
// plus, where it is known, where the mistake is: a file with line and column,
// or a form field. Programmer errors are assertions, not Statuses.
#ifndef COPRODUCE_CORE_STATUS_H_
#define COPRODUCE_CORE_STATUS_H_

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace coproduce {

// Where a user-facing problem is. Every part is optional; line and column
// count from 1 and 0 means "not known".
struct Location {
  std::string file;   // a file name as the person gave it
  long line = 0;
  long column = 0;
  std::string field;  // a form field or column name

  bool empty() const { return file.empty() && line == 0 && column == 0 && field.empty(); }
  // "people.csv, line 4, column 2" or "field email"; empty when nothing is known.
  std::string to_string() const;
};

enum class StatusCode {
  kOk = 0,
  kInvalidInput,     // the person's input is wrong: fix it and try again
  kNotFound,
  kConflict,         // already exists, or a concurrent change won
  kPermissionDenied,
  kUnauthenticated,
  kUnavailable,      // a resource (database, solver) could not be used
  kInternal,         // a bug or an environment failure; not the person's fault
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message, Location where = {})
      : code_(code), message_(std::move(message)), where_(std::move(where)) {}

  static Status Ok() { return Status(); }
  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  const Location& where() const { return where_; }
  // The message prefixed with its location: "people.csv, line 4, column 2: ..."
  std::string to_string() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  Location where_;
};

inline Status InvalidInput(std::string message, Location where = {}) {
  return Status(StatusCode::kInvalidInput, std::move(message), std::move(where));
}
inline Status NotFound(std::string message) { return Status(StatusCode::kNotFound, std::move(message)); }
inline Status Conflict(std::string message) { return Status(StatusCode::kConflict, std::move(message)); }
inline Status Internal(std::string message) { return Status(StatusCode::kInternal, std::move(message)); }
inline Status Unavailable(std::string message) { return Status(StatusCode::kUnavailable, std::move(message)); }

// Either a value or a failed Status.
template <typename T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  StatusOr(Status status) : v_(std::move(status)) {  // NOLINT
    assert(!std::get<Status>(v_).ok() && "StatusOr needs a failed Status or a value");
  }
  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<Status>(v_);
  }
  T& value() & { assert(ok()); return std::get<T>(v_); }
  const T& value() const& { assert(ok()); return std::get<T>(v_); }
  // From a temporary, the value is moved out and returned by value, so
  // `for (auto& x : *make_list())` holds its own copy, never a dangling
  // reference into the destroyed StatusOr.
  T value() && { assert(ok()); return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace coproduce

#endif  // COPRODUCE_CORE_STATUS_H_
