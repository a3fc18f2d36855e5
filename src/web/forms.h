// Form bodies: application/x-www-form-urlencoded and multipart/form-data.
//
// Both parsers enforce limits and reject malformed input or invalid UTF-8 in
// field values with a Status naming the field, so nothing reaches a handler
// that it would have to second-guess.
#ifndef COPRODUCE_WEB_FORMS_H_
#define COPRODUCE_WEB_FORMS_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "web/http.h"

namespace coproduce::web {

struct FormLimits {
  size_t max_fields = 500;
  size_t max_field_length = 64 * 1024;  // per text field, in bytes
  size_t max_files = 10;
  size_t max_file_size = 8 * 1024 * 1024;
};

struct UploadedFile {
  std::string field;
  std::string filename;      // as the browser sent it, without any folder
  std::string content_type;
  std::string data;
};

class Form {
 public:
  // The first value of `name`, or "".
  std::string get(std::string_view name) const;
  // Every value of `name`, in order (checkboxes).
  std::vector<std::string> all(std::string_view name) const;
  bool has(std::string_view name) const;
  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }
  const std::vector<UploadedFile>& files() const { return files_; }
  // The first file sent as `name`, or nullptr.
  const UploadedFile* file(std::string_view name) const;

  void add(std::string name, std::string value) { fields_.emplace_back(std::move(name), std::move(value)); }
  void add_file(UploadedFile f) { files_.push_back(std::move(f)); }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
  std::vector<UploadedFile> files_;
};

StatusOr<Form> parse_urlencoded(std::string_view body, const FormLimits& limits);
// `content_type` is the whole header, from which the boundary is taken.
StatusOr<Form> parse_multipart(std::string_view body, std::string_view content_type, const FormLimits& limits);
// Chooses the parser by the request's Content-Type; an empty body is an empty form.
StatusOr<Form> parse_form(const Request& request, const FormLimits& limits);

}  // namespace coproduce::web

#endif  // COPRODUCE_WEB_FORMS_H_
