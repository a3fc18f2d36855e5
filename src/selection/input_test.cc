#include "selection/input.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

namespace coproduce::selection {
namespace {

csv::Table table(const std::string& text, const std::string& name) {
  csv::ReadOptions o;
  o.file_name = name;
  auto t = csv::parse(text, o);
  EXPECT_TRUE(t.ok()) << t.status().to_string();
  return *t;
}

StatusOr<Pool> pool_from(const std::string& quotas, const std::string& people, int size,
                         const std::string& id_column = "id", std::vector<std::string> household = {}) {
  auto cats = parse_quotas(table(quotas, "quotas.csv"));
  if (!cats.ok()) return cats.status();
  PoolOptions o;
  o.panel_size = size;
  o.id_column = id_column;
  o.household_columns = std::move(household);
  return build_pool(table(people, "people.csv"), std::move(*cats), o);
}

const char* kPeople =
    "id,Gender,age\n"
    "a,Female,young\n"
    "b,male,old\n"
    "c, FEMALE ,old\n";

// Data-driven: each layout must give the same categories.
TEST(Quotas, EveryLayoutReadsTheSame) {
  const char* layouts[] = {
      "feature,value,min,max\ngender,female,1,2\ngender,male,0,1\nage,young,0,1\nage,old,1,2\n",
      "feature,value,min,max,min_flex,max_flex\ngender,female,1,2,0,3\ngender,male,0,1,0,2\nage,young,0,1,0,1\n"
      "age,old,1,2,0,2\n",
      "category,name,suggest min,suggest max,Current #,min,max\ngender,female,,,,1,2\ngender,male,,,,0,1\n"
      "age,young,,,,0,1\nage,old,,,,1,2\n",
      "category,feature,min,max\ngender,female,1,2\ngender,male,0,1\nage,young,0,1\nage,old,1,2\n",
      "\xEF\xBB\xBF Category , Feature ,MIN,Max\r\n Gender , Female ,1,2\r\ngender,male,0,1\r\nage,young,0,1\r\n"
      "age,old,1,2\r\n",
  };
  for (const char* text : layouts) {
    SCOPED_TRACE(text);
    auto cats = parse_quotas(table(text, "q.csv"));
    ASSERT_TRUE(cats.ok()) << cats.status().to_string();
    ASSERT_EQ(cats->size(), 2u);
    EXPECT_EQ(csv::normalise_key((*cats)[0].name), "gender");
    ASSERT_EQ((*cats)[0].values.size(), 2u);
    EXPECT_EQ((*cats)[0].values[0].min, 1);
    EXPECT_EQ((*cats)[0].values[0].max, 2);
    EXPECT_EQ((*cats)[1].values[1].min, 1);
  }
}

TEST(Quotas, FlexIsRead) {
  auto cats = parse_quotas(table("feature,value,min,max,min_flex,max_flex\ng,f,2,3,1,5\n", "q.csv"));
  ASSERT_TRUE(cats.ok());
  EXPECT_TRUE((*cats)[0].values[0].has_flex);
  EXPECT_EQ((*cats)[0].values[0].min_flex, 1);
  EXPECT_EQ((*cats)[0].values[0].max_flex, 5);
}

struct BadQuota {
  const char* text;
  long line;
  long column;
  const char* words;
};

TEST(Quotas, MistakesNameLineAndColumn) {
  const BadQuota cases[] = {
      {"feature,value,min,max\ng,f,x,3\n", 2, 3, "whole number"},
      {"feature,value,min,max\ng,f,1,3\ng,m,-1,3\n", 3, 3, "whole number"},
      {"feature,value,min,max\ng,f,4,3\n", 2, 3, "above max"},
      {"feature,value,min,max\ng,f,1,3\ng,F,1,3\n", 3, 2, "twice"},
      {"feature,value,min,max\ng,,1,3\n", 2, 2, "blank"},
      {"feature,value,min,max,min_flex,max_flex\ng,f,1,3,2,3\n", 2, 5, "min_flex"},
      {"feature,value,min,max,min_flex,max_flex\ng,f,1,3,0,2\n", 2, 6, "max_flex"},
      {"feature,value,max\ng,f,3\n", 1, 0, "min"},
      {"name,min,max\nf,1,3\n", 1, 0, "needs columns"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    auto cats = parse_quotas(table(c.text, "quotas.csv"));
    ASSERT_FALSE(cats.ok());
    EXPECT_EQ(cats.status().where().file, "quotas.csv");
    EXPECT_EQ(cats.status().where().line, c.line);
    EXPECT_EQ(cats.status().where().column, c.column);
    EXPECT_NE(cats.status().message().find(c.words), std::string::npos) << cats.status().message();
  }
}

const char* kQuotas = "feature,value,min,max\ngender,female,1,2\ngender,male,0,1\nage,young,0,1\nage,old,1,2\n";

TEST(Pool, ValuesMatchCaseInsensitivelyAndTrimmed) {
  auto pool = pool_from(kQuotas, kPeople, 2);
  ASSERT_TRUE(pool.ok()) << pool.status().to_string();
  EXPECT_EQ(pool->ids, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(pool->problem.people[2].values, (std::vector<int>{0, 1}));
  EXPECT_EQ(pool->problem.people[1].values, (std::vector<int>{1, 1}));
}

TEST(Pool, RowNumbersAreIdsWithoutAnIdColumn) {
  auto pool = pool_from(kQuotas, kPeople, 2, "");
  ASSERT_TRUE(pool.ok());
  EXPECT_EQ(pool->ids, (std::vector<std::string>{"1", "2", "3"}));
  EXPECT_FALSE(pool->id_column.has_value());
}

struct BadPool {
  const char* people;
  int size;
  const char* id;
  long line;
  long column;
  const char* words;
};

TEST(Pool, MistakesNameLineAndColumn) {
  const BadPool cases[] = {
      {"id,gender,age\na,female,young\nb,other,old\n", 1, "id", 3, 2, "not a value"},
      {"id,gender\na,female\n", 1, "id", 1, 0, "'age'"},
      {"id,gender,age\na,female,young\na,male,old\n", 1, "id", 3, 1, "twice"},
      {"id,gender,age\na,female,young\n ,male,old\n", 1, "id", 3, 1, "blank"},
      {"id,gender,age\na,female,young\n", 2, "id", 0, 0, "larger than the pool"},
      {"id,gender,age\na,female,young\n", 1, "ref", 1, 0, "no id column"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.people);
    auto pool = pool_from(kQuotas, c.people, c.size, c.id);
    ASSERT_FALSE(pool.ok());
    EXPECT_EQ(pool.status().where().file, "people.csv");
    EXPECT_EQ(pool.status().where().line, c.line);
    EXPECT_EQ(pool.status().where().column, c.column);
    EXPECT_NE(pool.status().message().find(c.words), std::string::npos) << pool.status().message();
  }
}

TEST(Pool, HouseholdsCompareAddressesCaseInsensitively) {
  auto pool = pool_from(kQuotas,
                        "id,gender,age,street,postcode\na,female,young,1 High St,AB1\nb,male,old,1 high st ,ab1\n"
                        "c,female,old,2 High St,AB1\nd,female,old,,\n",
                        2, "id", {"street", "postcode"});
  ASSERT_TRUE(pool.ok()) << pool.status().to_string();
  const auto& p = pool->problem.people;
  EXPECT_TRUE(pool->problem.household_rule);
  EXPECT_EQ(p[0].household, p[1].household);
  EXPECT_NE(p[0].household, p[2].household);
  EXPECT_EQ(p[3].household, -1);
}

TEST(AlreadySelected, MarksAndChecks) {
  auto pool = pool_from(kQuotas, kPeople, 2);
  ASSERT_TRUE(pool.ok());
  EXPECT_TRUE(mark_already_selected(*pool, table("id,notes\nc,x\n", "already.csv"), "id").ok());
  EXPECT_TRUE(pool->problem.people[2].already_selected);
  auto unknown = mark_already_selected(*pool, table("id\nzz\n", "already.csv"), "id");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.where().line, 2);
  EXPECT_EQ(unknown.where().file, "already.csv");
  auto too_many = mark_already_selected(*pool, table("id\na\nb\nc\n", "already.csv"), "id");
  EXPECT_FALSE(too_many.ok());
  // Without a matching column the first column holds the ids.
  auto pool2 = pool_from(kQuotas, kPeople, 2);
  ASSERT_TRUE(pool2.ok());
  EXPECT_TRUE(mark_already_selected(*pool2, table("person,x\nb,1\n", "already.csv"), "id").ok());
  EXPECT_TRUE(pool2->problem.people[1].already_selected);
}

TEST(SharedFormats, SortitionAlgorithmsAndOpenDlpFilesRead) {
  const char* root = std::getenv("COPRODUCE_SOURCE_DIR");
  if (root == nullptr) GTEST_SKIP() << "COPRODUCE_SOURCE_DIR not set";
  const auto dir = std::filesystem::path(root) / ".." / "shared" / "data" / "sortition" / "formats";
  if (!std::filesystem::exists(dir)) GTEST_SKIP() << "no data at " << dir;
  struct Layout {
    const char* quotas;
    const char* people;
    const char* id;
    int size;
  };
  const Layout layouts[] = {
      {"sortition-algorithms/features.csv", "sortition-algorithms/candidates.csv", "nationbuilder_id", 22},
      {"opendlp/monitoring_categories.csv", "opendlp/monitoring_respondents.csv", "unique_id", 30},
  };
  for (const auto& l : layouts) {
    SCOPED_TRACE(l.quotas);
    auto q = csv::read_file((dir / l.quotas).string());
    ASSERT_TRUE(q.ok()) << q.status().to_string();
    auto cats = parse_quotas(*q);
    ASSERT_TRUE(cats.ok()) << cats.status().to_string();
    auto people = csv::read_file((dir / l.people).string());
    ASSERT_TRUE(people.ok()) << people.status().to_string();
    PoolOptions o;
    o.panel_size = l.size;
    o.id_column = l.id;
    auto pool = build_pool(std::move(*people), std::move(*cats), o);
    ASSERT_TRUE(pool.ok()) << pool.status().to_string();
    EXPECT_GT(pool->problem.people.size(), 20u);
  }
}

}  // namespace
}  // namespace coproduce::selection
