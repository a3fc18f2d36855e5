#include "library/case_studies.h"

#include <algorithm>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/text.h"
#include "core/translatable.h"
#include "involvement/people.h"
#include "library/sanitise.h"
#include "library/search.h"

namespace coproduce::library {
namespace {

using store::Connection;
using store::Row;

constexpr const char* kColumns =
    "cs.id, cs.organisation_id, cs.status, cs.content, cs.content_html, cs.group_id, cs.subscription_id,"
    " COALESCE(s.url, ''), COALESCE(cs.source_item_id, ''), COALESCE(cs.source_url, ''),"
    " COALESCE(NULLIF(cs.source_organisation, ''), o.name), cs.created_at, cs.updated_at,"
    " COALESCE(cs.published_at, ''), COALESCE(cs.withdrawn_at, ''), cs.reviewers";
constexpr const char* kFrom =
    " FROM library_case_studies cs JOIN organisations o ON o.id = cs.organisation_id"
    " LEFT JOIN library_subscriptions s ON s.id = cs.subscription_id";

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(line);
  return out;
}

std::string joined_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

CaseStudy study_of(const Row& r) {
  CaseStudy c;
  c.id = r.integer(0);
  c.organisation_id = r.integer(1);
  c.status = r.text(2);
  std::vector<FieldError> ignored;
  c.study = case_study_from_json(nlohmann::json::parse(r.text(3), nullptr, false), &ignored);
  c.content_html = r.text(4);
  if (!r.is_null(5)) c.group_id = r.integer(5);
  if (!r.is_null(6)) c.subscription_id = r.integer(6);
  c.feed_url = r.text(7);
  c.source_item_id = r.text(8);
  c.source_url = r.text(9);
  c.organisation = r.text(10);
  c.created_at = r.text(11);
  c.updated_at = r.text(12);
  c.published_at = r.text(13);
  c.withdrawn_at = r.text(14);
  c.credited_reviewers = lines_of(r.text(15));
  return c;
}

// The study with its text fields trimmed, as stored.
CaseStudyInput tidied(const CaseStudyInput& in) {
  CaseStudyInput s = in;
  for (std::string* t : {&s.title, &s.summary, &s.setting, &s.area_of_care, &s.rung, &s.outcomes, &s.contact,
                         &s.easy_read})
    *t = trim_copy(*t);
  std::vector<Section> story;
  for (auto& part : s.story)
    if (!trim_copy(part.markdown).empty()) story.push_back({part.key, trim_copy(part.markdown)});
  s.story = std::move(story);
  return s;
}

Status write_principles(Connection& c, int64_t id, const std::vector<std::string>& principles) {
  if (auto r = c.execute("DELETE FROM library_case_study_principles WHERE case_study_id = $1", {id}); !r.ok())
    return r.status();
  std::vector<std::string> unique = principles;
  std::sort(unique.begin(), unique.end());
  unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
  for (const auto& p : unique)
    if (auto r = c.execute("INSERT INTO library_case_study_principles (case_study_id, principle) VALUES ($1, $2)",
                           {id, p});
        !r.ok())
      return r.status();
  return Status::Ok();
}

StatusOr<CaseStudy> get_on(Connection& c, int64_t org, int64_t id) {
  auto rows = c.query(std::string("SELECT ") + kColumns + kFrom + " WHERE cs.id = $1 AND cs.organisation_id = $2",
                      {id, org});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return NotFound("There is no case study " + std::to_string(id) + " in this library");
  CaseStudy found = study_of(rows->front());
  if (!found.imported()) {
    auto credits = c.query(
        "SELECT credit_name FROM library_reviews WHERE case_study_id = $1 AND decision = 'approved' AND credit = 1"
        " ORDER BY decided_at, id",
        {id});
    if (!credits.ok()) return credits.status();
    for (const auto& r : *credits) found.credited_reviewers.push_back(r.text(0));
  }
  return found;
}

StatusOr<int64_t> waiting_reviews(Connection& c, int64_t id) {
  auto row = c.query_one("SELECT COUNT(*) FROM library_reviews WHERE case_study_id = $1 AND decision = ''", {id});
  if (!row.ok()) return row.status();
  return row->integer(0);
}

// The own case study `id`, for a change: NotFound, or kConflict when it was
// read from a feed or is withdrawn.
StatusOr<CaseStudy> own_for_change(Connection& c, int64_t org, int64_t id) {
  auto found = get_on(c, org, id);
  if (!found.ok()) return found;
  if (found->imported())
    return Conflict("This case study comes from " + found->organisation + "'s feed; only they can change it");
  if (found->status == "withdrawn") return Conflict("This case study has been withdrawn and cannot be changed");
  return found;
}

Review review_of(const Row& r) {
  Review v;
  v.id = r.integer(0);
  v.case_study_id = r.integer(1);
  v.case_study_title = r.text(2);
  v.person_id = r.integer(3);
  v.person_name = r.text(4);
  v.note = r.text(5);
  v.requested_at = r.text(6);
  v.decision = r.text(7);
  v.comment = r.text(8);
  v.credit = r.integer(9) != 0;
  v.credit_name = r.text(10);
  v.decided_at = r.text(11);
  return v;
}

constexpr const char* kReviewSelect =
    "SELECT rv.id, rv.case_study_id, cs.title, rv.person_id, p.name, rv.note, rv.requested_at, rv.decision,"
    " rv.comment, rv.credit, rv.credit_name, COALESCE(rv.decided_at, '')"
    " FROM library_reviews rv JOIN library_case_studies cs ON cs.id = rv.case_study_id"
    " JOIN people p ON p.id = rv.person_id WHERE cs.organisation_id = $1";

// Keeps the search index in step. A case study read from a feed with no
// structured story is indexed by the text of its HTML.
Status reindex(Connection& c, int64_t id, const CaseStudyInput& s, const std::string& content_html) {
  std::string body = s.story.empty() && !content_html.empty() ? html_to_text(content_html) : story_text(s);
  return index_case_study(c, id, s.title, s.summary, body);
}

// Deletes one case study read from a feed, with its principles and its place in search.
Status remove_one(Connection& c, int64_t id) {
  for (const char* sql : {"DELETE FROM library_case_study_principles WHERE case_study_id = $1",
                          "DELETE FROM library_case_studies WHERE id = $1"})
    if (auto d = c.execute(sql, {id}); !d.ok()) return d.status();
  return unindex_case_study(c, id);
}

nlohmann::json or_null(const std::string& text) { return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text); }

}  // namespace

nlohmann::json api_json(const CaseStudy& c, bool with_consents) {
  nlohmann::json j = case_study_json(c.study);
  if (!with_consents) j.erase("consents");
  j["id"] = c.id;
  j["status"] = c.status;
  j["organisation"] = c.organisation;
  j["source"] = c.imported() ? nlohmann::json(c.feed_url) : nlohmann::json(nullptr);
  j["source_url"] = or_null(c.source_url);
  j["group_id"] = c.group_id ? nlohmann::json(*c.group_id) : nlohmann::json(nullptr);
  j["reviewers"] = c.credited_reviewers;
  if (!c.content_html.empty()) j["content_html"] = c.content_html;
  j["created_at"] = c.created_at;
  j["updated_at"] = c.updated_at;
  j["published_at"] = or_null(c.published_at);
  j["withdrawn_at"] = or_null(c.withdrawn_at);
  return j;
}

std::string json_ld(const CaseStudy& c, const std::string& page_url) {
  nlohmann::json j = {{"@context", "https://schema.org"},
                      {"@type", "Article"},
                      {"headline", c.study.title},
                      {"description", c.study.summary},
                      {"url", page_url},
                      {"publisher", {{"@type", "Organization"}, {"name", c.organisation}}},
                      {"author", {{"@type", "Organization"}, {"name", c.organisation}}},
                      {"keywords", tags_for(c.study)},
                      {"inLanguage", "en-GB"}};
  if (!c.published_at.empty()) j["datePublished"] = c.published_at;
  if (!c.updated_at.empty()) j["dateModified"] = c.updated_at;
  if (!c.study.area_of_care.empty()) j["about"] = c.study.area_of_care;
  if (!c.credited_reviewers.empty()) {
    nlohmann::json people = nlohmann::json::array();
    for (const auto& name : c.credited_reviewers) people.push_back({{"@type", "Person"}, {"name", name}});
    j["contributor"] = people;
  }
  if (c.imported() && !c.source_url.empty()) j["isBasedOn"] = c.source_url;
  std::string text = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string out;
  for (char ch : text) {
    if (ch == '<') out += "\\u003c";
    else out += ch;
  }
  return out;
}

std::vector<FieldError> validate(const ReviewDecision& d) {
  std::vector<FieldError> out;
  if (d.decision != "approved" && d.decision != "changes_requested")
    out.push_back({"decision", N_("Choose whether the story is right or needs changes"),
                   d.decision.empty() ? Problem::kMissing : Problem::kUnknownCode});
  if (d.decision == "changes_requested" && trim_copy(d.comment).empty())
    out.push_back({"comment", N_("Say what needs to change"), Problem::kMissing});
  if (utf8_length(d.comment) > 2000)
    out.push_back({"comment", N_("Keep what you say to 2,000 characters or fewer"), Problem::kTooLong});
  if (d.credit && trim_copy(d.credit_name).empty())
    out.push_back({"credit_name", N_("Enter the name to thank you by, or choose not to be named"), Problem::kMissing});
  if (utf8_length(d.credit_name) > 100)
    out.push_back({"credit_name", N_("Keep the name to 100 characters or fewer"), Problem::kTooLong});
  return out;
}

StatusOr<int64_t> CaseStudies::create(int64_t org, const CaseStudyInput& raw, std::optional<int64_t> group_id,
                                      const Actor& actor) {
  CaseStudyInput s = tidied(raw);
  if (Status st = involvement::first_problem(validate_draft(s)); !st.ok()) return st;
  return store::in_write_transaction(db_, [&](Connection& c) -> StatusOr<int64_t> {
    if (group_id) {
      auto g = c.query("SELECT id FROM groups WHERE id = $1 AND organisation_id = $2", {*group_id, org});
      if (!g.ok()) return g.status();
      if (g->empty()) return NotFound("There is no group " + std::to_string(*group_id));
    }
    std::string now = format_timestamp(clock_.now());
    auto row = c.query_one(
        "INSERT INTO library_case_studies (organisation_id, status, title, summary, setting, rung, area_of_care,"
        " content, group_id, created_by, created_at, updated_at)"
        " VALUES ($1, 'draft', $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
        {org, s.title, s.summary, s.setting, s.rung, s.area_of_care, case_study_json(s).dump(), group_id,
         actor.user_id, now});
    if (!row.ok()) return row.status();
    int64_t id = row->integer(0);
    if (Status st = write_principles(c, id, s.principles); !st.ok()) return st;
    if (Status st = reindex(c, id, s, ""); !st.ok()) return st;
    if (Status st = involvement::record_action(c, clock_, org, actor, "case_study.create", "case_study", id);
        !st.ok())
      return st;
    return id;
  });
}

StatusOr<CaseStudy> CaseStudies::get(int64_t org, int64_t id) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  return get_on(**c, org, id);
}

StatusOr<std::vector<CaseStudy>> CaseStudies::own(int64_t org, const std::string& status) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  auto rows = (*c)->query(std::string("SELECT ") + kColumns + kFrom +
                              " WHERE cs.organisation_id = $1 AND cs.subscription_id IS NULL"
                              " AND ($2 = '' OR cs.status = $2) ORDER BY cs.updated_at DESC, cs.id DESC",
                          {org, status});
  if (!rows.ok()) return rows.status();
  // Reviewer credits for all of them in one read.
  auto credits = (*c)->query(
      "SELECT rv.case_study_id, rv.credit_name FROM library_reviews rv"
      " JOIN library_case_studies cs ON cs.id = rv.case_study_id"
      " WHERE cs.organisation_id = $1 AND rv.decision = 'approved' AND rv.credit = 1 ORDER BY rv.decided_at, rv.id",
      {org});
  if (!credits.ok()) return credits.status();
  std::vector<CaseStudy> out;
  for (const auto& r : *rows) out.push_back(study_of(r));
  for (const auto& r : *credits)
    for (auto& s : out)
      if (s.id == r.integer(0)) s.credited_reviewers.push_back(r.text(1));
  return out;
}

Status CaseStudies::update(int64_t org, int64_t id, const CaseStudyInput& raw, const Actor& actor) {
  CaseStudyInput s = tidied(raw);
  if (Status st = involvement::first_problem(validate_draft(s)); !st.ok()) return st;
  return store::in_write_transaction(db_, [&](Connection& c) -> Status {
    auto found = own_for_change(c, org, id);
    if (!found.ok()) return found.status();
    auto waiting = waiting_reviews(c, id);
    if (!waiting.ok()) return waiting.status();
    if (*waiting > 0) return Conflict("This story is waiting for a review; change it when the review is back");
    auto r = c.execute(
        "UPDATE library_case_studies SET title = $1, summary = $2, setting = $3, rung = $4, area_of_care = $5,"
        " content = $6, updated_at = $7 WHERE id = $8",
        {s.title, s.summary, s.setting, s.rung, s.area_of_care, case_study_json(s).dump(),
         format_timestamp(clock_.now()), id});
    if (!r.ok()) return r.status();
    if (Status st = write_principles(c, id, s.principles); !st.ok()) return st;
    if (Status st = reindex(c, id, s, ""); !st.ok()) return st;
    return involvement::record_action(c, clock_, org, actor, "case_study.update", "case_study", id);
  });
}

Status CaseStudies::publish(int64_t org, int64_t id, const Actor& actor) {
  return store::in_write_transaction(db_, [&](Connection& c) -> Status {
    auto found = own_for_change(c, org, id);
    if (!found.ok()) return found.status();
    if (found->status == "published") return Conflict("This case study is already published");
    if (found->status == "in_review")
      return Conflict("This story is waiting for a review; publish it when the review is back");
    // A draft may lack parts of the story; a published case study may not.
    if (Status st = involvement::first_problem(validate(found->study)); !st.ok()) return st;
    if (found->study.images.size() > 0 && found->study.consents.empty())
      return Conflict("Record the consent of everyone pictured before publishing");
    std::string now = format_timestamp(clock_.now());
    auto r = c.execute(
        "UPDATE library_case_studies SET status = 'published', published_at = COALESCE(published_at, $1),"
        " updated_at = $1 WHERE id = $2",
        {now, id});
    if (!r.ok()) return r.status();
    if (Status st = case_study_changed(c, id); !st.ok()) return st;
    return involvement::record_action(c, clock_, org, actor, "case_study.publish", "case_study", id);
  });
}

Status CaseStudies::withdraw(int64_t org, int64_t id, const Actor& actor) {
  return store::in_write_transaction(db_, [&](Connection& c) -> Status {
    auto found = own_for_change(c, org, id);
    if (!found.ok()) return found.status();
    if (found->status != "published") return Conflict("Only a published case study can be withdrawn");
    std::string now = format_timestamp(clock_.now());
    auto r = c.execute(
        "UPDATE library_case_studies SET status = 'withdrawn', withdrawn_at = $1, updated_at = $1 WHERE id = $2",
        {now, id});
    if (!r.ok()) return r.status();
    if (Status st = unindex_case_study(c, id); !st.ok()) return st;
    return involvement::record_action(c, clock_, org, actor, "case_study.withdraw", "case_study", id);
  });
}

StatusOr<int64_t> CaseStudies::request_review(int64_t org, int64_t id, int64_t person_id, const std::string& note,
                                              const Actor& actor) {
  std::string tidy_note = trim_copy(note);
  if (utf8_length(tidy_note) > 1000)
    return InvalidInput("Keep the note to 1,000 characters or fewer", Location{"", 0, 0, "note"});
  return store::in_write_transaction(db_, [&](Connection& c) -> StatusOr<int64_t> {
    auto found = own_for_change(c, org, id);
    if (!found.ok()) return found.status();
    if (found->status == "published") return Conflict("This case study is already published");
    auto person = c.query("SELECT id FROM people WHERE id = $1 AND organisation_id = $2 AND erased_at IS NULL",
                          {person_id, org});
    if (!person.ok()) return person.status();
    if (person->empty()) return InvalidInput("Choose a person from the pool", Location{"", 0, 0, "person_id"});
    auto open = c.query("SELECT id FROM library_reviews WHERE case_study_id = $1 AND person_id = $2 AND decision = ''",
                        {id, person_id});
    if (!open.ok()) return open.status();
    if (!open->empty()) return Conflict("This person has already been asked and has not answered yet");
    std::string now = format_timestamp(clock_.now());
    auto row = c.query_one(
        "INSERT INTO library_reviews (case_study_id, person_id, requested_by, requested_at, note)"
        " VALUES ($1, $2, $3, $4, $5) RETURNING id",
        {id, person_id, actor.user_id, now, tidy_note});
    if (!row.ok()) return row.status();
    auto r = c.execute("UPDATE library_case_studies SET status = 'in_review' WHERE id = $1", {id});
    if (!r.ok()) return r.status();
    if (Status st = case_study_changed(c, id); !st.ok()) return st;
    if (Status st = involvement::record_action(c, clock_, org, actor, "case_study.request_review", "case_study", id);
        !st.ok())
      return st;
    return row->integer(0);
  });
}

StatusOr<std::vector<Review>> CaseStudies::reviews(int64_t org, int64_t case_study_id) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  auto rows = (*c)->query(std::string(kReviewSelect) + " AND rv.case_study_id = $2 ORDER BY rv.requested_at, rv.id",
                          {org, case_study_id});
  if (!rows.ok()) return rows.status();
  std::vector<Review> out;
  for (const auto& r : *rows) out.push_back(review_of(r));
  return out;
}

StatusOr<std::vector<Review>> CaseStudies::reviews_for_person(int64_t org, int64_t person_id) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  auto rows = (*c)->query(std::string(kReviewSelect) +
                              " AND rv.person_id = $2 AND cs.status <> 'withdrawn'"
                              " ORDER BY CASE WHEN rv.decision = '' THEN 0 ELSE 1 END, rv.requested_at DESC, rv.id",
                          {org, person_id});
  if (!rows.ok()) return rows.status();
  std::vector<Review> out;
  for (const auto& r : *rows) out.push_back(review_of(r));
  return out;
}

StatusOr<Review> CaseStudies::review(int64_t org, int64_t review_id) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  auto rows = (*c)->query(std::string(kReviewSelect) + " AND rv.id = $2", {org, review_id});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return NotFound("There is no review " + std::to_string(review_id));
  return review_of(rows->front());
}

Status CaseStudies::decide(int64_t org, int64_t review_id, int64_t person_id, const ReviewDecision& raw,
                           const Actor& actor) {
  ReviewDecision d = raw;
  d.comment = trim_copy(d.comment);
  d.credit_name = d.credit ? trim_copy(d.credit_name) : "";
  if (Status st = involvement::first_problem(validate(d)); !st.ok()) return st;
  return store::in_write_transaction(db_, [&](Connection& c) -> Status {
    auto rows = c.query(std::string(kReviewSelect) + " AND rv.id = $2", {org, review_id});
    if (!rows.ok()) return rows.status();
    if (rows->empty() || review_of(rows->front()).person_id != person_id)
      return NotFound("There is no review " + std::to_string(review_id) + " for you");
    Review found = review_of(rows->front());
    if (!found.decision.empty()) return Conflict("You have already answered this review. Thank you.");
    auto r = c.execute(
        "UPDATE library_reviews SET decision = $1, comment = $2, credit = $3, credit_name = $4, decided_at = $5"
        " WHERE id = $6",
        {d.decision, d.comment, d.credit ? 1 : 0, d.credit_name, format_timestamp(clock_.now()), review_id});
    if (!r.ok()) return r.status();
    auto waiting = waiting_reviews(c, found.case_study_id);
    if (!waiting.ok()) return waiting.status();
    if (*waiting == 0) {
      auto back = c.execute(
          "UPDATE library_case_studies SET status = 'draft' WHERE id = $1 AND status = 'in_review'",
          {found.case_study_id});
      if (!back.ok()) return back.status();
      if (Status st = case_study_changed(c, found.case_study_id); !st.ok()) return st;
    }
    return involvement::record_action(c, clock_, org, actor, "case_study.review." + d.decision, "case_study",
                                      found.case_study_id);
  });
}

StatusOr<ImportCounts> CaseStudies::import_items(Connection& c, int64_t org, int64_t subscription_id,
                                                 const std::vector<ImportedItem>& items,
                                                 const std::vector<std::string>& withdrawn_ids) {
  ImportCounts counts;
  std::string now = format_timestamp(clock_.now());
  for (const auto& item : items) {
    std::string content = case_study_json(item.study).dump();
    std::string reviewers = joined_lines(item.credited_reviewers);
    std::string modified = item.date_modified.empty() ? item.date_published : item.date_modified;
    auto existing = c.query(
        "SELECT id, content, content_html, updated_at, source_url, source_organisation, reviewers"
        " FROM library_case_studies WHERE subscription_id = $1 AND source_item_id = $2",
        {subscription_id, item.item_id});
    if (!existing.ok()) return existing.status();
    int64_t id = 0;
    if (existing->empty()) {
      auto row = c.query_one(
          "INSERT INTO library_case_studies (organisation_id, status, title, summary, setting, rung, area_of_care,"
          " content, content_html, subscription_id, source_item_id, source_url, source_organisation, reviewers,"
          " created_at, updated_at, published_at)"
          " VALUES ($1, 'published', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)"
          " RETURNING id",
          {org, item.study.title, item.study.summary, item.study.setting, item.study.rung, item.study.area_of_care,
           content, item.content_html, subscription_id, item.item_id, item.url, item.organisation, reviewers, now,
           modified.empty() ? now : modified, item.date_published.empty() ? now : item.date_published});
      if (!row.ok()) return row.status();
      id = row->integer(0);
      ++counts.added;
    } else {
      const Row& old = existing->front();
      id = old.integer(0);
      if (old.text(1) == content && old.text(2) == item.content_html && old.text(3) == modified &&
          old.text(4) == item.url && old.text(5) == item.organisation && old.text(6) == reviewers) {
        ++counts.unchanged;
        continue;
      }
      auto r = c.execute(
          "UPDATE library_case_studies SET title = $1, summary = $2, setting = $3, rung = $4, area_of_care = $5,"
          " content = $6, content_html = $7, source_url = $8, source_organisation = $9, reviewers = $10,"
          " updated_at = $11 WHERE id = $12",
          {item.study.title, item.study.summary, item.study.setting, item.study.rung, item.study.area_of_care,
           content, item.content_html, item.url, item.organisation, reviewers, modified.empty() ? now : modified,
           id});
      if (!r.ok()) return r.status();
      ++counts.changed;
    }
    if (Status st = write_principles(c, id, item.study.principles); !st.ok()) return st;
    if (Status st = reindex(c, id, item.study, item.content_html); !st.ok()) return st;
  }
  for (const auto& gone : withdrawn_ids) {
    auto rows = c.query("SELECT id FROM library_case_studies WHERE subscription_id = $1 AND source_item_id = $2",
                        {subscription_id, gone});
    if (!rows.ok()) return rows.status();
    for (const auto& r : *rows) {
      if (Status st = remove_one(c, r.integer(0)); !st.ok()) return st;
      ++counts.removed;
    }
  }
  return counts;
}

Status CaseStudies::remove_imported(Connection& c, int64_t subscription_id) {
  auto rows = c.query("SELECT id FROM library_case_studies WHERE subscription_id = $1", {subscription_id});
  if (!rows.ok()) return rows.status();
  for (const auto& r : *rows)
    if (Status st = remove_one(c, r.integer(0)); !st.ok()) return st;
  return Status::Ok();
}

}  // namespace coproduce::library
