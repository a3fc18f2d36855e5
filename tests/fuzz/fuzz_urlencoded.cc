// Fuzzes the url-encoded form parser: it must refuse or parse, never crash,
// and whatever it accepts is valid UTF-8.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "web/forms.h"

using namespace coproduce::web;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  FormLimits limits;
  limits.max_fields = 50;
  limits.max_field_length = 4096;
  auto form = parse_urlencoded(body, limits);
  if (form.ok()) {
    if (form->fields().size() > limits.max_fields) std::abort();
    for (const auto& [name, value] : form->fields()) {
      if (!valid_utf8(name) || !valid_utf8(value) || value.size() > limits.max_field_length) std::abort();
    }
  }
  return 0;
}
