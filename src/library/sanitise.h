// Safe HTML from HTML another organisation wrote. Case studies arrive from
// other sites' feeds (JSON Feed content_html); their markup is untrusted, so it
// is parsed with a real HTML5 parser (libgumbo) and only what an allowlist
// permits is written back out. Nothing here matches markup with patterns.
#ifndef COPRODUCE_LIBRARY_SANITISE_H_
#define COPRODUCE_LIBRARY_SANITISE_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace coproduce::library {

// Limits on untrusted HTML. libgumbo has none of its own, and some small
// documents cost it quadratic time or explode in memory (deep nesting, a tag
// with thousands of attributes, formatting elements the parser clones into
// every paragraph). A document over a limit is cut off cleanly and the report
// says so: a prefix within the limits is used (the longest, for the byte and
// tag limits; for the parser's budgets, the first of halves that fits).
// Debian's libgumbo also aborts the process on some svg/math markup, so svg
// and math tags are renamed before parsing and never parsed as such.
inline constexpr std::size_t kMaxHtmlBytes = std::size_t{1} << 20;         // default for max_bytes
inline constexpr std::size_t kMaxHtmlTags = 10'000;                        // start and end tags in the input
inline constexpr std::size_t kMaxHtmlNodes = 50'000;                       // nodes the parser builds
inline constexpr std::size_t kMaxHtmlAttributes = 5'000;                   // attributes the parser builds
inline constexpr std::size_t kMaxHtmlParseMemory = std::size_t{64} << 20;  // bytes the parser allocates

// What sanitise_html took out, for logs and for telling an importer that a
// case study lost something.
struct SanitiseReport {
  int removed_elements = 0;    // dropped (with content) or unwrapped (content kept)
  int removed_attributes = 0;  // attributes not on the allowlist or with a bad value
  int removed_urls = 0;        // href/src values that were not safe absolute URLs
  bool truncated = false;      // the document was cut off at a limit
  // Active content: what would run code or load another page if the HTML
  // were shown as it came. Script-like elements (script, noscript, iframe,
  // frame, frameset, object, embed, applet, base, meta with http-equiv), event
  // handler attributes (onclick, onload...) on any element, and
  // javascript:, vbscript: or data: addresses in URL attributes (href, src,
  // action, formaction, poster, srcset...). Counted everywhere in the
  // parsed part of the document, inside dropped elements (svg, template...)
  // too. The output never holds any of it; an importer can still refuse
  // HTML that did, since it was not written to be shown as is.
  int active_content = 0;
  // The first of them in words, for a message: "a <script> element",
  // "an onclick attribute", "a javascript: address"; "" when none.
  std::string first_active_content;
};

// Safe HTML from untrusted `html`, to place inside a page's `.app-prose`
// element. Thread-safe; no shared state.
//
// Allowlist: p, br, h1-h6, ul, ol, li, blockquote, strong, em, b, i,
// a (href, title), img (src, alt, width, height), figure, figcaption, table,
// thead, tbody, tr, th (scope), td, caption, hr, code, pre, span (no
// attributes). No class, id or style survives; pages style `.app-prose`
// descendants.
//  - script, style, iframe, object, embed, template, noscript, svg, math, form,
//    input, button, select, textarea, link, meta, base (and the like: applet,
//    frame(set), noembed, noframes, title, audio, video, canvas, option...) are
//    dropped with their content; any other element is unwrapped, keeping its
//    content. Comments, doctypes and processing instructions are dropped.
//  - a: href must be an absolute http://, https:// or mailto: URL, judged after
//    entity decoding, trimming spaces and control characters and removing
//    tabs and line breaks (so " JAVASCRIPT:" and "java&#x09;script:" are
//    caught); otherwise href is removed and the <a> kept. Links that keep an
//    href get rel="nofollow noopener noreferrer".
//  - img: src must be an absolute http:// or https:// URL, otherwise the image
//    is removed. Relative URLs are removed too: the content comes from another
//    site, and a relative URL here would point at ours. alt is kept whatever
//    its value (alt="" marks a decorative image); width and height only as
//    1-4 digits.
//  - th: scope only as row, col, rowgroup or colgroup.
//  - Headings move down `heading_offset` levels (h1 -> h2 with 1), to sit
//    under the page's own heading; h6 is the floor.
//  - Text and attribute values are escaped (&, <, > and, in attributes, ").
//    Output is valid UTF-8 (bad bytes become U+FFFD).
//  - Input past `max_bytes` is ignored and the output is never longer than
//    `max_bytes`; elements open at the cut are closed.
// `report`, if given, receives what was taken out.
//
// Example: sanitise_html("<h1 onclick=x>Hi</h1><script>x</script>")
//          == "<h2>Hi</h2>"
std::string sanitise_html(std::string_view html, int heading_offset = 1, SanitiseReport* report = nullptr,
                          std::size_t max_bytes = kMaxHtmlBytes);

// Plain text of untrusted `html`, for search and summaries: tags removed,
// entities decoded, what sanitise_html drops with its content left out, block
// boundaries (paragraphs, headings, list items, table rows, <br>) as "\n",
// runs of other whitespace (non-breaking spaces included) as one space, no
// empty lines. The same limits apply. Thread-safe.
//
// Example: html_to_text("<p>Fish &amp; chips</p><ul><li>One</li></ul>")
//          == "Fish & chips\nOne"
std::string html_to_text(std::string_view html, std::size_t max_bytes = kMaxHtmlBytes);

}  // namespace coproduce::library

#endif  // COPRODUCE_LIBRARY_SANITISE_H_
