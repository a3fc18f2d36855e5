// Organisations, user accounts, sign-in sessions, API tokens and invitations.
//
// Every user belongs to exactly one organisation; everything a user may see
// is scoped by that organisation. Secrets (passwords, session and API tokens,
// invitation links) are stored only as hashes or digests.
#ifndef COPRODUCE_ACCOUNTS_ACCOUNTS_H_
#define COPRODUCE_ACCOUNTS_ACCOUNTS_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "security/roles.h"
#include "store/database.h"

namespace coproduce::accounts {

struct Organisation {
  int64_t id = 0;
  std::string name;
  bool fictional = false;
  std::string created_at;
};

struct User {
  int64_t id = 0;
  int64_t organisation_id = 0;
  std::string organisation_name;
  bool organisation_fictional = false;
  std::string email;
  std::string name;
  security::Role role = security::Role::kParticipant;
  bool has_password = false;
  bool active = true;
};

struct Invitation {
  int64_t id = 0;
  std::string purpose;  // "setup" (first organisation), "user", or "reset" (a new password)
  std::optional<int64_t> organisation_id;
  std::string organisation_name;
  std::string email;
  std::optional<security::Role> role;
};

// How long a link to reset a password works.
inline constexpr std::chrono::hours kResetLifetime{1};

// Throttling: at most this many failed sign-ins per account, and per network
// address, within the window; then sign-in is refused until old failures age out.
struct ThrottlePolicy {
  int per_account = 5;
  int per_address = 20;
  std::chrono::seconds window{15 * 60};
};

enum class SignInOutcome { kSignedIn, kWrongCredentials, kThrottled };

struct SignInResult {
  SignInOutcome outcome = SignInOutcome::kWrongCredentials;
  std::optional<User> user;
  std::string session_token;  // set when signed in; goes in the cookie
};

// Lower-cases and trims an email address; returns the problem in `problem`
// when it is not a plausible address.
std::string normalise_email(std::string_view email, std::string* problem);

// The account service. Holds references to the database and clock, which must
// outlive it. Thread-safe: each call uses the calling thread's connection.
class Accounts {
 public:
  Accounts(store::Database& db, const Clock& clock, ThrottlePolicy throttle = {});

  static constexpr std::chrono::hours kSessionLifetime{12};
  static constexpr std::chrono::hours kInvitationLifetime{72};

  // Organisations.
  StatusOr<Organisation> create_organisation(const std::string& name, bool fictional,
                                             std::optional<int64_t> actor, const std::string& address);
  // Creates an organisation for `actor` (an administrator) together with its
  // first administrator, who sets a password through the returned
  // invitation token. All or nothing.
  StatusOr<std::string> create_organisation_with_admin(const std::string& name, const std::string& admin_email,
                                                       const User& actor, const std::string& address);
  // The organisations `user` may know of: their own and those it created.
  StatusOr<std::vector<Organisation>> organisations_visible_to(const User& user);
  StatusOr<Organisation> find_organisation(const std::string& name);
  StatusOr<Organisation> organisation(int64_t id);
  StatusOr<std::vector<Organisation>> list_organisations();
  StatusOr<int64_t> count_users(int64_t organisation_id);

  // Users. `password` may be empty for a user who will set one by invitation.
  StatusOr<User> create_user(int64_t organisation_id, const std::string& email, const std::string& name,
                             security::Role role, const std::string& password, std::optional<int64_t> actor,
                             const std::string& address);
  // Adds a user to `actor`'s organisation with no password yet, and returns
  // the invitation token with which they set one. All or nothing.
  StatusOr<std::string> invite_user(const User& actor, const std::string& email, const std::string& name,
                                    security::Role role, const std::string& address);
  // invite_user inside the caller's write transaction on `c` (a connection
  // of this service's database), so another module can invite and record
  // the account in one step: nothing is committed here, and the caller's
  // rollback undoes the account and its invitation. Returns the new user
  // and the invitation token.
  struct Invited {
    User user;
    std::string token;
  };
  StatusOr<Invited> invite_user_in(store::Connection& c, const User& actor, const std::string& email,
                                   const std::string& name, security::Role role, const std::string& address);
  // Sets a new password (command-line resets and demo data). Audited.
  Status set_password(int64_t user_id, const std::string& password, const std::string& address);
  StatusOr<User> find_user_by_email(const std::string& email);
  StatusOr<User> find_user(int64_t id);
  StatusOr<std::vector<User>> list_users(int64_t organisation_id);
  StatusOr<bool> any_users();

  // Sign-in with throttling; records the outcome in the audit log.
  StatusOr<SignInResult> sign_in(const std::string& email, const std::string& password,
                                 const std::string& address);
  // The user behind a session cookie's token, if the session is live.
  StatusOr<std::optional<User>> user_for_session(const std::string& token);
  Status sign_out(const std::string& token, const std::string& address);

  // API bearer tokens.
  StatusOr<std::string> create_api_token(int64_t user_id);
  StatusOr<std::optional<User>> user_for_api_token(const std::string& token);

  // Invitations: one-time links. Returns the secret token for the link.
  StatusOr<std::string> create_setup_invitation();
  StatusOr<std::string> create_user_invitation(int64_t organisation_id, const std::string& email,
                                               security::Role role, std::optional<int64_t> actor);
  // A live (unused, unexpired) invitation, or nullopt.
  StatusOr<std::optional<Invitation>> find_invitation(const std::string& token);
  // Completes a setup invitation: creates the organisation and its first administrator.
  StatusOr<User> accept_setup(const std::string& token, const std::string& organisation_name,
                              const std::string& name, const std::string& email, const std::string& password,
                              const std::string& address);
  // A one-time link to choose a new password, for the active user with a
  // password whose address this is: the user and the link's token, or
  // nullopt when there is no such user (the caller says the same either
  // way). Earlier unused links of the user stop working. Audited.
  struct ResetLink {
    User user;
    std::string token;
  };
  StatusOr<std::optional<ResetLink>> password_reset_link(const std::string& email, const std::string& address);
  // Completes a reset: sets the password and ends the user's sessions
  // everywhere. kNotFound when the link was used or has expired;
  // kInvalidInput (field "password") for a password too weak.
  StatusOr<User> reset_password(const std::string& token, const std::string& password, const std::string& address);

  // Completes a user invitation: sets the invited user's name and password.
  StatusOr<User> accept_invitation(const std::string& token, const std::string& name,
                                   const std::string& password, const std::string& address);

 private:
  StatusOr<store::Connection*> conn();
  StatusOr<Organisation> create_organisation_in(store::Connection& c, const std::string& name, bool fictional,
                                                std::optional<int64_t> actor, const std::string& address);
  StatusOr<User> create_user_in(store::Connection& c, int64_t organisation_id, const std::string& email,
                                const std::string& name, security::Role role, const std::string& password,
                                std::optional<int64_t> actor, const std::string& address);
  StatusOr<std::string> new_invitation(store::Connection& c, const std::string& purpose,
                                       std::optional<int64_t> organisation_id, const std::string& email,
                                       const std::string& role, std::optional<int64_t> actor);

  store::Database& db_;
  const Clock& clock_;
  ThrottlePolicy throttle_;
};

}  // namespace coproduce::accounts

#endif  // COPRODUCE_ACCOUNTS_ACCOUNTS_H_
