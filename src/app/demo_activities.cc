// The demonstration's year of activity: the forum's monthly meetings where
// the same regulars come again and again, the carers' board's first
// meetings with new voices, an interview panel, attendance and hours,
// 'you said, we did', ratings, and payments and expenses, so the
// familiar-voices dashboard and the payments pages have a history to show.
#include "app/demo_activities.h"

#include <chrono>
#include <cstdio>
#include <random>

#include "activities/activities.h"
#include "involvement/groups.h"
#include "payments/payments.h"

namespace coproduce::app {
namespace {

using activities::Activities;
using activities::ActivityInput;

struct Day {
  std::string day, month, year;
  std::string iso;
};

// The date `days` before (negative: after) `now`.
Day days_ago(const Clock& clock, int days) {
  using namespace std::chrono;
  auto d = floor<std::chrono::days>(clock.now()) - std::chrono::days(days);
  year_month_day ymd{d};
  Day out{std::to_string(static_cast<unsigned>(ymd.day())), std::to_string(static_cast<unsigned>(ymd.month())),
          std::to_string(static_cast<int>(ymd.year())), ""};
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  out.iso = buf;
  return out;
}

ActivityInput activity(const std::string& kind, const std::string& title, const Day& d, const std::string& minutes) {
  return {kind, title, d.day, d.month, d.year, "10:30", minutes, "Brightwater Town Hall, Committee Room 2 (step-free, hearing loop)",
          "",
          "You are invited to " + title + ". Lunch is provided, and you will be paid for your time at the council's "
          "involvement rates. Travel and care cover can be claimed back.",
          "We are meeting.\nWe want to hear what you think.\nThere is lunch.\nWe pay you for your time.\nWe pay your bus fare."};
}

}  // namespace

Status load_activities(store::Database& db, const Clock& clock, int64_t org, int64_t admin_id) {
  involvement::Actor actor{admin_id, "demo"};
  Activities acts(db, clock);
  auto existing = acts.list(org);
  if (!existing.ok()) return existing.status();
  if (!existing->empty()) return Status::Ok();

  involvement::Groups groups(db, clock);
  auto all = groups.list(org);
  if (!all.ok()) return all.status();
  int64_t forum = 0, board = 0;
  for (const auto& g : *all) {
    if (g.name == "Adult Social Care Forum") forum = g.id;
    if (g.name == "Carers' Partnership Board") board = g.id;
  }
  if (!forum || !board) return Status::Ok();

  payments::Payments pay(db, clock);
  if (Status s = pay.set_rates(org,
                               {{"member", {{"hour", "20"}, {"half_day", "60"}, {"day", "120"}}},
                                {"chair", {{"hour", "30"}, {"half_day", "90"}, {"day", "180"}}}},
                               actor, nullptr);
      !s.ok()) {
    return s;
  }

  // The demonstration participant is one of the forum's regulars.
  auto forum_members = groups.members(org, forum, actor);
  if (!forum_members.ok()) return forum_members.status();
  involvement::People people(db, clock);
  if (!forum_members->empty()) {
    auto p = people.get(org, forum_members->front().person_id, actor);
    if (!p.ok()) return p.status();
    p->details.email = "demo-participant@example.org";
    p->details.payment = "paid";
    p->details.benefits_advice = false;
    if (Status s = people.update(org, p->id, p->details, actor); !s.ok()) return s;
  }

  std::mt19937 rng(2026);
  const std::vector<std::string> rungs = {"consultation", "engagement", "consultation", "co_design"};
  // Runs one held activity: invite, attendance (each member attends with
  // probability `turnout`), outcome, ratings and payments.
  auto hold = [&](int64_t group, const ActivityInput& in, double turnout, const std::string& rung) -> Status {
    auto a = acts.create(org, group, in, actor);
    if (!a.ok()) return a.status();
    if (auto n = acts.invite_members(org, a->id, actor); !n.ok()) return n.status();
    auto invited = acts.invitations(org, a->id, actor);
    if (!invited.ok()) return invited.status();
    std::vector<activities::AttendanceEntry> entries;
    std::uniform_real_distribution<double> u(0, 1);
    bool chair = true;
    for (const auto& inv : *invited) {
      double r = u(rng);
      std::string att = r < turnout ? "attended" : r < turnout + (1 - turnout) / 2 ? "apologies" : "did_not_attend";
      entries.push_back({inv.person_id, att, "", att == "attended" && chair ? "chair" : ""});
      if (att == "attended") chair = false;
    }
    if (Status s = acts.record_attendance(org, a->id, entries, actor, nullptr); !s.ok()) return s;
    if (Status s = acts.save_outcome(org, a->id, "Members discussed " + in.title + ".", "", rung, actor); !s.ok()) return s;
    if (Status s = acts.add_paper_ratings(org, a->id, rung == "co_design" ? "co_design" : "consultation", "3", actor); !s.ok()) {
      return s;
    }
    auto raised = pay.raise_for_activity(org, a->id, actor);
    return raised.ok() ? Status::Ok() : raised.status();
  };

  // A year of monthly forum meetings: most of the regulars, every time.
  for (int month = 12; month >= 1; --month) {
    Day d = days_ago(clock, month * 30 + 3);
    if (Status s = hold(forum, activity("meeting", "Forum meeting", d, "150"), 0.85, rungs[month % rungs.size()]); !s.ok()) {
      return s;
    }
  }
  // The board's first meetings and a co-design workshop.
  for (int i = 3; i >= 1; --i) {
    Day d = days_ago(clock, i * 45 - 20);
    const char* kind = i == 2 ? "co_design" : "meeting";
    std::string title = i == 2 ? "Designing the carers' breaks service" : "Carers' Partnership Board";
    if (Status s = hold(board, activity(kind, title, d, i == 2 ? "300" : "120"), 0.8, i == 2 ? "co_design" : "engagement");
        !s.ok()) {
      return s;
    }
  }

  // Approve the payments raised; those more than two months old are paid.
  auto raised = pay.list(org, "raised", std::nullopt, actor);
  if (!raised.ok()) return raised.status();
  std::string paid_before = days_ago(clock, 60).iso;
  std::vector<int64_t> to_mark;
  for (const auto& p : *raised) {
    if (p.activity_date > days_ago(clock, 30).iso) continue;  // the latest wait for approval
    if (Status s = pay.approve(org, p.id, true, actor); !s.ok()) return s;
    if (p.activity_date < paid_before) to_mark.push_back(p.id);
  }
  if (auto n = pay.mark_paid(org, to_mark, {}, actor); !n.ok()) return n.status();

  // A travel claim with its ticket, waiting for a decision, and 'you said, we did'.
  auto board_acts = acts.list(org, board);
  if (!board_acts.ok() || board_acts->empty()) return board_acts.status();
  const auto& latest = board_acts->front();
  auto invited = acts.invitations(org, latest.id, actor);
  if (!invited.ok()) return invited.status();
  for (const auto& inv : *invited) {
    if (inv.attendance != "attended") continue;
    Day d{latest.starts_at.substr(8, 2), latest.starts_at.substr(5, 2), latest.starts_at.substr(0, 4), ""};
    payments::ClaimInput claim{std::to_string(inv.person_id), std::to_string(latest.id), "travel",
                               "Bus to the town hall and back", "4.80", d.day, d.month, d.year};
    auto made = pay.submit_claim(org, claim, {{0, "bus-ticket.pdf", "", "%PDF-1.4\n% A made-up bus ticket\n"}}, actor, nullptr);
    if (!made.ok()) return made.status();
    break;
  }
  Day due = days_ago(clock, -30);
  for (const auto& [said, did, status] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"Carers cannot get to daytime meetings", "Every other meeting is now in the evening, with care cover paid",
            "done"},
           {"Papers arrive too late to read", "Papers now go out a week before, in Easy Read too", "done"},
           {"We want to see what happens to our ideas", "", "in_progress"}}) {
    activities::ActionInput in{said, did, "Carers' lead", status, due.day, due.month, due.year};
    if (auto a = acts.add_action(org, latest.id, in, actor); !a.ok()) return a.status();
  }

  // The next forum meeting, in three weeks, with invitations out.
  auto next = acts.create(org, forum, activity("meeting", "Forum meeting", days_ago(clock, -21), "150"), actor);
  if (!next.ok()) return next.status();
  auto n = acts.invite_members(org, next->id, actor);
  return n.ok() ? Status::Ok() : n.status();
}

}  // namespace coproduce::app
