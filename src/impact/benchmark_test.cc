#include "impact/benchmark.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "involvement/options.h"

namespace coproduce::impact {
namespace {

std::vector<std::string> wheres(const ParsedBenchmark& p) {
  std::vector<std::string> out;
  for (const auto& s : p.problems) out.push_back(s.where().to_string());
  return out;
}

TEST(Census2021, HoldsThePublishedShares) {
  const Benchmark& b = census_2021();
  EXPECT_FALSE(b.local);
  struct Want {
    const char* category;
    const char* value;
    double share;
  };
  for (const Want& w : {Want{"ethnic_group", "asian", 0.093},
                        {"ethnic_group", "black", 0.040},
                        {"ethnic_group", "mixed", 0.029},
                        {"ethnic_group", "white", 0.817},
                        {"ethnic_group", "other", 0.021},
                        {"sex", "female", 0.5104},
                        {"sex", "male", 0.4896},
                        {"disability", "disabled", 0.178},
                        {"disability", "not_disabled", 0.822}}) {
    const BenchmarkShare* s = b.find(w.category, w.value);
    ASSERT_NE(s, nullptr) << w.category << " " << w.value;
    EXPECT_DOUBLE_EQ(s->share, w.share) << w.category << " " << w.value;
    EXPECT_NE(s->source.find("Census 2021"), std::string::npos);
  }
  // 30,420,202 of 59,597,542 usual residents are female.
  EXPECT_NEAR(b.find("sex", "female")->share, 30420202.0 / 59597542.0, 0.00005);
  for (const auto& cat : benchmark_categories()) {
    double sum = 0;
    for (const auto& v : cat.values) sum += b.find(cat.code, v.code)->share;
    EXPECT_NEAR(sum, 1.0, 1e-9) << cat.code;
  }
}

// The shared data file of published Census figures, when this machine has
// it: the built-in table must say the same.
TEST(Census2021, MatchesTheSharedDataFile) {
  const char* env = std::getenv("COPRODUCE_BENCHMARK_CSV");
  std::string path = env ? env : "/work/shared/data/benchmarks/england-and-wales-2021.csv";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " is not on this machine";
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  ParsedBenchmark parsed = parse_benchmark(text.str(), "england-and-wales-2021.csv");
  ASSERT_TRUE(parsed.ok()) << parsed.problems.front().to_string();
  EXPECT_EQ(parsed.shares.size(), census_2021().shares.size());
  for (const auto& s : parsed.shares) {
    const BenchmarkShare* built_in = census_2021().find(s.category, s.value);
    ASSERT_NE(built_in, nullptr) << s.category << " " << s.value;
    EXPECT_NEAR(built_in->share, s.share, 1e-9) << s.category << " " << s.value;
  }
}

TEST(Answers, EveryEthnicGroupAnswerCountsUnderABroadGroup) {
  const auto* set = involvement::option_set("ethnic_group");
  ASSERT_NE(set, nullptr);
  for (const auto& o : set->options) {
    std::string v = value_for_answer("ethnic_group", o.code);
    if (o.code == involvement::kPreferNotToSay) {
      EXPECT_EQ(v, "") << o.code;
    } else {
      EXPECT_NE(v, "") << o.code << " has no broad group";
    }
  }
  EXPECT_EQ(value_for_answer("ethnic_group", "black_caribbean"), "black");
  EXPECT_EQ(value_for_answer("ethnic_group", "white_roma"), "white");
  EXPECT_EQ(value_for_answer("sex", "female"), "female");
  EXPECT_EQ(value_for_answer("sex", involvement::kPreferNotToSay), "");
  EXPECT_EQ(value_for_answer("disability", "not_disabled"), "not_disabled");
  EXPECT_EQ(value_for_answer("disability", ""), "");
  EXPECT_EQ(value_for_answer("sex", "martian"), "");
}

TEST(ParseBenchmark, ReadsLabelsOrCodes) {
  ParsedBenchmark p = parse_benchmark(
      "\xEF\xBB\xBF"
      "category,value,share,source\r\n"
      "Sex,Female,0.52,Local survey 2025\r\n"
      "sex,male,0.48,Local survey 2025\r\n"
      "ethnic group,\"Black, Black British, Black Welsh, Caribbean or African\",0.2,\r\n"
      "ethnic_group,white,0.8,\r\n",
      "local.csv");
  ASSERT_TRUE(p.ok()) << p.problems.front().to_string();
  ASSERT_EQ(p.shares.size(), 4u);
  EXPECT_EQ(p.shares[0].category, "sex");
  EXPECT_EQ(p.shares[0].value, "female");
  EXPECT_DOUBLE_EQ(p.shares[0].share, 0.52);
  EXPECT_EQ(p.shares[0].source, "Local survey 2025");
  EXPECT_EQ(p.shares[2].value, "black");

  // Without a source column too.
  EXPECT_TRUE(parse_benchmark("category,value,share\nsex,female,0.5\nsex,male,0.5\n", "x.csv").ok());
}

TEST(ParseBenchmark, NamesEveryProblemByLineAndColumn) {
  ParsedBenchmark p = parse_benchmark(
      "category,value,share\n"
      "religion,Christian,0.5\n"   // line 2: unknown category
      "sex,Unknown,0.5\n"          // line 3: unknown value
      "sex,Female,half\n"          // line 4: not a number
      "disability,disabled,1.5\n"  // line 5: outside 0 to 1
      "sex,male,0.5\n"
      "sex,Male,0.5\n",  // line 7: a duplicate of line 6
      "local.csv");
  EXPECT_FALSE(p.ok());
  EXPECT_TRUE(p.shares.empty()) << "all or nothing";
  EXPECT_EQ(wheres(p),
            (std::vector<std::string>{"local.csv, line 2, column 1, 'category'", "local.csv, line 3, column 2, 'value'",
                                      "local.csv, line 4, column 3, 'share'", "local.csv, line 5, column 3, 'share'",
                                      "local.csv, line 7, column 2, 'value'"}));
  EXPECT_NE(p.problems[0].message().find("\"religion\" is not a category"), std::string::npos);
  EXPECT_NE(p.problems[2].message().find("\"half\" is not a number"), std::string::npos);
  EXPECT_NE(p.problems[3].message().find("outside 0 to 1"), std::string::npos);
  EXPECT_NE(p.problems[4].message().find("already on line 6"), std::string::npos);
}

TEST(ParseBenchmark, ACategoryMustAddUpToOne) {
  ParsedBenchmark p = parse_benchmark(
      "category,value,share\n"
      "sex,female,0.5\n"
      "ethnic group,white,0.9\n"
      "sex,male,0.45\n"
      "ethnic group,black,0.095\n",  // 0.995: within 0.01 of 1
      "local.csv");
  ASSERT_EQ(p.problems.size(), 1u);
  EXPECT_EQ(p.problems[0].where().to_string(), "local.csv, line 2, column 3, 'share'");
  EXPECT_NE(p.problems[0].message().find("sex add up to 0.95"), std::string::npos) << p.problems[0].message();
  EXPECT_TRUE(p.shares.empty());
}

TEST(ParseBenchmark, MissingColumnsAndEmptyFiles) {
  ParsedBenchmark no_share = parse_benchmark("category,value,proportion\nsex,female,1\n", "a.csv");
  ASSERT_EQ(no_share.problems.size(), 1u);
  EXPECT_EQ(no_share.problems[0].where().to_string(), "a.csv, line 1");
  EXPECT_NE(no_share.problems[0].message().find("no share column"), std::string::npos);
  EXPECT_FALSE(parse_benchmark("", "b.csv").ok());
  EXPECT_FALSE(parse_benchmark("category,value,share\n", "c.csv").ok());
  EXPECT_FALSE(parse_benchmark("category,value,share\nsex,\"female,0.5\n", "d.csv").ok());
  std::string many = "category,value,share\n";
  for (size_t i = 0; i <= kMaxBenchmarkRows; ++i) many += "sex,female,0.5\n";
  EXPECT_FALSE(parse_benchmark(many, "e.csv").ok());
}

TEST(Combine, ALocalCategoryReplacesTheCensusOneOnly) {
  Benchmark b = combine(census_2021(), {{"sex", "female", 1.0, "Women's centre"}}, "2026-11-26T08:00:00Z");
  EXPECT_TRUE(b.local);
  EXPECT_DOUBLE_EQ(b.find("sex", "female")->share, 1.0);
  EXPECT_EQ(b.find("sex", "female")->source, "Women's centre");
  // A value the file left out counts as 0, from the same source.
  EXPECT_DOUBLE_EQ(b.find("sex", "male")->share, 0.0);
  EXPECT_DOUBLE_EQ(b.find("ethnic_group", "black")->share, 0.040);
  Benchmark none = combine(census_2021(), {}, "");
  EXPECT_FALSE(none.local);
  EXPECT_EQ(none.shares.size(), census_2021().shares.size());
}

}  // namespace
}  // namespace coproduce::impact
