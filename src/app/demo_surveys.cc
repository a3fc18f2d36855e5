// The surveys part of `coproduce demo`: the built-in 'Understanding
// co-production' survey, open, with a few hundred made-up responses so its
// findings page has something to show.
#include "collection/surveys.h"
#include "collection/transfer.h"
#include "core/clock.h"
#include "store/database.h"
#include "survey/definition.h"
#include "survey/demo.h"

namespace coproduce::app {

// Loads the demo survey for `org` once; later runs leave it as it is.
Status load_demo_surveys(store::Database& db, const Clock& clock, int64_t org, int64_t admin_id) {
  collection::Surveys surveys(db, clock);
  auto existing = surveys.list(org);
  if (!existing.ok()) return existing.status();
  if (!existing->empty()) return Status::Ok();
  collection::Actor actor{admin_id, "demo"};
  const survey::Questionnaire& q = survey::coproduction_template();
  auto created = surveys.create(org, q, "", actor);
  if (!created.ok()) return created.status();
  auto imported = collection::import_csv(db, clock, *created, q, survey::demo_responses_csv(320, 2023),
                                         "demo responses", true, actor);
  if (!imported.ok()) return imported.status();
  if (!imported->problems.empty()) {
    return Internal("the demo responses did not import: " + imported->problems.front().message);
  }
  return surveys.set_status(org, created->id, collection::SurveyStatus::kOpen, actor);
}

}  // namespace coproduce::app
