#include "involvement/groups.h"

#include <gtest/gtest.h>

#include <cctype>
#include <string>

namespace coproduce::involvement {
namespace {

std::string lower(std::string s) {
  for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

TEST(LadderInPlainWords, EveryRungHasPlainWordsInTheLadderOrder) {
  const auto& rungs = ladder_rungs();
  const auto& plain = ladder_rungs_in_plain_words();
  ASSERT_EQ(plain.size(), rungs.size());
  for (size_t i = 0; i < rungs.size(); ++i) {
    EXPECT_EQ(plain[i].first, rungs[i].first) << "rung " << i;
    EXPECT_EQ(rung_plain_words(rungs[i].first), plain[i].second);
  }
  EXPECT_EQ(rung_plain_words("co_production"), "We made the decisions together");
  EXPECT_EQ(rung_plain_words("informing"), "We were told what had already been decided");
}

TEST(LadderInPlainWords, TheWordsAreShortDistinctAndFreeOfTheRungNames) {
  const auto& plain = ladder_rungs_in_plain_words();
  for (const auto& [code, words] : plain) {
    EXPECT_FALSE(words.empty()) << code;
    EXPECT_LE(words.size(), 60u) << code << ": short enough to read at a glance";
    for (const auto& [other, label] : ladder_rungs()) {
      // "Co-design", not "design": a rung's own name would be jargon here.
      EXPECT_EQ(lower(words).find(lower(label)), std::string::npos) << code << " uses the word " << label;
    }
    for (const auto& [other, other_words] : plain) {
      if (other != code) {
        EXPECT_NE(words, other_words) << code << " and " << other;
      }
    }
  }
}

TEST(LadderInPlainWords, AnUnknownCodeIsGivenBackAsItIs) { EXPECT_EQ(rung_plain_words("summit"), "summit"); }

}  // namespace
}  // namespace coproduce::involvement
