#include "report/drawing.h"

#include <cassert>
#include <cstdio>

#include "core/text.h"

namespace coproduce::report::draw {

std::string fixed(double v, int places) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", places, v);
  return buf;
}

std::string coordinate(double v) {
  std::string s = fixed(v, 1);
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  if (s == "-0") s = "0";
  return s;
}

std::string_view colour(size_t series) {
  static constexpr std::string_view kColours[] = {"#1d70b8", "#0b0c0c", "#00703c", "#4c2c92", "#d4351c", "#505a5f"};
  return kColours[series % std::size(kColours)];
}

std::string_view dash(size_t series) {
  static constexpr std::string_view kDashes[] = {"none", "8 4", "2 3", "10 4 2 4"};
  return kDashes[series % std::size(kDashes)];
}

Marker marker(size_t series) {
  static constexpr Marker kMarkers[] = {Marker::kCircle, Marker::kSquare, Marker::kTriangle, Marker::kDiamond};
  return kMarkers[series % std::size(kMarkers)];
}

std::string marker_path(Marker shape, double x, double y, double r) {
  auto c = [](double v) { return coordinate(v); };
  switch (shape) {
    case Marker::kCircle:
      // Two half-circle arcs from the left edge round to it again.
      return "M" + c(x - r) + " " + c(y) + " a" + c(r) + " " + c(r) + " 0 1 0 " + c(2 * r) + " 0 a" + c(r) + " " +
             c(r) + " 0 1 0 " + c(-2 * r) + " 0Z";
    case Marker::kSquare:
      return "M" + c(x - r) + " " + c(y - r) + " h" + c(2 * r) + " v" + c(2 * r) + " h" + c(-2 * r) + "Z";
    case Marker::kTriangle:
      return "M" + c(x) + " " + c(y - 1.2 * r) + " L" + c(x + 1.2 * r) + " " + c(y + r) + " L" + c(x - 1.2 * r) + " " +
             c(y + r) + "Z";
    case Marker::kDiamond:
      return "M" + c(x) + " " + c(y - 1.3 * r) + " L" + c(x + 1.3 * r) + " " + c(y) + " L" + c(x) + " " +
             c(y + 1.3 * r) + " L" + c(x - 1.3 * r) + " " + c(y) + "Z";
  }
  assert(false && "a marker shape");
  return "";
}

double text_width(std::string_view text, double font_size) {
  return static_cast<double>(utf8_length(text)) * font_size * 0.55;
}

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// The byte offset just past the first `n` code points of `text`.
size_t after_code_points(std::string_view text, size_t n) {
  size_t i = 0;
  for (size_t seen = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      if (seen == n) break;
      ++seen;
    }
  }
  return i;
}

}  // namespace

std::vector<std::string> wrap(std::string_view text, size_t max_chars) {
  assert(max_chars > 0);
  std::vector<std::string> lines;
  std::string line;
  size_t line_length = 0;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && is_space(text[i])) ++i;
    size_t end = i;
    while (end < text.size() && !is_space(text[end])) ++end;
    if (end == i) break;
    std::string_view word = text.substr(i, end - i);
    i = end;
    size_t length = utf8_length(word);
    if (!line.empty() && line_length + 1 + length <= max_chars) {
      line += " ";
      line += word;
      line_length += 1 + length;
      continue;
    }
    if (!line.empty()) lines.push_back(std::move(line));
    // A word longer than a line is cut into whole lines, and the rest starts the next.
    while (length > max_chars) {
      size_t cut = after_code_points(word, max_chars);
      lines.emplace_back(word.substr(0, cut));
      word.remove_prefix(cut);
      length -= max_chars;
    }
    line = std::string(word);
    line_length = length;
  }
  if (!line.empty()) lines.push_back(std::move(line));
  return lines;
}

}  // namespace coproduce::report::draw
