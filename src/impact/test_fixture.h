// For the tests only: the small fixed data set the familiar-voices figures
// are worked out from by hand. measures_test.cc uses it as plain structs;
// familiar_voices_test.cc writes the same activities into a real database.
//
// Three groups: A (1), B (2), C (3). Twelve people, P1 to P12. The period
// is 2026-01-01 to 2026-06-30.
//
//   activity  group  starts            status     attended (minutes)
//   a0        A      2025-12-01T10:00  held       P1 (60), P2 (60); P3 sent apologies
//   a1        A      2026-01-10T10:00  held       P1 60, P2 120, P3 90, P4 90, P5 90, P6 90;
//                                                 P11 did not attend, P12 sent apologies
//   a2        A      2026-02-10T10:00  held       P1 60, P2 120, P3 90, P4 90, P7 90, P8 90
//   a3        B      2026-03-10T14:00  held       P1 60, P2 120, P9 90, P10 90, P11 90, P12 90
//   a4        B      2026-04-10T14:00  held       P1 60
//   a5        C      2026-05-10T09:30  held       P1 60
//   a6        C      2026-06-30T18:00  held       P1 60   (the last day of the period counts)
//   a7        C      2026-07-01T09:00  held       P1..P12 (after the period: not counted)
//   a8        C      2026-03-01T10:00  cancelled  P3      (cancelled: never counted)
//
// Places in the period per person: P1 6 (a1..a6), P2 3, P3 2, P4 2, and
// P5..P12 1 each: 21 places, 12 people, 1800 minutes (30 hours).
//
// Accepted memberships: P1 of A, B, C; P2 of A and C (declined B); P3 of A;
// P4 of A, B, C; P9 of B. P5 is invited to C but has not answered.
//
// Equality answers (ethnic group; sex; disability):
//   P1 white_british; male; disabled       P7  mixed_white_asian; female; -
//   P2 white_irish; male; not_disabled     P8  white_british; male; -
//   P3 black_african; female; disabled     P9  white_british; male; -
//   P4 asian_indian; male; not_disabled    P10 prefer_not_to_say; female; -
//   P5 white_british; female; disabled     P11 (no answers at all)
//   P6 white_other; male; -                P12 other_arab; prefer_not_to_say; -
#ifndef COPRODUCE_IMPACT_TEST_FIXTURE_H_
#define COPRODUCE_IMPACT_TEST_FIXTURE_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace coproduce::impact::fixture {

// The tables below are laid out by activity, by hand.
// clang-format off

struct Activity {
  int64_t id;
  int64_t group;
  const char* starts_at;
  const char* status;
};

struct Invitation {
  int64_t activity;
  int64_t person;
  const char* attendance;
  int64_t minutes;
};

struct Answer {
  int64_t person;
  const char* ethnic_group;
  const char* sex;
  const char* disability;
};

struct Member {
  int64_t person;
  int64_t group;
  const char* status;
};

inline constexpr const char* kFrom = "2026-01-01";
inline constexpr const char* kTo = "2026-06-30";

inline const std::vector<Activity>& activities() {
  static const std::vector<Activity> kActivities = {
      {100, 1, "2025-12-01T10:00", "held"}, {101, 1, "2026-01-10T10:00", "held"},
      {102, 1, "2026-02-10T10:00", "held"}, {103, 2, "2026-03-10T14:00", "held"},
      {104, 2, "2026-04-10T14:00", "held"}, {105, 3, "2026-05-10T09:30", "held"},
      {106, 3, "2026-06-30T18:00", "held"}, {107, 3, "2026-07-01T09:00", "held"},
      {108, 3, "2026-03-01T10:00", "cancelled"},
  };
  return kActivities;
}

inline std::vector<Invitation> invitations() {
  std::vector<Invitation> out = {
      {100, 1, "attended", 60},  {100, 2, "attended", 60},  {100, 3, "apologies", 0},
      {101, 1, "attended", 60},  {101, 2, "attended", 120}, {101, 3, "attended", 90},
      {101, 4, "attended", 90},  {101, 5, "attended", 90},  {101, 6, "attended", 90},
      {101, 11, "did_not_attend", 0}, {101, 12, "apologies", 0},
      {102, 1, "attended", 60},  {102, 2, "attended", 120}, {102, 3, "attended", 90},
      {102, 4, "attended", 90},  {102, 7, "attended", 90},  {102, 8, "attended", 90},
      {103, 1, "attended", 60},  {103, 2, "attended", 120}, {103, 9, "attended", 90},
      {103, 10, "attended", 90}, {103, 11, "attended", 90}, {103, 12, "attended", 90},
      {104, 1, "attended", 60},  {105, 1, "attended", 60},  {106, 1, "attended", 60},
      {108, 3, "attended", 90},
  };
  for (int64_t p = 1; p <= 12; ++p) out.push_back({107, p, "attended", 60});
  return out;
}

inline const std::vector<Member>& members() {
  static const std::vector<Member> kMembers = {
      {1, 1, "accepted"}, {1, 2, "accepted"}, {1, 3, "accepted"}, {2, 1, "accepted"}, {2, 2, "declined"},
      {2, 3, "accepted"}, {3, 1, "accepted"}, {4, 1, "accepted"}, {4, 2, "accepted"}, {4, 3, "accepted"},
      {9, 2, "accepted"}, {5, 3, "invited"},
  };
  return kMembers;
}

inline const std::vector<Answer>& answers() {
  static const std::vector<Answer> kAnswers = {
      {1, "white_british", "male", "disabled"},      {2, "white_irish", "male", "not_disabled"},
      {3, "black_african", "female", "disabled"},    {4, "asian_indian", "male", "not_disabled"},
      {5, "white_british", "female", "disabled"},    {6, "white_other", "male", ""},
      {7, "mixed_white_asian", "female", ""},        {8, "white_british", "male", ""},
      {9, "white_british", "male", ""},              {10, "prefer_not_to_say", "female", ""},
      {12, "other_arab", "prefer_not_to_say", ""},
  };
  return kAnswers;
}

// clang-format on

}  // namespace coproduce::impact::fixture

#endif  // COPRODUCE_IMPACT_TEST_FIXTURE_H_
