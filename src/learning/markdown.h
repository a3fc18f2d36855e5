// Markdown to HTML for learning pages and case studies, through CommonMark
// (Debian's libcmark). Raw HTML in the source is not passed through, and
// links and images with unsafe schemes (javascript:, vbscript:, file:, and
// data: other than images) are dropped, so the output can go on a page as is.
#ifndef COPRODUCE_LEARNING_MARKDOWN_H_
#define COPRODUCE_LEARNING_MARKDOWN_H_

#include <string>
#include <string_view>

namespace coproduce::learning {

// Safe HTML for `markdown`. Headings are shifted down by `heading_offset`
// levels (so a "# Title" inside a page whose own heading is h1 becomes h2
// with an offset of 1), never past h6. Thread-safe.
std::string render_markdown(std::string_view markdown, int heading_offset = 1);

}  // namespace coproduce::learning

#endif  // COPRODUCE_LEARNING_MARKDOWN_H_
