#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "collection/flow.h"
#include "collection/responses.h"
#include "collection/surveys.h"
#include "collection/test_store.h"
#include "collection/transfer.h"
#include "core/csv.h"
#include "security/crypto.h"
#include "store/migrations.h"
#include "survey/definition.h"
#include "survey/demo.h"

namespace coproduce::collection {
namespace {

namespace fs = std::filesystem;
using std::chrono::hours;

TimePoint at(const char* stamp) {
  TimePoint t;
  EXPECT_TRUE(parse_timestamp(stamp, &t)) << stamp;
  return t;
}

Answers answers(std::initializer_list<std::pair<const char*, std::vector<std::string>>> list) {
  Answers out;
  for (const auto& [code, values] : list) out[code].values = values;
  return out;
}

class CollectionTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    surveys_ = std::make_unique<Surveys>(*db_, clock_);
    responses_ = std::make_unique<SurveyResponses>(*db_, clock_);
  }
  void TearDown() override {
    surveys_.reset();
    responses_.reset();
    StoreTest::TearDown();
  }
  int64_t count(const std::string& sql) { return conn_->query_one(sql)->integer(0); }

  Survey open_template(bool anonymous = true, std::optional<int64_t> cap = std::nullopt) {
    auto s = surveys_->create(1, survey::coproduction_template(), "", actor_);
    EXPECT_TRUE(s.ok()) << s.status().to_string();
    Settings settings;
    settings.anonymous = anonymous;
    settings.response_cap = cap;
    EXPECT_TRUE(surveys_->update_settings(1, s->id, settings, actor_).ok());
    EXPECT_TRUE(surveys_->set_status(1, s->id, SurveyStatus::kOpen, actor_).ok());
    return *surveys_->get(1, s->id);
  }

  FakeClock clock_{at("2026-03-01T09:00:00Z")};
  std::unique_ptr<Surveys> surveys_;
  std::unique_ptr<SurveyResponses> responses_;
  Actor actor_{1, "127.0.0.1"};
};

TEST(Availability, FollowsStatusDatesAndCap) {
  Survey s;
  TimePoint now = at("2026-03-10T12:00:00Z");
  EXPECT_EQ(availability(s, now, 0), Availability::kDraft);
  s.status = SurveyStatus::kOpen;
  EXPECT_EQ(availability(s, now, 0), Availability::kOpen);
  s.opens_at = "2026-03-11T00:00:00Z";
  EXPECT_EQ(availability(s, now, 0), Availability::kNotYetOpen);
  s.opens_at = "2026-03-01T00:00:00Z";
  s.closes_at = "2026-03-10T12:00:00Z";
  EXPECT_EQ(availability(s, now, 0), Availability::kClosed);
  s.closes_at.reset();
  s.response_cap = 3;
  EXPECT_EQ(availability(s, now, 2), Availability::kOpen);
  EXPECT_EQ(availability(s, now, 3), Availability::kFull);
  s.status = SurveyStatus::kClosed;
  EXPECT_EQ(availability(s, now, 0), Availability::kClosed);
}

TEST(Settings, NameTheFieldOfEachMistake) {
  Settings s;
  s.opens_at = "2026-03-10T00:00:00Z";
  s.closes_at = "2026-03-09T00:00:00Z";
  s.response_cap = 0;
  auto problems = validate(s);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].field, "closes");
  EXPECT_EQ(problems[1].field, "cap");
  s.opens_at = "tomorrow";
  EXPECT_EQ(validate(s)[0].field, "opens");
}

TEST(Slug, IsMadeFromTheTitle) {
  EXPECT_EQ(slug_from_title("Understanding co-production"), "understanding-co-production");
  EXPECT_EQ(slug_from_title("  Carers' views, 2026!  "), "carers-views-2026");
  EXPECT_EQ(slug_from_title("???"), "survey");
}

TEST(ResumeCode, IsSixteenUnambiguousLettersAndForgivesHowItIsTyped) {
  std::string code = make_resume_code();
  ASSERT_EQ(code.size(), 19u);
  for (size_t i = 0; i < code.size(); ++i) {
    if (i % 5 == 4) {
      EXPECT_EQ(code[i], '-');
    } else {
      EXPECT_TRUE(code[i] >= 'A' && code[i] <= 'Z' && code[i] != 'I' && code[i] != 'O') << code;
    }
  }
  EXPECT_NE(make_resume_code(), code);
  EXPECT_EQ(normalise_resume_code("abcd efgh-jkLM  npqr"), "ABCDEFGHJKLMNPQR");
}

TEST(Flow, ConditionsSkipPagesAndAnswersLeftBehind) {
  const auto& q = survey::coproduction_template();
  Answers lived = answers({{"group", {"lived_experience"}}});
  EXPECT_EQ(visible_pages(q, lived), (std::vector<int>{1, 3, 4, 6, 7}));
  Answers work = answers({{"group", {"workforce"}}, {"role", {"direct_care"}}});
  EXPECT_EQ(visible_pages(q, work), (std::vector<int>{1, 2, 3, 5, 6, 7}));
  // Changing group to carer drops the role answer given as a worker.
  work["group"].values = {"carer"};
  Answers sent = shown_answers(q, work);
  EXPECT_EQ(sent.count("role"), 0u);
  EXPECT_EQ(sent.count("group"), 1u);
}

TEST(Flow, ChecksEveryShownQuestionOnAPage) {
  const auto& q = survey::coproduction_template();
  auto problems = check_page(q, 1, {});
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].code, "group");
  EXPECT_EQ(problems[0].message, "Select an answer: which of these describes you best");
  EXPECT_EQ(first_page_with_problem(q, answers({{"group", {"workforce"}}})), 2);
  EXPECT_EQ(first_page_with_problem(q, answers({{"group", {"carer"}}})), 0);
}

// Hours and a rate, the pay worked out from them, an age band worked out
// from age (which a later question reads), and centres filtered by region.
survey::Questionnaire worked_out() {
  auto q = survey::parse_definition(R"j({"id": "w", "title": "W", "questions": [
      {"code": "hours", "type": "number", "page": 1, "text": "Hours"},
      {"code": "rate", "type": "number", "page": 1, "text": "Rate"},
      {"code": "owed", "type": "number", "page": 1, "text": "Owed", "calculation": "${hours} * ${rate}"},
      {"code": "age", "type": "number", "page": 2, "text": "Age"},
      {"code": "band", "type": "single", "page": 2, "text": "Band", "options": ["older", "younger"],
       "calculation": "if(${age} >= 65, 'older', 'younger')"},
      {"code": "pension", "type": "yes_no", "page": 3, "text": "Do you get a pension?", "show_if": "band = 'older'"},
      {"code": "region", "type": "single", "page": 4, "text": "Region", "options": ["north", "south"]},
      {"code": "place", "type": "multiple", "page": 5, "text": "Centres", "choice_filter": "region = ${region}",
       "options": [{"code": "leeds", "columns": {"region": "north"}},
                   {"code": "online", "columns": [{"region": "north"}, {"region": "south"}]},
                   {"code": "bristol", "columns": {"region": "south"}}]}]})j", "w.json");
  EXPECT_TRUE(q.ok()) << q.status().to_string();
  return q.ok() ? *q : survey::Questionnaire{};
}

TEST(Flow, WorkedOutAnswersAreSentAndReadByLaterConditions) {
  const survey::Questionnaire q = worked_out();
  Answers a = answers({{"hours", {"7.5"}}, {"rate", {"12"}}, {"age", {"70"}}});
  Answers sent = shown_answers(q, a);
  ASSERT_EQ(sent.count("owed"), 1u);
  EXPECT_EQ(sent["owed"].values, std::vector<std::string>{"90"});
  EXPECT_EQ(sent["band"].values, std::vector<std::string>{"older"});
  // Never asked: a worked-out question is on no page...
  for (int page = 1; page <= q.pages; ++page) {
    for (size_t i : page_questions(q, page, a)) EXPECT_FALSE(q.questions[i].calculated()) << q.questions[i].code;
  }
  // ...but the pension question shows because the band worked out as older.
  EXPECT_EQ(visible_pages(q, a), (std::vector<int>{1, 2, 3, 4, 5}));
  a["age"].values = {"40"};
  EXPECT_EQ(visible_pages(q, a), (std::vector<int>{1, 2, 4, 5}));
  // Nothing to work out from gives no answer, rather than a wrong one.
  Answers none = shown_answers(q, answers({{"rate", {"12"}}}));
  EXPECT_EQ(none.count("owed"), 0u);
  // A typed-in value for a worked-out question is replaced by the worked-out one.
  Answers forged = answers({{"hours", {"1"}}, {"rate", {"2"}}, {"owed", {"1000"}}});
  EXPECT_EQ(shown_answers(q, forged)["owed"].values, std::vector<std::string>{"2"});
}

TEST(Flow, AChoiceFilterOffersOnlyTheOptionsThatFit) {
  const survey::Questionnaire q = worked_out();
  const size_t place = *q.find("place");
  EXPECT_EQ(offered_options(q, place, answers({{"region", {"north"}}})), (std::vector<size_t>{0, 1}));
  EXPECT_EQ(offered_options(q, place, answers({{"region", {"south"}}})), (std::vector<size_t>{1, 2}));
  EXPECT_TRUE(offered_options(q, place, {}).empty());
  // An option the page did not offer is refused with the list's own message.
  auto problems = check_page(q, 5, answers({{"region", {"south"}}, {"place", {"leeds"}}}));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].code, "place");
  EXPECT_EQ(problems[0].message, "Select options from the list");
  EXPECT_TRUE(check_page(q, 5, answers({{"region", {"south"}}, {"place", {"online", "bristol"}}})).empty());
  // Changing the region lets go of the centres it no longer offers.
  Answers moved = shown_answers(q, answers({{"region", {"south"}}, {"place", {"leeds", "online"}}}));
  EXPECT_EQ(moved["place"].values, std::vector<std::string>{"online"});
}

TEST_F(CollectionTest, SurveysGetUniqueAddressesAndStayInTheirOrganisation) {
  auto a = surveys_->create(1, survey::coproduction_template(), "", actor_);
  auto b = surveys_->create(1, survey::coproduction_template(), "", actor_);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->slug, "understanding-co-production");
  EXPECT_NE(b->slug, a->slug);
  EXPECT_EQ(a->title, "Understanding co-production");
  EXPECT_EQ(a->status, SurveyStatus::kDraft);
  EXPECT_EQ(surveys_->get(2, a->id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(surveys_->list(1)->size(), 2u);
  EXPECT_TRUE(surveys_->list(2)->empty());
  // The stored definition reads back as the same questionnaire.
  auto q = questionnaire_of(*a);
  ASSERT_TRUE(q.ok()) << q.status().to_string();
  EXPECT_EQ(q->questions.size(), survey::coproduction_template().questions.size());
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'survey.create'"), 2);
}

TEST_F(CollectionTest, TakingASurveyKeepsOnlyDigestsAndNoAccountWhenAnonymous) {
  Survey s = open_template(true);
  auto started = responses_->start(s, 1);
  ASSERT_TRUE(started.ok()) << started.status().to_string();
  ASSERT_TRUE(responses_->save(s.id, started->token, answers({{"group", {"carer"}}}), 3).ok());
  auto code = responses_->make_resume_code(s.id, started->token);
  ASSERT_TRUE(code.ok());
  EXPECT_EQ(count("SELECT COUNT(*) FROM survey_responses WHERE user_id IS NOT NULL"), 0);
  auto row = conn_->query_one("SELECT session_hash || resume_hash || answers FROM survey_responses");
  EXPECT_EQ(row->text(0).find(started->token), std::string::npos);
  EXPECT_EQ(row->text(0).find(normalise_resume_code(*code)), std::string::npos);

  // The code opens the answers again; the old session token stops working.
  auto token = responses_->resume(s.id, "  " + *code + " ");
  ASSERT_TRUE(token.ok());
  EXPECT_FALSE(*responses_->load(s.id, started->token));
  auto loaded = *responses_->load(s.id, *token);
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->answers.at("group").values, std::vector<std::string>{"carer"});
  EXPECT_EQ(loaded->last_page, 3);
  EXPECT_EQ(responses_->resume(s.id, "AAAA-BBBB-CCCC-DDDD").status().code(), StatusCode::kNotFound);

  ASSERT_TRUE(responses_->submit(s, *token, loaded->answers, 7).ok());
  EXPECT_EQ(responses_->submit(s, *token, loaded->answers, 7).code(), StatusCode::kConflict);
  // A sent response cannot be resumed.
  EXPECT_EQ(responses_->resume(s.id, *code).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(*responses_->counts(s.id), std::make_pair(int64_t{1}, int64_t{1}));
}

TEST_F(CollectionTest, NamedSurveysLinkTheAccountAndCannotBecomeAnonymousAfterAnswers) {
  Survey s = open_template(false);
  ASSERT_TRUE(responses_->start(s, 1).ok());
  EXPECT_EQ(count("SELECT COUNT(*) FROM survey_responses WHERE user_id = 1"), 1);
  Survey anon = open_template(true);
  ASSERT_TRUE(responses_->start(anon, 1).ok());
  Settings named;
  named.anonymous = false;
  Status st = surveys_->update_settings(1, anon.id, named, actor_);
  EXPECT_EQ(st.code(), StatusCode::kInvalidInput);
  EXPECT_EQ(st.where().field, "anonymous");
}

TEST_F(CollectionTest, TheCapAndTheDatesStopNewResponses) {
  Survey s = open_template(true, 1);
  auto first = responses_->start(s, std::nullopt);
  auto second = responses_->start(s, std::nullopt);
  ASSERT_TRUE(first.ok() && second.ok());
  ASSERT_TRUE(responses_->submit(s, first->token, answers({{"group", {"carer"}}}), 7).ok());
  // The cap is reached: the second person cannot send and nobody can start.
  EXPECT_EQ(responses_->submit(s, second->token, answers({{"group", {"carer"}}}), 7).code(), StatusCode::kConflict);
  auto third = responses_->start(s, std::nullopt);
  EXPECT_EQ(third.status().code(), StatusCode::kConflict);
  EXPECT_EQ(third.status().message(), "This survey has had all the responses it needs, so it has closed.");

  Survey dated = open_template();
  Settings closing;
  closing.closes_at = "2026-03-01T08:00:00Z";
  ASSERT_TRUE(surveys_->update_settings(1, dated.id, closing, actor_).ok());
  EXPECT_EQ(responses_->start(dated, std::nullopt).status().message(), "This survey has closed.");
}

// What counts is the survey as stored when the answers arrive, not as it
// was when the page was read: staff closing it or lowering its cap a moment
// before stops the response.
TEST_F(CollectionTest, ASurveyClosedOrCappedAMomentAgoTakesNoMoreAnswers) {
  Survey s = open_template();
  auto started = responses_->start(s, std::nullopt);
  ASSERT_TRUE(started.ok());
  ASSERT_TRUE(surveys_->set_status(1, s.id, SurveyStatus::kClosed, actor_).ok());
  Status sent = responses_->submit(s, started->token, answers({{"group", {"carer"}}}), 7);
  EXPECT_EQ(sent.code(), StatusCode::kConflict);
  EXPECT_EQ(sent.message(), "This survey has closed.");
  EXPECT_EQ(responses_->start(s, std::nullopt).status().message(), "This survey has closed.");

  Survey capped = open_template();
  auto a = responses_->start(capped, std::nullopt);
  auto b = responses_->start(capped, std::nullopt);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE(responses_->submit(capped, a->token, answers({{"group", {"carer"}}}), 7).ok());
  Settings one;
  one.response_cap = 1;
  ASSERT_TRUE(surveys_->update_settings(1, capped.id, one, actor_).ok());
  EXPECT_EQ(responses_->submit(capped, b->token, answers({{"group", {"carer"}}}), 7).code(), StatusCode::kConflict);
}

TEST_F(CollectionTest, ExportHasTheAnalysisLayoutAndReadsBackForAnalysis) {
  Survey s = open_template();
  auto started = responses_->start(s, std::nullopt);
  Answers a = answers({{"group", {"workforce"}}, {"role", {"supervisor"}}, {"barriers", {"time", "other"}}});
  a["barriers"].other_text = "Rotas, mostly";
  ASSERT_TRUE(responses_->submit(s, started->token, a, 7).ok());
  auto text = export_csv(*db_, clock_, s, actor_, "survey.responses.export");
  ASSERT_TRUE(text.ok());
  auto table = csv::parse(*text);
  ASSERT_TRUE(table.ok());
  EXPECT_EQ(table->header, survey::response_columns(survey::coproduction_template()));
  ASSERT_EQ(table->rows.size(), 1u);
  auto field = [&](const char* name) { return table->rows[0].fields[*table->column(name)]; };
  EXPECT_EQ(field("barriers[time]"), "1");
  EXPECT_EQ(field("barriers[cost]"), "");
  EXPECT_EQ(field("barriers_other"), "Rotas, mostly");
  EXPECT_EQ(field("role"), "supervisor");
  EXPECT_EQ(field("submitted_at"), "2026-03-01T09:00:00Z");
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'survey.responses.export'"), 1);

  auto parsed = load_for_analysis(*db_, clock_, s, survey::coproduction_template(), actor_);
  ASSERT_TRUE(parsed.ok()) << parsed.status().to_string();
  EXPECT_EQ(parsed->rows, 1u);
  EXPECT_EQ(parsed->complete[0], 1);
}

TEST_F(CollectionTest, ImportIsAllOrNothingWithEveryProblemByLineAndColumn) {
  Survey s = open_template();
  const auto& q = survey::coproduction_template();
  std::string good = survey::demo_responses_csv(40, 3);
  auto summary = import_csv(*db_, clock_, s, q, good, "good.csv", true, actor_);
  ASSERT_TRUE(summary.ok());
  EXPECT_TRUE(summary->problems.empty()) << summary->problems[0].message;
  EXPECT_EQ(summary->rows, 40);
  EXPECT_EQ(count("SELECT COUNT(*) FROM survey_responses"), 40);

  // A new id but a page that does not exist: reported where it is.
  auto table = csv::parse(good);
  ASSERT_TRUE(table.ok());
  auto join = [](const std::vector<std::string>& fields) {
    std::string line;
    for (const auto& f : fields) line += (line.empty() ? "" : ",") + csv::quote(f);
    return line + "\n";
  };
  std::vector<std::string> fields = table->rows[0].fields;
  fields[0] = "new-1";
  fields[3] = "9";
  std::string broken = join(table->header) + join(fields);
  auto checked = import_csv(*db_, clock_, s, q, broken, "broken.csv", true, actor_);
  ASSERT_TRUE(checked.ok());
  ASSERT_FALSE(checked->problems.empty());
  EXPECT_EQ(checked->problems[0].where.line, 2);
  EXPECT_EQ(checked->problems[0].where.column, 4);
  EXPECT_NE(checked->problems[0].message.find("last_page"), std::string::npos);
  auto again = import_csv(*db_, clock_, s, q, good, "good.csv", true, actor_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->problems.size(), 40u);
  EXPECT_EQ(again->problems[0].where.column, 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM survey_responses"), 40);

  auto header_only = import_csv(*db_, clock_, s, q, "id,started_at\n", "short.csv", true, actor_);
  ASSERT_TRUE(header_only.ok());
  ASSERT_EQ(header_only->problems.size(), 1u);
  EXPECT_EQ(header_only->problems[0].where.file, "short.csv");
}

TEST(Upload, ReadsDefinitionsAndLeavesASeamForSpreadsheets) {
  auto q = questionnaire_from_upload(survey::coproduction_template_json(), "mine.json");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->id, "coproduction");
  auto bad = questionnaire_from_upload("{\"format\": ", "broken.json");
  EXPECT_EQ(bad.status().where().file, "broken.json");
  auto xlsx = questionnaire_from_upload("PK..", "form.xlsx");
  EXPECT_EQ(xlsx.status().code(), StatusCode::kInvalidInput);
}

}  // namespace
}  // namespace coproduce::collection
