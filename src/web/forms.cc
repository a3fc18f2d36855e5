#include "web/forms.h"

#include <algorithm>
#include <cctype>

namespace coproduce::web {
namespace {

Location at_field(std::string name) {
  Location l;
  l.field = std::move(name);
  return l;
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

Status check_text_field(const std::string& name, const std::string& value, const FormLimits& limits) {
  if (!valid_utf8(name)) return InvalidInput("A form field name is not valid UTF-8 text");
  if (value.size() > limits.max_field_length) {
    return InvalidInput("The answer is too long: at most " + std::to_string(limits.max_field_length) + " bytes",
                        at_field(name));
  }
  if (!valid_utf8(value)) return InvalidInput("The answer contains characters that are not valid text", at_field(name));
  return Status::Ok();
}

// The value of `param` in a header like `form-data; name="a"; filename="b"`.
bool header_param(std::string_view header, std::string_view param, std::string* out) {
  size_t pos = 0;
  while (pos < header.size()) {
    size_t semi = header.find(';', pos);
    std::string_view part = trim(header.substr(pos, semi == std::string_view::npos ? std::string_view::npos : semi - pos));
    size_t eq = part.find('=');
    if (eq != std::string_view::npos && lower(trim(part.substr(0, eq))) == param) {
      std::string_view v = trim(part.substr(eq + 1));
      if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
      *out = std::string(v);
      return true;
    }
    if (semi == std::string_view::npos) break;
    pos = semi + 1;
  }
  return false;
}

}  // namespace

std::string Form::get(std::string_view name) const {
  for (const auto& [n, v] : fields_) {
    if (n == name) return v;
  }
  return "";
}

std::vector<std::string> Form::all(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& [n, v] : fields_) {
    if (n == name) out.push_back(v);
  }
  return out;
}

bool Form::has(std::string_view name) const {
  return std::any_of(fields_.begin(), fields_.end(), [&](const auto& f) { return f.first == name; });
}

const UploadedFile* Form::file(std::string_view name) const {
  for (const auto& f : files_) {
    if (f.field == name) return &f;
  }
  return nullptr;
}

StatusOr<Form> parse_urlencoded(std::string_view body, const FormLimits& limits) {
  Form form;
  size_t count = 0;
  while (!body.empty()) {
    size_t amp = body.find('&');
    std::string_view pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
    if (pair.empty()) continue;
    if (++count > limits.max_fields) {
      return InvalidInput("The form has too many fields: at most " + std::to_string(limits.max_fields));
    }
    size_t eq = pair.find('=');
    std::string name, value;
    if (!percent_decode(pair.substr(0, eq), &name, true)) return InvalidInput("The form is not correctly encoded");
    if (eq != std::string_view::npos && !percent_decode(pair.substr(eq + 1), &value, true)) {
      return InvalidInput("The form is not correctly encoded", at_field(name));
    }
    if (Status s = check_text_field(name, value, limits); !s.ok()) return s;
    form.add(std::move(name), std::move(value));
  }
  return form;
}

StatusOr<Form> parse_multipart(std::string_view body, std::string_view content_type, const FormLimits& limits) {
  std::string boundary;
  if (!header_param(content_type, "boundary", &boundary) || boundary.empty() || boundary.size() > 200) {
    return InvalidInput("The upload has no valid boundary");
  }
  const std::string delimiter = "--" + boundary;
  size_t pos = body.find(delimiter);
  if (pos == std::string_view::npos) return InvalidInput("The upload is not a complete multipart form");
  pos += delimiter.size();
  Form form;
  size_t parts = 0;
  for (;;) {
    if (body.substr(pos, 2) == "--") return form;  // the closing delimiter
    if (body.substr(pos, 2) != "\r\n") return InvalidInput("The upload is not a complete multipart form");
    pos += 2;
    size_t header_end = body.find("\r\n\r\n", pos);
    if (header_end == std::string_view::npos) return InvalidInput("A part of the upload has no end to its headers");
    std::string_view headers = body.substr(pos, header_end - pos);
    size_t content_start = header_end + 4;
    size_t next = body.find("\r\n" + delimiter, content_start);
    if (next == std::string_view::npos) return InvalidInput("The upload ended before its last part was complete");
    std::string_view content = body.substr(content_start, next - content_start);
    pos = next + 2 + delimiter.size();

    if (++parts > limits.max_fields + limits.max_files) return InvalidInput("The form has too many fields");
    std::string disposition, part_type = "text/plain";
    while (!headers.empty()) {
      size_t eol = headers.find("\r\n");
      std::string_view line = headers.substr(0, eol);
      headers = eol == std::string_view::npos ? std::string_view() : headers.substr(eol + 2);
      size_t colon = line.find(':');
      if (colon == std::string_view::npos) return InvalidInput("A part of the upload has a malformed header");
      std::string hname = lower(trim(line.substr(0, colon)));
      if (hname == "content-disposition") disposition = std::string(trim(line.substr(colon + 1)));
      if (hname == "content-type") part_type = std::string(trim(line.substr(colon + 1)));
    }
    std::string name, filename;
    if (lower(disposition).rfind("form-data", 0) != 0 || !header_param(disposition, "name", &name)) {
      return InvalidInput("A part of the upload has no field name");
    }
    if (header_param(disposition, "filename", &filename)) {
      if (form.files().size() >= limits.max_files) {
        return InvalidInput("Too many files: at most " + std::to_string(limits.max_files), at_field(name));
      }
      if (content.size() > limits.max_file_size) {
        return InvalidInput("The file is too big: at most " + std::to_string(limits.max_file_size / (1024 * 1024)) +
                                " MB",
                            at_field(name));
      }
      // Browsers may send a full path; keep only the last component.
      if (size_t slash = filename.find_last_of("/\\"); slash != std::string::npos) filename.erase(0, slash + 1);
      if (!valid_utf8(filename)) return InvalidInput("The file name is not valid text", at_field(name));
      if (filename.empty() && content.empty()) continue;  // a file input left empty
      form.add_file({name, filename, part_type, std::string(content)});
    } else {
      std::string value(content);
      if (Status s = check_text_field(name, value, limits); !s.ok()) return s;
      form.add(std::move(name), std::move(value));
    }
  }
}

StatusOr<Form> parse_form(const Request& request, const FormLimits& limits) {
  std::string type = lower(request.header("content-type"));
  if (type.rfind("multipart/form-data", 0) == 0) {
    return parse_multipart(request.body, request.header("content-type"), limits);
  }
  if (request.body.empty() || type.empty() || type.rfind("application/x-www-form-urlencoded", 0) == 0) {
    return parse_urlencoded(request.body, limits);
  }
  return InvalidInput("The form was sent in a format this site does not accept");
}

}  // namespace coproduce::web
