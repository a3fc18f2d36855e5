// A group's record and the case study drafted from it, against a real
// database filled through the services a lead uses: people, groups,
// activities with attendance, outcomes, ratings and actions, and payments.
//
// The group "Carers' *voice* [board]" has twelve members, P1 to P12; P1 to
// P3 took part in the older group in January, so they are not newcomers.
//
//   activity  starts      kind      attended (minutes)          lead rung      members' ratings
//   a1        2026-02-10  meeting   P1-P11 (120); P12 apologies co_design      co_design 2, co_production 1
//   a2        2026-03-10  workshop  P1-P12 (120)                co_production  engagement 2 (too few to show);
//                                                                              paper: co_production 1
//   a3        2026-04-10  meeting   P1-P10 (60)                 co_design      -
//   a4        2026-05-01  meeting   cancelled
//   a5        2026-07-01  meeting   not held yet (the clock stands at 2026-06-15)
//
// 33 places, 12 people, 3,360 minutes (56 hours); 9 newcomers (P4-P11 at
// a1, P12 at a2). Sex: P1-P7 female (21 places), P8-P12 male (12). Ethnic
// group: P12 black_african (1 place), the rest white_british (32).
// Disability: P1-P9 disabled (27), P10 not disabled (3), P11 and P12 did
// not say. Lived experience: P10 unpaid carer, P11 family member, the rest
// draw on care (P12 said nothing).
//
// Payments: P1-P6 want paying (£75 a half day). a1's six are paid (£450);
// of a2's, P1's is approved and not paid (£75). Claims: P1 £12.50 for a1
// paid; P2 £4.00 for a2 approved; P3 £3.00 submitted; P1 £5.00 for the
// older group's meeting paid (not this group's).
#include "library/group_record.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "activities/activities.h"
#include "core/text.h"
#include "involvement/groups.h"
#include "involvement/people.h"
#include "learning/markdown.h"
#include "payments/payments.h"
#include "store/temporary_database.h"

namespace coproduce::library {
namespace {

using activities::Activities;
using activities::ActivityInput;
using activities::AttendanceEntry;

TimePoint at(const std::string& timestamp) {
  TimePoint t;
  EXPECT_TRUE(parse_timestamp(timestamp, &t)) << timestamp;
  return t;
}

std::string section(const CaseStudyInput& s, const std::string& key) {
  for (const auto& part : s.story)
    if (part.key == key) return part.markdown;
  return "";
}

// Every word of every name is one no draft could hold by chance.
const char* const kNames[] = {"Annika Ashworth", "Bogdan Birchall", "Cyrus Cedarwood", "Dilys Dogwood",
                              "Edwina Elmhurst", "Florian Firbank", "Gustav Gumtree",  "Halima Hazelden",
                              "Ivor Ilexford",   "Jolene Juniper",  "Kitty Kaurimoor", "Zed Quillon"};

class GroupRecordTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::make_unique<store::TemporaryDatabase>(std::string("group-record-") +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    ASSERT_TRUE(db_->status().ok()) << db_->status().to_string();
    ASSERT_TRUE(sql("INSERT INTO organisations (name, created_at) VALUES ('Org', 'x'), ('Other', 'x')"));
    ASSERT_TRUE(
        sql("INSERT INTO users (organisation_id, email, name, role, created_at) VALUES"
            " (1, 'lead@x.org', 'Pat Quinn', 'coproduction-lead', 'x'),"
            " (2, 'lead@y.org', '', 'coproduction-lead', 'x')"));
    involvement::People people(**db_, clock_);
    for (int i = 0; i < 12; ++i) {
      involvement::PersonDetails d;
      d.name = kNames[i];
      d.email = "p" + std::to_string(i + 1) + "@example.org";
      d.payment = i < 6 ? "paid" : "";
      if (i < 9) d.lived_experience = {"draws_on_care"};
      if (i == 9) d.lived_experience = {"unpaid_carer"};
      if (i == 10) d.lived_experience = {"family_member", "unpaid_carer"};
      involvement::Equality eq;
      eq["sex"] = i < 7 ? "female" : "male";
      eq["ethnic_group"] = i == 11 ? "black_african" : "white_british";
      if (i < 9) eq["disability"] = "disabled";
      if (i == 9) eq["disability"] = "not_disabled";
      auto p = people.add(1, d, "staff", true, eq, actor_);
      ASSERT_TRUE(p.ok()) << p.status().to_string();
      p_.push_back(p->id);
    }
    older_ = add_group(1, "Older group", {p_[0], p_[1], p_[2]});
    group_ = add_group(1, "Carers' *voice* [board]", p_);
    payments::Payments pay(**db_, clock_);
    ASSERT_TRUE(
        pay.set_rates(1, {{"member", {{"hour", "20"}, {"half_day", "75.00"}, {"day", "150"}}}}, actor_, nullptr).ok());

    Activities acts(**db_, clock_);
    int64_t old =
        held(older_, "meeting", "2026-01-10", "120", {{p_[0], "attended"}, {p_[1], "attended"}, {p_[2], "attended"}});
    std::vector<std::pair<int64_t, std::string>> at_a1, at_a2, at_a3;
    for (int i = 0; i < 12; ++i) {
      at_a1.push_back({p_[i], i < 11 ? "attended" : "apologies"});
      at_a2.push_back({p_[i], "attended"});
      at_a3.push_back({p_[i], i < 10 ? "attended" : i == 10 ? "did_not_attend" : "apologies"});
    }
    a1_ = held(group_, "meeting", "2026-02-10", "120", at_a1);
    a2_ = held(group_, "workshop", "2026-03-10", "120", at_a2);
    int64_t a3 = held(group_, "meeting", "2026-04-10", "60", at_a3);
    auto cancelled = acts.create(1, group_, input("meeting", "2026-05-01", "60"), actor_);
    ASSERT_TRUE(cancelled.ok());
    ASSERT_TRUE(acts.cancel(1, cancelled->id, actor_).ok());
    ASSERT_TRUE(acts.create(1, group_, input("meeting", "2026-07-01", "60"), actor_).ok());

    ASSERT_TRUE(acts.save_outcome(1, a1_, "", "", "co_design", actor_).ok());
    ASSERT_TRUE(acts.save_outcome(1, a2_, "", "", "co_production", actor_).ok());
    ASSERT_TRUE(acts.save_outcome(1, a3, "", "", "co_design", actor_).ok());
    ASSERT_TRUE(acts.rate(1, a1_, p_[0], "co_design").ok());
    ASSERT_TRUE(acts.rate(1, a1_, p_[1], "co_production").ok());
    ASSERT_TRUE(acts.rate(1, a1_, p_[2], "co_design").ok());
    ASSERT_TRUE(acts.rate(1, a2_, p_[0], "engagement").ok());
    ASSERT_TRUE(acts.rate(1, a2_, p_[1], "engagement").ok());
    ASSERT_TRUE(acts.add_paper_ratings(1, a2_, "co_production", "1", actor_).ok());

    action("The room was too cold", "We moved to the warmer room", "done", "1");
    action("Papers came *late* [see](javascript:alert(1))\n# Shout <b>now</b>",
           "Papers now go out a week early & by post", "done", "2");
    action("Ask Zed about the buses", "The bus company met us", "done", "3");  // names P12: left out
    action("More in Easy Read", "", "planned", "4");
    action("Chairs with arms", "We bought ten", "done", "5");
    action("A fifth thing", "Done as well", "done", "6");  // a fourth example: one too many

    // a1's payments are paid, with P1's claims for a1 and for the older group's meeting.
    ASSERT_TRUE(pay.raise_for_activity(1, a1_, actor_).ok());
    auto raised = pay.list(1, "raised", std::nullopt, actor_);
    ASSERT_TRUE(raised.ok());
    for (const auto& payment : *raised) ASSERT_TRUE(pay.approve(1, payment.id, false, actor_).ok());
    int64_t c1 = claim(p_[0], a1_, "12.50");
    int64_t c_old = claim(p_[0], old, "5");
    ASSERT_TRUE(pay.decide_claim(1, c1, true, "", actor_).ok());
    ASSERT_TRUE(pay.decide_claim(1, c_old, true, "", actor_).ok());
    std::vector<int64_t> payment_ids, claim_ids;
    auto payroll = pay.payroll(1, actor_);
    ASSERT_TRUE(payroll.ok());
    for (const auto& line : *payroll) (line.kind == "payment" ? payment_ids : claim_ids).push_back(line.id);
    ASSERT_EQ(payment_ids.size(), 6u);
    ASSERT_EQ(claim_ids.size(), 2u);
    ASSERT_EQ(*pay.mark_paid(1, payment_ids, claim_ids, actor_), 8);
    // a2's: P1's approved, the rest still waiting for approval; P2's claim approved, P3's not decided.
    ASSERT_TRUE(pay.raise_for_activity(1, a2_, actor_).ok());
    raised = pay.list(1, "raised", std::nullopt, actor_);
    ASSERT_TRUE(raised.ok());
    for (const auto& payment : *raised) {
      if (payment.person_id == p_[0]) {
        ASSERT_TRUE(pay.approve(1, payment.id, false, actor_).ok());
      }
    }
    ASSERT_TRUE(pay.decide_claim(1, claim(p_[1], a2_, "4.00"), true, "", actor_).ok());
    claim(p_[2], a2_, "3");
  }

  bool sql(const std::string& statement, std::vector<store::Value> params = {}) {
    auto c = (*db_)->connection();
    if (!c.ok()) return false;
    auto done = (*c)->execute(statement, params);
    EXPECT_TRUE(done.ok()) << done.status().to_string();
    return done.ok();
  }
  int64_t count(const std::string& query, std::vector<store::Value> params = {}) {
    auto c = (*db_)->connection();
    auto row = (*c)->query_one(query, params);
    EXPECT_TRUE(row.ok()) << row.status().to_string();
    return row.ok() ? row->integer(0) : -1;
  }

  // A group of `org` whose listed people have accepted a place.
  int64_t add_group(int64_t org, const std::string& name, const std::vector<int64_t>& members) {
    involvement::GroupInput g{name, "Shaping carers' support", "council", "12", "12", "co_production", false};
    auto group = involvement::Groups(**db_, clock_).create(org, g, org == 1 ? actor_ : other_actor_);
    EXPECT_TRUE(group.ok()) << group.status().to_string();
    for (int64_t person : members) {
      sql("INSERT INTO group_members (group_id, person_id, status, invited_at) VALUES ($1, $2, 'accepted', 'x')",
          {group->id, person});
    }
    return group.ok() ? group->id : 0;
  }

  static ActivityInput input(const std::string& kind, const std::string& date, const std::string& minutes) {
    return {kind,
            "Session " + date,
            date.substr(8, 2),
            date.substr(5, 2),
            date.substr(0, 4),
            "10:00",
            minutes,
            "Town hall",
            "",
            "",
            ""};
  }

  // An activity of `group` on `date`, every member invited and attendance recorded as listed.
  int64_t held(int64_t group, const std::string& kind, const std::string& date, const std::string& minutes,
               const std::vector<std::pair<int64_t, std::string>>& attendance) {
    Activities acts(**db_, clock_);
    auto a = acts.create(1, group, input(kind, date, minutes), actor_);
    EXPECT_TRUE(a.ok()) << a.status().to_string();
    if (!a.ok()) return 0;
    EXPECT_TRUE(acts.invite_members(1, a->id, actor_).ok());
    std::vector<AttendanceEntry> entries;
    for (const auto& [person, what] : attendance) entries.push_back({person, what, "", ""});
    Status s = acts.record_attendance(1, a->id, entries, actor_, nullptr);
    EXPECT_TRUE(s.ok()) << s.to_string();
    return a->id;
  }

  void action(const std::string& you_said, const std::string& we_did, const std::string& status,
              const std::string& day) {
    activities::ActionInput in{you_said, we_did, "Pat Quinn", status, day, "3", "2026"};
    auto added = Activities(**db_, clock_).add_action(1, a1_, in, actor_);
    EXPECT_TRUE(added.ok()) << added.status().to_string();
  }

  int64_t claim(int64_t person, int64_t activity, const std::string& amount) {
    payments::ClaimInput in{
        std::to_string(person), std::to_string(activity), "travel", "Bus fare", amount, "10", "2", "2026"};
    auto c = payments::Payments(**db_, clock_).submit_claim(1, in, {}, actor_, nullptr);
    EXPECT_TRUE(c.ok()) << c.status().to_string();
    return c.ok() ? c->id : 0;
  }

  StatusOr<GroupRecord> record(int64_t org, int64_t group) {
    return group_record(**db_, clock_, org, group, org == 1 ? actor_ : other_actor_);
  }

  FakeClock clock_{at("2026-06-15T10:00:00Z")};
  std::unique_ptr<store::TemporaryDatabase> db_;
  Actor actor_{1, "test"};
  Actor other_actor_{2, "test"};
  std::vector<int64_t> p_;
  int64_t older_ = 0, group_ = 0, a1_ = 0, a2_ = 0;
};

TEST_F(GroupRecordTest, GathersWhatTheRecordsSay) {
  auto r = record(1, group_);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->group_name, "Carers' *voice* [board]");
  EXPECT_EQ(r->purpose, "Shaping carers' support");
  EXPECT_EQ(r->activities_held, 3) << "the cancelled and the future meetings are not held";
  EXPECT_EQ(r->kinds, (std::map<std::string, int>{{"meeting", 2}, {"workshop", 1}}));
  EXPECT_EQ(r->first_held, "2026-02-10");
  EXPECT_EQ(r->last_held, "2026-04-10");
  EXPECT_EQ(r->minutes, 3360);

  EXPECT_EQ(r->lead_rungs.by_rung, (std::map<std::string, int>{{"co_design", 2}, {"co_production", 1}}));
  EXPECT_EQ(r->lead_rungs.most_common, "co_design");
  EXPECT_EQ(r->lead_rungs.highest, "co_production");
  // a2's two online ratings are too few to show; its paper one counts.
  EXPECT_EQ(r->member_rungs.by_rung, (std::map<std::string, int>{{"co_design", 2}, {"co_production", 2}}));
  EXPECT_EQ(r->member_rungs.total, 4);
  EXPECT_EQ(r->member_rungs.most_common, "co_design") << "a tie goes to the lower rung";
  EXPECT_EQ(r->member_rungs.highest, "co_production");

  EXPECT_EQ(r->actions_total, 6);
  EXPECT_EQ(r->actions_done, 5);
  ASSERT_EQ(r->examples.size(), 3u);
  EXPECT_EQ(r->examples[0].you_said, "The room was too cold");
  EXPECT_EQ(r->examples[1].we_did, "Papers now go out a week early & by post");
  EXPECT_EQ(r->examples[2].you_said, "Chairs with arms") << "the action naming Zed is left out";

  EXPECT_EQ(r->people_taken_part, 12);
  EXPECT_EQ(r->newcomers, 9) << "P1 to P3 took part in the older group first";
  EXPECT_EQ(r->lived_experience, 10);
  EXPECT_EQ(r->carers, 2);

  EXPECT_EQ(r->time_paid_pence, 45000);
  EXPECT_EQ(r->expenses_paid_pence, 1250) << "the older group's claim is not this group's";
  EXPECT_EQ(r->approved_unpaid_pence, 7900);
  EXPECT_EQ(r->people_paid, 6);

  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'group-record.read' AND subject_id = $1",
                  {std::to_string(group_)}),
            1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'familiar-voices.read' AND subject_id = $1",
                  {std::to_string(group_)}),
            1);
}

TEST_F(GroupRecordTest, ShowsTheMixOnlyWhereNobodyCanBePickedOut) {
  auto r = record(1, group_);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  const Mix& mix = r->mix;
  EXPECT_FALSE(mix.suppressed);
  EXPECT_EQ(mix.threshold, impact::kMinPeopleForBreakdown);
  ASSERT_EQ(mix.categories.size(), 3u);

  const MixCategory& ethnic = mix.categories[0];
  EXPECT_EQ(ethnic.code, "ethnic_group");
  EXPECT_EQ(ethnic.hidden, MixCategory::Hidden::kNo);
  EXPECT_EQ(ethnic.people_known, 12);
  ASSERT_EQ(ethnic.values.size(), 5u);
  // The benchmark's order, each value below ten places without a share.
  EXPECT_EQ(ethnic.values[1].code, "black");
  EXPECT_FALSE(ethnic.values[1].share.has_value()) << "one place: too few to show";
  EXPECT_FALSE(ethnic.values[0].share.has_value()) << "none is hidden the same way";
  EXPECT_EQ(ethnic.values[3].code, "white");
  ASSERT_TRUE(ethnic.values[3].share.has_value());
  EXPECT_NEAR(*ethnic.values[3].share, 32.0 / 33.0, 1e-9);
  EXPECT_NEAR(*ethnic.values[3].benchmark_share, 0.817, 1e-9);

  const MixCategory& sex = mix.categories[1];
  ASSERT_EQ(sex.values.size(), 2u);
  EXPECT_NEAR(*sex.values[0].share, 21.0 / 33.0, 1e-9);
  EXPECT_NEAR(*sex.values[1].share, 12.0 / 33.0, 1e-9);

  // Not disabled: 3 places; disabled would give it away.
  const MixCategory& disability = mix.categories[2];
  EXPECT_EQ(disability.hidden, MixCategory::Hidden::kOneSmallFigure);
  EXPECT_TRUE(disability.values.empty());
  EXPECT_EQ(disability.people_known, 0);
}

TEST_F(GroupRecordTest, DraftStatesTheFiguresInPlainEnglish) {
  auto r = record(1, group_);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  CaseStudyInput d = draft_from_record(*r);
  EXPECT_EQ(d.title, "Carers' *voice* [board]: what we did together");
  EXPECT_EQ(d.summary,
            "Carers' *voice* [board] held 3 activities between 10 February 2026 and 10 April 2026. 12 people took"
            " part, 9 of them for the first time. Members raised 6 things and 5 of them have been done.");
  EXPECT_EQ(d.setting, "local_authority");
  EXPECT_EQ(d.rung, "co_design");
  EXPECT_EQ(d.principles, std::vector<std::string>{"reciprocity"});
  EXPECT_EQ(d.people.lived_experience, 10);
  EXPECT_EQ(d.people.carers, 2);
  EXPECT_EQ(d.people.staff, 0);

  std::string who = section(d, "who");
  EXPECT_NE(who.find("12 people took part in the group's activities. For 9 of them it was the first time"),
            std::string::npos)
      << who;
  EXPECT_NE(who.find("- People with lived experience of care and support: 10\n"), std::string::npos) << who;
  EXPECT_NE(who.find("- Unpaid carers and family members: 2\n"), std::string::npos) << who;
  EXPECT_NE(who.find("- Female: 63.6% (England and Wales: 51.0%)"), std::string::npos) << who;
  EXPECT_NE(who.find("- White: 97.0% (England and Wales: 81.7%)"), std::string::npos) << who;
  EXPECT_NE(who.find("- Black, Black British, Black Welsh, Caribbean or African: fewer than 10 times"),
            std::string::npos)
      << who;
  EXPECT_NE(who.find("**Disability**: not shown"), std::string::npos) << who;
  EXPECT_EQ(who.find("Not disabled"), std::string::npos) << who;

  std::string together = section(d, "together");
  EXPECT_NE(together.find("The group held 3 activities between 10 February 2026 and 10 April 2026: 2 meetings and"
                          " 1 workshop. People gave 56 hours of their time."),
            std::string::npos)
      << together;
  EXPECT_NE(together.find("The lead rated the rung 3 activities reached: most often Co-design, and Co-production at"
                          " the highest."),
            std::string::npos)
      << together;
  EXPECT_NE(together.find("Members gave their own ratings 4 times: most often Co-design"), std::string::npos)
      << together;

  std::string changed = section(d, "changed");
  EXPECT_NE(changed.find("Members raised 6 things ('you said'), and 5 of them have been done ('we did')."),
            std::string::npos)
      << changed;
  EXPECT_NE(changed.find("- **You said:** The room was too cold\n\n  **We did:** We moved to the warmer room\n"),
            std::string::npos)
      << changed;

  EXPECT_EQ(section(d, "cost"),
            "People were paid \xC2\xA3"
            "450.00 for their time and \xC2\xA3"
            "12.50 for expenses such as travel,"
            " \xC2\xA3"
            "462.50 in all, paid to 6 people. A further \xC2\xA3"
            "79.00 has been approved and is waiting"
            " to be paid.\n");

  // The narrative is the lead's to write.
  EXPECT_EQ(section(d, "need"), "");
  EXPECT_EQ(section(d, "learned"), "");
  auto errors = validate(d);
  std::string fields;
  for (const auto& e : errors) fields += e.field + " ";
  EXPECT_EQ(fields, "story.need ");
}

TEST_F(GroupRecordTest, DraftNamesNobodyAndRecordsCannotAddMarkdown) {
  auto r = record(1, group_);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  CaseStudyInput d = draft_from_record(*r);
  std::string all = case_study_json(d).dump();
  for (const char* name : kNames) {
    std::string full = name;
    size_t space = full.find(' ');
    EXPECT_EQ(all.find(full.substr(0, space)), std::string::npos) << name;
    EXPECT_EQ(all.find(full.substr(space + 1)), std::string::npos) << name;
  }
  EXPECT_EQ(all.find("Quinn"), std::string::npos) << "an action's owner is not published";

  std::string html = learning::render_markdown(story_markdown(d), 0);
  EXPECT_EQ(html.find("<em>"), std::string::npos) << html;
  EXPECT_EQ(html.find("<a "), std::string::npos) << html;
  EXPECT_EQ(html.find("<b>"), std::string::npos) << html;
  EXPECT_EQ(html.find("<h1"), std::string::npos) << html;
  EXPECT_NE(html.find("Papers came *late* [see](javascript:alert(1)) # Shout &lt;b&gt;now&lt;/b&gt;"),
            std::string::npos)
      << html;
  EXPECT_NE(html.find("a week early &amp; by post"), std::string::npos) << html;
}

TEST_F(GroupRecordTest, AGroupOfAnotherOrganisationIsNotFound) {
  int64_t theirs = add_group(2, "Their group", {});
  EXPECT_EQ(record(1, theirs).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(record(2, group_).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(record(1, 999999).status().code(), StatusCode::kNotFound);
}

TEST_F(GroupRecordTest, ASmallGroupShowsNoMix) {
  int64_t small = add_group(1, "Small", {p_[6], p_[7], p_[8]});
  held(small, "co_design", "2026-05-20", "90", {{p_[6], "attended"}, {p_[7], "attended"}, {p_[8], "attended"}});
  auto r = record(1, small);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->people_taken_part, 3);
  EXPECT_EQ(r->newcomers, 0);
  EXPECT_TRUE(r->mix.suppressed);
  EXPECT_TRUE(r->mix.categories.empty());
  EXPECT_EQ(r->lead_rungs.total, 0);
  EXPECT_TRUE(r->examples.empty());
  CaseStudyInput d = draft_from_record(*r);
  std::string who = section(d, "who");
  EXPECT_NE(who.find("Fewer than 10 people took part, too few to show the mix"), std::string::npos) << who;
  EXPECT_EQ(who.find('%'), std::string::npos) << who;
  EXPECT_NE(section(d, "together").find("The group held 1 activity on 20 May 2026: 1 co-design session."),
            std::string::npos)
      << section(d, "together");
  EXPECT_EQ(d.rung, "");
  EXPECT_TRUE(d.principles.empty());
  EXPECT_EQ(section(d, "cost"),
            "No payments to people for their time or expenses for the group's activities have been made yet.\n");
  EXPECT_EQ(section(d, "changed"), "No 'you said, we did' actions have been recorded for the group yet.\n");
}

TEST_F(GroupRecordTest, AGroupThatHasDoneNothingYetStillDrafts) {
  int64_t idle = add_group(1, "Idle", {});
  auto r = record(1, idle);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->activities_held, 0);
  EXPECT_EQ(r->people_taken_part, 0);
  CaseStudyInput d = draft_from_record(*r);
  EXPECT_EQ(d.summary, "Idle has not held any activities yet.");
  EXPECT_EQ(section(d, "together"), "The group has not held any activities yet.\n");
}

// The wording on a record made by hand: ones, a local benchmark, expenses
// only, and a name too long for the title.
TEST(DraftFromRecord, SaysOnesLocalFiguresAndLongNamesProperly) {
  GroupRecord r;
  r.group_name = "Tiny";
  r.setting = "care_provider";
  r.activities_held = 1;
  r.kinds = {{"interview_panel", 1}};
  r.first_held = r.last_held = "2026-05-20";
  r.minutes = 45;
  r.people_taken_part = 1;
  r.lived_experience = 1;
  r.actions_total = 1;
  r.actions_done = 1;
  r.mix.suppressed = false;
  r.mix.local_benchmark = true;
  MixCategory sex;
  sex.code = "sex";
  sex.label = "Sex";
  sex.people_known = 12;
  sex.values = {{"female", "Female", 0.5, 0.51}, {"male", "Male", 0.5, std::nullopt}};
  r.mix.categories = {sex};
  r.expenses_paid_pence = 300;
  r.people_paid = 1;

  CaseStudyInput d = draft_from_record(r);
  EXPECT_EQ(d.summary,
            "Tiny held 1 activity on 20 May 2026. 1 person took part. Members raised 1 thing and 1 of them has been"
            " done.");
  EXPECT_EQ(d.setting, "") << "a care provider could be a care home or care at home: the lead chooses";
  std::string who = section(d, "who");
  EXPECT_NE(who.find("compare with the local population"), std::string::npos) << who;
  EXPECT_NE(who.find("- Female: 50.0% (locally: 51.0%)\n- Male: 50.0%\n"), std::string::npos) << who;
  EXPECT_NE(section(d, "together").find(": 1 interview panel. People gave 45 minutes of their time."),
            std::string::npos)
      << section(d, "together");
  EXPECT_NE(section(d, "together").find("The lead has not yet rated"), std::string::npos);
  EXPECT_EQ(section(d, "changed"), "Members raised 1 thing ('you said'), and 1 of them has been done ('we did').\n");
  EXPECT_EQ(section(d, "cost"),
            "People were paid \xC2\xA3"
            "3.00 for expenses such as travel, paid to 1 person.\n");
  EXPECT_EQ(d.principles, std::vector<std::string>{"reciprocity"});

  r.group_name = std::string(250, 'x');
  r.expenses_paid_pence = 0;
  r.approved_unpaid_pence = 1000;
  d = draft_from_record(r);
  EXPECT_EQ(utf8_length(d.title), 200u) << d.title;
  EXPECT_EQ(d.title.substr(d.title.size() - 22), ": what we did together");
  EXPECT_TRUE(d.principles.empty()) << "nothing paid yet";
  EXPECT_NE(section(d, "cost").find(" A \xC2\xA3"
                                    "10.00 has been approved and is waiting to be paid."),
            std::string::npos)
      << section(d, "cost");
  for (const auto& e : validate(d)) EXPECT_NE(e.field, "title") << e.message;
}

// publishable_mix on its own, from a representativeness worked out by hand.
TEST(PublishableMix, HidesSmallFiguresAndWhatWouldGiveThemAway) {
  impact::Representativeness rep;
  rep.people = 20;
  impact::CategoryRow sex{"sex", "Sex", false, 20, 40, 0, {}};
  // The dashboard's order: male (under-represented) first.
  sex.values = {{"male", "Male", "Male", 12, 0.3, 0.4896, {}, {}, ""},
                {"female", "Female", "Female", 28, 0.7, 0.5104, {}, {}, ""}};
  impact::CategoryRow disability{"disability", "Disability", true, 0, 0, 0, {}};
  impact::CategoryRow ethnic{"ethnic_group", "Ethnic group", false, 20, 40, 0, {}};
  ethnic.values = {{"white", "White", "White", 35, 0.875, 0.817, {}, {}, ""},
                   {"asian", "Asian, Asian British or Asian Welsh", "Asian", 5, 0.125, 0.093, {}, {}, ""}};
  rep.categories = {ethnic, sex, disability};

  Mix mix = publishable_mix(rep, true);
  EXPECT_FALSE(mix.suppressed);
  EXPECT_TRUE(mix.local_benchmark);
  ASSERT_EQ(mix.categories.size(), 3u);
  EXPECT_EQ(mix.categories[0].hidden, MixCategory::Hidden::kOneSmallFigure) << "white's share gives asian's away";
  EXPECT_TRUE(mix.categories[0].values.empty());
  ASSERT_EQ(mix.categories[1].values.size(), 2u);
  EXPECT_EQ(mix.categories[1].values[0].code, "female") << "the benchmark's order";
  EXPECT_EQ(mix.categories[1].values[0].share, 0.7);
  EXPECT_EQ(mix.categories[1].values[1].share, 0.3);
  EXPECT_EQ(mix.categories[2].hidden, MixCategory::Hidden::kTooFewAnswered);

  // The threshold is the project's: twelve male places are too few under a threshold of 13.
  Mix stricter = publishable_mix(rep, false, 13);
  EXPECT_EQ(stricter.categories[1].hidden, MixCategory::Hidden::kOneSmallFigure);
  rep.people = 9;
  EXPECT_TRUE(publishable_mix(rep, false).suppressed);
  EXPECT_TRUE(publishable_mix(rep, false).categories.empty());
}

}  // namespace
}  // namespace coproduce::library
