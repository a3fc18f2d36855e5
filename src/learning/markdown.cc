#include "learning/markdown.h"

#include <algorithm>
#include <memory>

#include <cmark.h>

namespace coproduce::learning {

namespace {

// cmark's safe mode (no CMARK_OPT_UNSAFE) replaces raw HTML with a comment and
// empties the URL of javascript:, vbscript:, file: and non-image data: links.
// CMARK_OPT_SMART is left out on purpose: quotes and dashes stay as typed.
// CMARK_OPT_VALIDATE_UTF8 turns bytes that are not UTF-8 into U+FFFD, so the
// page never carries broken text.
constexpr int kOptions = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8;

// Owns a parsed document.
struct NodeDeleter {
  void operator()(cmark_node* node) const { cmark_node_free(node); }
};
struct IterDeleter {
  void operator()(cmark_iter* iter) const { cmark_iter_free(iter); }
};

void shift_headings(cmark_node* root, int offset) {
  std::unique_ptr<cmark_iter, IterDeleter> iter(cmark_iter_new(root));
  for (cmark_event_type ev = cmark_iter_next(iter.get()); ev != CMARK_EVENT_DONE; ev = cmark_iter_next(iter.get())) {
    cmark_node* node = cmark_iter_get_node(iter.get());
    if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(node) != CMARK_NODE_HEADING) continue;
    int level = std::clamp(cmark_node_get_heading_level(node) + offset, 1, 6);
    cmark_node_set_heading_level(node, level);
  }
}

}  // namespace

std::string render_markdown(std::string_view markdown, int heading_offset) {
  std::unique_ptr<cmark_node, NodeDeleter> doc(cmark_parse_document(markdown.data(), markdown.size(), kOptions));
  if (!doc) return {};  // cmark fails only when it cannot allocate
  // Clamped first so a huge offset cannot overflow; six levels is the most a heading can move.
  heading_offset = std::clamp(heading_offset, -6, 6);
  if (heading_offset != 0) shift_headings(doc.get(), heading_offset);
  char* html = cmark_render_html(doc.get(), kOptions);
  if (html == nullptr) return {};
  std::string out(html);
  // The document was parsed with the default allocator, which made `html`.
  cmark_get_default_mem_allocator()->free(html);
  return out;
}

}  // namespace coproduce::learning
