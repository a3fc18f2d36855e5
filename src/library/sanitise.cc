#include "library/sanitise.h"

#include <gumbo.h>

#include <algorithm>
#include <csetjmp>
#include <cstddef>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

namespace coproduce::library {
namespace {

// ---------------------------------------------------------------------------
// Parsing with limits

// Every byte libgumbo allocates during one parse comes from here and is freed
// with the arena; gumbo's own frees do nothing. That does two things gumbo
// cannot: a parse that goes over budget can be abandoned part-way (longjmp out
// of the allocator; gumbo is C, so no destructor is skipped), and a deep tree is
// freed without recursion (gumbo_destroy_output recurses, and overflows the
// stack at a few hundred thousand levels).
class ParseArena {
 public:
  ParseArena() = default;
  ParseArena(const ParseArena&) = delete;
  ParseArena& operator=(const ParseArena&) = delete;
  ~ParseArena() { release(); }

  // Frees everything and resets the budget.
  void release() {
    while (blocks_ != nullptr) {
      Block* next = blocks_->next;
      std::free(blocks_);
      blocks_ = next;
    }
    cursor_ = nullptr;
    left_ = 0;
    allocated_ = nodes_ = attributes_ = 0;
  }

  // GumboOptions callbacks; `self` is the arena.
  static void* allocate(void* self, size_t size) { return static_cast<ParseArena*>(self)->allocate(size); }
  static void deallocate(void* /*self*/, void* /*ptr*/) {}

  // Where allocate jumps when the parse goes over budget; set by the parse.
  std::jmp_buf over_budget;

 private:
  struct alignas(alignof(std::max_align_t)) Block {
    Block* next;
  };
  static constexpr size_t kAlign = alignof(std::max_align_t);
  static constexpr size_t kBlockSize = 64 * 1024;

  void* allocate(size_t size) {
    // Gumbo allocates each node and each attribute on its own, so counting
    // allocations of exactly their size counts them. A string that happens to
    // have the same size is counted too, which only makes the limit stricter.
    if (size == sizeof(GumboNode) && ++nodes_ > kMaxHtmlNodes) std::longjmp(over_budget, 1);
    if (size == sizeof(GumboAttribute) && ++attributes_ > kMaxHtmlAttributes) std::longjmp(over_budget, 1);
    const size_t rounded = (std::max<size_t>(size, 1) + kAlign - 1) / kAlign * kAlign;
    allocated_ += rounded;
    if (allocated_ > kMaxHtmlParseMemory) std::longjmp(over_budget, 1);
    if (rounded > kBlockSize / 4) return new_block(rounded);
    if (rounded > left_) {
      cursor_ = new_block(kBlockSize);
      left_ = kBlockSize;
    }
    void* p = cursor_;
    cursor_ += rounded;
    left_ -= rounded;
    return p;
  }

  char* new_block(size_t size) {
    void* raw = std::malloc(sizeof(Block) + size);
    if (raw == nullptr) std::longjmp(over_budget, 1);
    blocks_ = new (raw) Block{blocks_};
    return static_cast<char*>(raw) + sizeof(Block);
  }

  Block* blocks_ = nullptr;
  char* cursor_ = nullptr;
  size_t left_ = 0;
  size_t allocated_ = 0;
  size_t nodes_ = 0;
  size_t attributes_ = 0;
};

bool is_ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

bool starts_with_ignoring_case(std::string_view text, std::string_view lower_prefix) {
  if (text.size() < lower_prefix.size()) return false;
  for (size_t i = 0; i < lower_prefix.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower_prefix[i]) return false;
  }
  return true;
}

// The longest prefix of `text` of at most `max_bytes` that does not end part
// way through a UTF-8 sequence.
std::string_view utf8_prefix(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t end = max_bytes;
  for (int i = 0; i < 3 && end > 0 && is_continuation(text[end]); ++i) --end;
  return text.substr(0, end);
}

// `html` cut before its (kMaxHtmlTags + 1)th tag. Every tag the HTML tokenizer
// emits starts "<" or "</" and a letter, so counting those everywhere (inside
// comments and scripts too) never undercounts. This bounds the parser's work
// for deep nesting, which is quadratic in gumbo.
std::string_view within_tag_limit(std::string_view html) {
  size_t tags = 0;
  for (size_t i = 0; i + 1 < html.size(); ++i) {
    if (html[i] != '<') continue;
    const bool start = is_ascii_alpha(html[i + 1]);
    const bool end = html[i + 1] == '/' && i + 2 < html.size() && is_ascii_alpha(html[i + 2]);
    if ((start || end) && ++tags > kMaxHtmlTags) return html.substr(0, i);
  }
  return html;
}

// What svg and math start and end tags are renamed to before parsing.
constexpr std::string_view kForeignRename = "coproduce-dropped-";

// `html` with every svg and math tag renamed, so the parser never enters
// foreign content. Debian's libgumbo 0.10.1 fails an assertion, aborting the
// process, on foreign elements named like HTML ones (for example
// "<table><svg><select><title><select><table>"; fixed upstream after the
// release, in commit 14c633d). svg and math are dropped with their content
// anyway, and the renamed elements are too. The tokenizer's tag name is
// exactly the letters after "<" or "</" up to a space, "/" or ">", ASCII
// lower-cased, so this finds every svg and math tag; where the same letters
// are not a tag (in a comment, a script, an attribute value) only dropped or
// quoted text changes.
std::string without_foreign_content(std::string_view html) {
  std::string out;
  out.reserve(html.size());
  size_t i = 0;
  while (i < html.size()) {
    const size_t lt = html.find('<', i);
    if (lt == std::string_view::npos) {
      out += html.substr(i);
      break;
    }
    size_t name = lt + 1;
    if (name < html.size() && html[name] == '/') ++name;
    out += html.substr(i, name - i);
    const std::string_view rest = html.substr(name);
    for (std::string_view root : {std::string_view("svg"), std::string_view("math")}) {
      if (!starts_with_ignoring_case(rest, root)) continue;
      if (rest.size() == root.size() ||
          std::string_view("\t\n\f\r />").find(rest[root.size()]) != std::string_view::npos) {
        out += kForeignRename;
      }
    }
    i = name;
  }
  return out;
}

// Parses `html` as the content of a <div> (content_html is a fragment), or
// returns nullptr if the parse went over the arena's budget.
GumboOutput* parse_in(ParseArena& arena, std::string_view html) {
  GumboOptions options = kGumboDefaultOptions;
  options.allocator = &ParseArena::allocate;
  options.deallocator = &ParseArena::deallocate;
  options.userdata = &arena;
  options.max_errors = 0;  // parse errors are not used; recording them costs memory
  options.fragment_context = GUMBO_TAG_DIV;
  options.fragment_namespace = GUMBO_NAMESPACE_HTML;
  if (setjmp(arena.over_budget) != 0) return nullptr;
  return gumbo_parse_with_options(&options, html.data(), html.size());
}

// The tree of untrusted `html`, or of a prefix of it that fits the limits
// (the longest, for the byte and tag limits). The tree lives as long as this
// object.
class BoundedParse {
 public:
  BoundedParse(std::string_view html, size_t max_bytes) {
    std::string_view input = within_tag_limit(utf8_prefix(html, max_bytes));
    truncated_ = input.size() < html.size();
    for (;;) {
      arena_.release();
      parsed_ = without_foreign_content(input);
      output_ = parse_in(arena_, parsed_);
      if (output_ != nullptr || input.empty()) break;
      // Over budget: halve. Each failed try is bounded by the budget, so a
      // hostile document costs a few bounded parses at most.
      truncated_ = true;
      input = utf8_prefix(input, input.size() / 2);
    }
  }

  // The element whose children are the fragment; nullptr if nothing parsed.
  const GumboNode* root() const { return output_ == nullptr ? nullptr : output_->root; }
  bool truncated() const { return truncated_; }

 private:
  ParseArena arena_;
  std::string parsed_;  // what was parsed; the tree points into it
  GumboOutput* output_ = nullptr;
  bool truncated_ = false;
};

// ---------------------------------------------------------------------------
// What the allowlist says

// The allowlist. An element on neither list is unwrapped: its content is kept.
constexpr GumboTag kAllowedTags[] = {
    GUMBO_TAG_P,      GUMBO_TAG_BR,         GUMBO_TAG_H1,      GUMBO_TAG_H2,    GUMBO_TAG_H3,    GUMBO_TAG_H4,
    GUMBO_TAG_H5,     GUMBO_TAG_H6,         GUMBO_TAG_UL,      GUMBO_TAG_OL,    GUMBO_TAG_LI,    GUMBO_TAG_BLOCKQUOTE,
    GUMBO_TAG_STRONG, GUMBO_TAG_EM,         GUMBO_TAG_B,       GUMBO_TAG_I,     GUMBO_TAG_A,     GUMBO_TAG_IMG,
    GUMBO_TAG_FIGURE, GUMBO_TAG_FIGCAPTION, GUMBO_TAG_TABLE,   GUMBO_TAG_THEAD, GUMBO_TAG_TBODY, GUMBO_TAG_TR,
    GUMBO_TAG_TH,     GUMBO_TAG_TD,         GUMBO_TAG_CAPTION, GUMBO_TAG_HR,    GUMBO_TAG_CODE,  GUMBO_TAG_PRE,
    GUMBO_TAG_SPAN,
};

// Code, embedded documents, forms and document metadata: their content is not
// prose, so it goes with them. Media and canvas go too, since their content is
// only "your browser cannot show this" fallback.
constexpr GumboTag kDroppedWithContent[] = {
    GUMBO_TAG_SCRIPT,   GUMBO_TAG_STYLE,    GUMBO_TAG_IFRAME,   GUMBO_TAG_OBJECT,   GUMBO_TAG_EMBED,
    GUMBO_TAG_TEMPLATE, GUMBO_TAG_NOSCRIPT, GUMBO_TAG_SVG,      GUMBO_TAG_MATH,     GUMBO_TAG_FORM,
    GUMBO_TAG_INPUT,    GUMBO_TAG_BUTTON,   GUMBO_TAG_SELECT,   GUMBO_TAG_TEXTAREA, GUMBO_TAG_LINK,
    GUMBO_TAG_META,     GUMBO_TAG_BASE,     GUMBO_TAG_HEAD,     GUMBO_TAG_TITLE,    GUMBO_TAG_APPLET,
    GUMBO_TAG_FRAME,    GUMBO_TAG_FRAMESET, GUMBO_TAG_NOFRAMES, GUMBO_TAG_NOEMBED,  GUMBO_TAG_PARAM,
    GUMBO_TAG_AUDIO,    GUMBO_TAG_VIDEO,    GUMBO_TAG_SOURCE,   GUMBO_TAG_TRACK,    GUMBO_TAG_CANVAS,
    GUMBO_TAG_DATALIST, GUMBO_TAG_OPTGROUP, GUMBO_TAG_OPTION,   GUMBO_TAG_KEYGEN,   GUMBO_TAG_MENUITEM,
    GUMBO_TAG_BGSOUND,  GUMBO_TAG_ISINDEX,
};

// Elements that start on a new line when rendered: in sanitised output, text
// either side of an unwrapped one is kept apart; in plain text, they are lines
// (a table row is a line; its cells are separated by spaces).
constexpr GumboTag kBlockTags[] = {
    GUMBO_TAG_P,          GUMBO_TAG_H1,      GUMBO_TAG_H2,         GUMBO_TAG_H3,      GUMBO_TAG_H4,
    GUMBO_TAG_H5,         GUMBO_TAG_H6,      GUMBO_TAG_UL,         GUMBO_TAG_OL,      GUMBO_TAG_LI,
    GUMBO_TAG_BLOCKQUOTE, GUMBO_TAG_FIGURE,  GUMBO_TAG_FIGCAPTION, GUMBO_TAG_TABLE,   GUMBO_TAG_THEAD,
    GUMBO_TAG_TBODY,      GUMBO_TAG_TFOOT,   GUMBO_TAG_TR,         GUMBO_TAG_CAPTION, GUMBO_TAG_HR,
    GUMBO_TAG_BR,         GUMBO_TAG_PRE,     GUMBO_TAG_DIV,        GUMBO_TAG_SECTION, GUMBO_TAG_ARTICLE,
    GUMBO_TAG_ASIDE,      GUMBO_TAG_NAV,     GUMBO_TAG_HEADER,     GUMBO_TAG_FOOTER,  GUMBO_TAG_MAIN,
    GUMBO_TAG_ADDRESS,    GUMBO_TAG_HGROUP,  GUMBO_TAG_DL,         GUMBO_TAG_DT,      GUMBO_TAG_DD,
    GUMBO_TAG_DETAILS,    GUMBO_TAG_SUMMARY, GUMBO_TAG_FIELDSET,   GUMBO_TAG_LEGEND,  GUMBO_TAG_CENTER,
    GUMBO_TAG_MENU,       GUMBO_TAG_DIR,     GUMBO_TAG_LISTING,    GUMBO_TAG_XMP,     GUMBO_TAG_PLAINTEXT,
    GUMBO_TAG_MARQUEE,    GUMBO_TAG_BODY,    GUMBO_TAG_HTML,
};

template <size_t N>
bool is_one_of(GumboTag tag, const GumboTag (&tags)[N]) {
  return std::find(tags, tags + N, tag) != tags + N;
}

enum class Fate { kKeep, kUnwrap, kDrop };

Fate fate_of(const GumboElement& element) {
  // Only svg and math put elements in other namespaces, and both are dropped,
  // but an element in one is never treated as HTML.
  if (element.tag_namespace != GUMBO_NAMESPACE_HTML) return Fate::kDrop;
  if (is_one_of(element.tag, kAllowedTags)) return Fate::kKeep;
  if (is_one_of(element.tag, kDroppedWithContent)) return Fate::kDrop;
  // A renamed svg or math element (see without_foreign_content).
  const std::string_view source(element.original_tag.data, element.original_tag.length);
  if (element.tag == GUMBO_TAG_UNKNOWN && source.size() > kForeignRename.size() &&
      source.substr(1, kForeignRename.size()) == kForeignRename) {
    return Fate::kDrop;
  }
  return Fate::kUnwrap;
}

bool is_block(GumboTag tag) { return is_one_of(tag, kBlockTags); }

bool is_ascii_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

bool is_void(GumboTag tag) { return tag == GUMBO_TAG_BR || tag == GUMBO_TAG_HR || tag == GUMBO_TAG_IMG; }

enum class UrlUse { kLink, kImage };

// The URL to write for an untrusted href or src value, which the parser has
// already entity-decoded; "" unless it is an absolute http(s) URL (or mailto:
// for a link). Like a browser, ignores leading and trailing spaces and control
// characters and tabs and line breaks anywhere, so they cannot hide a scheme.
// "https:foo" and "//host/x" are refused: both resolve against our site.
std::string safe_url(std::string_view value, UrlUse use) {
  size_t begin = 0;
  size_t end = value.size();
  while (begin < end && static_cast<unsigned char>(value[begin]) <= 0x20) ++begin;
  while (end > begin && static_cast<unsigned char>(value[end - 1]) <= 0x20) --end;
  std::string url;
  url.reserve(end - begin);
  for (char c : value.substr(begin, end - begin)) {
    if (c == '\t' || c == '\n' || c == '\r') continue;
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) return "";
    url += c;
  }
  for (std::string_view scheme :
       {std::string_view("https://"), std::string_view("http://"), std::string_view("mailto:")}) {
    if (scheme == "mailto:" && use != UrlUse::kLink) continue;
    if (starts_with_ignoring_case(url, scheme)) {
      url.replace(0, scheme.size(), scheme);  // the scheme in lower case
      return url;
    }
  }
  return "";
}

// What the allowlist makes of one attribute.
struct AttributeVerdict {
  bool keep = false;
  bool is_url = false;  // an href or src, kept or not
  std::string value;    // to write, unescaped
};

AttributeVerdict judge_attribute(GumboTag tag, std::string_view name, std::string_view value) {
  AttributeVerdict v;
  auto keep = [&v](std::string_view text) {
    v.keep = true;
    v.value = std::string(text);
  };
  if (tag == GUMBO_TAG_A) {
    if (name == "href") {
      v.is_url = true;
      v.value = safe_url(value, UrlUse::kLink);
      v.keep = !v.value.empty();
    } else if (name == "title") {
      keep(value);
    }
  } else if (tag == GUMBO_TAG_IMG) {
    if (name == "src") {
      v.is_url = true;
      v.value = safe_url(value, UrlUse::kImage);
      v.keep = !v.value.empty();
    } else if (name == "alt") {
      keep(value);
    } else if (name == "width" || name == "height") {
      if (!value.empty() && value.size() <= 4 &&
          std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        keep(value);
      }
    }
  } else if (tag == GUMBO_TAG_TH && name == "scope") {
    for (std::string_view scope : {"row", "col", "rowgroup", "colgroup"}) {
      if (value.size() == scope.size() && starts_with_ignoring_case(value, scope)) keep(scope);
    }
  }
  return v;
}

// ---------------------------------------------------------------------------
// Writing

// Length of the valid UTF-8 sequence at the start of `text`, or 0 if it does
// not start with one.
size_t utf8_sequence_length(std::string_view text) {
  const auto byte = [&text](size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) return 1;
  size_t length = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;   // overlong
    if (lead == 0xED) high = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;   // overlong
    if (lead == 0xF4) high = 0x8F;  // past U+10FFFF
  } else {
    return 0;
  }
  if (text.size() < length || byte(1) < low || byte(1) > high) return 0;
  for (size_t i = 2; i < length; ++i) {
    if (byte(i) < 0x80 || byte(i) > 0xBF) return 0;
  }
  return length;
}

constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";

// Calls `emit` with each character of `text` as a UTF-8 string_view, with
// U+FFFD for each byte that does not start a valid sequence. Stops when
// `emit` returns false.
template <typename Emit>
void for_each_character(std::string_view text, Emit emit) {
  size_t i = 0;
  while (i < text.size()) {
    const size_t length = utf8_sequence_length(text.substr(i));
    if (!emit(length == 0 ? kReplacementCharacter : text.substr(i, length))) return;
    i += std::max<size_t>(length, 1);
  }
}

std::string_view escaped(std::string_view character, bool in_attribute) {
  if (character.size() == 1) {
    switch (character[0]) {
      case '&':
        return "&amp;";
      case '<':
        return "&lt;";
      case '>':
        return "&gt;";
      case '"':
        if (in_attribute) return "&quot;";
        break;
      default:
        break;
    }
  }
  return character;
}

void append_escaped(std::string& out, std::string_view text, bool in_attribute) {
  for_each_character(text, [&](std::string_view c) {
    out += escaped(c, in_attribute);
    return true;
  });
}

// Output that never grows past a limit, counting the closing tags still owed
// so that a document cut off at the limit can always be closed.
class BoundedWriter {
 public:
  explicit BoundedWriter(size_t limit) : limit_(limit) {}

  bool full() const { return full_; }
  bool empty() const { return out_.empty(); }

  // Writes an opening tag and owes its closing tag ("" for a void element);
  // false, and full, if the two do not fit.
  bool open(std::string_view tag, std::string_view close) {
    if (!fits(tag.size() + close.size())) return false;
    out_ += tag;
    owed_ += close.size();
    return true;
  }
  // Writes a closing tag owed by open().
  void close(std::string_view tag) {
    out_ += tag;
    owed_ -= tag.size();
  }
  // Writes escaped text, as much as fits.
  void text(std::string_view text) {
    for_each_character(text, [this](std::string_view c) {
      const std::string_view e = escaped(c, false);
      if (!fits(e.size())) return false;
      out_ += e;
      return true;
    });
  }
  char last() const { return out_.empty() ? '\0' : out_.back(); }
  std::string take() { return std::move(out_); }

 private:
  bool fits(size_t size) {
    if (!full_ && out_.size() + owed_ + size <= limit_) return true;
    full_ = true;
    return false;
  }

  std::string out_;
  size_t limit_;
  size_t owed_ = 0;
  bool full_ = false;
};

// Writes the allowed part of a parsed tree. The walk keeps its own stack, so
// nesting depth cannot overflow the thread's.
class Sanitiser {
 public:
  Sanitiser(int heading_offset, size_t max_bytes, SanitiseReport& report)
      : heading_offset_(std::clamp(heading_offset, -5, 5)), out_(max_bytes), report_(report) {}

  std::string run(const GumboNode& root) {
    stack_.push_back({&root.v.element.children, 0, {}, false});
    while (!stack_.empty()) {
      Frame& frame = stack_.back();
      if (frame.next == frame.children->length || out_.full()) {
        leave(frame);
        stack_.pop_back();
        continue;
      }
      visit(*static_cast<const GumboNode*>(frame.children->data[frame.next++]));
    }
    return out_.take();
  }

  // Whether run() stopped at the output limit.
  bool cut_off() const { return out_.full(); }

 private:
  struct Frame {
    const GumboVector* children;
    unsigned next;
    std::string close;  // closing tag owed, "" for an unwrapped element
    bool block;
  };

  void visit(const GumboNode& node) {
    switch (node.type) {
      case GUMBO_NODE_TEXT:
      case GUMBO_NODE_WHITESPACE:
      case GUMBO_NODE_CDATA:
        text(node.v.text.text);
        break;
      case GUMBO_NODE_ELEMENT:
        element(node.v.element);
        break;
      case GUMBO_NODE_TEMPLATE:
        ++report_.removed_elements;
        break;
      case GUMBO_NODE_COMMENT:
      case GUMBO_NODE_DOCUMENT:
        break;
    }
  }

  void leave(const Frame& frame) {
    if (!frame.close.empty()) out_.close(frame.close);
    if (frame.block && frame.close.empty()) break_pending_ = true;
    if (frame.block && !frame.close.empty()) glued_ = false;
  }

  void text(std::string_view text) {
    if (text.empty()) return;
    // Whitespace already keeps words apart, so it leaves a break pending.
    if (!std::all_of(text.begin(), text.end(), is_ascii_space)) separate();
    out_.text(text);
    glued_ = !out_.empty() && !is_ascii_space(out_.last());
  }

  // Keeps the text either side of an unwrapped block element apart, as the
  // block did: "<div>One</div><div>Two</div>" becomes "One\nTwo", not "OneTwo".
  void separate() {
    if (break_pending_ && glued_) {
      out_.text("\n");
      glued_ = false;
    }
    break_pending_ = false;
  }

  void element(const GumboElement& e) {
    const int attributes = static_cast<int>(e.attributes.length);
    switch (fate_of(e)) {
      case Fate::kDrop:
        ++report_.removed_elements;
        return;
      case Fate::kUnwrap: {
        ++report_.removed_elements;
        report_.removed_attributes += attributes;
        const bool block = is_block(e.tag);
        if (block) break_pending_ = true;
        stack_.push_back({&e.children, 0, {}, block});
        return;
      }
      case Fate::kKeep:
        break;
    }

    const std::string name = output_name(e.tag);
    std::string tag = "<" + name;
    bool has_href = false;
    bool has_src = false;
    for (unsigned i = 0; i < e.attributes.length; ++i) {
      const auto* attribute = static_cast<const GumboAttribute*>(e.attributes.data[i]);
      const std::string_view attribute_name = attribute->name;
      AttributeVerdict verdict = judge_attribute(e.tag, attribute_name, attribute->value);
      if (!verdict.keep) {
        ++(verdict.is_url ? report_.removed_urls : report_.removed_attributes);
        continue;
      }
      has_href = has_href || attribute_name == "href";
      has_src = has_src || attribute_name == "src";
      tag += ' ';
      tag += attribute_name;
      tag += "=\"";
      append_escaped(tag, verdict.value, true);
      tag += '"';
    }
    if (e.tag == GUMBO_TAG_IMG && !has_src) {
      ++report_.removed_elements;
      return;
    }
    // Other sites' links get no credit from us, and no handle on our window.
    if (has_href) tag += " rel=\"nofollow noopener noreferrer\"";
    tag += '>';
    // The parser drops a newline straight after <pre>, so one that is content
    // needs another before it (as the HTML serialisation algorithm does).
    if (e.tag == GUMBO_TAG_PRE && e.children.length > 0) {
      const auto* first = static_cast<const GumboNode*>(e.children.data[0]);
      if ((first->type == GUMBO_NODE_TEXT || first->type == GUMBO_NODE_WHITESPACE) && first->v.text.text[0] == '\n') {
        tag += '\n';
      }
    }

    const bool block = is_block(e.tag);
    if (block) {
      break_pending_ = glued_ = false;  // a kept block element is its own separation
    } else {
      separate();
    }
    const std::string close = is_void(e.tag) ? "" : "</" + name + ">";
    if (!out_.open(tag, close)) return;
    if (e.tag == GUMBO_TAG_IMG) glued_ = true;
    if (!is_void(e.tag)) stack_.push_back({&e.children, 0, close, block});
  }

  std::string output_name(GumboTag tag) const {
    if (tag >= GUMBO_TAG_H1 && tag <= GUMBO_TAG_H6) {
      const int level = std::clamp(static_cast<int>(tag - GUMBO_TAG_H1) + 1 + heading_offset_, 1, 6);
      return "h" + std::to_string(level);
    }
    return gumbo_normalized_tagname(tag);
  }

  int heading_offset_;
  BoundedWriter out_;
  SanitiseReport& report_;
  std::vector<Frame> stack_;
  bool glued_ = false;          // the output ends in text the next text would run into
  bool break_pending_ = false;  // an unwrapped block element began or ended
};

// Collects plain text: whitespace runs become one space, block boundaries one
// line break, and no line starts or ends with a space.
class TextCollector {
 public:
  void text(std::string_view text) {
    for_each_character(text, [this](std::string_view c) {
      if ((c.size() == 1 && is_ascii_space(c[0])) || c == "\xC2\xA0") {
        space_ = !out_.empty();
      } else {
        if (line_break_) {
          out_ += '\n';
        } else if (space_) {
          out_ += ' ';
        }
        line_break_ = space_ = false;
        out_ += c;
      }
      return true;
    });
  }
  void line_break() {
    line_break_ = !out_.empty();
    space_ = false;
  }
  void space() { space_ = !out_.empty(); }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
  bool space_ = false;
  bool line_break_ = false;
};

std::string collect_text(const GumboNode& root) {
  struct Frame {
    const GumboVector* children;
    unsigned next;
    GumboTag tag;
  };
  TextCollector out;
  std::vector<Frame> stack{{&root.v.element.children, 0, GUMBO_TAG_UNKNOWN}};
  while (!stack.empty()) {
    Frame& frame = stack.back();
    if (frame.next == frame.children->length) {
      if (is_block(frame.tag)) out.line_break();
      if (frame.tag == GUMBO_TAG_TD || frame.tag == GUMBO_TAG_TH) out.space();
      stack.pop_back();
      continue;
    }
    const auto& node = *static_cast<const GumboNode*>(frame.children->data[frame.next++]);
    if (node.type == GUMBO_NODE_TEXT || node.type == GUMBO_NODE_WHITESPACE || node.type == GUMBO_NODE_CDATA) {
      out.text(node.v.text.text);
    } else if (node.type == GUMBO_NODE_ELEMENT && fate_of(node.v.element) != Fate::kDrop) {
      const GumboTag tag = node.v.element.tag;
      if (is_block(tag)) out.line_break();
      if (tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TH) out.space();
      stack.push_back({&node.v.element.children, 0, tag});
    }
  }
  return out.take();
}

// ---------------------------------------------------------------------------
// Active content (SanitiseReport::active_content)

// Elements that run code or load another document, whatever their
// attributes. And noscript: a browser that runs scripts reads its content as
// text up to the first "</noscript", where this parser (scripting off) reads
// elements, so markup hidden in it here can come alive there.
constexpr GumboTag kActiveTags[] = {
    GUMBO_TAG_SCRIPT, GUMBO_TAG_IFRAME, GUMBO_TAG_FRAME,  GUMBO_TAG_FRAMESET, GUMBO_TAG_OBJECT,
    GUMBO_TAG_EMBED,  GUMBO_TAG_APPLET, GUMBO_TAG_BASE,   GUMBO_TAG_NOSCRIPT,
};

// Attributes whose value a browser loads or follows as an address.
constexpr std::string_view kUrlAttributes[] = {
    "href",    "src",      "action",   "formaction", "data",     "poster",   "background", "xlink:href",
    "srcset",  "cite",     "longdesc", "dynsrc",     "lowsrc",   "codebase", "archive",    "ping",
    "manifest", "icon",    "usemap",   "profile",
};

// The scheme of an address that runs code or hides a document in itself, as
// a browser reads it (spaces and control characters around it, tabs and line
// breaks inside it ignored), or "" for any other.
std::string_view active_scheme(std::string_view value) {
  std::string url;
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 && url.empty()) continue;
    if (c == '\t' || c == '\n' || c == '\r') continue;
    url += c;
    if (url.size() > 16) break;
  }
  for (std::string_view scheme : {std::string_view("javascript:"), std::string_view("vbscript:"),
                                  std::string_view("data:")}) {
    if (starts_with_ignoring_case(url, scheme)) return scheme;
  }
  return "";
}

void note_active(SanitiseReport& r, std::string what) {
  if (r.active_content++ == 0) r.first_active_content = std::move(what);
}

// Counts the active content of the whole tree into `r`, dropped parts
// included. Keeps its own stack, like the Sanitiser.
void count_active_content(const GumboNode& root, SanitiseReport& r) {
  std::vector<const GumboNode*> stack{&root};
  while (!stack.empty()) {
    const GumboNode& node = *stack.back();
    stack.pop_back();
    if (node.type != GUMBO_NODE_ELEMENT && node.type != GUMBO_NODE_TEMPLATE) continue;
    const GumboElement& e = node.v.element;
    if (&node != &root) {
      if (is_one_of(e.tag, kActiveTags)) {
        note_active(r, std::string("a <") + gumbo_normalized_tagname(e.tag) + "> element");
      } else if (e.tag == GUMBO_TAG_META && gumbo_get_attribute(&e.attributes, "http-equiv") != nullptr) {
        note_active(r, "a <meta http-equiv> element");
      }
      for (unsigned i = 0; i < e.attributes.length; ++i) {
        const auto* attribute = static_cast<const GumboAttribute*>(e.attributes.data[i]);
        const std::string_view name = attribute->name;
        if (starts_with_ignoring_case(name, "on") && name.size() > 2) {
          note_active(r, "an " + std::string(name) + " attribute");
        } else if (std::find(std::begin(kUrlAttributes), std::end(kUrlAttributes), name) != std::end(kUrlAttributes)) {
          if (std::string_view scheme = active_scheme(attribute->value); !scheme.empty())
            note_active(r, "a " + std::string(scheme) + " address");
        }
      }
    }
    for (unsigned i = e.children.length; i > 0; --i) stack.push_back(static_cast<const GumboNode*>(e.children.data[i - 1]));
  }
}

}  // namespace

std::string sanitise_html(std::string_view html, int heading_offset, SanitiseReport* report, std::size_t max_bytes) {
  SanitiseReport local;
  SanitiseReport& r = report != nullptr ? *report : local;
  r = SanitiseReport{};
  const BoundedParse parse(html, max_bytes);
  r.truncated = parse.truncated();
  if (parse.root() == nullptr) return "";
  if (report != nullptr) count_active_content(*parse.root(), r);
  Sanitiser sanitiser(heading_offset, max_bytes, r);
  std::string out = sanitiser.run(*parse.root());
  r.truncated = r.truncated || sanitiser.cut_off();
  return out;
}

std::string html_to_text(std::string_view html, std::size_t max_bytes) {
  const BoundedParse parse(html, max_bytes);
  if (parse.root() == nullptr) return "";
  return collect_text(*parse.root());
}

}  // namespace coproduce::library
