// What the chart builders in src/report share: numbers written for SVG, the
// colours series are drawn in, the shapes that mark their points, and an
// estimate of how wide a line of text is. For the builders, not for pages:
// a page gets its chart from a builder and places what it is given.
//
// Example:
//   draw::coordinate(12.5)             // "12.5"
//   draw::colour(1)                    // "#0b0c0c": the second series
//   draw::marker_path(draw::Marker::kSquare, 100, 50, 4)
//   draw::wrap("Volunteers' time and lived experience", 18)
//       // {"Volunteers' time", "and lived", "experience"}
#ifndef COPRODUCE_REPORT_DRAWING_H_
#define COPRODUCE_REPORT_DRAWING_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace coproduce::report::draw {

// `v` with `places` decimal places: fixed(12.345, 1) is "12.3".
std::string fixed(double v, int places);
// A coordinate to one decimal place without a trailing ".0": "44", "12.5".
std::string coordinate(double v);

// GOV.UK colours that keep a contrast of at least 4.5:1 with white, so each
// can carry white text and stands out against the page (WCAG 1.4.11):
// blue, black, green, purple, red, dark grey; then round again.
std::string_view colour(size_t series);
inline constexpr std::string_view kText = "#0b0c0c";       // GOV.UK black
inline constexpr std::string_view kGrid = "#b1b4b6";       // GOV.UK mid grey: lines that only guide the eye
inline constexpr std::string_view kSecondary = "#505a5f";  // GOV.UK dark grey

// Dash patterns for lines (stroke-dasharray), so series differ by more than
// colour: solid ("none"), long dashes, dots, dash-dot; then round again.
std::string_view dash(size_t series);

// The shapes that mark a series' points, in the order series take them.
enum class Marker { kCircle, kSquare, kTriangle, kDiamond };
Marker marker(size_t series);
// An SVG path drawing `shape` centred on (x, y), about 2r across.
std::string marker_path(Marker shape, double x, double y, double r);

// About how wide `text` is at `font_size` in Arial: 0.55 of the size a
// character. Enough to lay out keys and skip crowded axis labels, not to
// fit text exactly.
double text_width(std::string_view text, double font_size);

// `text` broken at spaces into lines of at most `max_chars` characters
// (UTF-8 code points); a word longer than a line is cut across lines. Runs
// of spaces and line breaks count as one space. Empty text has no lines.
std::vector<std::string> wrap(std::string_view text, size_t max_chars);

}  // namespace coproduce::report::draw

#endif  // COPRODUCE_REPORT_DRAWING_H_
