#include "i18n/catalogue.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace coproduce::i18n {
namespace {

std::shared_ptr<const Catalogues> test_catalogues() {
  auto loaded = Catalogues::load(COPRODUCE_TEST_LOCALE);
  EXPECT_TRUE(loaded.ok()) << loaded.status().to_string();
  return loaded.ok() ? *loaded : std::make_shared<const Catalogues>();
}

TEST(Catalogues, EnglishAloneWithoutAFolder) {
  auto c = Catalogues::load("/nonexistent/coproduce/locale");
  ASSERT_TRUE(c.ok());
  ASSERT_EQ((*c)->languages().size(), 1u);
  EXPECT_EQ((*c)->languages()[0].code, "en");
  EXPECT_EQ((*c)->text("cy", "Home"), "Home");
}

TEST(Catalogues, FindsEachLanguageByItsFolderAndNamesItInItself) {
  auto c = test_catalogues();
  ASSERT_EQ(c->languages().size(), 2u);
  EXPECT_EQ(c->languages()[0].code, "en");
  EXPECT_EQ(c->languages()[1].code, "cy");
  EXPECT_EQ(c->languages()[1].name, "Cymraeg");
  EXPECT_TRUE(c->has("cy"));
  EXPECT_FALSE(c->has("fr"));
  EXPECT_EQ(c->name("cy"), "Cymraeg");
}

TEST(Catalogues, TranslatesAndFallsBackToEnglish) {
  auto c = test_catalogues();
  EXPECT_EQ(c->text("cy", "Home"), "Hafan");
  EXPECT_EQ(c->text("en", "Home"), "Home");
  EXPECT_EQ(c->text("fr", "Home"), "Home");
  EXPECT_EQ(c->text("cy", "A message nobody translated"), "A message nobody translated");
}

TEST(Catalogues, WelshHasSixPluralForms) {
  auto c = test_catalogues();
  EXPECT_EQ(c->plural("cy", "{n} meeting to rate", "{n} meetings to rate", 0), "0 cyfarfodydd i'w graddio");
  EXPECT_EQ(c->plural("cy", "{n} meeting to rate", "{n} meetings to rate", 1), "1 cyfarfod i'w raddio");
  EXPECT_EQ(c->plural("cy", "{n} meeting to rate", "{n} meetings to rate", 2), "2 gyfarfod i'w graddio");
  EXPECT_EQ(c->plural("cy", "{n} meeting to rate", "{n} meetings to rate", 3), "3 chyfarfod i'w graddio");
  EXPECT_EQ(c->plural("cy", "{n} meeting to rate", "{n} meetings to rate", 6), "6 chyfarfod i'w graddio");
  EXPECT_EQ(c->plural("cy", "{n} meeting to rate", "{n} meetings to rate", 11), "11 cyfarfod i'w graddio");
  EXPECT_EQ(c->plural("en", "{n} meeting to rate", "{n} meetings to rate", 1), "1 meeting to rate");
  EXPECT_EQ(c->plural("en", "{n} meeting to rate", "{n} meetings to rate", 0), "0 meetings to rate");
}

TEST(Catalogues, WritesDatesInWelsh) {
  auto c = test_catalogues();
  EXPECT_EQ(c->long_date("cy", "2026-03-03"), "3 Mawrth 2026");
  EXPECT_EQ(c->long_date("cy", "2026-03-03", true), "Dydd Mawrth 3 Mawrth 2026");
  EXPECT_EQ(c->long_date("cy", "2026-12-25", true), "Dydd Gwener 25 Rhagfyr 2026");
  // English keeps the caller's own wording; nonsense gives nothing.
  EXPECT_EQ(c->long_date("en", "2026-03-03"), "");
  EXPECT_EQ(c->long_date("cy", "not a date"), "");
  EXPECT_EQ(c->long_date("cy", "2026-13-01"), "");
}

TEST(Catalogues, NegotiatesTheBrowsersPreference) {
  auto c = test_catalogues();
  EXPECT_EQ(c->negotiate("cy-GB,cy;q=0.9,en-GB;q=0.8"), "cy");
  EXPECT_EQ(c->negotiate("en-GB,en;q=0.9,cy;q=0.5"), "en");
  EXPECT_EQ(c->negotiate("fr-FR, cy;q=0.2"), "cy");
  EXPECT_EQ(c->negotiate("fr-FR,de"), "");
  EXPECT_EQ(c->negotiate(""), "");
  EXPECT_EQ(c->negotiate("cy;q=nonsense, en;q=0.1"), "en");
}

TEST(Catalogues, ACatalogueThatCannotBeReadIsNamed) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("coproduce_bad_locale_" + std::to_string(::getpid()));
  fs::create_directories(dir / "cy" / "LC_MESSAGES");
  std::ofstream(dir / "cy" / "LC_MESSAGES" / "coproduce.mo") << "this is not a catalogue";
  auto c = Catalogues::load(dir.string());
  fs::remove_all(dir);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().where().file.find("cy/LC_MESSAGES/coproduce.mo"), std::string::npos);
}

TEST(Fill, PutsInEachValueAndSkipsANameTheTextLacks) {
  EXPECT_EQ(fill("{date} am {time}", {{"date", "3 Mawrth"}, {"time", "14:00"}}), "3 Mawrth am 14:00");
  // A translator may leave a name out, or use it twice: neither is an error.
  EXPECT_EQ(fill("Heb ddyddiad", {{"date", "3 Mawrth"}}), "Heb ddyddiad");
  EXPECT_EQ(fill("{n} o {n}", {{"n", "2"}}), "2 o 2");
  // A value holding a name is not filled in again.
  EXPECT_EQ(fill("{a}", {{"a", "{a}{a}"}}), "{a}{a}");
}

TEST(CollapseSpace, MakesRunsOneSpace) {
  EXPECT_EQ(collapse_space("  Use the\n      email address\t and  password. "), "Use the email address and password.");
  EXPECT_EQ(collapse_space(""), "");
  EXPECT_EQ(collapse_space(" \n "), "");
}

}  // namespace
}  // namespace coproduce::i18n
