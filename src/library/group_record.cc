#include "library/group_record.h"

#include <algorithm>
#include <set>
#include <string_view>
#include <utility>

#include "activities/activities.h"
#include "core/dates.h"
#include "core/text.h"
#include "impact/benchmark.h"
#include "impact/familiar_voices.h"
#include "involvement/groups.h"
#include "payments/money.h"
#include "security/audit.h"

namespace coproduce::library {
namespace {

constexpr size_t kMaxTitle = 200;         // case_study.cc's limit on the title
constexpr size_t kMaxExampleChars = 300;  // an example longer than this is cut short

// ---- Rungs ---------------------------------------------------------------

// The position of `code` on the ladder, lowest first; -1 when unknown.
int rung_position(const std::string& code) {
  const auto& rungs = involvement::ladder_rungs();
  for (size_t i = 0; i < rungs.size(); ++i)
    if (rungs[i].first == code) return static_cast<int>(i);
  return -1;
}

void add_rung(RungCounts& counts, const std::string& code, int n) {
  if (n <= 0 || rung_position(code) < 0) return;
  counts.by_rung[code] += n;
  counts.total += n;
}

// Fills most_common and highest from by_rung.
void summarise(RungCounts& counts) {
  int best = 0;
  for (const auto& [code, rung_label] : involvement::ladder_rungs()) {
    auto it = counts.by_rung.find(code);
    if (it == counts.by_rung.end() || it->second == 0) continue;
    // Lowest first, so a tie keeps the lower rung.
    if (it->second > best) {
      best = it->second;
      counts.most_common = code;
    }
    counts.highest = code;
  }
}

// ---- Names ---------------------------------------------------------------

// The words of `text`, lower-cased: runs of ASCII letters and digits and of
// any non-ASCII bytes (so "José" is one word), split at everything else.
std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  for (char ch : text) {
    auto u = static_cast<unsigned char>(ch);
    bool part = u >= 0x80 || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
    if (part) {
      word += (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch - 'A' + 'a') : ch;
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

bool mentions_any(const std::string& text, const std::set<std::string>& name_words) {
  for (const auto& w : words_of(text))
    if (name_words.count(w)) return true;
  return false;
}

// ---- Text ----------------------------------------------------------------

// `text` on one line: every run of spaces, tabs and line breaks becomes one
// space, and the ends are trimmed.
std::string one_line(std::string_view text) {
  std::string out;
  bool space = false;
  for (char ch : text) {
    if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += ch;
  }
  return out;
}

// `text` cut to at most `max` characters at a word break, with an ellipsis.
std::string shortened(const std::string& text, size_t max) {
  if (utf8_length(text) <= max) return text;
  size_t chars = 0, cut = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;  // inside a character
    if (chars == max - 1) {
      cut = i;
      break;
    }
    ++chars;
  }
  size_t space = text.rfind(' ', cut);
  if (space != std::string::npos && space > cut / 2) cut = space;
  return text.substr(0, cut) + "\xE2\x80\xA6";  // …
}

// Text from the records, safe inside a line of Markdown: on one line (so it
// cannot start a heading, list or code block) with every character that
// could open emphasis, a link, an image, code, HTML or an entity escaped.
std::string markdown_text(std::string_view text) {
  std::string out;
  for (char ch : one_line(text)) {
    if (std::string_view("\\`*_[]<>&!#|~").find(ch) != std::string_view::npos) out += '\\';
    out += ch;
  }
  return out;
}

// "1 meeting", "3 meetings".
std::string count_of(int64_t n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string lower_first(std::string text) {
  if (!text.empty() && text[0] >= 'A' && text[0] <= 'Z') text[0] = static_cast<char>(text[0] - 'A' + 'a');
  return text;
}

// "a, b and c".
std::string listed(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? " and " : ", ";
    out += items[i];
  }
  return out;
}

// "between 10 February 2026 and 10 April 2026", or "on 10 February 2026".
std::string when(const GroupRecord& r) {
  if (r.first_held == r.last_held) return "on " + long_date(r.first_held);
  return "between " + long_date(r.first_held) + " and " + long_date(r.last_held);
}

std::string hours_given(int64_t minutes) {
  if (minutes < 60) return count_of(minutes, "minute", "minutes");
  int64_t hours = (minutes + 30) / 60;
  return (minutes % 60 == 0 ? "" : "about ") + count_of(hours, "hour", "hours");
}

// The setting of the library's vocabulary a group's setting matches; empty
// for a care provider, which could be a care home or care at home.
std::string library_setting(const std::string& group_setting) {
  if (group_setting == "nhs") return "nhs";
  if (group_setting == "council") return "local_authority";
  if (group_setting == "voluntary") return "voluntary_community";
  if (group_setting == "other") return "other";
  return "";
}

// ---- The parts of the story ----------------------------------------------

std::string who_section(const GroupRecord& r) {
  if (r.people_taken_part == 0) return "Nobody's attendance at the group's activities has been recorded yet.\n";
  std::string out = count_of(r.people_taken_part, "person", "people") + " took part in the group's activities";
  if (r.newcomers > 0) {
    out += ". For " + std::to_string(r.newcomers) +
           " of them it was the first time they had taken part in anything with us";
  }
  out += ".\n\n";
  out += "- People with lived experience of care and support: " + std::to_string(r.lived_experience) + "\n";
  out += "- Unpaid carers and family members: " + std::to_string(r.carers) + "\n\n";

  const Mix& mix = r.mix;
  std::string small = std::to_string(mix.threshold);
  if (mix.suppressed) {
    out += "Fewer than " + small +
           " people took part, too few to show the mix of people without risk of identifying someone.\n";
    return out;
  }
  // Named in full once, then briefly beside each figure.
  std::string benchmark = mix.local_benchmark ? "locally" : "England and Wales";
  out += "How the people who took part compare with " +
         std::string(mix.local_benchmark ? "the local population" : "England and Wales at the 2021 Census") +
         ", counting each time someone took part. Figures for fewer than " + small +
         " attendances are not shown, so nobody can be picked out.\n";
  for (const auto& cat : mix.categories) {
    out += "\n";
    switch (cat.hidden) {
      case MixCategory::Hidden::kTooFewAnswered:
        out += "**" + cat.label + "**: fewer than " + small + " people answered, too few to show.\n";
        continue;
      case MixCategory::Hidden::kOneSmallFigure:
        out += "**" + cat.label +
               "**: not shown, because one figure is too small to show and the others would give it away.\n";
        continue;
      case MixCategory::Hidden::kNo:
        break;
    }
    out += "**" + cat.label + "** (" + count_of(cat.people_known, "person", "people") + " answered):\n\n";
    for (const auto& v : cat.values) {
      out += "- " + v.label + ": ";
      out += v.share ? impact::percent(*v.share) : "fewer than " + small + " times";
      out += v.benchmark_share ? " (" + benchmark + ": " + impact::percent(*v.benchmark_share) + ")" : "";
      out += "\n";
    }
  }
  return out;
}

std::string together_section(const GroupRecord& r) {
  if (r.activities_held == 0) return "The group has not held any activities yet.\n";
  std::string out = "The group held " + count_of(r.activities_held, "activity", "activities") + " " + when(r);
  std::vector<std::string> kinds;
  for (const auto& [code, kind_label] : activities::activity_kinds()) {
    auto it = r.kinds.find(code);
    if (it == r.kinds.end()) continue;
    std::string name = lower_first(kind_label);
    kinds.push_back(count_of(it->second, name, name + "s"));
  }
  if (!kinds.empty()) out += ": " + listed(kinds);
  out += ".";
  if (r.minutes > 0) out += " People gave " + hours_given(r.minutes) + " of their time.";
  out += "\n\n";

  if (!r.ladder_aim.empty()) {
    out += "On the ladder of co-production, the group aims for " + involvement::rung_label(r.ladder_aim) + ". ";
  }
  auto rated = [](const RungCounts& c) {
    std::string s = "most often " + involvement::rung_label(c.most_common);
    if (c.highest != c.most_common) s += ", and " + involvement::rung_label(c.highest) + " at the highest";
    return s;
  };
  if (r.lead_rungs.total > 0) {
    out += "The lead rated the rung " + count_of(r.lead_rungs.total, "activity", "activities") +
           " reached: " + rated(r.lead_rungs) + ".";
  } else {
    out += "The lead has not yet rated the rung the activities reached.";
  }
  if (r.member_rungs.total > 0) {
    out += " Members gave their own ratings " + count_of(r.member_rungs.total, "time", "times") + ": " +
           rated(r.member_rungs) + ".";
  } else {
    out += " No ratings by members themselves can be shown yet.";
  }
  out += "\n";
  return out;
}

std::string changed_section(const GroupRecord& r) {
  if (r.actions_total == 0) return "No 'you said, we did' actions have been recorded for the group yet.\n";
  std::string out = "Members raised " + count_of(r.actions_total, "thing", "things") + " ('you said'), and " +
                    std::to_string(r.actions_done) + " of them " + (r.actions_done == 1 ? "has" : "have") +
                    " been done ('we did').\n";
  if (!r.examples.empty()) {
    out += "\n" + std::string(r.examples.size() == 1 ? "An example" : "Some examples") + ":\n";
    for (const auto& e : r.examples) {
      out += "\n- **You said:** " + markdown_text(shortened(one_line(e.you_said), kMaxExampleChars)) + "\n\n";
      out += "  **We did:** " + markdown_text(shortened(one_line(e.we_did), kMaxExampleChars)) + "\n";
    }
  }
  return out;
}

std::string cost_section(const GroupRecord& r) {
  int64_t paid = r.time_paid_pence + r.expenses_paid_pence;
  std::string out;
  if (paid == 0) {
    out = "No payments to people for their time or expenses for the group's activities have been made yet.";
  } else {
    std::vector<std::string> parts;
    if (r.time_paid_pence > 0) parts.push_back(payments::format_pounds(r.time_paid_pence) + " for their time");
    if (r.expenses_paid_pence > 0) {
      parts.push_back(payments::format_pounds(r.expenses_paid_pence) + " for expenses such as travel");
    }
    out = "People were paid " + listed(parts);
    if (parts.size() > 1) out += ", " + payments::format_pounds(paid) + " in all";
    out += ", paid to " + count_of(r.people_paid, "person", "people") + ".";
  }
  if (r.approved_unpaid_pence > 0) {
    out += std::string(" A") + (paid > 0 ? " further " : " ") + payments::format_pounds(r.approved_unpaid_pence) +
           " has been approved and is waiting to be paid.";
  }
  return out + "\n";
}

}  // namespace

Mix publishable_mix(const impact::Representativeness& rep, bool local_benchmark, int64_t threshold) {
  Mix mix;
  mix.threshold = threshold;
  mix.local_benchmark = local_benchmark;
  mix.suppressed = rep.suppressed || rep.people < threshold;
  if (mix.suppressed) return mix;
  for (const auto& row : rep.categories) {
    MixCategory cat;
    cat.code = row.category;
    cat.label = row.label;
    if (row.suppressed || row.people_known < threshold) {
      cat.hidden = MixCategory::Hidden::kTooFewAnswered;
      mix.categories.push_back(std::move(cat));
      continue;
    }
    cat.people_known = row.people_known;
    // The benchmark's order: the dashboard's (most under-represented
    // first) would place a hidden value among the others.
    std::vector<const impact::ValueRow*> ordered;
    if (const impact::BenchmarkCategory* known = impact::find_category(row.category)) {
      for (const auto& v : known->values) {
        for (const auto& value : row.values)
          if (value.value == v.code) ordered.push_back(&value);
      }
    }
    for (const auto& value : row.values)
      if (std::find(ordered.begin(), ordered.end(), &value) == ordered.end()) ordered.push_back(&value);
    int small = 0;
    for (const auto* value : ordered) {
      MixValue v{value->value, value->label, std::nullopt, value->benchmark_share};
      if (value->places >= threshold) {
        v.share = value->share;
      } else {
        ++small;
      }
      cat.values.push_back(std::move(v));
    }
    if (small == 1 && cat.values.size() > 1) {
      cat.hidden = MixCategory::Hidden::kOneSmallFigure;
      cat.people_known = 0;
      cat.values.clear();
    }
    mix.categories.push_back(std::move(cat));
  }
  return mix;
}

StatusOr<GroupRecord> group_record(store::Database& db, const Clock& clock, int64_t org, int64_t group_id,
                                   const Actor& actor) {
  auto group = involvement::Groups(db, clock).get(org, group_id);
  if (!group.ok()) return group.status();
  GroupRecord r;
  r.group_id = group->id;
  r.group_name = group->name;
  r.purpose = group->purpose;
  r.setting = group->setting;
  r.ladder_aim = group->ladder_aim;

  activities::Activities acts(db, clock);
  auto list = acts.list(org, group_id);
  if (!list.ok()) return list.status();
  for (const auto& a : *list) {
    if (a.status != "held") continue;
    ++r.activities_held;
    ++r.kinds[a.kind];
    std::string day = a.starts_at.substr(0, 10);
    if (r.first_held.empty() || day < r.first_held) r.first_held = day;
    if (day > r.last_held) r.last_held = day;
    add_rung(r.lead_rungs, a.lead_rung, 1);
    auto ratings = acts.ratings(org, a.id);
    if (!ratings.ok()) return ratings.status();
    if (ratings->member_total >= activities::kRatingsShownFrom) {
      for (const auto& [code, n] : ratings->members) add_rung(r.member_rungs, code, n);
    }
    for (const auto& [code, n] : ratings->paper) add_rung(r.member_rungs, code, n);
  }
  summarise(r.lead_rungs);
  summarise(r.member_rungs);

  if (r.activities_held > 0) {
    // Every month the group held anything in, so every one of its places
    // counts; the earlier history still decides who was new.
    impact::FamiliarVoices voices(db, clock);
    auto report = voices.report(org, impact::whole_months({r.first_held, r.last_held}), group_id, actor);
    if (!report.ok()) return report.status();
    r.people_taken_part = report->people;
    r.newcomers = report->newcomer_places;
    r.minutes = report->minutes;
    r.mix = publishable_mix(report->representativeness, report->benchmark.local);
  }

  std::set<std::string> name_words;
  Status read = store::in_write_transaction(db, [&](store::Connection& c) -> Status {
    const char* attended =
        "SELECT DISTINCT p.id, p.lived_experience FROM activity_invitations i"
        " JOIN activities a ON a.id = i.activity_id JOIN people p ON p.id = i.person_id"
        " WHERE a.organisation_id = $1 AND a.group_id = $2 AND a.status <> 'cancelled'"
        " AND i.attendance = 'attended'";
    auto people = c.query(attended, {org, group_id});
    if (!people.ok()) return people.status();
    for (const auto& row : *people) {
      std::vector<std::string> said = split_codes(row.text(1));
      auto has = [&](const char* code) { return std::find(said.begin(), said.end(), code) != said.end(); };
      bool carer = (has("unpaid_carer") || has("family_member")) && !has("draws_on_care");
      ++(carer ? r.carers : r.lived_experience);
    }

    auto names = c.query(
        "SELECT p.name FROM people p WHERE p.organisation_id = $1 AND ("
        " p.id IN (SELECT m.person_id FROM group_members m WHERE m.group_id = $2)"
        " OR p.id IN (SELECT i.person_id FROM activity_invitations i JOIN activities a ON a.id = i.activity_id"
        " WHERE a.group_id = $2))"
        " UNION ALL SELECT u.name FROM users u WHERE u.organisation_id = $1",
        {org, group_id});
    if (!names.ok()) return names.status();
    for (const auto& row : *names) {
      for (auto& w : words_of(row.text(0)))
        if (utf8_length(w) >= 2) name_words.insert(std::move(w));
    }

    // Money for the group's activities by status: payments for time, then
    // expense claims (a claim for no activity belongs to no group).
    const char* group_activity =
        " JOIN activities a ON a.id = x.activity_id WHERE a.organisation_id = $1"
        " AND a.group_id = $2 AND x.status IN ('approved', 'paid') GROUP BY x.status";
    for (const char* table : {"payments", "expense_claims"}) {
      auto sums =
          c.query(std::string("SELECT x.status, COALESCE(SUM(x.pence), 0) FROM ") + table + " x" + group_activity,
                  {org, group_id});
      if (!sums.ok()) return sums.status();
      for (const auto& row : *sums) {
        int64_t pence = row.integer(1);
        if (row.text(0) != "paid")
          r.approved_unpaid_pence += pence;
        else if (std::string_view(table) == "payments")
          r.time_paid_pence += pence;
        else
          r.expenses_paid_pence += pence;
      }
    }
    auto paid = c.query(
        "SELECT COUNT(DISTINCT paid.person_id) FROM ("
        " SELECT x.person_id FROM payments x JOIN activities a ON a.id = x.activity_id"
        " WHERE a.organisation_id = $1 AND a.group_id = $2 AND x.status = 'paid'"
        " UNION SELECT x.person_id FROM expense_claims x JOIN activities a ON a.id = x.activity_id"
        " WHERE a.organisation_id = $1 AND a.group_id = $2 AND x.status = 'paid') paid",
        {org, group_id});
    if (!paid.ok()) return paid.status();
    r.people_paid = paid->empty() ? 0 : paid->front().integer(0);

    return security::record_audit(
        c, clock, {org, actor.user_id, "group-record.read", "group", std::to_string(group_id), actor.address});
  });
  if (!read.ok()) return read;

  auto actions = acts.group_actions(org, group_id);
  if (!actions.ok()) return actions.status();
  for (const auto& a : *actions) {
    ++r.actions_total;
    if (a.status != "done") continue;
    ++r.actions_done;
    if (r.examples.size() >= kMaxExamples || trim_copy(a.we_did).empty()) continue;
    if (mentions_any(a.you_said, name_words) || mentions_any(a.we_did, name_words)) continue;
    r.examples.push_back({a.you_said, a.we_did});
  }
  return r;
}

CaseStudyInput draft_from_record(const GroupRecord& r) {
  CaseStudyInput s;
  // Plain text, not Markdown: the title and summary are shown escaped.
  std::string name = one_line(r.group_name);
  const std::string title_tail = ": what we did together";
  s.title = shortened(name, kMaxTitle - title_tail.size()) + title_tail;

  if (r.activities_held == 0) {
    s.summary = name + " has not held any activities yet.";
  } else {
    s.summary = name + " held " + count_of(r.activities_held, "activity", "activities") + " " + when(r) + ". " +
                count_of(r.people_taken_part, "person", "people") + " took part";
    if (r.newcomers > 0) s.summary += ", " + std::to_string(r.newcomers) + " of them for the first time";
    s.summary += ".";
    if (r.actions_total > 0) {
      s.summary += " Members raised " + count_of(r.actions_total, "thing", "things") + " and " +
                   std::to_string(r.actions_done) + " of them " + (r.actions_done == 1 ? "has" : "have") +
                   " been done.";
    }
  }
  // A long name could take the summary past its limit (600 characters).
  s.summary = shortened(s.summary, 600);

  s.story = {{"who", who_section(r)},
             {"together", together_section(r)},
             {"changed", changed_section(r)},
             {"cost", cost_section(r)}};
  s.setting = library_setting(r.setting);
  s.rung = r.lead_rungs.most_common;
  if (r.time_paid_pence + r.expenses_paid_pence > 0) s.principles = {"reciprocity"};
  s.people.lived_experience = static_cast<int>(r.lived_experience);
  s.people.carers = static_cast<int>(r.carers);
  // Attendance is recorded for people in the pool only; staff are users and
  // their part in activities is not recorded, so the lead adds them.
  s.people.staff = 0;
  return s;
}

}  // namespace coproduce::library
