#include "web/templates.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace coproduce::web {
namespace {

namespace fs = std::filesystem;

class TemplatesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("coproduce-templates-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "partials");
    fs::create_directories(dir_ / "area");
  }
  void TearDown() override { fs::remove_all(dir_); }
  void write(const std::string& name, const std::string& text) { std::ofstream(dir_ / name) << text; }
  fs::path dir_;
};

TEST_F(TemplatesTest, EscapesByDefaultAndRendersPartialsListsAndFlags) {
  write("partials/greeting.mustache", "Hi {{name}}");
  write("area/page.mustache", "{{> greeting}}|{{{raw}}}|{{#items}}[{{.}}]{{/items}}|{{#flag}}yes{{/flag}}{{^off}}no{{/off}}|{{n}}");
  auto set = TemplateSet::load(dir_.string());
  ASSERT_TRUE(set.ok()) << set.status().to_string();
  std::string out = (*set)->render("area/page", {{"name", "<b>Ada</b>"},
                                                 {"raw", "<i>ok</i>"},
                                                 {"items", {"a", "<"}},
                                                 {"flag", true},
                                                 {"off", false},
                                                 {"n", 42}});
  EXPECT_EQ(out, "Hi &lt;b&gt;Ada&lt;/b&gt;|<i>ok</i>|[a][&lt;]|yesno|42");
}

TEST_F(TemplatesTest, ABrokenTemplateIsNamedAtLoad) {
  write("area/broken.mustache", "{{#open}} never closed");
  auto set = TemplateSet::load(dir_.string());
  ASSERT_FALSE(set.ok());
  EXPECT_NE(set.status().to_string().find("broken.mustache"), std::string::npos);
}

TEST(ProjectTemplates, AllParse) {
  const char* src = std::getenv("COPRODUCE_SOURCE_DIR");
  ASSERT_NE(src, nullptr);
  auto set = TemplateSet::load(std::string(src) + "/templates");
  ASSERT_TRUE(set.ok()) << set.status().to_string();
  for (const char* name : {"layout", "errors/error", "account/sign_in", "public/home"}) {
    EXPECT_TRUE((*set)->has(name)) << name;
  }
}

}  // namespace
}  // namespace coproduce::web
