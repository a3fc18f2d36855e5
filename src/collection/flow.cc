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
using survey::Repeat;

// Where the answer to question `index` is kept: its code, or for a repeat
// question in `instance` (from 1) its instance key.
std::string answer_key(const Questionnaire& q, size_t index, int instance) {
  const Question& question = q.questions[index];
  return question.repeat >= 0 && instance > 0 ? survey::instance_key(question.code, instance) : question.code;
}

// A number as a person typed it, or NaN.
double parse_number(const std::string& s) {
  double x = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), x);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size()) return std::numeric_limits<double>::quiet_NaN();
  return x;
}

// One person's answers in the shape Expression::evaluate() reads: repeat
// questions read their answer in `instance`, others their one answer.
struct AnswerView {
  const Questionnaire& q;
  const Answers& answers;
  int instance = 0;

  const survey::RawAnswer* find(int index) const {
    auto it = answers.find(answer_key(q, static_cast<size_t>(index), instance));
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
    return parse_number(a->values.front());
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

// Where a calculation reads its values: the answers so far (in `instance`
// for repeat questions) and, for a choice filter, the option's columns.
survey::Calculation::Source source_for(const Questionnaire& q, const Answers& answers, int instance,
                                       const survey::Option* option = nullptr,
                                       const survey::ChoiceColumns* columns = nullptr,
                                       const Question* filtered = nullptr) {
  survey::Calculation::Source src;
  src.answer = [&q, &answers, instance](int index) {
    auto it = answers.find(answer_key(q, static_cast<size_t>(index), instance));
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
                    const Answers& answers, int instance) {
  if (question.filter.empty()) return true;
  if (option.columns.empty()) {
    return question.filter.holds(source_for(q, answers, instance, &option, nullptr, &question));
  }
  for (const survey::ChoiceColumns& row : option.columns) {
    if (question.filter.holds(source_for(q, answers, instance, &option, &row, &question))) return true;
  }
  return false;
}

// Keeps question `i`'s answer (in `instance`) in `out` when it is shown
// given the answers kept so far, or works it out when it is calculated.
void keep_answer(const Questionnaire& q, size_t i, int instance, const Answers& answers, Answers& out) {
  const Question& question = q.questions[i];
  if (question.type == QuestionType::kDisplay) return;
  const std::string key = answer_key(q, i, instance);
  if (question.calculated()) {
    // Worked out from the answers kept so far; empty when it gives nothing.
    if (!question_shown(q, i, out, instance)) return;
    std::string value = question.calculate.evaluate(source_for(q, out, instance));
    if (!value.empty()) out[key] = survey::RawAnswer{{std::move(value)}, {}};
    return;
  }
  if (question.read_only && question.trigger.empty()) {
    // Its answer is the survey's, whatever was sent.
    survey::RawAnswer fixed = survey::default_raw_answer(question);
    if (!fixed.values.empty() && question_shown(q, i, out, instance)) out[key] = std::move(fixed);
    return;
  }
  auto it = answers.find(key);
  // Questions are decided in order, each against the answers kept so far.
  if (it == answers.end() || !question_shown(q, i, out, instance)) return;
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
      if (o < 0 || option_offered(q, question, question.options[static_cast<size_t>(o)], out, instance)) {
        kept.push_back(std::move(v));
      }
    }
    a.values = std::move(kept);
    if (a.values.empty()) return;
  }
  out[key] = std::move(a);
}

}  // namespace

bool repeat_shown(const Repeat& r, const Questionnaire& q, const Answers& answers) {
  return r.condition.evaluate(AnswerView{q, answers, 0});
}

int instance_count(const Repeat& r, const Questionnaire& q, const Answers& answers) {
  if (r.fixed_count >= 0) return std::min(r.fixed_count, r.max);
  if (r.count_question >= 0) {
    const double n = AnswerView{q, answers, 0}.number(r.count_question);
    if (!std::isfinite(n) || n < 0 || n != std::floor(n)) return 0;
    return static_cast<int>(std::min<double>(n, r.max));
  }
  // Added as the person goes: the count kept under the repeat's code.
  auto it = answers.find(r.code);
  if (it == answers.end() || it->second.values.empty()) return 1;
  const double n = parse_number(it->second.values.front());
  if (!std::isfinite(n) || n != std::floor(n)) return 1;
  return static_cast<int>(std::clamp<double>(n, 1, r.max));
}

std::vector<size_t> offered_options(const Questionnaire& q, size_t index, const Answers& answers, int instance) {
  const Question& question = q.questions[index];
  const Answers clean = question.filter.empty() ? Answers{} : shown_answers(q, answers);
  std::vector<size_t> out;
  for (size_t o = 0; o < question.options.size(); ++o) {
    if (option_offered(q, question, question.options[o], clean, instance)) out.push_back(o);
  }
  return out;
}

bool question_shown(const Questionnaire& q, size_t index, const Answers& answers, int instance) {
  return q.questions[index].condition.evaluate(AnswerView{q, answers, instance});
}

namespace {

// page_questions() on answers already cleaned by shown_answers().
std::vector<size_t> shown_on_page(const Questionnaire& q, int page, const Answers& clean, int instance) {
  std::vector<size_t> out;
  const Repeat* r = q.repeat_on_page(page);
  if (r) {
    if (!repeat_shown(*r, q, clean)) return out;
    const int count = instance_count(*r, q, clean);
    const int from = instance > 0 ? instance : 1, to = instance > 0 ? std::min(instance, count) : count;
    for (size_t i = r->first; i < r->end; ++i) {
      if (q.questions[i].calculated()) continue;
      for (int k = from; k <= to; ++k) {
        if (question_shown(q, i, clean, k)) {
          out.push_back(i);
          break;
        }
      }
    }
    return out;
  }
  for (size_t i = 0; i < q.questions.size(); ++i) {
    if (q.questions[i].page == page && !q.questions[i].calculated() && question_shown(q, i, clean)) out.push_back(i);
  }
  return out;
}

}  // namespace

std::vector<size_t> page_questions(const Questionnaire& q, int page, const Answers& answers, int instance) {
  // Conditions read the answers of shown questions only, so an answer left
  // behind on a page that is now skipped cannot show a later question.
  return shown_on_page(q, page, shown_answers(q, answers), instance);
}

std::vector<int> visible_pages(const Questionnaire& q, const Answers& answers) {
  const Answers clean = shown_answers(q, answers);
  std::vector<int> out;
  for (int page = 1; page <= q.pages; ++page) {
    if (!shown_on_page(q, page, clean, 0).empty()) out.push_back(page);
  }
  return out;
}

std::vector<AnswerProblem> check_page(const Questionnaire& q, int page, const Answers& answers,
                                      std::string_view language) {
  std::vector<AnswerProblem> out;
  static const survey::RawAnswer kEmpty;
  const Answers clean = shown_answers(q, answers);
  auto check = [&](size_t i, int instance) {
    const Question& question = q.questions[i];
    if (question.read_only) return;  // nothing the person gave
    const std::string key = answer_key(q, i, instance);
    auto it = answers.find(key);
    auto problem = survey::find_answer_problem(question, it == answers.end() ? kEmpty : it->second, language);
    if (problem) {
      out.push_back({key, problem->message, problem->part});
    } else if (!question.filter.empty() && it != answers.end()) {
      // An option the page no longer offers (an earlier answer changed).
      const std::vector<size_t> offered = offered_options(q, i, answers, instance);
      for (const std::string& v : it->second.values) {
        const int o = question.option_index(v);
        if (o >= 0 && std::find(offered.begin(), offered.end(), static_cast<size_t>(o)) == offered.end()) {
          out.push_back({key, survey::choose_offered_message(question, language), survey::AnswerPart::kAnswer});
          break;
        }
      }
    }
  };
  if (const Repeat* r = q.repeat_on_page(page)) {
    if (!repeat_shown(*r, q, clean)) return out;
    const int count = instance_count(*r, q, clean);
    for (int k = 1; k <= count; ++k) {
      for (size_t i : shown_on_page(q, page, clean, k)) check(i, k);
    }
    return out;
  }
  for (size_t i : shown_on_page(q, page, clean, 0)) check(i, 0);
  return out;
}

Answers shown_answers(const Questionnaire& q, const Answers& answers) {
  Answers out;
  for (size_t i = 0; i < q.questions.size();) {
    const Question& question = q.questions[i];
    if (question.repeat < 0) {
      keep_answer(q, i, 0, answers, out);
      ++i;
      continue;
    }
    // A repeat, instance by instance, each question against the answers
    // kept so far (those asked once and the same instance's earlier ones).
    const Repeat& r = q.repeats[static_cast<size_t>(question.repeat)];
    // The count a person chose is kept with their answers, not asked.
    Answers with_count = out;
    if (auto c = answers.find(r.code); c != answers.end()) with_count[r.code] = c->second;
    const int count = repeat_shown(r, q, out) ? instance_count(r, q, with_count) : 0;
    const size_t before = out.size();
    for (int k = 1; k <= count; ++k) {
      for (size_t j = r.first; j < r.end; ++j) keep_answer(q, j, k, answers, out);
    }
    // A repeat people add to as they go always shows one instance; left
    // empty, it means they had none to tell, and none is sent.
    const bool added_as_they_go = r.fixed_count < 0 && r.count_question < 0;
    const bool none = added_as_they_go && count == 1 && out.size() == before;
    if (count > 0 && !none) out[r.code] = survey::RawAnswer{{std::to_string(count)}, {}};
    i = r.end;
  }
  return out;
}

void apply_triggers(const Questionnaire& q, const Answers& before, Answers& after) {
  auto same = [](const Answers& a, const Answers& b, const std::string& key) {
    auto x = a.find(key);
    auto y = b.find(key);
    if (x == a.end() || y == b.end()) return (x == a.end()) == (y == b.end());
    return x->second.values == y->second.values && x->second.other_text == y->second.other_text;
  };
  for (size_t i = 0; i < q.questions.size(); ++i) {
    const Question& question = q.questions[i];
    if (question.trigger.empty() || same(before, after, question.trigger)) continue;
    // In question order, so a filled-in answer may itself be a later trigger.
    std::string value;
    if (!question.calculation.empty()) value = question.calculate.evaluate(source_for(q, shown_answers(q, after), 0));
    if (value.empty()) {
      after.erase(question.code);
    } else {
      after[question.code] = survey::RawAnswer{{std::move(value)}, {}};
    }
  }
}

int first_page_with_problem(const Questionnaire& q, const Answers& answers) {
  for (int page : visible_pages(q, answers)) {
    if (!check_page(q, page, answers).empty()) return page;
  }
  return 0;
}

}  // namespace coproduce::collection
