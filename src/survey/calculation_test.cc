#include "survey/calculation.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace coproduce::survey {
namespace {

// Questions by name, with answers as a form stores them.
struct Answers {
  std::vector<std::string> names = {"hours", "rate", "age", "services", "name", "region"};
  std::map<int, std::string> values;

  std::optional<int> find(std::string_view n) const {
    for (size_t i = 0; i < names.size(); ++i) {
      if (names[i] == n) return static_cast<int>(i);
    }
    return std::nullopt;
  }
  Calculation::Source source() const {
    Calculation::Source s;
    s.answer = [this](int i) {
      auto it = values.find(i);
      return it == values.end() ? std::string() : it->second;
    };
    return s;
  }
};

Calculation compile(const std::string& text, const Answers& a) {
  auto c = Calculation::parse(text);
  EXPECT_TRUE(c.ok()) << text << ": " << c.status().to_string();
  if (!c.ok()) return {};
  Status s = c->resolve([&a](std::string_view n) { return a.find(n); }, nullptr);
  EXPECT_TRUE(s.ok()) << text << ": " << s.to_string();
  return *c;
}

std::string work_out(const std::string& text, const Answers& a) { return compile(text, a).evaluate(a.source()); }

TEST(Calculation, ArithmeticOnAnswers) {
  Answers a;
  a.values = {{0, "7.5"}, {1, "12"}, {2, "70"}, {3, "gp carer_centre day_centre"}, {4, "Siân"}};
  EXPECT_EQ(work_out("${hours} * ${rate}", a), "90");
  EXPECT_EQ(work_out("${hours} + 1 - 0.5", a), "8");
  EXPECT_EQ(work_out("${rate} div 8", a), "1.5");
  EXPECT_EQ(work_out("${rate} mod 5", a), "2");
  EXPECT_EQ(work_out("-${hours}", a), "-7.5");
  EXPECT_EQ(work_out("2 + 3 * 4", a), "14");  // * before +
  EXPECT_EQ(work_out("(2 + 3) * 4", a), "20");
  EXPECT_EQ(work_out("round(${hours} div 4, 1)", a), "1.9");
  EXPECT_EQ(work_out("int(${hours})", a), "7");
  EXPECT_EQ(work_out("count-selected(${services})", a), "3");
  EXPECT_EQ(work_out("string-length(${name})", a), "4");  // characters, not bytes
  EXPECT_EQ(work_out("concat(${name}, ' (', ${age}, ')')", a), "Siân (70)");
  EXPECT_EQ(work_out("max(${hours}, ${rate}, 3)", a), "12");
  EXPECT_EQ(work_out("pow(2, 10)", a), "1024");
}

TEST(Calculation, ChoicesAndConditions) {
  Answers a;
  a.values = {{2, "70"}, {3, "gp day_centre"}, {5, "north"}};
  EXPECT_EQ(work_out("if(${age} >= 65, 'older', 'younger')", a), "older");
  a.values[2] = "40";
  EXPECT_EQ(work_out("if(${age} >= 65, 'older', 'younger')", a), "younger");
  EXPECT_EQ(work_out("if(selected(${services}, 'gp'), 1, 0)", a), "1");
  EXPECT_EQ(work_out("if(selected(${services}, 'carer_centre'), 1, 0)", a), "0");
  EXPECT_EQ(work_out("${region} = 'north' and ${age} < 65", a), "true");
  EXPECT_EQ(work_out("not(${region} = 'north') or ${age} > 65", a), "false");
}

TEST(Calculation, UnansweredGivesNothing) {
  Answers a;  // nobody answered
  EXPECT_EQ(work_out("${hours} * ${rate}", a), "");
  EXPECT_EQ(work_out("coalesce(${hours}, 0) + 1", a), "1");
  EXPECT_EQ(work_out("count-selected(${services})", a), "0");
  // XPath: an unanswered number is NaN, and NaN >= 65 is false.
  EXPECT_EQ(work_out("if(${age} >= 65, 'older', 'younger')", a), "younger");
  EXPECT_EQ(work_out("${hours} div 0", Answers{.values = {{0, "3"}}}), "Infinity");
}

TEST(Calculation, SaysWhatItGives) {
  Answers a;
  EXPECT_EQ(compile("${hours} * ${rate}", a).result(), CalculationResult::kNumber);
  EXPECT_EQ(compile("count-selected(${services})", a).result(), CalculationResult::kNumber);
  EXPECT_EQ(compile("if(${age} >= 65, 1, 0)", a).result(), CalculationResult::kNumber);
  Calculation band = compile("if(${age} >= 65, 'older', if(${age} >= 18, 'adult', 'young'))", a);
  EXPECT_EQ(band.result(), CalculationResult::kChoice);
  EXPECT_EQ(band.possible_texts(), (std::vector<std::string>{"older", "adult", "young"}));
  EXPECT_EQ(compile("concat(${name}, '!')", a).result(), CalculationResult::kText);
  EXPECT_EQ(compile("${region}", a).result(), CalculationResult::kText);
  EXPECT_EQ(compile("once(${age} + 1)", a).references(), (std::vector<int>{2}));
}

TEST(Calculation, ChoiceFilterReadsTheChoicesColumns) {
  Answers a;
  a.values = {{5, "north"}};
  auto f = Calculation::parse("county = ${region} or name = 'anywhere'");
  ASSERT_TRUE(f.ok());
  const std::vector<std::string> columns = {"name", "county"};
  ASSERT_TRUE(f->resolve([&a](std::string_view n) { return a.find(n); },
                         [&columns](std::string_view n) -> std::optional<int> {
                           for (size_t i = 0; i < columns.size(); ++i) {
                             if (columns[i] == n) return static_cast<int>(i);
                           }
                           return std::nullopt;
                         })
                  .ok());
  auto offered = [&](std::string name, std::string county) {
    Calculation::Source s = a.source();
    s.choice_column = [=](int i) { return i == 0 ? name : county; };
    return f->holds(s);
  };
  EXPECT_TRUE(offered("leeds", "north"));
  EXPECT_FALSE(offered("bristol", "south"));
  EXPECT_TRUE(offered("anywhere", ""));
}

TEST(Calculation, MistakesSayWhere) {
  auto at = [](const std::string& text) {
    auto c = Calculation::parse(text);
    EXPECT_FALSE(c.ok()) << text;
    return c.ok() ? std::make_pair(0L, std::string()) : std::make_pair(c.status().where().column, c.status().message());
  };
  EXPECT_EQ(at("${hours * 2").first, 1);
  EXPECT_EQ(at("1 +").first, 4);
  EXPECT_EQ(at("'open").first, 1);
  auto [col, message] = at("2 * today()");
  EXPECT_EQ(col, 5);
  EXPECT_NE(message.find("today"), std::string::npos);
  EXPECT_NE(at("if(1, 2)").second.find("takes 3 values, not 2"), std::string::npos);
  EXPECT_EQ(at("").first, 1);
  EXPECT_EQ(at("2 ! 3").first, 3);
  // Nesting that would run out of stack is refused, not crashed on.
  EXPECT_FALSE(Calculation::parse(std::string(5000, '(') + "1" + std::string(5000, ')')).ok());

  Answers a;
  auto c = Calculation::parse("${hours} + ${wages}");
  ASSERT_TRUE(c.ok());
  Status s = c->resolve([&a](std::string_view n) { return a.find(n); }, nullptr);
  EXPECT_EQ(s.where().column, 14);
  EXPECT_NE(s.message().find("no question 'wages'"), std::string::npos);
  // A bare name is a choices column, which a calculation has none of.
  auto bare = Calculation::parse("hours * 2");
  ASSERT_TRUE(bare.ok());
  Status b = bare->resolve([&a](std::string_view n) { return a.find(n); }, nullptr);
  EXPECT_NE(b.message().find("${hours}"), std::string::npos);
}

}  // namespace
}  // namespace coproduce::survey
