#include "web/forms.h"

#include <gtest/gtest.h>

namespace coproduce::web {
namespace {

TEST(Urlencoded, ReadsFieldsInOrderWithRepeats) {
  auto f = parse_urlencoded("name=Ada+Lovelace&tick=a&tick=b&empty=&flag", {});
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->get("name"), "Ada Lovelace");
  EXPECT_EQ(f->all("tick"), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(f->has("empty"));
  EXPECT_TRUE(f->has("flag"));
  EXPECT_FALSE(f->has("nope"));
}

TEST(Urlencoded, LimitsAreEnforcedWithAFieldName) {
  FormLimits limits;
  limits.max_fields = 2;
  limits.max_field_length = 5;
  EXPECT_FALSE(parse_urlencoded("a=1&b=2&c=3", limits).ok());
  auto long_field = parse_urlencoded("bio=toolong", limits);
  ASSERT_FALSE(long_field.ok());
  EXPECT_EQ(long_field.status().where().field, "bio");
}

TEST(Urlencoded, InvalidUtf8AndBadEscapesAreRefused) {
  auto bad = parse_urlencoded("name=%C3%28", {});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().where().field, "name");
  EXPECT_FALSE(parse_urlencoded("name=%G1", {}).ok());
}

constexpr const char* kType = "multipart/form-data; boundary=----B0undary";

TEST(Multipart, ReadsFieldsAndFiles) {
  std::string body =
      "preamble\r\n"
      "------B0undary\r\n"
      "Content-Disposition: form-data; name=\"title\"\r\n\r\n"
      "Hello, world\r\n"
      "------B0undary\r\n"
      "Content-Disposition: form-data; name=\"pool\"; filename=\"C:\\\\Users\\\\me\\\\people.csv\"\r\n"
      "Content-Type: text/csv\r\n\r\n"
      "id,age\r\n1,30\r\n"
      "\r\n------B0undary--\r\n";
  auto f = parse_multipart(body, kType, {});
  ASSERT_TRUE(f.ok()) << f.status().to_string();
  EXPECT_EQ(f->get("title"), "Hello, world");
  const UploadedFile* file = f->file("pool");
  ASSERT_NE(file, nullptr);
  EXPECT_EQ(file->filename, "people.csv");
  EXPECT_EQ(file->content_type, "text/csv");
  EXPECT_EQ(file->data, "id,age\r\n1,30\r\n");
}

TEST(Multipart, AnEmptyFileInputIsNoFile) {
  std::string body =
      "------B0undary\r\nContent-Disposition: form-data; name=\"pool\"; filename=\"\"\r\n\r\n\r\n------B0undary--";
  auto f = parse_multipart(body, kType, {});
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->file("pool"), nullptr);
}

TEST(Multipart, MalformedBodiesAreRefused) {
  for (const char* body : {
           "",
           "------B0undary\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno closing delimiter",
           "------B0undary\r\nno blank line after headers",
           "------B0undary\r\nContent-Disposition: attachment\r\n\r\nx\r\n------B0undary--",
           "------B0undary\r\nBroken header\r\n\r\nx\r\n------B0undary--",
       }) {
    EXPECT_FALSE(parse_multipart(body, kType, {}).ok()) << body;
  }
  EXPECT_FALSE(parse_multipart("x", "multipart/form-data", {}).ok()) << "no boundary";
}

TEST(Multipart, FileSizeIsLimited) {
  FormLimits limits;
  limits.max_file_size = 4;
  std::string body =
      "------B0undary\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.csv\"\r\n\r\n12345\r\n------B0undary--";
  auto f = parse_multipart(body, kType, limits);
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.status().where().field, "f");
}

}  // namespace
}  // namespace coproduce::web
