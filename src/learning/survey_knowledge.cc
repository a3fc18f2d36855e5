#include "learning/survey_knowledge.h"

#include "collection/surveys.h"
#include "collection/transfer.h"
#include "survey/analysis.h"
#include "survey/suppression.h"

namespace coproduce::learning {

StatusOr<std::optional<SurveyKnowledge>> survey_knowledge(store::Database& db, const Clock& clock, int64_t org,
                                                          const Actor& actor) {
  auto list = collection::Surveys(db, clock).list(org);
  if (!list.ok()) return list.status();
  for (const auto& s : *list) {  // newest first
    if (s.completes == 0) continue;
    auto q = collection::questionnaire_of(s);
    if (!q.ok() || !q->find("knowledge") || !q->find("role")) continue;
    auto responses = collection::load_for_analysis(db, clock, s, *q, actor);
    if (!responses.ok()) return responses.status();
    survey::AnalysisOptions options;
    options.crosstabs = {"knowledge:role"};
    options.threads = 1;
    auto a = survey::analyse(*q, *responses, options);
    if (!a.ok()) return a.status();
    auto policy = survey::make_suppression("nhs");
    if (!policy.ok()) return policy.status();
    SurveyKnowledge out{s.id, s.title, {}, (*policy)->explanation()};
    for (const auto& t : a->crosstabs) {
      if (t.spec != "knowledge:role" || t.tables.empty()) continue;
      const survey::CrossTable& table = t.tables[0];
      for (size_t c = 0; c < table.col_options.size(); ++c) {
        long base = 0, count = 0;
        for (size_t r = 0; r < table.row_options.size(); ++r) {
          base += table.counts[r][c];
          if (table.row_options[r] == "some" || table.row_options[r] == "in_depth") count += table.counts[r][c];
        }
        if (base == 0) continue;
        out.rows.push_back({table.col_options[c], (*policy)->share(count, base), (*policy)->count(count).text,
                            (*policy)->count(base).text});
      }
    }
    return std::optional<SurveyKnowledge>(std::move(out));
  }
  return std::optional<SurveyKnowledge>();
}

}  // namespace coproduce::learning
