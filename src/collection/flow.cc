#include "collection/flow.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

namespace coproduce::collection {
namespace {

using survey::Question;
using survey::QuestionType;
using survey::Questionnaire;

// One person's answers in the shape Expression::evaluate() reads.
struct AnswerView {
  const Questionnaire& q;
  const Answers& answers;

  const survey::RawAnswer* find(int index) const {
    auto it = answers.find(q.questions[static_cast<size_t>(index)].code);
    return it == answers.end() ? nullptr : &it->second;
  }
  int choice(int index) const {
    const auto* a = find(index);
    if (!a || a->values.empty()) return -1;
    return q.questions[static_cast<size_t>(index)].option_index(a->values.front());
  }
  std::uint64_t multiple(int index) const {
    const auto* a = find(index);
    std::uint64_t bits = 0;
    if (!a) return bits;
    const Question& question = q.questions[static_cast<size_t>(index)];
    for (const auto& v : a->values) {
      int o = question.option_index(v);
      if (o >= 0 && o < 64) bits |= std::uint64_t{1} << o;
    }
    return bits;
  }
  double number(int index) const {
    const auto* a = find(index);
    if (!a || a->values.empty()) return std::numeric_limits<double>::quiet_NaN();
    const std::string& s = a->values.front();
    double x = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), x);
    if (ec != std::errc() || p != s.data() + s.size()) return std::numeric_limits<double>::quiet_NaN();
    return x;
  }
  bool answered(int index) const {
    const auto* a = find(index);
    if (!a) return false;
    for (const auto& v : a->values) {
      if (!v.empty()) return true;
    }
    return false;
  }
};

// Where a calculation reads its values: the answers so far and, for a
// choice filter, the option's columns.
survey::Calculation::Source source_for(const Questionnaire& q, const Answers& answers,
                                       const survey::Option* option = nullptr,
                                       const survey::ChoiceColumns* columns = nullptr,
                                       const Question* filtered = nullptr) {
  survey::Calculation::Source src;
  src.answer = [&q, &answers](int index) {
    auto it = answers.find(q.questions[static_cast<size_t>(index)].code);
    std::string out;
    if (it == answers.end()) return out;
    for (const std::string& v : it->second.values) {
      if (v.empty()) continue;
      out += (out.empty() ? "" : " ") + v;
    }
    return out;
  };
  if (option) {
    src.choice_column = [option, columns, filtered](int index) {
      const std::string& name = filtered->choice_column_names[static_cast<size_t>(index)];
      if (name == "name") return option->code;
      if (!columns) return std::string();
      auto it = columns->find(name);
      return it == columns->end() ? std::string() : it->second;
    };
  }
  return src;
}

bool option_offered(const Questionnaire& q, const Question& question, const survey::Option& option,
                    const Answers& answers) {
  if (question.filter.empty()) return true;
  if (option.columns.empty()) return question.filter.holds(source_for(q, answers, &option, nullptr, &question));
  for (const survey::ChoiceColumns& row : option.columns) {
    if (question.filter.holds(source_for(q, answers, &option, &row, &question))) return true;
  }
  return false;
}

}  // namespace

std::vector<size_t> offered_options(const Questionnaire& q, size_t index, const Answers& answers) {
  const Question& question = q.questions[index];
  const Answers clean = question.filter.empty() ? Answers{} : shown_answers(q, answers);
  std::vector<size_t> out;
  for (size_t o = 0; o < question.options.size(); ++o) {
    if (option_offered(q, question, question.options[o], clean)) out.push_back(o);
  }
  return out;
}

bool question_shown(const Questionnaire& q, size_t index, const Answers& answers) {
  return q.questions[index].condition.evaluate(AnswerView{q, answers});
}

std::vector<size_t> page_questions(const Questionnaire& q, int page, const Answers& answers) {
  // Conditions read the answers of shown questions only, so an answer left
  // behind on a page that is now skipped cannot show a later question.
  const Answers clean = shown_answers(q, answers);
  std::vector<size_t> out;
  for (size_t i = 0; i < q.questions.size(); ++i) {
    if (q.questions[i].page == page && !q.questions[i].calculated() && question_shown(q, i, clean)) out.push_back(i);
  }
  return out;
}

std::vector<int> visible_pages(const Questionnaire& q, const Answers& answers) {
  const Answers clean = shown_answers(q, answers);
  std::vector<int> out;
  for (int page = 1; page <= q.pages; ++page) {
    for (size_t i = 0; i < q.questions.size(); ++i) {
      if (q.questions[i].page == page && !q.questions[i].calculated() && question_shown(q, i, clean)) {
        out.push_back(page);
        break;
      }
    }
  }
  return out;
}

std::vector<AnswerProblem> check_page(const Questionnaire& q, int page, const Answers& answers,
                                      std::string_view language) {
  std::vector<AnswerProblem> out;
  static const survey::RawAnswer kEmpty;
  for (size_t i : page_questions(q, page, answers)) {
    const Question& question = q.questions[i];
    auto it = answers.find(question.code);
    auto problem = survey::find_answer_problem(question, it == answers.end() ? kEmpty : it->second, language);
    if (problem) {
      out.push_back({question.code, problem->message, problem->part});
    } else if (!question.filter.empty() && it != answers.end()) {
      // An option the page no longer offers (an earlier answer changed).
      const std::vector<size_t> offered = offered_options(q, i, answers);
      for (const std::string& v : it->second.values) {
        const int o = question.option_index(v);
        if (o >= 0 && std::find(offered.begin(), offered.end(), static_cast<size_t>(o)) == offered.end()) {
          out.push_back({question.code, survey::choose_offered_message(question, language), survey::AnswerPart::kAnswer});
          break;
        }
      }
    }
  }
  return out;
}

Answers shown_answers(const Questionnaire& q, const Answers& answers) {
  Answers out;
  for (size_t i = 0; i < q.questions.size(); ++i) {
    const Question& question = q.questions[i];
    if (question.type == QuestionType::kDisplay) continue;
    if (question.calculated()) {
      // Worked out from the answers kept so far; empty when it gives nothing.
      if (!question_shown(q, i, out)) continue;
      std::string value = question.calculate.evaluate(source_for(q, out));
      if (!value.empty()) out[question.code] = survey::RawAnswer{{std::move(value)}, {}};
      continue;
    }
    auto it = answers.find(question.code);
    // Questions are decided in order, each against the answers kept so far.
    if (it == answers.end() || !question_shown(q, i, out)) continue;
    survey::RawAnswer a = it->second;
    // 'Other, please specify' text stays only while 'other' is chosen.
    bool other = false;
    for (const auto& v : a.values) other = other || v == "other";
    if (!other) a.other_text.clear();
    if (!question.filter.empty()) {
      // Options no longer offered are let go, as ODK does.
      std::vector<std::string> kept;
      for (std::string& v : a.values) {
        const int o = question.option_index(v);
        if (o < 0 || option_offered(q, question, question.options[static_cast<size_t>(o)], out)) kept.push_back(std::move(v));
      }
      a.values = std::move(kept);
      if (a.values.empty()) continue;
    }
    out[question.code] = std::move(a);
  }
  return out;
}

int first_page_with_problem(const Questionnaire& q, const Answers& answers) {
  for (int page : visible_pages(q, answers)) {
    if (!check_page(q, page, answers).empty()) return page;
  }
  return 0;
}

}  // namespace coproduce::collection
