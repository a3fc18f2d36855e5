// The library's case studies as stored: an organisation's own (written,
// reviewed by a participant who took part, published, withdrawn) and those
// read from other organisations' feeds. Every change keeps the full-text
// index (library/search.h) in step, in the same transaction, and is audited.
//
// Status: draft -> in_review (a participant is asked to review the story)
// -> draft again when every review is answered -> published -> withdrawn.
// A draft may be published without a review; a case study cannot be
// published while a review is waiting. Published case studies can still be
// corrected (the feed's date_modified moves). Withdrawn is final: the feed
// keeps the item marked withdrawn, so readers remove it.
//
//   library::CaseStudies studies(db, clock);
//   auto id = studies.create(org, input, std::nullopt, actor);
//   studies.publish(org, *id, actor);
#ifndef COPRODUCE_LIBRARY_CASE_STUDIES_H_
#define COPRODUCE_LIBRARY_CASE_STUDIES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/status.h"
#include "core/vocabulary.h"
#include "library/case_study.h"
#include "store/database.h"

namespace coproduce::library {

struct CaseStudy {
  int64_t id = 0;
  int64_t organisation_id = 0;  // whose library it is in
  std::string status;           // statuses() code
  CaseStudyInput study;         // consents only for the organisation's own
  // For a case study read from a feed whose item had no structured story:
  // its sanitised HTML (sanitise.h), shown in place of the story.
  std::string content_html;
  std::optional<int64_t> group_id;  // the group it was drafted from
  // Read from a feed: the subscription, the feed's URL, the item's id and
  // page on the other site, and the organisation that published it.
  std::optional<int64_t> subscription_id;
  std::string feed_url, source_item_id, source_url;
  std::string organisation;  // the publishing organisation's name
  std::string created_at, updated_at, published_at, withdrawn_at;
  // Reviewers who approved the story and agreed to be named.
  std::vector<std::string> credited_reviewers;

  bool imported() const { return subscription_id.has_value(); }
};

// A participant's review of one case study's story.
struct Review {
  int64_t id = 0;
  int64_t case_study_id = 0;
  std::string case_study_title;
  int64_t person_id = 0;
  std::string person_name;   // for staff pages only; never published
  std::string note;          // what the lead asked
  std::string requested_at;
  std::string decision;      // "", "approved", "changes_requested"
  std::string comment;       // the reviewer's words
  bool credit = true;        // name them as a reviewer
  std::string credit_name;   // the name they chose to be credited by
  std::string decided_at;
};

// The answer a reviewer gives.
struct ReviewDecision {
  std::string decision;  // "approved" or "changes_requested"
  std::string comment;   // required when asking for changes; up to 2,000 characters
  bool credit = true;
  std::string credit_name;  // required when credit; up to 100 characters
};

// The API's JSON for a stored case study: case_study_json()'s keys (consent
// records only `with_consents`, for the organisation's staff) and id,
// status, organisation, source (null for the organisation's own, else the
// feed URL), source_url, group_id, reviewers (credited names),
// created_at, updated_at, published_at and withdrawn_at (null when not).
nlohmann::json api_json(const CaseStudy& study, bool with_consents);

// schema.org JSON-LD (an Article) describing the case study whose page is
// `page_url`, for search engines and other sites. Safe to place inside a
// <script type="application/ld+json"> element: "<" is written as \u003c.
std::string json_ld(const CaseStudy& study, const std::string& page_url);

// Every problem with `decision`, by field: decision, comment, credit_name.
std::vector<FieldError> validate(const ReviewDecision& decision);

// A case study read from another organisation's feed, ready to store.
struct ImportedItem {
  std::string item_id;    // the feed item's id
  std::string url;        // its page on the other site
  std::string organisation;
  CaseStudyInput study;   // no consents
  std::string content_html;  // already sanitised; "" when study.story is set
  std::string date_published, date_modified;
  std::vector<std::string> credited_reviewers;
};

// What importing a feed's items did.
struct ImportCounts {
  int added = 0, changed = 0, unchanged = 0, removed = 0;
};

class CaseStudies {
 public:
  // `db` and `clock` must outlive this. Thread-safe.
  CaseStudies(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // A new draft of the organisation's own. Invalid input gives
  // kInvalidInput naming the first field (see validate_draft(): a draft
  // may lack parts of the story); nothing stored.
  StatusOr<int64_t> create(int64_t organisation_id, const CaseStudyInput& study, std::optional<int64_t> group_id,
                           const Actor& actor);
  // One case study in the organisation's library (its own or read from a
  // feed), whatever its status. NotFound otherwise.
  StatusOr<CaseStudy> get(int64_t organisation_id, int64_t id);
  // Every case study of `organisation_id`'s own with `status` ("" for all),
  // newest change first. For the feed and for staff lists.
  StatusOr<std::vector<CaseStudy>> own(int64_t organisation_id, const std::string& status = "");
  // Replaces an own case study's fields. Not for withdrawn or imported ones
  // (kConflict), nor while a review is waiting.
  Status update(int64_t organisation_id, int64_t id, const CaseStudyInput& study, const Actor& actor);
  // draft -> published. kConflict, with the reason in words, from
  // any other status or while a review is waiting; kInvalidInput naming
  // the field when the story is not complete (validate()).
  Status publish(int64_t organisation_id, int64_t id, const Actor& actor);
  // published -> withdrawn.
  Status withdraw(int64_t organisation_id, int64_t id, const Actor& actor);

  // Asks the person (a participant in the organisation's pool) to review a
  // draft; the case study goes to in_review. `note` (up to 1,000
  // characters) says what the lead would like them to check.
  StatusOr<int64_t> request_review(int64_t organisation_id, int64_t id, int64_t person_id, const std::string& note,
                                   const Actor& actor);
  StatusOr<std::vector<Review>> reviews(int64_t organisation_id, int64_t case_study_id);
  // The reviews asked of one person, waiting ones first.
  StatusOr<std::vector<Review>> reviews_for_person(int64_t organisation_id, int64_t person_id);
  StatusOr<Review> review(int64_t organisation_id, int64_t review_id);
  // The person's answer. Only `person_id`'s own review, only once. When no
  // review of the case study is still waiting it goes back to draft.
  Status decide(int64_t organisation_id, int64_t review_id, int64_t person_id, const ReviewDecision& decision,
                const Actor& actor);

  // Brings the items read from one subscription into the organisation's
  // library, all or nothing, in one transaction on `c`: new items are
  // added as published, changed ones (date_modified or content differs)
  // replaced, and those listed in `withdrawn_ids` removed. Items a feed no
  // longer lists are kept: feeds may list only their newest items.
  StatusOr<ImportCounts> import_items(store::Connection& c, int64_t organisation_id, int64_t subscription_id,
                                      const std::vector<ImportedItem>& items,
                                      const std::vector<std::string>& withdrawn_ids);
  // Removes every case study read from the subscription (when it is deleted).
  Status remove_imported(store::Connection& c, int64_t subscription_id);

 private:
  store::Database& db_;
  const Clock& clock_;
};

}  // namespace coproduce::library

#endif  // COPRODUCE_LIBRARY_CASE_STUDIES_H_
