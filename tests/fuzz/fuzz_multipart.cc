// Fuzzes the multipart/form-data parser under small limits.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "web/forms.h"

using namespace coproduce::web;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  FormLimits limits;
  limits.max_fields = 20;
  limits.max_files = 3;
  limits.max_file_size = 1024;
  auto form = parse_multipart(body, "multipart/form-data; boundary=XyZ", limits);
  if (form.ok()) {
    if (form->files().size() > limits.max_files) std::abort();
    for (const auto& f : form->files()) {
      if (f.data.size() > limits.max_file_size || !valid_utf8(f.filename)) std::abort();
    }
    for (const auto& [name, value] : form->fields()) {
      if (!valid_utf8(value)) std::abort();
    }
  }
  return 0;
}
